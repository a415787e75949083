"""The domain vocabulary read from the ontology's SKOS schemes (kb.rdf.vocabulary).

Headings and prose are tiny invented examples; the expected concepts are those whose labels the
examples use, so a test fails when matching stops being tolerant (case, accents, brackets, plural
endings) or starts being loose (parts of words, shorter names inside longer ones).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SKOS

from kb.errors import KbError
from kb.rdf.namespaces import KBI
from kb.rdf.vocabulary import (
    MONTH_PATTERN,
    Vocabulary,
    fold,
    load_vocabulary,
    month_name,
    month_number,
)

ONTOLOGY = Path(__file__).resolve().parents[3] / "ontology"


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return load_vocabulary(ONTOLOGY)


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("Doelgroep(en)", "doelgroep"),
        ("DOELGROEPEN:", "doelgroep"),
        ("doelgroep", "doelgroep"),
        ("Huidige landschap", "huidig-landschap"),
        ("Huidig(e) landschap", "huidig-landschap"),
        ("Huidig  zorglandschap :", "huidig-landschap"),
        ("Onderzoeksvraag", "onderzoeksvragen"),
        ("Randvoorwaarde", "randvoorwaarden"),
        ("Stakeholder", "stakeholders"),
        ("Raakvlakken met andere segmenten", "raakvlak-andere-segmenten"),
        ("Raakvlak (met) andere segmenten", "raakvlak-andere-segmenten"),
        ("Contract", "contractvorm"),
        ("Bekostiging", "bekostigingsmodel"),
    ],
)
def test_match_rubric_headings(vocab: Vocabulary, heading: str, slug: str) -> None:
    found = vocab.match("rubrieken", heading)
    assert found is not None and found.slug == slug


@pytest.mark.parametrize(
    "heading",
    ["Wat houdt het segment in?", "Doelgroep en aanbod", "Crisisdienst", "Planning fase 3", ""],
)
def test_match_needs_the_whole_heading(vocab: Vocabulary, heading: str) -> None:
    assert vocab.match("rubrieken", heading) is None


def test_match_ignores_accents_and_takes_scheme_iri(vocab: Vocabulary) -> None:
    scheme = KBI["scheme/inkoopmodellen"]
    assert vocab.match(scheme, "SUBSIDIERING") == vocab.concept("inkoopmodellen", "subsidiering")
    assert vocab.match(scheme, "Subsidiëring") == vocab.concept("inkoopmodellen", "subsidiering")


@pytest.mark.parametrize(
    ("written", "slug"),
    [
        ("inkoopplan", "inkoopplan"),
        ("Inkoopkader", "inkoopplan"),
        ("inkoopstrategie", "inkoopplan"),
        ("raadsbrief", "raadsinformatiebrief"),
        ("slides", "presentatie"),
        ("Centrumregeling", "regeling"),
        ("gemeenschappelijke regeling", "regeling"),
    ],
)
def test_document_types(vocab: Vocabulary, written: str, slug: str) -> None:
    found = vocab.match("documenttypen", written)
    assert found is not None and found.slug == slug


def test_unknown_document_type(vocab: Vocabulary) -> None:
    assert vocab.match("documenttypen", "roman") is None


def test_find_all_spans_and_longest_match(vocab: Vocabulary) -> None:
    text = "Wij kiezen voor Bestuurlijk aanbesteden, met een open-house contract en geen tender."
    found = vocab.find_all("inkoopmodellen", text)
    slugs = [m.concept.slug for m in found]
    assert slugs == ["bestuurlijk-aanbesteden", "open-house", "aanbesteding"]
    for m in found:
        assert text[m.start : m.end] == m.text
    # "aanbesteden" inside "bestuurlijk aanbesteden" is not also a tender.
    assert found[0].text == "Bestuurlijk aanbesteden"


def test_find_all_funding_words(vocab: Vocabulary) -> None:
    text = "Lump-sum voor de een, P × Q, budgetplafonds en afrekening op realisatie voor de ander."
    slugs = [m.concept.slug for m in vocab.find_all("bekostigingsvormen", text)]
    assert slugs == ["lumpsum", "inspanningsgericht", "budgetplafond", "inspanningsgericht"]
    assert [c.slug for c in vocab.named("bekostigingsvormen", text)] == [
        "lumpsum",
        "inspanningsgericht",
        "budgetplafond",
    ]


@pytest.mark.parametrize(
    ("text", "slugs"),
    [
        ("inspanningsgerichte financiering", ["inspanningsgericht"]),  # inflected label
        ("Taakgerichte bekostiging", ["taakgericht"]),
        ("een subsidieregeling", []),  # part of a word is no mention
        ("na een bestuurlijk traject", []),  # a singular process is no unit of payment
        ("Trajecten of plekken", ["outputgericht"]),
        ("lumpsum", ["lumpsum"]),
        ("lump sum", ["lumpsum"]),
    ],
)
def test_find_all_word_boundaries_and_inflection(
    vocab: Vocabulary, text: str, slugs: list[str]
) -> None:
    assert [c.slug for c in vocab.named("bekostigingsvormen", text)] == slugs


def test_concepts_follow_the_scheme(vocab: Vocabulary) -> None:
    graph = Graph().parse(ONTOLOGY / "schemes.ttl")
    in_scheme = set(graph.subjects(SKOS.inScheme, KBI["scheme/rubrieken"]))
    rubrics = vocab.concepts("rubrieken")
    assert {c.iri for c in rubrics} == in_scheme
    ordinals = [c.ordinal for c in rubrics]
    assert ordinals == sorted(ordinals)  # reading order of a plan
    doelgroep = vocab.concept("rubrieken", "doelgroep")
    assert doelgroep.pref_label == str(graph.value(doelgroep.iri, SKOS.prefLabel))
    assert vocab.by_iri(str(doelgroep.iri)) == doelgroep


def test_unknown_scheme_or_concept_is_a_clear_error(vocab: Vocabulary) -> None:
    with pytest.raises(KbError, match="'kleuren'") as info:
        vocab.concepts("kleuren")
    assert str(info.value).startswith(str(ONTOLOGY.resolve()))  # names the folder
    with pytest.raises(KbError, match="'paars'.*'rubrieken'"):
        vocab.concept("rubrieken", "paars")


def test_loaded_once_per_folder(tmp_path: Path) -> None:
    assert load_vocabulary(ONTOLOGY) is load_vocabulary(ONTOLOGY)
    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, copy)
    assert load_vocabulary(copy) is not load_vocabulary(ONTOLOGY)


def test_a_new_label_in_the_scheme_is_matched(tmp_path: Path) -> None:
    copy = tmp_path / "ontology"
    shutil.copytree(ONTOLOGY, copy)
    iri = KBI["concept/rubrieken/planning"]
    with (copy / "schemes.ttl").open("a", encoding="utf-8") as f:
        f.write(f'\n<{iri}> <{SKOS.altLabel}> "Draaiboek"@nl .\n')
    assert load_vocabulary(ONTOLOGY).match("rubrieken", "Draaiboek") is None
    found = load_vocabulary(copy).match("rubrieken", "Draaiboeken:")
    assert found is not None and found.iri == iri


def test_fold_keeps_offsets() -> None:
    text = "Subsidiëring – “Ééns”"
    assert len(fold(text)) == len(text)
    assert fold(text) == "subsidiering - “eens”"


@pytest.mark.parametrize(
    ("word", "number"),
    [("januari", 1), ("maart", 3), ("mrt", 3), ("Sept.", 9), ("sep", 9), ("juni", 6), ("dec", 12)],
)
def test_month_names_from_cldr(word: str, number: int) -> None:
    assert month_number(word) == number


def test_month_words_are_only_months() -> None:
    assert month_number("kaas") is None
    assert month_number("ma") is None  # too short to be a month
    assert month_name(3) == "maart"
    found = re.findall(rf"\b(?:{MONTH_PATTERN})\b", "Eind september of begin okt. 2021", re.I)
    assert found == ["september", "okt"]
