"""Document pages: the catalog, the document reader and the provision page (with citations and links)."""
from __future__ import annotations

from flask import Blueprint, g, request

from ..cite import citation, locator, permalink
from ..corpus import Provision
from ..links import LinkView, similarity_percent
from .cite import provision_cite
from .library import library
from .pages import document_summary, find_document, find_provision, flag_arg, page, provision_summary

bp = Blueprint("documents", __name__)


@page(bp, "/", "/api/docs", "index.html")
def documents() -> dict:
    return {"documents": [document_summary(d) for d in library().corpus.documents]}


@page(bp, "/d/<doc_id>", "/api/docs/<doc_id>", "document.html")
def document(doc_id: str) -> dict:
    doc = find_document(doc_id)
    query = request.args.get("q", "").strip()
    marks: dict[str, list] = {}
    if query:
        results = library().engine.search_all(query, filters={"doc": [doc.id]})
        marks = {hit.id: hit.highlights for hit in results.hits}
    return {"document": document_summary(doc), "outline": doc.outline(),
            "provisions": [provision_summary(p, doc) for p in doc.provisions],
            "query": query, "marks": marks, "warnings": [w.to_dict(g.lang) for w in doc.warnings]}


@page(bp, "/p/<path:provision_id>", "/api/p/<path:provision_id>", "provision.html")
def provision(provision_id: str) -> dict:
    item = find_provision(provision_id)
    corpus = library().corpus
    doc = corpus.document(item.doc_id)
    position = doc.provisions.index(item)
    previous = doc.provisions[position - 1] if position > 0 else None
    following = doc.provisions[position + 1] if position + 1 < len(doc.provisions) else None
    notes = [corpus.provision(n) for n in item.notes]
    return {
        "provision": provision_summary(item, doc),
        "document": document_summary(doc),
        "cite": provision_cite(item, doc),
        "previous": _neighbour(previous, doc),
        "next": _neighbour(following, doc),
        "notes": [provision_summary(n, doc) for n in notes if n is not None],
        **links_context(item),
    }


def _neighbour(item: Provision | None, doc) -> dict | None:
    """The previous or next provision, named by its title, else by its locator (第二章第四节第1段)."""
    return item and {"id": item.id, "url": permalink(item.id), "label": item.label, "title": item.title,
                     "locator": locator(item, doc)}


def links_context(item: Provision) -> dict:
    """The provision's links as its page lists them: boilerplate only with ``?boilerplate=1``."""
    index = library().links()
    boilerplate = flag_arg("boilerplate")
    links = [link_summary(view) for view in _present(index.for_provision(item.id, boilerplate=boilerplate))]
    return {"links": links, "boilerplate": boilerplate, "links_boilerplate": index.hidden(item.id),
            "versions": len(versions_of(item.id))}


def link_summary(view: LinkView) -> dict:
    """A link seen from one provision, with what the page shows of the other provision."""
    corpus = library().corpus
    other = corpus.provision(view.id)
    other_doc = corpus.document(other.doc_id)
    return dict(view.to_dict(), similarity_percent=similarity_percent(view.similarity), url=permalink(view.id),
                doc_title=other_doc.entry.title, script=other_doc.entry.script,
                path=[s.to_dict() for s in other.path], label=other.label, text=other.text,
                citation=citation(other, other_doc))


def versions_of(provision_id: str) -> list[LinkView]:
    """From each other document, the provision most closely linked to this one (no boilerplate)."""
    best: dict[str, LinkView] = {}
    for view in _present(library().links().for_provision(provision_id)):
        best.setdefault(view.doc, view)     # views come best first
    return list(best.values())


def _present(views: list[LinkView]) -> list[LinkView]:
    """The views whose other provision the corpus holds (a links file set by hand may be older)."""
    corpus = library().corpus
    return [view for view in views if corpus.provision(view.id) is not None]
