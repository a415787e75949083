"""Municipality names in Dutch text, linked to the national register.

The register (``ontology/register/``, package ``kb.ontology.register``) holds the 342 current
municipalities with their CBS code, other names of some of them ("Den Haag" / "'s-Gravenhage"),
former municipalities with their successors, and the names that are also ordinary Dutch words.
This module is a library: it knows no document and no region, only Dutch text.

:func:`find_municipalities` returns every mention (span, surface form, register entry or
former-municipality note). Matching is Dutch-aware:

* names of several words and with hyphens ("Alphen aan den Rijn", "Leidschendam-Voorburg"); a
  space and a hyphen between two words count as the same ("Oost-Gelre" is "Oost Gelre");
* apostrophes and accents: "’s-Hertogenbosch", "'s Hertogenbosch" and "Sudwest-Fryslan" are found
  (the text is folded character by character, so offsets stay those of the original text);
* province markers: "Bergen (L.)", "Bergen (NH)", "Bergen (Noord-Holland)"; a bare name links when
  exactly one municipality carries it ("Hengelo" is "Hengelo (O.)"), never when several do
  ("Bergen");
* names are case-sensitive, so the verb "leiden" is never Leiden. A name that is also an ordinary
  word (``gewone-woorden.csv``) is not linked at the start of a sentence followed by running text
  ("Leiden tot betere zorg", "Best is om …") nor when a capitalised word follows it ("Best
  Practices"), unless it stands in a list of names or alone on its line.

:func:`find_member_lists` finds the lists of municipalities that buy together: an enumeration of
two or more names ("de gemeenten A, B, C en D", "De acht samenwerkende gemeenten zijn …", "de negen
gemeenten: …", a bullet list under a line ending in a colon, the participants of a
centrumregeling), with qualifiers kept ("Katwijk (uitsluitend voor verblijf)"). What makes an
enumeration a member list are the cue words of the SKOS scheme ``ledenlijstaanduidingen``
(``ontology/cues.ttl``, read through :mod:`kb.rdf.vocabulary`): a class noun ("gemeenten",
"deelnemers") or a verb of taking part ("nemen deel:", "namens", "werken samen") close before
the list; a class noun anywhere in an introduction that ends in a colon or a copula ("De elf
gemeenten van de regio kopen samen in: A, B …", "De acht gemeenten in de regio zijn A, B …");
or a verb of taking part right after it ("A, B en C werken samen"). An enumeration of places
without such a cue ("vestigingen in Almelo, Hengelo en Enschede") is no member list.

:func:`find_partial_members` finds the sentences that make one or more named municipalities
members for a part only ("Elburg en Oldebroek nemen uitsluitend deel voor jeugdbescherming …",
"Borger-Odoorn doet alleen mee voor …"): names, a verb of taking part and a word of the scheme
``voorbehouden`` ("uitsluitend", "alleen", "met uitzondering van"); the qualifier runs from that
word to the end of its clause.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import URIRef

from kb.errors import KbError
from kb.rdf.iris import tooi_municipality_iri
from kb.rdf.vocabulary import Vocabulary, load_vocabulary
from kb.resources import package_path

REGISTER_FILE = "gemeenten.csv"
OTHER_NAMES_FILE = "andere-namen.csv"
FORMER_FILE = "voormalige-gemeenten.csv"
ORDINARY_WORDS_FILE = "gewone-woorden.csv"


class RegisterError(KbError):
    """The municipality register cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class Municipality:
    """A current municipality of the register."""

    cbs_code: str  # four digits, leading zero kept ("0546")
    name: str  # as the register writes it ("Bergen (L.)")
    safety_region: str = ""

    @property
    def tooi(self) -> URIRef:
        """Its TOOI identifier (``tooi:gm0546``)."""
        return tooi_municipality_iri(self.cbs_code)


@dataclass(frozen=True)
class FormerMunicipality:
    """A municipality that no longer exists, with where it went."""

    name: str
    successors: tuple[str, ...]
    year: int

    @property
    def note(self) -> str:
        """A Dutch sentence for readers: what became of it."""
        if len(self.successors) == 1:
            return (
                f"{self.name} is een voormalige gemeente: in {self.year} opgegaan in "
                f"{self.successors[0]}."
            )
        names = ", ".join(self.successors[:-1]) + " en " + self.successors[-1]
        return (
            f"{self.name} is een voormalige gemeente: in {self.year} opgeheven en verdeeld over "
            f"{names}."
        )


