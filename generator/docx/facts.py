"""Facts read from prose in Word: each as a paragraph with its value, a marked run "voorgesteld,
nog niet gecontroleerd" when no steward confirmed it yet, and its quote and source document (in a
footnote when the caller numbers sources in footnotes, else in the paragraph)."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.text.paragraph import Paragraph

from generator.docx.sources import Citations
from generator.docx.word import add_styled
from kb.views.documents import Source
from kb.views.facts import PROPOSED_MARK, ProseFact

HEADING = "Feiten uit de lopende tekst"
INTRO = (
    "Waarden die een patroon in de lopende tekst van de bronnen vond, elk met het citaat "
    "waaruit ze komen. Wat als '" + PROPOSED_MARK + "' is gemarkeerd, heeft een beheerder nog "
    "niet bevestigd."
)


def add_proposed_mark(paragraph: Paragraph) -> None:
    """Append the marker run of a proposed fact (italic, highlighted) to ``paragraph``."""
    run = paragraph.add_run(f" ({PROPOSED_MARK})")
    run.italic = True
    run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def fact_source(fact: ProseFact) -> Source:
    """The source of a prose fact as a footnote cites it: document, passage and quote."""
    return Source(fact.document_title, "", fact.document, fact.passage, quote=fact.quote)


def render_prose_facts(
    document: DocxDocument,
    facts: Sequence[ProseFact],
    *,
    level: int = 2,
    citations: Citations | None = None,
) -> list[Paragraph]:
    """A heading, a short explanation and one paragraph per fact (none when there are none).

    With ``citations`` the quote and document go into a footnote of the paragraph.
    """
    if not facts:
        return []
    document.add_heading(HEADING, level)
    document.add_paragraph(INTRO)
    out = []
    for fact in facts:
        paragraph = add_styled(document, "", "List Bullet")
        paragraph.add_run(f"{fact.kind_label}: ").bold = True
        paragraph.add_run(fact.value or fact.normalised)
        if fact.proposed:
            add_proposed_mark(paragraph)
        if citations is not None:
            citations.cite(paragraph, [fact_source(fact)])
        else:
            paragraph.add_run(f" — “{fact.quote}” ({fact.document_title})")
        out.append(paragraph)
    return out
