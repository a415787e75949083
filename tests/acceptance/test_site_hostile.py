"""Hostile metadata and document text never run as script on the site, served or from disk.

A corpus whose ``sources.yaml`` title, region and author and whose document text carry script
injections (``</title><script>``, ``<img onerror>``, ``"><svg onload>``, ``javascript:`` links,
Markdown link injection) is built (graph, documents, site; no search index), served by
``kb serve`` and opened in Debian's Chromium: no script of it runs (``window.__pwned`` stays
undefined, no dialog opens), no console error (the theme's own inline scripts are allowed by
the CSP's hashes; nothing is blocked) and the hostile text is visible as text. The same pages
opened from disk (file://, no CSP at all) run nothing either. Also: the linked data of an
entity IRI through content negotiation, and the DCAT record.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from server_util import live_server
from system_tools import CHROMIUM_ARGS, chromium, site_search

from kb.settings import Settings

pytestmark = [pytest.mark.acceptance, pytest.mark.browser]

TITLE = "</title><script>window.__pwned=1</script>Inkoopplan"
REGION = '"><svg onload=window.__pwned=3>Regio Kwaadwater'
TEXT = """# Inkoop jeugdhulp <img src=x onerror=window.__pwned=2> 2026

## Segment 1: Wonen <script>window.__pwned=5</script>

De regio koopt jeugdhulp in voor 1.200 jeugdigen. [Klik hier](javascript:window.__pwned=4)
en <a href="javascript:window.__pwned=6">hier</a>. "><svg onload=window.__pwned=7>

| kop | <img src=x onerror=window.__pwned=8> |
| --- | --- |
| [x](javascript:window.__pwned=9 "t") | `</code><script>window.__pwned=10</script>` |
"""


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from kb.build.pipeline import build
    from kb.cli.main import build_products

    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "plan.md").write_text(TEXT, encoding="utf-8")
    (corpus / "sources.yaml").write_text(
        "documents:\n"
        "  - file: plan.md\n"
        f"    title: '{TITLE}'\n"
        "    type: inkoopplan\n"
        f"    region: '{REGION}'\n"
        "    author: '<img src=x onerror=window.__pwned=11>'\n"
        "    date: 2025-01-01\n",
        encoding="utf-8",
    )
    settings = Settings(
        build_dir=root / "build",
        sources=[corpus],
        publisher="https://identifier.overheid.nl/tooi/id/gemeente/gm0546",
        contact_email="inkoop@example.org",
    )
    result = build([corpus], settings, products=build_products(("documents", "site")))
    assert result.published, (result.product_errors, result.validation)
    return settings


@pytest.fixture(scope="module")
def base_url(hostile_build: Settings) -> Iterator[str]:
    from kb.cli.serve import server_app

    with live_server(server_app(hostile_build)) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _site(settings: Settings) -> Path:
    return (settings.build_dir / "current" / "site").resolve()


def _pages(settings: Settings) -> list[str]:
    """Site-relative paths of the pages that show the hostile strings."""
    site = _site(settings)
    found = [
        str(p.relative_to(site))
        for p in sorted(site.rglob("*.html"))
        if "pwned" in p.read_text(encoding="utf-8")
    ]
    assert len(found) >= 3, found
    return found


def _open(browser: Any, url: str) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # event handlers such as onerror fire after load
    return page, errors, dialogs


def test_served_pages_run_no_hostile_script(
    browser: Any, base_url: str, hostile_build: Settings
) -> None:
    for rel in _pages(hostile_build):
        page, errors, dialogs = _open(browser, f"{base_url}/{rel}")
        assert page.evaluate("typeof window.__pwned") == "undefined", rel
        assert dialogs == [], rel
        assert errors == [], (rel, errors)  # the theme's inline scripts are not blocked
        page.close()
    page, _, _ = _open(browser, f"{base_url}/{_pages(hostile_build)[0]}")
    assert page.evaluate("typeof window.__md_scope") == "object"  # the theme's script ran
    page.close()


def test_hostile_text_is_shown_as_text(
    browser: Any, base_url: str, hostile_build: Settings
) -> None:
    rel = next(
        p
        for p in _pages(hostile_build)
        if p.startswith("generated/bronnen/") and not p.endswith("/index.html")
    )
    page, _, _ = _open(browser, f"{base_url}/{rel}")
    assert "</title><script>window.__pwned=1</script>Inkoopplan" in page.title()
    body = page.inner_text("body")
    # From sources.yaml (kept verbatim) and from the text (the Markdown reader keeps links as
    # their text): shown as typed, not as markup.
    assert "<img src=x onerror=window.__pwned=11>" in body
    assert '"><svg onload=window.__pwned=3>Regio Kwaadwater' in body
    assert "[Klik hier](javascript:window." in body
    page.close()


def test_pages_from_disk_run_no_hostile_script(browser: Any, hostile_build: Settings) -> None:
    site = _site(hostile_build)
    for rel in _pages(hostile_build):
        page, _, dialogs = _open(browser, (site / rel).as_uri())
        assert page.evaluate("typeof window.__pwned") == "undefined", rel
        assert dialogs == [], rel
        page.close()


def test_server_csp_allows_no_inline_script(base_url: str) -> None:
    import httpx

    csp = httpx.get(base_url + "/").headers["content-security-policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'sha256-" in script_src


def test_entity_iri_answers_with_its_triples_and_the_catalogue_validates(
    base_url: str, hostile_build: Settings
) -> None:
    import httpx
    from pyshacl import validate
    from rdflib import RDF, Graph, URIRef

    from kb.rdf.namespaces import KB, KBI
    from kb.rdf.store import load_graph

    graph = load_graph(hostile_build.build_dir / "current")
    doc = next(iter(graph.subjects(RDF.type, KB.Document)))
    path = "/id/" + str(doc)[len(str(KBI)) :]
    turtle = httpx.get(base_url + path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    described = Graph().parse(data=turtle.text, format="turtle")
    assert set(described.predicate_objects(URIRef(doc))) == set(graph.predicate_objects(doc))
    jsonld = httpx.get(base_url + path, headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(described)
    html = httpx.get(base_url + path, headers={"Accept": "text/html"})
    assert html.status_code == 303 and html.headers["location"].startswith("/generated/bronnen/")
    record = httpx.get(base_url + "/catalogus.ttl")
    shapes = Path(__file__).resolve().parents[2] / "ontology" / "dcat-shapes.ttl"
    conforms, _, text = validate(
        Graph().parse(data=record.text, format="turtle"), shacl_graph=Graph().parse(shapes)
    )
    assert conforms, text


@pytest.fixture(scope="module")
def corpus_url(build_corpus: Any) -> Iterator[str]:
    """The bundled corpus's site (no search index) served by ``kb serve`` with its CSP."""
    from kb.cli.serve import server_app

    with live_server(server_app(build_corpus("site"))) as base:
        yield base


