"""Page plumbing: one view function serves an HTML page and its JSON twin; lookups and arguments.

A view returns a context dict; :func:`page` registers it under its HTML rule (rendered with
its template) and its ``/api/`` rule (the same dict as JSON).
"""
from __future__ import annotations

import re

from flask import Blueprint, jsonify, render_template, request

from ..cite import citation, permalink
from ..corpus import Document, Provision
from ..errors import SearcherError
from .library import library
from .render import api_url

_PROVISION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}/[A-Za-z0-9][A-Za-z0-9.\-]{0,80}$")
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def page(bp: Blueprint, rule: str, api_rule: str, template: str):
    """Register a view under its HTML rule and its JSON twin; the view returns the context."""
    def decorator(view):
        name = view.__name__

        def html(**kwargs):
            context = view(**kwargs)
            if not isinstance(context, dict):   # a view may answer with a response of its own (a redirect)
                return context
            return render_template(template, api_url=api_url(), **context)

        def api(**kwargs):
            context = view(**kwargs)
            return jsonify(context) if isinstance(context, dict) else context

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


def choice_arg(name: str, allowed: tuple[str, ...]) -> str:
    """A request argument that must be one of ``allowed`` (the first is the default)."""
    raw = request.args.get(name, "") or allowed[0]
    if raw not in allowed:
        raise SearcherError("bad_choice", 400, name=name, value=raw, allowed=", ".join(allowed))
    return raw

