"""Search: exact recall against a brute-force oracle, the query language, malformed input,
ranking, facets, highlights and snippets, atomic rebuilds, the module API and the CLI."""
from __future__ import annotations

import json
import random
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from opencc import OpenCC
from whoosh import query as wq

import searcher.search as search_module
from searcher.analysis import jieba_tokenizer
from searcher.cli import main
from searcher.errors import SearcherError
from searcher.index import CURRENT_NAME, live_generation
from searcher.normalize import find_all, merge_spans, normalize, normalize_text
from searcher.search import (
    HEADING_BOOST,
    Engine,
    Results,
    highlight_spans,
    search,
    snippet_window,
)

FIXTURES = Path(__file__).parent / "fixtures"
S2T = OpenCC("s2t")


def _build(corpus_dir: Path, index_dir: Path) -> None:
    """Build the index exactly as `searcher build` does."""
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus_dir), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Engine:
    """The tiny corpus, built once for the read-only tests of this module."""
    root = tmp_path_factory.mktemp("tiny")
    shutil.copytree(FIXTURES / "tiny", root / "corpus")
    _build(root / "corpus", root / "index")
    return Engine.open(root / "corpus", root / "index", build_if_needed=False)


def ids(results: Results) -> list[str]:
    return [hit.id for hit in results.hits]


# --------------------------------------------------------------------------- the oracle

SUBSTRINGS_PER_DOCUMENT = 150   # random substrings of 1-12 characters per document (fixed seed)
ORACLE_SEED = 20190218


def _brute_force(engine: Engine, norm: str) -> set[str]:
    """Every provision whose normalised text contains ``norm``: the truth."""
    texts = _NORMALISED.get(id(engine))
    if texts is None:
        texts = _NORMALISED[id(engine)] = [(p.id, normalize_text(p.text)) for p in engine.corpus.provisions()]
    return {pid for pid, text in texts if norm in text}


_NORMALISED: dict[int, list[tuple[str, str]]] = {}


def _mixed_script(text: str, rng: random.Random) -> str:
    return "".join(S2T.convert(ch) if rng.random() < 0.5 else ch for ch in text)


def _oracle_queries(engine: Engine) -> list[tuple[str, str | None]]:
    """(query text, id of the provision it was cut from or None), in a fixed order."""
    words = sorted({w for p in engine.corpus.provisions() for w in jieba_tokenizer().lcut(normalize_text(p.text))})
    queries: list[tuple[str, str | None]] = [(w, None) for w in words]
    rng = random.Random(ORACLE_SEED)
    for document in engine.corpus.documents:
        for _ in range(SUBSTRINGS_PER_DOCUMENT):
            provision = rng.choice(document.provisions)
            length = rng.randint(1, 12)
            start = rng.randrange(max(1, len(provision.text) - length + 1))
            piece = provision.text[start:start + length]
            queries += [(piece, provision.id), (S2T.convert(piece), None), (_mixed_script(piece, rng), None)]
    return [(q, source) for q, source in queries if normalize_text(q) and '"' not in q]


def test_oracle_every_query_finds_exactly_the_provisions_a_substring_scan_finds(real_engine):
    queries = _oracle_queries(real_engine)
    assert len(queries) > 6000  # every jieba word of the corpus plus 3 x 150 substrings per document
    mismatches = []
    for n, (text, source) in enumerate(queries):
        truth = _brute_force(real_engine, normalize_text(text))
        found = real_engine.hit_ids(f'"{text}"')
        if set(found) != truth or len(found) != len(truth):
            mismatches.append((text, sorted(truth ^ set(found))))
        if source is not None:
            assert source in truth
        if n % 25 == 0:  # the paged API agrees with the id list
            assert real_engine.search(f'"{text}"', size=5).total == len(truth)
    assert mismatches == []


def test_substring_inside_a_longer_word_is_found(real_engine):
    truth = _brute_force(real_engine, "湾区")
    assert len(truth) == 196
    assert set(real_engine.hit_ids("湾区")) == truth == set(real_engine.hit_ids("灣區"))
    assert truth >= _brute_force(real_engine, "粤港澳大湾区") | _brute_force(real_engine, "大湾区")


