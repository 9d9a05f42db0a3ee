"""Analysis stage: normalised text -> tokens (jieba words for ranking, character n-grams for recall).

Sits between :mod:`searcher.normalize` and :mod:`searcher.index`. Two Whoosh tokenizers and
their analyser factories:

* :class:`CharGramTokenizer` emits every character (unigram) and every pair of adjacent
  characters (bigram) of the *normalised* text, numbered by the position of their first
  character. A phrase query over the consecutive bigrams of a query is then exactly a
  substring test, and a one-character query is a unigram term: this field carries recall.
* :class:`JiebaTokenizer` cuts the text into words with jieba (plus the user dictionary of
  the plans' proper names), numbering ``pos`` by token, not by character as jieba's bundled
  ``ChineseTokenizer`` does. jieba reads the readable Simplified form of the text
  (:func:`~searcher.normalize.readable_text`); each word it cuts is emitted folded, so words
  match across scripts and variants (著力 = 着力).

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

from .normalize import Normalized, normalize, normalize_text, readable_text

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
    """Cut the readable text into jieba words and emit them folded, ``pos`` = word ordinal.

    Indexing and queries get the same plain cut: the field tells whether a term stands as a
    word of its own (南沙 in 南沙新区), which ranking rewards; substrings are the gram field's job.

    >>> [(t.text, t.pos) for t in JiebaTokenizer()("推進粵港澳大灣區建設", positions=True)]
    [('推进', 0), ('粤港澳大湾区', 1), ('建设', 2)]
    >>> [(t.text, t.startchar, t.endchar) for t in JiebaTokenizer()("前海 合作", chars=True)]
    [('前海', 0, 2), ('合作', 3, 5)]
    >>> [t.text for t in JiebaTokenizer()("著力推進")] == [t.text for t in JiebaTokenizer()("着力推进")]
    True
    """

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        text, folded = _normalised(value, chars)
        readable = readable_text(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.boost, token.stopped = 1.0, False
        for ordinal, (_word, start, end) in enumerate(_tokenize(readable)):
            token.text = text[start:end]
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + ordinal
            if chars:
                cs, ce = folded.source_span(start, end)
                token.startchar, token.endchar = start_char + cs, start_char + ce
            yield token


def _tokenize(text: str):
    return jieba_tokenizer().tokenize(text)


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


def query_grams(normalized: str) -> list[str]:
    """Return the grams a query for ``normalized`` text must match, in order.

    >>> query_grams("湾"), query_grams("大湾区")
    (['湾'], ['大湾', '湾区'])
    """
    return [t.text for t in CharGramTokenizer()(normalized, mode="query")]


def query_words(text: str) -> list[str]:
    """Return the distinct jieba words of a query's text (folded), for ranking.

    >>> query_words("粤港澳大湾区建设，建设")
    ['粤港澳大湾区', '建设']
    """
    return list(dict.fromkeys(t.text for t in word_analyzer()(text, mode="query")))
