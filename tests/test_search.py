"""Search: exact recall against a brute-force oracle (provisions and headings, every script and
variant), the query language and its best-effort readings, ranking, the related tier, facets,
highlights and snippets, atomic rebuilds, the module API and the CLI."""
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

import searcher.search as search_module
from searcher.analysis import jieba_tokenizer
from searcher.cli import main
from searcher.engine import ENGINES
from searcher.errors import SearcherError
from searcher.highlight import highlight_spans, snippet_window
from searcher.index import CURRENT_NAME, live_generation
from searcher.normalize import find_all, merge_spans, normalize, normalize_text, variant_classes
from searcher.rank import exact_ceilings, exact_score, idf
from searcher.search import Engine, Results, search

FIXTURES = Path(__file__).parent / "fixtures"
S2T = OpenCC("s2t")


def _build(corpus_dir: Path, index_dir: Path, *engine: str) -> None:
    """Build the index exactly as `searcher build` does (``"--engine", NAME`` to choose the engine)."""
    result = CliRunner().invoke(main, ["build", "--corpus", str(corpus_dir), "--index", str(index_dir), *engine])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", params=ENGINES)
def tiny(tmp_path_factory, request) -> Engine:
    """The tiny corpus, built once per engine for the read-only tests of this module."""
    root = tmp_path_factory.mktemp(f"tiny-{request.param}")
    shutil.copytree(FIXTURES / "tiny", root / "corpus")
    _build(root / "corpus", root / "index", "--engine", request.param)
    return Engine.open(root / "corpus", root / "index", build_if_needed=False)


def ids(results: Results) -> list[str]:
    return [hit.id for hit in results.hits]


# --------------------------------------------------------------------------- the oracle

SUBSTRINGS_PER_DOCUMENT = 150   # random substrings of 1-12 characters per document (fixed seed)
ORACLE_SEED = 20190218


def _record_texts(engine: Engine) -> list[tuple[str, str]]:
    """(id, text) of every provision and every printed heading, straight from the corpus model."""
    out = []
    for document in engine.corpus.documents:
        out += [(p.id, p.text) for p in document.provisions]
        out += [(f"{document.id}/{h.id}", f"{h.label} {h.title}") for h in document.headings
                if not h.from_catalog and not h.is_entry]
    return out


def _brute_force(engine: Engine, norm: str) -> set[str]:
    """Every provision or heading whose normalised text contains ``norm``: the truth."""
    texts = _NORMALISED.get(id(engine))
    if texts is None:
        texts = _NORMALISED[id(engine)] = [(rid, normalize_text(text)) for rid, text in _record_texts(engine)]
    return {rid for rid, text in texts if norm in text}


_NORMALISED: dict[int, list[tuple[str, str]]] = {}


def _mixed_script(text: str, rng: random.Random) -> str:
    return "".join(S2T.convert(ch) if rng.random() < 0.5 else ch for ch in text)


def _oracle_queries(engine: Engine) -> list[tuple[str, str | None]]:
    """(query text, id of the record it was cut from or None), in a fixed order."""
    words = sorted({w for _, text in _record_texts(engine) for w in jieba_tokenizer().lcut(normalize_text(text))})
    queries: list[tuple[str, str | None]] = [(w, None) for w in words]
    rng = random.Random(ORACLE_SEED)
    for document in engine.corpus.documents:
        records = [(rid, text) for rid, text in _record_texts(engine) if rid.startswith(document.id + "/")]
        for _ in range(SUBSTRINGS_PER_DOCUMENT):
            rid, text = rng.choice(records)
            length = rng.randint(1, 12)
            start = rng.randrange(max(1, len(text) - length + 1))
            piece = text[start:start + length]
            queries += [(piece, rid), (S2T.convert(piece), None), (_mixed_script(piece, rng), None)]
    return [(q, source) for q, source in queries if normalize_text(q) and '"' not in q]


def test_oracle_every_query_finds_exactly_the_records_a_substring_scan_finds(each_real_engine):
    queries = _oracle_queries(each_real_engine)
    assert len(queries) > 6000  # every jieba word of the corpus plus 3 x 150 substrings per document
    mismatches = []
    for n, (text, source) in enumerate(queries):
        truth = _brute_force(each_real_engine, normalize_text(text))
        found = each_real_engine.hit_ids(f'"{text}"')
        if set(found) != truth or len(found) != len(truth):
            mismatches.append((text, sorted(truth ^ set(found))))
        if source is not None:
            assert source in truth
        if n % 25 == 0:  # the paged API agrees with the id list
            assert each_real_engine.search(f'"{text}"', size=5).total == len(truth)
    assert mismatches == []


