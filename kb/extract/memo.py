"""Facts from a progress memo on a regional purchasing strategy (document type ``memo``).

The Holland Rijnland memo of 14 August 2018 is a Word conversion whose heading levels are
unreliable: the reader made some bold lines headings (``Risico's``, ``Concrete adviezen m.b.t.
inkoop``) and left others paragraphs (``BIJLAGE 1: …``, ``Gemeenten: beleid``, ``a. Doorontwikkeling
beleid``), and a signature line (``Regionaal beleidsteam jeugd``) became a heading. So this
extractor does not use the section tree: it walks the blocks *in document order* and lets *title
lines* set the context.

Title lines
    A heading, or a short paragraph (≤ 12 words, ≤ 100 characters) that does not end in a full
    stop. A title ending in ``:`` with more than three words (``De huidige contractering Jeugdhulp
    kent de volgende deelopovereenkomsten:``) introduces a list and changes nothing. A title that is
    only a date (``14-08-2018``, the signature date) ends the context. A lettered title
    (``a. Doorontwikkeling beleid``) is a theme inside the current context and keeps it. Any other
    title sets the context by its words, as the memo's layout profile gives them
    (``memo_contexts`` in ``kb/extract/profiles/voortgangsmemo.yaml``, :mod:`kb.extract.layouts`):

    ========================================  ==================================================
    title                                     context
    ========================================  ==================================================
    ``Huidige contractering …``               contracts
    ``… mijlpalen …``                         milestones
    ``Risico's``                              risks
    ``BIJLAGE n: …``                          advice (the appendix title is kept as subject)
    ``… advie(s/zen) …`` / ``… opbrengsten …``  advice (a group inside the appendix)
    anything else inside an appendix          advice group (``Gemeenten: beleid``)
    anything else                             none
    ========================================  ==================================================

What is written (each with ``kb:inDocument``, ``kb:aboutRegion`` the document's region, ``kb:text``,
``rdfs:label``, ``kb:ordinal`` and provenance; IRIs ``entity_iri(kind, region, "memo-<year>", n)``)
    * ``kb:Phase`` (kind ``phase``, n = the phase number, ``kb:phaseNumber``): for every phase
      number the memo *describes*, the first sentence that does so — a sentence that starts with the
      phase (``Fase 1 bestaat uit …``, ``Fase 2 en 3, de ontwikkeling van …``) or that assigns work
      to it (``… uit te werken in fase 2``). Sentences that only refer to a phase (``de opdracht
      gegeven fase 1 uit te voeren``) do not describe it; ``in deze fase 2 zaken`` means "two
      things in this phase", not phase 2, and does not match either pattern.
    * ``kb:Decision`` (kind ``decision``): every paragraph that reports a decision — it says
      ``besloten``, ``afgesproken``, ``ingestemd`` or ``verlengd`` (a wish to extend, "verlengen",
      or "een besluit hierover is niet genomen" is not a decision). ``kb:text`` is the paragraph,
      ``rdfs:label`` the deciding sentence, ``kb:date`` the date in the paragraph or else in the
      title above it (``Besluit PHO 30 mei 2018``); a date without a year gets the memo's year.
    * ``kb:ContractArrangement`` (kind ``contract-arrangement``): the bullets of the first list
      under ``Huidige contractering`` (a later list in the same context, such as "in deze fase 2
      zaken van belang", is not a contract).
    * ``kb:Advice`` (kind ``advice``): every bullet in an advice context, with ``dct:subject`` the
      appendix title and the group title (``Concrete adviezen m.b.t. inkoop``). Paragraphs in an
      advice context that only report on sessions are not advice.
    * ``kb:Risk`` (kind ``risk``): every paragraph under ``Risico's``.
    * ``kb:Milestone`` (kind ``milestone``): every paragraph under a theme of ``Relevante
      mijlpalen in parallelle processen``, labelled with the theme, with ``kb:year`` (the first
      year in the paragraph) and ``kb:month`` when a month or a ``d-m-yyyy`` date is stated
      ("najaar 2018" gives the year only).

When a kind is missing from a memo a warning says so; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS

from kb.extract.common import Cite, FactGraph, doc_iri, entity_iri, is_document_type
from kb.extract.documents import region_iri
from kb.extract.layouts import profile_for
from kb.ingest.model import Document, PlacedBlock
from kb.rdf.namespaces import KB
from kb.rdf.vocabulary import MONTH_PATTERN, month_number

#: The document type (concept slug in ``documenttypen``) this extractor reads.
DOC_TYPE = "memo"
_MONTH_ALT = MONTH_PATTERN
DATE_WORDS_RE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_ALT})(?:\s+((?:19|20)\d\d))?\b", re.I)
DATE_NUM_RE = re.compile(r"\b(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b")
MONTH_YEAR_RE = re.compile(rf"\b({_MONTH_ALT})\s+((?:19|20)\d\d)\b", re.I)
YEAR_RE = re.compile(r"\b((?:19|20)\d\d)\b")
DATE_ONLY_RE = re.compile(r"^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\s*$")
LETTERED_RE = re.compile(r"^\s*[a-z][.)]\s+\S")
#: A sentence ends at . ! or ? followed by white space and a capital, digit or quote, unless the
#: word before the stop is an abbreviation with inner stops ("m.u.v.", "m.b.t.", "o.a.").
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘“\"'(])")
_ABBREVIATION_END_RE = re.compile(r"(?:^|\s)\(?(?:[A-Za-z]{1,4}\.){2,}$")
DECISION_RE = re.compile(r"\b(besloten|afgesproken|ingestemd|verlengd)\b", re.I)
PHASE_START_RE = re.compile(r"^\s*fase\s+(\d+)((?:\s*(?:,|en|t/m|tot en met)\s*\d+)*)", re.I)
PHASE_ASSIGN_RE = re.compile(
    r"\b(?:uit te werken|uitgewerkt|uit te voeren|plaatsvinden|volgt)\s+in\s+fase\s+(\d+)", re.I
)


@dataclass
class _State:
    """Where the walk is: the context, its title, the theme and the appendix."""

    context: str = ""
    title: str = ""
    theme: str = ""
    appendix: str = ""
    group: str = ""
    list_closed: bool = False
    seen_items: bool = False


@dataclass
class _Found:
    """What the walk collected, per kind, in document order."""

    phases: dict[int, Cite] = field(default_factory=dict)
    decisions: list[tuple[PlacedBlock, str, str]] = field(default_factory=list)
    contracts: list[PlacedBlock] = field(default_factory=list)
    advice: list[tuple[PlacedBlock, list[str]]] = field(default_factory=list)
    risks: list[PlacedBlock] = field(default_factory=list)
    milestones: list[tuple[PlacedBlock, str]] = field(default_factory=list)


def is_title(block: PlacedBlock) -> bool:
    """A heading, or a short paragraph without a closing full stop."""
    if block.kind == "heading":
        return True
    if block.kind != "paragraph":
        return False
    text = block.text.strip()
    return len(text) <= 100 and len(text.split()) <= 12 and not text.endswith(".")


def memo_key(doc: Document) -> str:
    """``memo-2018``: the middle part of the IRIs of this memo's facts."""
    year = doc.meta.year or (doc.meta.date.year if doc.meta.date else None)
    return f"memo-{year}" if year else f"memo-{doc.id}"


