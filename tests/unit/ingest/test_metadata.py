"""Metadata inferred from a document's text when sources.yaml does not give it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import DCTERMS

from kb.build.pipeline import build_graph
from kb.extract.common import doc_iri
from kb.ingest.metadata import infer_date, infer_region, infer_title
from kb.ingest.model import Block
from kb.ingest.read import ingest, read_document
from kb.rdf.namespaces import KB
from kb.settings import Settings

MEMO = """Notitie

Stand van de inkoop jeugdhulp

Aan: het portefeuillehoudersoverleg
Datum: 12 maart 2025

Op 3 februari 2025 spraken de gemeenten in de Jeugdregio Land van Heusden en Altena af om
samen in te kopen.
"""


def test_a_labelled_date_near_the_top_is_the_documents_date() -> None:
    assert infer_date(MEMO) == dt.date(2025, 3, 12)


def test_a_dateline_and_a_date_at_the_foot_of_a_page_count() -> None:
    assert infer_date("PERSBERICHT\n\nBreda, 2 juni 2025\n\nGemeenten gunnen") == dt.date(
        2025, 6, 2
    )
    page = "Jeugdhulp\n\n" + "Tekst over inkoop.\n" * 200 + "Laatst gewijzigd: 14 april 2025"
    assert infer_date(page) == dt.date(2025, 4, 14)


def test_a_date_inside_a_sentence_is_not_the_documents_date() -> None:
    assert infer_date("Titel\n\nOp 3 februari 2025 spraken de gemeenten af.") is None


def test_the_region_is_the_first_one_the_text_names() -> None:
    assert infer_region(MEMO) == "Jeugdregio Land van Heusden en Altena"
    assert infer_region("De gemeenten van de regio Rivierenland hebben") == "Regio Rivierenland"
    assert infer_region("Gemeenten kopen samen in.") == ""
    assert infer_region("Over de Regio West-Brabant West\nIn de regio") == "Regio West-Brabant West"


def test_the_title_skips_a_type_heading_and_a_chapter_is_no_title() -> None:
    blocks = [Block("heading", "Notitie"), Block("heading", "Stand van de inkoop jeugdhulp")]
    assert infer_title(blocks) == "Stand van de inkoop jeugdhulp"
    assert infer_title([Block("heading", "1. Inleiding"), Block("heading", "Titel")]) == ""


def test_an_unlisted_file_gets_inferred_metadata_marked_as_inferred(tmp_path: Path) -> None:
    path = tmp_path / "stand-van-zaken.txt"
    path.write_text(MEMO, encoding="utf-8")
    meta = read_document(path).meta
    assert meta.title == "Stand van de inkoop jeugdhulp"
    assert meta.date == dt.date(2025, 3, 12)
    assert meta.region == "Jeugdregio Land van Heusden en Altena"
    assert meta.doc_type == "notitie"
    assert set(meta.inferred) == {"title", "type", "date", "region"}


def test_a_listed_file_keeps_what_sources_yaml_gives(tmp_path: Path) -> None:
    (tmp_path / "memo.txt").write_text(MEMO, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "documents:\n  - file: memo.txt\n    title: Eigen titel\n    region: Regio X\n",
        encoding="utf-8",
    )
    [doc] = ingest([tmp_path]).documents
    assert (doc.meta.title, doc.meta.region) == ("Eigen titel", "Regio X")
    # Only the date, which the entry leaves out, is taken from the text.
    assert doc.meta.inferred == ("date",)
    assert doc.meta.date == dt.date(2025, 3, 12)


def test_the_graph_and_the_warnings_say_what_was_inferred(tmp_path: Path) -> None:
    (tmp_path / "memo.txt").write_text(MEMO, encoding="utf-8")
    [doc] = ingest([tmp_path]).documents
    graph, warnings = build_graph([doc], Settings(), sources=[tmp_path])
    d = doc_iri(doc.id)
    assert {str(o) for o in graph.objects(d, KB.inferredField)} == {
        "title",
        "type",
        "date",
        "region",
    }
    assert Literal("Stand van de inkoop jeugdhulp", lang="nl") in set(
        graph.objects(d, DCTERMS.title)
    )
    [note] = [w for w in warnings if "inferred" in w]
    assert "memo.txt" in note and "Jeugdregio Land van Heusden en Altena" in note


def test_without_a_title_heading_the_embedded_title_counts(tmp_path: Path) -> None:
    page = tmp_path / "pagina.html"
    page.write_text(
        "<html><head><title>Inkoop jeugdhulp &amp; meer</title></head><body>"
        "<h2>1. Inleiding</h2><p>De gemeenten kopen jeugdhulp in.</p></body></html>",
        encoding="utf-8",
    )
    assert read_document(page).meta.title == "Inkoop jeugdhulp & meer"

    from docx import Document as new_docx

    doc = new_docx()
    doc.core_properties.title = "Notitie over de inkoop"
    doc.add_paragraph("De gemeenten kopen jeugdhulp in.")
    path = tmp_path / "notitie.docx"
    doc.save(str(path))
    assert read_document(path).meta.title == "Notitie over de inkoop"


def test_a_planning_table_row_is_not_the_date_and_a_named_file_keeps_its_name(
    tmp_path: Path,
) -> None:
    text = (
        "# Inkoopstrategie Jeugd\n\nVastgesteld door het bestuur van de regio in zijn "
        "vergadering op 8 oktober 2024\n\n| Stap | Wanneer |\n|---|---|\n"
        "| Start | 1 januari 2026 |\n"
    )
    named = tmp_path / "2024-10-08_testregio_inkoopstrategie-jeugd.md"
    named.write_text(text, encoding="utf-8")
    meta = read_document(named).meta
    assert (meta.title, meta.date) == ("Inkoopstrategie jeugd", dt.date(2024, 10, 8))
    unnamed = tmp_path / "strategie.md"
    unnamed.write_text(text, encoding="utf-8")
    meta = read_document(unnamed).meta
    assert (meta.title, meta.date) == ("Inkoopstrategie Jeugd", None)
