"""Answers from the graph: a question that asks for a figure or a choice gets answer cards.

"Wat is het budget van Alfadorp in 2030?", "Hoe lang lopen de contracten van segment Verblijf?",
"Hoeveel aanbieders beoogt Zuidhoek?" ask for one fact the graph may hold. :class:`Answerer`

1. reads the **intent**: which question type (the ``vraagtypen`` SKOS scheme: its labels are
   the Dutch cues, matched by word stems; the type whose cues cover most question words wins, a
   type with narrower types is refined by theirs), which entities (municipality, region,
   segment: the search linker) and which year (a four-digit year in the question);
2. reads the **facts** of that type about those entities through the read model
   (:mod:`kb.views.answers`): budgets, contract forms, funding and purchasing models, regional
   choices and proposed facts;
3. makes one **card** per fact: the value formatted in Dutch, unit, entity, the verbatim quote
   with its passage and document, and the status (bevestigd / voorgesteld).

No question type or no matching fact: no card. Nothing is computed that the graph does not state.
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from kb.index.lexical import stem, words
from kb.index.records import load_entities, passage_id_from_iri
from kb.search.linking import LinkedEntity, Linker
from kb.views import answers as facts
from kb.views.format import euro, number, partial_date

#: The most cards one question gets (the best facts first: confirmed before proposed).
MAX_CARDS = 5
#: The longest detail (the fact in words) a card shows; the quote is always whole.
MAX_DETAIL = 200


@dataclass(frozen=True)
class _Spec:
    """Where the facts of a question type live (identifiers only; the words are in the scheme)."""

    budget: bool = False
    segment_class: str | None = None  # class of a segment's items
    fact_kinds: tuple[str, ...] = ()  # kb:factKind of proposed facts


#: Question type slug (``vraagtypen`` scheme) → the facts that answer it. Regional choices are
#: found through the type's ``skos:related`` choice aspect, from the scheme.
SPECS: dict[str, _Spec] = {
    "budget": _Spec(budget=True),
    "contractduur": _Spec(segment_class="ContractForm", fact_kinds=("contract_duration",)),
    "bekostigingsmodel": _Spec(segment_class="FundingModel", fact_kinds=("funding_model",)),
    "inkoopmodel": _Spec(segment_class="PurchasingModel", fact_kinds=("purchasing_model",)),
    "startdatum": _Spec(fact_kinds=("contract_start",)),
    "aantal-aanbieders-nu": _Spec(fact_kinds=("providers_now",)),
    "aantal-aanbieders-beoogd": _Spec(fact_kinds=("providers_target",)),
}

_YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d|2100)\b")
_DURATION_RE = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?$")


@dataclass
class Intent:
    """What a question asks for: question types, the entities it names and a year."""

    types: list[facts.QuestionType]
    entities: list[LinkedEntity]
    year: int | None = None


@dataclass
class AnswerCard:
    """A short answer from one graph fact, shown above the passages."""

    question_type: str  # slug in the vraagtypen scheme
    question_label: str
    value: str  # formatted in Dutch
    unit: str
    entity: str  # label
    entity_iri: str
    status: str  # bevestigd / voorgesteld
    quote: str
    passage_id: str | None
    passage_iri: str | None
    document_id: str | None
    document: str
    fact_iri: str
    fact_type: str  # the fact class's Dutch label
    detail: str = ""  # what the value is of: product and year, the choice in words …

    def to_dict(self) -> dict[str, Any]:
        """The card as JSON-ready data."""
        return asdict(self)


def _stems(text: str) -> list[str]:
    return [stem(w) for w in words(text)]


def _covered(question: list[str], cue: list[str]) -> set[int]:
    """Positions of question stems that a cue's stem sequence covers (every occurrence)."""
    n = len(cue)
    out: set[int] = set()
    for i in range(len(question) - n + 1):
        if question[i : i + n] == cue:
            out.update(range(i, i + n))
    return out


def _years_months(value: Any) -> int | None:
    """Months of an ISO duration (``P4Y``, ``P18M``), or None."""
    m = _DURATION_RE.match(str(value or ""))
    if not m or not any(m.groups()):
        return None
    return int(m.group(1) or 0) * 12 + int(m.group(2) or 0)


