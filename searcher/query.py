"""Query stage: query text -> a small tree of terms and operators, plus filters.

The first step of :mod:`searcher.search`. A hand-written recursive-descent parser (no Whoosh
here, so the language does not depend on the engine) that never raises anything but
:class:`SearcherError`: malformed input gets a best-effort reading and a warning saying what
was wrong and what was searched instead. Terms are normalised with
:func:`searcher.normalize.normalize_text`, so the tree is already script-, width-, case- and
space-insensitive.

Grammar (``OR`` binds loosest; juxtaposition is AND)::

    query   := or ( ")" or )*          a stray ")" is dropped with a warning
    or      := and ( "OR" and )*
    and     := unary+                  "AND" between terms is allowed and ignored
    unary   := ("NOT" | "-") unary | primary
    primary := "(" or ")" | TERM | "quoted text" | FILTER
    FILTER  := (doc|chapter|section|unit) ":" (value | "quoted value")
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import SearcherError
from .normalize import normalize_text

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MAX_DEPTH = 16  # nesting of parentheses; deeper ones are flattened (and recursion stays bounded)
FILTER_KINDS = ("doc", "chapter", "section", "unit")

SYNTAX = (
    {"example": "湾区", "en": "Provisions containing the text, in either script (湾区 also finds 灣區 and every 粤港澳大湾区).",
     "zh": "包含该文字的条文，简繁通查（湾区 也会找到 灣區 和所有 粤港澳大湾区）。"},
    {"example": "前海 南沙", "en": "Several terms separated by spaces: provisions containing all of them.",
     "zh": "以空格分隔的多个词：同时包含这些词的条文。"},
    {"example": '"粤港澳 大湾区"', "en": "Quoted text is one term (spaces inside never matter).",
     "zh": "引号内的文字作为一个整体查找（其中的空格不影响匹配）。"},
    {"example": "前海 OR 南沙", "en": "Either term (OR in capitals).", "zh": "任一词（OR 须大写）。"},
    {"example": "大湾区 -深圳", "en": "Exclude a term with a leading minus or NOT.", "zh": "用减号或 NOT 排除某词。"},
    {"example": "(前海 OR 南沙) 合作", "en": "Parentheses group terms.", "zh": "用括号组合条件。"},
    {"example": "湾区 doc:gba-outline", "en": "Only in one document (repeat doc: for several).",
     "zh": "只在某一文件中查找（可重复 doc: 指定多个文件）。"},
    {"example": "创新 chapter:3", "en": "Only in chapter 3 (a number, or words of the chapter title).",
     "zh": "只在第三章查找（可用章号或章标题中的文字）。"},
    {"example": "创新 section:3.1", "en": "Only in a section: its number (1, or 3.1 for chapter 3 section 1) or title words.",
     "zh": "只在某一节查找：节号（1，或 3.1 表示第三章第一节）或节标题中的文字。"},
    {"example": "unit:发展改革委", "en": "Tasks whose responsible units (lead or participating) include the text.",
     "zh": "牵头或参与单位包含该文字的任务。"},
)


@dataclass(frozen=True)
class Term:
    """Provisions whose normalised text contains ``norm``."""

    text: str
    norm: str


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass
class ParsedQuery:
    """The query tree (None when only filters were given), its filters and what was repaired."""

    node: object | None
    filters: dict[str, list[str]]
    warnings: list[str]

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
    elif node is not None:
        for child in node.children:
            yield from _leaves(child, positive_only, negated)


def render(node) -> str:
    """Write a query tree back as query text (how the query was understood).

    >>> render(And((Term("湾区", "湾区"), Not(Or((Term("前海", "前海"), Term("南沙", "南沙")))))))
    '"湾区" AND NOT ("前海" OR "南沙")'
    """
    if isinstance(node, Term):
        return '"' + node.norm + '"'
    if isinstance(node, Not):
        inner = render(node.child)
        return f"NOT ({inner})" if isinstance(node.child, (And, Or)) else f"NOT {inner}"
    joiner = " AND " if isinstance(node, And) else " OR "
    parts = [f"({render(c)})" if isinstance(c, (And, Or)) else render(c) for c in node.children]
    return joiner.join(parts)


_OPERATORS = {"OR", "AND", "NOT"}
_FILTER_RE = re.compile(r"^(doc|chapter|section|unit)[:：](.*)$", re.IGNORECASE | re.DOTALL)


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


def _lex(text: str, warnings: list[str]) -> list[tuple[str, str]]:
    """Split query text into (kind, value) tokens: ( ) OR AND NOT - TERM FILTER."""
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
            end = text.find('"', i + 1)
            if end == -1:
                warnings.append(f"Unbalanced quote: the phrase {text[i:]!r} was closed at the end of the query.")
                end = n
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
                if end == -1:
                    warnings.append(f"Unbalanced quote: the value of {word} was closed at the end of the query.")
                    end = n
                tokens.append(("FILTER", match.group(1).lower() + "\0" + text[j + 1:end]))
                i = end + 1
                continue
            if match:
                tokens.append(("FILTER", match.group(1).lower() + "\0" + match.group(2)))
            elif word in _OPERATORS:
                tokens.append((word, word))
            elif word == "-":
                tokens.append(("NOT", "-"))
            else:
                tokens.append(("TERM", word))
            i = j
    return tokens


class _Parser:
    """Recursive descent over the tokens; repairs instead of failing, and says what it repaired."""

    def __init__(self, tokens: list[tuple[str, str]], warnings: list[str]):
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
            self.warnings.append("Unmatched ')' ignored.")
            self.i += 1
            node = _join(And, [node, self.parse_or()])
        return node

    def parse_or(self):
        parts = [self.parse_and()]
        while self.peek() == "OR":
            self.i += 1
            if parts[-1] is None:
                self.warnings.append("OR with nothing before it ignored.")
            right = self.parse_and()
            if right is None:
                self.warnings.append("OR with nothing after it ignored.")
            parts.append(right)
        return _join(Or, parts)

    def parse_and(self):
        parts = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.i += 1
                if not parts or self.peek() in (None, ")", "OR"):
                    self.warnings.append("AND with nothing on one side ignored.")
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
                self.warnings.append(f"{operator!r} with nothing after it ignored.")
                return None
        child = self.parse_primary(negated=negations > 0)
        if child is None or negations % 2 == 0:
            return child
        return Not(child)

    def parse_primary(self, negated: bool):
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == "(" and self.depth >= MAX_DEPTH:
            self.warnings.append(f"Parentheses nested deeper than {MAX_DEPTH} levels ignored.")
            return None
        if kind == "(":
            self.depth += 1
            inner = self.parse_or()
            self.depth -= 1
            if self.peek() == ")":
                self.i += 1
            else:
                self.warnings.append("Unclosed '(' closed at the end of the query.")
            if inner is None:
                self.warnings.append("Empty parentheses ignored.")
            return inner
        if kind == "FILTER":
            name, _, raw = value.partition("\0")
            raw = raw.strip()
            if not raw:
                self.warnings.append(f"{name}: has no value; ignored.")
            elif negated:
                self.warnings.append(f"Filters cannot be negated: -{name}:{raw} ignored.")
            else:
                if self.depth:
                    self.warnings.append(f"{name}:{raw} applies to the whole query, not only inside its parentheses.")
                self.filters.setdefault(name, []).append(raw)
            return None
        norm = normalize_text(value)
        if not norm:
            self.warnings.append("Empty phrase ignored." if not value.strip() else f"{value!r} has no searchable characters; ignored.")
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
    >>> parsed = parse_query('(前海 OR 南沙')
    >>> render(parsed.node), parsed.warnings
    ('"前海" OR "南沙"', ["Unclosed '(' closed at the end of the query."])
    """
    if not isinstance(text, str):
        raise SearcherError("The query must be text.", 400, hint="Pass the query as a string.")
    if len(text) > MAX_QUERY_CHARS:
        raise SearcherError(f"The query is {len(text)} characters long; the limit is {MAX_QUERY_CHARS}.", 400,
                            hint="Search for a shorter, distinctive passage: 10 to 50 characters find the same provisions.")
    warnings: list[str] = []
    cleaned, dropped = _strip_controls(text)
    if dropped:
        warnings.append(f"Removed {dropped} control character{'s' if dropped > 1 else ''} from the query.")
    tokens = _lex(cleaned, warnings)
    parser = _Parser(tokens, warnings)
    node = parser.parse()
    parsed = ParsedQuery(node, parser.filters, list(dict.fromkeys(warnings)))
    count = len(parsed.terms) + sum(len(v) for v in parsed.filters.values())
    if count > MAX_TERMS:
        raise SearcherError(f"The query has {count} terms and filters; the limit is {MAX_TERMS}.", 400,
                            hint="Split it into several searches, or quote a phrase to search it as one term.")
    return parsed


