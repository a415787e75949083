"""Concepts of the glossary (begrippenkader) and the abbreviation list, with their sources, and
the vocabulary browser's entries: concepts that name the same thing merged, their relations and
the passages that use them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from rdflib import Graph

from kb.rdf.namespaces import KBI, SCHEME_GLOSSARY
from kb.rdf.vocabulary import fold
from kb.views.documents import Passage
from kb.views.query import iri, rows

SCHEME_ABBREVIATIONS = KBI["scheme/afkortingen"]


@dataclass
class Concept:
    """A glossary or abbreviation concept: label, abbreviations (altLabels), definition."""

    iri: str
    label: str
    scheme: str
    definition: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    notation: str | None = None
    source_document: str | None = None
    source_text: str | None = None
    passage: str | None = None


def load_concepts(
    graph: Graph,
    schemes: tuple[str, ...] = (str(SCHEME_GLOSSARY), str(SCHEME_ABBREVIATIONS)),
    document: str | None = None,
) -> dict[str, Concept]:
    """The concepts of ``schemes`` by IRI, sorted by label (case-insensitive); with
    ``document`` (a document IRI) only those defined in that document (``dct:source``, or a
    passage of it they are derived from)."""
    values = " ".join(iri(s) for s in schemes)
    # A plan's glossary is its own: another region's document may define the same word otherwise.
    # The document's concepts are found from the document (its source, its passages) first: a
    # filter over every concept of the scheme cost time in proportion to all documents, per plan.
    own = (
        f"""{{ SELECT DISTINCT ?c WHERE {{ {{ ?c dct:source {iri(document)} }} UNION
          {{ ?own oa:hasSource {iri(document)} . ?c prov:wasDerivedFrom ?own }} }} }}"""
        if document
        else ""
    )
    found = rows(
        graph,
        f"""SELECT ?c ?scheme ?l ?def ?notation ?src (MIN(COALESCE(STR(?p), "")) AS ?pas)
          (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?alts) WHERE {{
          {own}
          VALUES ?scheme {{ {values} }}
          ?c skos:inScheme ?scheme ; skos:prefLabel ?l . FILTER(LANGMATCHES(LANG(?l), "nl"))
          OPTIONAL {{ ?c skos:definition ?def FILTER(LANGMATCHES(LANG(?def), "nl")) }}
          OPTIONAL {{ ?c skos:notation ?notation }} OPTIONAL {{ ?c skos:altLabel ?alt }}
          OPTIONAL {{ ?c dct:source ?src }} OPTIONAL {{ ?c prov:wasDerivedFrom ?p }}
        }} GROUP BY ?c ?scheme ?l ?def ?notation ?src""",
    )
    concepts: dict[str, Concept] = {}
    for r in found:
        src = r["src"]
        is_doc = isinstance(src, str) and src.startswith(str(KBI["document/"]))
        concepts.setdefault(
            r["c"],
            Concept(
                iri=r["c"],
                label=r["l"],
                scheme=r["scheme"],
                definition=r["def"],
                alt_labels=sorted(a for a in (r["alts"] or "").split("\u001f") if a),
                notation=r["notation"],
                source_document=src if is_doc else None,
                source_text=None if is_doc else src,
                passage=r["pas"] or None,
            ),
        )
    return dict(sorted(concepts.items(), key=lambda kv: (kv[1].label.lower(), kv[0])))


def load_glossary(graph: Graph, document: str | None = None) -> list[Concept]:
    """The glossary (begrippenkader) by label: of every document, or only the concepts defined
    in ``document`` (a plan's IRI)."""
    return list(load_concepts(graph, (str(SCHEME_GLOSSARY),), document).values())


# --- the vocabulary browser: concepts that name the same thing, merged --------------------


@dataclass
class GlossaryEntry:
    """One entry of the vocabulary browser: the concepts of the glossary and the abbreviation
    list that name the same thing (same label up to case and inflection, or one's label is the
    other's abbreviation), merged into one, as Skosmos shows one concept per page.

    ``iri`` is the primary concept (the one a document defines, if any); ``members`` are all
    merged concepts, the primary first. ``definition`` is the first definition that says more
    than the term itself, ``passage`` where it comes from (None for a curated one).
    """

    iri: str
    label: str
    members: list[Concept]
    alt_labels: list[str] = field(default_factory=list)
    notation: str | None = None
    definition: str | None = None
    definition_from: str | None = None  # IRI of the member whose definition is shown
    passage: str | None = None
    broader: list[str] = field(default_factory=list)
    narrower: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)

    @property
    def terms(self) -> list[str]:
        """The label and every abbreviation or other spelling (each once)."""
        return [self.label, *self.alt_labels]

    @property
    def letter(self) -> str:
        """The A–Z index letter: the label's first letter without accents; "#" for a digit."""
        first = fold(self.label)[:1].upper()
        return first if first.isalpha() else "#"


