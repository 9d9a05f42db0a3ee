"""Links: same, similar and shared wording across documents, the link index, and the comparison."""
from __future__ import annotations

import bisect
import json
import math
import random
from collections import Counter
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from searcher.cli import main
from searcher.corpus import Units
from searcher.diff import compare, diff, sentence_spans
from searcher.errors import SearcherError
from searcher.links import (
    BOILERPLATE_PROVISIONS,
    MIN_SHARED,
    SIMILARITY,
    Link,
    LinkIndex,
    Passage,
    compute_links,
    is_similar,
    levenshtein,
    link_text,
    load_links,
    match_text,
    save_links,
    shared_passages,
    similar_pairs,
    similarity,
    similarity_percent,
)

# --------------------------------------------------------------------------- helpers


def provision(pid: str, text: str, units: str | None = None):
    """A provision-shaped object; ``units`` is appended to the text as its responsible-unit list."""
    if units is None:
        return SimpleNamespace(id=pid, doc_id=pid.split("/")[0], text=text, units=None)
    return SimpleNamespace(id=pid, doc_id=pid.split("/")[0], text=text + units,
                           units=Units([], [], span=(len(text), len(text) + len(units))))


def make_corpus(docs: dict[str, list]):
    """A corpus-shaped object: {doc id: [texts or (text, unit list)]} -> documents with provisions doc/pN."""
    return SimpleNamespace(documents=[
        SimpleNamespace(id=doc, provisions=[provision(f"{doc}/p{n}", *(text if isinstance(text, tuple) else (text,)))
                                            for n, text in enumerate(texts, 1)])
        for doc, texts in docs.items()])


