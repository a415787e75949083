"""What the site puts side by side: regions on the comparison page, and what is a plan's own.

Pure functions over :class:`~kb.views.site.SiteData`; the pages module renders their results.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from kb.views.choices import Choice
from kb.views.glossary import SCHEME_GLOSSARY, Concept
from kb.views.organisations import Region
from kb.views.site import SiteData

#: Up to this many regions the comparison has a column per region; with more, a row per region
#: (and a column per aspect), so the page stays readable.
COMPARISON_COLUMNS = 6


def comparison(data: SiteData) -> tuple[list[Region], list[tuple[str, list[list[Choice]]]]]:
    """The regions that record at least one choice, and per aspect that any of them records
    (scheme order) the choices of each of those regions: a region or aspect without any fact
    would only fill the table with "niet vermeld"."""
    regions = [g for g in data.regions.values() if any(c.region == g.iri for c in data.choices)]
    matrix = []
    for aspect in data.aspects:
        cells = [
            [c for c in data.choices if c.region == g.iri and c.aspect == aspect.slug]
            for g in regions
        ]
        if any(cells):
            matrix.append((aspect.label, cells))
    return regions, matrix


def plan_glossary(data: SiteData, plan: str) -> list[Concept]:
    """The glossary concepts defined in the plan ``plan`` (an IRI) itself, by label."""
    return [
        k
        for k in data.concepts.values()
        if k.scheme == str(SCHEME_GLOSSARY)
        and (
            k.source_document == plan
            or (k.passage in data.passages and data.passages[k.passage].document == plan)
        )
    ]


def plan_budget(data: SiteData, plan: str) -> dict[int, Decimal]:
    """The sum of the budget lines of the plan ``plan`` (an IRI) per year, by year."""
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for line in data.budget_lines:
        if line.document == plan:
            sums[line.year] += line.value
    return dict(sorted(sums.items()))
