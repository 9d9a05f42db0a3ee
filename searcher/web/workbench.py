"""The researcher's workbench: concordance (KWIC), frequencies, and exports of every result set.

Views call :mod:`searcher.concordance` (lines, sorts, counts, rates) over the exact hits of
:meth:`Engine.matched` and render; each page has its JSON twin, and each twin answers
``?format=csv|json`` with the *whole* result set as a download (CSV: UTF-8 with a BOM so that
Excel reads Chinese, a header row, ``\\r\\n`` line ends). ``/api/search?format=…`` is answered
by :func:`send_search_export`, which the search view calls first.
"""
from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote, urlencode

from flask import Blueprint, current_app, g, jsonify, render_template, request

from ..concordance import (DEFAULT_CONTEXT, MAX_CONTEXT, MAX_FREQUENCY_TERMS, NO_DIVISION, DocumentSize,
                           Line, concordance_lines, document_sizes, frequency, frequency_table, parse_sort, per_document,
                           sort_lines, split_terms)
from ..errors import SearcherError
from ..messages import Notice
from ..normalize import normalize_text
from ..search import SORTS
from ..state import record_citation, record_url
from .library import library
from .pages import choice_arg, int_arg
from .render import api_url, step_text
from .search import FILTERS, _filters

bp = Blueprint("workbench", __name__)

FORMATS = ("csv", "json")
DEFAULT_LINES = 100
MAX_LINES = 1000
CONTEXT_CHOICES = (10, 20, 30, 50, 80)
SIZE_CHOICES = (50, 100, 200, 500, 1000)
_UNSAFE_FILENAME = re.compile(r'[\x00-\x1f\\/:*?"<>|\s]+')
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- shared helpers


def _documents() -> dict[str, dict]:
    return {d.id: {"title": d.entry.title, "script": d.entry.script} for d in library().corpus.documents}


_SIZES: dict = {}   # (engine id, generation) -> (engine, sizes); a race only computes it twice


def _sizes() -> dict[str, DocumentSize]:
    """Characters per document and division for the engine's current generation (computed once)."""
    engine = library().engine
    key = (id(engine), engine.generation)
    cached = _SIZES.get(key)
    if cached is None or cached[0] is not engine:
        records = engine.records()
        cached = (engine, document_sizes(records, [normalize_text(record.text) for record in records]))
        if len(_SIZES) > 8:
            _SIZES.clear()
        _SIZES[key] = cached
    return cached[1]


def _bounded(name: str, default: int, limit: int, code: str) -> int:
    value = int_arg(name, default, minimum=1)
    if value > limit:
        raise SearcherError(code, 400, value=value, limit=limit)
    return value


def export_format() -> str | None:
    if "format" not in request.args:
        return None
    return choice_arg("format", FORMATS)


def export_filename(kind: str, queries: list[str], extension: str) -> str:
    words = _UNSAFE_FILENAME.sub("_", "_".join(queries)).strip("_.")[:40]
    return f"{kind}-{words}.{extension}" if words else f"{kind}.{extension}"


def _cell(value) -> str:
    return "" if value is None else str(value)


def _typed(value: str) -> str:
    """Text a user typed, kept from being read as a formula by a spreadsheet (a leading ')."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_download(header: list[str], rows, name: str):
    buffer = io.StringIO()
    buffer.write("\ufeff")                      # BOM: Excel then reads the file as UTF-8
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return _download(buffer.getvalue().encode("utf-8"), "text/csv", name)   # Flask adds "; charset=utf-8"


def json_download(data: dict, name: str):
    return _download(current_app.json.dumps(data).encode("utf-8"), "application/json", name)


def _download(body: bytes, mimetype: str, name: str):
    """A file download: an ASCII file name for old clients, the full (Chinese) one per RFC 6266."""
    response = current_app.response_class(body, mimetype=mimetype)
    stem, extension = name.rsplit(".", 1)
    fallback = stem.split("-", 1)[0] + "." + extension
    response.headers.set("Content-Disposition", "attachment", filename=fallback,
                         **{"filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")})
    return response


def absolute_url(url: str) -> str:
    return request.host_url.rstrip("/") + url


def _warnings(notices) -> list[dict]:
    return [notice.to_dict(g.lang) for notice in notices]


def _notes(matched) -> list[Notice]:
    """The query's notes, and one more when it has no term to count (only filters or exclusions)."""
    return list(matched.warnings) + ([] if matched.terms else [Notice("no_terms_to_count")])


@bp.app_template_global()
def workbench_url(path: str | None = None, keep: str | None = None, **changes) -> str:
    """A URL built from the current request's parameters, with ``changes`` (None removes one).

    ``keep="all"`` keeps every parameter (the default for the current page, ``path=None``);
    ``keep="query"`` only ``q`` and the filters (the default for another page).
    """
    if keep == "all" or (keep is None and path is None):
        args = request.args.to_dict(flat=False)
    else:
        args = {name: request.args.getlist(name) for name in ("q",) + FILTERS if request.args.getlist(name)}
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value if isinstance(value, list) else [str(value)]
    query = urlencode([(name, value) for name, values in args.items() for value in values])
    return (path or request.path) + ("?" + query if query else "")


