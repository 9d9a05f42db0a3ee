"""Index stage: records -> one engine shard per document, built aside and switched atomically.

Sits between :mod:`searcher.analysis` (tokens) and :mod:`searcher.search` (hits). A *generation*
is a folder holding one shard per document (:mod:`searcher.engine`: Whoosh by default, Tantivy
on request), the cross-document links and ``meta.json``; ``CURRENT`` names the live one::

    CURRENT          name of the live generation (replaced with os.replace: atomic)
    gen-…/           meta.json, links.json, shards/<doc id>/ (one engine index per document),
                     tantivy/ (Tantivy only: one index of the shards' own segment files, searched)
    .build-<pid>-…/  a build in progress; never read, removed if its process is gone
    cache/           analysed texts by text hash (:class:`searcher.analysis.AnalysisCache`)

**Incremental builds.** A shard's *key* hashes everything its content depends on (the engine,
:data:`INDEX_VERSION`, the analysis fingerprint, and the ids and texts of the document's
records). A build reuses, as hard links, every shard of the live generation whose key is
unchanged, and indexes only the documents that changed or were added; records whose text did
not change are not even re-analysed (the analysis cache). Missing shards are built in parallel,
one process per core, when the process is single-threaded (the CLI, a server's first start);
forking a threaded server could copy a lock another thread holds, so a running server's watcher
builds in its own process, one shard after another.

The new generation is written beside the live one and only then made live, so readers keep
answering from the old index until the new one is complete, and a build that dies half-way
leaves the previous index untouched. ``meta.json`` records the corpus fingerprint,
:data:`INDEX_VERSION`, the dictionary hash, the shards and the size and SHA-256 of every file,
checked when a generation is opened (engines keep no checksums of their own).
"""
from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .analysis import AnalysisCache, analysis_fingerprint, dictionary_fingerprint, stands_as_word
from .catalog import corpus_fingerprint
from .corpus import Corpus
from .engine import DEFAULT_ENGINE, ShardRow, backend, link_or_copy
from .errors import SearcherError
from .records import Record, corpus_records, document_records

# Bump whenever the records or what is indexed of them change: every index built by another
# version is rebuilt on open.
INDEX_VERSION = 4
CURRENT_NAME = "CURRENT"
META_NAME = "meta.json"
SHARDS = "shards"
CACHE = "cache"
GENERATION_PREFIX = "gen-"
BUILD_PREFIX = ".build-"
# Empty lock files engines leave behind (Whoosh's; Tantivy's, which its readers reopen): not part
# of the manifest, carried over with the rest of a shard.
ENGINE_LOCK_FILES = ("MAIN_WRITELOCK", ".tantivy-meta.lock", ".tantivy-writer.lock")
log = logging.getLogger(__name__)


@dataclass
class IndexInfo:
    """What a build produced: where, from which corpus, how big, how long it took, what it reused."""

    root: Path
    generation: str
    fingerprint: str
    documents: dict[str, int]
    provisions: int
    seconds: float
    size_bytes: int
    links: int | None = None
    records: int = 0
    engine: str = DEFAULT_ENGINE
    built: list[str] = field(default_factory=list)      # documents whose shard was (re)indexed
    reused: list[str] = field(default_factory=list)     # documents whose shard was carried over

    @property
    def path(self) -> Path:
        return self.root / self.generation


def _dir_size(path: Path) -> int:
    """Bytes on disk under ``path``, a file hard-linked twice (an engine's shared segment) counted once."""
    found = {(s.st_dev, s.st_ino): s.st_size for s in (p.stat() for p in path.rglob("*") if p.is_file())}
    return sum(found.values())


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


# --------------------------------------------------------------------------- building


def shard_key(engine: str, records: list[Record]) -> str:
    """Hash of everything a document's shard depends on: reuse the shard while it is unchanged."""
    digest = hashlib.sha256(f"{engine}|{INDEX_VERSION}|{analysis_fingerprint()}".encode())
    for record in records:
        digest.update(b"\x00" + record.id.encode() + b"\x01" + record.text.encode("utf-8"))
    return digest.hexdigest()[:24]