@dataclass(frozen=True)
class Mention:
    """A municipality name in a text: ``text[start:end] == surface``.

    Exactly one of ``municipality`` (linked to the register) and ``former`` (a former
    municipality, kept as named and not linked) is set.
    """

    start: int
    end: int
    surface: str
    municipality: Municipality | None = None
    former: FormerMunicipality | None = None

    @property
    def name(self) -> str:
        """The register name of the municipality, or the name of the former municipality."""
        if self.municipality is not None:
            return self.municipality.name
        return self.former.name if self.former is not None else self.surface


@dataclass(frozen=True)
class Member:
    """One municipality of a member list, with the qualifier the text gives it (if any)."""

    mention: Mention
    qualifier: str = ""  # "uitsluitend voor verblijf"
    end: int = 0  # end of the member including its qualifier


@dataclass(frozen=True)
class MemberList:
    """Municipalities named together as buying together: ``text[start:end]`` is the list."""

    start: int  # start of the sentence or intro line that introduces the list
    end: int
    members: tuple[Member, ...]


@dataclass
class Register:
    """The register with its other names, former municipalities and ordinary-word names."""

    municipalities: dict[str, Municipality]  # by CBS code
    former: dict[str, FormerMunicipality]  # by name
    ordinary_words: frozenset[str]  # register names (or base names) that are also Dutch words
    source: Path
    _by_key: dict[str, Municipality | FormerMunicipality] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = None

    def lookup(self, name: str) -> Municipality | None:
        """The current municipality a name denotes (register name or other name), or None."""
        entry = self._by_key.get(_key(_fold(name)))
        return entry if isinstance(entry, Municipality) else None

    def lookup_former(self, name: str) -> FormerMunicipality | None:
        """The former municipality of that name, or None."""
        entry = self._by_key.get(_key(_fold(name)))
        return entry if isinstance(entry, FormerMunicipality) else None

    def by_name(self, name: str) -> Municipality:
        """The municipality with exactly this register name (for tests and curated data)."""
        for m in self.municipalities.values():
            if m.name == name:
                return m
        raise KeyError(name)


# --- loading ---------------------------------------------------------------------------------


def register_dir() -> Path:
    """The folder of the packaged register (``ontology/register`` in the repository)."""
    return package_path("kb.ontology", "register")


def load_register(folder: Path | None = None) -> Register:
    """Read the register and its companion files from ``folder`` (default: the packaged one).

    Raises :class:`RegisterError` naming the file when one is missing or malformed. The result
    is cached per folder (the register is read once per process).
    """
    return _load_register(Path(folder or register_dir()).resolve())


@lru_cache(maxsize=4)
def _load_register(folder: Path) -> Register:
    municipalities: dict[str, Municipality] = {}
    for row in _rows(folder / REGISTER_FILE, ("cbs_code", "naam")):
        code = row["cbs_code"].strip().upper().removeprefix("GM")
        if not re.fullmatch(r"\d{4}", code):
            raise RegisterError(f"{folder / REGISTER_FILE}: bad cbs_code {row['cbs_code']!r}")
        municipalities[code] = Municipality(
            code, row["naam"].strip(), (row.get("veiligheidsregio") or "").strip()
        )
    by_name = {m.name: m for m in municipalities.values()}

    register = Register(municipalities, {}, frozenset(), folder)
    keys: dict[str, Municipality | FormerMunicipality] = {}
    written: set[str] = set()  # every form the pattern must find
    for m in municipalities.values():
        keys[_key(_fold(m.name))] = m
        written.add(m.name)

    # A bare name links when exactly one municipality carries it with a province marker.
    bases: dict[str, list[Municipality]] = {}
    for m in municipalities.values():
        base = _strip_marker(m.name)
        if base != m.name:
            bases.setdefault(base, []).append(m)
    for base, owners in bases.items():
        if len(owners) == 1 and _key(_fold(base)) not in keys:
            keys[_key(_fold(base))] = owners[0]
            written.add(base)

    path = folder / OTHER_NAMES_FILE
    for row in _rows(path, ("naam", "cbs_code")):
        target = municipalities.get(row["cbs_code"].strip().upper().removeprefix("GM"))
        if target is None:
            raise RegisterError(f"{path}: {row['naam']!r} names unknown code {row['cbs_code']!r}")
        keys[_key(_fold(row["naam"].strip()))] = target
        written.add(row["naam"].strip())

    path = folder / FORMER_FILE
    former: dict[str, FormerMunicipality] = {}
    for row in _rows(path, ("naam", "opgegaan_in", "jaar")):
        name = row["naam"].strip()
        successors = tuple(s.strip() for s in row["opgegaan_in"].split(";") if s.strip())
        unknown = [s for s in successors if s not in by_name]
        if unknown or not row["jaar"].strip().isdigit():
            raise RegisterError(
                f"{path}: {name!r}: successors must be register names and jaar a year "
                f"(unknown: {unknown}, jaar: {row['jaar']!r})"
            )
        former[name] = FormerMunicipality(name, successors, int(row["jaar"]))
        if _key(_fold(name)) in keys:
            raise RegisterError(f"{path}: {name!r} is also a current name in the register")
        keys[_key(_fold(name))] = former[name]
        written.add(name)

    path = folder / ORDINARY_WORDS_FILE
    ordinary = frozenset(row["naam"].strip() for row in _rows(path, ("naam",)))

    register.former = former
    register.ordinary_words = ordinary
    register._by_key = keys
    register._pattern = _compile(written)
    return register


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise RegisterError(f"{path}: missing column(s) {', '.join(missing)}")
            yield from reader
    except OSError as exc:
        raise RegisterError(f"{path}: cannot read the municipality register: {exc}") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise RegisterError(f"{path}: not a UTF-8 CSV file: {exc}") from exc


