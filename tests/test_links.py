"""Links: identical and similar wording across documents, the link index, and the diff."""
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
from searcher.diff import diff
from searcher.errors import SearcherError
from searcher.links import (
    MIN_SHARED,
    SIMILARITY,
    Link,
    LinkIndex,
    _similar_units,
    _Unit,
    compute_links,
    is_similar,
    levenshtein,
    load_links,
    match_text,
    save_links,
    shared_passages,
)

# --------------------------------------------------------------------------- helpers


def make_corpus(docs: dict[str, list[str]]):
    """A corpus-shaped object: {doc id: [provision texts]} -> documents with provisions doc/pN."""
    return SimpleNamespace(documents=[
        SimpleNamespace(id=doc, provisions=[SimpleNamespace(id=f"{doc}/p{n}", doc_id=doc, text=text)
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


def test_oracle_finds_every_identical_passage_and_nothing_else(real_corpus, real_links):
    """All provision pairs across documents: a shared MIN_SHARED-gram <=> an identical link."""
    provisions = list(real_corpus.provisions())
    keys = {p.id: match(p.text) for p in provisions}
    shingles = {p.id: grams(keys[p.id], MIN_SHARED) for p in provisions}
    expected = set()
    for x, p in enumerate(provisions):
        for q in provisions[x + 1:]:
            if p.doc_id != q.doc_id and not shingles[p.id].isdisjoint(shingles[q.id]):
                expected.add(tuple(sorted((p.id, q.id))))
    by_pair = {(link.a, link.b): link for link in real_links}
    assert {pair for pair, link in by_pair.items() if link.kind == "identical"} == expected
    texts = {p.id: p.text for p in provisions}
    for a, b in expected:
        link = by_pair[(a, b)]
        longest = max(len(match(texts[a][s:e])) for s, e in link.spans_a)
        assert longest == longest_common_substring(keys[a], keys[b]), (a, b)


def _units(provisions):
    """(doc, provision id, match text) of every whole provision and sentence of MIN_SHARED or more."""
    units = []
    for p in provisions:
        key = match_text(p.text)
        spans = {(0, len(key.text))} | set(key.sentences)
        units += [(p.doc_id, p.id, key.text[s:e]) for s, e in sorted(spans) if e - s >= MIN_SHARED]
    return units


def test_oracle_finds_every_similar_unit_pair(real_corpus, real_links):
    """All unit pairs across documents, with a sound filter before an independent edit distance."""
    units = sorted(_units(real_corpus.provisions()), key=lambda u: len(u[2]))
    lengths = [len(u[2]) for u in units]
    sets, bags = [set(u[2]) for u in units], [Counter(u[2]) for u in units]
    best: dict[tuple[str, str], float] = {}
    for x, (doc, pid, text) in enumerate(units):
        allowed = math.floor(len(text) * (1 - SIMILARITY) + 1e-9)   # the longer one is ``text``
        for y in range(bisect.bisect_left(lengths, math.ceil(len(text) * SIMILARITY - 1e-9)), x):
            other_doc, other, other_text = units[y]
            if other_doc == doc or len(sets[x] - sets[y]) > allowed:
                continue
            if len(text) - sum((bags[x] & bags[y]).values()) > allowed:
                continue
            distance = banded_levenshtein(text, other_text, allowed)
            if distance is not None:
                pair = tuple(sorted((pid, other)))
                best[pair] = max(best.get(pair, 0.0), 1 - distance / len(text))
    by_pair = {(link.a, link.b): link for link in real_links}
    assert best, "the corpus has similar sentences"
    for pair, value in best.items():
        assert pair in by_pair, pair
        assert by_pair[pair].similarity >= round(value, 4), pair
    assert {pair for pair, link in by_pair.items() if link.kind == "similar"} <= set(best)


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
            assert view.kind == "identical" and not view.boilerplate


def test_links_join_different_documents_in_id_order(real_links):
    assert real_links == sorted(real_links, key=lambda link: (link.a, link.b))
    assert all(link.a < link.b and link.doc_a != link.doc_b for link in real_links)
    assert len({(link.a, link.b) for link in real_links}) == len(real_links)


def test_spans_are_aligned_shared_wording(real_corpus, real_links):
    """Each span pair reads the same after normalisation; shared_chars counts their characters."""
    texts = {p.id: p.text for p in real_corpus.provisions()}
    for link in real_links:
        assert len(link.spans_a) == len(link.spans_b) > 0
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


def test_boilerplate_is_ranked_below_substantive_reuse(small_corpus):
    links = compute_links(small_corpus)
    assert [(link.a, link.b, link.kind, link.boilerplate) for link in links] == [
        ("doc-a/p1", "doc-b/p1", "identical", False),
        ("doc-a/p1", "doc-c/p1", "identical", True),
        ("doc-a/p1", "doc-c/p2", "identical", True),
        ("doc-a/p1", "doc-d/p1", "identical", True),
        ("doc-c/p1", "doc-d/p1", "identical", True),
        ("doc-c/p2", "doc-d/p1", "identical", True),
    ]
    views = LinkIndex(links).for_provision("doc-a/p1")
    assert [(v.id, v.boilerplate) for v in views] == [
        ("doc-b/p1", False), ("doc-c/p1", True), ("doc-d/p1", True), ("doc-c/p2", True)]
    assert views[0].to_dict() == {
        "id": "doc-b/p1", "doc": "doc-b", "kind": "identical", "similarity": 1.0,
        "spans": {"self": [[21, 41]], "other": [[0, 20]]}, "shared_chars": 20, "boilerplate": False,
        "compare_url": "/compare?a=doc-a/p1&b=doc-b/p1"}


def test_a_phrase_in_three_provisions_is_not_boilerplate():
    corpus = make_corpus({"doc-a": [f"{PHRASE}。"], "doc-b": [f"{PHRASE}。"], "doc-c": [f"{PHRASE}。"]})
    assert [(link.a, link.b, link.boilerplate) for link in compute_links(corpus)] == [
        ("doc-a/p1", "doc-b/p1", False), ("doc-a/p1", "doc-c/p1", False), ("doc-b/p1", "doc-c/p1", False)]


def test_identical_is_punctuation_script_width_and_space_insensitive():
    corpus = make_corpus({"hant": ["構建開放型經濟新體制，打造高水平開放平台"],
                          "hans": ["构建开放型经济新体制、打造 高水平开放平台"]})
    [link] = compute_links(corpus)
    assert (link.a, link.b, link.kind, link.similarity) == ("hans/p1", "hant/p1", "identical", 1.0)
    assert (link.spans_a, link.spans_b, link.shared_chars) == ([(0, 21)], [(0, 20)], 19)


def test_a_reworded_sentence_is_similar():
    original = "支持香港发展成为国际创新科技中心巩固提升竞争优势"
    edited = "".join("X" if i % 6 == 5 else ch for i, ch in enumerate(original))   # 4 of 24 changed
    [link] = compute_links(make_corpus({"doc-a": [original], "doc-b": [edited]}))
    assert (link.kind, link.similarity, link.shared_chars) == ("similar", round(20 / 24, 4), 20)
    assert link.spans_a == link.spans_b == [(0, 5), (6, 11), (12, 17), (18, 23)]


def test_a_sentence_below_the_threshold_is_not_linked():
    original = "支持香港发展成为国际创新科技中心巩固提升竞争优势"
    edited = "".join("X" if i % 5 == 3 else ch for i, ch in enumerate(original))   # 5 of 24 changed
    assert compute_links(make_corpus({"doc-a": [original], "doc-b": [edited]})) == []


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


@pytest.mark.parametrize("seed, alphabet", [(1, "ab"), (2, "abcd"), (3, "粤港澳大湾区建设规划")])
def test_similar_join_finds_every_pair_of_adversarial_strings(seed, alphabet):
    """The candidate filters of the similar join against all pairs (edit distance checked above)."""
    texts = [t for t in _variants(seed, 240, alphabet) if len(t) >= MIN_SHARED]
    expected = {(x, y): levenshtein(texts[x], texts[y]) for x in range(len(texts)) for y in range(x + 1, len(texts))
                if is_similar(levenshtein(texts[x], texts[y]), max(len(texts[x]), len(texts[y])))}
    units = [_Unit(index, 0, len(text), text) for index, text in enumerate(texts)]
    found = {tuple(sorted((u, v))): distance for u, v, distance in _similar_units(units)}
    assert len(expected) > 100 and found == expected


@pytest.mark.parametrize("distance, longer, expected", [
    (0, 1, True), (1, 5, True), (2, 10, True), (3, 14, False), (2, 9, False), (1, 4, False), (0, 0, False)])
def test_similarity_threshold_is_exact(distance, longer, expected):
    assert is_similar(distance, longer) is expected


@settings(max_examples=300, deadline=None)
@given(st.text("ab湾灣c", max_size=40), st.text("ab湾灣c", max_size=40))
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
    assert sorted(found) == sorted(expected) and len(found) == len(set(found))


# --------------------------------------------------------------------------- the link index

LINKS = [
    Link("a/1", "b/1", "identical", 0.5, [(0, 12)], [(3, 15)], 12, False),
    Link("a/2", "b/1", "similar", 0.9, [(0, 4), (5, 9)], [(0, 4), (6, 10)], 8, False),
    Link("a/2", "c/1", "identical", 1.0, [(0, 20)], [(0, 20)], 20, True),
]


def test_matrix_counts_links_per_document_pair():
    index = LinkIndex(LINKS, ["a", "b", "c"])
    assert index.matrix() == {"docs": ["a", "b", "c"], "cells": {
        "a": {"a": 0, "b": 2, "c": 1}, "b": {"a": 2, "b": 0, "c": 0}, "c": {"a": 1, "b": 0, "c": 0}}}
    assert index.matrix("similar")["cells"]["a"] == {"a": 0, "b": 1, "c": 0}
    assert index.matrix(min_length=12)["cells"]["a"] == {"a": 0, "b": 1, "c": 1}


def test_between_sees_links_from_the_first_document():
    index = LinkIndex(LINKS, ["a", "b", "c"])
    assert [(link.a, link.b, link.spans_a) for link in index.between("b", "a")] == [
        ("b/1", "a/2", [(0, 4), (6, 10)]), ("b/1", "a/1", [(3, 15)])]
    assert [(link.a, link.b) for link in index.between("a", "b", kind="identical")] == [("a/1", "b/1")]
    assert index.between("b", "c") == []


def test_for_provision_and_other_documents():
    index = LinkIndex(LINKS)
    assert index.docs == ["a", "b", "c"]
    assert [v.to_dict() for v in index.for_provision("b/1")] == [
        {"id": "a/2", "doc": "a", "kind": "similar", "similarity": 0.9,
         "spans": {"self": [[0, 4], [6, 10]], "other": [[0, 4], [5, 9]]}, "shared_chars": 8,
         "boilerplate": False, "compare_url": "/compare?a=b/1&b=a/2"},
        {"id": "a/1", "doc": "a", "kind": "identical", "similarity": 0.5,
         "spans": {"self": [[3, 15]], "other": [[0, 12]]}, "shared_chars": 12,
         "boilerplate": False, "compare_url": "/compare?a=b/1&b=a/1"}]
    assert index.other_documents("a/2") == {"b", "c"}
    assert index.other_documents("z/9") == set() and index.for_provision("z/9") == []
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
     (1, 0, 0, 0), "1 insertion, 70% similar"),
    ("推进粤港澳大湾区建设", "推进大湾区建设",
     [("equal", 0, 2, 0, 2, False), ("delete", 2, 5, 2, 2, False), ("equal", 5, 10, 2, 7, False)],
     (0, 1, 0, 0), "1 deletion, 70% similar"),
    ("加快建设国际科技创新中心", "加快打造国际科技创新中心",
     [("equal", 0, 2, 0, 2, False), ("replace", 2, 4, 2, 4, False), ("equal", 4, 12, 4, 12, False)],
     (0, 0, 1, 0), "1 substitution, 83% similar"),
    ("粵港澳大灣區", "粤港澳大湾区", [("equal", 0, 6, 0, 6, False)], (0, 0, 0, 0), "no differences, 100% similar"),
    ("创新驱动，改革引领。", "创新驱动；改革引领",
     [("equal", 0, 4, 0, 4, False), ("replace", 4, 5, 4, 5, True), ("equal", 5, 9, 5, 9, False),
      ("delete", 9, 10, 9, 9, True)],
     (0, 0, 0, 2), "2 punctuation changes, 100% similar"),
    ("粤港澳 大湾区,建设\n", "粤港澳大湾区，建设", [("equal", 0, 11, 0, 9, False)], (0, 0, 0, 0),
     "no differences, 100% similar"),
    ("打造高水平開放平台", "打造高水平开放平台和", [("equal", 0, 9, 0, 9, False), ("insert", 9, 9, 9, 10, False)],
     (1, 0, 0, 0), "1 insertion, 90% similar"),
    ("投入比重达到2.8%，", "投入比重达到28%", [("equal", 0, 7, 0, 7, False), ("delete", 7, 8, 7, 7, False),
                                      ("equal", 8, 10, 7, 9, False), ("delete", 10, 11, 9, 9, True)],
     (0, 1, 0, 1), "1 deletion, 1 punctuation change, 88% similar"),
], ids=["insert", "delete", "replace", "script-only", "punctuation-only", "whitespace-and-width", "across-scripts",
        "decimal-point"])
def test_diff(a, b, expected_ops, counts, summary):
    result = diff(a, b)
    assert ops(result) == expected_ops
    assert (result.insertions, result.deletions, result.substitutions, result.punctuation) == counts
    assert result.summary == summary


def test_diff_similarity_and_dict():
    result = diff("加快建设国际科技创新中心", "加快打造国际科技创新中心")
    assert result.similarity == round(10 / 12, 4)
    assert result.to_dict()["ops"][1] == {"op": "replace", "a": [2, 4], "b": [2, 4], "punctuation": False}


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

def test_cli_matrix_matches_the_index(real_corpus_dir, real_links, tmp_path):
    result = CliRunner().invoke(main, ["links", "--corpus", str(real_corpus_dir), "--index", str(tmp_path),
                                       "--json"])
    assert result.exit_code == 0, result.output
    matrix = json.loads(result.stdout)
    assert matrix == LinkIndex(real_links, matrix["docs"]).matrix()


def test_cli_lists_links_between_two_documents_from_the_stored_file(real_corpus_dir, tmp_path):
    save_links(LINKS[:1], tmp_path, docs=["a", "b"])
    result = CliRunner().invoke(main, ["links", "--corpus", str(real_corpus_dir), "--index", str(tmp_path),
                                       "--doc", "b", "--other", "a"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["b/1 ~ a/1  identical 50%  12 chars"]
    result = CliRunner().invoke(main, ["links", "--corpus", str(real_corpus_dir), "--index", str(tmp_path),
                                       "--doc", "a", "--kind", "similar", "--json"])
    assert result.exit_code == 0 and json.loads(result.output) == []
