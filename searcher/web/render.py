"""Template helpers: labels in the interface language, text in the reader's script, marked hits.

Registered as Jinja globals by :func:`searcher.web.create_app`; views never format text.
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import g, request, url_for
from markupsafe import Markup, escape

from ..i18n import DEFAULT_LANGUAGE, DEFAULT_SCRIPT, display, division_label, html_lang, label
from ..normalize import merge_spans


def t(key: str, **values) -> str:
    return label(key, getattr(g, "lang", DEFAULT_LANGUAGE), **values)


def display_text(text: str, source_script: str) -> str:
    return display(text, source_script, getattr(g, "script", DEFAULT_SCRIPT))


def lang_of(source_script: str) -> str:
    return html_lang(source_script, getattr(g, "script", DEFAULT_SCRIPT))


def marked(text: str, spans, source_script: str = "hans") -> Markup:
    """Show ``text`` in the reader's script with ``spans`` wrapped in ``<mark>``; every piece escaped.

    The spans are offsets into the source text; :func:`display` keeps the length, so they stay
    valid after conversion. Slicing happens before escaping, so an entity is never cut.
    """
    shown = display_text(text, source_script)
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


def prefix_spans(spans, length: int) -> list[list[int]]:
    """The parts of ``spans`` that fall in the first ``length`` characters (a lead-in title's marks).

    >>> prefix_spans([[0, 2], [3, 8], [9, 12]], 5)
    [[0, 2], [3, 5]]
    """
    return [[s, min(e, length)] for s, e in spans or [] if s < length]


def doc_title(doc_id: str) -> str:
    """A document's title in the interface language: the source's own title, or the catalog's English one."""
    from .library import library

    document = library().corpus.document(doc_id)
    if document is None:
        return doc_id
    entry = document.entry
    if getattr(g, "lang", DEFAULT_LANGUAGE) == "en" and entry.title_en:
        return entry.title_en
    return display_text(entry.title, entry.script)


def step_html(step, script: str) -> Markup:
    """A heading-path step as the reader sees it: its number in the interface language, its title as printed.

    Highlights (offsets into "label title") stay on the title's characters.
    """
    data = step if isinstance(step, dict) else step.to_dict()
    label, title = data["label"], data["title"]
    shown = division_label(label, data["kind"], getattr(g, "lang", DEFAULT_LANGUAGE))
    spans = data.get("highlights") or []
    offset = len(label) + 1 if label else 0
    title_spans = [[max(0, s - offset), e - offset] for s, e in spans if e > offset]
    label_spans = [[s, min(e, len(label))] for s, e in spans if s < len(label)] if shown == label else []
    parts = [marked(label, label_spans, script) if shown == label else escape(shown)] if label else []
    if title:
        parts.append(marked(title, title_spans, script))
    return Markup(" ").join(parts)


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


def api_url() -> str:
    endpoint = request.endpoint or ""
    query = urlencode(list(request.args.items(multi=True)))
    base = url_for(endpoint + "_api", **(request.view_args or {}))
    return base + ("?" + query if query else "")

