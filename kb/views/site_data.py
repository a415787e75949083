"""The site's view of the graph: SPARQL queries → plain dataclasses, nothing rendered here.

Every fact keeps the IRI of the passage it was derived from, so a page can link each fact to
the passage anchor on its source document's page. All lists are sorted, so the pages that are
rendered from them come out the same on every build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal

from kb.rdf.namespaces import KB, KBI, SCHEME_GLOSSARY
from kb.rdf.store import query
from kb.views.context import RUBRICS as PLAN_RUBRICS

SCHEME_ABBREVIATIONS = KBI["scheme/afkortingen"]

#: Segment rubrics in the order of the purchasing plan (the Word chapters' order), with their
#: Dutch headings; the site lists the care forms as a rubric of their own.
RUBRICS: tuple[tuple[str, str], ...] = (*PLAN_RUBRICS, ("hasCareForm", "Zorgvormen"))

#: The four purchasing instruments: concept slug → (Dutch label, rubric property of a plan).
INSTRUMENTS: tuple[tuple[str, str, str], ...] = (
    ("toegangsmanagement", "Toegangsmanagement", "hasAccessManagement"),
    ("leveranciersmanagement", "Leveranciersmanagement", "hasSupplierManagement"),
    ("contractvorm", "Contractvorm", "hasContractForm"),
    ("bekostigingsmodel", "Bekostigingsmodel", "hasFundingModel"),
)

#: Aspects of the regions-compared matrix: Dutch row label → aspect concept slugs.
COMPARISON_ASPECTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Inkoopmodel", ("inkoopmodel",)),
    ("Bekostigingsmodel", ("bekostigingsmodel",)),
    ("Contractduur", ("contractduur",)),
    ("Aantal aanbieders", ("aantal-aanbieders-nu", "aantal-aanbieders-beoogd")),
    ("Startdatum", ("startdatum",)),
)

#: Region-level facts shown on region pages: class local name → Dutch heading.
REGION_FACT_KINDS: tuple[tuple[str, str], ...] = (
    ("Decision", "Besluiten"),
    ("Phase", "Fasen"),
    ("ContractArrangement", "Huidige contracten"),
    ("Advice", "Adviezen"),
    ("Risk", "Risico's"),
)


@dataclass
class Passage:
    """A passage of a source document: the anchor every fact links to."""

    iri: str
    document: str
    section: str | None
    ordinal: int
    text: str


@dataclass
class Section:
    """A section of a source document."""

    iri: str
    document: str
    title: str
    number: str | None
    ordinal: int


@dataclass
class Document:
    """A source document with its metadata."""

    iri: str
    title: str
    doc_type: str | None = None
    date: str | None = None
    year: int | None = None
    creator: str | None = None
    audience: str | None = None
    region: str | None = None
    file_name: str | None = None
    fmt: str | None = None
    content_hash: str | None = None
    is_plan: bool = False


@dataclass
class Fact:
    """One item with provenance: a rubric bullet, a choice, a decision …"""

    iri: str
    text: str
    passage: str | None
    ordinal: int = 0
    kind: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Segment:
    """A segment with its items per rubric (property local name → facts in order)."""

    iri: str
    label: str
    slug: str
    region: str
    plan: str | None
    number: int | None
    passage: str | None
    items: dict[str, list[Fact]] = field(default_factory=dict)


@dataclass
class Region:
    """A youth-care region (or subregion) and its municipalities."""

    iri: str
    label: str
    subregions: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    parent: str | None = None


@dataclass
class Municipality:
    """A municipality: where it sits and its TOOI identifier."""

    iri: str
    label: str
    region: str | None
    subregion: str | None
    tooi: str | None
    cbs_code: str | None


@dataclass
class Stakeholder:
    """A stakeholder shared across segments; ``mentions`` are the segment bullets naming it."""

    iri: str
    label: str
    mentions: list[tuple[str, Fact]] = field(default_factory=list)  # (segment IRI, mention)


@dataclass
class Concept:
    """A glossary or abbreviation concept."""

    iri: str
    label: str
    scheme: str
    definition: str | None
    alt_labels: list[str]
    notation: str | None
    source_document: str | None
    source_text: str | None
    passage: str | None


@dataclass
class BudgetLine:
    """One cell of a financial table: municipality × product × year."""

    municipality: str
    product: str
    year: int
    value: Decimal
    passage: str | None


@dataclass
class BudgetTotal:
    """A stated total of a municipality or subregion (``subregions`` > 1: the grand total)."""

    iri: str
    year: int
    value: Decimal
    computed: Decimal | None
    consistent: bool | None
    municipality: str | None
    subregions: list[str]
    passage: str | None


@dataclass
class SiteData:
    """Everything the site shows, keyed by IRI where pages refer to each other."""

    documents: dict[str, Document]
    sections: dict[str, Section]
    passages: dict[str, Passage]
    regions: dict[str, Region]
    subregions: dict[str, Region]
    municipalities: dict[str, Municipality]
    segments: dict[str, Segment]
    stakeholders: dict[str, Stakeholder]
    concepts: dict[str, Concept]
    budget_lines: list[BudgetLine]
    budget_totals: list[BudgetTotal]
    choices: list[Fact]
    region_facts: list[Fact]

    def passages_of(self, document: str) -> list[Passage]:
        """The passages of a document in text order."""
        return sorted(
            (p for p in self.passages.values() if p.document == document), key=lambda p: p.ordinal
        )

    def segments_of(self, region: str) -> list[Segment]:
        """A region's segments in plan order."""
        return sorted((s for s in self.segments.values() if s.region == region), key=_segment_key)

    def plans(self) -> list[Document]:
        """The documents that segments belong to (purchasing plans and their equivalents)."""
        iris = {s.plan for s in self.segments.values() if s.plan}
        return sorted((self.documents[i] for i in iris if i in self.documents), key=lambda d: d.iri)


