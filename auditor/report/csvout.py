"""The flagged-items CSV: one row per flagged message, then one per flagged content item.

Content items (posts, comments, profile text ...) share the file: their `kind` is the content kind
(`share`, `comment` ...) and the conversation, direction, sender and recipient columns are empty.
Cells a spreadsheet would run as a formula get a leading `'` (`unneutralise` undoes it).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from auditor.errors import AuditError
from auditor.exposure import PolicySettings, period_of
from auditor.models import Classification, Export, Finding
from auditor.outfiles import atomic_open
from auditor.report.redact import Pseudonyms, redact_text
from auditor.report.summary import (
    content_id,
    highest_severity,
    iso_utc,
    max_score,
    message_id,
)

FLAGGED_COLUMNS: tuple[str, ...] = (
    "message_id",
    "source_file",
    "source_row",
    "conversation_id",
    "conversation_title",
    "date",
    "period",
    "direction",
    "kind",
    "sender",
    "recipients",
    "topics",
    "severity",
    "score",
    "matched",
    "content",
)
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
JOIN = ";"


def neutralise(cell: str) -> str:
    """Prefix a single quote to cells a spreadsheet would evaluate (OWASP CSV injection).

    Cells that already start with quotes before a formula character (a message reading `'=1+1`)
    get one more, so the rule stays reversible: strip one `'` from any cell whose first
    character after its leading quotes is a formula character (see `unneutralise`).
    """
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_PREFIXES) else cell


def unneutralise(cell: str) -> str:
    """The exact inverse of `neutralise`, for readers of the CSV (and the tests)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


def _matched(result: Classification, *, redact: bool) -> str:
    """Distinct matched words of the flagged topics in text order; topic labels under redact."""
    wanted = set(result.flagged)
    findings: list[Finding] = sorted(
        (f for f in result.findings if f.topic in wanted), key=lambda f: (f.start, f.end)
    )
    values = [f"[{f.topic}]" if redact else f.matched for f in findings]
    return JOIN.join(dict.fromkeys(values))


def _mask_title(text: str) -> str:
    """Conversation titles are not classified (InMail titles are subjects): hidden under redact."""
    return "[title]" if text.strip() else ""


def flagged_rows(
    export: Export,
    message_results: Sequence[Classification],
    content_results: Sequence[Classification],
    settings: PolicySettings,
    *,
    severity: Mapping[str, str],
    redact: bool,
    no_content: bool,
) -> Iterator[tuple[str, ...]]:
    """Rows (FLAGGED_COLUMNS order) of flagged messages, then flagged content, in export order.

    Cells are not yet neutralised: the writer does that, so every writer path is covered.
    """
    if len(message_results) != len(export.messages) or len(content_results) != len(export.content):
        raise AuditError("internal error: classifications not aligned with the export")
    member = export.account.member_name
    alias = Pseudonyms([member])
    for msg, res in zip(export.messages, message_results, strict=True):
        if not res.is_flagged:
            continue
        names = (msg.sender, *msg.recipients, member)
        if no_content:
            text = ""
        elif redact:
            text = redact_text(msg.content, res.findings, names)
        else:
            text = msg.content
        yield (
            message_id(msg),
            msg.source_file,
            str(msg.source_row),
            msg.conversation_id,
            _mask_title(msg.conversation_title) if redact else msg.conversation_title,
            iso_utc(msg.date),
            period_of(msg.date, settings),
            msg.direction,
            msg.kind,
            alias(msg.sender) if redact else msg.sender,
            JOIN.join(alias(r) if redact else r for r in msg.recipients),
            JOIN.join(res.flagged),
            highest_severity(res.flagged, severity),
            f"{max_score(res):.3f}",
            _matched(res, redact=redact),
            text,
        )
    for item, res in zip(export.content, content_results, strict=True):
        if not res.is_flagged:
            continue
        if no_content:
            text = ""
        elif redact:
            text = redact_text(item.text, res.findings, (member,))
        else:
            text = item.text
        yield (
            content_id(item),
            item.source_file,
            str(item.source_row),
            "",
            "",
            iso_utc(item.date),
            period_of(item.date, settings),
            "",
            item.kind,
            "",
            "",
            JOIN.join(res.flagged),
            highest_severity(res.flagged, severity),
            f"{max_score(res):.3f}",
            _matched(res, redact=redact),
            text,
        )


def _write_rows(stream: TextIO, rows: Iterable[tuple[str, ...]]) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")  # RFC 4180; also quotes lone CRs
    writer.writerow(FLAGGED_COLUMNS)
    for row in rows:
        if len(row) != len(FLAGGED_COLUMNS):
            raise AuditError(f"internal error: CSV row with {len(row)} cells")
        writer.writerow([neutralise(cell) for cell in row])


def write_flagged_csv(
    target: str,
    rows: Iterable[tuple[str, ...]],
    *,
    excel: bool = False,
    inputs: Sequence[str] = (),
) -> None:
    """Write the CSV atomically, 0600; "-" = stdout.

    UTF-8 with CRLF line ends (RFC 4180); `excel` adds a BOM so Excel reads it as UTF-8.
    """
    encoding = "utf-8-sig" if excel else "utf-8"
    if target == "-":
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:  # a text-only stdout (some test runners): write text as-is
            if excel:
                sys.stdout.write("\ufeff")
            _write_rows(sys.stdout, rows)
            return
        sys.stdout.flush()
        stream = io.TextIOWrapper(buffer, encoding=encoding, newline="", write_through=True)
        try:
            _write_rows(stream, rows)
            stream.flush()
        finally:
            stream.detach()
        return
    with atomic_open(Path(target), inputs=inputs) as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        try:
            _write_rows(text, rows)
            text.flush()
        finally:
            text.detach()
