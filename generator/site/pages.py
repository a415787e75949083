"""Render the site's Markdown pages from :class:`~kb.views.site.SiteData` with Jinja2.

One template per kind of page (``generator/site/templates/``). Each template gets the data, the
entity, and ``c``: a :class:`PageContext` that knows the page's own path, so every link it
writes is relative (MkDocs checks relative links and anchors in strict mode).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator.format import FILTERS, MISSING, date, euro, number, partial_date
from generator.site.charts import (
    LAYOUTS,
    GanttTask,
    bar_chart_svg,
    chart_alt,
    timeline_groups,
    timeline_svg,
)
from generator.site.compare import COMPARISON_COLUMNS, comparison, plan_budget, plan_glossary
from generator.site.links import (
    GENERATED,
    PLAN_FOLDER,
    attr,
    entity_of_page,
    front_matter_title,
    iri_line,
    md,
    page_path,
    passage_target,
    plan_path,
    relative,
    shorten,
    url,
)
from generator.site.orientation import START_SNIPPET, data_date, region_figures, years_label
from generator.site.source_pages import (
    document_outline,
    dutch_date,
    format_label,
    metadata_rows,
    original_files,
    original_target,
)
from kb.rdf.vocabulary import fold
from kb.resources import site_templates
from kb.views.budget import BudgetLine
from kb.views.glossary import SCHEME_ABBREVIATIONS
from kb.views.segments import Item, Segment
from kb.views.site import SiteData

# Package data (kb/resources.py), found in the installation, not the checkout.
TEMPLATES = site_templates()
#: The abbreviation definitions every page gets appended (pymdownx.snippets auto_append).
TOOLTIPS_FILE = f"{GENERATED}/.tooltips.md"
#: Headings of the region-level facts on a region page: class local name → Dutch heading.
REGION_FACT_HEADINGS: tuple[tuple[str, str], ...] = (
    ("Decision", "Besluiten"),
    ("Phase", "Fasen"),
    ("ContractArrangement", "Huidige contracten"),
    ("Advice", "Adviezen"),
    ("Risk", "Risico's"),
)
#: Longest tooltip text: browsers show long titles poorly.
TOOLTIP_CHARS = 220

Pages = dict[str, str]


class PageContext:
    """Link helpers bound to one page (all links relative to it)."""

    def __init__(self, data: SiteData, path: str, site_url: str | None = None) -> None:
        self.data = data
        self.path = path
        self.site_url = site_url

    def rel(self, target: str) -> str:
        """Relative link to a docs-relative path (``page.md#anchor``)."""
        return relative(target, self.path)

    def ref(self, iri: str, text: str | None = None) -> str:
        """``[label](page)`` for an entity that has a page."""
        return f"[{md(text or self.data_label(iri))}]({self.rel(page_path(iri))})"

    def plan_ref(self, iri: str) -> str:
        """Link to a purchasing plan's page."""
        return f"[{md(self.data.documents[iri].title)}]({self.rel(plan_path(iri))})"

    def src(self, passage: str | None, text: str = "bron") -> str:
        """A link to the passage a fact comes from (empty when the fact has none)."""
        if not passage or passage not in self.data.passages:
            return ""
        p = self.data.passages[passage]
        doc = self.data.documents.get(p.document)
        section = self.data.sections.get(p.section or "")
        title = doc.title if doc else ""
        if section and section.title != title:
            title += f" — {(section.number + ' ') if section.number else ''}{section.title}"
        target = passage_target(passage)
        # The address for print (``kb-context.css`` writes it after the link): absolute with
        # the setting ``site_url``, else site-relative.
        address = target.replace(".md#", ".html#", 1)
        if self.site_url:
            address = urljoin(self.site_url.rstrip("/") + "/", address)
        return (
            f'[{text}]({self.rel(target)} "{attr(title)}"){{.kb-bron data-adres="{attr(address)}"}}'
        )

    def data_label(self, iri: str) -> str:
        """The label of any entity the site knows."""
        d = self.data
        for table in (d.segments, d.regions, d.subregions, d.municipalities, d.stakeholders):
            if iri in table:
                return table[iri].label  # type: ignore[attr-defined, no-any-return]
        if iri in d.documents:
            return d.documents[iri].title
        if iri in d.concepts:
            return d.concepts[iri].label
        return iri.rsplit("/", 1)[-1]


def _environment(data: SiteData) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, escaped by the md filter where text comes from the graph
    )
    env.filters.update(md=md, short=shorten, url=url, **FILTERS)
    # Rubric headings and their order come from the graph's scheme.
    rubrics = [(r.key, r.heading) for r in data.rubrics]
    env.globals.update(
        RUBRICS=rubrics,
        HEADING=dict(rubrics),
        YEARS=budget_years(data),
        segment_title=segment_title,
    )
    return env


