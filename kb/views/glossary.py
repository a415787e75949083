"""Concepts of the glossary (begrippenkader) and the abbreviation list, with their sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from kb.rdf.namespaces import KBI, SCHEME_GLOSSARY
from kb.views.query import iri, rows

SCHEME_ABBREVIATIONS = KBI["scheme/afkortingen"]


@dataclass
class Concept:
    """A glossary or abbreviation concept: label, abbreviations (altLabels), definition."""

    iri: str
    label: str
    scheme: str
    definition: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    notation: str | None = None
    source_document: str | None = None
    source_text: str | None = None
    passage: str | None = None


def load_concepts(
    graph: Graph,
    schemes: tuple[str, ...] = (str(SCHEME_GLOSSARY), str(SCHEME_ABBREVIATIONS)),
    document: str | None = None,
) -> dict[str, Concept]:
    """The concepts of ``schemes`` by IRI, sorted by label (case-insensitive); with
    ``document`` (a document IRI) only those defined in that document (``dct:source``, or a
    passage of it they are derived from)."""
    values = " ".join(iri(s) for s in schemes)
    # A plan's glossary is its own: another region's document may define the same word otherwise.
    own = (
        f"""FILTER EXISTS {{ {{ ?c dct:source {iri(document)} }} UNION
          {{ ?c prov:wasDerivedFrom ?own . ?own oa:hasSource {iri(document)} }} }}"""
        if document
        else ""
    )
    found = rows(
        graph,
        f"""SELECT ?c ?scheme ?l ?def ?notation ?src (MIN(COALESCE(STR(?p), "")) AS ?pas)
          (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts) WHERE {{
          VALUES ?scheme {{ {values} }}
          ?c skos:inScheme ?scheme ; skos:prefLabel ?l . FILTER(LANGMATCHES(LANG(?l), "nl"))
          {own}
          OPTIONAL {{ ?c skos:definition ?def FILTER(LANGMATCHES(LANG(?def), "nl")) }}
          OPTIONAL {{ ?c skos:notation ?notation }} OPTIONAL {{ ?c skos:altLabel ?alt }}
          OPTIONAL {{ ?c dct:source ?src }} OPTIONAL {{ ?c prov:wasDerivedFrom ?p }}
        }} GROUP BY ?c ?scheme ?l ?def ?notation ?src""",
    )
    concepts: dict[str, Concept] = {}
    for r in found:
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
                passage=r["pas"] or None,
            ),
        )
    return dict(sorted(concepts.items(), key=lambda kv: (kv[1].label.lower(), kv[0])))


def load_glossary(graph: Graph, document: str | None = None) -> list[Concept]:
    """The glossary (begrippenkader) by label: of every document, or only the concepts defined
    in ``document`` (a plan's IRI)."""
    return list(load_concepts(graph, (str(SCHEME_GLOSSARY),), document).values())
