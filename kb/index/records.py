"""Retrieval records: what search indexes, read from a build's RDF graph.

One :class:`Record` per passage, with the same passage id as in the graph, its document (id,
title, type, year, region), its section path (chapter titles from the top down), the segment(s)
and rubric it sits under and the knowledge-graph entities it belongs to. Search embeds and
indexes :meth:`Record.indexed_text` - a context header (document title › section path, plus
segment and region) before the passage text - so a passage under "Bekostigingsmodel" of segment
Wonen is found by a question that names Wonen; hits show the passage text only.

Entity links come from the graph and degrade gracefully: with no extracted facts a record still
gets its region (from the document) and its segment (from a "SEGMENT n: NAME" section title).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from kb.rdf.namespaces import SCHEME_DOCUMENT_TYPES
from kb.rdf.vocabulary import Vocabulary, load_vocabulary

#: The scheme whose labels name the rubric a section stands for.
RUBRICS = "rubrieken"

_SEGMENT_TITLE_RE = re.compile(r"^\s*segment\s*(\d+)\s*[:.\-–]\s*(.+?)\s*$", re.I)

#: Schemes whose concepts a query does not link to: document types describe sources, not what
#: they say ("artikel", "brief" in a question are content words; search filters on doc_type).
_NOT_LINKED_SCHEMES = frozenset({str(SCHEME_DOCUMENT_TYPES)})

#: rdf:type → entity kind shown on hits and used by filters.
ENTITY_KINDS = {
    "Segment": "segment",
    "Region": "region",
    "Subregion": "region",
    "Municipality": "municipality",
    "Stakeholder": "stakeholder",
}


def with_footnotes(text: str, footnotes: list[str]) -> str:
    """A passage's text followed by its footnotes, one "Voetnoot: …" line each."""
    return "\n".join([text, *(f"Voetnoot: {note}" for note in footnotes)])


@dataclass
class Entity:
    """A knowledge-graph entity a query can name: IRI, kind, preferred label and other labels."""

    iri: str
    kind: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    scheme: str = ""
    #: Names in another language than Dutch (``@en``): a query may use them, but they are never
    #: added to a Dutch query as expansion.
    other_labels: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Record:
    """One passage as search sees it."""

    id: str
    iri: str
    doc_id: str
    doc_iri: str
    doc_title: str
    doc_type: str
    year: int | None
    region: str
    region_iri: str
    section_id: str
    section_path: list[str]
    start: int
    end: int
    text: str
    segments: list[str] = field(default_factory=list)
    rubric: str = ""
    entities: list[dict[str, str]] = field(default_factory=list)
    doc_hash: str = ""
    #: Keys of the entity names the passage text holds (:func:`kb.search.linking.name_key`;
    #: names, not entity IRIs, as many entities share a name); with :attr:`entities` they decide
    #: which passages a query's entities boost.
    mentions: list[str] = field(default_factory=list)
    #: Footnotes whose reference mark sits in the passage: part of the passage for search (a
    #: definition often lives in a footnote), shown with the hit.
    footnotes: list[str] = field(default_factory=list)
    #: The kinds of value the passage states (slugs of the ``antwoordsoorten`` scheme: a number
    #: or amount, a date or duration; :mod:`kb.index.value_kinds`): a question that asks for one
    #: ranks passages without it lower.
    answer_kinds: list[str] = field(default_factory=list)

    def header(self) -> str:
        """The context header: document title › section path (+ segment, region, year)."""
        parts = [self.doc_title, *self.section_path]
        head = " › ".join(p for p in parts if p)
        extra = []
        path_text = " ".join(self.section_path).lower()
        for seg in self.segments:
            if seg.lower() not in path_text:
                extra.append(f"segment {seg}")
        if self.rubric and self.rubric.lower() not in path_text:
            extra.append(self.rubric)
        if self.region:
            extra.append(self.region)
        if extra:
            head += " (" + ", ".join(extra) + ")"
        return head

    def full_text(self) -> str:
        """The passage text followed by its footnotes (what a hit answers with)."""
        return with_footnotes(self.text, self.footnotes)

    def indexed_text(self, *, with_header: bool = True) -> str:
        """What is embedded and indexed."""
        return f"{self.header()}\n{self.full_text()}" if with_header else self.full_text()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(**data)


def _q(graph: Any, sparql: str) -> list[tuple[Any, ...]]:
    from kb.rdf.store import query

    return [tuple(row) for row in query(graph, sparql)]


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def passage_id_from_iri(iri: str) -> str:
    """``kbi:passage/{doc}/{digest}`` → ``{doc}/p/{digest}`` (the :class:`kb.ingest.model.Passage`
    id)."""
    rest = iri.split("/id/passage/", 1)[1]
    doc_id, digest = rest.rsplit("/", 1)
    return f"{doc_id}/p/{digest}"


def _doc_id_from_iri(iri: str) -> str:
    return iri.split("/id/document/", 1)[1] if "/id/document/" in iri else iri.rsplit("/", 1)[-1]


def _nice(label: str) -> str:
    """``WONEN`` → ``Wonen`` (headings in capitals read badly in hits)."""
    return label[:1].upper() + label[1:].lower() if label.isupper() else label


