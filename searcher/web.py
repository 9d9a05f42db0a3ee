"""Pages stage: hits -> pages. The Flask app factory and the researcher's pages.

Last stage of the pipeline. Views are short: they call the library (corpus, search engine,
links, cite) and build one context dict, which the same view renders either as an HTML page
(``/search``) or as its JSON twin (``/api/search``); every page links to its twin with
``<link rel="alternate" type="application/json">``. No search logic lives here.

One error path: every :class:`SearcherError` (and every 404, and anything unexpected, which
is logged and answered with a bare 500) is rendered by :func:`_handle_error`, as JSON for
``/api/`` paths and as ``error.html`` otherwise. Every response carries a Content-Security-
Policy that allows no inline script or style, and ``X-Content-Type-Options: nosniff``.
"""
from __future__ import annotations

import logging
import os
import re
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from flask import (Blueprint, Flask, current_app, g, jsonify, redirect, render_template, request,
                   url_for)
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException

from . import config as paths
from .cite import citation, gbt7714, permalink, text_hash
from .corpus import Document, Provision
from .diff import diff
from .errors import SearcherError
from .i18n import (DEFAULT_LANGUAGE, DEFAULT_SCRIPT, LANG_COOKIE, LANGUAGES, SCRIPT_COOKIE, SCRIPTS,
                   choose, display, html_lang, label)
from .links import LINKS_FILE, LinkIndex, compare_url, load_links
from .normalize import merge_spans
from .search import MAX_PAGE_SIZE, SYNTAX, Engine

log = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCHER_CORPUS": None,          # corpus folder (default: ./corpus)
    "SEARCHER_INDEX": None,           # index folder (default: <instance>/index)
    "SEARCHER_PAGE_SIZE": 20,         # hits per search page
    "SEARCHER_BUILD_IF_NEEDED": True,  # build the index on first start
    "SEARCHER_LINKS": None,           # links.json (default: the one in the index folder)
}
FILTERS = ("doc", "chapter", "section", "unit")
_PROVISION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}/[A-Za-z0-9][A-Za-z0-9.\-]{0,80}$")
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
COOKIE_AGE = 365 * 24 * 3600
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

bp = Blueprint("pages", __name__)


# --------------------------------------------------------------------------- the library


class Library:
    """What the pages read: the search engine (with its corpus) and the cross-document links."""

    REFRESH_EVERY = 1.0  # seconds between checks for a newly published index generation

    def __init__(self, engine, links_path: Path | None):
        self.engine = engine
        self.links_path = links_path
        self._links = None
        self._links_key = None
        self._units: tuple[object, list[str]] = (None, [])
        self._checked = 0.0
        self._lock = threading.Lock()

    @property
    def corpus(self):
        return self.engine.corpus

    def refresh(self) -> None:
        """Pick up a newly published index generation (at most once a second)."""
        now = time.monotonic()
        if now - self._checked >= self.REFRESH_EVERY:
            self._checked = now
            try:
                self.engine.refresh()
            except SearcherError as error:  # a broken new generation: keep answering from the current one
                log.error("Could not switch to the new index generation: %s", error)

    def unit_names(self) -> list[str]:
        """Responsible units named in the corpus, most frequent first (for the unit filter)."""
        corpus = self.corpus
        if self._units[0] is not corpus:
            counts: dict[str, int] = {}
            for provision in corpus.provisions():
                if provision.units:
                    for name in provision.units.lead + provision.units.participating:
                        counts[name] = counts.get(name, 0) + 1
            self._units = (corpus, sorted(counts, key=lambda name: (-counts[name], name)))
        return self._units[1]

    def links_file(self) -> Path | None:
        """links.json of the index generation in use (built with it), or None."""
        if self.links_path is not None:
            return self.links_path
        candidate = Path(self.engine.index_root) / self.engine.generation / LINKS_FILE
        return candidate if candidate.is_file() else None

    def links(self) -> LinkIndex:
        """The link index, reloaded when its file changes; empty (and logged) when there is none."""
        path = self.links_file()
        key = (path, path.stat().st_mtime_ns) if path is not None and path.is_file() else None
        with self._lock:
            if self._links is None or key != self._links_key:
                if key is None:
                    log.warning("No %s in %s: pages show no cross-document links. Run `searcher build`.",
                                LINKS_FILE, self.engine.index_root)
                self._links = load_links(path) if key else LinkIndex([], [d.id for d in self.corpus.documents])
                self._links_key = key
            return self._links


def _flag(value) -> bool:
    """A boolean setting, which may come from an environment variable ("0", "false", "no", "off")."""
    return value.strip().lower() not in ("", "0", "false", "no", "off") if isinstance(value, str) else bool(value)