def _rows(records: list[Record], cache: AnalysisCache) -> list[ShardRow]:
    rows = []
    for record in records:
        analysed = cache.get(record.text)
        rows.append(ShardRow(record.id, record.doc_id, analysed.norm, analysed.grams, analysed.words,
                             analysed.starts, analysed.ends))
    return rows


def _build_shard(engine: str, folder: Path, records: list[Record], cache: AnalysisCache) -> tuple[dict, dict]:
    """Analyse and index one document's records into ``folder``.

    Returns the new cache entries and the manifest entries of the shard's files (hashed here,
    in the worker that wrote them, rather than all at the end by the parent).
    """
    backend(engine).write_shard(folder, _rows(records, cache))
    return cache.take_added(), _manifest(folder, {})


# The work of a build, set before the worker processes fork so that they inherit it instead of
# receiving it pickled (the analysis cache alone can be larger than a shard).
_WORK: dict = {}


def _build_shard_task(number: int) -> tuple[dict, dict]:
    engine, folder, records = _WORK["tasks"][number]
    return _build_shard(engine, folder, records, _WORK["cache"])


def _links_task() -> int:
    corpus, folder, previous = _WORK["links"]
    from .links import compute_links, document_key, load_links, save_links  # links sit after search in the pipeline

    try:   # the live generation's links: those between two unchanged documents are carried over
        known = load_links(previous) if previous is not None and previous.is_file() else None
    except SearcherError:
        known = None   # unreadable or of an older definition: compute them all
    found = compute_links(corpus, known)
    save_links(found, folder, docs=[document.id for document in corpus.documents],
               keys={document.id: document_key(document) for document in corpus.documents})
    return len(found)


def _workers(tasks: int) -> int:
    """Processes for a build: one per core (and task), only from a single-threaded process."""
    if tasks < 2 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, tasks))


def _live_shards(root: Path) -> dict[str, tuple[Path, dict]]:
    """key -> (folder, the manifest entries of its files) of every shard in the live generation."""
    try:
        found = read_meta(root)
    except SearcherError:
        return {}
    if found is None:
        return {}
    generation, meta = found
    files = meta.get("files") if isinstance(meta.get("files"), dict) else {}
    live = {}
    for shard in meta.get("shards", []):
        if isinstance(shard, dict) and "key" in shard and "folder" in shard:
            prefix = shard["folder"].rstrip("/") + "/"
            live[shard["key"]] = (root / generation / shard["folder"],
                                  {name[len(prefix):]: entry for name, entry in files.items() if name.startswith(prefix)})
    return live


def _reuse_shard(source: Path, expected: dict, target: Path) -> dict | None:
    """Carry an unchanged shard into the new generation as hard links, if its files are intact.

    Each file is checked against the live generation's manifest first: a damaged shard is
    rebuilt, never carried over (a copy is made where hard links fail). Returns the manifest
    entries of the files carried as hard links (the same files: the new manifest need not hash
    them again), or None if the shard must be rebuilt.
    """
    present = {p.name for p in source.iterdir() if p.is_file()} if source.is_dir() else set()
    if not expected or not set(expected) <= present:
        return None
    for name, entry in expected.items():
        path = source / name
        if _file_entry(path) != entry:
            return None
    target.mkdir(parents=True)
    linked = {}
    for name in present:
        if link_or_copy(source / name, target / name) and name in expected:
            linked[name] = expected[name]
    return linked


