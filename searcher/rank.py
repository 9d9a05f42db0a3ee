"""Rank stage: order exact hits by how much they are about the query, and score the related tier.

Part of :mod:`searcher.search`, after matching. Everything here is computed from the records'
normalised texts held in memory and the sets of records that contain each term, so it is the
same whatever engine holds the index.

**Exact hits** (every term occurs) are scored, per positive term *t*, with
``idf(t) = ln(1 + N / df(t))`` (N records, df(t) records containing *t*) times:

* the term's occurrences in the record's own wording, saturated and length-normalised as in
  BM25 (:data:`K1`, :data:`B`); an occurrence that is an item of an enumeration (next to a
  、) counts :data:`LIST_WEIGHT`; the whole is multiplied by the record's weight: a footnote, an
  entry of a project list (专栏) or a task line of an annex counts less (:data:`KIND_WEIGHTS`)
  unless its own title holds the term;
* :data:`TITLE_WEIGHT` if the record's own title (its lead-in) holds it;
* :data:`PATH_WEIGHT` if a heading above it holds it (the provision sits under the topic);
* :data:`UNITS_WEIGHT` for occurrences only inside its list of responsible units (metadata:
  社会保障 in 省人力资源社会保障厅 is not about social security);
* :data:`WORD_WEIGHT` if the term stands as a word of its own (jieba: 南沙 in 南沙新区), not
  only inside a longer name (南沙港铁路);

and a heading hit scores :data:`HEADING_WEIGHT` times the share of its title the terms cover.
Ties keep document order.

**Related records** (the second tier, never counted as results) hold part of the query. Each
is scored by :func:`related_score`: :data:`LOOSE_WEIGHT` per term whose characters all occur in
order within a short span (:func:`loose_pattern`: 水资源安全 for 水安全, 深(圳)中(山)通道 for
深中通道); :data:`UNDER_WEIGHT` if a heading above it holds a term, exactly or loosely; and a
BM25 sum over the query's *pieces* — its terms, the words jieba cuts them into (职业资格:
职业, 资格) and their character bigrams — each weighted by its idf and length and divided by
the query's total, plus :data:`RELATED_TITLE_WEIGHT` times the share its own title holds. The
best :data:`RELATED_LIMIT` with a score of at least :data:`RELATED_MIN_SCORE` are listed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from math import log

from .normalize import normalize_text
from .records import Record

K1 = 0.8
B = 0.3
LIST_WEIGHT = 0.4
TITLE_WEIGHT = 1.5
PATH_WEIGHT = 0.8
UNITS_WEIGHT = 0.1
WORD_WEIGHT = 0.3
HEADING_WEIGHT = 1.0
KIND_WEIGHTS = {"footnote": 0.5, "box": 0.6, "annex": 0.7}
LOOSE_GAP = 4
LOOSE_WEIGHT = 0.3
UNDER_WEIGHT = 0.6
RELATED_LIMIT = 40
RELATED_MIN_SCORE = 0.05
RELATED_TITLE_WEIGHT = 0.5
RELATED_CHAR_WEIGHT = 0.5
_ENUMERATION = "、"


@dataclass(frozen=True)
class Features:
    """What ranking needs of one record, computed once per index generation."""

    norm: str
    length: int                      # normalised characters outside the unit list
    units: tuple[int, int] | None    # the unit list, in normalised offsets
    title: str                       # normalised own title (a provision's lead-in, a heading's title)
    path: tuple[str, ...]            # normalised titles of the headings above it
    path_ids: tuple[str, ...]
    weight: float
    heading: bool


def features(record: Record, norm: str, path_titles: tuple[str, ...]) -> Features:
    """The ranking features of one record (``path_titles``: its headings' normalised titles)."""
    units = None
    if record.units and record.units.span:
        start, end = record.units.span
        units = (len(normalize_text(record.text[:start])), len(normalize_text(record.text[:end])))
    kinds = {step.kind for step in record.path}
    weight = KIND_WEIGHTS["footnote"] if record.kind == "footnote" else \
        KIND_WEIGHTS["box"] if "box" in kinds else KIND_WEIGHTS["annex"] if "annex" in kinds else 1.0
    length = len(norm) - (units[1] - units[0] if units else 0)
    return Features(norm, max(1, length), units, normalize_text(record.title), path_titles,
                    tuple(step.id for step in record.path), weight, record.is_heading)


def idf(records: int, frequency: int) -> float:
    return log(1 + records / max(1, frequency))


def _saturated(tf: float, length: int, average: float) -> float:
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average)) if tf else 0.0


