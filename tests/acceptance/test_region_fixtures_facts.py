"""Which facts of the invented region documents the graph build finds (and which not yet).

The folder ``tests/fixtures/regions`` is built with the pipeline exactly as ``kb build`` does
(graph only), and for every fact ``expected.yaml`` lists, the graph is asked whether it holds it.
The checks ask for the *meaning*, not for one modelling: a municipality is any node with the CBS
code, linked to the document's region or derived from one of its passages; a date is any
``xsd:date`` on a node derived from the document; and so on (see :data:`CHECKS`).

Facts of a document the current extractors do not find are strict xfails per (kind, document)
(:data:`GAPS`): the test documents the gap and fails as soon as the fact is found, so the entry
must then go. A proposed fact of a prose pattern with the value and a verbatim quote counts as
found, as in ``benchmarks/bench_extract.py``. The graph is read even when the build is not
published (it is kept in ``build/failed``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fixture_facts import (
    CHECKS,
    Built,
    build_fixture_graph,
    doc_node,
    fact_found,
    load_expected,
    region_named,
)
from rdflib import RDF
from rdflib.namespace import DCTERMS

from kb.extract.common import doc_iri
from kb.ingest.read import document_id, read_document
from kb.rdf.namespaces import KB, OA

pytestmark = pytest.mark.acceptance

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "regions"
EXPECTED: list[dict[str, Any]] = load_expected(FIXTURES)

VEE_STRATEGY = "2025-03-18_vallei-en-eem_inkoopstrategie-jeugdhulp-2026.txt"
VEE_ARTICLE = "2025-10-02_vallei-en-eem_artikel-minder-aanbieders-jeugdhulp.html"
DRA_FRAMEWORK = "2024-11-05_drechtsteden-alblasserwaard_inkoopkader-jeugdhulp-2025-2028.docx"
KEN_LETTER = "2025-01-21_kennemerland_raadsinformatiebrief-regionale-inkoop-jeugdhulp.docx"
IJV_NOTE = "2024-09-26_ijssel-vecht_nota-van-uitgangspunten-inkoop-jeugdhulp-2026.md"
NWF_PLAN = "2025-02-10_noordwest-fryslan_inkoopplan-jeugdhulp-2026-2029.pdf"
ZOD_PAGE = "inkoop-jeugdhulp-zuidoost-drenthe.html"
MM_LETTER = "2020-06-04_maas-en-meierij_brief-colleges-verlenging-contracten-jeugdhulp.txt"

#: What extraction does not find yet, per (fact kind, document), and why: each is a strict
#: xfail, so it fails as soon as the fact is found and its entry must then go. Every other
#: (kind, document) pair of expected.yaml must be found. A fact counts as found as
#: ``benchmarks/bench_extract.py`` counts it (:func:`fixture_facts.fact_found`): a confirmed
#: fact, or a fact a prose pattern proposes with the value and a verbatim quote.
GAPS: dict[tuple[str, str], str] = {
    ("municipality", MM_LETTER): "former municipalities (Landerd, Uden) are kept as named and "
    "not linked; the check asks for their successor Maashorst",
    ("funding_model", VEE_ARTICLE): "a funding model described, not named ('een vast "
    "jaarbudget') is not read",
    ("procedure", IJV_NOTE): "this purchasing model is not read from the note's prose",
    ("contract_duration", ZOD_PAGE): "this duration in prose is not read",
    ("providers", VEE_STRATEGY): "providers per lot ('35 voor perceel A en 15 voor perceel B') "
    "are not read",
    ("providers", KEN_LETTER): "this number of providers is not read",
    ("providers", IJV_NOTE): "this number of providers is not read",
    ("providers", NWF_PLAN): "'terugbrengen naar ongeveer 70' is not read as the aimed number",
    ("providers", ZOD_PAGE): "this number of providers is not read",
    ("contract_start", VEE_ARTICLE): "a relative date ('één januari volgend jaar') is not resolved",
    ("contract_start", IJV_NOTE): "this start date is not read",
    ("contract_end", IJV_NOTE): "this end date is not read",
    ("contract_end", NWF_PLAN): "this end date is not read",
    ("publication_date", VEE_STRATEGY): "planning dates outside a plan's planning table are not "
    "extracted",
    ("publication_date", NWF_PLAN): "planning dates outside a plan's planning table are not "
    "extracted",
    ("award_date", VEE_STRATEGY): "planning dates outside a plan's planning table are not "
    "extracted",
    ("award_date", NWF_PLAN): "planning dates outside a plan's planning table are not extracted",
    ("youths", DRA_FRAMEWORK): "this number of youths is not read",
    ("youths", ZOD_PAGE): "this number of youths is not read",
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
            marks = []
            if (kind, name) in GAPS:
                marks.append(pytest.mark.xfail(strict=True, reason=GAPS[kind, name]))
            yield pytest.param(entry, kind, id=f"{short}-{kind}", marks=marks)


def test_checks_cover_every_fact_kind() -> None:
    kinds = {f["kind"] for e in EXPECTED for f in e["facts"]}
    assert kinds <= set(CHECKS)
    pairs = {(f["kind"], e["file"]) for e in EXPECTED for f in e["facts"]}
    assert set(GAPS) <= pairs  # no stale entry


@pytest.mark.parametrize(("entry", "kind"), list(_cases()))
def test_the_graph_holds_the_expected_facts(entry: dict[str, Any], kind: str, built: Built) -> None:
    # A fact counts as found as benchmarks/bench_extract.py counts it: a confirmed fact, or a
    # proposed fact of a prose pattern with the value and a quote that occurs verbatim.
    doc = doc_node(entry)
    text = read_document(FIXTURES / entry["file"]).text
    missing = [
        {k: v for k, v in fact.items() if k != "quote"}
        for fact in entry["facts"]
        if fact["kind"] == kind and not fact_found(built.graph, doc, fact, text)
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


def _not_member_cases() -> Iterator[Any]:
    for entry in EXPECTED:
        for other in entry.get("not_members", []):
            short = entry["file"].split("_")[-1].rsplit(".", 1)[0][:32]
            yield pytest.param(entry, other, id=f"{short}-{other['name']}")


@pytest.mark.parametrize(("entry", "other"), list(_not_member_cases()))
def test_a_single_mention_makes_no_member(
    entry: dict[str, Any], other: dict[str, Any], built: Built
) -> None:
    # "een aanbieder uit Emmen": a name outside a member list is no member of the region.
    g, doc = built.graph, doc_node(entry)
    assert CHECKS["municipality"](g, doc, {"cbs_code": entry_code(entry)})  # members are found
    assert not CHECKS["municipality"](g, doc, other)


def entry_code(entry: dict[str, Any]) -> str:
    """The CBS code of the document's first expected member."""
    return next(f["cbs_code"] for f in entry["facts"] if f["kind"] == "municipality")