def _carry_links(root: Path, staging: Path, key: str) -> tuple[int, dict] | None:
    """Carry the live links file over when it was computed for exactly these documents' texts.

    ``key`` is :func:`searcher.links.corpus_key` of the corpus being built. Returns the number of
    links and the file's manifest entry by name (it is the same file), or None: compute them.
    """
    try:
        found = read_meta(root)
    except SearcherError:
        return None
    path = _live_links(root)
    if found is None or path is None or found[1].get("links_key") != key or not isinstance(found[1].get("links"), int):
        return None
    from .links import LINKS_FILE
    if not link_or_copy(path, staging / LINKS_FILE):
        return found[1]["links"], {}    # a copy: the manifest hashes it
    return found[1]["links"], {LINKS_FILE: found[1]["files"][LINKS_FILE]}


def _corpus_links_key(corpus: Corpus) -> str:
    from .links import corpus_key  # links sit after search in the pipeline
    return corpus_key(corpus)


def build_index(corpus: Corpus, index_root: Path | str, progress: bool = False, links: bool = True,
                engine: str | None = None) -> IndexInfo:
    """Build a new index generation for ``corpus`` under ``index_root`` and make it live.

    Shards of documents that did not change are carried over from the live generation. With
    ``links`` the cross-document links (:mod:`searcher.links`) are computed too and stored in the
    generation, so they switch together with the index they belong to. ``engine`` defaults to
    the live generation's engine, else :data:`searcher.engine.DEFAULT_ENGINE`.
    """
    started = time.perf_counter()
    root = Path(index_root)
    root.mkdir(parents=True, exist_ok=True)
    engine = engine or _live_engine(root) or DEFAULT_ENGINE
    backend(engine)   # an unknown or uninstalled engine fails before anything is written
    fingerprint = corpus_fingerprint(corpus.root)
    staging = root / f"{BUILD_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    cache = AnalysisCache(root / CACHE)
    try:
        live = _live_shards(root)
        shards, tasks, built, reused = [], [], [], []
        known: dict[str, list] = {}   # manifest entries of the files carried over unchanged
        for document in corpus.documents:
            records = document_records(document)
            key = shard_key(engine, records)
            folder = Path(SHARDS) / document.id
            shards.append({"doc": document.id, "key": key, "folder": str(folder), "records": len(records)})
            carried = _reuse_shard(*live[key], staging / folder) if key in live else None
            if carried is not None:
                reused.append(document.id)
                known.update({f"{folder}/{name}": entry for name, entry in carried.items()})
            else:
                tasks.append((engine, staging / folder, records))
                built.append(document.id)
        tasks.sort(key=lambda task: -len(task[2]))   # longest first, so the processes finish together
        links_key = _corpus_links_key(corpus) if links else None
        carried_links = _carry_links(root, staging, links_key) if links else None
        if carried_links is not None:
            known.update(carried_links[1])
        to_compute = (corpus, staging, _live_links(root)) if links and carried_links is None else None
        link_count = _run(tasks, to_compute, cache, known, progress)
        if carried_links is not None:
            link_count = carried_links[0]
        if hasattr(backend(engine), "write_generation"):   # one engine index over every shard (Tantivy)
            backend(engine).write_generation(staging, [staging / s["folder"] for s in shards])
        total = sum(s["records"] for s in shards)
        counts = {document.id: len(document.provisions) for document in corpus.documents}
        meta = {"index_version": INDEX_VERSION, "engine": engine, "fingerprint": fingerprint,
                "dictionary": dictionary_fingerprint(), "analysis": analysis_fingerprint(),
                "corpus": str(corpus.root), "documents": counts, "provisions": sum(counts.values()), "records": total,
                "shards": shards, "built": built, "reused": reused,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seconds": round(time.perf_counter() - started, 3),
                "links": link_count, "links_format": _links_format() if links else None, "links_key": links_key,
                "files": _manifest(staging, known)}
        (staging / META_NAME).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        generation = f"{GENERATION_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(4)}"
        os.rename(staging, root / generation)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = _publish(root, generation)
    # Keep the generation just replaced: a running server reads it until it refreshes.
    _clean_up(root, {generation} | ({previous} if previous else set()))
    cache.keep_only(record.text for record in corpus_records(corpus))
    cache.save()
    return IndexInfo(root, generation, fingerprint, counts, sum(counts.values()), time.perf_counter() - started,
                     _dir_size(root / generation), link_count, total, engine, built, reused)


