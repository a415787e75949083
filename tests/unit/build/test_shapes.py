"""SHACL shapes (``ontology/shapes.ttl``) and the quote-span check, one tiny invented graph each.

A conforming graph of a few dozen triples (one plan, section, passage, segment with its rubrics,
municipality, budget line and total, glossary concept) is validated once; every other case
changes a few triples so that exactly one rule breaks, and checks that exactly that node and
property are reported with a readable message and the rule's severity: a real defect is a
violation (the graph does not conform), a completeness rule a warning (the graph conforms and
the warning is reported). The whole corpus graph is validated once, in
``tests/acceptance/test_corpus_graph.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS

from kb.build.validate import ValidationResult, load_ontology_graph, validate
from kb.rdf.namespaces import KBI
from kb.settings import Settings

ONTOLOGY = Settings().ontology_dir

PREFIXES = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix kb: <https://w3id.org/jeugdhulp-kb/def#> .
@base <https://w3id.org/jeugdhulp-kb/id/> .
"""

#: Prefixed names cannot hold slashes, so the invented IRIs are written ``kbi:a/b`` here and
#: turned into IRIs relative to the base (``<a/b>``) before parsing.
_KBI_NAME = re.compile(r"kbi:([\w/-]+)")


def expand(text: str) -> str:
    """``kbi:segment/x`` → ``<segment/x>`` (relative to the ``kbi:`` base)."""
    return _KBI_NAME.sub(r"<\1>", text)


#: Every fact carries these: the passage it comes from, its quote and where the quote starts.
PROVENANCE = (
    'prov:wasDerivedFrom kbi:passage/testplan/1 ; kb:quote "Zorg dichtbij huis" ; '
    "kb:startOffset 10 ; kb:endOffset 28 ; prov:wasGeneratedBy kbi:activity/structure/test"
)

#: The rubrics a segment of a purchasing plan must have, each with one invented item.
RUBRIC_ITEMS = {
    "hasTargetGroup": ("TargetGroup", "target-group", "kb:minAge 4 ; kb:maxAge 18"),
    "hasDevelopmentTask": ("DevelopmentTask", "development-task", ""),
    "hasPurchasingGoal": (
        "PurchasingGoal",
        "purchasing-goal",
        "kb:servesTask kbi:development-task/testregio/wonen/1",
    ),
    "hasContractForm": (
        "ContractForm",
        "contract-form",
        "kb:minDurationYears 3.0 ; kb:maxDurationYears 5.0",
    ),
    "hasFundingModel": ("FundingModel", "funding-model", "kb:usesFundingConcept <{funding}>"),
    "hasResearchQuestion": ("ResearchQuestion", "research-question", ""),
    "hasMilestone": ("Milestone", "milestone", "kb:year 2021 ; kb:month 3 ; kb:day 1"),
}


def _item(rubric: str) -> str:
    cls, path, extra = RUBRIC_ITEMS[rubric]
    extra = f" ; {extra}" if extra else ""
    return (
        f"kbi:segment/testregio/wonen kb:{rubric} kbi:{path}/testregio/wonen/1 .\n"
        f"kbi:{path}/testregio/wonen/1 a kb:{cls} ; "
        f'kb:text "Jeugdigen wonen zoveel mogelijk thuis."@nl ; {PROVENANCE}{extra} .\n'
    )


