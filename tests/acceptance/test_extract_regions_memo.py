"""Regions and municipalities (kb.extract.regions + kb/curated/regions.yaml) and the 2018 memo
(kb.extract.memo).

The memo counts were made BY HAND in
``kb/corpus/2018-08-14_holland-rijnland_memo-voortgang-inkoopstrategie-jeugdhulp-2020.txt``; the
comments name its lines. Rules on invented text are in ``tests/unit/extract/test_regions_memo.py``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV

from kb.extract import memo, regions
from kb.extract.common import ExtractionError, FactGraph, doc_iri, entity_iri
from kb.extract.documents import region_iri
from kb.ingest.model import Document
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB, ORG, TOOI_GEMEENTE
from kb.settings import BUNDLED_CORPUS

CORPUS = BUNDLED_CORPUS
MEMO = "2018-08-14_holland-rijnland_memo-voortgang-inkoopstrategie-jeugdhulp-2020.txt"

#: CBS codes as looked up (see the comment at the top of regions.yaml for the sources).
CBS = {
    "Leiden": "0546", "Leiderdorp": "0547", "Oegstgeest": "0579", "Zoeterwoude": "0638",
    "Hillegom": "0534", "Katwijk": "0537", "Lisse": "0553", "Noordwijk": "0575",
    "Teylingen": "1525",
    "Alphen aan den Rijn": "0484", "Kaag en Braassem": "1884", "Nieuwkoop": "0569",
    "Aalten": "0197", "Berkelland": "1859", "Bronckhorst": "1876", "Doetinchem": "0222",
    "Montferland": "1955", "Oost Gelre": "1586", "Oude IJsselstreek": "1509",
    "Winterswijk": "0294",
    "Groningen": "0014",
}  # fmt: skip
SUBREGIONS = {
    "Leidse regio": {"Leiden", "Leiderdorp", "Oegstgeest", "Zoeterwoude"},
    "Duin- en Bollenstreek": {"Hillegom", "Katwijk", "Lisse", "Noordwijk", "Teylingen"},
}


@pytest.fixture(scope="module")
def corpus() -> list[Document]:
    return ingest([CORPUS]).documents


@pytest.fixture(scope="module")
def by_file(corpus: list[Document]) -> dict[str, Document]:
    return {d.path.name: d for d in corpus}


@pytest.fixture(scope="module")
def facts(corpus: list[Document]) -> FactGraph:
    result = FactGraph()
    regions.extract(corpus, result)
    memo.extract(corpus, result)
    return result


def value(facts: FactGraph, s: Any, p: URIRef) -> Any:
    return facts.graph.value(s, p)


def of_type(facts: FactGraph, cls: URIRef) -> list[Any]:
    """Instances of a class, in kb:ordinal order when they have one."""
    items = set(facts.graph.subjects(RDF.type, cls))
    return sorted(items, key=lambda i: (int(value(facts, i, KB.ordinal) or 0), str(i)))


def check_provenance(facts: FactGraph, doc: Document, iri: Any) -> str:
    start = int(value(facts, iri, KB.startOffset))
    end = int(value(facts, iri, KB.endOffset))
    quote = str(value(facts, iri, KB.quote))
    assert doc.text[start:end] == quote, iri
    assert value(facts, iri, PROV.wasDerivedFrom) is not None, iri
    return quote


# --- regions ---------------------------------------------------------------------------------


def test_no_warnings(facts: FactGraph) -> None:
    assert not facts.warnings


def test_four_regions(facts: FactGraph) -> None:
    found = {str(value(facts, r, RDFS.label)) for r in of_type(facts, KB.Region)}
    assert found == {"Holland Rijnland", "Noord-Limburg", "Achterhoek", "Groningen"}
    for name in found:
        assert (region_iri(name), RDF.type, KB.Region) in facts.graph


def test_subregions(facts: FactGraph) -> None:
    # Two subregions buy together under the plan; the memo also names the Rijnstreek.
    found = {str(value(facts, s, RDFS.label)) for s in of_type(facts, KB.Subregion)}
    assert found == {"Leidse regio", "Duin- en Bollenstreek", "Rijnstreek"}
    for name in found:
        sub = regions.subregion_iri(name)
        assert value(facts, sub, ORG.subOrganizationOf) == region_iri("Holland Rijnland")


def test_nine_municipalities_in_the_two_subregions(facts: FactGraph) -> None:
    seen = 0
    for sub_name, members in SUBREGIONS.items():
        sub = regions.subregion_iri(sub_name)
        in_sub = set(facts.graph.subjects(KB.inSubregion, sub))
        assert {str(value(facts, m, RDFS.label)) for m in in_sub} == members
        for m in in_sub:
            name = str(value(facts, m, RDFS.label))
            assert m == regions.municipality_iri(name)
            assert value(facts, m, KB.inRegion) == region_iri("Holland Rijnland")
            assert value(facts, m, OWL.sameAs) == TOOI_GEMEENTE[f"gm{CBS[name]}"]
            seen += 1
    assert seen == 9
    # The example the domain primer gives.
    assert value(facts, regions.municipality_iri("Leiden"), OWL.sameAs) == URIRef(
        "https://identifier.overheid.nl/tooi/id/gemeente/gm0546"
    )


def test_every_municipality_and_code(facts: FactGraph, by_file: dict[str, Document]) -> None:
    municipalities = of_type(facts, KB.Municipality)
    assert {
        str(value(facts, m, RDFS.label)): str(value(facts, m, KB.cbsCode)) for m in municipalities
    } == CBS
    for m in municipalities:  # every municipality carries its evidence
        source = next(d for d in by_file.values() if str(value(facts, m, KB.quote)) in d.text)
        assert str(value(facts, m, RDFS.label)) in check_provenance(facts, source, m)
    achterhoek = set(facts.graph.subjects(KB.inRegion, region_iri("Achterhoek")))
    assert len(achterhoek) == 8  # "De acht samenwerkende gemeenten zijn …"
    # Noord-Limburg's slides name no municipality, so none is written.
    assert not set(facts.graph.subjects(KB.inRegion, region_iri("Noord-Limburg")))


def test_separately_purchasing_municipalities(facts: FactGraph) -> None:
    for name in ("Alphen aan den Rijn", "Kaag en Braassem", "Nieuwkoop"):
        m = regions.municipality_iri(name)
        assert value(facts, m, KB.inRegion) == region_iri("Holland Rijnland")
        assert value(facts, m, KB.inSubregion) is None  # the corpus does not say which subregion
        assert value(facts, m, KB.purchasesVia) is None  # no other region is named
        assert value(facts, m, KB.ownPurchasing).toPython() is True  # "een eigen inkoopproces"
        notes = [str(n) for n in facts.graph.objects(m, KB.note)]
        assert any("eigen inkoopproces op basis van een ander model" in n for n in notes)
    nieuwkoop = [
        str(n) for n in facts.graph.objects(regions.municipality_iri("Nieuwkoop"), KB.note)
    ]
    assert any("in beraad" in n for n in nieuwkoop)
    alphen = regions.municipality_iri("Alphen aan den Rijn")
    assert any("Go voor Jeugd" in str(n) for n in facts.graph.objects(alphen, KB.note))
    # Notes add their passages (plan §1, footnote 11's paragraph, the memo) as evidence.
    assert len(set(facts.graph.objects(alphen, PROV.wasDerivedFrom))) == 3
    # The nine that buy through the plan are not marked.
    marked = set(facts.graph.subjects(KB.ownPurchasing, None))
    assert marked == {
        regions.municipality_iri(n)
        for n in ("Alphen aan den Rijn", "Kaag en Braassem", "Nieuwkoop")
    }
    rijnstreek = regions.subregion_iri("Rijnstreek")
    assert any("Veiligheid en Crisis" in str(n) for n in facts.graph.objects(rijnstreek, KB.note))


def test_every_curated_quote_occurs_in_its_source(by_file: dict[str, Document]) -> None:
    """Read the YAML itself (not the extractor's result): an edited quote must fail here."""
    data = yaml.safe_load(regions.REGIONS_FILE.read_text(encoding="utf-8"))
    checked = 0
    for key in ("regions", "subregions", "municipalities"):
        for entry in data[key]:
            regions.find_quote(by_file, entry["file"], entry["quote"])
            checked += 1
    for note in data["notes"].values():
        regions.find_quote(by_file, note["file"], note["quote"], note.get("footnote", ""))
        checked += 1
    assert checked == 4 + 3 + 21 + 6


def test_find_quote_fails_loudly(by_file: dict[str, Document]) -> None:
    with pytest.raises(ExtractionError):
        regions.find_quote(by_file, MEMO, "Deze zin staat niet in de memo.")
    with pytest.raises(ExtractionError, match="footnote"):
        regions.find_quote(by_file, MEMO, "Risico's", footnote="Een voetnoot die er niet is.")
    with pytest.raises(ExtractionError, match="not among"):
        regions.find_quote(by_file, "onbekend.txt", "x")


def test_bad_entries_are_warnings(tmp_path: Path, corpus: list[Document]) -> None:
    path = tmp_path / "regions.yaml"
    path.write_text(
        f"""
regions:
  - name: Achterhoek
    file: 2020-07-29_achterhoek_artikel-jeugdhulp-op-de-schop.txt
    quote: "Deze quote is veranderd."
municipalities:
  - name: Aalten
    cbs: 0546  # unquoted: YAML reads the octal number 358
    region: Achterhoek
    file: 2020-07-29_achterhoek_artikel-jeugdhulp-op-de-schop.txt
    quote: "De acht samenwerkende gemeenten zijn Aalten"
  - name: Zonder bron
    region: Achterhoek
    file: {MEMO}
""",
        encoding="utf-8",
    )
    result = FactGraph()
    regions.extract(corpus, result, path=path)
    text = "\n".join(result.warnings)
    assert "region 'Achterhoek': " in text and "quote not found" in text
    assert "cbs must be a quoted 4-digit string" in text
    assert "'Zonder bron': missing quote" in text
    # The region without evidence is not written; Aalten is, without a code.
    assert not list(result.graph.subjects(RDF.type, KB.Region))
    aalten = regions.municipality_iri("Aalten")
    assert (aalten, RDF.type, KB.Municipality) in result.graph
    assert value(result, aalten, KB.cbsCode) is None


# --- memo ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def memo_doc(by_file: dict[str, Document]) -> Document:
    return by_file[MEMO]


def memo_iri(kind: str, n: int) -> URIRef:
    return entity_iri(kind, "holland-rijnland", "memo-2018", str(n))


def texts(facts: FactGraph, items: list[Any]) -> list[str]:
    return [str(value(facts, i, KB.text)) for i in items]


def test_memo_phases(facts: FactGraph) -> None:
    # Line 40 "Fase 1 bestaat uit …"; line 42 "… uit te werken in fase 2"; line 105 "Fase 2 en 3,
    # de ontwikkeling van het feitelijke inkoopproces, …". Line 44 "in deze fase 2 zaken" is "two
    # things in this phase", not phase 2.
    phases = of_type(facts, KB.Phase)
    assert phases == [memo_iri("phase", n) for n in (1, 2, 3)]
    assert [int(value(facts, p, KB.phaseNumber)) for p in phases] == [1, 2, 3]
    one, two, three = texts(facts, phases)
    assert "ophalen van aanbevelingen" in one
    assert one.startswith("Fase 1 bestaat uit")
    assert "eerste verkenning van de verschillende modellen van contractering" in two
    assert three.startswith("Fase 2 en 3, de ontwikkeling van het feitelijke inkoopproces")
    assert value(facts, phases[0], RDFS.label) == Literal("Fase 1", lang="nl")


def test_memo_decisions(facts: FactGraph) -> None:
    # Line 17 (Besloten … tot en met fase 1), 19 (afgesproken … elke gemeente), 59 (11 juli:
    # ingestemd), 95 (DVO verlengd), 99 (Besloten … uitdiepen). Line 15 is a wish, line 103 says
    # "Een besluit hierover is niet genomen": neither is a decision.
    decisions = of_type(facts, KB.Decision)
    assert len(decisions) == 5
    labels = [str(value(facts, d, RDFS.label)) for d in decisions]
    assert labels[0] == "Besloten is om de inkoopstrategie tot en met fase 1 in te zetten"
    assert "verlengd" in labels[3]
    dates = [value(facts, d, KB.date) for d in decisions]
    assert [d.toPython() if d is not None else None for d in dates] == [
        date(2018, 5, 30),
        date(2018, 5, 30),
        date(2018, 7, 11),
        None,
        None,
    ]
    assert not any("wens uitgesproken" in t for t in texts(facts, decisions))


def test_memo_contracts(facts: FactGraph) -> None:
    # Lines 27-32: six bullets under "Huidige contractering Jeugdhulp". The bullets of line 46-47
    # ("in deze fase 2 zaken van belang") follow other paragraphs and are not contracts.
    contracts = of_type(facts, KB.ContractArrangement)
    assert len(contracts) == 6
    assert (
        texts(facts, contracts)[0]
        == "De coöperatie JGT om de lokale JGT's vorm te geven (11 gemeenten)."
    )
    assert "Go voor Jeugd" in texts(facts, contracts)[5]
    assert value(facts, contracts[5], RDFS.label) == Literal(
        "De gemeenten Alphen aan den Rijn en Kaag en Braassem hebben m.u.v. de uitvoering …",
        lang="nl",
    )


def test_memo_advice(facts: FactGraph) -> None:
    # Bijlage 1 (lines 114-152): "Gemeenten: interne organisatie" 5 bullets (118-122), "Gemeenten:
    # beleid" 12 (126-137), "Concrete adviezen m.b.t. inkoop" 9 (141-152); Bijlage 2, education
    # partners (154-166): 11 bullets.
    advice = of_type(facts, KB.Advice)
    assert len(advice) == 5 + 12 + 9 + 11
    subjects = [{str(s) for s in facts.graph.objects(a, DCTERMS.subject)} for a in advice]
    concrete = [i for i, s in enumerate(subjects) if "Concrete adviezen m.b.t. inkoop" in s]
    assert len(concrete) == 9
    education = [i for i, s in enumerate(subjects) if any(x.startswith("BIJLAGE 2") for x in s)]
    assert len(education) == 11
    assert (
        texts(facts, advice)[concrete[0]] == "Experimenteer ruimte maken/ leren/ fouten maken mag."
    )
    assert (
        texts(facts, advice)[-1] == "Komen tot gezamenlijk beleid op passend onderwijs – jeugdhulp."
    )


def test_memo_risks(facts: FactGraph) -> None:
    # Lines 103 and 105; the date line 107 ends the section.
    risks = of_type(facts, KB.Risk)
    assert len(risks) == 2
    assert texts(facts, risks)[0].startswith("De trein is gaan rijden en komt onder stoom.")
    assert "eind september 2018 klaar moeten zijn" in texts(facts, risks)[1]


def test_memo_milestones(facts: FactGraph) -> None:
    # Lines 89-99: themes a (najaar 2018), b (tot en met 2020), c (no date).
    milestones = of_type(facts, KB.Milestone)
    assert [str(value(facts, m, RDFS.label)) for m in milestones] == [
        "Doorontwikkeling beleid",
        "Regionale samenwerking",
        "Financieel kader",
    ]
    years = [value(facts, m, KB.year) for m in milestones]
    assert [y.toPython() if y is not None else None for y in years] == [2018, 2020, None]
    assert all(value(facts, m, KB.month) is None for m in milestones)


def test_memo_items_have_document_region_and_provenance(
    facts: FactGraph, memo_doc: Document
) -> None:
    classes = (KB.Phase, KB.Decision, KB.ContractArrangement, KB.Advice, KB.Risk, KB.Milestone)
    for cls in classes:
        for item in of_type(facts, cls):
            assert value(facts, item, KB.inDocument) == doc_iri(memo_doc.id)
            assert value(facts, item, KB.aboutRegion) == region_iri("Holland Rijnland")
            quote = check_provenance(facts, memo_doc, item)
            assert " ".join(quote.split()) == str(value(facts, item, KB.text))
