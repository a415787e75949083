"""Facts that answer a question, read from the graph: budgets, contract durations, models, choices.

Search (:mod:`kb.search.answers`) asks this module for the facts of one kind about one entity;
every fact comes back with its passage, its verbatim quote, its document and its status
(``bevestigd`` for facts extracted from a document's structure or curated, the fact's own
``kb:status`` for a pattern's :class:`kb:ProposedFact`; rejected proposals never come back).

The queries are the only SPARQL of answer cards; the fact families they read are the ones
``ontology/kb.ttl`` declares: ``kb:BudgetTotal``/``kb:BudgetLine`` (municipality, year,
``schema:value``), the segment items ``kb:ContractForm`` (min/max duration in years),
``kb:FundingModel`` and ``kb:PurchasingModel``, ``kb:RegionalChoice`` (region, aspect concept) and
``kb:ProposedFact`` (``kb:factKind``, typed ``kb:proposedValue``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Graph

from kb.views.query import iri, local_name, rows, to_str

#: The status of a fact read from a document's structure or curated by a person.
CONFIRMED = "bevestigd"
#: The status of a fact a prose pattern proposed.
PROPOSED = "voorgesteld"
REJECTED = "afgewezen"


@dataclass(frozen=True)
class Fact:
    """One fact that can answer a question, with what a card shows of it."""

    iri: str
    kind: str  # class local name: BudgetLine, ContractForm, RegionalChoice, ProposedFact …
    kind_label: str  # the class's Dutch rdfs:label
    entity: str  # IRI of the municipality, segment or region the fact is about
    entity_label: str
    status: str
    quote: str
    passage: str | None  # passage IRI
    document: str | None  # document IRI
    document_title: str = ""
    value: Any = None  # number, Decimal, date string … (see the query that made it)
    datatype: str = ""  # XSD datatype IRI of ``value`` for typed literals
    text: str = ""  # the fact as a sentence or label (choices, models)
    year: int | None = None
    product: str = ""
    min_value: Any = None  # contract durations: shortest / longest
    max_value: Any = None
    unit: str = ""
    fact_kind: str = ""  # kb:factKind of a proposed fact
    concept_label: str = ""  # funding form / purchasing model named


# The columns every fact query selects: provenance, document and the class label.
_PROVENANCE = """
  OPTIONAL { ?f kb:quote ?quote }
  OPTIONAL { ?f prov:wasDerivedFrom ?p . ?p a kb:Passage .
             OPTIONAL { ?p kb:text ?ptext }
             OPTIONAL { ?p oa:hasSource ?pdoc } }
  OPTIONAL { ?f kb:inDocument ?fdoc }
  BIND (COALESCE(?fdoc, ?pdoc) AS ?doc)
  OPTIONAL { ?doc dct:title ?title }
  OPTIONAL { ?cls rdfs:label ?kindLabel FILTER(LANGMATCHES(LANG(?kindLabel), "nl")) }
"""
_PROVENANCE_VARS = "?quote ?p ?ptext ?doc ?title ?kindLabel"


def _quote(row: dict[str, Any]) -> str:
    """The fact's own quote; without one, the passage text it was derived from (verbatim)."""
    return to_str(row.get("quote")) or to_str(row.get("ptext"))


