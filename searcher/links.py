"""Links stage: shared and near-shared wording across documents (diffs: :mod:`searcher.diff`).

Runs beside the index build (provisions -> normalised text -> links.json in the index folder)
and serves the provision page ("Also in"), the search badge, ``/compare`` and ``/links``.

Everything is compared on *match text*: :func:`~searcher.normalize.normalize` (script, width,
case, whitespace) with punctuation and other symbols removed, so "粵港澳大灣區，" and "粤港澳大湾区"
are the same passage. Every offset handed out points into the provision's original text.

Two provisions in different documents are linked when

* **identical**: they share a verbatim passage of at least ``MIN_SHARED`` match characters.
  Candidates come from winnowed character n-gram fingerprints (any shared run of
  ``MIN_SHARED`` characters is guaranteed to share one), then each pair is aligned exactly;
* **similar**: a *unit* of each (the whole provision or one of its sentences, at least
  ``MIN_SHARED`` characters) has Levenshtein similarity ``1 - distance / longer length`` of at
  least ``SIMILARITY``. Candidates come from a prefix-filtered character-trigram join (PPJoin;
  exact for edit distance by the q-gram lemma), verified with a bit-parallel edit distance.

A pair that qualifies both ways is stored once, as "identical". Boilerplate is wording that
recurs in at least ``BOILERPLATE_PROVISIONS`` provisions of the corpus (see :class:`_Linker`).
"""
from __future__ import annotations

import json
import math
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from fractions import Fraction
from functools import lru_cache
from itertools import chain
from pathlib import Path
from urllib.parse import quote

from .errors import SearcherError
from .normalize import Normalized, normalize

MIN_SHARED = 12            # match characters of an identical passage; also the shortest similar unit
SIMILARITY = 0.8           # Levenshtein similarity of a similar unit pair (inclusive)
BOILERPLATE_PROVISIONS = 4  # wording found in this many provisions (any documents) is boilerplate
SPAN_MIN_RUN = 2           # equal runs of a similar-unit alignment shorter than this are not marked
LINKS_FILE = "links.json"  # the file save_links writes inside the index folder
KINDS = ("identical", "similar")

_FORMAT = 1
_SIM = Fraction(str(SIMILARITY))
_WINNOW_Q = 8                          # fingerprint n-gram length ...
_WINNOW_W = MIN_SHARED - _WINNOW_Q + 1  # ... and window: any shared run of MIN_SHARED shares one
_Q = 3                                 # trigrams for the similar join (q-gram lemma needs q <= 3 at 0.8)
_SENTENCE_ENDS = frozenset("。!?;")     # after normalisation (NFKC folds ！？； to !?;)


