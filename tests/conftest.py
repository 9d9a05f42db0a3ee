"""Shared fixtures: a tiny corpus in tmp_path (Simplified plan + Traditional agreement) and the real one,
indexed by the default engine or by each engine in turn."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from searcher.config import PROJECT_ROOT
from searcher.corpus import Corpus, load_corpus
from searcher.engine import DEFAULT_ENGINE, ENGINES

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def tiny_corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/tiny: a chapter, a section, items, a box, a footnote, an annex."""
    target = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "tiny", target)
    return target


@pytest.fixture
def tiny_corpus(tiny_corpus_dir: Path) -> Corpus:
    return load_corpus(tiny_corpus_dir)


@pytest.fixture(scope="session")
def real_corpus_dir() -> Path:
    """The bundled corpus (read-only: copy it before changing anything)."""
    return PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def real_corpus(real_corpus_dir: Path) -> Corpus:
    return load_corpus(real_corpus_dir)


# --------------------------------------------------------------------------- web (test_web, test_e2e)

def open_engine(corpus_dir: Path, index_dir: Path):
    """Open an engine the way `searcher serve` does: build the index (and its links) on first start."""
    from searcher.search import Engine

    return Engine.open(corpus_dir, index_dir, build_if_needed=True)


@pytest.fixture(scope="session")
def real_engine(tmp_path_factory, real_corpus_dir: Path):
    """The bundled corpus, indexed (with its links) into a temporary folder by the default engine."""
    return open_engine(real_corpus_dir, tmp_path_factory.mktemp("real") / "index")


# --------------------------------------------------------------------------- every engine

@pytest.fixture(params=ENGINES)
def engine_name(request) -> str:
    """Each search engine in turn: a test using it runs once per engine."""
    return request.param


@pytest.fixture(scope="session")
def real_tantivy_engine(tmp_path_factory, real_corpus_dir: Path):
    """The bundled corpus, indexed (with its links) by the Tantivy engine."""
    from searcher.index import build_index
    from searcher.search import Engine

    root = tmp_path_factory.mktemp("real-tantivy") / "index"
    build_index(load_corpus(real_corpus_dir), root, engine="tantivy")
    return Engine.open(real_corpus_dir, root, build_if_needed=False)


@pytest.fixture(scope="session", params=ENGINES)
def each_real_engine(request):
    """The bundled corpus indexed by each engine in turn (the same index as `real_engine` for Whoosh)."""
    return request.getfixturevalue("real_engine" if request.param == DEFAULT_ENGINE else f"real_{request.param}_engine")


# Which file of a shard holds what, per engine, for the tests that damage one.
SHARD_FILES = {
    "whoosh": {"postings": "*.pst", "terms": "*.trm", "stored": "*._stored.col", "contents": "_MAIN_*.toc"},
    "tantivy": {"postings": "*.idx", "terms": "*.term", "stored": "*.store", "contents": "meta.json"},
}


def shard_file(generation: Path, kind: str) -> Path:
    """The first file of that kind in a generation's shards, for the generation's engine."""
    engine = json.loads((generation / "meta.json").read_text(encoding="utf-8"))["engine"]
    return next((generation / "shards").rglob(SHARD_FILES[engine][kind]))
