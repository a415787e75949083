"""Facts from a provider-session slide deck (document type ``presentatie``), e.g. Noord-Limburg.

A PowerPoint conversion has no chapters: every slide title became a heading of its own, mostly at
level 1, and a sub-title ending in ``:`` sometimes became a level-2 heading. So this extractor does
not rely on the heading tree but walks the slide titles *in document order* and recognises them by
name. The rules (all documented here because the deck itself names little):

Region and document
    The document's region (``sources.yaml``) becomes a ``kb:Region`` with an ``rdfs:label`` and the
    document ``kb:aboutRegion`` it.

Decisions (``Wat is tot nu toe besloten?``)
    One ``kb:Decision`` per top-level bullet; deeper bullets ("Perceel lokaal", "Perceel regionaal")
    stay with their parent as ``kb:subItem`` and are part of its ``kb:text``.

Planning table (a slide titled ``Planning …``)
    A table whose header row holds month columns (``april … dec``, ``Jan-21``, ``Jul-21``,
    ``Jan-22``). The reader may deliver it as a real table block or, as now, as a paragraph whose
    lines hold tab-separated cells; both are read. Every row with a date becomes a ``kb:Milestone``.
    In a cell such as ``2/6 (1/6) gereed`` the date outside the brackets is the current planning,
    the bracketed one the previous planning (the legend row ``(..) vorige planning``). The previous
    date is kept in ``kb:text`` only (``… (vorige planning: 1/6)``); there is no property for it.
    When a row has several dated cells (``start 1/10`` … ``15/12 gereed``), the milestone date is
    that of the last one, because the header asks *when ready* (``Wat/Wanneer (gereed)``). Month
    columns without a year take the document's year (april…dec are 2020), a column after a later
    month wraps into the next year, and a cell date without a year gets the year that puts it
    closest to its column (``medio jan`` in the ``dec`` column is January 2021).

Segments
    The ``Programma`` slide lists the segments (the sub-bullets of "Per segment") in the order in
    which they are presented. The segments' own slides do not name them, so the deck is cut into
    segment parts and the parts are matched to the Programma names by position:

    * a part starts at a ``Wat houdt het segment in?`` slide, unless the current part has not yet
      shown its ``Gemaakte keuzes`` (a segment may have two "Wat houdt het segment in?" slides);
    * a part ends after its ``Proces en planning`` slide (the last slide of every segment), so the
      closing slides (``Afsluiting``) never belong to a segment;
    * if the number of parts differs from the number of Programma names nothing is guessed: a
      warning is written and no segment facts are.

    Inside a part, the current *slide title* sets the context and a *sub-title* the rubric. Sub-
    titles are matched against the labels of the ontology's schemes (:mod:`kb.rdf.vocabulary`),
    so another wording is taught by adding a label there:

    * under ``Wat houdt het segment in?``: a title naming the rubric ``doelgroep`` ("Doelgroep",
      "Hoofddoelgroep") → ``kb:TargetGroup``; ``huidig-landschap`` ("Huidige aanbod", "Afbakening")
      → ``kb:LandscapeItem``; ``ontwikkelopgaven`` ("Ontwikkelpotentieel") →
      ``kb:DevelopmentPotential`` (one per bullet or paragraph); bullets directly on the slide are
      ``kb:LandscapeItem`` (what the segment comprises), except a bullet whose lead before ``:``
      names the target-group rubric ("Hoofddoelgroep: …"), which is the target group; a table on the
      slide (the Dagbesteding "Leeftijdscategorie | Subsegment" table, which the reader now turns
      into a heading plus a paragraph) gives one ``kb:LandscapeItem`` per sub-segment row;
    * under ``Gemaakte keuzes`` (``… sturingselementen``): a title naming a concept of
      ``inkoopinstrumenten`` (``Bekostiging``, ``Contract``, ``Leveranciersmanagement``,
      ``Toegangsmanagement``) → one ``kb:InstrumentChoice`` per top-level bullet with
      ``kb:instrument`` that concept; funding choices that name a funding form (a label of
      ``bekostigingsvormen``) also get ``kb:usesFundingConcept`` (:func:`funding_concepts`);
    * under ``Belangrijkste vraagstukken`` every bullet is a ``kb:ResearchQuestion``, whatever
      sub-title groups it (``Structuur``, ``Ontwikkelpotentieel``); a sub-title ending in ``:``
      ("Afspraken maken met de volgende partners:") introduces its list, so that list is one
      question with the bullets as sub-items; a bare "Enz." is not a question;
    * under ``Proces en planning`` a bullet becomes a ``kb:Milestone`` only when it states at
      least a month ("16 juli", "Eind september"); "na de zomer" or "in 2021" are not dates.
      A date without a year is in the document's year, or the next one when its month lies
      before the document's month (the slides plan forward).

    Bullets that only introduce something else (text ending in ``:`` without sub-bullets, such as
    "Onderverdeling binnen dit segment:") are not items. Where the reader flattened sub-bullets
    to the parent's level (single-space indent), a ``Perceel …`` bullet followed by plain bullets
    is taken as a group label with those bullets as its sub-items.

Every fact cites the passage its text comes from (:class:`kb.extract.common.FactGraph`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import RDF, XSD, Literal, URIRef

from kb.extract.common import Cite, FactGraph, doc_iri, entity_iri, is_document_type
from kb.extract.documents import region_iri
from kb.extract.layouts import LayoutProfile, profile_for
from kb.extract.segments import designation_words
from kb.ingest.model import Block, Document, PlacedBlock, Section
from kb.ingest.passages import render_table_row, slugify
from kb.rdf.namespaces import KB
from kb.rdf.vocabulary import MONTH_PATTERN, Vocabulary, load_vocabulary, month_number

#: The document type (concept slug in ``documenttypen``) this extractor reads.
DOC_TYPE = "presentatie"
RUBRICS, INSTRUMENTS, FUNDING = "rubrieken", "inkoopinstrumenten", "bekostigingsvormen"

_MONTH_ALT = MONTH_PATTERN
#: A planning column: ``april``, ``sept``, ``Jan-21``, ``jan 2021``.
_MONTH_COLUMN_RE = re.compile(rf"^({_MONTH_ALT})\.?(?:[\s\-/']*(\d{{2}}|\d{{4}}))?$", re.I)
#: A numeric date: ``2/6``, ``15/12``, ``1/2/2021``, ``01-07-21``.
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\d/\-])(\d{1,2})[/\-](\d{1,2})(?:[/\-](\d{4}|\d{2}))?(?![\d/])"
)
#: A written date: ``16 juli``, ``15 juli 2020``.
_WRITTEN_DATE_RE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_ALT})\b\.?(?:\s+(\d{{4}}))?", re.I)
#: A month on its own: ``Eind september``, ``medio jan``, ``juni 2021``.
_MONTH_ONLY_RE = re.compile(rf"\b({_MONTH_ALT})\b\.?(?:\s+(\d{{4}}))?", re.I)
_BRACKETS_RE = re.compile(r"\(([^()]*)\)")

#: The slide roles that set the context inside a segment part, in the order of a part. Which
#: titles play them is layout data (``slide_titles`` of a profile, :mod:`kb.extract.layouts`).
_PART_SLIDES = ("inhoud", "keuzes", "vraagstukken", "proces")
#: Sub-titles under "Wat houdt het segment in?": rubric concept (slug in ``rubrieken``) → the kind
#: of item its bullets become here.
_CONTENT_RUBRICS: dict[str, str] = {
    "doelgroep": "doelgroep",
    "huidig-landschap": "landschap",
    "ontwikkelopgaven": "potentieel",
}
_NOT_AN_ITEM_RE = re.compile(r"^(enz|etc|e\.d|\.\.\.|…)\.?$", re.I)


@dataclass
class _Item:
    """A bullet (with its sub-bullets) or a paragraph: the unit that becomes one fact."""

    block: PlacedBlock
    subs: list[PlacedBlock] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(self.block.text.split())

    @property
    def sub_texts(self) -> list[str]:
        return [" ".join(b.text.split()) for b in self.subs]

    @property
    def full_text(self) -> str:
        """The parent's text with its sub-bullets, as ``kb:text`` wants it."""
        if not self.subs:
            return self.text
        sep = " " if self.text.endswith(":") else ": "
        return self.text + sep + "; ".join(self.sub_texts)

    @property
    def start(self) -> int:
        return self.block.start

    @property
    def end(self) -> int:
        return (self.subs[-1] if self.subs else self.block).end


