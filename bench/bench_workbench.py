"""Latency of the workbench's JSON twins on the bundled corpus (Flask test client, warm engine).

    python bench/bench_workbench.py [--runs 40]

Prints p50 / p95 / max in milliseconds per request: concordances (a page of 100 lines, sorted
by position and by left context, and the whole CSV export) and frequency tables.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from searcher.search import Engine  # noqa: E402
from searcher.web import create_app  # noqa: E402

REQUESTS = [
    ("/api/concordance", {"q": "发展"}),
    ("/api/concordance", {"q": "发展", "sort": "left"}),
    ("/api/concordance", {"q": "发展", "sort": "right,doc", "page": 5}),
    ("/api/concordance", {"q": "的", "sort": "left"}),
    ("/api/concordance", {"q": "粤港澳大湾区 OR 灣區"}),
    ("/api/concordance", {"q": "发展", "format": "csv"}),
    ("/api/frequencies", {"q": ["创新", "开放", "合作"]}),
    ("/api/frequencies", {"q": ["发展", "的"]}),
    ("/api/frequencies", {"q": ["发展"], "format": "csv"}),
    ("/api/search", {"q": "发展", "format": "csv"}),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = Engine.open(Path(__file__).resolve().parent.parent / "corpus", Path(folder) / "index")
        client = create_app({"SEARCHER_ENGINE": engine, "TESTING": True}).test_client()
        print("| request | total | p50 ms | p95 ms | max ms |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for path, params in REQUESTS:
            client.get(path, query_string=params)            # warm the term cache and the sizes
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(path, query_string=params)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.get_data(as_text=True)
            body = response.get_json(silent=True) if response.mimetype == "application/json" else None
            if body is None:
                total = f"{len(response.data) // 1024} KB file"
            elif "lines" in body:
                total = body["total"]
            else:
                total = " / ".join(str(row["total"]) for row in body["terms"])
            times.sort()
            shown = "&".join(f"{k}={v if isinstance(v, str) else ','.join(map(str, v)) if isinstance(v, list) else v}"
                             for k, v in params.items())
            print(f"| `{path}?{shown}` | {total} | {statistics.median(times):.1f} | "
                  f"{times[int(0.95 * (len(times) - 1))]:.1f} | {times[-1]:.1f} |")


if __name__ == "__main__":
    main()
