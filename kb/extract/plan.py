"""Segments and their rubric items from a purchasing plan (document type concept ``inkoopplan``).

A plan describes each segment in a section titled ``SEGMENT N: NAME`` whose sub-sections are the
rubrics: headings that name a concept of the ``rubrieken`` scheme (:mod:`kb.rdf.vocabulary`). The
blocks of a segment are walked in document order and every block belongs to the nearest preceding
rubric heading, so extra sub-sections ("Crisisdienst" under Huidig landschap, "Dagbehandeling" under
Inkoopdoelen) and a rubric that occurs twice stay in their rubric.

One fact per bullet or paragraph, with these rules:

* Sub-items. The conversion puts all bullets at one level (indentation is ignored: tab-prefixed
  layout cells arrive as indentation too), so nesting is inferred. A *lead-in* (a bullet or
  paragraph ending in ``:`` or in a dangling connective such as "door") takes the following
  bullets as ``kb:subItem``: if the first starts in lower case, while bullets start in lower case
  or the previous one ended in ``;``/``,``/"en"/"of"; if it starts in upper case and the lead-in
  ends in ``:``, up to the end of the bullet run. Sub-items are part of the parent's ``kb:text``.
* Group labels. A short paragraph (at most five words: "Crisisdienst:", "Algemene
  randvoorwaarden:", "Dagbesteding", "2020:") directly followed by bullets, and a non-rubric
  heading, head the items below them: the items stay separate and their ``kb:text`` starts with
  the label (a bare year is not repeated; in Planning it gives the milestones' year).
* Paragraphs without letters or digits (page-break remnants such as ".") are skipped.
* A quote never leaves its passage: a long item is cited up to the end of the passage it starts in.

Per rubric: ages and youth counts on target groups (the item that states "circa 300 jeugdigen" is
the segment-total target group and carries the count), contract durations, funding and purchasing
concepts by the labels of their schemes (``bekostigingsvormen``, ``inkoopmodellen``), stakeholders
as shared entities, milestone dates, related segments, and the development task each purchasing goal
serves (see :func:`_goal_tasks`). Tabel 1 and Tabel 2 of the plan give the legacy categories and the
care forms of each segment."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import takewhile

from rdflib import RDF, XSD, Literal, URIRef

from kb.extract.common import (
    Cite,
    FactGraph,
    cite_text,
    doc_iri,
    entity_iri,
    is_document_type,
)
from kb.extract.documents import region_iri
from kb.ingest.model import Document, PlacedBlock, Section
from kb.ingest.passages import render_table_row, slugify
from kb.rdf.namespaces import KB
from kb.rdf.vocabulary import MONTH_PATTERN, Vocabulary, month_number

#: The document type (concept slug in ``documenttypen``) this extractor reads.
DOC_TYPE = "inkoopplan"
#: Schemes whose labels this extractor matches.
RUBRICS, FUNDING, PURCHASING = "rubrieken", "bekostigingsvormen", "inkoopmodellen"
SEGMENT_RE = re.compile(r"^segment\s+(\d{1,2})\s*[:.\-–]\s*(\S.*)$", re.I)
#: Typos in segment headings, corrected in the label only (the quote stays verbatim).
LABEL_CORRECTIONS: dict[str, str] = {"DAGBEHANLING": "DAGBEHANDELING"}

#: rubric concept slug → (IRI kind, item class, segment → item property)
RUBRIC_ITEMS: dict[str, tuple[str, URIRef, URIRef]] = {
    "doelgroep": ("target-group", KB.TargetGroup, KB.hasTargetGroup),
    "huidig-landschap": ("landscape", KB.LandscapeItem, KB.hasLandscapeItem),
    "ontwikkelopgaven": ("development-task", KB.DevelopmentTask, KB.hasDevelopmentTask),
    "inkoopdoelen": ("purchasing-goal", KB.PurchasingGoal, KB.hasPurchasingGoal),
    "toegangsmanagement": ("access-management", KB.AccessManagementMeasure, KB.hasAccessManagement),
    "leveranciersmanagement":
        ("supplier-management", KB.SupplierManagementMeasure, KB.hasSupplierManagement),
    "contractvorm": ("contract-form", KB.ContractForm, KB.hasContractForm),
    "bekostigingsmodel": ("funding-model", KB.FundingModel, KB.hasFundingModel),
    "inkoopmodel": ("purchasing-model", KB.PurchasingModel, KB.hasPurchasingModel),
    "randvoorwaarden": ("precondition", KB.Precondition, KB.hasPrecondition),
    "stakeholders": ("stakeholder-mention", KB.StakeholderMention, KB.hasStakeholderMention),
    "onderzoeksvragen": ("research-question", KB.ResearchQuestion, KB.hasResearchQuestion),
    "planning": ("milestone", KB.Milestone, KB.hasMilestone),
    "raakvlak-andere-segmenten": ("segment-relation", KB.SegmentRelation, KB.hasSegmentRelation),
}  # fmt: skip


def _compile(pairs: dict[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((key, re.compile(pattern, re.I)) for key, pattern in pairs.items())


#: Raakvlak: a word in the "Name:" prefix → a pattern for the other segment's label. Matching by
#: name, not number: "Verblijf met behandeling" and "Behandeling met verblijf" are both segment 1.
SEGMENT_KEYWORDS = tuple((re.compile(key, re.I), regex) for key, regex in _compile({
    r"verblijf": r"verblijf",
    r"\bwonen\b": r"^wonen",
    r"dagbehandeling|dagbesteding|begeleiding": r"dagbehandeling|dagbesteding",
    r"ambula": r"^ambulant",
    r"onderwijs": r"onderwijs",
    r"crisis": r"crisis",
    r"veiligheid": r"veiligheid",
}))  # fmt: skip
ALL_OTHERS_RE = re.compile(r"\balle\s+(andere\s+)?segmenten\b", re.I)

_MONTH = MONTH_PATTERN
#: A date that opens a planning bullet: "Januari:", "Uiterlijk 1 juli:", "1 juli- 31 december
#: 2021:", "Voor 1 juli 2020 …". A range gives its start; its year may stand at its end only.
LEAD_DATE_RE = re.compile(
    rf"^(?:(?:uiterlijk|voor|vóór|vanaf|per|eind|begin|medio)\s+)?(?:(\d{{1,2}})\s+)?({_MONTH})\b"
    rf"(?:\s+(\d{{4}}))?(?:\s*[-–]\s*(?:\d{{1,2}}\s+)?(?:{_MONTH})\b(?:\s+(\d{{4}}))?)?\s*(?::|\s)",
    re.I,
)
YEAR_RE = re.compile(r"^((?:19|20)\d{2})\s*:?$")
AGE_RANGE_RE = re.compile(r"(\d{1,2})\s*(?:-|–|tot(?: en met)?)\s*(\d{1,2})(\+?)\s*jaar")
AGE_MAX_RE = re.compile(r"\b(?:tot(?: en met)?|jonger dan)\s+(\d{1,2})\s*jaar")
AGE_MIN_RE = re.compile(r"\bvanaf\s+(\d{1,2})\s*jaar")
COUNT_RE = re.compile(r"\b(\d{1,3}(?:\.\d{3})+|\d+)\s+jeugdigen\b")
DURATION_RES = (
    re.compile(r"minimaal\s+(\d+)\s+(?:jaar\s+)?(?:tot\s+)?max(?:imaal)?\.?\s+(\d+)\s*jaar", re.I),
    re.compile(r"(\d+(?:,\d+)?)\s*[-–]\s*(\d+(?:,\d+)?)\s*jaar", re.I),
    re.compile(r"\b(\d{1,2})\s*\+\s*(\d{1,2})(?:\s*\+\s*(\d{1,2}))?\b"),
    # A lone number of years only at the start or after a word for the contract or its duration.
    re.compile(
        r"(?:^\s*|(?:contract|overeenkomst|looptijd|duur)\D{0,40}?)\b([1-9]|1[0-5])\s+jaar\b", re.I
    ),
)
BULLET_RE = re.compile(r"^\s*[·•▶*–-]\s*")
#: Final words that leave a bullet open ("…doorstromen naar het segment Wonen, door").
LEAD_IN_WORDS = frozenset({
    "door", "namelijk", "zoals", "waaronder", "van", "met", "om", "dat", "zodat", "en", "of",
    "voor", "aan", "op", "bij", "tot", "te", "als", "die",
})  # fmt: skip
MAX_LABEL_WORDS = 5
#: Jaccard similarity from which an Inkoopdoelen paragraph repeats a development task. Measured on
#: this plan: headers score 0.44–1.0, goal paragraphs at most 0.12.
TASK_MATCH_THRESHOLD = 0.4
#: When Inkoopdoelen has no paragraphs, a bullet is a task header only if nearly verbatim.
BULLET_HEADER_THRESHOLD = 0.8

Entries = list[PlacedBlock | str]  # a rubric's blocks; a string is a sub-heading (group label)


@dataclass
class _Item:
    """A bullet with its sub-bullets, a paragraph or a line: the unit that becomes one fact."""

    text: str
    start: int
    end: int
    subs: list[str] = field(default_factory=list)
    group: str = ""
    kind: str = "list_item"  # or "paragraph", or "header" (an Inkoopdoelen task line)

    @property
    def full_text(self) -> str:
        """The text with its group label and sub-items, as ``kb:text`` wants it."""
        subs = [s if s[-1:] in ".:?!" or _continues(s) else s + ";" for s in self.subs[:-1]]
        body = " ".join(" ".join(p.split()) for p in [self.text, *subs, *self.subs[-1:]])
        return f"{self.group}: {body}" if self.group and not YEAR_RE.match(self.group) else body


@dataclass
class _Segment:
    number: int
    label: str
    slug: str
    iri: URIRef
    section: Section
    rubrics: dict[str, Entries] = field(default_factory=dict)


def extract(docs: list[Document], facts: FactGraph) -> None:
    """Write the segments, their rubric items and the care-form tables of every purchasing plan."""
    for doc in docs:
        if is_document_type(facts, doc, DOC_TYPE):
            _extract_plan(doc, facts)


def _extract_plan(doc: Document, facts: FactGraph) -> None:
    owner = doc.meta.region or doc.id
    region = region_iri(doc.meta.region) if doc.meta.region else None
    if region is not None:
        facts.add(region, RDF.type, KB.Region)
        facts.label(region, doc.meta.region)
    segments = [s for s in (_segment(sec, owner) for sec in doc.sections) if s]
    if not segments:
        facts.warnings.append(f"plan {doc.path.name}: no 'SEGMENT N: NAME' sections found")
    for seg in segments:
        facts.add(seg.iri, RDF.type, KB.Segment)
        facts.label(seg.iri, seg.label)
        facts.add(seg.iri, KB.segmentNumber, Literal(seg.number, datatype=XSD.integer))
        facts.add(seg.iri, KB.slug, Literal(seg.slug))
        facts.add(seg.iri, KB.inPlan, doc_iri(doc.id))
        facts.add(seg.iri, KB.ofRegion, region)
        # Headings lie outside passages, so the segment cites the first block below its heading.
        first = next((b for b in doc.blocks_in(seg.section.id) if b.kind != "heading"), None)
        if first is not None:
            facts.provenance(seg.iri, _cite(doc, first.start, first.end))
        _collect_rubrics(doc, seg, facts.vocabulary)
        if not seg.rubrics:
            facts.warnings.append(f"plan {doc.path.name}: segment {seg.number} has no rubrics")
        _write_items(doc, facts, seg, owner, segments)
    _extract_tables(doc, facts, owner, segments)


def _segment(section: Section, owner: str) -> _Segment | None:
    match = SEGMENT_RE.match(" ".join(section.title.split()))
    if not match:
        return None
    name = match.group(2).strip()
    for wrong, right in LABEL_CORRECTIONS.items():
        name = re.sub(rf"\b{wrong}\b", right, name)
    if name.isupper():  # a heading in capitals gets normal capitalisation
        name = name[0] + name[1:].lower()
    slug = slugify(name)
    return _Segment(int(match.group(1)), name, slug, entity_iri("segment", owner, slug), section)


def _cite(doc: Document, start: int, end: int) -> Cite:
    """Cite a span, kept inside the passage where it starts (a quote never spans passages)."""
    return Cite(doc, start, min(end, doc.passage_at(start).end))


# ---------------------------------------------------------------------------------------------
# blocks → items


def _collect_rubrics(doc: Document, seg: _Segment, vocabulary: Vocabulary) -> None:
    """Cut the segment's blocks into rubrics: every block belongs to the nearest preceding rubric
    heading; another heading inside a rubric becomes a group label (a string entry)."""
    current: str | None = None
    for block in doc.blocks_in(seg.section.id):
        if block.kind == "heading":
            rubric = vocabulary.match(RUBRICS, block.text)
            if rubric is not None and rubric.slug in RUBRIC_ITEMS:
                current = rubric.slug
                seg.rubrics.setdefault(current, []).append("")  # a rubric heading resets the label
            elif current is not None:
                seg.rubrics[current].append(block.text.strip().rstrip(":"))
        elif current is not None and block.kind in ("paragraph", "list_item"):
            seg.rubrics[current].append(block)


def _is_noise(block: PlacedBlock) -> bool:
    return not re.search(r"\w", block.text)


def _is_lead_in(text: str) -> bool:
    words = text.rstrip().split()
    return text.rstrip().endswith(":") or bool(words) and words[-1].lower() in LEAD_IN_WORDS


def _continues(text: str) -> bool:
    """An enumeration item that promises another one (ends in ';', ',', 'en' or 'of')."""
    return bool(re.search(r"([;,]|\s(en|of))\s*$", text))


def _is_label(entries: Entries, i: int) -> bool:
    """A short one-line paragraph directly followed by a bullet: a group label, not an item."""
    block, nxt = entries[i], entries[i + 1] if i + 1 < len(entries) else None
    return (
        isinstance(block, PlacedBlock)
        and block.kind == "paragraph"
        and "\n" not in block.text
        and len(block.text.split()) <= MAX_LABEL_WORDS
        and not block.text.rstrip().endswith((".", "?", "!", ";"))
        and isinstance(nxt, PlacedBlock)
        and nxt.kind == "list_item"
    )


def _items(entries: Entries, is_header: Callable[[PlacedBlock], bool] | None = None) -> list[_Item]:
    """Bullets (with sub-bullets under a lead-in) and paragraphs, with their group labels.

    ``is_header`` marks Inkoopdoelen lines that repeat a development task; they become items of
    kind "header" (checked first: "Dagbehandeling wordt flexibel ingezet" is not a group label).
    """
    items: list[_Item] = []
    group, i = "", 0
    while i < len(entries):
        entry, i = entries[i], i + 1
        if isinstance(entry, str):
            group = entry
        elif _is_noise(entry):
            continue
        elif is_header is not None and is_header(entry):
            items.append(_Item(entry.text, entry.start, entry.end, group=group, kind="header"))
        elif _is_label(entries, i - 1):
            group = entry.text.strip().rstrip(":").strip()
        else:
            run = [e for e in takewhile(_is_bullet, entries[i:]) if isinstance(e, PlacedBlock)]
            subs = _enumeration(entry, run)
            i += len(subs)
            end = subs[-1].end if subs else entry.end
            items.append(
                _Item(entry.text, entry.start, end, [b.text for b in subs], group, entry.kind)
            )
    return items


def _is_bullet(entry: PlacedBlock | str) -> bool:
    return isinstance(entry, PlacedBlock) and entry.kind == "list_item"


def _enumeration(head: PlacedBlock, followers: list[PlacedBlock]) -> list[PlacedBlock]:
    """The bullets that are sub-items of ``head`` (see the module docstring)."""
    if not followers or not _is_lead_in(head.text):
        return []
    if not followers[0].text[:1].islower():
        # Only a colon opens an upper-case enumeration: a final "aan" or "door" may be a verb
        # particle ("gemeenten kondigen wijzigingen aan").
        return followers if head.text.rstrip().endswith(":") else []
    subs = [followers[0]]
    for block in followers[1:]:
        if not (block.text[:1].islower() or _continues(subs[-1].text)):
            break
        subs.append(block)
    return subs


def _raakvlak_items(entries: Entries) -> list[_Item]:
    """One item per line that starts with a segment name ("Wonen: …"); other lines of the same
    block continue it (segment 4 puts three relations in one paragraph, one per line)."""
    items: list[_Item] = []
    for block in entries:
        if isinstance(block, str) or _is_noise(block):
            continue
        pos = block.start
        for line in block.text.split("\n"):
            named = bool(_segment_patterns(_prefix(line)))
            if items and not named and items[-1].end >= block.start:
                items[-1].text += "\n" + line
                items[-1].end = pos + len(line)
            else:
                items.append(_Item(line, pos, pos + len(line), kind=block.kind))
            pos += len(line) + 1
    return items


def _prefix(line: str) -> str:
    match = re.match(r"^([^:]{2,60}?)\s*:\s", line)
    return match.group(1) if match else ""


def _segment_patterns(text: str) -> list[re.Pattern[str]]:
    return [label for key, label in SEGMENT_KEYWORDS if text and key.search(text)]


# ---------------------------------------------------------------------------------------------
# items → facts


def _write_items(
    doc: Document, facts: FactGraph, seg: _Segment, owner: str, segments: list[_Segment]
) -> None:
    tasks: list[tuple[URIRef, _Item]] = []
    for key in sorted(seg.rubrics, key=lambda k: k != "ontwikkelopgaven"):  # tasks before goals
        kind, cls, prop = RUBRIC_ITEMS[key]
        entries = seg.rubrics[key]
        pairs: list[tuple[_Item, URIRef | None]]
        if key == "inkoopdoelen":
            pairs = _goal_tasks(_items(entries, _header_test(entries, tasks)), tasks)
        elif key == "raakvlak-andere-segmenten":
            pairs = [(item, None) for item in _raakvlak_items(entries)]
        else:
            pairs = [(item, None) for item in _items(entries)]
        for n, (item, task) in enumerate(pairs, 1):
            iri = entity_iri(kind, owner, seg.slug, str(n))
            cite = _cite(doc, item.start, item.end)
            facts.item(iri, cls, item.full_text, cite, ordinal=n, sub_items=item.subs)
            facts.add(seg.iri, prop, iri)
            if key == "ontwikkelopgaven":
                tasks.append((iri, item))
            elif key == "inkoopdoelen" and task is None:
                facts.warnings.append(f"plan {doc.path.name}: {iri} serves no development task")
            facts.add(iri, KB.servesTask, task)
            _enrich(key, facts, seg, iri, item, cite, segments)


def _enrich(
    key: str, facts: FactGraph, seg: _Segment, iri: URIRef, item: _Item, cite: Cite,
    segments: list[_Segment],
) -> None:  # fmt: skip
    """Rubric-specific properties of one item."""
    text = item.full_text
    if key == "doelgroep":
        min_age, max_age = age_range(item.text) or age_range(text) or (None, None)
        facts.add(iri, KB.minAge, _int(min_age))
        facts.add(iri, KB.maxAge, _int(max_age))
        if count := COUNT_RE.search(text):
            facts.add(iri, KB.numberOfYouths, _int(int(count.group(1).replace(".", ""))))
    elif key == "contractvorm" and (years := contract_duration(text)):
        facts.add(iri, KB.minDurationYears, Literal(years[0], datatype=XSD.decimal))
        facts.add(iri, KB.maxDurationYears, Literal(years[1], datatype=XSD.decimal))
    elif key == "bekostigingsmodel":
        for concept in facts.vocabulary.named(FUNDING, text):
            facts.add(iri, KB.usesFundingConcept, concept.iri)
    elif key == "inkoopmodel":
        for concept in facts.vocabulary.named(PURCHASING, text):
            facts.add(iri, KB.usesPurchasingConcept, concept.iri)
    elif key == "stakeholders":
        label = stakeholder_label(item.text)
        stakeholder = entity_iri("stakeholder", label)
        facts.add(stakeholder, RDF.type, KB.Stakeholder)
        facts.label(stakeholder, label)
        facts.derived_from(stakeholder, cite)
        facts.add(iri, KB.mentions, stakeholder)
        facts.add(seg.iri, KB.hasStakeholder, stakeholder)
    elif key == "planning":
        year, month, day = milestone_date(item.text, item.group)
        facts.add(iri, KB.year, _int(year))
        facts.add(iri, KB.month, _int(month))
        facts.add(iri, KB.day, _int(day))
    elif key == "raakvlak-andere-segmenten":
        for other in related_segments(item.text, seg, segments):
            facts.add(iri, KB.toSegment, other.iri)


def _int(value: int | None) -> Literal | None:
    return None if value is None else Literal(value, datatype=XSD.integer)


def age_range(text: str) -> tuple[int | None, int | None] | None:
    """``(min, max)`` age from "(0-8 jaar)", "12 tot 23 jaar", "tot 18 jaar", "vanaf 12 jaar".

    "13-19+ jaar" is open-ended: the ``+`` means "19 and older", so no maximum is stated.
    """
    if match := AGE_RANGE_RE.search(text):
        return int(match.group(1)), None if match.group(3) else int(match.group(2))
    if match := AGE_MAX_RE.search(text):
        return None, int(match.group(1))
    if match := AGE_MIN_RE.search(text):
        return int(match.group(1)), None
    return None


def contract_duration(text: str) -> tuple[Decimal, Decimal] | None:
    """``(min, max)`` contract years: "(7 -10 jaar)", "minimaal 2 tot max 4 jaar", "contract voor
    de duur van 4 jaar"; in "2+2" (or "3+2+2") the extensions add up to the maximum."""
    for regex in DURATION_RES:
        if match := regex.search(text):
            values = [Decimal(g.replace(",", ".")) for g in match.groups() if g]
            if "+" in match.group(0):
                return values[0], sum(values, Decimal(0))
            return values[0], values[-1]
    return None


