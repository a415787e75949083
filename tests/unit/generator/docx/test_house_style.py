"""``--template`` keeps a municipality's house style: page size, logo in the header, address in
the footer, its styles; the documents only add content. The bundled template is A4."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from rdflib import Graph

from kb.resources import word_template

ADDRESS = "Gemeente Oostrand · Raadhuisplein 1 · 1234 AB Oostrand"


def _logo_png() -> bytes:
    """A tiny red PNG made here (no file in the repository)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig = plt.figure(figsize=(0.4, 0.4), dpi=50, facecolor="#c00000")
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


@pytest.fixture(scope="module")
def house_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A municipality's template: the bundled styles, other margins, a logo and an address."""
    document = Document(str(word_template()))
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2.2)
    header = section.header
    header.is_linked_to_previous = False
    header.paragraphs[0].add_run().add_picture(io.BytesIO(_logo_png()), width=Cm(1.5))
    footer = section.footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].text = ADDRESS
    path = tmp_path_factory.mktemp("template") / "gemeente.docx"
    document.save(str(path))
    return path


@pytest.fixture(scope="module")
def on_template(
    cut_graph: Graph,
    house_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    write_documents,  # type: ignore[no-untyped-def]
) -> dict[str, Path]:
    return write_documents(cut_graph, tmp_path_factory.mktemp("house"), template=house_template)


@pytest.mark.parametrize("kind", ["chapter", "plan", "raadsvoorstel"])
def test_logo_and_footer_survive(on_template: dict[str, Path], kind: str) -> None:
    document = Document(str(on_template[kind]))
    section = document.sections[0]
    header = section.header._element  # noqa: SLF001
    assert header.xpath(".//w:drawing"), "the logo is gone"
    footer_text = "".join(section.footer._element.itertext())  # noqa: SLF001
    assert ADDRESS in footer_text
    instructions = "".join(t.text or "" for t in section.footer._element.iter(qn("w:instrText")))  # noqa: SLF001
    assert "PAGE" not in instructions and "Pagina" not in footer_text
    # The template's page and margins are kept, and its logo is on the title page as well.
    assert round(section.left_margin.cm, 1) == 2.2
    assert not section.different_first_page_header_footer


def test_bundled_template_is_a4() -> None:
    section = Document(str(word_template())).sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
