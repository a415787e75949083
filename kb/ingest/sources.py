"""Source metadata: ``sources.yaml`` beside the files, or what a file name tells.

``sources.yaml`` lists documents with ``file``, ``title``, ``type``, ``region``, ``author``,
``audience``, ``date`` (a date or a year) and ``url`` (where the original is published, http or
https only). Files it does not list get a title and, where the name follows
``YYYY-MM-DD_region_title``, a date and region from their name; the text then fills in what it
states (:mod:`kb.ingest.metadata`).

``type`` is free text ("inkoopplan", "Inkoopstrategie", "raadsbrief"): it is kept as written and
mapped to a concept of the ontology's ``documenttypen`` scheme when the graph is built
(:mod:`kb.extract.documents`); an unknown type makes a plain document and a warning.

A faulty ``sources.yaml`` never loses the folder's documents (:func:`read_sources`): a file that
is not valid YAML is an error naming its line, and every document of the folder is still built,
with metadata inferred from its text and name. An entry without ``file``, an entry naming a file
that is not in the folder and a second entry for the same file are warnings (the first entry
counts). YAML is loaded safely, with at most :data:`MAX_ALIASES` aliases: a few hundred bytes of
nested aliases cannot expand into megabytes of metadata.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from kb.ingest.model import ReadError, SourceMeta
from kb.yamlfile import YamlSyntaxError, parse_yaml

SOURCES_FILE = "sources.yaml"
#: Aliases (``*name``) a sources.yaml may use; a real one needs none or a few.
MAX_ALIASES = 50
#: Longest value of a metadata field, in characters.
MAX_FIELD_CHARS = 500
_NAME_RE = re.compile(r"^(?P<date>\d{4}(?:-\d{2}-\d{2})?)_(?P<region>[^_]+)_(?P<title>.+)$")
_FIELDS = ("file", "title", "type", "region", "author", "audience", "date", "url")
#: A web address worth linking to: http(s) only (no javascript: or file: links on the site).
_URL_RE = re.compile(r"^https?://[^\s<>\"]+$", re.IGNORECASE)


@dataclass
class SourcesFile:
    """What a folder's ``sources.yaml`` says: metadata by file name, and what is wrong with it.

    ``error`` (with the line, where YAML gives one) is set when the file cannot be used at all:
    the folder is then built without it. ``warnings`` name, with their file and line, entries
    that were skipped or ignored.
    """

    metas: dict[str, SourceMeta] = field(default_factory=dict)
    error: str = ""
    warnings: list[str] = field(default_factory=list)


def read_sources(folder: Path) -> SourcesFile:
    """Read ``folder/sources.yaml`` (if present); never raises for bad content."""
    path = folder / SOURCES_FILE
    if not path.is_file():
        return SourcesFile()
    try:
        parsed = parse_yaml(path.read_text(encoding="utf-8"), max_aliases=MAX_ALIASES)
    except YamlSyntaxError as exc:
        return SourcesFile(error=str(exc))
    except (UnicodeDecodeError, OSError) as exc:
        return SourcesFile(error=f"cannot read: {exc}")
    data = parsed.data
    entries = data.get("documents", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return SourcesFile(error="expected a mapping with a list under 'documents'")
    lines = parsed.item_lines("documents")
    result = SourcesFile()
    for i, entry in enumerate(entries):
        where = f"{path}, line {lines[i]}" if i < len(lines) else f"{path}, entry {i + 1}"
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str | int):
            result.warnings.append(f"{where}: entry has no 'file'; skipped")
            continue
        name = str(entry["file"])
        if name in result.metas:
            result.warnings.append(
                f"{where}: '{name}' is listed twice; the first entry is used, this one ignored"
            )
            continue
        if not (folder / name).is_file():
            result.warnings.append(f"{where}: '{name}' is not in {folder}; entry ignored")
        values = {}
        for key in _FIELDS[1:]:
            value = entry.get(key)
            if value is not None and not isinstance(value, str | int | float | dt.date):
                result.warnings.append(f"{where}: '{key}' is not a single value; ignored")
                value = None
            values[key] = value
        date, year = _parse_date(values["date"])
        result.metas[name] = SourceMeta(
            file=name,
            title=_text(values["title"]) or Path(name).stem,
            doc_type=_text(values["type"]) or SourceMeta.doc_type,
            region=_text(values["region"]),
            author=_text(values["author"]),
            audience=_text(values["audience"]),
            date=date,
            year=year,
            url=_url(values["url"], where, result.warnings),
        )
    return result


def load_sources(folder: Path) -> dict[str, SourceMeta]:
    """Metadata by file name from ``folder/sources.yaml``; raises :class:`ReadError` when the
    file cannot be used (see :func:`read_sources` for a reader that never raises)."""
    result = read_sources(folder)
    if result.error:
        raise ReadError(folder / SOURCES_FILE, result.error)
    return result.metas


def _url(value: object, where: str, warnings: list[str]) -> str:
    """The ``url`` of an entry when it is an http(s) address, else "" (and a warning)."""
    text = _text(value)
    if text and not _URL_RE.match(text):
        warnings.append(f"{where}: 'url' is not an http(s) address; ignored")
        return ""
    return text


def _text(value: object) -> str:
    return " ".join(str(value or "").split())[:MAX_FIELD_CHARS]


def _parse_date(raw: object) -> tuple[dt.date | None, int | None]:
    if isinstance(raw, dt.date):
        return raw, raw.year
    if isinstance(raw, int):
        return None, raw
    if isinstance(raw, str):
        try:
            parsed = dt.date.fromisoformat(raw)
            return parsed, parsed.year
        except ValueError:
            match = re.match(r"^(\d{4})", raw)
            return None, int(match.group(1)) if match else None
    return None, None


def named_by_convention(path: Path) -> bool:
    """Whether the file's name follows ``YYYY-MM-DD_region_title`` (a name given on purpose)."""
    return _NAME_RE.match(path.stem) is not None


def meta_from_name(path: Path) -> SourceMeta:
    """Metadata for a file that ``sources.yaml`` does not list."""
    match = _NAME_RE.match(path.stem)
    if not match:
        return SourceMeta(file=path.name, title=path.stem.replace("_", " ").replace("-", " "))
    date, year = _parse_date(match.group("date"))
    return SourceMeta(
        file=path.name,
        title=match.group("title").replace("-", " ").capitalize(),
        region=match.group("region").replace("-", " ").title(),
        date=date,
        year=year,
    )
