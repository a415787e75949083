"""The HTTP service of ``kb serve``: the built site, search, entity cards, SPARQL and Word chapters.

``create_app(settings, chapter_writer=...)`` builds a FastAPI app over the release
``build/current`` points at and follows that link (see :mod:`kb.serve.state`). The Word chapter
download needs a chapter writer (:class:`kb.serve.chapter.ChapterWriter`) and links from hits to
site pages need the site's address scheme (:class:`kb.serve.links.SiteAddresses`); ``kb serve``
passes both in from the generator. Without a writer that endpoint answers 503; without an
address scheme hits have no links. Every error is JSON with an ``error`` message in
Dutch and English and a 4xx status; a bug becomes a plain 500 message, never a traceback. API
answers are ``application/json`` with a CSP that forbids everything, so document text (which may
contain ``<script>``) is data a browser never renders as HTML.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from kb.errors import KbError
from kb.rdf.store import StoreError, query_form
from kb.search.searcher import MAX_TOP_K, SearchError, validate_query
from kb.serve.chapter import ChapterWriter, write_chapter
from kb.serve.limits import RequestLimits
from kb.serve.linked_data import register as register_linked_data
from kb.serve.links import SiteAddresses, hit_links
from kb.serve.sparql import (
    GRAPH_FORMATS,
    GRAPH_IRI,
    AnswerTooLarge,
    SparqlRunner,
    SparqlUnavailable,
    formats_for,
    negotiate,
    service_description,
)
from kb.serve.state import Release, ReleaseHolder
from kb.serve.static import (
    SecurityHeaders,
    docs_csp,
    not_found_page,
    resolve_static,
    site_csp,
)

log = logging.getLogger("kb.serve.app")

#: Longest SPARQL query text accepted (characters).
MAX_SPARQL_CHARS = 20_000
#: Longest filter value accepted (characters).
MAX_FILTER_CHARS = 200
#: Largest request body (bytes), refused while reading: only SPARQL via POST sends one.
MAX_REQUEST_BODY = 256 * 1024
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ApiError(KbError):
    """An error answer: HTTP status and a message for the client."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def _no_build() -> ApiError:
    return ApiError(
        503, "Nog geen build / no build to serve yet: run 'kb build' first, the server picks it up."
    )


def _check_filter(kind: str, value: str | None, known: list[str]) -> str | None:
    """A filter value that matches something in the index, as :class:`kb.search.searcher.Searcher`
    does.

    The searcher matches a filter case-insensitively, whole or as part of a value; a value that
    matches nothing would silently give no hits, so it is refused with the values that exist.
    """
    if value is None:
        return None
    want = value.strip().lower()
    if not want:
        return None
    if not any(want == k.lower() or want in k.lower() for k in known):
        raise ApiError(
            400,
            f"Onbekend {kind} / unknown {kind}: {value!r}. Known values: {', '.join(known)}.",
            known=known,
        )
    return value.strip()


def _searchable(holder: ReleaseHolder) -> Release:
    release = holder.get()
    if release is None:
        raise _no_build()
    if release.searcher is None:
        raise ApiError(503, release.search_error or "Zoeken is niet beschikbaar / no search index.")
    return release


def _entity_iri(entity_id: str) -> str:
    """``segment/x/y``, ``kbi:segment/x/y`` or a full IRI → full IRI."""
    from kb.rdf.namespaces import KBI
    from kb.views.lookup import expand

    text = entity_id.strip()
    if text.startswith(("http:/", "https:/")) and "://" not in text:
        text = text.replace(":/", "://", 1)  # a proxy or client merged the double slash
    if not text or len(text) > 2000 or any(c in text for c in '<>"{}|^`\\ \n'):
        raise ApiError(400, f"Ongeldige id / invalid entity id: {entity_id!r}")
    return expand(text) or str(KBI[text.lstrip("/")])


def _check_dataset(default_graphs: list[str], named_graphs: list[str]) -> None:
    """``default-graph-uri`` may name the one graph served; there are no named graphs."""
    unknown = [g for g in default_graphs if g != GRAPH_IRI]
    if unknown:
        raise ApiError(
            400,
            f"Onbekende graaf / unknown graph {unknown[0]!r}: this endpoint has one graph, "
            f"<{GRAPH_IRI}>, which is also the default graph.",
        )
    if named_graphs:
        raise ApiError(
            400,
            f"Geen benoemde grafen / no named graphs here: use default-graph-uri={GRAPH_IRI} "
            "or leave both out.",
        )


