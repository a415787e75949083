"""The vocabulary the read path shows, read from the graph's SKOS schemes (never a Python copy).

Every build loads the ontology and its concept schemes into the graph, so rubric headings,
instrument names and definitions, and the aspects regions' choices are compared on come from
``skos:prefLabel`` / ``skos:definition`` there, in the scheme's order (``kb:ordinal``). What this
module does hold is structure: which segment property carries the items of which rubric concept
(identifiers, no words).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from kb.rdf.namespaces import KB, KBI, SCHEME_INSTRUMENTS, SCHEME_RUBRICS
from kb.views.query import iri, local_name, rows, to_int, to_str

SCHEME_ASPECTS = KBI["scheme/keuze-aspecten"]
SCHEME_FACT_KINDS = KBI["scheme/feitsoorten"]

#: Rubric concept (local name in the ``rubrieken`` scheme) → the segment property of its items.
RUBRIC_PROPERTIES: dict[str, str] = {
    "doelgroep": "hasTargetGroup",
    "huidig-landschap": "hasLandscapeItem",
    "ontwikkelopgaven": "hasDevelopmentTask",
    "inkoopdoelen": "hasPurchasingGoal",
    "toegangsmanagement": "hasAccessManagement",
    "leveranciersmanagement": "hasSupplierManagement",
    "contractvorm": "hasContractForm",
    "bekostigingsmodel": "hasFundingModel",
    "inkoopmodel": "hasPurchasingModel",
    "randvoorwaarden": "hasPrecondition",
    "stakeholders": "hasStakeholderMention",
    "onderzoeksvragen": "hasResearchQuestion",
    "planning": "hasMilestone",
    "raakvlak-andere-segmenten": "hasSegmentRelation",
}
#: Segment properties that are not rubrics of the scheme: (property, rubric it follows or None
#: for the end, shown only when the segment has items). The heading is the ``rdfs:label`` of the
#: property's range class. Ontwikkelpotentieel and the choices per steering instrument are the
#: Noord-Limburg variants; every segment lists its care forms last.
EXTRA_PROPERTIES: tuple[tuple[str, str | None, bool], ...] = (
    ("hasDevelopmentPotential", "ontwikkelopgaven", True),
    ("hasInstrumentChoice", "inkoopmodel", True),
    ("hasCareForm", None, False),
)
CARE_FORMS = "hasCareForm"


@dataclass(frozen=True)
class RubricDef:
    """A rubric a segment is described with: its item property, heading and place."""

    key: str  # segment property local name, e.g. hasTargetGroup
    heading: str
    concept: str = ""  # IRI of the rubric concept ("" for properties outside the scheme)
    optional: bool = False  # shown only when a segment has items


@dataclass(frozen=True)
class Instrument:
    """A purchasing instrument (inkoopinstrument) with its definition and rubric property."""

    slug: str
    iri: str
    label: str
    definition: str
    rubric_key: str | None


@dataclass(frozen=True)
class Aspect:
    """An aspect on which regions' purchasing choices are compared."""

    slug: str
    iri: str
    label: str


def _scheme(graph: Graph, scheme: str) -> list[dict[str, object]]:
    """Concepts of a scheme with Dutch label and definition, in the scheme's order."""
    found = rows(
        graph,
        f"""SELECT ?c (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?def) (MIN(?o) AS ?ord) WHERE {{
          ?c skos:inScheme {iri(scheme)} ; skos:prefLabel ?l . FILTER(LANGMATCHES(LANG(?l), "nl"))
          OPTIONAL {{ ?c skos:definition ?d FILTER(LANGMATCHES(LANG(?d), "nl")) }}
          OPTIONAL {{ ?c kb:ordinal ?o }} }} GROUP BY ?c""",
    )
    # Concepts without an ordinal go last, by IRI.
    return sorted(found, key=lambda r: (r["ord"] is None, to_int(r["ord"]) or 0, str(r["c"])))


def _range_labels(graph: Graph) -> dict[str, str]:
    props = " ".join(f"kb:{p}" for p, _, _ in EXTRA_PROPERTIES)
    found = rows(
        graph,
        f"""SELECT ?p (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?p {{ {props} }}
          ?p rdfs:range/rdfs:label ?l . FILTER(LANGMATCHES(LANG(?l), "nl")) }} GROUP BY ?p""",
    )
    return {str(r["p"]).removeprefix(str(KB)): str(r["label"]) for r in found}


def rubrics(graph: Graph) -> list[RubricDef]:
    """Every rubric a segment can have, in the order of the purchasing plan (the scheme's)."""
    out: list[RubricDef] = []
    extra_labels = _range_labels(graph)
    for row in _scheme(graph, str(SCHEME_RUBRICS)):
        slug = local_name(str(row["c"]))
        prop = RUBRIC_PROPERTIES.get(slug)
        if prop is None:
            continue  # a rubric the extractor does not (yet) fill
        out.append(RubricDef(prop, str(row["label"]), str(row["c"])))
        out += [
            RubricDef(p, extra_labels.get(p, p), optional=opt)
            for p, after, opt in EXTRA_PROPERTIES
            if after == slug
        ]
    out += [
        RubricDef(p, extra_labels.get(p, p), optional=opt)
        for p, after, opt in EXTRA_PROPERTIES
        if after is None
    ]
    return out


def instruments(graph: Graph) -> list[Instrument]:
    """The purchasing instruments in the scheme's order; each names the rubric of the same
    concept (``instr:contractvorm`` ↔ ``rub:contractvorm``)."""
    return [
        Instrument(
            slug=local_name(str(r["c"])),
            iri=str(r["c"]),
            label=str(r["label"]),
            definition=to_str(r["def"]),
            rubric_key=RUBRIC_PROPERTIES.get(local_name(str(r["c"]))),
        )
        for r in _scheme(graph, str(SCHEME_INSTRUMENTS))
    ]


def aspects(graph: Graph) -> list[Aspect]:
    """The aspects of regional choices in the scheme's order."""
    return [
        Aspect(local_name(str(r["c"])), str(r["c"]), str(r["label"]))
        for r in _scheme(graph, str(SCHEME_ASPECTS))
    ]


@dataclass(frozen=True)
class FactKind:
    """A kind of fact prose patterns propose (``kb:factKind``): its Dutch label, and the aspect
    of regional choices it fills on the comparison (the aspect's own concept, or the one its
    ``skos:broadMatch`` names), if any."""

    key: str
    label: str
    aspect: str | None = None


def fact_kinds(graph: Graph) -> dict[str, FactKind]:
    """``kb:factKind`` value → :class:`FactKind`, from the ``feitsoorten`` scheme."""
    found = rows(
        graph,
        f"""SELECT ?n ?label ?aspect WHERE {{
          ?c skos:inScheme {iri(str(SCHEME_FACT_KINDS))} ;
             skos:notation ?n ; skos:prefLabel ?label .
          FILTER(lang(?label) = "nl")
          OPTIONAL {{ ?c skos:broadMatch ?broader }}
          # A kind that is an aspect's own concept fills that aspect.
          BIND(IF(EXISTS {{ ?c skos:inScheme {iri(str(SCHEME_ASPECTS))} }}, ?c, ?broader)
               AS ?aspect)
        }}""",
    )
    return {
        str(r["n"]): FactKind(str(r["n"]), str(r["label"]), to_str(r["aspect"]) or None)
        for r in found
    }
