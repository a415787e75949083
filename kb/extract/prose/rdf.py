"""Findings as proposed facts in the graph: ``kb:ProposedFact`` with status "voorgesteld".

PROV: each fact ``prov:wasDerivedFrom`` its passage, ``prov:wasGeneratedBy`` the activity of its
prose rule (method ``kb:ProsePattern``, :func:`kb.extract.common.add_method`) and ``kb:obtainedBy``
names the rule.
Values get the most precise XSD type: ``xsd:decimal`` counts, ``xsd:date``/``gYearMonth``/
``gYear``/``gMonthDay`` dates, ``xsd:duration`` periods. The terms are declared at the end of
``ontology/kb.ttl`` and checked by ``kbsh:ProposedFactShape``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV

from kb.extract.common import PROSE, add_method, passage_iri
from kb.extract.prose.findings import STATUS_PROPOSED, ConceptMention, Finding, Value
from kb.extract.values import Duration, DutchDate, Quantity, iso_duration
from kb.rdf.namespaces import KB, KBI


def finding_iri(finding: Finding) -> URIRef:
    """``kbi:proposed/{doc}/{passage}/{kind}/{offset}``: stable while the passage text is."""
    doc_id, rest = finding.passage_id.split("/p/", 1)
    return KBI[f"proposed/{doc_id}/{rest}/{finding.kind}/{finding.value_start}"]


def _date_literal(d: DutchDate) -> Literal:
    """The most precise XSD type for a date; quarters and halves have none and stay strings."""
    if d.precision == "day":
        return Literal(d.iso, datatype=XSD.date if d.year else XSD.gMonthDay)
    if d.precision == "month" and d.year:
        return Literal(d.iso, datatype=XSD.gYearMonth)
    if d.precision == "year" and d.year:
        return Literal(d.iso, datatype=XSD.gYear)
    return Literal(d.iso)


def add_findings(
    graph: Graph,
    findings: Iterable[Finding],
    *,
    passage_offsets: Mapping[str, int] | None = None,
) -> list[URIRef]:
    """Write findings as ``kb:ProposedFact`` (status "voorgesteld", ``kb:obtainedBy`` the rule).

    Each fact is ``prov:wasDerivedFrom`` its passage and carries its ``kb:quote``; with
    ``passage_offsets`` (passage id → start of the passage in the document text) it also gets
    ``kb:startOffset``/``kb:endOffset`` in the document, like every other fact.
    """
    iris: list[URIRef] = []
    for f in findings:
        s = finding_iri(f)
        add = graph.add
        add((s, RDF.type, KB.ProposedFact))
        add((s, KB.factKind, Literal(f.kind)))
        add((s, KB.status, Literal(STATUS_PROPOSED)))
        add((s, KB.obtainedBy, Literal(f.rule)))
        add((s, PROV.wasDerivedFrom, passage_iri(f.passage_id)))
        add((s, KB.quote, Literal(f.quote)))
        if passage_offsets and f.passage_id in passage_offsets:
            base = passage_offsets[f.passage_id]
            add((s, KB.startOffset, Literal(base + f.start, datatype=XSD.integer)))
            add((s, KB.endOffset, Literal(base + f.end, datatype=XSD.integer)))
        add_value(graph, s, f.value)
        if f.year is not None:
            add((s, KB.year, Literal(f.year, datatype=XSD.integer)))
        add_method(graph, s, PROSE, f.rule)
        iris.append(s)
    return iris


def add_value(graph: Graph, s: URIRef, value: Value) -> None:
    """Write a finding's value on ``s`` with the most precise XSD type (see the module)."""
    add = graph.add
    if isinstance(value, Quantity):
        add((s, KB.proposedValue, Literal(value.value, datatype=XSD.decimal)))
        add((s, KB.valueText, Literal(value.text)))
        for prop, v in ((KB.qualifier, value.qualifier), (KB.bound, value.bound)):
            if v:
                add((s, prop, Literal(v)))
        if value.unit:
            add((s, KB.unit, Literal(value.unit)))
    elif isinstance(value, DutchDate):
        add((s, KB.proposedValue, _date_literal(value)))
        add((s, KB.valueText, Literal(value.text)))
        add((s, KB.datePrecision, Literal(value.precision)))
        if value.part:
            add((s, KB.datePart, Literal(value.part)))
    elif isinstance(value, Duration):
        add((s, KB.valueText, Literal(value.text)))
        if value.initial_months is not None:
            add((s, KB.proposedValue, _duration(value.initial_months)))
        if value.minimum_months is not None:
            add((s, KB.minimumDuration, _duration(value.minimum_months)))
        if value.maximum_months is not None:
            add((s, KB.maximumDuration, _duration(value.maximum_months)))
        for months in value.extension_months:
            add((s, KB.extensionOption, _duration(months)))
        if value.extension_months:
            count = len(value.extension_months)
            add((s, KB.extensionCount, Literal(count, datatype=XSD.integer)))
        if value.qualifier:
            add((s, KB.qualifier, Literal(value.qualifier)))
    elif isinstance(value, ConceptMention):
        add((s, KB.proposedConcept, URIRef(value.concept)))
        add((s, KB.valueText, Literal(value.label)))
    else:
        add((s, KB.proposedValue, Literal(value.name)))
        add((s, KB.valueText, Literal(value.name)))


def _duration(months: int) -> Literal:
    return Literal(iso_duration(months), datatype=XSD.duration)
