"""Answer cards from a tiny invented graph: question types, entities, quotes, and no card when
the graph has no fact (no corpus build, no model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kb.search.answers import AnswerCard, Answerer

TINY = Path(__file__).parent / "answers_tiny.ttl"


@pytest.fixture(scope="module")
def graph() -> Graph:
    """The ontology with its schemes (as every build loads them) plus the tiny facts."""
    from kb.rdf.ontology import load_ontology_graph
    from kb.settings import Settings

    g = Graph(store="Oxigraph")
    g += load_ontology_graph(Settings().ontology_dir)
    g.parse(TINY, format="turtle")
    return g


@pytest.fixture(scope="module")
def answerer(graph: Graph) -> Answerer:
    return Answerer(graph)


def passage_text(graph: Graph, card: AnswerCard) -> str:
    from rdflib import URIRef

    from kb.rdf.namespaces import KB

    assert card.passage_iri
    return str(graph.value(URIRef(card.passage_iri), KB.text))


def only(cards: list[AnswerCard]) -> AnswerCard:
    assert len(cards) == 1, [c.value for c in cards]
    return cards[0]


def check_provenance(graph: Graph, card: AnswerCard) -> None:
    """Every card quotes its passage verbatim and names the passage and document."""
    assert card.quote and card.quote in passage_text(graph, card)
    assert card.passage_id and card.passage_id.startswith(f"{card.document_id}/p/")
    assert card.document


def test_budget_of_municipality_and_year(answerer: Answerer, graph: Graph) -> None:
    card = only(answerer.answer("Wat is het budget van Alfadorp in 2030?"))
    assert card.question_type == "budget"
    assert card.value == "€\u00a01.200.000" and card.unit == "EUR"
    assert card.entity == "Alfadorp"
    assert "Zorg in natura" in card.detail and "2030" in card.detail
    assert card.status == "bevestigd"
    assert card.quote == "in 2030 een bedrag van 1.200.000 euro"
    check_provenance(graph, card)


def test_budget_of_a_year_without_lines_gets_no_card(answerer: Answerer) -> None:
    assert answerer.answer("Wat is het budget van Alfadorp in 2029?") == []


def test_contract_duration_of_segment(answerer: Answerer, graph: Graph) -> None:
    card = only(answerer.answer("Hoe lang lopen de contracten van Verblijf in Zuidhoek?"))
    assert card.question_type == "contractduur"
    assert card.value == "4 tot 8 jaar"
    assert card.entity == "Verblijf"
    assert card.quote == "contracten van 4 jaar met twee keer 2 jaar verlenging"
    check_provenance(graph, card)


def test_funding_model_names_the_concept(answerer: Answerer, graph: Graph) -> None:
    card = only(answerer.answer("Welke bekostiging geldt voor Verblijf?"))
    assert card.question_type == "bekostigingsmodel"
    assert card.value.lower().startswith("resultaatgericht")
    assert card.quote == "De bekostiging is resultaatgericht per traject."
    check_provenance(graph, card)


def test_purchasing_model_of_region_is_a_regional_choice(answerer: Answerer, graph: Graph) -> None:
    card = only(answerer.answer("Welk inkoopmodel kiest Zuidhoek?"))
    assert card.question_type == "inkoopmodel"
    assert card.value.lower() == "open house"
    assert card.entity == "Zuidhoek" and card.status == "bevestigd"
    assert card.fact_type == "Inkoopkeuze"
    check_provenance(graph, card)


def test_start_date_is_a_proposed_fact(answerer: Answerer, graph: Graph) -> None:
    card = only(answerer.answer("Wanneer starten de nieuwe contracten in Zuidhoek?"))
    assert card.question_type == "startdatum"
    assert card.value == "1 januari 2031"
    assert card.status == "voorgesteld"
    assert card.quote == "De nieuwe contracten starten op 1 januari 2031"
    check_provenance(graph, card)


def test_providers_now_and_aimed_for_are_told_apart(answerer: Answerer, graph: Graph) -> None:
    now = only(answerer.answer("Hoeveel aanbieders heeft Zuidhoek op dit moment?"))
    assert now.question_type == "aantal-aanbieders-nu" and now.value == "140"
    target = only(answerer.answer("Met hoeveel aanbieders wil Zuidhoek straks werken?"))
    assert target.question_type == "aantal-aanbieders-beoogd" and target.value == "60"
    assert target.quote == "na de inkoop willen we naar circa 60 aanbieders"
    for card in (now, target):
        check_provenance(graph, card)


def test_providers_without_a_cue_for_now_or_later_give_both(answerer: Answerer) -> None:
    cards = answerer.answer("Hoeveel aanbieders in Zuidhoek?")
    assert {c.value for c in cards} == {"140", "60"}  # the rejected proposal is left out


def test_municipality_question_reaches_its_regions_choices(answerer: Answerer) -> None:
    card = only(answerer.answer("Welk inkoopmodel heeft Alfadorp?"))
    assert card.entity == "Zuidhoek"


def test_no_fact_no_card(answerer: Answerer) -> None:
    # A question type with an entity that has no such fact, one without an entity, and a
    # question that asks for no figure at all.
    assert answerer.answer("Wat is de contractduur in Kuststreek?") == []
    assert answerer.answer("Hoe lang duren de contracten?") == []
    assert answerer.answer("Wat doet de jeugdbescherming in Zuidhoek?") == []


def test_intent_reads_year_and_entities(answerer: Answerer) -> None:
    intent = answerer.intent("Wat is het budget van Alfadorp in 2030?")
    assert [t.slug for t in intent.types] == ["budget"]
    assert intent.year == 2030
    assert [e.label for e in intent.entities] == ["Alfadorp"]


def test_contract_form_without_duration_does_not_answer_how_long(answerer: Answerer) -> None:
    assert answerer.answer("Hoe lang lopen de contracten van segment Ambulant?") == []


def test_a_regional_choice_with_a_number_shows_the_number(answerer: Answerer) -> None:
    card = only(answerer.answer("Hoeveel aanbieders heeft Kuststreek nu?"))
    assert card.value == "140" and card.entity == "Kuststreek"
    assert card.detail == "Ruim 140 aanbieders met een contract"


def test_cards_are_headed_by_the_aspect_and_names_stay_unambiguous(
    answerer: Answerer, graph: Graph
) -> None:
    from kb.views.lookup import resolve_entity

    card = only(answerer.answer("Hoe lang lopen de contracten van Verblijf in Zuidhoek?"))
    assert card.question_label == "Contractduur"
    # The question types do not take the names of the aspects they ask about.
    aspect = "https://w3id.org/jeugdhulp-kb/id/concept/keuze-aspecten/contractduur"
    assert str(resolve_entity(graph, "Contractduur")) == aspect


def test_a_named_region_picks_among_segments_of_the_same_name(answerer: Answerer) -> None:
    card = only(answerer.answer("Hoe lang lopen de contracten van Verblijf in Kuststreek?"))
    assert card.value == "6 jaar" and card.quote == "contracten van 6 jaar"
    # Without a region both regions' segments answer.
    both = answerer.answer("Hoe lang lopen de contracten van segment Verblijf?")
    assert sorted(c.value for c in both) == ["4 tot 8 jaar", "6 jaar"]