def _first_per_fact(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per fact (a fact may cite several passages: the first, by IRI, is shown)."""
    best: dict[str, dict[str, Any]] = {}
    for row in sorted(found, key=lambda r: (to_str(r.get("p")), to_str(r.get("quote")))):
        current = best.get(row["f"])
        if current is None or (not current.get("quote") and row.get("quote")):
            best[row["f"]] = row
    return list(best.values())


def _fact(row: dict[str, Any], kind: str, status: str = CONFIRMED, **extra: Any) -> Fact:
    return Fact(
        iri=row["f"],
        kind=kind,
        kind_label=to_str(row.get("kindLabel")) or kind,
        entity=to_str(row.get("entity")),
        entity_label=to_str(row.get("entityLabel")),
        status=status,
        quote=_quote(row),
        passage=row.get("p"),
        document=row.get("doc"),
        document_title=to_str(row.get("title")),
        **extra,
    )


def budget_facts(graph: Graph, municipality: str, year: int | None = None) -> list[Fact]:
    """The stated budget totals of a municipality (in ``year``, or every year); when the sources
    state none, its budget lines (one per product and year)."""
    year_filter = f"FILTER(?year = {int(year)})" if year is not None else ""
    found: list[Fact] = []
    for cls, extra in (("BudgetTotal", ""), ("BudgetLine", "OPTIONAL { ?f kb:product ?product }")):
        result = rows(
            graph,
            f"""SELECT ?f ?entity ?entityLabel ?year ?value ?product {_PROVENANCE_VARS} WHERE {{
              BIND (kb:{cls} AS ?cls) BIND ({iri(municipality)} AS ?entity)
              ?f a ?cls ; kb:municipality ?entity ; kb:year ?year ; schema:value ?value .
              {extra} {year_filter}
              OPTIONAL {{ ?entity rdfs:label ?entityLabel }}
              {_PROVENANCE} }}""",
        )
        found = [
            _fact(
                r,
                cls,
                value=r["value"],
                year=int(r["year"]),
                product=to_str(r.get("product")),
                unit="EUR",
            )
            for r in _first_per_fact(result)
        ]
        if found:
            break
    return sorted(found, key=lambda f: (f.year or 0, f.product, f.iri))


def segment_facts(graph: Graph, segment: str, cls: str) -> list[Fact]:
    """A segment's items of class ``cls`` (``ContractForm``, ``FundingModel``,
    ``PurchasingModel``): their text, durations in years and the concepts they name."""
    result = rows(
        graph,
        f"""SELECT ?f ?entity ?entityLabel ?text ?label ?min ?max ?o
              (GROUP_CONCAT(DISTINCT ?cl; separator=", ") AS ?concepts)
              {_PROVENANCE_VARS} WHERE {{
          BIND (kb:{cls} AS ?cls) BIND ({iri(segment)} AS ?entity)
          ?entity ?has ?f . ?f a ?cls .
          OPTIONAL {{ ?entity rdfs:label ?entityLabel }}
          OPTIONAL {{ ?f kb:text ?text }} OPTIONAL {{ ?f rdfs:label ?label }}
          OPTIONAL {{ ?f kb:minDurationYears ?min }} OPTIONAL {{ ?f kb:maxDurationYears ?max }}
          OPTIONAL {{ ?f kb:ordinal ?o }}
          OPTIONAL {{ ?f kb:usesFundingConcept|kb:usesPurchasingConcept ?c .
                      ?c skos:prefLabel ?cl FILTER(LANGMATCHES(LANG(?cl), "nl")) }}
          {_PROVENANCE} }}
        GROUP BY ?f ?entity ?entityLabel ?text ?label ?min ?max ?o {_PROVENANCE_VARS}""",
    )
    facts = [
        (
            r.get("o") or 0,
            _fact(
                r,
                cls,
                text=to_str(r.get("text")) or to_str(r.get("label")),
                min_value=r.get("min"),
                max_value=r.get("max"),
                unit="jaar" if r.get("min") is not None else "",
                concept_label=to_str(r.get("concepts")),
            ),
        )
        for r in _first_per_fact(result)
    ]
    return [f for _o, f in sorted(facts, key=lambda t: (t[0], t[1].iri))]


def choice_facts(graph: Graph, region: str, aspect: str) -> list[Fact]:
    """The choices a region made on one aspect (a concept IRI of the ``keuze-aspecten`` scheme)."""
    result = rows(
        graph,
        f"""SELECT ?f ?entity ?entityLabel ?value ?num
              (GROUP_CONCAT(DISTINCT ?cl; separator=", ") AS ?concepts)
              {_PROVENANCE_VARS} WHERE {{
          BIND (kb:RegionalChoice AS ?cls) BIND ({iri(region)} AS ?entity)
          ?f a ?cls ; kb:region ?entity ; kb:aspect {iri(aspect)} ; kb:value ?value .
          OPTIONAL {{ ?entity rdfs:label ?entityLabel }}
          OPTIONAL {{ ?f kb:numericValue ?num }}
          OPTIONAL {{ ?f kb:concept ?c . ?c skos:prefLabel ?cl
                      FILTER(LANGMATCHES(LANG(?cl), "nl")) }}
          {_PROVENANCE} }}
        GROUP BY ?f ?entity ?entityLabel ?value ?num {_PROVENANCE_VARS}""",
    )
    facts = [
        _fact(
            r,
            "RegionalChoice",
            text=to_str(r["value"]),
            value=r.get("num"),
            concept_label=to_str(r.get("concepts")),
        )
        for r in _first_per_fact(result)
    ]
    return sorted(facts, key=lambda f: f.iri)


def proposed_facts(graph: Graph, region: str, kinds: tuple[str, ...]) -> list[Fact]:
    """Proposed facts of ``kinds`` (``kb:factKind``) read from documents about ``region``.

    A proposed fact names no entity itself: it is about the region of the document its passage
    comes from. Rejected proposals are left out.
    """
    if not kinds:
        return []
    wanted = " ".join(f'"{k}"' for k in kinds if k.replace("_", "").isalnum())
    result = rows(
        graph,
        f"""SELECT ?f ?entity ?entityLabel ?kind ?status ?value ?valueText ?unit ?min ?max
              (SAMPLE(?cl) AS ?concept) {_PROVENANCE_VARS}
              (DATATYPE(?value) AS ?dt) WHERE {{
          BIND (kb:ProposedFact AS ?cls) BIND ({iri(region)} AS ?entity)
          VALUES ?kind {{ {wanted} }}
          ?f a ?cls ; kb:factKind ?kind ; kb:status ?status ; prov:wasDerivedFrom ?p .
          ?p oa:hasSource ?pd . ?pd kb:aboutRegion ?entity .
          FILTER(STR(?status) != "{REJECTED}")
          OPTIONAL {{ ?entity rdfs:label ?entityLabel }}
          OPTIONAL {{ ?f kb:proposedValue ?value }} OPTIONAL {{ ?f kb:valueText ?valueText }}
          OPTIONAL {{ ?f kb:unit ?unit }}
          OPTIONAL {{ ?f kb:minimumDuration ?min }} OPTIONAL {{ ?f kb:maximumDuration ?max }}
          OPTIONAL {{ ?f kb:proposedConcept ?c . ?c skos:prefLabel ?cl
                      FILTER(LANGMATCHES(LANG(?cl), "nl")) }}
          {_PROVENANCE} }}
        GROUP BY ?f ?entity ?entityLabel ?kind ?status ?value ?valueText ?unit ?min ?max
          {_PROVENANCE_VARS}""",
    )
    facts = [
        _fact(
            r,
            "ProposedFact",
            status=to_str(r["status"]) or PROPOSED,
            value=r.get("value"),
            datatype=to_str(r.get("dt")),
            text=to_str(r.get("valueText")),
            unit=to_str(r.get("unit")),
            min_value=r.get("min"),
            max_value=r.get("max"),
            fact_kind=to_str(r["kind"]),
            concept_label=to_str(r.get("concept")),
        )
        for r in _first_per_fact(result)
    ]
    return sorted(facts, key=lambda f: f.iri)


def region_of(graph: Graph, entity: str) -> str | None:
    """The region a municipality, subregion or segment belongs to (the entity itself if it is a
    region), or None."""
    found = rows(
        graph,
        f"""SELECT ?r WHERE {{
          {{ BIND ({iri(entity)} AS ?r) ?r a kb:Region }}
          UNION {{ {iri(entity)} kb:inRegion|kb:ofRegion|org:subOrganizationOf ?r .
                   ?r a kb:Region }}
          UNION {{ {iri(entity)} kb:inSubregion/org:subOrganizationOf ?r . ?r a kb:Region }}
        }} LIMIT 1""",
    )
    return found[0]["r"] if found else None


@dataclass(frozen=True)
class QuestionType:
    """A concept of the ``vraagtypen`` scheme: what a question asks for and the cues that say so."""

    iri: str
    slug: str
    label: str  # what an answer shows: the related choice aspect's label, else the type's own
    cues: tuple[str, ...]  # every Dutch label: preferred, alternative and hidden
    broader: str | None = None  # IRI of the type this one refines
    related: tuple[str, ...] = ()  # concepts of other schemes it asks about (choice aspects)


def question_types(graph: Graph) -> list[QuestionType]:
    """The question types of the ``vraagtypen`` scheme, in the scheme's order."""
    found = rows(
        graph,
        """SELECT ?c (SAMPLE(?pl) AS ?label) (SAMPLE(?rl) AS ?relatedLabel) (MIN(?o) AS ?ord)
            (SAMPLE(?b) AS ?broader)
            (GROUP_CONCAT(DISTINCT ?cue; separator="\\u001f") AS ?cues)
            (GROUP_CONCAT(DISTINCT STR(?r); separator=" ") AS ?related) WHERE {
          ?c skos:inScheme <https://w3id.org/jeugdhulp-kb/id/scheme/vraagtypen> ;
             skos:prefLabel ?pl FILTER(LANGMATCHES(LANG(?pl), "nl"))
          OPTIONAL { ?c skos:prefLabel|skos:altLabel|skos:hiddenLabel ?cue
                     FILTER(LANG(?cue) = "" || LANGMATCHES(LANG(?cue), "nl")) }
          OPTIONAL { ?c skos:broader ?b }
          OPTIONAL { ?c skos:related ?r
                     OPTIONAL { ?r skos:prefLabel ?rl FILTER(LANGMATCHES(LANG(?rl), "nl")) } }
          OPTIONAL { ?c kb:ordinal ?o } } GROUP BY ?c""",
    )
    found.sort(key=lambda r: (r["ord"] is None, r["ord"] or 0, r["c"]))
    return [
        QuestionType(
            iri=r["c"],
            slug=local_name(r["c"]),
            label=to_str(r["relatedLabel"]) or to_str(r["label"]),
            cues=tuple(c for c in to_str(r["cues"]).split("\u001f") if c),
            broader=r["broader"],
            related=tuple(to_str(r["related"]).split()),
        )
        for r in found
    ]


