"""Municipality names in Dutch text (kb.extract.municipalities) and the memberships the build
makes of them (kb.extract.regions.link_municipalities), on invented sentences and documents."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import ORG, OWL, PROV

from kb.build.pipeline import build_graph
from kb.build.validate import validate
from kb.extract import municipalities, regions
from kb.extract.common import FactGraph, doc_iri
from kb.extract.documents import region_iri
from kb.extract.municipalities import (
    Mention,
    Register,
    RegisterError,
    find_member_lists,
    find_municipalities,
    find_partial_members,
    load_register,
)
from kb.ingest.model import Document
from kb.ingest.read import ingest
from kb.rdf.namespaces import KB
from kb.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
#: The register of this checkout (the installed package may point at another checkout).
REGISTER_DIR = ROOT / "ontology" / "register"


@pytest.fixture(autouse=True)
def this_register(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(municipalities, "register_dir", lambda: REGISTER_DIR)


@pytest.fixture(scope="module")
def register() -> Register:
    return load_register(REGISTER_DIR)


def names(mentions: list[Mention]) -> list[str]:
    """The register name each mention links to (or 'former:<name>')."""
    return [m.name if m.municipality else f"former:{m.name}" for m in mentions]


def found(text: str, register: Register) -> list[str]:
    mentions = find_municipalities(text, register)
    for m in mentions:  # every span is exact
        assert text[m.start : m.end] == m.surface
    return names(mentions)


def lists(text: str, register: Register) -> list[list[tuple[str, str]]]:
    return [
        [(m.mention.surface, m.qualifier) for m in member_list.members]
        for member_list in find_member_lists(text, register)
    ]


# --- the register ------------------------------------------------------------------------------


def test_register_has_every_municipality_with_its_tooi_iri(register: Register) -> None:
    assert len(register.municipalities) == 342
    assert all(len(code) == 4 and code.isdigit() for code in register.municipalities)
    leiden = register.by_name("Leiden")
    assert leiden.cbs_code == "0546"
    assert leiden.tooi == URIRef("https://identifier.overheid.nl/tooi/id/gemeente/gm0546")


def test_companion_files_agree_with_the_register(register: Register) -> None:
    register_names = {m.name for m in register.municipalities.values()}
    for former in register.former.values():
        assert former.name not in register_names
        assert set(former.successors) <= register_names
    assert register.former["Landerd"].successors == ("Maashorst",)
    assert len(register.former["Haaren"].successors) == 4
    for word in register.ordinary_words:
        assert register.lookup(word) is not None, word


def test_curated_codes_agree_with_the_register(register: Register) -> None:
    data = yaml.safe_load(regions.REGIONS_FILE.read_text(encoding="utf-8"))
    curated = {m["name"]: m["cbs"] for m in data["municipalities"] if m.get("cbs")}
    assert len(curated) == 21
    for name, code in curated.items():
        entry = register.lookup(name)
        assert entry is not None and entry.cbs_code == code, name


def test_broken_register_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "register"
    shutil.copytree(REGISTER_DIR, folder)
    path = folder / "voormalige-gemeenten.csv"
    path.write_text("naam,opgegaan_in,jaar\nOudedorp,Nergenshuizen,2020\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="voormalige-gemeenten.csv.*Nergenshuizen"):
        load_register(folder)
    (folder / "gemeenten.csv").unlink()
    with pytest.raises(RegisterError, match="gemeenten.csv: cannot read"):
        load_register(folder)


# --- mentions ----------------------------------------------------------------------------------


def test_names_of_several_words(register: Register) -> None:
    text = "De gemeenten Alphen aan den Rijn en Kaag en Braassem, en ook Oude IJsselstreek."
    assert found(text, register) == ["Alphen aan den Rijn", "Kaag en Braassem", "Oude IJsselstreek"]
    # A hyphen for a space, a line break inside a name, accents left out.
    assert found("Oost-Gelre, Alphen aan\nden Rijn en Sudwest-Fryslan", register) == [
        "Oost Gelre",
        "Alphen aan den Rijn",
        "Súdwest-Fryslân",
    ]


def test_other_names_and_apostrophes(register: Register) -> None:
    text = (
        "Zowel ’s-Hertogenbosch als 's Hertogenbosch en Den Bosch; ook 's-Gravenhage en Den Haag."
    )
    mentions = find_municipalities(text, register)
    assert [m.surface for m in mentions] == [
        "’s-Hertogenbosch",
        "'s Hertogenbosch",
        "Den Bosch",
        "'s-Gravenhage",
        "Den Haag",
    ]
    codes = [m.municipality.cbs_code for m in mentions]  # type: ignore[union-attr]
    assert codes[:3] == [register.lookup("Den Bosch").cbs_code] * 3  # type: ignore[union-attr]
    assert codes[3] == codes[4] != codes[0]


def test_province_markers(register: Register) -> None:
    text = "Bergen (L.), Bergen (NH.), Bergen (N.H.) en Bergen (Limburg). In Hengelo is het druk."
    assert found(text, register) == [
        "Bergen (L.)",
        "Bergen (NH.)",
        "Bergen (NH.)",
        "Bergen (L.)",
        "Hengelo (O.)",
    ]
    # Two municipalities are called Bergen: the bare name links to neither.
    assert found("De gemeente Bergen doet mee.", register) == []


def test_the_verb_leiden_is_not_leiden(register: Register) -> None:
    assert found("Deze keuzes leiden tot betere zorg.", register) == []
    assert found("Leiden tot betere zorg is het doel.", register) == []
    assert found("Het college van Leiden besluit. In Leiden wonen veel jongeren.", register) == [
        "Leiden",
        "Leiden",
    ]


def test_ordinary_words_in_running_text(register: Register) -> None:
    text = (
        "Best is het om de buren te betrekken. Buren helpen elkaar. De Best Practices delen we "
        "mede namens de Epenaren.\nScenario | Best case | 12"
    )
    assert found(text, register) == []
    # Capitalised inside a sentence, the name is the municipality.
    assert found("Ook de gemeente Best en het college van Buren doen mee.", register) == [
        "Best",
        "Buren",
    ]


def test_name_inside_a_longer_word_or_compound_is_no_mention(register: Register) -> None:
    assert found("Leiderdorp, Leiden-Noord, Oost-Groningen en Edese jongeren.", register) == [
        "Leiderdorp"
    ]


def test_former_municipality_is_kept_unlinked(register: Register) -> None:
    (mention,) = find_municipalities("In 2019 werkte Landerd al samen.", register)
    assert mention.municipality is None
    assert mention.former is not None and mention.former.successors == ("Maashorst",)
    assert "Maashorst" in mention.former.note and "2022" in mention.former.note


# --- member lists ------------------------------------------------------------------------------


def test_list_with_en(register: Register) -> None:
    text = "Sinds 2020 kopen de gemeenten Epe, Heerde en Hattem samen in. Apeldoorn niet."
    assert lists(text, register) == [[("Epe", ""), ("Heerde", ""), ("Hattem", "")]]
    (member_list,) = find_member_lists(text, register)
    assert text[member_list.start : member_list.end] == (
        "Sinds 2020 kopen de gemeenten Epe, Heerde en Hattem"
    )


def test_list_after_a_colon_with_a_qualifier(register: Register) -> None:
    text = (
        "Het gaat om de negen gemeenten: Hillegom, Katwijk (uitsluitend voor verblijf), Lisse "
        "en Noordwijk."
    )
    assert lists(text, register) == [
        [
            ("Hillegom", ""),
            ("Katwijk", "uitsluitend voor verblijf"),
            ("Lisse", ""),
            ("Noordwijk", ""),
        ]
    ]


def test_bullet_list_of_names(register: Register) -> None:
    text = (
        "Deelnemers aan de centrumregeling zijn:\n\n- Best\n- Buren\n"
        "- Epe: uitsluitend voor verblijf\n- Den Bosch\n\nDaarna volgt gewone tekst over Ede."
    )
    assert lists(text, register) == [
        [("Best", ""), ("Buren", ""), ("Epe", "uitsluitend voor verblijf"), ("Den Bosch", "")]
    ]


def test_enumeration_without_introduction_is_no_member_list(register: Register) -> None:
    text = "In Leiden, Katwijk en Lisse was het druk tijdens de bijeenkomst."
    assert found(text, register) == ["Leiden", "Katwijk", "Lisse"]
    assert lists(text, register) == []
    assert lists("De gemeente Leiden besluit.", register) == []  # one name is no list
    far = "Net als veel andere gemeenten in het land hebben ook de steden Leiden en Lisse een plan."
    assert lists(far, register) == []


def test_former_municipality_in_a_list(register: Register) -> None:
    text = "De gemeenten Landerd, Uden en Oss kochten samen in."
    (member_list,) = find_member_lists(text, register)
    assert [m.mention.former is not None for m in member_list.members] == [True, True, False]


# --- the build ---------------------------------------------------------------------------------

DOCUMENT = """# Inkoopkader jeugdhulp Regio Testland

