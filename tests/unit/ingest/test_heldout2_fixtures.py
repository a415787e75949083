"""The second held-out set (``tests/fixtures/heldout2``) reads cleanly and its expectations hold.

Every document is read with the project's readers (:mod:`kb.ingest`); every quote that
``expected.yaml`` lists occurs verbatim in the document's normalised text; municipality codes
match the national register; procedure and funding concepts exist in the ontology's schemes.
Whether extraction *finds* the facts is measured by ``benchmarks/bench_extract.py``, not asserted.
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

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "heldout2"
REGISTER = ROOT / "ontology" / "register" / "gemeenten.csv"
EXPECTED: list[dict[str, Any]] = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))[
    "documents"
]
NOT_DOCUMENTS = {"expected.yaml", SOURCES_FILE, "make_fixtures.py", "README.md"}
#: Regions of the other fixture folders and of the bundled corpus: this set must not reuse them.
USED_REGIONS = {
    "holland rijnland",
    "noord-limburg",
    "achterhoek",
    "groningen",
    "twente",
    "west-brabant west",
    "hart van brabant",
    "midden-holland",
    "rivierenland",
    "gooi en vechtstreek",
}
#: Fact kinds that name one municipality, and the field that holds its name.
MUNICIPALITY_KINDS = {
    "municipality": "name",
    "centrumgemeente": "name",
    "penvoerder": "name",
    "qualifier": "municipality",
}


def _ids(entry: dict[str, Any]) -> str:
    return str(entry["file"]).rsplit(".", 1)[0][-40:]


@pytest.fixture(scope="module")
def ingested() -> IngestResult:
    """All documents of the set, read once."""
    return ingest([FIXTURES / e["file"] for e in EXPECTED])


@pytest.fixture(scope="module")
def docs(ingested: IngestResult) -> dict[str, Document]:
    """Documents by file name."""
    return {d.path.name: d for d in ingested.documents}


def test_the_set_covers_formats_and_regions_no_other_set_uses() -> None:
    files = [e["file"] for e in EXPECTED]
    regions = {e["metadata"]["region"].lower().removeprefix("regio ") for e in EXPECTED}
    assert 6 <= len(files) <= 8
    assert {"docx", "pdf", "html", "md", "txt"} <= {Path(f).suffix.lstrip(".") for f in files}
    assert len(regions) == len(files)
    assert not regions & USED_REGIONS


def test_expected_yaml_lists_every_document_of_the_folder() -> None:
    on_disk = {p.name for p in FIXTURES.iterdir() if p.is_file()} - NOT_DOCUMENTS
    assert on_disk == {e["file"] for e in EXPECTED}


def test_sources_yaml_leaves_out_exactly_the_unlisted_documents() -> None:
    listed = set(load_sources(FIXTURES))
    unlisted = {e["file"] for e in EXPECTED if not e["metadata"]["listed"]}
    assert unlisted
    assert listed == {e["file"] for e in EXPECTED} - unlisted


def test_binary_documents_are_committed_beside_their_script() -> None:
    script = (FIXTURES / "make_fixtures.py").read_text("utf-8")
    for entry in EXPECTED:
        if entry["file"].endswith((".docx", ".pdf")):
            assert (FIXTURES / entry["file"]).stat().st_size > 0
            assert entry["file"] in script


def test_every_document_reads_without_problems(ingested: IngestResult) -> None:
    assert ingested.problems == []
    assert sorted(d.path.name for d in ingested.documents) == sorted(e["file"] for e in EXPECTED)
    for doc in ingested.documents:
        assert doc.passages, doc.path.name


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_every_quote_occurs_verbatim_in_the_extracted_text(
    entry: dict[str, Any], docs: dict[str, Document]
) -> None:
    text = docs[entry["file"]].text
    missing = [(f["kind"], f["quote"]) for f in entry["facts"] if f["quote"] not in text]
    for field in ("title_quote", "date_quote", "region_quote"):
        quote = entry["metadata"].get(field)
        if quote and quote not in text:
            missing.append(("metadata", quote))
    assert missing == []


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_facts_carry_the_fields_their_kind_needs(entry: dict[str, Any]) -> None:
    for fact in entry["facts"]:
        kind = fact["kind"]
        if kind.endswith("_date") or kind in ("contract_start", "contract_end"):
            assert isinstance(fact["date"], dt.date), fact
        elif kind == "contract_duration":
            assert {"initial_years", "min_years"} & set(fact) and "extensions" in fact, fact
        elif kind == "providers":
            assert {"now", "aimed"} & set(fact), fact
        elif kind in ("procedure", "funding_model"):
            assert {"value", "concept"} <= set(fact), fact
        elif kind == "segment":
            assert "label" in fact, fact
        elif kind == "youths":
            assert {"count", "year"} <= set(fact), fact
        if kind in ("municipality", "centrumgemeente", "penvoerder"):
            assert fact["name"] in fact["quote"], fact
        if kind == "qualifier":
            words = fact["qualifier"].split()
            assert words[0] in fact["quote"] and words[-1] in fact["quote"], fact
        if kind == "region":
            assert fact["name"] == entry["metadata"]["region"], fact


@pytest.mark.parametrize("entry", EXPECTED, ids=_ids)
def test_municipality_codes_match_the_register(entry: dict[str, Any]) -> None:
    with REGISTER.open(encoding="utf-8", newline="") as handle:
        register = {r["cbs_code"].removeprefix("GM"): r["naam"] for r in csv.DictReader(handle)}
    for fact in entry["facts"]:
        field = MUNICIPALITY_KINDS.get(fact["kind"])
        if field is not None:
            assert register.get(fact["cbs_code"]) == fact.get("register_name", fact[field]), fact


def test_procedure_and_funding_concepts_exist_in_the_ontology_schemes() -> None:
    assert facts_with_unknown_concepts(EXPECTED) == []


def test_web_boilerplate_is_not_part_of_the_text(docs: dict[str, Document]) -> None:
    """Cookie banners, menus, share buttons and footers of the HTML pages stay out."""
    boilerplate = ("cookies", "Deel dit bericht", "Privacyverklaring", "Sitemap", "Kruimelpad")
    for name, doc in docs.items():
        if name.endswith(".html"):
            assert [b for b in boilerplate if b in doc.text] == [], name


def test_word_headings_are_real_styles_and_become_sections(docs: dict[str, Document]) -> None:
    from docx import Document as open_docx

    for entry in EXPECTED:
        if not entry["file"].endswith(".docx"):
            continue
        styled = [
            p.text
            for p in open_docx(str(FIXTURES / entry["file"])).paragraphs
            if p.style is not None and p.style.name == "Heading 1"
        ]
        assert len(styled) >= 3
        titles = {s.title for s in docs[entry["file"]].sections}
        assert set(styled) <= titles


def test_pdf_running_headers_are_in_the_file_and_not_in_the_text(
    docs: dict[str, Document],
) -> None:
    from pypdf import PdfReader

    for entry in EXPECTED:
        if not entry["file"].endswith(".pdf"):
            continue
        raw = "\n".join(p.extract_text() for p in PdfReader(str(FIXTURES / entry["file"])).pages)
        header = f"{entry['metadata']['title']} | pagina"
        assert raw.count(header) >= 3
        assert header not in docs[entry["file"]].text
        # The contents page is kept as text: extraction must cope with its dot leaders.
        assert "....." in docs[entry["file"]].text
