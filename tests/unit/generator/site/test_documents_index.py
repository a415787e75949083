"""The site reads ``documents/index.json`` with the reader of the module that writes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.docx.base import GenerateError
from generator.docx.documents import DocumentEntry, _write_index, read_index
from generator.site.build import SiteBuildError, word_documents


def _release(tmp_path: Path, entries: list[DocumentEntry], files: list[str]) -> Path:
    folder = tmp_path / "documents"
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_bytes(b"PK")
    _write_index(folder / "index.json", "Inkoopplan Testregio", entries)
    return tmp_path


def test_written_index_reads_back(tmp_path: Path) -> None:
    plan = "https://w3id.org/jeugdhulp-kb/id/document/testplan"
    entries = [
        DocumentEntry("chapter", "hoofdstuk-wonen.docx", "Segment 1: Wonen", "wonen", "Wonen",
                      plan, "Inkoopplan Testregio"),
        DocumentEntry("plan", "inkoopplan.docx", "Inkoopplan Testregio"),
    ]  # fmt: skip
    release = _release(tmp_path, entries, ["hoofdstuk-wonen.docx", "inkoopplan.docx"])
    assert read_index(release / "documents") == entries
    assert word_documents(release) == [
        {"title": "Segment 1: Wonen", "file": "hoofdstuk-wonen.docx", "description": "chapter",
         "plan": plan},
        {"title": "Inkoopplan Testregio", "file": "inkoopplan.docx", "description": "plan",
         "plan": ""},
    ]  # fmt: skip


def test_listed_documents_without_their_file_are_left_out(tmp_path: Path) -> None:
    entries = [
        DocumentEntry("plan", "inkoopplan.docx", "Plan"),
        DocumentEntry("plan", "weg.docx", "Weg"),
    ]
    release = _release(tmp_path, entries, ["inkoopplan.docx"])
    assert [d["file"] for d in word_documents(release)] == ["inkoopplan.docx"]


def test_no_documents_folder_means_no_documents(tmp_path: Path) -> None:
    assert word_documents(tmp_path) == []


@pytest.mark.parametrize("text", ["[]", '{"files": []}', "{kapot", '{"documents": [{"x": 1}]}'])
def test_an_index_of_another_shape_is_an_error_naming_the_file(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "index.json").write_text(text, encoding="utf-8")
    with pytest.raises(GenerateError, match="index.json"):
        read_index(folder)
    with pytest.raises(SiteBuildError, match="index.json"):
        word_documents(tmp_path)
