"""Where a synthetic export is written: a zip (entries at the root, deflate) or a folder.

Zip entries get a fixed timestamp, fixed attributes and are written in sorted name order, so the
same seed gives the same bytes (with the same zlib).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

# name inside the export, text encoding, writer of the whole text
Writer = Callable[[TextIO], None]


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of an export."""

    name: str  # "/"-separated path inside the export, e.g. "Jobs/Saved Jobs.csv"
    write: Writer
    encoding: str = "utf-8"


def _utf16_bom(write: Writer) -> Writer:
    def wrapped(out: TextIO) -> None:
        out.write("\ufeff")
        write(out)

    return wrapped


def utf16_entry(name: str, write: Writer) -> Entry:
    """2018 exports: UTF-16LE with a BOM (written explicitly, not via platform byte order)."""
    return Entry(name, _utf16_bom(write), "utf-16-le")


def write_zip(
    path: Path, entries: Iterable[Entry], date_time: tuple[int, int, int, int, int, int]
) -> Path:
    """Stream every entry into a deflated zip; no directory entries, like LinkedIn's archives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry in sorted(entries, key=lambda e: e.name):
            info = zipfile.ZipInfo(entry.name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            with (
                zf.open(info, "w") as raw,
                io.TextIOWrapper(raw, encoding=entry.encoding, newline="") as text,
            ):
                entry.write(text)
    return path


def write_dir(root: Path, entries: Iterable[Entry]) -> Path:
    """Write the entries as files under `root`, creating the `Jobs/`-style sub-folders."""
    for entry in sorted(entries, key=lambda e: e.name):
        target = root.joinpath(*entry.name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding=entry.encoding, newline="") as out:
            entry.write(out)
    return root