# --- normalisation -----------------------------------------------------------------------------

_APOSTROPHES = "’‘`´ʼ′"
_DASHES = "‐‑‒–—"
_MARKER_RE = re.compile(r"\s*\(([^()]*)\)\s*$")


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds one character to one character (offsets survive)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _APOSTROPHES:
            folded = "'"
        elif char in _DASHES:
            folded = "-"
        elif char.isspace():
            folded = char if char in " \n\t" else " "
        else:
            base = unicodedata.normalize("NFD", char)
            # Keep the base letter when the rest are combining marks (é → e, â → a).
            ok = len(base) > 1 and all(unicodedata.combining(c) for c in base[1:])
            folded = base[0] if ok else char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _key(folded: str) -> str:
    """A lookup key: separators collapsed, marker dots and spaces dropped, lower case."""
    key = re.sub(r"\(\s*", "(", folded)
    key = re.sub(r"\s*\)", ")", key)
    key = re.sub(r"\(([^()]*)\)", lambda m: "(" + m.group(1).replace(".", "") + ")", key)
    key = re.sub(r"[\s\-]+", " ", key).strip().lower()
    return key.removeprefix("'")  # "s-Hertogenbosch" without its apostrophe is still found


def _strip_marker(name: str) -> str:
    return _MARKER_RE.sub("", name)


def _name_pattern(folded: str) -> str:
    """A regex for one (folded) name: flexible separators, optional marker dots."""
    marker = ""
    match = _MARKER_RE.search(folded)
    if match:
        inner = match.group(1)
        if re.fullmatch(r"[A-Za-z.]+", inner):  # "L.", "NH.", "N.H."
            letters = [c for c in inner if c != "."]
            body = "".join(re.escape(c) + r"\.?" for c in letters)
        else:  # "Limburg", "Noord-Holland"
            body = _words_pattern(inner)
        marker = r"\s*\(\s*" + body + r"\s*\)"
        folded = folded[: match.start()]
    words = _words_pattern(folded)
    if folded.startswith("'"):
        words = "'?" + words[1:]
    return words + marker


def _words_pattern(text: str) -> str:
    return r"(?:\s*-\s*|\s+)".join(re.escape(w) for w in re.split(r"[\s\-]+", text.strip()))


def _compile(names: set[str]) -> re.Pattern[str]:
    """One pattern for every written name; longer names first, since at one position the
    alternation takes the first alternative that matches."""
    alternatives = sorted({_name_pattern(_fold(n)) for n in names}, key=lambda p: (-len(p), p))
    # A name starts with a capital (or the apostrophe of 's-…) and is a whole word: not part of
    # a longer word or of a hyphenated compound ("Leiden-Noord", "Oost-Groningen").
    return re.compile(
        r"(?<![\w'\-])(?=['A-Z\u00c0-\u024f])(?:" + "|".join(alternatives) + r")(?![\w]|-\w)"
    )


