"""Parse stage: the provision model of the bundled plans, checked against the source text itself."""
from __future__ import annotations

import re
import shutil

import pytest

from searcher.corpus import load_corpus
from searcher.parse import chinese_number, is_terminated, parse_document
from searcher.errors import CorpusError

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def oracle_clean(text: str) -> str:
    """The source body as the issue defines it, cleaned independently of the parser's code."""
    text = text.replace("<p>", "\n").replace("</p>", "")          # <p> debris (a <p> starts a line)
    text = re.sub(r"(?m)^[ \t]*-\s+", "", text)                  # stray "- " bullets at line starts
    text = re.sub(r"[（(]\s*[上下]转\s*\d+\s*版\s*[)）]", "", text)   # print artefacts (下转 3 版)
    text = text.replace("**", "")
    text = re.sub(f"[{SUPERSCRIPTS}]", "", text)
    return re.sub(r"\s+", "", text)


def all_pieces(document):
    pieces = [(s, e) for h in document.headings for s, e in h.pieces]
    pieces += [(s, e) for p in document.provisions for s, e in p.pieces]
    return sorted(pieces)


def body_without_toc(document) -> str:
    source = document.source
    if document.toc_span:
        start, end = document.toc_span
        assert re.sub(r"\s+", "", source[start:end]).startswith("目录")
        source = source[:start] + source[end:]
    return source


@pytest.mark.parametrize("doc_id", ["gba-outline", "gd-action-plan", "zhuxi-metro", "guangzhou-metro",
                                    "framework-agreement"])
def test_pieces_tile_the_source_body_exactly(real_corpus, doc_id):
    document = real_corpus.document(doc_id)
    pieces = all_pieces(document)
    for (_, end), (start, _) in zip(pieces, pieces[1:]):
        assert end <= start, "two provisions or headings claim the same characters"
    rebuilt = "".join(oracle_clean(document.source[s:e]) for s, e in pieces)
    assert rebuilt == oracle_clean(body_without_toc(document))


@pytest.mark.parametrize("doc_id", ["gba-outline", "gd-action-plan", "zhuxi-metro", "guangzhou-metro",
                                    "framework-agreement"])
def test_every_provision_text_is_its_source_pieces(real_corpus, doc_id):
    document = real_corpus.document(doc_id)
    for provision in document.provisions:
        from_source = "".join(oracle_clean(document.source[s:e]) for s, e in provision.pieces)
        assert oracle_clean(provision.label + provision.text) == from_source, provision.id
    for heading in document.headings:
        from_source = "".join(oracle_clean(document.source[s:e]) for s, e in heading.pieces)
        assert oracle_clean(heading.text) == from_source, heading.id


def test_provision_texts_carry_no_print_debris(real_corpus):
    for provision in real_corpus.provisions():
        assert "**" not in provision.text and "<p>" not in provision.text and "</p>" not in provision.text
        assert not re.search(f"[{SUPERSCRIPTS}]", provision.text), provision.id
        assert "下转" not in provision.text
        assert "\n" not in provision.text


def test_paragraphs_broken_by_page_breaks_are_rejoined(real_corpus):
    # the Outline's chapter 3 intro is cut by a page break after 推动大 (…大 / 中小城市…)
    intro = real_corpus.provision("gba-outline/3.p1")
    assert "推动大中小城市合理分工" in intro.text
    # the Action Plan's task 30 continues after a page break on a line with a stray "- "
    assert real_corpus.provision("gd-action-plan/3.30").text.count("监测预警、联防联控") == 1


def test_headings_broken_over_two_lines_are_rejoined(real_corpus):
    outline = real_corpus.document("gba-outline")
    titles = {h.id: h.title for h in outline.headings}
    assert titles["3.1"] == "构建极点带动、轴带支撑网络化空间格局"
    assert titles["4"] == "建设国际科技创新中心"
    assert titles["6"] == "构建具有国际竞争力的现代产业体系"


def test_excerpt_sits_under_its_catalog_context(real_corpus):
    first = real_corpus.document("gba-outline").provisions[0]
    assert [(s.label, s.title) for s in first.path] == [("第二章", "总体要求"), ("第二节", "基本原则")]
    assert first.title == "创新驱动，改革引领"


@pytest.mark.parametrize("doc_id", ["zhuxi-metro", "guangzhou-metro"])
def test_metro_outline_equals_its_table_of_contents(real_corpus, doc_id):
    document = real_corpus.document(doc_id)
    body = [(h.label, h.title) for h in document.headings
            if h.kind in ("chapter", "section", "preface", "annex")]
    printed = [(t.label, t.title) for t in document.toc]
    assert len(body) == len(printed)
    differences = [(p, b) for p, b in zip(printed, body) if p != b]
    reported = [str(w) for w in document.warnings if w.code == "toc_differs"]
    assert len(differences) == len(reported)
    for (printed_heading, body_heading), warning in zip(differences, reported):
        assert f"says {' '.join(printed_heading)}, the body says {' '.join(body_heading)}" in warning


