"""The chart of the financial framework: total budget per subregion and year, as a PNG.

matplotlib is imported here only (with the Agg backend, no display needed), so the other
generators and ``kb --help`` do not pay for it. The PNG carries no timestamp, so the same
budget gives the same bytes.
"""

from __future__ import annotations

import io
from decimal import Decimal

from generator.format import euro, number
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


def _dutch(value: float) -> str:
    """One decimal with a decimal comma: ``44,0``."""
    return number(Decimal(str(round(value, 1))), decimals=1)


def budget_chart_png(budget: Budget) -> bytes:
    """Grouped bars: one group per year, one bar per subregion (in millions of euros)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import FuncFormatter

    years = budget.years
    subregions = budget.subregions
    fig, ax = plt.subplots(figsize=(6.3, 3.6), dpi=150)
    try:
        width = 0.8 / max(len(subregions), 1)
        # Colours readable on white and distinguishable for common colour-vision deficiencies.
        colours = ("#154273", "#E17000", "#39870C", "#A90061", "#007BC7")
        for n, sub in enumerate(subregions):
            values = [float(budget.total(y, subregion=sub) / Decimal(1_000_000)) for y in years]
            xs = [i + (n - (len(subregions) - 1) / 2) * width for i in range(len(years))]
            bars = ax.bar(xs, values, width, label=sub, color=colours[n % len(colours)])
            # Dutch decimal comma in the labels and on the axis ("44,0", not "44.0").
            ax.bar_label(bars, fmt=_dutch, fontsize=7, padding=2)
        ax.set_xticks(range(len(years)), [str(y) for y in years])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _dutch(v)))
        ax.set_ylabel("mln €")
        ax.set_title("Budget jeugdhulp per subregio (som van de begrotingsposten)", fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        # The legend sits below the plot area, so it never covers a bar.
        ax.legend(
            fontsize=8,
            frameon=False,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=max(len(subregions), 1),
        )
        ax.margins(y=0.15)
        fig.tight_layout()
        out = io.BytesIO()
        fig.savefig(out, format="png", metadata={"Software": None})
        return out.getvalue()
    finally:
        plt.close(fig)
