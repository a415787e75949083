"""Benchmark: a full build, and typical SPARQL queries on rdflib's memory store vs Oxigraph.

Run: ``python benchmarks/bench_build.py [--repeat N]``. Prints Markdown tables: build steps,
graph load time per store, and per query the median time on each store and the ratio. Both
stores are measured in the same run on the same graph file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from kb.build.pipeline import build
from kb.cli.main import build_products
from kb.rdf.store import GRAPH_FILE, load_graph, query
from kb.settings import Settings

QUERIES: dict[str, str] = {
    "segments of a plan": """
        SELECT ?seg ?label WHERE { ?seg a kb:Segment ; rdfs:label ?label ; kb:inPlan ?plan }
        ORDER BY ?label""",
    "research questions per segment": """
        SELECT ?label (COUNT(?q) AS ?n) WHERE {
          ?seg a kb:Segment ; rdfs:label ?label ; kb:hasResearchQuestion ?q } GROUP BY ?label""",
    "stakeholders with passages": """
        SELECT ?seg ?st ?passage WHERE {
          ?seg kb:hasStakeholderMention ?m . ?m kb:mentions ?st ; prov:wasDerivedFrom ?passage }""",
    "budget lines of one municipality and year": """
        SELECT ?product ?value WHERE {
          ?line a kb:BudgetLine ; kb:municipality ?m ; kb:year 2024 ; kb:product ?product ;
                schema:value ?value . ?m rdfs:label "Katwijk"@nl }""",
    "regional choices side by side": """
        SELECT ?region ?aspect ?value ?passage WHERE {
          ?c a kb:RegionalChoice ; kb:region ?r ; kb:aspect ?a ; kb:value ?value ;
             prov:wasDerivedFrom ?passage .
          ?r rdfs:label ?region . ?a skos:prefLabel ?aspect FILTER(LANG(?aspect) = "nl") }
        ORDER BY ?aspect ?region""",
    "full-text filter over passages": """
        SELECT ?p WHERE { ?p a kb:Passage ; kb:text ?t
          FILTER(CONTAINS(LCASE(STR(?t)), "bekostiging")) }""",
    "provenance of every fact": """
        SELECT (COUNT(*) AS ?n) WHERE { ?f prov:wasDerivedFrom ?p . ?p oa:hasSource ?d .
          ?d dct:title ?title }""",
}


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions per measurement")
    parser.add_argument(
        "--products",
        action="store_true",
        help="also build the search index, documents and site (timed per step)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(build_dir=Path(tmp) / "build")
        build_times = []
        for _ in range(max(1, min(args.repeat, 3))):
            result = build(settings=settings, products=build_products() if args.products else ())
            build_times.append(result.timings)
        current = settings.current_dir
        print(
            f"## Full build of the bundled corpus ({len(result.documents)} documents, "
            f"{result.triples} triples)\n"
        )
        print("| step | median s |\n|---|---:|")
        for step in build_times[0]:
            print(f"| {step} | {statistics.median(t[step] for t in build_times):.3f} |")

        print(f"\n## Loading {GRAPH_FILE} ({(current / GRAPH_FILE).stat().st_size / 1e6:.1f} MB)\n")
        print("| store | median s |\n|---|---:|")
        load_mem, graph_mem = timed(lambda: load_graph(current, store="default"), args.repeat)
        load_ox, graph_ox = timed(lambda: load_graph(current, store="Oxigraph"), args.repeat)
        print(f"| rdflib memory | {load_mem:.3f} |\n| Oxigraph (oxrdflib) | {load_ox:.3f} |")
        print(f"\nOxigraph loads {load_mem / load_ox:.1f}× faster.\n")

        print("## SPARQL queries (median ms)\n")
        print("| query | rows | rdflib memory | Oxigraph | ratio |\n|---|---:|---:|---:|---:|")
        for name, text in QUERIES.items():
            t_mem, rows_mem = timed(lambda q=text: list(query(graph_mem, q)), args.repeat)
            t_ox, rows_ox = timed(lambda q=text: list(query(graph_ox, q)), args.repeat)
            assert len(rows_mem) == len(rows_ox), f"{name}: stores disagree"  # type: ignore[arg-type]
            print(
                f"| {name} | {len(rows_ox)} | {t_mem * 1000:.1f} | {t_ox * 1000:.1f} | "  # type: ignore[arg-type]
                f"{t_mem / t_ox:.1f}× |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
