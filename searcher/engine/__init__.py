"""The engine boundary: what the index stage asks of a search engine, whatever engine it is.

Only the modules of this package import an engine. An index generation holds one *shard* per
document: that engine's index of the document's records (:mod:`searcher.records`), analysed
beforehand (:func:`searcher.analysis.analyse`: normalised text, character grams, jieba words),
so every engine indexes exactly the same tokens. A backend module provides:

``NAME``
    the engine's name (``searcher build --engine NAME``);
``write_shard(folder, rows)``
    index ``rows`` — :class:`ShardRow` in reading order — into a new folder;
``open_shard(folder) -> Shard``
    open a shard read-only;

and, optionally, one index over a whole generation (Tantivy: its shards' segments, hard-linked):

``write_generation(folder, shard_folders)``
    once every shard of a new generation is in place (written or carried over), lay out that
    index in the generation's folder;
``open_generation(folder, [(shard_folder, records), ...]) -> Shard``
    open it as one shard whose records are numbered across the shards, in their order (it
    checks that it holds exactly those shards).

A :class:`Shard` numbers its records from 0 in the order they were written and answers:

``ids``, ``norms``, ``cuts``
    each record's id, normalised text and jieba cuts (the offsets where its words start and
    end, two bit sets: whether a term stands as a word of its own is two bit tests,
    :func:`searcher.analysis.stands_as_word`);
``term_docs(norm)``
    the records whose normalised text contains ``norm`` — exactly (the recall oracle checks it);
``frequency(gram)``
    how many records hold a gram of one or two characters, from the term dictionary (the
    related tier weighs a query's pieces by it without reading their postings).

Everything else — the query language, set algebra, filters, ranking, the related tier,
highlights — is the same Python code (:mod:`searcher.search`) over every engine, so two
engines give the same hits, in the same order, with the same highlights.
"""
from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Protocol

from ..errors import SearcherError

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"


@dataclass(frozen=True)
class ShardRow:
    """One record as every engine indexes it."""

    id: str
    doc: str
    norm: str
    grams: tuple[str, ...]
    words: tuple[tuple[str, int], ...]
    starts: int = 0     # bit sets of the offsets where jieba words start and end in ``norm``
    ends: int = 0


class Shard(Protocol):
    ids: list[str]
    norms: list[str]
    cuts: list[tuple[int, int]]

    def term_docs(self, norm: str) -> AbstractSet[int]: ...

    def frequency(self, gram: str) -> int: ...

    def close(self) -> None: ...


def link_or_copy(source: Path, target: Path) -> bool:
    """Hard-link ``source`` as ``target``, or copy it where that fails; say whether it was linked.

    Index files never change once written, so a generation shares them with the one before it
    (and Tantivy's generation index with its shards).
    """
    try:
        os.link(source, target)
        return True
    except OSError:
        shutil.copy2(source, target)
        return False


@contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for a burst of acyclic allocations (hit lists, posting pools).

    Such a burst only triggers collections that find nothing, over every object the process
    holds (700,000 with the 50x benchmark's index open). Reference counting still frees
    everything; a collector another thread paused stays its to resume.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def backend(name: str):
    """The backend module for an engine name; a clear error for an unknown or uninstalled one."""
    if name not in ENGINES:
        raise SearcherError("unknown_engine", 400, value=name, allowed=", ".join(ENGINES))
    try:
        return import_module(f".{name}", __name__)
    except ImportError as error:
        raise SearcherError("engine_missing", 500, value=name, detail=str(error)) from None
