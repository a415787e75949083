"""The vocabulary browser: merged concepts, the A–Z index, backlinks, tooltips and downloads.

Invented concepts and passages (no corpus): what a reader sees of the glossary.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from rdflib import Graph

from generator.site.pages import download_facts, file_size, glossary_index
from kb.rdf.namespaces import KBI, SCHEME_GLOSSARY
from kb.views.documents import Passage
from kb.views.glossary import (
    SCHEME_ABBREVIATIONS,
    Concept,
    concept_usage,
    merge_concepts,
    repeats_term,
)

GLOSSARY = str(SCHEME_GLOSSARY)
ABBREVIATIONS = str(SCHEME_ABBREVIATIONS)
DOC = str(KBI["document/plan"])


def _concept(slug: str, label: str, scheme: str, definition: str | None = None, **kw: object):
    return Concept(
        iri=str(KBI[f"concept/{slug}"]),
        label=label,
        scheme=scheme,
        definition=definition,
        **kw,  # type: ignore[arg-type]
    )


@pytest.fixture
def concepts() -> dict[str, Concept]:
    items = [
        _concept(
            "afkortingen/gi",
            "Gecertificeerde Instelling",
            ABBREVIATIONS,
            "Instelling die jeugdbescherming uitvoert.",
            alt_labels=["GI"],
            notation="GI",
        ),
        _concept(
            "begrippenkader/gecertificeerde-instellingen",
            "Gecertificeerde instellingen",
            GLOSSARY,
            "Rechtspersoon met een certificaat als bedoeld in de Jeugdwet.",
            source_document=DOC,
            passage=str(KBI["passage/plan/def1"]),
        ),
        _concept(
            "afkortingen/wlz",
            "Wet langdurige zorg",
            ABBREVIATIONS,
            "Wet voor blijvend intensieve zorg.",
            alt_labels=["Wlz"],
            notation="Wlz",
        ),
        _concept(
            "begrippenkader/wlz",
            "Wet Langdurige Zorg",
            GLOSSARY,
            "Wet Langdurige Zorg.",  # only repeats the term
            alt_labels=["WLZ"],
            source_document=DOC,
            passage=str(KBI["passage/plan/def2"]),
        ),
        _concept(
            "begrippenkader/ciz",
            "Centrum Indicatiestelling Zorg",
            GLOSSARY,
            "Centrum Indicatiestelling Zorg",
            alt_labels=["CIZ"],
            source_document=DOC,
        ),
        _concept("begrippenkader/crisis", "Crisis", GLOSSARY, "Een situatie die ingrijpen vraagt."),
        _concept("begrippenkader/1g1p", "1 gezin 1 plan", GLOSSARY, "Eén plan per gezin."),
    ]
    return {c.iri: c for c in items}


def test_an_abbreviation_and_its_concept_are_one_entry(concepts: dict[str, Concept]) -> None:
    entries = {e.label: e for e in merge_concepts(concepts)}
    gi = entries["Gecertificeerde instellingen"]
    # The concept a document defines leads (its passage is the source); the abbreviation is
    # its notation and altLabel; the plural and singular spellings are one term.
    assert gi.iri.endswith("begrippenkader/gecertificeerde-instellingen")
    assert [m.iri.rsplit("/", 1)[-1] for m in gi.members] == ["gecertificeerde-instellingen", "gi"]
    assert gi.notation == "GI" and gi.alt_labels == ["GI"]
    assert gi.definition == "Rechtspersoon met een certificaat als bedoeld in de Jeugdwet."
    assert gi.passage == str(KBI["passage/plan/def1"])
    assert "Gecertificeerde Instelling" not in entries
    assert len(entries) == 5


def test_case_variants_merge_and_a_definition_repeating_the_term_is_dropped(
    concepts: dict[str, Concept],
) -> None:
    entries = {e.label: e for e in merge_concepts(concepts)}
    wlz = entries["Wet Langdurige Zorg"]
    # WLZ and Wlz once: the curated spelling of the abbreviation list wins.
    assert wlz.alt_labels == ["Wlz"]
    # The document only repeats the term, so the curated definition is the one shown.
    assert wlz.definition == "Wet voor blijvend intensieve zorg."
    assert wlz.definition_from == str(KBI["concept/afkortingen/wlz"])
    ciz = entries["Centrum Indicatiestelling Zorg"]
    assert ciz.definition is None and ciz.alt_labels == ["CIZ"]
    assert repeats_term("Wet Langdurige Zorg.", ["Wet langdurige zorg"])
    assert not repeats_term("Wet voor blijvend intensieve zorg.", ["Wet langdurige zorg"])


def test_backlinks_find_whole_words_and_abbreviations_by_case(
    concepts: dict[str, Concept],
) -> None:
    entries = merge_concepts(concepts)
    texts = {
        "def1": "Gecertificeerde instellingen: rechtspersoon met een certificaat.",
        "a": "De GI voert de maatregel uit.",
        "b": "Een gi is geen afkorting hier; crisissituatie is geen crisis-woord... wel Crisis.",
        "c": "De crisissituatie vraagt snel handelen.",
        "d": "Gecertificeerde Instelling en wlz in kleine letters.",
    }
    passages = {
        str(KBI[f"passage/plan/{k}"]): Passage(str(KBI[f"passage/plan/{k}"]), DOC, None, i, t)
        for i, (k, t) in enumerate(texts.items())
    }
    usage = concept_usage(entries, passages)
    by_label = {e.label: [p.rsplit("/", 1)[-1] for p in usage[e.iri]] for e in entries}
    # Its own definition is not a use; "GI" only in capitals; the singular label counts.
    assert by_label["Gecertificeerde instellingen"] == ["a", "d"]
    # "crisis" inside "crisissituatie" is not the term; "Crisis" and "crisis-" are.
    assert by_label["Crisis"] == ["b"]
    assert by_label["Wet Langdurige Zorg"] == []


def test_a_to_z_index_lists_entries_and_refers_abbreviations(
    concepts: dict[str, Concept],
) -> None:
    from types import SimpleNamespace

    data = SimpleNamespace(glossary=merge_concepts(concepts))
    index = glossary_index(data)  # type: ignore[arg-type]
    letters = [letter for letter, _, _ in index]
    assert letters == sorted(letters[:-1]) + ["0–9"]
    assert index[-1][1] == "0-9"
    items = {i["term"]: i for _, _, group in index for i in group}
    assert items["GI"]["see"] == "Gecertificeerde instellingen"
    assert items["GI"]["iri"] == items["Gecertificeerde instellingen"]["iri"]
    assert items["Gecertificeerde instellingen"]["see"] == ""
    assert items["Gecertificeerde instellingen"]["source"] == DOC
    g = next(group for letter, _, group in index if letter == "G")
    assert [i["term"] for i in g] == ["Gecertificeerde instellingen", "GI"]


def _render(text: str) -> str:
    definitions = "\n\n*[Crisis]: Een situatie die ingrijpen vraagt.\n\n*[GI]: Instelling."
    return markdown.markdown(
        text + definitions,
        extensions=["abbr", "tables", "toc", "generator.site.tooltips"],
    )


def test_tooltips_never_in_headings_links_or_table_headers() -> None:
    html = _render(
        "# Crisis\n\n## De GI\n\nZie [Crisis](crisis.md) en [de GI](gi.md).\n\n"
        "| Crisis | GI |\n| --- | --- |\n| x | y |\n"
    )
    assert "<abbr" not in html
    assert re.search(r"<h1[^>]*>Crisis", html) and ">Crisis</a>" in html


def test_tooltips_only_on_the_first_occurrence_per_section_and_focusable() -> None:
    html = _render(
        "## Een\n\nCrisis en Crisis, de GI en GI.\n\n- nog een Crisis\n\n"
        "## Twee\n\n| Kolom |\n| --- |\n| Crisis |\n\nCrisis.\n"
    )
    one, two = html.split("<h2", 2)[1:]
    assert one.count("<abbr") == 2  # Crisis and GI once each
    assert two.count("<abbr") == 1  # again once in the next section (here in a table cell)
    assert re.search(r"<td><abbr[^>]*>Crisis</abbr></td>", two)
    assert all('tabindex="0"' in tag for tag in re.findall(r"<abbr[^>]*>", html))
    # Text around removed tooltips stays in place.
    assert "Crisis</abbr> en Crisis, de <abbr" in one and "</abbr> en GI.</p>" in one


def test_file_sizes_in_dutch() -> None:
    assert file_size(830) == "830 bytes"
    assert file_size(48_200) == "48 kB"
    assert file_size(1_250_000) == "1,2 MB"


def test_download_entries_are_dutch_with_size_and_date(tmp_path: Path) -> None:
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "hoofdstuk-wonen.docx").write_bytes(b"x" * 38_400)
    doc = {"title": "Wonen", "file": "plan/hoofdstuk-wonen.docx", "description": "chapter"}
    facts = download_facts(doc, tmp_path)
    assert facts["kind_label"] == "hoofdstuk van een inkoopplan"
    assert facts["size_label"] == "38 kB"
    assert re.fullmatch(r"\d{1,2} [a-z]+ \d{4}", facts["made"])
    missing = download_facts({**doc, "file": "weg.docx", "description": "plan"}, tmp_path)
    assert missing == {"kind_label": "inkoopplan", "size_label": "—", "made": ""}


def test_a_block_can_opt_out_of_tooltips() -> None:
    html = markdown.markdown(
        '<div class="kb-no-tooltip" markdown>\n\n- Crisis\n\n</div>\n\nCrisis.\n\n'
        "*[Crisis]: Een situatie.",
        extensions=["abbr", "md_in_html", "generator.site.tooltips"],
    )
    assert html.count("<abbr") == 1 and re.search(r"<p><abbr[^>]*>Crisis</abbr>\.</p>", html)


def test_rendered_glossary_pages_from_a_tiny_graph(tiny) -> None:  # type: ignore[no-untyped-def]
    """On the tiny knowledge base: every index entry is its own list item, every entry has a
    page with "Gebruikt in", and the home page's figures and the quality page are rendered."""
    from generator.site.pages import render_pages
    from kb.views.site import load_site_data

    data = load_site_data(tiny)
    pages = render_pages(data, build_warnings=["Begrotingstotaal X 2021: vermeld € 1"])[0]
    index = pages["generated/begrippen/index.md"]
    items = [line for line in index.splitlines() if line.startswith("- ")]
    assert len(items) == sum(1 + len(e.alt_labels) for e in data.glossary)
    assert all(line.count("- [") + line.count(" → ") <= 2 for line in items)
    for entry in data.glossary:
        page = pages[f"generated/begrippen/{entry.iri.split('/concept/', 1)[1]}.md"]
        assert "## Gebruikt in" in page and 'class="kb-no-tooltip"' in page
    quality = pages["generated/kwaliteit.md"]
    assert "Begrotingstotaal X 2021" in quality
    start = pages["generated/.start.md"]
    for region in data.regions.values():
        assert region.label in start


