"""The server gets its chapter writer and site addresses passed in; without them it says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from kb.rdf.namespaces import KB, KBI
from kb.rdf.store import save_graph
from kb.settings import Settings

SEGMENT = "segment/testregio/wonen"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A published build whose graph holds one segment (no index, no site)."""
    build_dir = tmp_path_factory.mktemp("serve")
    release = build_dir / "releases" / "r1"
    graph = Graph()
    graph.add((KBI[SEGMENT], RDF.type, KB.Segment))
    graph.add((KBI[SEGMENT], RDFS.label, Literal("Wonen", lang="nl")))  # required by the shapes
    save_graph(graph, release)
    (build_dir / "current").symlink_to(Path("releases") / "r1")
    return Settings(build_dir=build_dir)


def _client(settings: Settings, **wiring: Any) -> Iterator[TestClient]:
    from kb.serve.app import create_app

    with TestClient(create_app(settings, **wiring), raise_server_exceptions=False) as client:
        yield client


def test_without_a_chapter_writer_the_download_is_a_clear_503(settings: Settings) -> None:
    for client in _client(settings):
        response = client.get("/api/generate/chapter", params={"segment": SEGMENT})
        assert response.status_code == 503
        assert "chapter writer" in response.json()["error"]
        # The segment is still checked first: a wrong one is the user's mistake, not ours.
        assert client.get("/api/generate/chapter", params={"segment": "x/y"}).status_code == 404


def test_the_chapter_writer_gets_graph_segment_path_and_settings(settings: Settings) -> None:
    calls: list[tuple[Any, ...]] = []

    def writer(graph: Graph, segment: URIRef, path: Path, *, settings: Any = None) -> Path:
        calls.append((len(graph), segment, path.suffix, settings))
        path.write_bytes(b"PK fake docx")
        return path

    for client in _client(settings, chapter_writer=writer):
        response = client.get("/api/generate/chapter", params={"segment": SEGMENT})
        assert response.status_code == 200, response.text
        assert response.content == b"PK fake docx"
        assert "hoofdstuk-wonen.docx" in response.headers["content-disposition"]
    assert calls == [(2, KBI[SEGMENT], ".docx", settings)]


def test_kb_serve_wires_the_generator_in(settings: Settings) -> None:
    """``kb serve`` passes the real writer: the download is a Word file (or a 4xx, never 503)."""
    from kb.cli.serve import server_app

    with TestClient(server_app(settings), raise_server_exceptions=False) as client:
        response = client.get("/api/generate/chapter", params={"segment": SEGMENT})
        assert response.status_code != 503, response.text
