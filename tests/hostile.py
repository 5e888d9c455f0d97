"""The bad-input corpus: hostile and broken exports built in a tmp dir, each with its outcome.

Every case is either `ok` (a clean result, the damage counted in the accounting) or `error`
(exit code 2 / AuditError: one line naming the input, and the file where one is to blame).
`check` holds the case's own assertions on the loaded Export, so a case cannot pass by accident.
Nothing here is real data; the builders only write inside the tmp dir they are given.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import loader_fixtures as fx

from auditor.models import Export

Builder = Callable[[Path], Path]
Check = Callable[[Export], None]

MIB = 1 << 20
# A single field this big; 50 MB as the issue asks (about 1 s to load and scan here).
BIG_FIELD = 50 * 1000 * 1000
MANY_ENTRIES = 5000


@dataclass(frozen=True)
class Case:
    """One hostile input: how to build it and what the tool must make of it."""

    name: str
    build: Builder
    expect: Literal["ok", "error"]
    error_has: tuple[str, ...] = ()  # substrings of the one error line (beyond the input path)
    check: Check | None = None
    limits: dict[str, float] = field(default_factory=dict)  # load_export keyword limits

    def cli_limits(self) -> list[str]:
        args: list[str] = []
        if "max_total_bytes" in self.limits:
            args += ["--max-size", str(int(self.limits["max_total_bytes"]))]
        if "max_ratio" in self.limits:
            args += ["--max-ratio", str(self.limits["max_ratio"])]
        return args


# --- helpers ------------------------------------------------------------------------------------


def _zip(tmp: Path, files: dict[str, bytes], name: str = "export.zip") -> Path:
    return fx.write_zip(files, tmp / name)


def _messages(rows: list[list[str]], header: list[str] | None = None, **kw: object) -> bytes:
    return fx.csv_bytes(fx.H2023 if header is None else header, rows, **kw)  # type: ignore[arg-type]


def _row(content: str, date: str = "2023-02-01 09:00:00 UTC", conv: str = "2-c1") -> list[str]:
    return [conv, "", "Bob Other", fx.BOB_URL, fx.ME, fx.ME_URL, date, "", content, "INBOX"]


def _file(ex: Export, path: str):  # type: ignore[no-untyped-def]
    found = [f for f in ex.files if f.path == path]
    assert len(found) == 1, (path, [f.path for f in ex.files])
    return found[0]


def _balanced(ex: Export) -> None:
    for f in ex.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f


def _contents(ex: Export) -> list[str]:
    return [m.content for m in ex.messages]


# --- archives -----------------------------------------------------------------------------------


def not_a_zip(tmp: Path) -> Path:
    p = tmp / "export.zip"
    p.write_bytes(b"First Name,Last Name\nA,B\n")
    return p


def zero_bytes(tmp: Path) -> Path:
    p = tmp / "export.zip"
    p.write_bytes(b"")
    return p


def empty_zip(tmp: Path) -> Path:
    return _zip(tmp, {})


def truncated_zip(tmp: Path) -> Path:
    whole = fx.zip_bytes(fx.rich_export())
    p = tmp / "export.zip"
    p.write_bytes(whole[: len(whole) * 2 // 3])
    return p


def corrupt_member(tmp: Path) -> Path:
    data = _messages([_row(f"hello there number {i}") for i in range(300)])
    p = _zip(tmp, {"messages.csv": data})
    raw = bytearray(p.read_bytes())
    start = raw.index(b"messages.csv") + len(b"messages.csv") + 20
    for i in range(start, start + 40):
        raw[i] ^= 0x5A
    p.write_bytes(bytes(raw))
    return p


def encrypted_zip(tmp: Path) -> Path:
    """zipfile cannot encrypt; set the 'encrypted' flag bit in both headers as a real one has."""
    p = _zip(tmp, {"messages.csv": fx.messages_2023()})
    raw = bytearray(p.read_bytes())
    raw[raw.index(b"PK\x03\x04") + 6] |= 0x1
    raw[raw.index(b"PK\x01\x02") + 8] |= 0x1
    p.write_bytes(bytes(raw))
    return p


def zip_in_zip(tmp: Path) -> Path:
    inner = fx.zip_bytes({"messages.csv": fx.messages_2023(), "Profile.csv": fx.profile()})
    return fx.write_zip(
        {"Basic_LinkedInDataExport_01-02-2026.zip": inner},
        tmp / "Basic_LinkedInDataExport_01-02-2026.zip.zip",
        compression=zipfile.ZIP_STORED,
    )


def traversal_names(tmp: Path) -> Path:
    """Entry names that would escape an extraction folder: the tool never extracts."""
    box = tmp / "box"
    box.mkdir()
    return _zip(
        box,
        {
            "../../escaped/messages.csv": fx.messages_2023(),
            "/etc/cron.d/Profile.csv": fx.profile(),
            "..\\..\\windows\\Comments.csv": fx.comments_2024(),
            "C:/Users/x/evil.csv": b"a,b\n1,2\n",
        },
    )


def bomb_by_ratio(tmp: Path) -> Path:
    return _zip(tmp, {"messages.csv": b"\0" * (2 * MIB), "Profile.csv": fx.profile()})


def bomb_by_total(tmp: Path) -> Path:
    # Every entry is small and ordinary; only their sum is over the (small, custom) limit.
    files = {
        f"Jobs/Job Applicant Saved Answers_{i}.csv": b"Question,Answer\nq,a\n" for i in range(50)
    }
    return _zip(tmp, {"Profile.csv": fx.profile(), **files})


def nested_bomb(tmp: Path) -> Path:
    inner = fx.zip_bytes({"messages.csv": b"\0" * (2 * MIB)})
    return fx.write_zip({"X.zip": inner}, tmp / "X.zip.zip", compression=zipfile.ZIP_STORED)


def many_tiny_entries(tmp: Path) -> Path:
    p = tmp / "export.zip"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("messages.csv", fx.messages_2023())
        for i in range(MANY_ENTRIES):
            zf.writestr(f"junk/{i:05d}.txt", b"x")
    return p


def not_an_export(tmp: Path) -> Path:
    return _zip(tmp, {"holiday.jpg": b"\xff\xd8\xff", "notes.csv": b"a,b\n1,2\n", "x/y.txt": b""})


def no_message_files(tmp: Path) -> Path:
    return _zip(
        tmp,
        {
            "Profile.csv": fx.profile(),
            "Connections.csv": fx.connections(),
            "Shares.csv": fx.shares(),
        },
    )


# --- CSV damage (each inside an otherwise fine zip) ---------------------------------------------


def _with_messages(data: bytes, extra: dict[str, bytes] | None = None) -> Builder:
    def build(tmp: Path) -> Path:
        return _zip(tmp, {"Profile.csv": fx.profile(), "messages.csv": data, **(extra or {})})

    return build


MISSING_COLUMN = _messages(
    [[r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[9]] for r in (_row("a"), _row("b"))],
    header=[h for h in fx.H2023 if h != "CONTENT"],
)
DUPLICATE_COLUMNS = _messages(
    [[*_row("first wins"), "second loses"]], header=[*fx.H2023, "CONTENT"]
)
REORDERED = _messages([list(reversed(_row("reordered ok")))], header=list(reversed(fx.H2023)))
EXTRA_COLUMNS = _messages(
    [[*_row("extra ok"), "v1", "v2"]], header=[*fx.H2023, "SENTIMENT SCORE", "FUTURE FLAG"]
)
ONLY_HEADER = _messages([])
NO_HEADER = fx.csv_bytes(None, [_row("one"), _row("two"), _row("three")])
INVALID_UTF8 = _messages([_row("caf\u00e9 ok"), _row("broken here")]).replace(
    b"broken here", b"broken \xff\xc3\x28 here"
)
UTF16_NO_BOM = fx.messages_2023().decode().encode("utf-16-le")
NUL_BYTES = _messages([_row("nul inside")]).replace(b"nul inside", b"nul\x00 in\x00side")
UNTERMINATED = _messages([_row("fine")]) + (
    b'2-c2,,Bob Other,,Alex Member,,2023-02-02 09:00:00 UTC,,"never closed\nmore,text\n'
)
MIXED_LINE_ENDINGS = (
    ",".join(fx.H2023).encode()
    + b"\r\n"
    + b"\n".join(",".join(_row(f"row {i}")).encode() for i in range(3))
    + b"\r"
    + ",".join(_row("row 3")).encode()
    + b"\r\n"
)
ODD_DATES = _messages(
    [
        _row("year zero", "0000-01-01 00:00:00 UTC"),
        _row("year 9999", "9999-12-31 23:59:59 UTC"),
        _row("month 13", "2024-13-45 10:00:00 UTC"),
        _row("words", "yesterday-ish"),
        _row("fine", "2024-01-01 10:00:00 UTC"),
    ]
)
EXCEL_RESAVED = b"\xef\xbb\xbf" + _messages(
    [_row("excel one", "23-Apr-23 10:15"), _row("excel two", "4/23/2023 10:15")],
    lineterminator="\r\n",
)


def big_field(tmp: Path) -> Path:
    """One message whose CONTENT is BIG_FIELD bytes (filler that matches no rule), written
    straight to the zip member so the test never holds two copies."""
    p = tmp / "export.zip"
    head = (",".join(fx.H2023) + "\n").encode() + b"2-big,,Bob Other,,Alex Member,,"
    head += b'2023-02-01 09:00:00 UTC,,"'
    chunk = b"lorem ipsum dolor sit amet " * 40_000
    # Stored: deflated filler this regular would (rightly) trip the default ratio limit.
    with (
        zipfile.ZipFile(p, "w", compression=zipfile.ZIP_STORED) as zf,
        zf.open("messages.csv", "w", force_zip64=True) as out,
    ):
        out.write(head)
        left = BIG_FIELD
        while left > 0:
            out.write(chunk[:left])
            left -= len(chunk)
        out.write(b'",INBOX\n')
        out.write(",".join(_row("after the big one")).encode() + b"\n")
    return p


def comments_continuation(tmp: Path) -> Path:
    return _zip(tmp, {"Profile.csv": fx.profile(), "Comments.csv": fx.comments_2024()})


def no_conversations(tmp: Path) -> Path:
    return _zip(
        tmp,
        {
            "messages.csv": fx.messages_2023(),
            "LearningCoachMessages.csv": b"No conversations found",
        },
    )


def excel_connections(tmp: Path) -> Path:
    body = b"\xef\xbb\xbfFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    body += b"Bob,Other,https://www.linkedin.com/in/bob-other,,Acme,Eng,23-Apr-23\r\n"
    return _zip(tmp, {"Connections.csv": body, "messages.csv": EXCEL_RESAVED})


# --- folders ------------------------------------------------------------------------------------


def symlinks_outside(tmp: Path) -> Path:
    """An export folder with links to a file and a folder outside it: neither may be read."""
    outside = tmp / "outside"
    (outside / "private").mkdir(parents=True)
    secret = fx.csv_bytes(fx.H2023, [_row("OUTSIDE SECRET")])
    (outside / "secret.csv").write_bytes(secret)
    (outside / "private" / "messages.csv").write_bytes(secret)
    root = fx.write_folder({"messages.csv": fx.messages_2023(), "Profile.csv": fx.profile()},
                           tmp / "export")  # fmt: skip
    os.symlink(outside / "secret.csv", root / "guide_messages.csv")
    os.symlink(outside / "private", root / "Jobs")
    os.symlink(outside / "secret.csv", root / "dangling_or_not.csv")
    return root


def unicode_names(tmp: Path) -> Path:
    files = {
        "messages.csv": _messages([_row("\u05e9\u05dc\u05d5\u05dd and \U0001f600")]),
        "Profile.csv": fx.profile(),
        "\u00dcbersicht_\u6587\u4ef6.csv": b"a,b\n1,2\n",
        "\u0631\u0633\u0627\u0626\u0644.csv": b"a\n1\n",
        "cafe\u0301 nfd.csv": b"a\n1\n",
        "emoji \U0001f4e6.txt": b"hi",
    }
    folder = tmp / "\u042d\u043a\u0441\u043f\u043e\u0440\u0442 \U0001f4e6 \u0645\u0644\u0641"
    return _zip(folder_mk(folder), files, name="Expo\u0301rt \u00e9\u00e8 \u4e2d.zip")


def folder_mk(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def unicode_folder(tmp: Path) -> Path:
    return fx.write_folder(
        {"messages.csv": fx.messages_2023(), "\u65e5\u672c\u8a9e \u05e2\u05d1.csv": b"a\n1\n"},
        tmp / "\u0627\u0644\u062a\u0635\u062f\u064a\u0631 \u00e9t\u00e9",
    )


# --- the checks ---------------------------------------------------------------------------------


def _check_zip_in_zip(ex: Export) -> None:
    assert _contents(ex) == ["Ping", "Pong"]
    assert ex.account.member_name == "Alex Member"


def _check_traversal(ex: Export) -> None:
    assert sorted(_contents(ex)) == ["Ping", "Pong"]
    names = {f.path for f in ex.files}
    assert any(n.endswith("messages.csv") for n in names)


def _check_many(ex: Export) -> None:
    assert len(ex.files) == MANY_ENTRIES + 1
    assert _contents(ex) == ["Ping", "Pong"]


def _check_no_messages(ex: Export) -> None:
    assert ex.messages == ()
    assert any(c.kind == "share" for c in ex.content)
    assert ex.account.connections == 3


def _check_missing_column(ex: Export) -> None:
    f = _file(ex, "messages.csv")
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (2, 0, 2)
    assert any(i.row == 0 and "CONTENT" in i.reason for i in ex.issues)


def _check_duplicate(ex: Export) -> None:
    assert _contents(ex) == ["first wins"]
    assert "duplicate column" in _file(ex, "messages.csv").note.lower()


def _check_reordered(ex: Export) -> None:
    (m,) = ex.messages
    assert (m.content, m.sender, m.conversation_id) == ("reordered ok", "Bob Other", "2-c1")
    assert m.date is not None and m.date.year == 2023


def _check_extra(ex: Export) -> None:
    assert _contents(ex) == ["extra ok"]
    note = _file(ex, "messages.csv").note
    assert "SENTIMENT SCORE" in note and "FUTURE FLAG" in note


def _check_only_header(ex: Export) -> None:
    f = _file(ex, "messages.csv")
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (0, 0, 0)
    assert ex.messages == ()


def _check_no_header(ex: Export) -> None:
    f = _file(ex, "messages.csv")
    assert f.rows_loaded == 0 and f.rows_rejected == f.rows_read >= 2
    assert any(i.file == "messages.csv" and "missing required" in i.reason for i in ex.issues)


def _check_invalid_utf8(ex: Export) -> None:
    assert _contents(ex)[0] == "caf\u00e9 ok"
    assert "\ufffd" in _contents(ex)[1]
    assert any("undecodable" in i.reason and not i.rejected for i in ex.issues)


def _check_utf16(ex: Export) -> None:
    assert _contents(ex) == ["Ping", "Pong"]
    assert "UTF-16" in _file(ex, "messages.csv").note


def _check_nul(ex: Export) -> None:
    assert _contents(ex) == ["nul inside"]


def _check_big(ex: Export) -> None:
    assert len(ex.messages) == 2
    assert len(ex.messages[0].content) == BIG_FIELD
    assert ex.messages[1].content == "after the big one"


def _check_unterminated(ex: Export) -> None:
    f = _file(ex, "messages.csv")
    assert ex.messages[0].content == "fine"
    assert f.rows_read == 2  # the open quote swallows the rest: one record, loaded or rejected
    assert "more,text" not in [m.content for m in ex.messages[:1]]


def _check_mixed(ex: Export) -> None:
    assert _contents(ex) == [f"row {i}" for i in range(4)]


def _check_dates(ex: Export) -> None:
    f = _file(ex, "messages.csv")
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (5, 5, 0)
    assert [m.date is None for m in ex.messages] == [True, True, True, True, False]
    damaged = sorted(i.row for i in ex.issues if i.file == "messages.csv" and not i.rejected)
    assert damaged == [1, 2, 3, 4]


def _check_comments(ex: Export) -> None:
    texts = [c.text for c in ex.content if c.kind == "comment"]
    assert texts == [
        "First line of comment\nsecond line of comment\nthird line",
        "Quoted, with comma",
    ]
    f = _file(ex, "Comments.csv")
    assert (f.rows_read, f.rows_loaded, f.rows_rejected) == (2, 2, 0)


def _check_no_conversations(ex: Export) -> None:
    f = _file(ex, "LearningCoachMessages.csv")
    assert f.kind == "empty" and "No conversations found" in f.note
    assert _contents(ex) == ["Ping", "Pong"]


def _check_excel(ex: Export) -> None:
    assert _contents(ex) == ["excel one", "excel two"]
    for m in ex.messages:
        assert m.date is not None and (m.date.year, m.date.month, m.date.day) == (2023, 4, 23)
    assert ex.account.connections == 1
    conn = _file(ex, "Connections.csv")
    assert conn.date_min is not None and conn.date_min.year == 2023


def _check_symlinks(ex: Export) -> None:
    assert "OUTSIDE SECRET" not in _contents(ex)
    assert _contents(ex) == ["Ping", "Pong"]
    for f in ex.files:
        assert not f.path.startswith("Jobs/"), f.path
    assert any("symlink" in i.reason for i in ex.issues)


def _check_unicode(ex: Export) -> None:
    assert _contents(ex) == ["\u05e9\u05dc\u05d5\u05dd and \U0001f600"]
    names = {f.path for f in ex.files}
    assert "\u00dcbersicht_\u6587\u4ef6.csv" in names and "emoji \U0001f4e6.txt" in names


def _check_unicode_folder(ex: Export) -> None:
    assert _contents(ex) == ["Ping", "Pong"]
    assert "\u65e5\u672c\u8a9e \u05e2\u05d1.csv" in {f.path for f in ex.files}


def _all(*checks: Check) -> Check:
    def run(ex: Export) -> None:
        _balanced(ex)
        for c in checks:
            c(ex)

    return run


RATIO = {"max_ratio": 50.0}
CASES: tuple[Case, ...] = (
    Case("not_a_zip", not_a_zip, "error", ("not a zip",)),
    Case("zero_bytes", zero_bytes, "error", ("not a zip",)),
    Case("empty_zip", empty_zip, "error", ("not a LinkedIn data export",)),
    Case("truncated_zip", truncated_zip, "error", ("zip",)),
    Case("corrupt_member", corrupt_member, "error", ("corrupt", "messages.csv")),
    Case("encrypted_zip", encrypted_zip, "error", ("encrypted",)),
    Case("zip_in_zip", zip_in_zip, "ok", check=_all(_check_zip_in_zip)),
    Case("traversal_names", traversal_names, "ok", check=_all(_check_traversal)),
    Case("bomb_by_ratio", bomb_by_ratio, "error", ("ratio", "--max-ratio"), limits=RATIO),
    Case("bomb_by_total", bomb_by_total, "error", ("--max-size",), limits={"max_total_bytes": 600}),
    Case("nested_bomb", nested_bomb, "error", ("X.zip", "--max-ratio"), limits=RATIO),
    Case("many_tiny_entries", many_tiny_entries, "ok", check=_all(_check_many)),
    Case("not_an_export", not_an_export, "error", ("not a LinkedIn data export",)),
    Case("no_message_files", no_message_files, "ok", check=_all(_check_no_messages)),
    Case("missing_column", _with_messages(MISSING_COLUMN), "ok", check=_all(_check_missing_column)),
    Case("duplicate_columns", _with_messages(DUPLICATE_COLUMNS), "ok",
         check=_all(_check_duplicate)),
    Case("reordered_columns", _with_messages(REORDERED), "ok", check=_all(_check_reordered)),
    Case("extra_columns", _with_messages(EXTRA_COLUMNS), "ok", check=_all(_check_extra)),
    Case("only_header", _with_messages(ONLY_HEADER), "ok", check=_all(_check_only_header)),
    Case("no_header", _with_messages(NO_HEADER), "ok", check=_all(_check_no_header)),
    Case("invalid_utf8", _with_messages(INVALID_UTF8), "ok", check=_all(_check_invalid_utf8)),
    Case("utf16_no_bom", _with_messages(UTF16_NO_BOM), "ok", check=_all(_check_utf16)),
    Case("nul_bytes", _with_messages(NUL_BYTES), "ok", check=_all(_check_nul)),
    Case("big_field", big_field, "ok", check=_all(_check_big)),
    Case("unterminated_quote", _with_messages(UNTERMINATED), "ok", check=_all(_check_unterminated)),
    Case("mixed_line_endings", _with_messages(MIXED_LINE_ENDINGS), "ok", check=_all(_check_mixed)),
    Case("odd_dates", _with_messages(ODD_DATES), "ok", check=_all(_check_dates)),
    Case("comments_continuation", comments_continuation, "ok", check=_all(_check_comments)),
    Case("no_conversations_found", no_conversations, "ok", check=_all(_check_no_conversations)),
    Case("excel_resaved", excel_connections, "ok", check=_all(_check_excel)),
    Case("symlinks_outside", symlinks_outside, "ok", check=_all(_check_symlinks)),
    Case("unicode_names_zip", unicode_names, "ok", check=_all(_check_unicode)),
    Case("unicode_names_folder", unicode_folder, "ok", check=_all(_check_unicode_folder)),
)  # fmt: skip

BY_NAME: dict[str, Case] = {c.name: c for c in CASES}


def zip_of(files: dict[str, bytes]) -> bytes:
    """In-memory zip, for the fuzz tests."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()
