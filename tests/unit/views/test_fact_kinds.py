"""Every kind of fact a prose pattern proposes has its concept in the ``feitsoorten`` scheme."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kb.extract.prose import findings
from kb.rdf.ontology import load_ontology_graph
from kb.resources import ontology_dir
from kb.views.vocabulary import aspects, fact_kinds

#: Every kind the prose extractor writes into ``kb:factKind``.
KINDS = [
    value
    for name, value in vars(findings).items()
    if name.isupper() and type(value) is str and not name.startswith("STATUS_")
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology_graph(ontology_dir())


def test_every_kind_has_a_dutch_label(ontology: Graph) -> None:
    kinds = fact_kinds(ontology)
    assert len(KINDS) >= 15
    missing = [k for k in KINDS if k not in kinds]
    assert not missing, f"kinds without a concept in ontology/factkinds.ttl: {missing}"
    assert all(kinds[k].label and kinds[k].label != k for k in KINDS)


def test_aspects_of_kinds_are_concepts_of_the_aspect_scheme(ontology: Graph) -> None:
    kinds = fact_kinds(ontology)
    known = {a.iri for a in aspects(ontology)}
    linked = {k.key: k.aspect for k in kinds.values() if k.aspect}
    assert set(linked.values()) <= known
    # Every aspect regions are compared on can be filled from prose.
    assert set(linked.values()) == known
    assert linked["contract_start"] == linked["start_date"]
