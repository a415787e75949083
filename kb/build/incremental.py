"""Incremental extraction: per-document results cached in the build folder, cross-document
steps run on the whole.

The extractors of :data:`kb.extract.EXTRACTORS` fall in two kinds (read from what each one
reads besides its own document):

* **per document**: the document's own RDF (:func:`kb.extract.documents.add_documents`), plan,
  slides and prose findings read one document and write facts about it. Each document's result
  (its triples and warnings) is cached in ``<build>/cache/extract/<key>.pickle``, where the key
  hashes the document (content, id, metadata), the extractor version (the code of
  ``kb/extract``, ``kb/ingest`` and ``kb/rdf``, the ontology files, the settings that shape
  passages and which extractors run per document) and the context below;
* **cross document**: the curated regions (quotes looked up in any document) run first and are
  the *context* every per-document step sees; the stakeholder merge (one stakeholder per name
  over all plans), finance (a municipality no curated file names is written once, with the
  first budget table that names it as evidence), the glossary (a term two documents define
  gets a per-document IRI), memos (two memos of one region and year get IRIs apart), curation
  (the steward's decisions over all findings) and municipality linking (first evidence of a
  municipality, register codes) run on the merged graph every build.

The merged result is the graph :func:`kb.build.pipeline.build_graph` makes in one pass; the
acceptance test ``tests/acceptance/test_incremental.py`` compares the two with
:func:`rdflib.compare.isomorphic`.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, URIRef

from kb.build.validate import VIOLATION, ValidationResult, Violation, _short, validate
from kb.extract import EXTRACTORS, Extractor, run_extractors
from kb.extract.common import FactGraph
from kb.extract.documents import add_documents
from kb.extract.plan import merge_stakeholder_variants
from kb.files import write_atomic
from kb.ingest.model import Document
from kb.rdf.ontology import load_ontology_graph
from kb.rdf.vocabulary import Vocabulary, load_vocabulary
from kb.settings import Settings

Progress = Callable[[str, int, int], None]

#: Extractors that read only the document they are given (and the context): cached per document.
PER_DOCUMENT = ("plan", "slides", "prose", "financial-caveats")
#: Extractors run on the whole corpus before the per-document ones: their output is the context.
CONTEXT = ("regions",)
#: Extractors run on the merged graph after the per-document ones, in this order. Each keeps
#: state over documents: finance writes a municipality no curated file names once (the first
#: budget table that names it is its evidence), the glossary and memos give a second document
#: with the same term or the same region and year IRIs of its own.
CROSS_DOCUMENT = ("finance", "glossary", "memo", "curated", "municipalities")


def unassigned_extractors() -> list[str]:
    """Extractors of :data:`kb.extract.EXTRACTORS` in none (or more than one) of the three
    kinds above: an incremental build would skip (or repeat) them, so a new extractor must be
    given its kind here (checked at import and by a test)."""
    kinds = [*PER_DOCUMENT, *CONTEXT, *CROSS_DOCUMENT]
    return [e.name for e in EXTRACTORS if kinds.count(e.name) != 1] + [
        n for n in kinds if n not in {e.name for e in EXTRACTORS}
    ]


if unassigned_extractors():  # a developer's mistake: fail at import, not with a partial graph
    raise RuntimeError(
        f"kb.build.incremental: extractors without a kind: {unassigned_extractors()}"
    )

#: The cache folder inside the build folder.
CACHE_DIR = Path("cache") / "extract"
#: The cache of read documents (:func:`kb.ingest.read.ingest`) inside the build folder.
INGEST_CACHE = Path("cache") / "ingest"
#: Bumped when the cache format changes.
_FORMAT = "1"


@dataclass
class ExtractStats:
    """What an incremental extraction did: documents extracted anew and taken from the cache."""

    extracted: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    removed_cache_files: int = 0


def _steps(names: Sequence[str]) -> list[Extractor]:
    by_name = {e.name: e for e in EXTRACTORS}
    return [by_name[n] for n in names]


def _source_files(root: Path, pattern: str) -> Iterable[Path]:
    return sorted(p for p in root.rglob(pattern) if "__pycache__" not in p.parts)


@lru_cache(maxsize=8)
def _code_hash(roots: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for root in roots:
        for path in _source_files(Path(root), "*.py"):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def extractor_version(settings: Settings) -> str:
    """A hash of everything per-document extraction depends on besides the document: the code
    of ``kb/extract``, ``kb/ingest`` and ``kb/rdf``, every file of the ontology folder (schemes,
    shapes, register) and the passage size."""
    import kb

    package = Path(kb.__file__).parent
    digest = hashlib.sha256(f"{_FORMAT}:{','.join(PER_DOCUMENT)}".encode())
    digest.update(
        _code_hash(tuple(str(package / name) for name in ("extract", "ingest", "rdf"))).encode()
    )
    ontology = Path(settings.ontology_dir)
    for path in sorted(p for p in ontology.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        digest.update(str(path.relative_to(ontology)).encode())
        digest.update(path.read_bytes())
    digest.update(f"max_passage_chars={settings.max_passage_chars}".encode())
    return digest.hexdigest()


def document_key(doc: Document, version: str, context: str) -> str:
    """The cache key of one document's extraction: its content, identity and metadata, the
    extractor version and the context (the cross-document facts the extractors see)."""
    digest = hashlib.sha256()
    for part in (version, context, doc.id, doc.path.name, doc.fmt, doc.content_hash):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(repr(doc.meta).encode())
    digest.update(hashlib.sha256(doc.text.encode()).digest())
    return digest.hexdigest()


def graph_hash(graph: Graph) -> str:
    """A hash of a graph without blank nodes, independent of triple order."""
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _extract_one(
    doc: Document, context: Graph, vocabulary: Vocabulary, curated: Path | None
) -> tuple[list[tuple[Any, Any, Any]], list[str]]:
    """The triples the per-document extractors write for ``doc`` (beyond the context)."""
    facts = FactGraph(vocabulary=vocabulary, curated_dir=curated)
    facts.graph += context
    add_documents(facts, [doc])
    run_extractors([doc], facts, extractors=_steps(PER_DOCUMENT))
    # A list, not ``facts.graph - context``: building that graph cost a quarter of extraction.
    own = [t for t in facts.graph if t not in context] if len(context) else list(facts.graph)
    return own, facts.warnings


def _load(path: Path) -> tuple[list[tuple[object, object, object]], list[str]] | None:
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)  # noqa: S301 - our own cache file, in our own build folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return data


def _store(path: Path, triples: list[tuple[object, object, object]], warnings: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, pickle.dumps((triples, warnings), protocol=pickle.HIGHEST_PROTOCOL))


def build_graph_incremental(
    docs: list[Document],
    settings: Settings,
    *,
    progress: Progress | None = None,
    sources: list[Path] | None = None,
    cache_dir: Path | None = None,
    full: bool = False,
    stats: ExtractStats | None = None,
) -> tuple[Graph, list[str]]:
    """The graph :func:`kb.build.pipeline.build_graph` makes, with per-document results taken
    from ``cache_dir`` (default ``<build>/cache/extract``) where the document, the extractors and
    the context are unchanged. ``full`` ignores (and rewrites) the cache.

    Cache files of documents no longer in the corpus, or of an older version, are removed.
    """
    stats = stats if stats is not None else ExtractStats()
    cache_dir = cache_dir or Path(settings.build_dir) / CACHE_DIR
    vocabulary = load_vocabulary(settings.ontology_dir)
    curated = settings.curated_folder(sources)

    # Context: the curated regions, over the whole corpus.
    context_facts = FactGraph(vocabulary=vocabulary, curated_dir=curated)
    run_extractors(docs, context_facts, extractors=_steps(CONTEXT))
    context = context_facts.graph

    version = extractor_version(settings)
    context_key = graph_hash(context)
    warnings: list[str] = list(context_facts.warnings)
    parts: list[list[tuple[object, object, object]]] = []
    used: set[str] = set()
    for n, doc in enumerate(docs, 1):
        if progress:
            progress(f"extraheren: {doc.path.name}", n, len(docs))
        key = document_key(doc, version, context_key)
        path = cache_dir / f"{key}.pickle"
        used.add(path.name)
        cached = None if full else _load(path)
        if cached is None:
            triples, doc_warnings = _extract_one(doc, context, vocabulary, curated)
            _store(path, triples, doc_warnings)
            stats.extracted.append(doc.id)
        else:
            triples, doc_warnings = cached
            stats.cached.append(doc.id)
        parts.append(triples)
        warnings.extend(doc_warnings)

    facts = FactGraph(vocabulary=vocabulary, curated_dir=curated)
    facts.graph += load_ontology_graph(settings.ontology_dir)
    facts.graph += context
    for triples in parts:
        facts.graph.addN((s, p, o, facts.graph) for s, p, o in triples)  # type: ignore[misc]
    # The stakeholders of all plans, merged as one pass over all documents merges them.
    merge_stakeholder_variants(facts)
    if progress:
        progress("extraheren: over documenten heen", 0, 0)
    run_extractors(docs, facts, extractors=_steps(CROSS_DOCUMENT))
    warnings.extend(facts.warnings)
    stats.removed_cache_files = _prune(cache_dir, used)
    return facts.graph, warnings


def _prune(cache_dir: Path, used: set[str]) -> int:
    """Remove cache files no document of this build uses (removed or changed documents)."""
    removed = 0
    if not cache_dir.is_dir():
        return removed
    for path in cache_dir.glob("*.pickle"):
        if path.name not in used:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# --------------------------------------------------------------------------------------------
# Incremental validation
# --------------------------------------------------------------------------------------------

#: The validation state of the last build (subject digests and results) in the build folder.
VALIDATION_STATE = Path("cache") / "validate" / "state.pickle"
#: Above this share of changed nodes a whole validation is cheaper than a partial one.
_WHOLE_SHARE = 0.5


@dataclass
class ValidateStats:
    """What an incremental validation did: whole or partial, and on how many nodes."""

    whole: bool = True
    changed: int = 0
    revalidated: int = 0
    subjects: int = 0


def subject_digests(graph: Graph) -> dict[URIRef, int]:
    """Per IRI subject, an order-independent digest of its triples (XOR of triple hashes).

    Blank-node subjects are skipped and blank-node objects hashed alike: only the ontology has
    them, and it is part of the validation version, while its blank-node labels differ per parse.
    """
    digests: dict[URIRef, int] = {}
    get = digests.get
    for s, p, o in graph:
        if not isinstance(s, URIRef):
            continue
        text = f"{p}\x1f_:b" if isinstance(o, BNode) else f"{p}\x1f{o!r}"
        h = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
        digests[s] = get(s, 0) ^ h
    return digests


def _neighbourhood(graph: Graph, nodes: set[URIRef], hops: int = 2) -> Graph:
    """The triples of ``nodes`` and of what they link to, ``hops`` steps forward: every path a
    shape follows from a node (``sh:class`` on a value, ``prov:wasDerivedFrom/kb:text``, a
    passage's selector) stays inside."""
    sub = Graph()
    seen: set[object] = set()
    frontier: set[object] = set(nodes)
    for _ in range(hops + 1):
        nxt: set[object] = set()
        for node in frontier:
            if node in seen:
                continue
            seen.add(node)
            for triple in graph.triples((node, None, None)):  # type: ignore[arg-type]
                sub.add(triple)
                if isinstance(triple[2], URIRef | BNode):
                    nxt.add(triple[2])
        frontier = nxt - seen
    return sub


def validate_incremental(
    graph: Graph,
    settings: Settings,
    *,
    state_path: Path | None = None,
    full: bool = False,
    stats: ValidateStats | None = None,
) -> ValidationResult:
    """SHACL validation of ``graph`` that revalidates only what changed since the last build.

    The last build's results are kept per focus node. A node is revalidated when its own
    triples changed (its digest differs, or it is new or gone) or when it links to such a node
    (a ``sh:class`` or a two-step path reads the other node's triples); it is validated on its
    neighbourhood (:func:`_neighbourhood`) with the ontology. Shapes that read incoming links
    would need more; ``ontology/shapes.ttl`` has none. A changed ontology, code or ``full``
    validates the whole graph. The result equals a whole validation (checked by
    ``tests/acceptance/test_incremental.py``).
    """
    stats = stats if stats is not None else ValidateStats()
    state_path = state_path or Path(settings.build_dir) / VALIDATION_STATE
    version = extractor_version(settings) + _code_hash((str(Path(__file__).parent),))
    digests = subject_digests(graph)
    stats.subjects = len(digests)
    old = None if full else _load_state(state_path)
    if old is None or old.get("version") != version:
        result = validate(graph, ontology_dir=settings.ontology_dir)
        _store_state(state_path, version, digests, result)
        return result

    old_digests: dict[URIRef, int] = old["digests"]
    changed = {s for s in digests if old_digests.get(s) != digests[s]}
    changed |= {s for s in old_digests if s not in digests}
    stats.changed = len(changed)
    dirty = set(changed)
    for node in changed:
        dirty.update(s for s in graph.subjects(None, node) if isinstance(s, URIRef))
    stats.revalidated = len(dirty)
    if len(dirty) > _WHOLE_SHARE * max(len(digests), 1):
        result = validate(graph, ontology_dir=settings.ontology_dir)
        _store_state(state_path, version, digests, result)
        return result
    stats.whole = False
    short = {_short(n) for n in dirty}
    fresh: list[Violation] = []
    if dirty & digests.keys():
        part = validate(
            _neighbourhood(graph, dirty & digests.keys()), ontology_dir=settings.ontology_dir
        )
        fresh = [v for v in part.results if v.focus in short]
    kept = [v for v in old["results"] if v.focus not in short]
    results = sorted([*kept, *fresh], key=lambda v: (v.message, v.focus))
    result = ValidationResult(
        conforms=not any(v.severity == VIOLATION for v in results), results=results
    )
    _store_state(state_path, version, digests, result)
    return result


def _load_state(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)  # noqa: S301 - our own cache file, in our own build folder
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def _store_state(
    path: Path, version: str, digests: dict[URIRef, int], result: ValidationResult
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {"version": version, "digests": digests, "results": result.results}
    write_atomic(path, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
