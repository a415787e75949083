"""The labels of a SKOS scheme, read from the ontology folder, and where a text names them.

This is the one seam to replace by ``kb.rdf.vocabulary`` once it exists: the prose extractor calls
only :func:`find_concepts`. Preferred, alternative and hidden labels all count; the longest label
wins where labels overlap ("Europese aanbesteding" over "aanbesteding").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from kb.extract.prose.findings import ConceptMention
from kb.resources import ontology_dir as default_ontology_dir


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
    for concept in sorted(graph.subjects(SKOS.inScheme, scheme), key=str):
        pref = next(
            (
                str(o)
                for o in graph.objects(concept, SKOS.prefLabel)
                if isinstance(o, Literal) and o.language == "nl"
            ),
            "",
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
