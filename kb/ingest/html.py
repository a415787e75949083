"""Reader for HTML sources.

:func:`read_html` parses with BeautifulSoup/lxml after decoding with the declared charset and
walks the main content, dropping navigation, scripts and hidden elements.

Site chrome (menus, share buttons, cookie notices, feedback widgets, "read also" boxes) is
removed by three light rules, the ones content extractors such as trafilatura also use:

* ARIA roles and class/id names of chrome (:data:`CHROME_ROLES`, :data:`CHROME_NAMES`; web
  conventions, in English and Dutch, not domain words);
* link density: a box that is mostly links with a short label ("Deel dit artikel: Facebook X");
* the content root: ``main``, a single ``article``, else the smallest element around the first
  ``h1`` that holds most of the page's paragraph text (the top-tasks menu, breadcrumbs, site
  footer and cookie notice around it fall away).

trafilatura itself extracts these pages well but pulls in about ten packages (dateparser, babel,
htmldate, courlan, justext…) and drops bylines and dates we cite; these rules do not.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kb.ingest.blocks import (
    SPACE_TRANSLATION,
    heading_number,
    one_line,
    read_bytes,
    table_block,
)
from kb.ingest.model import Block, ReadError

log = logging.getLogger(__name__)

DROP_TAGS = [
    "script", "style", "nav", "noscript", "template", "form", "svg", "iframe", "canvas",
    "object", "embed", "button", "select", "textarea", "input", "head",
]  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LIST_TAGS = {"ul", "ol", "menu"}
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "aside", "blockquote", "pre", "address", "dl",
    "dt", "dd", "hr", "details", "summary", "fieldset", "center", "body", "html", "header",
    "footer", "caption", "tr", "td", "th", "thead", "tbody", "tfoot", "table", "li",
}  # fmt: skip
META_CHARSET_RE = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""", re.I)
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
LINE_BREAK = "\u2028"  # stands for <br> until whitespace has been collapsed
#: ARIA roles of page chrome.
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"}
#: Class or id names (or their leading part) of page chrome: web conventions, English and Dutch.
CHROME_NAMES = (
    "cookie", "share", "social", "breadcrumb", "kruimelpad", "feedback", "related",
    "gerelateerd", "toptaken", "skip", "sitemenu", "topmenu", "deel", "delen", "newsletter",
    "nieuwsbrief", "banner", "site-footer", "site-header", "footer", "header",
)  # fmt: skip
CLASS_SPLIT_RE = re.compile(r"[\s_]+")
#: A box is link chrome when at least this share of its text is link text …
LINK_DENSITY = 0.5
#: … and its text outside links is at most a short label.
MAX_LABEL_CHARS = 40
#: The content root around the ``h1`` holds at least this share of the page's paragraph text.
ROOT_TEXT_SHARE = 0.6


def read_html(path: Path, raw: bytes | None = None) -> list[Block]:
    """Read an HTML page into blocks.

    The text is decoded with the declared charset (``<meta charset>``, ``http-equiv`` or the XML
    declaration), else UTF-8, else Windows-1252. Navigation, scripts, forms, site headers and
    footers and hidden elements are dropped; ``main`` (or a single ``article``) is read when
    present, else ``body``. Text nodes are kept as text: an escaped ``&lt;script&gt;`` stays the
    literal text ``<script>``.
    """
    if raw is None:
        raw = read_bytes(path)
    if not raw.strip():
        raise ReadError(path, "empty file (0 bytes)" if not raw else "empty file (only whitespace)")
    text = _decode_html(path, raw)
    try:
        from bs4 import BeautifulSoup

        with warnings.catch_warnings():
            # bs4 warns when markup looks like a file name or URL; we always pass markup.
            warnings.simplefilter("ignore")
            soup = BeautifulSoup(text, "lxml")
        root = _html_root(soup)
        blocks = _HtmlWalker().run(root)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(path, f"not a valid HTML file (cannot parse: {exc})") from None
    if not blocks:
        raise ReadError(path, "empty file (no text content in the page)")
    return blocks


