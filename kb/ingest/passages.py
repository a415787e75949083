"""Place blocks in one document text, build the section tree and cut passages.

The document text is what offsets point into: blocks are laid out one after another (headings and
paragraphs separated by a blank line, list items one per line behind ``- ``, table rows one per
line with cells separated by `` | ``). Every block keeps its span, so
``document.text[b.start:b.end] == b.text`` for every block except tables, whose span is their
rendered rows.

Passages are what search retrieves and what facts cite: a paragraph (cut at sentence ends only
when longer than :data:`MAX_WHOLE_PARAGRAPH_CHARS`, into pieces of at most ``max_chars``: a fact
about a paragraph quotes the whole paragraph, and its quote must lie in one passage), a list
together with the sentence that introduces it (sub-items stay with their parent, and so does a
bullet that starts in lower case, since it continues the sentence of the lead-in, and every
bullet a lead-in ending in ":" announces, up to the same length), or a group of table rows that
belong together (a row whose first cell is filled starts a group). Passage ids are a hash of the
section and the passage text, so they stay the same when unrelated parts of the document change.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from kb.ingest.model import Block, Document, Passage, PlacedBlock, Section

MAX_PASSAGE_CHARS = 1000
#: A paragraph up to this length stays one passage, even when longer than ``max_chars``.
MAX_WHOLE_PARAGRAPH_CHARS = 2 * MAX_PASSAGE_CHARS
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘“\"(])")


def slugify(text: str, max_len: int = 60) -> str:
    """Lower-case ASCII slug with hyphens.

    ``"Duin- en Bollenstreek"`` → ``duin-en-bollenstreek``.
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].rstrip("-") or "x"


def render_table_row(cells: tuple[str, ...]) -> str:
    """How a table row reads in the document text."""
    return " | ".join(c.replace("\n", " ") for c in cells)


@dataclass
class _Unit:
    """A span of the document text that passages are built from."""

    start: int
    end: int
    kind: str
    section_id: str
    level: int = 0
    joinable: bool = False  # may be appended to the previous unit's passage
    footnotes: tuple[str, ...] = ()
    continues: bool = False  # a lower-case bullet: part of the sentence before it


def build_document(
    doc: Document, blocks: list[Block], *, max_chars: int = MAX_PASSAGE_CHARS
) -> None:
    """Fill ``doc.text``, ``doc.blocks``, ``doc.sections`` and ``doc.passages`` from blocks."""
    parts: list[str] = []
    pos = 0
    root = Section(
        id=f"{doc.id}/s/0",
        title=doc.meta.title,
        level=0,
        number="",
        parent_id=None,
        path=(),
        start=0,
    )
    sections = [root]
    stack = [root]
    used_ids: set[str] = {root.id}
    units: list[_Unit] = []
    placed: list[PlacedBlock] = []
    prev_kind = ""

    def emit(text: str, sep: str) -> tuple[int, int]:
        nonlocal pos
        if parts:
            parts.append(sep)
            pos += len(sep)
        start = pos
        parts.append(text)
        pos += len(text)
        return start, pos

    for block in blocks:
        if block.kind == "heading":
            start, end = emit(block.text, "\n\n")
            while len(stack) > 1 and stack[-1].level >= block.level:
                stack.pop().end = start
            parent = stack[-1]
            title = block.text
            if block.number and title.startswith(block.number):
                title = title[len(block.number) :].lstrip(". ").strip() or title
            # Unnumbered headings are named within their parent (…/s/4-2/doelgroep-en).
            parent_key = (
                "" if parent is root or block.number else parent.id.split("/s/", 1)[1] + "/"
            )
            base = f"{doc.id}/s/{parent_key}{slugify(block.number or title, 40)}"
            if base.endswith("/x"):
                base = f"{doc.id}/s/h{len(sections)}"
            sid, n = base, 2
            while sid in used_ids:
                sid, n = f"{base}-{n}", n + 1
            used_ids.add(sid)
            section = Section(
                id=sid,
                title=title,
                level=block.level,
                number=block.number,
                parent_id=parent.id,
                path=(*parent.path, title),
                start=start,
            )
            sections.append(section)
            stack.append(section)
            placed.append(PlacedBlock(block, start, end, sid))
            prev_kind = "heading"
            continue

        sid = stack[-1].id
        if block.kind == "list_item":
            sep = "\n" if prev_kind == "list_item" else "\n\n"
            prefix = "  " * block.level + "- "
            line_start, _ = emit(prefix + block.text, sep)
            start, end = line_start + len(prefix), pos
            placed.append(PlacedBlock(block, start, end, sid))
            # A short paragraph right before a list introduces it ("Welk model bevordert:").
            lead_in = prev_kind == "paragraph" and (
                parts[-3].rstrip().endswith(":") or len(parts[-3]) < 300
            )
            units.append(
                _Unit(
                    line_start,
                    end,
                    "list",
                    sid,
                    block.level,
                    joinable=prev_kind == "list_item" or lead_in,
                    footnotes=block.footnotes,
                    continues=block.text[:1].islower(),
                )
            )
        elif block.kind == "table":
            rows = block.rows or tuple(tuple(r.split("\t")) for r in block.text.split("\n"))
            table_start = None
            for i, row in enumerate(rows):
                start, end = emit(render_table_row(row), "\n" if i else "\n\n")
                table_start = start if table_start is None else table_start
                # A row whose first cell is empty continues the group above it.
                units.append(_Unit(start, end, "table", sid, joinable=i > 0 and not row[0].strip()))
            units[-len(rows)].footnotes = block.footnotes
            placed.append(PlacedBlock(block, table_start or pos, pos, sid))
        else:
            start, end = emit(block.text, "\n\n")
            placed.append(PlacedBlock(block, start, end, sid))
            for s, e in _sentence_spans(block.text, start, max_chars):
                units.append(
                    _Unit(s, e, block.kind, sid, joinable=False, footnotes=block.footnotes)
                )
        prev_kind = block.kind

    text = "".join(parts)
    for section in stack:
        section.end = len(text)
    for section in sections:
        if not section.end:
            section.end = len(text)
    root.end = len(text)

    doc.text = text
    doc.blocks = placed
    doc.sections = sections
    doc.passages = _passages(doc.id, text, units, max_chars)
    _set_pages(doc.passages, placed)


