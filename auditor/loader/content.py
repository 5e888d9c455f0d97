"""The member's own writing and the text LinkedIn holds about them (FORMAT.md §3 and §5).

One table-driven reader covers the simple files; Comments (continuation lines), Profile (two
texts and the member's name), Invitations (also the member's URL) and Articles (HTML files)
have small readers of their own. Empty texts are loaded rows that yield no item: not rejections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

from auditor.loader.common import FileAcc, column_index, field_at
from auditor.loader.dates import DateParser
from auditor.loader.text import html_to_text, maybe_html_to_text, unwrap_share
from auditor.models import ContentItem, ContentKind

__all__ = [
    "SPECS",
    "ContentSpec",
    "read_article",
    "read_comments",
    "read_content",
    "read_invitations",
    "read_profile",
    "read_screening",
    "shape_ok",
    "take_header",
]


def take_header(records: Iterator[list[str]]) -> list[str] | None:
    return next(records, None)


def shape_ok(rec: list[str], ncols: int) -> bool:
    """Same field count as the header (trailing empty extras tolerated, as in Learning.csv)."""
    n = len(rec)
    return n == ncols or (n > ncols and not any(f.strip() for f in rec[ncols:]))


def _clean(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


Getter = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class ContentSpec:
    kind: ContentKind
    text: tuple[str, ...]  # candidate column names, the first present wins
    date: tuple[str, ...] = ()
    title: Callable[[Getter], str] | None = None
    transform: Callable[[str], str] | None = None
    text_optional: bool = False  # e.g. old `Rich Media.csv` (Type,Link) has no description


def _names(g: Getter) -> str:
    return " ".join(p for p in (g("first name").strip(), g("last name").strip()) if p)


def _job(g: Getter) -> str:
    return ", ".join(
        p for p in (g("title").strip() or g("job title").strip(), g("company name").strip()) if p
    )


SPECS: dict[str, ContentSpec] = {
    "shares": ContentSpec("share", ("sharecommentary",), ("date",), transform=unwrap_share),
    "rich_media": ContentSpec(
        "rich_media", ("media description",), ("date/time", "date"), text_optional=True
    ),
    "recommendations_given": ContentSpec(
        "recommendation_given", ("text",), ("creation date",), title=_names
    ),
    "recommendations_received": ContentSpec(
        "recommendation_received", ("text",), ("creation date",), title=_names
    ),
    "profile_summary": ContentSpec("profile_summary", ("profile summary", "summary")),
    "positions": ContentSpec("position", ("description",), ("started on",), title=_job),
    "job_applications": ContentSpec(
        "job_application",
        ("question and answers",),
        ("application date",),
        title=_job,
        transform=maybe_html_to_text,
    ),
}


def _missing_text(acc: FileAcc, records: Iterator[list[str]], what: str) -> None:
    acc.file_issue(f"missing required column: {what}", rejected=True)
    for _ in records:
        acc.read += 1
        acc.rejected += 1


def read_content(
    acc: FileAcc, spec: ContentSpec, records: Iterator[list[str]], out: list[ContentItem]
) -> None:
    header = take_header(records)
    if header is None:
        return
    cols = column_index(header)
    i_text = next((cols[c] for c in spec.text if c in cols), -1)
    if i_text < 0 and not spec.text_optional:
        _missing_text(acc, records, spec.text[0])
        return
    i_date = next((cols[c] for c in spec.date if c in cols), -1)
    ncols = len(header)
    parse = DateParser()
    row = 0
    for rec in records:
        row += 1
        acc.read += 1
        if not shape_ok(rec, ncols):
            acc.reject(row, f"expected {ncols} fields, found {len(rec)}")
            continue
        acc.loaded += 1
        date = acc.parse_date(row, parse=parse, raw=field_at(rec, i_date))
        text = _clean(field_at(rec, i_text))
        if spec.transform is not None and text:
            text = spec.transform(text).strip()
        if not text:
            continue
        title = ""
        if spec.title is not None:
            title = spec.title(_getter(rec, cols))
        out.append(ContentItem(acc.path, row, spec.kind, date, text, title))


def _getter(rec: list[str], cols: dict[str, int]) -> Getter:
    return lambda name: field_at(rec, cols.get(name, -1))


def _starts_with_date(first: str) -> bool:
    """Comments rows start `YYYY-MM-DD HH:MM:SS`; continuation lines do not."""
    return len(first) >= 10 and first[:4].isdigit() and first[4] in "-/" and first[5:7].isdigit()


def read_comments(acc: FileAcc, records: Iterator[list[str]], out: list[ContentItem]) -> None:
    """Comments.csv (2021, 2024) writes a multi-line comment without commas unquoted, so its
    continuation lines arrive as extra records: join each to the comment before it."""
    header = take_header(records)
    if header is None:
        return
    cols = column_index(header)
    i_msg, i_date = cols.get("message", -1), cols.get("date", -1)
    if i_msg < 0:
        _missing_text(acc, records, "Message")
        return
    parse = DateParser()
    joined = 0
    row = 0
    pending: tuple[int, datetime | None, list[str]] | None = None

    def flush() -> None:
        if pending is not None:
            text = _clean("\n".join(pending[2]))
            if text:
                out.append(ContentItem(acc.path, pending[0], "comment", pending[1], text))

    for rec in records:
        # Without the date first, only a lone field marks a continuation line.
        first_is_date = i_date == 0 and _starts_with_date(rec[0])
        if not first_is_date and (i_date == 0 or len(rec) == 1 < len(header)):
            if pending is not None:
                pending[2].append(",".join(rec))
                joined += 1
                continue
            row += 1
            acc.read += 1
            acc.reject(row, "continuation line with no comment before it")
            continue
        flush()
        pending = None
        row += 1
        acc.read += 1
        acc.loaded += 1
        date = acc.parse_date(row, parse=parse, raw=field_at(rec, i_date))
        msg = field_at(rec, i_msg)
        extra = rec[len(header) :]
        if extra:  # an unquoted comma inside the message split it: put it back
            msg = ",".join([msg, *extra]) if i_msg == len(header) - 1 else msg
        pending = (row, date, [msg])
    flush()
    if joined:
        acc.note(f"{joined} continuation lines joined")


def read_profile(
    acc: FileAcc, records: Iterator[list[str]], out: list[ContentItem]
) -> tuple[str, ...]:
    """Profile.csv: Summary and Headline as profile_summary items; returns the member's name."""
    header = take_header(records)
    if header is None:
        return ()
    cols = column_index(header)
    names: list[str] = []
    for row, rec in enumerate(records, 1):
        acc.read += 1
        acc.loaded += 1
        name = " ".join(
            p
            for p in (
                field_at(rec, cols.get("first name", -1)).strip(),
                field_at(rec, cols.get("last name", -1)).strip(),
            )
            if p
        )
        if name:
            names.append(name)
        for col, title in (("summary", "Summary"), ("headline", "Headline")):
            text = _clean(field_at(rec, cols.get(col, -1)))
            if text:
                out.append(ContentItem(acc.path, row, "profile_summary", None, text, title))
    return tuple(names)


