"""Per-layout profiles: the few rules one document layout needs, kept as data.

Extraction is general; where a layout needs its own rule (a typo in a heading, captions of tables
only that plan has, short names its cross-references use, the slide titles of a provider-session
deck, the section titles of a progress memo), the rule lives in a YAML file under
``kb/extract/profiles/`` with the reason written beside it. ``default.yaml`` holds the general
values; a profile with ``applies_to`` (a document-type concept slug and, optionally, a region)
overrides them for the documents it matches. A profile for the document's region and type wins
over one for its type alone; among equals, the first in file-name order.
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
    #: Slide titles of a deck layout (:mod:`kb.extract.slides`): role → pattern on the title in
    #: lower case without brackets and closing punctuation, in the profile's order.
    slide_titles: tuple[tuple[str, re.Pattern[str]], ...] = ()
    #: Section titles of a memo layout (:mod:`kb.extract.memo`): context → pattern, in order.
    memo_contexts: tuple[tuple[str, re.Pattern[str]], ...] = ()
    applies_to: dict[str, str] = field(default_factory=dict)

    def slide_title(self, role: str) -> re.Pattern[str] | None:
        """The pattern of one slide role ("programma", "planning", …), if the layout has it."""
        return next((p for r, p in self.slide_titles if r == role), None)


def profile_for(
    doc: Document, vocabulary: Vocabulary, folder: Path = PROFILES_DIR
) -> LayoutProfile:
    """The profile that applies to ``doc``, else the default profile."""
    concept = document_type(vocabulary, doc)
    slug = concept.slug if concept is not None else ""
    region = doc.meta.region.strip().casefold()
    by_type = None
    for profile in load_profiles(folder):
        wanted = profile.applies_to
        if not wanted or wanted.get("document_type", "") != slug:
            continue
        if "region" not in wanted:
            by_type = by_type or profile
        elif wanted["region"].casefold() == region:
            return profile
    return by_type or default_profile(folder)


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
            slide_titles=_patterns(merged.get("slide_titles")),
            memo_contexts=_patterns(merged.get("memo_contexts")),
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


def _patterns(data: Any) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """A mapping of names to regular expressions (case-insensitive), in its order."""
    return tuple((str(k), re.compile(str(v), re.I)) for k, v in (data or {}).items())
