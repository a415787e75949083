"""Charts for the site: timelines and bar charts, both small hand-written SVGs.

SVG written at build time rather than a matplotlib PNG or a Mermaid chart drawn in the browser:
no extra dependency and no script (nothing for the CSP to allow), byte-for-byte the same on every
build, sharp when zoomed or printed, and its text is real text at a size we choose. The bar chart
is an ``<img>`` with alt text that states every value; the timeline is inline SVG (its text stays
13 px on every screen; a narrow screen scrolls it sideways) with a table of the same milestones
beside it.
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

    @property
    def start(self) -> dt.date:
        """First day of the period the milestone names."""
        return dt.date(self.year, self.month or 1, (self.day or 1) if self.month else 1)

    @property
    def end(self) -> dt.date:
        """First day after the period: a year spans its year, a month its month, a day its day."""
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
        """Whether the milestone spans a month or a year (a bar), not one day (a marker)."""
        return not (self.day and self.month)


#: Pixel sizes of a timeline. Its text never scales (the SVG keeps its width and scrolls
#: sideways in its container on a narrow screen), so 13 px stays 13 px on every screen.
TIMELINE_FONT = 13
TIMELINE_LABEL_WIDTH = 300
TIMELINE_PLOT_WIDTH = 420
TIMELINE_MARGIN = 12
TIMELINE_ROW = 40
TIMELINE_AXIS = 30
#: Characters of a label line in the label column (13 px sans-serif: about 6.6 px a character).
TIMELINE_LABEL_CHARS = 42
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


def _label_lines(text: str) -> list[str]:
    """A label in at most two lines of the label column (the full text is the row's title)."""
    lines = textwrap.wrap(" ".join(text.split()), TIMELINE_LABEL_CHARS) or ["—"]
    if len(lines) > 2:
        lines = [lines[0], shorten(" ".join(lines[1:]), TIMELINE_LABEL_CHARS)]
    return lines


def timeline_svg(tasks: Sequence[GanttTask], title: str, chart_id: str) -> str:
    """An inline SVG timeline: a row per milestone (label left, bar right), a month or a year
    drawn as a bar from its start to its end, a day as a diamond; the years along the top,
    each named once. Rows sit under their section's name when there is more than one.

    ``chart_id`` makes the ids of the title and description unique on the page.
    """
    tasks = sorted(tasks, key=lambda t: (t.start, t.end))
    sections = list(dict.fromkeys(t.section for t in tasks))
    grouped = len(sections) > 1
    first = min((t.start.year for t in tasks), default=dt.date.today().year)
    last = max(((t.end - dt.timedelta(days=1)).year for t in tasks), default=first)
    years = list(range(first, last + 1))
    lo = dt.date(first, 1, 1)
    span = (dt.date(last + 1, 1, 1) - lo).days
    x0 = TIMELINE_MARGIN + TIMELINE_LABEL_WIDTH
    width = x0 + TIMELINE_PLOT_WIDTH + TIMELINE_MARGIN

    def x(day: dt.date) -> float:
        return x0 + (day - lo).days / span * TIMELINE_PLOT_WIDTH

    groups = (
        [(section, [t for t in tasks if t.section == section]) for section in sections]
        if grouped
        else [("", tasks)]
    )
    rows = sum(len(members) + (1 if grouped else 0) for _, members in groups)
    height = TIMELINE_AXIS + rows * TIMELINE_ROW + TIMELINE_MARGIN
    title_id, desc_id = f"{chart_id}-titel", f"{chart_id}-uitleg"
    description = (
        f"Tijdlijn met {len(tasks)} mijlpalen van {years[0]} tot en met {years[-1]}; "
        "dezelfde mijlpalen staan in de tabel bij de tijdlijn."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-timeline-svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" font-family="sans-serif" '
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
    y = TIMELINE_AXIS
    indent = TIMELINE_MARGIN + (12 if grouped else 0)
    for section, members in groups:
        if grouped:
            parts.append(
                f'<text x="{TIMELINE_MARGIN}" y="{y + TIMELINE_ROW / 2 + 5:.1f}" '
                f'font-weight="bold">{escape(shorten(section, 50))}</text>'
            )
            y += TIMELINE_ROW
        for task in members:
            lines = _label_lines(task.title)
            top = y + TIMELINE_ROW / 2 + 5 - (len(lines) - 1) * 8
            tspans = "".join(
                f'<tspan x="{indent}" y="{top + i * 16:.1f}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
            mid = y + TIMELINE_ROW / 2
            parts.append(f"<g><title>{escape(task.title)}</title><text>{tspans}</text>")
            if task.is_period:
                left, right = x(task.start), x(task.end)
                parts.append(
                    f'<rect class="kb-period" x="{left:.1f}" y="{mid - 8:.1f}" '
                    f'width="{max(right - left, 3):.1f}" height="16" rx="3" fill="#3f51b5"/>'
                )
            else:
                cx = x(task.start)
                parts.append(
                    f'<path class="kb-day" d="M {cx:.1f} {mid - 9:.1f} l 9 9 l -9 9 l -9 -9 z" '
                    'fill="#c2185b"/>'
                )
            parts.append(
                f'<line x1="{TIMELINE_MARGIN}" y1="{y + TIMELINE_ROW:.1f}" '
                f'x2="{width - TIMELINE_MARGIN}" y2="{y + TIMELINE_ROW:.1f}" stroke="#d5d8e8"/></g>'
            )
            y += TIMELINE_ROW
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
