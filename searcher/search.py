"""Search stage: query -> verified, ranked, highlighted hits.

Sits after :mod:`searcher.index` and before the CLI and the pages:

1. :func:`searcher.query.parse_query` reads the query language into a tree of terms.
2. Each term becomes the exact set of provisions containing it: candidates from the Whoosh
   character-gram postings (the term's unigram, or the intersection of its bigrams' postings,
   rarest first), each verified by a substring test on the stored normalised text, so recall
   *and* precision are exact. Filters are Whoosh terms too. The tree is evaluated with set
   algebra over Whoosh document numbers.
3. Hits are ranked by BM25F over jieba words (Whoosh's BM25 formula and index statistics; the
   title + heading-path field weighted :data:`HEADING_BOOST` times), ties in document order.
   Only the requested page is highlighted and turned into :class:`Hit` dataclasses.
"""
from __future__ import annotations

import heapq
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import asdict, dataclass, field
from math import log
from operator import itemgetter
from pathlib import Path

from whoosh.scoring import BM25F

from . import config
from .analysis import query_grams, query_words
from .corpus import Corpus, Document, Provision, load_corpus
from .errors import SearcherError
from .index import (
    RANKED_FIELDS,
    Generation,
    ensure_index,
    live_generation,
    open_generation,
    read_postings,
)
from .normalize import fold_char, merge_spans, normalize, normalize_text
from .parse import chinese_number
from .query import (
    FILTER_KINDS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    SYNTAX,
    Not,
    Or,
    ParsedQuery,
    Term,
    parse_query,
    render,
)

__all__ = ["MAX_PAGE_SIZE", "MAX_QUERY_CHARS", "MAX_TERMS", "SYNTAX", "Engine", "Hit", "Results", "search"]

MAX_PAGE_SIZE = 100
SNIPPET_CHARS = 120
SNIPPET_LEAD = 20
HEADING_BOOST = 3.0
FIELD_BOOSTS = {"words": 1.0, "heading": HEADING_BOOST}
_BM25 = BM25F()  # Whoosh's defaults: B=0.75, K1=1.2
_TERM_CACHE_SIZE = 1024
_VERIFY_BELOW = 32  # stop intersecting posting lists once this few candidates are left

# --------------------------------------------------------------------------- results


@dataclass
class Hit:
    """One matching provision, with highlights as [start, end] offsets into its original text."""

    id: str
    doc: str
    doc_title: str
    path: list[dict]
    label: str
    title: str
    text: str
    highlights: list[list[int]]
    snippet: str
    snippet_highlights: list[list[int]]
    snippet_start: int
    url: str
    citation: str
    score: float
    chapter: dict | None
    units: dict | None
    kind: str
    script: str = "hans"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Results:
    """One page of hits plus what holds for all of them: total, facets, how the query was read."""

    query: str
    total: int
    page: int
    size: int
    facets: dict
    hits: list[Hit]
    warnings: list[str] = field(default_factory=list)
    interpreted: str = ""
    filters: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"query": self.query, "total": self.total, "page": self.page, "size": self.size,
                "facets": self.facets, "hits": [hit.to_dict() for hit in self.hits],
                "warnings": list(self.warnings), "interpreted": self.interpreted,
                "filters": {kind: list(values) for kind, values in self.filters.items()}}


# --------------------------------------------------------------------------- highlights

_ONE_TO_ONE: set[str] = set()  # characters known to fold to exactly one character


def _folded(text: str, norm: str | None = None):
    """Return (normalised text, offset map or None when every character folds to one character)."""
    missing = set(text).difference(_ONE_TO_ONE)
    if missing:
        _ONE_TO_ONE.update(ch for ch in missing if len(fold_char(ch)) == 1)
        if not _ONE_TO_ONE.issuperset(missing):
            folded = normalize(text)
            return folded.text, folded
    return (norm if norm is not None else normalize_text(text)), None


def highlight_spans(text: str, norms: list[str], norm_text: str | None = None) -> list[list[int]]:
    """Return every occurrence of every normalised term as merged [start, end] offsets into ``text``.

    >>> highlight_spans("推進粵港澳 大灣區建設", ["湾区", "粤港"])
    [[2, 4], [7, 9]]
    """
    folded_text, mapping = _folded(text, norm_text)
    spans = []
    for norm in norms:
        start = folded_text.find(norm)
        while start != -1:
            end = start + len(norm)
            spans.append(mapping.source_span(start, end) if mapping else (start, end))
            start = folded_text.find(norm, start + 1)
    return [list(span) for span in merge_spans(spans)]


