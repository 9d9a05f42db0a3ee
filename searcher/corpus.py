"""Corpus model: Corpus -> Document -> Heading / Provision, and loading a corpus folder.

First stage of the pipeline (source text -> provisions -> normalised text -> tokens -> index):
the plain dataclasses every later stage consumes. parse.py turns a source text into them.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import CatalogEntry, load_catalog, read_source, unit_aliases
from .suggest import load_glossary

# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class PathStep:
    """One level of a provision's heading path."""

    id: str
    kind: str
    label: str
    title: str

    def to_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "label": self.label, "title": self.title}


@dataclass
class Units:
    """Responsible units of a task: who leads, who takes part.

    ``lead`` and ``participating`` are normalised names (:mod:`searcher.units`: 交通运输厅 after
    省发展改革委 is 省交通运输厅); ``printed_*`` keep the names as the list prints them, and
    ``span`` is where the list stands in the provision's text (metadata, not wording: links and
    ranking leave it out).
    """

    lead: list[str]
    participating: list[str]
    printed_lead: list[str] = field(default_factory=list)
    printed_participating: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None

    @property
    def names(self) -> list[str]:
        return self.lead + self.participating

    def to_dict(self) -> dict:
        return {"lead": self.lead, "participating": self.participating,
                "printed": {"lead": self.printed_lead, "participating": self.printed_participating},
                "span": list(self.span) if self.span else None}


@dataclass
class Heading:
    """An outline node: chapter, section, part, clause, box, preface, annex or the title."""

    id: str
    kind: str
    level: int
    label: str
    title: str
    text: str
    pieces: list[tuple[int, int]]
    parent: str | None
    from_catalog: bool = False
    is_entry: bool = False   # an outline entry for a numbered provision (its text is the provision's)

    @property
    def display(self) -> str:
        return f"{self.label} {self.title}".strip()


@dataclass
class Provision:
    """A citable unit: paragraph, numbered item, clause, bullet, box entry or footnote."""

    id: str
    doc_id: str
    kind: str
    order: int
    label: str
    title: str
    text: str
    pieces: list[tuple[int, int]]
    path: list[PathStep]
    units: Units | None = None
    notes: list[str] = field(default_factory=list)
    cited_by: str | None = None
    complete: bool = True    # False: the source breaks off inside it (an excerpt cut mid-paragraph)

    @property
    def span(self) -> tuple[int, int]:
        """The character span of the source file this provision came from."""
        return (self.pieces[0][0], self.pieces[-1][1]) if self.pieces else (0, 0)

    @property
    def local_id(self) -> str:
        return self.id.split("/", 1)[1]

    @property
    def chapter(self) -> PathStep | None:
        return next((s for s in self.path if s.kind in ("chapter", "preface", "annex")), None)

    @property
    def section(self) -> PathStep | None:
        return next((s for s in self.path if s.kind == "section"), None)

    @property
    def division(self) -> PathStep | None:
        """The top-level division it sits in (第X章, 一、, 前言, 附件 …), as the plan prints it."""
        return self.path[0] if self.path else None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "doc": self.doc_id, "kind": self.kind, "order": self.order,
            "path": [s.to_dict() for s in self.path], "label": self.label, "title": self.title,
            "text": self.text, "span": list(self.span), "pieces": [list(p) for p in self.pieces],
            "units": self.units.to_dict() if self.units else None, "notes": self.notes,
            "cited_by": self.cited_by, "complete": self.complete,
        }


@dataclass
class TocEntry:
    label: str
    title: str
    page: int


@dataclass
class Document:
    """One plan: catalog entry, source text, outline and provisions in reading order."""

    entry: CatalogEntry
    source: str
    headings: list[Heading]
    provisions: list[Provision]
    toc: list[TocEntry]
    toc_span: tuple[int, int] | None
    warnings: list[str]

    @property
    def id(self) -> str:
        return self.entry.id

    def outline(self) -> list[dict]:
        """The outline as a nested list of {level, kind, number, title, id, children}."""
        roots: list[dict] = []
        nodes: dict[str, dict] = {}
        for heading in self.headings:
            if heading.kind == "title":
                continue
            node = {"level": heading.level, "kind": heading.kind, "number": heading.label,
                    "title": heading.title, "id": heading.id, "children": []}
            nodes[heading.id] = node
            parent = nodes.get(heading.parent or "")
            (parent["children"] if parent else roots).append(node)
        return roots

    def provision(self, provision_id: str) -> Provision | None:
        return next((p for p in self.provisions if p.id == provision_id), None)


@dataclass
class Corpus:
    """All documents of a corpus folder, in catalog order, and its English glossary."""

    root: Path
    documents: list[Document]
    glossary: list = field(default_factory=list)

    def document(self, doc_id: str) -> Document | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def provisions(self):
        for document in self.documents:
            yield from document.provisions

    def provision(self, provision_id: str) -> Provision | None:
        doc_id = provision_id.split("/", 1)[0]
        document = self.document(doc_id)
        return document.provision(provision_id) if document else None


_PARSED: OrderedDict[tuple, Document] = OrderedDict()   # (entry, source hash, aliases) -> Document
_PARSED_KEEP = 512
_parsed_lock = threading.Lock()


def _parsed(entry: CatalogEntry, source: str, aliases: dict[str, str]) -> Document:
    """Parse a document, or reuse the parse of an identical one (same entry, text and unit aliases).

    A server that re-reads its corpus after one plan changed parses only that plan again.
    Documents are not changed after parsing, so sharing them is safe.
    """
    from .parse import parse_document

    key = (entry, hashlib.sha256(source.encode("utf-8")).digest(), tuple(sorted(aliases.items())))
    with _parsed_lock:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
            return found
    document = parse_document(entry, source, aliases)
    with _parsed_lock:
        _PARSED[key] = document
        while len(_PARSED) > _PARSED_KEEP:
            _PARSED.popitem(last=False)
    return document


def load_corpus(corpus_dir: Path | str) -> Corpus:
    """Read the catalog and parse every document; raise CorpusError on any bad input."""
    corpus_dir = Path(corpus_dir)
    entries = load_catalog(corpus_dir)
    aliases = unit_aliases(corpus_dir)
    documents = [_parsed(entry, read_source(corpus_dir, entry), aliases) for entry in entries]
    return Corpus(corpus_dir, documents, load_glossary(corpus_dir))
