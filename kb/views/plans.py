"""A purchasing plan with everything a whole-plan document or a raadsvoorstel shows.

The plan aggregates the subject modules (segments, budget, glossary, region facts); it holds no
query of its own beyond the plan's metadata.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef

from kb.views.budget import Budget, load_budget
from kb.views.choices import RegionFact, load_region_facts
from kb.views.documents import Source
from kb.views.glossary import Concept, load_glossary
from kb.views.lookup import find_segment, resolve_plan
from kb.views.query import iri, rows, to_int, to_str
from kb.views.segments import Segment, load_segments
from kb.views.vocabulary import Instrument, RubricDef, instruments, rubrics


def plan_name(plan: str | None, settings: Any = None) -> str | None:
    """The plan a document is about: ``plan`` when given, else the setting ``default_plan``;
    None (neither) lets :func:`load_plan` take the newest plan in the build."""
    from kb.settings import coerce_settings

    return plan or coerce_settings(settings).default_plan or None


@dataclass
class Plan:
    """A purchasing plan: its segments, instruments, budget, glossary and the region's risks."""

    iri: str
    title: str
    region: str  # the region's label
    year: int | None
    municipalities: list[str]  # every member of the region, by name
    segments: list[Segment]
    instruments: list[Instrument]
    budget: Budget
    glossary: list[Concept]
    risks: list[RegionFact]
    document_type: str = ""
    region_iri: str | None = None
    rubrics: list[RubricDef] = field(default_factory=list)
    #: Of the municipalities, the members that buy their youth care in a purchase of their own
    #: (not through this plan): ``kb:ownPurchasing``.
    own_purchasing: list[str] = field(default_factory=list)

    def heading(self, key: str) -> str:
        """The heading of the rubric whose items property ``key`` holds (from the scheme)."""
        return next((r.heading for r in self.rubrics if r.key == key), key)

    def segment(self, name: str) -> Segment:
        """A segment by label, slug or IRI, case-insensitively (see :mod:`kb.views.lookup`)."""
        return find_segment(self.segments, name, self.title)

    def sources(self) -> list[tuple[Source, int]]:
        """Distinct sources (document and section) of all segment facts with the number of
        facts each supports."""
        counts: dict[Source, int] = defaultdict(int)
        for seg in self.segments:
            for _, item in seg.facts():
                for src in item.sources:
                    counts[Source(src.document, src.section, src.document_iri)] += 1
        return sorted(counts.items())


@dataclass(frozen=True)
class PlanVocabulary:
    """What every plan of one graph shares: the instruments and rubrics of the vocabulary.
    Loaded once when many plans are loaded from the same graph (the Word documents of a build)."""

    instruments: list[Instrument]
    rubrics: list[RubricDef]

    @classmethod
    def load(cls, graph: Graph) -> PlanVocabulary:
        """The shared vocabulary of ``graph``."""
        return cls(instruments(graph), rubrics(graph))


def load_plan(graph: Graph, plan: str | None, vocabulary: PlanVocabulary | None = None) -> Plan:
    """The plan named by title, document id or IRI (None: the newest plan in the build), with
    all it shows; its glossary and budget come from the plan's own document only.
    ``vocabulary`` is :meth:`PlanVocabulary.load` of the same graph, when the caller has it."""
    shared = vocabulary or PlanVocabulary.load(graph)
    plan_iri, title = resolve_plan(graph, plan)
    meta = rows(
        graph,
        f"""SELECT ?r ?region ?year ?type WHERE {{
          OPTIONAL {{ {iri(plan_iri)} kb:aboutRegion ?r OPTIONAL {{ ?r rdfs:label ?region }} }}
          OPTIONAL {{ {iri(plan_iri)} kb:year ?year }}
          OPTIONAL {{ {iri(plan_iri)} kb:documentType ?type }} }}""",
    )
    m = meta[0] if meta else {}
    region = m.get("r")
    municipalities = rows(
        graph,
        f"""SELECT DISTINCT ?label ?own WHERE {{
          {iri(plan_iri)} kb:aboutRegion ?r . ?m a kb:Municipality ; kb:inRegion ?r ;
          rdfs:label ?label OPTIONAL {{ ?m kb:ownPurchasing ?own }} }} ORDER BY ?label""",
    )
    return Plan(
        iri=plan_iri,
        title=title,
        region=to_str(m.get("region")),
        year=to_int(m.get("year")),
        municipalities=[str(r["label"]) for r in municipalities],
        own_purchasing=[str(r["label"]) for r in municipalities if r["own"] is True],
        segments=load_segments(graph, plan_iri),
        instruments=list(shared.instruments),
        budget=load_budget(graph, plan_iri),
        glossary=load_glossary(graph, plan_iri),
        risks=load_region_facts(graph, region=region, kinds=("Risk",)) if region else [],
        document_type=to_str(m.get("type")),
        region_iri=region,
        rubrics=list(shared.rubrics),
    )


def load_segment(graph: Graph, segment: str | URIRef, plan: str | None) -> Segment:
    """One segment (label, slug or IRI, case-insensitive) of ``plan`` (None: the newest plan);
    an IRI names its own plan (the server passes IRIs of any region's segments)."""
    from kb.views.lookup import expand

    full = expand(str(segment).strip())
    if full:
        found = rows(graph, f"SELECT ?plan WHERE {{ {iri(full)} kb:inPlan ?plan }}")
        if found:
            plan = str(found[0]["plan"])
    plan_iri, title = resolve_plan(graph, plan)
    return find_segment(load_segments(graph, plan_iri), str(segment), title)
