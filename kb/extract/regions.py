"""Regions, subregions and municipalities from the curated file ``regions.yaml``.

The file lives in the curated folder of the build (``FactGraph.curated_dir``, the setting
``curated_dir``; by default ``curated/`` next to the first source folder), as the regional
choices and the steward's decisions do (:mod:`kb.extract.curated`): the bundled corpus reads
its own ``kb/curated/regions.yaml``, a user's corpus the file beside the user's documents, and a
folder without the file simply has no curated regions. Only an extraction without a curated
folder (``curated_dir`` None: unit tests, library use) falls back to the package's copy.

Which municipality belongs to which region is scattered over the corpus (a glossary row, a
sentence in an introduction, the last line of a news article) and partly only implied, so it is
curated rather than extracted. Every entry carries an exact quote from a source document; the quote
is looked up in that document's cleaned text with :func:`kb.extract.common.cite_text`, and an
entry whose quote is not found is skipped with a warning instead of being written without
provenance (see the comment at the top of the YAML file for the format).

What is written
    * ``kb:Region`` at :func:`kb.extract.documents.region_iri` with ``rdfs:label``;
    * ``kb:Subregion`` at :func:`subregion_iri` with ``rdfs:label`` and ``org:subOrganizationOf``
      its region;
    * ``kb:Municipality`` at :func:`municipality_iri` with ``rdfs:label``, ``kb:inRegion``,
      ``kb:inSubregion`` (when stated), ``kb:cbsCode`` (the four-digit CBS code as a string, leading
      zero kept) and ``owl:sameAs`` its TOOI identifier (``tooi:gm0546``);
    * notes (``kb:note`` @nl) for what the sources say about a municipality or subregion that has
      no property of its own (a separate purchasing process, a municipality "in beraad"). A note's
      passage is added as an extra ``prov:wasDerivedFrom``; the entity's ``kb:quote`` and offsets
      stay those of its own entry. A note resting on a footnote names the footnote text, which
      must be attached to the passage of the quote (footnotes are not part of the running text).

Every entity gets the provenance of its entry (passage, quote, offsets). Other extractors (finance)
link to municipalities through :func:`municipality_iri`, so the IRIs agree by construction.

Membership from the documents themselves (:func:`link_municipalities`, run after the other
extractors): in every document, the lists of municipalities that buy together
(:func:`kb.extract.municipalities.find_member_lists`) make their municipalities members of the
document's region, and a sentence that limits a municipality's taking part ("Elburg en
Oldebroek nemen uitsluitend deel voor …", :func:`kb.extract.municipalities.find_partial_members`)
adds its qualifier to that membership. Each membership is an ``org:Membership``
(``org:member`` the municipality,
``org:organization`` the region, ``kb:inDocument``, the qualifier as ``kb:note``) with the list
as its quote; the municipality gets ``kb:inRegion`` and, from the national register, its
``kb:cbsCode`` and ``owl:sameAs`` TOOI IRI. Only municipalities a document names enter the graph:
the register itself (342 entries) stays a lookup table, so SHACL and the site see no entity
without evidence. A former municipality is kept as named on its membership, without
``org:member``, and the build warns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import OWL, PROV

from kb.extract.common import (
    Cite,
    ExtractionError,
    FactGraph,
    cite_text,
    doc_iri,
    entity_iri,
    passage_iri,
)
from kb.extract.documents import region_iri
from kb.extract.municipalities import (
    Member,
    Register,
    find_member_lists,
    find_municipalities,
    find_partial_members,
    load_register,
)
from kb.ingest.model import Document
from kb.rdf.iris import tooi_municipality_iri
from kb.rdf.namespaces import KB, ORG
from kb.resources import curated_dir

#: The name of the curated file in a curated folder.
REGIONS_NAME = "regions.yaml"
#: The package's copy (the bundled corpus's curation), used when no curated folder is set.
REGIONS_FILE = curated_dir() / REGIONS_NAME

_CBS_RE = re.compile(r"^\d{4}$")


def municipality_iri(name: str) -> URIRef:
    """The one IRI of a municipality (``kbi:municipality/leiden``), shared by every extractor."""
    return entity_iri("municipality", name)


def subregion_iri(name: str) -> URIRef:
    """The IRI of a subregion (``kbi:subregion/leidse-regio``)."""
    return entity_iri("subregion", name)


def tooi_iri(cbs_code: str) -> URIRef:
    """The TOOI identifier of a municipality from its CBS code (``"0546"`` → ``tooi:gm0546``)."""
    return tooi_municipality_iri(cbs_code)


def membership_iri(region: str, municipality: str, doc_id: str) -> URIRef:
    """The IRI of a membership a document states (``kbi:membership/achterhoek/aalten/<doc>``)."""
    return entity_iri("membership", region, municipality, doc_id)


@dataclass(frozen=True)
class Note:
    """A curated statement about an entity, with its own evidence."""

    id: str
    text: str
    file: str
    quote: str
    footnote: str = ""


@dataclass
class Entry:
    """One region, subregion or municipality entry of the YAML file."""

    kind: str  # "region" | "subregion" | "municipality"
    name: str
    file: str
    quote: str
    region: str = ""
    subregion: str = ""
    cbs: str = ""
    notes: list[Note] = field(default_factory=list)
    #: A member of the region that buys (most of) its youth care in a purchase of its own, not
    #: through the region's: its entry's quote says so (``own_purchasing: true``).
    own_purchasing: bool = False

    @property
    def label(self) -> str:
        return f"regions.yaml {self.kind} {self.name!r}"


def load_regions(path: Path = REGIONS_FILE) -> tuple[list[Entry], list[str]]:
    """Read and validate the curated file: the usable entries and a message per problem.

    Raises ``OSError``/``yaml.YAMLError`` only through :func:`extract`, which turns them into a
    warning; a single bad entry never stops the others.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    problems: list[str] = []
    if not isinstance(data, dict):
        return [], [f"{path.name}: expected a mapping with regions/subregions/municipalities"]

    notes: dict[str, Note] = {}
    for note_id, raw in (data.get("notes") or {}).items():
        if not isinstance(raw, dict) or not all(raw.get(k) for k in ("text", "file", "quote")):
            problems.append(f"{path.name} note {note_id!r}: needs text, file and quote; skipped")
            continue
        notes[str(note_id)] = Note(
            str(note_id),
            str(raw["text"]),
            str(raw["file"]),
            str(raw["quote"]),
            str(raw.get("footnote") or ""),
        )

    entries: list[Entry] = []
    for kind, key in (
        ("region", "regions"),
        ("subregion", "subregions"),
        ("municipality", "municipalities"),
    ):
        for raw in data.get(key) or []:
            entry, errors = _entry(kind, raw, notes)
            problems.extend(f"{path.name}: {e}" for e in errors)
            if entry is not None:
                entries.append(entry)

    regions = {e.name for e in entries if e.kind == "region"}
    subregions = {e.name: e.region for e in entries if e.kind == "subregion"}
    for e in entries:
        if e.kind != "region" and e.region not in regions:
            problems.append(f"{e.label}: unknown region {e.region!r} (not under regions:)")
        if e.subregion and e.subregion not in subregions:
            problems.append(f"{e.label}: unknown subregion {e.subregion!r} (not under subregions:)")
        elif e.subregion and subregions[e.subregion] != e.region:
            problems.append(
                f"{e.label}: subregion {e.subregion!r} lies in {subregions[e.subregion]!r}, "
                f"not in {e.region!r}"
            )
    return entries, problems


