"""The Word chapter of a segment for ``GET /api/generate/chapter``: a thin bridge to the generator.

``kb`` imports ``generator`` only lazily (the generator imports ``kb``). The chapter is written
by the generator's library function into a private temporary folder per request, so concurrent
downloads never share a file.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any

from kb.errors import KbError

#: Library functions of the chapter generator, in order of preference.
_CANDIDATES = ("write_chapter", "build_chapter", "generate_chapter", "render_chapter")


class ChapterUnavailable(KbError):
    """The chapter generator is not installed or not built yet."""


def _generator() -> Any:
    try:
        import generator.docx.chapter as chapter
    except ImportError as exc:
        raise ChapterUnavailable(
            f"De hoofdstukgenerator is niet beschikbaar / the chapter generator is missing: {exc}"
        ) from None
    for name in _CANDIDATES:
        func = getattr(chapter, name, None)
        if callable(func):
            return func
    raise ChapterUnavailable(
        "De hoofdstukgenerator heeft geen functie om een hoofdstuk te schrijven / "
        "generator.docx.chapter has no chapter function"
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "segment"


def write_chapter(release: Any, segment_iri: Any, folder: Path, settings: Any) -> Path:
    """Write the chapter of ``segment_iri`` as a .docx in ``folder``; return its path.

    The generator's parameters are matched by name (graph, segment, output path, settings,
    release folder), so small differences in its signature do not break the download.
    """
    func = _generator()
    target = folder / f"hoofdstuk-{_slug(str(segment_iri).rsplit('/', 1)[-1])}.docx"
    offered: dict[str, Any] = {
        "graph": release.graph,
        "segment": segment_iri,
        "segment_iri": segment_iri,
        "path": target,
        "out": target,
        "output": target,
        "target": target,
        "dest": target,
        "settings": settings,
        "release_dir": release.path,
    }
    params = inspect.signature(func).parameters
    kwargs = {name: offered[name] for name in params if name in offered}
    result = func(**kwargs)
    written = Path(result) if isinstance(result, str | Path) else target
    if not written.is_file():
        raise ChapterUnavailable("De hoofdstukgenerator schreef geen bestand / no file written")
    return written
