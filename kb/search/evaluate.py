"""Retrieval evaluation: the matching rule and metrics of the shared evaluation set.

A retrieved passage answers a question when, after the same normalisation of both, it contains
one of the question's gold spans. Normalisation (eval/README.md): remove conversion markers
``[bookmark: …]``, ``[footnoteRef:…]``, ``[image: …]``; Unicode NFKC; lower case; curly quotes to
straight quotes; every run of non-letter/digit characters (``[^\\w]+``) to one space; collapse
white space and strip. A question's rank is the 1-based position of the first answering passage
in the top 10; Recall@k is the share answered within k, MRR@10 the mean of 1/rank (0 if none).

Questions may carry a ``split``: ``tune`` (the search weights are tuned on these) or ``heldout``
(never used for tuning; the quality goals are asserted on these). :func:`evaluate_splits`
reports each split, held-out first, and :func:`split_of` is the documented rule that assigned
them (tests/eval/README.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

_MARKERS_RE = re.compile(r"\[(?:bookmark:|footnoteRef:|image:)[^\]]*\]", re.I)
_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)
_NON_WORD_RE = re.compile(r"[^\w]+")
#: The batch of a question id: the characters before its first digit.
_BATCH_RE = re.compile(r"\D*")
KS = (1, 5, 10)
#: Split names, in report order: the held-out half first.
HELDOUT, TUNE = "heldout", "tune"
SPLITS = (HELDOUT, TUNE)


def normalise(text: str) -> str:
    """The shared normalisation of passage texts and gold spans."""
    text = _MARKERS_RE.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).lower().translate(_QUOTES)
    text = _NON_WORD_RE.sub(" ", text)
    return " ".join(text.split())


def answers(passage_text: str, gold: list[str]) -> bool:
    """Whether a passage contains any of the gold spans (after normalisation)."""
    norm = normalise(passage_text)
    return any((g := normalise(span)) and g in norm for span in gold)


@dataclass
class Question:
    """One evaluation question."""

    id: str
    q: str
    gold: list[str]
    split: str = ""


@dataclass
class QuestionResult:
    """Where a question's first answering passage ranked (None: not in the top k)."""

    id: str
    q: str
    rank: int | None
    top: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class EvalReport:
    """Recall@1/5/10 and MRR@10 over a question set, with the per-question ranks."""

    n: int
    recall: dict[int, float]
    mrr: float
    results: list[QuestionResult]

    @property
    def missed(self) -> list[QuestionResult]:
        return [r for r in self.results if r.rank is None]

    def lines(self) -> list[str]:
        """``R@1 0.xxx`` … ``MRR@10 0.xxx``."""
        return [f"R@{k} {self.recall[k]:.3f}" for k in KS] + [f"MRR@10 {self.mrr:.3f}"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            **{f"R@{k}": round(self.recall[k], 4) for k in KS},
            "MRR@10": round(self.mrr, 4),
            "missed": [asdict(r) for r in self.missed],
            "results": [asdict(r) for r in self.results],
        }


def load_questions(path: Path) -> list[Question]:
    """Read a JSONL question file (``id``, ``q``, ``gold``); ValueError names the bad line."""
    questions = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            gold = raw["gold"]
            questions.append(
                Question(
                    str(raw.get("id", n)),
                    str(raw["q"]),
                    [gold] if isinstance(gold, str) else list(gold),
                    str(raw.get("split", "")),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a question ({exc})") from None
    return questions


def metrics(ranks: list[int | None], k_max: int = 10) -> tuple[dict[int, float], float]:
    """Recall@k for k in (1, 5, 10) and MRR@k_max from first-answer ranks."""
    n = len(ranks) or 1
    recall = {k: sum(1 for r in ranks if r is not None and r <= k) / n for k in KS}
    mrr = sum(1.0 / r for r in ranks if r is not None and r <= k_max) / n
    return recall, mrr


def evaluate(
    searcher: Any, questions: list[Question], *, top_k: int = 10, **filters: Any
) -> EvalReport:
    """Run every question through ``searcher.search`` and score the ranking."""
    results = []
    for q in questions:
        try:
            hits = searcher.search(q.q, top_k=top_k, **filters)
            error = ""
        except Exception as exc:  # noqa: BLE001 - a refused question counts as a miss
            hits, error = [], str(exc)
        rank = next((i for i, h in enumerate(hits, 1) if answers(h.full_text(), q.gold)), None)
        results.append(QuestionResult(q.id, q.q, rank, [h.passage_id for h in hits[:3]], error))
    recall, mrr = metrics([r.rank for r in results], top_k)
    return EvalReport(len(questions), recall, mrr, results)


def split_of(ids: list[str]) -> dict[str, str]:
    """The documented split rule: per batch, sorted by sha256 of the id, the first half is held out.

    A batch is the ids sharing the letters before the number (``d01``…``d30`` one batch,
    ``e01``… the next). A hash of the id, not the position, so no one chooses which questions
    are held out; splitting each batch on its own means a question never changes half when a
    later batch is added.
    """
    batches: dict[str, list[str]] = {}
    for i in ids:
        batches.setdefault(_BATCH_RE.match(i).group(0), []).append(i)  # type: ignore[union-attr]
    out: dict[str, str] = {}
    for batch in batches.values():
        order = sorted(batch, key=lambda i: hashlib.sha256(i.encode("utf-8")).hexdigest())
        held = set(order[: len(order) // 2])
        out.update({i: HELDOUT if i in held else TUNE for i in batch})
    return {i: out[i] for i in ids}


def evaluate_splits(
    searcher: Any, questions: list[Question], *, top_k: int = 10, **filters: Any
) -> dict[str, EvalReport]:
    """One report per split (held-out first, then tune, then any other), plus ``all``.

    Questions without a split count only in ``all``.
    """
    names = [s for s in SPLITS if any(q.split == s for q in questions)]
    names += sorted({q.split for q in questions} - set(SPLITS) - {""})
    reports = {
        name: evaluate(searcher, [q for q in questions if q.split == name], top_k=top_k, **filters)
        for name in names
    }
    reports["all"] = evaluate(searcher, questions, top_k=top_k, **filters)
    return reports