def test_oracle_every_variant_of_every_folded_character_finds_the_same_records(each_real_engine):
    """For each character of OpenCC's folding classes that the corpus prints, every variant finds the same."""
    printed = {ch for _, text in _record_texts(each_real_engine) for ch in text}
    classes: dict[str, list[str]] = {}
    for ch, folded in variant_classes().items():
        classes.setdefault(folded, []).append(ch)
    checked = 0
    for members in classes.values():
        if not printed.intersection(members):
            continue
        truth = None
        for variant in members:
            found = set(each_real_engine.hit_ids(f'"{variant}"'))
            truth = found if truth is None else truth
            assert found == truth, (members, variant)
        assert truth == {rid for rid, text in _record_texts(each_real_engine) if any(m in text for m in members)}
        checked += 1
    assert checked > 600   # 681 classes have a member in the corpus


SAME_ANSWER_QUERIES = [
    "湾区", "灣區", "粤港澳大湾区", "大湾区 -深圳", "前海 OR 南沙", "(广州 OR 深圳) 交通 -铁路", '"一国两制"',
    "科技创新 doc:gba-outline", "unit:发展改革委 科技", "chapter:3 创新", "2.1万平方公里", "IPv6", "港", "发展",
    "水安全", "深中通道", "口岸 通关", "宜居宜业宜游", "着眼", "人民币",
]


@pytest.mark.parametrize("query", SAME_ANSWER_QUERIES)
def test_every_engine_gives_the_same_pages_hits_order_highlights_and_related_tier(real_engine, real_tantivy_engine,
                                                                                 query):
    for options in ({}, {"sort": "document"}, {"page": 2, "size": 5}):
        expected = real_engine.search(query, **options).to_dict()
        assert real_tantivy_engine.search(query, **options).to_dict() == expected
    assert real_tantivy_engine.search_all(query).to_dict() == real_engine.search_all(query).to_dict()


@pytest.mark.parametrize("one, other", [("著力", "着力"), ("着眼", "著眼"), ("為", "爲"), ("於", "于"), ("平臺", "平台")])
def test_variant_spellings_search_as_one(each_real_engine, one, other):
    assert each_real_engine.hit_ids(one) == each_real_engine.hit_ids(other) and each_real_engine.hit_ids(one)


def test_the_agreement_s_zhuo_yan_is_found_by_the_simplified_spelling(each_real_engine):
    hit = each_real_engine.search("着眼 doc:framework-agreement").hits[0]
    assert [hit.text[s:e] for s, e in hit.highlights] == ["著眼"]   # marked on the character the source prints


def test_substring_inside_a_longer_word_is_found(each_real_engine):
    truth = _brute_force(each_real_engine, "湾区")
    provisions = {p.id for p in each_real_engine.corpus.provisions() if "湾区" in normalize_text(p.text)}
    assert len(provisions) == 196 and provisions < truth
    assert set(each_real_engine.hit_ids("湾区")) == truth == set(each_real_engine.hit_ids("灣區"))
    assert truth >= _brute_force(each_real_engine, "粤港澳大湾区") | _brute_force(each_real_engine, "大湾区")


def test_whitespace_in_the_source_never_prevents_a_match(each_real_engine):
    assert each_real_engine.hit_ids("2.1万平方公里") == each_real_engine.hit_ids("2.1 万平方公里") == ["zhuxi-metro/preface.p1"]
    hit = each_real_engine.search("委员会广东省").hits[0]
    assert hit.id == "framework-agreement/front"
    [[start, end]] = hit.highlights
    assert hit.text[start:end] == "委員會 廣東省"


# --------------------------------------------------------------------------- headings are hits


