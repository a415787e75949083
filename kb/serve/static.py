"""Static files of the built site, served safely, and the security headers of every response.

A requested path is resolved (symlinks and ``..`` included) and must stay inside the site folder;
anything else is a 404, whatever encoding the client used (``%2e%2e``, ``%2f``, NUL bytes).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Headers on every response.
COMMON_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
]
#: API answers are data: a browser that opens one may run nothing and load nothing.
API_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: The site: own scripts and styles only; no plugins, no foreign hosts, no framing by other
#: sites. Inline scripts run only when their hash is listed (``{scripts}``): the small ones MkDocs
#: Material writes into every page, hashed when the site is built (:data:`CSP_HASHES_FILE`).
#: Styles keep 'unsafe-inline' (the theme and the charts set style attributes; a style cannot
#: run code).
SITE_CSP_TEMPLATE = (
    "default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' "
    "blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
)
#: The site's CSP when the site lists no inline-script hashes: no inline script runs at all.
SITE_CSP = SITE_CSP_TEMPLATE.format(scripts="").encode()
#: File at the root of a built site: the CSP sources (``'sha256-...'``) of its inline scripts.
CSP_HASHES_FILE = "csp-script-hashes.txt"
#: Inline scripts a browser runs (no ``src``; no data block such as ``type="application/json"``).
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?(?!text/javascript|module|["'\s>])""", re.I)
#: The OpenAPI page (Swagger UI, loaded from its CDN): its own CSP, see :func:`docs_csp`.
DOCS_PATH = "/docs"
#: Where the OpenAPI page's pinned Swagger UI comes from.
SWAGGER_HOST = "https://cdn.jsdelivr.net"


def docs_csp(page: str) -> bytes:
    """The CSP of the OpenAPI page ``page`` (HTML): Swagger UI's script and style from its CDN
    only (pinned with subresource integrity), the page's own inline script by hash, requests
    to this server only (the OpenAPI document, "Try it out")."""
    scripts = "".join(" " + h for h in script_hashes([page]))
    return (
        f"default-src 'none'; script-src {SWAGGER_HOST}{scripts}; "
        f"style-src {SWAGGER_HOST} 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
    ).encode()


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path in ("/api", "/healthz", "/openapi.json")


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware) adding the headers above."""

    def __init__(
        self,
        app: Any,
        site_csp: Callable[[], bytes] | None = None,
        docs_csp: bytes = API_CSP,
    ) -> None:
        self.app = app
        self.site_csp = site_csp or (lambda: SITE_CSP)
        self.docs_csp = docs_csp

    def _site_csp(self) -> bytes:
        # Fails closed: without the site's hashes no inline script may run.
        try:
            return self.site_csp()
        except Exception:
            return SITE_CSP

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if _is_api(path):
            csp: bytes = API_CSP
        elif path == DOCS_PATH:
            csp = self.docs_csp
        else:
            csp = b""  # the site's: looked up when the answer starts (the release is loaded)

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h
                    for h in message.get("headers", [])
                    if h[0].lower() not in (b"content-security-policy", b"x-content-type-options")
                ]
                headers.extend(COMMON_HEADERS)
                headers.append((b"content-security-policy", csp or self._site_csp()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def resolve_static(root: Path, request_path: str) -> Path | None:
    """The file under ``root`` that ``request_path`` names, or None if there is none.

    ``None`` also for every path that would leave ``root``. A folder gives its ``index.html``.
    """
    if "\x00" in request_path or "\\" in request_path:
        return None
    try:
        base = root.resolve(strict=True)
        target = (base / request_path.lstrip("/")).resolve()
    except (OSError, ValueError, RuntimeError):
        return None
    if not target.is_relative_to(base):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


#: The site's 404 page (MkDocs writes it at the root of the site).
NOT_FOUND_PAGE = "404.html"
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.I)


def not_found_page(site_dir: Path, accept: str) -> str | None:
    """The site's 404 page for a browser (``Accept`` allows HTML, or names nothing), or None
    (the caller answers JSON): for a client that asks for JSON only, or a site without one.

    The page is served at whatever address was wrong, so its relative links (``assets/…``) get
    a ``<base href="/">``: they resolve from the site's root, where the page was written.
    """
    wanted = accept.lower()
    if wanted and "text/html" not in wanted and "*/*" not in wanted:
        return None
    try:
        text = (site_dir / NOT_FOUND_PAGE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = _HEAD.search(text)
    if m is None:
        return text
    return text[: m.end()] + '<base href="/">' + text[m.end() :]


def _inline_scripts(text: str) -> Iterator[str]:
    """The bodies of the inline scripts in ``text`` a browser runs (no ``src``, no data block)."""
    for m in _INLINE_SCRIPT.finditer(text):
        if "src=" not in m.group("attrs").lower() and not _DATA_TYPE.search(m.group("attrs")):
            yield m.group("body")


def _csp_source(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def script_hashes(html_texts: Iterable[str]) -> list[str]:
    """The CSP sources (``'sha256-<base64>'``) of the inline scripts in ``html_texts``,
    sorted and each once."""
    return sorted({_csp_source(body) for text in html_texts for body in _inline_scripts(text)})


#: The one part of the theme's inline scripts that differs per page: the site root relative to
#: the page (``new URL("../..",location)``).
_SCOPE_URL = re.compile(r'new URL\("[^"\\]*",location\)')


def _theme_form(body: str) -> str:
    return _SCOPE_URL.sub('new URL("",location)', body)


def theme_script_hashes(template_page: str, html_texts: Iterable[str]) -> list[str]:
    """The CSP sources of the inline scripts in ``html_texts`` that are the theme's own: those
    that equal an inline script of ``template_page`` (a page the theme renders without content
    from the graph, such as ``404.html``) up to the site root they compute. An inline script
    that reached a page some other way (text of a document that escaping missed) is not
    allowed, so the CSP is a second defence, not a list of whatever the pages hold."""
    theme = {_theme_form(body) for body in _inline_scripts(template_page)}
    return sorted(
        {
            _csp_source(body)
            for text in html_texts
            for body in _inline_scripts(text)
            if _theme_form(body) in theme
        }
    )


def site_csp(site_dir: Path | None) -> bytes:
    """The CSP of the site in ``site_dir``: its listed inline-script hashes allowed, nothing
    else inline."""
    if site_dir is None:
        return SITE_CSP
    path = site_dir / CSP_HASHES_FILE
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return SITE_CSP
    return _site_csp(str(path), stamp)


@lru_cache(maxsize=8)
def _site_csp(path: str, stamp: int) -> bytes:
    """The CSP for one version (``stamp``) of a hashes file (read once, not per request)."""
    try:
        lines = Path(path).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return SITE_CSP
    sources = [s for s in lines if re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", s)]
    return SITE_CSP_TEMPLATE.format(scripts="".join(" " + s for s in sources)).encode()
