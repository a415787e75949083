"""The write path: ingest → extract → graph → validate → publish, as one library function.

A build is written into a new release folder (``build/releases/<stamp>``) and published by
switching the ``build/current`` symlink in one atomic rename. A build that fails half-way, is
killed, or produces a graph that does not conform leaves the previous release in place.

What is built from the graph besides the graph itself (search index, Word documents, site) is a
sequence of :class:`kb.build.products.Product` objects the caller passes in; the ``kb build``
command assembles them from :mod:`kb.index` and :mod:`generator`.
"""

from __future__ import annotations

import gc
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kb.build.incremental import (
    INGEST_CACHE,
    ExtractStats,
    ValidateStats,
    build_graph_incremental,
    extractor_version,
    validate_incremental,
)
from kb.build.products import Product, order_products
from kb.build.validate import ValidationResult, load_ontology_graph
from kb.errors import KbError
from kb.extract import run_extractors
from kb.extract.common import FactGraph
from kb.extract.documents import add_documents
from kb.files import link_or_copy, sha256_file, write_json_atomic
from kb.ingest.model import Document
from kb.ingest.read import Problem, ReadLimits, ingest
from kb.rdf.store import load_graph, save_graph
from kb.rdf.vocabulary import load_vocabulary
from kb.settings import Settings
from kb.views.build_info import BUILD_WARNINGS_FILE, previous_release
from kb.views.documents import ORIGINALS_DIR, original_name

Progress = Callable[[str, int, int], None]
MANIFEST_FILE = "manifest.json"
#: The lock file of a build folder: one build at a time writes into it.
LOCK_FILE = ".build.lock"


class BuildLocked(KbError):
    """Another build is running on the same build folder."""


@contextmanager
def build_lock(build_dir: Path, *, wait: bool = False) -> Iterator[None]:
    """Hold the build folder's lock for one build; a second build fails at once with a clear
    message, or waits for the first when ``wait`` is true.

    The lock is an OS file lock (``filelock``): a killed build releases it with its process, so
    no stale lock file ever blocks the next build.
    """
    from filelock import FileLock, Timeout

    build_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(build_dir / LOCK_FILE)
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        raise BuildLocked(
            f"{build_dir}: another build is running on this build folder; wait for it to finish "
            "or run 'kb build --wait' to start when it is done"
        ) from None
    try:
        yield
    finally:
        lock.release()


@dataclass
class BuildResult:
    """What a build did: documents, problems, warnings, validation and where it went."""

    release_dir: Path
    published: bool
    documents: list[Document]
    problems: list[Problem]
    warnings: list[str]
    validation: ValidationResult | None
    triples: int
    timings: dict[str, float] = field(default_factory=dict)
    product_errors: list[tuple[str, str]] = field(default_factory=list)


def build_graph(
    docs: list[Document],
    settings: Settings,
    *,
    progress: Progress | None = None,
    sources: list[Path] | None = None,
) -> tuple[Graph, list[str]]:
    """Ontology + schemes + passages + extracted and curated facts, in one rdflib graph
    (curated facts and decisions from ``settings.curated_folder(sources)``)."""
    facts = FactGraph(
        vocabulary=load_vocabulary(settings.ontology_dir),
        curated_dir=settings.curated_folder(sources),
    )
    facts.graph += load_ontology_graph(settings.ontology_dir)
    add_documents(facts, docs)
    run_extractors(docs, facts, progress=progress)
    return facts.graph, facts.warnings


def build(
    paths: list[Path] | None = None,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    allow_invalid: bool = False,
    do_validate: bool = True,
    products: Sequence[Product] = (),
    wait: bool = False,
    full: bool = False,
) -> BuildResult:
    """Build the knowledge base from ``paths`` (default: the configured sources) and publish it.

    The release folder gets the graph, then each of ``products`` (search index, site, Word
    documents; none by default) built from it, each after the products it needs; only when
    everything succeeded does it become ``current``. One build at a time per build folder:
    a second one raises :class:`BuildLocked`, or waits for the first with ``wait=True``.

    The build is incremental (:mod:`kb.build.incremental`): per-document extraction and the
    validation of unchanged nodes come from the build folder's cache; ``full=True`` redoes
    everything (and refreshes the cache).
    """
    settings = settings or Settings()
    ordered = order_products(products)  # a bad list fails before any work is done
    with build_lock(Path(settings.build_dir), wait=wait):
        return _build(paths, settings, progress, allow_invalid, do_validate, ordered, full)


