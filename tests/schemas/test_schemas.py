"""Schema validation names the offending field; the article normaliser finds the title."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schemas.article import ArticleText, normalise_article
from schemas.job_package import GenerationConstraints, InputMinimal
from tests.fakes.factories import report


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_url", "ftp://example.se/x", "http or https"),
        ("target_url", "https:///nohost", "host"),
        ("publisher_domain", "https://villaliv.se/", "bare domain"),
        ("anchor_text", "", "at least 1"),
    ],
)
def test_bad_input_names_the_field(field: str, value: str, message: str) -> None:
    good = {
        "publisher_domain": "villaliv.se",
        "target_url": "https://www.example.se/x",
        "anchor_text": "laddbox",
    }
    with pytest.raises(ValidationError) as err:
        InputMinimal.model_validate({**good, field: value})
    assert err.value.errors()[0]["loc"] == (field,)
    assert message in str(err.value)


def test_constraints_reject_unknown_language_and_bad_counts() -> None:
    with pytest.raises(ValidationError) as err:
        GenerationConstraints.model_validate({"language": "fi", "min_word_count": 10})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert fields == {"language", "min_word_count"}


def test_qc_report_must_hold_all_eight_criteria() -> None:
    full = report(90)
    with pytest.raises(ValidationError, match="8 Next-A1 criteria"):
        type(full).model_validate(
            {**full.model_dump(), "criteria": full.model_dump()["criteria"][:7]}
        )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sure! Here it is:\n\n# Titel\n\nText.", "# Titel\n\nText."),
        ("```markdown\n# T\n\nx\n```", "# T\n\nx"),
        ("**Laddbox för villan**\n\nText här.", "# Laddbox för villan\n\nText här."),
    ],
)
def test_article_normaliser_finds_the_title(raw: str, expected: str) -> None:
    assert normalise_article(raw) == expected
    assert ArticleText(markdown=raw).markdown == expected + "\n"


def test_article_without_any_title_is_rejected() -> None:
    with pytest.raises(ValidationError, match="level-1 heading"):
        ArticleText(markdown="A long first sentence that is plainly body text.\nMore.")
