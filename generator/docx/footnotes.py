"""Real Word footnotes, which python-docx (1.2) does not support.

A footnote lives in the package part ``word/footnotes.xml`` (related from the main document part),
which also holds the two separator notes Word draws above the notes of a page. A body run
``w:footnoteReference w:id="n"`` points to the note; the note starts with a ``w:footnoteRef`` run
(the number) in the paragraph style "footnote text", the marks use the character style "footnote
reference" (superscript). No maintained library adds footnotes to python-docx documents (the
python-docx pull requests for it were closed; the forks replace python-docx itself), so the part
is made here, once.

A template's own footnotes part and styles are used when it has them (found by the built-in
style names, which stay English in a localised Word); otherwise they are added. Note ids are
numbered in the order notes are added after the highest id already present, and hyperlink
relationships in that order too, so the same content gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.document import DocumentPart
from docx.text.paragraph import Paragraph

from generator.docx.word import text_run

# Load a template's footnotes part as XML (python-docx would keep it as an opaque blob), so
# notes can be added to it. Registered at import, before any template is opened.
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, XmlPart)

#: Built-in style names (``w:name``) Word uses for footnotes, and the style ids we give them.
TEXT_STYLE = ("footnote text", "FootnoteText")
REFERENCE_STYLE = ("footnote reference", "FootnoteReference")
#: Size of footnote text in half points (9 pt).
TEXT_SIZE = "18"
#: Colour of a link in a note (the dark blue of the bundled house style).
LINK_COLOUR = "154273"

_SKELETON = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
    ' w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


@dataclass(frozen=True)
class Text:
    """A piece of a note: plain text, italic, or a link to ``url`` (shown as ``text``)."""

    text: str
    italic: bool = False
    url: str | None = None


def footnotes_part(document: DocxDocument) -> XmlPart:
    """The document's footnotes part, made (with the separator notes) when it has none."""
    main: DocumentPart = document.part
    for rel in main.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            part = rel.target_part
            if isinstance(part, XmlPart):
                return part
            # Opened before this module registered the part class: parse it once, in place.
            xml = XmlPart(part.partname, part.content_type, parse_xml(part.blob), part.package)
            rel._target = xml  # noqa: SLF001 - python-docx has no API to swap a target
            return xml
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_SKELETON),
                   main.package)  # fmt: skip
    main.relate_to(part, RT.FOOTNOTES)
    return part


def ensure_styles(document: DocxDocument) -> tuple[str, str]:
    """The style ids of "footnote text" and "footnote reference", added when missing."""
    styles = document.styles.element
    found: dict[str, str] = {}
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            found.setdefault(name.get(qn("w:val"), "").lower(), style.get(qn("w:styleId")))
    base = next(
        (
            s.get(qn("w:styleId"))
            for s in styles.findall(qn("w:style"))
            if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true")
        ),
        None,
    )
    text_id = found.get(TEXT_STYLE[0])
    if text_id is None:
        text_id = TEXT_STYLE[1]
        based = f'<w:basedOn w:val="{base}"/>' if base else ""
        styles.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{text_id}">'
                f'<w:name w:val="{TEXT_STYLE[0]}"/>{based}<w:uiPriority w:val="99"/>'
                '<w:unhideWhenUsed/><w:pPr><w:spacing w:after="40" w:line="240"'
                ' w:lineRule="auto"/></w:pPr>'
                f'<w:rPr><w:sz w:val="{TEXT_SIZE}"/><w:szCs w:val="{TEXT_SIZE}"/></w:rPr>'
                "</w:style>"
            )
        )
    reference_id = found.get(REFERENCE_STYLE[0])
    if reference_id is None:
        reference_id = REFERENCE_STYLE[1]
        styles.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="character" w:styleId="{reference_id}">'
                f'<w:name w:val="{REFERENCE_STYLE[0]}"/><w:uiPriority w:val="99"/>'
                '<w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
            )
        )
    return text_id, reference_id


def _reference_run(style_id: str, tag: str, note_id: int | None = None):  # type: ignore[no-untyped-def]
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), style_id)
    rpr.append(rstyle)
    # Superscript in the run as well: a template whose reference style lacks it still shows a
    # raised number.
    vert = OxmlElement("w:vertAlign")
    vert.set(qn("w:val"), "superscript")
    rpr.append(vert)
    run.append(rpr)
    mark = OxmlElement(tag)
    if note_id is not None:
        mark.set(qn("w:id"), str(note_id))
    run.append(mark)
    return run


def _hyperlink_element(part, url: str, text: str, *, italic: bool = False):  # type: ignore[no-untyped-def]
    r_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    link.set(qn("w:history"), "1")
    link.append(text_run(text, italic=italic, colour=LINK_COLOUR, underline=True))
    return link


def add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """Append a clickable link to ``url`` showing ``text`` to a body paragraph."""
    paragraph._p.append(_hyperlink_element(paragraph.part, url, text))  # noqa: SLF001


@dataclass
class _State:
    """Per document: the footnotes part, the two style ids and the next free note id (kept so
    adding a note does not rescan the part and the styles: a plan has hundreds of notes)."""

    part: XmlPart
    text_style: str
    reference_style: str
    next_id: int


def _state(document: DocxDocument) -> _State:
    main = document.part
    state = getattr(main, "_kb_footnotes", None)
    if state is None:
        part = footnotes_part(document)
        text_style, reference_style = ensure_styles(document)
        ids = [int(n.get(qn("w:id"))) for n in part.element.findall(qn("w:footnote"))]
        state = _State(part, text_style, reference_style, max([0, *ids]) + 1)
        main._kb_footnotes = state  # type: ignore[attr-defined]
    return state


def add_footnote(paragraph: Paragraph, content: Sequence[Text]) -> int:
    """Append a footnote mark to ``paragraph`` whose note reads ``content``; returns its id."""
    state = _state(paragraph.part.document)  # type: ignore[attr-defined]  # a DocumentPart
    part, text_style, reference_style = state.part, state.text_style, state.reference_style
    root = part.element
    note_id = state.next_id
    state.next_id += 1
    note = OxmlElement("w:footnote")
    note.set(qn("w:id"), str(note_id))
    p = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), text_style)
    ppr.append(pstyle)
    p.append(ppr)
    p.append(_reference_run(reference_style, "w:footnoteRef"))
    p.append(text_run(" "))
    for piece in content:
        if piece.url:
            p.append(_hyperlink_element(part, piece.url, piece.text, italic=piece.italic))
        else:
            p.append(text_run(piece.text, italic=piece.italic))
    note.append(p)
    root.append(note)
    paragraph._p.append(_reference_run(reference_style, "w:footnoteReference", note_id))  # noqa: SLF001
    return note_id


def footnote_texts(document: DocxDocument) -> dict[int, str]:
    """The text of every (non-separator) footnote by id; for tests and checks."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            root = footnotes_part(document).element
            return {
                int(n.get(qn("w:id"))): "".join(n.itertext())
                for n in root.findall(qn("w:footnote"))
                if n.get(qn("w:type")) in (None, "normal")
            }
    return {}
