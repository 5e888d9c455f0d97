"""The bad-input corpus (tests/hostile.py) through the loader and through the CLI.

Each input gives either a clean result with the damage counted, or exit code 2 with exactly one
line on stderr naming the input, no traceback and no output file left behind.
"""

from __future__ import annotations

import builtins
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hostile
import loader_fixtures as fx
import pytest
from typer.testing import CliRunner

import auditor.classify
from auditor.cli import app
from auditor.errors import AuditError
from auditor.loader import load_export

runner = CliRunner()
IDS = [c.name for c in hostile.CASES]


@pytest.fixture(scope="module")
def classifier() -> Any:
    return auditor.classify.Classifier.load()


@pytest.fixture
def fast_classifier(monkeypatch: pytest.MonkeyPatch, classifier: Any) -> Iterator[None]:
    """Reuse one loaded Classifier across CLI runs (loading it is the slowest part of a run)."""
    monkeypatch.setattr(
        auditor.classify.Classifier, "load", classmethod(lambda *a, **k: classifier)
    )
    yield


@pytest.mark.parametrize("case", hostile.CASES, ids=IDS)
def test_loader(case: hostile.Case, tmp_path: Path) -> None:
    path = case.build(tmp_path)
    if case.expect == "error":
        with pytest.raises(AuditError) as info:
            load_export([path], **case.limits)  # type: ignore[arg-type]
        msg = str(info.value)
        assert "\n" not in msg and msg.startswith(str(path))
        for part in case.error_has:
            assert part in msg
        return
    ex = load_export([path], **case.limits)  # type: ignore[arg-type]
    assert case.check is not None
    case.check(ex)


@pytest.mark.parametrize("case", hostile.CASES, ids=IDS)
def test_cli(case: hostile.Case, tmp_path: Path, fast_classifier: None) -> None:
    (tmp_path / "in").mkdir()
    path = case.build(tmp_path / "in")
    outdir = tmp_path / "out"
    outdir.mkdir()
    csv_out, json_out = outdir / "flagged.csv", outdir / "report.json"
    args = ["scan", str(path), "-q", "--out", str(csv_out), "--json", str(json_out)]
    result = runner.invoke(app, [*args, *case.cli_limits()])
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if case.expect == "error":
        assert result.exit_code == 2, (result.exit_code, result.stderr)
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("linkedin-audit: error: " + str(path))
        for part in case.error_has:
            assert part in lines[0]
        assert list(outdir.iterdir()) == []
        return
    assert result.exit_code == 0, (result.exit_code, result.stderr)
    for line in result.stderr.splitlines():
        assert line.startswith("linkedin-audit: warning: "), line
    assert sorted(p.name for p in outdir.iterdir()) == ["flagged.csv", "report.json"]
    report = json.loads(json_out.read_text(encoding="utf-8"))
    assert report["files"], "the report lists the files it read"
    for f in report["files"]:
        assert f["rows_read"] == f["rows_loaded"] + f["rows_rejected"], f


def test_traversal_names_write_nothing_anywhere(tmp_path: Path) -> None:
    path = hostile.traversal_names(tmp_path)
    before = sorted(p for p in tmp_path.rglob("*"))
    load_export([path])
    assert sorted(p for p in tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "escaped").exists()


