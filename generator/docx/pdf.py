"""Word documents to PDF (and page images) through LibreOffice headless.

``soffice --convert-to pdf`` alone prints the table of contents as the .docx carries it: the
placeholder text, because Word fills the TOC field only when the file is opened. So the
conversion runs a small LibreOffice Basic macro that opens the document hidden, updates every
index (the TOC) and then all fields (page numbers), and exports with the ``writer_pdf_Export``
filter. The macro lives in a private, throw-away LibreOffice profile and converts a private copy
of the document, so a running LibreOffice, a stale lock file beside the document (LibreOffice
would wait on a dialog) or the user's macro security settings cannot interfere. Every run is
bounded by a timeout; a missing or failing ``soffice`` raises :class:`PdfError` naming it.

:func:`first_page_png` renders page 1 of that PDF to PNG for the documentation's images.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from kb.errors import KbError
from kb.files import write_atomic

#: Seconds one LibreOffice run may take (the whole plan, about 90 pages, takes ~30 s).
TIMEOUT = 300.0
MODULE = "KbPdf"

_MACRO = """
Sub Export(source As String, target As String, filter As String)
    On Error GoTo failed
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = "Hidden"
    load(0).Value = True
    Dim doc As Object
    doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), "_blank", 0, load())
    Dim indexes As Object
    indexes = doc.getDocumentIndexes()
    Dim i As Integer
    ' Once: a second update of a TOC in a document with footnotes takes its page numbers from a
    ' stale layout (LibreOffice 7.4: 2 to 9 pages too high in the plan).
    For i = 0 To indexes.getCount() - 1
        indexes.getByIndex(i).update()
    Next i
    doc.getTextFields().refresh()
    Dim store(0) As New com.sun.star.beans.PropertyValue
    store(0).Name = "FilterName"
    store(0).Value = filter
    doc.storeToURL(ConvertToURL(target), store())
    doc.close(True)
    Exit Sub
failed:
    ' No PDF is written; the caller reports the failure. Without this handler LibreOffice
    ' would wait on an error dialog until the timeout.
    On Error Resume Next
    doc.close(True)
End Sub
"""

_LIBRARY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
    '"library.dtd">\n'
    '<library:library xmlns:library="http://openoffice.org/2000/library" '
    'library:name="Standard" library:readonly="false" library:passwordprotected="false">\n'
    f' <library:element library:name="{MODULE}"/>\n'
    "</library:library>\n"
)
_MODULE_FILE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" '
    '"module.dtd">\n'
    '<script:module xmlns:script="http://openoffice.org/2000/script" '
    f'script:name="{MODULE}" script:language="StarBasic">{escape(_MACRO)}</script:module>\n'
)


class PdfError(KbError):
    """LibreOffice is missing or could not convert a document; the message says which."""


def find_soffice() -> str:
    """Path of LibreOffice's ``soffice`` (or ``libreoffice``); :class:`PdfError` if missing."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None:
        raise PdfError(
            "soffice (LibreOffice) not found on PATH: install LibreOffice Writer "
            "(e.g. apt-get install libreoffice-writer) to write PDF files"
        )
    return program


def _profile(folder: Path, program: str, timeout: float) -> Path:
    """A LibreOffice user profile in ``folder`` holding the export macro.

    LibreOffice's first start fills a new profile with its default Basic library (replacing
    any library already there), so the profile is initialised first and the macro added after.
    """
    result = _run(
        [program, f"-env:UserInstallation={folder.as_uri()}", "--headless",
         "--terminate_after_init"],
        "initialise a profile",
        timeout,
    )  # fmt: skip
    standard = folder / "user" / "basic" / "Standard"
    if result.returncode != 0 or not standard.is_dir():
        detail = (result.stderr or result.stdout).strip()[-500:]
        raise PdfError(f"soffice: could not initialise a profile (exit {result.returncode})"
                       + (f": {detail}" if detail else ""))  # fmt: skip
    (standard / f"{MODULE}.xba").write_text(_MODULE_FILE, encoding="utf-8")
    (standard / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
    return folder


def _run(args: list[str], what: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run LibreOffice in its own process group, so a timeout stops ``soffice.bin`` too (the
    ``soffice`` script only starts it) and no orphan keeps running."""
    try:
        process = subprocess.Popen(  # noqa: S603 - a fixed program with our own arguments
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
    except OSError as exc:
        raise PdfError(f"soffice: {what}: cannot start {args[0]}: {exc}") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise PdfError(f"soffice: {what}: no result within {timeout:.0f} s") from None
    except BaseException:
        _stop(process)
        raise
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def _stop(process: subprocess.Popen[str]) -> None:
    """Kill the process group of ``process`` (LibreOffice and its children) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _basic_string(text: str) -> str:
    """A Basic string literal (a double quote doubled)."""
    return '"' + text.replace('"', '""') + '"'


def write_pdf(source: Path, target: Path | None = None, *, timeout: float = TIMEOUT) -> Path:
    """Convert the Word file ``source`` to PDF (default: beside it, suffix ``.pdf``) with the
    table of contents and page fields updated; the PDF is written atomically."""
    source = Path(source).resolve()
    target = Path(target).resolve() if target else source.with_suffix(".pdf")
    if not source.is_file():
        raise PdfError(f"{source}: no such file")
    program = find_soffice()
    with tempfile.TemporaryDirectory(prefix="kb-pdf-") as tmp:
        work = Path(tmp)
        profile = _profile(work / "profile", program, timeout)
        copy = work / f"document{source.suffix}"
        shutil.copyfile(source, copy)
        out = work / "out.pdf"
        call = (
            f"macro:///Standard.{MODULE}.Export("
            f"{_basic_string(str(copy))},{_basic_string(str(out))},"
            f"{_basic_string('writer_pdf_Export')})"
        )
        result = _run(
            [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible",
             "--norestore", "--nologo", call],
            f"{source.name} to PDF",
            timeout,
        )  # fmt: skip
        if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
            detail = (result.stderr or result.stdout).strip()[-500:]
            raise PdfError(
                f"soffice: could not convert {source} to PDF (exit {result.returncode})"
                + (f": {detail}" if detail else "")
            )
        write_atomic(target, out.read_bytes())
    return target


def first_page_png(
    source: Path, target: Path, *, scale: float = 1.25, timeout: float = TIMEOUT
) -> Path:
    """Page 1 of the Word file ``source`` as a PNG image at ``target``: the PDF of
    :func:`write_pdf` (so the image shows what the PDF shows), its first page rendered with
    pypdfium2 (a dev dependency, for the documentation) at ``scale`` × 72 dpi."""
    import pypdfium2

    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kb-png-") as tmp:
        pdf = write_pdf(source, Path(tmp) / "document.pdf", timeout=timeout)
        document = pypdfium2.PdfDocument(str(pdf))
        try:
            image = document[0].render(scale=scale).to_pil()
        finally:
            document.close()
        png = io.BytesIO()
        image.save(png, format="PNG", optimize=True)  # no timestamps: the same page, same file
        write_atomic(target, png.getvalue())
    return target