def test_corpus_site_under_the_csp_keeps_charts_tooltips_and_search(
    browser: Any, corpus_url: str
) -> None:
    """The site's CSP blocks nothing the site needs: the theme's scripts, the timeline, the
    abbreviation tooltips and the site search; no console error."""
    from playwright.sync_api import expect

    page, errors, dialogs = _open(
        browser, corpus_url + "/generated/segmenten/holland-rijnland/wonen.html"
    )
    expect(page.locator("h1")).to_contain_text("Wonen")
    expect(page.locator("article")).to_contain_text("IRI: https://w3id.org/jeugdhulp-kb/id/")
    chart = page.locator(".kb-timeline svg.kb-timeline-breed").first
    expect(chart).to_be_visible()  # drawn at build time: nothing for the CSP to block
    box = chart.bounding_box()
    assert box and box["height"] > 50, "the timeline was not drawn"
    abbr = page.locator("article abbr").first
    definition = abbr.get_attribute("title")
    assert definition
    abbr.hover()
    expect(page.get_by_role("tooltip").filter(has_text=definition[:40])).to_be_visible()
    assert errors == [], errors  # e.g. a script the CSP blocked
    site_search(page, "bekostiging")
    assert errors == [] and dialogs == [], errors


def test_curl_an_entity_iri_of_the_corpus(corpus_url: str) -> None:
    """The example of the issue: ``curl -H 'Accept: text/turtle'`` on an IRI path."""
    import httpx
    from rdflib import Graph, URIRef

    from kb.rdf.namespaces import KBI

    path = "/id/segment/holland-rijnland/wonen"
    answer = httpx.get(corpus_url + path, headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format="turtle")
    assert len(list(graph.predicate_objects(URIRef(KBI["segment/holland-rijnland/wonen"])))) > 5
    data = httpx.get(corpus_url + path, headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=data.text, format="json-ld")) == len(graph)
