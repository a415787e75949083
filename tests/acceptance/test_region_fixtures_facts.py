"""Which facts of the invented region documents the graph build finds (and which not yet).

The folder ``tests/fixtures/regions`` is built with the pipeline exactly as ``kb build`` does
(graph only), and for every fact ``expected.yaml`` lists, the graph is asked whether it holds it.
The checks ask for the *meaning*, not for one modelling: a municipality is any node with the CBS
code, linked to the document's region or derived from one of its passages; a date is any
``xsd:date`` on a node derived from the document; and so on (see :data:`CHECKS`).

Fact kinds the current extractors do not produce are strict xfails (:data:`GAPS`): the test
documents the gap and fails as soon as the kind is extracted, so the mark must then go. The
graph is read even when the build is not published (it is kept in ``build/failed``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixture_facts import CHECKS, Built, build_fixture_graph, doc_node, load_expected, region_named
from rdflib import RDF
from rdflib.namespace import DCTERMS

from kb.extract.common import doc_iri
from kb.ingest.read import document_id
from kb.rdf.namespaces import KB, OA

pytestmark = pytest.mark.acceptance

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "regions"
EXPECTED: list[dict[str, Any]] = load_expected(FIXTURES)

#: Fact kinds no extractor produces yet, and why. A kind leaves this table when it is extracted
#: for every document; :data:`WORKS` lists the documents for which a kind already works.
GAPS: dict[str, str] = {
    "municipality": "the municipalities are not in a member list the linker recognises",
    "centrumgemeente": "no extractor reads the centrumgemeente; the ontology has no property",
    "penvoerder": "no extractor reads the penvoerder; the ontology has no property",
    "qualifier": "this document's partial membership ('uitsluitend voor verblijf') is not read",
    "segment": "a list after a cue without a designation word ('kopen gezamenlijk in:') is not "
    "read as segments",
    "procedure": "purchasing models are read only from the rubrics of an 'inkoopplan'",
    "funding_model": "funding models are read only from the rubrics of an 'inkoopplan'",
    "contract_duration": "durations in prose or words ('vier jaar', '4+2+2') are not extracted",
    "providers": "numbers of providers (now / aimed for) are not extracted",
    "contract_start": "contract start dates in prose are not extracted",
    "contract_end": "contract end dates in prose are not extracted",
    "publication_date": "planning dates outside a plan's planning table are not extracted",
    "award_date": "planning dates outside a plan's planning table are not extracted",
    "youths": "numbers of youths in prose are not extracted outside an 'inkoopplan' rubric",
    "budget": "amounts stated in prose ('€ 14,2 miljoen') are not read as budget facts; only "
    "budget tables are",
}
#: (kind, file) pairs that are extracted today although the kind is a gap elsewhere.
WORKS: set[tuple[str, str]] = {
    # Dates in prose become proposed facts with an xsd:date value (kb.extract.prose).
    ("contract_start", "2025-03-18_vallei-en-eem_inkoopstrategie-jeugdhulp-2026.txt"),
    (
        "contract_start",
        "2024-11-05_drechtsteden-alblasserwaard_inkoopkader-jeugdhulp-2025-2028.docx",
    ),
    (
        "contract_start",
        "2025-01-21_kennemerland_raadsinformatiebrief-regionale-inkoop-jeugdhulp.docx",
    ),
    ("contract_start", "2023-12-12_ijssel-vecht_centrumregeling-jeugdhulp.md"),
    ("contract_start", "2025-02-10_noordwest-fryslan_inkoopplan-jeugdhulp-2026-2029.pdf"),
    ("contract_start", "inkoop-jeugdhulp-zuidoost-drenthe.html"),
    # Passes since the memo's metadata is inferred from its text (kb.ingest.metadata).
    ("contract_start", "notitie-stand-van-zaken-inkoop-jeugdhulp-walcheren-bevelanden.txt"),
    ("contract_end", "2025-03-18_vallei-en-eem_inkoopstrategie-jeugdhulp-2026.txt"),
    ("contract_end", "2024-11-05_drechtsteden-alblasserwaard_inkoopkader-jeugdhulp-2025-2028.docx"),
    ("contract_end", "inkoop-jeugdhulp-zuidoost-drenthe.html"),
    (
        "contract_end",
        "2020-06-04_maas-en-meierij_brief-colleges-verlenging-contracten-jeugdhulp.txt",
    ),
    ("contract_end", "notitie-stand-van-zaken-inkoop-jeugdhulp-walcheren-bevelanden.txt"),
    # Segments by structure in any document (kb/extract/segments.py): headings that designate a
    # part ("3.3 Segment 3 – Jeugd-GGZ", "3.2 Perceel B – Verblijf", "Deelopdracht 2: …"), list
    # items ("Perceel 1: …") and an enumeration after a cue ("in drie percelen: a, b en c").
    ("segment", "2025-02-10_noordwest-fryslan_inkoopplan-jeugdhulp-2026-2029.pdf"),
    ("segment", "2025-03-18_vallei-en-eem_inkoopstrategie-jeugdhulp-2026.txt"),
    ("segment", "2025-10-02_vallei-en-eem_artikel-minder-aanbieders-jeugdhulp.html"),
    ("segment", "2025-01-21_kennemerland_raadsinformatiebrief-regionale-inkoop-jeugdhulp.docx"),
    ("segment", "2024-09-26_ijssel-vecht_nota-van-uitgangspunten-inkoop-jeugdhulp-2026.md"),
    # Member lists in any document are linked to the national register (kb/extract/regions.py).
    ("municipality", "2025-03-18_vallei-en-eem_inkoopstrategie-jeugdhulp-2026.txt"),
    ("municipality", "2025-10-02_vallei-en-eem_artikel-minder-aanbieders-jeugdhulp.html"),
    ("municipality", "2024-11-05_drechtsteden-alblasserwaard_inkoopkader-jeugdhulp-2025-2028.docx"),
    (
        "municipality",
        "2025-01-21_kennemerland_raadsinformatiebrief-regionale-inkoop-jeugdhulp.docx",
    ),
    ("municipality", "2023-12-12_ijssel-vecht_centrumregeling-jeugdhulp.md"),
    ("municipality", "inkoop-jeugdhulp-zuidoost-drenthe.html"),
    # Rubric headings by the wordings of real plans ("Tarieven" is the funding-model rubric).
    ("funding_model", "2025-03-18_vallei-en-eem_inkoopstrategie-jeugdhulp-2026.txt"),
    # Budget tables by shape (years as columns, "x € 1.000" above the table).
    ("budget", "2024-11-05_drechtsteden-alblasserwaard_inkoopkader-jeugdhulp-2025-2028.docx"),
    # ... with their qualifiers ("uitsluitend voor verblijf").
    ("qualifier", "2025-01-21_kennemerland_raadsinformatiebrief-regionale-inkoop-jeugdhulp.docx"),
}


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Build a folder holding the fixture documents and their sources.yaml (graph only)."""
    return build_fixture_graph(FIXTURES, EXPECTED, tmp_path_factory.mktemp("work"))


