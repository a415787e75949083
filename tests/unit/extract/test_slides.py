"""The slide-deck extractor (kb.extract.slides) on invented decks (the real deck is in
tests/acceptance/test_extract_slides.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from rdflib import RDF

from kb.extract import slides
from kb.extract.common import FactGraph, entity_iri
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB

# --------------------------------------------------------------------------------------------
# unit: invented decks


def texts(facts: FactGraph, iris: list[Any]) -> list[str]:
    return [str(facts.graph.value(i, KB.text)) for i in iris]


def ymd(facts: FactGraph, iri: Any) -> tuple[int, int, int | None]:
    g: Any = facts.graph
    day = g.value(iri, KB.day)
    return int(g.value(iri, KB.year)), int(g.value(iri, KB.month)), int(day) if day else None


def make_deck(blocks: list[Block], region: str = "Testregio") -> Document:
    doc = Document(
        id="deck",
        path=Path("deck.txt"),
        fmt="txt",
        meta=SourceMeta(
            file="deck.txt",
            title="Deck",
            doc_type="presentatie",
            region=region,
            date=date(2020, 7, 9),
        ),
        text="",
        content_hash="0",
    )
    build_document(doc, blocks)
    return doc


def h(text: str, level: int = 1) -> Block:
    return Block("heading", text, level=level)


def li(text: str, level: int = 0) -> Block:
    return Block("list_item", text, level=level)


SEGMENT_SLIDES = [
    h("Wat houdt het segment in?"),
    h("Doelgroep"),
    Block("paragraph", "Jeugdigen met een vraag."),
    h("Gemaakte keuzes"),
    h("Bekostiging"),
    li("Perceel regionaal"),
    li("Lumpsum per aanbieder", 1),
    li("Populatiebekostiging in de kern", 1),
    h("Contract"),
    li("Meerjarig"),
    h("Proces en planning"),
    li("Start in maart"),
    li("Daarna evalueren"),
]


def test_reader_fixed_shapes_real_table_and_nested_bullets() -> None:
    """A proper table block and level-1 sub-bullets (what a fixed reader delivers) work too."""
    rows = (
        ("Planning implementatieplan", "", "", ""),
        ("Wat/Wanneer (gereed)", "nov", "dec", "Jan-21"),
        ("Besluit", "", "medio jan (dec)", ""),
        ("Start", "", "", "01-01-21"),
        ("(..) vorige planning", "", "", ""),
    )
    blocks = [
        h("Programma"),
        li("Per segment"),
        li("Jeugd A", 1),
        h("Planning fase 3"),
        Block("table", "\n".join("\t".join(r) for r in rows), rows=rows),
        *SEGMENT_SLIDES,
        h("Afsluiting"),
        li("Vragen?"),
    ]
    doc = make_deck(blocks)
    facts = FactGraph()
    slides.extract([doc], facts)
    g: Any = facts.graph
    # Only the (absent) decisions slide is reported.
    assert facts.warnings == ["slides deck.txt: no slide 'Wat is tot nu toe besloten?'"]
    planned = sorted(
        (m for m in g.subjects(RDF.type, KB.Milestone) if g.value(m, KB.inDocument)),
        key=lambda m: int(g.value(m, KB.ordinal)),
    )
    assert [ymd(facts, m) for m in planned] == [(2021, 1, None), (2021, 1, 1)]
    assert str(g.value(planned[0], KB.quote)) == "Besluit |  | medio jan (dec) | "
    seg = entity_iri("segment", "testregio", "jeugd-a")
    choices = sorted(
        g.objects(seg, KB.hasInstrumentChoice), key=lambda c: int(g.value(c, KB.ordinal))
    )
    assert len(choices) == 2
    assert {str(c).rsplit("/", 1)[1] for c in g.objects(choices[0], KB.usesFundingConcept)} == {
        "lumpsum",
        "populatiebekostiging",
    }
    milestones = list(g.objects(seg, KB.hasMilestone))
    assert [ymd(facts, m) for m in milestones] == [(2021, 3, None)]  # maart < juli → next year
    # The closing slide is not part of the segment.
    assert not any("Vragen" in t for t in texts(facts, list(g.objects(seg, KB.hasLandscapeItem))))


def test_subsegment_table_as_a_real_table_block() -> None:
    """The Dagbesteding table as a fixed reader would give it: a table block on the slide."""
    rows = (
        ("Leeftijdscategorie", "Subsegment"),
        ("Het jonge kind", "Ernstige meervoudige beperking (0-6 jaar)"),
        ("", "Kinderen met opgroeiproblematiek (2-5 jaar)"),
    )
    blocks = [
        h("Programma"),
        li("Per segment"),
        li("Jeugd A", 1),
        h("Wat houdt het segment in?"),
        li("Hoofddoelgroep: jeugdigen die niet naar school gaan."),
        li("Onderverdeling binnen dit segment:"),
        Block("table", "\n".join("\t".join(r) for r in rows), rows=rows),
        *SEGMENT_SLIDES[3:],
    ]
    facts = FactGraph()
    slides.extract([make_deck(blocks)], facts)
    seg = entity_iri("segment", "testregio", "jeugd-a")
    g: Any = facts.graph
    landscape = sorted(
        g.objects(seg, KB.hasLandscapeItem), key=lambda i: int(g.value(i, KB.ordinal))
    )
    assert texts(facts, landscape) == [
        "Het jonge kind: Ernstige meervoudige beperking (0-6 jaar)",
        "Het jonge kind: Kinderen met opgroeiproblematiek (2-5 jaar)",
    ]
    assert str(g.value(landscape[1], KB.quote)) == " | Kinderen met opgroeiproblematiek (2-5 jaar)"
    assert len(list(g.objects(seg, KB.hasTargetGroup))) == 1  # the lead-in is not an item


def test_segment_count_mismatch_writes_no_segments() -> None:
    blocks = [
        h("Programma"),
        li("Per segment"),
        li("Jeugd A", 1),
        li("Jeugd B", 1),
        *SEGMENT_SLIDES,
    ]
    facts = FactGraph()
    slides.extract([make_deck(blocks)], facts)
    assert not list(facts.graph.subjects(RDF.type, KB.Segment))
    assert any("names 2 segments" in w and "1 segment parts" in w for w in facts.warnings)


def test_deck_without_the_structure_only_warns() -> None:
    facts = FactGraph()
    slides.extract([make_deck([h("Welkom"), li("Koffie")])], facts)
    assert len(facts.warnings) == 3  # decisions, planning table, Programma
    assert not list(facts.graph.subjects(RDF.type, KB.Segment))
    assert not list(facts.graph.subjects(RDF.type, KB.Decision))


def test_funding_concept_patterns() -> None:
    assert slides.funding_concepts("Vertrekpunt, na bestuurlijk traject uitgewerkt") == []
    assert slides.funding_concepts("Trajecten of plekken") == ["outputgericht"]
    assert slides.funding_concepts("PxQ met budgetplafonds") == [
        "inspanningsgericht",
        "budgetplafond",
    ]
    assert slides.funding_concepts("lump sum, taakgerichte financiering") == [
        "lumpsum",
        "taakgericht",
    ]
