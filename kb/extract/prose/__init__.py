"""Facts in prose: values that news articles, council letters and strategies state in sentences.

For any document, whatever its layout: contract duration, number of providers now and aimed for,
contract start and end dates, decision dates, numbers of municipalities and youths, the
centrumgemeente or penvoerder, and the funding and purchasing models named. The values are read
by :mod:`kb.extract.values`; this module decides, sentence by sentence, what a value is about.

Each :class:`Finding` carries its kind, its value, the exact quote (a substring of the passage
text, with offsets), the passage id and the name of the rule that found it, so it can be written
into the graph as a *proposed* fact (``kb:ProposedFact`` with ``kb:status "voorgesteld"`` and
``kb:obtainedBy`` the rule, see :func:`add_findings`) for a person to confirm.

The cue words in :mod:`.rules` are Dutch grammar around a value ("met ingang van", "nu zijn dat
er"); the domain's model names come from the ontology's SKOS schemes through
:meth:`kb.rdf.vocabulary.Vocabulary.find_all` (:func:`find_concepts`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kb.extract.prose.findings import (
    BUDGET,
    CENTRUMGEMEENTE,
    CONCEPT_KINDS,
    CONTRACT_DURATION,
    CONTRACT_END,
    CONTRACT_START,
    DECISION_DATE,
    END_DATE,
    FUNDING_MODEL,
    MUNICIPALITY_COUNT,
    PENVOERDER,
    PROVIDERS,
    PROVIDERS_NOW,
    PROVIDERS_TARGET,
    PURCHASING_MODEL,
    START_DATE,
    STATUS_CONFIRMED,
    STATUS_PROPOSED,
    YOUTH_COUNT,
    ConceptMention,
    Finding,
    Name,
    PassageLike,
)
from kb.extract.prose.rdf import add_findings, add_value, finding_iri
from kb.extract.prose.rules import extract_findings, find_concepts, find_in_text, sentences

if TYPE_CHECKING:
    from kb.extract.common import FactGraph
    from kb.ingest.model import Document


def extract(docs: list[Document], facts: FactGraph) -> None:
    """The extractor entry point (``extract(docs, facts)`` like every extractor module):
    every finding of every document as a proposed fact with document offsets, the model names
    matched against the build's vocabulary."""
    for doc in docs:
        findings = extract_findings(doc.passages, facts.vocabulary)
        offsets = {p.id: p.start for p in doc.passages}
        add_findings(facts.graph, findings, passage_offsets=offsets)


__all__ = [
    "BUDGET",
    "CENTRUMGEMEENTE",
    "CONCEPT_KINDS",
    "CONTRACT_DURATION",
    "CONTRACT_END",
    "CONTRACT_START",
    "DECISION_DATE",
    "END_DATE",
    "FUNDING_MODEL",
    "MUNICIPALITY_COUNT",
    "PENVOERDER",
    "PROVIDERS",
    "PROVIDERS_NOW",
    "PROVIDERS_TARGET",
    "PURCHASING_MODEL",
    "START_DATE",
    "STATUS_CONFIRMED",
    "STATUS_PROPOSED",
    "YOUTH_COUNT",
    "ConceptMention",
    "Finding",
    "Name",
    "PassageLike",
    "add_findings",
    "add_value",
    "extract",
    "extract_findings",
    "find_concepts",
    "find_in_text",
    "finding_iri",
    "sentences",
]
