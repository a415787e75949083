"""Benchmark: how many of the invented region documents' prose facts the build proposes.

Run: ``python benchmarks/bench_prose_facts.py``. Builds the graph of ``tests/fixtures/regions``
(graph only, as ``kb build`` does, without publishing) and, for each document, compares the facts
of ``expected.yaml`` whose kind a prose pattern can find (contract duration, providers now and
aimed for, contract start/end and decision dates, purchasing and funding models, centrumgemeente,
penvoerder, numbers of youths) with the proposed facts (``kb:ProposedFact``) derived from that
document's passages. Prints a Markdown table: proposals, expected facts, expected facts found.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from rdflib import Graph, URIRef
from rdflib.namespace import PROV

from kb.build.pipeline import build_graph
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB, OA
from kb.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "regions"
#: expected.yaml kind → the proposed-fact kinds that may hold it.
KINDS: dict[str, tuple[str, ...]] = {
    "contract_duration": ("contract_duration",),
    "providers": ("providers_now", "providers_target", "providers"),
    "contract_start": ("contract_start", "start_date"),
    "contract_end": ("contract_end", "end_date"),
    "decision_date": ("decision_date",),
    "procedure": ("purchasing_model",),
    "funding_model": ("funding_model",),
    "centrumgemeente": ("centrumgemeente",),
    "penvoerder": ("penvoerder",),
    "youths": ("youth_count",),
}


def _years(value: object) -> int | None:
    m = re.fullmatch(r"P(\d+)Y", str(value or ""))
    return int(m.group(1)) if m else None


def _found(g: Graph, facts: list[URIRef], fact: dict[str, Any]) -> bool:
    kind = fact["kind"]
    mine = [f for f in facts if str(g.value(f, KB.factKind)) in KINDS[kind]]
    values = [g.value(f, KB.proposedValue) for f in mine]
    if kind == "contract_duration":
        years = fact.get("initial_years", fact.get("min_years"))
        lows = [_years(g.value(f, KB.minimumDuration)) for f in mine]
        return years in [_years(v) for v in values] + lows
    if kind == "providers":
        wanted = {Decimal(str(fact[k])) for k in ("now", "aimed") if k in fact}
        return wanted <= {Decimal(str(v)) for v in values if v is not None}
    if kind in ("contract_start", "contract_end", "decision_date"):
        return str(fact["date"]) in {str(v) for v in values}
    if kind in ("procedure", "funding_model"):
        concepts = [str(g.value(f, KB.proposedConcept)) for f in mine]
        return any(c.endswith("/" + fact["concept"]) for c in concepts)
    if kind in ("centrumgemeente", "penvoerder"):
        return any(fact["name"].lower() in str(v).lower() for v in values)
    return Decimal(str(fact["count"])) in {Decimal(str(v)) for v in values if v is not None}


def main() -> None:
    """Print the table."""
    expected = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))["documents"]
    docs = ingest([FIXTURES]).documents
    graph, _ = build_graph(docs, Settings(), sources=[FIXTURES])
    files = {str(f): d for d, f in graph.subject_objects(KB.fileName)}
    by_doc: dict[object, list[URIRef]] = {}
    for fact in graph.subjects(KB.factKind, None):
        passage = graph.value(fact, PROV.wasDerivedFrom)
        by_doc.setdefault(graph.value(passage, OA.hasSource), []).append(fact)  # type: ignore[arg-type]
    print("| document | proposals | expected | found |\n| --- | ---: | ---: | ---: |")
    total = [0, 0, 0]
    for entry in expected:
        facts = by_doc.get(files.get(entry["file"]), [])
        wanted = [f for f in entry["facts"] if f["kind"] in KINDS]
        found = sum(_found(graph, facts, f) for f in wanted)
        for i, n in enumerate((len(facts), len(wanted), found)):
            total[i] += n
        print(f"| {entry['file']} | {len(facts)} | {len(wanted)} | {found} |")
    print(f"| total | {total[0]} | {total[1]} | {total[2]} |")


if __name__ == "__main__":
    main()
