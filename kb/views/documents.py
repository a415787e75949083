"""Source documents, their sections and passages, and the sources facts cite.

Every fact in the graph says which passage it was derived from (``prov:wasDerivedFrom``); a
:class:`Source` is that passage as a reader cites it: document title and section.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from kb.views.facts import METHOD_LABELS
from kb.views.query import iri, local_name, rows, to_int, to_str


@dataclass(frozen=True, order=True)
class Source:
    """Where a fact comes from: document title and section, with the passage it cites."""

    document: str
    section: str
    document_iri: str = ""
    passage_iri: str = ""
    start: int | None = field(default=None, compare=False)
    end: int | None = field(default=None, compare=False)
    quote: str = field(default="", compare=False)
    #: How the fact was obtained, in Dutch (``kb.views.facts.METHOD_LABELS``), "" if unknown.
    method: str = field(default="", compare=False)
    #: "voorgesteld" for a fact a prose pattern proposed and nobody checked yet, else "".
    status: str = field(default="", compare=False)
    #: The document's type as ``sources.yaml`` gives it and its date (ISO, or the year), "" if
    #: unknown: a list of sources groups by document and shows both.
    doc_type: str = field(default="", compare=False)
    doc_date: str = field(default="", compare=False)
    #: The page of the original on which the passage starts (documents with pages), else None.
    page: int | None = field(default=None, compare=False)

    @property
    def proposed(self) -> bool:
        """Whether the fact is proposed, not yet checked by a person."""
        return self.status == "voorgesteld"

    @property
    def citation(self) -> str:
        """``Document, section`` as cited in a document."""
        return f"{self.document}, {self.section}" if self.section else self.document


@dataclass
class Passage:
    """A passage of a source document: the anchor every fact links to."""

    iri: str
    document: str
    section: str | None
    ordinal: int
    text: str
    #: The page of a paged original the passage starts on (0: the original has no pages).
    page: int = 0


@dataclass
class Section:
    """A section of a source document, with its place in the heading hierarchy: ``level``
    (0 = the document itself, 1 = chapter, ...) and the ``parent`` section's IRI."""

    iri: str
    document: str
    title: str
    number: str | None
    ordinal: int
    level: int = 1
    parent: str | None = None

    @property
    def heading(self) -> str:
        """``4.2 Wonen`` (the number when the section has one)."""
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass
class Document:
    """A source document with its metadata."""

    iri: str
    title: str
    doc_type: str | None = None
    date: str | None = None
    year: int | None = None
    creator: str | None = None
    audience: str | None = None
    region: str | None = None
    file_name: str | None = None
    fmt: str | None = None
    content_hash: str | None = None
    is_plan: bool = False
    #: Where the original is published (``schema:url``), if sources.yaml says.
    url: str | None = None
    #: The document type's preferred label from the ``documenttypen`` scheme, if it names one.
    type_label: str | None = None

    @property
    def local_id(self) -> str:
        """The document's id: the last part of its IRI (a slug of the file name)."""
        return self.iri.rsplit("/", 1)[-1]

    @property
    def original_name(self) -> str | None:
        """The file name of the original kept in a release's :data:`ORIGINALS_DIR`."""
        return original_name(self.local_id, self.fmt) if self.fmt else None


#: The folder of a release that keeps a copy of each source file as it was read.
ORIGINALS_DIR = "originals"


def original_name(doc_id: str, fmt: str) -> str:
    """The name of a document's original in :data:`ORIGINALS_DIR`: its id (a slug, safe in a
    URL and on any file system) with its format as suffix."""
    return f"{doc_id}.{fmt.lower()}"