def test_broader_narrower_and_related_between_entries(concepts: dict[str, Concept]) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import SKOS

    graph = Graph()
    gi_abbreviation = URIRef(str(KBI["concept/afkortingen/gi"]))
    crisis = URIRef(str(KBI["concept/begrippenkader/crisis"]))
    wlz = URIRef(str(KBI["concept/begrippenkader/wlz"]))
    # Stated on a merged-away member: it counts for the entry; each direction read both ways.
    graph.add((gi_abbreviation, SKOS.broader, wlz))
    graph.add((crisis, SKOS.related, wlz))
    graph.add((crisis, SKOS.related, URIRef(str(KBI["concept/elders/onbekend"]))))
    entries = {e.label: e for e in merge_concepts(concepts, graph)}
    gi, wet = entries["Gecertificeerde instellingen"], entries["Wet Langdurige Zorg"]
    assert gi.broader == [wet.iri] and wet.narrower == [gi.iri]
    assert entries["Crisis"].related == [wet.iri] and wet.related == [entries["Crisis"].iri]
    assert not gi.narrower and not gi.related


def test_many_proposed_facts_are_listed_per_document_on_the_quality_page(
    tiny: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the row limit the quality page counts proposed facts per document and links to the
    document page's own list (which shows each fact with its quote); the link's anchor exists."""
    from generator.site import pages as pages_module
    from generator.site.pages import render_pages
    from kb.views.facts import STATUS_PROPOSED, ProseFact
    from kb.views.site import load_site_data

    data = load_site_data(tiny)
    passages = sorted(data.passages.values(), key=lambda p: (p.document, p.ordinal))[:3]
    data.prose_facts = [
        ProseFact(
            iri=f"https://w3id.org/jeugdhulp-kb/id/proposed/t{n}",
            kind="ContractDuration",
            kind_label="Contractduur",
            value=f"{n + 2} jaar",
            normalised=f"P{n + 2}Y",
            quote=f"Het contract loopt {n + 2} jaar (citaat {n})",
            passage=p.iri,
            document=p.document,
            document_title=data.documents[p.document].title,
            file_name="",
            region=None,
            status=STATUS_PROPOSED,
            method="patroon",
            rule="duur",
        )
        for n, p in enumerate(passages)
    ]
    detailed = render_pages(data)[0]["generated/kwaliteit.md"]
    assert all(f.quote in detailed for f in data.prose_facts)
    monkeypatch.setattr(pages_module, "QUALITY_FACT_ROWS_MAX", len(data.prose_facts) - 1)
    pages = render_pages(data)[0]
    quality = pages["generated/kwaliteit.md"]
    rows = re.findall(r"^\| \[(.+?)\]\((.+?)\) \| (\d+) \|$", quality, flags=re.M)
    assert sum(int(n) for _t, _l, n in rows) == len(data.prose_facts) >= 2
    assert len(rows) == len({f.document for f in data.prose_facts})
    assert not any(f.quote in quality for f in data.prose_facts)
    for _title, link, _n in rows:
        page, anchor = link.split("#")
        source = pages[str(Path("generated") / page)]
        html = markdown.markdown(source, extensions=["toc", "tables", "attr_list"])
        assert f'id="{anchor}"' in html
        assert any(f.quote in source for f in data.prose_facts)  # the facts are on that page
