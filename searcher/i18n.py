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

import re

from .normalize import to_script
from .parse import chinese_number

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
    "hit_links": ("互见 {n}", "Linked {n}"),
    "hit_links_title": ("本条与其他文件有 {n} 处链接（相同、相似或共有文字；不含套话），即条目页“他处互见”所列",
                        "{n} links to other documents (same, similar or shared wording; boilerplate left out), "
                        "as listed under “Also in” on its page"),
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
    "no_links": ("其他文件中没有相同、相似或共有的措辞。", "No other document has the same, similar or shared wording."),
    "no_links_but_boilerplate": ("除套话外，其他文件中没有相同、相似或共有的措辞。",
                                 "Apart from boilerplate, no other document has the same, similar or shared wording."),
    "link_kind_same": ("相同", "same"),
    "link_kind_similar": ("相似", "similar"),
    "link_kind_shared": ("共有文字", "shared wording"),
    "link_kind_none": ("不构成链接", "not linked"),
    "link_kind_same_title": ("去掉标点、空格并统一简繁后两条文字完全相同", "The same text once script, width, case, spaces and punctuation are folded"),
    "link_kind_similar_title": ("全文相似度不低于 {percent}%", "Whole-text similarity of {percent}% or more"),
    "link_kind_shared_title": ("共有一段或多段 {n} 字以上的相同文字", "Shares one or more passages of {n} or more characters"),
    "similarity": ("相似度", "Similarity"),
    "similarity_value": ("相似度 {percent}%", "Similarity {percent}%"),
    "shared_value": ("共有 {n} 字（占本条 {self}%，占他条 {other}%）", "{n} characters shared ({self}% of this, {other}% of the other)"),
    "shared_value_pair": ("共有 {n} 字（占 A {a}%，占 B {b}%）", "{n} characters shared ({a}% of A, {b}% of B)"),
    "boilerplate": ("套话", "boilerplate"),
    "boilerplate_title": ("共有的文字在全库 {n} 条以上条目中出现，默认不计", "The shared wording occurs in {n} or more provisions of the corpus; left out of counts by default"),
    "show_boilerplate": ("显示套话链接（{n} 条）", "Show boilerplate links ({n})"),
    "hide_boilerplate": ("隐藏套话链接", "Hide boilerplate links"),
    "include_boilerplate": ("计入套话", "Include boilerplate"),
    "what_links_mean": ("链接类型与相似度的定义", "What the kinds and the similarity mean"),
    "all_versions": ("各文件版本对照（{n} 份文件）", "All versions side by side ({n} documents)"),
    "versions_title": ("各文件版本对照", "All versions"),
    "versions_intro": ("本条及其他文件中与之链接最紧密的条目（每份文件一条，不含套话），逐句对照，标出与本条的差异。",
                       "This provision and, from each other document, the provision most closely linked to it (one per document, boilerplate left out), aligned sentence by sentence, with the differences from this one marked."),
    "versions_base": ("本条", "This provision"),
    "no_versions": ("其他文件中没有与本条链接的条目。", "No provision of another document is linked to this one."),
    "compare": ("对照", "Compare"),
    "compare_title": ("条文对照", "Compare provisions"),
    "compare_intro": ("分别检索两个条目并选定，逐句对照：先按句对齐，再在对齐的句子中逐字比较；无对应的句子整句标为删除或增加。",
                      "Search for two provisions and choose them: their sentences are aligned first, then compared character by character; a sentence with no counterpart is marked removed or added as a whole."),
    "compare_search_a": ("检索条目 A", "Find provision A"),
    "compare_search_b": ("检索条目 B", "Find provision B"),
    "choose_as": ("选为 {side}", "Choose as {side}"),
    "chosen": ("已选：", "Chosen: "),
    "no_choices": ("没有找到条目。", "No provision found."),
    "provision_a": ("条目 A", "Provision A"),
    "provision_b": ("条目 B", "Provision B"),
    "compare_summary": ("{aligned} 对句子对齐比较；仅见于 A 的 {only_a} 句，仅见于 B 的 {only_b} 句",
                        "{aligned} sentence pairs aligned and compared; {only_a} sentences only in A, {only_b} only in B"),
    "compare_metadata": ("责任单位（元数据，不参与比较）：", "Responsible units (metadata, not compared): "),
    "compare_linked": ("两条已在“他处互见”中链接", "These two are linked under “Also in”"),
    "compare_not_linked": ("两条未链接", "These two are not linked"),
    "punctuation_changed": ("标点差异", "punctuation only"),
    "diff_legend": ("图例：", "Legend:"),
    "inserted": ("增加", "inserted"),
    "deleted": ("删除", "deleted"),
    "substituted": ("改动", "substituted"),
    "shared_elsewhere": ("他句中共有", "shared, in another sentence"),
    "only_in_a": ("仅见于 A", "Only in A"),
    "only_in_b": ("仅见于 B", "Only in B"),
    "links_title": ("文件间措辞互见", "Shared wording across documents"),
    "links_intro": ("每格为两份文件之间的链接数（每对条目计一次；相同、相似或共有文字；{boilerplate}）。点击数字列出。",
                    "Each cell counts the links between two documents (one per pair of provisions; same, similar or shared wording; {boilerplate}). Open a number to list them."),
    "links_intro_without": ("不含套话", "boilerplate left out"),
    "links_intro_with": ("含套话", "boilerplate included"),
    "links_nav": ("互见", "Reuse"),
    "link_kind": ("类型", "Kind"),
    "all_kinds": ("全部", "All"),
    "min_length": ("最短共有字数", "Minimum shared characters"),
    "shared_chars": ("共有字数", "Shared characters"),
    "links_total": ("（共 {n} 条链接）", " ({n} links)"),
    "sort_pairs": ("排序", "Sort"),
    "sort_pairs_similarity": ("按类型和相似度", "By kind and similarity"),
    "sort_pairs_shared": ("按共有字数", "By shared characters"),
    "sort_pairs_position": ("按 {doc} 原文顺序", "In the order of {doc}"),
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
    "colon": ("：", ": "),
    "list_separator": ("；", "; "),
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
    "help_ranking": ("按相关度排序时，每个检索词的得分为其逆文档频率乘以：该词在条文正文中出现次数的饱和值（BM25 式；每次出现按其所在分句计权："
                     "作为并列列举项出现（紧邻“、”）的打折；分句以“推进、加快、支持、完善”等部署动词开头且该词紧随其后的，视为条文对该词作出部署，加权；"
                     "分句以“依托、发挥、利用、随着”等动词开头的，该词只是手段或背景，打折；"
                     "脚注、专栏项目和附件分工条目权重较低，除非其标题含该词），加上条文自身标题含该词、所在章节标题含该词、该词作为独立词语出现、"
                     "该词至少一次出现在部署分句中的加分；"
                     "只出现在责任单位名单中的次数权重很低。标题结果按检索词占标题的比例计分，与只提及一次的条文相当。得分相同者按原文顺序。也可以改为完全按原文顺序列出。"
                     "排序参数在项目自带的人工评判集上调整（bench/ranking），评判在调参之前完成。",
                     "By relevance, each term scores its inverse document frequency times: its occurrences in the provision's "
                     "own wording, saturated as in BM25, each occurrence weighed by its clause (an item of an enumeration, next "
                     "to a 、, counts less; in a clause opened by a directive verb such as 推进, 加快, 支持 or 完善 with the term "
                     "soon after it, the provision directs something about the term and the occurrence counts more; in a clause "
                     "opened by 依托, 发挥, 利用, 随着 and the like the term is a means or a circumstance and counts less; "
                     "footnotes, box entries and annex task lines weigh less unless their own title holds the term), plus a "
                     "bonus if the provision's own title holds it, if a heading above it does, if it stands as a word of "
                     "its own, and if at least one occurrence is in a directive clause; occurrences only inside the list of responsible units weigh little. A heading scores by the "
                     "share of its title the terms cover, about as much as a single mention. Ties keep document order. "
                     "Results can also be listed in plain document order. The weights were tuned on the project's own "
                     "hand-judged set (bench/ranking), judged before any tuning."),
    "help_related_title": ("相关条目（非精确匹配）", "Related provisions (not exact matches)"),
    "help_related": ("在最后一页结果之后，列出最多 40 条只包含检索式一部分的条文：检索词的字按原顺序出现、中间隔开不超过四个字（如 水资源安全 之于 水安全），"
                     "位于标题包含检索词的章节之下，或包含部分检索词、检索词切分出的词语、相邻两个汉字或单个汉字（拉丁字母和数字不拆开：5G 不按 G 找）。按这些部分所占检索式的比重排序，"
                     "标为“非精确”，不计入结果数和出现次数。",
                     "After the last page of results come up to 40 provisions that hold part of the query: a term's characters "
                     "in order with at most four others between (水资源安全 for 水安全), a heading above them that holds a term, "
                     "or some of the terms, the words a term divides into, its pairs of Chinese characters or single Chinese characters "
                     "(Latin letters and digits are never split off: 5G does not find G). They are ordered by "
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
    "help_link_kinds_title": ("链接的类型", "Kinds of link"),
    "help_link_kinds": ("两份不同文件中的两个条目在比较文字上满足下列之一即相互链接（按此优先顺序取一种）：“相同”——两条文字完全相同；"
                        "“相似”——全文相似度不低于 80%；“共有文字”——共有一段或多段至少 12 字的相同文字。比较文字是条目正文去掉责任单位名单"
                        "（行动计划条目末尾括注的单位、附件中的“牵头单位：…；参加单位：…”），统一简繁、全角半角、大小写，去掉空格和标点后的文字；"
                        "责任单位名单是元数据，不会产生链接，也不计入相似度。比较文字不足 12 字的条目不链接。",
                        "Two provisions of different documents are linked when their compared text meets one of these (the first that applies): "
                        "same — the texts are equal; similar — whole-text similarity of 80% or more; shared wording — one or more common passages "
                        "of 12 characters or more. The compared text is the provision without its responsible-unit list (the units in brackets "
                        "after an action-plan task, the 牵头单位…；参加单位… lines of the annexes), with script, width and case folded and spaces "
                        "and punctuation removed; unit lists are metadata: they never create a link or raise a similarity. Provisions with "
                        "fewer than 12 characters of compared text are not linked."),
    "help_similarity_title": ("相似度与共有字数", "Similarity and shared characters"),
    "help_similarity": ("相似度 = 1 − 两条比较文字的编辑距离（Levenshtein：增、删、改一个字各计 1）÷ 较长一条的字数，向下取整到百分之一；"
                        "100% 只表示文字相同。同一对条目在条目页、检索结果、互见矩阵、对照页和 JSON 中的相似度是同一个数。"
                        "“共有字数”是所有至少 12 字的共有段落的字数之和（每个字只计一次，长段优先）；“占本条”“占他条”是它占各自比较文字的比例。"
                        "对照页先按句对齐（相似度不低于 50% 的句子按顺序配对），再逐字比较；对齐时各句的相似度用同一公式。",
                        "Similarity = 1 − the edit distance of the two compared texts (Levenshtein: inserting, deleting or changing one character "
                        "costs 1) ÷ the length of the longer, floored to a whole per cent; 100% means the same text. A pair has the same "
                        "similarity on the provision page, in search results, on the links matrix, on the compare page and in the JSON. "
                        "Shared characters are the total length of the common passages of 12 or more characters (each character counted once, "
                        "longest passages first); the shares are that total over each provision's compared text. The compare page first aligns "
                        "sentences (pairs at least 50% similar, in order), then compares the aligned ones character by character; sentence "
                        "similarity uses the same formula."),
    "help_boilerplate_title": ("套话", "Boilerplate"),
    "help_boilerplate": ("一段共有文字若在全库 4 条或更多条目中出现，就是“套话”（如“粤港澳大湾区国际科技创新中心”）。“相同”或“共有文字”链接"
                         "若共有的全部是套话，标为套话链接：保留并标注，但默认不显示、不计数（条目页、检索结果的“互见”数、互见矩阵都一样），"
                         "可用“显示套话链接”或“计入套话”打开。“相似”链接是整条改写，从不算套话。",
                         "A shared passage that occurs in 4 or more provisions of the corpus is boilerplate (such as 粤港澳大湾区国际科技创新中心). "
                         "A same or shared-wording link whose shared passages are all boilerplate is a boilerplate link: kept and marked, but "
                         "left out of lists and counts by default (on the provision page, in the search badge and on the links matrix alike); "
                         "“Show boilerplate links” or “Include boilerplate” puts them back. A similar link rewrites a whole provision and is "
                         "never boilerplate."),
    "help_link_counts_title": ("互见的计数", "Counting links"),
    "help_link_counts": ("检索结果上的“互见 N”是该条目的链接数，即其条目页“他处互见”默认列出的条数；互见矩阵每格是两份文件之间的链接数，"
                         "每对条目计一次。两者都不含套话链接。",
                         "“Linked N” on a search result is the number of the provision's links: the number its page lists under “Also in” by "
                         "default. Each cell of the links matrix counts the links between two documents, one per pair of provisions. Neither "
                         "counts boilerplate links."),
    "units_definition": ("“任务”指列有责任单位的条文；同一任务中既牵头又参加的单位只计为牵头。",
                         "A task is a provision that lists its responsible units; a unit that both leads and takes part "
                         "in one task counts once, as lead."),

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
    "concordance": ("逐条索引（KWIC）", "Concordance (KWIC)"),
    "concordance_nav": ("逐条索引", "Concordance"),
    "concordance_intro": ("列出检索词的每一处出现及其左右文，可按左文、右文、文件排序。检索语法和筛选条件与搜索相同。",
                          "Every occurrence of the terms with its left and right context, sortable by either side or by "
                          "document. Same query syntax and filters as search."),
    "concordance_total": ("共 {total} 处出现，分布于 {hits} 个条目（条文或标题）",
                          "{total} occurrences in {hits} records (provisions or headings)"),
    "occurrences_per_document": ("各文件出现次数：", "Occurrences per document: "),
    "then_by": ("其次", "then by"),
    "sort_none": ("（无）", "(nothing)"),
    "sort_position": ("原文顺序", "Document order"),
    "sort_left": ("左文（自右向左读）", "Left context (read leftwards)"),
    "sort_right": ("右文", "Right context"),
    "sort_match": ("检索词原文", "Match as printed"),
    "sort_doc": ("文件编号", "Document id"),
    "context_width": ("左右文字数", "Context (characters)"),
    "lines_per_page": ("每页行数", "Lines per page"),
    "show": ("显示", "Show"),
    "kwic_where": ("出处", "Where"),
    "kwic_left": ("左文", "Left"),
    "kwic_match": ("检索词", "Match"),
    "kwic_right": ("右文", "Right"),
    "lines_shown": ("第 {first}–{last} 行，共 {total} 行", "Lines {first}–{last} of {total}"),
    "download_all": ("下载全部：", "Download all: "),
    "search_results": ("检索结果", "Search results"),
    "frequencies": ("词频", "Frequencies"),
    "frequencies_title": ("词频与分布", "Frequencies and spread"),
    "frequencies_intro": ("比较几个检索词在各文件中的出现次数、每万字出现次数，以及在各文件顶层部分（章，或“一、二、”）中的分布。",
                          "Compare how often terms occur in each document, per 10,000 characters, and how they spread "
                          "over each document's top-level divisions (chapters, or parts 一、二、…)."),
    "frequencies_help": ("每格填一个检索词或检索式（语法同搜索）；一格中也可用逗号、顿号或分号分隔几个词，例如 创新、开放。",
                         "One term or query per box (same syntax as search); a box may also hold several, separated by "
                         "commas, 、 or semicolons, e.g. 创新、开放."),
    "term_n": ("检索词 {n}", "Term {n}"),
    "compare_terms": ("比较", "Compare"),
    "occurrences": ("出现次数", "Occurrences"),
    "per_10000": ("每万字", "Per 10,000 characters"),
    "characters": ("字数", "Characters"),
    "all_documents": ("全部文件", "All documents"),
    "document": ("文件", "Document"),
    "division": ("部分", "Division"),
    "spread_title": ("各部分分布", "Spread over divisions"),
    "spread_chart": ("{doc}：各部分出现次数", "{doc}: occurrences per division"),
    "spread_bar": ("{division}：“{query}” {n} 处，每万字 {rate}", "{division}: “{query}” {n}, {rate} per 10,000 characters"),
    "outside_divisions": ("不属任何部分（标题、卷首）", "Outside any division (title, front matter)"),
    "numbers": ("数字", "Numbers"),
    "query_problem_in": ("检索式“{query}”有问题", "Problem with the query “{query}”"),
    "legend": ("图例：", "Legend: "),
    "filters_count_only": ("筛选条件 {filters} 只限定计数范围；每万字仍以整份文件（或整个部分）的字数计算。",
                           "The filters {filters} narrow where occurrences are counted; rates are still per 10,000 "
                           "characters of the whole document (or division)."),
    "concordance_link": ("逐条索引（{n} 处出现）", "Concordance ({n} occurrences)"),
    "definitions": ("计数的定义", "How things are counted"),
    "def_occurrence": ("出现：检索词在一个条目（条文或标题）规范化文本中的一次匹配。规范化统一简繁、异体字、全半角和大小写，并去掉空格和换行。"
                       "自左向右查找，每次匹配后从其后继续（“湾区湾区”含 2 处“湾区”，“aaa”含 1 处“aa”）。"
                       "只在符合整个检索式的条目中计数；检索式有几个肯定检索词时，各词分别计数后相加，排除词（-词、NOT）不计。"
                       "检索结果页的出现次数、逐条索引的行数和词频表的合计都是这一个数。",
                       "Occurrence: one match of a term in the normalised text of a record (a provision or a heading). "
                       "Normalising folds script, variant forms, width and case and drops spaces and line breaks. Matches "
                       "are found left to right, each search resuming after the previous match (湾区湾区 holds 2 of 湾区, "
                       "aaa holds 1 of aa). Only records that match the whole query are counted; a query with several "
                       "positive terms counts each term and adds them up; excluded terms (-term, NOT) are not counted. "
                       "The occurrences on the search page, the lines of the concordance and the totals of the "
                       "frequency table are this one number."),
    "def_characters": ("字数：一份文件全部条目（条文和印出的标题，含脚注）规范化文本的字数，即不计空格和换行。一个部分的字数是其中条目的字数。",
                       "Characters of a document: the characters of the normalised text of all its records (provisions "
                       "and printed headings, footnotes included), so spaces and line breaks do not count. A division's "
                       "characters are those of the records in it."),
    "def_rate": ("每万字：出现次数 × 10000 ÷ 字数，保留两位小数。筛选条件只限定计数的范围，不改变字数。",
                 "Per 10,000 characters: occurrences × 10,000 ÷ characters, rounded to two decimals. Filters narrow "
                 "where occurrences are counted, not the characters."),
    "def_division": ("部分：文件的顶层划分（第X章、“一、二、”、前言、附件）。标题和卷首不属任何部分，单列为“—”。",
                     "Division: a document's top-level division (第X章, parts 一、二、…, 前言, 附件). The title and the "
                     "front matter belong to none and are shown as “—”."),
    "def_context": ("左右文：匹配前后若干个原文字符（默认 30），以原文字形显示，不越出所在条目；偏移量为匹配在条目原文中的位置（从 0 起算）。",
                    "Context: the characters of the original text before and after the match (30 by default), in the "
                    "script of the source, never beyond the record; the offset is where the match starts in the "
                    "record's original text (counting from 0)."),
    "def_sort": ("排序：原文顺序按目录中的文件顺序、文件内的阅读顺序和偏移量；左文从匹配前一个字向左读；右文从匹配后一个字向右读；"
                 "文件按编号。左右文按规范化文字的码位比较，简繁一起排序；相同者按原文顺序。",
                 "Sorting: document order is the catalog's order of documents, reading order within each, then the "
                 "offset; left context is read leftwards from the character before the match; right context "
                 "rightwards from the one after it; document sorts by id. Contexts compare by code point of the "
                 "normalised characters, so both scripts sort together; ties stay in document order."),
    "def_exports": ("下载：CSV（UTF-8，带 BOM，Excel 可直接打开中文）或 JSON，包含全部结果，而不只是当前一页。",
                    "Downloads: CSV (UTF-8 with a BOM, so Excel opens Chinese correctly) or JSON, with every row of "
                    "the result, not just the page shown."),

    # ---- English readers: pinyin and glossary
    "latin_heading": ("规划文本为中文", "The plans are written in Chinese"),
    "latin_intro": ("检索词为拉丁字母。可以改用下面的中文词（来自术语表，或与所输拼音相符的原文用词），点击即检索：",
                    "Your query is in Latin letters. Search instead for one of these Chinese terms (from the glossary, "
                    "or words of the plans that your letters spell in pinyin):"),
    "latin_nothing": ("术语表和拼音都没有找到对应的中文词。可以查看术语表，或直接输入中文。",
                      "Neither the glossary nor pinyin gives a Chinese term for it. See the glossary, or type Chinese."),
    "suggestion_records": ("{n} 条结果", "{n} results"),
    "pinyin_spells": ("（拼音）", "(pinyin)"),
    "glossary_entry": ("术语表", "glossary entry"),
    "glossary_title": ("英汉术语表", "English–Chinese glossary"),
    "glossary_intro": ("英文读者常用的名称及规划所用的中文词。点击中文词即检索。每个条目有固定链接，可以引用。",
                       "English names a reader may type and the Chinese term the plans use. Open a term to search it. "
                       "Every entry has a permalink and can be cited."),
    "glossary_english": ("英文", "English"),
    "glossary_chinese": ("中文", "Chinese"),
    "glossary_note": ("说明", "Note"),
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


_NUMERAL = re.compile(r"[一二三四五六七八九十百零〇两]+|\d+")


def _number(text: str) -> str:
    """The number in a printed label, in digits (第十二章 -> 12, （三）-> 3, 专栏4 -> 4); "" if none."""
    match = _NUMERAL.search(text)
    return str(chinese_number(match.group(0))) if match else ""


def division_label(label: str, kind: str, lang: str) -> str:
    """A printed division label in the interface language: 第三章 stays in Chinese, or reads "Chapter 3".

    >>> division_label("第三章", "chapter", "en"), division_label("（二）", "clause", "en"), division_label("一、", "part", "zh")
    ('Chapter 3', '(2)', '一、')
    """
    if lang != "en" or not label:
        return label
    number = _number(label)
    names = {"chapter": "Chapter", "section": "Section", "part": "Part", "box": "Box"}
    if kind in names and number:
        return f"{names[kind]} {number}"
    if kind == "clause" and number:
        return f"({number})"
    return {"preface": "Preface", "annex": "Annex"}.get(kind, label)
