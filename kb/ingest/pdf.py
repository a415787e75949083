"""Reader for PDF sources.

:func:`read_pdf` extracts text with pypdf, preferring the layout mode because it keeps vertical
gaps (paragraph breaks) and indentation (list nesting, table columns); the structure is then
rebuilt with line heuristics.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kb.ingest.blocks import (
    HEADING_NUMBER_RE,
    MAX_HEADING_LEVEL,
    SPACE_TRANSLATION,
    heading_number,
    one_line,
    read_bytes,
    table_block,
)
from kb.ingest.model import Block, ReadError

log = logging.getLogger(__name__)

PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–]\s*)?(?:(?:pagina|page|blz\.?|p\.)\s*)?\d{1,4}(?:\s*(?:/|van|of)\s*\d{1,4})?"
    r"(?:\s*[-–])?$|^[ivxlc]{1,6}$",  # roman numerals number the front matter
    re.I,
)
BULLET_CHARS = "·•▶*–\\-▪◦○■►➢➤✓\uf0b7\uf0a7\uf0d8\uf0fc\uf076o"
PDF_BULLET_RE = re.compile(rf"^([{BULLET_CHARS}])\s+(\S.*)$")
PDF_ORDERED_RE = re.compile(r"^(?:\d{1,2}|[a-z])[.)]\s+\S")
# A table-of-contents line: dot leaders (". . ." or "....") or a wide gap before a page number.
PDF_TOC_RE = re.compile(r"(?:(?:\.\s?){3,}|…+|\s{3,}|\t)\s*(?:\d{1,3}|[ivxlc]{1,6})\s*$", re.I)
TOC_LEADER_RE = re.compile(r"(?:\.\s?){3,}\s*(?:\d{1,3}|[ivxlc]{1,6})\s*$", re.I)
CELL_GAP_RE = re.compile(r"\s{3,}")
SENTENCE_END = (".", "!", "?", ":", ";")
MAX_PDF_HEADING_CHARS = 100
EDGE_LINES = 2  # lines at the top and bottom of a page where headers and footers live
MIN_REPEAT_PAGES = 3
#: Heights are compared on a grid of this many points: the same header drifts by a fraction.
POSITION_GRID = 4


def read_pdf(path: Path) -> list[Block]:
    """Read a PDF with a text layer into blocks.

    Page headers and footers that repeat on three or more pages and page-number lines are
    dropped; lines are joined into paragraphs (hyphenated line ends are rejoined); bullet lines
    become list items (nesting from indentation); numbered short lines ("4.2 Titel") become
    headings; column-aligned runs of lines become tables. Encrypted PDFs that need a password
    and PDFs without a text layer (scans) raise :class:`ReadError`.
    """
    raw = read_bytes(path)
    if not raw.strip():
        raise ReadError(path, "empty file (0 bytes)" if not raw else "empty file (only whitespace)")
    if b"%PDF-" not in raw[:1024]:
        raise ReadError(path, "not a valid PDF (no %PDF header)")
    if b"%%EOF" not in raw[-2048:]:
        # A download cut short loses the cross-reference table and usually whole pages.
        raise ReadError(path, "not a valid PDF (truncated: no %%EOF marker at the end)")
    pages, positions = _pdf_pages(path, raw)
    if not any(line.strip() for page in pages for line in page):
        raise ReadError(
            path, f"no text layer (scanned?): no extractable text on {len(pages)} page(s)"
        )
    blocks = _PdfParser(pages, positions).run()
    if not blocks:
        raise ReadError(path, "empty file (no text after removing headers and footers)")
    return blocks


def _pdf_pages(path: Path, raw: bytes) -> tuple[list[list[str]], list[LinePositions]]:
    """Open the PDF; return the text lines of each page (headers/footers still in) and where on
    the page each line sits (see :func:`_line_positions`)."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
    except Exception as exc:
        raise ReadError(path, f"not a valid PDF (corrupt: {exc})") from None
    try:
        if reader.is_encrypted:
            try:
                result = reader.decrypt("")
            except DependencyError:
                raise ReadError(
                    path, "encrypted PDF: decrypting needs the 'cryptography' package"
                ) from None
            if result == PasswordType.NOT_DECRYPTED:
                raise ReadError(path, "encrypted PDF: a password is required to open it")
        page_list = list(reader.pages)
    except ReadError:
        raise
    except FileNotDecryptedError:
        raise ReadError(path, "encrypted PDF: a password is required to open it") from None
    except Exception as exc:
        raise ReadError(path, f"not a valid PDF (corrupt: {exc})") from None
    if not page_list:
        raise ReadError(path, "empty file (PDF without pages)")
    pages: list[list[str]] = []
    positions: list[LinePositions] = []
    failures: list[str] = []
    for number, page in enumerate(page_list, 1):
        positions.append(_line_positions(page))
        text = _page_text(page)
        if text is None:
            failures.append(str(number))
            text = ""
        pages.append(_clean_pdf_text(text).split("\n"))
    if failures and len(failures) == len(page_list):
        raise ReadError(path, "not a valid PDF (text extraction failed on every page)")
    if failures:
        log.warning("%s: text extraction failed on page(s) %s", path, ", ".join(failures))
    return pages, positions


