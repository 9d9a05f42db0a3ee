"""The web app: every page and its JSON twin, status codes, escaping, traversal, headers, prefs."""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote
import shutil

import pytest
from markupsafe import escape

from searcher.cite import citation, reference, text_hash
from searcher.errors import SearcherError
from searcher.normalize import normalize_text, to_script
from searcher.web import create_app

from .conftest import FIXTURES, open_engine

MARK = re.compile(r"<mark>(.*?)</mark>", re.S)
HIT_IDS = re.compile(r'<li class="hit[^"]*" id="hit-\d+" data-id="([^"]+)"')
ALTERNATE = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)">')


@pytest.fixture(scope="module")
def tiny_dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-web")
    corpus_dir = root / "corpus"
    shutil.copytree(FIXTURES / "tiny", corpus_dir)
    open_engine(corpus_dir, root / "index")
    return corpus_dir, root / "index"


@pytest.fixture(scope="module")
def app(tiny_dirs):
    corpus_dir, index_dir = tiny_dirs
    app = create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(index_dir), "TESTING": True})
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def real_app(real_engine):
    return create_app({"SEARCHER_ENGINE": real_engine, "TESTING": True})


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


def page_text(response) -> str:
    return response.get_data(as_text=True)


def marks(response) -> list[str]:
    return [html.unescape(m) for m in MARK.findall(page_text(response))]


# --------------------------------------------------------------------------- documents


def test_documents_twin_lists_the_catalog_with_provision_counts(client, app):
    corpus = app.extensions["searcher"].corpus
    body = client.get("/api/docs").get_json()
    assert body == {"documents": [
        {"id": "sample-plan", "source": "001_plan.txt", "title_hans": "示例规划", "title_hant": "示例規劃",
         "title_en": "Sample plan", "issuers": [], "date": "", "script": "hans", "kind": "plan", "note": "",
         "context": [], "provisions": len(corpus.document("sample-plan").provisions), "title": "示例规划",
         "url": "/d/sample-plan", "api_url": "/api/docs/sample-plan"},
        {"id": "sample-agreement", "source": "002_agreement.txt", "title_hans": "合作协议", "title_hant": "合作協議",
         "title_en": "Sample agreement", "issuers": ["甲方", "乙方"], "date": "2017-07-01", "script": "hant",
         "kind": "agreement", "note": "", "context": [], "provisions": 3, "title": "合作協議",
         "url": "/d/sample-agreement", "api_url": "/api/docs/sample-agreement"},
    ]}
    assert body["documents"][0]["provisions"] == 10


def test_documents_page_shows_titles_issuers_dates_and_counts(client):
    text = page_text(client.get("/"))
    for expected in ('href="/d/sample-plan"', "示例规划", "示例規劃", "Sample plan", "合作協議", "合作协议",
                     "甲方、乙方", "2017-07-01", '<dd class="count">10</dd>', '<dd class="count">3</dd>',
                     'action="/search"'):
        assert expected in text


def test_document_twin_has_catalog_outline_and_every_provision_in_order(client, app):
    document = app.extensions["searcher"].corpus.document("sample-agreement")
    body = client.get("/api/docs/sample-agreement").get_json()
    assert body["document"]["id"] == "sample-agreement"
    assert body["outline"] == document.outline()
    assert body["outline"][0]["children"][0]["id"] == "1.1"
    assert [p["id"] for p in body["provisions"]] == [p.id for p in document.provisions]
    first = body["provisions"][0]
    assert {k: first[k] for k in ("id", "label", "title", "text", "span", "units")} == {
        "id": "sample-agreement/1.1", "label": "（一）", "title": "合作宗旨",
        "text": "合作宗旨。全面準確貫徹“一國兩制”方針，共同推進粵港澳大灣區建設，打造國際一流灣區。",
        "span": list(document.provisions[0].span), "units": None}
    assert first["path"] == [{"id": "sample-agreement/1", "kind": "part", "label": "一、", "title": "總則"}]


def test_document_page_has_an_anchor_for_every_provision(client, app):
    document = app.extensions["searcher"].corpus.document("sample-plan")
    text = page_text(client.get("/d/sample-plan"))
    anchors = re.findall(r'<div class="provision-block[^"]*" id="([^"]+)"', text)
    assert anchors == [p.id for p in document.provisions]
    assert '<nav class="outline"' in text
    assert 'href="#sample-plan/1.1"' in text


def test_document_page_marks_every_hit_of_the_query(client, app):
    document = app.extensions["searcher"].corpus.document("sample-plan")
    expected = sum(normalize_text(p.text).count("大湾区") for p in document.provisions)
    response = client.get("/d/sample-plan?q=大灣區")
    assert response.status_code == 200
    assert marks(response) == ["大湾区"] * expected
    assert expected == 5


def test_unknown_document_is_404_in_both_forms(client):
    assert client.get("/d/nope").status_code == 404
    assert client.get("/api/docs/nope?lang=en").get_json() == {
        "ok": False, "error": "No document 'nope'.", "code": "no_document", "status": 404,
        "hint": "The documents page lists every document."}
    assert client.get("/api/docs/nope").get_json() == {   # the interface language, Chinese unless chosen otherwise
        "ok": False, "error": "没有文件 'nope'。", "code": "no_document", "status": 404, "hint": "首页列出了全部文件。"}


# --------------------------------------------------------------------------- provision


def test_provision_twin_has_citation_block_neighbours_and_notes(client, app):
    corpus = app.extensions["searcher"].corpus
    provision, document = corpus.provision("sample-plan/1.1.p1"), corpus.document("sample-plan")
    body = client.get("/api/p/sample-plan/1.1.p1").get_json()
    cite = body["cite"]
    assert (cite["citation"], cite["locator"], cite["excerpt"]) == ("《示例规划》第一章第一节第1段", "第一章第一节第1段", False)
    assert (cite["permalink"], cite["url"], cite["quote"], cite["hash"]) == (
        "/p/sample-plan/1.1.p1", "http://localhost/p/sample-plan/1.1.p1", provision.text, text_hash(provision))
    assert cite["citation"] == citation(provision, document)
    assert cite["gbt7714"] == reference(cite["csl"])   # the record and its rendering: tests/test_cite_web.py
    assert body["previous"] == {"id": "sample-plan/1.p1", "url": "/p/sample-plan/1.p1", "label": "", "title": "",
                                "locator": "第一章第1段"}
    assert body["next"]["id"] == "sample-plan/fn1"
    assert [n["id"] for n in body["notes"]] == ["sample-plan/fn1"]
    assert body["notes"][0]["text"] == "大湾区指粤港澳大湾区。"
    assert body["links"] == []


