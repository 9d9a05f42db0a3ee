"""Analysis stage: text -> the tokens every engine indexes (character grams for recall, jieba words).

Sits between :mod:`searcher.normalize` and the engines (:mod:`searcher.engine`), and imports no
engine: a record is analysed once (:func:`analyse`, cached by text hash in :class:`AnalysisCache`)
and every engine indexes the same tokens.

* **Character grams**: every character (unigram) and every pair of adjacent characters (bigram)
  of the *normalised* text. A record contains a term exactly when it contains the term's
  bigrams at consecutive positions (or its one character), so the gram postings of a term
  give its candidates, which the search stage verifies against the normalised text.
* **Words**: jieba (with the user dictionary of the plans' proper names) cuts the readable
  Simplified form of the text (:func:`~searcher.normalize.readable_text`: jieba knows 着力 and
  规划, not their folded forms); each word is then folded, so words match across scripts and
  variants (著力 = 着力). Tokens without a letter or digit (punctuation) are dropped. Ranking
  uses them to tell a term standing as a word of its own (南沙 in 南沙新区) from one inside a
  longer name.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jieba

from .normalize import normalize_text, readable_text

USERDICT_PATH = Path(__file__).resolve().parent / "data" / "userdict.txt"

_jieba_lock = threading.Lock()
_jieba: jieba.Tokenizer | None = None


def jieba_tokenizer() -> jieba.Tokenizer:
    """Return the process-wide jieba tokenizer, initialising it (and the user dictionary) once."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                jieba.setLogLevel(logging.WARNING)
                instance = jieba.Tokenizer()
                instance.initialize()
                instance.load_userdict(str(USERDICT_PATH))
                _jieba = instance
    return _jieba


def dictionary_fingerprint() -> str:
    """Hash the user dictionary, so that an index cut with another dictionary is rebuilt."""
    return hashlib.sha256(USERDICT_PATH.read_bytes()).hexdigest()[:16]


def char_grams(norm: str) -> list[tuple[str, int]]:
    """Every unigram and bigram of normalised text with its position (the first character's offset).

    >>> char_grams("湾区2")
    [('湾', 0), ('湾区', 0), ('区', 1), ('区2', 1), ('2', 2)]
    """
    n = len(norm)
    return [(g, i) for i in range(n) for g in ((norm[i], norm[i:i + 2]) if i < n - 1 else (norm[i],))]


def query_grams(norm: str) -> list[str]:
    """Return the grams a term (normalised) must match, in order: its bigrams, or its one unigram.

    >>> query_grams("湾"), query_grams("大湾区"), query_grams("")
    (['湾'], ['大湾', '湾区'], [])
    """
    if len(norm) == 1:
        return [norm]
    return [norm[i:i + 2] for i in range(len(norm) - 1)]


@lru_cache(maxsize=65536)
def _has_word_char(text: str) -> bool:
    return any(c.isalnum() for c in text)


def words(text: str) -> list[tuple[str, int, int]]:
    """The jieba words of a text, folded, as (word, start, end) in the *normalised* text.

    >>> words("推進粵港澳大灣區建設，")
    [('推进', 0, 2), ('粤港澳大湾区', 2, 8), ('建设', 8, 10)]
    >>> [w for w, _, _ in words("著力推進")] == [w for w, _, _ in words("着力推进")]
    True
    """
    return _words(normalize_text(text), text)


def _words(norm: str, text: str) -> list[tuple[str, int, int]]:
    return [(norm[start:end], start, end) for _word, start, end in jieba_tokenizer().tokenize(readable_text(text))
            if _has_word_char(norm[start:end])]


def query_words(text: str) -> list[str]:
    """Return the distinct jieba words of a query's text (folded).

    >>> query_words("粤港澳大湾区建设，建设")
    ['粤港澳大湾区', '建设']
    """
    return list(dict.fromkeys(word for word, _, _ in words(text)))


# --------------------------------------------------------------------------- analysed records, cached


@dataclass(frozen=True)
class Analysed:
    """What the index needs of a text: its normalised form, its distinct grams, its jieba words.

    ``words`` are the distinct words with their counts; ``starts`` and ``ends`` are bit sets
    (Python ints) of the offsets where a word starts and ends in ``norm``, so that whether a
    term stands as a word of its own at an offset is two bit tests (:func:`stands_as_word`).
    """

    norm: str
    grams: tuple[str, ...]
    words: tuple[tuple[str, int], ...]
    starts: int = 0
    ends: int = 0


def analyse(text: str) -> Analysed:
    """Normalise, cut into grams and jieba words: everything an engine indexes for one record.

    >>> a = analyse("灣區灣區")
    >>> a.norm, a.grams, a.words, bin(a.starts), bin(a.ends)
    ('湾区湾区', ('区', '区湾', '湾', '湾区'), (('湾区', 2),), '0b101', '0b10100')
    """
    norm = normalize_text(text)
    counts: dict[str, int] = {}
    starts = ends = 0
    for word, start, end in _words(norm, text):
        counts[word] = counts.get(word, 0) + 1
        starts |= 1 << start
        ends |= 1 << end
    return Analysed(norm, distinct_grams(norm), tuple(sorted(counts.items())), starts, ends)


