"""The graph on a SPARQL 1.1 server: reading the current release and publishing a new one.

``kb publish`` uploads a release's graph with the SPARQL 1.1 Graph Store Protocol into a named
graph of its own (:func:`release_graph_iri`), checks that the server holds every triple, and
then makes it current with one SPARQL 1.1 Update request that replaces one triple in a small
pointer graph (:data:`RELEASES_GRAPH`)::

    <…/dataset> dcat:hasCurrentVersion <…/release/20260101T000000Z> .

Why this switch is atomic: the request changes one triple, and Oxigraph applies one update
request as one transaction ("updates are applied in a transactional manner: either the full
operation succeeds, or nothing is written", pyoxigraph's ``Store.update``) while its readers
read snapshots; tests/acceptance/test_sparql_server.py polls through a switch. A reader
asks for the pointer first and then queries the release's graph by name, so it sees either the
old complete graph or the new complete graph, never an empty or half-loaded one. A failing
upload never reaches the switch, so the previous release stays current. Releases beyond
``keep_releases`` earlier ones are dropped after the switch (never the current one).

Reading (:func:`remote_graph`) gives an ordinary rdflib :class:`~rdflib.Graph` over a
:class:`~rdflib.plugins.stores.sparqlstore.SPARQLStore` whose queries carry
``default-graph-uri=<release graph>``: the views' SPARQL runs on the server unchanged. Every
request has a bounded timeout; a server that is down, refuses the credentials or answers with
an error raises :class:`RemoteError` naming the setting, the URL and the reason.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result

from kb.rdf.namespaces import bind_prefixes
from kb.rdf.store import GRAPH_FILE, StoreError

#: The dataset whose versions the releases are (the IRI of the site's DCAT record).
DATASET_IRI = "https://w3id.org/jeugdhulp-kb/dataset"
#: The named graph that says which release is current (and which are published).
RELEASES_GRAPH = "https://w3id.org/jeugdhulp-kb/releases"
#: A release's graph is named this prefix + the release id (its folder name under releases/).
RELEASE_PREFIX = "https://w3id.org/jeugdhulp-kb/release/"

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"


class RemoteError(StoreError):
    """A SPARQL server could not be reached or refused a request; the message names the
    setting, its URL and the reason."""


@dataclass(frozen=True)
class Endpoint:
    """Where the graph lives on a SPARQL server, and how to talk to it."""

    query_url: str
    update_url: str | None = None
    store_url: str | None = None
    auth: tuple[str, str] | None = None
    timeout: float = 30.0

    def client(self, timeout: float | None = None) -> httpx.Client:
        """This process's HTTP client for these credentials and timeout (connect and each read).

        One client per process and setting, kept: its connection pool saves a TCP handshake on
        each of the many small queries the views send.
        """
        key = (os.getpid(), self.auth, self.timeout if timeout is None else timeout)
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = httpx.Client(auth=self.auth, timeout=key[2])
            return client


_clients: dict[tuple[int, tuple[str, str] | None, float], httpx.Client] = {}
_clients_lock = threading.Lock()


def endpoint_of(settings: Any) -> Endpoint | None:
    """The endpoint the settings name (``sparql_endpoint`` …), or None for the local build."""
    url = getattr(settings, "sparql_endpoint", None)
    if not url:
        return None
    user = getattr(settings, "sparql_user", None)
    password = getattr(settings, "sparql_password", None)
    if password is not None and hasattr(password, "get_secret_value"):
        password = password.get_secret_value()
    auth = (user, password or "") if user else None
    return Endpoint(
        query_url=url,
        update_url=getattr(settings, "sparql_update_endpoint", None) or None,
        store_url=getattr(settings, "sparql_graph_store", None) or None,
        auth=auth,
        timeout=float(getattr(settings, "sparql_remote_timeout", 30.0)),
    )


def release_graph_iri(release_id: str) -> str:
    """The name of a release's graph on the server."""
    return RELEASE_PREFIX + quote(release_id, safe="")


