"""Source-document pages: the text in its original heading hierarchy, each passage with its
trail (document › chapter › section › rubric), the metadata a reader wants and the original file.

Pure functions over :class:`~kb.views.site.SiteData`; :mod:`generator.site.pages` renders them
with ``document.md.j2``.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from generator.format import date, partial_date
from generator.site.links import GENERATED, passage_anchor
from kb.views.documents import Document, Section
from kb.views.site import SiteData

#: Where the site keeps copies of the original files (docs-relative).
ORIGINALS_FOLDER = f"{GENERATED}/bronnen/bestanden"
#: Formats a browser shows as they are, or offers as a download, without running anything of
#: them; any other original (html, md, ...) is copied with ``.txt`` added, so it is never a page
#: of the site (MkDocs would render a .md; an .html would run its scripts on the site's origin).
SAFE_ORIGINAL_FORMATS = frozenset({"txt", "pdf", "docx"})
#: Dutch names of the file formats, as a reader knows them.
FORMAT_LABELS = {
    "txt": "tekstbestand",
    "md": "Markdown-bestand",
    "pdf": "PDF",
    "docx": "Word-document",
    "html": "webpagina (HTML)",
    "htm": "webpagina (HTML)",
}
#: The separator of a trail (document › chapter › section).
TRAIL_SEPARATOR = " › "
#: Deepest Markdown heading level; deeper sections share it.
MAX_HEADING = 6
#: The heading level of a chapter: under the page title (h1), beside "Tekst" (h2).
CHAPTER_HEADING = 2


class PassageView(NamedTuple):
    """A passage on its document's page: its anchor, trail (with the page of a paged
    original), text as escaped HTML, and the page number where a new page of the original
    starts with this passage (0 elsewhere)."""

    anchor: str
    trail: str
    html: str
    new_page: int = 0


@dataclass
class OutlineBlock:
    """A heading of the original (``None`` for text before the first heading) with the
    passages directly under it."""

    heading: str | None
    level: int
    section: str | None = None
    passages: list[PassageView] = field(default_factory=list)


def section_chain(data: SiteData, section: str | None) -> list[Section]:
    """The section and its ancestors, outermost first, without the document's root section
    (level 0, which carries the document's title)."""
    chain: list[Section] = []
    seen: set[str] = set()
    current = data.sections.get(section or "")
    while current is not None and current.iri not in seen:
        seen.add(current.iri)  # a cycle in faulty data must not loop forever
        if current.level > 0 or current.parent:
            chain.append(current)
        current = data.sections.get(current.parent or "")
    return list(reversed(chain))


def trail(data: SiteData, document: Document, section: str | None) -> str:
    """``Inkoopplan › 4 Inkoop › 4.2 SEGMENT 2: WONEN › Planning``: where a passage sits."""
    parts = [document.title, *(s.heading for s in section_chain(data, section))]
    return TRAIL_SEPARATOR.join(" ".join(p.split()) for p in parts if p.strip())


def document_outline(data: SiteData, document: Document) -> list[OutlineBlock]:
    """The passages of ``document`` under the headings of the original, nested as there:
    a heading is written once, before its first passage, with all its ancestors that were not
    written yet (a chapter whose text starts in its first section still gets its heading)."""
    blocks: list[OutlineBlock] = []
    written: set[str] = set()
    current: str | None = "\0"
    page = 0
    for p in data.passages_of(document.iri):
        if p.section != current or not blocks:
            current = p.section
            chain = section_chain(data, p.section)
            for depth, section in enumerate(chain):
                if section.iri in written:
                    continue
                written.add(section.iri)
                level = min(CHAPTER_HEADING + depth, MAX_HEADING)
                blocks.append(OutlineBlock(section.heading, level, section.iri))
            if not chain and not blocks:
                blocks.append(OutlineBlock(None, CHAPTER_HEADING))
            elif chain and blocks[-1].section != chain[-1].iri:
                # Back in a section after one of its sub-sections: its text continues under
                # the sub-section's heading otherwise; repeat the section's heading.
                blocks.append(
                    OutlineBlock(
                        chain[-1].heading,
                        min(CHAPTER_HEADING + len(chain) - 1, MAX_HEADING),
                        chain[-1].iri,
                    )
                )
        blocks[-1].passages.append(
            PassageView(
                passage_anchor(p.iri),
                trail(data, document, p.section) + (f" · pagina {p.page}" if p.page else ""),
                passage_html(p.text),
                p.page if p.page and p.page != page else 0,
            )
        )
        page = p.page or page
    return blocks


def passage_html(text: str) -> str:
    """Passage text as the inside of a raw HTML paragraph: escaped, line breaks kept, and
    never a blank line (that would end the HTML block in Markdown)."""
    lines = [html.escape(line.strip(), quote=False) for line in text.splitlines()]
    return "<br>\n".join(line for line in lines if line)


def original_target(document: Document) -> str | None:
    """Docs-relative path of the copy of ``document``'s original file on the site."""
    name = document.original_name
    if not name:
        return None
    if (document.fmt or "").lower() not in SAFE_ORIGINAL_FORMATS:
        name += ".txt"
    return f"{ORIGINALS_FOLDER}/{name}"


def original_files(data: SiteData, originals: Path | None) -> dict[str, Path]:
    """Site path → file, for every document whose original the release kept in
    ``originals`` (a build's ``originals/`` folder)."""
    if originals is None or not originals.is_dir():
        return {}
    found: dict[str, Path] = {}
    for doc in data.documents.values():
        target = original_target(doc)
        if target and doc.original_name and (originals / doc.original_name).is_file():
            found[target] = originals / doc.original_name
    return found


def dutch_date(document: Document) -> str:
    """The document's date in Dutch (``14 augustus 2018``), or its year, or ""."""
    if document.date:
        try:
            return date(dt.date.fromisoformat(str(document.date)[:10]))
        except ValueError:
            pass
    return partial_date(document.year) if document.year else ""


def metadata_rows(data: SiteData, document: Document) -> list[tuple[str, str]]:
    """What a reader wants to know of a source, in Dutch, as ``(label, text)`` pairs, leaving
    out what is unknown; links (region, original, web address) are added by the template."""
    kind = document.type_label or (
        document.doc_type if document.doc_type and document.doc_type != "document" else ""
    )
    rows = [
        ("Soort", kind[:1].upper() + kind[1:] if kind else ""),
        ("Datum", dutch_date(document)),
        ("Opgesteld door", document.creator or ""),
        ("Bestemd voor", document.audience or ""),
    ]
    return [(label, value) for label, value in rows if value]


def format_label(document: Document) -> str:
    """``PDF``, ``tekstbestand``: the original's format for a reader."""
    fmt = (document.fmt or "").lower()
    return FORMAT_LABELS.get(fmt, fmt.upper())
