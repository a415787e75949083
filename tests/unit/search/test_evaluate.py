"""The evaluation halves: the documented split rule and per-half reports (held-out first)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from kb.search.evaluate import HELDOUT, TUNE, Question, evaluate_splits, load_questions, split_of

DEV = Path(__file__).resolve().parents[2] / "eval" / "dev_questions.jsonl"


def test_dev_questions_follow_the_documented_split() -> None:
    questions = load_questions(DEV)
    assert {q.split for q in questions} == {HELDOUT, TUNE}
    assert {q.id: q.split for q in questions} == split_of([q.id for q in questions])
    held = [q for q in questions if q.split == HELDOUT]
    assert len(held) == len(questions) // 2


def test_split_rule_is_by_hash_not_position() -> None:
    ids = [f"q{i:02d}" for i in range(20)]
    split = split_of(ids)
    assert list(split.values()).count(HELDOUT) == 10
    assert split_of(list(reversed(ids))) == split  # order does not matter
    assert split != {i: (HELDOUT if n < 10 else TUNE) for n, i in enumerate(ids)}


class _Fixed:
    """A searcher that returns the same passages for every question."""

    def __init__(self, texts: list[str]) -> None:
        self.hits = [SimpleNamespace(full_text=lambda t=t: t, passage_id=t) for t in texts]

    def search(self, query: str, top_k: int = 10, **_: object) -> list:
        return self.hits[:top_k]


def test_reports_per_half_held_out_first(tmp_path: Path) -> None:
    questions = [
        Question("a", "vraag a", ["budget"], TUNE),
        Question("b", "vraag b", ["crisis"], HELDOUT),
        Question("c", "vraag c", ["nergens"], HELDOUT),
    ]
    reports = evaluate_splits(_Fixed(["iets", "het budget", "crisis"]), questions)
    assert list(reports) == [HELDOUT, TUNE, "all"]
    assert reports[HELDOUT].n == 2 and reports[HELDOUT].recall[5] == 0.5
    assert reports[HELDOUT].mrr == 1 / 3 / 2
    assert reports[TUNE].mrr == 0.5
    assert reports["all"].n == 3


def test_split_field_is_read(tmp_path: Path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(
        json.dumps({"id": "x", "split": "heldout", "q": "v", "gold": "g"})
        + "\n"
        + json.dumps({"id": "y", "q": "v", "gold": ["g"]})
        + "\n",
        encoding="utf-8",
    )
    assert [q.split for q in load_questions(path)] == [HELDOUT, ""]


def test_a_new_batch_moves_no_earlier_question() -> None:
    first = [f"d{i:02d}" for i in range(30)]
    later = [f"e{i:02d}" for i in range(49)]
    before = split_of(first)
    after = split_of(first + later)
    assert {i: after[i] for i in first} == before
    assert [after[i] for i in later].count(HELDOUT) == len(later) // 2
