"""SHACL validation of the knowledge graph against ``ontology/shapes.ttl``, readably reported."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef, Variable
from rdflib.namespace import RDF, SH, NamespaceManager, split_uri

from kb.rdf.namespaces import compact
from kb.rdf.ontology import SHAPES_FILE, OntologyError, load_ontology_graph, parse_turtle


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node broke which rule, and how."""

    focus: str
    path: str
    message: str
    severity: str
    value: str
    shape: str


@dataclass
class ValidationResult:
    """Outcome of validating a graph: every result, and whether it conforms.

    Only violations (real defects) make a graph not conform; warnings (completeness rules such as
    a segment without some rubric) are reported and the graph is published.
    """

    conforms: bool
    results: list[Violation] = field(default_factory=list)

    @property
    def violations(self) -> list[Violation]:
        """The results that block publishing."""
        return [v for v in self.results if v.severity == VIOLATION]

    @property
    def warnings(self) -> list[Violation]:
        """The results that are reported but do not block publishing (warnings, infos)."""
        return [v for v in self.results if v.severity != VIOLATION]

    def groups(self) -> list[tuple[str, str, str, list[Violation]]]:
        """(severity, path, message, results) per rule, violations first, then the largest."""
        grouped: dict[tuple[str, str, str], list[Violation]] = defaultdict(list)
        for v in self.results:
            grouped[(v.severity, v.path, _generic_message(v))].append(v)
        ordered = sorted(
            grouped.items(), key=lambda kv: (kv[0][0] != VIOLATION, -len(kv[1]), kv[0])
        )
        return [(sev, path, msg, items) for (sev, path, msg), items in ordered]

    def summary(self, examples: int = 5) -> dict[str, object]:
        """A JSON-ready summary for the build manifest: counts and the results per rule."""
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "rules": [
                {
                    "severity": sev,
                    "path": path,
                    "message": msg,
                    "count": len(items),
                    "examples": [v.focus for v in items[:examples]],
                }
                for sev, path, msg, items in self.groups()
            ],
        }

    def report_text(self, examples: int = 5) -> str:
        """The results grouped by rule, with a few example nodes per rule."""
        if not self.results:
            return "The graph conforms to the SHACL shapes."
        groups = self.groups()
        n_warn, n_viol = len(self.warnings), len(self.violations)
        if self.conforms:
            lines = [
                f"The graph conforms to the SHACL shapes, with {n_warn} warnings "
                f"in {len(groups)} rules."
            ]
        else:
            lines = [
                f"The graph does not conform: {n_viol} violations and {n_warn} warnings "
                f"in {len(groups)} rules."
            ]
        for severity, path, message, items in groups:
            where = f" [{path}]" if path else ""
            lines.append(f"\n{severity}{where}: {message} ({len(items)}×)")
            for v in items[:examples]:
                value = f" value {v.value}" if v.value else ""
                lines.append(f"  - {v.focus}{value}")
            if len(items) > examples:
                lines.append(f"  … and {len(items) - examples} more")
        return "\n".join(lines)


#: The severity of a result that blocks publishing (the local name of ``sh:Violation``).
VIOLATION = "Violation"


def _generic_message(v: Violation) -> str:
    """The message without the node it is about, so results of one rule group together
    (pyshacl's default messages name the focus node and the value)."""
    message = v.message
    for node in (v.focus, v.value):
        if node:
            message = message.replace(f"<{node}>", "…").replace(node, "…")
    return message


def load_shapes(ontology_dir: Path) -> Graph:
    """The SHACL shapes graph."""
    path = ontology_dir / SHAPES_FILE
    if not path.is_file():
        raise OntologyError(f"{path}: shapes file not found")
    return parse_turtle(path)


#: An IRI inside a message, without the punctuation that ends the sentence.
_IRI = re.compile(r"https?://[^\s<>\"{}]*[^\s<>\"{}.,;)]")


def _short(node: object) -> str:
    """A node as users read it: IRIs in their prefixed form (kbi:segment/…)."""
    if node is None:
        return ""
    return compact(str(node)) if isinstance(node, URIRef) else str(node)


def _compact_iris(message: str) -> str:
    """Messages of SPARQL constraints carry full IRIs; show them prefixed."""
    return _IRI.sub(lambda m: compact(m.group(0)), message)


_patch_lock = threading.Lock()
_patch_depth = 0
#: Most distinct query texts kept translated (the shapes have a handful).
_MAX_TRANSLATED = 512


@contextmanager
def _translated_once() -> Iterator[None]:
    """Parse and translate each SPARQL text once while pySHACL validates.

    pySHACL runs a SHACL-SPARQL constraint as one query per focus node with ``$this`` bound,
    and rdflib parses and translates the same text every time: most of the validation time, and
    with one proposed fact per prose finding it grows with the corpus. A translated query is
    reusable with other bindings (that is what ``rdflib.plugins.sparql.prepareQuery`` is for),
    so rdflib's processor gets a cache keyed by text, base and namespaces while validation runs.
    """
    global _patch_depth
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    cache: dict[tuple[object, ...], object] = {}

    def query(
        self: Any,
        strOrQuery: Any,  # noqa: N803 - rdflib's parameter names
        initBindings: Any = None,  # noqa: N803
        initNs: Any = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Any:
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((initNs or {}).items())))
            prepared = cache.get(key)
            if prepared is None:
                if len(cache) >= _MAX_TRANSLATED:
                    cache.clear()
                prepared = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
                cache[key] = prepared
            strOrQuery = prepared
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    with _patch_lock:
        _patch_depth += 1
        if _patch_depth == 1:
            processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


