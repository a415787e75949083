"""The read path on a SPARQL server: publish time and the views' time, local against remote.

Starts ``oxigraph serve`` (PyPI ``oxigraph``) on a free port with a fresh data folder, runs
:func:`kb.rdf.remote.publish_release` on a release, then times the views the CLI, the site and
Word use on the local graph and on the server's graph, with the number of requests each sent.
Run::

    python benchmarks/bench_remote.py [--release build/current]

Results are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--release", type=Path, default=REPO / "build" / "current")
    args = ap.parse_args()

    from oxigraph_server import oxigraph_server  # tests/oxigraph_server.py

    from generator.site.build import word_documents
    from generator.site.linked_data import entity_data
    from generator.site.pages import render_pages
    from kb.rdf.remote import endpoint_of, publish_release, remote_graph
    from kb.rdf.store import load_graph
    from kb.settings import Settings
    from kb.views.entities import class_counts
    from kb.views.segments import load_segments
    from kb.views.site import load_site_data

    release = args.release.resolve()
    local = load_graph(release)
    pages, _ = render_pages(load_site_data(local), word_documents(release))
    views: list[tuple[str, Callable[[Any], Any]]] = [
        ("load_segments (default plan)", load_segments),
        ("class_counts", class_counts),
        ("load_site_data", load_site_data),
        ("describe (every entity page)", lambda g: entity_data(g, pages)),
    ]
    with tempfile.TemporaryDirectory() as tmp, oxigraph_server(Path(tmp) / "data") as server:
        endpoint = endpoint_of(Settings(**server.settings()))
        assert endpoint is not None
        t0 = time.perf_counter()
        result = publish_release(release, endpoint)
        print(f"publish: {result.triples} triples in {time.perf_counter() - t0:.2f} s\n")
        remote = remote_graph(endpoint)
        print("| view | local (s) | server (s) | requests |")
        print("|---|---|---|---|")
        for name, view in views:
            t0 = time.perf_counter()
            here = view(local)
            t_local = time.perf_counter() - t0
            before = remote.store._queries  # type: ignore[attr-defined]
            t0 = time.perf_counter()
            there = view(remote)
            t_remote = time.perf_counter() - t0
            requests = remote.store._queries - before  # type: ignore[attr-defined]
            same = "" if name.startswith("describe") or here == there else " (DIFFERENT)"
            print(f"| {name}{same} | {t_local:.2f} | {t_remote:.2f} | {requests} |")


if __name__ == "__main__":
    main()
