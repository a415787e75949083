"""Sources in context, timelines with their tables, the comparison and finance sums on the
site: rendered from the tiny invented graph (``tests/unit/views/tiny.ttl``) plus a few triples
each test adds, without MkDocs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from rdflib import Graph

from generator.site.charts import LAYOUTS, NARROW, WIDE, GanttTask, timeline_svg
from generator.site.links import page_path, passage_anchor
from generator.site.pages import render_pages
from generator.site.source_pages import ORIGINALS_FOLDER, document_outline
from kb.rdf.namespaces import KBI
from kb.views.documents import ORIGINALS_DIR, original_name
from kb.views.site import SiteData, load_site_data

PLAN = str(KBI["document/plan-zuidhoek"])
PREFIXES = f"""@prefix kb: <https://w3id.org/jeugdhulp-kb/def#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <{KBI[""]}> .
"""
#: A chapter › section › rubric nesting under the plan, with one passage in the rubric.
NESTED = """
<document/plan-zuidhoek> kb:format "pdf" ; dct:creator "Gemeenten Zuidhoek" ;
    schema:url "https://example.org/zuidhoek/inkoopplan.pdf"^^xsd:anyURI .
<document/plan-zuidhoek/h4> a kb:Section ; dct:isPartOf <document/plan-zuidhoek> ;
    dct:title "Uitwerking per segment" ; kb:sectionNumber "4" ; kb:level 1 ; kb:ordinal 3 .
<document/plan-zuidhoek/h42> a kb:Section ; dct:isPartOf <document/plan-zuidhoek> ;
    dct:title "SEGMENT 2: WONEN" ; kb:sectionNumber "4.2" ; kb:level 2 ; kb:ordinal 4 ;
    kb:parentSection <document/plan-zuidhoek/h4> .
<document/plan-zuidhoek/h42/doelgroep> a kb:Section ; dct:isPartOf <document/plan-zuidhoek> ;
    dct:title "Doelgroep(en)" ; kb:level 3 ; kb:ordinal 5 ;
    kb:parentSection <document/plan-zuidhoek/h42> .
<document/plan-zuidhoek/p9> a kb:Passage ; oa:hasSource <document/plan-zuidhoek> ;
    kb:inSection <document/plan-zuidhoek/h42/doelgroep> ; kb:ordinal 9 ;
    kb:text "Jeugdigen die niet thuis kunnen wonen." ; kb:page 3 .
