"""Links stage, second part: find every link between provisions of different documents.

Two provisions of different documents are linked when their link texts
(:func:`~searcher.links.text.link_text`: wording without the responsible-unit list, script,
width, case, whitespace and punctuation folded) are, in this order of precedence,

* ``same``: equal (at least ``MIN_SHARED`` characters);
* ``similar``: of :func:`~searcher.links.text.similarity` ``SIMILARITY`` or more as whole texts;
* ``shared``: holding one or more common passages of ``MIN_SHARED`` characters or more.

Candidates never come from all pairs: shared passages from winnowed character n-gram
fingerprints (any common run of ``MIN_SHARED`` characters is guaranteed to share one), similar
pairs from a prefix-filtered character-trigram join (PPJoin; exact for edit distance by the
q-gram lemma); each candidate is then measured exactly.

**Boilerplate.** A passage is *common* when its text occurs in ``BOILERPLATE_PROVISIONS`` or
more provisions of the corpus (any documents, the linked two included). A ``same`` or
``shared`` link is boilerplate when every passage it shares is common; a ``similar`` link is a
rewrite of a whole provision and never boilerplate. Boilerplate links are kept, marked, and left
out of every count unless the reader asks for them.
"""
from __future__ import annotations

import hashlib
import math
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import chain

from .text import (MIN_SHARED, SIMILARITY, SIMILARITY_EXACT, coverage, is_similar, levenshtein, match_text, max_edits,
                   metadata_span, one_to_one, shared_passages, similarity_of_distance)

BOILERPLATE_PROVISIONS = 4  # wording found in this many provisions (any documents) is common
KINDS = ("same", "similar", "shared")   # in order of precedence

_WINNOW_Q = 8                          # fingerprint n-gram length ...
_WINNOW_W = MIN_SHARED - _WINNOW_Q + 1  # ... and window: any shared run of MIN_SHARED shares one
_Q = 3                                 # trigrams for the similar join (q-gram lemma needs q <= 3 at 0.8)
_HASH_MASK = (1 << 40) - 1


# --------------------------------------------------------------------------- what a link is

@dataclass(frozen=True)
class Passage:
    """One shared passage: its spans in both original texts and its length in link-text characters."""

    a: tuple[int, int]
    b: tuple[int, int]
    chars: int
    common: bool            # the passage occurs in BOILERPLATE_PROVISIONS provisions or more

    def flipped(self) -> Passage:
        return Passage(self.b, self.a, self.chars, self.common)

    def to_dict(self) -> dict:
        return {"a": list(self.a), "b": list(self.b), "chars": self.chars, "common": self.common}

    @classmethod
    def from_dict(cls, data: dict) -> Passage:
        return cls(tuple(data["a"]), tuple(data["b"]), data["chars"], data["common"])


@dataclass(frozen=True)
class Link:
    """Two provisions in different documents that are linked; stored once, ``a < b``."""

    a: str
    b: str
    kind: str                    # "same", "similar" or "shared"
    similarity: float            # text.similarity of the two link texts
    passages: tuple[Passage, ...]
    length_a: int                # link-text characters of each provision
    length_b: int
    boilerplate: bool

    @property
    def doc_a(self) -> str:
        return self.a.split("/", 1)[0]

    @property
    def doc_b(self) -> str:
        return self.b.split("/", 1)[0]

    @property
    def shared_chars(self) -> int:
        """Link-text characters in the shared passages (each character counted once)."""
        return sum(p.chars for p in self.passages)

    @property
    def coverage_a(self) -> float:
        """The share of a's link text that the shared passages cover."""
        return coverage(self.shared_chars, self.length_a)

    @property
    def coverage_b(self) -> float:
        return coverage(self.shared_chars, self.length_b)

    @property
    def spans_a(self) -> list[tuple[int, int]]:
        return [p.a for p in self.passages]

    @property
    def spans_b(self) -> list[tuple[int, int]]:
        return [p.b for p in self.passages]

    def flipped(self) -> Link:
        """The same link seen from b (so ``a < b`` no longer holds)."""
        return Link(self.b, self.a, self.kind, self.similarity, tuple(p.flipped() for p in self.passages),
                    self.length_b, self.length_a, self.boilerplate)

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "kind": self.kind, "similarity": self.similarity,
                "passages": [p.to_dict() for p in self.passages], "length_a": self.length_a,
                "length_b": self.length_b, "boilerplate": self.boilerplate}

    @classmethod
    def from_dict(cls, data: dict) -> Link:
        return cls(data["a"], data["b"], data["kind"], data["similarity"],
                   tuple(Passage.from_dict(p) for p in data["passages"]), data["length_a"], data["length_b"],
                   data["boilerplate"])


