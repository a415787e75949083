"""Facts in prose (kb.extract.prose): invented sentences in the style of council letters and news.

Every finding must quote its passage exactly; the model names come from the ontology's schemes,
so a label added to a copy of the ontology is enough to find a new model word.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from kb.extract.prose import (
    BUDGET,
    CENTRUMGEMEENTE,
    CONTRACT_DURATION,
    CONTRACT_END,
    CONTRACT_START,
    DECISION_DATE,
    FUNDING_MODEL,
    MUNICIPALITY_COUNT,
    PENVOERDER,
    PROVIDERS,
    PROVIDERS_NOW,
    PROVIDERS_TARGET,
    PURCHASING_MODEL,
    START_DATE,
    YOUTH_COUNT,
    Finding,
    extract_findings,
    find_in_text,
)
from kb.resources import ontology_dir

#: The ontology of the checkout under test (an editable install elsewhere would point to its own).
SOURCE_ONTOLOGY = Path(__file__).resolve().parents[3] / "ontology"
ONTOLOGY = SOURCE_ONTOLOGY if (SOURCE_ONTOLOGY / "kb.ttl").is_file() else ontology_dir()


@dataclass
class P:
    """A passage as the ingest stage makes it (only what the extractor reads)."""

    id: str
    text: str


def run(text: str) -> list[Finding]:
    findings = find_in_text(text, "doc/p/1")
    for f in findings:
        assert text[f.start : f.end] == f.quote, f  # the quote is the passage's own text
        assert f.start <= f.value_start < f.value_end <= f.end
        assert f.passage_id == "doc/p/1" and f.rule
    return findings


def of(findings: list[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


def value(finding: Finding) -> dict[str, object]:
    return finding.value.to_dict()


def test_news_sentence_duration_and_providers_now_and_aimed_for() -> None:
    found = run(
        "Voor een periode van zes jaar gaan de gemeenten in zee met ruim vijftig aanbieders, "
        "nu zijn dat er bijna tweehonderd."
    )
    [duration] = of(found, CONTRACT_DURATION)
    assert value(duration)["initial"] == "P6Y"
    [target] = of(found, PROVIDERS_TARGET)
    assert (value(target)["value"], value(target)["qualifier"]) == (50, "ruim")
    [now] = of(found, PROVIDERS_NOW)
    assert (value(now)["value"], value(now)["qualifier"]) == (200, "bijna")
    assert now.rule != target.rule


def test_providers_from_to() -> None:
    found = run("Het aantal jeugdhulpaanbieders gaat van 221 naar ongeveer 60.")
    assert [value(f)["value"] for f in of(found, PROVIDERS_NOW)] == [221]
    [target] = of(found, PROVIDERS_TARGET)
    assert (value(target)["value"], value(target)["bound"]) == (60, "approximately")


def test_providers_without_a_time_cue_are_plain_counts() -> None:
    found = run("Er is gesproken met 35 aanbieders uit de regio.")
    assert [value(f)["value"] for f in of(found, PROVIDERS)] == [35]
    assert of(found, PROVIDERS_NOW) == of(found, PROVIDERS_TARGET) == []


def test_contract_start_and_end() -> None:
    found = run(
        "De nieuwe contracten gaan in per 1 januari 2025 en lopen tot en met 31 december 2030."
    )
    assert [value(f)["iso"] for f in of(found, CONTRACT_START)] == ["2025-01-01"]
    assert [value(f)["iso"] for f in of(found, CONTRACT_END)] == ["2030-12-31"]


def test_the_longer_cue_wins() -> None:
    found = run("De huidige overeenkomsten lopen af per 1 januari 2026.")
    assert [value(f)["iso"] for f in of(found, CONTRACT_END)] == ["2026-01-01"]
    assert of(found, CONTRACT_START) == []


def test_an_age_range_is_no_contract_duration() -> None:
    found = run(
        "Het contract geldt voor jongeren van 16-27 jaar en kinderen tussen de 0 en 18 jaar."
    )
    assert of(found, CONTRACT_DURATION) == []
    [duration] = of(run("Er komt een langdurig contract (7 -10 jaar)."), CONTRACT_DURATION)
    assert (value(duration)["minimum"], value(duration)["maximum"]) == ("P7Y", "P10Y")


def test_a_sentence_ends_after_a_closing_quote() -> None:
    text = "‘We gaan samen verder.’ De regio telt 6.000 jongeren in zorg."
    [youths] = of(run(text), YOUTH_COUNT)
    assert youths.quote == "De regio telt 6.000 jongeren in zorg."


def test_end_date_and_decision_date() -> None:
    found = run(
        "De contracten eindigen op 30 juni 2025. Het bestuur besloot op 3 maart 2024 de "
        "jeugdhulp opnieuw in te kopen."
    )
    assert [value(f)["iso"] for f in of(found, CONTRACT_END)] == ["2025-06-30"]
    [decision] = of(found, DECISION_DATE)
    assert value(decision)["iso"] == "2024-03-03"
    assert decision.quote.startswith("Het bestuur besloot")


def test_start_date_with_open_year_and_numeric_date() -> None:
    found = run("Met ingang van 1 juli 2025 werken de negen gemeenten samen.")
    [start] = of(found, START_DATE) + of(found, CONTRACT_START)
    assert value(start)["iso"] == "2025-07-01"
    found = run("De inkoop start niet eerder dan 1-7-2022.")
    assert [value(f)["iso"] for f in of(found, CONTRACT_START)] == ["2022-07-01"]
    found = run("Het contract gaat in per 1 januari.")
    assert [value(f)["year"] for f in of(found, CONTRACT_START)] == [None]


def test_counts_of_municipalities_and_youths() -> None:
    found = run("De negen gemeenten bieden jaarlijks hulp aan circa 4.000 jeugdigen.")
    assert [value(f)["value"] for f in of(found, MUNICIPALITY_COUNT)] == [9]
    [youths] = of(found, YOUTH_COUNT)
    assert (value(youths)["value"], value(youths)["qualifier"]) == (4000, "circa")
    found = run("In de acht Achterhoekse gemeenten krijgen ruim 3000 kinderen en jongeren hulp.")
    assert [value(f)["value"] for f in of(found, MUNICIPALITY_COUNT)] == [8]
    assert [value(f)["value"] for f in of(found, YOUTH_COUNT)] == [3000]


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("De gemeente Leiden is centrumgemeente voor de jeugdhulp.", CENTRUMGEMEENTE, "Leiden"),
        ("Centrumgemeente Groningen koopt namens de regio in.", CENTRUMGEMEENTE, "Groningen"),
        ("Alphen aan den Rijn treedt op als penvoerder.", PENVOERDER, "Alphen aan den Rijn"),
        ("Penvoerder is de gemeente 's-Hertogenbosch.", PENVOERDER, "'s-Hertogenbosch"),
        ("Met Venlo als centrumgemeente kopen zeven gemeenten in.", CENTRUMGEMEENTE, "Venlo"),
    ],
)
def test_centrumgemeente_and_penvoerder(text: str, kind: str, name: str) -> None:
    found = run(text)
    assert [value(f)["name"] for f in of(found, kind)] == [name]


def test_a_role_word_without_a_name_is_no_finding() -> None:
    found = run("De centrumgemeente voor de regio koopt in. Dit is de penvoerder.")
    assert of(found, CENTRUMGEMEENTE) == of(found, PENVOERDER) == []


def test_funding_and_purchasing_models_from_the_schemes() -> None:
    found = run(
        "De regio kiest voor een Europese aanbesteding met lumpsum in drie percelen en "
        "populatiebekostiging in één perceel; nu is dat open house met PxQ."
    )
    funding = {value(f)["pref_label"] for f in of(found, FUNDING_MODEL)}
    assert funding == {"Lumpsum", "Populatiebekostiging", "Inspanningsgerichte bekostiging"}
    purchasing = [value(f)["label"] for f in of(found, PURCHASING_MODEL)]
    assert purchasing == ["Europese aanbesteding", "open house"]  # longest label wins


def test_a_label_added_to_the_ontology_is_found(tmp_path: Path) -> None:
    from kb.rdf.ontology import load_ontology_graph
    from kb.rdf.vocabulary import Vocabulary

    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = "Gekozen is voor innovatiegericht aanbesteden."

    def vocabulary() -> Vocabulary:
        return Vocabulary.from_graph(load_ontology_graph(folder))

    [before] = of(find_in_text(text, "p", vocabulary()), PURCHASING_MODEL)
    assert before.value.label == "aanbesteden"  # type: ignore[union-attr]
    schemes = folder / "schemes.ttl"
    schemes.write_text(
        schemes.read_text(encoding="utf-8")
        + '\nikm:aanbesteding skos:hiddenLabel "Innovatiegericht aanbesteden"@nl .\n',
        encoding="utf-8",
    )
    [hit] = of(find_in_text(text, "p", vocabulary()), PURCHASING_MODEL)
    assert hit.value.label == "innovatiegericht aanbesteden"  # type: ignore[union-attr]


def test_dialogue_procedures_are_purchasing_models_of_the_ontology() -> None:
    # Labels added to the scheme inkoopmodellen for the procedures prose names.
    for text in (
        "Voor perceel C volgen zij een procedure van dialooggericht aanbesteden.",
        "De gemeenten kiezen voor een concurrentiegerichte dialoog.",
    ):
        [hit] = of(run(text), PURCHASING_MODEL)
        assert hit.value.concept.endswith("/inkoopmodellen/aanbesteding")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "kind", "key", "expected"),
    [
        (
            "Het college heeft op 14 februari 2023 besloten de Europese aanbesteding te starten.",
            DECISION_DATE,
            "iso",
            "2023-02-14",
        ),
        (
            "In de vergadering van 12 december 2024 stemde de raad in met het inkoopkader.",
            DECISION_DATE,
            "iso",
            "2024-12-12",
        ),
        (
            "De overeenkomsten hebben een looptijd van vier jaar, met de mogelijkheid deze twee "
            "keer met één jaar te verlengen.",
            CONTRACT_DURATION,
            "maximum",
            "P6Y",
        ),
        (
            "De overeenkomst duurt 5 jaar met een optie tot verlenging van maximaal 3 jaar.",
            CONTRACT_DURATION,
            "maximum",
            "P8Y",
        ),
        (
            "De contracten lopen van 1 januari 2025 tot en met 31 december 2028.",
            CONTRACT_START,
            "iso",
            "2025-01-01",
        ),
        (
            "De inkoop start in het tweede kwartaal van 2026.",
            CONTRACT_START,
            "iso",
            "2026-Q2",
        ),
        ("De huidige contracten eindigen medio 2026.", CONTRACT_END, "part", "medio"),
        (
            "Momenteel zijn 180 aanbieders gecontracteerd; na de aanbesteding willen we met "
            "maximaal 40 aanbieders verder.",
            PROVIDERS_TARGET,
            "bound",
            "at_most",
        ),
        (
            "Per jaar ontvangen ruim 12.000 kinderen en jongeren jeugdhulp.",
            YOUTH_COUNT,
            "value",
            12000,
        ),
        (
            "De regio bestaat uit dertien gemeenten.",
            MUNICIPALITY_COUNT,
            "value",
            13,
        ),
        (
            "Wij kiezen voor resultaatgerichte bekostiging.",
            FUNDING_MODEL,
            "pref_label",
            "Resultaatgerichte bekostiging",
        ),
    ],
)
def test_council_letter_sentences(text: str, kind: str, key: str, expected: object) -> None:
    assert [value(f)[key] for f in of(run(text), kind)] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Twee jaar geleden is het contract met de aanbieders verlengd.",
        "In 2025 wordt de inkoop geëvalueerd.",
        "Voor vragen over het contract: bel 071 516 5000.",
        "Zie pagina 12 van het inkoopkader voor de contracten met aanbieders.",
        "Dit volgt uit artikel 2.8 van de Jeugdwet over de gemeenten.",
        "Het contract geldt voor jongeren tot 18 jaar.",
        "Tel. 077 - 359 66 66 | Postbus 3434 | 5902 RK Venlo",
        "Inkoopkader 2025 | pagina 7",
        "3.2 Perceel B – Verblijf ..... 18",
    ],
)
def test_negative_sentences(text: str) -> None:
    found = run(text)
    assert [f for f in found if f.kind not in (FUNDING_MODEL, PURCHASING_MODEL)] == []


def test_in_a_budget_sentence_only_the_amount_is_a_finding() -> None:
    # "2 contracten" is no count of anything the rules know, and 60% is no amount of euros.
    found = run(
        "Het budget voor de 2 contracten bedraagt € 45,6 miljoen, waarvan 60% voor verblijf."
    )
    assert [(f.kind, value(f)["value"]) for f in found] == [(BUDGET, 45_600_000)]


def test_long_sentences_are_quoted_around_the_value() -> None:
    filler = "zoals eerder in de commissie is besproken en in de stukken is toegelicht " * 6
    text = f"De gemeenten hebben, {filler}, gekozen voor contracten van 4+2 jaar, {filler}."
    [duration] = of(run(text), CONTRACT_DURATION)
    assert "4+2 jaar" in duration.quote
    assert len(duration.quote) < len(text) / 2


def test_extract_findings_over_passages_keeps_passage_ids() -> None:
    passages = [
        P("doc/p/1", "De contracten hebben een looptijd van 3+2+2 jaar."),
        P("doc/p/2", "Het gaat om acht gemeenten."),
    ]
    findings = extract_findings(passages)
    assert [(f.passage_id, f.kind) for f in findings] == [
        ("doc/p/1", CONTRACT_DURATION),
        ("doc/p/2", MUNICIPALITY_COUNT),
    ]
    record = findings[0].to_dict()
    assert record["value"]["extensions"] == ["P2Y", "P2Y"]  # type: ignore[index]
    assert record["quote"] == passages[0].text[record["start"] : record["end"]]  # type: ignore[index, misc]


def test_findings_become_proposed_facts_that_conform_to_the_shapes() -> None:
    from rdflib import RDF, XSD, Graph, Literal
    from rdflib.namespace import PROV

    from kb.build.validate import validate
    from kb.extract.common import passage_iri
    from kb.extract.prose import STATUS_PROPOSED, add_findings
    from kb.rdf.namespaces import KB

    text = (
        "Voor een periode van 3+2+2 jaar gaan de acht gemeenten in zee met ruim vijftig "
        "aanbieders via een Europese aanbesteding. De contracten gaan in per 1 januari 2025."
    )
    findings = find_in_text(text, "doc/p/1")
    graph = Graph()
    graph.add((passage_iri("doc/p/1"), RDF.type, KB.Passage))
    iris = add_findings(graph, findings, passage_offsets={"doc/p/1": 100})
    assert len(set(iris)) == len(findings)
    for iri, finding in zip(iris, findings, strict=True):
        assert graph.value(iri, KB.status) == Literal(STATUS_PROPOSED)
        assert graph.value(iri, KB.obtainedBy) == Literal(finding.rule)
        assert graph.value(iri, PROV.wasDerivedFrom) == passage_iri("doc/p/1")
        assert graph.value(iri, KB.startOffset).toPython() == 100 + finding.start  # type: ignore[union-attr]
    [duration] = [i for i, f in zip(iris, findings, strict=True) if f.kind == CONTRACT_DURATION]
    assert graph.value(duration, KB.proposedValue) == Literal("P3Y", datatype=XSD.duration)
    assert graph.value(duration, KB.maximumDuration) == Literal("P7Y", datatype=XSD.duration)
    assert graph.value(duration, KB.extensionCount).toPython() == 2  # type: ignore[union-attr]
    [start] = [i for i, f in zip(iris, findings, strict=True) if f.kind == CONTRACT_START]
    assert graph.value(start, KB.proposedValue) == Literal("2025-01-01", datatype=XSD.date)

    def proposed_violations(g: Graph) -> list[str]:
        result = validate(g, ONTOLOGY)
        return [v.message for v in result.results if v.focus.startswith("kbi:proposed/")]

    assert proposed_violations(graph) == []
    graph.remove((duration, KB.quote, None))
    graph.set((start, KB.status, Literal("misschien")))
    broken = proposed_violations(graph)
    assert any("quote" in m for m in broken)
    assert any("voorgesteld" in m for m in broken)


def test_extract_writes_proposed_facts_with_document_offsets(tmp_path: Path) -> None:
    from rdflib import Literal

    from kb.extract.common import FactGraph
    from kb.extract.prose import extract
    from kb.ingest.read import read_document
    from kb.rdf.namespaces import KB

    source = tmp_path / "brief-aan-de-raad.md"
    source.write_text(
        "# Inkoop jeugdhulp\n\nGeachte raad,\n\n"
        "De nieuwe contracten gaan in per 1 januari 2025 en hebben een looptijd van 4+2 jaar. "
        "De gemeente Zwolle treedt op als centrumgemeente.\n",
        encoding="utf-8",
    )
    doc = read_document(source)
    facts = FactGraph()
    extract([doc], facts)
    kinds = {str(o) for o in facts.graph.objects(None, KB.factKind)}
    assert kinds == {CONTRACT_START, CONTRACT_DURATION, CENTRUMGEMEENTE}
    for fact in facts.graph.subjects(KB.factKind, None):
        start = facts.graph.value(fact, KB.startOffset).toPython()  # type: ignore[union-attr]
        end = facts.graph.value(fact, KB.endOffset).toPython()  # type: ignore[union-attr]
        assert Literal(doc.text[start:end]) == facts.graph.value(fact, KB.quote)


# --- amounts of money in prose (cues of the scheme bedragaanduidingen) -------------------------


@pytest.mark.parametrize(
    ("text", "amount", "year"),
    [
        ("Het regionale budget voor 2027 bedraagt € 41,5 miljoen.", 41_500_000, 2027),
        (
            "Velsen draagt in 2026 naar verwachting € 14,2 miljoen bij aan de jeugdhulp.",
            14_200_000,
            2026,
        ),
        ("In 2023 gaven de gemeenten samen 64,8 miljoen euro uit aan jeugdhulp.", 64_800_000, 2023),
        ("De centrumgemeente krijgt een vergoeding van € 1.450.000 per jaar.", 1_450_000, None),
    ],
)
def test_budgets_stated_in_prose(text: str, amount: int, year: int | None) -> None:
    [budget] = of(run(text), BUDGET)
    assert value(budget)["value"] == amount
    assert budget.year == year
    assert budget.quote == text


@pytest.mark.parametrize(
    "text",
    [
        "Het tarief is € 85,00 per uur.",  # a price, not a budget
        "De aanbieder kreeg € 2 miljoen in 2020.",  # no word for a budget, expense or contribution
        "Het budget voor 2027 is nog niet bekend.",  # no amount
    ],
)
def test_amounts_that_are_no_budget(text: str) -> None:
    assert of(run(text), BUDGET) == []


def test_a_budget_finding_carries_its_year_in_the_graph() -> None:
    from rdflib import Graph

    from kb.extract.prose import add_findings
    from kb.rdf.namespaces import KB

    findings = of(run("Het regionale budget voor 2027 bedraagt € 41,5 miljoen."), BUDGET)
    graph = Graph()
    [iri] = add_findings(graph, findings)
    assert graph.value(iri, KB.factKind).toPython() == BUDGET  # type: ignore[union-attr]
    assert graph.value(iri, KB.year).toPython() == 2027  # type: ignore[union-attr]
    assert float(graph.value(iri, KB.proposedValue).toPython()) == 41_500_000  # type: ignore[union-attr]


def test_a_cue_word_added_to_the_ontology_is_read(tmp_path: Path) -> None:
    # The contract cues are the scheme contractaanduidingen (ontology/cues.ttl), not Python.
    from kb.rdf.ontology import load_ontology_graph
    from kb.rdf.vocabulary import Vocabulary

    folder = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    text = "De samenwerking met de aanbieders duurt vier jaar."

    def vocabulary() -> Vocabulary:
        return Vocabulary.from_graph(load_ontology_graph(folder))

    assert of(find_in_text(text, "p", vocabulary()), CONTRACT_DURATION) == []
    cues = folder / "cues.ttl"
    cues.write_text(
        cues.read_text(encoding="utf-8").replace(
            '"ingekocht"@nl ;', '"ingekocht"@nl , "samenwerking"@nl ;'
        ),
        encoding="utf-8",
    )
    [found] = of(find_in_text(text, "p", vocabulary()), CONTRACT_DURATION)
    assert value(found)["initial"] == "P4Y"


@pytest.mark.parametrize(
    ("text", "kind", "name"),
    [
        ("De gemeente Assen voert de inkoop uit als centrumgemeente.", CENTRUMGEMEENTE, "Assen"),
        ("Vlissingen voert als centrumgemeente de inkoop uit.", CENTRUMGEMEENTE, "Vlissingen"),
        (
            "De gemeenten wijzen de gemeente Zwolle aan als centrumgemeente.",
            CENTRUMGEMEENTE,
            "Zwolle",
        ),
        (
            "De wethouder van Amersfoort, dat als centrumgemeente de inkoop regelt.",
            CENTRUMGEMEENTE,
            "Amersfoort",
        ),
        ("De gemeente Oss blijft tijdens de verlenging penvoerder.", PENVOERDER, "Oss"),
        ("Hof van Twente is penvoerder.", PENVOERDER, "Hof van Twente"),
    ],
)
def test_role_a_few_words_after_the_name(text: str, kind: str, name: str) -> None:
    [found] = of(run(text), kind)
    assert value(found)["name"] == name


@pytest.mark.parametrize(
    "text",
    [
        "Utrecht is niet langer de penvoerder.",
        "Almere is geen centrumgemeente.",
        "Leiden en Katwijk werken samen; er is nog geen centrumgemeente aangewezen.",
    ],
)
def test_no_role_for_a_denied_or_absent_name(text: str) -> None:
    found = run(text)
    assert of(found, PENVOERDER) + of(found, CENTRUMGEMEENTE) == []
