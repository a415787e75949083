"""The static documentation site: graph → Markdown pages (Jinja2) → ``mkdocs build --strict``.

``build_site`` is the ``site`` product of a build (``kb build``) and the body of ``kb site``. It
writes the generated pages into ``docs/generated/`` (git-ignored; the hand-written pages live
beside it in ``docs/``), then builds the whole site with MkDocs Material into a temporary
folder of the release and swaps it in as ``<release>/site``, so a failed build never replaces
a good site. Builds that share the repository's ``docs/`` folder take turns through a file lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.site.pages import render_pages
from kb.errors import KbError
from kb.settings import Settings

#: The MkDocs configuration of the site and the folder of its pages.
REPO_DIR = Path(__file__).resolve().parents[2]  # stop-gap: site config becomes package data
MKDOCS_FILE = REPO_DIR / "mkdocs.yml"
DOCS_DIR = REPO_DIR / "docs"
GENERATED_DIR = DOCS_DIR / "generated"
#: Where the built site goes inside a release folder.
SITE_DIR_NAME = "site"

Progress = Callable[[str, int, int], None]


class SiteBuildError(KbError):
    """The site could not be built; the message says why (MkDocs warnings included)."""


@dataclass
class SiteResult:
    """What a site build made and how long its two stages took."""

    site_dir: Path
    pages: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def build_site(
    release_dir: Path, settings: Settings | None = None, *, progress: Progress | None = None
) -> SiteResult:
    """Generate the pages from ``release_dir``'s graph and build the site into
    ``release_dir/site``; raise :class:`SiteBuildError` when anything fails."""
    from kb.views.site import load_site_data
    from kb.rdf.store import StoreError, load_graph

    release_dir = Path(release_dir).resolve()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    if progress:
        progress("site: pagina's genereren", 0, 0)
    try:
        data = load_site_data(load_graph(release_dir))
    except StoreError as exc:
        raise SiteBuildError(str(exc)) from exc
    pages, assets = render_pages(data, word_documents(release_dir), release_dir / "documents")
    timings["generate"] = time.perf_counter() - t0

    with _docs_lock():
        _write_generated(pages, assets)
        if progress:
            progress("site: mkdocs build", 0, 0)
        t1 = time.perf_counter()
        target = release_dir / SITE_DIR_NAME
        tmp = release_dir / f".{SITE_DIR_NAME}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            run_mkdocs(tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        timings["mkdocs"] = time.perf_counter() - t1
    _swap_in(tmp, target)
    counts: dict[str, int] = {}
    for path in pages:
        if Path(path).name.startswith("."):
            continue  # the tooltip definitions, not a page
        kind = path.split("/")[1] if path.count("/") > 1 else "overzicht"
        counts[kind] = counts.get(kind, 0) + 1
    return SiteResult(target, dict(sorted(counts.items())), timings)


def run_mkdocs(site_dir: Path, config_file: Path = MKDOCS_FILE) -> None:
    """``mkdocs build --strict`` through the MkDocs API; warnings become a SiteBuildError."""
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
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=True)
        _prune_missing_nav(config)
        build(config)
    except (Abort, ConfigurationError, OSError) as exc:
        detail = "; ".join(captured[:20]) or str(exc)
        raise SiteBuildError(f"mkdocs build --strict failed: {detail}") from exc
    finally:
        logger.removeHandler(handler)
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
    """The Word documents of the release (``documents/index.json`` when present, else the
    ``.docx`` files): ``[{"title", "file" (path relative to documents/), "description"}]``."""
    folder = release_dir / "documents"
    if not folder.is_dir():
        return []
    entries: list[dict[str, str]] = []
    index = folder / "index.json"
    if index.is_file():
        try:
            raw = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = []
        items = raw.get("documents", []) if isinstance(raw, dict) else raw
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            name = item.get("file") or item.get("path") or item.get("filename")
            if not name or not (folder / str(name)).is_file():
                continue
            entries.append(
                {
                    "title": str(item.get("title") or Path(str(name)).stem),
                    "file": str(name),
                    "description": str(item.get("description") or item.get("kind") or ""),
                }
            )
    if not entries:
        entries = [
            {"title": p.stem, "file": p.relative_to(folder).as_posix(), "description": ""}
            for p in sorted(folder.rglob("*.docx"))
        ]
    return sorted(entries, key=lambda e: e["file"])


def _write_generated(pages: dict[str, str], assets: dict[str, bytes | Path]) -> None:
    """Replace ``docs/generated`` with the new pages (paths are relative to ``docs/``)."""
    new = DOCS_DIR / f".generated-{os.getpid()}"
    shutil.rmtree(new, ignore_errors=True)
    for rel, text in pages.items():
        path = new / Path(rel).relative_to("generated")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, content in assets.items():
        path = new / Path(rel).relative_to("generated")
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, path)
        else:
            path.write_bytes(content)
    _swap_in(new, GENERATED_DIR)


def _swap_in(new: Path, target: Path) -> None:
    """Put folder ``new`` in place of ``target`` with renames (the old one removed after)."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


@contextmanager
def _docs_lock() -> Iterator[None]:
    """One site build at a time per checkout: they all write ``docs/generated``."""
    key = hashlib.sha256(str(DOCS_DIR).encode()).hexdigest()[:12]
    path = Path(tempfile.gettempdir()) / f"kb-site-{key}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