def _run(tasks: list, links: tuple | None, cache: AnalysisCache, known: dict, progress: bool) -> int | None:
    """Build the shards (and compute the links) — in parallel processes where that is safe.

    Adds the manifest entries of the shards' files to ``known``.
    """
    workers = _workers(len(tasks) + (links is not None))
    if progress:
        log.info("indexing %d document(s) with %d process(es)", len(tasks), workers)
    _WORK.update(tasks=tasks, cache=cache, links=links)

    def done(number: int, files: dict) -> None:   # a shard's folder in the generation: shards/<doc id>
        known.update({f"{SHARDS}/{tasks[number][1].name}/{name}": entry for name, entry in files.items()})

    try:
        if workers == 1:
            for number in range(len(tasks)):
                done(number, _build_shard_task(number)[1])
            cache.take_added()
            return _links_task() if links is not None else None
        if tasks:
            cache.load()   # read the cache file once, before the workers fork, not once in each
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending_links = pool.apply_async(_links_task) if links is not None else None
            for number, (entries, files) in enumerate(pool.imap(_build_shard_task, range(len(tasks)))):
                cache.update(entries)
                done(number, files)
            return pending_links.get() if pending_links is not None else None
    finally:
        _WORK.clear()


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


def _live_links(root: Path) -> Path | None:
    """The live generation's links file, if its meta says it holds links of this definition."""
    try:
        found = read_meta(root)
    except SearcherError:
        return None
    if found is None or found[1].get("links_format") != _links_format():
        return None
    from .links import LINKS_FILE
    path = root / found[0] / LINKS_FILE
    try:   # carried over only if intact, as a shard is
        return path if _file_entry(path) == found[1].get("files", {}).get(LINKS_FILE) else None
    except OSError:
        return None


def _live_engine(root: Path) -> str | None:
    try:
        found = read_meta(root)
    except SearcherError:
        return None
    return found[1].get("engine") if found else None


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
    if meta.get("analysis") != analysis_fingerprint():
        return "the folding tables or the analysis changed since the index was built"
    if meta.get("links") is not None and meta.get("links_format") != _links_format():
        return "the cross-document links were computed by an older definition of a link"
    return None


def _links_format() -> int:
    from .links import LINKS_FORMAT  # links sit after search in the pipeline
    return LINKS_FORMAT


@dataclass
class Generation:
    """One opened index generation: its shards, and per-record columns held in memory.

    Records are numbered across shards in document order (``offsets[i]`` is the number of the
    first record of shard ``i``; an engine that searches the generation as one index opens it as
    one shard); search verifies candidates against ``norms`` without touching disk.
    """

    root: Path
    name: str
    meta: dict
    shards: list
    offsets: list[int]
    ids: list[str]
    norms: list[str]
    docs: list[str]
    cuts: list[tuple[int, int]]
    universe: frozenset = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.universe = frozenset(range(len(self.ids)))

    @property
    def engine(self) -> str:
        return self.meta.get("engine", DEFAULT_ENGINE)

    @property
    def doc_count(self) -> int:
        return len(self.ids)

    @property
    def path(self) -> Path:
        return self.root / self.name

    def term_docs(self, norm: str) -> frozenset:
        """The records whose normalised text contains ``norm`` (exact, from every shard)."""
        if len(self.shards) == 1:   # its numbers are the generation's: no copy
            return frozenset(self.shards[0].term_docs(norm))
        out: set[int] = set()
        for shard, offset in zip(self.shards, self.offsets):
            out.update(d + offset for d in shard.term_docs(norm))
        return frozenset(out)

    def frequency(self, norm: str) -> int:
        """The number of records whose normalised text contains ``norm``.

        A term of one or two characters is its own gram: its count is in the engine's term
        dictionary, without reading (or verifying) a posting. A longer one is counted by lookup.
        """
        if len(norm) <= 2:
            return sum(shard.frequency(norm) for shard in self.shards) if norm else 0
        return len(self.term_docs(norm))

    def stands_as_word(self, docnum: int, word: str) -> bool:
        """Whether ``word`` stands as a jieba word of its own in record ``docnum`` ."""
        return stands_as_word(self.norms[docnum], word, *self.cuts[docnum])

    def close(self) -> None:
        for shard in self.shards:
            shard.close()


