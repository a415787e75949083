"""Metadata a document states about itself: title, date, region and document type.

For a file that ``sources.yaml`` does not list (or lists without some field), the missing
fields are inferred from the text, generally and simply:

- **title**: for a file named ``YYYY-MM-DD_region_title``, the name's title; else the first
  heading, skipping a heading that only names the document type
  ("Notitie", "Raadsvoorstel") or only states a date; when a numbered chapter heading comes
  first (or there is no heading), the title a Word file's properties or an HTML ``<title>``
  give; else the file name's title stays.
- **date**: the first line near the top that ends in a Dutch date after at most a short label
  ("Datum: 12 maart 2025", "Roosendaal, 2 juni 2025", "Bijgewerkt op 3 februari 2025"); else
  the date in the file name (``YYYY-MM-DD_…``); else such a line anywhere ("Laatst gewijzigd:
  14 april 2025" at the foot of a web page). Table rows do not count.
- **region**: the first "Jeugdregio X" or "Regio X" the text names (X: capitalised words, joined
  by "en", "de" or hyphens, as region names are); else the region in the file name.
- **document type**: a label of the ontology's ``documenttypen`` scheme that a heading of its own
  ("Raadsvoorstel") or the title names.

Every field filled this way is listed in :attr:`SourceMeta.inferred`, so the graph and the build
summary can say it was inferred.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from kb.ingest.model import Block, SourceMeta
from kb.ingest.sources import named_by_convention
from kb.rdf.vocabulary import load_vocabulary, month_number, month_pattern

#: Characters of text counted as "near the top" of a document.
HEAD_CHARS = 1200
#: Longest label before a date on a date line ("Laatst gewijzigd:", "'s-Hertogenbosch,").
_LABEL_MAX = 40
#: Words that join the capitalised words of a region name ("Walcheren en de Bevelanden").
_NAME_JOINERS = r"(?:en|de|het|van|aan|op)"


@lru_cache(maxsize=1)
def _date_regex() -> re.Pattern[str]:
    return re.compile(
        rf"\b(?P<day>[0-3]?\d)\s+(?P<month>{month_pattern()})\.?\s+(?P<year>(?:19|20)\d\d)\b",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _date_line_regex() -> re.Pattern[str]:
    # A line that is only a short label (no digits) and a date: a letterhead or dateline.
    return re.compile(
        rf"^[^\S\n]*(?P<label>[^\d\n]{{0,{_LABEL_MAX}}}?)[^\S\n]*"
        rf"(?P<date>[0-3]?\d\s+(?:{month_pattern()})\.?\s+(?:19|20)\d\d)[^\S\n]*\.?[^\S\n]*$",
        re.IGNORECASE | re.MULTILINE,
    )


# Spaces, not line breaks, join the words of a name: "Regio X" ending a line is not "X In".
_REGION_RE = re.compile(
    rf"\b(?P<kind>Jeugdregio|[Rr]egio)[^\S\n]+"
    rf"(?P<name>[A-Z][\w'’]*(?:(?:-|[^\S\n]+(?:{_NAME_JOINERS}[^\S\n]+)*)[A-Z][\w'’]*)*)"
)


def _to_date(m: re.Match[str]) -> dt.date | None:
    month = month_number(m.group("month"))
    try:
        return dt.date(int(m.group("year")), month, int(m.group("day"))) if month else None
    except ValueError:
        return None


def infer_date(text: str, *, anywhere: bool = True) -> dt.date | None:
    """The document's own date: a date line near the top, else (``anywhere``) one further on
    (see the module doc)."""
    lines = list(_date_line_regex().finditer(text))
    candidates = [m for m in lines if m.start() < HEAD_CHARS]
    if anywhere:
        candidates += lines
    for m in candidates:
        if any(c in m.group("label") for c in "\t|"):
            continue  # a table row (planning table), not a date line
        found = _date_regex().search(m.group("date"))
        if found and (date := _to_date(found)):
            return date
    return None


def infer_region(text: str) -> str:
    """The first region the text names as "Jeugdregio X" or "Regio X" ("" if none)."""
    m = _REGION_RE.search(text)
    if not m:
        return ""
    kind = m.group("kind")
    return f"{kind[0].upper()}{kind[1:]} {m.group('name')}"


def _is_type_heading(text: str) -> bool:
    return load_vocabulary().match("documenttypen", text) is not None


_NUMBERED_RE = re.compile(r"^\d+(?:\.\d+)*\.?\s")


def infer_title(blocks: Sequence[Block]) -> str:
    """The first heading that is not only a document type or a date, or "" when the text has
    none before its first numbered heading ("1. Inleiding" is a chapter, not a title)."""
    for block in blocks:
        if block.kind != "heading" or not block.text.strip():
            continue
        text = " ".join(block.text.split())
        if block.number or _NUMBERED_RE.match(text):
            return ""
        if _is_type_heading(text) or _date_line_regex().fullmatch(text):
            continue
        return text
    return ""


_HTML_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
#: Bytes of a file searched for its embedded title (an HTML head, a Word core.xml).
_TITLE_BYTES = 64 * 1024


def embedded_title(path: Path, raw: bytes) -> str:
    """The title a file carries besides its text: a Word file's core property or an HTML
    ``<title>`` ("" when there is none or it cannot be read)."""
    suffix = path.suffix.lower()
    text = ""
    if suffix in (".html", ".htm"):
        m = _HTML_TITLE_RE.search(raw[:_TITLE_BYTES].decode("utf-8", errors="replace"))
        text = html.unescape(m.group(1)) if m else ""
    elif suffix == ".docx":
        import io

        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                info = archive.getinfo("docProps/core.xml")
                if info.file_size <= _TITLE_BYTES:
                    core = archive.read(info).decode("utf-8", errors="replace")
                    m = re.search(r"<dc:title>(.*?)</dc:title>", core, re.DOTALL)
                    text = html.unescape(m.group(1)) if m else ""
        except (KeyError, zipfile.BadZipFile, OSError, ValueError):
            text = ""
    return " ".join(text.split())[:300]


def infer_type(blocks: Sequence[Block], title: str) -> str:
    """A document type named by a heading of its own among the first blocks, or by the title."""
    vocab = load_vocabulary()
    for block in blocks[:3]:
        if block.kind == "heading" and vocab.match("documenttypen", block.text) is not None:
            return " ".join(block.text.split()).lower()
    mentions = vocab.find_all("documenttypen", title)
    return mentions[0].text.lower() if mentions else ""


def complete(
    meta: SourceMeta,
    blocks: Sequence[Block],
    text: str,
    *,
    listed: bool,
    path: Path | None = None,
    raw: bytes = b"",
) -> SourceMeta:
    """``meta`` with the fields the text states filled in, and the filled fields listed as
    inferred. A listed file (``sources.yaml`` has its entry) keeps every field the entry gives;
    an unlisted one gets its title and type from the text and, when the text states them, its
    date and region (the file name's are the fall-back)."""
    changes: dict[str, object] = {}
    inferred: list[str] = []
    # A file named YYYY-MM-DD_region_title was named on purpose: its name's title stays.
    named = path is not None and named_by_convention(path)
    title = "" if named else infer_title(blocks) or (embedded_title(path, raw) if path else "")
    if not listed and title:
        changes["title"] = title
    if not listed:
        inferred.append("title")
    if not listed and meta.doc_type == SourceMeta.doc_type:
        doc_type = infer_type(blocks, str(changes.get("title", meta.title)))
        if doc_type:
            changes["doc_type"] = doc_type
            inferred.append("type")
    # A year in sources.yaml ("date: 2020") is what the user knows: it is kept as given.
    if (meta.date is None and meta.year is None) or not listed:
        # A date line near the top, else the file name's date, else a date line further on.
        date = infer_date(text, anywhere=False) or (
            None if meta.date is not None else infer_date(text)
        )
        if date is not None:
            changes["date"], changes["year"] = date, date.year
            inferred.append("date")
        elif meta.date is not None:
            inferred.append("date")  # from the file name
    if not meta.region or not listed:
        region = infer_region(text)
        if region:
            changes["region"] = region
            inferred.append("region")
        elif meta.region:
            inferred.append("region")  # from the file name
    return dataclasses.replace(meta, **changes, inferred=tuple(inferred))  # type: ignore[arg-type]
