"""Segments and their rubric items, from the structure of any document.

A document describes a segment (perceel, deelopdracht, lot…) in a section whose heading
designates it ("SEGMENT 1: WONEN", "3.2 Perceel B – Verblijf", "Deelopdracht 2: …"; the words come
from the scheme ``segmentaanduidingen``, see :mod:`kb.extract.segments`), whose sub-sections are the
rubrics: headings that name a concept of the ``rubrieken`` scheme (:mod:`kb.rdf.vocabulary`). The
blocks of a segment are walked in document order and every block belongs to the nearest preceding
rubric heading, so extra sub-sections ("Crisisdienst" under Huidig landschap, "Dagbehandeling" under
Inkoopdoelen) and a rubric that occurs twice stay in their rubric.

Segments a document only names (a list item "Perceel 1: Jeugdhulp met verblijf", an enumeration
"verdeeld over vier percelen: 1. …, 2. …", a table-of-contents entry) become segments without
rubrics, cited on the line that names them, unless a section of the same document describes a
segment of that name. The rules one layout needs (a heading typo, the captions of its care-form
tables, the short names its Raakvlak items use) are data: :mod:`kb.extract.layouts`.

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
serves (see :func:`_goal_tasks`). Where a layout profile names them, captioned tables give the
legacy categories and the care forms of each segment."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import takewhile

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kb.extract.common import (
    Cite,
    FactGraph,
    cite_text,
    doc_iri,
    entity_iri,
    is_document_type,
)
from kb.extract.documents import region_iri
from kb.extract.layouts import LayoutProfile, default_profile, profile_for
from kb.extract.segments import (
    MAX_NAME_WORDS,
    announces_joint_purchase,
    closing_cue,
    designation,
    enumerated_parts,
    enumeration_cues,
    is_designation_word,
    same_part,
    unnumbered_designation,
)
from kb.ingest.model import Document, PlacedBlock, Section
from kb.ingest.passages import render_table_row, slugify
from kb.ingest.text import TOC_LINE_RE
from kb.rdf.namespaces import KB
from kb.rdf.vocabulary import MONTH_PATTERN, Vocabulary, fold, month_number

#: The document type (concept slug in ``documenttypen``) that must describe segments: a plan
#: without any gets a warning. Segments are read from every document.
DOC_TYPE = "inkoopplan"
#: Schemes whose labels this extractor matches.
RUBRICS, FUNDING, PURCHASING = "rubrieken", "bekostigingsvormen", "inkoopmodellen"

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


#: A word of a segment's label names the segment from this many letters on (shorter words such
#: as "met" or "en" name nothing).
MIN_NAME_WORD = 5
#: A capitalised word right after a lower-case word: a name in mid-sentence.
MID_SENTENCE_NAME_RE = re.compile(r"(?<=[a-zà-ÿ] )[A-Z][\w-]+")
ALL_OTHERS_RE = re.compile(r"\balle\s+(andere\s+)?segmenten\b", re.I)

_MONTH = MONTH_PATTERN
#: A date that opens a planning bullet: "Januari:", "Uiterlijk 1 juli:", "1 juli- 31 december
#: 2021:", "Voor 1 juli 2020 …". A range gives its start; its year may stand at its end only.
LEAD_DATE_RE = re.compile(
    rf"^(?:(?:uiterlijk|voor|vóór|vanaf|per|eind|begin|medio)\s+)?(?:(\d{{1,2}})\s+)?({_MONTH})\b"
    rf"(?:\s+(\d{{4}}))?(?:\s*[-–]\s*(?:(\d{{1,2}})\s+)?({_MONTH})\b(?:\s+(\d{{4}}))?)?\s*(?::|\s)",
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
    profile: LayoutProfile | None = None


def extract(docs: list[Document], facts: FactGraph) -> None:
    """Write the segments of every document: with their rubric items where a section describes
    them, as named parts where a line or an enumeration only names them."""
    for doc in docs:
        profile = profile_for(doc, facts.vocabulary)
        owner = doc.meta.region or doc.id
        found = (_segment(sec, owner, facts.vocabulary, profile) for sec in doc.sections)
        described = [s for s in found if s]
        is_plan = is_document_type(facts, doc, DOC_TYPE)
        if described or is_plan:
            _extract_plan(doc, facts, described, profile, warn=is_plan)
        _extract_named(doc, facts, described)
    merge_stakeholder_variants(facts)


def _extract_plan(
    doc: Document,
    facts: FactGraph,
    segments: list[_Segment],
    profile: LayoutProfile,
    *,
    warn: bool,
) -> None:
    owner = doc.meta.region or doc.id
    region = region_iri(doc.meta.region) if doc.meta.region else None
    if region is not None:
        facts.add(region, RDF.type, KB.Region)
        facts.label(region, doc.meta.region)
    if not segments and warn:
        facts.warnings.append(f"plan {doc.path.name}: no sections that describe a segment found")
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
    if profile.care_form_tables:
        _extract_tables(doc, facts, owner, segments, profile.care_form_tables)


def _segment(
    section: Section, owner: str, vocabulary: Vocabulary, profile: LayoutProfile
) -> _Segment | None:
    title = " ".join(section.title.split())
    for wrong, right in profile.label_corrections.items():
        title = re.sub(rf"\b{re.escape(wrong)}\b", right, title)
    found = designation(title, vocabulary)
    if found is None or found.number is None:
        return None
    name = found.label
    slug = slugify(name)
    iri = entity_iri("segment", owner, slug)
    return _Segment(found.number, name, slug, iri, section, profile=profile)


# ---------------------------------------------------------------------------------------------
# segments a document only names


@dataclass
class _Named:
    """A segment a line, an enumeration or a contents entry names: label, number, cited span."""

    label: str
    number: int | None
    start: int
    end: int


def _extract_named(doc: Document, facts: FactGraph, described: list[_Segment]) -> None:
    """Segments named by list items, one-line paragraphs, enumerations after a cue and contents
    entries; a name a described segment (or an earlier name) already has is skipped."""
    found: list[_Named] = []
    for named in _named_segments(doc, facts.vocabulary):
        known = [s.label for s in described] + [n.label for n in found]
        if not any(same_part(named.label, k) for k in known):
            found.append(named)
    for n, named in enumerate(found, 1):
        iri = entity_iri("segment", doc.id, slugify(named.label))
        facts.add(iri, RDF.type, KB.Segment)
        facts.label(iri, named.label)
        facts.add(iri, KB.segmentNumber, _int(named.number if named.number is not None else n))
        facts.add(iri, KB.slug, Literal(slugify(named.label)))
        facts.add(iri, KB.inPlan, doc_iri(doc.id))
        if doc.meta.region:
            facts.add(iri, KB.ofRegion, region_iri(doc.meta.region))
        facts.provenance(iri, _cite(doc, named.start, named.end))


def _named_segments(doc: Document, vocabulary: Vocabulary) -> list[_Named]:
    out: list[_Named] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.kind == "toc":
            out.extend(_toc_segments(block, vocabulary))
            continue
        if block.kind == "table":
            out.extend(_table_segments(doc, block, vocabulary))
            continue
        if block.kind == "heading":
            out.extend(_heading_segments(doc, i, vocabulary))
            announces, count = closing_cue(block.text, vocabulary)
            if announces or announces_joint_purchase(block.text, vocabulary):
                # A reader took the cue above a list for a heading.
                out.extend(_list_parts(blocks, i + 1, count, vocabulary))
            continue
        if block.kind not in ("paragraph", "list_item"):
            continue
        if block.kind == "list_item" or "\n" not in block.text:
            found = designation(block.text, vocabulary)
            if found is not None:
                out.append(_Named(found.label, found.number, block.start, block.end))
                continue
        else:
            # A paragraph of short lines ("Deelopdracht 1: …" under each other in plain text):
            # every line that designates a part is one.
            lines = _line_segments(block, vocabulary)
            if lines:
                out.extend(lines)
                continue
        for count, at in enumeration_cues(block.text, vocabulary):
            parts = enumerated_parts(block.text, at, count)
            if parts:
                out.extend(
                    _Named(p.name, p.number or k, block.start + p.start, block.start + p.end)
                    for k, p in enumerate(parts, 1)
                )
        announces, count = closing_cue(block.text, vocabulary)
        if announces or announces_joint_purchase(block.text, vocabulary):
            # The cue ends its paragraph ("verdeeld over vier percelen:", "in de volgende
            # segmenten:", "kopen gezamenlijk in:"): the list items below are the parts.
            out.extend(_list_parts(blocks, i + 1, count, vocabulary))
    return out


#: A list item names a part in a few words; a longer item is prose about the parts.
MAX_LIST_NAME_WORDS = 8
#: The number a list item may keep in its text ("1. Ambulante hulp", "b) Verblijf").
_ITEM_NUMBER_RE = re.compile(r"\s*(\d{1,2}|[a-z])[.)]\s+")


def _list_parts(
    blocks: list[PlacedBlock], first: int, count: int | None, vocabulary: Vocabulary
) -> list[_Named]:
    """The list items from ``blocks[first]`` on as parts: two or more, as many as ``count``
    when one is stated; a designated item is taken as a line (see :func:`_named_segments`)."""
    items = list(takewhile(lambda b: b.kind == "list_item", blocks[first:]))
    if len(items) < 2 or count is not None and len(items) != count:
        return []
    out = []
    for n, item in enumerate(items, 1):
        if designation(item.text, vocabulary) is not None:
            continue
        marker = _ITEM_NUMBER_RE.match(item.text)
        lead = marker.end() if marker else len(item.text) - len(item.text.lstrip())
        name = item.text[lead:].rstrip().rstrip(".;,").strip()
        # The name ends where an explanation starts: "Ambulante jeugdhulp: hulp thuis",
        # "jeugdhulp met verblijf, waaronder pleegzorg".
        name = re.split(r"[:;,]", name, maxsplit=1)[0].strip()
        if not name or len(name.split()) > MAX_LIST_NAME_WORDS:
            return []  # prose, not a list of names
        number = int(marker.group(1)) if marker and marker.group(1).isdigit() else n
        out.append(_Named(name, number, item.start + lead, item.start + lead + len(name)))
    return out


def _heading_segments(doc: Document, i: int, vocabulary: Vocabulary) -> list[_Named]:
    """A heading that designates a part by name only ("Perceel Jeugd-GGZ"; a numbered one
    describes a section, see :func:`_segment`), or a designation word as a heading ("Percelen")
    over a list of the parts' names."""
    heading = doc.blocks[i]
    if is_designation_word(heading.text, vocabulary):
        return _list_parts(doc.blocks, i + 1, None, vocabulary)
    found = unnumbered_designation(heading.text, vocabulary)
    below = next((b for b in doc.blocks[i + 1 :] if b.kind != "heading"), None)
    if found is None or below is None:
        return []
    # Headings lie outside passages: the part cites the first block below its heading.
    return [_Named(found.label, None, below.start, below.end)]


