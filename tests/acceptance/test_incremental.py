"""Incremental builds equal full builds: add, change and remove a document.

Four documents of the region fixtures (txt, md, html in their own layouts, two of one region)
are built incrementally into one build folder; after each change the published graph is compared
with the graph one pass of :func:`kb.build.pipeline.build_graph` makes from the same documents,
saved and loaded alike (``rdflib.compare.isomorphic``), and the validation results with a whole
SHACL validation of that graph. After a document is added, the site (every page and the search
index) and the Word documents (their text) equal those of a build in a fresh build folder. The
manifest says what the incremental build redid."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from rdflib.compare import isomorphic

from generator.docx.documents import DocumentsProduct
from generator.site.build import SiteProduct
from kb.build.pipeline import MANIFEST_FILE, build, build_graph
from kb.build.validate import validate
from kb.ingest.read import ReadLimits, ingest
from kb.rdf.store import load_graph, save_graph
from kb.settings import Settings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "regions"
START = (
    "2025-03-18_vallei-en-eem_inkoopstrategie-jeugdhulp-2026.txt",
    "2023-12-12_ijssel-vecht_centrumregeling-jeugdhulp.md",
    "2024-09-26_ijssel-vecht_nota-van-uitgangspunten-inkoop-jeugdhulp-2026.md",
)
#: The products that depend on the graph alone (the search index has its own incremental test).
PRODUCTS = (DocumentsProduct(), SiteProduct())
ADDED = "2025-10-02_vallei-en-eem_artikel-minder-aanbieders-jeugdhulp.html"


def _full_pass(folder: Path, settings: Settings):  # type: ignore[no-untyped-def]
    """The graph and validation one full pass makes of ``folder``, in memory."""
    docs = ingest(
        [folder], max_chars=settings.max_passage_chars, limits=ReadLimits.from_settings(settings)
    ).documents
    graph, _ = build_graph(docs, settings, sources=[folder])
    return graph, validate(graph, ontology_dir=settings.ontology_dir)


def _check(folder: Path, settings: Settings) -> dict[str, object]:
    """Build incrementally, compare with one full pass; the manifest's incremental figures."""
    result = build([folder], settings, products=PRODUCTS)
    assert result.published, result.validation and result.validation.report_text()
    graph, validation = _full_pass(folder, settings)
    # Both through the same N-Triples file: a graph read back types plain literals xsd:string.
    save_graph(graph, folder.parent / "one-pass")
    one_pass = load_graph(folder.parent / "one-pass", store="default")
    assert isomorphic(load_graph(result.release_dir, store="default"), one_pass)
    assert result.validation is not None
    assert result.validation.results == validation.results
    assert result.validation.conforms == validation.conforms
    manifest = json.loads((result.release_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    return manifest["incremental"]


def _products(release: Path) -> dict[str, str]:
    """The site's pages and search index, and the Word documents' text, by path; without the
    build date and times."""
    from docx import Document as open_docx

    out: dict[str, str] = {}
    site = release / "site"
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html" or path.parent.name == "search":
            text = path.read_text(encoding="utf-8")
            out[path.relative_to(release).as_posix()] = re.sub(r"\d{2}-\d{2}-\d{4}", "", text)
    for path in sorted((release / "documents").rglob("*.docx")):
        paragraphs = open_docx(str(path)).paragraphs
        out[path.relative_to(release).as_posix()] = "\n".join(p.text for p in paragraphs)
    return out


def test_add_change_remove_equals_full_build(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    for name in (*START, "sources.yaml"):
        shutil.copy2(FIXTURES / name, folder / name)
    settings = Settings(build_dir=tmp_path / "build")

    first = _check(folder, settings)
    assert first["extracted"] == len(START) and first["extract_cached"] == 0

    before = (settings.build_dir / "current").resolve()
    shutil.copy2(FIXTURES / ADDED, folder / ADDED)
    added = _check(folder, settings)
    # A page the new document does not touch was not rendered again: it keeps its file time.
    after = (settings.build_dir / "current").resolve()
    assert after != before
    untouched = Path("site") / "gebruik.html"
    assert (after / untouched).stat().st_mtime_ns == (before / untouched).stat().st_mtime_ns
    assert added["extracted"] == 1 and added["extract_cached"] == len(START)
    assert added["validated_whole"] is False
    # The products of the incremental build (site pages rendered again only where their
    # sources changed, Word documents reused for unchanged plans) equal a fresh build's.
    fresh = build([folder], Settings(build_dir=tmp_path / "fresh"), products=PRODUCTS)
    incremental = _products((settings.build_dir / "current").resolve())
    whole = _products(fresh.release_dir)
    assert incremental.keys() == whole.keys()
    assert [path for path in whole if incremental[path] != whole[path]] == []
    assert any(path.endswith(".docx") for path in whole)

    changed = folder / START[1]
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("jeugdhulp", "jeugdzorg", 2), encoding="utf-8")
    after_change = _check(folder, settings)
    assert after_change["extracted"] == 1 and after_change["validated_whole"] is False

    (folder / START[0]).unlink()
    removed = _check(folder, settings)
    assert removed["extracted"] == 0 and removed["extract_cached"] == len(START)

    # --full redoes every document, and gives the same graph.
    full = build([folder], settings, full=True)
    manifest = json.loads((full.release_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["incremental"]["extracted"] == len(START)
    assert manifest["incremental"]["validated_whole"] is True
