"""Units page: every responsible unit with the tasks it leads and takes part in, across plans."""
from __future__ import annotations

from flask import Blueprint

from .library import library
from .pages import page

bp = Blueprint("units", __name__)


@page(bp, "/units", "/api/units", "units.html")
def units() -> dict:
    corpus = library().corpus
    return {"units": library().units(), "documents": {d.id: d.entry.title for d in corpus.documents}}
