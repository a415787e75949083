"""Bounded server resources: connection cap, header and body timeouts, request-size limits
enforced while reading, normalised paths, and logs that cannot flood.

uvicorn closes idle kept-alive connections but has no timeout for a client that sends its
request line and headers slowly, nor a cap on open connections: a few hundred slow clients
("slowloris") then hold every file descriptor. :func:`protocol_class` makes an h11 protocol that
closes a connection that is over the cap at once, and one whose headers or body take too long.
:class:`RequestLimits` refuses a request body larger than the limit as soon as the declared
length or the bytes read pass it (never after reading it whole) and collapses repeated slashes
before routing. :class:`RateLimitFilter` lets through a burst of log records per message and
period and counts the rest.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
from collections import Counter
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("kb.serve.limits")


def file_limit_cap(wanted: int, headroom: int = 64) -> int:
    """``wanted``, lowered to what the process's open-file limit leaves (minus ``headroom`` for
    the index, the graph, logs and the SPARQL workers' pipes)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):
        return wanted
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - headroom))


def protocol_class(
    *,
    header_timeout: float,
    body_timeout: float,
    max_connections: int,
    max_per_client: int | None = None,
) -> type[H11Protocol]:
    """An uvicorn h11 protocol class with the given limits (pass it as ``http=`` to uvicorn).

    ``max_connections`` caps all open connections (lowered to fit the open-file limit);
    ``max_per_client`` caps those of one client address, so one client's slow connections
    cannot use up the cap for everybody.
    """
    cap = file_limit_cap(max_connections)
    per_client = max_per_client or cap
    open_by_client: Counter[str] = Counter()

    class LimitedH11Protocol(H11Protocol):
        """H11Protocol plus connection caps and header/body timeouts."""

        _timer: asyncio.TimerHandle | None = None
        _timer_kind: str | None = None
        _peer: str | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            peer = transport.get_extra_info("peername")
            host = str(peer[0]) if isinstance(peer, tuple) and peer else ""
            if len(self.server_state.connections) > cap or open_by_client[host] >= per_client:
                # Over a cap: close at once, so slow clients cannot hold every descriptor.
                _throttled_warning(
                    "connection cap reached (%d open, %d per client): closing new connections",
                    cap,
                    per_client,
                )
                transport.close()
                return
            self._peer = host
            open_by_client[host] += 1
            self._arm("header", header_timeout)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            state = self.conn.their_state
            if state is h11.IDLE:
                self._arm("header", header_timeout)  # (still) waiting for a complete head
            elif state is h11.SEND_BODY:
                self._arm("body", body_timeout)
            else:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            if self._peer is not None:
                open_by_client[self._peer] -= 1
                if open_by_client[self._peer] <= 0:
                    del open_by_client[self._peer]
                self._peer = None
            super().connection_lost(exc)

        def _arm(self, kind: str, seconds: float) -> None:
            if self._timer is not None and self._timer_kind == kind:
                return  # a deadline, not an idle timer: trickling bytes does not extend it
            self._disarm()
            self._timer_kind = kind
            self._timer = self.loop.call_later(seconds, self._expire, kind)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = self._timer_kind = None

        def _expire(self, kind: str) -> None:
            self._timer = self._timer_kind = None
            state = self.conn.their_state
            still = (kind == "header" and state is h11.IDLE) or (
                kind == "body" and state is h11.SEND_BODY
            )
            if still and not self.transport.is_closing():
                _throttled_warning("closing a connection: request %s too slow", kind)
                self.transport.close()

    return LimitedH11Protocol


_WARNED: dict[str, float] = {}
_WARNED_LOCK = threading.Lock()


def _throttled_warning(message: str, *args: Any) -> None:
    """A warning at most once per 10 s per message: an attack must not fill the disk."""
    now = time.monotonic()
    with _WARNED_LOCK:
        if now - _WARNED.get(message, -1e9) < 10:
            return
        _WARNED[message] = now
    log.warning(message, *args)


class RequestLimits:
    """ASGI middleware: a request body limit enforced while reading, and normalised paths."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if "//" in path:
            # "//host/x" must never reach code that builds a URL from the path.
            scope = dict(scope, path=re.sub(r"/{2,}", "/", path))
            raw = scope.get("raw_path")
            if raw:
                scope["raw_path"] = re.sub(rb"/{2,}", b"/", raw)
        declared = dict(scope.get("headers", [])).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(send)
            return
        received = 0
        refused = False

        async def counted_receive() -> dict[str, Any]:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    refused = True
                    await self._too_large(send)
                    return {"type": "http.disconnect"}  # the app stops reading
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            if not refused:  # the 413 has been sent; the app's own answer goes nowhere
                await send(message)

        await self.app(scope, counted_receive, guarded_send)

    async def _too_large(self, send: Any) -> None:
        body = json.dumps(
            {
                "error": "Verzoek te groot / request body too large: "
                f"at most {self.max_body:,} bytes",
                "status": 413,
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RateLimitFilter(logging.Filter):
    """Lets ``burst`` records of one message template through per ``period`` seconds; the rest
    are counted and the count is added to the next record that passes."""

    def __init__(self, burst: int = 20, period: float = 10.0) -> None:
        super().__init__()
        self.burst = burst
        self.period = period
        self._windows: dict[tuple[str, int, str], list[float | int]] = {}
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, record.levelno, str(record.msg))
        now = time.monotonic()
        with self._lock:
            window = self._windows.get(key)
            if window is None or now - window[0] >= self.period:
                suppressed = int(window[2]) if window else 0
                self._windows[key] = [now, 1, 0]
                if len(self._windows) > 10_000:  # many distinct messages: forget old windows
                    self._windows = {key: self._windows[key]}
                if suppressed:
                    record.msg = f"{record.msg} ({suppressed} similar messages suppressed)"
                return True
            if window[1] < self.burst:
                window[1] += 1
                return True
            window[2] += 1
            return False


def limit_logging(burst: int = 20, period: float = 10.0) -> None:
    """Rate-limit the server's loggers (uvicorn's and kb's); access lines get a larger burst."""
    for name in ("uvicorn.error", "kb.serve.app", "kb.serve.limits"):
        logging.getLogger(name).addFilter(RateLimitFilter(burst, period))
    logging.getLogger("uvicorn.access").addFilter(RateLimitFilter(burst * 10, period))
