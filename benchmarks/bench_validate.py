"""Validation benchmark: ``kb.build.validate.validate`` on saved graphs, before and after.

Loads each graph (an N-Triples or Turtle file, e.g. ``build/current/graph.nt`` of graph-only
builds of ``bench_scale.py`` corpora at 1×, 10×, 50×) and times ``validate()`` twice in one
process: "rdflib" with rdflib's own namespace manager on the data graph (how validation ran before
``_PlainIriNamespaces``: every IRI pySHACL writes files its namespace in a prefix trie) and
"plain" with ``_PlainIriNamespaces``. It checks that both give the same results and prints a
Markdown table with the seconds per graph and their growth against the first graph.

Run::

    python benchmarks/bench_validate.py 1x=/tmp/x1/build/current/graph.nt \\
        10x=/tmp/x10/build/current/graph.nt 50x=/tmp/x50/build/current/graph.nt \\
        [--only plain] [--ontology-dir ontology] [--json results.json]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import NamespaceManager

from kb.build import validate as validate_module
from kb.resources import ontology_dir as default_ontology_dir

#: The ways the data graph's namespace manager is made: rdflib's (before) and the plain one.
MODES = ("rdflib", "plain")


@contextlib.contextmanager
def _namespaces(mode: str) -> Iterator[None]:
    """Validate with the namespace manager of ``mode`` on the data graph."""
    original = validate_module._PlainIriNamespaces
    if mode == "rdflib":
        validate_module._PlainIriNamespaces = NamespaceManager  # type: ignore[misc, assignment]
    try:
        yield
    finally:
        validate_module._PlainIriNamespaces = original  # type: ignore[misc]


def _key(v: validate_module.Violation) -> tuple[str, ...]:
    return (v.message, v.focus, v.path, v.value, v.shape, v.severity)


def run(
    graphs: list[tuple[str, Path]], ontology_dir: Path, modes: tuple[str, ...]
) -> list[dict[str, object]]:
    """Per graph: triples, load time, validate() seconds per mode, result count, equality."""
    rows: list[dict[str, object]] = []
    for label, path in graphs:
        t0 = time.perf_counter()
        graph = Graph()
        graph.parse(path, format="nt" if path.suffix == ".nt" else "turtle")
        row: dict[str, object] = {
            "graph": label,
            "triples": len(graph),
            "load_s": round(time.perf_counter() - t0, 1),
        }
        outcomes = {}
        for mode in modes:
            gc.collect()
            with _namespaces(mode):
                t0, c0 = time.perf_counter(), time.process_time()
                result = validate_module.validate(graph, ontology_dir)
                row[f"{mode}_s"] = round(time.perf_counter() - t0, 1)
                row[f"{mode}_cpu_s"] = round(time.process_time() - c0, 1)
            outcomes[mode] = (result.conforms, sorted(_key(v) for v in result.results))
            row["results"] = len(result.results)
            print(
                f"{label}: {mode} {row[f'{mode}_s']} s ({row[f'{mode}_cpu_s']} s CPU)",
                file=sys.stderr,
                flush=True,
            )
        if len(outcomes) > 1:
            row["equal"] = len({repr(o) for o in outcomes.values()}) == 1
        rows.append(row)
        del graph
    return rows


def table(rows: list[dict[str, object]], modes: tuple[str, ...]) -> str:
    """A Markdown table; growth is against the first graph (per mode, CPU seconds/CPU seconds).

    The CPU time of the process is what the growth compares: on a shared machine the wall time
    also measures the other processes.
    """
    head = ["graph", "triples", "triples growth"]
    head += [f"{m} wall (s)" for m in modes] + [f"{m} CPU (s)" for m in modes]
    head += [f"{m} CPU growth" for m in modes]
    if len(modes) > 1:
        head += ["results", "equal"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    first = rows[0] if rows else {}
    for row in rows:
        triples = float(row["triples"])  # type: ignore[arg-type]
        cells = [str(row["graph"]), f"{row['triples']:,}"]
        cells.append(f"{triples / float(first['triples']):.1f}×")  # type: ignore[arg-type]
        cells += [str(row[f"{m}_s"]) for m in modes]
        cells += [str(row[f"{m}_cpu_s"]) for m in modes]
        for m in modes:
            base = float(first[f"{m}_cpu_s"])  # type: ignore[arg-type]
            cpu = float(row[f"{m}_cpu_s"])  # type: ignore[arg-type]
            cells.append(f"{cpu / base:.1f}×" if base else "-")
        if len(modes) > 1:
            cells += [str(row["results"]), str(row["equal"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Time validation on the given graphs and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphs", nargs="+", help="LABEL=PATH of a graph.nt or graph.ttl")
    parser.add_argument("--ontology-dir", type=Path, default=None)
    parser.add_argument("--only", choices=MODES, default=None, help="run one mode only")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args(argv)
    graphs = []
    for spec in args.graphs:
        label, _, path = spec.partition("=")
        graphs.append((label, Path(path)) if path else (Path(label).parent.name, Path(label)))
    modes = (args.only,) if args.only else MODES
    rows = run(graphs, args.ontology_dir or default_ontology_dir(), modes)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    print(table(rows, modes))
    return 0 if all(r.get("equal", True) for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
