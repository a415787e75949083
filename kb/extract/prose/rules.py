"""The prose rules: sentence by sentence, what a number, date or name is about.

The domain's model names and the cue words come from the ontology's SKOS schemes
(:mod:`kb.rdf.vocabulary`): what a sentence is about (contracts, now or later, a decision: the
schemes ``contractaanduidingen``, ``tijdsaanduidingen`` and ``besluitaanduidingen``), the words
right before a start or end date (``datumaanduidingen``) and the nouns after a count of youths
(``jeugdaanduidingen``), all in ``ontology/cues.ttl``. The patterns below are the Dutch grammar
right around a value ("nu zijn dat er", "treedt op als").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from rdflib import URIRef

from kb.extract.municipalities import find_municipalities, load_register
from kb.extract.prose.findings import (
    BUDGET,
    CENTRUMGEMEENTE,
    CONCEPT_KINDS,
    CONTRACT_DURATION,
    CONTRACT_END,
    CONTRACT_START,
    DECISION_DATE,
    END_DATE,
    MUNICIPALITY_COUNT,
    PENVOERDER,
    PROVIDERS,
    PROVIDERS_NOW,
    PROVIDERS_TARGET,
    START_DATE,
    YOUTH_COUNT,
    ConceptMention,
    Finding,
    Name,
    PassageLike,
    Value,
)
from kb.extract.values import Quantity, find_dates, find_durations, find_numbers
from kb.rdf.vocabulary import Vocabulary, load_vocabulary

PROVIDER_NOUN = r"[^\W\d_]*aanbieders?\b"
NOW_ANAPHORA = re.compile(
    r"(?:\b(?:nu|momenteel|op\s+dit\s+moment|thans)\s+(?:zijn|is|werken|hebben)\s+(?:dat|het)"
    r"(?:\s+er)?|\b(?:dat|het)\s+(?:zijn|waren)\s+er\s+(?:nu|momenteel|thans|op\s+dit\s+moment))"
    r"\s+$",
    re.IGNORECASE,
)
FROM_TO_GAP = re.compile(rf"^\s*(?:{PROVIDER_NOUN}\s+)?(?:naar|tot)\s+$", re.IGNORECASE)
RANGE_START = re.compile(r"\bvan\s+$", re.IGNORECASE)
RANGE_NEXT = re.compile(r"\s*(?:tot\s+en\s+met|t/m|tot)\s", re.IGNORECASE)
DECISION_PREP = re.compile(r"(?:\bop|\bvan|d\.d\.|\bin|\bper)\s+$", re.IGNORECASE)
MUNICIPALITY_NOUN = re.compile(r"\s+(?:[^\W\d_]+\s+)?[^\W\d_]*gemeenten\b", re.IGNORECASE)

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
#: The role a few lower-case words after the name: "De gemeente Assen voert de inkoop uit als
#: centrumgemeente", "Amersfoort, dat als centrumgemeente …", "wijzen de gemeente Zwolle aan als
#: centrumgemeente", "De gemeente Oss blijft tijdens de verlenging penvoerder". Only lower-case
#: words may stand between, so the role is never given to a name further back in the sentence.
ROLE_LATER_AFTER_NAME = re.compile(
    rf"(?:\b[Gg]emeente\s+)?(?P<name>{_NAME})(?:,\s+(?:dat|die)\b)?"
    rf"(?:(?:\s+[a-z][a-z'-]*){{0,5}}?\s+als|\s+(?:is|wordt|blijft|was)(?:\s+[a-z][a-z'-]*){{1,4}}?)"
    rf"\s+(?:de\s+)?{_ROLE}\b",
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


class _HasSpan(Protocol):
    """Anything with offsets inside a sentence (values, regex spans)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


