"""Links stage, first part: the wording two provisions are compared on, and the measures of a pair.

*Link text* is a provision's text without its metadata (the responsible-unit list, ``Units.span``:
（牵头单位：…；参加单位：…） or the action plan's trailing （省发展改革委，…）), normalised by
:func:`~searcher.normalize.normalize` (script, width, case, whitespace) with punctuation and other
symbols removed. Every measure the app shows of a pair of provisions is computed here, once:

* :func:`similarity` — ``1 − Levenshtein distance / length of the longer link text``;
* :func:`similarity_percent` — that number as every page prints it (floored: 99.6 % is 99 %,
  so 100 % means the same wording);
* :func:`shared_passages` and :func:`one_to_one` — the passages of at least ``MIN_SHARED``
  characters the two link texts share, each character counted once.
"""
from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from rapidfuzz.distance.Levenshtein import distance as _levenshtein

from ..normalize import Normalized, normalize

MIN_SHARED = 12            # characters of a shared passage; the shortest link text that can be linked
SIMILARITY = 0.8           # whole-text similarity of a "similar" pair (inclusive)
SIMILARITY_EXACT = Fraction(str(SIMILARITY))  # for exact threshold arithmetic
SENTENCE_ENDS = frozenset("。!?;")     # after normalisation (NFKC folds ！？； to !?;)


@lru_cache(maxsize=None)
def is_punctuation(ch: str) -> bool:
    """Is this (normalised) character left out of matching? Punctuation and other symbols.

    >>> [is_punctuation(c) for c in "，、“—●湾1a%"]
    [True, True, True, True, True, False, False, False, True]
    """
    return unicodedata.category(ch)[0] == "P" or unicodedata.category(ch) == "So"


@dataclass(frozen=True)
class MatchText:
    """A text's match characters, with maps back to its normalised and original text."""

    text: str                  # normalised, punctuation (and any skipped span) removed
    norm: Normalized           # normalised, punctuation kept
    to_norm: tuple[int, ...]   # match index -> normalised index
    sentences: tuple[tuple[int, int], ...]  # sentence spans in match indexes, in order

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of match characters to the original text."""
        if start >= end:
            anchor = self.to_norm[start] if start < len(self.to_norm) else len(self.norm.text)
            return self.norm.source_span(anchor, anchor)
        return self.norm.source_span(self.to_norm[start], self.to_norm[end - 1] + 1)

    def source_offsets(self) -> list[int]:
        """Each match character's offset in the original text."""
        return [self.norm.to_source[k] for k in self.to_norm]


def match_text(text: str, skip: tuple[int, int] | None = None) -> MatchText:
    """Normalise ``text`` and drop punctuation (and the original span ``skip``), keeping offsets.

    >>> m = match_text("粵港澳，大灣區。合作 2.8%")
    >>> m.text, m.sentences, m.source_span(0, 6)
    ('粤港澳大湾区合作2.8', ((0, 6), (6, 11)), (0, 7))
    >>> match_text("推进建设。（牵头单位：省发展改革委）", skip=(5, 18)).text
    '推进建设'
    """
    norm = normalize(text)
    chars: list[str] = []
    to_norm: list[int] = []
    sentences: list[tuple[int, int]] = []
    start = 0
    folded = norm.text
    for index, ch in enumerate(folded):
        if skip is not None and skip[0] <= norm.to_source[index] < skip[1]:
            continue  # metadata: not wording
        if not is_punctuation(ch) or (ch == "." and 0 < index < len(folded) - 1
                                      and folded[index - 1].isdigit() and folded[index + 1].isdigit()):
            chars.append(ch)        # a decimal point is part of its number: 2.8 is not 28
            to_norm.append(index)
        elif ch in SENTENCE_ENDS:
            if len(chars) > start:
                sentences.append((start, len(chars)))
            start = len(chars)
    if len(chars) > start:
        sentences.append((start, len(chars)))
    return MatchText("".join(chars), norm, tuple(to_norm), tuple(sentences))


def metadata_span(provision) -> tuple[int, int] | None:
    """The span of a provision's text that is metadata, not wording: its responsible-unit list."""
    units = getattr(provision, "units", None)
    return tuple(units.span) if units is not None and units.span else None


def link_text(provision) -> MatchText:
    """The wording a provision is linked and compared on (see the module docstring)."""
    return match_text(provision.text, metadata_span(provision))


# --------------------------------------------------------------------------- measures

def levenshtein(a: str, b: str) -> int:
    """Return the edit distance of ``a`` and ``b`` (unit costs: insert, delete, substitute).

    RapidFuzz's C++ bit-parallel Levenshtein: the pure-Python bit-parallel version this replaced
    was a fifth of a 50x build (every candidate pair of the links is measured), about 1,000 times
    slower; ``tests/test_links.py`` checks it against the textbook dynamic programme.

    >>> levenshtein("粤港澳大湾区", "粤港大湾区建设")
    3
    """
    return _levenshtein(a, b)


