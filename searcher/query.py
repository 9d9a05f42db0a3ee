"""Query stage: query text -> a small tree of terms and operators, plus filters.

The first step of :mod:`searcher.search`. A hand-written recursive-descent parser (no engine
here, so the language does not depend on the engine) that never raises anything but
:class:`SearcherError`, and only for what cannot be searched at all (an empty query, a query
over the length or term limits). Anything else malformed gets a best-effort reading and a
:class:`~searcher.messages.Notice` saying what was wrong and what was searched instead:

* an unpaired ``"`` is dropped and the rest read as ordinary terms;
* a stray ``)``, an unclosed ``(``, empty parentheses and operators without a term are dropped;
* a query of nothing but operators (``OR``, ``-``) is searched as the literal text;
* ``*`` and ``?`` outside quotes are wildcards, which a substring search does not need: they
  are dropped (a ``?`` inside a term splits it into terms that must all occur), and a lone
  ``*`` lists every provision;
* ``word:value`` with a word that is not a filter searches the value;
* a filter naming an unknown document is ignored (see :mod:`searcher.search`).

Terms are normalised with :func:`searcher.normalize.normalize_text`, so the tree is already
script-, variant-, width-, case- and space-insensitive.

Grammar (``OR`` binds loosest; juxtaposition is AND)::

    query   := or ( ")" or )*          a stray ")" is dropped with a note
    or      := and ( "OR" and )*
    and     := unary+                  "AND" between terms is allowed and ignored
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | TERM | "quoted text" | FILTER
    FILTER  := (doc|chapter|section|unit|lead) ":" (value | "quoted value")
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import SearcherError
from .messages import Notice
from .normalize import normalize_text, readable_text

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MAX_DEPTH = 16  # nesting of parentheses; deeper ones are flattened (and recursion stays bounded)
FILTER_KINDS = ("doc", "chapter", "section", "unit", "lead")
WILDCARDS = "*?"

SYNTAX = (
    {"example": "湾区", "en": "Provisions and headings containing the text, in either script and any variant form "
                             "(湾区 also finds 灣區 and every 粤港澳大湾区; 著力 finds 着力).",
     "zh": "包含该文字的条文和标题，简繁及异体字通查（湾区 也会找到 灣區 和所有 粤港澳大湾区；著力 也会找到 着力）。"},
    {"example": "前海 南沙", "en": "Several terms separated by spaces: provisions containing all of them.",
     "zh": "以空格分隔的多个词：同时包含这些词的条文。"},
    {"example": '"粤港澳 大湾区"', "en": "Quoted text is one term (spaces inside never matter).",
     "zh": "引号内的文字作为一个整体查找（其中的空格不影响匹配）。"},
    {"example": "前海 OR 南沙", "en": "Either term (OR in capitals).", "zh": "任一词（OR 须大写）。"},
    {"example": "大湾区 -深圳", "en": "Exclude a term with a leading minus or NOT.", "zh": "用减号或 NOT 排除某词。"},
    {"example": "(前海 OR 南沙) 合作", "en": "Parentheses group terms.", "zh": "用括号组合条件。"},
    {"example": "湾区 doc:gba-outline", "en": "Only in one document (repeat doc: for several).",
     "zh": "只在某一文件中查找（可重复 doc: 指定多个文件）。"},
    {"example": "创新 chapter:3", "en": "Only in a top-level division: a number (chapter 3, or part 三、 of the action "
                                        "plan) or words of its title.",
     "zh": "只在某一顶层部分中查找：序号（第三章，或行动计划的“三、”）或标题中的文字。"},
    {"example": "创新 section:3.1", "en": "Only in a section: its number (1, or 3.1 for chapter 3 section 1) or title words.",
     "zh": "只在某一节查找：节号（1，或 3.1 表示第三章第一节）或节标题中的文字。"},
    {"example": "unit:省交通运输厅", "en": "Tasks a responsible unit leads or takes part in (names are normalised: "
                                         "交通运输厅 in a list after 省发展改革委 is 省交通运输厅).",
     "zh": "某责任单位牵头或参加的任务（单位名称已规范化：列在“省发展改革委”之后的“交通运输厅”即“省交通运输厅”）。"},
    {"example": "lead:省科技厅", "en": "Tasks that unit leads.", "zh": "该单位牵头的任务。"},
    {"example": "科技*", "en": "Wildcards are not needed: every term matches as a substring. * and ? are dropped "
                             "(前?海 searches 前 and 海); a lone * lists every provision.",
     "zh": "无需通配符：每个检索词都按子串匹配。* 和 ? 会被去掉（前?海 检索 前 和 海）；单独的 * 列出全部条文。"},
)


@dataclass(frozen=True)
class Term:
    """Provisions whose normalised text contains ``norm``; ``text`` is what the user typed."""

    text: str
    norm: str

    @property
    def shown(self) -> str:
        """The term as readable Simplified text (how the query was understood)."""
        return readable_text(self.text)


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class Everything:
    """Every provision (a lone ``*``)."""


@dataclass
class ParsedQuery:
    """The query tree (None when only filters were given), its filters and what was repaired."""

    node: object | None
    filters: dict[str, list[str]]
    warnings: list[Notice]

    @property
    def terms(self) -> list[Term]:
        return list(_leaves(self.node)) if self.node is not None else []

    @property
    def positive_terms(self) -> list[Term]:
        return list(_leaves(self.node, positive_only=True)) if self.node is not None else []


def _leaves(node, positive_only: bool = False, negated: bool = False):
    if isinstance(node, Term):
        if not (positive_only and negated):
            yield node
    elif isinstance(node, Not):
        yield from _leaves(node.child, positive_only, not negated)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            yield from _leaves(child, positive_only, negated)


def render(node) -> str:
    """Write a query tree back as query text (how the query was understood).

    >>> render(And((Term("灣區", "湾区"), Not(Or((Term("前海", "前海"), Term("南沙", "南沙")))))))
    '"湾区" AND NOT ("前海" OR "南沙")'
    """
    if isinstance(node, Term):
        return '"' + node.shown + '"'
    if isinstance(node, Everything):
        return "*"
    if isinstance(node, Not):
        inner = render(node.child)
        return f"NOT ({inner})" if isinstance(node.child, (And, Or)) else f"NOT {inner}"
    joiner = " AND " if isinstance(node, And) else " OR "
    parts = [f"({render(c)})" if isinstance(c, (And, Or)) else render(c) for c in node.children]
    return joiner.join(parts)


_OPERATORS = {"OR", "AND", "NOT"}
_FILTER_RE = re.compile(r"^(doc|chapter|section|unit|lead)[:：](.*)$", re.IGNORECASE | re.DOTALL)
_FIELD_LIKE = re.compile(r"^([A-Za-z][A-Za-z_]{1,15})[:：](.+)$", re.DOTALL)


def _strip_controls(text: str) -> tuple[str, int]:
    """Turn line breaks and tabs into spaces and drop other control/format characters."""
    out, dropped = [], 0
    for ch in text:
        if ch in "\t\n\r\v\f":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            dropped += 1
        else:
            out.append(ch)
    return "".join(out), dropped


def _drop_unpaired_quote(text: str, warnings: list[Notice]) -> str:
    """An odd number of ``"``: the last one has no partner; read the query without it."""
    if text.count('"') % 2 == 0:
        return text
    last = text.rfind('"')
    warnings.append(Notice("unbalanced_quote", quote='"'))
    return text[:last] + " " + text[last + 1:]