def test_provision_page_shows_text_path_and_copyable_citations(client):
    text = page_text(client.get("/p/sample-plan/1.1.1.1"))
    assert "建设国际科技创新中心。推进广深港澳科技创新走廊建设。" in text
    assert '<output id="cite-citation" lang="zh-Hans">《示例规划》第一章第一节第一部分第1项</output>' in text
    assert '<output id="cite-gbt" lang="zh-Hans">示例规划[Z/OL]. [' in text
    for target in ("cite-citation", "cite-gbt", "cite-permalink", "cite-quote", "cite-hash"):
        assert f'data-copy-target="{target}"' in text
    assert "第一章 总体要求" in text and "第一节 基本原则" in text
    assert "省科技厅" in text and "省发展改革委、省教育厅" in text  # lead and participating units


def test_traditional_provision_is_cited_in_traditional(client):
    body = client.get("/api/p/sample-agreement/1.1").get_json()
    assert body["cite"]["citation"] == "《合作協議》第一部分第一項"
    assert body["cite"]["gbt7714"].startswith("甲方, 乙方. 合作協議[Z/OL]. (2017-07-01)[")


def _link_index(real_engine):
    from searcher.links import load_links

    return load_links(real_engine.index_root / real_engine.generation)


def _agreement_provision_with_links(index) -> str:
    """The first Framework Agreement provision with a substantive link (found, not typed in)."""
    return next(link.a if link.doc_a == "framework-agreement" else link.b for link in index.links
                if "framework-agreement" in (link.doc_a, link.doc_b) and not link.boilerplate)


LINK_FIELDS = ("id", "doc", "kind", "similarity", "shared_chars", "coverage", "passages", "spans", "boilerplate",
               "compare_url")


def test_provision_links_come_from_the_link_index(real_client, real_engine):
    index = _link_index(real_engine)
    provision_id = _agreement_provision_with_links(index)
    body = real_client.get(f"/api/p/{provision_id}").get_json()
    views = index.for_provision(provision_id)
    assert views and body["boilerplate"] is False
    assert [{k: link[k] for k in LINK_FIELDS} for link in body["links"]] == [v.to_dict() for v in views]
    assert body["links_boilerplate"] == index.hidden(provision_id)
    page = page_text(real_client.get(f"/p/{provision_id}"))
    for view in views:
        assert f'href="{html.escape(view.compare_url)}"' in page
    assert f"他处互见 ({len(views)})" in page


def test_boilerplate_links_are_hidden_until_asked_for(real_client, real_engine):
    index = _link_index(real_engine)
    provision_id = next(link.a for link in index.links if link.boilerplate)
    default = real_client.get(f"/api/p/{provision_id}").get_json()
    shown = real_client.get(f"/api/p/{provision_id}?boilerplate=1").get_json()
    assert not any(link["boilerplate"] for link in default["links"])
    assert [link["id"] for link in shown["links"]] == [v.id for v in index.for_provision(provision_id, boilerplate=True)]
    assert len(shown["links"]) == len(default["links"]) + default["links_boilerplate"]
    page = page_text(real_client.get(f"/p/{provision_id}"))
    assert f"显示套话链接（{default['links_boilerplate']} 条）" in page
    assert page_text(real_client.get(f"/p/{provision_id}?boilerplate=1")).count('class="link-item') == len(shown["links"])


def test_provision_page_marks_shared_spans_on_both_sides(real_client, real_engine):
    corpus = real_engine.corpus
    provision_id = _agreement_provision_with_links(_link_index(real_engine))
    body = real_client.get(f"/api/p/{provision_id}").get_json()
    link = body["links"][0]
    own = corpus.provision(provision_id).text
    other = corpus.provision(link["id"]).text
    expected = [own[s:e] for s, e in link["spans"]["self"]] + [other[s:e] for s, e in link["spans"]["other"]]
    page = page_text(real_client.get(f"/p/{provision_id}"))
    first_item = page[page.index('<li class="link-item'):]
    first_item = first_item[:first_item.index("</li>")]
    assert [html.unescape(m) for m in MARK.findall(first_item)] == expected