def budget_years(data: SiteData) -> list[int]:
    """The years of the financial frameworks (the columns of the budget tables)."""
    return sorted({b.year for b in data.budget_lines} | {t.year for t in data.budget_totals})


def segment_title(data: SiteData, segment: Segment) -> str:
    """``Wonen (Holland Rijnland)``: names repeat across regions."""
    region = data.regions.get(segment.region or "")
    return f"{segment.label} ({region.label})" if region else segment.label


class _Renderer:
    def __init__(self, data: SiteData, site_url: str | None = None) -> None:
        self.data = data
        self.site_url = site_url
        self.env = _environment(data)
        self.pages: Pages = {}
        self.assets: dict[str, bytes | Path] = {}

    def page(self, path: str, template: str, **context: Any) -> None:
        if path in self.pages:
            raise ValueError(f"two pages at {path}")
        c = PageContext(self.data, path, self.site_url)
        text = self.env.get_template(template).render(data=self.data, c=c, **context)
        self.pages[path] = with_title_and_iri(text, path)


def render_pages(
    data: SiteData,
    word_docs: list[dict[str, str]] | None = None,
    documents_dir: Path | None = None,
    originals_dir: Path | None = None,
    *,
    build_warnings: list[str] | None = None,
    site_url: str | None = None,
) -> tuple[Pages, dict[str, bytes | Path]]:
    """All generated pages (docs-relative path → Markdown) and assets (path → bytes or a file
    to copy); ``originals_dir`` holds the release's copies of the source files (linked from the
    source pages when given); ``build_warnings`` (the build's own, see
    :mod:`kb.views.build_info`) are listed on the page "Kwaliteit"; with ``site_url`` (the
    site's public address) a printed "bron" link shows its absolute address."""
    r = _Renderer(data, site_url)
    _segment_pages(r, word_docs or [])
    _region_pages(r)
    _people_and_questions(r)
    _concept_pages(r)
    _document_pages(r, originals_dir)
    _finance_pages(r)
    _overview_pages(r, word_docs or [], documents_dir, build_warnings or [])
    r.pages[TOOLTIPS_FILE] = tooltips(data)
    return dict(sorted(r.pages.items())), r.assets


def with_title_and_iri(text: str, path: str) -> str:
    """A rendered page with its title fixed in front matter (see
    :func:`~generator.site.links.front_matter_title`) and, on an entity's page, its IRI and
    data downloads under the title."""
    lines = text.rstrip().split("\n")
    h1 = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    if h1 is None:
        return text.rstrip() + "\n"
    iri = entity_of_page(path)
    if iri is not None:
        lines[h1 + 1 : h1 + 1] = ["", iri_line(iri, path)]
    return front_matter_title(lines[h1][2:]) + "\n".join(lines) + "\n"


# --- segments and plans ------------------------------------------------------------------


def instrument_summary(segment: Segment) -> list[tuple[str, list[Item]]]:
    """The instruments with the segment's choices for each (plan rubrics or, for the slides
    of Noord-Limburg, the choices per steering instrument)."""
    return [(ins.label, ins.items) for ins in segment.instruments]


def milestone_tasks(section: str, milestones: list[Item]) -> list[GanttTask]:
    """Timeline tasks of a segment's milestones in time order."""
    tasks = [
        GanttTask(
            section, f.text, f.year, f.month, f.day, f.passage, f.end_year, f.end_month, f.end_day
        )
        for f in milestones
        if f.year is not None
    ]
    return sorted(tasks, key=lambda t: (t.year, t.month or 0, t.day or 0))


