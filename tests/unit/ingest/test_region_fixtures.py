"""The invented documents of other regions (``tests/fixtures/regions``) read cleanly.

Every fixture is read with the project's readers; every fact that ``expected.yaml`` lists has its
quote verbatim in the document's normalised text; the layout traits the fixtures were written to
carry (Word heading styles, letterheads, tables, contents lines, running headers) come through the
readers. Whether the facts are *extracted* is checked in
``tests/acceptance/test_region_fixtures_facts.py``.

Gaps in the readers that these fixtures expose are strict xfails: they pass once the reader is
fixed, and then the mark must go.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_facts import facts_with_unknown_concepts

from kb.ingest.model import Document
from kb.ingest.read import IngestResult, ingest
from kb.ingest.sources import SOURCES_FILE, load_sources

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "regions"
EXPECTED: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))[
    "documents"
]
#: Files of the folder that are not documents.
NOT_DOCUMENTS = {"expected.yaml", SOURCES_FILE, "make_fixtures.py", "gemeenten.csv", "README.md"}
#: Fact fields that hold a quote from the document.
QUOTE_FIELDS = ("quote", "qualifier_quote", "definition_quote")
#: Fact kinds that name one municipality, and the field that holds its name.
MUNICIPALITY_KINDS = {
    "municipality": "name",
    "centrumgemeente": "name",
    "penvoerder": "name",
    "qualifier": "municipality",
}


def _ids(entry: dict[str, Any]) -> str:
    return str(entry["file"]).split("_")[-1].rsplit(".", 1)[0][:40]


@pytest.fixture(scope="module")
def ingested() -> IngestResult:
    """All fixture documents, read once."""
    return ingest([FIXTURES / e["file"] for e in EXPECTED])


@pytest.fixture(scope="module")
def docs(ingested: IngestResult) -> dict[str, Document]:
    """Documents by file name."""
    return {d.path.name: d for d in ingested.documents}


@pytest.fixture(scope="module")
def register() -> dict[str, str]:
    """The municipal register: four-digit CBS code → name."""
    with (FIXTURES / "gemeenten.csv").open(encoding="utf-8", newline="") as handle:
        return {row["cbs_code"].removeprefix("GM"): row["naam"] for row in csv.DictReader(handle)}


# --------------------------------------------------------------------------------------------
# The set as a whole
# --------------------------------------------------------------------------------------------


def test_the_set_covers_the_formats_regions_and_genres_it_promises() -> None:
    files = [e["file"] for e in EXPECTED]
    formats = {Path(f).suffix.lstrip(".") for f in files}
    regions = {e["metadata"]["region"] for e in EXPECTED}
    assert len(files) >= 10
    assert {"docx", "pdf", "html", "md", "txt"} <= formats
    assert len(regions) >= 6
    # None of the regions of the bundled corpus.
    assert not regions & {"Holland Rijnland", "Noord-Limburg", "Achterhoek", "Groningen"}


def test_expected_yaml_lists_every_document_of_the_folder() -> None:
    on_disk = {p.name for p in FIXTURES.iterdir() if p.is_file()} - NOT_DOCUMENTS
    assert on_disk == {e["file"] for e in EXPECTED}


def test_sources_yaml_leaves_out_exactly_the_documents_marked_unlisted() -> None:
    listed = set(load_sources(FIXTURES))
    unlisted = {e["file"] for e in EXPECTED if not e["metadata"]["listed"]}
    assert unlisted, "one document must be left out of sources.yaml on purpose"
    assert listed == {e["file"] for e in EXPECTED} - unlisted


def test_sources_yaml_uses_the_free_text_types_users_write() -> None:
    types = {m.doc_type for m in load_sources(FIXTURES).values()}
    wanted = {"inkoopstrategie", "inkoopkader", "raadsinformatiebrief", "artikel", "webpagina"}
    assert wanted | {"centrumregeling"} <= types


def test_binary_fixtures_are_committed_beside_their_script() -> None:
    script = (FIXTURES / "make_fixtures.py").read_text("utf-8")
    for entry in EXPECTED:
        if entry["file"].endswith((".docx", ".pdf")):
            assert (FIXTURES / entry["file"]).stat().st_size > 0
            assert entry["file"] in script


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def test_every_fixture_reads_without_problems(ingested: IngestResult) -> None:
    assert ingested.problems == []
    assert sorted(d.path.name for d in ingested.documents) == sorted(e["file"] for e in EXPECTED)
    for doc in ingested.documents:
        assert doc.passages, doc.path.name
        assert all(doc.text[p.start : p.end] == p.text for p in doc.passages), doc.path.name


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_every_quote_occurs_verbatim_in_the_normalised_text(
    entry: dict[str, Any], docs: dict[str, Document]
) -> None:
    text = docs[entry["file"]].text
    missing = [
        (fact["kind"], field, fact[field])
        for fact in entry["facts"]
        for field in QUOTE_FIELDS
        if field in fact and fact[field] not in text
    ]
    for field in ("title_quote", "date_quote", "region_quote"):
        quote = entry["metadata"].get(field)
        if quote and quote not in text:
            missing.append(("metadata", field, quote))
    assert not missing


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_facts_are_complete_for_their_kind(entry: dict[str, Any]) -> None:
    """Each fact carries the fields its kind needs, and the quote supports the value."""
    required = {
        "region": ("name",),
        "municipality": ("name",),
        "centrumgemeente": ("name", "cbs_code"),
        "penvoerder": ("name", "cbs_code"),
        "segment": ("label",),
        "procedure": ("value", "concept"),
        "funding_model": ("value", "concept"),
        "providers": (),
        "youths": ("count", "year"),
        "budget": ("row", "year", "amount", "cell"),
        "glossary_term": ("term", "definition", "definition_quote"),
        "qualifier": ("municipality", "cbs_code", "qualifier"),
    }
    for fact in entry["facts"]:
        kind = fact["kind"]
        assert "quote" in fact, fact
        if kind.endswith("_date") or kind in ("contract_start", "contract_end"):
            assert isinstance(fact["date"], dt.date), fact
        elif kind == "contract_duration":
            assert {"initial_years", "min_years", "extensions"} & set(fact), fact
        elif kind == "providers":
            assert {"now", "aimed"} & set(fact), fact
        else:
            assert set(required[kind]) <= set(fact), fact
        if kind in ("municipality", "centrumgemeente", "penvoerder"):
            assert fact["name"] in fact["quote"], fact
        if kind == "qualifier" or "qualifier" in fact:
            # The qualifier is normalised ("uitsluitend voor verblijf"); its quote may put words
            # between ("neemt uitsluitend deel aan de inkoop van jeugdhulp met verblijf").
            quote = fact.get("qualifier_quote", fact["quote"])
            words = fact["qualifier"].split()
            assert words[0] in quote and words[-1] in quote, fact
            assert fact.get("name", fact.get("municipality")) in quote, fact
        if kind == "budget":
            assert fact["cell"] in fact["quote"], fact
        if kind == "region":
            assert fact["name"] == entry["metadata"]["region"], fact


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_municipality_codes_match_the_register(
    entry: dict[str, Any], register: dict[str, str]
) -> None:
    by_name = {name: code for code, name in register.items()}
    for fact in entry["facts"]:
        field = MUNICIPALITY_KINDS.get(fact["kind"])
        if field is None:
            continue
        name = fact[field]
        if fact.get("former"):
            # A merged municipality is not in the current register; its successor is.
            assert name not in by_name, fact
            assert register[fact["current_code"]] == fact["current"], fact
            continue
        assert register.get(fact["cbs_code"]) == fact.get("register_name", name), fact


def test_procedure_and_funding_concepts_exist_in_the_ontology_schemes() -> None:
    """The ``concept`` of a procedure or funding fact is a concept of the SKOS schemes."""
    assert facts_with_unknown_concepts(EXPECTED) == []


def test_the_set_names_a_former_municipality_and_a_qualified_member() -> None:
    facts = [f for e in EXPECTED for f in e["facts"]]
    assert any(f.get("former") for f in facts if f["kind"] == "municipality")
    assert any("uitsluitend voor verblijf" in f.get("qualifier", "") for f in facts)
    assert any(f["kind"] == "centrumgemeente" for f in facts)
    assert any(f["kind"] == "penvoerder" for f in facts)


def test_every_centrumregeling_member_is_listed_with_its_code(docs: dict[str, Document]) -> None:
    """A centrumregeling lists every participating municipality; it names the centrumgemeente."""
    for entry in EXPECTED:
        if "centrumregeling" not in entry["file"]:
            continue
        members = [f for f in entry["facts"] if f["kind"] == "municipality"]
        text = docs[entry["file"]].text
        assert len(members) >= 3
        for member in members:
            assert f"{member['name']} ({member['cbs_code']})" in text
        assert any(f["kind"] == "centrumgemeente" for f in entry["facts"])


# --------------------------------------------------------------------------------------------
# Layout traits
# --------------------------------------------------------------------------------------------


def _section_titles(doc: Document) -> set[tuple[int, str]]:
    titles: set[tuple[int, str]] = set()
    for sec in doc.sections:
        titles.add((sec.level, sec.title))
        if sec.number:
            titles.add((sec.level, f"{sec.number} {sec.title}"))
    return titles


@pytest.mark.parametrize("entry", [e for e in EXPECTED if "headings" in e], ids=_ids)
def test_headings_become_sections_at_their_level(
    entry: dict[str, Any], docs: dict[str, Document]
) -> None:
    titles = _section_titles(docs[entry["file"]])
    missing = [h for h in entry["headings"] if (h["level"], h["title"]) not in titles]
    assert not missing, sorted(titles)


def test_docx_heading_styles_are_real_word_styles() -> None:
    """The Word fixtures carry real heading styles (not bold paragraphs) for the reader to use."""
    from docx import Document as open_docx

    for entry in EXPECTED:
        if not entry["file"].endswith(".docx"):
            continue
        styled = {
            (p.style.name, p.text)
            for p in open_docx(str(FIXTURES / entry["file"])).paragraphs
            if p.style is not None and p.style.name.startswith("Heading")
        }
        for heading in entry["headings"]:
            assert (f"Heading {heading['level']}", heading["title"]) in styled


def _with(kind: str) -> list[dict[str, Any]]:
    return [e for e in EXPECTED if any(f["kind"] == kind for f in e["facts"])]


def _table_rows(doc: Document) -> list[tuple[str, ...]]:
    return [row for b in doc.blocks if b.kind == "table" for row in b.block.rows]


@pytest.mark.parametrize("entry", _with("budget"), ids=_ids)
def test_budget_cells_sit_in_their_row_and_year_column(
    entry: dict[str, Any], docs: dict[str, Document]
) -> None:
    """Where a budget table holds the amount, the cell is in the row's line, in its year column."""
    rows = _table_rows(docs[entry["file"]])
    header = next((r for r in rows if any(c.strip().isdigit() and len(c) == 4 for c in r)), None)
    for fact in entry["facts"]:
        if fact["kind"] != "budget" or fact["cell"] != fact["quote"]:
            continue  # an amount stated in prose, not in a table
        assert header is not None, "no row of years in any table"
        row = next(r for r in rows if r[0] == fact["row"])
        assert row[header.index(str(fact["year"]))] == fact["cell"], fact


