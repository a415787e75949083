"""The output path is checked before any work; the same graph with ``--fixed-time`` gives the
same bytes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from generator.docx.base import GenerateError, check_output
from kb.cli.main import app


def test_bad_output_paths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(GenerateError, match="folder does not exist"):
        check_output(tmp_path / "missing" / "plan.docx")
    with pytest.raises(GenerateError, match=r"must end in \.docx"):
        check_output(tmp_path / "plan.pdf")
    with pytest.raises(GenerateError, match="is a folder"):
        (tmp_path / "map.docx").mkdir()
        check_output(tmp_path / "map.docx")
    assert check_output(tmp_path / "plan.docx") == tmp_path / "plan.docx"


def test_cli_checks_the_output_before_loading_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_graph(*_args: object, **_kw: object) -> None:
        raise AssertionError("the graph was loaded before the output path was checked")

    monkeypatch.setattr("kb.rdf.store.load_graph", no_graph)
    target = tmp_path / "missing" / "hoofdstuk.docx"
    result = CliRunner().invoke(
        app, ["generate", "chapter", "-s", "wonen", "-o", str(target), "-b", str(tmp_path)]
    )
    assert result.exit_code == 2, result.output
    assert "folder does not exist" in result.output


def test_fixed_time_gives_identical_bytes(
    cut_graph: Graph,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    write_documents,  # type: ignore[no-untyped-def]
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_documents(cut_graph, tmp_path / "a")
    # An hour later: python-docx stamps each zip member with the time of saving.
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    second = write_documents(cut_graph, tmp_path / "b")
    for kind, path in first.items():
        assert path.read_bytes() == second[kind].read_bytes(), kind
