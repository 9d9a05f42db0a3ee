"""End to end in a real headless Chromium (Debian's, driven by Playwright): what a researcher does.

The app runs under waitress on a free loopback port, on the bundled corpus indexed into a
temporary folder. Screenshots of each step go to tests/screenshots/ (git-ignored).
"""
from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import waitress
from playwright.sync_api import expect, sync_playwright

from searcher.normalize import to_script
from searcher.web import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def base_url(real_engine):
    server = waitress.create_server(create_app({"SEARCHER_ENGINE": real_engine}), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    yield page
    context.close()


def api(base_url: str, path: str, **params) -> dict:
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(f"{base_url}{path}?{query}") as response:
        return json.load(response)


def search_from_home(page, base_url: str, query: str) -> None:
    page.goto(base_url + "/")
    page.get_by_label("检索词").fill(query)
    page.get_by_label("检索词").press("Enter")
    page.wait_for_url("**/search?**")
    expect(page.locator("#total")).to_be_visible()


def snippet_marks(page) -> list[str]:
    return page.locator(".hit .snippet mark").all_inner_texts()


def expected_marks(results: dict, script: str | None = None) -> list[str]:
    marks = []
    for hit in results["hits"]:
        snippet = to_script(hit["snippet"], script) if script else hit["snippet"]
        marks += [snippet[s:e] for s, e in hit["snippet_highlights"]]
    return marks


def test_traditional_query_marks_the_simplified_hits(page, base_url):
    search_from_home(page, base_url, "粵港澳大灣區")
    results = api(base_url, "/api/search", q="粵港澳大灣區")
    expect(page.locator("#total")).to_have_attribute("data-total", str(results["total"]))
    assert page.locator(".hit").evaluate_all("hits => hits.map(h => h.dataset.id)") == [h["id"] for h in results["hits"]]
    assert snippet_marks(page) == expected_marks(results)
    assert "粤港澳大湾区" in snippet_marks(page)  # Simplified text, found by a Traditional query
    assert page.get_by_label("检索词").input_value() == "粵港澳大灣區"
    page.screenshot(path=SCREENSHOTS / "01-search-traditional-query.png", full_page=True)


def test_apply_and_remove_a_document_facet(page, base_url):
    search_from_home(page, base_url, "湾区建设")
    everything = api(base_url, "/api/search", q="湾区建设")
    page.locator('a.facet[data-facet="doc"][data-value="gd-action-plan"]').click()
    page.wait_for_url("**doc=gd-action-plan**")
    expect(page.locator("#total")).to_have_attribute("data-total", str(everything["facets"]["doc"]["gd-action-plan"]))
    ids = page.locator(".hit").evaluate_all("hits => hits.map(h => h.dataset.id)")
    assert ids and all(i.startswith("gd-action-plan/") for i in ids)
    expect(page.locator('a.facet.on[data-value="gd-action-plan"]')).to_have_attribute("aria-current", "true")
    page.screenshot(path=SCREENSHOTS / "02-facet-applied.png", full_page=True)
    page.locator('a.facet.on[data-value="gd-action-plan"]').click()
    page.wait_for_url(lambda url: "doc=" not in url)
    expect(page.locator("#total")).to_have_attribute("data-total", str(everything["total"]))
    expect(page.locator("a.facet.on")).to_have_count(0)


def test_open_a_provision_and_copy_its_citation(page, base_url):
    search_from_home(page, base_url, "世界旅游休闲中心")
    first = page.locator(".hit").first
    provision_id = first.get_attribute("data-id")
    first.locator(".hit-title a").first.click()
    page.wait_for_url(f"**/p/{provision_id}")
    expected = api(base_url, f"/api/p/{provision_id}")
    expect(page.locator("#cite-citation")).to_have_text(expected["cite"]["citation"])
    page.locator('button[data-copy-target="cite-citation"]').click()
    expect(page.locator('button[data-copy-target="cite-citation"]')).to_have_attribute("data-state", "copied")
    assert page.evaluate("navigator.clipboard.readText()") == expected["cite"]["citation"]
    page.locator('button[data-copy-target="cite-gbt"]').click()
    expect(page.locator('button[data-copy-target="cite-gbt"]')).to_have_attribute("data-state", "copied")
    assert page.evaluate("navigator.clipboard.readText()") == expected["cite"]["gbt7714"]
    expect(page.locator("#live")).to_have_text("已复制")
    page.screenshot(path=SCREENSHOTS / "03-provision-citation.png", full_page=True)


def test_toggle_the_script_keeps_the_highlights_in_place(page, base_url):
    search_from_home(page, base_url, "湾区")
    results = api(base_url, "/api/search", q="湾区")
    page.locator('[data-pref="script-hant"]').click()
    page.wait_for_url("**/search?**")
    expect(page.locator('[data-pref="script-hant"]')).to_have_attribute("aria-current", "true")
    assert snippet_marks(page) == expected_marks(results, "hant")
    assert set(snippet_marks(page)) == {"灣區"}
    page.screenshot(path=SCREENSHOTS / "04-script-traditional.png", full_page=True)
    page.goto(base_url + "/p/gba-outline/2.2.p1")
    text = api(base_url, "/api/p/gba-outline/2.2.p1")["provision"]["text"]
    expect(page.locator("#text")).to_have_text(to_script(text, "hant"))
    expect(page.locator("#cite-quote")).to_have_text(text)  # the quote stays as in the source
    page.locator('[data-pref="script-hans"]').click()
    page.wait_for_url("**/p/gba-outline/2.2.p1")
    page.goto(base_url + "/p/framework-agreement/1.1")
    agreement = api(base_url, "/api/p/framework-agreement/1.1")["provision"]["text"]
    expect(page.locator("#text")).to_have_text("（一）" + to_script(agreement, "hans"))
    page.screenshot(path=SCREENSHOTS / "05-script-simplified-agreement.png", full_page=True)


def test_switch_the_interface_language(page, base_url):
    page.goto(base_url + "/search?q=%E6%B9%BE%E5%8C%BA")
    expect(page.locator(".search-form button[type=submit]")).to_have_text("搜索")
    page.locator('[data-pref="lang-en"]').click()
    page.wait_for_url("**/search?q=**")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".search-form button[type=submit]")).to_have_text("Search")
    body = api(base_url, "/api/search", q="湾区")
    expect(page.locator("#total")).to_contain_text(f"{body['total']} results, {body['occurrences']} occurrences")
    page.screenshot(path=SCREENSHOTS / "06-interface-english.png", full_page=False)
    page.goto(base_url + "/")  # remembered across pages
    expect(page.get_by_role("heading", name="Documents")).to_be_visible()
    page.locator('[data-pref="lang-zh"]').click()
    page.wait_for_url(base_url + "/")
    expect(page.get_by_role("heading", name="文件", exact=True)).to_be_visible()