def _file_entry(path: Path) -> list:
    """A file's manifest entry: its size and SHA-256."""
    return [path.stat().st_size, hashlib.sha256(path.read_bytes()).hexdigest()]


def _manifest(folder: Path, known: dict[str, list]) -> dict[str, list]:
    """Size and SHA-256 of every file of a generation, so that opening it can prove it intact.

    ``known`` holds the entries of files carried over as hard links of files already checked
    against the live manifest: they are not read again.
    """
    manifest = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path != folder / META_NAME and path.name not in ENGINE_LOCK_FILES:
            name = str(path.relative_to(folder))
            manifest[name] = known[name] if name in known else _file_entry(path)
    return manifest


def _verify(root: Path, generation: str, meta: dict) -> None:
    """Raise the damaged-index error unless every file is exactly as the build wrote it."""
    files = meta.get("files")
    if not isinstance(files, dict) or not files:
        raise _damaged(root, f"{generation}/{META_NAME} lists no files")
    for name, expected in files.items():
        path = root / generation / name
        if ".." in Path(name).parts or not path.is_file():
            raise _damaged(root, f"{generation}/{name} is missing")
        if _file_entry(path) != expected:
            raise _damaged(root, f"{generation}/{name} changed after the build")


def open_generation(index_root: Path | str) -> Generation:
    """Open the live generation under ``index_root``; raise SearcherError if missing or damaged."""
    root = Path(index_root)
    found = read_meta(root)
    if found is None:
        raise SearcherError("no_index", 503, path=str(root))
    generation, meta = found
    _verify(root, generation, meta)
    opener = backend(meta.get("engine", DEFAULT_ENGINE))
    shards, offsets, ids, norms, docs, cuts = [], [], [], [], [], []
    entries = meta.get("shards", [])
    try:
        if hasattr(opener, "open_generation"):   # one engine index over every shard, numbered as ours
            shards = [opener.open_generation(root / generation, [(root / generation / e["folder"], e["records"])
                                                                 for e in entries])]
            offsets, ids, norms, cuts = [0], shards[0].ids, shards[0].norms, shards[0].cuts
            docs = [entry["doc"] for entry in entries for _ in range(entry["records"])]
        else:
            for entry in entries:
                shard = opener.open_shard(root / generation / entry["folder"])
                shards.append(shard)
                offsets.append(len(ids))
                ids += shard.ids
                norms += shard.norms
                cuts += shard.cuts
                docs += [entry["doc"]] * len(shard.ids)
    except SearcherError:
        raise
    except Exception as exc:  # noqa: BLE001 - engines report damage as many different exception types
        raise _damaged(root, f"{type(exc).__name__}: {exc}") from None
    if len(ids) != meta.get("records"):
        raise _damaged(root, f"it holds {len(ids)} records, meta.json says {meta.get('records')}")
    return Generation(root, generation, meta, shards, offsets, ids, norms, docs, cuts)


def ensure_index(corpus: Corpus, index_root: Path | str, build_if_needed: bool = True,
                 progress: bool = False) -> Generation:
    """Open the index for ``corpus``, building it first if it is missing, stale or damaged.

    Without ``build_if_needed`` every one of those is a SearcherError that names the command
    to run; with it, the reason is logged and the index rebuilt (unchanged shards reused).
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
