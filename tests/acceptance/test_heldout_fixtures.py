"""The held-out documents (``tests/fixtures/heldout``) build, publish and keep every quote verbatim.

These documents were written after the extraction rules and never used to develop them, so what
extraction finds in them is a measurement (``benchmarks/bench_extract.py``), not asserted here.
What is asserted holds for any input: the build publishes a conforming graph, every document is
in it, every fact's quote occurs verbatim in the passage it is derived from, and the two files
``sources.yaml`` does not list get the title, date and region their text states, marked as
inferred.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixture_facts import (
    Built,
    build_fixture_graph,
    doc_node,
    load_expected,
    quotes_not_verbatim,
    region_named,
)
from rdflib.namespace import DCTERMS, RDF

from kb.ingest.read import read_document
from kb.rdf.namespaces import KB

pytestmark = pytest.mark.acceptance

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "heldout"
EXPECTED: list[dict[str, Any]] = load_expected(FIXTURES)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build a folder holding the held-out documents and their sources.yaml (graph only)."""
    return build_fixture_graph(FIXTURES, EXPECTED, tmp_path_factory.mktemp("work"))


def test_the_build_publishes_a_conforming_graph(built: Built) -> None:
    result = built.result
    assert result.problems == []
    assert result.validation is not None
    assert result.validation.conforms, result.validation.report_text()
    assert result.published
    for entry in EXPECTED:
        assert (doc_node(entry), RDF.type, KB.Document) in built.graph, entry["file"]


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: e["file"][:40])
def test_every_fact_of_the_document_has_a_verbatim_quote(
    entry: dict[str, Any], built: Built
) -> None:
    text = read_document(FIXTURES / entry["file"]).text
    count, not_verbatim = quotes_not_verbatim(built.graph, doc_node(entry), text)
    assert count, f"{entry['file']}: no fact derived from its passages"
    assert not_verbatim == []


@pytest.mark.parametrize(
    "entry", [e for e in EXPECTED if not e["metadata"]["listed"]], ids=lambda e: e["file"][:40]
)
def test_unlisted_documents_get_their_metadata_from_the_text(
    entry: dict[str, Any], built: Built
) -> None:
    g, doc, meta = built.graph, doc_node(entry), entry["metadata"]
    assert meta["title"] in {str(t) for t in g.objects(doc, DCTERMS.title)}
    assert meta["date"] in {d.toPython() for d in g.objects(doc, DCTERMS.date)}
    assert region_named(g, doc, {"name": meta["region"]})
    assert set(meta["inferred"]) <= {str(f) for f in g.objects(doc, KB.inferredField)}
    assert any(entry["file"] in w and "inferred" in w for w in built.result.warnings)
