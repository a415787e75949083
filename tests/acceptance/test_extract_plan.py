"""The purchasing-plan extractor (kb.extract.plan).

The acceptance part runs on the real Holland Rijnland plan. Every expected count was made BY HAND
from ``kb/corpus/2020_holland-rijnland_inkoopplan-jeugdhulp-leidse-regio-duin-en-bollenstreek.txt``
(bullets are the lines starting with "·", counted between the rubric lines named in the comments),
independently of the extractor; when a count changes, check it against those lines. The parsing
helpers and the rules the real plan does not exercise are in ``tests/unit/extract/test_plan.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import PROV, SKOS

from kb.extract import plan
from kb.extract.common import FactGraph, concept_iri, doc_iri, entity_iri, passage_iri
from kb.extract.documents import region_iri
from kb.ingest.model import Document
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB
from kb.settings import BUNDLED_CORPUS

CORPUS = BUNDLED_CORPUS
REGION = "Holland Rijnland"
S1 = "behandeling-met-verblijf-inclusief-ambulante-alternatieven"
S3 = "dagbehandeling-en-dagbesteding"
#: (number, label, slug) of the seven "SEGMENT N: NAME" headings (source lines 276, 424, 570, 796,
#: 935, 1090, 1210); "DAGBEHANLING" (line 570) is corrected in the label.
SEGMENTS = [
    (1, "Behandeling met verblijf inclusief ambulante alternatieven", S1),
    (2, "Wonen", "wonen"),
    (3, "Dagbehandeling en dagbesteding", S3),
    (4, "Ambulante jeugdhulp", "ambulante-jeugdhulp"),
    (5, "Onderwijs", "onderwijs"),
    (6, "Crisis", "crisis"),
    (7, "Veiligheid", "veiligheid"),
]
SLUGS = [slug for _, _, slug in SEGMENTS]


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return ingest([CORPUS]).documents


@pytest.fixture(scope="module")
def doc(corpus: list[Document]) -> Document:
    return next(d for d in corpus if d.meta.doc_type == "inkoopplan")


@pytest.fixture(scope="module")
def facts(corpus: list[Document]) -> FactGraph:
    result = FactGraph()
    plan.extract(corpus, result)
    return result


def seg_iri(slug: str) -> URIRef:
    return entity_iri("segment", REGION, slug)


def items(facts: FactGraph, slug: str, prop: URIRef) -> list[Any]:
    """The items a segment links with ``prop``, in their kb:ordinal order."""
    g: Any = facts.graph
    return sorted(g.objects(seg_iri(slug), prop), key=lambda i: int(g.value(i, KB.ordinal)))


def counts(facts: FactGraph, prop: URIRef) -> list[int]:
    return [len(items(facts, slug, prop)) for slug in SLUGS]


def by_quote(facts: FactGraph, slug: str, prop: URIRef, quote: str) -> Any:
    found = [i for i in items(facts, slug, prop) if str(facts.graph.value(i, KB.quote)) == quote]
    assert len(found) == 1, quote
    return found[0]


def value(facts: FactGraph, s: Any, p: URIRef) -> Any:
    v = facts.graph.value(s, p)
    return None if v is None else v.toPython()


# ---------------------------------------------------------------------------------------------
# segments


def test_seven_segments_with_labels_numbers_and_links(facts: FactGraph, doc: Document) -> None:
    g: Any = facts.graph
    assert len(set(g.subjects(RDF.type, KB.Segment))) == 7
    for number, label, slug in SEGMENTS:
        s = seg_iri(slug)
        assert (s, RDF.type, KB.Segment) in g
        assert [str(v) for v in g.objects(s, RDFS.label)] == [label]
        assert value(facts, s, KB.segmentNumber) == number
        assert value(facts, s, KB.slug) == slug
        assert g.value(s, KB.inPlan) == doc_iri(doc.id)
        assert g.value(s, KB.ofRegion) == region_iri(REGION)
        assert g.value(s, PROV.wasDerivedFrom) is not None
    assert facts.warnings == []


def test_segment_iri_is_readable() -> None:
    assert str(seg_iri("wonen")).endswith("/id/segment/holland-rijnland/wonen")
    assert str(entity_iri("research-question", REGION, "wonen", "1")).endswith(
        "/id/research-question/holland-rijnland/wonen/1"
    )


# ---------------------------------------------------------------------------------------------
# counts per rubric (made by hand from the .txt)


def test_stakeholder_mentions(facts: FactGraph) -> None:
    # Bullets under "Stakeholders": lines 380-386 (4), 520-531 (10), 730-741 (10), 908-913 (2),
    # 1050-1057 (6), 1174-1180 (5), 1293-1297 (3).
    assert counts(facts, KB.hasStakeholderMention) == [4, 10, 10, 2, 6, 5, 3]
    stakeholders = [len(set(facts.graph.objects(seg_iri(s), KB.hasStakeholder))) for s in SLUGS]
    # No segment names a stakeholder twice; segment 2's bullet "Gemeentelijke toegang en GI"
    # (line 524) mentions two known stakeholders and links both (issue 10 audit): 11.
    assert stakeholders == [4, 11, 10, 2, 6, 5, 3]


def test_stakeholder_variants_are_one_stakeholder(facts: FactGraph) -> None:
    """Issue 10 audit: "GI" and "GI’s", "Gemeentelijke toegang" and "Gemeentelijke toegangen"
    are one stakeholder with variants; "Gemeentelijke toegang en GI" is both of them."""
    g: Any = facts.graph
    labels = {str(g.value(s, RDFS.label)): s for s in g.subjects(RDF.type, KB.Stakeholder)}
    assert "GI’s" not in labels and "Gemeentelijke toegangen" not in labels
    assert "Gemeentelijke toegang en GI" not in labels
    assert "GI’s" in {str(a) for a in g.objects(labels["GI"], SKOS.altLabel)}
    toegang = labels["Gemeentelijke toegang"]
    assert "Gemeentelijke toegangen" in {str(a) for a in g.objects(toegang, SKOS.altLabel)}
    both = [m for m in g.subjects(KB.mentions, labels["GI"]) if (m, KB.mentions, toegang) in g]
    assert len(both) == 1
    # A conjunction of names not known apart stays one stakeholder.
    assert "Ouders en jeugdigen" in labels


def test_research_questions(facts: FactGraph) -> None:
    # Lines 387-391 (2), 532-539 (5 bullets, but 3 are sub-bullets of "Welk bekostigingsmodel
    # bevordert:" → 2), 742-756 (8), 901-907 (5), 1058-1071 (8), 1181-1189 (7), 1298-1303 (3).
    assert counts(facts, KB.hasResearchQuestion) == [2, 2, 8, 5, 8, 7, 3]


def test_milestones(facts: FactGraph) -> None:
    # Bullets under "Planning": lines 392-408 (6+3+1), 540-553 (3+3+1), 757-786 (3+3+1),
    # 914-927 (3+3+1), 1072-1082 (3+3), 1190-1203 (4+1), 1304-1317 (3+1+1).
    assert counts(facts, KB.hasMilestone) == [10, 7, 7, 7, 6, 5, 5]


def test_development_tasks(facts: FactGraph) -> None:
    # Lines 297-302 (4), 440-450 (7), 599-610 (3 under "Dagbesteding" + 4 under "Dagbehandeling"),
    # 831-835 (3), 961-965 (2), 1112-1116 (3), 1231-1236 (3).
    assert counts(facts, KB.hasDevelopmentTask) == [4, 7, 7, 3, 2, 3, 3]


def test_purchasing_goals(facts: FactGraph) -> None:
    # Bullets under "Inkoopdoelen", lines 303-332: 15 bullets + the untagged goal paragraph at
    # line 315 = 16; 451-483: 14 bullets - 3 sub-bullets of "…naar het segment Wonen, door" = 11;
    # 611-663: 26 - 2 sub-bullets ("het bieden van onderwijs …") = 24; 836-850: 9 bullets of which
    # 3 repeat a task (headers turned into bullets) = 6; 966-988: 10; 1117-1131: 8; 1237-1250: 7.
    assert counts(facts, KB.hasPurchasingGoal) == [16, 11, 24, 6, 10, 8, 7]


def test_other_rubric_counts(facts: FactGraph) -> None:
    # Segment 1 "Randvoorwaarden" (lines 366-379): 7 bullets; segment 7 has the rubric twice
    # (lines 1251-1258: 4 bullets, 1285-1292: 6 bullets) and both count.
    assert len(items(facts, S1, KB.hasPrecondition)) == 7
    assert len(items(facts, "veiligheid", KB.hasPrecondition)) == 10
    # Raakvlak: segment 1 has 5 bullets (lines 409-423); segment 4 one paragraph of 3 lines.
    assert counts(facts, KB.hasSegmentRelation) == [5, 4, 4, 3, 3, 1, 1]


def test_extra_subsections_stay_in_their_rubric(facts: FactGraph) -> None:
    # Segment 6: "Crisisdienst", "Crisishulp", "Regionale en landelijke ontwikkelingen" are
    # headings under "Huidig landschap"; their paragraphs are landscape items with that label.
    texts = [
        str(facts.graph.value(i, KB.text)) for i in items(facts, "crisis", KB.hasLandscapeItem)
    ]
    assert len(texts) == 5
    assert texts[1].startswith("Crisisdienst: Sinds 1 januari 2017")
    assert texts[2].startswith("Crisishulp: ")
    assert texts[3].startswith("Regionale en landelijke ontwikkelingen: ")


# ---------------------------------------------------------------------------------------------
# typed values


def test_target_group_counts_and_ages(facts: FactGraph) -> None:
    def youths(slug: str) -> list[int]:
        found = [value(facts, i, KB.numberOfYouths) for i in items(facts, slug, KB.hasTargetGroup)]
        return [n for n in found if n is not None]

    assert youths("wonen") == [300]  # line 430 "circa 300 jeugdigen"
    assert youths(S1) == [240]  # line 283 "circa 240 jeugdigen"
    assert youths(S3) == [368]  # line 589 "368 jeugdigen"
    ages = [
        (value(facts, i, KB.minAge), value(facts, i, KB.maxAge))
        for i in items(facts, S3, KB.hasTargetGroup)
    ]
    # (0-8 jaar), the prose paragraph, 2-4, 4-12 (three times), 13-19+ (open), the count bullet
    assert ages == [
        (0, 8),
        (None, None),
        (2, 4),
        (4, 12),
        (4, 12),
        (4, 12),
        (13, None),
        (None, None),
    ]
    crisis = items(facts, "crisis", KB.hasTargetGroup)[0]  # "Jongeren van 0 tot 18 jaar"
    assert (value(facts, crisis, KB.minAge), value(facts, crisis, KB.maxAge)) == (0, 18)


def test_contract_durations(facts: FactGraph) -> None:
    long = by_quote(
        facts,
        S1,
        KB.hasContractForm,
        "Er wordt een langdurig contract (7 -10 jaar) met de jeugdhulpaanbieders binnen dit "
        "segment afgesloten",
    )
    assert (value(facts, long, KB.minDurationYears), value(facts, long, KB.maxDurationYears)) == (
        7,
        10,
    )
    short = items(facts, "ambulante-jeugdhulp", KB.hasContractForm)[0]  # "minimaal 2 tot max 4"
    assert (value(facts, short, KB.minDurationYears), value(facts, short, KB.maxDurationYears)) == (
        2,
        4,
    )


def funding(facts: FactGraph, slug: str) -> set[URIRef]:
    g: Any = facts.graph
    return {
        c
        for i in items(facts, slug, KB.hasFundingModel)
        for c in g.objects(i, KB.usesFundingConcept)
    }


def test_funding_concepts(facts: FactGraph) -> None:
    def concept(slug: str) -> URIRef:
        return concept_iri("bekostigingsvormen", slug)

    # line 507: "de huidige bekostiging PxQ met budgetplafonds"
    assert {concept("inspanningsgericht"), concept("budgetplafond")} <= funding(facts, "wonen")
    # line 358: "beschikbaarheidsfinanciering en inspanningsgerichte bekostiging (PxQ)"
    assert {concept("beschikbaarheidsfinanciering"), concept("inspanningsgericht")} <= funding(
        facts, S1
    )
    assert concept("lumpsum") in funding(facts, "onderwijs")
    assert concept("subsidie") in funding(facts, "crisis")


def test_purchasing_concepts(facts: FactGraph) -> None:
    g: Any = facts.graph
    models = items(facts, "veiligheid", KB.hasPurchasingModel)
    used = {c for i in models for c in g.objects(i, KB.usesPurchasingConcept)}
    assert used == {
        concept_iri("inkoopmodellen", "bestuurlijk-aanbesteden"),
        concept_iri("inkoopmodellen", "subsidiering"),
    }
    # Segment 3's "Bestuurlijk aanbesteden:" is a group label: all five bullets carry it.
    assert all(
        (i, KB.usesPurchasingConcept, concept_iri("inkoopmodellen", "bestuurlijk-aanbesteden")) in g
        for i in items(facts, S3, KB.hasPurchasingModel)
    )


def test_goals_serve_development_tasks(facts: FactGraph) -> None:
    g: Any = facts.graph
    tasks = items(facts, S1, KB.hasDevelopmentTask)
    assert len(tasks) == 4
    served = [g.value(goal, KB.servesTask) for goal in items(facts, S1, KB.hasPurchasingGoal)]
    assert all(task in tasks for task in served)
    assert all(task in served for task in tasks)
    # Goals per task in segment 1 (lines 304-332): 6, 2, 5, 3.
    assert [served.count(t) for t in tasks] == [6, 2, 5, 3]
    for slug in SLUGS:  # every goal of every segment serves a task of its own segment
        own = set(items(facts, slug, KB.hasDevelopmentTask))
        assert {
            g.value(goal, KB.servesTask) for goal in items(facts, slug, KB.hasPurchasingGoal)
        } <= own
    # Segment 3: "De overgang 18-/18+ verloopt soepel" is task 3 (Dagbesteding) and task 7
    # (Dagbehandeling); the goals under each header go to the right one.
    s3_tasks = items(facts, S3, KB.hasDevelopmentTask)
    s3_served = [g.value(goal, KB.servesTask) for goal in items(facts, S3, KB.hasPurchasingGoal)]
    assert [s3_served.count(t) for t in s3_tasks] == [3, 6, 2, 7, 2, 3, 1]


def test_milestone_dates(facts: FactGraph) -> None:
    def date(slug: str, quote: str) -> tuple[Any, Any, Any]:
        m = by_quote(facts, slug, KB.hasMilestone, quote)
        return value(facts, m, KB.year), value(facts, m, KB.month), value(facts, m, KB.day)

    assert date(S1, "Januari: start implementatie") == (2022, 1, None)
    assert date("wonen", "1 januari: ingang wijzigingsclausules") == (2022, 1, 1)
    assert date(
        "wonen",
        "Uiterlijk 1 juli: gemeenten kondigen wijzigingen contracten jeugdhulpaanbieders aan",
    ) == (2021, 7, 1)
    assert date(
        "wonen",
        "1 juli- 31 december 2021: implementatie contractwijzigingen door gemeenten en "
        "jeugdhulpaanbieders",
    ) == (2021, 7, 1)
    assert date("veiligheid", "Verlengen van de overeenkomsten veiligheid.") == (2021, None, None)
    # The half year is a period: it ends on 31 December 2021; single dates have no end.
    period = by_quote(
        facts,
        "wonen",
        KB.hasMilestone,
        "1 juli- 31 december 2021: implementatie contractwijzigingen door gemeenten en "
        "jeugdhulpaanbieders",
    )
    assert [value(facts, period, p) for p in (KB.endYear, KB.endMonth, KB.endDay)] == [2021, 12, 31]
    single = by_quote(facts, "wonen", KB.hasMilestone, "1 januari: ingang wijzigingsclausules")
    assert value(facts, single, KB.endYear) is None


def test_segment_relations(facts: FactGraph) -> None:
    g: Any = facts.graph

    def targets(slug: str) -> list[set[URIRef]]:
        return [set(g.objects(i, KB.toSegment)) for i in items(facts, slug, KB.hasSegmentRelation)]

    # "Wonen:", "Dagbehandeling/ begeleiding:", "Ambulant:", "Onderwijs:", "Crisis:" (409-423)
    assert targets(S1) == [
        {seg_iri(s)} for s in ("wonen", S3, "ambulante-jeugdhulp", "onderwijs", "crisis")
    ]
    # "Verblijf met behandeling :" is segment 1 (line 556)
    assert seg_iri(S1) in targets("wonen")[1]
    # "Segmenten verblijf en Wonen:" names two segments (line 1084)
    assert targets("onderwijs")[0] == {seg_iri(S1), seg_iri("wonen")}
    # "raakvlakken met alle andere segmenten" (segment 7) links to the six others
    assert targets("veiligheid") == [{seg_iri(s) for s in SLUGS if s != "veiligheid"}]
    assert targets("crisis") == [{seg_iri(s) for s in SLUGS if s != "crisis"}]


# ---------------------------------------------------------------------------------------------
# stakeholders, sub-items, provenance


def test_shared_stakeholders(facts: FactGraph) -> None:
    g: Any = facts.graph
    aanbieders = entity_iri("stakeholder", "Jeugdhulpaanbieders")
    assert str(g.value(aanbieders, RDFS.label)) == "Jeugdhulpaanbieders"
    assert set(g.subjects(KB.hasStakeholder, aanbieders)) == {
        seg_iri("wonen"),
        seg_iri(S3),
        seg_iri("ambulante-jeugdhulp"),
    }
    assert len(set(g.objects(aanbieders, PROV.wasDerivedFrom))) == 3
    # "De verwijzers (waaronder …) om afspraken …" in segments 1 and 6 is one stakeholder.
    verwijzers = entity_iri("stakeholder", "De verwijzers")
    assert set(g.subjects(KB.hasStakeholder, verwijzers)) == {seg_iri(S1), seg_iri("crisis")}
    for mention in items(facts, "wonen", KB.hasStakeholderMention):
        assert g.value(mention, KB.mentions) in set(g.objects(seg_iri("wonen"), KB.hasStakeholder))


def test_sub_bullets_stay_with_their_parent(facts: FactGraph) -> None:
    g: Any = facts.graph
    first = items(facts, "wonen", KB.hasResearchQuestion)[0]
    assert len(list(g.objects(first, KB.subItem))) == 3
    text = str(g.value(first, KB.text))
    assert text.startswith(
        "Welk bekostigingsmodel bevordert: de realisatie van voldoende woonplekken;"
    )
    assert text.endswith("ten bate van de uitstroom vanuit de jeugdhulpaanbieders.")
    # Segment 1 "Contractvorm": "… ten aanzien van:" + 2 lower-case bullets = 4 contract items.
    contract = items(facts, S1, KB.hasContractForm)
    assert len(contract) == 4
    assert len(list(g.objects(contract[0], KB.subItem))) == 2


def test_every_quote_is_verbatim_in_its_passage(facts: FactGraph, doc: Document) -> None:
    g: Any = facts.graph
    passages = {passage_iri(p.id): p for p in doc.passages}
    quoted = list(g.subject_objects(KB.quote))
    assert len(quoted) > 400
    for s, quote in quoted:
        start, end = value(facts, s, KB.startOffset), value(facts, s, KB.endOffset)
        assert doc.text[start:end] == str(quote)
        passage = passages[g.value(s, PROV.wasDerivedFrom)]
        assert str(quote) in passage.text
        assert passage.start <= start and end <= passage.end


# ---------------------------------------------------------------------------------------------
# tables


def test_care_forms_from_tabel_2(facts: FactGraph) -> None:
    g: Any = facts.graph
    # Tabel 2, lines 124-159: 4, 5, 4, 4, 1, 2 and 2 (segment 7's bullets sit in the next row)
    assert counts(facts, KB.hasCareForm) == [4, 5, 4, 4, 1, 2, 2]
    wonen = [str(g.value(i, RDFS.label)) for i in items(facts, "wonen", KB.hasCareForm)]
    assert wonen == [
        "(Netwerk) pleegzorg",
        "Gespecialiseerde pleeggezinnen",
        "Gezinshuizen",
        "Woon/Leef-leer groepen",
        "Kamertraining",
    ]
    assert (g.value(items(facts, "veiligheid", KB.hasCareForm)[0], RDFS.label)).toPython() == (
        "Jeugdbescherming"
    )


def test_legacy_categories_from_tabel_1(facts: FactGraph) -> None:
    g: Any = facts.graph
    categories = sorted(
        g.subjects(RDF.type, KB.LegacyCategory), key=lambda c: value(facts, c, KB.ordinal)
    )
    labels = [str(g.value(c, RDFS.label)) for c in categories]
    assert labels == ["Ambulant Jeugdhulp", "EED", "Jeugdhulp met verblijf", "Veiligheid"]
    # lines 101-121: 5, 1, 4, 3 bullets
    assert [len(list(g.objects(c, KB.hasCareForm))) for c in categories] == [5, 1, 4, 3]
    assert all(g.value(c, PROV.wasDerivedFrom) is not None for c in categories)


def test_every_item_quote_covers_the_whole_item(facts: FactGraph) -> None:
    """Issue 10 audit: five items (long paragraphs, a lead-in with eight bullets) were quoted only
    up to the end of the passage they start in. Passages now keep such items whole."""
    g = facts.graph
    cut = []
    for s, text in g.subject_objects(KB.text):
        quote = g.value(s, KB.quote)
        if quote is None:
            continue
        words, quoted = " ".join(str(text).split()), " ".join(str(quote).split())
        if not words.endswith(quoted[-30:]):
            cut.append((str(s), quoted[-40:], words[-40:]))
    assert not cut


def test_a_raakvlak_line_naming_two_segments_links_both(facts: FactGraph) -> None:
    """Issue 10 audit: segment 4's line "Wonen: Ambulante inzet in woonvoorzieningen
    Dagbehandeling – dagbesteding afbouwen …" names Wonen and Dagbehandeling en dagbesteding."""
    g = facts.graph
    (relation,) = [
        s
        for s, text in g.subject_objects(KB.text)
        if str(text).startswith("Wonen: Ambulante inzet in woonvoorzieningen")
    ]
    linked = {str(g.value(s, RDFS.label)) for s in g.objects(relation, KB.toSegment)}
    assert linked == {"Wonen", "Dagbehandeling en dagbesteding"}
