"""Saving a build's graph: N-Triples for loading, Turtle for people, both the same graph."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from kb.rdf.store import GRAPH_FILE, TURTLE_FILE, load_graph, save_graph

EX = Namespace("https://example.org/regio/")


def test_turtle_and_ntriples_hold_the_same_graph_with_the_graphs_prefixes(tmp_path: Path) -> None:
    graph = Graph()
    graph.bind("regio", EX)
    graph.add((EX["zuidhoek"], RDFS.label, Literal("Zuidhoek", lang="nl")))
    graph.add((EX["zuidhoek"], RDFS.seeAlso, URIRef("https://example.org/andere#x")))
    graph.add((EX["zuidhoek"], RDFS.comment, Literal('Met "aanhalingstekens" en een\nregel.')))
    save_graph(graph, tmp_path)
    turtle = (tmp_path / TURTLE_FILE).read_text(encoding="utf-8")
    assert "@prefix regio: <https://example.org/regio/>" in turtle
    assert "regio:zuidhoek" in turtle
    from_turtle = Graph().parse(tmp_path / TURTLE_FILE, format="turtle")
    from_ntriples = Graph().parse(tmp_path / GRAPH_FILE, format="nt")
    assert isomorphic(from_turtle, graph) and isomorphic(from_ntriples, graph)
    assert len(load_graph(tmp_path)) == 3


def test_an_empty_graph_is_saved_as_empty_files(tmp_path: Path) -> None:
    save_graph(Graph(), tmp_path)
    assert len(Graph().parse(tmp_path / TURTLE_FILE, format="turtle")) == 0
    assert (tmp_path / GRAPH_FILE).read_bytes() == b""
