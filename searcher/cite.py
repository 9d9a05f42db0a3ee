"""Cite stage: a Provision -> the strings a researcher pastes into a paper.

Sits beside the pages at the end of the pipeline (hits -> pages): every search hit and every
provision page carries a Chinese legal-style citation, the document's GB/T 7714-2015
reference, a permalink and a short hash of the text, so a later reader can find the passage
and tell whether it has changed since it was cited.

Citation forms (written in the script of the source, so the Traditional Framework Agreement
is cited in Traditional characters):

=========================  =====================================================
provision                  locator after 《title》
=========================  =====================================================
paragraph, bullet          its heading path, then 第N段: N counts the unnumbered
                           paragraphs (bullets included) of the same container, as
                           a reader counts them on the page
numbered item              第N项; the heading path is left out when the item
                           numbers run through the body (an action plan's tasks)
clause, part               第（N）条 / 第N部分, under their heading path
box entry                  专栏N (boxes are numbered through the document), then
                           the box's own parts and 第N段 or 第N项
footnote                   脚注N (footnotes are numbered through the document)
front matter               卷首 (the title block: parties, title)
annex                      附件, then the entry as above
=========================  =====================================================

>>> from searcher.corpus import PathStep
>>> _step_locator(PathStep("d/3", "chapter", "第三章", "加快基础设施互联互通"))
'第三章'
>>> _step_locator(PathStep("d/2", "part", "二、", "合作重点领域"))
'第二部分'
"""
from __future__ import annotations

import hashlib
import re
from collections import OrderedDict

from .corpus import Document, Heading, PathStep, Provision
from .normalize import to_script

UNNUMBERED_KINDS = ("paragraph", "bullet", "closing")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_CN_NUMBER = re.compile(r"[一二三四五六七八九十百零〇两]+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
MAX_AUTHORS = 3  # GB/T 7714-2015 §8.1.2: more than three responsible parties -> first three, 等


def _number(label: str, pattern: re.Pattern = _CN_NUMBER) -> str:
    match = pattern.search(label.translate(_SUPERSCRIPT))
    return match.group(0) if match else ""


def _step_locator(step: PathStep) -> str:
    """The locator of one heading-path step, e.g. 第三章, 第一节, 第二部分, 专栏3."""
    label = _SPACES.sub("", step.label)
    if step.kind == "part":
        return f"第{_number(label)}部分"
    if step.kind == "clause":
        return f"第（{_number(label)}）条"
    if step.kind == "box":
        return f"专栏{_number(label, _DIGITS)}"
    if step.kind == "preface":
        return "前言"
    if step.kind == "annex":
        return "附件"
    return label  # chapter 第三章, section 第一节: as printed


def _container(provision: Provision) -> str:
    return provision.path[-1].id if provision.path else ""


def _scope(provision: Provision) -> str:
    """Where item numbers are counted: the body, the annex, or a box (boxes restart at 1)."""
    kinds = {step.kind for step in provision.path}
    return "box" if "box" in kinds else "annex" if "annex" in kinds else "body"


class _DocumentFacts:
    """Per-document counts that a citation needs: paragraph ordinals, repeated item numbers."""

    def __init__(self, document: Document):
        self.document = document
        self.ordinal: dict[str, int] = {}
        counts: dict[str, int] = {}
        item_numbers: dict[tuple[str, str], int] = {}
        for provision in document.provisions:
            if provision.kind in UNNUMBERED_KINDS:
                key = _container(provision)
                counts[key] = counts.get(key, 0) + 1
                self.ordinal[provision.id] = counts[key]
            elif provision.kind == "item":
                key2 = (_scope(provision), _number(provision.label, _DIGITS))
                item_numbers[key2] = item_numbers.get(key2, 0) + 1
        boxes = [h.label for h in document.headings if h.kind == "box"]
        self.boxes_run_through = len(boxes) == len(set(boxes))
        self.items_run_through = {scope: all(n == 1 for (s, _), n in item_numbers.items() if s == scope)
                                  for scope in ("body", "annex")}
        self.items_run_through["box"] = False


_FACTS: OrderedDict[int, _DocumentFacts] = OrderedDict()


def _facts(document: Document) -> _DocumentFacts:
    """Facts for ``document``, cached for the last few documents seen (they are rebuilt rarely)."""
    facts = _FACTS.get(id(document))
    if facts is None or facts.document is not document:
        facts = _DocumentFacts(document)
        _FACTS[id(document)] = facts
        while len(_FACTS) > 64:
            _FACTS.popitem(last=False)
    return facts


def locator(provision: Provision, document: Document) -> str:
    """The part of the citation after the title, in Simplified characters (第三章第一节第4段)."""
    kind = provision.kind
    if kind == "footnote":
        return f"脚注{_number(provision.label, _DIGITS)}"
    if kind == "front-matter":
        return "卷首"
    facts = _facts(document)
    path = provision.path
    boxes = [n for n, step in enumerate(path) if step.kind == "box"]
    if boxes and facts.boxes_run_through:
        path = path[boxes[0]:]
    steps = [_step_locator(step) for step in path]
    if kind == "item":
        number = _number(provision.label, _DIGITS)
        scope = _scope(provision)
        if facts.items_run_through[scope]:
            steps = ["附件"] if scope == "annex" else []
        return "".join(steps) + f"第{number}项"
    if kind == "clause":
        return "".join(steps) + f"第（{_number(provision.label)}）条"
    if kind == "part":
        return "".join(steps) + f"第{_number(provision.label)}部分"
    return "".join(steps) + f"第{facts.ordinal.get(provision.id, 1)}段"


def heading_citation(heading: Heading, document: Document) -> str:
    """Cite a heading as its place in the plan: 《珠江口西岸都市圈发展规划》第三章第一节; the title alone for the title."""
    by_id = {h.id: h for h in document.headings}
    steps, current = [], heading
    while current is not None and current.kind != "title":
        steps.append(PathStep(current.id, current.kind, current.label, current.title))
        current = by_id.get(current.parent or "")
    where = "".join(_step_locator(step) for step in reversed(steps))
    if document.entry.script == "hant":
        where = to_script(where, "hant")
    return f"《{document.entry.title}》{where}"


def citation(provision: Provision, document: Document) -> str:
    """Cite a provision in Chinese legal style, in the script of its source.

    e.g. 《珠江口西岸都市圈发展规划》第三章第一节第4段, 《广东省推进粤港澳大湾区建设三年行动计划》第12项.
    """
    where = locator(provision, document)
    if document.entry.script == "hant":
        where = to_script(where, "hant")
    return f"《{document.entry.title}》{where}"


def gbt7714(document: Document) -> str:
    """The document's reference in GB/T 7714-2015 form, from catalog fields only.

    Issuers (at most three, then 等), title with the type code [Z] (other: a policy document),
    date; a field the catalog leaves empty is left out, never guessed.
    """
    entry = document.entry
    script = entry.script
    issuers = [to_script(i, script) for i in entry.issuers]
    if len(issuers) > MAX_AUTHORS:
        issuers = issuers[:MAX_AUTHORS] + [to_script("等", script)]
    parts = []
    if issuers:
        parts.append(", ".join(issuers) + ".")
    parts.append(f"{entry.title}[Z].")
    if entry.date:
        parts.append(f"{entry.date}.")
    return " ".join(parts)


def permalink(provision_id: str) -> str:
    """The stable path of a provision's page."""
    return f"/p/{provision_id}"


def text_hash(provision: Provision) -> str:
    """A short SHA-256 of the provision text (12 hex digits), printed with the citation."""
    return hashlib.sha256(provision.text.encode("utf-8")).hexdigest()[:12]
