"""Regions (kb.extract.regions) and the memo extractor (kb.extract.memo) on invented text (the real
memo and the curated regions are in tests/acceptance/test_extract_regions_memo.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, URIRef

from kb.extract import finance, memo, regions
from kb.extract.common import FactGraph, entity_iri
from kb.extract.documents import region_iri
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB


def value(facts: FactGraph, s: Any, p: URIRef) -> Any:
    return facts.graph.value(s, p)


def of_type(facts: FactGraph, cls: URIRef) -> list[Any]:
    """Instances of a class, in kb:ordinal order when they have one."""
    items = set(facts.graph.subjects(RDF.type, cls))
    return sorted(items, key=lambda i: (int(value(facts, i, KB.ordinal) or 0), str(i)))


def texts(facts: FactGraph, items: list[Any]) -> list[str]:
    return [str(value(facts, i, KB.text)) for i in items]


def test_finance_shares_the_municipality_iri() -> None:
    assert finance.municipality_iri is regions.municipality_iri
    assert regions.municipality_iri("Duin- en Bollenstreek") == entity_iri(
        "municipality", "Duin- en Bollenstreek"
    )


# --- memo: rules on invented text --------------------------------------------------------------


def make_memo(blocks: list[Block]) -> Document:
    doc = Document(
        id="memo",
        path=Path("memo.txt"),
        fmt="txt",
        meta=SourceMeta(
            file="memo.txt",
            title="Memo",
            doc_type="memo",
            region="Testregio",
            date=date(2019, 3, 1),
            year=2019,
        ),
        text="",
        content_hash="0",
    )
    build_document(doc, blocks)
    return doc


def test_memo_without_sections_warns_per_kind() -> None:
    facts = FactGraph()
    memo.extract([make_memo([Block("paragraph", "Alleen een zin.")])], facts)
    assert len(facts.warnings) == 6
    assert any("no phases" in w for w in facts.warnings)


def test_memo_rules_on_invented_text() -> None:
    doc = make_memo(
        [
            Block("heading", "Planning", level=1),
            Block("paragraph", "Fase 4 volgt na de zomer. Het werk is uit te werken in fase 5."),
            Block("paragraph", "Op 12 december is besloten de contracten te verlengen."),
            Block("heading", "Relevante mijlpalen", level=1),
            Block("paragraph", "a. Inkoop"),
            Block("paragraph", "De aanbesteding start in september 2019."),
            Block("paragraph", "Risico's"),
            Block("paragraph", "Vertraging is mogelijk."),
            Block("paragraph", "1-3-2019"),
            Block("paragraph", "Dit is geen risico meer."),
        ]
    )
    facts = FactGraph()
    memo.extract([doc], facts)
    phases = of_type(facts, KB.Phase)
    assert [int(value(facts, p, KB.phaseNumber)) for p in phases] == [4, 5]
    assert value(facts, phases[0], KB.aboutRegion) == region_iri("Testregio")
    (decision,) = of_type(facts, KB.Decision)
    # 12 December without a year falls after the memo (1 March 2019): it was December 2018.
    assert value(facts, decision, KB.date).toPython() == date(2018, 12, 12)
    (milestone,) = of_type(facts, KB.Milestone)
    assert (int(value(facts, milestone, KB.year)), int(value(facts, milestone, KB.month))) == (
        2019,
        9,
    )
    assert texts(facts, of_type(facts, KB.Risk)) == ["Vertraging is mogelijk."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Besluit PHO 30 mei 2018", date(2018, 5, 30)),
        ("per 1-1-2020", date(2020, 1, 1)),
        ("Op 11 juli is besproken", date(2018, 7, 11)),
        ("geen datum", None),
    ],
)
def test_parse_date(text: str, expected: date | None) -> None:
    assert memo.parse_date(text, 2018, date(2018, 8, 14)) == expected
