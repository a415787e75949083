"""The Word, PDF and HTML readers, on small files built at test time."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from fpdf import FPDF

from kb.ingest.docx import read_docx
from kb.ingest.html import read_html
from kb.ingest.model import Block, ReadError
from kb.ingest.pdf import read_pdf

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def tiny_png() -> bytes:
    """A valid 1x1 RGB PNG, written byte by byte."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def summary(blocks: list[Block]) -> list[tuple[str, str, int]]:
    return [(b.kind, b.text, b.level) for b in blocks]


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------


def add_footnote_part(document: docx.document.Document, notes: dict[int, str]) -> None:
    """python-docx cannot write footnotes: add a footnotes part like Word's by hand."""
    bodies = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r>'
        f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        for i, text in notes.items()
    )
    xml = (
        f'<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f"</w:footnote>{bodies}</w:footnotes>"
    )
    part = Part(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), document.part.package
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def footnote_ref(paragraph, note_id: int) -> None:
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:footnoteReference xmlns:w="{W}" w:id="{note_id}"/>'))


@pytest.fixture()
def plan_docx(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_heading("1. Inleiding", level=1)
    intro = document.add_paragraph("Voor u ligt het inkoopplan\u00a0jeugdhulp 2021.   ")
    footnote_ref(intro, 1)
    document.add_paragraph("")  # empty paragraphs are layout, not content
    document.add_paragraph("   ")
    document.add_heading("4.2 Segment 2: Wonen", level=2)
    document.add_paragraph("Het segment omvat:")
    document.add_paragraph("Pleegzorg", style="List Bullet")
    document.add_paragraph("Gezinshuizen", style="List Bullet 2")
    document.add_paragraph("Residentiële jeugdhulp", style="List Bullet")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [
            ("Segment", "Budget", "Aanbieders"),
            ("Wonen", "€ 5.802.000", "12"),
            ("Ambulant", "€ 1.000", "30"),
        ]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()))
    picture._inline.docPr.set("descr", "Kaart van de regio Zuid-Holland Zuid")
    document.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()))  # no alt text
    document.add_paragraph("Slot.")
    add_footnote_part(document, {1: "Vastgesteld door het AB op 1 juli 2020."})
    path = tmp_path / "inkoopplan.docx"
    document.save(str(path))
    return path


def test_docx_headings_paragraphs_lists_table_figures_in_order(plan_docx: Path) -> None:
    blocks = read_docx(plan_docx)
    table_text = "Segment\tBudget\tAanbieders\nWonen\t€ 5.802.000\t12\nAmbulant\t€ 1.000\t30"
    assert summary(blocks) == [
        ("heading", "1. Inleiding", 1),
        ("paragraph", "Voor u ligt het inkoopplan jeugdhulp 2021.", 0),
        ("heading", "4.2 Segment 2: Wonen", 2),
        ("paragraph", "Het segment omvat:", 0),
        ("list_item", "Pleegzorg", 0),
        ("list_item", "Gezinshuizen", 1),
        ("list_item", "Residentiële jeugdhulp", 0),
        ("table", table_text, 0),
        ("figure", "Kaart van de regio Zuid-Holland Zuid", 0),
        ("figure", "Afbeelding", 0),
        ("paragraph", "Slot.", 0),
    ]
    assert [b.number for b in blocks if b.kind == "heading"] == ["1", "4.2"]
    table = blocks[7]
    assert table.rows == (
        ("Segment", "Budget", "Aanbieders"),
        ("Wonen", "€ 5.802.000", "12"),
        ("Ambulant", "€ 1.000", "30"),
    )


def test_docx_footnote_is_attached_to_the_referencing_block(plan_docx: Path) -> None:
    blocks = read_docx(plan_docx)
    assert blocks[1].footnotes == ("Vastgesteld door het AB op 1 juli 2020.",)
    assert all(not b.footnotes for b in blocks if b is not blocks[1])


