"""Highlight stage: where a query's terms stand in a record's original text.

Used by :mod:`searcher.search` (marks, snippets, occurrence counts) and the concordance. All
offsets point into the text *as the source prints it*, whatever script or variant the query
was typed in: matching happens on the normalised text (:mod:`searcher.normalize`) and the
offset map carries each match back.

**One definition of an occurrence**, used by every count the app shows (a hit's
``occurrences``, a search's total occurrences, the concordance, the frequency tables): an
occurrence of a term in a text is a match of the normalised term in the normalised text,
scanning left to right and resuming after each match (so "湾区湾区" holds two occurrences of
湾区, and "aaa" one of "aa"). :func:`occurrences` computes it.
"""
from __future__ import annotations

from functools import lru_cache

from .normalize import Normalized, fold_char, merge_spans, normalize, normalize_text

SNIPPET_CHARS = 120
SNIPPET_LEAD = 20

@lru_cache(maxsize=65536)
def _one_to_one(text: str) -> bool:
    """Does every character of ``text`` fold to exactly one character (so offsets need no map)?

    Remembered per text: a record's text is asked again by every search that hits it.
    """
    return all(len(fold_char(ch)) == 1 for ch in set(text))


def _folded(text: str, norm: str | None = None) -> tuple[str, Normalized | None]:
    """Return (normalised text, offset map or None when every character folds to one character)."""
    if not _one_to_one(text):
        folded = normalize(text)
        return folded.text, folded
    return (norm if norm is not None else normalize_text(text)), None


def occurrence_spans(text: str, norm: str, norm_text: str | None = None) -> list[tuple[int, int]]:
    """Every occurrence of one normalised term (see the module docstring) as spans of ``text``.

    >>> occurrence_spans("湾区湾区 灣區", "湾区"), occurrence_spans("aaa", "aa")
    ([(0, 2), (2, 4), (5, 7)], [(0, 2)])
    """
    folded_text, mapping = _folded(text, norm_text)
    spans = []
    if not norm:
        return spans
    start = folded_text.find(norm)
    while start != -1:
        end = start + len(norm)
        spans.append(mapping.source_span(start, end) if mapping else (start, end))
        start = folded_text.find(norm, end)
    return spans


def occurrences(norm_text: str, norms: list[str]) -> int:
    """The number of occurrences of the terms ``norms`` in a normalised text (the one count)."""
    return sum(norm_text.count(norm) for norm in dict.fromkeys(norms) if norm)


def total_occurrences(norm_texts, norms: list[str]) -> int:
    """:func:`occurrences` summed over many texts (a query's total), term by term: one loop per term, not per text."""
    return sum(text.count(norm) for norm in dict.fromkeys(norms) if norm for text in norm_texts)


@lru_cache(maxsize=16384)
def heading_spans(text: str, norms: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """:func:`highlight_spans` for a heading's "label title", remembered (the same headings recur in every hit)."""
    return tuple(tuple(span) for span in highlight_spans(text, list(norms)))


def highlight_spans(text: str, norms: list[str], norm_text: str | None = None) -> list[list[int]]:
    """Return every match of every normalised term as merged [start, end] offsets into ``text``.

    Overlapping matches are marked too (湾区湾 in 湾区湾区湾 marks all five characters).

    >>> highlight_spans("推進粵港澳 大灣區建設", ["湾区", "粤港"])
    [[2, 4], [7, 9]]
    """
    folded_text, mapping = _folded(text, norm_text)
    spans = []
    for norm in norms:
        start = folded_text.find(norm)
        while start != -1:
            end = start + len(norm)
            spans.append(mapping.source_span(start, end) if mapping else (start, end))
            start = folded_text.find(norm, start + 1)
    return [list(span) for span in merge_spans(spans)]


_CLAUSE_END = set("。；！？;!?，,：:")


def snippet_window(text: str, spans: list[list[int]], width: int = SNIPPET_CHARS) -> tuple[int, int]:
    """Pick the ``width``-character window of ``text`` showing the most highlights (earliest on ties).

    The window starts up to :data:`SNIPPET_LEAD` characters before a highlight, after the last
    clause break in that lead-in if there is one.

    >>> snippet_window("甲" * 300, [[250, 252]], 100)
    (200, 300)
    >>> snippet_window("甲" * 100 + "。乙乙湾区" + "甲" * 100, [[104, 106]], 50)
    (101, 151)
    """
    if len(text) <= width:
        return 0, len(text)
    best, best_count = 0, -1
    for span_start, _ in spans:
        start = max(0, span_start - SNIPPET_LEAD)
        cut = max((k for k in range(start, span_start) if text[k] in _CLAUSE_END), default=-1)
        start = min(cut + 1 if cut >= 0 else start, len(text) - width)  # keep the window full at the end
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best, best_count = start, count
    return best, min(len(text), best + width)