def term_key(text: str) -> tuple[str, ...]:
    """A term up to case, accents, spacing and inflection: "Gecertificeerde Instelling" and
    "Gecertificeerde instellingen" give the same key (Snowball stems of the folded words)."""
    words = re.findall(r"\w+", fold(text))
    return tuple(_stemmer().stemWord(w) for w in words)


def repeats_term(definition: str, terms: list[str]) -> bool:
    """True when a definition only repeats the term or one of its spellings ("Wet Langdurige
    Zorg" as the definition of WLZ): it says nothing a reader does not see already."""
    key = term_key(definition)
    return not key or any(key == term_key(t) for t in terms)


def merge_concepts(concepts: dict[str, Concept], graph: Graph | None = None) -> list[GlossaryEntry]:
    """Merge ``concepts`` (see :class:`GlossaryEntry`) and sort the entries by label; with
    ``graph``, fill in broader, narrower and related entries where the graph states them."""
    items = list(concepts.values())
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_label: dict[tuple[str, ...], int] = {}
    for i, c in enumerate(items):
        key = term_key(c.label)
        if key in by_label:
            parent[find(i)] = find(by_label[key])
        else:
            by_label[key] = i
    # A concept whose label is another's abbreviation ("OOGO") is that concept. Abbreviations
    # compare exactly (up to case): "GI" must not match "Gi…" by stem.
    by_abbreviation: dict[str, int] = {}
    for i, c in enumerate(items):
        for alt in [*c.alt_labels, *([c.notation] if c.notation else [])]:
            by_abbreviation.setdefault(fold(alt), i)
    for i, c in enumerate(items):
        j = by_abbreviation.get(fold(c.label))
        if j is not None:
            parent[find(i)] = find(j)

    groups: dict[int, list[Concept]] = {}
    for i, c in enumerate(items):
        groups.setdefault(find(i), []).append(c)
    entries = [_entry(members) for members in groups.values()]
    entries.sort(key=lambda e: (fold(e.label), e.iri))
    if graph is not None:
        _add_relations(graph, entries)
    return entries


def _entry(members: list[Concept]) -> GlossaryEntry:
    # The concept a document defines comes first: it has a passage to link to.
    members = sorted(
        members,
        key=lambda c: (c.passage is None, c.scheme != str(SCHEME_GLOSSARY), fold(c.label), c.iri),
    )
    primary = members[0]
    terms: list[str] = []
    seen: set[str] = set()
    # Curated spellings first: "Wlz" (the abbreviation list) wins over "WLZ" (one document).
    for c in sorted(members, key=lambda c: c.scheme != str(SCHEME_ABBREVIATIONS)):
        for t in [c.label, *([c.notation] if c.notation else []), *c.alt_labels]:
            t = " ".join(t.split())
            if t and fold(t) not in seen:
                seen.add(fold(t))
                terms.append(t)
    alt_labels = [t for t in terms if fold(t) != fold(primary.label)]
    notation = next(
        (c.notation for c in members if c.notation),
        next((t for t in alt_labels if _is_abbreviation(t)), None),
    )
    entry = GlossaryEntry(
        iri=primary.iri,
        label=primary.label,
        members=members,
        alt_labels=[t for t in alt_labels if term_key(t) != term_key(primary.label)],
        notation=notation,
    )
    for c in members:
        if c.definition and not repeats_term(c.definition, [primary.label, *terms]):
            entry.definition = c.definition
            entry.definition_from = c.iri
            entry.passage = c.passage
            break
    return entry


