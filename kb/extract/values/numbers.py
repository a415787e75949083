"""Dutch numbers in prose: digits with Dutch separators, number words, money, percentages.

Number words go through ``text2num`` (a small, maintained Rust parser with Dutch support); this
module adds only what it lacks: halves ("half", "anderhalf", "tweeënhalf") and ordinals
("tweede", "3e"). Approximations ("circa", "ruim", "bijna", "ten minste") are kept as a qualifier
(the words as written) plus a normalised ``bound``. The word lists here are Dutch grammar
(qualifiers, scale words, reference words), not domain vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from text_to_num import text2num

Bound = Literal["approximately", "more_than", "less_than", "at_least", "at_most"]

#: Qualifiers before a number, longest first so "ten minste" wins over a bare word.
QUALIFIERS: dict[str, Bound] = {
    "naar schatting": "approximately",
    "ten minste": "at_least",
    "ten hoogste": "at_most",
    "niet meer dan": "at_most",
    "minder dan": "less_than",
    "meer dan": "more_than",
    "rond de": "approximately",
    "tenminste": "at_least",
    "minimaal": "at_least",
    "minstens": "at_least",
    "maximaal": "at_most",
    "max.": "at_most",
    "hoogstens": "at_most",
    "hooguit": "at_most",
    "ongeveer": "approximately",
    "omstreeks": "approximately",
    "pakweg": "approximately",
    "circa": "approximately",
    "ca.": "approximately",
    "ca": "approximately",
    "zo'n": "approximately",
    "zo’n": "approximately",
    "ruim": "more_than",
    "bijna": "less_than",
    "rond": "approximately",
}
_QUALIFIER = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
QUALIFIER_RE = re.compile(rf"(?<![\w'’])(?P<q>{_QUALIFIER})\s+$", re.IGNORECASE)

#: Scale words after a number ("2,3 miljoen", "2,3 mln").
SCALES = {"duizend": 1000, "miljoen": 10**6, "mln": 10**6, "miljard": 10**9, "mld": 10**9}
#: Words before a digit that make it a reference, not a quantity ("pagina 7", "artikel 2").
REFERENCE_WORDS = re.compile(
    r"\b(?:pagina|pag|blz|p|artikel|art|lid|hoofdstuk|paragraaf|par|bijlage|nr|nummer|no|versie|"
    r"tel|telefoon|telefoonnummer|fax|kenmerk|zaaknummer|postbus)\.?:?\s*$",
    re.IGNORECASE,
)

_WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"
#: A number written in digits with Dutch separators: "4.000", "1,5", "1.250.000,50".
_DIGITS = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_SCALE = "|".join(sorted(SCALES, key=len, reverse=True))
NUMBER_RE = re.compile(
    rf"(?P<cur>€\s*)?(?:(?P<digits>{_DIGITS})|(?P<word>{_WORD}))"
    rf"(?:\s+(?P<scale>{_SCALE})\b\.?)?(?P<euro>\s+euro\b)?(?P<pct>\s*(?:%|procent\b))?",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def parse_number_word(word: str) -> Decimal | None:
    """The value of one Dutch number word ("negen", "vijfentwintig", "tweeënhalf"), else None."""
    w = word.lower().replace("’", "'").strip()
    if not w or not w.isalpha():
        return None
    if w == "half":
        return Decimal("0.5")
    if w == "anderhalf":
        return Decimal("1.5")
    for suffix in ("ënhalf", "enhalf"):
        if w.endswith(suffix) and len(w) > len(suffix):
            base = parse_number_word(w[: -len(suffix)])
            return None if base is None else base + Decimal("0.5")
    if w == "één":
        w = "een"
    try:
        return Decimal(text2num(w, "nl"))
    except ValueError:
        return None


def parse_ordinal(word: str) -> int | None:
    """The value of a Dutch ordinal ("eerste", "tweede", "3e", "4de"), else None."""
    w = word.lower().strip()
    if m := re.fullmatch(r"(\d+)(?:e|de|ste)", w):
        return int(m.group(1))
    irregular = {"eerste": 1, "derde": 3}
    if w in irregular:
        return irregular[w]
    for suffix in ("ste", "de"):
        if w.endswith(suffix):
            value = parse_number_word(w[: -len(suffix)])
            if value is not None and value == int(value) and value > 0:
                return int(value)
    return None


def parse_digits(text: str) -> Decimal:
    """Digits with Dutch separators ("4.000", "1,5") as a Decimal."""
    return Decimal(text.replace(".", "").replace(",", "."))


@dataclass(frozen=True)
class Quantity:
    """A number found in text, with its approximation qualifier and unit."""

    value: Decimal
    start: int
    end: int
    text: str
    qualifier: str | None = None
    bound: Bound | None = None
    unit: str | None = None  # "EUR" or "%"
    written_in_words: bool = False

    @property
    def is_year_like(self) -> bool:
        """Four plain digits between 1900 and 2100: more likely a year than a count."""
        return (
            not self.written_in_words
            and self.unit is None
            and re.fullmatch(r"(?:19|20)\d\d", self.text.split()[-1]) is not None
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "value": _plain(self.value),
            "qualifier": self.qualifier,
            "bound": self.bound,
            "unit": self.unit,
            "text": self.text,
        }


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def qualifier_before(text: str, start: int) -> tuple[int, str | None, Bound | None]:
    """A qualifier that ends right before ``start``: (its start, its words, their bound)."""
    m = QUALIFIER_RE.search(text, max(0, start - 20), start)
    if not m:
        return start, None, None
    words = " ".join(m.group("q").lower().split())
    return m.start("q"), words, QUALIFIERS.get(words.replace("’", "'"))


def find_numbers(text: str, *, articles: bool = False) -> list[Quantity]:
    """Every quantity in ``text``: digits, number words, money and percentages.

    Digits that are part of a reference ("pagina 7", "artikel 2.8"), a phone number or a longer
    digit group ("071 516 5000", "1-7-2022") are skipped. "een" is an article far more often than
    a number, so it counts only with ``articles=True`` ("één" always counts).
    """
    found: list[Quantity] = []
    for m in NUMBER_RE.finditer(text):
        start, end = m.start(), m.end()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".,/-+:"):
            continue
        digits, word = m.group("digits"), m.group("word")
        value: Decimal | None
        if digits:
            after = text[m.end("digits") : m.end("digits") + 2]
            if re.match(r"[.,]\d|[-/:]\d|\w", after) and not m.group("scale"):
                continue  # "2.8", "1-7", "12:30", "3e"
            if re.search(r"\d[\s-]$", text[max(0, start - 2) : start]):
                continue  # part of a phone number or a longer digit group
            if re.match(r"[\s-]\d", text[end : end + 2]):
                continue
            if len(digits) > 1 and digits.startswith("0") and not digits.startswith("0,"):
                continue  # "071", "06": phone numbers and codes
            if REFERENCE_WORDS.search(text, max(0, start - 25), start):
                continue
            value = parse_digits(digits)
        else:
            value = parse_number_word(word)
            if value is None or (word.lower() == "een" and not articles):
                continue
            end = m.end("word") if not (m.group("scale") or m.group("euro")) else end
        if m.group("scale"):
            value *= SCALES[m.group("scale").lower()]
        unit = "EUR" if (m.group("cur") or m.group("euro")) else None
        if m.group("pct"):
            unit = "%"
        q_start, qualifier, bound = qualifier_before(text, start)
        found.append(
            Quantity(value, q_start, end, text[q_start:end], qualifier, bound, unit, bool(word))
        )
    return found


def parse_number(text: str) -> Quantity | None:
    """The first quantity in ``text``, "een" included (None if there is none)."""
    numbers = find_numbers(text, articles=True)
    return numbers[0] if numbers else None
