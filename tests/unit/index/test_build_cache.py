"""The embedding cache is keyed by model: a model change re-embeds everything, nothing else does.

Uses the deterministic hashing embedder under two model ids; tiny invented records.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from kb.index.build import build_index, cache_key
from kb.index.embed import HashingEmbedder
from kb.index.format import read_manifest
from kb.index.records import Record


def _record(doc: str, n: int, text: str) -> Record:
    return Record(
        id=f"{doc}/p/{n:04d}",
        iri=f"https://w3id.org/jeugdhulp-kb/id/passage/{doc}/{n:04d}",
        doc_id=doc,
        doc_iri=f"https://w3id.org/jeugdhulp-kb/id/document/{doc}",
        doc_title=f"Notitie {doc}",
        doc_type="memo",
        year=2021,
        region="Testregio",
        region_iri="https://w3id.org/jeugdhulp-kb/id/region/testregio",
        section_id=f"{doc}/s/{n}",
        section_path=["Inleiding"],
        start=0,
        end=len(text),
        text=text,
        doc_hash=f"hash-{doc}-{text}",
    )


RECORDS = [
    _record("a", 1, "De gemeenten kopen jeugdhulp regionaal in."),
    _record("a", 2, "Het budget stijgt in 2024."),
    _record("b", 1, "Crisishulp is dag en nacht bereikbaar."),
]


def _build(tmp: Path, embedder: HashingEmbedder, records: list[Record], name: str):
    settings = SimpleNamespace(build_dir=tmp / "build")
    release = tmp / "build" / "releases" / name
    release.mkdir(parents=True)
    return release, build_index(release, settings, embedder=embedder, records=records, entities=[])


def test_model_change_re_embeds_and_nothing_else_does(tmp_path: Path) -> None:
    first, second = HashingEmbedder(name="model-one"), HashingEmbedder(name="model-two")
    assert first.model_id != second.model_id

    release, stats = _build(tmp_path, first, RECORDS, "r1")
    assert (stats.embedded, stats.cached) == (3, 0)
    assert read_manifest(release / "index")["model"] == first.model_id

    _, stats = _build(tmp_path, first, RECORDS, "r2")  # same model, same texts: all cached
    assert (stats.embedded, stats.cached) == (0, 3)

    release, stats = _build(tmp_path, second, RECORDS, "r3")  # another model: all again
    assert (stats.embedded, stats.cached) == (3, 0)
    assert read_manifest(release / "index")["model"] == second.model_id

    changed = [*RECORDS[:2], _record("b", 1, "Crisishulp is altijd bereikbaar.")]
    _, stats = _build(tmp_path, first, changed, "r4")  # back to model one, one text changed
    assert (stats.embedded, stats.cached) == (1, 2)


def test_cache_key_depends_on_model_prompt_and_text() -> None:
    keys = {
        cache_key("m1", "passage: ", "tekst"),
        cache_key("m2", "passage: ", "tekst"),
        cache_key("m1", "", "tekst"),
        cache_key("m1", "passage: ", "tekst2"),
    }
    assert len(keys) == 4
    assert cache_key("m1", "passage: ", "tekst") == cache_key("m1", "passage: ", "tekst")


def test_cached_vectors_equal_fresh_ones(tmp_path: Path) -> None:
    import faiss

    emb = HashingEmbedder(name="model-one")
    r1, _ = _build(tmp_path, emb, RECORDS, "r1")
    r2, stats = _build(tmp_path, emb, RECORDS, "r2")
    assert stats.embedded == 0
    a = faiss.read_index(str(r1 / "index" / "dense.faiss"))
    b = faiss.read_index(str(r2 / "index" / "dense.faiss"))
    ids = np.array([a.id_map.at(i) for i in range(a.ntotal)])
    for i in ids:
        np.testing.assert_array_equal(a.reconstruct(int(i)), b.reconstruct(int(i)))
