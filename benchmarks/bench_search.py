"""Search benchmark: quality, ablation, fusion-weight sweep, latency and index build time.

On the same passages (the records of one release) it compares

- this search (hybrid dense + BM25 with KG linking, expansion and boost),
- BM25 alone (bm25s, Dutch stemmer + stopwords; plain passage text, and with our analysis),
- dense alone (the same model, exact inner product),
- txtai's hybrid index with the same model (``pip install txtai``; skipped when missing),

then ablates (no KG, no decompounding, no context header, dense weight 0, lexical weight 0),
sweeps the fusion weight and the KG boost, and measures warm query latency, full vs incremental
index build and a cold ``kb search`` subprocess. Run::

    python benchmarks/bench_search.py [--release build/current] \\
        [--questions tests/eval/dev_questions.jsonl]

Results are printed and written to ``benchmarks/results/search.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kb.index.build import build_index, records_from_release  # noqa: E402
from kb.search.evaluate import answers, evaluate, load_questions, metrics  # noqa: E402
from kb.search.searcher import Searcher  # noqa: E402

DEFAULT_QUESTIONS = REPO / "tests" / "eval" / "dev_questions.jsonl"


def row(name: str, report: Any) -> dict[str, Any]:
    return {
        "name": name,
        "R@1": report.recall[1],
        "R@5": report.recall[5],
        "R@10": report.recall[10],
        "MRR@10": report.mrr,
    }


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{title}\n| Retriever | R@1 | R@5 | R@10 | MRR@10 |\n|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['name']} | {r['R@1']:.3f} | {r['R@5']:.3f} | {r['R@10']:.3f} "
            f"| {r['MRR@10']:.3f} |"
        )


def index_variant(
    release: Path,
    settings: Any,
    embedder: Any,
    records: list,
    entities: list,
    out: Path,
    **opts: Any,
) -> Path:
    s = SimpleNamespace(**{**vars(settings), **opts})
    build_index(release, s, embedder=embedder, records=records, entities=entities, out_dir=out)
    return out


def txtai_eval(model_path: str, texts: list[str], record_texts: list[str], questions: list) -> Any:
    """txtai Embeddings(hybrid=True) with the same model over the same indexed texts."""
    from txtai import Embeddings

    emb = Embeddings(path=model_path, content=False, hybrid=True, backend="faiss")
    t = time.perf_counter()
    emb.index([(i, text, None) for i, text in enumerate(texts)])
    build = time.perf_counter() - t
    ranks = []
    lat = []
    for q in questions:
        t = time.perf_counter()
        res = emb.search(q.q, 10)
        lat.append(time.perf_counter() - t)
        ids = [int(r[0]) for r in res]
        ranks.append(
            next((n for n, i in enumerate(ids, 1) if answers(record_texts[i], q.gold)), None)
        )
    recall, mrr = metrics(ranks)
    return SimpleNamespace(recall=recall, mrr=mrr), build, lat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--release", type=Path, default=REPO / "build" / "current")
    ap.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    ap.add_argument("--no-txtai", action="store_true")
    ap.add_argument("--latency-rounds", type=int, default=10)
    args = ap.parse_args()

    from kb.index.embed import load_embedder
    from kb.settings import Settings

    release = args.release.resolve()
    if not (release / "graph.nt").is_file():
        sys.exit(f"{release}: no graph.nt; run 'kb build' first or pass --release")
    questions = load_questions(args.questions)
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    settings = SimpleNamespace(
        **{k: getattr(Settings(), k) for k in ("max_passage_chars",)}, build_dir=work / "build"
    )
    out: dict[str, Any] = {"questions": str(args.questions), "n_questions": len(questions)}

    t = time.perf_counter()
    records, entities = records_from_release(release)
    out["records_s"] = time.perf_counter() - t
    t = time.perf_counter()
    embedder = load_embedder(settings)
    out["model_load_s"] = time.perf_counter() - t
    print(f"{len(records)} passages, {len(entities)} entities, model {embedder.model_id}")

    # Index build: full (nothing cached), then incremental after one document changes.
    t = time.perf_counter()
    full = build_index(
        release,
        settings,
        embedder=embedder,
        records=records,
        entities=entities,
        out_dir=work / "idx-full",
        use_cache=True,
    )
    out["build_full_s"] = time.perf_counter() - t
    changed_doc = sorted({r.doc_id for r in records})[0]
    touched = [
        replace(r, text=r.text + " (bijgewerkt)", doc_hash="changed")
        if r.doc_id == changed_doc
        else r
        for r in records
    ]
    t = time.perf_counter()
    inc = build_index(
        release,
        settings,
        embedder=embedder,
        records=touched,
        entities=entities,
        out_dir=work / "idx-inc",
    )
    out["build_incremental_s"] = time.perf_counter() - t
    out["incremental_embedded"] = inc.embedded
    out["incremental_doc"] = changed_doc
    print(
        f"index build full {out['build_full_s']:.1f} s ({full.embedded} embedded); "
        f"incremental {out['build_incremental_s']:.2f} s ({inc.embedded} embedded, "
        f"{inc.cached} cached; every passage of {changed_doc} changed)"
    )

    main_idx = work / "idx-full"
    rows = []
    s = Searcher(main_idx, settings, embedder=embedder)
    rows.append(
        row(
            f"this search: hybrid (w={s.dense_weight}) + KG (boost {s.kg_boost})",
            evaluate(s, questions),
        )
    )
    bm25_plain = index_variant(
        release,
        settings,
        embedder,
        records,
        entities,
        work / "idx-plain",
        context_header=False,
        decompound=False,
    )
    sp = Searcher(bm25_plain, settings, embedder=embedder, dense_weight=0.0, use_kg=False)
    rows.append(
        row("BM25 alone (bm25s, Dutch stem+stopwords, passage text)", evaluate(sp, questions))
    )
    sb = Searcher(main_idx, settings, embedder=embedder, dense_weight=0.0, use_kg=False)
    rows.append(row("BM25 alone + context header + decompounding", evaluate(sb, questions)))
    sp.dense_weight = 1.0
    rows.append(row("dense alone (passage text)", evaluate(sp, questions)))
    sb.dense_weight = 1.0
    rows.append(row("dense alone + context header", evaluate(sb, questions)))
    sr = Searcher(
        main_idx, settings, embedder=embedder, fusion="rrf", dense_weight=0.5, use_kg=False
    )
    rows.append(row("RRF k=60 of dense + BM25 (ours)", evaluate(sr, questions)))
    if not args.no_txtai:
        try:
            from kb.index.embed import default_model_path

            texts = [r.indexed_text() for r in records]
            rep, build_s, lat = txtai_eval(
                str(default_model_path()), texts, [r.full_text() for r in records], questions
            )
            rows.append(row("txtai hybrid, same model, same texts", rep))
            out["txtai_build_s"] = build_s
            out["txtai_latency_p50_ms"] = statistics.median(lat) * 1000
        except ImportError:
            print("txtai not installed: pip install txtai")
    print_table("Quality", rows)
    out["quality"] = rows

    # Ablation on this search.
    abl = [rows[0]]
    s_nokg = Searcher(main_idx, settings, embedder=embedder, use_kg=False)
    abl.append(row("without KG (linking, expansion, boost)", evaluate(s_nokg, questions)))
    nodc = index_variant(
        release, settings, embedder, records, entities, work / "idx-nodc", decompound=False
    )
    abl.append(
        row(
            "without decompounding",
            evaluate(Searcher(nodc, settings, embedder=embedder), questions),
        )
    )
    t = time.perf_counter()
    nohead = index_variant(
        release, settings, embedder, records, entities, work / "idx-nohead", context_header=False
    )
    out["build_noheader_s"] = time.perf_counter() - t
    abl.append(
        row(
            "without context header",
            evaluate(Searcher(nohead, settings, embedder=embedder), questions),
        )
    )
    abl.append(
        row(
            "dense weight 0 (lexical + KG)",
            evaluate(Searcher(main_idx, settings, embedder=embedder, dense_weight=0.0), questions),
        )
    )
    abl.append(
        row(
            "lexical weight 0 (dense + KG)",
            evaluate(Searcher(main_idx, settings, embedder=embedder, dense_weight=1.0), questions),
        )
    )
    s_noprior = Searcher(main_idx, settings, embedder=embedder)
    s_noprior.min_content_words = 0
    abl.append(row("without the low-content prior", evaluate(s_noprior, questions)))
    s_nomention = Searcher(main_idx, settings, embedder=embedder)
    for rec in s_nomention.records:
        rec.mentions = []
    s_nomention._load_entity_rows()
    abl.append(
        row("KG without passage mentions (graph facts only)", evaluate(s_nomention, questions))
    )
    print_table("Ablation", abl)
    out["ablation"] = abl

    # Sweep of the fusion weight and the KG boost.
    sweep = []
    print("\nSweep: dense_weight × kg_boost → R@5 / MRR@10")
    ss = Searcher(main_idx, settings, embedder=embedder)
    for kg in (0.0, 0.3, 0.5, 1.0, 1.5, 2.0):
        cells = []
        for w10 in range(0, 11):
            ss.dense_weight, ss.kg_boost = w10 / 10, kg
            rep = evaluate(ss, questions)
            sweep.append(
                {"dense_weight": w10 / 10, "kg_boost": kg, "R@5": rep.recall[5], "MRR@10": rep.mrr}
            )
            cells.append(f"{rep.recall[5]:.2f}/{rep.mrr:.2f}")
        print(f"kg {kg:.2f}: " + "  ".join(f"w{w / 10:.1f} {c}" for w, c in enumerate(cells)))
    out["sweep"] = sweep

    # Warm latency of this search, every query embedded afresh (no query-vector cache): as
    # search runs it (queries through the index's ONNX encoder) and with PyTorch, same run.
    def warm_latency(searcher: Any) -> list[float]:
        searcher.search(questions[0].q)
        lat = []
        for _ in range(args.latency_rounds):
            for q in questions:
                t = time.perf_counter()
                searcher.search(q.q, top_k=10)
                lat.append(time.perf_counter() - t)
        return sorted(lat)

    no_cache = SimpleNamespace(**vars(settings), query_cache_size=0)
    product = Searcher(main_idx, no_cache)  # loads the query encoder the index names
    torch_encoder = Searcher(main_idx, no_cache, embedder=embedder)
    print(f"\nwarm latency ({args.latency_rounds} × {len(questions)} queries, no cache)")
    print("| query encoder | p50 ms | p95 ms |\n|---|---:|---:|")
    lat = {}
    for name, searcher in (
        (f"{type(product.embedder).__name__} (default)", product),
        ("SentenceTransformerEmbedder (PyTorch)", torch_encoder),
    ):
        values = warm_latency(searcher)
        lat[name] = values
        p50, p95 = values[len(values) // 2] * 1000, values[int(len(values) * 0.95)] * 1000
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")
    first, second = lat.values()
    default, pytorch = first[len(first) // 2], second[len(second) // 2]
    out["latency_p50_ms"] = default * 1000
    out["latency_p95_ms"] = first[int(len(first) * 0.95)] * 1000
    out["latency_torch_p50_ms"] = pytorch * 1000
    print(f"PyTorch / default p50: {pytorch / default:.1f}×")

    # Cold `kb search` in a fresh interpreter, against a build folder holding this release.
    bdir = work / "cold-build"
    (bdir / "releases").mkdir(parents=True)
    rel = bdir / "releases" / "r"
    shutil.copytree(release, rel, ignore=shutil.ignore_patterns("index"))
    shutil.copytree(main_idx, rel / "index")
    (bdir / "current").symlink_to(rel)
    code = (
        "import sys; from kb.cli.main import app; from kb.cli.search import search_cmd; "
        "app.command('search')(search_cmd); app()"
    )
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, "search", questions[0].q, "-b", str(bdir), "--json"],
        capture_output=True,
        text=True,
        cwd=str(work),
    )
    out["cold_cli_search_s"] = time.perf_counter() - t
    ok = proc.returncode == 0 and json.loads(proc.stdout)
    print(f"cold 'kb search' subprocess: {out['cold_cli_search_s']:.2f} s (ok={bool(ok)})")
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from kb.cli.main import app; app()", "--help"],
        capture_output=True,
        text=True,
    )
    out["cli_help_s"] = time.perf_counter() - t
    print(f"'kb --help' subprocess: {out['cli_help_s']:.2f} s")

    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "search.json").write_text(json.dumps(out, indent=2, default=str))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