def test_a_pair_has_one_similarity_on_every_view(real_client, real_engine):
    """The provision page, its twin, the links list, /compare and /api/compare agree, link by link."""
    from searcher.links import similarity_percent

    index = _link_index(real_engine)
    checked = 0
    for link in index.links[::7]:
        percent = similarity_percent(link.similarity)
        views = {v["id"]: v for v in real_client.get(f"/api/p/{link.a}?boilerplate=1").get_json()["links"]}
        assert views[link.b]["similarity"] == link.similarity and views[link.b]["similarity_percent"] == percent
        pairs = real_client.get(f"/api/links?a={link.doc_a}&b={link.doc_b}&boilerplate=1").get_json()["pairs"]
        [pair] = [p for p in pairs if (p["a"]["id"], p["b"]["id"]) == (link.a, link.b)]
        assert (pair["similarity"], pair["similarity_percent"], pair["kind"]) == (link.similarity, percent, link.kind)
        body = real_client.get(f"/api/compare?a={link.a}&b={link.b}").get_json()
        assert (body["similarity"], body["similarity_percent"], body["kind"]) == (link.similarity, percent, link.kind)
        assert body["comparison"]["shared_chars"] == link.shared_chars == pair["shared_chars"]
        flipped = real_client.get(f"/api/compare?a={link.b}&b={link.a}").get_json()
        assert flipped["similarity"] == link.similarity
        label = f"相似度 {percent}%"
        assert label in page_text(real_client.get(f"/compare?a={link.a}&b={link.b}"))
        item = page_text(real_client.get(f"/p/{link.a}?boilerplate=1"))
        item = item[item.index(f'data-link="{link.b}"'):]
        assert label in item[:item.index("</li>")]
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("url", [
    "/p/../../etc/passwd", "/p/%2e%2e/%2e%2e/etc/passwd", "/p/..%2f..%2fetc%2fpasswd",
    "/p/sample-plan/..%2f..%2f..%2fetc%2fpasswd", "/p/sample-plan/../../catalog.toml",
    "/api/p/../../etc/passwd", "/api/p/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/d/..%2f..%2fetc%2fpasswd",
    "/d/%2e%2e", "/api/docs/..%2fcatalog.toml", "/static/../searcher/web.py", "/static/%2e%2e/searcher/web.py",
    "/static/..%2fcorpus%2fcatalog.toml", "/p/sample-plan/1.1.p1%00", "/p/sample-plan%2f1.1.p1/../../x",
    "/p/nope/1", "/api/p/sample-plan/9.9.p9",
])
def test_path_traversal_and_unknown_ids_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "root:" not in page_text(response) and "[[document]]" not in page_text(response)


def test_not_found_json_has_the_error_shape(client):
    assert client.get("/api/p/nope/1?lang=en").get_json() == {
        "ok": False, "error": "No provision 'nope/1'.", "code": "no_provision", "status": 404,
        "hint": "Provision ids look like DOC/PATH, e.g. zhuxi-metro/1.1.p1; search for the text instead."}


# --------------------------------------------------------------------------- search


def test_search_page_and_twin_show_the_same_hits(client):
    html_response = client.get("/search?q=大湾区")
    body = client.get("/api/search?q=大湾区").get_json()
    assert HIT_IDS.findall(page_text(html_response)) == [hit["id"] for hit in body["hits"]]
    assert f'data-total="{body["total"]}"' in page_text(html_response)
    assert body["query"] == "大湾区"


def test_search_total_equals_a_substring_scan(client, app):
    corpus = app.extensions["searcher"].corpus
    expected = sorted(p.id for p in corpus.provisions() if "大湾区" in normalize_text(p.text))
    body = client.get("/api/search?q=大灣區").get_json()
    assert body["total"] == len(expected) == 5
    assert sorted(hit["id"] for hit in body["hits"]) == expected


def test_traditional_query_marks_the_simplified_text(client):
    response = client.get("/search?q=大灣區")
    body = client.get("/api/search?q=大灣區").get_json()
    expected = [hit["snippet"][s:e] for hit in body["hits"] for s, e in hit["snippet_highlights"]]
    assert marks(response) == expected
    assert set(expected) == {"大湾区", "大灣區"}


def test_search_box_keeps_the_query(client):
    text = page_text(client.get("/search?q=创新 驱动"))
    assert 'name="q" value="创新 驱动"' in text


def test_doc_facet_filters_and_a_second_click_removes_it(client):
    page = page_text(client.get("/search?q=大湾区"))
    link = re.search(r'href="([^"]+)" class="facet" data-facet="doc" data-value="sample-agreement"', page).group(1)
    link = html.unescape(link)
    assert link == "/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA&doc=sample-agreement"
    filtered = client.get(link.replace("/search", "/api/search")).get_json()
    assert {hit["doc"] for hit in filtered["hits"]} == {"sample-agreement"}
    assert filtered["total"] == 1
    page = page_text(client.get(link))
    again = re.search(r'href="([^"]+)" class="facet on" data-facet="doc" data-value="sample-agreement"', page).group(1)
    assert html.unescape(again) == "/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA"


def test_chapter_facet_filters_by_chapter(client):
    body = client.get("/api/search?q=创新").get_json()
    assert body["facets"]["chapter"] == {
        "sample-plan/1": {"label": "第一章", "title": "总体要求", "kind": "chapter", "doc": "sample-plan", "count": 3},
        "sample-agreement/1": {"label": "一、", "title": "總則", "kind": "part", "doc": "sample-agreement", "count": 1}}
    page = page_text(client.get("/search?q=创新"))
    assert 'data-facet="chapter" data-value="sample-plan/1"' in page
    filtered = client.get("/api/search?q=创新&chapter=sample-plan/1").get_json()
    assert filtered["total"] == 3
    assert all(hit["division"]["id"] == "sample-plan/1" for hit in filtered["hits"])
    # chosen, the facet keeps the other values and their counts; the chip shows the label, not the id
    assert filtered["facets"]["chapter"] == body["facets"]["chapter"]
    chip = page_text(client.get("/search?q=创新&chapter=sample-plan/1"))
    assert 'data-filter="chapter">第一章 总体要求' in chip and ">sample-plan/1 <" not in chip


def test_unit_filter_alone_lists_the_units_tasks(client, app):
    corpus = app.extensions["searcher"].corpus
    expected = sorted(p.id for p in corpus.provisions()
                      if p.units and "省科技厅" in p.units.lead + p.units.participating)
    body = client.get("/api/search?unit=省科技厅").get_json()
    assert sorted(hit["id"] for hit in body["hits"]) == expected == ["sample-plan/1.1.1.1", "sample-plan/1.1.1.3"]
    page = page_text(client.get("/search?q=建设&unit=省科技厅"))
    assert '<option value="省科技厅" selected>省科技厅 (2)</option>' in page


def test_the_unit_form_s_lead_only_choice_filters_by_lead(client):
    any_role = client.get("/api/search?unit=省发展改革委").get_json()
    lead = client.get("/api/search?unit=省发展改革委&role=lead").get_json()
    assert {h["id"] for h in any_role["hits"]} == {"sample-plan/1.1.1.1", "sample-plan/1.1.1.2", "sample-plan/annex.1.p1"}
    assert [h["id"] for h in lead["hits"]] == ["sample-plan/1.1.1.2"] and lead["filters"]["lead"] == ["省发展改革委"]
    assert client.get("/api/search?lead=省发展改革委").get_json()["hits"] == lead["hits"]


