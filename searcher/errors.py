"""The one user-facing error type, shared by every stage, the CLI and the web app."""
from __future__ import annotations


class SearcherError(Exception):
    """A problem the user can fix: what is wrong, the HTTP status it maps to, and what to do."""

    def __init__(self, message: str, status: int = 400, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message

    def to_dict(self) -> dict:
        """The JSON body of an API error."""
        body = {"ok": False, "error": self.message, "status": self.status}
        if self.hint:
            body["hint"] = self.hint
        return body


class CorpusError(SearcherError):
    """A problem with a file or entry in the corpus folder; names the file and the fix."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, status=500, hint=hint)
