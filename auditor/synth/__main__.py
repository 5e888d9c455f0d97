"""`python -m auditor.synth --out sample_exports` regenerates the committed samples;
`--style 2026 --messages 100000 --out big.zip` writes one bigger export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from auditor.synth import write_export, write_samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.synth", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="output folder (or zip path)")
    parser.add_argument(
        "--style",
        choices=("2026", "2025", "2024", "2021", "2018"),
        help="write one export of this vintage instead of the samples",
    )
    parser.add_argument("--messages", type=int, default=1000, help="message rows (with --style)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folder", action="store_true", help="write a folder, not a zip")
    args = parser.parse_args(argv)
    if args.style is None:
        paths = write_samples(args.out)
    else:
        paths = [
            write_export(
                args.out,
                style=args.style,
                n_messages=args.messages,
                seed=args.seed,
                as_zip=not args.folder,
            )
        ]
    for path in paths:
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
