"""Source metadata: ``sources.yaml`` beside the files, or what a file name tells.

``sources.yaml`` lists documents with ``file``, ``title``, ``type``, ``region``, ``author``,
``audience`` and ``date`` (a date or a year). Files it does not list get a title and, where the
name follows ``YYYY-MM-DD_region_title``, a date and region from their name.

``type`` is free text ("inkoopplan", "Inkoopstrategie", "raadsbrief"): it is kept as written and
mapped to a concept of the ontology's ``documenttypen`` scheme when the graph is built
(:mod:`kb.extract.documents`); an unknown type makes a plain document and a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from kb.ingest.model import ReadError, SourceMeta

SOURCES_FILE = "sources.yaml"
_NAME_RE = re.compile(r"^(?P<date>\d{4}(?:-\d{2}-\d{2})?)_(?P<region>[^_]+)_(?P<title>.+)$")


def load_sources(folder: Path) -> dict[str, SourceMeta]:
    """Read ``folder/sources.yaml`` (if present) into metadata keyed by file name."""
    path = folder / SOURCES_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ReadError(path, f"invalid YAML: {exc}") from None
    entries = data.get("documents", []) if isinstance(data, dict) else []
    if not isinstance(entries, list):
        raise ReadError(path, "'documents' must be a list")
    metas: dict[str, SourceMeta] = {}
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or "file" not in entry:
            raise ReadError(path, f"entry {i + 1} has no 'file'")
        raw_date = entry.get("date")
        date, year = _parse_date(raw_date)
        metas[str(entry["file"])] = SourceMeta(
            file=str(entry["file"]),
            title=str(entry.get("title") or Path(entry["file"]).stem),
            doc_type=" ".join(str(entry.get("type") or SourceMeta.doc_type).split()),
            region=str(entry.get("region") or ""),
            author=str(entry.get("author") or ""),
            audience=str(entry.get("audience") or ""),
            date=date,
            year=year,
        )
    return metas


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