VALID = (
    PREFIXES
    + """
kbi:document/testplan a kb:Document , kb:PurchasingPlan ;
    dct:title "Inkoopplan jeugdhulp Testregio"@nl ; kb:documentType "inkoopplan" ;
    kb:fileName "2021_testregio_inkoopplan.txt" ;
    kb:contentHash "0000000000000000000000000000000000000000000000000000000000000000" ;
    dct:date "2021-01-01"^^xsd:date ; kb:aboutRegion kbi:region/testregio ;
    kb:documentTypeConcept <{doctype}> .
kbi:region/testregio a kb:Region ; rdfs:label "Testregio"@nl .
kbi:subregion/oost a kb:Subregion ; rdfs:label "Testregio Oost"@nl .
kbi:section/testplan/1 a kb:Section ; dct:isPartOf kbi:document/testplan ;
    dct:title "Wonen"@nl ; kb:level 1 ; kb:startOffset 0 ; kb:endOffset 200 .
kbi:passage/testplan/1 a kb:Passage ; oa:hasSource kbi:document/testplan ;
    kb:inSection kbi:section/testplan/1 ; kb:ordinal 1 ;
    kb:text "Wonen. Zorg dichtbij huis voor elke jeugdige. Contract voor 4 jaar."@nl ;
    oa:hasSelector kbi:passage/testplan/1/position .
kbi:passage/testplan/1/position a oa:TextPositionSelector ; oa:start 0 ; oa:end 200 .

kbi:segment/testregio/wonen a kb:Segment ; rdfs:label "Wonen"@nl ; kb:slug "wonen" ;
    kb:inPlan kbi:document/testplan ; kb:ofRegion kbi:region/testregio ;
    prov:wasDerivedFrom kbi:passage/testplan/1 ; prov:wasGeneratedBy kbi:activity/structure/test ;
    kb:hasStakeholder kbi:stakeholder/jeugdhulpaanbieders .
kbi:stakeholder/jeugdhulpaanbieders a kb:Stakeholder ; rdfs:label "Jeugdhulpaanbieders"@nl ;
    kb:text "Jeugdhulpaanbieders"@nl ; PROVENANCE .

kbi:municipality/testdorp a kb:Municipality ; rdfs:label "Testdorp"@nl ; kb:cbsCode "9999" ;
    owl:sameAs <https://identifier.overheid.nl/tooi/id/gemeente/gm9999> ;
    kb:inRegion kbi:region/testregio ; kb:inSubregion kbi:subregion/oost .
kbi:budget-line/testdorp/2021/1 a kb:BudgetLine ; kb:municipality kbi:municipality/testdorp ;
    kb:product "Specialistische hulp"@nl ; kb:year 2021 ;
    schema:value 1000000.0 ; schema:currency "EUR" ; PROVENANCE .
kbi:budget-total/testdorp/2021 a kb:BudgetTotal ; kb:municipality kbi:municipality/testdorp ;
    kb:year 2021 ; schema:value 1000000.0 ; kb:computedSum 1000000.0 ; kb:consistent true ;
    PROVENANCE .

kbi:concept/begrippenkader/pgb a skos:Concept ;
    skos:inScheme kbi:scheme/begrippenkader ; skos:prefLabel "Persoonsgebonden budget"@nl ;
    skos:altLabel "PGB"@nl ; skos:definition "Budget waarmee de jeugdige zelf hulp inkoopt."@nl ;
    dct:source kbi:document/testplan ; prov:wasDerivedFrom kbi:passage/testplan/1 ;
    prov:wasGeneratedBy kbi:activity/structure/test .
kbi:scheme/begrippenkader a skos:ConceptScheme .

kbi:segment/testregio/wonen kb:hasStakeholderMention kbi:stakeholder-mention/testregio/wonen/1 ;
    kb:hasPurchasingModel kbi:purchasing-model/testregio/wonen/1 ;
    kb:hasSegmentRelation kbi:segment-relation/testregio/wonen/1 ;
    kb:hasInstrumentChoice kbi:instrument-choice/testregio/wonen/1 .
kbi:stakeholder-mention/testregio/wonen/1 a kb:StakeholderMention ; kb:text "Aanbieders"@nl ;
    kb:mentions kbi:stakeholder/jeugdhulpaanbieders ; PROVENANCE .
kbi:purchasing-model/testregio/wonen/1 a kb:PurchasingModel ; kb:text "Open house"@nl ;
    kb:usesPurchasingConcept <{purchasing}> ; PROVENANCE .
kbi:segment-relation/testregio/wonen/1 a kb:SegmentRelation ; kb:text "Crisis: doorstroom"@nl ;
    kb:toSegment kbi:segment/testregio/wonen ; PROVENANCE .
kbi:instrument-choice/testregio/wonen/1 a kb:InstrumentChoice ; kb:text "Aanbesteden"@nl ;
    kb:instrument <{instrument}> ; PROVENANCE .
kbi:regional-choice/testregio/1 a kb:RegionalChoice ; kb:region kbi:region/testregio ;
    kb:aspect <{aspect}> ; kb:value "PxQ" ; PROVENANCE .

kbi:caveat/testplan/1 a kb:FinancialCaveat ; kb:caveatKind <{caveat}> ;
    kb:text "Zorg dichtbij huis"@nl ; kb:inDocument kbi:document/testplan ; PROVENANCE .

kbi:proposed-fact/testplan/1 a kb:ProposedFact ; kb:factKind "contractduur" ;
    kb:status "voorgesteld" ; kb:obtainedBy "looptijd in jaren" ; kb:proposedValue "4 jaar" ;
    prov:wasDerivedFrom kbi:passage/testplan/1 ; kb:quote "Contract voor 4 jaar" ;
    prov:wasGeneratedBy kbi:activity/prose/test .

kbi:activity/structure/test a kb:ExtractionActivity ; kb:method kb:DocumentStructure ;
    kb:ruleName "test" .
kbi:activity/prose/test a kb:ExtractionActivity ; kb:method kb:ProsePattern ;
    kb:ruleName "looptijd in jaren" .
""".replace("PROVENANCE", PROVENANCE)
    + "".join(_item(rubric) for rubric in RUBRIC_ITEMS)
)