def _segment_key(segment: Segment) -> tuple[int, str]:
    return (segment.number if segment.number is not None else 999, segment.label)


def _py(value: Any) -> Any:
    """rdflib term → plain Python (str, int, Decimal, bool, date string) or None."""
    if value is None:
        return None
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, bool | int | Decimal | float):
            return py
        return str(value)
    return str(value)


def _rows(graph: Graph, text: str) -> list[dict[str, Any]]:
    result = query(graph, text)
    names = [str(v) for v in result.vars]
    return [{n: _py(row[i]) for i, n in enumerate(names)} for row in result]


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def load_site_data(graph: Graph) -> SiteData:
    """Query everything the site needs from a build's graph."""
    documents = _documents(graph)
    sections, passages = _sections_and_passages(graph)
    regions, subregions, municipalities = _organisations(graph)
    segments = _segments(graph)
    return SiteData(
        documents=documents,
        sections=sections,
        passages=passages,
        regions=regions,
        subregions=subregions,
        municipalities=municipalities,
        segments=segments,
        stakeholders=_stakeholders(graph, segments),
        concepts=_concepts(graph),
        budget_lines=_budget_lines(graph),
        budget_totals=_budget_totals(graph),
        choices=_choices(graph),
        region_facts=_region_facts(graph),
    )


def _documents(graph: Graph) -> dict[str, Document]:
    rows = _rows(
        graph,
        """SELECT ?d ?title ?type ?date ?year ?creator ?audience ?region ?file ?fmt ?hash ?plan
        WHERE { ?d a kb:Document ; dct:title ?title .
          OPTIONAL { ?d kb:documentType ?type } OPTIONAL { ?d dct:date ?date }
          OPTIONAL { ?d kb:year ?year } OPTIONAL { ?d dct:creator ?creator }
          OPTIONAL { ?d dct:audience ?audience } OPTIONAL { ?d kb:aboutRegion ?region }
          OPTIONAL { ?d kb:fileName ?file } OPTIONAL { ?d kb:format ?fmt }
          OPTIONAL { ?d kb:contentHash ?hash }
          BIND(EXISTS { ?d a kb:PurchasingPlan } AS ?plan) }""",
    )
    docs: dict[str, Document] = {}
    for r in rows:
        docs.setdefault(
            r["d"],
            Document(
                iri=r["d"],
                title=r["title"],
                doc_type=r["type"],
                date=r["date"],
                year=_int(r["year"]),
                creator=r["creator"],
                audience=r["audience"],
                region=r["region"],
                file_name=r["file"],
                fmt=r["fmt"],
                content_hash=r["hash"],
                is_plan=bool(r["plan"]),
            ),
        )
    return dict(sorted(docs.items()))