De gemeenten Epe, Heerde, Hattem en Landerd kopen de jeugdhulp samen in.

Voor verblijf doen deze gemeenten mee:

- Apeldoorn (uitsluitend voor verblijf)
- Voorst

Deze keuzes leiden tot betere zorg. Best is om vroeg te beginnen.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str], Document]:
    """A tiny invented document, built with the pipeline (graph only)."""
    folder = tmp_path_factory.mktemp("testland")
    (folder / "inkoopkader.md").write_text(DOCUMENT, encoding="utf-8")
    (folder / "sources.yaml").write_text(
        "documents:\n  - file: inkoopkader.md\n    title: Inkoopkader\n"
        "    type: document\n    region: Regio Testland\n    date: 2024-05-01\n",
        encoding="utf-8",
    )
    mp = pytest.MonkeyPatch()
    mp.setattr(municipalities, "register_dir", lambda: REGISTER_DIR)
    try:
        (doc,) = ingest([folder]).documents
        graph, warnings = build_graph([doc], Settings(ontology_dir=ROOT / "ontology"))
    finally:
        mp.undo()
    return graph, warnings, doc


def test_build_links_members_with_tooi_and_quotes(built: tuple, register: Register) -> None:
    graph, _warnings, doc = built
    text = doc.text
    region = region_iri("Regio Testland")
    members = {str(graph.value(m, RDFS.label)): m for m in graph.subjects(KB.inRegion, region)}
    assert set(members) == {"Epe", "Heerde", "Hattem", "Apeldoorn", "Voorst"}
    for name, m in members.items():
        assert (m, RDF.type, KB.Municipality) in graph
        entry = register.by_name(name)
        assert str(graph.value(m, KB.cbsCode)) == entry.cbs_code
        assert graph.value(m, OWL.sameAs) == entry.tooi
    memberships = list(graph.subjects(RDF.type, ORG.Membership))
    assert len(memberships) == 6  # five linked members and Landerd
    for ms in memberships:
        assert graph.value(ms, ORG.organization) == region
        assert str(graph.value(ms, KB.quote)) in text
        start, end = int(graph.value(ms, KB.startOffset)), int(graph.value(ms, KB.endOffset))
        assert text[start:end] == str(graph.value(ms, KB.quote))
        assert graph.value(ms, PROV.wasDerivedFrom) is not None
        assert graph.value(ms, KB.inDocument) == doc_iri(doc.id)
    apeldoorn = next(
        ms for ms in memberships if graph.value(ms, ORG.member) == members["Apeldoorn"]
    )
    assert str(graph.value(apeldoorn, KB.note)) == "uitsluitend voor verblijf"
    # The reader takes the short line ending in a colon for a heading, which is in no passage:
    # the quote then starts at the list itself.
    assert str(graph.value(apeldoorn, KB.quote)).startswith("- Apeldoorn (uitsluitend")


