"""``kb serve`` under hostile input and changing builds, on a real uvicorn on 127.0.0.1.

- static files cannot be read outside the site folder, however the path is spelled;
- document text with ``<script>`` comes back literally, as JSON that a browser never renders;
- a build killed half-way (kill -9) leaves the previous build current and served;
- a new build is picked up without a single failed request.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from server_util import XSS_FILE, live_server, raw_get, write_xss_corpus

from kb.settings import Settings

pytestmark = pytest.mark.acceptance

SECRET = "dit-mag-niemand-lezen"


# ---------------------------------------------------------------- path traversal
@pytest.fixture(scope="module")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A graph-only release with a tiny hand-made site, and a secret file beside the site."""
    from kb.build.pipeline import switch_current
    from kb.serve.app import create_app

    build_dir = tmp_path_factory.mktemp("site-build")
    release = build_dir / "releases" / "r1"
    (release / "site" / "zoeken-in-beleid").mkdir(parents=True)
    (release / "graph.nt").write_text(
        '<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n', encoding="utf-8"
    )
    (release / "site" / "index.html").write_text("<h1>Kennisbank</h1>", encoding="utf-8")
    (release / "site" / "zoeken-in-beleid" / "index.html").write_text("zoeken", encoding="utf-8")
    (release / "secret.txt").write_text(SECRET, encoding="utf-8")
    (build_dir / "secret.txt").write_text(SECRET, encoding="utf-8")
    (release / "site" / "escape").symlink_to(release / "secret.txt")
    switch_current(build_dir, release)
    with live_server(create_app(Settings(build_dir=build_dir))) as base:
        yield base


def test_site_is_served(site_server: str) -> None:
    assert raw_get(site_server, "/") == (200, b"<h1>Kennisbank</h1>")
    assert raw_get(site_server, "/zoeken-in-beleid/") == (200, b"zoeken")
    response = httpx.get(site_server + "/zoeken-in-beleid", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/zoeken-in-beleid/"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2F%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/zoeken-in-beleid/../../secret.txt",
        "/%252e%252e/secret.txt",
        "/....//secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/escape",
        "/secret.txt%00.html",
        "/index.html%00",
    ],
)
def test_no_file_outside_the_site(site_server: str, path: str) -> None:
    status, body = raw_get(site_server, path)
    assert status in (400, 404), (status, body[:200])
    assert SECRET.encode() not in body and b"root:" not in body


# ---------------------------------------------------------------- HTML stays text
@pytest.fixture(scope="module")
def xss_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from kb.build.pipeline import build
    from kb.build.products import IndexProduct

    corpus = write_xss_corpus(tmp_path_factory.mktemp("xss") / "corpus")
    settings = Settings(build_dir=tmp_path_factory.mktemp("xss-build"))
    result = build([corpus], settings, products=[IndexProduct()])
    assert result.published, result.product_errors
    return settings


def test_script_in_a_document_comes_back_as_literal_json(xss_settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from kb.serve.app import create_app

    with TestClient(create_app(xss_settings)) as client:
        response = client.get("/api/search", params={"q": "code alert script vet"})
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        hit = response.json()["hits"][0]
        assert "<script>alert(1)</script>" in hit["text"]
        assert "<img src=x onerror=alert(2)>" in hit["text"]
        # The query itself is echoed as data too, never as markup.
        echoed = client.get("/api/search", params={"q": "<script>alert(3)</script> memo"})
        assert echoed.headers["content-type"] == "application/json"
        assert echoed.json()["query"] == "<script>alert(3)</script> memo"
        card = client.get(f"/api/entities/passage/{hit['passage_id'].replace('/p/', '/')}")
        assert card.status_code == 200 and "<script>alert(1)</script>" in json.dumps(card.json())


# ---------------------------------------------------------------- killed build, reload
@pytest.fixture()
def served_copy(
    build_corpus: Callable[..., Settings], tmp_path: Path
) -> Iterator[tuple[Settings, str]]:
    """A private copy of the indexed corpus build, served by a real uvicorn."""
    from kb.serve.app import create_app

    source = build_corpus("index").build_dir
    target = tmp_path / "build"
    shutil.copytree(source, target, symlinks=True)
    settings = Settings(build_dir=target)
    with live_server(create_app(settings)) as base:
        yield settings, base


def _kb_build(settings: Settings, corpus: Path) -> subprocess.Popen[bytes]:
    kb = Path(sys.executable).parent / "kb"
    return subprocess.Popen(
        [
            str(kb),
            "build",
            str(corpus),
            "-b",
            str(settings.build_dir),
            "--skip",
            "site",
            "--skip",
            "documents",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "KB_CONFIG": "/nonexistent"},
    )


def test_killed_build_leaves_the_previous_build_served(
    served_copy: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, base = served_copy
    before = os.readlink(settings.current_dir)
    served = httpx.get(base + "/healthz").json()["release"]
    releases = set((settings.build_dir / "releases").iterdir())
    proc = _kb_build(settings, write_xss_corpus(tmp_path / "corpus"))
    try:
        # Kill it half-way: once the new release has its graph and the index is being built.
        deadline = time.monotonic() + 120
        new: list[Path] = []
        while time.monotonic() < deadline and proc.poll() is None:
            new = [p for p in (settings.build_dir / "releases").iterdir() if p not in releases]
            if new and (new[0] / "graph.nt").exists():
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the build finished before it could be killed"
        assert new, "the build never started writing its release"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert os.readlink(settings.current_dir) == before
    assert not (new[0] / "manifest.json").exists()  # it really was cut off half-way
    health = httpx.get(base + "/healthz").json()
    assert health["release"] == served and health["reload_error"] is None
    hits = httpx.get(base + "/api/search", params={"q": "Wat is JeugdzorgPlus?"}).json()["hits"]
    assert hits and "JeugdzorgPlus" in hits[0]["text"]


def test_new_build_is_served_without_failed_requests(
    served_copy: tuple[Settings, str], tmp_path: Path
) -> None:
    settings, base = served_copy
    old = httpx.get(base + "/healthz").json()["release"]
    failures: list[str] = []
    statuses: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            n = 0
            while not stop.is_set() and n < 5000:
                n += 1
                try:
                    # Words that occur in both corpora, so every build can answer.
                    r = client.get("/api/search", params={"q": f"jeugdhulp wonen {n % 7}"})
                    statuses.append(r.status_code)
                    if r.status_code != 200:
                        failures.append(f"{r.status_code} {r.text[:200]}")
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))

    clients = [threading.Thread(target=hammer) for _ in range(3)]
    for t in clients:
        t.start()
    try:
        proc = _kb_build(settings, write_xss_corpus(tmp_path / "corpus"))
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()[-2000:]
        new = Path(os.path.realpath(settings.current_dir)).name
        assert new != old
        deadline = time.monotonic() + 60
        while httpx.get(base + "/healthz").json()["release"] != new:
            assert time.monotonic() < deadline, "the server did not pick up the new build"
            time.sleep(0.1)
        time.sleep(0.5)  # a few requests on the new build too
    finally:
        stop.set()
        for t in clients:
            t.join(60)
    assert not failures, failures[:5]
    assert len(statuses) > 20
    hits = httpx.get(base + "/api/search", params={"q": "code alert script"}).json()["hits"]
    assert hits and hits[0]["document_id"].endswith(XSS_FILE.removesuffix(".txt").split("_")[-1])