# --- finding -----------------------------------------------------------------------------------

#: What may stand before a name at the start of a line: nothing, or a list marker.
_LINE_LEAD_RE = re.compile(r"^[ \t]*(?:(?:[-*•·–]|\d+[.)]|[a-z][.)])[ \t]+)?$")
#: What may follow a name that stands alone on its line (a list item). Patterns used with a
#: start position have no "^": it would only match at the very start of the text.
_LINE_REST_RE = re.compile(r"[ \t]*[,;.]?(?:[ \t]+(?:en|&))?[ \t]*(?:\n|$)")
#: A parenthesised qualifier right after a name: "Katwijk (uitsluitend voor verblijf)".
_PAREN_QUALIFIER_RE = re.compile(r"[ \t]*\(([^()\n]{2,160})\)")
#: A qualifier after a colon or dash in a list item: "- Katwijk: uitsluitend voor verblijf".
_ITEM_QUALIFIER_RE = re.compile(
    r"[ \t]*(?::|[ \t]–|[ \t]-)[ \t]*([^\n]{2,160}?)[ \t]*[,;.]?(?=\n|$)"
)
#: Between two names of one enumeration: a comma, semicolon, "en", "&" or "/".
_INLINE_GAP_RE = re.compile(r"\s*(?:[,;&/]\s*(?:en\s+)?|en\s+)")
#: Between two list items: end of line, optional punctuation, then an optional list marker.
_ITEM_GAP_RE = re.compile(
    r"[ \t]*[,;.]?(?:[ \t]+(?:en|&))?[ \t]*\n\s*(?:(?:[-*•·–]|\d+[.)]|[a-z][.)])[ \t]+)?"
)
#: The scheme of member-list cues and its concepts (``ontology/cues.ttl``).
CUE_SCHEME = "ledenlijstaanduidingen"
_CLASS_NOUN, _TAKING_PART, _COPULA = "klassewoord", "deelname", "koppeling"
#: At most this many words between a cue and the first name of the list.
_MAX_CUE_DISTANCE = 6
#: At most this many words between the end of a list and a verb of taking part after it.
_MAX_AFTER_DISTANCE = 2
#: The scheme of words that make a taking part partial (``ontology/cues.ttl``): the qualifier
#: word and the particle of the verb of taking part.
QUALIFIER_SCHEME = "voorbehouden"
_LIMIT, _PARTICIPATE = "beperking", "deelnemen"
#: The verb of taking part and the qualifier stand this close after the last name.
_MAX_QUALIFIER_DISTANCE = 4
_CLAUSE_END_RE = re.compile(r"[,;:.!?](?=\s|$)|\n")
#: Where a sentence ends (the introduction of a list is looked for back to there). In a
#: document's text a line break ends a block, a list item or a table row.
_SENTENCE_END_RE = re.compile(r"[.!?](?=\s)|\n")


def find_municipalities(text: str, register: Register | None = None) -> list[Mention]:
    """Every municipality named in ``text``, in order, linked to the register.

    A former municipality is returned with ``former`` set and no ``municipality``. See the
    module docstring for the rules on names that are also ordinary words.
    """
    register = register or load_register()
    raw = _raw_mentions(text, register)
    return [m for i, m in enumerate(raw) if _keep(text, raw, i, register)]


def find_member_lists(
    text: str, register: Register | None = None, vocabulary: Vocabulary | None = None
) -> list[MemberList]:
    """The lists of two or more municipalities the text names as buying together.

    A list is an enumeration of names joined by commas, "en", "&" or line breaks (list items),
    each with an optional qualifier, introduced in its sentence (or the line ending in a colon
    above a list) or closed by a cue of the scheme ``ledenlijstaanduidingen`` (see the module
    docstring).
    """
    register = register or load_register()
    vocabulary = vocabulary or load_vocabulary()
    raw = _raw_mentions(text, register)
    # Names that are also words count as names inside an enumeration: _keep sees neighbours.
    kept = [m for i, m in enumerate(raw) if _keep(text, raw, i, register)]
    lists: list[MemberList] = []
    run: list[Member] = []
    for mention in kept:
        member = _member(text, mention)
        if run and _joins(text, run[-1], member):
            run.append(member)
            continue
        _close(text, run, lists, vocabulary)
        run = [member]
    _close(text, run, lists, vocabulary)
    return lists


