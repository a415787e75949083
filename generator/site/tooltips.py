"""Glossary tooltips that help rather than clutter: a Python-Markdown extension.

The ``abbr`` extension wraps every occurrence of every glossary term in ``<abbr title=…>``
(the definitions are appended to each page, see :func:`generator.site.pages.tooltips`). That
underlines a term many times per page, inside titles, table headers and link text, and a link
"Crisis" to a segment would show the glossary's definition of a crisis. This tree processor runs
after ``abbr`` and keeps a tooltip only

- on the first occurrence of a term in each section (a heading starts a new section),
- outside headings, table headers, links, buttons and code, and outside any block with the
  class ``kb-no-tooltip``,

and makes each kept tooltip reachable by keyboard (``tabindex="0"``; the site's CSS and the
theme show the definition on focus as on hover).

Enabled in ``docs/mkdocs-base.yml`` as ``generator.site.tooltips``, listed after ``abbr``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

#: Elements whose text never gets a tooltip: a tooltip there hides the element's own meaning
#: (a link's target, a heading's or a column's name) or breaks it (code).
NO_TOOLTIP = frozenset({"a", "th", "code", "pre", "button", "summary", "kbd", "abbr"})
#: A block of a page whose terms get no tooltip (the glossary's own pages name their terms).
NO_TOOLTIP_CLASS = "kb-no-tooltip"
_HEADING = re.compile(r"h[1-6]")
#: After ``abbr`` (priority 7), before ``toc`` (5) so the table of contents gets plain text.
PRIORITY = 6


class TooltipTreeprocessor(Treeprocessor):
    """Unwraps the ``<abbr>`` elements that should not show a tooltip (see the module)."""

    def run(self, root: ET.Element) -> None:
        """Walk the document in order; ``seen`` holds the terms shown in the current section."""
        self._walk(root, set(), blocked=False)

    def _walk(self, parent: ET.Element, seen: set[str], blocked: bool) -> None:
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            heading = bool(_HEADING.fullmatch(tag))
            if heading:
                seen.clear()  # a new section: each term may show its tooltip once more
            if tag == "abbr":
                # A term is known by its text and by its definition: "WLZ" and "Wlz", or an
                # abbreviation and its spelled-out form, show their meaning once per section.
                key = " ".join((child.text or "").split()).casefold()
                meaning = "title:" + (child.get("title") or "").casefold()
                if blocked or not key or key in seen or meaning in seen:
                    unwrap(parent, child)
                    continue
                seen.update((key, meaning))
                child.set("tabindex", "0")
                continue
            opted_out = NO_TOOLTIP_CLASS in (child.get("class") or "").split()
            self._walk(child, seen, blocked or heading or opted_out or tag in NO_TOOLTIP)


def unwrap(parent: ET.Element, child: ET.Element) -> None:
    """Replace ``child`` by its text (and its children, if any) inside ``parent``."""
    index = list(parent).index(child)
    text = child.text or ""
    grandchildren = list(child)
    tail = child.tail or ""
    parent.remove(child)
    for offset, grandchild in enumerate(grandchildren):
        parent.insert(index + offset, grandchild)
    if grandchildren:
        last = grandchildren[-1]
        last.tail = (last.tail or "") + tail
    else:
        text += tail
    if not text:
        return
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text


class TooltipExtension(Extension):
    """Registers :class:`TooltipTreeprocessor` after the ``abbr`` extension."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        """Add the tree processor."""
        md.treeprocessors.register(TooltipTreeprocessor(md), "kb_tooltips", PRIORITY)


def makeExtension(**kwargs: object) -> TooltipExtension:  # noqa: N802 (Python-Markdown's API)
    """Entry point Python-Markdown calls for ``generator.site.tooltips``."""
    return TooltipExtension(**kwargs)