SPARQL_PREFIXES = "\n".join(
    line.replace("@prefix", "PREFIX").replace("@base", "BASE").rstrip(" .")
    for line in PREFIXES.strip().splitlines()
)


#: The placeholders in ``VALID`` for concepts of the ontology's schemes, by scheme.
SCHEME_CONCEPTS = {
    "funding": "bekostigingsvormen",
    "doctype": "documenttypen",
    "purchasing": "inkoopmodellen",
    "instrument": "inkoopinstrumenten",
    "aspect": "keuze-aspecten",
    "caveat": "financiele-kanttekeningen",
}


def concept_of(ontology: Graph, scheme: str) -> URIRef:
    """Any concept of a scheme of the ontology (the tests do not depend on its IRIs)."""
    return min(ontology.subjects(SKOS.inScheme, KBI[f"scheme/{scheme}"]))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology_graph(ONTOLOGY)


@pytest.fixture(scope="module")
def valid_graph(ontology: Graph) -> Graph:
    """The conforming graph with the part of the ontology the shapes need; tests change a copy.

    That part is the class hierarchy (``sh:targetClass`` follows ``rdfs:subClassOf`` in the data
    graph) and the few concepts the graph refers to, with their schemes: validating it takes a
    tenth of the time of validating it with the whole ontology merged in, as ``validate`` does.
    """
    text = VALID
    concepts = []
    for placeholder, scheme in SCHEME_CONCEPTS.items():
        concepts.append(concept_of(ontology, scheme))
        text = text.replace("{" + placeholder + "}", str(concepts[-1]))
    graph = Graph().parse(data=expand(text), format="turtle")
    graph += ontology.triples((None, RDFS.subClassOf, None))
    for concept in concepts:
        graph += ontology.triples((concept, None, None))
        for scheme in ontology.objects(concept, SKOS.inScheme):
            graph += ontology.triples((scheme, RDF.type, None))
    return graph


@pytest.fixture()
def graph(valid_graph: Graph) -> Iterator[Graph]:
    copy = Graph()
    copy += valid_graph
    yield copy


def changed(graph: Graph, update: str) -> ValidationResult:
    """Validate the graph after a SPARQL update."""
    graph.update(SPARQL_PREFIXES + "\n" + expand(update))
    return validate(graph, ONTOLOGY, with_ontology=False)


def test_the_invented_graph_conforms(graph: Graph) -> None:
    result = validate(graph, ONTOLOGY, with_ontology=False)
    assert result.conforms, result.report_text()
    assert result.report_text() == "The graph conforms to the SHACL shapes."


def test_the_invented_graph_conforms_with_the_whole_ontology_merged_in(graph: Graph) -> None:
    # As the build validates: the graph without any ontology triples, merged by ``validate``.
    bare = Graph()
    bare += (t for t in graph if t[1] != RDFS.subClassOf)
    result = validate(bare, ONTOLOGY)
    assert result.conforms, result.report_text()


