"""The domain vocabulary, read from the ontology's SKOS concept schemes: the one word list.

Rubrics, purchasing instruments, funding forms, purchasing models, document types and choice
aspects live only in ``ontology/schemes.ttl`` (``skos:prefLabel``, ``skos:altLabel`` and
``skos:hiddenLabel``; Dutch and untagged labels count). Code asks this module instead of keeping a
copy:

* :meth:`Vocabulary.match` names the concept a heading or a short label stands for, tolerant of
  case, accents, punctuation, optional parts in brackets and plural endings ("Doelgroep(en)",
  "Huidige landschap:", "Onderzoeksvraag" → the rubric whose label is "Onderzoeksvragen");
* :meth:`Vocabulary.find_all` finds every concept a piece of prose names, with its span (the
  longest label wins, only whole words: "bestuurlijk aanbesteden" is not also "aanbesteden").

Dutch month names are not a SKOS scheme: they come from the CLDR data of Babel
(:func:`month_number`, :data:`MONTH_PATTERN`), again in one place.

A vocabulary is loaded once per ontology folder (:func:`load_vocabulary`) or built from a graph
that holds the schemes (:meth:`Vocabulary.from_graph`, e.g. a published build).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SKOS

from kb.errors import KbError
from kb.rdf.namespaces import KB, KBI
from kb.rdf.ontology import load_ontology_graph

#: Label properties that name a concept for matching, strongest first.
_LABEL_PROPERTIES = (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
#: Endings a Dutch word may add to a label's word in running text (plural, inflection):
#: "budgetplafond" → "budgetplafonds", "inspanningsgericht" → "inspanningsgerichte". After a
#: short vowel the final consonant doubles before "en" ("budget" → "budgetten"): see _endings.
_INFLECTIONS = ("'s", "en", "es", "e", "n", "s")
_VOWELS = frozenset("aeiouy")
#: How many heading matches a vocabulary remembers.
_MATCH_CACHE_SIZE = 50_000
#: Words shorter than this take no inflection ("p x q" must not match "ps x q").
_MIN_INFLECTED = 4


class VocabularyError(KbError):
    """A scheme or concept the code asks for is not in the ontology folder."""


@dataclass(frozen=True)
class Concept:
    """One SKOS concept: IRI, scheme, slug (last IRI segment) and its Dutch labels."""

    iri: URIRef
    scheme: str
    slug: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()
    notation: str | None = None
    ordinal: int | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """Every Dutch label: preferred, alternative, hidden."""
        return (self.pref_label, *self.alt_labels, *self.hidden_labels)


@dataclass(frozen=True)
class Mention:
    """A concept named in a text: ``text[start:end]`` is the wording found."""

    concept: Concept
    start: int
    end: int
    text: str


@dataclass
class Vocabulary:
    """The concept schemes of one ontology, with lookups by slug, heading and prose."""

    schemes: dict[str, tuple[Concept, ...]]
    #: Where the schemes come from (an ontology folder), for messages.
    source: str = "the ontology"
    _heading_index: dict[str, list[tuple[tuple[frozenset[str], ...], Concept]]] = field(
        default_factory=dict, repr=False
    )
    _prose_regex: dict[str, tuple[re.Pattern[str], list[Concept]]] = field(
        default_factory=dict, repr=False
    )
    _match_cache: dict[tuple[str, str], Concept | None] = field(default_factory=dict, repr=False)

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def from_graph(cls, graph: Graph, source: str = "the ontology") -> Vocabulary:
        """Every concept scheme in ``graph`` (an ontology graph or a whole build graph)."""
        schemes: dict[str, list[Concept]] = {}
        for scheme_iri in set(graph.subjects(RDF.type, SKOS.ConceptScheme)):
            name = _scheme_name(str(scheme_iri))
            found = schemes.setdefault(name, [])
            for iri in set(graph.subjects(SKOS.inScheme, scheme_iri)):
                if isinstance(iri, URIRef):
                    found.append(_concept(graph, iri, name))
        return cls(
            {
                name: tuple(sorted(cs, key=lambda c: (c.ordinal is None, c.ordinal, c.pref_label)))
                for name, cs in schemes.items()
            },
            source,
        )

    # -- lookups --------------------------------------------------------------------------------

    def concepts(self, scheme: str | URIRef) -> tuple[Concept, ...]:
        """The concepts of a scheme (by name, ``"rubrieken"``, or IRI), in ``kb:ordinal`` order."""
        name = _scheme_name(scheme)
        if name not in self.schemes:
            known = ", ".join(sorted(self.schemes)) or "none"
            raise VocabularyError(
                f"{self.source}: concept scheme {name!r} not found (known schemes: {known})"
            )
        return self.schemes[name]

    def concept(self, scheme: str | URIRef, slug: str) -> Concept:
        """The concept ``slug`` of a scheme (``concept("rubrieken", "doelgroep")``)."""
        for concept in self.concepts(scheme):
            if concept.slug == slug:
                return concept
        raise VocabularyError(
            f"{self.source}: concept {slug!r} not in scheme {_scheme_name(scheme)!r}"
        )

    def by_iri(self, iri: str | URIRef) -> Concept | None:
        """The concept with this IRI, in any scheme."""
        for concepts in self.schemes.values():
            for concept in concepts:
                if str(concept.iri) == str(iri):
                    return concept
        return None

    def match(self, scheme: str | URIRef, text: str) -> Concept | None:
        """The concept whose label ``text`` is as a whole (a heading, a short label), or None.

        Case, accents, punctuation, optional parts in brackets and plural or inflection endings
        are ignored: "Doelgroep(en):", "Huidige landschap" and "onderzoeksvraag" all match.
        """
        name = _scheme_name(scheme)
        key = (name, text)
        if key not in self._match_cache:
            if len(self._match_cache) >= _MATCH_CACHE_SIZE:
                self._match_cache.clear()  # a long build sees many distinct headings
            self._match_cache[key] = self._match(name, text)
        return self._match_cache[key]

    def _match(self, name: str, text: str) -> Concept | None:
        if name not in self._heading_index:
            self._heading_index[name] = [
                (forms, concept)
                for concept in self.concepts(name)
                for label in concept.labels
                for forms in _word_forms(label)
            ]
        index = self._heading_index[name]
        for words in _word_forms(text):
            for forms, concept in index:
                if len(forms) == len(words) and all(
                    a & b for a, b in zip(forms, words, strict=True)
                ):
                    return concept
        return None

    def find_all(self, scheme: str | URIRef, text: str) -> list[Mention]:
        """Every concept of a scheme that ``text`` names, in text order, with spans.

        Labels match as whole words, case- and accent-insensitively, with flexible white space
        and hyphens between their words ("lump sum", "lump-sum", "lumpsum") and plural or
        inflection endings ("budgetplafonds", "inspanningsgerichte"). At each position the
        longest label wins, so a longer name hides the shorter names inside it.
        """
        name = _scheme_name(scheme)
        if name not in self._prose_regex:
            self._prose_regex[name] = _prose_regex(self.concepts(name))
        regex, owners = self._prose_regex[name]
        folded = fold(text)
        out: list[Mention] = []
        for m in regex.finditer(folded):
            index = int(m.lastgroup[1:])  # type: ignore[index]
            out.append(Mention(owners[index], m.start(), m.end(), text[m.start() : m.end()]))
        return out

    def named(self, scheme: str | URIRef, text: str) -> list[Concept]:
        """The distinct concepts :meth:`find_all` finds, in order of first mention."""
        seen: dict[URIRef, Concept] = {}
        for mention in self.find_all(scheme, text):
            seen.setdefault(mention.concept.iri, mention.concept)
        return list(seen.values())


# ---------------------------------------------------------------------------------------------
# loading


def default_ontology_dir() -> Path:
    """The configured ontology folder (``Settings.ontology_dir``: flags, ``KB_ONTOLOGY_DIR``,
    ``kb.toml``, else the packaged ontology)."""
    from kb.settings import Settings

    return Settings().ontology_dir


def load_vocabulary(ontology_dir: Path | None = None) -> Vocabulary:
    """The vocabulary of an ontology folder (default: :func:`default_ontology_dir`), loaded once
    per folder."""
    folder = ontology_dir if ontology_dir is not None else default_ontology_dir()
    return _load(Path(folder).resolve())


@functools.lru_cache(maxsize=8)
def _load(folder: Path) -> Vocabulary:
    return Vocabulary.from_graph(load_ontology_graph(folder), source=str(folder))


def _scheme_name(scheme: str | URIRef) -> str:
    text = str(scheme)
    prefix = str(KBI["scheme/"])
    return text[len(prefix) :] if text.startswith(prefix) else text.rsplit("/", 1)[-1]


def _dutch(values: Iterable[object]) -> list[str]:
    out = []
    for value in values:
        lang = (getattr(value, "language", None) or "").lower()
        if lang in ("", "nl") or lang.startswith("nl-"):
            out.append(str(value))
    return sorted(out)


def _concept(graph: Graph, iri: URIRef, scheme: str) -> Concept:
    pref = _dutch(graph.objects(iri, SKOS.prefLabel))
    alt = _dutch(graph.objects(iri, SKOS.altLabel))
    hidden = _dutch(graph.objects(iri, SKOS.hiddenLabel))
    slug = str(iri).rstrip("/").rsplit("/", 1)[-1]
    notation = graph.value(iri, SKOS.notation)
    ordinal = graph.value(iri, KB.ordinal)
    return Concept(
        iri=iri,
        scheme=scheme,
        slug=slug,
        pref_label=pref[0] if pref else slug,
        alt_labels=tuple(alt),
        hidden_labels=tuple(hidden),
        notation=str(notation) if notation is not None else None,
        ordinal=int(str(ordinal)) if ordinal is not None else None,
    )


# ---------------------------------------------------------------------------------------------
# normalisation


def fold(text: str) -> str:
    """Lower case without accents, one character for one (so spans in the result are spans in
    ``text``): "Subsidiëring" → "subsidiering"; typographic quotes and dashes become plain."""
    if text.isascii():  # most text: only the case changes, and str.lower keeps the length
        return text.lower()
    return "".join(map(_fold_char, text))


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    # Extraction folds every passage several times: a document of 5 MB is ten million
    # characters, so each distinct character is normalised once, not every time it occurs.
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    low = base.lower()
    low = low if len(low) == 1 else base
    return _PLAIN.get(low, low)


_PLAIN = {"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2014": "-", "\u00a0": " "}
_BRACKET_RE = re.compile(r"\(([^()]*)\)")
_WORD_RE = re.compile(r"\w+")


def _variants(text: str) -> set[str]:
    """A text with each bracketed part left out and kept: "Huidig(e) landschap" → "huidig
    landschap", "huidige landschap"; "Raakvlak (met) andere" → with and without "met"."""
    parts = _BRACKET_RE.split(text)
    if len(parts) == 1 or len(parts) > 7:  # at most three optional parts
        return {_BRACKET_RE.sub(" ", text)}
    plain, optional = parts[0::2], parts[1::2]
    out = set()
    for keep in product((False, True), repeat=len(optional)):
        pieces = [plain[0]]
        for opt, kept, after in zip(optional, keep, plain[1:], strict=True):
            pieces.append((opt if kept else "") + after)
        out.add("".join(pieces))
    return out


