"""The workbench in a real headless Chromium: concordance, frequencies and a CSV download.

Same set-up as tests/test_e2e.py (Debian's chromium driven by Playwright, the app under
waitress on the bundled corpus); screenshots go to tests/screenshots/ (git-ignored).
"""
from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from searcher.normalize import normalize_text

from .test_e2e import SCREENSHOTS, api, base_url, browser, page, search_from_home  # noqa: F401 - fixtures


def kwic_rows(page) -> list[tuple[str, int]]:
    return page.locator("#kwic tbody tr").evaluate_all(
        "rows => rows.map(r => [r.dataset.id, Number(r.dataset.offset)])")


def test_from_search_results_to_the_concordance_and_sort_by_left_context(page, base_url):  # noqa: F811
    search_from_home(page, base_url, "发展")
    results = api(base_url, "/api/search", q="发展")
    page.locator('a[data-workbench="concordance"]').click()
    page.wait_for_url("**/concordance?q=**")
    expected = api(base_url, "/api/concordance", q="发展")
    expect(page.locator("#total")).to_have_attribute("data-total", str(results["occurrences"]))
    assert expected["total"] == results["occurrences"]
    assert kwic_rows(page) == [[line["id"], line["offset"]] for line in expected["lines"]]
    assert {normalize_text(m) for m in page.locator("#kwic td.match mark").all_inner_texts()} == {"发展"}
    page.screenshot(path=SCREENSHOTS / "20-concordance.png")

    page.locator("#sort-0").select_option("left")
    page.locator("#sort-1").select_option("doc")
    page.get_by_role("button", name="显示").click()
    page.wait_for_url("**sort=left**")
    by_left = api(base_url, "/api/concordance", q="发展", sort="left,doc")
    assert kwic_rows(page) == [[line["id"], line["offset"]] for line in by_left["lines"]]
    expect(page.locator("#sort-0")).to_have_value("left")
    page.screenshot(path=SCREENSHOTS / "21-concordance-sorted-left.png")

    first = page.locator("#kwic tbody tr").first
    line_id = first.get_attribute("data-id")
    first.locator("td.match a").click()
    page.wait_for_url(f"**/p/{line_id}")


def test_concordance_csv_download_holds_every_line(page, base_url):  # noqa: F811
    page.goto(base_url + "/concordance?q=%E7%81%A3%E5%8D%80&size=50")   # 灣區, Traditional
    expected = api(base_url, "/api/concordance", q="灣區", format="json")
    with page.expect_download() as info:
        page.locator('a[data-export="csv"]').click()
    download = info.value
    assert download.suggested_filename == "concordance-灣區.csv"
    data = open(download.path(), "rb").read()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == expected["total"] > 50
    assert [(r["id"], int(r["offset"]), r["match"]) for r in rows] == \
           [(line["id"], line["offset"], line["match"]) for line in expected["lines"]]


def test_frequency_view_compares_terms_with_its_charts(page, base_url):  # noqa: F811
    page.goto(base_url + "/frequencies")
    page.get_by_label("检索词 1").fill("创新")
    page.get_by_label("检索词 2").fill("开放、合作")
    page.get_by_role("button", name="比较").click()
    page.wait_for_url("**/frequencies?q=**")
    expected = api(base_url, "/api/frequencies", q=["创新", "开放、合作"])
    assert [row["query"] for row in expected["terms"]] == ["创新", "开放", "合作"]
    totals = page.locator("#frequency-table tfoot td[data-total]").evaluate_all("cells => cells.map(c => c.dataset.total)")
    assert totals == [str(row["total"]) for row in expected["terms"]]
    for row in expected["terms"]:
        assert row["total"] == api(base_url, "/api/concordance", q=row["query"], size=1)["total"]
    charts = page.locator("svg.spread-chart")
    expect(charts).to_have_count(len(expected["documents"]))
    expect(charts.first).to_be_visible()
    outline = expected["documents"][0]
    bars = page.locator(f'#spread-{outline["id"]} svg.spread-chart rect.series-0')
    expect(bars).to_have_count(len(outline["divisions"]))
    assert [int(n) for n in bars.evaluate_all("rs => rs.map(r => r.dataset.occurrences)")] == \
           [d["occurrences"] for d in expected["terms"][0]["documents"][0]["divisions"]]
    assert page.locator(f'#spread-{outline["id"]} svg.spread-chart').evaluate("s => s.getBoundingClientRect().height") > 100
    page.screenshot(path=SCREENSHOTS / "22-frequencies.png", full_page=True)

    page.locator('#frequency-table a[data-term="开放"]').click()
    page.wait_for_url("**/concordance?q=**")
    expect(page.locator("#total")).to_have_attribute("data-total", str(expected["terms"][1]["total"]))


@pytest.mark.parametrize("path, name", [
    ("/concordance?q=%E5%8F%91%E5%B1%95&sort=left", "23-phone-concordance.png"),
    ("/frequencies?q=%E5%88%9B%E6%96%B0&q=%E5%BC%80%E6%94%BE&q=%E5%90%88%E4%BD%9C", "24-phone-frequencies.png"),
])
def test_workbench_pages_fit_a_phone_screen(browser, base_url, path, name):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=SCREENSHOTS / name, full_page=True)
    context.close()
