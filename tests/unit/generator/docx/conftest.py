"""The tiny graph plus items with labels the extractor cut short (``cut.ttl``), and the four
documents (chapter, plan, raadsvoorstel for a segment and for the plan) written from it once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Graph

CUT = Path(__file__).parent / "cut.ttl"
TITLE = "Inkoopplan jeugdhulp Zuidhoek 2030"
FIXED = dt.datetime(2026, 1, 1)


@pytest.fixture(scope="session")
def cut_graph(tiny: Graph) -> Graph:
    """The tiny graph with three cut labels (a contract form, a task and a goal under it)."""
    graph = Graph(store="Oxigraph")
    graph += tiny
    graph.parse(CUT, format="turtle")
    return graph


def write_all(graph: Graph, folder: Path, template: Path | None = None) -> dict[str, Path]:
    """The four document types written to ``folder`` (fixed time) by kind."""
    from generator.docx.chapter import write_chapter
    from generator.docx.plan import write_plan
    from generator.docx.raadsvoorstel import write_raadsvoorstel

    kw = {"plan": TITLE, "template": template, "fixed_time": FIXED}
    return {
        "chapter": write_chapter(graph, "verblijf", folder / "chapter.docx", **kw),
        "plan": write_plan(graph, folder / "plan.docx", **kw),
        "raadsvoorstel": write_raadsvoorstel(
            graph, folder / "raadsvoorstel.docx", segment="verblijf", **kw
        ),
        "raadsvoorstel-plan": write_raadsvoorstel(graph, folder / "rv-plan.docx", **kw),
    }


@pytest.fixture(scope="session")
def write_documents():  # type: ignore[no-untyped-def]
    """:func:`write_all`, for tests that write with their own template or at another time."""
    return write_all


@pytest.fixture(scope="module")
def written(cut_graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The four documents of the cut graph on the bundled template."""
    return write_all(cut_graph, tmp_path_factory.mktemp("docs"))
