"""The whole purchasing plan as a Word document.

Title page, table of contents, introduction, the four instruments, one chapter per segment,
a cross-segment summary, the financial framework, the glossary and the sources — all from the
plan context. What the graph cannot say (the author's own introduction, date and version) is a
marked placeholder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from rdflib import Graph

from generator.docx.base import (
    municipality_sentences,
    open_template,
    placeholder,
    prepare,
    save,
    set_widths,
    short_form,
    site_url_of,
)
from generator.docx.chapter import render_segment
from generator.docx.facts import render_prose_facts
from generator.docx.finance import render_finance
from generator.docx.sources import Citations, group_sources, render_source_list
from generator.docx.word import add_table, add_toc, page_break, set_font_size
from generator.format import MISSING, number
from kb.views.facts import ProseFact, distinct_facts, load_prose_facts
from kb.views.plans import Plan, load_plan, plan_name

#: Level-1 headings of the plan around the segment chapters (tests compare the order).
INTRO_HEADINGS = ("Inleiding", "Inkoopinstrumenten")
OUTRO_HEADINGS = ("Overzicht van de segmenten", "Financieel kader", "Begrippenkader", "Bronnen")


def plan_headings(plan: Plan) -> list[str]:
    """Level-1 headings of the plan document, in order."""
    from generator.docx.chapter import segment_heading

    return [*INTRO_HEADINGS, *(segment_heading(s) for s in plan.segments), *OUTRO_HEADINGS]


def _title_page(document: DocxDocument, plan: Plan) -> None:
    document.add_paragraph(plan.title, style="Title")
    if plan.region:
        document.add_paragraph(f"Regio {plan.region}", style="Subtitle")
    document.add_paragraph(
        "Samengesteld uit de kennisbank jeugdhulp inkoop. Elk feit verwijst naar de bron "
        "waaruit het komt."
    )
    placeholder(document, "Vul hier datum, versie en status van dit document in.")
    page_break(document)


def _introduction(document: DocxDocument, plan: Plan) -> None:
    document.add_heading("Inleiding", 1)
    names = ", ".join(s.label for s in plan.segments)
    text = f"Dit document volgt het {plan.title}"
    text += f" van de regio {plan.region}." if plan.region else "."
    text += f" Het plan deelt de jeugdhulp in {len(plan.segments)} segmenten in: {names}."
    document.add_paragraph(text)
    for sentence in municipality_sentences(plan):
        document.add_paragraph(sentence)
    placeholder(
        document,
        "Schrijf hier de aanleiding, de ambitie en de totstandkoming van het inkoopplan.",
    )


def _instruments(document: DocxDocument, plan: Plan) -> None:
    document.add_heading("Inkoopinstrumenten", 1)
    document.add_paragraph(
        f"Per segment worden {len(plan.instruments)} inkoopinstrumenten ingezet:"
    )
    for ins in plan.instruments:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(ins.label).bold = True
        if ins.definition:
            paragraph.add_run(f": {ins.definition}")
    document.add_paragraph(
        "De keuzes per segment staan in de samenvattingstabel van elk segmenthoofdstuk en in "
        "het overzicht van de segmenten."
    )


def _overview(document: DocxDocument, plan: Plan) -> None:
    document.add_heading("Overzicht van de segmenten", 1)
    choices = ("hasContractForm", "hasFundingModel", "hasPurchasingModel")
    rows = []
    for seg in plan.segments:
        cells = [seg.label]
        for key in choices:
            cells.append("\n".join(short_form(i) for i in seg.rubric(key).items) or MISSING)
        rows.append(cells)
    table = add_table(
        document,
        ["Segment", *(plan.heading(key) for key in choices)],
        rows,
        caption="Keuzes per segment",
    )
    set_widths(table, [3.4, 4.2, 4.2, 4.2])
    # Whole sentences in four columns: a smaller size keeps a row (which never splits) short.
    set_font_size(table, 9)
    counted = (
        "hasTargetGroup",
        "hasDevelopmentTask",
        "hasPurchasingGoal",
        "hasStakeholderMention",
        "hasResearchQuestion",
        "hasMilestone",
    )
    counts = [
        [seg.label, *(number(len(seg.rubric(key).items)) for key in counted)]
        for seg in plan.segments
    ]
    table = add_table(
        document,
        ["Segment", *(plan.heading(key) for key in counted)],
        counts,
        caption="Aantallen per segment in de kennisbank",
    )
    set_widths(table, [4.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0], numeric_from=1)


def _glossary(document: DocxDocument, plan: Plan) -> None:
    document.add_heading("Begrippenkader", 1)
    if not plan.glossary:
        placeholder(document, "De kennisbank bevat geen begrippen.")
        return
    table = add_table(
        document,
        ["Begrip", "Afkorting", "Omschrijving"],
        [[e.label, ", ".join(e.alt_labels), e.definition or ""] for e in plan.glossary],
        caption="Begrippen",
    )
    set_widths(table, [3.6, 2.4, 10.0])


def _sources(document: DocxDocument, plan: Plan, intro: Citations, site_url: str | None) -> None:
    """Every document the plan cites, once, with the sections used and how many facts each
    gave (the segment facts, the introduction's prose facts, the budget lines)."""
    document.add_heading("Bronnen", 1)
    document.add_paragraph(
        "Een voetnoot bij elk feit noemt de bron met het citaat. Dit overzicht noemt elk "
        "gebruikt document één keer, met de secties waaruit feiten zijn overgenomen."
    )
    counted = [(src, 1) for seg in plan.segments for _, item in seg.facts() for src in item.sources]
    counted += intro.counted()
    if plan.budget.source:
        counted.append((plan.budget.source, len(plan.budget.lines)))
    groups = group_sources(counted)
    if groups:
        render_source_list(document, groups, site_url=site_url)
    else:
        placeholder(document, "De kennisbank noemt voor dit plan geen bronnen.")


def plan_document(
    plan: Plan,
    *,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
    prose_facts: Sequence[ProseFact] = (),
    municipality: str | None = None,
    site_url: str | None = None,
) -> DocxDocument:
    """The whole plan as a python-docx document (not yet saved); ``prose_facts`` (of the plan's
    region) close the introduction, proposed ones marked; ``municipality`` (a name) adds its
    budget lines, totals and share to the financial framework. With ``site_url`` the footnotes
    link to the passages on the site."""
    document = open_template(template)
    prepare(document, title=plan.title, subject="Inkoopplan jeugdhulp", fixed_time=fixed_time,
            title_page=True)  # fmt: skip
    _title_page(document, plan)
    add_toc(document)
    page_break(document)
    _introduction(document, plan)
    intro = Citations(site_url)
    render_prose_facts(document, prose_facts, level=2, citations=intro)
    _instruments(document, plan)
    for segment in plan.segments:
        page_break(document)
        render_segment(document, segment, level=1, site_url=site_url)
    page_break(document)
    _overview(document, plan)
    render_finance(document, plan.budget, level=1, municipality=municipality)
    _glossary(document, plan)
    _sources(document, plan, intro, site_url)
    return document


def write_plan(
    graph: Graph,
    path: Path,
    *,
    plan: str | None = None,
    settings: Any = None,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
    gemeente: str | None = None,
) -> Path:
    """Write the whole plan (default: the setting ``default_plan``) to ``path``; ``gemeente``
    (any municipality of the plan's region) adds its figures to the financial framework."""
    from kb.views.council import resolve_municipality

    context = load_plan(graph, plan_name(plan, settings))
    region = context.region_iri
    own = resolve_municipality(graph, gemeente, region, context.region).label if gemeente else None
    facts = distinct_facts(load_prose_facts(graph, region=region)) if region else []
    document = plan_document(
        context,
        template=template,
        fixed_time=fixed_time,
        prose_facts=facts,
        municipality=own,
        site_url=site_url_of(settings),
    )
    return save(document, path)
