"""Search benchmark: build time and size, query latency and recall of each engine, at 1x, 50x and 200x.

    .venv/bin/python bench/bench_search.py [--scales 1,50,200] [--engines whoosh,tantivy] [--repeat N] [--corpus DIR]

For each scale it builds (in a temporary folder, through the same code path as
``searcher build``) an index with each search engine (:mod:`searcher.engine`: Whoosh and
Tantivy, each from a cold analysis cache), a brute-force scan over the normalised provision
texts and an SQLite FTS5 table (trigram tokenizer) over the same texts, then runs a fixed
query list against all of them. A scale above 1 is synthetic: extra copies of every document
under new ids, with 1% of the Chinese characters of long body lines replaced
deterministically, so that copies are not identical.

Latency is measured after one untimed pass over the query list (first-use costs such as the
citation tables and the OS file cache are not search latency), with the engine's per-term
cache cleared before every query, at three depths for each engine:

* **lookup**: the engine's own work, ``Generation.term_docs`` for every term of the query
  (candidates from the gram postings of every shard for Whoosh, of the generation's one index
  for Tantivy, each verified by a substring test where the term is longer than its grams);
* **exact**: the exact tier, ``Engine.matched``: parsing, lookups, set algebra and filters,
  the hits as records in document order (no ranking);
* **search**: ``Engine.search`` for the first page: all of the above plus ranking, facets,
  highlights, snippets, citations and, on the last page, the related tier.

The brute-force scan and FTS5 only find the matching ids (no ranking, no highlights): their
latency is reported in the exact column. Recall is each engine's found ids against the
brute-force truth, summed over the query list; "exact" counts the queries whose hit set is the
truth, no more and no less (the engines also hit printed headings, which the baselines do not
hold: an engine's hits are compared on provisions; tests/test_search.py checks headings too).
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from searcher.analysis import jieba_tokenizer
from searcher.corpus import Corpus, load_corpus
from searcher.index import build_index, open_generation
from searcher.normalize import normalize_text
from searcher.parse import chinese_number
from searcher.engine import ENGINES
from searcher.query import And, Not, Or, Term, parse_query
from searcher.search import Engine

QUERIES = [
    "湾区", "灣區", "粤港澳大湾区", "大湾区 -深圳", "前海 OR 南沙", "横琴粤澳深度合作区", "2.1万平方公里",
    '"一国两制"', "科技创新 doc:gba-outline", "国际科技创新中心", "港珠澳大桥", "发展", "港",
    "生态 环境 保护", "(广州 OR 深圳) 交通 -铁路", "unit:发展改革委 科技", "chapter:3 创新", "IPv6",
    "轨道交通", "高质量发展",
]
PERTURB_POOL = "的和在是了有为以与及对等中其各新大小多"
# per engine and scale: (column, limit) pairs; build in seconds, latencies as p95 in milliseconds
TARGETS = {
    "whoosh": {1: (("build", 5.0), ("search", 10.0)), 50: (("build", 90.0), ("search", 100.0))},
    "tantivy": {1: (("build", 1.0), ("exact", 1.0)), 50: (("exact", 5.0),)},
}


# --------------------------------------------------------------------------- synthetic corpus


def _perturb(text: str, rng: random.Random) -> str:
    """Replace about 1% of the Chinese characters of long body lines (never the first 6 of a line)."""
    lines = []
    for line in text.split("\n"):
        if len(line.strip()) > 30:
            chars = list(line)
            for i in range(6, len(chars)):
                if "\u4e00" <= chars[i] <= "\u9fff" and rng.random() < 0.01:
                    chars[i] = rng.choice(PERTURB_POOL)
            line = "".join(chars)
        lines.append(line)
    return "\n".join(lines)


def _toml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_scaled_corpus(source: Path, target: Path, copies: int) -> Path:
    """Write ``copies`` versions of every document of ``source`` into ``target`` (copy 0 unchanged)."""
    catalog = tomllib.loads((source / "catalog.toml").read_text(encoding="utf-8"))
    target.mkdir(parents=True)
    tables = []
    for copy in range(copies):
        for entry in catalog["document"]:
            text = (source / entry["file"]).read_text(encoding="utf-8")
            table = dict(entry)
            if copy:
                text = _perturb(text, random.Random(f"{entry['id']}/{copy}"))
                table["id"] = f"{entry['id']}-{copy:02d}"
                table["file"] = f"{copy:02d}_{entry['file']}"
                table["title_hans"] = f"{entry['title_hans']}（副本{copy}）"
            (target / table["file"]).write_text(text, encoding="utf-8")
            tables.append(table)
    body = "".join("[[document]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in t.items()) + "\n" for t in tables)
    (target / "catalog.toml").write_text(body, encoding="utf-8")
    return target


# --------------------------------------------------------------------------- baselines


class _Row:
    """What the baselines need of a provision: normalised text and filterable facts."""

    def __init__(self, provision):
        self.id = provision.id
        self.doc = provision.doc_id
        self.norm = normalize_text(provision.text)
        self.chapter = chinese_number(re.sub(r"[第章]", "", provision.chapter.label)) \
            if provision.chapter and provision.chapter.kind == "chapter" else None
        units = provision.units.lead + provision.units.participating if provision.units else []
        self.units = [normalize_text(u) for u in units]


def _row_filter(filters: dict) -> callable:
    docs = set(filters.get("doc", []))
    chapters = {chinese_number(v) for v in filters.get("chapter", [])}
    units = [normalize_text(v) for v in filters.get("unit", [])]

    def allowed(row: _Row) -> bool:
        return ((not docs or row.doc in docs) and (not chapters or row.chapter in chapters)
                and (not units or any(w in u for w in units for u in row.units)))
    return allowed


def _holds(node, text: str) -> bool:
    if isinstance(node, Term):
        return node.norm in text
    if isinstance(node, Not):
        return not _holds(node.child, text)
    if isinstance(node, Or):
        return any(_holds(c, text) for c in node.children)
    return all(_holds(c, text) for c in node.children)


def brute_force(rows: list[_Row], query: str) -> list[str]:
    """Scan every normalised provision text: the truth the engines are measured against."""
    parsed = parse_query(query)
    allowed = _row_filter(parsed.filters)
    return [r.id for r in rows if allowed(r) and (parsed.node is None or _holds(parsed.node, r.norm))]


def build_fts(rows: list[_Row], path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.execute("CREATE VIRTUAL TABLE p USING fts5(id UNINDEXED, doc UNINDEXED, chapter UNINDEXED, "
                       "units UNINDEXED, norm, tokenize='trigram')")
    connection.executemany("INSERT INTO p VALUES (?, ?, ?, ?, ?)",
                           [(r.id, r.doc, r.chapter, "\n".join(r.units), r.norm) for r in rows])
    connection.commit()
    return connection


def _fts_match(node) -> str | None:
    """An FTS5 MATCH expression, or None when a term is too short for trigrams."""
    if isinstance(node, Term):
        return None if len(node.norm) < 3 else '"' + node.norm.replace('"', '""') + '"'
    if isinstance(node, Not):
        return None
    parts = []
    for child in node.children:
        if isinstance(child, Not) and isinstance(node, And):
            inner = _fts_match(child.child)
            if inner is None:
                return None
            parts.append(("NOT", inner))
        else:
            inner = _fts_match(child)
            if inner is None:
                return None
            parts.append(("OR" if isinstance(node, Or) else "AND", inner))
    positives = [p for op, p in parts if op != "NOT"]
    if not positives:
        return None
    text = "(" + f" {'OR' if isinstance(node, Or) else 'AND'} ".join(positives) + ")"
    for op, p in parts:
        if op == "NOT":
            text = f"({text} NOT {p})"
    return text


def _like(node, args: list) -> str:
    if isinstance(node, Term):
        args.append("%" + node.norm.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        return "norm LIKE ? ESCAPE '\\'"
    if isinstance(node, Not):
        return f"NOT ({_like(node.child, args)})"
    joiner = " OR " if isinstance(node, Or) else " AND "
    return "(" + joiner.join(_like(c, args) for c in node.children) + ")"


def fts_search(connection: sqlite3.Connection, query: str) -> list[str]:
    parsed = parse_query(query)
    where, args = [], []
    match = _fts_match(parsed.node) if parsed.node is not None else None
    if match:
        where.append("p MATCH ?")
        args.append(match)
    elif parsed.node is not None:
        where.append(_like(parsed.node, args))
    if parsed.filters.get("doc"):
        where.append(f"doc IN ({', '.join('?' * len(parsed.filters['doc']))})")
        args += parsed.filters["doc"]
    if parsed.filters.get("chapter"):
        where.append("chapter = ?")
        args.append(chinese_number(parsed.filters["chapter"][0]))
    if parsed.filters.get("unit"):
        where.append("instr(units, ?) > 0")
        args.append(normalize_text(parsed.filters["unit"][0]))
    sql = "SELECT id FROM p" + (" WHERE " + " AND ".join(where) if where else "")
    return [row[0] for row in connection.execute(sql, args)]


# --------------------------------------------------------------------------- measuring


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _timed(function, repeat: int, before=None) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _engine_index(corpus: Corpus, folder: Path, engine: str) -> tuple[Engine, dict]:
    """Build one engine's index (no links: bench_links.py) and open it; return it with its costs."""
    started = time.perf_counter()
    info = build_index(corpus, folder, links=False, engine=engine)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    searcher = Engine(corpus, folder, open_generation(folder))
    costs = {"build": build_seconds, "open": time.perf_counter() - started, "size": info.size_bytes}
    for query in QUERIES:  # warm-up: first-use costs (citation tables, OS file cache) are not latency
        searcher.search(query)
    return searcher, costs


