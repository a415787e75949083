"""An incremental site build renders only the pages whose sources changed, and its site equals
a whole build of the same graph: every page, the search index and its offline copy."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from generator.site import incremental
from generator.site.build import SEARCH_INDEX, build_site
from kb.rdf.namespaces import KB, KBI

MUNICIPALITY = URIRef(f"{KBI}municipality/gammaveen")
UNCHANGED_PAGE = Path("generated") / "segmenten" / "zuidhoek" / "ambulant.html"


def _release(build: Path, name: str) -> Path:
    release = build / "releases" / name
    release.mkdir(parents=True)
    return release


def _publish(build: Path, release: Path) -> None:
    link = build / "current"
    link.unlink(missing_ok=True)
    link.symlink_to(release.relative_to(build))


def _site_files(site: Path) -> dict[str, bytes]:
    """The built pages and the search index (what a visitor sees), by path."""
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in site.rglob("*")
        if path.suffix == ".html" or path.parent.name == "search"
    }


def _changed(tiny: Graph) -> Graph:
    """The tiny graph with one more municipality and a renamed stakeholder."""
    graph = Graph(store="Oxigraph")
    graph += tiny
    graph.add((MUNICIPALITY, RDF.type, KB.Municipality))
    graph.add((MUNICIPALITY, RDFS.label, Literal("Gammaveen")))
    graph.add((MUNICIPALITY, KB.inRegion, URIRef(f"{KBI}region/zuidhoek")))
    return graph


@pytest.fixture(scope="module")
def builds(tiny: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A first build, an incremental second build of the changed graph, and a whole build of
    the changed graph in another build folder."""
    root = tmp_path_factory.mktemp("incremental-site")
    first = _release(root / "build", "r1")
    build_site(first, graph=tiny)
    _publish(root / "build", first)
    snapshot = root / "first-site-before"
    shutil.copytree(first / "site", snapshot)
    second = _release(root / "build", "r2")
    changed = _changed(tiny)
    build_site(second, graph=changed)
    whole = _release(root / "other", "r1")
    build_site(whole, graph=changed)
    return {"first": first, "second": second, "whole": whole, "snapshot": snapshot}


def test_incremental_site_equals_a_whole_build(builds: dict[str, Path]) -> None:
    incremental_site = _site_files(builds["second"] / "site")
    whole_site = _site_files(builds["whole"] / "site")
    assert incremental_site.keys() == whole_site.keys()
    different = [p for p in whole_site if incremental_site[p] != whole_site[p]]
    assert different == []
    assert "generated/gemeenten/gammaveen.html" in whole_site


def test_unchanged_pages_are_not_rendered_again(builds: dict[str, Path]) -> None:
    """The page of an untouched segment keeps the first build's file time: MkDocs skipped it."""
    first = builds["first"] / "site" / UNCHANGED_PAGE
    second = builds["second"] / "site" / UNCHANGED_PAGE
    assert second.is_file()
    assert second.stat().st_mtime_ns == first.stat().st_mtime_ns
    # The new municipality's page and the overview listing it were rendered.
    overview = builds["second"] / "site" / "generated" / "gemeenten" / "index.html"
    assert overview.stat().st_mtime_ns > first.stat().st_mtime_ns
    assert "Gammaveen" in overview.read_text(encoding="utf-8")


def test_the_served_release_is_untouched_and_shares_its_unchanged_pages(
    builds: dict[str, Path],
) -> None:
    """The new site links the outputs of unchanged sources to the current release's files
    instead of copying them; nothing the build writes may reach the current release through
    such a link (it may be being served)."""
    before = {
        p.relative_to(builds["snapshot"]).as_posix(): p.read_bytes()
        for p in builds["snapshot"].rglob("*")
        if p.is_file()
    }
    after = {
        p.relative_to(builds["first"] / "site").as_posix(): p.read_bytes()
        for p in (builds["first"] / "site").rglob("*")
        if p.is_file()
    }
    assert after == before
    first, second = builds["first"] / "site", builds["second"] / "site"
    assert (first / UNCHANGED_PAGE).samefile(second / UNCHANGED_PAGE)
    for rendered in ("generated/gemeenten/index.html", "sitemap.xml", "404.html", SEARCH_INDEX):
        assert not (first / rendered).samefile(second / rendered), rendered


def test_the_search_index_lists_every_page_in_the_whole_builds_order(
    builds: dict[str, Path],
) -> None:
    second = (builds["second"] / "site" / SEARCH_INDEX).read_text(encoding="utf-8")
    whole = (builds["whole"] / "site" / SEARCH_INDEX).read_text(encoding="utf-8")
    assert second == whole
    assert "Gammaveen" in second and "Verblijf" in second


def test_a_removed_page_is_gone_from_the_site_and_its_search_index(
    tiny: Graph, builds: dict[str, Path]
) -> None:
    build = builds["second"].parent.parent
    _publish(build, builds["second"])
    third = _release(build, "r3")
    build_site(third, graph=tiny)  # without the added municipality again
    assert not (third / "site" / "generated" / "gemeenten" / "gammaveen.html").exists()
    index = (third / "site" / SEARCH_INDEX).read_text(encoding="utf-8")
    assert "gammaveen" not in index.lower()
    assert _site_files(third / "site") == _site_files(builds["first"] / "site")


def test_a_change_every_page_shows_builds_the_whole_site(tmp_path: Path) -> None:
    """New tool versions or a changed shared source (the glossary tooltips, the configuration)
    mean no reuse."""
    old = tmp_path / "old"
    new = tmp_path / "new"
    for folder in (old, new):
        (folder / "site-src" / "docs" / "generated").mkdir(parents=True)
        (folder / "site").mkdir()
        (folder / "site-src" / incremental.STAMP_FILE).write_text(incremental.stamp())
        (folder / "site-src" / "docs" / "generated" / "a.md").write_text("# A\n")
        (folder / "site-src" / "mkdocs.yml").write_text("site_name: x\n")
    assert incremental.plan(old, new / "site-src") is not None
    (new / "site-src" / "docs" / "generated" / ".tooltips.md").write_text("*[X]: iks\n")
    assert incremental.plan(old, new / "site-src") is None
    os.remove(new / "site-src" / "docs" / "generated" / ".tooltips.md")
    (new / "site-src" / "mkdocs.yml").write_text("site_name: y\n")
    assert incremental.plan(old, new / "site-src") is None
    (new / "site-src" / "mkdocs.yml").write_text("site_name: x\n")
    (new / "site-src" / incremental.STAMP_FILE).write_text("mkdocs==0.0\n")
    assert incremental.plan(old, new / "site-src") is None
