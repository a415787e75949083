"""Dutch dates in prose, each with its precision: day, month, quarter, half or year.

"1 juli 2025", "1-7-2022", "juli 2025", "medio 2025", "begin 2026", "het tweede kwartaal van
2025", "per 1 januari" (the year left to the context). Month names come from
:mod:`kb.rdf.vocabulary` (:func:`~kb.rdf.vocabulary.month_number`), the one place for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from kb.extract.values.numbers import parse_ordinal
from kb.rdf.vocabulary import MONTH_PATTERN, month_number

Precision = Literal["day", "month", "quarter", "half", "year"]


def _month(word: str) -> int:
    """The number of a month word the patterns matched (KeyError when it is none)."""
    number = month_number(word)
    if number is None:
        raise KeyError(word)
    return number


#: Parts of a period ("begin 2026", "medio juli 2025", "eind 2024").
PARTS = {
    "begin": "begin",
    "eind": "eind",
    "einde": "eind",
    "medio": "medio",
    "midden": "medio",
    "halverwege": "medio",
}


@dataclass(frozen=True)
class DutchDate:
    """A date as precise as the text says it: a day, a month, a quarter, a half or a year.

    ``year`` is None when the text leaves it to the context ("per 1 januari"). ``part`` keeps
    "begin", "medio" or "eind" of a month or year.
    """

    precision: Precision
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    half: int | None = None
    part: str | None = None

    @property
    def iso(self) -> str:
        """An XSD-style lexical form: ``2025-07-01``, ``2025-07``, ``2025``, ``--01-01``,
        ``2025-Q2``, ``2025-H1``."""
        y = f"{self.year:04d}" if self.year else "-"
        if self.precision == "day":
            return f"{y}-{self.month:02d}-{self.day:02d}"
        if self.precision == "month":
            return f"{y}-{self.month:02d}"
        if self.precision == "quarter":
            return f"{y}-Q{self.quarter}"
        if self.precision == "half":
            return f"{y}-H{self.half}"
        return y

    def as_date(self) -> date | None:
        """A :class:`datetime.date` when the day and year are known."""
        if self.precision == "day" and self.year:
            return date(self.year, self.month or 1, self.day or 1)
        return None

    def to_dict(self) -> dict[str, object]:
        return {
            "iso": self.iso,
            "precision": self.precision,
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "quarter": self.quarter,
            "half": self.half,
            "part": self.part,
            "text": self.text,
        }


@lru_cache(maxsize=1)
def _date_patterns() -> list[tuple[str, re.Pattern[str]]]:
    month = MONTH_PATTERN
    part = "|".join(PARTS)
    ordinal = r"(?:\d(?:e|de|ste)|[^\W\d_]+(?:ste|de))"
    return [
        ("numeric", re.compile(r"(?<![\d/-])(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?![\d/-])")),
        (
            "day",
            re.compile(
                rf"\b(\d{{1,2}})(?:e|ste)?\s+({month})\.?(?:\s+(\d{{4}}))?(?!\w)", re.IGNORECASE
            ),
        ),
        (
            "quarter",
            re.compile(
                rf"\b(?:het\s+)?({ordinal})\s+kwartaal(?:\s+(?:van\s+)?(\d{{4}}))?\b"
                rf"|\bQ([1-4])[\s-]*(\d{{4}})\b|\b(\d{{4}})[\s-]*Q([1-4])\b",
                re.IGNORECASE,
            ),
        ),
        (
            "half",
            re.compile(
                rf"\b(?:de\s+)?({ordinal})\s+(?:helft|jaarhelft)(?:\s+(?:van\s+)?(\d{{4}}))?\b"
                r"|\bH([12])[\s-]*(\d{4})\b",
                re.IGNORECASE,
            ),
        ),
        (
            "month",
            re.compile(rf"\b(?:({part})\s+)?({month})\.?\s+(\d{{4}})\b", re.IGNORECASE),
        ),
        (
            "year",
            re.compile(rf"\b(?:({part})\s+(?:van\s+)?)(\d{{4}})\b", re.IGNORECASE),
        ),
        (
            "bare_year",
            re.compile(
                r"\b(?:in|per|vanaf|sinds|tot en met|t/m|tot|uiterlijk|voor|vóór|na|jaar)\s+"
                r"((?:19|20)\d\d)\b(?![.,]\d|[-/]\d)",
                re.IGNORECASE,
            ),
        ),
    ]


def _make_date(kind: str, m: re.Match[str]) -> DutchDate | None:
    g = m.groups()
    s, e = m.start(), m.end()
    text = m.group(0)
    try:
        if kind == "numeric":
            d = date(int(g[2]), int(g[1]), int(g[0]))
            return DutchDate("day", s, e, text, d.year, d.month, d.day)
        if kind == "day":
            year = int(g[2]) if g[2] else None
            month = _month(g[1])
            date(year or 2000, month, int(g[0]))  # validates the day (2000 is a leap year)
            return DutchDate("day", s, e, text, year, month, int(g[0]))
        if kind == "quarter":
            if g[0]:
                q, y = parse_ordinal(g[0]), g[1]
            elif g[2]:
                q, y = int(g[2]), g[3]
            else:
                q, y = int(g[5]), g[4]
            if not q or not 1 <= q <= 4:
                return None
            return DutchDate("quarter", s, e, text, int(y) if y else None, quarter=q)
        if kind == "half":
            h = parse_ordinal(g[0]) if g[0] else int(g[2])
            y = g[1] if g[0] else g[3]
            if h not in (1, 2):
                return None
            return DutchDate("half", s, e, text, int(y) if y else None, half=h)
        if kind == "month":
            part = PARTS[g[0].lower()] if g[0] else None
            month = _month(g[1])
            return DutchDate("month", s, e, text, int(g[2]), month, part=part)
        if kind == "year":
            return DutchDate("year", s, e, text, int(g[1]), part=PARTS[g[0].lower()])
        if kind == "bare_year":
            return DutchDate("year", m.start(1), e, g[0], int(g[0]))
    except (ValueError, KeyError):
        return None
    return None


def find_dates(text: str) -> list[DutchDate]:
    """Every date in ``text``, the most precise reading first where readings overlap."""
    taken: list[tuple[int, int]] = []
    found: list[DutchDate] = []
    for kind, pattern in _date_patterns():
        for m in pattern.finditer(text):
            if any(m.start() < hi and lo < m.end() for lo, hi in taken):
                continue
            if (d := _make_date(kind, m)) is not None:
                found.append(d)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str) -> DutchDate | None:
    """The first date in ``text`` (None if there is none)."""
    dates = find_dates(text)
    return dates[0] if dates else None
