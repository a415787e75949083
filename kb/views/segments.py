"""Segments and their items per rubric: one :class:`Segment` for the site and for Word.

A segment's items are grouped by the segment property that holds them (``hasTargetGroup`` …);
:attr:`Segment.rubrics` puts them under the rubric headings of the scheme, in the plan's order.
Every item keeps the passage it came from and its sources (document title and section).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph

from kb.rdf.namespaces import KB
from kb.views.documents import Source, sources_by_fact
from kb.views.format import period
from kb.views.organisations import Stakeholder
from kb.views.query import iri, rows, to_dec, to_int, to_str
from kb.views.vocabulary import CARE_FORMS, Instrument, RubricDef, instruments, rubrics


@dataclass
class Item:
    """One bullet of a rubric (a target group, a goal, a milestone …) with its provenance."""

    iri: str
    text: str
    ordinal: int = 0
    kind: str = ""  # the segment property that holds it, e.g. hasMilestone
    label: str = ""
    passage: str | None = None  # the first passage it was derived from (for links)
    sources: list[Source] = field(default_factory=list)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    # The end of a period ("1 juli - 31 december 2021"); None for a single date, month or year.
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    min_years: Decimal | None = None
    max_years: Decimal | None = None
    number_of_youths: int | None = None
    serves_task: str | None = None
    to_segment: str | None = None
    to_segment_label: str | None = None
    stakeholder: str | None = None  # the stakeholder a mention names
    instrument: str | None = None  # the instrument concept a choice is about

    @property
    def when(self) -> str:
        """Its date in Dutch: "2021", "juli 2021", "1 juli 2021" or a period "1 juli – 31
        december 2021"; empty without a year."""
        return period(
            self.year, self.month, self.day, (self.end_year, self.end_month, self.end_day)
        )

    @property
    def short(self) -> str:
        """The label if there is one (shortened by the extractor), else the text."""
        return self.label or self.text

    @property
    def method(self) -> str:
        """How the item was obtained, in Dutch (from its first source), "" if unknown."""
        return self.sources[0].method if self.sources else ""

    @property
    def proposed(self) -> bool:
        """Whether a prose pattern proposed it and nobody checked it yet."""
        return any(s.proposed for s in self.sources)


@dataclass
class Rubric:
    """A rubric of a segment (e.g. Doelgroep) and its items in document order."""

    key: str
    heading: str
    items: list[Item]


@dataclass
class InstrumentSummary:
    """A purchasing instrument and what a segment chose for it."""

    slug: str
    label: str
    definition: str
    items: list[Item]


@dataclass
class Segment:
    """A segment with its items per rubric, stakeholders and instrument choices."""

    iri: str
    label: str
    slug: str
    number: int | None = None
    region: str | None = None  # IRI
    region_label: str = ""
    plan: str | None = None  # IRI of the document that describes it
    plan_title: str = ""
    passage: str | None = None
    items: dict[str, list[Item]] = field(default_factory=dict)
    rubrics: list[Rubric] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    instruments: list[InstrumentSummary] = field(default_factory=list)

    def rubric(self, key: str) -> Rubric:
        """The rubric with property name ``key`` (an empty one if the segment lacks it)."""
        for rubric in self.rubrics:
            if rubric.key == key:
                return rubric
        return Rubric(key, key, self.items.get(key, []))

    @property
    def care_forms(self) -> list[Item]:
        """The care forms (zorgvormen) of the segment."""
        return self.items.get(CARE_FORMS, [])

    @property
    def research_questions(self) -> list[Item]:
        """The open research questions of the segment."""
        return self.items.get("hasResearchQuestion", [])

    @property
    def milestones(self) -> list[Item]:
        """Milestones in document order."""
        return self.items.get("hasMilestone", [])

    @property
    def related(self) -> list[Item]:
        """Relations to other segments (``to_segment_label`` names the other one)."""
        return self.items.get("hasSegmentRelation", [])

    @property
    def passages(self) -> list[str]:
        """Passages of the segment and of all its items."""
        found = [self.passage] if self.passage else []
        return found + [i.passage for items in self.items.values() for i in items if i.passage]

    def facts(self) -> list[tuple[str, Item]]:
        """(rubric heading, item) for every item, in the order the chapter shows them."""
        return [(r.heading, i) for r in self.rubrics for i in r.items]


