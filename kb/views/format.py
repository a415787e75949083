"""Dutch formatting of numbers, euro amounts, dates and percentages: one place, built on Babel.

Every page of the site, every Word document (through the re-export :mod:`generator.format`)
and every search answer card formats values through these functions (the site's templates get
them as Jinja filters), so an amount reads the same everywhere.

Conventions (locale ``nl_NL``, CLDR data through Babel):

- Numbers: dots group thousands, a comma marks decimals: ``1.234.567``, ``1.234,5``.
- Euro amounts: whole euros, ``€`` followed by a no-break space (the amount never wraps away
  from its sign in a narrow table column): ``€ 1.234.000``. A negative amount puts a real minus
  sign (U+2212) before the euro sign: ``−€ 1.312.000``. Halves round to even (Babel's
  default), as a spreadsheet showing whole euros does.
- Dates: ``1 juli 2025``; a month without a day: ``juli 2025``; a year alone: ``2025``.
- Percentages: ``12,5%`` (at most one decimal).

Missing values (None) format as an em dash, the placeholder the tables use.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "nl_NL"
#: What a table shows for a value the source does not give.
MISSING = "—"
#: No-break space between the euro sign and the amount.
NBSP = "\u00a0"
MINUS = "\u2212"
_EURO_PATTERN = f"¤{NBSP}#,##0;{MINUS}¤{NBSP}#,##0"

Number = Decimal | int | float


def number(value: Number | None, *, decimals: int | None = None) -> str:
    """``1.234.567`` or ``1.234,5``; ``decimals`` fixes the number of decimals shown."""
    if value is None:
        return MISSING
    if decimals is None:
        return format_decimal(value, locale=LOCALE)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE, decimal_quantization=True)


def euro(value: Number | None) -> str:
    """``€ 1.234.000`` (whole euros, no-break space); negative ``−€ 1.312.000``."""
    if value is None:
        return MISSING
    # Round first: an amount that rounds to zero must not keep its minus sign ("−€ 0").
    whole = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN) + Decimal(0)
    return format_currency(whole, "EUR", format=_EURO_PATTERN, locale=LOCALE, currency_digits=False)


def euro_millions(value: Number) -> str:
    """``€ 26,6 mln`` for chart labels (one decimal)."""
    millions = Decimal(str(value)) / Decimal(1_000_000)
    sign = MINUS if millions < 0 else ""
    return f"{sign}€{NBSP}{number(abs(millions), decimals=1)} mln"


def percent(value: Number | None) -> str:
    """``12,5%`` for the fraction 0.125 (at most one decimal)."""
    if value is None:
        return MISSING
    return format_percent(value, format="#,##0.#%", locale=LOCALE)


def date(value: dt.date | None) -> str:
    """``1 juli 2025``."""
    if value is None:
        return MISSING
    return format_date(value, format="d MMMM y", locale=LOCALE)


def month_year(year: int, month: int) -> str:
    """``juli 2025``."""
    return format_date(dt.date(year, month, 1), format="MMMM y", locale=LOCALE)


def partial_date(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """The most precise of ``1 juli 2025``, ``juli 2025`` or ``2025``; empty without a year.

    Milestones often give only a year or a month; a day without a month is ignored.
    """
    if year is None:
        return ""
    if month and day:
        return date(dt.date(year, month, day))
    if month:
        return month_year(year, month)
    return str(year)


def period(
    year: int | None,
    month: int | None = None,
    day: int | None = None,
    end: tuple[int | None, int | None, int | None] = (None, None, None),
) -> str:
    """:func:`partial_date`, or a period "1 juli – 31 december 2021" when an end (year, month,
    day) is given; the start's year is left out when the period ends in the same year."""
    start = partial_date(year, month, day)
    end_text = partial_date(*end)
    if not start or not end_text:
        return start
    if end[0] == year and month:
        start = start.removesuffix(f" {year}")
    return f"{start} – {end_text}"


#: Jinja filters for the site's templates (``{{ amount|euro }}``).
FILTERS = {
    "euro": euro,
    "number": number,
    "percent": percent,
    "date": date,
}