@dataclass
class _Row:
    """One table row: its cells and its span in the document text."""

    cells: tuple[str, ...]
    start: int
    end: int


@dataclass
class _Part:
    """The slides of one segment, in order."""

    sections: list[Section] = field(default_factory=list)
    seen_choices: bool = False
    closed: bool = False


@dataclass
class _Counter:
    """Per-segment numbering of items by kind (``…/instrument-choice/noord-limburg/wonen/3``)."""

    counts: dict[str, int] = field(default_factory=dict)

    def next(self, kind: str) -> int:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return self.counts[kind]


# ---------------------------------------------------------------------------------------------
# entry point


def extract(docs: list[Document], facts: FactGraph) -> None:
    """Write region, decisions, planning milestones and segments of every slide deck."""
    for doc in docs:
        if not is_document_type(facts, doc, DOC_TYPE):
            continue
        _extract_deck(doc, facts)


def _extract_deck(doc: Document, facts: FactGraph) -> None:
    name = doc.path.name
    region = _add_region(doc, facts)
    if region is None:
        facts.warnings.append(f"slides {name}: no region in the source metadata; skipped")
        return
    region_slug = slugify(doc.meta.region)
    sections = sorted(doc.sections[1:], key=lambda s: s.start)  # [0] is the document root
    layout = profile_for(doc, facts.vocabulary)

    decisions = [s for s in sections if _titled(layout, "besluiten", s)]
    if decisions:
        _extract_decisions(doc, facts, decisions[0], region)
    else:
        facts.warnings.append(f"slides {name}: no slide 'Wat is tot nu toe besloten?'")

    if not _extract_planning(doc, facts, sections, region, layout):
        facts.warnings.append(f"slides {name}: no planning table with month columns found")

    names = _segment_names(doc, sections, facts.vocabulary, layout)
    parts = _segment_parts(sections, layout)
    if not names:
        facts.warnings.append(f"slides {name}: no segment list on a 'Programma' slide")
        return
    if len(parts) != len(names):
        facts.warnings.append(
            f"slides {name}: the Programma names {len(names)} segments "
            f"({', '.join(n.text for n in names)}) but {len(parts)} segment parts "
            "('Wat houdt het segment in?' … 'Proces en planning') were found; no segments written"
        )
        return
    for number, (name_item, part) in enumerate(zip(names, parts, strict=True), 1):
        _extract_segment(doc, facts, region, region_slug, number, name_item, part, layout)


