"""Segments (lots) of any document, recognised by structure and the ontology's vocabulary.

The words a document uses for the parts of a purchase come from the SKOS scheme
``segmentaanduidingen`` (segment, perceel, deelopdracht, lot, cluster, with their plurals), read
through :mod:`kb.rdf.vocabulary`; no word list lives here. Three shapes are recognised:

* a **designation line**: a heading, a list item or a one-line paragraph that is a designation
  word, a number and, optionally, a separator and a name: "Segment 3 – Jeugd-GGZ", "3.2 Perceel
  B: Verblijf", "Deelopdracht 2: Specialistische jeugd-GGZ", "Lot 3", "SEGMENT 1: WONEN".
  Numbers are digits, roman numerals or letters (A = 1); separators ":", "–", "—", "-", ".";
* an **enumeration after a cue**: a count and a plural designation followed by a colon ("verdeeld
  over vier percelen: 1. ambulante jeugdhulp, 2. dagbehandeling, 3. jeugd-GGZ en 4. jeugdhulp met
  verblijf.", "in drie percelen: ambulante jeugdhulp, verblijf en specialistische jeugdhulp."),
  or a cue that ends its paragraph and the list items under it. The count is checked: an
  enumeration with another number of parts is not taken;
* a **table of contents** entry (dot leader and page number stripped, see
  :func:`kb.ingest.text.toc_entries`) that is a designation line, for a document whose body does
  not repeat it as a heading (entries are deduplicated against the body's segments by name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kb.extract.values.numbers import parse_number_word
from kb.rdf.vocabulary import Vocabulary, fold

#: The concept scheme of designation words.
SCHEME = "segmentaanduidingen"
#: A designation line names a part in a few words; a longer line is prose that mentions one.
MAX_NAME_WORDS = 12
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_SEPARATORS = ":–—.-"


@dataclass(frozen=True)
class Designation:
    """A part of a purchase as a line designates it: "Perceel B – Verblijf"."""

    word: str  #: the designation word as written ("Perceel")
    code: str  #: the number as written ("B", "3", "III"); "" in an enumeration
    number: int | None  #: the number as an integer (B → 2, III → 3)
    name: str  #: the name as written ("Verblijf"); "" when the line gives none

    @property
    def label(self) -> str:
        """The name, or "Perceel B" when the line gives no name."""
        return self.name or f"{self.word} {self.code}".strip()


@dataclass(frozen=True)
class EnumeratedPart:
    """One part named in an enumeration, with its span in the text that was searched."""

    name: str
    number: int | None
    start: int
    end: int


def code_number(code: str) -> int | None:
    """The integer of a part number: digits, a letter (A = 1) or a roman numeral (IV = 4).

    A single letter is a letter, except I, V and X, which read as roman numerals."""
    if code.isdigit():
        return int(code)
    low = code.lower()
    if len(low) == 1 and low.isalpha() and low not in "ivx":
        return ord(low) - ord("a") + 1
    if low and all(ch in _ROMAN for ch in low):
        total, previous = 0, 0
        for ch in reversed(low):
            value = _ROMAN[ch]
            total = total - value if value < previous else total + value
            previous = max(previous, value)
        return total
    return None


@lru_cache(maxsize=8)
def _patterns(labels: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    line = re.compile(
        rf"^(?:\d{{1,2}}(?:\.\d{{1,2}})*\.?\s+)?(?P<word>{words})\s+"
        rf"(?P<code>\d{{1,2}}|[ivxlc]{{1,6}}|[a-z])(?![\w])"
        rf"\s*(?:[{_SEPARATORS}]\s*(?P<name>\S.*?))?\s*:?\s*$",
        re.I,
    )
    cue = re.compile(
        rf"(?P<count>\b\d{{1,2}}|\b[^\W\d_]+)\s+(?P<word>{words})\s*:\s*",
        re.I,
    )
    return line, cue


@lru_cache(maxsize=8)
def _unnumbered_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    # The name starts with a capital: "Perceel Jeugd-GGZ", not "Percelen en looptijd".
    return re.compile(
        rf"^(?:\d{{1,2}}(?:\.\d{{1,2}})*\.?\s+)?(?i:(?P<word>{words}))\s*(?:[{_SEPARATORS}]\s*)?"
        rf"(?P<name>[A-Z\u00c0-\u00de][^\n]*?)\s*:?\s*$"
    )


def unnumbered_designation(text: str, vocabulary: Vocabulary) -> Designation | None:
    """A heading that designates a part by name only ("Perceel Jeugd-GGZ", "Segment Wonen"),
    or None. Only for headings: in a list item or prose such a line is more often a remark
    about a part than the part itself."""
    flat = " ".join(text.split())
    if designation(flat, vocabulary) is not None:
        return None
    match = _unnumbered_pattern(_labels(vocabulary)).match(flat)
    if not match:
        return None
    name = match.group("name").strip()
    if len(name.split()) > MAX_NAME_WORDS or name.endswith((".", ";", ",")):
        return None
    return Designation(match.group("word"), "", None, name)


#: The scheme of phrases that introduce a list of what is bought together.
JOINT_PURCHASE_SCHEME = "inkoopopsommingen"


def announces_joint_purchase(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a paragraph ends in a phrase of joint purchase and a colon ("De deelnemende
    gemeenten kopen gezamenlijk in:"), so the list below it names the parts bought."""
    stripped = text.rstrip()
    if not stripped.endswith(":"):
        return False
    mentions = vocabulary.find_all(JOINT_PURCHASE_SCHEME, stripped)
    return bool(mentions) and not stripped[mentions[-1].end : -1].strip()