def _entry(kind: str, raw: Any, notes: dict[str, Note]) -> tuple[Entry | None, list[str]]:
    """Validate one entry; missing name/file/quote (or region for non-regions) rejects it."""
    if not isinstance(raw, dict):
        return None, [f"{kind} entry {raw!r}: expected a mapping"]
    name = str(raw.get("name") or "").strip()
    required = ("name", "file", "quote") + (() if kind == "region" else ("region",))
    missing = [k for k in required if not str(raw.get(k) or "").strip()]
    if missing:
        return None, [f"{kind} {name or '?'!r}: missing {', '.join(missing)}; skipped"]
    errors: list[str] = []
    cbs = raw.get("cbs")
    if cbs is not None and not isinstance(cbs, str):
        # An unquoted 0546 reads as the integer 546 (or octal): the leading zero is lost.
        errors.append(
            f"{kind} {name!r}: cbs must be a quoted 4-digit string, got {cbs!r}; left out"
        )
        cbs = None
    elif cbs is not None and not _CBS_RE.match(cbs):
        errors.append(f"{kind} {name!r}: cbs {cbs!r} is not 4 digits; left out")
        cbs = None
    own = raw.get("own_purchasing", False)
    if not isinstance(own, bool):
        errors.append(f"{kind} {name!r}: own_purchasing must be true or false, got {own!r}")
        own = False
    entry_notes: list[Note] = []
    for note_id in raw.get("notes") or []:
        if str(note_id) in notes:
            entry_notes.append(notes[str(note_id)])
        else:
            errors.append(f"{kind} {name!r}: unknown note {note_id!r}")
    return (
        Entry(
            kind=kind,
            name=name,
            file=str(raw["file"]).strip(),
            quote=str(raw["quote"]),
            region=str(raw.get("region") or "").strip(),
            subregion=str(raw.get("subregion") or "").strip(),
            cbs=cbs or "",
            notes=entry_notes,
            own_purchasing=own and kind == "municipality",
        ),
        errors,
    )