def _open_library(app: Flask) -> Library:
    engine = app.config.get("SEARCHER_ENGINE")  # an open Engine to share (tests, benchmarks)
    index_dir = Path(app.config["SEARCHER_INDEX"] or Path(app.instance_path) / "index")
    if engine is None:
        engine = Engine.open(paths.corpus_dir(app.config["SEARCHER_CORPUS"]), index_dir,
                             build_if_needed=_flag(app.config["SEARCHER_BUILD_IF_NEEDED"]))
    links_path = app.config.get("SEARCHER_LINKS")
    return Library(engine, Path(links_path) if links_path else None)


def library() -> Library:
    return current_app.extensions["searcher"]


# --------------------------------------------------------------------------- the factory


def create_app(config: dict | None = None) -> Flask:
    """Create the app: defaults, then instance/searcher.cfg, then SEARCHER_* variables, then ``config``.

    The instance folder is ./instance (Flask's default), or $SEARCHER_INSTANCE.
    """
    instance = os.environ.get("SEARCHER_INSTANCE")
    app = Flask(__name__, instance_relative_config=True, instance_path=str(Path(instance).resolve()) if instance else None,
                template_folder=str(paths.PROJECT_ROOT / "templates"),
                static_folder=str(paths.PROJECT_ROOT / "static"))
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile("searcher.cfg", silent=True)
    app.config.update({key: os.environ[key] for key in DEFAULTS if key in os.environ})
    app.config.update(config or {})
    size = str(app.config["SEARCHER_PAGE_SIZE"])
    if not size.isdigit() or not 1 <= int(size) <= MAX_PAGE_SIZE:
        raise SearcherError(f"SEARCHER_PAGE_SIZE={size!r} is not a page size.", 500,
                            f"Set it to the number of hits per page, 1 to {MAX_PAGE_SIZE}.")
    app.config["SEARCHER_PAGE_SIZE"] = int(size)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["searcher"] = _open_library(app)
    app.register_blueprint(bp)
    app.register_error_handler(Exception, _handle_error)
    app.after_request(_security_headers)
    app.before_request(_read_preferences)
    app.jinja_env.globals.update(t=_t, display=_display, lang_of=_lang_of, marked=marked,
                                 toggle_url=toggle_url, page_url=page_url, new_steps=new_steps,
                                 diff_segments=diff_segments, step_text=step_text,
                                 unit_options=lambda: library().unit_names())
    return app


def _read_preferences() -> None:
    library().refresh()
    g.lang = choose(request.cookies.get(LANG_COOKIE), LANGUAGES, DEFAULT_LANGUAGE)
    g.script = choose(request.cookies.get(SCRIPT_COOKIE), SCRIPTS, DEFAULT_SCRIPT)


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _handle_error(error: Exception):
    """The one error path: SearcherError, HTTP errors and anything unexpected."""
    if isinstance(error, SearcherError):
        status, message, hint = error.status, error.message, error.hint
        if status >= 500:
            log.error("%s %s: %s", request.method, request.path, error)
    elif isinstance(error, HTTPException):
        status = error.code or 500
        if status == 404:
            message, hint = _t("not_found"), _t("not_found_hint")
        else:
            message, hint = error.description or error.name, None
    else:
        log.exception("Unexpected error on %s %s", request.method, request.path)
        status, message, hint = 500, _t("server_error"), _t("server_error_hint")
    if request.path.startswith("/api/"):
        body = {"ok": False, "error": message, "status": status}
        if hint:
            body["hint"] = hint
        return jsonify(body), status
    return render_template("error.html", status=status, message=message, hint=hint,
                           query=request.args.get("q", "") if request.path == "/search" else None), status


# --------------------------------------------------------------------------- template helpers


def _t(key: str, **values) -> str:
    return label(key, getattr(g, "lang", DEFAULT_LANGUAGE), **values)


def _display(text: str, source_script: str) -> str:
    return display(text, source_script, getattr(g, "script", DEFAULT_SCRIPT))


def _lang_of(source_script: str) -> str:
    return html_lang(source_script, getattr(g, "script", DEFAULT_SCRIPT))


def marked(text: str, spans, source_script: str = "hans") -> Markup:
    """Show ``text`` in the reader's script with ``spans`` wrapped in ``<mark>``; every piece escaped.

    The spans are offsets into the source text; :func:`display` keeps the length, so they stay
    valid after conversion. Slicing happens before escaping, so an entity is never cut.
    """
    shown = _display(text, source_script)
    clean = merge_spans([(max(0, int(s)), min(len(shown), int(e))) for s, e in spans or [] if int(s) < int(e)])
    out, position = [], 0
    for start, end in clean:
        if start < position:
            continue
        out.append(escape(shown[position:start]))
        out.append(Markup("<mark>") + escape(shown[start:end]) + Markup("</mark>"))
        position = end
    out.append(escape(shown[position:]))
    return Markup("").join(out)