def test_whitespace_in_the_source_never_prevents_a_match(real_engine):
    assert real_engine.hit_ids("2.1万平方公里") == real_engine.hit_ids("2.1 万平方公里") == ["zhuxi-metro/preface.p1"]
    hit = real_engine.search("委员会广东省").hits[0]
    assert hit.id == "framework-agreement/front"
    [[start, end]] = hit.highlights
    assert hit.text[start:end] == "委員會 廣東省"


# --------------------------------------------------------------------------- query language


@pytest.mark.parametrize("query, expected", [
    ("湾区", ["sample-plan/fn1", "sample-agreement/1.1", "sample-plan/1.p1", "sample-plan/preface.p1", "sample-plan/1.1.p1"]),
    ("灣區", ["sample-plan/fn1", "sample-agreement/1.1", "sample-plan/1.p1", "sample-plan/preface.p1", "sample-plan/1.1.p1"]),
    ("ＩＰＶ６ 升級", ["sample-plan/1.1.p1"]),
    ("创新 建设", ["sample-plan/1.1.1.1", "sample-plan/1.1.p1"]),
    ('"创新 驱动"', ["sample-plan/1.1.p1", "sample-agreement/1.2.p1", "sample-plan/1.p1"]),
    ("码头 OR 实验室", ["sample-plan/box1.1", "sample-plan/1.1.1.3"]),
    ("湾区 -粤港澳", ["sample-plan/1.p1", "sample-plan/1.1.p1"]),
    ("湾区 NOT 粤港澳", ["sample-plan/1.p1", "sample-plan/1.1.p1"]),
    ("湾区 AND 粤港澳", ["sample-plan/fn1", "sample-agreement/1.1", "sample-plan/preface.p1"]),
    ("(码头 OR 实验室) 建设", ["sample-plan/1.1.1.3"]),
    ("-(湾区 OR 建设 OR 发展 OR 协议)", ["sample-plan/box1.1", "sample-agreement/1.2.p1"]),
    ("湾区 doc:sample-agreement", ["sample-agreement/1.1"]),
    ("建设 doc:sample-agreement doc:sample-plan", ["sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3",
                                                   "sample-plan/1.1.p1", "sample-agreement/1.1"]),
    ("建设 chapter:1", ["sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3", "sample-plan/1.1.p1"]),
    ("建设 chapter:第一章", ["sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3", "sample-plan/1.1.p1"]),
    ("建设 chapter:总体", ["sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3", "sample-plan/1.1.p1"]),
    ("港 section:1", ["sample-plan/box1.1", "sample-plan/fn1", "sample-plan/1.1.1.1"]),
    ("港 section:1.1", ["sample-plan/box1.1", "sample-plan/fn1", "sample-plan/1.1.1.1"]),
    ('港 section:"基本 原则"', ["sample-plan/box1.1", "sample-plan/fn1", "sample-plan/1.1.1.1"]),
    ("unit:发展改革委", ["sample-plan/1.1.1.1", "sample-plan/1.1.1.2", "sample-plan/annex.1.p1"]),
    ("unit:教育厅", ["sample-plan/1.1.1.1"]),
    ("doc:sample-agreement", ["sample-agreement/1.1", "sample-agreement/1.2.p1", "sample-agreement/1.2.p2"]),
])
def test_query_language(tiny, query, expected):
    results = tiny.search(query)
    assert ids(results) == expected
    assert results.total == len(expected)
    assert results.warnings == []


def test_filters_argument_adds_to_the_filters_in_the_query(tiny):
    results = tiny.search("建设", filters={"doc": ["sample-plan"], "unit": "科技厅"})
    assert ids(results) == ["sample-plan/1.1.1.1", "sample-plan/1.1.1.3"]
    assert results.filters == {"doc": ["sample-plan"], "chapter": [], "section": [], "unit": ["科技厅"]}
    assert results.interpreted == '"建设" doc:sample-plan unit:科技厅'


