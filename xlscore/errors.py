"""Exceptions. Every one carries a message id and parameters, rendered in the user's language by
:func:`xlscore.i18n.t`, so the CLI prints one clear line and exits 2 — never a traceback."""

from __future__ import annotations


class XlscoreError(Exception):
    """Root of xlscore's exceptions."""

    def __init__(self, msg_id: str, **params):
        self.msg_id = msg_id
        self.params = params
        super().__init__(msg_id)

    def render(self, lang: str = "zh") -> str:
        from .i18n import t
        return t(self.msg_id, lang, **self.params)

    def __str__(self) -> str:  # English for logs and tracebacks in tests
        return self.render("en")


class UsageError(XlscoreError):
    """Bad arguments: an unknown profile, an unknown template name, conflicting options."""


class InputError(XlscoreError):
    """A workbook that cannot be read: missing, a directory, the wrong format, encrypted, corrupt, no form."""


class OutputError(XlscoreError):
    """A result that cannot be written (permissions, disk full, file locked by Excel)."""
