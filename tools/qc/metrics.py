"""Measure an article against its job package: every deterministic Next-A1 check."""

from __future__ import annotations

from pathlib import Path

from schemas.job_package import JobPackage
from schemas.metrics import ArticleMetrics, StructureMetrics
from tools.qc.compliance import measure_compliance
from tools.qc.language import measure_language
from tools.qc.links import find_target_link, measure_links, measure_target
from tools.qc.lsi import measure_intent_terms, measure_lsi
from tools.qc.readability import measure_readability
from tools.qc.structure import Document, parse_document
from tools.qc.trust import load_registry

__all__ = ["measure_article", "measure_structure"]


def measure_structure(doc: Document) -> StructureMetrics:
    """Count headings, paragraphs, words and sentences, and paragraphs with several links."""
    crowded = [
        f"section {b.section_index} '{doc.sections[b.section_index].title or 'intro'}', "
        f"paragraph {b.paragraph_index + 1}: {len(b.links)} links"
        for b in doc.blocks
        if len(b.links) > 1
    ]
    return StructureMetrics(
        title=doc.title,
        h1_count=sum(1 for h in doc.headings if h.level == 1),
        h2_titles=[h.text for h in doc.headings if h.level == 2],
        h3_count=sum(1 for h in doc.headings if h.level == 3),
        paragraph_count=sum(1 for b in doc.blocks if b.kind == "paragraph"),
        list_item_count=sum(1 for b in doc.blocks if b.kind == "list_item"),
        word_count=doc.word_count,
        sentence_count=sum(len(b.sentences) for b in doc.blocks),
        paragraphs_with_several_links=crowded,
    )


def measure_article(
    markdown: str,
    package: JobPackage,
    *,
    bridge_theme: str = "",
    trust_registry: Path | None = None,
) -> ArticleMetrics:
    """Measure structure, links, trust, LSI, readability, language and compliance of an article.

    Args:
        markdown: The article, starting with its H1.
        package: The complete job package the article was written for.
        bridge_theme: The pivot/wrapper theme; its words count as LSI terms for those bridges.
        trust_registry: A trust-domain YAML to use instead of the shipped one.
    """
    doc = parse_document(markdown)
    constraints = package.generation_constraints
    links, trust = measure_links(doc, package, load_registry(trust_registry))
    sentences = [s for block in doc.blocks for s in block.sentence_texts()]
    return ArticleMetrics(
        structure=measure_structure(doc),
        links=links,
        target=measure_target(doc, package),
        trust=trust,
        lsi=measure_lsi(doc, find_target_link(doc, package), package, bridge_theme),
        intent=measure_intent_terms(doc, package),
        readability=measure_readability(sentences, constraints.language),
        language=measure_language(doc.body_text, constraints.language),
        compliance=measure_compliance(doc, constraints.vertical),
    )
