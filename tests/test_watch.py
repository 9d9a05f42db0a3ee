"""Corpus watcher: a changed corpus is re-indexed; a broken one is refused and the old index kept."""
from __future__ import annotations

import logging

from searcher.corpus import load_corpus
from searcher.index import build_index, live_generation
from searcher.search import Engine
from searcher.watch import CorpusWatcher


def test_unchanged_corpus_is_not_rebuilt(tiny_corpus_dir, tmp_path):
    build_index(load_corpus(tiny_corpus_dir), tmp_path / "index")
    watcher = CorpusWatcher(tiny_corpus_dir, tmp_path / "index")
    assert watcher.check() is False and watcher.rebuilds == 0


def test_changed_corpus_is_rebuilt_and_the_engine_switches(tiny_corpus_dir, tmp_path):
    index = tmp_path / "index"
    build_index(load_corpus(tiny_corpus_dir), index)
    engine = Engine.open(tiny_corpus_dir, index)
    watcher = CorpusWatcher(tiny_corpus_dir, index)
    before = live_generation(index)
    path = tiny_corpus_dir / "001_plan.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增的段落提到了海洋牧场。\n", encoding="utf-8")
    assert engine.search("海洋牧场").total == 0
    assert watcher.check() is True
    assert live_generation(index) != before
    assert engine.refresh() is True
    assert engine.search("海洋牧场").total == 1


def test_broken_corpus_keeps_the_old_index(tiny_corpus_dir, tmp_path, caplog):
    index = tmp_path / "index"
    build_index(load_corpus(tiny_corpus_dir), index)
    watcher = CorpusWatcher(tiny_corpus_dir, index)
    before = live_generation(index)
    (tiny_corpus_dir / "001_plan.txt").write_bytes("示例规划".encode("gb18030"))
    with caplog.at_level(logging.ERROR, logger="searcher.watch"):
        assert watcher.check() is False
    assert live_generation(index) == before
    assert "001_plan.txt is not UTF-8" in caplog.text and "previous index stays in service" in caplog.text