def distinct_grams(norm: str) -> tuple[str, ...]:
    """The distinct grams of :func:`char_grams`, sorted.

    >>> distinct_grams("湾区湾")
    ('区', '区湾', '湾', '湾区')
    """
    return tuple(sorted({*norm, *map(str.__add__, norm, norm[1:])}))


def stands_as_word(norm: str, term: str, starts: int, ends: int) -> bool:
    """Does ``term`` occur in ``norm`` as one whole jieba word (not inside a longer word)?

    >>> a = analyse("南沙新区与南沙港铁路")
    >>> stands_as_word(a.norm, "南沙", a.starts, a.ends), stands_as_word(a.norm, "新区", a.starts, a.ends)
    (True, True)
    """
    start = norm.find(term)
    while start != -1:
        end = start + len(term)
        inside = ((1 << end) - 1) & ~((1 << (start + 1)) - 1)   # the offsets strictly between start and end
        if starts >> start & 1 and ends >> end & 1 and not starts & inside:
            return True
        start = norm.find(term, start + 1)
    return False


class AnalysisCache:
    """Analysed texts by the SHA-256 of the text, kept in a file beside the index generations.

    A changed plan re-analyses only the records whose text changed; the file is keyed by the
    analysis fingerprint (folding tables, jieba dictionary, this code's version), so a change to
    any of them starts a fresh cache. Writes are atomic (write aside, then rename).

    An entry keeps what is dear to compute, the normalised text and the jieba cuts, and not the
    grams, which take less time to cut again than to unpickle (at 50x: 120 MB and seconds to
    read and write with them, a third of that without). The file is read only when a text is
    first asked for, and written only if an entry was added or dropped, so a build that analyses
    nothing never touches it.
    """

    VERSION = 2   # of the analysis (part of the fingerprint)
    FORMAT = 3    # of the file's entries: (norm, words, starts, ends)

    def __init__(self, folder: Path | None):
        self.path = folder / f"analysis-{analysis_fingerprint()}-{self.FORMAT}.pickle" if folder else None
        self._entries: dict[bytes, tuple] | None = None if self.path is not None else {}
        self.added: dict[bytes, tuple] = {}   # entries analysed since the last take_added()
        self.hits = self.misses = 0
        self._changed = False

    @property
    def entries(self) -> dict[bytes, tuple]:
        """Text hash -> (norm, words, starts, ends), read from the file on first use."""
        return self.load()

    def load(self) -> dict[bytes, tuple]:
        """Read the file now, if it was not read yet (before forking workers that will use it)."""
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[bytes, tuple]:
        if not self.path.is_file():
            return {}
        try:
            with open(self.path, "rb") as handle:
                loaded = pickle.load(handle)
        except Exception:  # noqa: BLE001 - a damaged cache is only a slower build
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def get(self, text: str) -> Analysed:
        key = hashlib.sha256(text.encode("utf-8")).digest()
        found = self.entries.get(key)
        if found is None:
            self.misses += 1
            analysed = analyse(text)
            self.entries[key] = self.added[key] = (analysed.norm, analysed.words, analysed.starts, analysed.ends)
            self._changed = True
            return analysed
        self.hits += 1
        norm, words_, starts, ends = found
        return Analysed(norm, distinct_grams(norm), words_, starts, ends)

    def take_added(self) -> dict[bytes, tuple]:
        """The entries analysed since the last call (what a worker process hands back)."""
        added, self.added = self.added, {}
        return added

    def update(self, entries: dict[bytes, tuple]) -> None:
        """Add entries analysed elsewhere (by a worker process)."""
        if entries:
            self.entries.update(entries)
            self._changed = True

    def keep_only(self, texts) -> None:
        """Forget entries for texts no longer in the corpus (the cache never outgrows it).

        A cache never read (nothing analysed) is left as it is: the next build that analyses a
        text prunes it.
        """
        if self._entries is None:
            return
        wanted = {hashlib.sha256(t.encode("utf-8")).digest() for t in texts}
        kept = {k: v for k, v in self._entries.items() if k in wanted}
        self._changed |= len(kept) != len(self._entries)
        self._entries = kept

    def save(self) -> None:
        if self.path is None or not self._changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.path.parent.glob("analysis-*.pickle"):
            if stale != self.path:
                stale.unlink(missing_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with open(partial, "wb") as handle:
            pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, self.path)
        self._changed = False


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """Hash of what decides an analysis: the folding tables, the user dictionary, the cache version."""
    from .normalize import VARIANT_TABLES, variant_classes

    digest = hashlib.sha256(f"{AnalysisCache.VERSION}|{VARIANT_TABLES}".encode())
    digest.update(repr(sorted(variant_classes().items())).encode("utf-8"))
    digest.update(USERDICT_PATH.read_bytes())
    return digest.hexdigest()[:16]