def _decode_html(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(path, "not a valid HTML file (bad UTF-16)") from None
    if raw.startswith(b"%PDF-") or raw.startswith(b"PK\x03\x04") or b"\x00" in raw[:4096]:
        raise ReadError(path, "not a valid HTML file (binary data)")
    candidates: list[str] = []
    declared = XML_DECL_RE.match(raw) or META_CHARSET_RE.search(raw[:8192])
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        # Browsers read "iso-8859-1" and "ascii" as Windows-1252 (WHATWG); so do we.
        if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1"):
            name = "cp1252"
        candidates.append(name)
    candidates += ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise ReadError(path, "cannot decode: neither the declared charset, UTF-8 nor Windows-1252")


def _decomposed(tag: Any) -> bool:
    # bs4's own ``tag.decomposed`` looks up a missing ``_decomposed`` attribute, which a Tag
    # answers with a search of its whole subtree (``tag.find("_decomposed")``): quadratic on a
    # deep page. The mark lives in the instance dictionary; read it there.
    return bool(vars(tag).get("_decomposed", False))


def _html_root(soup: Any) -> Any:
    from bs4 import Tag

    for tag in list(soup.find_all(DROP_TAGS)):
        tag.decompose()
    for tag in list(soup.find_all(_is_hidden)):
        if not _decomposed(tag):
            tag.decompose()
    # Footers are chrome everywhere; a header inside main/article holds the article title.
    for tag in list(soup.find_all(["header", "footer"])):
        if _decomposed(tag):
            continue
        if tag.name == "footer" or not tag.find_parent(["main", "article"]):
            tag.decompose()
    # Link boxes are judged on counts made in one pass from the leaves up (a search of each
    # element's subtree would be quadratic on a deeply nested page); a box's counts are made
    # before any of its descendants is removed, as it is judged before them.
    stats = _Stats(soup)
    for tag in list(soup.find_all(True)):
        if not _decomposed(tag) and (_is_chrome(tag) or _is_link_box(tag, stats)):
            tag.decompose()
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag):
        return main
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    body = soup.body or soup
    return _root_around_title(body)


class _Stats:
    """Per element, counted in one pass from the leaves up: non-space characters of its text,
    of that the characters inside links, and its number of links."""

    def __init__(self, root: Any) -> None:
        from bs4 import CData, NavigableString, Tag

        self.chars: dict[int, int] = {}
        self.linked: dict[int, int] = {}
        self.links: dict[int, int] = {}
        # Reversed document order visits every element after all of its descendants.
        for node in reversed(list(root.descendants)):
            parent = node.parent
            if parent is None:
                continue
            key = id(parent)
            if type(node) in (NavigableString, CData):  # the strings get_text() returns
                self.chars[key] = self.chars.get(key, 0) + len("".join(node.split()))
            elif isinstance(node, Tag):
                own = id(node)
                chars = self.chars.get(own, 0)
                is_link = node.name == "a"
                self.chars[key] = self.chars.get(key, 0) + chars
                self.linked[key] = self.linked.get(key, 0) + (
                    chars if is_link else self.linked.get(own, 0)
                )
                self.links[key] = self.links.get(key, 0) + self.links.get(own, 0) + is_link


def _is_chrome(tag: Any) -> bool:
    """A chrome role, or a class or id that names chrome (``share-bottom``, ``cookiemelding``)."""
    if tag.name in ("main", "article", "body", "html"):
        return False
    if str(tag.attrs.get("role", "")).lower() in CHROME_ROLES:
        return True
    names = [*tag.attrs.get("class", ()), str(tag.attrs.get("id", ""))]
    tokens = [t for name in names for t in CLASS_SPLIT_RE.split(name.lower()) if t]
    return any(t.startswith(CHROME_NAMES) for t in tokens)


def _is_link_box(tag: Any, stats: _Stats) -> bool:
    """A box (not a single link or a heading) whose text is mostly two or more links."""
    if tag.name in ("a", "main", "article", "body", "html", "table", *HEADING_TAGS):
        return False
    key = id(tag)
    if stats.links.get(key, 0) < 2:
        return False
    total, linked = stats.chars.get(key, 0), stats.linked.get(key, 0)
    return total > 0 and linked / total >= LINK_DENSITY and total - linked <= MAX_LABEL_CHARS