def link_kind(a: str, b: str, distance: int, passages) -> str | None:
    """The kind of link between two link texts (edit distance, shared passages), or None: no link.

    >>> link_kind("粤港澳大湾区建设世界级城市群", "粤港澳大湾区建设世界级城市群", 0, [(0, 0, 14)])
    'same'
    >>> link_kind("粤港澳大湾区建设世界级城市群", "粤港澳大湾区打造世界级城市群", 2, [])
    'similar'
    """
    if min(len(a), len(b)) < MIN_SHARED:
        return None
    if a == b:
        return "same"
    if is_similar(distance, max(len(a), len(b))):
        return "similar"
    return "shared" if passages else None


@dataclass(frozen=True)
class PairMeasure:
    """What is measured of two link texts: the kind of link (or None), similarity, shared passages."""

    kind: str | None
    similarity: float
    runs: tuple[tuple[int, int, int], ...]    # shared passages as (i, j, length) in the link texts

    @property
    def shared_chars(self) -> int:
        return sum(n for _, _, n in self.runs)


def measure(a: str, b: str) -> PairMeasure:
    """Measure two link texts: the one function behind every link, ``/compare`` and ``/links``.

    >>> m = measure("推进粤港澳大湾区建设世界级城市群", "加快粤港澳大湾区建设世界级城市群")
    >>> m.kind, m.similarity, m.runs
    ('similar', 0.875, ((2, 2, 14),))
    """
    runs = tuple(one_to_one(shared_passages(a, b), len(a), len(b)))
    distance = levenshtein(a, b)
    return PairMeasure(link_kind(a, b, distance, runs), similarity_of_distance(distance, max(len(a), len(b))), runs)


