"""Site pages and Word documents rendered from the tiny invented graph: headings come from the
scheme, amounts and dates from generator/format.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import Graph

from generator.format import euro
from kb.views.site import load_site_data
from kb.views.vocabulary import rubrics

sys.path.insert(0, str(Path(__file__).parents[2]))  # tests/docx_read.py
from docx_read import all_text, headings, open_docx  # noqa: E402

TITLE = "Inkoopplan jeugdhulp Zuidhoek 2030"


@pytest.fixture(scope="module")
def pages(tiny: Graph) -> dict[str, str]:
    from generator.site.pages import render_pages

    return render_pages(load_site_data(tiny))[0]


def test_segment_page_headings_follow_the_scheme(tiny: Graph, pages: dict[str, str]) -> None:
    page = pages["generated/segmenten/zuidhoek/verblijf.md"]
    h2 = [line[3:] for line in page.splitlines() if line.startswith("## ")]
    expected = [r.heading for r in rubrics(tiny)]
    shown = [h for h in h2 if h in expected]
    assert shown == sorted(shown, key=expected.index)
    heading = {r.key: r.heading for r in rubrics(tiny)}
    shown_keys = {k for k, h in heading.items() if h in shown}
    assert {"hasTargetGroup", "hasMilestone", "hasCareForm"} <= shown_keys
    # Milestone dates in Dutch, as precise as the source (start and end of the period).
    assert "| Start nieuwe contracten | 1 juli 2030 | 1 juli 2030 |" in page
    assert "| Evaluatie | maart 2031 | maart 2031 |" in page


def test_budget_pages_use_one_euro_format(pages: dict[str, str]) -> None:
    page = pages["generated/gemeenten/alfadorp.md"]
    assert euro(1_235_000) in page and euro(1_000) in page
    assert "€ " not in page  # always a no-break space after the euro sign
    # Columns are the framework's own years, not a fixed range.
    assert "| Product | 2030 | 2031 | Bron |" in page


def test_comparison_rows_are_the_aspects_of_the_scheme(tiny: Graph, pages: dict[str, str]) -> None:
    data = load_site_data(tiny)
    rows = [line.split("|")[1].strip() for line in pages["generated/vergelijking.md"].splitlines()
            if line.startswith("| ") and "---" not in line][1:]  # fmt: skip
    # The aspects some region records, in scheme order (no row of only "niet vermeld").
    recorded = {c.aspect for c in data.choices}
    assert rows == [a.label for a in data.aspects if a.slug in recorded]
    assert len(rows) == 2 < len(data.aspects)


def test_chapter_headings_follow_the_scheme(tiny: Graph, tmp_path: Path) -> None:
    from generator.docx.chapter import write_chapter

    out = write_chapter(tiny, "verblijf", tmp_path / "c.docx", plan=TITLE)
    level2 = [t for level, t in headings(open_docx(out)) if level == 2]
    defs = [r for r in rubrics(tiny) if not r.optional]
    assert level2 == ["Samenvatting inkoopinstrumenten", *(r.heading for r in defs), "Bronnen"]


def test_raadsvoorstel_amounts_and_dates(tiny: Graph, tmp_path: Path) -> None:
    from generator.docx.raadsvoorstel import write_raadsvoorstel

    out = write_raadsvoorstel(tiny, tmp_path / "r.docx", plan=TITLE, segment="verblijf")
    text = all_text(open_docx(out))
    assert f"in totaal {euro(2_844_000)}" in text
    assert "1 juli 2030" in text and "maart 2031" in text
