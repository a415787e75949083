"""Layout strings of slide decks and memos as per-layout profiles (kb.extract.layouts): which
profile a document gets, and that the slides and memo extractors read their titles from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.extract import slides
from kb.extract.common import FactGraph
from kb.extract.layouts import default_profile, load_profiles, profile_for
from kb.ingest.model import Block, Document, SourceMeta
from kb.ingest.passages import build_document
from kb.rdf.namespaces import KB
from kb.rdf.vocabulary import Vocabulary, load_vocabulary

ONTOLOGY = Path(__file__).resolve().parents[3] / "ontology"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return load_vocabulary(ONTOLOGY)


def doc(doc_type: str, region: str, blocks: list[Block] | None = None) -> Document:
    d = Document(
        id="d",
        path=Path("d.txt"),
        fmt="txt",
        meta=SourceMeta(file="d.txt", title="D", doc_type=doc_type, region=region),
        text="",
        content_hash="0",
    )
    build_document(d, blocks or [Block("paragraph", "Tekst.")])
    return d


def test_slide_and_memo_layouts_are_profiles(vocabulary: Vocabulary) -> None:
    deck = profile_for(doc("presentatie", "Regio Noorderzand"), vocabulary)
    memo = profile_for(doc("memo", "Regio Noorderzand"), vocabulary)
    assert deck.slide_title("programma") is not None and not deck.memo_contexts
    assert [c for c, _ in memo.memo_contexts] == [
        "contracts",
        "milestones",
        "risks",
        "appendix",
        "advice",
    ]
    # Other documents get the general rules: no slide titles, no memo contexts.
    assert not default_profile().slide_titles and not default_profile().memo_contexts
    assert profile_for(doc("artikel", "Regio Noorderzand"), vocabulary) is default_profile()


def test_a_profile_for_region_and_type_wins_over_one_for_the_type(
    tmp_path: Path, vocabulary: Vocabulary
) -> None:
    (tmp_path / "default.yaml").write_text(
        "goal_header_similarity: 0.4\ngoal_header_bullet_similarity: 0.8\n", encoding="utf-8"
    )
    (tmp_path / "a-deck.yaml").write_text(
        "applies_to: {document_type: presentatie}\nslide_titles: {programma: '^agenda$'}\n",
        encoding="utf-8",
    )
    (tmp_path / "b-zand.yaml").write_text(
        "applies_to: {document_type: presentatie, region: Regio Zand}\n"
        "slide_titles: {programma: '^inhoud$'}\n",
        encoding="utf-8",
    )
    names = {p.name for p in load_profiles(tmp_path)}
    assert names == {"a-deck.yaml", "b-zand.yaml"}
    zand = profile_for(doc("presentatie", "Regio Zand"), vocabulary, tmp_path)
    other = profile_for(doc("presentatie", "Regio Klei"), vocabulary, tmp_path)
    assert zand.name == "b-zand.yaml" and other.name == "a-deck.yaml"
    assert other.slide_title("programma").match("agenda")  # type: ignore[union-attr]


def test_a_deck_whose_layout_names_no_slides_gets_no_slide_facts(
    vocabulary: Vocabulary, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocks = [
        Block("heading", "Wat is tot nu toe besloten?", level=1),
        Block("list_item", "De regio koopt samen in."),
    ]
    facts = FactGraph(vocabulary=vocabulary)
    slides.extract([doc("presentatie", "Regio Zand", blocks)], facts)
    assert any(facts.graph.subjects(None, KB.Decision))
    # The same deck, read with the general rules (no slide titles): no decisions.
    monkeypatch.setattr(slides, "profile_for", lambda d, v: default_profile())
    bare = FactGraph(vocabulary=vocabulary)
    slides.extract([doc("presentatie", "Regio Zand", blocks)], bare)
    assert not any(bare.graph.subjects(None, KB.Decision))
    assert any("Wat is tot nu toe besloten" in w for w in bare.warnings)
