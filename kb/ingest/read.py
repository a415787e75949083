"""Ingestion: find source files, read them with the reader for their format, segment them.

Bad input never takes the build down: every file that cannot be read is reported as a
:class:`Problem` with its path and the reason, and all other files are built.

Input is bounded (:class:`ReadLimits`, from the settings): discovery stays inside each source
folder (a symlink whose target leaves it is refused), and reports what it skips (symlink loops,
FIFOs, devices, sockets, unreadable folders); a file larger than ``max_file_bytes`` is not
read; a Word file is checked against an unpacked-size and ratio limit before it is unpacked;
and each file is read in a forked worker process that is stopped after ``read_timeout``
seconds and may take at most ``read_max_memory_mb`` more memory. Two files with the same
bytes are read once; the second is reported.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import pickle
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.ingest.metadata import complete as complete_meta
from kb.ingest.model import Block, Document, ReadError, SourceMeta
from kb.ingest.passages import MAX_PASSAGE_CHARS, build_document, slugify
from kb.ingest.sources import SOURCES_FILE, meta_from_name, read_sources

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm")
#: Files beside the sources that are not documents and are skipped without a word.
IGNORED_NAMES = {SOURCES_FILE, "README.md", "readme.md", ".gitkeep"}
#: A safety cap: a single source bigger than this is refused rather than exhausting memory.
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Word files: most bytes all parts of the zip may unpack to, and the highest ratio of one
#: part's unpacked to packed size (ordinary Word XML packs 5-20 times).
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200
#: Seconds one file may take to read before its worker is stopped (0: read in-process, no limit).
READ_TIMEOUT = 60.0
#: Memory (MB) the reading worker may take on top of what it starts with (0: no limit).
READ_MAX_MEMORY_MB = 2048


@dataclass(frozen=True)
class ReadLimits:
    """Per-file budgets of ingestion (the settings ``max_file_bytes``, ``max_unzipped_bytes``,
    ``max_zip_ratio``, ``read_timeout`` and ``read_max_memory_mb``)."""

    max_file_bytes: int = MAX_FILE_BYTES
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES
    max_zip_ratio: float = MAX_ZIP_RATIO
    read_timeout: float = READ_TIMEOUT
    read_max_memory_mb: int = READ_MAX_MEMORY_MB

    @classmethod
    def from_settings(cls, settings: Any) -> ReadLimits:
        """The limits of a :class:`kb.settings.Settings` (or any object with those fields)."""
        return cls(
            max_file_bytes=settings.max_file_bytes,
            max_unzipped_bytes=settings.max_unzipped_bytes,
            max_zip_ratio=settings.max_zip_ratio,
            read_timeout=settings.read_timeout,
            read_max_memory_mb=settings.read_max_memory_mb,
        )


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


def _reader(suffix: str, limits: ReadLimits) -> Callable[[Path], list[Block]]:
    # Word, PDF and HTML readers import heavy libraries; load them only for files that need them.
    if suffix in (".txt", ".md", ".markdown"):
        from kb.ingest.text import read_text

        return read_text
    if suffix == ".docx":
        from kb.ingest.docx import read_docx

        return lambda path: read_docx(
            path, max_unzipped_bytes=limits.max_unzipped_bytes, max_ratio=limits.max_zip_ratio
        )
    if suffix == ".pdf":
        from kb.ingest.pdf import read_pdf

        return read_pdf
    from kb.ingest.html import read_html

    return read_html


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is (``None`` for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _is_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _walk(root: Path, files: list[Path], problems: list[Problem]) -> None:
    """Collect the files under ``root`` (sorted, hidden entries skipped) without recursion.

    Symlinks are resolved: one that leaves ``root``, that is broken or that loops is refused;
    a linked folder inside ``root`` is walked once (its real path is remembered, so a link to
    an ancestor is a loop, not an endless walk). Anything but regular files and folders, and a
    folder that cannot be listed, is reported."""
    real_root = root.resolve()
    visited = {real_root}
    stack: list[Path] = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                children = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(folder, f"cannot read folder: {exc.strerror or exc}; skipped"))
            continue
        subfolders: list[Path] = []
        for entry in children:
            child = Path(entry.path)
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink():
                    try:
                        target = child.resolve(strict=True)
                    except (RuntimeError, OSError) as exc:
                        # Python 3.11 raises RuntimeError for a loop; later versions OSError.
                        loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", 0) == 40
                        why = "symlink loop" if loop else "broken symlink (target missing)"
                        problems.append(Problem(child, f"{why}; skipped"))
                        continue
                    if not _is_within(target, real_root):
                        problems.append(
                            Problem(
                                child,
                                f"symlink to {target}, outside the source folder {root}; refused",
                            )
                        )
                        continue
                    mode = target.stat().st_mode
                    if stat.S_ISDIR(mode):
                        if target in visited or _is_within(folder.resolve(), target):
                            problems.append(
                                Problem(child, f"symlink loop (folder {target} is read already)")
                            )
                        else:
                            visited.add(target)
                            subfolders.append(child)
                        continue
                else:
                    mode = entry.stat(follow_symlinks=False).st_mode
                    if stat.S_ISDIR(mode):
                        visited.add(child.resolve())
                        subfolders.append(child)
                        continue
            except OSError as exc:
                problems.append(Problem(child, f"cannot read: {exc.strerror or exc}; skipped"))
                continue
            kind = _kind(mode)
            if kind is not None:
                problems.append(Problem(child, f"{kind}, not a document; skipped"))
            elif entry.name not in IGNORED_NAMES:
                files.append(child)
        # Depth first in name order, like a sorted recursive listing.
        stack.extend(reversed(subfolders))


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders into their files (sorted, recursive, hidden files skipped).

    Entries that are skipped (a symlink out of the folder, a loop, a FIFO, a device, a socket,
    an unreadable folder) are returned as problems with the path and the reason."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError:
            problems.append(Problem(path, "no such file or folder"))
            continue
        if stat.S_ISDIR(mode):
            _walk(path, files, problems)
        elif (kind := _kind(mode)) is not None:
            problems.append(Problem(path, f"{kind}, not a document; skipped"))
        else:
            files.append(path)
    return files, problems


def document_id(path: Path) -> str:
    """Stable document id: the slug of the file name without its extension."""
    return slugify(path.stem, 80)


def _read_raw(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` (a larger file is a ReadError).

    Opened non-blocking and checked with ``fstat``: a file swapped for a FIFO after discovery
    cannot hang the build, and the size is checked before anything is read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ReadError(path, f"cannot read file: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        kind = _kind(info.st_mode)
        if kind is not None:
            raise ReadError(path, f"{kind}, not a document")
        if info.st_size > max_bytes:
            raise ReadError(
                path, f"file too large ({info.st_size} bytes; limit max_file_bytes={max_bytes})"
            )
        try:
            raw = handle.read(max_bytes + 1)
        except OSError as exc:
            raise ReadError(path, f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:  # grew while being read
        raise ReadError(path, f"file too large (over the limit max_file_bytes={max_bytes})")
    return raw


def read_document(
    path: Path,
    meta: SourceMeta | None = None,
    *,
    max_chars: int = MAX_PASSAGE_CHARS,
    limits: ReadLimits | None = None,
    raw: bytes | None = None,
) -> Document:
    """Read, clean and segment one file in this process. Raises :class:`ReadError` for bad
    input (see :func:`read_bounded` for the time budget)."""
    limits = limits or ReadLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            path,
            f"unsupported format '{suffix or '(none)'}'; supported: "
            + ", ".join(SUPPORTED_SUFFIXES),
        )
    if raw is None:
        raw = _read_raw(path, limits.max_file_bytes)
    if not raw.strip():
        raise ReadError(path, "empty file")
    blocks = _reader(suffix, limits)(path)
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


def _limit_memory(extra_mb: int) -> None:
    """Cap this process's address space at its current size plus ``extra_mb`` (Linux)."""
    try:
        import resource

        status = Path("/proc/self/status").read_text()
    except (ImportError, OSError):
        return  # no /proc (not Linux) or no resource module: the time budget still holds
    size_kb = next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmSize:")), 0
    )
    cap = size_kb * 1024 + extra_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or cap < hard:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _serve(conn: Any, max_memory_mb: int) -> None:
    """Worker body: read the documents the parent sends, one at a time, until told to stop.

    Every answer is ``("ok", document)`` or ``("error", reason)``; nothing is raised here."""
    if max_memory_mb > 0:
        _limit_memory(max_memory_mb)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        path, meta, kwargs = request
        try:
            message: tuple[str, Any] = ("ok", read_document(path, meta, **kwargs))
        except ReadError as exc:
            message = ("error", exc.reason)
        except MemoryError:
            message = (
                "error",
                f"reading needs more than {max_memory_mb} MB of memory (limit read_max_memory_mb)",
            )
        except Exception as exc:  # noqa: BLE001 - reported by the parent for this file
            message = ("error", f"unexpected error: {type(exc).__name__}: {exc}")
        try:
            conn.send(message)
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("error", f"unexpected error: {type(exc).__name__}: {exc}"))


