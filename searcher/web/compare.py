"""Comparison pages: two provisions aligned and diffed, all versions of one, and the links matrix.

Every kind, similarity and shared length shown here comes from :mod:`searcher.links` (the same
function its link was made with); the views only choose what to show.
"""
from __future__ import annotations

from flask import Blueprint, request

from ..cite import citation
from ..diff import compare as compare_provisions
from ..errors import SearcherError
from ..links import KINDS, PAIR_SORTS, compare_url, similarity_percent
from .documents import versions_of
from .library import library
from .pages import choice_arg, document_summary, find_document, find_provision, flag_arg, int_arg, page, provision_summary
from .workbench import absolute_url, csv_download, export_format, json_download

bp = Blueprint("compare", __name__)
CHOICES = 10   # provisions offered for each side of the compare form


@page(bp, "/compare", "/api/compare", "compare.html")
def compare() -> dict:
    a_id, b_id = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    qa, qb = request.args.get("qa", "").strip(), request.args.get("qb", "").strip()
    context = {"a": None, "b": None, "qa": qa, "qb": qb,
               "choices": {"a": _choices(qa) if qa else None, "b": _choices(qb) if qb else None},
               "similarity": None, "similarity_percent": None, "kind": None, "link": None, "comparison": None}
    a, b = (find_provision(a_id) if a_id else None), (find_provision(b_id) if b_id else None)
    corpus = library().corpus
    context["a"] = a and provision_summary(a, corpus.document(a.doc_id))
    context["b"] = b and provision_summary(b, corpus.document(b.doc_id))
    if a and b:
        comparison = compare_provisions(a, b)
        stored = library().links().link(a.id, b.id)
        context.update(similarity=comparison.similarity, similarity_percent=similarity_percent(comparison.similarity),
                       kind=comparison.kind, comparison=comparison.to_dict(),
                       link=stored and {"kind": stored.kind, "boilerplate": stored.boilerplate})
    return context


def _choices(query: str) -> list[dict]:
    """The first provisions (not headings) a search finds, to choose one side of a comparison from."""
    results = library().engine.search(query, page=1, size=CHOICES * 2)
    corpus = library().corpus
    found = []
    for hit in results.hits:
        provision = corpus.provision(hit.id)
        if provision is not None and len(found) < CHOICES:
            found.append(provision_summary(provision, corpus.document(provision.doc_id)))
    return found


@page(bp, "/versions/<path:provision_id>", "/api/versions/<path:provision_id>", "versions.html")
def versions(provision_id: str) -> dict:
    """A provision beside its closest linked provision in every other document, each diffed against it."""
    base = find_provision(provision_id)
    corpus = library().corpus
    shown = []
    for view in versions_of(base.id):
        other = corpus.provision(view.id)
        comparison = compare_provisions(base, other)
        shown.append({"provision": provision_summary(other, corpus.document(other.doc_id)), "kind": view.kind,
                      "similarity": view.similarity, "similarity_percent": similarity_percent(view.similarity),
                      "shared_chars": view.shared_chars, "coverage": view.coverage,
                      "compare_url": compare_url(base.id, other.id), "comparison": comparison.to_dict()})
    return {"provision": provision_summary(base, corpus.document(base.doc_id)), "versions": shown,
            "documents": 1 + len(shown)}


@page(bp, "/links", "/api/links", "links.html")
def links_overview() -> dict:
    kind = request.args.get("kind", "") or None
    if kind not in (None, *KINDS):
        raise SearcherError("unknown_link_kind", 400, value=kind, allowed=", ".join(KINDS))
    min_length = int_arg("min_length", 0)
    boilerplate = flag_arg("boilerplate")
    sort = choice_arg("sort", PAIR_SORTS)
    index = library().links()
    corpus = library().corpus
    fmt = export_format()
    if fmt is not None:
        return _links_export(fmt, kind, min_length, boilerplate, sort)
    matrix = index.matrix(kind=kind, min_length=min_length, boilerplate=boilerplate)
    total = sum(count for row, cells in matrix["cells"].items() for col, count in cells.items() if row < col)
    context = {"kind": kind, "kinds": list(KINDS), "min_length": min_length, "boilerplate": boilerplate,
               "sort": sort, "sorts": list(PAIR_SORTS), "matrix": matrix, "total": total,
               "documents": {d.id: document_summary(d)["title"] for d in corpus.documents},
               "a": None, "b": None, "pairs": None}
    a, b = request.args.get("a", ""), request.args.get("b", "")
    if a or b:
        find_document(a), find_document(b)
        pairs = []
        for link in index.between(a, b, kind=kind, min_length=min_length, boilerplate=boilerplate, sort=sort):
            left, right = corpus.provision(link.a), corpus.provision(link.b)
            if left is None or right is None:
                continue
            pairs.append({"a": provision_summary(left, corpus.document(left.doc_id)),
                          "b": provision_summary(right, corpus.document(right.doc_id)),
                          "kind": link.kind, "similarity": link.similarity,
                          "similarity_percent": similarity_percent(link.similarity),
                          "shared_chars": link.shared_chars, "coverage": {"a": link.coverage_a, "b": link.coverage_b},
                          "passages": [p.to_dict() for p in link.passages], "spans_a": link.spans_a,
                          "spans_b": link.spans_b, "boilerplate": link.boilerplate,
                          "compare_url": compare_url(link.a, link.b)})
        context.update(a=a, b=b, pairs=pairs)
    return context


EXPORT_COLUMNS = ["a", "a_doc", "a_citation", "b", "b_doc", "b_citation", "kind", "similarity", "similarity_percent",
                  "shared_chars", "coverage_a", "coverage_b", "boilerplate", "passages", "compare_url"]


def _links_export(fmt: str, kind, min_length: int, boilerplate: bool, sort: str):
    """Every link the matrix counts (or, with ``a`` and ``b``, every pair between two documents) as a download."""
    index, corpus = library().links(), library().corpus
    a, b = request.args.get("a", ""), request.args.get("b", "")
    if a or b:
        find_document(a), find_document(b)
        links = index.between(a, b, kind=kind, min_length=min_length, boilerplate=boilerplate, sort=sort)
    else:
        links = [link for link in index.links if index.keeps(link, kind, min_length, boilerplate)]
    rows = [_export_row(link, corpus) for link in links
            if corpus.provision(link.a) is not None and corpus.provision(link.b) is not None]
    name = f"links-{a}-{b}" if a else "links"
    if fmt == "json":
        return json_download({"kind": kind, "min_length": min_length, "boilerplate": boilerplate, "total": len(rows),
                              "links": rows}, name + ".json")
    return csv_download(EXPORT_COLUMNS, ([row[c] for c in EXPORT_COLUMNS] for row in rows), name + ".csv")


def _export_row(link, corpus) -> dict:
    left, right = corpus.provision(link.a), corpus.provision(link.b)
    return {"a": link.a, "a_doc": link.doc_a, "a_citation": citation(left, corpus.document(link.doc_a)),
            "b": link.b, "b_doc": link.doc_b, "b_citation": citation(right, corpus.document(link.doc_b)),
            "kind": link.kind, "similarity": link.similarity, "similarity_percent": similarity_percent(link.similarity),
            "shared_chars": link.shared_chars, "coverage_a": link.coverage_a, "coverage_b": link.coverage_b,
            "boilerplate": link.boilerplate, "passages": " … ".join(left.text[s:e] for s, e in link.spans_a),
            "compare_url": absolute_url(compare_url(link.a, link.b))}
