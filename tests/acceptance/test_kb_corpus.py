"""Acceptance: `kb build` on the bundled corpus, `kb validate`, and the questions users ask with
`kb sparql` (the query files in queries/), each answer with its source passage."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kb.cli.main import app
from kb.settings import Settings

runner = CliRunner()
QUERIES = Path(__file__).resolve().parents[2] / "queries"

HR_SEGMENTS = [
    "Behandeling met verblijf inclusief ambulante alternatieven",
    "Wonen",
    "Dagbehandeling en dagbesteding",
    "Ambulante jeugdhulp",
    "Onderwijs",
    "Crisis",
    "Veiligheid",
]


@pytest.fixture(scope="module")
def cli_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`kb build` with no paths (the bundled corpus), as a user runs it."""
    build_dir = tmp_path_factory.mktemp("cli-corpus") / "build"
    result = runner.invoke(app, ["build", "--graph-only", "-b", str(build_dir)])
    assert result.exit_code == 0, result.output
    assert "5 documents" in result.output
    assert "SHACL: conforms" in result.output
    return build_dir


def sparql(build_dir: Path, query: str) -> list[dict[str, str]]:
    """Run `kb sparql QUERY -f json` and return the bindings as plain strings."""
    result = runner.invoke(app, ["sparql", query, "-f", "json", "-b", str(build_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


def passage_texts(build_dir: Path) -> dict[str, str]:
    rows = sparql(build_dir, "SELECT ?p ?t WHERE { ?p a kb:Passage ; kb:text ?t }")
    return {r["p"]: r["t"] for r in rows}


def squash(text: str) -> str:
    return " ".join(text.split())


def test_build_and_validate_conform(cli_build: Path) -> None:
    result = runner.invoke(app, ["validate", "-b", str(cli_build)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_stats_counts_per_class(cli_build: Path) -> None:
    result = runner.invoke(app, ["stats", "-b", str(cli_build)])
    assert result.exit_code == 0
    lines = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    # 7 segments in the Holland Rijnland plan and 4 on the Noord-Limburg slides; 5 documents;
    # 21 municipalities of the four regions.
    assert lines["kb:Segment"].rstrip(" │").endswith("11")
    assert lines["kb:Document"].rstrip(" │").endswith("5")
    assert lines["kb:Municipality"].rstrip(" │").endswith("21")


def test_seven_holland_rijnland_segments_with_sources(cli_build: Path) -> None:
    rows = sparql(cli_build, f"@{QUERIES / 'segments.rq'}")
    assert [r["segment"] for r in rows] == HR_SEGMENTS
    assert [int(r["number"]) for r in rows] == list(range(1, 8))
    for row in rows:
        # The source passage lies in the segment's own chapter ("4.2 SEGMENT 2: WONEN").
        titles = sparql(
            cli_build,
            f"""SELECT ?t WHERE {{ <{row["passage"]}> kb:inSection/kb:parentSection* ?s .
                 ?s dct:title ?t }}""",
        )
        # (The plan's own heading of segment 3 misspells it "DAGBEHANLING"; the number decides.)
        assert any(f"SEGMENT {row['number']}:" in t["t"].upper() for t in titles), (row, titles)


def test_segment_overview_has_every_asked_rubric(cli_build: Path) -> None:
    rows = sparql(cli_build, f"@{QUERIES / 'segment-overview.rq'}")
    texts = passage_texts(cli_build)
    by_segment: dict[str, set[str]] = {}
    for row in rows:
        by_segment.setdefault(row["segment"], set()).add(row["rubric"])
        assert row["passage"] in texts
    assert sorted(by_segment) == sorted(HR_SEGMENTS)
    for segment, rubrics in by_segment.items():
        assert {"doelgroep", "stakeholder", "onderzoeksvraag", "mijlpaal", "bekostigingsmodel"} <= (
            rubrics
        ), segment


def test_noord_limburg_segments_and_choices(cli_build: Path) -> None:
    rows = sparql(cli_build, f"@{QUERIES / 'noord-limburg.rq'}")
    segments = {r["segment"] for r in rows}
    assert segments == {
        "Behandeling met verblijf",
        "Wonen",
        "Dagbesteding/dagbehandeling",
        "Ambulant",
    }
    # Every segment has choices for the four steering instruments of the slides.
    for segment in segments:
        instruments = {r["instrument"] for r in rows if r["segment"] == segment}
        assert len(instruments) == 4, (segment, instruments)
    texts = passage_texts(cli_build)
    for row in rows:
        # The choice text is taken from its passage (sub-bullets are joined with "; ").
        first = row["choice"].split(":")[0].split(";")[0].strip()
        assert squash(first) in squash(texts[row["passage"]]), row


def test_budget_lines_of_a_municipality_and_year(cli_build: Path) -> None:
    rows = sparql(cli_build, f"@{QUERIES / 'budget.rq'}")
    assert len(rows) == 5
    total = sparql(
        cli_build,
        """SELECT ?stated ?sum WHERE {
             ?t a kb:BudgetTotal ; kb:municipality/rdfs:label "Katwijk"@nl ; kb:year 2024 ;
                schema:value ?stated ; kb:computedSum ?sum }""",
    )
    assert len(total) == 1
    assert sum(Decimal(r["value"]) for r in rows) == Decimal(total[0]["sum"])
    # The plan states 15.923.000 for Katwijk 2024 while its lines add up to 15.924.000: the
    # build keeps both and reports the difference.
    assert Decimal(total[0]["stated"]) == Decimal("15923000")
    assert Decimal(total[0]["sum"]) == Decimal("15924000")


def test_budget_lines_for_any_municipality_and_year(cli_build: Path) -> None:
    rows = sparql(
        cli_build,
        """SELECT ?m ?y (COUNT(?l) AS ?n) WHERE {
             ?l a kb:BudgetLine ; kb:municipality/rdfs:label ?m ; kb:year ?y ;
                prov:wasDerivedFrom ?p } GROUP BY ?m ?y""",
    )
    # The financial framework covers the nine municipalities of the Leidse regio (4) and the
    # Duin- en Bollenstreek (5), 2021-2024: 196 cells, of which 13 say "-" (not stated: no line).
    assert {r["y"] for r in rows} == {"2021", "2022", "2023", "2024"}
    assert len({r["m"] for r in rows}) == 9
    assert sum(int(r["n"]) for r in rows) == 196 - 13


def test_regions_side_by_side_with_verbatim_quotes(cli_build: Path) -> None:
    rows = sparql(cli_build, f"@{QUERIES / 'regions-compared.rq'}")
    regions = {r["region"] for r in rows}
    assert regions == {"Holland Rijnland", "Noord-Limburg", "Achterhoek", "Groningen"}
    texts = passage_texts(cli_build)
    for row in rows:
        assert squash(row["quote"]) in squash(texts[row["passage"]]), row
    aspects = {(r["region"], r["aspect"]) for r in rows}
    for region in regions:  # every region states at least its purchasing model or funding model
        assert (region, "Inkoopmodel") in aspects or (region, "Bekostigingsmodel") in aspects


def test_show_entity_card_with_sources(cli_build: Path) -> None:
    result = runner.invoke(app, ["show", "Wonen", "-b", str(cli_build)])
    assert result.exit_code == 1  # two segments are called Wonen: the user is shown both IRIs
    assert "kbi:segment/holland-rijnland/wonen" in result.output
    assert "kbi:segment/noord-limburg/wonen" in result.output
    card = runner.invoke(
        app, ["show", "kbi:segment/holland-rijnland/wonen", "--json", "-b", str(cli_build)]
    )
    assert card.exit_code == 0, card.output
    data = json.loads(card.output)
    assert data["label"] == "Wonen"
    assert data["sources"], "an entity card names its source passages"


def test_build_of_settings_fixture_matches_cli(graph_build: Settings, cli_build: Path) -> None:
    # The library build (used by the other acceptance tests) and the CLI build agree.
    a = json.loads((graph_build.current_dir / "manifest.json").read_text())
    b = json.loads((cli_build / "current" / "manifest.json").read_text())
    assert a["triples"] == b["triples"] and a["documents"] == b["documents"]
