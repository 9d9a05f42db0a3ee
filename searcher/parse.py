"""Parse stage: a plan's source text -> Document (outline + citable Provisions).

The sources are extracted from print: hard-wrapped lines, paragraphs cut by page breaks,
footnotes in the middle of the paragraph that cites them, headings broken over two lines,
markdown and HTML debris. The parser works in three passes, each with general rules:

1. ``_segments``: every non-blank source line becomes one or more *segments* (a line holding
   two tasks or several ``<p>`` blocks is cut), each cleaned by :func:`clean_segment`.
2. ``_blocks``: segments are classified (heading, numbered item, clause, bullet, box, footnote,
   plain text) and joined into blocks: a line that does not end a sentence continues on the next
   text line (hard wraps and page breaks), whatever blank lines or footnotes stand between.
3. ``_Builder``: blocks are nested into the outline and become provisions with stable ids.

Every provision keeps the source ``pieces`` it was made of, so a test can prove that the
pieces of all provisions and headings tile the source body exactly: nothing lost, nothing
invented, nothing counted twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import CatalogEntry
from .corpus import Document, Heading, PathStep, Provision, TocEntry, Units
from .messages import Notice
from .normalize import normalize_text
from .units import normalise_units


# --------------------------------------------------------------------------- cleaning

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
_SUPER_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
_PRINT_ARTEFACT = re.compile(r"[（(]\s*[上下]转\s*\d+\s*版\s*[)）]")
_STRAY_BULLET = re.compile(r"^\s*-(?:\s+|$)")
_SPACE_RUN = re.compile(r"\s+")


def _is_ascii_word(ch: str) -> bool:
    return ch.isascii() and not ch.isspace() and ch != ""


def _squeeze_spaces(text: str) -> str:
    """Drop spaces that print layout put between Chinese characters; keep one between ASCII words."""
    def keep(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        return " " if _is_ascii_word(before) and _is_ascii_word(after) and before.isalnum() and after.isalnum() else ""
    return _SPACE_RUN.sub(keep, text).strip()


def clean_segment(raw: str, footnote_marks: bool = True, keep_bold: bool = False) -> str:
    """Clean one source segment: tags, ``**``, stray ``- ``, print artefacts, footnote marks, spaces."""
    text = _HTML_TAG.sub("", raw)
    text = _STRAY_BULLET.sub("", text)
    if not keep_bold:
        text = text.replace("**", "")
    text = _PRINT_ARTEFACT.sub("", text)
    if footnote_marks:
        text = _SUPER_RUN.sub("", text)
    return _squeeze_spaces(text)


# --------------------------------------------------------------------------- classification

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"[一二三四五六七八九十百零〇\d]+"


def chinese_number(text: str) -> int:
    """Convert 一 … 九十九 (or ASCII digits) to an int.

    >>> chinese_number("十三"), chinese_number("二十"), chinese_number("7")
    (13, 20, 7)
    """
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


_PATTERNS = [
    ("chapter", re.compile(rf"^(第({_NUM})章)(.*)$")),
    ("section", re.compile(rf"^(第({_NUM})节)(.*)$")),
    ("preface", re.compile(r"^(前言)()$")),
    ("annex", re.compile(r"^(附件)()(.{0,20})$")),
    ("box", re.compile(r"^(专栏(\d+))(.*)$")),
    ("part", re.compile(r"^(([一二三四五六七八九十]+)、)(.*)$")),
    ("clause", re.compile(r"^([（(]([一二三四五六七八九十]+)[）)])(.*)$")),
    ("item", re.compile(r"^((\d{1,3})[.．、])(?!\d)(.+)$")),
    ("bullet", re.compile(r"^(—{2,})()(.+)$")),
]
_UNITS_ONLY = re.compile(r"^[（(](牵头单位|牽頭單位)[：:]")
_TOC_HEAD = re.compile(r"^目录$")
_TOC_LINE = re.compile(r"^(.*?)[\s.…·]*(\d+)$")
HEADING_KINDS = ("chapter", "section", "preface", "annex", "box")
_SENTENCE_PUNCT = set("，。；：！？,;:!?")
_TERMINAL = set("。！？；!?;")
_OPEN, _CLOSE = set("（(【["), set("）)】]")


def _bracket_depth(text: str) -> int:
    return sum(1 for c in text if c in _OPEN) - sum(1 for c in text if c in _CLOSE)


def is_terminated(text: str) -> bool:
    """Does this text end a paragraph (rather than break off at a wrap or page break)?"""
    if not text:
        return True
    last = text[-1]
    if last in _TERMINAL:
        return True
    if last in "：:" or last in _CLOSE:
        return _bracket_depth(text) <= 0
    return False


@dataclass
class _Segment:
    start: int
    end: int
    raw: str
    text: str
    blank_before: bool
    same_line: bool
    marks: list[int]


@dataclass
class _Block:
    kind: str            # chapter section preface annex box part clause item bullet text footnote units
    number: str          # printed number ("3", "三") or ""
    label: str           # printed label ("第三章", "（一）", "1.", "——", "¹")
    segments: list[_Segment]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def bold_text(self) -> str:
        return "".join(clean_segment(s.raw, keep_bold=True) for s in self.segments)

    @property
    def body(self) -> str:
        return self.text[len(self.label):]

    @property
    def pieces(self) -> list[tuple[int, int]]:
        return [(s.start, s.end) for s in self.segments]

    @property
    def spaced_text(self) -> str:
        """The text with each line's own spacing kept (signature blocks, lists of names)."""
        return " ".join(_SPACE_RUN.sub(" ", clean_segment(s.raw, keep_bold=False).strip() and
                                       _HTML_TAG.sub("", s.raw).replace("**", "")).strip() for s in self.segments)

    @property
    def marks(self) -> list[int]:
        return [m for s in self.segments for m in s.marks]