@pytest.mark.parametrize("query, expected", [
    ("加快基础设施互联互通", {"gba-outline/5", "zhuxi-metro/3", "zhuxi-metro/annex.1"}),
    ("建设国际科技创新中心", {"gba-outline/4", "gd-action-plan/2"}),
    ("建设宜居宜业宜游的优质生活圈", {"gd-action-plan/6"}),
])
def test_chapter_titles_are_hits_of_their_own(each_real_engine, query, expected):
    results = each_real_engine.search(query)
    headings = {hit.id for hit in results.hits if hit.kind == "heading"}
    assert headings == expected
    for hit in results.hits:
        if hit.kind == "heading":
            assert hit.text == f"{hit.label} {hit.title}" and hit.url == f"/d/{hit.doc}#{hit.id}"
            assert [hit.text[s:e] for s, e in hit.highlights] == [query]


def test_the_action_plan_s_only_occurrence_is_its_part_heading(each_real_engine):
    hits = each_real_engine.search("宜居宜业宜游 doc:gd-action-plan").hits
    assert [(h.id, h.kind, h.heading_kind, h.text) for h in hits] == [
        ("gd-action-plan/6", "heading", "part", "六、 建设宜居宜业宜游的优质生活圈")]


def test_breadcrumbs_carry_highlights_where_a_heading_holds_the_term(each_real_engine):
    hit = next(h for h in each_real_engine.search_all("基础设施 doc:zhuxi-metro").hits
               if h.path and h.path[0]["id"] == "zhuxi-metro/3")
    chapter = hit.path[0]
    assert chapter["label"] == "第三章"
    text = f"{chapter['label']} {chapter['title']}"
    assert [text[s:e] for s, e in chapter["highlights"]] == ["基础设施"]


# --------------------------------------------------------------------------- query language


@pytest.mark.parametrize("query, expected", [
    ("湾区", {"sample-plan/fn1", "sample-agreement/1.1", "sample-plan/1.p1", "sample-plan/preface.p1", "sample-plan/1.1.p1"}),
    ("灣區", {"sample-plan/fn1", "sample-agreement/1.1", "sample-plan/1.p1", "sample-plan/preface.p1", "sample-plan/1.1.p1"}),
    ("ＩＰＶ６ 升級", {"sample-plan/1.1.p1"}),
    ("创新 建设", {"sample-plan/1.1.1.1", "sample-plan/1.1.p1"}),
    ('"创新 驱动"', {"sample-plan/1.1.p1", "sample-agreement/1.2.p1", "sample-plan/1.p1"}),
    ("码头 OR 实验室", {"sample-plan/box1.1", "sample-plan/1.1.1.3"}),
    ("湾区 -粤港澳", {"sample-plan/1.p1", "sample-plan/1.1.p1"}),
    ("湾区 NOT 粤港澳", {"sample-plan/1.p1", "sample-plan/1.1.p1"}),
    ("湾区 AND 粤港澳", {"sample-plan/fn1", "sample-agreement/1.1", "sample-plan/preface.p1"}),
    ("(码头 OR 实验室) 建设", {"sample-plan/1.1.1.3"}),
    ("-(湾区 OR 建设 OR 发展 OR 协议 OR 重点)", {"sample-plan/title", "sample-plan/preface", "sample-plan/1",
                                             "sample-plan/1.1", "sample-plan/annex", "sample-agreement/1",
                                             "sample-agreement/1.2", "sample-agreement/1.2.p1", "sample-plan/box1.1"}),
    ("湾区 doc:sample-agreement", {"sample-agreement/1.1"}),
    ("建设 doc:sample-agreement doc:sample-plan", {"sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3",
                                                   "sample-plan/1.1.p1", "sample-agreement/1.1", "sample-plan/annex.1"}),
    # chapter: is the top-level division, numbered as the plan numbers it: 第一章 here, 一、 in the agreement
    ("建设 chapter:1", {"sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3", "sample-plan/1.1.p1",
                        "sample-agreement/1.1"}),
    ("建设 chapter:第一章", {"sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3", "sample-plan/1.1.p1",
                          "sample-agreement/1.1"}),
    ("建设 chapter:总体", {"sample-plan/1.1.1.1", "sample-plan/1.1.1.p1", "sample-plan/1.1.1.3", "sample-plan/1.1.p1"}),
    ("建设 chapter:sample-plan/annex", {"sample-plan/annex.1"}),
    ("港 section:1", {"sample-plan/box1.1", "sample-plan/fn1", "sample-plan/1.1.1.1"}),
    ("港 section:1.1", {"sample-plan/box1.1", "sample-plan/fn1", "sample-plan/1.1.1.1"}),
    ('港 section:"基本 原则"', {"sample-plan/box1.1", "sample-plan/fn1", "sample-plan/1.1.1.1"}),
    ("unit:发展改革委", {"sample-plan/1.1.1.1", "sample-plan/1.1.1.2", "sample-plan/annex.1.p1"}),
    ("unit:教育厅", {"sample-plan/1.1.1.1"}),
    ("unit:省自然资源厅", {"sample-plan/1.1.1.2", "sample-plan/annex.1.p1"}),   # printed 自然资源厅 in the annex
    ("lead:省发展改革委", {"sample-plan/1.1.1.2"}),
    ("lead:省科技厅 unit:省发展改革委", {"sample-plan/1.1.1.1"}),
    ("doc:sample-agreement", {"sample-agreement/title", "sample-agreement/1", "sample-agreement/1.1",
                              "sample-agreement/1.2", "sample-agreement/1.2.p1", "sample-agreement/1.2.p2"}),
    ("重点", {"sample-plan/1.1.1", "sample-plan/box1"}),   # two headings: 一、重点任务 and 专栏1 重点项目
])
def test_query_language(tiny, query, expected):
    results = tiny.search(query)
    assert set(ids(results)) == expected
    assert results.total == len(expected) == len(ids(results))
    assert results.warnings == []


