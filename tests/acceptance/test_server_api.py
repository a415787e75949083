"""The HTTP API of ``kb serve`` on a real build of the bundled corpus (search index only).

Every bad input gives a 4xx JSON answer with a message, never a 500 or a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kb.settings import Settings

pytestmark = pytest.mark.acceptance


@pytest.fixture(scope="module")
def settings(build_corpus: Callable[..., Settings]) -> Settings:
    return build_corpus("index")


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    from kb.cli.serve import server_app

    with TestClient(server_app(settings), raise_server_exceptions=False) as c:
        yield c


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.text
    return body["error"]


def test_healthz_names_the_served_release(client: TestClient, settings: Settings) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["release"] == settings.current_dir.resolve().name
    assert body["search"] is True


def test_search_gives_the_same_hits_as_the_cli(client: TestClient, settings: Settings) -> None:
    from typer.testing import CliRunner

    from kb.cli.main import app

    q = "Welke bekostiging geldt voor het segment Ambulante jeugdhulp?"
    cli = CliRunner().invoke(app, ["search", q, "--json", "-k", "5", "-b", str(settings.build_dir)])
    assert cli.exit_code == 0, cli.output
    response = client.get("/api/search", params={"q": q, "top_k": 5})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["hits"] == json.loads(cli.stdout)["hits"]
    assert response.json()["answers"] == json.loads(cli.stdout)["answers"]


def test_search_filters(client: TestClient) -> None:
    filters = client.get("/api/filters").json()
    assert "Wonen" in filters["segments"] and "Holland Rijnland" in filters["regions"]
    hits = client.get(
        "/api/search", params={"q": "pleegzorg gezinshuis", "segment": "Wonen", "top_k": 5}
    ).json()["hits"]
    assert hits and all(any("wonen" in s.lower() for s in h["segments"]) for h in hits)
    hits = client.get("/api/search", params={"q": "inkoop", "region": "Groningen"}).json()["hits"]
    assert hits and all("Groningen" in h["region"] for h in hits)


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({}, "q"),
        ({"q": ""}, "empty"),
        ({"q": "   \t "}, "empty"),
        ({"q": "?!…"}, "no words"),
        ({"q": "de het wat is"}, "stopwords"),
        ({"q": "jeugdhulp " * 500}, "too long"),
        ({"q": "wonen", "top_k": "0"}, "top_k"),
        ({"q": "wonen", "top_k": "101"}, "top_k"),
        ({"q": "wonen", "top_k": "veel"}, "top_k"),
        ({"q": "wonen", "segment": "Ruimtevaart"}, "unknown segment"),
        ({"q": "wonen", "region": "Atlantis"}, "unknown regio"),
        ({"q": "wonen", "doc_type": "roman"}, "unknown documenttype"),
        ({"q": "wonen", "year": "vorig jaar"}, "year"),
        ({"q": "wonen", "segment": "x" * 300}, "segment"),
        ({"q": "xyzzyqwv plughfrotz"}, "none of the query's words"),
    ],
)
def test_bad_search_input_is_a_400(client: TestClient, params: dict[str, str], needle: str) -> None:
    message = _error(client.get("/api/search", params=params), 400)
    assert needle.lower() in message.lower()


def test_entity_card_by_compact_prefixed_and_full_iri(client: TestClient) -> None:
    full = "https://w3id.org/jeugdhulp-kb/id/segment/holland-rijnland/wonen"
    for ident in ("segment/holland-rijnland/wonen", "kbi:segment/holland-rijnland/wonen", full):
        response = client.get(f"/api/entities/{ident}")
        assert response.status_code == 200, response.text
        card = response.json()
        assert card["iri"] == full and card["label"] == "Wonen"
        assert "kb:Segment" in card["types"]
        assert card["sources"] and card["sources"][0]["passage"].startswith("kbi:passage/")
        assert card["incoming"] or card["properties"]


def test_bad_entity_ids(client: TestClient) -> None:
    _error(client.get("/api/entities/segment/nergens/niets"), 404)
    _error(client.get("/api/entities/segment/a%20b"), 400)
    _error(client.get('/api/entities/segment/"x"'), 400)


def test_sparql_select_ask_construct(client: TestClient) -> None:
    q = "SELECT ?s ?l WHERE { ?s a kb:Segment ; rdfs:label ?l } ORDER BY ?l LIMIT 3"
    body = client.get("/api/sparql", params={"query": q}).json()
    assert body["head"]["vars"] == ["s", "l"]
    assert len(body["results"]["bindings"]) == 3 and "truncated" not in body
    assert client.post("/api/sparql", data={"query": "ASK { ?s a kb:Segment }"}).json()["boolean"]
    response = client.post(
        "/api/sparql",
        content="CONSTRUCT { ?s a kb:Segment } WHERE { ?s a kb:Segment } LIMIT 2",
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert "Segment" in response.text
    describe = "DESCRIBE <https://w3id.org/jeugdhulp-kb/id/segment/holland-rijnland/wonen>"
    assert client.get("/api/sparql", params={"query": describe}).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
        "SELEC nonsense",
        "",
    ],
)
def test_refused_sparql(client: TestClient, query: str) -> None:
    _error(client.get("/api/sparql", params={"query": query}), 400)
    _error(client.post("/api/sparql", data={"query": query}), 400)


def test_sparql_bad_requests(client: TestClient) -> None:
    _error(client.get("/api/sparql", params={"query": ""}), 400)
    # Without a query the endpoint describes itself (SPARQL 1.1 Service Description).
    assert "sd:Service" in client.get("/api/sparql", headers={"accept": "text/turtle"}).text
    _error(client.get("/api/sparql", params={"query": "SELECT * {" + " " * 30000 + "}"}), 413)
    _error(client.post("/api/sparql", content=b"{}", headers={"content-type": "image/png"}), 415)
    _error(
        client.post(
            "/api/sparql", content=b"\xff\xfe", headers={"content-type": "application/sparql-query"}
        ),
        400,
    )


def test_sparql_time_limit_and_result_cap(settings: Settings) -> None:
    from kb.serve.app import create_app

    tight = settings.model_copy(update={"sparql_timeout": 1.5, "sparql_max_results": 5})
    with TestClient(create_app(tight), raise_server_exceptions=False) as c:
        # More rows than the cap: refused with the limit, never silently cut.
        capped = _error(c.get("/api/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}), 413)
        assert "more than 5 rows" in capped
        limited = c.get("/api/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
        assert len(limited.json()["results"]["bindings"]) == 5
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        message = _error(c.get("/api/sparql", params={"query": slow}), 503)
        assert "1.5 s" in message
        # The worker was replaced: the next query is answered.
        ok = c.get("/api/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_unknown_routes_and_methods(client: TestClient) -> None:
    _error(client.get("/api/nothing-here"), 404)
    _error(client.delete("/api/search"), 405)
    _error(client.get("/zoeken-in-beleid/"), 404)  # this build has no site


def test_security_headers(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "wonen"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert client.get("/openapi.json").status_code == 200


def test_chapter_download_bad_segment(client: TestClient) -> None:
    _error(client.get("/api/generate/chapter", params={"segment": "Ruimtevaart"}), 404)
    _error(client.get("/api/generate/chapter", params={"segment": "Wonen"}), 400)  # 2 regions
    _error(client.get("/api/generate/chapter"), 400)


def test_chapter_download(client: TestClient) -> None:
    pytest.importorskip("generator.docx.chapter", reason="the chapter generator is not there yet")
    response = client.get(
        "/api/generate/chapter", params={"segment": "segment/holland-rijnland/wonen"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content[:2] == b"PK"


def test_no_build_is_a_503(tmp_path: Any) -> None:
    from kb.serve.app import create_app

    with TestClient(create_app(Settings(build_dir=tmp_path)), raise_server_exceptions=False) as c:
        assert c.get("/healthz").status_code == 503
        _error(c.get("/api/search", params={"q": "wonen"}), 503)
        _error(c.get("/api/entities/segment/x"), 503)
