"""A draft council proposal (raadsvoorstel) for one segment or for the whole plan.

The sections follow the usual Dutch municipal format. Everything the graph knows is filled in
with its source; the political parts (the argumentation, communication plans, the share of the
budget for one segment) are marked placeholders for the author, never invented text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from rdflib import Graph, URIRef

from generator.docx.base import (
    Citations,
    bullets,
    cited_lines,
    open_template,
    placeholder,
    prepare,
    save,
    set_widths,
    site_url_of,
    source_list,
    when,
)
from generator.docx.chapter import segment_heading
from generator.docx.finance import differences, render_totals_table
from generator.docx.word import add_numbered_item, add_table, new_numbered_list
from generator.format import euro
from kb.views.plans import Plan, load_plan, plan_name
from kb.views.segments import Item, Segment

#: The sections of a raadsvoorstel, in order.
HEADINGS = (
    "Onderwerp",
    "Samenvatting",
    "Beslispunten",
    "Inleiding",
    "Beoogd effect",
    "Argumenten",
    "Kanttekeningen en risico's",
    "Financiën",
    "Communicatie",
    "Uitvoering en planning",
    "Bijlagen",
    "Bronnen",
)
#: Rubrics (item properties) a council decides on; their headings come from the scheme.
DECISION_RUBRICS = ("hasContractForm", "hasFundingModel", "hasPurchasingModel")


def _scope(plan: Plan, segment: Segment | None) -> list[Segment]:
    return [segment] if segment else plan.segments


def _subject(plan: Plan, segment: Segment | None) -> str:
    if segment:
        return f"Inkoop jeugdhulp, segment {segment.label} ({plan.title})"
    return f"Vaststellen {plan.title}"


def _decision_points(plan: Plan, segment: Segment | None) -> list[str]:
    """Draft decision points, each readable on its own, built from the plan's choices."""
    if segment is None:
        points = [f"Het {plan.title} vast te stellen."]
        years = plan.budget.years
        if years:
            points.append(
                f"Kennis te nemen van het financieel kader jeugdhulp {years[0]}–{years[-1]} "
                "zoals opgenomen in het inkoopplan."
            )
        return points
    points = [
        f"In te stemmen met de ontwikkelopgaven en inkoopdoelen voor het segment "
        f"{segment.label} zoals beschreven in het {plan.title}."
    ]
    for key in DECISION_RUBRICS:
        items = segment.rubric(key).items
        if items:
            # The whole text: a decision point is read on its own, never cut off.
            choice = "; ".join(" ".join(i.text.split()).rstrip(".") for i in items)
            points.append(
                f"In te stemmen met de keuze voor het segment {segment.label} op het onderdeel "
                f"{plan.heading(key).lower()}: {choice}."
            )
    return points


def _items(scope: list[Segment], key: str) -> list[tuple[Segment, Item]]:
    return [(s, i) for s in scope for i in s.rubric(key).items]


def _per_segment(
    document: DocxDocument,
    scope: list[Segment],
    key: str,
    citations: Citations,
    single: bool,
) -> int:
    """Bullets of one rubric; for the whole plan grouped under each segment's label."""
    written = 0
    for seg in scope:
        items = seg.rubric(key).items
        if not items:
            continue
        if not single:
            document.add_heading(segment_heading(seg), 2)
        written += bullets(document, items, citations)
    return written


