"""Dutch durations in prose: an initial period, extension options and a minimum and maximum total.

"zes jaar", "4+2 jaar", "3+2+2 jaar", "een periode van vier jaar met de mogelijkheid tot twee
keer twee jaar verlenging", "minimaal 5 maximaal 7 jaar", "ten minste drie en ten hoogste vijf
jaar", "18 maanden". Everything is counted in whole months, so a duration maps onto an
``xsd:duration`` ("P6Y", "P1Y6M") without rounding.

Not a duration: a point in the past ("2 jaar geleden") or an age ("jongeren tot 18 jaar", "12 jaar
oud"); a year ("in 2025") has no unit and never matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kb.extract.values.numbers import Bound, parse_digits, parse_number_word, qualifier_before

_NUM = r"(?:\d+(?:,\d+)?|[^\W\d_]+)"
_UNIT = r"(?:jaren|jaar|jr\.?|maanden|maand)(?!\w)"
_AT_LEAST = r"(?:minimaal|ten\s+minste|tenminste|minstens)"
_AT_MOST = r"(?:maximaal|max\.?|ten\s+hoogste|hoogstens)"

RANGE_RE = re.compile(
    rf"{_AT_LEAST}\s+(?P<a>{_NUM})(?:\s+(?P<ua>{_UNIT}))?\s*(?:,\s*)?(?:en\s+|tot\s+)?"
    rf"{_AT_MOST}\s+(?P<b>{_NUM})\s+(?P<ub>{_UNIT})"
    rf"|\btussen\s+(?P<c>{_NUM})\s+en\s+(?P<d>{_NUM})\s+(?P<uc>{_UNIT})"
    rf"|(?<![\w-])(?P<e>\d+)\s*[-–]\s*(?P<f>\d+)\s*(?P<ue>{_UNIT})",
    re.IGNORECASE,
)
PLUS_RE = re.compile(
    rf"(?<![\d+,])(?P<parts>\d+(?:,\d+)?(?:\s*\+\s*\d+(?:,\d+)?)+)\s*(?P<u>{_UNIT})",
    re.IGNORECASE,
)
SIMPLE_RE = re.compile(rf"(?<![\w+])(?P<a>{_NUM})\s+(?P<u>{_UNIT})", re.IGNORECASE)
#: An extension option after the initial period ("twee keer twee jaar", "2 x 1 jaar").
EXTENSION_RE = re.compile(
    rf"(?<!\w)(?:(?:(?P<n>\d+)\s*|(?P<nw>[^\W\d_]+)\s+)(?:keer|maal|x|×)(?!\w)\s*"
    rf"|(?P<nm>[^\W\d_]+)maal\s+)?(?:met\s+)?"
    rf"(?:telkens\s+|steeds\s+|maximaal\s+|ten\s+hoogste\s+|nog\s+)?(?:een\s+periode\s+van\s+)?"
    rf"(?P<a>{_NUM})\s+(?P<u>{_UNIT})",
    re.IGNORECASE,
)
#: The words that announce an extension option.
EXTENSION_CUE = re.compile(r"\bverleng\w*|\bopties?\b", re.IGNORECASE)
#: After the unit: a point in the past, an age or a notice period ("zes maanden vooraf").
NOT_A_DURATION_AFTER = re.compile(
    r"\s*(?:geleden|oud\b|ouder|jonger|en\s+ouder|en\s+jonger|-jarig|vooraf|voorafgaand"
    r"|van\s+tevoren|voor\s+(?:het\s+)?(?:einde|afloop))",
    re.IGNORECASE,
)
#: A period that is itself the extension ("een jaar verlenging", "met twee jaar te verlengen").
EXTENSION_AFTER = re.compile(r"\s+(?:te\s+)?verleng\w*", re.IGNORECASE)
EXTENSION_BEFORE = re.compile(r"verleng\w*\s+(?:met\s+|van\s+)?(?:nog\s+)?$", re.IGNORECASE)
AGE_BEFORE = re.compile(
    r"(?:\btot|t/m|\bvanaf|\bjonger\s+dan|\bouder\s+dan|\bleeftijd\s+van|\bboven\s+de"
    r"|\bonder\s+de|\bvan\s+\d+\s+tot|\btussen\s+de\s+\d+\s+en)\s+$",
    re.IGNORECASE,
)
#: A clause ends at a full stop, semicolon or colon followed by a space (not "1.000").
CLAUSE_END = re.compile(r"[.;:!?](?:\s|$)")


def _value(word: str) -> Decimal | None:
    if word[0].isdigit():
        return parse_digits(word)
    return parse_number_word(word)


def _months(word: str, unit: str) -> int | None:
    """A number and a unit as whole months (None if not a number or not whole)."""
    value = _value(word)
    if value is None or value <= 0:
        return None
    months = value * (1 if unit.lower().startswith("maand") else 12)
    if months != months.to_integral_value() or months > 100 * 12:
        return None
    return int(months)


def _years(months: int | None) -> Decimal | None:
    return None if months is None else Decimal(months) / 12


def iso_duration(months: int) -> str:
    """``18`` → ``"P1Y6M"`` (an ``xsd:duration``)."""
    years, rest = divmod(months, 12)
    return "P" + (f"{years}Y" if years else "") + (f"{rest}M" if rest or not years else "")


@dataclass(frozen=True)
class Duration:
    """A contract-like duration: initial period, extension options, minimum and maximum total.

    Counts are whole months; the ``*_years`` properties give years as Decimals.
    """

    start: int
    end: int
    text: str
    initial_months: int | None = None
    extension_months: tuple[int, ...] = field(default=())
    minimum_months: int | None = None
    maximum_months: int | None = None
    qualifier: str | None = None
    bound: Bound | None = None

    @property
    def initial_years(self) -> Decimal | None:
        return _years(self.initial_months)

    @property
    def extension_years(self) -> tuple[Decimal, ...]:
        return tuple(Decimal(m) / 12 for m in self.extension_months)

    @property
    def minimum_years(self) -> Decimal | None:
        return _years(self.minimum_months)

    @property
    def maximum_years(self) -> Decimal | None:
        return _years(self.maximum_months)

    def to_dict(self) -> dict[str, object]:
        def iso(m: int | None) -> str | None:
            return None if m is None else iso_duration(m)

        return {
            "initial": iso(self.initial_months),
            "extensions": [iso_duration(m) for m in self.extension_months],
            "minimum": iso(self.minimum_months),
            "maximum": iso(self.maximum_months),
            "qualifier": self.qualifier,
            "bound": self.bound,
            "text": self.text,
        }


def _period(
    text: str,
    start: int,
    end: int,
    initial: int | None,
    extensions: tuple[int, ...] = (),
    *,
    qualifier: str | None = None,
    bound: Bound | None = None,
) -> Duration:
    """A duration whose minimum and maximum follow from the initial period and its options."""
    minimum = maximum = initial
    if initial is not None:
        maximum = initial + sum(extensions)
    if bound == "at_least":
        initial, maximum = None, None
    elif bound == "at_most":
        initial, minimum = None, None
    return Duration(
        start, end, text[start:end], initial, extensions, minimum, maximum, qualifier, bound
    )


def _extension(text: str, base_end: int) -> tuple[tuple[int, ...], int] | None:
    """Extension options in the clause after an initial period: (months each, end offset)."""
    clause = CLAUSE_END.search(text, base_end)
    limit = min(clause.start() if clause else len(text), base_end + 200)
    cue = EXTENSION_CUE.search(text, base_end, limit)
    if not cue:
        return None
    window_end = min(limit, cue.end() + 60)
    pos = base_end
    # Search, not finditer: a reading that does not parse must not hide one that starts inside it.
    while m := EXTENSION_RE.search(text, pos, window_end):
        pos = m.start() + 1
        each = _months(m.group("a"), m.group("u"))
        count_word = m.group("n") or m.group("nw") or m.group("nm")
        count = _value(count_word) if count_word else Decimal(1)
        if each is None or count is None or count != int(count) or not 0 < count <= 10:
            continue
        return (each,) * int(count), max(m.end(), cue.end())
    return None


def find_durations(text: str) -> list[Duration]:
    """Every duration in ``text``, in text order; overlapping readings keep the richest."""
    taken: list[tuple[int, int]] = []
    found: list[Duration] = []

    def free(lo: int, hi: int) -> bool:
        return not any(lo < t_hi and t_lo < hi for t_lo, t_hi in taken)

    def keep(d: Duration) -> None:
        found.append(d)
        taken.append((d.start, d.end))

    for m in RANGE_RE.finditer(text):
        if m.group("a"):
            lo = _months(m.group("a"), m.group("ua") or m.group("ub"))
            hi = _months(m.group("b"), m.group("ub"))
        elif m.group("e"):
            lo = _months(m.group("e"), m.group("ue"))
            hi = _months(m.group("f"), m.group("ue"))
        else:
            lo = _months(m.group("c"), m.group("uc"))
            hi = _months(m.group("d"), m.group("uc"))
        if lo is None or hi is None or lo > hi or AGE_BEFORE.search(text, 0, m.start()):
            continue
        keep(Duration(m.start(), m.end(), m.group(0), None, (), lo, hi))
    for m in PLUS_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        parts = [_months(p.strip(), m.group("u")) for p in m.group("parts").split("+")]
        if any(p is None for p in parts):
            continue
        periods = [p for p in parts if p is not None]
        keep(_period(text, m.start(), m.end(), periods[0], tuple(periods[1:])))
    for m in SIMPLE_RE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        months = _months(m.group("a"), m.group("u"))
        if months is None or NOT_A_DURATION_AFTER.match(text, m.end()):
            continue
        if AGE_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue
        start, qualifier, bound = qualifier_before(text, m.start())
        if EXTENSION_AFTER.match(text, m.end()) or EXTENSION_BEFORE.search(
            text, max(0, start - 30), start
        ):
            ext_end = m.end()
            if after := EXTENSION_AFTER.match(text, m.end()):
                ext_end = after.end()
            keep(
                Duration(
                    start,
                    ext_end,
                    text[start:ext_end],
                    None,
                    (months,),
                    None,
                    None,
                    qualifier,
                    bound,
                )
            )
            continue
        extensions: tuple[int, ...] = ()
        end = m.end()
        if bound is None and (ext := _extension(text, m.end())) and free(m.end(), ext[1]):
            extensions, end = ext
        keep(_period(text, start, end, months, extensions, qualifier=qualifier, bound=bound))
    return sorted(found, key=lambda d: d.start)


def parse_duration(text: str) -> Duration | None:
    """The first duration in ``text`` (None if there is none)."""
    durations = find_durations(text)
    return durations[0] if durations else None