def document_key(document) -> str:
    """What a document's links depend on: its provisions' ids, texts and unit-list spans, and the rules."""
    digest = hashlib.sha256(f"{MIN_SHARED}|{SIMILARITY}|{BOILERPLATE_PROVISIONS}".encode())
    for p in document.provisions:
        digest.update(f"\x1e{p.id}\x1f{metadata_span(p)}\x1f{p.text}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def corpus_key(corpus) -> str:
    """What all of a corpus's links depend on: its documents, in order, and their keys.

    An index build whose corpus has the live generation's key carries the links file over as it is.
    """
    digest = hashlib.sha256()
    for document in corpus.documents:
        digest.update(f"{document.id}\x1f{document_key(document)}\x1e".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def compute_links(corpus, previous=None) -> list[Link]:
    """Find every link between provisions of different documents.

    ``previous`` (a :class:`~searcher.links.store.LinkIndex` with the document keys it was
    computed for) lets a rebuild measure only the pairs that involve a changed, added or removed
    document: the links between two unchanged documents are carried over, their boilerplate
    marks recomputed against the whole new corpus. The result equals a full computation.
    """
    provisions = [p for document in corpus.documents for p in document.provisions]
    keys = {document.id: document_key(document) for document in corpus.documents}
    if previous is not None and previous.keys == keys:
        return list(previous.links)      # the same documents with the same texts: the same links
    unchanged = {doc for doc, key in keys.items() if previous is not None and previous.keys.get(doc) == key}
    linker = _Linker([p.id for p in provisions], [p.doc_id for p in provisions],
                     [_link_key(p.text, metadata_span(p)) for p in provisions])
    if len(unchanged) < 2:
        return linker.links()
    kept = [link for link in previous.links if link.doc_a in unchanged and link.doc_b in unchanged]
    return linker.links(skip=unchanged, kept=kept)


@lru_cache(maxsize=200_000)
def _link_key(text: str, skip: tuple[int, int] | None) -> tuple[str, array]:
    """A provision's link text and each of its characters' offset in the original (kept per process:
    the corpus watcher's builder sees the same texts build after build)."""
    key = match_text(text, skip)
    return key.text, array("I", key.source_offsets())


# --------------------------------------------------------------------------- candidates

@lru_cache(maxsize=200_000)
def _fingerprints(text: str) -> frozenset[int]:
    """Winnowed n-gram hashes: any run of MIN_SHARED characters shared by two texts shares one.

    Kept per process, like the link texts: a rebuild fingerprints only the texts that changed.
    """
    if len(text) < MIN_SHARED:
        return frozenset()
    hashes = [hash(text[i:i + _WINNOW_Q]) & _HASH_MASK for i in range(len(text) - _WINNOW_Q + 1)]
    return frozenset(min(hashes[i:i + _WINNOW_W]) for i in range(len(hashes) - _WINNOW_W + 1))


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


def similar_pairs(texts: list[str], groups: list[str], skip: frozenset = frozenset()) -> list[tuple[int, int]]:
    """Pairs of texts of different groups at SIMILARITY or more (texts shorter than MIN_SHARED aside).

    Pairs whose two groups are both in ``skip`` are left out (their links are known already).

    PPJoin over trigram tokens, shortest texts first: a pair within ``k`` edits shares all but at
    most ``3k`` trigrams (q-gram lemma), so it shares a token in its rarest-first prefixes, and the
    positional bound prunes pairs that cannot reach that overlap. Survivors are verified exactly.
    A pair is found when its longer text probes the index holding the shorter one; with ``skip``
    two passes find every pair with a text outside it at little cost: one where only those texts
    are indexed and every text probes, one where every text is indexed and only those probe.
    """
    order = sorted((t for t in range(len(texts)) if len(texts[t]) >= MIN_SHARED), key=lambda t: (len(texts[t]), t))
    ordered = [texts[t] for t in order]
    tokens, shared = _tokens(ordered)
    wanted = [groups[t] not in skip for t in order]
    everything = [True] * len(order)
    passes = [(everything, everything)] if not skip else [(everything, wanted), (wanted, everything)]
    def wanted_pair(a: int, b: int) -> bool:
        ga, gb = groups[order[a]], groups[order[b]]
        return ga != gb and not (ga in skip and gb in skip)

    found = {(order[b], order[a]) for probing, indexed in passes
             for a, b in _ppjoin(ordered, tokens, shared, probing, indexed, wanted_pair)}
    return sorted(found)


def _ppjoin(ordered: list[str], tokens: list[array], shared: int, probing: list[bool], indexed: list[bool],
            wanted_pair):
    """Yield (longer, shorter) positions of similar pairs: each probing text against the indexed ones
    before it, verifying only the pairs ``wanted_pair`` accepts."""
    index: dict[int, list[int]] = {}   # token -> packed (text << 20 | token position), by length
    heads: dict[int, int] = {}         # token -> first posting long enough for the current text
    sim = SIMILARITY_EXACT
    for a, text in enumerate(ordered):
        toks = tokens[a]
        edits = max_edits(len(text))
        need = len(toks) - _Q * edits                       # overlap any partner must reach
        counts: dict[int, int] = {}
        if probing[a]:
            shortest = math.ceil(len(text) * sim)
            for i in range(min(len(toks), _Q * edits + 1)):
                postings = index.get(toks[i]) if toks[i] >= shared else None
                if postings is None:
                    continue
                head = heads[toks[i]]
                while head < len(postings) and len(ordered[postings[head] >> 20]) < shortest:
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
                if (count > 0 and wanted_pair(a, b) and len(token_set.intersection(tokens[b])) >= need
                        and is_similar(levenshtein(text, ordered[b]), len(text))):
                    yield a, b
        if indexed[a]:
            longest_partner = len(text) * sim.denominator // sim.numerator
            for i in range(min(len(toks), _Q * max_edits(longest_partner) + 1)):
                if toks[i] < shared:
                    continue                                # no other text holds it
                if toks[i] not in index:
                    index[toks[i]], heads[toks[i]] = [], 0
                index[toks[i]].append(a << 20 | i)


# --------------------------------------------------------------------------- links

class _Linker:
    """One corpus's links: candidates, then each pair measured and classified exactly."""

    def __init__(self, ids: list[str], docs: list[str], keys: list[tuple[str, array]]):
        self.ids, self.docs = ids, docs
        self.texts = [text for text, _ in keys]
        self.offsets = [offsets for _, offsets in keys]
        self.groups = _fingerprint_groups(self.texts)
        self.positions = {pid: n for n, pid in enumerate(ids)}
        self._common: dict[str, bool] = {}

    def links(self, skip: frozenset | set = frozenset(), kept: list[Link] = ()) -> list[Link]:
        """Measure every candidate pair, except those between two documents in ``skip``, whose
        links are ``kept`` (with their boilerplate marks recomputed)."""
        skip = frozenset(skip)
        pairs: set[tuple[int, int]] = set()
        for members in self.groups.values():
            for x in members:
                for y in members:
                    if x < y and self.docs[x] != self.docs[y] and not (self.docs[x] in skip and self.docs[y] in skip):
                        pairs.add((x, y))
        pairs.update(tuple(sorted(pair)) for pair in similar_pairs(self.texts, self.docs, skip))
        # In order, so that a text's pairs come together and its remembered n-gram positions serve them all.
        found = [link for link in (self._link(x, y) for x, y in sorted(pairs)) if link is not None]
        found += [self._remarked(link) for link in kept]
        return sorted(found, key=lambda link: (link.a, link.b))

    def _remarked(self, link: Link) -> Link:
        """A carried-over link with its passages' commonness (and so boilerplate) as of this corpus."""
        index = self.positions[link.a]
        passages = tuple(replace(p, common=self.is_common(self._passage_text(index, p.a, p.chars)))
                         for p in link.passages)
        return replace(link, passages=passages,
                       boilerplate=link.kind != "similar" and all(p.common for p in passages))

    def _passage_text(self, index: int, span: tuple[int, int], chars: int) -> str:
        start = bisect_left(self.offsets[index], span[0])
        return self.texts[index][start:start + chars]

    def holding(self, passage: str) -> set[int]:
        """The provisions whose link text contains ``passage`` (at least MIN_SHARED long)."""
        members = self.groups.get(_passage_fingerprint(passage), ())
        return {m for m in members if passage in self.texts[m]}

    def is_common(self, passage: str) -> bool:
        """Does this passage occur in BOILERPLATE_PROVISIONS provisions or more?"""
        if passage not in self._common:
            self._common[passage] = len(self.holding(passage)) >= BOILERPLATE_PROVISIONS
        return self._common[passage]

    def _span(self, x: int, start: int, end: int) -> tuple[int, int]:
        return self.offsets[x][start], self.offsets[x][end - 1] + 1

    def _link(self, x: int, y: int) -> Link | None:
        if self.ids[x] > self.ids[y]:
            x, y = y, x
        a, b = self.texts[x], self.texts[y]
        pair = measure(a, b)
        if pair.kind is None:
            return None  # a fingerprint collision, or too short
        passages = tuple(Passage(self._span(x, i, i + n), self._span(y, j, j + n), n, self.is_common(a[i:i + n]))
                         for i, j, n in pair.runs)
        boilerplate = pair.kind != "similar" and all(p.common for p in passages)
        return Link(self.ids[x], self.ids[y], pair.kind, pair.similarity, passages, len(a), len(b), boilerplate)