def classify(text: str) -> tuple[str, str, str]:
    """Return (kind, number, printed label) for a cleaned line."""
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            return kind, match.group(2), match.group(1)
    if _UNITS_ONLY.match(text):
        return "units", "", ""
    return "text", "", ""


def _is_entry_text(rest: str) -> bool:
    """Does a part/clause line carry its own provision text (rather than being a heading)?"""
    inner = rest.rstrip("。")
    return "。" in inner or "；" in inner


# --------------------------------------------------------------------------- pass 1: segments

_P_BLOCK = re.compile(r"<p>(?:(?!<p>).)*?(?:</p>|(?=<p>)|$)", re.S)   # a <p> block ends at </p> or the next <p>
_FOOTNOTE_LINE = re.compile(rf"^\s*([{SUPERSCRIPT_DIGITS}]+)\s*(.*)$")


def _footnote_numbers(source: str) -> set[int]:
    """Numbers of the footnotes printed in the text (lines opening with a superscript)."""
    numbers = set()
    for line in source.split("\n"):
        match = _FOOTNOTE_LINE.match(line)
        if match and match.group(2).strip():
            numbers.add(int(match.group(1).translate(_SUPER_TO_ASCII)))
    return numbers


def _split_shared_item_line(raw: str) -> list[tuple[int, int]]:
    """Cut a line holding two consecutive numbered items ("…各市) 70.完善…") into two."""
    head = re.match(r"^\s*(?:-\s+)?(\d{1,3})[.．](?!\d)", raw)
    if not head:
        return [(0, len(raw))]
    following = str(int(head.group(1)) + 1)
    match = re.search(rf"(?<=[)）。])\s*{following}[.．](?!\d)", raw)
    if not match:
        return [(0, len(raw))]
    cut = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
    return [(0, cut), (cut, len(raw))]


