"""Whoosh backend (the default engine): one Whoosh index per document shard.

Fields of a shard (records are pre-analysed, so the analysers here only split token lists):

* ``id``: stored; ``norm``: stored normalised text, against which every candidate is verified;
* ``grams``: the record's character unigrams and bigrams, presence only. A term's candidates are
  the records holding all its bigrams (rarest first, stopping once few are left), each verified
  by a substring test on the stored text, so recall *and* precision are exact. Positions would
  add no precision; storing them made builds about 40% slower and indexes 50% larger;
  written term by term straight to Whoosh's codec (:class:`_ShardWriter`): a shard is one fresh
  segment whose posting lists are known in full, so Whoosh's per-posting pool, sort and block
  buffer (three quarters of a build's Whoosh time) have nothing to do;
* ``cuts``: stored, where the record's jieba words start and end. Whether a term stands as a
  word of its own is asked only of the records that contain it, so two bit tests per record
  answer it (:func:`searcher.analysis.stands_as_word`); word postings cost a third of the
  build time and answered nothing more.
"""
from __future__ import annotations

import struct
import threading
from itertools import accumulate
from pathlib import Path
from pickle import dumps

from whoosh import fields, formats
from whoosh.analysis import RegexTokenizer
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3TermInfo
from whoosh.index import create_in, open_dir
from whoosh.reading import TermNotFound
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.writing import SegmentWriter

from ..analysis import query_grams
from . import ShardRow

NAME = "whoosh"
_SEPARATOR = "\x1f"  # between pre-analysed tokens; never in normalised text (a control character)
_VERIFY_BELOW = 32   # stop intersecting posting lists once this few candidates are left
LOCK_NAME = "MAIN_WRITELOCK"  # Whoosh's (empty) lock file, left in every shard


def _token_list() -> fields.FieldType:
    """A field of pre-analysed tokens, presence only; its postings are written by :class:`_ShardWriter`.

    The analyser (tokens joined by the separator) is what Whoosh's own writer would use; a shard
    never gives it text. Not scorable: nothing here scores with Whoosh's field lengths.
    """
    return fields.FieldType(formats.Existence(), RegexTokenizer(f"[^{_SEPARATOR}]+"))


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


class _ShardWriter(SegmentWriter):
    """Whoosh's segment writer, given the ``grams`` posting lists whole (term -> record numbers).

    Whoosh's own path pools every posting as a tuple, sorts the pool and buffers each posting
    into blocks, at about 10 µs a posting and 15 µs a term (most terms of a shard have one or two
    postings). Here each term's blocks are written at once, byte for byte as Whoosh's
    ``W3PostingsWriter`` writes them (a test compares the files): the same index, read by the
    same Whoosh code.
    """

    def __init__(self, ix, grams: dict[str, list[int]], **kwargs):
        super().__init__(ix, codec=_Codec(), compound=False, **kwargs)
        self._grams = grams

    def _flush_segment(self):
        self.perdocwriter.close()
        _write_terms(self.fieldwriter, "grams", self.schema["grams"], self._grams, self.codec._blocklimit)
        # the pool holds the other indexed field (the ids, one posting each), which sorts after grams
        self.fieldwriter.add_postings(self.schema, None, self.pool.iter_postings())
        self.fieldwriter.close()


# A block's info as W3PostingsWriter pickles it: (postings, last id, max weight 1.0, no compression,
# length bytes 0 and 0: no length statistics).
_BLOCK_TAIL = (1.0, 0, 0, 0)
_pack_lengths = struct.Struct("!ii").pack   # a term table row's key and value lengths (HashWriter's)


def _write_terms(fieldwriter, fieldname: str, field, postings: dict[str, list[int]], blocklimit: int) -> None:
    """Write every term of a presence-only field, in term order, as W3FieldWriter would.

    The postings file gets each term's blocks and the term table (an ``OrderedHashWriter``) its
    rows and hash pointers, in one write each rather than several per term.
    """
    fieldwriter.start_field(fieldname, field)
    prefix = pack_ushort(fieldwriter._fieldid)
    table = fieldwriter._tindex
    hashfn, buckets, key_positions = table.hashfn, table.buckets, table.index
    post_at, row_at = fieldwriter._postfile.tell(), table.dbfile.tell()
    posts, rows, key = [], [], b""
    alone: dict[int, tuple[bytes, bytes]] = {}   # record -> (postings, term info) of a term only it holds
    for text in sorted(postings):          # code point order is UTF-8 byte order: Whoosh's term order
        ids = postings[text]
        if len(ids) > 1:
            body, info = _term_postings(ids, blocklimit)
        elif ids[0] in alone:              # most terms of a shard: the same bytes for every such term of a record
            body, info = alone[ids[0]]
        else:
            body, info = alone[ids[0]] = _term_postings(ids, blocklimit)
        posts.append(body)
        value = info + pack_long(post_at) + pack_int(len(body))
        post_at += len(body)
        key = prefix + text.encode("utf-8")
        key_positions.append(row_at)
        digest = hashfn(key)
        buckets[digest & 255].append((digest, row_at))
        rows += (_pack_lengths(len(key), len(value)), key, value)
        row_at += 8 + len(key) + len(value)
    fieldwriter._postfile.write(b"".join(posts))
    table.dbfile.write(b"".join(rows))
    table.lastkey = key
    fieldwriter.finish_field()


def _term_postings(ids: list[int], blocklimit: int) -> tuple[bytes, bytes]:
    """A term's posting blocks as W3PostingsWriter writes them, and its term info (less its extent)."""
    count = len(ids)
    out = [WHOOSH3_HEADER_MAGIC]
    for first in range(0, count, blocklimit):
        block = ids[first:first + blocklimit]
        deltas = (block[0], *map(int.__sub__, block[1:], block))
        data = dumps((deltas, None, None), 2)    # delta ids; weights all 1.0 and no values: None
        info = dumps((len(block), block[-1], *_BLOCK_TAIL), 2)
        size = len(info) + len(data)
        out += (pack_int(size if first + blocklimit < count else -size), info, data)
    return b"".join(out), W3TermInfo._struct.pack(False, float(count), count, 0, 0, 1.0, ids[0], ids[-1])


def write_shard(folder: Path, rows: list[ShardRow]) -> None:
    """Index ``rows`` into a new Whoosh index in ``folder`` (one segment, no compound file)."""
    folder.mkdir(parents=True, exist_ok=True)
    grams: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        for gram in row.grams:
            found = grams.get(gram)
            if found is None:
                grams[gram] = [number]
            else:
                found.append(number)
    ix = create_in(str(folder), make_schema())
    writer = _ShardWriter(ix, grams)
    for row in rows:
        writer.add_document(id=row.id, norm=row.norm, cuts=(row.starts, row.ends))
    writer.commit()
    ix.close()


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
