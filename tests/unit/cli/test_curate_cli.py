"""A data steward's round trip with the `kb` command on a tiny invented corpus folder:
`kb build` → `kb curate suggest` → edit the YAML (accept one, reject one) → `kb build` again.
The graph then holds the accepted fact as confirmed, not the rejected one, and the site page and
the Word paragraph mark only the facts still proposed."""

from __future__ import annotations

from pathlib import Path

import yaml
from rdflib import Literal
from typer.testing import CliRunner

from kb.cli.main import app
from kb.rdf.namespaces import KB
from kb.rdf.store import load_graph
from kb.views.facts import PROPOSED_MARK, load_prose_facts

runner = CliRunner()

LETTER = "2024-05-01_zuidrand_raadsbrief-inkoop-jeugdhulp.md"
SOURCES = """\
- file: 2024-05-01_zuidrand_raadsbrief-inkoop-jeugdhulp.md
  title: Raadsbrief inkoop jeugdhulp Zuidrand
  type: raadsbrief
  date: 2024-05-01
  region: Zuidrand
"""
TEXT = """# Inkoop jeugdhulp Zuidrand

Geachte raad,

De nieuwe contracten hebben een looptijd van 4+2 jaar.

Nu zijn er bijna tweehonderd aanbieders; straks werken we met ruim vijftig aanbieders.
"""


def kb(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_suggest_accept_reject_build(tmp_path: Path) -> None:
    corpus = tmp_path / "bronnen"
    corpus.mkdir()
    (corpus / LETTER).write_text(TEXT, encoding="utf-8")
    (corpus / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    build_dir = str(tmp_path / "build")

    kb("build", str(corpus), "--graph-only", "--build-dir", build_dir)
    output = kb("curate", "suggest", "--build-dir", build_dir)
    proposals = tmp_path / "curated" / "voorstellen.yaml"  # beside the sources, by default
    assert "voorstellen.yaml" in output.replace("\n", "")
    entries = yaml.safe_load(proposals.read_text(encoding="utf-8"))
    kinds = {e["kind"] for e in entries}
    assert {"contract_duration", "providers_now", "providers_target"} <= kinds

    # The steward's edit: accept the contract duration, reject the number of providers now.
    text = proposals.read_text(encoding="utf-8")
    for kind, decision in (("contract_duration", "accept"), ("providers_now", "reject")):
        head, sep, tail = text.partition(f"kind: {kind}\n")
        tail = tail.replace("  decision:\n", f"  decision: {decision}\n", 1)
        text = head + sep + tail
    proposals.write_text(text, encoding="utf-8")

    kb("build", str(corpus), "--graph-only", "--build-dir", build_dir)
    graph = load_graph(Path(build_dir) / "current")
    status = {
        str(graph.value(f, KB.factKind)): str(graph.value(f, KB.status))
        for f in graph.subjects(KB.status, None)
    }
    assert status["contract_duration"] == "bevestigd"
    assert status["providers_target"] == "voorgesteld"
    assert "providers_now" not in status
    [duration] = graph.subjects(KB.factKind, Literal("contract_duration"))
    assert str(graph.value(duration, KB.quote)) in TEXT

    # The site page of the letter marks the proposed fact only.
    from generator.site.links import page_path
    from generator.site.pages import render_pages
    from kb.views.site import load_site_data

    data = load_site_data(graph)
    [document] = data.documents
    page = render_pages(data)[0][page_path(document)]
    rows = {line.split("|")[1].strip(): line for line in page.splitlines() if "“" in line}
    assert PROPOSED_MARK in rows["Beoogd aantal aanbieders"]
    assert PROPOSED_MARK not in rows["Contractduur"]
    assert "Aantal aanbieders nu" not in rows

    # So does the Word paragraph.
    from generator.docx.base import open_template
    from generator.docx.facts import render_prose_facts

    word = open_template()
    paragraphs = render_prose_facts(word, load_prose_facts(graph))
    marked = {p.text.split(":")[0]: PROPOSED_MARK in p.text for p in paragraphs}
    assert marked == {"Contractduur": False, "Beoogd aantal aanbieders": True}

    # Suggesting again keeps both decisions and proposes the rejected fact no more.
    kb("curate", "suggest", "--build-dir", build_dir)
    again = yaml.safe_load(proposals.read_text(encoding="utf-8"))
    decided = {e["kind"]: e["decision"] for e in again if e["decision"]}
    assert decided == {"contract_duration": "accept", "providers_now": "reject"}
    assert [e["kind"] for e in again].count("providers_now") == 1


def test_suggest_needs_a_build_and_names_a_bad_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["curate", "suggest", "--build-dir", str(tmp_path / "none")])
    assert result.exit_code != 0 and "kb build" in result.output

    corpus = tmp_path / "bronnen"
    corpus.mkdir()
    (corpus / LETTER).write_text(TEXT, encoding="utf-8")
    build_dir = str(tmp_path / "build")
    kb("build", str(corpus), "--graph-only", "--build-dir", build_dir)
    bad = tmp_path / "mijn-voorstellen.yaml"
    bad.write_text("- id: a\n  quote: [x\n", encoding="utf-8")
    result = runner.invoke(app, ["curate", "suggest", "--build-dir", build_dir, "--out", str(bad)])
    assert result.exit_code == 2
    message = result.output.replace("\n", "")  # Rich wraps long lines
    assert "mijn-voorstellen.yaml" in message and "line 3" in message
    assert bad.read_text(encoding="utf-8") == "- id: a\n  quote: [x\n"  # left as it was
