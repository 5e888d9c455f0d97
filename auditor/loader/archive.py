"""Inputs as a flat list of entries: a zip (read through `zipfile` streams, never extracted),
a zip inside a zip (opened in memory), or a folder with the export at its root or one level down.

Zip bombs are refused before anything is decompressed, from the sizes the central directory
declares; `zipfile` itself never returns more bytes than declared, so the check holds.
"""

from __future__ import annotations

import io
import itertools
import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from typing import IO

from auditor.errors import AuditError
from auditor.loader.csvread import Records
from auditor.loader.files import by_header, is_known_name

__all__ = ["ArchiveReadError", "Entry", "Limits", "Source", "open_source"]

_MIB = 1 << 20
_HEADER_PROBES = 50  # CSV files whose header is read when no file name is known
_MAX_NESTING = 2  # X.zip.zip holding X.zip: one inner level (plus one spare)


class ArchiveReadError(Exception):
    """Reading an entry's bytes failed (corrupt/truncated member): fatal for the input."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_total_bytes: int
    max_ratio: float


@dataclass(frozen=True, slots=True)
class Entry:
    """One file of the export: its path inside the export ('/'-separated) and how to open it."""

    name: str
    size: int
    opener: Callable[[], IO[bytes]]

    def open(self) -> IO[bytes]:
        """A buffered binary stream whose read errors all surface as ArchiveReadError."""
        try:
            raw = self.opener()
        except Exception as exc:
            raise ArchiveReadError(type(exc).__name__) from exc
        return io.BufferedReader(_Guarded(raw), buffer_size=1 << 16)


class _Guarded(io.RawIOBase):
    """Turns any error raised while reading (bad CRC, zlib error, EOF) into ArchiveReadError."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except Exception as exc:
            raise ArchiveReadError(type(exc).__name__) from exc
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        with suppress(Exception):
            self._inner.close()
        super().close()


@dataclass(frozen=True, slots=True)
class Source:
    """One input (zip or folder) with its entries."""

    label: str  # the input path as given
    entries: tuple[Entry, ...]
    is_zip: bool
    # Folder items not read, with why: symbolic links (never followed: they may point anywhere
    # on the machine) and special files (a FIFO would block forever). Paths relative to the root.
    skipped: tuple[tuple[str, str], ...] = ()


def _fail(label: str, reason: str) -> AuditError:
    return AuditError(f"{label}: {reason}")


def _check_zip(label: str, zf: zipfile.ZipFile, limits: Limits, already: int) -> int:
    """Refuse encrypted zips and zip bombs; return the running total of declared bytes."""
    total = already
    for info in zf.infolist():
        if info.flag_bits & 0x1:
            raise _fail(label, "the zip is encrypted; export it again or decrypt it first")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise _fail(
                label,
                f"uncompressed size exceeds the limit of {limits.max_total_bytes} bytes "
                "(possible zip bomb; raise it with --max-size)",
            )
        if info.file_size > _MIB and info.compress_type != zipfile.ZIP_STORED:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                raise _fail(
                    label,
                    f"an entry's compression ratio {ratio:.0f} exceeds the limit of "
                    f"{limits.max_ratio:g} (possible zip bomb; raise it with --max-ratio)",
                )
    return total


def _strip_root(entries: list[Entry]) -> list[Entry]:
    """A re-zipped unzipped folder holds `Export_X/messages.csv`: drop that single top folder so
    names read as in LinkedIn's own zip (`messages.csv`, `Jobs/…`, `Articles/…`)."""
    if any("/" not in e.name and is_known_name(e.name) for e in entries):
        return entries
    tops = {e.name.split("/", 1)[0] for e in entries}
    if len(tops) != 1 or not all("/" in e.name for e in entries):
        return entries
    top = tops.pop()
    if top.lower() in ("jobs", "articles"):
        return entries
    cut = len(top) + 1
    return [Entry(e.name[cut:], e.size, e.opener) for e in entries]


