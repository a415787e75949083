"""Reading generated Word documents back: headings, text, tables, fields (for the tests)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn


def open_docx(path: Path) -> DocxDocument:
    """The document at ``path``."""
    return Document(str(path))


def headings(document: DocxDocument, max_level: int = 9) -> list[tuple[int, str]]:
    """(level, text) of every heading paragraph, in order."""
    out = []
    for p in document.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading "):
            level = int(name.split()[1])
            if level <= max_level:
                out.append((level, p.text))
    return out


def all_text(document: DocxDocument) -> str:
    """Paragraph and table-cell text of the body, one piece per line."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def structure(document: DocxDocument) -> list[list[str]]:
    """[style, text] of every body paragraph and table row: the golden-file form."""
    out: list[list[str]] = []
    body = document.element.body
    paragraphs = {p._p: p for p in document.paragraphs}
    tables = {t._tbl: t for t in document.tables}
    for child in body.iterchildren():
        if child in paragraphs:
            p = paragraphs[child]
            if p.text.strip():
                out.append([p.style.name, p.text])
        elif child in tables:
            for row in tables[child].rows:
                out.append(["row", " | ".join(c.text for c in row.cells)])
    return out


def table_with_header(document: DocxDocument, first: str) -> list[list[str]]:
    """Rows (as text) of the first table whose header starts with ``first``."""
    for table in document.tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if rows and rows[0][0] == first:
            return rows
    raise AssertionError(f"no table with header {first!r}")


def doc_language(document: DocxDocument) -> str | None:
    """``w:lang/@w:val`` of the styles' docDefaults."""
    lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    return None if lang is None else lang.get(qn("w:val"))


def field_instructions(document: DocxDocument) -> list[str]:
    """The instruction text of every complex field in the body."""
    return [el.text or "" for el in document.element.body.iter(qn("w:instrText"))]


def numbered_lists(document: DocxDocument) -> dict[str, list[str]]:
    """numId → paragraph texts of every numbered paragraph (direct numbering)."""
    out: dict[str, list[str]] = {}
    for p in document.paragraphs:
        num = p._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num is not None:
            out.setdefault(num.get(qn("w:val")), []).append(p.text)
    return out


def start_override(document: DocxDocument, num_id: str) -> str | None:
    """The ``startOverride`` of level 0 of numbering instance ``num_id``."""
    numbering = document.part.numbering_part.element
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == num_id:
            start = num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
            return None if start is None else start.get(qn("w:val"))
    return None
