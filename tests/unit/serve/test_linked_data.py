"""``/id/...`` answers an entity IRI with content negotiation; ``/catalogus.ttl`` is served."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import RDFS, Graph, Literal, URIRef

from kb.rdf.namespaces import KBI
from kb.serve.linked_data import negotiate
from kb.settings import Settings
from tests.unit.serve.conftest import SEGMENTS, tiny_build

SEGMENT = SEGMENTS[3]
IRI = URIRef(str(KBI[SEGMENT]))


class _Pages:
    """A site address scheme: every segment has a page under ``generated/segmenten``."""

    @staticmethod
    def page_path(iri: str, /) -> str:
        return "generated/segmenten/" + iri.rsplit("/", 1)[-1] + ".md"

    @staticmethod
    def passage_target(passage_iri: str, /) -> str:
        raise ValueError(passage_iri)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from kb.serve.app import create_app

    build_dir = tmp_path_factory.mktemp("ld")
    release = tiny_build(build_dir)
    site = release / "site"
    (site / "generated" / "segmenten").mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    (site / "generated" / "segmenten" / "s03.html").write_text("<html>s03</html>")
    (site / "catalogus.ttl").write_text("<urn:x> a <http://www.w3.org/ns/dcat#Catalog> .\n")
    app = create_app(Settings(build_dir=build_dir), site_addresses=_Pages())
    with TestClient(app, follow_redirects=False) as c:
        yield c


def test_turtle_is_the_entity_s_own_triples(client: TestClient) -> None:
    r = client.get(f"/id/{SEGMENT}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    assert "accept" in r.headers["vary"].lower()
    g = Graph().parse(data=r.text, format="turtle")
    assert (IRI, RDFS.label, Literal("Wonen 03", lang="nl")) in g
    assert set(g.subjects()) == {IRI}  # no other segment's triples


@pytest.mark.parametrize(
    ("accept", "fmt"), [("application/ld+json", "json-ld"), ("application/n-triples", "nt")]
)
def test_json_ld_and_n_triples_parse_with_rdflib(client: TestClient, accept: str, fmt: str) -> None:
    r = client.get(f"/id/{SEGMENT}", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    if fmt == "json-ld":
        json.loads(r.text)
    g = Graph().parse(data=r.text, format=fmt)
    assert (IRI, RDFS.label, Literal("Wonen 03", lang="nl")) in g


def test_a_browser_is_sent_to_the_entity_page_on_the_same_site(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get(f"/id/{SEGMENT}", headers={"Accept": accept})
    assert r.status_code == 303
    assert r.headers["location"] == "/generated/segmenten/s03.html"


def test_unknown_iri_is_404_and_unacceptable_type_is_406(client: TestClient) -> None:
    assert (
        client.get("/id/segment/nergens/niets", headers={"Accept": "text/turtle"}).status_code
        == 404
    )
    r = client.get(f"/id/{SEGMENT}", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in r.json()["error"]


def test_catalogue_is_served_as_turtle(client: TestClient) -> None:
    r = client.get("/catalogus.ttl")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    Graph().parse(data=r.text, format="turtle")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/html"),
        ("*/*", "text/html"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("text/*", "text/html"),
        ("text/html;q=0, text/*;q=0.3", "text/turtle"),
        ("application/json", None),
        ("text/turtle;q=0", None),
    ],
)
def test_negotiation_follows_q_values_and_specificity(
    accept: str | None, expected: str | None
) -> None:
    offers = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
    assert negotiate(accept, offers) == expected


def test_site_pages_get_a_csp_with_the_built_hashes_and_no_unsafe_inline(
    client: TestClient, tmp_path: Path
) -> None:
    from kb.serve.static import CSP_HASHES_FILE, script_hashes

    hashes = script_hashes(
        [
            '<script>var a=1</script><script src="x.js"></script>',
            '<script id="c" type="application/json">{"a":1}</script>',
        ]
    )
    assert len(hashes) == 1 and hashes[0].startswith("'sha256-")
    release = client.app.state.holder.get()  # type: ignore[attr-defined]
    (release.site_dir / CSP_HASHES_FILE).write_text("\n".join(hashes) + "\n")
    csp = client.get("/").headers["content-security-policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert hashes[0] in script_src


def test_only_the_themes_inline_scripts_are_allowed() -> None:
    """The theme's scripts (as the 404 page has them, at any page depth) get hashes; a script
    that reached a page's content does not, even when it appears on many pages."""
    from kb.serve.static import script_hashes, theme_script_hashes

    def theme(root: str) -> str:
        return f'<script>__md_scope=new URL("{root}",location),x=1</script>'

    injected = "<script>window.__pwned=1</script>"
    pages = [theme("..") + "<article>tekst</article>", theme("../..") + injected, injected]
    allowed = theme_script_hashes(theme("/"), pages)
    assert allowed == script_hashes([theme(".."), theme("../..")])
    assert script_hashes([injected])[0] not in allowed