def dp_levenshtein(a: str, b: str) -> int:
    """The textbook dynamic programme."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def banded_levenshtein(a: str, b: str, k: int) -> int | None:
    """Edit distance if it is at most k (Ukkonen's band), else None."""
    if abs(len(a) - len(b)) > k:
        return None
    big = k + 1
    row = {j: j for j in range(0, min(len(b), k) + 1)}
    for i in range(1, len(a) + 1):
        new = {}
        for j in range(max(0, i - k), min(len(b), i + k) + 1):
            if j == 0:
                new[j] = i
                continue
            new[j] = min(row.get(j, big) + 1, new.get(j - 1, big) + 1, row.get(j - 1, big) + (a[i - 1] != b[j - 1]))
        row = new
        if min(row.values()) > k:
            return None
    distance = row.get(len(b), big)
    return distance if distance <= k else None


def grams(text: str, n: int) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def longest_common_substring(a: str, b: str) -> int:
    """Binary search on the length: a common substring of length n contains one of every shorter length."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if grams(a, middle).isdisjoint(grams(b, middle)):
            high = middle - 1
        else:
            low = middle
    return low


def match(text: str) -> str:
    return match_text(text).text


@pytest.fixture(scope="module")
def real_links(real_corpus):
    return compute_links(real_corpus)


# --------------------------------------------------------------------------- oracle on the real corpus


@pytest.fixture(scope="module")
def oracle(real_corpus):
    """Every cross-document provision pair classified by brute force, from the definitions alone.

    same: equal link texts; similar: edit similarity >= SIMILARITY (sound filters, then an
    independent banded edit distance); shared: a common MIN_SHARED-gram. Link texts shorter than
    MIN_SHARED are never linked.
    """
    provisions = [p for p in real_corpus.provisions() if len(link_text(p).text) >= MIN_SHARED]
    keys = {p.id: link_text(p).text for p in provisions}
    shingles = {p.id: grams(keys[p.id], MIN_SHARED) for p in provisions}
    bags = {p.id: Counter(keys[p.id]) for p in provisions}
    kinds: dict[tuple[str, str], str] = {}
    for x, p in enumerate(provisions):
        for q in provisions[x + 1:]:
            if p.doc_id == q.doc_id:
                continue
            a, b = keys[p.id], keys[q.id]
            pair = tuple(sorted((p.id, q.id)))
            longer = max(len(a), len(b))
            allowed = math.floor(longer * (1 - SIMILARITY) + 1e-9)
            if a == b:
                kinds[pair] = "same"
            elif (abs(len(a) - len(b)) <= allowed and longer - sum((bags[p.id] & bags[q.id]).values()) <= allowed
                    and banded_levenshtein(a, b, allowed) is not None):
                kinds[pair] = "similar"
            elif not shingles[p.id].isdisjoint(shingles[q.id]):
                kinds[pair] = "shared"
    return kinds


@pytest.mark.parametrize("kind", ["same", "similar", "shared"])
def test_oracle_every_pair_of_each_kind_is_linked_and_nothing_else(oracle, real_links, kind):
    expected = {pair for pair, found in oracle.items() if found == kind}
    assert {(link.a, link.b) for link in real_links if link.kind == kind} == expected


def test_the_corpus_has_similar_and_shared_links(oracle):
    """The oracle is not vacuous: the real corpus has pairs of the kinds it checks."""
    found = Counter(oracle.values())
    assert found["similar"] >= 1 and found["shared"] >= 100


def test_similarity_and_longest_passage_are_measured_exactly(real_corpus, real_links):
    keys = {p.id: link_text(p).text for p in real_corpus.provisions()}
    texts = {p.id: p.text for p in real_corpus.provisions()}
    for link in real_links:
        a, b = keys[link.a], keys[link.b]
        distance = dp_levenshtein(a, b) if len(a) * len(b) < 40_000 else levenshtein(a, b)
        assert link.similarity == round(1 - distance / max(len(a), len(b)), 4) == similarity(a, b)
        if link.passages:
            longest = max(len(match(texts[link.a][s:e])) for s, e in link.spans_a)
            assert longest == longest_common_substring(a, b), (link.a, link.b)


def test_no_link_rests_on_a_unit_list(real_corpus, real_links):
    """Unit lists are metadata: no shared passage lies in one, and without them every link still stands."""
    spans = {p.id: p.units.span for p in real_corpus.provisions() if p.units and p.units.span}
    assert len(spans) > 100
    for link in real_links:
        for side, pid in (("a", link.a), ("b", link.b)):
            unit_span = spans.get(pid)
            for passage in link.passages:
                s, e = getattr(passage, side)
                assert unit_span is None or e <= unit_span[0] or s >= unit_span[1], (link.a, link.b)


def test_traditional_agreement_shares_wording_with_simplified_plans(real_corpus, real_links):
    scripts = {d.id: d.entry.script for d in real_corpus.documents}
    across = [link for link in real_links if {scripts[link.doc_a], scripts[link.doc_b]} == {"hans", "hant"}]
    assert across
    assert {"hant"} == {scripts[d] for link in across for d in (link.doc_a, link.doc_b)} - {"hans"}


def test_the_open_platform_clause_is_linked_across_scripts(real_corpus, real_links):
    clause_hant = "打造高水平開放平台，對接高標準貿易投資規則"
    clause_hans = "打造高水平开放平台，对接高标准贸易投资规则"
    hant = [p for p in real_corpus.provisions() if clause_hant in p.text]
    hans = [p for p in real_corpus.provisions() if clause_hans in p.text]
    assert hant and hans
    index = LinkIndex(real_links)
    for p in hant:
        views = {v.id: v for v in index.for_provision(p.id)}
        for q in hans:
            view = views[q.id]
            start = p.text.index(clause_hant)
            assert any(s <= start and start + len(clause_hant) <= e for s, e in view.spans["self"])
            assert view.kind in ("same", "similar", "shared") and not view.boilerplate


def test_links_join_different_documents_in_id_order(real_links):
    assert real_links == sorted(real_links, key=lambda link: (link.a, link.b))
    assert all(link.a < link.b and link.doc_a != link.doc_b for link in real_links)
    assert len({(link.a, link.b) for link in real_links}) == len(real_links)


def test_spans_are_aligned_shared_wording(real_corpus, real_links):
    """Each span pair reads the same after normalisation; shared_chars counts their characters."""
    texts = {p.id: p.text for p in real_corpus.provisions()}
    for link in real_links:
        assert len(link.spans_a) == len(link.spans_b) and (link.passages or link.kind == "similar")
        pieces_a = [match(texts[link.a][s:e]) for s, e in link.spans_a]
        assert pieces_a == [match(texts[link.b][s:e]) for s, e in link.spans_b], (link.a, link.b)
        assert link.shared_chars == sum(map(len, pieces_a))
        assert link.spans_a == sorted(link.spans_a)
        assert 0 < link.similarity <= 1


# --------------------------------------------------------------------------- hand-made corpora

PHRASE = "以习近平新时代中国特色社会主义思想为指导"      # recurs in four provisions: boilerplate
CLAUSE = "打造高水平开放平台对接高标准贸易投资规则"      # shared by two: substantive


@pytest.fixture
def small_corpus():
    return make_corpus({
        "doc-a": [f"{PHRASE}。{CLAUSE}。"],
        "doc-b": [f"{CLAUSE}。本条自签署之日起施行。"],
        "doc-c": [f"{PHRASE}。统筹推进水利基础设施。", f"稳步扩大金融业对外开放，{PHRASE}。"],
        "doc-d": [f"{PHRASE}。"],
    })


def test_boilerplate_is_marked_and_left_out_by_default(small_corpus):
    links = compute_links(small_corpus)
    assert [(link.a, link.b, link.kind, link.boilerplate) for link in links] == [
        ("doc-a/p1", "doc-b/p1", "shared", False),
        ("doc-a/p1", "doc-c/p1", "shared", True),
        ("doc-a/p1", "doc-c/p2", "shared", True),
        ("doc-a/p1", "doc-d/p1", "shared", True),
        ("doc-c/p1", "doc-d/p1", "shared", True),
        ("doc-c/p2", "doc-d/p1", "shared", True),
    ]
    index = LinkIndex(links)
    assert [v.id for v in index.for_provision("doc-a/p1")] == ["doc-b/p1"]
    assert [(v.id, v.boilerplate) for v in index.for_provision("doc-a/p1", boilerplate=True)] == [
        ("doc-b/p1", False), ("doc-c/p1", True), ("doc-d/p1", True), ("doc-c/p2", True)]
    assert (index.count("doc-a/p1"), index.count("doc-a/p1", boilerplate=True), index.hidden("doc-a/p1")) == (1, 4, 3)
    assert index.for_provision("doc-a/p1")[0].to_dict() == {
        "id": "doc-b/p1", "doc": "doc-b", "kind": "shared", "similarity": round(1 - 30 / 40, 4),
        "shared_chars": 20, "coverage": {"self": 0.5, "other": round(20 / 30, 4)},
        "passages": [{"self": [21, 41], "other": [0, 20], "chars": 20, "common": False}],
        "spans": {"self": [[21, 41]], "other": [[0, 20]]}, "boilerplate": False,
        "compare_url": "/compare?a=doc-a/p1&b=doc-b/p1"}
    assert index.matrix()["cells"]["doc-a"] == {"doc-a": 0, "doc-b": 1, "doc-c": 0, "doc-d": 0}
    assert index.matrix(boilerplate=True)["cells"]["doc-a"] == {"doc-a": 0, "doc-b": 1, "doc-c": 2, "doc-d": 1}


def test_a_phrase_in_fewer_provisions_than_the_boilerplate_rule_is_not_boilerplate():
    docs = {f"doc-{n}": [f"{PHRASE}，推进第{n}项工作。"] for n in range(BOILERPLATE_PROVISIONS - 1)}
    links = compute_links(make_corpus(docs))
    assert len(links) == 3 and not any(link.boilerplate for link in links)


def test_same_is_punctuation_script_width_and_space_insensitive():
    corpus = make_corpus({"hant": ["構建開放型經濟新體制，打造高水平開放平台"],
                          "hans": ["构建开放型经济新体制、打造 高水平开放平台"]})
    [link] = compute_links(corpus)
    assert (link.a, link.b, link.kind, link.similarity) == ("hans/p1", "hant/p1", "same", 1.0)
    assert (link.spans_a, link.spans_b, link.shared_chars, link.coverage_a) == ([(0, 21)], [(0, 20)], 19, 1.0)


def test_a_reworded_provision_is_similar_with_its_passages():
    original = "支持香港发展成为国际创新科技中心巩固提升竞争优势"
    edited = original[:12] + "和" + original[13:]                                  # 1 of 24 changed
    [link] = compute_links(make_corpus({"doc-a": [original], "doc-b": [edited]}))
    assert (link.kind, link.similarity, link.shared_chars) == ("similar", round(23 / 24, 4), 12)
    assert link.spans_a == link.spans_b == [(0, 12)]


def test_a_provision_similar_only_as_a_whole_is_similar_without_passages():
    original = "支持香港发展成为国际创新科技中心巩固提升竞争优势"
    edited = "".join("X" if i % 6 == 5 else ch for i, ch in enumerate(original))   # 4 of 24 changed
    [link] = compute_links(make_corpus({"doc-a": [original], "doc-b": [edited]}))
    assert (link.kind, link.similarity, link.passages, link.boilerplate) == ("similar", round(20 / 24, 4), (), False)


def test_below_the_threshold_without_a_passage_is_not_linked():
    original = "支持香港发展成为国际创新科技中心巩固提升竞争优势"
    edited = "".join("X" if i % 5 == 3 else ch for i, ch in enumerate(original))   # 5 of 24 changed
    assert compute_links(make_corpus({"doc-a": [original], "doc-b": [edited]})) == []


def test_a_shared_unit_list_alone_never_links():
    units = "（牵头单位：省发展改革委、交通运输厅；参加单位：省自然资源厅等）"
    corpus = make_corpus({"doc-a": [("构建两横三射一纵综合交通格局。", units)],
                          "doc-b": [("建设世界级铁路枢纽，增强轨道交通联络。", units)]})
    assert compute_links(corpus) == []


def test_different_unit_lists_do_not_lower_the_similarity():
    text = "构建两横三射一纵综合交通格局，打造轨道上的都市圈。"
    corpus = make_corpus({"doc-a": [(text, "（牵头单位：省发展改革委；参加单位：省自然资源厅）")],
                          "doc-b": [(text, "（省交通运输厅，大湾区内地各市）")]})
    [link] = compute_links(corpus)
    assert (link.kind, link.similarity, link.spans_a) == ("same", 1.0, [(0, len(text) - 1)])


def test_the_same_document_is_never_linked_to_itself():
    assert compute_links(make_corpus({"doc-a": [f"{CLAUSE}。", f"{CLAUSE}。"]})) == []


def _variants(seed: int, count: int, alphabet: str) -> list[str]:
    """Strings and copies with edits spread at random, many near the threshold."""
    rng = random.Random(seed)
    texts = []
    while len(texts) < count:
        text = [rng.choice(alphabet) for _ in range(rng.randint(MIN_SHARED, 70))]
        texts.append("".join(text))
        for _ in range(3):
            edited = list(text)
            for _ in range(rng.randint(0, len(text) // 3)):
                where = rng.randrange(len(edited) + 1)
                edit = rng.choice("sid") if where < len(edited) else "i"
                if edit == "s":
                    edited[where] = rng.choice(alphabet)
                elif edit == "i":
                    edited.insert(where, rng.choice(alphabet))
                elif len(edited) > 1:
                    del edited[where]
            texts.append("".join(edited))
    return texts


def test_similar_join_finds_a_pair_that_only_just_passes_every_filter():
    """Worst case of the q-gram lemma: each of the allowed edits destroys three trigrams of its own,
    and the surviving trigrams are the most frequent in the corpus, so they sort last."""
    original = "粤港澳大湾区建设规划纲要国际科技创新中心"
    assert len(set(original)) == 20
    edited = "".join("甲乙丙丁"[i // 5] if i % 5 == 2 else ch for i, ch in enumerate(original))
    survivors = [original[i:i + 3] for i in (3, 4, 8, 9, 13, 14)]
    noise = ["子".join(survivors) + "丑" * n for n in range(3)]
    links = compute_links(make_corpus({"doc-a": [original], "doc-b": [edited], "doc-n": noise}))
    pair = [(link.kind, link.similarity) for link in links if (link.a, link.b) == ("doc-a/p1", "doc-b/p1")]
    assert pair == [("similar", 0.8)]
    assert (0, 1) in {tuple(sorted(p)) for p in similar_pairs([original, edited, *noise], ["a", "b", "n", "n", "n"])}


@pytest.mark.parametrize("seed, alphabet", [(1, "ab"), (2, "abcd"), (3, "粤港澳大湾区建设规划")])
def test_similar_join_finds_every_pair_of_adversarial_strings(seed, alphabet):
    """The candidate filters of the similar join against all pairs (edit distance checked above)."""
    texts = [t for t in _variants(seed, 240, alphabet) if len(t) >= MIN_SHARED]
    expected = {(x, y) for x in range(len(texts)) for y in range(x + 1, len(texts))
                if is_similar(levenshtein(texts[x], texts[y]), max(len(texts[x]), len(texts[y])))}
    found = {tuple(sorted(pair)) for pair in similar_pairs(texts, [str(n) for n in range(len(texts))])}
    assert len(expected) > 100 and found == expected


@pytest.mark.parametrize("seed", [4, 5])
def test_similar_join_with_known_groups_finds_every_pair_involving_the_others(seed):
    """The two-pass join of an incremental build: pairs with a text outside ``skip``, every one of them."""
    texts = [t for t in _variants(seed, 200, "粤港澳大湾区建设规划") if len(t) >= MIN_SHARED]
    groups = [f"g{n % 6}" for n in range(len(texts))]
    skip = frozenset({"g0", "g1", "g2", "g3"})
    expected = {(x, y) for x in range(len(texts)) for y in range(x + 1, len(texts))
                if groups[x] != groups[y] and not (groups[x] in skip and groups[y] in skip)
                and is_similar(levenshtein(texts[x], texts[y]), max(len(texts[x]), len(texts[y])))}
    found = {tuple(sorted(pair)) for pair in similar_pairs(texts, groups, skip)}
    assert len(expected) > 20 and found == expected


@pytest.mark.parametrize("distance, longer, expected", [
    (0, 1, True), (1, 5, True), (2, 10, True), (3, 14, False), (2, 9, False), (1, 4, False), (0, 0, False)])
def test_similarity_threshold_is_exact(distance, longer, expected):
    assert is_similar(distance, longer) is expected


@settings(max_examples=300, deadline=None)
@given(st.text("ab湾灣c", max_size=150), st.text("ab湾灣c", max_size=150))   # past 64: several machine words
def test_bit_parallel_edit_distance_matches_the_textbook_one(a, b):
    assert levenshtein(a, b) == dp_levenshtein(a, b)


@settings(max_examples=300, deadline=None)
@given(st.text("ab", max_size=40), st.text("ab", max_size=40), st.integers(1, 6))
def test_shared_passages_are_all_maximal_common_runs(a, b, minimum):
    expected = set()
    for i in range(len(a)):
        for j in range(len(b)):
            if a[i] == b[j] and (i == 0 or j == 0 or a[i - 1] != b[j - 1]):
                n = 0
                while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                    n += 1
                if n >= minimum:
                    expected.add((i, j, n))
    found = shared_passages(a, b, minimum)
    assert found == sorted(expected) and len(found) == len(set(found))   # left to right, each run once


# --------------------------------------------------------------------------- the link index

def passages(*pairs, common=False):
    return tuple(Passage(a, b, b[1] - b[0], common) for a, b in pairs)


LINKS = [
    Link("a/1", "b/1", "shared", 0.5, passages(((0, 12), (3, 15))), 24, 30, False),
    Link("a/2", "b/1", "similar", 0.9, passages(((0, 14), (0, 14))), 20, 20, False),
    Link("a/2", "c/1", "same", 1.0, passages(((0, 20), (0, 20)), common=True), 20, 20, True),
]


def test_matrix_counts_links_per_document_pair():
    index = LinkIndex(LINKS, ["a", "b", "c"])
    assert index.matrix() == {"docs": ["a", "b", "c"], "cells": {
        "a": {"a": 0, "b": 2, "c": 0}, "b": {"a": 2, "b": 0, "c": 0}, "c": {"a": 0, "b": 0, "c": 0}}}
    assert index.matrix(boilerplate=True)["cells"]["a"] == {"a": 0, "b": 2, "c": 1}
    assert index.matrix("similar")["cells"]["a"] == {"a": 0, "b": 1, "c": 0}
    assert index.matrix(min_length=13)["cells"]["a"] == {"a": 0, "b": 1, "c": 0}


def test_between_sees_links_from_the_first_document_in_each_order():
    index = LinkIndex(LINKS, ["a", "b", "c"])
    assert [(link.a, link.b, link.spans_a) for link in index.between("b", "a")] == [
        ("b/1", "a/2", [(0, 14)]), ("b/1", "a/1", [(3, 15)])]
    assert [link.a for link in index.between("b", "a", sort="shared")] == ["b/1", "b/1"]
    assert [link.b for link in index.between("a", "b", sort="position")] == ["b/1", "b/1"]
    assert [(link.a, link.b) for link in index.between("a", "b", kind="shared")] == [("a/1", "b/1")]
    assert index.between("a", "c") == [] and len(index.between("a", "c", boilerplate=True)) == 1


def test_for_provision_count_and_link():
    index = LinkIndex(LINKS)
    assert index.docs == ["a", "b", "c"]
    assert [v.to_dict() for v in index.for_provision("b/1")] == [
        {"id": "a/2", "doc": "a", "kind": "similar", "similarity": 0.9, "shared_chars": 14,
         "coverage": {"self": 0.7, "other": 0.7},
         "passages": [{"self": [0, 14], "other": [0, 14], "chars": 14, "common": False}],
         "spans": {"self": [[0, 14]], "other": [[0, 14]]}, "boilerplate": False, "compare_url": "/compare?a=b/1&b=a/2"},
        {"id": "a/1", "doc": "a", "kind": "shared", "similarity": 0.5, "shared_chars": 12,
         "coverage": {"self": 0.4, "other": 0.5},
         "passages": [{"self": [3, 15], "other": [0, 12], "chars": 12, "common": False}],
         "spans": {"self": [[3, 15]], "other": [[0, 12]]}, "boilerplate": False, "compare_url": "/compare?a=b/1&b=a/1"}]
    assert (index.count("a/2"), index.count("a/2", boilerplate=True), index.hidden("a/2")) == (1, 2, 1)
    assert index.count("z/9") == 0 and index.for_provision("z/9") == []
    assert index.link("c/1", "a/2").spans_a == [(0, 20)] and index.link("a/1", "c/1") is None


def test_links_file_round_trip(tmp_path):
    save_links(LINKS, tmp_path, docs=["c", "b", "a"])
    data = json.loads((tmp_path / "links.json").read_text(encoding="utf-8"))
    assert data["docs"] == ["c", "b", "a"] and data["links"][1] == LINKS[1].to_dict()
    index = load_links(tmp_path / "links.json")
    assert index.links == LINKS and index.docs == ["c", "b", "a"]


@pytest.mark.parametrize("call, message", [
    (lambda i: i.matrix("verbatim"), "Unknown link kind 'verbatim'."),
    (lambda i: i.matrix(min_length=-1), "Minimum length -1 is negative."),
    (lambda i: i.between("a", "zz"), "No document 'zz' in the links."),
    (lambda i: i.between("a", "b", sort="random"), "Unknown sort order 'random'."),
])
def test_bad_filters_are_user_errors(call, message):
    with pytest.raises(SearcherError) as caught:
        call(LinkIndex(LINKS))
    assert caught.value.message == message and caught.value.status in (400, 404)


def test_missing_or_damaged_links_file_says_what_to_do(tmp_path):
    with pytest.raises(SearcherError) as caught:
        load_links(tmp_path / "links.json")
    assert caught.value.hint == "Run `searcher build` to build the index and its links."
    (tmp_path / "links.json").write_text("{", encoding="utf-8")
    with pytest.raises(SearcherError, match="unreadable"):
        load_links(tmp_path)


# --------------------------------------------------------------------------- diff

def ops(result):
    return [(o.op, o.a_start, o.a_end, o.b_start, o.b_end, o.punctuation) for o in result.ops]


@pytest.mark.parametrize("a, b, expected_ops, counts, summary", [
    ("推进大湾区建设", "推进粤港澳大湾区建设",
     [("equal", 0, 2, 0, 2, False), ("insert", 2, 2, 2, 5, False), ("equal", 2, 7, 5, 10, False)],
     (1, 0, 0, 0), "1 insertion"),
    ("推进粤港澳大湾区建设", "推进大湾区建设",
     [("equal", 0, 2, 0, 2, False), ("delete", 2, 5, 2, 2, False), ("equal", 5, 10, 2, 7, False)],
     (0, 1, 0, 0), "1 deletion"),
    ("加快建设国际科技创新中心", "加快打造国际科技创新中心",
     [("equal", 0, 2, 0, 2, False), ("replace", 2, 4, 2, 4, False), ("equal", 4, 12, 4, 12, False)],
     (0, 0, 1, 0), "1 substitution"),
    ("粵港澳大灣區", "粤港澳大湾区", [("equal", 0, 6, 0, 6, False)], (0, 0, 0, 0), "no differences"),
    ("创新驱动，改革引领。", "创新驱动；改革引领",
     [("equal", 0, 4, 0, 4, False), ("replace", 4, 5, 4, 5, True), ("equal", 5, 9, 5, 9, False),
      ("delete", 9, 10, 9, 9, True)],
     (0, 0, 0, 2), "2 punctuation changes"),
    ("粤港澳 大湾区,建设\n", "粤港澳大湾区，建设", [("equal", 0, 11, 0, 9, False)], (0, 0, 0, 0),
     "no differences"),
    ("打造高水平開放平台", "打造高水平开放平台和", [("equal", 0, 9, 0, 9, False), ("insert", 9, 9, 9, 10, False)],
     (1, 0, 0, 0), "1 insertion"),
    ("投入比重达到2.8%，", "投入比重达到28%", [("equal", 0, 7, 0, 7, False), ("delete", 7, 8, 7, 7, False),
                                      ("equal", 8, 10, 7, 9, False), ("delete", 10, 11, 9, 9, True)],
     (0, 1, 0, 1), "1 deletion, 1 punctuation change"),
], ids=["insert", "delete", "replace", "script-only", "punctuation-only", "whitespace-and-width", "across-scripts",
        "decimal-point"])
def test_diff(a, b, expected_ops, counts, summary):
    result = diff(a, b)
    assert ops(result) == expected_ops
    assert (result.insertions, result.deletions, result.substitutions, result.punctuation) == counts
    assert result.summary == summary


def test_diff_dict():
    result = diff("加快建设国际科技创新中心", "加快打造国际科技创新中心")
    assert result.to_dict()["ops"][1] == {"op": "replace", "a": [2, 4], "b": [2, 4], "punctuation": False}


# --------------------------------------------------------------------------- sentence-aligned comparison

def test_sentences_end_after_their_mark_and_closing_bracket_and_skip_the_unit_list():
    text = "加快建设（试点）。推进“合作。”实施；（牵头单位：省科技厅）"
    assert sentence_spans(text, skip=(text.index("（牵"), len(text))) == [(0, 9), (9, 16), (16, 19)]


def test_compare_aligns_sentences_then_diffs_within_them():
    a = provision("a/1", "推进粤港澳大湾区建设。加强基础设施互联互通。优化提升中心城市。")
    b = provision("b/1", "加强基础设施互联互通，构建现代综合交通体系。推进大湾区建设。发展特色城镇。")
    result = compare(a, b)
    # the order-keeping alignment of most similarity pairs 推进… (0.7), not 加强… (0.5): they cross
    assert [(row.op, row.a, row.b, row.similarity) for row in result.rows] == [
        ("insert", None, (0, 22), None), ("pair", (0, 11), (22, 30), 0.7), ("delete", (11, 22), None, None),
        ("delete", (22, 31), None, None), ("insert", None, (30, 37), None)]
    assert [(o["op"], a.text[o["a"][0]:o["a"][1]], b.text[o["b"][0]:o["b"][1]]) for o in result.rows[1].ops] == [
        ("equal", "推进", "推进"), ("delete", "粤港澳", ""), ("equal", "大湾区建设。", "大湾区建设。")]
    assert result.rows[0].ops == [{"op": "insert", "a": [0, 0], "b": [0, 22], "punctuation": False}]
    assert result.similarity == similarity(link_text(a).text, link_text(b).text)


def test_compare_measures_the_pair_as_its_link_does(small_corpus):
    links = {(link.a, link.b): link for link in compute_links(small_corpus)}
    items = {p.id: p for d in small_corpus.documents for p in d.provisions}
    for (x, y), link in links.items():
        result = compare(items[x], items[y])
        assert (result.kind, result.similarity, result.shared_chars) == (link.kind, link.similarity, link.shared_chars)
        assert [tuple(p["a"]) for p in result.passages] == link.spans_a
        assert result.coverage == {"a": link.coverage_a, "b": link.coverage_b}


def test_compare_leaves_the_unit_list_out_and_reports_it_as_metadata():
    units = "（牵头单位：省发展改革委；参加单位：省自然资源厅）"
    a = provision("a/1", "构建两横三射一纵综合交通格局。", units)
    b = provision("b/1", "构建两横三射一纵综合交通格局。", "（省交通运输厅）")
    result = compare(a, b)
    assert (result.kind, result.similarity, [r.op for r in result.rows]) == ("same", 1.0, ["pair"])
    assert result.metadata == {"a": [15, 15 + len(units)], "b": [15, 23]}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["推进合作", "建设湾区", "加强交通", "优化布局", "。", "；", "，"]), max_size=14),
       st.lists(st.sampled_from(["推进合作", "建设湾区", "发展产业", "优化布局", "。", "；", "，"]), max_size=14))
def test_compare_rows_show_every_character_of_both_texts_once(a_parts, b_parts):
    a, b = provision("a/1", "".join(a_parts)), provision("b/1", "".join(b_parts))
    result = compare(a, b)
    for side, item in (("a", a), ("b", b)):
        covered = sorted(tuple(o[side]) for row in result.rows for o in row.ops if getattr(row, side))
        shown = "".join(item.text[s:e] for s, e in covered)
        assert match(shown) == match(item.text)
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(covered, covered[1:]))


@settings(max_examples=300, deadline=None)
@given(st.text("湾灣区，, 。a", max_size=20), st.text("湾灣区，, 。a", max_size=20))
def test_diff_ops_tile_both_texts(a, b):
    result = diff(a, b)
    assert [(o.a_start, o.a_end) for o in result.ops] == _tiling([(o.a_start, o.a_end) for o in result.ops], len(a))
    assert [(o.b_start, o.b_end) for o in result.ops] == _tiling([(o.b_start, o.b_end) for o in result.ops], len(b))
    for o in result.ops:
        if o.op == "equal":
            assert match(a[o.a_start:o.a_end]) == match(b[o.b_start:o.b_end])
        if o.op == "insert":      # whitespace may ride along on the other side
            assert match(a[o.a_start:o.a_end]) == "" and b[o.b_start:o.b_end].strip()
        if o.op == "delete":
            assert match(b[o.b_start:o.b_end]) == "" and a[o.a_start:o.a_end].strip()
        if o.punctuation:
            assert match(a[o.a_start:o.a_end]) == match(b[o.b_start:o.b_end]) == ""


def _tiling(spans, length):
    """The spans as they must be if they tile [0, length) in order."""
    if not spans:
        return [] if length == 0 else [(0, length)]
    starts = [0] + [end for _, end in spans[:-1]]
    return list(zip(starts, [end for _, end in spans[:-1]] + [length], strict=True))


# --------------------------------------------------------------------------- command line

@pytest.mark.parametrize("flags, boilerplate", [([], False), (["--boilerplate"], True)])
def test_cli_matrix_matches_the_index(real_corpus_dir, real_links, tmp_path, flags, boilerplate):
    result = CliRunner().invoke(main, ["links", "--corpus", str(real_corpus_dir), "--index", str(tmp_path),
                                       "--json", *flags])
    assert result.exit_code == 0, result.output
    matrix = json.loads(result.stdout)
    assert matrix == LinkIndex(real_links, matrix["docs"]).matrix(boilerplate=boilerplate)


def test_cli_lists_links_between_two_documents_from_the_stored_file(real_corpus_dir, tmp_path):
    save_links(LINKS[:1], tmp_path, docs=["a", "b"])
    result = CliRunner().invoke(main, ["links", "--corpus", str(real_corpus_dir), "--index", str(tmp_path),
                                       "--doc", "b", "--other", "a"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["b/1 ~ a/1  shared  similarity 50%  12 chars shared"]
    result = CliRunner().invoke(main, ["links", "--corpus", str(real_corpus_dir), "--index", str(tmp_path),
                                       "--doc", "a", "--kind", "similar", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == []


# --------------------------------------------------------------------------- incremental links

def _copy(corpus, change=None, drop=(), add=None):
    """A corpus-shaped copy: ``change`` maps provision id -> new text, ``drop`` leaves documents out."""
    change = change or {}
    documents = [SimpleNamespace(id=d.id, provisions=[SimpleNamespace(
        id=p.id, doc_id=p.doc_id, text=change.get(p.id, p.text), units=getattr(p, "units", None))
        for p in d.provisions]) for d in corpus.documents if d.id not in drop]
    return SimpleNamespace(documents=documents + list(add.documents if add else []))


def _previous(corpus):
    from searcher.links import document_key
    return LinkIndex(compute_links(corpus), [d.id for d in corpus.documents],
                     {d.id: document_key(d) for d in corpus.documents})


def test_incremental_links_equal_a_full_computation_after_each_kind_of_change(real_corpus):
    previous = _previous(real_corpus)
    clause = next(p for p in real_corpus.provisions() if p.id == "gba-outline/2.2.p4").text
    target = next(p for p in real_corpus.provisions() if p.doc_id == "zhuxi-metro" and not p.units)
    extra = make_corpus({"new-plan": [clause + "各方共同推进。", "一段与任何文件都不同的新文字，用于测试。"]})
    for changed in (_copy(real_corpus, change={target.id: target.text + clause}),      # a plan edited
                    _copy(real_corpus, drop=("framework-agreement",)),               # a plan removed
                    _copy(real_corpus, add=extra),                                   # a plan added
                    _copy(real_corpus)):                                             # nothing changed
        assert compute_links(changed, previous) == compute_links(changed)


def test_carried_over_links_are_marked_boilerplate_when_new_plans_make_their_wording_common():
    tails = ["统筹推进水利基础设施建设和防灾减灾", "稳步扩大金融业对外开放水平", "完善公共服务体系均衡布局", "加强生态环境保护修复"]
    before = make_corpus({"doc-a": [f"{CLAUSE}。{tails[0]}。"], "doc-b": [f"{CLAUSE}。{tails[1]}。"]})
    previous = _previous(before)
    assert [link.boilerplate for link in previous.links] == [False]
    after = _copy(before, add=make_corpus({"doc-c": [f"{CLAUSE}。{tails[2]}。"], "doc-d": [f"{CLAUSE}。{tails[3]}。"]}))
    incremental = compute_links(after, previous)
    assert incremental == compute_links(after) and all(link.boilerplate for link in incremental)
