"""The short version of bench/load_test.py: concurrent clients, a CLI rebuild and a corpus change.

The full run (16 clients, 60 s) is `python bench/load_test.py`; figures are in the README.
"""
from __future__ import annotations

import json
import subprocess
import sys

from searcher.config import PROJECT_ROOT


def test_concurrent_load_during_rebuilds_has_no_failed_or_empty_responses():
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "bench" / "load_test.py"), "--seconds", "8",
                             "--clients", "8"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.split("\nload test:")[0].split("\nFAIL")[0])
    assert report["errors"] == 0 and report["requests"] > 0
    assert report["cli_rebuild_exit"] == 0 and report["corpus_change_searchable_after_s"] is not None
