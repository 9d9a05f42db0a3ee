"""Corpus watcher: a running server re-indexes the corpus folder when its files change.

Sits beside the index stage: it only notices changes and asks a *builder process* to run
:func:`index.build_index`, which rebuilds only the changed plans' shards and publishes a new
generation atomically; the web app's engine switches to it on its next refresh. A corpus that
no longer parses (a file that is not UTF-8, a missing catalog entry…) is logged with the
parser's message and the old index keeps serving.

Why a separate process: building is Python work, and in the server's process it would compete
with the request threads for the interpreter lock, slowing every answer for as long as it ran.
The builder is started once (fresh, not forked from the threaded server), loads jieba's
dictionary once, then waits for work; on a two-core machine the server keeps one core and the
build gets the other. If it dies, the next change starts a new one.
"""
from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
from pathlib import Path

from .catalog import CATALOG_NAME
from .errors import SearcherError
from .index import index_problem

log = logging.getLogger(__name__)
BUILD_TIMEOUT = 600.0  # seconds; a build that takes longer is abandoned (the old index stays live)


def corpus_signature(corpus_dir: Path) -> tuple:
    """Names, sizes and modification times of the catalog and the .txt files: cheap to poll."""
    entries = []
    for path in sorted([corpus_dir / CATALOG_NAME, corpus_dir / "glossary.toml", *corpus_dir.glob("*.txt")]):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((path.name, stat.st_size, stat.st_mtime_ns))
    return tuple(entries)


def _builder_main(connection) -> None:
    """The builder process: load jieba once, then build whenever asked, answering with the outcome."""
    from .analysis import jieba_tokenizer
    from .corpus import load_corpus
    from .index import build_index

    jieba_tokenizer()
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        corpus_dir, index_root = job
        try:
            info = build_index(load_corpus(corpus_dir), index_root)
            connection.send(("ok", {"generation": info.generation, "provisions": info.provisions,
                                    "built": info.built, "reused": info.reused, "seconds": round(info.seconds, 3)}))
        except SearcherError as error:
            connection.send(("error", (error.code, error.status, error.params)))
        except Exception as error:  # noqa: BLE001 - reported to the watcher, which logs it
            connection.send(("crash", f"{type(error).__name__}: {error}"))


class Builder:
    """A long-lived builder process (started on first use, restarted if it dies)."""

    def __init__(self):
        self._process = None
        self._connection = None
        self._lock = threading.Lock()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")   # never fork a threaded server
        self._connection, child = context.Pipe()
        # not a daemon, so that it may use a pool of its own for a parallel build; it ends when the
        # server closes it (atexit) or when the server dies (its end of the pipe closes)
        self._process = context.Process(target=_builder_main, args=(child,), name="searcher-builder", daemon=False)
        self._process.start()
        child.close()
        atexit.register(self.close)

    def start(self) -> None:
        """Start the builder now (it loads jieba's dictionary), so that the first change is indexed without delay."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()

    def build(self, corpus_dir: Path, index_root: Path, timeout: float = BUILD_TIMEOUT) -> dict:
        """Build in the builder process; raise SearcherError for a corpus problem, RuntimeError if it died."""
        with self._lock:
            if self._process is None or not self._process.is_alive():
                self._start()
            self._connection.send((str(corpus_dir), str(index_root)))
            if not self._connection.poll(timeout):
                self.close()
                raise RuntimeError(f"the build took longer than {timeout:.0f} s and was abandoned")
            try:
                outcome, detail = self._connection.recv()
            except EOFError:
                self.close()
                raise RuntimeError("the builder process died") from None
        if outcome == "error":
            code, status, params = detail
            raise SearcherError(code, status, **params)
        if outcome == "crash":
            raise RuntimeError(detail)
        return detail

    def close(self) -> None:
        """Ask the builder to stop, and make sure it has."""
        if self._process is not None:
            try:
                self._connection.send(None)
            except (OSError, ValueError):
                pass
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.terminate()
        self._process = self._connection = None


class CorpusWatcher(threading.Thread):
    """Poll the corpus folder every ``interval`` seconds and rebuild the index when it changed."""

    def __init__(self, corpus_dir: Path | str, index_root: Path | str, interval: float = 0.5):
        super().__init__(name="corpus-watcher", daemon=True)
        self.corpus_dir = Path(corpus_dir)
        self.index_root = Path(index_root)
        self.interval = interval
        self._stop = threading.Event()
        self._seen = corpus_signature(self.corpus_dir)
        self.builder = Builder()
        self.rebuilds = 0

    def stop(self) -> None:
        self._stop.set()
        self.builder.close()

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
            info = self.builder.build(self.corpus_dir, self.index_root)
        except SearcherError as error:
            log.error("the corpus changed but was not indexed; the previous index stays in service: %s", error)
            return False
        self.rebuilds += 1
        log.info("indexed %d provisions into %s in %.2f s (re-indexed %s; carried over %s)", info["provisions"],
                 info["generation"], info["seconds"], ", ".join(info["built"]) or "nothing",
                 ", ".join(info["reused"]) or "nothing")
        return True

    def run(self) -> None:
        self.builder.start()
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # noqa: BLE001 - the watcher must never take the server down
                log.exception("corpus watcher failed; it will try again")
