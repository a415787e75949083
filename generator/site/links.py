"""Where each entity's page lives on the site, and Markdown-safe text for the pages.

A page's path follows the entity's IRI: ``kbi:segment/holland-rijnland/wonen`` becomes
``generated/segmenten/holland-rijnland/wonen.md`` (the kind mapped to a Dutch folder name), so
links never need a lookup table and stay stable between builds. A passage is an anchor
``#p-<hash>`` on its document's page.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from urllib.parse import quote

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


_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}|])")
_LEADING_BLOCK = re.compile(r"^(\s*)(#|>|[-+](\s|$)|\d+[.)](\s|$))")


def md(text: str | None) -> str:
    """Plain text → one line of Markdown that renders as that text (no markup, no HTML)."""
    if not text:
        return ""
    # Only ASCII whitespace is collapsed: a no-break space (amounts, dates) stays one.
    one_line = _SPACES.sub(" ", str(text)).strip(" ")
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
    """Text for a Markdown link title (inside double quotes): no double quote (it would end
    the title), no backslash, and no ``|`` (it would split a table cell the link stands in; a
    broken bar looks the same). The Markdown renderer escapes the rest in the attribute."""
    flat = " ".join((text or "").split())
    return flat.replace('"', "'").replace("\\", "/").replace("|", "\u00a6")


_SAFE_SCHEMES = ("http://", "https://")
_MD_ESCAPE = re.compile(r"\\(.)")


def url(address: str | None) -> str:
    """An address for a Markdown link target: http(s) only (no ``javascript:``, ``data:`` or
    relative tricks from the graph), with the characters that end a Markdown link target or
    an HTML attribute percent-encoded; anything else becomes ``#``."""
    text = (address or "").strip()
    if not text.lower().startswith(_SAFE_SCHEMES):
        return "#"
    return quote(text, safe=":/?#[]@!$&'*+,;=%-._~").replace("'", "%27")


def front_matter_title(markdown_title: str) -> str:
    """The YAML front matter that fixes a page's title to its H1.

    ``markdown_title`` is the H1 as :func:`md` wrote it (HTML-escaped, Markdown-escaped).
    MkDocs would otherwise take the title as plain text from the H1 and the theme writes
    ``page.title`` unescaped into ``<title>``, the header and the navigation; a title given in
    front matter is used as it is, so it is given HTML-escaped (the Markdown escapes removed)
    and YAML-quoted (JSON strings are YAML double-quoted scalars)."""
    text = _MD_ESCAPE.sub(r"\1", " ".join(markdown_title.split()))
    # md() left quotes alone (they are text in Markdown); in HTML they must not end an attribute.
    text = text.replace('"', "&quot;").replace("'", "&#x27;")
    return f"---\ntitle: {json.dumps(text, ensure_ascii=False)}\n---\n\n"


#: Site folder of entity pages → IRI kind (the inverse of :data:`PAGE_FOLDERS`).
_KIND_OF_FOLDER = {folder: kind for kind, folder in PAGE_FOLDERS.items()}
#: Suffixes of the linked-data files written beside an entity's page (format name of rdflib).
DATA_FORMATS: dict[str, str] = {".ttl": "turtle", ".jsonld": "json-ld"}


def entity_of_page(path: str) -> str | None:
    """The IRI of the entity whose page is at docs-relative ``path``, or None for an overview
    page (an ``index.md``, the comparison, the finances, ...)."""
    parts = path.removesuffix(".md").split("/")
    if len(parts) < 3 or parts[0] != GENERATED or parts[-1] == "index" or not path.endswith(".md"):
        return None
    kind = _KIND_OF_FOLDER.get(parts[1])
    return str(KBI[f"{kind}/{'/'.join(parts[2:])}"]) if kind else None


def data_files(page: str) -> dict[str, str]:
    """Docs-relative paths of the linked-data files of an entity page: suffix → path."""
    stem = page.removesuffix(".md")
    return {suffix: stem + suffix for suffix in DATA_FORMATS}


def iri_line(iri: str, page: str) -> str:
    """The Markdown line under an entity page's title: its IRI and its data downloads."""
    files = data_files(page)
    name = posixpath.basename
    code = iri.replace("`", "%60")
    return (
        f"IRI: `{code}` · gegevens als [Turtle]({name(files['.ttl'])}) of "
        f"[JSON-LD]({name(files['.jsonld'])})"
    )