#: Where lines sit on a page: the line's text (whitespace collapsed) → heights from the bottom
#: of the page in points, rounded to :data:`POSITION_GRID` (a line may occur more than once).
LinePositions = dict[str, set[int]]


def _line_positions(page: Any) -> LinePositions:
    """The height of each text line on the page, from the text operators' matrices.

    Text runs at the same height form one line. A page whose text cannot be walked gives an
    empty map: its lines then have no position and are never taken for headers or footers."""
    runs: dict[int, list[tuple[float, str]]] = {}

    def visit(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        if not text.strip():
            return
        # The run's origin in page space: the text matrix mapped through the current matrix.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.setdefault(round(y / POSITION_GRID), []).append((x, text))

    try:
        page.extract_text(visitor_text=visit)
    except Exception:
        return {}
    positions: LinePositions = {}
    for height, parts in runs.items():
        line = one_line(" ".join(t for _x, t in sorted(parts, key=lambda p: p[0])))
        if line:
            positions.setdefault(line, set()).add(height)
    return positions


def _page_text(page: Any) -> str | None:
    """Layout-mode text (keeps blank lines and indentation), plain mode as a fallback."""
    plain: str | None = None
    try:
        text: str = page.extract_text(extraction_mode="layout")
    except Exception:
        text = ""
    if text.strip() and _spaced_out(text):
        # Some fonts make layout mode put spaces between all letters; plain mode copes.
        plain = _plain_text(page)
        if plain is not None and not _spaced_out(plain):
            return plain
    if text.strip():
        return text
    return _plain_text(page) if plain is None else plain


def _plain_text(page: Any) -> str | None:
    try:
        return str(page.extract_text())
    except Exception:
        return None


def _spaced_out(text: str) -> bool:
    tokens = text.split()
    return len(tokens) >= 20 and sum(len(t) == 1 for t in tokens) > 0.5 * len(tokens)


def _clean_pdf_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = unicodedata.normalize("NFC", text)
    # A soft hyphen at a line end is a hyphenation point: mark it as one; elsewhere drop it.
    text = text.replace("\u00ad\n", "-\n")
    text = text.translate(SPACE_TRANSLATION)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _edge_indices(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])


def _repeat_keys(line: str) -> tuple[str, str | None]:
    """Keys for header/footer detection: the exact line and, if it carries a varying number
    that is not a heading number, the line with digits masked ("Plan 2021 | pagina 3")."""
    exact = one_line(line)
    masked = None
    if re.search(r"\d", exact) and not HEADING_NUMBER_RE.match(exact):
        masked = re.sub(r"\d+", "#", exact).lower()
    return exact, masked