def test_every_document_is_read_into_the_graph(built: Built) -> None:
    assert built.result.problems == []
    for entry in EXPECTED:
        d = doc_iri(document_id(Path(entry["file"])))
        assert (d, RDF.type, KB.Document) in built.graph, entry["file"]
        assert any(built.graph.subjects(OA.hasSource, d)), f"{entry['file']}: no passages"


def test_the_build_exits_cleanly_and_publishes(built: Built) -> None:
    # What these documents do not say (rubrics of a plan, a register code) is a warning only.
    result = built.result
    assert result.problems == []
    assert result.validation is not None
    assert result.validation.conforms, result.validation.report_text()
    assert result.product_errors == []
    assert result.published


def _cases() -> Iterator[Any]:
    for entry in EXPECTED:
        name = entry["file"]
        short = name.split("_")[-1].rsplit(".", 1)[0][:32]
        for kind in dict.fromkeys(f["kind"] for f in entry["facts"]):
            # The region comes from sources.yaml or, for a file it does not list, from the text.
            works = (kind, name) in WORKS
            marks = []
            if kind in GAPS and not works:
                marks.append(pytest.mark.xfail(strict=True, reason=GAPS[kind]))
            yield pytest.param(entry, kind, id=f"{short}-{kind}", marks=marks)


def test_checks_cover_every_fact_kind() -> None:
    kinds = {f["kind"] for e in EXPECTED for f in e["facts"]}
    assert kinds <= set(CHECKS)
    assert set(GAPS) <= set(CHECKS)


@pytest.mark.parametrize(("entry", "kind"), list(_cases()))
def test_the_graph_holds_the_expected_facts(entry: dict[str, Any], kind: str, built: Built) -> None:
    check = CHECKS[kind]
    doc = doc_node(entry)
    missing = [
        {k: v for k, v in fact.items() if k != "quote"}
        for fact in entry["facts"]
        if fact["kind"] == kind and not check(built.graph, doc, fact)
    ]
    assert not missing


def _metadata_cases() -> Iterator[Any]:
    # What sources.yaml does not give is inferred from the text (kb.ingest.metadata).
    for entry in EXPECTED:
        short = entry["file"].split("_")[-1].rsplit(".", 1)[0][:32]
        yield pytest.param(entry, id=short)


@pytest.mark.parametrize("entry", list(_metadata_cases()))
def test_the_graph_holds_title_date_and_region(entry: dict[str, Any], built: Built) -> None:
    g, doc, meta = built.graph, doc_node(entry), entry["metadata"]
    assert meta["title"] in {str(t) for t in g.objects(doc, DCTERMS.title)}
    assert meta["date"] in {d.toPython() for d in g.objects(doc, DCTERMS.date)}
    assert region_named(g, doc, {"name": meta["region"]})