def milestone_date(text: str, group: str) -> tuple[int | None, int | None, int | None]:
    """Year, month and day of a planning bullet; the year defaults to its "2021:" group line."""
    year_line = YEAR_RE.match(group)
    year = int(year_line.group(1)) if year_line else None
    match = LEAD_DATE_RE.match(" ".join(text.split()))
    if not match:
        return year, None, None
    day, month, year_here, year_end = match.groups()
    stated = year_here or year_end
    return (int(stated) if stated else year), month_number(month), int(day) if day else None


def stakeholder_label(text: str) -> str:
    """The name a stakeholder bullet gives: up to ':', a '(…)' remark or an 'om'/'in verband met'
    clause ("De verwijzers (waaronder …) om …" → "De verwijzers"), with a capital first letter.
    A parenthesis glued to the next word ("De (jeugdhulp)aanbieders") belongs to the name."""
    flat = " ".join(text.split())
    cut = re.search(r":|\s\((?![^()]*\)\w)|\s(om|in verband met)\s", flat)
    label = (flat[: cut.start()] if cut else flat).strip(" .,;:")
    return label[:1].upper() + label[1:]


def related_segments(text: str, seg: _Segment, segments: list[_Segment]) -> list[_Segment]:
    """The segments a Raakvlak item names: by its "Name:" prefix, or all others when it says
    "alle (andere) segmenten", or else by segment keywords anywhere in the text."""
    others = [s for s in segments if s is not seg]
    patterns = _segment_patterns(_prefix(text))
    if not patterns and ALL_OTHERS_RE.search(text):
        return others
    patterns = patterns or _segment_patterns(text)
    return [s for s in others if any(p.search(s.label) for p in patterns)]


