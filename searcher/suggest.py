"""Suggestions for a query in Latin letters: the glossary's Chinese terms and the corpus words it spells in pinyin.

Sits beside the search stage. The plans are Chinese, so ``Qianhai`` or ``Greater Bay Area``
finds no text; instead of "check the spelling" the search page offers, one click each:

* **Glossary** (``corpus/glossary.toml``, :func:`load_glossary`): curated English names with
  the Chinese term the plans use (Lok Ma Chau Loop → 河套), each with a stable id;
* **Pinyin** (:func:`pinyin_suggestions`): the strings of the corpus whose toneless pinyin is the
  query — ``qianhai``, ``qian hai``, ``qián hǎi`` or ``qian2 hai3`` all give 前海. The query is
  cut into syllables in every way the pinyin syllable table allows; each syllable stands for the
  corpus characters that can be read so (pypinyin, every reading); strings are grown one syllable
  at a time and kept only while the corpus holds them (``count``: records containing the
  string), so the search stays small whatever the length.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pypinyin import Style, pinyin

from .errors import CorpusError
from .normalize import is_han

GLOSSARY_NAME = "glossary.toml"
MAX_SUGGESTIONS = 8
RELATIVE_FLOOR = 10   # a pinyin suggestion is kept if at least a tenth as many records hold it as the best one
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF0-9 '’\-,.:;()]+$")


@dataclass(frozen=True)
class GlossaryTerm:
    """One English name and the Chinese term the plans use."""

    id: str
    en: tuple[str, ...]
    zh: str
    note: str = ""
    keys: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict:
        return {"id": self.id, "en": list(self.en), "zh": self.zh, "note": self.note, "url": f"/glossary#{self.id}"}


def latin_key(text: str) -> str:
    """Lowercase letters and digits of a Latin text, accents and punctuation dropped.

    >>> latin_key("Hong Kong-Zhuhai-Macao Bridge"), latin_key("qián hǎi")
    ('hongkongzhuhaimacaobridge', 'qianhai')
    """
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain.lower() if ch.isascii() and ch.isalnum())


def load_glossary(corpus_dir: Path | str) -> list[GlossaryTerm]:
    """Read ``glossary.toml`` (optional: no file, no glossary); a malformed one is a CorpusError."""
    path = Path(corpus_dir) / GLOSSARY_NAME
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CorpusError("glossary_not_toml", path=str(path), detail=str(error)) from None
    terms, seen = [], set()
    for number, table in enumerate(data.get("term", []), 1):
        en = table.get("en") if isinstance(table, dict) else None
        if isinstance(en, str):
            en = [en]
        ok = isinstance(table, dict) and _ID_RE.match(str(table.get("id", ""))) and isinstance(en, list) and en \
            and all(isinstance(e, str) and e.strip() for e in en) and isinstance(table.get("zh"), str) and table["zh"].strip()
        if not ok or table["id"] in seen:
            raise CorpusError("glossary_bad_term", path=str(path), n=number)
        seen.add(table["id"])
        terms.append(GlossaryTerm(table["id"], tuple(e.strip() for e in en), table["zh"].strip(),
                                  str(table.get("note", "")).strip(), tuple(latin_key(e) for e in en)))
    return terms


def is_latin_query(query: str) -> bool:
    """Is this query written in Latin letters (no Chinese to search for)?

    >>> is_latin_query("Qianhai"), is_latin_query("qián hǎi"), is_latin_query("前海"), is_latin_query("2035")
    (True, True, False, False)
    """
    return bool(query.strip()) and bool(_LATIN.match(query.strip())) and any(ch.isalpha() for ch in query)


def glossary_matches(query: str, glossary: list[GlossaryTerm]) -> list[GlossaryTerm]:
    """Entries whose English name is the query, then those whose name contains it or is contained in it."""
    key = latin_key(query)
    if len(key) < 2:
        return []
    exact = [t for t in glossary if key in t.keys]
    near = [t for t in glossary if t not in exact and any(key in k or (len(k) >= 4 and k in key) for k in t.keys)]
    return exact + near


# --------------------------------------------------------------------------- pinyin


@lru_cache(maxsize=65536)
def readings(ch: str) -> tuple[str, ...]:
    """Every toneless pinyin reading of a character (pypinyin, heteronyms included); () if none."""
    if not is_han(ch):
        return ()
    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return tuple(dict.fromkeys(r for group in found for r in group if r.isalpha()))


class PinyinIndex:
    """Syllable -> the characters of a corpus that can be read so."""

    def __init__(self, characters):
        self.by_syllable: dict[str, list[str]] = {}
        for ch in sorted(set(characters)):
            for reading in readings(ch):
                self.by_syllable.setdefault(reading, []).append(ch)
        self.longest = max(map(len, self.by_syllable), default=0)

    def segmentations(self, letters: str, limit: int = 32) -> list[list[str]]:
        """The ways ``letters`` splits into syllables this corpus can read (at most ``limit``).

        >>> PinyinIndex("前海西安").segmentations("xian")
        [['xi', 'an']]
        """
        out: list[list[str]] = []

        def walk(start: int, path: list[str]) -> None:
            if len(out) >= limit:
                return
            if start == len(letters):
                out.append(list(path))
                return
            for end in range(min(len(letters), start + self.longest), start, -1):
                syllable = letters[start:end]
                if syllable in self.by_syllable:
                    walk(end, path + [syllable])

        walk(0, [])
        return out


def _query_syllables(query: str) -> list[str] | None:
    """The query's own syllable breaks (spaces, apostrophes, tone digits), or None if it has none.

    >>> _query_syllables("qian2hai3"), _query_syllables("qián hǎi"), _query_syllables("qianhai")
    (['qian', 'hai'], ['qian', 'hai'], None)
    """
    plain = unicodedata.normalize("NFKD", query.lower())
    plain = "".join(ch for ch in plain if ch.isascii())
    parts = [p for p in re.split(r"[\s'’\-0-9]+", plain) if p]
    return parts if len(parts) > 1 else None


def pinyin_suggestions(query: str, index: PinyinIndex, count, limit: int = MAX_SUGGESTIONS) -> list[tuple[str, int]]:
    """Corpus strings whose pinyin is the query, with how many records hold each, most frequent first.

    ``count(text)`` is the number of records containing ``text`` (0: the corpus never writes it).
    """
    letters = "".join(ch for ch in latin_key(query) if ch.isalpha())
    if len(letters) < 2:
        return []
    given = _query_syllables(query)
    if given is not None and all(s in index.by_syllable for s in given):
        splits = [given]
    else:
        splits = index.segmentations(letters)
    found: dict[str, int] = {}
    for syllables in splits:
        if len(syllables) < 2:
            continue                    # a single syllable reads as too many characters to be useful
        prefixes = [""]
        for syllable in syllables:
            grown = [p + ch for p in prefixes for ch in index.by_syllable[syllable]]
            prefixes = [g for g in grown if len(g) < 2 or count(g)]
            if not prefixes:
                break
        for text in prefixes:
            found.setdefault(text, count(text))
    ranked = sorted(((t, n) for t, n in found.items() if n), key=lambda item: (-item[1], item[0]))
    # rare readings of common characters spell chance strings (港 read hong: 港空); keep the plausible ones
    return [(t, n) for t, n in ranked if n * RELATIVE_FLOOR >= ranked[0][1]][:limit]
