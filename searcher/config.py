"""Where things live: the corpus folder and the index folder, from arguments or SEARCHER_* variables."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def corpus_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The corpus folder: explicit value, else $SEARCHER_CORPUS, else ./corpus beside the package."""
    value = explicit or os.environ.get("SEARCHER_CORPUS")
    return Path(value).resolve() if value else PROJECT_ROOT / "corpus"


def index_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The index folder: explicit value, else $SEARCHER_INDEX, else ./instance/index."""
    value = explicit or os.environ.get("SEARCHER_INDEX")
    return Path(value).resolve() if value else PROJECT_ROOT / "instance" / "index"