def _build(
    paths: list[Path] | None,
    settings: Settings,
    progress: Progress | None,
    allow_invalid: bool,
    do_validate: bool,
    ordered: Sequence[Product],
    full: bool = False,
) -> BuildResult:
    sources = paths or settings.sources
    timings: dict[str, float] = {}
    t0 = time.perf_counter()

    files_done = 0

    def on_file(path: Path) -> None:
        nonlocal files_done
        files_done += 1
        if progress:
            progress(f"lezen {path.name}", files_done, 0)

    result = ingest(
        sources,
        progress=on_file,
        max_chars=settings.max_passage_chars,
        limits=ReadLimits.from_settings(settings),
        # Incremental: a file read before, unchanged, is taken from the build folder's cache.
        cache_dir=Path(settings.build_dir) / INGEST_CACHE,
        cache_version=extractor_version(settings),
        cache_read=not full,
    )
    timings["ingest"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    extract_stats = ExtractStats()
    graph, warnings = build_graph_incremental(
        result.documents,
        settings,
        progress=progress,
        sources=list(sources),
        full=full,
        stats=extract_stats,
    )
    warnings = [*result.warnings, *warnings]  # sources.yaml entries ignored come first
    timings["extract"] = time.perf_counter() - t1

    validation = None
    validate_stats = ValidateStats()
    if do_validate:
        t2 = time.perf_counter()
        if progress:
            progress("valideren (SHACL)", 0, 0)
        validation = validate_incremental(graph, settings, full=full, stats=validate_stats)
        timings["validate"] = time.perf_counter() - t2

    t3 = time.perf_counter()
    release = _new_release_dir(settings.build_dir)
    save_graph(graph, release)
    previous = previous_release(release)
    _write_texts(result.documents, release, previous)
    _write_originals(result.documents, release, previous)
    # The warnings beside the graph, before the products: the site lists them ("Kwaliteit").
    write_json_atomic(release / BUILD_WARNINGS_FILE, warnings)
    timings["write"] = time.perf_counter() - t3
    # The products read the saved graph back (see _build_products): the build's own graph (an
    # rdflib store, the largest object of a build) is released first, so the peak memory of a
    # build is that of its largest step, not the graph plus the products.
    triples = len(graph)
    del graph
    gc.collect()

    product_errors: list[tuple[str, str]] = []
    built: list[str] = []
    if (
        ordered
        and result.documents
        and (validation is None or validation.conforms or allow_invalid)
    ):
        product_errors = _build_products(release, settings, ordered, timings, progress)
        failed_products = dict(product_errors)
        built = [p.name for p in ordered if p.name not in failed_products]
    manifest = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sources": [str(p) for p in sources],
        "documents": [
            {
                "id": d.id,
                "file": str(d.path),
                "sha256": d.content_hash,
                "passages": len(d.passages),
            }
            for d in result.documents
        ],
        "problems": [str(p) for p in result.problems],
        "warnings": warnings,
        "triples": triples,
        "conforms": validation.conforms if validation else None,
        # True only for a product that was built: one that failed or was never started (the
        # graph did not conform, no documents) is False.
        "products": {p.name: p.name in built for p in ordered},
        "product_errors": [f"{name}: {msg}" for name, msg in product_errors],
        # Violations and warnings per rule: warnings (completeness) do not block publishing.
        "validation": validation.summary() if validation else None,
        # What the incremental build redid and what it took from the build folder's cache.
        "incremental": {
            "full": full,
            "extracted": len(extract_stats.extracted),
            "extract_cached": len(extract_stats.cached),
            "validated_whole": validate_stats.whole if validation else None,
            "revalidated_nodes": validate_stats.revalidated,
        },
    }

    # An empty build would replace a good knowledge base with nothing: never publish it; nor a
    # build whose graph does not conform or whose index, site or documents failed.
    publish = (
        bool(result.documents)
        and (validation is None or validation.conforms or allow_invalid)
        and not product_errors
    )
    if publish:
        # The manifest is written last and atomically: a release folder with a manifest is
        # complete, one without is what a killed build left (see prune_releases).
        write_json_atomic(release / MANIFEST_FILE, manifest)
        switch_current(settings.build_dir, release)
        prune_releases(settings.build_dir, settings.keep_releases)
    else:
        failed = settings.build_dir / "failed"
        shutil.rmtree(failed, ignore_errors=True)
        os.replace(release, failed)
        release = failed
        write_json_atomic(failed / MANIFEST_FILE, manifest)
    timings["total"] = time.perf_counter() - t0
    return BuildResult(
        release_dir=release,
        published=publish,
        documents=result.documents,
        problems=result.problems,
        warnings=warnings,
        validation=validation,
        triples=triples,
        timings=timings,
        product_errors=product_errors,
    )