class _PlainIriNamespaces(NamespaceManager):
    """A namespace manager that writes an IRI without a bound prefix as ``<iri>`` at once.

    pySHACL writes the focus and value node of every result it makes (also of the results of
    ``sh:or``, ``sh:xone`` and ``sh:node`` branches it then drops) with ``n3()``. rdflib's
    ``normalizeUri`` first files the IRI's namespace in a prefix trie, scanning every namespace
    filed so far, and only then finds that it has no prefix and writes ``<iri>``. The knowledge
    graph has a namespace per document (``kbi:segment/<document>/``), so that scan made
    validation grow with the square of the corpus. This manager gives the same text: an IRI
    whose namespace has a prefix still goes through rdflib.
    """

    def normalizeUri(self, rdfTerm: str) -> str:  # noqa: N802, N803 - rdflib's names
        """``rdfTerm`` as ``prefix:name`` or ``<iri>``, as :class:`NamespaceManager` writes it."""
        if not isinstance(rdfTerm, Variable):
            try:
                namespace, _name = split_uri(rdfTerm)
            except ValueError:
                return super().normalizeUri(rdfTerm)
            if self.store.prefix(URIRef(str(namespace))) is None:
                return f"<{rdfTerm}>"
        return super().normalizeUri(rdfTerm)


#: A class only the ontology defines: a graph with it has the ontology merged in already.
_ONTOLOGY_CLASS = URIRef("https://w3id.org/jeugdhulp-kb/def#SegmentItem")


def _data_graph(graph: Graph, ontology_dir: Path, *, with_ontology: bool) -> Graph:
    """The graph pySHACL validates in place: a copy of ``graph``, with the ontology if needed.

    pySHACL (in advanced mode) would copy the data graph itself, binding the prefixes of rdflib's
    ``core`` set and of the graph it copies; this copy binds the same ones, so messages read the
    same, and carries :class:`_PlainIriNamespaces`.
    """
    merge = with_ontology and (_ONTOLOGY_CLASS, None, None) not in graph
    # Before, the merged graph was a fresh rdflib Graph, so its prefixes were rdflib's defaults.
    prefixes = list((Graph() if merge else graph).namespaces())
    data = Graph(bind_namespaces="none")
    data.namespace_manager = _PlainIriNamespaces(data, "core")
    for prefix, namespace in prefixes:
        data.namespace_manager.bind(prefix, namespace, override=True, replace=True)
    data += graph
    if merge:
        data += load_ontology_graph(ontology_dir)
    return data


def validate(graph: Graph, ontology_dir: Path, *, with_ontology: bool = True) -> ValidationResult:
    """Validate ``graph`` with the shapes in ``ontology_dir``.

    The ontology is merged into the data graph when it is not already there, because
    ``sh:targetClass`` follows ``rdfs:subClassOf`` only through the data graph. ``graph`` itself
    is not changed: pySHACL validates a copy (:func:`_data_graph`).
    """
    import pyshacl

    shapes = load_shapes(ontology_dir)
    data = _data_graph(graph, ontology_dir, with_ontology=with_ontology)
    with _translated_once():
        # In place: ``data`` is this function's own copy (the shapes have no sh:rule to add to it).
        conforms, report, _text = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
        )
    if not isinstance(report, Graph):  # pyshacl reports broken shapes this way
        raise OntologyError(f"{ontology_dir / SHAPES_FILE}: the shapes cannot be used: {report}")
    results: list[Violation] = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        focus = _short(report.value(r, SH.focusNode))
        value = _short(report.value(r, SH.value))
        results.append(
            Violation(
                focus=focus,
                path=_short(report.value(r, SH.resultPath)),
                message=_compact_iris(str(report.value(r, SH.resultMessage) or "")),
                severity=str(report.value(r, SH.resultSeverity) or "").rsplit("#", 1)[-1],
                value="" if value == focus else value,
                shape=_short(report.value(r, SH.sourceShape)),
            )
        )
    results += check_quote_spans(data)
    results.sort(key=lambda v: (v.message, v.focus))
    blocking = any(v.severity == VIOLATION for v in results)
    return ValidationResult(conforms=bool(conforms) and not blocking, results=results)


def check_quote_spans(graph: Graph) -> list[Violation]:
    """Every fact's quote starts inside (one of) the passages it is derived from.

    A plain walk over the triples: as a SHACL-SPARQL constraint this check runs one query per
    fact, which takes more than ten seconds on the bundled corpus.
    """
    from rdflib.namespace import PROV

    from kb.rdf.namespaces import KB, OA

    spans: dict[object, tuple[int, int]] = {}
    for passage in graph.subjects(RDF.type, KB.Passage):
        for sel in graph.objects(passage, OA.hasSelector):
            start, end = graph.value(sel, OA.start), graph.value(sel, OA.end)
            if start is not None and end is not None:
                spans[passage] = (int(str(start)), int(str(end)))
    inside: dict[object, bool] = {}
    starts: dict[object, int] = {}
    for fact, start in graph.subject_objects(KB.startOffset):
        sources = [spans[p] for p in graph.objects(fact, PROV.wasDerivedFrom) if p in spans]
        if not sources:  # sections have offsets but no source; facts without one fail the shapes
            continue
        offset = int(str(start))
        starts[fact] = offset
        inside[fact] = any(lo <= offset < hi for lo, hi in sources)
    return [
        Violation(
            focus=_short(fact),
            path="kb:startOffset",
            message="The quote starts outside every passage the fact is derived from.",
            severity=VIOLATION,
            value=str(starts[fact]),
            shape="kb.build.validate.check_quote_spans",
        )
        for fact, ok in inside.items()
        if not ok
    ]