def timelines(tasks: list[GanttTask], title: str, chart_id: str) -> list[dict[str, Any]]:
    """The timeline charts of a page, each with its table rows: one chart, or one per segment
    when one would be crowded (:func:`~generator.site.charts.timeline_groups`)."""
    charts = []
    for n, (heading, group) in enumerate(timeline_groups(tasks), 1):
        rows = [
            {
                "task": t,
                # As precise as the source: a year, a month or a day.
                "start": partial_date(t.year, t.month, t.day),
                "end": partial_date(t.end_year, t.end_month, t.end_day)
                if t.end_year
                else partial_date(t.last.year, t.month and t.last.month, t.day and t.last.day),
            }
            for t in group
        ]
        name = f"{title} — {heading}" if heading else title
        charts.append(
            {
                "heading": heading,
                "svg": "\n".join(
                    timeline_svg(group, name, f"{chart_id}-{n}", layout) for layout in LAYOUTS
                ),
                "rows": rows,
                "grouped": len({t.section for t in group}) > 1,
            }
        )
    return charts


def when(f: Item) -> str:
    """Dutch date of a milestone: 2021, juli 2021 or 1 juli 2021."""
    return f.when or MISSING


def _segment_pages(r: _Renderer, word_docs: list[dict[str, str]]) -> None:
    d = r.data
    for segment in d.segments.values():
        title = segment_title(d, segment)
        milestones = segment.items.get("hasMilestone", [])
        charts = timelines(
            milestone_tasks(segment.label, milestones), f"Planning {title}", "tijdlijn"
        )
        r.page(
            page_path(segment.iri),
            "segment.md.j2",
            segment=segment,
            title=title,
            instruments=instrument_summary(segment),
            timelines=charts,
            when=when,
            sources=_sources(d, segment.passages),
        )
        for f in segment.items.get("hasTargetGroup", []):
            r.page(page_path(f.iri), "target_group.md.j2", fact=f, segment=segment)
        for f in segment.items.get("hasResearchQuestion", []):
            r.page(page_path(f.iri), "research_question.md.j2", fact=f, segment=segment)
    downloads_of: dict[str, list[dict[str, str]]] = defaultdict(list)
    for doc in word_docs:
        downloads_of[doc.get("plan", "")].append(
            {**doc, "path": f"{GENERATED}/downloads/{doc['file']}"}
        )
    for plan in d.plans():
        segments = d.segments_of_plan(plan.iri)
        r.page(
            plan_path(plan.iri),
            "plan.md.j2",
            plan=plan,
            segments=segments,
            summaries={s.iri: instrument_summary(s) for s in segments},
            glossary=plan_glossary(d, plan.iri),
            budget=plan_budget(d, plan.iri),
            downloads=downloads_of.get(plan.iri, []),
        )
    r.page(f"{GENERATED}/{PLAN_FOLDER}/index.md", "plans_index.md.j2")
    r.page(f"{GENERATED}/segmenten/index.md", "segments_index.md.j2")


def _sources(data: SiteData, passages: list[str]) -> list[dict[str, Any]]:
    """Documents and sections a page's facts come from: ``[{document, sections: [(section
    title, first passage)]}]`` in text order."""
    by_doc: dict[str, dict[str, str]] = defaultdict(dict)
    for iri in sorted(
        set(passages), key=lambda i: data.passages[i].ordinal if i in data.passages else 0
    ):
        p = data.passages.get(iri)
        if p is None:
            continue
        section = data.sections.get(p.section or "")
        label = (
            f"{(section.number + ' ') if section.number else ''}{section.title}"
            if section
            else "tekst"
        )
        by_doc[p.document].setdefault(label, iri)
    return [
        {"document": doc, "sections": list(sections.items())}
        for doc, sections in sorted(by_doc.items())
    ]


# --- regions, stakeholders, questions -----------------------------------------------------


