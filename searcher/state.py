"""Search stage, its tables: one index generation read into memory beside its corpus.

Part of :mod:`searcher.search` (which holds the queries, ranking calls and answers): the
records in index order with their ranking features and feature columns, the divisions,
sections and responsible units they belong to, per-filter record lists, the headings each
record sits under, and how a filter value (an id, a number such as 3 or 第三章, "3.1", or
title words) names divisions and sections. Built once per generation, read by every search.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .corpus import Corpus, Document, PathStep
from .errors import SearcherError
from .index import Generation
from .normalize import normalize_text
from .parse import chinese_number
from .query import FILTER_KINDS, render
from .rank import Features, columns, features
from .records import Record, corpus_records
from .suggest import PinyinIndex

_ORDINAL = r"第?([一二三四五六七八九十百零〇两\d]+)[章节部分、]*"


@lru_cache(maxsize=4096)
def _label_number(label: str) -> int | None:
    """The number a heading's label gives (第三章, 三、 -> 3), or None; labels recur in every plan, so remembered."""
    found = re.fullmatch(_ORDINAL, normalize_text(label))
    return chinese_number(found.group(1)) if found else None


@lru_cache(maxsize=65536)
def _step_text(label: str, title: str) -> str:
    return normalize_text(f"{label}{title}")


def match_steps(kind: str, value: str, table: dict[str, PathStep], scope: set[str]) -> list[str]:
    """The division (or section) ids a filter value names: an id, a number, "3.1", or title words."""
    if value in table:
        return [value]
    norm = normalize_text(value)
    number = _label_number(value)   # the value read as a label: 3, 第三章, 三
    dotted = re.fullmatch(r"(\d+)\.(\d+)", norm) if kind == "section" else None
    found = []
    for step_id, step in table.items():
        doc_id, local = step_id.split("/", 1)
        if doc_id not in scope:
            continue
        if dotted:
            hit = local == norm
        elif number is not None:
            hit = _label_number(step.label) == number
        else:
            hit = bool(norm) and norm in _step_text(step.label, step.title)
        if hit:
            found.append(step_id)
    return found


def merge_filters(from_query: dict[str, list[str]], given: dict | None) -> dict[str, list[str]]:
    if given is not None and not isinstance(given, dict):
        raise SearcherError("bad_filters", 400)
    merged = {kind: list(values) for kind, values in from_query.items()}
    for kind, values in (given or {}).items():
        if kind not in FILTER_KINDS:
            raise SearcherError("unknown_filter", 400, name=kind, allowed=", ".join(FILTER_KINDS))
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
            raise SearcherError("filter_not_strings", 400, name=kind)
        merged.setdefault(kind, []).extend(v.strip() for v in values if v.strip())
    return {kind: list(dict.fromkeys(values)) for kind, values in merged.items() if values}


def interpretation(node, filters: dict[str, list[str]]) -> str:
    parts = [render(node)] if node is not None else []
    parts += [f"{kind}:{value}" for kind in FILTER_KINDS for value in filters.get(kind, [])]
    return " ".join(parts)


class StandsAsWord:
    """The records in which a term stands as a jieba word of its own, tested one record at a time.

    Ranking asks only about the hits it scores exactly (see ``Engine._top``), so the set over
    every hit (a bit test per record: a tenth of a large query's time) is never built.
    """

    def __init__(self, generation: Generation, term: str):
        self.generation, self.term = generation, term

    def __contains__(self, docnum: int) -> bool:
        return self.generation.stands_as_word(docnum, self.term)


class SearchState:
    """One index generation with the corpus it was built from and look-up tables over its records.

    A search reads the engine's state once, so a concurrent refresh() never mixes generations.
    """

    def __init__(self, corpus: Corpus, generation: Generation):
        self.corpus = corpus
        self.generation = generation
        by_id = {record.id: record for record in corpus_records(corpus)}
        order = {record_id: n for n, record_id in enumerate(by_id)}
        self.records: list[Record] = [by_id[record_id] for record_id in generation.ids]
        self.seq = [order[record.id] for record in self.records]
        self.documents: dict[str, Document] = {d.id: d for d in corpus.documents}
        self.divisions: dict[str, PathStep] = {}
        self.sections: dict[str, PathStep] = {}
        self.division_of: list[str] = []
        self.section_of: list[str] = []
        self.units: dict[str, tuple[set, set]] = {}      # normalised unit name -> (led by it, involving it)
        self.under: dict[str, set[int]] = {}            # heading id -> records beneath it
        titles: dict[str, str] = {}
        self.features: list[Features] = []
        for docnum in sorted(range(len(self.records)), key=self.seq.__getitem__):
            record = self.records[docnum]
            division, section = record.division, record.section
            if division is not None:
                self.divisions.setdefault(division.id, division)
            if section is not None:
                self.sections.setdefault(section.id, section)
        for docnum, record in enumerate(self.records):
            self.division_of.append(record.division.id if record.division else "")
            self.section_of.append(record.section.id if record.section else "")
            for step in record.path:
                self.under.setdefault(step.id, set()).add(docnum)
                if step.id not in titles:
                    titles[step.id] = normalize_text(step.title)
            if record.units:
                for name in record.units.names:
                    self.units.setdefault(name, (set(), set()))[1].add(docnum)
                for name in record.units.lead:
                    self.units[name][0].add(docnum)
            self.features.append(features(record, generation.norms[docnum],
                                          tuple(titles[step.id] for step in record.path)))
        self.members: dict[str, dict[str, list[int]]] = {"doc": {}, "chapter": {}, "section": {}}  # filter -> value -> records
        for kind, column in (("doc", generation.docs), ("chapter", self.division_of), ("section", self.section_of)):
            for docnum, value in enumerate(column):
                self.members[kind].setdefault(value, []).append(docnum)
        self.unit_norms = {name: normalize_text(name) for name in self.units}
        self.average = sum(f.length for f in self.features) / max(1, len(self.features))
        self.columns = columns(self.features, self.average)
        self._pinyin: PinyinIndex | None = None
        self._citations: dict[int, str] = {}

    def citation(self, docnum: int) -> str:
        """A record's legal-style citation, worked out once per generation (it depends on the document only)."""
        found = self._citations.get(docnum)
        if found is None:
            record = self.records[docnum]
            found = self._citations[docnum] = record_citation(record, self.documents[record.doc_id])
        return found

    def pinyin(self) -> PinyinIndex:
        """The syllable -> characters table of this generation's texts (built on first use)."""
        if self._pinyin is None:
            self._pinyin = PinyinIndex({ch for norm in self.generation.norms for ch in norm})
        return self._pinyin


def record_url(record: Record) -> str:
    """A provision's permalink, or a heading's anchor in the document reader."""
    if not record.is_heading:
        return f"/p/{record.id}"
    return f"/d/{record.doc_id}" + ("" if record.heading_kind == "title" else f"#{record.id}")


def record_citation(record: Record, document: Document) -> str:
    from .cite import citation, heading_citation  # cite sits after search in the pipeline

    return heading_citation(record.heading, document) if record.is_heading else citation(record.provision, document)