"""


def _graph(tiny: Graph, extra: str = "") -> Graph:
    graph = Graph(store="Oxigraph")
    graph += tiny
    if extra:
        graph.parse(data=PREFIXES + extra, format="turtle")
    return graph


@pytest.fixture(scope="module")
def nested(tiny: Graph) -> SiteData:
    return load_site_data(_graph(tiny, NESTED))


def test_a_nested_passage_shows_its_trail_under_nested_headings(nested: SiteData) -> None:
    doc = nested.documents[PLAN]
    blocks = document_outline(nested, doc)
    headings = [(b.level, b.heading) for b in blocks]
    # Chapter, section and rubric each get a heading, one level deeper than the one above.
    i = headings.index((2, "4 Uitwerking per segment"))
    assert headings[i + 1 : i + 3] == [(3, "4.2 SEGMENT 2: WONEN"), (4, "Doelgroep(en)")]
    anchor = passage_anchor(str(KBI["document/plan-zuidhoek/p9"]))
    passage = next(p for b in blocks for p in b.passages if p.anchor == anchor)
    assert passage.trail == (
        "Inkoopplan jeugdhulp Zuidhoek 2030 › 4 Uitwerking per segment › "
        "4.2 SEGMENT 2: WONEN › Doelgroep(en) · pagina 3"
    )
    page = render_pages(nested)[0][page_path(PLAN)]
    assert "\n#### Doelgroep(en)\n" in page
    trail_html = "4 Uitwerking per segment › 4.2 SEGMENT 2: WONEN › Doelgroep(en)"
    block = page.split(f'id="{anchor}"', 1)[1].split("</div>", 1)[0]
    assert re.search(rf'<p class="kb-trail">[^<]*{re.escape(trail_html)}', block)


def test_page_numbers_where_the_original_has_pages(nested: SiteData) -> None:
    page = render_pages(nested)[0][page_path(PLAN)]
    anchor = passage_anchor(str(KBI["document/plan-zuidhoek/p9"]))
    passage = page.split(f'id="{anchor}"', 1)[1].split("</div>", 1)[0]
    assert '<p class="kb-page">pagina 3</p>' in passage
    # Passages without a page (a text original) get no page marker.
    assert page.count('class="kb-page"') == 1


def test_source_page_metadata_reads_as_a_reader_wants(nested: SiteData) -> None:
    page = render_pages(nested)[0][page_path(PLAN)]
    assert "| Opgesteld door | Gemeenten Zuidhoek |" in page
    assert "[https://example.org/zuidhoek/inkoopplan.pdf](https://example.org/" in page
    # Unknown fields are left out; no checksum or file-system name on the page.
    assert "onbekend" not in page and "SHA-256" not in page and "Bestemd voor" not in page


def test_the_original_file_is_copied_and_linked(nested: SiteData, tmp_path: Path) -> None:
    originals = tmp_path / ORIGINALS_DIR
    originals.mkdir()
    name = original_name("plan-zuidhoek", "pdf")
    (originals / name).write_bytes(b"%PDF-1.4 stand-in")
    pages, assets = render_pages(nested, originals_dir=originals)
    target = f"{ORIGINALS_FOLDER}/{name}"
    assert assets[target] == originals / name
    assert f"](bestanden/{name})" in pages[page_path(PLAN)]
    # Without a kept original there is no link to one.
    assert "bestanden/" not in render_pages(nested)[0][page_path(PLAN)]


def test_an_original_that_would_be_a_page_is_copied_as_text(tiny: Graph, tmp_path: Path) -> None:
    data = load_site_data(_graph(tiny, '<document/plan-zuidhoek> kb:format "html" .'))
    originals = tmp_path / ORIGINALS_DIR
    originals.mkdir()
    (originals / original_name("plan-zuidhoek", "html")).write_text("<script>x</script>")
    _, assets = render_pages(data, originals_dir=originals)
    (target,) = [a for a in assets if a.startswith(ORIGINALS_FOLDER)]
    assert target.endswith(".html.txt")


def test_a_timeline_draws_periods_as_bars_in_readable_text() -> None:
    tasks = [
        GanttTask("Wonen", "Heel 2021 voorbereiden", 2021),
        GanttTask("Wonen", "Juli: besluit", 2021, 7),
        GanttTask("Wonen", "Ingang contracten", 2022, 1, 1),
    ]
    for layout in LAYOUTS:
        svg = timeline_svg(tasks, "Planning Wonen", "t", layout)
        sizes = [int(s) for s in re.findall(r'font-size="(\d+)"', svg)]
        assert sizes and min(sizes) >= 12
        bars = [float(w) for w in re.findall(r'class="kb-period"[^>]*width="([\d.]+)"', svg)]
        assert len(bars) == 2  # the year and the month are bars, the day a marker
        assert bars[0] > 10 * bars[1] > 0  # a year is about twelve times a month
        assert svg.count('class="kb-day"') == 1
        # Every year is named once on the axis.
        assert svg.count(">2021</text>") == 1 and svg.count(">2022</text>") == 1
        width = int(re.search(r'width="(\d+)"', svg).group(1))  # type: ignore[union-attr]
        assert width == layout.width
    assert WIDE.width <= 690 and NARROW.width <= 358  # the text column at 1280 and 390 px


def test_a_period_with_a_stated_end_is_a_bar_to_that_end() -> None:
    half_year = GanttTask("Wonen", "Implementatie", 2021, 7, 1, None, 2021, 12, 31)
    assert half_year.is_period and half_year.last == dt.date(2021, 12, 31)
    to_month = GanttTask("Wonen", "Gesprekken", 2022, 7, None, None, 2022, 9)
    assert to_month.last == dt.date(2022, 9, 30)
    svg = timeline_svg([half_year, to_month], "Planning", "t", WIDE)
    assert svg.count('class="kb-period"') == 2 and 'class="kb-day"' not in svg


def test_every_timeline_has_a_table_beside_it(tiny: Graph) -> None:
    pages = render_pages(load_site_data(tiny))[0]
    for path in ("generated/planning.md", "generated/segmenten/zuidhoek/verblijf.md"):
        page = pages[path]
        charts = page.count('<div class="kb-timeline"')
        assert charts >= 1
        # Right after each chart: the table of the same milestones with their source.
        for part in page.split('<div class="kb-timeline"')[1:]:
            table = part.split("</div>", 1)[1].lstrip("\n").splitlines()
            assert table[0].startswith("| Wat |") and "| Start | Eind | Bron |" in table[0]
            assert any("Evaluatie" in row and "maart 2031" in row for row in table)


def test_the_comparison_marks_proposed_facts(tiny: Graph) -> None:
    proposed = """
