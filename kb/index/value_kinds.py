"""Which kinds of value a passage states: a number or amount, a date, a duration.

Built into the search index (each :class:`~kb.index.records.Record`'s ``answer_kinds``) so that
search can lower, for a question that asks "Hoeveel …?" or "Wanneer …?", the passages that
state no value of that kind (:mod:`kb.search.answer_kinds`). The kinds are the concepts of the
``antwoordsoorten`` scheme (``ontology/cues.ttl``), by slug; the values are found by the same
Dutch finders extraction uses (:mod:`kb.extract.values`), so "zesduizend jeugdigen", "4+2 jaar"
and "medio 2025" count as well as "6.340" and "1 januari 2026".

Only the index builder imports this module: it is part of the write path (search reads the
kinds from the index).
"""

from __future__ import annotations

import functools
import re

from kb.extract.values import find_dates, find_durations, find_numbers, parse_number_word
from kb.rdf.vocabulary import Vocabulary, month_number

#: The scheme of the kinds (its concept slugs are the kinds a record carries).
SCHEME = "antwoordsoorten"
#: A number, amount or percentage.
NUMBER = "aantal"
#: A date, month, quarter or year.
DATE = "datum"
#: A duration ("vier jaar", "4+2 jaar", "18 maanden", "binnen zes weken", "5 werkdagen").
DURATION = "duur"

_DIGIT_RE = re.compile(r"\d")
# A year on its own counts as a moment ("in 2026", "2025-2028"); find_dates wants a cue word.
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_WORD_RE = re.compile(r"[^\W\d_]+")
# Every date find_dates knows has a year or a month word, except a quarter or half without its
# year ("het tweede kwartaal"): only for those is the finder needed.
_PERIOD_RE = re.compile(r"kwartaal|helft|\bQ[1-4]\b|\bH[12]\b", re.IGNORECASE)
# find_durations only finds periods in years or months (contract durations, with extensions and
# ranges): skip it for passages without those words.
_UNIT_RE = re.compile(r"jaar|jaren|jr\b|maand", re.IGNORECASE)
# Shorter spans answer "Hoe lang …?" too (a waiting time, a notice period): a number, in digits
# or words, right before a unit of weeks, days or hours.
_SHORT_SPAN_RE = re.compile(
    r"\b(\d+|[^\W\d_]+)\s+(?:werk)?(?:weken|week|dagen|dag|uren|uur)\b", re.IGNORECASE
)


@functools.lru_cache(maxsize=65_536)
def _word(word: str) -> tuple[bool, bool]:
    """(a number word, a month word); "een" is an article far more often than a number."""
    return word != "een" and parse_number_word(word) is not None, month_number(word) is not None


def passage_kinds(text: str) -> list[str]:
    """The kinds of value ``text`` states, in scheme order (``["aantal", "datum"]``, or others).

    Cheap tests first (a digit, a year, a number or month word), the finders only where those
    leave the answer open: the index builder runs this on every passage of every build.
    """
    digit = _DIGIT_RE.search(text) is not None
    number_word = month_word = False
    for word in set(_WORD_RE.findall(text.lower())):
        is_number, is_month = _word(word)
        number_word |= is_number
        month_word |= is_month
    kinds = []
    if digit or (number_word and find_numbers(text)):
        kinds.append(NUMBER)
    if (
        month_word
        or (digit and _YEAR_RE.search(text) is not None)
        or (_PERIOD_RE.search(text) is not None and find_dates(text))
    ):
        kinds.append(DATE)
    if (digit or number_word) and (
        (_UNIT_RE.search(text) and find_durations(text)) or _short_span(text)
    ):
        kinds.append(DURATION)
    return kinds


def _short_span(text: str) -> bool:
    """Whether ``text`` gives a number of weeks, days or hours ("zes weken", "5 werkdagen")."""
    for m in _SHORT_SPAN_RE.finditer(text):
        count = m.group(1)
        if count.isdigit() or (count.lower() != "een" and parse_number_word(count) is not None):
            return True
    return False


def question_cues(vocabulary: Vocabulary) -> dict[str, list[str]]:
    """Every kind's Dutch labels (the question words that ask for it), from the scheme.

    Empty when the ontology has no such scheme (an older or custom ontology): search then
    ranks as it did without answer kinds.
    """
    if SCHEME not in vocabulary.schemes:
        return {}
    return {c.slug: list(c.labels) for c in vocabulary.concepts(SCHEME)}