def _duration_text(months: int) -> str:
    if months % 12 == 0:
        return f"{months // 12} jaar"
    if months > 12:
        return f"{number(Decimal(months) / 12, decimals=1)} jaar"
    return f"{months} maanden"


def _years_text(low: Any, high: Any) -> str:
    lo, hi = (None if v is None else Decimal(str(v)).normalize() for v in (low, high))
    if lo is None and hi is None:
        return ""
    if lo is None or hi is None or lo == hi:
        return f"{number(lo if lo is not None else hi)} jaar"
    return f"{number(lo)} tot {number(hi)} jaar"


def _date_text(value: str) -> str:
    """``2025-07-01`` → 1 juli 2025, ``2025-07`` → juli 2025, ``2025`` → 2025; else as given."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", value)
    if not m:
        return value
    year, month, day = (int(g) if g else None for g in m.groups())
    return partial_date(year, month, day)


def format_value(fact: facts.Fact) -> tuple[str, str]:
    """The fact's value in Dutch and its unit (``("€ 1.200.000", "EUR")``, ``("4 tot 8", …)``)."""
    if fact.kind in ("BudgetLine", "BudgetTotal"):
        return euro(fact.value), "EUR"
    if fact.kind == "ContractForm":
        return (_years_text(fact.min_value, fact.max_value) or fact.text), ""
    if fact.kind in ("FundingModel", "PurchasingModel"):
        return (fact.concept_label or fact.text), ""
    if fact.kind == "RegionalChoice":
        if fact.concept_label:
            return fact.concept_label, ""
        if isinstance(fact.value, int | float | Decimal) and not isinstance(fact.value, bool):
            return number(Decimal(str(fact.value)).normalize()), ""  # the sentence goes in detail
        return fact.text, ""
    # A proposed fact: by the datatype of its value.
    if fact.concept_label:
        return fact.concept_label, ""
    lo, hi = _years_months(fact.min_value), _years_months(fact.max_value)
    if lo is not None or hi is not None:
        if lo is not None and hi is not None and lo != hi:
            return f"{_duration_text(lo).removesuffix(' jaar')} tot {_duration_text(hi)}", ""
        return _duration_text(lo if lo is not None else hi or 0), ""
    if (months := _years_months(fact.value)) is not None:
        return _duration_text(months), ""
    dt = fact.datatype.rsplit("#", 1)[-1]
    if dt in ("date", "gYearMonth", "gYear"):
        return _date_text(str(fact.value)), ""
    if isinstance(fact.value, int | float | Decimal) and not isinstance(fact.value, bool):
        if fact.unit == "EUR":
            return euro(fact.value), "EUR"
        return number(fact.value), fact.unit
    return (str(fact.value) if fact.value is not None else fact.text), fact.unit