def extract(docs: list[Document], facts: FactGraph) -> None:
    """Phases, decisions, contracts, advice, risks and milestones of every memo."""
    used: set[tuple[str, str]] = set()
    for doc in docs:
        if not is_document_type(facts, doc, DOC_TYPE):
            continue
        region = doc.meta.region or "onbekend"
        if not doc.meta.region:
            facts.warnings.append(f"memo: {doc.path.name}: no region in sources.yaml")
        key = memo_key(doc)
        if (region, key) in used:  # two memos of one region and year: keep IRIs apart
            key = f"memo-{doc.id}"
        used.add((region, key))
        found = _walk(doc, profile_for(doc, facts.vocabulary).memo_contexts)
        _write(doc, facts, found, region, key)


#: Memo contexts of a layout profile: context name → pattern on a title line, in order.
Contexts = tuple[tuple[str, re.Pattern[str]], ...]


def _walk(doc: Document, contexts: Contexts) -> _Found:
    """Collect the blocks of each kind, following the title lines (see module docstring)."""
    found = _Found()
    state = _State()
    for block in doc.blocks:
        if block.kind in ("heading", "paragraph"):
            _phases(doc, block, found)
        if is_title(block):
            _enter(block.text.strip(), state, contexts)
            continue
        if block.kind == "list_item":
            if block.block.level > 0:
                continue  # sub-bullets belong to their parent's text; the memo has none
            if state.context == "contracts" and not state.list_closed:
                found.contracts.append(block)
                state.seen_items = True
            elif state.context == "advice":
                subjects = [s for s in (state.appendix, state.group) if s]
                found.advice.append((block, subjects))
            continue
        if block.kind != "paragraph":
            continue
        if state.context == "contracts" and state.seen_items:
            state.list_closed = True
        if DECISION_RE.search(block.text) and state.context != "advice":
            sentence = next(
                (s for s in _sentences(block.text) if DECISION_RE.search(s[2])), (0, 0, "")
            )[2]
            found.decisions.append((block, sentence, state.title))
        if state.context == "risks":
            found.risks.append(block)
        elif state.context == "milestones" and state.theme:
            found.milestones.append((block, state.theme))
    return found


