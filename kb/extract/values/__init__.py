"""Dutch values in prose: numbers, dates and durations, each with its span in the text.

One parser for the values policy texts write in words as often as in digits: "negen gemeenten",
"circa 4.000 jeugdigen", "€ 2,3 miljoen", "met ingang van 1 juli 2025", "het tweede kwartaal van
2025", "4+2 jaar", "ten minste drie en ten hoogste vijf jaar". The finders return values with
``start``/``end`` offsets into the text they were given, so a caller can quote them exactly.
"""

from __future__ import annotations

from kb.extract.values.dates import DutchDate, find_dates, parse_date
from kb.extract.values.durations import Duration, find_durations, iso_duration, parse_duration
from kb.extract.values.numbers import (
    Quantity,
    find_numbers,
    parse_number,
    parse_number_word,
    parse_ordinal,
    qualifier_before,
)

__all__ = [
    "DutchDate",
    "Duration",
    "Quantity",
    "find_dates",
    "find_durations",
    "find_numbers",
    "iso_duration",
    "parse_date",
    "parse_duration",
    "parse_number",
    "parse_number_word",
    "parse_ordinal",
    "qualifier_before",
]
