"""Benchmark: generating the Word documents of the bundled corpus.

Run: ``python benchmarks/bench_generate.py [--repeat N] [-b BUILD_DIR]``. Uses the graph of the
current build (``kb build`` first; without one, a graph-only build is made in a temporary
folder). Times, as the median of N runs: loading the context (SPARQL → dataclasses), each of the
seven chapters, the whole plan and the raadsvoorstel of the whole plan, each written to a .docx
file. The first plan run also imports matplotlib for the chart; it is reported apart.
Prints a Markdown table; the goal is the whole plan in under 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.docx.base import save
from generator.docx.chapter import chapter_document
from generator.docx.plan import plan_document
from generator.docx.raadsvoorstel import load_council, raadsvoorstel_document
from kb.rdf.store import GRAPH_FILE, load_graph
from kb.settings import Settings
from kb.views.plans import load_plan

FIXED = dt.datetime(2026, 1, 1)
GOAL_PLAN_SECONDS = 2.0


def _median(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 if the plan misses the goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("-b", "--build-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    settings = Settings(build_dir=args.build_dir) if args.build_dir else Settings()
    tmp = Path(tempfile.mkdtemp(prefix="bench-generate-"))
    release = settings.current_dir
    if not (release / GRAPH_FILE).is_file():
        from kb.build.pipeline import build

        settings = Settings(build_dir=tmp / "build")
        build(None, settings, products=())
        release = settings.current_dir
    graph = load_graph(release)
    rows: list[tuple[str, float]] = []

    t = time.perf_counter()
    plan = load_plan(graph, settings.default_plan)
    rows.append(("context (SPARQL → dataclasses), first run", time.perf_counter() - t))
    rows.append(("context", _median(lambda: load_plan(graph, settings.default_plan), args.repeat)))

    t = time.perf_counter()
    save(plan_document(plan, fixed_time=FIXED), tmp / "plan-first.docx")
    rows.append(("whole plan, first run (imports matplotlib)", time.perf_counter() - t))

    chapters_total = 0.0
    for seg in plan.segments:
        seconds = _median(
            lambda seg=seg: save(
                chapter_document(seg, fixed_time=FIXED), tmp / f"hoofdstuk-{seg.slug}.docx"
            ),
            args.repeat,
        )
        chapters_total += seconds
        rows.append((f"chapter {seg.label}", seconds))
    rows.append(("all seven chapters", chapters_total))
    plan_seconds = _median(
        lambda: save(plan_document(plan, fixed_time=FIXED), tmp / "inkoopplan.docx"), args.repeat
    )
    rows.append(("whole plan", plan_seconds))
    rows.append(
        (
            "whole plan incl. context",
            _median(
                lambda: save(
                    plan_document(load_plan(graph, settings.default_plan), fixed_time=FIXED),
                    tmp / "inkoopplan.docx",
                ),
                args.repeat,
            ),
        )
    )
    rows.append(
        (
            "raadsvoorstel whole plan (incl. its caveats, dates, legal basis)",
            _median(
                lambda: save(
                    raadsvoorstel_document(
                        plan, None, council=load_council(graph, plan), fixed_time=FIXED
                    ),
                    tmp / "rv.docx",
                ),
                args.repeat,
            ),
        )
    )
    print(f"Word documents of '{plan.title}' (median of {args.repeat} runs)\n")
    print("| step | seconds |")
    print("|---|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")
    verdict = "met" if plan_seconds < GOAL_PLAN_SECONDS else "MISSED"
    print(f"\nGoal: whole plan < {GOAL_PLAN_SECONDS:.0f} s — {verdict} ({plan_seconds:.2f} s)")
    return 0 if plan_seconds < GOAL_PLAN_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