def test_interpretation_shows_the_tree_and_the_filters(tiny):
    results = tiny.search('灣區 (碼頭 OR "实 验室") -粤港澳 doc:sample-plan')
    assert results.interpreted == '"湾区" AND ("码头" OR "实验室") AND NOT "粤港澳" doc:sample-plan'


def test_footnotes_are_provisions_too(tiny):
    hit = tiny.search("大湾区指").hits[0]
    assert (hit.id, hit.kind, hit.label, hit.citation) == ("sample-plan/fn1", "footnote", "¹", "《示例规划》脚注1")


# --------------------------------------------------------------------------- malformed input


BOX = ["sample-plan/box1.1"]


@pytest.mark.parametrize("query, warnings, interpreted, expected", [
    ('"粤港澳 大湾', ["Unbalanced quote: the phrase '\"粤港澳 大湾' was closed at the end of the query."], '"粤港澳大湾"',
     ["sample-plan/fn1", "sample-plan/preface.p1", "sample-agreement/1.1"]),
    ("(码头 OR 实验室", ["Unclosed '(' closed at the end of the query."], '"码头" OR "实验室"',
     ["sample-plan/box1.1", "sample-plan/1.1.1.3"]),
    ("码头) 实验室", ["Unmatched ')' ignored."], '"码头" AND "实验室"', []),
    ("码头 OR", ["OR with nothing after it ignored."], '"码头"', BOX),
    ("OR 码头", ["OR with nothing before it ignored."], '"码头"', BOX),
    ("码头 AND", ["AND with nothing on one side ignored."], '"码头"', BOX),
    ("码头 NOT", ["'NOT' with nothing after it ignored."], '"码头"', BOX),
    ("码头 -", ["'-' with nothing after it ignored."], '"码头"', BOX),
    ("码头 ()", ["Empty parentheses ignored."], '"码头"', BOX),
    ('码头 ""', ["Empty phrase ignored."], '"码头"', BOX),
    ("码\x00头\u200b\x07", ["Removed 3 control characters from the query."], '"码头"', BOX),
    ("码头 -doc:sample-plan", ["Filters cannot be negated: -doc:sample-plan ignored."], '"码头"', BOX),
    ("码头 doc:", ["doc: has no value; ignored."], '"码头"', BOX),
    ("(码头 doc:sample-plan)", ["doc:sample-plan applies to the whole query, not only inside its parentheses."],
     '"码头" doc:sample-plan', BOX),
    ("码头 chapter:99", ["No chapter matches chapter:99, so nothing can match."], '"码头" chapter:99', []),
    ("码头 unit:海关总署", ["No responsible unit matches unit:海关总署, so nothing can match."], '"码头" unit:海关总署', []),
])
def test_malformed_input_gets_a_warning_and_a_best_effort_search(tiny, query, warnings, interpreted, expected):
    results = tiny.search(query)
    assert (results.warnings, results.interpreted, ids(results)) == (warnings, interpreted, expected)


@pytest.mark.parametrize("query, filters, page, size, message, hint", [
    ("", None, 1, 20, "Empty query.",
     "Type a word or phrase, e.g. 湾区 or 粵港澳大灣區, or a filter such as doc:gba-outline."),
    (" \u3000\n", None, 1, 20, "Empty query.",
     "Type a word or phrase, e.g. 湾区 or 粵港澳大灣區, or a filter such as doc:gba-outline."),
    ("OR", None, 1, 20, "The query has no search terms: OR with nothing before it ignored. OR with nothing after it ignored.",
     'Operators need terms on both sides, e.g. 前海 OR 南沙; to search for the word OR itself, quote it: "OR".'),
    ("码头 doc:nope", None, 1, 20, "Unknown document 'nope' in doc:nope.", "Known documents: sample-plan, sample-agreement."),
    ("码头", {"doc": ["nope"]}, 1, 20, "Unknown document 'nope' in doc:nope.",
     "Known documents: sample-plan, sample-agreement."),
    ("湾" * 10000, None, 1, 20, "The query is 10000 characters long; the limit is 1000.",
     "Search for a shorter, distinctive passage: 10 to 50 characters find the same provisions."),
    (" ".join(["码头"] * 33), None, 1, 20, "The query has 33 terms and filters; the limit is 32.",
     "Split it into several searches, or quote a phrase to search it as one term."),
    ("码头", {"bogus": ["x"]}, 1, 20, "Unknown filter 'bogus'.", "Use doc, chapter, section, unit."),
    ("码头", {"doc": [1]}, 1, 20, "Filter 'doc' must be a list of strings.", 'e.g. {"doc": ["..."]}.'),
    ("码头", None, 0, 20, "page=0 is not a page number.", "Pages count from 1."),
    ("码头", None, 1, 0, "size=0 is out of range.", "Ask for 1 to 100 hits per page."),
    ("码头", None, 1, 101, "size=101 is out of range.", "Ask for 1 to 100 hits per page."),
    (None, None, 1, 20, "The query must be text.", "Pass the query as a string."),
])
def test_what_cannot_be_searched_is_a_400_with_a_hint(tiny, query, filters, page, size, message, hint):
    with pytest.raises(SearcherError) as error:
        tiny.search(query, filters=filters, page=page, size=size)
    assert (error.value.status, error.value.message, error.value.hint) == (400, message, hint)


