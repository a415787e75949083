"""One way to find what a user names: an entity, a plan or a segment, by name or IRI.

The CLI (``kb show``, ``kb generate --plan/--segment``), the server and the generators all
resolve names here. A name is an IRI (full, or prefixed such as
``kbi:segment/holland-rijnland/wonen``) or a label; labels match case-insensitively, exact
before partial. An unknown name raises :class:`NotFound`, a name that fits several entities
:class:`Ambiguous`; both list what the user could have meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from rdflib import Graph, Literal, URIRef

from kb.rdf.namespaces import PREFIXES, compact
from kb.rdf.store import StoreError
from kb.views.query import IRI_TEXT, iri, local_name, rows

LABEL_PROPS = "rdfs:label|skos:prefLabel|skos:altLabel|dct:title"


class NotFound(StoreError):
    """Nothing in the graph has the name the user gave; the message lists known names."""


class Ambiguous(StoreError):
    """Several entities have the name the user gave; the message lists them."""


class Named(Protocol):
    """Anything with an IRI, a label and a slug (a segment)."""

    @property
    def iri(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def slug(self) -> str: ...


S = TypeVar("S", bound=Named)


def expand(text: str) -> str | None:
    """A prefixed name or full IRI → full IRI; None if it is not one."""
    if text.startswith(("http://", "https://")):
        return text
    if ":" in text:
        prefix, local = text.split(":", 1)
        if prefix in PREFIXES and " " not in local:
            return str(PREFIXES[prefix]) + local
    return None


def resolve_entity(graph: Graph, name: str) -> URIRef:
    """The entity a user means, by IRI or label; domain entities before the sections and
    passages that merely carry the same words."""
    full = expand(name.strip())
    if full:
        if (URIRef(full), None, None) in graph:
            return URIRef(full)
        raise NotFound(f"no entity with IRI {full}")
    needle = name.strip().lower()
    if not needle:
        raise NotFound("empty entity name")
    found = rows(
        graph,
        f"""SELECT DISTINCT ?s ?l ?structural ?preferred WHERE {{
              ?s {LABEL_PROPS} ?l .
              FILTER(CONTAINS(LCASE(STR(?l)), {Literal(needle).n3()}))
              BIND(EXISTS {{ ?s a ?c . FILTER(?c IN (kb:Section, kb:Passage)) }} AS ?structural)
              BIND(EXISTS {{ ?s rdfs:label|skos:prefLabel ?l }} AS ?preferred)
            }} LIMIT 200""",
    )
    hits = [(str(r["s"]), str(r["l"]), bool(r["structural"]), bool(r["preferred"])) for r in found]
    candidates: list[str] = []
    # An entity whose own name it is wins over one that merely has it as another name.
    for pool in (
        [
            s
            for s, label, structural, pref in hits
            if label.lower() == needle and pref and not structural
        ],
        [s for s, label, structural, _ in hits if label.lower() == needle and not structural],
        [s for s, label, _, _ in hits if label.lower() == needle],
        [s for s, _, structural, _ in hits if not structural],
        [s for s, _, _, _ in hits],
    ):
        candidates = sorted(set(pool))
        if candidates:
            break
    if len(candidates) == 1:
        return URIRef(candidates[0])
    if not candidates:
        raise NotFound(f"no entity named '{name}'")
    listing = "\n".join(f"  {compact(c)}" for c in candidates[:15])
    more = f"\n  … and {len(candidates) - 15} more" if len(candidates) > 15 else ""
    raise Ambiguous(f"'{name}' matches {len(candidates)} entities; use an IRI:\n{listing}{more}")


def plans(graph: Graph) -> list[tuple[str, str]]:
    """(IRI, title) of every document that has segments, by title."""
    found = rows(
        graph,
        "SELECT DISTINCT ?plan ?title WHERE { ?s a kb:Segment ; kb:inPlan ?plan . "
        "?plan dct:title ?title } ORDER BY ?title",
    )
    return [(str(r["plan"]), str(r["title"])) for r in found]


def plans_by_date(graph: Graph) -> list[tuple[str, str]]:
    """(IRI, title) of every plan, the default first: purchasing plans (``kb:PurchasingPlan``,
    whatever the document type is called) before other documents with segments (slides, notes),
    each newest first by the document's date (``dct:date``, else its ``kb:year``; undated
    last), equal dates by title."""
    dated = rows(
        graph,
        """SELECT ?plan (MAX(STR(?d)) AS ?date) (MAX(?y) AS ?year) WHERE {
          ?s a kb:Segment ; kb:inPlan ?plan .
          OPTIONAL { ?plan dct:date ?d } OPTIONAL { ?plan kb:year ?y } } GROUP BY ?plan""",
    )
    purchasing = {
        str(r["plan"])
        for r in rows(graph, "SELECT DISTINCT ?plan WHERE { ?plan a kb:PurchasingPlan }")
    }
    # An ISO date sorts as text; a bare year counts as the start of that year.
    when = {
        str(r["plan"]): (
            str(r["plan"]) in purchasing,
            r["date"] or (f"{int(r['year']):04d}" if r["year"] is not None else ""),
        )
        for r in dated
    }
    by_title = sorted(plans(graph), key=lambda p: p[1].casefold())
    return sorted(by_title, key=lambda p: when.get(p[0], (False, "")), reverse=True)


def default_plan(graph: Graph, setting: str | None = None) -> tuple[str, str]:
    """(IRI, title) of the plan used when none is named: the plan ``setting`` names (title,
    document id or IRI) or, without a setting, the newest purchasing plan in the build (the
    newest document with segments when none is a purchasing plan; see :func:`plans_by_date`)."""
    if setting:
        return resolve_plan(graph, setting)
    ordered = plans_by_date(graph)
    if not ordered:
        raise NotFound("the build has no plan (no document with segments)")
    return ordered[0]


def resolve_plan(graph: Graph, name: str | None) -> tuple[str, str]:
    """(IRI, title) of a plan named by title, document id or IRI, case-insensitively; None
    means the newest plan in the build (see :func:`default_plan`)."""
    if name is None or not name.strip():
        return default_plan(graph)
    # The usual call names the plan by its IRI: one lookup, not a listing of every plan (a
    # listing per plan made loading all plans grow with the square of the corpus).
    exact = expand(name.strip()) or name.strip()
    if exact.startswith(("http://", "https://")) and IRI_TEXT.fullmatch(exact):
        titles = rows(
            graph,
            f"SELECT (MIN(STR(?title)) AS ?t) WHERE {{ {iri(exact)} dct:title ?title . "
            f"FILTER EXISTS {{ ?s a kb:Segment ; kb:inPlan {iri(exact)} }} }}",
        )
        if titles and titles[0]["t"] is not None:
            return exact, str(titles[0]["t"])
    known = plans(graph)
    wanted = name.strip().casefold()
    full = (expand(name.strip()) or "").casefold()
    for plan_iri, title in known:
        if wanted in (title.casefold(), plan_iri.casefold(), local_name(plan_iri).casefold()):
            return plan_iri, title
        if full and full == plan_iri.casefold():
            return plan_iri, title
    listing = "; ".join(f"{t} ({local_name(i)})" for i, t in known) or "none"
    raise NotFound(f"unknown plan '{name}'; known plans: {listing}")


def find_segment(segments: Sequence[S], name: str, scope: str = "") -> S:
    """The segment of ``segments`` named by label, slug or IRI, case-insensitively.

    ``scope`` (a plan title) only words the error message.
    """
    wanted = str(name).strip().casefold()
    full = (expand(str(name).strip()) or "").casefold()
    hits = [
        s
        for s in segments
        if wanted in (s.label.casefold(), s.slug.casefold(), s.iri.casefold())
        or (full and full == s.iri.casefold())
    ]
    if len(hits) == 1:
        return hits[0]
    where = f" in '{scope}'" if scope else ""
    if hits:
        listing = ", ".join(compact(s.iri) for s in hits)
        raise Ambiguous(f"segment '{name}'{where} is ambiguous; use an IRI: {listing}")
    known = ", ".join(f"{s.label} ({s.slug})" for s in segments) or "none"
    raise NotFound(f"unknown segment '{name}'{where}; known segments: {known}")


@dataclass(frozen=True)
class SegmentName:
    """What a segment is called: enough to resolve a name without loading its items."""

    iri: str
    label: str
    slug: str


def segment_names(graph: Graph, plan: str | None = None) -> list[SegmentName]:
    """IRI, label and slug of the segments of ``plan`` (a document IRI) or of all plans."""
    where = f"?s kb:inPlan {iri(plan)} ." if plan else ""
    found = rows(
        graph,
        f"""SELECT ?s (SAMPLE(?l) AS ?label) (SAMPLE(?sl) AS ?slug) WHERE {{
          ?s a kb:Segment ; rdfs:label ?l . {where} OPTIONAL {{ ?s kb:slug ?sl }} }}
        GROUP BY ?s ORDER BY ?label ?s""",
    )
    return [
        SegmentName(str(r["s"]), str(r["label"]), str(r["slug"] or local_name(str(r["s"]))))
        for r in found
    ]


def resolve_segment(graph: Graph, name: str, plan: str | None = None) -> str:
    """The IRI of the segment named by label, slug or IRI (within ``plan``, a plan's title,
    document id or IRI, when given)."""
    scope, title = (None, "") if plan is None else resolve_plan(graph, plan)
    return find_segment(segment_names(graph, scope), name, title).iri
