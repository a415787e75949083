"""Budget tables of any document, recognised by their shape, as budget facts.

A budget table is a table with a row of years as column headers (at least two) and amounts in
those columns; where it stands and what its section is called do not matter. The columns before
the first year are label columns, and their number gives the shape:

* **one label column** (``Onderdeel | 2025 | 2026 …``): every row is a budget line of the
  document's region (``kb:region``), named by its first cell; a row whose label starts with
  ``Totaal`` is the stated total, checked against the sum of the lines above it;
* **two label columns** (municipality | product, as the Holland Rijnland plan's section 6.1, a
  table that repeats its header for every subregion): read as described below.

The unit ``x € 1.000`` (or ``in duizenden``) is honoured in a header cell, and in the paragraph
right before the table ("bedragen x € 1.000"). A cell ``-`` means *not stated*: it gives no budget
line (and adds nothing to a computed sum), it is not an amount of 0.

In the two-column shape, read in document order, the rows are:

* header rows: a row whose cells hold the years (``| | 2021 | 2022 | 2023 | 2024``) sets which
  column is which year; a row with ``Producten`` (``Begroot (in €)`` per year) and a row
  ``Gemeenten`` with nothing else are column labels and carry no amounts;
* a row whose first cell is filled starts a *group* named by that cell (``Leiden``); rows with an
  empty first cell continue the group above them;
* inside a group, a row whose product cell starts with ``Totaal``/``Totale`` (``Totale beschikbare
  budget``) is a stated total, every other row is a budget line.

What is written
    * every budget line: ``kb:BudgetLine`` at ``entity_iri("budget-line", municipality, product,
      year)`` with ``kb:municipality`` (:func:`kb.extract.regions.municipality_iri`),
      ``kb:product`` (@nl), ``kb:year``, ``schema:value`` (xsd:decimal, euros) and
      ``schema:currency "EUR"``;
    * every stated total: ``kb:BudgetTotal`` at ``entity_iri("budget-total", who, year)`` with
      the stated ``schema:value``, ``kb:computedSum`` and ``kb:consistent`` (stated == computed,
      exactly: the plan rounds to thousands, and a rounding difference is still a difference a
      reader of the table runs into).

Whose total is it?
    * a group with budget lines is a municipality; its total is checked against the sum of its
      lines for that year;
    * a group with only a total row is an aggregate. Its members are the totals stated since the
      previous aggregate (the municipalities above "Leidse regio"); when none were stated since
      then, the totals repeated since then (the summary table repeats "Leidse regio" and
      "Duin- en Bollenstreek" before "Totaal"); failing that, the aggregates not yet part of
      another one. An aggregate of municipalities is a subregion (``kb:subregion``); an aggregate
      of aggregates (``Totaal``) links every subregion it sums. It is checked against the sum of
      its members' *stated* totals, so a wrong municipality total is reported once, at the
      municipality, and not again at every level above it;
    * a total that is stated twice (the repeated subregion rows) is written once, from its first
      row; a repetition with different amounts is reported.

Amounts: ``5.802.000`` → 5802000, ``-1.312.000`` → -1312000 (also ``–``/``−`` and ``(1.312.000)``).
A cell with only ``-`` is not stated (see above). A header ``x € 1.000`` or ``in duizenden``
multiplies by 1000.

Every fact cites its table row: rows are rendered in the document text as cells joined by `` | ``,
one per line, and the row is found with :func:`kb.extract.common.cite_text` inside the table's span,
moving forward row by row so that identical rows cite their own line.

Every inconsistency goes to ``facts.warnings`` as ``Begrotingstotaal <who> <year>: vermeld € X,
som van de posten € Y (verschil € Z)`` (Z = stated − sum); :func:`budget_problems` rebuilds the same
messages from a graph, for the build summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from kb.extract.common import (
    Cite,
    ExtractionError,
    FactGraph,
    cite_text,
    doc_iri,
    entity_iri,
    is_document_type,
)
from kb.extract.documents import region_iri
from kb.extract.regions import municipality_iri, subregion_iri
from kb.ingest.model import Document, PlacedBlock
from kb.ingest.passages import render_table_row
from kb.rdf.namespaces import KB, SCHEMA

#: Sections whose title matches this hold the framework (the plan has a prose section and the
#: numbered table section with the same title; the first one with a year-header table wins).
SECTION_RE = re.compile(r"^\s*financieel\s+kader\b", re.I)
YEAR_RE = re.compile(r"^\s*((?:19|20)\d\d)\s*$")
TOTAL_RE = re.compile(r"^\s*tota(?:al|le)\b", re.I)
THOUSANDS_RE = re.compile(r"x\s*€?\s*1\.000|in\s+duizenden|\(\s*x\s*1\.000\s*\)", re.I)
_NIL = {"-", "–", "—", "−"}
#: First cells that label the column of names rather than name a group.
GROUP_LABELS = {"gemeenten", "gemeente"}


@dataclass
class _Total:
    """A stated total while the table is read."""

    who: str
    row: tuple[str, ...]
    cite: Cite
    values: dict[int, Decimal]
    members: list[str] = field(default_factory=list)
    is_aggregate: bool = False


def not_stated(cell: str) -> bool:
    """A cell that states no amount on purpose: ``-`` (or another dash)."""
    return cell.replace("€", "").strip() in _NIL


def parse_amount(cell: str) -> Decimal | None:
    """``"5.802.000"`` → 5802000, ``"-1.312.000"`` → -1312000; ``"-"`` → None (not stated).

    Dutch notation: dots group thousands, a comma is the decimal separator. ``None`` when the cell
    is not an amount.
    """
    text = cell.replace("€", "").replace("\u00a0", " ").strip()
    if text in _NIL:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text[:1] in {"-", "–", "−"}:
        negative, text = True, text[1:].strip()
    text = text.replace(" ", "")
    if not re.fullmatch(r"\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?", text):
        return None
    try:
        value = Decimal(text.replace(".", "").replace(",", "."))
    except InvalidOperation:
        return None
    return -value if negative else value


def format_euro(value: Decimal) -> str:
    """``Decimal(-1312000)`` → ``"-1.312.000"`` (Dutch thousands separators)."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    cents = value - whole
    text = f"{whole:,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return sign + text


