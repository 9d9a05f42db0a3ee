"""Preferences: interface language and display script, remembered in cookies."""
from __future__ import annotations

from flask import Blueprint, redirect, request

from ..i18n import LANG_COOKIE, LANGUAGES, SCRIPT_COOKIE, SCRIPTS

COOKIE_AGE = 365 * 24 * 3600
bp = Blueprint("prefs", __name__)


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

