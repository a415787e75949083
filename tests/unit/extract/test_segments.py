"""Segments by structure (kb.extract.segments, kb.extract.plan) on small invented documents in
wordings the bundled corpus and the region fixtures do not use: "Lot 3", "Deelopdracht 2",
"Perceel B: Ambulante begeleiding", roman numerals, a numbered list in prose, a cue whose count
does not match, and contents entries. Plus the layout profiles (kb.extract.layouts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS

from kb.extract import plan
from kb.extract.common import FactGraph, entity_iri
from kb.extract.layouts import ProfileError, default_profile, load_profiles, profile_for
from kb.extract.segments import code_number, designation, enumerated_parts, enumeration_cues
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.ingest.text import clean_text, parse_blocks
from kb.rdf.namespaces import KB
from kb.rdf.vocabulary import Vocabulary, load_vocabulary

ONTOLOGY = Path(__file__).resolve().parents[3] / "ontology"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(ONTOLOGY)


def doc_of(text: str, *, doc_type: str = "brief", region: str = "Regio Noorderzand") -> Document:
    doc = Document(
        id="doc",
        path=Path("doc.txt"),
        fmt="txt",
        meta=SourceMeta(file="doc.txt", title="Doc", doc_type=doc_type, region=region),
        text="",
        content_hash="0",
    )
    cleaned, notes = clean_text(text)
    build_document(doc, parse_blocks(cleaned, notes))
    return doc


def segments_of(doc: Document, vocabulary: Vocabulary) -> dict[str, Any]:
    facts = FactGraph(vocabulary=vocabulary)
    plan.extract([doc], facts)
    g = facts.graph
    out = {}
    for s in g.subjects(RDF.type, KB.Segment):
        quote = str(g.value(s, KB.quote))
        out[str(g.value(s, RDFS.label))] = (int(g.value(s, KB.segmentNumber)), s, quote)
    return out


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Lot 3", ("Lot", "3", 3, "")),
        (
            "Deelopdracht 2: Specialistische jeugd-GGZ",
            ("Deelopdracht", "2", 2, "Specialistische jeugd-GGZ"),
        ),
        ("Perceel B: Ambulante begeleiding", ("Perceel", "B", 2, "Ambulante begeleiding")),
        ("2.4 Cluster IV. Crisis en spoed", ("Cluster", "IV", 4, "Crisis en spoed")),
        ("SEGMENT 5 - ONDERWIJS EN JEUGDHULP", ("SEGMENT", "5", 5, "Onderwijs en jeugdhulp")),
    ],
)
def test_designation_lines(line: str, expected: tuple[Any, ...], vocabulary: Vocabulary) -> None:
    found = designation(line, vocabulary)
    assert found is not None
    assert (found.word, found.code, found.number, found.name) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Perceel 1 wordt gegund aan drie aanbieders.",  # prose, no separator
        "Segment 7 Veiligheid",  # a table row, no separator
        "Percelen",
        "Hoofdstuk 3: Financiën",  # not a designation word of the scheme
    ],
)
def test_lines_that_do_not_designate_a_segment(line: str, vocabulary: Vocabulary) -> None:
    assert designation(line, vocabulary) is None


def test_part_numbers() -> None:
    assert [code_number(c) for c in ("3", "B", "c", "IV", "XII", "I", "Q")] == [
        3, 2, 3, 4, 12, 1, 17,
    ]  # fmt: skip


def test_enumeration_after_a_cue_checks_its_count(vocabulary: Vocabulary) -> None:
    text = "De zorg valt uiteen in drie clusters: 1. jeugd-GGZ, 2. verblijf en 3. crisis. Verder."
    ((count, at),) = enumeration_cues(text, vocabulary)
    parts = enumerated_parts(text, at, count)
    assert [(p.name, p.number) for p in parts] == [("jeugd-GGZ", 1), ("verblijf", 2), ("crisis", 3)]
    assert [text[p.start : p.end] for p in parts] == ["jeugd-GGZ", "verblijf", "crisis"]
    wrong = "De opdracht kent vier deelopdrachten: ambulant, verblijf en crisis."
    ((count, at),) = enumeration_cues(wrong, vocabulary)
    assert enumerated_parts(wrong, at, count) == []  # three parts named, four announced
    assert enumeration_cues("Over de percelen: zie hieronder.", vocabulary) == []  # no count


def test_lots_named_in_a_letter_become_segments_with_their_quotes(vocabulary: Vocabulary) -> None:
    text = (
        "Brief aan de raad\n\n"
        "De regio koopt de jeugdhulp in twee loten in:\n\n"
        "- Lot 1: Ambulante begeleiding\n- Lot 2: Jeugdhulp met verblijf\n\n"
        "Daarnaast is de opdracht verdeeld over twee deelopdrachten: gezinshuizen en pleegzorg.\n"
    )
    found = segments_of(doc_of(text), vocabulary)
    assert {k: v[0] for k, v in found.items()} == {
        "Ambulante begeleiding": 1,
        "Jeugdhulp met verblijf": 2,
        "gezinshuizen": 1,
        "pleegzorg": 2,
    }
    assert found["Ambulante begeleiding"][2] == "Lot 1: Ambulante begeleiding"
    assert found["pleegzorg"][2] == "pleegzorg"


def test_contents_entries_are_deduplicated_against_the_body(vocabulary: Vocabulary) -> None:
    text = (
        "Inkoopkader\n\nInhoud\n\n"
        "1 Perceel A: Ambulant .......... 2\n2 Perceel B: Verblijf .......... 3\n"
        "3 Perceel C: Crisis .......... 4\n\n"
        "1 Perceel A: Ambulant\n\nDoelgroep\nJeugdigen tot 18 jaar.\n\n"
        "2 Perceel B: Verblijf\n\nDoelgroep\nJeugdigen die niet thuis wonen.\n"
    )
    found = segments_of(doc_of(text, doc_type="inkoopkader"), vocabulary)
    # A and B are described by sections; C appears only in the contents, without leader or page.
    assert sorted(found) == ["Ambulant", "Crisis", "Verblijf"]
    assert found["Crisis"][2] == "3 Perceel C: Crisis"  # the entry as printed, no leader
    assert found["Verblijf"][0] == 2


def test_raakvlak_line_naming_two_segments_links_both(vocabulary: Vocabulary) -> None:
    """The general rule names segments by their own label words; a second name in mid-sentence
    ("… in woonvoorzieningen Crisis – …") is a second relation on the same line."""
    text = (
        "Plan\n\n1 Percelen\n\n1.1 Perceel 1: Wonen\n\nDoelgroep\nJeugdigen.\n\n"
        "1.2 Perceel 2: Crisis\n\nDoelgroep\nJeugdigen in nood.\n\n"
        "1.3 Perceel 3: Ambulante hulp\n\nRaakvlak andere segmenten\n"
        "Wonen: ambulante inzet in woonvoorzieningen Crisis – afschalen met ambulante inzet\n"
    )
    doc = doc_of(text, doc_type="inkoopplan")
    facts = FactGraph(vocabulary=vocabulary)
    plan.extract([doc], facts)
    g = facts.graph
    owner = "Regio Noorderzand"
    ambulant = entity_iri("segment", owner, "ambulante-hulp")
    relation = g.value(ambulant, KB.hasSegmentRelation)
    linked = set(g.objects(relation, KB.toSegment))
    assert linked == {entity_iri("segment", owner, "wonen"), entity_iri("segment", owner, "crisis")}


def test_profiles_default_and_per_layout(tmp_path: Path, vocabulary: Vocabulary) -> None:
    profiles = {p.name: p for p in load_profiles()}
    hr = profiles["holland-rijnland-inkoopplan.yaml"]
    assert hr.label_corrections == {"DAGBEHANLING": "DAGBEHANDELING"}
    assert hr.care_form_tables and not default_profile().care_form_tables
    # The per-layout profile applies only to its region's plan.
    hr_plan = doc_of("Tekst.", doc_type="inkoopplan", region="Holland Rijnland")
    other = doc_of("Tekst.", doc_type="inkoopplan", region="Regio Noorderzand")
    assert profile_for(hr_plan, vocabulary) is hr
    assert profile_for(other, vocabulary) is default_profile()
    (tmp_path / "default.yaml").write_text("goal_header_similarity: [1\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="default.yaml"):
        default_profile(tmp_path)


def test_text_with_a_designation_word_in_prose_makes_no_segment(vocabulary: Vocabulary) -> None:
    text = (
        "Nieuws\n\nHet perceel aan de Dorpsstraat wordt verkocht. Segment 2 van de weg is klaar.\n"
    )
    assert segments_of(doc_of(text, doc_type="artikel"), vocabulary) == {}


# --- lots in other shapes: lines of plain text, no numbers, tables, lists after a cue ----------


def doc_blocks(blocks: list[Block]) -> Document:
    """A document of the given blocks, as a reader of a structured format gives them."""
    doc = Document(
        id="doc",
        path=Path("doc.docx"),
        fmt="docx",
        meta=SourceMeta(file="doc.docx", title="Doc", doc_type="brief", region="Regio Zand"),
        text="",
        content_hash="0",
    )
    build_document(doc, blocks)
    return doc


def test_designation_lines_inside_one_plain_text_paragraph(vocabulary: Vocabulary) -> None:
    doc = doc_of(
        "Indeling\n\nDe opdracht is opgedeeld in drie deelopdrachten:\n"
        "Deelopdracht 1: Ambulante hulp\nDeelopdracht 2: Dagbehandeling\n"
        "Deelopdracht 3: Verblijf\n\nDaarna volgt de planning.\n"
    )
    found = segments_of(doc, vocabulary)
    assert {k: v[0] for k, v in found.items()} == {
        "Ambulante hulp": 1,
        "Dagbehandeling": 2,
        "Verblijf": 3,
    }
    assert found["Dagbehandeling"][2] == "Deelopdracht 2: Dagbehandeling"


def test_lots_without_numbers_under_a_designation_heading(vocabulary: Vocabulary) -> None:
    doc = doc_blocks(
        [
            Block("heading", "Percelen", level=1),
            Block("list_item", "Ambulante hulp"),
            Block("list_item", "Verblijf: wonen buiten het gezin"),
            Block("list_item", "Crisiszorg"),
            Block("heading", "Perceel Jeugd-GGZ", level=1),
            Block("paragraph", "De jeugd-GGZ wordt apart ingekocht."),
        ]
    )
    found = segments_of(doc, vocabulary)
    assert set(found) == {"Ambulante hulp", "Verblijf", "Crisiszorg", "Jeugd-GGZ"}
    assert found["Jeugd-GGZ"][2] == "De jeugd-GGZ wordt apart ingekocht."


def test_a_heading_that_is_no_designation_names_no_lot(vocabulary: Vocabulary) -> None:
    doc = doc_blocks(
        [
            Block("heading", "Percelen en looptijd", level=1),
            Block("list_item", "De looptijd is vier jaar voor alle onderdelen van de inkoop"),
            Block("list_item", "Verlenging is mogelijk"),
            Block("heading", "Segmentering", level=1),
            Block("paragraph", "Tekst."),
            Block("heading", "Percelen", level=1),
            Block("list_item", "De aanbieders schrijven in op een of meer van de volgende delen"),
            Block("list_item", "Zij krijgen daarna bericht van de regio over hun inschrijving"),
        ]
    )
    assert segments_of(doc, vocabulary) == {}


def test_numbered_list_after_a_cue_that_ends_its_paragraph(vocabulary: Vocabulary) -> None:
    doc = doc_blocks(
        [
            Block("paragraph", "De jeugdhulp is verdeeld over drie percelen."),
            Block("list_item", "1. Ambulante hulp"),
            Block("list_item", "2. Verblijf"),
            Block("list_item", "3. Jeugd-GGZ"),
            Block("paragraph", "De regio verdeelt de toegang in de volgende segmenten:"),
            Block("list_item", "Licht"),
            Block("list_item", "Zwaar"),
        ]
    )
    assert set(segments_of(doc, vocabulary)) == {
        "Ambulante hulp",
        "Verblijf",
        "Jeugd-GGZ",
        "Licht",
        "Zwaar",
    }
    wrong_count = doc_blocks(
        [
            Block("paragraph", "De jeugdhulp is verdeeld over vier percelen."),
            Block("list_item", "Ambulante hulp"),
            Block("list_item", "Verblijf"),
        ]
    )
    assert segments_of(wrong_count, vocabulary) == {}


def test_lots_in_the_first_column_of_a_table(vocabulary: Vocabulary) -> None:
    rows = (
        ("Perceel", "Omschrijving", "Looptijd"),
        ("Perceel 1", "Jeugdhulp in het gezin", "4 jaar"),
        ("Perceel 2", "Jeugdhulp met verblijf", "6 jaar"),
        ("Perceel 3 – Crisis", "Spoedhulp dag en nacht", "6 jaar"),
    )
    doc = doc_blocks([Block("table", "\n".join("\t".join(r) for r in rows), rows=rows)])
    found = segments_of(doc, vocabulary)
    assert {k: v[0] for k, v in found.items()} == {
        "Jeugdhulp in het gezin": 1,
        "Jeugdhulp met verblijf": 2,
        "Crisis": 3,
    }
    assert found["Jeugdhulp met verblijf"][2] == "Jeugdhulp met verblijf"


def test_list_of_what_is_bought_together(vocabulary: Vocabulary) -> None:
    doc = doc_blocks(
        [
            Block("paragraph", "De deelnemende gemeenten kopen gezamenlijk in:"),
            Block("list_item", "jeugdhulp met verblijf, waaronder pleegzorg;"),
            Block("list_item", "crisisopvang en spoedeisende zorg."),
            Block("paragraph", "De gemeenten bespreken het volgende:"),
            Block("list_item", "de planning"),
            Block("list_item", "de begroting"),
        ]
    )
    found = segments_of(doc, vocabulary)
    assert set(found) == {"jeugdhulp met verblijf", "crisisopvang en spoedeisende zorg"}
    assert found["jeugdhulp met verblijf"][2] == "jeugdhulp met verblijf"
    # A reader may take the line above the list for a heading.
    heading = doc_blocks(
        [
            Block("heading", "De gemeenten kopen samen in:", level=2),
            Block("list_item", "ambulante hulp"),
            Block("list_item", "verblijf"),
        ]
    )
    assert set(segments_of(heading, vocabulary)) == {"ambulante hulp", "verblijf"}