def test_docx_merged_cells_once_per_row_and_line_breaks_in_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "Segment Wonen"
    table.cell(1, 0).text = "Doelgroep"
    table.cell(1, 1).text = "Jeugdigen"
    table.cell(1, 1).add_paragraph("met een beperking")
    table.cell(1, 2).text = "0-18"
    tall = table.cell(1, 2).merge(table.cell(2, 2))  # vertical merge: one value, two rows
    tall.text = "0-18"
    table.cell(2, 0).text = "Budget"
    table.cell(2, 1).text = "€ 1"
    path = tmp_path / "merged.docx"
    document.save(str(path))
    [block] = read_docx(path)
    assert block.kind == "table"
    assert block.rows == (
        ("Segment Wonen", "", ""),
        ("Doelgroep", "Jeugdigen\nmet een beperking", "0-18"),
        ("Budget", "€ 1", ""),
    )
    assert (
        block.text
        == "Segment Wonen\t\t\nDoelgroep\tJeugdigen met een beperking\t0-18\nBudget\t€ 1\t"
    )


def test_docx_outline_level_custom_heading_style_and_auto_numbering(tmp_path: Path) -> None:
    document = docx.Document()
    # A Normal paragraph promoted with an outline level (Word: "Niveau 2").
    promoted = document.add_paragraph("Financiën")
    promoted._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl xmlns:w="{W}" w:val="1"/>'))
    # A house style based on Heading 1 inherits its outline level.
    house = document.styles.add_style("Kop rood", 1)
    house.base_style = document.styles["Heading 1"]
    document.add_paragraph("Bijlagen", style=house)
    # Headings numbered by Word itself: the number is not in the text runs.
    for title in ("Achtergrond", "Doel"):
        heading = document.add_heading(title, level=1)
        heading._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="5"/></w:numPr>')
        )
    # Numbered list items (direct numbering with ilvl) keep their text, level from ilvl.
    item = document.add_paragraph("Subpunt")
    item._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>')
    )
    path = tmp_path / "outline.docx"
    document.save(str(path))
    blocks = read_docx(path)
    assert [(b.kind, b.text, b.level, b.number) for b in blocks] == [
        ("heading", "Financiën", 2, ""),
        ("heading", "Bijlagen", 1, ""),
        ("heading", "1. Achtergrond", 1, "1"),
        ("heading", "2. Doel", 1, "2"),
        ("list_item", "Subpunt", 2, ""),
    ]


RICH_BODY = f"""<w:root xmlns:w="{W}"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml">
<w:sdt><w:sdtContent><w:p><w:r><w:t>In een inhoudsbesturingselement</w:t></w:r></w:p>
</w:sdtContent></w:sdt>
<w:p><w:r><w:t xml:space="preserve">Zie </w:t></w:r>
<w:hyperlink r:id="rId99"><w:r><w:t>de website</w:t></w:r></w:hyperlink>
<w:ins><w:r><w:t xml:space="preserve"> nieuw</w:t></w:r></w:ins>
<w:del><w:r><w:delText xml:space="preserve"> oud</w:delText></w:r></w:del>
<w:r><w:rPr><w:vanish/></w:rPr><w:t>verborgen</w:t></w:r>
<w:r><w:t>.</w:t><w:br/><w:t>Tweede regel, pagina</w:t></w:r>
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> 7</w:t></w:r>
<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>
<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>
<wp:docPr id="3" name="Tekstvak 1"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>
<w:p><w:r><w:t>Tekst in een tekstvak</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>
</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
<w:p><w:r><w:t>Tekst in een tekstvak</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape>
</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
</w:root>"""


