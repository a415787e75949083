"""A draft council proposal (raadsvoorstel) for one segment or for the whole plan, with its
concept-raadsbesluit.

The sections follow the usual Dutch municipal format: a header block of fields the author fills
in (registration number, date, portefeuillehouder), Onderwerp, Voorgesteld besluit (numbered
beslispunten, each a short decision that reads on its own), Samenvatting, Inleiding, Beoogd
effect, Argumenten, Kanttekeningen en risico's, Financiën, Communicatie, Uitvoering en planning,
Bijlagen and Bronnen; then, on its own page, the concept-raadsbesluit (considerans with the
Jeugdwet articles from the ontology, the same beslispunten, signature fields).

The whole-plan proposal does not repeat the plan: the plan is its first bijlage, and the
proposal gives counts and overviews where a segment proposal lists the segment's items.
Everything the graph knows is filled in with its source; the political parts are marked
placeholders or fields for the author, never invented text. With a municipality (``--gemeente``)
Financiën shows its budget lines, totals and share beside the region's, and the besluit names
its council.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph
from rdflib import Graph, URIRef

from generator.docx.base import (
    Citations,
    cited_lines,
    municipality_sentences,
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
from generator.docx.facts import add_proposed_mark
from generator.docx.fields import add_field
from generator.docx.finance import differences, render_gemeente, render_totals_table
from generator.docx.word import add_numbered_item, add_table, new_numbered_list
from generator.format import MISSING, date, euro, number, percent
from kb.views.council import (
    Article,
    DocumentDate,
    FinancialCaveat,
    document_dates,
    legal_basis,
    load_caveats,
    resolve_municipality,
)
from kb.views.documents import Source
from kb.views.plans import Plan, load_plan, plan_name
from kb.views.segments import Item, Segment

#: The sections of a raadsvoorstel, in order (level-1 headings).
HEADINGS = (
    "Onderwerp",
    "Voorgesteld besluit",
    "Samenvatting",
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
#: The title of the concept-raadsbesluit, which starts on a page of its own.
BESLUIT_TITLE = "Concept-raadsbesluit"
#: Rubrics (item properties) a council decides on; their headings come from the scheme.
DECISION_RUBRICS = ("hasContractForm", "hasFundingModel", "hasPurchasingModel")


@dataclass
class Council:
    """What the proposal needs beyond the plan: the municipality (``--gemeente``), the plan's
    financial caveats, the dates of the documents its risks come from and the legal basis."""

    municipality: str | None = None
    caveats: list[FinancialCaveat] = field(default_factory=list)
    dates: dict[str, DocumentDate] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)


def load_council(graph: Graph, plan: Plan, gemeente: str | None = None) -> Council:
    """The :class:`Council` of ``plan``; ``gemeente`` (a name or IRI) must be a municipality of
    the plan's region (:class:`kb.views.council.UnknownMunicipality` otherwise)."""
    municipality = None
    if gemeente:
        municipality = resolve_municipality(graph, gemeente, plan.region_iri, plan.region).label
    documents = [plan.iri, *(r.document for r in plan.risks if r.document)]
    return Council(
        municipality=municipality,
        caveats=load_caveats(graph, plan.iri),
        dates=document_dates(graph, documents),
        articles=legal_basis(graph),
    )


# --- sourced bullets: each with its footnote (Citations.cite) ----------------------------------


def _bullet(
    document: DocxDocument,
    text: str,
    sources: Iterable[Source],
    citations: Citations,
    *,
    proposed: bool = False,
) -> Paragraph:
    paragraph = document.add_paragraph(text, style="List Bullet")
    if proposed:
        add_proposed_mark(paragraph)
    citations.cite(paragraph, list(sources))
    return paragraph


def _item_bullets(document: DocxDocument, items: Iterable[Item], citations: Citations) -> int:
    count = 0
    for item in items:
        _bullet(document, item.text, item.sources, citations, proposed=item.proposed)
        count += 1
    return count


