"""Links stage, third part: the links of a generation on disk, and every view of them.

One place answers every question a page asks of the links — a provision's links, the number on
a search hit's badge, the document × document matrix, the pairs between two documents — so two
views can never count differently. By default boilerplate links are left out of all of them;
``boilerplate=True`` puts them back everywhere at once.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ..errors import SearcherError
from .detect import BOILERPLATE_PROVISIONS, KINDS, Link
from .text import MIN_SHARED, SIMILARITY

LINKS_FILE = "links.json"  # the file save_links writes inside the index folder
PAIR_SORTS = ("similarity", "shared", "position")
LINKS_FORMAT = 2   # bumped whenever what a link is, or how it is stored, changes


@dataclass
class LinkView:
    """A link seen from one provision: the other provision, the measures and both sides' passages."""

    id: str
    doc: str
    kind: str
    similarity: float
    shared_chars: int
    coverage: dict[str, float]          # {"self": share of this provision, "other": share of the other}
    passages: list[dict]                # [{"self": [s, e], "other": [s, e], "chars": n, "common": bool}]
    boilerplate: bool
    compare_url: str

    @property
    def spans(self) -> dict[str, list[list[int]]]:
        return {"self": [p["self"] for p in self.passages], "other": [p["other"] for p in self.passages]}

    def to_dict(self) -> dict:
        return {"id": self.id, "doc": self.doc, "kind": self.kind, "similarity": self.similarity,
                "shared_chars": self.shared_chars, "coverage": self.coverage, "passages": self.passages,
                "spans": self.spans, "boilerplate": self.boilerplate, "compare_url": self.compare_url}


def view_of(link: Link) -> LinkView:
    """A link as seen from its ``a`` side."""
    return LinkView(link.b, link.doc_b, link.kind, link.similarity, link.shared_chars,
                    {"self": link.coverage_a, "other": link.coverage_b},
                    [{"self": list(p.a), "other": list(p.b), "chars": p.chars, "common": p.common}
                     for p in link.passages],
                    link.boilerplate, compare_url(link.a, link.b))


def compare_url(a: str, b: str) -> str:
    """The /compare permalink for two provision ids."""
    return f"/compare?a={quote(a, safe='/')}&b={quote(b, safe='/')}"


def rank_key(link: Link) -> tuple:
    """Substantive before boilerplate, then kind (same, similar, shared), more similar, longer, by id."""
    return (link.boilerplate, KINDS.index(link.kind), -link.similarity, -link.shared_chars, link.a, link.b)


# --------------------------------------------------------------------------- storage

def _links_path(path: Path | str) -> Path:
    path = Path(path)
    return path / LINKS_FILE if path.is_dir() else path


def save_links(links: list[Link], path: Path | str, docs: list[str] | None = None,
               keys: dict[str, str] | None = None) -> None:
    """Write the links as JSON to ``path`` (a file, or the index folder to hold LINKS_FILE).

    ``docs`` gives the documents, in order, for the matrix; by default those the links name.
    ``keys`` (document -> :func:`~searcher.links.detect.document_key`) lets the next build
    carry over the links between documents that did not change.
    """
    path = _links_path(path)
    names = docs if docs is not None else LinkIndex(links).docs
    data = {"format": LINKS_FORMAT,
            "params": {"min_shared": MIN_SHARED, "similarity": SIMILARITY,
                       "boilerplate_provisions": BOILERPLATE_PROVISIONS},
            "docs": list(names), "keys": dict(keys or {}), "links": [link.to_dict() for link in links]}
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    partial.replace(path)


def load_links(path: Path | str) -> LinkIndex:
    """Read a links file written by save_links (or the one inside an index folder)."""
    path = _links_path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != LINKS_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {LINKS_FORMAT}")
        return LinkIndex([Link.from_dict(d) for d in data["links"]], data["docs"], data.get("keys") or {})
    except FileNotFoundError:
        raise SearcherError("no_links_file", 500, path=str(path)) from None
    except (ValueError, KeyError, TypeError) as error:
        raise SearcherError("links_unreadable", 500, path=str(path), detail=str(error)) from None


# --------------------------------------------------------------------------- lookup

