"""Sections, passages, offsets and stable passage ids."""

from __future__ import annotations

from pathlib import Path

from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document


def make_doc(blocks: list[Block], max_chars: int = 1000) -> Document:
    doc = Document(
        id="doc",
        path=Path("doc.txt"),
        fmt="txt",
        meta=SourceMeta(file="doc.txt", title="Testdocument"),
        text="",
        content_hash="0",
    )
    build_document(doc, blocks, max_chars=max_chars)
    return doc


BLOCKS = [
    Block("heading", "1. Inleiding", level=1, number="1"),
    Block("paragraph", "Voor u ligt het plan."),
    Block("heading", "1.1 Achtergrond", level=2, number="1.1"),
    Block("paragraph", "De stakeholders zijn:"),
    Block("list_item", "ouders;", level=0),
    Block("list_item", "aanbieders.", level=0),
    Block("heading", "2. Segmenten", level=1, number="2"),
    Block("heading", "Doelgroep", level=2),
    Block("paragraph", "Jeugdigen tot 18 jaar."),
    Block("table", "Leiden\t1\n\t2", rows=(("Leiden", "1"), ("", "2"), ("Katwijk", "3"))),
]


def test_section_tree_and_paths() -> None:
    doc = make_doc(BLOCKS)
    titles = [(s.title, s.level, s.number) for s in doc.sections]
    assert titles == [
        ("Testdocument", 0, ""),
        ("Inleiding", 1, "1"),
        ("Achtergrond", 2, "1.1"),
        ("Segmenten", 1, "2"),
        ("Doelgroep", 2, ""),
    ]
    doelgroep = doc.sections[-1]
    assert doelgroep.path == ("Segmenten", "Doelgroep")
    assert doelgroep.id == "doc/s/2/doelgroep"
    assert doc.section("doc/s/1-1").parent_id == "doc/s/1"
    # The chapter's span covers its sub-section.
    chapter = doc.section("doc/s/1")
    assert chapter.start < doc.section("doc/s/1-1").start < chapter.end


def test_offsets_point_into_the_document_text() -> None:
    doc = make_doc(BLOCKS)
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text
    for b in doc.blocks:
        if b.kind != "table":
            assert doc.text[b.start : b.end] == b.text


def test_lead_in_and_list_form_one_passage_and_table_rows_group() -> None:
    doc = make_doc(BLOCKS)
    texts = [p.text for p in doc.passages]
    assert "De stakeholders zijn:\n\n- ouders;\n- aanbieders." in texts
    # Rows with an empty first cell continue the group of the row above.
    assert "Leiden | 1\n | 2" in texts
    assert "Katwijk | 3" in texts
    assert all(doc.passage_at(p.start) is p for p in doc.passages)


def test_long_paragraph_is_cut_at_sentence_ends() -> None:
    sentence = "Dit is een zin over de inkoop van jeugdhulp in de regio. "
    doc = make_doc([Block("paragraph", (sentence * 40).strip())], max_chars=300)
    assert len(doc.passages) > 1
    assert all(len(p.text) <= 300 for p in doc.passages)
    assert all(p.text.endswith(".") for p in doc.passages)


def test_a_paragraph_or_an_announced_list_up_to_twice_the_limit_stays_one_passage() -> None:
    """A fact cites a whole paragraph or a lead-in with its bullets, and its quote must lie in
    one passage (issue 10 audit: five plan items ended before their text did)."""
    sentence = "Dit is een zin over de inkoop van jeugdhulp in de regio. "
    paragraph = (sentence * 9).strip()  # about 510 characters: over 300, under 600
    lead_in = [Block("paragraph", "De toegang doet het volgende:")] + [
        Block("list_item", f"Zij doet taak {n} en nog een lange toelichting op die taak.")
        for n in range(6)
    ]  # about 420 characters
    lower = [Block("paragraph", "Wij willen " + "heel " * 40 + "veel:")] + [
        Block("list_item", "minder wachttijd voor alle jeugdigen in de regio " * 2)
        for _ in range(3)
    ]
    doc = make_doc([Block("paragraph", paragraph), *lead_in, *lower], max_chars=300)
    texts = [p.text for p in doc.passages]
    assert paragraph in texts
    announced = [t for t in texts if t.startswith("De toegang")]
    assert len(announced) == 1 and announced[0].count("\n- ") == 6  # all six bullets
    # Lower-case bullets continue the sentence before them, past the limit.
    assert any(t.startswith("Wij willen") and t.count("- minder") == 3 for t in texts)
    # Over twice the limit the paragraph is still cut at sentence ends.
    long = make_doc([Block("paragraph", (sentence * 20).strip())], max_chars=300)
    assert len(long.passages) > 1


def test_passage_ids_are_stable_when_another_part_changes() -> None:
    before = make_doc(BLOCKS)
    changed = list(BLOCKS)
    changed[1] = Block("paragraph", "Voor u ligt het herziene plan, met een extra zin.")
    after = make_doc(changed)
    ids_before = {p.text: p.id for p in before.passages}
    ids_after = {p.text: p.id for p in after.passages}
    common = set(ids_before) & set(ids_after)
    assert len(common) == len(before.passages) - 1
    assert all(ids_before[t] == ids_after[t] for t in common)
    assert len({p.id for p in after.passages}) == len(after.passages)
