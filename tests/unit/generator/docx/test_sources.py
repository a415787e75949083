"""Sources that survive editing: every sourced paragraph carries a real Word footnote (document,
section, quote; a link to the passage with ``site_url``), the source list groups by document, a
template without footnote styles works, and the output stays deterministic."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from lxml import etree
from rdflib import XSD, Graph, Literal, URIRef

from generator.docx.footnotes import REFERENCE_STYLE, TEXT_STYLE
from generator.site import links
from kb.rdf.namespaces import KB
from kb.resources import word_template

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
TITLE = "Inkoopplan jeugdhulp Zuidhoek 2030"
#: The target group of the tiny graph and the words of its passage it was read from.
GROUP = "https://w3id.org/jeugdhulp-kb/id/target-group/zuidhoek/verblijf/1"
PASSAGE = "https://w3id.org/jeugdhulp-kb/id/document/plan-zuidhoek/p1"
QUOTE = "jeugdigen van 4 tot en met 17 jaar"
SITE = "https://kennisbank.example.nl/jeugd/"
FIXED = dt.datetime(2026, 1, 1)


@pytest.fixture(scope="module")
def quoted(tiny: Graph) -> Graph:
    """The tiny graph with the quote of one fact (``kb:quote``, verbatim in its passage)."""
    graph = Graph(store="Oxigraph")
    graph += tiny
    graph.add((URIRef(GROUP), KB.quote, Literal(QUOTE)))
    return graph


def _xml(path: Path, member: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(member))


def _notes(path: Path) -> dict[str, etree._Element]:
    root = _xml(path, "word/footnotes.xml")
    return {n.get(f"{{{W}}}id"): n for n in root.findall("w:footnote", NS)}


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


def _style_names(path: Path) -> set[str]:
    styles = _xml(path, "word/styles.xml").findall("w:style", NS)
    return {n.get(f"{{{W}}}val") for s in styles if (n := s.find("w:name", NS)) is not None}


def _chapter(graph: Graph, folder: Path, **kw: object) -> Path:
    from generator.docx.chapter import write_chapter

    folder.mkdir(parents=True, exist_ok=True)
    return write_chapter(graph, "verblijf", folder / "chapter.docx", plan=TITLE, **kw)  # type: ignore[arg-type]


def test_a_sourced_bullet_has_a_footnote_with_document_section_and_quote(
    quoted: Graph, tmp_path: Path
) -> None:
    path = _chapter(quoted, tmp_path)
    body = _xml(path, "word/document.xml")
    [bullet] = [
        p
        for p in body.iter(f"{{{W}}}p")
        if _text(p).startswith("Jeugdigen van 4 tot en met 17 jaar")
    ]
    [ref] = bullet.findall(".//w:footnoteReference", NS)
    note = _text(_notes(path)[ref.get(f"{{{W}}}id")])
    assert TITLE in note
    assert "§ 3.1 Segment 1: Verblijf" in note
    assert f"“{QUOTE}”" in note
    # Without a site address there is no link anywhere in the notes.
    assert not _xml(path, "word/footnotes.xml").findall(".//w:hyperlink", NS)
    # The tiny plan has no pages: no page number.
    assert "pagina" not in note


def test_the_footnote_gives_the_page_where_the_original_has_pages(
    quoted: Graph, tmp_path: Path
) -> None:
    paged = Graph(store="Oxigraph")
    paged += quoted
    paged.add((URIRef(PASSAGE), KB.page, Literal(7, datatype=XSD.integer)))
    path = _chapter(paged, tmp_path)
    notes = [_text(n) for n in _notes(path).values()]
    assert any(f"“{QUOTE}”" in n and "§ 3.1 Segment 1: Verblijf, pagina 7." in n for n in notes)


def test_every_sourced_paragraph_has_exactly_one_note_and_notes_are_numbered_in_order(
    quoted: Graph, tmp_path: Path
) -> None:
    path = _chapter(quoted, tmp_path)
    body = _xml(path, "word/document.xml")
    refs = [r.get(f"{{{W}}}id") for r in body.iter(f"{{{W}}}footnoteReference")]
    # The target group, two milestones (planning) and the summary table's funding choice have
    # sources in the tiny graph; the funding model has none and gets no note.
    assert refs == [str(n) for n in range(1, len(refs) + 1)]
    assert len(refs) >= 3
    notes = _notes(path)
    # Separator notes plus one note per reference, none unused.
    assert {k for k, n in notes.items() if n.get(f"{{{W}}}type") is None} == set(refs)
    milestone_rows = [
        row for row in body.iter(f"{{{W}}}tr") if _text(row).startswith("1 juli 2030")
    ]
    assert milestone_rows and milestone_rows[0].findall(".//w:footnoteReference", NS)


def test_with_site_url_the_note_links_to_the_passage_on_the_site(
    quoted: Graph, tmp_path: Path
) -> None:
    path = _chapter(quoted, tmp_path, settings=SimpleNamespace(default_plan=None, site_url=SITE))
    with zipfile.ZipFile(path) as package:
        rels = etree.fromstring(package.read("word/_rels/footnotes.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    notes = _xml(path, "word/footnotes.xml")
    links_found = {targets[h.get(f"{{{R}}}id")] for h in notes.iterfind(".//w:hyperlink", NS)}
    page, _, anchor = links.passage_target(PASSAGE).partition("#")
    expected = SITE + page.removesuffix(".md") + ".html#" + anchor
    assert expected in links_found
    assert anchor == links.passage_anchor(PASSAGE)
    # The relationships are external hyperlinks.
    assert all(r.get("TargetMode") == "External" for r in rels if "hyperlink" in r.get("Type"))


def test_source_list_names_each_document_once_with_its_sections(
    quoted: Graph, tmp_path: Path
) -> None:
    document = Document(str(_chapter(quoted, tmp_path)))
    paragraphs = [p.text for p in document.paragraphs]
    start = max(i for i, text in enumerate(paragraphs) if text == "Bronnen")
    listed = paragraphs[start + 1 :]
    assert sum(text.startswith(TITLE) for text in listed) == 1
    assert "(inkoopplan, 2030)" in listed[0]
    sections = [text for text in listed[1:] if text.startswith("§")]
    # The target group (§ 3.1) and the two milestones (its Planning part).
    assert "§ 3.1 Segment 1: Verblijf (1 feit)" in sections
    assert "§ 3.1 Segment 1: Verblijf › Planning (2 feiten)" in sections
    # No numbered source table any more.
    assert not any(t.rows[0].cells[0].text == "Nr." for t in document.tables)


def test_a_template_without_footnote_styles_still_gets_footnotes(
    quoted: Graph, tmp_path: Path
) -> None:
    template = Document(str(word_template()))
    styles = template.styles.element
    for style in styles.findall(f"{{{W}}}style"):
        name = style.find(f"{{{W}}}name")
        if name is not None and name.get(f"{{{W}}}val") in (TEXT_STYLE[0], REFERENCE_STYLE[0]):
            styles.remove(style)
    plain = tmp_path / "plain.docx"
    template.save(str(plain))
    assert not {TEXT_STYLE[0], REFERENCE_STYLE[0]} & _style_names(plain)
    path = _chapter(quoted, tmp_path / "out", template=plain)
    assert {TEXT_STYLE[0], REFERENCE_STYLE[0]} <= _style_names(path)
    assert any(f"“{QUOTE}”" in _text(n) for n in _notes(path).values())
    Document(str(path))  # opens again


def test_template_footnotes_part_is_reused(quoted: Graph, tmp_path: Path) -> None:
    """A template that already has footnotes (a municipality's sample note) keeps them and new
    notes are numbered after them."""
    from generator.docx.base import open_template
    from generator.docx.footnotes import Text, add_footnote

    first = open_template()
    add_footnote(first.add_paragraph("Voorbeeld"), [Text("Eigen voetnoot van de gemeente.")])
    template = tmp_path / "met-voetnoot.docx"
    first.save(str(template))
    path = _chapter(quoted, tmp_path / "out", template=template)
    notes = _notes(path)
    assert any("Eigen voetnoot van de gemeente." in _text(n) for n in notes.values())
    body = _xml(path, "word/document.xml")
    refs = [int(r.get(f"{{{W}}}id")) for r in body.iter(f"{{{W}}}footnoteReference")]
    assert refs and min(refs) == 2  # 1 is the template's own note


def test_proposed_mark_stays_beside_the_footnote(tmp_path: Path) -> None:
    from generator.docx.base import Citations, bullets, open_template
    from kb.views.documents import Source
    from kb.views.facts import PROPOSED_MARK
    from kb.views.segments import Item

    source = Source(TITLE, "§ 2 Kaders", "", PASSAGE, quote="circa 80", status="voorgesteld")
    document = open_template()
    bullets(document, [Item("x", "Aantal gemeenten: circa 80", sources=[source])], Citations())
    path = tmp_path / "proposed.docx"
    document.save(str(path))
    body = _xml(path, "word/document.xml")
    [bullet] = [p for p in body.iter(f"{{{W}}}p") if "circa 80" in _text(p)]
    assert PROPOSED_MARK in _text(bullet)
    assert bullet.findall(".//w:footnoteReference", NS)


def test_build_documents_link_to_the_site_when_site_url_is_set(
    quoted: Graph, tmp_path: Path
) -> None:
    from generator.docx.documents import build_documents

    settings = SimpleNamespace(default_plan=None, site_url=SITE)
    entries = build_documents(tmp_path, settings, graph=quoted, fixed_time=FIXED)
    assert {e.kind for e in entries} == {"chapter", "plan", "raadsvoorstel"}
    linked = set()
    for entry in entries:
        with zipfile.ZipFile(tmp_path / "documents" / entry.file) as package:
            names = package.namelist()
            rels = "word/_rels/footnotes.xml.rels"
            if rels in names and SITE + "generated/bronnen/" in package.read(rels).decode():
                linked.add(entry.file.split("/")[-1])
    # The segment without sourced facts has no notes; the others link to the site.
    assert {"hoofdstuk-verblijf.docx", "inkoopplan.docx", "raadsvoorstel-verblijf.docx",
            "raadsvoorstel-inkoopplan.docx"} <= linked, linked  # fmt: skip