def _forms(word: str) -> frozenset[str]:
    """The forms a word may stand for: itself, without a plural or inflection ending, and its
    Snowball stem (which also undoes vowel doubling: "vragen" and "vraag" share "vrag")."""
    forms = {word, _stem(word)}
    for ending in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_INFLECTED - 1:
            forms.add(word[: -len(ending)])
    if len(word) > _MIN_INFLECTED + 2 and word.endswith("en") and word[-3] == word[-4]:
        forms.add(word[:-3])  # "budgetten" → "budget"
    return frozenset(forms)


def _endings(word: str) -> str:
    """A regex for the endings a label word may take in prose (see :data:`_INFLECTIONS`)."""
    endings = [re.escape(e) for e in _INFLECTIONS]
    if word[-1] not in _VOWELS and word[-1].isalpha():
        endings.insert(0, re.escape(word[-1]) + "en")
    return "(?:" + "|".join(endings) + ")?"


@functools.lru_cache(maxsize=4096)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@functools.lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("dutch")


def _word_forms(text: str) -> list[tuple[frozenset[str], ...]]:
    """Each variant of ``text`` as a sequence of word-form sets (see :func:`_forms`)."""
    out = []
    for variant in sorted(_variants(fold(text))):
        words = _WORD_RE.findall(variant)
        if words:
            out.append(tuple(_forms(w) for w in words))
    return out


