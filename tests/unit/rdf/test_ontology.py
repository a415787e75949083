"""The ontology and its concept schemes (package ``kb.ontology``): labels in Dutch and English,
reused vocabularies, the schemes, and clear errors for a missing or broken ontology folder.

The SHACL shapes are tested on tiny graphs in ``tests/unit/build/test_shapes.py``; the corpus
graph is validated in ``tests/acceptance/test_corpus_graph.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, SKOS

from kb.build.validate import OntologyError, load_ontology_graph
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


def test_missing_ontology_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="ontology folder not found"):
        load_ontology_graph(tmp_path / "nowhere")


def test_unparseable_ontology_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "kb.ttl").write_text("@prefix kb: <x> . kb:a kb:b", encoding="utf-8")
    with pytest.raises(OntologyError, match="kb.ttl: does not parse"):
        load_ontology_graph(tmp_path)
