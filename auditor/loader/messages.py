"""messages.csv and its sibling files, every header vintage from 2018 to 2026, mapped by name.

Direction comes from the file where it can (2018/2020 Direction column, SENT folder); since
2021 it is inferred from the member's own URL. The URLs known before messages are read (from
Invitations.csv) are used at once; the export step re-derives directions only when merging
inputs teaches it more. See FORMAT.md §2 for the kinds of message and their signs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from auditor.loader.common import FileAcc, column_index
from auditor.loader.dates import MAX_YEAR, MIN_YEAR, DateParser
from auditor.loader.text import (
    html_to_text,
    looks_like_html,
    normalise_url,
    split_names,
    split_urls,
)
from auditor.models import Direction, Message, MessageKind

__all__ = ["DirectionRule", "iter_read_messages", "read_messages"]

COACH_TITLE = "Learning Coach Conversation"
SPONSORED_TITLE = "Sponsored Conversation"


class DirectionRule:
    """Sent or received, from the file's own sign (2018 Direction column, SENT folder) or by
    comparing the sender URL with the member's URL(s); `unknown` when neither is available."""

    __slots__ = ("_norm", "mine", "name")

    def __init__(self, mine: frozenset[str], name: str = "") -> None:
        self.mine = mine
        self.name = name.strip().casefold()  # the member's Profile name, for URL-less rows
        self._norm: dict[str, str] = {}

    def __call__(self, hint: str, sender: str, sender_url: str, kind: str) -> Direction:
        if hint == "sent":
            return "sent"
        if hint == "received":
            return "received"
        if sender_url:
            if not self.mine:
                return "unknown"
            key = self._norm.get(sender_url)
            if key is None:
                key = self._norm[sender_url] = normalise_url(sender_url)
            return "sent" if key in self.mine else "received"
        if self.name and sender and sender.strip().casefold() == self.name:
            return "sent"  # e.g. the member's own turns in a coach conversation
        if kind != "member" or sender == "LinkedIn Member":
            return "received"  # ads, LinkedIn, coaches and gone members never speak for the member
        return "unknown"


def _date_column(cols: dict[str, int]) -> int:
    if "date" in cols:
        return cols["date"]
    for name, i in cols.items():
        if "date" in name or name in ("sent at", "time"):
            return i
    return -1


# Every column of every vintage (FORMAT.md §2), lower-cased; anything else is a new column.
_KNOWN_COLUMNS = frozenset(
    [
        "conversation id", "conversation title", "from", "sender profile url", "to",
        "recipient profile urls", "date", "subject", "content", "folder", "attachments",
        "is message draft", "is conversation draft", "direction",
    ]
)  # fmt: skip
_MAX_NAMED = 10  # column names listed in a note; a header is names, never message text
_MAX_NAME_LEN = 40


def _note_columns(acc: FileAcc, header: list[str]) -> None:
    """Report columns this reader does not know (a new vintage: their values are not loaded)
    and duplicate names (the first one wins), so neither passes silently."""
    seen: set[str] = set()
    unknown: list[str] = []
    dupes: list[str] = []
    for h in header:
        key = h.strip().lstrip("\ufeff").strip().lower()
        if not key:
            continue
        if key in seen:
            dupes.append(h.strip())
        elif key not in _KNOWN_COLUMNS:
            unknown.append(h.strip())
        seen.add(key)

    def names(cols: list[str]) -> str:
        shown = [c[:_MAX_NAME_LEN] for c in dict.fromkeys(cols)][:_MAX_NAMED]
        more = len(dict.fromkeys(cols)) - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")

    if unknown:
        acc.note(f"unknown columns not loaded: {names(unknown)}")
    if dupes:
        acc.note(f"duplicate columns, the first one used: {names(dupes)}")


def read_messages(
    acc: FileAcc,
    header: list[str],
    records: Iterator[list[str]],
    out: list[Message],
    hints: list[str],
    *,
    coach_file: bool,
    direction: DirectionRule,
) -> None:
    """Append one Message per loaded row to `out` (and its direction hint to `hints`);
    account for every record in `acc`."""
    for _ in iter_read_messages(
        acc, header, records, out, hints, coach_file=coach_file, direction=direction, every=0
    ):
        pass


