"""Charts for the site: Mermaid gantt timelines and SVG bar charts, both written as text.

The bar chart is a small hand-written SVG rather than a matplotlib PNG: it needs no extra
dependency, is byte-for-byte the same on every build, stays sharp when zoomed and is tiny.
The page shows it as an ``<img>`` with alt text that states every value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from generator.format import euro, euro_millions
from generator.site.links import shorten


@dataclass
class GanttTask:
    """One milestone on a timeline."""

    section: str
    title: str
    year: int
    month: int | None = None
    day: int | None = None


_GANTT_UNSAFE = re.compile(r"[:;#`\"<>{}\[\]]")


def _gantt_text(text: str, limit: int) -> str:
    return " ".join(_GANTT_UNSAFE.sub(" ", shorten(text, limit)).split()) or "—"


def gantt(tasks: Sequence[GanttTask], title: str, description: str) -> str:
    """Mermaid gantt source: a year-only milestone spans its year, a month its month, a date
    is a milestone diamond."""
    lines = [
        "gantt",
        f"    title {_gantt_text(title, 80)}",
        f"    accTitle: {_gantt_text(title, 80)}",
        f"    accDescr: {_gantt_text(description, 300)}",
        "    dateFormat YYYY-MM-DD",
        "    axisFormat %m-%Y",
    ]
    current = None
    for n, task in enumerate(tasks, 1):
        if task.section != current:
            current = task.section
            lines.append(f"    section {_gantt_text(task.section, 40)}")
        name = _gantt_text(task.title, 60)
        if task.day:
            spec = f"milestone, t{n}, {task.year:04d}-{task.month or 1:02d}-{task.day:02d}, 0d"
        elif task.month:
            spec = f"t{n}, {task.year:04d}-{task.month:02d}-01, 30d"
        else:
            spec = f"t{n}, {task.year:04d}-01-01, 365d"
        lines.append(f"    {name} :{spec}")
    return "\n".join(lines)


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