# --- texts -------------------------------------------------------------------------------------


def _scope(plan: Plan, segment: Segment | None) -> list[Segment]:
    return [segment] if segment else plan.segments


def _subject(plan: Plan, segment: Segment | None) -> str:
    if segment:
        return f"Inkoop jeugdhulp, segment {segment.label} ({plan.title})"
    return f"Vaststellen {plan.title}"


def _period(plan: Plan) -> str:
    years = plan.budget.years
    return f"{years[0]}–{years[-1]}" if years else ""


def _joined(words: list[str]) -> str:
    """``a, b en c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def decision_points(plan: Plan, segment: Segment | None, council: Council) -> list[str]:
    """The beslispunten: short decisions, each a whole sentence that reads on its own (the same
    in the voorstel and in the besluit). The plan's text is in the bijlage, not in a point."""
    if segment is None:
        # The title names the document ("Inkoopplan …", "Inkoopstrategie …"): no article, which
        # would have to agree with a noun the graph does not type.
        points = [f"{plan.title} vast te stellen."]
    else:
        points = [
            f"In te stemmen met de inkoop van het segment {segment.label} zoals beschreven in "
            f"{plan.title}."
        ]
        chosen = [plan.heading(k).lower() for k in DECISION_RUBRICS if segment.rubric(k).items]
        if chosen:
            points.append(
                f"In te stemmen met de keuzes voor {_joined(chosen)} in het segment "
                f"{segment.label}."
            )
    budget = plan.budget
    if budget.lines:
        period = _period(plan)
        own = council.municipality
        if own and own in budget.municipalities:
            whole = budget.grand_total()
            share = f" ({percent(budget.grand_total(own) / whole)} van de regio)" if whole else ""
            points.append(
                f"Kennis te nemen van het aandeel van de gemeente {own} in het financieel kader "
                f"jeugdhulp {period}: {euro(budget.grand_total(own))}{share}."
            )
        else:
            points.append(
                f"Kennis te nemen van het financieel kader jeugdhulp {period} van het "
                f"inkoopplan: {euro(budget.grand_total())} voor de regio als geheel."
            )
    kinds = list(dict.fromkeys(c.kind_label.lower() for c in council.caveats))
    if kinds:
        points.append(
            f"Kennis te nemen van de financiële kanttekeningen van het inkoopplan over "
            f"{_joined(kinds)}."
        )
    return points


def _older_than_plan(found: DocumentDate | None, plan_date: DocumentDate | None) -> bool:
    if found is None or plan_date is None:
        return False
    if found.date and plan_date.date:
        return found.date < plan_date.date
    own, theirs = found.year, plan_date.year
    return own is not None and theirs is not None and own < theirs


def dated(text: str, found: DocumentDate | None) -> str:
    """``text (memo van 14 augustus 2018)``: the date of the older document an item is from."""
    if found is None:
        return text
    kind = found.kind or "document"
    if kind[1:2].islower():
        # "Raadsinformatiebrief" reads "raadsinformatiebrief" mid-sentence; "PHO-verslag" stays.
        kind = kind[0].lower() + kind[1:]
    if found.date:
        return f"{text} ({kind} van {date(found.date)})"
    if found.year:
        return f"{text} ({kind} uit {found.year})"
    return text


# --- the document ------------------------------------------------------------------------------


def _header_block(document: DocxDocument, council: Council) -> None:
    """Registration number, dates and portefeuillehouder as fields; the municipality's name
    when it is known."""
    for label in ("Registratienummer", "Datum raadsvergadering", "Portefeuillehouder"):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        add_field(paragraph, label)
    paragraph = document.add_paragraph()
    paragraph.add_run("Gemeente: ").bold = True
    if council.municipality:
        paragraph.add_run(council.municipality)
    else:
        add_field(paragraph, "Naam gemeente")


