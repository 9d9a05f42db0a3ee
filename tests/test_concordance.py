"""The workbench: concordance lines, sorting, paging, frequencies, rates and the CSV/JSON exports.

The oracle is a brute-force scan over every record (``Engine.records()``, normalised with
``normalize_text``): the concordance's total and per-document counts, the search page's
occurrence count and the frequency table must all equal it.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
from collections import Counter
from urllib.parse import unquote

import pytest

from searcher.concordance import (concordance_lines, document_sizes, parse_sort, per_10000, sort_lines,
                                  split_terms)
from searcher.errors import SearcherError
from searcher.normalize import normalize_text
from searcher.web import create_app

from .conftest import FIXTURES, open_engine

BOM = "\ufeff"


@pytest.fixture(scope="module")
def tiny_engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-workbench")
    shutil.copytree(FIXTURES / "tiny", root / "corpus")
    return open_engine(root / "corpus", root / "index")


@pytest.fixture(scope="module")
def client(tiny_engine):
    return create_app({"SEARCHER_ENGINE": tiny_engine, "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def real_client(real_engine):
    return create_app({"SEARCHER_ENGINE": real_engine, "TESTING": True}).test_client()


def lines_of(client, **params) -> list[tuple[str, int, str]]:
    body = client.get("/api/concordance", query_string=dict(params, size=1000)).get_json()
    return [(line["id"], line["offset"], line["match"]) for line in body["lines"]]


def parse_csv(response) -> list[dict]:
    text = response.get_data().decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM):], newline="")))


# --------------------------------------------------------------------------- the oracle

# query -> (terms that must all occur, terms of which one must occur, terms that must not, document)
ORACLE_QUERIES = {
    "发展": (["发展"], [], [], None),
    "灣區": (["湾区"], [], [], None),
    "创新 合作": (["创新", "合作"], [], [], None),
    "发展 -香港": (["发展"], [], ["香港"], None),
    "前海 OR 南沙": ([], ["前海", "南沙"], [], None),
    "湾区 doc:framework-agreement": (["湾区"], [], [], "framework-agreement"),
    "建设 建设": (["建设"], [], [], None),
    "区 湾区": (["区", "湾区"], [], [], None),
}


def brute_force(engine, query: str) -> tuple[int, Counter]:
    """Occurrences of the query's positive terms in the records that match it, by scanning every record."""
    every, some, none, doc = ORACLE_QUERIES[query]
    terms = list(dict.fromkeys(every + some))
    per_doc: Counter = Counter()
    for record in engine.records():
        text = normalize_text(record.text)
        if doc and record.doc_id != doc:
            continue
        if all(t in text for t in every) and (not some or any(t in text for t in some)) \
                and not any(t in text for t in none):
            count = 0
            for term in terms:                       # non-overlapping, left to right, per term
                start = text.find(term)
                while start != -1:
                    count += 1
                    start = text.find(term, start + len(term))
            if count:
                per_doc[record.doc_id] += count
    return sum(per_doc.values()), per_doc


@pytest.mark.parametrize("query", list(ORACLE_QUERIES))
def test_concordance_search_and_frequencies_count_the_same_occurrences_as_a_scan(real_client, real_engine, query):
    total, per_doc = brute_force(real_engine, query)
    assert total > 0
    concordance = real_client.get("/api/concordance", query_string={"q": query, "size": 1}).get_json()
    search = real_client.get("/api/search", query_string={"q": query}).get_json()
    frequencies = real_client.get("/api/frequencies", query_string={"q": query}).get_json()
    row = frequencies["terms"][0]
    assert concordance["total"] == search["occurrences"] == row["total"] == total
    assert concordance["per_document"] == dict(per_doc)
    assert {d["doc"]: d["occurrences"] for d in row["documents"] if d["occurrences"]} == dict(per_doc)
    assert concordance["hits"] == search["total"] == row["hits"]


