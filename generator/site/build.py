"""The static documentation site: graph → Markdown pages (Jinja2) → ``mkdocs build --strict``.

``build_site`` is the ``site`` product of a build (``kb build``, through :class:`SiteProduct`)
and the body of ``kb site``. Everything happens inside the release folder, never in the source
checkout or the installed package: the site is rendered in ``<release>/site-src/`` (a
``mkdocs.yml`` that inherits the packaged base configuration, the hand-written pages copied from
the package, and the generated pages under ``docs/generated/``), then MkDocs Material builds it
into ``<release>/site``. Both folders are made aside and swapped in, so a failed build never
replaces a good site, and builds in different build folders run at the same time without sharing
anything.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph

from generator.docx.documents import DOCUMENTS_DIR, read_index
from generator.site import incremental as site_incremental
from generator.site.linked_data import (
    CATALOGUE_FILE,
    DUMP_FILE,
    PreviousEntityData,
    catalogue,
    catalogue_warnings,
    entity_data_reusing,
    serialize,
)
from generator.site.pages import render_pages
from kb.errors import KbError
from kb.files import link_or_copy
from kb.resources import SITE_CONFIG_NAME, site_docs_dir
from kb.serve.static import CSP_HASHES_FILE, theme_script_hashes
from kb.settings import Settings
from kb.views.build_info import read_build_warnings
from kb.views.documents import ORIGINALS_DIR

#: Where the site sources (config and pages) and the built site go inside a release folder.
SITE_SRC_DIR_NAME = "site-src"
SITE_DIR_NAME = "site"
#: Files of the site docs package that are not site sources.
_PACKAGE_FILES = shutil.ignore_patterns("__init__.py", "__pycache__", "*.pyc")
#: Above this many generated entity pages (a segment, a source, a municipality …), those pages
#: leave MkDocs' search index, which every visitor's browser loads whole (10.7 MB at 10× the
#: bundled corpus, 1444 pages, measured by benchmarks/bench_scale.py): it then holds the
#: hand-written and overview pages, which list every entity by name. Full-text search of every
#: passage is "Zoeken in beleid" (``kb serve``).
SEARCH_ENTITY_PAGES_MAX = 1000

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


class SiteBuildError(KbError):
    """The site could not be built; the message says why (MkDocs warnings included)."""


@dataclass
class SiteResult:
    """What a site build made and how long its two stages took."""

    site_dir: Path
    pages: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteProduct:
    """The ``site`` product of a build (see :class:`kb.build.products.Product`); it links to the
    Word documents, so it comes after them."""

    name: str = "site"
    needs: tuple[str, ...] = ("documents",)

    def build(
        self,
        release_dir: Path,
        graph: Graph,
        settings: Settings,
        *,
        progress: Progress | None = None,
    ) -> SiteResult:
        """Build the site of the release from its loaded ``graph``."""
        return build_site(release_dir, settings, progress=progress, graph=graph)


def build_site(
    release_dir: Path,
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    graph: Graph | None = None,
) -> SiteResult:
    """Generate the pages from ``release_dir``'s graph (or ``graph`` when given), write the
    site's sources into ``release_dir/site-src`` and build the site into ``release_dir/site``;
    raise :class:`SiteBuildError` when the site fails, or :class:`kb.resources.ResourceError`
    when the installation lacks the site's packaged sources."""
    from kb.rdf.store import StoreError, load_graph
    from kb.views.site import load_site_data

    release_dir = Path(release_dir).resolve()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if progress:
        progress("site: pagina's genereren", 0, 0)
    try:
        if graph is None:
            graph = load_graph(release_dir)
        data = load_site_data(graph)
    except StoreError as exc:
        raise SiteBuildError(str(exc)) from exc
    pages, assets = render_pages(
        data,
        word_documents(release_dir),
        release_dir / DOCUMENTS_DIR,
        release_dir / ORIGINALS_DIR,
        build_warnings=read_build_warnings(release_dir),
        site_url=settings.site_url if settings else None,
    )
    previous = site_incremental.previous_site_release(release_dir)
    entity_files, entity_keys = entity_data_reusing(graph, pages, _previous_entity_data(previous))
    assets = {**assets, **entity_files}
    timings["generate"] = time.perf_counter() - t0

    if progress:
        progress("site: mkdocs build", 0, 0)
    t1 = time.perf_counter()
    src_tmp = release_dir / f".{SITE_SRC_DIR_NAME}-{os.getpid()}"
    site_tmp = release_dir / f".{SITE_DIR_NAME}-{os.getpid()}"
    try:
        config = write_site_sources(src_tmp, pages, assets)
        (src_tmp / site_incremental.STAMP_FILE).write_text(site_incremental.stamp())
        (src_tmp / site_incremental.ENTITY_KEYS_FILE).write_text(
            json.dumps(entity_keys, sort_keys=True, indent=0), encoding="utf-8"
        )
        # Only the pages whose sources differ from the current release's are rendered again.
        reuse = site_incremental.plan(previous, src_tmp)
        if reuse is not None:
            site_incremental.prepare(reuse, src_tmp, site_tmp)
            log.info("site: %s", reuse.summary)
        run_mkdocs(site_tmp, config_file=config, reuse=reuse)
        write_linked_data(site_tmp, release_dir, graph, settings or Settings())
    except BaseException:
        shutil.rmtree(src_tmp, ignore_errors=True)
        shutil.rmtree(site_tmp, ignore_errors=True)
        raise
    timings["mkdocs"] = time.perf_counter() - t1
    _swap_in(src_tmp, release_dir / SITE_SRC_DIR_NAME)
    target = release_dir / SITE_DIR_NAME
    _swap_in(site_tmp, target)
    counts: dict[str, int] = {}
    for path in pages:
        if Path(path).name.startswith("."):
            continue  # the tooltip definitions, not a page
        kind = path.split("/")[1] if path.count("/") > 1 else "overzicht"
        counts[kind] = counts.get(kind, 0) + 1
    return SiteResult(target, dict(sorted(counts.items())), timings)


