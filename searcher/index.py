"""Index stage: records -> a Whoosh index on disk, built aside and switched atomically.

Sits between :mod:`searcher.analysis` (tokens) and :mod:`searcher.search` (hits). One Whoosh
document per record (:mod:`searcher.records`: every provision, footnotes included, and every
printed heading), carrying:

* the record id and document, and the normalised text, against which :mod:`searcher.search`
  verifies every candidate (everything else a page shows comes from the corpus model);
* ``grams``: the character unigrams and bigrams of the normalised text (substring recall).
  Only their presence is stored: a term's candidates are the records holding all its
  bigrams, and every candidate is verified against the stored text, so positions (and phrase
  queries over them) would add no precision; storing them made the build of the bundled
  corpus about 40% slower and its index 50% larger;
* ``words``: the jieba words of the text, with their counts (ranking: does a term stand as a
  word of its own, as 南沙 does in 南沙新区, or only inside a longer name?).

Layout of the index folder (``index_root``)::

    CURRENT          name of the live generation (replaced with os.replace: atomic)
    gen-…/           one complete Whoosh index + meta.json per build
    .build-<pid>-…/  a build in progress; never read, removed if its process is gone

A build writes a new generation beside the live one and only then points ``CURRENT`` at it,
so readers keep answering from the old index until the new one is complete, and a build
that dies half-way leaves the previous index untouched. ``meta.json`` records the corpus
fingerprint, :data:`INDEX_VERSION` and a hash of the jieba user dictionary;
:func:`ensure_index` rebuilds when any of them changed.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import secrets
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from tqdm import tqdm
from whoosh import fields, formats
from whoosh.analysis import IDTokenizer, RegexTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher
from whoosh.index import create_in, open_dir
from whoosh.reading import TermNotFound

from .analysis import dictionary_fingerprint, gram_analyzer, word_analyzer
from .catalog import corpus_fingerprint
from .corpus import Corpus
from .errors import SearcherError
from .normalize import normalize_text
from .records import Record, corpus_records

# Bump whenever the schema, the analysers, the records or the folding change what is indexed:
# every index built by another version is rebuilt on open.
INDEX_VERSION = 2
CURRENT_NAME = "CURRENT"
META_NAME = "meta.json"
LOCK_NAME = "MAIN_WRITELOCK"  # Whoosh's (empty) lock file, left in every generation
GENERATION_PREFIX = "gen-"
BUILD_PREFIX = ".build-"
log = logging.getLogger(__name__)
MAX_POOL_MB = 4096
PARALLEL_FROM = 2000  # provisions; below this, starting sub-processes costs more than it saves
MAX_PROCS = 4


def _keyword(stored: bool = False, unique: bool = False, lines: bool = False) -> fields.FieldType:
    """An untokenised (or one-term-per-line) filter field.

    Declared scorable on purpose: Whoosh 2.7 looks for a missing field-length column on disk
    once per posting of a non-scorable field, which made building several times slower.
    """
    analyzer = RegexTokenizer(r"[^\n]+") if lines else IDTokenizer()
    return fields.FieldType(formats.Existence(), analyzer, scorable=True, stored=stored, unique=unique)


def make_schema() -> fields.Schema:
    """Return the Whoosh schema: one document per record (provision or heading)."""
    return fields.Schema(
        id=_keyword(stored=True, unique=True),
        doc=_keyword(stored=True),
        norm=fields.STORED(),
        grams=fields.FieldType(formats.Existence(), gram_analyzer(), scorable=True),
        words=fields.TEXT(analyzer=word_analyzer(), phrase=False),
    )


def record_fields(record: Record) -> dict:
    """Return the Whoosh document for one record (plain values only)."""
    norm = normalize_text(record.text)
    return {"id": record.id, "doc": record.doc_id, "norm": norm, "grams": norm, "words": record.text}


@dataclass
class IndexInfo:
    """What a build produced: where, from which corpus, how big, how long it took."""

    root: Path
    generation: str
    fingerprint: str
    documents: dict[str, int]
    provisions: int
    seconds: float
    size_bytes: int
    links: int | None = None
    records: int = 0

    @property
    def path(self) -> Path:
        return self.root / self.generation


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_current(root: Path) -> str | None:
    try:
        return (root / CURRENT_NAME).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None


def _publish(root: Path, generation: str) -> str | None:
    """Point CURRENT at ``generation`` atomically; return the generation it replaced."""
    previous = _read_current(root)
    pointer = root / f".{CURRENT_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, root / CURRENT_NAME)
    return previous


def _clean_up(root: Path, keep: set[str]) -> None:
    """Remove generations not in ``keep`` and leftovers of builds whose process is gone."""
    for entry in root.iterdir():
        name = entry.name
        if name.startswith(GENERATION_PREFIX) and name not in keep:
            shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(BUILD_PREFIX):
            pid = name[len(BUILD_PREFIX):].split("-", 1)[0]
            if not pid.isdigit() or not _pid_alive(int(pid)):
                shutil.rmtree(entry, ignore_errors=True)
        elif name.startswith(f".{CURRENT_NAME}."):
            pid = name.split(".")[2]
            if not pid.isdigit() or not _pid_alive(int(pid)):
                entry.unlink(missing_ok=True)


class _Codec(W3Codec):
    """Whoosh's default codec without per-block length statistics.

    Those statistics only serve Whoosh's block-quality skipping, which :mod:`searcher.search`
    does not use (it scores every hit itself); collecting them cost a disk read per posting,
    about a quarter of the build time. Document lengths for BM25 are stored as usual.
    Posting blocks are not zlib-compressed either: most are tiny, and compressing them cost
    more than a tenth of the build for a slightly smaller index.
    """

    length_stats = False

    def __init__(self):
        super().__init__(compression=0)


def _pool_megabytes(corpus: Corpus) -> int:
    """Size Whoosh's posting pool so that it never spills to disk for this corpus.

    A spilled pool is merged back with a Python heap merge, which made builds of large
    corpora several times slower. About 2.5 postings per character of text, ~200 bytes each.
    """
    characters = sum(len(p.text) for p in corpus.provisions()) * 11 // 10   # headings: about a tenth more
    return max(256, min(MAX_POOL_MB, characters * 2.5 * 200 // 2**20 + 64))


class _Bar(tqdm):
    """tqdm without its monitor thread, which would otherwise make every later build sequential."""

    monitor_interval = 0


def _parallel(provisions: int) -> dict:
    """Writer options: one sub-process per CPU (each writing its own segment) for large corpora.

    Only from a single-threaded process (the CLI): forking a threaded server could copy a
    lock some other thread holds, and the sub-process would wait for it forever.
    """
    procs = min(os.cpu_count() or 1, MAX_PROCS)
    if procs < 2 or provisions < PARALLEL_FROM or threading.active_count() > 1:
        return {}
    return {"procs": procs, "multisegment": True, "batchsize": 256}


def build_index(corpus: Corpus, index_root: Path | str, progress: bool = False, links: bool = True) -> IndexInfo:
    """Build a new index generation for ``corpus`` under ``index_root`` and make it live.

    With ``links`` the cross-document links (:mod:`searcher.links`) are computed too and stored
    in the generation, so they switch together with the index they belong to.
    """
    started = time.perf_counter()
    root = Path(index_root)
    root.mkdir(parents=True, exist_ok=True)
    fingerprint = corpus_fingerprint(corpus.root)
    staging = root / f"{BUILD_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    collecting = gc.isenabled()
    # Whoosh's posting pool holds millions of small tuples and no reference cycles: the cyclic
    # garbage collector would walk all of them again and again for nothing.
    gc.disable()
    try:
        ix = create_in(str(staging), make_schema())
        records = corpus_records(corpus)
        total = len(records)
        # No compound file: it saves copying every segment file.
        writer = ix.writer(limitmb=_pool_megabytes(corpus), compound=False, codec=_Codec(), **_parallel(total))
        with _Bar(total=total, desc="indexing", unit="record", disable=not progress,
                  file=sys.stderr, leave=False) as bar:
            for record in records:
                writer.add_document(**record_fields(record))
                bar.update()
        writer.commit()
        written = ix.doc_count_all()
        ix.close()
        if written != total:  # e.g. a sub-process of the parallel writer died
            raise SearcherError("index_short_write", 500, written=written, total=total)
        counts = {document.id: len(document.provisions) for document in corpus.documents}
        link_count = _store_links(corpus, staging) if links else None
        meta = {"index_version": INDEX_VERSION, "fingerprint": fingerprint, "dictionary": dictionary_fingerprint(),
                "corpus": str(corpus.root), "documents": counts, "provisions": sum(counts.values()), "records": total,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seconds": round(time.perf_counter() - started, 3),
                "links": link_count, "files": _manifest(staging)}
        (staging / META_NAME).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        generation = f"{GENERATION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        os.rename(staging, root / generation)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if collecting:
            gc.enable()
    previous = _publish(root, generation)
    # Keep the generation just replaced: a running server reads it until it refreshes.
    _clean_up(root, {generation} | ({previous} if previous else set()))
    return IndexInfo(root, generation, fingerprint, counts, sum(counts.values()),
                     time.perf_counter() - started, _dir_size(root / generation), link_count, total)


def _store_links(corpus: Corpus, staging: Path) -> int:
    """Compute the cross-document links and write links.json into the generation being built."""
    from .links import compute_links, save_links  # links sit after search in the pipeline

    found = compute_links(corpus)
    save_links(found, staging, docs=[document.id for document in corpus.documents])
    return len(found)


# --------------------------------------------------------------------------- opening


def _damaged(root: Path, reason: str) -> SearcherError:
    return SearcherError("index_damaged", 500, path=str(root), reason=reason)


def read_meta(root: Path | str) -> tuple[str, dict] | None:
    """Return (live generation, its meta.json) or None when there is no index at ``root``."""
    root = Path(root)
    generation = _read_current(root)
    if generation is None:
        return None
    if not generation.startswith(GENERATION_PREFIX) or "/" in generation or not (root / generation).is_dir():
        raise _damaged(root, f"{CURRENT_NAME} names {generation!r}, which is not an index generation")
    try:
        meta = json.loads((root / generation / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _damaged(root, f"cannot read {generation}/{META_NAME}: {exc}") from None
    if not isinstance(meta, dict) or "fingerprint" not in meta or "index_version" not in meta:
        raise _damaged(root, f"{generation}/{META_NAME} lacks the corpus fingerprint or index version")
    return generation, meta


def index_problem(corpus_root: Path | str, index_root: Path | str) -> str | None:
    """Say why the index must be (re)built for this corpus, or None if it is current."""
    found = read_meta(index_root)
    if found is None:
        return f"there is no index at {index_root}"
    _generation, meta = found
    if meta["index_version"] != INDEX_VERSION:
        return f"the index has version {meta['index_version']}, this code needs version {INDEX_VERSION}"
    if meta["fingerprint"] != corpus_fingerprint(Path(corpus_root)):
        return f"the corpus in {corpus_root} changed since the index was built"
    if meta.get("dictionary") != dictionary_fingerprint():
        return "the jieba user dictionary changed since the index was built"
    return None


@dataclass
class Generation:
    """One opened index generation: the Whoosh index plus per-record columns held in memory.

    The columns are lists indexed by Whoosh document number; search verifies candidates
    against ``norms`` without touching disk.
    """

    root: Path
    name: str
    meta: dict
    whoosh: object
    ids: list[str]
    norms: list[str]
    docs: list[str]
    _local: threading.local = field(default_factory=threading.local, repr=False)
    universe: frozenset = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.universe = frozenset(range(len(self.ids)))

    def searcher(self):
        """Return this thread's Whoosh searcher (readers are not safe to share between threads)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.whoosh.searcher()
        return searcher

    @property
    def doc_count(self) -> int:
        return len(self.ids)

    @property
    def path(self) -> Path:
        return self.root / self.name


