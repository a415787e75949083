"""What a council proposal needs beyond the plan: one municipality of the plan's region, the
plan's financial caveats, the dates of older documents and the Jeugdwet articles of the besluit.

The raadsvoorstel (``generator.docx.raadsvoorstel``) and the ``--gemeente`` option of
``kb generate`` read these; names are resolved through :mod:`kb.views.lookup`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rdflib import Graph

from kb.errors import KbError
from kb.rdf.namespaces import KBI
from kb.views.budget import Budget, load_budget
from kb.views.documents import Source, sources_by_fact
from kb.views.lookup import Ambiguous, NotFound, resolve_entity
from kb.views.query import iri, local_name, rows, to_int, to_str

#: The scheme of caveat kinds and the scheme of the besluit's legal basis (ontology/council.ttl).
CAVEAT_SCHEME = "financiele-kanttekeningen"
LEGAL_SCHEME = "jeugdwet-grondslagen"


class UnknownMunicipality(KbError):
    """The municipality a user named (``--gemeente``) is not one of the plan's region."""


@dataclass(frozen=True)
class Municipality:
    """A municipality of a region: its IRI and name."""

    iri: str
    label: str


@dataclass(frozen=True)
class Article:
    """A law article the besluit rests on ("gelet op"): its number and its law."""

    notation: str
    label: str
    law: str


@dataclass
class FinancialCaveat:
    """A sentence of a plan that qualifies its finances, with its kind and sources."""

    iri: str
    kind: str  # concept slug in financiele-kanttekeningen
    kind_label: str
    text: str
    ordinal: int = 0
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentDate:
    """When a document is from and what kind of document it is (for "memo van 14 augustus")."""

    date: dt.date | None
    year: int | None
    kind: str  # the document type as written (sources.yaml), e.g. "memo"


def region_municipalities(graph: Graph, region: str) -> list[Municipality]:
    """Municipalities of ``region`` (an IRI): members directly or through a subregion."""
    found = rows(
        graph,
        f"""SELECT DISTINCT ?m ?label WHERE {{
          ?m a kb:Municipality ; rdfs:label ?label .
          {{ ?m kb:inRegion {iri(region)} }} UNION
          {{ ?m kb:inSubregion ?sub . ?sub org:subOrganizationOf {iri(region)} }}
        }}""",
    )
    return sorted(
        {Municipality(str(r["m"]), str(r["label"])) for r in found},
        key=lambda m: m.label.casefold(),
    )


def resolve_municipality(
    graph: Graph, name: str, region: str | None, region_label: str = ""
) -> Municipality:
    """The municipality ``name`` (label or IRI, as :func:`kb.views.lookup.resolve_entity`
    resolves it) when it belongs to ``region``; else :class:`UnknownMunicipality`, listing the
    region's municipalities."""
    members = region_municipalities(graph, region) if region else []
    where = f"the region {region_label}" if region_label else "the plan's region"
    listing = ", ".join(m.label for m in members) or "none in the graph"
    by_iri = {m.iri: m for m in members}
    try:
        found = str(resolve_entity(graph, name))
    except (NotFound, Ambiguous):
        # A partial name may fit several entities of the graph, but only one municipality.
        wanted = name.strip().casefold()
        hits = [m for m in members if wanted and wanted in m.label.casefold()]
        exact = [m for m in hits if m.label.casefold() == wanted]
        if len(exact or hits) == 1:
            return (exact or hits)[0]
        raise UnknownMunicipality(
            f"--gemeente: no municipality '{name}' in {where}; known: {listing}"
        ) from None
    if found not in by_iri:
        raise UnknownMunicipality(
            f"--gemeente: '{name}' is not a municipality of {where}; known: {listing}"
        )
    return by_iri[found]


def legal_basis(graph: Graph) -> list[Article]:
    """The articles of the scheme ``jeugdwet-grondslagen``, in the scheme's order."""
    found = rows(
        graph,
        f"""SELECT ?c ?notation ?label ?law ?o WHERE {{
          ?c skos:inScheme {iri(str(KBI["scheme/" + LEGAL_SCHEME]))} ; skos:notation ?notation .
          OPTIONAL {{ ?c skos:prefLabel ?label FILTER(LANG(?label) = "nl") }}
          OPTIONAL {{ ?c dct:source ?law }} OPTIONAL {{ ?c kb:ordinal ?o }}
        }}""",
    )
    ordered = sorted(found, key=lambda r: (to_int(r["o"]) or 0, str(r["notation"])))
    return [Article(str(r["notation"]), to_str(r["label"]), to_str(r["law"])) for r in ordered]


def load_caveats(graph: Graph, document: str) -> list[FinancialCaveat]:
    """The financial caveats of ``document`` (a plan IRI), in document order."""
    found = rows(
        graph,
        f"""SELECT ?c ?kind ?label ?text ?o WHERE {{
          ?c a kb:FinancialCaveat ; kb:inDocument {iri(document)} ; kb:caveatKind ?kind ;
             kb:text ?text .
          OPTIONAL {{ ?kind skos:prefLabel ?label FILTER(LANG(?label) = "nl") }}
          OPTIONAL {{ ?c kb:ordinal ?o }} }}""",
    )
    sources = sources_by_fact(
        graph, f"?fact a kb:FinancialCaveat ; kb:inDocument {iri(document)} ."
    )
    caveats = [
        FinancialCaveat(
            iri=str(r["c"]),
            kind=local_name(str(r["kind"])),
            kind_label=to_str(r["label"]) or local_name(str(r["kind"])),
            text=str(r["text"]),
            ordinal=to_int(r["o"]) or 0,
            sources=sources.get(str(r["c"]), []),
        )
        for r in found
    ]
    return sorted(caveats, key=lambda c: (c.ordinal, c.iri))


def document_dates(graph: Graph, documents: list[str]) -> dict[str, DocumentDate]:
    """Date (``dct:date``, else ``kb:year``) and type of each of ``documents`` (IRIs)."""
    if not documents:
        return {}
    values = " ".join(iri(d) for d in sorted(set(documents)))
    found = rows(
        graph,
        f"""SELECT ?d (SAMPLE(?date) AS ?dd) (SAMPLE(?year) AS ?y) (SAMPLE(?type) AS ?t) WHERE {{
          VALUES ?d {{ {values} }}
          OPTIONAL {{ ?d dct:date ?date }} OPTIONAL {{ ?d kb:year ?year }}
          OPTIONAL {{ ?d kb:documentType ?type }} }} GROUP BY ?d""",
    )
    out = {}
    for r in found:
        date = None
        if r["dd"]:
            try:
                date = dt.date.fromisoformat(str(r["dd"])[:10])
            except ValueError:
                date = None
        out[str(r["d"])] = DocumentDate(date, to_int(r["y"]), to_str(r["t"]))
    return out


def municipality_budget(
    graph: Graph, plan: str, gemeente: str, region: str | None, region_label: str = ""
) -> tuple[Municipality, Budget]:
    """The municipality ``gemeente`` of ``region`` and the budget of ``plan`` (a document IRI)
    it is shown in (for a chapter, which has no plan context of its own)."""
    return resolve_municipality(graph, gemeente, region, region_label), load_budget(graph, plan)
