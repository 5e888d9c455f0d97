"""Unusable input raises AuditError with one line naming the input, and nothing else."""

from __future__ import annotations

import zipfile
from pathlib import Path

import loader_fixtures as fx
import pytest

from auditor.errors import AuditError
from auditor.loader import DEFAULT_MAX_RATIO, DEFAULT_MAX_TOTAL_BYTES, load_export


def _error(paths: list[Path], **kw: float) -> str:
    with pytest.raises(AuditError) as info:
        load_export(paths, **kw)  # type: ignore[arg-type]
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith(str(paths[0]))
    return msg


def test_defaults_are_sane() -> None:
    assert DEFAULT_MAX_TOTAL_BYTES >= 1 << 30
    assert DEFAULT_MAX_RATIO >= 50


def test_missing_path(tmp_path: Path) -> None:
    assert "no such file" in _error([tmp_path / "nope.zip"])


def test_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "export.zip"
    p.write_bytes(b"First Name,Last Name\nA,B\n")
    assert "not a zip" in _error([p])


def test_truncated_zip(tmp_path: Path) -> None:
    whole = fx.zip_bytes(fx.rich_export())
    p = tmp_path / "cut.zip"
    p.write_bytes(whole[: len(whole) // 2])
    assert "zip" in _error([p])


def test_corrupt_member(tmp_path: Path) -> None:
    data = b"CONVERSATION ID,CONTENT,DATE\n" + b"2-a,hello there,2023-01-01 10:00:00 UTC\n" * 200
    p = fx.write_zip({"messages.csv": data}, tmp_path / "bad.zip")
    raw = bytearray(p.read_bytes())
    start = raw.index(b"messages.csv") + len(b"messages.csv") + 20
    for i in range(start, start + 40):
        raw[i] ^= 0x5A
    p.write_bytes(bytes(raw))
    msg = _error([p])
    assert "corrupt" in msg and "messages.csv" in msg


def test_encrypted_zip(tmp_path: Path) -> None:
    p = fx.write_zip({"messages.csv": fx.messages_2023()}, tmp_path / "enc.zip")
    raw = bytearray(p.read_bytes())
    # Set general-purpose flag bit 0 (encrypted) in the local and central directory headers.
    raw[raw.index(b"PK\x03\x04") + 6] |= 0x1
    raw[raw.index(b"PK\x01\x02") + 8] |= 0x1
    p.write_bytes(bytes(raw))
    assert zipfile.ZipFile(p).infolist()[0].flag_bits & 0x1
    assert "encrypted" in _error([p])


def test_bomb_by_ratio(tmp_path: Path) -> None:
    p = fx.write_zip({"messages.csv": b"\0" * (3 << 20)}, tmp_path / "bomb.zip")
    msg = _error([p])
    assert "ratio" in msg and "--max-ratio" in msg
    # the flag raises the limit
    ex = load_export([p], max_ratio=1e9)
    assert len(ex.files) == 1


def test_bomb_by_total(tmp_path: Path) -> None:
    p = fx.write_zip(fx.rich_export(), tmp_path / "big.zip")
    msg = _error([p], max_total_bytes=1000)
    assert "--max-size" in msg


def test_nested_zip_obeys_limits(tmp_path: Path) -> None:
    inner = fx.zip_bytes({"messages.csv": b"\0" * (3 << 20)})
    p = fx.write_zip({"X.zip": inner}, tmp_path / "X.zip.zip", compression=zipfile.ZIP_STORED)
    assert "--max-ratio" in _error([p])


def test_zip_that_is_not_an_export(tmp_path: Path) -> None:
    p = fx.write_zip({"holiday.jpg": b"\xff\xd8", "notes.csv": b"a,b\n1,2\n"}, tmp_path / "x.zip")
    assert "not a LinkedIn data export" in _error([p])


def test_folder_that_is_not_an_export(tmp_path: Path) -> None:
    d = tmp_path / "photos"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt").write_text("hi")
    assert "not a LinkedIn data export" in _error([d])


def test_second_input_error_names_that_input(tmp_path: Path) -> None:
    good = fx.write_zip(fx.rich_export(), tmp_path / "good.zip")
    bad = tmp_path / "missing.zip"
    with pytest.raises(AuditError) as info:
        load_export([good, bad])
    assert str(info.value).startswith(str(bad))


def test_renamed_files_still_make_an_export(tmp_path: Path) -> None:
    p = fx.write_zip({"messages (1).csv": fx.messages_2023()}, tmp_path / "x.zip")
    ex = load_export([p])
    assert len(ex.messages) == 2