@pytest.mark.parametrize("query", ["发展", "灣區", "区 湾区"])
def test_every_line_is_its_terms_match_at_its_offset_in_the_source_text(real_client, real_engine, query):
    records = {record.id: record for record in real_engine.records()}
    body = real_client.get("/api/concordance", query_string={"q": query, "size": 1000, "context": 12}).get_json()
    assert len(body["lines"]) == min(1000, body["total"])
    for line in body["lines"]:
        text = records[line["id"]].text
        start, end = line["offset"], line["offset"] + len(line["match"])
        assert text[start:end] == line["match"] and normalize_text(line["match"]) == line["term"]
        assert line["left"] == text[max(0, start - 12):start] and line["right"] == text[end:end + 12]
        assert line["doc"] == records[line["id"]].doc_id


def test_division_counts_add_up_to_the_document_and_characters_to_the_scan(real_client, real_engine):
    body = real_client.get("/api/frequencies", query_string={"q": ["发展", "合作"]}).get_json()
    chars: Counter = Counter()
    for record in real_engine.records():
        chars[record.doc_id] += len(normalize_text(record.text))
    assert {d["id"]: d["characters"] for d in body["documents"]} == dict(chars)
    assert body["characters"] == sum(chars.values())
    for document in body["documents"]:
        assert sum(d["characters"] for d in document["divisions"]) == document["characters"]
    for row in body["terms"]:
        for document, cell in zip(body["documents"], row["documents"]):
            assert sum(d["occurrences"] for d in cell["divisions"]) == cell["occurrences"]
            assert cell["per_10000"] == round(cell["occurrences"] * 10000 / document["characters"], 2)
            for division, count in zip(document["divisions"], cell["divisions"]):
                assert count["id"] == division["id"]
                assert count["per_10000"] == per_10000(count["occurrences"], division["characters"])


def test_division_counts_equal_the_concordance_with_that_division_filter(real_client):
    body = real_client.get("/api/frequencies", query_string={"q": "创新"}).get_json()
    document = body["documents"][0]
    for division, count in zip(document["divisions"], body["terms"][0]["documents"][0]["divisions"]):
        if division["id"]:
            filtered = real_client.get("/api/concordance",
                                       query_string={"q": "创新", "chapter": division["id"], "size": 1}).get_json()
            assert filtered["total"] == count["occurrences"], division["id"]


# --------------------------------------------------------------------------- lines, sorting, paging (tiny corpus)


def test_lines_come_in_document_order_with_source_script_contexts(client):
    body = client.get("/api/concordance", query_string={"q": "湾区", "context": 6}).get_json()
    assert body["total"] == 7 and body["hits"] == 5
    assert body["per_document"] == {"sample-plan": 5, "sample-agreement": 2}
    assert [(line["id"], line["offset"], line["left"], line["match"], line["right"]) for line in body["lines"]] == [
        ("sample-plan/preface.p1", 8, "划是粤港澳大", "湾区", "的示例规划，"),
        ("sample-plan/1.p1", 10, "驱动，推动大", "湾区", "高质量发展。"),
        ("sample-plan/1.1.p1", 24, "战略，推动大", "湾区", "建设，支持I"),
        ("sample-plan/fn1", 1, "大", "湾区", "指粤港澳大湾"),
        ("sample-plan/fn1", 8, "区指粤港澳大", "湾区", "。"),
        ("sample-agreement/1.1", 28, "推進粵港澳大", "灣區", "建設，打造國"),
        ("sample-agreement/1.1", 39, "打造國際一流", "灣區", "。"),
    ]
    first = body["lines"][0]
    assert first["url"] == "/p/sample-plan/preface.p1" and first["kind"] == "paragraph" and first["n"] == 1
    assert first["division"] == {"id": "sample-plan/preface", "kind": "preface", "label": "前言", "title": ""}
    assert first["citation"]


