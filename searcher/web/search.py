"""Search pages: results with facets and the query-syntax help."""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from ..search import SORTS, SYNTAX
from .library import library
from .pages import choice_arg, int_arg, page

FILTERS = ("doc", "chapter", "section", "unit", "lead")
bp = Blueprint("search", __name__)


def _filters() -> dict[str, list[str]]:
    return {name: [v for v in request.args.getlist(name) if v][:20] for name in FILTERS if request.args.getlist(name)}


@page(bp, "/search", "/api/search", "search.html")
def search() -> dict:
    if request.args.get("format"):  # ?format=csv|json: every hit as a download (answered in workbench.py)
        from .workbench import send_search_export
        send_search_export()
    query = request.args.get("q", "").strip()
    filters = _filters()
    page_number = int_arg("page", 1, minimum=1)
    sort = choice_arg("sort", SORTS)
    size = current_app.config["SEARCHER_PAGE_SIZE"]
    if query or filters:
        results = library().engine.search(query, filters=filters, page=page_number, size=size, sort=sort)
        context = results.to_dict(g.lang)
        links = library().links()
        for hit in context["hits"] + context["related"]:
            hit["shared_docs"] = sorted(links.other_documents(hit["id"]))
    else:  # the empty search page: just the box
        context = {"query": "", "total": None, "occurrences": None, "page": page_number, "size": size, "sort": sort,
                   "facets": {"doc": {}, "chapter": {}}, "hits": [], "related": [], "warnings": [],
                   "interpreted": "", "filters": {}}
    context["url_filters"] = filters  # the filters in the URL (the facets toggle these)
    context["documents"] = {d.id: d.entry.title for d in library().corpus.documents}
    return context


@page(bp, "/help", "/api/help", "syntax.html")
def syntax_help() -> dict:
    return {"syntax": list(SYNTAX)}