def _lookup(searcher: Engine, terms: list[str]) -> None:
    generation = searcher._state.generation
    for term in terms:
        generation.term_docs(term)


def measure(corpus: Corpus, workdir: Path, repeat: int, engines: list[str]) -> dict:
    provisions = sum(len(d.provisions) for d in corpus.documents)
    built = {name: _engine_index(corpus, workdir / name, name) for name in engines}
    rows = [_Row(p) for p in corpus.provisions()]
    started = time.perf_counter()
    fts = build_fts(rows, workdir / "fts.sqlite")
    fts_seconds = time.perf_counter() - started

    baselines = {"brute force": lambda q: brute_force(rows, q), "sqlite fts5": lambda q: fts_search(fts, q)}
    names = engines + list(baselines)
    latencies = {name: {"lookup": [], "exact": [], "search": []} for name in names}
    found = dict.fromkeys(names, 0)
    exact = dict.fromkeys(names, 0)
    truth_total = 0
    provision_ids = {row.id for row in rows}
    for query in QUERIES:
        truth = set(brute_force(rows, query))
        truth_total += len(truth)
        terms = [term.norm for term in parse_query(query).terms]
        for name, (searcher, _costs) in built.items():
            clear = searcher.clear_caches
            latencies[name]["lookup"] += _timed(lambda: _lookup(searcher, terms), repeat, clear)[0]
            latencies[name]["exact"] += _timed(lambda q=query: searcher.matched(q), repeat, clear)[0]
            latencies[name]["search"] += _timed(lambda q=query: searcher.search(q, page=1, size=20), repeat, clear)[0]
            result = searcher.hit_ids(query)
            found[name] += len(truth & set(result))
            exact[name] += set(result) & provision_ids == truth and len(result) == len(set(result))
        for name, function in baselines.items():
            times, result = _timed(lambda q=query, f=function: f(q), repeat)
            latencies[name]["exact"] += times
            found[name] += len(truth & set(result))
            exact[name] += set(result) == truth
    fts.close()
    costs = {name: costs for name, (_searcher, costs) in built.items()}
    costs["sqlite fts5"] = {"build": fts_seconds, "open": None, "size": _size(workdir / "fts.sqlite")}
    costs["brute force"] = {"build": None, "open": None, "size": sum(len(r.norm.encode()) for r in rows)}
    return {
        "documents": len(corpus.documents), "provisions": provisions, "chars": sum(len(r.norm) for r in rows),
        "names": names, "costs": costs,
        "p50": {name: {depth: statistics.median(times) for depth, times in depths.items() if times}
                for name, depths in latencies.items()},
        "p95": {name: {depth: _percentile(times, 0.95) for depth, times in depths.items() if times}
                for name, depths in latencies.items()},
        "recall": {name: found[name] / truth_total if truth_total else 1.0 for name in names},
        "exact": exact, "truth": truth_total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,50,200", help="comma-separated corpus multiples (default 1,50,200)")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"comma-separated engines (default {','.join(ENGINES)})")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query per engine (default 5)")
    parser.add_argument("--corpus", default=str(ROOT / "corpus"), help="source corpus folder")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    engines = args.engines.split(",")
    jieba_tokenizer()  # load the dictionary once, outside every timing
    print(f"{len(QUERIES)} queries x {args.repeat} runs each; machine: {_cpu()}; "
          f"speed check: a 10M-step Python loop takes {_calibrate():.2f} s")
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        for scale in scales:
            work = Path(tmp) / f"x{scale}"
            work.mkdir()
            source = Path(args.corpus) if scale == 1 else make_scaled_corpus(Path(args.corpus), work / "corpus", scale)
            started = time.perf_counter()
            corpus = load_corpus(source)
            parse_seconds = time.perf_counter() - started
            result = measure(corpus, work, args.repeat, engines)
            result["parse"] = parse_seconds
            shutil.rmtree(work, ignore_errors=True)
            _report(scale, result)
            print(f"speed check: {_calibrate():.2f} s")