def _word_tokens(word: str, warnings: list[Notice]) -> list[tuple[str, str]]:
    """Tokens of one unquoted word: a filter, an operator, a wildcard, or terms."""
    match = _FILTER_RE.match(word)
    if match:
        return [("FILTER", match.group(1).lower() + "\0" + match.group(2))]
    if word in _OPERATORS:
        return [(word, word)]
    if word == "-":
        return [("NOT", "-")]
    field = _FIELD_LIKE.match(word)
    if field and normalize_text(field.group(2).strip(WILDCARDS)):
        warnings.append(Notice("unknown_filter_word", name=field.group(1), allowed=", ".join(f"{k}:" for k in FILTER_KINDS)))
        word = field.group(2)
    if not any(ch in WILDCARDS for ch in word):
        return [("TERM", word)]
    pieces = [piece for piece in re.split(r"[*?]+", word) if normalize_text(piece)]
    if not pieces:
        if "*" in word:
            warnings.append(Notice("wildcard_everything"))
            return [("ALL", word)]
        return [("TERM", word)]   # "?" alone: a question mark is all there is to search
    wildcards = "".join(dict.fromkeys(ch for ch in word if ch in WILDCARDS))
    warnings.append(Notice("wildcard_dropped", wildcards=" ".join(wildcards), searched=" ".join(pieces)))
    return [("TERM", piece) for piece in pieces]