def _is_abbreviation(term: str) -> bool:
    """An abbreviation: one word with more than one capital or a digit ("GI", "Wlz" is not)."""
    return " " not in term and sum(ch.isupper() or ch.isdigit() for ch in term) > 1


def _add_relations(graph: Graph, entries: list[GlossaryEntry]) -> None:
    """broader, narrower and related between entries, as the graph states them between any of
    their members (each stated direction read both ways: broader is the inverse of narrower)."""
    entry_of = {c.iri: e for e in entries for c in e.members}
    if not entry_of:
        return
    values = " ".join(iri(i) for i in entry_of)
    found = rows(
        graph,
        f"""SELECT ?a ?rel ?b WHERE {{
          VALUES ?a {{ {values} }}
          VALUES ?rel {{ skos:broader skos:narrower skos:related }}
          ?a ?rel ?b }}""",
    )
    for r in found:
        a, b = entry_of.get(r["a"]), entry_of.get(r["b"])
        if a is None or b is None or a is b:
            continue
        kind = r["rel"].rsplit("#", 1)[-1]
        pairs = {
            "broader": ((a.broader, b), (b.narrower, a)),
            "narrower": ((a.narrower, b), (b.broader, a)),
            "related": ((a.related, b), (b.related, a)),
        }[kind]
        for target, other in pairs:
            if other.iri not in target:
                target.append(other.iri)


def concept_usage(
    entries: list[GlossaryEntry], passages: dict[str, Passage]
) -> dict[str, list[str]]:
    """Where each entry's terms occur: entry IRI → IRIs of the passages that use one of its
    labels or abbreviations as a whole word, in passage order, the entry's own definition left out.

    Labels compare without case; abbreviations exactly ("GI" is not "gi", "Wlz" not "wlz").
    """
    ordered = sorted(passages.values(), key=lambda p: (p.document, p.ordinal))
    usage: dict[str, list[str]] = {}
    for entry in entries:
        # Every member's spelling counts: "Gecertificeerde Instelling" is used where the entry
        # is "Gecertificeerde instellingen".
        labels = {entry.label, *(c.label for c in entry.members)}
        alts = {*entry.alt_labels, *(t for c in entry.members for t in c.alt_labels)}
        pattern = _usage_pattern(sorted(labels), sorted(alts))
        if pattern is None:
            continue
        own = {c.passage for c in entry.members if c.passage}
        usage[entry.iri] = [p.iri for p in ordered if p.iri not in own and pattern.search(p.text)]
    return usage


def _usage_pattern(labels: list[str], alt_labels: list[str]) -> re.Pattern[str] | None:
    """A regex for a term's uses: labels and multi-word spellings in any case, one-word
    abbreviations and spellings ("GI", "Wlz") exactly as written."""
    exact = {t for t in [*labels, *alt_labels] if _is_abbreviation(t)}
    exact |= {t for t in alt_labels if " " not in t.strip()}
    loose = {t for t in [*labels, *alt_labels] if t not in exact}
    parts = [re.escape(t) for t in sorted(exact, key=len, reverse=True) if t.strip()]
    parts += [f"(?i:{re.escape(t)})" for t in sorted(loose, key=len, reverse=True) if t.strip()]
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


@functools.lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("dutch")