def test_units_page_and_twin_count_tasks_with_one_function(client, app):
    from searcher.units import unit_table
    body = client.get("/api/units").get_json()
    assert body["units"] == unit_table(app.extensions["searcher"].corpus.provisions())
    rows = {row["name"]: row for row in body["units"]}
    assert rows["省发展改革委"] == {"name": "省发展改革委", "lead": 1, "participating": 2, "tasks": 3,
                                "docs": {"sample-plan": {"lead": 1, "participating": 2}}}
    assert rows["省自然资源厅"]["tasks"] == 2          # printed 自然资源厅 in the annex: one body, one name
    page = page_text(client.get("/units"))
    assert 'data-unit="省发展改革委"' in page and "/search?lead=%E7%9C%81%E5%8F%91%E5%B1%95%E6%94%B9%E9%9D%A9%E5%A7%94" in page
    # the filter and the page agree: a unit's total is the number of hits of unit:<name>
    for name, row in rows.items():
        assert client.get("/api/search", query_string={"unit": name}).get_json()["total"] == row["tasks"]
        assert client.get("/api/search", query_string={"lead": name}).get_json()["total"] == row["lead"]


def test_search_within_results_adds_terms_and_keeps_filters(client):
    response = client.get("/search?base=建设&refine=创新&doc=sample-plan&sort=document")
    assert response.status_code == 303
    assert response.headers["Location"] == "/search?q=%E5%BB%BA%E8%AE%BE+%E5%88%9B%E6%96%B0&doc=sample-plan&sort=document"


def test_sort_by_document_order_on_the_page_and_twin(client):
    body = client.get("/api/search?q=建设&sort=document").get_json()
    assert body["sort"] == "document"
    assert HIT_IDS.findall(page_text(client.get("/search?q=建设&sort=document"))) == [h["id"] for h in body["hits"]]
    assert client.get("/api/search?q=建设&sort=nonsense").status_code == 400


def test_heading_hits_link_to_their_anchor_in_the_reader(client):
    body = client.get("/api/search?q=重点").get_json()
    headings = [h for h in body["hits"] if h["kind"] == "heading"]
    assert [(h["id"], h["url"]) for h in headings] == [("sample-plan/1.1.1", "/d/sample-plan#sample-plan/1.1.1"),
                                                       ("sample-plan/box1", "/d/sample-plan#sample-plan/box1")]
    reader = page_text(client.get("/d/sample-plan"))
    assert 'id="sample-plan/1.1.1"' in reader and 'id="sample-plan/box1"' in reader


def test_related_tier_is_on_the_last_page_only_and_labelled(client):
    body = client.get("/api/search?q=码头 建设").get_json()
    assert body["total"] == 0 and body["related"] and all(h["exact"] is False for h in body["related"])
    page = page_text(client.get("/search?q=码头 建设"))
    assert "相关条目（非精确匹配）" in page and 'id="related-1"' in page


def test_pagination_links_every_page(tiny_dirs):
    corpus_dir, index_dir = tiny_dirs
    small = create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(index_dir),
                        "SEARCHER_PAGE_SIZE": 2, "TESTING": True}).test_client()
    first = small.get("/api/search?q=大湾区").get_json()
    second = small.get("/api/search?q=大湾区&page=2").get_json()
    third = small.get("/api/search?q=大湾区&page=3").get_json()
    ids = [h["id"] for h in first["hits"] + second["hits"] + third["hits"]]
    assert len(ids) == len(set(ids)) == first["total"] == 5
    page = page_text(small.get("/search?q=大湾区&page=2"))
    nav = page[page.index('<nav class="pagination"'):]
    nav = nav[:nav.index("</nav>")]
    assert re.findall(r'href="([^"]+)"', html.unescape(nav)) == [
        "/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA&page=1", "/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA&page=1",
        "/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA&page=3", "/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA&page=3"]
    assert '<span aria-current="page">2</span>' in nav


def test_no_hits_page_suggests_what_to_try(client):
    response = client.get("/search?q=火星基地")
    assert response.status_code == 200
    text = page_text(response)
    assert 'data-total="0"' in text and "没有找到结果" in text and "减少字数" in text
    assert client.get("/api/search?q=火星基地").get_json()["hits"] == []


def test_query_with_a_repairable_mistake_says_what_was_searched(client):
    text = page_text(client.get("/search?q=(大湾区"))
    assert "括号未闭合，已在检索式末尾补上右括号。" in text
    assert "实际检索：&#34;大湾区&#34;" in text
    body = client.get("/api/search?q=(大湾区").get_json()
    assert body["warnings"] == [{"code": "unclosed_paren", "message": "括号未闭合，已在检索式末尾补上右括号。"}]
    assert body["interpreted"] == '"大湾区"' and body["total"] == 5
    english = client.get("/api/search?q=(大湾区&lang=en").get_json()
    assert english["warnings"] == [{"code": "unclosed_paren", "message": "Unclosed '(' closed at the end of the query."}]


@pytest.mark.parametrize("query, code", [("OR", "operators_only"), ("doc:", "filter_without_value"),
                                         ('"前海 (', "unbalanced_quote"), ("doc:foo 湾区", "unknown_document_filter"),
                                         ("*", "wildcard_everything"), ("前?", "wildcard_dropped")])
def test_a_non_empty_query_is_never_a_400_but_a_reading_with_a_note(client, query, code):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    text = page_text(response)
    assert f'name="q" value="{escape(query)}"' in text and f'data-code="{code}"' in text
    api = client.get("/api/search", query_string={"q": query})
    assert api.status_code == 200 and code in [w["code"] for w in api.get_json()["warnings"]]


def test_an_empty_query_is_the_empty_search_page(client):
    api = client.get("/api/search", query_string={"q": " "})
    assert api.status_code == 200 and api.get_json()["total"] is None and api.get_json()["hits"] == []