def test_keyboard_reaches_the_skip_link_and_the_search_box(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    assert page.locator(".skip-link").evaluate("a => a.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    page.wait_for_url("**/#main")
    page.goto(base_url + "/")
    page.get_by_label("检索词").focus()
    page.keyboard.type("前海")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=**")
    expect(page.locator("#total")).to_have_attribute("data-total", str(api(base_url, "/api/search", q="前海")["total"]))


@pytest.mark.parametrize("path, name", [
    ("/search?q=%E6%B9%BE%E5%8C%BA", "07-phone-search.png"),
    ("/p/framework-agreement/1.2", "08-phone-provision.png"),
    ("/d/zhuxi-metro", "09-phone-document.png"),
    ("/", "10-phone-documents.png"),
])
def test_pages_fit_a_phone_screen(browser, base_url, path, name):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / name)
    context.close()


def test_document_reader_marks_hits_and_jumps_to_the_provision(page, base_url):
    page.goto(base_url + "/d/gba-outline?q=%E6%B9%BE%E5%8C%BA#gba-outline/2.4.p2")
    expect(page.locator(".outline")).to_be_visible()
    document = api(base_url, "/api/docs/gba-outline", q="湾区")
    expected = [p["text"][s:e] for p in document["provisions"] for s, e in document["marks"].get(p["id"], [])]
    assert page.locator(".document-text mark").all_inner_texts() == expected
    assert page.locator('[id="gba-outline/2.4.p2"]').evaluate("e => e.matches(':target')")
    page.screenshot(path=SCREENSHOTS / "11-document-reader.png")


def test_compare_and_links_pages(page, base_url):
    page.goto(base_url + "/links")
    page.locator("table.matrix a").first.click()
    page.wait_for_url("**/links?a=**")
    expect(page.locator("#pairs .link-item").first).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "12-links.png", full_page=False)
    first = page.locator("#pairs .link-item").first
    shown = first.locator(".similarity").inner_text()
    first.get_by_role("link", name="对照").click()
    page.wait_for_url("**/compare?a=**")
    expect(page.locator(".comparison .similarity")).to_have_text(shown)   # the same number on both pages
    page.screenshot(path=SCREENSHOTS / "13-compare.png", full_page=True)