@pytest.mark.parametrize("entry", _with("glossary_term"), ids=_ids)
def test_glossary_terms_and_definitions_share_a_table_row(
    entry: dict[str, Any], docs: dict[str, Document]
) -> None:
    rows = {r[0]: r[1] for r in _table_rows(docs[entry["file"]]) if len(r) >= 2}
    assert rows.get("Term") == "Definitie"
    for fact in entry["facts"]:
        if fact["kind"] == "glossary_term":
            assert rows.get(fact["term"]) == fact["definition"], fact


@pytest.mark.parametrize("entry", [e for e in EXPECTED if "letterhead" in e], ids=_ids)
def test_letterhead_fields_keep_label_and_value_together(
    entry: dict[str, Any], docs: dict[str, Document]
) -> None:
    lines = docs[entry["file"]].text.split("\n")
    for field in entry["letterhead"]:
        assert any(line.startswith(field["label"]) and field["value"] in line for line in lines), (
            field
        )


def test_contents_lines_and_running_headers_stay_in_a_converted_text(
    docs: dict[str, Document],
) -> None:
    """A text conversion keeps its contents lines and running headers: extraction must cope."""
    for entry in EXPECTED:
        if not entry["file"].endswith(".txt") or "toc_lines" not in entry:
            continue
        raw = (FIXTURES / entry["file"]).read_text("utf-8")
        text = docs[entry["file"]].text
        for line in entry["toc_lines"] + entry["running_headers"]:
            assert line in raw
            assert line in text