def class_labels(graph: Graph, local_names: list[str]) -> dict[str, str]:
    """The Dutch ``rdfs:label`` of kb classes by local name (``Region`` → ``Regio``)."""
    values = " ".join(f"kb:{n}" for n in local_names if n.isalnum())
    if not values:
        return {}
    found = rows(
        graph,
        f"""SELECT ?c (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?c {{ {values} }}
          ?c rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "nl")) }} GROUP BY ?c""",
    )
    return {local_name(r["c"]): to_str(r["label"]) for r in found}


def region_labels(graph: Graph) -> tuple[list[str], list[str]]:
    """Labels of the regions and of the subregions in the graph, each sorted."""
    found = rows(
        graph,
        """SELECT DISTINCT ?cls ?label WHERE { VALUES ?cls { kb:Region kb:Subregion }
          ?r a ?cls ; rdfs:label ?label }""",
    )
    regions = sorted({to_str(r["label"]) for r in found if r["cls"].endswith("#Region")})
    subregions = sorted({to_str(r["label"]) for r in found if r["cls"].endswith("#Subregion")})
    return regions, subregions


def segment_labels(graph: Graph) -> list[str]:
    """The ``rdfs:label`` of every segment in the graph, sorted (the names a segment filter
    offers: a heading's misspelling that only a passage's section path carries is not one)."""
    found = rows(graph, "SELECT DISTINCT ?label WHERE { ?s a kb:Segment ; rdfs:label ?label }")
    return sorted({to_str(r["label"]) for r in found}, key=str.casefold)
