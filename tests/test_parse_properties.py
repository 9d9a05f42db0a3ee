"""Parse stage under arbitrary input: any text a researcher drops into corpus/ parses, losing nothing."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searcher.catalog import CatalogEntry
from searcher.parse import parse_document
from tests.test_corpus import all_pieces, body_without_toc, oracle_clean

ENTRY = CatalogEntry(id="prop", file="prop.txt", title_hans="测试规划", title_hant="測試規劃", title_en="Test")

FRAGMENTS = st.sampled_from([
    "第一章 ", "第十二节 ", "一、", "（三）", "(二) ", "1.", "12. ", "- ", "——", "———", "¹", "²³", "**",
    "<p>", "</p>", "专栏3 ", "附件", "前 言", "目 录", "测试规划", "\t5", ".....", "（牵头单位：省科技厅；参加单位：省教育厅等）",
    "(省发展改革委,省教育厅)", "（下转 3 版)", "。", "，", "；", "：", "、", "“", "”", "(", ")", "（", "）",
    "大湾区", "粵港澳", "建设", "2.8%", "PM2.5", "IPv6 ", " ", "\n", "\n\n", "\n\n\n", "\u200b", "A", "7",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, min_size=1, max_size=80).map("".join))
def test_any_text_parses_and_its_pieces_tile_the_body(text):
    if not text.strip():
        return
    document = parse_document(ENTRY, text)
    pieces = all_pieces(document)
    for (_, end), (start, _) in zip(pieces, pieces[1:]):
        assert end <= start
    assert "".join(oracle_clean(text[s:e]) for s, e in pieces) == oracle_clean(body_without_toc(document))
    ids = [p.id for p in document.provisions]
    assert len(ids) == len(set(ids))
    for provision in document.provisions:
        assert provision.id.startswith("prop/") and provision.text == provision.text.strip()
