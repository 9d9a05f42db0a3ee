"""The web app's handle on the library: the search engine (with its corpus) and the links.

Views reach it through :func:`library`; it picks up a newly published index generation at
most once a second, so a rebuild (by ``searcher build`` or the corpus watcher) switches every
page at once.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import Flask, current_app

from .. import config as paths
from ..errors import SearcherError
from ..links import LINKS_FILE, LinkIndex, load_links
from ..search import Engine
from ..units import unit_table

log = logging.getLogger(__name__)


class Library:
    """What the pages read: the search engine (with its corpus) and the cross-document links."""

    REFRESH_EVERY = 0.25  # seconds between checks for a newly published index generation (reads one small file)

    def __init__(self, engine, links_path: Path | None, response_cache: int = 1024):
        from .pages import ResponseCache

        self.engine = engine
        self.responses = ResponseCache(response_cache)
        self.links_path = links_path
        self._links = None
        self._links_key = None
        self._units: tuple[object, list[dict]] = (None, [])
        self._checked = 0.0
        self._lock = threading.Lock()

    @property
    def corpus(self):
        return self.engine.corpus

    def refresh(self) -> None:
        """Pick up a newly published index generation (at most once a second)."""
        now = time.monotonic()
        if now - self._checked >= self.REFRESH_EVERY:
            self._checked = now
            try:
                self.engine.refresh()
            except SearcherError as error:  # a broken new generation: keep answering from the current one
                log.error("Could not switch to the new index generation: %s", error)

    def units(self) -> list[dict]:
        """Every responsible unit with its task counts (:func:`searcher.units.unit_table`), for the filter and /units."""
        corpus = self.corpus
        if self._units[0] is not corpus:
            self._units = (corpus, unit_table(corpus.provisions()))
        return self._units[1]

    def links_file(self) -> Path | None:
        """links.json of the index generation in use (built with it), or None."""
        if self.links_path is not None:
            return self.links_path
        candidate = Path(self.engine.index_root) / self.engine.generation / LINKS_FILE
        return candidate if candidate.is_file() else None

    def links(self) -> LinkIndex:
        """The link index, reloaded when its file changes; empty (and logged) when there is none."""
        path = self.links_file()
        key = (path, path.stat().st_mtime_ns) if path is not None and path.is_file() else None
        with self._lock:
            if self._links is None or key != self._links_key:
                if key is None:
                    log.warning("No %s in %s: pages show no cross-document links. Run `searcher build`.",
                                LINKS_FILE, self.engine.index_root)
                self._links = load_links(path) if key else LinkIndex([], [d.id for d in self.corpus.documents])
                self._links_key = key
            return self._links


def _flag(value) -> bool:
    """A boolean setting, which may come from an environment variable ("0", "false", "no", "off")."""
    return value.strip().lower() not in ("", "0", "false", "no", "off") if isinstance(value, str) else bool(value)


def open_library(app: Flask) -> Library:
    engine = app.config.get("SEARCHER_ENGINE")  # an open Engine to share (tests, benchmarks)
    index_dir = Path(app.config["SEARCHER_INDEX"] or Path(app.instance_path) / "index")
    if engine is None:
        engine = Engine.open(paths.corpus_dir(app.config["SEARCHER_CORPUS"]), index_dir,
                             build_if_needed=_flag(app.config["SEARCHER_BUILD_IF_NEEDED"]))
    links_path = app.config.get("SEARCHER_LINKS")
    return Library(engine, Path(links_path) if links_path else None, int(app.config["SEARCHER_RESPONSE_CACHE"]))


def library() -> Library:
    return current_app.extensions["searcher"]

