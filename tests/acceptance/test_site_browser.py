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
            # The planning: a timeline drawn at build time (inline SVG) with its table.
            chart = page.locator(".kb-timeline svg.kb-timeline-breed").first
            expect(chart).to_be_visible()
            box = chart.bounding_box()
            assert box and box["height"] > 50
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


#: Text sizes of the visible timeline text on a page (CSS pixels, as rendered).
_TIMELINE_TEXT = """() => Array.from(document.querySelectorAll('.kb-timeline svg text'))
  .filter(t => t.getClientRects().length > 0)
  .map(t => t.getBoundingClientRect().height > 0 ? parseFloat(getComputedStyle(t).fontSize)
       * t.getScreenCTM().a : 0)"""
#: Whether the visible timelines fit the page (nothing cut off at the right).
_TIMELINE_FITS = """() => Array.from(document.querySelectorAll('.kb-timeline svg'))
  .filter(s => s.getClientRects().length > 0)
  .every(s => s.getBoundingClientRect().right <= document.documentElement.clientWidth)"""


def test_sources_in_context_timelines_and_printed_comparison(
    site_url: str, build_corpus: Callable[..., Settings], tmp_path: Path
) -> None:
    """A passage opened from a fact shows where in its document it sits; the timelines are
    readable (text at least 12 px) and fit at 1280 and 390 px; the comparison printed to PDF
    names every region."""
    executable = chromium()
    from playwright.sync_api import expect, sync_playwright
    from pypdf import PdfReader

    from kb.rdf.store import load_graph
    from kb.views.site import load_site_data

    data = load_site_data(load_graph(build_corpus("site").current_dir))
    regions = sorted(
        {r.label for r in data.regions.values() if any(c.region == r.iri for c in data.choices)}
    )
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
            # A fact's "bron" link opens its passage with the trail above it.
            page.goto(f"{site_url}/generated/segmenten/holland-rijnland/wonen.html")
            page.locator("article a.kb-bron").first.click()
            target = page.locator(".kb-passage:target")
            expect(target).to_be_visible()
            trail = target.locator(".kb-trail")
            expect(trail).to_be_visible()
            expect(trail).to_contain_text("SEGMENT 2: WONEN")
            assert " › " in trail.inner_text()

            for width in (1280, 390):
                page.set_viewport_size({"width": width, "height": 900})
                for path in ("generated/planning.html", "generated/regios/holland-rijnland.html"):
                    page.goto(f"{site_url}/{path}")
                    sizes = page.evaluate(_TIMELINE_TEXT)
                    assert sizes and min(sizes) >= 12, (width, path, min(sizes or [0]))
                    assert page.evaluate(_TIMELINE_FITS), (width, path)

            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{site_url}/generated/vergelijking.html")
            pdf = tmp_path / "vergelijking.pdf"
            page.pdf(path=str(pdf), format="A4")
        finally:
            browser.close()
    text = " ".join((pg.extract_text() or "") for pg in PdfReader(str(pdf)).pages)
    flat = " ".join(text.split())
    assert len(regions) >= 2
    missing = [name for name in regions if name not in flat]
    assert not missing, missing
    assert "generated/bronnen/" in flat  # the "bron" links print their address
    assert not errors, errors