def problem_message(who: str, year: int, stated: Decimal, computed: Decimal) -> str:
    """The warning for a stated total that differs from the sum of its parts."""
    return (
        f"Begrotingstotaal {who} {year}: vermeld € {format_euro(stated)}, "
        f"som van de posten € {format_euro(computed)} (verschil € {format_euro(stated - computed)})"
    )


def budget_line_iri(municipality: str, product: str, year: int) -> URIRef:
    return entity_iri("budget-line", municipality, product, str(year))


def budget_total_iri(who: str, year: int) -> URIRef:
    return entity_iri("budget-total", who, str(year))


def find_budget_table(doc: Document) -> PlacedBlock | None:
    """The first budget table of the document (see :func:`budget_tables`), or None."""
    tables = budget_tables(doc)
    return tables[0] if tables else None


def budget_tables(doc: Document) -> list[PlacedBlock]:
    """Every table with a row of at least two years and an amount in a year column."""
    found = []
    for block in doc.blocks:
        if block.kind != "table":
            continue
        years = _year_columns(block.block.rows)
        if years and any(
            parse_amount(row[col]) is not None
            for row in block.block.rows
            for col in years
            if col < len(row) and not YEAR_RE.match(row[col])
        ):
            found.append(block)
    return found


def _year_columns(rows: tuple[tuple[str, ...], ...]) -> dict[int, int]:
    """Column index → year, from the first row that holds at least two years."""
    for row in rows:
        years = {i: int(m.group(1)) for i, c in enumerate(row) if (m := YEAR_RE.match(c))}
        if len(years) >= 2:
            return years
    return {}


def extract(docs: list[Document], facts: FactGraph) -> None:
    """Budget lines and stated totals of every budget table of every document."""
    for doc in docs:
        tables = budget_tables(doc)
        if not tables and is_document_type(facts, doc, "inkoopplan"):
            facts.warnings.append(
                f"finance: {doc.path.name}: no budget table (a table with a row of years and "
                "amounts) found; no budget facts"
            )
        for block in tables:
            if min(_year_columns(block.block.rows)) >= 2:
                _extract_table(doc, block, facts)
            else:
                _extract_region_table(doc, block, facts)


