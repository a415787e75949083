"""Benchmark: the cost of reading large and many files, and of the per-file time budget.

Run: ``python benchmarks/bench_ingest.py [--mb 5] [--build]``. Writes an invented Dutch text of
``--mb`` megabytes (numbered chapters, paragraphs, lists; seeded, so every run reads the same
text) into a temporary folder and measures, each in a fresh process:

* reading it in this process (``read_document``, no budget) and through the forked worker of
  the time budget (``read_bounded``): seconds and peak memory (max RSS, MB);
* the per-file cost of the worker: 50 small files read with and without the budget;
* with ``--build``: the graph of the large file as ``kb build`` makes it (graph only), to see
  where a large file's time goes after reading.

Prints a Markdown table. Not a test: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

WORDS = [
    "de", "het", "een", "en", "van", "in", "op", "voor", "met", "door", "aan", "bij", "regio",
    "gemeente", "gemeenten", "jeugdhulp", "jeugdhulpaanbieders", "inkoop", "contract", "tarief",
    "budget", "zorg", "ouders", "jongeren", "wijkteam", "verwijzing", "toegang", "resultaat",
    "afspraken", "kwaliteit", "verantwoording", "procedure", "subsidie",
]  # fmt: skip

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, target = sys.argv[1], Path(sys.argv[2])
t0 = time.perf_counter()
if mode == "build":
    from kb.build.pipeline import build_graph
    from kb.ingest.read import ingest
    from kb.settings import Settings
    docs = ingest([target]).documents
    t1 = time.perf_counter()
    build_graph(docs, Settings(), progress=None, sources=[target])
    out = {"read_s": t1 - t0, "graph_s": time.perf_counter() - t1,
           "passages": len(docs[0].passages)}
else:
    from kb.ingest.read import ReadLimits, ingest
    limits = ReadLimits(read_timeout=60 if mode == "bounded" else 0)
    t1 = time.perf_counter()
    result = ingest([target], limits=limits)
    out = {"read_s": time.perf_counter() - t1, "documents": len(result.documents),
           "problems": [str(p) for p in result.problems]}
usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
out["max_rss_mb"] = usage / 1024
print(json.dumps(out))
"""


def dutch_text(size: int, seed: int = 14) -> str:
    """An invented plan of about ``size`` characters: chapters, paragraphs and list items."""
    rng = random.Random(seed)
    out: list[str] = []
    length = chapter = 0
    while length < size:
        chapter += 1
        lines = [f"{chapter}. Hoofdstuk {chapter} over de inkoop van jeugdhulp", ""]
        for _ in range(rng.randint(5, 15)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(20, 90))]
            lines += [" ".join(words).capitalize() + ".", ""]
            if rng.random() < 0.3:
                lines += [f"- {rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(4)] + [""]
        block = "\n".join(lines) + "\n"
        out.append(block)
        length += len(block)
    return "".join(out)


def run(mode: str, target: Path) -> dict[str, object]:
    """Run one measurement in a fresh interpreter (so peak memory is its own)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Write the files, measure, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of the large text in MB")
    parser.add_argument("--build", action="store_true", help="also time the graph of it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        large = Path(tmp) / "groot"
        large.mkdir()
        text = dutch_text(int(args.mb * 1024 * 1024))
        (large / "2024-01-01_testregio_groot-plan.txt").write_text(text, encoding="utf-8")
        small = Path(tmp) / "klein"
        small.mkdir()
        for i in range(50):
            (small / f"2024-01-01_testregio_plan-{i:02d}.txt").write_text(
                dutch_text(4000, seed=i), encoding="utf-8"
            )
        size_mb = len(text.encode()) / 1024 / 1024
        print(f"| measurement ({size_mb:.1f} MB text; 50 files of 4 KB) | s | max RSS MB |")
        print("|---|---|---|")
        for label, mode, target in (
            ("large file, in-process", "plain", large),
            ("large file, worker with budget", "bounded", large),
            ("50 small files, in-process", "plain", small),
            ("50 small files, one worker, budget per file", "bounded", small),
        ):
            out = run(mode, target)
            assert out["documents"], out["problems"]
            print(f"| {label} | {out['read_s']:.2f} | {out['max_rss_mb']:.0f} |")
        if args.build:
            out = run("build", large)
            print(
                f"| large file, graph only ({out['passages']} passages) | read "
                f"{out['read_s']:.2f} + graph {out['graph_s']:.2f} | {out['max_rss_mb']:.0f} |"
            )


if __name__ == "__main__":
    main()