def filter_text(filters: dict[str, list[str]]) -> str:
    """Filters as the query language writes them: doc:gba-outline chapter:3."""
    return " ".join(f"{name}:{value}" for name, values in filters.items() for value in values)


# --------------------------------------------------------------------------- search export


def send_search_export():
    """Answer ``/api/search?format=csv|json`` with every exact hit, in the order asked for (a download)."""
    fmt = choice_arg("format", FORMATS)
    query = request.args.get("q", "").strip()
    results = library().engine.search_all(query, filters=_filters(), sort=choice_arg("sort", SORTS))
    name = export_filename("search", [query], fmt)
    if fmt == "json":
        return json_download(results.to_dict(g.lang), name)
    header = ["rank", "id", "doc", "doc_title", "kind", "division", "path", "label", "title", "text",
              "occurrences", "score", "complete", "citation", "url"]
    rows = ([n, hit.id, hit.doc, hit.doc_title, hit.kind or "", step_text(hit.division) if hit.division else "",
             " › ".join(step_text(step) for step in hit.path), hit.label, hit.title, hit.text, hit.occurrences,
             hit.score, "true" if hit.complete else "false", hit.citation, absolute_url(hit.url)]
            for n, hit in enumerate(results.hits, start=1))
    return csv_download(header, rows, name)


# --------------------------------------------------------------------------- concordance


def _concordance() -> tuple[dict, list[Line]]:
    """Every occurrence of the query's terms in its exact hits, sorted: the page's context and all lines."""
    query = request.args.get("q", "").strip()
    filters = _filters()
    keys = parse_sort(",".join(request.args.getlist("sort")))   # one sort=a,b or one sort= per level
    width = _bounded("context", DEFAULT_CONTEXT, MAX_CONTEXT, "bad_context")
    page_number = int_arg("page", 1, minimum=1)
    size = _bounded("size", DEFAULT_LINES, MAX_LINES, "bad_lines_size")
    context = {"query": query, "interpreted": "", "warnings": [], "filters": filters, "terms": [],
               "total": None, "hits": None, "per_document": {}, "page": page_number, "size": size, "pages": 0,
               "sort": ",".join(keys), "context": width, "lines": [], "documents": _documents()}
    if not query and not filters:
        return context, []
    matched = library().engine.matched(query, filters)
    lines = sort_lines(concordance_lines(matched.records, matched.norms, matched.terms,
                                         [record_url(record) for record in matched.records], width), keys)
    start = (page_number - 1) * size
    context.update(interpreted=matched.interpreted, warnings=_warnings(_notes(matched)), terms=matched.terms,
                   total=len(lines), hits=len(matched.records), per_document=per_document(lines),
                   pages=(len(lines) + size - 1) // size,
                   lines=[dict(line.to_dict(), n=n, citation=_cite(line.record))
                          for n, line in enumerate(lines[start:start + size], start + 1)])
    return context, lines


def _cite(record) -> str:
    """The record's citation (as a search hit carries it)."""
    return record_citation(record, library().corpus.document(record.doc_id))


def _concordance_export(context: dict, lines: list[Line], fmt: str):
    name = export_filename("concordance", [context["query"]], fmt)
    citations: dict[str, str] = {}

    def cite(record) -> str:
        if record.id not in citations:
            citations[record.id] = _cite(record)
        return citations[record.id]

    if fmt == "json":
        context.update(page=1, size=len(lines), pages=1 if lines else 0,
                       lines=[dict(line.to_dict(), n=n, citation=cite(line.record))
                              for n, line in enumerate(lines, start=1)])
        return json_download(context, name)
    header = ["n", "doc", "doc_title", "id", "kind", "division", "offset", "left", "match", "right", "term",
              "citation", "url"]
    titles = context["documents"]
    rows = ([n, line.record.doc_id, titles[line.record.doc_id]["title"], line.record.id, line.record.kind,
             step_text(line.record.division) if line.record.division else "", line.offset, line.left, line.match,
             line.right, line.term, cite(line.record), absolute_url(line.url)]
            for n, line in enumerate(lines, start=1))
    return csv_download(header, rows, name)


@bp.route("/concordance", endpoint="concordance")
def concordance_page():
    context, _ = _concordance()
    return render_template("concordance.html", api_url=api_url(), sort_keys=context["sort"].split(","),
                           context_choices=CONTEXT_CHOICES, size_choices=SIZE_CHOICES, **context)


@bp.route("/api/concordance", endpoint="concordance_api")
def concordance_api():
    fmt = export_format()
    context, lines = _concordance()
    if fmt is None:
        return jsonify(context)
    if context["total"] is None:
        raise SearcherError("empty_query", 400)
    return _concordance_export(context, lines, fmt)


