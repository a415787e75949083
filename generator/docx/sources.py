"""Sources in Word: a footnote per sourced paragraph and a source list grouped by document.

A note names the document, the section (with its numbered parent), the page where the reader
recorded one, and the quote the fact was read from; with the setting ``site_url`` it links to the
passage on the knowledge base's site (the site's own page paths and passage anchors,
:mod:`generator.site.links`). The list at the end has one entry per document (title, type, date,
its page on the site) with the sections used below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from generator.docx.footnotes import Text, add_footnote, add_hyperlink
from generator.docx.word import add_styled
from generator.format import date, number
from generator.site import links
from kb.views.documents import Source


def site_address(site_url: str | None, docs_path: str) -> str | None:
    """The public address of a docs-relative page path (``page.md#anchor``) on the site.

    The site is built with ``use_directory_urls: false`` (``docs/mkdocs-base.yml``): the page
    ``generated/bronnen/x.md`` is ``generated/bronnen/x.html``.
    """
    if not site_url:
        return None
    path, sep, anchor = docs_path.partition("#")
    return site_url.rstrip("/") + "/" + path.removesuffix(".md") + ".html" + sep + anchor


def passage_address(site_url: str | None, source: Source) -> str | None:
    """Where the passage of ``source`` is on the site (None without a site or a passage)."""
    if not site_url or not source.passage_iri:
        return None
    try:
        return site_address(site_url, links.passage_target(source.passage_iri))
    except (ValueError, IndexError):  # not a passage IRI of the knowledge base
        return None


def document_address(site_url: str | None, document_iri: str) -> str | None:
    """The page of a source document on the site (None without a site)."""
    if not site_url or not document_iri:
        return None
    try:
        return site_address(site_url, links.page_path(document_iri))
    except ValueError:
        return None


def note_content(sources: Sequence[Source], site_url: str | None = None) -> list[Text]:
    """The text of one footnote: each source (document, section, page where the original has
    pages), the quote, the links.

    A fact has one quote (``kb:quote``) however many passages it derives from, so the quote is
    given once, after the sources.
    """
    out: list[Text] = []
    for n, source in enumerate(sources):
        if n:
            out.append(Text("; "))
        out.append(Text(source.document, italic=True))
        if source.section:
            out.append(Text(f", {source.section}"))
        if source.page:
            out.append(Text(f", pagina {source.page}"))
    out.append(Text("."))
    quote = next((s.quote for s in sources if s.quote), "")
    if quote:
        out.append(Text(f" “{' '.join(quote.split())}”"))
    addresses = [a for a in (passage_address(site_url, s) for s in sources) if a]
    for n, address in enumerate(dict.fromkeys(addresses)):
        out.append(Text(" Bekijk de passage: " if n == 0 else " en "))
        out.append(Text(address, url=address))
    return out


@dataclass
class SourceDocument:
    """One document of a source list and the sections of it that were used."""

    iri: str
    title: str
    doc_type: str = ""
    date: str = ""
    #: Section label → how many cited facts come from it, in order of first use.
    sections: dict[str, int] = field(default_factory=dict)


def group_sources(counted: Iterable[tuple[Source, int]]) -> list[SourceDocument]:
    """Sources (with their number of facts) grouped by document, documents by title."""
    groups: dict[str, SourceDocument] = {}
    for source, count in counted:
        key = source.document_iri or source.document
        group = groups.get(key)
        if group is None:
            group = groups[key] = SourceDocument(
                key, source.document, source.doc_type, source.doc_date
            )
        label = source.section or "(geen sectie)"
        group.sections[label] = group.sections.get(label, 0) + count
    return sorted(groups.values(), key=lambda g: (g.title.casefold(), g.iri))


def _dutch_date(value: str) -> str:
    """``2021-03-01`` → ``1 maart 2021``; a year or other text as it is."""
    try:
        return date(dt.date.fromisoformat(value[:10]))
    except ValueError:
        return value


class Citations:
    """The sources a document cites: a footnote on each sourced paragraph, and the list of
    documents for the end of the document (:meth:`documents`)."""

    def __init__(self, site_url: str | None = None) -> None:
        self.site_url = site_url
        self._counted: dict[Source, int] = {}

    def cite(self, paragraph: Paragraph, sources: Sequence[Source]) -> int | None:
        """Add a footnote with ``sources`` to ``paragraph``; returns its id (None: no sources)."""
        if not sources:
            return None
        for source in sources:
            self._counted[source] = self._counted.get(source, 0) + 1
        return add_footnote(paragraph, note_content(sources, self.site_url))

    def counted(self) -> list[tuple[Source, int]]:
        """Each cited source with how many notes cite it."""
        return list(self._counted.items())

    def documents(self) -> list[SourceDocument]:
        """The cited documents with their sections and fact counts."""
        return group_sources(self._counted.items())


def render_source_list(
    document: DocxDocument,
    groups: Sequence[SourceDocument],
    *,
    site_url: str | None = None,
    style: str = "Normal",
) -> None:
    """One entry per document: title (bold), type and date, its site page; then a bullet per
    section used with the number of facts taken from it."""
    for group in groups:
        paragraph = add_styled(document, "", style)
        paragraph.paragraph_format.keep_with_next = True
        paragraph.add_run(group.title).bold = True
        details = [d for d in (group.doc_type, _dutch_date(group.date)) if d]
        if details:
            paragraph.add_run(f" ({', '.join(details)})")
        address = document_address(site_url, group.iri)
        if address:
            paragraph.add_run(". In de kennisbank: ")
            add_hyperlink(paragraph, address, address)
        for section, count in group.sections.items():
            facts = "1 feit" if count == 1 else f"{number(count)} feiten"
            add_styled(document, f"{section} ({facts})", "List Bullet")
