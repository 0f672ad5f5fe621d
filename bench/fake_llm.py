"""A loopback OpenAI-compatible fake LLM that plays every bacowr role, with a set latency.

Used by the crash, batch and worker tests and by the benchmarks, as a separate process or in
a thread. It recognises the role from the request (the structured-output schema name, or the
reviser's fix list), reads the job's anchor and target from the prompt, and answers with
outputs that pass Next-A1 QC, built from the shipped QC example (examples/qc/).

Scripted behaviour by anchor text, so tests can mix outcomes in one batch:
- an anchor containing "FAIL" makes the writer's endpoint answer HTTP 400 (job `failed`);
- "REVIEW" makes the QC rubric score 30 every round (job `needs_review`);
- "SLOW" multiplies the latency by 5.
`GET /stats` returns calls per role and per target URL (QC calls, whose prompt names no target,
count as "unknown"), so a test can count at the server.

Run: python -m bench.fake_llm --port 8099 --latency 0.2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "qc"
_LINK = re.compile(r"The one paid link: \[(?P<anchor>[^\]]+)\]\((?P<url>[^)]+)\)")

_TEMPLATES = {
    "sv": ("article.md", "job.json"),
    "en": ("article_en.md", "job_en.json"),
}


def _load(language: str) -> tuple[str, dict[str, Any]]:
    article, job = _TEMPLATES.get(language, _TEMPLATES["en"])
    package = json.loads((EXAMPLES / job).read_text(encoding="utf-8"))
    return (EXAMPLES / article).read_text(encoding="utf-8"), package


class FakeLLM:
    """The fake's behaviour and counters (thread-safe enough for counting)."""

    def __init__(self, latency_s: float = 0.0) -> None:
        self.latency_s = latency_s
        self.by_role: Counter[str] = Counter()
        self.by_target: Counter[str] = Counter()
        self.templates = {lang: _load(lang) for lang in _TEMPLATES}
        self.started = time.monotonic()

    def role_of(self, body: dict[str, Any]) -> str:
        fmt = body.get("response_format") or {}
        name = (fmt.get("json_schema") or {}).get("name", "")
        if name:
            return {
                "ResearcherOutput": "researcher",
                "SentinelOutput": "intent_sentinel",
                "QCRubric": "qc_reviewer",
            }.get(name, name)
        text = _text(body)
        return "reviser" if "Fix these findings" in text else "writer"

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        role = self.role_of(body)
        text = _text(body)
        link = _LINK.search(text)
        anchor = link.group("anchor") if link else ""
        target = link.group("url") if link else _first_url(text)
        self.by_role[role] += 1
        self.by_target[target] += 1
        language = "sv" if "Swedish" in text or "(written in sv)" in text else "en"
        article, package = self.templates[language]
        if role == "researcher":
            return 200, _chat(json.dumps(_researcher(package, text)))
        if role == "intent_sentinel":
            return 200, _chat(json.dumps(_sentinel(package)))
        if role == "qc_reviewer":
            score = 30 if "REVIEW" in text else 92
            items = [
                {"criterion": c, "score": score, "finding": f"{c} judged {score}", "fix": ""}
                for c in ("DRAFT", "INTENT", "FIT")
            ]
            return 200, _chat(json.dumps({"items": items}))
        if "FAIL" in anchor:
            return 400, {"error": {"message": "scripted failure", "type": "invalid_request"}}
        old = package["input_minimal"]
        markdown = article.replace(old["target_url"], target).replace(old["anchor_text"], anchor)
        return 200, _chat(markdown)

    def stats(self) -> dict[str, Any]:
        return {"by_role": dict(self.by_role), "by_target": dict(self.by_target)}


def _text(body: dict[str, Any]) -> str:
    return "\n".join(str(m.get("content", "")) for m in body.get("messages", []))


def _first_url(text: str) -> str:
    """Return the job's target URL from a researcher or sentinel prompt."""
    match = re.search(r'anchor text\s+"[^"]*"\s+to\s+(https?://\S+?)\.?\s', text) or re.search(
        r'"url":\s*"(https?://[^"]+)"', text
    )
    return match.group(1) if match else "unknown"


def _researcher(package: dict[str, Any], text: str) -> dict[str, Any]:
    target = package["target_profile"]
    queries = re.findall(r"^- (.+)$", text.split("Evidence:")[0], flags=re.MULTILINE)
    return {
        "target": {
            "core_entities": target["core_entities"],
            "core_topics": target["core_topics"],
            "core_offer": target["core_offer"],
            "candidate_main_queries": target["candidate_main_queries"],
        },
        "publisher": {
            "topic_focus": package["publisher_profile"]["topic_focus"],
            "audience": package["publisher_profile"]["audience"],
            "tone_class": package["publisher_profile"]["tone_class"],
            "allowed_commerciality": "medium",
            "brand_safety_notes": "",
        },
        "anchor": {"type": "exact", "implied_intent": "commercial_research"},
        "serp_sets": [
            {
                "query": q.strip(),
                "dominant_intent": "commercial_research",
                "secondary_intents": ["info_primary"],
                "page_archetypes": ["guide", "category"],
                "required_subtopics": package["intent_extension"]["required_subtopics"][:2],
            }
            for q in queries[:4]
        ],
        "queries_rationale": "anchor, H1 and title",
    }


def _sentinel(package: dict[str, Any]) -> dict[str, Any]:
    intent = package["intent_extension"]
    return {
        "serp_intent_primary": "commercial_research",
        "serp_intent_secondary": ["info_primary"],
        "target_page_intent": "transactional",
        "anchor_implied_intent": "commercial_research",
        "publisher_role_intent": "info_primary",
        "anchor_vs_serp": "aligned",
        "target_vs_serp": "aligned",
        "publisher_vs_serp": "aligned",
        "overall": "aligned",
        "recommended_bridge_type": "strong",
        "recommended_article_angle": intent["recommended_article_angle"],
        "required_subtopics": intent["required_subtopics"],
        "forbidden_angles": intent["forbidden_angles"],
        "rationale": "scripted",
    }


def _chat(content: str) -> dict[str, Any]:
    words = max(1, len(content) // 4)
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 400, "completion_tokens": words, "total_tokens": 400 + words},
    }


def build_app(fake: FakeLLM) -> Starlette:
    """Return the fake's ASGI app."""

    async def completions(request: Request) -> JSONResponse:
        body = await request.json()
        text = _text(body)
        delay = fake.latency_s * (5 if "SLOW" in text else 1)
        if delay:
            await asyncio.sleep(delay)
        status, payload = fake.answer(body)
        return JSONResponse(payload, status_code=status)

    async def models(_: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": "fake", "object": "model"}]})

    async def stats(_: Request) -> JSONResponse:
        return JSONResponse(fake.stats())

    return Starlette(
        routes=[
            Route("/v1/chat/completions", completions, methods=["POST"]),
            Route("/v1/models", models),
            Route("/stats", stats),
        ]
    )


@contextmanager
def serve_in_thread(fake: FakeLLM, port: int = 0) -> Iterator[str]:
    """Serve the fake on loopback in a thread; yield its base URL (…/v1)."""
    config = uvicorn.Config(build_app(fake), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{bound}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=5)


def main() -> None:
    """Run the fake in the foreground."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per call")
    args = parser.parse_args()
    uvicorn.run(
        build_app(FakeLLM(args.latency)), host="127.0.0.1", port=args.port, log_level="warning"
    )


if __name__ == "__main__":
    main()
