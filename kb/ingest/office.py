"""Readers for Word (``.docx``), PDF and HTML sources.

Each reader turns one file into a list of :class:`kb.ingest.model.Block` in reading order and raises
:class:`kb.ingest.model.ReadError` with a human-readable reason for input it cannot use (empty,
corrupt, encrypted, scanned, undecodable). Library exceptions never escape: they are wrapped,
because the ingest step reports problems per file and must not crash on one bad download.

* :func:`read_docx` walks the document body with python-docx (paragraphs and tables interleaved,
  content controls unwrapped) and uses styles, outline levels and numbering for structure.
* :func:`read_pdf` extracts text with pypdf, preferring the layout mode because it keeps vertical
  gaps (paragraph breaks) and indentation (list nesting, table columns); the structure is then
  rebuilt with line heuristics.
* :func:`read_html` parses with BeautifulSoup/lxml after decoding with the declared charset and
  walks the main content, dropping navigation, scripts and hidden elements.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.ingest.model import Block, BlockKind, ReadError

log = logging.getLogger(__name__)

# A heading's own number as printed: "4", "4.2", "4.2." followed by the title.
HEADING_NUMBER_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+(?=\S)")

# Characters that are layout, not text: no-break spaces become spaces, soft hyphens and
# zero-width characters disappear (they would split words in the index).
_SPACE_TRANSLATION = str.maketrans(
    {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u00ad": None, "\u200b": None, "\ufeff": None}
)

MAX_HEADING_LEVEL = 6


def _clean(text: str) -> str:
    """NFC, no-break spaces to spaces, invisible characters removed, lines right-stripped."""
    text = unicodedata.normalize("NFC", text).translate(_SPACE_TRANSLATION)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _one_line(text: str) -> str:
    """Collapse all whitespace (including line breaks) to single spaces."""
    return " ".join(text.split())


def _heading_number(text: str) -> str:
    """The leading number of a heading text (``"4.2 Wonen"`` -> ``"4.2"``), or ``""``."""
    match = HEADING_NUMBER_RE.match(text)
    return match.group(1) if match else ""


def _table_block(rows: list[list[str]]) -> Block | None:
    """Build a table block: rows padded to equal width, fully empty rows dropped."""
    kept = [r for r in rows if any(c.strip() for c in r)]
    if not kept:
        return None
    width = max(len(r) for r in kept)
    padded = tuple(tuple(r) + ("",) * (width - len(r)) for r in kept)
    # Line breaks inside a cell would read as row breaks in ``text``; rows keep them.
    text = "\n".join("\t".join(_one_line(c) for c in r) for r in padded)
    return Block("table", text, rows=padded)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot read file: {exc.strerror or exc}") from None


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}
RT_FOOTNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
RT_ENDNOTES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes"


def _w(local: str) -> str:
    return f"{{{W_NS}}}{local}"


def _wval(element: Any, attr: str = "val") -> str | None:
    """The ``w:val`` (or another ``w:`` attribute) of an element, ``None`` if absent."""
    if element is None:
        return None
    value = element.get(_w(attr))
    return None if value is None else str(value)


T_TEXT, T_TAB, T_BR, T_CR = _w("t"), _w("tab"), _w("br"), _w("cr")
T_NOBREAK_HYPHEN, T_SYM, T_RPR, T_VANISH = _w("noBreakHyphen"), _w("sym"), _w("rPr"), _w("vanish")
T_DRAWING, T_PICT, T_P, T_TBL, T_SDT = _w("drawing"), _w("pict"), _w("p"), _w("tbl"), _w("sdt")
T_SDT_CONTENT, T_TR, T_TC = _w("sdtContent"), _w("tr"), _w("tc")
T_FN_REF, T_EN_REF, T_PPR = _w("footnoteReference"), _w("endnoteReference"), _w("pPr")
T_MOVE_FROM, T_DEL = _w("moveFrom"), _w("del")
T_FALLBACK = f"{{{NS['mc']}}}Fallback"
T_TXBX_CONTENT = _w("txbxContent")
# Subtrees whose text is not part of the running paragraph text: pictures and text boxes are
# emitted as blocks of their own, deleted/moved-away revisions are not visible, and the
# compatibility fallback duplicates the preferred representation.
_SKIP_IN_TEXT = {T_DRAWING, T_PICT, T_MOVE_FROM, T_DEL, T_FALLBACK, T_PPR}

_DOCPR = f"{{{NS['wp']}}}docPr"
_VSHAPE = f"{{{NS['v']}}}shape"
_VIMAGEDATA = f"{{{NS['v']}}}imagedata"
_O_TITLE = f"{{{NS['o']}}}title"

HEADING_STYLE_RE = re.compile(r"^(?:heading|kop)\s*(\d)$", re.I)
TITLE_STYLES = {"title", "titel"}
LIST_STYLE_RE = re.compile(r"^(?:list|lijst)", re.I)
STYLE_DIGIT_RE = re.compile(r"\s(\d)$")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(path: Path) -> list[Block]:
    """Read a Word ``.docx`` file into blocks in document order.

    Headings come from the "Heading N"/"Kop N"/"Title" styles or an outline level; list items
    from numbering or list styles (level = ``w:ilvl``); tables become one table block; pictures
    become figure blocks with their alt text; footnote and endnote texts are attached to the
    block that holds the reference. Auto-numbered headings get their rendered number prepended.
    """
    raw = _read_bytes(path)
    if not raw:
        raise ReadError(path, "empty file (0 bytes)")
    if raw.startswith(OLE_MAGIC):
        # Both the old binary .doc and a password-protected .docx are OLE compound files.
        raise ReadError(
            path, "not a valid .docx: an OLE compound file (legacy .doc or password-protected)"
        )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise ReadError(path, "not a valid .docx (corrupt zip)")
    document = _open_docx(path, raw)
    try:
        blocks = _DocxWalker(document).run()
    except ReadError:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on odd XML; report, don't crash
        raise ReadError(path, f"not a valid .docx (cannot parse content: {exc})") from None
    if not blocks:
        raise ReadError(path, "empty file (no text in the document)")
    return blocks


def _open_docx(path: Path, raw: bytes) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        return docx.Document(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise ReadError(path, "not a valid .docx (corrupt zip)") from None
    except (KeyError, PackageNotFoundError):
        raise ReadError(path, "not a valid .docx (zip without a Word document part)") from None
    except etree.XMLSyntaxError as exc:
        raise ReadError(path, f"not a valid .docx (bad XML: {exc})") from None
    except ValueError as exc:
        # python-docx says "file '…' is not a Word file, content type is '…'" for .xlsx etc.
        raise ReadError(path, f"not a valid .docx (not a Word document: {exc})") from None
    except Exception as exc:
        raise ReadError(path, f"not a valid .docx ({type(exc).__name__}: {exc})") from None


@dataclass
class _Level:
    fmt: str
    text: str
    start: int
    pstyle: str | None


class _Numbering:
    """Just enough of ``numbering.xml`` to render heading numbers and find list levels."""

    def __init__(self, document: Any) -> None:
        self.num_to_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.levels: dict[str, dict[int, _Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: nothing is auto-numbered
        for abstract in root.iterchildren(_w("abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterchildren(_w("lvl")):
                ilvl = _int(lvl.get(_w("ilvl")), 0)
                levels[ilvl] = _Level(
                    fmt=_wval(lvl.find(_w("numFmt"))) or "decimal",
                    text=_wval(lvl.find(_w("lvlText"))) or "",
                    start=_int(_wval(lvl.find(_w("start"))), 1),
                    pstyle=_wval(lvl.find(_w("pStyle"))),
                )
            self.levels[str(abstract.get(_w("abstractNumId")))] = levels
        for num in root.iterchildren(_w("num")):
            num_id = str(num.get(_w("numId")))
            self.num_to_abstract[num_id] = _wval(num.find(_w("abstractNumId"))) or ""
            for override in num.iterchildren(_w("lvlOverride")):
                start = override.find(_w("startOverride"))
                if start is not None:
                    ilvl = _int(override.get(_w("ilvl")), 0)
                    self.overrides.setdefault(num_id, {})[ilvl] = _int(_wval(start), 1)

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level whose ``w:pStyle`` links it to a paragraph style (multi-level headings)."""
        for ilvl, level in self.levels.get(self.num_to_abstract.get(num_id, ""), {}).items():
            if level.pstyle == style_id:
                return ilvl
        return None

    def advance(self, num_id: str, ilvl: int) -> str:
        """Count one paragraph of this list and return its rendered label (``"4.2."``)."""
        abstract = self.num_to_abstract.get(num_id)
        if abstract is None or abstract not in self.levels:
            return ""
        levels = self.levels[abstract]
        # Word counts per abstract list; a num with a start override restarts it once.
        counters = self.counters.setdefault(abstract, {})
        if num_id in self.overrides and num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in self.overrides[num_id].items():
                counters[lvl] = start - 1
            for lvl in [k for k in counters if k > min(self.overrides[num_id])]:
                del counters[lvl]
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def render(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            lvl = levels.get(k)
            value = counters.get(k, lvl.start if lvl else 1)
            return _format_number(value, lvl.fmt if lvl else "decimal")

        if level.fmt in ("bullet", "none"):
            return ""
        return re.sub(r"%(\d)", render, level.text).strip()


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter") and 1 <= value <= 26:
        letter = chr(ord("a") + value - 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 1 <= value < 40:
        roman = ""
        for amount, sign in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while value >= amount:
                roman += sign
                value -= amount
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _read_notes(document: Any, reltype: str, tag: str) -> dict[str, str]:
    """Footnote or endnote texts by id from the part related to the main document."""
    from lxml import etree

    notes: dict[str, str] = {}
    for rel in document.part.rels.values():
        if rel.is_external or rel.reltype != reltype:
            continue
        try:
            root = etree.fromstring(rel.target_part.blob)
        except etree.XMLSyntaxError:
            # A broken notes part loses the notes, not the document.
            log.warning("unreadable %s part ignored", tag)
            continue
        for note in root.iterchildren(_w(tag)):
            if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            parts = [_one_line(_run_text(p)) for p in note.iter(T_P)]
            text = " ".join(p for p in parts if p)
            if text:
                notes[str(note.get(_w("id")))] = text
    return notes


def _run_text(element: Any) -> str:
    """Visible text of a paragraph (or any element): runs, tabs and breaks, nothing hidden."""
    out: list[str] = []

    def visit(node: Any) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_TEXT:
                continue
            if tag == T_RPR:
                continue
            if tag == T_TEXT:
                out.append(child.text or "")
            elif tag == T_TAB:
                out.append("\t")
            elif tag in (T_BR, T_CR):
                out.append("\n")
            elif tag == T_NOBREAK_HYPHEN:
                out.append("-")
            elif tag == T_SYM:
                out.append(" ")
            elif tag == _w("r") and _hidden_run(child):
                continue
            else:
                visit(child)

    visit(element)
    return "".join(out)


def _hidden_run(run: Any) -> bool:
    rpr = run.find(T_RPR)
    if rpr is None:
        return False
    vanish = rpr.find(T_VANISH)
    return vanish is not None and _wval(vanish) not in ("0", "false", "off")


def _iter_no_fallback(element: Any, tag: str) -> Iterator[Any]:
    """Descendants with ``tag``, skipping ``mc:Fallback`` copies of the same content."""
    for child in element:
        if not isinstance(child.tag, str) or child.tag == T_FALLBACK:
            continue
        if child.tag == tag:
            yield child  # not descending: a text box inside it is walked as content later
        else:
            yield from _iter_no_fallback(child, tag)


@dataclass
class _ParaInfo:
    kind: str
    level: int
    number_label: str = ""


class _DocxWalker:
    """Walks the body of a python-docx document and collects blocks."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.numbering = _Numbering(document)
        self.footnotes = _read_notes(document, RT_FOOTNOTES, "footnote")
        self.endnotes = _read_notes(document, RT_ENDNOTES, "endnote")
        self.blocks: list[Block] = []

    def run(self) -> list[Block]:
        self._walk(self.document.element.body)
        return self.blocks

    def _walk(self, container: Any) -> None:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for child in container.iterchildren():
            if child.tag == T_P:
                self._paragraph(Paragraph(child, self.document))
            elif child.tag == T_TBL:
                self._table(Table(child, self.document))
            elif child.tag == T_SDT:
                # Content controls (also the table of contents) wrap ordinary body content.
                content = child.find(T_SDT_CONTENT)
                if content is not None:
                    self._walk(content)

    # -- paragraphs ----------------------------------------------------------------------

    def _paragraph(self, paragraph: Any) -> None:
        p = paragraph._p
        text = _clean(_run_text(p))
        notes = self._notes_in(p)
        if text:
            info = self._classify(paragraph)
            if info.kind == "heading":
                heading = _one_line(text)
                number = _heading_number(heading)
                if not number and info.number_label:
                    # Word renders the auto-number in front of the title: keep it visible.
                    heading = f"{info.number_label} {heading}"
                    number = _heading_number(heading)
                self.blocks.append(
                    Block("heading", heading, level=info.level, footnotes=notes, number=number)
                )
            else:
                kind: BlockKind = "list_item" if info.kind == "list_item" else "paragraph"
                self.blocks.append(Block(kind, text, level=info.level, footnotes=notes))
        elif notes:
            self._attach_notes(notes)
        self._drawings(p)

    def _notes_in(self, element: Any) -> tuple[str, ...]:
        notes: list[str] = []
        for ref in element.iter(T_FN_REF, T_EN_REF):
            table = self.footnotes if ref.tag == T_FN_REF else self.endnotes
            note = table.get(str(ref.get(_w("id"))))
            if note:
                notes.append(note)
        return tuple(notes)

    def _attach_notes(self, notes: tuple[str, ...]) -> None:
        """A reference in an otherwise empty paragraph belongs to the block before it."""
        if self.blocks:
            last = self.blocks[-1]
            self.blocks[-1] = Block(
                last.kind, last.text, last.level, last.rows, last.footnotes + notes, last.number
            )

    def _classify(self, paragraph: Any) -> _ParaInfo:
        p = paragraph._p
        ppr = p.pPr
        style = _safe_style(paragraph)
        styles = list(_style_chain(style))
        name = (style.name or "") if style is not None else ""
        style_id = (style.style_id or "") if style is not None else ""

        num_id, ilvl, ilvl_direct = self._numbering_of(ppr, styles)
        label = ""
        if num_id:
            label = self.numbering.advance(num_id, ilvl if ilvl is not None else 0)

        level = self._heading_level(ppr, styles, name, style_id)
        if level:
            return _ParaInfo("heading", min(level, MAX_HEADING_LEVEL), label)

        if num_id or LIST_STYLE_RE.match(name) or LIST_STYLE_RE.match(style_id):
            if ilvl_direct is not None:
                depth = ilvl_direct
            else:
                # "List Bullet 2" is its own single-level list in Word's template: the digit in
                # the style name is the only sign of nesting.
                digit = STYLE_DIGIT_RE.search(name)
                if digit:
                    depth = int(digit.group(1)) - 1
                elif ilvl is not None:
                    depth = ilvl
                elif num_id:
                    depth = self.numbering.level_for_style(num_id, style_id) or 0
                else:
                    depth = 0
            return _ParaInfo("list_item", max(0, min(depth, 8)))
        return _ParaInfo("paragraph", 0)

    def _numbering_of(
        self, ppr: Any, styles: list[Any]
    ) -> tuple[str | None, int | None, int | None]:
        """(numId, ilvl, ilvl set on the paragraph itself) from direct or style numbering."""
        direct = ppr.find(_w("numPr")) if ppr is not None else None
        ilvl_direct = None
        num_id = None
        ilvl = None
        if direct is not None:
            num_id = _wval(direct.find(_w("numId")))
            value = _wval(direct.find(_w("ilvl")))
            ilvl_direct = ilvl = _int(value, 0) if value is not None else None
        if num_id is None:
            for style in styles:
                spr = style.element.pPr
                snum = spr.find(_w("numPr")) if spr is not None else None
                if snum is None:
                    continue
                num_id = _wval(snum.find(_w("numId")))
                value = _wval(snum.find(_w("ilvl")))
                if ilvl is None and value is not None:
                    ilvl = _int(value, 0)
                if num_id is not None:
                    break
        if num_id == "0":
            # numId 0 explicitly switches inherited numbering off.
            return None, None, None
        if num_id and ilvl is None and styles:
            ilvl = self.numbering.level_for_style(num_id, styles[0].style_id or "")
        return num_id, ilvl, ilvl_direct

    @staticmethod
    def _heading_level(ppr: Any, styles: list[Any], name: str, style_id: str) -> int:
        """Heading level from the paragraph's outline level, its style name or inherited level."""
        direct = ppr.find(_w("outlineLvl")) if ppr is not None else None
        if direct is not None:
            return _outline_to_level(_wval(direct))
        for candidate in (name, style_id):
            match = HEADING_STYLE_RE.match(candidate.strip())
            if match:
                return max(1, int(match.group(1)))
            if candidate.strip().lower() in TITLE_STYLES:
                return 1
        # A custom style based on "Heading 1" inherits its outline level; "TOC Heading" sets 9.
        for style in styles:
            spr = style.element.pPr
            outline = spr.find(_w("outlineLvl")) if spr is not None else None
            if outline is not None:
                return _outline_to_level(_wval(outline))
        return 0

    # -- pictures and text boxes ---------------------------------------------------------

    def _drawings(self, p: Any) -> None:
        for drawing in _iter_no_fallback(p, T_DRAWING):
            boxes = list(_iter_no_fallback(drawing, T_TXBX_CONTENT))
            docpr = next(drawing.iter(_DOCPR), None)
            alt = ""
            if docpr is not None:
                alt = _one_line(docpr.get("descr") or docpr.get("title") or "")
            if boxes:
                # A text box is content, not a picture; it only becomes a figure if described.
                for box in boxes:
                    self._walk(box)
                if alt:
                    self.blocks.append(Block("figure", alt))
                continue
            self.blocks.append(Block("figure", alt or "Afbeelding"))
        for pict in _iter_no_fallback(p, T_PICT):
            shape = next(pict.iter(_VSHAPE), None)
            image = next(pict.iter(_VIMAGEDATA), None)
            if image is None:
                continue
            alt = (shape.get("alt") if shape is not None else None) or image.get(_O_TITLE)
            self.blocks.append(Block("figure", _one_line(alt or "") or "Afbeelding"))

    # -- tables --------------------------------------------------------------------------

    def _table(self, table: Any) -> None:
        tbl = table._tbl
        rows: list[list[Any]] = [list(_row_cells(tr)) for tr in _table_rows(tbl)]
        if len(rows) == 1 and len(rows[0]) == 1:
            # A 1x1 table is a frame around ordinary content (a "kader"): keep its structure.
            self._walk(rows[0][0])
            return
        block = _table_block([[_cell_text(tc) for tc in row] for row in rows])
        if block is not None:
            notes = self._notes_in(tbl)
            if notes:
                block = Block("table", block.text, rows=block.rows, footnotes=notes)
            self.blocks.append(block)


def _outline_to_level(value: str | None) -> int:
    level = _int(value, 9)
    # Outline level 9 means "body text"; 0..8 are heading levels 1..9.
    return 0 if level >= 9 or level < 0 else level + 1


def _safe_style(paragraph: Any) -> Any:
    try:
        return paragraph.style
    except Exception:  # a dangling style id or odd styles part: treat as Normal
        return None


def _style_chain(style: Any) -> Iterator[Any]:
    seen: set[int] = set()
    while style is not None and id(style.element) not in seen and len(seen) < 20:
        seen.add(id(style.element))
        yield style
        try:
            style = style.base_style
        except Exception:
            return


def _table_rows(tbl: Any) -> Iterator[Any]:
    for child in tbl.iterchildren():
        if child.tag == T_TR:
            yield child
        elif child.tag == T_SDT:
            content = child.find(T_SDT_CONTENT)
            if content is not None:
                yield from (c for c in content.iterchildren() if c.tag == T_TR)


def _row_cells(tr: Any) -> Iterator[Any]:
    # Each w:tc once: a horizontally merged cell is one w:tc with a gridSpan, and a vertically
    # merged continuation cell is an empty w:tc (so its column stays in place).
    for child in tr.iterchildren():
        if child.tag == T_TC:
            yield child
        elif child.tag == T_SDT:
            content = child.find(T_SDT_CONTENT)
            if content is not None:
                yield from (c for c in content.iterchildren() if c.tag == T_TC)


def _cell_text(tc: Any) -> str:
    """Cell paragraphs joined by newlines; a nested table contributes one line per row."""
    lines: list[str] = []
    for child in tc.iterchildren():
        if child.tag == T_P:
            lines.append(_clean(_run_text(child)))
        elif child.tag == T_TBL:
            for tr in _table_rows(child):
                cells = [_one_line(_cell_text(c)) for c in _row_cells(tr)]
                lines.append(" | ".join(c for c in cells if c))
        elif child.tag == T_SDT:
            content = child.find(T_SDT_CONTENT)
            if content is not None:
                lines.append(_cell_text(content))
    return "\n".join(line for line in lines if line.strip())


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

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


def read_pdf(path: Path) -> list[Block]:
    """Read a PDF with a text layer into blocks.

    Page headers and footers that repeat on three or more pages and page-number lines are
    dropped; lines are joined into paragraphs (hyphenated line ends are rejoined); bullet lines
    become list items (nesting from indentation); numbered short lines ("4.2 Titel") become
    headings; column-aligned runs of lines become tables. Encrypted PDFs that need a password
    and PDFs without a text layer (scans) raise :class:`ReadError`.
    """
    raw = _read_bytes(path)
    if not raw.strip():
        raise ReadError(path, "empty file (0 bytes)" if not raw else "empty file (only whitespace)")
    if b"%PDF-" not in raw[:1024]:
        raise ReadError(path, "not a valid PDF (no %PDF header)")
    if b"%%EOF" not in raw[-2048:]:
        # A download cut short loses the cross-reference table and usually whole pages.
        raise ReadError(path, "not a valid PDF (truncated: no %%EOF marker at the end)")
    pages = _pdf_pages(path, raw)
    if not any(line.strip() for page in pages for line in page):
        raise ReadError(
            path, f"no text layer (scanned?): no extractable text on {len(pages)} page(s)"
        )
    blocks = _PdfParser(pages).run()
    if not blocks:
        raise ReadError(path, "empty file (no text after removing headers and footers)")
    return blocks


def _pdf_pages(path: Path, raw: bytes) -> list[list[str]]:
    """Open the PDF and return the text lines of each page (headers/footers still in)."""
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
    failures: list[str] = []
    for number, page in enumerate(page_list, 1):
        text = _page_text(page)
        if text is None:
            failures.append(str(number))
            text = ""
        pages.append(_clean_pdf_text(text).split("\n"))
    if failures and len(failures) == len(page_list):
        raise ReadError(path, "not a valid PDF (text extraction failed on every page)")
    if failures:
        log.warning("%s: text extraction failed on page(s) %s", path, ", ".join(failures))
    return pages


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
    text = text.translate(_SPACE_TRANSLATION)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _edge_indices(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])


def _repeat_keys(line: str) -> tuple[str, str | None]:
    """Keys for header/footer detection: the exact line and, if it carries a varying number
    that is not a heading number, the line with digits masked ("Plan 2021 | pagina 3")."""
    exact = _one_line(line)
    masked = None
    if re.search(r"\d", exact) and not HEADING_NUMBER_RE.match(exact):
        masked = re.sub(r"\d+", "#", exact).lower()
    return exact, masked


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and headers/footers that repeat on at least three pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        keys: set[str] = set()
        for i in _edge_indices(lines):
            exact, masked = _repeat_keys(lines[i])
            keys.add("=" + exact)
            if masked:
                keys.add("#" + masked)
        counts.update(keys)
    result: list[list[str]] = []
    for lines in pages:
        edges = _edge_indices(lines)
        kept: list[str] = []
        for i, line in enumerate(lines):
            if i in edges:
                exact, masked = _repeat_keys(line)
                if (
                    PAGE_NUMBER_RE.match(exact)
                    or counts["=" + exact] >= MIN_REPEAT_PAGES
                    or (masked and counts["#" + masked] >= MIN_REPEAT_PAGES)
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

    def __init__(self, pages: list[list[str]]) -> None:
        self.pages = _strip_running_lines(pages)
        # Layout mode indents lines; if nothing is indented, indentation carries no signal.
        self.indented = any(line[:1] == " " for page in self.pages for line in page)
        lengths = sorted(len(_one_line(x)) for page in self.pages for x in page if x.strip())
        self.width = max(20, lengths[int(0.9 * (len(lengths) - 1))]) if lengths else 80
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.item: _OpenItem | None = None
        self.list_indents: list[int] = []
        self.last_number: tuple[int, ...] = ()

    def run(self) -> list[Block]:
        for index, lines in enumerate(self.pages):
            if index:
                self._page_break()
            i = 0
            while i < len(lines):
                run = _table_run(lines, i)
                if run:
                    self._close()
                    self._emit(_table_block([_cells_of(x) for x in lines[i : i + run]]))
                    i += run
                    continue
                self._line(lines[i])
                i += 1
        self._close()
        return self.blocks

    def _emit(self, block: Block | None) -> None:
        if block is None:
            return
        if block.kind != "list_item":
            self.list_indents = []
        self.blocks.append(block)

    def _close(self) -> None:
        if self.paragraph:
            self._emit(Block("paragraph", _join_lines(self.paragraph)))
            self.paragraph = []
        if self.item:
            self._emit(Block("list_item", _join_lines(self.item.lines), level=self.item.level))
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
        text = _one_line(raw)
        if TOC_LEADER_RE.search(text):
            # Each table-of-contents entry stands alone; it is never a heading.
            self._close()
            self._emit(Block("paragraph", text))
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
            return
        if self.item and self._continues_item(indent, text):
            self.item.lines.append(text)
            return
        if self.item:
            self._close()
        if self.paragraph and self._paragraph_ends(self.paragraph[-1], text):
            self._close()
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
        number = _heading_number(text)
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


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

DROP_TAGS = [
    "script", "style", "nav", "noscript", "template", "form", "svg", "iframe", "canvas",
    "object", "embed", "button", "select", "textarea", "input", "head",
]  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LIST_TAGS = {"ul", "ol", "menu"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address", "dl",
    "dt", "dd", "hr", "details", "summary", "fieldset", "center", "body", "html", "header",
    "footer", "caption", "tr", "td", "th", "thead", "tbody", "tfoot", "table", "li",
}  # fmt: skip
META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""", re.I)
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
LINE_BREAK = "\u2028"  # stands for <br> until whitespace has been collapsed


def read_html(path: Path, raw: bytes | None = None) -> list[Block]:
    """Read an HTML page into blocks.

    The text is decoded with the declared charset (``<meta charset>``, ``http-equiv`` or the XML
    declaration), else UTF-8, else Windows-1252. Navigation, scripts, forms, site headers and
    footers and hidden elements are dropped; ``main`` (or a single ``article``) is read when
    present, else ``body``. Text nodes are kept as text: an escaped ``&lt;script&gt;`` stays the
    literal text ``<script>``.
    """
    if raw is None:
        raw = _read_bytes(path)
    if not raw.strip():
        raise ReadError(path, "empty file (0 bytes)" if not raw else "empty file (only whitespace)")
    text = _decode_html(path, raw)
    try:
        from bs4 import BeautifulSoup

        with warnings.catch_warnings():
            # bs4 warns when markup looks like a file name or URL; we always pass markup.
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(text, "lxml")
        root = _html_root(soup)
        blocks = _HtmlWalker().run(root)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(path, f"not a valid HTML file (cannot parse: {exc})") from None
    if not blocks:
        raise ReadError(path, "empty file (no text content in the page)")
    return blocks


def _decode_html(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(path, "not a valid HTML file (bad UTF-16)") from None
    if raw.startswith(b"%PDF-") or raw.startswith(b"PK\x03\x04") or b"\x00" in raw[:4096]:
        raise ReadError(path, "not a valid HTML file (binary data)")
    candidates: list[str] = []
    declared = XML_DECL_RE.match(raw) or META_CHARSET_RE.search(raw[:8192])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        # Browsers read "iso-8859-1" and "ascii" as Windows-1252 (WHATWG); so do we.
        if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1"):
            name = "cp1252"
        candidates.append(name)
    candidates += ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReadError(path, "cannot decode: neither the declared charset, UTF-8 nor Windows-1252")


def _html_root(soup: Any) -> Any:
    from bs4 import Tag

    for tag in list(soup.find_all(DROP_TAGS)):
        tag.decompose()
    for tag in list(soup.find_all(_is_hidden)):
        if not tag.decomposed:
            tag.decompose()
    # Footers are chrome everywhere; a header inside main/article holds the article title.
    for tag in list(soup.find_all(["header", "footer"])):
        if tag.decomposed:
            continue
        if tag.name == "footer" or not tag.find_parent(["main", "article"]):
            tag.decompose()
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag):
        return main
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    return soup.body or soup


def _is_hidden(tag: Any) -> bool:
    attrs = tag.attrs
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    style = attrs.get("style")
    return bool(style and HIDDEN_STYLE_RE.search(str(style)))


def _collapse(pieces: Iterable[str]) -> str:
    """Collapse whitespace to single spaces; explicit line breaks (<br>) become newlines."""
    text = "".join(pieces).translate(_SPACE_TRANSLATION)
    text = re.sub(rf"[^\S{LINE_BREAK}]+", " ", text)
    lines = [line.strip() for line in text.split(LINE_BREAK)]
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


class _HtmlWalker:
    """Walks an HTML tree, buffering inline text until a block boundary."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.item_level: int | None = None  # set while inside an <li>

    def run(self, root: Any) -> list[Block]:
        self._walk(root, 0)
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        text = _collapse(self.buffer)
        self.buffer = []
        if text:
            if self.item_level is None:
                self.blocks.append(Block("paragraph", text))
            else:
                self.blocks.append(Block("list_item", text, level=self.item_level))

    def _walk(self, node: Any, depth: int) -> None:
        from bs4 import NavigableString, Tag
        from bs4.element import PreformattedString

        for child in node.children:
            if isinstance(child, NavigableString):
                # Comments, CDATA, doctypes and processing instructions are not page text.
                if not isinstance(child, PreformattedString):
                    self.buffer.append(str(child))
                continue
            if not isinstance(child, Tag):
                continue
            self._tag(child, depth)

    def _tag(self, tag: Any, depth: int) -> None:
        name = tag.name
        if name in HEADING_TAGS:
            self._flush()
            text = _one_line(_inline_text(tag))
            if text:
                self.blocks.append(
                    Block("heading", text, level=int(name[1]), number=_heading_number(text))
                )
        elif name in LIST_TAGS:
            self._flush()
            self._walk(tag, depth + 1)
        elif name == "li":
            self._flush()
            outer = self.item_level
            self.item_level = max(depth - 1, 0)
            self._walk(tag, depth)
            self._flush()
            self.item_level = outer
        elif name == "table":
            self._flush()
            self._table(tag, depth)
        elif name == "figure":
            self._flush()
            self._figure(tag, depth)
        elif name == "img":
            alt = _one_line(str(tag.get("alt") or ""))
            if alt:
                self._flush()
                self.blocks.append(Block("figure", alt))
        elif name == "br":
            self.buffer.append(LINE_BREAK)
        elif name == "pre" and self.item_level is None:
            # Preformatted text (code, addresses) keeps its lines; spaces are still collapsed.
            self._flush()
            self.buffer.append(tag.get_text().replace("\n", LINE_BREAK))
            self._flush()
        elif name in BLOCK_TAGS:
            if self.item_level is not None:
                # Paragraphs inside a list item belong to the item: separate, don't split.
                self.buffer.append(LINE_BREAK)
                self._walk(tag, depth)
                self.buffer.append(LINE_BREAK)
            else:
                self._flush()
                self._walk(tag, depth)
                self._flush()
        else:
            self._walk(tag, depth)  # inline element: its text joins the running paragraph

    def _table(self, table: Any, depth: int) -> None:
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        cells = [tr.find_all(["th", "td"], recursive=False) for tr in rows]
        if str(table.get("role", "")).lower() == "presentation" or all(len(r) <= 1 for r in cells):
            # Layout tables (one column, or marked presentational) hold ordinary content.
            self._walk(table, depth)
            self._flush()
            return
        caption = table.find("caption")
        if caption is not None and caption.find_parent("table") is table:
            text = _inline_text(caption)
            if text:
                self.blocks.append(Block("paragraph", text))
        block = _table_block([[_inline_text(c) for c in row] for row in cells])
        if block is not None:
            self.blocks.append(block)

    def _figure(self, figure: Any, depth: int) -> None:
        caption_tag = figure.find("figcaption")
        caption = _one_line(_inline_text(caption_tag)) if caption_tag is not None else ""
        for table in figure.find_all("table"):
            if table.find_parent("table") is None:
                self._table(table, depth)
        alts = [_one_line(str(img.get("alt") or "")) for img in figure.find_all("img")]
        text = caption or " ".join(a for a in alts if a)
        if text:
            self.blocks.append(Block("figure", text))


def _inline_text(tag: Any) -> str:
    """Text of a tag with block boundaries and <br> as line breaks (for cells and captions)."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    out: list[str] = []

    def visit(node: Any) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString):
                    out.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    out.append(LINE_BREAK)
                elif child.name in BLOCK_TAGS | HEADING_TAGS | LIST_TAGS:
                    out.append(LINE_BREAK)
                    visit(child)
                    out.append(LINE_BREAK)
                else:
                    visit(child)

    visit(tag)
    return _collapse(out)
