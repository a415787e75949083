"""Reader for plain-text and Markdown sources, including the conversions in the sample corpus.

The corpus files are conversions of Word and PowerPoint originals. They carry artefacts this
reader cleans up:

* ``[bookmark: …]`` markers (inside headings) are removed;
* ``[footnoteRef:N]`` marks a footnote whose text follows later as ``[N:  text]``: the text is
  cut out and attached to the block that holds the reference;
* ``[image: …]`` becomes a figure block with the alt text as caption;
* table cells are lines that start with a tab, rows are separated by blank lines, and a line
  without a leading tab continues the cell above it (page breaks inside a cell look like that);
* bullets start with ``·``, ``-``, ``▶``, ``*``, ``•`` or ``–``; page numbers stand alone on a line.

Page layout that a conversion of a paged original carries is recognised by shape, not by words:

* a table of contents is a run of lines that end in a dot leader and a page number
  (``3.2 Perceel B – Verblijf ....... 6``); it becomes one block of kind ``toc`` (with the short
  title line right above it, "Inhoudsopgave"), so its lines never become headings or sections.
  The lines stay in the text so that a quote may still cite them;
* running headers and footers are lines that repeat on three or more pages with only their
  number changing (``Inkoopstrategie 2026 | pagina 7``); they become blocks of kind
  ``furniture`` where they stand, and a list item that a page break cut in two is joined
  across them.

In Markdown, emphasis markers (``**Inkoopmodel:**``, ``*…*``, ``__…__``) are removed.

The two-column "rubric | content" layout of a purchasing plan (``\\tDoelgroep(en)\\n\\tJeugdigen…``)
is recognised with the rubric labels of the ontology (scheme ``rubrieken``, read through
:mod:`kb.rdf.vocabulary`) and turned into a heading
followed by ordinary paragraphs and list items, so that every rubric becomes a section.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kb.ingest.model import Block, ReadError
from kb.rdf.vocabulary import Vocabulary, load_vocabulary

BOOKMARK_RE = re.compile(r"\[bookmark:[^\]]*\]")
FOOTNOTE_REF_RE = re.compile(r"\[footnoteRef:(\d+)\]")
IMAGE_RE = re.compile(r"\[image:\s*([^\]]*?)\s*\]")
NUMBERED_HEADING_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(\.?)\s+(\S.*)$")
BULLET_RE = re.compile(r"^(\s*)((?:[-·•▶*–]\s+|[·•▶](?=\S))+)(\S.*)$")
ORDERED_ITEM_RE = re.compile(r"^(\s*)(\d{1,2}|[a-z])[.)]\s+(\S.*)$")
PAGE_NUMBER_RE = re.compile(r"^\s*\d{1,3}\s*$")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MD_TABLE_SEP_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
#: A contents line: a label, a dot leader (or a tab) and a page number at the end.
TOC_LINE_RE = re.compile(
    r"^\s*(?P<label>\S.*?)\s*(?:\.{4,}|…{2,}|(?:\s?\.\s?){4,})\s*(?P<page>\d{1,3})\s*$"
)
MD_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
MD_EM_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_DIGITS_RE = re.compile(r"\d+")
#: A running header repeats on at least this many pages (two could be a coincidence).
MIN_RUNNING_REPEATS = 3
MAX_RUNNING_CHARS = 80

# Footnote references survive line parsing as private-use markers and are resolved per block.
_FN_OPEN, _FN_CLOSE = "\ue000", "\ue001"
_FN_MARK_RE = re.compile(f"{_FN_OPEN}(\\d+){_FN_CLOSE}")

MAX_HEADING_CHARS = 90
MAX_HEADING_WORDS = 10


def decode_text(raw: bytes, path: Path) -> str:
    """Decode bytes as UTF-8 (with or without BOM), falling back to Windows-1252.

    Dutch government files are often Windows-1252 ("€", "ë", curly quotes in the 0x80–0x9F
    range). Latin-1 would silently turn those into control characters, so it is not a fallback.
    """
    if not raw.strip():
        raise ReadError(path, "empty file (no text)")
    if b"\x00" in raw[:4096]:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return raw.decode("utf-16")
            except UnicodeDecodeError as exc:
                raise ReadError(path, f"cannot decode as UTF-16: {exc.reason}") from None
        raise ReadError(path, "binary data in a text file (NUL bytes); not a text document")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReadError(
            path,
            f"cannot decode: neither UTF-8 nor Windows-1252 (byte 0x{raw[exc.start]:02x} "
            f"at offset {exc.start})",
        ) from None


def clean_text(text: str) -> tuple[str, dict[str, str]]:
    """Remove conversion artefacts; return the text with footnote markers and the footnotes.

    Footnote bodies ``[N: …]`` are cut out of the running text and returned by number; each
    ``[footnoteRef:N]`` is replaced by a private-use marker that :func:`parse_blocks` resolves.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u200b", "")
    text = BOOKMARK_RE.sub("", text)
    footnotes: dict[str, str] = {}
    for ref in FOOTNOTE_REF_RE.finditer(text):
        footnotes.setdefault(ref.group(1), "")
    for number in footnotes:
        body = re.compile(r"\s?\[" + number + r":\s+(.*?)\]\s?", re.S)
        ref_at = text.find(f"[footnoteRef:{number}]")
        match = body.search(text, ref_at)
        if match:
            footnotes[number] = " ".join(match.group(1).split())
            # Keep a line break if the body swallowed one, so the next line stays a line.
            keep = "\n" if "\n" in match.group(0)[-2:] else " "
            text = text[: match.start()] + keep + text[match.end() :]
    text = FOOTNOTE_REF_RE.sub(lambda m: f"{_FN_OPEN}{m.group(1)}{_FN_CLOSE}", text)
    return text, footnotes


