"""Citation pages: CSL-JSON, RIS and BibTeX downloads; the provision page's citation block; meta tags.

Every record comes from :func:`searcher.cite.csl_record` (base URL = this site, access date =
the day of the request); views only pick the records and serialise them.

``GET /api/p/<id>/cite``, ``/api/docs/<id>/cite`` and ``/api/search/cite?q=…`` (every exact hit
of the query on all pages, with the filters and sort of ``/api/search``) take
``format=csl-json|ris|bibtex`` (CSL-JSON unless given) and answer a download.
"""
from __future__ import annotations

from flask import Blueprint, Response, request

from ..cite import (FORMATS, access_date, citation, coins, csl_record, highwire_tags, locator, permalink, reference,
                    text_hash)
from ..corpus import Document, Heading, Provision
from ..errors import SearcherError
from ..search import SORTS, Hit
from .library import library
from .pages import choice_arg, find_document, find_provision
from .search import _filters

bp = Blueprint("cite", __name__)


def _record(document: Document, part: Provision | Heading | None = None) -> dict:
    return csl_record(document, part, base_url=request.host_url.rstrip("/"), accessed=access_date())


def download_urls(api_path: str) -> dict[str, str]:
    """The download URL of each format for one cite endpoint."""
    return {name: f"{api_path}?format={name}" for name in FORMATS}


def provision_cite(item: Provision, document: Document) -> dict:
    """The ``cite`` block of a provision page and its JSON twin."""
    day = access_date()
    record = csl_record(document, item, base_url=request.host_url.rstrip("/"), accessed=day)
    return {"citation": citation(item, document), "locator": locator(item, document), "excerpt": not item.complete,
            "gbt7714": reference(record), "accessed": day.isoformat(), "csl": record, "permalink": permalink(item.id),
            "url": record["URL"],
            "quote": item.text, "hash": text_hash(item),
            "downloads": download_urls(f"/api/p/{item.id}/cite"),
            "document_downloads": download_urls(f"/api/docs/{document.id}/cite")}


def _download(records: list[dict], stem: str, fmt: str) -> Response:
    media_type, extension, serialise = FORMATS[fmt]
    response = Response(serialise(records), content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response


def _format() -> str:
    return choice_arg("format", tuple(FORMATS))


@bp.route("/api/p/<path:provision_id>/cite")
def provision_download(provision_id: str):
    fmt = _format()
    item = find_provision(provision_id)
    document = library().corpus.document(item.doc_id)
    return _download([_record(document, item)], item.id.replace("/", "_"), fmt)


@bp.route("/api/docs/<doc_id>/cite")
def document_download(doc_id: str):
    fmt = _format()
    document = find_document(doc_id)
    return _download([_record(document)], document.id, fmt)


@bp.route("/api/search/cite")
def search_download():
    fmt = _format()
    query = request.args.get("q", "").strip()
    filters = _filters()
    if not query and not filters:
        raise SearcherError("cite_needs_query", 400)
    sort = choice_arg("sort", SORTS)
    results = library().engine.search_all(query, filters=filters, sort=sort)
    return _download([_hit_record(hit) for hit in results.hits], "search-results", fmt)


def _hit_record(hit: Hit) -> dict:
    document = library().corpus.document(hit.doc)
    if hit.kind == "heading":
        heading = next(h for h in document.headings if f"{document.id}/{h.id}" == hit.id)
        return _record(document, heading)
    return _record(document, document.provision(hit.id))


@bp.app_template_global()
def document_record(doc_id: str) -> dict:
    """The CSL record of a document (for its page's meta tags)."""
    return _record(find_document(doc_id))


bp.add_app_template_global(highwire_tags, "highwire_tags")
bp.add_app_template_global(coins, "coins")

__all__ = ["bp", "provision_cite", "download_urls"]