def _can_fork() -> bool:
    return sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()


class ReadWorker:
    """Reads documents in a forked worker process, each within a time budget.

    A reader stuck in C code (an XML or PDF parser) cannot be stopped from inside the process
    that runs it; a worker process can be killed. One worker reads file after file, so the
    imports and caches a reader needs (the vocabulary, lxml, pypdf) are loaded once, not per
    file; when a file runs out of time the worker is killed and the next file gets a new one.
    The worker's address space is capped at what it starts with plus ``max_memory_mb``, so a
    file that unpacks to gigabytes fails with a message instead of exhausting the machine.
    ``benchmarks/bench_ingest.py`` measures the cost. Without ``fork`` (Windows) or with a
    budget of 0 files are read in this process, without a time limit."""

    def __init__(self, timeout: float, max_memory_mb: int = READ_MAX_MEMORY_MB) -> None:
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self.enabled = timeout > 0 and _can_fork()
        self._process: Any = None
        self._conn: Any = None

    def __enter__(self) -> ReadWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve, args=(child, self.max_memory_mb), daemon=True)
        self._process.start()
        child.close()

    def _stop(self) -> None:
        if self._process is None:
            return
        self._conn.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._process = self._conn = None

    def close(self) -> None:
        """Let the worker finish (or stop it) and wait for it."""
        if self._process is None:
            return
        try:
            self._conn.send(None)
            self._process.join(timeout=5)
        except OSError:
            pass
        self._stop()

    def read(self, path: Path, meta: SourceMeta | None = None, **kwargs: Any) -> Document:
        """:func:`read_document` with the same arguments, stopped after :attr:`timeout` s."""
        if not self.enabled:
            return read_document(path, meta, **kwargs)
        if self._process is None:
            self._start()
        try:
            self._conn.send((path, meta, kwargs))
            if not self._conn.poll(self.timeout):
                self._stop()
                raise ReadError(
                    path,
                    f"reading took longer than {self.timeout:g} s (limit read_timeout); stopped",
                )
            status, value = self._conn.recv()
        except (EOFError, OSError):
            self._process.join(timeout=5)  # the exit code is known once it has been reaped
            code = self._process.exitcode
            self._stop()
            raise ReadError(path, f"the reader stopped unexpectedly (exit code {code})") from None
        if status == "error":
            raise ReadError(path, value)
        return value