def test_deep_nesting_and_long_negation_chains_are_bounded(tiny):
    results = tiny.search("(" * 400 + "码头" + ")" * 400)
    assert ids(results) == BOX
    assert results.warnings == ["Parentheses nested deeper than 16 levels ignored.", "Unmatched ')' ignored."]
    assert ids(tiny.search("-" * 901 + "湾区 码头")) == BOX  # an odd number of minus signs: NOT 湾区
    assert tiny.search("NOT NOT 码头").interpreted == '"码头"'


def test_hostile_input_never_raises_anything_but_searcher_error(tiny):
    rng = random.Random(7)
    alphabet = ['"', "(", ")", "-", " ", "OR", "AND", "NOT", "doc:", "unit:", "chapter:", "码头", "灣區", "\x00", "：", "（"]
    for _ in range(500):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        try:
            results = tiny.search(query)
        except SearcherError as error:
            assert error.status == 400
        else:
            assert results.total == len(tiny.hit_ids(query))


# --------------------------------------------------------------------------- ranking and facets


def test_matches_in_titles_and_heading_paths_rank_higher(tiny):
    results = tiny.search("创新驱动")
    # 1.1.p1: title + twice in the text; the agreement bullet: title + once; 1.p1: once, no title
    assert ids(results) == ["sample-plan/1.1.p1", "sample-agreement/1.2.p1", "sample-plan/1.p1"]
    assert [hit.score for hit in results.hits] == sorted((hit.score for hit in results.hits), reverse=True)


def test_equal_scores_keep_document_order(tiny):
    results = tiny.search("湾区")
    scores = {hit.id: hit.score for hit in results.hits}
    assert scores["sample-plan/preface.p1"] == scores["sample-plan/1.1.p1"]
    assert ids(results)[-2:] == ["sample-plan/preface.p1", "sample-plan/1.1.p1"]


def test_hits_without_a_query_word_come_last_in_document_order(tiny):
    assert [(hit.id, hit.score) for hit in tiny.search("港 section:1").hits] == [
        ("sample-plan/box1.1", 3.5688), ("sample-plan/fn1", 0.0), ("sample-plan/1.1.1.1", 0.0)]


@pytest.mark.parametrize("query", ["湾区", "科技创新", "前海 OR 南沙", "交通 铁路"])
def test_scores_are_whooshs_bm25f_over_words_and_heading(real_engine, query):
    generation = real_engine._state.generation
    words = [w for t in search_module.parse_query(query).positive_terms for w in search_module.query_words(t.norm)]
    terms = [wq.Term("words", w) for w in words] + [wq.Term("heading", w, boost=HEADING_BOOST) for w in words]
    with generation.whoosh.searcher() as searcher:
        expected = {generation.ids[hit.docnum]: round(hit.score, 4)
                    for hit in searcher.search(wq.Or(terms), limit=None)}
    results = real_engine.search_all(query)
    assert {hit.id: hit.score for hit in results.hits if hit.score} == {
        hit.id: expected[hit.id] for hit in results.hits if hit.id in expected}
    order = {p.id: n for n, p in enumerate(real_engine.corpus.provisions())}
    assert ids(results) == sorted(ids(results), key=lambda i: (-next(h.score for h in results.hits if h.id == i), order[i]))


