"""Linked data on the site: an IRI line and data files per entity page; the DCAT record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCAT

from generator.site.linked_data import catalogue, catalogue_warnings, entity_data
from generator.site.links import data_files, entity_of_page, page_path
from kb.rdf.namespaces import KB, KBI
from kb.settings import Settings

SEGMENT = str(KBI["segment/zuidhoek/verblijf"])
DCAT_SHAPES = Path(__file__).resolve().parents[4] / "ontology" / "dcat-shapes.ttl"


def test_entity_pages_map_back_to_their_iri_and_overviews_to_none() -> None:
    assert entity_of_page(page_path(SEGMENT)) == SEGMENT
    assert entity_of_page("generated/segmenten/index.md") is None
    assert entity_of_page("generated/vergelijking.md") is None
    assert entity_of_page("generated/plannen/plan-zuidhoek.md") is None


def test_entity_page_shows_its_iri_and_links_its_data(tiny: Graph) -> None:
    from generator.site.pages import render_pages
    from kb.views.site import load_site_data

    pages, _ = render_pages(load_site_data(tiny))
    page = pages[page_path(SEGMENT)]
    assert f"IRI: `{SEGMENT}`" in page
    assert "[Turtle](verblijf.ttl)" in page and "[JSON-LD](verblijf.jsonld)" in page
    assert "IRI:" not in pages["generated/segmenten/index.md"]


def test_entity_data_is_its_description_with_labels_of_what_it_links(tiny: Graph) -> None:
    files = entity_data(tiny, [page_path(SEGMENT), "generated/segmenten/index.md"])
    paths = data_files(page_path(SEGMENT))
    assert set(files) == set(paths.values())
    turtle = Graph().parse(data=files[paths[".ttl"]], format="turtle")
    json.loads(files[paths[".jsonld"]])
    as_jsonld = Graph().parse(data=files[paths[".jsonld"]], format="json-ld")
    assert len(as_jsonld) == len(turtle)
    seg = URIRef(SEGMENT)
    assert (seg, RDF.type, KB.Segment) in turtle
    assert set(turtle.predicate_objects(seg)) == set(tiny.predicate_objects(seg))
    region = next(tiny.objects(seg, KB.ofRegion))
    assert set(turtle.objects(region, RDFS.label)) == set(tiny.objects(region, RDFS.label))
    assert (region, RDF.type, None) not in turtle  # a linked resource's label, not its triples


def test_unchanged_descriptions_reuse_the_previous_files(tiny: Graph, tmp_path: Path) -> None:
    """An entity whose description is unchanged gets its files from the previous release;
    one whose description changed is serialized again."""
    from generator.site.linked_data import PreviousEntityData, entity_data_reusing

    other = next(iri for iri in tiny.subjects(RDF.type, KB.Segment) if str(iri) != SEGMENT)
    pages = [page_path(SEGMENT), page_path(str(other))]
    first, keys = entity_data_reusing(tiny, pages, None)
    assert all(isinstance(v, bytes) for v in first.values())
    assert first == entity_data(tiny, pages)
    for rel, data in first.items():  # the previous release's files
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)  # type: ignore[arg-type]
    previous = PreviousEntityData(keys, lambda rel: tmp_path / rel)

    changed = Graph()
    for triple in tiny:
        changed.add(triple)
    changed.add((other, RDFS.comment, Literal("Nieuw in deze versie")))
    second, new_keys = entity_data_reusing(changed, pages, previous)
    same = data_files(page_path(SEGMENT)).values()
    assert all(second[rel] == tmp_path / rel for rel in same)
    moved = data_files(page_path(str(other))).values()
    assert all(isinstance(second[rel], bytes) for rel in moved)
    assert b"Nieuw in deze versie" in second[data_files(page_path(str(other)))[".ttl"]]  # type: ignore[operator]
    assert new_keys[page_path(SEGMENT)] == keys[page_path(SEGMENT)]
    assert new_keys[page_path(str(other))] != keys[page_path(str(other))]


def _validate(record: Graph) -> tuple[bool, str]:
    from pyshacl import validate

    conforms, _, text = validate(record, shacl_graph=Graph().parse(DCAT_SHAPES), inference="none")
    return bool(conforms), str(text)


def test_dcat_record_validates_against_its_shapes(tiny: Graph) -> None:
    settings = Settings(
        publisher="https://identifier.overheid.nl/tooi/id/gemeente/gm0546",
        contact_email="inkoop@example.org",
    )
    record = catalogue(tiny, settings)
    conforms, text = _validate(record)
    assert conforms, text
    assert catalogue_warnings(settings) == []
    assert set(record.subjects(RDF.type, DCAT.DataService))
    assert len(set(record.subjects(RDF.type, DCAT.Distribution))) == 2


@pytest.mark.parametrize(
    ("settings", "fault"),
    [
        (Settings(contact_email="a@example.org"), "publisher"),
        (Settings(publisher="https://example.org/wie", contact_email="a@b.nl"), "TOOI"),
        (Settings(publisher="https://identifier.overheid.nl/tooi/id/gemeente/gm0546"), "contact"),
    ],
)
def test_dcat_record_without_publisher_or_contact_fails_and_is_warned(
    tiny: Graph, settings: Settings, fault: str
) -> None:
    conforms, text = _validate(catalogue(tiny, settings))
    assert not conforms
    assert fault.lower() in text.lower()
    if fault != "TOOI":
        assert any(fault in w for w in catalogue_warnings(settings))


def test_json_ld_is_written_in_one_order_whatever_the_graphs_order() -> None:
    """The same triples added in another order give the same file (and the same data)."""
    import json

    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDFS, SKOS

    from generator.site.linked_data import serialize

    triples = [
        (URIRef(f"https://example.org/{n}"), prop, Literal(f"{label} {n}", lang=lang))
        for n in range(5)
        for prop, label, lang in ((RDFS.label, "naam", "nl"), (SKOS.prefLabel, "name", "en"))
    ]
    files = []
    for order in (triples, triples[::-1], triples[1::2] + triples[::2]):
        graph = Graph()
        for triple in order:
            graph.add(triple)
        files.append(serialize(graph, "json-ld"))
    assert files[0] == files[1] == files[2]
    parsed = Graph().parse(data=files[0], format="json-ld")
    assert set(parsed) == set(triples)
    assert [node["@id"] for node in json.loads(files[0])] == sorted(
        f"https://example.org/{n}" for n in range(5)
    )