def iter_read_messages(
    acc: FileAcc,
    header: list[str],
    records: Iterator[list[str]],
    out: list[Message],
    hints: list[str],
    *,
    coach_file: bool,
    direction: DirectionRule,
    every: int,
) -> Iterator[None]:
    """`read_messages` that yields after every `every` loaded rows (never when 0), so a streaming
    caller can take the rows appended to `out` and `hints` so far and clear both lists."""
    cols = column_index(header)
    i_content = cols.get("content", -1)
    i_date = _date_column(cols)
    missing = [n for n, i in (("CONTENT", i_content), ("DATE", i_date)) if i < 0]
    if missing:
        acc.file_issue(f"missing required column(s): {', '.join(missing)}", rejected=True)
        for _ in records:
            acc.read += 1
            acc.rejected += 1
        return

    _note_columns(acc, header)
    g = cols.get
    i_conv, i_title = g("conversation id", -1), g("conversation title", -1)
    i_from, i_surl = g("from", -1), g("sender profile url", -1)
    i_to, i_rurls = g("to", -1), g("recipient profile urls", -1)
    i_subject, i_folder = g("subject", -1), g("folder", -1)
    i_attach, i_draft = g("attachments", -1), g("is message draft", -1)
    i_dir = g("direction", -1)
    has_conv_col = i_conv >= 0
    old_vintage = i_title < 0  # 2018/2020: no conversation title; a subject marks an InMail
    ncols = len(header)
    parse = DateParser()
    fromiso = datetime.fromisoformat
    dmin: datetime | None = None
    dmax: datetime | None = None
    bad_dates = 0
    missing_dates = 0
    src = acc.path
    row = 0
    pending = 0
    for rec in records:
        row += 1
        acc.read += 1
        n = len(rec)
        if n != ncols and (n < ncols or any(f.strip() for f in rec[ncols:])):
            acc.reject(row, f"expected {ncols} fields, found {n}")
            continue

        raw_date = rec[i_date]
        date = None
        if len(raw_date) == 23 and raw_date[19:] == " UTC":  # fast path: the 2021+ format
            try:
                date = fromiso(raw_date[:19] + "+00:00")
                if not MIN_YEAR <= date.year <= MAX_YEAR:
                    date = None
            except ValueError:
                date = parse(raw_date)
        elif raw_date:
            date = parse(raw_date)
        if date is None:
            if raw_date.strip():
                bad_dates += 1
                acc.damaged(row, "unparseable date; kept without a date")
            else:
                missing_dates += 1
                acc.damaged(row, "empty date; kept without a date")
        else:
            if dmin is None or date < dmin:
                dmin = date
            if dmax is None or date > dmax:
                dmax = date

        content = rec[i_content]
        if "\r" in content:
            content = content.replace("\r\n", "\n").replace("\r", "\n")
        is_html = "<" in content and looks_like_html(content)
        sponsored_html = is_html and "spinmail" in content
        if is_html:
            content = html_to_text(content)

        conv = rec[i_conv] if i_conv >= 0 else ""
        title = rec[i_title] if i_title >= 0 else ""
        sender = rec[i_from] if i_from >= 0 else ""
        sender_url = rec[i_surl].strip() if i_surl >= 0 else ""
        to = rec[i_to] if i_to >= 0 else ""
        subject = rec[i_subject] if i_subject >= 0 else ""
        folder = rec[i_folder] if i_folder >= 0 else ""

        if i_draft >= 0 and rec[i_draft].strip().lower() == "yes":
            is_draft = True
        else:
            is_draft = has_conv_col and not conv and not to and not folder

        hint = ""
        if i_dir >= 0:
            d = rec[i_dir].strip().upper()
            if d == "INCOMING":
                hint = "received"
            elif d == "OUTGOING":
                hint = "sent"
        if not hint and folder[:1] in ("S", "s") and folder.strip().upper() == "SENT":
            hint = "sent"

        kind: MessageKind
        if coach_file or title == COACH_TITLE:
            kind = "coach"
        elif title == SPONSORED_TITLE or sponsored_html:
            kind = "sponsored"
        elif (
            (is_html and not sender_url)
            or (not sender and not to)
            # `LinkedIn Member` with no URL is a member whose profile is gone, not LinkedIn.
            or (not sender_url and "linkedin" in sender.lower() and sender != "LinkedIn Member")
        ):
            kind = "linkedin"
        elif subject and (
            (title == subject and sender_url) or (old_vintage and not sender_url and i_surl < 0)
        ):
            kind = "inmail"
        else:
            kind = "member"

        out.append(
            Message(
                src,
                row,
                conv,
                title,
                sender,
                sender_url,
                split_names(to),
                split_urls(rec[i_rurls]) if i_rurls >= 0 else (),
                date,
                subject,
                content,
                folder,
                split_urls(rec[i_attach]) if i_attach >= 0 else (),
                is_draft,
                direction(hint, sender, sender_url, kind),
                kind,
            )
        )
        hints.append(hint)
        acc.loaded += 1
        if every:
            pending += 1
            if pending >= every:
                pending = 0
                yield
    acc.see_date(dmin)
    acc.see_date(dmax)
    if bad_dates:
        acc.note(f"{bad_dates} unparseable dates")
    if missing_dates:
        acc.note(f"{missing_dates} empty dates")