def raadsvoorstel_document(
    plan: Plan,
    segment: Segment | None = None,
    *,
    council: Council | None = None,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
    site_url: str | None = None,
) -> DocxDocument:
    """The draft raadsvoorstel for ``segment`` (or the whole plan when None) and its
    concept-raadsbesluit; with ``site_url`` the footnotes link to the passages on the site."""
    council = council or Council()
    scope = _scope(plan, segment)
    single = segment is not None
    citations = Citations(site_url)
    subject = _subject(plan, segment)
    points = decision_points(plan, segment, council)
    document = open_template(template)
    prepare(document, title=f"Raadsvoorstel: {subject}", subject="Raadsvoorstel (concept)",
            fixed_time=fixed_time, title_page=True)  # fmt: skip
    document.add_paragraph("Raadsvoorstel (concept)", style="Title")
    _header_block(document, council)

    document.add_heading("Onderwerp", 1)
    document.add_paragraph(subject)

    document.add_heading("Voorgesteld besluit", 1)
    document.add_paragraph("De raad wordt voorgesteld:")
    numbered = new_numbered_list(document)
    for point in points:
        add_numbered_item(document, point, numbered)

    _summary(document, plan, segment, scope)
    _introduction(document, plan, segment, citations)
    _effect(document, plan, segment, scope, citations)
    _arguments(document, plan, segment, citations)
    _caveats(document, plan, scope, council, citations, single)
    _finance(document, plan, segment, council, citations)
    _communication(document, scope)
    _planning(document, scope, citations, single)

    document.add_heading("Bijlagen", 1)
    annexes = new_numbered_list(document)
    if segment:
        add_numbered_item(
            document, f"Hoofdstuk {segment_heading(segment)} uit {plan.title}", annexes
        )
    else:
        add_numbered_item(document, f"{plan.title} (het inkoopplan zelf)", annexes)
    add_numbered_item(document, "Bronnenoverzicht (hieronder)", annexes)

    document.add_heading("Bronnen", 1)
    source_list(document, citations, "Geen bronnen.")

    _besluit(document, points, council)
    return document


def _summary(
    document: DocxDocument, plan: Plan, segment: Segment | None, scope: list[Segment]
) -> None:
    document.add_heading("Samenvatting", 1)
    tasks = sum(len(s.rubric("hasDevelopmentTask").items) for s in scope)
    goals = sum(len(s.rubric("hasPurchasingGoal").items) for s in scope)
    region = f" voor {plan.region}" if plan.region else ""
    if segment:
        text = f"Dit voorstel gaat over het segment {segment.label} uit {plan.title}{region}."
    else:
        text = (
            f"Dit voorstel legt {plan.title}{region} ter vaststelling aan de raad voor. "
            f"Het plan deelt de jeugdhulp in {number(len(scope))} segmenten in."
        )
    text += (
        f" Het inkoopplan noemt hiervoor {number(tasks)} ontwikkelopgaven en {number(goals)} "
        "inkoopdoelen."
    )
    if plan.budget.lines:
        text += (
            f" Het financieel kader telt {euro(plan.budget.grand_total())} voor {_period(plan)}."
        )
    document.add_paragraph(text)
    placeholder(document, "Vat in twee of drie zinnen samen wat de raad besluit en waarom.")


def _introduction(
    document: DocxDocument, plan: Plan, segment: Segment | None, citations: Citations
) -> None:
    document.add_heading("Inleiding", 1)
    for sentence in municipality_sentences(plan):
        document.add_paragraph(sentence)
    if segment:
        document.add_paragraph("Doelgroep volgens het inkoopplan:")
        if not _item_bullets(document, segment.rubric("hasTargetGroup").items, citations):
            placeholder(document, "De kennisbank beschrijft geen doelgroep; vul aan.")
    else:
        names = ", ".join(s.label for s in plan.segments)
        if names:
            document.add_paragraph(
                f"Het plan deelt de jeugdhulp in {number(len(plan.segments))} segmenten in: "
                f"{names}. De uitwerking per segment staat in bijlage 1."
            )
    placeholder(document, "Beschrijf de aanleiding en de voorgeschiedenis van dit voorstel.")