def test_docx_visible_text_only_content_controls_text_boxes_and_frames(tmp_path: Path) -> None:
    document = docx.Document()
    section_properties = document.element.body[-1]
    for element in list(parse_xml(RICH_BODY)):
        section_properties.addprevious(element)
    frame = document.add_table(rows=1, cols=1).cell(0, 0)  # a 1x1 "kader" around content
    frame.text = "Kader"
    frame.add_paragraph("Opsomming in kader", style="List Bullet")
    document.add_paragraph("Inhoudsopgave", style="TOC Heading")  # outline level 9: body text
    document.add_heading("Diep", 9)
    path = tmp_path / "rijk.docx"
    document.save(str(path))
    assert summary(read_docx(path)) == [
        ("paragraph", "In een inhoudsbesturingselement", 0),
        # Hyperlinks and insertions count, deletions and hidden runs do not; the field shows
        # its result, not its code; a line break stays a line break.
        ("paragraph", "Zie de website nieuw.\nTweede regel, pagina 7", 0),
        # The text box once, although Word stores it twice (DrawingML and VML fallback).
        ("paragraph", "Tekst in een tekstvak", 0),
        ("paragraph", "Kader", 0),
        ("list_item", "Opsomming in kader", 0),
        ("paragraph", "Inhoudsopgave", 0),
        ("heading", "Diep", 6),
    ]


def test_docx_bad_inputs_are_read_errors(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.docx"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match=r"leeg\.docx: empty file"):
        read_docx(empty)

    garbage = tmp_path / "kapot.docx"
    garbage.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ReadError, match=r"kapot\.docx: not a valid \.docx \(corrupt zip\)"):
        read_docx(garbage)

    legacy = tmp_path / "oud.docx"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ReadError, match=r"oud\.docx: .*legacy \.doc or password-protected"):
        read_docx(legacy)

    import zipfile

    other_zip = tmp_path / "archief.docx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "geen Word")
    with pytest.raises(ReadError, match=r"archief\.docx: not a valid \.docx"):
        read_docx(other_zip)

    blank = tmp_path / "blanco.docx"
    document = docx.Document()
    document.add_paragraph("  ")
    document.save(str(blank))
    with pytest.raises(ReadError) as info:
        read_docx(blank)
    assert info.value.path == blank
    assert info.value.reason == "empty file (no text in the document)"


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


class ReportPdf(FPDF):
    """A PDF like the ones municipalities publish: running header and "Pagina N" footer."""

    def header(self) -> None:
        self.set_font("Helvetica", size=8)
        self.cell(0, 8, "Inkoopplan Jeugd 2021 - Regio Zuid", align="R")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Pagina {self.page_no()}", align="C")


def new_pdf(cls: type[FPDF] = ReportPdf) -> FPDF:
    pdf = cls()
    pdf.core_fonts_encoding = "cp1252"  # "•", "€" and "–" are in Windows-1252, not Latin-1
    pdf.set_font("Helvetica", size=11)
    return pdf


def write(pdf: FPDF, text: str, *, bold: bool = False, x: float | None = None) -> None:
    pdf.set_font("Helvetica", "B" if bold else "", 14 if bold else 11)
    if x is not None:
        pdf.set_x(x)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")


LONG = (
    "De gemeenten in de regio werken samen bij de inkoop van specialistische jeugdhulp en "
    "maken daarover afspraken met aanbieders over kwaliteit, toegang en bekostiging. "
)


