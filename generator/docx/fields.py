"""Fields the author of a document fills in: Word content controls with a marked prompt.

A registration number, a date, a portefeuillehouder or a signature are never invented. They are
plain-text content controls (``w:sdt`` with ``w:text``) whose content is the prompt in square
brackets, shown as placeholder text (``w:showingPlcHdr``) in grey italics: Word selects the
whole prompt on the first click and replaces it with what the author types; LibreOffice shows the
same control. The ``w:tag`` names the field, so a mail merge or a script can fill it.
"""

from __future__ import annotations

import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph

from generator.docx.word import text_run

#: Grey, as Word shows placeholder text.
PROMPT_COLOR = "808080"


def field_tag(name: str) -> str:
    """``datum-raadsvergadering`` for "Datum raadsvergadering": the control's tag."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def add_field(paragraph: Paragraph, name: str, prompt: str | None = None) -> BaseOxmlElement:
    """Append a content control named ``name`` showing ``[prompt]`` (default: the name in
    lower case) to ``paragraph``; returns the ``w:sdt`` element."""
    text = f"[{prompt or name[:1].lower() + name[1:]}]"
    sdt = OxmlElement("w:sdt")
    props = OxmlElement("w:sdtPr")
    for tag, value in (("w:alias", name), ("w:tag", field_tag(name))):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        props.append(element)
    props.append(OxmlElement("w:showingPlcHdr"))
    props.append(OxmlElement("w:text"))
    sdt.append(props)
    content = OxmlElement("w:sdtContent")
    content.append(text_run(text, italic=True, colour=PROMPT_COLOR))
    sdt.append(content)
    paragraph._p.append(sdt)  # noqa: SLF001 - python-docx has no content-control API
    return sdt


def fields_of(element: BaseOxmlElement) -> dict[str, str]:
    """Tag → shown text of every content control under ``element`` (a paragraph or body)."""
    out = {}
    for sdt in element.iter(qn("w:sdt")):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        if tag is not None:
            out[tag.get(qn("w:val"))] = "".join(t.text or "" for t in sdt.iter(qn("w:t")))
    return out
