"""Hostile and malformed input, property-based: the query parser, search() and the HTTP API.

Whatever a researcher pastes, the answer is a 200 or a 400 with a message: never another
exception, never a 500, never a traceback. Caps (1,000 characters, 32 terms, 16 levels of
parentheses) keep the work per query bounded; hypothesis runs without a deadline because
timing on these shared machines is not a property of the code.
"""
from __future__ import annotations

import shutil
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searcher.errors import SearcherError
from searcher.query import MAX_QUERY_CHARS, parse_query
from searcher.web import create_app

from .conftest import FIXTURES, open_engine

ODD = ["\ud800", "\udfff", "\u200d", "\u200b", "\u202e", "\u0301", "\x00", "\x1b", "\ufeff", "*", "?", '"', "(", ")",
       "-", " OR ", " AND ", " NOT ", "doc:", "chapter:", "section:", "unit:", "doc:nope", "：", "（", "）", "灣區", "湾区",
       "码头", "大湾区", "%", "&", "<script>", "\"><img onerror=alert(1)>", "'", "\\", "\n", "\t"]
QUERIES = st.lists(st.one_of(st.text(max_size=6), st.sampled_from(ODD)), max_size=40).map("".join)
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def dirs(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURES / "tiny", root / "corpus")
    engine = open_engine(root / "corpus", root / "index")
    return root / "corpus", root / "index", engine


@pytest.fixture(scope="module")
def engine(dirs):
    return dirs[2]


@pytest.fixture(scope="module")
def client(dirs):
    corpus, index, engine = dirs
    app = create_app({"SEARCHER_CORPUS": str(corpus), "SEARCHER_INDEX": str(index), "SEARCHER_ENGINE": engine,
                      "TESTING": False})
    return app.test_client()


@SETTINGS
@given(QUERIES)
def test_query_parser_answers_or_refuses_with_a_message(text):
    try:
        parsed = parse_query(text)
    except SearcherError as error:
        assert error.status == 400 and error.message and error.hint
    else:
        assert len(parsed.terms) <= 32


@SETTINGS
@given(QUERIES)
def test_search_returns_results_or_a_400(engine, text):
    try:
        results = engine.search(text)
    except SearcherError as error:
        assert error.status == 400 and error.message
    else:
        assert results.total == len(engine.hit_ids(text))
        for hit in results.hits:
            for start, end in hit.highlights:
                assert 0 <= start < end <= len(hit.text)


@SETTINGS
@given(QUERIES)
def test_api_search_is_200_or_400_json(client, text):
    # Lone surrogates cannot be sent as text: a client sends their (invalid UTF-8) bytes.
    encoded = urllib.parse.quote_from_bytes(text.encode("utf-8", "surrogatepass"))
    response = client.get("/api/search?q=" + encoded)
    assert response.status_code in (200, 400), response.data[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    if response.status_code == 400:
        assert body["ok"] is False and body["error"] and body["status"] == 400


@SETTINGS
@given(st.binary(max_size=60))
def test_search_page_survives_arbitrary_bytes_in_the_url(client, raw):
    response = client.get("/search?q=" + urllib.parse.quote_from_bytes(raw) + "&doc=" + urllib.parse.quote_from_bytes(raw))
    assert response.status_code in (200, 400)
    assert b"Traceback" not in response.data
    assert b"<script>" not in response.data.replace(b'<script src="/static/', b"")


@SETTINGS
@given(st.binary(max_size=60))
def test_compare_and_links_pages_survive_arbitrary_bytes_in_the_url(client, raw):
    value = urllib.parse.quote_from_bytes(raw)
    for path in (f"/compare?qa={value}&qb={value}", f"/compare?a={value}&b=sample-plan/1.1.p1",
                 f"/links?a={value}&b={value}&sort={value}&boilerplate={value}", f"/versions/{value}",
                 f"/p/sample-plan/1.1.p1?boilerplate={value}"):
        response = client.get(path)
        assert response.status_code in (200, 308, 400, 404), path   # 308: Werkzeug merges a doubled slash
        assert b"Traceback" not in response.data
        assert b"<script>" not in response.data.replace(b'<script src="/static/', b"")


@pytest.mark.parametrize("query", [
    "湾区" * 5_000,                                    # 10,000 characters
    " ".join(["码头"] * 3_000),                          # thousands of terms
    "(" * 5_000 + "码头" + ")" * 5_000,                  # deep nesting
    "NOT " * 2_000 + "码头",
    "码头 OR " * 1_000 + "码头",
    "doc:" * 300,
    "*?" * 400,
    "\x00" * 1_000,
])
def test_pathological_queries_are_bounded_and_answered(client, query):
    response = client.get("/api/search", query_string={"q": query})
    assert response.status_code in (200, 400)
    body = response.get_json()
    if len(query) > MAX_QUERY_CHARS:
        assert response.status_code == 400 and str(MAX_QUERY_CHARS) in body["error"] + body.get("hint", "")


@pytest.mark.parametrize("path", [
    "/p/../../etc/passwd", "/p/..%2F..%2Fetc%2Fpasswd", "/p/%2e%2e/%2e%2e/etc/passwd", "/d/..%2f..%2fetc",
    "/api/p/../../etc/passwd", "/api/docs/..%2F..%2Fcorpus", "/p/gba-outline%00.p1", "/d/%00", "/static/../corpus/catalog.toml",
    "/static/..%2fcorpus%2fcatalog.toml", "/p/gba-outline/../../../../etc/passwd", "/api/p/%252e%252e%252fetc",
    "/versions/../../etc/passwd", "/versions/%2e%2e/%2e%2e/etc/passwd", "/api/versions/..%2F..%2Fcorpus",
])
def test_traversal_and_id_injection_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"root:" not in response.data and b"[[document]]" not in response.data


def test_headers_forbid_inline_script_and_sniffing(client):
    for path in ("/", "/search?q=%E6%B9%BE%E5%8C%BA", "/api/search?q=x", "/p/nope"):
        response = client.get(path)
        assert "script-src 'self'" in response.headers["Content-Security-Policy"] or \
            "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_serving_every_page_never_writes_into_the_corpus(dirs, client):
    corpus = dirs[0]
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in corpus.iterdir()}
    paths = ["/", "/api/docs", "/links", "/api/links", "/help", "/search?q=%E6%B9%BE%E5%8C%BA", "/d/sample-plan",
             "/api/docs/sample-plan", "/p/sample-plan/1.1.1.1", "/api/p/sample-plan/1.1.1.1",
             "/compare?a=sample-plan/1.1.p1&b=sample-agreement/1.1", "/compare?qa=%E5%90%88%E4%BD%9C",
             "/versions/sample-plan/1.1.p1", "/links?boilerplate=1", "/prefs?lang=en&next=/"]
    for path in paths:
        assert client.get(path).status_code in (200, 303), path
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in corpus.iterdir()} == before
