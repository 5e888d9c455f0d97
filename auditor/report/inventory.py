"""The `inventory` table: every file of the export and how each of its rows was accounted for."""

from __future__ import annotations

from datetime import datetime

from rich import box
from rich.console import Console
from rich.table import Table

from auditor.models import Export


def _month(value: datetime | None) -> str:
    return value.strftime("%Y-%m") if value is not None else ""


def render_inventory(export: Export, console: Console) -> None:
    """Print one row per file, then the totals and every rejection reason (never row text)."""
    table = Table(
        title="Files in the export", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    table.add_column("file", overflow="fold", ratio=1)
    table.add_column("kind", no_wrap=True)
    table.add_column("read", justify="right", no_wrap=True)
    table.add_column("loaded", justify="right", no_wrap=True)
    table.add_column("rej.", justify="right", no_wrap=True)
    table.add_column("dates", no_wrap=True)
    table.add_column("known", no_wrap=True)
    for f in export.files:
        dates = f"{_month(f.date_min)}..{_month(f.date_max)}" if f.date_min else ""
        name = f.path if len(export.inputs) < 2 else f"{f.path} [{f.source}]"
        table.add_row(
            name,
            f.kind,
            str(f.rows_read),
            str(f.rows_loaded),
            str(f.rows_rejected),
            dates,
            "yes" if f.understood else "no",
        )
    console.print(table)
    if not all(f.understood for f in export.files):
        console.print("known = no: a file this tool does not recognise (listed, rows counted).")
    read = sum(f.rows_read for f in export.files)
    loaded = sum(f.rows_loaded for f in export.files)
    rejected = sum(f.rows_rejected for f in export.files)
    console.print(
        f"{len(export.files)} files; rows read {read} = loaded {loaded} + rejected {rejected}; "
        f"{len(export.messages)} messages, {len(export.content)} content items"
        + (
            f"; {export.duplicates_merged} duplicate messages merged"
            if export.duplicates_merged
            else ""
        )
    )
    problems = export.issues
    if problems:
        console.print(f"{len(problems)} row issue(s):")
        for issue in problems[:50]:
            what = "rejected" if issue.rejected else "repaired"
            row = f"row {issue.row}" if issue.row else "file"
            console.print(f"  {issue.file} {row}: {what}: {issue.reason}")
        if len(problems) > 50:
            console.print(f"  … and {len(problems) - 50} more (use --json for all)")