def _add_region(doc: Document, facts: FactGraph) -> URIRef | None:
    if not doc.meta.region:
        return None
    region = region_iri(doc.meta.region)
    facts.add(region, RDF.type, KB.Region)
    facts.label(region, doc.meta.region)
    facts.add(doc_iri(doc.id), KB.aboutRegion, region)
    return region


# ---------------------------------------------------------------------------------------------
# structure helpers


def _norm(title: str) -> str:
    """A slide title for matching: lower case, no parentheses, no trailing ``:``/``?``."""
    title = _BRACKETS_RE.sub(" ", title.replace("\t", " ")).lower()
    return " ".join(title.split()).strip(" :?.!")


def _content_rubric(vocabulary: Vocabulary, title: str) -> str | None:
    """The kind of item a sub-title under "Wat houdt het segment in?" stands for, if any."""
    concept = vocabulary.match(RUBRICS, _norm(title))
    return _CONTENT_RUBRICS.get(concept.slug) if concept else None


def _instrument(vocabulary: Vocabulary, title: str) -> str | None:
    """The steering instrument (concept slug) a sub-title under "Gemaakte keuzes" names."""
    concept = vocabulary.match(INSTRUMENTS, _norm(title))
    return concept.slug if concept else None


def _names_target_group(vocabulary: Vocabulary, text: str) -> bool:
    """A bullet led by the target-group rubric: "Hoofddoelgroep: jeugdigen met …"."""
    lead, colon, _ = text.partition(":")
    if not colon or len(lead.split()) > 3:
        return False
    concept = vocabulary.match(RUBRICS, lead)
    return concept is not None and concept.slug == "doelgroep"