# --------------------------------------------------------------------------- match text

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

    text: str                  # normalised, punctuation removed
    norm: Normalized           # normalised, punctuation kept
    to_norm: tuple[int, ...]   # match index -> normalised index
    sentences: tuple[tuple[int, int], ...]  # sentence spans in match indexes, in order

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of match characters to the original text."""
        if start >= end:
            anchor = self.to_norm[start] if start < len(self.to_norm) else len(self.norm.text)
            return self.norm.source_span(anchor, anchor)
        return self.norm.source_span(self.to_norm[start], self.to_norm[end - 1] + 1)


def match_text(text: str) -> MatchText:
    """Normalise ``text`` and drop punctuation, keeping offsets and sentence boundaries.

    >>> m = match_text("粵港澳，大灣區。合作 2.8%")
    >>> m.text, m.sentences, m.source_span(0, 6)
    ('粤港澳大湾区合作2.8', ((0, 6), (6, 11)), (0, 7))
    """
    norm = normalize(text)
    chars: list[str] = []
    to_norm: list[int] = []
    sentences: list[tuple[int, int]] = []
    start = 0
    folded = norm.text
    for index, ch in enumerate(folded):
        if not is_punctuation(ch) or (ch == "." and 0 < index < len(folded) - 1
                                      and folded[index - 1].isdigit() and folded[index + 1].isdigit()):
            chars.append(ch)        # a decimal point is part of its number: 2.8 is not 28
            to_norm.append(index)
        elif ch in _SENTENCE_ENDS:
            if len(chars) > start:
                sentences.append((start, len(chars)))
            start = len(chars)
    if len(chars) > start:
        sentences.append((start, len(chars)))
    return MatchText("".join(chars), norm, tuple(to_norm), tuple(sentences))


@dataclass(frozen=True)
class _Key:
    """What the linker keeps of a provision: match text, its map to the original, its sentences."""

    text: str
    to_source: array            # match index -> offset in the original text
    sentences: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> _Key:
        m = match_text(text)
        return cls(m.text, array("I", [m.norm.to_source[k] for k in m.to_norm]), m.sentences)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_source[start], self.to_source[end - 1] + 1


# --------------------------------------------------------------------------- edit distance

def levenshtein(a: str, b: str) -> int:
    """Return the edit distance of ``a`` and ``b`` (Myers/Hyyrö bit-parallel, Python ints as bit vectors).

    >>> levenshtein("粤港澳大湾区", "粤港大湾区建设")
    3
    """
    if len(a) < len(b):
        a, b = b, a
    m = len(a)
    if not b:
        return m
    peq: dict[str, int] = {}
    for i, ch in enumerate(a):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full, top = (1 << m) - 1, 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = (mv | ~(xh | pv)) & full
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = ((ph << 1) | 1) & full
        mh = (mh << 1) & full
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv
    return score


def similarity(a: str, b: str) -> float:
    """Character similarity: 1 - edit distance / length of the longer string (1.0 for two empty strings)."""
    longer = max(len(a), len(b))
    return 1.0 - levenshtein(a, b) / longer if longer else 1.0


def is_similar(distance: int, longer: int) -> bool:
    """Does an edit distance over strings of this longer length reach SIMILARITY? (exact arithmetic)"""
    return longer > 0 and Fraction(longer - distance, longer) >= _SIM


def shared_passages(a: str, b: str, minimum: int = MIN_SHARED) -> list[tuple[int, int, int]]:
    """Every maximal common substring of ``a`` and ``b`` at least ``minimum`` long, as (i, j, length).

    >>> shared_passages("xxabcdefy", "abcdefzz", 4)
    [(2, 0, 6)]
    """
    if len(a) < minimum or len(b) < minimum:
        return []
    positions: dict[str, list[int]] = defaultdict(list)
    for j in range(len(b) - minimum + 1):
        positions[b[j:j + minimum]].append(j)
    found: list[tuple[int, int, int]] = []
    reach: dict[int, int] = {}  # diagonal -> end of the run already found on it
    for i in range(len(a) - minimum + 1):
        for j in positions.get(a[i:i + minimum], ()):
            diagonal = i - j
            if reach.get(diagonal, -1) >= i + minimum:
                continue  # inside a run found from an earlier start; scanning left to right, never its start
            end = i + minimum
            while end < len(a) and end - diagonal < len(b) and a[end] == b[end - diagonal]:
                end += 1
            reach[diagonal] = end
            found.append((i, j, end - i))
    return found


def _one_to_one(runs, covered_a: bytearray, covered_b: bytearray, minimum: int) -> list[tuple[int, int, int]]:
    """Pick runs longest first so that no character is used twice; clip the overlapping ones."""
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
    return chosen


# --------------------------------------------------------------------------- candidates

def _fingerprints(text: str) -> set[int]:
    """Winnowed n-gram hashes: any run of MIN_SHARED characters shared by two texts shares one."""
    if len(text) < MIN_SHARED:
        return set()
    hashes = [hash(text[i:i + _WINNOW_Q]) & _HASH_MASK for i in range(len(text) - _WINNOW_Q + 1)]
    return {min(hashes[i:i + _WINNOW_W]) for i in range(len(hashes) - _WINNOW_W + 1)}


_HASH_MASK = (1 << 40) - 1


def _passage_fingerprint(passage: str) -> int:
    """The fingerprint every text containing ``passage`` (at least MIN_SHARED long) has selected."""
    return min(hash(passage[i:i + _WINNOW_Q]) & _HASH_MASK for i in range(_WINNOW_W))


def _fingerprint_groups(texts: list[str]) -> dict[int, tuple[int, ...]]:
    """Fingerprint -> the texts (indexes) that hold it, for fingerprints held by two or more texts.

    One sorted list of packed ints rather than a dict of lists: far less memory at scale.
    """
    shift = max(1, len(texts).bit_length())
    packed = sorted((h << shift) | index for index, text in enumerate(texts) for h in _fingerprints(text))
    low = (1 << shift) - 1
    groups: dict[int, tuple[int, ...]] = {}
    start = 0
    for end in range(1, len(packed) + 1):
        if end == len(packed) or packed[end] >> shift != packed[start] >> shift:
            if end - start > 1:
                groups[packed[start] >> shift] = tuple(value & low for value in packed[start:end])
            start = end
    return groups


@dataclass(frozen=True)
class _Unit:
    """A whole provision or one of its sentences, as a span of the provision's match text."""

    provision: int
    start: int
    end: int
    text: str


