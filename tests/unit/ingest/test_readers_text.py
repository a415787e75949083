"""The text reader: encodings, conversion artefacts, headings, bullets, tables, rubric rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.ingest.model import ReadError
from kb.ingest.text import clean_text, decode_text, parse_blocks, read_text


def blocks_of(text: str, markdown: bool = False):
    cleaned, notes = clean_text(text)
    return parse_blocks(cleaned, notes, markdown=markdown)


def test_cp1252_file_is_decoded_with_euro_and_diaeresis(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_bytes(
        "Financiën 2021\n\nHet budget is € 5.802.000 voor coöperatie “JGT”.\n".encode("cp1252")
    )
    blocks = read_text(path)
    assert blocks[0].kind == "heading" and blocks[0].text == "Financiën 2021"
    assert blocks[1].text == "Het budget is € 5.802.000 voor coöperatie “JGT”."


def test_utf8_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffDoelgroep: jeugdigen van 0-18 jaar.".encode())
    assert read_text(path)[0].text == "Doelgroep: jeugdigen van 0-18 jaar."


def test_undecodable_and_binary_and_empty_are_read_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Tekst \x81\x8d\x90 met bytes die geen Windows-1252 zijn")
    with pytest.raises(ReadError, match="bad.txt.*cannot decode"):
        read_text(bad)
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02abc\x00")
    with pytest.raises(ReadError, match="NUL bytes"):
        read_text(binary)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n\n ")
    with pytest.raises(ReadError, match="empty"):
        read_text(empty)
    # The reason names the file, and the exception carries the path for reports.
    with pytest.raises(ReadError) as info:
        decode_text(b"", Path("x/leeg.txt"))
    assert info.value.path == Path("x/leeg.txt")


def test_bookmarks_removed_and_numbered_headings_found() -> None:
    blocks = blocks_of(
        "1. [bookmark: 1._Inleiding][bookmark: _bookmark0]Inleiding\n"
        "Voor u ligt het plan.\n\n"
        "1.1 [bookmark: x]Van programmaplan naar inkoopplan\nTekst.\n\n"
        "5 \n\n"
        "2. Segmenten\nTekst twee.\n"
    )
    headings = [(b.text, b.level, b.number) for b in blocks if b.kind == "heading"]
    assert headings == [
        ("1. Inleiding", 1, "1"),
        ("1.1 Van programmaplan naar inkoopplan", 2, "1.1"),
        ("2. Segmenten", 1, "2"),
    ]
    assert all("bookmark" not in b.text for b in blocks)
    # The stray page number "5" is dropped, not taken as a heading or paragraph.
    assert not any(b.text.strip() == "5" for b in blocks)


def test_out_of_sequence_number_is_not_a_heading() -> None:
    blocks = blocks_of("1. Inleiding\nTekst.\n\n1. Integraliteit\n2. Regie\n")
    assert [b.kind for b in blocks] == ["heading", "paragraph", "paragraph"]


def test_footnote_is_attached_to_its_block_and_removed_from_text() -> None:
    blocks = blocks_of(
        "Opgesteld met de TWO[footnoteRef:1] en anderen. [1:  De TWO is de Tijdelijke "
        "Werkorganisatie.\n] \n\nVolgende alinea.\n"
    )
    para = blocks[0]
    assert para.text == "Opgesteld met de TWO en anderen."
    assert para.footnotes == ("De TWO is de Tijdelijke Werkorganisatie.",)
    assert blocks[1].text == "Volgende alinea."


def test_image_marker_becomes_figure_with_caption() -> None:
    blocks = blocks_of("Tekst ervoor.\n[image: Pyramidemodel EhdK ]\nFiguur: Pyramide-model\n")
    kinds = [(b.kind, b.text) for b in blocks]
    assert ("figure", "Pyramidemodel EhdK") in kinds


def test_bullets_with_continuation_and_nesting() -> None:
    blocks = blocks_of(
        "Inleidende zin met opsomming:\n"
        "· Eerste punt dat over een paginagrens\n"
        "doorloopt tot hier.\n"
        "· Tweede punt.\n"
        " - ▶ genest punt\n"
    )
    items = [(b.text, b.level) for b in blocks if b.kind == "list_item"]
    assert items == [
        ("Eerste punt dat over een paginagrens\ndoorloopt tot hier.", 0),
        ("Tweede punt.", 0),
        ("genest punt", 1),
    ]


def test_negative_amount_is_not_a_bullet() -> None:
    blocks = blocks_of("Begrotingswijzigingen\n-1.312.000\n")
    assert all(b.kind != "list_item" for b in blocks)


def test_tab_table_rows_become_one_table() -> None:
    text = (
        "Inleiding van de tabel.\n\n"
        "\t\n\t2021\n\t2022\n\n"
        "\tLeiden\n\tGemeentelijke Toegang\n\t5.802.000\n\n"
        "\t\n\tVeiligheid\n\t2.328.000\n"
    )
    table = [b for b in blocks_of(text) if b.kind == "table"]
    assert len(table) == 1
    assert table[0].rows == (
        ("", "2021", "2022"),
        ("Leiden", "Gemeentelijke Toegang", "5.802.000"),
        ("", "Veiligheid", "2.328.000"),
    )


def test_rubric_row_becomes_heading_with_content_and_page_break_continues() -> None:
    text = (
        "4.1 SEGMENT 1: WONEN\n\n"
        "\tDoelgroep(en)\n\tJeugdigen die niet thuis kunnen wonen.\n\n"
        "\tStakeholders\n\t· Ouders en jeugdigen\n· Voorveld\n\n\n\n"
        "\t\n\t· Holland Rijnland\n\n"
        "\tRaakvlak andere\nsegmenten\n\tCrisis: aansluiting nodig.\n"
    )
    cleaned, notes = clean_text(text)
    blocks = parse_blocks(cleaned, notes)
    # A numbered heading must follow a "4." chapter; without it "4.1" is not in sequence.
    assert blocks[0].kind == "paragraph"
    blocks = blocks_of("4. Segmenten\nTekst.\n\n" + text)
    headings = [(b.text, b.level) for b in blocks if b.kind == "heading"]
    assert headings == [
        ("4. Segmenten", 1),
        ("4.1 SEGMENT 1: WONEN", 2),
        ("Doelgroep(en)", 3),
        ("Stakeholders", 3),
        ("Raakvlak andere segmenten", 3),
    ]
    items = [b.text for b in blocks if b.kind == "list_item"]
    assert items == ["Ouders en jeugdigen", "Voorveld", "Holland Rijnland"]


def test_glossary_rows_inside_a_table_stay_table_rows() -> None:
    text = (
        "7. Begrippenkader\n\n"
        "\tBegrip\n\tOmschrijving\n\n"
        "\tToegangsmanagement\n\tHoe jeugdigen bij hulp komen.\n"
    )
    cleaned, notes = clean_text(text)
    blocks = parse_blocks(cleaned, notes)
    assert [b.kind for b in blocks] == ["paragraph", "table"] or [b.kind for b in blocks] == [
        "heading",
        "table",
    ]
    table = blocks[-1]
    assert table.rows[1] == ("Toegangsmanagement", "Hoe jeugdigen bij hulp komen.")


def test_markdown_headings_lists_and_pipe_tables(tmp_path: Path) -> None:
    path = tmp_path / "notitie.md"
    path.write_text(
        "# Inkoop 2024\n\nInleiding.\n\n## Bekostiging\n\n- **Lump sum**\n- PxQ\n\n"
        "| Gemeente | 2024 |\n|---|---|\n| Katwijk | 15.923.000 |\n",
        encoding="utf-8",
    )
    blocks = read_text(path)
    assert [(b.kind, b.level) for b in blocks if b.kind == "heading"] == [
        ("heading", 1),
        ("heading", 2),
    ]
    assert [b.text for b in blocks if b.kind == "list_item"] == ["Lump sum", "PxQ"]
    table = next(b for b in blocks if b.kind == "table")
    assert table.rows == (("Gemeente", "2024"), ("Katwijk", "15.923.000"))


REPORT = """Beleidskader Jeugd