@pytest.mark.parametrize("sort, expected", [
    ("position", [("sample-plan/1.p1", 2), ("sample-plan/1.1.p1", 0), ("sample-plan/1.1.p1", 12),
                  ("sample-plan/1.1.1.1", 6), ("sample-plan/1.1.1.1", 19), ("sample-agreement/1.2.p1", 5)]),
    # left context read leftwards: "" < "，" (folded to ",") < 技科澳… < 技科际… < 持坚 < 施实
    ("left", [("sample-plan/1.1.p1", 0), ("sample-agreement/1.2.p1", 5), ("sample-plan/1.1.1.1", 19),
              ("sample-plan/1.1.1.1", 6), ("sample-plan/1.p1", 2), ("sample-plan/1.1.p1", 12)]),
    # right context: 中心 < 走廊 < 驱动，推 < 驱动，改 < 驅動。(folded 驱动。) < 驱动发
    ("right", [("sample-plan/1.1.1.1", 6), ("sample-plan/1.1.1.1", 19), ("sample-plan/1.p1", 2),
               ("sample-plan/1.1.p1", 0), ("sample-agreement/1.2.p1", 5), ("sample-plan/1.1.p1", 12)]),
    ("doc", [("sample-agreement/1.2.p1", 5), ("sample-plan/1.p1", 2), ("sample-plan/1.1.p1", 0),
             ("sample-plan/1.1.p1", 12), ("sample-plan/1.1.1.1", 6), ("sample-plan/1.1.1.1", 19)]),
    ("doc,left", [("sample-agreement/1.2.p1", 5), ("sample-plan/1.1.p1", 0), ("sample-plan/1.1.1.1", 19),
                  ("sample-plan/1.1.1.1", 6), ("sample-plan/1.p1", 2), ("sample-plan/1.1.p1", 12)]),
    ("match", [("sample-plan/1.p1", 2), ("sample-plan/1.1.p1", 0), ("sample-plan/1.1.p1", 12),
               ("sample-plan/1.1.1.1", 6), ("sample-plan/1.1.1.1", 19), ("sample-agreement/1.2.p1", 5)]),
])
def test_sorting_gives_the_exact_order(client, sort, expected):
    assert [(i, o) for i, o, _ in lines_of(client, q="创新", sort=sort)] == expected


def test_sort_levels_may_come_as_one_parameter_each(client):
    assert lines_of(client, q="创新", sort=["doc", "left"]) == lines_of(client, q="创新", sort="doc,left")


def test_scripts_sort_together_on_the_left(client):
    # 推動大|湾区 (Simplified) and 推進粵港澳大|灣區 (Traditional): both read 大 first
    order = [(i, o) for i, o, _ in lines_of(client, q="湾区", sort="left")]
    assert order == [("sample-plan/fn1", 1), ("sample-plan/1.p1", 10), ("sample-plan/1.1.p1", 24),
                     ("sample-plan/fn1", 8), ("sample-plan/preface.p1", 8), ("sample-agreement/1.1", 28),
                     ("sample-agreement/1.1", 39)]


def test_pages_of_lines_concatenate_to_all_lines(client):
    everything = client.get("/api/concordance", query_string={"q": "湾区", "sort": "right"}).get_json()["lines"]
    pages = []
    for number in (1, 2, 3, 4):
        body = client.get("/api/concordance", query_string={"q": "湾区", "sort": "right", "size": 2,
                                                            "page": number}).get_json()
        assert body["pages"] == 4 and body["total"] == 7 and body["page"] == number
        pages += body["lines"]
    assert pages == everything
    assert [line["n"] for line in pages] == list(range(1, 8))
    beyond = client.get("/api/concordance", query_string={"q": "湾区", "size": 2, "page": 9}).get_json()
    assert beyond["lines"] == [] and beyond["total"] == 7


def test_filters_in_parameters_and_in_the_query_agree(client):
    assert lines_of(client, q="湾区", doc="sample-agreement") == lines_of(client, q="湾区 doc:sample-agreement") \
        == [("sample-agreement/1.1", 28, "灣區"), ("sample-agreement/1.1", 39, "灣區")]


def test_headings_are_concordance_lines_linking_to_their_anchor(client):
    body = client.get("/api/concordance", query_string={"q": "总体要求"}).get_json()
    assert [(line["id"], line["kind"], line["url"]) for line in body["lines"]] == [
        ("sample-plan/1", "heading", "/d/sample-plan#sample-plan/1")]


