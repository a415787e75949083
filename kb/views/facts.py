"""Facts read from prose and how every fact was obtained: status and method for the read model.

A prose pattern proposes a fact (``kb:ProposedFact``, ``kb:status`` "voorgesteld"); a data
steward confirms it ("bevestigd") or rejects it (then it is not in the graph). Every fact is
``prov:wasGeneratedBy`` an extraction activity whose ``kb:method`` is the document structure, a
prose pattern or curation (:data:`METHOD_LABELS`). Site pages and Word documents mark proposed
facts with :data:`PROPOSED_MARK`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph

from kb.views.query import iri, local_name, rows, to_str
from kb.views.vocabulary import fact_kinds

STATUS_PROPOSED = "voorgesteld"
STATUS_CONFIRMED = "bevestigd"
#: The marker next to a fact no person has checked yet (site and Word).
PROPOSED_MARK = "voorgesteld, nog niet gecontroleerd"
#: ``kb:method`` local name → how the site and Word name it.
METHOD_LABELS = {
    "DocumentStructure": "documentstructuur",
    "ProsePattern": "patroon in lopende tekst",
    "StewardCuration": "curatie door een beheerder",
}


@dataclass
class ProseFact:
    """A fact a prose pattern found, with its value, quote, passage, status and method."""

    iri: str
    kind: str
    kind_label: str
    value: str  # as written in the quote
    normalised: str  # typed value (ISO date, duration, number) or the concept's label
    quote: str
    passage: str
    document: str
    document_title: str
    file_name: str
    region: str | None
    status: str
    method: str  # Dutch label of the method
    rule: str
    aspect: str | None = None  # the aspect of regional choices the fact's kind fills (an IRI)

    @property
    def proposed(self) -> bool:
        """Not (yet) confirmed by a person."""
        return self.status == STATUS_PROPOSED

    @property
    def id(self) -> str:
        """The id a steward's decision refers to: the IRI after ``…/proposed/``."""
        return self.iri.split("/proposed/", 1)[-1]


def load_prose_facts(
    graph: Graph, *, document: str | None = None, region: str | None = None
) -> list[ProseFact]:
    """Every proposed or confirmed prose fact (of one document, or of the documents about one
    region), in document and text order."""
    where = f"VALUES ?doc {{ {iri(document)} }}" if document else ""
    if region:
        where += f" ?doc kb:aboutRegion {iri(region)} ."
    found = rows(
        graph,
        f"""SELECT ?f ?kind ?status ?rule ?vt ?pv ?cl ?max ?quote ?p ?doc ?dt ?file ?region
                   ?method ?start
                   (GROUP_CONCAT(DISTINCT STR(?ext); separator=" +") AS ?exts) WHERE {{
          {where}
          ?f a kb:ProposedFact ; kb:factKind ?kind ; kb:status ?status ; kb:quote ?quote ;
             prov:wasDerivedFrom ?p .
          ?p oa:hasSource ?doc . ?doc dct:title ?dt .
          OPTIONAL {{ ?doc kb:fileName ?file }}
          OPTIONAL {{ ?doc kb:aboutRegion ?region }}
          OPTIONAL {{ ?f kb:obtainedBy ?rule }}
          OPTIONAL {{ ?f kb:valueText ?vt }}
          OPTIONAL {{ ?f kb:proposedValue ?pv }}
          OPTIONAL {{ ?f kb:proposedConcept ?c . ?c skos:prefLabel ?cl . FILTER(lang(?cl) = "nl") }}
          OPTIONAL {{ ?f kb:maximumDuration ?max }}
          OPTIONAL {{ ?f kb:extensionOption ?ext }}
          OPTIONAL {{ ?f prov:wasGeneratedBy ?a . ?a kb:method ?method }}
          OPTIONAL {{ ?f kb:startOffset ?start }}
        }} GROUP BY ?f ?kind ?status ?rule ?vt ?pv ?cl ?max ?quote ?p ?doc ?dt ?file ?region
                    ?method ?start""",
    )
    kinds = fact_kinds(graph)
    facts: dict[str, tuple[tuple[str, int, str], ProseFact]] = {}
    for r in found:
        kind = kinds.get(str(r["kind"]))
        normalised = to_str(r["cl"] or r["pv"])
        if r["exts"]:
            # GROUP_CONCAT's order is the store's: sorted, the text is the same every build.
            exts = " +".join(sorted(str(r["exts"]).split(" +")))
            normalised = f"{normalised} (+{exts})".strip()
        elif r["max"] and not r["pv"]:
            normalised = f"max. {r['max']}"
        fact = ProseFact(
            iri=str(r["f"]),
            kind=str(r["kind"]),
            kind_label=kind.label if kind else str(r["kind"]),
            value=to_str(r["vt"]),
            normalised=normalised,
            quote=str(r["quote"]),
            passage=str(r["p"]),
            document=str(r["doc"]),
            document_title=str(r["dt"]),
            file_name=to_str(r["file"]),
            region=to_str(r["region"]) or None,
            status=str(r["status"]),
            method=METHOD_LABELS.get(local_name(to_str(r["method"])), ""),
            rule=to_str(r["rule"]),
            aspect=kind.aspect if kind else None,
        )
        facts.setdefault(fact.iri, ((fact.document, int(r["start"] or 0), fact.iri), fact))
    return [f for _, f in sorted(facts.values(), key=lambda kv: kv[0])]


def distinct_facts(facts: Iterable[ProseFact]) -> list[ProseFact]:
    """The first fact of each kind, value and status, in the given order: a model named ten
    times in one document is one line on a page, not ten."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for fact in facts:
        key = (fact.kind, (fact.normalised or fact.value).lower(), fact.status)
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out


def method_of(graph: Graph, fact: str) -> str:
    """How a fact was obtained, in Dutch (:data:`METHOD_LABELS`), or "" when unrecorded."""
    found = rows(
        graph, f"SELECT ?m WHERE {{ {iri(fact)} prov:wasGeneratedBy ?a . ?a kb:method ?m }}"
    )
    return METHOD_LABELS.get(local_name(to_str(found[0]["m"])), "") if found else ""
