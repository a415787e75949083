"""Incremental site builds: only the pages whose sources changed are rendered again.

A build that adds one document to a large corpus changes a few dozen of thousands of pages
(the document's page, its entities, the overviews that list them). MkDocs renders every page of
a normal build, so the site step grew with the corpus, not with the change. MkDocs' own *dirty*
build renders only pages it is told are modified; this module prepares a build folder so that
"modified" means "different from the build folder's current release":

- the sources are compared by content with the current release's ``site-src``; a plugin
  (:func:`dirty_build_plugin`) marks exactly the changed ones modified, whatever the file times;
- the new site folder gets the current release's built site: the outputs of unchanged sources
  as hard links (MkDocs does not write them), every other file as a copy (MkDocs rewrites those
  in place, and the current release is being served); outputs of changed or removed sources are
  left out;
- MkDocs Material's search index holds only the pages a build renders, so the same plugin
  takes the entries of the pages that were not rendered from the previous index, in the order a
  whole build writes them.

The result equals a whole build (``tests/unit/generator/site/test_incremental_site.py``) as long
as every page's HTML depends only on its own source and on files that force a whole build when
they change: the configuration, the hand-written pages and theme overrides, the glossary
tooltips appended to every page (:data:`SHARED_SOURCES`), and the MkDocs and Material versions
(:data:`STAMP_FILE`). The navigation lists overview pages only, never entity pages, so it does
not change when entities come and go. One check is weaker: MkDocs validates links to anchors only
on pages it renders.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from kb.files import link_or_copy
from kb.views.build_info import previous_release

log = logging.getLogger(__name__)

#: In ``site-src``: the versions of the tools that rendered the site (a new version renders all).
STAMP_FILE = ".site-stamp"
#: In ``site-src``: per entity page, the key of the description its linked-data files were
#: made from (``generator.site.linked_data.description_key``); not a source of any page.
ENTITY_KEYS_FILE = ".entity-data-keys.json"
#: Generated sources every page depends on (relative to ``site-src``): a change renders all.
SHARED_SOURCES = frozenset({"docs/generated/.tooltips.md"})
#: How a page includes a snippet (pymdownx.snippets).
SNIPPET_MARK = "--8<--"
#: Above this share of changed pages, a whole build is about as fast and checks more.
MAX_CHANGED_SHARE = 0.5
#: Files of the built site that are not MkDocs' output: written after MkDocs by the build.
_NOT_COPIED = frozenset({"graph.nt", "graph.ttl"})
#: MkDocs' warning that a dirty build may leave navigation stale: here the navigation does not
#: depend on the pages that change (see the module docstring), and strict mode must not abort.
_DIRTY_WARNING = "A 'dirty' build is being performed"


@dataclass
class SitePlan:
    """How a site build reuses the current release: which sources changed, which went away."""

    previous_site: Path
    changed: list[str] = field(default_factory=list)  # sources relative to docs/
    removed: list[str] = field(default_factory=list)  # sources relative to docs/
    pages: int = 0

    @property
    def summary(self) -> dict[str, int]:
        """Counts for the build's timings and manifest."""
        return {"pages": self.pages, "changed": len(self.changed), "removed": len(self.removed)}


def stamp() -> str:
    """The versions of the tools that render the site."""
    parts = []
    for package in ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown"):
        try:
            parts.append(f"{package}=={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}==?")
    return "\n".join(parts) + "\n"


def previous_site_release(release_dir: Path) -> Path | None:
    """The release ``release_dir`` follows (:func:`kb.views.build_info.previous_release`) when it
    holds a built site with its sources; None otherwise."""
    previous = previous_release(release_dir)
    if previous is None:
        return None
    if not (previous / "site-src" / STAMP_FILE).is_file() or not (previous / "site").is_dir():
        return None
    return previous


def _files(root: Path) -> Iterator[str]:
    """Every file under ``root``, relative to it, as POSIX paths."""
    for folder, _dirs, names in os.walk(root):
        for name in names:
            yield (Path(folder) / name).relative_to(root).as_posix()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def plan(previous: Path | None, src: Path) -> SitePlan | None:
    """Compare the new sources in ``src`` with the ``previous`` release's; None when the site must
    be built whole (no previous site, other tool versions, a shared source changed, or most
    pages changed)."""
    if previous is None:
        return None
    old_src = previous / "site-src"
    if not _same_file(src / STAMP_FILE, old_src / STAMP_FILE):
        return None
    new_files = set(_files(src))
    old_files = set(_files(old_src))
    result = SitePlan(previous / "site")
    for rel in sorted(new_files | old_files):
        if rel in (STAMP_FILE, ENTITY_KEYS_FILE):
            continue
        if rel in new_files and rel in old_files and _same_file(src / rel, old_src / rel):
            continue
        if not rel.startswith("docs/generated/") or rel in SHARED_SOURCES:
            return None  # configuration, hand-written pages, theme or tooltips: all pages
        target = result.changed if rel in new_files else result.removed
        target.append(rel.removeprefix("docs/"))
    result.pages = sum(1 for rel in new_files if rel.endswith(".md"))
    # A changed snippet (a generated ``.name.md`` that pages include with ``--8<--``, such as
    # the start page's figures) renders the pages that include it again.
    snippets = [rel for rel in result.changed if Path(rel).name.startswith(".")]
    if snippets:
        for rel in sorted(new_files):
            if rel.endswith(".md") and rel.removeprefix("docs/") not in result.changed:
                text = (src / rel).read_text(encoding="utf-8", errors="replace")
                if SNIPPET_MARK in text and any(name in text for name in snippets):
                    result.changed.append(rel.removeprefix("docs/"))
    if len(result.changed) + len(result.removed) > MAX_CHANGED_SHARE * max(result.pages, 1):
        return None
    return result


