"""`bacowr research ...`: fetch pages and record live research as replayable snapshots."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Annotated

import typer

from schemas.errors import BacowrError
from schemas.evidence import PageEvidence, ResearchEvidence
from schemas.settings import load_settings
from tools.research.confidence import data_confidence
from tools.research.live import LiveResearchProvider, build_live_provider
from tools.research.queries import derive_queries
from tools.research.recorded import Snapshot

__all__ = ["research_app"]

research_app = typer.Typer(
    help="Live research: fetch one page, or record a job's research for offline replay.",
    no_args_is_help=True,
)

UrlArg = Annotated[str, typer.Argument(help="http(s) URL to fetch.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the page evidence as JSON.")]
DirArg = Annotated[
    Path, typer.Argument(file_okay=False, help="Snapshot directory (created if missing).")
]
PublisherOpt = Annotated[str, typer.Option(help="Publisher domain, e.g. villaliv.se.")]
TargetOpt = Annotated[str, typer.Option(help="Target page URL the article links to.")]
AnchorOpt = Annotated[str, typer.Option(help="Anchor text of the link.")]
LanguageOpt = Annotated[str, typer.Option(help="Article language (SERP language).")]


def _provider() -> LiveResearchProvider:
    try:
        return build_live_provider(load_settings())
    except BacowrError as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc


@research_app.command()
def fetch(url: UrlArg, as_json: JsonOpt = False) -> None:
    """Fetch and extract one page through the SSRF guard, robots.txt and size limits."""
    page = asyncio.run(_provider().fetch_page(url))
    if as_json:
        typer.echo(page.model_dump_json(indent=2))
    else:
        _print_page(page)
    if page.error is not None:
        typer.secho(f"fetch failed: {page.error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


@research_app.command()
def record(
    directory: DirArg,
    publisher: PublisherOpt,
    target: TargetOpt,
    anchor: AnchorOpt,
    language: LanguageOpt = "sv",
) -> None:
    """Run one job's live research and write it as a snapshot `research_dir` can replay."""
    evidence = asyncio.run(_research(_provider(), publisher, target, anchor, language))
    if evidence.target.error is not None:
        typer.secho(f"target fetch failed: {evidence.target.error}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    snapshot = Snapshot(
        pages={page.url: page for page in [evidence.target, *evidence.publisher_pages]},
        publishers={publisher: [page.url for page in evidence.publisher_pages]},
        serp=evidence.serp,
    )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / _snapshot_name(publisher, target)
    path.write_text(snapshot.model_dump_json(indent=2) + "\n", encoding="utf-8")
    for serp in evidence.serp:
        if serp.error is not None:
            typer.secho(f"search {serp.query!r} failed: {serp.error}", err=True)
    hits = sum(len(serp.hits) for serp in evidence.serp)
    typer.echo(
        f"wrote {path}: target {evidence.target.http_status}, "
        f"{len(evidence.publisher_pages)} publisher pages, {len(evidence.serp)} searches "
        f"({hits} results), data confidence {data_confidence(evidence).value}"
    )


async def _research(
    provider: LiveResearchProvider, publisher: str, target: str, anchor: str, language: str
) -> ResearchEvidence:
    target_page, publisher_pages = await asyncio.gather(
        provider.fetch_page(target), provider.publisher_pages(publisher)
    )
    queries = derive_queries(anchor, target_page)
    serp = await asyncio.gather(*(provider.search(q, language) for q in queries))
    return ResearchEvidence(target=target_page, publisher_pages=publisher_pages, serp=list(serp))


def _snapshot_name(publisher: str, target: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in publisher.lower()).strip("-")
    digest = hashlib.sha256(target.encode()).hexdigest()[:10]
    return f"{slug}_{digest}.json"


def _print_page(page: PageEvidence) -> None:
    typer.echo(f"url:        {page.final_url or page.url}")
    typer.echo(f"status:     {page.http_status if page.http_status is not None else '-'}")
    if page.error is not None:
        return
    typer.echo(f"language:   {page.language or '-'}")
    typer.echo(f"title:      {page.title}")
    typer.echo(f"meta:       {page.meta_description}")
    typer.echo(f"h1:         {page.h1}")
    typer.echo(f"headings:   {' | '.join(page.h2_h3)}")
    typer.echo(f"links:      {len(page.links)}")
    preview = " ".join(page.main_text.split())[:300]
    typer.echo(f"text:       {preview}{'…' if len(page.main_text) > 300 else ''}")
