"""What the server serves: the loaded release, and swapping in a new one without dropping requests.

``build/current`` is a symlink that a build switches atomically. The server resolves it on every
request (a few ``lstat`` calls); when it points at a new release, a background thread loads the
new graph and search index while requests go on being answered from the old ones. Only when the
new :class:`Release` is complete does one reference assignment make it the served one; requests
already running keep their reference to the old objects, which Python frees when they finish.
A release that fails to load is reported on ``/healthz`` and the old one stays served.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.errors import KbError

log = logging.getLogger("kb.serve.app")

#: How long to wait before trying again to load a release that failed to load.
RETRY_AFTER = 30.0
#: With the graph on a SPARQL server: seconds between two checks of which release is current.
REMOTE_CHECK = 2.0


class ReleaseBroken(KbError):
    """A new release whose products fail their checks; the served release stays."""


class SearchCache:
    """A small thread-safe LRU of search answers; it lives and dies with its release."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)


@dataclass
class Release:
    """One build, loaded: its graph, its searcher (if it has an index) and the filter values."""

    name: str
    path: Path
    graph: Any
    searcher: Any = None
    search_error: str | None = None
    segments: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    cache: SearchCache = field(default_factory=lambda: SearchCache(0))
    #: Passage id (as in hits) → passage IRI, and IRI → site address (see kb.serve.links).
    passage_iris: dict[str, str] = field(default_factory=dict)
    link_cache: dict[str, str | None] = field(default_factory=dict)
    loaded_at: float = field(default_factory=time.time)
    #: The release's graph on the SPARQL server (None: the graph is the local build's).
    graph_iri: str | None = None
    endpoint: Any = None

    @property
    def sparql_target(self) -> Any:
        """What a SPARQL worker queries: the release folder, or the graph on the server."""
        if self.graph_iri is None:
            return self.path
        from kb.serve.sparql import RemoteTarget

        return RemoteTarget(self.endpoint, self.graph_iri)

    @property
    def site_dir(self) -> Path:
        return self.path / "site"

    def has_site(self) -> bool:
        return (self.site_dir / "index.html").is_file()


def _filter_values(searcher: Any) -> tuple[list[str], list[str], list[str]]:
    """Segments, regions and document types that occur in the index (for filters and checks)."""
    segments: set[str] = set()
    regions: set[str] = set()
    doc_types: set[str] = set()
    for record in searcher.records:
        segments.update(s for s in record.segments if s)
        if record.region:
            regions.add(record.region)
        regions.update(e["label"] for e in record.entities if e.get("type") == "region")
        if record.doc_type:
            doc_types.add(record.doc_type)

    def order(values: set[str]) -> list[str]:
        return sorted(values, key=str.casefold)

    return order(segments), order(regions), order(doc_types)


def load_release(
    path: Path, settings: Any, *, previous: Release | None = None, graph_iri: str | None = None
) -> Release:
    """Load a release folder: the graph (required) and the search index (if the build has one).

    The embedding model of ``previous`` is reused when the new index was built with the same
    model, so a reload costs the index files only (well under a second), not the model (seconds).
    When ``previous`` could search and the new release's index does not load, this raises
    :class:`ReleaseBroken` so that the working release stays served.
    """
    from kb.index.format import INDEX_DIR
    from kb.rdf.remote import endpoint_of, remote_graph
    from kb.rdf.store import load_graph
    from kb.search.searcher import Searcher, SearchError

    # With a SPARQL server set, the graph is its current release (``graph_iri``); the search
    # index, the site and the documents stay those of the local build.
    endpoint = endpoint_of(settings)
    graph = remote_graph(endpoint, graph_iri) if endpoint is not None else load_graph(path)
    release = Release(
        name=path.name, path=path, graph=graph, cache=SearchCache(settings.serve_cache_size)
    )
    if endpoint is not None:
        release.graph_iri = str(graph.identifier)
        release.endpoint = endpoint
    index_dir = path / INDEX_DIR
    if not index_dir.is_dir():
        release.search_error = (
            "Deze build heeft geen zoekindex / this build has no search index: "
            "run 'kb build' without --graph-only or 'kb index'."
        )
        return release
    embedder = previous.searcher.embedder if previous and previous.searcher else None
    try:
        try:
            release.searcher = Searcher(index_dir, settings, embedder=embedder)
        except SearchError:
            if embedder is None:
                raise
            release.searcher = Searcher(index_dir, settings)  # another model: load it
    except SearchError as exc:
        if previous is not None and previous.searcher is not None:
            # The release built an index that does not load: keep serving the working one
            # rather than answer every search with 503 (the reason goes to /healthz).
            raise ReleaseBroken(f"its search index does not load: {exc}") from None
        release.search_error = str(exc)
        return release
    release.segments, release.regions, release.doc_types = _filter_values(release.searcher)
    release.passage_iris = {r.id: r.iri for r in release.searcher.records}
    return release