def _line_segments(block: PlacedBlock, vocabulary: Vocabulary) -> list[_Named]:
    out, pos = [], block.start
    for line in block.text.split("\n"):
        found = designation(line, vocabulary)
        if found is not None and found.number is not None:
            lead = len(line) - len(line.lstrip())
            out.append(_Named(found.label, found.number, pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def _table_segments(doc: Document, block: PlacedBlock, vocabulary: Vocabulary) -> list[_Named]:
    """Rows whose first cell designates a part ("Perceel 2" | "Jeugdhulp met verblijf" | …):
    the part's name is the cell's own name or else the next cell's, when that is short. Each
    is cited on its name's cell in the row as the document text renders it."""
    rows = block.block.rows or tuple(tuple(r.split("\t")) for r in block.text.split("\n"))
    out: list[_Named] = []
    # A table that opens the document is placed with an empty span: search from the start.
    pos = block.start if block.start < block.end else 0
    for row in rows:
        rendered = render_table_row(row)
        at = doc.text.find(rendered, pos)
        if at < 0:
            continue
        pos = at + len(rendered)
        found = designation(row[0], vocabulary) if row else None
        if found is None or found.number is None:
            continue
        name, cell = found.label, row[0]
        nxt = " ".join(row[1].split()) if len(row) > 1 else ""
        if not found.name and nxt and len(nxt.split()) <= MAX_NAME_WORDS:
            name, cell = nxt.rstrip("."), nxt
        start = doc.text.find(cell.strip(), at, pos)
        if start >= 0:
            out.append(_Named(name, found.number, start, start + len(cell.strip())))
    return out


def _toc_segments(block: PlacedBlock, vocabulary: Vocabulary) -> list[_Named]:
    """Contents entries that designate a segment, dot leader and page number stripped."""
    out: list[_Named] = []
    pos = block.start
    for line in block.text.split("\n"):
        match = TOC_LINE_RE.match(line)
        found = designation(match.group("label"), vocabulary) if match else None
        if match and found is not None:
            start = pos + match.start("label")
            out.append(_Named(found.label, found.number, start, pos + match.end("label")))
        pos += len(line) + 1
    return out


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


def _raakvlak_items(entries: Entries, namer: _SegmentNamer) -> list[_Item]:
    """One item per line that starts with a segment name ("Wonen: …"); other lines of the same
    block continue it (segment 4 puts three relations in one paragraph, one per line)."""
    items: list[_Item] = []
    for block in entries:
        if isinstance(block, str) or _is_noise(block):
            continue
        pos = block.start
        for line in block.text.split("\n"):
            named = bool(namer.named(_prefix(line)))
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


class _SegmentNamer:
    """Which segments a short text names. With the layout profile's keywords (a word of the text
    → a pattern for the label), else by the words of the segments' own labels: a word of at least
    :data:`MIN_NAME_WORD` letters that no other segment's label has ("verblijf", "ambulante")."""

    def __init__(self, profile: LayoutProfile, segments: list[_Segment]) -> None:
        self.keywords = profile.related_segment_keywords
        self.segments = segments
        stems = {id(s): _stems(s.label) for s in segments}
        self.words = {
            id(s): stems[id(s)] - {w for o in segments if o is not s for w in stems[id(o)]}
            for s in segments
        }

    def named(self, text: str) -> list[_Segment]:
        if not text:
            return []
        if self.keywords:
            patterns = [label for key, label in self.keywords if key.search(text)]
            return [s for s in self.segments if any(p.search(s.label) for p in patterns)]
        stems = _stems(text)
        return [s for s in self.segments if self.words[id(s)] & stems]


def _stems(text: str) -> set[str]:
    """Word stems (the first six letters, folded) of the words that can name a segment."""
    words = re.findall(r"[^\W\d_]+", fold(text))
    return {w[:6] for w in words if len(w) >= MIN_NAME_WORD}


# ---------------------------------------------------------------------------------------------
# items → facts


def _write_items(
    doc: Document, facts: FactGraph, seg: _Segment, owner: str, segments: list[_Segment]
) -> None:
    tasks: list[tuple[URIRef, _Item]] = []
    namer = _SegmentNamer(seg.profile or default_profile(), segments)
    for key in sorted(seg.rubrics, key=lambda k: k != "ontwikkelopgaven"):  # tasks before goals
        kind, cls, prop = RUBRIC_ITEMS[key]
        entries = seg.rubrics[key]
        pairs: list[tuple[_Item, URIRef | None]]
        if key == "inkoopdoelen":
            pairs = _goal_tasks(_items(entries, _header_test(entries, tasks, seg.profile)), tasks)
        elif key == "raakvlak-andere-segmenten":
            pairs = [(item, None) for item in _raakvlak_items(entries, namer)]
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
            _enrich(key, facts, seg, iri, item, cite, segments, namer)


def _enrich(
    key: str, facts: FactGraph, seg: _Segment, iri: URIRef, item: _Item, cite: Cite,
    segments: list[_Segment], namer: _SegmentNamer,
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
        if end := milestone_end(item.text, item.group):
            facts.add(iri, KB.endYear, _int(end[0]))
            facts.add(iri, KB.endMonth, _int(end[1]))
            facts.add(iri, KB.endDay, _int(end[2]))
    elif key == "raakvlak-andere-segmenten":
        for other in related_segments(item.text, seg, segments, namer):
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
    day, month, year_here, _, _, year_end = match.groups()
    stated = year_here or year_end
    return (int(stated) if stated else year), month_number(month), int(day) if day else None


def milestone_end(text: str, group: str) -> tuple[int, int, int | None] | None:
    """Year, month and day (None for a whole month) on which a planning bullet's period ends,
    for a period written as one ("1 juli- 31 december 2021: …", "juli - september: …"); None
    for a single date or month. The end's year is the one stated after it, or the start's."""
    match = LEAD_DATE_RE.match(" ".join(text.split()))
    if not match or not match.group(5):
        return None
    start_year, _, _ = milestone_date(text, group)
    end_year = int(match.group(6)) if match.group(6) else start_year
    end_month = month_number(match.group(5))
    if end_year is None or end_month is None:
        return None
    return end_year, end_month, int(match.group(4)) if match.group(4) else None


def stakeholder_label(text: str) -> str:
    """The name a stakeholder bullet gives: up to ':', a '(…)' remark or an 'om'/'in verband met'
    clause ("De verwijzers (waaronder …) om …" → "De verwijzers"), with a capital first letter.
    A parenthesis glued to the next word ("De (jeugdhulp)aanbieders") belongs to the name."""
    flat = " ".join(text.split())
    cut = re.search(r":|\s\((?![^()]*\)\w)|\s(om|in verband met)\s", flat)
    label = (flat[: cut.start()] if cut else flat).strip(" .,;:")
    return label[:1].upper() + label[1:]


def stakeholder_key(label: str) -> str:
    """The name of a stakeholder without what varies between its mentions: case, accents, a
    leading article and a possessive or plural ``'s`` ("De GI’s" → "gi")."""
    words = fold(label).replace("’", "'").split()
    if words and words[0] in ("de", "het", "een"):
        words = words[1:]
    return " ".join(re.sub(r"'s$", "", w) for w in words)


def merge_stakeholder_variants(facts: FactGraph) -> None:
    """One stakeholder per name, with its other wordings as ``skos:altLabel``.

    Variants are wordings with the same :func:`stakeholder_key`, or a plural in "-en" or "-s" of
    another stakeholder's key ("Gemeentelijke toegangen"); the shortest label is kept. A mention
    that joins known stakeholders with "en" ("Gemeentelijke toegang en GI") is a mention of each
    of them, not a stakeholder of its own; a conjunction of names not known apart ("Ouders en
    jeugdigen") stays one stakeholder."""
    g = facts.graph
    nodes = {s: str(g.value(s, RDFS.label)) for s in g.subjects(RDF.type, KB.Stakeholder)}
    if not nodes:
        return
    by_key: dict[str, list[URIRef]] = {}
    for node, label in nodes.items():
        by_key.setdefault(stakeholder_key(label), []).append(node)  # type: ignore[arg-type]
    canonical: dict[str, str] = {}
    for key in sorted(by_key, key=len):
        for ending in ("en", "s"):
            if key.endswith(ending) and key[: -len(ending)] in by_key:
                canonical[key] = canonical.get(key[: -len(ending)], key[: -len(ending)])
                break
        canonical.setdefault(key, key)
    groups: dict[str, list[URIRef]] = {}
    for key, members in by_key.items():
        groups.setdefault(canonical[key], []).extend(members)
    keep = {
        key: min(members, key=lambda n: (len(nodes[n]), nodes[n]))
        for key, members in groups.items()
    }
    for key, members in groups.items():
        for node in members:
            if node != keep[key]:
                _redirect(g, node, [keep[key]], alt_label=nodes[node])
    for node in list(keep.values()):
        parts = [stakeholder_key(p) for p in re.split(r",\s*|\s+en\s+", nodes[node])]
        targets = [keep[canonical.get(p, p)] for p in parts if canonical.get(p, p) in keep]
        if len(parts) > 1 and len(targets) == len(parts) and node not in targets:
            _redirect(g, node, targets, alt_label=None)


def _redirect(g: Graph, node: URIRef, targets: list[URIRef], *, alt_label: str | None) -> None:
    """Point every link to ``node`` at ``targets`` and drop ``node``; its label becomes an
    altLabel of the (single) target, and its provenance is kept there."""
    for s, p, _ in list(g.triples((None, None, node))):
        g.remove((s, p, node))
        for target in targets:
            g.add((s, p, target))
    for _, p, o in list(g.triples((node, None, None))):
        g.remove((node, p, o))
        if alt_label is not None and p == PROV.wasDerivedFrom:
            g.add((targets[0], p, o))
    if alt_label is not None and str(g.value(targets[0], RDFS.label)) != alt_label:
        g.add((targets[0], SKOS.altLabel, Literal(alt_label, lang="nl")))


def related_segments(
    text: str, seg: _Segment, segments: list[_Segment], namer: _SegmentNamer | None = None
) -> list[_Segment]:
    """The segments a Raakvlak item names: by its "Name:" prefix, or all others when it says
    "alle (andere) segmenten", or else by segment names anywhere in the text. A segment named with
    a capital in mid-sentence ("… in woonvoorzieningen Dagbehandeling – dagbesteding afbouwen …")
    is a second relation on the same line and is linked too."""
    namer = namer or _SegmentNamer(seg.profile or default_profile(), segments)
    others = [s for s in segments if s is not seg]
    named = namer.named(_prefix(text))
    if not named and ALL_OTHERS_RE.search(text):
        return others
    named = named or namer.named(text)
    for word in MID_SENTENCE_NAME_RE.findall(text):
        named += [s for s in namer.named(word) if s not in named]
    return [s for s in others if s in named]


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
    entries: Entries, tasks: list[tuple[URIRef, _Item]], profile: LayoutProfile | None = None
) -> Callable[[PlacedBlock], bool]:
    """Which Inkoopdoelen lines head the goals of a development task: a paragraph that repeats a
    task (≥ the profile's ``goal_header_similarity``), or, when the rubric has no paragraph at
    all (the conversion turned the header lines into bullets, as in segment 4), a nearly verbatim
    bullet (≥ ``goal_header_bullet_similarity``)."""
    blocks = [e for e in entries if isinstance(e, PlacedBlock) and not _is_noise(e)]
    bullets_only = all(b.kind == "list_item" for b in blocks)
    rules = profile or default_profile()

    def is_header(block: PlacedBlock) -> bool:
        best = max((_similarity(block.text, t.text) for _, t in tasks), default=0.0)
        if block.kind == "paragraph":
            return best >= rules.goal_header_similarity
        return bullets_only and best >= rules.goal_header_bullet_similarity

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


def _extract_tables(
    doc: Document,
    facts: FactGraph,
    owner: str,
    segments: list[_Segment],
    captions: dict[str, str],
) -> None:
    """The care forms of each segment and the legacy categories with their forms, from the
    tables the layout profile captions (``per_segment``, ``legacy_categories``)."""
    by_number = {s.number: s for s in segments}
    per_segment, legacy = captions.get("per_segment", ""), captions.get("legacy_categories", "")
    new = _table_categories(doc, per_segment) if per_segment else []
    old = _table_categories(doc, legacy) if legacy else []
    if per_segment and not new or legacy and not old:
        facts.warnings.append(
            f"plan {doc.path.name}: table {per_segment!r} or {legacy!r} not found"
        )
    for label, _, forms in new:
        match = re.match(r"segment\s+(\d+)", label, re.I)
        seg = by_number.get(int(match.group(1))) if match else None
        if seg is None:
            facts.warnings.append(
                f"plan {doc.path.name}: {per_segment} row {label!r} names no segment"
            )
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
