"""Make the reference Word template (house style) reproducibly.

Run ``python -m generator.docx.make_template`` to write
``generator/docx/templates/huisstijl.docx``. The template carries the styles every generated
document uses: headings, lists, table style, caption, header and footer, the document language
nl-NL. A municipality passes its own template with ``--template``; it must define
:data:`generator.docx.word.REQUIRED_STYLES`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

from generator.docx.word import set_language, set_properties
from kb.resources import word_template

#: The packaged template (in a checkout or editable install: the source file).
TEMPLATE = word_template()
#: Dark blue as used in Dutch government house styles; readable on white (contrast > 7:1).
ACCENT = RGBColor(0x15, 0x42, 0x73)
FONT = "Calibri"


def make_template(path: Path = TEMPLATE) -> Path:
    """Write the template to ``path`` (same content every run) and return the path."""
    document = Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in ((1, 18), (2, 14), (3, 12)):
        heading = styles[f"Heading {level}"]
        heading.font.name = FONT
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        heading.paragraph_format.space_after = Pt(6)
        heading.paragraph_format.keep_with_next = True
    title = styles["Title"]
    title.font.name = FONT
    title.font.size = Pt(28)
    title.font.color.rgb = ACCENT
    styles["Subtitle"].font.name = FONT
    caption = styles["Caption"]
    caption.font.name = FONT
    caption.font.size = Pt(9)
    caption.font.italic = True
    caption.font.color.rgb = ACCENT
    toc = styles["TOC Heading"]
    toc.font.name = FONT
    toc.font.color.rgb = ACCENT
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)
        styles[name].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if "Bron" not in [s.name for s in styles]:
        source = styles.add_style("Bron", WD_STYLE_TYPE.PARAGRAPH)
        source.base_style = styles["Normal"]
        source.font.size = Pt(8.5)
        source.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if "Invulveld" not in [s.name for s in styles]:
        # Placeholders for the author: visibly marked, never mistaken for generated text.
        placeholder = styles.add_style("Invulveld", WD_STYLE_TYPE.PARAGRAPH)
        placeholder.base_style = styles["Normal"]
        placeholder.font.italic = True
        placeholder.font.color.rgb = RGBColor(0xA0, 0x1E, 0x1E)
    set_language(document)
    set_properties(
        document,
        title="Huisstijl kennisbank jeugdhulp",
        subject="Sjabloon",
        author="Kennisbank jeugdhulp inkoop",
        fixed_time=dt.datetime(2026, 1, 1),
    )
    # The template carries styles only: drop the default empty paragraph.
    body = document.element.body
    for p in list(body.iterchildren()):
        if p.tag.endswith("}p"):
            body.remove(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(make_template(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
