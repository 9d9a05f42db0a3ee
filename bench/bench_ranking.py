"""Ranking quality on the hand-judged set (bench/ranking/judgments.json): the engine beside a baseline.

For every query the engine's list is what a reader sees: every exact result, then the related
tier (`Engine.ranked_ids`). The baseline is plain BM25 over character bigrams of the provisions
(OR of the query's bigrams; k1 = 1.2, b = 0.75), the usual strong baseline for Chinese text.

Metrics (per query, then averaged):
  nDCG@10    gains 2^grade - 1, log2 discount; the ideal ranking is built from all judgments
  P@5        share of the first five that are relevant (grade >= 1)
  MRR        1 / rank of the first substantive provision (grade >= 2)
  R@20       relevant (grade >= 1) in the first 20, over min(20, number relevant)
  R@20 (>=2) the same for grade >= 2
  reach      relevant (grade >= 1) anywhere in the list, over the number relevant

Headings in the engine's list are not judged (the set judges provisions), so they count as 0
in the main figures; the "provisions only" line drops them from the list first.

The set is split for honesty: every third query (positions 3, 6, 9, ...) is held out ("test")
and was never looked at while tuning; the rest is "dev". Run: .venv/bin/python bench/bench_ranking.py
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from searcher.corpus import load_corpus  # noqa: E402
from searcher.normalize import normalize_text  # noqa: E402
from searcher.query import parse_query  # noqa: E402
from searcher.search import Engine  # noqa: E402

JUDGMENTS = ROOT / "bench" / "ranking" / "judgments.json"


def split(entries: list[dict]) -> dict[str, list[dict]]:
    test = [e for n, e in enumerate(entries, 1) if n % 3 == 0]
    dev = [e for n, e in enumerate(entries, 1) if n % 3 != 0]
    return {"dev": dev, "test": test, "all": entries}


def metrics(ranked: list[str], grades: dict[str, int]) -> dict[str, float]:
    gains = [2 ** grades.get(i, 0) - 1 for i in ranked[:10]]
    dcg = sum(g / math.log2(r + 2) for r, g in enumerate(gains))
    ideal = sorted((2 ** g - 1 for g in grades.values()), reverse=True)[:10]
    idcg = sum(g / math.log2(r + 2) for r, g in enumerate(ideal))
    relevant = {i for i, g in grades.items() if g >= 1}
    substantive = {i for i, g in grades.items() if g >= 2}
    first = next((r for r, i in enumerate(ranked, 1) if i in substantive), None)
    return {
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "P@5": sum(1 for i in ranked[:5] if i in relevant) / 5,
        "MRR": 1 / first if first else 0.0,
        "R@20": len(relevant & set(ranked[:20])) / min(20, len(relevant)) if relevant else 1.0,
        "R@20>=2": len(substantive & set(ranked[:20])) / min(20, len(substantive)) if substantive else 1.0,
        "reach": len(relevant & set(ranked)) / len(relevant) if relevant else 1.0,
    }


class BigramBM25:
    """Plain BM25 over character bigrams of every provision (the baseline)."""

    def __init__(self, provisions, k1: float = 1.2, b: float = 0.75):
        self.ids = [p.id for p in provisions]
        self.tf = [Counter(n[i:i + 2] for i in range(len(n) - 1)) for n in (normalize_text(p.text) for p in provisions)]
        self.lengths = [max(1, sum(c.values())) for c in self.tf]
        self.average = sum(self.lengths) / len(self.lengths)
        self.df = Counter(g for c in self.tf for g in c)
        self.k1, self.b = k1, b

    def ranked(self, query: str) -> list[str]:
        grams = [t.norm[i:i + 2] for t in parse_query(query).positive_terms for i in range(max(1, len(t.norm) - 1))]
        n = len(self.ids)
        scores = []
        for d, counts in enumerate(self.tf):
            score = 0.0
            for g in grams:
                tf = counts.get(g, 0)
                if tf:
                    idf = math.log(1 + (n - self.df[g] + 0.5) / (self.df[g] + 0.5))
                    score += idf * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * self.lengths[d] / self.average))
            if score:
                scores.append((-score, d))
        return [self.ids[d] for _, d in sorted(scores)]


def evaluate(lists: dict[str, list[str]], entries: list[dict]) -> dict[str, float]:
    rows = [metrics(lists[e["query"]], e["judgments"]) for e in entries]
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-query", action="store_true", help="print each query's figures (dev queries only)")
    parser.add_argument("--index", help="an index folder to use (default: build one in a temporary folder)")
    parser.add_argument("--dev-only", action="store_true",
                        help="figures for the dev queries only (for tuning: the held-out ones are never shown)")
    parser.add_argument("--top", type=int, default=0, metavar="N",
                        help="with --per-query: list each dev query's first N results with their grades")
    args = parser.parse_args()
    entries = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    corpus = load_corpus(ROOT / "corpus")
    index = Path(args.index) if args.index else Path(tempfile.mkdtemp()) / "index"
    engine = Engine.open(ROOT / "corpus", index)
    provisions = {p.id for p in corpus.provisions()}
    baseline = BigramBM25(list(corpus.provisions()))
    systems = {
        "searcher": {e["query"]: [i for i, _ in engine.ranked_ids(e["query"])] for e in entries},
        "searcher, provisions only": {e["query"]: [i for i, _ in engine.ranked_ids(e["query"]) if i in provisions]
                                      for e in entries},
        "bigram BM25": {e["query"]: baseline.ranked(e["query"]) for e in entries},
    }
    names = ["nDCG@10", "P@5", "MRR", "R@20", "R@20>=2", "reach"]
    print(f"{len(entries)} queries ({len(split(entries)['dev'])} dev, {len(split(entries)['test'])} held out)\n")
    print(f"| set | system | {' | '.join(names)} |")
    print("|---|---|" + "---:|" * len(names))
    parts = {"dev": split(entries)["dev"]} if args.dev_only else split(entries)
    for part, chosen in parts.items():
        for system, lists in systems.items():
            figures = evaluate(lists, chosen)
            print(f"| {part} | {system} | " + " | ".join(f"{figures[n]:.3f}" for n in names) + " |")
    if args.per_query:
        print()
        for e in split(entries)["dev"]:
            mine = metrics(systems["searcher"][e["query"]], e["judgments"])
            base = metrics(systems["bigram BM25"][e["query"]], e["judgments"])
            print(f"{e['query']:<12} nDCG {mine['nDCG@10']:.3f} (base {base['nDCG@10']:.3f})  R@20 {mine['R@20']:.2f} "
                  f"(base {base['R@20']:.2f})  reach {mine['reach']:.2f}  top: {systems['searcher'][e['query']][:5]}")
            for rank, (record_id, exact) in enumerate(engine.ranked_ids(e["query"])[:args.top], 1):
                grade = e["judgments"].get(record_id, "-" if record_id not in provisions else 0)
                print(f"    {rank:>2} {grade} {'exact' if exact else 'rel  '} {record_id}")


if __name__ == "__main__":
    main()
