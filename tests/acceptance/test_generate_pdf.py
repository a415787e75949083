"""The generated documents convert to PDF with LibreOffice (as a municipality's tools would):
A4 pages, and no line of the text ends in a truncation "…"."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from system_tools import soffice

#: A4 in points (PDF user space units): 210 × 297 mm.
A4_POINTS = (595.3, 841.9)
#: One document of each type: a chapter, the whole plan, a segment's and the plan's raadsvoorstel.
KINDS = ("hoofdstuk-wonen", "inkoopplan", "raadsvoorstel-wonen", "raadsvoorstel-inkoopplan")
#: The plan of the bundled corpus fills about 80 A4 pages in LibreOffice (81 measured with
#: fonts-dejavu-core: 7 chapters, the
#: financial tables and the glossary); the range allows for font differences between machines.
PLAN_PAGES = range(60, 200)


def test_plan_converts_to_pdf(build_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    program = soffice()
    release = build_corpus("documents").current_dir
    # The Holland Rijnland plan: the default plan, the one the index names.
    index = json.loads((release / "documents" / "index.json").read_text(encoding="utf-8"))
    folder = next(p["folder"] for p in index["plans"] if p["default"])
    source = release / "documents" / folder / "inkoopplan.docx"
    # A private profile, so a running LibreOffice or a stale lock cannot block the conversion.
    profile = (tmp_path / "profile").as_uri()
    result = subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / "inkoopplan.pdf"
    assert result.returncode == 0 and pdf.is_file(), (result.stdout, result.stderr)
    reader = PdfReader(str(pdf))
    assert len(reader.pages) in PLAN_PAGES, len(reader.pages)
    first = reader.pages[0].extract_text()
    assert "Inkoopplan jeugdhulp Leidse regio" in first
    text = "".join(page.extract_text() for page in reader.pages[-40:])
    assert "Begrippenkader" in text and "Bronnen" in text


def _convert(program: str, sources: list[Path], outdir: Path) -> None:
    """All ``sources`` to PDF in one LibreOffice run (a private profile: no lock conflicts)."""
    profile = (outdir / "profile").as_uri()
    result = subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, sources),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, (result.stdout, result.stderr)


def test_every_document_type_is_a4_and_nothing_is_cut(build_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    program = soffice()
    release = build_corpus("documents").current_dir
    index = json.loads((release / "documents" / "index.json").read_text(encoding="utf-8"))
    folder = release / "documents" / next(p["folder"] for p in index["plans"] if p["default"])
    _convert(program, [folder / f"{kind}.docx" for kind in KINDS], tmp_path)
    for kind in KINDS:
        reader = PdfReader(str(tmp_path / f"{kind}.pdf"))
        for number, page in enumerate(reader.pages, start=1):
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert all(abs(a - b) < 1 for a, b in zip(size, A4_POINTS, strict=True)), (
                kind,
                number,
                size,
            )
            cut = [
                line
                for line in page.extract_text().splitlines()
                if line.rstrip().endswith(("…", "..."))
            ]
            assert not cut, (kind, number, cut)


def test_house_style_template_keeps_logo_and_footer(build_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A municipality's template with a logo in the header and its address in the footer: the
    PDF of a generated chapter shows both on every page, and no page number over the footer."""
    import io

    from docx import Document
    from docx.shared import Cm
    from PIL import Image
    from pypdf import PdfReader

    from generator.docx.chapter import write_chapter
    from kb.rdf.store import load_graph
    from kb.resources import word_template

    program = soffice()
    address = "Gemeente Oostrand, Raadhuisplein 1, 1234 AB Oostrand"
    logo = io.BytesIO()
    Image.new("RGB", (120, 60), (192, 0, 0)).save(logo, format="PNG")
    template = Document(str(word_template()))
    section = template.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].add_run().add_picture(logo, width=Cm(3))
    section.footer.is_linked_to_previous = False
    section.footer.paragraphs[0].text = address
    template.save(str(tmp_path / "gemeente.docx"))
    graph = load_graph(build_corpus("documents").current_dir)
    chapter = write_chapter(
        graph, "wonen", tmp_path / "hoofdstuk-wonen.docx", template=tmp_path / "gemeente.docx"
    )
    _convert(program, [chapter], tmp_path)
    reader = PdfReader(str(tmp_path / "hoofdstuk-wonen.pdf"))
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert address in text and "Pagina" not in text, (number, text[-300:])
        assert page.images, f"page {number} lost the logo"


