"""Benchmark: how many key facts extraction finds, on the development set and on a held-out set.

Run: ``PYTHONPATH=. python benchmarks/bench_extract.py [--dev-only] [FOLDER ...]`` (folder names
under ``tests/fixtures``, e.g. ``heldout2``; default: every set; ``--dev-only`` measures the
development set alone and leaves the held-out folders untouched).

Three folders are built, each as ``kb build`` does it (the real pipeline, graph only, into a
temporary build folder): ``tests/fixtures/regions`` — the *development set*, whose documents the
extraction rules were written against — ``tests/fixtures/heldout`` — the *held-out set*, written
afterwards and never used to develop the rules (its weaknesses have since been reported, so it is
no longer cleanly unseen) — and ``tests/fixtures/heldout2`` — *held-out 2*, written without
reading the extraction rules or the other sets. For every fact ``expected.yaml`` lists, the fact
counts as found when

1. the graph holds a fact of that kind with that value: a confirmed structure fact (the checks of
   ``tests/fixture_facts.py``, shared with the acceptance test) or a proposed prose fact
   (``kb:ProposedFact`` with ``kb:factKind`` and ``kb:proposedValue``), and
2. its quote occurs verbatim in the document text: the expected quote, and the ``kb:quote`` of at
   least one matching proposed fact when the match is a proposed fact.

Prints Markdown tables: found / expected per document and fact kind, with totals; whether the
document's title, date and region in the graph are the expected ones (``meta``); and how many
``kb:quote`` values of the document's facts do not occur verbatim in its text (should be 0).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # tests/fixture_facts.py

from fixture_facts import (  # noqa: E402
    build_fixture_folder,
    doc_node,
    fact_found,
    from_doc,
    load_expected,
    region_named,
)

from kb.ingest.read import read_document  # noqa: E402
from kb.rdf.namespaces import KB  # noqa: E402
from kb.rdf.store import load_graph  # noqa: E402

SETS = (
    ("development set", ROOT / "tests" / "fixtures" / "regions"),
    ("held-out", ROOT / "tests" / "fixtures" / "heldout"),
    ("held-out 2", ROOT / "tests" / "fixtures" / "heldout2"),
)
#: The key facts of issue 10, in column order; other kinds are summed under "other".
KEY_KINDS = (
    "municipality",
    "segment",
    "contract_duration",
    "providers",
    "contract_start",
    "contract_end",
    "funding_model",
    "procedure",
)


def _build(fixtures: Path, entries: list[dict[str, Any]], work: Path) -> tuple[Graph, bool]:
    """The graph of the fixture folder as a user's folder holds it, and whether it published."""
    result = build_fixture_folder(fixtures, entries, work)
    return load_graph(result.release_dir), result.published


def _found(g: Graph, entry: dict[str, Any], fact: dict[str, Any], text: str) -> bool:
    return fact_found(g, doc_node(entry), fact, text)


def _bad_quotes(g: Graph, entry: dict[str, Any], text: str) -> int:
    quotes = {o for n in from_doc(g, doc_node(entry)) for o in g.objects(n, KB.quote)}
    return sum(1 for q in quotes if isinstance(q, Literal) and str(q) not in text)


def _metadata(g: Graph, entry: dict[str, Any]) -> str:
    doc, meta = doc_node(entry), entry["metadata"]
    ok = [
        meta["title"] in {str(t) for t in g.objects(doc, DCTERMS.title)},
        meta["date"] in {d.toPython() for d in g.objects(doc, DCTERMS.date)},
        region_named(g, doc, {"name": meta["region"]}),
    ]
    how = "listed" if meta.get("listed") else "inferred"
    return f"{sum(ok)}/3 {how}"


def measure(label: str, fixtures: Path) -> Counter[str]:
    """Print the table of one fixture folder; return found/expected totals per kind."""
    entries = load_expected(fixtures)
    totals: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        g, published = _build(fixtures, entries, Path(tmp))
    columns = [*KEY_KINDS, "other"]
    print(f"\n### {label} ({fixtures.relative_to(ROOT)}; published: {published})\n")
    print("| document | " + " | ".join(columns) + " | all | meta | bad quotes |")
    print("| --- |" + " ---: |" * (len(columns) + 1) + " --- | ---: |")
    for entry in entries:
        text = read_document(fixtures / entry["file"]).text
        row: Counter[str] = Counter()
        for fact in entry["facts"]:
            col = fact["kind"] if fact["kind"] in KEY_KINDS else "other"
            row[f"{col}/exp"] += 1
            row[f"{col}/found"] += _found(g, entry, fact, text)
        cells = [
            f"{row[f'{c}/found']}/{row[f'{c}/exp']}" if row[f"{c}/exp"] else "–" for c in columns
        ]
        found = sum(row[f"{c}/found"] for c in columns)
        expected = sum(row[f"{c}/exp"] for c in columns)
        totals.update(row)
        print(
            f"| {entry['file'][:48]} | " + " | ".join(cells) + f" | {found}/{expected} | "
            f"{_metadata(g, entry)} | {_bad_quotes(g, entry, text)} |"
        )
    cells = [f"{totals[f'{c}/found']}/{totals[f'{c}/exp']}" for c in columns]
    found = sum(totals[f"{c}/found"] for c in columns)
    expected = sum(totals[f"{c}/exp"] for c in columns)
    print("| **total** | " + " | ".join(cells) + f" | {found}/{expected} | | |")
    return totals


def main(argv: list[str] | None = None) -> None:
    """Measure the sets named on the command line (every set when none is), or only the
    development set with ``--dev-only``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", help="folder names under tests/fixtures")
    parser.add_argument(
        "--dev-only",
        action="store_true",
        help="measure only the development set (the held-out folders are not read)",
    )
    args = parser.parse_args(argv)
    print("Found / expected key facts (value in the graph and quote verbatim in the text).")
    for label, fixtures in SETS[:1] if args.dev_only else SETS:
        if not args.folders or fixtures.name in args.folders:
            measure(label, fixtures)


if __name__ == "__main__":
    main(sys.argv[1:])