# ---------------------------------------------------------------------------------------------
# purchasing goals → development tasks


def _similarity(header: str, task: str) -> float:
    """Jaccard similarity of lower-case word sets, against the whole task and each sentence of it
    (a header often repeats only the first sentence of a longer task); the best one counts."""
    a = set(re.findall(r"\w+", header.lower()))
    sentences = [task, *re.split(r"(?<=[.;!?])\s+", task)]
    sets = [set(re.findall(r"\w+", s.lower())) for s in sentences]
    return max((len(a & b) / len(a | b) for b in sets if a | b), default=0.0)


def _header_test(
    entries: Entries, tasks: list[tuple[URIRef, _Item]]
) -> Callable[[PlacedBlock], bool]:
    """Which Inkoopdoelen lines head the goals of a development task: a paragraph that repeats a
    task (≥ :data:`TASK_MATCH_THRESHOLD`), or, when the rubric has no paragraph at all (the
    conversion turned the header lines into bullets, as in segment 4), a nearly verbatim bullet."""
    blocks = [e for e in entries if isinstance(e, PlacedBlock) and not _is_noise(e)]
    bullets_only = all(b.kind == "list_item" for b in blocks)

    def is_header(block: PlacedBlock) -> bool:
        best = max((_similarity(block.text, t.text) for _, t in tasks), default=0.0)
        if block.kind == "paragraph":
            return best >= TASK_MATCH_THRESHOLD
        return bullets_only and best >= BULLET_HEADER_THRESHOLD

    return is_header