def test_without_the_class_hierarchy_subclasses_escape_their_shapes(graph: Graph) -> None:
    # Why validate merges the ontology: the provenance shape targets kb:SegmentItem, which
    # reaches a goal without provenance only through rdfs:subClassOf in the data graph.
    graph.update(
        SPARQL_PREFIXES
        + "\n"
        + expand("DELETE WHERE { kbi:purchasing-goal/testregio/wonen/1 prov:wasDerivedFrom ?p }")
    )
    missing = ("kbi:purchasing-goal/testregio/wonen/1", "prov:wasDerivedFrom")
    result = validate(graph, ONTOLOGY, with_ontology=False)
    assert missing in {(v.focus, v.path) for v in result.results}
    graph.remove((None, RDFS.subClassOf, None))
    result = validate(graph, ONTOLOGY, with_ontology=False)
    assert result.conforms and not result.results, result.report_text()


@dataclass(frozen=True)
class Case:
    """One rule broken on purpose: the update, the node and property reported, the message.

    ``also`` lists the (node, property) pairs that fail with it because a shape refers to the
    broken node (``sh:node``, ``sh:qualifiedValueShape``).
    """

    shape: str
    update: str
    focus: str
    path: str
    message: str = ""
    also: tuple[tuple[str, str], ...] = ()
    severity: str = "Violation"


