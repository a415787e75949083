"""All Word documents of a build: per plan the chapters, the whole plan and the raadsvoorstellen.

:class:`DocumentsProduct` is the ``documents`` product of ``kb build``: after the graph is saved
in the release folder it calls :func:`build_documents`, which writes, for EVERY plan in the build
(every document with segments), ``documents/<plan id>/*.docx``, and one
``documents/index.json`` (the plans, which one is the default, and per document its kind, plan,
segment, file name relative to ``documents/`` and title). A build without any plan writes an
index without documents. The site reads the index back with :func:`read_index`, the one reader
of the format :func:`build_documents` writes. The documents of one build carry the same
timestamp, taken once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from rdflib import Graph

from generator.docx.base import GenerateError, TemplateError, save, site_url_of
from generator.docx.chapter import chapter_document, segment_heading
from generator.docx.plan import plan_document
from generator.docx.raadsvoorstel import Council, load_council, raadsvoorstel_document
from kb.files import write_json_atomic
from kb.views.build_info import previous_release
from kb.views.plans import Plan, PlanVocabulary, load_plan
from kb.views.segments import Segment

DOCUMENTS_DIR = "documents"
INDEX_FILE = "index.json"
#: The key of the document list in ``index.json`` (beside ``plan``, the default plan's title,
#: and ``plans``, every plan with its folder).
INDEX_KEY = "documents"
Progress = Callable[[str, int, int], None]


@dataclass
class DocumentEntry:
    """One generated document as listed in ``documents/index.json``."""

    kind: str  # "chapter", "plan" or "raadsvoorstel"
    file: str  # relative to documents/: <plan id>/<name>.docx
    title: str
    segment_slug: str | None = None
    segment_label: str | None = None
    plan: str | None = None  # the plan's IRI
    plan_title: str | None = None


@dataclass(frozen=True)
class PlanFolder:
    """One plan of the build and the folder (under ``documents/``) that holds its documents."""

    iri: str
    title: str
    folder: str
    default: bool = False


@dataclass(frozen=True)
class DocumentsProduct:
    """The ``documents`` product of a build (see :class:`kb.build.products.Product`)."""

    name: str = "documents"
    needs: tuple[str, ...] = ()

    def build(
        self, release_dir: Path, graph: Graph, settings: Any, *, progress: Progress | None = None
    ) -> list[DocumentEntry]:
        """Write the documents of every plan in the build into the release."""
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
    """Write the documents of every plan in the build into ``release_dir/documents/<plan id>``.

    ``graph`` is the release's graph when the caller has it loaded; otherwise it is read from
    ``release_dir``. The setting ``default_plan`` (empty: the newest plan) only marks which plan
    is the default in the index; a setting that names no plan of the build is an error.
    """
    from kb.rdf.store import StoreError, load_graph
    from kb.views.lookup import default_plan, plans_by_date

    try:
        if graph is None:
            graph = load_graph(Path(release_dir))
        ordered = plans_by_date(graph)
        default = default_plan(graph, settings.default_plan)[0] if ordered else None
        vocabulary = PlanVocabulary.load(graph)
        plans = [load_plan(graph, plan_iri, vocabulary) for plan_iri, _ in ordered]
        # The raadsvoorstel's caveats, document dates and legal basis (no municipality).
        councils = {plan.iri: load_council(graph, plan) for plan in plans}
    except StoreError as exc:  # includes an unknown plan (kb.views.lookup.NotFound)
        raise GenerateError(f"documents: {exc}") from None
    folder = Path(release_dir) / DOCUMENTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    moment = fixed_time or dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    jobs: list[tuple[DocumentEntry, Callable[[], Any]]] = []
    folders: list[PlanFolder] = []
    entries = []
    order: list[str] = []  # every document's file, in plan order (the index lists them so)
    previous = _previous_documents(Path(release_dir))
    for plan in plans:
        sub = plan_folder(plan.iri)
        folders.append(PlanFolder(plan.iri, plan.title, sub, plan.iri == default))
        council, site_url = councils[plan.iri], site_url_of(settings)
        plan_jobs = _plan_jobs(plan, sub, template, moment, council, site_url)
        key = _inputs_key(plan, template, council, site_url)
        order += [entry.file for entry, _ in plan_jobs]
        # An incremental build: a plan whose inputs (its view of the graph, the template and
        # this code) are unchanged keeps the documents of the current release.
        if previous is not None and _reuse(previous, folder, sub, key, plan_jobs):
            entries += [entry for entry, _ in plan_jobs]
            continue
        jobs += plan_jobs
        (folder / sub).mkdir(parents=True, exist_ok=True)
        (folder / sub / INPUTS_FILE).write_text(key, encoding="ascii")
    for n, (entry, make) in enumerate(jobs, start=1):
        if progress:
            progress(f"documenten: {entry.file}", n, len(jobs))
        target = folder / entry.file
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            save(make(), target)
        except TemplateError as exc:
            raise GenerateError(f"documents: {exc}") from None
        except Exception as exc:
            raise GenerateError(f"documents: {entry.file}: {type(exc).__name__}: {exc}") from exc
        entries.append(entry)
    position = {file: n for n, file in enumerate(order)}
    entries.sort(key=lambda e: position[e.file])
    default_title = next((f.title for f in folders if f.default), None)
    _write_index(folder / INDEX_FILE, default_title, entries, folders)
    return entries


#: Per plan folder: the hash of the inputs its documents were made from.
INPUTS_FILE = ".inputs"


def _previous_documents(release_dir: Path) -> Path | None:
    """The documents folder of the release ``release_dir`` follows, if it has one."""
    previous = previous_release(release_dir)
    if previous is None or not (previous / DOCUMENTS_DIR).is_dir():
        return None
    return previous / DOCUMENTS_DIR


def _inputs_key(plan: Plan, template: Path | None, *more: object) -> str:
    """A hash of what a plan's documents are made from: the plan's view (its repr, stable for
    one graph), the template, ``more`` (the council data of its raadsvoorstellen, the site
    address its footnotes link to) and the code of this package."""
    digest = hashlib.sha256(repr((plan, *more)).encode())
    if template is not None:
        digest.update(Path(template).read_bytes())
    digest.update(_code_digest())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """The hash of this package's code, read once per process (not once per plan)."""
    digest = hashlib.sha256()
    for code in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(code.read_bytes())
    return digest.digest()


