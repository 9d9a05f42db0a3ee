"""Compare stage: two provisions aligned sentence by sentence, then diffed character by character.

Serves ``/compare`` and the versions view beside :mod:`searcher.links`, and compares the same
*link text* the links do (script, width, case and whitespace folded by :mod:`searcher.normalize`,
punctuation set aside, the responsible-unit list left out as metadata), so 灣/湾 or ，/, never
count as a change, while a run where only punctuation differs is marked as such.

:func:`compare` first aligns the sentences of the two texts (in order, each pair at least
``ALIGN_MIN`` similar by :func:`searcher.links.similarity`), then diffs within each aligned pair;
a sentence with no partner is shown whole, as removed or added. The pair's similarity, kind and
shared passages are :func:`searcher.links.measure`'s, the same numbers its link shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .links import MatchText, is_punctuation, link_text, match_text, measure, metadata_span, similarity
from .links.text import coverage
from .normalize import Normalized


@dataclass
class DiffOp:
    """One step of a diff, as spans of the two *original* texts; the ops tile both texts."""

    op: str                 # "equal", "insert", "delete" or "replace"
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    punctuation: bool = False  # only punctuation differs here

    def to_dict(self) -> dict:
        return {"op": self.op, "a": [self.a_start, self.a_end], "b": [self.b_start, self.b_end],
                "punctuation": self.punctuation}


@dataclass
class Diff:
    """A character-level diff: ops, counts of edit runs and a one-line summary."""

    ops: list[DiffOp]
    insertions: int          # insert runs (punctuation-only runs are counted in ``punctuation``)
    deletions: int
    substitutions: int       # replace runs
    summary: str             # "3 insertions, 1 deletion"
    punctuation: int = 0     # punctuation-only runs

    def to_dict(self) -> dict:
        return {"ops": [op.to_dict() for op in self.ops], "insertions": self.insertions,
                "deletions": self.deletions, "substitutions": self.substitutions,
                "punctuation": self.punctuation, "summary": self.summary}


def diff(a_text: str, b_text: str) -> Diff:
    """Diff two texts character by character, on match text, with offsets into the originals.

    Script (灣/湾), width (，/,), case and whitespace differences are equal; punctuation is
    aligned after the other characters, so a changed comma is its own ``punctuation`` op
    between two equal runs instead of breaking the alignment.

    >>> d = diff("粵港澳大灣區，建設", "粤港澳大湾区、建设规划")
    >>> [(o.op, o.a_start, o.a_end, o.b_start, o.b_end, o.punctuation) for o in d.ops]  # doctest: +NORMALIZE_WHITESPACE
    [('equal', 0, 6, 0, 6, False), ('replace', 6, 7, 6, 7, True), ('equal', 7, 9, 7, 9, False),
     ('insert', 9, 9, 9, 11, False)]
    >>> d.summary
    '1 insertion, 1 punctuation change'
    """
    ka, kb = match_text(a_text), match_text(b_text)
    ops = _norm_ops(ka, kb)
    ops = _to_source(ops, ka.norm, kb.norm, len(a_text), len(b_text))
    count = {kind: sum(1 for o in ops if o.op == kind and not o.punctuation)
             for kind in ("insert", "delete", "replace")}
    punctuation = sum(1 for o in ops if o.punctuation)
    parts = [_plural(n, word) for n, word in ((count["insert"], "insertion"), (count["delete"], "deletion"),
                                              (count["replace"], "substitution"), (punctuation, "punctuation change"))
             if n]
    summary = ", ".join(parts or ["no differences"])
    return Diff(ops, count["insert"], count["delete"], count["replace"], summary, punctuation)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _norm_ops(ka: MatchText, kb: MatchText) -> list[list]:
    """Align the match texts, then lay the ops over the normalised texts (punctuation included)."""
    na, nb = ka.norm.text, kb.norm.text
    matched_a, matched_b = set(ka.to_norm), set(kb.to_norm)
    ops: list[list] = []   # [op, a_start, a_end, b_start, b_end, punctuation] in normalised indexes

    def emit(op, a0, a1, b0, b1, punct=False):
        if a0 == a1 and b0 == b1:
            return
        if op == "equal" and ops and ops[-1][0] == "equal" and ops[-1][2] == a0 and ops[-1][4] == b0:
            ops[-1][2], ops[-1][4] = a1, b1
        else:
            ops.append([op, a0, a1, b0, b1, punct])

    def gap(a0, a1, b0, b1):
        """An unaligned stretch: equal ends trimmed off, the middle one op."""
        prefix = 0
        while a0 + prefix < a1 and b0 + prefix < b1 and na[a0 + prefix] == nb[b0 + prefix]:
            prefix += 1
        suffix = 0
        while a1 - suffix > a0 + prefix and b1 - suffix > b0 + prefix and na[a1 - suffix - 1] == nb[b1 - suffix - 1]:
            suffix += 1
        emit("equal", a0, a0 + prefix, b0, b0 + prefix)
        a_mid, b_mid = (a0 + prefix, a1 - suffix), (b0 + prefix, b1 - suffix)
        op = "insert" if a_mid[0] == a_mid[1] else "delete" if b_mid[0] == b_mid[1] else "replace"
        punct = not any(k in matched_a for k in range(*a_mid)) and not any(k in matched_b for k in range(*b_mid))
        emit(op, a_mid[0], a_mid[1], b_mid[0], b_mid[1], punct)
        emit("equal", a1 - suffix, a1, b1 - suffix, b1)

    def norm_index(key: MatchText, i: int) -> int:
        return key.to_norm[i] if i < len(key.to_norm) else len(key.norm.text)

    cursor_a = cursor_b = 0
    for i, j, n in SequenceMatcher(None, ka.text, kb.text, autojunk=False).get_matching_blocks():
        gap(cursor_a, norm_index(ka, i), cursor_b, norm_index(kb, j))
        for t in range(n):
            a0, b0 = ka.to_norm[i + t], kb.to_norm[j + t]
            emit("equal", a0, a0 + 1, b0, b0 + 1)
            if t < n - 1:
                gap(a0 + 1, ka.to_norm[i + t + 1], b0 + 1, kb.to_norm[j + t + 1])
        if n:
            cursor_a, cursor_b = ka.to_norm[i + n - 1] + 1, kb.to_norm[j + n - 1] + 1
    return ops


def _to_source(ops: list[list], norm_a: Normalized, norm_b: Normalized, len_a: int, len_b: int) -> list[DiffOp]:
    """Move ops from normalised to original offsets; whitespace joins the op before it."""
    def start(norm: Normalized, k: int, length: int) -> int:
        return 0 if k == 0 else norm.to_source[k] if k < len(norm.to_source) else length

    def end(norm: Normalized, k: int, length: int) -> int:
        return length if k >= len(norm.to_source) else start(norm, k, length)

    out: list[DiffOp] = []
    for op, a0, a1, b0, b1, punct in ops:
        step = DiffOp(op, start(norm_a, a0, len_a), end(norm_a, a1, len_a),
                      start(norm_b, b0, len_b), end(norm_b, b1, len_b), punct)
        if step.a_start == step.a_end and step.b_start == step.b_end:
            continue
        if out and out[-1].op == step.op == "equal":
            out[-1].a_end, out[-1].b_end = step.a_end, step.b_end
        else:
            out.append(step)
    if not out and (len_a or len_b):
        out.append(DiffOp("equal", 0, len_a, 0, len_b))  # nothing but whitespace on either side
    return out


# --------------------------------------------------------------------------- sentence-aligned comparison

ALIGN_MIN = 0.5          # sentences at least this similar are aligned and diffed; others stand whole
MIN_EQUAL_RUN = 2        # an equal run of fewer match characters between two changes joins them


def sentence_spans(text: str, skip: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """The sentences of a text's wording as spans of the original that tile it (``skip`` left out).

    The sentences are the link text's (:func:`searcher.links.match_text`: they end at 。；！？);
    each runs up to the next one's first character, so its closing mark, quote or bracket and any
    space stay with it.

    >>> sentence_spans("加快建设（试点）。推进“合作。”实施；（牵头单位：省）", skip=(19, 27))
    [(0, 9), (9, 16), (16, 19)]
    """
    key = match_text(text, skip)
    offsets = key.source_offsets()
    starts = [offsets[s] for s, _ in key.sentences]
    spans = []
    for n, begin in enumerate(starts):
        start = 0 if n == 0 else spans[-1][1]
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        if skip is not None and start < skip[1] and skip[0] < end:   # the unit list belongs to no sentence
            start, end = (max(start, skip[1]), end) if begin >= skip[1] else (start, min(end, skip[0]))
        spans.append((start, end))
    return spans


@dataclass
class Row:
    """One row of a comparison: an aligned sentence pair, or a sentence of one side alone."""

    op: str                            # "pair", "delete" (only in a) or "insert" (only in b)
    a: tuple[int, int] | None
    b: tuple[int, int] | None
    similarity: float | None           # of the two sentences (searcher.links.similarity), for a pair
    ops: list[dict]                    # character ops over the original texts (DiffOp.to_dict)

    def to_dict(self) -> dict:
        return {"op": self.op, "a": list(self.a) if self.a else None, "b": list(self.b) if self.b else None,
                "similarity": self.similarity, "ops": self.ops}


@dataclass
class Comparison:
    """Two provisions compared: the pair's measures (as its link shows them) and aligned rows."""

    kind: str | None                   # "same", "similar", "shared", or None: they would not be linked
    similarity: float
    shared_chars: int
    coverage: dict[str, float]         # {"a": share of a's link text the passages cover, "b": …}
    passages: list[dict]               # [{"a": [s, e], "b": [s, e], "chars": n}] in the originals
    rows: list[Row]
    metadata: dict[str, list[int] | None]   # {"a": span of a's unit list, "b": …}: shown, not compared

    def to_dict(self) -> dict:
        counts = {op: sum(1 for r in self.rows if r.op == op) for op in ("pair", "delete", "insert")}
        return {"kind": self.kind, "similarity": self.similarity, "shared_chars": self.shared_chars,
                "coverage": self.coverage, "passages": self.passages, "rows": [r.to_dict() for r in self.rows], "metadata": self.metadata,
                "aligned": counts["pair"], "only_a": counts["delete"], "only_b": counts["insert"]}


