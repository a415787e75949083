"""Curated facts: regional choices (``choices*.yaml``) and the steward's decisions on proposals.

The curated folder is ``FactGraph.curated_dir`` (the setting ``curated_dir``; by default
``curated/`` next to the first source folder, so the bundled corpus reads its own ``kb/curated``
and a user's corpus the folder beside the user's documents, never the installed package's).

**Decisions** (``voorstellen*.yaml``, written by ``kb curate suggest``, see :mod:`kb.curate`):
each entry names a fact a prose pattern proposed. ``accept`` makes it confirmed (``kb:status``
"bevestigd", ``prov:wasGeneratedBy`` the curation of that file, with its quote and passage; a
corrected ``value:`` is parsed like prose); ``reject`` removes it from the graph. An entry whose
quote no longer occurs in its document is skipped with a warning that names the file and the
quote. See :func:`apply_decisions`.

**Regional choices**:

Some facts are easier to state than to extract: "the Achterhoek goes from 221 to about 60
providers" sits in a news article's prose. A data steward writes such facts in YAML, one entry per
statement, and this module turns them into the graph — but only with their evidence: every entry
carries an exact quote from a source document, and the quote is looked up in that document's
cleaned text (:func:`kb.extract.common.cite_text`). A quote that is not found (because the source
or the quote was edited) is never written without provenance: the entry is skipped with a warning
that names the YAML file, the entry and the source file.

Every file ``kb/curated/choices*.yaml`` is read, so a region can add ``choices-<region>.yaml``
beside the shared file; other curated YAML files (of another shape) are left to their own
extractors. Entry format (see the comment at the top of ``choices.yaml``)::

    - region: Achterhoek
      aspect: contractduur          # concept slug in keuze-aspecten
      value: "3 jaar met twee keer een optie op verlenging met 2 jaar (3+2+2)"
      numeric: 3                    # optional → kb:numericValue (xsd:decimal)
      date: 2022-01-01              # optional → kb:date (xsd:date)
      concept: lumpsum              # optional slug or list → kb:concept
      file: 2020-07-29_achterhoek_artikel-jeugdhulp-op-de-schop.txt
      quote: "<exact text of the source>"

Aspects are the concepts of the scheme ``keuze-aspecten`` and concepts those of
``bekostigingsvormen`` and ``inkoopmodellen`` (:mod:`kb.rdf.vocabulary`), named by slug; the
choice's label uses the aspect's preferred label. A choice is written as
``kbi:choice/{region}/{aspect}/{n}`` (n counts the entries of that region
and aspect in reading order) with ``kb:region``, ``kb:aspect``, ``kb:value`` (@nl), the optional
``kb:numericValue``, ``kb:date`` and ``kb:concept``, and provenance (passage, quote, offsets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import PROV

from kb.curate.decisions import ACCEPT, Decision, DecisionError, decision_files, load_decisions
from kb.extract.common import (
    CURATION,
    METHODS,
    PROSE,
    ExtractionError,
    FactGraph,
    add_method,
    cite_text,
    entity_iri,
)
from kb.extract.documents import region_iri
from kb.extract.prose import (
    CENTRUMGEMEENTE,
    CONCEPT_KINDS,
    CONTRACT_DURATION,
    CONTRACT_END,
    CONTRACT_START,
    DECISION_DATE,
    END_DATE,
    PENVOERDER,
    START_DATE,
    STATUS_CONFIRMED,
    ConceptMention,
    Name,
    add_value,
)
from kb.extract.prose.findings import Value
from kb.extract.values import find_dates, find_durations, find_numbers
from kb.ingest.model import Document, ReadError
from kb.ingest.passages import slugify
from kb.rdf.namespaces import KB, OA
from kb.rdf.vocabulary import Vocabulary, load_vocabulary
from kb.resources import curated_dir
from kb.settings import BUNDLED_CORPUS
from kb.yamlfile import YamlSyntaxError, parse_yaml

#: Where the curated files live (package data beside the code).
CURATED_DIR = curated_dir()
#: Which files in it hold regional choices.
CHOICE_FILES = "choices*.yaml"

#: The scheme whose concepts are the aspects a choice is about.
ASPECT_SCHEME = "keuze-aspecten"
#: The schemes whose concepts an entry may name (``concept:``), by slug.
CONCEPT_SCHEMES = ("bekostigingsvormen", "inkoopmodellen")
#: Kinds of proposed facts whose value is a date.
DATE_KINDS = (CONTRACT_START, CONTRACT_END, START_DATE, END_DATE, DECISION_DATE)
REQUIRED_FIELDS = ("region", "aspect", "value", "file", "quote")
OPTIONAL_FIELDS = ("numeric", "date", "concept")


@dataclass(frozen=True)
class ChoiceEntry:
    """One validated YAML entry, with where it was written (for messages)."""

    source: Path
    index: int
    line: int
    region: str
    aspect: str
    value: str
    file: str
    quote: str
    numeric: Decimal | None = None
    date: dt.date | None = None
    concepts: tuple[tuple[str, str], ...] = ()  # (scheme, slug)

    @property
    def name(self) -> str:
        """How messages name the entry: file, position, line, region and aspect."""
        where = f"line {self.line}: {self.region} / {self.aspect}"
        return f"{self.source.name} entry {self.index} ({where})"


def choice_files(directory: Path = CURATED_DIR) -> list[Path]:
    """The curated choice files, in a stable order."""
    return sorted(directory.glob(CHOICE_FILES))


def load_choices(
    path: Path, vocabulary: Vocabulary | None = None
) -> tuple[list[ChoiceEntry], list[str]]:
    """Read and validate one choices file: the valid entries and a message per invalid one.

    Aspects and concepts are checked against ``vocabulary`` (default: the configured ontology).

    Raises :class:`ReadError` (``<path>: <reason>``) when the file cannot be read, is not valid
    YAML (with line and column) or is not a list of entries.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReadError(path, f"cannot read curated file: {exc}") from None
    try:
        parsed = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise ReadError(path, str(exc)) from None
    data = parsed.data
    if data is None:
        return [], []
    if not isinstance(data, list):
        raise ReadError(path, f"expected a list of choice entries, found {type(data).__name__}")
    lines = parsed.item_lines()
    entries: list[ChoiceEntry] = []
    problems: list[str] = []
    vocabulary = vocabulary or load_vocabulary()
    for index, raw in enumerate(data, 1):
        line = lines[index - 1] if index - 1 < len(lines) else 0
        entry, errors = _validate(path, index, line, raw, vocabulary)
        problems.extend(errors)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _validate(
    path: Path, index: int, line: int, raw: Any, vocabulary: Vocabulary
) -> tuple[ChoiceEntry | None, list[str]]:
    """Check one entry; a missing field or an unknown aspect/concept rejects it."""
    if not isinstance(raw, dict):
        return None, [f"{path.name} entry {index} (line {line}): expected a mapping, got {raw!r}"]
    region, aspect = str(raw.get("region") or "?"), str(raw.get("aspect") or "?")
    label = f"{path.name} entry {index} (line {line}: {region} / {aspect})"
    errors: list[str] = []
    warnings: list[str] = []
    for key in REQUIRED_FIELDS:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.append(f"{label}: missing field {key!r}")
        elif not isinstance(value, str):
            errors.append(f"{label}: field {key!r} must be text, got {value!r}")
    unknown = sorted(set(raw) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        # Not fatal, but a typo ("qoute") usually also shows up as a missing field.
        warnings.append(f"{label}: unknown field(s) {', '.join(map(repr, unknown))} ignored")
    aspects = [c.slug for c in vocabulary.concepts(ASPECT_SCHEME)]
    if isinstance(raw.get("aspect"), str) and raw["aspect"] not in aspects:
        errors.append(
            f"{label}: unknown aspect {raw['aspect']!r} (expected one of {', '.join(aspects)})"
        )

    numeric: Decimal | None = None
    if raw.get("numeric") is not None:
        value = raw["numeric"]
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            numeric = Decimal(str(value))
        except InvalidOperation:
            errors.append(f"{label}: 'numeric' must be a number, got {value!r}")

    when: dt.date | None = None
    if raw.get("date") is not None:
        value = raw["date"]
        if isinstance(value, dt.datetime):
            when = value.date()
        elif isinstance(value, dt.date):
            when = value
        else:
            try:
                when = dt.date.fromisoformat(str(value))
            except ValueError:
                errors.append(f"{label}: 'date' must be an ISO date (YYYY-MM-DD), got {value!r}")

    concepts: list[tuple[str, str]] = []
    raw_concepts = raw.get("concept")
    slugs = (
        []
        if raw_concepts is None
        else raw_concepts
        if isinstance(raw_concepts, list)
        else [raw_concepts]
    )
    known = {c.slug: name for name in CONCEPT_SCHEMES for c in vocabulary.concepts(name)}
    for slug in slugs:
        scheme = known.get(slug) if isinstance(slug, str) else None
        if scheme is None:
            known_all = sorted(known)
            errors.append(
                f"{label}: unknown concept {slug!r} (expected one of {', '.join(known_all)})"
            )
        else:
            concepts.append((scheme, slug))

    if errors:
        return None, errors + warnings
    return (
        ChoiceEntry(
            source=path,
            index=index,
            line=line,
            region=raw["region"].strip(),
            aspect=raw["aspect"],
            value=raw["value"].strip(),
            file=raw["file"].strip(),
            quote=raw["quote"],
            numeric=numeric,
            date=when,
            concepts=tuple(concepts),
        ),
        warnings,
    )


def extract(docs: list[Document], facts: FactGraph, *, paths: Sequence[Path] | None = None) -> None:
    """Write every curated choice whose quote is found in its source document, then apply the
    steward's decisions on proposed facts (:func:`apply_decisions`)."""
    folder = facts.curated_dir if facts.curated_dir is not None else CURATED_DIR
    add_choices(docs, facts, choice_files(folder) if paths is None else paths)
    apply_decisions(docs, facts, decision_files(facts.curated_dir))


def add_choices(docs: list[Document], facts: FactGraph, paths: Sequence[Path]) -> None:
    """Write every curated choice of ``paths`` whose quote is found in its source document."""
    by_file = {doc.path.name: doc for doc in docs}
    bundled = {p.name for p in BUNDLED_CORPUS.iterdir()} if BUNDLED_CORPUS.is_dir() else set()
    numbers: dict[tuple[str, str], int] = {}
    for path in paths:
        try:
            entries, problems = load_choices(path, facts.vocabulary)
        except ReadError as exc:
            facts.warnings.append(f"curated: {exc}")
            continue
        facts.warnings.extend(f"curated: {p}" for p in problems)
        for entry in entries:
            doc = by_file.get(entry.file)
            if doc is None:
                # Curated facts apply only to builds that include their source: a build of other
                # folders skips the bundled corpus's entries quietly, but a name that matches no
                # file at all is a slip in the YAML and is reported.
                if entry.file not in bundled:
                    facts.warnings.append(
                        f"curated: {entry.name}: source file {entry.file!r} is not among the "
                        "ingested documents; skipped"
                    )
                continue
            try:
                cite = cite_text(doc, entry.quote)
            except ExtractionError:
                facts.warnings.append(
                    f"curated: {entry.name}: quote not found in {entry.file}: "
                    f"{entry.quote[:80]!r}; skipped"
                )
                continue
            if doc.meta.region and slugify(doc.meta.region) != slugify(entry.region):
                # Allowed (an article may compare regions) but usually a copy-paste slip.
                facts.warnings.append(
                    f"curated: {entry.name}: {entry.file} is about {doc.meta.region}, "
                    f"not {entry.region}"
                )
            key = (slugify(entry.region), entry.aspect)
            numbers[key] = numbers.get(key, 0) + 1
            _write(facts, entry, numbers[key], cite)


def _write(facts: FactGraph, entry: ChoiceEntry, n: int, cite: Any) -> URIRef:
    region = region_iri(entry.region)
    facts.add(region, RDF.type, KB.Region)
    facts.label(region, entry.region)

    aspect = facts.vocabulary.concept(ASPECT_SCHEME, entry.aspect)
    choice = entity_iri("choice", entry.region, entry.aspect, str(n))
    facts.add(choice, RDF.type, KB.RegionalChoice)
    facts.label(choice, f"{aspect.pref_label} {entry.region}")
    facts.add(choice, KB.region, region)
    facts.add(choice, KB.aspect, aspect.iri)
    facts.text(choice, KB.value, entry.value)
    facts.add(choice, KB.ordinal, Literal(n, datatype=XSD.integer))
    if entry.numeric is not None:
        facts.add(choice, KB.numericValue, Literal(entry.numeric, datatype=XSD.decimal))
    if entry.date is not None:
        facts.add(choice, KB.date, Literal(entry.date, datatype=XSD.date))
    for scheme, slug in entry.concepts:
        facts.add(choice, KB.concept, facts.vocabulary.concept(scheme, slug).iri)
    facts.provenance(choice, cite, method=CURATION, rule=entry.source.name)
    return choice


# ---------------------------------------------------------------------------------------------
# the steward's decisions on proposed facts


def apply_decisions(docs: list[Document], facts: FactGraph, paths: Sequence[Path]) -> None:
    """Confirm the accepted proposals and remove the rejected ones (see the module docstring).

    A decision refers to a proposal by its id or, when the passage ids moved because the
    document changed, by document, kind and quote. Its quote must still occur in its document.
    """
    by_file = {doc.path.name: doc for doc in docs}
    for path in paths:
        try:
            entries, problems = load_decisions(path)
        except DecisionError as exc:
            facts.warnings.append(f"curated: {exc}")
            continue
        facts.warnings.extend(f"curated: {p}" for p in problems)
        proposals = _proposals(facts)
        for entry in entries:
            if entry.decision is None:
                continue
            doc = by_file.get(entry.document)
            if doc is None:
                facts.warnings.append(
                    f"curated: {entry.where}: document {entry.document!r} is not among the "
                    "ingested documents; decision skipped"
                )
                continue
            try:
                cite_text(doc, entry.quote)
            except ExtractionError:
                facts.warnings.append(
                    f"curated: {entry.where}: the quote no longer occurs in {entry.document}: "
                    f"{entry.quote[:100]!r}; decision skipped (check the document and the entry)"
                )
                continue
            fact = proposals.get(entry.id) or proposals.get(
                (entry.document, entry.kind, entry.quote)
            )
            if fact is None:
                facts.warnings.append(
                    f"curated: {entry.where}: no proposed {entry.kind} with this quote in "
                    f"{entry.document} any more; decision skipped"
                )
                continue
            if entry.decision == ACCEPT:
                _confirm(facts, fact, entry, path)
            else:
                facts.graph.remove((fact, None, None))


def _proposals(facts: FactGraph) -> dict[object, URIRef]:
    """The proposed facts of the graph by id and by (file, kind, quote)."""
    g = facts.graph
    files = {d: str(f) for d, f in g.subject_objects(KB.fileName)}
    sources = dict(g.subject_objects(OA.hasSource))
    out: dict[object, URIRef] = {}
    for fact in g.subjects(RDF.type, KB.ProposedFact):
        if not isinstance(fact, URIRef):
            continue
        out[str(fact).split("/proposed/", 1)[-1]] = fact
        passage = g.value(fact, PROV.wasDerivedFrom)
        name = files.get(sources.get(passage))  # type: ignore[arg-type]
        key = (name, str(g.value(fact, KB.factKind)), str(g.value(fact, KB.quote)))
        out.setdefault(key, fact)
    return out


#: Value properties of a proposed fact (replaced when the steward corrects the value).
_VALUE_PROPERTIES = (
    KB.proposedValue,
    KB.proposedConcept,
    KB.valueText,
    KB.qualifier,
    KB.bound,
    KB.unit,
    KB.datePrecision,
    KB.datePart,
    KB.minimumDuration,
    KB.maximumDuration,
    KB.extensionOption,
    KB.extensionCount,
)


def _confirm(facts: FactGraph, fact: URIRef, entry: Decision, path: Path) -> None:
    g = facts.graph
    written = str(g.value(fact, KB.valueText) or "")
    if entry.value and entry.value != written:
        value = parse_value(entry.kind, entry.value, facts.vocabulary)
        if value is None:
            facts.warnings.append(
                f"curated: {entry.where}: corrected value {entry.value!r} is not a "
                f"{entry.kind} that can be read; accepted with the proposed value {written!r}"
            )
        else:
            for prop in _VALUE_PROPERTIES:
                g.remove((fact, prop, None))
            add_value(g, fact, value)
    g.set((fact, KB.status, Literal(STATUS_CONFIRMED)))
    for activity in list(g.objects(fact, PROV.wasGeneratedBy)):
        if (activity, KB.method, METHODS[PROSE]) in g:
            g.remove((fact, PROV.wasGeneratedBy, activity))
    add_method(g, fact, CURATION, path.name)


def parse_value(kind: str, text: str, vocabulary: Vocabulary) -> Value | None:
    """A value as the steward wrote it, read like prose for the kind of fact (None if it is
    not one): a duration, a date, a number, a concept of the kind's scheme or a name."""
    if kind in CONCEPT_KINDS:
        scheme = CONCEPT_KINDS[kind]
        mentions = vocabulary.find_all(scheme, text)
        concept = mentions[0].concept if mentions else vocabulary.match(scheme, text)
        if concept is None:
            return None
        return ConceptMention(str(concept.iri), text, concept.pref_label)
    if kind == CONTRACT_DURATION:
        durations = find_durations(text)
        return durations[0] if durations else None
    if kind in DATE_KINDS:
        dates = find_dates(text)
        return dates[0] if dates else None
    if kind in (CENTRUMGEMEENTE, PENVOERDER):
        return Name(text.strip()) if text.strip() else None
    numbers = find_numbers(text)
    return numbers[0] if numbers else None
