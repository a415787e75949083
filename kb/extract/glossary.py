"""Glossaries of any document as a SKOS concept scheme (NL-SBB).

A glossary is the table under a section titled ``Begrippenkader`` (the Holland Rijnland plan's
chapter 7: ``Begrip | Omschrijving``, one row per term; a definition may run over several lines
and hold bullets), or, anywhere in a document, a table of the *shape* "term | definition": two
columns, at least two rows below its header, every term short (at most
:data:`MAX_TERM_WORDS` words, no sentence end) and every definition a phrase of at least
:data:`MIN_DEFINITION_WORDS` words. Key-value tables ("Kenmerk | RIB 2025-014", "Inkoopprocedure
| Open house") and planning tables have short values and are not glossaries.

A term another document already defined (the same slug, another source) gets an IRI qualified by
its document, so that each concept keeps one definition from one source.

What is written, per term
    ``skos:Concept`` at ``concept_iri("begrippenkader", slug)`` with ``skos:inScheme``
    ``kbi:scheme/begrippenkader``, ``skos:prefLabel`` and ``skos:definition`` (@nl, white space
    normalised), ``dct:source`` the document and provenance on the table row (passage, quote,
    offsets). The slug is that of the term without a parenthesised abbreviation
    (``Ontwikkelingsperspectiefplan (OPP)`` → ``ontwikkelingsperspectiefplan``), so it stays the
    same when the labels are rearranged by the rules below.

Abbreviations (NL-SBB: the preferred label is the term a reader should use; abbreviations are
alternative labels)
    1. *Abbreviation with its expansion as definition*: the term is short (≤ 6 characters, no
       space), written in capitals (a lower-case letter is allowed after the first two, for terms
       such as ``WLZ``/``Wlz``), and the definition is a short expansion (≤ 8 words, a single
       phrase: no full stop inside it; one trailing full stop is tolerated, as in
       ``POH | Praktijkondersteuner Huisarts.``). Then ``prefLabel`` = the expansion (without the
       trailing stop), ``altLabel`` = the abbreviation, and the definition stays as written.
       ``CIZ | Centrum Indicatiestelling Zorg`` → prefLabel "Centrum Indicatiestelling Zorg",
       altLabel "CIZ".
    2. *Abbreviation in brackets in the term*: ``Trajectzorgberaad Complexe Casuïstiek (TCC)`` →
       prefLabel without the brackets, altLabel "TCC".
    3. *Abbreviation in brackets in the definition, right after the term*: ``Op de
       Jeugdbeschermingstafel (JBT) wordt …`` → altLabel "JBT" for ``Jeugdbeschermingstafel``.
    4. *Abbreviation term whose definition starts with its expansion*: the capitalised words at
       the start of the definition whose initials spell the abbreviation
       (``OOGO | Op Overeenstemming Gericht Overleg tussen …``) become an altLabel; the term stays
       the prefLabel because the definition is a sentence, not an expansion.

Links to the abbreviation scheme
    When ``ontology/abbreviations.ttl`` exists at run time and holds a concept at
    ``concept_iri("afkortingen", <abbreviation in lower case, slugified>)``, the glossary concept
    gets ``skos:closeMatch`` to it (close, not exact: the glossary defines a term in this plan's
    context, the abbreviation list only expands it).

A row with an empty first cell continues the definition of the row above. A term that occurs
twice keeps the first definition and is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kb.extract.common import (
    Cite,
    ExtractionError,
    FactGraph,
    cite_text,
    concept_iri,
    doc_iri,
    is_document_type,
)
from kb.ingest.model import Document, PlacedBlock
from kb.ingest.passages import render_table_row, slugify
from kb.rdf.namespaces import SCHEME_GLOSSARY
from kb.resources import ontology_dir

SCHEME = "begrippenkader"
#: A glossary table's term is a name: a few words.
MAX_TERM_WORDS = 6
#: A glossary table's definition is a phrase: more than a value or a date.
MIN_DEFINITION_WORDS = 4
SECTION_RE = re.compile(r"^\s*begrippen(kader|lijst)\b", re.I)
HEADER_TERMS = {"begrip", "term", "begrippen"}
#: Where the abbreviation scheme is expected (written by another part of the project).
ABBREVIATIONS_FILE = ontology_dir() / "abbreviations.ttl"

_ABBR_RE = re.compile(r"^[A-Z][A-Z0-9][A-Za-z0-9]{0,4}$")
_PAREN_ABBR_RE = re.compile(r"\s*\(([A-Z][A-Za-z0-9]{1,7})\)\s*$")
_MAX_ABBR_CHARS = 6
_MAX_EXPANSION_WORDS = 8


@dataclass
class Term:
    """One glossary row, with its labels worked out."""

    term: str
    definition: str
    cite: Cite
    pref_label: str = ""
    alt_labels: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return slugify(_PAREN_ABBR_RE.sub("", self.term).strip() or self.term)


def is_abbreviation(term: str) -> bool:
    """``CIZ``, ``WLZ``, ``OOGO`` (short, no space, capitals first); not ``Crisis``."""
    return len(term) <= _MAX_ABBR_CHARS and " " not in term and bool(_ABBR_RE.match(term))


def expansion_of(definition: str) -> str | None:
    """The definition as an expansion (rule 1) or ``None`` when it reads as a sentence."""
    text = " ".join(definition.split())
    if text.endswith("."):
        text = text[:-1].rstrip()
    if not text or "." in text or len(text.split()) > _MAX_EXPANSION_WORDS:
        return None
    return text


def initials_expansion(abbreviation: str, definition: str) -> str | None:
    """Rule 4: the leading words of the definition whose initials spell the abbreviation."""
    words = " ".join(definition.split()).split()
    letters = abbreviation.upper()
    if len(words) < len(letters):
        return None
    head = words[: len(letters)]
    if all(w[:1].upper() == ch and w[:1].isupper() for w, ch in zip(head, letters, strict=True)):
        return " ".join(head)
    return None


def labels(term: str, definition: str) -> tuple[str, list[str]]:
    """prefLabel and altLabels of a term by the rules of the module docstring."""
    alt: list[str] = []
    pref = term
    bracket = _PAREN_ABBR_RE.search(term)
    if bracket:  # rule 2
        pref = term[: bracket.start()].strip()
        alt.append(bracket.group(1))
    elif is_abbreviation(term):
        expansion = expansion_of(definition)
        if expansion:  # rule 1
            pref = expansion
            alt.append(term)
        else:  # rule 4
            leading = initials_expansion(term, definition)
            if leading:
                alt.append(leading)
    # Rule 3: "<term> (ABBR)" inside the definition.
    base = re.escape(pref)
    for match in re.finditer(rf"\b{base}\s*\(([A-Z][A-Za-z0-9]{{1,7}})\)", definition, re.I):
        if match.group(1) not in alt and match.group(1) != pref:
            alt.append(match.group(1))
    return pref, alt


def find_glossary(doc: Document) -> list[PlacedBlock]:
    """The tables directly under a section titled ``Begrippenkader`` (or ``Begrippenlijst``),
    else every table of the shape "term | definition" (see the module docstring)."""
    for section in doc.sections:
        if SECTION_RE.match(section.title):
            tables = [b for b in doc.blocks_in(section.id, deep=False) if b.kind == "table"]
            if tables:
                return tables
    return [b for b in doc.blocks if b.kind == "table" and is_glossary_shape(b.block.rows)]


def is_glossary_shape(rows: tuple[tuple[str, ...], ...]) -> bool:
    """Two columns; below the header row, short terms and definitions that are phrases."""
    if not rows or any(len([c for c in row if c.strip()]) > 2 for row in rows):
        return False
    body = [(row[0].strip(), " ".join(c.strip() for c in row[1:])) for row in rows[1:]]
    body = [(term, definition) for term, definition in body if term]
    return len(body) >= 2 and all(
        len(term.split()) <= MAX_TERM_WORDS
        and not term.endswith((".", ";", ":"))
        and len(definition.split()) >= MIN_DEFINITION_WORDS
        for term, definition in body
    )


def read_terms(doc: Document, tables: list[PlacedBlock], warnings: list[str]) -> list[Term]:
    """The glossary rows as terms, each citing its own row of the document text."""
    terms: list[Term] = []
    for block in tables:
        cursor = block.start
        for i, row in enumerate(block.block.rows):
            try:
                cite = cite_text(doc, render_table_row(row), within=(cursor, block.end))
            except ExtractionError as exc:
                warnings.append(f"glossary: {exc}; row skipped")
                continue
            cursor = cite.end
            cells = [c.strip() for c in row]
            if i == 0 and (cells[0].lower() in HEADER_TERMS or is_glossary_shape(block.block.rows)):
                continue  # header row "Begrip | Omschrijving", "Term | Definitie"
            if len(cells) < 2 or not any(cells):
                continue
            term, definition = cells[0], " ".join(c for c in cells[1:] if c)
            if not term:
                if terms and definition:  # a continuation row of the definition above
                    terms[-1].definition += "\n" + definition
                continue
            if not definition:
                warnings.append(f"glossary: {doc.path.name}: term {term!r} has no definition")
                continue
            terms.append(Term(term, definition, cite))
    return terms


@lru_cache(maxsize=4)
def _abbreviation_concepts(path: str, mtime: float) -> frozenset[str]:
    """IRIs of the concepts in the abbreviation file (cached per file version)."""
    graph = Graph()
    graph.parse(path)
    return frozenset(str(s) for s in graph.subjects(RDF.type, SKOS.Concept))


def abbreviation_concept(abbreviation: str, path: Path | None = None) -> URIRef | None:
    """The abbreviation scheme's concept for ``abbreviation``, if that file defines it.

    The file is looked up at call time (not import time): it is written by another part of the
    project and may appear or change between builds.
    """
    path = path or ABBREVIATIONS_FILE
    if not path.is_file():
        return None
    candidate = concept_iri("afkortingen", slugify(abbreviation.lower()))
    try:
        known = _abbreviation_concepts(str(path), path.stat().st_mtime)
    except Exception:  # noqa: BLE001 - a broken file written by someone else must not stop us
        return None
    return candidate if str(candidate) in known else None


def extract(docs: list[Document], facts: FactGraph) -> None:
    """One SKOS concept per glossary row of every document that has a glossary."""
    for doc in docs:
        tables = find_glossary(doc)
        if not tables:
            if is_document_type(facts, doc, "inkoopplan"):
                facts.warnings.append(
                    f"glossary: {doc.path.name}: no section 'Begrippenkader' with a table and "
                    "no 'term | definition' table found"
                )
            continue
        terms = read_terms(doc, tables, facts.warnings)
        if not terms:
            facts.warnings.append(f"glossary: {doc.path.name}: the Begrippenkader table is empty")
            continue
        facts.add(SCHEME_GLOSSARY, RDF.type, SKOS.ConceptScheme)
        seen: dict[str, str] = {}
        for term in terms:
            if term.slug in seen:
                facts.warnings.append(
                    f"glossary: {doc.path.name}: term {term.term!r} occurs again "
                    f"(first as {seen[term.slug]!r}); the first definition is kept"
                )
                continue
            seen[term.slug] = term.term
            _write(facts, doc, term)


def _write(facts: FactGraph, doc: Document, term: Term) -> URIRef:
    pref, alts = labels(term.term, term.definition)
    iri = concept_iri(SCHEME, term.slug)
    sources = set(facts.graph.objects(iri, DCTERMS.source))
    if sources and doc_iri(doc.id) not in sources:
        # Another document defines this term too: each definition keeps its own concept.
        iri = concept_iri(SCHEME, f"{term.slug}--{slugify(doc.id, 60)}")
    facts.add(iri, RDF.type, SKOS.Concept)
    facts.add(iri, SKOS.inScheme, SCHEME_GLOSSARY)
    facts.pref_label(iri, pref)
    facts.text(iri, SKOS.definition, term.definition)
    for alt in alts:
        facts.add(iri, SKOS.altLabel, Literal(alt, lang="nl"))
        if alt.replace(" ", "").isalnum() and is_abbreviation(alt):
            match = abbreviation_concept(alt)
            if match is not None:
                facts.add(iri, SKOS.closeMatch, match)
    facts.add(iri, DCTERMS.source, doc_iri(doc.id))
    facts.provenance(iri, term.cite)
    return iri