def _segments(source: str, footnotes: set[int], skip: tuple[int, int] | None) -> list[_Segment]:
    """Every non-blank line (or part of a line) outside ``skip`` as a cleaned segment."""
    segments: list[_Segment] = []
    offset = 0
    blank = False
    for line in source.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if skip and skip[0] <= line_start < skip[1]:
            continue
        if not line.strip():
            blank = True
            continue
        if "<p>" in line:
            parts, position = [], 0
            for match in _P_BLOCK.finditer(line):
                if line[position:match.start()].strip():
                    parts.append((position, match.start()))
                parts.append((match.start(), match.end()))
                position = match.end()
            if line[position:].strip():
                parts.append((position, len(line)))
        else:
            parts = _split_shared_item_line(line)
        first = True
        for start, end in parts:
            raw = line[start:end]
            if not raw.strip():
                continue
            lead = len(raw) - len(raw.lstrip())
            trail = len(raw) - len(raw.rstrip())
            raw = raw.strip()
            marks = [int(m.translate(_SUPER_TO_ASCII)) for m in _SUPER_RUN.findall(raw)]
            footnote_line = _FOOTNOTE_LINE.match(raw)
            if footnote_line and not footnote_line.group(2).strip():
                footnote_line = None        # a lone superscript is a stray mark, not a footnote
            if footnote_line and int(footnote_line.group(1).translate(_SUPER_TO_ASCII)) in footnotes:
                marks = []
            else:
                marks = [m for m in marks if m in footnotes]
            text = clean_segment(raw, footnote_marks=True) if not footnote_line else raw
            if footnote_line:
                text = footnote_line.group(1) + clean_segment(footnote_line.group(2))
            elif any(m not in footnotes for m in [int(x.translate(_SUPER_TO_ASCII)) for x in _SUPER_RUN.findall(raw)]):
                # superscripts that are not footnote marks (no such footnote) stay in the text
                text = clean_segment(raw, footnote_marks=False)
            segments.append(_Segment(line_start + start + lead, line_start + end - trail, raw, text,
                                     blank_before=blank, same_line=not first, marks=marks))
            first = False
        blank = False
    return [s for s in segments if s.text]


# --------------------------------------------------------------------------- pass 2: blocks


def _wrap_width(segments: list[_Segment]) -> int:
    """The column width a hard-wrapped text was cut at, or 0 if lines are whole paragraphs."""
    lengths = [len(s.text) for s in segments]
    if len(lengths) < 10:
        return 0
    mode = max(set(lengths), key=lengths.count)
    near = sum(1 for n in lengths if mode - 2 <= n <= mode + 1)
    return mode + 1 if near / len(lengths) >= 0.4 else 0


def _is_double_spaced(source: str) -> bool:
    """Is every text line followed by a blank line (so blank lines mean nothing)?"""
    lines = source.split("\n")
    text_lines = [i for i, line in enumerate(lines[:-1]) if line.strip()]
    if len(text_lines) < 10:
        return False
    followed = sum(1 for i in text_lines if not lines[i + 1].strip())
    return followed / len(text_lines) > 0.85


def _is_heading_continuation(block: _Block, segment: _Segment) -> bool:
    """A heading broken over two lines: the next line is short and is not a sentence."""
    return (not is_terminated(block.text) and len(segment.text) <= 12
            and not any(c in _SENTENCE_PUNCT or c in "、" for c in segment.text)
            and classify(segment.text)[0] == "text")


def _is_heading_block(block: _Block) -> bool:
    if block.kind in HEADING_KINDS:
        return True
    return block.kind in ("part", "clause") and not _is_entry_text(block.body)


