"""Financial caveats (kb.extract.caveats) in invented plans: the cue words come from the scheme
financiele-kanttekeningen, every caveat keeps its quote, passage and rule."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, URIRef
from rdflib.namespace import PROV

from kb.extract import caveats
from kb.extract.common import FactGraph, concept_iri
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB
from kb.rdf.vocabulary import load_vocabulary

#: This checkout's ontology (the shared development venv may point elsewhere).
ONTOLOGY = Path(__file__).resolve().parents[3] / "ontology"


def make_doc(blocks: list[Block], doc_type: str = "inkoopplan") -> Document:
    doc = Document(
        id="plan",
        path=Path("plan.txt"),
        fmt="txt",
        meta=SourceMeta(file="plan.txt", title="Plan", doc_type=doc_type, region="Testregio"),
        text="",
        content_hash="0" * 64,
    )
    build_document(doc, blocks)
    return doc


PLAN = [
    Block("heading", "Financieel kader", level=1),
    Block("heading", "Korting en indexatie", level=2),
    Block(
        "paragraph",
        "De deelnemende gemeenten leggen een taakstelling op van 2% per jaar. Die korting "
        "geldt voor alle segmenten. Daarnaast worden de tarieven jaarlijks geïndexeerd volgens "
        "de OVA.",
    ),
    Block("paragraph", "Risicoverevening"),
    Block("paragraph", "Alle bedragen in dit hoofdstuk zijn onder voorbehoud van de begroting."),
    Block("paragraph", "De gemeenten kopen samen in voor vier jaar."),
    Block(
        "table", "Post\t2021\nVerevening\t1.000", rows=(("Post", "2021"), ("Verevening", "1.000"))
    ),
]


def _caveats(doc: Document) -> tuple[FactGraph, list[URIRef]]:
    facts = FactGraph(vocabulary=load_vocabulary(ONTOLOGY))
    caveats.extract([doc], facts)
    found = sorted(facts.graph.subjects(RDF.type, KB.FinancialCaveat), key=str)
    return facts, found


def test_sentences_naming_a_caveat_become_facts_with_their_kind_and_quote() -> None:
    doc = make_doc(PLAN)
    facts, found = _caveats(doc)
    kinds = {
        str(facts.graph.value(c, KB.caveatKind)).rsplit("/", 1)[-1]: str(
            facts.graph.value(c, KB.quote)
        )
        for c in found
    }
    # A title line ("Risicoverevening"), a sentence without a cue and the budget table are none.
    assert set(kinds) == {"efficiencykorting", "indexatie", "voorbehoud"}
    assert kinds["efficiencykorting"].startswith("De deelnemende gemeenten leggen een taakstelling")
    assert "geïndexeerd" in kinds["indexatie"]
    for c in found:
        quote = str(facts.graph.value(c, KB.quote))
        start = int(facts.graph.value(c, KB.startOffset))
        assert doc.text[start : start + len(quote)] == quote
        assert facts.graph.value(c, PROV.wasDerivedFrom) is not None
        assert facts.graph.value(c, KB.caveatKind) in {
            concept_iri(caveats.SCHEME, s) for s in ("efficiencykorting", "indexatie", "voorbehoud")
        }
        activity = facts.graph.value(c, PROV.wasGeneratedBy)
        assert facts.graph.value(activity, KB.method) == KB.ProsePattern


def test_consecutive_sentences_of_one_kind_are_one_caveat() -> None:
    doc = make_doc(
        [
            Block("heading", "Financiën", level=1),
            Block(
                "paragraph",
                "Over de risicoverevening is nog geen besluit genomen. De verevening loopt tot "
                "2026 via de centrumgemeente.",
            ),
        ]
    )
    facts, found = _caveats(doc)
    assert len(found) == 1
    assert str(facts.graph.value(found[0], KB.quote)).endswith("via de centrumgemeente.")


def test_only_purchasing_plans_are_read() -> None:
    _, found = _caveats(make_doc(PLAN, doc_type="nieuwsartikel"))
    assert found == []