@pytest.fixture()
def report_pdf(tmp_path: Path) -> Path:
    pdf = new_pdf()
    pdf.add_page()
    write(pdf, "1 Inleiding", bold=True)
    write(pdf, "Dit plan beschrijft de inkoop van jeugdhulp voor 2021.")
    pdf.ln(6)
    write(pdf, "De jeugd-\nhulpaanbieders leveren zorg-\nen welzijnstaken in Noord-\nHolland.")
    pdf.ln(6)
    write(pdf, "1.2 Segment 2: Wonen", bold=True)
    write(pdf, "• Pleegzorg")
    write(pdf, "• Gezinshuizen en")
    write(pdf, "• Kleinschalig wonen", x=25)
    write(pdf, "• Residentiële jeugdhulp")
    pdf.ln(6)
    # A paragraph long enough to run from page 1 onto page 2 (auto page break).
    pdf.set_y(230)
    write(pdf, LONG * 4 + "Einde van de lange alinea.")
    pdf.ln(6)
    write(pdf, "Tweede alinea op de tweede pagina.")
    pdf.add_page()
    write(pdf, "2 Financiën", bold=True)
    write(pdf, "Het budget voor 2021 is € 5.802.000.")
    pdf.ln(6)
    for row in (("Segment", "Budget", "Aanbieders"), ("Wonen", "€ 1.000", "12")):
        for cell in row:
            pdf.cell(50, 6, cell)
        pdf.ln()
    path = tmp_path / "rapport.pdf"
    pdf.output(str(path))
    return path


def test_pdf_structure_footer_header_dropped_and_paragraph_across_pages(report_pdf: Path) -> None:
    blocks = read_pdf(report_pdf)
    long_text = (LONG * 4 + "Einde van de lange alinea.").strip()
    assert summary(blocks) == [
        ("heading", "1 Inleiding", 1),
        ("paragraph", "Dit plan beschrijft de inkoop van jeugdhulp voor 2021.", 0),
        ("paragraph", "De jeugdhulpaanbieders leveren zorg- en welzijnstaken in Noord-Holland.", 0),
        ("heading", "1.2 Segment 2: Wonen", 2),
        ("list_item", "Pleegzorg", 0),
        ("list_item", "Gezinshuizen en", 0),
        ("list_item", "Kleinschalig wonen", 1),
        ("list_item", "Residentiële jeugdhulp", 0),
        ("paragraph", long_text, 0),
        ("paragraph", "Tweede alinea op de tweede pagina.", 0),
        ("heading", "2 Financiën", 1),
        ("paragraph", "Het budget voor 2021 is € 5.802.000.", 0),
        ("table", "Segment\tBudget\tAanbieders\nWonen\t€ 1.000\t12", 0),
    ]
    assert [b.number for b in blocks if b.kind == "heading"] == ["1", "1.2", "2"]
    assert blocks[-1].rows == (("Segment", "Budget", "Aanbieders"), ("Wonen", "€ 1.000", "12"))
    every_text = "\n".join(b.text for b in blocks)
    assert "Pagina" not in every_text
    assert "Inkoopplan Jeugd 2021 - Regio Zuid" not in every_text


def test_pdf_numbered_lines_that_break_the_sequence_are_not_headings(tmp_path: Path) -> None:
    pdf = new_pdf(FPDF)
    pdf.add_page()
    write(pdf, "2 Segmenten", bold=True)
    write(pdf, "Inhoud van het hoofdstuk.")
    pdf.ln(6)
    write(pdf, "1. Aanbieder levert zorg")  # a numbered list line, not chapter 1 again
    pdf.ln(6)
    write(pdf, "2.1 Jeugd en Gezin", bold=True)
    write(pdf, "3 Financiën .......... 12")  # a table-of-contents line
    path = tmp_path / "volgorde.pdf"
    pdf.output(str(path))
    blocks = read_pdf(path)
    assert [(b.kind, b.number) for b in blocks] == [
        ("heading", "2"),
        ("paragraph", ""),
        ("list_item", ""),
        ("heading", "2.1"),
        ("toc", ""),  # a contents entry: kept, never a heading
    ]
    assert blocks[2].text == "1. Aanbieder levert zorg"
    assert blocks[4].text == "3 Financiën .......... 12"


