"""What every generated Word document shares: the template, placeholders, sources, saving.

A document starts from the house-style template (checked for the required styles), gets the
language nl-NL, a header, page numbers and its properties, and is written atomically (temporary
file in the target folder, then ``os.replace``) so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu
from docx.table import Table
from docx.text.paragraph import Paragraph

from generator.docx.facts import add_proposed_mark
from generator.docx.sources import Citations, render_source_list
from generator.docx.word import (
    add_page_number_footer,
    add_styled,
    clean_properties,
    docx_bytes,
    has_content,
    missing_styles,
    plain_first_page,
    set_header_text,
    set_language,
    set_properties,
    text_width,
)
from generator.format import MISSING, number
from kb.errors import KbError
from kb.files import write_atomic
from kb.resources import word_template
from kb.views.plans import Plan
from kb.views.segments import Item

TEMPLATE = word_template()
AUTHOR = "Kennisbank jeugdhulp inkoop"
PLACEHOLDER_STYLE = "Invulveld"
SOURCE_STYLE = "Bron"
#: Marks text the author still has to write; the style makes it stand out as well.
PLACEHOLDER_PREFIX = "[Invulveld] "
EMPTY_RUBRIC = (
    "De kennisbank bevat voor deze rubriek geen gegevens. Vul deze rubriek zelf aan of "
    "verwijder de kop."
)


class TemplateError(KbError):
    """The Word template cannot be used; the message says why (e.g. the missing styles)."""


class GenerateError(KbError):
    """A document could not be generated; the message says why."""


def open_template(template: Path | None = None) -> DocxDocument:
    """A new document on ``template`` (default: the bundled house style), styles checked."""
    path = Path(template) if template else TEMPLATE
    if not path.is_file():
        raise TemplateError(f"{path}: template not found")
    try:
        document = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - any reader failure means an unusable file
        raise TemplateError(f"{path}: not a Word document (.docx): {exc}") from None
    missing = missing_styles(document)
    if missing:
        raise TemplateError(f"{path}: template lacks required styles: {', '.join(missing)}")
    # Our own styles are optional in a municipality's template: fall back to Normal.
    names = {s.name for s in document.styles}
    document._kb_styles = {  # type: ignore[attr-defined]
        PLACEHOLDER_STYLE: PLACEHOLDER_STYLE if PLACEHOLDER_STYLE in names else "Normal",
        SOURCE_STYLE: SOURCE_STYLE if SOURCE_STYLE in names else "Normal",
    }
    # A template may carry content of its own (a cover text, sample paragraphs): start empty.
    body = document.element.body
    for child in list(body.iterchildren()):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document


def prepare(
    document: DocxDocument,
    *,
    title: str,
    subject: str,
    fixed_time: dt.datetime | None,
    title_page: bool = False,
) -> None:
    """Language, properties, running header and page numbers.

    The template's page size, margins, header and footer are kept: the running header and the
    page numbers go only where the template's header or footer is empty, so a municipality's
    logo and address survive. With ``title_page`` the first page of the document shows neither
    (only where we added them).
    """
    set_language(document)
    set_properties(document, title=title, subject=subject, author=AUTHOR, fixed_time=fixed_time)
    clean_properties(document, application=AUTHOR)
    for section in document.sections:
        own_header = not has_content(section.header)
        own_footer = not has_content(section.footer)
        if own_header:
            set_header_text(section, title)
        if own_footer:
            add_page_number_footer(section)
        # A template's own header (a logo) stays on the title page too.
        if title_page and own_header and own_footer:
            plain_first_page(section)


def _style(document: DocxDocument, name: str) -> str:
    return getattr(document, "_kb_styles", {}).get(name, name)


def placeholder(document: DocxDocument, text: str) -> Paragraph:
    """A clearly marked paragraph the author has to fill in (style "Invulveld")."""
    paragraph = document.add_paragraph(style=_style(document, PLACEHOLDER_STYLE))
    run = paragraph.add_run(PLACEHOLDER_PREFIX + text)
    run.italic = True
    return paragraph


def source_note(document: DocxDocument, text: str) -> Paragraph:
    """A small source line (style "Bron")."""
    return document.add_paragraph(text, style=_style(document, SOURCE_STYLE))


def source_list(document: DocxDocument, citations: Citations, empty: str) -> None:
    """The documents ``citations`` cited, grouped by document (or the placeholder ``empty``)."""
    groups = citations.documents()
    if groups:
        render_source_list(document, groups, site_url=citations.site_url)
    else:
        placeholder(document, empty)


def bullets(document: DocxDocument, items: Iterable[Item], citations: Citations) -> int:
    """One bullet per item with a footnote naming its sources; returns how many were written."""
    count = 0
    for item in items:
        paragraph = add_styled(document, item.text, "List Bullet")
        if item.proposed:
            add_proposed_mark(paragraph)
        citations.cite(paragraph, item.sources)
        count += 1
    return count


def cited_lines(
    paragraph: Paragraph, lines: Iterable[tuple[str, Sequence[Item]]], citations: Citations
) -> None:
    """Lines in one paragraph (a table cell), each followed by the footnote of its items'
    sources; a line without items gets no note."""
    for n, (text, items) in enumerate(lines):
        if n:
            paragraph.add_run().add_break()
        paragraph.add_run(text)
        citations.cite(paragraph, [s for item in items for s in item.sources])


def when(item: Item) -> str:
    """The date of a milestone (``1 juli 2021``, ``juli 2021``, ``2021``) or a dash."""
    return item.when or MISSING


def municipality_sentences(plan: Plan) -> list[str]:
    """The region's municipalities as the documents list them: those that buy through the plan,
    and apart from them the members with a purchase of their own (``kb:ownPurchasing``)."""
    if not plan.municipalities:
        return []
    own = [m for m in plan.municipalities if m in plan.own_purchasing]
    through = [m for m in plan.municipalities if m not in plan.own_purchasing]
    if not own:
        return [
            f"Gemeenten van {plan.region or 'de regio'} volgens de kennisbank "
            f"({number(len(through))}): {', '.join(through)}."
        ]
    out = [
        f"Gemeenten van {plan.region or 'de regio'} die via dit plan inkopen "
        f"({number(len(through))}): {', '.join(through)}."
    ] if through else []  # fmt: skip
    out.append(
        f"Met een eigen inkoopproces, niet via dit plan ({number(len(own))}): {', '.join(own)}."
    )
    return out


def site_url_of(settings: Any) -> str | None:
    """The setting ``site_url`` (the public address of the site), None when unset."""
    return getattr(settings, "site_url", None) or None


def check_output(path: Path) -> Path:
    """Check an output path before any work is done: a ``.docx`` name in an existing folder."""
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise GenerateError(f"{path}: the output file must end in .docx")
    if path.is_dir():
        raise GenerateError(f"{path}: is a folder, not a file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise GenerateError(f"{folder}: folder does not exist")
    if not os.access(folder, os.W_OK):
        raise GenerateError(f"{folder}: folder is not writable")
    return path


def save(document: DocxDocument, path: Path) -> Path:
    """Write the document atomically; a failure leaves no partial file behind."""
    path = check_output(path)
    folder = path.parent if str(path.parent) else Path(".")
    return write_atomic(folder / path.name, docx_bytes(document))


def set_widths(
    table: Table, widths_cm: Sequence[float], *, numeric_from: int | None = None
) -> None:
    """Fixed column widths (Word and LibreOffice both honour cell widths), row by row.

    ``widths_cm`` are relative: the table spans the text width of the page (from the template's
    page size and margins), each column its share. Columns from ``numeric_from`` on are
    right-aligned, so amounts line up.
    """
    table.autofit = False
    available = text_width(table.part.document)  # type: ignore[attr-defined]  # a DocumentPart
    total = sum(widths_cm)
    widths = [Emu(int(available * w / total)) for w in widths_cm]
    _table_width(table, sum(widths))
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for n, (cell, width) in enumerate(zip(row.cells, widths, strict=False)):
            cell.width = width
            if numeric_from is not None and n >= numeric_from:
                for paragraph in cell.paragraphs:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table_width(table: Table, width: int) -> None:
    """``w:tblW`` in twentieths of a point, so Word and LibreOffice agree on the width."""
    tbl_pr = table._tbl.tblPr  # noqa: SLF001
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(width / 635)))


#: Ends of a label the extractor cut short (``short_label`` adds " …").
CUT = re.compile(r"\s*(…|\.\.\.)\s*$")


def is_cut(text: str) -> bool:
    """Whether ``text`` ends in a truncation mark."""
    return bool(CUT.search(text))


def short_form(item: Item) -> str:
    """A short form of an item that is never cut off: its label when that is whole, else the
    first sentence of its text (whole, however long), else the whole text."""
    if item.label and not is_cut(item.label):
        return item.label
    text = " ".join(item.text.split())
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first.rstrip(".:;") if not is_cut(first) else text
