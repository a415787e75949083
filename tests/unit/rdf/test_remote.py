"""The graph on a SPARQL server: settings, error messages, publish and switch (kb.rdf.remote).

The publish tests run a real ``oxigraph serve`` on 127.0.0.1 with tiny invented graphs.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer, free_port, oxigraph_server
from rdflib import Graph, Literal, URIRef

from kb.rdf.remote import (
    RemoteError,
    current_release,
    endpoint_of,
    publish_release,
    published_releases,
    release_graph_iri,
    remote_graph,
)
from kb.rdf.store import GRAPH_FILE, query, read_graph
from kb.settings import Settings

EX = "https://example.org/"


def _release(folder: Path, name: str, labels: list[str]) -> Path:
    """A release folder with a graph of one label triple per entry of ``labels``."""
    release = folder / "releases" / name
    release.mkdir(parents=True)
    graph = Graph()
    for n, label in enumerate(labels):
        graph.add(
            (
                URIRef(f"{EX}e{n}"),
                URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                Literal(label, lang="nl"),
            )
        )
    (release / GRAPH_FILE).write_text(graph.serialize(format="nt"), encoding="utf-8")
    return release


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "data") as running:
        yield running


def _labels(graph: Graph) -> list[str]:
    result = query(graph, "SELECT ?l WHERE { ?s rdfs:label ?l } ORDER BY ?l")
    return [str(row[0]) for row in result]  # type: ignore[index]


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KB_SPARQL_ENDPOINT", "http://triples.example:7878/query")
    monkeypatch.setenv("KB_SPARQL_UPDATE_ENDPOINT", "http://triples.example:7878/update")
    monkeypatch.setenv("KB_SPARQL_GRAPH_STORE", "http://triples.example:7878/store")
    monkeypatch.setenv("KB_SPARQL_USER", "kb")
    monkeypatch.setenv("KB_SPARQL_PASSWORD", "geheim")
    monkeypatch.setenv("KB_SPARQL_REMOTE_TIMEOUT", "4.5")
    settings = Settings()
    endpoint = endpoint_of(settings)
    assert endpoint is not None
    assert endpoint.query_url == "http://triples.example:7878/query"
    assert endpoint.update_url == "http://triples.example:7878/update"
    assert endpoint.store_url == "http://triples.example:7878/store"
    assert endpoint.auth == ("kb", "geheim")
    assert endpoint.timeout == 4.5
    # The password never shows in the settings' printed form.
    assert "geheim" not in repr(settings)


def test_no_endpoint_means_the_local_build(tmp_path: Path) -> None:
    assert endpoint_of(Settings(build_dir=tmp_path)) is None
    release = _release(tmp_path, "r1", ["lokaal"])
    (tmp_path / "current").symlink_to(release)
    assert _labels(read_graph(Settings(build_dir=tmp_path))) == ["lokaal"]


def test_a_dead_port_names_the_setting_and_the_reason(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    settings = Settings(build_dir=tmp_path, sparql_endpoint=url, sparql_remote_timeout=2)
    with pytest.raises(RemoteError) as caught:
        read_graph(settings)
    message = str(caught.value)
    assert f"sparql_endpoint = {url}" in message
    assert "cannot reach the server" in message


def test_a_silent_server_times_out_within_the_setting(tmp_path: Path) -> None:
    # A socket that accepts connections and never answers.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        settings = Settings(build_dir=tmp_path, sparql_endpoint=url, sparql_remote_timeout=0.5)
        with pytest.raises(RemoteError, match=r"no answer within 0\.5 s"):
            read_graph(settings)


def test_refused_credentials_say_which_settings_to_set(tmp_path: Path) -> None:
    # Oxigraph has no authentication; a tiny server that always answers 401 stands in.
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Refuse(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="kb"')
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/query"
        with pytest.raises(RemoteError) as caught:
            read_graph(Settings(build_dir=tmp_path, sparql_endpoint=url))
        assert "HTTP 401" in str(caught.value)
        assert "KB_SPARQL_PASSWORD" in str(caught.value)
    finally:
        httpd.shutdown()


def test_nothing_published_yet(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "empty") as empty:
        settings = Settings(build_dir=tmp_path, **empty.settings())
        with pytest.raises(RemoteError, match="no release published there yet"):
            read_graph(settings)


def test_publish_switches_and_prunes(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "data") as server:
        endpoint = endpoint_of(Settings(**server.settings()))
        assert endpoint is not None
        names = ["r1", "r2", "r3", "r4"]
        for n, name in enumerate(names):
            release = _release(tmp_path, name, [f"versie {n}", f"label {n}"])
            result = publish_release(release, endpoint, keep_releases=2)
            assert result.triples == 2
            assert current_release(endpoint) == release_graph_iri(name)
            assert _labels(remote_graph(endpoint)) == [f"label {n}", f"versie {n}"]
        # The current release and two earlier ones stay; the oldest is dropped with its graph.
        assert [g for g, _ in published_releases(endpoint)] == [
            release_graph_iri(n) for n in ("r4", "r3", "r2")
        ]
        assert _labels(remote_graph(endpoint, release_graph_iri("r1"))) == []
        assert _labels(remote_graph(endpoint, release_graph_iri("r2"))) == ["label 1", "versie 1"]


def test_a_failed_upload_leaves_the_previous_release_current(
    tmp_path: Path, server: OxigraphServer
) -> None:
    endpoint = endpoint_of(Settings(**server.settings()))
    assert endpoint is not None
    good = _release(tmp_path, "goed", ["goed"])
    publish_release(good, endpoint)
    broken = tmp_path / "releases" / "kapot"
    broken.mkdir(parents=True)
    (broken / GRAPH_FILE).write_text("<https://example.org/a> this is not N-Triples\n")
    with pytest.raises(RemoteError, match="sparql_graph_store"):
        publish_release(broken, endpoint)
    assert current_release(endpoint) == release_graph_iri("goed")
    assert _labels(remote_graph(endpoint)) == ["goed"]


def test_publishing_the_current_release_again_changes_nothing(
    tmp_path: Path, server: OxigraphServer
) -> None:
    endpoint = endpoint_of(Settings(**server.settings()))
    assert endpoint is not None
    release = _release(tmp_path, "nogmaals", ["een", "twee"])
    publish_release(release, endpoint)
    again = publish_release(release, endpoint)
    assert again.previous == again.graph_iri == release_graph_iri("nogmaals")
    assert again.triples == 2
    # A release that is current but differs from the build is refused, not overwritten.
    (release / GRAPH_FILE).write_text(
        (release / GRAPH_FILE).read_text(encoding="utf-8").splitlines(keepends=True)[0],
        encoding="utf-8",
    )
    with pytest.raises(RemoteError, match="build a new release"):
        publish_release(release, endpoint)
    assert _labels(remote_graph(endpoint)) == ["een", "twee"]