def _enter(title: str, state: _State, contexts: Contexts) -> None:
    """A title line: change the context, the theme or the appendix group."""
    if DATE_ONLY_RE.match(title):
        state.context, state.title, state.theme = "", "", ""
        return
    if title.endswith(":") and len(title.split()) > 3:
        return  # a lead-in to a list
    if LETTERED_RE.match(title):
        state.theme = re.sub(r"^\s*[a-z][.)]\s+", "", title)
        return
    context = next((name for name, pattern in contexts if pattern.search(title)), "")
    if context == "appendix":
        state.context, state.appendix, state.group = "advice", title, ""
    elif context == "advice" or (not context and state.appendix and state.context == "advice"):
        state.context, state.group = "advice", title
    else:
        state.context, state.appendix, state.group = context, "", ""
    state.title, state.theme = title, ""
    state.list_closed = state.seen_items = False


def _sentences(text: str) -> list[tuple[int, int, str]]:
    """Sentences of a paragraph with their offsets (stripped of surrounding white space)."""
    cuts = [0]
    for m in SENTENCE_END_RE.finditer(text):
        if not _ABBREVIATION_END_RE.search(text[cuts[-1] : m.start()]):
            cuts.append(m.end())
    cuts.append(len(text))
    out: list[tuple[int, int, str]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append((start + lead, start + lead + len(body), body))
    return out


def item_label(text: str, max_words: int = 14) -> str:
    """The first sentence (abbreviations such as "m.u.v." do not end it), at most ``max_words``."""
    sentences = _sentences(" ".join(text.split()))
    first = sentences[0][2] if sentences else text
    words = first.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]) + " …"
    return first.rstrip(".:;")


def _phases(doc: Document, block: PlacedBlock, found: _Found) -> None:
    """Record the first describing sentence of every phase number (see module docstring)."""
    for start, end, sentence in _sentences(block.text):
        numbers: list[int] = []
        m = PHASE_START_RE.match(sentence)
        if m:
            numbers = [int(m.group(1)), *(int(n) for n in re.findall(r"\d+", m.group(2)))]
        numbers += [int(n) for n in PHASE_ASSIGN_RE.findall(sentence)]
        for n in numbers:
            found.phases.setdefault(n, Cite(doc, block.start + start, block.start + end))


def parse_date(text: str, default_year: int | None, before: date | None = None) -> date | None:
    """``30 mei 2018`` / ``11 juli`` / ``1-1-2020`` → a date (the year defaults to the memo's year,
    or the year before when the date would fall after the memo: a memo reports back)."""
    m = DATE_NUM_RE.search(text)
    if m:
        try:
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None
    m = DATE_WORDS_RE.search(text)
    if not m:
        return None
    year = int(m.group(3)) if m.group(3) else default_year
    if year is None:
        return None
    try:
        found = date(year, month_number(m.group(2)) or 0, int(m.group(1)))
    except ValueError:
        return None
    if not m.group(3) and before and found > before:
        found = found.replace(year=year - 1)
    return found


