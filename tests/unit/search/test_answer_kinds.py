"""Answer kinds: which value a question asks for, which passages state one, and the ranking."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from kb.index.format import ANSWER_KINDS
from kb.index.records import Record
from kb.index.value_kinds import passage_kinds, question_cues
from kb.rdf.vocabulary import load_vocabulary
from kb.search.answer_kinds import AnswerKinds
from kb.search.searcher import Searcher
from tests.unit.search.test_search import rec, tiny_index


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Nu werken 164 aanbieders in de regio.", ["aantal"]),
        ("In de regio krijgen ruim zesduizend kinderen jeugdhulp.", ["aantal"]),
        ("De contracten gaan in op 1 januari 2027.", ["aantal", "datum"]),
        ("September: start implementatie", ["datum"]),
        ("De gunning volgt in het tweede kwartaal.", ["datum"]),
        ("De contracten lopen vier jaar, met twee keer een jaar verlenging.", ["aantal", "duur"]),
        ("Een contract van 4+2 jaar vanaf medio 2025.", ["aantal", "datum", "duur"]),
        ("De wachttijd is gemiddeld zes weken.", ["aantal", "duur"]),
        ("Een melding wordt binnen 5 werkdagen beoordeeld.", ["aantal", "duur"]),
        # a day of the week is no span, and "een dag" has no count
        ("Het overleg is op dinsdag; een dag later volgt het verslag.", []),
        # "een" is an article, not a number; ages are no durations.
        ("Een aanbieder levert zorg aan een jeugdige.", []),
        ("Jeugdhulp is er voor jongeren tot achttien jaar.", ["aantal"]),
        ("De gemeenten kopen samen in en delen de risico's.", []),
    ],
)
def test_the_kinds_of_value_a_passage_states(text: str, kinds: list[str]) -> None:
    assert passage_kinds(text) == kinds


def kinds_of_the_ontology(records: list[Record] | None = None) -> AnswerKinds:
    return AnswerKinds(question_cues(load_vocabulary()), records or [])


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("Hoeveel aanbieders heeft de regio?", ["aantal"]),
        ("Wat is het aantal jeugdigen met verblijf?", ["aantal"]),
        ("Wanneer gaan de nieuwe contracten in?", ["datum"]),
        ("startdatum nieuwe overeenkomsten", ["datum"]),
        ("Hoe lang lopen de contracten?", ["duur"]),
        # the longest cue wins where two overlap: years asked for are a duration
        ("Hoeveel jaar duurt de raamovereenkomst?", ["duur"]),
        ("Wat is de looptijd en hoeveel aanbieders doen mee?", ["duur", "aantal"]),
        ("Welke bekostiging geldt voor segment Wonen?", []),
        ("Waarom kiest de regio voor een open house?", []),
    ],
)
def test_the_kind_a_question_asks_for_comes_from_the_scheme(
    question: str, kinds: list[str]
) -> None:
    assert kinds_of_the_ontology().of_question(question) == kinds


def test_an_index_without_the_scheme_asks_for_nothing() -> None:
    kinds = AnswerKinds({}, [])
    assert kinds.of_question("Hoeveel aanbieders?") == []
    assert kinds.stating(["aantal"]) is None


def record(n: int, text: str) -> Record:
    return rec("doc", n, text, ["Aanbieders"])


PASSAGES = [
    # more of the question's words, but no figure: ranks first on words alone
    "Minder aanbieders van jeugdhulp in de regio: het aantal aanbieders daalt.",
    "Nu werken 164 aanbieders van jeugdhulp in de regio, verspreid over het hele gebied.",
    "Crisishulp is dag en nacht beschikbaar voor jeugdigen en hun ouders.",
]


@pytest.fixture()
def index(tmp_path: Path) -> SimpleNamespace:
    records = [record(i, t) for i, t in enumerate(PASSAGES)]
    return tiny_index(tmp_path, records, [], dense_weight=0.0, kg_boost=0.0)


def test_the_index_holds_each_passages_kinds_and_the_question_words(index) -> None:
    lines = (index.dir / "records.jsonl").read_text(encoding="utf-8").splitlines()
    # "het aantal aanbieders" names a number but states none
    assert [json.loads(line)["answer_kinds"] for line in lines] == [[], ["aantal"], []]
    cues = json.loads((index.dir / ANSWER_KINDS).read_text(encoding="utf-8"))
    assert "hoeveel" in cues["aantal"] and "wanneer" in cues["datum"] and "hoe lang" in cues["duur"]


def test_a_question_for_a_number_lowers_passages_without_one(index) -> None:
    question = "Hoeveel aanbieders van jeugdhulp werken in de regio?"
    off = Searcher(index.dir, index.settings, embedder=index.emb, answer_kind_weight=0.0)
    on = Searcher(index.dir, index.settings, embedder=index.emb, answer_kind_weight=0.5)
    plain, _ = off.score(question)
    lowered, info = on.score(question)
    assert info["answer_kinds"] == ["aantal"]
    stating = on.answer_kinds.stating(["aantal"])
    assert stating is not None
    assert np.allclose(lowered[stating], plain[stating])
    assert np.allclose(lowered[~stating], 0.5 * plain[~stating])


def test_the_passage_with_the_figure_answers_first(index) -> None:
    question = "Hoeveel aanbieders van jeugdhulp in de regio?"
    off = Searcher(index.dir, index.settings, embedder=index.emb, answer_kind_weight=0.0)
    on = Searcher(index.dir, index.settings, embedder=index.emb, answer_kind_weight=0.5)
    assert off.search(question, top_k=1)[0].passage_id == "doc/p/0000"  # more words in common
    hits = on.search(question, top_k=2)
    assert hits[0].passage_id == "doc/p/0001"  # … but no figure
    assert [h.scores["answer_kind"] for h in hits] == [1.0, 0.5]
    # a question that asks for no value ranks as before
    assert [h.passage_id for h in on.search("aanbieders van jeugdhulp in de regio")] == [
        h.passage_id for h in off.search("aanbieders van jeugdhulp in de regio")
    ]


@pytest.mark.parametrize("content", ["[1, 2]", '{"aantal": "hoeveel"}', "{niet json"])
def test_a_damaged_answer_kinds_file_is_a_clear_error(index, content: str) -> None:
    from kb.search.searcher import SearchError

    (index.dir / ANSWER_KINDS).write_text(content, encoding="utf-8")
    with pytest.raises(SearchError, match=r"damaged \(ValueError: answer_kinds\.json.*--rebuild"):
        Searcher(index.dir, index.settings, embedder=index.emb)
