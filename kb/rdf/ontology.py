"""The ontology folder: the ontology, SKOS concept schemes and SHACL shapes as Turtle files.

Read by the build (the ontology enters every graph; the shapes validate it) and by the
vocabulary (:mod:`kb.rdf.vocabulary`), so it lives here, below both.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from kb.errors import KbError

#: The shapes file; every other ``*.ttl`` in the ontology folder is vocabulary (ontology, schemes).
SHAPES_FILE = "shapes.ttl"


class OntologyError(KbError):
    """The ontology folder is missing or one of its files does not parse."""


def parse_turtle(path: Path) -> Graph:
    """One Turtle file of the ontology folder (OntologyError naming the file when it fails)."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # noqa: BLE001 - rdflib raises many parser exception types
        raise OntologyError(f"{path}: does not parse as Turtle: {exc}") from exc
    return graph


def load_ontology_graph(ontology_dir: Path) -> Graph:
    """The ontology and concept schemes: every ``*.ttl`` in the folder except shapes files
    (``shapes.ttl`` and ``*-shapes.ttl`` such as the DCAT record's)."""
    if not ontology_dir.is_dir():
        raise OntologyError(f"{ontology_dir}: ontology folder not found")
    graph = Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        if not path.name.endswith(SHAPES_FILE):  # shapes.ttl, dcat-shapes.ttl: not vocabulary
            graph += parse_turtle(path)
    return graph
