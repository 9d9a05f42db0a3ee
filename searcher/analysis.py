"""Analysis stage: normalised text -> tokens (jieba words for ranking, character n-grams for recall).

Sits between :mod:`searcher.normalize` and :mod:`searcher.index`. Two Whoosh tokenizers and
their analyser factories:

* :class:`CharGramTokenizer` emits every character (unigram) and every pair of adjacent
  characters (bigram) of the *normalised* text, numbered by the position of their first
  character. A phrase query over the consecutive bigrams of a query is then exactly a
  substring test, and a one-character query is a unigram term: this field carries recall.
* :class:`JiebaTokenizer` cuts the normalised text into words with jieba (plus the user
  dictionary of the plans' proper names), numbering ``pos`` by token, not by character as
  jieba's bundled ``ChineseTokenizer`` does. This field carries ranking (BM25F).

Both normalise what they are given, so they can be fed original or normalised text alike;
``startchar``/``endchar`` are offsets into the text that was passed in.

Whoosh pickles analysers into the index schema, so these classes hold no jieba state:
the jieba dictionary lives in a module-level singleton, loaded once per process.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from functools import lru_cache
from pathlib import Path

import jieba
from whoosh.analysis import Filter, Token, Tokenizer

from .normalize import Normalized, normalize, normalize_text

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


def _normalised(value: str, chars: bool) -> tuple[str, Normalized | None]:
    """The normalised text, with its offset map only when character offsets are wanted."""
    if chars:
        folded = normalize(value)
        return folded.text, folded
    return normalize_text(value), None


class CharGramTokenizer(Tokenizer):
    """Emit the unigrams and bigrams of the normalised text, ``pos`` = offset of the first character.

    In ``mode="query"`` only the terms a query needs are emitted: the bigrams of the text,
    or its single unigram when it is one character long.

    >>> [(t.text, t.pos) for t in CharGramTokenizer()("灣區 2", positions=True)]
    [('湾', 0), ('湾区', 0), ('区', 1), ('区2', 1), ('2', 2)]
    >>> [(t.text, t.pos) for t in CharGramTokenizer()("大灣區", positions=True, mode="query")]
    [('大湾', 0), ('湾区', 1)]
    >>> [(t.text, t.startchar, t.endchar) for t in CharGramTokenizer()("灣 區", chars=True)]
    [('湾', 0, 1), ('湾区', 0, 3), ('区', 2, 3)]
    """

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        text, folded = _normalised(value, chars)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost, token.stopped = 1.0, False
        n = len(text)
        if mode != "query" or n == 1:
            grams = [(g, i) for i in range(n) for g in ((text[i], text[i:i + 2]) if i < n - 1 else (text[i],))]
        else:
            grams = [(text[i:i + 2], i) for i in range(n - 1)]
        for gram, i in grams:
            token.text = gram
            if keeporiginal:
                token.original = gram
            if positions:
                token.pos = start_pos + i
            if chars:
                s, e = folded.source_span(i, i + len(gram))
                token.startchar, token.endchar = start_char + s, start_char + e
            yield token


class JiebaTokenizer(Tokenizer):
    """Cut the normalised text into jieba words, ``pos`` = word ordinal.

    When indexing (``mode="index"``), the dictionary words inside a longer word are emitted
    too, at the position of that word (as a stemmer would add a variant), so that 湾区 also
    scores on 粤港澳大湾区. Queries (any other mode) get the plain cut.

    >>> [(t.text, t.pos) for t in JiebaTokenizer()("推進粵港澳大灣區建設", positions=True)]
    [('推进', 0), ('粤港澳大湾区', 1), ('建设', 2)]
    >>> [t.text for t in JiebaTokenizer()("大灣區", mode="index")]
    ['大湾', '湾区', '大湾区']
    >>> [(t.text, t.startchar, t.endchar) for t in JiebaTokenizer()("前海 合作", chars=True)]
    [('前海', 0, 2), ('合作', 3, 5)]
    """

    def __init__(self, cache_cuts: bool = False):
        # Heading paths repeat for every provision under a heading: remembering their cuts
        # saves most of the jieba time of the heading field.
        self.cache_cuts = cache_cuts

    def __eq__(self, other):
        return type(other) is type(self) and other.cache_cuts == self.cache_cuts

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        text, folded = _normalised(value, chars)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost, token.stopped = 1.0, False
        with_parts = mode == "index"
        for ordinal, (word, start, end) in enumerate(_cut(text) if self.cache_cuts else _tokenize(text)):
            pieces = ((part, start + s, start + e) for part, s, e in _dictionary_parts(word)) if with_parts else ()
            for piece, s, e in (*pieces, (word, start, end)):
                token.text = piece
                if keeporiginal:
                    token.original = piece
                if positions:
                    token.pos = start_pos + ordinal
                if chars:
                    cs, ce = folded.source_span(s, e)
                    token.startchar, token.endchar = start_char + cs, start_char + ce
                yield token


def _tokenize(text: str):
    return jieba_tokenizer().tokenize(text)


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[tuple[str, int, int], ...]:
    return tuple(jieba_tokenizer().tokenize(text))


@lru_cache(maxsize=65536)
def _dictionary_parts(word: str) -> tuple[tuple[str, int, int], ...]:
    """The dictionary words strictly inside ``word`` (two to eight characters), left to right.

    >>> _dictionary_parts("粤港澳大湾区")[:3]
    (('粤港', 0, 2), ('粤港澳', 0, 3), ('港澳', 1, 3))
    """
    parts = []
    if len(word) > 2:
        freq = jieba_tokenizer().FREQ
        for i in range(len(word) - 1):
            for j in range(i + 2, min(len(word), i + 8) + 1):
                if j - i < len(word) and freq.get(word[i:j]):
                    parts.append((word[i:j], i, j))
    return tuple(parts)


class WordCharFilter(Filter):
    """Drop tokens without a letter or digit (punctuation cut out as words by jieba).

    >>> [t.text for t in word_analyzer()("前海、南沙。")]
    ['前海', '南沙']
    """

    def __call__(self, tokens):
        for token in tokens:
            if _has_word_char(token.text):
                yield token


@lru_cache(maxsize=65536)
def _has_word_char(text: str) -> bool:
    return any(c.isalnum() for c in text)


def gram_analyzer() -> CharGramTokenizer:
    """Return the character unigram + bigram analyser (substring recall)."""
    return CharGramTokenizer()


def word_analyzer():
    """Return the jieba word analyser (ranking)."""
    return JiebaTokenizer() | WordCharFilter()


def heading_analyzer():
    """Return the jieba word analyser for titles and heading paths (cuts remembered)."""
    return JiebaTokenizer(cache_cuts=True) | WordCharFilter()


def query_grams(normalized: str) -> list[str]:
    """Return the grams a query for ``normalized`` text must match, in order.

    >>> query_grams("湾"), query_grams("大湾区")
    (['湾'], ['大湾', '湾区'])
    """
    return [t.text for t in CharGramTokenizer()(normalized, mode="query")]


def query_words(normalized: str) -> list[str]:
    """Return the distinct jieba words of a query, for ranking.

    >>> query_words("粤港澳大湾区建设，建设")
    ['粤港澳大湾区', '建设']
    """
    return list(dict.fromkeys(t.text for t in word_analyzer()(normalized, mode="query")))
