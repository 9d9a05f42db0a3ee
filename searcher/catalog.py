"""Catalog stage (first half of parsing): corpus/catalog.toml + source files -> checked entries.

Every problem is reported per file with what to do about it, and all of them are collected
before anything is built, so a bad corpus never yields a partial index.
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .messages import Notice

CATALOG_NAME = "catalog.toml"
SCRIPTS = ("hans", "hant")
KINDS = ("plan", "action-plan", "agreement")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CatalogEntry:
    """One plan as the catalog describes it."""

    id: str
    file: str
    title_hans: str
    title_hant: str
    title_en: str
    issuers: tuple[str, ...] = ()
    date: str = ""
    script: str = "hans"
    kind: str = "plan"
    note: str = ""
    context: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        """The title in the script of the source."""
        return self.title_hant if self.script == "hant" else self.title_hans

    def to_dict(self) -> dict:
        return {
            "id": self.id, "source": self.file, "title_hans": self.title_hans,
            "title_hant": self.title_hant, "title_en": self.title_en,
            "issuers": list(self.issuers), "date": self.date, "script": self.script,
            "kind": self.kind, "note": self.note, "context": list(self.context),
        }


def _entry_from_table(table: dict, position: int) -> CatalogEntry:
    where = Notice("catalog_where", n=position)
    missing = [key for key in ("id", "file", "title_hans") if not str(table.get(key, "")).strip()]
    if missing:
        raise CorpusError("catalog_missing_fields", where=where, fields=", ".join(missing))
    doc_id = str(table["id"]).strip()
    if not _ID_RE.match(doc_id):
        raise CorpusError("catalog_bad_id", where=where, value=doc_id)
    script = str(table.get("script", "hans")).strip()
    if script not in SCRIPTS:
        raise CorpusError("catalog_bad_script", where=where, doc=doc_id, value=script)
    kind = str(table.get("kind", "plan")).strip()
    if kind not in KINDS:
        raise CorpusError("catalog_bad_kind", where=where, doc=doc_id, value=kind, allowed=", ".join(KINDS))
    date = str(table.get("date", "")).strip()
    if date and not _DATE_RE.match(date):
        raise CorpusError("catalog_bad_date", where=where, doc=doc_id, value=date)
    issuers = table.get("issuers", [])
    context = table.get("context", [])
    if not isinstance(issuers, list) or not isinstance(context, list):
        raise CorpusError("catalog_bad_lists", where=where, doc=doc_id)
    return CatalogEntry(
        id=doc_id, file=str(table["file"]).strip(), title_hans=str(table["title_hans"]).strip(),
        title_hant=str(table.get("title_hant", "")).strip(), title_en=str(table.get("title_en", "")).strip(),
        issuers=tuple(str(i) for i in issuers), date=date, script=script, kind=kind,
        note=str(table.get("note", "")).strip(), context=tuple(str(c) for c in context),
    )


def load_catalog(corpus_dir: Path) -> list[CatalogEntry]:
    """Read and check the catalog against the files in the folder."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError("no_corpus_folder", path=str(corpus_dir))
    catalog_path = corpus_dir / CATALOG_NAME
    if not catalog_path.is_file():
        raise CorpusError("no_catalog", path=str(corpus_dir))
    try:
        data = tomllib.loads(catalog_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError("catalog_not_toml", path=str(catalog_path), detail=str(exc)) from None
    tables = data.get("document", [])
    if not isinstance(tables, list) or not tables:
        raise CorpusError("catalog_empty", path=str(catalog_path))
    entries = [_entry_from_table(table, n) for n, table in enumerate(tables, 1)]
    problems: list[Notice] = []
    seen_ids: dict[str, str] = {}
    seen_files: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen_ids:
            problems.append(Notice("problem_duplicate_id", doc=entry.id, first=seen_ids[entry.id], second=entry.file))
        seen_ids[entry.id] = entry.file
        if entry.file in seen_files:
            problems.append(Notice("problem_duplicate_file", file=entry.file, first=seen_files[entry.file], second=entry.id))
        seen_files[entry.file] = entry.id
        path = corpus_dir / entry.file
        if Path(entry.file).name != entry.file or not path.is_file():
            problems.append(Notice("problem_missing_file", doc=entry.id, file=entry.file, path=str(corpus_dir)))
    for path in sorted(corpus_dir.glob("*.txt")):
        if path.name not in seen_files:
            problems.append(Notice("problem_unlisted_file", file=path.name))
    if problems:
        raise CorpusError("corpus_problems", problems=problems, path=str(corpus_dir))
    return entries


def unit_aliases(corpus_dir: Path) -> dict[str, str]:
    """The catalog's ``[units.aliases]`` table: a unit's short name -> the name used elsewhere."""
    data = tomllib.loads((Path(corpus_dir) / CATALOG_NAME).read_text(encoding="utf-8"))
    units = data.get("units", {})
    aliases = units.get("aliases", {}) if isinstance(units, dict) else None
    if not isinstance(aliases, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()):
        raise CorpusError("catalog_bad_aliases")
    return dict(aliases)


def _guess_encoding(raw: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    return best.encoding if best is not None else "an unknown encoding"


def read_source(corpus_dir: Path, entry: CatalogEntry) -> str:
    """Return the text of an entry's file, refusing anything that is not non-empty UTF-8."""
    path = Path(corpus_dir) / entry.file
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM is harmless; spans count from after it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        guess = _guess_encoding(raw)
        raise CorpusError("source_not_utf8", file=entry.file, encoding=guess) from None
    if not text.strip():
        raise CorpusError("source_empty", file=entry.file)
    if "\x00" in text:
        raise CorpusError("source_nul", file=entry.file)
    return text


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash the catalog and every source file, so an index knows which corpus it was built from."""
    corpus_dir = Path(corpus_dir)
    digest = hashlib.sha256()
    for path in sorted([corpus_dir / CATALOG_NAME, corpus_dir / "glossary.toml", *corpus_dir.glob("*.txt")]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