@pytest.mark.parametrize("query", [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' onmouseover='alert(1)",
    "大湾区<b>", "</textarea><svg onload=alert(1)>", "&lt;script&gt;", "javascript:alert(1)",
])
def test_hostile_queries_are_escaped_everywhere(client, query):
    for url in ("/search", "/d/sample-plan", "/compare"):
        response = client.get(url, query_string={"q": query, "a": query, "b": query})
        text = page_text(response)
        assert response.status_code in (200, 400, 404)
        assert "<script>alert" not in text and "<img src=x" not in text and "<svg onload" not in text
        assert "onmouseover='alert" not in text and "<b>" not in text
    api = client.get("/api/search", query_string={"q": query})
    assert api.headers["Content-Type"] == "application/json"
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    if api.status_code == 200:
        assert api.get_json()["query"] == query


def test_highlights_inside_hostile_text_are_built_on_escaped_text(app):
    from searcher.web import marked

    with app.test_request_context("/"):
        app.preprocess_request()
        assert str(marked('a<b>"大湾区"</b>&', [[5, 8]])) == "a&lt;b&gt;&#34;<mark>大湾区</mark>&#34;&lt;/b&gt;&amp;"


def test_bad_page_number_is_a_400(client):
    assert client.get("/search?q=大湾区&page=0").status_code == 400
    assert client.get("/api/search?q=大湾区&page=x").get_json()["status"] == 400


def test_syntax_help_is_one_click_away(client):
    assert 'href="/help"' in page_text(client.get("/search?q=大湾区"))
    help_page = page_text(client.get("/help"))
    assert "前海 OR 南沙" in help_page
    assert client.get("/api/help").get_json()["syntax"][0]["example"] == "湾区"


def test_search_badge_counts_the_links_the_provision_page_lists(real_client, real_engine):
    index = _link_index(real_engine)
    body = real_client.get("/api/search?q=世界旅游休闲中心").get_json()
    assert [hit["links"] for hit in body["hits"]] == [index.count(hit["id"]) for hit in body["hits"]]
    assert any(hit["links"] for hit in body["hits"])
    page = page_text(real_client.get("/search?q=世界旅游休闲中心"))
    badges = re.findall(r'class="badge"[^>]*>([^<]+)</a>', page)
    assert badges == [f"互见 {hit['links']}" for hit in body["hits"] + body["related"] if hit["links"]]
    for hit in body["hits"]:
        if hit["kind"] != "heading":
            assert len(real_client.get(f"/api/p/{hit['id']}").get_json()["links"]) == hit["links"]


# --------------------------------------------------------------------------- compare and links


def test_compare_twin_and_page_show_the_aligned_diff(real_client):
    from searcher.diff import compare

    a, b = "guangzhou-metro/preface.p3", "zhuxi-metro/preface.p2"
    body = real_client.get(f"/api/compare?a={a}&b={b}").get_json()
    corpus = real_client.application.extensions["searcher"].corpus
    expected = compare(corpus.provision(a), corpus.provision(b)).to_dict()
    assert body["comparison"] == expected and body["similarity"] == expected["similarity"]
    assert body["link"] == {"kind": expected["kind"], "boilerplate": False}
    page = page_text(real_client.get(f"/compare?a={a}&b={b}"))
    text_b = body["b"]["text"]
    inserted = [html.unescape(t) for t in re.findall(r"<ins>(.*?)</ins>", page)][1:]  # [0] is the legend
    assert inserted == [text_b[o["b"][0]:o["b"][1]] for row in expected["rows"] for o in row["ops"]
                        if o["op"] == "insert" and not o["punctuation"]]
    assert page.count('<tr class="row-pair">') == expected["aligned"] >= 2


def test_compare_shows_sentences_without_a_partner_whole(real_client):
    body = real_client.get("/api/compare?a=gba-outline/2.3.p5&b=zhuxi-metro/2.3.p5").get_json()
    rows = body["comparison"]["rows"]
    assert {row["op"] for row in rows} == {"pair", "delete", "insert"}
    for row in rows:
        if row["op"] != "pair":
            side = "a" if row["op"] == "delete" else "b"
            assert [o[side] for o in row["ops"]][0][0] == row[side][0] and row["ops"][-1][side][1] == row[side][1]
            assert {o["op"] for o in row["ops"]} <= {row["op"], "shared"}


def test_compare_chooses_provisions_by_search(real_client):
    assert real_client.get("/api/compare").get_json()["comparison"] is None
    body = real_client.get("/api/compare?qa=港珠澳大桥&b=gba-outline/3.2.p3").get_json()
    assert body["b"]["id"] == "gba-outline/3.2.p3" and body["comparison"] is None
    assert body["choices"]["a"] and all("港珠澳大桥" in c["text"] or "港珠澳大橋" in c["text"] for c in body["choices"]["a"])
    page = page_text(real_client.get("/compare?qa=港珠澳大桥&b=gba-outline/3.2.p3"))
    first = body["choices"]["a"][0]["id"]
    assert html.escape(f"/compare?a={quote(first, safe='')}") in page or f"a={quote(first, safe='')}" in page
    assert real_client.get("/api/compare?a=gba-outline/3.2.p3&b=nope/1").status_code == 404


def test_versions_show_one_provision_per_other_document(real_client, real_engine):
    index = _link_index(real_engine)
    spread: dict[str, set] = {}
    for link in index.links:
        if not link.boilerplate:
            spread.setdefault(link.a, set()).add(link.doc_b)
            spread.setdefault(link.b, set()).add(link.doc_a)
    provision_id = max(sorted(spread), key=lambda pid: len(spread[pid]))
    assert len(spread[provision_id]) >= 2
    body = real_client.get(f"/api/versions/{provision_id}").get_json()
    assert [v["provision"]["doc"] for v in body["versions"]] == sorted(spread[provision_id], key=[
        v.doc for v in index.for_provision(provision_id)].index)
    assert body["documents"] == 1 + len(spread[provision_id])
    assert f'/versions/{provision_id}' in page_text(real_client.get(f"/p/{provision_id}"))
    assert page_text(real_client.get(f"/versions/{provision_id}")).count('class="version"') == len(body["versions"])