def _lex(text: str, warnings: list[Notice]) -> list[tuple[str, str]]:
    """Split query text into (kind, value) tokens: ( ) OR AND NOT TERM FILTER ALL."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append((ch, ch))
            i += 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
            tokens.append(("NOT", "-"))
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)   # paired: _drop_unpaired_quote removed an odd one
            tokens.append(("TERM", text[i + 1:end]))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            match = _FILTER_RE.match(word)
            if match and not match.group(2) and j < n and text[j] == '"':
                end = text.find('"', j + 1)
                tokens.append(("FILTER", match.group(1).lower() + "\0" + text[j + 1:end]))
                i = end + 1
                continue
            tokens.extend(_word_tokens(word, warnings))
            i = j
    return tokens


class _Parser:
    """Recursive descent over the tokens; repairs instead of failing, and says what it repaired."""

    def __init__(self, tokens: list[tuple[str, str]], warnings: list[Notice]):
        self.tokens = tokens
        self.i = 0
        self.warnings = warnings
        self.filters: dict[str, list[str]] = {}
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def parse(self):
        node = self.parse_or()
        while self.peek() is not None:  # only a stray ")" stops parse_or early
            self.warnings.append(Notice("unmatched_close_paren"))
            self.i += 1
            node = _join(And, [node, self.parse_or()])
        return node

    def parse_or(self):
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.i += 1
            if parts[-1] is None:
                self.warnings.append(Notice("or_without_left"))
            right = self.parse_and()
            if right is None:
                self.warnings.append(Notice("or_without_right"))
            parts.append(right)
        return _join(Or, parts)

    def parse_and(self):
        parts = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.i += 1
                if not parts or self.peek() in (None, ")", "OR"):
                    self.warnings.append(Notice("and_one_sided"))
                continue
            parts.append(self.parse_unary())
        return _join(And, parts)

    def parse_unary(self):
        negations = 0
        while self.peek() == "NOT":  # iterative, so that "- - - -x" cannot exhaust the stack
            operator = self.tokens[self.i][1]
            self.i += 1
            negations += 1
            if self.peek() in (None, ")", "OR", "AND"):
                self.warnings.append(Notice("not_without_term", operator=operator))
                return None
        child = self.parse_primary(negated=negations > 0)
        if child is None or negations % 2 == 0:
            return child
        return Not(child)

    def parse_primary(self, negated: bool):
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "(" and self.depth >= MAX_DEPTH:
            self.warnings.append(Notice("deep_parens", limit=MAX_DEPTH))
            return None
        if kind == "(":
            self.depth += 1
            inner = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.i += 1
            else:
                self.warnings.append(Notice("unclosed_paren"))
            if inner is None:
                self.warnings.append(Notice("empty_parens"))
            return inner
        if kind == "ALL":
            return Everything()
        if kind == "FILTER":
            name, _, raw = value.partition("\0")
            raw = raw.strip()
            if not raw:
                self.warnings.append(Notice("filter_without_value", name=name))
            elif negated:
                self.warnings.append(Notice("filter_negated", name=name, value=raw))
            else:
                if self.depth:
                    self.warnings.append(Notice("filter_in_parens", name=name, value=raw))
                self.filters.setdefault(name, []).append(raw)
            return None
        norm = normalize_text(value)
        if not norm:
            self.warnings.append(Notice("empty_phrase") if not value.strip() else
                                 Notice("no_searchable_characters", value=value))
            return None
        return Term(value, norm)


def _join(kind, parts: list):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    flat = []
    for part in parts:
        flat.extend(part.children if isinstance(part, kind) else [part])
    return kind(tuple(flat))


def parse_query(text: str) -> ParsedQuery:
    """Parse query text; raise SearcherError only for what cannot be searched at all.

    >>> parsed = parse_query('灣區 -"深圳 " doc:gba-outline')
    >>> render(parsed.node), parsed.filters, parsed.warnings
    ('"湾区" AND NOT "深圳"', {'doc': ['gba-outline']}, [])
    >>> parsed = parse_query('"前海 (')
    >>> render(parsed.node), [w.code for w in parsed.warnings]
    ('"前海"', ['unbalanced_quote', 'unclosed_paren', 'empty_parens'])
    >>> render(parse_query("OR").node), render(parse_query("科技*").node), render(parse_query("前?海").node)
    ('"or"', '"科技"', '"前" AND "海"')
    """
    if not isinstance(text, str):
        raise SearcherError("query_not_text", 400)
    if len(text) > MAX_QUERY_CHARS:
        raise SearcherError("query_too_long", 400, length=len(text), limit=MAX_QUERY_CHARS)
    if not text.strip():
        raise SearcherError("empty_query", 400)
    warnings: list[Notice] = []
    cleaned, dropped = _strip_controls(text)
    if dropped:
        warnings.append(Notice("control_characters", count=dropped))
    cleaned = _drop_unpaired_quote(cleaned, warnings)
    tokens = _lex(cleaned, warnings)
    parser = _Parser(tokens, warnings)
    node = parser.parse()
    if node is None and not parser.filters:
        literal = " ".join(cleaned.replace('"', " ").split())
        if tokens and all(kind in ("(", ")", "OR", "AND", "NOT") for kind, _ in tokens) and normalize_text(literal):
            # nothing but operators and brackets: the user meant the characters themselves
            warnings[:] = [w for w in warnings if w.code == "control_characters"] + [Notice("operators_only", text=literal)]
            node = Term(literal, normalize_text(literal))
        elif all(w.code == "control_characters" for w in warnings):
            warnings.append(Notice("nothing_searchable"))
    parsed = ParsedQuery(node, parser.filters, list(dict.fromkeys(warnings)))
    count = len(parsed.terms) + sum(len(v) for v in parsed.filters.values())
    if count > MAX_TERMS:
        raise SearcherError("query_too_many_terms", 400, count=count, limit=MAX_TERMS)
    return parsed