def regions_file(folder: Path | None) -> Path:
    """The ``regions.yaml`` of a curated folder; without one, the package's copy."""
    return REGIONS_FILE if folder is None else folder / REGIONS_NAME


def find_quote(
    docs_by_file: dict[str, Document], file: str, quote: str, footnote: str = ""
) -> Cite:
    """Cite ``quote`` in ``file`` (and check ``footnote`` hangs on its passage).

    Raises :class:`ExtractionError` with a readable reason; tests use this to check that every
    curated quote still occurs in its source.
    """
    doc = docs_by_file.get(file)
    if doc is None:
        raise ExtractionError(f"source file {file!r} is not among the ingested documents")
    cite = cite_text(doc, quote)
    if footnote:
        wanted = " ".join(footnote.split())
        # The quote may span passages; the footnote hangs on one of those it touches.
        passages = {p.id: p for p in doc.passages if p.start < cite.end and cite.start < p.end}
        if not any(wanted in " ".join(f.split()) for p in passages.values() for f in p.footnotes):
            raise ExtractionError(
                f"{file}: footnote not attached to the passage of {quote[:60]!r}: {footnote[:60]!r}"
            )
    return cite


def extract(docs: list[Document], facts: FactGraph, *, path: Path | None = None) -> None:
    """Write the curated regions, subregions and municipalities that have evidence.

    ``path`` (default: ``regions.yaml`` of the build's curated folder, see the module
    docstring) may be absent in a user's curated folder: then nothing is written, silently.
    """
    if path is None:
        path = regions_file(facts.curated_dir)
        if facts.curated_dir is not None and not path.is_file():
            return  # a user's curation need not curate regions
    try:
        entries, problems = load_regions(path)
    except (OSError, yaml.YAMLError) as exc:
        facts.warnings.append(f"regions: cannot read {path}: {exc}")
        return
    facts.warnings.extend(f"regions: {p}" for p in problems)
    by_file = {doc.path.name: doc for doc in docs}

    for entry in entries:
        if (
            entry.file not in by_file
        ):  # curated facts apply only to builds that include their source
            continue
        try:
            cite = find_quote(by_file, entry.file, entry.quote)
        except ExtractionError as exc:
            facts.warnings.append(f"regions: {entry.label}: {exc}; skipped")
            continue
        iri = _write(facts, entry)
        facts.provenance(iri, cite)
        for note in entry.notes:
            try:
                note_cite = find_quote(by_file, note.file, note.quote, note.footnote)
            except ExtractionError as exc:
                facts.warnings.append(
                    f"regions: {entry.label} note {note.id!r}: {exc}; note skipped"
                )
                continue
            facts.text(iri, KB.note, note.text)
            facts.add(iri, PROV.wasDerivedFrom, passage_iri(note_cite.passage.id))


def _write(facts: FactGraph, entry: Entry) -> URIRef:
    """The triples of one entry (without provenance)."""
    if entry.kind == "region":
        iri = region_iri(entry.name)
        facts.add(iri, RDF.type, KB.Region)
        facts.label(iri, entry.name)
        return iri
    if entry.kind == "subregion":
        iri = subregion_iri(entry.name)
        facts.add(iri, RDF.type, KB.Subregion)
        facts.label(iri, entry.name)
        facts.add(iri, ORG.subOrganizationOf, region_iri(entry.region))
        return iri
    iri = municipality_iri(entry.name)
    facts.add(iri, RDF.type, KB.Municipality)
    facts.label(iri, entry.name)
    facts.add(iri, KB.inRegion, region_iri(entry.region))
    if entry.subregion:
        facts.add(iri, KB.inSubregion, subregion_iri(entry.subregion))
    if entry.cbs:
        facts.add(iri, KB.cbsCode, entry.cbs)
        facts.add(iri, OWL.sameAs, tooi_iri(entry.cbs))
    if entry.own_purchasing:
        facts.add(iri, KB.ownPurchasing, Literal(True))
    return iri


