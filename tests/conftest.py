"""Shared fixtures: a tiny corpus in tmp_path (Simplified plan + Traditional agreement) and the real one."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searcher.config import PROJECT_ROOT
from searcher.corpus import Corpus, load_corpus

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
    """The bundled corpus, indexed (with its links) into a temporary folder."""
    return open_engine(real_corpus_dir, tmp_path_factory.mktemp("real") / "index")
