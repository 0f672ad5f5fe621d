"""Factories for storage tests: job inputs and drafts."""

from __future__ import annotations

from schemas.article import ArticleDraft, LinksExtension
from schemas.enums import BridgeType, Language
from schemas.job_package import GenerationConstraints, InputMinimal
from storage.records import JobInput


def job_input(n: int = 0, *, language: Language = Language.sv, min_words: int = 900) -> JobInput:
    """Return a job input; different `n` give different jobs."""
    return JobInput(
        input_minimal=InputMinimal(
            publisher_domain="villaliv.se",
            target_url=f"https://www.laddhemma.se/laddbox-{n}",
            anchor_text="laddbox till villan",
        ),
        generation_constraints=GenerationConstraints(language=language, min_word_count=min_words),
    )


def draft(job_id: str, iteration: int = 0, body: str = "Brödtext.") -> ArticleDraft:
    """Return an article draft of a job."""
    return ArticleDraft(
        job_id=job_id,
        iteration=iteration,
        markdown=f"# Laddbox v{iteration}\n\n{body}\n",
        links_extension=LinksExtension(bridge_type=BridgeType.pivot, bridge_theme="elbil"),
    )