def test_pdf_empty_truncated_and_not_a_pdf(tmp_path: Path, report_pdf: Path) -> None:
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match=r"leeg\.pdf: empty file"):
        read_pdf(empty)

    raw = report_pdf.read_bytes()
    truncated = tmp_path / "afgebroken.pdf"
    truncated.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(ReadError, match=r"afgebroken\.pdf: not a valid PDF \(truncated"):
        read_pdf(truncated)

    html = tmp_path / "eigenlijk-html.pdf"
    html.write_bytes(b"<html><body>Not found</body></html>")
    with pytest.raises(ReadError, match=r"eigenlijk-html\.pdf: not a valid PDF \(no %PDF header\)"):
        read_pdf(html)

    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    with pytest.raises(ReadError, match=r"corrupt\.pdf: "):
        read_pdf(corrupt)


def test_pdf_encrypted_with_user_password_is_a_read_error(tmp_path: Path) -> None:
    pdf = new_pdf(FPDF)
    pdf.set_encryption(owner_password="eigenaar", user_password="secret")
    pdf.add_page()
    write(pdf, "Vertrouwelijk.")
    path = tmp_path / "geheim.pdf"
    pdf.output(str(path))
    with pytest.raises(ReadError, match=r"geheim\.pdf: encrypted PDF: a password is required"):
        read_pdf(path)


def test_pdf_encrypted_with_owner_password_only_is_read(tmp_path: Path) -> None:
    pdf = new_pdf(FPDF)
    pdf.set_encryption(owner_password="eigenaar")  # opens without a password, only restricted
    pdf.add_page()
    write(pdf, "Openbaar maar beveiligd.")
    path = tmp_path / "beveiligd.pdf"
    pdf.output(str(path))
    assert summary(read_pdf(path)) == [("paragraph", "Openbaar maar beveiligd.", 0)]


def test_pdf_with_only_an_image_has_no_text_layer(tmp_path: Path) -> None:
    pdf = new_pdf(FPDF)
    pdf.add_page()
    pdf.image(io.BytesIO(tiny_png()), x=10, y=10, w=100)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(ReadError, match=r"scan\.pdf: no text layer \(scanned\?\)"):
        read_pdf(path)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="nl"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">
<title>Inkoop</title>
<script>document.write("<p>niet tonen</p>");</script>
<style>p { color: red }</style>
</head><body>
<header><a href="/">Gemeente</a> <nav><ul><li>Home</li><li>Zoeken</li></ul></nav></header>
<main>
  <h1>Inkoop   jeugdhulp</h1>
  <p>Het budget is € 5 miljoen voor de co&ouml;peratie
     van <b>Zuid</b>-Holland&nbsp;Zuid. Financiën<br>volgen later.</p>
  <p hidden>verborgen tekst</p>
  <div style="display: none">ook verborgen</div>
  <!-- commentaar -->
  <h2>4.2 Segment 2: Wonen</h2>
  <div>Losse tekst in een div<p>met een alinea erin</p></div>
  <ul>
    <li>Pleegzorg
      <ul><li>Netwerkpleegzorg</li>
          <li>Bestandspleegzorg<ol><li>Crisis</li></ol></li></ul>
    </li>
    <li><p>Gezinshuizen</p></li>
  </ul>
  <table>
    <tr><th>Segment</th><th>Budget</th></tr>
    <tr><td>Wonen</td><td>€ 1.000</td></tr>
    <tr><td colspan="2">Totaal onbekend</td></tr>
  </table>
  <p>Voorbeeld: &lt;script&gt;alert(1)&lt;/script&gt;</p>
  <img src="kaart.png" alt="Kaart van de regio">
  <img src="spacer.gif" alt="">
  <figure><img src="org.png" alt="org"><figcaption>Figuur 1: Organogram</figcaption></figure>
  <noscript>Zet JavaScript aan</noscript>
  <form><label>Zoek</label><input name="q"></form>
  <template><p>sjabloon</p></template>
