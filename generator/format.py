"""Dutch formatting of numbers, euro amounts, dates and percentages for the site and Word.

The functions live in :mod:`kb.views.format` (search answers format values too, and ``kb`` does
not import ``generator``); this module re-exports them so templates and documents keep one import.
"""

from __future__ import annotations

from kb.views.format import (
    FILTERS,
    LOCALE,
    MINUS,
    MISSING,
    NBSP,
    Number,
    date,
    euro,
    euro_millions,
    month_year,
    number,
    partial_date,
    percent,
)

__all__ = [
    "FILTERS",
    "LOCALE",
    "MINUS",
    "MISSING",
    "NBSP",
    "Number",
    "date",
    "euro",
    "euro_millions",
    "month_year",
    "number",
    "partial_date",
    "percent",
]
