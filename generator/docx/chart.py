"""The chart of the financial framework: total budget per subregion and year, as a PNG.

matplotlib is imported here only (with the Agg backend, no display needed), so the other
generators and ``kb --help`` do not pay for it. The PNG carries no timestamp, so the same
budget gives the same bytes.
"""

from __future__ import annotations

import io
from decimal import Decimal

from generator.format import euro
from kb.views.budget import Budget


def chart_alt_text(budget: Budget) -> str:
    """A text alternative that states every value the chart shows."""
    parts = []
    for sub in budget.subregions:
        values = ", ".join(f"{y}: {euro(budget.total(y, subregion=sub))}" for y in budget.years)
        parts.append(f"{sub} ({values})")
    return (
        "Staafdiagram van het totale budget jeugdhulp per subregio en jaar, berekend als som "
        "van de begrotingsposten. " + "; ".join(parts) + "."
    )


def budget_chart_png(budget: Budget) -> bytes:
    """Grouped bars: one group per year, one bar per subregion (in millions of euros)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    years = budget.years
    subregions = budget.subregions
    fig, ax = plt.subplots(figsize=(6.3, 3.2), dpi=150)
    try:
        width = 0.8 / max(len(subregions), 1)
        # Colours readable on white and distinguishable for common colour-vision deficiencies.
        colours = ("#154273", "#E17000", "#39870C", "#A90061", "#007BC7")
        for n, sub in enumerate(subregions):
            values = [float(budget.total(y, subregion=sub) / Decimal(1_000_000)) for y in years]
            xs = [i + (n - (len(subregions) - 1) / 2) * width for i in range(len(years))]
            bars = ax.bar(xs, values, width, label=sub, color=colours[n % len(colours)])
            ax.bar_label(bars, fmt="%.1f", fontsize=7, padding=2)
        ax.set_xticks(range(len(years)), [str(y) for y in years])
        ax.set_ylabel("mln €")
        ax.set_title("Budget jeugdhulp per subregio (som van de begrotingsposten)", fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(fontsize=8, frameon=False, loc="lower right")
        ax.margins(y=0.15)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)