def test_build_keeps_former_municipality_unlinked_and_warns(built: tuple) -> None:
    graph, warnings, _doc = built
    (landerd,) = [
        ms
        for ms in graph.subjects(RDF.type, ORG.Membership)
        if "Landerd" in str(graph.value(ms, RDFS.label))
    ]
    assert graph.value(landerd, ORG.member) is None
    assert any("Maashorst" in str(n) for n in graph.objects(landerd, KB.note))
    assert [w for w in warnings if "Landerd" in w and "inkoopkader.md" in w]
    # No municipality entity for a municipality that no longer exists.
    labels = {str(graph.value(m, RDFS.label)) for m in graph.subjects(RDF.type, KB.Municipality)}
    assert "Landerd" not in labels and "Leiden" not in labels and "Best" not in labels


def test_build_graph_conforms(built: tuple) -> None:
    graph, _warnings, _doc = built
    result = validate(graph, ROOT / "ontology")
    assert result.conforms, result.report_text()


def test_curated_code_that_disagrees_with_the_register_warns(register: Register) -> None:
    facts = FactGraph()
    m = regions.municipality_iri("Leiden")
    facts.add(m, RDF.type, KB.Municipality)
    facts.label(m, "Leiden")
    facts.add(m, KB.cbsCode, "0547")
    regions.link_municipalities([], facts, register=register)
    assert any("'Leiden'" in w and "0546" in w for w in facts.warnings)
    # A municipality without a code gets the register's.
    facts = FactGraph()
    facts.add(m, RDF.type, KB.Municipality)
    facts.label(m, "Leiden")
    regions.link_municipalities([], facts, register=register)
    assert str(facts.graph.value(m, KB.cbsCode)) == "0546"
    assert facts.graph.value(m, OWL.sameAs) == register.by_name("Leiden").tooi


