"""Pages stage: hits -> pages. The Flask app factory, its blueprints and the one error path.

Last stage of the pipeline. Views are short: they call the library (corpus, search engine,
links, cite) and build one context dict, which the same view renders either as an HTML page
(``/search``) or as its JSON twin (``/api/search``); every page links to its twin with
``<link rel="alternate" type="application/json">``. No search logic lives here.

One blueprint per page family: :mod:`.documents` (catalog, reader, provision), :mod:`.search`
(results, help), :mod:`.compare` (compare, links), :mod:`.prefs` (language and script).

One error path: every :class:`SearcherError` (and every 404, and anything unexpected, which
is logged and answered with a bare 500) is rendered by :func:`_handle_error`, as JSON for
``/api/`` paths and as ``error.html`` otherwise. Every response carries a Content-Security-
Policy that allows no inline script or style, and ``X-Content-Type-Options: nosniff``.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .. import config as paths
from ..errors import SearcherError
from ..links import BOILERPLATE_PROVISIONS, MIN_SHARED, SIMILARITY, similarity_percent
from ..i18n import DEFAULT_LANGUAGE, DEFAULT_SCRIPT, LANG_COOKIE, LANGUAGES, SCRIPT_COOKIE, SCRIPTS, choose
from ..search import MAX_PAGE_SIZE
from . import cite, compare, documents, glossary, prefs, search, units, workbench
from .library import Library, library, open_library
from .render import (diff_segments, display_text, doc_title, lang_of, marked, new_steps, page_url, prefix_spans,
                     step_html, step_text, t, toggle_url)

log = logging.getLogger(__name__)

DEFAULTS = {
    "SEARCHER_CORPUS": None,          # corpus folder (default: ./corpus)
    "SEARCHER_INDEX": None,           # index folder (default: <instance>/index)
    "SEARCHER_PAGE_SIZE": 20,         # hits per search page
    "SEARCHER_BUILD_IF_NEEDED": True,  # build the index on first start
    "SEARCHER_LINKS": None,           # links.json (default: the one in the index folder)
    "SEARCHER_RESPONSE_CACHE": 1024,  # rendered responses kept per index generation (0: none)
}
# the link definitions' thresholds, for the labels that state them
LINK_PARAMS = {"min_shared": MIN_SHARED, "similar_percent": similarity_percent(SIMILARITY),
               "boilerplate_provisions": BOILERPLATE_PROVISIONS}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


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
        raise SearcherError("bad_page_size", 500, value=size, limit=MAX_PAGE_SIZE)
    app.config["SEARCHER_PAGE_SIZE"] = int(size)
    cache = str(app.config["SEARCHER_RESPONSE_CACHE"])
    if not cache.isdigit():
        raise SearcherError("bad_setting", 500, name="SEARCHER_RESPONSE_CACHE", value=cache)
    app.config["SEARCHER_RESPONSE_CACHE"] = int(cache)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["searcher"] = open_library(app)
    for blueprint in (documents.bp, search.bp, compare.bp, prefs.bp, units.bp, workbench.bp, cite.bp, glossary.bp):
        app.register_blueprint(blueprint)
    app.register_error_handler(Exception, _handle_error)
    app.after_request(_security_headers)
    app.before_request(_read_preferences)
    app.jinja_env.globals.update(t=t, display=display_text, lang_of=lang_of, marked=marked,
                                 toggle_url=toggle_url, doc_title=doc_title, step_html=step_html, page_url=page_url, new_steps=new_steps,
                                 diff_segments=diff_segments, step_text=step_text, percent=similarity_percent, prefix_spans=prefix_spans,
                                 link_params=LINK_PARAMS,
                                 unit_options=lambda: library().units())
    return app


def _read_preferences() -> None:
    library().refresh()
    g.lang = choose(request.args.get("lang") or request.cookies.get(LANG_COOKIE), LANGUAGES, DEFAULT_LANGUAGE)
    g.script = choose(request.cookies.get(SCRIPT_COOKIE), SCRIPTS, DEFAULT_SCRIPT)


def _security_headers(response):
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def _handle_error(error: Exception):
    """The one error path: SearcherError, HTTP errors and anything unexpected, in the reader's language."""
    if isinstance(error, HTTPException):
        status = error.code or 500
        error = SearcherError("not_found" if status == 404 else "http_error", status, http=status)
    elif not isinstance(error, SearcherError):
        log.exception("Unexpected error on %s %s", request.method, request.path)
        error = SearcherError("server_error", 500)
    elif error.status >= 500:
        log.error("%s %s: %s", request.method, request.path, error)
    lang = getattr(g, "lang", DEFAULT_LANGUAGE)
    if request.path.startswith("/api/"):
        return jsonify(error.to_dict(lang)), error.status
    message, hint = error.localized(lang)
    return render_template("error.html", status=error.status, message=message, hint=hint,
                           query=request.args.get("q", "") if request.path == "/search" else None), error.status


__all__ = ["create_app", "Library", "marked", "DEFAULTS"]
