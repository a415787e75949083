"""The raadsvoorstel as councils use it (python-docx level, tiny graph): the sections in order,
fields for what only the author knows, short beslispunten that are the same in the voorstel and
the concept-raadsbesluit (on a page of its own, "gelet op" from the ontology), one
municipality's figures equal to the graph's sums, dated older risks and the plan's caveats."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph
from rdflib import Graph

from generator.docx.base import is_cut
from generator.docx.fields import fields_of
from generator.docx.footnotes import footnote_texts
from generator.docx.raadsvoorstel import BESLUIT_TITLE, HEADINGS, write_raadsvoorstel
from generator.format import euro, percent
from kb.views.council import UnknownMunicipality, legal_basis

HERE = Path(__file__).parent
#: This checkout's ontology file of the council schemes (the shared development venv may load
#: another checkout's ontology into the tiny graph; parsing it again changes nothing).
COUNCIL_ONTOLOGY = HERE.parents[3] / "ontology" / "council.ttl"
TITLE = "Inkoopplan jeugdhulp Zuidhoek 2030"
PLAN = "https://w3id.org/jeugdhulp-kb/id/document/plan-zuidhoek"


@pytest.fixture(scope="module")
def graph(cut_graph: Graph) -> Graph:
    combined = Graph(store="Oxigraph")
    combined += cut_graph
    combined.parse(COUNCIL_ONTOLOGY, format="turtle")
    combined.parse(HERE / "council.ttl", format="turtle")
    return combined


@pytest.fixture(scope="module")
def docs(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> dict[str, DocxDocument]:
    folder = tmp_path_factory.mktemp("rv")
    kinds = {
        "plan": {},
        "segment": {"segment": "verblijf"},
        "gemeente": {"gemeente": "alfadorp"},
        "segment-gemeente": {"segment": "verblijf", "gemeente": "Betastad"},
    }
    return {
        kind: Document(str(write_raadsvoorstel(graph, folder / f"{kind}.docx", plan=TITLE, **kw)))
        for kind, kw in kinds.items()
    }


def _besluit_at(document: DocxDocument) -> int:
    paragraphs = document.paragraphs
    return next(i for i, p in enumerate(paragraphs) if p.text == BESLUIT_TITLE)


def _numbered(paragraphs: list[Paragraph]) -> list[str]:
    out = []
    for p in paragraphs:
        if p.style.name.startswith("Heading"):
            break
        if p.style.name == "List Number":
            out.append(p.text)
    return out


def _voorstel_points(document: DocxDocument) -> list[str]:
    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == "Voorgesteld besluit")
    return _numbered(paragraphs[at + 1 :])


def _besluit_points(document: DocxDocument) -> list[str]:
    return _numbered(document.paragraphs[_besluit_at(document) + 1 :])


@pytest.mark.parametrize("kind", ["plan", "segment", "gemeente", "segment-gemeente"])
def test_sections_in_order_then_the_besluit_on_its_own_page(
    docs: dict[str, DocxDocument], kind: str
) -> None:
    document = docs[kind]
    at = _besluit_at(document)
    level1 = [p.text for p in document.paragraphs[:at] if p.style.name == "Heading 1"]
    assert level1 == list(HEADINGS)
    title = document.paragraphs[at]
    assert title.paragraph_format.page_break_before
    assert not [p for p in document.paragraphs[at:] if p.style.name == "Heading 1"]


@pytest.mark.parametrize("kind", ["plan", "segment", "gemeente", "segment-gemeente"])
def test_beslispunten_are_short_whole_sentences_and_the_same_in_the_besluit(
    docs: dict[str, DocxDocument], kind: str
) -> None:
    voorstel = _voorstel_points(docs[kind])
    assert voorstel and voorstel == _besluit_points(docs[kind])
    for point in voorstel:
        assert point[0].isupper() and point.endswith(".") and not is_cut(point), point
        # A decision, not the plan's text: the whole choice of the cut graph is not in it.
        assert len(point.split()) <= 40, point
        assert "kwaliteitseisen van de regio voldoen" not in point


def test_header_and_signatures_are_fields_never_invented(docs: dict[str, DocxDocument]) -> None:
    fields = fields_of(docs["plan"].element.body)
    for tag in (
        "registratienummer",
        "datum-raadsvergadering",
        "portefeuillehouder",
        "naam-gemeente",
        "datum-collegevoorstel",
        "naam-griffier",
        "naam-voorzitter",
    ):
        assert fields.get(tag, "").startswith("["), (tag, fields)
    texts = [p.text for p in docs["plan"].paragraphs]
    assert "De raad van de gemeente ;" in texts  # the name is the field, not a guess
    # With a municipality its council is named and no name field is left.
    named = docs["gemeente"]
    assert "De raad van de gemeente Alfadorp;" in [p.text for p in named.paragraphs]
    assert "naam-gemeente" not in fields_of(named.element.body)


def test_gelet_op_names_the_jeugdwet_articles_of_the_ontology(
    graph: Graph, docs: dict[str, DocxDocument]
) -> None:
    articles = legal_basis(graph)
    assert articles, "the ontology lists the articles of the besluit"
    considerans = next(p.text for p in docs["plan"].paragraphs if p.text.startswith("gelet op "))
    assert all(a.notation in considerans for a in articles), considerans
    assert considerans.endswith(f"van de {articles[0].law};")


def _note_of(document: DocxDocument, paragraph: Paragraph) -> str:
    """The text of the footnote ``paragraph`` carries ("" without one)."""
    refs = paragraph._p.xpath(".//w:footnoteReference/@w:id")
    return footnote_texts(document)[int(refs[0])] if refs else ""


def _row(document: DocxDocument, first: str) -> list[str]:
    for table in document.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            if cells[0] == first:
                return cells[1:]
    raise AssertionError(f"no row {first!r}")


def _sums(graph: Graph, municipality: str | None = None) -> dict[int, Decimal]:
    where = (
        f"; kb:municipality <https://w3id.org/jeugdhulp-kb/id/municipality/{municipality}>"
        if municipality
        else ""
    )
    query = f"""PREFIX kb: <https://w3id.org/jeugdhulp-kb/def#>
        PREFIX schema: <https://schema.org/>
        SELECT ?year (SUM(?v) AS ?sum) WHERE {{
          ?b a kb:BudgetLine ; kb:inDocument <{PLAN}> ; kb:year ?year ; schema:value ?v {where}
        }} GROUP BY ?year"""
    return {int(r[0]): Decimal(str(r[1])) for r in graph.query(query)}


def test_gemeente_figures_are_the_sums_of_the_graphs_budget_lines(
    graph: Graph, docs: dict[str, DocxDocument]
) -> None:
    region = _sums(graph)
    own = _sums(graph, "alfadorp")
    years = sorted(region)
    document = docs["gemeente"]
    assert _row(document, "Totaal Alfadorp") == [euro(own.get(y, 0)) for y in years]
    assert _row(document, "Totaal regio") == [euro(region[y]) for y in years]
    assert _row(document, "Aandeel Alfadorp") == [
        percent(own.get(y, Decimal(0)) / region[y]) for y in years
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    share = percent(sum(own.values()) / sum(region.values()))
    assert f"{euro(sum(own.values()))} ({share} van de regio)" in text


def test_municipality_through_its_subregion_and_without_lines(graph: Graph, tmp_path: Path) -> None:
    # A member of the region whose plan has no lines for it gets a placeholder, not figures.
    graph_without = Graph(store="Oxigraph")
    graph_without += graph
    graph_without.update(
        "PREFIX kb: <https://w3id.org/jeugdhulp-kb/def#> DELETE WHERE { ?b a kb:BudgetLine ; "
        "kb:municipality <https://w3id.org/jeugdhulp-kb/id/municipality/betastad> ; ?p ?o }"
    )
    out = write_raadsvoorstel(graph_without, tmp_path / "r.docx", plan=TITLE, gemeente="Betastad")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "geen begrotingsposten voor de gemeente Betastad" in text
    assert "De raad van de gemeente Betastad;" in text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Kuststad", "no municipality 'Kuststad' in the region Zuidhoek"),
        ("Gammaveen", "'Gammaveen' is not a municipality of the region Zuidhoek"),
    ],
)
def test_a_municipality_outside_the_region_is_a_clear_error(
    graph: Graph, tmp_path: Path, name: str, message: str
) -> None:
    with pytest.raises(UnknownMunicipality, match=message) as caught:
        write_raadsvoorstel(graph, tmp_path / "r.docx", plan=TITLE, gemeente=name)
    assert "--gemeente" in str(caught.value) and "Alfadorp, Betastad" in str(caught.value)
    assert not (tmp_path / "r.docx").exists()


def test_an_older_documents_risk_carries_its_date(docs: dict[str, DocxDocument]) -> None:
    text = "\n".join(p.text for p in docs["plan"].paragraphs)
    assert "haken af als de tarieven dalen. (memo van 12 maart 2028)" in text
    # The plan's own risk is current: no date (the paragraph ends with the risk and its note).
    risk = next(p for p in docs["plan"].paragraphs if "Te weinig aanbieders" in p.text)
    assert risk.text == "Te weinig aanbieders voor verblijf."
    assert _note_of(docs["plan"], risk)


def test_financial_caveats_with_their_source(docs: dict[str, DocxDocument]) -> None:
    document = docs["plan"]
    caveat = next(p for p in document.paragraphs if p.text.startswith("Efficiencykorting: "))
    assert "taakstelling van 2% per jaar." in caveat.text
    # Its footnote names the plan and the section the caveat comes from.
    note = _note_of(document, caveat)
    assert "Inkoopplan jeugdhulp Zuidhoek 2030" in note and "Financieel kader" in note
    assert "efficiencykorting" in _voorstel_points(document)[-1]


def test_without_caveats_a_placeholder(written: dict[str, Path]) -> None:
    text = "\n".join(p.text for p in Document(str(written["raadsvoorstel-plan"])).paragraphs)
    assert "De kennisbank bevat geen financiële kanttekeningen" in text


def test_the_whole_plan_is_a_bijlage_not_repeated(
    graph: Graph, docs: dict[str, DocxDocument]
) -> None:
    from kb.views.plans import load_plan

    plan = load_plan(graph, TITLE)
    whole = "\n".join(p.text for p in docs["plan"].paragraphs)
    single = "\n".join(p.text for p in docs["segment"].paragraphs)
    tasks = [i.text for s in plan.segments for i in s.rubric("hasDevelopmentTask").items]
    assert tasks and not [t for t in tasks if t in whole]
    assert [t for t in tasks if t in single]  # a segment's proposal lists its own
    assert f"{TITLE} (het inkoopplan zelf)" in whole


def test_plan_with_gemeente_shows_its_lines_in_the_financial_chapter(
    graph: Graph, tmp_path: Path
) -> None:
    from generator.docx.plan import write_plan

    out = write_plan(graph, tmp_path / "plan.docx", plan=TITLE, gemeente="Alfadorp")
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    at = headings.index("Financieel kader")
    assert "Gemeente Alfadorp" in headings[at:]
    own = _sums(graph, "alfadorp")
    years = sorted(_sums(graph))
    assert _row(document, "Totaal Alfadorp") == [euro(own.get(y, 0)) for y in years]


def test_chapter_with_gemeente_closes_with_its_budget(graph: Graph, tmp_path: Path) -> None:
    from generator.docx.chapter import write_chapter

    out = write_chapter(graph, "verblijf", tmp_path / "c.docx", plan=TITLE, gemeente="Betastad")
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-1] == "Gemeente Betastad"
    own = _sums(graph, "betastad")
    years = sorted(_sums(graph))
    assert _row(document, "Totaal Betastad") == [euro(own.get(y, 0)) for y in years]
    with pytest.raises(UnknownMunicipality):
        write_chapter(graph, "verblijf", tmp_path / "d.docx", plan=TITLE, gemeente="Gammaveen")


def test_cli_gemeente_option(graph: Graph, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kb.cli.main import app
    from kb.rdf.store import GRAPH_FILE

    current = tmp_path / "build" / "current"
    current.mkdir(parents=True)
    plain = Graph()
    plain += graph
    plain.serialize(current / GRAPH_FILE, format="nt", encoding="utf-8")
    runner = CliRunner()
    base = ["generate", "raadsvoorstel", "--plan", TITLE, "-b", str(tmp_path / "build")]
    out = tmp_path / "rv.docx"
    result = runner.invoke(app, [*base, "--gemeente", "Kuststad", "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "--gemeente" in result.output and "Alfadorp" in result.output
    assert not out.exists()
    result = runner.invoke(app, [*base, "--gemeente", "alfadorp", "-o", str(out)])
    assert result.exit_code == 0, result.output
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "De raad van de gemeente Alfadorp;" in texts


def test_dated_names_the_kind_of_document_in_running_text() -> None:
    import datetime as dt

    from generator.docx.raadsvoorstel import dated
    from kb.views.council import DocumentDate

    when = dt.date(2019, 3, 12)
    assert dated("Risico.", DocumentDate(when, 2019, "Raadsinformatiebrief")) == (
        "Risico. (raadsinformatiebrief van 12 maart 2019)"
    )
    assert dated("Risico.", DocumentDate(None, 2019, "PHO-verslag")) == (
        "Risico. (PHO-verslag uit 2019)"
    )
    assert dated("Risico.", DocumentDate(None, None, "")) == "Risico."


def test_members_with_a_purchase_of_their_own_are_listed_apart(graph: Graph) -> None:
    from dataclasses import replace

    from generator.docx.base import municipality_sentences
    from kb.views.plans import load_plan

    plan = replace(load_plan(graph, TITLE), municipalities=["Alfadorp", "Betastad", "Gammaveen"])
    (everyone,) = municipality_sentences(plan)
    assert everyone.endswith("(3): Alfadorp, Betastad, Gammaveen.")
    own = "Betastad"
    through, apart = municipality_sentences(replace(plan, own_purchasing=[own]))
    assert "via dit plan inkopen" in through and own not in through
    assert apart.startswith("Met een eigen inkoopproces") and own in apart
