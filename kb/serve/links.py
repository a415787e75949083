"""Site addresses for search hits: the entity pages and the source passage on its document's page.

The site generator decides where pages live; ``kb serve`` passes its address scheme (the module
:mod:`generator.site.links` is one :class:`SiteAddresses`) to the app, so the search page and the
site cannot disagree while ``kb.serve`` never imports ``generator``. Only pages that exist in the
release's built site are linked: no dead links when a page kind is not generated. Without an
address scheme hits have no links.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from kb.serve.state import Release


class SiteAddresses(Protocol):
    """Where the site puts a page: paths relative to the docs folder, e.g.
    ``generated/segmenten/x.md`` and ``generated/bronnen/d.md#p-1``. A ``ValueError`` means the
    site has no page for that IRI."""

    def page_path(self, iri: str, /) -> str:
        """The page of an entity or document."""
        ...

    def passage_target(self, passage_iri: str, /) -> str:
        """The page and anchor of a passage."""
        ...


def _url(release: Release, docs_path: str) -> str | None:
    """``generated/segmenten/x.md#p-1`` → ``/generated/segmenten/x/#p-1`` if that page exists."""
    path, sep, anchor = docs_path.partition("#")
    stem = path.removesuffix(".md")
    if stem.endswith("/index") or stem == "index":
        stem = stem.removesuffix("index").rstrip("/")
    site = release.site_dir
    if (site / stem / "index.html").is_file():
        url = f"/{stem}/" if stem else "/"
    elif (site / f"{stem}.html").is_file():
        url = f"/{stem}.html"
    else:
        return None
    return url + sep + anchor


def cached_address(release: Release, iri: str, to_path: Callable[[str], str]) -> str | None:
    """The site address of ``iri`` (its page by ``to_path``), remembered per release."""
    cache = release.link_cache
    if iri not in cache:
        try:
            cache[iri] = _url(release, to_path(iri))
        except ValueError:  # an IRI the site has no page kind for
            cache[iri] = None
    return cache[iri]


def hit_links(
    release: Release, hits: list[dict[str, Any]], site_links: SiteAddresses | None
) -> dict[str, dict[str, str]]:
    """``{"passages": {passage id: url}, "documents": {...}, "entities": {iri: url}}``."""
    links: dict[str, dict[str, str]] = {"passages": {}, "documents": {}, "entities": {}}
    if site_links is None or not release.has_site() or release.searcher is None:
        return links
    from kb.rdf.namespaces import KBI

    iri_of = release.passage_iris
    for hit in hits:
        pid, doc = hit["passage_id"], hit["document_id"]
        passage_iri = iri_of.get(pid)
        if passage_iri:
            url = cached_address(release, passage_iri, site_links.passage_target)
            if url:
                links["passages"][pid] = url
        url = cached_address(release, str(KBI[f"document/{doc}"]), site_links.page_path)
        if url:
            links["documents"][doc] = url
        for entity in hit["entities"]:
            iri = entity["iri"]
            url = cached_address(release, iri, site_links.page_path)
            if url:
                links["entities"][iri] = url
    return links
