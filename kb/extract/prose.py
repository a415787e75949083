"""Facts in prose: values that news articles, council letters and strategies state in sentences.

For any document, whatever its layout: contract duration, number of providers now and aimed for,
contract start and end dates, decision dates, numbers of municipalities and youths, the
centrumgemeente or penvoerder, and the funding and purchasing models named. The values are read
by :mod:`kb.extract.values`; this module decides, sentence by sentence, what a value is about.

Each :class:`Finding` carries its kind, its value, the exact quote (a substring of the passage
text, with offsets), the passage id and the name of the rule that found it, so it can be written
into the graph as a *proposed* fact (``kb:ProposedFact`` with ``kb:status "voorgesteld"`` and
``kb:obtainedBy`` the rule, see :func:`add_findings`) for a person to confirm.

The cue words in the rules below are Dutch grammar around a value ("met ingang van", "nu zijn dat
er"); the domain's model names come from the ontology's SKOS schemes (:func:`concept_labels`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kb.extract.values import (
    Duration,
    DutchDate,
    Quantity,
    find_dates,
    find_durations,
    find_numbers,
)
from kb.rdf.namespaces import SCHEME_FUNDING, SCHEME_PURCHASING
from kb.resources import ontology_dir as default_ontology_dir

#: Kinds of findings (``Finding.kind``).
CONTRACT_DURATION = "contract_duration"
PROVIDERS_NOW = "providers_now"
PROVIDERS_TARGET = "providers_target"
PROVIDERS = "providers"  # a number of providers whose time the sentence does not say
CONTRACT_START = "contract_start"
CONTRACT_END = "contract_end"
START_DATE = "start_date"
END_DATE = "end_date"
DECISION_DATE = "decision_date"
MUNICIPALITY_COUNT = "municipality_count"
YOUTH_COUNT = "youth_count"
CENTRUMGEMEENTE = "centrumgemeente"
PENVOERDER = "penvoerder"
FUNDING_MODEL = "funding_model"
PURCHASING_MODEL = "purchasing_model"

#: The schemes whose concepts are findings when a passage names them.
CONCEPT_KINDS = {FUNDING_MODEL: SCHEME_FUNDING, PURCHASING_MODEL: SCHEME_PURCHASING}

#: The status of every finding in the graph: proposed, not confirmed by a person.
STATUS_PROPOSED = "voorgesteld"


class PassageLike(Protocol):
    """What the extractor needs of a passage (``kb.ingest.model.Passage`` fits)."""

    id: str
    text: str


@dataclass(frozen=True)
class ConceptMention:
    """A SKOS concept named in the text, with the label that matched."""

    concept: str
    label: str
    pref_label: str

    def to_dict(self) -> dict[str, object]:
        return {"concept": self.concept, "label": self.label, "pref_label": self.pref_label}


@dataclass(frozen=True)
class Name:
    """A proper name next to a role word (the centrumgemeente, the penvoerder)."""

    name: str

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name}


Value = Quantity | DutchDate | Duration | ConceptMention | Name


@dataclass(frozen=True)
class Finding:
    """One value found in a passage: what it is about, the value, where it is and which rule.

    ``quote == passage_text[start:end]``; ``value_start``/``value_end`` locate the value itself in
    the passage text.
    """

    kind: str
    value: Value
    quote: str
    passage_id: str
    start: int
    end: int
    rule: str
    value_start: int
    value_end: int

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "value": self.value.to_dict(),
            "quote": self.quote,
            "passage_id": self.passage_id,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
        }


# ---------------------------------------------------------------------------------------------
# Vocabulary: labels of the funding and purchasing schemes (swap for kb.rdf.vocabulary later)
# ---------------------------------------------------------------------------------------------


def _folder_key(ontology: Path | None) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """The folder and the name, size and mtime of its Turtle files: a cache key that changes
    when a file does."""
    folder = Path(ontology or default_ontology_dir())
    files = tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.ttl"))
    )
    return str(folder), files


@lru_cache(maxsize=8)
def _scheme_graph(key: tuple[str, tuple[tuple[str, int, int], ...]]) -> Graph:
    graph = Graph()
    for name, _size, _mtime in key[1]:
        graph.parse(Path(key[0]) / name, format="turtle")
    return graph


def concept_labels(scheme: URIRef, ontology: Path | None = None) -> list[tuple[str, str, str]]:
    """``(concept IRI, label, Dutch preferred label)`` for every Dutch label of a scheme.

    Reads the SKOS scheme from the ontology folder (cached per folder and file state);
    preferred, alternative and hidden labels all count. This is the one seam to replace by
    ``kb.rdf.vocabulary``.
    """
    graph = _scheme_graph(_folder_key(ontology))
    rows: list[tuple[str, str, str]] = []
    for concept in sorted(graph.subjects(SKOS.inScheme, scheme)):
        pref = next(
            (str(o) for o in graph.objects(concept, SKOS.prefLabel) if o.language == "nl"), ""
        )
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in graph.objects(concept, prop):
                if isinstance(label, Literal) and label.language in ("nl", None):
                    rows.append((str(concept), str(label), pref or str(label)))
    return rows


@lru_cache(maxsize=16)
def _concept_pattern(
    scheme: URIRef, key: tuple[str, tuple[tuple[str, int, int], ...]]
) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    """One regex over all labels (longest first, word bounded) and folded label → concept."""
    by_label: dict[str, tuple[str, str]] = {}
    for concept, label, pref in concept_labels(scheme, Path(key[0])):
        by_label.setdefault(_fold(label), (concept, pref))
    alternatives = sorted(by_label, key=len, reverse=True)
    # Label words may be split by any white space or a hyphen in running text.
    body = "|".join(r"[\s-]+".join(re.escape(w) for w in a.split()) for a in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE), by_label


def _fold(label: str) -> str:
    """Lower case, white space and hyphens between words as one space."""
    return " ".join(re.split(r"[\s-]+", label.lower().strip()))


def find_concepts(
    scheme: URIRef, text: str, ontology: Path | None = None
) -> list[tuple[int, int, ConceptMention]]:
    """Every concept of ``scheme`` named in ``text``: (start, end, mention)."""
    pattern, by_label = _concept_pattern(scheme, _folder_key(ontology))
    found = []
    for m in pattern.finditer(text):
        if hit := by_label.get(_fold(m.group(0))):
            found.append((m.start(), m.end(), ConceptMention(hit[0], m.group(0), hit[1])))
    return found


# ---------------------------------------------------------------------------------------------
# Cue words (Dutch grammar around values)
# ---------------------------------------------------------------------------------------------

CONTRACT_CUE = re.compile(
    r"contract|overeenkom|looptijd|periode|verleng|in\s+zee|gecontracteerd|gegund|gunning"
    r"|aanbested|inkoop|ingekocht",
    re.IGNORECASE,
)
PROVIDER_NOUN = r"[^\W\d_]*aanbieders?\b"
NOW_CUE = re.compile(
    r"\b(?:nu|momenteel|op\s+dit\s+moment|thans|huidige?|op\s+dit\s+ogenblik|waren|hadden|had"
    r"|heden|tot\s+nu\s+toe)\b",
    re.IGNORECASE,
)
TARGET_CUE = re.compile(
    r"\b(?:gaan|gaat|zullen|zal|straks|beoogd\w*|streven|streeft|willen|wil|toekomst\w*|nieuwe"
    r"|terug\s+naar|worden|wordt|in\s+zee|na\s+de\s+aanbesteding|vanaf)\b",
    re.IGNORECASE,
)
NOW_ANAPHORA = re.compile(
    r"(?:\b(?:nu|momenteel|op\s+dit\s+moment|thans)\s+(?:zijn|is|werken|hebben)\s+(?:dat|het)"
    r"(?:\s+er)?|\b(?:dat|het)\s+(?:zijn|waren)\s+er\s+(?:nu|momenteel|thans|op\s+dit\s+moment))"
    r"\s+$",
    re.IGNORECASE,
)
FROM_TO_GAP = re.compile(rf"^\s*(?:{PROVIDER_NOUN}\s+)?(?:naar|tot)\s+$", re.IGNORECASE)
START_CUE = re.compile(
    r"(?:met\s+ingang\s+van|ingaande|per|vanaf|niet\s+eerder\s+dan|ingangsdatum(?:\s+is)?"
    r"|(?:start|starten|begint|beginnen|gaan\s+in|gaat\s+in|ingaan|ingaat|in\s+gaan)"
    r"(?:\s+(?:op|per|in))?)\s+$",
    re.IGNORECASE,
)
END_CUE = re.compile(
    r"(?:tot\s+en\s+met|t/m|tot|eindig(?:en|t)\s+(?:op|per)|(?:lopen|loopt)\s+af\s+(?:op|per)"
    r"|aflopen\s+(?:op|per)|verlop(?:en|t)\s+(?:op|per)|einddatum(?:\s+is)?)\s+$",
    re.IGNORECASE,
)
RANGE_START = re.compile(r"\bvan\s+$", re.IGNORECASE)
RANGE_NEXT = re.compile(r"\s*(?:tot\s+en\s+met|t/m|tot)\s", re.IGNORECASE)
DECISION_CUE = re.compile(
    r"\b(?:beslo(?:ot|ten)|besluit|besluiten|vastgesteld|vast\s+te\s+stellen|vaststelling"
    r"|stemde|ingestemd|instemming|akkoord|goedgekeurd|goedkeuring)\b",
    re.IGNORECASE,
)
DECISION_PREP = re.compile(r"(?:\bop|\bvan|d\.d\.|\bin|\bper)\s+$", re.IGNORECASE)
MUNICIPALITY_NOUN = re.compile(r"\s+(?:[^\W\d_]+\s+)?[^\W\d_]*gemeenten\b", re.IGNORECASE)
YOUTH_NOUN = re.compile(
    r"\s+(?:[^\W\d_]+\s+)?(?:jeugdigen|kinderen|jongeren|cliënten)\b", re.IGNORECASE
)

#: A municipality name: capitalised words and the particles inside names ('s-Hertogenbosch,
#: Bergen op Zoom, Alphen aan den Rijn, Bergen (L.)).
_NAME = (
    r"(?:['’]s-)?[A-Z][\w'’-]*(?:\s+(?:(?:aan|op|den|de|der|van|in)\s+)*[A-Z][\w'’-]*)*"
    r"(?:\s+\((?:[A-Z][A-Za-z]*\.?)+\))?"
)
_ROLE = r"(?P<role>(?i:centrumgemeente|penvoerder))"
ROLE_AFTER_NAME = re.compile(
    rf"(?:\b[Gg]emeente\s+)?(?P<name>{_NAME})\s+(?:is|wordt|blijft|was|treedt\s+op\s+als"
    rf"|trad\s+op\s+als|fungeert\s+als|als)\s+(?:de\s+)?{_ROLE}\b",
)
ROLE_BEFORE_NAME = re.compile(
    rf"\b{_ROLE}(?:\s+(?:is|wordt|blijft|was))?(?:\s+de)?(?:\s+gemeente)?\s+(?P<name>{_NAME})"
    rf"(?=[\s,.;:)]|$)",
)
#: Capitalised words that start a sentence but are no name ("De" alone; "De Bilt" is a name).
NOT_A_NAME = re.compile(
    r"(?:De|Het|Dit|Dat|Deze|Die|Zij|Hij|Wij|Er|Ook|Een|Welke|Wie|Daarom|Hier|Daar|Als|Gemeente)$"
)
#: Capitalised sentence-initial words before a name ("Met Venlo als centrumgemeente").
BEFORE_A_NAME = re.compile(
    r"^(?:Met|Voor|In|Bij|Door|Namens|Na|Op|Per|Vanaf|Sinds|Ook|En|Maar|Daarom|Nu|Zo|Als"
    r"|Gemeente)\s+"
)

SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][’'”\"]))\s+(?=[A-Z'‘“\"(])|\n+")
#: Dutch youth-care contracts run up to about ten years; a longer "period" is an age ("0 tot 18
#: jaar", "16-27 jaar").
MAX_CONTRACT_MONTHS = 15 * 12
MAX_QUOTE = 300


# ---------------------------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------------------------


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and lines) of a passage text."""
    spans, at = [], 0
    for m in SENTENCE_END.finditer(text):
        if text[at : m.start()].strip():
            spans.append((at, m.start()))
        at = m.end()
    if text[at:].strip():
        spans.append((at, len(text.rstrip())))
    return spans