def test_action_plan_has_items_1_to_100_each_with_a_lead_unit(real_corpus):
    items = [p for p in real_corpus.document("gd-action-plan").provisions if p.kind == "item"]
    assert [int(p.label.rstrip(".")) for p in items] == list(range(1, 101))
    for item in items:
        assert item.units is not None and len(item.units.lead) == 1, item.id
        printed_units = item.text[item.text.rfind("。") + 1:]
        assert re.sub(r"[\s()（）]", "", printed_units).startswith(item.units.lead[0]), item.id


def test_items_sharing_a_line_are_split(real_corpus):
    item69 = real_corpus.provision("gd-action-plan/6.69")
    item70 = real_corpus.provision("gd-action-plan/6.70")
    assert item69.text.endswith("大湾区内地各市)") and item70.text.startswith("完善便利港澳居民")
    assert item70.units.lead == ["省住房城乡建设厅"]


def test_stray_bracket_in_units_is_repaired(real_corpus):
    assert real_corpus.provision("gd-action-plan/2.12").units.lead == ["省科技厅"]


def test_annex_units_are_split_into_lead_and_participating(real_corpus):
    task = real_corpus.provision("zhuxi-metro/annex.1.1.2")
    assert task.units.lead == ["省发展改革委"]
    assert task.units.participating == ["省自然资源厅", "省交通运输厅"]   # 省 carries through the list
    assert task.units.printed_participating == ["省自然资源厅", "交通运输厅"]
    start, end = task.units.span
    assert task.text[start:end] == "（牵头单位：省发展改革委；参加单位：省自然资源厅、交通运输厅等）"


def test_unit_names_are_one_per_body(real_corpus):
    names = {name for p in real_corpus.provisions() if p.units for name in p.units.names}
    assert {"交通运输厅", "深圳", "广州", "医保局", "省医保局"}.isdisjoint(names)
    assert {"省交通运输厅", "深圳市", "广州市", "省医疗保障局", "省委外办", "深圳证监局", "民政部"} <= names
    # the printed names stay as printed, and the text is untouched
    item = real_corpus.provision("gd-action-plan/2.7")
    assert item.units.printed_participating[-3:] == ["广州", "深圳", "珠海市"]
    assert item.units.participating[-3:] == ["广州市", "深圳市", "珠海市"]
    assert item.text.endswith("广州、深圳、珠海市)")


def test_the_excerpt_cut_by_its_page_break_is_marked_incomplete(real_corpus):
    incomplete = [p.id for p in real_corpus.provisions() if not p.complete]
    assert incomplete == ["gba-outline/6.3.p3"]


def test_framework_agreement_parts_and_clauses(real_corpus):
    document = real_corpus.document("framework-agreement")
    parts = [h.label for h in document.headings if h.kind == "part"]
    clauses = [h.label for h in document.headings if h.kind == "clause"]
    assert parts == ["一、", "二、", "三、", "四、"]
    assert [chinese_number(c.strip("（）")) for c in clauses] == list(range(1, 14))


def test_footnotes_are_attached_to_the_citing_provision(real_corpus):
    for document in real_corpus.documents:
        footnotes = [p for p in document.provisions if p.kind == "footnote"]
        for footnote in footnotes:
            citing = real_corpus.provision(footnote.cited_by)
            assert footnote.id in citing.notes
    marks = sum(1 for d in real_corpus.documents for p in d.provisions if p.kind == "footnote")
    assert marks == 3 + 11


def test_footnote_split_paragraph_is_rejoined_around_the_footnote(real_corpus):
    paragraph = real_corpus.provision("zhuxi-metro/1.3.p5")
    assert "“一心两极双支点”沿海经济带发展格局" in paragraph.text
    assert paragraph.notes == ["zhuxi-metro/fn2"]


def test_boxes_end_where_the_section_text_resumes(real_corpus):
    resumed = real_corpus.provision("zhuxi-metro/3.1.3.p2")
    assert resumed.title == "强化交界地区路网衔接"
    assert [s.kind for s in resumed.path] == ["chapter", "section", "part"]