def _client(request: Request) -> str:
    """Who is asking, for the fair share of SPARQL workers (the address uvicorn reports; behind
    a trusted proxy that is the forwarded client address)."""
    return request.client.host if request.client else ""


def _chapter_segment(release: Release, segment: str) -> Any:
    """The kb:Segment a user names (label, slug or id); 404/400 with candidates otherwise."""
    from rdflib import URIRef

    from kb.views.lookup import Ambiguous, resolve_segment

    name = _entity_iri(segment) if "/" in segment or ":" in segment else segment
    try:
        return URIRef(resolve_segment(release.graph, name))
    except Ambiguous as exc:
        raise ApiError(400, str(exc)) from None
    except StoreError as exc:
        raise ApiError(404, f"Onbekend segment / {exc}") from None


def create_app(
    settings: Any,
    *,
    chapter_writer: ChapterWriter | None = None,
    site_addresses: SiteAddresses | None = None,
    holder: ReleaseHolder | None = None,
) -> FastAPI:
    """The FastAPI app serving the build in ``settings.build_dir`` (its ``current`` link).

    ``chapter_writer`` writes the Word chapter of ``/api/generate/chapter``; without it that
    endpoint answers 503. ``site_addresses`` turns hits into links to the site's pages.
    """
    holder = holder or ReleaseHolder(settings)
    sparql = SparqlRunner(
        settings.sparql_timeout,
        settings.sparql_max_results,
        max_bytes=settings.sparql_max_bytes,
        workers=settings.sparql_workers,
        max_memory_mb=settings.sparql_max_memory_mb,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        holder.get()  # load the current build before the first request
        yield
        sparql.close()

    app = FastAPI(
        title="Kennisbank jeugdhulp inkoop",
        description="Zoeken in beleid, entiteiten, SPARQL (alleen lezen) en Word-hoofdstukken.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served below: a pinned Swagger UI with subresource integrity
        redoc_url=None,  # ReDoc would load another unpinned script; /docs is enough
    )
    app.state.holder = holder
    app.state.sparql = sparql
    # Added first, so SecurityHeaders (added last: outermost) also covers its 413 answers.
    app.add_middleware(RequestLimits, max_body=MAX_REQUEST_BODY)
    swagger = _swagger_page()
    app.add_middleware(
        SecurityHeaders,
        site_csp=lambda: site_csp(r.site_dir if (r := holder.get()) else None),
        docs_csp=docs_csp(bytes(swagger.body).decode("utf-8")),
    )
    _add_error_handlers(app)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(bytes(swagger.body))

    @app.get("/healthz", tags=["service"], summary="Status en de build die wordt geserveerd")
    def healthz() -> JSONResponse:
        release = holder.get()
        body: dict[str, Any] = {
            "status": "ok" if release is not None else "no-build",
            "release": release.name if release else None,
            "loaded_at": release.loaded_at if release else None,
            "search": release is not None and release.searcher is not None,
            "site": release is not None and release.has_site(),
            "reloads": holder.reloads,
            "reload_error": holder.last_error,
        }
        return JSONResponse(body, status_code=200 if release is not None else 503)

    @app.get(
        "/api/filters",
        tags=["search"],
        summary="Waarden en Nederlandse namen voor de filters segment, regio, soort en jaar",
    )
    def filters() -> dict[str, Any]:
        release = _searchable(holder)
        labels = _search_labels(release, settings)
        return {
            "release": release.name,
            "segments": labels["segments"],
            "regions": release.regions,
            # Regions apart from subregions (``regions`` keeps both, as the filter accepts both).
            "region_groups": labels["region_groups"],
            "doc_types": release.doc_types,
            "doc_type_labels": labels["doc_type_labels"],
            "years": labels["years"],
            "kind_labels": labels["kind_labels"],
        }

    @app.get("/api/search", tags=["search"], summary="Zoeken in beleid (zelfde hits als kb search)")
    async def search(
        q: Annotated[str, Query(description="De vraag of zoekwoorden (Nederlands).")],
        top_k: Annotated[int, Query(ge=1, le=MAX_TOP_K, description="Aantal passages.")] = 10,
        segment: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
        region: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
        doc_type: Annotated[str | None, Query(max_length=MAX_FILTER_CHARS)] = None,
        year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    ) -> Response:
        # Async so that a cached answer costs no thread hop; a search itself runs in a worker
        # thread (it is CPU work: the embedding model, FAISS, BM25).
        release = _searchable(holder)
        searcher = release.searcher
        try:
            cleaned = validate_query(q, searcher.max_query_chars)
        except SearchError as exc:
            raise ApiError(400, str(exc)) from None
        seg = _check_filter("segment", segment, release.segments)
        reg = _check_filter("regio", region, release.regions)
        dtype = _check_filter("documenttype", doc_type, release.doc_types)
        key = (cleaned, top_k, seg and seg.lower(), reg and reg.lower(), dtype, year)
        payload = release.cache.get(key)
        if payload is None:
            payload = await run_in_threadpool(
                _search_payload, release, site_addresses, cleaned, top_k, seg, reg, dtype, year
            )
            release.cache.put(key, payload)
        return Response(payload, media_type="application/json")

    @app.get(
        "/api/entities/{entity_id:path}",
        tags=["graph"],
        summary="Entiteitskaart: eigenschappen, verwijzingen en bronpassages",
    )
    def entity(entity_id: str) -> dict[str, Any]:
        from rdflib import URIRef

        from kb.rdf.namespaces import compact
        from kb.views.entities import entity_card

        release = holder.get()
        if release is None:
            raise _no_build()
        iri = URIRef(_entity_iri(entity_id))
        if (iri, None, None) not in release.graph:
            raise ApiError(404, f"Onbekende entiteit / no entity {compact(str(iri))}")
        try:
            card = entity_card(release.graph, iri)
        except StoreError as exc:
            raise ApiError(400, str(exc)) from None
        return {"id": compact(str(iri)), **card.to_dict()}

    def _run_sparql(
        request: Request, text: str | None, default_graphs: list[str], named_graphs: list[str]
    ) -> Response:
        release = holder.get()
        if release is None:
            raise _no_build()
        if not text or not text.strip():
            raise ApiError(400, "Lege SPARQL-vraag / empty query: pass it as 'query'.")
        if len(text) > MAX_SPARQL_CHARS:
            raise ApiError(
                413, f"SPARQL-vraag te lang / query too long: at most {MAX_SPARQL_CHARS} characters"
            )
        try:
            form = query_form(text)
        except StoreError as exc:
            raise ApiError(400, str(exc)) from None
        _check_dataset(default_graphs, named_graphs)
        offered = formats_for(form)
        media = negotiate(request.headers.get("accept"), offered)
        if media is None:
            raise ApiError(
                406,
                f"Geen passend formaat / not acceptable: a {form} answer comes as "
                f"{', '.join(offered)}.",
                available=list(offered),
            )
        try:
            payload = sparql.run(
                release.sparql_target, text, offered[media], client=_client(request)
            )
        except AnswerTooLarge as exc:
            raise ApiError(413, str(exc)) from None
        except StoreError as exc:
            raise ApiError(400, str(exc)) from None
        except SparqlUnavailable as exc:
            raise ApiError(503, str(exc)) from None
        return Response(payload, media_type=media, headers={"vary": "accept"})

    def _description(request: Request) -> Response:
        media = negotiate(request.headers.get("accept"), GRAPH_FORMATS)
        if media is None:
            raise ApiError(
                406, f"Not acceptable: the description comes as {', '.join(GRAPH_FORMATS)}."
            )
        endpoint = str(request.url.replace(query=""))
        body = service_description(endpoint, GRAPH_FORMATS[media])
        return Response(body, media_type=media, headers={"vary": "accept"})

    @app.get(
        "/api/sparql",
        tags=["graph"],
        summary="SPARQL 1.1 (alleen lezen, met limieten); zonder query: de dienstbeschrijving",
    )
    def sparql_get(
        request: Request,
        query: Annotated[
            str | None, Query(description="SELECT, ASK, CONSTRUCT of DESCRIBE.")
        ] = None,
    ) -> Response:
        if query is None:
            return _description(request)
        params = request.query_params
        return _run_sparql(
            request, query, params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
        )

    @app.post("/api/sparql", tags=["graph"], summary="SPARQL via POST (form 'query' of body)")
    async def sparql_post(request: Request) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in ("application/x-www-form-urlencoded", "application/sparql-query", ""):
            raise ApiError(
                415,
                "Onbekend formaat / unsupported content type: send a form field 'query' "
                "(application/x-www-form-urlencoded) or the query as application/sparql-query.",
            )
        limit = 4 * MAX_SPARQL_CHARS
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ApiError(413, f"SPARQL-vraag te lang / query too long: at most {limit} bytes")
        raw = bytearray()
        try:
            async for chunk in request.stream():  # counted while reading, never read whole
                raw += chunk
                if len(raw) > limit:
                    raise ApiError(
                        413, f"SPARQL-vraag te lang / query too long: at most {limit} bytes"
                    )
        except ClientDisconnect:
            return Response(status_code=400)  # nobody is listening; nothing worth a traceback
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ApiError(400, "De vraag is geen UTF-8 / the query is not UTF-8") from None
        params = request.query_params
        default_graphs = params.getlist("default-graph-uri")
        named_graphs = params.getlist("named-graph-uri")
        if kind == "application/x-www-form-urlencoded":
            # Parsed here rather than with request.form(), which needs python-multipart.
            form = parse_qs(body, keep_blank_values=True)
            queries = form.get("query")
            text = queries[0] if queries else None
            default_graphs += form.get("default-graph-uri", [])
            named_graphs += form.get("named-graph-uri", [])
        else:
            text = body
        return await run_in_threadpool(_run_sparql, request, text, default_graphs, named_graphs)

    @app.get(
        "/api/generate/chapter",
        tags=["documents"],
        summary="Het hoofdstuk van een segment als Word-document",
        response_class=FileResponse,
    )
    def generate_chapter(
        segment: Annotated[str, Query(min_length=1, max_length=MAX_FILTER_CHARS)],
    ) -> FileResponse:
        release = holder.get()
        if release is None:
            raise _no_build()
        iri = _chapter_segment(release, segment)
        if chapter_writer is None:
            raise ApiError(
                503,
                "Word-hoofdstukken zijn niet beschikbaar / this server has no chapter writer: "
                "start it with 'kb serve'.",
            )
        folder = Path(tempfile.mkdtemp(prefix="kb-chapter-"))
        try:
            path = write_chapter(chapter_writer, release, iri, folder, settings)
        except BaseException:
            _remove(folder)
            raise
        return FileResponse(
            path,
            media_type=DOCX_TYPE,
            filename=path.name,
            background=BackgroundTask(_remove, folder),
        )

    register_linked_data(app, holder, site_addresses)

    @app.api_route("/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def site(path: str, request: Request) -> Response:
        if path == "api" or path.startswith("api/"):
            raise ApiError(404, f"Onbekend API-adres / no such API endpoint: /{path}")
        release = holder.get()
        if release is None or not release.has_site():
            raise ApiError(
                404,
                "Er is geen site in deze build / this build has no site: "
                "run 'kb build' with the site product.",
            )
        target = resolve_static(release.site_dir, path)
        if target is None:
            page = not_found_page(release.site_dir, request.headers.get("accept", ""))
            if page is None:
                raise ApiError(404, "Niet gevonden / not found")
            return HTMLResponse(page, status_code=404)
        if target.name == "index.html" and path and not path.endswith(("/", "index.html")):
            # A folder without its slash: relative links on the page need the slash. The target
            # is the folder found, relative to the site, so it always starts with exactly one
            # "/": a path such as "//host%2f.." must never become "//host/" (another site).
            folder = target.parent.relative_to(release.site_dir.resolve())
            segments = [quote(part) for part in folder.parts]
            return RedirectResponse("/" + "".join(f"{seg}/" for seg in segments), status_code=307)
        return FileResponse(target)

    return app


#: Searches running at once: one per core; more threads only fight over the cores (and the GIL).
_SEARCH_SLOTS = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


def _search_payload(
    release: Release,
    site_addresses: SiteAddresses | None,
    query: str,
    top_k: int,
    segment: str | None,
    region: str | None,
    doc_type: str | None,
    year: int | None,
) -> bytes:
    """Run one search and serialise the answer (bytes, so the cache stores it ready to send)."""
    searcher = release.searcher
    try:
        with _SEARCH_SLOTS:
            hits = searcher.search(
                query, top_k=top_k, segment=segment, region=region, doc_type=doc_type, year=year
            )
            linked = searcher.link(query)
    except SearchError as exc:
        raise ApiError(400, str(exc)) from None
    body: dict[str, Any] = {
        "query": query,
        "top_k": top_k,
        "filters": {"segment": segment, "region": region, "doc_type": doc_type, "year": year},
        "release": release.name,
        "linked": [le.__dict__ for le in linked],
        # Facts from the graph that answer the question (none: no card), before the passages.
        "answers": _answer_cards(release, query, linked),
        "hits": [h.to_dict() for h in hits],
    }
    # Site addresses beside the hits, so the hits stay exactly those of `kb search --json`.
    body["links"] = hit_links(release, body["hits"], site_addresses)
    # An answer's passage need not be among the hits: its address joins the same table.
    cited = [
        {"passage_id": c["passage_id"], "document_id": c["document_id"], "entities": []}
        for c in body["answers"]
        if c["passage_id"] and c["document_id"]
    ]
    for kind, urls in hit_links(release, cited, site_addresses).items():
        body["links"][kind] = {**urls, **body["links"][kind]}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _answer_cards(release: Release, query: str, linked: list[Any]) -> list[dict[str, Any]]:
    """Answer cards for ``query`` from the release's graph (see :mod:`kb.search.answers`)."""
    from kb.search.answers import answerer_for

    searcher = release.searcher
    answerer = answerer_for(release.graph, searcher.linker, searcher.lexical.analyzer)
    return [card.to_dict() for card in answerer.answer(query, linked)]


_LABELS_LOCK = threading.Lock()
#: id(release) → (release, its labels): computed once per loaded release, a few releases kept.
_LABELS: dict[int, tuple[Release, dict[str, Any]]] = {}


def _search_labels(release: Release, settings: Any) -> dict[str, Any]:
    """Dutch names for the search page, from the ontology (once per release): document types
    (``documenttypen`` scheme), entity kinds (class labels) and regions apart from subregions."""
    with _LABELS_LOCK:
        kept = _LABELS.get(id(release))
        if kept is not None and kept[0] is release:
            return kept[1]
    from kb.index.records import ENTITY_KINDS
    from kb.rdf.vocabulary import VocabularyError, load_vocabulary
    from kb.views.answers import class_labels, region_labels, segment_labels

    doc_type_labels: dict[str, str] = {}
    try:
        vocabulary = load_vocabulary(settings.ontology_dir)
        for value in release.doc_types:
            concept = vocabulary.match("documenttypen", value)
            if concept is not None:
                doc_type_labels[value] = concept.pref_label
    except VocabularyError as exc:
        log.warning("no Dutch document type names: %s", exc)
    by_class = class_labels(release.graph, list(ENTITY_KINDS))
    kind_labels: dict[str, str] = {}
    for cls, kind in ENTITY_KINDS.items():
        if cls in by_class:
            kind_labels.setdefault(kind, by_class[cls])
    regions, subregions = region_labels(release.graph)
    known = set(release.regions)
    groups = {
        "regions": [r for r in release.regions if r not in subregions],
        "subregions": [s for s in subregions if s in known],
    }
    if not groups["regions"]:
        groups["regions"] = [r for r in regions if r in known]
    years = sorted({r.year for r in release.searcher.records if r.year}, reverse=True)
    # The segments' own names: a section heading's spelling the index also knows is left out.
    named = set(segment_labels(release.graph))
    segments = [s for s in release.segments if s in named] or release.segments
    labels = {
        "segments": segments,
        "years": years,
        "doc_type_labels": doc_type_labels,
        "kind_labels": kind_labels,
        "region_groups": groups,
    }
    with _LABELS_LOCK:
        while len(_LABELS) >= 4:
            _LABELS.pop(next(iter(_LABELS)))
        _LABELS[id(release)] = (release, labels)
    return labels


#: Swagger UI of /docs: one pinned version from jsDelivr, checked by the browser against these
#: SHA-384 hashes (of the files in the npm package swagger-ui-dist, which jsDelivr serves as-is).
SWAGGER_VERSION = "5.35.0"
SWAGGER_FILES = {
    "swagger-ui-bundle.js": (
        "sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9"
    ),
    "swagger-ui.css": "sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I",
}


def _swagger_page() -> HTMLResponse:
    from fastapi.openapi.docs import get_swagger_ui_html

    base = f"https://cdn.jsdelivr.net/npm/swagger-ui-dist@{SWAGGER_VERSION}/"
    js, css = (base + name for name in SWAGGER_FILES)
    body = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Kennisbank jeugdhulp inkoop - API",
        swagger_js_url=js,
        swagger_css_url=css,
        swagger_favicon_url="data:,",  # no request to another host for an icon
    ).body
    page = bytes(body).decode("utf-8")
    js_hash, css_hash = SWAGGER_FILES.values()
    page = page.replace(
        f'<script src="{js}">',
        f'<script src="{js}" integrity="{js_hash}" crossorigin="anonymous">',
    ).replace(f'href="{css}">', f'href="{css}" integrity="{css_hash}" crossorigin="anonymous">')
    return HTMLResponse(page)


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, "status": status, **extra}, status_code=status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.message, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            problems.append({"parameter": where, "message": str(err.get("msg", ""))})
        listing = "; ".join(f"{p['parameter']}: {p['message']}" for p in problems)
        return _error(400, f"Ongeldige parameter / invalid parameter: {listing}", details=problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Niet gevonden / not found", 405: "Methode niet toegestaan / not allowed"}
        message = messages.get(exc.status_code, str(exc.detail))
        return _error(exc.status_code, message)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _error(500, "Interne fout / internal error: the server log has the details.")
