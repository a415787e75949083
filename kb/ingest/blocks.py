"""Helpers the Word, PDF and HTML readers share: text cleaning, heading numbers, table blocks.

Each reader (:mod:`kb.ingest.docx`, :mod:`kb.ingest.pdf`, :mod:`kb.ingest.html`) turns one file
into a list of :class:`kb.ingest.model.Block` in reading order and raises
:class:`kb.ingest.model.ReadError` with a human-readable reason for input it cannot use (empty,
corrupt, encrypted, scanned, undecodable). Library exceptions never escape: they are wrapped,
because the ingest step reports problems per file and must not crash on one bad download.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from kb.ingest.model import Block, ReadError

# A heading's own number as printed: "4", "4.2", "4.2." followed by the title.
HEADING_NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+(?=\S)")

# Characters that are layout, not text: no-break spaces become spaces, soft hyphens and
# zero-width characters disappear (they would split words in the index).
SPACE_TRANSLATION = str.maketrans(
    {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u00ad": None, "\u200b": None, "\ufeff": None}
)

MAX_HEADING_LEVEL = 6


def clean(text: str) -> str:
    """NFC, no-break spaces to spaces, invisible characters removed, lines right-stripped."""
    text = unicodedata.normalize("NFC", text).translate(SPACE_TRANSLATION)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def one_line(text: str) -> str:
    """Collapse all whitespace (including line breaks) to single spaces."""
    return " ".join(text.split())


def heading_number(text: str) -> str:
    """The leading number of a heading text (``"4.2 Wonen"`` -> ``"4.2"``), or ``""``."""
    match = HEADING_NUMBER_RE.match(text)
    return match.group(1) if match else ""


def table_block(rows: list[list[str]]) -> Block | None:
    """Build a table block: rows padded to equal width, fully empty rows dropped."""
    kept = [r for r in rows if any(c.strip() for c in r)]
    if not kept:
        return None
    width = max(len(r) for r in kept)
    padded = tuple(tuple(r) + ("",) * (width - len(r)) for r in kept)
    # Line breaks inside a cell would read as row breaks in ``text``; rows keep them.
    text = "\n".join("\t".join(one_line(c) for c in r) for r in padded)
    return Block("table", text, rows=padded)


def read_bytes(path: Path) -> bytes:
    """The bytes of a file; an unreadable file is a :class:`ReadError`."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read file: {exc.strerror or exc}") from None
