"""Glossary page: the English names of the glossary with the Chinese terms the plans use."""
from __future__ import annotations

from flask import Blueprint

from ..normalize import normalize_text
from .library import library
from .pages import page

bp = Blueprint("glossary", __name__)


@page(bp, "/glossary", "/api/glossary", "glossary.html")
def glossary() -> dict:
    engine = library().engine
    terms = []
    for term in library().corpus.glossary:
        terms.append(dict(term.to_dict(), records=len(engine.hit_ids(f'"{term.zh}"')) if normalize_text(term.zh) else 0))
    return {"terms": terms}