def _reuse(
    previous: Path,
    folder: Path,
    sub: str,
    key: str,
    jobs: list[tuple[DocumentEntry, Callable[[], Any]]],
) -> bool:
    """Hard-link (or copy) a plan's documents from the previous release when its inputs key
    matches and every document is there; False otherwise."""
    import shutil

    old = previous / sub
    try:
        if (old / INPUTS_FILE).read_text(encoding="ascii") != key:
            return False
    except OSError:
        return False
    names = [Path(entry.file).name for entry, _ in jobs]
    if not all((old / name).is_file() for name in names):
        return False
    target = folder / sub
    target.mkdir(parents=True, exist_ok=True)
    for name in [*names, INPUTS_FILE]:
        try:
            os.link(old / name, target / name)
        except OSError:
            shutil.copy2(old / name, target / name)
    return True


def plan_folder(plan_iri: str) -> str:
    """The folder of a plan's documents under ``documents/``: the plan's document id."""
    from kb.views.query import local_name

    return re.sub(r"[^A-Za-z0-9._-]+", "-", local_name(plan_iri)).strip("-.") or "plan"


def _plan_jobs(
    plan: Plan,
    sub: str,
    template: Path | None,
    moment: dt.datetime,
    council: Council | None = None,
    site_url: str | None = None,
) -> list[tuple[DocumentEntry, Callable[[], Any]]]:
    """The documents of one plan: a chapter per segment, the plan, the raadsvoorstellen."""
    entry = partial(DocumentEntry, plan=plan.iri, plan_title=plan.title)
    common: dict[str, Any] = {"template": template, "fixed_time": moment, "site_url": site_url}
    jobs: list[tuple[DocumentEntry, Callable[[], Any]]] = []
    for seg in plan.segments:
        jobs.append(
            (
                entry("chapter", f"{sub}/hoofdstuk-{seg.slug}.docx",
                      f"{segment_heading(seg)} – {plan.title}", seg.slug, seg.label),
                partial(chapter_document, seg, **common),
            )
        )  # fmt: skip
    jobs.append(
        (
            entry("plan", f"{sub}/inkoopplan.docx", plan.title),
            partial(plan_document, plan, **common),
        )
    )
    scopes: list[Segment | None] = [*plan.segments, None]
    for scope in scopes:
        slug = scope.slug if scope else "inkoopplan"
        title = f"Raadsvoorstel (concept): {scope.label if scope else plan.title}"
        jobs.append(
            (
                entry("raadsvoorstel", f"{sub}/raadsvoorstel-{slug}.docx", title,
                      scope.slug if scope else None, scope.label if scope else None),
                partial(raadsvoorstel_document, plan, scope, council=council, **common),
            )
        )  # fmt: skip
    return jobs


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


def read_plans(folder: Path) -> list[PlanFolder]:
    """The plans listed in ``folder/index.json`` (none for an index without plans)."""
    path = Path(folder) / INDEX_FILE
    if not path.is_file():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [PlanFolder(**item) for item in raw.get("plans", [])]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise GenerateError(
            f"{path}: not a document index written by build_documents ({type(exc).__name__}: {exc})"
        ) from None


def _write_index(
    path: Path,
    plan_title: str | None,
    entries: list[DocumentEntry],
    plans: list[PlanFolder] | None = None,
) -> None:
    payload = {
        "plan": plan_title,
        "plans": [asdict(p) for p in plans or []],
        INDEX_KEY: [asdict(e) for e in entries],
    }
    write_json_atomic(path, payload)