def _label_pattern(label: str) -> str:
    """A regex for one label in folded prose (see :meth:`Vocabulary.find_all`)."""
    pieces = re.findall(r"\w+|[^\w\s\-]", fold(label))
    parts: list[str] = []
    previous_word = False
    for i, piece in enumerate(pieces):
        is_word = bool(re.match(r"\w", piece))
        if i:
            # Words apart in the label may stand apart or together in the text; a symbol may
            # have space around it ("P × Q", "P×Q").
            parts.append(r"[\s\-]*" if is_word and previous_word else r"\s*")
        escaped = re.escape(piece)
        if is_word and len(piece) >= _MIN_INFLECTED:
            escaped += _endings(piece)
        parts.append(escaped)
        previous_word = is_word
    return "".join(parts)


def _prose_regex(concepts: Iterable[Concept]) -> tuple[re.Pattern[str], list[Concept]]:
    # Longest label first: regex alternation takes the first alternative that matches.
    entries = sorted(
        {(variant, c) for c in concepts for label in c.labels for variant in _variants(label)},
        key=lambda e: (-len(e[0]), e[0], str(e[1].iri)),
    )
    owners = [c for _, c in entries]
    alternatives = [f"(?P<g{i}>{_label_pattern(label)})" for i, (label, _) in enumerate(entries)]
    if not alternatives:
        return re.compile(r"(?!x)x"), owners
    regex = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
    return regex, owners


