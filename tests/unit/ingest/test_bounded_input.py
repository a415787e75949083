"""Bounded build input (issue 14): what discovery refuses or skips is reported, per-file limits
hold, deep HTML and AES-encrypted PDFs are read, and identical files are read once."""

from __future__ import annotations

import io
import os
import socket
import stat
import time
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from kb.ingest import read as read_module
from kb.ingest.read import ReadLimits, discover, ingest
from kb.settings import Settings

GOOD = "1. Inleiding\nDe regio koopt jeugdhulp in via bestuurlijk aanbesteden.\n"


def reasons(result: object) -> dict[str, str]:
    return {p.path.name: p.reason for p in result.problems}  # type: ignore[attr-defined]


def names(result: object) -> list[str]:
    return [d.path.name for d in result.documents]  # type: ignore[attr-defined]


# ---- discovery: nothing outside the source folder, every skipped entry reported


def test_symlink_out_of_the_source_folder_is_refused(tmp_path: Path) -> None:
    source, outside = tmp_path / "bron", tmp_path / "elders"
    source.mkdir()
    outside.mkdir()
    (outside / "geheim.txt").write_text("Geheime tekst die niet in de graaf mag.\n")
    (source / "plan.txt").write_text(GOOD)
    (source / "etc-passwd.txt").symlink_to(outside / "geheim.txt")
    (source / "map-buiten").symlink_to(outside, target_is_directory=True)
    result = ingest([source])
    assert names(result) == ["plan.txt"]
    why = reasons(result)
    assert "outside the source folder" in why["etc-passwd.txt"]
    assert "outside the source folder" in why["map-buiten"]
    assert all("Geheime" not in p.text for d in result.documents for p in d.passages)


def test_symlink_inside_the_folder_is_followed(tmp_path: Path) -> None:
    (tmp_path / "echt").mkdir()
    (tmp_path / "echt" / "plan.txt").write_text(GOOD)
    (tmp_path / "link").symlink_to(tmp_path / "echt", target_is_directory=True)
    files, problems = discover([tmp_path])
    # The linked folder is the same folder: walked once, the second way reported.
    assert [f.name for f in files] == ["plan.txt"]
    assert len(problems) == 1 and "read already" in problems[0].reason


def test_symlink_loops_are_reported(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(GOOD)
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "terug").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "weg.txt").symlink_to(tmp_path / "bestaat-niet.txt")
    files, problems = discover([tmp_path])
    assert [f.name for f in files] == ["plan.txt"]
    why = {p.path.name: p.reason for p in problems}
    assert "symlink loop" in why["terug"]
    assert "symlink loop" in why["a.txt"] and "symlink loop" in why["b.txt"]
    assert "broken symlink" in why["weg.txt"]


def test_fifo_socket_and_device_are_skipped_and_reported(tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pijp.txt")
    sock = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    os.chdir(tmp_path)  # a socket path is limited to ~100 characters: bind a relative one
    try:
        sock.bind("sok.txt")
    finally:
        os.chdir(cwd)
    try:
        os.mknod(tmp_path / "apparaat.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        device = True
    except PermissionError:
        device = False  # only root may make device files
    try:
        result = ingest([tmp_path])
    finally:
        sock.close()
    assert names(result) == ["plan.txt"]
    why = reasons(result)
    assert "FIFO" in why["pijp.txt"]
    assert "socket" in why["sok.txt"]
    if device:
        assert "device" in why["apparaat.txt"]


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # chmod does not stop root (the tests may run as root), so the listing is made to fail as
    # it does for a folder without read permission.
    (tmp_path / "plan.txt").write_text(GOOD)
    locked = tmp_path / "dicht"
    locked.mkdir()
    (locked / "verborgen.txt").write_text(GOOD)
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(read_module.os, "scandir", scandir)
    files, problems = discover([tmp_path])
    assert [f.name for f in files] == ["plan.txt"]
    assert problems[0].path == locked and "Permission denied" in problems[0].reason


@pytest.mark.skipif(os.geteuid() == 0, reason="chmod 000 does not stop root from reading")
def test_unreadable_folder_by_permissions_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "dicht"
    locked.mkdir()
    (locked / "plan.txt").write_text(GOOD)
    locked.chmod(0)
    try:
        files, problems = discover([tmp_path])
    finally:
        locked.chmod(0o755)
    assert files == [] and "cannot read folder" in problems[0].reason


# ---- per-file limits


def docx_bytes(padding: int = 0) -> bytes:
    """A small Word file; ``padding`` empty paragraphs more in its document.xml (they pack
    about a thousand times: a "zip bomb" that an XML parser would build element by element)."""
    document = docx.Document()
    document.add_heading("Inkoop jeugdhulp", level=1)
    document.add_paragraph("De regio koopt jeugdhulp in.")
    out = io.BytesIO()
    document.save(out)
    if not padding:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * padding, 1)
            target.writestr(info.filename, data)
    return bomb.getvalue()


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    (tmp_path / "bom.docx").write_bytes(docx_bytes(padding=2_000_000))
    assert (tmp_path / "bom.docx").stat().st_size < 100_000
    (tmp_path / "goed.docx").write_bytes(docx_bytes())
    result = ingest([tmp_path])
    assert names(result) == ["goed.docx"]
    why = reasons(result)["bom.docx"]
    assert "word/document.xml" in why and "max_zip_ratio=200" in why


def test_docx_unpacked_size_limit(tmp_path: Path) -> None:
    (tmp_path / "groot.docx").write_bytes(docx_bytes())
    result = ingest([tmp_path], limits=ReadLimits(max_unzipped_bytes=10_000))
    assert result.documents == []
    assert "max_unzipped_bytes" in reasons(result)["groot.docx"]


def test_oversize_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    (tmp_path / "groot.txt").write_text(GOOD * 100)
    (tmp_path / "klein.txt").write_text(GOOD)
    result = ingest([tmp_path], limits=ReadLimits(max_file_bytes=1024))
    assert names(result) == ["klein.txt"]
    assert "too large" in reasons(result)["groot.txt"]
    assert "max_file_bytes=1024" in reasons(result)["groot.txt"]


def test_limits_come_from_the_settings() -> None:
    settings = Settings(
        max_file_bytes=2048,
        max_unzipped_bytes=2**21,
        max_zip_ratio=50,
        read_timeout=3,
        read_max_memory_mb=100,
    )
    assert ReadLimits.from_settings(settings) == ReadLimits(2048, 2**21, 50, 3, 100)


def test_a_file_that_reads_too_long_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-traag.txt").write_text(GOOD)
    (tmp_path / "b-goed.txt").write_text(GOOD.replace("regio", "gemeente"))
    real_reader = read_module._reader

    def reader(suffix: str, limits: ReadLimits):  # type: ignore[no-untyped-def]
        def read(path: Path) -> object:
            if "traag" in path.name:
                time.sleep(60)  # stands for a reader stuck in a parser
            return real_reader(suffix, limits)(path)

        return read

    monkeypatch.setattr(read_module, "_reader", reader)
    start = time.monotonic()
    result = ingest([tmp_path], limits=ReadLimits(read_timeout=1))
    assert time.monotonic() - start < 30
    assert names(result) == ["b-goed.txt"]
    assert "longer than 1 s" in reasons(result)["a-traag.txt"]


# ---- input that used to be lost


def test_deeply_nested_html_is_read(tmp_path: Path) -> None:
    depth = 5000
    (tmp_path / "diep.html").write_text(
        "<html><body><h1>Inkoop</h1><p>Begin.</p>"
        + "<div><span>" * depth
        + "<p>Diep geneste tekst over jeugdhulp.</p><ul><li>Een punt</li></ul>"
        + "</span></div>" * depth
        + "<p>Einde.</p></body></html>"
    )
    (doc,) = ingest([tmp_path]).documents
    texts = [p.text for p in doc.passages]
    assert any("Diep geneste tekst over jeugdhulp." in t for t in texts)
    assert any("Einde." in t for t in texts)


def pdf_bytes() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "De regio koopt jeugdhulp in via bestuurlijk aanbesteden.")
    return bytes(pdf.output())