def test_filters_argument_adds_to_the_filters_in_the_query(tiny):
    results = tiny.search("建设", filters={"doc": ["sample-plan"], "unit": "科技厅"})
    assert set(ids(results)) == {"sample-plan/1.1.1.1", "sample-plan/1.1.1.3"}
    assert results.filters == {"doc": ["sample-plan"], "chapter": [], "section": [], "unit": ["科技厅"], "lead": []}
    assert results.interpreted == '"建设" doc:sample-plan unit:科技厅'


def test_interpretation_shows_the_tree_and_the_filters(tiny):
    results = tiny.search('灣區 (碼頭 OR "实 验室") -粤港澳 doc:sample-plan')
    assert results.interpreted == '"湾区" AND ("码头" OR "实验室") AND NOT "粤港澳" doc:sample-plan'


def test_footnotes_are_provisions_too(tiny):
    hit = tiny.search("大湾区指").hits[0]
    assert (hit.id, hit.kind, hit.label, hit.citation) == ("sample-plan/fn1", "footnote", "¹", "《示例规划》脚注1")


def test_sort_by_document_order_lists_hits_as_the_plans_read(tiny, each_real_engine):
    results = tiny.search("建设", sort="document")
    assert ids(results) == ["sample-plan/1.1.p1", "sample-plan/1.1.1.1", "sample-plan/1.1.1.3", "sample-plan/1.1.1.p1",
                            "sample-plan/annex.1", "sample-agreement/1.1"]
    order = [r.id for r in each_real_engine.records()]
    found = ids(each_real_engine.search("合作", sort="document", size=100))
    assert found == sorted(found, key=order.index)


# --------------------------------------------------------------------------- best-effort readings


BOX = ["sample-plan/box1.1"]


