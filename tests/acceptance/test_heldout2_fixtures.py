"""The second held-out set (``tests/fixtures/heldout2``) builds, publishes, quotes verbatim.

These documents were written without reading the extraction rules, so what extraction finds in
them is a measurement (``benchmarks/bench_extract.py``, block "held-out 2"), not asserted here.
What is asserted holds for any input: ``kb build`` on a folder holding the documents and their
``sources.yaml`` exits 0 with a conforming, published graph; every document is in it; every fact
derived from a passage quotes that passage verbatim.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from fixture_facts import doc_node, load_expected, quotes_not_verbatim
from rdflib import Graph
from rdflib.namespace import RDF
from typer.testing import CliRunner

from kb.cli.main import app
from kb.ingest.read import read_document
from kb.ingest.sources import SOURCES_FILE
from kb.rdf.namespaces import KB
from kb.rdf.store import load_graph
from kb.settings import Settings

pytestmark = pytest.mark.acceptance

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "heldout2"
EXPECTED: list[dict[str, Any]] = load_expected(FIXTURES)


class Built:
    """The outcome of ``kb build`` on the set: exit code, console output and published graph."""

    def __init__(self, exit_code: int, output: str, graph: Graph) -> None:
        self.exit_code, self.output, self.graph = exit_code, output, graph


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Run ``kb build --graph-only`` on a folder as a user holds it (documents + sources.yaml)."""
    work = tmp_path_factory.mktemp("heldout2")
    folder = work / "documents"
    folder.mkdir()
    for name in [e["file"] for e in EXPECTED] + [SOURCES_FILE]:
        shutil.copy2(FIXTURES / name, folder / name)
    build_dir = work / "build"
    result = CliRunner().invoke(
        app, ["build", str(folder), "--build-dir", str(build_dir), "--graph-only"]
    )
    current = Settings(build_dir=build_dir).current_dir
    graph = load_graph(current) if current.exists() else Graph()
    return Built(result.exit_code, result.output, graph)


def test_kb_build_exits_0_with_a_conforming_published_graph(built: Built) -> None:
    assert built.exit_code == 0, built.output
    assert "SHACL: conforms" in built.output
    for entry in EXPECTED:
        assert (doc_node(entry), RDF.type, KB.Document) in built.graph, entry["file"]


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: e["file"][-40:])
def test_every_fact_of_the_document_has_a_verbatim_quote(
    entry: dict[str, Any], built: Built
) -> None:
    text = read_document(FIXTURES / entry["file"]).text
    count, not_verbatim = quotes_not_verbatim(built.graph, doc_node(entry), text)
    assert count, f"{entry['file']}: no fact derived from its passages"
    assert not_verbatim == []
