"""Documents, sections and passages as RDF: the targets every fact's provenance points at.

Passages are W3C Web Annotation specific resources with a text-position selector (character
offsets in the document text) and a text-quote selector, so any fact can be traced back to the
exact place in its source.

A document's ``type`` from sources.yaml is free text: it is kept as written (``kb:documentType``)
and, when it names a concept of the ``documenttypen`` scheme ("raadsbrief" names
Raadsinformatiebrief), that concept too (``kb:documentTypeConcept``). An unknown type makes a
plain document and a warning; an unstated type (the default "document") only a plain document.
"""

from __future__ import annotations

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from kb.extract.common import (
    DOCUMENT_TYPES,
    FactGraph,
    doc_iri,
    document_type,
    passage_iri,
    section_iri,
)
from kb.ingest.model import Document, SourceMeta
from kb.rdf.namespaces import KB, KBI, OA, SCHEMA


def region_iri(name: str) -> URIRef:
    """IRI of a region by its name (as in sources.yaml)."""
    from kb.ingest.passages import slugify

    return KBI[f"region/{slugify(name)}"]


def _meta_value(meta: SourceMeta, name: str) -> str:
    value = {"title": meta.title, "type": meta.doc_type, "date": meta.date, "region": meta.region}
    return str(value.get(name) or "")


def add_documents(facts: FactGraph, docs: list[Document]) -> None:
    """Write every document, section and passage with its selectors (the provenance targets)."""
    g = facts.graph
    plan = facts.vocabulary.concept(DOCUMENT_TYPES, "inkoopplan")
    for doc in docs:
        d = doc_iri(doc.id)
        kind = document_type(facts.vocabulary, doc)
        if kind is None and doc.meta.doc_type != SourceMeta.doc_type:
            facts.warnings.append(
                f"{doc.path.name}: unknown document type {doc.meta.doc_type!r} (sources.yaml "
                f"'type'); read as a plain document. Known types: "
                + ", ".join(c.pref_label.lower() for c in facts.vocabulary.concepts(DOCUMENT_TYPES))
            )
        if kind is not None and kind.iri == plan.iri:
            g.add((d, RDF.type, KB.PurchasingPlan))
        g.add((d, RDF.type, KB.Document))
        g.add((d, DCTERMS.title, Literal(doc.meta.title, lang="nl")))
        g.add((d, KB.documentType, Literal(doc.meta.doc_type)))
        if kind is not None:
            g.add((d, KB.documentTypeConcept, kind.iri))
        g.add((d, KB.fileName, Literal(doc.path.name)))
        g.add((d, KB["format"], Literal(doc.fmt)))
        g.add((d, KB.contentHash, Literal(doc.content_hash)))
        if doc.meta.date:
            g.add((d, DCTERMS.date, Literal(doc.meta.date, datatype=XSD.date)))
        if doc.meta.year:
            g.add((d, KB.year, Literal(doc.meta.year, datatype=XSD.integer)))
        if doc.meta.author:
            g.add((d, DCTERMS.creator, Literal(doc.meta.author)))
        if doc.meta.audience:
            g.add((d, DCTERMS.audience, Literal(doc.meta.audience)))
        if doc.meta.url:
            # Where the original is published: a link for readers, not an identifier.
            g.add((d, SCHEMA.url, Literal(doc.meta.url, datatype=XSD.anyURI)))
        if doc.meta.inferred:
            # Not given by sources.yaml: say so, in the graph and in the build's warnings.
            for name in doc.meta.inferred:
                g.add((d, KB.inferredField, Literal(name)))
            facts.warnings.append(
                f"{doc.path.name}: metadata inferred from the text or file name (not in "
                f"sources.yaml): "
                + "; ".join(f"{name} {_meta_value(doc.meta, name)!r}" for name in doc.meta.inferred)
            )
        if doc.meta.region:
            # The region a document is about exists even when no curated file describes it.
            region = region_iri(doc.meta.region)
            g.add((d, KB.aboutRegion, region))
            g.add((region, RDF.type, KB.Region))
            if (region, RDFS.label, None) not in g:
                g.add((region, RDFS.label, Literal(doc.meta.region, lang="nl")))
        for sec in doc.sections:
            s = section_iri(sec.id)
            g.add((s, RDF.type, KB.Section))
            g.add((s, DCTERMS.isPartOf, d))
            g.add((s, DCTERMS.title, Literal(sec.title, lang="nl")))
            g.add((s, KB.level, Literal(sec.level, datatype=XSD.integer)))
            g.add((s, KB.startOffset, Literal(sec.start, datatype=XSD.integer)))
            g.add((s, KB.endOffset, Literal(sec.end, datatype=XSD.integer)))
            if sec.number:
                g.add((s, KB.sectionNumber, Literal(sec.number)))
            if sec.parent_id:
                g.add((s, KB.parentSection, section_iri(sec.parent_id)))
        for ordinal, sec in enumerate(doc.sections):
            g.add((section_iri(sec.id), KB.ordinal, Literal(ordinal, datatype=XSD.integer)))
        for p in doc.passages:
            pi = passage_iri(p.id)
            g.add((pi, RDF.type, KB.Passage))
            g.add((pi, OA.hasSource, d))
            g.add((pi, KB.inSection, section_iri(p.section_id)))
            g.add((pi, KB.text, Literal(p.text, lang="nl")))
            g.add((pi, KB.ordinal, Literal(p.ordinal, datatype=XSD.integer)))
            g.add((pi, KB.passageKind, Literal(p.kind)))
            if p.page:
                g.add((pi, KB.page, Literal(p.page, datatype=XSD.integer)))
            pos = URIRef(f"{pi}/position")
            g.add((pi, OA.hasSelector, pos))
            g.add((pos, RDF.type, OA.TextPositionSelector))
            g.add((pos, OA.start, Literal(p.start, datatype=XSD.integer)))
            g.add((pos, OA.end, Literal(p.end, datatype=XSD.integer)))
            quote = URIRef(f"{pi}/quote")
            g.add((pi, OA.hasSelector, quote))
            g.add((quote, RDF.type, OA.TextQuoteSelector))
            g.add((quote, OA.exact, Literal(p.text[:200])))
            for note in p.footnotes:
                g.add((pi, KB.footnote, Literal(note, lang="nl")))