def test_choose_two_provisions_by_search_and_compare_them(page, base_url):
    page.goto(base_url + "/compare")
    page.fill("#qa", "港珠澳大桥")
    page.locator("#choose-a button").click()
    page.wait_for_url("**/compare?qa=**")
    page.locator("#choose-a a.choose").first.click()
    page.wait_for_url("**/compare?a=**")
    page.fill("#qb", "港珠澳大橋")
    page.locator("#choose-b button").click()
    page.locator("#choose-b a.choose").nth(1).click()
    page.wait_for_url("**b=**")
    expect(page.locator(".comparison")).to_be_visible()
    a, b = page.evaluate("[new URL(location).searchParams.get('a'), new URL(location).searchParams.get('b')]")
    body = api(base_url, "/api/compare", a=a, b=b)
    expect(page.locator(".comparison .similarity")).to_have_text(f"相似度 {body['similarity_percent']}%")
    assert page.locator("table.aligned tbody tr").count() == len(body["comparison"]["rows"])
    page.screenshot(path=SCREENSHOTS / "14-compare-chosen.png", full_page=True)


def test_loose_pair_shows_lone_sentences_whole_at_phone_width(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + "/compare?a=gba-outline/2.3.p5&b=zhuxi-metro/2.3.p5")
    body = api(base_url, "/api/compare", a="gba-outline/2.3.p5", b="zhuxi-metro/2.3.p5")
    lone = [row for row in body["comparison"]["rows"] if row["op"] == "insert"]
    assert lone and page.locator("tr.row-insert").count() == len(lone)
    assert page.locator("tr.row-insert td:nth-child(2)").first.inner_text() == body["b"]["text"][lone[0]["b"][0]:lone[0]["b"][1]]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / "15-phone-compare.png", full_page=True)
    context.close()


def test_boilerplate_toggle_and_versions_view(page, base_url):
    links = api(base_url, "/api/links", boilerplate="1")
    page.goto(base_url + "/links")
    expect(page.locator("#links-counted")).to_contain_text("不含套话")
    page.check("#boilerplate")
    page.locator(".links-form button").click()
    page.wait_for_url("**boilerplate=1**")
    expect(page.locator("#links-counted")).to_contain_text("含套话")
    assert links["total"] > api(base_url, "/api/links")["total"]
    provision = api(base_url, "/api/p/gba-outline/2.2.p4")
    page.goto(base_url + "/p/gba-outline/2.2.p4")
    assert page.locator(".also-in .link-item").count() == len(provision["links"])
    page.locator("[data-versions]").click()
    page.wait_for_url("**/versions/**")
    assert page.locator(".version").count() == provision["versions"] + 1
    page.screenshot(path=SCREENSHOTS / "16-versions.png", full_page=True)