def _manifest(folder: Path) -> dict[str, list]:
    """Size and SHA-256 of every file of a generation, so that opening it can prove it intact."""
    return {path.name: [path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()]
            for path in sorted(folder.iterdir()) if path.is_file() and path.name not in (META_NAME, LOCK_NAME)}


def _verify(root: Path, generation: str, meta: dict) -> None:
    """Raise the damaged-index error unless every file is exactly as the build wrote it.

    Whoosh has no checksums: a truncated or altered posting file would silently lose hits.
    """
    files = meta.get("files")
    if not isinstance(files, dict) or not files:
        raise _damaged(root, f"{generation}/{META_NAME} lists no files")
    for name, expected in files.items():
        path = root / generation / name
        if not path.is_file():
            raise _damaged(root, f"{generation}/{name} is missing")
        if [path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()] != expected:
            raise _damaged(root, f"{generation}/{name} changed after the build")


def open_generation(index_root: Path | str) -> Generation:
    """Open the live generation under ``index_root``; raise SearcherError if missing or damaged."""
    root = Path(index_root)
    found = read_meta(root)
    if found is None:
        raise SearcherError("no_index", 503, path=str(root))
    generation, meta = found
    _verify(root, generation, meta)
    try:
        ix = open_dir(str(root / generation), readonly=True)
        columns: dict[str, list] = {"id": [], "norm": [], "doc": []}
        with ix.reader() as reader:
            for _docnum, stored in reader.iter_docs():
                for name, column in columns.items():
                    column.append(stored[name])
    except SearcherError:
        raise
    except Exception as exc:  # noqa: BLE001 - Whoosh reports damage as many different exception types
        raise _damaged(root, f"{type(exc).__name__}: {exc}") from None
    if len(columns["id"]) != meta.get("records"):
        raise _damaged(root, f"it holds {len(columns['id'])} records, meta.json says {meta.get('records')}")
    return Generation(root, generation, meta, ix, columns["id"], columns["norm"], columns["doc"])


