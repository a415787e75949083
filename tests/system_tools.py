"""Programs the acceptance tests drive: Debian's Chromium (through Playwright) and LibreOffice.

Missing on a developer's machine, the test is skipped; missing under ``CI=true`` it fails, because
``.ci/run`` installs them and a skip there would hide the acceptance path.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, NoReturn

import pytest

#: How the tests launch Debian's Chromium (no sandbox as root, nothing fetched in the background).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def missing(what: str, install: str) -> NoReturn:
    """Skip the test (fail it under CI) because ``what`` is not installed."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is required under CI ({install}; .ci/run installs it)")
    pytest.skip(f"{what} is not installed: {install}")


def chromium() -> str:
    """Path of Debian's chromium, once Playwright is known to be importable."""
    path = shutil.which("chromium")
    if path is None:
        missing("chromium", "apt-get install chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright package", "pip install -e '.[dev]'")
    return path


def soffice() -> str:
    """Path of LibreOffice's ``soffice``."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        missing("LibreOffice (soffice)", "apt-get install libreoffice-writer")
    return path


def site_search(page: Any, text: str, *, attempts: int = 6, wait_ms: int = 10_000) -> Any:
    """Type ``text`` into the MkDocs Material search box and return the result items.

    The theme builds its search index in a web worker; a query typed before the worker is ready
    is dropped and never answered. On a busy machine (parallel tests) that race is real, so the
    query is typed again until results show, ``attempts`` times at most.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.locator("input.md-search__input")
    results = page.locator(".md-search-result__item")
    for _ in range(attempts):
        box.click()
        box.fill("")
        box.press_sequentially(text, delay=30)
        try:
            results.first.wait_for(state="visible", timeout=wait_ms)
            return results
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"the site search showed no results for {text!r}")
