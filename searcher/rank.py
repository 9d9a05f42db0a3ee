"""Rank stage: order exact hits by how much they are about the query, and find the related tier.

Part of :mod:`searcher.search`, after matching. Everything here is computed from the records'
normalised texts held in memory and the sets of records that contain each term, so it is the
same whatever engine holds the index.

**Exact hits** (every term occurs) are scored, per positive term *t*, with
``idf(t) = ln(1 + N / df(t))`` (N records, df(t) records containing *t*) times:

* the term's occurrences in the record's own wording, saturated and length-normalised as in
  BM25 (:data:`K1`, :data:`B`), times the record's weight: a footnote, an entry of a project
  list (专栏) or a task line of an annex counts less (:data:`KIND_WEIGHTS`) unless its own
  title holds the term;
* :data:`TITLE_WEIGHT` if the record's own title (its lead-in, or a heading's title) holds it;
* :data:`PATH_WEIGHT` if a heading above it holds it (the provision sits under the topic);
* :data:`UNITS_WEIGHT` for occurrences only inside its list of responsible units (metadata:
  社会保障 in 省人力资源社会保障厅 is not about social security);
* :data:`WORD_WEIGHT` if the term stands as a word of its own (jieba: 南沙 in 南沙新区), not
  only inside a longer name (南沙港铁路);

and a heading hit scores :data:`HEADING_WEIGHT` times the share of its title the terms cover.
Ties keep document order.

**Related records** (the second tier, never counted as hits) contain some of the query but not
all of it: some of its terms, the words jieba cuts a term into (职业资格: 资格), or its
character bigrams; or they sit under a heading that holds a term. They are scored by the
share of the query's weight they contain (:func:`related`), and only those reaching
:data:`RELATED_MIN_SHARE`, or under a matching heading, are listed.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import log

from .normalize import normalize_text
from .records import Record

K1 = 1.2
B = 0.5
TITLE_WEIGHT = 1.5
PATH_WEIGHT = 0.8
UNITS_WEIGHT = 0.1
WORD_WEIGHT = 0.3
HEADING_WEIGHT = 2.5
KIND_WEIGHTS = {"footnote": 0.5, "box": 0.6, "annex": 0.7}
RELATED_LIMIT = 30
RELATED_MIN_SHARE = 0.5
RELATED_HEADING_BONUS = 0.6


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
        total = f.norm.count(term)
        in_units = f.norm.count(term, *f.units) if f.units else 0
        in_title = bool(f.title) and term in f.title
        kind_weight = 1.0 if in_title else f.weight
        part = kind_weight * _saturated(total - in_units, f.length, average)
        part += TITLE_WEIGHT * in_title + PATH_WEIGHT * any(term in title for title in f.path)
        part += UNITS_WEIGHT * _saturated(in_units, f.length, average)
        part += WORD_WEIGHT * (docnum in as_word)
        score += weight * part
    return score


def related(candidates: dict[int, float], heading_matches: set[int], limit: int = RELATED_LIMIT) -> list[tuple[int, float]]:
    """The related tier: candidates [docnum -> share of the query's weight they hold], best first.

    A record under a heading that holds a term (``heading_matches``) gets
    :data:`RELATED_HEADING_BONUS`; a record is kept if its share reaches
    :data:`RELATED_MIN_SHARE` or it is under such a heading.
    """
    scored = []
    for docnum in set(candidates) | heading_matches:
        share = candidates.get(docnum, 0.0)
        under = docnum in heading_matches
        if share >= RELATED_MIN_SHARE or under:
            scored.append((docnum, round(share + RELATED_HEADING_BONUS * under, 4)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]
