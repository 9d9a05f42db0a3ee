"""Search pages: results with facets and the query-syntax help."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, current_app, g, redirect, request

from ..search import SORTS, SYNTAX
from .library import library
from .pages import choice_arg, int_arg, page
from .render import t

FILTERS = ("doc", "chapter", "section", "unit", "lead")
bp = Blueprint("search", __name__)


def _filters() -> dict[str, list[str]]:
    """The filters in the URL; ``role=lead`` makes the chosen units lead-only (the unit form's radio)."""
    filters = {name: [v for v in request.args.getlist(name) if v][:20] for name in FILTERS if request.args.getlist(name)}
    if request.args.get("role") == "lead" and filters.get("unit"):
        filters["lead"] = list(dict.fromkeys(filters.get("lead", []) + filters.pop("unit")))
    return filters


def _refined():
    """A "search within results" form: the current query plus the new terms, same filters, as a clean URL."""
    query = f"{request.args.get('base', '')} {request.args.get('refine', '')}".strip()
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in ("base", "refine", "page", "q") and v]
    return redirect("/search?" + urlencode([("q", query)] + kept), code=303)


@page(bp, "/search", "/api/search", "search.html")
def search() -> dict:
    if request.args.get("format"):  # ?format=csv|json: every hit as a download (answered in workbench.py)
        from .workbench import send_search_export
        return send_search_export()
    if "refine" in request.args:
        return _refined()
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
            hit["links"] = links.count(hit["id"])   # the number its page lists under "Also in"
    else:  # the empty search page: just the box
        context = {"query": "", "total": None, "occurrences": None, "page": page_number, "size": size, "sort": sort,
                   "facets": {"doc": {}, "chapter": {}}, "hits": [], "related": [], "warnings": [],
                   "interpreted": "", "filters": {}}
    # a query in Latin letters: the glossary's terms and the corpus words it spells in pinyin
    context["suggestions"] = library().engine.suggest(query) if query else {"latin": False, "glossary": [], "pinyin": []}
    context["url_filters"] = filters  # the filters in the URL (the facets toggle these)
    context["documents"] = {d.id: d.entry.title for d in library().corpus.documents}
    return context


HELP_SECTIONS = ("counts", "headings", "variants", "ranking", "related", "facets", "units", "excerpt",
                 "link_kinds", "similarity", "boilerplate", "link_counts")


@page(bp, "/help", "/api/help", "syntax.html")
def syntax_help() -> dict:
    """The query syntax and the definition of every count and label the search pages show."""
    return {"syntax": list(SYNTAX),
            "definitions": [{"id": key, "title": t(f"help_{key}_title"), "text": t(f"help_{key}")} for key in HELP_SECTIONS]}