def test_symlinks_listed_but_never_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = hostile.symlinks_outside(tmp_path)
    opened: list[str] = []
    real_open = builtins.open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(os.fspath(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    ex = load_export([root])
    assert not [p for p in opened if "outside" in p or os.path.islink(p)], opened
    skipped = {f.path: f.note for f in ex.files if not f.understood and "symlink" in f.note}
    assert set(skipped) == {"guide_messages.csv", "Jobs", "dangling_or_not.csv"}


def test_symlinked_subfolder_is_not_chosen_as_the_export(tmp_path: Path) -> None:
    """A folder whose only 'export' is a link elsewhere: nothing outside is read."""
    elsewhere = fx.write_folder({"messages.csv": fx.messages_2023()}, tmp_path / "elsewhere")
    top = tmp_path / "top"
    top.mkdir()
    os.symlink(elsewhere, top / "Export_X")
    with pytest.raises(AuditError, match="not a LinkedIn data export"):
        load_export([top])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_in_folder_is_skipped_not_opened(tmp_path: Path) -> None:
    """A FIFO named like an export file would block the read forever."""
    root = fx.write_folder({"messages.csv": fx.messages_2023()}, tmp_path / "export")
    os.mkfifo(root / "Comments.csv")
    ex = load_export([root])
    (fifo,) = [f for f in ex.files if f.path == "Comments.csv"]
    assert not fifo.understood and "not a regular file" in fifo.note
    assert len(ex.messages) == 2


def test_unreadable_file_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fx.write_folder(
        {"messages.csv": fx.messages_2023(), "Profile.csv": fx.profile()}, tmp_path / "export"
    )
    target = root / "messages.csv"
    target.chmod(0)
    if os.access(target, os.R_OK):  # root ignores modes: simulate what chmod 000 does
        real_open = builtins.open

        def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
            if os.fspath(file) == str(target):
                raise PermissionError(13, "Permission denied", str(target))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", deny)
    with pytest.raises(AuditError) as info:
        load_export([root])
    msg = str(info.value)
    assert msg == f"{root}: cannot read 'messages.csv' (PermissionError)"
    result = runner.invoke(app, ["scan", str(root), "-q"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"linkedin-audit: error: {msg}"]


def test_unreadable_subfolder_is_an_error_not_a_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = fx.write_folder(
        {"messages.csv": fx.messages_2023(), "Jobs/Saved Jobs.csv": b"a\n1\n"}, tmp_path / "ex"
    )
    jobs = root / "Jobs"
    jobs.chmod(0)
    try:
        if os.access(jobs, os.R_OK):  # running as root: make listing that folder fail
            real_scandir = os.scandir

            def deny(path: Any = ".") -> Any:
                if os.fspath(path) == str(jobs):
                    raise PermissionError(13, "Permission denied", str(jobs))
                return real_scandir(path)

            monkeypatch.setattr(os, "scandir", deny)
        with pytest.raises(AuditError) as info:
            load_export([root])
        assert str(info.value) == f"{root}: cannot read the folder 'Jobs' (PermissionError)"
    finally:
        jobs.chmod(0o700)


def test_unreadable_folder_beside_a_nested_export_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = fx.write_folder({"messages.csv": fx.messages_2023()}, tmp_path / "top", nest="Export_X")
    junk = top / "lost+found"
    junk.mkdir()
    real_scandir = os.scandir

    def deny(path: Any = ".") -> Any:
        if os.fspath(path) == str(junk):
            raise PermissionError(13, "Permission denied", str(junk))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    assert len(load_export([top]).messages) == 2
    (top / "Export_X" / "messages.csv").unlink()  # now nothing else is found: the error names it
    with pytest.raises(AuditError, match="lost\\+found"):
        load_export([top])


def test_unreadable_input_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fx.write_zip({"messages.csv": fx.messages_2023()}, tmp_path / "x.zip")
    real_open = builtins.open

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    with pytest.raises(AuditError, match=r"cannot open the file \(PermissionError\)$"):
        load_export([path])


def test_corpus_covers_both_outcomes_and_limits() -> None:
    """Guard against a corpus that silently loses its error cases or its custom limits."""
    outcomes = {c.expect for c in hostile.CASES}
    assert outcomes == {"ok", "error"}
    assert hostile.BY_NAME["bomb_by_ratio"].cli_limits() == ["--max-ratio", "50.0"]
    assert hostile.BY_NAME["bomb_by_total"].cli_limits() == ["--max-size", "600"]
    # without the small limits, the total case is a normal export: the limit is what bites
    with zipfile.ZipFile(hostile.bomb_by_total(_fresh())) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 600


def _fresh() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp())
