"""Budget tables (kb.extract.finance) and the glossary (kb.extract.glossary) on invented tables:
wrong totals, missing parts, amounts, labels and abbreviations (the real plan is in
tests/acceptance/test_extract_finance_glossary.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kb.extract import finance, glossary, regions
from kb.extract.common import FactGraph, concept_iri
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB, SCHEMA

# --- finance: invented tables ----------------------------------------------------------------


def subjects(facts: FactGraph, cls: URIRef) -> set[Any]:
    return set(facts.graph.subjects(RDF.type, cls))


def value(facts: FactGraph, s: URIRef, p: URIRef) -> Any:
    return facts.graph.value(s, p)


def make_doc(blocks: list[Block], doc_type: str = "inkoopplan") -> Document:
    doc = Document(
        id="plan",
        path=Path("plan.txt"),
        fmt="txt",
        meta=SourceMeta(file="plan.txt", title="Plan", doc_type=doc_type, region="Testregio"),
        text="",
        content_hash="0",
    )
    build_document(doc, blocks)
    return doc


def budget_table(rows: list[tuple[str, ...]]) -> list[Block]:
    return [
        Block("heading", "6.1 FINANCIEEL KADER 2021 - 2024", level=2, number="6.1"),
        Block("table", "\n".join("\t".join(r) for r in rows), rows=tuple(rows)),
    ]


TINY = [
    ("", "", "2021", "2022"),
    ("", "Producten", "Begroot (in €)", "Begroot (in €)"),
    ("Gemeenten", "", "", ""),
    ("Alfadorp", "Gemeentelijke Toegang", "1.000.000", "1.000.000"),
    ("", "Specialistische hulp (ZiN)", "2.500.000", "-"),
    ("", "Begrotingswijzigingen", "-100.000", "-100.000"),
    ("", "Totale beschikbare budget", "3.400.000", "999.000"),
    ("Betastad", "Gemeentelijke Toegang", "500.000", "500.000"),
    ("", "Totale beschikbare budget", "500.000", "500.000"),
    ("Zuidhoek", "Totale beschikbare budget", "3.900.000", "1.400.000"),
]


def test_invented_table_reports_a_wrong_total() -> None:
    doc = make_doc(budget_table(TINY))
    facts = FactGraph()
    finance.extract([doc], facts)
    # Alfadorp 2022: 1.000.000 + (not stated "-") - 100.000 = 900.000, stated 999.000.
    message = (
        "Begrotingstotaal Alfadorp 2022: vermeld € 999.000, som van de posten € 900.000 "
        "(verschil € 99.000)"
    )
    assert message in facts.warnings
    bad = finance.budget_total_iri("Alfadorp", 2022)
    assert value(facts, bad, KB.consistent).toPython() is False
    assert value(facts, bad, KB.computedSum).toPython() == Decimal(900000)
    good = finance.budget_total_iri("Alfadorp", 2021)
    assert value(facts, good, KB.consistent).toPython() is True
    # Three products of Alfadorp and one of Betastad in two years, less the "-" (not stated).
    assert len(subjects(facts, KB.BudgetLine)) == (3 + 1) * 2 - 1
    assert finance.budget_line_iri("Alfadorp", "Specialistische hulp (ZiN)", 2022) not in {
        s for s, _, _ in facts.graph.triples((None, RDF.type, None))
    }
    # The subregion sums the *stated* municipality totals: 999.000 + 500.000 = 1.499.000, stated
    # 1.400.000 — an independent second problem; 2021 (3.400.000 + 500.000) agrees.
    sub = finance.budget_total_iri("Zuidhoek", 2022)
    assert value(facts, sub, KB.subregion) == regions.subregion_iri("Zuidhoek")
    assert value(facts, sub, KB.computedSum).toPython() == Decimal(1499000)
    assert value(facts, sub, KB.consistent).toPython() is False
    sub_2021 = finance.budget_total_iri("Zuidhoek", 2021)
    assert value(facts, sub_2021, KB.consistent).toPython() is True
    assert finance.budget_problems(facts) == [
        message,
        "Begrotingstotaal Zuidhoek 2022: vermeld € 1.400.000, som van de posten € 1.499.000 "
        "(verschil € -99.000)",
    ]


def test_repeated_total_with_other_amounts_is_reported() -> None:
    rows = [*TINY, ("Zuidhoek", "Totale beschikbare budget", "3.900.000", "1.500.000")]
    facts = FactGraph()
    finance.extract([make_doc(budget_table(rows))], facts)
    assert any("Zuidhoek 2022: tweemaal vermeld" in w for w in facts.warnings)
    # Written once, from its first row.
    assert len(subjects(facts, KB.BudgetTotal)) == 3 * 2


def test_invented_table_without_curated_municipalities_warns() -> None:
    doc = make_doc(budget_table(TINY))
    facts = FactGraph()
    finance.extract([doc], facts)
    assert any("'Alfadorp' is not in kb/curated/regions.yaml" in w for w in facts.warnings)
    m = regions.municipality_iri("Alfadorp")
    assert (m, RDF.type, KB.Municipality) in facts.graph
    assert value(facts, m, PROV.wasDerivedFrom) is not None


def test_missing_framework_is_a_warning() -> None:
    doc = make_doc(
        [Block("heading", "1. Inleiding", level=1, number="1"), Block("paragraph", "Tekst.")]
    )
    facts = FactGraph()
    finance.extract([doc], facts)
    assert not subjects(facts, KB.BudgetLine)
    assert any("no budget table" in w for w in facts.warnings)


def test_tables_are_read_in_any_document_type() -> None:
    """Structure-driven: a memo with a budget table and a glossary gives their facts; a memo
    without them gives no warning (only a plan is expected to have them)."""
    doc = make_doc([*budget_table(TINY), *glossary_doc_blocks()], doc_type="memo")
    facts = FactGraph()
    finance.extract([doc], facts)
    glossary.extract([doc], facts)
    assert len(subjects(facts, KB.BudgetLine)) == (3 + 1) * 2 - 1
    assert (concept_iri("begrippenkader", "ciz"), RDF.type, SKOS.Concept) in facts.graph
    empty = FactGraph()
    plain = make_doc([Block("paragraph", "Tekst.")], doc_type="memo")
    finance.extract([plain], empty)
    glossary.extract([plain], empty)
    assert not empty.warnings


REGION_TABLE = [
    ("Onderdeel", "2025", "2026"),
    ("Ambulante jeugdhulp", "41.200", "42.000"),
    ("Pleegzorg", "-", "3.100"),
    ("Totaal", "41.200", "45.100"),
]


def test_a_region_budget_table_by_shape_with_the_unit_before_it() -> None:
    """One label column: lines of the document's region; "x € 1.000" in the paragraph above."""
    doc = make_doc(
        [
            Block("heading", "5 Geld", level=1, number="5"),
            Block("paragraph", "Het budget per jaar (bedragen x € 1.000):"),
            Block(
                "table",
                "\n".join("\t".join(r) for r in REGION_TABLE),
                rows=tuple(REGION_TABLE),
            ),
        ],
        doc_type="raadsinformatiebrief",
    )
    facts = FactGraph()
    finance.extract([doc], facts)
    g = facts.graph
    amounts = {
        (str(g.value(s, KB.product)), int(g.value(s, KB.year))): g.value(s, SCHEMA.value).toPython()
        for s in subjects(facts, KB.BudgetLine)
    }
    assert amounts == {
        ("Ambulante jeugdhulp", 2025): Decimal(41200000),
        ("Ambulante jeugdhulp", 2026): Decimal(42000000),
        ("Pleegzorg", 2026): Decimal(3100000),  # 2025 "-" is not stated
    }
    totals = {int(g.value(s, KB.year)): s for s in subjects(facts, KB.BudgetTotal)}
    assert g.value(totals[2026], KB.consistent).toPython() is True
    assert g.value(totals[2025], KB.computedSum).toPython() == Decimal(41200000)
    for s in subjects(facts, KB.BudgetLine) | subjects(facts, KB.BudgetTotal):
        assert g.value(s, KB.region) is not None
        assert g.value(s, KB.quote) is not None
    assert not facts.warnings


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("5.802.000", Decimal(5802000)),
        ("-1.312.000", Decimal(-1312000)),
        ("– 411.000", Decimal(-411000)),
        ("(1.000)", Decimal(-1000)),
        ("€ 12", Decimal(12)),
        ("1.234,50", Decimal("1234.50")),
        ("-", None),  # not stated: no amount, and not 0
        ("n.v.t.", None),
        ("12.34", None),
    ],
)
def test_parse_amount(cell: str, expected: Decimal | None) -> None:
    assert finance.parse_amount(cell) == expected