# --- member lists in running sentences (cues of the scheme ledenlijstaanduidingen) --------------


def test_list_after_a_verb_of_taking_part(register: Register) -> None:
    text = "Aan deze inkoop nemen deel: Almelo, Borne, Hof van Twente, Oldenzaal en Tubbergen."
    assert [s for s, _ in lists(text, register)[0]] == [
        "Almelo",
        "Borne",
        "Hof van Twente",
        "Oldenzaal",
        "Tubbergen",
    ]


def test_list_of_names_of_several_words_with_en_inside(register: Register) -> None:
    text = "De gemeenten Aa en Hunze, Assen en Tynaarlo werken samen bij de inkoop van jeugdhulp."
    assert lists(text, register) == [[("Aa en Hunze", ""), ("Assen", ""), ("Tynaarlo", "")]]


def test_list_after_namens_with_apostrophe_and_province_marker(register: Register) -> None:
    text = (
        "Het contract wordt getekend namens de gemeenten 's-Hertogenbosch, Bergen (L.) en "
        "Den Helder."
    )
    (members,) = lists(text, register)
    assert [s for s, _ in members] == ["'s-Hertogenbosch", "Bergen (L.)", "Den Helder"]


def test_class_noun_far_before_a_colon_or_copula(register: Register) -> None:
    colon = (
        "De elf gemeenten van de Jeugdregio Zuidwest kopen de jeugdhulp vanaf 2026 opnieuw samen "
        "in: Harlingen, Vlieland en Terschelling."
    )
    copula = (
        "De drie gemeenten in de Jeugdregio Zuidwest en de eilanden zijn Goes, Kapelle en Veere."
    )
    assert [s for s, _ in lists(colon, register)[0]] == ["Harlingen", "Vlieland", "Terschelling"]
    assert [s for s, _ in lists(copula, register)[0]] == ["Goes", "Kapelle", "Veere"]