class ReleaseHolder:
    """Holds the served release and follows ``build/current`` (see the module docstring)."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.link = Path(settings.build_dir) / "current"
        self._release: Release | None = None
        self._lock = threading.Lock()  # one loader at a time
        self._loading: Path | None = None
        self._failed: dict[Path, float] = {}
        self.last_error: str | None = None
        self.reloads = 0
        from kb.rdf.remote import endpoint_of

        self.endpoint = endpoint_of(settings)
        self._remote: str | None = None  # the server's current release, checked now and then
        self._remote_checked = 0.0

    def target(self) -> Path | None:
        """The release folder ``build/current`` points at now (None if there is no build)."""
        try:
            return Path(os.path.realpath(self.link)) if os.path.lexists(self.link) else None
        except OSError:
            return None

    def get(self) -> Release | None:
        """The release to answer this request with; starts a reload when the build changed.

        The first call loads synchronously (there is nothing else to serve); later changes are
        loaded in the background while the old release keeps answering.
        """
        current = self._release
        target = self.target()
        if target is None or (current is not None and self._serves(current, target)):
            return current
        if current is None:
            self._load(target)
            return self._release
        if self._loading is None and self._may_retry(target):
            self._loading = target
            threading.Thread(
                target=self._load, args=(target,), name="kb-reload", daemon=True
            ).start()
        return current

    def _remote_current(self) -> str | None:
        """The server's current release graph, asked at most every :data:`REMOTE_CHECK` s (an
        unreachable server keeps the served release and is reported on ``/healthz``)."""
        from kb.rdf.remote import RemoteError, current_release

        now = time.monotonic()
        if self.endpoint is not None and now - self._remote_checked > REMOTE_CHECK:
            self._remote_checked = now
            try:
                self._remote = current_release(self.endpoint)
            except RemoteError as exc:
                self.last_error = str(exc)
        return self._remote

    def _serves(self, release: Release, target: Path) -> bool:
        """Whether ``release`` is what should be served: the build ``current`` points at and,
        with a SPARQL server, the release the server names current."""
        if release.path != target:
            return False
        return self.endpoint is None or release.graph_iri == (
            self._remote_current() or release.graph_iri
        )

    def _may_retry(self, target: Path) -> bool:
        failed_at = self._failed.get(target)
        return failed_at is None or time.monotonic() - failed_at > RETRY_AFTER

    def _load(self, target: Path) -> None:
        with self._lock:
            try:
                if self._release is not None and self._serves(self._release, target):
                    return
                if not self._may_retry(target):
                    return
                t0 = time.perf_counter()
                new = load_release(
                    target, self.settings, previous=self._release, graph_iri=self._remote
                )
                self._release = new  # the swap: one reference assignment
                self.reloads += 1
                self.last_error = None
                self._failed.pop(target, None)
                log.info("serving release %s (%.2f s to load)", new.name, time.perf_counter() - t0)
            except Exception as exc:  # noqa: BLE001 - keep serving the old release, report why
                self._failed[target] = time.monotonic()
                self.last_error = f"{target.name}: {type(exc).__name__}: {exc}"
                log.error("cannot load release %s", self.last_error)
            finally:
                self._loading = None

    def wait_until_serving(self, target: Path, timeout: float = 60.0) -> bool:
        """Block until ``target`` is the served release (for tests and scripts)."""
        deadline = time.monotonic() + timeout
        target = Path(os.path.realpath(target))
        while time.monotonic() < deadline:
            release = self.get()
            if release is not None and release.path == target:
                return True
            time.sleep(0.05)
        return False