def output_of(source: str) -> str:
    """The built file of a docs-relative source (``use_directory_urls: false``)."""
    return source[: -len(".md")] + ".html" if source.endswith(".md") else source


def prepare(site_plan: SitePlan, src: Path, site: Path) -> None:
    """Make ``site`` the previous site without the outputs of changed and removed sources.

    The outputs of unchanged sources are hard links to the previous site's files: MkDocs does not
    write them in this build (:func:`dirty_build_plugin` tells it they are unmodified). Every
    other file is copied, since MkDocs or its plugins rewrite it in place (the theme's templates,
    the sitemap, the search index) and the previous release may be being served. Links save
    writing the whole site (close to a gigabyte at 50× the bundled corpus) on every build.
    """
    previous = site_plan.previous_site
    docs = src / "docs"
    unchanged = {output_of(rel) for rel in _files(docs)} - {
        output_of(rel) for rel in site_plan.changed
    }
    gone = {output_of(rel) for rel in [*site_plan.changed, *site_plan.removed]}
    for rel in _files(previous):
        if rel in _NOT_COPIED or rel in gone:
            continue
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel in unchanged:
            link_or_copy(previous / rel, target)
        else:
            shutil.copy2(previous / rel, target)  # keeps the times MkDocs compares theme files by


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


def dirty_warning_filter() -> logging.Filter:
    """A filter for MkDocs' build logger that drops its warning about dirty builds."""
    return _DropDirtyWarning()


def dirty_build_plugin(site_plan: SitePlan) -> Any:
    """A MkDocs plugin instance for a dirty build prepared by :func:`prepare`: it tells MkDocs
    which sources changed (by content, as :func:`plan` found, not by file times) and completes
    the search index with the previous index's entries of the pages the build did not render
    (see :class:`IncrementalBuild`)."""
    from mkdocs.plugins import BasePlugin, event_priority

    changed = frozenset(site_plan.changed)
    previous_index = site_plan.previous_site / "search" / "search_index.json"

    class IncrementalBuild(BasePlugin):  # type: ignore[type-arg]
        """Runs after the search plugin writes its index (priority 0) and before the offline
        plugin inlines it into a script (priority -100)."""

        def __init__(self) -> None:
            super().__init__()
            self.order: list[str] = []
            self.rendered: set[str] = set()

        def on_files(self, files: Any, *, config: Any) -> Any:
            docs_dir = Path(config["docs_dir"]).resolve()
            for f in files:
                source = Path(f.abs_src_path).resolve() if f.abs_src_path else None
                if source is not None and source.is_relative_to(docs_dir):
                    # An unchanged source's output is a link into the previous release: MkDocs
                    # must not write it, whatever the file times say.
                    f.is_modified = partial(bool, f.src_uri in changed)
            pages = files.documentation_pages()
            self.order = [f.url for f in pages]
            self.rendered = {f.url for f in pages if f.is_modified()}
            return files

        @event_priority(-50)
        def on_post_build(self, *, config: Any) -> None:
            path = Path(config["site_dir"]) / "search" / "search_index.json"
            merge_search_index(path, previous_index, self.order, self.rendered)

    return IncrementalBuild()


def _by_page(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        grouped.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
    return grouped


def merge_search_index(
    path: Path, previous_index: Path, order: list[str], rendered: set[str]
) -> None:
    """Rewrite the search index at ``path`` (entries of the ``rendered`` pages only) with the
    entries of the other pages from ``previous_index``, page by page in ``order``, as a whole
    build writes it (Material's format: compact JSON)."""
    new = json.loads(path.read_text(encoding="utf-8"))
    old = json.loads(previous_index.read_text(encoding="utf-8"))
    fresh, kept = _by_page(new.get("docs", [])), _by_page(old.get("docs", []))
    docs: list[dict[str, Any]] = []
    for url in order:
        docs += fresh.get(url, []) if url in rendered else kept.get(url, [])
    data = {"config": new.get("config", old.get("config")), "docs": docs}
    path.write_text(json.dumps(data, separators=(",", ":"), default=str), encoding="utf-8")
