"""The ontology, its concept schemes and SHACL shapes: labels, schemes, and validation that catches
broken graphs with a readable report."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, SKOS

from kb.build.validate import OntologyError, load_ontology_graph, validate
from kb.rdf.namespaces import KB, KBI, SCHEMA
from kb.settings import Settings

ONTOLOGY = Settings().ontology_dir

#: The domain's own words for the main classes (issue: "the Dutch class labels are the domain's").
DUTCH_CLASS_LABELS = {
    "Segment": KB.Segment,
    "Doelgroep": KB.TargetGroup,
    "Stakeholder": KB.Stakeholder,
    "Onderzoeksvraag": KB.ResearchQuestion,
    "Ontwikkelopgave": KB.DevelopmentTask,
    "Inkoopdoel": KB.PurchasingGoal,
    "Randvoorwaarde": KB.Precondition,
    "Mijlpaal": KB.Milestone,
    "Begrotingspost": KB.BudgetLine,
    "Regio": KB.Region,
    "Gemeente": KB.Municipality,
    "Document": KB.Document,
    "Passage": KB.Passage,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology_graph(ONTOLOGY)


def test_every_class_and_property_has_dutch_and_english_labels(ontology: Graph) -> None:
    terms = [
        s
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in ontology.subjects(RDF.type, kind)
        if str(s).startswith(str(KB))
    ]
    assert len(terms) > 80
    for term in terms:
        langs = {lit.language for lit in ontology.objects(term, RDFS.label)}
        assert {"nl", "en"} <= langs, term


def test_dutch_class_labels_are_the_domains_words(ontology: Graph) -> None:
    for label, cls in DUTCH_CLASS_LABELS.items():
        assert Literal(label, lang="nl") in set(ontology.objects(cls, RDFS.label)), cls


def test_reused_vocabularies(ontology: Graph) -> None:
    parents = {o for _, o in ontology.subject_objects(RDFS.subClassOf)}
    assert PROV.Entity in parents  # documents and passages are provenance entities
    assert URIRef("http://www.w3.org/ns/org#Organization") in parents
    assert URIRef("http://www.w3.org/ns/oa#SpecificResource") in parents
    assert SCHEMA.MonetaryAmount in parents


def concepts(graph: Graph, scheme: str) -> list[URIRef]:
    return sorted(graph.subjects(SKOS.inScheme, KBI[f"scheme/{scheme}"]))


def test_concept_schemes(ontology: Graph) -> None:
    instruments = {
        str(ontology.value(c, SKOS.prefLabel)) for c in concepts(ontology, "inkoopinstrumenten")
    }
    assert len(instruments) == 4
    codes = sorted(
        str(ontology.value(c, SKOS.notation)) for c in concepts(ontology, "ijw-productcategorieen")
    )
    assert codes == [str(n) for n in range(40, 51)]  # iJw categories 40-50
    assert len(concepts(ontology, "bekostigingsvormen")) >= 3
    assert len(concepts(ontology, "inkoopmodellen")) >= 3
    # Abbreviations users type are altLabels of the written-out concept (NL-SBB).
    pxq = KBI["concept/afkortingen/pxq"]
    assert {str(a) for a in ontology.objects(pxq, SKOS.altLabel)} >= {"PxQ", "P×Q", "P*Q"}


def test_glossary_concepts_follow_nl_sbb(corpus_graph: Graph) -> None:
    glossary = concepts(corpus_graph, "begrippenkader")
    assert len(glossary) == 52
    for concept in glossary:
        assert (
            len(
                [
                    lit
                    for lit in corpus_graph.objects(concept, SKOS.prefLabel)
                    if lit.language == "nl"
                ]
            )
            == 1
        )
        assert corpus_graph.value(concept, SKOS.definition) is not None
        assert corpus_graph.value(concept, PROV.wasDerivedFrom) is not None


def test_missing_ontology_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="ontology folder not found"):
        load_ontology_graph(tmp_path / "nowhere")


def test_unparseable_ontology_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "kb.ttl").write_text("@prefix kb: <x> . kb:a kb:b", encoding="utf-8")
    with pytest.raises(OntologyError, match="kb.ttl: does not parse"):
        load_ontology_graph(tmp_path)


# -------------------------------------------------------------------------------------------
# validation of the real graph and of deliberately broken copies


@pytest.fixture()
def broken(corpus_graph: Graph) -> Graph:
    graph = Graph()
    graph += corpus_graph
    return graph


def test_corpus_graph_conforms(corpus_graph: Graph) -> None:
    result = validate(corpus_graph, ONTOLOGY)
    assert result.conforms, result.report_text()


def test_broken_graph_does_not_conform_with_readable_report(broken: Graph) -> None:
    wonen = KBI["segment/holland-rijnland/wonen"]
    # A segment of the plan that lost its research questions and its region …
    for q in list(broken.objects(wonen, KB.hasResearchQuestion)):
        broken.remove((wonen, KB.hasResearchQuestion, q))
    broken.remove((wonen, KB.ofRegion, None))
    # … a budget line without amount, and a fact without provenance.
    line = next(iter(broken.subjects(RDF.type, KB.BudgetLine)))
    broken.remove((line, SCHEMA.value, None))
    goal = next(iter(broken.objects(wonen, KB.hasPurchasingGoal)))
    broken.remove((goal, PROV.wasDerivedFrom, None))

    result = validate(broken, ONTOLOGY)
    assert not result.conforms
    report = result.report_text()
    assert report.startswith("The graph does not conform")
    assert "lacks the rubric kb:hasResearchQuestion" in report
    assert "kbi:segment/holland-rijnland/wonen" in report
    assert "A budget line has one amount in euro" in report
    assert "A fact links to the passage it comes from." in report
    focus = {v.focus for v in result.results}
    assert any("wonen" in f for f in focus)


def test_quote_outside_its_passage_is_reported(broken: Graph) -> None:
    goal = next(iter(broken.objects(KBI["segment/holland-rijnland/wonen"], KB.hasPurchasingGoal)))
    start = int(broken.value(goal, KB.startOffset))
    broken.set((goal, KB.startOffset, Literal(start + 10**6)))
    broken.set((goal, KB.endOffset, Literal(start + 10**6 + 5)))
    result = validate(broken, ONTOLOGY)
    assert not result.conforms
    assert "starts outside every passage" in result.report_text()


def test_glossary_concept_without_definition_breaks_nl_sbb(broken: Graph) -> None:
    concept = concepts(broken, "begrippenkader")[0]
    broken.remove((concept, SKOS.definition, None))
    result = validate(broken, ONTOLOGY)
    assert not result.conforms
    assert "NL-SBB: a concept has a definition." in result.report_text()
