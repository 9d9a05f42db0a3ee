"""Concordance stage: exact hits -> one line per occurrence (KWIC) and frequency tables.

Sits after :mod:`searcher.search` (whose :meth:`~searcher.search.Engine.matched` gives every
exact hit as records in document order, with their normalised texts and the query's positive
terms) and before the pages. Pure functions over records: no Flask, no index.

**Occurrences** are :mod:`searcher.highlight`'s (the one definition): the concordance has one
line per :func:`~searcher.highlight.occurrence_spans` span of each positive term in each hit,
and the frequency tables count with :func:`~searcher.highlight.occurrences`. So a query's
concordance total, its search page's occurrence count and its frequency totals are one number.

**Characters of a document** (the denominator of every rate): the number of characters of the
normalised text (:func:`searcher.normalize.normalize_text`) of all its records — provisions
and printed headings, footnotes included — so spaces and line breaks are not counted. A
division's characters are those of the records in it. :func:`characters` is that definition.

**Rates** are occurrences per 10,000 characters, rounded to two decimals (:func:`per_10000`).

**Sorting** (:data:`SORT_KEYS`): ``position`` is document order (documents as the catalog
lists them, records in reading order, then the offset); ``left`` sorts on the normalised left
context read right to left from the match (the character just before the match first, as
concordancers do), ``right`` on the normalised right context, ``match`` on the matched text as
printed, ``doc`` on the document id. Keys compare by code point of the normalised (Simplified,
folded) characters, so Simplified and Traditional contexts sort together. Up to three keys can
be combined ("doc,right"); ties always fall back to document order.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .corpus import PathStep
from .errors import SearcherError
from .highlight import occurrence_spans, occurrences
from .normalize import normalize_text
from .records import Record

SORT_KEYS = ("position", "left", "right", "match", "doc")
MAX_SORT_LEVELS = 3
DEFAULT_CONTEXT = 30
MAX_CONTEXT = 200
SORT_CONTEXT = 60        # characters of context a sort key reads (ties beyond it: document order)
RATE_BASE = 10_000
NO_DIVISION = ""         # records outside any top-level division (a title, the front matter)
MAX_FREQUENCY_TERMS = 8

# --------------------------------------------------------------------------- concordance


@dataclass
class Line:
    """One occurrence with its context, as the source prints it; ``offset`` indexes the record's text."""

    seq: int                 # place in document order (the ``position`` sort)
    record: Record
    url: str
    term: str                # the normalised term this occurrence is of
    left: str
    match: str
    right: str
    offset: int
    left_key: str = ""
    right_key: str = ""

    def to_dict(self) -> dict:
        record = self.record
        division = record.division
        return {"id": record.id, "doc": record.doc_id, "kind": record.kind, "label": record.label,
                "division": division.to_dict() if division else None, "term": self.term,
                "left": self.left, "match": self.match, "right": self.right, "offset": self.offset,
                "url": self.url}


def concordance_lines(records: list[Record], norms: list[str], terms: list[str], urls: list[str],
                      context: int = DEFAULT_CONTEXT) -> list[Line]:
    """One line per occurrence of each term in each record, in document order.

    ``records``, their normalised texts ``norms`` and their ``urls`` come in document order (as
    :meth:`Engine.matched` gives them); the context is ``context`` characters of the record's
    original text on each side (never beyond the record).
    """
    lines: list[Line] = []
    for record, norm, url in zip(records, norms, urls):
        text = record.text
        spans = sorted((start, index, end) for index, term in enumerate(terms)
                       for start, end in occurrence_spans(text, term, norm))
        for start, index, end in spans:
            lines.append(Line(len(lines), record, url, terms[index], text[max(0, start - context):start],
                              text[start:end], text[end:end + context], start))
    return lines


def parse_sort(value: str) -> list[str]:
    """Read a sort parameter: one to three of :data:`SORT_KEYS`, comma-separated ("doc,left")."""
    keys = [key.strip() for key in (value or "position").split(",") if key.strip()] or ["position"]
    for key in keys:
        if key not in SORT_KEYS:
            raise SearcherError("bad_choice", 400, name="sort", value=key, allowed=", ".join(SORT_KEYS))
    if len(keys) > MAX_SORT_LEVELS or len(set(keys)) < len(keys):
        raise SearcherError("bad_sort_levels", 400, value=value, limit=MAX_SORT_LEVELS)
    return keys


def sort_lines(lines: list[Line], keys: list[str]) -> list[Line]:
    """Lines in the order ``keys`` ask for (see the module docstring); ties in document order."""
    levels = []
    for key in keys:
        if key == "position":      # document order decides from here on
            break
        levels.append(key)
    if not levels:
        return sorted(lines, key=lambda line: line.seq)
    for line in lines:
        if "left" in levels and not line.left_key:
            start = line.offset
            line.left_key = normalize_text(line.record.text[max(0, start - SORT_CONTEXT):start])[::-1]
        if "right" in levels and not line.right_key:
            end = line.offset + len(line.match)
            line.right_key = normalize_text(line.record.text[end:end + SORT_CONTEXT])
    getters = {"left": lambda line: line.left_key, "right": lambda line: line.right_key,
               "match": lambda line: line.match, "doc": lambda line: line.record.doc_id}
    chosen = [getters[key] for key in levels]
    return sorted(lines, key=lambda line: (*(get(line) for get in chosen), line.seq))


