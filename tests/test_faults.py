"""Faults: missing, damaged or half-written indexes are detected, never served; killed builds lose nothing."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from searcher.corpus import load_corpus
from searcher.errors import SearcherError
from searcher.index import CACHE, build_index, live_generation
from searcher.normalize import normalize_text
from searcher.search import Engine
from tests.conftest import shard_file


def oracle(corpus_dir: Path, query: str) -> set[str]:
    """Brute-force truth: the provisions whose normalised text contains the query."""
    needle = normalize_text(query)
    return {p.id for p in load_corpus(corpus_dir).provisions() if needle in normalize_text(p.text)}


def _live_dir(index: Path) -> Path:
    return index / live_generation(index)


def _truncate_postings(index: Path) -> None:
    postings = shard_file(_live_dir(index), "postings")
    postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 2])


def _delete_toc(index: Path) -> None:
    shard_file(_live_dir(index), "contents").unlink()


def _flip_stored_bytes(index: Path) -> None:
    stored = shard_file(_live_dir(index), "stored")
    data = bytearray(stored.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 16):
        data[offset] ^= 0xFF
    stored.write_bytes(bytes(data))


def _delete_meta(index: Path) -> None:
    (_live_dir(index) / "meta.json").unlink()


def _garbage_current(index: Path) -> None:
    (index / "CURRENT").write_text("../../etc\n", encoding="utf-8")


DAMAGE = {"truncated postings": _truncate_postings, "deleted TOC": _delete_toc,
          "flipped stored bytes": _flip_stored_bytes, "deleted meta.json": _delete_meta,
          "CURRENT pointing outside": _garbage_current}


def test_missing_index_is_refused_with_the_command_to_run(tiny_corpus_dir, tmp_path):
    with pytest.raises(SearcherError) as error:
        Engine.open(tiny_corpus_dir, tmp_path / "index", build_if_needed=False)
    assert "there is no index" in error.value.message and "searcher build" in error.value.hint


def test_missing_index_is_built_on_first_start(tiny_corpus_dir, tmp_path):
    engine = Engine.open(tiny_corpus_dir, tmp_path / "index")
    assert set(engine.hit_ids("大湾区")) == oracle(tiny_corpus_dir, "大湾区") != set()


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_index_is_refused_when_building_is_off(tiny_corpus_dir, tmp_path, damage, engine_name):
    index = tmp_path / "index"
    build_index(load_corpus(tiny_corpus_dir), index, engine=engine_name)
    DAMAGE[damage](index)
    with pytest.raises(SearcherError) as error:
        Engine.open(tiny_corpus_dir, index, build_if_needed=False)
    assert "damaged" in error.value.message and "searcher build" in error.value.hint


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_index_is_logged_and_rebuilt(tiny_corpus_dir, tmp_path, damage, engine_name, caplog):
    index = tmp_path / "index"
    build_index(load_corpus(tiny_corpus_dir), index, engine=engine_name)
    DAMAGE[damage](index)
    with caplog.at_level(logging.WARNING, logger="searcher.index"):
        engine = Engine.open(tiny_corpus_dir, index)
    assert "damaged" in caplog.text and "rebuilding" in caplog.text
    assert set(engine.hit_ids("大湾区")) == oracle(tiny_corpus_dir, "大湾区") != set()


def test_leftover_of_a_killed_writer_is_ignored_then_removed(tiny_corpus_dir, tmp_path):
    index = tmp_path / "index"
    build_index(load_corpus(tiny_corpus_dir), index)
    stale = index / ".build-999999-deadbeef"
    stale.mkdir()
    (stale / "MAIN_WRITELOCK").write_text("", encoding="utf-8")
    engine = Engine.open(tiny_corpus_dir, index, build_if_needed=False)
    assert set(engine.hit_ids("大湾区")) == oracle(tiny_corpus_dir, "大湾区") != set()
    build_index(load_corpus(tiny_corpus_dir), index)
    assert not stale.exists()


def test_sigkill_during_a_build_keeps_the_previous_index(real_corpus_dir, tmp_path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(real_corpus_dir, corpus)
    build_index(load_corpus(corpus), index)
    before = live_generation(index)
    expected = Engine.open(corpus, index, build_if_needed=False).hit_ids("横琴")
    # The killed build must have work to do: a rebuild of an unchanged corpus carries every shard
    # and link over and can finish before the kill. Switching engine re-indexes every document, and
    # without the analysis cache every record is analysed again (jieba): seconds of work.
    shutil.rmtree(index / CACHE, ignore_errors=True)
    builder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from searcher.corpus import load_corpus; from searcher.index import "
         "build_index; build_index(load_corpus(sys.argv[1]), sys.argv[2], engine='tantivy')", str(corpus), str(index)],
        cwd=Path(__file__).resolve().parent.parent,
        stderr=subprocess.DEVNULL)   # its pool workers, orphaned by the kill, report their broken pipes
    deadline = time.monotonic() + 120
    while not any(p.name.startswith(".build-") for p in index.iterdir()):
        assert builder.poll() is None and time.monotonic() < deadline, "the build never started"
        time.sleep(0.02)
    time.sleep(0.3)
    os.kill(builder.pid, signal.SIGKILL)
    builder.wait()
    assert live_generation(index) == before
    assert Engine.open(corpus, index, build_if_needed=False).hit_ids("横琴") == expected
    build_index(load_corpus(corpus), index)
    assert live_generation(index) != before
    assert not any(p.name.startswith(".build-") for p in index.iterdir())
    assert Engine.open(corpus, index, build_if_needed=False).hit_ids("横琴") == expected
