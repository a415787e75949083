"""The search API puts answer cards from the graph before the hits, and the filters endpoint
names document types, entity kinds and regions apart from subregions in Dutch (tiny invented
graph, hashing embedder: no model, no corpus)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, URIRef

from kb.rdf.namespaces import KB
from kb.settings import Settings

TINY = Path(__file__).parents[1] / "search" / "answers_tiny.ttl"
ID = "https://w3id.org/jeugdhulp-kb/id/"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from kb.index.build import build_index
    from kb.index.embed import HashingEmbedder
    from kb.index.records import Record, load_entities, passage_id_from_iri
    from kb.rdf.ontology import load_ontology_graph
    from kb.rdf.store import save_graph
    from kb.serve.app import create_app

    build_dir = tmp_path_factory.mktemp("serve-answers")
    release = build_dir / "releases" / "r1"
    base = Settings(build_dir=build_dir, embedding_model="hashing")
    graph = Graph()
    graph += load_ontology_graph(base.ontology_dir)
    graph.parse(TINY, format="turtle")
    # A subregion, so the region filter has something to keep apart.
    graph.parse(
        data=f"""@prefix kb: <https://w3id.org/jeugdhulp-kb/def#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix org: <http://www.w3.org/ns/org#> .
        <{ID}subregion/zuidhoek/oost> a kb:Subregion ; rdfs:label "Oostrand" ;
            org:subOrganizationOf <{ID}region/zuidhoek> .""",
        format="turtle",
    )
    save_graph(graph, release)
    records = []
    for n, passage in enumerate(sorted(graph.subjects(RDF.type, KB.Passage)), 1):
        pid = passage_id_from_iri(str(passage))
        doc = pid.split("/p/")[0]
        text = str(graph.value(URIRef(passage), KB.text))
        records.append(
            Record(
                id=pid, iri=str(passage), doc_id=doc, doc_iri=f"{ID}document/{doc}",
                doc_title=doc, doc_type="inkoopplan", year=2030,
                region="Oostrand" if n == 1 else "Zuidhoek", region_iri=f"{ID}region/zuidhoek",
                section_id=f"{doc}/s/{n}", section_path=["Inkoop"], start=0, end=len(text),
                text=text, segments=["Verblijf", "Verblijff"] if n == 2 else [],
            )
        )  # fmt: skip
    build_index(
        release, base, embedder=HashingEmbedder(), records=records, entities=load_entities(graph)
    )
    (build_dir / "current").symlink_to(Path("releases") / "r1")
    with TestClient(create_app(base), raise_server_exceptions=False) as test_client:
        yield test_client


def test_search_answers_come_before_hits_with_their_quote(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "Wat is het budget van Alfadorp in 2030?"})
    assert response.status_code == 200, response.text
    body = response.json()
    keys = list(body)
    assert keys.index("answers") < keys.index("hits")
    (card,) = body["answers"]
    assert card["value"] == "€\u00a01.200.000" and card["entity"] == "Alfadorp"
    assert card["status"] == "bevestigd"
    hit_texts = {h["passage_id"]: h["text"] for h in body["hits"]}
    assert card["quote"] in hit_texts[card["passage_id"]]


def test_search_without_a_fact_has_no_answers(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Hoe lang lopen contracten in Kuststreek?"})
    assert body.status_code == 200, body.text
    assert body.json()["answers"] == []


def test_filters_name_regions_apart_from_subregions_in_dutch(client: TestClient) -> None:
    body = client.get("/api/filters").json()
    assert body["region_groups"] == {"regions": ["Zuidhoek"], "subregions": ["Oostrand"]}
    assert body["doc_type_labels"] == {"inkoopplan": "Inkoopplan"}
    assert body["kind_labels"]["region"] == "Regio"
    assert body["kind_labels"]["municipality"] == "Gemeente"
    assert body["years"] == [2030]


def test_segment_filter_offers_the_segments_names_only(client: TestClient) -> None:
    # The index knows a misspelt heading as a segment name too; the filter offers the label.
    assert client.get("/api/filters").json()["segments"] == ["Verblijf"]


def test_kb_search_prints_the_same_answers_as_the_api(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from kb.cli.main import app

    build_dir = Path(client.app.state.holder.settings.build_dir)  # type: ignore[attr-defined]
    monkeypatch.setenv("KB_EMBEDDING_MODEL", "hashing")  # the index's test embedder
    q = "Welke bekostiging geldt voor Verblijf?"
    cli = CliRunner().invoke(app, ["search", q, "--json", "-k", "3", "-b", str(build_dir)])
    assert cli.exit_code == 0, cli.output
    printed = json.loads(cli.stdout)
    assert (
        printed["answers"]
        == client.get("/api/search", params={"q": q, "top_k": 3}).json()["answers"]
    )
    assert printed["answers"][0]["quote"] == "De bekostiging is resultaatgericht per traject."
