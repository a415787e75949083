"""Reader for Word (``.docx``) sources.

:func:`read_docx` walks the document body with python-docx (paragraphs and tables interleaved,
content controls unwrapped) and uses styles, outline levels and numbering for structure.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.ingest.blocks import (
    MAX_HEADING_LEVEL,
    clean,
    heading_number,
    one_line,
    read_bytes,
    table_block,
)
from kb.ingest.model import Block, BlockKind, ReadError

log = logging.getLogger(__name__)

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


#: Defaults of the unpacking limits (the settings ``max_unzipped_bytes`` and ``max_zip_ratio``).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
#: Parts smaller than this unpacked are not held to the ratio (tiny XML packs very well).
RATIO_MIN_BYTES = 1024 * 1024


def read_docx(
    path: Path,
    *,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
    max_ratio: float = MAX_ZIP_RATIO,
) -> list[Block]:
    """Read a Word ``.docx`` file into blocks in document order.

    Headings come from the "Heading N"/"Kop N"/"Title" styles or an outline level; list items
    from numbering or list styles (level = ``w:ilvl``); tables become one table block; pictures
    become figure blocks with their alt text; footnote and endnote texts are attached to the
    block that holds the reference. Auto-numbered headings get their rendered number prepended.

    Before anything is unpacked the zip's parts are checked: together at most
    ``max_unzipped_bytes`` unpacked, and no part over 1 MB unpacking to more than ``max_ratio``
    times its packed size (a "zip bomb" is refused with the limit it broke).
    """
    raw = read_bytes(path)
    if not raw:
        raise ReadError(path, "empty file (0 bytes)")
    if raw.startswith(OLE_MAGIC):
        # Both the old binary .doc and a password-protected .docx are OLE compound files.
        raise ReadError(
            path, "not a valid .docx: an OLE compound file (legacy .doc or password-protected)"
        )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise ReadError(path, "not a valid .docx (corrupt zip)")
    check_zip(path, raw, max_unzipped_bytes=max_unzipped_bytes, max_ratio=max_ratio)
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


def check_zip(path: Path, raw: bytes, *, max_unzipped_bytes: int, max_ratio: float) -> None:
    """Refuse a zip whose parts unpack to more than the limits allow, from its directory.

    The sizes come from the central directory, before anything is unpacked. A part that lies
    about its size cannot get past them: :mod:`zipfile` stops reading a part at its declared
    size (and then fails its CRC check), so the declared sizes cap what is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(path, "not a valid .docx (corrupt zip)") from None
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_unzipped_bytes:
            raise ReadError(
                path,
                f"not read: the .docx unpacks to more than {max_unzipped_bytes} bytes "
                "(limit max_unzipped_bytes)",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_MIN_BYTES and ratio > max_ratio:
            raise ReadError(
                path,
                f"not read: part {info.filename} unpacks {ratio:.0f} times its packed size "
                f"({info.file_size} bytes; limit max_zip_ratio={max_ratio:g})",
            )


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
            parts = [one_line(_run_text(p)) for p in note.iter(T_P)]
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
        text = clean(_run_text(p))
        notes = self._notes_in(p)
        if text:
            info = self._classify(paragraph)
            if info.kind == "heading":
                heading = one_line(text)
                number = heading_number(heading)
                if not number and info.number_label:
                    # Word renders the auto-number in front of the title: keep it visible.
                    heading = f"{info.number_label} {heading}"
                    number = heading_number(heading)
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
                alt = one_line(docpr.get("descr") or docpr.get("title") or "")
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
            self.blocks.append(Block("figure", one_line(alt or "") or "Afbeelding"))

    # -- tables --------------------------------------------------------------------------

    def _table(self, table: Any) -> None:
        tbl = table._tbl
        rows: list[list[Any]] = [list(_row_cells(tr)) for tr in _table_rows(tbl)]
        if len(rows) == 1 and len(rows[0]) == 1:
            # A 1x1 table is a frame around ordinary content (a "kader"): keep its structure.
            self._walk(rows[0][0])
            return
        block = table_block([[_cell_text(tc) for tc in row] for row in rows])
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
            lines.append(clean(_run_text(child)))
        elif child.tag == T_TBL:
            for tr in _table_rows(child):
                cells = [one_line(_cell_text(c)) for c in _row_cells(tr)]
                lines.append(" | ".join(c for c in cells if c))
        elif child.tag == T_SDT:
            content = child.find(T_SDT_CONTENT)
            if content is not None:
                lines.append(_cell_text(content))
    return "\n".join(line for line in lines if line.strip())