def raadsvoorstel_document(
    plan: Plan,
    segment: Segment | None = None,
    *,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
    site_url: str | None = None,
) -> DocxDocument:
    """The draft raadsvoorstel for ``segment`` (or the whole plan when None); with
    ``site_url`` the footnotes link to the passages on the site."""
    scope = _scope(plan, segment)
    single = segment is not None
    citations = Citations(site_url)
    subject = _subject(plan, segment)
    document = open_template(template)
    prepare(document, title=f"Raadsvoorstel: {subject}", subject="Raadsvoorstel (concept)",
            fixed_time=fixed_time, title_page=True)  # fmt: skip
    document.add_paragraph("Raadsvoorstel (concept)", style="Title")
    placeholder(document, "Vul in: registratienummer, datum raadsvergadering, portefeuillehouder.")

    document.add_heading("Onderwerp", 1)
    document.add_paragraph(subject)

    document.add_heading("Samenvatting", 1)
    tasks = _items(scope, "hasDevelopmentTask")
    goals = _items(scope, "hasPurchasingGoal")
    what = f"het segment {segment.label}" if segment else f"{len(scope)} segmenten"
    document.add_paragraph(
        f"Dit voorstel gaat over {what} uit het {plan.title}"
        + (f" van de regio {plan.region}" if plan.region else "")
        + f". Het plan noemt hiervoor {len(tasks)} ontwikkelopgaven en {len(goals)} "
        "inkoopdoelen. De keuzes voor de inkoopinstrumenten staan in de beslispunten."
    )
    placeholder(document, "Vat in twee of drie zinnen samen wat de raad besluit en waarom.")

    document.add_heading("Beslispunten", 1)
    document.add_paragraph("De raad wordt voorgesteld:")
    decisions = new_numbered_list(document)
    for point in _decision_points(plan, segment):
        add_numbered_item(document, point, decisions)
    placeholder(document, "Controleer de beslispunten en pas ze aan het collegevoorstel aan.")

    document.add_heading("Inleiding", 1)
    document.add_paragraph("Doelgroep volgens het inkoopplan:")
    if not _per_segment(document, scope, "hasTargetGroup", citations, single):
        placeholder(document, "De kennisbank beschrijft geen doelgroep; vul aan.")
    document.add_paragraph("Huidig landschap volgens het inkoopplan:")
    if not _per_segment(document, scope, "hasLandscapeItem", citations, single):
        placeholder(document, "De kennisbank beschrijft het huidige landschap niet; vul aan.")
    placeholder(document, "Beschrijf de aanleiding en de voorgeschiedenis van dit voorstel.")

    document.add_heading("Beoogd effect", 1)
    document.add_paragraph("De ontwikkelopgaven uit het inkoopplan:")
    if not _per_segment(document, scope, "hasDevelopmentTask", citations, single):
        placeholder(document, "De kennisbank noemt geen ontwikkelopgaven; vul aan.")

    document.add_heading("Argumenten", 1)
    placeholder(
        document,
        "Onderbouw per beslispunt waarom dit besluit bijdraagt aan het beoogde effect. De "
        "kennisbank bevat de keuzes, niet de politieke afweging.",
    )
    document.add_paragraph("Inkoopdoelen die de keuzes dienen:")
    if not _per_segment(document, scope, "hasPurchasingGoal", citations, single):
        placeholder(document, "De kennisbank noemt geen inkoopdoelen; vul aan.")

    document.add_heading("Kanttekeningen en risico's", 1)
    document.add_paragraph("Open onderzoeksvragen uit het inkoopplan:")
    if not _per_segment(document, scope, "hasResearchQuestion", citations, single):
        document.add_paragraph("Het inkoopplan noemt geen open onderzoeksvragen.")
    document.add_paragraph("Randvoorwaarden uit het inkoopplan:")
    if not _per_segment(document, scope, "hasPrecondition", citations, single):
        document.add_paragraph("Het inkoopplan noemt geen randvoorwaarden.")
    if plan.risks:
        document.add_paragraph(f"Risico's die eerder voor de regio {plan.region} zijn benoemd:")
        for risk in plan.risks:
            paragraph = document.add_paragraph(risk.text, style="List Bullet")
            citations.cite(paragraph, [risk.source] if risk.source else [])
    placeholder(document, "Vul aan met kanttekeningen en risico's van het college.")

    _finance(document, plan, segment)

    document.add_heading("Communicatie", 1)
    stakeholders = sorted({s.label for seg in scope for s in seg.stakeholders}, key=str.casefold)
    if stakeholders:
        document.add_paragraph("Betrokken partijen volgens het inkoopplan:")
        for name in stakeholders:
            document.add_paragraph(name, style="List Bullet")
    placeholder(document, "Beschrijf hoe en wanneer deze partijen worden geïnformeerd.")

    document.add_heading("Uitvoering en planning", 1)
    milestones = _items(scope, "hasMilestone")
    if milestones:
        header = ["Wanneer", "Mijlpaal", "Bron"] if single else ["Wanneer", "Segment", "Mijlpaal"]
        ordered = sorted(milestones, key=lambda p: _when_key(p[1]))
        rows = [[when(m), m.text, ""] if single else [when(m), seg.label, ""] for seg, m in ordered]
        table = add_table(document, header, rows, caption="Mijlpalen uit het inkoopplan")
        for row, (_, m) in zip(table.rows[1:], ordered, strict=True):
            # The footnote mark goes in the source column, or after the milestone's text.
            cited_lines(row.cells[2].paragraphs[0], [("" if single else m.text, [m])], citations)
        set_widths(table, [3.0, 11.4, 1.6] if single else [3.0, 3.6, 9.4])
    else:
        placeholder(document, "De kennisbank bevat geen mijlpalen; vul de planning aan.")

    document.add_heading("Bijlagen", 1)
    annexes = new_numbered_list(document)
    if segment:
        add_numbered_item(
            document, f"Hoofdstuk {segment_heading(segment)} uit het {plan.title}", annexes
        )
    else:
        add_numbered_item(document, plan.title, annexes)
    add_numbered_item(document, "Bronnenoverzicht (hieronder)", annexes)

    document.add_heading("Bronnen", 1)
    source_list(document, citations, "Geen bronnen.")
    return document


def _when_key(item: Item) -> tuple[int, int, int, int]:
    return (item.year or 9999, item.month or 0, item.day or 0, item.ordinal)


def _finance(document: DocxDocument, plan: Plan, segment: Segment | None) -> None:
    document.add_heading("Financiën", 1)
    budget = plan.budget
    if not budget.lines:
        placeholder(document, "De kennisbank bevat geen begrotingsposten; vul de financiën aan.")
        return
    years = budget.years
    total = sum((budget.total(y) for y in years), Decimal(0))
    document.add_paragraph(
        f"Het financieel kader van het inkoopplan telt voor {years[0]}–{years[-1]} in totaal "
        f"{euro(total)} (som van {len(budget.lines)} begrotingsposten van "
        f"{len(budget.municipalities)} gemeenten). Per jaar en subregio:"
    )
    render_totals_table(document, budget, "Budget jeugdhulp per subregio en jaar")
    for sentence in differences(budget):
        document.add_paragraph(sentence, style="List Bullet")
    if segment:
        placeholder(
            document,
            f"De begrotingsposten zijn niet per segment uitgesplitst. Vul het deel van het "
            f"budget in dat naar het segment {segment.label} gaat.",
        )
    placeholder(document, "Beschrijf de dekking en de gevolgen voor de begroting van de gemeente.")


def write_raadsvoorstel(
    graph: Graph,
    path: Path,
    *,
    segment: str | URIRef | None = None,
    plan: str | None = None,
    settings: Any = None,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
) -> Path:
    """Write the raadsvoorstel for ``segment`` (or the whole plan when None) to ``path``."""
    context = load_plan(graph, plan_name(plan, settings))
    seg = context.segment(str(segment)) if segment else None
    document = raadsvoorstel_document(context, seg, template=template, fixed_time=fixed_time,
                                      site_url=site_url_of(settings))  # fmt: skip
    return save(document, path)