@dataclass(frozen=True)
class _Cues:
    """The cue patterns of one vocabulary (see the module docstring)."""

    contract: re.Pattern[str]
    now: re.Pattern[str]
    target: re.Pattern[str]
    decision: re.Pattern[str]
    start: re.Pattern[str]  # a start word right before a date (ends in white space, "$")
    end: re.Pattern[str]
    youth: re.Pattern[str]  # a youth noun right after a count (starts with white space)
    negation: re.Pattern[str]


def _alternatives(labels: Iterable[str]) -> str:
    """The labels as one regex alternation, longest first, any white space between words."""
    alternatives = sorted(
        (r"\s+".join(re.escape(w) for w in label.split()) for label in labels),
        key=len,
        reverse=True,
    )
    return "|".join(alternatives) or r"(?!x)x"


def _cue_regex(labels: Iterable[str], *, word_parts: bool) -> re.Pattern[str]:
    """One pattern for the labels: as word parts (anywhere in a word) or as whole words."""
    body = _alternatives(labels)
    return re.compile(f"(?:{body})" if word_parts else rf"\b(?:{body})\b", re.IGNORECASE)


def _date_cue(words: list[str], verbs: list[str], preps: list[str]) -> re.Pattern[str]:
    """A cue that ends right before a date: a word, or a verb with an optional preposition."""
    return re.compile(
        rf"(?:{_alternatives(words)}|(?:{_alternatives(verbs)})(?:\s+(?:{_alternatives(preps)}))?)"
        r"\s+$",
        re.IGNORECASE,
    )


#: Cue patterns per vocabulary (by identity; the vocabulary is kept so its id stays its own).
_CUES: dict[int, tuple[Vocabulary, _Cues]] = {}


def _cues(vocabulary: Vocabulary) -> _Cues:
    """The cue patterns of ``vocabulary``, built once per vocabulary."""
    cached = _CUES.get(id(vocabulary))
    if cached is None or cached[0] is not vocabulary:
        if len(_CUES) >= 16:
            _CUES.clear()

        def labels(scheme: str, slug: str | None = None) -> list[str]:
            return [
                label
                for c in vocabulary.concepts(scheme)
                if slug is None or c.slug == slug
                for label in c.labels
            ]

        cues = _Cues(
            contract=_cue_regex(labels(CONTRACT_CUES), word_parts=True),
            now=_cue_regex(labels(TIME_CUES, "nu"), word_parts=False),
            target=_cue_regex(labels(TIME_CUES, "straks"), word_parts=False),
            decision=_cue_regex(labels(DECISION_CUES), word_parts=False),
            start=_date_cue(
                labels(DATE_CUES, "start"),
                labels(DATE_CUES, "start-werkwoord"),
                labels(DATE_CUES, "voorzetsel"),
            ),
            end=_date_cue(
                labels(DATE_CUES, "einde"),
                labels(DATE_CUES, "einde-werkwoord"),
                labels(DATE_CUES, "voorzetsel"),
            ),
            negation=_cue_regex(labels(NEGATIONS), word_parts=False),
            youth=re.compile(
                rf"\s+(?:[^\W\d_]+\s+)?(?:{_alternatives(labels(YOUTH_NOUNS))})\b",
                re.IGNORECASE,
            ),
        )
        _CUES[id(vocabulary)] = cached = (vocabulary, cues)
    return cached[1]


#: The schemes of cue words (``ontology/cues.ttl``).
CONTRACT_CUES, TIME_CUES, DECISION_CUES, DATE_CUES, YOUTH_NOUNS, NEGATIONS = (
    "contractaanduidingen",
    "tijdsaanduidingen",
    "besluitaanduidingen",
    "datumaanduidingen",
    "jeugdaanduidingen",
    "ontkenningen",
)