class LinkIndex:
    """The links of a corpus, looked up by provision, by document pair, or counted per pair."""

    def __init__(self, links: list[Link], docs: list[str] | None = None, keys: dict[str, str] | None = None):
        self.links = links
        self.keys = dict(keys or {})   # document -> the key its links were computed for
        named = {link.doc_a for link in links} | {link.doc_b for link in links}
        self.docs = list(docs) if docs is not None else sorted(named)
        self._by_provision: dict[str, list[Link]] = defaultdict(list)
        for link in links:
            self._by_provision[link.a].append(link)
            self._by_provision[link.b].append(link.flipped())
        for seen_from in self._by_provision.values():
            seen_from.sort(key=rank_key)
        # asked for every search hit (the badge): counted once
        self._counts = {pid: (sum(1 for link in seen if not link.boilerplate), len(seen))
                        for pid, seen in self._by_provision.items()}

    def __len__(self) -> int:
        return len(self.links)

    def for_provision(self, provision_id: str, boilerplate: bool = False) -> list[LinkView]:
        """The provision's links (boilerplate only if asked), same first, then more similar, longer."""
        return [view_of(link) for link in self._by_provision.get(provision_id, ())
                if boilerplate or not link.boilerplate]

    def count(self, provision_id: str, boilerplate: bool = False) -> int:
        """How many links a provision has: the number its page lists and its search hit's badge shows."""
        substantive, every = self._counts.get(provision_id, (0, 0))
        return every if boilerplate else substantive

    def hidden(self, provision_id: str) -> int:
        """How many of a provision's links are boilerplate (left out unless asked for)."""
        substantive, every = self._counts.get(provision_id, (0, 0))
        return every - substantive

    def link(self, a: str, b: str) -> Link | None:
        """The link between two provisions, seen from ``a``, if there is one (boilerplate included)."""
        return next((link for link in self._by_provision.get(a, ()) if link.b == b), None)

    def matrix(self, kind: str | None = None, min_length: int = 0, boilerplate: bool = False) -> dict:
        """Links per document pair: ``{"docs": [...], "cells": {doc: {other: count}}}``, symmetric."""
        self._check_filters(kind, min_length)
        cells = {a: {b: 0 for b in self.docs} for a in self.docs}
        for link in self.links:
            if self._keep(link, kind, min_length, boilerplate):
                for x, y in ((link.doc_a, link.doc_b), (link.doc_b, link.doc_a)):
                    cells.setdefault(x, {}).setdefault(y, 0)
                    cells[x][y] += 1
        return {"docs": list(self.docs), "cells": cells}

    def between(self, doc_a: str, doc_b: str, kind: str | None = None, min_length: int = 0,
                boilerplate: bool = False, sort: str = "similarity") -> list[Link]:
        """The links between two documents, each seen from ``doc_a``'s side.

        ``sort``: ``similarity`` (kind, then similarity, then shared length), ``shared`` (shared
        length first) or ``position`` (document order of ``doc_a``'s provisions, as ids sort).
        """
        self._check_filters(kind, min_length)
        if sort not in PAIR_SORTS:
            raise SearcherError("unknown_pair_sort", value=sort, allowed=", ".join(PAIR_SORTS))
        for doc in (doc_a, doc_b):
            if self.docs and doc not in self.docs:
                raise SearcherError("links_unknown_document", 404, doc=doc, known=", ".join(self.docs))
        found = []
        for link in self.links:
            if self._keep(link, kind, min_length, boilerplate):
                if (link.doc_a, link.doc_b) == (doc_a, doc_b):
                    found.append(link)
                elif (link.doc_b, link.doc_a) == (doc_a, doc_b):
                    found.append(link.flipped())
        if sort == "shared":
            return sorted(found, key=lambda link: (-link.shared_chars,) + rank_key(link))
        if sort == "position":
            return found     # links are stored in id order of their a side, which is found's doc_a order
        return sorted(found, key=rank_key)

    def keeps(self, link: Link, kind: str | None = None, min_length: int = 0, boilerplate: bool = False) -> bool:
        """Does the matrix, with these filters, count this link?"""
        self._check_filters(kind, min_length)
        return self._keep(link, kind, min_length, boilerplate)

    @staticmethod
    def _keep(link: Link, kind: str | None, min_length: int, boilerplate: bool) -> bool:
        return ((kind is None or link.kind == kind) and link.shared_chars >= min_length
                and (boilerplate or not link.boilerplate))

    @staticmethod
    def _check_filters(kind: str | None, min_length: int) -> None:
        if kind is not None and kind not in KINDS:
            raise SearcherError("unknown_link_kind", value=kind, allowed=", ".join(KINDS))
        if min_length < 0:
            raise SearcherError("negative_length", value=min_length)
