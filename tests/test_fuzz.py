"""A short, bounded fuzz run over the zip layer and the CSV layer (hypothesis, not atheris:
no extra dependency, and it shrinks what it finds). FUZZ_EXAMPLES=5000 for a long hunt.

Whatever the bytes: the loader returns an Export whose accounting balances or raises AuditError
with one line; no reader ever crashes (a crash would show as a "stopped reading" issue); the CLI
exits 0 or 2, never with a traceback.
"""

from __future__ import annotations

import os
import tempfile
import warnings
import zipfile
from pathlib import Path

import loader_fixtures as fx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from auditor.cli import app
from auditor.errors import AuditError
from auditor.loader import load_export

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "80"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_TOKENS = [
    ",", '"', '""', "\n", "\r\n", "\r", "\t", "\\", '\\"', "\x00", "\ufeff", "<p>", "</p>",
    "&amp;", "é", "\U0001f600", "\u05e9", "a", "b c", "0", "CONTENT", "DATE", "FROM", "TO",
    "Message", "Date", "Link", "ShareCommentary", "2024-01-01 10:00:00 UTC", "2024-03-17 18:03:38",
    "3/12/24, 11:20 AM", "16 Dec 2024", "0000-01-01 00:00:00 UTC", "9999-12-31 23:59:59 UTC",
    "No conversations found", "Notes:", "First Name", "Connected On", "=1+1",
]  # fmt: skip
csv_text = st.lists(st.sampled_from(_TOKENS), max_size=80).map("".join)
csv_bytes = st.one_of(
    csv_text.map(lambda s: s.encode("utf-8")),
    csv_text.map(lambda s: s.encode("utf-16-le")),
    csv_text.map(lambda s: b"\xff\xfe" + s.encode("utf-16-le")),
    st.binary(max_size=300),
)
HEADERS = {
    "messages.csv": ",".join(fx.H2025),
    "Messages.csv": ",".join(fx.H2018),
    "Comments.csv": "Date,Link,Message",
    "Shares.csv": "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility",
    "Connections.csv": "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "Invitations.csv": "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
    "Profile.csv": "First Name,Last Name,Headline,Summary",
    "Receipts_v2.csv": "Transaction Made At,Description",
    "Ad_Targeting.csv": "Company Names,Company Names,Job Titles",
    "Jobs/Job Applications.csv": "Application Date,Job Title,Company Name,Question And Answers",
    "Rich_Media.csv": "Date/Time,Media Description,Media Link",
    "unknown (1).csv": ",".join(fx.H2023),
}
_ODD_NAMES = [
    "../../x/messages.csv", "/abs/Profile.csv", "a/b/c/Comments.csv", "Export_X/messages.csv",
    "Articles/Articles/2020-01-01 10_00_00.0-T.html", "inner.zip", "\u6587\u4ef6.csv", "dir/",
    "x.zip",
]  # fmt: skip
entry_names = st.one_of(st.sampled_from(sorted(HEADERS)), st.sampled_from(_ODD_NAMES))
compression = st.sampled_from(
    [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)


@st.composite
def export_zip(draw: st.DrawFn) -> bytes:
    """A zip of CSV-ish entries (headers of real files, hostile bodies), maybe nested, then
    mutated: flipped bytes, a cut, or an inserted run."""
    files: list[tuple[str, bytes]] = [("Profile.csv", fx.profile())]
    for name in draw(st.lists(entry_names, max_size=5)):
        head = HEADERS.get(name.rsplit("/", 1)[-1], HEADERS.get(name, ""))
        body = draw(csv_bytes)
        if name.endswith(".zip"):
            body = fx.zip_bytes({"messages.csv": (HEADERS["messages.csv"] + "\n").encode() + body})
        files.append((name, (head + "\n").encode() + body if head else body))
    path = Path(tempfile.mkstemp(suffix=".zip")[1])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate names are part of the fuzz
            with zipfile.ZipFile(path, "w") as zf:
                for name, data in files:
                    zf.writestr(name, data, compress_type=draw(compression))
        raw = bytearray(path.read_bytes())
    finally:
        path.unlink()
    for pos, mask in draw(st.lists(st.tuples(st.integers(0, len(raw) - 1), st.integers(1, 255)),
                                   max_size=4)):  # fmt: skip
        raw[pos] ^= mask
    cut = draw(st.one_of(st.none(), st.integers(0, len(raw))))
    if cut is not None:
        del raw[cut:]
    return bytes(raw)


def _check(path: Path) -> None:
    try:
        ex = load_export([path])
    except AuditError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    for f in ex.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected >= 0, f
    assert not [i for i in ex.issues if "stopped reading" in i.reason], ex.issues


@FUZZ
@given(data=export_zip())
def test_fuzz_zip_layer(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "export.zip"
        path.write_bytes(data)
        _check(path)


@FUZZ
@given(name=st.sampled_from(sorted(HEADERS)), body=csv_bytes, header=st.booleans())
def test_fuzz_csv_layer(name: str, body: bytes, header: bool) -> None:
    data = (HEADERS[name] + "\n").encode() + body if header else body
    with tempfile.TemporaryDirectory() as d:
        _check(fx.write_zip({"Profile.csv": fx.profile(), name: data}, Path(d) / "z.zip"))
        _check(fx.write_folder({"Profile.csv": fx.profile(), name: data}, Path(d) / "folder"))


runner = CliRunner()


@settings(max_examples=max(EXAMPLES // 8, 5), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(data=export_zip())
def test_fuzz_cli_exit_codes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "export.zip"
        path.write_bytes(data)
        out = Path(d) / "out.csv"
        result = runner.invoke(app, ["scan", str(path), "-q", "--out", str(out)])
        assert result.exit_code in (0, 2), (result.exit_code, result.exception)
        assert "Traceback" not in result.stderr
        if result.exit_code == 2:
            assert len(result.stderr.splitlines()) == 1
            assert not out.exists()