class Answerer:
    """Answer cards for questions over one graph: construct once per graph, call :meth:`answer`."""

    def __init__(self, graph: Any, linker: Linker | None = None, analyzer: Any = None) -> None:
        self.graph = graph
        self.linker = linker if linker is not None else Linker(load_entities(graph))
        self.analyzer = analyzer
        self.types = facts.question_types(graph)
        self._cues = {t.iri: [_stems(c) for c in t.cues if _stems(c)] for t in self.types}
        self._narrower: dict[str, list[facts.QuestionType]] = {}
        for t in self.types:
            if t.broader:
                self._narrower.setdefault(t.broader, []).append(t)

    def _coverage(self, question: list[str], qtype: facts.QuestionType) -> set[int]:
        out: set[int] = set()
        for cue in self._cues[qtype.iri]:
            out |= _covered(question, cue)
        return out

    def _best(
        self, question: list[str], candidates: list[facts.QuestionType]
    ) -> list[facts.QuestionType]:
        """The candidates whose cues cover most question words (all that tie), or none."""
        scored = [(len(self._coverage(question, t)), t) for t in candidates]
        top = max((s for s, _t in scored), default=0)
        return [t for s, t in scored if s == top] if top else []

    def intent(self, question: str, linked: list[LinkedEntity] | None = None) -> Intent:
        """The question types, entities and year ``question`` asks about."""
        stems = _stems(question)
        chosen: list[facts.QuestionType] = []
        for qtype in self._best(stems, [t for t in self.types if not t.broader]):
            narrower = self._narrower.get(qtype.iri)
            if narrower:
                # A narrower type's cues only refine: without them every narrower type is meant.
                chosen += self._best(stems, narrower) or narrower
            else:
                chosen.append(qtype)
        if linked is None:
            linked = self.linker.link(question, self.analyzer)
        years = [int(y) for y in _YEAR_RE.findall(question)]
        entities = [e for e in linked if e.kind in ("municipality", "region", "segment")]
        return Intent(chosen, entities, years[0] if len(years) == 1 else None)

    def _facts(self, qtype: facts.QuestionType, intent: Intent) -> list[facts.Fact]:
        spec = SPECS.get(qtype.slug)
        if spec is None:
            return []
        found: list[facts.Fact] = []
        if spec.budget:
            for e in intent.entities:
                if e.kind == "municipality":
                    found += facts.budget_facts(self.graph, e.iri, intent.year)
            return found
        if spec.segment_class:
            # Segments of the same name in several regions: a region the question names decides.
            named_regions = {
                facts.region_of(self.graph, e.iri) for e in intent.entities if e.kind == "region"
            } - {None}
            for e in intent.entities:
                if e.kind == "segment" and (
                    not named_regions or facts.region_of(self.graph, e.iri) in named_regions
                ):
                    found += [
                        f
                        for f in facts.segment_facts(self.graph, e.iri, spec.segment_class)
                        # A contract form that states no duration does not say how long.
                        if spec.segment_class != "ContractForm"
                        or f.min_value is not None
                        or f.max_value is not None
                    ]
        if found:
            return found  # a segment's own items answer before its region's choices
        regions: list[str] = []
        for e in intent.entities:
            region = facts.region_of(self.graph, e.iri)
            if region and region not in regions:
                regions.append(region)
        for region in regions:
            for aspect in qtype.related:
                found += facts.choice_facts(self.graph, region, aspect)
            found += facts.proposed_facts(self.graph, region, spec.fact_kinds)
        return found

    def answer(self, question: str, linked: list[LinkedEntity] | None = None) -> list[AnswerCard]:
        """Answer cards for ``question``: confirmed facts first, at most :data:`MAX_CARDS`."""
        intent = self.intent(question, linked)
        if not intent.types or not intent.entities:
            return []
        cards: list[AnswerCard] = []
        seen: set[str] = set()
        for qtype in intent.types:
            for fact in self._facts(qtype, intent):
                if fact.iri in seen or not fact.quote:
                    continue
                seen.add(fact.iri)
                cards.append(self._card(qtype, fact))
        cards.sort(key=lambda c: c.status != facts.CONFIRMED)
        return cards[:MAX_CARDS]

    @staticmethod
    def _card(qtype: facts.QuestionType, fact: facts.Fact) -> AnswerCard:
        value, unit = format_value(fact)
        passage_id = passage_id_from_iri(fact.passage) if fact.passage else None
        # The fact in words, unless the value or the quote already says it.
        text = fact.text if fact.text and fact.text != value and fact.text not in fact.quote else ""
        if len(text) > MAX_DETAIL:
            text = text[:MAX_DETAIL].rsplit(" ", 1)[0] + " …"
        detail = " · ".join(
            p for p in (fact.product, str(fact.year) if fact.year else "", text) if p
        )
        return AnswerCard(
            question_type=qtype.slug,
            question_label=qtype.label,
            value=value,
            unit=unit,
            entity=fact.entity_label,
            entity_iri=fact.entity,
            status=fact.status,
            quote=fact.quote,
            passage_id=passage_id,
            passage_iri=fact.passage,
            document_id=passage_id.split("/p/", 1)[0] if passage_id else None,
            document=fact.document_title,
            fact_iri=fact.iri,
            fact_type=fact.kind_label,
            detail=detail,
        )


_answerers: dict[int, tuple[Any, Answerer]] = {}
_lock = threading.Lock()


def answerer_for(graph: Any, linker: Linker | None = None, analyzer: Any = None) -> Answerer:
    """The :class:`Answerer` of ``graph`` (made once per graph object and kept with it)."""
    with _lock:
        kept = _answerers.get(id(graph))
        if kept is not None and kept[0] is graph:
            return kept[1]
        made = Answerer(graph, linker, analyzer)
        if len(_answerers) >= 4:
            _answerers.pop(next(iter(_answerers)))
        _answerers[id(graph)] = (graph, made)
        return made
