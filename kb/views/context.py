"""The generators' view of the graph: SPARQL → plain dataclasses, nothing rendered here.

One module answers every question the Word documents ask (and the site may ask): the plan, its
segments with all rubrics in the order of the purchasing plan, the instruments, stakeholders,
research questions, milestones, related segments, the budget and the glossary. Every item keeps
the sources it was derived from (document title and section), so a document can cite them.
All lists are sorted, so documents rendered from them come out the same on every build.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, URIRef

from kb.errors import KbError
from kb.rdf.namespaces import KB, SCHEME_GLOSSARY, SCHEME_INSTRUMENTS
from kb.rdf.store import query


class ContextError(KbError):
    """A plan or segment could not be found; the message lists the known names."""


def plan_name(plan: str | None, settings: Any = None) -> str:
    """The plan a document is about: ``plan`` when given, else the setting ``default_plan``."""
    from kb.settings import coerce_settings

    return plan or str(coerce_settings(settings).default_plan)


#: Segment rubrics in the order of the purchasing plan (DOMAIN.md): property → Dutch heading.
#: Ontwikkelpotentieel and Keuzes per sturingselement are the Noord-Limburg variants; they
#: are shown only when a segment has them.
RUBRICS: tuple[tuple[str, str], ...] = (
    ("hasTargetGroup", "Doelgroepen"),
    ("hasLandscapeItem", "Huidig landschap"),
    ("hasDevelopmentTask", "Ontwikkelopgaven"),
    ("hasDevelopmentPotential", "Ontwikkelpotentieel"),
    ("hasPurchasingGoal", "Inkoopdoelen"),
    ("hasAccessManagement", "Toegangsmanagement"),
    ("hasSupplierManagement", "Leveranciersmanagement"),
    ("hasContractForm", "Contractvorm"),
    ("hasFundingModel", "Bekostigingsmodel"),
    ("hasPurchasingModel", "Inkoopmodel"),
    ("hasInstrumentChoice", "Keuzes per sturingselement"),
    ("hasPrecondition", "Randvoorwaarden"),
    ("hasStakeholderMention", "Stakeholders"),
    ("hasResearchQuestion", "Onderzoeksvragen"),
    ("hasMilestone", "Planning"),
    ("hasSegmentRelation", "Raakvlakken met andere segmenten"),
)
#: Rubrics a plan segment always has (shown with a placeholder when the graph has no items).
OPTIONAL_RUBRICS = frozenset({"hasDevelopmentPotential", "hasInstrumentChoice"})
CARE_FORMS = ("hasCareForm", "Zorgvormen")

#: The four purchasing instruments: concept slug → rubric property.
INSTRUMENTS: tuple[tuple[str, str], ...] = (
    ("toegangsmanagement", "hasAccessManagement"),
    ("leveranciersmanagement", "hasSupplierManagement"),
    ("contractvorm", "hasContractForm"),
    ("bekostigingsmodel", "hasFundingModel"),
)

MONTHS_NL = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


@dataclass(frozen=True, order=True)
class Source:
    """Where a fact comes from: document title and section (number and title)."""

    document: str
    section: str
    document_iri: str = ""
    passage_iri: str = ""

    @property
    def citation(self) -> str:
        """``Document, section`` as cited in a document."""
        return f"{self.document}, {self.section}" if self.section else self.document


@dataclass
class Item:
    """One bullet of a rubric (a target group, a goal, a milestone …) with its sources."""

    iri: str
    text: str
    ordinal: int
    label: str = ""
    sources: list[Source] = field(default_factory=list)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    min_years: Decimal | None = None
    max_years: Decimal | None = None
    number_of_youths: int | None = None
    serves_task: str | None = None
    to_segment: str | None = None
    to_segment_label: str | None = None
    stakeholder: str | None = None
    instrument: str | None = None

    @property
    def short(self) -> str:
        """The label if there is one (shortened by the extractor), else the text."""
        return self.label or self.text

    @property
    def when(self) -> str:
        """``2021``, ``juli 2021`` or ``1 juli 2021`` for milestones; empty otherwise."""
        if self.year is None:
            return ""
        parts = [str(self.year)]
        if self.month:
            parts.insert(0, MONTHS_NL[self.month - 1])
            if self.day:
                parts.insert(0, str(self.day))
        return " ".join(parts)


@dataclass
class Rubric:
    """A rubric of a segment (e.g. Doelgroepen) and its items in document order."""

    key: str
    heading: str
    items: list[Item]


@dataclass
class Stakeholder:
    """A shared stakeholder entity named by one or more segments."""

    iri: str
    label: str


@dataclass
class InstrumentSummary:
    """One of the four purchasing instruments and what a segment chose for it."""

    slug: str
    label: str
    definition: str
    items: list[Item]


@dataclass
class SegmentContext:
    """Everything a segment chapter shows."""

    iri: str
    label: str
    slug: str
    number: int | None
    plan_iri: str
    plan_title: str
    region: str
    rubrics: list[Rubric]
    care_forms: list[Item]
    stakeholders: list[Stakeholder]
    instruments: list[InstrumentSummary]

    def rubric(self, key: str) -> Rubric:
        """The rubric with property name ``key`` (an empty one if the segment lacks it)."""
        for rubric in self.rubrics:
            if rubric.key == key:
                return rubric
        heading = dict(RUBRICS).get(key, key)
        return Rubric(key, heading, [])

    @property
    def research_questions(self) -> list[Item]:
        """The open research questions of the segment."""
        return self.rubric("hasResearchQuestion").items

    @property
    def milestones(self) -> list[Item]:
        """Milestones in document order."""
        return self.rubric("hasMilestone").items

    @property
    def related(self) -> list[Item]:
        """Relations to other segments (``to_segment_label`` names the other one)."""
        return self.rubric("hasSegmentRelation").items

    def facts(self) -> list[tuple[str, Item]]:
        """(rubric heading, item) for every item, in the order the chapter shows them."""
        out = [(r.heading, i) for r in self.rubrics for i in r.items]
        out += [(CARE_FORMS[1], i) for i in self.care_forms]
        return out


@dataclass(frozen=True)
class BudgetLine:
    """A budget line of a municipality for one product and year."""

    municipality: str
    subregion: str
    product: str
    year: int
    value: Decimal


@dataclass(frozen=True)
class StatedTotal:
    """A total as printed in the source (for a municipality, subregion or the whole plan)."""

    name: str
    year: int
    value: Decimal


@dataclass
class Budget:
    """The financial framework: budget lines and the sums computed from them."""

    lines: list[BudgetLine]
    stated: list[StatedTotal]
    source: Source | None = None

    @property
    def years(self) -> list[int]:
        """Years with budget lines, ascending."""
        return sorted({line.year for line in self.lines})

    @property
    def municipalities(self) -> list[str]:
        """Municipalities with budget lines, ordered by subregion, then name."""
        pairs = {(line.subregion, line.municipality) for line in self.lines}
        return [m for _, m in sorted(pairs)]

    @property
    def subregions(self) -> list[str]:
        """Subregions with budget lines, by name."""
        return sorted({line.subregion for line in self.lines})

    def products(self, municipality: str) -> list[str]:
        """Products of a municipality in the order they first appear (sorted for stability)."""
        return sorted({ln.product for ln in self.lines if ln.municipality == municipality})

    def value(self, municipality: str, product: str, year: int) -> Decimal | None:
        """The value of one budget line, or None if there is none."""
        for line in self.lines:
            if (line.municipality, line.product, line.year) == (municipality, product, year):
                return line.value
        return None

    def total(
        self, year: int, *, municipality: str | None = None, subregion: str | None = None
    ) -> Decimal:
        """Sum of the lines of a year, for one municipality, one subregion or everything."""
        return sum(
            (
                line.value
                for line in self.lines
                if line.year == year
                and (municipality is None or line.municipality == municipality)
                and (subregion is None or line.subregion == subregion)
            ),
            Decimal(0),
        )

    def municipalities_in(self, subregion: str) -> list[str]:
        """Municipalities of a subregion that have budget lines."""
        return sorted({ln.municipality for ln in self.lines if ln.subregion == subregion})

    def stated_total(self, name: str, year: int) -> Decimal | None:
        """The total the source states for ``name`` (municipality or subregion) in ``year``."""
        for total in self.stated:
            if total.name == name and total.year == year:
                return total.value
        return None


@dataclass
class GlossaryEntry:
    """A concept of the glossary (begrippenkader)."""

    label: str
    abbreviations: list[str]
    definition: str


@dataclass
class Instrument:
    """One of the four purchasing instruments with its definition."""

    slug: str
    label: str
    definition: str


@dataclass
class Note:
    """A region-level fact (risk, decision) with its source."""

    text: str
    source: Source | None


@dataclass
class PlanContext:
    """Everything the whole plan and the raadsvoorstel show."""

    iri: str
    title: str
    region: str
    year: int | None
    municipalities: list[str]
    segments: list[SegmentContext]
    instruments: list[Instrument]
    budget: Budget
    glossary: list[GlossaryEntry]
    risks: list[Note]
    document_type: str = ""

    def segment(self, name: str) -> SegmentContext:
        """A segment by label, slug or IRI, case-insensitively; unknown → :class:`ContextError`."""
        wanted = str(name).strip().casefold()
        for seg in self.segments:
            if wanted in (seg.label.casefold(), seg.slug.casefold(), seg.iri.casefold()):
                return seg
        known = ", ".join(f"{s.label} ({s.slug})" for s in self.segments)
        raise ContextError(f"unknown segment '{name}' in '{self.title}'; known segments: {known}")

    def sources(self) -> list[tuple[Source, int]]:
        """Distinct sources of all segment facts with the number of facts each supports."""
        counts: dict[Source, int] = defaultdict(int)
        for seg in self.segments:
            for _, item in seg.facts():
                for src in item.sources:
                    counts[Source(src.document, src.section, src.document_iri)] += 1
        return sorted(counts.items())


# --------------------------------------------------------------------------------------------
# Queries


def _rows(graph: Graph, sparql: str) -> list[dict[str, Any]]:
    result = query(graph, sparql)
    names = [str(v) for v in result.vars]
    return [
        {n: (None if v is None else v.toPython()) for n, v in zip(names, row, strict=True)}
        for row in result
    ]


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _iri(value: str) -> str:
    if not re.fullmatch(r"[^<>\"{}|^`\\\s]+", value):
        raise ContextError(f"not an IRI: {value!r}")
    return f"<{value}>"


def plans(graph: Graph) -> list[tuple[str, str]]:
    """(IRI, title) of every document that has segments, by title."""
    rows = _rows(
        graph,
        "SELECT DISTINCT ?plan ?title WHERE { ?s a kb:Segment ; kb:inPlan ?plan . "
        "?plan dct:title ?title } ORDER BY ?title",
    )
    return [(str(r["plan"]), str(r["title"])) for r in rows]


def resolve_plan(graph: Graph, name: str) -> tuple[str, str]:
    """(IRI, title) of a plan named by title, document id or IRI, case-insensitively."""
    known = plans(graph)
    wanted = name.strip().casefold()
    for iri, title in known:
        if wanted in (title.casefold(), iri.casefold(), iri.rsplit("/", 1)[-1].casefold()):
            return iri, title
    listing = "; ".join(f"{t} ({i.rsplit('/', 1)[-1]})" for i, t in known) or "none"
    raise ContextError(f"unknown plan '{name}'; known plans: {listing}")


def _section_label(row: dict[str, Any]) -> str:
    """``§ 4.2 Wonen › Planning``: the section with its nearest numbered parent."""
    title, number = _str(row.get("st")).rstrip(":"), _str(row.get("sn"))
    if number:
        return f"§ {number} {title}"
    parent, pnum = _str(row.get("pt")), _str(row.get("pn"))
    if parent and pnum:
        return f"§ {pnum} {parent.capitalize() if parent.isupper() else parent} › {title}"
    if parent and parent != title:
        return f"{parent} › {title}"
    return title


def _sources(graph: Graph, filter_clause: str) -> dict[str, list[Source]]:
    """Sources of facts selected by ``filter_clause`` (binds ?fact), keyed by fact IRI."""
    rows = _rows(
        graph,
        f"""SELECT ?fact ?p ?doc ?dt ?st ?sn ?pt ?pn WHERE {{
          {filter_clause}
          ?fact prov:wasDerivedFrom ?p . ?p oa:hasSource ?doc . ?doc dct:title ?dt .
          OPTIONAL {{ ?p kb:inSection ?sec . ?sec dct:title ?st .
            OPTIONAL {{ ?sec kb:sectionNumber ?sn }}
            OPTIONAL {{ ?sec kb:parentSection ?par . ?par dct:title ?pt .
                        OPTIONAL {{ ?par kb:sectionNumber ?pn }} }} }}
        }}""",
    )
    out: dict[str, set[Source]] = defaultdict(set)
    for r in rows:
        out[str(r["fact"])].add(Source(str(r["dt"]), _section_label(r), str(r["doc"]), str(r["p"])))
    return {k: sorted(v) for k, v in out.items()}


def _segment_items(graph: Graph, plan_iri: str) -> list[dict[str, Any]]:
    return _rows(
        graph,
        f"""SELECT ?seg ?prop ?item ?text ?ord ?label ?year ?month ?day ?minY ?maxY ?n
                   ?task ?to ?toLabel ?who ?instr WHERE {{
          ?seg a kb:Segment ; kb:inPlan {_iri(plan_iri)} ; ?prop ?item .
          ?item kb:text ?text .
          OPTIONAL {{ ?item kb:ordinal ?ord }}
          OPTIONAL {{ ?item rdfs:label ?label }}
          OPTIONAL {{ ?item kb:year ?year }}
          OPTIONAL {{ ?item kb:month ?month }}
          OPTIONAL {{ ?item kb:day ?day }}
          OPTIONAL {{ ?item kb:minDurationYears ?minY }}
          OPTIONAL {{ ?item kb:maxDurationYears ?maxY }}
          OPTIONAL {{ ?item kb:numberOfYouths ?n }}
          OPTIONAL {{ ?item kb:servesTask ?task }}
          OPTIONAL {{ ?item kb:toSegment ?to . ?to rdfs:label ?toLabel }}
          OPTIONAL {{ ?item kb:mentions ?who }}
          OPTIONAL {{ ?item kb:instrument ?instr }}
        }}""",
    )


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def load_segments(graph: Graph, plan_iri: str, plan_title: str) -> list[SegmentContext]:
    """All segments of a plan with their rubrics, care forms, stakeholders and instruments."""
    seg_rows = _rows(
        graph,
        f"""SELECT ?seg ?label ?slug ?num ?region WHERE {{
          ?seg a kb:Segment ; kb:inPlan {_iri(plan_iri)} ; rdfs:label ?label .
          OPTIONAL {{ ?seg kb:slug ?slug }} OPTIONAL {{ ?seg kb:segmentNumber ?num }}
          OPTIONAL {{ ?seg kb:ofRegion/rdfs:label ?region }} }}""",
    )
    sources = _sources(
        graph,
        f"?seg a kb:Segment ; kb:inPlan {_iri(plan_iri)} ; ?prop ?fact . ?fact kb:text ?t .",
    )
    items: dict[tuple[str, str], dict[str, Item]] = defaultdict(dict)
    for r in _segment_items(graph, plan_iri):
        prop = str(r["prop"]).removeprefix(str(KB))
        key = (str(r["seg"]), prop)
        iri = str(r["item"])
        if iri in items[key]:
            continue  # a second label or type from the OPTIONALs: the first row is enough
        items[key][iri] = Item(
            iri=iri,
            text=str(r["text"]).strip(),
            ordinal=_int(r["ord"]) or 0,
            label=_str(r["label"]).strip(),
            sources=sources.get(iri, []),
            year=_int(r["year"]),
            month=_int(r["month"]),
            day=_int(r["day"]),
            min_years=_dec(r["minY"]),
            max_years=_dec(r["maxY"]),
            number_of_youths=_int(r["n"]),
            serves_task=_str(r["task"]) or None,
            to_segment=_str(r["to"]) or None,
            to_segment_label=_str(r["toLabel"]) or None,
            stakeholder=_str(r["who"]) or None,
            instrument=_str(r["instr"]) or None,
        )
    stakeholder_rows = _rows(
        graph,
        f"""SELECT DISTINCT ?seg ?st ?label WHERE {{
          ?seg a kb:Segment ; kb:inPlan {_iri(plan_iri)} ; kb:hasStakeholder ?st .
          ?st rdfs:label ?label }}""",
    )
    stakeholders: dict[str, list[Stakeholder]] = defaultdict(list)
    for r in stakeholder_rows:
        stakeholders[str(r["seg"])].append(Stakeholder(str(r["st"]), str(r["label"])))
    instruments = load_instruments(graph)

    def ordered(seg: str, prop: str) -> list[Item]:
        return sorted(items.get((seg, prop), {}).values(), key=lambda i: (i.ordinal, i.iri))

    segments = []
    for r in seg_rows:
        seg = str(r["seg"])
        rubrics = [
            Rubric(prop, heading, ordered(seg, prop))
            for prop, heading in RUBRICS
            if prop not in OPTIONAL_RUBRICS or items.get((seg, prop))
        ]
        by_prop = {rb.key: rb.items for rb in rubrics}
        summaries = [
            InstrumentSummary(ins.slug, ins.label, ins.definition, by_prop.get(prop, []))
            for ins in instruments
            for slug, prop in INSTRUMENTS
            if slug == ins.slug
        ]
        segments.append(
            SegmentContext(
                iri=seg,
                label=str(r["label"]),
                slug=_str(r["slug"]) or seg.rsplit("/", 1)[-1],
                number=_int(r["num"]),
                plan_iri=plan_iri,
                plan_title=plan_title,
                region=_str(r["region"]),
                rubrics=rubrics,
                care_forms=ordered(seg, CARE_FORMS[0]),
                stakeholders=sorted(stakeholders.get(seg, []), key=lambda s: s.label.casefold()),
                instruments=summaries,
            )
        )
    segments.sort(key=lambda s: (s.number if s.number is not None else 999, s.label))
    return segments


def load_instruments(graph: Graph) -> list[Instrument]:
    """The four purchasing instruments (Dutch labels and definitions) in the plan's order."""
    rows = _rows(
        graph,
        f"""SELECT ?c ?label ?def WHERE {{
          ?c skos:inScheme {_iri(str(SCHEME_INSTRUMENTS))} ; skos:prefLabel ?label .
          FILTER(LANGMATCHES(LANG(?label), "nl"))
          OPTIONAL {{ ?c skos:definition ?def FILTER(LANGMATCHES(LANG(?def), "nl")) }} }}""",
    )
    found = {str(r["c"]).rsplit("/", 1)[-1]: r for r in rows}
    return [
        Instrument(slug, str(found[slug]["label"]), _str(found[slug]["def"]))
        for slug, _ in INSTRUMENTS
        if slug in found
    ]


