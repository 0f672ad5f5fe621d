"""Autofixes: the one paid link and the vertical disclaimer."""

from __future__ import annotations

from schemas.enums import Language
from tools.autofix import append_disclaimer, fix_target_link

URL = "https://www.laddhemma.se/laddbox-villa"
LINK = f"[laddbox till villan]({URL})"


def doc(*parts: str) -> str:
    return "\n\n".join(["# Titel", "Intro om elbilar.", *parts]) + "\n"


def test_missing_link_links_the_anchor_phrase_in_the_first_middle_section() -> None:
    md = doc("## Del ett", "Här väljer du laddbox till villan med omsorg.", "## Del två", "Text.")
    out = fix_target_link(md, "laddbox till villan", URL, Language.sv)
    assert out.markdown.count(URL) == 1
    assert f"väljer du {LINK} med omsorg" in out.markdown
    assert out.fixes == ["placed the missing target link in the first middle section"]


def test_missing_link_without_phrase_gets_a_carrier_sentence() -> None:
    md = doc("## Del ett", "Inget om saken.", "## Del två", "Text.")
    out = fix_target_link(md, "laddbox till villan", URL, Language.sv)
    assert f"Inget om saken. Mer om {LINK} finns att läsa här." in out.markdown


def test_link_in_heading_is_unlinked_and_placed_in_the_body() -> None:
    md = doc(f"## Om {LINK}", "Stycke ett.", "## Slut", "Text.")
    out = fix_target_link(md, "laddbox till villan", URL, Language.sv)
    assert "## Om laddbox till villan\n" in out.markdown
    assert out.markdown.count(URL) == 1
    assert "unlinked the target link from a heading" in out.fixes


def test_repeated_links_keep_only_the_first() -> None:
    md = doc("## A", f"Först {LINK}.", "## B", f"Igen {LINK} och {LINK}.")
    out = fix_target_link(md, "laddbox till villan", URL, Language.sv)
    assert out.markdown.count(URL) == 1
    assert "Igen laddbox till villan och laddbox till villan." in out.markdown


def test_a_correct_article_is_left_alone() -> None:
    md = doc("## A", f"Först {LINK}.", "## B", "Text.")
    out = fix_target_link(md, "laddbox till villan", URL, Language.sv)
    assert out.markdown == md and out.fixes == []


def test_article_without_sections_gets_the_link_in_its_first_paragraph() -> None:
    out = fix_target_link("# T\n\nBara text.\n", "garden office", "https://x.co.uk/g", Language.en)
    assert (
        "Bara text. You can read more about [garden office](https://x.co.uk/g) here."
        in out.markdown
    )


def test_disclaimer_is_appended_once() -> None:
    out = append_disclaimer("# T\n\nText.\n", "Inte finansiell rådgivning.")
    assert out.markdown.endswith("Text.\n\nInte finansiell rådgivning.\n")
    assert append_disclaimer("# T\n", "").fixes == []


def test_links_the_job_did_not_ask_for_are_unlinked() -> None:
    from tools.autofix import unlink_unrequested

    md = doc(
        "## A",
        f"Se {LINK}, [Energimyndigheten](https://www.energimyndigheten.se/) och [köp här](https://spam.example/x).",
    )
    out = unlink_unrequested(md, URL, lambda url: "energimyndigheten.se" in url)
    assert LINK in out.markdown
    assert "[Energimyndigheten](https://www.energimyndigheten.se/)" in out.markdown
    assert "och köp här." in out.markdown and "spam.example" not in out.markdown
    assert out.fixes == ["unlinked 1 link(s) the job did not ask for"]


def test_sectioned_writer_drops_repeated_headings() -> None:
    from nodes._sectioned import _clean

    assert _clean("# Title again\n\nBody text.\n## Next") == "Body text."
    assert _clean("Body.\n\n# Stray") == "Body."


def test_blueprint_skips_schema_words() -> None:
    from tools.blueprint import _usable

    assert _usable("laddeffekt") and _usable("main fuse")
    assert not _usable("core_topics") and not _usable("commercial_research") and not _usable("x1")
