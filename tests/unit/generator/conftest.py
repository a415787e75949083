"""The tiny invented graph (``tests/unit/views/tiny.ttl`` on the real ontology) for the
generator unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

TINY = Path(__file__).parents[1] / "views" / "tiny.ttl"


@pytest.fixture(scope="session")
def tiny() -> Graph:
    """Ontology + the tiny invented knowledge base."""
    from kb.build.validate import load_ontology_graph
    from kb.resources import ontology_dir

    graph = Graph(store="Oxigraph")  # the store builds use (fast SPARQL)
    graph += load_ontology_graph(ontology_dir())
    graph.parse(TINY, format="turtle")
    return graph
