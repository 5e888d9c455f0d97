"""Atomic owner-only writes: no temp file left on error, 0600, inputs never overwritten."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest

from auditor.errors import AuditError
from auditor.outfiles import atomic_open, atomic_write_bytes


def test_writes_with_owner_only_mode_even_with_open_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        target = tmp_path / "r.json"
        target.write_text("old")
        os.chmod(target, 0o644)
        atomic_write_bytes(target, b"new")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_error_mid_write_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "flagged.csv"
    target.write_bytes(b"previous")

    class Boom(Exception):
        pass

    with pytest.raises(Boom), atomic_open(target) as handle:
        handle.write(b"partial")
        raise Boom
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flagged.csv"]


def test_os_error_becomes_audit_error_without_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(AuditError, match="cannot write"):
        atomic_write_bytes(tmp_path / "x.csv", b"data")
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite_an_input(tmp_path: Path) -> None:
    export = tmp_path / "export.zip"
    export.write_bytes(b"PK")
    with pytest.raises(AuditError, match="one of the inputs"):
        atomic_write_bytes(export, b"x", inputs=[str(export)])
    sneaky = tmp_path / "sub" / ".." / "export.zip"
    (tmp_path / "sub").mkdir()
    with pytest.raises(AuditError, match="one of the inputs"):
        atomic_write_bytes(sneaky, b"x", inputs=[str(export)])
    assert export.read_bytes() == b"PK"


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="does not exist"):
        atomic_write_bytes(tmp_path / "nope" / "x.csv", b"x")


def test_target_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match="is a folder"):
        atomic_write_bytes(tmp_path, b"x")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_read_only_folder(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    try:
        with pytest.raises(AuditError, match="not writable"):
            atomic_write_bytes(ro / "x.csv", b"x")
    finally:
        os.chmod(ro, 0o700)


def test_unwritable_folder_reported_as_audit_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores folder modes, so simulate what mkstemp raises in a read-only folder.
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(AuditError, match=r"cannot write .*Permission denied"):
        atomic_write_bytes(tmp_path / "x.csv", b"x")
    assert list(tmp_path.iterdir()) == []


def test_relative_target_in_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    atomic_write_bytes(Path("flagged.csv"), b"ok")
    assert (tmp_path / "flagged.csv").read_bytes() == b"ok"
    with pytest.raises(AuditError, match="one of the inputs"):
        atomic_write_bytes(Path("flagged.csv"), b"x", inputs=[str(tmp_path / "flagged.csv")])