def _classify(layout: LayoutProfile, title: str) -> str | None:
    """The part slide (:data:`_PART_SLIDES`) a title is in this layout, if any."""
    norm = _norm(title)
    for role, regex in layout.slide_titles:
        if role in _PART_SLIDES and regex.match(norm):
            return role
    return None


def _titled(layout: LayoutProfile, role: str, section: Section) -> bool:
    """Whether a slide plays ``role`` ("programma", "besluiten", "planning") in this layout."""
    pattern = layout.slide_title(role)
    return pattern is not None and pattern.match(_norm(section.title)) is not None


def _own_blocks(doc: Document, section: Section) -> list[PlacedBlock]:
    """The blocks directly under a heading (not the heading itself, not sub-sections)."""
    return [b for b in doc.blocks_in(section.id, deep=False) if b.kind != "heading"]


def _items(blocks: list[PlacedBlock], vocabulary: Vocabulary) -> list[_Item]:
    """Bullets with their deeper bullets as sub-items, and paragraphs, in order."""
    items: list[_Item] = []
    for block in blocks:
        if block.kind == "list_item":
            parent = items[-1] if items and items[-1].block.kind == "list_item" else None
            if parent is not None and block.block.level > parent.block.block.level:
                parent.subs.append(block)
            else:
                items.append(_Item(block))
        elif block.kind == "paragraph" and "\t" not in block.text:
            items.append(_Item(block))
    return _regroup_flattened(items, vocabulary)


def _regroup_flattened(items: list[_Item], vocabulary: Vocabulary) -> list[_Item]:
    """Undo flattened nesting: ``Perceel lokaal`` + plain bullets at the same level → a group.

    The reader counts a single leading space as no indent, so the Ambulant slide's
    `` - Aanbieders selecteren …`` under ``- Perceel lokaal`` arrives at level 0. Only bullets
    that follow a group label (on the next lines, up to the next label) are regrouped, so lists
    without such a label are left alone.
    """
    out: list[_Item] = []
    group: _Item | None = None
    words = designation_words(vocabulary)
    for item in items:
        flat = item.block.kind == "list_item" and not item.subs
        # A group label is a designation word and one more ("Perceel lokaal").
        label = words.match(item.text.strip())
        if flat and label and len(item.text.strip()[label.end() :].split()) == 1:
            group = item
            out.append(item)
        elif (
            group is not None
            and flat
            and item.block.block.level == group.block.block.level
            and item.block.start - group.end < 8  # the next line, not a later list
        ):
            group.subs.append(item.block)
        else:
            group = None
            out.append(item)
    return out


def _is_lead_in(item: _Item) -> bool:
    """A bullet that only introduces what follows ("Onderverdeling binnen dit segment:")."""
    return item.text.endswith(":") and not item.subs


def _cite(doc: Document, start: int, end: int) -> Cite:
    """Cite a span, kept inside the passage where it starts (a quote never spans passages)."""
    passage = doc.passage_at(start)
    return Cite(doc, start, min(end, passage.end))


