"""Tantivy backend: one Tantivy index per document shard (``searcher build --engine tantivy``).

The same pre-analysed tokens as the Whoosh backend (:mod:`searcher.engine.whoosh`), in a
compiled engine. Fields of a shard:

* ``n``: the record's number in the shard, a fast field: hits are read back as their numbers,
  in order, without fetching documents;
* ``grams``: the record's character unigrams and bigrams, one raw (untokenised) value each,
  document ids only. A term's candidates are the records holding all its bigrams (one Tantivy
  conjunction), each verified by a substring test on the stored text, so recall *and*
  precision are exact;
* ``record``: stored, the record's id, normalised text and jieba cuts (where its words start
  and end), read once when the shard opens; whether a term stands as a word of its own is
  two bit tests on the records that contain it (:func:`searcher.analysis.stands_as_word`).

Tantivy leaves two empty lock files in a shard (``.tantivy-meta.lock``, which its readers
reopen, and ``.tantivy-writer.lock``: :data:`searcher.index.ENGINE_LOCK_FILES`); its own
``meta.json``, ``.managed.json`` and segment files are in the generation's manifest like any
other file. A shard is opened with a manual reload policy (no file watcher: a shard never
changes once written), and its one searcher is shared by every thread (Tantivy searchers are
thread-safe).
"""
from __future__ import annotations

import json
from pathlib import Path

import tantivy

from ..analysis import query_grams, stands_as_word
from . import ShardRow

NAME = "tantivy"
_HEAP = 50_000_000  # one writer thread's memory budget: a whole shard fits, so it is one segment


def make_schema() -> tantivy.Schema:
    """Return the Tantivy schema of a shard: one document per record."""
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("n", fast=True)
    builder.add_text_field("grams", tokenizer_name="raw", index_option="basic")
    builder.add_bytes_field("record", stored=True)
    return builder.build()


def write_shard(folder: Path, rows: list[ShardRow]) -> None:
    """Index ``rows`` into a new Tantivy index in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(make_schema(), path=str(folder), reuse=False)
    writer = index.writer(heap_size=_HEAP, num_threads=1)
    for number, row in enumerate(rows):
        record = json.dumps([row.id, row.norm, row.starts, row.ends], ensure_ascii=False).encode()
        document = tantivy.Document(grams=list(row.grams), record=record)
        document.add_unsigned("n", number)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()


class TantivyShard:
    """One document's Tantivy index, opened read-only, with its ids and texts in memory."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.index = tantivy.Index.open(str(folder))
        self.index.config_reader(reload_policy="Manual")
        self.searcher = self.index.searcher()
        self.size = self.searcher.num_docs
        everything = self.searcher.search(tantivy.Query.all_query(), limit=max(1, self.size), count=False,
                                          order_by_field="n", order=tantivy.Order.Asc).hits
        records = [json.loads(self.searcher.doc(address)["record"][0]) for _n, address in everything]
        if [n for n, _address in everything] != list(range(self.size)):
            raise ValueError(f"{folder}: record numbers are not 0..{self.size - 1}")
        self.ids: list[str] = [record[0] for record in records]
        self.norms: list[str] = [record[1] for record in records]
        self.cuts: list[tuple[int, int]] = [(record[2], record[3]) for record in records]
        self._schema = self.index.schema

    def term_docs(self, norm: str) -> set[int]:
        grams = set(query_grams(norm))
        if not grams:
            return set()
        terms = [tantivy.Query.term_query(self._schema, "grams", gram) for gram in grams]
        query = terms[0] if len(terms) == 1 else tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, term) for term in terms])
        hits = self.searcher.search(query, limit=self.size or 1, count=False, order_by_field="n",
                                    order=tantivy.Order.Asc).hits
        norms = self.norms
        return {n for n, _address in hits if norm in norms[n]}

    def word_docs(self, word: str) -> set[int]:
        norms, cuts = self.norms, self.cuts
        return {d for d in self.term_docs(word) if stands_as_word(norms[d], word, *cuts[d])}

    def frequency(self, gram: str) -> int:
        """The number of records holding ``gram`` (one or two characters), from the term dictionary alone."""
        return self.searcher.doc_freq("grams", gram)

    def close(self) -> None:
        self.searcher = self.index = None


def open_shard(folder: Path) -> TantivyShard:
    return TantivyShard(folder)
