"""Regions, subregions, municipalities and stakeholders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph

from kb.views.query import rows

if TYPE_CHECKING:
    from kb.views.segments import Item, Segment


@dataclass
class Membership:
    """A municipality a document names as a member of a region (``org:Membership``), with the
    qualifiers the list gives ("uitsluitend voor verblijf") and the list as its quote.

    ``municipality`` is None for a former municipality, kept as named and not linked.
    """

    iri: str
    label: str
    municipality: str | None
    notes: list[str] = field(default_factory=list)
    quote: str | None = None
    passage: str | None = None
    document: str | None = None


@dataclass
class Region:
    """A youth-care region (or subregion), its municipalities (IRIs) and the memberships the
    documents state."""

    iri: str
    label: str
    subregions: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    parent: str | None = None
    memberships: list[Membership] = field(default_factory=list)

    def memberships_of(self, municipality: str) -> list[Membership]:
        """The memberships that name ``municipality`` (an IRI) as a member of this region."""
        return [m for m in self.memberships if m.municipality == municipality]

    @property
    def former_members(self) -> list[Membership]:
        """Members named by a former municipality's name (not linked to the register)."""
        return [m for m in self.memberships if m.municipality is None]


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
    # Ordered, and the first row per municipality kept: a municipality in two regions (or with
    # two labels) shows the same region on every build, not whichever row came last.
    municipalities: dict[str, Municipality] = {}
    in_regions: dict[str, set[str]] = {}
    for r in rows(
        graph,
        """SELECT ?m ?l ?reg ?sub ?same ?cbs WHERE { ?m a kb:Municipality ; rdfs:label ?l .
          OPTIONAL { ?m kb:inRegion ?reg } OPTIONAL { ?m kb:inSubregion ?sub }
          OPTIONAL { ?m owl:sameAs ?same } OPTIONAL { ?m kb:cbsCode ?cbs } }
        ORDER BY ?m ?reg ?sub ?l ?same ?cbs""",
    ):
        municipalities.setdefault(
            r["m"], Municipality(r["m"], r["l"], r["reg"], r["sub"], r["same"], r["cbs"])
        )
        if r["reg"]:
            in_regions.setdefault(r["m"], set()).add(r["reg"])
    for m in sorted(municipalities.values(), key=lambda m: (m.label, m.iri)):
        if m.subregion in subregions:
            subregions[m.subregion].municipalities.append(m.iri)
            if not m.region:
                m.region = subregions[m.subregion].parent
        # Every region the municipality is in lists it (its page names the first).
        for region in sorted(in_regions.get(m.iri) or {m.region or ""}):
            if region in regions:
                regions[region].municipalities.append(m.iri)
    for s in sorted(subregions.values(), key=lambda s: s.label):
        if s.parent in regions:
            regions[s.parent].subregions.append(s.iri)
    for membership, region in load_memberships(graph):
        if region in regions:
            regions[region].memberships.append(membership)
    return (
        dict(sorted(regions.items())),
        dict(sorted(subregions.items())),
        dict(sorted(municipalities.items())),
    )


def load_memberships(graph: Graph) -> list[tuple[Membership, str]]:
    """Every ``org:Membership`` with the region (IRI) it is a membership of, by label."""
    found = rows(
        graph,
        """SELECT ?ms ?region ?l ?m ?q ?doc (MIN(STR(?p)) AS ?pas)
          (GROUP_CONCAT(DISTINCT STR(?note); separator="\\u001f") AS ?notes) WHERE {
          ?ms a org:Membership ; org:organization ?region .
          OPTIONAL { ?ms rdfs:label ?l } OPTIONAL { ?ms org:member ?m }
          OPTIONAL { ?ms kb:quote ?q } OPTIONAL { ?ms kb:inDocument ?doc }
          OPTIONAL { ?ms prov:wasDerivedFrom ?p } OPTIONAL { ?ms kb:note ?note }
        } GROUP BY ?ms ?region ?l ?m ?q ?doc""",
    )
    memberships = [
        (
            Membership(
                iri=r["ms"],
                label=r["l"] or r["ms"],
                municipality=r["m"],
                # GROUP_CONCAT's order is the store's: sorted, a page is the same every build.
                notes=sorted(n for n in (r["notes"] or "").split("\u001f") if n),
                quote=r["q"],
                passage=r["pas"] or None,
                document=r["doc"],
            ),
            r["region"],
        )
        for r in found
    ]
    return sorted(memberships, key=lambda mr: (mr[0].label.casefold(), mr[0].iri))


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
