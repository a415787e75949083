"""A wrong address on the server gets the site's 404 page (HTML for a browser, JSON for the API
and for clients that ask for JSON); the OpenAPI page at /docs has a CSP of its own."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kb.settings import Settings

from .conftest import tiny_build

NOT_FOUND = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Niet gevonden</title>'
    '<link rel="stylesheet" href="assets/site.css"></head><body><h1>Pagina niet gevonden</h1>'
    "</body></html>"
)


@pytest.fixture()
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    from kb.serve.app import create_app

    release = tiny_build(tmp_path)
    (release / "site").mkdir(exist_ok=True)
    (release / "site" / "index.html").write_text("<p>site</p>", encoding="utf-8")
    (release / "site" / "404.html").write_text(NOT_FOUND, encoding="utf-8")
    with TestClient(create_app(Settings(build_dir=tmp_path))) as c:
        yield c


def test_a_browser_gets_the_sites_404_page_at_any_depth(client: TestClient) -> None:
    response = client.get("/generated/segmenten/bestaat/niet.html", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Pagina niet gevonden</h1>" in response.text
    # Its relative links resolve from the site's root, where MkDocs wrote the page.
    assert '<head><base href="/">' in response.text
    assert "content-security-policy" in response.headers


def test_json_for_api_paths_and_for_clients_asking_json(client: TestClient) -> None:
    api = client.get("/api/bestaat-niet", headers={"accept": "text/html"})
    assert api.status_code == 404 and api.json()["status"] == 404
    asks_json = client.get("/bestaat-niet.html", headers={"accept": "application/json"})
    assert asks_json.status_code == 404 and asks_json.json()["status"] == 404


def test_openapi_page_has_a_csp_with_its_inline_script_hashed(client: TestClient) -> None:
    response = client.get("/docs")
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
        if "src=" not in attrs
    ]
    assert inline  # Swagger UI starts from an inline script: its hash must be allowed
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    # Pages whose path only starts with /docs are site pages, with the site's CSP.
    other = client.get("/docs-en-meer.html", headers={"accept": "text/html"})
    assert "script-src 'self'" in other.headers["content-security-policy"]
