"""Load test of ``/api/search``: N concurrent clients for T seconds, on the loopback interface only.

Each client sends Dutch questions (from the evaluation set, varied with filters and ``top_k``)
one after another; the run stops after ``--duration`` seconds or ``--max-requests`` requests,
whichever comes first. It reports requests/s, latency percentiles and errors as a table and
writes them to ``benchmarks/results/load_search.json``. Run::

    python benchmarks/load_search.py -b build                  # starts `kb serve` itself
    python benchmarks/load_search.py -b build --no-cache       # every answer computed afresh
    python benchmarks/load_search.py --url http://127.0.0.1:8000   # a server already running

Without ``--url`` the script starts ``kb serve`` on a free loopback port for the build folder
and stops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx

REPO = Path(__file__).resolve().parents[1]
QUESTIONS = REPO / "tests" / "eval" / "dev_questions.jsonl"
RESULTS = REPO / "benchmarks" / "results" / "load_search.json"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
#: Filters mixed into the questions (a value that exists in the sample corpus, or none).
SEGMENTS = [None, None, None, "Wonen", "Crisis", "Ambulant"]
REGIONS = [None, None, None, None, "Holland Rijnland", "Noord-Limburg"]


def load_questions(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def request_params(questions: list[str], n: int) -> dict[str, Any]:
    """The n-th request: a question, sometimes a filter, a varying top_k."""
    params: dict[str, Any] = {"q": questions[n % len(questions)], "top_k": 5 if n % 4 == 0 else 10}
    segment, region = SEGMENTS[n % len(SEGMENTS)], REGIONS[(n // 7) % len(REGIONS)]
    if segment:
        params["segment"] = segment
    elif region:
        params["region"] = region
    return params


async def client_loop(
    client: aiohttp.ClientSession,
    questions: list[str],
    start: int,
    step: int,
    deadline: float,
    budget: dict[str, int],
    latencies: list[float],
    errors: list[str],
) -> None:
    n = start
    while time.perf_counter() < deadline and budget["left"] > 0:
        budget["left"] -= 1
        params = request_params(questions, n)
        n += step
        t0 = time.perf_counter()
        try:
            async with client.get("/api/search", params=params) as response:
                body = await response.read()
            ok = response.status == 200
            if not ok:
                errors.append(f"{response.status}: {body[:200]!r}")
        except (TimeoutError, aiohttp.ClientError) as exc:
            ok = False
            errors.append(repr(exc))
        if ok:
            latencies.append(time.perf_counter() - t0)


async def run_load(
    url: str, questions: list[str], clients: int, duration: float, max_requests: int
) -> dict[str, Any]:
    latencies: list[float] = []
    errors: list[str] = []
    budget = {"left": max_requests}
    # aiohttp rather than httpx: the load generator shares the two cores with the server, and
    # httpx's per-request cost made the client, not the server, the bottleneck (measured).
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as client:
        # Warm-up, not counted: a few requests load lazy imports (no answers are pre-cached).
        for q in questions[:3]:
            async with client.get("/api/search", params={"q": q}) as response:
                await response.read()
        t0 = time.perf_counter()
        deadline = t0 + duration
        await asyncio.gather(
            *(
                client_loop(client, questions, i, clients, deadline, budget, latencies, errors)
                for i in range(clients)
            )
        )
        elapsed = time.perf_counter() - t0
    return summarise(latencies, errors, elapsed, clients)


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def summarise(latencies: list[float], errors: list[str], elapsed: float, clients: int) -> dict:
    ms = sorted(x * 1000 for x in latencies)
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests": len(ms) + len(errors),
        "ok": len(ms),
        "errors": len(errors),
        "error_samples": errors[:5],
        "requests_per_s": round((len(ms) + len(errors)) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(ms[-1], 1) if ms else float("nan"),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else float("nan"),
    }


def print_table(title: str, result: dict[str, Any]) -> None:
    print(f"\n{title}")
    print("| clients | s | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("|---|---|---|---|---|---|---|---|---|")
    r = result
    print(
        f"| {r['clients']} | {r['seconds']} | {r['requests']} | {r['requests_per_s']} "
        f"| {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} | {r['errors']} |"
    )
    for sample in r["error_samples"]:
        print(f"  error: {sample}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(build_dir: Path, cache: bool) -> tuple[subprocess.Popen[bytes], str]:
    """``kb serve`` on a free loopback port; returns once /healthz answers."""
    port = free_port()
    size = "1024" if cache else "0"
    # Without cache: neither answers nor query embeddings are kept; every request is computed.
    env = {**os.environ, "KB_SERVE_CACHE_SIZE": size, "KB_QUERY_CACHE_SIZE": size}
    kb = Path(sys.executable).parent / "kb"
    proc = subprocess.Popen(
        [str(kb), "serve", "--host", "127.0.0.1", "--port", str(port), "-b", str(build_dir),
         "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit("kb serve stopped before it answered")
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("kb serve did not answer within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="Base URL of a running server (loopback only).")
    parser.add_argument("-b", "--build-dir", type=Path, default=Path("build"))
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="Seconds (at most 300).")
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--no-cache", action="store_true", help="Start the server without cache.")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.duration <= 300:
        raise SystemExit("--clients 1..200 and --duration up to 300 s")

    questions = load_questions(args.questions)
    proc = None
    if args.url:
        host = urlsplit(args.url).hostname or ""
        if host not in LOOPBACK:
            raise SystemExit(f"{args.url}: load tests run against the loopback interface only")
        url = args.url.rstrip("/")
    else:
        proc, url = start_server(args.build_dir, cache=not args.no_cache)
    try:
        result = asyncio.run(
            run_load(url, questions, args.clients, args.duration, args.max_requests)
        )
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(20)
    result["cache"] = "off" if args.no_cache else ("on" if proc else "server's setting")
    result["questions"] = len(questions)
    title = f"/api/search, {args.clients} clients, {args.duration:g} s, cache {result['cache']}"
    print_table(title, result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    previous[f"cache-{result['cache']}"] = result
    args.out.write_text(json.dumps(previous, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
