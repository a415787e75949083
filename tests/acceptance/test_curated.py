"""Curated regional choices (kb/curated/choices*.yaml → kb:RegionalChoice) on the real corpus.

Messages for bad YAML are tested on a tiny invented article in tests/unit/extract/test_curated.py.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import rdflib.namespace as rdfns
from rdflib import RDF, Literal

from kb.extract import curated
from kb.extract.common import FactGraph, cite_text, concept_iri, entity_iri, passage_iri
from kb.extract.documents import region_iri
from kb.ingest.model import Document
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB
from kb.settings import BUNDLED_CORPUS

CORPUS = BUNDLED_CORPUS
REGIONS = ("Achterhoek", "Groningen", "Noord-Limburg", "Holland Rijnland")
ACHTERHOEK = "2020-07-29_achterhoek_artikel-jeugdhulp-op-de-schop.txt"

# Importing XSD/PROV by name makes pytest probe the closed namespaces and warn; use the module.

MATRIX_QUERY = """
SELECT ?region ?aspect ?value ?passage WHERE {
  ?choice a kb:RegionalChoice ;
          kb:region ?r ; kb:aspect ?aspect ; kb:value ?value ; kb:ordinal ?n ;
          prov:wasDerivedFrom ?passage .
  ?r rdfs:label ?region .
}
ORDER BY ?region ?aspect ?n
"""


@pytest.fixture(scope="module")
def docs() -> list[Document]:
    return ingest([CORPUS]).documents


@pytest.fixture(scope="module")
def facts(docs: list[Document]) -> FactGraph:
    result = FactGraph()
    curated.extract(docs, result)
    return result


def run(docs: list[Document], path: Path) -> FactGraph:
    result = FactGraph()
    curated.extract(docs, result, paths=[path])
    return result


def test_the_curated_folder_has_choice_files() -> None:
    assert curated.CURATED_DIR / "choices.yaml" in curated.choice_files()


def test_every_curated_quote_is_in_its_source(docs: list[Document]) -> None:
    """Each entry of each curated file: valid, and its quote found in its source document."""
    by_file = {d.path.name: d for d in docs}
    total = 0
    for path in curated.choice_files():
        entries, problems = curated.load_choices(path)
        assert problems == [], problems
        for entry in entries:
            doc = by_file[entry.file]
            cite = cite_text(doc, entry.quote)  # raises if the quote is not in the source
            # Only white space may differ between the YAML quote and the document text.
            assert cite.quote.split() == entry.quote.split(), entry.name
            assert (
                entry.quote.split()
                == cite.passage.text[
                    cite.start - cite.passage.start : cite.end - cite.passage.start
                ].split()
            ), entry.name
            total += 1
    assert total >= 24


def test_the_real_files_build_without_warnings(facts: FactGraph) -> None:
    assert facts.warnings == []


def test_an_edited_quote_is_reported_and_skipped(docs: list[Document], tmp_path: Path) -> None:
    """Proof that the check above bites: change one word of a quote in a copy of the file."""
    copy = tmp_path / "choices.yaml"
    shutil.copy(curated.CURATED_DIR / "choices.yaml", copy)
    text = copy.read_text(encoding="utf-8")
    assert text.count("Nu hebben 221 aanbieders een contract.") == 1
    copy.write_text(text.replace("Nu hebben 221 aanbieders", "Nu hebben 222 aanbieders"), "utf-8")

    entries, problems = curated.load_choices(copy)
    assert problems == []
    edited = next(e for e in entries if "222" in e.quote)
    result = run(docs, copy)
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert edited.name in warning  # names the YAML file, the entry and its line
    assert "choices.yaml entry" in warning and "Achterhoek / aantal-aanbieders-nu" in warning
    assert f"quote not found in {ACHTERHOEK}" in warning
    # The fact is not written without its evidence.
    g: Any = result.graph
    achterhoek_now = [
        c
        for c in g.subjects(KB.aspect, concept_iri("keuze-aspecten", "aantal-aanbieders-nu"))
        if g.value(c, KB.region) == region_iri("Achterhoek")
    ]
    assert achterhoek_now == []
    assert len(list(g.subjects(RDF.type, KB.RegionalChoice))) == len(entries) - 1


def test_every_region_states_model_funding_and_start(facts: FactGraph) -> None:
    g: Any = facts.graph
    for region in REGIONS:
        aspects = {
            str(g.value(c, KB.aspect)).rsplit("/", 1)[1]
            for c in g.subjects(KB.region, region_iri(region))
        }
        assert {"inkoopmodel", "bekostigingsmodel", "startdatum"} <= aspects, region


def test_matrix_query_returns_regions_by_aspects_with_passages(
    facts: FactGraph, docs: list[Document]
) -> None:
    passages = {passage_iri(p.id): p for d in docs for p in d.passages}
    matrix: dict[tuple[str, str], list[str]] = {}
    rows: Any = facts.graph.query(MATRIX_QUERY)
    for row in rows:
        assert row.passage in passages  # a real passage of an ingested document
        aspect = str(row.aspect).rsplit("/", 1)[1]
        matrix.setdefault((str(row.region), aspect), []).append(str(row.value))
    assert {region for region, _ in matrix} == set(REGIONS)
    assert matrix[("Achterhoek", "contractduur")] == [
        "3 jaar met twee keer een optie op verlenging met 2 jaar (3+2+2), in totaal maximaal 7 jaar"
    ]
    assert matrix[("Groningen", "bekostigingsmodel")][0].startswith(
        "Voorkeur voor meer taakgerichte"
    )
    assert ("Groningen", "contractduur") not in matrix  # "niet vermeld"
    assert len(matrix[("Holland Rijnland", "contractduur")]) == 3  # one per segment that states it


def test_choice_triples(facts: FactGraph, docs: list[Document]) -> None:
    g: Any = facts.graph
    c = entity_iri("choice", "Achterhoek", "bekostigingsmodel", "1")
    assert (c, RDF.type, KB.RegionalChoice) in g
    assert g.value(c, KB.region) == region_iri("Achterhoek")
    assert g.value(c, KB.aspect) == concept_iri("keuze-aspecten", "bekostigingsmodel")
    assert set(g.objects(c, KB.concept)) == {
        concept_iri("bekostigingsvormen", "lumpsum"),
        concept_iri("bekostigingsvormen", "populatiebekostiging"),
    }
    assert g.value(c, KB.value).language == "nl"
    now = entity_iri("choice", "Achterhoek", "aantal-aanbieders-nu", "1")
    assert g.value(now, KB.numericValue) == Literal(Decimal("221"), datatype=rdfns.XSD.decimal)
    start = entity_iri("choice", "Groningen", "startdatum", "1")
    assert g.value(start, KB.date) == Literal("2022-07-01", datatype=rdfns.XSD.date)
    assert g.value(start, rdfns.PROV.wasDerivedFrom) is not None
    model = entity_iri("choice", "Holland Rijnland", "inkoopmodel", "1")
    assert concept_iri("inkoopmodellen", "bestuurlijk-aanbesteden") in set(
        g.objects(model, KB.concept)
    )
