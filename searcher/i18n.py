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
    "heading_hit": ("标题", "Heading"),
    "incomplete": ("节选，原文中断", "Excerpt: cut off"),
    "incomplete_note": ("来源文本在此条中途中断（节选），此处不是完整条文。",
                        "The source text breaks off inside this provision (an excerpt); it is not the whole provision."),
    "occurrences_in_hit": ("本条 {n} 处", "{n} occurrences here"),
    "occurrences_total": ("，共出现 {n} 处", ", {n} occurrences"),
    "what_is_counted": ("计数说明", "What is counted"),
    "sort_by": ("排序", "Sort"),
    "sort_relevance": ("按相关度", "By relevance"),
    "sort_document": ("按原文顺序", "In document order"),
    "refine": ("在结果中检索", "Search within results"),
    "refine_placeholder": ("再加检索词", "Add terms"),
    "refine_button": ("缩小范围", "Refine"),
    "no_exact_hits": ("没有精确匹配的条文或标题。", "No provision or heading contains the query."),
    "related_heading": ("相关条目（非精确匹配）", "Related provisions (not exact matches)"),
    "related_note": ("以下条目只包含检索式的一部分（部分检索词、词语或相邻字），或位于标题包含检索词的章节之下；不计入结果数。",
                     "These hold only part of the query (some of its terms, words or character pairs), or sit under a "
                     "heading that holds a term; they are not counted as results."),
    "facet_counts_note": ("各部分的命中数不受本栏已选项影响", "Counts ignore this list's own choice"),
    "unit_role": ("单位角色", "Role of the unit"),
    "role_any": ("牵头或参加", "Leads or takes part"),
    "role_lead": ("仅牵头", "Leads only"),
    "all_units": ("全部责任单位", "All responsible units"),
    "lead_filter": ("{name}（牵头）", "{name} (lead)"),
    "units_title": ("责任单位", "Responsible units"),
    "units_intro": ("各规划中任务的责任单位及其牵头、参加的任务数。单位名称已规范化（列表中省略的“省”“市”已补全），原文写法见各条文。",
                    "The units responsible for the plans' tasks, with the number of tasks each leads and takes part in. "
                    "Names are normalised (the 省 or 市 a list leaves out is spelled out); each provision keeps the printed form."),
    "unit_name": ("单位", "Unit"),
    "tasks_led": ("牵头任务", "Tasks led"),
    "tasks_participating": ("参加任务", "Tasks taking part"),
    "tasks_total": ("合计", "Total"),
    "help_definitions": ("计数与标签的定义", "What the counts and labels mean"),
    "help_counts_title": ("结果数与出现次数", "Results and occurrences"),
    "help_counts": ("“结果”是包含全部检索词（按检索式逻辑）的条文或标题：条文、脚注、专栏条目和各级标题各算一条。"
                    "“出现次数”是检索词在这些结果中出现的次数：在规范化文本上从左到右匹配，每次匹配后从其末尾继续"
                    "（“湾区湾区”含两次“湾区”）；有多个检索词时，分别计数后相加。检索结果页、索引语境页、频次表和导出文件用同一个计数函数。",
                    "A result is a provision or heading that matches the query (every term, as the operators say): provisions, "
                    "footnotes, box entries and headings each count once. Occurrences count the query's terms in those results: "
                    "matched on the normalised text from left to right, resuming after each match (湾区湾区 holds 湾区 twice); "
                    "with several terms, each term's occurrences are added. The results page, the concordance, the frequency "
                    "tables and the exports all count with one function."),
    "help_variants_title": ("简繁与异体字", "Scripts and variant characters"),
    "help_variants": ("检索在折叠后的文本上进行：繁简、全角半角、大小写和空格都不影响匹配。凡 OpenCC 自带的繁简字表或港台异体字表"
                      "把两个字相互对应，这两个字就视为同一个字（如 著/着、爲/為/为、臺/台）；这样的字类由这些表自动推导，不是人工列举。"
                      "个别字类会把意义不同的字合在一起（如 划/画，因 劃/畫），命中处仍在原文所印的字上标出。",
                      "Matching happens on folded text: script, full and half width, case and spaces never matter. Two characters "
                      "that any of OpenCC's own character tables (Traditional/Simplified, Hong Kong and Taiwan variants) map into "
                      "each other count as one (著/着, 爲/為/为, 臺/台); these classes are derived from the tables, not listed by "
                      "hand. A few classes join characters of different meaning (划/画, through 劃/畫); hits are still marked on "
                      "the character the source prints."),
    "help_headings_title": ("标题也是检索结果", "Headings are results"),
    "help_headings": ("章、节、部分、条款标题、专栏标题和附件标题都按原文（序号加标题）参与检索，可以单独作为结果出现，链接到全文阅读页中的位置。",
                      "Chapter, section, part, clause, box and annex headings are searched as printed (number and title) and "
                      "can be results of their own, linking to their place in the document reader."),
    "help_ranking_title": ("排序", "Ranking"),
    "help_ranking": ("按相关度排序时，每个检索词的得分为其逆文档频率乘以：该词在条文正文中出现次数的饱和值（BM25 式；作为并列列举项出现（紧邻“、”）的次数打折；"
                     "脚注、专栏项目和附件分工条目权重较低，除非其标题含该词），加上条文自身标题含该词、所在章节标题含该词、该词作为独立词语出现的加分；"
                     "只出现在责任单位名单中的次数权重很低。标题结果按检索词占标题的比例计分，与只提及一次的条文相当。得分相同者按原文顺序。也可以改为完全按原文顺序列出。"
                     "排序参数在项目自带的人工评判集上调整（bench/ranking），评判在调参之前完成。",
                     "By relevance, each term scores its inverse document frequency times: its occurrences in the provision's "
                     "own wording, saturated as in BM25 (an occurrence as an item of an enumeration, next to a 、, counts less; "
                     "footnotes, box entries and annex task lines weigh less unless their own title holds the term), plus a "
                     "bonus if the provision's own title holds it, if a heading above it does, and if it stands as a word of "
                     "its own; occurrences only inside the list of responsible units weigh little. A heading scores by the "
                     "share of its title the terms cover, about as much as a single mention. Ties keep document order. "
                     "Results can also be listed in plain document order. The weights were tuned on the project's own "
                     "hand-judged set (bench/ranking), judged before any tuning."),
    "help_related_title": ("相关条目（非精确匹配）", "Related provisions (not exact matches)"),
    "help_related": ("在最后一页结果之后，列出最多 40 条只包含检索式一部分的条文：检索词的字按原顺序出现、中间隔开不超过四个字（如 水资源安全 之于 水安全），"
                     "位于标题包含检索词的章节之下，或包含部分检索词、检索词切分出的词语、相邻两字或单字。按这些部分所占检索式的比重排序，"
                     "标为“非精确”，不计入结果数和出现次数。",
                     "After the last page of results come up to 40 provisions that hold part of the query: a term's characters "
                     "in order with at most four others between (水资源安全 for 水安全), a heading above them that holds a term, "
                     "or some of the terms, the words a term divides into, its character pairs or characters. They are ordered by "
                     "the share of the query they hold, marked as not exact, and never counted as results or occurrences."),
    "help_facets_title": ("筛选栏的计数", "Filter counts"),
    "help_facets": ("“按文件”“按章”两栏列出每个文件、每个顶层部分（第X章、一、、前言、附件等）中的结果数。每一栏的计数不受本栏已选项影响，"
                    "但受其他筛选条件影响，所以选定一个文件后仍能看到其他文件的结果数。",
                    "The document and division lists count the results in each document and each top-level division (第X章, "
                    "一、, 前言, 附件 …). Each list's counts ignore that list's own choice but follow every other filter, so "
                    "choosing a document keeps the other documents' counts in view."),
    "help_units_title": ("责任单位", "Responsible units"),
    "help_units": ("分工名单中省略的“省”“市”会按名单补全（“省发展改革委、交通运输厅”中的“交通运输厅”即“省交通运输厅”；“广州、深圳、珠海市”"
                   "即三个市），目录中的别名（如 省医保局 = 省医疗保障局）也会合并；条文原文保持印刷原样。unit: 筛选牵头或参加的任务，lead: 只筛选牵头的任务。",
                   "Unit names are spelled out as the lists mean them (in 省发展改革委、交通运输厅 the second is 省交通运输厅; "
                   "广州、深圳、珠海市 are three cities), and aliases listed in the catalog are merged (省医保局 = 省医疗保障局); "
                   "the provision text stays as printed. unit: finds the tasks a unit leads or takes part in, lead: those it leads."),
    "help_excerpt_title": ("节选与中断", "Excerpts"),
    "help_excerpt": ("来源文本若在某条中途中断（如《纲要》节选止于第六章第三节的一段中间），该条标为“节选，原文中断”，API 中 complete 为 false。",
                     "Where a source breaks off inside a provision (the Outline excerpt stops in the middle of a paragraph in "
                     "chapter 6, section 3), that provision is marked as cut off and has complete: false in the API."),
    "units_definition": ("“任务”指列有责任单位的条文；同一任务中既牵头又参加的单位只计为牵头。",
                         "A task is a provision that lists its responsible units; a unit that both leads and takes part "
                         "in one task counts once, as lead."),

    # ---- links and comparison

    # ---- citations and exports of citations

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
