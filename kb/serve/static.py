"""Static files of the built site, served safely, and the security headers of every response.

A requested path is resolved (symlinks and ``..`` included) and must stay inside the site folder;
anything else is a 404, whatever encoding the client used (``%2e%2e``, ``%2f``, NUL bytes).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable
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
#: Paths with their own CSP (the OpenAPI page loads Swagger UI from its CDN).
_DOCS_PATHS = ("/docs", "/redoc")


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path in ("/api", "/healthz", "/openapi.json")


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware) adding the headers above."""

    def __init__(self, app: Any, site_csp: Callable[[], bytes] | None = None) -> None:
        self.app = app
        self.site_csp = site_csp or (lambda: SITE_CSP)

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
            csp: bytes | None = API_CSP
        elif path.startswith(_DOCS_PATHS):
            csp = None
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
                if csp is not None:
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


def script_hashes(html_texts: Iterable[str]) -> list[str]:
    """The CSP sources (``'sha256-<base64>'``) of the inline scripts in ``html_texts``,
    sorted and each once."""
    found: set[str] = set()
    for text in html_texts:
        for m in _INLINE_SCRIPT.finditer(text):
            if "src=" in m.group("attrs").lower() or _DATA_TYPE.search(m.group("attrs")):
                continue
            digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
            found.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(found)


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
