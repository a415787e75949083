"""Charts for the site: timelines and bar charts, both small hand-written SVGs.

SVG written at build time rather than a matplotlib PNG or a Mermaid chart drawn in the browser:
no extra dependency and no script (nothing for the CSP to allow), byte-for-byte the same on every
build, sharp when zoomed or printed, and its text is real text at a size we choose. The bar chart
is an ``<img>`` with alt text that states every value; the timeline is inline SVG whose text
stays 13 px on every screen (a wide and a narrow layout; the stylesheet shows one), with a table
of the same milestones beside it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from generator.format import euro, euro_millions
from generator.site.links import shorten


@dataclass
class GanttTask:
    """One milestone on a timeline: a year, a month or a day, with the passage it comes from."""

    section: str
    title: str
    year: int
    month: int | None = None
    day: int | None = None
    passage: str | None = None
    # Where the source writes a period ("1 juli - 31 december 2021"): the month and day it ends.
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None

    @property
    def start(self) -> dt.date:
        """First day of the period the milestone names."""
        return dt.date(self.year, self.month or 1, (self.day or 1) if self.month else 1)

    @property
    def end(self) -> dt.date:
        """First day after the period: a stated end, else a year spans its year, a month its
        month and a day its day."""
        if self.end_year and self.end_month:
            if self.end_day:
                return dt.date(self.end_year, self.end_month, self.end_day) + dt.timedelta(days=1)
            return dt.date(self.end_year + self.end_month // 12, self.end_month % 12 + 1, 1)
        if self.day and self.month:
            return self.start + dt.timedelta(days=1)
        if self.month:
            return dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return dt.date(self.year + 1, 1, 1)

    @property
    def last(self) -> dt.date:
        """Last day of the period."""
        return self.end - dt.timedelta(days=1)

    @property
    def is_period(self) -> bool:
        """Whether the milestone spans a period (a bar), not one day (a marker)."""
        return self.end > self.start + dt.timedelta(days=1)


@dataclass(frozen=True)
class TimelineLayout:
    """Pixel sizes of a timeline. Its text never scales (the SVG keeps its pixel width; a
    screen narrower still scrolls it sideways), so 13 px stays 13 px on every screen.

    ``wide`` puts the label left of the bar; the narrow layout puts it above the bar, so a
    phone sees label and bar together without scrolling.
    """

    name: str
    width: int
    label_width: int  # 0: the label sits above the bar
    label_chars: int  # characters of a label line (13 px sans-serif: about 6.6 px each)
    row: int


TIMELINE_FONT = 13
TIMELINE_MARGIN = 8
TIMELINE_AXIS = 30
#: Fits the text column of the site at 1280 px (about 690 px).
WIDE = TimelineLayout("breed", 680, 280, 40, 40)
#: Fits a 360 px phone (the text column of a 390 px screen is about 358 px).
NARROW = TimelineLayout("smal", 340, 0, 48, 58)
LAYOUTS = (WIDE, NARROW)
#: More rows than this make one chart hard to read: the pages then draw one chart per group.
TIMELINE_CROWDED = 12


def timeline_groups(tasks: Sequence[GanttTask]) -> list[tuple[str, list[GanttTask]]]:
    """The charts to draw for ``tasks``: one (title "", all tasks) when they fit in one chart,
    else one per section (segment), titled by it, in order of first appearance."""
    if len(tasks) <= TIMELINE_CROWDED or len({t.section for t in tasks}) == 1:
        return [("", list(tasks))]
    groups: dict[str, list[GanttTask]] = {}
    for task in tasks:
        groups.setdefault(task.section, []).append(task)
    return list(groups.items())


def _label_lines(text: str, chars: int) -> list[str]:
    """A label in at most two lines (the full text is the row's title and in the table)."""
    lines = textwrap.wrap(" ".join(text.split()), chars) or ["—"]
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), chars)]
    return lines


