"""Site addresses for search hits: the entity pages and the source passage on its document's page.

The site generator decides where pages live (:mod:`generator.site.links`); this module asks it,
so the search page and the site cannot disagree. Only pages that exist in the release's built
site are linked: no dead links when a page kind is not generated. ``kb`` imports ``generator``
only here, lazily, and works without it (no links).
"""

from __future__ import annotations

from typing import Any

from kb.serve.state import Release


def _site_links_module() -> Any:
    try:
        import generator.site.links as site_links
    except ImportError:
        return None
    return site_links


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


def _cached(release: Release, key: str, make: Any) -> str | None:
    cache = release.link_cache
    if key not in cache:
        try:
            cache[key] = make()
        except ValueError:  # an IRI the site has no page kind for
            cache[key] = None
    return cache[key]


def hit_links(release: Release, hits: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """``{"passages": {passage id: url}, "documents": {...}, "entities": {iri: url}}``."""
    links: dict[str, dict[str, str]] = {"passages": {}, "documents": {}, "entities": {}}
    site_links = _site_links_module()
    if site_links is None or not release.has_site() or release.searcher is None:
        return links
    from kb.rdf.namespaces import KBI

    iri_of = release.passage_iris
    for hit in hits:
        pid, doc = hit["passage_id"], hit["document_id"]
        passage_iri = iri_of.get(pid)
        if passage_iri:
            url = _cached(
                release,
                passage_iri,
                lambda i=passage_iri: _url(release, site_links.passage_target(i)),
            )
            if url:
                links["passages"][pid] = url
        doc_iri = str(KBI[f"document/{doc}"])
        url = _cached(release, doc_iri, lambda i=doc_iri: _url(release, site_links.page_path(i)))
        if url:
            links["documents"][doc] = url
        for entity in hit["entities"]:
            iri = entity["iri"]
            url = _cached(release, iri, lambda i=iri: _url(release, site_links.page_path(i)))
            if url:
                links["entities"][iri] = url
    return links
