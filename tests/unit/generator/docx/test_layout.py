"""Word documents a council can receive: A4, tables inside the margins, rows that stay together,
whole text (nothing cut with "…"), clean properties, a plain title page, two TOC levels,
numbered headings (all read back from the OOXML of documents written from the tiny graph)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from generator.docx.base import is_cut
from generator.docx.chart import _dutch

KINDS = ("chapter", "plan", "raadsvoorstel", "raadsvoorstel-plan")
#: A4 in twentieths of a point.
A4_TWIPS = (11906, 16838)


def _open(path: Path) -> DocxDocument:
    return Document(str(path))


def _texts(document: DocxDocument) -> list[str]:
    """Every paragraph and every cell paragraph of the body."""
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
                out.append(cell.text)
    return out


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_a4_pages_with_margins(written: dict[str, Path], kind: str) -> None:
    document = _open(written[kind])
    for section in document.sections:
        size = section._sectPr.find(qn("w:pgSz"))  # noqa: SLF001
        width, height = int(size.get(qn("w:w"))), int(size.get(qn("w:h")))
        assert (abs(width - A4_TWIPS[0]), abs(height - A4_TWIPS[1])) <= (1, 1), (width, height)
        assert section.left_margin.cm >= 2.0 and section.right_margin.cm >= 2.0


@pytest.mark.parametrize("kind", KINDS)
def test_tables_fit_the_text_width_and_rows_stay_together(
    written: dict[str, Path], kind: str
) -> None:
    document = _open(written[kind])
    section = document.sections[-1]
    text_twips = (section.page_width - section.left_margin - section.right_margin) / 635
    assert document.tables, "every document type has at least one table"
    for table in document.tables:
        tbl_w = table._tbl.tblPr.find(qn("w:tblW"))  # noqa: SLF001
        assert tbl_w.get(qn("w:type")) == "dxa" and int(tbl_w.get(qn("w:w"))) <= text_twips
        rows = table.rows
        for row in rows:
            widths = sum(cell.width for cell in row.cells if cell.width is not None) / 635
            assert widths <= text_twips + 1, (widths, text_twips)
            trpr = row._tr.trPr  # noqa: SLF001
            assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None
        assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # noqa: SLF001


@pytest.mark.parametrize("kind", KINDS)
def test_nothing_is_cut_off(written: dict[str, Path], kind: str) -> None:
    cut = [t for t in _texts(_open(written[kind])) if is_cut(t.strip())]
    assert not cut, cut


def test_whole_text_where_the_label_was_cut(written: dict[str, Path]) -> None:
    chapter = "\n".join(_texts(_open(written["chapter"])))
    # A heading takes the first sentence of the task, whole.
    assert (
        "Ontwikkelopgave: Meer jeugdigen wonen in een gezinsvorm dichtbij huis in plaats van in "
        "een leefgroep ver weg" in chapter
    )
    # The decision point states the whole choice.
    voorstel = "\n".join(_texts(_open(written["raadsvoorstel"])))
    assert "die aan de kwaliteitseisen van de regio voldoen en die bereid zijn samen te werken" in (
        voorstel
    )


@pytest.mark.parametrize("kind", KINDS)
def test_clean_document_properties(written: dict[str, Path], kind: str) -> None:
    path = written[kind]
    document = _open(path)
    props = document.core_properties
    assert props.title and props.subject and props.author == "Kennisbank jeugdhulp inkoop"
    assert props.language == "nl-NL" and not props.comments
    package = " ".join(_part(path, n) for n in ("docProps/core.xml", "docProps/app.xml"))
    assert "python-docx" not in package and "Normal.dotm" not in package
    with zipfile.ZipFile(path) as docx_zip:
        assert not [n for n in docx_zip.namelist() if "thumbnail" in n]
    settings = _part(path, "word/settings.xml")
    assert (
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
        in (settings)
    )
    assert '<w:themeFontLang w:val="nl-NL"' in settings and "en-US" not in settings
    styles = document.styles.element
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "nl-NL"


@pytest.mark.parametrize("kind", ["plan", "raadsvoorstel", "raadsvoorstel-plan"])
def test_title_page_without_running_header_or_page_number(
    written: dict[str, Path], kind: str
) -> None:
    section = _open(written[kind]).sections[0]
    assert section.different_first_page_header_footer
    first = section.first_page_header._element, section.first_page_footer._element  # noqa: SLF001
    assert not any("".join(part.itertext()).strip() for part in first)
    assert "PAGE" in "".join(section.footer._element.itertext())  # noqa: SLF001
    assert section.header.paragraphs[0].text  # the running header on the other pages


def test_chapter_has_running_header_on_its_first_page(written: dict[str, Path]) -> None:
    section = _open(written["chapter"]).sections[0]
    assert not section.different_first_page_header_footer and section.header.paragraphs[0].text


def test_toc_has_two_levels_and_headings_are_numbered(written: dict[str, Path]) -> None:
    document = _open(written["plan"])
    body = _part(written["plan"], "word/document.xml")
    assert 'TOC \\o "1-2"' in body
    for level in (1, 2, 3):
        num_pr = document.styles[f"Heading {level}"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        assert num_pr is not None, level
        assert num_pr.find(qn("w:ilvl")).get(qn("w:val")) == str(level - 1)
    # The TOC's own heading is based on Heading 1 but carries no number.
    toc = document.styles["TOC Heading"].element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    assert toc is not None and toc.find(qn("w:numId")).get(qn("w:val")) == "0"


@pytest.mark.parametrize("kind", KINDS)
def test_euro_sign_is_followed_by_a_no_break_space(written: dict[str, Path], kind: str) -> None:
    text = "\n".join(_texts(_open(written[kind])))
    amounts = [text[i : i + 2] for i, char in enumerate(text) if char == "€"]
    assert all(pair == "€\u00a0" for pair in amounts), amounts


def test_chart_numbers_use_a_decimal_comma() -> None:
    assert _dutch(44.0) == "44,0" and _dutch(1234.56) == "1.234,6"