def timeline_svg(
    tasks: Sequence[GanttTask], title: str, chart_id: str, layout: TimelineLayout = WIDE
) -> str:
    """An inline SVG timeline: a row per milestone with its label (left of the bar, or above
    it in the narrow layout), a month or a year drawn as a bar from its start to its end, a
    day as a diamond; the years along the top, each named once. Rows sit under their
    section's name when there is more than one section.

    ``chart_id`` makes the ids of the title and description unique on the page.
    """
    tasks = sorted(tasks, key=lambda t: (t.start, t.end))
    sections = list(dict.fromkeys(t.section for t in tasks))
    grouped = len(sections) > 1
    first = min((t.start.year for t in tasks), default=dt.date.today().year)
    last = max((t.last.year for t in tasks), default=first)
    years = list(range(first, last + 1))
    lo = dt.date(first, 1, 1)
    span = (dt.date(last + 1, 1, 1) - lo).days
    width = layout.width
    x0 = TIMELINE_MARGIN + layout.label_width
    plot = width - x0 - TIMELINE_MARGIN
    indent = TIMELINE_MARGIN + (10 if grouped else 0)

    def x(day: dt.date) -> float:
        return x0 + (day - lo).days / span * plot

    groups = (
        [(section, [t for t in tasks if t.section == section]) for section in sections]
        if grouped
        else [("", list(tasks))]
    )
    rows = sum(len(members) + (1 if grouped else 0) for _, members in groups)
    height = TIMELINE_AXIS + rows * layout.row + TIMELINE_MARGIN
    title_id, desc_id = f"{chart_id}-{layout.name}-titel", f"{chart_id}-{layout.name}-uitleg"
    description = (
        f"Tijdlijn met {len(tasks)} mijlpalen van {years[0]} tot en met {years[-1]}; "
        "dezelfde mijlpalen staan in de tabel bij de tijdlijn."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-timeline-svg kb-timeline-'
        f'{layout.name}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" '
        f'font-size="{TIMELINE_FONT}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
    ]
    # Year bands: alternate shading, and each year's name once, centred over its band.
    for n, year in enumerate(years):
        left, right = x(dt.date(year, 1, 1)), x(dt.date(year + 1, 1, 1))
        if n % 2 == 0:
            parts.append(
                f'<rect x="{left:.1f}" y="{TIMELINE_AXIS - 24}" width="{right - left:.1f}" '
                f'height="{height - TIMELINE_AXIS - TIMELINE_MARGIN + 24}" fill="#eef0f8"/>'
            )
        parts.append(
            f'<text x="{(left + right) / 2:.1f}" y="{TIMELINE_AXIS - 10}" '
            f'text-anchor="middle" font-weight="bold">{year}</text>'
        )
    y = float(TIMELINE_AXIS)
    for section, members in groups:
        if grouped:
            parts.append(
                f'<text x="{TIMELINE_MARGIN}" y="{y + layout.row / 2 + 5:.1f}" '
                f'font-weight="bold">{escape(shorten(section, layout.label_chars + 6))}</text>'
            )
            y += layout.row
        for task in members:
            lines = _label_lines(task.title, layout.label_chars)
            if layout.label_width:  # label left of the bar, centred on it
                mid = y + layout.row / 2
                top = mid + 5 - (len(lines) - 1) * 8
            else:  # label above the bar
                top = y + 14
                mid = y + layout.row - 12
            tspans = "".join(
                f'<tspan x="{indent}" y="{top + i * 16:.1f}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
            parts.append(f"<g><title>{escape(task.title)}</title><text>{tspans}</text>")
            if task.is_period:
                left, right = x(task.start), x(task.end)
                parts.append(
                    f'<rect class="kb-period" x="{left:.1f}" y="{mid - 7:.1f}" '
                    f'width="{max(right - left, 3):.1f}" height="14" rx="3" fill="#3f51b5"/>'
                )
            else:
                cx = x(task.start)
                parts.append(
                    f'<path class="kb-day" d="M {cx:.1f} {mid - 8:.1f} l 8 8 l -8 8 l -8 -8 z" '
                    'fill="#c2185b"/>'
                )
            parts.append(
                f'<line x1="{TIMELINE_MARGIN}" y1="{y + layout.row:.1f}" '
                f'x2="{width - TIMELINE_MARGIN}" y2="{y + layout.row:.1f}" stroke="#d5d8e8"/></g>'
            )
            y += layout.row
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart_svg(title: str, bars: Sequence[tuple[str, Decimal]]) -> str:
    """An SVG bar chart of ``(label, value)`` pairs with value labels above the bars."""
    width, height, left, bottom, top = 560, 300, 20, 40, 40
    plot_h = height - top - bottom
    top_value = max((v for _, v in bars), default=Decimal(1)) or Decimal(1)
    slot = (width - 2 * left) / max(len(bars), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="{width / 2:.0f}" y="22" text-anchor="middle" font-size="15" '
        f'font-weight="bold">{escape(title)}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        'stroke="#555"/>',
    ]
    for i, (label, value) in enumerate(bars):
        bar_h = float(max(value, Decimal(0)) / top_value) * plot_h
        x = left + i * slot + slot * 0.2
        y = height - bottom - bar_h
        centre = left + i * slot + slot / 2
        parts += [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.6:.1f}" height="{bar_h:.1f}" '
            'fill="#3f51b5"/>',
            f'<text x="{centre:.1f}" y="{y - 6:.1f}" text-anchor="middle">'
            f"{escape(euro_millions(value))}</text>",
            f'<text x="{centre:.1f}" y="{height - bottom + 20}" text-anchor="middle">'
            f"{escape(label)}</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def chart_alt(title: str, bars: Sequence[tuple[str, Decimal]]) -> str:
    """Alt text that carries the chart's whole content."""
    values = "; ".join(f"{label}: {euro(value)}" for label, value in bars)
    return f"Staafdiagram: {title}. {values}."