def _table_rows(doc: Document, block: PlacedBlock) -> list[_Row]:
    """Rows of a table block, or of a paragraph whose lines hold tab-separated cells."""
    rows: list[_Row] = []
    if block.kind == "table":
        pos = block.start
        for cells in block.block.rows:
            line = render_table_row(cells)
            rows.append(_Row(tuple(c.strip() for c in cells), pos, pos + len(line)))
            pos += len(line) + 1  # rows are separated by one newline in the document text
        return rows
    pos = block.start
    for line in block.text.split("\n"):
        rows.append(_Row(tuple(c.strip() for c in line.split("\t")), pos, pos + len(line)))
        pos += len(line) + 1
    return rows


def _is_tabular(block: PlacedBlock) -> bool:
    return block.kind == "table" or (block.kind == "paragraph" and "\t" in block.text)


# ---------------------------------------------------------------------------------------------
# decisions


def _extract_decisions(doc: Document, facts: FactGraph, section: Section, region: URIRef) -> None:
    items = [i for i in _items(_own_blocks(doc, section), facts.vocabulary) if not _is_lead_in(i)]
    if not items:
        facts.warnings.append(f"slides {doc.path.name}: the decisions slide has no bullets")
    for n, item in enumerate(items, 1):
        iri = entity_iri("decision", doc.id, str(n))
        facts.item(
            iri,
            KB.Decision,
            item.full_text,
            _cite(doc, item.start, item.end),
            ordinal=n,
            label=item.text.rstrip(":"),
            sub_items=item.sub_texts,
        )
        facts.add(iri, KB.aboutRegion, region)
        facts.add(iri, KB.inDocument, doc_iri(doc.id))


# ---------------------------------------------------------------------------------------------
# planning table


def _extract_planning(
    doc: Document,
    facts: FactGraph,
    sections: list[Section],
    region: URIRef,
    layout: LayoutProfile,
) -> bool:
    """Milestones from the first planning table; False when there is none."""
    doc_year = _doc_year(doc)
    for section in sections:
        if not _titled(layout, "planning", section):
            continue
        for block in doc.blocks_in(section.id, deep=True):
            if not _is_tabular(block):
                continue
            rows = _table_rows(doc, block)
            header_at = next(
                (i for i, r in enumerate(rows) if _month_columns(r.cells, doc_year)), None
            )
            if header_at is None:
                continue
            columns = _month_columns(rows[header_at].cells, doc_year)
            _planning_milestones(doc, facts, rows[header_at + 1 :], columns, region)
            return True
    return False


def _doc_year(doc: Document) -> int:
    if doc.meta.date:
        return doc.meta.date.year
    return doc.meta.year or date.today().year


def _month_columns(cells: tuple[str, ...], doc_year: int) -> dict[int, tuple[int, int]]:
    """Column index → (year, month) when at least three cells name months, else empty."""
    found: dict[int, tuple[int, int | None]] = {}
    for i, cell in enumerate(cells):
        match = _MONTH_COLUMN_RE.match(cell.strip())
        if match:
            year = match.group(2)
            found[i] = (_month(match.group(1)), _full_year(year) if year else None)
    if len(found) < 3:
        return {}
    columns: dict[int, tuple[int, int]] = {}
    last: tuple[int, int] | None = None
    for i in sorted(found):
        month, year = found[i]
        if year is None:
            # Plain month names run on from the column before; the first ones are the deck's year.
            year = doc_year if last is None else last[0] + (1 if month < last[1] else 0)
        columns[i] = (year, month)
        last = (year, month)
    return columns


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


@dataclass
class _CellDate:
    year: int
    month: int
    day: int | None


def _cell_dates(text: str, near: tuple[int, int]) -> list[_CellDate]:
    """Dates written in a planning cell (outside brackets), years resolved near the column."""
    dates: list[_CellDate] = []
    for m in _NUMERIC_DATE_RE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        year = _full_year(m.group(3)) if m.group(3) else _closest_year(month, near)
        dates.append(_CellDate(year, month, day))
    if not dates:
        for m in _MONTH_ONLY_RE.finditer(text):
            month = _month(m.group(1))
            year = int(m.group(2)) if m.group(2) else _closest_year(month, near)
            dates.append(_CellDate(year, month, None))
    return dates