def _region_pages(r: _Renderer) -> None:
    d = r.data
    for region in d.regions.values():
        segments = d.segments_of(region.iri)
        tasks = [
            t for s in segments for t in milestone_tasks(s.label, s.items.get("hasMilestone", []))
        ]
        charts = timelines(tasks, f"Planning {region.label}", "tijdlijn") if tasks else []
        choices = [c for c in d.choices if c.region == region.iri]
        facts = [f for f in d.region_facts if f.region == region.iri]
        r.page(
            page_path(region.iri),
            "region.md.j2",
            region=region,
            segments=segments,
            timelines=charts,
            choices=choices,
            fact_groups=[
                (heading, [f for f in facts if f.kind == kind])
                for kind, heading in REGION_FACT_HEADINGS
            ],
            documents=[doc for doc in d.documents.values() if doc.region == region.iri],
            plans=[p for p in d.plans() if p.region == region.iri],
        )
    r.page(f"{GENERATED}/regios/index.md", "regions_index.md.j2")
    regions, matrix = comparison(d)
    r.page(
        f"{GENERATED}/vergelijking.md",
        "comparison.md.j2",
        regions=regions,
        matrix=matrix,
        skipped=[g for g in d.regions.values() if g not in regions],
        by_region=len(regions) > COMPARISON_COLUMNS,
    )
    plans = []
    for n, region in enumerate(d.regions.values(), 1):
        segments = d.segments_of(region.iri)
        tasks = [
            t for s in segments for t in milestone_tasks(s.label, s.items.get("hasMilestone", []))
        ]
        if tasks:
            plans.append((region, timelines(tasks, f"Planning {region.label}", f"tijdlijn-{n}")))
    r.page(f"{GENERATED}/planning.md", "planning.md.j2", plannings=plans)


def _people_and_questions(r: _Renderer) -> None:
    d = r.data
    for stakeholder in d.stakeholders.values():
        r.page(page_path(stakeholder.iri), "stakeholder.md.j2", stakeholder=stakeholder)
    r.page(f"{GENERATED}/stakeholders/index.md", "stakeholders_index.md.j2")
    r.page(f"{GENERATED}/onderzoeksvragen/index.md", "research_questions_index.md.j2")
    r.page(f"{GENERATED}/doelgroepen/index.md", "target_groups_index.md.j2")


# --- concepts and documents ----------------------------------------------------------------


def _concept_pages(r: _Renderer) -> None:
    """The vocabulary browser: one page per glossary entry (merged concepts), a short page
    for every concept merged into another (its IRI keeps resolving), and the A–Z index."""
    d = r.data
    abbreviations = str(SCHEME_ABBREVIATIONS)
    for entry in d.glossary:
        r.page(
            page_path(entry.iri),
            "concept.md.j2",
            entry=entry,
            title=entry.label
            + (f" ({entry.notation})" if entry.notation and entry.notation != entry.label else ""),
            lists=" en ".join(
                name
                for name, found in (
                    ("Begrippenkader", any(m.scheme != abbreviations for m in entry.members)),
                    ("Afkortingen", any(m.scheme == abbreviations for m in entry.members)),
                )
                if found
            ),
            used_in=concept_usage_groups(d, d.glossary_usage.get(entry.iri, [])),
        )
        for member in entry.members[1:]:
            r.page(page_path(member.iri), "concept_merged.md.j2", member=member, entry=entry)
    r.page(
        f"{GENERATED}/begrippen/index.md",
        "concepts_index.md.j2",
        letters=glossary_index(d),
    )


def glossary_index(data: SiteData) -> list[tuple[str, str, list[dict[str, str]]]]:
    """The A–Z index: per letter its anchor, the entries and, as in Skosmos, each abbreviation
    or other spelling as a reference to its entry: ``[(letter, anchor, [{term, iri, see (the
    entry's label, for a reference), source (document IRI or "")}])]``; digits under "0–9"."""
    by_letter: dict[str, list[dict[str, str]]] = defaultdict(list)

    def letter(term: str) -> str:
        first = fold(term)[:1].upper()
        return first if first.isalpha() else "0–9"

    for entry in data.glossary:
        source = next((m.source_document for m in entry.members if m.source_document), "")
        by_letter[letter(entry.label)].append(
            {"term": entry.label, "iri": entry.iri, "see": "", "source": source or ""}
        )
        for alt in entry.alt_labels:
            by_letter[letter(alt)].append(
                {"term": alt, "iri": entry.iri, "see": entry.label, "source": ""}
            )
    return [
        (
            key,
            "0-9" if key == "0–9" else key.lower(),
            sorted(items, key=lambda i: (fold(i["term"]), i["see"])),
        )
        for key, items in sorted(by_letter.items(), key=lambda kv: (not kv[0].isalpha(), kv[0]))
    ]