# ---------------------------------------------------------------------------------------------
# HTTP with clear errors


def _request(
    endpoint: Endpoint,
    setting: str,
    url: str,
    method: str,
    *,
    timeout: float | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """One request; every failure becomes a :class:`RemoteError` naming ``setting`` and ``url``."""
    where = f"{setting} = {url}"
    try:
        response = endpoint.client(timeout).request(method, url, **kwargs)
    except httpx.TimeoutException:
        limit = endpoint.timeout if timeout is None else timeout
        raise RemoteError(
            f"{where}: no answer within {limit:g} s (sparql_remote_timeout)"
        ) from None
    except httpx.HTTPError as exc:
        raise RemoteError(f"{where}: cannot reach the server: {exc}") from None
    if response.status_code in (401, 403):
        raise RemoteError(
            f"{where}: the server refused access (HTTP {response.status_code}); set "
            "sparql_user and sparql_password (KB_SPARQL_USER, KB_SPARQL_PASSWORD)"
        )
    if response.status_code >= 400:
        reason = response.text.strip().splitlines()[0][:300] if response.text.strip() else ""
        raise RemoteError(f"{where}: HTTP {response.status_code}: {reason}")
    return response


def query_raw(
    endpoint: Endpoint,
    sparql: str,
    *,
    accept: str,
    default_graph: str | None = None,
    timeout: float | None = None,
) -> httpx.Response:
    """POST a query (SPARQL 1.1 Protocol, query via POST directly) and return the response."""
    params = {"default-graph-uri": default_graph} if default_graph else None
    return _request(
        endpoint,
        "sparql_endpoint",
        endpoint.query_url,
        "POST",
        timeout=timeout,
        params=params,
        content=sparql.encode("utf-8"),
        headers={"Content-Type": "application/sparql-query", "Accept": accept},
    )


def query_result(endpoint: Endpoint, sparql: str, default_graph: str | None = None) -> Result:
    """A query's answer as an rdflib :class:`~rdflib.query.Result` (SELECT/ASK as SPARQL JSON,
    CONSTRUCT/DESCRIBE as N-Triples)."""
    response = query_raw(
        endpoint,
        sparql,
        accept=f"{_RESULTS_JSON}, {_NTRIPLES};q=0.9",
        default_graph=default_graph,
    )
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if media in ("application/n-triples", "text/plain", "text/turtle"):
            result = Result("CONSTRUCT")
            graph = Graph()
            graph.parse(data=response.content, format="nt" if media != "text/turtle" else "turtle")
            result.graph = graph
            return result
        return Result.parse(io.BytesIO(response.content), content_type=media or _RESULTS_JSON)
    except Exception as exc:  # noqa: BLE001 - any parse failure means an answer we cannot use
        raise RemoteError(
            f"sparql_endpoint = {endpoint.query_url}: unreadable answer ({media}): {exc}"
        ) from None


def update(endpoint: Endpoint, sparql: str) -> None:
    """Send one SPARQL 1.1 Update request (one transaction on the server)."""
    if not endpoint.update_url:
        raise RemoteError("sparql_update_endpoint is not set: 'kb publish' needs it")
    _request(
        endpoint,
        "sparql_update_endpoint",
        endpoint.update_url,
        "POST",
        content=sparql.encode("utf-8"),
        headers={"Content-Type": "application/sparql-update; charset=utf-8"},
    )


# ---------------------------------------------------------------------------------------------
# Reading


def _rdf11(term: Any) -> Any:
    """A literal without language or datatype as ``xsd:string``, as the local store gives it.

    In RDF 1.1 both are the same term, but rdflib tells them apart, and SPARQL JSON results
    leave the datatype out: without this, a description read from a server would serialise
    (and compare) differently from the same description read locally.
    """
    if isinstance(term, Literal) and term.language is None and term.datatype is None:
        return Literal(str(term), datatype=XSD.string)
    return term


def _normalised(result: Result) -> Result:
    if result.type == "SELECT" and result.bindings:
        result.bindings = [{k: _rdf11(v) for k, v in row.items()} for row in result.bindings]
    elif result.type in ("CONSTRUCT", "DESCRIBE") and result.graph is not None:
        graph = Graph()
        for s, p, o in result.graph:
            graph.add((s, p, _rdf11(o)))
        result.graph = graph
    return result


class RemoteStore(SPARQLStore):
    """rdflib's read-only SPARQL store, with this module's HTTP (timeouts, clear errors)."""

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(endpoint.query_url, returnFormat="json")
        self.endpoint = endpoint

    def _query(self, query: str, default_graph: str | None = None, **_: Any) -> Result:  # type: ignore[override]
        self._queries += 1
        graph = str(default_graph) if default_graph is not None else None
        return _normalised(query_result(self.endpoint, query, default_graph=graph))


def current_release(endpoint: Endpoint) -> str | None:
    """The IRI of the release graph the server's pointer names as current (None: none yet)."""
    result = query_result(
        endpoint,
        f"SELECT ?g WHERE {{ GRAPH <{RELEASES_GRAPH}> "
        f"{{ <{DATASET_IRI}> <{_DCAT}hasCurrentVersion> ?g }} }} LIMIT 1",
    )
    for row in result:
        return str(row[0])  # type: ignore[index]
    return None


def remote_graph(endpoint: Endpoint, release_iri: str | None = None) -> Graph:
    """A read-only Graph over the server's current release (or ``release_iri``).

    Raises :class:`RemoteError` when the server cannot be reached or has no release yet.
    """
    release_iri = release_iri or current_release(endpoint)
    if release_iri is None:
        raise RemoteError(
            f"sparql_endpoint = {endpoint.query_url}: no release published there yet; "
            "run 'kb publish'"
        )
    graph = Graph(store=RemoteStore(endpoint), identifier=URIRef(release_iri))
    bind_prefixes(graph)
    return graph


# ---------------------------------------------------------------------------------------------
# Publishing


@dataclass
class PublishResult:
    """What ``kb publish`` did."""

    release_id: str
    graph_iri: str
    triples: int
    previous: str | None
    dropped: list[str]
    seconds: float


def _count_triples(path: Path) -> int:
    """Triples in an N-Triples file (one per non-empty, non-comment line)."""
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip() and not line.lstrip().startswith(b"#"))