def load_budget(graph: Graph, plan_iri: str) -> Budget:
    """Budget lines of the plan (``kb:inDocument``) with municipality and subregion names."""
    rows = _rows(
        graph,
        f"""SELECT ?b ?ml ?sl ?product ?year ?value WHERE {{
          ?b a kb:BudgetLine ; kb:inDocument {_iri(plan_iri)} ; kb:municipality ?m ;
             kb:product ?product ; kb:year ?year ; schema:value ?value .
          ?m rdfs:label ?ml . OPTIONAL {{ ?m kb:inSubregion/rdfs:label ?sl }} }}""",
    )
    lines = sorted(
        {
            BudgetLine(
                municipality=str(r["ml"]),
                subregion=_str(r["sl"]) or "Overige gemeenten",
                product=str(r["product"]),
                year=int(r["year"]),
                value=Decimal(str(r["value"])),
            )
            for r in rows
        },
        key=lambda b: (b.subregion, b.municipality, b.product, b.year),
    )
    stated_rows = _rows(
        graph,
        f"""SELECT ?t ?name ?year ?value WHERE {{
          ?t a kb:BudgetTotal ; kb:inDocument {_iri(plan_iri)} ; kb:year ?year ;
             schema:value ?value .
          {{ ?t kb:municipality/rdfs:label ?name }} UNION {{ ?t kb:subregion/rdfs:label ?name }}
          FILTER NOT EXISTS {{ ?t kb:subregion ?a, ?b FILTER(?a != ?b) }} }}""",
    )
    stated = sorted(
        {
            StatedTotal(str(r["name"]), int(r["year"]), Decimal(str(r["value"])))
            for r in stated_rows
        },
        key=lambda t: (t.name, t.year),
    )
    source = None
    if rows:
        first = _sources(
            graph, f"VALUES ?fact {{ {' '.join(_iri(str(r['b'])) for r in rows[:1])} }}"
        )
        source = next(iter(first.values()), [None])[0]
    return Budget(lines=lines, stated=stated, source=source)