def _goal_tasks(
    items: list[_Item], tasks: list[tuple[URIRef, _Item]]
) -> list[tuple[_Item, URIRef | None]]:
    """Pair every goal with the task of the header line above it; goals before the first header
    serve no task. A header goes to its most similar task; equal scores (the same task text twice,
    "De overgang 18-/18+ verloopt soepel" under Dagbesteding and Dagbehandeling) go to the first
    task at or after the current one, since the headers follow the order of the tasks."""
    out: list[tuple[_Item, URIRef | None]] = []
    current: int | None = None
    for item in items:
        if item.kind != "header":
            out.append((item, tasks[current][0] if current is not None else None))
            continue
        scores = [_similarity(item.text, task.text) for _, task in tasks]
        tied = [i for i, s in enumerate(scores) if max(scores) - s < 1e-9]
        current = next((i for i in tied if i >= (current or 0)), tied[0])
    return out


# ---------------------------------------------------------------------------------------------
# Tabel 1 (legacy categories) and Tabel 2 (care forms per segment)


def _captioned_rows(doc: Document, caption: str) -> list[tuple[tuple[str, ...], int, int]]:
    """``(cells, start, end)`` of the rows after a caption row ("Tabel 2 …") up to the next
    caption or the end of its table; the spans are those of the rendered rows in the text."""
    for block in (b for b in doc.blocks if b.kind == "table"):
        rows, pos = [], block.start
        for cells in block.block.rows:
            line = render_table_row(cells)
            rows.append((tuple(c.strip() for c in cells), pos, pos + len(line)))
            pos += len(line) + 1  # rows are separated by one newline
        starts = [i for i, r in enumerate(rows) if r[0][0].lower().startswith(caption.lower())]
        if starts:
            body = rows[starts[0] + 1 :]
            ends = [i for i, r in enumerate(body) if re.match(r"tabel\s+\d", r[0][0], re.I)]
            return body[: ends[0]] if ends else body
    return []


