"""Pool candidate provisions for the ranking judgments, by brute force over the corpus.

This never calls the search engine (no ``Engine.search``, no index): it reads the parsed
provisions with :func:`searcher.corpus.load_corpus` and matches normalised strings, so the pool
does not depend on anything the ranking does.

    .venv/bin/python bench/ranking/pool.py                 # pool sizes per query
    .venv/bin/python bench/ranking/pool.py --dump /tmp/pool # + one file per query to read and judge
    .venv/bin/python bench/ranking/pool.py --check bench/ranking/judgments.json

A provision is pooled for a query when its normalised *match text* (the provision's text, its
title, and the titles of every heading on its path: chapter, section, part, box, annex group)
contains

* ``q``     any term of the query (terms are separated by spaces);
* ``syn``   any of the synonyms / near-forms / narrower terms listed for the query below;
* ``bigram`` for a query term of 3+ characters: every character bigram of the term (anywhere,
  in any order), or at least two distinct bigrams of the term that are rare in the corpus
  (in at most 5% of provisions) - this catches split or reordered wordings
  ("职业……资格", "资格……职业").

Normalisation is :func:`searcher.normalize.normalize_text` on both sides, so Traditional and
Simplified, full- and half-width, and case all match. ``--check`` verifies that every pooled
candidate has a grade in the judgments file, that every judged id is a real provision, and
prints the grade counts.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from searcher.corpus import load_corpus  # noqa: E402
from searcher.normalize import normalize_text  # noqa: E402

# query -> synonyms, near-forms and narrower terms pooled as well (in any script; normalised).
QUERIES: dict[str, list[str]] = {
    # --- the seven seen problem cases ---
    "职业资格": ["执业资格", "专业资格", "资格互认", "资格认可", "资格认证", "从业资格", "执业",
                 "技能等级", "职业技能", "专业人士", "资格", "资质", "职称"],
    "口岸 通关": ["通关便利", "一地两检", "合作查验", "一次放行", "查验", "出入境", "边检",
                  "过境", "海关", "通关模式", "口岸经济", "莲花口岸", "横琴口岸", "新口岸",
                  "入出内地", "便利出入"],
    "南沙": ["南沙"],
    "水安全": ["供水安全", "水资源安全", "水资源", "供水", "饮水", "水源", "水利", "防洪",
               "防潮", "水网", "节水", "水库", "引水", "调水", "咸潮", "海堤", "堤防",
               "水供应", "用水安全", "水旱灾害"],
    "港珠澳大橋": ["港珠澳大桥", "港珠澳"],
    "社会保障": ["社保", "社会保险", "养老保险", "医疗保险", "医保", "社会救助",
                 "社会福利", "慈善", "住房保障"],
    "营商环境": ["营商", "放管服", "市场准入", "公平竞争", "商事", "法治化国际化",
                 "市场化、法治化", "市场化法治化", "政务服务", "信用", "负面清单", "投资便利",
                 "贸易便利"],
    # --- places ---
    "前海": ["前海", "深港现代服务业合作区"],
    "横琴": ["横琴", "琴澳", "粤澳深度合作区"],
    # --- infrastructure ---
    "城际铁路": ["城际", "铁路", "轨道交通", "轨道上的都市圈", "轨道上都市圈", "高铁", "客专",
                 "高速铁路"],
    "机场": ["机场", "空港", "航空枢纽", "航空", "民航", "通用航空", "低空"],
    "港口群": ["港口", "港口群", "港航", "航运", "码头", "航道", "作业区", "组合港", "枢纽港",
               "港区", "海港", "广州港", "深圳港", "珠海港", "高栏港", "江门港", "阳江港", "中山港"],
    "深中通道": ["深中", "深(圳)中(山)", "跨江", "过江", "跨珠江口", "珠江口通道", "跨海"],
    "5G": ["5g", "移动通信", "信息基础设施", "新型基础设施", "千兆", "光网", "基站",
           "信息网络", "通信网络", "物联网"],
    # --- policy domains ---
    "跨境金融": ["跨境金融", "跨境人民币", "人民币", "跨境理财", "跨境投资", "跨境支付",
                 "资金跨境", "金融互联互通", "金融合作", "跨境融资", "跨境保险", "跨境资金",
                 "本外币", "金融", "移动支付"],
    "知识产权": ["知识产权", "专利", "商标", "版权", "侵权假冒", "正版"],
    "养老": ["养老", "老年", "康养", "医养", "老龄", "托育"],
    "职业教育": ["职业教育", "职业院校", "职业技能", "技工", "产教融合", "职教", "技能人才",
                 "职业培训", "技能培训", "高职", "技师", "职业学校", "职业技术", "职业学院",
                 "实训"],
    "碳达峰": ["碳达峰", "碳中和", "碳排放", "双碳", "低碳", "碳交易", "碳汇", "碳普惠",
               "零碳", "近零", "碳", "可再生能源", "清洁能源"],
    "数字经济": ["数字经济", "数字化", "数字产业", "数字", "大数据", "数据中心", "数据跨境",
                 "数据流动", "人工智能", "互联网", "平台经济", "共享经济",
                 "分享经济", "软件", "电子商务"],
    "文化旅游": ["文化旅游", "文旅", "旅游", "游艇", "邮轮", "景区", "旅游线路"],
    "海洋经济": ["海洋经济", "海洋", "蓝色经济", "海洋产业", "涉海", "海工", "海上风电"],
    "人才": ["人才", "专业人士", "科学家", "高端人才", "人力资源要素", "人才流动", "引才", "引智",
             "留学", "海归"],
    "大气污染": ["大气", "空气质量", "臭氧", "pm2.5", "挥发性有机物", "vocs", "废气",
                 "污染防治", "联防联控", "氮氧化物", "机动车", "船舶排放"],
    "岭南文化": ["岭南", "广府文化", "侨乡文化", "侨乡", "文化遗产", "非物质文化遗产",
                 "非遗", "历史文化", "粤剧", "海上丝绸之路"],
    # --- multi-term, long phrase, Traditional ---
    "科技创新 合作平台": ["创新平台", "合作区"],
    "国际科技创新中心": ["国际科技创新中心", "科技创新中心", "创新中心", "科技创新走廊",
                         "综合性国家科学中心", "创新高地"],
    "港澳青年 创业": ["港澳青年", "青年", "创业", "创新创业", "双创", "孵化", "个体工商户"],
    "醫療衛生": ["医疗卫生", "医疗", "卫生", "医院", "卫生健康", "健康都市圈", "健康湾区",
                 "健康服务", "医疗机构", "公共卫生", "疾病", "传染病", "中医", "药品", "医学", "急救"],
    "跨境電商": ["跨境电商", "跨境电子商务", "电子商务", "电商", "数字贸易", "贸易新业态",
                 "市场采购"],
}

RARE_SHARE = 0.05


def bigrams(term: str) -> list[str]:
    return [term[i:i + 2] for i in range(len(term) - 1)]


def match_texts(corpus):
    rows = []
    for p in corpus.provisions():
        heading = " ".join(s.title for s in p.path)
        rows.append((p, normalize_text(p.text), normalize_text(p.title + " " + heading)))
    return rows


def pool(rows, query: str, synonyms: list[str]) -> dict[str, list[str]]:
    n = len(rows)
    df: Counter = Counter()
    for _, text, head in rows:
        both = text + "\n" + head
        df.update({b for b in {both[i:i + 2] for i in range(len(both) - 1)}})
    terms = [normalize_text(t) for t in query.split()]
    syns = [normalize_text(s) for s in synonyms]
    out: dict[str, list[str]] = {}
    for p, text, head in rows:
        both = text + "\n" + head
        why = []
        for t in terms:
            if t in both:
                why.append(f"q:{t}" + ("" if t in text else "(heading)"))
        for s in syns:
            if s in both and s not in terms:
                why.append(f"syn:{s}")
        for t in terms:
            if len(t) >= 3 and t not in both:
                bg = bigrams(t)
                rare = {b for b in bg if df[b] <= RARE_SHARE * n and b in both}
                if all(b in both for b in bg) or len(rare) >= 2:
                    why.append(f"bigram:{t}")
        if why:
            out[p.id] = why
    return out


def describe(p, needles: list[str], full: bool = False) -> str:
    """One candidate for reading: id, kind, title, heading path, units, and the text.

    Long texts (over 260 characters, unless ``full``) are shown as their opening plus a window
    of 50 characters either side of every match; matches are marked 【like this】. Matching is
    done on the normalised text and the windows are cut from it (so Traditional sources show
    folded to Simplified here).
    """
    path = " > ".join(f"{s.label} {s.title}".strip() for s in p.path)
    units = ""
    if p.units:
        units = f"\n  units: lead={'、'.join(p.units.lead)}; part={'、'.join(p.units.participating)}"
    text = normalize_text(p.text)
    spans = []
    for n in needles:
        start = text.find(n)
        while n and start != -1:
            spans.append((start, start + len(n)))
            start = text.find(n, start + 1)
    spans.sort()
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])

    def marked(lo: int, hi: int) -> str:
        out, pos = [], lo
        for a, b in merged:
            if b <= lo or a >= hi:
                continue
            a, b = max(a, lo), min(b, hi)
            out += [text[pos:a], "【", text[a:b], "】"]
            pos = b
        out.append(text[pos:hi])
        return "".join(out)

    if full or len(text) <= 260:
        body = marked(0, len(text))
    else:
        windows: list[list[int]] = [[0, 90]]
        for a, b in merged:
            lo, hi = max(0, a - 50), min(len(text), b + 50)
            if lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        body = " … ".join(marked(lo, hi) for lo, hi in windows)
        if windows[-1][1] < len(text):
            body += " …"
        body += f"  [{len(text)} chars]"
    return f"{p.id} [{p.kind}] title={p.title!r}\n  path: {path}{units}\n  {body}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--dump", help="write one file per query with every candidate's text")
    ap.add_argument("--check", help="a judgments.json to check against the pools")
    args = ap.parse_args()

    corpus = load_corpus(args.corpus)
    rows = match_texts(corpus)
    by_id = {p.id: p for p, _, _ in rows}
    pools = {q: pool(rows, q, syn) for q, syn in QUERIES.items()}

    for q, cands in pools.items():
        print(f"{len(cands):4d}  {q}")
    if args.dump:
        out = Path(args.dump)
        out.mkdir(parents=True, exist_ok=True)
        for i, (q, cands) in enumerate(pools.items()):
            with open(out / f"{i:02d}.txt", "w", encoding="utf-8") as f:
                f.write(f"# QUERY {q}  ({len(cands)} candidates)\n\n")
                needles = sorted({normalize_text(t) for t in q.split()}
                                 | {normalize_text(x) for x in QUERIES[q]}, key=len, reverse=True)
                for pid, why in cands.items():
                    f.write(f"- {describe(by_id[pid], needles)}\n  pooled by: {', '.join(why)}\n\n")
    if args.check:
        data = json.loads(Path(args.check).read_text(encoding="utf-8"))
        grades: Counter = Counter()
        problems = 0
        for entry in data:
            q, judged = entry["query"], entry["judgments"]
            for pid, g in judged.items():
                grades[g] += 1
                if pid not in by_id:
                    print(f"!! {q}: {pid} is not a provision id")
                    problems += 1
                if g not in (0, 1, 2, 3):
                    print(f"!! {q}: {pid} has grade {g!r}")
                    problems += 1
            if q in pools:
                missing = [pid for pid in pools[q] if pid not in judged]
                if missing:
                    print(f"!! {q}: {len(missing)} pooled candidates unjudged: {missing}")
                    problems += 1
            else:
                print(f"!! {q}: not in QUERIES (no pool)")
                problems += 1
            if not any(g == 3 for g in judged.values()):
                print(f"-- {q}: no grade-3 provision")
        print(f"{len(data)} queries; grades: " + ", ".join(f"{g}={grades[g]}" for g in (3, 2, 1, 0))
              + f"; total {sum(grades.values())}")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