def _cell(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _report(scale: int, r: dict) -> None:
    print(f"\n## {scale}x: {r['documents']} documents, {r['provisions']} provisions, "
          f"{r['chars']:,} normalised characters (parsing {r['parse']:.1f} s); {r['truth']} true hits in all")
    print(f"{'engine':<12} {'build s':>8} {'size MB':>8} {'open s':>7} | {'p50 / p95 ms:':<13} {'lookup':>13} "
          f"{'exact':>13} {'search':>13} | {'recall':>7} {'exact':>5}")
    for name in r["names"]:
        costs, p50, p95 = r["costs"][name], r["p50"][name], r["p95"][name]
        pairs = [f"{_cell(p50.get(d)):>6} {_cell(p95.get(d)):>6}" if d in p50 else f"{'–':>13}"
                 for d in ("lookup", "exact", "search")]
        print(f"{name:<12} {_cell(costs['build']):>8} {costs['size'] / 1e6:>8.2f} {_cell(costs['open']):>7} | "
              f"{'':<13} {pairs[0]} {pairs[1]} {pairs[2]} | {r['recall'][name]:>7.2%} {r['exact'][name]:>2}/{len(QUERIES)}")
    if {"whoosh", "tantivy"} <= set(r["names"]):
        w, t = r["costs"]["whoosh"], r["costs"]["tantivy"]
        ratios = [f"build {w['build'] / t['build']:.1f}x", f"size {w['size'] / t['size']:.1f}x",
                  f"open {w['open'] / t['open']:.1f}x"]
        ratios += [f"{d} p95 {r['p95']['whoosh'][d] / r['p95']['tantivy'][d]:.1f}x" for d in ("lookup", "exact", "search")]
        print("whoosh / tantivy: " + ", ".join(ratios))
    for name in r["names"]:
        for column, limit in TARGETS.get(name, {}).get(scale, ()):
            value = r["costs"][name]["build"] if column == "build" else r["p95"][name][column]
            unit = "s" if column == "build" else "ms p95"
            print(f"target {name} {column} <= {limit:g} {unit}: {value:.2f}, {'met' if value <= limit else 'MISSED'}")


def _calibrate() -> float:
    started, total = time.perf_counter(), 0
    for step in range(10_000_000):
        total += step
    return time.perf_counter() - started


def _cpu() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
        return f"{len(names)} x {names[0]}" if names else "unknown"
    except OSError:
        return "unknown"


if __name__ == "__main__":
    main()
