"""A purchasing-plan chapter for one segment, as a Word document.

The chapter shows, in the order of the purchasing plan: a summary table of the four purchasing
instruments, every rubric (an empty rubric keeps its heading with a placeholder), the care forms
and the sources. Each fact carries a footnote with its source (document, section, quote and, with
the setting ``site_url``, a link to the passage on the site); the end lists the documents used.
The same renderer writes the chapters of the whole plan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from rdflib import Graph, URIRef

from generator.docx.base import (
    EMPTY_RUBRIC,
    Citations,
    bullets,
    cited_lines,
    open_template,
    placeholder,
    prepare,
    save,
    set_widths,
    short_form,
    site_url_of,
    source_list,
    when,
)
from generator.docx.word import add_table
from kb.views.plans import load_segment, plan_name
from kb.views.segments import Item, Segment

SUMMARY_HEADING = "Samenvatting inkoopinstrumenten"
SOURCES_HEADING = "Bronnen"


def segment_heading(segment: Segment) -> str:
    """``Segment 2: Wonen`` (or the label when the segment has no number)."""
    return f"Segment {segment.number}: {segment.label}" if segment.number else segment.label


def chapter_headings(segment: Segment) -> list[str]:
    """The headings a chapter has, in order (used by tests and the site)."""
    headings = [segment_heading(segment), SUMMARY_HEADING]
    headings += [r.heading for r in segment.rubrics]
    return [*headings, SOURCES_HEADING]


def render_segment(
    document: DocxDocument, segment: Segment, level: int = 1, *, site_url: str | None = None
) -> None:
    """Append the chapter of ``segment`` to ``document`` with its title at heading ``level``;
    with ``site_url`` the footnotes link to the passages on the site."""
    citations = Citations(site_url)
    document.add_heading(segment_heading(segment), level)
    document.add_paragraph(
        f"Dit hoofdstuk beschrijft het segment {segment.label} uit het "
        f"{segment.plan_title}"
        + (f" (regio {segment.region_label})" if segment.region_label else "")
        + ". De tekst is samengesteld uit de kennisbank; een voetnoot bij elk feit noemt de "
        "bron met het citaat, het eind van het hoofdstuk de gebruikte documenten."
    )
    sub = level + 1
    document.add_heading(SUMMARY_HEADING, sub)
    rows = [[ins.label, ""] for ins in segment.instruments]
    table = add_table(
        document,
        ["Inkoopinstrument", "Keuze in dit segment"],
        rows,
        caption=f"Inkoopinstrumenten in het segment {segment.label}",
    )
    for row, ins in zip(table.rows[1:], segment.instruments, strict=True):
        cited_lines(row.cells[1].paragraphs[0], _summary(ins.items), citations)
    set_widths(table, [4.9, 11.1])
    for rubric in segment.rubrics:
        document.add_heading(rubric.heading, sub)
        if not rubric.items:
            placeholder(document, EMPTY_RUBRIC)
        elif rubric.key == "hasPurchasingGoal":
            _goals(document, segment, rubric.items, citations, sub + 1)
        elif rubric.key == "hasMilestone":
            _milestones(document, segment, rubric.items, citations)
        else:
            bullets(document, rubric.items, citations)
    document.add_heading(SOURCES_HEADING, sub)
    source_list(document, citations, "De kennisbank noemt voor dit segment geen bronnen.")


def _summary(items: list[Item], most: int = 2) -> list[tuple[str, list[Item]]]:
    """The first choices of an instrument, each with its item (for the footnote); the rubric
    below lists all of them."""
    if not items:
        return [("—", [])]
    lines = [(short_form(i), [i]) for i in items[:most]]
    if len(items) > most:
        lines.append((f"(en {len(items) - most} meer; zie de rubriek hieronder)", []))
    return lines


def _goals(
    document: DocxDocument,
    segment: Segment,
    goals: list[Item],
    citations: Citations,
    level: int,
) -> None:
    """Purchasing goals grouped under the development task each serves (as in the plan)."""
    tasks = segment.rubric("hasDevelopmentTask").items
    grouped: dict[str | None, list[Item]] = {}
    for goal in goals:
        key = goal.serves_task if any(t.iri == goal.serves_task for t in tasks) else None
        grouped.setdefault(key, []).append(goal)
    for task in tasks:
        if task.iri in grouped:
            document.add_heading(f"Ontwikkelopgave: {short_form(task)}", min(level, 9))
            bullets(document, grouped[task.iri], citations)
    if None in grouped:
        if len(grouped) > 1:
            document.add_heading("Overige inkoopdoelen", min(level, 9))
        bullets(document, grouped[None], citations)


def _milestones(
    document: DocxDocument, segment: Segment, items: list[Item], citations: Citations
) -> None:
    table = add_table(
        document,
        ["Wanneer", "Mijlpaal"],
        [[when(m), ""] for m in items],
        caption=f"Planning van het segment {segment.label}",
    )
    for row, milestone in zip(table.rows[1:], items, strict=True):
        cited_lines(row.cells[1].paragraphs[0], [(milestone.text, [milestone])], citations)
    set_widths(table, [3.0, 13.0])


def chapter_document(
    segment: Segment,
    *,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
    site_url: str | None = None,
) -> DocxDocument:
    """The chapter of ``segment`` as a python-docx document (not yet saved); with ``site_url``
    the footnotes link to the passages on the site."""
    document = open_template(template)
    title = f"{segment_heading(segment)} – {segment.plan_title}"
    prepare(document, title=title, subject=f"Hoofdstuk inkoopplan: {segment.label}",
            fixed_time=fixed_time)  # fmt: skip
    render_segment(document, segment, site_url=site_url)
    return document


def write_chapter(
    graph: Graph,
    segment: str | URIRef,
    path: Path,
    *,
    plan: str | None = None,
    settings: Any = None,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
    gemeente: str | None = None,
) -> Path:
    """Write the chapter of ``segment`` (label, slug or IRI) of ``plan`` to ``path``.

    ``plan`` defaults to the setting ``default_plan``; ``gemeente`` (any municipality of the
    plan's region) closes the chapter with that municipality's budget beside the region's; the
    setting ``site_url`` (if set) makes the footnotes link to the site.
    """
    plan = plan_name(plan, settings)
    context = load_segment(graph, segment, plan)
    document = chapter_document(
        context, template=template, fixed_time=fixed_time, site_url=site_url_of(settings)
    )
    if gemeente and context.plan:
        from generator.docx.finance import render_gemeente
        from kb.views.council import municipality_budget

        own, budget = municipality_budget(
            graph, context.plan, gemeente, context.region, context.region_label
        )
        render_gemeente(document, budget, own.label, level=2)
    return save(document, path)
