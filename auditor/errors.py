"""The one domain exception the CLI turns into exit code 2.

Its message is a single line naming the input (and file and row where it applies) and never
contains message text: it is printed as-is to the user's terminal.
"""

from __future__ import annotations


class AuditError(Exception):
    """Unusable input or bad usage: one clear line, exit code 2, no traceback."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
