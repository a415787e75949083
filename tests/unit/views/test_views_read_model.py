"""The read model on a tiny invented graph: vocabulary from the schemes, segments, budget,
plans and the site bundle (no corpus build)."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from kb.rdf.namespaces import KB, KBI
from kb.views import vocabulary
from kb.views.budget import load_budget
from kb.views.plans import load_plan, load_segment
from kb.views.segments import load_segments
from kb.views.site import load_site_data

PLAN = str(KBI["document/plan-zuidhoek"])
VERBLIJF = str(KBI["segment/zuidhoek/verblijf"])
RUB = "https://w3id.org/jeugdhulp-kb/id/concept/rubrieken/"


def _copy(graph: Graph) -> Graph:
    out = Graph(store="Oxigraph")
    out += graph
    return out


def _scheme_labels(graph: Graph) -> dict[str, str]:
    return {
        str(c): str(label)
        for c, label in graph.subject_objects(SKOS.prefLabel)
        if str(c).startswith(RUB) and label.language == "nl"
    }


def test_rubrics_follow_the_scheme_labels_and_order(tiny: Graph) -> None:
    defs = vocabulary.rubrics(tiny)
    labels = _scheme_labels(tiny)
    in_scheme = [d for d in defs if d.concept]
    assert in_scheme and all(d.heading == labels[d.concept] for d in in_scheme)
    ordinals = [int(tiny.value(URIRef(d.concept), KB.ordinal)) for d in in_scheme]
    assert ordinals == sorted(ordinals)
    # Properties outside the scheme take their range class's label; care forms come last.
    assert defs[-1].key == "hasCareForm"
    care = [str(o) for o in tiny.objects(KB.CareForm, RDFS.label) if o.language == "nl"]
    assert [defs[-1].heading] == care


def test_a_changed_scheme_changes_headings_and_order(tiny: Graph) -> None:
    graph = _copy(tiny)
    target = URIRef(RUB + "planning")
    graph.remove((target, SKOS.prefLabel, None))
    graph.add((target, SKOS.prefLabel, Literal("Tijdpad", lang="nl")))
    graph.set((target, KB.ordinal, Literal(0)))
    defs = vocabulary.rubrics(graph)
    assert (defs[0].key, defs[0].heading) == ("hasMilestone", "Tijdpad")
    segment = load_segments(graph, PLAN)[0]
    assert segment.rubrics[0].heading == "Tijdpad" and len(segment.rubrics[0].items) == 2


def test_instruments_and_aspects_come_from_their_schemes(tiny: Graph) -> None:
    instruments = vocabulary.instruments(tiny)
    assert len(instruments) == 4
    for ins in instruments:
        labels = [
            str(o) for o in tiny.objects(URIRef(ins.iri), SKOS.prefLabel) if o.language == "nl"
        ]
        assert [ins.label] == labels and ins.rubric_key
    aspects = vocabulary.aspects(tiny)
    assert [str(tiny.value(URIRef(a.iri), KB.ordinal)) for a in aspects] == [
        str(n) for n in range(1, len(aspects) + 1)
    ]


def test_segments_items_sources_and_instruments(tiny: Graph) -> None:
    verblijf, ambulant = load_segments(tiny, PLAN)
    assert (verblijf.label, ambulant.label) == ("Verblijf", "Ambulant")  # by segment number
    assert verblijf.region_label == "Zuidhoek" and verblijf.plan_title.startswith("Inkoopplan")
    # Items in document order (kb:ordinal), whatever the order of the triples.
    assert [m.text for m in verblijf.milestones] == ["Start nieuwe contracten", "Evaluatie"]
    first = verblijf.milestones[0]
    assert (first.year, first.month, first.day) == (2030, 7, 1)
    assert [s.section for s in first.sources] == ["§ 3.1 Segment 1: Verblijf › Planning"]
    group = verblijf.items["hasTargetGroup"][0]
    assert (group.min_age, group.max_age, group.number_of_youths) == (4, 17, 1250)
    assert verblijf.related[0].to_segment == str(KBI["segment/zuidhoek/ambulant"])
    assert [s.label for s in verblijf.stakeholders] == ["Wijkteam"]
    # An optional rubric appears only on the segment that has items for it.
    keys = [r.key for r in verblijf.rubrics]
    assert "hasInstrumentChoice" not in keys and "hasCareForm" in keys
    assert "hasInstrumentChoice" in [r.key for r in ambulant.rubrics]
    # Instrument choices of the slides count for their instrument in the summary.
    summary = {s.slug: [i.text for i in s.items] for s in ambulant.instruments}
    assert summary["contractvorm"] == ["Contracten voor vijf jaar."]
    assert {s.slug: len(s.items) for s in verblijf.instruments}["bekostigingsmodel"] == 1


def test_budget_sums_and_stated_totals(tiny: Graph) -> None:
    budget = load_budget(tiny, PLAN)
    assert budget.years == [2030, 2031]
    assert budget.municipalities == ["Alfadorp", "Betastad"]  # by subregion, then name
    assert budget.total(2030) == Decimal(2_034_000)
    assert budget.total(2030, municipality="Alfadorp") == Decimal(1_234_000)
    assert budget.total(2031, subregion="Westrand") == Decimal(810_000)
    assert budget.value("Betastad", "Zorg in natura", 2031) == Decimal(810_000)
    assert budget.value("Betastad", "PGB", 2031) is None
    assert budget.stated_total("Alfadorp", 2030) == Decimal(1_235_000)
    assert budget.stated_total("Oostrand", 2030) == Decimal(1_234_000)
    # The grand total (more than one subregion) has no name and is no stated total of a name.
    assert [t.name for t in budget.totals if len(t.subregions) > 1] == [""]
    assert budget.source is not None and budget.source.document.startswith("Inkoopplan")


def test_plan_bundles_segments_budget_glossary_and_risks(tiny: Graph) -> None:
    plan = load_plan(tiny, "INKOOPPLAN JEUGDHULP ZUIDHOEK 2030")
    assert plan.iri == PLAN and plan.region == "Zuidhoek" and plan.year == 2030
    assert plan.municipalities == ["Alfadorp"]  # the one with kb:inRegion
    assert [c.label for c in plan.glossary] == ["Verblijf"]
    assert plan.glossary[0].alt_labels == ["VB"]
    assert [r.text for r in plan.risks] == ["Te weinig aanbieders voor verblijf."]
    assert plan.risks[0].source is not None
    counts = dict((s.section, n) for s, n in plan.sources())
    assert counts["§ 3.1 Segment 1: Verblijf › Planning"] == 2
    assert plan.heading("hasMilestone") == _scheme_labels(tiny)[RUB + "planning"]


def test_load_segment_by_iri_uses_its_own_plan(tiny: Graph) -> None:
    assert load_segment(tiny, VERBLIJF, "some other plan name").iri == VERBLIJF
    assert load_segment(tiny, "kbi:segment/zuidhoek/verblijf", PLAN).slug == "verblijf"


def test_site_data(tiny: Graph) -> None:
    data = load_site_data(tiny)
    # Every region's segments, also those that no plan describes.
    assert set(data.segments) == {
        VERBLIJF,
        str(KBI["segment/zuidhoek/ambulant"]),
        str(KBI["segment/kuststreek/ambulant"]),
    }
    assert [p.iri for p in data.plans()] == [PLAN]
    wijkteam = data.stakeholders[str(KBI["stakeholder/wijkteam"])]
    assert [seg for seg, _ in wijkteam.mentions] == [VERBLIJF]
    # Choices in the order of the aspect scheme, labelled by it.
    order = [a.slug for a in data.aspects]
    assert [c.aspect for c in data.choices] == sorted(
        (c.aspect for c in data.choices), key=order.index
    )
    labels = {a.slug: a.label for a in data.aspects}
    assert all(c.aspect_label == labels[c.aspect] for c in data.choices)
    assert data.passages_of(PLAN)[0].iri.endswith("/p1")
    assert len(data.budget_lines) == 4 and len(data.budget_totals) == 3