def load_glossary(graph: Graph) -> list[GlossaryEntry]:
    """The glossary (begrippenkader) by label."""
    rows = _rows(
        graph,
        f"""SELECT ?c ?label ?alt ?def WHERE {{
          ?c skos:inScheme {_iri(str(SCHEME_GLOSSARY))} ; skos:prefLabel ?label .
          FILTER(LANGMATCHES(LANG(?label), "nl"))
          OPTIONAL {{ ?c skos:altLabel ?alt }}
          OPTIONAL {{ ?c skos:definition ?def FILTER(LANGMATCHES(LANG(?def), "nl")) }} }}""",
    )
    entries: dict[str, GlossaryEntry] = {}
    for r in rows:
        entry = entries.setdefault(str(r["c"]), GlossaryEntry(str(r["label"]), [], _str(r["def"])))
        alt = _str(r["alt"])
        if alt and alt not in entry.abbreviations:
            entry.abbreviations.append(alt)
    for entry in entries.values():
        entry.abbreviations.sort()
    return sorted(entries.values(), key=lambda e: e.label.casefold())


def load_plan(graph: Graph, plan: str) -> PlanContext:
    """The whole context of a plan named by title, document id or IRI."""
    plan_iri, title = resolve_plan(graph, plan)
    meta = _rows(
        graph,
        f"""SELECT ?region ?year ?type WHERE {{
          OPTIONAL {{ {_iri(plan_iri)} kb:aboutRegion/rdfs:label ?region }}
          OPTIONAL {{ {_iri(plan_iri)} kb:year ?year }}
          OPTIONAL {{ {_iri(plan_iri)} kb:documentType ?type }} }}""",
    )
    m = meta[0] if meta else {}
    munis = _rows(
        graph,
        f"""SELECT DISTINCT ?label WHERE {{
          {_iri(plan_iri)} kb:aboutRegion ?r . ?m a kb:Municipality ; kb:inRegion ?r ;
          rdfs:label ?label }} ORDER BY ?label""",
    )
    risk_rows = _rows(
        graph,
        f"""SELECT ?risk ?text WHERE {{
          {_iri(plan_iri)} kb:aboutRegion ?r . ?risk a kb:Risk ; kb:aboutRegion ?r ;
          kb:text ?text }} ORDER BY ?risk""",
    )
    risk_sources = _sources(
        graph, f"?fact a kb:Risk ; kb:aboutRegion/^kb:aboutRegion {_iri(plan_iri)} ."
    )
    return PlanContext(
        iri=plan_iri,
        title=title,
        region=_str(m.get("region")),
        year=_int(m.get("year")),
        municipalities=[str(r["label"]) for r in munis],
        segments=load_segments(graph, plan_iri, title),
        instruments=load_instruments(graph),
        budget=load_budget(graph, plan_iri),
        glossary=load_glossary(graph),
        risks=[
            Note(str(r["text"]), (risk_sources.get(str(r["risk"])) or [None])[0]) for r in risk_rows
        ],
        document_type=_str(m.get("type")),
    )


def load_segment(graph: Graph, segment: str | URIRef, plan: str) -> SegmentContext:
    """One segment (label, slug or IRI, case-insensitive) of a plan."""
    if str(segment).startswith(("http://", "https://")):
        # An IRI names its own plan (the server passes IRIs of any region's segments).
        rows = _rows(graph, f"SELECT ?plan WHERE {{ {_iri(str(segment))} kb:inPlan ?plan }}")
        if rows:
            plan = str(rows[0]["plan"])
    plan_iri, title = resolve_plan(graph, plan)
    segments = load_segments(graph, plan_iri, title)
    stub = PlanContext(plan_iri, title, "", None, [], segments, [], Budget([], []), [], [])
    return stub.segment(str(segment))


def format_euro(value: Decimal) -> str:
    """``€ 1.234.000`` in Dutch notation (thousands with dots; negative with a minus)."""
    sign = "−" if value < 0 else ""
    whole = f"{abs(value):,.0f}".replace(",", ".")
    return f"{sign}€ {whole}"