def _unit_factor(doc: Document, block: PlacedBlock) -> Decimal:
    """1000 when the table's cells or the paragraph right before it say ``x € 1.000``."""
    if any(THOUSANDS_RE.search(c) for row in block.block.rows for c in row):
        return Decimal(1000)
    before = [b for b in doc.blocks if b.end <= block.start and b.section_id == block.section_id]
    if before and before[-1].kind == "paragraph" and THOUSANDS_RE.search(before[-1].text):
        return Decimal(1000)
    return Decimal(1)


def _extract_region_table(doc: Document, block: PlacedBlock, facts: FactGraph) -> None:
    """A table with one label column: budget lines of the document's region, and its total."""
    rows = block.block.rows
    years = _year_columns(rows)
    factor = _unit_factor(doc, block)
    owner = doc.meta.region or doc.id
    region = region_iri(doc.meta.region) if doc.meta.region else None
    if region is not None:
        facts.add(region, RDF.type, KB.Region)
        facts.label(region, doc.meta.region)
    cursor = block.start
    sums: dict[int, Decimal] = {}
    started = False
    for row in rows:
        cells = [c.strip() for c in row]
        if not started:
            started = sum(1 for col in years if col < len(cells) and YEAR_RE.match(cells[col])) >= 2
            continue  # rows up to the year header are captions and column labels
        cite = _cite_row(doc, block, row, cursor, facts)
        if cite is None or not cells[0]:
            continue
        cursor = cite.end
        values = _row_values(doc, cells, years, factor, cells[0], facts)
        is_total = bool(TOTAL_RE.match(cells[0]))
        for year, value in values.items():
            if is_total:
                iri = entity_iri("budget-total", owner, doc.id, str(year))
                facts.add(iri, RDF.type, KB.BudgetTotal)
                facts.label(iri, f"Begrotingstotaal {owner} {year}")
                computed = sums.get(year, Decimal(0))
                facts.add(iri, KB.computedSum, Literal(computed, datatype=XSD.decimal))
                facts.add(iri, KB.consistent, Literal(value == computed, datatype=XSD.boolean))
                if value != computed:
                    facts.warnings.append(problem_message(owner, year, value, computed))
            else:
                iri = entity_iri("budget-line", owner, doc.id, cells[0], str(year))
                facts.add(iri, RDF.type, KB.BudgetLine)
                facts.label(iri, f"{cells[0]} {year}")
                facts.text(iri, KB.product, cells[0])
                sums[year] = sums.get(year, Decimal(0)) + value
            facts.add(iri, KB.region, region)
            facts.add(iri, KB.year, Literal(year, datatype=XSD.integer))
            facts.add(iri, SCHEMA.value, Literal(value, datatype=XSD.decimal))
            facts.add(iri, SCHEMA.currency, Literal("EUR"))
            facts.add(iri, KB.inDocument, doc_iri(doc.id))
            facts.provenance(iri, cite)


def _row_values(
    doc: Document,
    cells: list[str],
    years: dict[int, int],
    factor: Decimal,
    who: str,
    facts: FactGraph,
) -> dict[int, Decimal]:
    """Year → amount of one row; a ``-`` is not stated, anything else not an amount is warned."""
    values: dict[int, Decimal] = {}
    for col, year in years.items():
        raw = cells[col] if col < len(cells) else ""
        if raw and not_stated(raw):
            continue
        amount = parse_amount(raw) if raw else None
        if amount is None:
            facts.warnings.append(
                f"finance: {doc.path.name}: {who} {year}: amount {raw!r} is not a number; skipped"
            )
            continue
        values[year] = amount * factor
    return values


