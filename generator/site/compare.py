"""What the site puts side by side: regions on the comparison page, and what is a plan's own.

Pure functions over :class:`~kb.views.site.SiteData`; the pages module renders their results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from kb.views.facts import ProseFact, distinct_facts
from kb.views.glossary import SCHEME_GLOSSARY, Concept
from kb.views.organisations import Region
from kb.views.site import SiteData

#: Up to this many regions the comparison has a column per region; with more, a row per region
#: (and a column per aspect), so the page stays readable.
COMPARISON_COLUMNS = 6


@dataclass(frozen=True)
class CompareEntry:
    """One value in a comparison cell: a regional choice, or a fact a prose pattern proposed
    and nobody checked yet (``proposed``), with the passage it comes from."""

    text: str
    passage: str | None
    proposed: bool = False


#: Most proposed facts one cell shows (distinct values, in text order).
PROPOSED_PER_CELL = 3


def comparison(
    data: SiteData,
) -> tuple[list[Region], list[tuple[str, list[list[CompareEntry]]]]]:
    """The regions that record at least one choice or proposed fact, and per aspect that any
    of them records (scheme order) the entries of each of those regions: a region or aspect
    without any fact would only fill the table with "niet vermeld".

    Proposed facts join the aspect their kind's concept names (``skos:broadMatch`` in the
    ``feitsoorten`` scheme: a contract start fills "Startdatum"); they follow the region's
    choices, marked."""
    proposed: dict[tuple[str, str], list[ProseFact]] = defaultdict(list)
    for fact in distinct_facts(f for f in data.prose_facts if f.proposed and f.region):
        if fact.aspect:
            proposed[(fact.region or "", fact.aspect)].append(fact)
    cells: dict[tuple[str, str], list[CompareEntry]] = defaultdict(list)
    for aspect in data.aspects:
        for region in data.regions:
            entries = [
                CompareEntry(c.text, c.passage)
                for c in data.choices
                if c.region == region and c.aspect == aspect.slug
            ]
            entries += [
                CompareEntry(f.normalised or f.value, f.passage, proposed=True)
                for f in proposed.get((region, aspect.iri), [])[:PROPOSED_PER_CELL]
            ]
            if entries:
                cells[(aspect.slug, region)] = entries
    regions = [g for g in data.regions.values() if any(r == g.iri for _, r in cells)]
    matrix = []
    for aspect in data.aspects:
        row = [cells.get((aspect.slug, g.iri), []) for g in regions]
        if any(row):
            matrix.append((aspect.label, row))
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