def _sections_and_passages(graph: Graph) -> tuple[dict[str, Section], dict[str, Passage]]:
    sections = {
        r["s"]: Section(r["s"], r["doc"], r["title"], r["num"], _int(r["o"]) or 0)
        for r in _rows(
            graph,
            """SELECT ?s ?doc ?title ?num ?o WHERE { ?s a kb:Section ; dct:isPartOf ?doc ;
              dct:title ?title . OPTIONAL { ?s kb:sectionNumber ?num }
              OPTIONAL { ?s kb:ordinal ?o } }""",
        )
    }
    passages = {
        r["p"]: Passage(r["p"], r["doc"], r["sec"], _int(r["o"]) or 0, r["text"] or "")
        for r in _rows(
            graph,
            """SELECT ?p ?doc ?sec ?o ?text WHERE { ?p a kb:Passage ; oa:hasSource ?doc .
              OPTIONAL { ?p kb:inSection ?sec } OPTIONAL { ?p kb:ordinal ?o }
              OPTIONAL { ?p kb:text ?text } }""",
        )
    }
    return dict(sorted(sections.items())), dict(sorted(passages.items()))


def _organisations(
    graph: Graph,
) -> tuple[dict[str, Region], dict[str, Region], dict[str, Municipality]]:
    regions = {
        r["r"]: Region(r["r"], r["l"])
        for r in _rows(graph, "SELECT ?r ?l WHERE { ?r a kb:Region ; rdfs:label ?l }")
    }
    subregions = {
        r["r"]: Region(r["r"], r["l"], parent=r["parent"])
        for r in _rows(
            graph,
            """SELECT ?r ?l ?parent WHERE { ?r a kb:Subregion ; rdfs:label ?l .
              OPTIONAL { ?r org:subOrganizationOf ?parent } }""",
        )
    }
    municipalities = {
        r["m"]: Municipality(r["m"], r["l"], r["reg"], r["sub"], r["same"], r["cbs"])
        for r in _rows(
            graph,
            """SELECT ?m ?l ?reg ?sub ?same ?cbs WHERE { ?m a kb:Municipality ; rdfs:label ?l .
              OPTIONAL { ?m kb:inRegion ?reg } OPTIONAL { ?m kb:inSubregion ?sub }
              OPTIONAL { ?m owl:sameAs ?same } OPTIONAL { ?m kb:cbsCode ?cbs } }""",
        )
    }
    for m in sorted(municipalities.values(), key=lambda m: m.label):
        if m.subregion in subregions:
            subregions[m.subregion].municipalities.append(m.iri)
            if not m.region:
                m.region = subregions[m.subregion].parent
        if m.region in regions:
            regions[m.region].municipalities.append(m.iri)
    for s in sorted(subregions.values(), key=lambda s: s.label):
        if s.parent in regions:
            regions[s.parent].subregions.append(s.iri)
    return (
        dict(sorted(regions.items())),
        dict(sorted(subregions.items())),
        dict(sorted(municipalities.items())),
    )