def _blocks(segments: list[_Segment], double_spaced: bool, width: int, title_keys: set[str]) -> list[_Block]:
    """Classify segments and join wrapped or page-broken lines into blocks.

    ``width`` is the wrap width of a hard-wrapped text (0 if lines are paragraphs). Where such a
    text also puts a blank line after every line, blank lines say nothing, and a full-width line
    continues its paragraph even when it happens to end with 。.
    """
    blank_lines_meaningless = double_spaced and width > 0
    blocks: list[_Block] = []
    text_block: _Block | None = None      # the last block that can still take continuation text
    for segment in segments:
        if title_keys and normalize_text(segment.text) in title_keys:
            title_keys = set()              # only the first printing of the title is the title
            blocks.append(_Block("title", "", "", [segment]))
            text_block = None
            continue
        if segment.text[0] in SUPERSCRIPT_DIGITS:
            number = _SUPER_RUN.match(segment.text).group(0)
            blocks.append(_Block("footnote", number.translate(_SUPER_TO_ASCII), number, [segment]))
            continue                        # a footnote does not end the paragraph it interrupts
        kind, number, label = classify(segment.text)
        previous = blocks[-1] if blocks else None
        if previous and previous is text_block and _is_heading_block(previous) \
                and _is_heading_continuation(previous, segment):
            previous.segments.append(segment)
            continue
        if kind == "units" and text_block is not None:
            text_block.segments.append(segment)
            continue
        if kind == "text" and text_block is not None and not _is_heading_block(text_block):
            last = text_block.segments[-1]
            joins = (not is_terminated(text_block.text)
                     or (not segment.blank_before and not segment.same_line and not blank_lines_meaningless)
                     or (blank_lines_meaningless and len(last.text) >= width - 1))
            if joins:
                text_block.segments.append(segment)
                continue
        block = _Block(kind, number, label, [segment])
        blocks.append(block)
        text_block = block
    return blocks


# --------------------------------------------------------------------------- pass 3: structure

_RANK = {"chapter": 1, "preface": 1, "annex": 1, "section": 2, "part": 3, "clause": 4}
_UNITS_TAIL = re.compile(r"[（(]([^（()）]*?(?:[（(][^（()）]*[)）][^（()）]*?)*)[)）]$")
_ANNEX_UNITS = re.compile(r"(?:牵头单位|牽頭單位)[：:](?P<lead>[^；;）)]*?)(?:[；;，,]\s*(?:参加|参与|參加|參與)(?:单位|單位)[：:](?P<part>[^）)]*))?[）)]")


@dataclass
class _Container:
    heading: Heading | None
    rank: float
    paragraphs: int = 0
    next_part: int = 1
    next_item: int = 1

    @property
    def id(self) -> str:
        return self.heading.id if self.heading else ""

    def child_id(self, segment: str) -> str:
        return f"{self.id}.{segment}" if self.id else segment


def _split_units(text: str) -> list[str]:
    units = []
    for unit in re.split(r"[、，,]", text):
        unit = re.sub(r"\s+", "", unit)
        depth = _bracket_depth(unit)
        if depth:  # a stray bracket from print ("(省) 科技厅"): drop the unmatched ones
            unit = re.sub(r"[()（）]", "", unit)
        unit = re.sub(r"等$", "", unit)
        if unit:
            units.append(unit)
    return units


def parse_units(text: str, kind: str, aliases: dict[str, str] | None = None) -> Units | None:
    """Responsible units of a task: 牵头单位/参加单位, or a trailing list whose first unit leads.

    Names are normalised (:func:`searcher.units.normalise_units`); the printed names and the
    span of the list in ``text`` (from its opening bracket) are kept.

    >>> units = parse_units("推进建设。（牵头单位：省发展改革委、交通运输厅；参加单位：省自然资源厅）", "paragraph")
    >>> units.lead, units.printed_lead, units.span
    (['省发展改革委', '省交通运输厅'], ['省发展改革委', '交通运输厅'], (5, 36))
    """
    match = _ANNEX_UNITS.search(text)
    if match:
        lead, participating = _split_units(match.group("lead")), _split_units(match.group("part") or "")
        opening = max(text.rfind("（", 0, match.start()), text.rfind("(", 0, match.start()))
        span = (opening if opening >= 0 else match.start(), match.end())
    elif kind == "item" and "。" in text:
        start = text.rfind("。") + 1
        tail = text[start:].strip()
        if not (len(tail) > 2 and tail[0] in "（(" and tail[-1] in "）)"):
            return None
        names = _split_units(tail[1:-1])
        if not names:
            return None
        lead, participating = names[:1], names[1:]
        span = (text.index(tail[0], start), len(text.rstrip()))
    else:
        return None
    normal_lead, normal_participating = normalise_units(lead, participating, aliases)
    return Units(normal_lead, normal_participating, lead, participating, span)


