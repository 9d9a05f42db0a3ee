"""Normalise stage: provision text -> script-, variant-, width-, case- and space-insensitive text.

Sits between the corpus parser and the analysers. Everything that is matched — the index,
every query, the recall oracle, the cross-document links — goes through :func:`normalize`,
so "灣區", "湾区" and "湾 区" are the same string to the engine, and so are 著力 and 着力.

**Variant folding, derived from OpenCC's own tables.** Characters that any of OpenCC's
character tables map into each other (Traditional->Simplified, Simplified->Traditional and the
Hong Kong and Taiwan variant tables, read from the files the package ships) form one *folding
class*, and every member of a class folds to the same character. So 著/着, 於/于, 爲/為/为,
臺/台 search as one. Classes are the transitive closure of those tables, which also joins a few
characters of distinct meaning that share a form in the other script (划/画 via 劃/畫, 干/乾/幹);
a hit is then highlighted on the character the source prints.

The folding is *per character*: OpenCC's phrase tables convert a character differently
depending on its neighbours, which would make ``normalize(substring)`` differ from the
matching substring of ``normalize(text)`` and silently lose hits. Converting one character at
a time keeps that property exact, and lets us keep an offset map from every normalised
character back to the original text, so that highlights are drawn on the characters the
source really prints.

Display is another matter (:func:`to_script`): there the reader sees phrase-level OpenCC
conversion in Hong Kong standard forms, never applied to a text already in the chosen script.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import opencc
from opencc import OpenCC

_T2S = OpenCC("t2s")
_S2HK = OpenCC("s2hk")   # display: Traditional in Hong Kong standard forms (為, 着), as the HK-signed agreement prints

# OpenCC's character tables that define the folding classes (phrase tables are left out:
# they decide between readings in context, which per-character matching cannot use).
VARIANT_TABLES = ("STCharacters.txt", "TSCharacters.txt", "HKVariants.txt", "HKVariantsRev.txt",
                  "TWVariants.txt", "TWVariantsRev.txt")

# Categories dropped from matching text: spaces and line breaks (the sources wrap and
# pad words with them), control and format characters (zero-width joiners, BOMs, RTL marks).
_DROPPED_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"}


def _table_pairs():
    """(character, character) pairs that OpenCC's character tables map into each other."""
    folder = Path(opencc.__file__).resolve().parent / "dictionary"
    for name in VARIANT_TABLES:
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            if len(key) == 1:
                for value in values.split():
                    if len(value) == 1 and value != key:
                        yield key, value


@lru_cache(maxsize=1)
def variant_classes() -> dict[str, str]:
    """Map every character of a folding class (two or more members) to the class's folded form.

    The folded form is the character most members convert to with OpenCC t2s (ties: the lowest
    code point), so 乾/幹/榦/干 fold to 干 and 著/着 to 着.

    >>> classes = variant_classes()
    >>> classes["著"] == classes["着"], classes["爲"] == classes["為"] == classes["为"]
    (True, True)
    """
    parent: dict[str, str] = {}

    def root(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    for a, b in _table_pairs():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for ch in parent:
        members.setdefault(root(ch), []).append(ch)
    folded: dict[str, str] = {}
    for group in members.values():
        if len(group) < 2:
            continue
        votes: dict[str, int] = {}
        for ch in group:
            target = _T2S.convert(ch)
            if target in group:
                votes[target] = votes.get(target, 0) + 1
        form = min(group, key=lambda ch: (-votes.get(ch, 0), ch))
        folded.update(dict.fromkeys(group, form))
    return folded


@lru_cache(maxsize=None)
def _base_chars(ch: str) -> str:
    """One source character as readable Simplified match characters (t2s, NFKC, casefold), unfolded."""
    if unicodedata.category(ch) in _DROPPED_CATEGORIES or ch.isspace():
        return ""
    simplified = _T2S.convert(ch) if ord(ch) > 0x2E7F else ch
    folded = unicodedata.normalize("NFKC", simplified).casefold()
    return "".join(c for c in folded if unicodedata.category(c) not in _DROPPED_CATEGORIES and not c.isspace())


@lru_cache(maxsize=None)
def fold_char(ch: str) -> str:
    """Fold one character: script and variants (OpenCC's classes), NFKC width folding, case folding.

    Returns "" for characters that never take part in a match (whitespace, controls).

    >>> fold_char("灣"), fold_char("Ａ"), fold_char("（"), fold_char(" "), fold_char("著") == fold_char("着")
    ('湾', 'a', '(', '', True)
    """
    classes = variant_classes()
    return "".join(classes.get(c, c) for c in _base_chars(ch))


def readable_text(text: str) -> str:
    """The text as readable Simplified characters, aligned one to one with :func:`normalize_text`.

    The word segmenter reads this (jieba knows 着力 and 规划, not their folded forms); its words
    are then folded, so that they match across scripts and variants.

    >>> readable_text("著力 規劃"), len(readable_text("著力 規劃")) == len(normalize_text("著力 規劃"))
    ('著力规划', True)
    """
    return "".join(_base_chars(ch) for ch in text)


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


def is_han(ch: str) -> bool:
    """Whether ``ch`` is a Chinese character (the unified ideographs, extension A and compatibility forms)."""
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


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


_CLAUSE_BREAKS = frozenset("，。；：、！？,.;:!?（）()“”‘’《》「」『』\n ")


@lru_cache(maxsize=8192)
def _convert_clause(clause: str, target: str) -> str:
    """One clause converted by phrase; per character if a phrase conversion changes the length."""
    converter = _S2HK if target == "hant" else _T2S
    converted = converter.convert(clause)
    if len(converted) == len(clause):
        return converted
    return "".join(c if len(c) == 1 else ch for ch, c in ((ch, converter.convert(ch)) for ch in clause))


def to_script(text: str, target: str, source: str | None = None) -> str:
    """Convert text for *display* to ``"hans"`` or ``"hant"`` (Hong Kong forms), keeping its length.

    A text whose ``source`` script is already ``target`` is returned as printed: a Traditional
    source is never re-converted. Conversion is by phrase (干部 -> 幹部, not 乾部), clause by
    clause; a clause whose phrase conversion would change its length is converted character
    by character instead, so offsets into the source text (highlights) stay valid.

    >>> to_script("粤港澳大湾区的干部为了平台", "hant")
    '粵港澳大灣區的幹部為了平台'
    >>> to_script("平臺", "hant", source="hant"), to_script("平臺", "hans", source="hant")
    ('平臺', '平台')
    """
    if target not in ("hans", "hant"):
        raise ValueError(f"unknown script {target!r}: use 'hans' or 'hant'")
    if source == target:
        return text
    out, start = [], 0
    for index, ch in enumerate(text):
        if ch in _CLAUSE_BREAKS:
            out.append(_convert_clause(text[start:index], target) + ch)
            start = index + 1
    out.append(_convert_clause(text[start:], target))
    return "".join(out)
