"""The slide-deck extractor (kb.extract.slides).

The acceptance part runs on the real Noord-Limburg deck. Every expected count was made BY HAND from
``kb/corpus/2020-07-09_noord-limburg_aanbiederssessie-jeugd-fase-3.txt``; the comments name the
source lines, so a changed count can be checked against the file. Small invented decks in
``tests/unit/extract/test_slides.py`` pin the rules the real deck does not exercise (real table
blocks, properly nested sub-bullets, a segment count that does not match the Programma).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from kb.extract import slides
from kb.extract.common import FactGraph, concept_iri, doc_iri, entity_iri, passage_iri
from kb.extract.documents import region_iri
from kb.ingest.model import Document
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB
from kb.settings import BUNDLED_CORPUS

CORPUS = BUNDLED_CORPUS
DECK = "2020-07-09_noord-limburg_aanbiederssessie-jeugd-fase-3.txt"
SEGMENTS = ("behandeling-met-verblijf", "wonen", "dagbesteding-dagbehandeling", "ambulant")


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return ingest([CORPUS]).documents


@pytest.fixture(scope="module")
def deck(corpus: list[Document]) -> Document:
    return next(d for d in corpus if d.path.name == DECK)


@pytest.fixture(scope="module")
def facts(corpus: list[Document]) -> FactGraph:
    result = FactGraph()
    slides.extract(corpus, result)
    return result


def seg_iri(slug: str) -> URIRef:
    return entity_iri("segment", "noord-limburg", slug)


def items(facts: FactGraph, slug: str, prop: URIRef) -> list[Any]:
    """The items a segment links with ``prop``, in their kb:ordinal order."""
    g: Any = facts.graph
    return sorted(g.objects(seg_iri(slug), prop), key=lambda i: int(g.value(i, KB.ordinal)))


def texts(facts: FactGraph, iris: list[Any]) -> list[str]:
    return [str(facts.graph.value(i, KB.text)) for i in iris]


def ymd(facts: FactGraph, iri: Any) -> tuple[int, int, int | None]:
    g: Any = facts.graph
    day = g.value(iri, KB.day)
    return int(g.value(iri, KB.year)), int(g.value(iri, KB.month)), int(day) if day else None


# --------------------------------------------------------------------------------------------
# acceptance: the real deck


def test_no_warnings_on_the_real_deck(facts: FactGraph) -> None:
    assert facts.warnings == []


def test_region_and_document(facts: FactGraph, deck: Document) -> None:
    g: Any = facts.graph
    region = region_iri("Noord-Limburg")
    assert (region, RDF.type, KB.Region) in g
    assert (region, RDFS.label, Literal("Noord-Limburg", lang="nl")) in g
    assert (doc_iri(deck.id), KB.aboutRegion, region) in g


def test_four_segments_in_programma_order(facts: FactGraph, deck: Document) -> None:
    # Programma slide, lines 23-27: "Per segment" with four sub-bullets in this order.
    g: Any = facts.graph
    segments = set(g.subjects(RDF.type, KB.Segment))
    assert segments == {seg_iri(s) for s in SEGMENTS}
    labels = ["Behandeling met verblijf", "Wonen", "Dagbesteding/dagbehandeling", "Ambulant"]
    for number, (slug, label) in enumerate(zip(SEGMENTS, labels, strict=True), 1):
        s = seg_iri(slug)
        assert g.value(s, RDFS.label) == Literal(label, lang="nl")
        assert str(g.value(s, KB.slug)) == slug
        assert int(g.value(s, KB.segmentNumber)) == number
        assert g.value(s, KB.inPlan) == doc_iri(deck.id)
        assert g.value(s, KB.ofRegion) == region_iri("Noord-Limburg")
        assert str(g.value(s, KB.quote)) == label  # cites its Programma bullet


def test_decisions(facts: FactGraph, deck: Document) -> None:
    # Lines 43-51: five top-level bullets; lines 47-48 and 50-51 are sub-bullets.
    g: Any = facts.graph
    decisions = sorted(g.subjects(RDF.type, KB.Decision), key=lambda d: int(g.value(d, KB.ordinal)))
    assert len(decisions) == 5
    assert str(g.value(decisions[2], KB.text)) == "Aanbesteding in plaats van Open House"
    percelen = decisions[3]
    assert {str(o) for o in g.objects(percelen, KB.subItem)} == {
        "Perceel lokaal",
        "Perceel regionaal",
    }
    assert (
        str(g.value(percelen, KB.text))
        == "Twee percelen waar passend: Perceel lokaal; Perceel regionaal"
    )
    for d in decisions:
        assert g.value(d, KB.aboutRegion) == region_iri("Noord-Limburg")
        assert g.value(d, KB.inDocument) == doc_iri(deck.id)


def test_planning_table_milestones(facts: FactGraph, deck: Document) -> None:
    # Table lines 56-66: header (56), nine rows with a date (57-65), legend "(..) vorige planning"
    # (66) without one. Dates by hand: the value outside brackets is the new planning.
    g: Any = facts.graph
    planned = [
        m
        for m in g.subjects(RDF.type, KB.Milestone)
        if g.value(m, KB.inDocument) == doc_iri(deck.id)
    ]
    planned.sort(key=lambda m: int(g.value(m, KB.ordinal)))
    expected = [
        ("Sturingselementen/ambtelijk gereed", (2020, 6, 2)),  # line 57: 2/6 (1/6)
        ("instemming pho", (2020, 7, 15)),  # line 58: 2/7&15/7 → ready on the last date
        ("Productbeschrijvingen", (2020, 10, 1)),  # line 59: 1/10 in the sept column
        ("Kostprijsonderzoek", (2020, 12, 15)),  # line 60: start 1/10 … 15/12 gereed
        ("inkoopdocumenten in concept", (2020, 12, 1)),  # line 61: 1/12
        ("besluitvorming kostprijs", (2021, 1, None)),  # line 62: medio jan in the dec column
        ("Publicatie aanbestedingsdocumenten", (2021, 2, 1)),  # line 63: 1/2/2021
        ("Gunning en voorbereiding implementatie", (2021, 7, 1)),  # line 64: 01-07-21
        ("Start contract", (2022, 1, 1)),  # line 65: 01-01-22
    ]
    assert len(planned) == len(expected) == 9
    for m, (label, when) in zip(planned, expected, strict=True):
        assert str(g.value(m, KB.text)).startswith(label)
        assert ymd(facts, m) == when
    start = planned[-1]
    assert str(g.value(start, RDFS.label)) == "Start contract"
    assert date(*ymd(facts, start)) == date(2022, 1, 1)  # type: ignore[arg-type]
    # The previous planning stays in the text only.
    assert str(g.value(planned[0], KB.text)) == (
        "Sturingselementen/ambtelijk gereed: 2/6 gereed (vorige planning: 1/6)"
    )


def test_instrument_choices_per_segment(facts: FactGraph) -> None:
    # Top-level bullets under Bekostiging / Contract / Leveranciersmanagement / Toegangsmanagement:
    expected = {
        # lines 97 | 101-103 | 107-109 | 113-115
        "behandeling-met-verblijf": {"bekostigingsmodel": 1, "contractvorm": 3,
                                     "leveranciersmanagement": 3, "toegangsmanagement": 3},
        # lines 158-160 | 164-168 | 172-173 | 177-178
        "wonen": {"bekostigingsmodel": 3, "contractvorm": 5,
                  "leveranciersmanagement": 2, "toegangsmanagement": 2},
        # lines 224-227 | 236-238 | 231-232 | 242-243
        "dagbesteding-dagbehandeling": {"bekostigingsmodel": 4, "contractvorm": 3,
                                        "leveranciersmanagement": 2, "toegangsmanagement": 2},
        # lines 279-284 ("Perceel lokaal"/"Perceel regionaal" each with two sub-bullets) |
        # 295-297 | 288-291 (two Perceel groups) | 301-303
        "ambulant": {"bekostigingsmodel": 2, "contractvorm": 3,
                     "leveranciersmanagement": 2, "toegangsmanagement": 3},
    }  # fmt: skip
    g: Any = facts.graph
    for slug, per_instrument in expected.items():
        choices = items(facts, slug, KB.hasInstrumentChoice)
        counted: dict[str, int] = {}
        for c in choices:
            assert (c, RDF.type, KB.InstrumentChoice) in g
            instrument = str(g.value(c, KB.instrument)).rsplit("/", 1)[1]
            assert g.value(c, KB.instrument) == concept_iri("inkoopinstrumenten", instrument)
            counted[instrument] = counted.get(instrument, 0) + 1
        assert counted == per_instrument, slug
        assert len(choices) == sum(per_instrument.values())
    assert [len(items(facts, s, KB.hasInstrumentChoice)) for s in SEGMENTS] == [10, 12, 11, 10]


def test_ambulant_percelen_keep_their_sub_bullets(facts: FactGraph) -> None:
    # Lines 279-284: the reader puts " - Aanbieders …" at the parent's level; the group rule
    # puts them back under "Perceel lokaal".
    g: Any = facts.graph
    first = items(facts, "ambulant", KB.hasInstrumentChoice)[0]
    assert str(g.value(first, RDFS.label)) == "Perceel lokaal"
    assert {str(s) for s in g.objects(first, KB.subItem)} == {
        "Aanbieders selecteren obv strenge kwaliteitseisen",
        "Trajecten",
    }


def test_funding_concepts(facts: FactGraph) -> None:
    g: Any = facts.graph

    def concepts(slug: str, n: int) -> set[str]:
        choice = entity_iri("instrument-choice", "noord-limburg", slug, str(n))
        return {str(c).rsplit("/", 1)[1] for c in g.objects(choice, KB.usesFundingConcept)}

    # line 97: "gemiddelde kosten per cliënt … bestuurlijk traject" names no funding form
    assert concepts("behandeling-met-verblijf", 1) == set()
    assert concepts("wonen", 1) == {"inspanningsgericht"}  # line 158: prijs per eenheid (dag)
    assert concepts("wonen", 2) == set()  # line 159
    assert concepts("dagbesteding-dagbehandeling", 1) == {"outputgericht"}  # line 224: trajecten
    assert concepts("dagbesteding-dagbehandeling", 2) == {"inspanningsgericht", "budgetplafond"}
    assert concepts("dagbesteding-dagbehandeling", 3) == {"inspanningsgericht"}  # line 226
    assert concepts("ambulant", 1) == {"outputgericht"}  # lines 279-281: Trajecten
    assert concepts("ambulant", 2) == {"outputgericht"}  # lines 282-284: Trajecten of plekken
    # Only funding choices get funding concepts.
    for c in g.subjects(KB.usesFundingConcept, None):
        assert g.value(c, KB.instrument) == concept_iri("inkoopinstrumenten", "bekostigingsmodel")


def test_research_questions(facts: FactGraph) -> None:
    counts = [len(items(facts, s, KB.hasResearchQuestion)) for s in SEGMENTS]
    # 119-124 = 6 | 182-186 = 5 | 247-250 + one for the partner list 252-256 = 5 |
    # 309-313 + 319-322 = 9 ("Enz." on line 323 is not a question)
    assert counts == [6, 5, 5, 9]
    partners = items(facts, "dagbesteding-dagbehandeling", KB.hasResearchQuestion)[-1]
    assert texts(facts, [partners]) == [
        "Afspraken maken met de volgende partners: Verwijzers (gemeente en extern); "
        "Onderwijs en kinderopvang; Zorgkantoor/CIZ over aanhaken Wlz"
    ]
    ambulant = texts(facts, items(facts, "ambulant", KB.hasResearchQuestion))
    assert "Hoe halveren we wachtlijsten?" in ambulant and "Enz." not in ambulant


def test_target_groups_landscape_and_potential(facts: FactGraph) -> None:
    # Doelgroep: line 72 | line 138 | the Hoofddoelgroep bullet line 198 | none on 265-273
    assert [len(items(facts, s, KB.hasTargetGroup)) for s in SEGMENTS] == [1, 1, 1, 0]
    # Landscape: Huidige aanbod 76-79 | Afbakening 142 | the six table rows 202-207 |
    # the seven bullets of "Wat houdt het segment in?" 267-273
    assert [len(items(facts, s, KB.hasLandscapeItem)) for s in SEGMENTS] == [4, 1, 6, 7]
    rows = texts(facts, items(facts, "dagbesteding-dagbehandeling", KB.hasLandscapeItem))
    assert rows[1] == "Het jonge kind: Kinderen met opgroeiproblematiek (2-5 jaar)"  # line 203
    # Ontwikkelpotentieel: 85-91 | paragraph 148 + bullets 150-152 | 213-218 | none (the
    # "Ontwikkelpotentieel" of Ambulant, 317, sits on a "Belangrijkste vraagstukken" slide)
    assert [len(items(facts, s, KB.hasDevelopmentPotential)) for s in SEGMENTS] == [7, 4, 6, 0]


def test_process_milestones_only_where_a_date_is_stated(facts: FactGraph) -> None:
    # Lines 128-129 (16 juli; eind september) | 190-194 none | 260 (15 juli; "in 2021" on 262
    # names no month) | 327-332 none
    assert [len(items(facts, s, KB.hasMilestone)) for s in SEGMENTS] == [2, 0, 1, 0]
    bmv = items(facts, "behandeling-met-verblijf", KB.hasMilestone)
    assert [ymd(facts, m) for m in bmv] == [(2020, 7, 16), (2020, 9, None)]
    dag = items(facts, "dagbesteding-dagbehandeling", KB.hasMilestone)
    assert [ymd(facts, m) for m in dag] == [(2020, 7, 15)]


def test_every_quote_occurs_in_the_passage_it_derives_from(
    facts: FactGraph, deck: Document
) -> None:
    g: Any = facts.graph
    passages = {passage_iri(p.id): p for p in deck.passages}
    quoted = list(g.subjects(KB.quote, None))
    assert len(quoted) > 100
    for fact in quoted:
        quote = str(g.value(fact, KB.quote))
        passage = passages[g.value(fact, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))]
        start, end = int(g.value(fact, KB.startOffset)), int(g.value(fact, KB.endOffset))
        assert deck.text[start:end] == quote, fact
        assert quote in passage.text, fact
        assert passage.start <= start and end <= passage.end, fact


def test_every_item_belongs_to_a_segment_or_the_document(facts: FactGraph, deck: Document) -> None:
    g: Any = facts.graph
    segment_items = {o for s in g.subjects(RDF.type, KB.Segment) for _, o in g.predicate_objects(s)}
    for fact in g.subjects(KB.text, None):
        assert fact in segment_items or g.value(fact, KB.inDocument) == doc_iri(deck.id), fact


def test_other_document_types_are_ignored(corpus: list[Document]) -> None:
    facts = FactGraph()
    slides.extract([d for d in corpus if d.meta.doc_type != "presentatie"], facts)
    assert len(facts.graph) == 0 and facts.warnings == []