def lead_in_title(body_with_bold: str) -> str:
    """The lead-in sentence that opens a provision (区位优势明显。), if it has one."""
    text = body_with_bold.strip()
    bold = re.match(r"^\*\*(.+?)\*\*", text)
    if bold:
        return bold.group(1).strip().rstrip("。")
    plain = text.replace("**", "")
    end = plain.find("。")
    if 0 < end <= 30 and end < len(plain) - 1:
        sentence = plain[:end]
        # a lead-in is a phrase, not a clause: no semicolons or colons, a comma only in a short pair
        if "；" not in sentence and "：" not in sentence and ("，" not in sentence or (sentence.count("，") == 1 and end <= 12)):
            return sentence
    return ""


class _Builder:
    """Nest blocks into headings and provisions with ids derived from their place."""

    def __init__(self, entry: CatalogEntry, warnings: list[Notice], aliases: dict[str, str] | None = None):
        self.entry = entry
        self.aliases = aliases
        self.doc_id = entry.id
        self.warnings = warnings
        self.headings: list[Heading] = []
        self.provisions: list[Provision] = []
        self.stack: list[_Container] = [_Container(None, 0)]
        self.box: list[_Container] = []      # the open box and its own parts, if any
        self.used: set[str] = set()
        self.footnotes: dict[int, list[_Block]] = {}
        for context in entry.context:
            kind, number, label = classify(clean_segment(context))
            if kind in _RANK:
                self._open(kind, number, label, clean_segment(context)[len(label):], "", [], from_catalog=True)

    # ---- ids and containers
    def _unique(self, local_id: str) -> str:
        candidate, n = local_id, 2
        while candidate in self.used:
            candidate, n = f"{local_id}-{n}", n + 1
        if candidate != local_id:
            self.warnings.append(Notice("parse_duplicate_id", doc=self.doc_id, local=local_id, second=candidate))
        self.used.add(candidate)
        return candidate

    def _top(self) -> _Container:
        return self.box[-1] if self.box else self.stack[-1]

    def _path(self) -> list[PathStep]:
        return [PathStep(f"{self.doc_id}/{c.heading.id}", c.heading.kind, c.heading.label, c.heading.title)
                for c in self.stack[1:] + self.box]

    def _open(self, kind, number, label, title, text, pieces, from_catalog=False, in_box=False) -> Heading:
        """Open a heading: pop the levels it closes, push it, record it in the outline."""
        if kind == "box":
            parent = self.stack[-1]
            heading = Heading(self._unique(f"box{number}"), "box", len(self.stack), label, title.strip(),
                              text, pieces, parent.id or None)
            self.headings.append(heading)
            self.box = [_Container(heading, 2.5)]
            return heading
        stack = self.box if in_box else self.stack
        rank = _RANK[kind]
        while len(stack) > 1 and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1]
        local = kind if kind in ("preface", "annex") else parent.child_id(str(chinese_number(number)))
        level = len(self.stack) + len(self.box) if in_box else len(stack)
        heading = Heading(self._unique(local), kind, level, label, title.strip().rstrip("。"), text, pieces,
                          parent.id or None, from_catalog)
        self.headings.append(heading)
        stack.append(_Container(heading, rank))
        return heading

    def _close_box(self) -> None:
        self.box = []

    # ---- provisions
    def _add(self, kind: str, label: str, block: _Block | None, text: str, pieces, local: str,
             title: str = "", units: Units | None = None) -> Provision:
        provision = Provision(f"{self.doc_id}/{self._unique(local)}", self.doc_id, kind, len(self.provisions),
                              label, title, text, pieces, self._path(), units)
        self.provisions.append(provision)
        if block is not None:
            for mark in block.marks:
                provision.notes.append(f"{self.doc_id}/fn{mark}")
        return provision

    def _entry(self, kind: str, block: _Block, number: str | None) -> Provision:
        top = self._top()
        if number is None:
            top.paragraphs += 1
            local = top.child_id(f"p{top.paragraphs}")
        else:
            local = top.child_id(str(chinese_number(number)))
        body = block.bold_text[len(block.label):] if block.label and block.bold_text.startswith(block.label) \
            else re.sub(r"^\*\*", "", block.bold_text)[len(block.label):]
        return self._add(kind, block.label, block, block.body, block.pieces, local,
                         lead_in_title(body), parse_units(block.body, kind, self.aliases))

    # ---- dispatch
    def add_block(self, block: _Block, last: bool) -> None:
        kind = block.kind
        if kind == "footnote":
            self.footnotes.setdefault(int(block.number), []).append(block)
            return
        if kind in ("chapter", "preface", "annex", "section"):
            self._close_box()
            self._open(kind, block.number, block.label, block.body, block.text, block.pieces)
            return
        if kind == "box":
            self._open("box", block.number, block.label, block.body, block.text, block.pieces)
            return
        if self.box and not self._fits_box(block):
            self._close_box()
        if kind in ("part", "clause"):
            self._part_or_clause(block)
        elif kind == "item":
            self._top().next_item = int(block.number) + 1
            self._entry("item", block, block.number)
        elif kind == "bullet":
            self._entry("bullet", block, None)
        elif last and kind == "text" and not is_terminated(block.text):
            self._entry("closing", block, None).text = block.spaced_text
        else:
            self._entry("paragraph", block, None)

    def _part_or_clause(self, block: _Block) -> None:
        """一、/（一）: a heading when it only names a part, a provision when it carries text."""
        kind, in_box = block.kind, bool(self.box)
        if in_box and kind == "part":
            del self.box[1:]
            self.box[0].next_part = chinese_number(block.number) + 1
        if not _is_entry_text(block.body):
            self._open(kind, block.number, block.label, block.body, block.text, block.pieces, in_box=in_box)
            return
        stack = self.box if in_box else self.stack
        while len(stack) > 1 and stack[-1].rank >= _RANK[kind]:
            stack.pop()
        provision = self._entry(kind, block, block.number)
        self.headings.append(Heading(provision.local_id, kind, len(self.stack) + len(self.box), block.label,
                                     provision.title or block.body[:20], "", [], self._top().id or None,
                                     is_entry=True))

    def _fits_box(self, block: _Block) -> bool:
        """Does this block still belong to the open box (专栏), which has no printed end?"""
        if block.kind == "part":
            return chinese_number(block.number) == self.box[0].next_part
        if block.kind == "item":
            number = int(block.number)
            return number == 1 or number == self._top().next_item
        if block.kind in ("text", "units"):
            # An unnumbered paragraph opening with a short lead-in sentence is the section's text again.
            title = lead_in_title(block.bold_text)
            return not (title and len(title) <= 20 and "、" not in title)
        return block.kind == "bullet"

    def attach_footnotes(self) -> None:
        """Place each footnote right after the provision that cites it (uncited ones at the end)."""
        placed: list[Provision] = []
        for provision in self.provisions:
            placed.append(provision)
            for note in provision.notes:
                blocks = self.footnotes.pop(int(note.rsplit("fn", 1)[1]), [])
                placed.extend(self._footnote(block, provision) for block in blocks)
        for number, blocks in sorted(self.footnotes.items()):
            self.warnings.append(Notice("parse_uncited_footnote", number=number, doc=self.doc_id))
            placed.extend(self._footnote(block, None) for block in blocks)
        for order, provision in enumerate(placed):
            provision.order = order
        self.provisions = placed

    def _footnote(self, block: _Block, citing: Provision | None) -> Provision:
        local = self._unique(f"fn{block.number}")
        return Provision(f"{self.doc_id}/{local}", self.doc_id, "footnote", 0, block.label, "", block.body,
                         block.pieces, citing.path if citing else [], cited_by=citing.id if citing else None)


