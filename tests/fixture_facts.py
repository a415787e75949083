"""What an ``expected.yaml`` fact of the invented region documents means in the graph.

Shared by ``tests/acceptance/test_region_fixtures_facts.py`` (strict xfails mark the gaps) and
``benchmarks/bench_extract.py`` (found / expected per document and fact kind). The checks ask
for the *meaning*, not for one modelling: a municipality is any node with the CBS code, linked to
the document's region or derived from one of its passages; a date is any ``xsd:date`` on a node
derived from the document; and so on (see :data:`CHECKS`). Facts a prose pattern proposes
(``kb:ProposedFact`` with ``kb:factKind`` and ``kb:proposedValue``) count as well
(:func:`proposed_match`).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, SKOS
from rdflib.term import Node

from kb.extract.common import doc_iri
from kb.ingest.read import document_id
from kb.rdf.namespaces import KB, OA, SCHEMA, TOOI_GEMEENTE

if TYPE_CHECKING:
    from kb.build.pipeline import BuildResult


def load_expected(folder: Path) -> list[dict[str, Any]]:
    """The documents of ``folder/expected.yaml``."""
    return yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))["documents"]


def build_fixture_folder(fixtures: Path, entries: list[dict[str, Any]], work: Path) -> BuildResult:
    """Build the documents of ``entries`` and the sources.yaml of ``fixtures`` as a user's
    folder holds them (not the generator script or the register copy), graph only, into
    ``work``; the graph of the result is published or kept in ``failed``."""
    from kb.build.pipeline import build
    from kb.ingest.sources import SOURCES_FILE
    from kb.settings import Settings

    folder = work / "documents"
    folder.mkdir(parents=True)
    for name in [e["file"] for e in entries] + [SOURCES_FILE]:
        if (fixtures / name).exists():
            shutil.copy2(fixtures / name, folder / name)
    return build([folder], Settings(build_dir=work / "build"), products=())


@dataclass
class Built:
    """A fixture folder's build and its graph (published, or kept in ``failed``)."""

    result: BuildResult
    graph: Graph


def build_fixture_graph(fixtures: Path, entries: list[dict[str, Any]], work: Path) -> Built:
    """:func:`build_fixture_folder` with the graph of the release loaded."""
    from kb.rdf.store import load_graph

    result = build_fixture_folder(fixtures, entries, work)
    return Built(result, load_graph(result.release_dir))


def doc_node(entry: dict[str, Any]) -> URIRef:
    """The IRI of an ``expected.yaml`` entry's document."""
    return doc_iri(document_id(Path(entry["file"])))


# --------------------------------------------------------------------------------------------
# Graph look-ups
# --------------------------------------------------------------------------------------------


def from_doc(g: Graph, doc: URIRef) -> set[Node]:
    """Every node whose provenance is a passage of ``doc``, or that names ``doc`` as its plan,
    document or source."""
    passages = set(g.subjects(OA.hasSource, doc))
    nodes: set[Node] = {s for p in passages for s in g.subjects(PROV.wasDerivedFrom, p)}
    for pred in (KB.inPlan, KB.inDocument, DCTERMS.source):
        nodes.update(g.subjects(pred, doc))
    nodes.discard(doc)
    return nodes


def facts_with_unknown_concepts(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The procedure and funding facts of ``entries`` whose ``concept`` is no concept of the
    ontology's SKOS schemes (``inkoopmodellen``, ``bekostigingsvormen``)."""
    from kb.extract.common import concept_iri
    from kb.resources import ontology_dir

    schemes = Graph().parse(ontology_dir() / "schemes.ttl")
    scheme_of = {"procedure": "inkoopmodellen", "funding_model": "bekostigingsvormen"}
    return [
        fact
        for entry in entries
        for fact in entry["facts"]
        if fact["kind"] in scheme_of
        and (concept_iri(scheme_of[fact["kind"]], fact["concept"]), SKOS.prefLabel, None)
        not in schemes
    ]


def quotes_not_verbatim(g: Graph, doc: URIRef, text: str) -> tuple[int, list[str]]:
    """(number of facts derived from the document's passages, their quotes that are not
    verbatim): a quote must occur in the document's text and in the text of a passage the fact
    is derived from. A fact may be derived from several passages (a member list and the sentence
    that limits a member's taking part) with one quote, as kbsh:QuoteShape allows."""
    passages = set(g.subjects(OA.hasSource, doc))
    facts = {f for p in passages for f in g.subjects(PROV.wasDerivedFrom, p)}
    bad = []
    for fact in facts:
        texts = [str(g.value(p, KB.text)) for p in g.objects(fact, PROV.wasDerivedFrom)]
        for q in g.objects(fact, KB.quote):
            if isinstance(q, Literal) and (
                str(q) not in text or not any(str(q) in t for t in texts)
            ):
                bad.append(str(q))
    return len(facts), bad


def _labels(g: Graph, node: Node) -> list[str]:
    return [
        str(o).lower()
        for pred in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, KB.text)
        for o in g.objects(node, pred)
    ]


