"""The Word chapter of a segment for ``GET /api/generate/chapter``: the interface to its writer.

``kb`` does not import ``generator`` outside its CLI: ``kb serve`` passes the generator's chapter
writer to :func:`kb.serve.app.create_app` as a :class:`ChapterWriter`. Each request writes into a
private temporary folder, so concurrent downloads never share a file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kb.errors import KbError

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

    from kb.serve.state import Release


class ChapterWriter(Protocol):
    """Writes the chapter of ``segment`` (an IRI) from ``graph`` to ``path`` (a .docx) and
    returns the path written; ``generator.docx.chapter.write_chapter`` is one."""

    def __call__(
        self, graph: Graph, segment: URIRef, path: Path, *, settings: Any = None
    ) -> Path: ...


class ChapterError(KbError):
    """The chapter writer finished without writing the file it was asked for."""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "segment"


def write_chapter(
    writer: ChapterWriter, release: Release, segment_iri: URIRef, folder: Path, settings: Any
) -> Path:
    """Write the chapter of ``segment_iri`` with ``writer`` as a .docx in ``folder``."""
    target = folder / f"hoofdstuk-{_slug(str(segment_iri).rsplit('/', 1)[-1])}.docx"
    written = Path(writer(release.graph, segment_iri, target, settings=settings))
    if not written.is_file():
        raise ChapterError(f"{written}: the chapter writer wrote no file")
    return written