def test_paging_walks_the_same_ranking(real_engine):
    every = real_engine.hit_ids("发展")
    pages = [real_engine.search("发展", page=n, size=100) for n in range(1, 7)]
    assert [hit.id for page in pages for hit in page.hits] == every
    assert [len(page.hits) for page in pages] == [100, 100, 100, 100, 52, 0]
    assert {page.total for page in pages} == {452}


def test_facets_count_hits_per_document_and_chapter(tiny):
    assert tiny.search("湾区").facets == {
        "doc": {"sample-plan": 4, "sample-agreement": 1},
        "chapter": {"sample-plan/preface": {"label": "前言", "title": "", "doc": "sample-plan", "count": 1},
                    "sample-plan/1": {"label": "第一章", "title": "总体要求", "doc": "sample-plan", "count": 3}},
    }


def test_document_facets_add_up_to_the_total(real_engine):
    results = real_engine.search("湾区")
    assert results.facets["doc"] == {"gba-outline": 27, "gd-action-plan": 75, "zhuxi-metro": 39,
                                     "guangzhou-metro": 45, "framework-agreement": 10}
    assert sum(results.facets["doc"].values()) == results.total == 196


# --------------------------------------------------------------------------- highlights and snippets


def test_highlights_are_offsets_into_the_traditional_original(tiny):
    hit = tiny.search("大湾区 OR 一国两制").hits[0]
    assert hit.id == "sample-agreement/1.1"
    assert [hit.text[s:e] for s, e in hit.highlights] == ["一國兩制", "大灣區"]
    assert hit.highlights == [[12, 16], [27, 30]]


def test_every_occurrence_of_every_positive_term_is_marked_and_negated_terms_are_not(tiny):
    hit = tiny.search("创新 驱动 -湾区 OR 码头").hits
    marks = {h.id: [h.text[s:e] for s, e in h.highlights] for h in hit}
    assert marks["sample-agreement/1.2.p1"] == ["創新驅動"]
    assert marks["sample-plan/box1.1"] == ["码头", "码头"]


def test_highlights_on_real_traditional_text_match_the_query(real_engine):
    for hit in real_engine.search_all("灣區 doc:framework-agreement").hits:
        assert hit.highlights
        assert all(normalize_text(hit.text[s:e]) == "湾区" for s, e in hit.highlights)
        assert len(hit.highlights) == normalize_text(hit.text).count("湾区")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="湾區灣区 　Ａa2.㎡\u200b臺台", max_size=40), st.text(alphabet="湾區灣区Ａa2.㎡臺台", min_size=1, max_size=4))
def test_highlight_spans_agree_with_the_normalize_offset_map(text, term):
    norm = normalize_text(term)
    assume(norm)
    assert highlight_spans(text, [norm]) == [list(span) for span in merge_spans(find_all(normalize(text), norm))]


def test_overlapping_occurrences_merge_into_one_span():
    assert highlight_spans("湾区湾区湾", ["湾区湾"]) == [[0, 5]]
    assert highlight_spans("粵港澳 大灣區", ["港澳大", "大湾区"]) == [[1, 7]]


def test_snippet_is_the_best_window_with_its_own_offsets(real_engine):
    for hit in real_engine.search_all("创新 doc:zhuxi-metro").hits:
        assert hit.snippet == hit.text[hit.snippet_start:hit.snippet_start + len(hit.snippet)]
        assert len(hit.snippet) == min(120, len(hit.text))
        assert [hit.snippet[s:e] for s, e in hit.snippet_highlights] == [
            hit.text[hit.snippet_start + s:hit.snippet_start + e] for s, e in hit.snippet_highlights]
        assert all(normalize_text(hit.snippet[s:e]) == "创新" or s == 0 or e == len(hit.snippet)
                   for s, e in hit.snippet_highlights)


