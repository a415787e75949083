"""Bounded server resources on a real uvicorn on 127.0.0.1: slow headers and bodies are cut
off, connections are capped (per client too), bodies are refused while being read, and logs of
a flood are rate limited."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kb.serve.limits import RateLimitFilter, protocol_class
from kb.settings import Settings

from .conftest import serve, tiny_build


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from kb.serve.app import create_app

    build_dir = tmp_path_factory.mktemp("limited")
    tiny_build(build_dir)
    protocol = protocol_class(
        header_timeout=0.5, body_timeout=2.0, max_connections=200, max_per_client=50
    )
    yield from serve(create_app(Settings(build_dir=build_dir)), http=protocol)


def _address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes ``sock`` (recv gives b"" or a reset) within ``seconds``."""
    sock.settimeout(seconds)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False


def test_slow_headers_are_cut_off(limited: str) -> None:
    with socket.create_connection(_address(limited), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finish
        t0 = time.monotonic()
        for _ in range(3):  # trickling bytes does not extend the deadline
            time.sleep(0.2)
            sock.sendall(b"X-A: b\r\n")
        assert _closed_within(sock, 3)
        assert time.monotonic() - t0 < 3


def test_slow_bodies_are_cut_off(limited: str) -> None:
    with socket.create_connection(_address(limited), timeout=5) as sock:
        sock.sendall(
            b"POST /api/sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000\r\n\r\nASK {"
        )
        assert _closed_within(sock, 6)


def test_one_client_cannot_hold_more_than_its_share(limited: str) -> None:
    sockets = [socket.create_connection(_address(limited), timeout=5) for _ in range(60)]
    try:
        time.sleep(0.2)
        closed = sum(_closed_within(s, 0.05) for s in sockets[50:])
        assert closed == 10  # the 10 beyond max_per_client=50 were closed at once
    finally:
        for s in sockets:
            s.close()
    # Once the slow ones are gone (or timed out), the same client is served again.
    time.sleep(0.6)
    assert httpx.get(f"{limited}/healthz", timeout=5).status_code == 200


def test_all_connections_together_are_capped(tmp_path: Path) -> None:
    """The total cap holds across clients: two addresses (127.0.0.1 and 127.0.0.2, both
    loopback), each within its own share, together pass ``max_connections``; those beyond it
    are closed at once, and the server answers again when they are gone."""
    from kb.serve.app import create_app

    tiny_build(tmp_path)
    protocol = protocol_class(
        header_timeout=5, body_timeout=5, max_connections=10, max_per_client=6
    )
    for base in serve(create_app(Settings(build_dir=tmp_path)), http=protocol):
        address = _address(base)
        sockets = [socket.create_connection(address, timeout=5) for _ in range(6)]
        time.sleep(0.1)  # the first client's six are counted before the second connects
        sockets += [
            socket.create_connection(address, timeout=5, source_address=("127.0.0.2", 0))
            for _ in range(6)
        ]
        try:
            time.sleep(0.2)
            assert sum(_closed_within(s, 0.05) for s in sockets[:10]) == 0
            assert sum(_closed_within(s, 0.05) for s in sockets[10:]) == 2
        finally:
            for s in sockets:
                s.close()
        time.sleep(0.3)
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200


def _answer_while_sending(base: str, head: bytes, body: bytes) -> bytes:
    """Send ``head`` and part of a body that is never finished; return what the server says."""
    with socket.create_connection(_address(base), timeout=5) as sock:
        sock.sendall(head + body)
        sock.settimeout(10)  # generous: the machine may be busy; the old code never answers
        answer = b""
        try:
            while b"}" not in answer:  # head and JSON body may come in separate packets
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
        except (TimeoutError, ConnectionResetError):
            pass
        return answer


def test_large_bodies_are_refused_before_they_are_read(limited: str) -> None:
    from kb.serve.app import MAX_REQUEST_BODY

    # A declared length over the limit: refused at once, with only a few bytes sent.
    declared = _answer_while_sending(
        limited,
        b"POST /api/sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 200000000\r\n\r\n",
        b"ASK {",
    )
    assert declared.startswith(b"HTTP/1.1 413"), declared[:200]
    assert f"{MAX_REQUEST_BODY:,}".encode() in declared
    # No length (chunked): refused as soon as the bytes read pass the limit, body unfinished.
    chunk = b"x" * 65536
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5))
    streamed = _answer_while_sending(
        limited,
        b"POST /api/sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n",
        chunks,
    )
    assert streamed.startswith(b"HTTP/1.1 413"), streamed[:200]


def test_a_flood_of_one_message_is_rate_limited() -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("kb.test.flood")
    logger.propagate = False
    logger.addHandler(Keep())
    limiter = RateLimitFilter(burst=5, period=0.3)
    logger.addFilter(limiter)
    for n in range(1000):
        logger.warning("client %d left", n)
    assert len(records) == 5
    time.sleep(0.35)
    logger.warning("client %d left", 1001)
    assert "995 similar messages suppressed" in records[-1].getMessage()


def test_the_cap_fits_the_open_file_limit(tmp_path: Path) -> None:
    import resource

    from kb.serve.limits import file_limit_cap

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert file_limit_cap(10**9) < soft
    assert file_limit_cap(10) == 10