def test_pdf_running_headers_are_in_the_file_and_dropped_by_the_reader(
    docs: dict[str, Document],
) -> None:
    from pypdf import PdfReader

    for entry in EXPECTED:
        if not entry["file"].endswith(".pdf"):
            continue
        reader = PdfReader(str(FIXTURES / entry["file"]))
        raw = "\n".join(page.extract_text() for page in reader.pages)
        text = docs[entry["file"]].text
        title, page_marker = entry["running_headers"]
        assert raw.count(title) >= 3 and page_marker in raw
        # The title stays once (the title page); the repeats and page numbers go.
        assert text.count(title) == 1
        assert page_marker not in text


# --------------------------------------------------------------------------------------------
# Gaps the fixtures expose (strict xfails: remove the mark when the reader is fixed)
# --------------------------------------------------------------------------------------------


def test_contents_lines_and_running_headers_do_not_become_sections(
    docs: dict[str, Document],
) -> None:
    for entry in EXPECTED:
        if "toc_lines" not in entry:
            continue
        doc = docs[entry["file"]]
        titles = [s.title for s in doc.sections]
        assert not [t for t in titles if "....." in t or "| pagina" in t], titles
        # The real chapters are sections (the contents lines must not take their numbers).
        assert ("1", "Inleiding") in {(s.number, s.title) for s in doc.sections}


@pytest.mark.parametrize("entry", [e for e in EXPECTED if "boilerplate" in e], ids=_ids)
def test_web_boilerplate_is_not_part_of_the_text(
    entry: dict[str, Any], docs: dict[str, Document]
) -> None:
    text = docs[entry["file"]].text
    assert not [b for b in entry["boilerplate"] if b in text]


def test_pdf_body_text_repeated_at_page_ends_is_kept(docs: dict[str, Document]) -> None:
    for entry in EXPECTED:
        if entry["file"].endswith(".pdf"):
            text = docs[entry["file"]].text
            segments = [
                f for f in entry["facts"] if f["kind"] == "segment" and f["label"][:7] == "Segment"
            ]
            assert text.count("Vier jaar, met twee keer een verlengingsoptie") == len(segments)


def test_markdown_emphasis_markers_are_removed(docs: dict[str, Document]) -> None:
    marked = [
        e["file"] for e in EXPECTED if e["file"].endswith(".md") and "**" in docs[e["file"]].text
    ]
    assert not marked
