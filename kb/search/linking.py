"""Entity linking: which knowledge-graph entities a text names, by their labels and altLabels.

Used on both sides of search: on a query (what the question is about, for expansion and boost)
and, at index time, on every passage (which concepts, segments, regions a passage mentions, so a
glossary term links to the passages that use it even when no extracted fact says so).

Matching is exact and conservative: a name matches whole words by their Dutch stems (``segment
Wonen`` names Wonen, ``wonen`` inside ``woonvoorziening`` does not); abbreviations (PxQ, GI, JGT)
match case-sensitively with word boundaries; where names overlap the longest wins.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from kb.index.lexical import DUTCH_STOPWORDS, stem, words
from kb.index.records import Entity


@dataclass
class LinkedEntity:
    """An entity the query names, and the words that named it."""

    iri: str
    kind: str
    label: str
    matched: str
    #: Token span ``[start, end)`` of the query words that named it.
    span: tuple[int, int] = (0, 0)
    #: Named by an abbreviation (PxQ, GI …) rather than by a written-out label.
    by_abbreviation: bool = False
    #: Key of the name that matched (:func:`name_key`).
    name: str = ""


@dataclass(frozen=True)
class _Span:
    """One name found in a text: its words ``[start, end)``, and the entities it names."""

    length: float  # words; a compound part counts 0.5
    start: int
    end: int
    key: str
    form: str
    abbreviation: bool
    iris: list[str]


def name_key(name: str, *, abbreviation: bool = False) -> str:
    """How a name is stored with the passages that hold it: an abbreviation as written (they
    match case-sensitively), any other name as its space-joined Dutch stems."""
    return f"={name}" if abbreviation else name


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@functools.lru_cache(maxsize=8192)  # asked for the same few labels on every query
def is_abbreviation(form: str) -> bool:
    """PxQ, GI, JGT, EED, ZIN, PGB: short forms with capitals match case-sensitively."""
    letters = [c for c in form if c.isalpha()]
    return 0 < len(form) <= 6 and sum(c.isupper() for c in letters) >= max(2, len(letters) // 2)


_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


class Linker:
    """Finds entity names in a query: whole words by stem, abbreviations by exact case.

    A name matches only whole query words (``segment Wonen`` names Wonen, ``wonen`` inside
    ``woonvoorziening`` does not); a one-word name may also match a part of a Dutch compound
    (``crisishulp`` → Crisis). Where names overlap the longest wins, so ``collectieve
    bekostiging`` links that concept and not also the broader ``bekostiging``; a compound part
    loses to a name that matches the whole word.
    """

    def __init__(self, entities: list[Entity]) -> None:
        self.entities = {e.iri: e for e in entities}
        #: Per entity the keys of its names (see :func:`name_key`); a passage that names one of
        #: them mentions the entity.
        self.names_of: dict[str, set[str]] = {}
        # Many entities share a name (a segment "Ambulant" per region, a term per document):
        # each name is matched once, with the list of entities it names, so linking does not slow
        # down as regions are added.
        abbrev_iris: dict[str, list[str]] = {}
        self.phrases: dict[tuple[str, ...], dict[str, list[str]]] = {}  # stems → form → iris
        for e in entities:
            for form in [e.label, *e.alt_labels, *e.other_labels]:
                form = _fold(form).strip()
                if not form:
                    continue
                if is_abbreviation(form):
                    iris = abbrev_iris.setdefault(form, [])
                    key = name_key(form, abbreviation=True)
                else:
                    toks = words(form)
                    if not toks or (
                        len(toks) == 1 and (len(toks[0]) < 4 or toks[0] in DUTCH_STOPWORDS)
                    ):
                        continue
                    stems = tuple(stem(t) for t in toks)
                    iris = self.phrases.setdefault(stems, {}).setdefault(form, [])
                    key = name_key(" ".join(stems))
                if e.iri not in iris:
                    iris.append(e.iri)
                self.names_of.setdefault(e.iri, set()).add(key)
        self._max_len = max((len(k) for k in self.phrases), default=0)
        self.abbrev: list[tuple[re.Pattern[str], str, list[str]]] = [
            (re.compile(rf"(?<![\w]){re.escape(form)}(?![\w])"), form, iris)
            for form, iris in abbrev_iris.items()
        ]

    def _spans(self, query: str, analyzer: Any) -> list[_Span]:
        """The names the text holds, longest first, where names overlap the longest kept."""
        q = _fold(query)
        tokens = [(m.start(), m.end(), words(m.group(0))) for m in _TOKEN_RE.finditer(q)]
        toks = [w[0] if w else "" for _s, _e, w in tokens]
        stems = [stem(t) for t in toks]
        candidates: list[_Span] = []
        for pattern, form, iris in self.abbrev:
            for m in pattern.finditer(q):
                idx = [i for i, (a, b, _w) in enumerate(tokens) if a < m.end() and b > m.start()]
                if idx:
                    key = name_key(form, abbreviation=True)
                    candidates.append(_Span(len(idx), idx[0], idx[-1] + 1, key, form, True, iris))
        for start in range(len(stems)):
            for n in range(1, min(self._max_len, len(stems) - start) + 1):
                span_stems = tuple(stems[start : start + n])
                for form, iris in self.phrases.get(span_stems, {}).items():
                    key = name_key(" ".join(span_stems))
                    candidates.append(_Span(n, start, start + n, key, form, False, iris))
        if analyzer is not None:
            for i, tok in enumerate(toks):
                for part in analyzer.split(tok):
                    part_stem = stem(part)
                    for form, iris in self.phrases.get((part_stem,), {}).items():
                        # A compound part counts for less than a whole word.
                        key = name_key(part_stem)
                        candidates.append(_Span(0.5, i, i + 1, key, form, False, iris))
        candidates.sort(key=lambda c: (-c.length, c.start))
        # Longer spans come first, so a span's verdict is settled when it first appears; the
        # several names one span may match share it.
        kept: list[tuple[float, int, int]] = []
        verdict: dict[tuple[float, int, int], bool] = {}
        out: list[_Span] = []
        for c in candidates:
            span = (c.length, c.start, c.end)
            if span not in verdict:
                verdict[span] = not any(
                    c.start < kb and c.end > ka and klen > c.length for klen, ka, kb in kept
                )
                if verdict[span]:
                    kept.append(span)
            if verdict[span]:
                out.append(c)
        return out

    def link(self, query: str, analyzer: Any) -> list[LinkedEntity]:
        """The entities the query names, longest names first, one entry per entity."""
        found: dict[str, LinkedEntity] = {}
        for c in self._spans(query, analyzer):
            for iri in c.iris:
                if iri not in found:
                    e = self.entities[iri]
                    found[iri] = LinkedEntity(
                        iri, e.kind, e.label, c.form, (c.start, c.end), c.abbreviation, c.key
                    )
        return list(found.values())

    def names(self, text: str) -> set[str]:
        """Keys of the names a passage holds as whole words or abbreviations.

        Names, not entities: a name many entities share (a segment in every region) is stored
        once per passage rather than once per entity, so a passage's record does not grow with
        the number of regions. No compound parts here: a passage that says ``crisisdienst`` does
        not mention Crisis as such, while a question that says ``crisishulp`` may well mean it.
        """
        return {c.key for c in self._spans(text, None)}