def similarity(a: str, b: str) -> float:
    """The similarity of two link texts: 1 − edit distance / length of the longer, to 4 places.

    The one similarity the app shows, for a link, a pair on ``/links``, ``/compare`` and the JSON.

    >>> similarity("粤港澳大湾区建设", "粤港澳大湾区建设"), similarity("粤港澳大湾区", "粤港大湾区建设")
    (1.0, 0.5714)
    """
    return similarity_of_distance(levenshtein(a, b), max(len(a), len(b)))


def similarity_of_distance(distance: int, longer: int) -> float:
    """:func:`similarity` from an edit distance already known, over strings of this longer length."""
    return round(1.0 - distance / longer, 4) if longer else 1.0


def similarity_percent(value: float) -> int:
    """A similarity as the pages print it: floored to a whole per cent (100 only for equal texts).

    >>> similarity_percent(0.9999), similarity_percent(0.8), similarity_percent(1.0)
    (99, 80, 100)
    """
    return math.floor(round(value * 100, 6))


def coverage(shared_chars: int, length: int) -> float:
    """The share of a link text (of this length) that shared passages cover, to 4 places."""
    return round(shared_chars / length, 4) if length else 0.0


def is_similar(distance: int, longer: int) -> bool:
    """Does an edit distance over strings of this longer length reach SIMILARITY? (exact arithmetic)"""
    return longer > 0 and Fraction(longer - distance, longer) >= SIMILARITY_EXACT


def max_edits(length: int) -> int:
    """The most edits a string of this length (the longer one) may take and stay SIMILAR."""
    return length * (SIMILARITY_EXACT.denominator - SIMILARITY_EXACT.numerator) // SIMILARITY_EXACT.denominator


@lru_cache(maxsize=4096)
def _gram_positions(text: str, minimum: int) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Where each substring of length ``minimum`` starts in ``text``: its first start, and any later ones.

    Remembered (a text is in many pairs); built with C-speed calls, since a repeat inside one
    text is rare: the first starts are one ``dict(zip(...))``, later starts a second small dict.
    """
    grams = [text[start:start + minimum] for start in range(len(text) - minimum + 1)]
    first = dict(zip(reversed(grams), range(len(grams) - 1, -1, -1)))   # reversed: the first start wins
    later: dict[str, list[int]] = {}
    if len(first) < len(grams):
        for start, gram in enumerate(grams):
            if first[gram] != start:
                later.setdefault(gram, []).append(start)
    return first, later


def shared_passages(a: str, b: str, minimum: int = MIN_SHARED) -> list[tuple[int, int, int]]:
    """Every maximal common substring of ``a`` and ``b`` at least ``minimum`` long, as (i, j, length).

    The seeds are the substrings of length ``minimum`` both texts hold (a set intersection of
    their remembered positions); each maximal run is extended once, from its leftmost seed.

    >>> shared_passages("xxabcdefy", "abcdefzz", 4)
    [(2, 0, 6)]
    """
    if len(a) < minimum or len(b) < minimum:
        return []
    in_a, in_b = _gram_positions(a, minimum), _gram_positions(b, minimum)
    seeds = sorted((i, j) for gram in in_a[0].keys() & in_b[0].keys()
                   for i in (in_a[0][gram], *in_a[1].get(gram, ())) for j in (in_b[0][gram], *in_b[1].get(gram, ())))
    found: list[tuple[int, int, int]] = []
    reach: dict[int, int] = {}  # diagonal -> end of the run already found on it
    for i, j in seeds:
        diagonal = i - j
        if reach.get(diagonal, -1) >= i + minimum:
            continue  # inside a run found from an earlier start; seeds go left to right, never its start
        end = i + minimum
        while end < len(a) and end - diagonal < len(b) and a[end] == b[end - diagonal]:
            end += 1
        reach[diagonal] = end
        found.append((i, j, end - i))
    return found


def one_to_one(runs, len_a: int, len_b: int, minimum: int = MIN_SHARED) -> list[tuple[int, int, int]]:
    """Pick runs longest first so that no character is used twice; clip the overlapping ones.

    >>> one_to_one([(0, 0, 14), (2, 20, 12)], 40, 40, 12)
    [(0, 0, 14)]
    """
    covered_a, covered_b = bytearray(len_a), bytearray(len_b)
    chosen = []
    for i, j, n in sorted(runs, key=lambda r: (-r[2], r[0], r[1])):
        start = None
        for t in range(n + 1):
            free = t < n and not covered_a[i + t] and not covered_b[j + t]
            if free and start is None:
                start = t
            elif not free and start is not None:
                if t - start >= minimum:
                    chosen.append((i + start, j + start, t - start))
                    covered_a[i + start:i + t] = b"\1" * (t - start)
                    covered_b[j + start:j + t] = b"\1" * (t - start)
                start = None
    return sorted(chosen)
