"""Lexical retrieval for Dutch: tokenizer, stopwords, Snowball stemmer, decompounder, BM25.

Dutch writes compounds as one word (``jeugdhulpaanbieders``, ``woonvoorziening``), so a query for
"aanbieders" would never meet a passage that only says "jeugdhulpaanbieders". The
:class:`Analyzer` splits a word into two or three parts that each occur as words of their own in
the corpus (at least four letters each, with the linking ``s``, ``e`` or ``en`` allowed between
them) and indexes both the whole word and its parts; queries go through the same analysis.

:class:`LexicalIndex` wraps bm25s over those stems and is saved beside the dense index.
PyStemmer and bm25s are imported lazily.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

#: Dutch stopwords: the Snowball list plus frequent function words and question words.
#: Never use English defaults on Dutch text.
DUTCH_STOPWORDS: frozenset[str] = frozenset(
    """
    aan aangaande aangezien achter af afgelopen al aldaar aldus alhoewel alle allebei alleen
    alles als alsnog altijd andere anders ben bent bij binnen boven bovendien daar daarom
    daarna daardoor daarin daarmee daarnaast daarop daarover daarvan daarvoor dan dat de
    deze dezelfde die dient dik dit doch doen doet door dus echter een eens eer eerder eigen
    en enig enige enkel er erg ergens even ge geen gehad geweest gij haar had heb hebben
    hebt heeft hem hen het hier hierbij hierin hiermee hierna hierop hiervan hiervoor hij
    hoe hoewel hun hunne ik in inmiddels is ja je jij jou jouw jullie kan kon konden kunnen
    kunt later liever maar me meer men met mij mijn mocht mochten moest moesten moet moeten
    mogen na naar nadat net niet niets nog nogal nu of ofschoon om omdat onder ons onze ook
    op over per reeds rond sinds sindsdien slechts sommige steeds te tegen ten ter tenzij
    terwijl tot totdat tussen u uit uw van vanaf vandaan veel voor vooraf voordat vooral
    vervolgens via volgens vrij waar waarom wanneer want waren was wat we weer wel welk
    welke wer werd werden wie wier wij wiens wil willen word worden wordt zal ze zelf zich
    zij zijn zo zoals zodat zonder zou zouden zulk zullen zo'n 's daarbij hebben geweest
    heeft hadden kunt zult zouden eenmaal nee ja toe tja
    """.split()  # noqa: SIM905 - a word list reads best as text
)

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
MIN_PART = 4
LINKERS = ("", "s", "e", "en")


def normalise_text(text: str) -> str:
    """NFKC, lower case, curly apostrophes to straight ones."""
    return unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits), stopwords included."""
    return [w.replace("'", "") for w in _WORD_RE.findall(normalise_text(text))]