def _strip_running_lines(
    pages: list[list[str]], positions: list[LinePositions] | None = None
) -> list[list[str]]:
    """Drop page numbers and headers/footers: lines at a page's top or bottom that repeat on at
    least three pages *at the same height*. A body line that happens to close several pages (the
    same closing sentence under each segment) sits at a different height on each and stays.

    Without ``positions`` (a caller that has only the text) the height is not checked."""

    def heights(page: int, line: str) -> set[int | None]:
        if positions is None:
            return {None}
        return set(positions[page].get(one_line(line), set()))

    counts: Counter[tuple[str, int | None]] = Counter()
    for number, lines in enumerate(pages):
        keys: set[tuple[str, int | None]] = set()
        for i in _edge_indices(lines):
            exact, masked = _repeat_keys(lines[i])
            for height in heights(number, lines[i]):
                # A neighbouring grid cell counts too: a header may sit on a cell's border.
                near = {None} if height is None else {height - 1, height, height + 1}
                for cell in near:
                    keys.add(("=" + exact, cell))
                    if masked:
                        keys.add(("#" + masked, cell))
        counts.update(keys)
    result: list[list[str]] = []
    for number, lines in enumerate(pages):
        edges = _edge_indices(lines)
        kept: list[str] = []
        for i, line in enumerate(lines):
            if i in edges:
                exact, masked = _repeat_keys(line)
                at = heights(number, line)
                if (
                    PAGE_NUMBER_RE.match(exact)
                    or any(counts["=" + exact, h] >= MIN_REPEAT_PAGES for h in at)
                    or (masked and any(counts["#" + masked, h] >= MIN_REPEAT_PAGES for h in at))
                ):
                    continue
            kept.append(line)
        result.append(kept)
    return result


def _cells_of(line: str) -> list[str]:
    return [c for c in CELL_GAP_RE.split(line.strip()) if c]


def _row_cells_of(line: str) -> list[str]:
    """Cells of a line that may be a table row; none for bullets and contents lines, whose
    wide gaps (after the bullet sign, before the page number) are not column breaks."""
    if not line.strip() or TOC_LEADER_RE.search(line):
        return []
    cells = _cells_of(line)
    if len(cells) < 2 or PDF_BULLET_RE.match(cells[0] + " x") and len(cells[0]) == 1:
        return []
    return cells


def _table_run(lines: list[str], start: int) -> int:
    """Length of the run of column-aligned lines starting at ``start`` (0 if not a table)."""
    first = _row_cells_of(lines[start])
    if len(first) < 2:
        return 0
    end = start + 1
    while end < len(lines) and len(_row_cells_of(lines[end])) == len(first):
        end += 1
    run = lines[start:end]
    cells = [c for line in run for c in _cells_of(line)]
    # Two lines at least, and short cells: two columns of running text are not a table.
    if len(run) < 2 or sum(len(c) for c in cells) / len(cells) > 40:
        return 0
    return len(run)


@dataclass
class _OpenItem:
    indent: int
    level: int
    lines: list[str] = field(default_factory=list)


