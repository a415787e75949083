"""Atomic file writes: a reader sees the old file or the new one, never a half-written one.

Every file a build or a command writes (graph, manifest, caches, Word and PDF files, proposals
for a steward) goes through :func:`write_atomic`: the data is written to a temporary file in the
same folder and renamed over the target, which POSIX makes atomic. The file gets the mode
``open()`` would give it (0o666 minus the umask), so every file of a release has the same mode.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path


def _umask_mode() -> int:
    """The mode ``open()`` gives a new file: 0o666 minus the umask."""
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return 0o666 & ~mask


#: Read once at import: changing the umask later, from a thread, would race with other writes.
FILE_MODE = _umask_mode()


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically; the folder must exist."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates 0600; the file gets the mode every other file of a release has.
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_json_atomic(path: Path, data: object) -> Path:
    """``data`` as indented UTF-8 JSON (non-ASCII kept), written with :func:`write_atomic`."""
    return write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False))


def link_or_copy(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source``, or a copy with its times where links cannot be
    made (another file system). Only for files never written again once made: the files of a
    release (originals, texts, Word documents, the graph dump, unchanged site pages), which a new
    release shares with the one it follows instead of writing them again."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()
