"""Extraction is driven by the ontology's vocabulary, not by word lists in code.

Each test runs an extractor on a tiny invented document twice: with the ontology as shipped and
with a copy in a temporary folder to which one label was added. The label alone must make the
difference. Document types are compared as concepts: a type written another way still selects its
extractor, and an unknown type gives a warning and a plain document.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SKOS

from kb.extract import curated, plan, run_extractors, slides
from kb.extract.common import FactGraph, doc_iri
from kb.extract.documents import add_documents
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.ingest.text import parse_blocks
from kb.rdf.namespaces import KB, KBI
from kb.rdf.vocabulary import Vocabulary, load_vocabulary

ONTOLOGY = Path(__file__).resolve().parents[3] / "ontology"


def with_label(tmp_path: Path, concept: URIRef, label: str) -> Vocabulary:
    """The vocabulary of a copy of the ontology in which ``concept`` has one more altLabel."""
    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, copy)
    with (copy / "schemes.ttl").open("a", encoding="utf-8") as f:
        f.write(f'\n<{concept}> <{SKOS.altLabel}> "{label}"@nl .\n')
    return load_vocabulary(copy)


def make_doc(blocks: list[Block], doc_type: str = "inkoopplan", name: str = "plan") -> Document:
    doc = Document(
        id=name,
        path=Path(f"{name}.txt"),
        fmt="txt",
        meta=SourceMeta(file=f"{name}.txt", title=name, doc_type=doc_type, region="Testregio"),
        text="",
        content_hash="0" * 64,
    )
    build_document(doc, blocks)
    return doc


def h(text: str, level: int = 2) -> Block:
    return Block("heading", text, level=level)


def li(text: str) -> Block:
    return Block("list_item", text)


def segment_plan(heading: str, bullet: str, doc_type: str = "inkoopplan") -> Document:
    """One segment with a rubric heading of our choosing and a Contractvorm rubric after it."""
    return make_doc(
        [
            h("SEGMENT 1: Wonen", level=1),
            h(heading),
            li(bullet),
            h("Contractvorm"),
            li("Een contract voor 4 jaar."),
        ],
        doc_type=doc_type,
    )


def extract_plan(doc: Document, vocabulary: Vocabulary) -> FactGraph:
    facts = FactGraph(vocabulary=vocabulary)
    plan.extract([doc], facts)
    return facts


def test_new_rubric_wording_needs_only_a_label(tmp_path: Path) -> None:
    doc = segment_plan("Voor wie", "Jeugdigen van 12 tot 18 jaar, circa 40 jeugdigen.")
    shipped = extract_plan(doc, load_vocabulary(ONTOLOGY))
    assert not list(shipped.graph.subjects(RDF.type, KB.TargetGroup))

    taught = with_label(tmp_path, KBI["concept/rubrieken/doelgroep"], "Voor wie")
    facts = extract_plan(doc, taught)
    (group,) = facts.graph.subjects(RDF.type, KB.TargetGroup)
    assert facts.graph.value(group, KB.minAge) == Literal(12)
    assert facts.graph.value(group, KB.numberOfYouths) == Literal(40)
    # The rubric after it is found either way.
    assert list(facts.graph.subjects(RDF.type, KB.ContractForm))
    assert list(shipped.graph.subjects(RDF.type, KB.ContractForm))


def test_new_funding_word_needs_only_a_label(tmp_path: Path) -> None:
    doc = segment_plan("Bekostigingsmodel", "Aanbieders krijgen een wijkbudget per kwartaal.")
    shipped = extract_plan(doc, load_vocabulary(ONTOLOGY))
    (model,) = shipped.graph.subjects(RDF.type, KB.FundingModel)
    assert not list(shipped.graph.objects(model, KB.usesFundingConcept))

    concept = KBI["concept/bekostigingsvormen/populatiebekostiging"]
    taught = with_label(tmp_path, concept, "Wijkbudget")
    facts = extract_plan(doc, taught)
    (model,) = facts.graph.subjects(RDF.type, KB.FundingModel)
    assert set(facts.graph.objects(model, KB.usesFundingConcept)) == {concept}
    # The slide extractor reads the same labels.
    assert slides.funding_concepts("Wijkbudgetten per aanbieder", taught) == [
        "populatiebekostiging"
    ]
    assert slides.funding_concepts("Wijkbudgetten per aanbieder", load_vocabulary(ONTOLOGY)) == []


def test_new_rubric_wording_in_a_layout_table(tmp_path: Path) -> None:
    # A two-column "rubric | content" row of a converted plan becomes a heading only when its
    # first cell names a rubric.
    text = "\tVoor wie\n\tJeugdigen van 0 tot 18 jaar.\n"
    shipped = parse_blocks(text, {}, vocabulary=load_vocabulary(ONTOLOGY))
    assert [b.kind for b in shipped] == ["table"]
    taught = with_label(tmp_path, KBI["concept/rubrieken/doelgroep"], "Voor wie")
    blocks = parse_blocks(text, {}, vocabulary=taught)
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Voor wie"),
        ("paragraph", "Jeugdigen van 0 tot 18 jaar."),
    ]


@pytest.mark.parametrize("written", ["inkoopplan", "Inkoopstrategie", "inkoopkader"])
def test_plan_extractor_selects_by_concept(written: str) -> None:
    doc = segment_plan("Doelgroep", "Jeugdigen tot 18 jaar.", doc_type=written)
    facts = extract_plan(doc, load_vocabulary(ONTOLOGY))
    assert list(facts.graph.subjects(RDF.type, KB.Segment))


def test_documents_record_their_type_concept() -> None:
    vocabulary = load_vocabulary(ONTOLOGY)
    facts = FactGraph(vocabulary=vocabulary)
    letter = make_doc([Block("paragraph", "Geachte raad,")], doc_type="raadsbrief", name="brief")
    plan_doc = make_doc([Block("paragraph", "Inleiding.")], doc_type="Inkoopkader", name="kader")
    add_documents(facts, [letter, plan_doc])
    g = facts.graph
    assert g.value(doc_iri("brief"), KB.documentTypeConcept) == (
        vocabulary.concept("documenttypen", "raadsinformatiebrief").iri
    )
    assert g.value(doc_iri("brief"), KB.documentType) == Literal("raadsbrief")
    assert (doc_iri("kader"), RDF.type, KB.PurchasingPlan) in g
    assert (doc_iri("brief"), RDF.type, KB.PurchasingPlan) not in g
    assert facts.warnings == []


def test_unknown_document_type_is_a_plain_document_with_a_warning() -> None:
    facts = FactGraph(vocabulary=load_vocabulary(ONTOLOGY))
    doc = segment_plan("Doelgroep", "Jeugdigen tot 18 jaar.", doc_type="roman")
    add_documents(facts, [doc])
    run_extractors([doc], facts)
    g = facts.graph
    d = doc_iri(doc.id)
    assert set(g.objects(d, RDF.type)) == {KB.Document}
    assert g.value(d, KB.documentType) == Literal("roman")
    assert g.value(d, KB.documentTypeConcept) is None
    # Not a plan, but its structure still describes a segment: extraction is structure-driven.
    assert (d, RDF.type, KB.PurchasingPlan) not in g
    assert len(list(g.subjects(RDF.type, KB.Segment))) == 1
    (warning,) = [w for w in facts.warnings if "roman" in w]
    assert "plan.txt" in warning and "unknown document type" in warning


def test_unstated_document_type_gives_no_warning() -> None:
    facts = FactGraph(vocabulary=load_vocabulary(ONTOLOGY))
    doc = make_doc([Block("paragraph", "Tekst.")], doc_type=SourceMeta.doc_type, name="los")
    add_documents(facts, [doc])
    assert facts.warnings == []
    assert facts.graph.value(doc_iri("los"), KB.documentTypeConcept) is None


def test_curated_choices_accept_every_concept_of_the_schemes(tmp_path: Path) -> None:
    vocabulary = load_vocabulary(ONTOLOGY)
    schemes = ("bekostigingsvormen", "inkoopmodellen")
    slugs = [c.slug for scheme in schemes for c in vocabulary.concepts(scheme)]
    aspects = [c.slug for c in vocabulary.concepts("keuze-aspecten")]
    entries = "".join(
        f"- {{region: Testregio, aspect: {aspect}, value: x, file: a.txt, quote: x, "
        f"concept: [{', '.join(slugs)}]}}\n"
        for aspect in aspects
    )
    path = tmp_path / "choices.yaml"
    path.write_text(entries + "- {region: T, aspect: kleur, value: x, file: a.txt, quote: x}\n")
    found, problems = curated.load_choices(path, vocabulary)
    assert [e.aspect for e in found] == aspects
    assert all([slug for _, slug in e.concepts] == slugs for e in found)
    (problem,) = problems
    assert "unknown aspect 'kleur'" in problem and ", ".join(aspects) in problem