def read_invitations(
    acc: FileAcc, records: Iterator[list[str]], out: list[ContentItem]
) -> list[str]:
    """Invitations.csv messages; returns inviterProfileUrl of OUTGOING rows (the member's URL)."""
    header = take_header(records)
    if header is None:
        return []
    cols = column_index(header)
    g = cols.get
    i_msg, i_date, i_dir = g("message", -1), g("sent at", -1), g("direction", -1)
    i_from, i_to, i_inviter = g("from", -1), g("to", -1), g("inviterprofileurl", -1)
    ncols = len(header)
    parse = DateParser()
    urls: list[str] = []
    row = 0
    for rec in records:
        row += 1
        acc.read += 1
        if not shape_ok(rec, ncols):
            acc.reject(row, f"expected {ncols} fields, found {len(rec)}")
            continue
        acc.loaded += 1
        outgoing = field_at(rec, i_dir).strip().upper() == "OUTGOING"
        inviter = field_at(rec, i_inviter).strip()
        if outgoing and inviter:
            urls.append(inviter)
        date = acc.parse_date(row, parse=parse, raw=field_at(rec, i_date))
        text = _clean(field_at(rec, i_msg))
        if text:
            other = field_at(rec, i_to if outgoing else i_from).strip()
            out.append(ContentItem(acc.path, row, "invitation", date, text, other))
    return urls


def read_screening(acc: FileAcc, records: Iterator[list[str]], out: list[ContentItem]) -> None:
    """Saved screening answers (`…Responses_1.csv` … `_N.csv`, `Job Applicant Saved Answers`):
    text is `Question: Answer` so the answer keeps its context; title is the question."""
    header = next(records, None)
    if header is None:
        return
    cols = column_index(header)
    i_q, i_a = cols.get("question", -1), cols.get("answer", -1)
    for row, rec in enumerate(records, 1):
        acc.read += 1
        acc.loaded += 1
        q = field_at(rec, i_q).strip()
        a = field_at(rec, i_a).strip()
        if a:
            out.append(
                ContentItem(acc.path, row, "screening_answer", None, f"{q}: {a}" if q else a, q)
            )


_ARTICLE_NAME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[ _T](\d{2})[_:](\d{2})[_:](\d{2})(?:\.\d+)?(?:-(.*))?$"
)
_TITLE_TAG = re.compile(r"<title[^>]*>(.*?)</title\s*>|<h1[^>]*>(.*?)</h1\s*>", re.I | re.S)


def read_article(acc: FileAcc, html: str, out: list[ContentItem]) -> None:
    """`Articles/Articles/2018-03-01 10_20_30.0-Title.html` (2018: `Articles/<date>.html`):
    the title from the file name or <title>/<h1>, the date from the file name."""
    acc.read = 1
    acc.loaded = 1
    stem = acc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    date = None
    title = ""
    m = _ARTICLE_NAME.search(stem)
    if m is not None:
        date = DateParser()(f"{m.group(1)} {m.group(2)}:{m.group(3)}:{m.group(4)}")
        acc.see_date(date)
        title = (m.group(5) or "").strip()
    if not title:
        t = _TITLE_TAG.search(html)
        if t is not None:
            title = html_to_text(t.group(1) or t.group(2) or "")
    text = html_to_text(html)
    if text:
        out.append(ContentItem(acc.path, 1, "article", date, text, title))
