"""Extraction: typed, linked facts from segmented documents.

Each extractor is a function ``extract(docs, facts)`` that recognises the documents it knows by
their type and structure and writes facts with provenance into the shared :class:`FactGraph`.
Missing structure becomes a warning, never a crash. :data:`EXTRACTORS` lists them, imported as
ordinary modules, so a renamed or missing extractor fails at import and in the type check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kb.extract import caveats, curated, finance, glossary, memo, plan, prose, regions, slides
from kb.extract.common import CURATION, PROSE, STRUCTURE, FactGraph
from kb.ingest.model import Document

#: What an extractor is: it reads the documents and adds facts (and warnings) to ``facts``.
ExtractFunction = Callable[[list[Document], FactGraph], None]


@dataclass(frozen=True)
class Extractor:
    """One extraction step: a name for progress and warnings, its function, and how its facts
    are obtained (``method``; the step's name is the rule unless the extractor names one)."""

    name: str
    extract: ExtractFunction
    method: str = STRUCTURE


#: Extractors in the order they run (regions first: others link to its municipalities).
EXTRACTORS: tuple[Extractor, ...] = (
    # The regions file is curated (kb/curated/regions.yaml).
    Extractor("regions", regions.extract, CURATION),
    Extractor("plan", plan.extract),
    Extractor("finance", finance.extract),
    Extractor("glossary", glossary.extract),
    Extractor("memo", memo.extract),
    Extractor("slides", slides.extract),
    # Values in prose, as proposed facts; then the steward's curation confirms or rejects them.
    Extractor("prose", prose.extract, PROSE),
    # Sentences that qualify a plan's finances (cue words in the scheme financiele-kanttekeningen).
    Extractor("financial-caveats", caveats.extract, PROSE),
    Extractor("curated", curated.extract, CURATION),
    # Last, so every municipality any extractor wrote gets its register code and TOOI IRI.
    Extractor("municipalities", regions.link_municipalities),
)


def run_extractors(
    docs: list[Document],
    facts: FactGraph,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    extractors: Sequence[Extractor] = EXTRACTORS,
) -> None:
    """Run each extractor over the documents; an extractor's crash becomes a warning."""
    for n, step in enumerate(extractors, 1):
        if progress:
            progress(f"extraheren: {step.name}", n, len(extractors))
        facts.method, facts.rule = step.method, step.name
        try:
            step.extract(docs, facts)
        except Exception as exc:  # noqa: BLE001 - one extractor must not sink the build
            facts.warnings.append(f"extractor {step.name} failed: {type(exc).__name__}: {exc}")
        finally:
            facts.method, facts.rule = STRUCTURE, "document-structure"