def _closest_year(month: int, near: tuple[int, int]) -> int:
    """The year that puts ``month`` closest to the column's (year, month)."""
    year, col_month = near
    return min(
        (year - 1, year, year + 1), key=lambda y: abs((y * 12 + month) - (year * 12 + col_month))
    )


def _render_cell(cell: str) -> str:
    """``2/6 (1/6) gereed`` → ``2/6 gereed (vorige planning: 1/6)``."""
    previous = [p.strip() for p in _BRACKETS_RE.findall(cell) if p.strip() and p.strip() != ".."]
    main = " ".join(_BRACKETS_RE.sub(" ", cell).split())
    return f"{main} (vorige planning: {', '.join(previous)})" if previous else main


def _planning_milestones(
    doc: Document,
    facts: FactGraph,
    rows: list[_Row],
    columns: dict[int, tuple[int, int]],
    region: URIRef,
) -> None:
    n = 0
    for row in rows:
        label = " ".join(row.cells[0].split()) if row.cells else ""
        dated: list[tuple[str, list[_CellDate]]] = []
        for i, cell in enumerate(row.cells[1:], 1):
            if not cell.strip():
                continue
            dated.append((cell, _cell_dates(_BRACKETS_RE.sub(" ", cell), _column_at(columns, i))))
        with_dates = [(cell, ds) for cell, ds in dated if ds]
        if not label or not with_dates:
            continue  # the legend row "(..) vorige planning" and empty rows carry no date
        n += 1
        when = with_dates[-1][1][-1]
        text = f"{label}: " + "; ".join(_render_cell(cell) for cell, _ in dated)
        iri = entity_iri("milestone", doc.id, "planning", str(n))
        facts.item(iri, KB.Milestone, text, _cite(doc, row.start, row.end), ordinal=n, label=label)
        _add_date(facts, iri, when.year, when.month, when.day)
        facts.add(iri, KB.aboutRegion, region)
        facts.add(iri, KB.inDocument, doc_iri(doc.id))


def _column_at(columns: dict[int, tuple[int, int]], index: int) -> tuple[int, int]:
    """The (year, month) of a cell's column; a cell outside the month columns takes the nearest."""
    if index in columns:
        return columns[index]
    left = [k for k in columns if k < index]
    return columns[max(left)] if left else columns[min(columns)]


def _add_date(facts: FactGraph, iri: URIRef, year: int, month: int, day: int | None) -> None:
    facts.add(iri, KB.year, Literal(year, datatype=XSD.integer))
    facts.add(iri, KB.month, Literal(month, datatype=XSD.integer))
    if day is not None:
        facts.add(iri, KB.day, Literal(day, datatype=XSD.integer))


# ---------------------------------------------------------------------------------------------
# segments


def _segment_names(
    doc: Document, sections: list[Section], vocabulary: Vocabulary, layout: LayoutProfile
) -> list[_Item]:
    """The sub-bullets of "Per segment" on the Programma slide, in order."""
    programma = next((s for s in sections if _titled(layout, "programma", s)), None)
    if programma is None:
        return []
    bullets = [b for b in _own_blocks(doc, programma) if b.kind == "list_item"]
    for i, bullet in enumerate(bullets):
        if not designation_words(vocabulary).search(bullet.text):
            continue
        deeper = []
        for b in bullets[i + 1 :]:
            if b.block.level <= bullet.block.level:
                break
            deeper.append(b)
        # If the reader flattened the nesting, the rest of the list is the segment list.
        return [_Item(b) for b in (deeper or bullets[i + 1 :])]
    return []


def _segment_parts(sections: list[Section], layout: LayoutProfile) -> list[_Part]:
    """Cut the slides into segment parts (see the module docstring for the rule)."""
    parts: list[_Part] = []
    current: _Part | None = None
    for section in sections:
        slide = _classify(layout, section.title)
        if slide == "inhoud" and (current is None or current.closed or current.seen_choices):
            current = _Part()
            parts.append(current)
        if current is None or current.closed:
            continue
        current.sections.append(section)
        if slide == "keuzes":
            current.seen_choices = True
        elif slide == "proces":
            current.closed = True
    return parts