def _root_around_title(body: Any) -> Any:
    """The smallest element around the first ``h1`` that holds most of the paragraph text."""
    title = body.find("h1")
    if title is None:
        return body
    chars = _paragraph_chars(body)
    total = chars.get(id(body), 0)
    for ancestor in title.parents:
        if ancestor is body or ancestor.name in ("body", "html", "[document]"):
            return body
        if total and chars.get(id(ancestor), 0) >= ROOT_TEXT_SHARE * total:
            return ancestor
    return body


PARAGRAPH_TAGS = {"p", "li", "td", "dd"}


def _paragraph_chars(root: Any) -> dict[int, int]:
    """Per element under ``root`` (and ``root``): the length of the text of the paragraphs,
    list items and cells inside it (not itself), as ``get_text(" ", strip=True)`` of each
    would give, counted in one pass from the leaves up (a paragraph inside a list item
    counts for both)."""
    from bs4 import CData, NavigableString, Tag

    text: dict[int, tuple[int, int]] = {}  # element -> (stripped characters, pieces)
    paras: dict[int, int] = {}
    for node in [*reversed(list(root.descendants)), root]:
        parent = node.parent
        if isinstance(node, Tag):
            own = id(node)
            length, pieces = text.get(own, (0, 0))
            inside = paras.setdefault(own, 0)  # the paragraphs below it, not itself
            if node.name in PARAGRAPH_TAGS:
                inside += length + max(pieces - 1, 0)  # pieces joined by single spaces
            if parent is not None and node is not root:
                plen, ppieces = text.get(id(parent), (0, 0))
                text[id(parent)] = (plen + length, ppieces + pieces)
                paras[id(parent)] = paras.get(id(parent), 0) + inside
        elif type(node) in (NavigableString, CData) and parent is not None:
            stripped = node.strip()
            if stripped:
                plen, ppieces = text.get(id(parent), (0, 0))
                text[id(parent)] = (plen + len(stripped), ppieces + 1)
    return paras


def _is_hidden(tag: Any) -> bool:
    attrs = tag.attrs
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    style = attrs.get("style")
    return bool(style and HIDDEN_STYLE_RE.search(str(style)))


def _collapse(pieces: Iterable[str]) -> str:
    """Collapse whitespace to single spaces; explicit line breaks (<br>) become newlines."""
    text = "".join(pieces).translate(SPACE_TRANSLATION)
    text = re.sub(rf"[^\S{LINE_BREAK}]+", " ", text)
    lines = [line.strip() for line in text.split(LINE_BREAK)]
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