def concept_usage_groups(data: SiteData, passages: list[str]) -> dict[str, list[Any]]:
    """Where a term is used, for its page: the segments whose facts come from those passages
    and the documents with the first passage and the number of passages."""
    used = set(passages)
    segments = [
        s
        for s in sorted(data.segments.values(), key=lambda s: segment_title(data, s).lower())
        if used.intersection(s.passages)
    ]
    documents: dict[str, list[str]] = defaultdict(list)
    for p in passages:
        if p in data.passages:
            documents[data.passages[p].document].append(p)
    docs = [
        {"iri": doc, "first": found[0], "count": len(found)}
        for doc, found in sorted(
            documents.items(),
            key=lambda kv: data.documents[kv[0]].title if kv[0] in data.documents else kv[0],
        )
        if doc in data.documents
    ]
    return {"segments": segments, "documents": docs}


def _document_pages(r: _Renderer, originals: Path | None) -> None:
    d = r.data
    r.assets.update(original_files(d, originals))
    for doc in d.documents.values():
        target = original_target(doc)
        r.page(
            page_path(doc.iri),
            "document.md.j2",
            doc=doc,
            blocks=document_outline(d, doc),
            meta=metadata_rows(d, doc),
            original=target if target in r.assets else None,
            format_label=format_label(doc),
        )
    r.page(f"{GENERATED}/bronnen/index.md", "documents_index.md.j2", dutch_date=dutch_date)


# --- finances -------------------------------------------------------------------------------


def _finance_pages(r: _Renderer) -> None:
    d = r.data
    lines_by_mun: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in d.budget_lines:
        lines_by_mun[line.municipality].append(line)
    for mun in d.municipalities.values():
        path = page_path(mun.iri)
        lines = lines_by_mun.get(mun.iri, [])
        totals = [t for t in d.budget_totals if t.municipality == mun.iri]
        chart = _chart(r, path, f"Beschikbaar budget jeugdhulp {mun.label} per jaar", totals, lines)
        sums: dict[int, Decimal] = defaultdict(Decimal)
        for line in lines:
            sums[line.year] += line.value
        r.page(
            path,
            "municipality.md.j2",
            mun=mun,
            table=_product_table(lines),
            sums=sums,
            totals={t.year: t for t in totals},
            chart=chart,
            notes=total_notes(dict(sums), totals, "de som van de posten"),
        )
    for sub in d.subregions.values():
        path = page_path(sub.iri)
        totals = [t for t in d.budget_totals if t.subregions == [sub.iri]]
        members = [m for m in sub.municipalities if lines_by_mun.get(m)]
        rows = []
        for m in members:
            by_year: dict[int, Decimal] = defaultdict(Decimal)
            for line in lines_by_mun[m]:
                by_year[line.year] += line.value
            rows.append((m, by_year, sorted({x.passage for x in lines_by_mun[m] if x.passage})))
        sums = {
            y: sum((row[1].get(y, Decimal(0)) for row in rows), Decimal(0))
            for y in budget_years(d)
            if any(y in row[1] for row in rows)
        }
        all_lines = [x for m in members for x in lines_by_mun[m]]
        chart = _chart(
            r, path, f"Beschikbaar budget jeugdhulp {sub.label} per jaar", totals, all_lines
        )
        r.page(
            path,
            "subregion.md.j2",
            sub=sub,
            rows=rows,
            sums=sums,
            totals={t.year: t for t in totals},
            chart=chart,
            notes=total_notes(sums, totals, "de som van de gemeenten"),
        )
    r.page(f"{GENERATED}/gemeenten/index.md", "municipalities_index.md.j2")
    r.page(f"{GENERATED}/subregios/index.md", "subregions_index.md.j2")
    # A grand total per plan: two plans may both state one for the same year.
    grand: dict[str, dict[int, Any]] = defaultdict(dict)
    for t in d.budget_totals:
        if len(t.subregions) > 1:
            grand[t.document or ""][t.year] = t
    sub_totals = {
        s.iri: {t.year: t for t in d.budget_totals if t.subregions == [s.iri]}
        for s in d.subregions.values()
    }
    # Per plan with a grand total: the sum of the subregion totals the table shows above it.
    grand_sums: dict[str, dict[int, Decimal]] = {}
    grand_notes: list[str] = []
    for doc, stated in sorted(grand.items()):
        shown = [t for by_year in sub_totals.values() for t in by_year.values()]
        sub_sums: dict[int, Decimal] = defaultdict(Decimal)
        for t in shown:
            if t.document == doc or not doc:
                sub_sums[t.year] += t.value
        grand_sums[doc] = dict(sub_sums)
        grand_notes += total_notes(
            dict(sub_sums), list(stated.values()), "de som van de subregio's"
        )
    r.page(
        f"{GENERATED}/financien.md",
        "finances.md.j2",
        grand=dict(sorted(grand.items())),
        grand_sums=grand_sums,
        notes=grand_notes,
        sub_totals=sub_totals,
        with_lines=sorted(
            lines_by_mun, key=lambda m: d.municipalities[m].label if m in d.municipalities else m
        ),
    )


