"""Citations, GB/T 7714 references, permalinks and text hashes."""
from __future__ import annotations

import dataclasses
import hashlib
import re

import pytest

from searcher.cite import citation, gbt7714, locator, permalink, text_hash


@pytest.mark.parametrize("provision_id, expected", [
    ("gd-action-plan/2.12", "《广东省推进粤港澳大湾区建设三年行动计划》第12项"),
    ("gd-action-plan/p1", "《广东省推进粤港澳大湾区建设三年行动计划》第1段"),
    ("framework-agreement/2.4", "《深化粵港澳合作 推進大灣區建設框架協議》第二部分第（四）條"),
    ("framework-agreement/1.3.p2", "《深化粵港澳合作 推進大灣區建設框架協議》第一部分第（三）條第2段"),
    ("framework-agreement/front", "《深化粵港澳合作 推進大灣區建設框架協議》卷首"),
    ("framework-agreement/4.p4", "《深化粵港澳合作 推進大灣區建設框架協議》第四部分第4段"),
    ("zhuxi-metro/3.1.2.p4", "《珠江口西岸都市圈发展规划》第三章第一节第二部分第4段"),
    ("zhuxi-metro/preface.p2", "《珠江口西岸都市圈发展规划》前言第2段"),
    ("zhuxi-metro/box3.1.2", "《珠江口西岸都市圈发展规划》专栏3第一部分第2项"),
    ("zhuxi-metro/annex.1.1.1", "《珠江口西岸都市圈发展规划》附件第1项"),
    ("zhuxi-metro/annex.1.2.p1", "《珠江口西岸都市圈发展规划》附件第一部分第（二）条第1段"),
    ("guangzhou-metro/fn1", "《广州都市圈发展规划》脚注1"),
    ("gba-outline/2.4.p2", "《粤港澳大湾区发展规划纲要》第二章第四节第2段"),
])
def test_citation_of_each_provision_kind(real_corpus, provision_id, expected):
    provision = real_corpus.provision(provision_id)
    assert citation(provision, real_corpus.document(provision.doc_id)) == expected


def test_every_citation_in_the_corpus_names_exactly_one_provision(real_corpus):
    citations = [citation(p, d) for d in real_corpus.documents for p in d.provisions]
    assert len(citations) == len(set(citations))


def test_paragraph_number_counts_the_unnumbered_paragraphs_of_its_container(real_corpus):
    """第N段 agrees with the pN the parser put in the id, for every paragraph and bullet."""
    checked = 0
    for document in real_corpus.documents:
        for provision in document.provisions:
            if provision.kind in ("paragraph", "bullet", "closing"):
                number = re.search(r"p(\d+)$", provision.id).group(1)
                assert locator(provision, document).endswith(f"第{number}段"), provision.id
                checked += 1
    assert checked == sum(1 for p in real_corpus.provisions() if p.kind in ("paragraph", "bullet", "closing"))


def test_citation_is_written_in_the_script_of_the_source(tiny_corpus):
    agreement = tiny_corpus.document("sample-agreement")
    assert [citation(p, agreement) for p in agreement.provisions] == [
        "《合作協議》第一部分第（一）條",
        "《合作協議》第一部分第（二）條第1段",
        "《合作協議》第一部分第（二）條第2段",
    ]


def test_citations_of_the_tiny_plan(tiny_corpus):
    plan = tiny_corpus.document("sample-plan")
    assert {p.id: citation(p, plan) for p in plan.provisions} == {
        "sample-plan/preface.p1": "《示例规划》前言第1段",
        "sample-plan/1.p1": "《示例规划》第一章第1段",
        "sample-plan/1.1.p1": "《示例规划》第一章第一节第1段",
        "sample-plan/fn1": "《示例规划》脚注1",
        "sample-plan/1.1.1.1": "《示例规划》第1项",
        "sample-plan/1.1.1.2": "《示例规划》第2项",
        "sample-plan/1.1.1.3": "《示例规划》第3项",
        "sample-plan/box1.1": "《示例规划》专栏1第1项",
        "sample-plan/1.1.1.p1": "《示例规划》第一章第一节第一部分第1段",
        "sample-plan/annex.1.p1": "《示例规划》附件第（一）条第1段",
    }


@pytest.mark.parametrize("doc_id, expected", [
    ("gba-outline", "中共中央, 国务院. 粤港澳大湾区发展规划纲要[Z]. 2019-02-18."),
    ("gd-action-plan", "广东省推进粤港澳大湾区建设三年行动计划[Z]."),
    ("zhuxi-metro", "珠江口西岸都市圈发展规划[Z]."),
    ("framework-agreement",
     "國家發展和改革委員會, 廣東省人民政府, 香港特別行政區政府, 等. 深化粵港澳合作 推進大灣區建設框架協議[Z]. 2017-07-01."),
])
def test_gbt7714_uses_catalog_fields_and_omits_empty_ones(real_corpus, doc_id, expected):
    assert gbt7714(real_corpus.document(doc_id)) == expected


def test_gbt7714_of_a_document_with_two_issuers(tiny_corpus):
    assert gbt7714(tiny_corpus.document("sample-agreement")) == "甲方, 乙方. 合作協議[Z]. 2017-07-01."


def test_permalink_is_the_provision_page():
    assert permalink("zhuxi-metro/box3.1.2") == "/p/zhuxi-metro/box3.1.2"


def test_text_hash_is_the_start_of_the_sha256_of_the_text(tiny_corpus):
    provision = tiny_corpus.provision("sample-plan/fn1")
    assert text_hash(provision) == hashlib.sha256("大湾区指粤港澳大湾区。".encode()).hexdigest()[:12]
    assert text_hash(provision) == "250651ade615"


def test_text_hash_changes_when_the_text_changes(tiny_corpus):
    provision = tiny_corpus.provision("sample-plan/fn1")
    edited = dataclasses.replace(provision, text=provision.text.replace("粤港澳", "粤港"))
    assert text_hash(edited) != text_hash(provision)