# --------------------------------------------------------------------------- frequencies


def frequencies() -> dict:
    """Occurrences of each query per document and per top-level division, with rates per 10,000 characters."""
    queries = split_terms(request.args.getlist("q"))
    if len(queries) > MAX_FREQUENCY_TERMS:
        raise SearcherError("too_many_frequency_terms", 400, count=len(queries), limit=MAX_FREQUENCY_TERMS)
    filters = _filters()
    sizes = _sizes()
    titles = _documents()
    rows = []
    for query in queries:
        matched = library().engine.matched(query, filters)
        table = frequency_table(frequency(matched.records, matched.norms, matched.terms, sizes), sizes)
        rows.append({"query": query, "interpreted": matched.interpreted, "terms": matched.terms,
                     "warnings": _warnings(_notes(matched)), **table})
    corpus_chars = sum(size.characters for size in sizes.values())
    return {"queries": queries, "filters": filters, "characters": corpus_chars,
            "documents": [{"id": doc, "title": titles[doc]["title"], "script": titles[doc]["script"],
                           "characters": size.characters, "divisions": [d.to_dict() for d in size.divisions]}
                          for doc, size in sizes.items()],
            "terms": rows}


def _frequency_export(data: dict, fmt: str):
    name = export_filename("frequencies", data["queries"], fmt)
    if fmt == "json":
        return json_download(data, name)
    header = ["query", "doc", "doc_title", "level", "division", "division_label", "division_title",
              "occurrences", "characters", "per_10000"]
    rows = []
    for row in data["terms"]:
        for document, counts in zip(data["documents"], row["documents"]):
            rows.append([_typed(row["query"]), document["id"], document["title"], "document", "", "", "",
                         counts["occurrences"], document["characters"], counts["per_10000"]])
            for division, count in zip(document["divisions"], counts["divisions"]):
                rows.append([_typed(row["query"]), document["id"], document["title"], "division", division["id"],
                             division["label"], division["title"], count["occurrences"], division["characters"],
                             count["per_10000"]])
    return csv_download(header, rows, name)


def _short_label(division: dict) -> str:
    """A division's label without 第…章 or 、 (一, 十一, 前言, 附件); — for records outside any."""
    if division["id"] == NO_DIVISION:
        return "—"
    label = division["label"] or division["title"]
    return re.sub(r"^第(.+)[章部分]+$", r"\1", label).rstrip("、．.") or label


def _spread_chart(document: dict, rows: list[dict], index: int) -> dict:
    """Bar chart geometry: one group per division, one bar per query, heights in occurrences."""
    bar, gap, left, top, plot, bottom = (18 if len(rows) <= 3 else 11), 14, 34, 16, 140, 24
    group = bar * len(rows) + gap
    counts = [[row["documents"][index]["divisions"][k]["occurrences"] for row in rows]
              for k in range(len(document["divisions"]))]
    peak = max((c for group_counts in counts for c in group_counts), default=0) or 1
    groups = []
    for k, division in enumerate(document["divisions"]):
        x = left + k * group + gap // 2
        bars = []
        for j, row in enumerate(rows):
            cell = row["documents"][index]["divisions"][k]
            height = round(plot * cell["occurrences"] / peak, 1)
            bars.append({"x": x + j * bar, "y": round(top + plot - height, 1), "width": bar - 2, "height": height,
                         "label_x": x + j * bar + (bar - 2) / 2, "label_y": round(top + plot - height - 3, 1),
                         "series": j, "query": row["query"], "occurrences": cell["occurrences"],
                         "per_10000": cell["per_10000"]})
        groups.append({"x": x, "center": x + (bar * len(rows)) / 2, "label": _short_label(division),
                       "division": division, "bars": bars})
    return {"width": left + len(groups) * group + 8, "height": top + plot + bottom, "left": left, "top": top,
            "plot": plot, "peak": peak, "baseline": top + plot, "groups": groups}


@bp.route("/frequencies", endpoint="frequencies")
def frequencies_page():
    data = frequencies()
    charts = [_spread_chart(document, data["terms"], index) for index, document in enumerate(data["documents"])] \
        if data["terms"] else []
    peaks = [max([d["per_10000"] for d in row["documents"]], default=0) or 1 for row in data["terms"]]
    boxes = data["queries"] + [""] * max(1, 3 - len(data["queries"]))
    return render_template("frequencies.html", api_url=api_url(), charts=charts, peaks=peaks, boxes=boxes,
                           filter_text=filter_text(data["filters"]), **data)


@bp.route("/api/frequencies", endpoint="frequencies_api")
def frequencies_api():
    fmt = export_format()
    data = frequencies()
    if fmt:
        if not data["queries"]:
            raise SearcherError("empty_query", 400)
        return _frequency_export(data, fmt)
    return jsonify(data)