def load_documents(graph: Graph) -> dict[str, Document]:
    """Every source document by IRI."""
    found = rows(
        graph,
        """SELECT ?d ?title ?type ?date ?year ?creator ?audience ?region ?file ?fmt ?hash ?plan
          ?url ?typeLabel
        WHERE { ?d a kb:Document ; dct:title ?title .
          OPTIONAL { ?d schema:url ?url }
          OPTIONAL { ?d kb:documentTypeConcept ?tc . ?tc skos:prefLabel ?typeLabel
                     FILTER(LANGMATCHES(LANG(?typeLabel), "nl")) }
          OPTIONAL { ?d kb:documentType ?type } OPTIONAL { ?d dct:date ?date }
          OPTIONAL { ?d kb:year ?year } OPTIONAL { ?d dct:creator ?creator }
          OPTIONAL { ?d dct:audience ?audience } OPTIONAL { ?d kb:aboutRegion ?region }
          OPTIONAL { ?d kb:fileName ?file } OPTIONAL { ?d kb:format ?fmt }
          OPTIONAL { ?d kb:contentHash ?hash }
          BIND(EXISTS { ?d a kb:PurchasingPlan } AS ?plan) }""",
    )
    docs: dict[str, Document] = {}
    for r in found:
        docs.setdefault(
            r["d"],
            Document(
                iri=r["d"],
                title=r["title"],
                doc_type=r["type"],
                date=r["date"],
                year=to_int(r["year"]),
                creator=r["creator"],
                audience=r["audience"],
                region=r["region"],
                file_name=r["file"],
                fmt=r["fmt"],
                content_hash=r["hash"],
                is_plan=bool(r["plan"]),
                url=r["url"],
                type_label=r["typeLabel"],
            ),
        )
    return dict(sorted(docs.items()))


def load_sections(graph: Graph) -> dict[str, Section]:
    """Every section by IRI."""
    found = rows(
        graph,
        """SELECT ?s ?doc ?title ?num ?o ?level ?parent WHERE { ?s a kb:Section ;
          dct:isPartOf ?doc ; dct:title ?title . OPTIONAL { ?s kb:sectionNumber ?num }
          OPTIONAL { ?s kb:ordinal ?o } OPTIONAL { ?s kb:level ?level }
          OPTIONAL { ?s kb:parentSection ?parent } }""",
    )
    sections = {
        r["s"]: Section(
            r["s"],
            r["doc"],
            r["title"],
            r["num"],
            to_int(r["o"]) or 0,
            level=level if (level := to_int(r["level"])) is not None else 1,
            parent=r["parent"],
        )
        for r in found
    }
    return dict(sorted(sections.items()))


def load_passages(graph: Graph) -> dict[str, Passage]:
    """Every passage by IRI."""
    found = rows(
        graph,
        """SELECT ?p ?doc ?sec ?o ?text ?page WHERE { ?p a kb:Passage ; oa:hasSource ?doc .
          OPTIONAL { ?p kb:inSection ?sec } OPTIONAL { ?p kb:ordinal ?o }
          OPTIONAL { ?p kb:text ?text } OPTIONAL { ?p kb:page ?page } }""",
    )
    passages = {
        r["p"]: Passage(
            r["p"],
            r["doc"],
            r["sec"],
            to_int(r["o"]) or 0,
            r["text"] or "",
            to_int(r["page"]) or 0,
        )
        for r in found
    }
    return dict(sorted(passages.items()))


def section_label(title: str, number: str = "", parent: str = "", parent_number: str = "") -> str:
    """``§ 4.2 Wonen › Planning``: the section with its nearest numbered parent."""
    title = title.rstrip(":")
    if number:
        return f"§ {number} {title}"
    if parent and parent_number:
        return f"§ {parent_number} {parent.capitalize() if parent.isupper() else parent} › {title}"
    if parent and parent != title:
        return f"{parent} › {title}"
    return title


def _source(r: dict[str, Any]) -> Source:
    return Source(
        str(r["dt"]),
        section_label(
            to_str(r.get("st")), to_str(r.get("sn")), to_str(r.get("pt")), to_str(r.get("pn"))
        ),  # fmt: skip
        str(r["doc"]),
        str(r["p"]),
        to_int(r.get("start")),
        to_int(r.get("end")),
        to_str(r.get("quote")),
        _method_label(r.get("m")),
        to_str(r.get("status")),
        to_str(r.get("dtype")),
        to_str(r.get("ddate") or r.get("dyear")),
        to_int(r.get("page")),
    )