@pytest.mark.parametrize("query, codes, interpreted, expected", [
    ('"粤港澳 大湾', ["unbalanced_quote"], '"粤港澳" AND "大湾"',
     ["sample-plan/fn1", "sample-plan/preface.p1", "sample-agreement/1.1"]),
    ('"前海 (', ["unbalanced_quote", "unclosed_paren", "empty_parens"], '"前海"', []),
    ("(码头 OR 实验室", ["unclosed_paren"], '"码头" OR "实验室"', ["sample-plan/box1.1", "sample-plan/1.1.1.3"]),
    ("码头) 实验室", ["unmatched_close_paren"], '"码头" AND "实验室"', []),
    ("码头 OR", ["or_without_right"], '"码头"', BOX),
    ("OR 码头", ["or_without_left"], '"码头"', BOX),
    ("码头 AND", ["and_one_sided"], '"码头"', BOX),
    ("码头 NOT", ["not_without_term"], '"码头"', BOX),
    ("码头 -", ["not_without_term"], '"码头"', BOX),
    ("码头 ()", ["empty_parens"], '"码头"', BOX),
    ('码头 ""', ["empty_phrase"], '"码头"', BOX),
    ("码\x00头\u200b\x07", ["control_characters"], '"码头"', BOX),
    ("码头 -doc:sample-plan", ["filter_negated"], '"码头"', BOX),
    ("码头 doc:", ["filter_without_value"], '"码头"', BOX),
    ("(码头 doc:sample-plan)", ["filter_in_parens"], '"码头" doc:sample-plan', BOX),
    ("码头 chapter:99", ["filter_matches_nothing"], '"码头" chapter:99', []),
    ("码头 unit:海关总署", ["filter_matches_nothing"], '"码头" unit:海关总署', []),
    ("码头 doc:nope", ["unknown_document_filter"], '"码头" doc:nope', BOX),
    ("码头 title:港口", ["unknown_filter_word"], '"码头" AND "港口"', BOX),
    ("码*", ["wildcard_dropped"], '"码"', BOX),
    ("港?码头", ["wildcard_dropped"], '"港" AND "码头"', BOX),
    ("OR", ["operators_only"], '"or"', []),
    ("\u200b", ["control_characters", "nothing_searchable"], "", []),
])
def test_malformed_input_gets_a_note_and_a_best_effort_search(tiny, query, codes, interpreted, expected):
    results = tiny.search(query)
    assert ([w.code for w in results.warnings], results.interpreted, sorted(ids(results))) == (
        codes, interpreted, sorted(expected))


def test_a_lone_star_lists_every_record(tiny):
    results = tiny.search("*", size=100)
    assert [w.code for w in results.warnings] == ["wildcard_everything"]
    assert results.total == len(tiny.records()) == 24


def test_every_note_exists_in_chinese_and_english(tiny):
    from searcher.messages import MESSAGES
    for zh, en in MESSAGES.values():
        assert zh and en and zh != en
    results = tiny.search('"码头 (')
    assert [w.to_dict("zh")["message"] for w in results.warnings][0].startswith("引号不成对")
    assert [w.to_dict("en")["message"] for w in results.warnings][0].startswith("Unbalanced quote")


@pytest.mark.parametrize("query, filters, page, size, code", [
    ("", None, 1, 20, "empty_query"),
    (" \u3000\n", None, 1, 20, "empty_query"),
    ("湾" * 10000, None, 1, 20, "query_too_long"),
    (" ".join(["码头"] * 33), None, 1, 20, "query_too_many_terms"),
    ("码头", {"bogus": ["x"]}, 1, 20, "unknown_filter"),
    ("码头", {"doc": [1]}, 1, 20, "filter_not_strings"),
    ("码头", None, 0, 20, "bad_page"),
    ("码头", None, 1, 0, "bad_size"),
    ("码头", None, 1, 101, "bad_size"),
    (None, None, 1, 20, "query_not_text"),
])
def test_what_cannot_be_searched_is_a_400_with_a_hint(tiny, query, filters, page, size, code):
    with pytest.raises(SearcherError) as error:
        tiny.search(query, filters=filters, page=page, size=size)
    assert (error.value.status, error.value.code) == (400, code)
    assert error.value.message and error.value.hint and error.value.localized("zh")[1]


def test_deep_nesting_and_long_negation_chains_are_bounded(tiny):
    results = tiny.search("(" * 400 + "码头" + ")" * 400)
    assert ids(results) == BOX
    assert [w.code for w in results.warnings] == ["deep_parens", "unmatched_close_paren"]
    assert ids(tiny.search("-" * 901 + "湾区 码头")) == BOX  # an odd number of minus signs: NOT 湾区
    assert tiny.search("NOT NOT 码头").interpreted == '"码头"'


def test_hostile_input_never_raises_anything_but_searcher_error(tiny):
    rng = random.Random(7)
    alphabet = ['"', "(", ")", "-", " ", "OR", "AND", "NOT", "doc:", "unit:", "chapter:", "码头", "灣區", "\x00", "：",
                "（", "*", "?", "x:"]
    for _ in range(500):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        try:
            results = tiny.search(query)
        except SearcherError as error:
            assert error.status == 400 and not query.strip()
        else:
            assert results.total == len(tiny.hit_ids(query))


# --------------------------------------------------------------------------- ranking and the related tier


