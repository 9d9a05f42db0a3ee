"""Page plumbing: one view function serves an HTML page and its JSON twin; lookups and arguments.

A view returns a context dict; :func:`page` registers it under its HTML rule (rendered with
its template) and its ``/api/`` rule (the same dict as JSON).

**Responses are cached per index generation.** A page depends only on the index generation,
the URL, the interface language, the display script, the host (citations carry absolute URLs)
and the day (online references carry an access date), so a rendered 200 is kept under that key
(:class:`ResponseCache`) and sent again without touching the engine; its ETag lets a browser or
a script revalidate with ``If-None-Match`` and get a bodiless 304. A new generation changes
every key, so nothing stale is ever served.
"""
from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict

from flask import Blueprint, Response, g, jsonify, render_template, request

from ..cite import access_date, citation, permalink
from ..corpus import Document, Provision
from ..errors import SearcherError
from .library import library
from .render import api_url

_PROVISION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}/[A-Za-z0-9][A-Za-z0-9.\-]{0,80}$")
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class ResponseCache:
    """Rendered 200 responses by (generation, URL, language, script, host, day); least recently used go first."""

    def __init__(self, size: int = 1024):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    @staticmethod
    def key() -> tuple:
        # the day is the citations' access date (China Standard Time), so a cached reference never goes stale
        return (library().engine.generation, request.full_path, getattr(g, "lang", ""), getattr(g, "script", ""),
                request.host, access_date().isoformat())

    def get(self, key: tuple):
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return found

    def put(self, key: tuple, body: bytes, mimetype: str) -> tuple[bytes, str, str]:
        etag = hashlib.sha256(repr(key).encode("utf-8") + body).hexdigest()[:32]
        if self.size:
            with self._lock:
                self._entries[key] = (body, mimetype, etag)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return body, mimetype, etag


def _cached(render):
    """Answer from the app's response cache (or 304), else render, keep a 200, and send it with its ETag."""
    cache = library().responses
    key = cache.key()
    entry = cache.get(key) if cache.size else None
    if entry is None:
        response = render()
        if not isinstance(response, Response):
            response = Response(response, mimetype="text/html")
        if response.status_code != 200 or response.direct_passthrough or "Content-Disposition" in response.headers:
            return response           # errors, redirects and downloads are answered as they are
        entry = cache.put(key, response.get_data(), response.mimetype)
    body, mimetype, etag = entry
    response = Response(body, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"   # may be stored, but revalidated: a new index changes it
    return response.make_conditional(request)


def page(bp: Blueprint, rule: str, api_rule: str, template: str):
    """Register a view under its HTML rule and its JSON twin; the view returns the context."""
    def decorator(view):
        name = view.__name__

        def html(**kwargs):
            def render():
                context = view(**kwargs)
                if not isinstance(context, dict):   # a view may answer with a response of its own (a redirect)
                    return context
                return render_template(template, api_url=api_url(), **context)
            return _cached(render)

        def api(**kwargs):
            def render():
                context = view(**kwargs)
                return jsonify(context) if isinstance(context, dict) else context
            return _cached(render)

        bp.add_url_rule(rule, name, html)
        bp.add_url_rule(api_rule, name + "_api", api)
        return view
    return decorator


def find_document(doc_id: str) -> Document:
    document = library().corpus.document(doc_id) if _DOC_ID.match(doc_id) else None
    if document is None:
        raise SearcherError("no_document", 404, doc=doc_id)
    return document


def find_provision(provision_id: str) -> Provision:
    provision = library().corpus.provision(provision_id) if _PROVISION_ID.match(provision_id) else None
    if provision is None:
        raise SearcherError("no_provision", 404, provision=provision_id)
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


def int_arg(name: str, default: int, minimum: int = 0) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 9 or int(raw) < minimum:
        raise SearcherError("bad_number", 400, name=name, value=raw, minimum=minimum)
    return int(raw)


def flag_arg(name: str) -> bool:
    """A yes/no request argument: ``1`` is yes, absent or empty is no."""
    raw = request.args.get(name, "")
    if raw not in ("", "0", "1"):
        raise SearcherError("bad_choice", 400, name=name, value=raw, allowed="0, 1")
    return raw == "1"


def choice_arg(name: str, allowed: tuple[str, ...]) -> str:
    """A request argument that must be one of ``allowed`` (the first is the default)."""
    raw = request.args.get(name, "") or allowed[0]
    if raw not in allowed:
        raise SearcherError("bad_choice", 400, name=name, value=raw, allowed=", ".join(allowed))
    return raw