_CLAUSE_END = set("。；！？;!?，,：:")


def snippet_window(text: str, spans: list[list[int]], width: int = SNIPPET_CHARS) -> tuple[int, int]:
    """Pick the ``width``-character window of ``text`` showing the most highlights (earliest on ties).

    The window starts up to :data:`SNIPPET_LEAD` characters before a highlight, after the last
    clause break in that lead-in if there is one.

    >>> snippet_window("甲" * 300, [[250, 252]], 100)
    (200, 300)
    >>> snippet_window("甲" * 100 + "。乙乙湾区" + "甲" * 100, [[104, 106]], 50)
    (101, 151)
    """
    if len(text) <= width:
        return 0, len(text)
    best, best_count = 0, -1
    for span_start, _ in spans:
        start = max(0, span_start - SNIPPET_LEAD)
        cut = max((k for k in range(start, span_start) if text[k] in _CLAUSE_END), default=-1)
        start = min(cut + 1 if cut >= 0 else start, len(text) - width)  # keep the window full at the end
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best, best_count = start, count
    return best, min(len(text), best + width)


# --------------------------------------------------------------------------- filters

_ORDINAL = r"第?([一二三四五六七八九十百零〇两\d]+)[章节]?"


def _match_steps(kind: str, value: str, table: dict, scope: set[str]) -> list[str]:
    """The chapter (or section) ids a filter value names: an id, a number, "3.1", or title words."""
    if value in table:
        return [value]
    norm = normalize_text(value)
    number = re.fullmatch(_ORDINAL, norm)
    dotted = re.fullmatch(r"(\d+)\.(\d+)", norm) if kind == "section" else None
    found = []
    for step_id, step in table.items():
        doc_id, local = step_id.split("/", 1)
        if doc_id not in scope:
            continue
        if dotted:
            hit = local == norm
        elif number:
            label = re.fullmatch(_ORDINAL, normalize_text(step.label))
            hit = bool(label) and chinese_number(label.group(1)) == chinese_number(number.group(1))
        else:
            hit = bool(norm) and norm in normalize_text(f"{step.label}{step.title}")
        if hit:
            found.append(step_id)
    return found


def _merge_filters(from_query: dict[str, list[str]], given: dict | None) -> dict[str, list[str]]:
    if given is not None and not isinstance(given, dict):
        raise SearcherError("Filters must be a mapping of filter name to values.", 400,
                            hint='e.g. {"doc": ["gba-outline"]}.')
    merged = {kind: list(values) for kind, values in from_query.items()}
    for kind, values in (given or {}).items():
        if kind not in FILTER_KINDS:
            raise SearcherError(f"Unknown filter {kind!r}.", 400, hint=f"Use {', '.join(FILTER_KINDS)}.")
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
            raise SearcherError(f"Filter {kind!r} must be a list of strings.", 400, hint=f'e.g. {{"{kind}": ["..."]}}.')
        merged.setdefault(kind, []).extend(v.strip() for v in values if v.strip())
    return {kind: list(dict.fromkeys(values)) for kind, values in merged.items() if values}


def _interpretation(node, filters: dict[str, list[str]]) -> str:
    parts = [render(node)] if node is not None else []
    parts += [f"{kind}:{value}" for kind in FILTER_KINDS for value in filters.get(kind, [])]
    return " ".join(parts)


# --------------------------------------------------------------------------- the engine


@dataclass
class _Match:
    """Everything about a query except its page: the hit docnums and how the query was read."""

    parsed: ParsedQuery
    filters: dict[str, list[str]]
    hits: frozenset
    warnings: list[str]


@dataclass
class _State:
    """One index generation with the corpus it was built from and look-up tables over that corpus.

    A search reads the engine's state once, so a concurrent refresh() never mixes generations.
    """

    corpus: Corpus
    generation: Generation
    provisions: dict[str, Provision] = field(init=False)
    documents: dict[str, Document] = field(init=False)
    chapters: dict = field(init=False)
    sections: dict = field(init=False)
    units: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.provisions = {p.id: p for p in self.corpus.provisions()}
        self.documents = {d.id: d for d in self.corpus.documents}
        self.chapters, self.sections, units = {}, {}, {}
        for provision in self.corpus.provisions():
            if provision.chapter:
                self.chapters.setdefault(provision.chapter.id, provision.chapter)
            if provision.section:
                self.sections.setdefault(provision.section.id, provision.section)
            if provision.units:
                units.update(dict.fromkeys(provision.units.lead + provision.units.participating))
        self.units = {name: normalize_text(name) for name in units}

    @property
    def reader(self):
        return self.generation.searcher().reader()