def _units(keys: list[_Key]) -> list[_Unit]:
    units = []
    for index, key in enumerate(keys):
        spans = {(0, len(key.text))} | set(key.sentences)
        units.extend(_Unit(index, s, e, key.text[s:e]) for s, e in sorted(spans) if e - s >= MIN_SHARED)
    return units


def _tokens(texts: list[str]) -> tuple[list[array], int]:
    """Each text's trigrams as ints, numbered by occurrence (a multiset as a set), rarest first.

    Also returns the first token that more than one text holds: tokens below it cannot match.
    Grams are counted by hash (a collision only merges two tokens: more candidates, never fewer).
    """
    hashed = [array("q", map(hash, (text[i:i + _Q] for i in range(len(text) - _Q + 1)))) for text in texts]
    frequency = Counter(chain.from_iterable(map(set, hashed)))
    width = 1 + max(map(len, texts), default=0)
    ranked = frequency.most_common()
    ranked.reverse()
    rank = {gram: r * width for r, (gram, _) in enumerate(ranked)}
    shared = width * sum(1 for _, count in ranked if count == 1)
    del frequency, ranked
    tokens = []
    for grams in hashed:
        numbered = sorted(map(rank.__getitem__, grams))
        if len(set(numbered)) < len(numbered):             # number repeats: rank, rank + 1, ...
            previous, occurrence = -1, 0
            for k, token in enumerate(numbered):
                occurrence = occurrence + 1 if token == previous else 0
                previous, numbered[k] = token, token + occurrence
        tokens.append(array("q", numbered))
    return tokens, shared


def _max_edits(length: int) -> int:
    """The most edits a string of this length (the longer one) may take and stay SIMILAR."""
    return length * (_SIM.denominator - _SIM.numerator) // _SIM.denominator


def _similar_units(units: list[_Unit]) -> list[tuple[int, int, int]]:
    """Unit pairs of different provisions at SIMILARITY or more, as (unit, unit, edit distance).

    PPJoin over trigram tokens, shortest units first: a pair within ``k`` edits shares all but at
    most ``3k`` trigrams (q-gram lemma), so it shares a token in its rarest-first prefixes, and the
    positional bound prunes pairs that cannot reach that overlap. Survivors are verified exactly.
    """
    order = sorted(range(len(units)), key=lambda u: (len(units[u].text), u))
    texts = [units[u].text for u in order]
    provision = [units[u].provision for u in order]
    tokens, shared = _tokens(texts)
    index: dict[int, list[int]] = {}   # token -> packed (unit << 20 | token position), by length
    heads: dict[int, int] = {}         # token -> first posting long enough for the current unit
    found = []
    for a, text in enumerate(texts):
        toks = tokens[a]
        edits = _max_edits(len(text))
        need = len(toks) - _Q * edits                       # overlap any partner must reach
        shortest = math.ceil(len(text) * _SIM)
        counts: dict[int, int] = {}
        for i in range(min(len(toks), _Q * edits + 1)):
            postings = index.get(toks[i]) if toks[i] >= shared else None
            if postings is None:
                continue
            head = heads[toks[i]]
            while head < len(postings) and len(texts[postings[head] >> 20]) < shortest:
                head += 1
            heads[toks[i]] = head
            rest_a = len(toks) - i - 1
            for k in range(head, len(postings)):
                b, j = postings[k] >> 20, postings[k] & 0xFFFFF
                count = counts.get(b, 0)
                if count >= 0:
                    counts[b] = count + 1 if count + 1 + min(rest_a, len(tokens[b]) - j - 1) >= need else -1
        if counts:
            token_set = set(toks)
            for b, count in counts.items():
                if count > 0 and provision[b] != provision[a] and len(token_set.intersection(tokens[b])) >= need:
                    distance = levenshtein(text, texts[b])
                    if is_similar(distance, len(text)):
                        found.append((order[b], order[a], distance))
        longest_partner = len(text) * _SIM.denominator // _SIM.numerator
        for i in range(min(len(toks), _Q * _max_edits(longest_partner) + 1)):
            if toks[i] < shared:
                continue                                    # no other unit holds it
            if toks[i] not in index:
                index[toks[i]], heads[toks[i]] = [], 0
            index[toks[i]].append(a << 20 | i)
    return found


