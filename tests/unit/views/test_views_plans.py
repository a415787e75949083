"""Which plan is the default, and what belongs to one plan: two invented plans of two regions
(``tiny.ttl`` plus the newer ``second_plan.ttl``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kb.rdf.namespaces import KBI
from kb.settings import Settings
from kb.views.lookup import NotFound, default_plan, plans_by_date
from kb.views.plans import load_plan, load_segment, plan_name

SECOND = Path(__file__).parent / "second_plan.ttl"
OLDER = str(KBI["document/plan-zuidhoek"])  # kb:year 2030
NEWER = str(KBI["document/plan-kuststreek"])  # dct:date 2031-03-01


@pytest.fixture(scope="module")
def two(tiny: Graph) -> Graph:
    graph = Graph(store="Oxigraph")
    graph += tiny
    graph.parse(SECOND, format="turtle")
    return graph


def test_the_default_plan_is_the_newest_by_date(two: Graph) -> None:
    assert [iri for iri, _ in plans_by_date(two)] == [NEWER, OLDER]
    assert default_plan(two)[0] == NEWER
    assert load_plan(two, None).iri == NEWER
    # Without a setting, a document names no plan and the newest one is used.
    assert load_plan(two, plan_name(None, Settings(default_plan=None))).iri == NEWER


def test_with_one_plan_that_plan_is_the_default(tiny: Graph) -> None:
    assert default_plan(tiny)[0] == OLDER


def test_the_setting_overrides_the_newest_plan(two: Graph) -> None:
    settings = Settings(default_plan="inkoopplan jeugdhulp zuidhoek 2030")
    assert default_plan(two, settings.default_plan)[0] == OLDER
    assert load_plan(two, plan_name(None, settings)).iri == OLDER
    # A plan named explicitly wins over the setting.
    assert load_plan(two, plan_name("plan-kuststreek", settings)).iri == NEWER
    with pytest.raises(NotFound, match="unknown plan 'Bestaat niet'"):
        default_plan(two, "Bestaat niet")


def test_a_build_without_plans_has_no_default(ontology: Graph) -> None:
    with pytest.raises(NotFound, match="no plan"):
        default_plan(ontology)


def test_a_plans_glossary_is_its_own(two: Graph) -> None:
    assert [c.label for c in load_plan(two, OLDER).glossary] == ["Verblijf"]
    assert [c.label for c in load_plan(two, NEWER).glossary] == ["Perceel"]


def test_a_plans_budget_is_its_own(two: Graph) -> None:
    newer, older = load_plan(two, NEWER).budget, load_plan(two, OLDER).budget
    assert newer.municipalities == ["Gammaveen"] and newer.years == [2031]
    assert "Gammaveen" not in older.municipalities and older.years == [2030, 2031]


def test_a_segment_of_the_default_plan(two: Graph) -> None:
    assert load_segment(two, "jeugd-ggz", None).plan == NEWER
    with pytest.raises(NotFound, match="Jeugd-GGZ"):
        load_segment(two, "verblijf", None)  # Verblijf is a segment of the older plan


def test_a_purchasing_plan_is_the_default_before_newer_slides(two: Graph) -> None:
    # Slides that describe segments are a plan of sorts, but not the one documents default to.
    graph = Graph(store="Oxigraph")
    graph += two
    graph.parse(
        data="""@prefix kb: <https://w3id.org/jeugdhulp-kb/def#> .
        @prefix dct: <http://purl.org/dc/terms/> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <document/slides> a kb:Document ; dct:title "Aanbiederssessie" ;
            dct:date "2032-01-01"^^xsd:date .
        <segment/kuststreek/wonen> a kb:Segment ; rdfs:label "Wonen" ; kb:slug "wonen" ;
            kb:inPlan <document/slides> .""",
        format="turtle",
        publicID=str(KBI[""]),
    )
    slides = str(KBI["document/slides"])
    assert [iri for iri, _ in plans_by_date(graph)] == [NEWER, OLDER, slides]
    assert default_plan(graph)[0] == NEWER
    assert default_plan(graph, "Aanbiederssessie")[0] == slides
