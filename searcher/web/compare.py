"""Comparison pages: two provisions side by side, and the matrix of shared wording."""
from __future__ import annotations

import re

from flask import Blueprint, request

from ..diff import diff
from ..errors import SearcherError
from ..links import compare_url
from .library import library
from .pages import document_summary, find_document, find_provision, int_arg, page, provision_summary

bp = Blueprint("compare", __name__)


@page(bp, "/compare", "/api/compare", "compare.html")
def compare() -> dict:
    a_id, b_id = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    if not a_id and not b_id:
        return {"a": None, "b": None, "diff": None}
    if not a_id or not b_id:
        raise SearcherError("compare_needs_two", 400)
    corpus = library().corpus
    a, b = find_provision(a_id), find_provision(b_id)
    result = diff(a.text, b.text).to_dict()
    percent = re.search(r"(\d+)% similar", result["summary"])  # the summary's own (floored) figure
    result["percent"] = int(percent.group(1)) if percent else round(result["similarity"] * 100)
    return {
        "a": provision_summary(a, corpus.document(a.doc_id)),
        "b": provision_summary(b, corpus.document(b.doc_id)),
        "diff": result,
    }


@page(bp, "/links", "/api/links", "links.html")
def links_overview() -> dict:
    kind = request.args.get("kind", "") or None
    if kind not in (None, "identical", "similar"):
        raise SearcherError("unknown_link_kind", 400, value=kind, allowed="identical, similar")
    min_length = int_arg("min_length", 0)
    index = library().links()
    corpus = library().corpus
    context = {"kind": kind, "min_length": min_length, "matrix": index.matrix(kind=kind, min_length=min_length),
               "documents": {d.id: document_summary(d)["title"] for d in corpus.documents},
               "a": None, "b": None, "pairs": None}
    a, b = request.args.get("a", ""), request.args.get("b", "")
    if a or b:
        find_document(a), find_document(b)
        pairs = []
        for link in index.between(a, b, kind=kind, min_length=min_length):
            left, right = corpus.provision(link.a), corpus.provision(link.b)
            if left is None or right is None:
                continue
            pairs.append({"a": provision_summary(left, corpus.document(left.doc_id)),
                          "b": provision_summary(right, corpus.document(right.doc_id)),
                          "kind": link.kind, "similarity": link.similarity, "spans_a": link.spans_a,
                          "spans_b": link.spans_b, "shared_chars": link.shared_chars,
                          "boilerplate": link.boilerplate,
                          "compare_url": compare_url(link.a, link.b)})
        context.update(a=a, b=b, pairs=pairs)
    return context

