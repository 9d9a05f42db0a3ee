"""Search stage: query -> verified, ranked, highlighted hits, then the related tier.

Sits after :mod:`searcher.index` and before the CLI and the pages:

1. :func:`searcher.query.parse_query` reads the query language into a tree of terms.
2. Each term becomes the exact set of records (provisions and printed headings) containing
   it: candidates from the index's character-gram postings (the term's unigram, or the
   intersection of its bigrams' postings, rarest first), each verified by a substring test on
   the normalised text, so recall *and* precision are exact. The tree is evaluated with set
   algebra over record numbers; filters (document, top-level division, section, responsible
   unit) are sets held in memory.
3. :mod:`searcher.rank` orders the exact hits (ties in document order) — or they are listed
   in document order — and, on the last page, adds the *related* tier: records that hold part
   of the query, labelled ``exact: false`` and never counted as hits.
4. Only the requested page is highlighted and turned into :class:`Hit` dataclasses.

Facet counts ignore their own facet's filter (choosing a document keeps the other documents'
counts in view) and follow every other filter.
"""
from __future__ import annotations

import heapq
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from . import config
from .analysis import query_words
from .corpus import Corpus, load_corpus
from .errors import SearcherError
from .highlight import heading_spans, highlight_spans, occurrences, snippet_window, total_occurrences
from .index import Generation, ensure_index, live_generation, open_generation
from .messages import Notice
from .normalize import is_han, normalize_text
from .query import (FILTER_KINDS, MAX_QUERY_CHARS, MAX_TERMS, SYNTAX, Everything, Not, Or, ParsedQuery, Term,
                    parse_query)
from .rank import (RELATED_CHAR_WEIGHT, RELATED_LIMIT, RELATED_MIN_SCORE, exact_ceilings, exact_score, idf,
                   light_pieces, loose_pattern, related_score)
from .records import Record
from .state import SearchState, StandsAsWord, interpretation, match_steps, merge_filters, record_url
from .suggest import MAX_SUGGESTIONS, latin_key, glossary_matches, is_latin_query, pinyin_suggestions

__all__ = ["MAX_PAGE_SIZE", "MAX_QUERY_CHARS", "MAX_TERMS", "SORTS", "SYNTAX", "Engine", "Hit", "Results", "search"]

MAX_PAGE_SIZE = 100
SORTS = ("relevance", "document")
_TERM_CACHE_SIZE = 2048
_FEW = 32   # candidates few enough to test one by one

# --------------------------------------------------------------------------- results


@dataclass
class Hit:
    """One matching record, with highlights as [start, end] offsets into its original text.

    ``exact`` is False for the related tier. ``occurrences`` counts the query's terms in it
    (:func:`searcher.highlight.occurrences`).
    """

    id: str
    doc: str
    doc_title: str
    kind: str
    heading_kind: str
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
    division: dict | None
    units: dict | None
    script: str
    complete: bool
    exact: bool
    occurrences: int

    def to_dict(self) -> dict:
        # field by field: dataclasses.asdict deep-copies every list, which cost a tenth of a request
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class Results:
    """One page of hits plus what holds for all of them: totals, facets, how the query was read."""

    query: str
    total: int
    occurrences: int
    page: int
    size: int
    sort: str
    facets: dict
    hits: list[Hit]
    related: list[Hit] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    interpreted: str = ""
    filters: dict = field(default_factory=dict)

    def to_dict(self, lang: str = "en") -> dict:
        return {"query": self.query, "total": self.total, "occurrences": self.occurrences, "page": self.page,
                "size": self.size, "sort": self.sort, "facets": self.facets,
                "hits": [hit.to_dict() for hit in self.hits], "related": [hit.to_dict() for hit in self.related],
                "warnings": [notice.to_dict(lang) for notice in self.warnings], "interpreted": self.interpreted,
                "filters": {kind: list(values) for kind, values in self.filters.items()}}


@dataclass
class Matched:
    """The exact hits of a query as records in document order (see :meth:`Engine.matched`)."""

    records: list[Record]
    norms: list[str]            # each record's normalised text
    terms: list[str]            # the query's positive terms, normalised
    warnings: list[Notice]
    interpreted: str


# --------------------------------------------------------------------------- the engine


@dataclass
class _Match:
    """Everything about a query except its page: the hit record numbers and how the query was read.

    ``facet_base`` holds, per facet, the hits under every filter but that facet's own.
    """

    parsed: ParsedQuery
    filters: dict[str, list[str]]
    hits: frozenset
    warnings: list[Notice]
    facet_base: dict[str, frozenset]
    allowed: frozenset | None


