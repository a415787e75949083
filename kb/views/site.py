"""Everything the site shows, in one object keyed by IRI where pages refer to each other.

The site is one more user of the subject modules; this module only gathers their results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from rdflib import Graph

from kb.views.budget import BudgetLine, BudgetTotal, load_budget
from kb.views.choices import Choice, RegionFact, load_choices, load_region_facts
from kb.views.documents import (
    Document,
    Passage,
    Section,
    load_documents,
    load_passages,
    load_sections,
)
from kb.views.facts import PROPOSED_MARK, ProseFact, distinct_facts, load_prose_facts
from kb.views.glossary import Concept, GlossaryEntry, concept_usage, load_concepts, merge_concepts
from kb.views.organisations import (
    Municipality,
    Region,
    Stakeholder,
    load_organisations,
    load_stakeholders,
)
from kb.views.segments import Segment, load_segments, segment_order
from kb.views.vocabulary import Aspect, Instrument, RubricDef, aspects, instruments, rubrics

T = TypeVar("T")


def _grouped(
    items: Iterable[T], key: Callable[[T], str | None], order: Callable[[T], Any] | None = None
) -> dict[str | None, list[T]]:
    """``items`` grouped by ``key`` (each group in ``order`` when given, else as they came)."""
    grouped: dict[str | None, list[T]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    if order is not None:
        for group in grouped.values():
            group.sort(key=order)
    return grouped


@dataclass
class SiteData:
    """Everything the site shows, keyed by IRI where pages refer to each other."""

    documents: dict[str, Document]
    sections: dict[str, Section]
    passages: dict[str, Passage]
    regions: dict[str, Region]
    subregions: dict[str, Region]
    municipalities: dict[str, Municipality]
    segments: dict[str, Segment]
    stakeholders: dict[str, Stakeholder]
    concepts: dict[str, Concept]
    budget_lines: list[BudgetLine]
    budget_totals: list[BudgetTotal]
    choices: list[Choice]
    region_facts: list[RegionFact]
    rubrics: list[RubricDef]
    instruments: list[Instrument]
    aspects: list[Aspect]
    #: Facts read from prose (proposed or confirmed), with status and method.
    prose_facts: list[ProseFact] = field(default_factory=list)
    #: The vocabulary browser: concepts naming the same thing merged, sorted by label.
    glossary: list[GlossaryEntry] = field(default_factory=list)
    #: Glossary entry IRI → the passages that use one of its terms.
    glossary_usage: dict[str, list[str]] = field(default_factory=dict)
    #: The marker of a fact no person has checked yet.
    proposed_mark: ClassVar[str] = PROPOSED_MARK

    # The lookups below are grouped once per build: a scan of every passage, fact or segment
    # per page made the site step grow with the square of the corpus (a page per document).

    @cached_property
    def _passages_by_document(self) -> dict[str | None, list[Passage]]:
        return _grouped(self.passages.values(), lambda p: p.document, lambda p: p.ordinal)

    @cached_property
    def _prose_facts_by_document(self) -> dict[str | None, list[tuple[int, ProseFact]]]:
        return _grouped(enumerate(self.prose_facts), lambda pair: pair[1].document)

    @cached_property
    def _segments_by_region(self) -> dict[str | None, list[Segment]]:
        return _grouped(self.segments.values(), lambda s: s.region, segment_order)

    @cached_property
    def _segments_by_plan(self) -> dict[str | None, list[Segment]]:
        return _grouped(
            self.segments.values(), lambda s: s.plan, lambda s: (s.number or 999, s.label)
        )

    @cached_property
    def _documents_by_region(self) -> dict[str | None, list[Document]]:
        return _grouped(self.documents.values(), lambda d: d.region)

    def passages_of(self, document: str) -> list[Passage]:
        """The passages of a document in text order."""
        return list(self._passages_by_document.get(document, ()))

    def prose_facts_of(self, documents: Iterable[str]) -> list[ProseFact]:
        """The facts read from the prose of these documents (IRIs), each kind and value once."""
        found = [pair for d in set(documents) for pair in self._prose_facts_by_document.get(d, ())]
        return distinct_facts(f for _n, f in sorted(found, key=lambda pair: pair[0]))

    def segments_of(self, region: str) -> list[Segment]:
        """A region's segments in plan order."""
        return list(self._segments_by_region.get(region, ()))

    def segments_of_plan(self, plan: str) -> list[Segment]:
        """A plan's segments by number, then label."""
        return list(self._segments_by_plan.get(plan, ()))

    def documents_of_region(self, region: str) -> list[Document]:
        """The documents about a region."""
        return list(self._documents_by_region.get(region, ()))

    @cached_property
    def _plans(self) -> list[Document]:
        iris = {s.plan for s in self.segments.values() if s.plan}
        return sorted((self.documents[i] for i in iris if i in self.documents), key=lambda d: d.iri)

    def plans(self) -> list[Document]:
        """The documents that segments belong to (purchasing plans and their equivalents)."""
        return list(self._plans)


def load_site_data(graph: Graph) -> SiteData:
    """Query everything the site needs from a build's graph."""
    regions, subregions, municipalities = load_organisations(graph)
    # The site lists the segments of every region, including those of no plan.
    segments = [s for s in load_segments(graph) if s.region]
    budget = load_budget(graph)
    concepts = load_concepts(graph)
    passages = load_passages(graph)
    glossary = merge_concepts(concepts, graph)
    return SiteData(
        documents=load_documents(graph),
        sections=load_sections(graph),
        passages=passages,
        regions=regions,
        subregions=subregions,
        municipalities=municipalities,
        segments={s.iri: s for s in sorted(segments, key=lambda s: s.iri)},
        stakeholders=load_stakeholders(graph, segments),
        concepts=concepts,
        glossary=glossary,
        glossary_usage=concept_usage(glossary, passages),
        budget_lines=sorted(budget.lines, key=lambda b: (b.municipality, b.product, b.year)),
        budget_totals=budget.totals,
        choices=load_choices(graph),
        region_facts=load_region_facts(graph),
        rubrics=rubrics(graph),
        instruments=instruments(graph),
        aspects=aspects(graph),
        prose_facts=load_prose_facts(graph),
    )