def test_snippet_window_prefers_the_passage_with_most_highlights():
    text = "甲" * 200 + "湾区" + "乙" * 30 + "湾区" + "丙" * 200
    assert snippet_window(text, [[0, 1], [200, 202], [232, 234]], 120) == (180, 300)
    assert snippet_window("短文本", [[0, 2]], 120) == (0, 3)


# --------------------------------------------------------------------------- results shape


def test_results_to_dict_is_the_api_shape(tiny):
    data = tiny.search("码头").to_dict()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data == {
        "query": "码头", "total": 1, "page": 1, "size": 20,
        "facets": {"doc": {"sample-plan": 1},
                   "chapter": {"sample-plan/1": {"label": "第一章", "title": "总体要求", "doc": "sample-plan", "count": 1}}},
        "hits": [{
            "id": "sample-plan/box1.1", "doc": "sample-plan", "doc_title": "示例规划",
            "path": [{"id": "sample-plan/1", "kind": "chapter", "label": "第一章", "title": "总体要求"},
                     {"id": "sample-plan/1.1", "kind": "section", "label": "第一节", "title": "基本原则"},
                     {"id": "sample-plan/1.1.1", "kind": "part", "label": "一、", "title": "重点任务"},
                     {"id": "sample-plan/box1", "kind": "box", "label": "专栏1", "title": "重点项目"}],
            "label": "1.", "title": "港口码头", "text": "港口码头。珠海港高栏港区码头工程。",
            "highlights": [[2, 4], [12, 14]], "snippet": "港口码头。珠海港高栏港区码头工程。",
            "snippet_highlights": [[2, 4], [12, 14]], "snippet_start": 0, "url": "/p/sample-plan/box1.1",
            "citation": "《示例规划》专栏1第1项", "score": 11.3458,
            "chapter": {"id": "sample-plan/1", "kind": "chapter", "label": "第一章", "title": "总体要求"},
            "units": None, "kind": "item", "script": "hans"}],
        "warnings": [], "interpreted": '"码头"',
        "filters": {"doc": [], "chapter": [], "section": [], "unit": []},
    }


def test_units_are_reported_on_task_hits(tiny):
    hit = tiny.search("广深港澳").hits[0]
    assert hit.units == {"lead": ["省科技厅"], "participating": ["省发展改革委", "省教育厅"]}


def test_concurrent_searches_agree(tiny):
    queries = ["湾区", "创新 建设", "码头 OR 实验室", "unit:发展改革委"] * 10
    expected = [ids(tiny.search(q)) for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda q: ids(tiny.search(q)), queries)) == expected


# --------------------------------------------------------------------------- rebuilds


@pytest.fixture
def own(tiny_corpus_dir, tmp_path) -> Engine:
    """An engine over a writable copy of the tiny corpus, built through the CLI."""
    _build(tiny_corpus_dir, tmp_path / "index")
    return Engine.open(tiny_corpus_dir, tmp_path / "index", build_if_needed=False)


def _append(corpus_dir: Path, text: str) -> None:
    with open(corpus_dir / "001_plan.txt", "a", encoding="utf-8") as handle:
        handle.write(f"\n{text}\n")


def test_rebuild_is_atomic_and_refresh_switches(own, tiny_corpus_dir, tmp_path):
    assert own.refresh() is False
    before = own.generation
    _append(tiny_corpus_dir, "推进琶洲数字经济试验区建设。")
    _build(tiny_corpus_dir, tmp_path / "index")
    assert own.generation == before
    assert own.search("琶洲").total == 0  # the old generation still answers
    assert own.refresh() is True
    assert own.generation == live_generation(tmp_path / "index") != before
    assert [(hit.id, hit.text) for hit in own.search("琶洲").hits] == [
        ("sample-plan/annex.1.p2", "推进琶洲数字经济试验区建设。")]
    assert own.refresh() is False


def test_an_engine_whose_generation_was_removed_moves_to_the_live_one(own, tiny_corpus_dir, tmp_path):
    first = own.generation
    _build(tiny_corpus_dir, tmp_path / "index")
    _build(tiny_corpus_dir, tmp_path / "index")  # the second rebuild removes the first generation
    assert not (tmp_path / "index" / first).exists()
    assert ids(own.search("码头")) == ["sample-plan/box1.1"]
    assert own.generation == live_generation(tmp_path / "index")