def test_format_euro() -> None:
    assert finance.format_euro(Decimal(-1312000)) == "-1.312.000"
    assert finance.format_euro(Decimal("1234.5")) == "1.234,50"


# --- glossary: rules and the abbreviation scheme ----------------------------------------------


def test_labels_rules() -> None:
    assert glossary.labels("JGT", "Jeugd- en Gezinsteam") == ("Jeugd- en Gezinsteam", ["JGT"])
    assert glossary.labels("Jeugd- en Gezinsteam (JGT)", "Het team.") == (
        "Jeugd- en Gezinsteam",
        ["JGT"],
    )
    # A long or multi-sentence definition is not an expansion.
    assert glossary.labels("GI", "Een instelling. Die uitvoert.") == ("GI", [])
    assert glossary.labels("Triage", "Triage heeft als doel.") == ("Triage", [])


def glossary_doc_blocks() -> list[Block]:
    rows = [
        ("Begrip", "Omschrijving"),
        ("CIZ", "Centrum Indicatiestelling Zorg"),
        ("Respijtzorg", "Tijdelijk vervangende"),
        ("", "zorg."),  # a continuation row
    ]
    return [
        Block("heading", "7. Begrippenkader", level=1, number="7"),
        Block("table", "\n".join("\t".join(r) for r in rows), rows=tuple(rows)),
    ]


