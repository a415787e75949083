"""Every page type of the built site, served by ``kb serve``, in headless Chromium: axe-core finds
no serious or critical accessibility violation, no page logs a console error, a glossary tooltip
is reached with the keyboard, and an unknown address gets the site's 404 page.

For each page type the test saves a screenshot at 1280 and at 390 px wide into the folder named
by ``KB_SITE_SCREENSHOTS`` (default: the test's temporary folder); ``make site-screenshots``
points it at ``docs/img/site/``, which the page "Schermafbeeldingen" shows.

axe-core comes from npm (``npm install axe-core@4``) into a cache folder of the test run (or
``KB_AXE_DIR``); without npm the test is skipped locally and fails under ``CI=true``. It is
injected through the DevTools protocol, so the page's own CSP stays in force.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from server_util import live_server
from system_tools import CHROMIUM_ARGS, chromium, missing

from kb.settings import Settings

pytestmark = [pytest.mark.acceptance, pytest.mark.browser]

#: Violations of these impacts fail the test (axe-core's two highest).
FAILING_IMPACTS = ("serious", "critical")
#: The axe-core major version the test installs.
AXE_PACKAGE = "axe-core@4"
#: Viewport widths of the screenshots: a laptop and a phone.
WIDTHS = (1280, 390)

#: Page type → site path (a glob under the site folder: the first match in sorted order is used,
#: so the test follows the corpus rather than naming one document's pages).
PAGE_TYPES: dict[str, str] = {
    "start": "index.html",
    "regio": "generated/regios/holland-rijnland.html",
    "subregio": "generated/subregios/*.html",
    "gemeente": "generated/gemeenten/leiden.html",
    "plan": "generated/plannen/*.html",
    "segment": "generated/segmenten/holland-rijnland/wonen.html",
    "doelgroep": "generated/doelgroepen/**/*.html",
    "stakeholder": "generated/stakeholders/*[!x].html",
    "onderzoeksvraag": "generated/onderzoeksvragen/**/*.html",
    "begrip": "generated/begrippen/begrippenkader/gecertificeerde-instellingen.html",
    "begrippen": "generated/begrippen/index.html",
    "document": "generated/bronnen/2018-*.html",
    "planning": "generated/planning.html",
    "financien": "generated/financien.html",
    "vergelijking": "generated/vergelijking.html",
    "downloads": "generated/downloads.html",
    "kwaliteit": "generated/kwaliteit.html",
    "over-de-bronnen": "generated/over-de-bronnen.html",
    "zoeken": "zoeken-in-beleid.html",
    "beheer": "beheer.html",
    "beheer-pagina": "settings.html",
}


def _axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe.min.js: from ``KB_AXE_DIR`` if it holds it, else installed with npm once per run."""
    configured = os.environ.get("KB_AXE_DIR")
    folder = Path(configured) if configured else tmp_path_factory.getbasetemp() / "axe"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            missing("npm", "apt-get install npm")
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", str(folder), "--no-audit", "--no-fund", AXE_PACKAGE],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site_settings(build_corpus: Callable[..., Settings]) -> Settings:
    # With the search index: the page "Zoeken in beleid" asks the server's search API (the
    # same build as the other browser tests use, so a full run makes it once).
    return build_corpus("index", "site")


@pytest.fixture(scope="module")
def base_url(site_settings: Settings) -> Iterator[str]:
    from kb.cli.serve import server_app

    with live_server(server_app(site_settings)) as base:
        yield base


def _pages(site: Path) -> dict[str, str]:
    """Page type → URL path of the page the test opens for it."""
    found = {}
    for kind, pattern in PAGE_TYPES.items():
        matches = sorted(
            p for p in site.glob(pattern) if p.name != "index.html" or "*" not in pattern
        )
        assert matches, f"no page of type {kind} ({pattern}) in the built site"
        found[kind] = "/" + matches[0].relative_to(site).as_posix()
    return found


def _screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("KB_SITE_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _serious(results: dict[str, Any]) -> list[str]:
    """The failing violations of an axe result as readable lines (rule, impact, first nodes)."""
    lines = []
    for v in results["violations"]:
        if v.get("impact") in FAILING_IMPACTS:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {targets})")
    return lines


def test_every_page_type_accessible_with_screenshots(
    site_settings: Settings, base_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    executable = chromium()
    from playwright.sync_api import expect, sync_playwright

    axe = _axe_source(tmp_path_factory)
    shots = _screenshot_dir(tmp_path_factory)
    pages = _pages(site_settings.current_dir / "site")
    pages["404"] = "/generated/bestaat-niet.html"
    problems: dict[str, list[str]] = {}
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900}, locale="nl-NL")
            current = {"url": ""}
            page.on(
                "console",
                lambda m: (
                    errors.append(f"{current['url']}: {m.text}")
                    if m.type == "error"
                    and not (current["url"] == pages["404"] and "404" in m.text)
                    else None
                ),
            )
            page.on("pageerror", lambda e: errors.append(f"{current['url']}: {e}"))
            for kind, path in pages.items():
                current["url"] = path
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
                response = page.goto(base_url + path, wait_until="load")
                assert response is not None
                if kind == "404":
                    # The server answers a wrong address with the site's 404 page, as HTML.
                    assert response.status == 404
                    assert response.headers["content-type"].startswith("text/html")
                    expect(page.locator("h1")).to_have_text("Pagina niet gevonden")
                else:
                    assert response.ok, (kind, path, response.status)
                # Tooltips never sit in a title, heading, table header or link text.
                misplaced = page.locator(
                    "article :is(h1, h2, h3, h4, h5, h6, th, a) abbr, .md-nav abbr"
                )
                if misplaced.count():
                    problems.setdefault(f"{kind} {path}", []).append(
                        f"{misplaced.count()} tooltips in headings, table headers or links"
                    )
                page.evaluate(axe)
                results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                if found := _serious(results):
                    problems.setdefault(f"{kind} {path}", []).extend(found)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
                    # JPEG: a set of screenshots is kept in the docs, a tenth of PNG's size.
                    page.screenshot(path=str(shots / f"{kind}-{width}.jpg"), quality=70)

            # Keyboard: Tab from the top of segment Wonen reaches a glossary term, whose
            # definition then shows as a tooltip.
            current["url"] = pages["segment"]
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            served = page.goto(base_url + pages["segment"])
            assert served is not None
            # The definitions as served: the theme moves an element's title into its tooltip.
            article = served.text().split("<article", 1)[1].split("</article>", 1)[0]
            titles = [html.unescape(t) for t in re.findall(r'<abbr[^>]*\btitle="([^"]*)"', article)]
            page.locator("article h1").click()
            for _ in range(200):
                page.keyboard.press("Tab")
                if page.evaluate("() => document.activeElement.tagName") == "ABBR":
                    break
            else:
                pytest.fail("the Tab key never reached a glossary term on the segment page")
            position = page.evaluate(
                "() => [...document.querySelectorAll('article abbr')]"
                ".indexOf(document.activeElement)"
            )
            definition = titles[position]
            # The theme shows the focused term's own definition (after a short delay).
            tip = page.get_by_role("tooltip").filter(has_text=definition[:40])
            expect(tip).to_be_visible()
        finally:
            browser.close()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert not errors, "\n".join(errors)