#: Pages of the whole-plan raadsvoorstel before its concept-raadsbesluit (issue 12: at most six).
RAADSVOORSTEL_PAGES = 6


def _pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    # pypdf keeps the no-break space of "€ 1.000"; compare with plain spaces.
    return [page.extract_text().replace("\u00a0", " ") for page in PdfReader(str(pdf)).pages]


def test_raadsvoorstel_fits_six_pages_and_shows_leiden(build_corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The whole-plan raadsvoorstel of the build and the same with ``--gemeente Leiden``: at most
    six pages before the concept-raadsbesluit, which names the Jeugdwet; Leiden's lines and
    totals, equal to the sums of the graph's budget lines, beside the region's."""
    from decimal import Decimal

    from generator.docx.raadsvoorstel import BESLUIT_TITLE, write_raadsvoorstel
    from generator.format import euro
    from kb.rdf.store import load_graph
    from kb.views.plans import load_plan
    from kb.views.query import rows

    program = soffice()
    settings = build_corpus("documents")
    release = settings.current_dir
    index = json.loads((release / "documents" / "index.json").read_text(encoding="utf-8"))
    default = next(p for p in index["plans"] if p["default"])
    built = release / "documents" / default["folder"] / "raadsvoorstel-inkoopplan.docx"
    graph = load_graph(release)
    leiden = write_raadsvoorstel(
        graph, tmp_path / "raadsvoorstel-leiden.docx", settings=settings, gemeente="Leiden"
    )
    _convert(program, [built, leiden], tmp_path)
    for name in ("raadsvoorstel-inkoopplan", "raadsvoorstel-leiden"):
        pages = _pages(tmp_path / f"{name}.pdf")
        at = next(n for n, text in enumerate(pages) if BESLUIT_TITLE in text)
        assert 0 < at <= RAADSVOORSTEL_PAGES, (name, at, len(pages))
        besluit = "".join(pages[at:])
        assert "gelet op" in besluit and "Jeugdwet" in besluit and "besluit:" in besluit
    text = "\n".join(_pages(tmp_path / "raadsvoorstel-leiden.pdf"))
    assert "De raad van de gemeente Leiden;" in text
    # The plan's financial caveats (extracted from its sentences) and the 2018 memo's dated risks.
    for kind in ("Efficiencykorting: ", "Indexatie: ", "Risicoverevening: "):
        assert kind in text, kind
    assert "(memo van " in text
    plan = load_plan(graph, settings.default_plan or None).iri
    found = rows(
        graph,
        f"""SELECT ?product ?year ?value WHERE {{
          ?b a kb:BudgetLine ; kb:municipality ?m ; kb:product ?product ; kb:year ?year ;
             schema:value ?value ; kb:inDocument <{plan}> . ?m rdfs:label ?label .
          FILTER(STR(?label) = "Leiden") }}""",
    )
    assert found, "the graph has Leiden's budget lines"
    years = sorted({int(r["year"]) for r in found})
    for product in {str(r["product"]) for r in found}:
        assert product.split()[0] in text, product
    sums = [sum((Decimal(str(r["value"])) for r in found if int(r["year"]) == y), Decimal(0))
            for y in years]  # fmt: skip
    expected = "Totaal Leiden " + " ".join(euro(s) for s in sums).replace("\u00a0", " ")
    assert expected in text, expected


def _flat(text: str) -> str:
    """PDF text with line breaks and hyphenation spaces collapsed, for substring checks."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def cli_pdfs(graph_build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """``kb generate plan|chapter … --pdf`` on the bundled corpus: the PDFs by kind."""
    from typer.testing import CliRunner

    from kb.cli.main import app

    soffice()
    folder = tmp_path_factory.mktemp("cli-pdf")
    build = str(graph_build.build_dir)
    runner = CliRunner()
    out = {}
    for kind, args in (("plan", ["plan"]), ("chapter", ["chapter", "-s", "wonen"])):
        docx = folder / f"{kind}.docx"
        # A lock file left by a LibreOffice that was killed while it had the file open: the
        # conversion must not wait on LibreOffice's "document in use" dialog.
        (folder / f".~lock.{docx.name}#").write_text("kb,test,host,01.01.2026 00:00,;\n")
        result = runner.invoke(app, ["generate", *args, "-b", build, "-o", str(docx), "--pdf"])
        assert result.exit_code == 0, result.output
        assert str(docx.with_suffix(".pdf")) in result.output
        out[kind] = docx.with_suffix(".pdf")
    return out


def _toc(pages: list[str]) -> dict[str, int]:
    """Level-1 entries of the plan's table of contents: title → page number as printed."""
    import re

    toc = "\n".join(p for p in pages[1:10] if "Inhoudsopgave" in p or re.search(r"\.{5,}", p))
    assert "Veld bijwerken" not in toc, "the TOC still shows the field's placeholder"
    return {t.strip(): int(n) for t, n in re.findall(r"^\d+ (.+?)\s*\.{3,}\s*(\d+)\s*$", toc, re.M)}


def _plan(graph_build):  # type: ignore[no-untyped-def]
    from kb.rdf.store import load_graph
    from kb.views.plans import load_plan

    return load_plan(load_graph(graph_build.current_dir), graph_build.default_plan)


def test_cli_pdf_has_a_filled_toc(graph_build, cli_pdfs: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    """The plan's PDF has its table of contents updated: every chapter heading with a page
    number after the contents, not the field's placeholder."""
    from pypdf import PdfReader

    from generator.docx.plan import plan_headings

    pages = [page.extract_text() for page in PdfReader(str(cli_pdfs["plan"])).pages]
    entries = _toc(pages)
    numbers = []
    for heading in plan_headings(_plan(graph_build)):
        found = [n for title, n in entries.items() if heading.startswith(title)]
        assert found, (heading, sorted(entries))
        numbers.append(found[0])
    assert numbers == sorted(numbers) and numbers[0] > 2, numbers


def test_cli_pdf_toc_page_numbers_match_the_headings(
    graph_build, cli_pdfs: dict[str, Path]
) -> None:  # type: ignore[no-untyped-def]
    import re

    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(str(cli_pdfs["plan"])).pages]
    entries = _toc(pages)
    for title, number in entries.items():
        assert number <= len(pages), (title, number, len(pages))
        assert re.search(r"^\d+ " + re.escape(title[:30]), pages[number - 1], re.M), (title, number)


def test_cli_pdf_shows_footnotes_on_the_page_of_their_fact(  # type: ignore[no-untyped-def]
    graph_build, cli_pdfs: dict[str, Path]
) -> None:
    """Each sourced bullet's footnote (section and quote) is at the foot of the bullet's page."""
    from pypdf import PdfReader

    from generator.docx.chapter import segment_heading

    segment = _plan(graph_build).segment("wonen")
    chapter = [_flat(p.extract_text()) for p in PdfReader(str(cli_pdfs["chapter"])).pages]
    assert segment_heading(segment) in chapter[0]
    checked = 0
    for rubric in segment.rubrics:
        for item in rubric.items[:1]:
            source = item.sources[0] if item.sources else None
            if source is None or not source.quote or rubric.key == "hasMilestone":
                continue
            start = _flat(item.text)[:40]
            page = next(p for p in chapter if start in p)
            assert source.section in page, (rubric.heading, source.section)
            assert _flat(source.quote)[:30] in page, (rubric.heading, source.quote[:30])
            checked += 1
    assert checked >= 5