@dataclass
class _State:
    """Parser state: what heading numbers we have seen and the table being collected."""

    top: int = 0
    numbered_depth: int = 0
    last_number: tuple[int, ...] = ()
    table: list[tuple[str, ...]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    vocabulary: Vocabulary | None = None


def read_text(
    path: Path, raw: bytes | None = None, *, vocabulary: Vocabulary | None = None
) -> list[Block]:
    """Read a ``.txt`` or ``.md`` file into blocks (see the module docstring for the rules).

    ``vocabulary`` gives the rubric labels (default: the configured ontology)."""
    if raw is None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ReadError(path, f"cannot read file: {exc.strerror}") from None
    text, footnotes = clean_text(decode_text(raw, path))
    blocks = parse_blocks(
        text,
        footnotes,
        markdown=path.suffix.lower() in {".md", ".markdown"},
        vocabulary=vocabulary,
    )
    if not blocks:
        raise ReadError(path, "empty file (no text after cleaning)")
    return blocks


def parse_blocks(
    text: str,
    footnotes: dict[str, str],
    *,
    markdown: bool = False,
    vocabulary: Vocabulary | None = None,
) -> list[Block]:
    """Parse cleaned text into blocks. Chunks are runs of lines separated by blank lines."""
    state = _State(vocabulary=vocabulary)
    if markdown:
        text = strip_markdown_emphasis(text)
    running = running_lines(text)
    for chunk in _chunks(text, running):
        if len(chunk) == 1 and chunk[0].strip() in running:
            _flush_table(state)
            state.blocks.append(Block("furniture", chunk[0].strip()))
        elif _is_toc_chunk(chunk):
            _flush_table(state)
            _toc_chunk(chunk, state)
        elif chunk[0].startswith("\t"):
            _tab_chunk(chunk, state)
        elif markdown and chunk[0].lstrip().startswith("|"):
            _markdown_table(chunk, state)
        else:
            _flush_table(state)
            _text_chunk(chunk, state, markdown=markdown)
    _flush_table(state)
    return [_resolve_footnotes(b, footnotes) for b in state.blocks if b.text.strip()]


def strip_markdown_emphasis(text: str) -> str:
    """Remove Markdown emphasis markers (``**x**``, ``__x__``, ``*x*``), keeping their text.

    A bullet star (``* item``) and a multiplication (``2 * 3``) are left alone: the markers must
    hug their text."""
    text = MD_STRONG_RE.sub(lambda m: m.group(2), text)
    return MD_EM_RE.sub(lambda m: m.group(1), text)


def running_lines(text: str) -> set[str]:
    """Lines that are running headers or footers of the paged original.

    A running line repeats on at least :data:`MIN_RUNNING_REPEATS` pages, is short, holds a
    number, and differs between its occurrences only in that number (``… | pagina 7``). Body
    lines that repeat verbatim are never taken: they carry no changing page number."""
    by_shape: dict[str, set[str]] = {}
    counts: dict[str, int] = {}
    for line in text.split("\n"):
        stripped = line.strip()
        if (
            not stripped
            or line.startswith("\t")
            or len(stripped) > MAX_RUNNING_CHARS
            or not _DIGITS_RE.search(stripped)
            or TOC_LINE_RE.match(stripped)
        ):
            continue
        shape = _DIGITS_RE.sub("#", stripped)
        if not re.search(r"[^\W\d_]{3,}", shape):
            continue  # a bare number or date: the page-number rule handles those
        by_shape.setdefault(shape, set()).add(stripped)
        counts[shape] = counts.get(shape, 0) + 1
    return {
        line
        for shape, lines in by_shape.items()
        if counts[shape] >= MIN_RUNNING_REPEATS and len(lines) >= MIN_RUNNING_REPEATS
        for line in lines
    }


def toc_entries(text: str) -> list[tuple[str, str]]:
    """The ``(label, page)`` pairs of the contents lines in ``text``, dot leaders stripped."""
    entries = []
    for line in text.split("\n"):
        match = TOC_LINE_RE.match(line)
        if match:
            entries.append((match.group("label").strip(), match.group("page")))
    return entries


def _is_toc_chunk(chunk: list[str]) -> bool:
    """Two or more lines, most of them contents lines (a wrapped label may break the run)."""
    hits = sum(1 for line in chunk if TOC_LINE_RE.match(line) and not line.startswith("\t"))
    return hits >= 2 and hits * 3 >= len(chunk) * 2


def _toc_chunk(chunk: list[str], state: _State) -> None:
    """One ``toc`` block; a title line right above it and a continued contents join it."""
    lines = [line.strip() for line in chunk]
    last = _last_content(state)
    if last is not None and state.blocks[last].kind == "toc":
        moved = state.blocks[last + 1 :]
        lines = [state.blocks[last].text, *lines]
        del state.blocks[last:]
        state.blocks.extend([Block("toc", "\n".join(lines)), *moved])
        return
    if state.blocks and state.blocks[-1].kind == "heading" and not state.blocks[-1].number:
        # The contents' own title ("Inhoudsopgave") is part of the contents, not a chapter.
        lines = [state.blocks.pop().text, *lines]
    state.blocks.append(Block("toc", "\n".join(lines)))


def _last_content(state: _State) -> int | None:
    """Index of the last block that is not page furniture."""
    for index in range(len(state.blocks) - 1, -1, -1):
        if state.blocks[index].kind != "furniture":
            return index
    return None


def _chunks(text: str, running: frozenset[str] | set[str] = frozenset()) -> list[list[str]]:
    """Split into chunks at blank lines. A line holding only a tab is an empty cell, not blank.

    A running header or footer is a chunk of its own, wherever it stands."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip(" ")
        if not line.strip(" ") or PAGE_NUMBER_RE.match(line) and not line.startswith("\t"):
            if current:
                chunks.append(current)
                current = []
            continue
        if line.strip() in running:
            if current:
                chunks.append(current)
                current = []
            chunks.append([line])
            continue
        current.append(line)
    if current:
        chunks.append(current)
    return chunks


def _cells(chunk: list[str]) -> list[str]:
    cells: list[str] = []
    for line in chunk:
        if line.startswith("\t"):
            cells.append(line.lstrip("\t"))
        elif cells:
            cells[-1] += "\n" + line
        else:
            cells.append(line)
    return [c.strip() for c in cells]


def _tab_chunk(chunk: list[str], state: _State) -> None:
    cells = _cells(chunk)
    label = " ".join(cells[0].split())
    if (
        not state.table
        and len(cells) >= 2
        and _is_rubric(label, state)
        and all(not c for c in cells[2:])
    ):
        # A "rubric | content" row of a purchasing plan: heading + ordinary content.
        _flush_table(state)
        state.blocks.append(Block("heading", label, level=state.numbered_depth + 1))
        _text_chunk(cells[1].split("\n"), state, markdown=False, allow_heading=False)
        return
    if not state.table and all(not c for c in cells[:-1]):
        # A page break inside a layout cell: the text continues the content above.
        if cells[-1]:
            _text_chunk(cells[-1].split("\n"), state, markdown=False, allow_heading=False)
        return
    if any(cells):
        state.table.append(tuple(cells))


def _is_rubric(label: str, state: _State) -> bool:
    """Whether a layout cell's label names a segment rubric (scheme ``rubrieken``)."""
    if state.vocabulary is None:
        state.vocabulary = load_vocabulary()
    return state.vocabulary.match("rubrieken", label) is not None


def _markdown_table(chunk: list[str], state: _State) -> None:
    _flush_table(state)
    for line in chunk:
        if MD_TABLE_SEP_RE.match(line.strip()):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        state.table.append(tuple(cells))
    _flush_table(state)


def _flush_table(state: _State) -> None:
    if state.table:
        width = max(len(r) for r in state.table)
        rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in state.table)
        text = "\n".join("\t".join(c.replace("\n", " ") for c in r) for r in rows)
        state.blocks.append(Block("table", text, rows=rows))
        state.table = []


