"""The one user-facing error type, shared by every stage, the CLI and the web app.

An error carries a message *code* and its parameters (see :mod:`searcher.messages`), so the
pages can say it in the reader's language; ``message`` and ``hint`` are the English forms the
CLI and the logs print.
"""
from __future__ import annotations

from .messages import text


class SearcherError(Exception):
    """A problem the user can fix: what is wrong, the HTTP status it maps to, and what to do.

    >>> error = SearcherError("no_document", 404, doc="foo")
    >>> error.message, error.hint, error.localized("zh")[0]
    ("No document 'foo'.", 'The documents page lists every document.', "没有文件 'foo'。")
    """

    def __init__(self, code: str, status: int = 400, **params):
        self.code = code
        self.status = status
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return text(self.code, "en", **self.params) or self.code

    @property
    def hint(self) -> str | None:
        return text(self.code + ".hint", "en", **self.params) or None

    def localized(self, lang: str) -> tuple[str, str | None]:
        """(message, hint) in the interface language ``lang``."""
        return (text(self.code, lang, **self.params) or self.code,
                text(self.code + ".hint", lang, **self.params) or None)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message

    def to_dict(self, lang: str = "en") -> dict:
        """The JSON body of an API error."""
        message, hint = self.localized(lang)
        body = {"ok": False, "error": message, "code": self.code, "status": self.status}
        if hint:
            body["hint"] = hint
        return body


class CorpusError(SearcherError):
    """A problem with a file or entry in the corpus folder; names the file and the fix."""

    def __init__(self, code: str, **params):
        super().__init__(code, 500, **params)
