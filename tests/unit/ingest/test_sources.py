"""A faulty sources.yaml never loses the folder's documents, and says what is wrong where."""

from __future__ import annotations

import time
from pathlib import Path

from kb.ingest.read import ingest
from kb.ingest.sources import read_sources

DOC = "Stand van zaken\n\nDatum: 9 september 2024\n\nDe Regio Testland koopt jeugdhulp in.\n"


def _folder(tmp_path: Path, sources: str) -> Path:
    (tmp_path / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "b.txt").write_text(DOC.replace("Stand", "Voortgang"), encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(sources, encoding="utf-8")
    return tmp_path


def test_malformed_yaml_is_one_error_naming_the_line_and_every_file_is_built(
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path, "documents:\n  - file: a.txt\n    title: [niet gesloten\n")
    result = ingest([folder])
    assert sorted(d.path.name for d in result.documents) == ["a.txt", "b.txt"]
    [problem] = result.problems
    assert problem.path.name == "sources.yaml"
    assert "line 4" in problem.reason
    # Built with what the text states, marked as inferred.
    titles = {d.meta.title for d in result.documents}
    assert titles == {"Stand van zaken", "Voortgang van zaken"}
    assert all("title" in d.meta.inferred for d in result.documents)


def test_a_missing_file_and_a_duplicate_entry_are_warnings_with_their_line(
    tmp_path: Path,
) -> None:
    folder = _folder(
        tmp_path,
        "documents:\n"
        "  - file: a.txt\n    title: Eerste\n"
        "  - file: weg.txt\n    title: Bestaat niet\n"
        "  - file: a.txt\n    title: Tweede\n",
    )
    result = ingest([folder])
    assert result.problems == []
    assert {d.path.name: d.meta.title for d in result.documents}["a.txt"] == "Eerste"
    missing, twice = result.warnings
    assert "line 4" in missing and "weg.txt" in missing
    assert "line 6" in twice and "listed twice" in twice


def test_an_entry_without_file_and_a_field_that_is_no_value_are_skipped(tmp_path: Path) -> None:
    text = "documents:\n  - title: Zonder bestand\n  - file: a.txt\n    title: [x]\n"
    sources = read_sources(_folder(tmp_path, text))
    assert sources.error == ""
    assert "no 'file'" in sources.warnings[0]
    assert "'title' is not a single value" in sources.warnings[1]
    assert sources.metas["a.txt"].title == "a"


def test_nested_aliases_do_not_expand(tmp_path: Path) -> None:
    # The finding of issue 14: 628 bytes of nested aliases became a 46 MB graph.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("documents:\n  - file: a.txt\n    title: *i")
    text = "\n".join(lines) + "\n"
    text += "#" * (628 - len(text.encode()) - 1) + "\n"
    assert len(text.encode()) == 628
    folder = _folder(tmp_path, text)
    start = time.perf_counter()
    result = ingest([folder])
    assert time.perf_counter() - start < 5
    [problem] = result.problems
    assert "aliases" in problem.reason and "line" in problem.reason
    assert all(len(d.meta.title) < 100 for d in result.documents)


def test_url_is_kept_when_it_is_a_web_address(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        "documents:\n"
        "  - file: a.txt\n    url: https://example.org/plan.pdf\n"
        "  - file: b.txt\n    url: javascript:alert(1)\n",
    )
    result = read_sources(folder)
    assert result.metas["a.txt"].url == "https://example.org/plan.pdf"
    assert result.metas["b.txt"].url == ""
    assert any("'url' is not an http(s) address" in w and "line 4" in w for w in result.warnings)
