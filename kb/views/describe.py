"""One entity's own triples, as linked data: what its IRI answers with.

The description is the entity's Concise Bounded Description (every triple with the entity as
subject, and recursively those of the blank nodes it points to) plus the labels of the
resources it links to, so a reader of the Turtle or JSON-LD sees names, not only IRIs. The
site writes it beside each entity page; ``kb serve`` answers an IRI's path with it.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from kb.rdf.namespaces import bind_prefixes

#: Properties that name a linked resource (copied for every IRI the entity points to).
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, DCTERMS.title)


def describe(graph: Graph, iri: str) -> Graph:
    """The description of ``iri`` in ``graph`` (empty when the graph does not know it)."""
    out = Graph()
    bind_prefixes(out)
    subject = URIRef(iri)
    todo: list[URIRef | BNode] = [subject]
    seen: set[URIRef | BNode] = set()
    linked: set[URIRef] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, p, o in graph.triples((node, None, None)):
            out.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
            elif isinstance(o, URIRef) and o != subject:
                linked.add(o)
    for target in linked:
        for prop in LABEL_PROPERTIES:
            for label in graph.objects(target, prop):
                out.add((target, prop, label))
    return out


def knows(graph: Graph, iri: str) -> bool:
    """Whether ``iri`` is the subject of any triple in ``graph``."""
    return (URIRef(iri), None, None) in graph