# --------------------------------------------------------------------------- links

@dataclass
class Link:
    """Two provisions in different documents that share wording; stored once, ``a < b``."""

    a: str
    b: str
    kind: str                           # "identical" or "similar"
    similarity: float                   # best of: whole provisions, aligned or similar sentences
    spans_a: list[tuple[int, int]]      # shared spans in a's original text ...
    spans_b: list[tuple[int, int]]      # ... and, pairwise aligned, in b's
    shared_chars: int                   # match characters in the shared spans
    boilerplate: bool                   # all the shared wording recurs in many provisions

    @property
    def doc_a(self) -> str:
        return self.a.split("/", 1)[0]

    @property
    def doc_b(self) -> str:
        return self.b.split("/", 1)[0]

    def flipped(self) -> Link:
        """The same link seen from b (so ``a < b`` no longer holds)."""
        return Link(self.b, self.a, self.kind, self.similarity, self.spans_b, self.spans_a,
                    self.shared_chars, self.boilerplate)

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "kind": self.kind, "similarity": self.similarity,
                "spans_a": [list(s) for s in self.spans_a], "spans_b": [list(s) for s in self.spans_b],
                "shared_chars": self.shared_chars, "boilerplate": self.boilerplate}

    @classmethod
    def from_dict(cls, data: dict) -> Link:
        return cls(data["a"], data["b"], data["kind"], data["similarity"],
                   [tuple(s) for s in data["spans_a"]], [tuple(s) for s in data["spans_b"]],
                   data["shared_chars"], data["boilerplate"])


@dataclass
class LinkView:
    """A link seen from one provision: the other provision and both sides' spans."""

    id: str
    doc: str
    kind: str
    similarity: float
    spans: dict[str, list[list[int]]]   # {"self": [[s, e], ...], "other": [[s, e], ...]}
    shared_chars: int
    boilerplate: bool
    compare_url: str

    def to_dict(self) -> dict:
        return {"id": self.id, "doc": self.doc, "kind": self.kind, "similarity": self.similarity,
                "spans": self.spans, "shared_chars": self.shared_chars,
                "boilerplate": self.boilerplate, "compare_url": self.compare_url}


def compare_url(a: str, b: str) -> str:
    """The /compare permalink for two provision ids."""
    return f"/compare?a={quote(a, safe='/')}&b={quote(b, safe='/')}"


def rank_key(link: Link) -> tuple:
    """Substantive before boilerplate, then more similar, then longer, then by id."""
    return (link.boilerplate, -link.similarity, -link.shared_chars, link.a, link.b)


def compute_links(corpus) -> list[Link]:
    """Find every identical and similar link between provisions of different documents."""
    provisions = [p for document in corpus.documents for p in document.provisions]
    return _Linker([p.id for p in provisions], [p.doc_id for p in provisions],
                   [p.text for p in provisions]).links()