def step_text(step) -> str:
    """A heading path step as printed: 第三章 加快基础设施互联互通."""
    data = step if isinstance(step, dict) else step.to_dict()
    return f"{data['label']} {data['title']}".strip()


def new_steps(previous_path, path) -> list[dict]:
    """The heading steps that open before a provision (those not shared with the previous one)."""
    previous_ids = [s["id"] for s in previous_path or []]
    opened = []
    for depth, step in enumerate(path):
        if depth < len(previous_ids) and previous_ids[depth] == step["id"] and not opened:
            continue
        opened.append(dict(step, depth=depth))
    return opened


def toggle_url(name: str, value: str) -> str:
    """The current search URL with filter ``name=value`` added, or removed if already set."""
    args = request.args.to_dict(flat=False)
    values = args.get(name, [])
    args[name] = [v for v in values if v != value] if value in values else values + [value]
    args.pop("page", None)
    return "/search?" + urlencode([(k, v) for k, vs in args.items() for v in vs])


def page_url(page: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return "/search?" + urlencode([(k, v) for k, vs in args.items() for v in vs])


def diff_segments(text: str, ops: list[dict], side: str) -> list[tuple[str, str]]:
    """Cut one side (``"a"`` or ``"b"``) of a diff into (op, text) runs.

    op is equal, insert, delete, replace, or punctuation (a run where only punctuation differs).
    """
    segments = []
    for op in ops:
        start, end = op[side]
        if end > start:
            segments.append(("punctuation" if op.get("punctuation") else op["op"], text[start:end]))
    return segments


def _api_url() -> str:
    endpoint = request.endpoint or ""
    query = urlencode(list(request.args.items(multi=True)))
    base = url_for(endpoint + "_api", **(request.view_args or {}))
    return base + ("?" + query if query else "")


# --------------------------------------------------------------------------- page plumbing


def page(rule: str, api_rule: str, template: str):
    """Register a view under its HTML rule and its JSON twin; the view returns the context."""
    def decorator(view):
        name = view.__name__

        def html(**kwargs):
            context = view(**kwargs)
            return render_template(template, api_url=_api_url(), **context)

        def api(**kwargs):
            return jsonify(view(**kwargs))

        bp.add_url_rule(rule, name, html)
        bp.add_url_rule(api_rule, name + "_api", api)
        return view
    return decorator


def _document(doc_id: str) -> Document:
    document = library().corpus.document(doc_id) if _DOC_ID.match(doc_id) else None
    if document is None:
        raise SearcherError(f"No document {doc_id!r}.", 404, "The documents page lists every document.")
    return document


def _provision(provision_id: str) -> Provision:
    provision = library().corpus.provision(provision_id) if _PROVISION_ID.match(provision_id) else None
    if provision is None:
        raise SearcherError(f"No provision {provision_id!r}.", 404,
                            "Provision ids look like DOC/PATH, e.g. zhuxi-metro/1.1.p1; search for the text instead.")
    return provision


def document_summary(document: Document) -> dict:
    entry = document.entry.to_dict()
    return dict(entry, provisions=len(document.provisions), title=document.entry.title,
                url=f"/d/{document.id}", api_url=f"/api/docs/{document.id}")


def provision_summary(provision: Provision, document: Document) -> dict:
    data = provision.to_dict()
    data.update(url=permalink(provision.id), doc_url=f"/d/{document.id}#{provision.id}",
                doc_title=document.entry.title, script=document.entry.script,
                citation=citation(provision, document))
    return data


def _int_arg(name: str, default: int, minimum: int = 0) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < minimum:
        raise SearcherError(f"{name}={raw!r} is not a whole number of at least {minimum}.", 400)
    return int(raw)


# --------------------------------------------------------------------------- pages


@page("/", "/api/docs", "index.html")
def documents() -> dict:
    return {"documents": [document_summary(d) for d in library().corpus.documents]}


@page("/d/<doc_id>", "/api/docs/<doc_id>", "document.html")
def document(doc_id: str) -> dict:
    doc = _document(doc_id)
    query = request.args.get("q", "").strip()
    marks: dict[str, list] = {}
    if query:
        results = library().engine.search_all(query, filters={"doc": [doc.id]})
        marks = {hit.id: hit.highlights for hit in results.hits}
    return {"document": document_summary(doc), "outline": doc.outline(),
            "provisions": [provision_summary(p, doc) for p in doc.provisions],
            "query": query, "marks": marks, "warnings": doc.warnings}


@page("/p/<path:provision_id>", "/api/p/<path:provision_id>", "provision.html")
def provision(provision_id: str) -> dict:
    item = _provision(provision_id)
    corpus = library().corpus
    doc = corpus.document(item.doc_id)
    position = doc.provisions.index(item)
    previous = doc.provisions[position - 1] if position > 0 else None
    following = doc.provisions[position + 1] if position + 1 < len(doc.provisions) else None
    notes = [corpus.provision(n) for n in item.notes]
    return {
        "provision": provision_summary(item, doc),
        "document": document_summary(doc),
        "cite": {"citation": citation(item, doc), "gbt7714": gbt7714(doc), "permalink": permalink(item.id),
                 "url": request.host_url.rstrip("/") + permalink(item.id), "quote": item.text,
                 "hash": text_hash(item)},
        "previous": _neighbour(previous),
        "next": _neighbour(following),
        "notes": [provision_summary(n, doc) for n in notes if n is not None],
        "links": _links_of(item),
    }


def _neighbour(item: Provision | None) -> dict | None:
    return item and {"id": item.id, "url": permalink(item.id), "label": item.label, "title": item.title}


def _links_of(item: Provision) -> list[dict]:
    corpus = library().corpus
    out = []
    for view in library().links().for_provision(item.id):
        other = corpus.provision(view.id)
        if other is None:
            continue
        other_doc = corpus.document(other.doc_id)
        out.append({"id": view.id, "doc": view.doc, "kind": view.kind, "similarity": view.similarity,
                    "spans": view.spans, "shared_chars": view.shared_chars, "boilerplate": view.boilerplate,
                    "compare_url": view.compare_url, "url": permalink(view.id),
                    "doc_title": other_doc.entry.title, "script": other_doc.entry.script,
                    "path": [s.to_dict() for s in other.path], "label": other.label, "text": other.text,
                    "citation": citation(other, other_doc)})
    return out


def _filters() -> dict[str, list[str]]:
    return {name: [v for v in request.args.getlist(name) if v][:20] for name in FILTERS if request.args.getlist(name)}


@page("/search", "/api/search", "search.html")
def search() -> dict:
    query = request.args.get("q", "").strip()
    filters = _filters()
    page_number = _int_arg("page", 1, minimum=1)
    size = current_app.config["SEARCHER_PAGE_SIZE"]
    if query or filters:
        context = library().engine.search(query, filters=filters, page=page_number, size=size).to_dict()
        links = library().links()
        for hit in context["hits"]:
            hit["shared_docs"] = sorted(links.other_documents(hit["id"]))
    else:  # the empty search page: just the box
        context = {"query": "", "total": None, "page": page_number, "size": size, "facets": {"doc": {}, "chapter": {}},
                   "hits": [], "warnings": [], "interpreted": "", "filters": {}}
    context["url_filters"] = filters  # the filters in the URL (the facets toggle these)
    context["documents"] = {d.id: d.entry.title for d in library().corpus.documents}
    return context


@page("/compare", "/api/compare", "compare.html")
def compare() -> dict:
    a_id, b_id = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    if not a_id and not b_id:
        return {"a": None, "b": None, "diff": None}
    if not a_id or not b_id:
        raise SearcherError("Compare needs two provisions.", 400, "Give both: /compare?a=ID&b=ID.")
    corpus = library().corpus
    a, b = _provision(a_id), _provision(b_id)
    result = diff(a.text, b.text).to_dict()
    percent = re.search(r"(\d+)% similar", result["summary"])  # the summary's own (floored) figure
    result["percent"] = int(percent.group(1)) if percent else round(result["similarity"] * 100)
    return {
        "a": provision_summary(a, corpus.document(a.doc_id)),
        "b": provision_summary(b, corpus.document(b.doc_id)),
        "diff": result,
    }


@page("/links", "/api/links", "links.html")
def links_overview() -> dict:
    kind = request.args.get("kind", "") or None
    if kind not in (None, "identical", "similar"):
        raise SearcherError(f"kind={kind!r} is unknown.", 400, "Use kind=identical or kind=similar, or leave it out.")
    min_length = _int_arg("min_length", 0)
    index = library().links()
    corpus = library().corpus
    context = {"kind": kind, "min_length": min_length, "matrix": index.matrix(kind=kind, min_length=min_length),
               "documents": {d.id: document_summary(d)["title"] for d in corpus.documents},
               "a": None, "b": None, "pairs": None}
    a, b = request.args.get("a", ""), request.args.get("b", "")
    if a or b:
        _document(a), _document(b)
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


@page("/help", "/api/help", "syntax.html")
def syntax_help() -> dict:
    return {"syntax": list(SYNTAX)}


# --------------------------------------------------------------------------- preferences


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@bp.route("/prefs")
def preferences():
    """Remember the interface language and display script in cookies, then go back."""
    response = redirect(_safe_next(request.args.get("next")), code=303)
    for name, cookie, allowed in (("lang", LANG_COOKIE, LANGUAGES), ("script", SCRIPT_COOKIE, SCRIPTS)):
        value = request.args.get(name)
        if value in allowed:
            response.set_cookie(cookie, value, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    return response


__all__ = ["create_app", "Library", "marked"]
