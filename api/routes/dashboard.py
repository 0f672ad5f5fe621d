"""The dashboard: server-rendered pages, and the HTML fragments their script loads.

Pages are shells with no data, so they are served without a key; the data comes from
fragments under /ui/ and the JSON API, which the page's script calls with the API key the
user entered once (kept in sessionStorage, sent as a bearer header; live updates stream over
fetch, since EventSource cannot send headers).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markdown_it import MarkdownIt

from api.deps import RuntimeDep, StateDep
from services.api_debug import timeline
from services.api_jobs import job_view
from services.batch_results import list_all_jobs
from services.batches import progress
from services.reviews import list_reviews

__all__ = ["fragments", "mount_static", "router"]

_HERE = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=_HERE / "templates")
# Raw HTML in an article is shown as text, never run; markdown-it also refuses javascript: links.
_markdown = MarkdownIt("commonmark", {"html": False})

router = APIRouter(include_in_schema=False)
fragments = APIRouter(prefix="/ui", include_in_schema=False)


def mount_static(app: FastAPI) -> None:
    """Serve the dashboard's script and stylesheet under /static."""
    app.mount("/static", StaticFiles(directory=_HERE / "static"), name="static")


def _page(request: Request, state: Any, name: str, **context: Any) -> HTMLResponse:
    context["auth_required"] = state.keys.required
    return templates.TemplateResponse(request, name, context)


@router.get("/", response_class=HTMLResponse)
async def index_page(request: Request, state: StateDep) -> HTMLResponse:
    return _page(request, state, "index.html", title="Batches")


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
async def batch_page(request: Request, state: StateDep, batch_id: str) -> HTMLResponse:
    return _page(request, state, "batch.html", title=f"Batch {batch_id}", batch_id=batch_id)


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job_page(request: Request, state: StateDep, job_id: str) -> HTMLResponse:
    return _page(request, state, "job.html", title=f"Job {job_id}", job_id=job_id)


@router.get("/reviews", response_class=HTMLResponse)
async def reviews_page(request: Request, state: StateDep) -> HTMLResponse:
    return _page(request, state, "reviews.html", title="Reviews")


@fragments.get("/batches", response_class=HTMLResponse)
async def batches_fragment(request: Request, rt: RuntimeDep) -> HTMLResponse:
    rows = [(b, await progress(rt, b.id)) for b in await rt.batches.list_batches(limit=50)]
    return templates.TemplateResponse(request, "_batches.html", {"rows": rows})


@fragments.get("/batches/{batch_id}", response_class=HTMLResponse)
async def batch_fragment(request: Request, rt: RuntimeDep, batch_id: str) -> HTMLResponse:
    snapshot = await progress(rt, batch_id)
    jobs = await list_all_jobs(rt, batch_id)
    return templates.TemplateResponse(request, "_batch.html", {"progress": snapshot, "jobs": jobs})


@fragments.get("/jobs/{job_id}", response_class=HTMLResponse)
async def job_fragment(request: Request, rt: RuntimeDep, job_id: str) -> HTMLResponse:
    view = await job_view(rt, job_id)
    article = None
    if view.article is not None:
        article = _markdown.render(view.article.markdown)
    events = [e for e in await timeline(rt, job_id) if e.event in ("entered", "left", "error")]
    return templates.TemplateResponse(
        request,
        "_job.html",
        {"job": view.job, "qc": view.qc, "article_html": article, "events": events},
    )


@fragments.get("/reviews", response_class=HTMLResponse)
async def reviews_fragment(request: Request, rt: RuntimeDep) -> HTMLResponse:
    jobs = await list_reviews(rt, limit=200)
    return templates.TemplateResponse(request, "_reviews.html", {"jobs": jobs})
