"""Word (OOXML) details python-docx does not cover, done right once.

* a real table-of-contents field that Word updates when the file opens (``w:updateFields``);
* the document language in the styles' defaults (``core_properties.language`` alone does nothing);
* numbered lists that restart at 1: a new ``w:num`` per list with a ``startOverride``;
* repeating table header rows (``w:tblHeader``);
* alt text on pictures (``wp:docPr/@descr``);
* page numbers in the footer (``PAGE``/``NUMPAGES`` fields);
* fixed timestamps for deterministic output.

Tables are filled through ``row.cells`` — never ``Table.cell()`` in a loop, which is quadratic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.table import Table
from docx.text.paragraph import Paragraph

LANGUAGE = "nl-NL"
#: Styles a house-style template must define (checked before generating).
REQUIRED_STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Number",
    "Caption",
    "Table Grid",
    "TOC Heading",
    "Header",
    "Footer",
)


def missing_styles(document: DocxDocument) -> list[str]:
    """Names of required styles the document's template lacks."""
    names = {s.name for s in document.styles}
    return [name for name in REQUIRED_STYLES if name not in names]


def set_language(document: DocxDocument, lang: str = LANGUAGE) -> None:
    """Set the language of all text via ``w:docDefaults`` in styles.xml (and the core property)."""
    styles = document.styles.element
    doc_defaults = styles.find(qn("w:docDefaults"))
    if doc_defaults is None:
        doc_defaults = OxmlElement("w:docDefaults")
        styles.insert(0, doc_defaults)
    rpr_default = _child(doc_defaults, "w:rPrDefault")
    rpr = _child(rpr_default, "w:rPr")
    lang_el = _child(rpr, "w:lang")
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang_el.set(qn(attr), lang)
    document.core_properties.language = lang


def _child(parent, tag: str):  # type: ignore[no-untyped-def]
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """Append a complex field (begin, instruction, separate, result, end) to a paragraph."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run = paragraph.add_run()
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(sep)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def add_toc(document: DocxDocument, levels: str = "1-3", title: str = "Inhoudsopgave") -> None:
    """A real TOC field; Word fills it on opening because ``updateFields`` is set."""
    document.add_paragraph(title, style="TOC Heading")
    _field(
        document.add_paragraph(),
        f'TOC \\o "{levels}" \\h \\z \\u',
        "Klik met de rechtermuisknop en kies ‘Veld bijwerken’ om de inhoudsopgave te tonen.",
    )
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def add_page_number_footer(document: DocxDocument, label: str = "Pagina") -> None:
    """``Pagina X van Y`` centred in the footer of every section."""
    for section in document.sections:
        footer = section.footer
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.text = ""
        paragraph.style = document.styles["Footer"]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(f"{label} ")
        _field(paragraph, "PAGE", "1")
        paragraph.add_run(" van ")
        _field(paragraph, "NUMPAGES", "1")


def set_header_text(document: DocxDocument, text: str) -> None:
    """A running header with the document title."""
    for section in document.sections:
        header = section.header
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.text = text
        paragraph.style = document.styles["Header"]


def _num_id_of_style(document: DocxDocument, style_name: str) -> str | None:
    style = document.styles[style_name].element
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    return num_id.get(qn("w:val")) if num_id is not None else None


def new_numbered_list(document: DocxDocument, style_name: str = "List Number") -> int:
    """Create a new ``w:num`` for the style's abstract numbering that starts again at 1.

    Paragraphs that use the returned id form one list; the next call gives a fresh list.
    """
    numbering = document.part.numbering_part.numbering_definitions._numbering
    base_id = _num_id_of_style(document, style_name)
    abstract_id = None
    if base_id is not None:
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == base_id:
                abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    if abstract_id is None:
        raise ValueError(f"style '{style_name}' has no numbering definition")
    existing = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    new_id = max(existing, default=0) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    abstract = OxmlElement("w:abstractNumId")
    abstract.set(qn("w:val"), abstract_id)
    num.append(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return new_id


def add_numbered_item(
    document: DocxDocument, text: str, num_id: int, style_name: str = "List Number"
) -> Paragraph:
    """A paragraph in the numbered list ``num_id`` (see :func:`new_numbered_list`)."""
    paragraph = document.add_paragraph(text, style=style_name)
    ppr = paragraph._p.get_or_add_pPr()
    num_pr = _child(ppr, "w:numPr")
    ilvl = _child(num_pr, "w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = _child(num_pr, "w:numId")
    num.set(qn("w:val"), str(num_id))
    return paragraph


def add_table(
    document: DocxDocument,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    style: str = "Table Grid",
    caption: str | None = None,
) -> Table:
    """A table with a repeating header row, filled row by row (``row.cells``)."""
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = document.styles[style]
    all_rows = table.rows
    for cell, text in zip(all_rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    mark_header_row(all_rows[0])
    for row, values in zip(all_rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = "" if text is None else str(text)
    return table


def mark_header_row(row) -> None:  # type: ignore[no-untyped-def]
    """Repeat this row at the top of every page the table spans (and mark it as header)."""
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def set_alt_text(shape: InlineShape, description: str, title: str = "") -> None:
    """Alt text of a picture, read by screen readers (``wp:docPr/@descr``)."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)


def set_properties(
    document: DocxDocument,
    *,
    title: str,
    subject: str,
    author: str,
    fixed_time: dt.datetime | None = None,
) -> None:
    """Title, subject and author; with ``fixed_time`` all timestamps are that moment."""
    props = document.core_properties
    props.title = title
    props.subject = subject
    props.author = author
    props.last_modified_by = author
    props.keywords = "jeugdhulp; inkoop"
    props.revision = 1
    moment = fixed_time or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.created = moment
    props.modified = moment
    props.last_printed = moment


def page_break(document: DocxDocument) -> None:
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
