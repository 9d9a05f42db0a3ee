"""Analysis: the character n-gram and jieba tokenizers, their positions, offsets and modes."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Phrase

from searcher.analysis import (
    USERDICT_PATH,
    CharGramTokenizer,
    JiebaTokenizer,
    jieba_tokenizer,
    query_grams,
    query_words,
    word_analyzer,
)
from searcher.normalize import normalize_text


def _tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, **kwargs)]


# --------------------------------------------------------------------------- character n-grams


def test_grams_are_unigrams_and_bigrams_of_the_normalised_text_with_offsets_into_the_original():
    assert _tokens(CharGramTokenizer(), "灣區 2.1") == [
        ("湾", 0, 0, 1), ("湾区", 0, 0, 2), ("区", 1, 1, 2), ("区2", 1, 1, 4), ("2", 2, 3, 4), ("2.", 2, 3, 5),
        (".", 3, 4, 5), (".1", 3, 4, 6), ("1", 4, 5, 6)]


def test_grams_honour_start_pos_and_start_char():
    tokens = [(t.text, t.pos, t.startchar) for t in CharGramTokenizer()("甲乙", positions=True, chars=True,
                                                                           start_pos=10, start_char=100)]
    assert tokens == [("甲", 10, 100), ("甲乙", 10, 100), ("乙", 11, 101)]


def test_query_mode_emits_only_the_bigrams_or_the_single_unigram():
    assert _tokens(CharGramTokenizer(), "粵港澳", mode="query") == [("粤港", 0, 0, 2), ("港澳", 1, 1, 3)]
    assert _tokens(CharGramTokenizer(), "港", mode="query") == [("港", 0, 0, 1)]
    assert query_grams("２.1萬") == ["2.", ".1", "1万"]
    assert query_grams("") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="湾区大粤港澳灣區 .1", max_size=30), st.text(alphabet="湾区大粤港澳灣區 .1", min_size=1, max_size=6))
def test_consecutive_query_bigrams_at_consecutive_positions_is_exactly_a_substring_test(text, query):
    positions: dict[str, set[int]] = {}
    for token in CharGramTokenizer()(text, positions=True):
        positions.setdefault(token.text, set()).add(token.pos)
    grams = query_grams(normalize_text(query))
    if not grams:
        return
    found = any(all(p + k in positions.get(g, ()) for k, g in enumerate(grams)) for p in positions.get(grams[0], ()))
    assert found == (normalize_text(query) in normalize_text(text))


def test_whoosh_phrase_over_query_bigrams_finds_a_substring_across_a_space():
    schema = fields.Schema(grams=fields.TEXT(analyzer=CharGramTokenizer(), phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        writer.add_document(grams="土地面积约2.1 万平方公里")
        writer.add_document(grams="万平方 公里2.1")
    with ix.searcher() as searcher:
        found = [hit.docnum for hit in searcher.search(Phrase("grams", query_grams("2.1万平方公里")))]
    assert found == [0]


# --------------------------------------------------------------------------- jieba words


def test_jieba_positions_are_word_ordinals_not_character_offsets():
    assert _tokens(JiebaTokenizer(), "推進粵港澳大灣區建設") == [
        ("推进", 0, 0, 2), ("粤港澳大湾区", 1, 2, 8), ("建设", 2, 8, 10)]


def test_jieba_offsets_point_into_text_with_spaces_and_honour_start_pos():
    tokens = [(t.text, t.pos, t.startchar, t.endchar)
              for t in JiebaTokenizer()("前海 合作", positions=True, chars=True, start_pos=5, start_char=2)]
    assert tokens == [("前海", 5, 2, 4), ("合作", 6, 5, 7)]


def test_index_mode_is_the_plain_cut():
    assert _tokens(JiebaTokenizer(), "建设大灣區", mode="index") == [("建设", 0, 0, 2), ("大湾区", 1, 2, 5)]


def test_user_dictionary_keeps_the_plans_proper_names_whole():
    words = query_words("横琴粤澳深度合作区依托港珠澳大桥对接前海南沙河套粤港澳大湾区")
    assert words == ["横琴粤澳深度合作区", "依托", "港珠澳大桥", "对接", "前海", "南沙", "河套", "粤港澳大湾区"]


def test_word_analyzer_drops_punctuation():
    text = "构建极点带动、轴带支撑的网络化空间格局。"
    words = [t.text for t in word_analyzer()(text)]
    assert words == ["构建", "极点", "带动", "轴带", "支撑", "的", "网络化", "空间", "格局"]


def test_words_are_cut_from_readable_text_and_folded_across_variants():
    # jieba reads 着力 and 著力 alike; the words it emits are folded, so both spellings match
    assert [t.text for t in word_analyzer()("著力推進")] == [t.text for t in word_analyzer()("着力推进")]


def test_whoosh_phrase_over_jieba_words_works_because_positions_are_ordinals():
    schema = fields.Schema(words=fields.TEXT(analyzer=word_analyzer(), phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        writer.add_document(words="推进粤港澳大湾区建设")
        writer.add_document(words="建设粤港澳大湾区")
    with ix.searcher() as searcher:
        found = [hit.docnum for hit in searcher.search(Phrase("words", ["粤港澳大湾区", "建设"]))]
    assert found == [0]


def test_jieba_is_initialised_once_with_the_user_dictionary():
    first = jieba_tokenizer()
    assert jieba_tokenizer() is first
    assert first.initialized
    assert first.FREQ.get("横琴粤澳深度合作区")


def test_user_dictionary_lines_are_distinct_normalised_words():
    words = [line.split()[0] for line in USERDICT_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(words) == len(set(words))
    assert [w for w in words if normalize_text(w) != w] == []
    assert {"粤港澳大湾区", "横琴粤澳深度合作区", "港珠澳大桥", "前海", "南沙", "河套"} <= set(words)


def test_query_words_are_distinct_in_order():
    assert query_words("建设粤港澳大湾区，建设前海") == ["建设", "粤港澳大湾区", "前海"]
