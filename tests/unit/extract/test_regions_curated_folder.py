"""Which ``regions.yaml`` the regions extractor reads: the build's curated folder, the package's
copy only when no curated folder is set (kb.extract.regions.extract)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, RDFS

from kb.extract import regions
from kb.extract.common import FactGraph
from kb.extract.documents import region_iri
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB

TEXT = "De regio Testland bestaat uit de gemeenten Alfadorp en Betadorp."


def _doc() -> Document:
    doc = Document(
        id="brief",
        path=Path("brief.txt"),
        fmt="txt",
        meta=SourceMeta(file="brief.txt", title="Brief", doc_type="brief", date=date(2025, 1, 1)),
        text="",
        content_hash="0",
    )
    build_document(doc, [Block("paragraph", TEXT)])
    return doc


def _write_regions(folder: Path, region: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / regions.REGIONS_NAME).write_text(
        f'regions:\n  - name: {region}\n    file: brief.txt\n    quote: "regio Testland"\n',
        encoding="utf-8",
    )


def _regions(facts: FactGraph) -> set[str]:
    return {
        str(facts.graph.value(r, RDFS.label)) for r in facts.graph.subjects(RDF.type, KB.Region)
    }


def test_regions_come_from_the_curated_folder(tmp_path: Path) -> None:
    _write_regions(tmp_path / "curated", "Testland")
    facts = FactGraph(curated_dir=tmp_path / "curated")
    regions.extract([_doc()], facts)
    assert _regions(facts) == {"Testland"}
    assert (region_iri("Testland"), RDF.type, KB.Region) in facts.graph
    assert facts.warnings == []


def test_a_curated_folder_without_regions_file_reads_no_package_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The package's regions.yaml is the bundled corpus's curation, not the user's.
    (tmp_path / "curated").mkdir()
    package = tmp_path / "package"
    _write_regions(package, "Pakketregio")
    facts = FactGraph(curated_dir=tmp_path / "curated")
    monkeypatch.setattr(regions, "REGIONS_FILE", package / regions.REGIONS_NAME)
    regions.extract([_doc()], facts)
    assert _regions(facts) == set()
    assert facts.warnings == []


def test_without_a_curated_folder_the_package_copy_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    _write_regions(package, "Pakketregio")
    monkeypatch.setattr(regions, "REGIONS_FILE", package / regions.REGIONS_NAME)
    facts = FactGraph()
    regions.extract([_doc()], facts)
    assert _regions(facts) == {"Pakketregio"}
    assert regions.regions_file(None) == regions.REGIONS_FILE
    assert regions.regions_file(tmp_path) == tmp_path / "regions.yaml"