def load_entities(graph: Any) -> list[Entity]:
    """Entities a query can link to: segments, regions, municipalities, stakeholders, concepts."""
    entities: dict[str, Entity] = {}
    rows = _q(
        graph,
        """
        SELECT ?e ?type ?label WHERE {
          VALUES ?type { kb:Segment kb:Region kb:Subregion kb:Municipality kb:Stakeholder }
          ?e a ?type ; rdfs:label ?label .
        }""",
    )
    for e, typ, label in rows:
        kind = ENTITY_KINDS[str(typ).rsplit("#", 1)[-1]]
        ent = entities.setdefault(str(e), Entity(str(e), kind, str(label)))
        if str(label) != ent.label and str(label) not in ent.alt_labels:
            ent.alt_labels.append(str(label))
    rows = _q(
        graph,
        """
        SELECT ?c ?name ?pref ?scheme WHERE {
          ?c a skos:Concept .
          { ?c skos:prefLabel ?name BIND (true AS ?pref) }
          UNION { ?c skos:altLabel ?name BIND (false AS ?pref) }
          OPTIONAL { ?c skos:inScheme ?scheme }
        }""",
    )
    names: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    schemes: dict[str, str] = {}
    for c, name, pref, scheme in rows:
        lang = (getattr(name, "language", None) or "").lower()
        dutch = lang in ("", "nl") or lang.startswith("nl-")
        # Dutch preferred label first, then Dutch alternatives, then other languages.
        rank = (0 if dutch else 2) + (0 if str(pref) == "true" else 1)
        names[str(c)].append((rank, str(name), "nl" if dutch else lang))
        if scheme is not None:
            schemes.setdefault(str(c), str(scheme))
    for key, found in names.items():
        if schemes.get(key) in _NOT_LINKED_SCHEMES:
            continue
        found.sort(key=lambda t: (t[0], t[1]))
        if key not in entities:
            entities[key] = Entity(key, "concept", found[0][1], scheme=schemes.get(key, ""))
        ent = entities[key]
        for _rank, name, lang in found:
            if name == ent.label or name in ent.alt_labels or name in ent.other_labels:
                continue
            (ent.alt_labels if lang == "nl" else ent.other_labels).append(name)
    return list(entities.values())


def _links(graph: Any) -> dict[str, set[str]]:
    """passage IRI → IRIs of the entities its facts belong to."""
    links: dict[str, set[str]] = defaultdict(set)
    # "?p a kb:Passage" sits inside every branch: after the UNION, Oxigraph joined it so badly
    # that this query took 36 s on a corpus of 5,300 passages (0.1 s this way).
    rows = _q(
        graph,
        """
        SELECT DISTINCT ?p ?e WHERE {
          {
            ?e a kb:Segment ; ?pr ?fact . ?fact prov:wasDerivedFrom ?p . ?p a kb:Passage .
            FILTER (?pr NOT IN (kb:ofRegion, kb:inPlan, kb:hasStakeholder, kb:mentions, rdf:type))
          } UNION {
            ?e a ?t ; prov:wasDerivedFrom ?p . ?p a kb:Passage .
            VALUES ?t { kb:Segment kb:Region kb:Subregion kb:Municipality skos:Concept }
          } UNION {
            ?fact prov:wasDerivedFrom ?p ;
                  (kb:usesFundingConcept|kb:usesPurchasingConcept|kb:concept|kb:instrument) ?e .
            ?p a kb:Passage .
          } UNION {
            ?fact prov:wasDerivedFrom ?p ; (kb:municipality|kb:region|kb:aboutRegion) ?e .
            ?p a kb:Passage .
          }
        }""",
    )
    for p, e in rows:
        links[str(p)].add(str(e))
    return links


