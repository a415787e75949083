"""``kb serve`` with ``sparql_endpoint``: the graph comes from a real Oxigraph server.

Tiny invented graphs, published with :func:`kb.rdf.remote.publish_release`; the local build
folder has no search index (the graph endpoints do not need one).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from oxigraph_server import OxigraphServer, oxigraph_server
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kb.rdf.remote import endpoint_of, publish_release, release_graph_iri
from kb.rdf.store import GRAPH_FILE
from kb.serve import state
from kb.serve.app import create_app
from kb.settings import Settings

JSON = {"accept": "application/sparql-results+json"}
QUERY = "SELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l"


def _release(build: Path, name: str, labels: list[str]) -> Path:
    folder = build / "releases" / name
    folder.mkdir(parents=True)
    graph = Graph()
    for n, label in enumerate(labels):
        graph.add((URIRef(f"https://example.org/e{n}"), RDFS.label, Literal(label, lang="nl")))
    (folder / GRAPH_FILE).write_text(graph.serialize(format="nt"), encoding="utf-8")
    return folder


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path / "oxigraph") as running:
        yield running


def _labels(client: TestClient) -> list[str]:
    response = client.get("/api/sparql", params={"query": QUERY}, headers=JSON)
    assert response.status_code == 200, response.text
    return [b["l"]["value"] for b in response.json()["results"]["bindings"]]


def test_sparql_answers_from_the_server_with_the_same_limits(
    tmp_path: Path, server: OxigraphServer
) -> None:
    build = tmp_path / "build"
    local = _release(build, "r1", ["lokaal a", "lokaal b"])
    (build / "current").symlink_to(Path("releases") / "r1")
    published = _release(tmp_path / "elders", "r1", ["server a", "server b", "server c"])
    settings = Settings(
        build_dir=build, sparql_max_results=3, sparql_workers=1, **server.settings()
    )
    endpoint = endpoint_of(settings)
    assert endpoint is not None
    publish_release(published, endpoint)
    assert local.is_dir()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert _labels(client) == ["server a", "server b", "server c"]
        turtle = client.get(
            "/api/sparql",
            params={"query": "CONSTRUCT WHERE { ?s rdfs:label ?l }"},
            headers={"accept": "text/turtle"},
        )
        assert turtle.status_code == 200 and "server c" in turtle.text
        too_many = client.get(
            "/api/sparql",
            params={"query": "SELECT * WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y }"},
            headers=JSON,
        )
        assert too_many.status_code == 413, too_many.text
        update = client.get("/api/sparql", params={"query": "DROP ALL"}, headers=JSON)
        assert update.status_code == 400


def test_the_server_follows_a_publish(
    tmp_path: Path, server: OxigraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state, "REMOTE_CHECK", 0.0)
    build = tmp_path / "build"
    first = _release(build, "r1", ["eerste"])
    (build / "current").symlink_to(Path("releases") / "r1")
    settings = Settings(build_dir=build, **server.settings())
    endpoint = endpoint_of(settings)
    assert endpoint is not None
    publish_release(first, endpoint)
    holder = state.ReleaseHolder(settings)
    release = holder.get()
    assert release is not None and release.graph_iri == release_graph_iri("r1")
    publish_release(_release(build, "r2", ["tweede"]), endpoint)
    deadline = time.monotonic() + 30
    while (release := holder.get()) is not None and release.graph_iri != release_graph_iri("r2"):
        assert time.monotonic() < deadline, holder.last_error
        time.sleep(0.05)
    labels = [str(o) for o in release.graph.objects(None, RDFS.label)]
    assert labels == ["tweede"]
