"""The build's warnings as the site reads them from a release folder."""

from __future__ import annotations

import json
from pathlib import Path

from kb.views.build_info import BUILD_WARNINGS_FILE, MANIFEST_FILE, read_build_warnings


def test_warnings_file_first_then_the_manifest(tmp_path: Path) -> None:
    assert read_build_warnings(tmp_path) == []
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"warnings": ["uit manifest"]}), "utf-8")
    assert read_build_warnings(tmp_path) == ["uit manifest"]
    (tmp_path / BUILD_WARNINGS_FILE).write_text(json.dumps(["Begrotingstotaal x"]), "utf-8")
    assert read_build_warnings(tmp_path) == ["Begrotingstotaal x"]


def test_an_unreadable_file_means_no_warnings(tmp_path: Path) -> None:
    (tmp_path / BUILD_WARNINGS_FILE).write_text("{kapot", "utf-8")
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"warnings": "geen lijst"}), "utf-8")
    assert read_build_warnings(tmp_path) == []