@dataclass(frozen=True)
class PartialMember:
    """A municipality a sentence makes a member for a part only: ``text[start:end]`` is the
    sentence up to the end of the qualifier."""

    mention: Mention
    qualifier: str  # "uitsluitend deel voor jeugdbescherming en jeugdreclassering"
    start: int
    end: int


def find_partial_members(
    text: str, register: Register | None = None, vocabulary: Vocabulary | None = None
) -> list[PartialMember]:
    """The municipalities sentences name as taking part for a part only (see the module
    docstring): the names that open a sentence, then within a few words a verb of taking part
    (``ledenlijstaanduidingen``) and a qualifier word (``voorbehouden``)."""
    register = register or load_register()
    vocabulary = vocabulary or load_vocabulary()
    raw = _raw_mentions(text, register)
    kept = [m for i, m in enumerate(raw) if _keep(text, raw, i, register)]
    out: list[PartialMember] = []
    i = 0
    while i < len(kept):
        run = [kept[i]]
        while i + 1 < len(kept) and _INLINE_GAP_RE.fullmatch(text, run[-1].end, kept[i + 1].start):
            i += 1
            run.append(kept[i])
        i += 1
        start = _introduction_start(text, run[0].start)
        # The names open their sentence (an article or "De Waddeneilanden" may stand before).
        if _words(text[start : run[0].start]) > 2:
            continue
        clause_end = _CLAUSE_END_RE.search(text, run[-1].end)
        end = clause_end.start() if clause_end else len(text)
        after = text[run[-1].end : end]
        found = vocabulary.find_all(QUALIFIER_SCHEME, after)
        limits = [c for c in found if c.concept.slug == _LIMIT]
        if not limits or _words(after[: limits[0].start]) > _MAX_QUALIFIER_DISTANCE:
            continue
        # The verb of taking part stands around the qualifier: "neemt uitsluitend deel voor",
        # "doet mee met uitzondering van".
        near = _words(after[: limits[0].end]) + 2
        if not any(
            c.concept.slug == _PARTICIPATE and _words(after[: c.start]) <= near for c in found
        ):
            continue
        qualifier = " ".join(after[limits[0].start :].split())
        out.extend(PartialMember(m, qualifier, start, end) for m in run)
    return out


def _raw_mentions(text: str, register: Register) -> list[Mention]:
    assert register._pattern is not None
    mentions = []
    for match in register._pattern.finditer(_fold(text)):
        entry = register._by_key.get(_key(match.group()))
        if entry is None:  # cannot happen: every pattern comes from a key
            continue
        surface = text[match.start() : match.end()]
        if isinstance(entry, Municipality):
            mentions.append(Mention(match.start(), match.end(), surface, municipality=entry))
        else:
            mentions.append(Mention(match.start(), match.end(), surface, former=entry))
    return mentions


def _is_ordinary_word(mention: Mention, register: Register) -> bool:
    name = mention.municipality.name if mention.municipality else mention.surface
    return name in register.ordinary_words or _strip_marker(name) in register.ordinary_words


def _keep(text: str, raw: list[Mention], i: int, register: Register) -> bool:
    """Whether a raw match is a municipality (always, unless its name is an ordinary word)."""
    mention = raw[i]
    if not _is_ordinary_word(mention, register):
        return True
    if _in_enumeration(text, raw, i) or _alone_on_line(text, mention.start, mention.end):
        return True
    after = text[mention.end : mention.end + 40]
    if re.match(r"[ \t]+[A-Z]", after):  # "Best Practices": part of a capitalised phrase
        return False
    return not _sentence_initial(text, mention.start)


def _in_enumeration(text: str, raw: list[Mention], i: int) -> bool:
    def joined(a: Mention, b: Mention) -> bool:
        end = _member(text, a).end
        return bool(_INLINE_GAP_RE.fullmatch(text, end, b.start))

    return (i > 0 and joined(raw[i - 1], raw[i])) or (
        i + 1 < len(raw) and joined(raw[i], raw[i + 1])
    )


