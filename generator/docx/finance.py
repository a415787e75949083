"""The financial framework in Word: tables per subregion and municipality, totals, chart.

Every amount is computed here from the graph's budget lines. Where the source states a total
that differs from the sum of its lines, both are reported, never silently corrected.
"""

from __future__ import annotations

import io
from decimal import Decimal

from docx.document import Document as DocxDocument
from docx.table import Table

from generator.docx.base import placeholder, set_widths, source_note
from generator.docx.chart import budget_chart_png, chart_alt_text
from generator.docx.word import add_table, set_alt_text, text_width
from generator.format import MISSING, euro, percent
from kb.views.budget import Budget

TOTAL = "Totaal"


def subregion_rows(budget: Budget) -> list[list[str]]:
    """Rows ``subregion, amount per year`` and a total row, all sums of budget lines."""
    rows = [
        [sub, *(euro(budget.total(y, subregion=sub)) for y in budget.years)]
        for sub in budget.subregions
    ]
    rows.append([TOTAL, *(euro(budget.total(y)) for y in budget.years)])
    return rows


def municipality_rows(budget: Budget, subregion: str) -> list[list[str]]:
    """Rows ``municipality, amount per year`` of a subregion and its total row."""
    rows = [
        [m, *(euro(budget.total(y, municipality=m)) for y in budget.years)]
        for m in budget.municipalities_in(subregion)
    ]
    rows.append(
        [
            f"{TOTAL} {subregion}",
            *(euro(budget.total(y, subregion=subregion)) for y in budget.years),
        ]
    )
    return rows


def product_rows(budget: Budget, municipality: str) -> list[list[str]]:
    """Rows ``product, amount per year`` of a municipality and its total row."""
    rows = []
    for product in budget.products(municipality):
        values = [budget.value(municipality, product, y) for y in budget.years]
        rows.append([product, *(euro(v) if v is not None else MISSING for v in values)])
    rows.append([TOTAL, *(euro(budget.total(y, municipality=municipality)) for y in budget.years)])
    return rows


def gemeente_rows(budget: Budget, municipality: str) -> list[list[str]]:
    """One municipality beside the region: its lines per product, its total, the region's
    total and its share of the region per year (every figure a sum of budget lines)."""
    rows = product_rows(budget, municipality)
    rows[-1][0] = f"{TOTAL} {municipality}"
    rows.append([f"{TOTAL} regio", *(euro(budget.total(y)) for y in budget.years)])
    rows.append(
        [
            f"Aandeel {municipality}",
            *(percent(budget.share(y, municipality)) for y in budget.years),
        ]
    )
    return rows


def render_gemeente(
    document: DocxDocument, budget: Budget, municipality: str, level: int | None = None
) -> None:
    """The budget lines of ``municipality`` next to the region's totals, with its share; a
    placeholder when the plan has no lines for it (it may buy its care elsewhere)."""
    if level is not None:
        document.add_heading(f"Gemeente {municipality}", level)
    if municipality not in budget.municipalities:
        placeholder(
            document,
            f"Het financieel kader van het inkoopplan bevat geen begrotingsposten voor de "
            f"gemeente {municipality}. Vul het budget van de gemeente zelf in.",
        )
        return
    years = budget.years
    own = budget.grand_total(municipality)
    whole = budget.grand_total()
    share = percent(own / whole) if whole else MISSING
    document.add_paragraph(
        f"De gemeente {municipality} heeft in het financieel kader {years[0]}–{years[-1]} "
        f"in totaal {euro(own)} aan begrotingsposten, {share} van het totaal van de regio "
        f"({euro(whole)}). Per post en jaar:"
    )
    table = add_table(
        document,
        ["Post", *(str(y) for y in years)],
        gemeente_rows(budget, municipality),
        caption=f"Begrotingsposten {municipality} naast de regio (som van de posten)",
    )
    _widths(table, budget)


def differences(budget: Budget) -> list[str]:
    """Sentences for every stated total that differs from the sum of its lines."""
    out = []
    for stated in budget.stated:
        if stated.name in budget.subregions:
            computed = budget.total(stated.year, subregion=stated.name)
        elif stated.name in budget.municipalities:
            computed = budget.total(stated.year, municipality=stated.name)
        else:
            continue
        if computed != stated.value:
            out.append(
                f"{stated.name} {stated.year}: in de bron {euro(stated.value)}, "
                f"som van de posten {euro(computed)} "
                f"(verschil {euro(stated.value - computed)})."
            )
    return out


def render_totals_table(document: DocxDocument, budget: Budget, caption: str) -> None:
    """The table of totals per subregion and year (used by the plan and the raadsvoorstel)."""
    table = add_table(
        document,
        ["Subregio", *(str(y) for y in budget.years)],
        subregion_rows(budget),
        caption=caption,
    )
    _widths(table, budget)


def render_finance(
    document: DocxDocument, budget: Budget, level: int = 1, municipality: str | None = None
) -> None:
    """The whole financial framework section (heading at ``level``); with ``municipality``
    that municipality's lines, totals and share first, beside the region's figures."""
    document.add_heading("Financieel kader", level)
    if not budget.lines:
        placeholder(document, "De kennisbank bevat geen begrotingsposten voor dit plan.")
        return
    years = budget.years
    document.add_paragraph(
        f"Dit kader toont het beschikbare budget voor jeugdhulp {years[0]}–{years[-1]} per "
        "subregio en per gemeente. Alle bedragen en totalen zijn berekend als som van de "
        "begrotingsposten in de kennisbank."
    )
    if budget.source:
        source_note(document, f"Bron: {budget.source.citation}")
    if municipality:
        render_gemeente(document, budget, municipality, level + 1)
    document.add_heading("Totaal per subregio", level + 1)
    render_totals_table(document, budget, "Budget per subregio en jaar (som van de posten)")
    picture = document.add_picture(io.BytesIO(budget_chart_png(budget)), width=text_width(document))
    set_alt_text(picture, chart_alt_text(budget), title="Budget per subregio en jaar")
    document.add_paragraph("Figuur: budget jeugdhulp per subregio en jaar", style="Caption")
    diffs = differences(budget)
    if diffs:
        document.add_paragraph(
            "Waar de bron een ander totaal noemt dan de som van de posten, staan beide hieronder; "
            "controleer deze bedragen in de bron."
        )
        for sentence in diffs:
            document.add_paragraph(sentence, style="List Bullet")
    for sub in budget.subregions:
        document.add_heading(f"Subregio {sub}", level + 1)
        table = add_table(
            document,
            ["Gemeente", *(str(y) for y in years)],
            municipality_rows(budget, sub),
            caption=f"Budget per gemeente in {sub}",
        )
        _widths(table, budget)
        for municipality in budget.municipalities_in(sub):
            document.add_heading(municipality, level + 2)
            table = add_table(
                document,
                ["Post", *(str(y) for y in years)],
                product_rows(budget, municipality),
                caption=f"Begrotingsposten {municipality}",
            )
            _widths(table, budget)


def _widths(table: Table, budget: Budget) -> None:
    # Relative widths: set_widths fits them to the text width. An amount column fits
    # "€ 100.000.000" on one line; the name column takes the rest.
    years = max(len(budget.years), 1)
    amount = min(2.9, 10.5 / years)
    set_widths(table, [16 - amount * years] + [amount] * years, numeric_from=1)


def grand_total(budget: Budget) -> Decimal:
    """Sum of all budget lines over all years."""
    return sum((line.value for line in budget.lines), Decimal(0))