def _effect(
    document: DocxDocument,
    plan: Plan,
    segment: Segment | None,
    scope: list[Segment],
    citations: Citations,
) -> None:
    document.add_heading("Beoogd effect", 1)
    if segment:
        document.add_paragraph("De ontwikkelopgaven uit het inkoopplan:")
        if not _item_bullets(document, segment.rubric("hasDevelopmentTask").items, citations):
            placeholder(document, "De kennisbank noemt geen ontwikkelopgaven; vul aan.")
    else:
        keys = ("hasDevelopmentTask", "hasPurchasingGoal")
        if any(s.rubric(k).items for s in scope for k in keys):
            _counts_table(document, plan, scope, keys)
        else:
            placeholder(document, "De kennisbank noemt geen ontwikkelopgaven of inkoopdoelen.")
    placeholder(document, "Beschrijf in enkele zinnen welk effect de raad met dit besluit beoogt.")


def _counts_table(
    document: DocxDocument, plan: Plan, scope: list[Segment], keys: tuple[str, ...]
) -> None:
    """How many items of each rubric every segment has (the items are in bijlage 1)."""
    rows = [[s.label, *(number(len(s.rubric(k).items)) for k in keys)] for s in scope]
    table = add_table(
        document,
        ["Segment", *(plan.heading(k) for k in keys)],
        rows,
        caption="Ontwikkelopgaven en inkoopdoelen per segment (uitgewerkt in bijlage 1)",
    )
    set_widths(table, [8.0, 4.0, 4.0], numeric_from=1)


def _arguments(
    document: DocxDocument, plan: Plan, segment: Segment | None, citations: Citations
) -> None:
    document.add_heading("Argumenten", 1)
    if segment:
        for key in DECISION_RUBRICS:
            items = segment.rubric(key).items
            if items:
                document.add_paragraph(f"{plan.heading(key)} volgens het inkoopplan:")
                _item_bullets(document, items, citations)
        if segment.rubric("hasPurchasingGoal").items:
            document.add_paragraph("Inkoopdoelen die de keuzes dienen:")
            _item_bullets(document, segment.rubric("hasPurchasingGoal").items, citations)
    elif plan.instruments:
        document.add_paragraph(
            f"Het inkoopplan kiest per segment voor de {number(len(plan.instruments))} "
            "inkoopinstrumenten; de keuzes staan per segment in bijlage 1:"
        )
        for ins in plan.instruments:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(ins.label).bold = True
            if ins.definition:
                paragraph.add_run(f": {ins.definition}")
    placeholder(
        document,
        "Onderbouw per beslispunt waarom dit besluit bijdraagt aan het beoogde effect. De "
        "kennisbank bevat de keuzes, niet de politieke afweging.",
    )


def _caveats(
    document: DocxDocument,
    plan: Plan,
    scope: list[Segment],
    council: Council,
    citations: Citations,
    single: bool,
) -> None:
    document.add_heading("Kanttekeningen en risico's", 1)
    if single:
        for key, intro, none in (
            ("hasResearchQuestion", "Open onderzoeksvragen", "geen open onderzoeksvragen"),
            ("hasPrecondition", "Randvoorwaarden", "geen randvoorwaarden"),
        ):
            document.add_paragraph(f"{intro} uit het inkoopplan:")
            if not _item_bullets(document, scope[0].rubric(key).items, citations):
                document.add_paragraph(f"Het inkoopplan noemt {none}.")
    else:
        questions = sum(len(s.rubric("hasResearchQuestion").items) for s in scope)
        conditions = sum(len(s.rubric("hasPrecondition").items) for s in scope)
        if questions or conditions:
            document.add_paragraph(
                f"Het inkoopplan noemt {number(questions)} open onderzoeksvragen en "
                f"{number(conditions)} randvoorwaarden; ze staan per segment in bijlage 1."
            )
        else:
            document.add_paragraph(
                "Het inkoopplan noemt geen open onderzoeksvragen of randvoorwaarden."
            )
    if plan.risks:
        own = council.dates.get(plan.iri)
        document.add_paragraph(f"Risico's die voor {plan.region or 'de regio'} zijn benoemd:")
        for risk in plan.risks:
            found = council.dates.get(risk.document or "")
            text = " ".join(risk.text.split())
            if risk.document != plan.iri and _older_than_plan(found, own):
                # An older document's risk may be settled: its date lets the reader judge.
                text = dated(text, found)
            _bullet(document, text, risk.sources, citations)
    placeholder(document, "Vul aan met kanttekeningen en risico's van het college.")