def test_a_query_without_a_term_to_count_says_so(client):
    body = client.get("/api/concordance", query_string={"q": "-香港"}).get_json()
    assert body["total"] == 0 and body["hits"] > 0
    assert [w["code"] for w in body["warnings"]] == ["no_terms_to_count"]


def test_context_width_is_a_parameter(client):
    body = client.get("/api/concordance", query_string={"q": "创新", "context": 2}).get_json()
    assert body["context"] == 2
    assert [(line["left"], line["right"]) for line in body["lines"]][:2] == [("坚持", "驱动"), ("", "驱动")]


@pytest.mark.parametrize("params, code", [
    ({"q": "湾区", "sort": "random"}, "bad_choice"),
    ({"q": "湾区", "sort": "left,right,doc,match"}, "bad_sort_levels"),
    ({"q": "湾区", "sort": "left,left"}, "bad_sort_levels"),
    ({"q": "湾区", "context": "0"}, "bad_number"),
    ({"q": "湾区", "context": "201"}, "bad_context"),
    ({"q": "湾区", "size": "1001"}, "bad_lines_size"),
    ({"q": "湾区", "page": "x"}, "bad_number"),
    ({"q": "湾区", "format": "xml"}, "bad_choice"),
    ({"format": "csv"}, "empty_query"),
])
def test_bad_concordance_parameters_are_400_with_a_hint(client, params, code):
    response = client.get("/api/concordance", query_string=params)
    body = response.get_json()
    assert response.status_code == 400 and body["code"] == code and body["hint"]
    page = client.get("/concordance", query_string={k: v for k, v in params.items() if k != "format"})
    assert page.status_code in (200, 400) and "Traceback" not in page.get_data(as_text=True)


def test_frequency_parameters_are_checked(client):
    response = client.get("/api/frequencies", query_string={"q": ",".join("甲乙丙丁戊己庚辛壬")})
    assert response.status_code == 400 and response.get_json()["code"] == "too_many_frequency_terms"
    assert client.get("/api/frequencies", query_string={"format": "csv"}).get_json()["code"] == "empty_query"


def test_an_unknown_format_on_search_is_a_400(client):
    response = client.get("/api/search", query_string={"q": "湾区", "format": "xlsx"})
    assert response.status_code == 400 and response.get_json()["code"] == "bad_choice"


# --------------------------------------------------------------------------- frequencies (tiny corpus)


def test_frequency_table_of_two_terms(client):
    body = client.get("/api/frequencies", query_string={"q": "创新，灣區"}).get_json()
    assert body["queries"] == ["创新", "灣區"]
    assert [d["id"] for d in body["documents"]] == ["sample-plan", "sample-agreement"]
    plan = body["documents"][0]
    assert [(d["id"], d["label"]) for d in plan["divisions"]] == [
        ("", ""), ("sample-plan/preface", "前言"), ("sample-plan/1", "第一章"), ("sample-plan/annex", "附件")]
    innovation, bay = body["terms"]
    assert (innovation["total"], innovation["hits"]) == (6, 4) and (bay["total"], bay["hits"]) == (7, 5)
    assert [d["occurrences"] for d in innovation["documents"]] == [5, 1]
    assert [d["occurrences"] for d in bay["documents"][0]["divisions"]] == [0, 1, 4, 0]
    assert innovation["per_10000"] == round(6 * 10000 / body["characters"], 2)


def test_split_terms_keeps_quoted_phrases_whole():
    assert split_terms(["创新、开放", '"港,澳" 合作; 湾区', "  ", "创新"]) == ['创新', '开放', '"港,澳" 合作', '湾区']


@pytest.mark.parametrize("value, keys", [("", ["position"]), ("left", ["left"]), ("doc, right", ["doc", "right"])])
def test_parse_sort(value, keys):
    assert parse_sort(value) == keys


