"""Tantivy backend: one Tantivy index per document shard, searched as one index per generation.

The same pre-analysed tokens as the Whoosh backend (:mod:`searcher.engine.whoosh`), in a
compiled engine. Fields of a shard:

* ``n``: the record's number in the shard, a fast field, checked when an index opens (a
  record's number in the generation is then its segment's first number plus its Tantivy doc id);
* ``grams``: the record's character unigrams and bigrams, one raw (untokenised) value each,
  document ids only. A term's candidates are the records holding its rarest bigram (by
  Tantivy's document frequency), each verified by a substring test on the stored text, so
  recall *and* precision are exact; a term of one or two characters *is* its one gram, so its
  postings are already the answer and are not verified again. (A Tantivy conjunction of every
  bigram was two to three times slower at 50x than one posting list and the Python substring
  tests, which cost about 0.1 µs a candidate.) Hits are scored as a constant: no BM25 work;
* ``record``: stored, the record's id, normalised text and jieba cuts (where its words start
  and end), read once when the index opens; whether a term stands as a word of its own is
  two bit tests on the records that contain it (:func:`searcher.analysis.stands_as_word`).

**One index per generation** (:func:`write_generation`, folder ``tantivy/``). Shards stay the
unit of incremental work: a build writes only the shards of changed documents and carries the
others over as hard links. Each shard is one Tantivy segment, and segment files never change
once written, so the generation's index is the shards' segment files hard-linked into one
folder plus a Tantivy ``meta.json`` that lists their segments in shard order (the shards' own
schema and settings, which must agree). Laying it out costs a hard link per file, and a term is
then one Tantivy search over every segment instead of one search from Python per shard (250 at
the benchmark's 50x). It was measured against the alternatives: one search per shard (the
previous design: 10-27 ms per query at 50x, mostly Python calls), and a per-generation
in-memory posting structure (it would have to be rebuilt from every record on each open,
seconds and hundreds of MB at 50x, or be a cache that a cold benchmark would not measure).
What remains per hit is the binding's cost of handing a hit to Python (about 0.3 µs: a term
in 60% of the records is 5-10 ms at 50x; see bench/README.md).

**Writing.** Tantivy syncs every file of a commit to disk (about ten fsyncs: the five shards of
the 1x corpus took 0.2 s to write in a quiet minute and 0.7-1.2 s while other processes were
writing to the disk). A shard is therefore written in a scratch folder in memory (``/dev/shm``
where it has room; 0.15-0.3 s for the five, whatever the disk is doing) and copied into the
build's folder. Durability is
what it is for the Whoosh backend, which never syncs: the generation goes live by the
atomic, synced ``CURRENT`` switch, and the manifest of sizes and SHA-256 that every open checks
turns a file lost in a crash into a rebuild (:func:`searcher.index.ensure_index`).

Tantivy leaves two empty lock files in an index (``.tantivy-meta.lock``, which its readers
reopen, and ``.tantivy-writer.lock``: :data:`searcher.index.ENGINE_LOCK_FILES`); its own
``meta.json``, ``.managed.json`` and segment files are in the generation's manifest like any
other file. An index is opened with a manual reload policy (no file watcher: it never
changes once written), and its one searcher is shared by every thread (Tantivy searchers are
thread-safe).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from itertools import accumulate
from pathlib import Path

import tantivy

from ..analysis import query_grams
from . import ShardRow, collector_paused, link_or_copy

NAME = "tantivy"
MERGED = "tantivy"  # the generation's one index, beside shards/ (checked after them: damage is named by its shard)
_HEAP_MIN = 15_000_000          # Tantivy's least memory budget for a writer thread
_HEAP_PER_POSTING = 200          # generous: the budget must hold a whole shard, which is then one segment
_META = "meta.json"
_SCRATCH = Path("/dev/shm")


def make_schema() -> tantivy.Schema:
    """Return the Tantivy schema of a shard: one document per record."""
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("n", fast=True)
    builder.add_text_field("grams", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("record", stored=True)
    return builder.build()


def write_shard(folder: Path, rows: list[ShardRow]) -> None:
    """Index ``rows`` into a new Tantivy index (one segment) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    # sized to the shard: allocating a larger arena than it needs costs more than writing a small shard
    heap = min(_HEAP_MIN + _HEAP_PER_POSTING * sum(len(row.grams) for row in rows), 4_000_000_000)
    scratch = tempfile.mkdtemp(prefix="searcher-tantivy-", dir=_SCRATCH if _room_in(_SCRATCH, heap) else folder)
    try:
        index = tantivy.Index(make_schema(), path=scratch, reuse=False)
        writer = index.writer(heap_size=heap, num_threads=1)
        for number, row in enumerate(rows):
            record = json.dumps([row.id, row.norm, row.starts, row.ends], ensure_ascii=False).encode()
            document = tantivy.Document(grams=list(row.grams), record=record)
            document.add_unsigned("n", number)
            writer.add_document(document)
        writer.commit()
        writer.wait_merging_threads()
        if len(_segments(Path(scratch))) > 1:
            raise ValueError(f"{folder}: a document of {len(rows)} records did not fit one Tantivy segment")
        for path in Path(scratch).iterdir():
            shutil.copyfile(path, folder / path.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _room_in(folder: Path, size: int) -> bool:
    """Can ``folder`` take a shard written within a memory budget of ``size`` (its upper bound)?"""
    try:
        return os.access(folder, os.W_OK) and shutil.disk_usage(folder).free > size
    except OSError:
        return False


def write_generation(folder: Path, shards: list[Path]) -> None:
    """Lay out one Tantivy index over the shards (in order) of the generation in ``folder``.

    The segment files are the shards' own, hard-linked (copied where a file system cannot link).
    """
    target = folder / MERGED
    target.mkdir()
    tantivy.Index(make_schema(), path=str(target), reuse=False)   # Tantivy's own meta.json for the schema
    meta = json.loads((target / _META).read_text(encoding="utf-8"))
    for shard in shards:
        own = json.loads((shard / _META).read_text(encoding="utf-8"))
        if (own["schema"], own["index_settings"]) != (meta["schema"], meta["index_settings"]):
            raise ValueError(f"{shard}: another Tantivy schema or settings than this version writes")
        meta["segments"] += own["segments"]
        meta["opstamp"] = max(meta["opstamp"], own["opstamp"])
        stems = {segment["segment_id"].replace("-", "") for segment in own["segments"]}
        for path in shard.iterdir():
            if path.name.split(".", 1)[0] in stems:
                link_or_copy(path, target / path.name)
    (target / _META).write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _segments(folder: Path) -> list[dict]:
    return json.loads((folder / _META).read_text(encoding="utf-8"))["segments"]


class TantivyIndex:
    """A Tantivy index (a shard, or a generation's merged index) opened read-only, with its records in memory.

    Records are numbered segment after segment, in the order of the index's ``meta.json``,
    each segment's in the order they were written.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.index = tantivy.Index.open(str(folder))
        self.index.config_reader(reload_policy="Manual")
        self.searcher = self.index.searcher()
        self.size = self.searcher.num_docs
        sizes = [segment["max_doc"] for segment in _segments(folder)]
        if len(sizes) != self.searcher.num_segments or sum(sizes) != self.size:
            raise ValueError(f"{folder}: the searcher's segments are not those of {_META}")
        # per segment, the generation's number of each of its docs (shared int objects: a hit costs no allocation)
        self._numbers = [list(range(first, first + size)) for first, size in zip(accumulate([0] + sizes), sizes)]
        addresses = [tantivy.DocAddress(ordinal, doc) for ordinal, size in enumerate(sizes) for doc in range(size)]
        if self.searcher.fast_field_values("n", addresses) != [doc for size in sizes for doc in range(size)]:
            raise ValueError(f"{folder}: records are not numbered in the order they were written")
        records = [json.loads(self.searcher.doc(address)["record"][0]) for address in addresses]
        self.ids: list[str] = [record[0] for record in records]
        self.norms: list[str] = [record[1] for record in records]
        self.cuts: list[tuple[int, int]] = [(record[2], record[3]) for record in records]
        self.sizes = sizes
        self._schema = self.index.schema

    def term_docs(self, norm: str) -> frozenset:
        grams = set(query_grams(norm))
        if not grams:
            return frozenset()
        gram = min(grams, key=lambda gram: self.searcher.doc_freq("grams", gram)) if len(grams) > 1 else grams.pop()
        query = tantivy.Query.const_score_query(tantivy.Query.term_query(self._schema, "grams", gram), 1.0)
        numbers, norms = self._numbers, self.norms
        with collector_paused():   # a tuple and an address per hit: 50,000 objects for a common term at 50x
            hits = self.searcher.search(query, limit=self.size or 1, count=False).hits
            found = [numbers[address.segment_ord][address.doc] for _score, address in hits]
            del hits
            if len(norm) <= 2:   # the term is its one gram: every record holding it contains the term
                return frozenset(found)
            return frozenset([d for d in found if norm in norms[d]])

    def frequency(self, gram: str) -> int:
        """The number of records holding ``gram`` (one or two characters), from the term dictionary alone."""
        return self.searcher.doc_freq("grams", gram)

    def close(self) -> None:
        self.searcher = self.index = None


def open_shard(folder: Path) -> TantivyIndex:
    return TantivyIndex(folder)


def open_generation(folder: Path, shards: list[tuple[Path, int]]) -> TantivyIndex:
    """Open the generation's merged index; check that it holds the shards' segments, in order."""
    expected = [segment for shard, _records in shards for segment in _segments(shard)]
    if _segments(folder / MERGED) != expected:
        raise ValueError(f"{folder / MERGED}: its segments are not those of the shards")
    for shard, records in shards:
        if sum(segment["max_doc"] for segment in _segments(shard)) != records:
            raise ValueError(f"{shard}: it does not hold {records} records")
    return TantivyIndex(folder / MERGED)