def test_open_rebuilds_a_stale_index(own, tiny_corpus_dir, tmp_path):
    _append(tiny_corpus_dir, "推进琶洲数字经济试验区建设。")
    engine = Engine.open(tiny_corpus_dir, tmp_path / "index")
    assert engine.generation != own.generation
    assert ids(engine.search("琶洲")) == ["sample-plan/annex.1.p2"]


def test_open_without_building_refuses_a_stale_index(own, tiny_corpus_dir, tmp_path):
    _append(tiny_corpus_dir, "推进琶洲数字经济试验区建设。")
    with pytest.raises(SearcherError) as error:
        Engine.open(tiny_corpus_dir, tmp_path / "index", build_if_needed=False)
    assert (error.value.status, error.value.hint) == (503, "Run `searcher build` to (re)build it.")
    assert error.value.message == (
        f"The index cannot be used: the corpus in {tiny_corpus_dir} changed since the index was built.")


def test_open_on_a_damaged_index_says_what_to_run_or_rebuilds(own, tiny_corpus_dir, tmp_path):
    (tmp_path / "index" / CURRENT_NAME).write_text("gen-gone\n", encoding="utf-8")
    with pytest.raises(SearcherError) as error:
        Engine.open(tiny_corpus_dir, tmp_path / "index", build_if_needed=False)
    assert (error.value.status, error.value.message, error.value.hint) == (
        500, f"The index at {tmp_path / 'index'} is damaged (CURRENT names 'gen-gone', which is not an index generation).",
        "Run `searcher build` to (re)build it.")
    assert ids(Engine.open(tiny_corpus_dir, tmp_path / "index").search("码头")) == BOX


def test_module_search_opens_the_default_engine_lazily(tiny_corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SEARCHER_CORPUS", str(tiny_corpus_dir))
    monkeypatch.setenv("SEARCHER_INDEX", str(tmp_path / "index"))
    monkeypatch.setattr(search_module, "_default_engine", None)
    assert ids(search("码头")) == ["sample-plan/box1.1"]
    assert search_module._default_engine is not None
    assert live_generation(tmp_path / "index") is not None


def test_module_search_uses_the_engine_given(tiny):
    assert ids(search("实验室", engine=tiny)) == ["sample-plan/1.1.1.3"]


# --------------------------------------------------------------------------- the CLI


def _cli(tiny: Engine, *args: str):
    return CliRunner().invoke(main, ["search", *args, "--corpus", str(tiny.corpus.root), "--index", str(tiny.index_root)])


def test_cli_search_prints_a_table(tiny):
    result = _cli(tiny, "码头 OR 实验室", "--size", "1")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        '2 hits for "码头" OR "实验室" (sample-plan 2)', "",
        "   1. sample-plan/box1.1  《示例规划》专栏1第1项  [11.3458]",
        "      港口码头。珠海港高栏港区码头工程。", "",
        "Hits 1-1 of 2: --page 2 for more, --all for every hit."]


def test_cli_search_json_is_the_api_shape(tiny):
    result = _cli(tiny, "湾区", "--json", "--doc", "sample-agreement")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == tiny.search("湾区", {"doc": ["sample-agreement"]}).to_dict()


def test_cli_search_all_prints_every_hit(tiny):
    result = _cli(tiny, "湾区", "--all", "--json")
    data = json.loads(result.output)
    assert (data["total"], data["size"], len(data["hits"])) == (5, 5, 5)


def test_cli_search_errors_are_messages_with_hints(tiny):
    result = _cli(tiny, "码头", "--doc", "nope")
    assert result.exit_code == 1
    assert "Error: Unknown document 'nope' in doc:nope. Known documents: sample-plan, sample-agreement." in result.output
    assert "Traceback" not in result.output


def test_cli_search_prints_warnings(tiny):
    result = _cli(tiny, "(码头")
    assert result.exit_code == 0
    assert "note: Unclosed '(' closed at the end of the query." in result.output
