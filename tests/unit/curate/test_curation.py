"""Curation by a data steward (kb.curate + kb.extract.curated) on a tiny invented council letter:
prose facts are proposed, ``suggest`` writes them as YAML, and the next build confirms the
accepted ones, drops the rejected ones and warns when a quote left its document."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from kb.build.pipeline import build_graph
from kb.build.validate import validate
from kb.curate import PROPOSALS_FILE, DecisionError, load_decisions, proposals_in_graph, suggest
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB
from kb.settings import Settings

LETTER = "2024-05-01_zuidrand_brief-inkoop-jeugdhulp.md"
TEXT = """# Inkoop jeugdhulp Zuidrand

Geachte raad,

De nieuwe contracten gaan in per 1 januari 2025 en hebben een looptijd van 4+2 jaar.

Nu zijn er bijna tweehonderd aanbieders; straks werken we met ruim vijftig aanbieders.
"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "bronnen"
    folder.mkdir()
    (folder / LETTER).write_text(TEXT, encoding="utf-8")
    return folder


def build(corpus: Path) -> tuple[Graph, list[str]]:
    """The graph of the tiny corpus, curated from ``curated/`` beside it (the default)."""
    settings = Settings()
    docs = ingest([corpus]).documents
    return build_graph(docs, settings, sources=[corpus])


def facts_of(graph: Graph, kind: str) -> list[URIRef]:
    return [f for f in graph.subjects(KB.factKind, Literal(kind)) if isinstance(f, URIRef)]


def method(graph: Graph, fact: URIRef) -> set[str]:
    return {str(graph.value(a, KB.method)) for a in graph.objects(fact, PROV.wasGeneratedBy)}


def decide(path: Path, decisions: dict[str, str], **values: str) -> None:
    """Edit the steward's file as a person would: set decisions (and values) by kind."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["kind"] in decisions:
            entry["decision"] = decisions[entry["kind"]]
        if entry["kind"] in values:
            entry["value"] = values[entry["kind"]]
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")


def test_prose_facts_are_proposed_with_their_method(corpus: Path) -> None:
    graph, _ = build(corpus)
    [duration] = facts_of(graph, "contract_duration")
    assert graph.value(duration, KB.status) == Literal("voorgesteld")
    assert method(graph, duration) == {str(KB.ProsePattern)}
    assert validate(graph, Settings().ontology_dir).conforms


def test_suggest_writes_one_reviewable_entry_per_proposal(corpus: Path, tmp_path: Path) -> None:
    graph, _ = build(corpus)
    out = tmp_path / "curated" / PROPOSALS_FILE
    result = suggest(graph, out)
    text = out.read_text(encoding="utf-8")
    entries = yaml.safe_load(text)
    assert result.added == len(entries) == len(proposals_in_graph(graph))
    assert {e["kind"] for e in entries} >= {"contract_duration", "providers_now"}
    for entry in entries:
        assert entry["decision"] is None and entry["document"] == LETTER
        assert entry["quote"] in TEXT and entry["value"] in entry["quote"]
        assert entry["passage"] and entry["id"].startswith(entry["passage"])
    assert "  decision:\n" in text  # an empty field for the steward, not "null"


def test_accept_confirms_and_reject_removes_and_is_not_proposed_again(corpus: Path) -> None:
    graph, _ = build(corpus)
    out = corpus.parent / "curated" / PROPOSALS_FILE
    suggest(graph, out)
    decide(out, {"contract_duration": "accept", "providers_now": "reject"})

    graph, warnings = build(corpus)
    assert not [w for w in warnings if "curated" in w], warnings
    [duration] = facts_of(graph, "contract_duration")
    assert graph.value(duration, KB.status) == Literal("bevestigd")
    assert method(graph, duration) == {str(KB.StewardCuration)}
    assert graph.value(duration, KB.quote) is not None
    assert graph.value(duration, PROV.wasDerivedFrom) is not None
    assert facts_of(graph, "providers_now") == []
    assert [graph.value(f, KB.status) for f in facts_of(graph, "providers_target")] == [
        Literal("voorgesteld")
    ]
    assert validate(graph, Settings().ontology_dir).conforms

    again = suggest(graph, out)
    entries = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert again.kept == 2 and again.added == 0
    by_kind = {e["kind"]: e["decision"] for e in entries}
    assert by_kind["contract_duration"] == "accept" and by_kind["providers_now"] == "reject"
    assert sum(e["kind"] == "providers_now" for e in entries) == 1  # not proposed again


def test_a_corrected_value_is_parsed_like_prose(corpus: Path) -> None:
    graph, _ = build(corpus)
    out = corpus.parent / "curated" / PROPOSALS_FILE
    suggest(graph, out)
    decide(out, {"providers_target": "accept"}, providers_target="circa zestig")
    graph, _ = build(corpus)
    [target] = facts_of(graph, "providers_target")
    assert graph.value(target, KB.proposedValue).toPython() == 60  # type: ignore[union-attr]
    assert graph.value(target, KB.status) == Literal("bevestigd")


def test_a_quote_that_left_its_document_gives_a_warning(corpus: Path) -> None:
    graph, _ = build(corpus)
    out = corpus.parent / "curated" / PROPOSALS_FILE
    suggest(graph, out)
    decide(out, {"contract_duration": "accept"})
    (corpus / LETTER).write_text(TEXT.replace("4+2 jaar", "3+1 jaar"), encoding="utf-8")
    graph, warnings = build(corpus)
    [warning] = [w for w in warnings if "no longer occurs" in w]
    assert LETTER in warning and "looptijd van 4+2 jaar" in warning and PROPOSALS_FILE in warning
    [duration] = facts_of(graph, "contract_duration")  # the new text is proposed, not confirmed
    assert graph.value(duration, KB.status) == Literal("voorgesteld")


def test_a_bad_decisions_file_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / PROPOSALS_FILE
    path.write_text("- id: a\n  kind: x\n  quote: [unclosed\n", encoding="utf-8")
    with pytest.raises(DecisionError, match=rf"{PROPOSALS_FILE}: YAML syntax error at line \d"):
        load_decisions(path)
    path.write_text(
        "- id: a\n  kind: contract_duration\n  quote: q\n  document: d.md\n  decision: misschien\n"
        "- id: b\n  kind: contract_duration\n",
        encoding="utf-8",
    )
    entries, problems = load_decisions(path)
    assert [e.decision for e in entries] == [None]
    assert any("line 1" in p and "misschien" in p for p in problems)
    assert any("line 6" in p and "missing field(s) quote, document" in p for p in problems)
    path.write_text("!!python/object:os.system 'echo'\n", encoding="utf-8")
    with pytest.raises(DecisionError):  # safe loading: no Python objects
        load_decisions(path)