class _Linker:
    """One corpus's links: candidates, exact alignment, spans, similarity and boilerplate.

    Boilerplate rule: a shared passage is *common* when its match text occurs in at least
    BOILERPLATE_PROVISIONS provisions of the corpus, in any documents, the linked two included
    (so "牵头单位：省发展改革委；参加单位：省" in the task lists of two plans is common, while a
    clause copied once into each of four plans is not). A similar unit pair is common when either
    unit is held, verbatim or as a similar unit, by that many provisions. A link is boilerplate
    when every shared passage and similar unit pair of it is common.
    """

    def __init__(self, ids: list[str], docs: list[str], texts: list[str]):
        self.ids, self.docs = ids, docs
        self.keys = [_Key.of(text) for text in texts]
        self.groups = _fingerprint_groups([k.text for k in self.keys])
        self._common: dict[str, bool] = {}
        self._similar_to: dict[_Unit, set[int]] = defaultdict(set)
        self._sentence_sim: dict[tuple, float] = {}

    def links(self) -> list[Link]:
        pairs: dict[tuple[int, int], list] = {}
        for members in self.groups.values():
            for x in members:
                for y in members:
                    if x < y and self.docs[x] != self.docs[y]:
                        pairs.setdefault((x, y), [])
        units = _units(self.keys)
        for u, v, distance in _similar_units(units):
            ua, ub = units[u], units[v]
            self._similar_to[ua].add(ub.provision)
            self._similar_to[ub].add(ua.provision)
            if self.docs[ua.provision] != self.docs[ub.provision]:
                if ua.provision > ub.provision:
                    ua, ub = ub, ua
                pairs.setdefault((ua.provision, ub.provision), []).append((ua, ub, distance))
        found = (self._link(x, y, similar) for (x, y), similar in pairs.items())
        return sorted((link for link in found if link is not None), key=lambda link: (link.a, link.b))

    def holding(self, passage: str) -> set[int]:
        """The provisions whose match text contains ``passage`` (at least MIN_SHARED long)."""
        members = self.groups.get(_passage_fingerprint(passage), ())
        return {m for m in members if passage in self.keys[m].text}

    def is_common(self, passage: str) -> bool:
        """Does this verbatim passage occur in BOILERPLATE_PROVISIONS provisions or more?"""
        if passage not in self._common:
            self._common[passage] = len(self.holding(passage)) >= BOILERPLATE_PROVISIONS
        return self._common[passage]

    def is_common_unit(self, unit: _Unit) -> bool:
        """Is this sentence (or provision) held verbatim or in similar form by many provisions?"""
        places = self.holding(unit.text) | self._similar_to[unit] | {unit.provision}
        return len(places) >= BOILERPLATE_PROVISIONS

    def _link(self, x: int, y: int, similar: list) -> Link | None:
        if self.ids[x] > self.ids[y]:
            x, y, similar = y, x, [(ub, ua, distance) for ua, ub, distance in similar]
        ka, kb = self.keys[x], self.keys[y]
        covered_a, covered_b = bytearray(len(ka.text)), bytearray(len(kb.text))
        passages = _one_to_one(shared_passages(ka.text, kb.text), covered_a, covered_b, MIN_SHARED)
        if not passages and not similar:
            return None  # a fingerprint collision
        best = 0.0
        runs = list(passages)
        for ua, ub, distance in similar:
            best = max(best, 1.0 - distance / max(len(ua.text), len(ub.text)))
            matcher = SequenceMatcher(None, ua.text, ub.text, autojunk=False)
            runs += _one_to_one([(ua.start + i, ub.start + j, n) for i, j, n in matcher.get_matching_blocks()
                                 if n >= SPAN_MIN_RUN], covered_a, covered_b, SPAN_MIN_RUN)
        for sa, sb in _aligned_sentences(ka, kb, passages):
            best = max(best, self._similarity(ka, kb, sa, sb))
        la, lb = len(ka.text), len(kb.text)
        if min(la, lb) / max(la, lb) > best:
            best = max(best, similarity(ka.text, kb.text))
        boilerplate = all(self.is_common(ka.text[i:i + n]) for i, j, n in passages) and all(
            self.is_common_unit(ua) or self.is_common_unit(ub) for ua, ub, _ in similar)
        runs.sort()
        return Link(self.ids[x], self.ids[y], "identical" if passages else "similar", round(best, 4),
                    [ka.source_span(i, i + n) for i, j, n in runs],
                    [kb.source_span(j, j + n) for i, j, n in runs],
                    sum(n for _, _, n in runs), boilerplate)

    def _similarity(self, ka: _Key, kb: _Key, sa: tuple[int, int], sb: tuple[int, int]) -> float:
        key = (ka.text[sa[0]:sa[1]], kb.text[sb[0]:sb[1]])
        if key not in self._sentence_sim:
            self._sentence_sim[key] = similarity(*key)
        return self._sentence_sim[key]


def _aligned_sentences(ka: _Key, kb: _Key, passages) -> set[tuple[tuple[int, int], tuple[int, int]]]:
    """Sentence pairs that a shared passage runs through at corresponding positions."""
    starts_a, starts_b = [s for s, _ in ka.sentences], [s for s, _ in kb.sentences]
    aligned = set()
    for i, j, n in passages:
        for sa in ka.sentences[max(0, bisect_right(starts_a, i) - 1):bisect_left(starts_a, i + n)]:
            lo, hi = max(sa[0], i) - i + j, min(sa[1], i + n) - i + j
            for sb in kb.sentences[max(0, bisect_right(starts_b, lo) - 1):bisect_left(starts_b, hi)]:
                aligned.add((sa, sb))
    return aligned


# --------------------------------------------------------------------------- storage and lookup

def _links_path(path: Path | str) -> Path:
    path = Path(path)
    return path / LINKS_FILE if path.is_dir() else path