def _finance(
    document: DocxDocument,
    plan: Plan,
    segment: Segment | None,
    council: Council,
    citations: Citations,
) -> None:
    document.add_heading("Financiën", 1)
    budget = plan.budget
    if not budget.lines:
        placeholder(document, "De kennisbank bevat geen begrotingsposten; vul de financiën aan.")
    else:
        years = budget.years
        total = sum((budget.total(y) for y in years), Decimal(0))
        text = (
            f"Het financieel kader van het inkoopplan telt voor {years[0]}–{years[-1]} in "
            f"totaal {euro(total)} (som van {number(len(budget.lines))} begrotingsposten van "
            f"{number(len(budget.municipalities))} gemeenten). Per jaar en subregio:"
        )
        paragraph = document.add_paragraph(text)
        if budget.source:
            citations.cite(paragraph, [budget.source])
        render_totals_table(document, budget, "Budget jeugdhulp per subregio en jaar")
        for sentence in differences(budget):
            document.add_paragraph(sentence, style="List Bullet")
        if council.municipality:
            render_gemeente(document, budget, council.municipality, level=2)
        if segment:
            placeholder(
                document,
                f"De begrotingsposten zijn niet per segment uitgesplitst. Vul het deel van het "
                f"budget in dat naar het segment {segment.label} gaat.",
            )
    document.add_heading("Financiële kanttekeningen", 2)
    if council.caveats:
        document.add_paragraph(
            "Het inkoopplan plaatst deze kanttekeningen bij het financieel kader:"
        )
        for caveat in council.caveats:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{caveat.kind_label}: ").bold = True
            paragraph.add_run(" ".join(caveat.text.split()))
            citations.cite(paragraph, caveat.sources)
    else:
        placeholder(
            document,
            "De kennisbank bevat geen financiële kanttekeningen bij dit plan (zoals een "
            "efficiencykorting, indexatie of risicoverevening). Vul ze aan of verwijder deze kop.",
        )
    placeholder(document, "Beschrijf de dekking en de gevolgen voor de begroting van de gemeente.")


def _communication(document: DocxDocument, scope: list[Segment]) -> None:
    document.add_heading("Communicatie", 1)
    stakeholders = sorted({s.label for seg in scope for s in seg.stakeholders}, key=str.casefold)
    if stakeholders:
        document.add_paragraph(
            f"Betrokken partijen volgens het inkoopplan ({number(len(stakeholders))}): "
            + ", ".join(stakeholders)
            + "."
        )
    placeholder(document, "Beschrijf hoe en wanneer deze partijen worden geïnformeerd.")