def _zip_opener(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: zf.open(info)


def _open_zip(
    label: str, file: str | IO[bytes], limits: Limits, stack: ExitStack, depth: int, used: int
) -> tuple[list[Entry], int]:
    try:
        zf = stack.enter_context(zipfile.ZipFile(file))
    except zipfile.BadZipFile as exc:
        raise _fail(label, "not a zip file, or a truncated/corrupt one") from exc
    except (OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise _fail(label, f"cannot open the zip ({type(exc).__name__})") from exc
    used = _check_zip(label, zf, limits, used)
    if any(not i.filename for i in zf.infolist()):  # (is_dir() itself fails on those)
        raise _fail(label, "corrupt zip: an entry has no name")
    infos = [i for i in zf.infolist() if not i.is_dir()]
    entries = _strip_root(
        [Entry(i.filename.replace("\\", "/"), i.file_size, _zip_opener(zf, i)) for i in infos]
    )
    if depth < _MAX_NESTING and not any(is_known_name(e.name) for e in entries):
        inner = [i for i in infos if i.filename.lower().endswith(".zip")]
        nested: list[Entry] = []
        for info in inner:
            try:
                with zf.open(info) as member:
                    data = member.read()
            except Exception as exc:
                raise _fail(label, f"corrupt zip member {info.filename!r}") from exc
            more, used = _open_zip(
                f"{label} ({info.filename})", io.BytesIO(data), limits, stack, depth + 1, used
            )
            nested.extend(more)
        if nested:
            return nested, used
    return entries, used


def _folder_entries(label: str, root: str, skipped: list[tuple[str, str]]) -> list[Entry]:
    """Regular files under `root`, sorted. Symbolic links (files or folders) are listed in
    `skipped`, never followed; an unreadable sub-folder is an error, not a silent gap."""

    def unreadable(exc: OSError) -> None:
        where = os.path.relpath(exc.filename or root, root).replace(os.sep, "/")
        raise _fail(label, f"cannot read the folder {where!r} ({type(exc).__name__})")

    entries: list[Entry] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        for dn in sorted(dirnames):
            if os.path.islink(os.path.join(dirpath, dn)):
                rel = os.path.relpath(os.path.join(dirpath, dn), root).replace(os.sep, "/")
                skipped.append((rel, "symlink to a folder not followed"))
        dirnames[:] = sorted(d for d in dirnames if not os.path.islink(os.path.join(dirpath, d)))
        for fn in sorted(filenames):
            full = os.path.join(dirpath, fn)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            try:
                st = os.lstat(full)
            except OSError as exc:
                raise _fail(label, f"cannot read {rel!r} ({type(exc).__name__})") from exc
            if stat.S_ISLNK(st.st_mode):
                skipped.append((rel, "symlink not followed"))
                continue
            if not stat.S_ISREG(st.st_mode):
                skipped.append((rel, "not a regular file; skipped"))
                continue
            entries.append(Entry(rel, st.st_size, _file_opener(full)))
    return entries


def _file_opener(path: str) -> Callable[[], IO[bytes]]:
    return lambda: open(path, "rb")  # closed by the caller


def _pick_folder_root(label: str, root: str) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The export at the folder's root, or in one sub-folder (users who unzip get
    `Export_X/Export_X/messages.csv`): choose the sub-folder holding the most known files.
    Symbolic links are not followed here either."""
    try:
        top = sorted(os.listdir(root))
    except OSError as exc:
        raise _fail(label, f"cannot read the folder ({type(exc).__name__})") from exc

    def real(name: str, test: Callable[[str], bool]) -> bool:
        path = os.path.join(root, name)
        return not os.path.islink(path) and test(path)

    skipped: list[tuple[str, str]] = []
    if any(is_known_name(n) for n in top if real(n, os.path.isfile)):
        return _folder_entries(label, root, skipped), skipped
    best: list[Entry] = []
    best_skipped: list[tuple[str, str]] = []
    best_known = 0
    for name in top:
        if not real(name, os.path.isdir):
            continue
        sub_skipped: list[tuple[str, str]] = []
        try:
            sub_entries = _folder_entries(label, os.path.join(root, name), sub_skipped)
        except AuditError:
            continue  # an unreadable folder beside the export; if nothing else is found, the
            # walk of the whole folder below names it
        known = sum(1 for e in sub_entries if is_known_name(e.name))
        if known > best_known:
            best, best_skipped, best_known = sub_entries, sub_skipped, known
    if best:
        return best, best_skipped
    return _folder_entries(label, root, skipped), skipped


def _any_known_header(entries: list[Entry]) -> bool:
    """Renamed files (`messages (1).csv`) still make an export: look at a few CSV headers."""
    csvs = [e for e in entries if e.name.lower().endswith(".csv")][:_HEADER_PROBES]
    for entry in csvs:
        try:
            with entry.open() as fh:
                for rec in itertools.islice(iter(Records(fh)), 5):
                    if by_header(rec) != "unknown":
                        return True
        except ArchiveReadError:
            continue  # not an export file we could use anyway
    return False


@contextmanager
def open_source(path: str | os.PathLike[str], limits: Limits) -> Iterator[Source]:
    """Open one input; raise AuditError when it is missing, not a zip, corrupt, encrypted,
    a zip bomb, or holds no LinkedIn export."""
    label = os.fspath(path)
    if not os.path.exists(label):
        raise _fail(label, "no such file or folder")
    with ExitStack() as stack:
        skipped: list[tuple[str, str]] = []
        if os.path.isdir(label):
            entries, skipped = _pick_folder_root(label, label)
            is_zip = False
        else:
            try:
                fh = stack.enter_context(open(label, "rb"))
            except OSError as exc:
                raise _fail(label, f"cannot open the file ({type(exc).__name__})") from exc
            entries, _ = _open_zip(label, fh, limits, stack, 0, 0)
            is_zip = True
        if not any(is_known_name(e.name) for e in entries) and not _any_known_header(entries):
            raise _fail(
                label,
                "not a LinkedIn data export (no messages.csv, Connections.csv, Profile.csv, "
                "Registration.csv or other known file found)",
            )
        yield Source(label, tuple(entries), is_zip, tuple(skipped))
