"""Every message a user can read, in Chinese and English: errors, their hints and notes.

Shared by every stage. Code raises :class:`searcher.errors.SearcherError` or returns a
:class:`Notice` with a *code* and its parameters, never a finished sentence; the pages render
it in the reader's interface language, the CLI and the logs in English. A code has a message
and, for errors, a hint saying what to do (``code`` and ``code.hint``).

Parameters are filled in with :meth:`str.format`. A parameter that is itself a Notice, or a
list of Notices, is rendered in the same language (lists joined with "; " or "；").

>>> Notice("unclosed_paren").text("zh")
'括号未闭合，已在检索式末尾补上右括号。'
>>> Notice("unknown_document_filter", value="foo", known="a, b").text("en")
"No document 'foo' (doc:foo); the filter was ignored. Known documents: a, b."
"""
from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("zh", "en")

# code: (Chinese, English). Keep both sides saying the same thing; hints say what to do next.
MESSAGES: dict[str, tuple[str, str]] = {
    # ---- catalog and corpus files
    "catalog_where": ("catalog.toml 第 {n} 个文件条目", "catalog.toml, document #{n}"),
    "catalog_missing_fields": ("{where} 缺少字段：{fields}。", "{where} has no {fields}."),
    "catalog_missing_fields.hint": ("每个 [[document]] 至少需要 id、file 和 title_hans。",
                                    "Every [[document]] needs at least id, file and title_hans."),
    "catalog_bad_id": ("{where}：id {value!r} 不是有效的编号。", "{where}: id {value!r} is not a valid id."),
    "catalog_bad_id.hint": ("只用小写字母、数字和连字符，例如 'gba-outline'。",
                            "Use lowercase letters, digits and hyphens, e.g. 'gba-outline'."),
    "catalog_bad_script": ("{where}（{doc}）：未知字形 {value!r}。", "{where} ({doc}): script {value!r} is unknown."),
    "catalog_bad_script.hint": ("请用 'hans'（简体）或 'hant'（繁体）。", "Use 'hans' or 'hant'."),
    "catalog_bad_kind": ("{where}（{doc}）：未知类型 {value!r}。", "{where} ({doc}): kind {value!r} is unknown."),
    "catalog_bad_kind.hint": ("请用以下之一：{allowed}。", "Use one of {allowed}."),
    "catalog_bad_date": ("{where}（{doc}）：日期 {value!r} 不是 YYYY-MM-DD 格式。",
                         "{where} ({doc}): date {value!r} is not YYYY-MM-DD."),
    "catalog_bad_date.hint": ("不确定时请留空。", "Leave it empty if unsure."),
    "catalog_bad_lists": ("{where}（{doc}）：issuers 和 context 必须是列表。",
                          "{where} ({doc}): issuers and context must be lists."),
    "catalog_bad_lists.hint": ('例如写作 issuers = ["国务院"]。', 'Write e.g. issuers = ["国务院"].'),
    "glossary_not_toml": ("{path} 不是有效的 TOML：{detail}。", "{path} is not valid TOML: {detail}."),
    "glossary_not_toml.hint": ("修正语法后重新运行命令。", "Fix the syntax and run the command again."),
    "glossary_bad_term": ("{path} 的第 {n} 个 [[term]] 不完整或编号重复。", "[[term]] #{n} of {path} is incomplete or repeats an id."),
    "glossary_bad_term.hint": ('每个条目需要唯一的 id（小写字母、数字、连字符）、en（英文名称列表）和 zh（中文术语）。',
                               'Each entry needs a unique id (lowercase letters, digits, hyphens), en (a list of English '
                               'names) and zh (the Chinese term).'),
    "catalog_bad_aliases": ("catalog.toml 的 [units.aliases] 表必须是“简称 = 全称”的字符串对。",
                            "The [units.aliases] table of catalog.toml must map names to names (strings)."),
    "catalog_bad_aliases.hint": ('例如写作 "省医保局" = "省医疗保障局"。', 'Write e.g. "省医保局" = "省医疗保障局".'),
    "no_corpus_folder": ("找不到语料文件夹 {path}。", "No corpus folder at {path}."),
    "no_corpus_folder.hint": ("请创建该文件夹，或把 SEARCHER_CORPUS 设为存放 catalog.toml 的文件夹。",
                              "Create it, or set SEARCHER_CORPUS to the folder holding catalog.toml."),
    "no_catalog": ("{path} 中没有 catalog.toml。", "No catalog.toml in {path}."),
    "no_catalog.hint": ("为每个 .txt 文件添加一个 [[document]] 表（见 README）。",
                        "Add one [[document]] table per .txt file (see README)."),
    "catalog_not_toml": ("{path} 不是有效的 TOML：{detail}。", "{path} is not valid TOML: {detail}."),
    "catalog_not_toml.hint": ("修正语法后重新运行命令。", "Fix the syntax and run the command again."),
    "catalog_empty": ("{path} 没有列出任何文件。", "{path} lists no documents."),
    "catalog_empty.hint": ("为每个 .txt 文件添加一个 [[document]] 表。", "Add a [[document]] table for each .txt file."),
    "corpus_problems": ("语料有问题：{problems}。", "Corpus problems: {problems}."),
    "corpus_problems.hint": ("让 {path} 中每个 .txt 文件恰好对应 catalog.toml 中的一个 [[document]]。",
                             "Make every .txt file in {path} match exactly one [[document]] in catalog.toml."),
    "problem_duplicate_id": ("编号 {doc!r} 用了两次（{first} 和 {second}）",
                             "id {doc!r} is used twice (for {first} and {second})"),
    "problem_duplicate_file": ("文件 {file} 有两个条目（{first} 和 {second}）",
                               "file {file} has two entries ({first} and {second})"),
    "problem_missing_file": ("条目 {doc!r} 指向 {file}，但 {path} 中没有这个文件",
                             "entry {doc!r} names {file}, which is not a file in {path}"),
    "problem_unlisted_file": ("{file} 在 catalog.toml 中没有条目", "{file} has no entry in catalog.toml"),
    "source_not_utf8": ("{file} 不是 UTF-8 编码（看起来像 {encoding}）。",
                        "{file} is not UTF-8 (it looks like {encoding})."),
    "source_not_utf8.hint": ("请先转换编码，例如 `iconv -f {encoding} -t UTF-8 {file} > fixed.txt`，再替换原文件。",
                             "Convert it, e.g. `iconv -f {encoding} -t UTF-8 {file} > fixed.txt`, and replace the file."),
    "source_empty": ("{file} 是空文件。", "{file} is empty."),
    "source_empty.hint": ("请放入规划全文，或删除该文件及其目录条目。",
                          "Put the plan's text in it, or remove it and its catalog entry."),
    "source_nul": ("{file} 含有 NUL 字节，可能不是文本文件。",
                   "{file} contains NUL bytes; it is probably not a text file."),
    "source_nul.hint": ("请把规划导出为纯 UTF-8 文本。", "Export the plan as plain UTF-8 text."),
    # ---- notes the parser leaves on a document
    "parse_duplicate_id": ("{doc}/{local} 出现两次；第二处编号为 {doc}/{second}",
                           "{doc}/{local} occurs twice; the second is {doc}/{second}"),
    "parse_uncited_footnote": ("{doc} 的脚注 {number} 未在正文中引用", "footnote {number} of {doc} is not cited in the text"),
    "toc_count": ("{doc}：目录列出 {toc} 个标题，正文有 {body} 个", "{doc}: the table of contents lists {toc} headings, the body has {body}"),
    "toc_differs": ("{doc}：目录作“{printed}”，正文作“{body}”（采用正文）",
                    "{doc}: the table of contents says {printed}, the body says {body} (the body is used)"),
    # ---- the index
    "index_short_write": ("索引只写入了 {written}/{total} 个条目。", "The index build wrote {written} of {total} provisions."),
    "index_short_write.hint": ("请重新运行 `searcher build`；旧索引仍在使用。",
                               "Run `searcher build` again; the previous index is still in use."),
    "index_damaged": ("{path} 处的索引已损坏（{reason}）。", "The index at {path} is damaged ({reason})."),
    "index_damaged.hint": ("运行 `searcher build` 重建索引。", "Run `searcher build` to (re)build it."),
    "no_index": ("{path} 处没有索引。", "No index at {path}."),
    "no_index.hint": ("运行 `searcher build` 建立索引。", "Run `searcher build` to (re)build it."),
    "unknown_engine": ("未知的检索引擎 {value!r}。", "Unknown engine {value!r}."),
    "unknown_engine.hint": ("可选：{allowed}。", "Choose one of: {allowed}."),
    "engine_missing": ("检索引擎 {value} 未安装（{detail}）。", "The engine {value} is not installed ({detail})."),
    "engine_missing.hint": ("请先安装它，例如 `pip install -e '.[tantivy]'`，或改用 whoosh。",
                            "Install it first, e.g. `pip install -e '.[tantivy]'`, or use whoosh."),
    "index_unusable": ("索引无法使用：{reason}。", "The index cannot be used: {reason}."),
    "index_unusable.hint": ("运行 `searcher build` 重建索引。", "Run `searcher build` to (re)build it."),
    # ---- links
    "no_links_file": ("{path} 处没有互见文件。", "No links file at {path}."),
    "no_links_file.hint": ("运行 `searcher build` 建立索引及互见。", "Run `searcher build` to build the index and its links."),
    "links_unreadable": ("互见文件 {path} 无法读取（{detail}）。", "The links file {path} is unreadable ({detail})."),
    "links_unreadable.hint": ("运行 `searcher build` 重建索引及互见。", "Run `searcher build` to rebuild the index and its links."),
    "links_unknown_document": ("互见中没有文件 {doc!r}。", "No document {doc!r} in the links."),
    "links_unknown_document.hint": ("已有文件：{known}。", "Known documents: {known}."),
    "unknown_link_kind": ("未知的互见类型 {value!r}。", "Unknown link kind {value!r}."),
    "unknown_link_kind.hint": ("请用以下之一：{allowed}，或不填。", "Use one of: {allowed}, or leave it out."),
    "unknown_pair_sort": ("未知的排序方式 {value!r}。", "Unknown sort order {value!r}."),
    "unknown_pair_sort.hint": ("请用以下之一：{allowed}。", "Use one of: {allowed}."),
    "negative_length": ("最短字数 {value} 不能为负。", "Minimum length {value} is negative."),
    "negative_length.hint": ("请填 0 或更大的字数。", "Use 0 or more characters."),
    # ---- the query language: errors
    "query_not_text": ("检索式必须是文字。", "The query must be text."),
    "query_not_text.hint": ("请以字符串传入检索式。", "Pass the query as a string."),
    "query_too_long": ("检索式长 {length} 个字符，上限为 {limit}。", "The query is {length} characters long; the limit is {limit}."),
    "query_too_long.hint": ("请检索一段较短而有区别性的文字：10 到 50 个字即可找到同样的条文。",
                            "Search for a shorter, distinctive passage: 10 to 50 characters find the same provisions."),
    "query_too_many_terms": ("检索式有 {count} 个检索词和筛选条件，上限为 {limit}。",
                             "The query has {count} terms and filters; the limit is {limit}."),
    "query_too_many_terms.hint": ("请拆成几次检索，或用引号把一个短语作为一个检索词。",
                                  "Split it into several searches, or quote a phrase to search it as one term."),
    "empty_query": ("检索式为空。", "Empty query."),
    "empty_query.hint": ("请输入词语或短语，例如 湾区 或 粵港澳大灣區，或筛选条件如 doc:gba-outline。",
                         "Type a word or phrase, e.g. 湾区 or 粵港澳大灣區, or a filter such as doc:gba-outline."),
    "bad_filters": ("筛选条件必须是“筛选名 → 取值列表”的映射。", "Filters must be a mapping of filter name to values."),
    "bad_filters.hint": ('例如 {{"doc": ["gba-outline"]}}。', 'e.g. {{"doc": ["gba-outline"]}}.'),
    "unknown_filter": ("未知的筛选条件 {name!r}。", "Unknown filter {name!r}."),
    "unknown_filter.hint": ("请用：{allowed}。", "Use {allowed}."),
    "filter_not_strings": ("筛选条件 {name!r} 必须是字符串列表。", "Filter {name!r} must be a list of strings."),
    "filter_not_strings.hint": ('例如 {{"{name}": ["..."]}}。', 'e.g. {{"{name}": ["..."]}}.'),
    "bad_page": ("page={value!r} 不是页码。", "page={value!r} is not a page number."),
    "bad_page.hint": ("页码从 1 开始。", "Pages count from 1."),
    "bad_size": ("size={value!r} 超出范围。", "size={value!r} is out of range."),
    "bad_size.hint": ("每页可取 1 到 {limit} 条。", "Ask for 1 to {limit} hits per page."),
    "bad_number": ("{name}={value!r} 不是不小于 {minimum} 的整数。", "{name}={value!r} is not a whole number of at least {minimum}."),
    "bad_number.hint": ("请填写整数，或去掉这个参数。", "Give a whole number, or leave the parameter out."),
    "bad_choice": ("{name}={value!r} 不是可选值。", "{name}={value!r} is not one of the choices."),
    "bad_choice.hint": ("可选值：{allowed}。", "Choose one of: {allowed}."),
    # ---- the query language: best-effort readings (notes, never errors)
    "unbalanced_quote": ("引号不成对：未配对的引号 {quote} 已忽略，其后的文字按普通检索词处理。",
                         "Unbalanced quote: the unpaired {quote} was ignored and the text after it searched as ordinary terms."),
    "unbalanced_filter_quote": ("引号不成对：{name}: 的取值已在检索式末尾结束。",
                                "Unbalanced quote: the value of {name}: was closed at the end of the query."),
    "unmatched_close_paren": ("多余的右括号“)”已忽略。", "Unmatched ')' ignored."),
    "unclosed_paren": ("括号未闭合，已在检索式末尾补上右括号。", "Unclosed '(' closed at the end of the query."),
    "empty_parens": ("空括号已忽略。", "Empty parentheses ignored."),
    "deep_parens": ("超过 {limit} 层的括号嵌套已忽略。", "Parentheses nested deeper than {limit} levels ignored."),
    "or_without_left": ("OR 前面没有检索词，已忽略。", "OR with nothing before it ignored."),
    "or_without_right": ("OR 后面没有检索词，已忽略。", "OR with nothing after it ignored."),
    "and_one_sided": ("AND 有一侧没有检索词，已忽略。", "AND with nothing on one side ignored."),
    "not_without_term": ("{operator} 后面没有检索词，已忽略。", "{operator} with nothing after it ignored."),
    "operators_only": ("检索式只有运算符，已按字面检索：{text}。", "The query holds only operators; searched for them as text: {text}."),
    "filter_without_value": ("{name}: 没有取值，已忽略。", "{name}: has no value; ignored."),
    "filter_negated": ("筛选条件不能取反：-{name}:{value} 已忽略。", "Filters cannot be negated: -{name}:{value} ignored."),
    "filter_in_parens": ("{name}:{value} 作用于整个检索式，而不只是括号之内。",
                         "{name}:{value} applies to the whole query, not only inside its parentheses."),
    "unknown_filter_word": ("{name}: 不是筛选条件，已作为普通文字检索（筛选条件有：{allowed}）。",
                            "{name}: is not a filter; searched as text (filters are {allowed})."),
    "empty_phrase": ("空引号已忽略。", "Empty phrase ignored."),
    "no_searchable_characters": ("{value!r} 没有可检索的字符，已忽略。", "{value!r} has no searchable characters; ignored."),
    "nothing_searchable": ("检索式中没有可检索的字符，因此没有结果。", "The query has no searchable characters, so nothing matches."),
    "control_characters": ("已从检索式中删除 {count} 个控制字符。", "Removed {count} control character(s) from the query."),
    "wildcard_dropped": ("通配符 {wildcards} 不需要：每个检索词本来就按子串匹配（湾区 也会找到 粤港澳大湾区），已按 {searched} 检索。",
                         "Wildcards {wildcards} are not needed: every term already matches as a substring (湾区 finds 粤港澳大湾区); searched for {searched}."),
    "wildcard_everything": ("单独的 * 表示全部条文，已列出所有条文。", "A lone * stands for every provision; all provisions are listed."),
    "unknown_document_filter": ("没有文件 {value!r}（doc:{value}），该筛选条件已忽略。已有文件：{known}。",
                                "No document {value!r} (doc:{value}); the filter was ignored. Known documents: {known}."),
    "filter_matches_nothing": ("没有{what}符合 {shown}，因此没有结果。", "No {what} matches {shown}, so nothing can match."),
    "what_chapter": ("章", "chapter"),
    "what_section": ("节", "section"),
    "what_unit": ("责任单位", "responsible unit"),
    "what_division": ("部分", "division"),
    # ---- pages
    "no_document": ("没有文件 {doc!r}。", "No document {doc!r}."),
    "no_document.hint": ("首页列出了全部文件。", "The documents page lists every document."),
    "no_provision": ("没有条目 {provision!r}。", "No provision {provision!r}."),
    "no_provision.hint": ("条目编号形如 文件/位置，例如 zhuxi-metro/1.1.p1；也可以直接检索原文。",
                          "Provision ids look like DOC/PATH, e.g. zhuxi-metro/1.1.p1; search for the text instead."),
    "compare_needs_two": ("对照需要两个条目。", "Compare needs two provisions."),
    "compare_needs_two.hint": ("请同时给出两个：/compare?a=编号&b=编号，或在对照页检索选择。",
                               "Give both: /compare?a=ID&b=ID, or pick them by search on the compare page."),
    "bad_setting": ("设置 {name}={value!r} 无效。", "The setting {name}={value!r} is not valid."),
    "bad_setting.hint": ("请设为 0 或正整数（0 表示不缓存）。", "Set it to 0 or a positive whole number (0: no cache)."),
    "bad_page_size": ("SEARCHER_PAGE_SIZE={value!r} 不是有效的每页条数。", "SEARCHER_PAGE_SIZE={value!r} is not a page size."),
    "bad_page_size.hint": ("请设为每页条数，1 到 {limit}。", "Set it to the number of hits per page, 1 to {limit}."),
    "not_found": ("找不到该页面或条目。", "No such page or provision."),
    "not_found.hint": ("请检查链接，或从首页重新检索。", "Check the link, or search again from the documents page."),
    "server_error": ("服务器内部错误，已记录。", "Internal error; it has been logged."),
    "server_error.hint": ("请稍后再试；若反复出现，请告知维护者。", "Try again; if it keeps happening, tell the maintainer."),
    "http_error": ("请求无法处理（HTTP {http}）。", "The request could not be handled (HTTP {http})."),
    # ---- links and comparison

    # ---- citations
    "cite_needs_query": ("导出检索结果的引文需要检索式或筛选条件。", "Exporting the citations of a search needs a query or a filter."),
    "cite_needs_query.hint": ("例如 /api/search/cite?q=湾区&format=ris（筛选条件与 /api/search 相同）。",
                              "e.g. /api/search/cite?q=湾区&format=ris (the filters are those of /api/search)."),

    # ---- concordance, frequencies, exports
    "no_terms_to_count": ("检索式中没有要计数的检索词（只有筛选条件或排除词），因此没有出现次数。",
                          "The query has no term to count (only filters or exclusions), so there are no occurrences."),
    "bad_sort_levels": ("sort={value!r}：最多 {limit} 个排序键，且不能重复。", "sort={value!r}: at most {limit} sort keys, none twice."),
    "bad_sort_levels.hint": ("例如 sort=left 或 sort=doc,right。", "e.g. sort=left or sort=doc,right."),
    "bad_context": ("context={value!r} 超出范围。", "context={value!r} is out of range."),
    "bad_context.hint": ("上下文可取 1 到 {limit} 个字。", "Ask for 1 to {limit} characters of context."),
    "bad_lines_size": ("size={value!r} 超出范围。", "size={value!r} is out of range."),
    "bad_lines_size.hint": ("每页可取 1 到 {limit} 行。", "Ask for 1 to {limit} lines per page."),
    "too_many_frequency_terms": ("一次最多比较 {limit} 个检索词，收到 {count} 个。",
                                 "At most {limit} terms can be compared at once; got {count}."),
    "too_many_frequency_terms.hint": ("请分几次比较。", "Compare them in several tables."),

    # ---- English readers: pinyin and glossary
}


def text(code: str, lang: str = "en", **params) -> str:
    """The message ``code`` in ``lang`` with ``params`` filled in ("" for an unknown code)."""
    pair = MESSAGES.get(code)
    if pair is None:
        return ""
    template = pair[0] if lang == "zh" else pair[1]
    return template.format(**{name: _render(value, lang) for name, value in params.items()}) if params else template


def _render(value, lang: str):
    if isinstance(value, Notice):
        return value.text(lang)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, Notice) for v in value):
        return ("；" if lang == "zh" else "; ").join(v.text(lang) for v in value)
    return value


@dataclass(frozen=True)
class Notice:
    """A note for the user (a query read in a best-effort way, a parser observation): code + params."""

    code: str
    params: dict = field(default_factory=dict)

    def __init__(self, code: str, **params):
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted((k, repr(v)) for k, v in self.params.items()))))

    def text(self, lang: str = "en") -> str:
        return text(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.text("en")

    def to_dict(self, lang: str = "en") -> dict:
        return {"code": self.code, "message": self.text(lang)}