def test_links_matrix_counts_substantive_links_and_lists_a_cell(real_client, real_engine):
    index = _link_index(real_engine)
    body = real_client.get("/api/links").get_json()
    assert body["matrix"] == index.matrix() and body["boilerplate"] is False
    assert body["total"] == sum(1 for link in index.links if not link.boilerplate)
    assert real_client.get("/api/links?boilerplate=1").get_json()["total"] == len(index.links)
    cell = real_client.get("/api/links?a=gba-outline&b=gd-action-plan&kind=shared&min_length=20&sort=shared").get_json()
    expected = index.between("gba-outline", "gd-action-plan", kind="shared", min_length=20, sort="shared")
    assert [(p["a"]["id"], p["b"]["id"]) for p in cell["pairs"]] == [(link.a, link.b) for link in expected]
    assert expected and all(p["kind"] == "shared" and p["shared_chars"] >= 20 for p in cell["pairs"])
    assert [p["shared_chars"] for p in cell["pairs"]] == sorted((p["shared_chars"] for p in cell["pairs"]), reverse=True)
    page = page_text(real_client.get("/links"))
    count = index.matrix()["cells"]["gba-outline"]["framework-agreement"]
    assert f'之间的互见: {count}">{count}</a>' in page and "不含套话" in page


@pytest.mark.parametrize("query, status", [("kind=nope", 400), ("kind=identical", 400), ("min_length=-1", 400),
                                           ("a=nope&b=gba-outline", 404), ("boilerplate=yes", 400),
                                           ("a=gba-outline&b=gd-action-plan&sort=nope", 400)])
def test_links_rejects_bad_filters(real_client, query, status):
    assert real_client.get(f"/api/links?{query}").status_code == status


# --------------------------------------------------------------------------- twins, headers, errors, prefs

PAGES = ["/", "/search", "/d/sample-plan", "/d/sample-plan?q=大湾区", "/p/sample-plan/1.1.p1", "/search?q=大湾区",
         "/search?q=大湾区&doc=sample-plan", "/compare", "/links", "/help"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_links_its_json_twin(client, url):
    response = client.get(url)
    assert response.status_code == 200
    twin = html.unescape(ALTERNATE.search(page_text(response)).group(1))
    assert twin.startswith("/api/")
    api = client.get(twin)
    assert api.status_code == 200 and api.headers["Content-Type"] == "application/json"
    json.loads(api.get_data(as_text=True))


@pytest.mark.parametrize("url", PAGES + ["/api/docs", "/static/app.css", "/static/app.js", "/nope", "/api/nope",
                                         "/search?q=OR"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'; style-src 'self';")
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style(client, url):
    text = page_text(client.get(url))
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == []
    assert " style=" not in text and "<style" not in text and " on" + "click=" not in text


def test_unexpected_errors_are_logged_and_never_shown(app, client, monkeypatch, caplog):
    engine = app.extensions["searcher"].engine

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(engine, "search", explode)
    app.extensions["searcher"].responses._entries.clear()   # earlier tests' answers would be served from the cache
    response = client.get("/search?q=大湾区")
    assert response.status_code == 500
    assert "secret internals" not in page_text(response) and "Traceback" not in page_text(response)
    assert client.get("/api/search?q=大湾区").get_json() == {
        "ok": False, "error": "服务器内部错误，已记录。", "code": "server_error", "status": 500,
        "hint": "请稍后再试；若反复出现，请告知维护者。"}
    assert "secret internals" in caplog.text


def test_language_choice_is_remembered_in_a_cookie(client):
    response = client.get("/prefs?lang=en&next=/search?q=大湾区")
    assert response.status_code == 303
    assert response.headers["Location"] == "/search?q=%E5%A4%A7%E6%B9%BE%E5%8C%BA"
    assert "searcher_lang=en" in response.headers["Set-Cookie"]
    text = page_text(client.get("/search?q=大湾区"))
    assert '<html lang="en">' in text and ">Search</button>" in text and "5 results" in text


def test_script_choice_converts_display_and_keeps_highlights(client):
    client.get("/prefs?script=hant&next=/")
    response = client.get("/d/sample-plan?q=大湾区")
    assert marks(response) == ["大灣區"] * 5
    assert "<h1>示例規劃</h1>" in page_text(response)
    client.get("/prefs?script=hans&next=/")
    response = client.get("/search?q=大湾区")
    assert set(marks(response)) == {"大湾区"}
    body = client.get("/api/p/sample-agreement/1.1").get_json()
    assert body["cite"]["quote"].startswith("合作宗旨。全面準確貫徹")  # the quote stays verbatim


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "", "evil"])
def test_preferences_never_redirect_off_site(client, target):
    response = client.get("/prefs", query_string={"lang": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_unknown_preference_values_are_ignored(client):
    response = client.get("/prefs?lang=fr&script=klingon&next=/")
    assert "Set-Cookie" not in response.headers
    client.set_cookie("searcher_lang", "<script>")
    assert '<html lang="zh-Hans">' in page_text(client.get("/"))


def test_settings_come_from_searcher_environment_variables(tiny_dirs, monkeypatch):
    corpus_dir, index_dir = tiny_dirs
    monkeypatch.setenv("SEARCHER_CORPUS", str(corpus_dir))
    monkeypatch.setenv("SEARCHER_INDEX", str(index_dir))
    monkeypatch.setenv("SEARCHER_PAGE_SIZE", "1")
    client = create_app({"TESTING": True}).test_client()
    body = client.get("/api/search?q=大湾区").get_json()
    assert len(body["hits"]) == 1 and body["size"] == 1 and body["total"] == 5


def test_settings_come_from_the_instance_file(tiny_dirs, tmp_path, monkeypatch):
    corpus_dir, index_dir = tiny_dirs
    (tmp_path / "searcher.cfg").write_text(
        f"SEARCHER_CORPUS = {str(corpus_dir)!r}\nSEARCHER_INDEX = {str(index_dir)!r}\nSEARCHER_PAGE_SIZE = 3\n")
    monkeypatch.setenv("SEARCHER_INSTANCE", str(tmp_path))
    app = create_app({"TESTING": True})
    assert app.instance_path == str(tmp_path)
    body = app.test_client().get("/api/search?q=大湾区").get_json()
    assert (len(body["hits"]), body["size"], body["total"]) == (3, 3, 5)


@pytest.mark.parametrize("size", ["0", "x", "101"])
def test_a_bad_page_size_setting_is_refused_at_start(tiny_dirs, size):
    from searcher.errors import SearcherError

    corpus_dir, index_dir = tiny_dirs
    with pytest.raises(SearcherError, match="SEARCHER_PAGE_SIZE"):
        create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(index_dir), "SEARCHER_PAGE_SIZE": size})


def test_a_missing_index_is_built_on_first_start(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "tiny", corpus_dir)
    app = create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(tmp_path / "index")})
    assert (tmp_path / "index" / "CURRENT").is_file()
    assert app.test_client().get("/api/search?q=大湾区").get_json()["total"] == 5


