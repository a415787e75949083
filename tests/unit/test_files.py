"""Atomic writes: the target holds the old or the new content, never a part; no temp file stays."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from kb.files import FILE_MODE, write_atomic, write_json_atomic


def test_write_replaces_the_file_with_the_usual_mode(tmp_path: Path) -> None:
    target = tmp_path / "graph.nt"
    target.write_text("old")
    write_atomic(target, "nieuw: één")
    assert target.read_text(encoding="utf-8") == "nieuw: één"
    assert stat.S_IMODE(target.stat().st_mode) == FILE_MODE
    assert [p.name for p in tmp_path.iterdir()] == ["graph.nt"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "manifest.json"
    write_json_atomic(target, {"a": "é"})

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("kb.files.os.replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"half")
    assert json.loads(target.read_text(encoding="utf-8")) == {"a": "é"}
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
