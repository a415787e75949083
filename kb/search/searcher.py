"""The read path of search: query → entity linking + expansion → hybrid retrieval → hits.

A :class:`Searcher` loads a release's index once (records, FAISS, BM25, entities, the embedding
model) and then answers queries in milliseconds:

1. **validation** - empty, overlong or wordless queries raise :class:`SearchError` with a clear
   Dutch/English message;
2. **entity linking** - query words that name a segment, region, municipality, stakeholder or
   concept (by rdfs:label, skos:prefLabel or skos:altLabel; abbreviations such as PxQ, GI, JGT
   match case-sensitively) link the query to those graph entities; a concept named by an
   abbreviation expands the query with its preferred label and vice versa;
3. **hybrid retrieval** - dense cosine (FAISS) and BM25 (Dutch stems, decompounded) are each
   put on one scale by :func:`scale_to_depth` (a retriever's best passage 1, only its
   ``fusion_depth`` best above 0) and mixed: ``dense_weight · dense + (1 − dense_weight) · lexical``
   (``fusion="minmax"`` scales over all passages instead, ``fusion="rrf"`` gives
   reciprocal-rank fusion); the weights are measured on the tune half of the evaluation
   questions with ``benchmarks/bench_search.py``, not guessed;
4. **boost** - passages that belong to a linked entity (their segment, region or concept) gain
   ``kg_boost`` (shared among the kinds of entity linked), at most :data:`MAX_BOOST_RATIO` times
   their own retrieval score, so documents without extracted facts are not pushed down;
   **answer kind** - a question that asks for a number ("Hoeveel …?") or a date or duration
   ("Wanneer …?", "Hoe lang …?") lowers the passages that state none by ``answer_kind_weight``
   (:mod:`kb.search.answer_kinds`); **place** - a question that names a region or municipality
   lowers the passages of documents that neither belong to nor name any of them by
   ``place_weight``;
5. **filters** - segment, region, document type, year;
6. **hits** - passage text, score, document, section path, offsets, the passage's entities and a
   snippet with the query's words marked (matched by stem, compound parts included).
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kb.errors import KbError
from kb.index.format import (
    BM25_DIR,
    DENSE,
    ENTITIES,
    FORMAT_VERSION,
    INDEX_DIR,
    RECORDS,
    SearchIndexError,
    faiss_id,
    read_manifest,
)
from kb.index.lexical import (
    DUTCH_STOPWORDS,
    LexicalIndex,
    content_words,
    normalise_text,
    stem,
    words,
)
from kb.index.records import Entity, Record, with_footnotes
from kb.search.answer_kinds import AnswerKinds
from kb.search.linking import LinkedEntity, Linker, is_abbreviation

log = logging.getLogger(__name__)

#: The most passages one search returns (``top_k``).
MAX_TOP_K = 100
#: A passage's graph boost is at most this many times its own retrieval score. Measured on an
#: index of the bundled corpus plus the region fixtures (tests/eval/factless_questions.jsonl,
#: 38 questions about documents without segment facts, and dev_questions.jsonl): 2 keeps the
#: dev set's R@5/MRR@10 and lifts the fact-less questions' MRR@10 from 0.842 to 0.862 (no boost:
#: 0.861); 1 or 0.5 cost the dev set R@5.
MAX_BOOST_RATIO = 2.0


#: Entity kinds that name a place: a question naming one asks about documents of that place.
PLACE_KINDS = frozenset({"region", "municipality"})

#: Accepted names of the fusion modes (``"cc"`` was the name of ``"minmax"`` before).
FUSIONS = ("depth", "minmax", "rrf")


def scale_to_depth(scores: np.ndarray, mask: np.ndarray, depth: int) -> np.ndarray:
    """``scores`` rescaled so the best passage in ``mask`` is 1 and only its ``depth`` best are
    above 0 (the next one, the ``depth + 1``-th best, maps to 0; with fewer passages, the lowest).

    Passages below the ``depth`` best get 0 (one retriever alone cannot lift them), so the
    fused ranking is, in effect, over the union of both retrievers' top ``depth``. Scaling over
    all passages instead lets the far-away minimum set the scale: e5's cosines are bunched
    (most passages of a Dutch policy corpus are 0.75-0.85 from any Dutch question), so min-max
    shrinks the differences among the real candidates to a few hundredths while BM25's
    max-scaling keeps them large, and the dense side has little say at any weight. Relative to
    its own top ``depth``, one unit of either score means the same: from the ``depth``-th best
    candidate to the best.
    """
    out = np.zeros(scores.shape[0], dtype=np.float32)
    values = scores[mask]
    if values.size == 0:
        return out
    hi = float(values.max())
    k = min(int(depth), values.size - 1)
    lo = float(-np.partition(-values, k)[k]) if k > 0 else hi
    if hi <= lo:
        return out
    out[:] = np.clip((scores - lo) / (hi - lo), 0.0, None)
    return out


class SearchError(KbError):
    """A query that cannot be answered, or an index that cannot be used; the message says why."""


@dataclass
class Hit:
    """One ranked passage."""

    rank: int
    passage_id: str
    score: float
    text: str
    document_id: str
    document_title: str
    doc_type: str
    year: int | None
    region: str
    section_path: list[str]
    start: int
    end: int
    entities: list[dict[str, str]]
    segments: list[str]
    rubric: str
    snippet: str
    scores: dict[str, float] = field(default_factory=dict)
    #: Footnotes of the passage (their reference marks sit in ``text``).
    footnotes: list[str] = field(default_factory=list)

    def full_text(self) -> str:
        """The passage text followed by its footnotes: what the hit answers with."""
        return with_footnotes(self.text, self.footnotes)

    @property
    def section(self) -> str:
        """The section path as one string (``"4 Uitwerking › SEGMENT 2: WONEN › …"``)."""
        return " › ".join(self.section_path)

    @property
    def document(self) -> str:
        return self.document_title

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["section"] = self.section
        data["document"] = self.document_title
        return data


def highlight(
    text: str, stems: set[str], analyzer: Any = None, *, mark: tuple[str, str] = ("**", "**")
) -> str:
    """``text`` with every word whose stem (or a compound part's stem) is in ``stems`` marked."""
    out: list[str] = []
    last = 0
    for m in re.finditer(r"[^\W_]+", text):
        word = normalise_text(m.group(0))
        hit = stem(word) in stems or (
            analyzer is not None and any(stem(p) in stems for p in analyzer.split(word))
        )
        if hit and word not in DUTCH_STOPWORDS:
            out.append(text[last : m.start()])
            out.append(f"{mark[0]}{m.group(0)}{mark[1]}")
            last = m.end()
    out.append(text[last:])
    return "".join(out)


def snippet(
    text: str,
    stems: set[str],
    analyzer: Any = None,
    *,
    width: int = 300,
    mark: tuple[str, str] = ("**", "**"),
) -> str:
    """A window of about ``width`` characters around the densest run of query words, marked."""
    flat = " ".join(text.split())
    if len(flat) > width:
        positions = [
            m.start()
            for m in re.finditer(r"[^\W_]+", flat)
            if stem(normalise_text(m.group(0))) in stems
        ]
        start = 0
        if positions:
            best = max(positions, key=lambda p: sum(p <= q < p + width for q in positions))
            start = max(0, min(best - width // 4, len(flat) - width))
            while start > 0 and not flat[start - 1].isspace():
                start -= 1
        piece = flat[start : start + width]
        flat = ("… " if start else "") + piece + (" …" if start + width < len(flat) else "")
    return highlight(flat, stems, analyzer, mark=mark)


def validate_query(query: Any, max_chars: int | None = None) -> str:
    """The cleaned query, or :class:`SearchError` with a clear message.

    ``max_chars`` defaults to the ``max_query_chars`` setting's default.
    """
    if max_chars is None:
        from kb.settings import Settings

        max_chars = int(Settings.model_fields["max_query_chars"].default)
    if query is None or not isinstance(query, str):
        raise SearchError("Lege zoekvraag / empty query: type a question or some words.")
    cleaned = "".join(c if c.isprintable() else " " for c in query)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise SearchError("Lege zoekvraag / empty query: type a question or some words.")
    if len(cleaned) > max_chars:
        raise SearchError(
            f"Zoekvraag te lang / query too long: {len(cleaned)} characters, at most {max_chars}. "
            "Ask a shorter question."
        )
    if not words(cleaned):
        raise SearchError(
            "Geen woorden in de zoekvraag / the query has no words (only punctuation or symbols)."
        )
    if not content_words(cleaned) and not re.search(r"\b[A-Z]{2,}\b", cleaned):
        raise SearchError(
            "Alleen stopwoorden / the query has only stopwords (de, het, wat, is …): "
            "add the words that matter."
        )
    return cleaned


class Searcher:
    """A loaded search index: construct once, then call :meth:`search` many times."""

    def __init__(
        self,
        index_dir: Path,
        settings: Any = None,
        embedder: Any = None,
        *,
        dense_weight: float | None = None,
        kg_boost: float | None = None,
        fusion: str | None = None,
        use_kg: bool = True,
        answer_kind_weight: float | None = None,
        place_weight: float | None = None,
    ) -> None:
        index_dir = Path(index_dir)
        if (index_dir / INDEX_DIR).is_dir() and not (index_dir / RECORDS).exists():
            index_dir = index_dir / INDEX_DIR
        self.index_dir = index_dir
        from kb.settings import coerce_settings

        self.settings = settings = coerce_settings(settings)
        try:
            self.manifest = read_manifest(index_dir)
        except SearchIndexError as exc:
            raise SearchError(str(exc)) from None
        if self.manifest.get("format", 1) != FORMAT_VERSION:
            raise SearchError(
                f"{index_dir}: the search index has format {self.manifest.get('format', 1)}, "
                f"this version reads format {FORMAT_VERSION}: run 'kb index --rebuild' "
                "(or 'kb build')"
            )
        if embedder is None:
            from kb.index.embed import EmbeddingError, expected_model_id, load_embedder

            wanted = expected_model_id(settings)
            self._check_model(wanted)
            embedder = self._onnx_embedder(settings)
            if embedder is None:
                try:
                    embedder = load_embedder(settings)
                except EmbeddingError as exc:
                    raise SearchError(str(exc)) from None
        self._check_model(embedder.model_id, embedder.dim)
        self.embedder = embedder
        self.dense_weight = float(settings.dense_weight if dense_weight is None else dense_weight)
        self.kg_boost = float(settings.kg_boost if kg_boost is None else kg_boost)
        self.min_content_words = int(settings.min_content_words)
        self.answer_kind_weight = float(
            settings.answer_kind_weight if answer_kind_weight is None else answer_kind_weight
        )
        self.place_weight = float(settings.place_weight if place_weight is None else place_weight)
        self.top_k = int(settings.search_top_k)
        fusion = str(settings.fusion if fusion is None else fusion)
        self.fusion = "minmax" if fusion == "cc" else fusion
        if self.fusion not in FUSIONS:
            raise SearchError(f"unknown fusion {fusion!r}; use one of {', '.join(FUSIONS)}")
        self.fusion_depth = int(settings.fusion_depth)
        self.use_kg = use_kg
        self.max_query_chars = int(settings.max_query_chars)
        # Embedding the query is most of a warm search's time; the server asks the same question
        # with other filters and top-k values, so recent query vectors are kept.
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache_size = int(settings.query_cache_size)
        self._query_lock = threading.Lock()
        try:
            self._load()
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            raise SearchError(
                f"{index_dir}: the search index is damaged ({type(exc).__name__}: {exc}); "
                "run 'kb index --rebuild'"
            ) from None

    def _onnx_embedder(self, settings: Any) -> Any:
        """The index's ONNX query encoder, or None (then PyTorch embeds the queries)."""
        if settings.query_encoder != "onnx" or self.manifest.get("query_encoder") != "onnx":
            return None
        from kb.index.query_encoder import ENCODER_DIR, OnnxQueryEmbedder, QueryEncoderError

        try:
            return OnnxQueryEmbedder(self.index_dir / ENCODER_DIR)
        except QueryEncoderError as exc:
            log.warning("search embeds with PyTorch: %s", exc)
            return None

    def _check_model(self, model_id: str, dim: int | None = None) -> None:
        built = self.manifest.get("model")
        if built != model_id or (dim is not None and int(self.manifest.get("dim", dim)) != dim):
            raise SearchError(
                f"the search index was built with embedding model {built!r} "
                f"(dim {self.manifest.get('dim')}), but the current model is {model_id!r}"
                + (f" (dim {dim})" if dim is not None else "")
                + ": rebuild the index with 'kb index --rebuild'."
            )

    def _load(self) -> None:
        import faiss

        with (self.index_dir / RECORDS).open(encoding="utf-8") as handle:
            self.records = [Record.from_dict(json.loads(line)) for line in handle if line.strip()]
        self.entities = [
            Entity(**e) for e in json.loads((self.index_dir / ENTITIES).read_text(encoding="utf-8"))
        ]
        self.dense = faiss.read_index(str(self.index_dir / DENSE))
        if hasattr(faiss, "omp_set_num_threads"):
            faiss.omp_set_num_threads(1)  # one query at a time: threads cost more than they give
        self.lexical = LexicalIndex.load(self.index_dir / BM25_DIR)
        if self.lexical.n_docs != len(self.records) or self.dense.ntotal != len(self.records):
            raise ValueError("records, dense and lexical index disagree on the passage count")
        self.n = len(self.records)
        self.row_of_id = {faiss_id(r.id): i for i, r in enumerate(self.records)}
        self.linker = Linker(self.entities)
        self._segments = [{s.lower() for s in r.segments} for r in self.records]
        self._entity_iris = [{e["iri"] for e in r.entities} for r in self.records]
        self._load_entity_rows()
        self._regions = [
            {r.region.lower(), *(e["label"].lower() for e in r.entities if e["type"] == "region")}
            for r in self.records
        ]
        self._doc_types = np.array([r.doc_type.lower() for r in self.records])
        self._years = np.array([r.year or 0 for r in self.records])
        self.flat = self.manifest.get("index_type", "flat") == "flat"
        self._flat_vectors: np.ndarray | None = None
        self._flat_rows: np.ndarray | None = None
        if self.flat and self.n:
            self._flat_vectors, self._flat_rows = self._flat_view()
        self._content_words = np.array(
            [len(content_words(r.text)) for r in self.records], dtype=np.float32
        )
        self.answer_kinds = AnswerKinds.load(self.index_dir, self.records)
        documents: dict[str, int] = {}
        self._document_of = np.fromiter(
            (documents.setdefault(r.doc_id, len(documents)) for r in self.records),
            np.int64,
            self.n,
        )
        self._n_documents = len(documents)

    def _flat_view(self) -> tuple[np.ndarray, np.ndarray]:
        """The flat index's vectors (a view, no copy) and the passage row of each of them.

        A flat index scores every passage on every query anyway; one matrix product over its
        vectors does that without FAISS sorting all of them and a Python loop mapping each id
        back to its row (at 27k passages that was two thirds of a query's time).
        """
        import faiss

        dense: Any = self.dense  # an IndexIDMap2 over an IndexFlatIP (kb.index.build)
        base: Any = faiss.downcast_index(dense.index)
        dim = int(base.d)
        vectors = faiss.rev_swig_ptr(base.get_xb(), self.n * dim).reshape(self.n, dim)
        ids = faiss.vector_to_array(dense.id_map)
        rows = np.fromiter((self.row_of_id[int(i)] for i in ids), dtype=np.int64, count=self.n)
        return vectors, rows

    def _load_entity_rows(self) -> None:
        """Which passages belong to each entity (graph facts), hold each name, have each segment."""
        by_entity: dict[str, list[int]] = {}
        by_name: dict[str, list[int]] = {}
        by_segment: dict[str, list[int]] = {}
        for i, r in enumerate(self.records):
            for iri in {e["iri"] for e in r.entities}:
                by_entity.setdefault(iri, []).append(i)
            for name in r.mentions:
                by_name.setdefault(name, []).append(i)
            for seg in r.segments:
                by_segment.setdefault(seg.lower(), []).append(i)
        self._rows_of_entity = {k: np.array(v) for k, v in by_entity.items()}
        self._rows_of_name = {k: np.array(v) for k, v in by_name.items()}
        self._rows_of_segment_label = {k: np.array(v) for k, v in by_segment.items()}

    # ---------------------------------------------------------------- filters
    def _mask(
        self, segment: str | None, region: str | None, doc_type: str | None, year: int | None
    ) -> np.ndarray:
        mask = np.ones(self.n, dtype=bool)
        if segment:
            want = segment.strip().lower()
            mask &= np.array(
                [any(want == s or want in s for s in segs) for segs in self._segments], dtype=bool
            )
        if region:
            want = region.strip().lower()
            mask &= np.array(
                [any(want == r or want in r for r in regs if r) for regs in self._regions]
            )
        if doc_type:
            mask &= self._doc_types == doc_type.strip().lower()
        if year:
            mask &= self._years == int(year)
        return mask

    # ---------------------------------------------------------------- scoring
    def _query_vector(self, query: str) -> np.ndarray:
        """The query's embedding (1 × dim), from the cache of recent queries when there."""
        with self._query_lock:
            cached = self._query_vectors.get(query)
            if cached is not None:
                self._query_vectors.move_to_end(query)
                return cached
        vector = self.embedder.encode_queries([query]).astype(np.float32)
        vector.flags.writeable = False
        if self._query_cache_size:
            with self._query_lock:
                self._query_vectors[query] = vector
                while len(self._query_vectors) > self._query_cache_size:
                    self._query_vectors.popitem(last=False)
        return vector

    def _dense_scores(self, query: str, mask: np.ndarray) -> np.ndarray:
        qv = self._query_vector(query)
        if self.n == 0:
            return np.zeros(0, dtype=np.float32)
        if self._flat_vectors is not None and self._flat_rows is not None:
            flat_scores = np.empty(self.n, dtype=np.float32)
            flat_scores[self._flat_rows] = self._flat_vectors @ qv[0]
            return flat_scores
        scores = np.full(self.n, np.nan, dtype=np.float32)
        k = min(self.n, 256)
        params = None
        if not mask.all():
            import faiss

            allowed = np.array([faiss_id(self.records[i].id) for i in np.flatnonzero(mask)])
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))  # type: ignore[call-arg]
        sims, ids = self.dense.search(qv, k, params=params) if params else self.dense.search(qv, k)
        for s, i in zip(sims[0], ids[0], strict=False):
            if i >= 0:
                scores[self.row_of_id[int(i)]] = s
        floor = float(np.nanmin(scores)) if np.isfinite(scores).any() else 0.0
        return np.nan_to_num(scores, nan=floor)

    def expansion(self, query: str, linked: list[LinkedEntity]) -> list[str]:
        """Names to add to the query: the other form of each linked abbreviation.

        An abbreviation (``GI``) brings its written-out Dutch label (``Gecertificeerde
        Instelling``) and a written-out name brings its abbreviations, so passages that use only
        the other form are found. Only the linked concepts' own labels are used, never labels in
        another language, and a form whose words the query already has is left out.
        """
        have = set(self.lexical.analyzer.terms(query))
        out: list[str] = []
        seen: set[str] = set()  # many entities share a name (one per region): judge it once
        for le in linked:
            ent = self.linker.entities[le.iri]
            if le.by_abbreviation:
                forms = [ent.label] if not is_abbreviation(ent.label) else []
            else:
                forms = [f for f in [ent.label, *ent.alt_labels] if is_abbreviation(f)]
            for form in forms:
                if form == le.matched or form in seen:
                    continue
                seen.add(form)
                terms = set(self.lexical.analyzer.terms(form))
                if not terms or terms <= have:
                    continue
                have |= terms
                out.append(form)
        return out

    def _kg_boost(self, linked: list[LinkedEntity]) -> np.ndarray:
        """Per passage: the share of the query's entity names whose entities it belongs to.

        A passage belongs to an entity when a graph fact says so or when it holds one of the
        entity's names. Each name (a span of query words; several entities may share one)
        counts with the inverse document frequency of its passages, so a name that half the
        corpus belongs to (a region every document is about) moves little and a specific one
        moves much.
        """
        boost = np.zeros(self.n, dtype=np.float32)
        groups: dict[tuple[int, int], tuple[list[np.ndarray], set[str]]] = {}
        for le in linked:
            parts, names = groups.setdefault(le.span, ([], set()))
            rows = self._rows_of_entity.get(le.iri)
            held = [n for n in self.linker.names_of.get(le.iri, ()) if n in self._rows_of_name]
            if rows is None and not held and le.kind == "segment":
                rows = self._rows_of_segment_label.get(le.label.lower())
            if rows is not None:
                parts.append(rows)
            names.update(held)
        for parts, names in groups.values():
            # Entities sharing a name share its passages: each name's rows are added once.
            parts += [self._rows_of_name[n] for n in names if n in self._rows_of_name]
            if not parts:
                continue
            member = np.zeros(self.n, dtype=bool)
            for rows in parts:
                member[rows] = True
            df = int(np.count_nonzero(member))
            if df == self.n:
                continue  # a name every passage belongs to says nothing
            boost[member] += np.float32(np.log(self.n / df) / np.log(self.n))
        return boost

    def score(
        self, query: str, *, mask: np.ndarray | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Fused score of every passage for a validated query, plus what went into it."""
        mask = np.ones(self.n, dtype=bool) if mask is None else mask
        linked = self.linker.link(query, self.lexical.analyzer) if self.use_kg else []
        expansion = self.expansion(query, linked)
        expanded = query + (" " + " ".join(expansion) if expansion else "")
        lex = self.lexical.scores(expanded)
        w = self.dense_weight
        dense = self._dense_scores(expanded, mask) if w > 0 else np.zeros(self.n, dtype=np.float32)
        if self.fusion == "rrf":
            fused = self._rrf(dense if w > 0 else None, lex if w < 1 else None, mask)
            dense_n, lex_n = dense, lex
        elif self.fusion == "depth":
            lex_n = scale_to_depth(lex, mask, self.fusion_depth)
            dense_n = (
                scale_to_depth(dense, mask, self.fusion_depth) if w > 0 else np.zeros_like(lex_n)
            )
            fused = w * dense_n + (1.0 - w) * lex_n
        else:
            lex_n = (
                lex / lex[mask].max() if mask.any() and lex[mask].max() > 0 else np.zeros_like(lex)
            )
            if w > 0 and mask.any():
                lo, hi = float(dense[mask].min()), float(dense[mask].max())
                dense_n = (dense - lo) / (hi - lo) if hi > lo else np.zeros_like(dense)
            else:
                dense_n = np.zeros_like(dense)
            fused = w * dense_n + (1.0 - w) * lex_n
        if self.min_content_words:
            # A caption, a date or a bare heading matches its context header well but answers
            # nothing: scale passages with fewer content words down in proportion.
            fused = fused * np.minimum(1.0, self._content_words / self.min_content_words)
        boost: np.ndarray = np.zeros(self.n, dtype=np.float32)
        if linked and self.kg_boost:
            boost = self.kg_boost * self._kg_boost(linked)
            if self.min_content_words:
                boost = boost * np.minimum(1.0, self._content_words / self.min_content_words)
            # Fair to documents without facts: a passage's boost is at most MAX_BOOST_RATIO times
            # its own retrieval score, so a passage that matches the question weakly cannot ride
            # on its document's facts past one that matches well but whose document has none.
            boost = np.minimum(boost, MAX_BOOST_RATIO * np.maximum(fused, 0.0))
            fused = fused + boost
        kinds = self.answer_kinds.of_question(query) if self.answer_kind_weight else []
        stating = self.answer_kinds.stating(kinds)
        kind_factor = np.ones(self.n, dtype=np.float32)
        if stating is not None:
            # "Hoeveel …?" or "Wanneer …?": a passage that states no number (no date or
            # duration) may share every other word with the question but cannot answer it.
            kind_factor[~stating] = 1.0 - self.answer_kind_weight
        about = self._place_documents(linked) if self.place_weight else None
        place_factor = np.ones(self.n, dtype=np.float32)
        if about is not None:
            # A question that names a region or municipality asks about it: a passage of a
            # document about other places answers it only by coincidence of words.
            place_factor[~about[self._document_of]] = 1.0 - self.place_weight
        fused = fused * kind_factor * place_factor
        info = {
            "linked": linked,
            "expansion": expansion,
            "answer_kinds": kinds,
            "dense": dense_n,
            "lexical": lex_n,
            "boost": boost,
            # What the passage keeps of its score: 1, or less when it states no value of the
            # asked kind / its document is about other places than the question names.
            "answer_kind": kind_factor,
            "place": place_factor,
        }
        return fused, info

    def _place_documents(self, linked: list[LinkedEntity]) -> np.ndarray | None:
        """Per document: whether it is about a region or municipality the query names.

        A document is about a place when one of its passages belongs to it in the graph (the
        document's region, a member list) or names it. None when the query names no place or no
        document is about any (then nothing is lowered).
        """
        places = [le for le in linked if le.kind in PLACE_KINDS]
        if not places:
            return None
        about = np.zeros(self._n_documents, dtype=bool)
        names: set[str] = set()
        for le in places:
            rows = self._rows_of_entity.get(le.iri)
            if rows is not None:
                about[self._document_of[rows]] = True
            names.update(self.linker.names_of.get(le.iri, ()))
        for name in names:  # entities sharing a name share its passages: each name once
            rows = self._rows_of_name.get(name)
            if rows is not None:
                about[self._document_of[rows]] = True
        return about if about.any() else None

    @staticmethod
    def _rrf(
        dense: np.ndarray | None, lex: np.ndarray | None, mask: np.ndarray, k: int = 60
    ) -> np.ndarray:
        fused = np.zeros(mask.shape[0], dtype=np.float32)
        for scores in (dense, lex):
            if scores is None:
                continue
            order = np.argsort(-np.where(mask, scores, -np.inf), kind="stable")
            ranks = np.empty_like(order)
            ranks[order] = np.arange(1, len(order) + 1)
            fused += 1.0 / (k + ranks)
        return fused

    # ---------------------------------------------------------------- search
    def search(
        self,
        query: str,
        top_k: int | None = None,
        segment: str | None = None,
        region: str | None = None,
        doc_type: str | None = None,
        year: int | None = None,
    ) -> list[Hit]:
        """The ``top_k`` best passages (default: setting ``search_top_k``) that pass the filters."""
        cleaned = validate_query(query, self.max_query_chars)
        top_k = self.top_k if top_k is None else top_k
        if not 1 <= int(top_k) <= MAX_TOP_K:
            raise SearchError(f"top_k must be between 1 and {MAX_TOP_K}, not {top_k}")
        mask = self._mask(segment, region, doc_type, year)
        if not mask.any():
            return []
        terms = self.lexical.analyzer.terms(cleaned)
        linked_any = self.use_kg and bool(self.linker.link(cleaned, self.lexical.analyzer))
        if not any(t in self.lexical.vocab for t in terms) and not linked_any:
            raise SearchError(
                "Geen van de woorden komt voor in de documenten / none of the query's words "
                f"occur in the documents: {cleaned!r}. Check the spelling or ask differently."
            )
        fused, info = self.score(cleaned, mask=mask)
        fused = np.where(mask, fused, -np.inf)
        k = min(int(top_k), int(mask.sum()))
        top = np.argpartition(-fused, k - 1)[:k]
        top = top[np.argsort(-fused[top], kind="stable")]
        stems = set(terms)
        for extra in info["expansion"]:
            stems.update(self.lexical.analyzer.terms(extra))
        hits = []
        for rank, i in enumerate(top, 1):
            r = self.records[i]
            hits.append(
                Hit(
                    rank=rank,
                    passage_id=r.id,
                    score=round(float(fused[i]), 4),
                    text=r.text,
                    document_id=r.doc_id,
                    document_title=r.doc_title,
                    doc_type=r.doc_type,
                    year=r.year,
                    region=r.region,
                    section_path=list(r.section_path),
                    start=r.start,
                    end=r.end,
                    entities=list(r.entities),
                    segments=list(r.segments),
                    rubric=r.rubric,
                    snippet=snippet(r.full_text(), stems, self.lexical.analyzer),
                    scores={
                        "dense": round(float(info["dense"][i]), 4),
                        "lexical": round(float(info["lexical"][i]), 4),
                        "kg": round(float(info["boost"][i]), 4),
                        "answer_kind": round(float(info["answer_kind"][i]), 4),
                        "place": round(float(info["place"][i]), 4),
                    },
                    footnotes=list(r.footnotes),
                )
            )
        return hits

    def link(self, query: str) -> list[LinkedEntity]:
        """The graph entities a query names (for display)."""
        return self.linker.link(validate_query(query, self.max_query_chars), self.lexical.analyzer)


def open_searcher(settings: Any, build_dir: Path | None = None, **kwargs: Any) -> Searcher:
    """A searcher over the current build's index."""
    root = Path(build_dir or settings.build_dir) / "current"
    return Searcher(root / INDEX_DIR, settings, **kwargs)


_default: dict[str, Searcher] = {}


def search(
    query: str,
    top_k: int | None = None,
    segment: str | None = None,
    region: str | None = None,
    doc_type: str | None = None,
    year: int | None = None,
    *,
    settings: Any = None,
) -> list[Hit]:
    """Search the current build (the searcher is loaded once per build folder and kept)."""
    from kb.settings import coerce_settings

    settings = coerce_settings(settings)
    key = str(Path(settings.build_dir, "current").resolve())
    if key not in _default:
        _default[key] = open_searcher(settings)
    return _default[key].search(query, top_k, segment, region, doc_type, year)
