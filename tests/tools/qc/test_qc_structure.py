"""Structure: sections, blocks, sentences, words and link locations."""

from __future__ import annotations

import pytest
from qc_factories import crafted, load_package

from schemas.job_package import JobPackage
from tools.qc import measure_article
from tools.qc.structure import parse_document
from tools.qc.text import split_sentences


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Välj t.ex. en laddbox. Den passar bl.a. villor.", 2),
        ("Use a charger, e.g. a wall box. It works well.", 2),
        ("Ring Dr. Berg i dag. Han svarar.", 2),
        ("Hur mycket kostar det? Det beror på. Jämför alltid!", 3),
        ("Effekten är 3,7 kW. Det räcker ofta.", 2),
        ("Ingen punkt i slutet", 1),
    ],
)
def test_sentence_splitter_respects_abbreviations(text: str, expected: int) -> None:
    assert len(_sentences(text)) == expected


def test_crafted_document_model() -> None:
    doc = parse_document(crafted("structure_sv.md"))

    assert doc.title == "Titel med en länk i H1"
    assert [s.title for s in doc.sections] == [
        "Titel med en länk i H1",
        "Rubrik med länk i H2",
        "Andra avsnittet",
    ]
    kinds = [(b.section_index, b.paragraph_index, b.kind) for b in doc.blocks]
    assert kinds == [
        (0, 0, "paragraph"),
        (1, 0, "paragraph"),
        (1, 1, "list_item"),
        (1, 2, "list_item"),
        (1, 3, "paragraph"),
        (2, 0, "paragraph"),
    ]
    assert len(doc.sections[0].blocks[0].sentences) == 2
    assert len(doc.sections[1].blocks[0].sentences) == 3
    locations = [(lk.text, lk.location, lk.section_index, lk.paragraph_index) for lk in doc.links]
    assert locations == [
        ("en länk i H1", "h1", 0, None),
        ("länk i H2", "h2", 1, None),
        ("en länk i listan", "list_item", 1, 1),
        ("Skatteverket", "paragraph", 1, 3),
        ("en okänd sida", "paragraph", 1, 3),
    ]


def test_link_offsets_point_at_the_markdown_link() -> None:
    source = crafted("structure_sv.md")
    for link in parse_document(source).links:
        assert source[link.offset :].startswith(f"[{link.text}]({link.href})")


def test_word_count_skips_urls() -> None:
    doc = parse_document("# T\n\nEtt två [tre](https://example.se/a/b/c) fyra https://x.se/y.\n")
    assert doc.word_count == 4


def test_structure_metrics_of_compliant_articles(article: str, package: JobPackage) -> None:
    structure = measure_article(article, package).structure

    assert structure.h1_count == 1
    assert len(structure.h2_titles) == 5
    assert structure.h3_count == 1
    assert structure.paragraph_count >= 15
    assert structure.list_item_count == 5
    assert 1000 <= structure.word_count <= 1200
    assert structure.paragraphs_with_several_links == []


def test_paragraphs_with_several_links_are_listed() -> None:
    metrics = measure_article(crafted("structure_sv.md"), load_package("sv"))
    assert metrics.structure.paragraphs_with_several_links == [
        "section 1 'Rubrik med länk i H2', paragraph 4: 2 links"
    ]
