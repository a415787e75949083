"""Ranking ideas for issue 11, measured on the tune half and the fact-less questions only.

Every idea is a change on top of the default search (e5 hybrid, fusion ``depth``), applied to
the fused scores of a :class:`~kb.search.searcher.Searcher` by a subclass, so the default code
path stays as it is. The held-out half of ``tests/eval/dev_questions.jsonl`` is never loaded
here (the run stops if a held-out question slips in): it is measured once, at the end, with
``benchmarks/bench_search.py``. The second signal, ``tests/eval/factless_questions.jsonl``
(questions about region documents without segment facts), is no part of either half.

Ideas (each with the values tried):

- neighbour: a passage gains ``g`` times the fused score of the passage before it in the same
  section (an answer often follows the passage that names the subject: a table row after its
  caption, a figure after its description);
- window-e5: the dense score is the larger of the passage's own vector and that of the passage
  embedded together with the one before it (``passage: header + previous + text``);
- plain-e5 rerank: among the fused top 30, add ``r`` times e5's similarity to the passage text
  without its context header (the header makes every passage of a section look alike);
- coverage rerank: among the fused top 30, scale by the idf-weighted share of the query's terms
  the passage has;
- card boost: the passages the graph's answer cards quote gain ``b`` times the best score;
- label expansion: the query gets every Dutch label of the concepts it links (not only the
  other form of an abbreviation);
- question words as stopwords: ``hoeveel``, ``hoelang`` and the ``waar-`` pronominal adverbs
  are left out of the lexical index and the queries (``daarop``, ``daarmee`` … already are);
- BM25 ``k1`` / ``b``;
- sentence-window e5: a passage of more than three sentences is also embedded in windows of
  three sentences (stride two, each with the passage's header); its dense score becomes
  ``(1 - a) · own + a · max(own, best window)``, so an answer sentence buried in a long passage
  counts (about 840 extra vectors on the eval corpus);
- plain BM25 mix: the lexical score is ``(1 - a)`` times BM25 over header + text plus ``a`` times
  BM25 over the passage text alone (both scaled to their own top ``fusion_depth``), so the
  header, which every passage of a section shares, weighs less.

Run (about four minutes on this machine, most of it embedding)::

    python benchmarks/search_ideas.py [--release BUILD/current]

Prints one line per idea: tune R@1, R@5, MRR@10 and the same for the fact-less questions.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "eval"))

from kb.index.build import build_index, records_from_release  # noqa: E402
from kb.search.evaluate import TUNE, evaluate, load_questions  # noqa: E402
from kb.search.searcher import Searcher, scale_to_depth  # noqa: E402

EVAL = REPO / "tests" / "eval"
#: Dutch question words that are not in the lexical stopword list (tried as stopwords).
QUESTION_WORDS = [
    "hoeveel",
    "hoelang",
    "waarop",
    "waarmee",
    "waarvoor",
    "waaraan",
    "waarin",
    "waaruit",
    "waarbij",
    "waardoor",
    "waarnaar",
    "waarover",
]


class IdeaSearcher(Searcher):
    """The default searcher plus one idea at a time (``self.idea``: name and value)."""

    idea: tuple[str, float] = ("", 0.0)
    window: np.ndarray | None = None  # vectors of previous + own passage
    sentences: np.ndarray | None = None  # vectors of three-sentence windows of long passages
    sentence_rows: np.ndarray | None = None  # the passage row of each window
    plain_lexical: Any = None  # BM25 over the passage text without header
    plain: np.ndarray | None = None  # vectors of the passage text without header
    answerer: Any = None
    previous: np.ndarray

    def prepare(self) -> None:
        """Row of the previous passage in the same section (-1: none)."""
        recs = self.records
        self.previous = np.array(
            [
                i - 1
                if i and recs[i - 1].doc_id == r.doc_id and recs[i - 1].section_id == r.section_id
                else -1
                for i, r in enumerate(recs)
            ]
        )
        self.terms = [set(self.lexical.analyzer.terms(r.indexed_text())) for r in recs]
        self.df: dict[str, int] = {}
        for terms in self.terms:
            for t in terms:
                self.df[t] = self.df.get(t, 0) + 1
        self.row_of = {r.id: i for i, r in enumerate(recs)}

    def _dense_scores(self, query: str, mask: np.ndarray) -> np.ndarray:
        own = super()._dense_scores(query, mask)
        if self.idea[0] == "window-e5" and self.window is not None:
            return np.maximum(own, self.window @ self._query_vector(query)[0]).astype(np.float32)
        if self.idea[0] == "sentence-window e5" and self.sentences is not None:
            best = own.copy()
            np.maximum.at(best, self.sentence_rows, self.sentences @ self._query_vector(query)[0])
            a = self.idea[1]
            return ((1 - a) * own + a * best).astype(np.float32)
        return own

    def expansion(self, query: str, linked: list[Any]) -> list[str]:
        out = super().expansion(query, linked)
        if self.idea[0] != "label expansion":
            return out
        have = set(self.lexical.analyzer.terms(" ".join([query, *out])))
        for le in linked:
            ent = self.linker.entities[le.iri]
            for form in [ent.label, *ent.alt_labels]:
                terms = set(self.lexical.analyzer.terms(form))
                if form != le.matched and terms and not terms <= have:
                    have |= terms
                    out.append(form)
        return out

    def score(
        self, query: str, *, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        if self.idea[0] == "plain BM25 mix" and self.plain_lexical is not None:
            return self._plain_mix_score(query, mask)
        fused, info = super().score(query, mask=mask)
        name, value = self.idea
        mask = np.ones(self.n, dtype=bool) if mask is None else mask
        top = np.argsort(-np.where(mask, fused, -np.inf))[:30]
        if name == "neighbour":
            before = np.where(self.previous >= 0, fused[np.maximum(self.previous, 0)], 0.0)
            fused = fused + value * before
        elif name == "plain-e5 rerank" and self.plain is not None:
            in_top = np.zeros(self.n, dtype=bool)
            in_top[top] = True
            sims = (self.plain @ self._query_vector(query)[0]).astype(np.float32)
            fused = fused + value * scale_to_depth(sims, in_top, 10) * in_top
        elif name == "coverage rerank":
            expanded = " ".join([query, *info["expansion"]])
            terms = {t for t in self.lexical.analyzer.terms(expanded) if t in self.df}
            weights = {t: math.log(1 + self.n / self.df[t]) for t in terms}
            total = sum(weights.values())
            if total:
                fused = fused.copy()
                for i in top:
                    cover = sum(w for t, w in weights.items() if t in self.terms[i]) / total
                    fused[i] *= 1 - value + value * cover
        elif name == "card boost" and self.answerer is not None:
            rows = [
                self.row_of[c.passage_id]
                for c in self.answerer.answer(query)
                if c.passage_id in self.row_of
            ]
            if rows:
                fused = fused.copy()
                fused[rows] += value * float(fused.max())
        return fused, info

    def _plain_mix_score(
        self, query: str, mask: np.ndarray | None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """The default score with the lexical side mixed with BM25 over the bare text."""
        own, a = self.lexical, self.idea[1]
        everything = np.ones(self.n, dtype=bool)
        plain = self.plain_lexical

        class Mixed:
            analyzer, vocab, n_docs = own.analyzer, own.vocab, own.n_docs

            @staticmethod
            def scores(text: str) -> np.ndarray:
                return (1 - a) * scale_to_depth(
                    own.scores(text), everything, 20
                ) + a * scale_to_depth(plain.scores(text), everything, 20)

        self.lexical = Mixed()  # type: ignore[assignment]
        try:
            return super().score(query, mask=mask)
        finally:
            self.lexical = own


def sentence_windows(
    records: list[Any], size: int = 3, stride: int = 2
) -> tuple[list[str], list[int]]:
    """Header + ``size``-sentence windows of the passages longer than ``size`` sentences."""
    import re

    split = re.compile(r"(?<=[.!?;])\s+|\n+")
    texts, rows = [], []
    for i, r in enumerate(records):
        sents = [x for x in split.split(r.full_text()) if x.strip()]
        if len(sents) <= size:
            continue
        for j in range(0, len(sents) - size + stride, stride):
            texts.append(r.header() + "\n" + " ".join(sents[j : j + size]))
            rows.append(i)
    return texts, rows


def measure(searcher: Any, sets: dict[str, list]) -> str:
    """``tune R@1 R@5 MRR | factless R@1 R@5 MRR`` for the searcher as it is set."""
    cells = []
    for name, qs in sets.items():
        rep = evaluate(searcher, qs)
        cells.append(f"{name} {rep.recall[1]:.3f} {rep.recall[5]:.3f} {rep.mrr:.3f}")
    return " | ".join(cells)


def with_bm25(searcher: Any, texts: list[str], **params: float) -> None:
    """Replace the searcher's lexical index by one over ``texts`` with bm25s ``params``."""
    import bm25s

    from kb.index.lexical import LexicalIndex

    analyzer = searcher.lexical.analyzer
    bm25 = bm25s.BM25(**params)
    bm25.index([analyzer.terms(t) or ["\u2205"] for t in texts], show_progress=False)
    searcher.lexical = LexicalIndex(analyzer, bm25, len(texts))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--release", type=Path, default=None, help="a build of the eval folders")
    args = ap.parse_args()

    from kb.index.embed import load_embedder
    from kb.settings import Settings

    questions = load_questions(EVAL / "dev_questions.jsonl")
    tune = [q for q in questions if q.split == TUNE]
    if not tune or any(q.split != TUNE for q in tune):
        sys.exit("no tune half")
    sets = {"tune": tune, "factless": load_questions(EVAL / "factless_questions.jsonl")}
    work = Path(tempfile.mkdtemp(prefix="search-ideas-"))
    if args.release is None:
        from eval_corpus import eval_folders

        from kb.build.pipeline import build

        result = build(eval_folders(work), Settings(build_dir=work / "eval"), products=())
        release = Path(result.release_dir).resolve()
    else:
        release = args.release.resolve()
    settings = Settings(build_dir=work / "build")
    embedder = load_embedder(settings)
    records, entities = records_from_release(release)
    build_index(
        release, settings, embedder=embedder, records=records, entities=entities, out_dir=work / "i"
    )
    s = IdeaSearcher(work / "i", settings, embedder=embedder)
    s.prepare()
    t = time.perf_counter()
    s.plain = embedder.encode_passages([r.full_text() for r in s.records]).astype(np.float32)
    s.window = embedder.encode_passages(
        [
            "\n".join(
                [r.header()] + ([s.records[int(p)].full_text()] if p >= 0 else []) + [r.full_text()]
            )
            for r, p in zip(s.records, s.previous, strict=True)
        ]
    ).astype(np.float32)
    texts, rows = sentence_windows(s.records)
    s.sentences = embedder.encode_passages(texts).astype(np.float32)
    s.sentence_rows = np.array(rows)
    from kb.index.lexical import LexicalIndex

    s.plain_lexical = LexicalIndex.build([r.full_text() for r in s.records])
    print(f"{s.n} passages; extra vectors in {time.perf_counter() - t:.0f} s")
    from kb.rdf.store import load_graph
    from kb.search.answers import answerer_for

    s.answerer = answerer_for(load_graph(release), s.linker, s.lexical.analyzer)

    print("idea | tune R@1 R@5 MRR@10 | factless R@1 R@5 MRR@10")
    print(f"default | {measure(s, sets)}")
    for name, values in (
        ("neighbour", (0.1, 0.2, 0.3)),
        ("window-e5", (1.0,)),
        ("plain-e5 rerank", (0.1, 0.3, 0.5)),
        ("coverage rerank", (0.2, 0.6, 1.0)),
        ("card boost", (0.3, 1.0)),
        ("label expansion", (1.0,)),
        ("sentence-window e5", (0.5, 1.0)),
        ("plain BM25 mix", (0.2, 0.5)),
    ):
        for value in values:
            s.idea = (name, value)
            print(f"{name} {value} | {measure(s, sets)}")
    s.idea = ("", 0.0)
    texts = [r.indexed_text() for r in s.records]
    own = s.lexical
    for k1, b in ((0.9, 0.75), (1.6, 0.75), (1.2, 0.4), (1.2, 0.9)):
        with_bm25(s, texts, k1=k1, b=b)
        print(f"BM25 k1 {k1} b {b} | {measure(s, sets)}")
    s.lexical = own
    _question_words_as_stopwords(s, texts, lambda: print(f"question words | {measure(s, sets)}"))


def _question_words_as_stopwords(s: Any, texts: list[str], report: Callable[[], None]) -> None:
    """Measure with QUESTION_WORDS added to the Dutch stopwords (index and queries)."""
    import kb.index.lexical as lexical
    import kb.search.searcher as searcher_module
    from kb.index.lexical import LexicalIndex

    kept = lexical.DUTCH_STOPWORDS
    lexical.DUTCH_STOPWORDS = kept | frozenset(QUESTION_WORDS)
    searcher_module.DUTCH_STOPWORDS = lexical.DUTCH_STOPWORDS  # type: ignore[attr-defined]
    own = s.lexical
    try:
        s.lexical = LexicalIndex.build(texts)
        report()
    finally:
        lexical.DUTCH_STOPWORDS = kept
        searcher_module.DUTCH_STOPWORDS = kept  # type: ignore[attr-defined]
        s.lexical = own


if __name__ == "__main__":
    main()