def content_words(text: str) -> list[str]:
    """Word tokens without Dutch stopwords and one-letter words (single digits stay).

    A lone digit carries meaning in policy questions ("fase 1", "segment 2", "perceel 3").
    """
    return [w for w in words(text) if w not in DUTCH_STOPWORDS and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer("dutch")


def stem(word: str) -> str:
    """Dutch Snowball stem of one lower-cased word."""
    return str(_stemmer().stemWord(word))


class Analyzer:
    """Tokenize → drop stopwords → decompound against a vocabulary → stem.

    ``vocabulary`` holds the words (lower case) that count as known parts; built from the corpus
    with :meth:`from_texts`. ``decompound=False`` switches splitting off (for the ablation).
    """

    def __init__(self, vocabulary: Iterable[str] = (), *, decompound: bool = True) -> None:
        self.vocabulary = {w for w in vocabulary if len(w) >= MIN_PART and w.isalpha()}
        self.decompound = decompound
        self._stems = {stem(w) for w in self.vocabulary}
        self._splits: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_texts(cls, texts: Iterable[str], *, decompound: bool = True) -> Analyzer:
        """An analyzer whose vocabulary is every content word of ``texts``."""
        vocab: set[str] = set()
        for text in texts:
            vocab.update(content_words(text))
        return cls(vocab, decompound=decompound)

    def _known(self, part: str) -> bool:
        return (
            len(part) >= MIN_PART
            and part not in DUTCH_STOPWORDS
            and (part in self.vocabulary or stem(part) in self._stems)
        )

    def _two(self, word: str) -> list[tuple[str, str]]:
        """Every split of ``word`` into known head (+ linker) + known tail."""
        found = []
        for i in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[:i]
            if not self._known(head):
                continue
            for linker in LINKERS:
                if not word.startswith(linker, i):
                    continue
                tail = word[i + len(linker) :]
                if self._known(tail):
                    found.append((head, tail))
        return found

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound (two or three known parts), or ``()`` if it is not one."""
        if not self.decompound or len(word) < 2 * MIN_PART or not word.isalpha():
            return ()
        cached = self._splits.get(word)
        if cached is not None:
            return cached
        best: tuple[str, ...] = ()
        candidates = self._two(word)
        if candidates:
            # Prefer balanced splits: the shortest part as long as possible.
            head, tail = max(candidates, key=lambda ht: (min(len(ht[0]), len(ht[1])), len(ht[1])))
            best = (head, tail)
        else:
            # Three parts: a known head followed by a two-part rest (or the other way round).
            for i in range(MIN_PART, len(word) - 2 * MIN_PART + 1):
                head = word[:i]
                if not self._known(head):
                    continue
                for linker in LINKERS:
                    if not word.startswith(linker, i):
                        continue
                    rest = self._two(word[i + len(linker) :])
                    if rest:
                        best = (head, *rest[0])
                        break
                if best:
                    break
        if len(best) == 2:
            # A known part may itself be a compound (jeugdhulp|aanbieders → jeugd, hulp).
            extra = [p for part in best for p in self._two(part)[:1]]
            if extra:
                best = (*best, *extra[0])
        self._splits[word] = best
        return best

    def terms(self, text: str) -> list[str]:
        """Index/query terms: the stems of every content word plus the stems of its parts."""
        out: list[str] = []
        for word in content_words(text):
            out.append(stem(word))
            for part in self.split(word):
                out.append(stem(part))
        return out

    def word_stems(self, text: str) -> set[str]:
        """Stems a query names (for highlighting), parts of compounds included."""
        return set(self.terms(text))

    def known_terms(self, terms: Iterable[str], index_vocab: set[str]) -> list[str]:
        """The terms that occur in the index vocabulary."""
        return [t for t in terms if t in index_vocab]


class LexicalIndex:
    """BM25 (bm25s) over Dutch stems with decompounding; saved to and loaded from a folder."""

    def __init__(self, analyzer: Analyzer, bm25: Any, n_docs: int) -> None:
        self.analyzer = analyzer
        self.bm25 = bm25
        self.n_docs = n_docs
        vocab = getattr(bm25, "vocab_dict", None) or {}
        self.vocab: set[str] = {t for t in vocab if t}

    @classmethod
    def build(cls, texts: list[str], *, decompound: bool = True) -> LexicalIndex:
        """Index ``texts`` (their order is the row order of the scores)."""
        import bm25s

        analyzer = Analyzer.from_texts(texts, decompound=decompound)
        corpus_tokens = [analyzer.terms(t) or ["\u2205"] for t in texts]
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index(corpus_tokens, show_progress=False)
        return cls(analyzer, bm25, len(texts))

    def scores(self, query: str, *, extra_terms: Iterable[str] = ()) -> np.ndarray:
        """BM25 score of every indexed text for the query (zeros when no term is known)."""
        terms = [t for t in [*self.analyzer.terms(query), *extra_terms] if t in self.vocab]
        if not terms:
            return np.zeros(self.n_docs, dtype=np.float32)
        return np.asarray(self.bm25.get_scores(terms), dtype=np.float32)

    def save(self, folder: Path) -> None:
        """Write the bm25s index and the analyzer's vocabulary into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        self.bm25.save(str(folder), show_progress=False)
        meta = {
            "n_docs": self.n_docs,
            "decompound": self.analyzer.decompound,
            "vocabulary": sorted(self.analyzer.vocabulary),
        }
        (folder / "analyzer.json").write_text(
            json.dumps(meta, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Load an index written by :meth:`save`."""
        import bm25s

        meta = json.loads((folder / "analyzer.json").read_text(encoding="utf-8"))
        bm25 = bm25s.BM25.load(str(folder), show_progress=False)
        analyzer = Analyzer(meta["vocabulary"], decompound=meta["decompound"])
        return cls(analyzer, bm25, int(meta["n_docs"]))