class Engine:
    """A corpus plus its index: answers queries; switches to a newer index generation on refresh()."""

    def __init__(self, corpus: Corpus, index_root: Path | str, generation: Generation):
        self.index_root = Path(index_root)
        self._state = SearchState(corpus, generation)
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

    def suggest(self, query: str) -> dict:
        """For a query in Latin letters: the glossary's matching terms and the corpus strings it spells in pinyin.

        Each suggestion comes with the number of records a search for it finds.
        """
        if not isinstance(query, str) or not is_latin_query(query):
            return {"latin": False, "glossary": [], "pinyin": []}
        state = self._current()
        terms = glossary_matches(query, state.corpus.glossary)
        count = lambda text: len(self._term_docs(state, normalize_text(text)))  # noqa: E731
        exact = terms and latin_key(query) in terms[0].keys
        spelled = [] if exact else pinyin_suggestions(query, state.pinyin(), count)
        return {"latin": True,
                "glossary": [dict(term.to_dict(), records=count(term.zh)) for term in terms[:MAX_SUGGESTIONS]],
                "pinyin": [{"text": text, "records": n} for text, n in spelled]}

    def records(self) -> list[Record]:
        """Every record of the current generation, in document order."""
        state = self._current()
        return [state.records[d] for d in sorted(range(len(state.records)), key=state.seq.__getitem__)]

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
            self._state = SearchState(corpus, generation)
            self.clear_caches()
        return True

    def clear_caches(self) -> None:
        """Forget cached term results (the benchmark measures cold searches)."""
        with self._cache_lock:
            self._term_cache = OrderedDict()

    def _current(self) -> SearchState:
        state = self._state
        if not state.generation.path.is_dir():  # removed by two rebuilds without a refresh
            self.refresh()
            state = self._state
        return state

    # ----------------------------------------------------------------- matching

    def _cached(self, state: SearchState, key: tuple, compute):
        key = (state.generation.name, *key)
        with self._cache_lock:
            cached = self._term_cache.get(key)
            if cached is not None:
                self._term_cache.move_to_end(key)
                return cached
        result = compute()
        with self._cache_lock:
            self._term_cache[key] = result
            if len(self._term_cache) > _TERM_CACHE_SIZE:
                self._term_cache.popitem(last=False)
        return result

    def _term_docs(self, state: SearchState, norm: str) -> frozenset:
        """The records whose normalised text contains ``norm`` (exact: the engine's shards verify)."""
        return self._cached(state, ("term", norm), lambda: state.generation.term_docs(norm))

    def _evaluate(self, state: SearchState, node) -> frozenset:
        if isinstance(node, Term):
            return self._term_docs(state, node.norm)
        if isinstance(node, Everything):
            return state.generation.universe
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

    def _filter_sets(self, state: SearchState, given: dict[str, list[str]], notices: list[Notice]) -> dict[str, set]:
        """Per filter kind, the records it allows (kinds not given are absent)."""
        unknown = [value for value in given.get("doc", []) if value not in state.documents]
        for value in unknown:
            notices.append(Notice("unknown_document_filter", value=value, known=", ".join(state.documents)))
        docs = [value for value in given.get("doc", []) if value in state.documents]
        given = dict(given, doc=docs) if "doc" in given else given
        if "doc" in given and not docs:
            given = {k: v for k, v in given.items() if k != "doc"}
        scope = set(docs) or set(state.documents)
        sets: dict[str, set] = {}
        if docs:
            sets["doc"] = set().union(*(state.members["doc"].get(doc, ()) for doc in docs))
        for kind, table in (("chapter", state.divisions), ("section", state.sections)):
            if kind in given:
                wanted = {step for value in given[kind] for step in match_steps(kind, value, table, scope)}
                sets[kind] = set().union(*(state.members[kind].get(step, ()) for step in wanted))
                if not wanted:
                    notices.append(Notice("filter_matches_nothing", what=Notice(f"what_{'division' if kind == 'chapter' else kind}"),
                                          shown=", ".join(f"{kind}:{v}" for v in given[kind])))
        for kind, role in (("unit", 1), ("lead", 0)):
            if kind in given:
                names = self._unit_names(state, given[kind])
                sets[kind] = set().union(*(state.units[name][role] for name in names))
                if not names:
                    notices.append(Notice("filter_matches_nothing", what=Notice("what_unit"),
                                          shown=", ".join(f"{kind}:{v}" for v in given[kind])))
        return sets

    @staticmethod
    def _unit_names(state: SearchState, values: list[str]) -> list[str]:
        """The normalised unit names a filter value names: that name exactly, else every name containing it."""
        names = []
        for value in values:
            norm = normalize_text(value)
            exact = [name for name, n in state.unit_norms.items() if n == norm]
            names += exact or [name for name, n in state.unit_norms.items() if norm and norm in n]
        return list(dict.fromkeys(names))

    def _match(self, state: SearchState, query: str, filters: dict | None) -> _Match:
        filters_only = isinstance(query, str) and not query.strip() and bool(filters)
        parsed = ParsedQuery(None, {}, []) if filters_only else parse_query(query)
        given = merge_filters(parsed.filters, filters)
        warnings = list(parsed.warnings)
        sets = self._filter_sets(state, given, warnings)
        if parsed.node is not None:
            found = self._evaluate(state, parsed.node)
        elif given:
            found = state.generation.universe
        else:
            found = frozenset()          # nothing searchable was typed: nothing matches (and a note says so)

        def within(skip: str | None) -> frozenset:
            out = found
            for kind, allowed in sets.items():
                if kind != skip:
                    out = out.intersection(allowed)
            return frozenset(out)

        allowed = None
        for allowed_set in sets.values():
            allowed = set(allowed_set) if allowed is None else allowed & allowed_set
        return _Match(parsed, given, within(None), warnings,
                      {"doc": within("doc"), "chapter": within("chapter")},
                      frozenset(allowed) if allowed is not None else None)

    # ----------------------------------------------------------------- ranking

    def _frequency(self, state: SearchState, norm: str) -> int:
        """How many records contain ``norm``: for one or two characters the engine's count, read without postings."""
        if len(norm) > 2:
            return len(self._term_docs(state, norm))
        return self._cached(state, ("count", norm), lambda: state.generation.frequency(norm))

    def _term_weights(self, state: SearchState, norms: list[str]) -> list[tuple[str, float, frozenset]]:
        count = state.generation.doc_count
        return [(norm, idf(count, len(self._term_docs(state, norm))), StandsAsWord(state.generation, norm))
                for norm in dict.fromkeys(norms)]

    def _ranked(self, state: SearchState, match: _Match, sort: str, stop: int | None) -> list[tuple[int, float]]:
        """The first ``stop`` hits (all when None) as (docnum, score), in the order ``sort`` asks for."""
        seq = state.seq
        terms = self._term_weights(state, [t.norm for t in match.parsed.positive_terms])
        average, features = state.average, state.features
        key = lambda item: (-round(item[1], 9), seq[item[0]])  # noqa: E731 - ties in document order
        if sort == "relevance" and terms and stop is not None and stop < len(match.hits):
            return self._top(exact_ceilings(state.columns, match.hits, terms), stop, seq,
                             lambda d: exact_score(features[d], d, terms, average))
        scored = [(docnum, exact_score(features[docnum], docnum, terms, average) if terms else 0.0)
                  for docnum in match.hits]
        if sort == "document":
            return sorted(scored, key=lambda item: seq[item[0]])[:stop]
        return sorted(scored, key=key)

    @staticmethod
    def _top(heap: list[tuple[float, int]], stop: int, seq: list[int], score) -> list[tuple[int, float]]:
        """The first ``stop`` hits (highest score, ties in document order), scoring exactly only those
        whose ceiling could still place them.

        ``heap``: (-ceiling, docnum) pairs (:func:`rank.exact_ceilings`), consumed. Hits are taken by
        falling ceiling (a heap, not a sort: few are ever taken); once the ``stop``-th best exact
        score is above the next ceiling, no later hit can enter, so the answer is the one a full
        sort gives.
        """
        heapq.heapify(heap)
        kept: list[tuple[float, int, int, float]] = []   # (rounded score, -seq, docnum, score): the worst on top
        while heap:
            bound, d = heapq.heappop(heap)
            if len(kept) == stop and round(-bound * (1 + 1e-9) + 1e-12, 9) < kept[0][0]:
                break
            exact = score(d)
            entry = (round(exact, 9), -seq[d], d, exact)
            if len(kept) < stop:
                heapq.heappush(kept, entry)
            elif entry > kept[0]:
                heapq.heapreplace(kept, entry)
        return [(d, exact) for _rounded, _seq, d, exact in sorted(kept, reverse=True)]

    @staticmethod
    def _words(terms: list[str]) -> list[str]:
        """The terms and the words of two or more characters jieba cuts them into (related hits mark these)."""
        return list(dict.fromkeys(p for term in terms for p in [term, *query_words(term)] if len(p) >= 2 or p == term))

    def _pieces(self, state: SearchState, terms: list[str]) -> list[tuple[str, float]]:
        """The query's pieces with weights summing to 1: its terms, their jieba words, bigrams and characters.

        Bigrams and characters are cut from Chinese characters only: G of 5G or v6 of IPv6 mean nothing alone.
        """
        count = state.generation.doc_count
        bigrams = {term[i:i + 2] for term in terms if len(term) > 2 for i in range(len(term) - 1)
                   if is_han(term[i]) and is_han(term[i + 1])}
        chars = {ch for term in terms if len(term) > 1 for ch in term if is_han(ch)} if RELATED_CHAR_WEIGHT else set()
        weights = {p: idf(count, self._frequency(state, p)) * len(p) * (RELATED_CHAR_WEIGHT if len(p) == 1 else 1)
                   for p in {*self._words(terms), *bigrams, *chars} if len(p) >= 2 or p in terms or p in chars}
        total = sum(weights.values()) or 1.0
        return sorted((piece, weight / total) for piece, weight in weights.items())

    def _loose_docs(self, state: SearchState, term: str) -> frozenset:
        """Records holding ``term`` loosely: its characters in order within a short span (:func:`rank.loose_pattern`)."""
        pattern = loose_pattern(term)
        if pattern is None:
            return frozenset()

        def compute() -> frozenset:
            chars = sorted(set(term), key=lambda ch: (self._frequency(state, ch), ch))   # rarest first
            found = set(self._term_docs(state, chars[0]))
            for ch in chars[1:]:
                if len(found) < _FEW:   # the pattern decides the rest; reading more postings costs more
                    break
                found &= self._term_docs(state, ch)
            norms = state.generation.norms
            return frozenset(d for d in found if pattern.search(norms[d]))
        return self._cached(state, ("loose", term), compute)

    def _related(self, state: SearchState, match: _Match) -> list[tuple[int, float]]:
        """The related tier for this query (see :mod:`searcher.rank`): best first, within the filters."""
        terms = list(dict.fromkeys(t.norm for t in match.parsed.positive_terms))
        if not terms:
            return []
        pieces = self._pieces(state, terms)
        excluded = set(match.hits)
        for term in match.parsed.terms:
            if term not in match.parsed.positive_terms:
                excluded |= self._term_docs(state, term.norm)
        loose = {term: self._loose_docs(state, term) - self._term_docs(state, term) for term in terms}
        headings = [d for term in terms for d in self._term_docs(state, term) | self._loose_docs(state, term)
                    if state.records[d].is_heading]
        under = set().union(*(state.under.get(state.records[d].id, set()) for d in headings))
        light = light_pieces(pieces)
        candidates = set().union(*(self._term_docs(state, p) for p, _ in pieces if p not in light),
                                 *loose.values(), under)
        allowed = match.allowed
        scored = []
        for d in candidates:
            if d in excluded or state.features[d].heading or (allowed is not None and d not in allowed):
                continue          # headings are results when they hold the query, never related records
            score = related_score(state.features[d], pieces, sum(d in docs for docs in loose.values()), d in under,
                                  state.average)
            if score >= RELATED_MIN_SCORE:
                scored.append((d, round(score, 4)))
        scored.sort(key=lambda item: (-item[1], state.seq[item[0]]))
        return scored[:RELATED_LIMIT]

    # ----------------------------------------------------------------- answers

    def search(self, query: str, filters: dict | None = None, page: int = 1, size: int = 20,
               sort: str = "relevance", related: bool = True) -> Results:
        """Answer one query: every record that matches, this page of them highlighted.

        The related tier comes with the last page of hits (``related=False`` leaves it out).
        """
        if not isinstance(page, int) or isinstance(page, bool) or page < 1:
            raise SearcherError("bad_page", 400, value=page)
        if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= MAX_PAGE_SIZE:
            raise SearcherError("bad_size", 400, value=size, limit=MAX_PAGE_SIZE)
        if sort not in SORTS:
            raise SearcherError("bad_choice", 400, name="sort", value=sort, allowed=", ".join(SORTS))
        return self._results(query, filters, page, size, sort, related)

    def search_all(self, query: str, filters: dict | None = None, sort: str = "relevance",
                   related: bool = False) -> Results:
        """Answer one query with every hit on a single page (CLI --all, exports)."""
        if sort not in SORTS:
            raise SearcherError("bad_choice", 400, name="sort", value=sort, allowed=", ".join(SORTS))
        return self._results(query, filters, 1, None, sort, related)

    def hit_ids(self, query: str, filters: dict | None = None) -> list[str]:
        """Return the ids of every exact hit in rank order, without highlighting (oracle tests, benchmarks)."""
        state = self._current()
        match = self._match(state, query, filters)
        return [state.generation.ids[d] for d, _ in self._ranked(state, match, "relevance", None)]

    def ranked_ids(self, query: str, filters: dict | None = None) -> list[tuple[str, bool]]:
        """Every exact hit then every related record, as (id, exact), in the order a reader sees them."""
        state = self._current()
        match = self._match(state, query, filters)
        exact = [(state.generation.ids[d], True) for d, _ in self._ranked(state, match, "relevance", None)]
        return exact + [(state.generation.ids[d], False) for d, _ in self._related(state, match)]

    def matched(self, query: str, filters: dict | None = None) -> Matched:
        """Every exact hit as a Record, in document order, with the query's positive terms (normalised).

        The light answer for the concordance, frequencies and exports: no ranking, no highlights.
        """
        state = self._current()
        match = self._match(state, query, filters)
        docnums = sorted(match.hits, key=state.seq.__getitem__)
        return Matched([state.records[d] for d in docnums], [state.generation.norms[d] for d in docnums],
                       list(dict.fromkeys(t.norm for t in match.parsed.positive_terms)), match.warnings,
                       interpretation(match.parsed.node, match.filters))

    def _results(self, query: str, filters: dict | None, page: int, size: int | None, sort: str,
                 with_related: bool) -> Results:
        state = self._current()
        match = self._match(state, query, filters)
        stop = None if size is None else page * size
        ranked = self._ranked(state, match, sort, stop)
        page_items = ranked if size is None else ranked[(page - 1) * size: stop]
        norms = [t.norm for t in match.parsed.positive_terms]
        last_page = size is None or stop >= len(match.hits)
        related_items = self._related(state, match) if with_related and last_page else []
        related_marks = self._words(norms) if related_items else []
        all_norms = state.generation.norms
        occurrence_total = total_occurrences([all_norms[d] for d in match.hits], norms)
        return Results(
            query=query, total=len(match.hits), occurrences=occurrence_total, page=page,
            size=size if size is not None else len(ranked), sort=sort,
            facets=self._facets(state, match),
            hits=[self._hit(state, docnum, score, norms, norms, True) for docnum, score in page_items],
            related=[self._hit(state, docnum, score, norms, related_marks, False) for docnum, score in related_items],
            warnings=match.warnings, interpreted=interpretation(match.parsed.node, match.filters),
            filters={kind: list(match.filters.get(kind, [])) for kind in FILTER_KINDS},
        )

    @staticmethod
    def _facets(state: SearchState, match: _Match) -> dict:
        """Hits per document and per top-level division, each ignoring its own filter."""
        per_doc = Counter(map(state.generation.docs.__getitem__, match.facet_base["doc"]))
        per_division = Counter(map(state.division_of.__getitem__, match.facet_base["chapter"]))
        chosen_docs = set(match.filters.get("doc", []))
        chosen = set(match.filters.get("chapter", []))
        divisions = {}
        for division_id, step in state.divisions.items():  # corpus order: documents, then divisions
            if per_division.get(division_id) or division_id in chosen:
                divisions[division_id] = {"label": step.label, "title": step.title, "kind": step.kind,
                                          "doc": division_id.split("/", 1)[0], "count": per_division[division_id]}
        return {"doc": {doc_id: per_doc[doc_id] for doc_id in state.documents
                        if per_doc.get(doc_id) or doc_id in chosen_docs},
                "chapter": divisions}

    @staticmethod
    def _hit(state: SearchState, docnum: int, score: float, norms: list[str], marks: list[str], exact: bool) -> Hit:
        """One hit; ``norms`` are the query's terms (counted), ``marks`` what is highlighted (a related hit's words)."""
        record = state.records[docnum]
        document = state.documents[record.doc_id]
        spans = highlight_spans(record.text, marks, state.generation.norms[docnum])
        start, end = snippet_window(record.text, spans)
        inside = [[max(s, start) - start, min(e, end) - start] for s, e in spans if s < end and e > start]
        path = [dict(step.to_dict(), highlights=[list(span) for span in heading_spans(
                    f"{step.label} {step.title}".strip(), tuple(marks))]) for step in record.path]
        division = record.division
        return Hit(
            id=record.id, doc=document.id, doc_title=document.entry.title, kind=record.kind,
            heading_kind=record.heading_kind, path=path, label=record.label, title=record.title, text=record.text,
            highlights=spans, snippet=record.text[start:end], snippet_highlights=inside, snippet_start=start,
            url=record_url(record), citation=state.citation(docnum), score=round(float(score), 4),
            division=division.to_dict() if division else None,
            units=record.units.to_dict() if record.units else None, script=document.entry.script,
            complete=record.complete, exact=exact, occurrences=occurrences(state.generation.norms[docnum], norms),
        )


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