def segment_order(segment: Segment) -> tuple[int, str]:
    """Sort key: the segment number of the plan, then the label."""
    return (segment.number if segment.number is not None else 999, segment.label)


def _items(graph: Graph, defs: list[RubricDef], where: str) -> dict[str, dict[str, list[Item]]]:
    """segment IRI → property → items, for the segments ``where`` selects (binds ?s)."""
    props = " ".join(f"kb:{d.key}" for d in defs)
    found = rows(
        graph,
        f"""SELECT ?s ?prop ?i ?text ?label ?o
          (MIN(COALESCE(STR(?p), "")) AS ?pas) ?minAge ?maxAge ?youths
          ?year ?month ?day ?endY ?endM ?endD ?minY ?maxY ?task ?to ?toLabel ?instrument ?mentions
          WHERE {{
          VALUES ?prop {{ {props} }}
          {where} ?s ?prop ?i .
          OPTIONAL {{ ?i kb:text ?text }} OPTIONAL {{ ?i rdfs:label ?label }}
          OPTIONAL {{ ?i kb:ordinal ?o }} OPTIONAL {{ ?i prov:wasDerivedFrom ?p }}
          OPTIONAL {{ ?i kb:minAge ?minAge }} OPTIONAL {{ ?i kb:maxAge ?maxAge }}
          OPTIONAL {{ ?i kb:numberOfYouths ?youths }} OPTIONAL {{ ?i kb:year ?year }}
          OPTIONAL {{ ?i kb:month ?month }} OPTIONAL {{ ?i kb:day ?day }}
          OPTIONAL {{ ?i kb:endYear ?endY }} OPTIONAL {{ ?i kb:endMonth ?endM }}
          OPTIONAL {{ ?i kb:endDay ?endD }}
          OPTIONAL {{ ?i kb:minDurationYears ?minY }} OPTIONAL {{ ?i kb:maxDurationYears ?maxY }}
          OPTIONAL {{ ?i kb:servesTask ?task }}
          OPTIONAL {{ ?i kb:toSegment ?to OPTIONAL {{ ?to rdfs:label ?toLabel }} }}
          OPTIONAL {{ ?i kb:instrument ?instrument }} OPTIONAL {{ ?i kb:mentions ?mentions }}
        }} GROUP BY ?s ?prop ?i ?text ?label ?o ?minAge ?maxAge ?youths ?year ?month ?day ?endY
          ?endM ?endD ?minY ?maxY ?task ?to ?toLabel ?instrument ?mentions""",
    )
    sources = sources_by_fact(graph, f"VALUES ?prop {{ {props} }} {where} ?s ?prop ?fact .")
    out: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
    seen: set[tuple[str, str]] = set()
    for r in found:
        if (r["s"], r["i"]) in seen:
            continue  # a second label or type from the OPTIONALs: the first row is enough
        seen.add((r["s"], r["i"]))
        prop = str(r["prop"]).removeprefix(str(KB))
        out[r["s"]][prop].append(
            Item(
                iri=r["i"],
                text=(to_str(r["text"]) or to_str(r["label"])).strip(),
                ordinal=to_int(r["o"]) or 0,
                kind=prop,
                label=to_str(r["label"]).strip(),
                passage=r["pas"] or None,
                sources=sources.get(r["i"], []),
                year=to_int(r["year"]),
                month=to_int(r["month"]),
                day=to_int(r["day"]),
                end_year=to_int(r["endY"]),
                end_month=to_int(r["endM"]),
                end_day=to_int(r["endD"]),
                min_age=to_int(r["minAge"]),
                max_age=to_int(r["maxAge"]),
                min_years=to_dec(r["minY"]),
                max_years=to_dec(r["maxY"]),
                number_of_youths=to_int(r["youths"]),
                serves_task=r["task"],
                to_segment=r["to"],
                to_segment_label=r["toLabel"],
                stakeholder=r["mentions"],
                instrument=r["instrument"],
            )
        )
    for by_prop in out.values():
        for items in by_prop.values():
            items.sort(key=lambda i: (i.ordinal, i.iri))
    return out