Category = tuple[str, Cite, list[tuple[str, Cite]]]  # row label, its cite, [(care form, cite)]


def _table_categories(doc: Document, caption: str) -> list[Category]:
    """(row label, its cite, [(bulleted care form, its cite)]) per row of a captioned table.

    A row whose first cell starts with a bullet continues the row above (a page break split
    "Segment 7 Veiligheid" from its bullets).
    """
    out: list[Category] = []
    for cells, start, end in _captioned_rows(doc, caption):
        continued = bool(out) and bool(BULLET_RE.match(cells[0]))
        lines = [ln for cell in (cells if continued else cells[1:]) for ln in cell.split("\n")]
        forms = [BULLET_RE.sub("", ln).strip() for ln in lines if ln.strip()]
        cited = [(f, cite_text(doc, f, within=(start, end))) for f in forms]
        if continued:
            out[-1][2].extend(cited)
        elif cells[0]:
            out.append((cells[0], cite_text(doc, cells[0], within=(start, end)), cited))
    return out


def _extract_tables(doc: Document, facts: FactGraph, owner: str, segments: list[_Segment]) -> None:
    """Tabel 2: the care forms of each segment; Tabel 1: the legacy categories and their forms."""
    by_number = {s.number: s for s in segments}
    new, old = _table_categories(doc, "Tabel 2"), _table_categories(doc, "Tabel 1")
    if not new or not old:
        facts.warnings.append(f"plan {doc.path.name}: table 'Tabel 1' or 'Tabel 2' not found")
    for label, _, forms in new:
        match = re.match(r"segment\s+(\d+)", label, re.I)
        seg = by_number.get(int(match.group(1))) if match else None
        if seg is None:
            facts.warnings.append(f"plan {doc.path.name}: Tabel 2 row {label!r} names no segment")
            continue
        for n, (form, cite) in enumerate(forms, 1):
            iri = entity_iri("care-form", owner, seg.slug, form)
            facts.item(iri, KB.CareForm, form, cite, ordinal=n, label=form)
            facts.add(seg.iri, KB.hasCareForm, iri)
    for n, (label, cite, forms) in enumerate(old, 1):
        category = entity_iri("legacy-category", owner, label)
        facts.item(category, KB.LegacyCategory, label, cite, ordinal=n, label=label)
        for m, (form, form_cite) in enumerate(forms, 1):
            iri = entity_iri("legacy-care-form", owner, label, form)
            facts.item(iri, KB.CareForm, form, form_cite, ordinal=m, label=form)
            facts.add(category, KB.hasCareForm, iri)