def _chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def _count_remote(endpoint: Endpoint, graph_iri: str) -> int:
    result = query_result(
        endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    )
    for row in result:
        return int(row[0])  # type: ignore[index,arg-type]
    return 0


def published_releases(endpoint: Endpoint) -> list[tuple[str, str]]:
    """(graph IRI, issued) of every release the pointer graph lists, newest first."""
    result = query_result(
        endpoint,
        f"SELECT ?g ?issued WHERE {{ GRAPH <{RELEASES_GRAPH}> {{ "
        f"<{DATASET_IRI}> <{_DCAT}hasVersion> ?g . "
        f"OPTIONAL {{ ?g <{_DCT}issued> ?issued }} }} }} ORDER BY DESC(?issued) DESC(?g)",
    )
    return [(str(row[0]), str(row[1] or "")) for row in result]  # type: ignore[index]


def switch_update(graph_iri: str, issued: str) -> str:
    """The one SPARQL Update request that makes ``graph_iri`` the current release."""
    pointer = f"GRAPH <{RELEASES_GRAPH}> {{ <{DATASET_IRI}> <{_DCAT}hasCurrentVersion> ?old }}"
    return (
        f"DELETE {{ {pointer} }}\nWHERE {{ {pointer} }} ;\n"
        f"INSERT DATA {{ GRAPH <{RELEASES_GRAPH}> {{\n"
        f"  <{DATASET_IRI}> <{_DCAT}hasCurrentVersion> <{graph_iri}> .\n"
        f"  <{DATASET_IRI}> <{_DCAT}hasVersion> <{graph_iri}> .\n"
        f'  <{graph_iri}> <{_DCT}issued> "{issued}"^^<{_XSD}dateTime> .\n'
        "} }"
    )


