"""All Word documents of a build: the seven chapters, the whole plan and the raadsvoorstellen.

``kb build`` calls :func:`build_documents` after the graph is saved in the release folder. It
writes ``documents/*.docx`` and ``documents/index.json`` (kind, segment, file name, title of
each document), which the site reads to link them. The documents of one build carry the same
timestamp, taken once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from generator.docx.base import TemplateError, save
from generator.docx.chapter import chapter_document, segment_heading
from generator.docx.plan import plan_document
from generator.docx.raadsvoorstel import raadsvoorstel_document
from kb.errors import KbError
from kb.views.plans import load_plan
from kb.views.segments import Segment

DOCUMENTS_DIR = "documents"
INDEX_FILE = "index.json"
Progress = Callable[[str, int, int], None]


class DocumentsError(KbError):
    """The documents of a build could not be written; the message says which and why."""


@dataclass
class DocumentEntry:
    """One generated document as listed in ``documents/index.json``."""

    kind: str  # "chapter", "plan" or "raadsvoorstel"
    file: str
    title: str
    segment_slug: str | None = None
    segment_label: str | None = None


def build_documents(
    release_dir: Path,
    settings: Any,
    *,
    progress: Progress | None = None,
    template: Path | None = None,
    fixed_time: dt.datetime | None = None,
) -> list[DocumentEntry]:
    """Write every document of the setting ``default_plan`` into ``release_dir/documents``."""
    from kb.rdf.store import StoreError, load_graph

    try:
        graph = load_graph(Path(release_dir))
        plan = load_plan(graph, settings.default_plan)
    except StoreError as exc:  # includes an unknown plan (kb.views.lookup.NotFound)
        raise DocumentsError(f"documents: {exc}") from None
    if not plan.segments:
        raise DocumentsError(f"documents: the plan '{plan.title}' has no segments")
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
            raise DocumentsError(f"documents: {exc}") from None
        except Exception as exc:
            raise DocumentsError(f"documents: {entry.file}: {type(exc).__name__}: {exc}") from exc
        entries.append(entry)
    _write_index(folder / INDEX_FILE, plan.title, entries)
    return entries


def _write_index(path: Path, plan_title: str, entries: list[DocumentEntry]) -> None:
    payload = {"plan": plan_title, "documents": [asdict(e) for e in entries]}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2, ensure_ascii=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
