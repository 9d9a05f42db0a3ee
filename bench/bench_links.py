"""Benchmark: link computation (searcher.links.compute_links) on the corpus and a synthetic scale-up.

The scale-up makes N copies of the corpus. Copy 0 is the corpus itself; every other copy runs
each character through its own random permutation of the corpus's (Simplified) alphabet, after
script folding, so a copy has the same documents, lengths, n-gram statistics and internal reuse
as the corpus, but shares no wording with the other copies: the right answer at Nx is exactly
N times the links at 1x, which the script checks. ``--shared-vocabulary K`` leaves the K most
frequent characters out of the permutation, so common words recur across copies as they would
in a larger real corpus (more candidate pairs; some wording shared across copies).

    python bench/bench_links.py                 # 1x and 50x
    python bench/bench_links.py --scales 1 10 50 --shared-vocabulary 200

Scales run in the order given, in one process; peak RSS is the process's high-water mark so
far (it includes the synthetic corpus), so give the scales in ascending order.
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from searcher.corpus import load_corpus  # noqa: E402
from searcher.links import LinkIndex, compute_links, document_key, is_punctuation  # noqa: E402
from searcher.links.detect import _fingerprints, _link_key  # noqa: E402
from searcher.normalize import fold_char  # noqa: E402


def _alphabet(corpus) -> list[str]:
    """Folded CJK characters of the corpus, most frequent first."""
    counts: Counter[str] = Counter()
    for provision in corpus.provisions():
        for ch in provision.text:
            folded = fold_char(ch)
            if len(folded) == 1 and ord(folded) > 0x2E7F and not is_punctuation(folded):
                counts[folded] += 1
    return [ch for ch, _ in counts.most_common()]


def scaled_corpus(corpus, copies: int, shared: int = 0, seed: int = 0):
    """The corpus and copies-1 enciphered copies, as a duck-typed corpus compute_links accepts."""
    alphabet = _alphabet(corpus)
    kept, permuted = alphabet[:shared], alphabet[shared:]
    documents = []
    rng = random.Random(seed)
    for copy in range(copies):
        if copy:
            shuffled = permuted[:]
            rng.shuffle(shuffled)
            cipher = dict(zip(permuted, shuffled, strict=True)) | {ch: ch for ch in kept}
        for document in corpus.documents:
            doc_id = f"{document.id}~{copy}" if copy else document.id
            provisions = []
            for p in document.provisions:
                text = p.text if not copy else "".join(cipher.get(fold_char(ch), ch) for ch in p.text)
                # one character for one, so the unit list (metadata, left out of links) keeps its span
                provisions.append(SimpleNamespace(id=f"{doc_id}/{p.local_id}", doc_id=doc_id, text=text, units=p.units))
            documents.append(SimpleNamespace(id=doc_id, provisions=provisions))
    return SimpleNamespace(documents=documents)


def one_plan_changed(corpus, links) -> tuple[float, float]:
    """Seconds to recompute the links after one paragraph of the largest plan changed: with the
    per-process link-text cache emptied (a fresh `searcher build`) and kept (the watcher's builder).
    Checks that the result equals a full computation."""
    keys = {d.id: document_key(d) for d in corpus.documents}
    previous = LinkIndex(links, [d.id for d in corpus.documents], keys)
    largest = max(corpus.documents, key=lambda d: len(d.provisions))
    first = largest.provisions[0]
    edited = SimpleNamespace(id=first.id, doc_id=first.doc_id, text=first.text + "此段为基准测试所加。", units=first.units)
    changed = SimpleNamespace(documents=[SimpleNamespace(id=d.id, provisions=[edited] + d.provisions[1:])
                                         if d is largest else d for d in corpus.documents])
    timings = []
    for clear in (True, False):
        if clear:
            _link_key.cache_clear()
            _fingerprints.cache_clear()
        start = time.perf_counter()
        found = compute_links(changed, previous)
        timings.append(time.perf_counter() - start)
    if found != compute_links(changed):
        print("  note: the incremental links differ from a full computation")
    return timings[0], timings[1]


def peak_rss_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--shared-vocabulary", type=int, default=0, metavar="K")
    args = parser.parse_args(argv)
    corpus = load_corpus(ROOT / "corpus")
    compute_links(corpus)  # warm the per-character caches (script folding) once, as a running build has
    base = None
    print(f"{'scale':>5} {'docs':>5} {'provisions':>10} {'characters':>11} {'links':>7} "
          f"{'same':>5} {'similar':>7} {'shared':>6} {'boilerplate':>11} {'seconds':>8} {'peak RSS MiB':>12} "
          f"{'1 plan, cold':>12} {'1 plan, warm':>12}")
    for scale in args.scales:
        scaled = scaled_corpus(corpus, scale, args.shared_vocabulary)
        provisions = [p for d in scaled.documents for p in d.provisions]
        chars = sum(len(p.text) for p in provisions)
        _link_key.cache_clear()      # cold, as a fresh `searcher build` is
        _fingerprints.cache_clear()
        start = time.perf_counter()
        links = compute_links(scaled)
        seconds = time.perf_counter() - start
        peak = peak_rss_mib()
        kinds = Counter(link.kind for link in links)
        cold, warm = one_plan_changed(scaled, links)
        print(f"{scale:>4}x {len(scaled.documents):>5} {len(provisions):>10} {chars:>11} {len(links):>7} "
              f"{kinds['same']:>5} {kinds['similar']:>7} {kinds['shared']:>6} {sum(link.boilerplate for link in links):>11} "
              f"{seconds:>8.2f} {peak:>12.0f} {cold:>12.2f} {warm:>12.2f}")
        if scale == 1:
            base = len(links)
        elif base is not None and not args.shared_vocabulary and len(links) != base * scale:
            print(f"  note: expected {base * scale} links at {scale}x (copies share no wording)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