# ---------------------------------------------------------------------------------------------
# months (CLDR through Babel)


@functools.lru_cache(maxsize=1)
def _month_words() -> dict[str, int]:
    from babel.dates import get_month_names

    words: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale="nl").items():
            words[fold(name).rstrip(".")] = number
    # A written-out month is also cut short to any prefix of three letters or more ("sept",
    # "febr"): the forms people write beside CLDR's abbreviation.
    for number, name in get_month_names("wide", locale="nl").items():
        wide = fold(name)
        for end in range(3, len(wide)):
            words.setdefault(wide[:end], number)
    return words


def month_number(word: str) -> int | None:
    """1-12 for a Dutch month name or its abbreviation ("maart", "mrt", "Sept."), else None."""
    return _month_words().get(fold(word).strip().rstrip("."))


def month_name(number: int) -> str:
    """The Dutch name of month ``number`` (1 → "januari")."""
    from babel.dates import get_month_names

    return str(get_month_names("wide", locale="nl")[number])


def month_pattern() -> str:
    """A regex alternation of every Dutch month word :func:`month_number` knows, longest first
    (to be used case-insensitively, between word boundaries)."""
    return "|".join(re.escape(w) for w in sorted(_month_words(), key=len, reverse=True))


#: :func:`month_pattern`, computed once.
MONTH_PATTERN = month_pattern()
