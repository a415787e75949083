"""Make the reference Word template (house style) reproducibly.

Run ``python -m generator.docx.make_template`` to write
``generator/docx/templates/huisstijl.docx``. The template carries the styles every generated
document uses: headings, lists, table style, caption, header and footer, footnotes, the
document language nl-NL. A municipality passes its own template with ``--template``; it must define
:data:`generator.docx.word.REQUIRED_STYLES`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from generator.docx.footnotes import ensure_styles
from generator.docx.word import (
    clean_properties,
    docx_bytes,
    set_a4,
    set_language,
    set_properties,
)
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
    # Footnotes (the sources of every fact): Word's built-in "footnote text" and "footnote
    # reference" styles, so the template's user can restyle them.
    text_id, _ = ensure_styles(document)
    footnote = next(s for s in styles if s.style_id == text_id)
    footnote.font.name = FONT
    footnote.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    number_headings(document)
    for section in document.sections:
        set_a4(section)
    set_language(document)
    set_properties(
        document,
        title="Huisstijl kennisbank jeugdhulp",
        subject="Sjabloon",
        author="Kennisbank jeugdhulp inkoop",
        fixed_time=dt.datetime(2026, 1, 1),
    )
    clean_properties(document, application="Kennisbank jeugdhulp inkoop")
    # The template carries styles only: drop the default empty paragraph.
    body = document.element.body
    for p in list(body.iterchildren()):
        if p.tag.endswith("}p"):
            body.remove(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Fixed zip dates: the same script gives the same bytes.
    path.write_bytes(docx_bytes(document))
    return path


def number_headings(document, levels: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Numbered headings ``1``, ``1.1``, ``1.1.1``: one multi-level list linked to the heading
    styles, so every heading (and the TOC) carries its number without any text of ours."""
    numbering = document.part.numbering_part.element
    abstracts = numbering.findall(qn("w:abstractNum"))
    abstract_id = str(max((int(a.get(qn("w:abstractNumId"))) for a in abstracts), default=-1) + 1)
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), abstract_id)
    kind = OxmlElement("w:multiLevelType")
    kind.set(qn("w:val"), "multilevel")
    abstract.append(kind)
    for level in range(levels):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(level))
        text = ".".join(f"%{n + 1}" for n in range(level + 1))
        indent = 567 + 284 * level  # twips: room for "1.1.1"
        for tag, attrs in (
            ("w:start", {"w:val": "1"}),
            ("w:numFmt", {"w:val": "decimal"}),
            ("w:pStyle", {"w:val": f"Heading{level + 1}"}),
            ("w:lvlText", {"w:val": text}),
            ("w:lvlJc", {"w:val": "left"}),
        ):
            element = OxmlElement(tag)
            for name, value in attrs.items():
                element.set(qn(name), value)
            lvl.append(element)
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(indent))
        ind.set(qn("w:hanging"), str(indent))
        ppr.append(ind)
        lvl.append(ppr)
        abstract.append(lvl)
    # abstractNum elements come before every num (schema order).
    position = list(numbering).index(abstracts[-1]) + 1 if abstracts else 0
    numbering.insert(position, abstract)
    nums = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    num_id = str(max(nums, default=0) + 1)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), num_id)
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), abstract_id)
    num.append(ref)
    numbering.append(num)
    # Styles based on a heading (TOC Heading on Heading 1) would inherit the number: switch it off.
    for style in document.styles:
        base = getattr(style, "base_style", None)
        heading_based = base is not None and base.name.startswith("Heading ")
        if heading_based and not style.name.startswith("Heading "):
            ppr = style.element.get_or_add_pPr()
            num_pr = OxmlElement("w:numPr")
            off = OxmlElement("w:numId")
            off.set(qn("w:val"), "0")
            num_pr.append(off)
            ppr.insert(_num_pr_position(ppr), num_pr)
    for level in range(levels):
        style = document.styles[f"Heading {level + 1}"]
        ppr = style.element.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), str(level))
        ref_id = OxmlElement("w:numId")
        ref_id.set(qn("w:val"), num_id)
        num_pr.append(ilvl)
        num_pr.append(ref_id)
        # numPr goes near the start of pPr (after keepNext/keepLines/pageBreakBefore).
        ppr.insert(_num_pr_position(ppr), num_pr)


def _num_pr_position(ppr) -> int:  # type: ignore[no-untyped-def]
    before = {qn(t) for t in ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore",
                              "w:framePr", "w:widowControl")}  # fmt: skip
    return sum(1 for child in ppr if child.tag in before)


if __name__ == "__main__":
    print(make_template(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