def _set_pages(passages: list[Passage], placed: list[PlacedBlock]) -> None:
    """The page each passage starts on: that of the last block starting at or before it (a
    paged original only; without pages every passage keeps page 0)."""
    starts = [(b.start, b.block.page) for b in placed if b.block.page]
    if not starts:
        return
    offsets = [start for start, _ in starts]
    for passage in passages:
        i = bisect.bisect_right(offsets, passage.start) - 1
        passage.page = starts[max(i, 0)][1]


def _sentence_spans(text: str, offset: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut a very long paragraph at sentence ends into spans of at most ``max_chars``."""
    if len(text) <= max_chars * MAX_WHOLE_PARAGRAPH_CHARS // MAX_PASSAGE_CHARS:
        return [(offset, offset + len(text))]
    cuts = [m.start() for m in _SENTENCE_END_RE.finditer(text)]
    spans: list[tuple[int, int]] = []
    start = 0
    last_cut = 0
    for cut in [*cuts, len(text)]:
        if cut - start > max_chars and last_cut > start:
            spans.append((start, last_cut))
            start = last_cut
            while start < len(text) and text[start].isspace():
                start += 1
        last_cut = cut
    spans.append((start, len(text)))
    # A single sentence longer than max_chars stays whole: cutting mid-sentence hurts citations.
    return [(offset + s, offset + e) for s, e in spans if e > s]


def _passages(doc_id: str, text: str, units: list[_Unit], max_chars: int) -> list[Passage]:
    whole = max_chars * MAX_WHOLE_PARAGRAPH_CHARS // MAX_PASSAGE_CHARS
    groups: list[list[_Unit]] = []
    for unit in units:
        current = groups[-1] if groups else None
        if (
            current
            and unit.joinable
            and unit.section_id == current[-1].section_id
            and (
                unit.end - current[0].start <= max_chars
                or unit.level > 0
                or unit.continues
                # The bullets a lead-in ("… verwijzer naar dagbehandeling:") announces stay with it.
                or text[current[0].start : current[0].end].rstrip().endswith(":")
                and unit.end - current[0].start <= whole
            )
        ):
            current.append(unit)
        else:
            groups.append([unit])
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    for ordinal, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        body = text[start:end]
        kinds = {u.kind for u in group}
        kind = "list" if "list" in kinds else next(iter(kinds))
        digest = hashlib.sha1(f"{group[0].section_id}\n{body}".encode()).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        pid = f"{doc_id}/p/{digest}" + (f"-{seen[digest]}" if seen[digest] > 1 else "")
        footnotes = tuple(f for u in group for f in u.footnotes)
        passages.append(
            Passage(
                id=pid,
                doc_id=doc_id,
                section_id=group[0].section_id,
                ordinal=ordinal,
                start=start,
                end=end,
                text=body,
                kind=kind,
                footnotes=footnotes,
            )
        )
    return passages