def test_ranking_scores_follow_the_documented_formula(each_real_engine):
    state = each_real_engine._state
    for query in ["湾区", "科技创新", "前海 OR 南沙", "交通 铁路", "社会保障"]:
        results = each_real_engine.search_all(query)
        terms = [t.norm for t in search_module.parse_query(query).positive_terms]
        count = state.generation.doc_count
        weights = [(t, idf(count, len(each_real_engine._term_docs(state, t))), {d for d in range(count) if state.generation.stands_as_word(d, t)}) for t in terms]
        docnums = {state.generation.ids[d]: d for d in range(count)}
        for hit in results.hits:
            d = docnums[hit.id]
            assert hit.score == round(exact_score(state.features[d], d, weights, state.average), 4)
        order = {r.id: n for n, r in enumerate(each_real_engine.records())}
        assert ids(results) == sorted(ids(results), key=lambda i: (-next(h.score for h in results.hits if h.id == i), order[i]))


def test_a_title_that_holds_the_query_ranks_above_passing_mentions(tiny):
    results = tiny.search("创新驱动")
    # 1.1.p1: title + twice in the text; the agreement bullet: title + once; 1.p1: once, no title
    assert ids(results) == ["sample-plan/1.1.p1", "sample-agreement/1.2.p1", "sample-plan/1.p1"]


def test_a_term_only_inside_the_unit_list_ranks_below_every_provision_using_it(each_real_engine):
    hits = [h for h in each_real_engine.search_all("社会保障").hits if h.kind != "heading"]
    wording = [h.text[:h.units["span"][0]] + h.text[h.units["span"][1]:] if h.units else h.text for h in hits]
    unit_only = [n for n, text in enumerate(wording) if "社会保障" not in normalize_text(text)]
    assert unit_only and min(unit_only) > max(n for n in range(len(hits)) if n not in unit_only)


def test_paging_walks_the_same_ranking(each_real_engine):
    every = each_real_engine.hit_ids("发展")
    pages = [each_real_engine.search("发展", page=n, size=100, related=False) for n in range(1, 8)]
    assert [hit.id for page in pages for hit in page.hits] == every
    total = len(every)
    assert [len(page.hits) for page in pages] == [min(100, max(0, total - 100 * n)) for n in range(7)]
    assert {page.total for page in pages} == {total}


@pytest.mark.parametrize("query", ["发展", "港", "湾区", "建设 合作", "前海 OR 南沙", "社会保障", "大湾区 -深圳", "的"])
def test_a_page_ranked_by_ceilings_is_the_page_of_the_full_ranking(real_engine, query):
    """Top-k ranking (exact scores only where a ceiling could still place the hit) changes no page."""
    every = [(h.id, h.score) for h in real_engine.search_all(query).hits]
    for size in (1, 7, 20, 100):
        for page in (1, 2, 5):
            shown = real_engine.search(query, page=page, size=size, related=False).hits
            assert [(h.id, h.score) for h in shown] == every[(page - 1) * size: page * size]


def test_a_ceiling_is_never_below_the_exact_score(real_engine):
    state = real_engine._state
    for query in ["发展", "湾区 合作", "社会保障", "港", "南沙"]:
        terms = real_engine._term_weights(state, [t.norm for t in search_module.parse_query(query).positive_terms])
        hits = real_engine._match(state, query, None).hits
        for bound, d in exact_ceilings(state.columns, hits, terms):
            assert -bound >= exact_score(state.features[d], d, terms, state.average) - 1e-12


def test_related_records_come_after_the_last_exact_hit_and_are_labelled(each_real_engine):
    first = each_real_engine.search("口岸 通关", size=2)
    assert first.related == [] and first.total == 4                      # not on an early page
    last = each_real_engine.search("口岸 通关", page=2, size=2)
    assert last.related and all(not hit.exact for hit in last.related)
    exact = set(each_real_engine.hit_ids("口岸 通关"))
    assert exact.isdisjoint(hit.id for hit in last.related)
    assert "gd-action-plan/3.22" in [hit.id for hit in last.related]   # 加强口岸基础设施建设 has 口岸 only
    assert all(hit.exact for hit in last.hits)


def test_related_records_respect_filters_and_negations(each_real_engine):
    related = each_real_engine.search("口岸 通关 doc:gd-action-plan -莲塘").related
    assert related and all(hit.doc == "gd-action-plan" for hit in related)
    assert all("莲塘" not in normalize_text(hit.text) for hit in related)


