"""The documentation site on the real corpus: strict MkDocs build, one page per entity, links
that resolve to existing anchors, and accessibility of the generated HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kb.settings import Settings

pytestmark = pytest.mark.acceptance


@pytest.fixture(scope="session")
def site_build(build_corpus: Callable[..., Settings]) -> Settings:
    """A published build of the bundled corpus with the site product."""
    return build_corpus("site")


@pytest.fixture(scope="session")
def site_dir(site_build: Settings) -> Path:
    return (site_build.current_dir / "site").resolve()


@pytest.fixture(scope="session")
def pages(site_dir: Path) -> dict[Path, _Page]:
    """Every HTML page of the site, parsed once."""
    parsed = {}
    for path in sorted(site_dir.rglob("*.html")):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        parsed[path] = page
    return parsed


class _Page(HTMLParser):
    """The parts of a page the checks need: ids, links, headings, tables, images, lang."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.headings: list[int] = []
        self.images: list[dict[str, str | None]] = []
        self.tables = 0
        self.tables_with_th = 0
        self._table_depth: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "img":
            self.images.append(a)
        if tag == "table":
            self.tables += 1
            self._table_depth.append(False)
        if tag == "th" and self._table_depth and not self._table_depth[-1]:
            self._table_depth[-1] = True
            self.tables_with_th += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self._table_depth:
            self._table_depth.pop()


def _count(graph, sparql: str) -> int:  # type: ignore[no-untyped-def]
    from kb.rdf.store import query

    return int(next(iter(query(graph, sparql)))[0])


def _html_pages(site_dir: Path, folder: str) -> list[Path]:
    root = site_dir / "generated" / folder
    return [p for p in root.rglob("*.html") if p != root / "index.html"]


def test_build_published_the_site(site_build: Settings, site_dir: Path) -> None:
    # The fixture's build ran `mkdocs build --strict`: any warning would have failed it.
    assert (site_dir / "index.html").is_file()
    assert (site_dir / "search" / "search_index.js").is_file(), "offline search index"
    assert not list(site_build.current_dir.glob(".site-*")), "temporary site folder left"


def test_page_counts_match_graph(site_build: Settings, site_dir: Path) -> None:
    from kb.rdf.store import load_graph

    g = load_graph(site_build.current_dir)
    expected = {
        "segmenten": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kb:Segment }",
        "doelgroepen": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?x kb:hasTargetGroup ?s }",
        "stakeholders": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kb:Stakeholder }",
        "onderzoeksvragen": "SELECT (COUNT(DISTINCT ?s) AS ?n) "
        "WHERE { ?x kb:hasResearchQuestion ?s }",
        "regios": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kb:Region }",
        "subregios": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kb:Subregion }",
        "gemeenten": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kb:Municipality }",
        "bronnen": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a kb:Document }",
        "plannen": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s a kb:Segment ; kb:inPlan ?p }",
        "begrippen": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c skos:inScheme ?s "
        "VALUES ?s { <https://w3id.org/jeugdhulp-kb/id/scheme/begrippenkader> "
        "<https://w3id.org/jeugdhulp-kb/id/scheme/afkortingen> } }",
    }
    for folder, sparql in expected.items():
        n = _count(g, sparql)
        assert n > 0, folder
        assert len(_html_pages(site_dir, folder)) == n, folder
        assert (site_dir / "generated" / folder / "index.html").is_file(), folder


def test_every_link_resolves_to_an_existing_anchor(
    site_dir: Path, pages: dict[Path, _Page]
) -> None:
    broken: list[str] = []
    source_links = 0
    for path, page in pages.items():
        if path.name == "404.html":
            continue  # served at any depth, so MkDocs gives it root-absolute links
        for href in page.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(site_dir)} → {href}")
                continue
            if parts.fragment and target.suffix == ".html":
                if parts.fragment not in pages[target].ids:
                    broken.append(f"{path.relative_to(site_dir)} → {href} (no anchor)")
                elif parts.fragment.startswith("p-"):
                    source_links += 1
    assert not broken, broken[:20]
    assert source_links > 1000  # facts link to passage anchors on the source pages


def test_every_fact_on_a_segment_page_links_to_its_passage(
    site_build: Settings, site_dir: Path
) -> None:
    from kb.rdf.store import load_graph, query

    g = load_graph(site_build.current_dir)
    rows = query(
        g,
        """SELECT ?slug ?region (COUNT(DISTINCT ?p) AS ?n) WHERE {
          ?s a kb:Segment ; kb:slug ?slug ; kb:ofRegion ?r ; ?prop ?i .
          ?i a/rdfs:subClassOf* kb:SegmentItem ; prov:wasDerivedFrom ?p .
          BIND(STRAFTER(STR(?r), "/region/") AS ?region) } GROUP BY ?slug ?region""",
    )
    for slug, region, n in rows:
        html = (site_dir / "generated" / "segmenten" / str(region) / f"{slug}.html").read_text(
            encoding="utf-8"
        )
        anchors = {part.split('"', 1)[0] for part in html.split("#p-")[1:]}
        assert len(anchors) >= int(n), (slug, region)