def load_records(graph: Any) -> tuple[list[Record], list[Entity]]:
    """Every passage of the graph as a :class:`Record`, plus the linkable entities."""
    entities = load_entities(graph)
    by_iri = {e.iri: e for e in entities}
    vocabulary = _vocabulary(graph)

    sections: dict[str, tuple[str, str | None]] = {}
    for s, title, parent in _q(
        graph,
        """SELECT ?s ?title ?parent WHERE {
             ?s a kb:Section ; dct:title ?title . OPTIONAL { ?s kb:parentSection ?parent } }""",
    ):
        sections[str(s)] = (str(title), _str(parent) or None)

    seg_by_doc_number: dict[tuple[str, str], str] = {}
    for seg, doc, number in _q(
        graph,
        """SELECT ?seg ?doc ?n WHERE {
             ?seg a kb:Segment ; kb:inPlan ?doc ; kb:segmentNumber ?n }""",
    ):
        seg_by_doc_number[(str(doc), str(number))] = str(seg)

    rows = _q(
        graph,
        """
        SELECT ?p ?text ?sec ?start ?end ?doc ?title ?type ?year ?date ?region ?rlabel ?hash WHERE {
          ?p a kb:Passage ; kb:text ?text ; kb:inSection ?sec ; oa:hasSource ?doc ;
             oa:hasSelector ?sel . ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
          ?doc dct:title ?title .
          OPTIONAL { ?doc kb:documentType ?type }
          OPTIONAL { ?doc kb:year ?year }
          OPTIONAL { ?doc dct:date ?date }
          OPTIONAL { ?doc kb:contentHash ?hash }
          OPTIONAL { ?doc kb:aboutRegion ?region OPTIONAL { ?region rdfs:label ?rlabel } }
        }""",
    )
    links = _links(graph)
    footnotes: dict[str, list[str]] = defaultdict(list)
    for p, note in _q(graph, "SELECT ?p ?note WHERE { ?p a kb:Passage ; kb:footnote ?note }"):
        footnotes[str(p)].append(str(note))
    records: list[Record] = []
    for p, text, sec, start, end, doc, title, typ, year, date, region, rlabel, dhash in rows:
        chain: list[str] = []
        cursor: str | None = str(sec)
        seen: set[str] = set()
        while cursor and cursor in sections and cursor not in seen:
            seen.add(cursor)
            chain.append(cursor)
            cursor = sections[cursor][1]
        chain.reverse()
        # The root section carries the document title; the path starts below it.
        path_ids = [c for c in chain if sections[c][1] is not None] or chain[1:]
        path = [sections[c][0] for c in path_ids]
        seg_labels: list[str] = []
        seg_iris: list[str] = []
        rubric = ""
        rubric_iri = ""
        for sid, title_text in zip(path_ids, path, strict=False):
            m = _SEGMENT_TITLE_RE.match(title_text)
            if m:
                seg_labels.append(_nice(m.group(2)))
                iri = seg_by_doc_number.get((str(doc), m.group(1)))
                if iri:
                    seg_iris.append(iri)
            found = vocabulary.match(RUBRICS, title_text)
            if found:
                rubric = found.pref_label
                rubric_iri = str(found.iri)
            _ = sid
        year_value: int | None = None
        if year is not None:
            year_value = int(str(year))
        elif date is not None:
            year_value = int(str(date)[:4])
        record = Record(
            id=passage_id_from_iri(str(p)),
            iri=str(p),
            doc_id=_doc_id_from_iri(str(doc)),
            doc_iri=str(doc),
            doc_title=str(title),
            doc_type=_str(typ) or "document",
            year=year_value,
            region=_str(rlabel) or (_str(region).rsplit("/", 1)[-1].replace("-", " ").title()),
            region_iri=_str(region),
            section_id=str(sec),
            section_path=path,
            start=int(str(start)),
            end=int(str(end)),
            text=str(text),
            segments=seg_labels,
            rubric=rubric,
            doc_hash=_str(dhash),
            footnotes=sorted(footnotes.get(str(p), [])),
        )
        iris = set(links.get(str(p), set())) | set(seg_iris)
        if rubric_iri in by_iri:
            # The rubric a passage sits under is a concept too: "bekostiging" links to it.
            iris.add(rubric_iri)
        if record.region_iri:
            iris.add(record.region_iri)
        record.entities = _entity_dicts(iris, by_iri)
        records.append(record)

    _propagate_segments(records, by_iri)
    records.sort(key=lambda r: (r.doc_id, r.start))
    return records, entities


def _vocabulary(graph: Any) -> Vocabulary:
    """The rubric labels the build's graph was made with; the configured ontology when the graph
    holds no rubric scheme (a graph of facts only)."""
    found = Vocabulary.from_graph(graph)
    return found if found.schemes.get(RUBRICS) else load_vocabulary()


def _entity_dicts(iris: set[str], by_iri: dict[str, Entity]) -> list[dict[str, str]]:
    out = []
    for iri in sorted(iris):
        ent = by_iri.get(iri)
        if ent is None:
            kind = "concept" if "/concept/" in iri else iri.split("/id/", 1)[-1].split("/", 1)[0]
            label = iri.rsplit("/", 1)[-1].replace("-", " ")
        else:
            kind, label = ent.kind, ent.label
        out.append({"iri": iri, "label": label, "type": kind})
    kinds = {"segment": 0, "region": 1, "municipality": 2, "concept": 3}
    return sorted(out, key=lambda e: (kinds.get(e["type"], 9), e["label"]))


def _propagate_segments(records: list[Record], by_iri: dict[str, Entity]) -> None:
    """A section whose linked passages all belong to one segment belongs to it as a whole.

    Slides name their segment once ("Wat houdt het segment in?") and facts link only some
    passages; the other passages of the same section then get the segment too.
    """
    per_section: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for e in r.entities:
            if e["type"] == "segment":
                per_section[r.section_id].add(e["iri"])
    for r in records:
        segs = per_section.get(r.section_id, set())
        if len(segs) != 1:
            continue
        (iri,) = segs
        if not any(e["iri"] == iri for e in r.entities):
            r.entities = _entity_dicts({e["iri"] for e in r.entities} | {iri}, by_iri)
    for r in records:
        for e in r.entities:
            if e["type"] == "segment" and e["label"] not in r.segments:
                linked_in_section = per_section.get(r.section_id, set())
                if len(linked_in_section) <= 1:
                    r.segments.append(e["label"])
