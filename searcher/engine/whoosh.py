"""Whoosh backend (the default engine): one Whoosh index per document shard.

Fields of a shard (records are pre-analysed, so the analysers here only split token lists):

* ``id``: stored; ``norm``: stored normalised text, against which every candidate is verified;
* ``grams``: the record's character unigrams and bigrams, presence only. A term's candidates are
  the records holding all its bigrams (rarest first, stopping once few are left), each verified
  by a substring test on the stored text, so recall *and* precision are exact. Positions would
  add no precision; storing them made builds about 40% slower and indexes 50% larger;
* ``cuts``: stored, where the record's jieba words start and end. Whether a term stands as a
  word of its own is asked only of the records that contain it, so two bit tests per record
  answer it (:func:`searcher.analysis.stands_as_word`); word postings cost a third of the
  build time and answered nothing more.
"""
from __future__ import annotations

import gc
import threading
from itertools import accumulate
from pathlib import Path

from whoosh import fields, formats
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.index import create_in, open_dir
from whoosh.reading import TermNotFound

from ..analysis import query_grams
from . import ShardRow

NAME = "whoosh"
_SEPARATOR = "\x1f"  # between pre-analysed tokens; never in normalised text (a control character)
_VERIFY_BELOW = 32   # stop intersecting posting lists once this few candidates are left
LOCK_NAME = "MAIN_WRITELOCK"  # Whoosh's (empty) lock file, left in every shard


def _token_list() -> fields.FieldType:
    """A field fed a pre-analysed token list (tokens joined by the separator), presence only.

    Declared scorable on purpose: Whoosh 2.7 looks for a missing field-length column on disk
    once per posting of a non-scorable field, which made building several times slower.
    """
    return fields.FieldType(formats.Existence(), RegexTokenizer(f"[^{_SEPARATOR}]+"), scorable=True)


def make_schema() -> fields.Schema:
    """Return the Whoosh schema of a shard: one document per record."""
    return fields.Schema(id=fields.ID(stored=True, unique=True), norm=fields.STORED(), cuts=fields.STORED(),
                         grams=_token_list())


class _Codec(W3Codec):
    """Whoosh's default codec without per-block length statistics or compression.

    The statistics only serve Whoosh's block-quality skipping, which this project does not use
    (it scores every hit itself); collecting them cost a disk read per posting, about a quarter
    of the build time. Posting blocks are mostly tiny, and zlib cost more than it saved.
    """

    length_stats = False

    def __init__(self):
        super().__init__(compression=0)


def _pool_megabytes(rows: list[ShardRow]) -> int:
    """Size Whoosh's posting pool so that it never spills to disk (a spilled pool is merged slowly)."""
    postings = sum(len(row.grams) for row in rows)
    return max(64, min(4096, postings * 200 // 2**20 + 32))


def write_shard(folder: Path, rows: list[ShardRow]) -> None:
    """Index ``rows`` into a new Whoosh index in ``folder`` (one segment, no compound file)."""
    folder.mkdir(parents=True, exist_ok=True)
    collecting = gc.isenabled()
    # the posting pool holds many small tuples and no cycles: the cyclic collector only slows it
    gc.disable()
    try:
        ix = create_in(str(folder), make_schema())
        writer = ix.writer(limitmb=_pool_megabytes(rows), compound=False, codec=_Codec())
        for row in rows:
            writer.add_document(id=row.id, norm=row.norm, cuts=(row.starts, row.ends), grams=_SEPARATOR.join(row.grams))
        writer.commit()
        ix.close()
    finally:
        if collecting:
            gc.enable()


class WhooshShard:
    """One document's Whoosh index, opened read-only, with its ids and texts in memory."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.index = open_dir(str(folder), readonly=True)
        self.ids: list[str] = []
        self.norms: list[str] = []
        self.cuts: list[tuple[int, int]] = []
        with self.index.reader() as reader:
            for _docnum, stored in reader.iter_docs():
                self.ids.append(stored["id"])
                self.norms.append(stored["norm"])
                self.cuts.append(stored["cuts"])
        self._local = threading.local()

    def _reader(self):
        """This thread's reader (Whoosh readers are not safe to share between threads)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.index.searcher()
        return searcher.reader()

    def term_docs(self, norm: str) -> set[int]:
        reader = self._reader()
        if len(norm) <= 2:   # a term of one or two characters is its own gram: its postings are exact
            return set(read_postings(reader, "grams", norm)[0]) if norm else set()
        grams = sorted(set(query_grams(norm)), key=lambda gram: reader.doc_frequency("grams", gram))
        candidates: set[int] = set()
        for n, gram in enumerate(grams):
            ids = read_postings(reader, "grams", gram)[0]
            candidates = set(ids) if n == 0 else candidates.intersection(ids)
            if len(candidates) < _VERIFY_BELOW:
                break
        norms = self.norms
        return {d for d in candidates if norm in norms[d]}

    def frequency(self, gram: str) -> int:
        """The number of records holding ``gram`` (one or two characters), from the term index alone."""
        return self._reader().doc_frequency("grams", gram)

    def close(self) -> None:
        self.index.close()


def open_shard(folder: Path) -> WhooshShard:
    return WhooshShard(folder)


def read_postings(reader, fieldname: str, text: str, weights: bool = False) -> tuple[list[int], list[float] | None]:
    """Return every document number (and, with ``weights``, term weight) of a term's posting list.

    Reads whole posting blocks at a time: Whoosh's per-posting matcher API costs about a
    microsecond a posting, which dominated searches over large indexes. Falls back to that
    API for any other kind of matcher (e.g. a segment with deletions).
    """
    ids: list[int] = []
    values: list[float] | None = [] if weights else None
    for leaf, offset in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
            _read_blocks(matcher, offset, ids, values)
            continue
        while matcher.is_active():
            ids.append(matcher.id() + offset)
            if values is not None:
                values.append(matcher.weight())
            matcher.next()
    return ids, values


def _read_blocks(matcher: W3LeafMatcher, offset: int, ids: list[int], values: list[float] | None) -> None:
    while not matcher._atend:
        if matcher._data is None:
            matcher._read_data()
        block_ids = accumulate(matcher._data[0])
        ids.extend(block_ids if not offset else (d + offset for d in block_ids))
        if values is not None:
            block = matcher._data[1]
            if block is None or isinstance(block, float):
                values.extend([1.0 if block is None else block] * matcher._blocklength)
            else:
                values.extend(block)
        matcher._next_block()