def compare(a, b) -> Comparison:
    """Compare two provisions (anything with ``text`` and optional ``units``) as described above."""
    skip_a, skip_b = metadata_span(a), metadata_span(b)
    key_a, key_b = link_text(a), link_text(b)
    pair = measure(key_a.text, key_b.text)
    offsets_a, offsets_b = key_a.source_offsets(), key_b.source_offsets()
    passages = [{"a": [offsets_a[i], offsets_a[i + n - 1] + 1], "b": [offsets_b[j], offsets_b[j + n - 1] + 1],
                 "chars": n} for i, j, n in pair.runs]
    sentences_a, sentences_b = sentence_spans(a.text, skip_a), sentence_spans(b.text, skip_b)
    rows = _aligned_rows(a.text, b.text, sentences_a, sentences_b, passages)
    shares = {"a": coverage(pair.shared_chars, len(key_a.text)), "b": coverage(pair.shared_chars, len(key_b.text))}
    return Comparison(pair.kind, pair.similarity, pair.shared_chars, shares, passages, rows,
                      {"a": list(skip_a) if skip_a else None, "b": list(skip_b) if skip_b else None})


def _aligned_rows(a_text: str, b_text: str, sentences_a, sentences_b, passages) -> list[Row]:
    """Align sentences in order (most total similarity), diff the pairs, keep the rest whole."""
    words_a = [match_text(a_text[s:e]).text for s, e in sentences_a]
    words_b = [match_text(b_text[s:e]).text for s, e in sentences_b]
    sims = [[similarity(x, y) for y in words_b] for x in words_a]
    n, m = len(words_a), len(words_b)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = best[i + 1][j + 1] + sims[i][j] if sims[i][j] >= ALIGN_MIN else -1.0
            best[i][j] = max(best[i + 1][j], best[i][j + 1], take)
    rows: list[Row] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and sims[i][j] >= ALIGN_MIN and best[i][j] == best[i + 1][j + 1] + sims[i][j]:
            rows.append(_pair_row(a_text, b_text, sentences_a[i], sentences_b[j], sims[i][j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            rows.append(_lone_row("delete", sentences_a[i], [p["a"] for p in passages], _end(sentences_b, j, len(b_text))))
            i += 1
        else:
            rows.append(_lone_row("insert", sentences_b[j], [p["b"] for p in passages], _end(sentences_a, i, len(a_text))))
            j += 1
    return rows


def _end(spans, index: int, length: int) -> int:
    """Where, on the other side, a lone sentence would stand: before that side's next sentence."""
    return spans[index][0] if index < len(spans) else (spans[-1][1] if spans else length)


def _pair_row(a_text: str, b_text: str, span_a, span_b, value: float) -> Row:
    (a0, a1), (b0, b1) = span_a, span_b
    ops = [DiffOp(o.op, o.a_start + a0, o.a_end + a0, o.b_start + b0, o.b_end + b0, o.punctuation)
           for o in diff(a_text[a0:a1], b_text[b0:b1]).ops]
    return Row("pair", span_a, span_b, value, [o.to_dict() for o in _absorb_short_equals(ops, a_text)])


def _lone_row(op: str, span, shared_spans, other_at: int) -> Row:
    """A sentence of one side alone: removed or added, with the parts shared elsewhere marked."""
    start, end = span
    cuts = sorted({start, end} | {max(start, min(end, x)) for s, e in shared_spans for x in (s, e)})
    ops = []
    for lo, hi in zip(cuts, cuts[1:]):
        shared = any(s <= lo and hi <= e for s, e in shared_spans)
        side = [lo, hi]
        ops.append({"op": "shared" if shared else op, "a": side if op == "delete" else [other_at, other_at],
                    "b": side if op == "insert" else [other_at, other_at], "punctuation": False})
    return Row(op, span if op == "delete" else None, span if op == "insert" else None, None, ops)


def _absorb_short_equals(ops: list[DiffOp], a_text: str) -> list[DiffOp]:
    """Join two changes around an equal run of fewer than MIN_EQUAL_RUN match characters.

    Loosely related sentences otherwise show as scattered single characters (的, 和 …) kept
    equal between long replacements; one replacement reads truer.
    """
    out: list[DiffOp] = []
    for op in ops:
        out.append(op)
        while (len(out) >= 3 and out[-1].op != "equal" and out[-2].op == "equal" and out[-3].op != "equal"
               and not out[-1].punctuation and not out[-3].punctuation
               and _match_chars(a_text[out[-2].a_start:out[-2].a_end]) < MIN_EQUAL_RUN):
            last, middle, first = out.pop(), out.pop(), out.pop()
            out.append(DiffOp("replace", first.a_start, last.a_end, first.b_start, last.b_end))
    return out


def _match_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace() and not is_punctuation(ch))
