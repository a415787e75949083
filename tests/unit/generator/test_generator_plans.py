"""Every plan gets its documents and pages; the comparison and region pages: rendered from the
tiny invented graph plus a second, newer plan of another region (``second_plan.ttl``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from generator.docx.documents import build_documents, read_index, read_plans
from kb.rdf.namespaces import KB, KBI
from kb.settings import Settings
from kb.views.site import load_site_data

sys.path.insert(0, str(Path(__file__).parents[2]))  # tests/docx_read.py
from docx_read import all_text, open_docx  # noqa: E402

SECOND = Path(__file__).parents[1] / "views" / "second_plan.ttl"
OLDER = str(KBI["document/plan-zuidhoek"])
NEWER = str(KBI["document/plan-kuststreek"])


@pytest.fixture(scope="module")
def two(tiny: Graph) -> Graph:
    graph = Graph(store="Oxigraph")
    graph += tiny
    graph.parse(SECOND, format="turtle")
    return graph


@pytest.fixture(scope="module")
def pages(two: Graph) -> dict[str, str]:
    from generator.site.pages import render_pages

    return render_pages(load_site_data(two))[0]


def test_documents_for_every_plan_in_its_own_folder(two: Graph, tmp_path: Path) -> None:
    entries = build_documents(tmp_path, Settings(default_plan=None), graph=two)
    folder = tmp_path / "documents"
    by_plan = {e.plan: e for e in entries if e.kind == "plan"}
    assert set(by_plan) == {OLDER, NEWER}
    assert by_plan[NEWER].file == "plan-kuststreek/inkoopplan.docx"
    assert by_plan[OLDER].file == "plan-zuidhoek/inkoopplan.docx"
    chapters = {(e.plan, e.segment_slug) for e in entries if e.kind == "chapter"}
    assert chapters == {(OLDER, "verblijf"), (OLDER, "ambulant"), (NEWER, "jeugd-ggz")}
    for entry in entries:
        assert (folder / entry.file).is_file(), entry
    assert read_index(folder) == entries
    # The newest plan is the default; each plan's document holds its own glossary only.
    plans = {p.iri: p for p in read_plans(folder)}
    assert plans[NEWER].default and not plans[OLDER].default
    assert json.loads((folder / "index.json").read_text())["plan"] == plans[NEWER].title
    newer_text = all_text(open_docx(folder / by_plan[NEWER].file))
    older_text = all_text(open_docx(folder / by_plan[OLDER].file))
    verblijf = "Jeugdhulp waarbij de jeugdige elders woont"  # the older plan's definition
    assert "Perceel" in newer_text and verblijf not in newer_text
    assert verblijf in older_text
    assert "Deel van een aanbesteding" not in older_text


def test_the_setting_chooses_the_default_plan(two: Graph, tmp_path: Path) -> None:
    settings = Settings(default_plan="Inkoopplan jeugdhulp Zuidhoek 2030")
    build_documents(tmp_path, settings, graph=two)
    plans = {p.iri: p.default for p in read_plans(tmp_path / "documents")}
    assert plans == {OLDER: True, NEWER: False}


def test_a_build_without_plans_writes_no_plan_documents(tiny: Graph, tmp_path: Path) -> None:
    # Letters and articles only: segments of no plan.
    letters = Graph(store="Oxigraph")
    letters += (t for t in tiny if t[1] != KB.inPlan)
    assert build_documents(tmp_path, Settings(default_plan=None), graph=letters) == []
    folder = tmp_path / "documents"
    assert read_index(folder) == [] and read_plans(folder) == []
    assert not list(folder.glob("**/*.docx"))


def test_every_plan_has_its_page_with_its_own_glossary(pages: dict[str, str]) -> None:
    older = pages["generated/plannen/plan-zuidhoek.md"]
    newer = pages["generated/plannen/plan-kuststreek.md"]
    newer_glossary = newer.split("## Begrippen")[1].split("## Financiën")[0]
    older_glossary = older.split("## Begrippen")[1].split("## Financiën")[0]
    assert "Jeugd-GGZ" in newer and "Perceel" in newer_glossary
    assert "Verblijf" not in newer_glossary
    assert "Perceel" not in older and "Verblijf" in older_glossary


def test_the_comparison_skips_regions_without_choices(pages: dict[str, str]) -> None:
    page = pages["generated/vergelijking.md"]
    header = next(line for line in page.splitlines() if line.startswith("| Onderwerp"))
    assert "Zuidhoek" in header and "Kuststreek" not in header
    assert "Regio's zonder vastgelegde keuzes staan niet in" in page
    # Only aspects some region records are rows.
    rows = [line.split("|")[1].strip() for line in page.splitlines()
            if line.startswith("| ") and "---" not in line][1:]  # fmt: skip
    assert sorted(rows) == ["Inkoopmodel", "Startdatum"]


def test_with_many_regions_the_comparison_has_a_row_per_region(two: Graph) -> None:
    from generator.site.compare import COMPARISON_COLUMNS
    from generator.site.pages import render_pages

    graph = Graph(store="Oxigraph")
    graph += two
    aspect = "https://w3id.org/jeugdhulp-kb/id/concept/keuze-aspecten/inkoopmodel"
    names = [f"Regio{n}" for n in range(COMPARISON_COLUMNS + 1)]
    turtle = (
        "@prefix kb: <https://w3id.org/jeugdhulp-kb/def#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f"@base <{KBI['']}> .\n"
        + "\n".join(
            f'<region/{n.lower()}> a kb:Region ; rdfs:label "{n}" .\n'
            f"<choice/{n.lower()}/1> a kb:RegionalChoice ; kb:region <region/{n.lower()}> ; "
            f'kb:aspect <{aspect}> ; kb:value "Open house {n}" .'
            for n in names
        )
    )
    graph.parse(data=turtle, format="turtle")
    page = render_pages(load_site_data(graph))[0]["generated/vergelijking.md"]
    lines = page.splitlines()
    assert any(line.startswith("| Regio | ") and "Inkoopmodel" in line for line in lines)
    region_rows = [line for line in lines if line.startswith("| [")]
    assert len(region_rows) == len(names) + 1  # and Zuidhoek; Kuststreek has no choice
    row = next(line for line in region_rows if "Regio3" in line.split("|")[1])
    assert "Open house Regio3" in row


def test_a_region_page_lists_its_municipalities_with_codes(pages: dict[str, str]) -> None:
    page = pages["generated/regios/kuststreek.md"]
    assert "noemen geen afzonderlijke gemeenten" not in page
    gamma = next(line for line in page.splitlines() if "Gammaveen" in line and "0999" in line)
    assert "(https://identifier.overheid.nl/tooi/id/gemeente/gm0999" in gamma
    assert "De gemeenten Gammaveen en Deltadam" in gamma  # the source quote
    delta = next(line for line in page.splitlines() if "Deltadam" in line and "0998" in line)
    assert "uitsluitend voor verblijf" in delta
    former = next(line for line in page.splitlines() if line.startswith("| Oud-Deltadam"))
    assert "opgegaan in Deltadam" in former


def test_a_municipality_page_shows_its_cbs_code(pages: dict[str, str]) -> None:
    assert "| CBS-code | 0999 |" in pages["generated/gemeenten/gammaveen.md"]
    assert "| CBS-code | niet in het gemeenteregister |" in pages["generated/gemeenten/alfadorp.md"]


def test_the_glossary_index_names_each_terms_plan(pages: dict[str, str]) -> None:
    index = pages["generated/begrippen/index.md"]
    perceel = next(line for line in index.splitlines() if line.startswith("- [Perceel]"))
    verblijf = next(line for line in index.splitlines() if line.startswith("- [Verblijf]"))
    assert "Inkoopstrategie jeugdhulp Kuststreek 2031" in perceel
    assert "Inkoopplan jeugdhulp Zuidhoek 2030" in verblijf


def test_grand_totals_are_per_plan(pages: dict[str, str]) -> None:
    # One plan states a grand total: one plain "Totaal" row, with that plan's amount.
    rows = [line for line in pages["generated/financien.md"].splitlines() if "**Totaal" in line]
    assert len(rows) == 1 and rows[0].startswith("| **Totaal volgens het plan** |")
    assert "2.034.000" in rows[0]