class Engine:
    """A corpus plus its index: answers queries; switches to a newer index generation on refresh()."""

    def __init__(self, corpus: Corpus, index_root: Path | str, generation: Generation):
        self.index_root = Path(index_root)
        self._state = _State(corpus, generation)
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._term_cache: OrderedDict = OrderedDict()

    @classmethod
    def open(cls, corpus_dir=None, index_root=None, build_if_needed=True) -> Engine:
        """Load the corpus and open its index, building the index first if it is missing or stale."""
        corpus = load_corpus(config.corpus_dir(corpus_dir))
        root = config.index_dir(index_root)
        engine = cls(corpus, root, ensure_index(corpus, root, build_if_needed=build_if_needed))
        query_words("")  # load the jieba dictionary now rather than in the first search
        return engine

    @property
    def corpus(self) -> Corpus:
        """The corpus the current index generation was built from."""
        return self._state.corpus

    @property
    def generation(self) -> str:
        """The name of the index generation this engine answers from."""
        return self._state.generation.name

    def refresh(self) -> bool:
        """Switch to a newer index generation if one was published; return True if switched."""
        name = live_generation(self.index_root)
        if name is None or name == self.generation:
            return False
        with self._lock:
            current = self._state
            if name == current.generation.name:
                return False
            generation = open_generation(self.index_root)
            corpus = current.corpus
            if generation.meta.get("fingerprint") != current.generation.meta.get("fingerprint"):
                corpus = load_corpus(corpus.root)
            self._state = _State(corpus, generation)
            self.clear_caches()
        return True

    def clear_caches(self) -> None:
        """Forget cached term results (the benchmark measures cold searches)."""
        with self._cache_lock:
            self._term_cache = OrderedDict()

    def _current(self) -> _State:
        state = self._state
        if not state.generation.path.is_dir():  # removed by two rebuilds without a refresh
            self.refresh()
            state = self._state
        return state

    # ----------------------------------------------------------------- matching

    def _term_docs(self, state: _State, norm: str) -> frozenset:
        """The docnums whose normalised text contains ``norm``: gram candidates, each verified."""
        key = (state.generation.name, norm)
        with self._cache_lock:
            cached = self._term_cache.get(key)
            if cached is not None:
                self._term_cache.move_to_end(key)
                return cached
        reader = state.reader
        grams = sorted(set(query_grams(norm)), key=lambda gram: reader.doc_frequency("grams", gram))
        candidates: set[int] = set()
        for n, gram in enumerate(grams):
            ids = read_postings(reader, "grams", gram)[0]
            candidates = set(ids) if n == 0 else candidates.intersection(ids)
            if len(candidates) < _VERIFY_BELOW:
                break
        norms = state.generation.norms
        result = frozenset(d for d in candidates if norm in norms[d])
        with self._cache_lock:
            self._term_cache[key] = result
            if len(self._term_cache) > _TERM_CACHE_SIZE:
                self._term_cache.popitem(last=False)
        return result

    def _evaluate(self, state: _State, node) -> frozenset:
        if isinstance(node, Term):
            return self._term_docs(state, node.norm)
        if isinstance(node, Not):
            return state.generation.universe - self._evaluate(state, node.child)
        if isinstance(node, Or):
            return frozenset().union(*(self._evaluate(state, c) for c in node.children))
        positives = [c for c in node.children if not isinstance(c, Not)]
        negatives = [c.child for c in node.children if isinstance(c, Not)]
        if positives:
            sets = sorted((self._evaluate(state, c) for c in positives), key=len)
            out = sets[0].intersection(*sets[1:])
        else:
            out = state.generation.universe
        for child in negatives:
            if not out:
                break
            out = out - self._evaluate(state, child)
        return frozenset(out)

    def _filter_docs(self, state: _State, given: dict[str, list[str]], warnings: list[str]):
        """Return the docnums allowed by the filters (None when there are none)."""
        docs = given.get("doc", [])
        for value in docs:
            if value not in state.documents:
                raise SearcherError(f"Unknown document {value!r} in doc:{value}.", 400,
                                    hint=f"Known documents: {', '.join(state.documents)}.")
        scope = set(docs) or set(state.documents)
        terms: dict[str, list[tuple[str, str]]] = {}
        if docs:
            terms["doc"] = [("doc", value) for value in docs]
        for kind, table in (("chapter", state.chapters), ("section", state.sections)):
            if kind in given:
                matched = [step for value in given[kind] for step in _match_steps(kind, value, table, scope)]
                terms[kind] = [(kind, step) for step in dict.fromkeys(matched)]
        if "unit" in given:
            wanted = [normalize_text(value) for value in given["unit"]]
            terms["unit"] = [("unit", name) for name, norm in state.units.items() if any(w in norm for w in wanted)]
        allowed = None
        for kind, pairs in terms.items():
            if not pairs:
                shown = ", ".join(f"{kind}:{value}" for value in given[kind])
                warnings.append(f"No {'responsible unit' if kind == 'unit' else kind} matches {shown}, so nothing can match.")
            docnums = set()
            for fieldname, text in pairs:
                docnums.update(read_postings(state.reader, fieldname, text)[0])
            allowed = docnums if allowed is None else allowed & docnums
        return allowed

    def _match(self, state: _State, query: str, filters: dict | None) -> _Match:
        parsed = parse_query(query)
        given = _merge_filters(parsed.filters, filters)
        if parsed.node is None and not given:
            if parsed.warnings:
                raise SearcherError("The query has no search terms: " + " ".join(parsed.warnings), 400,
                                    hint='Operators need terms on both sides, e.g. 前海 OR 南沙; '
                                         'to search for the word OR itself, quote it: "OR".')
            raise SearcherError("Empty query.", 400,
                                hint="Type a word or phrase, e.g. 湾区 or 粵港澳大灣區, or a filter such as doc:gba-outline.")
        warnings = list(parsed.warnings)
        allowed = self._filter_docs(state, given, warnings)
        hits = self._evaluate(state, parsed.node) if parsed.node is not None else state.generation.universe
        if allowed is not None:
            hits = hits.intersection(allowed)
        return _Match(parsed, given, frozenset(hits), warnings)

    # ----------------------------------------------------------------- ranking

    def _scores(self, state: _State, hits: frozenset, words: list[str]) -> dict[int, float]:
        """BM25F scores of the hits that contain any query word (Whoosh's formula and statistics)."""
        scores: dict[int, float] = {}
        if not words or not hits:
            return scores
        generation, reader = state.generation, state.reader
        count = generation.doc_count
        k1, b = _BM25.K1, _BM25.B
        for fieldname in RANKED_FIELDS:
            boost = FIELD_BOOSTS[fieldname]
            lengths = generation.lengths[fieldname]
            average = (reader.field_length(fieldname) / count) or 1
            for word in words:
                frequency = reader.doc_frequency(fieldname, word)
                if not frequency:
                    continue
                idf = log(count / (frequency + 1)) + 1
                factor, base, slope = boost * idf * (k1 + 1), k1 * (1 - b), k1 * b / average
                ids, weights = read_postings(reader, fieldname, word, weights=True)
                get = scores.get
                for docnum, tf in zip(ids, weights):
                    if docnum in hits:
                        scores[docnum] = get(docnum, 0.0) + factor * tf / (tf + base + slope * lengths[docnum])
        return scores

    def _ranked(self, state: _State, match: _Match, stop: int | None) -> list[tuple[int, float]]:
        """The first ``stop`` hits (all when None) as (docnum, score): best first, ties in document order."""
        words = list(dict.fromkeys(w for t in match.parsed.positive_terms for w in query_words(t.norm)))
        scores = self._scores(state, match.hits, words)
        seq = state.generation.seq
        in_order = sorted(scores, key=seq.__getitem__)  # document order, which the stable selection keeps on ties
        items = [(docnum, scores[docnum]) for docnum in in_order]
        if stop is None or stop >= len(items):
            ranked = sorted(items, key=itemgetter(1), reverse=True)
        else:
            ranked = heapq.nlargest(stop, items, key=itemgetter(1))
        if stop is None or len(ranked) < stop:
            rest = sorted(match.hits.difference(scores), key=seq.__getitem__)
            ranked += [(docnum, 0.0) for docnum in rest[: None if stop is None else stop - len(ranked)]]
        return ranked

    # ----------------------------------------------------------------- answers

    def search(self, query: str, filters: dict | None = None, page: int = 1, size: int = 20) -> Results:
        """Answer one query: every provision that matches, this page of them highlighted."""
        if not isinstance(page, int) or isinstance(page, bool) or page < 1:
            raise SearcherError(f"page={page!r} is not a page number.", 400, hint="Pages count from 1.")
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_PAGE_SIZE:
            raise SearcherError(f"size={size!r} is out of range.", 400, hint=f"Ask for 1 to {MAX_PAGE_SIZE} hits per page.")
        return self._results(query, filters, page, size)

    def search_all(self, query: str, filters: dict | None = None) -> Results:
        """Answer one query with every hit on a single page (CLI --all, exports)."""
        return self._results(query, filters, 1, None)

    def hit_ids(self, query: str, filters: dict | None = None) -> list[str]:
        """Return the ids of every hit in rank order, without highlighting (oracle tests, benchmarks)."""
        state = self._current()
        match = self._match(state, query, filters)
        return [state.generation.ids[d] for d, _ in self._ranked(state, match, None)]

    def _results(self, query: str, filters: dict | None, page: int, size: int | None) -> Results:
        state = self._current()
        match = self._match(state, query, filters)
        stop = None if size is None else page * size
        ranked = self._ranked(state, match, stop)
        page_items = ranked if size is None else ranked[(page - 1) * size: stop]
        norms = [t.norm for t in match.parsed.positive_terms]
        return Results(
            query=query, total=len(match.hits), page=page, size=size if size is not None else len(ranked),
            facets=self._facets(state, match.hits),
            hits=[self._hit(state, docnum, score, norms) for docnum, score in page_items],
            warnings=match.warnings, interpreted=_interpretation(match.parsed.node, match.filters),
            filters={kind: list(match.filters.get(kind, [])) for kind in FILTER_KINDS},
        )

    @staticmethod
    def _facets(state: _State, hits: frozenset) -> dict:
        per_doc = Counter(map(state.generation.docs.__getitem__, hits))
        per_chapter = Counter(map(state.generation.chapters.__getitem__, hits))
        chapters = {}
        for chapter_id, step in state.chapters.items():  # corpus order: documents, then chapters
            if per_chapter.get(chapter_id):
                chapters[chapter_id] = {"label": step.label, "title": step.title,
                                        "doc": chapter_id.split("/", 1)[0], "count": per_chapter[chapter_id]}
        return {"doc": {doc_id: per_doc[doc_id] for doc_id in state.documents if per_doc.get(doc_id)},
                "chapter": chapters}

    @staticmethod
    def _hit(state: _State, docnum: int, score: float, norms: list[str]) -> Hit:
        provision = state.provisions[state.generation.ids[docnum]]
        document = state.documents[provision.doc_id]
        spans = highlight_spans(provision.text, norms, state.generation.norms[docnum])
        start, end = snippet_window(provision.text, spans)
        inside = [[max(s, start) - start, min(e, end) - start] for s, e in spans if s < end and e > start]
        return Hit(
            id=provision.id, doc=document.id, doc_title=document.entry.title,
            path=[step.to_dict() for step in provision.path], label=provision.label, title=provision.title,
            text=provision.text, highlights=spans, snippet=provision.text[start:end], snippet_highlights=inside,
            snippet_start=start, url=f"/p/{provision.id}", citation=_citation(provision, document),
            score=round(float(score), 4), chapter=provision.chapter.to_dict() if provision.chapter else None,
            units=provision.units.to_dict() if provision.units else None, kind=provision.kind,
            script=document.entry.script,
        )


def _citation(provision: Provision, document: Document) -> str:
    from .cite import (
        citation,  # cite sits after search in the pipeline and imports the corpus model
    )

    return citation(provision, document)


# --------------------------------------------------------------------------- module-level API

_default_engine: Engine | None = None
_default_lock = threading.Lock()


def search(query: str, filters: dict | None = None, page: int = 1, size: int = 20,
           engine: Engine | None = None) -> Results:
    """Search the default corpus and index (opened, and built if needed, on first use)."""
    global _default_engine
    if engine is None:
        with _default_lock:
            if _default_engine is None:
                _default_engine = Engine.open()
        engine = _default_engine
    return engine.search(query, filters=filters, page=page, size=size)
