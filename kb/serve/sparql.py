"""Read-only SPARQL 1.1 with time, row and byte limits, run in worker processes shared fairly.

A thread cannot be stopped once Oxigraph is evaluating a query, so a runaway query (a cartesian
product, a property path over everything) would keep a core busy for as long as it likes. Each
query therefore runs in a worker process that can be killed: when a query overruns its time
limit the process is ended and a new one is started for the next query. A worker loads the graph
of the release it is asked about into its own Oxigraph store and keeps it until a query names
another release. Workers run at a lower CPU priority, so the search of the same server stays
responsive while heavy queries run.

Answers are serialised in the worker in the format the client negotiated (see
:data:`SELECT_FORMATS` and :data:`GRAPH_FORMATS`) and cross the process boundary as bytes. An
answer with more than ``max_rows`` rows (or triples) or more than ``max_bytes`` bytes is refused
as a whole (:class:`AnswerTooLarge`, HTTP 413) rather than cut off silently: a standard client
has no way to see that an answer was cut.

Several workers run side by side (``sparql_workers``); :class:`FairSlots` hands a free worker
to the waiting client that has the fewest queries running, so two clients looping heavy queries
cannot starve a third.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import multiprocessing as mp
import os
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kb.errors import KbError
from kb.rdf.store import GRAPH_FILE, StoreError, check_read_only, query_form

#: How long a fresh worker may take to import Oxigraph and start before we give up.
STARTUP_TIMEOUT = 60.0
#: The name of the one graph this endpoint serves (``default-graph-uri`` may name it).
GRAPH_IRI = "https://w3id.org/jeugdhulp-kb/graph"

#: SELECT/ASK result formats: media type → format name, in order of preference.
SELECT_FORMATS: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
#: CONSTRUCT/DESCRIBE formats: media type → format name, in order of preference.
GRAPH_FORMATS: dict[str, str] = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "text/plain": "nt",
    "application/xml": "rdfxml",
}


class SparqlUnavailable(KbError):
    """No answer now: the query ran past its time limit and was stopped, or every worker was
    busy for too long, did not start or died. The message says which."""


class AnswerTooLarge(KbError):
    """The answer has more rows/triples or bytes than the server hands out; the message names
    the limit."""


# ---------------------------------------------------------------------------------------------
# Content negotiation


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def negotiate(accept: str | None, offered: Iterable[str]) -> str | None:
    """The offered media type the ``Accept`` header prefers (RFC 9110 §12.5.1), or None.

    The most specific matching range gives a type its quality; equal qualities keep the order
    of ``offered``. No header (or an empty one) accepts anything.
    """
    offered = list(offered)
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges = _accept_ranges(accept)
    best: tuple[float, int] | None = None
    choice = None
    for order, media in enumerate(offered):
        kind = media.split("/")[0]
        quality = None
        for pattern in (media, f"{kind}/*", "*/*"):  # the most specific range decides
            matches = [q for p, q in ranges if p == pattern]
            if matches:
                quality = max(matches)
                break
        if quality is None or quality <= 0:
            continue
        key = (quality, -order)
        if best is None or key > best:
            best, choice = key, media
    return choice


def formats_for(form: str) -> dict[str, str]:
    """The media types a query form can be answered in (SELECT/ASK or CONSTRUCT/DESCRIBE)."""
    return SELECT_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS


def service_description(endpoint: str, fmt: str) -> bytes:
    """The SPARQL 1.1 service description of the endpoint at ``endpoint``, as ``fmt``."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph()
    graph.bind("sd", sd)
    graph.bind("formats", formats)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, service))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
    ):
        graph.add((service, sd.resultFormat, formats[name]))
    dataset, default = BNode(), BNode()
    graph.add((service, sd.defaultDataset, dataset))
    graph.add((dataset, RDF.type, sd.Dataset))
    graph.add((dataset, sd.defaultGraph, default))
    graph.add((default, RDF.type, sd.Graph))
    graph.add((default, sd.name, URIRef(GRAPH_IRI)))
    graph.add(
        (
            service,
            URIRef("http://purl.org/dc/terms/title"),
            Literal("Kennisbank jeugdhulp inkoop: SPARQL (alleen lezen)", lang="nl"),
        )
    )
    rdflib_format = {"turtle": "turtle", "nt": "nt", "rdfxml": "xml", "jsonld": "json-ld"}[fmt]
    return graph.serialize(format=rdflib_format, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Serialising answers (in the worker)


class _Bounded(io.RawIOBase):
    """A binary buffer that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        size = len(data)
        if self.buffer.tell() + size > self.limit:
            raise AnswerTooLarge(_bytes_message(self.limit))
        return self.buffer.write(data)


def _bytes_message(limit: int) -> str:
    return (
        f"Antwoord te groot / answer too large: more than {limit:,} bytes "
        "(sparql_max_bytes); add a LIMIT or select fewer or shorter values."
    )


def _rows_message(limit: int) -> str:
    return (
        f"Antwoord te groot / answer too large: more than {limit:,} rows or triples "
        f"(sparql_max_results); add LIMIT {limit} or a narrower pattern."
    )


def _capped(items: Iterable[Any], max_rows: int, max_bytes: int) -> Iterator[Any]:
    """``items`` one by one; raise :class:`AnswerTooLarge` past ``max_rows`` items or about
    ``max_bytes`` bytes of terms (checked while Oxigraph produces them, before memory grows)."""
    size = 0
    for n, item in enumerate(items):
        if n >= max_rows:
            raise AnswerTooLarge(_rows_message(max_rows))
        size += sum(len(str(t)) for t in item if t is not None)
        if size > max_bytes:
            raise AnswerTooLarge(_bytes_message(max_bytes))
        yield item


def _json_term(term: Any) -> dict[str, str]:
    """A pyoxigraph term in the SPARQL 1.1 JSON results format."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    attrs = ""
    if term.language:
        attrs = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        attrs = f" datatype={quoteattr(term.datatype.value)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def _csv_term(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


_XML_HEAD = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def _serialise_select(names: list[str], rows: list[Any], fmt: str) -> str:
    if fmt == "json":
        bindings = [
            {n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
            for row in rows
        ]
        return json.dumps(
            {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
        )
    if fmt == "xml":
        parts = [_XML_HEAD, "<head>"]
        parts += [f"<variable name={quoteattr(n)}/>" for n in names]
        parts.append("</head>\n<results>\n")
        for row in rows:
            parts.append("<result>")
            parts += [
                f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                for n, t in zip(names, row, strict=True)
                if t is not None
            ]
            parts.append("</result>\n")
        parts.append("</results>\n</sparql>\n")
        return "".join(parts)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return out.getvalue()
    # TSV: terms in their Turtle/N-Triples form (SPARQL 1.1 TSV), which pyoxigraph's str() gives.
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _serialise_ask(answer: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": answer})
    if fmt == "xml":
        return f"{_XML_HEAD}<head/>\n<boolean>{str(answer).lower()}</boolean>\n</sparql>\n"
    if fmt == "csv":
        return f"_askResult\r\n{str(answer).lower()}\r\n"
    return f"?_askResult\n{str(answer).lower()}\n"


def _rdf_format(fmt: str) -> Any:
    import pyoxigraph as ox

    return {
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }[fmt]


def run_query(store: Any, sparql: str, fmt: str, max_rows: int, max_bytes: int) -> bytes:
    """Evaluate a read-only query on a pyoxigraph ``store`` and serialise the answer as ``fmt``.

    Raises :class:`StoreError` for a refused or invalid query and :class:`AnswerTooLarge` when
    the answer passes ``max_rows`` or ``max_bytes``.
    """
    text = check_read_only(sparql)
    try:
        result = store.query(text)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"query failed: {exc}") from None
    return serialise_result(result, fmt, max_rows, max_bytes)


def serialise_result(result: Any, fmt: str, max_rows: int, max_bytes: int) -> bytes:
    """A pyoxigraph answer (boolean, solutions or triples) as ``fmt``, within the caps."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        payload = _serialise_ask(bool(result), fmt).encode("utf-8")
    elif isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [list(row) for row in _capped(result, max_rows, max_bytes)]
        payload = _serialise_select(names, rows, fmt).encode("utf-8")
    else:
        payload = _serialise_triples(result, fmt, max_rows, max_bytes)
    if len(payload) > max_bytes:
        raise AnswerTooLarge(_bytes_message(max_bytes))
    return payload


def _serialise_triples(result: Iterable[Any], fmt: str, max_rows: int, max_bytes: int) -> bytes:
    """Triples as ``fmt`` (Turtle with the project's prefixes), within the caps."""
    import pyoxigraph as ox

    from kb.rdf.namespaces import PREFIXES

    out = _Bounded(max_bytes)
    ox.serialize(
        _capped(result, max_rows, max_bytes),
        out,  # type: ignore[arg-type]  # a writable binary stream, as pyoxigraph accepts
        format=_rdf_format(fmt),
        prefixes={k: str(v) for k, v in PREFIXES.items()} if fmt == "turtle" else None,
    )
    payload = out.buffer.getvalue()
    if len(payload) > max_bytes:
        raise AnswerTooLarge(_bytes_message(max_bytes))
    return payload


def load_store(folder: Path) -> Any:
    """A pyoxigraph store holding a release's graph (in the default graph)."""
    import pyoxigraph as ox

    path = folder / GRAPH_FILE
    if not path.is_file():
        raise StoreError(f"{path.name}: no graph found in release {folder.name}")
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError, OSError) as exc:
        raise StoreError(f"{path.name}: cannot load the graph: {exc}") from None
    return store


@dataclass(frozen=True)
class RemoteTarget:
    """A release on a SPARQL server (what a worker queries instead of a release folder)."""

    endpoint: Any  # kb.rdf.remote.Endpoint
    graph_iri: str


def remote_answer(
    target: RemoteTarget, sparql: str, fmt: str, max_rows: int, max_bytes: int
) -> bytes:
    """Answer a read-only query from the server's release graph, serialised as ``fmt``.

    The server answers in SPARQL JSON or N-Triples, read up to a bounded size; the answer is
    parsed with pyoxigraph and serialised here, so the caps and formats equal the local ones.
    """
    import pyoxigraph as ox

    from kb.rdf.remote import query_raw

    text = check_read_only(sparql)
    form = query_form(sparql)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    response = query_raw(target.endpoint, text, accept=accept, default_graph=target.graph_iri)
    # The server's own encoding is more verbose than most served formats: allow it a margin.
    if len(response.content) > 4 * max_bytes:
        raise AnswerTooLarge(_bytes_message(max_bytes))
    try:
        if graph_form:
            quads = ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)
            result: Any = (quad.triple for quad in quads)
            return _serialise_triples(result, fmt, max_rows, max_bytes)
        result = ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"unreadable answer from the SPARQL server: {exc}") from None
    return serialise_result(result, fmt, max_rows, max_bytes)


def _limit_memory(max_memory_mb: int | None) -> None:
    """Cap the worker's address space: a query that sorts or groups a huge intermediate result
    then ends this process (and only it) instead of taking the machine's memory."""
    if not max_memory_mb:
        return
    try:
        import resource

        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass  # not on this platform: the time limit still stops the query


def _worker_main(conn: Connection, max_memory_mb: int | None = None) -> None:
    """A worker's loop: receive (release folder, query, format, caps), answer, repeat."""
    with contextlib.suppress(OSError):
        os.nice(10)  # heavy queries yield the cores to search requests of the same server
    _limit_memory(max_memory_mb)
    # A query stopped by the memory limit makes Oxigraph print a Rust backtrace; queries looping
    # into that limit must not fill the server's log. Errors reach the server over the pipe.
    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    stores: dict[str, Any] = {}
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        folder, sparql, fmt, max_rows, max_bytes = message
        try:
            if isinstance(folder, RemoteTarget):
                # The graph lives on a SPARQL server: ask it here, in the killable worker, so
                # the time, row, byte and memory limits hold as for the local graph.
                conn.send(("ok", remote_answer(folder, sparql, fmt, max_rows, max_bytes)))
                continue
            if folder not in stores:
                stores.clear()  # one release at a time: an old graph is never queried again
                stores[folder] = load_store(Path(folder))
            conn.send(("ok", run_query(stores[folder], sparql, fmt, max_rows, max_bytes)))
        except AnswerTooLarge as exc:
            conn.send(("too-large", str(exc)))
        except StoreError as exc:
            conn.send(("error", str(exc)))
        except Exception as exc:  # noqa: BLE001 - any evaluation failure is the query's problem
            conn.send(("error", f"query failed: {type(exc).__name__}: {exc}"))


# ---------------------------------------------------------------------------------------------
# Fair sharing of the workers


class FairSlots:
    """``slots`` places shared by clients: a freed place goes to the waiting client with the
    fewest places in use, then to the one waiting longest; one client never holds more than
    ``per_client`` places (by default all but one), so no client can hold them all."""

    def __init__(self, slots: int, per_client: int | None = None) -> None:
        self.free = slots
        #: Most places one client may hold: one fewer than all, so one is left for the others.
        self.per_client = per_client or max(1, slots - 1)
        self._cond = threading.Condition()
        self._waiting: list[tuple[int, str]] = []  # (ticket, client), oldest first
        self._running: Counter[str] = Counter()
        self._tickets = itertools.count()

    def _next(self) -> int | None:
        eligible = [w for w in self._waiting if self._running[w[1]] < self.per_client]
        if not eligible:
            return None
        return min(eligible, key=lambda w: (self._running[w[1]], w[0]))[0]

    def acquire(self, client: str, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for a place; False when none came."""
        deadline = time.monotonic() + timeout
        with self._cond:
            ticket = next(self._tickets)
            self._waiting.append((ticket, client))
            try:
                while not (self.free > 0 and self._next() == ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._cond.wait(remaining)
                self.free -= 1
                self._running[client] += 1
                return True
            finally:
                self._waiting.remove((ticket, client))
                self._cond.notify_all()  # the next in line may be someone else now

    def release(self, client: str) -> None:
        """Give a place back."""
        with self._cond:
            self.free += 1
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
            self._cond.notify_all()


@dataclass
class _Worker:
    proc: Any = None
    conn: Connection | None = None

    def alive(self) -> bool:
        return self.proc is not None and self.proc.is_alive() and self.conn is not None

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.join(5)
        if self.conn is not None:
            self.conn.close()
        self.proc = self.conn = None


class SparqlRunner:
    """Runs queries in ``workers`` worker processes, shared fairly among clients; a worker is
    killed when its query overruns ``timeout`` seconds."""

    def __init__(
        self,
        timeout: float,
        max_results: int,
        max_bytes: int = 20_000_000,
        workers: int = 3,
        max_memory_mb: int | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self.max_results = max_results
        self.max_bytes = max_bytes
        self._ctx = mp.get_context("spawn")  # fork after torch/uvicorn threads is unsafe
        self._slots = FairSlots(workers)
        self._idle = [_Worker() for _ in range(workers)]
        self._idle_lock = threading.Lock()

    def start(self) -> None:
        """Start one worker now (otherwise the first query starts it)."""
        with self._idle_lock:
            worker = self._idle[0]
        self._ensure(worker)

    def _ensure(self, worker: _Worker) -> Connection:
        if worker.alive():
            assert worker.conn is not None
            return worker.conn
        worker.stop()
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker_main, args=(child, self.max_memory_mb), daemon=True, name="kb-sparql"
        )
        proc.start()
        child.close()
        try:
            if not parent.poll(STARTUP_TIMEOUT):
                raise EOFError
            parent.recv()
        except (EOFError, OSError):
            proc.kill()
            parent.close()
            raise SparqlUnavailable(
                "De SPARQL-dienst start niet / the SPARQL worker did not start."
            ) from None
        worker.proc, worker.conn = proc, parent
        return parent

    def run(
        self, release_dir: Path | RemoteTarget, sparql: str, fmt: str, client: str = ""
    ) -> bytes:
        """Answer a read-only query on a release's graph (its folder, or its graph on a SPARQL
        server), serialised as ``fmt``.

        Raises :class:`StoreError` (refused or invalid query), :class:`AnswerTooLarge` or
        :class:`SparqlUnavailable` (stopped after the time limit, no worker free in time, or the
        worker died).
        """
        check_read_only(sparql)  # refuse updates and SERVICE before anything else runs
        if not self._slots.acquire(client, self.timeout):
            raise SparqlUnavailable(
                "De SPARQL-dienst is bezig / the SPARQL service is busy: try again shortly."
            )
        with self._idle_lock:
            worker = self._idle.pop()
        try:
            return self._ask(worker, release_dir, sparql, fmt)
        finally:
            with self._idle_lock:
                self._idle.append(worker)
            self._slots.release(client)

    def _ask(
        self, worker: _Worker, release_dir: Path | RemoteTarget, sparql: str, fmt: str
    ) -> bytes:
        conn = self._ensure(worker)
        try:
            target = release_dir if isinstance(release_dir, RemoteTarget) else str(release_dir)
            conn.send((target, sparql, fmt, self.max_results, self.max_bytes))
            ready = conn.poll(self.timeout)
        except (OSError, EOFError):
            ready = False
        if not ready:
            worker.stop()
            raise SparqlUnavailable(
                f"Tijdslimiet overschreden / query stopped after {self.timeout:g} s: "
                "add a LIMIT or make the pattern more specific."
            )
        try:
            status, payload = conn.recv()
        except (OSError, EOFError):
            worker.stop()  # the worker died (its memory limit?): start afresh next time
            raise SparqlUnavailable(
                "De SPARQL-vraag is gestopt / the query was stopped: it needed more memory than "
                f"sparql_max_memory_mb ({self.max_memory_mb} MB) allows, or the worker crashed; "
                "add a LIMIT or make the pattern more specific."
            ) from None
        if status == "too-large":
            raise AnswerTooLarge(payload)
        if status != "ok":
            raise StoreError(payload)
        return payload

    def close(self) -> None:
        """Stop the worker processes."""
        with self._idle_lock:
            for worker in self._idle:
                if worker.conn is not None:
                    with contextlib.suppress(OSError):
                        worker.conn.send(None)
                worker.stop()


__all__ = [
    "GRAPH_FORMATS",
    "GRAPH_IRI",
    "SELECT_FORMATS",
    "AnswerTooLarge",
    "FairSlots",
    "RemoteTarget",
    "SparqlRunner",
    "SparqlUnavailable",
    "formats_for",
    "load_store",
    "negotiate",
    "query_form",
    "remote_answer",
    "run_query",
    "serialise_result",
    "service_description",
]