@pytest.mark.parametrize("query", ["国际科技创新中心", "碳达峰", "水安全", "口岸 通关", "职业资格 -香港", "科技创新 合作平台"])
def test_pruning_light_pieces_leaves_the_related_tier_unchanged(real_engine, monkeypatch, query):
    """MaxScore pruning (rank.light_pieces) only skips records that could not reach the threshold."""
    pruned = real_engine.search(query, size=100).related
    monkeypatch.setattr(search_module, "light_pieces", lambda pieces: set())
    real_engine.clear_caches()
    every = real_engine.search(query, size=100).related
    assert pruned and [(h.id, h.score) for h in pruned] == [(h.id, h.score) for h in every]


@pytest.mark.parametrize("query", ["5G", "IPv6", "5G 口岸"])
def test_letters_and_digits_of_a_latin_term_make_no_related_record(real_engine, query):
    """G of 5G, v6 of IPv6: a record sharing only these with the query is not related to it."""
    related = real_engine.search(query, size=100).related
    latin = [t for t in query.split() if t.isascii()]
    for hit in related:
        norm = normalize_text(hit.text + " ".join(step["title"] for step in hit.path))
        assert any(t.lower() in norm for t in latin) or any(not ch.isascii() and ch in norm for ch in query)


def test_related_tier_reaches_provisions_under_a_matching_heading(each_real_engine):
    related = {hit.id for hit in each_real_engine.search("合作开放 doc:zhuxi-metro").related}
    chapter = {r.id for r in each_real_engine.records() if r.path and r.path[0].id == "zhuxi-metro/10"}
    assert related & chapter


def test_facets_count_hits_per_document_and_division(tiny):
    assert tiny.search("湾区").facets == {
        "doc": {"sample-plan": 4, "sample-agreement": 1},
        "chapter": {"sample-plan/preface": {"label": "前言", "title": "", "kind": "preface", "doc": "sample-plan", "count": 1},
                    "sample-plan/1": {"label": "第一章", "title": "总体要求", "kind": "chapter", "doc": "sample-plan",
                                      "count": 3},
                    "sample-agreement/1": {"label": "一、", "title": "總則", "kind": "part", "doc": "sample-agreement",
                                           "count": 1}},
    }


def test_a_facet_s_counts_ignore_its_own_filter(each_real_engine):
    everything = each_real_engine.search("湾区").facets["doc"]
    chosen = each_real_engine.search("湾区 doc:gba-outline")
    assert chosen.facets["doc"] == everything                      # the other documents' counts stay in view
    assert chosen.total == everything["gba-outline"]
    assert set(chosen.facets["chapter"]) == {c for c in chosen.facets["chapter"] if c.startswith("gba-outline/")}


def test_every_plan_has_its_top_level_divisions_as_facet_values(each_real_engine):
    divisions = each_real_engine.search("发展").facets["chapter"]
    docs = {value["doc"] for value in divisions.values()}
    assert docs == {d.id for d in each_real_engine.corpus.documents}
    assert divisions["gd-action-plan/1"]["label"] == "一、" and divisions["framework-agreement/2"]["label"] == "二、"
    assert divisions["zhuxi-metro/3"]["title"] == "加快基础设施互联互通"


def test_document_facets_add_up_to_the_total(each_real_engine):
    results = each_real_engine.search("湾区")
    assert sum(results.facets["doc"].values()) == results.total == len(_brute_force(each_real_engine, "湾区"))


def test_occurrences_count_every_match_in_every_hit(each_real_engine):
    results = each_real_engine.search_all("湾区")
    truth = sum(normalize_text(text).count("湾区") for rid, text in _record_texts(each_real_engine))
    assert results.occurrences == truth == sum(hit.occurrences for hit in results.hits)


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


def test_highlights_on_real_traditional_text_match_the_query(each_real_engine):
    for hit in each_real_engine.search_all("灣區 doc:framework-agreement").hits:
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


