"""Saving and loading the graph, and read-only SPARQL over it.

The graph of a build is one N-Triples file. It is loaded into Oxigraph through oxrdflib with the
``ox-ntriples`` parser, so parsing and querying run in Rust; rdflib stays the API. Queries talk
only standard SPARQL 1.1, so a server store could replace the embedded one.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rdflib import Graph

from kb.errors import KbError
from kb.files import write_atomic
from kb.rdf.namespaces import bind_prefixes, sparql_prefixes

GRAPH_FILE = "graph.nt"
TURTLE_FILE = "graph.ttl"


class StoreError(KbError):
    """The graph could not be loaded or a query was refused; the message says why."""


def save_graph(graph: Graph, folder: Path) -> Path:
    """Write the graph as N-Triples (for loading) and Turtle (for people), atomically."""
    import pyoxigraph

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / GRAPH_FILE
    triples = graph.serialize(format="ox-ntriples", encoding="utf-8")
    write_atomic(target, triples)
    # The Turtle from the N-Triples just written, parsed and written in Rust: converting every
    # triple from rdflib a second time took longer than both files together (4–6 s at 50×).
    prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}
    turtle = pyoxigraph.serialize(
        pyoxigraph.parse(triples, format=pyoxigraph.RdfFormat.N_TRIPLES),
        format=pyoxigraph.RdfFormat.TURTLE,
        prefixes=prefixes,
    )
    write_atomic(folder / TURTLE_FILE, turtle or b"")
    return target


def load_graph(folder: Path, *, store: str = "Oxigraph") -> Graph:
    """Load a build's graph; ``store="default"`` gives rdflib's in-memory store instead."""
    path = folder / GRAPH_FILE
    if not path.is_file():
        raise StoreError(f"{path}: no graph found; run 'kb build' first")
    graph = Graph(store=store) if store != "default" else Graph()
    try:
        graph.parse(path, format="ox-ntriples" if store == "Oxigraph" else "nt")
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        raise StoreError(f"{path}: cannot parse the graph: {exc}") from None
    bind_prefixes(graph)
    return graph


def read_graph(settings: Any) -> Graph:
    """The graph the read path uses: the current release on the SPARQL server when the setting
    ``sparql_endpoint`` is set (see :mod:`kb.rdf.remote`), else the local ``build/current``.

    Views, documents and the site take the result as they take a local graph: both answer the
    same SPARQL. Raises :class:`StoreError` (a :class:`kb.rdf.remote.RemoteError` for the server)
    when there is nothing to read.
    """
    from kb.rdf.remote import endpoint_of, remote_graph

    endpoint = endpoint_of(settings)
    if endpoint is not None:
        return remote_graph(endpoint)
    return load_graph(Path(settings.build_dir) / "current")


_UPDATE_RE = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD)\b\s*(DATA|WHERE|\{|<|GRAPH|SILENT|ALL|DEFAULT|NAMED)?",
    re.I,
)
_SERVICE_RE = re.compile(r"\bSERVICE\b", re.I)


def _strip_literals_and_comments(query: str) -> str:
    """Blank out strings, IRIs and comments so keyword checks do not trip over their text."""
    query = re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'', '""', query)
    query = re.sub(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', '""', query)
    query = re.sub(r"<[^<>\s]*>", "<>", query)
    return re.sub(r"#[^\n]*", "", query)


def check_read_only(query: str) -> str:
    """Return the query with the project's prefixes, or raise if it is not a read-only query.

    Updates are refused because the graph is a build artefact; SERVICE is refused because a
    query must not make the machine call other servers.
    """
    if not query.strip():
        raise StoreError("empty query")
    bare = _strip_literals_and_comments(query)
    if _SERVICE_RE.search(bare):
        raise StoreError("federated queries (SERVICE) are not allowed")
    body = re.sub(r"^\s*(PREFIX\s+\S*\s*<>|BASE\s*<>)\s*", "", bare, flags=re.I | re.M)
    if not re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I):
        if _UPDATE_RE.search(body):
            raise StoreError("updates are not allowed: the graph is read-only")
        raise StoreError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", query, re.I)}
    header = "".join(
        line + "\n"
        for line in sparql_prefixes().splitlines()
        if line.split()[1].rstrip(":").lower() not in declared
    )
    return header + query


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the form of a read-only query (raises like
    :func:`check_read_only` for anything else)."""
    check_read_only(query)
    bare = _strip_literals_and_comments(query)
    body = re.sub(r"^\s*(PREFIX\s+\S*\s*<>|BASE\s*<>)\s*", "", bare, flags=re.I | re.M)
    match = re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.I)
    assert match is not None  # check_read_only refused everything else
    return match.group(1).upper()


def query(graph: Graph, sparql: str):  # type: ignore[no-untyped-def]
    """Run a read-only query (the project's prefixes are predeclared)."""
    text = check_read_only(sparql)
    try:
        return graph.query(text)
    except StoreError:
        raise  # a remote store's own error already names the endpoint and the reason
    except Exception as exc:  # noqa: BLE001 - parser/evaluation errors become one message
        raise StoreError(f"query failed: {exc}") from None
