"""PDF through LibreOffice is bounded and fails clearly: a missing ``soffice`` is named (before
any generating in the CLI), a run that hangs is stopped with its whole process group. The real
conversion is tested in ``tests/acceptance/test_generate_pdf.py``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator.docx import pdf
from kb.cli.main import app


def test_missing_soffice_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)
    source = tmp_path / "a.docx"
    source.write_bytes(b"PK")
    with pytest.raises(pdf.PdfError, match="soffice"):
        pdf.write_pdf(source)
    assert not (tmp_path / "a.pdf").exists()


def test_a_hanging_run_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    # A child in the same process group that would outlive a plain kill of its parent.
    script = f"sleep 30 & echo $! > {marker}; wait"
    started = time.monotonic()
    with pytest.raises(pdf.PdfError, match="no result within"):
        pdf._run(["sh", "-c", script], "test", 1.0)  # noqa: SLF001
    assert time.monotonic() - started < 10
    child = int(marker.read_text())
    time.sleep(0.2)
    status = Path(f"/proc/{child}/status")
    assert not status.exists() or "zombie" in status.read_text(), "the child still runs"


def test_cli_pdf_without_soffice_fails_before_loading_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_graph(*_args: object, **_kw: object) -> None:
        raise AssertionError("the graph was loaded although no PDF can be written")

    monkeypatch.setattr("kb.rdf.store.load_graph", no_graph)
    monkeypatch.setattr(pdf.shutil, "which", lambda _name: None)
    result = CliRunner().invoke(
        app, ["generate", "plan", "--pdf", "-o", str(tmp_path / "plan.docx"), "-b", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "soffice" in result.output
    assert not (tmp_path / "plan.docx").exists()
