"""Per-document extraction cache and change detection of incremental builds (tiny documents)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kb.build.incremental import (
    ExtractStats,
    build_graph_incremental,
    document_key,
    subject_digests,
)
from kb.build.pipeline import build_graph
from kb.ingest.read import ingest
from kb.settings import Settings

PLAN = """Inkoopplan jeugdhulp 2026

1 Inleiding
De gemeenten Amersfoort, Baarn en Bunschoten kopen samen jeugdhulp in vanaf 1 januari 2026.

2 Bekostiging
De regio kiest voor taakgerichte bekostiging. De contracten lopen vier jaar.
"""

LETTER = """Raadsinformatiebrief

Het college informeert de raad over de inkoop van jeugdhulp. Er blijven 40 aanbieders over.
"""


def _docs(folder: Path):  # type: ignore[no-untyped-def]
    return ingest([folder]).documents


def _write(folder: Path, files: dict[str, str]) -> None:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_cached_extraction_equals_one_pass(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _write(
        folder, {"2025-01-01_eemland_inkoopplan.txt": PLAN, "2025-02-01_eemland_brief.txt": LETTER}
    )
    settings = Settings(build_dir=tmp_path / "build")
    docs = _docs(folder)

    cold = ExtractStats()
    graph, _ = build_graph_incremental(docs, settings, sources=[folder], stats=cold)
    assert len(cold.extracted) == 2 and not cold.cached
    assert isomorphic(graph, build_graph(docs, settings, sources=[folder])[0])

    warm = ExtractStats()
    again, _ = build_graph_incremental(docs, settings, sources=[folder], stats=warm)
    assert not warm.extracted and len(warm.cached) == 2
    assert isomorphic(again, graph)

    # A changed document is extracted again; the old cache file of it is removed.
    _write(folder, {"2025-02-01_eemland_brief.txt": LETTER.replace("40", "25")})
    docs = _docs(folder)
    changed = ExtractStats()
    after, _ = build_graph_incremental(docs, settings, sources=[folder], stats=changed)
    assert len(changed.extracted) == 1 and len(changed.cached) == 1
    assert changed.removed_cache_files == 1
    assert isomorphic(after, build_graph(docs, settings, sources=[folder])[0])

    # full=True ignores the cache.
    forced = ExtractStats()
    build_graph_incremental(docs, settings, sources=[folder], stats=forced, full=True)
    assert len(forced.extracted) == 2


def test_document_key_follows_text_metadata_and_version(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    _write(folder, {"2025-01-01_eemland_inkoopplan.txt": PLAN})
    (doc,) = _docs(folder)
    key = document_key(doc, "v1", "c1")
    assert key == document_key(doc, "v1", "c1")
    assert key != document_key(doc, "v2", "c1")
    assert key != document_key(doc, "v1", "c2")
    _write(folder, {"2025-01-01_eemland_inkoopplan.txt": PLAN + "\nNog een zin.\n"})
    (changed,) = _docs(folder)
    assert key != document_key(changed, "v1", "c1")


def test_subject_digests_change_only_for_the_changed_subject() -> None:
    a, b = URIRef("urn:x:a"), URIRef("urn:x:b")
    p = URIRef("urn:x:p")
    g = Graph()
    g.add((a, p, Literal("1")))
    g.add((a, p, b))
    g.add((b, p, Literal("2", lang="nl")))
    before = subject_digests(g)
    reordered = Graph()
    for triple in reversed(sorted(g)):
        reordered.add(triple)
    assert subject_digests(reordered) == before
    g.remove((b, p, Literal("2", lang="nl")))
    g.add((b, p, Literal("2", lang="en")))
    after = subject_digests(g)
    assert after[a] == before[a]
    assert after[b] != before[b]


def test_ingest_cache_reads_a_file_once(tmp_path: Path) -> None:
    from kb.ingest.read import ingest as read

    folder = tmp_path / "docs"
    _write(
        folder, {"2025-01-01_eemland_inkoopplan.txt": PLAN, "2025-02-01_eemland_brief.txt": LETTER}
    )
    cache = tmp_path / "cache"
    first = read([folder], cache_dir=cache, cache_version="v")
    assert len(list(cache.glob("*.pickle"))) == 2
    again = read([folder], cache_dir=cache, cache_version="v")
    assert [d.text for d in again.documents] == [d.text for d in first.documents]
    assert [d.passages for d in again.documents] == [d.passages for d in first.documents]
    # A removed file's cache entry goes; a new version reads again (and replaces the cache).
    (folder / "2025-02-01_eemland_brief.txt").unlink()
    read([folder], cache_dir=cache, cache_version="v")
    assert len(list(cache.glob("*.pickle"))) == 1
    read([folder], cache_dir=cache, cache_version="w")
    assert len(list(cache.glob("*.pickle"))) == 1


def test_every_extractor_has_exactly_one_kind() -> None:
    # A new extractor left out of PER_DOCUMENT, CONTEXT and CROSS_DOCUMENT would be skipped by
    # every incremental build (the financial caveats once were).
    from kb.build.incremental import CONTEXT, CROSS_DOCUMENT, PER_DOCUMENT, unassigned_extractors
    from kb.extract import EXTRACTORS

    assert unassigned_extractors() == []
    assert sorted([*PER_DOCUMENT, *CONTEXT, *CROSS_DOCUMENT]) == sorted(e.name for e in EXTRACTORS)