CASES = [
    Case(
        "ObtainedByShape",
        "DELETE WHERE { kbi:regional-choice/testregio/1 prov:wasGeneratedBy ?a }",
        "kbi:regional-choice/testregio/1",
        "prov:wasGeneratedBy",
        "A fact says how it was obtained",
    ),
    Case(
        "ExtractionActivityShape",
        "DELETE WHERE { kbi:activity/prose/test kb:method ?m }",
        "kbi:activity/prose/test",
        "kb:method",
        "An extraction activity names its method",
        also=(("kbi:proposed-fact/testplan/1", ""),),
    ),
    Case(
        "ConfirmedFactShape",
        'DELETE { ?f kb:status ?s } INSERT { ?f kb:status "bevestigd" } WHERE { ?f kb:status ?s }',
        "kbi:proposed-fact/testplan/1",
        "",
        "A confirmed fact was confirmed by a steward's curation",
    ),
    Case(
        "DocumentShape",
        "DELETE WHERE { kbi:document/testplan dct:title ?t }",
        "kbi:document/testplan",
        "dct:title",
        "A document needs a title.",
    ),
    Case(
        "DocumentShape",
        'INSERT DATA { kbi:document/testplan kb:documentType "memo" }',
        "kbi:document/testplan",
        "kb:documentType",
        "A document has exactly one document type",
    ),
    Case(
        "DocumentTypeConceptShape",
        "DELETE { ?d kb:documentTypeConcept ?c } "
        "INSERT { ?d kb:documentTypeConcept kbi:concept/begrippenkader/pgb } "
        "WHERE { ?d kb:documentTypeConcept ?c }",
        "kbi:document/testplan",
        "kb:documentTypeConcept",
        "A document's type concept is one concept of the scheme documenttypen.",
        also=(("kbi:concept/begrippenkader/pgb", "skos:inScheme"),),
    ),
    Case(
        "ProposedFactShape",
        'DELETE { ?f kb:status ?s } INSERT { ?f kb:status "misschien" } WHERE { ?f kb:status ?s }',
        "kbi:proposed-fact/testplan/1",
        "kb:status",
        "A proposed fact is voorgesteld, bevestigd or afgewezen.",
    ),
    Case(
        "ProposedFactShape",
        "DELETE WHERE { kbi:proposed-fact/testplan/1 kb:proposedValue ?v }",
        "kbi:proposed-fact/testplan/1",
        "",
        "A proposed fact has a value, a concept or a duration.",
    ),
    Case(
        "DocumentShape",
        'DELETE { ?d kb:contentHash ?h } INSERT { ?d kb:contentHash "abc" } '
        "WHERE { ?d kb:contentHash ?h }",
        "kbi:document/testplan",
        "kb:contentHash",
        "The content hash is a SHA-256 hex digest.",
    ),
    Case(
        "SectionShape",
        "DELETE { ?s kb:startOffset ?o } INSERT { ?s kb:startOffset 300 } "
        "WHERE { ?s a kb:Section ; kb:startOffset ?o }",
        "kbi:section/testplan/1",
        "kb:startOffset",
    ),
    Case(
        "PassageShape",
        "DELETE WHERE { kbi:passage/testplan/1 oa:hasSource ?d }",
        "kbi:passage/testplan/1",
        "oa:hasSource",
        "A passage belongs to exactly one document.",
    ),
    Case(
        "PassageShape",
        'DELETE { ?p kb:text ?t } INSERT { ?p kb:text ""@nl } '
        "WHERE { ?p a kb:Passage ; kb:text ?t }",
        "kbi:passage/testplan/1",
        "kb:text",
        "A passage has one non-empty Dutch text.",
    ),
    Case(
        "PassageShape",
        # The selector stays in the graph, the passage no longer points to it.
        "DELETE WHERE { kbi:passage/testplan/1 oa:hasSelector ?s }",
        "kbi:passage/testplan/1",
        "oa:hasSelector",
        "A passage has exactly one text-position selector (character offsets).",
    ),
    Case(
        "PositionSelectorShape",
        "DELETE { ?s oa:start ?x } INSERT { ?s oa:start -1 } WHERE { ?s oa:start ?x }",
        "kbi:passage/testplan/1/position",
        "oa:start",
        "A selector starts at a non-negative offset before its end.",
        also=(("kbi:passage/testplan/1", "oa:hasSelector"),),
    ),
    Case(
        "ProvenanceShape",
        "DELETE WHERE { kbi:purchasing-goal/testregio/wonen/1 prov:wasDerivedFrom ?p }",
        "kbi:purchasing-goal/testregio/wonen/1",
        "prov:wasDerivedFrom",
        "A fact links to the passage it comes from.",
    ),
    Case(
        "ProvenanceShape",
        "DELETE WHERE { kbi:budget-line/testdorp/2021/1 kb:quote ?q }",
        "kbi:budget-line/testdorp/2021/1",
        "kb:quote",
        "A fact carries the quote it was read from.",
    ),
    Case(
        "SegmentItemShape",
        "DELETE WHERE { kbi:development-task/testregio/wonen/1 kb:text ?t }",
        "kbi:development-task/testregio/wonen/1",
        "kb:text",
        "Every segment item has its full Dutch text.",
    ),
    Case(
        "SegmentShape",
        'DELETE { ?s kb:slug ?x } INSERT { ?s kb:slug "Wonen en zorg" } WHERE { ?s kb:slug ?x }',
        "kbi:segment/testregio/wonen",
        "kb:slug",
    ),
    Case(
        "SegmentCompletenessShape",
        "DELETE WHERE { kbi:segment/testregio/wonen kb:hasResearchQuestion ?q }",
        "kbi:segment/testregio/wonen",
        "",
        "Segment of a purchasing plan lacks the rubric kb:hasResearchQuestion.",
        severity="Warning",
    ),
    Case(
        "SegmentCompletenessShape",
        "DELETE WHERE { kbi:segment/testregio/wonen kb:ofRegion ?r }",
        "kbi:segment/testregio/wonen",
        "kb:ofRegion",
        "The segment's region is not known.",
        severity="Warning",
    ),
    Case(
        "TargetGroupShape",
        "DELETE { ?t kb:maxAge ?a } INSERT { ?t kb:maxAge 30 } WHERE { ?t kb:maxAge ?a }",
        "kbi:target-group/testregio/wonen/1",
        "kb:maxAge",
    ),
    Case(
        "ContractFormShape",
        "DELETE { ?c kb:minDurationYears ?y } INSERT { ?c kb:minDurationYears 6.0 } "
        "WHERE { ?c kb:minDurationYears ?y }",
        "kbi:contract-form/testregio/wonen/1",
        "kb:minDurationYears",
    ),
    Case(
        "FundingModelShape",
        "DELETE { ?f kb:usesFundingConcept ?c } "
        "INSERT { ?f kb:usesFundingConcept kbi:concept/begrippenkader/pgb } "
        "WHERE { ?f kb:usesFundingConcept ?c }",
        "kbi:funding-model/testregio/wonen/1",
        "kb:usesFundingConcept",
        "A funding model refers to concepts of the funding-models scheme.",
        also=(("kbi:concept/begrippenkader/pgb", "skos:inScheme"),),
    ),
    Case(
        "PurchasingGoalShape",
        "DELETE { ?g kb:servesTask ?t } "
        "INSERT { ?g kb:servesTask kbi:research-question/testregio/wonen/1 } "
        "WHERE { ?g kb:servesTask ?t }",
        "kbi:purchasing-goal/testregio/wonen/1",
        "kb:servesTask",
    ),
    Case(
        "StakeholderShape",
        "DELETE WHERE { kbi:stakeholder/jeugdhulpaanbieders rdfs:label ?l }",
        "kbi:stakeholder/jeugdhulpaanbieders",
        "rdfs:label",
    ),
    Case(
        "ResearchQuestionShape",
        'DELETE { ?q kb:text ?t } INSERT { ?q kb:text "Waarom?"@nl } '
        "WHERE { ?q a kb:ResearchQuestion ; kb:text ?t }",
        "kbi:research-question/testregio/wonen/1",
        "kb:text",
        "A research question is a full sentence.",
        severity="Warning",
    ),
    Case(
        "MilestoneShape",
        "DELETE { ?m kb:month ?x } INSERT { ?m kb:month 13 } WHERE { ?m kb:month ?x }",
        "kbi:milestone/testregio/wonen/1",
        "kb:month",
    ),
    Case(
        "RegionShape",
        "DELETE WHERE { kbi:subregion/oost rdfs:label ?l }",
        "kbi:subregion/oost",
        "rdfs:label",
    ),
    Case(
        "MunicipalityShape",
        'DELETE { ?m kb:cbsCode ?c } INSERT { ?m kb:cbsCode "999" } WHERE { ?m kb:cbsCode ?c }',
        "kbi:municipality/testdorp",
        "kb:cbsCode",
        "A municipality has its four-digit CBS code.",
    ),
    Case(
        "MunicipalityShape (completeness)",
        # A name that is not in the national register: kept, reported, published.
        "DELETE WHERE { kbi:municipality/testdorp kb:cbsCode ?c }",
        "kbi:municipality/testdorp",
        "kb:cbsCode",
        "The municipality is not linked to the national register (no CBS code).",
        severity="Warning",
    ),
    Case(
        "MunicipalityShape (completeness)",
        "DELETE WHERE { kbi:municipality/testdorp kb:inRegion ?r }",
        "kbi:municipality/testdorp",
        "kb:inRegion",
        "The municipality belongs to no known region.",
        severity="Warning",
    ),
    Case(
        "QuoteShape",
        'DELETE { ?g kb:quote ?q } INSERT { ?g kb:quote "Zorg ver van huis" } '
        "WHERE { ?g a kb:PurchasingGoal ; kb:quote ?q }",
        "kbi:purchasing-goal/testregio/wonen/1",
        "",
        "The quote does not occur in the text of any passage the fact is derived from: "
        "Zorg ver van huis",
    ),
    Case(
        "QuoteShape",
        # The proposed fact's quote, too.
        'DELETE { ?f kb:quote ?q } INSERT { ?f kb:quote "Contract voor 5 jaar" } '
        "WHERE { ?f a kb:ProposedFact ; kb:quote ?q }",
        "kbi:proposed-fact/testplan/1",
        "",
        "The quote does not occur in the text of any passage",
    ),
    Case(
        "DatatypeShape",
        'INSERT DATA { kbi:segment/testregio/wonen kb:segmentNumber "3" }',
        "kbi:segment/testregio/wonen",
        "kb:segmentNumber",
        "A segment number is an xsd:integer.",
    ),
    Case(
        "DatatypeShape",
        'INSERT DATA { kbi:document/testplan kb:year "2021" }',
        "kbi:document/testplan",
        "kb:year",
        "A year is an xsd:integer.",
    ),
    Case(
        "BudgetLineShape",
        "DELETE WHERE { kbi:budget-line/testdorp/2021/1 schema:value ?v }",
        "kbi:budget-line/testdorp/2021/1",
        "schema:value",
        "A budget line has one amount in euro (xsd:decimal).",
    ),
    Case(
        "BudgetTotalShape",
        # A total is of a municipality or of a subregion, never of both.
        "INSERT DATA { kbi:budget-total/testdorp/2021 kb:subregion kbi:subregion/oost }",
        "kbi:budget-total/testdorp/2021",
        "",
    ),
    Case(
        "StakeholderMentionShape",
        "DELETE WHERE { kbi:stakeholder-mention/testregio/wonen/1 kb:mentions ?s }",
        "kbi:stakeholder-mention/testregio/wonen/1",
        "kb:mentions",
    ),
    Case(
        "PurchasingModelShape",
        "DELETE { ?m kb:usesPurchasingConcept ?c } "
        "INSERT { ?m kb:usesPurchasingConcept kbi:concept/begrippenkader/pgb } "
        "WHERE { ?m kb:usesPurchasingConcept ?c }",
        "kbi:purchasing-model/testregio/wonen/1",
        "kb:usesPurchasingConcept",
        also=(("kbi:concept/begrippenkader/pgb", "skos:inScheme"),),
    ),
    Case(
        "SegmentRelationShape",
        "DELETE { ?r kb:toSegment ?s } INSERT { ?r kb:toSegment kbi:region/testregio } "
        "WHERE { ?r kb:toSegment ?s }",
        "kbi:segment-relation/testregio/wonen/1",
        "kb:toSegment",
    ),
    Case(
        "InstrumentChoiceShape",
        "DELETE { ?i kb:instrument ?c } INSERT { ?i kb:instrument kbi:concept/begrippenkader/pgb } "
        "WHERE { ?i kb:instrument ?c }",
        "kbi:instrument-choice/testregio/wonen/1",
        "kb:instrument",
        also=(("kbi:concept/begrippenkader/pgb", "skos:inScheme"),),
    ),
    Case(
        "RegionalChoiceShape",
        "DELETE WHERE { kbi:regional-choice/testregio/1 kb:value ?v }",
        "kbi:regional-choice/testregio/1",
        "kb:value",
    ),
    Case(
        "FinancialCaveatShape",
        "DELETE WHERE { kbi:caveat/testplan/1 kb:caveatKind ?k }",
        "kbi:caveat/testplan/1",
        "kb:caveatKind",
    ),
    Case(
        "ConceptShape",
        "DELETE WHERE { kbi:concept/begrippenkader/pgb skos:definition ?d }",
        "kbi:concept/begrippenkader/pgb",
        "skos:definition",
        "NL-SBB: a concept has a definition.",
        severity="Warning",
    ),
    Case(
        "ConceptShape",
        'INSERT DATA { kbi:concept/begrippenkader/pgb skos:prefLabel "PGB"@nl }',
        "kbi:concept/begrippenkader/pgb",
        "skos:prefLabel",
    ),
    Case(
        "GlossaryConceptShape",
        "DELETE WHERE { kbi:concept/begrippenkader/pgb dct:source ?d }",
        "kbi:concept/begrippenkader/pgb",
        "",
        "A glossary concept lacks its source document (dct:source) or source passage",
    ),
    Case(
        "quote spans (kb.build.validate.check_quote_spans)",
        "DELETE { ?f kb:startOffset ?s ; kb:endOffset ?e } "
        "INSERT { ?f kb:startOffset 1000 ; kb:endOffset 1010 } "
        "WHERE { kbi:milestone/testregio/wonen/1 kb:startOffset ?s ; kb:endOffset ?e . "
        "BIND(kbi:milestone/testregio/wonen/1 AS ?f) }",
        "kbi:milestone/testregio/wonen/1",
        "kb:startOffset",
        "The quote starts outside every passage the fact is derived from.",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.shape}:{c.path or c.focus}" for c in CASES])
def test_one_broken_rule_is_reported_on_its_node(graph: Graph, case: Case) -> None:
    result = changed(graph, case.update)
    # A completeness rule warns and the graph still conforms; a real defect blocks it.
    assert result.conforms == (case.severity == "Warning"), result.report_text()
    # Exactly the node and property the change broke, nothing else.
    expected = {(case.focus, case.path), *case.also}
    assert {(v.focus, v.path) for v in result.results} == expected, result.report_text()
    assert all(v.severity == case.severity for v in result.results)
    if case.message:
        assert any(case.message in v.message for v in result.results), result.report_text()


def test_every_shape_has_a_case() -> None:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl", format="turtle")
    named = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, SH.NodeShape)}
    covered = {case.shape.split(" ")[0] for case in CASES}
    assert named <= covered, f"shapes without a case: {sorted(named - covered)}"


