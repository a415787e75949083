"""The read path against a real Oxigraph SPARQL server (``oxigraph serve`` on 127.0.0.1).

``kb publish`` loads the bundled corpus build into the server; then, with the setting
``sparql_endpoint``, ``kb sparql``, a view, ``kb search`` (its answer cards come from the
graph), ``kb generate chapter``, the site's pages and ``kb serve`` give what the local build
gives. A second publish switches the current release while readers poll: none sees an empty
or partial graph.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from oxigraph_server import OxigraphServer, oxigraph_server
from typer.testing import CliRunner

from kb.settings import Settings

pytestmark = pytest.mark.acceptance

QUESTION = "Hoeveel aanbieders beoogt de regio voor het segment Wonen?"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def local(
    build_corpus: Callable[..., Settings], tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    """A private copy of the shared build with a search index (``kb site`` writes into it)."""
    source = build_corpus("index").build_dir
    target = tmp_path_factory.mktemp("sparql-server") / "build"
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns(".*lock"))
    link = target / "current"
    release = Path(os.readlink(link))
    if release.is_absolute():  # point the copy's link at the copy's own release
        link.unlink()
        link.symlink_to(Path("releases") / release.name)
    return Settings(build_dir=target)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "data") as running:
        yield running


@pytest.fixture(scope="module")
def remote(local: Settings, server: OxigraphServer) -> Settings:
    """The same build folder, reading the graph from the server after ``kb publish``."""
    settings = Settings(build_dir=local.build_dir, **server.settings())
    result = _kb(["publish", "-b", str(local.build_dir)], server.env())
    assert "published" in result
    return settings


def _kb(args: list[str], env: dict[str, str] | None = None) -> str:
    from kb.cli.main import app

    result = CliRunner().invoke(app, args, env=env or {}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_publish_loads_every_triple(local: Settings, remote: Settings) -> None:
    from kb.rdf.remote import current_release, endpoint_of, release_graph_iri
    from kb.rdf.store import load_graph, read_graph

    endpoint = endpoint_of(remote)
    assert endpoint is not None
    assert current_release(endpoint) == release_graph_iri(local.current_dir.resolve().name)
    assert len(read_graph(remote)) == len(load_graph(local.current_dir))


def test_kb_sparql_gives_the_same_rows(
    local: Settings, server: OxigraphServer, remote: Settings
) -> None:
    query = "SELECT ?s ?label WHERE { ?s a kb:Segment ; rdfs:label ?label } ORDER BY ?s ?label"
    args = ["sparql", query, "--format", "json", "-b", str(local.build_dir)]
    here = json.loads(_kb(args))
    there = json.loads(_kb(args, server.env()))
    assert here and here == there


def test_views_give_the_same_read_model(local: Settings, remote: Settings) -> None:
    from kb.rdf.store import load_graph, read_graph
    from kb.views.entities import class_counts
    from kb.views.segments import load_segments
    from kb.views.site import load_site_data

    here, there = load_graph(local.current_dir), read_graph(remote)
    segments = load_segments(here)
    assert segments and load_segments(there) == segments
    assert class_counts(there) == class_counts(here)
    assert load_site_data(there) == load_site_data(here)


def test_kb_search_answers_from_the_server(
    local: Settings, server: OxigraphServer, remote: Settings
) -> None:
    args = ["search", QUESTION, "--json", "-k", "5", "-b", str(local.build_dir)]
    here = json.loads(_kb(args))
    there = json.loads(_kb(args, server.env()))
    assert here["hits"] and there == here


def _docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_kb_generate_chapter_is_the_same_document(
    local: Settings, server: OxigraphServer, remote: Settings, tmp_path: Path
) -> None:
    base = ["generate", "chapter", "-s", "Wonen", "--fixed-time", "2026-01-01T00:00:00"]
    build = ["-b", str(local.build_dir)]
    _kb([*base, "-o", str(tmp_path / "lokaal.docx"), *build])
    _kb([*base, "-o", str(tmp_path / "server.docx"), *build], server.env())
    assert _docx_parts(tmp_path / "server.docx") == _docx_parts(tmp_path / "lokaal.docx")


def test_kb_site_builds_the_same_pages(
    local: Settings, server: OxigraphServer, remote: Settings
) -> None:
    from generator.docx.documents import DOCUMENTS_DIR
    from generator.site.build import word_documents
    from generator.site.linked_data import entity_data
    from generator.site.pages import render_pages
    from kb.rdf.store import load_graph
    from kb.views.build_info import read_build_warnings
    from kb.views.documents import ORIGINALS_DIR
    from kb.views.site import load_site_data

    release = local.current_dir.resolve()
    graph = load_graph(release)
    # The local pages as `kb site` renders them (originals and build warnings included).
    pages, assets = render_pages(
        load_site_data(graph),
        word_documents(release),
        release / DOCUMENTS_DIR,
        release / ORIGINALS_DIR,
        build_warnings=read_build_warnings(release),
    )
    _kb(["site", "--quiet", "-b", str(local.build_dir)], server.env())
    written = release / "site-src" / "docs"
    for path, text in pages.items():
        assert (written / path).read_text(encoding="utf-8") == text, path
    expected = entity_data(graph, pages)
    assert expected
    for path, data in expected.items():
        # Turtle and JSON-LD of one graph may order triples differently: compare as graphs.
        from rdflib import Graph
        from rdflib.compare import isomorphic

        fmt = "json-ld" if path.endswith(".jsonld") else "turtle"
        got = Graph().parse(data=(written / path).read_bytes(), format=fmt)
        assert isomorphic(got, Graph().parse(data=data, format=fmt)), path
    assert (release / "site" / "index.html").is_file()


def test_kb_serve_answers_from_the_server(local: Settings, remote: Settings) -> None:
    from fastapi.testclient import TestClient

    from kb.cli.serve import server_app

    query = "SELECT ?s WHERE { ?s a kb:Segment } ORDER BY ?s"
    accept = {"accept": "application/sparql-results+json"}
    answers = []
    for settings in (local, remote):
        with TestClient(server_app(settings), raise_server_exceptions=False) as client:
            health = client.get("/healthz").json()
            assert health["status"] == "ok", health
            search = client.get("/api/search", params={"q": QUESTION, "top_k": 5})
            assert search.status_code == 200, search.text
            sparql = client.get("/api/sparql", params={"query": query}, headers=accept)
            assert sparql.status_code == 200, sparql.text
            segment = sparql.json()["results"]["bindings"][0]["s"]["value"]
            entity = client.get(f"/api/entities/{segment}")
            assert entity.status_code == 200, entity.text
            too_many = client.get(
                "/api/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers=accept
            )
            answers.append((search.json(), sparql.json(), entity.json(), too_many.status_code))
    assert answers[1] == answers[0]
    assert answers[0][3] == 413  # the same row limit holds for the server's graph


def test_a_second_publish_switches_without_an_empty_moment(
    local: Settings, server: OxigraphServer, remote: Settings
) -> None:
    from kb.rdf.remote import current_release, endpoint_of, publish_release, release_graph_iri
    from kb.rdf.store import query, read_graph

    endpoint = endpoint_of(remote)
    assert endpoint is not None
    first = local.current_dir.resolve()
    before = int(next(iter(query(read_graph(remote), COUNT)))[0])  # type: ignore[index]
    # A second release: the same graph without its last hundred triples, so the two differ.
    second = first.parent / f"{first.name}-2"
    second.mkdir()
    lines = (first / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    (second / "graph.nt").write_text("".join(lines[:-100]), encoding="utf-8")
    after = before - 100

    seen: list[Any] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            try:
                seen.append(int(next(iter(query(read_graph(remote), COUNT)))[0]))  # type: ignore[index]
            except Exception as exc:  # noqa: BLE001 - any failure is what the test looks for
                seen.append(exc)

    readers = [threading.Thread(target=poll) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        # There and back: the second publish of ``first`` uploads it again while ``second``
        # is served, then switches back.
        publish_release(second, endpoint, keep_releases=remote.keep_releases)
        publish_release(first, endpoint, keep_releases=remote.keep_releases)
    finally:
        stop.set()
        for reader in readers:
            reader.join(30)
    assert current_release(endpoint) == release_graph_iri(first.name)
    assert len(seen) > 10
    assert set(seen) <= {before, after}, [s for s in seen if s not in (before, after)][:3]
    assert after in seen