<proposed/zuidhoek/1> a kb:ProposedFact ; kb:factKind "purchasing_model" ;
    kb:status "voorgesteld" ; kb:quote "via bestuurlijk aanbesteden" ;
    kb:valueText "bestuurlijk aanbesteden" ; kb:proposedValue "Bestuurlijk aanbesteden" ;
    prov:wasDerivedFrom <document/plan-zuidhoek/p1> .
"""
    page = render_pages(load_site_data(_graph(tiny, proposed)))[0]["generated/vergelijking.md"]
    row = next(line for line in page.splitlines() if line.startswith("| Inkoopmodel"))
    assert "Open house" in row  # the region's own choice, not marked
    cell = row.split("Bestuurlijk aanbesteden", 1)[1]
    assert cell.lstrip().startswith('<span class="kb-voorgesteld"') and "voorgesteld</span>" in cell
    assert row.count("kb-voorgesteld") == 1
    assert row.count("[bron](") == 2  # every entry links to its passage
    assert '<div class="kb-compare" markdown>' in page


def test_a_proposed_fact_fills_the_aspect_its_kind_names(tiny: Graph) -> None:
    # "contract_start" is labelled "Start contracten" but fills the aspect "Startdatum"
    # (skos:broadMatch in the feitsoorten scheme); a decision date fills no aspect.
    proposed = """
<proposed/zuidhoek/2> a kb:ProposedFact ; kb:factKind "contract_start" ;
    kb:status "voorgesteld" ; kb:quote "per 1 januari 2027" ; kb:valueText "1 januari 2027" ;
    kb:proposedValue "1 januari 2027" ; prov:wasDerivedFrom <document/plan-zuidhoek/p1> .
<proposed/zuidhoek/3> a kb:ProposedFact ; kb:factKind "decision_date" ;
    kb:status "voorgesteld" ; kb:quote "op 3 maart 2026" ; kb:valueText "3 maart 2026" ;
    kb:proposedValue "3 maart 2026" ; prov:wasDerivedFrom <document/plan-zuidhoek/p1> .
"""
    page = render_pages(load_site_data(_graph(tiny, proposed)))[0]["generated/vergelijking.md"]
    row = next(line for line in page.splitlines() if line.startswith("| Startdatum"))
    assert "1 januari 2027" in row and "kb-voorgesteld" in row
    assert "3 maart 2026" not in page


def _warning(page: str) -> str:
    return (
        page.split('!!! warning "Totaal wijkt af van de som"', 1)[1] if "!!! warn" in page else ""
    )


def test_a_finance_warning_only_where_the_shown_figures_differ(tiny: Graph) -> None:
    pages = render_pages(load_site_data(tiny))[0]
    # Alfadorp: lines 1.234.000, stated 1.235.000 → a warning naming both.
    alfadorp = _warning(pages["generated/gemeenten/alfadorp.md"])
    assert "1.235.000" in alfadorp and "1.234.000" in alfadorp
    # Oostrand: its municipalities sum to its stated total → no warning.
    assert _warning(pages["generated/subregios/zuidhoek/oost.md"]) == ""
    # A build that found the total inconsistent, but the figures the page shows agree.
    graph = _graph(tiny)
    graph.remove((KBI["total/alfadorp/2030"], None, None))
    graph.parse(
        data=PREFIXES
        + """<total/alfadorp/2030> a kb:BudgetTotal ; kb:inDocument <document/plan-zuidhoek> ;
    kb:municipality <municipality/alfadorp> ; kb:year 2030 ; schema:value 1234000.0 ;
    kb:computedSum 1235000.0 ; kb:consistent false .""",
        format="turtle",
    )
    page = render_pages(load_site_data(graph))[0]["generated/gemeenten/alfadorp.md"]
    assert _warning(page) == ""
    assert "**Som van de posten** is de optelling" in page


def test_a_printed_source_link_carries_its_address(tiny: Graph) -> None:
    data = load_site_data(tiny)
    relative = render_pages(data)[0]["generated/segmenten/zuidhoek/verblijf.md"]
    absolute = render_pages(data, site_url="https://kennisbank.example.nl/jeugd")[0][
        "generated/segmenten/zuidhoek/verblijf.md"
    ]
    assert 'data-adres="generated/bronnen/' in relative
    addresses = re.findall(r'data-adres="([^"]+)"', absolute)
    assert addresses and all(
        a.startswith("https://kennisbank.example.nl/jeugd/generated/bronnen/") and ".html#p-" in a
        for a in addresses
    )
