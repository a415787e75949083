"""Search under attack: slow connections and heavy SPARQL clients while a normal client searches.

On the loopback interface only. Three kinds of client run at once for ``--duration`` seconds:

- ``--slow`` slow connections ("slowloris") from 127.0.0.2: each sends half a request head and
  then a byte now and then; when the server closes one, it is opened again at once;
- ``--heavy`` SPARQL clients from 127.0.0.3, 127.0.0.4, … looping queries that would run for
  ever (cartesian products, CONCAT over everything) without the server's limits;
- one normal client from 127.0.0.1 asking varied questions on ``/api/search`` one after
  another (the server runs without cache, so every answer is computed), and now and then a small
  SPARQL query.

It reports the normal client's latency percentiles and errors, how many slow connections were
open, and what the heavy clients got; and writes them to ``benchmarks/results/load_attack.json``::

    python benchmarks/load_attack.py -b build                 # starts `kb serve` itself
    python benchmarks/load_attack.py -b build --slow 1000 --heavy 2 --duration 30
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_search import (  # noqa: E402 - the sibling benchmark, not a package
    QUESTIONS,
    load_questions,
    percentile,
    request_params,
    start_server,
)

RESULTS = Path(__file__).resolve().parent / "results" / "load_attack.json"
HEAVY_QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT ?x WHERE { ?s ?p ?o BIND(CONCAT(STR(?o), STR(?o), STR(?o), STR(?o), STR(?o), "
    "STR(?o), STR(?o), STR(?o), STR(?o), STR(?o)) AS ?x) . ?s2 ?p2 ?o2 }",
]
SMALL_QUERY = "SELECT ?s ?l WHERE { ?s a kb:Segment ; rdfs:label ?l } LIMIT 5"


async def slow_connection(host: str, port: int, deadline: float, stats: Counter[str]) -> None:
    """One slow client: half a request head, then a byte every few seconds; reopen on close."""
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port, local_addr=("127.0.0.2", 0))
        except OSError:
            stats["connect_failed"] += 1
            await asyncio.sleep(0.5)
            continue
        stats["opened"] += 1
        stats["open"] += 1
        try:
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            await writer.drain()
            while time.monotonic() < deadline:
                try:
                    data = await asyncio.wait_for(reader.read(1024), timeout=3)
                except TimeoutError:
                    writer.write(b"X: y\r\n")  # keep trickling
                    await writer.drain()
                    continue
                if not data:
                    stats["closed_by_server"] += 1
                    break
        except OSError:
            stats["closed_by_server"] += 1
        finally:
            stats["open"] -= 1
            writer.close()


async def heavy_client(url: str, source: str, deadline: float, statuses: Counter[str]) -> None:
    """Loops heavy SPARQL queries from its own loopback address."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as session:
        n = 0
        while time.monotonic() < deadline:
            query = HEAVY_QUERIES[n % len(HEAVY_QUERIES)]
            n += 1
            try:
                async with session.post("/api/sparql", data={"query": query}) as response:
                    await response.read()
                    statuses[str(response.status)] += 1
            except (aiohttp.ClientError, TimeoutError) as exc:
                statuses[type(exc).__name__] += 1


async def normal_client(
    url: str, questions: list[str], deadline: float
) -> tuple[list[float], list[float], list[str]]:
    """Sequential varied searches, and every fifth request a small SPARQL query."""
    search_times: list[float] = []
    sparql_times: list[float] = []
    errors: list[str] = []
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(url, timeout=timeout) as session:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            t0 = time.perf_counter()
            try:
                if n % 5 == 0:
                    async with session.get("/api/sparql", params={"query": SMALL_QUERY}) as r:
                        await r.read()
                    sparql_times.append(time.perf_counter() - t0)
                else:
                    params = request_params(questions, n)
                    async with session.get("/api/search", params=params) as r:
                        await r.read()
                    search_times.append(time.perf_counter() - t0)
                if r.status != 200:
                    errors.append(f"{r.url.path}: {r.status}")
            except (aiohttp.ClientError, TimeoutError) as exc:
                errors.append(f"{type(exc).__name__}: {exc}")
    return search_times, sparql_times, errors


def _stats(values: list[float]) -> dict[str, Any]:
    ordered = sorted(values)
    if not ordered:
        return {"n": 0}
    return {
        "n": len(ordered),
        "p50_ms": round(percentile(ordered, 50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 95) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


async def run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    questions = load_questions(args.questions)
    deadline = time.monotonic() + args.duration
    slow_stats: Counter[str] = Counter()
    heavy_statuses: Counter[str] = Counter()
    tasks = [
        asyncio.create_task(slow_connection(host, port, deadline, slow_stats))
        for _ in range(args.slow)
    ]
    tasks += [
        asyncio.create_task(heavy_client(url, f"127.0.0.{3 + i}", deadline, heavy_statuses))
        for i in range(args.heavy)
    ]
    await asyncio.sleep(2)  # let the attack settle before measuring
    peak_open = slow_stats["open"]
    search_times, sparql_times, errors = await normal_client(url, questions, deadline)
    peak_open = max(peak_open, slow_stats["open"])
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "duration_s": args.duration,
        "slow_connections_wanted": args.slow,
        "slow_connections_open_client_side": peak_open,
        "slow": dict(slow_stats),
        "heavy_clients": args.heavy,
        "heavy_statuses": dict(heavy_statuses),
        "normal_search": _stats(search_times),
        "normal_sparql": _stats(sparql_times),
        "normal_errors": len(errors),
        "normal_error_samples": errors[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="Base URL of a running server (loopback only).")
    parser.add_argument("-b", "--build-dir", type=Path, default=Path("build"))
    parser.add_argument("--slow", type=int, default=1000, help="Slow connections.")
    parser.add_argument("--heavy", type=int, default=2, help="Heavy SPARQL clients.")
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds (at most 300).")
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.duration = min(args.duration, 300.0)
    proc = None
    if args.url:
        if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost"):
            raise SystemExit("only a server on the loopback interface may be load-tested")
        url = args.url
    else:
        proc, url = start_server(args.build_dir, cache=False)
    try:
        result = asyncio.run(run(url, args))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
