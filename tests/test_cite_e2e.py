"""Citations in a real headless Chromium: download a RIS file from a provision page, see the excerpt notice.

Same set-up as tests/test_e2e.py (Debian's chromium driven by Playwright, the app under waitress on
a free loopback port). Screenshots at desktop and phone width go to tests/screenshots/.
"""
from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path

import pytest
import rispy
import waitress
from playwright.sync_api import expect, sync_playwright

from searcher.web import create_app

from .test_cite import parse_bibtex

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
EXCERPT = "gba-outline/6.3.p3"


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


def new_page(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", accept_downloads=True)
    return context, context.new_page()


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url) as response:
        return response.read()


def test_download_a_ris_file_from_a_provision_page(browser, base_url):
    cite = json.loads(fetch(f"{base_url}/api/p/{EXCERPT}"))["cite"]
    context, page = new_page(browser, 1280)
    page.goto(f"{base_url}/p/{EXCERPT}")
    link = page.locator('.cite-download-group[data-scope="cite_this_provision"] a[data-format="ris"]')
    expect(link).to_have_text("RIS（EndNote、NoteExpress）")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "gba-outline_6.3.p3.ris"
    text = Path(download.path()).read_bytes().decode("utf-8")   # as saved: CRLF line ends kept
    [entry] = rispy.loads(text)
    assert (entry["type_of_reference"], entry["id"], entry["title"], entry["authors"], entry["section"], entry["notes"]) == (
        "GOVDOC", EXCERPT, "粤港澳大湾区发展规划纲要", ["中共中央", "国务院"], cite["locator"], [cite["csl"]["note"]])
    assert entry["urls"] == [f"{base_url}/p/{EXCERPT}"]
    assert text == fetch(f"{base_url}/api/p/{EXCERPT}/cite?format=ris").decode("utf-8")
    context.close()


def test_download_the_whole_documents_bibtex(browser, base_url):
    context, page = new_page(browser, 1280)
    page.goto(f"{base_url}/p/framework-agreement/2.4")
    with page.expect_download() as info:
        page.locator('.cite-download-group[data-scope="cite_whole_document"] a[data-format="bibtex"]').click()
    assert info.value.suggested_filename == "framework-agreement.bib"
    [entry] = parse_bibtex(Path(info.value.path()).read_text(encoding="utf-8"))
    assert (entry.key, entry.fields_dict["url"].value) == ("framework-agreement", f"{base_url}/d/framework-agreement")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_excerpt_notice_and_citation_block_fit_the_screen(browser, base_url, width):
    context, page = new_page(browser, width)
    page.goto(f"{base_url}/p/{EXCERPT}")
    expect(page.locator("#excerpt-notice")).to_be_visible()
    expect(page.locator("#cite-citation")).to_have_text("《粤港澳大湾区发展规划纲要》第六章第三节第3段（节选，原文至此中断）")
    expect(page.locator(".Z3988")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SCREENSHOTS / f"cite-provision-excerpt-{width}.png", full_page=True)
    page.goto(f"{base_url}/d/gba-outline")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=SCREENSHOTS / f"cite-document-{width}.png")
    context.close()


def test_copy_the_online_reference(browser, base_url):
    cite = json.loads(fetch(f"{base_url}/api/p/zhuxi-metro/box3.1.2"))["cite"]
    context, page = new_page(browser, 1280)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.goto(f"{base_url}/p/zhuxi-metro/box3.1.2")
    page.locator('button[data-copy-target="cite-gbt"]').click()
    expect(page.locator('button[data-copy-target="cite-gbt"]')).to_have_attribute("data-state", "copied")
    assert page.evaluate("navigator.clipboard.readText()") == cite["gbt7714"]
    assert cite["gbt7714"].startswith("珠江口西岸都市圈发展规划[Z/OL]. [")
    context.close()