class _Collector:
    """Findings of one passage, with their quotes cut from the sentence around the value."""

    def __init__(self, passage_id: str, text: str, cues: _Cues) -> None:
        self.passage_id, self.text, self.cues = passage_id, text, cues
        self.findings: list[Finding] = []

    def add(
        self,
        kind: str,
        value: Value,
        sent: tuple[int, int],
        span: _HasSpan,
        rule: str,
        year: int | None = None,
    ) -> None:
        """Add a finding whose value has ``span.start``/``span.end`` inside the sentence."""
        lo, hi = sent[0] + span.start, sent[0] + span.end
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
        self.findings.append(
            Finding(kind, value, quote, self.passage_id, s_lo, s_hi, rule, lo, hi, year)
        )


def find_concepts(
    scheme: str | URIRef, text: str, vocabulary: Vocabulary | None = None
) -> list[tuple[int, int, ConceptMention]]:
    """Every concept of ``scheme`` named in ``text`` (:meth:`Vocabulary.find_all`: the longest
    label wins, inflected forms count), as ``(start, end, mention)``."""
    vocabulary = vocabulary or load_vocabulary()
    return [
        (m.start, m.end, ConceptMention(str(m.concept.iri), m.text, m.concept.pref_label))
        for m in vocabulary.find_all(scheme, text)
    ]


def find_in_text(
    text: str, passage_id: str = "", vocabulary: Vocabulary | None = None
) -> list[Finding]:
    """Every finding in one passage text (offsets are into ``text``); model names come from
    ``vocabulary`` (default: the configured ontology's)."""
    vocabulary = vocabulary or load_vocabulary()
    out = _Collector(passage_id, text, _cues(vocabulary))
    spans = sentences(text)
    for sent in spans:
        _sentence(out, sent)
    for sent in spans:
        _budgets(out, sent, vocabulary)
    for kind, scheme in CONCEPT_KINDS.items():
        for lo, hi, mention in find_concepts(scheme, text, vocabulary):
            sent = next(((a, b) for a, b in spans if a <= lo < b), (lo, hi))
            out.add(kind, mention, sent, _Span(lo - sent[0], hi - sent[0]), f"{kind}-label")
    return out.findings


def extract_findings(
    passages: Iterable[PassageLike], vocabulary: Vocabulary | None = None
) -> list[Finding]:
    """Every finding in the passages, passage by passage (for any document)."""
    vocabulary = vocabulary or load_vocabulary()
    findings: list[Finding] = []
    for passage in passages:
        findings.extend(find_in_text(passage.text, passage.id, vocabulary))
    return findings


def _sentence(out: _Collector, sent: tuple[int, int]) -> None:
    text = out.text
    s_lo, s_hi = sent
    sentence = text[s_lo:s_hi]
    contract = out.cues.contract.search(sentence) is not None

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
                d,
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
                q,
                "count-before-municipalities",
            )
        if out.cues.youth.match(after):
            out.add(YOUTH_COUNT, q, sent, q, "count-before-youths")

    _dates(out, sent, sentence, contract)
    _roles(out, sent, sentence)


def _providers(
    out: _Collector, sent: tuple[int, int], sentence: str, numbers: list[Quantity]
) -> None:
    if not re.search(PROVIDER_NOUN, sentence, re.IGNORECASE):
        return
    used: set[int] = set()
    for a, b in zip(numbers, numbers[1:], strict=False):
        gap = sentence[a.end : b.start]
        if FROM_TO_GAP.match(gap) and re.search(r"\bvan\s+$", sentence[: a.start], re.IGNORECASE):
            out.add(PROVIDERS_NOW, a, sent, a, "providers-from-to")
            out.add(PROVIDERS_TARGET, b, sent, b, "providers-from-to")
            used |= {a.start, b.start}
    for q in numbers:
        if q.start in used:
            continue
        if NOW_ANAPHORA.search(sentence, 0, q.start):
            out.add(PROVIDERS_NOW, q, sent, q, "providers-now-anaphora")
            continue
        if not re.match(rf"\s+(?:[^\W\d_]+\s+)?{PROVIDER_NOUN}", sentence[q.end :], re.IGNORECASE):
            continue
        clause = _clause(sentence, q.start)
        now, target = out.cues.now.search(clause), out.cues.target.search(clause)
        if now and not target:
            out.add(PROVIDERS_NOW, q, sent, q, "providers-count-now")
        elif target and not now:
            out.add(PROVIDERS_TARGET, q, sent, q, "providers-count-target")
        else:
            out.add(PROVIDERS, q, sent, q, "providers-count")