def test_tiny_corpus_model(tiny_corpus):
    plan = tiny_corpus.document("sample-plan")
    assert [p.id for p in plan.provisions] == [
        "sample-plan/preface.p1", "sample-plan/1.p1", "sample-plan/1.1.p1", "sample-plan/fn1",
        "sample-plan/1.1.1.1", "sample-plan/1.1.1.2", "sample-plan/1.1.1.3", "sample-plan/box1.1",
        "sample-plan/1.1.1.p1", "sample-plan/annex.1.p1"]
    assert plan.provision("sample-plan/1.1.p1").text == "创新驱动，改革引领。实施创新驱动发展战略，推动大湾区建设，支持IPv6升级改造。"
    assert plan.provision("sample-plan/1.p1").text == "坚持创新驱动，推动大湾区高质量发展。"
    assert plan.provision("sample-plan/1.1.1.3").title == "加强基础研究能力"
    assert plan.provision("sample-plan/annex.1.p1").units.to_dict() == {
        "lead": ["省水利厅"], "participating": ["省发展改革委", "省自然资源厅"],
        "printed": {"lead": ["省水利厅"], "participating": ["省发展改革委", "自然资源厅"]}, "span": [12, 42]}
    assert plan.warnings == []
    agreement = tiny_corpus.document("sample-agreement")
    assert agreement.provision("sample-agreement/1.1").text == "合作宗旨。全面準確貫徹“一國兩制”方針，共同推進粵港澳大灣區建設，打造國際一流灣區。"
    assert agreement.outline()[0]["children"][1] == {
        "level": 2, "kind": "clause", "number": "（二）", "title": "合作原則", "id": "1.2", "children": []}


def test_ids_are_stable_across_parses_and_edits_elsewhere(tiny_corpus_dir):
    before = [p.id for p in load_corpus(tiny_corpus_dir).provisions()]
    assert before == [p.id for p in load_corpus(tiny_corpus_dir).provisions()]
    path = tiny_corpus_dir / "001_plan.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("本规划是粤港澳大湾区", "新增一段前言。\n\n本规划是粤港澳大湾区"), encoding="utf-8")
    after = [p.id for p in load_corpus(tiny_corpus_dir).provisions()]
    assert after[0:2] == ["sample-plan/preface.p1", "sample-plan/preface.p2"]
    assert after[2:] == before[1:]


def test_not_utf8_names_the_file_and_its_encoding(tiny_corpus_dir):
    path = tiny_corpus_dir / "001_plan.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(CorpusError) as error:
        load_corpus(tiny_corpus_dir)
    assert "001_plan.txt is not UTF-8" in error.value.message
    assert "iconv" in error.value.hint


def test_empty_file_is_refused(tiny_corpus_dir):
    (tiny_corpus_dir / "002_agreement.txt").write_text("  \n\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="002_agreement.txt is empty"):
        load_corpus(tiny_corpus_dir)


def test_catalog_entry_without_file_is_refused(tiny_corpus_dir):
    (tiny_corpus_dir / "002_agreement.txt").unlink()
    with pytest.raises(CorpusError, match="entry 'sample-agreement' names 002_agreement.txt, which is not a file"):
        load_corpus(tiny_corpus_dir)


def test_file_without_entry_is_refused(tiny_corpus_dir):
    shutil.copy(tiny_corpus_dir / "001_plan.txt", tiny_corpus_dir / "003_new.txt")
    with pytest.raises(CorpusError, match="003_new.txt has no entry in catalog.toml"):
        load_corpus(tiny_corpus_dir)


def test_duplicate_ids_are_refused(tiny_corpus_dir):
    catalog = tiny_corpus_dir / "catalog.toml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('"sample-agreement"', '"sample-plan"'),
                       encoding="utf-8")
    with pytest.raises(CorpusError, match="id 'sample-plan' is used twice"):
        load_corpus(tiny_corpus_dir)


def test_bad_toml_is_refused(tiny_corpus_dir):
    (tiny_corpus_dir / "catalog.toml").write_text("[[document]\nid=", encoding="utf-8")
    with pytest.raises(CorpusError, match="is not valid TOML"):
        load_corpus(tiny_corpus_dir)


@pytest.mark.parametrize("text, expected", [
    ("建设国际科技", False), ("合作。", True), ("（牵头单位：省科技厅；参加单位：", False),
    ("还存在以下主要问题：", True), ("(省科技厅,省发展改革委)", True), ("推进“一国两制”", False),
])
def test_is_terminated(text, expected):
    assert is_terminated(text) is expected


def test_a_new_plan_is_parsed_by_the_same_rules(tiny_corpus):
    entry = tiny_corpus.document("sample-plan").entry
    document = parse_document(entry, "示例规划\n\n第一章 总则\n\n第一节 目标\n\n建设目标明确。到 2030 年基本建成。\n")
    assert [p.id for p in document.provisions] == ["sample-plan/1.1.p1"]
    assert document.provisions[0].title == "建设目标明确"
