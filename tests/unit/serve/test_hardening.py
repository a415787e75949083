"""Findings of issue 14 on the server: no off-site redirects, no absolute paths on /healthz,
a broken new release does not replace a working one, a disconnecting client is no traceback."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi.testclient import TestClient

from kb.serve.state import Release, ReleaseBroken, load_release
from kb.settings import Settings

from .conftest import Served, tiny_build


@pytest.fixture()
def site_settings(tmp_path: Path) -> Settings:
    """A build with a site that has a sub-folder (for the folder-without-slash redirect)."""
    release = tiny_build(tmp_path)
    (release / "site" / "evil.example").mkdir(parents=True)
    (release / "site" / "index.html").write_text("<p>site</p>", encoding="utf-8")
    (release / "site" / "evil.example" / "index.html").write_text("<p>x</p>", encoding="utf-8")
    return Settings(build_dir=tmp_path)


@pytest.mark.parametrize(
    "path", ["//evil.example%2f..", "//evil.example", "///evil.example", "/%2fevil.example"]
)
def test_no_redirect_leaves_the_site(site_settings: Settings, path: str) -> None:
    from kb.serve.app import create_app

    with TestClient(create_app(site_settings), raise_server_exceptions=False) as client:
        # A full URL, so that the client does not read "//host" as another host itself.
        response = client.get(f"http://testserver{path}", follow_redirects=False)
    location = response.headers.get("location", "")
    assert not location.startswith("//") and "://" not in location, (path, location)
    if response.is_redirect:
        assert location.startswith("/") and location.endswith("/")


def test_a_folder_without_its_slash_still_redirects_on_site(site_settings: Settings) -> None:
    from kb.serve.app import create_app

    with TestClient(create_app(site_settings)) as client:
        response = client.get("/evil.example", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/evil.example/"


def test_healthz_shows_no_absolute_paths(site_settings: Settings) -> None:
    from kb.serve.app import create_app

    with TestClient(create_app(site_settings)) as client:
        body = client.get("/healthz").json()
    assert body["release"] == "r1"
    assert str(site_settings.build_dir) not in str(body)


def test_a_release_whose_index_does_not_load_keeps_the_working_one(tmp_path: Path) -> None:
    release = tiny_build(tmp_path, "r2")
    (release / "index").mkdir()
    (release / "index" / "manifest.json").write_text("{not json", encoding="utf-8")
    working = Release(
        name="r1", path=tmp_path / "r1", graph=None, searcher=SimpleNamespace(embedder=None)
    )
    with pytest.raises(ReleaseBroken, match="search index"):
        load_release(release, Settings(build_dir=tmp_path), previous=working)
    # With nothing served yet, the graph is still worth serving (search answers 503).
    first = load_release(release, Settings(build_dir=tmp_path))
    assert first.searcher is None and first.search_error


def test_a_client_leaving_mid_post_logs_no_traceback(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    host, port = served.base.removeprefix("http://").split(":")
    with caplog.at_level(logging.INFO):
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(
                b"POST /api/sparql HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/sparql-query\r\nContent-Length: 5000\r\n\r\nASK {"
            )
        # The server notices the disconnect on its next read; a request after it is answered.
        assert httpx.get(f"{served.base}/healthz", timeout=10).status_code == 200
        import time

        time.sleep(0.5)
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert not tracebacks, [r.getMessage() for r in tracebacks]


def test_docs_loads_only_pinned_scripts_with_integrity(site_settings: Settings) -> None:
    import re

    from kb.serve.app import create_app

    with TestClient(create_app(site_settings)) as client:
        page = client.get("/docs").text
        assert client.get("/redoc").status_code in (404, 200)
    tags = re.findall(r"<(?:script|link)\b[^>]*\b(?:src|href)=\"https?://[^\"]+\"[^>]*>", page)
    assert len(tags) == 2, tags
    for tag in tags:
        assert re.search(r'integrity="sha384-[A-Za-z0-9+/=]{64}"', tag), tag
        assert re.search(r"swagger-ui-dist@\d+\.\d+\.\d+/", tag), tag
