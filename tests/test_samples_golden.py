"""Golden files of the real pipeline on the committed sample exports.

These pin what a new user sees first: the inventory of each sample, and the terminal summary, the
flagged CSV and the JSON report of the main sample. After an intended change run
`UPDATE_GOLDEN=1 pytest tests/test_samples_golden.py` and review the diff of tests/golden/samples/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_exports"
GOLDEN = Path(__file__).resolve().parent / "golden" / "samples"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_08-26-2025.zip"

runner = CliRunner()


def check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.exists():
        pytest.fail(f"missing golden file {path}; run with UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert actual.replace("\r\n", "\n") == expected


def invoke(*args: str) -> str:
    # Paths relative to the repo so golden files do not depend on where the checkout lives.
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = runner.invoke(app, list(args), env={"COLUMNS": "80", "NO_COLOR": "1"})
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize(
    "sample",
    [
        "Complete_LinkedInDataExport_08-26-2025.zip",
        "LinkedInDataExport_2021",
        "Basic_LinkedInDataExport_10-16-2018.zip",
    ],
)
def test_inventory(sample: str) -> None:
    stem = sample.removesuffix(".zip")
    check(f"inventory_{stem}.json", invoke("inventory", f"sample_exports/{sample}", "--json"))
    check(f"inventory_{stem}.txt", invoke("inventory", f"sample_exports/{sample}"))


def test_scan_outputs(tmp_path: Path) -> None:
    out, report = tmp_path / "flagged.csv", tmp_path / "report.json"
    summary = invoke(
        "scan",
        "sample_exports/Complete_LinkedInDataExport_08-26-2025.zip",
        "--out",
        str(out),
        "--json",
        str(report),
    )
    check("summary.txt", summary)
    check("flagged.csv", out.read_text(encoding="utf-8"))
    check("report.json", report.read_text(encoding="utf-8"))


def test_scan_redacted_summary() -> None:
    summary = invoke(
        "scan", "sample_exports/Complete_LinkedInDataExport_08-26-2025.zip", "--redact"
    )
    check("summary_redacted.txt", summary)
