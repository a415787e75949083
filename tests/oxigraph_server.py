"""A real Oxigraph SPARQL server for tests: ``oxigraph serve`` (PyPI ``oxigraph``) on 127.0.0.1.

The server gets a free port and its own data folder; the context manager waits (bounded) until
it answers and stops it afterwards. Under CI=true a missing ``oxigraph`` command fails the test
instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

#: How long the server may take to answer its first request.
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class OxigraphServer:
    """The URLs of a running Oxigraph server."""

    base: str

    @property
    def query(self) -> str:
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        return f"{self.base}/store"

    def settings(self) -> dict[str, str]:
        """The ``kb`` settings that point at this server."""
        return {
            "sparql_endpoint": self.query,
            "sparql_update_endpoint": self.update,
            "sparql_graph_store": self.store,
        }

    def env(self) -> dict[str, str]:
        """The same settings as ``KB_…`` environment variables."""
        return {f"KB_{k.upper()}": v for k, v in self.settings().items()}


def oxigraph_command() -> str:
    """The ``oxigraph`` executable (beside the running Python first); fails under CI, else skips."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        message = "the 'oxigraph' command is missing: pip install oxigraph"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def oxigraph_server(location: Path) -> Iterator[OxigraphServer]:
    """Run ``oxigraph serve --location LOCATION`` on a free port; yield its URLs."""
    import httpx

    port = free_port()
    log = (location.parent / f"{location.name}.log").open("wb")
    proc = subprocess.Popen(
        [oxigraph_command(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = OxigraphServer(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {proc.returncode}")
            try:
                httpx.post(
                    server.query,
                    content=b"ASK {}",
                    headers={"Content-Type": "application/sparql-query"},
                    timeout=2,
                )
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not answer in time") from None
                time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()
