"""messages.csv in every vintage: columns by name, kinds, direction, drafts, group chats."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import loader_fixtures as fx
import pytest

from auditor.loader import load_export
from auditor.models import Export, FileReport, Message

UTC = timezone.utc


def _load(tmp_path: Path, files: fx.Files, form: str = "zip") -> Export:
    return load_export([fx.materialise(files, tmp_path, form)])


def _report(export: Export, path: str) -> FileReport:
    return next(f for f in export.files if f.path == path)


def _by_content(export: Export) -> dict[str, Message]:
    return {m.content: m for m in export.messages}


def test_2018_vintage(tmp_path: Path) -> None:
    ex = _load(tmp_path, {"Messages.csv": fx.messages_2018()})
    msgs = ex.messages
    assert [m.direction for m in msgs] == ["received", "sent", "received", "received"]
    assert msgs[0].date == datetime(2018, 10, 16, 8, 36, tzinfo=UTC)
    assert msgs[1].date == datetime(2018, 10, 16, 21, 2, tzinfo=UTC)
    assert msgs[2].kind == "inmail"  # 2018: a non-empty subject marks an InMail
    assert msgs[0].kind == "member"
    assert msgs[3].date is None  # unparseable: row kept, counted as a non-rejecting issue
    rep = _report(ex, "Messages.csv")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (4, 4, 0)
    assert [(i.row, i.rejected) for i in ex.issues] == [(4, False)]
    assert all("Odd row" not in i.reason for i in ex.issues)


def test_2020_vintage_upper_case_iso_dates(tmp_path: Path) -> None:
    ex = _load(tmp_path, {"messages.csv": fx.messages_2020()})
    assert [m.direction for m in ex.messages] == ["received", "sent"]
    assert ex.messages[0].date == datetime(2019, 11, 6, 2, 8, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    "builder", [fx.messages_2021, fx.messages_2023, fx.messages_2024, fx.messages_2025]
)
def test_modern_vintages_infer_direction_from_invitations(tmp_path: Path, builder: object) -> None:
    files = {"messages.csv": builder(), "Invitations.csv": fx.invitations()}  # type: ignore[operator]
    ex = _load(tmp_path, files)
    assert len(ex.messages) == 2
    assert ex.account.member_urls == (fx.ME_URL,)
    for m in ex.messages:
        assert m.direction == ("sent" if m.sender_url == fx.ME_URL else "received")
        assert m.date is not None and m.date.tzinfo is not None


def test_2024_draft_flags_and_2025_attachments(tmp_path: Path) -> None:
    ex = _load(tmp_path, {"messages.csv": fx.messages_2024()})
    assert [m.is_draft for m in ex.messages] == [True, False]
    ex = _load(tmp_path / "b", {"messages.csv": fx.messages_2025()})
    assert ex.messages[0].attachments == ("https://www.linkedin.com/dms/prv/image/abc",)
    assert ex.messages[0].content == ""
    assert ex.messages[1].attachments == ()


def test_2026_kinds_and_fields(tmp_path: Path) -> None:
    ex = _load(tmp_path, {"messages.csv": fx.messages_2026(), "Profile.csv": fx.profile()})
    by_row = {m.source_row: m for m in ex.messages}
    assert [by_row[i].kind for i in range(1, 13)] == [
        "member", "member", "member", "inmail", "sponsored", "sponsored", "linkedin", "linkedin",
        "coach", "member", "member", "member",
    ]  # fmt: skip
    # real newlines kept; a plain message's <https://…> kept
    assert by_row[1].content == "Line one\nLine two <https://example.org/x>"
    # HTML turned into text
    assert by_row[5].content == "Hi %FIRSTNAME%,\nGrow with Premium & more today"
    assert "<" not in by_row[7].content and "Two …" in by_row[7].content
    # group chat
    assert by_row[3].recipients == (fx.ME, "Jane Roe, PhD", "Carl Third")
    assert by_row[3].recipient_urls == (
        fx.ME_URL,
        fx.JANE_URL,
        "https://www.linkedin.com/in/carl-third",
    )
    assert by_row[3].folder == "ARCHIVE" and by_row[3].conversation_title == "Project group"
    assert by_row[10].is_draft and not by_row[1].is_draft
    assert by_row[11].date is None


def test_direction_from_recipient_urls_addressed_to_the_member(tmp_path: Path) -> None:
    # No Invitations.csv: the member's URL comes from messages whose TO is the Profile name.
    ex = _load(tmp_path, {"messages.csv": fx.messages_2026(), "Profile.csv": fx.profile()})
    assert ex.account.member_urls == (fx.ME_URL,)
    by_row = {m.source_row: m for m in ex.messages}
    assert by_row[1].direction == "received"
    assert by_row[2].direction == "sent"
    assert by_row[10].direction == "sent"  # the draft carries the member's URL
    assert by_row[5].direction == "received"  # ads never speak for the member


def test_direction_fallback_majority_sender(tmp_path: Path) -> None:
    rows = [
        ["2-a", "", "Me", fx.ME_URL, "Bob", "", "2023-01-01 10:00:00 UTC", "", "x", "INBOX"],
        ["2-a", "", "Bob", fx.BOB_URL, "Me", "", "2023-01-01 09:00:00 UTC", "", "y", "INBOX"],
        ["2-b", "", "Me", fx.ME_URL, "Cy", "", "2023-01-02 10:00:00 UTC", "", "z", "INBOX"],
        ["2-c", "", "Dee", "https://www.linkedin.com/in/dee", "Me", "", "2023-01-03 10:00:00 UTC",
         "", "w", "INBOX"],
    ]  # fmt: skip
    ex = _load(tmp_path, {"messages.csv": fx.csv_bytes(fx.H2023, rows)})
    assert ex.account.member_urls == (fx.ME_URL,)
    assert [m.direction for m in ex.messages] == ["sent", "received", "sent", "received"]


def test_direction_unknown_when_not_inferable(tmp_path: Path) -> None:
    rows = [
        ["2-a", "", "Bob", fx.BOB_URL, "Me", "", "2023-01-01 09:00:00 UTC", "", "y", "INBOX"],
        ["2-b", "", "Cy", "https://www.linkedin.com/in/cy", "Me", "", "2023-01-02 09:00:00 UTC",
         "", "z", "INBOX"],
        ["2-c", "", "Dee", "https://www.linkedin.com/in/dee", "Me", "", "2023-01-03 10:00:00 UTC",
         "", "w", "INBOX"],
    ]  # fmt: skip
    ex = _load(tmp_path, {"messages.csv": fx.csv_bytes(fx.H2023, rows)})
    assert ex.account.member_urls == ()
    assert {m.direction for m in ex.messages} == {"unknown"}


def test_columns_mapped_by_name_in_any_order_and_case(tmp_path: Path) -> None:
    header = ["content", "Date", "from", "To", "Sender Profile URL", "Conversation ID"]
    rows = [["Hello", "2023-01-01 10:00:00 UTC", "Bob", "Me", fx.BOB_URL, "2-a"]]
    ex = _load(tmp_path, {"messages.csv": fx.csv_bytes(header, rows)})
    m = ex.messages[0]
    assert (m.content, m.sender, m.recipients, m.sender_url, m.conversation_id) == (
        "Hello", "Bob", ("Me",), fx.BOB_URL, "2-a",
    )  # fmt: skip


def test_missing_required_columns_is_one_issue(tmp_path: Path) -> None:
    header = ["FROM", "TO", "SUBJECT"]  # no CONTENT, no DATE
    rows = [["a", "b", "c"]] * 500
    ex = _load(tmp_path, {"messages.csv": fx.csv_bytes(header, rows)})
    rep = _report(ex, "messages.csv")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (500, 0, 500)
    assert len(ex.issues) == 1
    issue = ex.issues[0]
    assert issue.row == 0 and issue.rejected and "CONTENT" in issue.reason
    assert ex.messages == ()


def test_short_rows_rejected_with_reason_and_no_text(tmp_path: Path) -> None:
    data = fx.csv_bytes(
        fx.H2023,
        [
            ["2-a", "", "Bob", fx.BOB_URL, "Me", "", "2023-01-01 10:00:00 UTC", "", "ok", "INBOX"],
            ["2-a", "secret words here"],
        ],
    )
    ex = _load(tmp_path, {"messages.csv": data})
    rep = _report(ex, "messages.csv")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (2, 1, 1)
    rejected = [i for i in ex.issues if i.rejected]
    assert [(i.file, i.row) for i in rejected] == [("messages.csv", 2)]
    assert "secret" not in rejected[0].reason


def test_sibling_files_are_coach(tmp_path: Path) -> None:
    ex = _load(tmp_path, fx.rich_export())
    coach = [m for m in ex.messages if m.source_file == "learning_coach_messages.csv"]
    assert len(coach) == 1 and coach[0].kind == "coach" and coach[0].direction == "received"
    assert _report(ex, "guide_messages.csv").rows_read == 0
    empty = _report(ex, "LearningCoachMessages.csv")
    assert (empty.kind, empty.understood, empty.rows_read) == ("empty", True, 0)
    assert "No conversations found" in empty.note


def test_date_min_max(tmp_path: Path) -> None:
    ex = _load(tmp_path, {"messages.csv": fx.messages_2026()})
    rep = _report(ex, "messages.csv")
    assert rep.date_min == datetime(2024, 8, 1, 12, 0, tzinfo=UTC)
    assert rep.date_max == datetime(2026, 1, 7, 12, 0, tzinfo=UTC)


def test_member_turns_in_coach_files_are_sent(tmp_path: Path) -> None:
    rows = [
        ["2-lc", "Learning Coach Conversation", "", "", fx.ME, "", "2025-04-01 10:00:00 UTC", "",
         "Coach says", "INBOX"],
        ["2-lc", "Learning Coach Conversation", fx.ME, "", "", "", "2025-04-01 10:01:00 UTC", "",
         "I ask", "INBOX"],
    ]  # fmt: skip
    files = {"coach_messages.csv": fx.csv_bytes(fx.H2023, rows), "Profile.csv": fx.profile()}
    ex = _load(tmp_path, files)
    assert [(m.kind, m.direction) for m in ex.messages] == [
        ("coach", "received"),
        ("coach", "sent"),
    ]