def test_broken_graph_does_not_conform_with_readable_report(graph: Graph) -> None:
    wonen = "kbi:segment/testregio/wonen"
    # A segment of the plan that lost its research questions and its region …
    # … a budget line without amount, and a fact without provenance.
    result = changed(
        graph,
        f"""DELETE WHERE {{ {wonen} kb:hasResearchQuestion ?q }} ;
        DELETE WHERE {{ {wonen} kb:ofRegion ?r }} ;
        DELETE {{ ?line schema:value ?v }} WHERE {{ ?line a kb:BudgetLine ; schema:value ?v }} ;
        DELETE {{ ?g prov:wasDerivedFrom ?p }}
        WHERE {{ {wonen} kb:hasPurchasingGoal ?g . ?g prov:wasDerivedFrom ?p }}""",
    )
    assert not result.conforms
    report = result.report_text()
    assert report.startswith("The graph does not conform")
    assert "lacks the rubric kb:hasResearchQuestion" in report
    assert "kbi:segment/testregio/wonen" in report
    assert "A budget line has one amount in euro" in report
    assert "A fact links to the passage it comes from." in report
    focus = {v.focus for v in result.results}
    assert any("wonen" in f for f in focus)
    assert {v.path for v in result.results if v.focus == wonen} >= {"kb:ofRegion", ""}


