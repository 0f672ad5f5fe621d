"""Benchmark the embedded local model: seconds per article at 1 and 2 parallel slots.

Run from the repository root::

    python -m bench.local_model [--slots 1,2] [--sections 4] [--section-tokens 250]

For each slot count it starts a private llama-server on a free port, writes one article per
slot concurrently (sections one after another, through the OpenAI chat API as bacowr does),
then prints a table and one JSON line per configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from schemas.settings import load_settings
from tools.local_llm import (
    LocalModelServer,
    LocalServerConfig,
    ensure_model_file,
    recommended_model_kwargs,
)

TITLE = "How to choose hiking boots for your first mountain trip"
HEADINGS = [
    "Why the right boots matter",
    "Fit, sizing and breaking them in",
    "Materials, waterproofing and weight",
    "Caring for your boots after the trip",
]
SYSTEM = "You write clear, practical magazine articles in English."


@dataclass(frozen=True)
class Result:
    slots: int
    threads: int
    articles: int
    sections_per_article: int
    tokens_per_article: float
    seconds_per_article: float
    tokens_per_s_per_request: float
    aggregate_tokens_per_s: float
    wall_s: float
    load_avg_before: float


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _section_prompt(heading: str, previous: list[str]) -> str:
    done = "\n".join(f"- {h}" for h in previous) or "- (none yet)"
    return (
        f"Article: {TITLE}\nSections already written:\n{done}\n\n"
        f"Write the next section, about 200 words of plain prose.\n\n## {heading}\n"
    )


async def _article(llm: ChatOpenAI, sections: int) -> tuple[float, int, float]:
    """Write one article; return (wall seconds, completion tokens, summed request seconds)."""
    start, tokens, request_s = time.perf_counter(), 0, 0.0
    for i in range(sections):
        heading = HEADINGS[i % len(HEADINGS)]
        t0 = time.perf_counter()
        msg = await llm.ainvoke(
            [SystemMessage(SYSTEM), HumanMessage(_section_prompt(heading, HEADINGS[:i]))]
        )
        request_s += time.perf_counter() - t0
        if msg.usage_metadata is not None:
            tokens += msg.usage_metadata["output_tokens"]
    return time.perf_counter() - start, tokens, request_s


async def run_config(
    slots: int, threads: int, sections: int, section_tokens: int, fixed_length: bool
) -> Result:
    """Start a server with `slots` slots and write `slots` articles concurrently."""
    settings = load_settings()
    # The model comes from the usual data_dir; pid, lock and log files go to a throwaway dir.
    model_file = await asyncio.to_thread(ensure_model_file, settings.data_dir / "models")
    scratch = Path(tempfile.mkdtemp(prefix="bacowr-bench-"))
    config = LocalServerConfig(
        data_dir=scratch,
        port=_free_port(),
        threads=threads,
        parallel=slots,
        ctx_size=settings.local_llm_ctx_size,
    )
    load_before = os.getloadavg()[0]  # other work on the machine skews every number here
    extra = recommended_model_kwargs()
    if fixed_length:
        extra["ignore_eos"] = True  # every section costs exactly section_tokens: comparable runs
    async with LocalModelServer(config, model_file=model_file) as server:
        llm = ChatOpenAI(
            base_url=server.base_url,
            model=server.model_name,
            api_key=SecretStr("local"),
            temperature=0.7,
            max_completion_tokens=section_tokens,
            extra_body=extra,
            timeout=600,
        )
        await llm.ainvoke("Say hello.")  # warm-up, not timed
        start = time.perf_counter()
        runs = await asyncio.gather(*(_article(llm, sections) for _ in range(slots)))
        wall = time.perf_counter() - start
    shutil.rmtree(scratch, ignore_errors=True)
    total_tokens = sum(tokens for _, tokens, _ in runs)
    request_s = sum(req for _, _, req in runs)
    return Result(
        slots=slots,
        threads=threads,
        articles=slots,
        sections_per_article=sections,
        tokens_per_article=round(total_tokens / slots, 1),
        seconds_per_article=round(sum(w for w, _, _ in runs) / slots, 2),
        tokens_per_s_per_request=round(total_tokens / request_s, 1),
        aggregate_tokens_per_s=round(total_tokens / wall, 1),
        wall_s=round(wall, 2),
        load_avg_before=round(load_before, 2),
    )


def _print_table(results: list[Result]) -> None:
    head = f"{'slots':>5} {'threads':>7} {'tok/article':>11} {'s/article':>9} "
    head += f"{'tok/s/request':>13} {'aggregate tok/s':>15} {'wall s':>7} {'load':>5}"
    print(head)
    for r in results:
        print(
            f"{r.slots:>5} {r.threads:>7} {r.tokens_per_article:>11} {r.seconds_per_article:>9} "
            f"{r.tokens_per_s_per_request:>13} {r.aggregate_tokens_per_s:>15} {r.wall_s:>7} "
            f"{r.load_avg_before:>5}"
        )


async def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(prog="python -m bench.local_model", description=__doc__)
    parser.add_argument("--slots", default="1,2", help="comma-separated slot counts")
    parser.add_argument("--threads", type=int, default=None, help="default: local_llm_threads")
    parser.add_argument("--sections", type=int, default=4)
    parser.add_argument("--section-tokens", type=int, default=250)
    parser.add_argument(
        "--natural-length",
        action="store_true",
        help="let the model stop on its own instead of always generating --section-tokens",
    )
    args = parser.parse_args(argv)
    threads = args.threads or load_settings().local_llm_threads
    results = []
    for slots in (int(s) for s in args.slots.split(",")):
        results.append(
            await run_config(
                slots, threads, args.sections, args.section_tokens, not args.natural_length
            )
        )
    _print_table(results)
    for r in results:
        print(json.dumps(asdict(r)))
    return results


if __name__ == "__main__":
    asyncio.run(main())
