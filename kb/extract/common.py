"""Shared machinery of the extractors: IRIs, provenance and typed items.

Every fact an extractor writes goes through :class:`FactGraph`, which attaches provenance the same
way everywhere: ``prov:wasDerivedFrom`` the passage, ``kb:quote`` the exact text,
``kb:startOffset``/``kb:endOffset`` its position in the document text and ``prov:wasGeneratedBy``
the activity that obtained it (:func:`add_method`: the method — document structure, a pattern in
prose or a steward's curation — and the rule's name). It also carries the
domain :class:`~kb.rdf.vocabulary.Vocabulary` (the ontology's concept schemes) that extractors
match headings, prose and document types against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kb.errors import KbError
from kb.ingest.model import Document, Passage, PlacedBlock
from kb.ingest.passages import slugify
from kb.rdf.namespaces import KB, KBI, bind_prefixes
from kb.rdf.vocabulary import Concept, Vocabulary, load_vocabulary


class ExtractionError(KbError):
    """An extractor could not find what it expected; the message says where and what."""


@dataclass(frozen=True)
class Cite:
    """Where a fact comes from: a document, a span of its text and the passage around it."""

    doc: Document
    start: int
    end: int

    @property
    def quote(self) -> str:
        return self.doc.text[self.start : self.end]

    @property
    def passage(self) -> Passage:
        return self.doc.passage_at(self.start)


def cite_block(doc: Document, block: PlacedBlock) -> Cite:
    """Cite a whole block (its own text, without list prefix)."""
    return Cite(doc, block.start, block.end)


def cite_text(doc: Document, quote: str, *, within: tuple[int, int] | None = None) -> Cite:
    """Cite the first occurrence of ``quote`` in the document (or inside ``within``).

    Raises :class:`ExtractionError` when the quote does not occur: a curated fact whose quote is
    not in its source must fail loudly, not silently lose its provenance.
    """
    lo, hi = within or (0, len(doc.text))
    at = doc.text.find(quote, lo, hi)
    if at < 0:
        # Tolerate differences in white space only (line breaks in the conversion).
        pattern = r"\s+".join(re.escape(part) for part in quote.split())
        match = re.compile(pattern).search(doc.text, lo, hi)
        if not match:
            raise ExtractionError(f"{doc.path.name}: quote not found: {quote[:80]!r}")
        return Cite(doc, match.start(), match.end())
    return Cite(doc, at, at + len(quote))


#: How a fact was obtained: the three methods (individuals of ``kb:ExtractionMethod``).
STRUCTURE = "structure"
PROSE = "prose"
CURATION = "curation"
METHODS: dict[str, URIRef] = {
    STRUCTURE: KB.DocumentStructure,
    PROSE: KB.ProsePattern,
    CURATION: KB.StewardCuration,
}


def activity_iri(method: str, rule: str) -> URIRef:
    """``kbi:activity/{method}/{rule}``: one ``prov:Activity`` per method and rule."""
    return KBI[f"activity/{method}/{slugify(rule, 80)}"]


def add_method(graph: Graph, s: URIRef, method: str, rule: str) -> URIRef:
    """Record how ``s`` was obtained: ``prov:wasGeneratedBy`` the activity of ``rule``, which
    is a ``kb:ExtractionActivity`` with its ``kb:method`` and ``kb:ruleName``.

    The one place that writes it, for structure extractors (:meth:`FactGraph.provenance`), the
    prose patterns and curation alike.
    """
    if method not in METHODS:
        raise ValueError(f"unknown extraction method {method!r} (known: {', '.join(METHODS)})")
    activity = activity_iri(method, rule)
    if (activity, RDF.type, KB.ExtractionActivity) not in graph:
        graph.add((activity, RDF.type, KB.ExtractionActivity))
        graph.add((activity, RDF.type, PROV.Activity))
        graph.add((activity, KB.method, METHODS[method]))
        graph.add((activity, KB.ruleName, Literal(rule)))
        graph.add((activity, RDFS.label, Literal(rule)))
    graph.add((s, PROV.wasGeneratedBy, activity))
    return activity


def doc_iri(doc_id: str) -> URIRef:
    return KBI[f"document/{doc_id}"]


def section_iri(section_id: str) -> URIRef:
    doc_id, rest = section_id.split("/s/", 1)
    return KBI[f"section/{doc_id}/{rest}"]


def passage_iri(passage_id: str) -> URIRef:
    doc_id, rest = passage_id.split("/p/", 1)
    return KBI[f"passage/{doc_id}/{rest}"]


def entity_iri(kind: str, *parts: str) -> URIRef:
    """Instance IRI ``kbi:{kind}/{slug}/{slug}…`` built from readable parts."""
    return KBI["/".join([kind, *(slugify(p, 80) for p in parts)])]


def concept_iri(scheme: str, slug: str) -> URIRef:
    return KBI[f"concept/{scheme}/{slug}"]


@dataclass
class FactGraph:
    """An rdflib graph plus helpers that add typed items with provenance.

    ``vocabulary`` defaults to the configured ontology folder; the build passes the one of its
    settings.
    """

    graph: Graph = field(default_factory=Graph)
    warnings: list[str] = field(default_factory=list)
    vocabulary: Vocabulary = field(default_factory=load_vocabulary)
    #: The folder of curated facts and decisions (``Settings.curated_dir``); None: no curation.
    curated_dir: Path | None = None
    #: How the facts written now are obtained (set per extractor by ``run_extractors``).
    method: str = STRUCTURE
    rule: str = "document-structure"

    def __post_init__(self) -> None:
        bind_prefixes(self.graph)

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        """Add one triple; plain Python values become typed literals."""
        if o is None:
            return
        if not isinstance(o, URIRef | Literal):
            o = Literal(o)
        self.graph.add((s, p, o))

    def text(self, s: URIRef, p: URIRef, value: str) -> None:
        """Add a Dutch text literal (white space normalised)."""
        self.graph.add((s, p, Literal(" ".join(value.split()), lang="nl")))

    def provenance(
        self, s: URIRef, cite: Cite, *, method: str | None = None, rule: str | None = None
    ) -> None:
        """Link a fact to its passage, quote and offsets, and to how it was obtained (the
        current :attr:`method` and :attr:`rule` unless given)."""
        self.graph.add((s, PROV.wasDerivedFrom, passage_iri(cite.passage.id)))
        self.graph.add((s, KB.quote, Literal(cite.quote)))
        self.graph.add((s, KB.startOffset, Literal(cite.start, datatype=XSD.integer)))
        self.graph.add((s, KB.endOffset, Literal(cite.end, datatype=XSD.integer)))
        add_method(self.graph, s, method or self.method, rule or self.rule)

    def derived_from(self, s: URIRef, cite: Cite) -> None:
        """Link an entity to one more passage it is derived from (no quote: a stakeholder named
        in several places), with how it was obtained."""
        self.graph.add((s, PROV.wasDerivedFrom, passage_iri(cite.passage.id)))
        add_method(self.graph, s, self.method, self.rule)

    def item(
        self,
        iri: URIRef,
        cls: URIRef,
        text: str,
        cite: Cite,
        *,
        ordinal: int | None = None,
        label: str | None = None,
        sub_items: list[str] | None = None,
    ) -> URIRef:
        """Add a typed item with its full text, a label, an order and provenance."""
        self.graph.add((iri, RDF.type, cls))
        self.text(iri, KB.text, text)
        self.text(iri, RDFS.label, label or short_label(text))
        if ordinal is not None:
            self.graph.add((iri, KB.ordinal, Literal(ordinal, datatype=XSD.integer)))
        for sub in sub_items or []:
            self.text(iri, KB.subItem, sub)
        self.provenance(iri, cite)
        return iri

    def concept_ref(self, s: URIRef, p: URIRef, scheme: str, slug: str) -> None:
        self.graph.add((s, p, concept_iri(scheme, slug)))

    def label(self, s: URIRef, value: str, lang: str = "nl") -> None:
        self.graph.add((s, RDFS.label, Literal(value, lang=lang)))

    def pref_label(self, s: URIRef, value: str) -> None:
        self.graph.add((s, SKOS.prefLabel, Literal(value, lang="nl")))


#: The scheme of document types (``type`` in sources.yaml is matched against its labels).
DOCUMENT_TYPES = "documenttypen"


def document_type(vocabulary: Vocabulary, doc: Document) -> Concept | None:
    """The concept the document's ``type`` (free text from sources.yaml) names, or None."""
    return vocabulary.match(DOCUMENT_TYPES, doc.meta.doc_type)


def is_document_type(facts: FactGraph, doc: Document, slug: str) -> bool:
    """Whether the document's type is the concept ``slug`` of the document-type scheme
    (``"inkoopplan"`` also holds for a type written "Inkoopstrategie" or "inkoopkader")."""
    found = document_type(facts.vocabulary, doc)
    return found is not None and found.iri == facts.vocabulary.concept(DOCUMENT_TYPES, slug).iri


def short_label(text: str, max_words: int = 14) -> str:
    """A readable label: the first sentence, cut at ``max_words`` words."""
    first = re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    words = first.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]) + " …"
    return first.rstrip(".:;")
