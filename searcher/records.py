"""Records: what the index holds and a search can hit — provisions and printed headings, in reading order.

Sits between the corpus model and the index: a *record* is either a provision or a heading as
the plan prints it (第三章 加快基础设施互联互通, 一、优化提升空间发展格局, 专栏1 …, the title). A
heading is content: a search for a chapter title finds the chapter. Headings that are not
printed (an excerpt's context from the catalog) and the outline entries of numbered provisions
(whose title is the provision's own lead-in, already in its text) are not records.

Records of a document come in reading order: each heading just before the first provision
under it, so sorting hits "in document order" reads like the plan.
"""
from __future__ import annotations

from dataclasses import dataclass

from .corpus import Corpus, Document, Heading, PathStep, Provision, Units

HEADING = "heading"


@dataclass
class Record:
    """A searchable unit: a provision or a printed heading."""

    id: str
    doc_id: str
    kind: str                      # "heading", or the provision's kind (paragraph, item, footnote …)
    label: str
    title: str
    text: str                      # a provision's text; a heading's printed number and title
    path: list[PathStep]           # headings above it (a heading: its ancestors)
    provision: Provision | None = None
    heading: Heading | None = None

    @property
    def is_heading(self) -> bool:
        return self.heading is not None

    @property
    def heading_kind(self) -> str:
        """chapter, section, part, clause, box, preface, annex or title (headings only)."""
        return self.heading.kind if self.heading else ""

    @property
    def step(self) -> PathStep | None:
        """A heading as a path step (what its children carry in their paths)."""
        h = self.heading
        return PathStep(self.id, h.kind, h.label, h.title) if h else None

    @property
    def division(self) -> PathStep | None:
        """The top-level division (第X章, 一、, 前言, 附件 …); a top-level heading is its own."""
        if self.path:
            return self.path[0]
        return self.step if self.heading and self.heading.kind != "title" else None

    @property
    def section(self) -> PathStep | None:
        steps = self.path + ([self.step] if self.heading else [])
        return next((s for s in steps if s.kind == "section"), None)

    @property
    def units(self) -> Units | None:
        return self.provision.units if self.provision else None

    @property
    def complete(self) -> bool:
        return self.provision.complete if self.provision else True

    @property
    def local_id(self) -> str:
        return self.id.split("/", 1)[1]


def _heading_path(heading: Heading, by_id: dict[str, Heading], doc_id: str) -> list[PathStep]:
    steps: list[PathStep] = []
    parent = by_id.get(heading.parent or "")
    while parent is not None:
        steps.append(PathStep(f"{doc_id}/{parent.id}", parent.kind, parent.label, parent.title))
        parent = by_id.get(parent.parent or "")
    return steps[::-1]


def is_printed_heading(heading: Heading) -> bool:
    """Is this heading printed as a line of its own (and so a record)?"""
    return not heading.from_catalog and not heading.is_entry and bool(heading.title or heading.label)


def heading_record(heading: Heading, document: Document, by_id: dict[str, Heading]) -> Record:
    text = f"{heading.label} {heading.title}".strip()
    return Record(f"{document.id}/{heading.id}", document.id, HEADING, heading.label, heading.title, text,
                  _heading_path(heading, by_id, document.id), heading=heading)


def provision_record(provision: Provision) -> Record:
    return Record(provision.id, provision.doc_id, provision.kind, provision.label, provision.title, provision.text,
                  provision.path, provision=provision)


def document_records(document: Document) -> list[Record]:
    """The document's records in reading order: each heading right before the first provision under it."""
    by_id = {h.id: h for h in document.headings}
    printed = [h for h in document.headings if is_printed_heading(h)]
    pending = {f"{document.id}/{h.id}": h for h in printed}
    records: list[Record] = []

    def emit(heading_id: str) -> None:
        heading = pending.pop(heading_id, None)
        if heading is not None:
            records.append(heading_record(heading, document, by_id))

    title = next((h for h in printed if h.kind == "title"), None)
    if title is not None:
        emit(f"{document.id}/{title.id}")
    for provision in document.provisions:
        if provision.kind not in ("front-matter", "footnote"):   # those two stand outside the flow of headings
            # headings that open before this provision and were never followed by one of their own
            start = provision.pieces[0][0] if provision.pieces else None
            for heading_id, heading in list(pending.items()):
                if start is not None and heading.pieces and heading.pieces[0][0] < start \
                        and heading_id not in {s.id for s in provision.path}:
                    emit(heading_id)
            for step in provision.path:
                emit(step.id)
        records.append(provision_record(provision))
    for heading_id in list(pending):
        emit(heading_id)
    return records


def corpus_records(corpus: Corpus) -> list[Record]:
    """Every record of the corpus, document by document, in reading order."""
    return [record for document in corpus.documents for record in document_records(document)]
