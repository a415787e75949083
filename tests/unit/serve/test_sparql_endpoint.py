"""``/api/sparql`` is a standard SPARQL 1.1 endpoint: real clients in every format, 406, caps,
``default-graph-uri`` and a service description."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from kb.rdf.namespaces import KB, KBI, sparql_prefixes
from kb.serve.sparql import GRAPH_IRI
from kb.settings import Settings

from .conftest import SEGMENTS, Served, tiny_build

SELECT = sparql_prefixes() + (
    "SELECT ?s ?l WHERE { ?s a kb:Segment ; rdfs:label ?l } ORDER BY ?l LIMIT 3"
)
CONSTRUCT = sparql_prefixes() + "CONSTRUCT { ?s a kb:Segment } WHERE { ?s a kb:Segment } LIMIT 4"


def _wrapper(served: Served, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{served.base}/api/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setTimeout(30)
    return client


def test_sparqlwrapper_select_in_every_result_format(served: Served) -> None:
    as_json = _wrapper(served, SELECT, JSON).query()
    assert as_json.response.headers["content-type"].startswith("application/sparql-results+json")
    rows = as_json.convert()["results"]["bindings"]
    assert [r["l"]["value"] for r in rows] == ["Wonen 00", "Wonen 01", "Wonen 02"]
    assert rows[0]["l"]["xml:lang"] == "nl"

    as_xml = _wrapper(served, SELECT, XML).query()
    assert as_xml.response.headers["content-type"].startswith("application/sparql-results+xml")
    literals = as_xml.convert().getElementsByTagName("literal")
    assert [n.firstChild.data for n in literals] == ["Wonen 00", "Wonen 01", "Wonen 02"]

    as_csv = _wrapper(served, SELECT, CSV).query()
    assert as_csv.response.headers["content-type"].startswith("text/csv")
    lines = as_csv.convert().decode().splitlines()
    assert lines[0] == "s,l" and lines[1] == f"{KBI[SEGMENTS[0]]},Wonen 00" and len(lines) == 4

    as_tsv = _wrapper(served, SELECT, TSV).query()
    assert as_tsv.response.headers["content-type"].startswith("text/tab-separated-values")
    lines = as_tsv.convert().decode().splitlines()
    assert lines[0] == "?s\t?l" and lines[1] == f'<{KBI[SEGMENTS[0]]}>\t"Wonen 00"@nl'


def test_sparqlwrapper_ask_in_every_result_format(served: Served) -> None:
    ask = sparql_prefixes() + "ASK { ?s a kb:Segment }"
    assert _wrapper(served, ask, JSON).query().convert()["boolean"] is True
    xml = _wrapper(served, ask, XML).query().convert()
    assert xml.getElementsByTagName("boolean")[0].firstChild.data == "true"
    assert _wrapper(served, ask, CSV).query().convert().decode().split()[-1] == "true"
    assert _wrapper(served, ask, TSV).query().convert().decode().split()[-1] == "true"


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3])
def test_sparqlwrapper_construct_in_every_graph_format(served: Served, fmt: str) -> None:
    graph = _wrapper(served, CONSTRUCT, fmt).query().convert()
    if not isinstance(graph, Graph):  # N3/Turtle come back as bytes
        graph = Graph().parse(data=graph, format="turtle")
    assert len(graph) == 4
    assert all(o == KB.Segment for o in graph.objects())


def test_rdflib_sparqlstore_select_ask_construct_and_triples(served: Served) -> None:
    store = SPARQLStore(f"{served.base}/api/sparql", returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query(SELECT))
    assert [str(r.l) for r in rows] == ["Wonen 00", "Wonen 01", "Wonen 02"]
    assert rows[0].l == Literal("Wonen 00", lang="nl")
    assert graph.query(sparql_prefixes() + "ASK { ?s a kb:Segment }").askAnswer is True
    assert not graph.query("ASK { <urn:none> ?p ?o }").askAnswer
    constructed = graph.query(CONSTRUCT).graph
    assert len(constructed) == 4
    subject = URIRef(KBI[SEGMENTS[3]])
    labels = list(graph.triples((subject, None, None)))
    assert len(labels) == 2
    json_store = Graph(store=SPARQLStore(f"{served.base}/api/sparql", returnFormat="json"))
    assert len(list(json_store.query(SELECT))) == 3


def test_nothing_acceptable_is_406_with_the_formats(served: Served) -> None:
    response = httpx.get(
        f"{served.base}/api/sparql", params={"query": SELECT}, headers={"accept": "image/png"}
    )
    assert response.status_code == 406
    assert "text/csv" in response.json()["available"]
    graph_answer = httpx.get(
        f"{served.base}/api/sparql", params={"query": CONSTRUCT}, headers={"accept": "text/csv"}
    )
    assert graph_answer.status_code == 406
    assert "text/turtle" in graph_answer.json()["available"]


def test_quality_values_choose_the_format(served: Served) -> None:
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    response = httpx.get(
        f"{served.base}/api/sparql", params={"query": SELECT}, headers={"accept": accept}
    )
    assert response.headers["content-type"].startswith("application/sparql-results+xml")


def test_too_many_rows_is_413_naming_the_limit(served: Served) -> None:
    limit = served.settings.sparql_max_results
    assert len(SEGMENTS) > limit
    query = sparql_prefixes() + "SELECT ?s WHERE { ?s a kb:Segment }"
    response = httpx.get(f"{served.base}/api/sparql", params={"query": query})
    assert response.status_code == 413
    assert f"more than {limit} rows" in response.json()["error"]


def test_default_graph_uri(served: Served) -> None:
    url = f"{served.base}/api/sparql"
    ok = httpx.get(url, params={"query": SELECT, "default-graph-uri": GRAPH_IRI})
    assert ok.status_code == 200 and len(ok.json()["results"]["bindings"]) == 3
    form = httpx.post(url, data={"query": SELECT, "default-graph-uri": GRAPH_IRI})
    assert form.status_code == 200
    unknown = httpx.get(url, params={"query": SELECT, "default-graph-uri": "http://x.example/g"})
    assert unknown.status_code == 400 and GRAPH_IRI in unknown.json()["error"]
    named = httpx.get(url, params={"query": SELECT, "named-graph-uri": GRAPH_IRI})
    assert named.status_code == 400


def test_the_endpoint_describes_itself(served: Served) -> None:
    response = httpx.get(f"{served.base}/api/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(f"{served.base}/api/sparql")
    assert (endpoint, URIRef(sd + "endpoint"), endpoint) in graph
    formats = {str(o) for o in graph.objects(endpoint, URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_TSV" in formats


def test_a_huge_answer_is_refused_while_it_is_made(served: Served) -> None:
    """A short query whose answer would be enormous (CONCAT over a cartesian product) stops at
    the byte cap, long before it is whole."""
    from kb.serve.sparql import AnswerTooLarge, load_store, run_query

    store = load_store(served.settings.current_dir)
    concat = ", ".join(["STR(?l)"] * 100)
    query = (
        sparql_prefixes()
        + "SELECT ?x WHERE { ?s rdfs:label ?l . ?a ?b ?c . ?d ?e ?f "
        + f"BIND(CONCAT({concat}) AS ?x) }}"
    )
    with pytest.raises(AnswerTooLarge, match="more than 100,000 bytes"):
        run_query(store, query, "json", max_rows=10**9, max_bytes=100_000)
    for fmt in ("xml", "csv", "tsv"):
        small = run_query(store, SELECT, fmt, max_rows=10, max_bytes=100_000)
        assert b"Wonen 00" in small


def test_an_answer_over_the_byte_cap_is_413_naming_the_limit(tmp_path: Path) -> None:
    """``sparql_max_bytes`` reaches the workers: an answer within the row cap but over the
    byte cap is refused over HTTP with the limit and the setting's name."""
    from fastapi.testclient import TestClient

    from kb.serve.app import create_app

    tiny_build(tmp_path)
    settings = Settings(build_dir=tmp_path, sparql_max_bytes=2000, sparql_max_results=1000)
    concat = ", ".join(["STR(?l)"] * 30)
    query = (
        sparql_prefixes()
        + f"SELECT ?x WHERE {{ ?s a kb:Segment ; rdfs:label ?l BIND(CONCAT({concat}) AS ?x) }}"
    )
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/sparql", params={"query": query})
        assert response.status_code == 413
        assert "more than 2,000 bytes (sparql_max_bytes)" in response.json()["error"]
        small = client.get("/api/sparql", params={"query": SELECT})
        assert small.status_code == 200