def total_notes(sums: dict[int, Decimal], totals: list[Any], summed: str) -> list[str]:
    """Warnings for the years where the stated total and the sum shown beside it differ:
    the page shows both figures, so it warns exactly where a reader sees two numbers
    (``summed`` names the sum: "de som van de posten")."""
    notes = []
    for t in sorted(totals, key=lambda t: t.year):
        if t.year in sums and sums[t.year] != t.value:
            notes.append(
                f"In {t.year} wijkt het totaal volgens het plan ({euro(t.value)}) af van "
                f"{summed} ({euro(sums[t.year])}): verschil {euro(abs(t.value - sums[t.year]))}."
            )
    return notes


def _product_table(lines: list[BudgetLine]) -> list[tuple[str, dict[int, Decimal], list[str]]]:
    """Rows of a municipality's table: product, value per year, source passages."""
    rows: dict[str, tuple[dict[int, Decimal], set[str]]] = {}
    for line in lines:
        values, passages = rows.setdefault(line.product, ({}, set()))
        values[line.year] = line.value
        if line.passage:
            passages.add(line.passage)
    return [(product, values, sorted(p)) for product, (values, p) in rows.items()]


def _chart(
    r: _Renderer, page: str, title: str, totals: list[Any], lines: list[BudgetLine]
) -> dict[str, str] | None:
    """Write the bar chart of stated totals (or summed lines) next to ``page``; return its
    link and alt text for the template."""
    by_year: dict[int, Decimal] = {t.year: t.value for t in totals}
    basis = "totaal volgens het plan"
    if not by_year:
        basis = "som van de posten"
        for line in lines:
            by_year[line.year] = by_year.get(line.year, Decimal(0)) + line.value
    if not by_year:
        return None
    # The chart says which of the page's two sums it draws.
    title = f"{title} ({basis})"
    bars = [(str(y), by_year[y]) for y in sorted(by_year)]
    svg_path = page.removesuffix(".md") + "-budget.svg"
    r.assets[svg_path] = bar_chart_svg(title, bars).encode("utf-8")
    return {"src": relative(svg_path, page), "alt": chart_alt(title, bars)}


# --- overviews, downloads, tooltips ---------------------------------------------------------


#: Kind of a Word document (``documents/index.json``) → how the downloads page names it.
DOCUMENT_KINDS = {
    "chapter": "hoofdstuk van een inkoopplan",
    "plan": "inkoopplan",
    "raadsvoorstel": "concept-raadsvoorstel",
}


#: Above this many proposed facts the quality page lists them per document (a count and a link
#: to the document's page, which shows each with its quote) instead of one row per fact: at 50×
#: the bundled corpus one row per fact made an 11 MB page that changed with every new document.
QUALITY_FACT_ROWS_MAX = 500


def _proposed_facts(d: SiteData) -> dict[str, Any]:
    """The quality page's proposed facts: each fact, or per document the number of them."""
    proposed = sorted(
        (f for f in d.prose_facts if f.proposed),
        key=lambda f: (f.document_title, f.kind_label, f.value),
    )
    if len(proposed) <= QUALITY_FACT_ROWS_MAX:
        return {"proposed": proposed, "proposed_by_document": []}
    counts: dict[str, int] = defaultdict(int)
    for f in proposed:
        counts[f.document] += 1
    by_document = sorted(
        (
            (d.documents[iri], n, f"{page_path(iri)}#gevonden-in-de-tekst")
            for iri, n in counts.items()
            if iri in d.documents
        ),
        key=lambda row: (row[0].title, row[0].iri),
    )
    return {"proposed": proposed, "proposed_by_document": by_document}


