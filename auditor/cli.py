"""Thin typer layer (placeholder until the pipeline lands; replaced by the lead)."""

from __future__ import annotations


def main() -> None:
    """Entry point of the `linkedin-audit` script."""
    raise SystemExit("linkedin-audit: not built yet")