def _dates(out: _Collector, sent: tuple[int, int], sentence: str, contract: bool) -> None:
    decision = out.cues.decision.search(sentence) is not None
    for d in find_dates(sentence):
        before = sentence[max(0, d.start - 40) : d.start]
        start_cue, end_cue = out.cues.start.search(before), out.cues.end.search(before)
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
            out.add(kind, d, sent, d, "date-after-start-word")
        elif end_cue:
            kind = CONTRACT_END if contract else END_DATE
            out.add(kind, d, sent, d, "date-after-end-word")
        elif decision and d.precision in ("day", "month") and DECISION_PREP.search(before):
            out.add(DECISION_DATE, d, sent, d, "date-in-decision-sentence")


#: The scheme of words that make an amount of money a budget fact (``ontology/cues.ttl``).
AMOUNT_CUES = "bedragaanduidingen"
#: A smaller amount of euros is a tariff or a price, not a budget.
MIN_BUDGET_EUROS = 10_000


def _budgets(out: _Collector, sent: tuple[int, int], vocabulary: Vocabulary) -> None:
    """Amounts of euros in a sentence that names a budget, an expense or a contribution
    ("Het regionale budget voor 2027 bedraagt € 41,5 miljoen."), each with the year the
    sentence states (the one nearest the amount)."""
    sentence = out.text[sent[0] : sent[1]]
    amounts = [q for q in find_numbers(sentence) if q.unit == "EUR" and q.value >= MIN_BUDGET_EUROS]
    if not amounts or not vocabulary.find_all(AMOUNT_CUES, sentence):
        return
    years = [q for q in find_numbers(sentence) if q.is_year_like]
    for q in amounts:
        near = min(years, key=lambda y: abs(y.start - q.start), default=None)
        year = int(near.value) if near is not None else None
        out.add(BUDGET, q, sent, q, "amount-in-budget-sentence", year)


def _municipality_at_end(name: str) -> str:
    """A municipality that ends a longer capitalised phrase, else the phrase: "Wethouder Jeugd
    van Amersfoort" → "Amersfoort"; a name of the register ("Hof van Twente") stays whole."""
    register = load_register()
    if register.lookup(name) is not None:
        return name
    mentions = [m for m in find_municipalities(name, register) if m.end == len(name)]
    return mentions[-1].surface if mentions else name


def _roles(out: _Collector, sent: tuple[int, int], sentence: str) -> None:
    seen: set[tuple[str, str]] = set()
    for pattern, rule in (
        (ROLE_AFTER_NAME, "name-before-role"),
        (ROLE_BEFORE_NAME, "role-before-name"),
        (ROLE_LATER_AFTER_NAME, "name-before-role-later"),
    ):
        for m in pattern.finditer(sentence):
            name = m.group("name")
            while BEFORE_A_NAME.match(name):
                name = BEFORE_A_NAME.sub("", name, count=1)
            if NOT_A_NAME.match(name) or not (name[0].isupper() or name.startswith(("'s", "’s"))):
                continue
            if out.cues.negation.search(sentence, m.end("name"), m.start("role")):
                continue  # "Utrecht is niet langer de penvoerder"
            name = _municipality_at_end(name)
            role = m.group("role").lower()
            if (role, name) in seen:
                continue
            seen.add((role, name))
            kind = CENTRUMGEMEENTE if role == "centrumgemeente" else PENVOERDER
            out.add(kind, Name(name), sent, _Span(m.start(), m.end()), rule)
