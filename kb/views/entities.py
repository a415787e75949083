"""Entity cards and class statistics: the read side of ``kb show`` and ``kb stats``.

An entity is found by IRI (full, or prefixed such as ``kbi:segment/holland-rijnland/wonen``) or
by label (``rdfs:label``, ``skos:prefLabel``, ``skos:altLabel``, ``dct:title``; exact match first,
case-insensitive, then a unique partial match).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from kb.rdf.namespaces import PREFIXES, compact
from kb.rdf.store import StoreError, query

LABEL_PROPS = "rdfs:label|skos:prefLabel|skos:altLabel|dct:title"


@dataclass
class Source:
    """A passage a fact comes from."""

    passage: str
    document: str
    document_title: str
    section: str
    start: int | None
    end: int | None
    quote: str


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
            "sources": [s.__dict__ for s in self.sources],
        }


def expand(text: str) -> str | None:
    """A prefixed name or full IRI → full IRI; None if it is not one."""
    if text.startswith(("http://", "https://")):
        return text
    if ":" in text:
        prefix, local = text.split(":", 1)
        if prefix in PREFIXES and " " not in local:
            return str(PREFIXES[prefix]) + local
    return None


def resolve_entity(graph: Graph, name: str) -> URIRef:
    """Find the entity a user means; raise :class:`StoreError` listing candidates if ambiguous."""
    iri = expand(name.strip())
    if iri:
        if (URIRef(iri), None, None) in graph:
            return URIRef(iri)
        raise StoreError(f"no entity with IRI {iri}")
    needle = name.strip().lower()
    if not needle:
        raise StoreError("empty entity name")
    rows = query(
        graph,
        f"""SELECT DISTINCT ?s ?l ?structural WHERE {{
              ?s {LABEL_PROPS} ?l .
              FILTER(CONTAINS(LCASE(STR(?l)), {Literal(needle).n3()}))
              BIND(EXISTS {{ ?s a ?c . FILTER(?c IN (kb:Section, kb:Passage)) }} AS ?structural)
            }} LIMIT 200""",
    )
    hits = [(URIRef(r.s), str(r.l), bool(r.structural)) for r in rows]
    # Exact labels before partial ones; domain entities before the sections and passages that
    # merely carry the same words (a document and its first section often share a title).
    for pool in (
        [s for s, label, structural in hits if label.lower() == needle and not structural],
        [s for s, label, _ in hits if label.lower() == needle],
        [s for s, _, structural in hits if not structural],
        [s for s, _, _ in hits],
    ):
        candidates = sorted(set(pool))
        if candidates:
            break
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise StoreError(f"no entity named '{name}'")
    listing = "\n".join(f"  {compact(str(c))}" for c in candidates[:15])
    more = f"\n  … and {len(candidates) - 15} more" if len(candidates) > 15 else ""
    raise StoreError(f"'{name}' matches {len(candidates)} entities; use an IRI:\n{listing}{more}")


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
            }} GROUP BY ?p ?o ORDER BY ?p""",
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
        sources=sources_of(graph, entity),
    )


def sources_of(graph: Graph, entity: URIRef) -> list[Source]:
    """The passages an entity derives from (or the entity itself, if it is a passage)."""
    e = entity.n3()
    rows = query(
        graph,
        f"""SELECT ?p ?doc ?title ?sec ?start ?end ?quote WHERE {{
              {{ {e} prov:wasDerivedFrom ?p . OPTIONAL {{ {e} kb:quote ?quote }} }}
              UNION {{ {e} a kb:Passage . BIND({e} AS ?p) }}
              ?p oa:hasSource ?doc ; kb:inSection ?s .
              ?doc dct:title ?title . ?s dct:title ?sec .
              OPTIONAL {{ ?p oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end }}
            }} ORDER BY ?doc ?start""",
    )
    out = []
    for r in rows:
        out.append(
            Source(
                passage=compact(str(r.p)),
                document=compact(str(r.doc)),
                document_title=str(r.title),
                section=str(r.sec),
                start=int(r.start) if r.start is not None else None,
                end=int(r.end) if r.end is not None else None,
                quote=str(r.quote) if r.quote is not None else "",
            )
        )
    return out


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