def test_accessibility_of_every_page(site_dir: Path, pages: dict[Path, _Page]) -> None:
    problems: list[str] = []
    for path, page in pages.items():
        name = str(path.relative_to(site_dir))
        if page.lang != "nl":
            problems.append(f"{name}: lang={page.lang}")
        if page.headings.count(1) != 1:
            problems.append(f"{name}: {page.headings.count(1)} h1")
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"{name}: h{before} followed by h{after}")
                break
        if page.tables != page.tables_with_th:
            problems.append(f"{name}: table without header cells")
        for img in page.images:
            if not (img.get("alt") or "").strip():
                problems.append(f"{name}: img {img.get('src')} without alt text")
    assert not problems, problems[:20]


def test_tooltips_charts_and_timelines(site_dir: Path) -> None:
    wonen = (site_dir / "generated/segmenten/holland-rijnland/wonen.html").read_text("utf-8")
    # Glossary tooltips are keyboard-reachable (generator/site/tooltips.py).
    assert re.search(r'<abbr tabindex="0" title="', wonen)
    # The planning: a timeline drawn at build time (inline SVG, no script) with its table.
    assert '<div class="kb-timeline"' in wonen and 'class="kb-period"' in wonen
    assert "<th>Wat</th>" in wonen and "<th>Start</th>" in wonen
    gebruik = (site_dir / "gebruik.html").read_text("utf-8")
    assert "<abbr" in gebruik, "tooltips on hand-written pages too"
    # A glossary term in running text, written in lower case, gets its definition too.
    onderwijs = (site_dir / "generated/segmenten/holland-rijnland/onderwijs.html").read_text(
        "utf-8"
    )
    assert re.search(r'<abbr tabindex="0" title="[^"]+">integraal arrangeren</abbr>', onderwijs)
    leiden = (site_dir / "generated/gemeenten/leiden.html").read_text("utf-8")
    assert "leiden-budget.svg" in leiden and (site_dir / "generated/gemeenten/leiden-budget.svg")
    assert "€\u00a026.576.000" in leiden  # stated total 2021
    matrix = (site_dir / "generated/vergelijking.html").read_text("utf-8")
    for region in ("Achterhoek", "Groningen", "Holland Rijnland", "Noord-Limburg"):
        assert region in matrix
    assert "3+2+2" in matrix


PLAN_PAGE = (
    "generated/bronnen/"
    "2020-holland-rijnland-inkoopplan-jeugdhulp-leidse-regio-duin-en-bollenstreek.html"
)


def test_the_plan_keeps_its_headings_and_each_passage_its_trail(
    site_dir: Path, pages: dict[Path, _Page]
) -> None:
    """The bundled plan's source page nests its headings as the original does (chapter 4 ›
    segment › rubric) and every passage says where in the document it sits."""
    html = (site_dir / PLAN_PAGE).read_text("utf-8")
    headings = re.findall(r"<h([2-6]) id=\"[^\"]*\">(.*?)<a class=\"headerlink\"", html)
    texts = [(int(level), re.sub(r"<[^>]+>", "", text).strip()) for level, text in headings]
    wonen = next(i for i, (_, t) in enumerate(texts) if t == "4.2 SEGMENT 2: WONEN")
    chapter = max(i for i, (_, t) in enumerate(texts[:wonen]) if t.startswith("4 "))
    assert texts[chapter][0] + 1 == texts[wonen][0]
    assert texts[wonen + 1] == (texts[wonen][0] + 1, "Doelgroep(en)")
    # All seven segments keep their own heading (the rubrics no longer repeat without one).
    assert len([t for _, t in texts if re.match(r"4\.\d+ SEGMENT \d", t)]) == 7
    passages = html.count('class="kb-passage"')
    trails = re.findall(r'<p class="kb-trail">(.*?)</p>', html)
    assert passages > 100 and len(trails) == passages
    assert any(t.endswith("› 4.2 SEGMENT 2: WONEN › Doelgroep(en)") for t in trails)
    # The original is on the site, linked from the page; no checksum or "onbekend".
    original = re.search(r'href="(bestanden/[^"]+)"', html)
    assert original and (site_dir / "generated/bronnen" / original.group(1)).is_file()
    assert "SHA-256" not in html and "Voor</td><td>onbekend" not in html


def test_strict_mode_rejects_a_broken_link(tmp_path: Path) -> None:
    from generator.site.build import SiteBuildError, run_mkdocs

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Start\n\n[weg](ontbreekt.md)\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\ndocs_dir: docs\n", encoding="utf-8")
    with pytest.raises(SiteBuildError, match="ontbreekt.md"):
        run_mkdocs(tmp_path / "site", config_file=config)


def test_generation_is_deterministic(site_build: Settings) -> None:
    from generator.site.build import word_documents
    from generator.site.pages import render_pages
    from kb.rdf.store import load_graph
    from kb.views.site import load_site_data

    release = site_build.current_dir
    first = render_pages(load_site_data(load_graph(release)), word_documents(release))
    second = render_pages(load_site_data(load_graph(release)), word_documents(release))
    assert first[0] == second[0]
    assert first[1] == second[1]