def _extract_segment(
    doc: Document,
    facts: FactGraph,
    region: URIRef,
    region_slug: str,
    number: int,
    name: _Item,
    part: _Part,
    layout: LayoutProfile,
) -> None:
    label = name.text
    slug = slugify(label)
    seg = entity_iri("segment", region_slug, slug)
    facts.add(seg, RDF.type, KB.Segment)
    facts.label(seg, label)
    facts.add(seg, KB.slug, Literal(slug))
    facts.add(seg, KB.segmentNumber, Literal(number, datatype=XSD.integer))
    facts.add(seg, KB.inPlan, doc_iri(doc.id))
    facts.add(seg, KB.ofRegion, region)
    facts.provenance(seg, _cite(doc, name.start, name.end))

    counter = _Counter()

    def add(kind: str, prop: URIRef, cls: URIRef, item: _Item, **extra: str) -> URIRef:
        n = counter.next(kind)
        iri = entity_iri(kind, region_slug, slug, str(n))
        facts.item(
            iri,
            cls,
            extra.get("text") or item.full_text,
            _cite(doc, item.start, item.end),
            ordinal=n,
            label=extra.get("label") or item.text.rstrip(":"),
            sub_items=item.sub_texts,
        )
        facts.add(seg, prop, iri)
        return iri

    slide: str | None = None
    for section in part.sections:
        blocks = _own_blocks(doc, section)
        kind = _classify(layout, section.title)
        if kind is not None:
            slide, rubric, topic = kind, kind, None
        elif slide == "inhoud" and "\t" in section.title:
            rubric, topic = "tabel", None
        elif slide == "inhoud" and (content := _content_rubric(facts.vocabulary, section.title)):
            rubric, topic = content, None
        elif slide == "keuzes" and (instrument := _instrument(facts.vocabulary, section.title)):
            rubric, topic = instrument, None
        elif slide in ("vraagstukken", "proces"):
            rubric, topic = slide, section.title
        else:
            facts.warnings.append(
                f"slides {doc.path.name}: segment {label!r}: slide title {section.title!r} "
                f"not understood under {slide!r}; skipped"
            )
            continue

        if rubric == "tabel" or (rubric == "inhoud" and any(_is_tabular(b) for b in blocks)):
            for text, row in _subsegment_rows(doc, section, blocks):
                add("landscape-item", KB.hasLandscapeItem, KB.LandscapeItem,
                    _Item(_row_block(row)), text=text, label=text)  # fmt: skip
        items = _items(blocks, facts.vocabulary)

        if rubric == "inhoud":
            for item in items:
                if _is_lead_in(item):
                    continue
                if _names_target_group(facts.vocabulary, item.text):
                    add("target-group", KB.hasTargetGroup, KB.TargetGroup, item)
                else:
                    add("landscape-item", KB.hasLandscapeItem, KB.LandscapeItem, item)
        elif rubric == "doelgroep":
            for item in items:
                add("target-group", KB.hasTargetGroup, KB.TargetGroup, item)
        elif rubric == "landschap":
            for item in items:
                add("landscape-item", KB.hasLandscapeItem, KB.LandscapeItem, item)
        elif rubric == "potentieel":
            for item in items:
                if not _is_lead_in(item):
                    add("development-potential", KB.hasDevelopmentPotential,
                        KB.DevelopmentPotential, item)  # fmt: skip
        elif rubric in ("bekostigingsmodel", "contractvorm", "leveranciersmanagement",
                        "toegangsmanagement"):  # fmt: skip
            for item in items:
                if _is_lead_in(item):
                    continue
                iri = add("instrument-choice", KB.hasInstrumentChoice, KB.InstrumentChoice, item)
                facts.add(iri, KB.instrument, facts.vocabulary.concept(INSTRUMENTS, rubric).iri)
                if rubric == "bekostigingsmodel":
                    for concept in facts.vocabulary.named(FUNDING, item.full_text):
                        facts.add(iri, KB.usesFundingConcept, concept.iri)
        elif rubric == "vraagstukken":
            questions = [i for i in items if not _NOT_AN_ITEM_RE.match(i.text)]
            if topic and topic.rstrip().endswith(":") and questions:
                # "Afspraken maken met de volgende partners:" + bullets = one open question.
                lead = " ".join(topic.split())
                subs = [q.full_text for q in questions]
                n = counter.next("research-question")
                iri = entity_iri("research-question", region_slug, slug, str(n))
                facts.item(
                    iri,
                    KB.ResearchQuestion,
                    f"{lead} " + "; ".join(subs),
                    _cite(doc, questions[0].start, questions[-1].end),
                    ordinal=n,
                    label=lead.rstrip(":"),
                    sub_items=subs,
                )
                facts.add(seg, KB.hasResearchQuestion, iri)
            else:
                for item in questions:
                    add("research-question", KB.hasResearchQuestion, KB.ResearchQuestion, item)
        elif rubric == "proces":
            for item in items:
                when = _stated_date(item.full_text, doc)
                if when is None:
                    continue  # no month stated: a process step, not a milestone
                iri = add("milestone", KB.hasMilestone, KB.Milestone, item)
                _add_date(facts, iri, *when)
        elif rubric == "keuzes" and items:
            facts.warnings.append(
                f"slides {doc.path.name}: segment {label!r}: bullets on a 'Gemaakte keuzes' slide "
                "without an instrument title; skipped"
            )


