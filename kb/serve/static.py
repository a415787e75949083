"""Static files of the built site, served safely, and the security headers of every response.

A requested path is resolved (symlinks and ``..`` included) and must stay inside the site folder;
anything else is a 404, whatever encoding the client used (``%2e%2e``, ``%2f``, NUL bytes).
"""

from __future__ import annotations

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
#: The site: own scripts and styles only (MkDocs Material has small inline scripts); no plugins,
#: no foreign hosts, no framing by other sites.
SITE_CSP = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' "
    b"blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
)
#: Paths with their own CSP (the OpenAPI page loads Swagger UI from its CDN).
_DOCS_PATHS = ("/docs", "/redoc")


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path in ("/api", "/healthz", "/openapi.json")


class SecurityHeaders:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware) adding the headers above."""

    def __init__(self, app: Any) -> None:
        self.app = app

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
            csp = SITE_CSP

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    h
                    for h in message.get("headers", [])
                    if h[0].lower() not in (b"content-security-policy", b"x-content-type-options")
                ]
                headers.extend(COMMON_HEADERS)
                if csp is not None:
                    headers.append((b"content-security-policy", csp))
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
