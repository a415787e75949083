"""``kb serve`` itself (the command, not only the app) applies the limits and answers SPARQL
clients: started as a subprocess on 127.0.0.1 over a tiny build."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from SPARQLWrapper import CSV, SPARQLWrapper

from .conftest import free_port, tiny_build


@pytest.fixture(scope="module")
def kb_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    build_dir = tmp_path_factory.mktemp("kbserve")
    tiny_build(build_dir)
    port = free_port()
    env = {
        **os.environ,
        "KB_SERVE_HEADER_TIMEOUT": "0.5",
        "KB_SERVE_MAX_CONNECTIONS_PER_CLIENT": "20",
    }
    kb = Path(sys.executable).parent / "kb"
    command = [str(kb), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(
        [*command, "-b", str(build_dir), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("kb serve did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(30)


def test_kb_serve_cuts_off_slow_headers_and_caps_connections(kb_serve: str) -> None:
    host, port = kb_serve.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        slow.settimeout(5)
        t0 = time.monotonic()
        assert slow.recv(1024) == b""  # closed by the server
        assert time.monotonic() - t0 < 4
    sockets = [socket.create_connection((host, int(port)), timeout=5) for _ in range(25)]
    try:
        time.sleep(0.2)
        closed = 0
        for sock in sockets[20:]:
            sock.settimeout(0.2)
            try:
                closed += sock.recv(1) == b""
            except TimeoutError:
                pass
            except ConnectionResetError:
                closed += 1
        assert closed == 5
    finally:
        for sock in sockets:
            sock.close()


def test_sparqlwrapper_gets_csv_from_kb_serve(kb_serve: str) -> None:
    client = SPARQLWrapper(f"{kb_serve}/api/sparql")
    client.setQuery("SELECT ?l WHERE { ?s a kb:Segment ; rdfs:label ?l } ORDER BY ?l LIMIT 2")
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines() == ["l", "Wonen 00", "Wonen 01"]


def test_kb_serve_rate_limits_its_log(tmp_path: Path) -> None:
    """``kb serve`` applies the log rate limit to uvicorn's loggers: a flood of 300 requests in
    a few seconds writes at most the access log's burst (200 lines per 10 s), not 300."""
    build_dir = tmp_path / "build"
    tiny_build(build_dir)
    port = free_port()
    kb = Path(sys.executable).parent / "kb"
    log_file = tmp_path / "serve.log"
    with log_file.open("wb") as log:
        proc = subprocess.Popen(
            [str(kb), "serve", "--host", "127.0.0.1", "--port", str(port), "-b", str(build_dir)]
            + ["--log-level", "info"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                try:
                    httpx.get(f"{base}/openapi.json", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            start = time.monotonic()
            with httpx.Client(base_url=base, timeout=5) as client:
                for _ in range(300):
                    assert client.get("/healthz").status_code == 200
            assert time.monotonic() - start < 9  # all within one rate-limit period
            time.sleep(0.5)
        finally:
            proc.terminate()
            proc.wait(30)
    lines = log_file.read_text(encoding="utf-8", errors="replace").splitlines()
    flood = [line for line in lines if "GET /healthz" in line]
    assert 150 <= len(flood) <= 200, len(flood)
