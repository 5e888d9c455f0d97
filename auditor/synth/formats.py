"""How each export vintage writes messages and dates (see shared/FORMAT.md sections 2 and 4)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TextIO

from auditor.synth.messages import SynthMessage

COLS_9 = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
)
COLS_10 = (
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
)
COLS_11 = (*COLS_10, "ATTACHMENTS")
COLS_12 = (*COLS_10, "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT")
COLS_2018 = ("From", "To", "Date", "Subject", "Content", "Direction", "Folder")


# -- dates ---------------------------------------------------------------------------------------
def utc(d: datetime) -> str:
    """messages.csv since 2021: `2024-12-16 18:24:37 UTC`."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}:{d.second:02d} UTC"


def plain(d: datetime) -> str:
    """Feed files: `2024-03-17 18:03:38`."""
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}:{d.second:02d}"


def us_short(d: datetime) -> str:
    """Invitations, Registration, Receipts, 2018 Messages: `3/12/24, 11:20 AM` (US order)."""
    h12 = d.hour % 12 or 12
    half = "AM" if d.hour < 12 else "PM"
    return f"{d.month}/{d.day}/{d.year % 100:02d}, {h12}:{d.minute:02d} {half}"


def us_padded_utc(d: datetime) -> str:
    """Receipts_v2: `11/26/24 01:32 PM UTC`."""
    h12 = d.hour % 12 or 12
    return (
        f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d} {h12:02d}:{d.minute:02d} "
        f"{'AM' if d.hour < 12 else 'PM'} UTC"
    )


def day_month_year(d: datetime) -> str:
    """Connections: `16 Dec 2024`."""
    return f"{d.day:02d} {d:%b} {d.year}"


def slashed_utc(d: datetime) -> str:
    """SearchQueries, Endorsements: `2024/12/15 08:53:43 UTC`."""
    return f"{d:%Y/%m/%d %H:%M:%S} UTC"


def java(d: datetime) -> str:
    """Logins, Company Follows: `Wed Jun 16 06:56:05 UTC 2021`."""
    return f"{d:%a %b %d %H:%M:%S} UTC {d.year}"


def prose_upload(d: datetime) -> str:
    """Rich_Media: `You uploaded a photo on March 9, 2026 at 2:58 PM (GMT)`."""
    h12 = d.hour % 12 or 12
    return (
        f"You uploaded a photo on {d:%B} {d.day}, {d.year} at {h12}:{d.minute:02d} "
        f"{'AM' if d.hour < 12 else 'PM'} (GMT)"
    )


def flatten(text: str) -> str:
    """Until Aug 2025 line breaks in CONTENT were flattened into runs of spaces."""
    return text.replace("\r\n", "\n").replace("\n", "  ") if "\n" in text else text


# -- message rows --------------------------------------------------------------------------------
def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


RowFn = Callable[[SynthMessage, bool], list[str]]


def row_9(m: SynthMessage, keep_newlines: bool = False) -> list[str]:
    content = m.content if keep_newlines else flatten(m.content)
    return [
        m.conversation_id,
        m.title,
        m.sender,
        m.sender_url,
        ",".join(m.to),
        utc(m.date),
        m.subject,
        content,
        m.folder,
    ]


def row_10(m: SynthMessage, keep_newlines: bool = False) -> list[str]:
    content = m.content if keep_newlines else flatten(m.content)
    return [
        m.conversation_id,
        m.title,
        m.sender,
        m.sender_url,
        ",".join(m.to),
        ",".join(m.to_urls),
        utc(m.date),
        m.subject,
        content,
        m.folder,
    ]


def row_11(m: SynthMessage, keep_newlines: bool = False) -> list[str]:
    return [*row_10(m, keep_newlines), m.attachment]


def row_12(m: SynthMessage, keep_newlines: bool = False) -> list[str]:
    return [*row_10(m, keep_newlines), _yes(m.is_draft), _yes(m.conversation_draft)]


def row_2018(m: SynthMessage, keep_newlines: bool = False) -> list[str]:
    folder = "SENT" if m.outgoing else ("ARCHIVED" if m.folder == "ARCHIVE" else "INBOX")
    content = m.content if keep_newlines else flatten(m.content)
    return [
        m.sender,
        ",".join(m.to),
        us_short(m.date),
        m.subject,
        content,
        "OUTGOING" if m.outgoing else "INCOMING",
        folder,
    ]


def write_rows(
    out: TextIO,
    header: Iterable[str],
    rows: Iterable[list[str]],
    *,
    quote_all: bool = False,
    lineterminator: str = "\n",
) -> int:
    """Write a CSV as LinkedIn does: LF line ends; 2026 files quote every field."""
    writer = csv.writer(
        out,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
        lineterminator=lineterminator,
    )
    writer.writerow(list(header))
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
