"""``kb publish`` and the read commands with ``sparql_endpoint``: one clear error, exit 2."""

from __future__ import annotations

from pathlib import Path

from oxigraph_server import free_port
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from typer.testing import CliRunner

from kb.cli.main import app
from kb.rdf.store import GRAPH_FILE

runner = CliRunner()


def _build(tmp_path: Path) -> Path:
    build = tmp_path / "build"
    release = build / "releases" / "r1"
    release.mkdir(parents=True)
    graph = Graph()
    graph.add((URIRef("https://example.org/a"), RDFS.label, Literal("a", lang="nl")))
    (release / GRAPH_FILE).write_text(graph.serialize(format="nt"), encoding="utf-8")
    (build / "current").symlink_to(Path("releases") / "r1")
    return build


def test_publish_needs_the_endpoint_setting(tmp_path: Path) -> None:
    result = runner.invoke(app, ["publish", "-b", str(_build(tmp_path))], env={})
    assert result.exit_code == 2
    assert "sparql_endpoint is not set" in result.output


def test_publish_of_an_unknown_release(tmp_path: Path) -> None:
    env = {"KB_SPARQL_ENDPOINT": "http://127.0.0.1:1/query"}
    result = runner.invoke(app, ["publish", "gibt-es-nicht", "-b", str(_build(tmp_path))], env=env)
    assert result.exit_code == 2
    assert "no such release" in result.output


def test_a_dead_server_is_one_error_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    env = {
        "KB_SPARQL_ENDPOINT": f"{url}/query",
        "KB_SPARQL_UPDATE_ENDPOINT": f"{url}/update",
        "KB_SPARQL_GRAPH_STORE": f"{url}/store",
        "KB_SPARQL_REMOTE_TIMEOUT": "2",
    }
    build = str(_build(tmp_path))
    for args in (
        ["publish", "-b", build],
        ["stats", "-b", build],
        ["sparql", "ASK {}", "-b", build],
    ):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith(f"error: sparql_endpoint = {url}/query: cannot reach")
        assert "Traceback" not in result.output