def _previous_entity_data(previous: Path | None) -> PreviousEntityData | None:
    """The entity data files of the ``previous`` release and the keys they were made from."""
    if previous is None:
        return None
    src = previous / SITE_SRC_DIR_NAME
    try:
        keys = json.loads((src / site_incremental.ENTITY_KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a release before the keys were kept, or a damaged file: serialize all
    if not isinstance(keys, dict):
        return None
    return PreviousEntityData(keys, lambda rel: _generated_path(src / "docs", rel))


def write_linked_data(site: Path, release_dir: Path, graph: Graph, settings: Settings) -> None:
    """Put the DCAT record, the graph dump it names and the hashes of the inline scripts (for
    the server's CSP) at the root of the built ``site``."""
    for warning in catalogue_warnings(settings):
        log.warning("site: %s", warning)
    (site / CATALOGUE_FILE).write_bytes(serialize(catalogue(graph, settings), "turtle"))
    html = (page.read_text(encoding="utf-8") for page in site.rglob("*.html"))
    # Only the theme's own inline scripts, as the 404 page (no content from the graph) has them.
    template = (site / "404.html").read_text(encoding="utf-8")
    hashes = theme_script_hashes(template, html)
    (site / CSP_HASHES_FILE).write_text("\n".join(hashes) + "\n", encoding="ascii")
    dump = release_dir / DUMP_FILE
    if dump.is_file():
        link_or_copy(dump, site / DUMP_FILE)


#: MkDocs Material's search index inside a built site.
SEARCH_INDEX = Path("search") / "search_index.json"


def run_mkdocs(
    site_dir: Path, config_file: Path, reuse: site_incremental.SitePlan | None = None
) -> None:
    """``mkdocs build --strict`` through the MkDocs API; warnings become a SiteBuildError.

    With ``reuse`` (how ``site_dir`` was prepared from the previous site, see
    :mod:`generator.site.incremental`) the build is MkDocs' dirty build: it renders only the
    pages whose sources changed and completes the search index from the previous one.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    captured: list[str] = []

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            captured.append(record.getMessage())

    handler = _Collect(level=logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    dirty_filter = site_incremental.dirty_warning_filter()
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(dirty_filter)
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        _prune_missing_nav(config)
        if reuse is not None:
            config.plugins["kb-incremental"] = site_incremental.dirty_build_plugin(reuse)
        build(config, dirty=reuse is not None)
    except (Abort, ConfigurationError, OSError) as exc:
        detail = "; ".join(captured[:20]) or str(exc)
        raise SiteBuildError(f"mkdocs build --strict failed: {detail}") from exc
    finally:
        logger.removeHandler(handler)
        build_logger.removeFilter(dirty_filter)
    if captured:  # warnings that did not abort (should not happen in strict mode)
        raise SiteBuildError("mkdocs build warnings: " + "; ".join(captured[:20]))


#: Hand-written pages other parts of the project provide; the nav skips them while absent.
OPTIONAL_PAGES = frozenset({"zoeken.md", "zoeken-in-beleid.md", "documenten.md", "settings.md"})


def _prune_missing_nav(config: Any) -> None:
    """Drop optional nav entries whose page does not exist (yet), so strict mode passes."""
    docs = Path(config["docs_dir"])

    def keep(entry: Any) -> Any:
        if isinstance(entry, dict):
            ((title, value),) = entry.items()
            value = keep(value)
            return None if value is None or value == [] else {title: value}
        if isinstance(entry, list):
            kept = [k for k in (keep(e) for e in entry) if k is not None]
            return kept
        if isinstance(entry, str) and entry in OPTIONAL_PAGES and not (docs / entry).is_file():
            return None
        return entry

    if config.get("nav"):
        config["nav"] = keep(config["nav"])


def word_documents(release_dir: Path) -> list[dict[str, str]]:
    """The Word documents listed in the release's ``documents/index.json`` whose file exists:
    ``[{"title", "file" (path relative to documents/), "description", "plan" (IRI or "")}]``."""
    folder = Path(release_dir) / DOCUMENTS_DIR
    try:
        entries = read_index(folder)
    except KbError as exc:
        raise SiteBuildError(str(exc)) from None
    return sorted(
        (
            {"title": e.title, "file": e.file, "description": e.kind, "plan": e.plan or ""}
            for e in entries
            if (folder / e.file).is_file()
        ),
        key=lambda e: e["file"],
    )


def write_site_sources(
    folder: Path,
    pages: Mapping[str, str],
    assets: Mapping[str, bytes | Path],
    *,
    search_entity_pages_max: int = SEARCH_ENTITY_PAGES_MAX,
) -> Path:
    """Write the sources of the site into ``folder`` (made afresh) and return its config file.

    ``folder/docs`` gets the packaged hand-written pages and assets, then the generated
    ``pages`` and ``assets`` (paths relative to ``docs/``, under ``generated/``);
    ``folder/mkdocs.yml`` inherits the packaged base configuration and builds into the
    ``site`` folder beside ``folder``, so ``mkdocs build -f <folder>/mkdocs.yml`` reproduces it.
    """
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    shutil.copytree(site_docs_dir(), docs, ignore=_PACKAGE_FILES)
    unsearched = sum(map(_is_entity_page, pages)) > search_entity_pages_max
    for rel, text in pages.items():
        if unsearched and _is_entity_page(rel):
            text = _excluded_from_search(text)
        path = _generated_path(docs, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, content in assets.items():
        path = _generated_path(docs, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            link_or_copy(content, path)
        else:
            path.write_bytes(content)
    config = folder / "mkdocs.yml"
    config.write_text(
        "# Generated by generator/site/build.py: the packaged site configuration with the\n"
        "# pages of this release (hand-written ones from the package, generated ones in\n"
        "# docs/generated).\n"
        f"INHERIT: docs/{SITE_CONFIG_NAME}\n"
        "docs_dir: docs\n"
        f"site_dir: ../{SITE_DIR_NAME}\n",
        encoding="utf-8",
    )
    return config


def _is_entity_page(rel: str) -> bool:
    """A generated page of one entity (``generated/<folder>/…/<slug>.md``), not an overview."""
    parts = Path(rel).parts
    name = parts[-1]
    return len(parts) >= 3 and name.endswith(".md") and name != "index.md" and name[0] != "."


def _excluded_from_search(text: str) -> str:
    """The page with ``search: exclude: true`` in its front matter (MkDocs Material)."""
    marker = "search:\n  exclude: true\n"
    if text.startswith("---\n"):
        return "---\n" + marker + text[4:]
    return f"---\n{marker}---\n\n{text}"


def _generated_path(docs: Path, rel: str) -> Path:
    """Where generated file ``rel`` (relative to ``docs/``) goes; generated files stay in
    ``generated/`` so they never replace a hand-written page."""
    return docs / "generated" / Path(rel).relative_to("generated")


def _swap_in(new: Path, target: Path) -> None:
    """Put folder ``new`` in place of ``target`` with renames (the old one removed after)."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)
