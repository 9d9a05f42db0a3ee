"""Build benchmark: a full build, in parallel and in one process, a rebuild of nothing and of one plan.

    .venv/bin/python bench/bench_build.py [--scales 1 50]

Side by side in one run, for each scale, through ``searcher.index.build_index`` (what
``searcher build`` does, links included, jieba already loaded):

* **full, parallel**: a new index folder, empty analysis cache, one process per core;
* **full, one process**: the same with a single process (the ratio is what parallel buys);
* **nothing changed**: every shard and the links file carried over;
* **one plan changed**: a paragraph appended to the largest plan: its shard is rebuilt, the
  others carried over, only its changed records analysed.

The 50x corpus is the bundled one plus 49 copies whose Chinese characters pass through a
random permutation, except the characters the plans' numbering, labels, unit lists and
structural words (目录, 前言, 专栏, 牵头单位 …) use, so that every copy parses into the same
structure (the script checks: the same provision ids in every copy) but shares little
wording with the others: the cross-document links then grow with the corpus, nearly linearly,
instead of with its square (see ``bench_links.py``). Heading titles are enciphered too: keeping
their characters, as an earlier version did, left so much common wording that the links grew
with the square of the copies. Figures are seconds and their ratio to the full parallel build;
a speed check (a 10-million-step Python loop) before the run and after each scale tells a
loaded minute of these shared machines from a slow build.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import searcher.index as index_module  # noqa: E402
from searcher.analysis import jieba_tokenizer  # noqa: E402
from searcher.corpus import load_corpus  # noqa: E402
from searcher.index import build_index  # noqa: E402
from searcher.records import corpus_records  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench_search import _calibrate, _toml  # noqa: E402


def _structural_characters(corpus) -> set[str]:
    """Characters of every label and unit list and the structural words: the parser needs them."""
    kept = set("第章节条项款目录一二三四五六七八九十百零〇两前言附件专栏牵头参加单位：；、（）()，。")
    for document in corpus.documents:
        for heading in document.headings:
            kept |= set(heading.label)
        for provision in document.provisions:
            kept |= set(provision.label)
            if provision.units and provision.units.span:
                kept |= set(provision.text[slice(*provision.units.span)])
    return kept


def make_enciphered_corpus(source: Path, target: Path, copies: int) -> Path:
    """``copies`` versions of every plan (copy 0 as is), the others enciphered outside the structure."""
    corpus = load_corpus(source)
    kept = _structural_characters(corpus)
    text_of = {d.id: (source / d.entry.file).read_text(encoding="utf-8") for d in corpus.documents}
    alphabet = sorted({ch for text in text_of.values() for ch in text if "\u4e00" <= ch <= "\u9fff"} - kept)
    catalog = tomllib.loads((source / "catalog.toml").read_text(encoding="utf-8"))
    target.mkdir(parents=True)
    tables = []
    rng = random.Random(20190218)
    for copy in range(copies):
        shuffled = alphabet[:]
        rng.shuffle(shuffled)
        cipher = str.maketrans(dict(zip(alphabet, shuffled)))
        for entry in catalog["document"]:
            table = {k: v for k, v in entry.items()}
            text = text_of[entry["id"]]
            if copy:
                text = text.translate(cipher)
                table.update(id=f"{entry['id']}-{copy:02d}", file=f"{copy:02d}_{entry['file']}",
                             title_hans=entry["title_hans"].translate(cipher),
                             title_hant=entry.get("title_hant", "").translate(cipher))
            (target / table["file"]).write_text(text, encoding="utf-8")
            tables.append(table)
    body = "".join("[[document]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in t.items()) + "\n" for t in tables)
    (target / "catalog.toml").write_text(body, encoding="utf-8")
    return target


def _check_structure(original, enciphered) -> None:
    """Say so if a copy did not parse into the provisions of the plan it was made from."""
    shape = {d.id: [p.local_id for p in d.provisions] for d in original.documents}
    for document in enciphered.documents:
        source = document.id if document.id in shape else document.id.rsplit("-", 1)[0]
        if [p.local_id for p in document.provisions] != shape[source]:
            print(f"  note: {document.id} does not parse like {source}: the cipher broke its structure")


def _timed_build(corpus_dir: Path, index: Path) -> tuple[float, object]:
    corpus = load_corpus(corpus_dir)
    started = time.perf_counter()
    info = build_index(corpus, index)
    return time.perf_counter() - started, info


def measure(scale: int, workdir: Path) -> list[tuple[str, float, object]]:
    corpus_dir = workdir / f"corpus-{scale}"
    if scale == 1:
        shutil.copytree(ROOT / "corpus", corpus_dir)
    else:
        make_enciphered_corpus(ROOT / "corpus", corpus_dir, scale)
        _check_structure(load_corpus(ROOT / "corpus"), load_corpus(corpus_dir))
    rows = []
    seconds, info = _timed_build(corpus_dir, workdir / f"parallel-{scale}")
    rows.append(("full, parallel", seconds, info))
    workers = index_module._workers
    index_module._workers = lambda tasks: 1
    try:
        seconds, info = _timed_build(corpus_dir, workdir / f"sequential-{scale}")
        rows.append(("full, one process", seconds, info))
    finally:
        index_module._workers = workers
    seconds, info = _timed_build(corpus_dir, workdir / f"parallel-{scale}")
    rows.append(("nothing changed", seconds, info))
    largest = max(load_corpus(corpus_dir).documents, key=lambda d: len(d.provisions))
    with open(corpus_dir / largest.entry.file, "a", encoding="utf-8") as handle:
        handle.write("\n推进琶洲数字经济试验区与海洋牧场协同发展。\n")
    seconds, info = _timed_build(corpus_dir, workdir / f"parallel-{scale}")
    rows.append((f"one plan changed ({largest.id})", seconds, info))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 50])
    args = parser.parse_args()
    jieba_tokenizer()
    workdir = Path(tempfile.mkdtemp(prefix="bench-build-"))
    print(f"speed check: a 10M-step Python loop takes {_calibrate():.2f} s", flush=True)
    print("| scale | build | records | shards built | links | seconds | ÷ full parallel | index MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    try:
        for scale in args.scales:
            rows = measure(scale, workdir)
            base = rows[0][1]
            for name, seconds, info in rows:
                print(f"| {scale}x | {name} | {info.records:,} | {len(info.built)} of {len(info.built) + len(info.reused)} | "
                      f"{info.links:,} | {seconds:.2f} | {seconds / base:.2f} | {info.size_bytes / 1e6:.1f} |")
            print(f"speed check after {scale}x: {_calibrate():.2f} s", flush=True)
            records = len(corpus_records(load_corpus(workdir / f"corpus-{scale}")))
            assert records == rows[-1][2].records
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