def is_designation_word(text: str, vocabulary: Vocabulary) -> bool:
    """Whether a heading is a designation word alone ("Percelen", "De segmenten")."""
    return vocabulary.match(SCHEME, re.sub(r"^(?i:de|het)\s+", "", text.strip())) is not None


def closing_cue(text: str, vocabulary: Vocabulary) -> tuple[bool, int | None]:
    """Whether a paragraph ends in a designation that announces a list below it, and the
    count it states: "verdeeld over vier percelen." → (True, 4), "in de volgende segmenten:"
    → (True, None). A paragraph that goes on after the designation is no such cue."""
    words = designation_words(vocabulary)
    matches = list(words.finditer(text))
    last = matches[-1] if matches else None
    if last is None or text[last.end() :].strip() not in ("", ":", "."):
        return False, None
    before = text[: last.start()].split()
    if not before:
        return False, None
    raw = before[-1]
    count = int(raw) if raw.isdigit() else parse_number_word(raw)
    if count is None and not text.rstrip().endswith(":"):
        return False, None  # without a count only a colon announces the list
    return True, int(count) if count is not None else None


def _labels(vocabulary: Vocabulary) -> tuple[str, ...]:
    return tuple(label for c in vocabulary.concepts(SCHEME) for label in c.labels)


def designation_words(vocabulary: Vocabulary) -> re.Pattern[str]:
    """A designation word of the scheme as a whole word ("segmenten", "perceel"), any case."""
    return _words_regex(_labels(vocabulary))


@lru_cache(maxsize=8)
def _words_regex(labels: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\b", re.I)


def designation(text: str, vocabulary: Vocabulary) -> Designation | None:
    """The part a heading or short line designates, or None (see the module docstring)."""
    line_re, _ = _patterns(_labels(vocabulary))
    flat = " ".join(text.split())
    match = line_re.match(flat)
    if not match:
        return None
    name = (match.group("name") or "").strip().rstrip(":").strip()
    if len(name.split()) > MAX_NAME_WORDS or name.endswith((".", ";", ",")) and name[-2:] != "..":
        return None
    if name.isupper():  # a heading in capitals gets normal capitalisation
        name = name[0] + name[1:].lower()
    code = match.group("code")
    return Designation(match.group("word"), code, code_number(code), name)


def enumeration_cues(text: str, vocabulary: Vocabulary) -> list[tuple[int, int]]:
    """``(count, end)`` of every cue in ``text``: a count and a designation followed by a colon.

    ``end`` is where the enumeration starts. The count is a number in digits or words; a cue
    without a count ("de percelen:") is no cue."""
    _, cue_re = _patterns(_labels(vocabulary))
    cues = []
    for match in cue_re.finditer(text):
        raw = match.group("count")
        count = int(raw) if raw.isdigit() else parse_number_word(raw)
        if count is None:
            continue
        cues.append((int(count), match.end()))
    return cues


_NUMBERED_ITEM_RE = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s+")
_SENTENCE_END_RE = re.compile(r"\.(?=\s|$)")
_LAST_JOIN_RE = re.compile(r",\s*|\s+(?:en|of)\s+")


def enumerated_parts(text: str, start: int, count: int | None) -> list[EnumeratedPart]:
    """The parts enumerated in ``text`` from ``start`` to the end of the sentence.

    Numbered ("1. a, 2. b en 3. c") or plain ("a, b en c"). With a ``count`` the number of parts
    must match it, else nothing is returned."""
    numbered = list(_NUMBERED_ITEM_RE.finditer(text, start))
    if numbered and numbered[0].start() - start <= 1:
        end = len(text)
        # The sentence ends at the first full stop after the last number's item.
        stop = _SENTENCE_END_RE.search(text, numbered[-1].end())
        end = stop.start() if stop else end
        parts = []
        for i, m in enumerate(numbered):
            if m.start() >= end:
                break
            item_end = numbered[i + 1].start() if i + 1 < len(numbered) else end
            parts.append(_part(text, m.end(), item_end, int(m.group(1))))
    else:
        stop = _SENTENCE_END_RE.search(text, start)
        end = stop.start() if stop else len(text)
        pieces, pos = [], start
        for m in _LAST_JOIN_RE.finditer(text, start, end):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, end))
        parts = [_part(text, s, e, None) for s, e in pieces]
    parts = [p for p in parts if p.name]
    if not parts or count is not None and len(parts) != count:
        return []
    return parts


def _part(text: str, start: int, end: int, number: int | None) -> EnumeratedPart:
    """An item, trimmed of white space, a closing ',', ';' or 'en' and a final full stop."""
    piece = text[start:end]
    trimmed = re.sub(r"(?:[,;]|\s+(?:en|of))?\s*$", "", piece)
    trimmed = trimmed.rstrip(" .;,")
    lead = len(piece) - len(piece.lstrip())
    name = trimmed.strip()
    return EnumeratedPart(name, number, start + lead, start + lead + len(name))


def same_part(a: str, b: str) -> bool:
    """Whether two names designate the same part ("Jeugd-GGZ" and "jeugd-GGZ", "Verblijf" and
    "Jeugdhulp met verblijf" do not: only equal names after folding, or one with the other's
    designation stripped)."""
    return fold(a).strip() == fold(b).strip()