class _PdfParser:
    """Rebuilds blocks from the text lines of all pages."""

    def __init__(
        self, pages: list[list[str]], positions: list[LinePositions] | None = None
    ) -> None:
        self.pages = _strip_running_lines(pages, positions)
        # Layout mode indents lines; if nothing is indented, indentation carries no signal.
        self.indented = any(line[:1] == " " for page in self.pages for line in page)
        lengths = sorted(len(one_line(x)) for page in self.pages for x in page if x.strip())
        self.width = max(20, lengths[int(0.9 * (len(lengths) - 1))]) if lengths else 80
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.item: _OpenItem | None = None
        self.list_indents: list[int] = []
        self.last_number: tuple[int, ...] = ()
        # The page being read and the page the open paragraph or item started on (1-based).
        self.page = 0
        self.open_page = 0

    def run(self) -> list[Block]:
        for index, lines in enumerate(self.pages):
            if index:
                self._page_break()
            self.page = index + 1
            i = 0
            while i < len(lines):
                run = _table_run(lines, i)
                if run:
                    self._close()
                    self._emit(table_block([_cells_of(x) for x in lines[i : i + run]]))
                    i += run
                    continue
                self._line(lines[i])
                i += 1
        self._close()
        return self.blocks

    def _emit(self, block: Block | None, page: int = 0) -> None:
        if block is None:
            return
        if block.kind != "list_item":
            self.list_indents = []
        self.blocks.append(replace(block, page=page or self.page))

    def _close(self) -> None:
        # A paragraph or item carried over a page break starts on the page it was opened on.
        if self.paragraph:
            self._emit(Block("paragraph", _join_lines(self.paragraph)), self.open_page)
            self.paragraph = []
        if self.item:
            self._emit(
                Block("list_item", _join_lines(self.item.lines), level=self.item.level),
                self.open_page,
            )
            self.item = None

    def _page_break(self) -> None:
        # Text continues across a page break unless the last line ended a sentence.
        open_lines = self.paragraph or (self.item.lines if self.item else [])
        if open_lines and open_lines[-1].rstrip().endswith(SENTENCE_END):
            self._close()

    def _continues_paragraph(self) -> bool:
        return bool(self.paragraph) and not self.paragraph[-1].endswith(SENTENCE_END)

    def _line(self, raw: str) -> None:
        if not raw.strip():
            self._close()
            return
        indent = len(raw) - len(raw.lstrip(" "))
        text = one_line(raw)
        if TOC_LEADER_RE.search(text):
            # A table-of-contents entry is never a heading; consecutive entries form one block of
            # kind "toc" (kept in the text, out of the section tree, as the text reader does).
            self._close()
            last = self.blocks[-1] if self.blocks else None
            if last is not None and last.kind == "toc":
                self.blocks[-1] = Block("toc", last.text + "\n" + text, page=last.page)
            else:
                self._emit(Block("toc", text))
            return
        heading = None if self._continues_paragraph() else self._heading(raw, text)
        if heading:
            self._close()
            self._emit(heading)
            return
        bullet = PDF_BULLET_RE.match(text)
        ordered = PDF_ORDERED_RE.match(text) and not self._continues_paragraph()
        if bullet or ordered:
            self._close()
            content = bullet.group(2) if bullet else text
            self.item = _OpenItem(indent, self._list_level(indent), [content])
            self.open_page = self.page
            return
        if self.item and self._continues_item(indent, text):
            self.item.lines.append(text)
            return
        if self.item:
            self._close()
        if self.paragraph and self._paragraph_ends(self.paragraph[-1], text):
            self._close()
        if not self.paragraph:
            self.open_page = self.page
        self.paragraph.append(text)

    def _continues_item(self, indent: int, text: str) -> bool:
        assert self.item is not None
        if self.indented:
            # Wrapped bullet text is indented past the bullet sign.
            return indent > self.item.indent or text[:1].islower()
        return text[:1].islower() or not self.item.lines[-1].endswith(SENTENCE_END)

    def _paragraph_ends(self, previous: str, text: str) -> bool:
        """No blank line between paragraphs: a short line that ends a sentence ends one."""
        return (
            previous.endswith((".", "!", "?", ":"))
            and len(previous) < 0.75 * self.width
            and not text[:1].islower()
        )

    def _list_level(self, indent: int) -> int:
        # Nesting is relative: deeper indentation than the previous bullet opens a level.
        while self.list_indents and indent < self.list_indents[-1] - 1:
            self.list_indents.pop()
        if not self.list_indents or indent > self.list_indents[-1] + 1:
            self.list_indents.append(indent)
        return len(self.list_indents) - 1

    def _heading(self, raw: str, text: str) -> Block | None:
        """A short numbered line without a final period whose number follows the last one."""
        number = heading_number(text)
        if not number or len(text) > MAX_PDF_HEADING_CHARS or PDF_TOC_RE.search(raw):
            return None
        title = text[HEADING_NUMBER_RE.match(text).end() :]  # type: ignore[union-attr]
        if not title[:1].isupper() or title.endswith((".", ",", ";")) or len(title.split()) > 15:
            return None
        parts = tuple(int(n) for n in number.split("."))
        last = self.last_number
        # Numbered list items and table values do not continue the heading sequence.
        if last and (parts <= last or parts[0] > last[0] + 1):
            return None
        self.last_number = parts
        return Block("heading", text, level=min(len(parts), MAX_HEADING_LEVEL), number=number)


def _join_lines(lines: list[str]) -> str:
    """Join wrapped lines with spaces, undoing end-of-line hyphenation."""
    text = lines[0]
    for line in lines[1:]:
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha() and line:
            if line[:1].islower():
                # "zorg- en welzijn" is a Dutch elision, not a hyphenated word.
                if re.match(r"(?:en|of|tot|t/m)\b", line):
                    text += " " + line
                else:
                    text = text[:-1] + line
            else:
                text += line  # "Noord-" + "Holland" keeps its hyphen
        else:
            text += " " + line
    return text
