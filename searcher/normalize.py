"""Normalise stage: provision text -> script-, width-, case- and space-insensitive text.

Sits between the corpus parser and the analysers. Everything that is matched — the index,
every query, the recall oracle, the cross-document links — goes through :func:`normalize`,
so "灣區", "湾区" and "湾 区" are the same string to the engine.

The folding is deliberately *per character*: OpenCC's phrase tables convert a character
differently depending on its neighbours, which would make ``normalize(substring)`` differ
from the matching substring of ``normalize(text)`` and silently lose hits. Converting one
character at a time (with OpenCC's own character table) keeps that property exact, and lets
us keep an offset map from every normalised character back to the original text, so that
highlights are drawn on the characters the source really prints.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC

_T2S = OpenCC("t2s")
_S2T = OpenCC("s2t")

# Categories dropped from matching text: spaces and line breaks (the sources wrap and
# pad words with them), control and format characters (zero-width joiners, BOMs, RTL marks).
_DROPPED_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"}


@lru_cache(maxsize=None)
def fold_char(ch: str) -> str:
    """Fold one character: Traditional->Simplified, NFKC width folding, case folding.

    Returns "" for characters that never take part in a match (whitespace, controls).

    >>> fold_char("灣"), fold_char("Ａ"), fold_char("（"), fold_char(" ")
    ('湾', 'a', '(', '')
    """
    if unicodedata.category(ch) in _DROPPED_CATEGORIES or ch.isspace():
        return ""
    simplified = _T2S.convert(ch) if ord(ch) > 0x2E7F else ch
    folded = unicodedata.normalize("NFKC", simplified).casefold()
    return "".join(c for c in folded if unicodedata.category(c) not in _DROPPED_CATEGORIES and not c.isspace())


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, for each of its characters, the offset of its source character."""

    text: str
    to_source: tuple[int, ...]
    source_length: int

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the original text."""
        if start >= end:
            anchor = self.to_source[start] if start < len(self.to_source) else self.source_length
            return anchor, anchor
        return self.to_source[start], self.to_source[end - 1] + 1


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for matching and keep the offset map back to it.

    >>> n = normalize("粵港澳 大灣區")
    >>> n.text, n.source_span(3, 6)
    ('粤港澳大湾区', (4, 7))
    """
    out: list[str] = []
    to_source: list[int] = []
    for index, ch in enumerate(text):
        folded = fold_char(ch)
        if folded:
            out.append(folded)
            to_source.extend([index] * len(folded))
    return Normalized("".join(out), tuple(to_source), len(text))


def normalize_text(text: str) -> str:
    """Normalise without the offset map (queries, oracle scans)."""
    return "".join(fold_char(ch) for ch in text)


def find_all(haystack: Normalized, needle: str) -> list[tuple[int, int]]:
    """Return every occurrence of normalised ``needle`` as spans of the *original* text."""
    spans: list[tuple[int, int]] = []
    if not needle:
        return spans
    start = haystack.text.find(needle)
    while start != -1:
        spans.append(haystack.source_span(start, start + len(needle)))
        start = haystack.text.find(needle, start + 1)
    return spans


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge the overlapping or touching ones."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=None)
def _convert_char(ch: str, target: str) -> str:
    converter = _S2T if target == "hant" else _T2S
    converted = converter.convert(ch)
    return converted if len(converted) == 1 else ch


def to_script(text: str, target: str) -> str:
    """Convert text for *display* to ``"hans"`` or ``"hant"``, keeping its length.

    Phrase-level OpenCC gives the better reading (干部 -> 幹部, not 乾部); where a phrase
    conversion would change the length, the text is converted character by character
    instead, so offsets into the source text (highlights) stay valid on the converted text.

    >>> to_script("粤港澳大湾区的干部", "hant")
    '粵港澳大灣區的幹部'
    """
    if target not in ("hans", "hant"):
        raise ValueError(f"unknown script {target!r}: use 'hans' or 'hant'")
    converter = _S2T if target == "hant" else _T2S
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_convert_char(ch, target) for ch in text)