def _method_label(value: object) -> str:
    return METHOD_LABELS.get(local_name(to_str(value)), "")


#: Facts per details query of :func:`sources_by_fact` (keeps each query's VALUES block small).
_FACTS_PER_QUERY = 400


def sources_by_fact(graph: Graph, filter_clause: str) -> dict[str, list[Source]]:
    """Sources of the facts ``filter_clause`` selects (it binds ``?fact``), keyed by fact IRI,
    each list sorted.

    Two steps: the facts first, then their sources with the facts as VALUES. In one query the
    store's planner starts from every derived fact of the graph and only then applies the
    selection, so each call cost time in proportion to the whole graph (and a call per plan
    made the Word step grow with the square of the corpus).
    """
    facts = sorted(
        {str(r["fact"]) for r in rows(graph, f"SELECT DISTINCT ?fact WHERE {{ {filter_clause} }}")}
    )
    out: dict[str, set[Source]] = defaultdict(set)
    for n in range(0, len(facts), _FACTS_PER_QUERY):
        values = " ".join(iri(f) for f in facts[n : n + _FACTS_PER_QUERY])
        found = rows(
            graph,
            f"""SELECT ?fact ?p ?doc ?dt ?st ?sn ?pt ?pn ?start ?end ?m ?status ?quote ?dtype
              ?ddate ?dyear ?page WHERE {{
              VALUES ?fact {{ {values} }}
              ?fact prov:wasDerivedFrom ?p . ?p oa:hasSource ?doc . ?doc dct:title ?dt .
              OPTIONAL {{ ?p kb:page ?page }}
              OPTIONAL {{ ?fact prov:wasGeneratedBy ?act . ?act kb:method ?m }}
              OPTIONAL {{ ?fact kb:status ?status }}
              OPTIONAL {{ ?fact kb:quote ?quote }}
              OPTIONAL {{ ?doc kb:documentType ?dtype }} OPTIONAL {{ ?doc dct:date ?ddate }}
              OPTIONAL {{ ?doc kb:year ?dyear }}
              OPTIONAL {{ ?p oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end }}
              OPTIONAL {{ ?p kb:inSection ?sec . ?sec dct:title ?st .
                OPTIONAL {{ ?sec kb:sectionNumber ?sn }}
                OPTIONAL {{ ?sec kb:parentSection ?par . ?par dct:title ?pt .
                            OPTIONAL {{ ?par kb:sectionNumber ?pn }} }} }}
            }}""",
        )
        for r in found:
            out[str(r["fact"])].add(_source(r))
    return {k: sorted(v) for k, v in out.items()}


def sources_of(graph: Graph, entity: str) -> list[Source]:
    """The passages an entity derives from (or the entity itself, if it is a passage), in
    document order, with the quote the fact was read from."""
    e = iri(entity)
    found = rows(
        graph,
        f"""SELECT ?p ?doc ?dt ?st ?start ?end ?quote ?m ?status WHERE {{
              {{ {e} prov:wasDerivedFrom ?p . OPTIONAL {{ {e} kb:quote ?quote }}
                 OPTIONAL {{ {e} prov:wasGeneratedBy ?act . ?act kb:method ?m }}
                 OPTIONAL {{ {e} kb:status ?status }} }}
              UNION {{ {e} a kb:Passage . BIND({e} AS ?p) }}
              ?p oa:hasSource ?doc ; kb:inSection ?s .
              ?doc dct:title ?dt . ?s dct:title ?st .
              OPTIONAL {{ ?p oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end }}
            }} ORDER BY ?doc ?start""",
    )
    # The raw section title here: the entity card shows what the document calls the section.
    return [
        Source(
            str(r["dt"]),
            str(r["st"]),
            str(r["doc"]),
            str(r["p"]),
            to_int(r["start"]),
            to_int(r["end"]),
            to_str(r["quote"]),
            _method_label(r["m"]),
            to_str(r["status"]),
        )  # fmt: skip
        for r in found
    ]
