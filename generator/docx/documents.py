"""All Word documents of a build: the seven chapters, the whole plan and the raadsvoorstellen.

:class:`DocumentsProduct` is the ``documents`` product of ``kb build``: after the graph is saved
in the release folder it calls :func:`build_documents`, which writes ``documents/*.docx`` and
``documents/index.json`` (kind, segment, file name, title of each document). The site reads that
index back with :func:`read_index`, the one reader of the format :func:`build_documents` writes.
The documents of one build carry the same timestamp, taken once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Graph

from generator.docx.base import GenerateError, TemplateError, save
from generator.docx.chapter import chapter_document, segment_heading
from generator.docx.plan import plan_document
from generator.docx.raadsvoorstel import raadsvoorstel_document
from kb.views.plans import load_plan
from kb.views.segments import Segment

DOCUMENTS_DIR = "documents"
INDEX_FILE = "index.json"
#: The key of the document list in ``index.json`` (beside ``plan``, the plan's title).
INDEX_KEY = "documents"
Progress = Callable[[str, int, int], None]


@dataclass
class DocumentEntry:
    """One generated document as listed in ``documents/index.json``."""

    kind: str  # "chapter", "plan" or "raadsvoorstel"
    file: str
    title: str
    segment_slug: str | None = None
    segment_label: str | None = None


@dataclass(frozen=True)
class DocumentsProduct:
    """The ``documents`` product of a build (see :class:`kb.build.products.Product`)."""

    name: str = "documents"
    needs: tuple[str, ...] = ()

    def build(
        self, release_dir: Path, graph: Graph, settings: Any, *, progress: Progress | None = None
    ) -> list[DocumentEntry]:
        """Write every document of the setting ``default_plan`` into the release."""
        return build_documents(release_dir, settings, progress=progress, graph=graph)


def build_documents(
    release_dir: Path,
    settings: Any,
    *,
    progress: Progress | None = None,
    graph: Graph | None = None,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
) -> list[DocumentEntry]:
    """Write every document of the setting ``default_plan`` into ``release_dir/documents``.

    ``graph`` is the release's graph when the caller has it loaded; otherwise it is read from
    ``release_dir``.
    """
    from kb.rdf.store import StoreError, load_graph

    try:
        if graph is None:
            graph = load_graph(Path(release_dir))
        plan = load_plan(graph, settings.default_plan)
    except StoreError as exc:  # includes an unknown plan (kb.views.lookup.NotFound)
        raise GenerateError(f"documents: {exc}") from None
    if not plan.segments:
        raise GenerateError(f"documents: the plan '{plan.title}' has no segments")
    folder = Path(release_dir) / DOCUMENTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    moment = fixed_time or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    jobs: list[tuple[DocumentEntry, Callable[[], Any]]] = []
    for seg in plan.segments:
        jobs.append(
            (
                DocumentEntry("chapter", f"hoofdstuk-{seg.slug}.docx",
                              f"{segment_heading(seg)} – {plan.title}", seg.slug, seg.label),
                partial(chapter_document, seg, template=template, fixed_time=moment),
            )
        )  # fmt: skip
    jobs.append(
        (
            DocumentEntry("plan", "inkoopplan.docx", plan.title),
            lambda: plan_document(plan, template=template, fixed_time=moment),
        )
    )
    scopes: list[Segment | None] = [*plan.segments, None]
    for scope in scopes:
        slug = scope.slug if scope else "inkoopplan"
        title = f"Raadsvoorstel (concept): {scope.label if scope else plan.title}"
        jobs.append(
            (
                DocumentEntry("raadsvoorstel", f"raadsvoorstel-{slug}.docx", title,
                              scope.slug if scope else None, scope.label if scope else None),
                partial(raadsvoorstel_document, plan, scope, template=template, fixed_time=moment),
            )
        )  # fmt: skip
    entries = []
    for n, (entry, make) in enumerate(jobs, start=1):
        if progress:
            progress(f"documenten: {entry.file}", n, len(jobs))
        try:
            save(make(), folder / entry.file)
        except TemplateError as exc:
            raise GenerateError(f"documents: {exc}") from None
        except Exception as exc:
            raise GenerateError(f"documents: {entry.file}: {type(exc).__name__}: {exc}") from exc
        entries.append(entry)
    _write_index(folder / INDEX_FILE, plan.title, entries)
    return entries


def read_index(folder: Path) -> list[DocumentEntry]:
    """The entries of ``folder/index.json`` as :func:`build_documents` wrote them.

    No index means no documents (``[]``); an index that cannot be read or has another shape
    raises :class:`GenerateError` naming the file.
    """
    path = Path(folder) / INDEX_FILE
    if not path.is_file():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        items = raw[INDEX_KEY]
        known = {f.name for f in fields(DocumentEntry)}
        return [DocumentEntry(**{k: v for k, v in item.items() if k in known}) for item in items]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GenerateError(
            f"{path}: not a document index written by build_documents ({type(exc).__name__}: {exc})"
        ) from None


def _write_index(path: Path, plan_title: str, entries: list[DocumentEntry]) -> None:
    payload = {"plan": plan_title, INDEX_KEY: [asdict(e) for e in entries]}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2, ensure_ascii=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
