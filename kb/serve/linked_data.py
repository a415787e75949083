"""The knowledge base's IRIs answered by ``kb serve``: ``/id/...`` with content negotiation.

``https://w3id.org/jeugdhulp-kb/id/segment/holland-rijnland/wonen`` is served at
``/id/segment/holland-rijnland/wonen``: a browser (``text/html``) is sent with ``303 See Other``
to the entity's page on the site (a same-origin path), an RDF client gets the entity's
description (:func:`kb.views.describe.describe`) as Turtle, N-Triples or JSON-LD. An IRI the
graph does not know is a 404; an ``Accept`` that allows none of these a 406. ``/catalogus.ttl``,
the site's DCAT record, is served as Turtle.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from kb.serve.links import SiteAddresses, cached_address
from kb.serve.state import ReleaseHolder

#: Media types offered for an entity, in the server's order of preference; value: rdflib format.
OFFERS: dict[str, str | None] = {
    "text/html": None,
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
#: The DCAT record at the root of the built site.
CATALOGUE_PATH = "catalogus.ttl"
_UNSAFE_IN_PATH = set('<>"{}|^`\\ \n\r\t\x00')

# Static files of the site: the entity data beside each page and the DCAT record.
mimetypes.add_type("text/turtle", ".ttl")
mimetypes.add_type("application/ld+json", ".jsonld")
mimetypes.add_type("application/n-triples", ".nt")


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offer the ``Accept`` header prefers (RFC 9110: q-values, ``type/*``, ``*/*``; the
    more specific range decides), ties broken by the order of ``offers``; None when none is
    acceptable. No header means anything goes."""
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges: list[tuple[str, str, float]] = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        main, _, sub = media.lower().partition("/")
        ranges.append((main, sub, q))

    def quality(offer: str) -> float:
        main, _, sub = offer.partition("/")
        best: tuple[int, float] | None = None
        for r_main, r_sub, q in ranges:
            if (r_main, r_sub) == (main, sub):
                rank = 2
            elif r_main == main and r_sub == "*":
                rank = 1
            elif (r_main, r_sub) == ("*", "*"):
                rank = 0
            else:
                continue
            if best is None or rank > best[0]:
                best = (rank, q)
        return best[1] if best else 0.0

    scored = [(quality(o), -i, o) for i, o in enumerate(offers)]
    q, _, offer = max(scored, default=(0.0, 0, ""))
    return offer if q > 0 else None


def _error(status: int, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def register(app: FastAPI, holder: ReleaseHolder, site_addresses: SiteAddresses | None) -> None:
    """Add ``/id/{path}`` and ``/catalogus.ttl`` to ``app`` (before the site's catch-all)."""
    from kb.rdf.namespaces import KBI

    @app.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
    def entity_iri(path: str, request: Request) -> Response:
        from kb.views.describe import describe, knows

        vary = {"vary": "Accept"}
        if not path or len(path) > 2000 or any(c in _UNSAFE_IN_PATH for c in path):
            return _error(400, f"Ongeldige IRI / invalid IRI path: /id/{path}"[:300], **vary)
        release = holder.get()
        if release is None:
            return _error(503, "Er is nog geen build / no build is being served.", **vary)
        iri = str(KBI[path])
        if not knows(release.graph, iri):
            return _error(404, f"Onbekende IRI / unknown IRI: {iri}", **vary)
        offers = list(OFFERS)
        page = None
        if site_addresses is not None and release.has_site():
            page = cached_address(release, iri, site_addresses.page_path)
        if page is None:
            offers.remove("text/html")
        chosen = negotiate(request.headers.get("accept"), offers)
        if chosen is None:
            return _error(
                406,
                "Geen passend formaat / not acceptable; offered: " + ", ".join(offers),
                **vary,
            )
        if chosen == "text/html":
            # ``page`` is a path of this site (one leading "/"): the redirect never leaves it.
            return RedirectResponse(page or "/", status_code=303, headers=vary)
        fmt = OFFERS[chosen]
        assert fmt is not None  # every offer but text/html names an RDF format
        body: Any = describe(release.graph, iri).serialize(format=fmt, encoding="utf-8")
        return Response(body, media_type=chosen, headers=vary)

    @app.api_route(f"/{CATALOGUE_PATH}", methods=["GET", "HEAD"], include_in_schema=False)
    def catalogue() -> Response:
        release = holder.get()
        path = release.site_dir / CATALOGUE_PATH if release is not None else None
        if path is None or not path.is_file():
            return _error(
                404, "Deze build heeft geen DCAT-record / this build has no catalogus.ttl"
            )
        return Response(path.read_bytes(), media_type="text/turtle")