def test_quote_outside_its_passage_is_reported(graph: Graph) -> None:
    result = changed(
        graph,
        "DELETE { ?g kb:startOffset ?s ; kb:endOffset ?e } "
        "INSERT { ?g kb:startOffset 1000010 ; kb:endOffset 1000015 } "
        "WHERE { ?g a kb:PurchasingGoal ; kb:startOffset ?s ; kb:endOffset ?e }",
    )
    assert not result.conforms
    assert "starts outside every passage" in result.report_text()


def test_glossary_concept_without_definition_is_a_warning(graph: Graph) -> None:
    result = changed(
        graph,
        "DELETE { ?c skos:definition ?d } "
        "WHERE { ?c skos:inScheme kbi:scheme/begrippenkader ; skos:definition ?d }",
    )
    assert result.conforms
    report = result.report_text()
    assert report.startswith("The graph conforms to the SHACL shapes, with 1 warnings")
    assert "Warning [skos:definition]: NL-SBB: a concept has a definition." in report


def test_warnings_of_one_rule_are_grouped_and_summarised(graph: Graph) -> None:
    # Two municipalities outside the register: one rule, two nodes, one group.
    result = changed(
        graph,
        "DELETE WHERE { kbi:municipality/testdorp kb:cbsCode ?c } ; "
        'INSERT DATA { kbi:municipality/oud a kb:Municipality ; rdfs:label "Oud"@nl ; '
        "kb:inRegion kbi:region/testregio }",
    )
    assert result.conforms and not result.violations
    assert len(result.warnings) == 2
    summary = result.summary()
    assert summary["violations"] == 0 and summary["warnings"] == 2
    rules = summary["rules"]
    assert isinstance(rules, list) and len(rules) == 1
    assert rules[0]["count"] == 2
    assert set(rules[0]["examples"]) == {"kbi:municipality/testdorp", "kbi:municipality/oud"}


def test_violations_are_listed_before_warnings(graph: Graph) -> None:
    result = changed(
        graph,
        "DELETE WHERE { kbi:segment/testregio/wonen kb:hasResearchQuestion ?q } ; "
        "DELETE WHERE { kbi:budget-line/testdorp/2021/1 kb:quote ?q }",
    )
    assert not result.conforms
    assert [g[0] for g in result.groups()] == ["Violation", "Warning"]
    assert result.report_text().startswith(
        "The graph does not conform: 1 violations and 1 warnings in 2 rules."
    )
