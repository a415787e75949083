"""The `kb` command on a small invented corpus: build, validate, sparql, show, stats, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli.main import app

runner = CliRunner()

PLAN = """1. Inleiding
De gemeenten in de Testregio kopen jeugdhulp in via bestuurlijk aanbesteden.

2. Begrippen
Hieronder de begrippen.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "2021-01-01_testregio_plan.txt").write_text(PLAN, encoding="utf-8")
    (corpus / "stuk.docx").write_bytes(b"geen docx")
    build_dir = root / "build"
    result = runner.invoke(
        app, ["build", str(corpus), "--graph-only", "--build-dir", str(build_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "stuk.docx" in result.output  # the bad file is reported …
    assert (build_dir / "current" / "graph.nt").is_file()  # … and the rest is built
    return build_dir


def test_help_lists_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "validate", "sparql", "show", "stats"):
        assert command in result.output


def test_help_is_fast_lazy_imports() -> None:
    # Import cost only (the interpreter start is the same for every command).
    code = "import time; t=time.perf_counter(); import kb.cli.main; print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = subprocess.run(
        [sys.executable, "-c", "import sys, kb.cli.main; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for heavy in ("rdflib", "torch", "pyshacl", "faiss", "sentence_transformers"):
        assert heavy not in modules, f"kb.cli.main imports {heavy} at start-up"
    assert float(out.stdout) < 2.0


def test_validate_conforms(built: Path) -> None:
    result = runner.invoke(app, ["validate", "--build-dir", str(built)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_sparql_formats(built: Path) -> None:
    q = "SELECT ?d ?t WHERE { ?d a kb:Document ; dct:title ?t }"
    table = runner.invoke(app, ["sparql", q, "--build-dir", str(built)])
    assert table.exit_code == 0 and "1 rows" in table.output
    as_json = runner.invoke(app, ["sparql", q, "-f", "json", "--build-dir", str(built)])
    data = json.loads(as_json.output)
    assert data["head"]["vars"] == ["d", "t"]
    assert data["results"]["bindings"][0]["t"]["value"] == "Plan"
    as_csv = runner.invoke(app, ["sparql", q, "-f", "csv", "--build-dir", str(built)])
    lines = as_csv.output.strip().splitlines()
    assert lines[0] == "d,t" and lines[1].endswith(",Plan")
    ask = runner.invoke(app, ["sparql", "ASK { ?p a kb:Passage }", "--build-dir", str(built)])
    assert ask.output.strip() == "true"


def test_sparql_refuses_updates_and_service(built: Path) -> None:
    upd = runner.invoke(app, ["sparql", "INSERT DATA { <a:b> <a:c> 1 }", "-b", str(built)])
    assert upd.exit_code == 2 and "read-only" in upd.output
    svc = runner.invoke(
        app, ["sparql", "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "-b", str(built)]
    )
    assert svc.exit_code == 2 and "SERVICE" in svc.output
    bad = runner.invoke(app, ["sparql", "SELECT WHERE {", "-b", str(built)])
    assert bad.exit_code == 2 and "query failed" in bad.output
    assert "Traceback" not in bad.output


def test_show_by_label_and_iri(built: Path) -> None:
    result = runner.invoke(app, ["show", "Plan", "--json", "-b", str(built)])
    assert result.exit_code == 0, result.output
    card = json.loads(result.output)
    assert "kb:Document" in card["types"]
    again = runner.invoke(app, ["show", card["iri"], "--json", "-b", str(built)])
    assert json.loads(again.output)["iri"] == card["iri"]
    missing = runner.invoke(app, ["show", "bestaat niet", "-b", str(built)])
    assert missing.exit_code == 1 and "no entity" in missing.output


def test_stats_counts_classes(built: Path) -> None:
    result = runner.invoke(app, ["stats", "--json", "-b", str(built)])
    counts = {row["class"]: row["count"] for row in json.loads(result.output)}
    assert counts["kb:Document"] == 1
    assert counts["kb:Passage"] >= 2


def test_commands_without_a_build_fail_clearly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["stats", "-b", str(tmp_path / "leeg")])
    assert result.exit_code == 2
    assert "kb build" in result.output


def test_build_without_readable_documents_keeps_the_previous_one(
    built: Path, tmp_path: Path
) -> None:
    """Nothing readable: the build is refused and 'current' still points at the old release."""
    before = os.readlink(built / "current")
    empty = tmp_path / "leeg"
    empty.mkdir()
    (empty / "kapot.pdf").write_bytes(b"%PDF-kapot")
    # Wide enough that Rich does not fold the long temporary path (longer under pytest-xdist).
    result = runner.invoke(
        app, ["build", str(empty), "--graph-only", "-b", str(built)], env={"COLUMNS": "1000"}
    )
    assert result.exit_code == 1
    assert "kapot.pdf" in result.output and "no documents" in result.output
    assert os.readlink(built / "current") == before
    assert (built / "current" / "graph.nt").is_file()


def _broken_copy(built: Path, target: Path, triple: str) -> Path:
    """A copy of the build whose graph gets one more N-Triples line."""
    import shutil

    shutil.copytree(built, target, symlinks=True)
    graph = target / "current" / "graph.nt"
    graph.write_text(graph.read_text(encoding="utf-8") + triple + "\n", encoding="utf-8")
    for other in (target / "current").glob("graph.*"):  # the other serialisations would win
        if other != graph:
            other.unlink()
    return target


def test_validate_exits_1_on_a_violation_and_0_with_warnings(built: Path, tmp_path: Path) -> None:
    kb = "https://w3id.org/jeugdhulp-kb/def#"
    doc = "https://w3id.org/jeugdhulp-kb/id/document/2021-01-01-testregio-plan"
    # A wrong datatype is a real defect: exit 1, with the rule in the report.
    wrong = _broken_copy(built, tmp_path / "wrong", f'<{doc}> <{kb}year> "2021" .')
    result = runner.invoke(app, ["validate", "--build-dir", str(wrong)])
    assert result.exit_code == 1, result.output
    assert "Violation [kb:year]: A year is an xsd:integer." in result.output
    # A municipality outside the register is incomplete, not wrong: exit 0, warning printed.
    mun = "https://w3id.org/jeugdhulp-kb/id/municipality/oudedorp"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    warned = _broken_copy(
        built,
        tmp_path / "warned",
        f'<{mun}> <{rdf}> <{kb}Municipality> .\n<{mun}> <{label}> "Oudedorp" .',
    )
    result = runner.invoke(app, ["validate", "--build-dir", str(warned)])
    assert result.exit_code == 0, result.output
    assert "conforms (2 warnings)" in result.output
    assert "not linked to the national register" in result.output