def test_serve_builds_the_index_and_hands_the_app_to_waitress(tmp_path, monkeypatch):
    import waitress
    from click.testing import CliRunner

    from searcher.cli import main

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "tiny", corpus_dir)
    served = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: served.update(app=app, **kw))
    result = CliRunner().invoke(main, ["serve", "--corpus", str(corpus_dir), "--index", str(tmp_path / "index"),
                                       "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert result.output == "Serving on http://127.0.0.1:8123/ (Ctrl-C to stop)\n"
    assert (served["host"], served["port"], served["threads"]) == ("127.0.0.1", 8123, 8)
    assert served["app"].test_client().get("/api/docs").status_code == 200
    assert (tmp_path / "index" / "CURRENT").is_file()


def test_display_conversion_keeps_length_so_offsets_hold(real_engine):
    for provision in real_engine.corpus.provisions():
        for script in ("hans", "hant"):
            assert len(to_script(provision.text, script)) == len(provision.text)


@pytest.mark.parametrize("doc_id", ["gba-outline", "gd-action-plan", "zhuxi-metro", "guangzhou-metro", "framework-agreement"])
def test_document_pages_have_unique_anchors_and_every_outline_link_lands(real_client, real_engine, doc_id):
    text = page_text(real_client.get(f"/d/{doc_id}"))
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))
    outline = text[text.index('<nav class="outline"'):text.index("</nav>", text.index('<nav class="outline"'))]
    targets = [html.unescape(t) for t in re.findall(r'href="#([^"]+)"', outline)]
    assert targets and set(targets) <= set(ids)
    assert {p.id for p in real_engine.corpus.document(doc_id).provisions} <= set(ids)


def test_the_running_app_switches_to_a_newly_built_index(tmp_path):
    from searcher.corpus import load_corpus
    from searcher.index import build_index

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "tiny", corpus_dir)
    app = create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(tmp_path / "index")})
    app.extensions["searcher"].REFRESH_EVERY = 0
    client = app.test_client()
    assert client.get("/api/search?q=火星基地").get_json()["total"] == 0
    plan = corpus_dir / "001_plan.txt"
    plan.write_text(plan.read_text(encoding="utf-8").replace("统筹跨界路网建设。", "统筹跨界路网建设。研究火星基地。"),
                    encoding="utf-8")
    build_index(load_corpus(corpus_dir), tmp_path / "index")
    body = client.get("/api/search?q=火星基地").get_json()
    assert [hit["id"] for hit in body["hits"]] == ["sample-plan/1.1.1.p1"]
    assert client.get("/api/p/sample-plan/1.1.1.p1").get_json()["provision"]["text"].endswith("研究火星基地。")


def test_traditional_display_keeps_a_traditional_source_as_printed_and_uses_hong_kong_forms(real_client):
    real_client.get("/prefs?script=hant&next=/")
    text = page_text(real_client.get("/p/framework-agreement/2.10"))
    assert "平台" in text and "平臺" not in text            # the agreement prints 平台: never re-converted
    plan = page_text(real_client.get("/p/gba-outline/2.3.p5"))
    assert "為" in plan and "爲" not in plan                  # Hong Kong standard forms, as the agreement uses
    real_client.get("/prefs?script=source&next=/")


def test_answers_carry_an_etag_and_a_repeat_with_it_is_a_304(client):
    first = client.get("/api/search?q=湾区")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    again = client.get("/api/search?q=湾区", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/api/search?q=湾区&lang=en").headers["ETag"] != etag   # another language, another answer
    assert client.get("/search?q=湾区").headers["ETag"] not in (etag, None)


def test_a_new_index_generation_is_never_answered_from_the_cache(tiny_dirs):
    from searcher.index import build_index
    from searcher.corpus import load_corpus

    corpus_dir, index_dir = tiny_dirs
    app = create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(index_dir), "TESTING": True})
    client = app.test_client()
    before = client.get("/api/search?q=琶洲")
    assert before.get_json()["total"] == 0
    with open(corpus_dir / "001_plan.txt", "a", encoding="utf-8") as handle:
        handle.write("\n推进琶洲数字经济试验区建设。\n")
    build_index(load_corpus(corpus_dir), index_dir)
    app.extensions["searcher"].REFRESH_EVERY = 0
    after = client.get("/api/search?q=琶洲", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.get_json()["total"] == 1


def test_the_response_cache_can_be_turned_off_and_a_bad_size_is_a_clear_error(tiny_dirs):
    corpus_dir, index_dir = tiny_dirs
    app = create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(index_dir), "SEARCHER_RESPONSE_CACHE": "0"})
    client = app.test_client()
    client.get("/api/search?q=湾区")
    assert app.extensions["searcher"].responses._entries == {}
    assert client.get("/api/search?q=湾区").headers["ETag"]
    with pytest.raises(SearcherError) as error:
        create_app({"SEARCHER_CORPUS": str(corpus_dir), "SEARCHER_INDEX": str(index_dir), "SEARCHER_RESPONSE_CACHE": "lots"})
    assert error.value.code == "bad_setting"


