"""A question that names a region or municipality: other places' documents rank lower."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from kb.index.records import Entity
from kb.search.searcher import Searcher
from tests.unit.search.test_search import rec, tiny_index

ALFA = "https://w3id.org/jeugdhulp-kb/id/region/alfaregio"
BETA = "https://w3id.org/jeugdhulp-kb/id/region/betaregio"
DORP = "https://w3id.org/jeugdhulp-kb/id/municipality/gm9999"
ENTITIES = [
    Entity(ALFA, "region", "Alfaregio"),
    Entity(BETA, "region", "Betaregio"),
    Entity(DORP, "municipality", "Gammadorp"),
]


def records() -> list:
    def of(doc: str, region: str, iri: str, n: int, text: str):
        entity = {"iri": iri, "label": region, "type": "region"}
        return rec(doc, n, text, ["Inkoop"], region=region, entities=[entity])

    return [
        # the same answer in two regions' documents, worded so that Beta's matches better
        of("alfa", "Alfaregio", ALFA, 1, "Per 1 januari 2027 starten de overeenkomsten."),
        of("alfa", "Alfaregio", ALFA, 2, "Gammadorp is penvoerder van de regionale inkoop."),
        of("beta", "Betaregio", BETA, 1, "De nieuwe contracten van de regio gaan in op 1 juli."),
        of("beta", "Betaregio", BETA, 2, "Crisishulp is dag en nacht bereikbaar."),
    ]


@pytest.fixture()
def index(tmp_path: Path) -> SimpleNamespace:
    return tiny_index(tmp_path, records(), ENTITIES, dense_weight=0.0, kg_boost=0.0)


def searcher(index: SimpleNamespace, weight: float) -> Searcher:
    return Searcher(
        index.dir, index.settings, embedder=index.emb, place_weight=weight, answer_kind_weight=0
    )


def test_other_places_documents_lose_their_share(index) -> None:
    question = "Wanneer gaan de nieuwe contracten van de regio in? Alfaregio"
    plain, _ = searcher(index, 0.0).score(question)
    lowered, info = searcher(index, 0.6).score(question)
    assert [le.iri for le in info["linked"]] == [ALFA]
    alfa = np.array([r.doc_id == "alfa" for r in searcher(index, 0.0).records])
    assert np.allclose(lowered[alfa], plain[alfa])
    assert np.allclose(lowered[~alfa], 0.4 * plain[~alfa])


def test_the_named_regions_answer_comes_first(index) -> None:
    question = "Wanneer gaan de nieuwe contracten van de regio in in Alfaregio?"
    assert searcher(index, 0.0).search(question, top_k=1)[0].document_id == "beta"
    hits = searcher(index, 0.6).search(question, top_k=4)
    assert hits[0].document_id == "alfa"
    # each hit says what it kept of its score
    assert {h.document_id: h.scores["place"] for h in hits} == {"alfa": 1.0, "beta": 0.4}


def test_a_municipality_counts_for_the_documents_that_name_it(index) -> None:
    # Gammadorp has no graph fact here: the Alfa document is about it because it names it.
    _, info = searcher(index, 0.6).score("Wie is penvoerder in Gammadorp?")
    about = searcher(index, 0.6)._place_documents(info["linked"])
    s = searcher(index, 0.6)
    assert about is not None
    assert {r.doc_id for r, doc in zip(s.records, s._document_of, strict=True) if about[doc]} == {
        "alfa"
    }


def test_questions_without_a_place_or_about_no_document_rank_as_before(index) -> None:
    for question in ("Wanneer gaan de nieuwe contracten in?", "Welke contracten heeft Deltadorp?"):
        plain, _ = searcher(index, 0.0).score(question)
        lowered, _ = searcher(index, 0.6).score(question)
        assert np.allclose(lowered, plain), question
