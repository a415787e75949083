"""What the prose extractor finds: kinds, values and the :class:`Finding` record.

A finding maps onto RDF one to one (see :mod:`kb.extract.prose.rdf`): kind → ``kb:factKind``,
value → ``kb:proposedValue`` and friends, quote → ``kb:quote``, passage → ``prov:wasDerivedFrom``,
rule → ``kb:obtainedBy``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kb.extract.values import Duration, DutchDate, Quantity
from kb.rdf.namespaces import SCHEME_FUNDING, SCHEME_PURCHASING

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
BUDGET = "budget"  # an amount of money a sentence states as a budget, expense or contribution

#: The schemes whose concepts are findings when a passage names them.
CONCEPT_KINDS = {FUNDING_MODEL: SCHEME_FUNDING, PURCHASING_MODEL: SCHEME_PURCHASING}

#: The status of every finding in the graph: proposed, not confirmed by a person.
STATUS_PROPOSED = "voorgesteld"
#: The status of a finding a data steward accepted (:mod:`kb.extract.curated`).
STATUS_CONFIRMED = "bevestigd"


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
    #: The year the value is about, where the sentence states one (a budget "voor 2027").
    year: int | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "kind": self.kind,
            "value": self.value.to_dict(),
            "quote": self.quote,
            "passage_id": self.passage_id,
            "start": self.start,
            "end": self.end,
            "rule": self.rule,
        }
        if self.year is not None:
            out["year"] = self.year
        return out