def _overview_pages(
    r: _Renderer, word_docs: list[dict[str, str]], folder: Path | None, warnings: list[str]
) -> None:
    d = r.data
    build_date = date(dt.date.today())
    newest = data_date(d)
    downloads = []
    for doc in word_docs:
        target = f"{GENERATED}/downloads/{doc['file']}"
        if folder is not None:
            r.assets[target] = folder / doc["file"]
        downloads.append({**doc, "path": target, **download_facts(doc, folder)})
    r.page(f"{GENERATED}/downloads.md", "downloads.md.j2", downloads=downloads)
    by_region: dict[str, list[Any]] = defaultdict(list)
    for source in sorted(
        d.documents.values(), key=lambda x: (x.date or str(x.year or ""), x.title)
    ):
        region = d.regions.get(source.region or "")
        by_region[region.label if region else "Geen regio"].append(source)
    common = {"build_date": build_date, "data_date": date(newest) if newest else ""}
    r.page(
        f"{GENERATED}/over-de-bronnen.md",
        "about_sources.md.j2",
        by_region=sorted(by_region.items()),
        **common,
    )
    r.page(
        f"{GENERATED}/kwaliteit.md",
        "quality.md.j2",
        totals=sorted(
            (t for t in d.budget_totals if t.consistent is False and t.computed is not None),
            key=lambda t: (t.name, t.year),
        ),
        former=[
            (region, m)
            for region in sorted(
                [*d.regions.values(), *d.subregions.values()], key=lambda x: x.label
            )
            for m in region.former_members
        ],
        **_proposed_facts(d),
        warnings=warnings,
    )
    # The home page's figures: a snippet the hand-written docs/index.md includes.
    c = PageContext(d, "index.md", r.site_url)
    r.pages[START_SNIPPET] = r.env.get_template("start.md.j2").render(
        data=d,
        c=c,
        regions=region_figures(d),
        documents=len(d.documents),
        years_label=years_label,
        **common,
    )


def download_facts(doc: dict[str, str], folder: Path | None) -> dict[str, str]:
    """What the downloads page says of a Word document besides its title: its kind in Dutch,
    file size ("48 kB") and the date it was made (the file's date), "" when unknown."""
    facts = {"kind_label": DOCUMENT_KINDS.get(doc.get("description", ""), "Word-document")}
    path = folder / doc["file"] if folder is not None else None
    if path is not None and path.is_file():
        stat = path.stat()
        facts["size_label"] = file_size(stat.st_size)
        facts["made"] = date(dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).date())
    else:
        facts["size_label"] = "—"
        facts["made"] = ""
    return facts


def file_size(size: int) -> str:
    """A file size as Dutch readers write it: "830 bytes", "48 kB", "1,2 MB"."""
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{number(round(size / 1000))} kB"
    return f"{number(size / 1_000_000, decimals=1)} MB"


def tooltips(data: SiteData) -> str:
    """``*[TERM]: text`` lines for the abbr extension, from the vocabulary browser's entries:
    a label shows its definition, an abbreviation or other spelling its label and definition.
    A label without a definition gets no tooltip (it would only repeat itself). Entries with a
    curated abbreviation come first, so their spelling wins when two entries share a term.
    Which occurrences keep a tooltip is decided per page by :mod:`generator.site.tooltips`."""
    entries: dict[str, str] = {}
    ordered = sorted(
        data.glossary,
        key=lambda e: (
            all(m.scheme != str(SCHEME_ABBREVIATIONS) for m in e.members),
            fold(e.label),
            e.iri,
        ),
    )
    for entry in ordered:
        meaning = entry.definition or ""
        for term in entry.terms:
            term = " ".join(term.split())
            if not term or term in entries or "]" in term:
                continue
            if term == entry.label:
                if not meaning:
                    continue
                text = meaning
            else:
                text = entry.label + (f": {meaning}" if meaning else "")
            entries[term] = shorten(text, TOOLTIP_CHARS)
    # abbr matches case-sensitively: running text writes "integraal arrangeren" where the
    # glossary has "Integraal arrangeren". Multi-word terms also get their lower-case form;
    # single words do not ("jeugdhulp" and "crisis" would be underlined in nearly every line).
    for term, text in list(entries.items()):
        lower = term.lower()
        if " " in term and lower != term and lower not in entries:
            entries[lower] = text
    lines = [f"*[{term}]: {' '.join(text.split())}" for term, text in sorted(entries.items())]
    # One definition per block: in one long block every block processor rescans the rest of
    # the block after each definition, which made the MkDocs build several times slower.
    return "\n\n".join(lines) + "\n"
