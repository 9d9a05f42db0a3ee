"""The floor of the web stack: a minimal Flask app under waitress that answers searches by brute force.

    .venv/bin/python bench/floor_app.py --port 8801 [--corpus corpus] [--threads 8]

``GET /api/search?q=…`` normalises the query (the project's own folding) and scans the
normalised text of every record, answering ``{"query", "total", "ids"}`` (the first 20 ids in
document order). No query language, ranking, facets, highlights or templates: what is left is
the cost of the socket, waitress, Flask and JSON on this machine, which ``bench_http.py``
measures beside the real app.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import waitress  # noqa: E402
from flask import Flask, jsonify, request  # noqa: E402

from searcher.corpus import load_corpus  # noqa: E402
from searcher.normalize import normalize_text  # noqa: E402
from searcher.records import corpus_records  # noqa: E402


def create_floor_app(corpus_dir: Path) -> Flask:
    records = [(r.id, normalize_text(r.text)) for r in corpus_records(load_corpus(corpus_dir))]
    app = Flask(__name__)
    app.json.ensure_ascii = False

    @app.get("/api/search")
    def search():
        needle = normalize_text(request.args.get("q", ""))
        found = [rid for rid, text in records if needle and needle in text]
        return jsonify({"query": request.args.get("q", ""), "total": len(found), "ids": found[:20]})

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    args = parser.parse_args()
    waitress.serve(create_floor_app(Path(args.corpus)), host="127.0.0.1", port=args.port, threads=args.threads)


if __name__ == "__main__":
    main()