def _clause(sentence: str, at: int) -> str:
    """The comma-separated part of a sentence around offset ``at``."""
    lo = max(sentence.rfind(",", 0, at), sentence.rfind(";", 0, at)) + 1
    hi_candidates = [i for i in (sentence.find(",", at), sentence.find(";", at)) if i >= 0]
    return sentence[lo : min(hi_candidates) if hi_candidates else len(sentence)]


class _Collector:
    """Findings of one passage, with their quotes cut from the sentence around the value."""

    def __init__(self, passage_id: str, text: str) -> None:
        self.passage_id, self.text = passage_id, text
        self.findings: list[Finding] = []

    def add(
        self, kind: str, value: Value, sent: tuple[int, int], lo: int, hi: int, rule: str
    ) -> None:
        s_lo, s_hi = sent
        if s_hi - s_lo > MAX_QUOTE:
            # A long sentence is cut to the words around the value.
            s_lo = max(s_lo, lo - MAX_QUOTE // 3)
            s_hi = min(s_hi, hi + MAX_QUOTE // 3)
            while s_lo > sent[0] and not self.text[s_lo - 1].isspace():
                s_lo -= 1
            while s_hi < sent[1] and not self.text[s_hi].isspace():
                s_hi += 1
        s_lo = min(s_lo, lo)
        s_hi = max(s_hi, hi)
        quote = self.text[s_lo:s_hi]
        self.findings.append(Finding(kind, value, quote, self.passage_id, s_lo, s_hi, rule, lo, hi))


def find_in_text(text: str, passage_id: str = "", ontology: Path | None = None) -> list[Finding]:
    """Every finding in one passage text (offsets are into ``text``)."""
    out = _Collector(passage_id, text)
    for sent in sentences(text):
        _sentence(out, sent)
    for kind, scheme in CONCEPT_KINDS.items():
        for lo, hi, mention in find_concepts(scheme, text, ontology):
            sent = next(((a, b) for a, b in sentences(text) if a <= lo < b), (lo, hi))
            out.add(kind, mention, sent, lo, hi, f"{kind.replace('_', '-')}-label")
    return out.findings


def extract_findings(
    passages: Iterable[PassageLike], ontology: Path | None = None
) -> list[Finding]:
    """Every finding in the passages, passage by passage (for any document)."""
    findings: list[Finding] = []
    for passage in passages:
        findings.extend(find_in_text(passage.text, passage.id, ontology))
    return findings


def _sentence(out: _Collector, sent: tuple[int, int]) -> None:
    text = out.text
    s_lo, s_hi = sent
    sentence = text[s_lo:s_hi]
    contract = CONTRACT_CUE.search(sentence) is not None

    if contract:
        for d in find_durations(sentence):
            longest = max(
                [m for m in (d.initial_months, d.minimum_months, d.maximum_months) if m]
                + list(d.extension_months)
            )
            if longest > MAX_CONTRACT_MONTHS:
                continue
            out.add(
                CONTRACT_DURATION,
                d,
                sent,
                s_lo + d.start,
                s_lo + d.end,
                "duration-in-contract-sentence",
            )

    numbers = [q for q in find_numbers(sentence) if q.unit is None and not q.is_year_like]
    _providers(out, sent, sentence, numbers)
    for q in numbers:
        after = sentence[q.end :]
        if q.value > 1 and MUNICIPALITY_NOUN.match(after):
            out.add(
                MUNICIPALITY_COUNT,
                q,
                sent,
                s_lo + q.start,
                s_lo + q.end,
                "count-before-municipalities",
            )
        if YOUTH_NOUN.match(after):
            out.add(YOUTH_COUNT, q, sent, s_lo + q.start, s_lo + q.end, "count-before-youths")

    _dates(out, sent, sentence, contract)
    _roles(out, sent, sentence)


def _providers(
    out: _Collector, sent: tuple[int, int], sentence: str, numbers: list[Quantity]
) -> None:
    if not re.search(PROVIDER_NOUN, sentence, re.IGNORECASE):
        return
    s_lo = sent[0]
    used: set[int] = set()
    for a, b in zip(numbers, numbers[1:], strict=False):
        gap = sentence[a.end : b.start]
        if FROM_TO_GAP.match(gap) and re.search(r"\bvan\s+$", sentence[: a.start], re.IGNORECASE):
            out.add(PROVIDERS_NOW, a, sent, s_lo + a.start, s_lo + a.end, "providers-from-to")
            out.add(PROVIDERS_TARGET, b, sent, s_lo + b.start, s_lo + b.end, "providers-from-to")
            used |= {a.start, b.start}
    for q in numbers:
        if q.start in used:
            continue
        if NOW_ANAPHORA.search(sentence, 0, q.start):
            out.add(PROVIDERS_NOW, q, sent, s_lo + q.start, s_lo + q.end, "providers-now-anaphora")
            continue
        if not re.match(rf"\s+(?:[^\W\d_]+\s+)?{PROVIDER_NOUN}", sentence[q.end :], re.IGNORECASE):
            continue
        clause = _clause(sentence, q.start)
        now, target = NOW_CUE.search(clause), TARGET_CUE.search(clause)
        if now and not target:
            out.add(PROVIDERS_NOW, q, sent, s_lo + q.start, s_lo + q.end, "providers-count-now")
        elif target and not now:
            out.add(
                PROVIDERS_TARGET, q, sent, s_lo + q.start, s_lo + q.end, "providers-count-target"
            )
        else:
            out.add(PROVIDERS, q, sent, s_lo + q.start, s_lo + q.end, "providers-count")


def _dates(out: _Collector, sent: tuple[int, int], sentence: str, contract: bool) -> None:
    s_lo = sent[0]
    decision = DECISION_CUE.search(sentence) is not None
    for d in find_dates(sentence):
        before = sentence[max(0, d.start - 40) : d.start]
        lo, hi = s_lo + d.start, s_lo + d.end
        start_cue, end_cue = START_CUE.search(before), END_CUE.search(before)
        if start_cue and end_cue:
            # Both end at the date: the longer cue wins ("lopen af per" over "per").
            start_cue, end_cue = (
                (None, end_cue) if end_cue.start() < start_cue.start() else (start_cue, None)
            )
        if not contract and d.precision == "year":
            # "vanaf 2021" without a contract is a programme horizon, rarely a fact to keep.
            start_cue = end_cue = None
        if start_cue or (RANGE_START.search(before) and RANGE_NEXT.match(sentence, d.end)):
            kind = CONTRACT_START if contract else START_DATE
            out.add(kind, d, sent, lo, hi, "date-after-start-word")
        elif end_cue:
            kind = CONTRACT_END if contract else END_DATE
            out.add(kind, d, sent, lo, hi, "date-after-end-word")
        elif decision and d.precision in ("day", "month") and DECISION_PREP.search(before):
            out.add(DECISION_DATE, d, sent, lo, hi, "date-in-decision-sentence")


def _roles(out: _Collector, sent: tuple[int, int], sentence: str) -> None:
    s_lo = sent[0]
    seen: set[tuple[str, str]] = set()
    for pattern, rule in (
        (ROLE_AFTER_NAME, "name-before-role"),
        (ROLE_BEFORE_NAME, "role-before-name"),
    ):
        for m in pattern.finditer(sentence):
            name = m.group("name")
            while BEFORE_A_NAME.match(name):
                name = BEFORE_A_NAME.sub("", name, count=1)
            if NOT_A_NAME.match(name) or not (name[0].isupper() or name.startswith(("'s", "’s"))):
                continue
            role = m.group("role").lower()
            if (role, name) in seen:
                continue
            seen.add((role, name))
            kind = CENTRUMGEMEENTE if role == "centrumgemeente" else PENVOERDER
            out.add(kind, Name(name), sent, s_lo + m.start(), s_lo + m.end(), rule)