def per_document(lines: list[Line]) -> dict[str, int]:
    """Occurrences per document, documents in document order."""
    counts: dict[str, int] = {}
    for line in sorted(lines, key=lambda line: line.seq):
        counts[line.record.doc_id] = counts.get(line.record.doc_id, 0) + 1
    return counts


# --------------------------------------------------------------------------- sizes and rates


def characters(norm_text: str) -> int:
    """The characters a text counts for in rates: those of its normalised text (see the module docstring)."""
    return len(norm_text)


def per_10000(count: int, chars: int) -> float:
    """Occurrences per 10,000 characters, two decimals (0.0 for an empty text).

    >>> per_10000(3, 12_000), per_10000(0, 0)
    (2.5, 0.0)
    """
    return round(count * RATE_BASE / chars, 2) if chars else 0.0


@dataclass
class Division:
    """A top-level division of a document (or the records outside any: id :data:`NO_DIVISION`)."""

    id: str
    label: str
    title: str
    kind: str
    characters: int

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "title": self.title, "kind": self.kind,
                "characters": self.characters}


@dataclass
class DocumentSize:
    """A document's characters and its top-level divisions (in reading order) with theirs."""

    id: str
    characters: int
    divisions: list[Division]


def division_id(record: Record) -> str:
    division = record.division
    return division.id if division else NO_DIVISION


def document_sizes(records: list[Record], norms: list[str]) -> dict[str, DocumentSize]:
    """Characters per document and per top-level division, over every record of the corpus.

    ``records`` in document order, with their normalised texts.
    """
    sizes: dict[str, DocumentSize] = {}
    divisions: dict[tuple[str, str], Division] = {}
    for record, norm in zip(records, norms):
        size = sizes.setdefault(record.doc_id, DocumentSize(record.doc_id, 0, []))
        chars = characters(norm)
        size.characters += chars
        key = (record.doc_id, division_id(record))
        if key not in divisions:
            step: PathStep | None = record.division
            divisions[key] = Division(key[1], step.label if step else "", step.title if step else "",
                                      step.kind if step else "", 0)
            size.divisions.append(divisions[key])
        divisions[key].characters += chars
    return sizes


# --------------------------------------------------------------------------- frequencies


@dataclass
class Frequency:
    """How often one query's terms occur: per document and per top-level division of each."""

    documents: dict[str, int]            # doc id -> occurrences (every document of the corpus)
    divisions: dict[str, Counter]        # doc id -> division id -> occurrences
    hits: int                            # records that match the query

    @property
    def total(self) -> int:
        return sum(self.documents.values())


def frequency(records: list[Record], norms: list[str], terms: list[str], sizes: dict[str, DocumentSize]) -> Frequency:
    """Count the occurrences of ``terms`` in the matching ``records`` per document and division."""
    documents = dict.fromkeys(sizes, 0)
    divisions: dict[str, Counter] = {doc: Counter() for doc in sizes}
    for record, norm in zip(records, norms):
        count = occurrences(norm, terms)
        if count:
            documents[record.doc_id] = documents.get(record.doc_id, 0) + count
            divisions.setdefault(record.doc_id, Counter())[division_id(record)] += count
    return Frequency(documents, divisions, len(records))


def frequency_table(frequency_: Frequency, sizes: dict[str, DocumentSize]) -> dict:
    """A frequency as plain data: the total, its rate over the corpus, and per document and division."""
    corpus_chars = sum(size.characters for size in sizes.values())
    return {
        "total": frequency_.total, "hits": frequency_.hits, "per_10000": per_10000(frequency_.total, corpus_chars),
        "documents": [
            {"doc": doc, "occurrences": frequency_.documents.get(doc, 0),
             "per_10000": per_10000(frequency_.documents.get(doc, 0), size.characters),
             "divisions": [{"id": division.id, "occurrences": frequency_.divisions[doc][division.id],
                            "per_10000": per_10000(frequency_.divisions[doc][division.id], division.characters)}
                           for division in size.divisions]}
            for doc, size in sizes.items()],
    }


_SEPARATORS = re.compile(r'("[^"]*")|[,，;；、]')


def split_terms(values: list[str]) -> list[str]:
    """The queries of a frequency table: each value, split at commas, 、 and semicolons outside quotes.

    >>> split_terms(["创新, 开放", '"港、澳"，湾区', ""])
    ['创新', '开放', '"港、澳"', '湾区']
    """
    out: list[str] = []
    for value in values:
        piece, pieces = [], []
        position = 0
        for found in _SEPARATORS.finditer(value):
            piece.append(value[position:found.start()])
            if found.group(1):                      # a quoted phrase: kept whole
                piece.append(found.group(1))
            else:
                pieces.append("".join(piece))
                piece = []
            position = found.end()
        piece.append(value[position:])
        pieces.append("".join(piece))
        out += [p.strip() for p in pieces if p.strip()]
    return list(dict.fromkeys(out))
