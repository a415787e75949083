"""Printing query results (table, JSON, CSV) and entity cards for the command line."""

from __future__ import annotations

import csv
import json
import sys
from typing import Any

from rdflib import Literal, URIRef
from rdflib.query import Result

from kb.rdf.namespaces import compact
from kb.views.entities import EntityCard


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return compact(str(value))
    if isinstance(value, Literal):
        return str(value)
    return str(value)


def render(result: Result, fmt: str, out=None) -> None:  # type: ignore[no-untyped-def]
    """Print a query result: SELECT as table/JSON/CSV, ASK as true/false, graphs as Turtle."""
    out = out or sys.stdout
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        out.write(
            json.dumps({"boolean": answer}) + "\n" if fmt == "json" else f"{answer}\n".lower()
        )
        return
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        assert graph is not None
        data = graph.serialize(format="json-ld" if fmt == "json" else "turtle")
        out.write(data if isinstance(data, str) else data.decode())
        return
    names = [str(v) for v in result.vars or []]
    rows: list[Any] = list(result)  # SELECT: one ResultRow per solution
    if fmt == "json":
        # The W3C SPARQL 1.1 Query Results JSON Format.
        out.write((result.serialize(format="json") or b"").decode() + "\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(names)
        for row in rows:
            # CSV is for other programs: full IRIs, raw literal values.
            writer.writerow(["" if v is None else str(v) for v in row])
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_header=True, show_lines=False)
        for name in names:
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*[_cell(row[i]) for i in range(len(names))])
        console = Console(file=out) if out is not sys.stdout else Console()
        console.print(table)
        console.print(f"{len(rows)} rows", style="dim")


def print_card(card: EntityCard, *, as_json: bool = False) -> None:
    """Print an entity card."""
    if as_json:
        sys.stdout.write(json.dumps(card.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{card.label}[/]  {compact(card.iri)}", highlight=False)
    console.print("types: " + ", ".join(card.types), highlight=False)
    table = Table(show_header=True, title="properties")
    table.add_column("property")
    table.add_column("value", overflow="fold")
    for prop, value, label in card.properties:
        table.add_row(prop, f"{label} ({value})" if label else value)
    console.print(table)
    if card.incoming:
        inc = Table(show_header=True, title="linked from")
        inc.add_column("subject", overflow="fold")
        inc.add_column("property")
        for subject, prop, label in card.incoming[:50]:
            inc.add_row(f"{label} ({subject})" if label else subject, prop)
        console.print(inc)
    if card.sources:
        console.print("[bold]sources[/]")
        for s in card.sources:
            span = f"{s.start}–{s.end}" if s.start is not None else ""
            console.print(
                f"  {s.document} › {s.section} [{span}] {compact(s.passage_iri)}", highlight=False
            )
            if s.quote:
                console.print(f"    “{s.quote[:300]}”", highlight=False)
