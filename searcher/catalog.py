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
    where = f"{CATALOG_NAME}, document #{position}"
    missing = [key for key in ("id", "file", "title_hans") if not str(table.get(key, "")).strip()]
    if missing:
        raise CorpusError(f"{where} has no {', '.join(missing)}.",
                          hint="Every [[document]] needs at least id, file and title_hans.")
    doc_id = str(table["id"]).strip()
    if not _ID_RE.match(doc_id):
        raise CorpusError(f"{where}: id {doc_id!r} is not a valid id.",
                          hint="Use lowercase letters, digits and hyphens, e.g. 'gba-outline'.")
    script = str(table.get("script", "hans")).strip()
    if script not in SCRIPTS:
        raise CorpusError(f"{where} ({doc_id}): script {script!r} is unknown.", hint="Use 'hans' or 'hant'.")
    kind = str(table.get("kind", "plan")).strip()
    if kind not in KINDS:
        raise CorpusError(f"{where} ({doc_id}): kind {kind!r} is unknown.", hint=f"Use one of {', '.join(KINDS)}.")
    date = str(table.get("date", "")).strip()
    if date and not _DATE_RE.match(date):
        raise CorpusError(f"{where} ({doc_id}): date {date!r} is not YYYY-MM-DD.", hint="Leave it empty if unsure.")
    issuers = table.get("issuers", [])
    context = table.get("context", [])
    if not isinstance(issuers, list) or not isinstance(context, list):
        raise CorpusError(f"{where} ({doc_id}): issuers and context must be lists.", hint='Write e.g. issuers = ["国务院"].')
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
        raise CorpusError(f"No corpus folder at {corpus_dir}.", hint="Create it, or set SEARCHER_CORPUS to the folder holding catalog.toml.")
    catalog_path = corpus_dir / CATALOG_NAME
    if not catalog_path.is_file():
        raise CorpusError(f"No {CATALOG_NAME} in {corpus_dir}.", hint="Add one [[document]] table per .txt file (see README).")
    try:
        data = tomllib.loads(catalog_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{catalog_path} is not valid TOML: {exc}.", hint="Fix the syntax and run the command again.") from None
    tables = data.get("document", [])
    if not isinstance(tables, list) or not tables:
        raise CorpusError(f"{catalog_path} lists no documents.", hint="Add a [[document]] table for each .txt file.")
    entries = [_entry_from_table(table, n) for n, table in enumerate(tables, 1)]
    problems: list[str] = []
    seen_ids: dict[str, str] = {}
    seen_files: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen_ids:
            problems.append(f"id {entry.id!r} is used twice (for {seen_ids[entry.id]} and {entry.file})")
        seen_ids[entry.id] = entry.file
        if entry.file in seen_files:
            problems.append(f"file {entry.file} has two entries ({seen_files[entry.file]} and {entry.id})")
        seen_files[entry.file] = entry.id
        path = corpus_dir / entry.file
        if Path(entry.file).name != entry.file or not path.is_file():
            problems.append(f"entry {entry.id!r} names {entry.file}, which is not a file in {corpus_dir}")
    for path in sorted(corpus_dir.glob("*.txt")):
        if path.name not in seen_files:
            problems.append(f"{path.name} has no entry in {CATALOG_NAME}")
    if problems:
        raise CorpusError("Corpus problems: " + "; ".join(problems) + ".",
                          hint=f"Make every .txt file in {corpus_dir} match exactly one [[document]] in {CATALOG_NAME}.")
    return entries


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
        raise CorpusError(f"{entry.file} is not UTF-8 (it looks like {guess}).",
                          hint=f"Convert it, e.g. `iconv -f {guess} -t UTF-8 {entry.file} > fixed.txt`, and replace the file.") from None
    if not text.strip():
        raise CorpusError(f"{entry.file} is empty.", hint="Put the plan's text in it, or remove it and its catalog entry.")
    if "\x00" in text:
        raise CorpusError(f"{entry.file} contains NUL bytes; it is probably not a text file.", hint="Export the plan as plain UTF-8 text.")
    return text


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash the catalog and every source file, so an index knows which corpus it was built from."""
    corpus_dir = Path(corpus_dir)
    digest = hashlib.sha256()
    for path in sorted([corpus_dir / CATALOG_NAME, *corpus_dir.glob("*.txt")]):
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
