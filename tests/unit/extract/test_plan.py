"""The purchasing-plan extractor (kb.extract.plan) on invented plans: the parsing helpers and the
rules the real plan does not exercise (the real plan is in tests/acceptance/test_extract_plan.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from kb.extract import plan
from kb.extract.common import FactGraph, entity_iri
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB

# ---------------------------------------------------------------------------------------------
# helpers and rules the real plan does not exercise


def value(facts: FactGraph, s: Any, p: URIRef) -> Any:
    v = facts.graph.value(s, p)
    return None if v is None else v.toPython()


def test_age_range() -> None:
    assert plan.age_range("Jeugdigen met een beperking (0-8 jaar)") == (0, 8)
    assert plan.age_range("Jongeren en jongvolwassenen 13-19+ jaar:") == (13, None)
    assert plan.age_range("jeugdigen tot 18 jaar") == (None, 18)
    assert plan.age_range("jeugdigen vanaf 12 jaar") == (12, None)
    assert plan.age_range("ingrijpen binnen 24 tot 48 uur") is None


def test_contract_duration() -> None:
    assert plan.contract_duration("Een langdurig contract (7 -10 jaar)") == (7, 10)
    assert plan.contract_duration("Langdurig minimaal 5 maximaal 7 jaar") == (5, 7)
    assert plan.contract_duration("contracten voor de duur van 4 jaar") == (4, 4)
    assert plan.contract_duration("3 jaar met opties tot verlenging") == (3, 3)
    assert plan.contract_duration("contracten van 2+2 jaar") == (2, 4)
    assert plan.contract_duration("looptijd 3+2+2") == (3, 7)
    assert plan.contract_duration("hulp tot de jeugdige 18 jaar is") is None


def test_milestone_date() -> None:
    assert plan.milestone_date("Januari: voorstel bespreken", "2021") == (2021, 1, None)
    assert plan.milestone_date("Uiterlijk 1 juli: aankondigen", "2021") == (2021, 7, 1)
    assert plan.milestone_date("1 juli- 31 december 2021: implementatie", "") == (2021, 7, 1)
    assert plan.milestone_date("Voor 1 juli 2020 een besluit laten nemen", "2021") == (2020, 7, 1)
    assert plan.milestone_date("Voorbereiding inkoopproces.", "2020") == (2020, None, None)
    assert plan.milestone_date("Op basis van de kamerbrief maart 2020", "") == (None, None, None)


def test_milestone_end_of_a_period() -> None:
    end = plan.milestone_end
    assert end("1 juli- 31 december 2021: implementatie", "") == (2021, 12, 31)
    assert end("Juli - september: gesprekken", "2022") == (2022, 9, None)
    assert end("November 2024 – februari 2025: aanbesteding", "") == (2025, 2, None)
    # A single date or month is not a period.
    assert end("Uiterlijk 1 juli: aankondigen", "2021") is None
    assert end("Januari: voorstel bespreken", "2021") is None


def test_stakeholder_label() -> None:
    label = plan.stakeholder_label
    assert label("Bazalt (revalidatie, verwijzer)") == "Bazalt"
    assert label("De gemeente: schuldhulpverlening, huisvesting.") == "De gemeente"
    assert label("Samenwerkingsverbanden PO en VO en MBO om afspraken te maken") == (
        "Samenwerkingsverbanden PO en VO en MBO"
    )
    assert label("De zorgverzekeraar in verband met de relatie") == "De zorgverzekeraar"
    assert (
        label("De (jeugdhulp)aanbieders en organisaties.")
        == "De (jeugdhulp)aanbieders en organisaties"
    )
    assert (
        label("de jeugdhulpregio’s H10, Midden Holland")
        == "De jeugdhulpregio’s H10, Midden Holland"
    )


def make_plan(blocks: list[Block], doc_type: str = "inkoopplan") -> Document:
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


def h(text: str, level: int = 2, number: str = "") -> Block:
    return Block("heading", text, level=level, number=number)


def li(text: str) -> Block:
    return Block("list_item", text)


def p(text: str) -> Block:
    return Block("paragraph", text)


def test_synthetic_plan_rules() -> None:
    doc = make_plan([
        h("1 Segmenten", level=1, number="1"),
        h("1.1 Segment 1: Wonen", number="1.1"),
        h("Stakeholders", level=3), li("Jeugdhulpaanbieders"), li("GI’s"),
        h("Contractvorm", level=3), p("Contract voor de duur van 4 jaar"),
        h("Onderzoeksvragen", level=3),
        li("Welke afspraken maken we met:"), li("aanbieders;"), li("scholen."), li("Wat kost het?"),
        h("1.2 SEGMENT 2: CRISIS", number="1.2"),
        h("Stakeholders", level=3), li("Jeugdhulpaanbieders (alle)"),
        h("Raakvlak met andere segmenten", level=3), li("Wonen: doorstroom na een crisis."),
    ])  # fmt: skip
    facts = FactGraph()
    plan.extract([doc, make_plan([p("Geen plan")], doc_type="memo")], facts)
    g: Any = facts.graph
    wonen, crisis = (
        entity_iri("segment", "Testregio", "wonen"),
        entity_iri("segment", "Testregio", "crisis"),
    )
    assert str(g.value(crisis, RDFS.label)) == "Crisis"
    shared = entity_iri("stakeholder", "Jeugdhulpaanbieders")
    assert set(g.subjects(KB.hasStakeholder, shared)) == {wonen, crisis}
    contract = g.value(wonen, KB.hasContractForm)
    assert (
        value(facts, contract, KB.minDurationYears),
        value(facts, contract, KB.maxDurationYears),
    ) == (4, 4)
    questions = sorted(
        g.objects(wonen, KB.hasResearchQuestion), key=lambda i: int(g.value(i, KB.ordinal))
    )
    assert [len(list(g.objects(q, KB.subItem))) for q in questions] == [2, 0]
    relation = g.value(crisis, KB.hasSegmentRelation)
    assert g.value(relation, KB.toSegment) == wonen
    # The general profile names no care-form tables: none looked for, no warning.
    assert facts.warnings == []


def test_plan_without_segments_warns() -> None:
    facts = FactGraph()
    plan.extract([make_plan([h("1 Inleiding", level=1, number="1"), p("Tekst.")])], facts)
    assert any("no sections that describe a segment" in w for w in facts.warnings)
    assert not list(facts.graph.subjects(RDF.type, KB.Segment))


def test_stakeholder_variants_merge_and_conjunctions_split() -> None:
    doc = make_plan([
        h("1 Percelen", level=1, number="1"),
        h("1.1 Perceel 1: Wonen", number="1.1"),
        h("Stakeholders", level=3), li("De wijkteams"), li("GI"), li("Ouders en jeugdigen"),
        h("1.2 Perceel 2: Crisis", number="1.2"),
        h("Stakeholders", level=3), li("GI’s (voor de maatregelen)"), li("Wijkteams en GI"),
    ])  # fmt: skip
    facts = FactGraph()
    plan.extract([doc], facts)
    g: Any = facts.graph
    labels = sorted(str(g.value(s, RDFS.label)) for s in g.subjects(RDF.type, KB.Stakeholder))
    assert labels == ["De wijkteams", "GI", "Ouders en jeugdigen"]
    gi = entity_iri("stakeholder", "GI")
    assert {str(a) for a in g.objects(gi, SKOS.altLabel)} == {"GI’s"}
    assert set(g.subjects(KB.hasStakeholder, gi)) == {
        entity_iri("segment", "Testregio", "wonen"),
        entity_iri("segment", "Testregio", "crisis"),
    }
    assert plan.stakeholder_key("De GI’s") == plan.stakeholder_key("gi") == "gi"