def _sentence_initial(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    if _LINE_LEAD_RE.match(before):
        return True
    # A table cell starts a unit too ("Best case" in a cell is not the municipality).
    return before.endswith("\t") or before.rstrip()[-1:] in {".", "!", "?", ":", ";", "|"}


def _alone_on_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    if not _LINE_LEAD_RE.match(text[line_start:start]):
        return False
    qualifier = _PAREN_QUALIFIER_RE.match(text, end) or _ITEM_QUALIFIER_RE.match(text, end)
    rest_at = qualifier.end() if qualifier else end
    return bool(_LINE_REST_RE.match(text, rest_at))


def _member(text: str, mention: Mention) -> Member:
    qualifier = _PAREN_QUALIFIER_RE.match(text, mention.end)
    if qualifier is None and _alone_on_line_lead(text, mention.start):
        qualifier = _ITEM_QUALIFIER_RE.match(text, mention.end)
    if qualifier is None:
        return Member(mention, "", mention.end)
    return Member(mention, " ".join(qualifier.group(1).split()), qualifier.end())


def _alone_on_line_lead(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return bool(_LINE_LEAD_RE.match(text[line_start:start]))


def _joins(text: str, previous: Member, member: Member) -> bool:
    """Whether ``member`` continues the enumeration that ``previous`` ends."""
    if _INLINE_GAP_RE.fullmatch(text, previous.end, member.mention.start):
        return True
    return bool(
        _ITEM_GAP_RE.fullmatch(text, previous.end, member.mention.start)
        and _alone_on_line(text, previous.mention.start, previous.mention.end)
        and _alone_on_line(text, member.mention.start, member.mention.end)
    )


def _close(text: str, run: list[Member], lists: list[MemberList], vocabulary: Vocabulary) -> None:
    """Keep a run of two or more names as a member list when a cue introduces or closes it."""
    if len(run) < 2:
        return
    first = run[0].mention.start
    start = _introduction_start(text, first)
    if _introduced(text[start:first], vocabulary) or _closed(text, run[-1].end, vocabulary):
        lists.append(MemberList(start, run[-1].end, tuple(run)))


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _introduced(intro: str, vocabulary: Vocabulary) -> bool:
    """Whether the introduction of a list (its sentence up to the first name) makes it a list
    of members: a cue stands close before the list ("de gemeenten A, B", "nemen deel: A, B"),
    or a class noun stands anywhere in an introduction that ends in a colon or a copula.
    A cue far before an enumeration of places ("De gemeenten kopen in bij aanbieders met
    vestigingen in A, B en C") does not."""
    cues = vocabulary.find_all(CUE_SCHEME, intro)
    if any(
        c.concept.slug in (_CLASS_NOUN, _TAKING_PART)
        and _words(intro[c.end :]) <= _MAX_CUE_DISTANCE
        for c in cues
    ):
        return True
    if not any(c.concept.slug == _CLASS_NOUN for c in cues):
        return False
    tail = intro.rstrip()
    if tail.endswith(":"):
        return True
    return any(c.concept.slug == _COPULA and _words(intro[c.end :]) == 0 for c in cues)


def _closed(text: str, end: int, vocabulary: Vocabulary) -> bool:
    """Whether a verb of taking part follows the list in its sentence ("A, B en C werken
    samen bij de inkoop")."""
    stop = _SENTENCE_END_RE.search(text, end)
    after = text[end : stop.start() if stop else len(text)]
    return any(
        c.concept.slug == _TAKING_PART and _words(after[: c.start]) <= _MAX_AFTER_DISTANCE
        for c in vocabulary.find_all(CUE_SCHEME, after)
    )


def _introduction_start(text: str, at: int, max_chars: int = 400) -> int:
    """Start of the sentence before ``at``; a paragraph ending in a colon right above a list
    belongs to it ("De deelnemende gemeenten zijn:" + list items)."""
    lo = max(0, at - max_chars)
    ends = list(_SENTENCE_END_RE.finditer(text, lo, at))
    if not ends:
        return lo if lo == 0 else _word_start(text, lo)
    last = ends[-1]
    if last.group() == "\n" and text[lo : last.start()].rstrip().endswith(":"):
        return _introduction_start(text, last.start(), max_chars - (at - last.start()))
    start = last.end()
    while start < at and text[start].isspace():
        start += 1
    return start


def _word_start(text: str, at: int) -> int:
    while at < len(text) and not text[at].isspace():
        at += 1
    while at < len(text) and text[at].isspace():
        at += 1
    return at
