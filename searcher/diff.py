"""Compare stage: a character-level diff of two provisions, drawn on their original texts.

Serves ``/compare`` beside :mod:`searcher.links`, and compares the same *match text* the links
do (script, width, case and whitespace folded by :mod:`searcher.normalize`, punctuation set
aside), so 灣/湾 or ，/, never count as a change, while a run where only punctuation differs is
marked as such.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from .links import MatchText, levenshtein, match_text
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
    """A character-level diff: ops, counts of edit runs, similarity and a one-line summary."""

    ops: list[DiffOp]
    insertions: int          # insert runs (punctuation-only runs are counted in ``punctuation``)
    deletions: int
    substitutions: int       # replace runs
    similarity: float        # of the match texts, as for links
    summary: str             # "3 insertions, 1 deletion, 94% similar"
    punctuation: int = 0     # punctuation-only runs

    def to_dict(self) -> dict:
        return {"ops": [op.to_dict() for op in self.ops], "insertions": self.insertions,
                "deletions": self.deletions, "substitutions": self.substitutions,
                "punctuation": self.punctuation, "similarity": self.similarity, "summary": self.summary}


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
    '1 insertion, 1 punctuation change, 80% similar'
    """
    ka, kb = match_text(a_text), match_text(b_text)
    ops = _norm_ops(ka, kb)
    ops = _to_source(ops, ka.norm, kb.norm, len(a_text), len(b_text))
    count = {kind: sum(1 for o in ops if o.op == kind and not o.punctuation)
             for kind in ("insert", "delete", "replace")}
    punctuation = sum(1 for o in ops if o.punctuation)
    longer = max(len(ka.text), len(kb.text))
    distance = levenshtein(ka.text, kb.text)
    percent = (longer - distance) * 100 // longer if longer else 100
    parts = [_plural(n, word) for n, word in ((count["insert"], "insertion"), (count["delete"], "deletion"),
                                              (count["replace"], "substitution"), (punctuation, "punctuation change"))
             if n]
    summary = ", ".join(parts or ["no differences"]) + f", {percent}% similar"
    return Diff(ops, count["insert"], count["delete"], count["replace"],
                round(1.0 - distance / longer, 4) if longer else 1.0, summary, punctuation)


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