def _segments(graph: Graph) -> dict[str, Segment]:
    segments: dict[str, Segment] = {}
    for r in _rows(
        graph,
        """SELECT ?s ?l ?slug ?reg ?plan ?num (MIN(STR(?p)) AS ?pas) WHERE {
          ?s a kb:Segment ; rdfs:label ?l ; kb:ofRegion ?reg .
          OPTIONAL { ?s kb:slug ?slug } OPTIONAL { ?s kb:inPlan ?plan }
          OPTIONAL { ?s kb:segmentNumber ?num } OPTIONAL { ?s prov:wasDerivedFrom ?p } }
        GROUP BY ?s ?l ?slug ?reg ?plan ?num""",
    ):
        slug = r["slug"] or r["s"].rsplit("/", 1)[-1]
        segments[r["s"]] = Segment(
            r["s"], r["l"], slug, r["reg"], r["plan"], _int(r["num"]), r["pas"]
        )
    props = " ".join(f"kb:{p}" for p, _ in RUBRICS)
    rows = _rows(
        graph,
        f"""SELECT ?s ?prop ?i ?text ?label ?o (MIN(STR(?p)) AS ?pas) ?minAge ?maxAge ?youths
          ?year ?month ?day ?to ?instrument ?mentions WHERE {{
          VALUES ?prop {{ {props} }}
          ?s a kb:Segment ; ?prop ?i .
          OPTIONAL {{ ?i kb:text ?text }} OPTIONAL {{ ?i rdfs:label ?label }}
          OPTIONAL {{ ?i kb:ordinal ?o }} OPTIONAL {{ ?i prov:wasDerivedFrom ?p }}
          OPTIONAL {{ ?i kb:minAge ?minAge }} OPTIONAL {{ ?i kb:maxAge ?maxAge }}
          OPTIONAL {{ ?i kb:numberOfYouths ?youths }} OPTIONAL {{ ?i kb:year ?year }}
          OPTIONAL {{ ?i kb:month ?month }} OPTIONAL {{ ?i kb:day ?day }}
          OPTIONAL {{ ?i kb:toSegment ?to }} OPTIONAL {{ ?i kb:instrument ?instrument }}
          OPTIONAL {{ ?i kb:mentions ?mentions }}
        }} GROUP BY ?s ?prop ?i ?text ?label ?o ?minAge ?maxAge ?youths ?year ?month ?day ?to
          ?instrument ?mentions""",
    )
    seen: set[tuple[str, str]] = set()
    for r in rows:
        segment = segments.get(r["s"])
        if segment is None or (r["s"], r["i"]) in seen:
            continue
        seen.add((r["s"], r["i"]))
        prop = r["prop"].removeprefix(str(KB))
        extra = {
            k: r[k]
            for k in (
                "minAge",
                "maxAge",
                "youths",
                "year",
                "month",
                "day",
                "to",
                "instrument",
                "mentions",
            )
            if r[k] is not None
        }
        fact = Fact(r["i"], r["text"] or r["label"] or "", r["pas"], _int(r["o"]) or 0, prop, extra)
        segment.items.setdefault(prop, []).append(fact)
    for segment in segments.values():
        for facts in segment.items.values():
            facts.sort(key=lambda f: (f.ordinal, f.iri))
    return dict(sorted(segments.items()))


def _stakeholders(graph: Graph, segments: dict[str, Segment]) -> dict[str, Stakeholder]:
    stakeholders = {
        r["s"]: Stakeholder(r["s"], r["l"])
        for r in _rows(graph, "SELECT ?s ?l WHERE { ?s a kb:Stakeholder ; rdfs:label ?l }")
    }
    for segment in segments.values():
        for mention in segment.items.get("hasStakeholderMention", []):
            target = stakeholders.get(mention.extra.get("mentions", ""))
            if target is not None:
                target.mentions.append((segment.iri, mention))
    for s in stakeholders.values():
        s.mentions.sort(key=lambda m: (m[0], m[1].ordinal))
    return dict(sorted(stakeholders.items(), key=lambda kv: (kv[1].label.lower(), kv[0])))


def _concepts(graph: Graph) -> dict[str, Concept]:
    rows = _rows(
        graph,
        f"""SELECT ?c ?scheme ?l ?def ?notation ?src (MIN(STR(?p)) AS ?pas)
          (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts) WHERE {{
          VALUES ?scheme {{ <{SCHEME_GLOSSARY}> <{SCHEME_ABBREVIATIONS}> }}
          ?c skos:inScheme ?scheme ; skos:prefLabel ?l . FILTER(LANGMATCHES(LANG(?l), "nl"))
          OPTIONAL {{ ?c skos:definition ?def FILTER(LANGMATCHES(LANG(?def), "nl")) }}
          OPTIONAL {{ ?c skos:notation ?notation }} OPTIONAL {{ ?c skos:altLabel ?alt }}
          OPTIONAL {{ ?c dct:source ?src }} OPTIONAL {{ ?c prov:wasDerivedFrom ?p }}
        }} GROUP BY ?c ?scheme ?l ?def ?notation ?src""",
    )
    concepts: dict[str, Concept] = {}
    for r in rows:
        src = r["src"]
        is_doc = isinstance(src, str) and src.startswith(str(KBI["document/"]))
        concepts.setdefault(
            r["c"],
            Concept(
                iri=r["c"],
                label=r["l"],
                scheme=r["scheme"],
                definition=r["def"],
                alt_labels=sorted(a for a in (r["alts"] or "").split("\u001f") if a),
                notation=r["notation"],
                source_document=src if is_doc else None,
                source_text=None if is_doc else src,
                passage=r["pas"],
            ),
        )
    return dict(sorted(concepts.items(), key=lambda kv: (kv[1].label.lower(), kv[0])))