def link_municipalities(
    docs: list[Document], facts: FactGraph, *, register: Register | None = None
) -> None:
    """Memberships from the member lists of every document, and register codes for every
    municipality in the graph (see the module docstring).

    A document without a region states no membership. Warnings name the document and the
    municipality: a former municipality, a curated CBS code that disagrees with the register.
    """
    register = register or load_register()
    for doc in docs:
        _warn_former(doc, facts, register)
        if not doc.meta.region:
            continue
        region = region_iri(doc.meta.region)
        if (region, RDF.type, KB.Region) not in facts.graph:
            facts.add(region, RDF.type, KB.Region)
            facts.label(region, doc.meta.region)
        for member_list in find_member_lists(doc.text, register, facts.vocabulary):
            cite = _cite_span(doc, member_list.start, member_list.end)
            if cite is None:
                continue
            for member in member_list.members:
                _membership(facts, doc, region, cite, member)
        for partial in find_partial_members(doc.text, register, facts.vocabulary):
            cite = _cite_span(doc, partial.start, partial.end)
            if cite is None:
                continue
            # The sentence that limits the taking part qualifies the membership (and makes one
            # where no list names the municipality).
            member = Member(partial.mention, partial.qualifier, partial.mention.end)
            iri = membership_iri(doc.meta.region, partial.mention.name, doc.id)
            if (iri, RDF.type, ORG.Membership) in facts.graph:
                facts.text(iri, KB.note, partial.qualifier)
                facts.add(iri, PROV.wasDerivedFrom, passage_iri(cite.passage.id))
            else:
                _membership(facts, doc, region, cite, member)
    _link_register(facts, register)


def _cite_span(doc: Document, start: int, end: int) -> Cite | None:
    """Cite ``start:end``, starting inside a passage: an introduction the reader took for a
    heading ("Deelnemende gemeenten:") is in no passage, so the quote then starts at the list."""
    for passage in doc.passages:
        if passage.end > start and passage.start < end:
            return Cite(doc, max(start, passage.start), end)
    return None


def _warn_former(doc: Document, facts: FactGraph, register: Register) -> None:
    seen: set[str] = set()
    for mention in find_municipalities(doc.text, register):
        if mention.former is not None and mention.former.name not in seen:
            seen.add(mention.former.name)
            facts.warnings.append(
                f"regions: {doc.path.name}: former municipality {mention.surface!r} kept as "
                f"named, not linked ({mention.former.note})"
            )


def _membership(
    facts: FactGraph, doc: Document, region: URIRef, cite: Cite, member: Member
) -> None:
    """One ``org:Membership`` of a member list, and the municipality it makes a member."""
    mention = member.mention
    name = mention.name
    region_name = str(facts.graph.value(region, RDFS.label) or doc.meta.region)
    iri = membership_iri(doc.meta.region, name, doc.id)
    facts.add(iri, RDF.type, ORG.Membership)
    facts.add(iri, ORG.organization, region)
    facts.add(iri, KB.inDocument, doc_iri(doc.id))
    # A long list may span passages (its cue in one, bullets in the next): the membership
    # quotes the part of the list in the passage that names the member, so its quote is
    # verbatim in the one passage it is derived from.
    passage = doc.passage_at(mention.start)
    cite = Cite(doc, max(cite.start, passage.start), min(cite.end, passage.end))
    facts.provenance(iri, cite)
    if member.qualifier:
        facts.text(iri, KB.note, member.qualifier)
    if mention.former is not None:
        # Kept as named: the membership says who, but links no municipality that no longer is.
        facts.label(iri, f"{mention.surface} (voormalige gemeente) in {region_name}")
        facts.text(iri, KB.note, mention.former.note)
        return
    municipality = municipality_iri(name)
    facts.label(iri, f"{name} in {region_name}")
    facts.add(iri, ORG.member, municipality)
    if (municipality, RDF.type, KB.Municipality) not in facts.graph:
        facts.add(municipality, RDF.type, KB.Municipality)
        facts.label(municipality, name)
        facts.provenance(municipality, cite)  # its first evidence, as curated ones have
    facts.add(municipality, KB.inRegion, region)


def _link_register(facts: FactGraph, register: Register) -> None:
    """Give every municipality in the graph its register code; warn where a code disagrees."""
    subjects = facts.graph.subjects(RDF.type, KB.Municipality)
    for municipality in sorted({s for s in subjects if isinstance(s, URIRef)}, key=str):
        label = str(facts.graph.value(municipality, RDFS.label) or "")
        entry = register.lookup(label)
        if entry is None:
            former = register.lookup_former(label)
            if former is not None:
                facts.warnings.append(
                    f"regions: municipality {label!r} is not in the register ({former.note})"
                )
            continue
        codes = {str(c) for c in facts.graph.objects(municipality, KB.cbsCode)}
        if not codes:
            facts.add(municipality, KB.cbsCode, entry.cbs_code)
            facts.add(municipality, OWL.sameAs, entry.tooi)
        elif codes != {entry.cbs_code}:
            facts.warnings.append(
                f"regions: municipality {label!r}: CBS code {', '.join(sorted(codes))} differs "
                f"from the register's {entry.cbs_code} ({REGISTER_NOTE})"
            )


#: Where a reader finds the register, named in warnings.
REGISTER_NOTE = "ontology/register/gemeenten.csv"
