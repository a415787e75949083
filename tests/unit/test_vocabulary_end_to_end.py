"""One vocabulary source, end to end: a label added to the ontology is all that extraction, the
site and Word need to know a new wording.

A tiny invented plan names its target-group rubric "Doelgroepomschrijving", a wording the shipped
rubric scheme does not have. With the ontology as shipped the bullet under it belongs to no
rubric; with a copy of the ontology in which the rubric concept has that altLabel, extraction
files it as a target group, the read model puts it under the rubric's heading, and both the site
page and the Word chapter show it there. No Python word list is involved anywhere.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from kb.build.pipeline import build_graph
from kb.ingest.read import ingest
from kb.rdf.namespaces import KBI
from kb.resources import ontology_dir
from kb.settings import Settings
from kb.views.plans import load_plan
from kb.views.site import load_site_data
from kb.views.vocabulary import rubrics

sys.path.insert(0, str(Path(__file__).parents[1]))  # tests/docx_read.py
from docx_read import all_text, open_docx  # noqa: E402

NEW_WORDING = "Doelgroepomschrijving"
TARGET_GROUP = "Jeugdigen van 0 tot 18 jaar die tijdelijk niet thuis kunnen wonen."
RUBRIC = KBI["concept/rubrieken/doelgroep"]

PLAN = f"""# Inkoopplan jeugdhulp Zeeuwse Delta 2027-2030

## Segment 1: Wonen

### {NEW_WORDING}

- {TARGET_GROUP}

### Contractvorm

- Een raamovereenkomst voor vier jaar met twee keer een jaar verlenging.
"""

SOURCES = """documents:
  - file: 2026-05-01_zeeuwse-delta_inkoopplan.md
    title: Inkoopplan jeugdhulp Zeeuwse Delta 2027-2030
    type: inkoopplan
    date: 2026-05-01
    region: Zeeuwse Delta
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "2026-05-01_zeeuwse-delta_inkoopplan.md").write_text(PLAN, encoding="utf-8")
    (folder / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def taught_ontology(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped ontology whose target-group rubric has one more altLabel."""
    copy = tmp_path_factory.mktemp("ontology") / "ontology"
    shutil.copytree(ontology_dir(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "schemes.ttl").open("a", encoding="utf-8") as f:
        f.write(f'\n<{RUBRIC}> <{SKOS.altLabel}> "{NEW_WORDING}"@nl .\n')
    return copy


def _graph(corpus: Path, ontology: Path) -> Graph:
    docs = ingest([corpus]).documents
    graph, _warnings = build_graph(docs, Settings(ontology_dir=ontology))
    store = Graph(store="Oxigraph")  # what a published build is read from
    store += graph
    return store


def _target_groups(graph: Graph) -> list[str]:
    plan = load_plan(graph, "Inkoopplan jeugdhulp Zeeuwse Delta 2027-2030")
    assert [s.label for s in plan.segments] == ["Wonen"]
    return [i.text for i in plan.segments[0].rubric("hasTargetGroup").items]


def test_the_shipped_ontology_does_not_know_the_wording(corpus: Path) -> None:
    graph = _graph(corpus, ontology_dir())
    assert TARGET_GROUP not in _target_groups(graph)


def test_a_label_teaches_extraction_site_and_word(
    corpus: Path, taught_ontology: Path, tmp_path: Path
) -> None:
    from generator.docx.chapter import write_chapter
    from generator.site.pages import render_pages

    graph = _graph(corpus, taught_ontology)
    # Extraction and the read model: the bullet is a target group of the segment.
    assert _target_groups(graph) == [TARGET_GROUP]
    heading = next(r.heading for r in rubrics(graph) if r.key == "hasTargetGroup")

    # The site: the segment page shows it under the rubric's heading.
    pages = render_pages(load_site_data(graph))[0]
    page = next(text for path, text in pages.items() if path.endswith("/wonen.md"))
    section = page.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    assert TARGET_GROUP in section

    # Word: the chapter has the heading and, after it, the target group.
    out = tmp_path / "hoofdstuk.docx"
    write_chapter(graph, "Wonen", out, plan="Inkoopplan jeugdhulp Zeeuwse Delta 2027-2030")
    text = all_text(open_docx(out))
    assert heading in text and TARGET_GROUP in text
    assert text.index(heading) < text.index(TARGET_GROUP)
