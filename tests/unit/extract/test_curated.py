"""Curated regional choices (kb.extract.curated) on a tiny invented article: bad YAML gives
readable messages, and entries are numbered per region and aspect (the curated files checked
against the real corpus are in tests/acceptance/test_curated.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import RDF, Literal

from kb.extract import curated
from kb.extract.common import FactGraph, entity_iri
from kb.ingest.model import Block, Document, ReadError, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB

#: An invented news article about the Achterhoek; the entries below quote it.
ARTICLE = "2021-03-01_achterhoek_artikel-test.txt"

GOOD = {
    "region": "Achterhoek",
    "aspect": "aantal-aanbieders-nu",
    "value": "221 aanbieders",
    "numeric": 221,
    "file": ARTICLE,
    "quote": "Nu hebben 221 aanbieders een contract.",
}


@pytest.fixture()
def doc() -> Document:
    article = Document(
        id="artikel",
        path=Path(ARTICLE),
        fmt="txt",
        meta=SourceMeta(
            file=ARTICLE, title="Artikel", doc_type="nieuwsartikel", region="Achterhoek"
        ),
        text="",
        content_hash="0",
    )
    build_document(
        article,
        [
            Block("heading", "Minder aanbieders", level=1),
            Block("paragraph", "De regio koopt opnieuw in. Nu hebben 221 aanbieders een contract."),
        ],
    )
    return article


def run(docs: list[Document], path: Path) -> FactGraph:
    result = FactGraph()
    curated.extract(docs, result, paths=[path])
    return result


def write(tmp_path: Path, entries: object, name: str = "choices-test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_not_a_list_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "choices-map.yaml"
    path.write_text("region: Achterhoek\n", "utf-8")
    with pytest.raises(ReadError, match="expected a list of choice entries, found dict"):
        curated.load_choices(path)


def test_unknown_aspect_is_named(doc: Document, tmp_path: Path) -> None:
    path = write(tmp_path, [GOOD, {**GOOD, "aspect": "looptijd"}])
    result = run([doc], path)
    assert result.warnings == [
        "curated: choices-test.yaml entry 2 (line 7: Achterhoek / looptijd): unknown aspect "
        "'looptijd' (expected one of inkoopmodel, bekostigingsmodel, contractduur, "
        "aantal-aanbieders-nu, aantal-aanbieders-beoogd, startdatum)"
    ]
    assert len(list(result.graph.subjects(RDF.type, KB.RegionalChoice))) == 1


def test_missing_quote_is_named(doc: Document, tmp_path: Path) -> None:
    entry = {k: v for k, v in GOOD.items() if k != "quote"}
    result = run([doc], write(tmp_path, [entry, {**entry, "qoute": "x"}]))
    assert result.warnings[0] == (
        "curated: choices-test.yaml entry 1 (line 1: Achterhoek / aantal-aanbieders-nu): "
        "missing field 'quote'"
    )
    assert any("entry 2" in w and "unknown field(s) 'qoute'" in w for w in result.warnings)
    assert not list(result.graph.subjects(RDF.type, KB.RegionalChoice))


def test_bad_values_are_named(doc: Document, tmp_path: Path) -> None:
    bad = [
        {**GOOD, "numeric": "veel"},
        {**GOOD, "date": "1 juli 2022"},
        {**GOOD, "concept": "zak-geld"},
        {**GOOD, "file": "bestaat-niet.txt"},
        "geen mapping",
    ]
    warnings = run([doc], write(tmp_path, bad)).warnings
    assert "'numeric' must be a number, got 'veel'" in warnings[0]
    assert "'date' must be an ISO date (YYYY-MM-DD), got '1 juli 2022'" in warnings[1]
    assert "unknown concept 'zak-geld'" in warnings[2]
    assert "entry 5" in warnings[3] and "expected a mapping" in warnings[3]
    assert (
        "entry 4" in warnings[4] and "'bestaat-niet.txt' is not among the ingested" in warnings[4]
    )


def test_yaml_syntax_error_names_the_file(doc: Document, tmp_path: Path) -> None:
    path = tmp_path / "choices-broken.yaml"
    path.write_text('- region: Achterhoek\n  aspect: [inkoopmodel\n  value: "x"\n', "utf-8")
    with pytest.raises(ReadError) as info:
        curated.load_choices(path)
    message = str(info.value)
    assert message.startswith(f"{path}: YAML syntax error at line ")
    # The build does not stop: the error becomes a warning and other files still load.
    good = write(tmp_path, [GOOD])
    result = FactGraph()
    curated.extract([doc], result, paths=[path, good])
    assert result.warnings == [f"curated: {message}"]
    assert len(list(result.graph.subjects(RDF.type, KB.RegionalChoice))) == 1


def test_numbering_counts_per_region_and_aspect(doc: Document, tmp_path: Path) -> None:
    second = {**GOOD, "value": "nog eens", "quote": "221 aanbieders"}
    g = run([doc], write(tmp_path, [GOOD, second])).graph
    assert (entity_iri("choice", "Achterhoek", "aantal-aanbieders-nu", "2"), KB.value,
            Literal("nog eens", lang="nl")) in g  # fmt: skip
