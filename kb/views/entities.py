"""Entity cards and class statistics: the read side of ``kb show`` and ``kb stats``.

An entity is found by :func:`kb.views.lookup.resolve_entity` (IRI or label).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, URIRef

from kb.rdf.namespaces import compact
from kb.rdf.store import query
from kb.views.documents import Source, sources_of
from kb.views.lookup import LABEL_PROPS


@dataclass
class EntityCard:
    """Everything the graph says about one entity, ready to print or to serve as JSON."""

    iri: str
    label: str
    types: list[str]
    properties: list[tuple[str, str, str]] = field(default_factory=list)  # (prop, value, label)
    incoming: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, prop, label)
    sources: list[Source] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """Plain data (for JSON)."""
        return {
            "iri": self.iri,
            "label": self.label,
            "types": self.types,
            "properties": [
                {"property": p, "value": v, "label": lab} for p, v, lab in self.properties
            ],
            "incoming": [
                {"subject": s, "property": p, "label": lab} for s, p, lab in self.incoming
            ],
            "sources": [source_dict(s) for s in self.sources],
        }


def source_dict(source: Source) -> dict[str, object]:
    """A passage an entity comes from, as the card shows it (IRIs compacted)."""
    return {
        "passage": compact(source.passage_iri),
        "document": compact(source.document_iri),
        "document_title": source.document,
        "section": source.section,
        "start": source.start,
        "end": source.end,
        "quote": source.quote,
    }


def entity_card(graph: Graph, entity: URIRef) -> EntityCard:
    """Collect labels, types, properties, incoming links and sources of an entity."""
    e = entity.n3()
    label_rows = list(query(graph, f"SELECT ?l WHERE {{ {e} {LABEL_PROPS} ?l }} LIMIT 1"))
    label = str(label_rows[0].l) if label_rows else compact(str(entity))
    types = sorted(compact(str(r.t)) for r in query(graph, f"SELECT ?t WHERE {{ {e} a ?t }}"))
    props = []
    for r in query(
        graph,
        f"""SELECT ?p ?o (SAMPLE(?ol) AS ?olab) WHERE {{
              {e} ?p ?o . FILTER(?p != rdf:type)
              OPTIONAL {{ ?o rdfs:label|skos:prefLabel|dct:title ?ol }}
            }} GROUP BY ?p ?o ORDER BY ?p ?o""",
    ):
        value = compact(str(r.o)) if isinstance(r.o, URIRef) else str(r.o)
        props.append((compact(str(r.p)), value, str(r.olab) if r.olab is not None else ""))
    incoming = []
    for r in query(
        graph,
        f"""SELECT ?s ?p (SAMPLE(?sl) AS ?slab) WHERE {{
              ?s ?p {e} . FILTER(?p != prov:wasDerivedFrom)
              OPTIONAL {{ ?s rdfs:label|skos:prefLabel|dct:title ?sl }}
            }} GROUP BY ?s ?p ORDER BY ?p ?s LIMIT 500""",
    ):
        incoming.append((compact(str(r.s)), compact(str(r.p)), str(r.slab or "")))
    return EntityCard(
        iri=str(entity),
        label=label,
        types=types,
        properties=props,
        incoming=incoming,
        sources=sources_of(graph, str(entity)),
    )


def class_counts(graph: Graph) -> list[tuple[str, str, int]]:
    """Instances per class: (class, Dutch label, count), largest first."""
    rows = query(
        graph,
        """SELECT ?c (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?n) WHERE {
             ?s a ?c .
             OPTIONAL { ?c rdfs:label ?l . FILTER(LANGMATCHES(LANG(?l), "nl")) }
           } GROUP BY ?c ORDER BY DESC(?n) ?c""",
    )
    return [(compact(str(r.c)), str(r.label or ""), int(r.n)) for r in rows]
