"""Per-layout profiles: the few rules one document layout needs, kept as data.

Extraction is general; where a layout needs its own rule (a typo in a heading, captions of tables
only that plan has, short names its cross-references use), the rule lives in a YAML file under
``kb/extract/profiles/`` with the reason written beside it. ``default.yaml`` holds the general
values; a profile with ``applies_to`` (a region and a document-type concept slug) overrides them
for the documents it matches. The first matching profile in file-name order wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kb.errors import KbError
from kb.extract.common import document_type
from kb.ingest.model import Document
from kb.rdf.vocabulary import Vocabulary

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"
DEFAULT = "default.yaml"


class ProfileError(KbError):
    """A layout profile cannot be read: names the file and the reason."""


@dataclass(frozen=True)
class LayoutProfile:
    """The rules of one layout (see ``profiles/default.yaml`` for what each field means)."""

    name: str
    goal_header_similarity: float
    goal_header_bullet_similarity: float
    label_corrections: dict[str, str] = field(default_factory=dict)
    care_form_tables: dict[str, str] = field(default_factory=dict)
    related_segment_keywords: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()
    applies_to: dict[str, str] = field(default_factory=dict)


def profile_for(
    doc: Document, vocabulary: Vocabulary, folder: Path = PROFILES_DIR
) -> LayoutProfile:
    """The profile that applies to ``doc``, else the default profile."""
    concept = document_type(vocabulary, doc)
    slug = concept.slug if concept is not None else ""
    region = doc.meta.region.strip().casefold()
    for profile in load_profiles(folder):
        wanted = profile.applies_to
        if (
            wanted
            and wanted.get("region", "").casefold() == region
            and wanted.get("document_type", "") == slug
        ):
            return profile
    return default_profile(folder)


def default_profile(folder: Path = PROFILES_DIR) -> LayoutProfile:
    """The general rules (``default.yaml``)."""
    return _load(folder)[0]


def load_profiles(folder: Path = PROFILES_DIR) -> tuple[LayoutProfile, ...]:
    """The per-layout profiles of ``folder`` (without the default), in file-name order."""
    return _load(folder)[1]


@lru_cache(maxsize=4)
def _load(folder: Path) -> tuple[LayoutProfile, tuple[LayoutProfile, ...]]:
    defaults = _read(folder / DEFAULT)
    base = _profile(DEFAULT, defaults, {})
    others = tuple(
        _profile(path.name, _read(path), defaults)
        for path in sorted(folder.glob("*.yaml"))
        if path.name != DEFAULT
    )
    return base, others


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path}: cannot read layout profile: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a layout profile is a mapping of rule names to values")
    return data


def _profile(name: str, data: dict[str, Any], defaults: dict[str, Any]) -> LayoutProfile:
    merged = {**defaults, **data}
    try:
        keywords = tuple(
            (re.compile(key, re.I), re.compile(value, re.I))
            for key, value in (merged.get("related_segment_keywords") or {}).items()
        )
        return LayoutProfile(
            name=name,
            goal_header_similarity=float(merged["goal_header_similarity"]),
            goal_header_bullet_similarity=float(merged["goal_header_bullet_similarity"]),
            label_corrections=dict(merged.get("label_corrections") or {}),
            care_form_tables=dict(merged.get("care_form_tables") or {}),
            related_segment_keywords=keywords,
            applies_to=dict(data.get("applies_to") or {}),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ProfileError(f"layout profile {name}: invalid rule: {exc}") from None
