"""Rank: where a mention stands (clause roles, enumerations, unit lists) and the exact score it earns."""
from __future__ import annotations

import pytest

from searcher.normalize import normalize_text
from searcher.rank import Features, Mentions, clause_role, exact_score, mentions


@pytest.mark.parametrize("text, start, role", [
    ("加快推进轨道交通建设,完善站点布局", 4, "directed"),          # directive verb opens the clause
    ("支持在自贸片区开展试点", 3, "directed"),                     # the term is where the measure happens
    ("高质量建设信息网络", 5, "directed"),                         # a manner word before the verb is skipped
    ("依托现代农业产业园,发展特色农业", 2, "means"),               # a means verb opens the clause
    ("更好发挥龙头企业作用", 4, "means"),                          # an adverb before the means verb is skipped
    ("随着轨道交通建成,都市圈联系更加紧密", 2, "means"),
    ("依托产业园,推进轨道交通建设", 8, "directed"),                # a clause break ends the means clause
    ("推动区块链人工智能大数据云计算物联网等前沿技术应用", 15, "plain"),  # past DIRECTIVE_REACH
    ("轨道交通网络基本建成", 0, "plain"),                          # a statement, no verb before it
    ("区域轨道交通网络基本建成", 2, "plain"),
    ("加強軌道交通建設", 2, "directed"),                           # Traditional verbs are normalised like the text
])
def test_the_verb_opening_the_clause_decides_a_mentions_role(text, start, role):
    assert clause_role(normalize_text(text), start) == role


def test_mentions_are_sorted_by_where_they_stand():
    norm = "加快轨道交通建设。依托轨道交通站点,布局商业设施。公路、轨道交通、机场。轨道交通网络基本建成。(牵头单位:省轨道交通局)"
    units = (norm.index("省"), len(norm) - 1)
    assert mentions(norm, "轨道交通", units) == Mentions(plain=1, directed=1, means=1, listed=1, in_units=1)
    assert mentions(norm, "轨道交通", units).weighted() == pytest.approx(1 + 1.5 + 0.6 + 0.4)


def _features(norm: str) -> Features:
    return Features(norm=norm, length=20, units=None, title="", path_text="", path_ids=(), weight=1.0, heading=False)


@pytest.mark.parametrize("norm, score", [
    ("加快推进轨道交通建设,完善站点布局。", 1.473913),   # 1.5 x 1.8 / (1.5 + 0.8), plus the directive bonus 0.3
    ("轨道交通网络基本建成。", 1.0),                    # one plain mention at average length saturates to 1
    ("依托轨道交通站点,布局商业设施。", 0.771429),     # 0.6 x 1.8 / (0.6 + 0.8)
    ("完善公路、轨道交通、机场布局。", 0.6),            # 0.4 x 1.8 / (0.4 + 0.8)
])
def test_a_sentence_acting_on_the_term_scores_above_one_that_names_it(norm, score):
    assert exact_score(_features(norm), 0, [("轨道交通", 1.0, frozenset())], 20.0) == pytest.approx(score, abs=1e-6)


def test_one_directed_mention_outranks_two_passing_ones():
    directed = _features("加快推进轨道交通建设,完善站点布局。")
    passing = _features("依托轨道交通站点,布局轨道交通沿线商业设施。")   # a means mention and a plain one
    terms = [("轨道交通", 1.0, frozenset())]
    assert exact_score(directed, 0, terms, 20.0) > exact_score(passing, 1, terms, 20.0)