def _extract_table(doc: Document, block: PlacedBlock, facts: FactGraph) -> None:
    rows = block.block.rows
    years: dict[int, int] = {}
    factor = Decimal(1)
    cursor = block.start
    group = ""
    lines: dict[str, dict[int, Decimal]] = {}  # municipality → year → sum of its lines
    totals: dict[str, _Total] = {}
    order: list[str] = []  # who, in the order their totals were first stated
    since_aggregate: list[str] = []  # municipality totals stated since the last aggregate
    repeated: list[str] = []  # totals repeated since the last aggregate
    open_aggregates: list[str] = []  # aggregates not yet part of a larger one
    wrote_any = False

    for row in rows:
        cite = _cite_row(doc, block, row, cursor, facts)
        if cite is not None:
            cursor = cite.end
        cells = [c.strip() for c in row]
        row_years = {i: int(m.group(1)) for i, c in enumerate(cells) if (m := YEAR_RE.match(c))}
        if len(row_years) >= 2:
            years = row_years
            continue
        if any(THOUSANDS_RE.search(c) for c in cells):
            factor = Decimal(1000)
        if cells[0] and cells[0].lower() not in GROUP_LABELS:
            group = cells[0]
        product = cells[1] if len(cells) > 1 else ""
        amounts = [cells[i] for i in years if i < len(cells)]
        if not product or product.lower() == "producten" or not any(amounts):
            continue  # column labels ("Producten", "Gemeenten") carry no amounts
        if not years or not group:
            facts.warnings.append(
                f"finance: {doc.path.name}: row {render_table_row(row)!r} before a year header "
                "or a municipality; skipped"
            )
            continue
        if cite is None:
            continue  # already warned: no fact without provenance
        values = _row_values(doc, cells, years, factor, f"{group} / {product}", facts)

        if TOTAL_RE.match(product):
            if group in totals:
                # A repeated total (the summary table): same amounts or a warning, never a 2nd fact.
                first = totals[group]
                for year, value in values.items():
                    if first.values.get(year) not in (None, value):
                        before, again = format_euro(first.values[year]), format_euro(value)
                        facts.warnings.append(
                            f"Begrotingstotaal {group} {year}: tweemaal vermeld met verschillende "
                            f"bedragen (€ {before} en € {again})"
                        )
                repeated.append(group)
                continue
            total = _Total(group, row, cite, values)
            if group in lines:
                since_aggregate.append(group)
            else:
                total.is_aggregate = True
                total.members = since_aggregate or repeated or list(open_aggregates)
                for member in total.members:
                    if member in open_aggregates:
                        open_aggregates.remove(member)
                open_aggregates.append(group)
                since_aggregate, repeated = [], []
            totals[group] = total
            order.append(group)
            continue

        # A budget line of municipality `group`.
        municipality = municipality_iri(group)
        _ensure_municipality(facts, municipality, group, cite)
        sums = lines.setdefault(group, {})
        for year, value in values.items():
            iri = budget_line_iri(group, product, year)
            facts.add(iri, RDF.type, KB.BudgetLine)
            facts.label(iri, f"{group} – {product} {year}")
            facts.add(iri, KB.municipality, municipality)
            facts.text(iri, KB.product, product)
            facts.add(iri, KB.year, Literal(year, datatype=XSD.integer))
            facts.add(iri, SCHEMA.value, Literal(value, datatype=XSD.decimal))
            facts.add(iri, SCHEMA.currency, Literal("EUR"))
            facts.add(iri, KB.inDocument, doc_iri(doc.id))
            facts.provenance(iri, cite)
            sums[year] = sums.get(year, Decimal(0)) + value
            wrote_any = True

    if not wrote_any:
        facts.warnings.append(f"finance: {doc.path.name}: the budget table has no budget lines")
    for who in lines:
        if who not in totals:
            facts.warnings.append(
                f"finance: {doc.path.name}: {who} has budget lines but no stated total"
            )
    for who in order:
        _write_total(doc, facts, totals[who], totals, lines)