def _numbered_heading(line: str, state: _State) -> Block | None:
    """Accept ``4.2 Titel`` only when the number fits the sequence seen so far."""
    match = NUMBERED_HEADING_RE.match(line.strip())
    if not match or len(line) > 140:
        return None
    number_text, _dot, title = match.groups()
    if not (title[0].isupper() or title[0] in "[\"'‘“") or title.rstrip().endswith((".", ",", ";")):
        return None
    number = tuple(int(n) for n in number_text.split("."))
    if len(number) == 1:
        # The first chapter may be any number (an excerpt); later ones must follow in order.
        if number[0] != state.top + 1 and not (state.top == 0 and number[0] <= 20):
            return None
        state.top = number[0]
    else:
        if number[0] != state.top or len(number) > len(state.last_number) + 1:
            return None
        prefix = state.last_number[: len(number) - 1]
        if prefix and prefix != number[:-1]:
            return None
    state.last_number = number
    state.numbered_depth = len(number)
    return Block("heading", line.strip(), level=len(number), number=number_text)


def _plain_heading(chunk: list[str], state: _State) -> Block | None:
    """A short stand-alone title line: no sentence punctuation and not a list lead-in."""
    line = chunk[0].strip()
    words = line.split()
    if (
        len(line) > MAX_HEADING_CHARS
        or len(words) > MAX_HEADING_WORDS
        or not line[0].isupper()
        or line.endswith((".", ",", ";", "!"))
        or ":" in line[:-1]
        or _FN_OPEN in line
        or IMAGE_RE.search(line)
    ):
        return None
    if len(chunk) > 1:
        following = chunk[1]
        if line.endswith(":") or BULLET_RE.match(following) or following[:1].islower():
            return None
    level = state.numbered_depth + 1 if state.numbered_depth else (2 if line.endswith(":") else 1)
    return Block("heading", line, level=level)


