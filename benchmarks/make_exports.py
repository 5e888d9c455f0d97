"""Generate the synthetic exports the scan benchmark runs on (deterministic, fictional data).

    python benchmarks/make_exports.py [--sizes 5k,10k,100k,1m] [--out benchmarks/data]

Each size becomes `export-<size>.zip`: a zipped 2026-style export (every field quoted,
multi-line contents, about 10% sensitive, all kinds of messages) from `auditor.synth`. Exports
already present are kept, so reruns are cheap; delete the folder to regenerate. The folder is
git-ignored. 1M messages take about 20 s and 60 MB of zip (about 250 MB of messages.csv).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from auditor.synth import write_export

DEFAULT_SIZES = "5k,10k,100k,1m"
DEFAULT_OUT = Path(__file__).resolve().parent / "data"
SEED = 2026  # fixed: the same sizes always give byte-identical exports


def parse_size(text: str) -> int:
    """'10k' -> 10_000, '1m' -> 1_000_000, '2500' -> 2500."""
    t = text.strip().lower().replace("_", "")
    mult = 1
    if t.endswith("k"):
        mult, t = 1_000, t[:-1]
    elif t.endswith("m"):
        mult, t = 1_000_000, t[:-1]
    try:
        value = float(t) * mult
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 10k, 1m)") from None
    if value < 0 or value != int(value):
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    return int(value)


def parse_sizes(text: str) -> list[int]:
    return [parse_size(s) for s in text.split(",") if s.strip()]


def size_label(n: int) -> str:
    """1_000_000 -> '1m', 100_000 -> '100k', 2500 -> '2500' (file names and table rows)."""
    if n and n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def export_path(out: Path, n: int) -> Path:
    return out / f"export-{size_label(n)}.zip"


def ensure_export(out: Path, n: int, *, quiet: bool = False) -> Path:
    """The export of `n` messages in `out`, generated unless already there."""
    path = export_path(out, n)
    if path.is_file():
        if not quiet:
            print(f"{path}: present, kept")
        return path
    out.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".zip.part")
    t0 = time.perf_counter()
    write_export(tmp, style="2026", n_messages=n, seed=SEED)
    tmp.replace(path)  # never leave a half-written export under the final name
    if not quiet:
        mb = path.stat().st_size / 1e6
        print(f"{path}: {n:,} messages, {mb:.1f} MB zip, {time.perf_counter() - t0:.1f} s")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    for n in args.sizes:
        ensure_export(args.out, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
