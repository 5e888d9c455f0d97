"""Golden files for the three reports on the fixed hand-built export.

After an intended change: `UPDATE_GOLDEN=1 pytest tests/test_report_golden.py`, then review the
diff of tests/golden/ before committing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from report_fixtures import SEVERITY, TOPICS, build, settings
from rich.console import Console

from auditor.report.csvout import flagged_rows, write_flagged_csv
from auditor.report.jsonout import report_dict, write_json
from auditor.report.summary import Summary, build_summary
from auditor.report.terminal import render_summary

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(actual)
        return
    if not path.exists():
        pytest.fail(f"missing golden file {path}; run with UPDATE_GOLDEN=1")
    # Line ends normalised: a checkout with autocrlf must not fail (CSV CRLF is tested elsewhere).
    expected = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    assert actual.decode("utf-8").replace("\r\n", "\n") == expected


def summary() -> Summary:
    e, m, c = build()
    return build_summary(e, m, c, settings(), topics=TOPICS, severity=SEVERITY)


@pytest.mark.parametrize(
    ("name", "redact"), [("summary.txt", False), ("summary_redacted.txt", True)]
)
def test_terminal(name: str, redact: bool) -> None:
    console = Console(width=80, no_color=True, record=True, file=io.StringIO())
    render_summary(summary(), console, redact=redact)
    check(name, console.export_text().encode("utf-8"))


@pytest.mark.parametrize(
    ("name", "redact"), [("flagged.csv", False), ("flagged_redacted.csv", True)]
)
def test_csv(tmp_path: Path, name: str, redact: bool) -> None:
    e, m, c = build()
    out = tmp_path / name
    rows = flagged_rows(e, m, c, settings(), severity=SEVERITY, redact=redact, no_content=False)
    write_flagged_csv(str(out), rows)
    check(name, out.read_bytes())


def test_json(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    write_json(str(out), report_dict(summary(), tool_version="0.0.0-test"))
    check("report.json", out.read_bytes())