def test_parse_sort_refuses_unknown_keys():
    with pytest.raises(SearcherError):
        parse_sort("left,wrong")


def test_sorting_after_position_changes_nothing(tiny_engine):
    matched = tiny_engine.matched("湾区")
    lines = concordance_lines(matched.records, matched.norms, matched.terms, [""] * len(matched.records))
    assert sort_lines(lines, ["position", "left"]) == sort_lines(lines, ["position"]) == lines


def test_document_sizes_count_normalised_characters(tiny_engine):
    records = tiny_engine.records()
    sizes = document_sizes(records, [normalize_text(r.text) for r in records])
    assert sizes["sample-agreement"].characters == sum(len(normalize_text(r.text)) for r in records
                                                       if r.doc_id == "sample-agreement")
    assert per_10000(1, 0) == 0.0 and per_10000(1, 3) == 3333.33


# --------------------------------------------------------------------------- exports


def test_concordance_csv_has_a_bom_a_header_and_every_line(real_client):
    response = real_client.get("/api/concordance", query_string={"q": "发展", "sort": "left", "format": "csv"})
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and unquote(disposition).endswith("concordance-发展.csv")
    rows = parse_csv(response)
    everything = real_client.get("/api/concordance", query_string={"q": "发展", "sort": "left",
                                                                   "format": "json"}).get_json()
    assert len(rows) == everything["total"] == len(everything["lines"]) > 1000
    assert list(rows[0]) == ["n", "doc", "doc_title", "id", "kind", "division", "offset", "left", "match", "right",
                             "term", "citation", "url"]
    for row, line in zip(rows, everything["lines"]):
        assert (row["id"], int(row["offset"]), row["left"], row["match"], row["right"], row["citation"]) == \
               (line["id"], line["offset"], line["left"], line["match"], line["right"], line["citation"])
        assert row["url"] == "http://localhost" + line["url"]


def test_concordance_json_export_is_every_line_as_a_download(real_client):
    response = real_client.get("/api/concordance", query_string={"q": "发展", "format": "json"})
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_json()
    page = real_client.get("/api/concordance", query_string={"q": "发展", "size": 1000}).get_json()
    assert body["total"] == len(body["lines"]) and body["lines"][:1000] == page["lines"]
    assert body["pages"] == 1 and body["size"] == body["total"]


def test_search_exports_every_hit_not_only_the_page(real_client):
    page = real_client.get("/api/search", query_string={"q": "发展", "sort": "document"}).get_json()
    exported = real_client.get("/api/search", query_string={"q": "发展", "sort": "document", "format": "json"})
    assert exported.headers["Content-Disposition"].startswith("attachment;")
    body = exported.get_json()
    assert page["total"] == len(body["hits"]) > len(page["hits"])
    assert [h["id"] for h in body["hits"][:len(page["hits"])]] == [h["id"] for h in page["hits"]]
    rows = parse_csv(real_client.get("/api/search", query_string={"q": "发展", "sort": "document", "format": "csv"}))
    assert [row["id"] for row in rows] == [h["id"] for h in body["hits"]]
    assert sum(int(row["occurrences"]) for row in rows) == page["occurrences"]
    assert rows[0]["rank"] == "1" and rows[0]["text"] == body["hits"][0]["text"]


def test_search_export_keeps_the_filters(client):
    rows = parse_csv(client.get("/api/search", query_string={"q": "湾区", "doc": "sample-agreement", "format": "csv"}))
    assert [row["id"] for row in rows] == ["sample-agreement/1.1"]
    assert rows[0]["doc_title"] == "合作協議" and rows[0]["division"] == "一、 總則"


