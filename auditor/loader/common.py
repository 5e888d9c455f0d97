"""Per-file accounting and what one input yields, shared by the readers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from auditor.models import ContentItem, FileKind, FileReport, Message, PremiumEvidence, RowIssue

__all__ = ["FileAcc", "InputResult", "column_index", "field_at"]


class FileAcc:
    """Counts one file's rows: read = loaded + rejected, every rejection with a reason."""

    __slots__ = (
        "date_max",
        "date_min",
        "issues",
        "kind",
        "loaded",
        "notes",
        "path",
        "read",
        "rejected",
        "source",
        "understood",
    )

    def __init__(self, path: str, kind: FileKind, source: str, understood: bool = True) -> None:
        self.path = path
        self.kind: FileKind = kind
        self.source = source
        self.understood = understood
        self.read = 0
        self.loaded = 0
        self.rejected = 0
        self.date_min: datetime | None = None
        self.date_max: datetime | None = None
        self.issues: list[RowIssue] = []
        self.notes: list[str] = []

    def reject(self, row: int, reason: str) -> None:
        self.rejected += 1
        self.issues.append(RowIssue(self.path, row, reason, True))

    def damaged(self, row: int, reason: str) -> None:
        self.issues.append(RowIssue(self.path, row, reason, False))

    def file_issue(self, reason: str, rejected: bool = False) -> None:
        self.issues.append(RowIssue(self.path, 0, reason, rejected))

    def see_date(self, dt: datetime | None) -> None:
        if dt is None:
            return
        if self.date_min is None or dt < self.date_min:
            self.date_min = dt
        if self.date_max is None or dt > self.date_max:
            self.date_max = dt

    def parse_date(
        self, row: int, raw: str, parse: Callable[[str], datetime | None]
    ) -> datetime | None:
        """A row's date, or None; an unparseable one is counted as damage and the row kept."""
        if not raw.strip():
            return None
        dt = parse(raw)
        if dt is None:
            self.damaged(row, "unparseable date; kept without a date")
        else:
            self.see_date(dt)
        return dt

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    def report(self) -> FileReport:
        return FileReport(
            path=self.path,
            kind=self.kind,
            understood=self.understood,
            rows_read=self.read,
            rows_loaded=self.loaded,
            rows_rejected=self.rejected,
            date_min=self.date_min,
            date_max=self.date_max,
            note="; ".join(self.notes),
            source=self.source,
        )


@dataclass(slots=True)
class InputResult:
    """Everything read from one input, before inputs are merged and directions inferred."""

    label: str
    messages: list[Message] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)  # per message: direction from the file, or ""
    mine: frozenset[str] = frozenset()  # normalised member URLs used for directions here
    content: list[ContentItem] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    member_name: str = ""
    inviter_urls: list[str] = field(default_factory=list)
    premium: list[PremiumEvidence] = field(default_factory=list)
    connections: int = 0
    registered_at: datetime | None = None
    subscription_types: str = ""
    inferences: list[tuple[str, str]] = field(default_factory=list)
    ad_targeting: list[tuple[str, str]] = field(default_factory=list)

    def add(self, acc: FileAcc) -> None:
        self.reports.append(acc.report())
        self.issues.extend(acc.issues)


def column_index(header: list[str]) -> dict[str, int]:
    """Column positions by lower-cased, trimmed name; the first of duplicate names wins."""
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        cols.setdefault(h.strip().lstrip("\ufeff").strip().lower(), i)
    return cols


def field_at(rec: list[str], idx: int) -> str:
    """The field at idx, or "" when the column is absent (idx -1) or the record is short."""
    return rec[idx] if 0 <= idx < len(rec) else ""
