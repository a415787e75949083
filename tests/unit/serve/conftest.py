"""A tiny published build and a real ``kb serve`` app on 127.0.0.1, for clients that need HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal

from kb.rdf.namespaces import KB, KBI
from kb.rdf.store import save_graph
from kb.settings import Settings

#: Segments in the tiny graph: enough rows for caps, few enough to reason about.
SEGMENTS = [f"segment/testregio/s{n:02d}" for n in range(12)]


def tiny_build(build_dir: Path, name: str = "r1", label: str = "Wonen") -> Path:
    """A release ``name`` under ``build_dir`` whose graph holds the segments above; published."""
    release = build_dir / "releases" / name
    graph = Graph()
    for n, seg in enumerate(SEGMENTS):
        graph.add((KBI[seg], RDF.type, KB.Segment))
        graph.add((KBI[seg], RDFS.label, Literal(f"{label} {n:02d}", lang="nl")))
    save_graph(graph, release)
    link = build_dir / "current"
    link.unlink(missing_ok=True)
    link.symlink_to(Path("releases") / name)
    return release


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    base: str
    settings: Settings


def serve(app, **config) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Run ``app`` with uvicorn on 127.0.0.1 in a thread; yield its base address."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **config)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``kb serve``'s app over a tiny build, on a free port of 127.0.0.1."""
    from kb.serve.app import create_app

    build_dir = tmp_path_factory.mktemp("served")
    tiny_build(build_dir)
    settings = Settings(build_dir=build_dir, sparql_max_results=10, sparql_timeout=20)
    for base in serve(create_app(settings)):
        yield Served(base, settings)