def test_the_byte_cap_stops_reading_rows_before_the_answer_is_whole() -> None:
    """The cap is checked row by row as the store produces them: past ``max_bytes`` no further
    row is read (the old check on the finished answer let a 267 MB answer be made first)."""
    from kb.serve.sparql import AnswerTooLarge, _capped

    read = 0

    def rows() -> Iterator[list[str]]:
        nonlocal read
        value = "x" * 1000
        for _ in range(100_000):  # 100 MB if it were read whole
            read += 1
            yield [value]

    with pytest.raises(AnswerTooLarge, match="more than 10,000 bytes"):
        for _ in _capped(rows(), max_rows=10**9, max_bytes=10_000):
            pass
    assert read <= 11


def test_a_query_past_the_memory_limit_stops_only_its_worker(served: Served) -> None:
    from kb.serve.sparql import SparqlRunner, SparqlUnavailable

    runner = SparqlRunner(timeout=60, max_results=10, workers=1, max_memory_mb=512)
    release = served.settings.current_dir.resolve()
    try:
        patterns = " . ".join(f"?s{n} ?p{n} ?o{n}" for n in range(5))
        keys = ", ".join(f"STR(?o{n})" for n in range(5))
        huge = f"SELECT ?x WHERE {{ {patterns} BIND(CONCAT({keys}) AS ?x) }} ORDER BY ?x LIMIT 1"
        with pytest.raises(SparqlUnavailable, match="sparql_max_memory_mb"):
            runner.run(release, huge, "json")
        # The next query gets a fresh worker.
        assert b"Wonen 00" in runner.run(release, SELECT, "csv")
    finally:
        runner.close()