def glossary_doc() -> Document:
    return make_doc(glossary_doc_blocks())


def table(rows: list[tuple[str, ...]]) -> Block:
    return Block("table", "\n".join("\t".join(r) for r in rows), rows=tuple(rows))


def test_glossary_tables_by_shape_anywhere() -> None:
    terms = [
        ("Term", "Definitie"),
        ("Lumpsum", "Een vast bedrag voor een afgesproken taak."),
        ("Hoofdaannemer", "De aanbieder die de hulp regelt en onderaannemers inzet."),
    ]
    key_values = [("Kenmerk", "RIB 2025-014"), ("Datum", "21 januari 2025"), ("Aan", "De raad")]
    planning = [("Stap", "Wanneer"), ("Publicatie", "maart 2025"), ("Gunning", "juni 2025")]
    doc = make_doc(
        [Block("heading", "Bijlage", level=1), table(key_values), table(planning), table(terms)],
        doc_type="raadsinformatiebrief",
    )
    facts = FactGraph()
    glossary.extract([doc], facts)
    found = {str(value(facts, c, SKOS.prefLabel)) for c in subjects(facts, SKOS.Concept)}
    assert found == {"Lumpsum", "Hoofdaannemer"}
    assert glossary.is_glossary_shape(tuple(terms))
    assert not glossary.is_glossary_shape(tuple(key_values))
    assert not glossary.is_glossary_shape(tuple(planning))


def test_a_term_two_documents_define_keeps_one_definition_each() -> None:
    first, second = glossary_doc(), glossary_doc()
    second.id = "kader"
    facts = FactGraph()
    glossary.extract([first, second], facts)
    ciz = [c for c in subjects(facts, SKOS.Concept) if "ciz" in str(c)]
    assert len(ciz) == 2
    for concept in ciz:
        assert len(list(facts.graph.objects(concept, SKOS.definition))) == 1


def test_continuation_row_and_close_match(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ttl = tmp_path / "abbreviations.ttl"
    ttl.write_text(
        f"<{concept_iri('afkortingen', 'ciz')}> a <{SKOS.Concept}> .\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(glossary, "ABBREVIATIONS_FILE", ttl)
    facts = FactGraph()
    glossary.extract([glossary_doc()], facts)
    assert not facts.warnings
    ciz = concept_iri("begrippenkader", "ciz")
    assert value(facts, ciz, SKOS.closeMatch) == concept_iri("afkortingen", "ciz")
    respijt = concept_iri("begrippenkader", "respijtzorg")
    assert value(facts, respijt, SKOS.definition) == Literal(
        "Tijdelijk vervangende zorg.", lang="nl"
    )


def test_no_close_match_without_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glossary, "ABBREVIATIONS_FILE", tmp_path / "missing.ttl")
    facts = FactGraph()
    glossary.extract([glossary_doc()], facts)
    assert not list(facts.graph.triples((None, SKOS.closeMatch, None)))


def test_missing_glossary_is_a_warning() -> None:
    facts = FactGraph()
    glossary.extract([make_doc([Block("paragraph", "Geen begrippen.")])], facts)
    assert any("no section 'Begrippenkader'" in w for w in facts.warnings)