# --------------------------------------------------------------------------- English readers: glossary and pinyin


@pytest.mark.parametrize("query, term", [("Qianhai", "前海"), ("Lok Ma Chau Loop", "河套"), ("Greater Bay Area", "大湾区"),
                                         ("hong kong-zhuhai-macao bridge", "港珠澳大桥")])
def test_an_english_name_gets_the_chinese_term_of_the_glossary(real_client, query, term):
    body = real_client.get("/api/search", query_string={"q": query}).get_json()
    assert body["total"] == 0 and body["suggestions"]["latin"] is True
    first = body["suggestions"]["glossary"][0]
    assert first["zh"] == term
    assert first["records"] == real_client.get("/api/search", query_string={"q": f'"{term}"'}).get_json()["total"]
    page = page_text(real_client.get("/search", query_string={"q": query}))
    assert 'id="suggestions"' in page and f'>{term}</a>' in page and "没有找到结果" not in page


@pytest.mark.parametrize("query", ["qianhai", "qian hai", "qián hǎi", "qian2 hai3", "Qian Hai"])
def test_pinyin_with_or_without_spaces_and_tones_spells_the_corpus_word(real_engine, query):
    found = real_engine.suggest(query)
    assert "前海" in [t["zh"] for t in found["glossary"]] + [p["text"] for p in found["pinyin"]]


@pytest.mark.parametrize("query, word", [("hengqin", "横琴"), ("dawanqu", "大湾区"), ("kejichuangxin", "科技创新"),
                                         ("shuiziyuan", "水资源")])
def test_pinyin_finds_words_the_glossary_does_not_list(real_engine, query, word):
    found = real_engine.suggest(query)
    spelled = [p["text"] for p in found["pinyin"]] + [t["zh"] for t in found["glossary"]]
    assert word in spelled
    for item in found["pinyin"]:   # every suggestion is a string the corpus holds, counted as a search counts it
        assert item["records"] == len(real_engine.hit_ids(f'"{item["text"]}"')) > 0


def test_chinese_queries_and_latin_queries_with_hits_get_no_suggestion_box(real_client):
    assert real_client.get("/api/search?q=前海").get_json()["suggestions"]["latin"] is False
    body = real_client.get("/api/search?q=IPv6").get_json()
    assert body["total"] > 0 and 'id="suggestions"' not in page_text(real_client.get("/search?q=IPv6"))


def test_glossary_page_and_twin_count_as_search_does(real_client, real_engine):
    body = real_client.get("/api/glossary").get_json()
    assert len(body["terms"]) >= 30 and len({t["id"] for t in body["terms"]}) == len(body["terms"])
    for term in body["terms"]:
        assert term["records"] == len(real_engine.hit_ids(f'"{term["zh"]}"'))
        assert term["url"] == f"/glossary#{term['id']}"
    page = page_text(real_client.get("/glossary"))
    assert all(f'id="{t["id"]}"' in page for t in body["terms"])


def test_a_malformed_glossary_stops_the_corpus_with_a_message(tiny_corpus_dir):
    from searcher.corpus import load_corpus

    (tiny_corpus_dir / "glossary.toml").write_text('[[term]]\nid = "x"\nen = []\nzh = "甲"\n', encoding="utf-8")
    with pytest.raises(SearcherError) as error:
        load_corpus(tiny_corpus_dir)
    assert error.value.code == "glossary_bad_term" and "#1" in error.value.message


def test_the_english_interface_names_documents_in_english_and_numbers_divisions(real_client):
    page = page_text(real_client.get("/search?q=湾区&lang=en"))
    assert "Outline Development Plan for the Guangdong-Hong Kong-Macao Greater Bay Area" in page
    assert "Chapter 3 空间布局" in page                      # the chapter's number translated, its title as printed
    assert "：" not in re.sub(r"<[^>]+>", "", page.split("<main", 1)[1].split('class="hits"', 1)[0])
    chinese = page_text(real_client.get("/search?q=湾区"))
    assert "第三章 空间布局" in chinese


def test_a_lead_in_title_is_marked_where_the_query_stands_in_it(real_client):
    body = real_client.get("/api/search?q=湾区").get_json()
    titled = [hit for hit in body["hits"] if hit["kind"] != "heading" and hit["title"]]
    assert titled
    page = page_text(real_client.get("/search?q=湾区"))
    for hit in titled:
        item = page[page.index(f'data-id="{hit["id"]}"'):]
        heading = item[item.index('<h2 class="hit-title">'):item.index("</h2>")]
        expected = [hit["title"][s:min(e, len(hit["title"]))] for s, e in hit["highlights"] if s < len(hit["title"])]
        assert [html.unescape(m) for m in MARK.findall(heading)] == expected


def test_links_export_every_counted_link_as_csv_and_json(real_client, real_engine):
    import csv
    import io

    index = _link_index(real_engine)
    counted = [link for link in index.links if not link.boilerplate]
    response = real_client.get("/api/links?format=csv")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=links.csv")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [(r["a"], r["b"], r["kind"], float(r["similarity"])) for r in rows] == [
        (link.a, link.b, link.kind, link.similarity) for link in counted]
    body = json.loads(real_client.get("/api/links?format=json&boilerplate=1").data)
    assert body["total"] == len(index.links) == len(body["links"])
    pairs = real_client.get("/api/links?a=zhuxi-metro&b=guangzhou-metro&sort=shared").get_json()["pairs"]
    exported = list(csv.DictReader(io.StringIO(real_client.get(
        "/api/links?a=zhuxi-metro&b=guangzhou-metro&sort=shared&format=csv").data.decode("utf-8-sig"))))
    assert [(r["a"], r["b"], int(r["shared_chars"])) for r in exported] == [
        (p["a"]["id"], p["b"]["id"], p["shared_chars"]) for p in pairs]
    assert 'data-export="csv"' in page_text(real_client.get("/links"))