def _budget_lines(graph: Graph) -> list[BudgetLine]:
    rows = _rows(
        graph,
        """SELECT ?m ?product ?year ?value (MIN(STR(?p)) AS ?pas) WHERE {
          ?b a kb:BudgetLine ; kb:municipality ?m ; kb:product ?product ; kb:year ?year ;
             schema:value ?value . OPTIONAL { ?b prov:wasDerivedFrom ?p } }
        GROUP BY ?b ?m ?product ?year ?value""",
    )
    lines = [
        BudgetLine(r["m"], r["product"], int(r["year"]), Decimal(r["value"]), r["pas"])
        for r in rows
    ]
    return sorted(lines, key=lambda b: (b.municipality, b.product, b.year))


def _budget_totals(graph: Graph) -> list[BudgetTotal]:
    rows = _rows(
        graph,
        """SELECT ?b ?year ?value ?computed ?ok ?m (MIN(STR(?p)) AS ?pas)
          (GROUP_CONCAT(DISTINCT STR(?sub); separator=" ") AS ?subs) WHERE {
          ?b a kb:BudgetTotal ; kb:year ?year ; schema:value ?value .
          OPTIONAL { ?b kb:computedSum ?computed } OPTIONAL { ?b kb:consistent ?ok }
          OPTIONAL { ?b kb:municipality ?m } OPTIONAL { ?b kb:subregion ?sub }
          OPTIONAL { ?b prov:wasDerivedFrom ?p } }
        GROUP BY ?b ?year ?value ?computed ?ok ?m""",
    )
    totals = [
        BudgetTotal(
            iri=r["b"],
            year=int(r["year"]),
            value=Decimal(r["value"]),
            computed=Decimal(r["computed"]) if r["computed"] is not None else None,
            consistent=r["ok"],
            municipality=r["m"],
            subregions=sorted((r["subs"] or "").split()),
            passage=r["pas"],
        )
        for r in rows
    ]
    return sorted(totals, key=lambda t: (t.iri, t.year))


def _choices(graph: Graph) -> list[Fact]:
    rows = _rows(
        graph,
        """SELECT ?c ?region ?aspect ?value (MIN(STR(?p)) AS ?pas) WHERE {
          ?c a kb:RegionalChoice ; kb:region ?region ; kb:aspect ?aspect ; kb:value ?value .
          OPTIONAL { ?c prov:wasDerivedFrom ?p } } GROUP BY ?c ?region ?aspect ?value""",
    )
    facts = [
        Fact(
            r["c"],
            r["value"],
            r["pas"],
            _int(r["c"].rsplit("/", 1)[-1]) if r["c"].rsplit("/", 1)[-1].isdigit() else 0,
            "RegionalChoice",
            {"region": r["region"], "aspect": r["aspect"].rsplit("/", 1)[-1]},
        )
        for r in rows
    ]
    return sorted(facts, key=lambda f: (f.extra["region"], f.extra["aspect"], f.ordinal, f.iri))


def _region_facts(graph: Graph) -> list[Fact]:
    kinds = " ".join(f"kb:{k}" for k, _ in REGION_FACT_KINDS)
    rows = _rows(
        graph,
        f"""SELECT ?x ?cls ?region ?doc ?label ?text ?o (MIN(STR(?p)) AS ?pas) WHERE {{
          VALUES ?cls {{ {kinds} }}
          ?x a ?cls . OPTIONAL {{ ?x kb:aboutRegion ?region }} OPTIONAL {{ ?x kb:inDocument ?doc }}
          OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x kb:text ?text }}
          OPTIONAL {{ ?x kb:ordinal ?o }} OPTIONAL {{ ?x prov:wasDerivedFrom ?p }}
        }} GROUP BY ?x ?cls ?region ?doc ?label ?text ?o""",
    )
    by_iri: dict[str, Fact] = {}
    for r in rows:
        ordinal = _int(r["o"])
        if ordinal is None:
            tail = r["x"].rsplit("/", 1)[-1]
            ordinal = int(tail) if tail.isdigit() else 0
        by_iri.setdefault(
            r["x"],
            Fact(
                r["x"],
                r["text"] or r["label"] or "",
                r["pas"],
                ordinal,
                r["cls"].removeprefix(str(KB)),
                {"region": r["region"], "document": r["doc"]},
            ),
        )
    return sorted(by_iri.values(), key=lambda f: (f.kind, f.ordinal, f.iri))


def group_by(items: list[Any], key: Any) -> dict[Any, list[Any]]:
    """Group items by ``key(item)``, keeping their order (a small helper for the templates)."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return dict(groups)
