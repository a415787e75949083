"""One entity's own triples, as linked data: what its IRI answers with.

The description is the entity's Concise Bounded Description (every triple with the entity as
subject, and recursively those of the blank nodes it points to) plus the labels of the
resources it links to, so a reader of the Turtle or JSON-LD sees names, not only IRIs. The
site writes it beside each entity page; ``kb serve`` answers an IRI's path with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS
from rdflib.term import Node

from kb.rdf.namespaces import bind_prefixes
from kb.rdf.store import query
from kb.views.query import iri as view_iri

#: Properties that name a linked resource (copied for every IRI the entity points to).
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, DCTERMS.title)


def describe(graph: Graph, iri: str) -> Graph:
    """The description of ``iri`` in ``graph`` (empty when the graph does not know it)."""
    return describe_many(graph, [iri])[iri]


#: Entities per query in :func:`describe_many`: one query per entity was most of the cost of
#: describing thousands of them (a query has a fixed cost), and a longer VALUES list gains little.
DESCRIBE_BATCH = 200


def describe_many(graph: Graph, iris: Iterable[str]) -> dict[str, Graph]:
    """The description (see :func:`describe`) of each of ``iris``, asked in batches."""
    wanted = list(dict.fromkeys(iris))
    found: dict[str, set[tuple[Node, Node, Node]]] = {i: set() for i in wanted}
    labels = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    blank: dict[str, list[BNode]] = {i: [] for i in wanted}
    for start in range(0, len(wanted), DESCRIBE_BATCH):
        batch = wanted[start : start + DESCRIBE_BATCH]
        values = " ".join(view_iri(URIRef(i)) for i in batch)
        # The entities' own triples and the labels of the IRIs they point to in one query: a
        # graph on a SPARQL server answers it in one request instead of one per linked resource.
        for s, p, o, lp, label in query(  # type: ignore[misc]
            graph,
            f"SELECT ?s ?p ?o ?lp ?l WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o . OPTIONAL {{ "
            f"VALUES ?lp {{ {labels} }} ?o ?lp ?l . FILTER(isIRI(?o) && ?o != ?s) }} }}",
        ):
            triples = found[str(s)]
            triples.add((s, p, o))
            if lp is not None:
                triples.add((o, lp, label))
            if isinstance(o, BNode):
                blank[str(s)].append(o)
    return {i: _description(graph, URIRef(i), found[i], blank[i]) for i in wanted}


def _description(
    graph: Graph,
    subject: URIRef,
    triples: set[tuple[Node, Node, Node]],
    todo: list[BNode],
) -> Graph:
    """The description graph of ``subject`` from its ``triples``, following blank nodes."""
    # Blank nodes (the graph has none today) are followed through the triple API, as a
    # Concise Bounded Description asks; their links get labels the same way.
    seen: set[Node] = set()
    linked: set[URIRef] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, p, o in graph.triples((node, None, None)):
            triples.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
            elif isinstance(o, URIRef) and o != subject:
                linked.add(o)
    for target in linked:
        for prop in LABEL_PROPERTIES:
            for label in graph.objects(target, prop):
                triples.add((target, prop, label))
    # Added in a fixed order: the serializers write triples in the order of the store, and a
    # description must not change between builds when the graph does not (incremental site).
    out = Graph()
    bind_prefixes(out)
    for triple in sorted(triples):
        out.add(triple)
    return out


def knows(graph: Graph, iri: str) -> bool:
    """Whether ``iri`` is the subject of any triple in ``graph``."""
    return (URIRef(iri), None, None) in graph