def _planning(
    document: DocxDocument, scope: list[Segment], citations: Citations, single: bool
) -> None:
    document.add_heading("Uitvoering en planning", 1)
    milestones = [(s, m) for s in scope for m in s.rubric("hasMilestone").items]
    if not milestones:
        placeholder(document, "De kennisbank bevat geen mijlpalen; vul de planning aan.")
        return
    if single:
        ordered = [m for _, m in sorted(milestones, key=lambda p: _when_key(p[1]))]
        rows = [[when(m), m.text, ""] for m in ordered]
        table = add_table(
            document, ["Wanneer", "Mijlpaal", "Bron"], rows, caption="Mijlpalen uit het inkoopplan"
        )
        for row, m in zip(table.rows[1:], ordered, strict=True):
            cited_lines(row.cells[2].paragraphs[0], [("", [m])], citations)  # the footnote mark
        set_widths(table, [3.0, 11.4, 1.6])
        return
    # The whole plan: per segment how many milestones and the period they span (the
    # milestones themselves are in the segment chapters of bijlage 1).
    rows = []
    for seg in scope:
        items = sorted(seg.rubric("hasMilestone").items, key=_when_key)
        dated_items = [m for m in items if m.year]
        rows.append(
            [
                seg.label,
                number(len(items)),
                when(dated_items[0]) if dated_items else MISSING,
                when(dated_items[-1]) if dated_items else MISSING,
            ]
        )
    table = add_table(
        document,
        ["Segment", "Mijlpalen", "Eerste", "Laatste"],
        rows,
        caption="Mijlpalen per segment (uitgewerkt in bijlage 1)",
    )
    set_widths(table, [7.0, 2.4, 3.3, 3.3], numeric_from=1)


def _besluit(document: DocxDocument, points: list[str], council: Council) -> None:
    """The concept-raadsbesluit on a page of its own: considerans, besluit, signatures."""
    title = document.add_paragraph(BESLUIT_TITLE, style="Title")
    title.paragraph_format.page_break_before = True
    paragraph = document.add_paragraph("De raad van de gemeente ")
    if council.municipality:
        paragraph.add_run(council.municipality)
    else:
        add_field(paragraph, "Naam gemeente")
    paragraph.add_run(";")
    paragraph = document.add_paragraph(
        "gelezen het voorstel van het college van burgemeester en wethouders van "
    )
    add_field(paragraph, "Datum collegevoorstel")
    paragraph.add_run(";")
    paragraph = document.add_paragraph("gelet op ")
    if council.articles:
        paragraph.add_run(_considerans(council.articles) + ";")
    else:
        add_field(paragraph, "Wettelijke grondslag")
        paragraph.add_run(";")
    document.add_paragraph("besluit:")
    numbered = new_numbered_list(document)
    for point in points:
        add_numbered_item(document, point, numbered)
    paragraph = document.add_paragraph("Aldus besloten in de openbare vergadering van ")
    add_field(paragraph, "Datum raadsvergadering")
    paragraph.add_run(".")
    for role in ("griffier", "voorzitter"):
        document.add_paragraph(f"De {role},")
        signature = document.add_paragraph()
        add_field(signature, f"Naam {role}")


def _considerans(articles: list[Article]) -> str:
    """``de artikelen 2.1, 2.2, 2.6 en 2.7 van de Jeugdwet`` (grouped by law, in order)."""
    by_law: dict[str, list[str]] = {}
    for article in articles:
        by_law.setdefault(article.law, []).append(article.notation)
    parts = []
    for law, numbers in by_law.items():
        noun = "artikel" if len(numbers) == 1 else "de artikelen"
        parts.append(
            f"{noun} {_joined(numbers)} van de {law}" if law else f"{noun} {_joined(numbers)}"
        )
    return _joined(parts)


def _when_key(item: Item) -> tuple[int, int, int, int]:
    return (item.year or 9999, item.month or 0, item.day or 0, item.ordinal)


def write_raadsvoorstel(
    graph: Graph,
    path: Path,
    *,
    segment: str | URIRef | None = None,
    plan: str | None = None,
    gemeente: str | None = None,
    settings: Any = None,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
) -> Path:
    """Write the raadsvoorstel for ``segment`` (or the whole plan when None) to ``path``;
    ``gemeente`` (any municipality of the plan's region) adds its figures and names its
    council."""
    context = load_plan(graph, plan_name(plan, settings))
    seg = context.segment(str(segment)) if segment else None
    council = load_council(graph, context, gemeente)
    document = raadsvoorstel_document(
        context,
        seg,
        council=council,
        template=template,
        fixed_time=fixed_time,
        site_url=site_url_of(settings),
    )
    return save(document, path)