def _build_products(
    release: Path,
    settings: Settings,
    products: Sequence[Product],
    timings: dict[str, float],
    progress: Progress | None,
) -> list[tuple[str, str]]:
    """Build each product into the release; return (product, reason) for those that failed."""
    # Loaded back from the saved file rather than reusing the in-memory graph: Oxigraph answers
    # the products' SPARQL much faster, and they see exactly what is published.
    graph = load_graph(release)
    errors: list[tuple[str, str]] = []
    for product in products:
        t = time.perf_counter()
        try:
            built = product.build(release, graph, settings, progress=progress)
        except Exception as exc:  # noqa: BLE001 - reported, and the build is not published
            errors.append((product.name, f"{type(exc).__name__}: {exc}"))
        else:
            # A product that times its own steps (the site: generate, mkdocs) reports them too.
            steps = getattr(built, "timings", None)
            if isinstance(steps, dict):
                for step, seconds in steps.items():
                    if isinstance(seconds, int | float):
                        timings[f"{product.name}.{step}"] = float(seconds)
        timings[product.name] = time.perf_counter() - t
    return errors


def _new_release_dir(build_dir: Path) -> Path:
    releases = build_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 1_000_000_000))
    # Names sort in time order (pruning keeps the newest): UTC second, then its nanoseconds.
    path = releases / f"{stamp}-{now % 1_000_000_000:09d}-{os.getpid()}"
    path.mkdir()
    return path


def _write_texts(docs: list[Document], release: Path, previous: Path | None) -> None:
    """The normalised text of each document: what all character offsets point into. A text
    equal to the ``previous`` release's is linked to it, not written again."""
    folder = release / "text"
    folder.mkdir(exist_ok=True)
    for doc in docs:
        name = f"{doc.id}.txt"
        if previous is not None and _same_text(previous / "text" / name, doc.text):
            link_or_copy(previous / "text" / name, folder / name)
        else:
            (folder / name).write_text(doc.text, encoding="utf-8")


def _same_text(path: Path, text: str) -> bool:
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _write_originals(docs: list[Document], release: Path, previous: Path | None) -> None:
    """A copy of each source file as it was read (same SHA-256), so a release keeps what its
    graph was built from; a file changed since it was read is left out. An original the
    ``previous`` release has with the same SHA-256 is linked to it."""
    folder = release / ORIGINALS_DIR
    folder.mkdir(exist_ok=True)
    for doc in docs:
        name = original_name(doc.id, doc.fmt)
        kept = previous / ORIGINALS_DIR / name if previous is not None else None
        if kept is not None and kept.is_file() and sha256_file(kept) == doc.content_hash:
            link_or_copy(kept, folder / name)
            continue
        try:
            raw = doc.path.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(raw).hexdigest() == doc.content_hash:
            (folder / name).write_bytes(raw)


def switch_current(build_dir: Path, release: Path) -> None:
    """Point ``build/current`` at ``release`` with one atomic rename of a fresh symlink."""
    link = build_dir / "current"
    tmp = build_dir / f".current-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(release.resolve().relative_to(build_dir.resolve()))
    os.replace(tmp, link)


def is_complete(release: Path) -> bool:
    """Whether a release folder was finished: its manifest is written last, atomically."""
    return (release / MANIFEST_FILE).is_file()


def prune_releases(build_dir: Path, keep: int) -> None:
    """Delete what killed builds left, then complete releases beyond the newest ``keep``.

    Only complete releases count toward ``keep``, so partial folders can never push the last
    good release out. The current release is never deleted. Call it with the build lock held:
    a folder without a manifest is then never a build still running.
    """
    current = (build_dir / "current").resolve()
    folder = build_dir / "releases"
    if not folder.is_dir():
        return
    releases = sorted(
        (p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()),
        key=lambda p: p.name,
        reverse=True,
    )
    complete = []
    for release in releases:
        if release.resolve() == current:
            continue
        if is_complete(release):
            complete.append(release)
        else:
            shutil.rmtree(release, ignore_errors=True)
    # The current release is one of the kept ones.
    for old in complete[max(0, keep - 1) :]:
        shutil.rmtree(old, ignore_errors=True)
