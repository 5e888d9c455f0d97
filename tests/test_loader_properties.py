"""Property tests: whatever the bytes, the loader returns an Export or raises AuditError, and
every file's accounting balances."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import loader_fixtures as fx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import AuditError
from auditor.loader import load_export
from auditor.models import Export

# LOADER_EXAMPLES=5000 for a long hunt; the default keeps the suite fast.
SETTINGS = settings(
    max_examples=int(os.environ.get("LOADER_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# CSV-ish building blocks make the parser reach deeper than uniform random bytes.
_TOKENS = [
    ",", '"', '""', "\n", "\r\n", "\r", "\t", "\\", '\\"', "<p>", "</p>", "<br>", "&amp;", "\x00",
    "\ufeff", "é", "✓", "a", "b c", "0", "CONTENT", "DATE", "FROM", "TO", "SUBJECT",
    "CONVERSATION ID", "CONVERSATION TITLE", "SENDER PROFILE URL", "RECIPIENT PROFILE URLS",
    "IS MESSAGE DRAFT", "Yes", "https://www.linkedin.com/in/x", "2024-01-01 10:00:00 UTC",
    "3/12/24, 11:20 AM", "16 Dec 2024", "No conversations found", "First Name", "Connected On",
    "Sponsored Conversation", "spinmail",
]  # fmt: skip
csvish = st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join)
encoded = st.one_of(
    csvish.map(lambda s: s.encode("utf-8", "surrogatepass")),
    csvish.map(lambda s: s.encode("utf-16", "surrogatepass")),
    st.binary(max_size=400),
)
names = st.sampled_from(
    [
        "messages.csv", "Messages.csv", "guide_messages.csv", "LearningCoachMessages.csv",
        "Comments.csv", "Shares.csv", "Connections.csv", "Profile.csv", "Invitations.csv",
        "Ad_Targeting.csv", "Receipts_v2.csv", "Registration.csv", "Rich_Media.csv",
        "Jobs/Job Applications.csv", "Articles/Articles/2020-01-01 10_00_00.0-T.html", "odd.csv",
        "inner.zip",
    ]
)  # fmt: skip


def _check(path: Path) -> Export | None:
    try:
        ex = load_export([path])
    except AuditError as exc:
        assert "\n" not in str(exc)
        return None
    for f in ex.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        assert min(f.rows_read, f.rows_loaded, f.rows_rejected) >= 0
    # a reader crash is caught and costs one file; it must never happen on any input
    assert not [i for i in ex.issues if "stopped reading" in i.reason]
    for m in ex.messages:
        assert m.date is None or m.date.utcoffset() is not None
    return ex


@SETTINGS
@given(files=st.dictionaries(names, encoded, min_size=1, max_size=4))
def test_arbitrary_files_inside_a_zip(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as d:
        _check(fx.write_zip({"Profile.csv": fx.profile(), **files}, Path(d) / "x.zip"))


@SETTINGS
@given(data=encoded)
def test_arbitrary_messages_csv_in_zip_and_folder(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        z = _check(fx.write_zip({"messages.csv": data}, Path(d) / "x.zip"))
        f = _check(fx.write_folder({"messages.csv": data}, Path(d) / "folder"))
        assert (z is None) == (f is None)
        if z is not None and f is not None:
            assert z.messages == f.messages


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_as_the_zip(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.zip"
        p.write_bytes(data)
        _check(p)


_VALID = fx.zip_bytes(
    {"messages.csv": fx.messages_2026(), "Comments.csv": fx.comments_2024(), "x.csv": b"a\n1\n"}
)


@SETTINGS
@given(flips=st.lists(st.tuples(st.integers(0, len(_VALID) - 1), st.integers(1, 255)), max_size=8))
def test_corrupted_valid_zip(flips: list[tuple[int, int]]) -> None:
    raw = bytearray(_VALID)
    for pos, mask in flips:
        raw[pos] ^= mask
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.zip"
        p.write_bytes(bytes(raw))
        _check(p)
