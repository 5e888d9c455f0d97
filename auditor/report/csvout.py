"""The flagged-items CSV: one row per flagged message, then one per flagged content item.

Content items (posts, comments, profile text ...) share the file: their `kind` is the content kind
(`share`, `comment` ...) and the conversation, direction, sender and recipient columns are empty.
Cells a spreadsheet would run as a formula get a leading `'` (`unneutralise` undoes it).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TextIO, cast

from auditor.errors import AuditError
from auditor.exposure import PolicySettings, period_of
from auditor.models import Classification, ContentItem, Export, Finding, Message
from auditor.outfiles import atomic_open
from auditor.report.redact import Pseudonyms, redact_text
from auditor.report.summary import (
    Periods,
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


class FlaggedRows:
    """Builds the CSV rows of flagged messages and content items, chunk by chunk.

    Stateful only through the pseudonyms (`--redact` numbers people in order of appearance), so
    messages must come in export order, then content items.
    """

    __slots__ = ("_alias", "_member", "_period", "_periods", "_severity", "no_content", "redact")

    def __init__(
        self,
        member: str,
        settings: PolicySettings,
        *,
        severity: Mapping[str, str],
        redact: bool,
        no_content: bool,
    ) -> None:
        self._member = member
        self._alias = Pseudonyms([member])
        self._periods = settings
        self._period = Periods(settings).period
        self._severity = severity
        self.redact = redact
        self.no_content = no_content

    def messages(
        self, messages: Iterable[Message], results: Iterable[Classification]
    ) -> Iterator[tuple[str, ...]]:
        """Rows of the flagged ones among the next messages (aligned with their results)."""
        member = self._member
        alias = self._alias
        redact, no_content = self.redact, self.no_content
        severity, period = self._severity, self._period
        # Identical texts share one Classification object (the classifier's cache): their
        # topic, severity, score and matched cells are computed once per call. The value keeps
        # the object alive, so its id cannot be reused meanwhile.
        cells: dict[int, tuple[Classification, str, str, str, str]] = {}
        for msg, res in zip(messages, results, strict=True):
            if not res.flagged:
                continue
            known = cells.get(id(res))
            if known is None:
                known = cells[id(res)] = (
                    res,
                    JOIN.join(res.flagged),
                    highest_severity(res.flagged, severity),
                    f"{max_score(res):.3f}",
                    _matched(res, redact=redact),
                )
            if no_content:
                text = ""
            elif redact:
                text = redact_text(msg.content, res.findings, (msg.sender, *msg.recipients, member))
            else:
                text = msg.content
            when = iso_utc(msg.date)
            yield (
                message_id(msg, when),
                msg.source_file,
                str(msg.source_row),
                msg.conversation_id,
                _mask_title(msg.conversation_title) if redact else msg.conversation_title,
                when,
                period(msg.date),
                msg.direction,
                msg.kind,
                alias(msg.sender) if redact else msg.sender,
                JOIN.join(alias(r) if redact else r for r in msg.recipients),
                known[1],
                known[2],
                known[3],
                known[4],
                text,
            )

    def content(
        self, items: Iterable[ContentItem], results: Iterable[Classification]
    ) -> Iterator[tuple[str, ...]]:
        """Rows of the flagged content items (after every message)."""
        member = self._member
        for item, res in zip(items, results, strict=True):
            if not res.flagged:
                continue
            if self.no_content:
                text = ""
            elif self.redact:
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
                period_of(item.date, self._periods),
                "",
                item.kind,
                "",
                "",
                JOIN.join(res.flagged),
                highest_severity(res.flagged, self._severity),
                f"{max_score(res):.3f}",
                _matched(res, redact=self.redact),
                text,
            )


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
    rows = FlaggedRows(
        export.account.member_name,
        settings,
        severity=severity,
        redact=redact,
        no_content=no_content,
    )
    yield from rows.messages(export.messages, message_results)
    yield from rows.content(export.content, content_results)


# A cell needs `neutralise` only if it starts with a quote or a formula character: one
# precompiled check per cell, run by `map` in C; rows that pass it (nearly all) are written as-is.
_RISKY_START = re.compile("^['=+\\-@\t\r]").match


def _neutralised(row: tuple[str, ...]) -> tuple[str, ...] | list[str]:
    """The row with `neutralise` applied to each cell."""
    if any(map(_RISKY_START, row)):
        return [neutralise(cell) for cell in row]
    return row


def _write_rows(stream: TextIO, rows: Iterable[tuple[str, ...]]) -> None:
    writer = csv.writer(stream, lineterminator="\r\n")  # RFC 4180; also quotes lone CRs
    writer.writerow(FLAGGED_COLUMNS)
    write_rows(writer, rows)


def write_rows(writer: Any, rows: Iterable[tuple[str, ...]]) -> None:
    """Write rows with a `csv.writer`, neutralised; checks the row width."""
    width = len(FLAGGED_COLUMNS)
    writerow = writer.writerow
    for row in rows:
        if len(row) != width:
            raise AuditError(f"internal error: CSV row with {len(row)} cells")
        writerow(_neutralised(row))


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
        # Spooled to an anonymous temp file first: a streamed scan produces the rows as it goes
        # and may have to start over (see pipeline.scan_streaming), and a failed run must not
        # leave half a CSV on stdout either.
        with tempfile.TemporaryFile() as spool:
            text = io.TextIOWrapper(cast(IO[bytes], spool), encoding=encoding, newline="")
            try:
                _write_rows(text, rows)
                text.flush()
            finally:
                text.detach()
            spool.seek(0)
            buffer = getattr(sys.stdout, "buffer", None)
            if buffer is None:  # a text-only stdout (some test runners): write text as-is
                sys.stdout.write(spool.read().decode("utf-8"))  # a BOM stays a U+FEFF
                return
            sys.stdout.flush()
            shutil.copyfileobj(spool, buffer)
            buffer.flush()
        return
    with atomic_open(Path(target), inputs=inputs) as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        try:
            _write_rows(text, rows)
            text.flush()
        finally:
            text.detach()