def _municipalities(g: Graph, code: str) -> set[Node]:
    nodes = {s for s, _, o in g.triples((None, KB.cbsCode, None)) if str(o) == code}
    nodes.update(g.subjects(OWL.sameAs, TOOI_GEMEENTE[f"gm{code}"]))
    return nodes


def _regions(g: Graph, doc: URIRef) -> set[Node]:
    return set(g.objects(doc, KB.aboutRegion))


def _neighbours(g: Graph, node: Node) -> Iterator[tuple[Node, Node]]:
    """(predicate, other node) for every triple that links ``node`` to another node."""
    for _, p, o in g.triples((node, None, None)):
        if not isinstance(o, Literal):
            yield p, o
    for s, p, _ in g.triples((None, None, node)):
        yield p, s


def _numbers(g: Graph, node: Node) -> Iterator[tuple[Node, Decimal]]:
    for _, p, o in g.triples((node, None, None)):
        if isinstance(o, Literal) and isinstance(o.toPython(), int | float | Decimal):
            yield p, Decimal(str(o.toPython()))


def _dates(g: Graph, node: Node) -> set[dt.date]:
    found = {
        o.toPython()
        for _, _, o in g.triples((node, None, None))
        if isinstance(o, Literal) and o.datatype == XSD.date
    }
    # A milestone may carry its date as separate year / month / day.
    year, month, day = (next(g.objects(node, p), None) for p in (KB.year, KB.month, KB.day))
    if year is not None and month is not None and day is not None:
        found.add(dt.date(int(year), int(month), int(day)))
    return found


def _name_part(label: str) -> str:
    """'Perceel A – Ambulante jeugdhulp' → 'ambulante jeugdhulp'."""
    for sep in ("–", ":"):
        if sep in label:
            label = label.split(sep, 1)[1]
    return label.strip().lower()


# --------------------------------------------------------------------------------------------
# One check per fact kind: (graph, document IRI, fact) → is the fact in the graph?
# --------------------------------------------------------------------------------------------

Check = Callable[[Graph, URIRef, dict[str, Any]], bool]


