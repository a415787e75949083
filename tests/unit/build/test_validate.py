"""How ``kb.build.validate.validate`` runs pySHACL: the same results, in time linear in the graph.

pySHACL writes the focus and value node of every result with rdflib's ``n3()``; rdflib's
namespace manager files each new namespace in a trie by scanning the namespaces filed before, and
the knowledge graph has a namespace per document. ``validate`` gives the data graph a namespace
manager that writes such IRIs without that bookkeeping (``_PlainIriNamespaces``). These tests use
tiny invented graphs of sections in one namespace per invented document.
"""

from __future__ import annotations

import pyshacl
import pytest
import rdflib.namespace
from rdflib import Graph, Namespace, URIRef, Variable
from rdflib.namespace import RDF, SH, NamespaceManager

from kb.build.validate import _compact_iris, _PlainIriNamespaces, _short, load_shapes, validate
from kb.rdf.namespaces import KB, KBI
from kb.settings import Settings

ONTOLOGY = Settings().ontology_dir


def sections(documents: int) -> Graph:
    """One section without any of its required properties per invented document."""
    graph = Graph()
    for n in range(documents):
        graph.add((KBI[f"section/doc{n}/s1"], RDF.type, KB.Section))
    return graph


@pytest.mark.parametrize(
    "iri",
    [
        KB.Section,  # a bound namespace: prefixed
        URIRef("http://www.w3.org/2001/XMLSchema#string"),  # one of rdflib's core prefixes
        KBI["section/doc1/s1"],  # a namespace per document, not bound: <iri>
        KBI["section/doc2/"],  # no local name
        URIRef("https://w3id.org/jeugdhulp-kb/id/bound/x"),  # a namespace the graph binds
        URIRef("urn:uuid:1234"),
        Variable("this"),
    ],
)
def test_plain_namespaces_write_an_iri_as_rdflib_does(iri: URIRef) -> None:
    plain, rdflibs = Graph(bind_namespaces="none"), Graph(bind_namespaces="none")
    plain.namespace_manager = _PlainIriNamespaces(plain, "core")
    rdflibs.namespace_manager = NamespaceManager(rdflibs, "core")
    for graph in (plain, rdflibs):
        graph.bind("kb", KB)
        graph.bind("b", Namespace("https://w3id.org/jeugdhulp-kb/id/bound/"))
    assert plain.namespace_manager.normalizeUri(iri) == rdflibs.namespace_manager.normalizeUri(iri)
    assert iri.n3(plain.namespace_manager) == iri.n3(rdflibs.namespace_manager)


def test_results_read_as_when_pyshacl_copies_the_graph() -> None:
    graph = sections(3)
    # A prefix for one document's namespace: its section is written with it in the messages.
    graph.bind("doc0", Namespace(str(KBI["section/doc0/"])))
    ours = validate(graph, ONTOLOGY, with_ontology=False)
    _conforms, report, _text = pyshacl.validate(
        graph, shacl_graph=load_shapes(ONTOLOGY), inference="none", advanced=True
    )
    theirs = {
        (
            _short(report.value(r, SH.focusNode)),
            _short(report.value(r, SH.resultPath)),
            _compact_iris(str(report.value(r, SH.resultMessage))),
        )
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    mine = {(v.focus, v.path, v.message) for v in ours.results}
    assert mine == theirs
    assert not ours.conforms
    # The messages that name the node: one with the bound prefix, the others in full.
    messages = " ".join(v.message for v in ours.results)
    assert "doc0:s1" in messages
    assert str(KBI["section/doc1/s1"]) in messages or "kbi:section/doc1/s1" in messages


def test_validation_leaves_the_graph_unchanged() -> None:
    graph = sections(2)
    graph.bind("doc0", Namespace(str(KBI["section/doc0/"])))
    before, prefixes = set(graph), set(graph.namespaces())
    validate(graph, ONTOLOGY)
    assert set(graph) == before
    assert set(graph.namespaces()) == prefixes


def _namespaces_filed(documents: int, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many namespaces rdflib files in its prefix trie while ``documents`` are validated."""
    filed: list[str] = []
    original = rdflib.namespace.insert_strie

    def counting(strie: dict, trie: dict, value: str) -> None:  # type: ignore[type-arg]
        filed.append(value)
        original(strie, trie, value)

    monkeypatch.setattr(rdflib.namespace, "insert_strie", counting)
    result = validate(sections(documents), ONTOLOGY, with_ontology=False)
    # Every section is reported (five required properties each), so each one is written.
    assert len({v.focus for v in result.results}) == documents
    return len(filed)


def test_writing_results_does_not_file_a_namespace_per_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # rdflib scans every namespace filed before when it files a new one: filing one per
    # document made validation grow with the square of the corpus.
    assert _namespaces_filed(4, monkeypatch) == _namespaces_filed(40, monkeypatch)
