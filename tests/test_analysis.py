"""Analysis: character grams, jieba words, the analysed record and its cache."""
from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from searcher.analysis import (
    USERDICT_PATH,
    AnalysisCache,
    analyse,
    char_grams,
    jieba_tokenizer,
    query_grams,
    query_words,
    words,
)
from searcher.normalize import normalize_text

# --------------------------------------------------------------------------- character n-grams


def test_grams_are_unigrams_and_bigrams_of_the_normalised_text_at_their_positions():
    assert char_grams(normalize_text("灣區 2.1")) == [
        ("湾", 0), ("湾区", 0), ("区", 1), ("区2", 1), ("2", 2), ("2.", 2), (".", 3), (".1", 3), ("1", 4)]


def test_a_query_needs_its_bigrams_or_its_single_unigram():
    assert query_grams("粤港澳") == ["粤港", "港澳"]
    assert query_grams("港") == ["港"]
    assert query_grams(normalize_text("２.1萬")) == ["2.", ".1", "1万"]
    assert query_grams("") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="湾区大粤港澳灣區 .1", max_size=30), st.text(alphabet="湾区大粤港澳灣區 .1", min_size=1, max_size=6))
def test_consecutive_query_bigrams_at_consecutive_positions_is_exactly_a_substring_test(text, query):
    positions: dict[str, set[int]] = {}
    for gram, position in char_grams(normalize_text(text)):
        positions.setdefault(gram, set()).add(position)
    grams = query_grams(normalize_text(query))
    if not grams:
        return
    found = any(all(p + k in positions.get(g, ()) for k, g in enumerate(grams)) for p in positions.get(grams[0], ()))
    assert found == (normalize_text(query) in normalize_text(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="湾区大粤港澳灣區 .1", max_size=30), st.text(alphabet="湾区大粤港澳灣區 .1", min_size=1, max_size=6))
def test_a_text_holding_a_term_holds_all_its_grams(text, query):
    """The candidate rule of every engine: containing the term implies holding every query gram."""
    norm = normalize_text(query)
    grams = set(analyse(text).grams)
    if norm and norm in normalize_text(text):
        assert set(query_grams(norm)) <= grams


# --------------------------------------------------------------------------- jieba words


def test_words_are_folded_with_offsets_into_the_normalised_text():
    assert words("推進粵港澳 大灣區建設") == [("推进", 0, 2), ("粤港澳大湾区", 2, 8), ("建设", 8, 10)]


def test_user_dictionary_keeps_the_plans_proper_names_whole():
    found = query_words("横琴粤澳深度合作区依托港珠澳大桥对接前海南沙河套粤港澳大湾区")
    assert found == ["横琴粤澳深度合作区", "依托", "港珠澳大桥", "对接", "前海", "南沙", "河套", "粤港澳大湾区"]


def test_words_drop_punctuation():
    assert [w for w, _, _ in words("构建极点带动、轴带支撑的网络化空间格局。")] == [
        "构建", "极点", "带动", "轴带", "支撑", "的", "网络化", "空间", "格局"]


def test_words_are_cut_from_readable_text_and_folded_across_variants():
    # jieba reads 着力 and 著力 alike; the words it gives are folded, so both spellings match
    assert words("著力推進") == words("着力推进")


def test_jieba_is_initialised_once_with_the_user_dictionary():
    first = jieba_tokenizer()
    assert jieba_tokenizer() is first
    assert first.initialized
    assert first.FREQ.get("横琴粤澳深度合作区")


def test_user_dictionary_lines_are_distinct_normalised_words():
    entries = [line.split()[0] for line in USERDICT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(entries) == len(set(entries))
    assert [w for w in entries if normalize_text(w) != w] == []
    assert {"粤港澳大湾区", "横琴粤澳深度合作区", "港珠澳大桥", "前海", "南沙", "河套"} <= set(entries)


def test_query_words_are_distinct_in_order():
    assert query_words("建设粤港澳大湾区，建设前海") == ["建设", "粤港澳大湾区", "前海"]


# --------------------------------------------------------------------------- the analysed record and its cache


def test_analyse_gives_what_every_engine_indexes():
    analysed = analyse("前海 前海合作。")
    assert analysed.norm == "前海前海合作。"
    assert analysed.grams == tuple(sorted({g for g, _ in char_grams("前海前海合作。")}))
    assert analysed.words == (("前海", 2), ("合作", 1))


def test_the_cache_answers_a_text_it_has_seen_without_analysing_it_again(tmp_path):
    cache = AnalysisCache(tmp_path)
    first = cache.get("推进前海合作")
    assert (cache.hits, cache.misses) == (0, 1)
    cache.save()
    again = AnalysisCache(tmp_path)
    assert again.get("推进前海合作") == first and (again.hits, again.misses) == (1, 0)
    again.keep_only(["别的文字"])
    assert again.entries == {}


def test_a_damaged_cache_file_is_only_a_slower_build(tmp_path):
    cache = AnalysisCache(tmp_path)
    cache.get("甲")
    cache.save()
    cache.path.write_bytes(b"not a pickle")
    assert AnalysisCache(tmp_path).entries == {}


def test_the_cache_is_keyed_by_the_text_s_sha256(tmp_path):
    cache = AnalysisCache(tmp_path)
    cache.get("湾区")
    assert list(cache.entries) == [hashlib.sha256("湾区".encode()).digest()]
