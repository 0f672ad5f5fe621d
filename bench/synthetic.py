"""Synthetic recorded research for many jobs: batch tests and benchmarks need no web."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.evidence import PageEvidence, SerpEvidence, SerpHit
from schemas.job_package import InputMinimal
from tools.research.queries import derive_queries

TEXT_SV = (
    "Vi säljer och installerar laddboxar för villor med lastbalansering och typ 2-kontakt. "
    "En behörig elinstallatör monterar laddboxen och kontrollerar huvudsäkringen. "
) * 6


def synthetic_jobs(
    n: int, publishers: int = 5, *, anchors: dict[int, str] | None = None
) -> list[InputMinimal]:
    """Return n jobs on `publishers` publishers; `anchors` overrides the anchor of job i."""
    jobs = []
    for i in range(n):
        anchor = (anchors or {}).get(i, f"laddbox till villan {i}")
        jobs.append(
            InputMinimal(
                publisher_domain=f"publisher{i % publishers}.se",
                target_url=f"https://www.target{i}.se/laddbox",
                anchor_text=anchor,
            )
        )
    return jobs


def _page(url: str, title: str, text: str, status: int = 200) -> PageEvidence:
    return PageEvidence(
        url=url,
        final_url=url,
        http_status=status,
        content_type="text/html",
        title=title,
        meta_description=title,
        h1=title,
        h2_h3=["Installation", "Laddeffekt"],
        main_text=text if status == 200 else "",
        language="sv" if status == 200 else None,
        error=None if status == 200 else "fetch: server answered HTTP 404",
    )


def write_snapshot(
    directory: Path, jobs: list[InputMinimal], *, missing: frozenset[int] | set[int] = frozenset()
) -> Path:
    """Record pages and SERP results for every job; jobs in `missing` get a 404 target."""
    directory.mkdir(parents=True, exist_ok=True)
    pages: dict[str, dict[str, object]] = {}
    publishers: dict[str, list[str]] = {}
    serp: list[dict[str, object]] = []
    seen_queries: set[str] = set()
    for i, job in enumerate(jobs):
        status = 404 if i in missing else 200
        target = _page(job.target_url, f"Laddbox till villan {i} | Target{i}", TEXT_SV, status)
        pages[job.target_url] = target.model_dump(mode="json")
        home = f"https://{job.publisher_domain}/"
        about = f"https://{job.publisher_domain}/om-oss"
        if job.publisher_domain not in publishers:
            publishers[job.publisher_domain] = [home, about]
            for url in (home, about):
                pages[url] = _page(url, "Villaliv för villaägare", TEXT_SV).model_dump(mode="json")
        if status != 200:
            continue
        for query in derive_queries(job.anchor_text, target):
            if query in seen_queries:
                continue
            seen_queries.add(query)
            hits = [
                SerpHit(
                    rank=r + 1,
                    url=f"https://www.site{r}.se/{r}",
                    title=f"{query} guide {r}",
                    snippet=f"Allt om {query}: laddbox, installation.",
                )
                for r in range(5)
            ]
            serp.append(SerpEvidence(query=query, language="sv", hits=hits).model_dump(mode="json"))
    path = directory / "synthetic.json"
    path.write_text(json.dumps({"pages": pages, "publishers": publishers, "serp": serp}), "utf-8")
    return directory
