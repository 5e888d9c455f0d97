"""Atomic, owner-only report files.

Reports hold the member's private text, so they are created 0600 and appear only when complete: a
temp file in the target's folder (same filesystem, so the rename is atomic), fsync, os.replace.
A failed run leaves the previous file (if any) untouched and no temp file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from auditor.errors import AuditError

FILE_MODE = 0o600


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_target(target: Path, inputs: Sequence[str] = ()) -> None:
    """Refuse to write over an input, into a missing folder, or onto a folder."""
    for given in inputs:
        if _same_file(target, Path(given)):
            raise AuditError(f"refusing to write {target}: it is one of the inputs")
    folder = target.parent
    if not folder.is_dir():
        raise AuditError(f"cannot write {target}: folder {folder} does not exist")
    if target.is_dir():
        raise AuditError(f"cannot write {target}: it is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AuditError(f"cannot write {target}: folder {folder} is not writable")


@contextlib.contextmanager
def atomic_open(target: Path, *, inputs: Sequence[str] = ()) -> Iterator[BinaryIO]:
    """A binary file that replaces `target` (mode 0600) only if the block finishes.

    Streams: callers can write any amount without holding it in memory.
    """
    target = Path(target)
    check_target(target, inputs)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise AuditError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise AuditError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    with contextlib.suppress(OSError):  # make the rename durable; not possible everywhere
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def atomic_write_bytes(target: Path, data: bytes, *, inputs: Sequence[str] = ()) -> None:
    """Write `data` to `target` atomically with owner-only permissions."""
    with atomic_open(target, inputs=inputs) as handle:
        handle.write(data)