def test_verb_of_taking_part_right_after_the_list(register: Register) -> None:
    text = "Almelo, Borne en Oldenzaal werken samen bij de inkoop van jeugdhulp."
    assert [s for s, _ in lists(text, register)[0]] == ["Almelo", "Borne", "Oldenzaal"]
    # The verb belongs to the list only right after it.
    later = "In Almelo, Borne en Oldenzaal zijn veel aanbieders die met elkaar werken samen."
    assert lists(later, register) == []


def test_list_in_a_table_cell_and_after_de_volgende_gemeenten(register: Register) -> None:
    cell = "Deelnemende gemeenten | Almelo, Borne en Oldenzaal\nLooptijd | 4 jaar"
    assert [s for s, _ in lists(cell, register)[0]] == ["Almelo", "Borne", "Oldenzaal"]
    bullets = "De inkoop geldt voor de volgende gemeenten:\n\n- Almelo\n- Borne\n- Oldenzaal\n"
    assert [s for s, _ in lists(bullets, register)[0]] == ["Almelo", "Borne", "Oldenzaal"]


def test_places_far_after_a_class_noun_are_no_member_list(register: Register) -> None:
    text = (
        "De gemeenten kopen in bij jeugdhulpaanbieders die vooral vestigingen hebben in "
        "Almelo, Borne en Oldenzaal."
    )
    assert lists(text, register) == []
    assert lists("De gemeente werkt met een aanbieder in Almelo.", register) == []


# --- members for a part only (scheme voorbehouden) ----------------------------------------------


def test_partial_members_in_a_separate_sentence(register: Register) -> None:
    text = (
        "De gemeenten Epe, Heerde en Hattem kopen samen in. Epe en Heerde nemen uitsluitend deel "
        "voor jeugdbescherming en jeugdreclassering; de rest kopen zij elders in. "
        "De eilanden Ameland en Vlieland doen mee met uitzondering van de jeugdbescherming, "
        "die zij zelf regelen."
    )
    found = [(p.mention.surface, p.qualifier) for p in find_partial_members(text, register)]
    assert found == [
        ("Epe", "uitsluitend deel voor jeugdbescherming en jeugdreclassering"),
        ("Heerde", "uitsluitend deel voor jeugdbescherming en jeugdreclassering"),
        ("Ameland", "met uitzondering van de jeugdbescherming"),
        ("Vlieland", "met uitzondering van de jeugdbescherming"),
    ]


def test_a_limiting_word_without_taking_part_is_no_qualifier(register: Register) -> None:
    assert find_partial_members("In Almelo is alleen een kantoor.", register) == []
    assert find_partial_members("Almelo heeft alleen een kantoor, en doet mee.", register) == []
    # The names must open the sentence: here they are where the office is.
    text = "De aanbieder neemt deel met kantoren in Almelo en Borne, uitsluitend voor verblijf."
    assert find_partial_members(text, register) == []


def test_the_build_adds_the_qualifier_to_the_membership(tmp_path: Path) -> None:
    text = (
        "# Inkoop\n\nDe gemeenten Epe, Heerde en Hattem kopen samen in.\n\n"
        "Hattem doet alleen mee voor de jeugdbescherming.\n"
    )
    (tmp_path / "brief.md").write_text(text, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "documents:\n  - file: brief.md\n    title: Brief\n"
        "    type: brief\n    region: Regio Testland\n    date: 2024-05-01\n",
        encoding="utf-8",
    )
    (doc,) = ingest([tmp_path]).documents
    graph, _ = build_graph([doc], Settings(ontology_dir=ROOT / "ontology"))
    notes = {
        str(graph.value(ms, RDFS.label)): {str(n) for n in graph.objects(ms, KB.note)}
        for ms in graph.subjects(RDF.type, ORG.Membership)
    }
    assert notes["Hattem in Regio Testland"] == {"alleen mee voor de jeugdbescherming"}
    assert notes["Epe in Regio Testland"] == set()
    assert validate(graph, ROOT / "ontology").conforms
