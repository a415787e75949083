"""``kb build`` of a folder of other regions' documents publishes, with and without products.

The invented documents of ``tests/fixtures/regions`` say less than the bundled plan (a plan's
segments without rubrics, letters without segments, names outside the national register): that
is reported as SHACL warnings and never blocks publishing. The build runs as a user runs it,
through the ``kb`` command, once graph-only and once with the site and the Word documents (the
search index is skipped for speed).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from kb.ingest.sources import SOURCES_FILE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "regions"
EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text("utf-8"))["documents"]
FILES = [e["file"] for e in EXPECTED]
#: The one plan (a document with segments) among the fixtures.
PLAN_FILE = "2025-02-10_noordwest-fryslan_inkoopplan-jeugdhulp-2026-2029.pdf"

runner = CliRunner()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture documents and their sources.yaml, as a user has them."""
    target = tmp_path_factory.mktemp("regions") / "documents"
    target.mkdir()
    for name in [*FILES, SOURCES_FILE]:
        shutil.copy2(FIXTURES / name, target / name)
    return target


def _build(folder: Path, build_dir: Path, *options: str) -> tuple[int, str, dict]:
    from kb.cli.main import app

    result = runner.invoke(app, ["build", str(folder), "--build-dir", str(build_dir), *options])
    manifest_file = build_dir / "current" / "manifest.json"
    manifest = json.loads(manifest_file.read_text("utf-8")) if manifest_file.is_file() else {}
    return result.exit_code, result.output, manifest


def test_graph_only_build_publishes_with_warnings(folder: Path, tmp_path: Path) -> None:
    code, output, manifest = _build(folder, tmp_path / "build", "--graph-only")
    assert code == 0, output
    assert (tmp_path / "build" / "current" / "graph.nt").is_file()
    validation = manifest["validation"]
    assert manifest["conforms"] is True and validation["violations"] == 0
    # Completeness is reported, grouped by rule, in the manifest and on the console.
    assert validation["warnings"] > 0
    messages = [rule["message"] for rule in validation["rules"]]
    assert any("lacks the rubric" in m for m in messages), messages
    assert all(rule["severity"] == "Warning" for rule in validation["rules"])
    assert "SHACL: conforms" in output and "Warning" in output


@pytest.fixture(scope="module")
def with_products(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    build_dir = tmp_path_factory.mktemp("build-products")
    code, output, _ = _build(folder, build_dir, "--skip", "index")
    return code, output, build_dir / "current"


def test_build_with_site_and_documents_publishes(with_products: tuple[int, str, Path]) -> None:
    code, output, release = with_products
    assert code == 0, output
    manifest = json.loads((release / "manifest.json").read_text("utf-8"))
    assert manifest["products"] == {"documents": True, "site": True}
    assert manifest["product_errors"] == []
    assert (release / "site" / "index.html").is_file()


def test_the_plan_of_another_region_gets_its_documents(
    with_products: tuple[int, str, Path],
) -> None:
    from generator.docx.documents import read_index, read_plans

    _, _, release = with_products
    folder = release / "documents"
    plans = read_plans(folder)
    # Every document with segments is a plan with its own folder; exactly one is the default.
    assert len(plans) >= 2 and sum(p.default for p in plans) == 1
    plan = next(p for p in plans if p.folder == Path(PLAN_FILE).stem.replace("_", "-"))
    entries = [e for e in read_index(folder) if e.file.startswith(f"{plan.folder}/")]
    kinds = [e.kind for e in entries]
    assert kinds.count("plan") == 1 and kinds.count("chapter") >= 4
    assert kinds.count("raadsvoorstel") == kinds.count("chapter") + 1
    for entry in read_index(folder):
        assert (folder / entry.file).is_file(), entry


def test_region_pages_list_municipalities_with_codes(with_products: tuple[int, str, Path]) -> None:
    _, _, release = with_products
    pages = release / "site-src" / "docs" / "generated"
    page = (pages / "regios" / "jeugdregio-kennemerland.md").read_text("utf-8")
    assert "noemen geen afzonderlijke gemeenten" not in page
    haarlem = next(line for line in page.splitlines() if "[Haarlem]" in line)
    assert "[0392](https://identifier.overheid.nl/tooi/id/gemeente/gm0392" in haarlem
    # Every qualifier a member list gives is shown on the page of the region, with its member.
    from kb.rdf.store import load_graph, query

    noted = query(
        load_graph(release),
        """SELECT ?slug ?label ?note WHERE { ?ms a org:Membership ; org:organization ?r ;
             org:member ?m ; kb:note ?note . ?m rdfs:label ?label
             BIND(REPLACE(STR(?r), "^.*/", "") AS ?slug) }""",
    )
    for slug, label, note in noted:
        lines = (pages / "regios" / f"{slug}.md").read_text("utf-8").splitlines()
        row = next(line for line in lines if line.startswith(f"| [{label}]"))
        assert str(note) in row, (slug, label, note)
    comparison = (pages / "vergelijking.md").read_text("utf-8")
    # No fixture region records a confirmed choice: the comparison shows what prose patterns
    # proposed, every entry marked "voorgesteld" (many regions: a row per region).
    rows = [line for line in comparison.splitlines() if line.startswith("| [")]
    assert len(rows) >= 6
    for row in rows:
        cells = [c.strip() for c in row.strip().strip("|").split("|")[1:]]
        assert any(c != "niet vermeld" for c in cells), row
        for cell in cells:
            assert cell == "niet vermeld" or "kb-voorgesteld" in cell, cell


def test_kb_generate_works_for_the_plan_of_another_region(
    with_products: tuple[int, str, Path], tmp_path: Path
) -> None:
    from kb.cli.main import app

    _, _, release = with_products
    build = ["-b", str(release.parent)]
    title = "Inkoopplan jeugdhulp Noordwest-Fryslân 2026-2029"
    out = tmp_path / "plan.docx"
    result = runner.invoke(app, ["generate", "plan", "--plan", title, "-o", str(out), *build])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    # A chapter of that plan, named by the segment's slug.
    chapter = tmp_path / "ggz.docx"
    result = runner.invoke(
        app,
        ["generate", "chapter", "-s", "jeugd-ggz", "--plan", title, "-o", str(chapter), *build],
    )
    assert result.exit_code == 0, result.output
    # The raadsvoorstel of that plan: the same sections and besluit, placeholders where the
    # graph has nothing (no budget lines, no financial caveats in these documents).
    from docx import Document

    from generator.docx.raadsvoorstel import BESLUIT_TITLE, HEADINGS

    voorstel = tmp_path / "raadsvoorstel.docx"
    result = runner.invoke(
        app, ["generate", "raadsvoorstel", "--plan", title, "-o", str(voorstel), *build]
    )
    assert result.exit_code == 0, result.output
    paragraphs = Document(str(voorstel)).paragraphs
    texts = [p.text for p in paragraphs]
    assert [p.text for p in paragraphs if p.style.name == "Heading 1"] == list(HEADINGS)
    assert BESLUIT_TITLE in texts and f"{title} vast te stellen." in texts
    assert any("geen begrotingsposten" in t for t in texts)
