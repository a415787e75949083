"""Region-level facts: the purchasing choices regions made (compared on the site) and the
decisions, phases, contracts, advice and risks documents record."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from kb.rdf.namespaces import KB
from kb.views.documents import Source, sources_by_fact
from kb.views.query import iri, local_name, rows, to_int, to_str
from kb.views.vocabulary import aspects

#: Classes of region-level facts (local names in the kb ontology).
REGION_FACT_CLASSES = ("Decision", "Phase", "ContractArrangement", "Advice", "Risk")


@dataclass
class Choice:
    """A purchasing choice of a region on one aspect (e.g. its contract duration)."""

    iri: str
    region: str
    aspect: str  # aspect concept slug
    aspect_label: str
    text: str
    passage: str | None
    ordinal: int = 0


@dataclass
class RegionFact:
    """A decision, phase, contract, advice or risk of a region, with its sources."""

    iri: str
    kind: str  # class local name
    text: str
    region: str | None = None
    document: str | None = None
    passage: str | None = None
    ordinal: int = 0
    sources: list[Source] = field(default_factory=list)

    @property
    def source(self) -> Source | None:
        """The first source (a region fact usually has one)."""
        return self.sources[0] if self.sources else None


def _tail_number(value: str) -> int:
    tail = local_name(value)
    return int(tail) if tail.isdigit() else 0


def load_choices(graph: Graph) -> list[Choice]:
    """Every regional choice, by region, aspect (in the scheme's order) and ordinal."""
    known = aspects(graph)
    labels = {a.iri: a.label for a in known}
    order = {a.slug: n for n, a in enumerate(known)}
    found = rows(
        graph,
        """SELECT ?c ?region ?aspect ?value (MIN(COALESCE(STR(?p), "")) AS ?pas) WHERE {
          ?c a kb:RegionalChoice ; kb:region ?region ; kb:aspect ?aspect ; kb:value ?value .
          OPTIONAL { ?c prov:wasDerivedFrom ?p } } GROUP BY ?c ?region ?aspect ?value""",
    )
    choices = [
        Choice(
            iri=r["c"],
            region=r["region"],
            aspect=local_name(r["aspect"]),
            aspect_label=labels.get(r["aspect"], local_name(r["aspect"])),
            text=str(r["value"]),
            passage=r["pas"] or None,
            ordinal=_tail_number(r["c"]),
        )
        for r in found
    ]
    return sorted(
        choices,
        key=lambda c: (c.region, order.get(c.aspect, len(order)), c.aspect, c.ordinal, c.iri),
    )


def load_region_facts(
    graph: Graph, *, region: str | None = None, kinds: tuple[str, ...] = REGION_FACT_CLASSES
) -> list[RegionFact]:
    """Region-level facts of ``kinds`` (of one region IRI, or all), by kind and ordinal."""
    classes = " ".join(f"kb:{k}" for k in kinds)
    where = f"?x kb:aboutRegion {iri(region)} ." if region else ""
    found = rows(
        graph,
        f"""SELECT ?x ?cls ?region ?doc ?label ?text ?o
          (MIN(COALESCE(STR(?p), "")) AS ?pas) WHERE {{
          VALUES ?cls {{ {classes} }}
          ?x a ?cls . {where} OPTIONAL {{ ?x kb:aboutRegion ?region }}
          OPTIONAL {{ ?x kb:inDocument ?doc }}
          OPTIONAL {{ ?x rdfs:label ?label }} OPTIONAL {{ ?x kb:text ?text }}
          OPTIONAL {{ ?x kb:ordinal ?o }} OPTIONAL {{ ?x prov:wasDerivedFrom ?p }}
        }} GROUP BY ?x ?cls ?region ?doc ?label ?text ?o""",
    )
    sources = sources_by_fact(
        graph, f"VALUES ?cls {{ {classes} }} ?fact a ?cls . " + where.replace("?x", "?fact")
    )
    by_iri: dict[str, RegionFact] = {}
    for r in found:
        ordinal = to_int(r["o"])
        by_iri.setdefault(
            r["x"],
            RegionFact(
                iri=r["x"],
                kind=str(r["cls"]).removeprefix(str(KB)),
                text=to_str(r["text"]) or to_str(r["label"]),
                region=r["region"],
                document=r["doc"],
                passage=r["pas"] or None,
                ordinal=ordinal if ordinal is not None else _tail_number(r["x"]),
                sources=sources.get(r["x"], []),
            ),
        )
    return sorted(by_iri.values(), key=lambda f: (f.kind, f.ordinal, f.iri))
