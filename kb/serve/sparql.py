"""Read-only SPARQL with a time limit and a result cap, run in a separate worker process.

A thread cannot be stopped once Oxigraph is evaluating a query, so a runaway query (a cartesian
product, a property path over everything) would keep a core busy for as long as it likes. The
worker process can be killed: when a query overruns its time limit the process is ended and a new
one is started for the next query. The worker loads the graph of the release it is asked about
(about 0.1 s for the sample corpus) and keeps it until a query names another release.

Answers are plain data (lists, dicts, strings) so they cross the process boundary cheaply:

- SELECT → ``{"type": "SELECT", "head": {"vars": [...]}, "results": {"bindings": [...]},
  "truncated": bool}`` (the SPARQL 1.1 JSON results format plus ``truncated``);
- ASK → ``{"type": "ASK", "head": {}, "boolean": bool}``;
- CONSTRUCT / DESCRIBE → ``{"type": ..., "turtle": str, "triples": int, "truncated": bool}``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kb.errors import KbError
from kb.rdf.store import StoreError, check_read_only

#: How long a fresh worker may take to import rdflib and Oxigraph before we give up.
STARTUP_TIMEOUT = 60.0


class SparqlUnavailable(KbError):
    """No answer now: the query ran past its time limit and was stopped, or the worker was busy
    with another query for too long, did not start or died. The message says which."""


def _term(term: Any) -> dict[str, str]:
    """An rdflib term in the SPARQL 1.1 JSON results format."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def run_query(graph: Any, sparql: str, max_results: int) -> dict[str, Any]:
    """Evaluate a read-only query on ``graph`` and shape the answer (see the module docstring)."""
    from rdflib import Graph

    from kb.rdf.namespaces import bind_prefixes
    from kb.rdf.store import query

    result = query(graph, sparql)
    kind = str(result.type or "").upper()
    if kind == "ASK":
        return {"type": "ASK", "head": {}, "boolean": bool(result.askAnswer)}
    if kind == "SELECT":
        names = [str(v) for v in result.vars or []]
        bindings = []
        truncated = False
        for row in result:
            if len(bindings) >= max_results:
                truncated = True
                break
            values = row.asdict()
            bindings.append({k: _term(v) for k, v in values.items() if v is not None})
        return {
            "type": "SELECT",
            "head": {"vars": names},
            "results": {"bindings": bindings},
            "truncated": truncated,
        }
    # CONSTRUCT / DESCRIBE: a graph, cut to max_results triples.
    capped = Graph()
    bind_prefixes(capped)
    truncated = False
    for n, triple in enumerate(result.graph or []):
        if n >= max_results:
            truncated = True
            break
        capped.add(triple)
    return {
        "type": kind or "CONSTRUCT",
        "turtle": capped.serialize(format="turtle"),
        "triples": len(capped),
        "truncated": truncated,
    }


def _worker_main(conn: Connection) -> None:
    """The worker's loop: receive (release folder, query, cap), answer, repeat."""
    from kb.rdf.store import load_graph

    graphs: dict[str, Any] = {}
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        folder, sparql, max_results = message
        try:
            if folder not in graphs:
                graphs.clear()  # one release at a time: an old graph is never queried again
                graphs[folder] = load_graph(Path(folder))
            conn.send(("ok", run_query(graphs[folder], sparql, max_results)))
        except StoreError as exc:
            conn.send(("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - any evaluation failure is the query's problem
            conn.send(("error", f"query failed: {type(exc).__name__}: {exc}"))


class SparqlRunner:
    """Runs queries one at a time in a worker process, which is killed when a query overruns."""

    def __init__(self, timeout: float, max_results: int) -> None:
        self.timeout = timeout
        self.max_results = max_results
        self._lock = threading.Lock()
        self._ctx = mp.get_context("spawn")  # fork after torch/uvicorn threads is unsafe
        self._proc: Any = None
        self._conn: Connection | None = None

    def start(self) -> None:
        """Start the worker now (otherwise the first query starts it)."""
        with self._lock:
            self._ensure_worker()

    def _ensure_worker(self) -> Connection:
        if self._proc is not None and self._proc.is_alive() and self._conn is not None:
            return self._conn
        self._stop_worker()
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker_main, args=(child,), daemon=True, name="kb-sparql")
        proc.start()
        child.close()
        if not parent.poll(STARTUP_TIMEOUT):
            proc.kill()
            raise SparqlUnavailable(
                "De SPARQL-dienst start niet / the SPARQL worker did not start."
            )
        parent.recv()
        self._proc, self._conn = proc, parent
        return parent

    def _stop_worker(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def run(self, release_dir: Path, sparql: str) -> dict[str, Any]:
        """Answer a read-only query on a release's graph.

        Raises :class:`StoreError` (refused or invalid query) or :class:`SparqlUnavailable`
        (stopped after the time limit, or the worker stayed busy too long or died).
        """
        check_read_only(sparql)  # refuse updates and SERVICE before anything else runs
        if not self._lock.acquire(timeout=self.timeout):
            raise SparqlUnavailable(
                "De SPARQL-dienst is bezig / the SPARQL service is busy: try again shortly."
            )
        try:
            conn = self._ensure_worker()
            try:
                conn.send((str(release_dir), sparql, self.max_results))
                ready = conn.poll(self.timeout)
            except (OSError, EOFError):
                ready = False
            if not ready:
                self._stop_worker()
                raise SparqlUnavailable(
                    f"Tijdslimiet overschreden / query stopped after {self.timeout:g} s: "
                    "add a LIMIT or make the pattern more specific."
                )
            try:
                status, payload = conn.recv()
            except (OSError, EOFError):
                self._stop_worker()  # the worker died (out of memory?): start afresh next time
                raise SparqlUnavailable(
                    "De SPARQL-dienst is gestopt / the SPARQL worker stopped; try again."
                ) from None
            if status != "ok":
                raise StoreError(payload)
            return payload
        finally:
            self._lock.release()

    def close(self) -> None:
        """Stop the worker process."""
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError):
                    self._conn.send(None)
            self._stop_worker()
