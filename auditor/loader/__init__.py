"""The loader: a LinkedIn export (zips and/or folders) in, typed records and accounting out.

Only this package reads files. Every row read is accounted for (loaded or rejected with a
reason); unusable input raises AuditError with one line naming the input, never anything else.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence

from auditor.errors import AuditError
from auditor.loader.archive import Limits
from auditor.loader.export import load
from auditor.models import Export

__all__ = ["DEFAULT_MAX_RATIO", "DEFAULT_MAX_TOTAL_BYTES", "load_export"]

DEFAULT_MAX_TOTAL_BYTES: int = 4 * 1024**3  # 4 GiB uncompressed over a whole input
DEFAULT_MAX_RATIO: float = 200.0  # per entry above 1 MiB; CSV rarely compresses beyond ~20x


def load_export(
    paths: Sequence[str | os.PathLike[str]],
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> Export:
    """Load one member's export from one or more inputs (Basic + Complete are merged)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    # Millions of small records and no reference cycles: the cyclic GC would only rescan the
    # growing heap again and again (about a third of the load time at 1M messages).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return load(paths, Limits(max_total_bytes, max_ratio))
    except AuditError:
        raise
    except MemoryError as exc:
        raise AuditError(f"{_first(paths)}: out of memory while loading") from exc
    except RecursionError as exc:
        raise AuditError(f"{_first(paths)}: input too deeply nested") from exc
    finally:
        if gc_was_enabled:
            gc.enable()


def _first(paths: Sequence[str | os.PathLike[str]]) -> str:
    return ", ".join(os.fspath(p) for p in paths) or "input"