def _occurrences(norm: str, term: str, units: tuple[int, int] | None) -> tuple[int, int, int]:
    """(in the wording, as an item of an enumeration, inside the unit list) occurrences of ``term``."""
    wording = listed = in_units = 0
    start = norm.find(term)
    while start != -1:
        end = start + len(term)
        if units and units[0] <= start < units[1]:
            in_units += 1
        elif (start and norm[start - 1] == _ENUMERATION) or (end < len(norm) and norm[end] == _ENUMERATION):
            listed += 1
        else:
            wording += 1
        start = norm.find(term, end)
    return wording, listed, in_units


def exact_score(f: Features, docnum: int, terms: list[tuple[str, float, frozenset]], average: float) -> float:
    """The score of exact hit ``docnum`` (see the module docstring).

    ``terms``: (normalised term, its idf, the records in which it stands as a jieba word).
    """
    score = 0.0
    for term, weight, as_word in terms:
        if f.heading:
            covered = len(term) / max(1, len(f.title or f.norm))
            score += weight * HEADING_WEIGHT * min(1.0, covered)
            continue
        wording, listed, in_units = _occurrences(f.norm, term, f.units)
        in_title = bool(f.title) and term in f.title
        kind_weight = 1.0 if in_title else f.weight
        part = kind_weight * _saturated(wording + LIST_WEIGHT * listed, f.length, average)
        part += TITLE_WEIGHT * in_title + PATH_WEIGHT * any(term in title for title in f.path)
        part += UNITS_WEIGHT * _saturated(in_units, f.length, average)
        part += WORD_WEIGHT * (docnum in as_word)
        score += weight * part
    return score


@lru_cache(maxsize=1024)
def loose_pattern(term: str) -> re.Pattern | None:
    """The term's characters in order, at most :data:`LOOSE_GAP` others between each two.

    None for terms shorter than three characters: two characters a few apart match by chance
    (口岸 in 珠江口西岸).

    >>> bool(loose_pattern("水安全").search("强化水资源安全保障")), bool(loose_pattern("深中通道").search("深圳中山通道"))
    (True, True)
    >>> loose_pattern("口岸") is None
    True
    """
    if len(term) < 3:
        return None
    return re.compile(f".{{0,{LOOSE_GAP}}}".join(map(re.escape, term)))


def _share(f: Features, pieces: list[tuple[str, float]], average: float) -> float:
    """The weighted share of the query's pieces a record holds, each piece's occurrences saturated as in BM25."""
    return sum(weight * _saturated(f.norm.count(piece), f.length, average) / (K1 + 1) for piece, weight in pieces)


def related_score(f: Features, pieces: list[tuple[str, float]], loose: int, under: bool, average: float) -> float:
    """A related record's score: loose phrases, a matching heading above it, and its share of the query.

    ``pieces``: (piece, its weight) — weights are idf x length and sum to 1 over the query;
    ``loose``: the number of terms the record holds loosely (not exactly). The share counts each
    piece's occurrences (saturated as in BM25) and, with :data:`RELATED_TITLE_WEIGHT`, the
    pieces its own title holds.
    """
    share = _share(f, pieces, average)
    in_title = sum(weight for piece, weight in pieces if f.title and piece in f.title)
    return LOOSE_WEIGHT * loose + UNDER_WEIGHT * under + share + RELATED_TITLE_WEIGHT * in_title