def _summaries(segment: Segment, known: list[Instrument]) -> list[InstrumentSummary]:
    """Each instrument with the segment's choices: the rubric of the same concept (plans) and
    the choices per steering instrument (slides)."""
    choices = segment.items.get("hasInstrumentChoice", [])
    out = []
    for ins in known:
        items = list(segment.items.get(ins.rubric_key or "", []))
        items += [i for i in choices if i.instrument == ins.iri]
        out.append(InstrumentSummary(ins.slug, ins.label, ins.definition, items))
    return out


def load_segments(graph: Graph, plan: str | None = None) -> list[Segment]:
    """The segments of ``plan`` (a document IRI), or of every plan and region when None, with
    their items per rubric, stakeholders and instrument choices, in plan order."""
    # The plan first: starting from every segment of the graph cost time per plan in proportion
    # to the whole corpus.
    where = (f"?s kb:inPlan {iri(plan)} . " if plan else "") + "?s a kb:Segment ."
    defs = rubrics(graph)
    known = instruments(graph)
    found = rows(
        graph,
        f"""SELECT ?s ?l ?slug ?reg ?regl ?plan ?title ?num
          (MIN(COALESCE(STR(?p), "")) AS ?pas) WHERE {{
          {where} ?s rdfs:label ?l .
          OPTIONAL {{ ?s kb:slug ?slug }} OPTIONAL {{ ?s kb:segmentNumber ?num }}
          OPTIONAL {{ ?s kb:ofRegion ?reg OPTIONAL {{ ?reg rdfs:label ?regl }} }}
          OPTIONAL {{ ?s kb:inPlan ?plan OPTIONAL {{ ?plan dct:title ?title }} }}
          OPTIONAL {{ ?s prov:wasDerivedFrom ?p }} }}
        GROUP BY ?s ?l ?slug ?reg ?regl ?plan ?title ?num""",
    )
    items = _items(graph, defs, where)
    holders = rows(
        graph,
        f"""SELECT DISTINCT ?s ?st ?label WHERE {{
          {where} ?s kb:hasStakeholder ?st . ?st rdfs:label ?label }}""",
    )
    stakeholders: dict[str, list[Stakeholder]] = defaultdict(list)
    for r in holders:
        stakeholders[r["s"]].append(Stakeholder(r["st"], r["label"]))
    segments: dict[str, Segment] = {}
    for r in found:
        if r["s"] in segments:
            continue
        by_prop = dict(items.get(r["s"], {}))
        segment = Segment(
            iri=r["s"],
            label=r["l"],
            slug=r["slug"] or r["s"].rsplit("/", 1)[-1],
            number=to_int(r["num"]),
            region=r["reg"],
            region_label=to_str(r["regl"]),
            plan=r["plan"],
            plan_title=to_str(r["title"]),
            passage=r["pas"] or None,
            items=by_prop,
            rubrics=[
                Rubric(d.key, d.heading, by_prop.get(d.key, []))
                for d in defs
                if not d.optional or by_prop.get(d.key)
            ],
            stakeholders=sorted(stakeholders.get(r["s"], []), key=lambda s: s.label.casefold()),
        )
        segment.instruments = _summaries(segment, known)
        segments[r["s"]] = segment
    return sorted(segments.values(), key=segment_order)
