"""Interface language and display script for the pages (the last stage: hits -> pages).

Labels come in Chinese (the default) and English; the reader's choice of language and of
script (as in the source, all Simplified, all Traditional) is remembered in cookies. The
script choice changes display only: :func:`display` converts with ``to_script``, which keeps
the text's length, so highlight offsets computed on the source text stay valid.

>>> label("search", "en"), label("search", "zh")
('Search', '搜索')
>>> display("粤港澳大湾区", "hans", "hant")
'粵港澳大灣區'
"""
from __future__ import annotations

from .normalize import to_script

LANGUAGES = ("zh", "en")
SCRIPTS = ("source", "hans", "hant")
DEFAULT_LANGUAGE = "zh"
DEFAULT_SCRIPT = "source"
LANG_COOKIE = "searcher_lang"
SCRIPT_COOKIE = "searcher_script"

# key: (Chinese, English). Placeholders use str.format names.
LABELS: dict[str, tuple[str, str]] = {
    "site_name": ("大湾区规划检索", "GBA Plans Search"),
    "site_tagline": ("粤港澳大湾区规划文本全文检索、引用与比对", "Search, cite and compare the Greater Bay Area plans"),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "search": ("搜索", "Search"),
    "search_label": ("检索词", "Search terms"),
    "search_placeholder": ("输入检索词，如 大湾区 或 \"科技创新\"", "Type terms, e.g. 大湾区 or \"科技创新\""),
    "syntax_help": ("检索语法", "Query syntax"),
    "language": ("界面语言", "Interface language"),
    "script": ("字形", "Script"),
    "script_source": ("原文", "As in source"),
    "script_hans": ("简体", "Simplified"),
    "script_hant": ("繁體", "Traditional"),
    "documents": ("文件", "Documents"),
    "documents_intro": ("收录的规划文本。点击标题阅读全文，或在上方检索。",
                        "The plans in the corpus. Open a title to read it, or search above."),
    "title": ("标题", "Title"),
    "issuers": ("发布机关", "Issuers"),
    "date": ("日期", "Date"),
    "provisions": ("条目", "Provisions"),
    "source_file": ("来源文件", "Source file"),
    "kind": ("类型", "Kind"),
    "kind_plan": ("规划", "Plan"),
    "kind_action-plan": ("行动计划", "Action plan"),
    "kind_agreement": ("协议", "Agreement"),
    "script_of_source": ("原文字形", "Script of source"),
    "unknown": ("未注明", "not stated"),
    "note": ("说明", "Note"),
    "results_total": ("共 {total} 条结果", "{total} results"),
    "results_for": ("“{query}”的检索结果", "Results for “{query}”"),
    "searched_as": ("实际检索：{interpreted}", "Searched for: {interpreted}"),
    "query_problem": ("检索式有问题", "Problem with the query"),
    "no_hits": ("没有找到结果", "No results"),
    "no_hits_tips": ("可以试试：检查错别字；减少字数或换一个更短的词；去掉已选的筛选条件；用 OR 连接同义词。",
                     "Try: check the spelling; use fewer characters or a shorter word; remove a filter; join synonyms with OR."),
    "remove_filters": ("清除全部筛选", "Remove all filters"),
    "filter_by_document": ("按文件筛选", "Filter by document"),
    "filter_by_chapter": ("按章筛选", "Filter by chapter"),
    "filter_by_unit": ("按责任单位筛选", "Filter by responsible unit"),
    "unit": ("责任单位", "Responsible unit"),
    "any_unit": ("任意单位", "Any unit"),
    "apply": ("应用", "Apply"),
    "active_filters": ("已选筛选", "Active filters"),
    "remove_filter": ("去掉筛选：{name}", "Remove filter: {name}"),
    "hits_per_document": ("各文件命中数", "Hits per document"),
    "open_provision": ("打开条目", "Open provision"),
    "in_document": ("在原文中查看", "Show in document"),
    "shared_docs": ("与 {n} 份其他文件措辞相同", "Wording shared with {n} other documents"),
    "shared_docs_short": ("互见 {n}", "Shared {n}"),
    "previous": ("上一条", "Previous"),
    "next": ("下一条", "Next"),
    "page_n": ("第 {page} 页", "Page {page}"),
    "pagination": ("分页", "Pagination"),
    "previous_page": ("上一页", "Previous page"),
    "next_page": ("下一页", "Next page"),
    "path": ("位置", "Location"),
    "label": ("序号", "Number"),
    "lead_units": ("牵头单位", "Lead units"),
    "participating_units": ("参加单位", "Participating units"),
    "footnotes": ("注释", "Notes"),
    "cite": ("引用", "Cite"),
    "citation": ("引用格式（法律文献式）", "Citation (Chinese legal style)"),
    "gbt7714": ("参考文献（GB/T 7714-2015）", "Reference (GB/T 7714-2015)"),
    "permalink": ("永久链接", "Permalink"),
    "quote": ("原文引文", "Verbatim quote (source script)"),
    "text_hash": ("文本校验值（SHA-256 前 12 位）", "Text hash (first 12 hex digits of SHA-256)"),
    "copy": ("复制", "Copy"),
    "copied": ("已复制", "Copied"),
    "copy_failed": ("无法复制，请手动选择文本", "Could not copy; select the text by hand"),
    "also_in": ("他处互见", "Also in"),
    "no_links": ("其他文件中没有相同或相近的措辞。", "No other document shares this wording."),
    "link_kind_identical": ("相同", "identical"),
    "link_kind_similar": ("相近", "similar"),
    "similarity": ("相似度", "Similarity"),
    "boilerplate": ("套话", "boilerplate"),
    "compare": ("对照", "Compare"),
    "compare_title": ("条文对照", "Compare provisions"),
    "compare_intro": ("输入两个条目编号，逐字对照。", "Enter two provision ids to compare them character by character."),
    "provision_a": ("条目 A", "Provision A"),
    "provision_b": ("条目 B", "Provision B"),
    "diff_summary": ("{insertions} 处增加，{deletions} 处删除，{substitutions} 处改动，{punctuation} 处标点差异；相似度 {percent}%",
                     "{insertions} insertions, {deletions} deletions, {substitutions} substitutions, "
                     "{punctuation} punctuation changes; {percent}% similar"),
    "punctuation_changed": ("标点差异", "punctuation only"),
    "diff_legend": ("图例：", "Legend:"),
    "inserted": ("增加", "inserted"),
    "deleted": ("删除", "deleted"),
    "substituted": ("改动", "substituted"),
    "links_title": ("文件间措辞互见", "Shared wording across documents"),
    "links_intro": ("每格为两份文件之间共有的段落数。点击数字列出。",
                    "Each cell counts the passages two documents share. Open a number to list them."),
    "links_nav": ("互见", "Reuse"),
    "link_kind": ("类型", "Kind"),
    "all_kinds": ("全部", "All"),
    "min_length": ("最短字数", "Minimum length (characters)"),
    "shared_chars": ("共有字数", "Shared characters"),
    "pairs_between": ("{a} 与 {b} 之间的互见", "Shared between {a} and {b}"),
    "outline": ("目录", "Outline"),
    "hits_in_document": ("本文件中“{query}”共 {n} 处命中条目", "{n} provisions match “{query}” in this document"),
    "first_hit": ("跳到第一处", "Jump to the first"),
    "clear_marks": ("取消标记", "Clear marks"),
    "read_document": ("阅读全文", "Read the document"),
    "api": ("JSON 接口", "JSON API"),
    "error": ("出错了", "Something went wrong"),
    "what_to_do": ("怎么办", "What to do"),
    "back_home": ("返回首页", "Back to the documents"),
    "not_found": ("找不到该页面或条目。", "No such page or provision."),
    "not_found_hint": ("请检查链接，或从首页重新检索。", "Check the link, or search again from the documents page."),
    "server_error": ("服务器内部错误，已记录。", "Internal error; it has been logged."),
    "server_error_hint": ("请稍后再试；若反复出现，请告知维护者。", "Try again; if it keeps happening, tell the maintainer."),
    "excerpt": ("节选", "Excerpt"),
    "bad_page": ("页码应为正整数。", "The page number must be a positive whole number."),
    "syntax_title": ("检索语法", "Query syntax"),
    # ---- search (headings, facets, units, readings, related tier)

    # ---- links and comparison

    # ---- citations and exports of citations
    "cite_excerpt_notice": ("节选：原文在本条中途中断，本条文字不完整。引用时请注明“节选”（下方引文已标注）。",
                            "Excerpt: the source breaks off inside this provision, so its text is incomplete. "
                            "Cite it as an excerpt (the citation below says so)."),
    "cite_accessed_note": ("[{date}] 为引用日期，即今日（北京时间）。", "[{date}] is the access date: today, Beijing time."),
    "cite_downloads": ("导出到文献管理软件", "Export to a reference manager"),
    "cite_this_provision": ("本条：", "This provision: "),
    "cite_whole_document": ("全文：", "Whole document: "),
    "cite_format_csl-json": ("CSL-JSON（Zotero）", "CSL-JSON (Zotero)"),
    "cite_format_ris": ("RIS（EndNote、NoteExpress）", "RIS (EndNote, NoteExpress)"),
    "cite_format_bibtex": ("BibTeX（LaTeX）", "BibTeX (LaTeX)"),

    # ---- concordance, frequencies, exports

    # ---- English readers: pinyin and glossary
}


def label(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The label ``key`` in ``lang``, with ``values`` filled in; the key itself if unknown."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def choose(value: str | None, allowed: tuple[str, ...], default: str) -> str:
    """Accept a cookie or query value only if it is one of ``allowed``."""
    return value if value in allowed else default


def display(text: str, source_script: str, choice: str) -> str:
    """Text as the reader chose to see it; a text already in that script is left as printed.

    Length is kept, so offsets stay valid.
    """
    if choice not in ("hans", "hant"):
        return text
    return to_script(text, choice, source=source_script or None)


def html_lang(source_script: str, choice: str) -> str:
    """The BCP 47 tag of text shown in ``choice`` (so the browser picks the right glyphs)."""
    script = source_script if choice not in ("hans", "hant") else choice
    return "zh-Hant" if script == "hant" else "zh-Hans"
