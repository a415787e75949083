"""The built site in headless Chromium (Debian's package, driven by Playwright).

The site is served on loopback. The test opens the home page, navigates to segment Wonen,
hovers an abbreviation and reads its definition, follows a stakeholder link and searches for
"bekostiging" — and fails on any console error or failed request. Screenshots go to a temporary
folder; with ``KB_UPDATE_SCREENSHOTS=1`` the one of segment Wonen replaces
``docs/img/site-segment-wonen.png`` (not on every run: screenshots differ byte for byte).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from system_tools import CHROMIUM_ARGS, chromium, site_search

from kb.settings import Settings

pytestmark = [pytest.mark.acceptance, pytest.mark.browser]

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "site-segment-wonen.png"


def _failed_request(request: Any, site_url: str, errors: list[str]) -> None:
    """A failed request is an error, except a request of the site itself that the browser
    aborted because the test navigated on (the search worker loads its scripts lazily)."""
    failure = request.failure or ""
    if request.url.startswith(site_url) and "ERR_ABORTED" in failure:
        return
    errors.append(f"request failed: {request.url} ({failure})")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def site_url(build_corpus: Callable[..., Settings]) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port)."""
    site = build_corpus("site").current_dir / "site"
    handler = functools.partial(_QuietHandler, directory=str(site.resolve()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_browse_segment_stakeholder_search_and_tooltip(
    site_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    executable = chromium()
    from playwright.sync_api import expect, sync_playwright

    shots = tmp_path_factory.mktemp("screenshots")
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page.on(
                "console",
                lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: _failed_request(r, site_url, errors))

            # Home page.
            page.goto(f"{site_url}/index.html")
            expect(page.locator("h1")).to_contain_text("Kennisbank jeugdhulp inkoop")
            page.screenshot(path=str(shots / "home.png"))

            # Navigate to segment Wonen: menu → Segmenten → Wonen (Holland Rijnland).
            page.locator("nav.md-nav--primary").get_by_role("link", name="Segmenten").click()
            expect(page.locator("h1")).to_contain_text("Segmenten")
            page.locator("article").get_by_role("link", name="Wonen", exact=True).first.click()
            expect(page.locator("h1")).to_contain_text("Wonen")
            expect(page.locator("article")).to_contain_text("Inkoopinstrumenten in het kort")
            # The planning renders as a Mermaid chart (drawn in a closed shadow root).
            chart = page.locator("div.mermaid").first
            expect(chart).to_be_visible()
            page.wait_for_function(
                "() => document.querySelector('div.mermaid').getBoundingClientRect().height > 50"
            )
            wonen_shot = shots / "segment-wonen.png"
            page.screenshot(path=str(wonen_shot))

            # Hover an abbreviation: its definition shows as a tooltip.
            abbr = page.locator("article abbr").first
            definition = abbr.get_attribute("title")
            assert definition
            abbr.hover()
            tooltip = page.get_by_role("tooltip").filter(has_text=definition[:40])
            expect(tooltip).to_be_visible()
            page.screenshot(path=str(shots / "tooltip.png"))

            # Follow a stakeholder link: the stakeholder's page lists its segments.
            link = page.locator("h2#stakeholders + ul a").first
            name = link.inner_text()
            link.click()
            expect(page.locator("h1")).to_contain_text(name)
            expect(page.locator("article")).to_contain_text("Segmenten")
            page.screenshot(path=str(shots / "stakeholder.png"))

            # Site search (lunr, Dutch stemming) for "bekostiging".
            results = site_search(page, "bekostiging")
            assert results.count() > 0
            expect(page.locator(".md-search-result__meta")).not_to_contain_text("Geen")
            page.screenshot(path=str(shots / "search.png"))
        finally:
            browser.close()

    if os.environ.get("KB_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(wonen_shot, DOCS_SCREENSHOT)
    assert not errors, errors
