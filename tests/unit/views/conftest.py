"""The tiny invented graph of the read-model tests: the real ontology and schemes plus
``tiny.ttl`` (no corpus build)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

TINY = Path(__file__).parent / "tiny.ttl"


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """The ontology and its SKOS schemes, as every build loads them."""
    from kb.build.validate import load_ontology_graph
    from kb.resources import ontology_dir

    return load_ontology_graph(ontology_dir())


@pytest.fixture(scope="session")
def tiny(ontology: Graph) -> Graph:
    """Ontology + the tiny invented knowledge base."""
    graph = Graph(store="Oxigraph")  # the store builds use (fast SPARQL)
    graph += ontology
    graph.parse(TINY, format="turtle")
    return graph