Inhoud

1 Aanleiding . . . . . . . . . . . . . . 2
2 Lot 1: Ambulant . . . . . . . . . . . . 3
3 Lot 2: Verblijf . . . . . . . . . . . . 4

Beleidskader 2027 - blad 1

1 Aanleiding

De gemeenten kopen samen in.

Beleidskader 2027 - blad 2

2 Lot 1: Ambulant

- Hulp thuis en op school, voor jeugdigen
Beleidskader 2027 - blad 3
die begeleiding nodig hebben.

3 Lot 2: Verblijf

Pleegzorg en gezinshuizen. Zie blad 2 en blad 3.
"""


def test_contents_and_running_footers_never_become_sections() -> None:
    blocks = blocks_of(REPORT)
    kinds = [(b.kind, b.text.split("\n")[0]) for b in blocks]
    headings = [b.text for b in blocks if b.kind == "heading"]
    # Spaced dot leaders count as leaders; the contents' title joins the contents block.
    assert ("toc", "Inhoud") in kinds
    assert headings == [
        "Beleidskader Jeugd",
        "1 Aanleiding",
        "2 Lot 1: Ambulant",
        "3 Lot 2: Verblijf",
    ]
    assert [b.text for b in blocks if b.kind == "furniture"] == [
        f"Beleidskader 2027 - blad {n}" for n in (1, 2, 3)
    ]
    # The bullet cut by the page footer is one item; a body line naming pages is not furniture.
    items = [b.text for b in blocks if b.kind == "list_item"]
    assert items == ["Hulp thuis en op school, voor jeugdigen\ndie begeleiding nodig hebben."]
    assert any(b.text.startswith("Pleegzorg") for b in blocks if b.kind == "paragraph")


def test_a_line_repeated_verbatim_is_not_a_running_header() -> None:
    """Without a changing page number a repeated line is body text (a closing sentence)."""
    text = "\n\n".join(["Kop", "Looptijd 4 jaar.", "Tekst een.", "Looptijd 4 jaar."] * 2)
    text += "\n\nLooptijd 4 jaar."
    assert not [b for b in blocks_of(text) if b.kind == "furniture"]


def test_markdown_emphasis_inside_list_items_is_removed() -> None:
    blocks = blocks_of("- **Inkoopmodel:** open house\n- *Looptijd:* 2 * 3 jaar", markdown=True)
    assert [b.text for b in blocks] == ["Inkoopmodel: open house", "Looptijd: 2 * 3 jaar"]