# --------------------------------------------------------------------------- table of contents


def _find_toc(source: str) -> tuple[list[TocEntry], tuple[int, int] | None]:
    """The printed table of contents (目录 and the lines with page numbers after it)."""
    entries: list[TocEntry] = []
    offset, start, end = 0, None, None
    for line in source.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        text = line.strip()
        if start is None:
            if re.sub(r"\s+", "", text) == "目录":
                start, end = line_start, line_start + len(line.rstrip())
            continue
        if not text:
            continue
        match = _TOC_LINE.match(text)
        if not match or not match.group(1).strip():
            break
        label_title = re.sub(r"\s+", " ", match.group(1)).strip(" .…·")
        kind, number, label = classify(re.sub(r"\s+", "", label_title))
        title = re.sub(r"\s+", "", label_title)[len(label):] if label else re.sub(r"\s+", "", label_title)
        if kind == "annex" and not label:
            label = "附件"
        entries.append(TocEntry(label or title, title if label else "", int(match.group(2))))
        end = line_start + len(line.rstrip())
    return entries, ((start, end) if start is not None else None)


def _check_toc(toc: list[TocEntry], headings: list[Heading], doc_id: str) -> list[Notice]:
    """Compare the printed contents with the body's chapters and sections; report differences."""
    body = [h for h in headings if h.kind in ("chapter", "section", "preface", "annex") and not h.from_catalog]
    problems = []
    if len(body) != len(toc):
        problems.append(Notice("toc_count", doc=doc_id, toc=len(toc), body=len(body)))
    for printed, heading in zip(toc, body):
        if printed.label != heading.label or printed.title != heading.title:
            problems.append(Notice("toc_differs", doc=doc_id, printed=f"{printed.label} {printed.title}",
                                   body=f"{heading.label} {heading.title}"))
    return problems