def save_links(links: list[Link], path: Path | str, docs: list[str] | None = None) -> None:
    """Write the links as JSON to ``path`` (a file, or the index folder to hold LINKS_FILE).

    ``docs`` gives the documents, in order, for the matrix; by default those the links name.
    """
    path = _links_path(path)
    names = docs if docs is not None else LinkIndex(links).docs
    data = {"format": _FORMAT,
            "params": {"min_shared": MIN_SHARED, "similarity": SIMILARITY,
                       "boilerplate_provisions": BOILERPLATE_PROVISIONS},
            "docs": list(names), "links": [link.to_dict() for link in links]}
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    partial.replace(path)


def load_links(path: Path | str) -> LinkIndex:
    """Read a links file written by save_links (or the one inside an index folder)."""
    path = _links_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {_FORMAT}")
        return LinkIndex([Link.from_dict(d) for d in data["links"]], data["docs"])
    except FileNotFoundError:
        raise SearcherError("no_links_file", 500, path=str(path)) from None
    except (ValueError, KeyError, TypeError) as error:
        raise SearcherError("links_unreadable", 500, path=str(path), detail=str(error)) from None


class LinkIndex:
    """The links of a corpus, looked up by provision, by document pair, or counted per pair."""

    def __init__(self, links: list[Link], docs: list[str] | None = None):
        self.links = links
        named = {link.doc_a for link in links} | {link.doc_b for link in links}
        self.docs = list(docs) if docs is not None else sorted(named)
        self._by_provision: dict[str, list[Link]] = defaultdict(list)
        for link in links:
            self._by_provision[link.a].append(link)
            self._by_provision[link.b].append(link.flipped())
        for seen_from in self._by_provision.values():
            seen_from.sort(key=rank_key)

    def __len__(self) -> int:
        return len(self.links)

    def for_provision(self, provision_id: str) -> list[LinkView]:
        """The provision's links, substantive first, then by similarity and shared length."""
        return [LinkView(link.b, link.doc_b, link.kind, link.similarity,
                         {"self": [list(s) for s in link.spans_a], "other": [list(s) for s in link.spans_b]},
                         link.shared_chars, link.boilerplate, compare_url(link.a, link.b))
                for link in self._by_provision.get(provision_id, ())]

    def link(self, a: str, b: str) -> Link | None:
        """The link between two provisions, seen from ``a``, if there is one."""
        return next((link for link in self._by_provision.get(a, ()) if link.b == b), None)

    def other_documents(self, provision_id: str) -> set[str]:
        """The other documents that share wording with this provision (boilerplate included)."""
        return {link.doc_b for link in self._by_provision.get(provision_id, ())}

    def matrix(self, kind: str | None = None, min_length: int = 0) -> dict:
        """Links per document pair: ``{"docs": [...], "cells": {doc: {other: count}}}``, symmetric."""
        self._check_filters(kind, min_length)
        cells = {a: {b: 0 for b in self.docs} for a in self.docs}
        for link in self.links:
            if self._keep(link, kind, min_length):
                for x, y in ((link.doc_a, link.doc_b), (link.doc_b, link.doc_a)):
                    cells.setdefault(x, {}).setdefault(y, 0)
                    cells[x][y] += 1
        return {"docs": list(self.docs), "cells": cells}

    def between(self, doc_a: str, doc_b: str, kind: str | None = None, min_length: int = 0) -> list[Link]:
        """The links between two documents, each seen from ``doc_a``'s side, best first."""
        self._check_filters(kind, min_length)
        for doc in (doc_a, doc_b):
            if self.docs and doc not in self.docs:
                raise SearcherError("links_unknown_document", 404, doc=doc, known=", ".join(self.docs))
        found = []
        for link in self.links:
            if self._keep(link, kind, min_length):
                if (link.doc_a, link.doc_b) == (doc_a, doc_b):
                    found.append(link)
                elif (link.doc_b, link.doc_a) == (doc_a, doc_b):
                    found.append(link.flipped())
        return sorted(found, key=rank_key)

    @staticmethod
    def _keep(link: Link, kind: str | None, min_length: int) -> bool:
        return (kind is None or link.kind == kind) and link.shared_chars >= min_length

    @staticmethod
    def _check_filters(kind: str | None, min_length: int) -> None:
        if kind is not None and kind not in KINDS:
            raise SearcherError("unknown_link_kind", value=kind, allowed=", ".join(KINDS))
        if min_length < 0:
            raise SearcherError("negative_length", value=min_length)