def test_snippet_is_the_best_window_with_its_own_offsets(each_real_engine):
    for hit in each_real_engine.search_all("创新 doc:zhuxi-metro").hits:
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
    hit = data["hits"][0]
    assert data == {
        "query": "码头", "total": 1, "occurrences": 2, "page": 1, "size": 20, "sort": "relevance",
        "facets": {"doc": {"sample-plan": 1},
                   "chapter": {"sample-plan/1": {"label": "第一章", "title": "总体要求", "kind": "chapter",
                                                 "doc": "sample-plan", "count": 1}}},
        "hits": [{
            "id": "sample-plan/box1.1", "doc": "sample-plan", "doc_title": "示例规划", "kind": "item", "heading_kind": "",
            "path": [{"id": "sample-plan/1", "kind": "chapter", "label": "第一章", "title": "总体要求", "highlights": []},
                     {"id": "sample-plan/1.1", "kind": "section", "label": "第一节", "title": "基本原则", "highlights": []},
                     {"id": "sample-plan/1.1.1", "kind": "part", "label": "一、", "title": "重点任务", "highlights": []},
                     {"id": "sample-plan/box1", "kind": "box", "label": "专栏1", "title": "重点项目", "highlights": []}],
            "label": "1.", "title": "港口码头", "text": "港口码头。珠海港高栏港区码头工程。",
            "highlights": [[2, 4], [12, 14]], "snippet": "港口码头。珠海港高栏港区码头工程。",
            "snippet_highlights": [[2, 4], [12, 14]], "snippet_start": 0, "url": "/p/sample-plan/box1.1",
            "citation": "《示例规划》专栏1第1项", "score": hit["score"],
            "division": {"id": "sample-plan/1", "kind": "chapter", "label": "第一章", "title": "总体要求"},
            "units": None, "script": "hans", "complete": True, "exact": True, "occurrences": 2}],
        "related": data["related"],
        "warnings": [], "interpreted": '"码头"',
        "filters": {"doc": [], "chapter": [], "section": [], "unit": [], "lead": []},
    }
    assert hit["score"] > 0 and all(not r["exact"] for r in data["related"])


def test_units_are_reported_on_task_hits(tiny):
    hit = tiny.search("广深港澳").hits[0]
    assert hit.units == {"lead": ["省科技厅"], "participating": ["省发展改革委", "省教育厅"],
                         "printed": {"lead": ["省科技厅"], "participating": ["省发展改革委", "省教育厅"]},
                         "span": [26, 44]}


def test_a_provision_cut_by_the_excerpt_is_marked_on_its_hit(each_real_engine):
    hits = {hit.id: hit for hit in each_real_engine.search_all("人民币").hits}
    assert hits["gba-outline/6.3.p3"].complete is False
    assert all(hit.complete for hid, hit in hits.items() if hid != "gba-outline/6.3.p3")


def test_concurrent_searches_agree(tiny):
    queries = ["湾区", "创新 建设", "码头 OR 实验室", "unit:发展改革委"] * 10
    expected = [ids(tiny.search(q)) for q in queries]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(lambda q: ids(tiny.search(q)), queries)) == expected


# --------------------------------------------------------------------------- rebuilds


@pytest.fixture
def own(tiny_corpus_dir, tmp_path, engine_name) -> Engine:
    """An engine over a writable copy of the tiny corpus, built through the CLI by each engine in turn."""
    _build(tiny_corpus_dir, tmp_path / "index", "--engine", engine_name)
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
    assert error.value.localized("zh")[1] == "运行 `searcher build` 重建索引。"
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
    score = tiny.search("码头 OR 实验室").hits[0].score
    assert result.output.splitlines() == [
        '2 hits, 3 occurrences, for "码头" OR "实验室" (sample-plan 2)', "",
        f"   1. sample-plan/box1.1  《示例规划》专栏1第1项  [{score:g}]",
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
    assert result.exit_code == 0
    assert "note: No document 'nope' (doc:nope); the filter was ignored. Known documents: sample-plan, " \
           "sample-agreement." in result.output
    assert "Traceback" not in result.output


def test_cli_search_prints_warnings(tiny):
    result = _cli(tiny, "(码头")
    assert result.exit_code == 0
    assert "note: Unclosed '(' closed at the end of the query." in result.output


def test_matched_lists_every_exact_hit_in_document_order_with_its_terms(real_engine):
    matched = real_engine.matched("湾区 -深圳")
    assert [r.id for r in matched.records] == [r.id for r in real_engine.records()
                                              if r.id in set(real_engine.hit_ids("湾区 -深圳"))]
    assert matched.terms == ["湾区"] and matched.norms == [normalize_text(r.text) for r in matched.records]
