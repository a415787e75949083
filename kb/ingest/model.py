"""Plain data classes that flow from ingestion into extraction and indexing.

A reader turns a file into a list of :class:`Block` (headings, paragraphs, list items, tables,
figures). :mod:`kb.ingest.passages` places the blocks in one normalised document text, groups them
into :class:`Section` along the heading hierarchy and cuts :class:`Passage` with stable ids and
character offsets into that text (``document.text[p.start:p.end] == p.text``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from kb.errors import KbError

BlockKind = Literal["heading", "paragraph", "list_item", "table", "figure", "toc", "furniture"]


@dataclass(frozen=True)
class Block:
    """One structural unit of a source document, as a reader found it.

    ``level`` is the heading level (1 = chapter) for headings and the nesting depth (0 = top) for
    list items. ``rows`` holds the cells of a table (``text`` then is the rows joined by newlines,
    the cells by tabs). ``footnotes`` are footnote texts whose reference mark sat in this block.
    ``number`` is a heading's own number as printed (``"4.2"``), if any. A ``toc`` block is a
    table of contents (its lines as printed) and ``furniture`` a running header or footer of a
    paged original: both are kept in the text but never become sections or facts. ``page`` is
    the page of a paged original (PDF) the block starts on, 1-based; 0 when there are no pages.
    """

    kind: BlockKind
    text: str
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    footnotes: tuple[str, ...] = ()
    number: str = ""
    page: int = 0


@dataclass(frozen=True)
class SourceMeta:
    """Metadata of one source file, from ``sources.yaml`` or derived from the file name."""

    file: str
    title: str
    doc_type: str = "document"
    region: str = ""
    author: str = ""
    audience: str = ""
    date: date | None = None
    year: int | None = None
    #: The web address where the original is published (``url:`` in ``sources.yaml``).
    url: str = ""
    #: The fields inferred from the text or the file name rather than given by ``sources.yaml``
    #: (:mod:`kb.ingest.metadata`): "title", "type", "date", "region".
    inferred: tuple[str, ...] = ()


@dataclass
class PlacedBlock:
    """A block placed in the document text: ``document.text[start:end] == block.text``."""

    block: Block
    start: int
    end: int
    section_id: str

    @property
    def kind(self) -> BlockKind:
        return self.block.kind

    @property
    def text(self) -> str:
        return self.block.text


@dataclass
class Section:
    """A heading with everything under it up to the next heading of the same or a higher level."""

    id: str
    title: str
    level: int
    number: str
    parent_id: str | None
    path: tuple[str, ...]
    start: int
    end: int = 0


@dataclass
class Passage:
    """A retrievable, citable span of a document: a paragraph group, list or table row group."""

    id: str
    doc_id: str
    section_id: str
    ordinal: int
    start: int
    end: int
    text: str
    kind: str = "paragraph"
    footnotes: tuple[str, ...] = ()
    #: The page of a paged original the passage starts on (1-based; 0 without pages).
    page: int = 0


@dataclass
class Document:
    """A read, cleaned and segmented source document."""

    id: str
    path: Path
    fmt: str
    meta: SourceMeta
    text: str
    content_hash: str
    blocks: list[PlacedBlock] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    def section(self, section_id: str) -> Section:
        """Return the section with this id (KeyError if unknown)."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def passage_at(self, offset: int) -> Passage:
        """Return the passage that covers character ``offset`` of the document text."""
        # A binary search over the passage starts: a linear scan per citation made extraction
        # of a 5 MB text quadratic (12 s of 52 s in this method alone).
        starts = self._passage_starts()
        if starts is not None:
            i = bisect.bisect_right(starts, offset) - 1
            if i >= 0 and offset < self.passages[i].end:
                return self.passages[i]
        else:  # passages out of order or overlapping: the first that covers the offset
            for p in self.passages:
                if p.start <= offset < p.end:
                    return p
        raise KeyError(f"{self.id}: no passage at offset {offset}")

    def _passage_starts(self) -> list[int] | None:
        """The passages' starts when they are in order and do not overlap (else None), cached
        for the current passage list."""
        key = (id(self.passages), len(self.passages))
        cached = self.__dict__.get("_starts_cache")
        if cached is not None and cached[0] == key:
            return cached[1]
        ps = self.passages
        ordered = all(ps[i].end <= ps[i + 1].start for i in range(len(ps) - 1))
        starts = [p.start for p in ps] if ordered else None
        self.__dict__["_starts_cache"] = (key, starts)
        return starts

    def children(self, section_id: str | None) -> list[Section]:
        """Direct sub-sections of a section (``None`` for the top level)."""
        return [s for s in self.sections if s.parent_id == section_id]

    def blocks_in(self, section_id: str, *, deep: bool = True) -> list[PlacedBlock]:
        """Blocks of a section (and, when ``deep``, of its sub-sections), in document order."""
        sec = self.section(section_id)
        if deep:
            return [b for b in self.blocks if sec.start <= b.start < max(sec.end, sec.start + 1)]
        return [b for b in self.blocks if b.section_id == section_id]


class ReadError(KbError):
    """A source file could not be read; carries the path and a human-readable reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = Path(path)
        self.reason = reason
