"""Ingestion of a folder: metadata, and every kind of bad input reported without losing the rest."""

from __future__ import annotations

from pathlib import Path

from kb.ingest.read import ingest, read_document

GOOD = "1. Inleiding\nDe regio koopt jeugdhulp in via bestuurlijk aanbesteden.\n"


def write_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2021-03-01_testregio_goed-plan.txt").write_text(GOOD, encoding="utf-8")
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "kapot.docx").write_bytes(b"dit is geen zip-bestand")
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n")
    (folder / "rommel.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)
    (folder / "tabel.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "sources.yaml").write_text(
        "documents:\n  - file: 2021-03-01_testregio_goed-plan.txt\n"
        "    title: Goed plan\n    type: inkoopplan\n    region: Testregio\n"
        "    date: 2021-03-01\n",
        encoding="utf-8",
    )


def test_bad_files_are_reported_and_good_ones_built(tmp_path: Path) -> None:
    write_folder(tmp_path)
    result = ingest([tmp_path])
    assert [d.path.name for d in result.documents] == ["2021-03-01_testregio_goed-plan.txt"]
    reasons = {p.path.name: p.reason for p in result.problems}
    assert set(reasons) == {"leeg.txt", "kapot.docx", "kapot.pdf", "rommel.txt", "tabel.xlsx"}
    assert "empty" in reasons["leeg.txt"]
    assert "docx" in reasons["kapot.docx"].lower()
    assert "pdf" in reasons["kapot.pdf"].lower()
    assert "decode" in reasons["rommel.txt"]
    assert "unsupported format '.xlsx'" in reasons["tabel.xlsx"]
    # Every message names the file (for the build report).
    assert all(p.path.name in str(p) for p in result.problems)


def test_metadata_from_sources_yaml_and_from_file_name(tmp_path: Path) -> None:
    write_folder(tmp_path)
    (tmp_path / "2019-05-02_noord-limburg_notitie-inkoop.md").write_text(
        "# Notitie\n\nTekst over inkoop.\n", encoding="utf-8"
    )
    docs = {d.path.name: d for d in ingest([tmp_path]).documents}
    plan = docs["2021-03-01_testregio_goed-plan.txt"]
    assert (plan.meta.title, plan.meta.doc_type, plan.meta.region, plan.meta.year) == (
        "Goed plan",
        "inkoopplan",
        "Testregio",
        2021,
    )
    note = docs["2019-05-02_noord-limburg_notitie-inkoop.md"]
    assert note.meta.region == "Noord Limburg"
    assert note.meta.year == 2019


def test_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = ingest([tmp_path / "bestaat-niet"])
    assert result.documents == []
    assert "no such file" in result.problems[0].reason


def test_invalid_sources_yaml_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text("documents: [unclosed", encoding="utf-8")
    result = ingest([tmp_path])
    # Reported once; the folder's document is still built (with inferred metadata).
    assert [d.path.name for d in result.documents] == ["a.txt"]
    [problem] = result.problems
    assert "sources.yaml" in str(problem) and "YAML" in problem.reason


def test_document_hash_and_id_are_stable(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(GOOD, encoding="utf-8")
    a, b = read_document(path), read_document(path)
    assert a.id == b.id == "plan"
    assert a.content_hash == b.content_hash
    assert [p.id for p in a.passages] == [p.id for p in b.passages]
