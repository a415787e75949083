"""Describing entities in batches gives each entity the description it gets alone."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kb.views import describe as describe_module
from kb.views.describe import describe, describe_many


def test_batched_descriptions_equal_single_ones(
    tiny: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    subjects = sorted({str(s) for s in tiny.subjects() if isinstance(s, URIRef)})[:7]
    assert len(subjects) == 7
    monkeypatch.setattr(describe_module, "DESCRIBE_BATCH", 3)  # batches of 3, 3 and 1
    many = describe_many(tiny, [*subjects, subjects[0]])  # a repeat is described once
    assert list(many) == subjects
    for iri in subjects:
        alone = describe(tiny, iri)
        assert len(alone) > 0 and isomorphic(many[iri], alone), iri
        # Only the entity's own triples and labels of what it links, not another entity's.
        assert {s for s in many[iri].subjects()} <= {URIRef(iri), *tiny.objects(URIRef(iri))}
    unknown = describe_many(tiny, ["https://w3id.org/jeugdhulp-kb/id/bestaat/niet"])
    assert len(next(iter(unknown.values()))) == 0
