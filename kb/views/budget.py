"""The financial framework: budget lines per municipality, product and year, and stated totals.

One :class:`BudgetLine` and one :class:`BudgetTotal` serve the site (which links by IRI) and
Word (which shows labels); :class:`Budget` computes the sums a document shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph

from kb.views.documents import Source, sources_by_fact
from kb.views.query import iri, rows, to_dec, to_str

#: The group of municipalities that sit in no subregion (a Word table row heading).
OTHER_SUBREGION = "Overige gemeenten"


@dataclass(frozen=True)
class BudgetLine:
    """One cell of a financial table: municipality × product × year."""

    municipality: str  # IRI
    product: str
    year: int
    value: Decimal
    passage: str | None = None
    municipality_label: str = ""
    subregion: str | None = None  # IRI
    subregion_label: str = OTHER_SUBREGION
    document: str | None = None


@dataclass
class BudgetTotal:
    """A total as printed in the source, for a municipality, a subregion or (more than one
    subregion) the whole plan, with the sum computed from its lines when the build checked it."""

    iri: str
    year: int
    value: Decimal
    computed: Decimal | None = None
    consistent: bool | None = None
    municipality: str | None = None
    subregions: list[str] = field(default_factory=list)
    passage: str | None = None
    name: str = ""  # municipality or subregion label; empty for the grand total
    document: str | None = None


@dataclass
class Budget:
    """Budget lines and stated totals of one plan (or of all plans), and sums over them.

    The methods take labels: documents show municipalities and subregions by name.
    """

    lines: list[BudgetLine]
    totals: list[BudgetTotal]
    source: Source | None = None

    @property
    def stated(self) -> list[BudgetTotal]:
        """The totals of a named municipality or subregion."""
        return [t for t in self.totals if t.name]

    @property
    def years(self) -> list[int]:
        """Years with budget lines, ascending."""
        return sorted({line.year for line in self.lines})

    @property
    def municipalities(self) -> list[str]:
        """Municipalities with budget lines, ordered by subregion, then name."""
        pairs = {(line.subregion_label, line.municipality_label) for line in self.lines}
        return [m for _, m in sorted(pairs)]

    @property
    def subregions(self) -> list[str]:
        """Subregions with budget lines, by name."""
        return sorted({line.subregion_label for line in self.lines})

    def products(self, municipality: str) -> list[str]:
        """Products of a municipality, sorted."""
        return sorted({ln.product for ln in self.lines if ln.municipality_label == municipality})

    def value(self, municipality: str, product: str, year: int) -> Decimal | None:
        """The value of one budget line, or None if there is none."""
        for line in self.lines:
            if (line.municipality_label, line.product, line.year) == (municipality, product, year):
                return line.value
        return None

    def total(
        self, year: int, *, municipality: str | None = None, subregion: str | None = None
    ) -> Decimal:
        """Sum of the lines of a year, for one municipality, one subregion or everything."""
        return sum(
            (
                line.value
                for line in self.lines
                if line.year == year
                and (municipality is None or line.municipality_label == municipality)
                and (subregion is None or line.subregion_label == subregion)
            ),
            Decimal(0),
        )

    def municipalities_in(self, subregion: str) -> list[str]:
        """Municipalities of a subregion that have budget lines."""
        return sorted(
            {ln.municipality_label for ln in self.lines if ln.subregion_label == subregion}
        )

    def share(self, year: int, municipality: str) -> Decimal | None:
        """The municipality's part of the whole budget of ``year`` as a fraction (0.25 for a
        quarter; sums of lines); None when the whole is zero (no share can be stated)."""
        whole = self.total(year)
        if not whole:
            return None
        return self.total(year, municipality=municipality) / whole

    def grand_total(self, municipality: str | None = None) -> Decimal:
        """Sum of all lines over all years (of one municipality when given)."""
        return sum(
            (
                line.value
                for line in self.lines
                if municipality is None or line.municipality_label == municipality
            ),
            Decimal(0),
        )

    def stated_total(self, name: str, year: int) -> Decimal | None:
        """The total the source states for ``name`` (municipality or subregion) in ``year``."""
        for total in self.stated:
            if total.name == name and total.year == year:
                return total.value
        return None


def load_budget(graph: Graph, plan: str | None = None) -> Budget:
    """Budget lines and totals of ``plan`` (a document IRI), or of every document when None."""
    where = f"kb:inDocument {iri(plan)} ;" if plan else ""
    found = rows(
        graph,
        f"""SELECT ?b ?m ?ml ?sub ?sl ?product ?year ?value ?doc
          (MIN(COALESCE(STR(?p), "")) AS ?pas) WHERE {{
          ?b a kb:BudgetLine ; {where} kb:municipality ?m ; kb:product ?product ;
             kb:year ?year ; schema:value ?value .
          OPTIONAL {{ ?b kb:inDocument ?doc }} OPTIONAL {{ ?m rdfs:label ?ml }}
          OPTIONAL {{ ?m kb:inSubregion ?sub OPTIONAL {{ ?sub rdfs:label ?sl }} }}
          OPTIONAL {{ ?b prov:wasDerivedFrom ?p }} }}
        GROUP BY ?b ?m ?ml ?sub ?sl ?product ?year ?value ?doc""",
    )
    lines = {
        BudgetLine(
            municipality=r["m"],
            product=str(r["product"]),
            year=int(r["year"]),
            value=Decimal(str(r["value"])),
            passage=r["pas"] or None,
            municipality_label=to_str(r["ml"]),
            subregion=r["sub"],
            subregion_label=to_str(r["sl"]) or OTHER_SUBREGION,
            document=r["doc"],
        )
        for r in found
    }
    total_rows = rows(
        graph,
        f"""SELECT ?b ?year ?value ?computed ?ok ?m ?ml ?doc (MIN(COALESCE(STR(?p), "")) AS ?pas)
          (GROUP_CONCAT(DISTINCT STR(?sub); separator=" ") AS ?subs)
          (SAMPLE(?sl) AS ?subl) WHERE {{
          ?b a kb:BudgetTotal ; {where} kb:year ?year ; schema:value ?value .
          OPTIONAL {{ ?b kb:inDocument ?doc }}
          OPTIONAL {{ ?b kb:computedSum ?computed }} OPTIONAL {{ ?b kb:consistent ?ok }}
          OPTIONAL {{ ?b kb:municipality ?m OPTIONAL {{ ?m rdfs:label ?ml }} }}
          OPTIONAL {{ ?b kb:subregion ?sub OPTIONAL {{ ?sub rdfs:label ?sl }} }}
          OPTIONAL {{ ?b prov:wasDerivedFrom ?p }} }}
        GROUP BY ?b ?year ?value ?computed ?ok ?m ?ml ?doc""",
    )
    totals = []
    for r in total_rows:
        subs = sorted((r["subs"] or "").split())
        name = to_str(r["ml"]) or (to_str(r["subl"]) if len(subs) == 1 else "")
        totals.append(
            BudgetTotal(
                iri=r["b"],
                year=int(r["year"]),
                value=Decimal(str(r["value"])),
                computed=to_dec(r["computed"]),
                consistent=r["ok"],
                municipality=r["m"],
                subregions=subs,
                passage=r["pas"] or None,
                name=name,
                document=r["doc"],
            )
        )
    ordered = sorted(
        lines, key=lambda b: (b.subregion_label, b.municipality_label, b.product, b.year)
    )
    source = None
    if ordered and plan:
        # The financial framework is one table: its lines cite the same section.
        cited = sources_by_fact(graph, f"?fact a kb:BudgetLine ; kb:inDocument {iri(plan)} .")
        source = min((s[0] for s in cited.values() if s), default=None)
    return Budget(ordered, sorted(totals, key=lambda t: (t.iri, t.year)), source)
