"""Rank stage: order exact hits by how much they are about the query, and score the related tier.

Part of :mod:`searcher.search`, after matching. Everything here is computed from the records'
normalised texts held in memory and the sets of records that contain each term, so it is the
same whatever engine holds the index.

**Exact hits** (every term occurs) are scored, per positive term *t*, with
``idf(t) = ln(1 + N / df(t))`` (N records, df(t) records containing *t*) times:

* the term's occurrences in the record's own wording, saturated and length-normalised as in
  BM25 (:data:`K1`, :data:`B`), each counted by where it stands (:func:`mentions`): an item
  of an enumeration (next to a 、) counts :data:`LIST_WEIGHT`; otherwise the verb that opens
  its clause decides (:func:`clause_role`): a directive verb (推进, 加快, 支持 …) soon before it
  means the sentence orders a measure about it, :data:`DIRECTED_WEIGHT`; a means verb (依托,
  发挥, 利用 …) means it is an instrument or a circumstance, :data:`MEANS_WEIGHT`; the whole is
  multiplied by the record's weight: a footnote, an entry of a project list (专栏) or a task
  line of an annex counts less (:data:`KIND_WEIGHTS`) unless its own title holds the term;
* :data:`DIRECTIVE_BONUS` if at least one occurrence is directed, so that one sentence acting
  on the term outranks several naming it;
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
职业, 资格) and their Chinese character bigrams and characters — each weighted by its idf and length and divided by
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

# Where a mention stands in its clause (the text between two of , ; : 。 ! ? once normalised:
# width folding turns ，；：！？ into their half-width forms). Plans state one measure a clause
# and open the clause with its verb, so that verb says what the sentence does with the term:
# whether the provision is about it (grade 2 in bench/ranking's rules) or merely names it (1).
_CLAUSE_BREAKS = frozenset(",;:。!?")
# Verbs that direct a measure: a term soon after one is what the measure is about
# (加快推进轨道交通建设, 支持在自贸片区开展试点). The common verbs of Chinese plans and action
# programmes, written from general policy language, not from any query or judgment.
DIRECTIVE_VERBS = ("推进", "推动", "加快", "建设", "支持", "完善", "健全", "扩大", "开展", "构建",
                   "打造", "提升", "优化", "促进", "强化", "加强", "深化", "实施", "落实", "做好",
                   "探索", "发展", "鼓励", "建立", "保障", "共建", "创新", "增加", "制定", "规划",
                   "研究", "培育", "引导", "实现")
# Verbs that take what follows as a means or a circumstance of some other measure, not as its
# subject (依托现代农业产业园…, 发挥龙头企业带动作用, 利用…等技术, 随着…建成).
MEANS_VERBS = ("依托", "依靠", "凭借", "借助", "利用", "发挥", "用好", "通过", "随着", "抢抓")
# Adverbs and manner words that may stand before either kind of verb (更好发挥, 积极推进, 高质量建设).
CLAUSE_ADVERBS = ("进一步", "更好", "充分", "积极", "大力", "共同", "联合", "全面", "着力", "持续",
                  "高质量", "高水平", "高标准", "依法", "有序", "逐步", "稳步", "率先")
# A directive verb governs the object right after it; past a dozen characters the term is
# usually in a modifier or a second object of some other measure.
DIRECTIVE_REACH = 12
# A directed mention counts half again as much as a plain one: the sentence acts on the term.
DIRECTED_WEIGHT = 1.5
# A mention as a means counts a little more than a list item: named, not acted on.
MEANS_WEIGHT = 0.6
# Once per term when a mention is directed: with saturation, frequency alone lets a record that
# names the term twice in passing outrank one sentence that acts on it.
DIRECTIVE_BONUS = 0.3


@dataclass(frozen=True)
class Features:
    """What ranking needs of one record, computed once per index generation."""

    norm: str
    length: int                      # normalised characters outside the unit list
    units: tuple[int, int] | None    # the unit list, in normalised offsets
    title: str                       # normalised own title (a provision's lead-in, a heading's title)
    path_text: str                   # normalised titles of the headings above it, joined by NUL (no term holds one)
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
    return Features(norm, max(1, length), units, normalize_text(record.title), "\0".join(path_titles),
                    tuple(step.id for step in record.path), weight, record.is_heading)


def idf(records: int, frequency: int) -> float:
    return log(1 + records / max(1, frequency))


def _length_part(length: int, average: float) -> float:
    """The length normalisation of BM25's saturation, for a record of ``length`` among records of ``average``."""
    return K1 * (1 - B + B * length / average)


def _saturated(tf: float, length: int, average: float) -> float:
    return tf * (K1 + 1) / (tf + _length_part(length, average)) if tf else 0.0


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(normalize_text(word)) for word in words)


# The verb that opens a clause, after any adverbs: one match per mention, no slicing.
_OPENING_VERB = re.compile(f"(?:{_alternatives(CLAUSE_ADVERBS)})*"
                           f"(?:(?P<means>{_alternatives(MEANS_VERBS)})|(?P<directed>{_alternatives(DIRECTIVE_VERBS)}))")


def clause_role(norm: str, start: int) -> str:
    """How the clause around the mention at ``start`` treats it: "directed", "means" or "plain".

    >>> clause_role("加快推进轨道交通建设,研究预留线位", 4), clause_role("发挥龙头企业优势,支持建设", 2)
    ('directed', 'means')
    >>> clause_role("随着轨道交通建成。", 2), clause_role("轨道交通建成通车", 0)
    ('means', 'plain')
    """
    opening = start
    while opening and norm[opening - 1] not in _CLAUSE_BREAKS:   # clauses are short: walk back, don't rfind
        opening -= 1
    verb = _OPENING_VERB.match(norm, opening, start)
    if verb is None:
        return "plain"
    if verb["means"]:
        return "means"
    return "directed" if start - opening <= DIRECTIVE_REACH else "plain"