def year_month(text: str) -> tuple[int | None, int | None]:
    """The first year a paragraph states, and its month when one is given with it."""
    m = DATE_NUM_RE.search(text)
    if m:
        return int(m.group(3)), int(m.group(2))
    m = MONTH_YEAR_RE.search(text)
    if m:
        return int(m.group(2)), month_number(m.group(1))
    m = YEAR_RE.search(text)
    return (int(m.group(1)), None) if m else (None, None)


def _common(facts: FactGraph, iri: URIRef, doc: Document, region: str) -> None:
    facts.add(iri, KB.inDocument, doc_iri(doc.id))
    facts.add(iri, KB.aboutRegion, region_iri(region))


def _write(doc: Document, facts: FactGraph, found: _Found, region: str, key: str) -> None:
    name = doc.path.name
    memo_date = doc.meta.date
    memo_year = doc.meta.year or (memo_date.year if memo_date else None)

    for n, cite in sorted(found.phases.items()):
        iri = entity_iri("phase", region, key, str(n))
        facts.item(iri, KB.Phase, cite.quote, cite, ordinal=n, label=f"Fase {n}")
        facts.add(iri, KB.phaseNumber, Literal(n, datatype=XSD.integer))
        _common(facts, iri, doc, region)

    for n, (block, sentence, title) in enumerate(found.decisions, 1):
        iri = entity_iri("decision", region, key, str(n))
        cite = Cite(doc, block.start, block.end)
        facts.item(iri, KB.Decision, block.text, cite, ordinal=n, label=item_label(sentence))
        # The paragraph's own date wins; else the title's ("Besluit PHO 30 mei 2018").
        when = parse_date(block.text, memo_year, memo_date)
        when = when or parse_date(title, memo_year, memo_date)
        if when:
            facts.add(iri, KB.date, Literal(when, datatype=XSD.date))
        _common(facts, iri, doc, region)

    for n, block in enumerate(found.contracts, 1):
        iri = entity_iri("contract-arrangement", region, key, str(n))
        cite = Cite(doc, block.start, block.end)
        facts.item(
            iri, KB.ContractArrangement, block.text, cite, ordinal=n, label=item_label(block.text)
        )
        _common(facts, iri, doc, region)

    for n, (block, subjects) in enumerate(found.advice, 1):
        iri = entity_iri("advice", region, key, str(n))
        cite = Cite(doc, block.start, block.end)
        facts.item(iri, KB.Advice, block.text, cite, ordinal=n, label=item_label(block.text))
        for subject in subjects:
            facts.text(iri, DCTERMS.subject, subject)
        _common(facts, iri, doc, region)

    for n, block in enumerate(found.risks, 1):
        iri = entity_iri("risk", region, key, str(n))
        cite = Cite(doc, block.start, block.end)
        facts.item(iri, KB.Risk, block.text, cite, ordinal=n, label=item_label(block.text))
        _common(facts, iri, doc, region)

    for n, (block, theme) in enumerate(found.milestones, 1):
        iri = entity_iri("milestone", region, key, str(n))
        facts.item(
            iri, KB.Milestone, block.text, Cite(doc, block.start, block.end), ordinal=n, label=theme
        )
        year, month = year_month(block.text)
        if year:
            facts.add(iri, KB.year, Literal(year, datatype=XSD.integer))
        if month:
            facts.add(iri, KB.month, Literal(month, datatype=XSD.integer))
        _common(facts, iri, doc, region)

    for kind, items in (
        ("phases (Fase …)", found.phases),
        ("decisions", found.decisions),
        ("contracts (Huidige contractering)", found.contracts),
        ("advice", found.advice),
        ("risks (Risico's)", found.risks),
        ("milestones (Relevante mijlpalen …)", found.milestones),
    ):
        if not items:
            facts.warnings.append(f"memo: {name}: no {kind} found")
