"""Search in a real headless Chromium: headings as hits, variant spellings, facets, the unit filter,
readings with notes, the related tier and the excerpt notice. Screenshots go to tests/screenshots/."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.test_e2e import SCREENSHOTS, api, base_url, browser, page  # noqa: F401 - shared fixtures

PHONE = {"width": 390, "height": 844}


def _shots(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_chapter_title_is_a_hit_that_opens_its_place_in_the_reader(page, base_url):
    page.goto(base_url + "/search?q=加快基础设施互联互通")
    headings = page.locator('ol.hits > .hit[data-kind="heading"]')
    expect(headings).to_have_count(3)
    expect(headings.first.locator(".kind-heading")).to_have_text("标题")
    expect(headings.first.locator(".hit-title mark")).to_have_text("加快基础设施互联互通")
    _shots(page, "10-heading-hits")
    headings.first.locator(".hit-title a").click()
    page.wait_for_url(re.compile(r".*/d/[a-z-]+(\?q=[^#]*)?#.+"))
    target = page.url.split("#", 1)[1]
    expect(page.locator(f'[id="{target}"]')).to_be_visible()


def test_a_variant_spelling_finds_and_marks_what_the_source_prints(page, base_url):
    page.goto(base_url + "/search?q=着眼")
    hit = page.locator('.hit[data-id="framework-agreement/1.3.p5"]')
    expect(hit).to_be_visible()
    expect(hit.locator(".snippet mark")).to_have_text("著眼")
    expect(page.locator("#total")).to_contain_text(str(api(base_url, "/api/search", q="著眼")["total"]))


def test_choosing_a_document_keeps_the_other_documents_counts(page, base_url):
    page.goto(base_url + "/search?q=湾区")
    before = page.locator('.facet[data-facet="doc"] .count').all_inner_texts()
    page.locator('.facet[data-facet="doc"][data-value="gba-outline"]').click()
    page.wait_for_url("**doc=gba-outline**")
    expect(page.locator('.facet[data-facet="doc"] .count')).to_have_text(before)
    expect(page.locator('.facet[data-facet="doc"][data-value="gba-outline"]')).to_have_attribute("aria-current", "true")
    division = page.locator('.facet[data-facet="chapter"]').first
    label = division.locator(".facet-name").inner_text()
    division.click()
    page.wait_for_url("**chapter=**")
    chip = page.locator('.chip[data-filter="chapter"]')
    expect(chip).to_contain_text(label.split("\n")[-1].strip())
    expect(chip).not_to_contain_text("gba-outline/")
    _shots(page, "11-facets")


def test_the_unit_filter_can_ask_for_lead_units_only(page, base_url):
    page.goto(base_url + "/search?q=交通")
    page.get_by_label("按责任单位筛选").select_option("省交通运输厅")
    page.get_by_label("仅牵头").check()
    page.locator(".search-form button[type=submit]").first.click()
    page.wait_for_url("**role=lead**")
    expected = api(base_url, "/api/search", q="交通", lead="省交通运输厅")["total"]
    expect(page.locator("#total")).to_have_attribute("data-total", str(expected))
    expect(page.locator('.chip[data-filter="lead"]')).to_contain_text("省交通运输厅（牵头）")
    _shots(page, "12-unit-filter")
    page.goto(base_url + "/units")
    row = page.locator('tr[data-unit="省交通运输厅"]')
    led = api(base_url, "/api/search", lead="省交通运输厅")["total"]
    expect(row.locator("td").nth(0)).to_have_text(str(led))
    _shots(page, "13-units")


def test_a_malformed_query_is_read_with_a_note_and_the_related_tier_follows_the_exact_hits(page, base_url):
    page.goto(base_url + "/search?q=" + "%22口岸 通关")
    expect(page.locator('[data-code="unbalanced_quote"]')).to_contain_text("引号不成对")
    expect(page.locator("#related-h")).to_have_text("相关条目（非精确匹配）")
    related = page.locator(".related-list .hit")
    expect(related.first).to_be_visible()
    assert page.locator(".hits .hit").first.get_attribute("data-id") != related.first.get_attribute("data-id")
    _shots(page, "14-reading-and-related")


def test_the_cut_off_paragraph_says_so_on_its_hit(page, base_url):
    page.goto(base_url + "/search?q=跨境发行人民币债券")
    hit = page.locator('.hit[data-id="gba-outline/6.3.p3"]')
    expect(hit.locator(".kind-excerpt")).to_have_text("节选，原文中断")


def test_an_english_reader_types_pinyin_and_gets_one_click_to_the_chinese_word(page, base_url):
    page.goto(base_url + "/")
    page.locator('[data-pref="lang-en"]').click()
    page.wait_for_url(base_url + "/")
    page.get_by_label("Search terms").fill("qian hai")
    page.get_by_label("Search terms").press("Enter")
    page.wait_for_url("**/search?**")
    box = page.locator("#suggestions")
    expect(box.locator("h2")).to_have_text("The plans are written in Chinese")
    _shots(page, "15-pinyin-suggestion")
    box.locator("a.suggestion", has_text="前海").click()
    page.wait_for_url("**q=%E5%89%8D%E6%B5%B7**")
    expect(page.locator("#total")).to_contain_text("results")
    expect(page.locator('.facet[data-facet="doc"]').first).to_contain_text("Plan")   # English document titles
    _shots(page, "16-english-results")
    page.locator('[data-pref="lang-zh"]').click()