def ingest(
    paths: Iterable[Path],
    *,
    progress: Callable[[Path], None] | None = None,
    max_chars: int = MAX_PASSAGE_CHARS,
    limits: ReadLimits | None = None,
    cache_dir: Path | None = None,
    cache_version: str = "",
    cache_read: bool = True,
) -> IngestResult:
    """Read every supported file under ``paths``; collect problems instead of failing.

    With ``cache_dir`` (an incremental build's cache folder), a file read before with the same
    content, metadata, limits and reader code is taken from there instead of read again;
    ``cache_version`` names what else reading depends on (the ontology's schemes: document
    types, rubric labels). ``cache_read=False`` reads every file and refreshes the cache.
    """
    limits = limits or ReadLimits()
    files, problems = discover(paths)
    result = IngestResult(problems=problems)
    metas: dict[Path, dict[str, SourceMeta]] = {}
    seen_ids: dict[str, Path] = {}
    seen_content: dict[str, Path] = {}
    used: set[str] = set()  # cache files of this run (the others are of removed files)
    # The loop catches every error of a file; should anything else end it, the worker is a
    # daemon process and ends with this one.
    worker = ReadWorker(limits.read_timeout, limits.read_max_memory_mb)
    for path in files:
        if progress:
            progress(path)
        folder = path.parent
        if folder not in metas:
            metas[folder] = _folder_sources(folder, result)
        try:
            meta = metas[folder].get(path.name)
            raw = None
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                raw = _read_raw(path, limits.max_file_bytes)
                digest = hashlib.sha256(raw).hexdigest()
                if digest in seen_content:
                    result.problems.append(
                        Problem(path, f"same content as {seen_content[digest]}; read once")
                    )
                    continue
                seen_content[digest] = path
            key = (
                _cache_key(path, meta, raw, max_chars, limits, cache_version)
                if cache_dir and raw
                else None
            )
            if key:
                used.add(f"{key}.pickle")
            doc = _cached(cache_dir, key) if cache_read else None
            if doc is None:
                doc = worker.read(path, meta, max_chars=max_chars, limits=limits, raw=raw)
                _store(cache_dir, key, doc)
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
    worker.close()
    if cache_dir is not None:
        _prune(cache_dir, used)
    return result


@functools.lru_cache(maxsize=1)
def _reader_version() -> str:
    """A hash of the reader code (this package): a changed reader reads every file again."""
    digest = hashlib.sha256()
    for code in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(code.read_bytes())
    return digest.hexdigest()


def _prune(cache_dir: Path, used: set[str]) -> None:
    """Remove the cache files of files no longer read (removed or changed)."""
    if cache_dir.is_dir():
        for old in cache_dir.glob("*.pickle"):
            if old.name not in used:
                old.unlink(missing_ok=True)


def _cache_key(
    path: Path,
    meta: SourceMeta | None,
    raw: bytes,
    max_chars: int,
    limits: ReadLimits,
    version: str,
) -> str:
    digest = hashlib.sha256((_reader_version() + version).encode())
    for part in (str(path.resolve()), repr(meta), str(max_chars), repr(limits)):
        digest.update(part.encode() + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _cached(cache_dir: Path | None, key: str | None) -> Document | None:
    if cache_dir is None or key is None:
        return None
    try:
        with (cache_dir / f"{key}.pickle").open("rb") as fh:
            doc = pickle.load(fh)  # noqa: S301 - our own cache, in the build folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return doc if isinstance(doc, Document) else None


def _store(cache_dir: Path | None, key: str | None, doc: Document) -> None:
    if cache_dir is None or key is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = cache_dir / f"{key}.pickle"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, target)