def publish_release(
    release_dir: Path, endpoint: Endpoint, *, keep_releases: int = 3
) -> PublishResult:
    """Upload ``release_dir``'s graph into its own named graph, check it, make it current in
    one update request, then drop releases older than ``keep_releases`` earlier ones.

    Raises :class:`RemoteError` (the previous release stays current) when a step fails.
    """
    import time

    t0 = time.perf_counter()
    release_dir = Path(release_dir).resolve()
    source = release_dir / GRAPH_FILE
    if not source.is_file():
        raise StoreError(f"{source}: no graph found; run 'kb build' first")
    if not endpoint.store_url:
        raise RemoteError("sparql_graph_store is not set: 'kb publish' needs it")
    if not endpoint.update_url:
        raise RemoteError("sparql_update_endpoint is not set: 'kb publish' needs it")
    release_id = release_dir.name
    graph_iri = release_graph_iri(release_id)
    previous = current_release(endpoint)
    if previous == graph_iri:
        # Uploading over the graph that is being served could show readers a half-written
        # graph on a server that does not replace a graph in one transaction: check instead.
        stored = _count_remote(endpoint, graph_iri)
        expected = _count_triples(source)
        if stored != expected:
            raise RemoteError(
                f"sparql_graph_store = {endpoint.store_url}: release {release_id} is current "
                f"on the server but holds {stored} triples, not the build's {expected}; "
                "build a new release and publish that"
            )
        dropped = prune_releases(endpoint, keep_releases=keep_releases)
        return PublishResult(
            release_id, graph_iri, stored, previous, dropped, time.perf_counter() - t0
        )
    # PUT replaces the named graph as a whole (Graph Store Protocol); a retry after a failed
    # upload therefore starts clean. Uploads get a longer read timeout: the server answers
    # only once it has stored everything.
    _request(
        endpoint,
        "sparql_graph_store",
        endpoint.store_url,
        "PUT",
        timeout=max(endpoint.timeout, 300.0),
        params={"graph": graph_iri},
        content=_chunks(source),
        headers={"Content-Type": _NTRIPLES},
    )
    expected = _count_triples(source)
    stored = _count_remote(endpoint, graph_iri)
    if stored != expected:
        raise RemoteError(
            f"sparql_graph_store = {endpoint.store_url}: the server holds {stored} triples of "
            f"release {release_id}, the build has {expected}; the current release stays "
            f"{previous or '(none)'}"
        )
    issued = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    update(endpoint, switch_update(graph_iri, issued))
    dropped = prune_releases(endpoint, keep_releases=keep_releases)
    return PublishResult(release_id, graph_iri, stored, previous, dropped, time.perf_counter() - t0)


def prune_releases(endpoint: Endpoint, *, keep_releases: int) -> list[str]:
    """Drop the graphs of releases older than the current one and ``keep_releases`` more."""
    current = current_release(endpoint)
    others = [g for g, _ in published_releases(endpoint) if g != current]
    dropped = others[keep_releases:]
    for graph_iri in dropped:
        # One request per release: the pointer entry and its graph go together.
        update(
            endpoint,
            f"DELETE WHERE {{ GRAPH <{RELEASES_GRAPH}> {{ <{graph_iri}> ?p ?o }} }} ;\n"
            f"DELETE DATA {{ GRAPH <{RELEASES_GRAPH}> "
            f"{{ <{DATASET_IRI}> <{_DCAT}hasVersion> <{graph_iri}> }} }} ;\n"
            f"DROP SILENT GRAPH <{graph_iri}>",
        )
    return dropped
