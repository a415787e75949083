"""Extraction: typed, linked facts from segmented documents.

Each extractor module exposes ``extract(docs, facts)``, recognises the documents it knows by
their type and structure, and writes facts with provenance into the shared :class:`FactGraph`.
Missing structure becomes a warning, never a crash.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from kb.extract.common import FactGraph
from kb.ingest.model import Document

#: Extractors in the order they run (regions first: others link to its municipalities). An entry
#: ``module:function`` runs that function instead of ``extract``; the municipality linking runs
#: last, so every municipality any extractor wrote gets its register code.
EXTRACTORS = (
    "regions",
    "plan",
    "finance",
    "glossary",
    "memo",
    "slides",
    "curated",
    "regions:link_municipalities",
)


def run_extractors(
    docs: list[Document],
    facts: FactGraph,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Run every extractor over the documents; an extractor's crash becomes a warning."""
    for n, name in enumerate(EXTRACTORS, 1):
        if progress:
            progress(f"extraheren: {name}", n, len(EXTRACTORS))
        module_name, _, func_name = name.partition(":")
        try:
            module = importlib.import_module(f"kb.extract.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"kb.extract.{module_name}":
                facts.warnings.append(f"extractor {name}: not installed")
                continue
            raise
        try:
            getattr(module, func_name or "extract")(docs, facts)
        except Exception as exc:  # noqa: BLE001 - one extractor must not sink the build
            facts.warnings.append(f"extractor {name} failed: {type(exc).__name__}: {exc}")