def ensure_index(corpus: Corpus, index_root: Path | str, build_if_needed: bool = True,
                 progress: bool = False) -> Generation:
    """Open the index for ``corpus``, building it first if it is missing, stale or damaged.

    Without ``build_if_needed`` every one of those is a SearcherError that names the command
    to run; with it, the reason is logged and the index rebuilt.
    """
    try:
        problem = index_problem(corpus.root, index_root)
        if problem is None:
            return open_generation(index_root)
    except SearcherError as damage:
        if not build_if_needed or damage.status != 500:
            raise
        problem = damage.message.rstrip(".")
        log.warning("%s: rebuilding it from %s.", problem, corpus.root)
    else:
        if not build_if_needed:
            raise SearcherError("index_unusable", 503, reason=problem)
        log.info("Building the index: %s.", problem)
    build_index(corpus, index_root, progress=progress)
    return open_generation(index_root)


def live_generation(index_root: Path | str) -> str | None:
    """Return the name of the live generation (cheap: reads the CURRENT pointer)."""
    return _read_current(Path(index_root))


def read_postings(reader, fieldname: str, text: str, weights: bool = False) -> tuple[list[int], list[float] | None]:
    """Return every document number (and, with ``weights``, term weight) of a term's posting list.

    Reads whole posting blocks at a time: Whoosh's per-posting matcher API costs about a
    microsecond a posting, which dominated searches over large indexes. Falls back to that
    API for any other kind of matcher (e.g. a segment with deletions).
    """
    ids: list[int] = []
    values: list[float] | None = [] if weights else None
    for leaf, offset in reader.leaf_readers():
        try:
            matcher = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
            _read_blocks(matcher, offset, ids, values)
            continue
        while matcher.is_active():
            ids.append(matcher.id() + offset)
            if values is not None:
                values.append(matcher.weight())
            matcher.next()
    return ids, values


def _read_blocks(matcher: W3LeafMatcher, offset: int, ids: list[int], values: list[float] | None) -> None:
    while not matcher._atend:
        if matcher._data is None:
            matcher._read_data()
        block_ids = accumulate(matcher._data[0])
        ids.extend(block_ids if not offset else (d + offset for d in block_ids))
        if values is not None:
            block = matcher._data[1]
            if block is None or isinstance(block, float):
                values.extend([1.0 if block is None else block] * matcher._blocklength)
            else:
                values.extend(block)
        matcher._next_block()
