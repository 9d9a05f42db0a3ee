"""Corpus watcher: a running server re-indexes the corpus folder when its files change.

Sits beside the index stage: it only notices changes and calls :func:`index.build_index`,
which publishes a new generation atomically; the web app's engine switches to it on its
next refresh. A corpus that no longer parses (a file that is not UTF-8, a missing catalog
entry…) is logged with the parser's message and the old index keeps serving.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from .catalog import CATALOG_NAME
from .corpus import load_corpus
from .errors import SearcherError
from .index import build_index, index_problem

log = logging.getLogger(__name__)


def corpus_signature(corpus_dir: Path) -> tuple:
    """Names, sizes and modification times of the catalog and the .txt files: cheap to poll."""
    entries = []
    for path in sorted([corpus_dir / CATALOG_NAME, *corpus_dir.glob("*.txt")]):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


class CorpusWatcher(threading.Thread):
    """Poll the corpus folder every ``interval`` seconds and rebuild the index when it changed."""

    def __init__(self, corpus_dir: Path | str, index_root: Path | str, interval: float = 2.0):
        super().__init__(name="corpus-watcher", daemon=True)
        self.corpus_dir = Path(corpus_dir)
        self.index_root = Path(index_root)
        self.interval = interval
        self._stop = threading.Event()
        self._seen = corpus_signature(self.corpus_dir)
        self.rebuilds = 0

    def stop(self) -> None:
        self._stop.set()

    def check(self) -> bool:
        """Rebuild now if the corpus changed since the last check; return True if it rebuilt."""
        signature = corpus_signature(self.corpus_dir)
        if signature == self._seen:
            return False
        self._seen = signature
        try:
            reason = index_problem(self.corpus_dir, self.index_root)
            if reason is None:
                return False
            log.info("corpus changed (%s): rebuilding the index", reason)
            info = build_index(load_corpus(self.corpus_dir), self.index_root)
        except SearcherError as error:
            log.error("the corpus changed but was not indexed; the previous index stays in service: %s", error)
            return False
        self.rebuilds += 1
        log.info("indexed %d provisions into %s", info.provisions, info.generation)
        return True

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # noqa: BLE001 - the watcher must never take the server down
                log.exception("corpus watcher failed; it will try again")