def _row_block(row: _Row) -> PlacedBlock:
    """A stand-in block for a table row, so rows cite like bullets."""
    return PlacedBlock(Block("paragraph", ""), row.start, row.end, "")


def _subsegment_rows(
    doc: Document, section: Section, blocks: list[PlacedBlock]
) -> list[tuple[str, _Row]]:
    """``category: sub-segment`` per row of a two-column table (the Dagbesteding table).

    Rows whose first cell is empty continue the category above. When the reader lost the empty
    first cell (it strips a line's leading tab), a one-cell row is such a continuation too.
    """
    out: list[tuple[str, _Row]] = []
    header_in_heading = "\t" in section.title
    for block in blocks:
        if not _is_tabular(block):
            continue
        rows = _table_rows(doc, block)
        if not header_in_heading:
            rows = rows[1:]  # the first row of the table is its header
        category = ""
        for row in rows:
            cells = list(row.cells)
            if len(cells) == 1:
                cells = ["", cells[0]]
            first, rest = cells[0], " ".join(c for c in cells[1:] if c)
            category = first or category
            if not rest:
                continue
            out.append((f"{category}: {rest}" if category else rest, row))
    return out


def _stated_date(text: str, doc: Document) -> tuple[int, int, int | None] | None:
    """(year, month, day) stated in a process bullet, or None when no month is named."""
    doc_year = _doc_year(doc)
    doc_month = doc.meta.date.month if doc.meta.date else 1
    written = _WRITTEN_DATE_RE.search(text)
    if written:
        day, month = int(written.group(1)), _month(written.group(2))
        year = int(written.group(3)) if written.group(3) else None
    else:
        only = _MONTH_ONLY_RE.search(text)
        if not only:
            return None
        day, month = None, _month(only.group(1))
        year = int(only.group(2)) if only.group(2) else None
    if year is None:
        year = doc_year + (1 if month < doc_month else 0)
    return year, month, day


def _month(word: str) -> int:
    """The number of a month word that :data:`MONTH_PATTERN` matched."""
    number = month_number(word)
    assert number is not None, word  # the pattern only matches month words
    return number


def funding_concepts(text: str, vocabulary: Vocabulary | None = None) -> list[str]:
    """Slugs of the funding forms (``bekostigingsvormen``) a funding choice names, in order of
    first mention (labels of the scheme; default vocabulary: the configured ontology)."""
    vocabulary = vocabulary or load_vocabulary()
    return [concept.slug for concept in vocabulary.named(FUNDING, text)]


__all__ = ["extract", "funding_concepts"]