def _text_chunk(
    chunk: list[str], state: _State, *, markdown: bool, allow_heading: bool = True
) -> None:
    lines = list(chunk)
    if allow_heading and lines:
        md = MD_HEADING_RE.match(lines[0]) if markdown else None
        heading = (
            Block("heading", md.group(2), level=len(md.group(1)))
            if md
            else _numbered_heading(lines[0], state) or _plain_heading(lines, state)
        )
        if heading:
            if md:
                state.numbered_depth = heading.level
            state.blocks.append(heading)
            lines = lines[1:]
    paragraph: list[str] = []

    def flush_paragraph() -> None:
        if paragraph:
            state.blocks.append(Block("paragraph", "\n".join(paragraph)))
            paragraph.clear()

    for index, raw_line in enumerate(lines):
        image = IMAGE_RE.fullmatch(raw_line.strip())
        if image:
            flush_paragraph()
            state.blocks.append(Block("figure", image.group(1) or "Afbeelding"))
            continue
        line = IMAGE_RE.sub(lambda m: m.group(1), raw_line)
        bullet = BULLET_RE.match(line)
        if bullet and not _is_dash_sentence(bullet):
            flush_paragraph()
            indent, marks, content = bullet.groups()
            depth = min(len(indent.expandtabs(4)) // 2, 3) + max(len(marks.split()) - 1, 0)
            state.blocks.append(Block("list_item", _strip_emphasis(content), level=min(depth, 3)))
            continue
        stripped = line.strip()
        # Page furniture between a bullet and its continuation does not end the bullet.
        at = _last_content(state) if not paragraph else None
        prev = state.blocks[at] if at is not None else None
        # Across a blank line only a lower-case start continues a bullet (a page break).
        first = index == 0
        if (
            at is not None
            and prev is not None
            and prev.kind == "list_item"
            and (stripped[:1].islower() if first else _continues(prev.text, stripped))
        ):
            moved = state.blocks[at + 1 :]
            del state.blocks[at:]
            state.blocks.append(
                Block("list_item", prev.text + "\n" + _strip_emphasis(stripped), level=prev.level)
            )
            state.blocks.extend(moved)
            continue
        paragraph.append(_strip_emphasis(stripped))
    flush_paragraph()


def _is_dash_sentence(bullet: re.Match[str]) -> bool:
    """``-1.312.000`` or ``- 5`` are numbers, not bullets."""
    marks, content = bullet.group(2), bullet.group(3)
    return marks.strip() == "-" and content[:1].isdigit() and not marks.endswith(" ")


def _continues(previous: str, line: str) -> bool:
    """A wrapped bullet: the line starts in lower case or the bullet has no sentence end."""
    if not line:
        return False
    return line[0].islower() or line[0] in "(,;" or not previous.rstrip().endswith((".", ":", "?"))


def _strip_emphasis(text: str) -> str:
    """Drop Markdown emphasis that wraps a whole line (``*De coöperatie …*``)."""
    stripped = text.strip()
    for mark in ("**", "*", "__", "_"):
        if len(stripped) > 2 * len(mark) and stripped.startswith(mark) and stripped.endswith(mark):
            return stripped[len(mark) : -len(mark)].strip()
    return stripped


def _resolve_footnotes(block: Block, footnotes: dict[str, str]) -> Block:
    numbers = _FN_MARK_RE.findall(block.text)
    if not numbers:
        return block
    text = _FN_MARK_RE.sub("", block.text)
    rows = tuple(tuple(_FN_MARK_RE.sub("", c) for c in r) for r in block.rows)
    notes = tuple(footnotes[n] for n in numbers if footnotes.get(n))
    return Block(block.kind, text, block.level, rows, block.footnotes + notes, block.number)
