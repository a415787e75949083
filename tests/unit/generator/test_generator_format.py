"""Dutch formatting of numbers, euros, dates and percentages (generator/format.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator import format as fmt
from kb.views.format import period

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, f"€{NBSP}0"),
        (Decimal(1234000), f"€{NBSP}1.234.000"),
        (Decimal(-1312000), f"−€{NBSP}1.312.000"),
        (-1, f"−€{NBSP}1"),
        (Decimal("999.4"), f"€{NBSP}999"),
        (Decimal("2500000.75"), f"€{NBSP}2.500.001"),
        (1_000_000_000, f"€{NBSP}1.000.000.000"),
        (12.0, f"€{NBSP}12"),
    ],
)
def test_euro(value: Decimal | int | float, expected: str) -> None:
    assert fmt.euro(value) == expected


def test_euro_never_shows_a_negative_zero() -> None:
    assert fmt.euro(Decimal("-0.4")) == fmt.euro(0) == f"€{NBSP}0"


def test_euro_rounds_halves_to_even() -> None:
    assert [fmt.euro(Decimal(v)) for v in ("0.5", "1.5", "2.5")] == [
        f"€{NBSP}0",
        f"€{NBSP}2",
        f"€{NBSP}2",
    ]


def test_missing_values_are_a_dash() -> None:
    assert fmt.euro(None) == fmt.number(None) == fmt.percent(None) == fmt.date(None) == "—"


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, None, "0"),
        (1234567, None, "1.234.567"),
        (Decimal("-1234.5"), None, "-1.234,5"),
        (Decimal("1234.567"), 1, "1.234,6"),
        (Decimal("3"), 2, "3,00"),
        (Decimal("2.5"), 0, "2"),
    ],
)
def test_number(value: Decimal | int, decimals: int | None, expected: str) -> None:
    assert fmt.number(value, decimals=decimals) == expected


def test_euro_millions() -> None:
    assert fmt.euro_millions(Decimal(26_600_000)) == f"€{NBSP}26,6 mln"
    assert fmt.euro_millions(0) == f"€{NBSP}0,0 mln"
    assert fmt.euro_millions(-1_250_000) == f"−€{NBSP}1,2 mln"


@pytest.mark.parametrize(
    ("value", "expected"), [(0, "0%"), (0.125, "12,5%"), (1, "100%"), (-0.05, "-5%")]
)
def test_percent(value: float, expected: str) -> None:
    assert fmt.percent(value) == expected


def test_dates_in_dutch() -> None:
    assert fmt.date(dt.date(2025, 7, 1)) == "1 juli 2025"
    assert fmt.month_year(2025, 3) == "maart 2025"
    assert fmt.partial_date(2025, 12, 31) == "31 december 2025"
    assert fmt.partial_date(2025, 7) == "juli 2025"
    assert fmt.partial_date(2025) == "2025"
    # A day without a month says nothing more than the year; no year, no date.
    assert fmt.partial_date(2025, None, 5) == "2025"
    assert fmt.partial_date(None, 7, 1) == ""


def test_period() -> None:
    assert period(2021, 7, 1, (2021, 12, 31)) == "1 juli – 31 december 2021"
    assert period(2024, 11, None, (2025, 2, None)) == "november 2024 – februari 2025"
    # No end: the start as precise as it is; no start, nothing.
    assert period(2021, 7) == "juli 2021"
    assert period(None, None, None, (2021, 12, 31)) == ""


def test_filters_are_the_same_functions() -> None:
    assert fmt.FILTERS["euro"] is fmt.euro and fmt.FILTERS["number"] is fmt.number
