"""Ingestion: find source files, read them with the reader for their format, segment them.

Bad input never takes the build down: every file that cannot be read is reported as a
:class:`Problem` with its path and the reason, and all other files are built.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.ingest.metadata import complete as complete_meta
from kb.ingest.model import Block, Document, ReadError, SourceMeta
from kb.ingest.passages import MAX_PASSAGE_CHARS, build_document, slugify
from kb.ingest.sources import SOURCES_FILE, meta_from_name, read_sources

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm")
#: Files beside the sources that are not documents and are skipped without a word.
IGNORED_NAMES = {SOURCES_FILE, "README.md", "readme.md", ".gitkeep"}
#: A safety cap: a single source bigger than this is refused rather than exhausting memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """A file that was not built, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class IngestResult:
    """The documents that were built and the files that were not."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Things a user should know that cost no document (a sources.yaml entry ignored, …).
    warnings: list[str] = field(default_factory=list)


def _reader(suffix: str) -> Callable[[Path], list[Block]]:
    # Word, PDF and HTML readers import heavy libraries; load them only for files that need them.
    if suffix in (".txt", ".md", ".markdown"):
        from kb.ingest.text import read_text

        return read_text
    if suffix == ".docx":
        from kb.ingest.docx import read_docx

        return read_docx
    if suffix == ".pdf":
        from kb.ingest.pdf import read_pdf

        return read_pdf
    from kb.ingest.html import read_html

    return read_html


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into their files (sorted, recursive, hidden files skipped)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                hidden = any(p.startswith(".") for p in rel.parts)
                if child.is_file() and not hidden and child.name not in IGNORED_NAMES:
                    files.append(child)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(path, "no such file or folder"))
    return files, problems


def document_id(path: Path) -> str:
    """Stable document id: the slug of the file name without its extension."""
    return slugify(path.stem, 80)


def read_document(
    path: Path, meta: SourceMeta | None = None, *, max_chars: int = MAX_PASSAGE_CHARS
) -> Document:
    """Read, clean and segment one file. Raises :class:`ReadError` for bad input."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            path,
            f"unsupported format '{suffix or '(none)'}'; supported: "
            + ", ".join(SUPPORTED_SUFFIXES),
        )
    try:
        size = path.stat().st_size
        raw = path.read_bytes() if size <= MAX_FILE_BYTES else b""
    except OSError as exc:
        raise ReadError(path, f"cannot read file: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise ReadError(path, f"file too large ({size} bytes; limit {MAX_FILE_BYTES})")
    if not raw.strip():
        raise ReadError(path, "empty file")
    blocks = _reader(suffix)(path)
    if not any(b.text.strip() for b in blocks):
        raise ReadError(path, "no text found in the file")
    doc = Document(
        id=document_id(path),
        path=path,
        fmt=suffix.lstrip("."),
        meta=meta or meta_from_name(path),
        text="",
        content_hash=hashlib.sha256(raw).hexdigest(),
    )
    build_document(doc, blocks, max_chars=max_chars)
    # What sources.yaml does not give is inferred from the text (and marked as inferred).
    doc.meta = complete_meta(
        doc.meta, blocks, doc.text, listed=meta is not None, path=path, raw=raw
    )
    return doc


def _folder_sources(folder: Path, result: IngestResult) -> dict[str, SourceMeta]:
    """The metadata of ``folder/sources.yaml``; its faults go into ``result`` (once a folder)."""
    sources = read_sources(folder)
    if sources.error:
        # The folder's files are still built, with metadata inferred from text and name.
        result.problems.append(
            Problem(
                folder / SOURCES_FILE,
                f"{sources.error}; the file is ignored and the documents of {folder} are built "
                "with metadata inferred from their text and file names",
            )
        )
    result.warnings.extend(sources.warnings)
    return sources.metas


def ingest(
    paths: Iterable[Path],
    *,
    progress: Callable[[Path], None] | None = None,
    max_chars: int = MAX_PASSAGE_CHARS,
) -> IngestResult:
    """Read every supported file under ``paths``; collect problems instead of failing."""
    files, problems = discover(paths)
    result = IngestResult(problems=problems)
    metas: dict[Path, dict[str, SourceMeta]] = {}
    seen_ids: dict[str, Path] = {}
    for path in files:
        if progress:
            progress(path)
        folder = path.parent
        if folder not in metas:
            metas[folder] = _folder_sources(folder, result)
        try:
            meta = metas[folder].get(path.name)
            doc = read_document(path, meta, max_chars=max_chars)
        except ReadError as exc:
            result.problems.append(Problem(exc.path, exc.reason))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the build
            result.problems.append(Problem(path, f"unexpected error: {type(exc).__name__}: {exc}"))
            continue
        if doc.id in seen_ids:
            result.problems.append(
                Problem(path, f"same document id '{doc.id}' as {seen_ids[doc.id]}; skipped")
            )
            continue
        seen_ids[doc.id] = path
        result.documents.append(doc)
    return result
