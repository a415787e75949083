"""The financial framework (kb.extract.finance) and the glossary (kb.extract.glossary).

The acceptance part runs on the real Holland Rijnland plan (``kb/corpus/`` + ``PLAN`` below).
Every expected number was counted BY HAND in that file; the comments name the source lines (one
table cell per line there, rows separated by blank lines).
The rules the plan does not exercise are pinned on tiny invented documents in
``tests/unit/extract/test_finance_glossary.py``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from kb.extract import finance, glossary, regions
from kb.extract.common import FactGraph, concept_iri, doc_iri
from kb.ingest.model import Document
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB, SCHEMA, SCHEME_GLOSSARY, sparql_prefixes
from kb.settings import BUNDLED_CORPUS

CORPUS = BUNDLED_CORPUS
PLAN = "2020_holland-rijnland_inkoopplan-jeugdhulp-leidse-regio-duin-en-bollenstreek.txt"

LEIDSE_REGIO = ("Leiden", "Leiderdorp", "Oegstgeest", "Zoeterwoude")
DUIN_BOLLEN = ("Katwijk", "Noordwijk", "Hillegom", "Lisse", "Teylingen")


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return ingest([CORPUS]).documents


@pytest.fixture(scope="module")
def plan(corpus: list[Document]) -> Document:
    return next(d for d in corpus if d.path.name == PLAN)


@pytest.fixture(scope="module")
def facts(corpus: list[Document]) -> FactGraph:
    # Regions first, as in the build: finance links to the curated municipalities.
    result = FactGraph()
    regions.extract(corpus, result)
    finance.extract(corpus, result)
    glossary.extract(corpus, result)
    return result


def subjects(facts: FactGraph, cls: URIRef) -> set[Any]:
    return set(facts.graph.subjects(RDF.type, cls))


def value(facts: FactGraph, s: URIRef, p: URIRef) -> Any:
    return facts.graph.value(s, p)


def check_provenance(facts: FactGraph, doc: Document, iri: URIRef) -> str:
    """The fact cites a passage, and its quote is the document text at its offsets."""
    assert value(facts, iri, PROV.wasDerivedFrom) is not None, iri
    start = int(value(facts, iri, KB.startOffset))
    end = int(value(facts, iri, KB.endOffset))
    quote = str(value(facts, iri, KB.quote))
    assert doc.text[start:end] == quote, iri
    return quote


# --- finance: the real plan ------------------------------------------------------------------


def test_budget_line_count(facts: FactGraph) -> None:
    # Section 6.1 (source lines 1424-1942). Leidse regio (lines 1447-1645): 4 municipalities ×
    # 6 products (Gemeentelijke Toegang, Veiligheid, Specialistische hulp ZiN, Specialistische hulp
    # Pgb, Begrotingswijzigingen, Best case) × 4 years = 96. Duin- en Bollenstreek (lines
    # 1676-1887): 5 municipalities × 5 products (no Best case) × 4 years = 100. A "-" cell is not
    # stated and gives no line (issue 10, audit): Zoeterwoude Best case (4 years), Noordwijk and
    # Lisse Begrotingswijzigingen (4 years each), Teylingen Begrotingswijzigingen 2021: 13 cells.
    assert len(subjects(facts, KB.BudgetLine)) == 4 * 6 * 4 + 5 * 5 * 4 - 13 == 183
    per_municipality: dict[str, int] = {}
    for line in subjects(facts, KB.BudgetLine):
        name = str(value(facts, value(facts, line, KB.municipality), RDFS.label))
        per_municipality[name] = per_municipality.get(name, 0) + 1
    not_stated = {"Zoeterwoude": 4, "Noordwijk": 4, "Lisse": 4, "Teylingen": 1}
    expected = {**dict.fromkeys(LEIDSE_REGIO, 24), **dict.fromkeys(DUIN_BOLLEN, 20)}
    assert per_municipality == {k: n - not_stated.get(k, 0) for k, n in expected.items()}


def test_leiden_2021_gemeentelijke_toegang(facts: FactGraph, plan: Document) -> None:
    # Source lines 1447-1449: Leiden | Gemeentelijke Toegang | 5.802.000 (2021).
    line = finance.budget_line_iri("Leiden", "Gemeentelijke Toegang", 2021)
    assert (line, RDF.type, KB.BudgetLine) in facts.graph
    assert value(facts, line, SCHEMA.value).toPython() == Decimal(5802000)
    assert value(facts, line, SCHEMA.currency) == Literal("EUR")
    assert value(facts, line, KB.year).toPython() == 2021
    assert value(facts, line, KB.product) == Literal("Gemeentelijke Toegang", lang="nl")
    assert value(facts, line, KB.municipality) == regions.municipality_iri("Leiden")
    assert value(facts, line, KB.inDocument) == doc_iri(plan.id)
    quote = check_provenance(facts, plan, line)
    assert quote == "Leiden | Gemeentelijke Toegang | 5.802.000 | 5.802.000 | 5.802.000 | 5.802.000"


def test_negative_and_nil_amounts(facts: FactGraph) -> None:
    # Line 1477: Leiden Begrotingswijzigingen 2021 "-1.312.000";
    # line 1634: Zoeterwoude Best case 2021 "-".
    neg = finance.budget_line_iri("Leiden", "Begrotingswijzigingen", 2021)
    assert value(facts, neg, SCHEMA.value).toPython() == Decimal(-1312000)
    # "-" is not stated, not 0: no budget line (and the total's computed sum is unchanged).
    nil = finance.budget_line_iri("Zoeterwoude", "Best case", 2021)
    assert (nil, RDF.type, KB.BudgetLine) not in facts.graph


def test_every_budget_fact_has_provenance(facts: FactGraph, plan: Document) -> None:
    for line in subjects(facts, KB.BudgetLine):
        quote = check_provenance(facts, plan, line)
        assert str(value(facts, line, KB.product)) in quote
    for total in subjects(facts, KB.BudgetTotal):
        assert "Totale beschikbare budget" in check_provenance(facts, plan, total)


def test_katwijk_2024_total(facts: FactGraph) -> None:
    # Lines 1712-1717: stated 15.923.000. Its lines (1677-1711) for 2024: 2.600.000 + 1.492.000 +
    # 10.888.000 + 1.400.000 - 456.000 = 15.924.000: the plan's own total is 1.000 off (rounding).
    total = finance.budget_total_iri("Katwijk", 2024)
    assert value(facts, total, SCHEMA.value).toPython() == Decimal(15923000)
    assert value(facts, total, KB.computedSum).toPython() == Decimal(15924000)
    assert value(facts, total, KB.consistent).toPython() is False
    assert value(facts, total, KB.municipality) == regions.municipality_iri("Katwijk")
    assert (
        "Begrotingstotaal Katwijk 2024: vermeld € 15.923.000, som van de posten € 15.924.000 "
        "(verschil € -1.000)"
    ) in facts.warnings


def test_katwijk_2024_by_sparql(facts: FactGraph) -> None:
    """The lines of Katwijk in 2024 sum (in SPARQL) to the total's computed sum, not its stated
    value: the difference is the reported inconsistency."""
    query = (
        sparql_prefixes()
        + """
        SELECT (SUM(?v) AS ?sum) (COUNT(?line) AS ?n) ?stated ?computed ?ok WHERE {
          ?line a kb:BudgetLine ; kb:municipality ?m ; kb:year 2024 ; schema:value ?v .
          ?m rdfs:label "Katwijk"@nl .
          ?total a kb:BudgetTotal ; kb:municipality ?m ; kb:year 2024 ;
                 schema:value ?stated ; kb:computedSum ?computed ; kb:consistent ?ok .
        } GROUP BY ?stated ?computed ?ok
    """
    )
    rows = list(facts.graph.query(query))
    assert len(rows) == 1
    total_sum, n, stated, computed, ok = (r.toPython() for r in rows[0])
    assert n == 5  # five products in the Duin- en Bollenstreek table
    assert Decimal(total_sum) == computed == Decimal(15924000)
    assert stated == Decimal(15923000)
    assert ok is False


def test_every_consistency_flag(facts: FactGraph) -> None:
    # 9 municipalities + 2 subregions + the grand total ("Totaal", line 1937), each × 4 years.
    totals = subjects(facts, KB.BudgetTotal)
    assert len(totals) == (9 + 2 + 1) * 4
    for total in totals:
        stated = value(facts, total, SCHEMA.value).toPython()
        computed = value(facts, total, KB.computedSum).toPython()
        assert value(facts, total, KB.consistent).toPython() is (stated == computed), total


def test_budget_problems(facts: FactGraph) -> None:
    # By hand: municipality totals 1.000 off — Leiden 2022-2024 (lines 1490-1495), Leiderdorp
    # 2021, 2023, 2024 (1539-1544), Katwijk 2024 (1712-1717); subregion totals against the stated
    # municipality totals — Leidse regio 2022-2024 (1646-1652: e.g. 2022 26.023 + 4.831 + 4.823 +
    # 1.464 = 37.141 ≠ 37.140), Duin- en Bollenstreek 2022 and 2024 (1888-1894). The grand total
    # (1937-1942) equals the sum of the two subregion totals in every year.
    problems = finance.budget_problems(facts)
    assert len(problems) == 12
    assert set(problems) == {w for w in facts.warnings if w.startswith("Begrotingstotaal")}
    who_year = {p.split(":")[0].removeprefix("Begrotingstotaal ") for p in problems}
    assert who_year == {
        "Leiden 2022", "Leiden 2023", "Leiden 2024",
        "Leiderdorp 2021", "Leiderdorp 2023", "Leiderdorp 2024",
        "Katwijk 2024",
        "Leidse regio 2022", "Leidse regio 2023", "Leidse regio 2024",
        "Duin- en Bollenstreek 2022", "Duin- en Bollenstreek 2024",
    }  # fmt: skip


def test_subregion_and_grand_totals(facts: FactGraph) -> None:
    leidse = finance.budget_total_iri("Leidse regio", 2021)
    assert value(facts, leidse, KB.subregion) == regions.subregion_iri("Leidse regio")
    # 26.576.000 + 4.993.000 + 4.908.000 + 1.464.000 (the stated municipality totals, 2021)
    assert value(facts, leidse, KB.computedSum).toPython() == Decimal(37941000)
    assert value(facts, leidse, KB.consistent).toPython() is True
    for year in (2021, 2022, 2023, 2024):
        grand = finance.budget_total_iri("Totaal", year)
        assert set(facts.graph.objects(grand, KB.subregion)) == {
            regions.subregion_iri("Leidse regio"),
            regions.subregion_iri("Duin- en Bollenstreek"),
        }
        assert value(facts, grand, KB.consistent).toPython() is True
    assert value(facts, finance.budget_total_iri("Totaal", 2024), SCHEMA.value).toPython() == (
        Decimal(78751000)
    )


def test_municipalities_are_the_curated_ones(facts: FactGraph) -> None:
    # One shared helper: finance links to exactly the IRIs regions.yaml defines.
    assert finance.municipality_iri is regions.municipality_iri
    linked = {value(facts, line, KB.municipality) for line in subjects(facts, KB.BudgetLine)}
    assert linked == {regions.municipality_iri(n) for n in LEIDSE_REGIO + DUIN_BOLLEN}
    for m in linked:
        assert value(facts, m, KB.cbsCode) is not None
    assert not [w for w in facts.warnings if "not in kb/curated/regions.yaml" in w]


# --- glossary: the real plan -----------------------------------------------------------------


def concepts(facts: FactGraph) -> set[Any]:
    return set(facts.graph.subjects(SKOS.inScheme, SCHEME_GLOSSARY))


def test_glossary_count(facts: FactGraph) -> None:
    # Chapter 7 "Begrippenkader", source lines 1946-2150: header "Begrip | Omschrijving" (1948-1949)
    # and 52 terms, from "Afschalen" (line 1951) to "WLZ" (line 2147), counted by hand.
    assert len(concepts(facts)) == 52
    assert (SCHEME_GLOSSARY, RDF.type, SKOS.ConceptScheme) in facts.graph


def test_glossary_concepts_are_complete(facts: FactGraph, plan: Document) -> None:
    for c in concepts(facts):
        assert (c, RDF.type, SKOS.Concept) in facts.graph
        prefs = list(facts.graph.objects(c, SKOS.prefLabel))
        assert len(prefs) == 1 and prefs[0].language == "nl", c
        definition = value(facts, c, SKOS.definition)
        assert definition is not None and definition.language == "nl"
        assert value(facts, c, DCTERMS.source) == doc_iri(plan.id)
        check_provenance(facts, plan, c)


def test_jeugdzorgplus_definition(facts: FactGraph) -> None:
    # Lines 2042-2043: the term is written "Jeugdzorgplus", its definition "JeugdzorgPlus biedt …".
    c = concept_iri("begrippenkader", "jeugdzorgplus")
    assert value(facts, c, SKOS.prefLabel) == Literal("Jeugdzorgplus", lang="nl")
    definition = str(value(facts, c, SKOS.definition))
    assert definition.startswith(
        "JeugdzorgPlus biedt wat wettelijk ‘gesloten jeugdzorg’ wordt genoemd."
    )
    # The definition runs over a page break in the source; the lines are joined with a space.
    assert definition.endswith("langer veiligheid, bescherming en behandeling nodig.")


def test_multiline_definition_is_joined(facts: FactGraph) -> None:
    # Lines 1952-1953: "… Bijvoorbeeld van segment 1" / "(behandeling met verblijf) naar segment 2".
    definition = str(value(facts, concept_iri("begrippenkader", "afschalen"), SKOS.definition))
    assert (
        "Bijvoorbeeld van segment 1 (behandeling met verblijf) naar segment 2 (wonen)."
        in definition
    )


def test_ciz_is_an_abbreviation(facts: FactGraph) -> None:
    # Lines 1974-1975: "CIZ" | "Centrum Indicatiestelling Zorg".
    c = concept_iri("begrippenkader", "ciz")
    assert value(facts, c, SKOS.prefLabel) == Literal("Centrum Indicatiestelling Zorg", lang="nl")
    assert set(facts.graph.objects(c, SKOS.altLabel)) == {Literal("CIZ", lang="nl")}
    assert value(facts, c, SKOS.definition) == Literal("Centrum Indicatiestelling Zorg", lang="nl")


@pytest.mark.parametrize(
    ("slug", "pref", "alts"),
    [
        ("lta", "Landelijk Transitie Arrangement", {"LTA"}),
        ("wlz", "Wet Langdurige Zorg", {"WLZ"}),
        ("poh", "Praktijkondersteuner Huisarts", {"POH"}),  # "Praktijkondersteuner Huisarts."
        ("oogo", "OOGO", {"Op Overeenstemming Gericht Overleg"}),  # a sentence: term stays pref
        ("ontwikkelingsperspectiefplan", "Ontwikkelingsperspectiefplan", {"OPP"}),
        ("trajectzorgberaad-complexe-casuistiek", "Trajectzorgberaad Complexe Casuïstiek", {"TCC"}),
        ("jeugdbeschermingstafel", "Jeugdbeschermingstafel", {"JBT"}),
        ("crisis", "Crisis", set()),
    ],
)
def test_abbreviation_rules_on_the_plan(
    facts: FactGraph, slug: str, pref: str, alts: set[str]
) -> None:
    c = concept_iri("begrippenkader", slug)
    assert value(facts, c, SKOS.prefLabel) == Literal(pref, lang="nl")
    assert {str(a) for a in facts.graph.objects(c, SKOS.altLabel)} == alts
