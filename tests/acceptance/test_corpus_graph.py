"""The published graph of the bundled corpus: it conforms to the SHACL shapes (the one test that
validates the whole corpus graph; each shape is tested on a tiny graph in
``tests/unit/build/test_shapes.py``) and its glossary follows NL-SBB."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import PROV, SKOS

from kb.build.validate import validate
from kb.rdf.namespaces import KBI
from kb.settings import Settings

ONTOLOGY = Settings().ontology_dir


def concepts(graph: Graph, scheme: str) -> list[URIRef]:
    return sorted(graph.subjects(SKOS.inScheme, KBI[f"scheme/{scheme}"]))


def test_corpus_graph_conforms(corpus_graph: Graph) -> None:
    result = validate(corpus_graph, ONTOLOGY)
    assert result.conforms, result.report_text()


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