def test_frequency_csv_has_document_and_division_rows(client):
    rows = parse_csv(client.get("/api/frequencies", query_string={"q": ["创新", "-香港 湾区"], "format": "csv"}))
    body = client.get("/api/frequencies", query_string={"q": ["创新", "-香港 湾区"]}).get_json()
    documents = [row for row in rows if row["level"] == "document"]
    assert [(r["query"], r["doc"], int(r["occurrences"]), float(r["per_10000"])) for r in documents] == [
        (q, d["doc"], d["occurrences"], d["per_10000"])
        for q, term in zip(["创新", "'-香港 湾区"], body["terms"]) for d in term["documents"]]
    divisions = [row for row in rows if row["level"] == "division" and row["doc"] == "sample-plan"
                 and row["query"] == "创新"]
    assert [(r["division"], r["division_label"], int(r["occurrences"]), int(r["characters"])) for r in divisions] == [
        (d["id"], d["label"], c["occurrences"], d["characters"])
        for d, c in zip(body["documents"][0]["divisions"], body["terms"][0]["documents"][0]["divisions"])]


# --------------------------------------------------------------------------- pages

ALTERNATE = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)">')


@pytest.mark.parametrize("url", ["/concordance", "/concordance?q=湾区&sort=left", "/frequencies",
                                 "/frequencies?q=创新&q=湾区", "/search?q=湾区"])
def test_workbench_pages_have_a_json_twin_and_no_inline_script_or_style(client, url):
    response = client.get(url)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert " style=" not in text and "<style" not in text and re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == []
    twin = ALTERNATE.search(text).group(1).replace("&amp;", "&")
    assert client.get(twin).status_code == 200


def test_concordance_page_marks_each_match_and_links_its_record(client):
    text = client.get("/concordance?q=灣區&context=6").get_data(as_text=True)
    rows = re.findall(r'<tr data-id="([^"]+)" data-offset="(\d+)">.*?<td class="match"[^>]*><a href="([^"]+)"><mark>'
                      r'(.*?)</mark>', text, re.S)
    assert [(i, int(o), url, m) for i, o, url, m in rows][-2:] == [
        ("sample-agreement/1.1", 28, "/p/sample-agreement/1.1", "灣區"),
        ("sample-agreement/1.1", 39, "/p/sample-agreement/1.1", "灣區")]
    assert 'data-total="7"' in text and "format=csv" in text
    second = client.get("/concordance?q=湾区&size=2&page=2").get_data(as_text=True).replace("&amp;", "&")
    assert re.findall(r'<tr data-id="([^"]+)" data-offset="(\d+)">', second) == [
        ("sample-plan/1.1.p1", "24"), ("sample-plan/fn1", "1")]
    assert 'href="/concordance?q=%E6%B9%BE%E5%8C%BA&size=2&page=3" rel="next"' in second


def test_frequency_page_draws_one_bar_per_division_and_term(client):
    text = client.get("/frequencies?q=创新&q=湾区").get_data(as_text=True)
    assert text.count("<svg class=\"spread-chart\"") == 2
    bars = re.findall(r'<rect class="series-(\d)" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"\s+'
                      r'data-occurrences="(\d+)"', text)
    assert len(bars) == 2 * (4 + 2)              # (4 divisions + 2 divisions) × 2 terms
    assert [int(n) for series, _, n in bars if series == "1"] == [0, 1, 4, 0, 0, 2]
    assert all((float(height) > 0) == (int(n) > 0) for _, height, n in bars)


def test_search_page_links_to_the_workbench_and_the_downloads(client):
    text = client.get("/search?q=湾区&doc=sample-plan").get_data(as_text=True).replace("&amp;", "&")
    assert 'href="/concordance?q=%E6%B9%BE%E5%8C%BA&doc=sample-plan"' in text
    assert 'href="/frequencies?q=%E6%B9%BE%E5%8C%BA&doc=sample-plan"' in text
    assert "/api/search?q=%E6%B9%BE%E5%8C%BA&doc=sample-plan&format=csv" in text
    assert "逐条索引（5 处出现）" in text


def test_footer_and_help_page_name_the_tools_and_the_definitions(client):
    text = client.get("/help").get_data(as_text=True)
    assert 'href="/concordance"' in text and 'href="/frequencies"' in text
    assert 'id="definitions"' in text and "规范化文本的字数" in text and "× 10000" in text
    english = client.get("/help?lang=en").get_data(as_text=True)
    assert "Characters of a document" in english