def encrypted(raw: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_aes_encrypted_pdf_without_user_password_is_read(tmp_path: Path) -> None:
    (tmp_path / "versleuteld.pdf").write_bytes(encrypted(pdf_bytes(), ""))
    (tmp_path / "wachtwoord.pdf").write_bytes(encrypted(pdf_bytes(), "geheim"))
    result = ingest([tmp_path])
    assert names(result) == ["versleuteld.pdf"]
    assert "bestuurlijk aanbesteden" in result.documents[0].passages[0].text
    assert reasons(result)["wachtwoord.pdf"] == "encrypted PDF: a password is required to open it"


def test_identical_files_are_read_once_and_reported(tmp_path: Path) -> None:
    (tmp_path / "a-plan.txt").write_text(GOOD)
    (tmp_path / "b-kopie.txt").write_text(GOOD)
    result = ingest([tmp_path])
    assert names(result) == ["a-plan.txt"]
    assert "same content as" in reasons(result)["b-kopie.txt"]
    assert str(tmp_path / "a-plan.txt") in reasons(result)["b-kopie.txt"]


def test_a_reader_that_dies_is_reported_and_the_next_file_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Stands for a worker killed from outside (the kernel's out-of-memory killer).
    (tmp_path / "a-sterft.txt").write_text(GOOD)
    (tmp_path / "b-goed.txt").write_text(GOOD.replace("regio", "gemeente"))
    real_reader = read_module._reader

    def reader(suffix: str, limits: ReadLimits):  # type: ignore[no-untyped-def]
        def read(path: Path) -> object:
            if "sterft" in path.name:
                os._exit(9)
            return real_reader(suffix, limits)(path)

        return read

    monkeypatch.setattr(read_module, "_reader", reader)
    result = ingest([tmp_path])
    assert names(result) == ["b-goed.txt"]
    assert "stopped unexpectedly (exit code 9)" in reasons(result)["a-sterft.txt"]


def test_a_file_that_needs_too_much_memory_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-gulzig.txt").write_text(GOOD)
    (tmp_path / "b-goed.txt").write_text(GOOD.replace("regio", "gemeente"))
    real_reader = read_module._reader

    def reader(suffix: str, limits: ReadLimits):  # type: ignore[no-untyped-def]
        def read(path: Path) -> object:
            if "gulzig" in path.name:
                bytearray(1024**3)  # stands for a file that unpacks to a gigabyte
            return real_reader(suffix, limits)(path)

        return read

    monkeypatch.setattr(read_module, "_reader", reader)
    result = ingest([tmp_path], limits=ReadLimits(read_max_memory_mb=200))
    assert names(result) == ["b-goed.txt"]
    assert "more than 200 MB" in reasons(result)["a-gulzig.txt"]