def _write_total(
    doc: Document,
    facts: FactGraph,
    total: _Total,
    totals: dict[str, _Total],
    lines: dict[str, dict[int, Decimal]],
) -> None:
    """A stated total with its computed sum, consistency flag and (if needed) a warning."""
    subregions: list[str] = []
    if total.is_aggregate:
        member_totals = [totals[m] for m in total.members if m in totals]
        if all(not m.is_aggregate for m in member_totals):
            subregions = [total.who]  # an aggregate of municipalities is a subregion
        else:
            subregions = [m.who for m in member_totals if m.is_aggregate]
        if not member_totals:
            facts.warnings.append(
                f"finance: {doc.path.name}: total {total.who!r} has no member totals to check"
            )
    who = display_name(total, totals)
    for year, stated in total.values.items():
        if total.is_aggregate:
            parts = [totals[m].values.get(year) for m in total.members if m in totals]
            computed = sum((p for p in parts if p is not None), Decimal(0))
        else:
            computed = lines.get(total.who, {}).get(year, Decimal(0))
        iri = budget_total_iri(total.who, year)
        facts.add(iri, RDF.type, KB.BudgetTotal)
        facts.label(iri, f"Begrotingstotaal {who} {year}")
        if total.is_aggregate:
            for name in subregions:
                sub = subregion_iri(name)
                _ensure_subregion(facts, sub, name, total.cite)
                facts.add(iri, KB.subregion, sub)
        else:
            facts.add(iri, KB.municipality, municipality_iri(total.who))
        facts.add(iri, KB.year, Literal(year, datatype=XSD.integer))
        facts.add(iri, SCHEMA.value, Literal(stated, datatype=XSD.decimal))
        facts.add(iri, SCHEMA.currency, Literal("EUR"))
        facts.add(iri, KB.computedSum, Literal(computed, datatype=XSD.decimal))
        facts.add(iri, KB.consistent, Literal(stated == computed, datatype=XSD.boolean))
        facts.add(iri, KB.inDocument, doc_iri(doc.id))
        facts.provenance(iri, total.cite)
        if stated != computed:
            facts.warnings.append(problem_message(who, year, stated, computed))


def display_name(total: _Total, totals: dict[str, _Total]) -> str:
    """How messages name a total: the municipality or subregion, or the subregions it sums."""
    if total.is_aggregate and any(totals[m].is_aggregate for m in total.members if m in totals):
        return " + ".join(m for m in total.members if m in totals)
    return total.who


def _cite_row(
    doc: Document, block: PlacedBlock, row: tuple[str, ...], cursor: int, facts: FactGraph
) -> Cite | None:
    """The row's line in the document text, searched from ``cursor`` inside the table's span."""
    try:
        return cite_text(doc, render_table_row(row), within=(cursor, block.end))
    except ExtractionError as exc:
        if any(c.strip() for c in row):
            facts.warnings.append(f"finance: {exc}")
        return None


def _ensure_municipality(facts: FactGraph, iri: URIRef, name: str, cite: Cite) -> None:
    """Municipalities come from regions.yaml; one the table names but the file lacks is still
    typed and labelled (with the table row as its evidence) so the budget line does not dangle."""
    if (iri, RDF.type, KB.Municipality) in facts.graph:
        return
    facts.warnings.append(
        f"finance: municipality {name!r} is not in kb/curated/regions.yaml; "
        "written from the budget table only (no region, no CBS code)"
    )
    facts.add(iri, RDF.type, KB.Municipality)
    facts.label(iri, name)
    facts.provenance(iri, cite)


def _ensure_subregion(facts: FactGraph, iri: URIRef, name: str, cite: Cite) -> None:
    """Like :func:`_ensure_municipality`, for a subregion named only by the budget table."""
    if (iri, RDF.type, KB.Subregion) in facts.graph:
        return
    facts.warnings.append(
        f"finance: subregion {name!r} is not in kb/curated/regions.yaml; "
        "written from the budget table only"
    )
    facts.add(iri, RDF.type, KB.Subregion)
    facts.label(iri, name)
    facts.provenance(iri, cite)


def budget_problems(facts: FactGraph) -> list[str]:
    """Every inconsistent stated total in the graph, as the same message :func:`extract` warns.

    Read from the graph (not from state kept by :func:`extract`), so it also works on a graph that
    was loaded from a build.
    """
    g: Any = facts.graph
    messages: list[tuple[str, int, str]] = []
    for total in set(g.subjects(RDF.type, KB.BudgetTotal)):
        consistent = g.value(total, KB.consistent)
        if consistent is None or consistent.toPython() is True:
            continue
        year = int(g.value(total, KB.year))
        stated = Decimal(str(g.value(total, SCHEMA.value)))
        computed = Decimal(str(g.value(total, KB.computedSum)))
        label = str(g.value(total, RDFS.label) or "")
        who = label.removeprefix("Begrotingstotaal ").removesuffix(f" {year}") or str(total)
        messages.append((who, year, problem_message(who, year, stated, computed)))
    return [m for _, _, m in sorted(messages)]