# --------------------------------------------------------------------------- entry point


def _mark_cut_off(source: str, provisions: list[Provision]) -> None:
    """Mark the provision the source breaks off in (a page note such as （下转 3 版) ends the text)."""
    last = _PRINT_ARTEFACT.search(source.rstrip()[-20:]) if source.strip() else None
    if last is None or "下" not in last.group(0):
        return
    end = len(source.rstrip())
    for provision in provisions:
        if provision.pieces and provision.pieces[-1][1] >= end - len(last.group(0)):
            provision.complete = False


def parse_document(entry: CatalogEntry, source: str, aliases: dict[str, str] | None = None) -> Document:
    """Parse one plan's source text into its outline and provisions."""
    warnings: list[Notice] = []
    toc, toc_span = _find_toc(source)
    footnotes = _footnote_numbers(source)
    segments = _segments(source, footnotes, toc_span)
    title_keys = {normalize_text(t) for t in (entry.title_hans, entry.title_hant) if t}
    blocks = _blocks(segments, _is_double_spaced(source), _wrap_width(segments), title_keys)
    builder = _Builder(entry, warnings, aliases)
    title_at = next((i for i, b in enumerate(blocks) if b.kind == "title"), None)
    for index, block in enumerate(blocks):
        if title_at is not None and index < title_at:
            builder._add("front-matter", "", block, block.spaced_text, block.pieces,
                         "front" if index == 0 else f"front{index + 1}")
        elif block.kind == "title":
            builder.headings.append(Heading("title", "title", 0, "", block.text, block.text, block.pieces, None))
        else:
            builder.add_block(block, last=index == len(blocks) - 1)
    builder.attach_footnotes()
    _mark_cut_off(source, builder.provisions)
    if toc:
        warnings.extend(_check_toc(toc, builder.headings, entry.id))
    return Document(entry, source, builder.headings, builder.provisions, toc, toc_span, warnings)
