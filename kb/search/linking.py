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
        # Abbreviation → the entities it names: one pattern per form, however many entities
        # (one per region or document) share it, so linking does not slow down as the corpus grows.
        abbrev_iris: dict[str, list[str]] = {}
        self.phrases: dict[tuple[str, ...], list[tuple[str, str]]] = {}  # stems → (iri, form)
        for e in entities:
            for form in [e.label, *e.alt_labels, *e.other_labels]:
                form = _fold(form).strip()
                if not form:
                    continue
                if is_abbreviation(form):
                    iris = abbrev_iris.setdefault(form, [])
                    if e.iri not in iris:
                        iris.append(e.iri)
                    continue
                toks = words(form)
                if not toks or (
                    len(toks) == 1 and (len(toks[0]) < 4 or toks[0] in DUTCH_STOPWORDS)
                ):
                    continue
                key = tuple(stem(t) for t in toks)
                if (e.iri, form) not in self.phrases.setdefault(key, []):
                    self.phrases[key].append((e.iri, form))
        self._max_len = max((len(k) for k in self.phrases), default=0)
        self.abbrev: list[tuple[re.Pattern[str], str, list[str]]] = [
            (re.compile(rf"(?<![\w]){re.escape(form)}(?![\w])"), form, iris)
            for form, iris in abbrev_iris.items()
        ]

    def link(self, query: str, analyzer: Any) -> list[LinkedEntity]:
        """The entities the query names, longest names first, one entry per entity."""
        q = _fold(query)
        tokens = [(m.start(), m.end(), words(m.group(0))) for m in _TOKEN_RE.finditer(q)]
        toks = [w[0] if w else "" for _s, _e, w in tokens]
        stems = [stem(t) for t in toks]
        # (length, whole word?, start, end, iri, form, by abbreviation)
        candidates: list[tuple[float, int, int, str, str, bool]] = []
        for pattern, form, iris in self.abbrev:
            for m in pattern.finditer(q):
                idx = [i for i, (a, b, _w) in enumerate(tokens) if a < m.end() and b > m.start()]
                if idx:
                    for iri in iris:
                        candidates.append((len(idx), idx[0], idx[-1] + 1, iri, form, True))
        for start in range(len(stems)):
            for n in range(1, min(self._max_len, len(stems) - start) + 1):
                for iri, form in self.phrases.get(tuple(stems[start : start + n]), ()):
                    candidates.append((n, start, start + n, iri, form, False))
        if analyzer is not None:
            for i, tok in enumerate(toks):
                for part in analyzer.split(tok):
                    for iri, form in self.phrases.get((stem(part),), ()):
                        # A compound part counts for less than a whole word.
                        candidates.append((0.5, i, i + 1, iri, form, False))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        # Many entities share a name (a segment "Ambulant" per region, a term per document), so
        # one span has a candidate per entity: each span is judged once. Longer spans come first,
        # so a span's verdict is settled when it first appears.
        kept: list[tuple[float, int, int]] = []
        verdict: dict[tuple[float, int, int], bool] = {}
        found: dict[str, LinkedEntity] = {}
        for length, a, b, iri, form, abbr in candidates:
            span = (length, a, b)
            if span not in verdict:
                verdict[span] = not any(
                    a < kb and b > ka and klen > length for klen, ka, kb in kept
                )
                if verdict[span]:
                    kept.append(span)
            if not verdict[span]:
                continue
            if iri not in found:
                e = self.entities[iri]
                found[iri] = LinkedEntity(iri, e.kind, e.label, form, (a, b), abbr)
        return list(found.values())

    def mentions(self, text: str) -> set[str]:
        """IRIs of the entities a passage names with whole words or abbreviations.

        No compound parts here: a passage that says ``crisisdienst`` does not mention Crisis as
        such, while a question that says ``crisishulp`` may well mean it.
        """
        return {le.iri for le in self.link(text, None)}