class _HtmlWalker:
    """Walks an HTML tree, buffering inline text until a block boundary.

    The walk keeps its own stack instead of recursing, so a page nested thousands of levels
    deep is read like any other (Python's recursion limit would stop it at a few hundred).
    A stack entry is a node with its list depth, or an action to run once the children that
    were pushed after it have been walked (a flush, the end of a list item)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.item_level: int | None = None  # set while inside an <li>
        self.stack: list[Any] = []

    def run(self, root: Any) -> list[Block]:
        self._walk(root, 0)
        self._drain(0)
        self._flush()
        return self.blocks

    def _flush(self) -> None:
        text = _collapse(self.buffer)
        self.buffer = []
        if text:
            if self.item_level is None:
                self.blocks.append(Block("paragraph", text))
            else:
                self.blocks.append(Block("list_item", text, level=self.item_level))

    def _walk(self, node: Any, depth: int) -> None:
        """Schedule the children of ``node`` (walked by :meth:`_drain`, first child first)."""
        self.stack.extend((child, depth) for child in reversed(node.contents))

    def _drain(self, bottom: int) -> None:
        """Walk until the stack is back at ``bottom`` entries."""
        from bs4 import NavigableString, Tag
        from bs4.element import PreformattedString

        while len(self.stack) > bottom:
            entry = self.stack.pop()
            if callable(entry):
                entry()
                continue
            child, depth = entry
            if isinstance(child, NavigableString):
                # Comments, CDATA, doctypes and processing instructions are not page text.
                if not isinstance(child, PreformattedString):
                    self.buffer.append(str(child))
            elif isinstance(child, Tag):
                self._tag(child, depth)

    def _end_item(self, outer: int | None) -> None:
        self._flush()
        self.item_level = outer

    def _tag(self, tag: Any, depth: int) -> None:
        name = tag.name
        if name in HEADING_TAGS:
            self._flush()
            text = one_line(_inline_text(tag))
            if text:
                self.blocks.append(
                    Block("heading", text, level=int(name[1]), number=heading_number(text))
                )
        elif name in LIST_TAGS:
            self._flush()
            self._walk(tag, depth + 1)
        elif name == "li":
            self._flush()
            outer = self.item_level
            self.item_level = max(depth - 1, 0)
            self.stack.append(lambda: self._end_item(outer))
            self._walk(tag, depth)
        elif name == "table":
            self._flush()
            self._table(tag, depth)
        elif name == "figure":
            self._flush()
            self._figure(tag, depth)
        elif name == "img":
            alt = one_line(str(tag.get("alt") or ""))
            if alt:
                self._flush()
                self.blocks.append(Block("figure", alt))
        elif name == "br":
            self.buffer.append(LINE_BREAK)
        elif name == "pre" and self.item_level is None:
            # Preformatted text (code, addresses) keeps its lines; spaces are still collapsed.
            self._flush()
            self.buffer.append(tag.get_text().replace("\n", LINE_BREAK))
            self._flush()
        elif name in BLOCK_TAGS:
            if self.item_level is not None:
                # Paragraphs inside a list item belong to the item: separate, don't split.
                self.buffer.append(LINE_BREAK)
                self.stack.append(lambda: self.buffer.append(LINE_BREAK))
                self._walk(tag, depth)
            else:
                self._flush()
                self.stack.append(self._flush)
                self._walk(tag, depth)
        else:
            self._walk(tag, depth)  # inline element: its text joins the running paragraph

    def _table(self, table: Any, depth: int, *, now: bool = False) -> None:
        rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
        cells = [tr.find_all(["th", "td"], recursive=False) for tr in rows]
        if str(table.get("role", "")).lower() == "presentation" or all(len(r) <= 1 for r in cells):
            # Layout tables (one column, or marked presentational) hold ordinary content.
            bottom = len(self.stack)
            self.stack.append(self._flush)
            self._walk(table, depth)
            if now:  # inside a figure: its blocks come before the figure's own block
                self._drain(bottom)
            return
        caption = table.find("caption")
        if caption is not None and caption.find_parent("table") is table:
            text = _inline_text(caption)
            if text:
                self.blocks.append(Block("paragraph", text))
        block = table_block([[_inline_text(c) for c in row] for row in cells])
        if block is not None:
            self.blocks.append(block)

    def _figure(self, figure: Any, depth: int) -> None:
        caption_tag = figure.find("figcaption")
        caption = one_line(_inline_text(caption_tag)) if caption_tag is not None else ""
        for table in figure.find_all("table"):
            if table.find_parent("table") is None:
                self._table(table, depth, now=True)
        alts = [one_line(str(img.get("alt") or "")) for img in figure.find_all("img")]
        text = caption or " ".join(a for a in alts if a)
        if text:
            self.blocks.append(Block("figure", text))


def _inline_text(tag: Any) -> str:
    """Text of a tag with block boundaries and <br> as line breaks (for cells and captions).

    Walked with an explicit stack (no recursion, see :class:`_HtmlWalker`)."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    out: list[str] = []
    breaking = BLOCK_TAGS | HEADING_TAGS | LIST_TAGS
    stack: list[Any] = list(reversed(tag.contents))
    while stack:
        child = stack.pop()
        if isinstance(child, str) and not isinstance(child, NavigableString):
            out.append(child)  # a line break scheduled after a block's children
        elif isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):
                out.append(str(child))
        elif isinstance(child, Tag):
            if child.name == "br":
                out.append(LINE_BREAK)
            elif child.name in breaking:
                out.append(LINE_BREAK)
                stack.append(LINE_BREAK)
                stack.extend(reversed(child.contents))
            else:
                stack.extend(reversed(child.contents))
    return _collapse(out)
