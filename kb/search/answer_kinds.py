"""The kind of value a question asks for, so that passages stating none rank lower.

"Hoeveel aanbieders …?" wants a number, "Wanneer …?" and "Hoe lang …?" a date, period or
duration. A passage that states no value of the asked kind may share every other word with the
question ("Het aantal aanbieders wordt kleiner") but cannot answer it; the one that says
"Nu werken 164 aanbieders …" can. This is answer-type matching, the oldest signal of
question answering, with both sides from the ontology and the index:

- the question words of each kind are the labels of the ``antwoordsoorten`` scheme
  (``ontology/cues.ttl``), stored in the index as it was built
  (:data:`~kb.index.format.ANSWER_KINDS`), matched as the vocabulary matches prose (whole
  words, longest label first: "hoeveel jaar" asks for a duration, not a number);
- each passage's kinds were found when the index was built (``Record.answer_kinds``).

A question that names no kind, or names several, changes nothing for the passages that state
any of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from rdflib import URIRef

from kb.index.format import ANSWER_KINDS
from kb.index.records import Record
from kb.rdf.vocabulary import Concept, Vocabulary

#: The scheme's name inside the small vocabulary made of the index's cues.
_SCHEME = "antwoordsoorten"


class AnswerKinds:
    """The index's answer kinds: which passages state each, and which a question asks for."""

    def __init__(self, cues: dict[str, list[str]], records: list[Record]) -> None:
        concepts = tuple(
            Concept(
                iri=URIRef(f"urn:kb:answer-kind:{slug}"),
                scheme=_SCHEME,
                slug=slug,
                pref_label=labels[0],
                hidden_labels=tuple(labels[1:]),
            )
            for slug, labels in cues.items()
            if labels
        )
        self._vocabulary = Vocabulary({_SCHEME: concepts}, source="the search index")
        self.kinds = [c.slug for c in concepts]
        self._rows = {
            kind: np.fromiter((kind in r.answer_kinds for r in records), bool, len(records))
            for kind in self.kinds
        }

    @classmethod
    def load(cls, index_dir: Path, records: list[Record]) -> AnswerKinds:
        """The kinds of an index folder (none when it was built without the scheme)."""
        path = index_dir / ANSWER_KINDS
        try:
            cues = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except ValueError as exc:
            raise ValueError(f"{path.name}: {exc}") from None
        if not isinstance(cues, dict) or not all(
            isinstance(labels, list) and all(isinstance(label, str) for label in labels)
            for labels in cues.values()
        ):
            # The searcher reports a ValueError as a damaged index with its remedy.
            raise ValueError(f"{path.name} is not a mapping of kinds to question words")
        return cls(cues, records)

    def of_question(self, question: str) -> list[str]:
        """The kinds the question asks for, in the order it names them (usually one or none)."""
        if not self.kinds:
            return []
        found = [m.concept.slug for m in self._vocabulary.find_all(_SCHEME, question)]
        return list(dict.fromkeys(found))

    def stating(self, kinds: list[str]) -> np.ndarray | None:
        """Which passages state a value of any of ``kinds`` (None when no kind is given)."""
        rows = [self._rows[k] for k in kinds if k in self._rows]
        if not rows:
            return None
        return np.logical_or.reduce(rows)
