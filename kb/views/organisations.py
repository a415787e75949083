"""Regions, subregions, municipalities and stakeholders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph

from kb.views.query import rows

if TYPE_CHECKING:
    from kb.views.segments import Item, Segment


@dataclass
class Region:
    """A youth-care region (or subregion) and its municipalities (IRIs)."""

    iri: str
    label: str
    subregions: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    parent: str | None = None


@dataclass
class Municipality:
    """A municipality: where it sits and its TOOI identifier."""

    iri: str
    label: str
    region: str | None
    subregion: str | None
    tooi: str | None
    cbs_code: str | None


@dataclass
class Stakeholder:
    """A stakeholder shared across segments; ``mentions`` are the segment bullets naming it."""

    iri: str
    label: str
    mentions: list[tuple[str, Item]] = field(default_factory=list)  # (segment IRI, mention)


def load_organisations(
    graph: Graph,
) -> tuple[dict[str, Region], dict[str, Region], dict[str, Municipality]]:
    """Regions, subregions and municipalities by IRI, each region listing its members."""
    regions = {
        r["r"]: Region(r["r"], r["l"])
        for r in rows(graph, "SELECT ?r ?l WHERE { ?r a kb:Region ; rdfs:label ?l }")
    }
    subregions = {
        r["r"]: Region(r["r"], r["l"], parent=r["parent"])
        for r in rows(
            graph,
            """SELECT ?r ?l ?parent WHERE { ?r a kb:Subregion ; rdfs:label ?l .
              OPTIONAL { ?r org:subOrganizationOf ?parent } }""",
        )
    }
    municipalities = {
        r["m"]: Municipality(r["m"], r["l"], r["reg"], r["sub"], r["same"], r["cbs"])
        for r in rows(
            graph,
            """SELECT ?m ?l ?reg ?sub ?same ?cbs WHERE { ?m a kb:Municipality ; rdfs:label ?l .
              OPTIONAL { ?m kb:inRegion ?reg } OPTIONAL { ?m kb:inSubregion ?sub }
              OPTIONAL { ?m owl:sameAs ?same } OPTIONAL { ?m kb:cbsCode ?cbs } }""",
        )
    }
    for m in sorted(municipalities.values(), key=lambda m: m.label):
        if m.subregion in subregions:
            subregions[m.subregion].municipalities.append(m.iri)
            if not m.region:
                m.region = subregions[m.subregion].parent
        if m.region in regions:
            regions[m.region].municipalities.append(m.iri)
    for s in sorted(subregions.values(), key=lambda s: s.label):
        if s.parent in regions:
            regions[s.parent].subregions.append(s.iri)
    return (
        dict(sorted(regions.items())),
        dict(sorted(subregions.items())),
        dict(sorted(municipalities.items())),
    )


def load_stakeholders(graph: Graph, segments: list[Segment]) -> dict[str, Stakeholder]:
    """Every stakeholder by IRI (sorted by label) with the segment bullets that mention it."""
    stakeholders = {
        r["s"]: Stakeholder(r["s"], r["l"])
        for r in rows(graph, "SELECT ?s ?l WHERE { ?s a kb:Stakeholder ; rdfs:label ?l }")
    }
    for segment in segments:
        for mention in segment.items.get("hasStakeholderMention", []):
            target = stakeholders.get(mention.stakeholder or "")
            if target is not None:
                target.mentions.append((segment.iri, mention))
    for s in stakeholders.values():
        s.mentions.sort(key=lambda m: (m[0], m[1].ordinal))
    return dict(sorted(stakeholders.items(), key=lambda kv: (kv[1].label.lower(), kv[0])))