</main>
<footer>© Gemeente</footer>
</body></html>
"""


def test_html_cp1252_page_main_content_in_order(tmp_path: Path) -> None:
    path = tmp_path / "inkoop.html"
    path.write_bytes(PAGE.encode("cp1252"))
    blocks = read_html(path)
    assert summary(blocks) == [
        ("heading", "Inkoop jeugdhulp", 1),
        (
            "paragraph",
            "Het budget is € 5 miljoen voor de coöperatie van Zuid-Holland Zuid. Financiën\n"
            "volgen later.",
            0,
        ),
        ("heading", "4.2 Segment 2: Wonen", 2),
        ("paragraph", "Losse tekst in een div", 0),
        ("paragraph", "met een alinea erin", 0),
        ("list_item", "Pleegzorg", 0),
        ("list_item", "Netwerkpleegzorg", 1),
        ("list_item", "Bestandspleegzorg", 1),
        ("list_item", "Crisis", 2),
        ("list_item", "Gezinshuizen", 0),
        ("table", "Segment\tBudget\nWonen\t€ 1.000\nTotaal onbekend\t", 0),
        ("paragraph", "Voorbeeld: <script>alert(1)</script>", 0),
        ("figure", "Kaart van de regio", 0),
        ("figure", "Figuur 1: Organogram", 0),
    ]
    assert blocks[2].number == "4.2"
    assert blocks[10].rows == (("Segment", "Budget"), ("Wonen", "€ 1.000"), ("Totaal onbekend", ""))


def test_html_raw_bytes_meta_charset_xml_declaration_and_fallbacks(tmp_path: Path) -> None:
    path = tmp_path / "pagina.htm"
    short = '<html><head><meta charset="iso-8859-1"></head><body><p>Financiën “€”</p></body></html>'
    # Declared ISO-8859-1 is read as Windows-1252, like browsers do (curly quotes, euro).
    assert read_html(path, short.encode("cp1252"))[0].text == "Financiën “€”"
    xhtml = '<?xml version="1.0" encoding="windows-1252"?><html><body><p>€ 5</p></body></html>'
    assert read_html(path, xhtml.encode("cp1252"))[0].text == "€ 5"
    undeclared_utf8 = "<p>coöperatie €</p>".encode()
    assert read_html(path, undeclared_utf8)[0].text == "coöperatie €"
    undeclared_cp1252 = "<p>coöperatie €</p>".encode("cp1252")
    assert read_html(path, undeclared_cp1252)[0].text == "coöperatie €"
    # A declaration that does not fit the bytes falls back to Windows-1252.
    wrong = '<meta charset="utf-8"><p>Financiën</p>'.encode("cp1252")
    assert read_html(path, wrong)[0].text == "Financiën"


def test_html_without_main_reads_body_and_keeps_article_header(tmp_path: Path) -> None:
    path = tmp_path / "nieuws.html"
    page = (
        "<body><header><h1>Gemeentesite</h1></header>"
        "<article><header><h1>Nieuwe aanbesteding</h1></header><p>Tekst.</p>"
        "<footer>Deel dit bericht</footer></article>"
        "<aside aria-hidden='true'>Lees ook</aside></body>"
    )
    assert summary(read_html(path, page.encode())) == [
        ("heading", "Nieuwe aanbesteding", 1),
        ("paragraph", "Tekst.", 0),
    ]
    no_main = "<body><nav>Menu</nav><h2>Titel</h2><p>Een <em>alinea</em>.</p></body>"
    assert summary(read_html(path, no_main.encode())) == [
        ("heading", "Titel", 2),
        ("paragraph", "Een alinea.", 0),
    ]


def test_html_bad_inputs_are_read_errors(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.html"
    empty.write_bytes(b"")
    with pytest.raises(ReadError, match=r"leeg\.html: empty file"):
        read_html(empty)
    only_script = tmp_path / "script.html"
    only_script.write_bytes(b"<html><script>var a = 1;</script><nav>Menu</nav></html>")
    with pytest.raises(ReadError, match=r"script\.html: empty file \(no text content"):
        read_html(only_script)
    binary = tmp_path / "binair.html"
    binary.write_bytes(b"\x00\x01\x02<html>\x00")
    with pytest.raises(ReadError, match=r"binair\.html: not a valid HTML file \(binary data\)"):
        read_html(binary)
    pdf = tmp_path / "download.html"
    pdf.write_bytes(b"%PDF-1.7 ...")
    with pytest.raises(ReadError, match=r"download\.html: not a valid HTML file"):
        read_html(pdf)
    undecodable = tmp_path / "rommel.html"
    undecodable.write_bytes(b"<p>\x81\x8d\x90</p>")
    with pytest.raises(ReadError, match=r"rommel\.html: cannot decode"):
        read_html(undecodable)
    missing = tmp_path / "weg.html"
    with pytest.raises(ReadError, match=r"weg\.html: cannot read file"):
        read_html(missing)


def test_pdf_a_line_closing_several_pages_at_different_heights_is_body_text(
    tmp_path: Path,
) -> None:
    """Repetition alone does not make a footer: the line must sit at the same page height."""
    pdf = new_pdf(FPDF)
    closing = "Looptijd: vier jaar met twee keer een optie tot verlenging."
    for number in range(1, 5):
        pdf.add_page()
        write(pdf, f"Perceel {number}", bold=True)
        for _ in range(number * 3):  # a body of a different length on every page
            write(pdf, f"Tekst over perceel {number} en de aanbieders die het leveren.")
        write(pdf, closing)
        pdf.set_y(-20)
        write(pdf, "Inkoopplan 2026 - vastgesteld")  # a real footer: same height everywhere
    path = tmp_path / "percelen.pdf"
    pdf.output(str(path))
    texts = [b.text for b in read_pdf(path)]
    assert sum(t.count(closing) for t in texts) == 4
    assert not any("vastgesteld" in t for t in texts)


def test_html_chrome_is_removed_by_role_class_and_link_density(tmp_path: Path) -> None:
    """A page without <main>: the content root is found around the h1; chrome inside it goes."""
    page = (
        "<body><div class='top'><ul><li><a href='/a'>Afval</a></li><li><a href='/p'>Paspoort"
        "</a></li></ul></div><div id='midden'><h1>Lot 3 jeugdhulp</h1>"
        "<p>De regio koopt lot 3 in voor vier jaar, met een optie tot verlenging.</p>"
        "<p class='datum'>Gepubliceerd: 3 maart 2026</p>"
        "<div class='social-links'>Delen via <span>mail</span></div>"
        "<p>Volg ons: <a href='/x'>X</a> <a href='/f'>Facebook</a> <a href='/i'>Instagram</a></p>"
        "<div role='dialog'>Wij gebruiken cookies.</div></div>"
        "<div class='onder'><p>Gemeente Voorbeeld, Postbus 1</p></div></body>"
    )
    path = tmp_path / "lot.html"
    path.write_text(page, encoding="utf-8")
    texts = [b.text for b in read_html(path)]
    assert texts == [
        "Lot 3 jeugdhulp",
        "De regio koopt lot 3 in voor vier jaar, met een optie tot verlenging.",
        "Gepubliceerd: 3 maart 2026",
    ]


def test_pdf_blocks_and_passages_know_their_page(report_pdf: Path) -> None:
    from kb.ingest.read import read_document

    def page_of(items: list[Any], start: str) -> int:
        return next(x.page for x in items if x.text.startswith(start))

    blocks = read_pdf(report_pdf)
    assert page_of(blocks, "1 Inleiding") == 1
    # A paragraph carried over a page break starts on the page it was opened on.
    assert page_of(blocks, LONG[:40]) == 1
    assert page_of(blocks, "Tweede alinea") == 2
    assert page_of(blocks, "2 Financi") == 3 and blocks[-1].page == 3
    doc = read_document(report_pdf)
    assert page_of(doc.passages, "Tweede alinea") == 2
    assert page_of(doc.passages, "Het budget voor 2021") == 3
    assert all(p.page >= 1 for p in doc.passages)