@dataclass
class Mentions:
    """A term's occurrences in one record, by where they stand."""

    plain: int = 0        # in the wording, nothing special about the clause
    directed: int = 0     # in a clause a directive verb opens, soon after it
    means: int = 0        # in a clause a means verb opens
    listed: int = 0       # an item of an enumeration (next to a 、)
    in_units: int = 0     # inside the list of responsible units

    def weighted(self) -> float:
        """The occurrences that count towards the term's frequency, each weighted by where it stands."""
        return self.plain + DIRECTED_WEIGHT * self.directed + MEANS_WEIGHT * self.means + LIST_WEIGHT * self.listed


def mentions(norm: str, term: str, units: tuple[int, int] | None) -> Mentions:
    """Where each occurrence of ``term`` in ``norm`` stands (see :class:`Mentions`)."""
    found = Mentions()
    start = norm.find(term)
    while start != -1:
        end = start + len(term)
        if units and units[0] <= start < units[1]:
            found.in_units += 1
        elif (start and norm[start - 1] == _ENUMERATION) or (end < len(norm) and norm[end] == _ENUMERATION):
            found.listed += 1
        else:
            role = clause_role(norm, start)
            setattr(found, role, getattr(found, role) + 1)
        start = norm.find(term, end)
    return found


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
        found = mentions(f.norm, term, f.units)
        in_title = bool(f.title) and term in f.title
        kind_weight = 1.0 if in_title else f.weight
        part = kind_weight * _saturated(found.weighted(), f.length, average)
        part += TITLE_WEIGHT * in_title + PATH_WEIGHT * (term in f.path_text)
        part += UNITS_WEIGHT * _saturated(found.in_units, f.length, average)
        part += DIRECTIVE_BONUS * bool(found.directed)
        part += WORD_WEIGHT * (docnum in as_word)
        score += weight * part
    return score


_MENTION_CEILING = max(1.0, DIRECTED_WEIGHT, MEANS_WEIGHT, LIST_WEIGHT)   # what one mention can weigh at most


@dataclass(frozen=True)
class Columns:
    """What :func:`exact_ceilings` reads of every record, one list per feature (its loop runs once per hit)."""

    norms: list[str]
    titles: list[str]
    paths: list[str]          # Features.path_text
    weights: list[float]
    softs: list[float]        # each record's _length_part
    headings: list[bool]


def columns(features: list[Features], average: float) -> Columns:
    """The columns of ``features`` (once per index generation)."""
    return Columns([f.norm for f in features], [f.title for f in features], [f.path_text for f in features],
                   [f.weight for f in features], [_length_part(f.length, average) for f in features],
                   [f.heading for f in features])


def exact_ceilings(table: Columns, docnums, terms: list[tuple[str, float, object]]) -> list[tuple[float, int]]:
    """(-bound, docnum) for each record, ready for a heap: ``bound`` is an upper bound of its :func:`exact_score`.

    From counts alone, no clause reading: every mention is taken at the heaviest weight a
    mention can have, unit-list mentions are counted again, the directive bonus and the word
    weight are given. Each part is monotone in what it over-counts, so the bound holds.
    """
    out = []
    heavy, k1 = _MENTION_CEILING, K1 + 1
    norms, titles, paths, weights, softs, headings = (table.norms, table.titles, table.paths, table.weights,
                                                      table.softs, table.headings)
    for d in docnums:
        score = 0.0
        if headings[d]:
            size = max(1, len(titles[d] or norms[d]))
            for term, weight, _ in terms:
                score += weight * HEADING_WEIGHT * min(1.0, len(term) / size)
        else:
            norm, title, path, soft = norms[d], titles[d], paths[d], softs[d]
            for term, weight, _ in terms:
                count = norm.count(term)
                in_title = term in title
                part = TITLE_WEIGHT * in_title + PATH_WEIGHT * (term in path) + WORD_WEIGHT
                if count:
                    part += ((1.0 if in_title else weights[d]) * heavy * count * k1 / (heavy * count + soft)
                             + UNITS_WEIGHT * count * k1 / (count + soft) + DIRECTIVE_BONUS)
                score += weight * part
        out.append((-score, d))
    return out


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
    share = 0.0
    for piece, weight in pieces:       # saturated only where present: most candidates lack most pieces
        count = f.norm.count(piece)
        if count:
            share += weight * _saturated(count, f.length, average) / (K1 + 1)
    return share


def light_pieces(pieces: list[tuple[str, float]]) -> set[str]:
    """The lightest pieces that together cannot lift a record to :data:`RELATED_MIN_SCORE` (MaxScore pruning).

    A piece adds at most its weight to the share (saturation stays below 1) and
    :data:`RELATED_TITLE_WEIGHT` times it for the title, so a record holding none but these,
    neither loosely nor under a matching heading, scores below the threshold: it need not be
    scored, and the records holding them need not be gathered as candidates.
    """
    light, ceiling = set(), 0.0
    for piece, weight in sorted(pieces, key=lambda item: (item[1], item[0])):
        ceiling += weight * (1 + RELATED_TITLE_WEIGHT)
        if ceiling >= RELATED_MIN_SCORE:
            break
        light.add(piece)
    return light


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
