"""Financial caveats of a purchasing plan: efficiency cuts, indexation, risk equalisation and
amounts "onder voorbehoud", read from the plan's sentences.

A council deciding on a plan's financial framework needs the plan's own qualifications of it.
Every sentence of a purchasing plan (document type ``inkoopplan`` and its variants) that names a
concept of the scheme ``financiele-kanttekeningen`` (``ontology/council.ttl``; the cue words live
only there) becomes a ``kb:FinancialCaveat``: ``kb:caveatKind`` the concept, ``kb:text`` the
sentence, ``kb:inDocument`` and ``kb:aboutRegion`` the plan's, and the usual provenance (quote,
offsets, passage, the prose rule). Consecutive sentences of one passage that name the same kind
are one caveat (their quote is the contiguous span, so it stays verbatim). A line that is only
a title ("Indexatie en efficiencykorting") is no caveat; table passages (the budget lines) are
left to :mod:`kb.extract.finance`.
"""

from __future__ import annotations

from rdflib import RDF, URIRef

from kb.extract.common import PROSE, Cite, FactGraph, doc_iri, entity_iri, is_document_type
from kb.extract.documents import region_iri
from kb.extract.prose.rules import sentences
from kb.ingest.model import Document
from kb.rdf.namespaces import KB

#: The scheme whose labels are the cue words.
SCHEME = "financiele-kanttekeningen"
#: The document type (concept slug in ``documenttypen``) whose caveats are read.
DOC_TYPE = "inkoopplan"
#: The rule's name in the facts' provenance (a pattern in prose, whoever calls the extractor).
RULE = "financiele-kanttekeningen"
#: A sentence shorter than this is a title line, not a statement.
MIN_WORDS = 5


def caveat_iri(doc: Document, n: int) -> URIRef:
    """``kbi:caveat/{document id}/{n}``."""
    return entity_iri("caveat", doc.id, str(n))


def find_caveats(doc: Document, facts: FactGraph) -> list[tuple[str, int, int]]:
    """(concept slug, start, end) in document offsets of every caveat of ``doc``, in order."""
    vocabulary = facts.vocabulary
    found: list[tuple[str, int, int]] = []
    for passage in doc.passages:
        if passage.kind == "table":
            continue
        previous: tuple[str, int, int] | None = None
        for lo, hi in sentences(passage.text):
            sentence = passage.text[lo:hi]
            if len(sentence.split()) < MIN_WORDS:
                previous = None
                continue
            named = vocabulary.named(SCHEME, sentence)
            if not named:
                previous = None
                continue
            slug = str(named[0].iri).rsplit("/", 1)[-1]
            start, end = passage.start + lo, passage.start + hi
            if previous and previous[0] == slug:
                # The next sentence about the same caveat: one fact, one contiguous quote.
                previous = (slug, previous[1], end)
                found[-1] = previous
            else:
                previous = (slug, start, end)
                found.append(previous)
    return found


def extract(docs: list[Document], facts: FactGraph) -> None:
    """Every financial caveat of every purchasing plan, with its quote and passage."""
    for doc in docs:
        if not is_document_type(facts, doc, DOC_TYPE):
            continue
        document = doc_iri(doc.id)
        for n, (slug, start, end) in enumerate(find_caveats(doc, facts), start=1):
            cite = Cite(doc, start, end)
            s = caveat_iri(doc, n)
            facts.graph.add((s, RDF.type, KB.FinancialCaveat))
            facts.concept_ref(s, KB.caveatKind, SCHEME, slug)
            facts.text(s, KB.text, cite.quote)
            facts.add(s, KB.ordinal, n)
            facts.add(s, KB.inDocument, document)
            if doc.meta.region:
                facts.add(s, KB.aboutRegion, region_iri(doc.meta.region))
            facts.provenance(s, cite, method=PROSE, rule=RULE)