def region_named(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    """Whether ``doc`` is about a region with the fact's name."""
    return any(fact["name"].lower() in _labels(g, r) for r in _regions(g, doc))


def _municipality(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    code = fact["current_code"] if fact.get("former") else fact["cbs_code"]
    regions = _regions(g, doc)
    nodes = from_doc(g, doc)
    return any(
        m in nodes or any(r in regions for r in g.objects(m, KB.inRegion))
        for m in _municipalities(g, code)
    )


def _role(*words: str) -> Check:
    def check(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
        for m in _municipalities(g, fact["cbs_code"]):
            linked = [str(p).lower() for p, _ in _neighbours(g, m)]
            linked += [str(t).lower() for t in g.objects(m, RDF.type)]
            if any(w in iri for iri in linked for w in words):
                return True
        return False

    return check


def _qualifier(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    words = fact["qualifier"].lower().split()
    for m in _municipalities(g, fact["cbs_code"]):
        for node in [m, *(n for _, n in _neighbours(g, m))]:
            for _, _, o in g.triples((node, None, None)):
                text = str(o).lower()
                if isinstance(o, Literal) and words[0] in text and words[-1] in text:
                    return True
    return False


def _segment(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    wanted = _name_part(fact["label"])
    for node in from_doc(g, doc):
        labels = _labels(g, node) if (node, RDF.type, KB.Segment) in g else []
        if any(wanted in label or label in wanted for label in labels):
            return True
    return False


def _model(cls: URIRef, uses: URIRef) -> Check:
    def check(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
        concept, value = fact["concept"], fact["value"].lower()
        for node in from_doc(g, doc):
            if (node, RDF.type, cls) not in g and not any(g.objects(node, uses)):
                continue
            if any(str(c).endswith(concept) for c in g.objects(node, uses)):
                return True
            if any(value in label for label in _labels(g, node)):
                return True
        return False

    return check


def _duration(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    years = fact.get("initial_years", fact.get("min_years"))
    if years is None:  # only an extension is stated
        years = fact["extensions"][0]
    return any(
        Decimal(str(o.toPython())) == years
        for node in from_doc(g, doc)
        for o in g.objects(node, KB.minDurationYears)
    )


def _providers(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    wanted = {Decimal(fact[k]) for k in ("now", "aimed") if k in fact}
    found = {
        value
        for node in from_doc(g, doc)
        for p, value in _numbers(g, node)
        if "provider" in str(p).lower() or "aanbieder" in str(p).lower()
    }
    return wanted <= found


def _date(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    return any(fact["date"] in _dates(g, node) for node in from_doc(g, doc))


def _youths(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    return any(
        Decimal(str(o.toPython())) == fact["count"]
        for node in from_doc(g, doc)
        for o in g.objects(node, KB.numberOfYouths)
    )


def _budget(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    for node in from_doc(g, doc):
        if not {KB.BudgetLine, KB.BudgetTotal} & set(g.objects(node, RDF.type)):
            continue
        years = {int(y) for y in g.objects(node, KB.year)}
        values = {Decimal(str(v.toPython())) for v in g.objects(node, SCHEMA.value)}
        if fact["year"] in years and Decimal(fact["amount"]) in values:
            return True
    return False


def _glossary(g: Graph, doc: URIRef, fact: dict[str, Any]) -> bool:
    return any(
        (c, RDF.type, SKOS.Concept) in g and fact["term"].lower() in _labels(g, c)
        for c in g.subjects(DCTERMS.source, doc)
    )


CHECKS: dict[str, Check] = {
    "region": region_named,
    "municipality": _municipality,
    "centrumgemeente": _role("centr"),
    "penvoerder": _role("penvoer", "lead"),
    "qualifier": _qualifier,
    "segment": _segment,
    "procedure": _model(KB.PurchasingModel, KB.usesPurchasingConcept),
    "funding_model": _model(KB.FundingModel, KB.usesFundingConcept),
    "contract_duration": _duration,
    "providers": _providers,
    "contract_start": _date,
    "contract_end": _date,
    "decision_date": _date,
    "publication_date": _date,
    "award_date": _date,
    "youths": _youths,
    "budget": _budget,
    "glossary_term": _glossary,
}


# --------------------------------------------------------------------------------------------
# Proposed facts of prose patterns (kb.extract.prose.rdf)
# --------------------------------------------------------------------------------------------


def fact_found(g: Graph, doc: URIRef, fact: dict[str, Any], text: str) -> bool:
    """Whether the graph holds the expected ``fact`` of ``doc`` (whose text is ``text``): its
    quote occurs verbatim in the text, and either a proposed fact of a prose pattern states
    the value with a ``kb:quote`` that occurs verbatim in the text (it is found, though a
    steward has yet to confirm it) or a confirmed fact holds it (:data:`CHECKS`)."""
    if fact["quote"] not in text:
        return False
    proposals = proposed_match(g, proposed_facts(g, doc), fact)
    if any(str(q) in text for p in proposals for q in g.objects(p, KB.quote)):
        return True
    return CHECKS[fact["kind"]](g, doc, fact)


#: expected.yaml kind → the proposed-fact kinds that may hold it.
PROSE_KINDS: dict[str, tuple[str, ...]] = {
    "contract_duration": ("contract_duration",),
    "providers": ("providers_now", "providers_target", "providers"),
    "contract_start": ("contract_start", "start_date"),
    "contract_end": ("contract_end", "end_date"),
    "decision_date": ("decision_date",),
    "procedure": ("purchasing_model",),
    "funding_model": ("funding_model",),
    "centrumgemeente": ("centrumgemeente",),
    "penvoerder": ("penvoerder",),
    "youths": ("youth_count",),
    "budget": ("budget",),
}


def proposed_facts(g: Graph, doc: URIRef) -> list[Node]:
    """The proposed facts derived from the passages of ``doc``."""
    passages = set(g.subjects(OA.hasSource, doc))
    return [f for f in g.subjects(KB.factKind, None) if g.value(f, PROV.wasDerivedFrom) in passages]


def _years(value: object) -> int | None:
    m = re.fullmatch(r"P(\d+)Y", str(value or ""))
    return int(m.group(1)) if m else None


def proposed_match(g: Graph, facts: list[Node], fact: dict[str, Any]) -> list[Node]:
    """The proposed facts among ``facts`` that state the expected ``fact`` (kind and value)."""
    kind = fact["kind"]
    mine = [f for f in facts if str(g.value(f, KB.factKind)) in PROSE_KINDS.get(kind, ())]
    if kind == "contract_duration":
        years = fact.get("initial_years", fact.get("min_years"))
        return [
            f
            for f in mine
            if years
            in (_years(g.value(f, KB.proposedValue)), _years(g.value(f, KB.minimumDuration)))
        ]
    if kind == "providers":
        wanted = {Decimal(str(fact[k])) for k in ("now", "aimed") if k in fact}
        hits = [f for f in mine if _decimal(g.value(f, KB.proposedValue)) in wanted]
        got = {_decimal(g.value(f, KB.proposedValue)) for f in hits}
        return hits if wanted <= got else []
    if kind in ("contract_start", "contract_end", "decision_date"):
        return [f for f in mine if str(g.value(f, KB.proposedValue)) == str(fact["date"])]
    if kind in ("procedure", "funding_model"):
        return [
            f for f in mine if str(g.value(f, KB.proposedConcept)).endswith("/" + fact["concept"])
        ]
    if kind in ("centrumgemeente", "penvoerder"):
        return [
            f for f in mine if fact["name"].lower() in str(g.value(f, KB.proposedValue)).lower()
        ]
    if kind == "youths":
        return [f for f in mine if _decimal(g.value(f, KB.proposedValue)) == Decimal(fact["count"])]
    if kind == "budget":
        # The amount, and the year where the text states one next to it.
        return [
            f
            for f in mine
            if _decimal(g.value(f, KB.proposedValue)) == Decimal(fact["amount"])
            and {int(y) for y in g.objects(f, KB.year)} <= {fact["year"]}
        ]
    return []


def _decimal(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None else None
    except ArithmeticError:
        return None
