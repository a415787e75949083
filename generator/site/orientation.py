"""Orientation pages: the figures on the home page, "Over de bronnen" and "Kwaliteit".

The home page (``docs/index.md``, hand-written) includes the generated snippet
:data:`START_SNIPPET` with the key figures per region, the build date and the data date (the
newest source document's date). "Kwaliteit" lists what a build found that a reader should know:
stated totals that differ from the sum of their lines, former municipality names that are kept as
written and not linked, and facts read from prose that nobody has confirmed yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kb.views.site import SiteData

#: The generated part of the home page (a dot file: a snippet, not a page of its own).
START_SNIPPET = "generated/.start.md"


@dataclass
class RegionFigures:
    """The key figures of one region on the home page."""

    iri: str
    label: str
    documents: int
    segments: int
    municipalities: int
    budget_years: list[int] = field(default_factory=list)


def region_figures(data: SiteData) -> list[RegionFigures]:
    """Documents, segments, municipalities and budget years per region, by region name."""
    out = []
    for region in sorted(data.regions.values(), key=lambda r: r.label.lower()):
        members = set(region.municipalities)
        for sub in region.subregions:
            if sub in data.subregions:
                members.update(data.subregions[sub].municipalities)
        years = {b.year for b in data.budget_lines if b.municipality in members}
        out.append(
            RegionFigures(
                iri=region.iri,
                label=region.label,
                documents=sum(1 for d in data.documents.values() if d.region == region.iri),
                segments=len(data.segments_of(region.iri)),
                municipalities=len(members),
                budget_years=sorted(years),
            )
        )
    return out


def data_date(data: SiteData) -> dt.date | None:
    """The newest date of a source document (its ``dct:date``, or 1 January of its year)."""
    found: list[dt.date] = []
    for doc in data.documents.values():
        if doc.date:
            try:
                found.append(dt.date.fromisoformat(doc.date[:10]))
                continue
            except ValueError:
                pass
        if doc.year:
            found.append(dt.date(doc.year, 1, 1))
    return max(found, default=None)


def years_label(years: list[int]) -> str:
    """``2021–2024`` for consecutive years, ``2021, 2023`` otherwise, ``—`` for none."""
    if not years:
        return "—"
    if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)
