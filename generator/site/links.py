"""Where each entity's page lives on the site, and Markdown-safe text for the pages.

A page's path follows the entity's IRI: ``kbi:segment/holland-rijnland/wonen`` becomes
``generated/segmenten/holland-rijnland/wonen.md`` (the kind mapped to a Dutch folder name), so
links never need a lookup table and stay stable between builds. A passage is an anchor
``#p-<hash>`` on its document's page.
"""

from __future__ import annotations

import html
import posixpath
import re

from kb.rdf.namespaces import KBI

#: The folder all generated pages go into, relative to the docs folder.
GENERATED = "generated"

#: IRI kind (first path step after ``kbi:``) → folder of its pages on the site (Dutch URLs).
PAGE_FOLDERS: dict[str, str] = {
    "region": "regios",
    "subregion": "subregios",
    "municipality": "gemeenten",
    "document": "bronnen",
    "segment": "segmenten",
    "target-group": "doelgroepen",
    "stakeholder": "stakeholders",
    "research-question": "onderzoeksvragen",
    "concept": "begrippen",
}

#: Folder of the purchasing-plan pages (a plan is a document; its plan page is a second view).
PLAN_FOLDER = "plannen"


def local_part(iri: str) -> str:
    """``https://w3id.org/jeugdhulp-kb/id/segment/x/y`` → ``segment/x/y``."""
    base = str(KBI)
    if not iri.startswith(base):
        raise ValueError(f"not an instance IRI of the knowledge base: {iri}")
    return iri[len(base) :]


def page_path(iri: str) -> str:
    """The docs-relative Markdown path of an entity's page."""
    kind, _, rest = local_part(iri).partition("/")
    if kind not in PAGE_FOLDERS or not rest:
        raise ValueError(f"no page for {iri}")
    return f"{GENERATED}/{PAGE_FOLDERS[kind]}/{rest}.md"


def plan_path(document_iri: str) -> str:
    """The docs-relative path of a purchasing plan's page."""
    return f"{GENERATED}/{PLAN_FOLDER}/{local_part(document_iri).partition('/')[2]}.md"


def passage_anchor(passage_iri: str) -> str:
    """The HTML id of a passage on its document's page."""
    return "p-" + passage_iri.rsplit("/", 1)[-1]


def passage_target(passage_iri: str) -> str:
    """Docs-relative ``page.md#anchor`` of a passage (``kbi:passage/<doc-id>/<hash>``)."""
    doc_id = local_part(passage_iri).split("/")[1]
    return f"{page_path(str(KBI[f'document/{doc_id}']))}#{passage_anchor(passage_iri)}"


def relative(target: str, from_page: str) -> str:
    """A link from one docs-relative page to another path (``page.md#anchor`` allowed)."""
    path, sep, anchor = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(from_page) or ".")
    return rel + sep + anchor


_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
_LEADING_BLOCK = re.compile(r"^(\s*)(#|>|[-+](\s|$)|\d+[.)](\s|$))")


def md(text: str | None) -> str:
    """Plain text → one line of Markdown that renders as that text (no markup, no HTML)."""
    if not text:
        return ""
    one_line = " ".join(str(text).split())
    escaped = _INLINE_SPECIAL.sub(r"\\\1", html.escape(one_line, quote=False))
    # A line that starts like a heading, quote or list item would change the block structure.
    return _LEADING_BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def shorten(text: str | None, limit: int = 160) -> str:
    """Text cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def attr(text: str | None) -> str:
    """Text for a Markdown link title (inside double quotes)."""
    return " ".join((text or "").split()).replace('"', "'").replace("\\", "/")
