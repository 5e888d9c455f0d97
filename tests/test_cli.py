"""The CLI through typer's CliRunner: every command, every option family, every exit code."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.report.csvout import FLAGGED_COLUMNS

SAMPLES = Path(__file__).resolve().parent.parent / "sample_exports"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_08-26-2025.zip"
FOLDER_2021 = SAMPLES / "LinkedInDataExport_2021"
ZIP_2018 = SAMPLES / "Basic_LinkedInDataExport_10-16-2018.zip"

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", [[], ["scan"], ["inventory"], ["explain"], ["rules"]])
def test_every_command_has_help(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "Usage" in out


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0
    assert out.startswith("linkedin-audit ")


def test_scan_writes_csv_and_json(tmp_path: Path) -> None:
    out, report = tmp_path / "flagged.csv", tmp_path / "report.json"
    code, stdout, _ = run("scan", str(COMPLETE), "--out", str(out), "--json", str(report))
    assert code == 0, stdout
    assert "Risk:" in stdout
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == FLAGGED_COLUMNS
    assert len(rows) > 20
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["totals"]["messages"] > 400
    assert data["totals"]["rows_rejected"] == 0
    assert set(data["periods"]) == {"before", "after", "after_opt_out", "undated"}


def test_scan_is_deterministic(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        out, report = tmp_path / f"{name}.csv", tmp_path / f"{name}.json"
        code, _, _ = run("scan", str(COMPLETE), "-q", "--out", str(out), "--json", str(report))
        assert code == 0
        outputs.append((out.read_bytes(), report.read_bytes()))
    assert outputs[0] == outputs[1]


def test_scan_csv_to_stdout_keeps_summary_off_stdout() -> None:
    code, stdout, stderr = run("scan", str(COMPLETE), "--out", "-")
    assert code == 0
    assert stdout.startswith(",".join(FLAGGED_COLUMNS))
    assert "Risk:" not in stdout
    assert "Risk:" in stderr


def test_scan_json_to_stdout_quiet() -> None:
    code, stdout, _ = run("scan", str(COMPLETE), "--json", "-", "--quiet")
    assert code == 0
    assert json.loads(stdout)["schema_version"]


def test_topics_restricts_flags(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    code, _, _ = run("scan", str(COMPLETE), "-q", "--topics", "financing", "--out", str(out))
    assert code == 0
    with out.open(encoding="utf-8", newline="") as fh:
        topics = {t for row in csv.DictReader(fh) for t in row["topics"].split(";")}
    assert topics == {"financing"}


def test_no_content_and_redact(tmp_path: Path) -> None:
    plain, redacted, empty = tmp_path / "p.csv", tmp_path / "r.csv", tmp_path / "e.csv"
    assert run("scan", str(COMPLETE), "-q", "--out", str(plain))[0] == 0
    assert run("scan", str(COMPLETE), "-q", "--redact", "--out", str(redacted))[0] == 0
    assert run("scan", str(COMPLETE), "-q", "--no-content", "--out", str(empty))[0] == 0

    def rows(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    assert all(r["content"] == "" for r in rows(empty))
    for p_row, r_row in zip(rows(plain), rows(redacted), strict=True):
        # the placeholders name the topic ("[job_search]"): a matched "job" may appear in them
        shown = re.sub(r"\[[a-z_]+\]", " ", r_row["content"])
        for word in p_row["matched"].split(";"):
            if word:
                assert word not in shown


def test_redacted_terminal_hides_identifiers() -> None:
    code, stdout, _ = run("scan", str(COMPLETE), "--redact")
    assert code == 0
    assert "@gmail.com" not in stdout
    code, stdout, _ = run("scan", str(COMPLETE))
    assert "@gmail.com" in stdout  # the unredacted summary does show them: the test can fail


def test_excel_bom(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    assert run("scan", str(COMPLETE), "-q", "--excel", "--out", str(out))[0] == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_fail_on(tmp_path: Path) -> None:
    assert run("scan", str(COMPLETE), "-q", "--fail-on", "high")[0] == 1
    assert run("scan", str(COMPLETE), "-q", "--fail-on", "high", "--topics", "financing")[0] == 0
    code, _, err = run("scan", str(COMPLETE), "-q", "--fail-on", "severe")
    assert code == 2
    assert "--fail-on" in err


def test_opted_out_moves_messages(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    code, _, _ = run(
        "scan", str(COMPLETE), "-q", "--opted-out", "2025-01-01", "--json", str(report)
    )
    assert code == 0
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["policy"]["opted_out"] == "2025-01-01"
    assert data["periods"]["after_opt_out"]["messages"] > 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--policy-date", "18/09/2024"], "--policy-date"),
        (["--opted-out", "yesterday"], "--opted-out"),
        (["--region", "Narnia!"], "Narnia"),
        (["--min-score", "1.5"], "--min-score"),
        (["--topics", "astrology"], "astrology"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], needle: str) -> None:
    code, _, err = run("scan", str(COMPLETE), "-q", *args)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_bad_inputs_exit_2(tmp_path: Path) -> None:
    not_zip = tmp_path / "export.zip"
    not_zip.write_bytes(b"this is not a zip file at all")
    code, _, err = run("scan", str(not_zip))
    assert code == 2
    assert str(not_zip) in err and "Traceback" not in err

    missing = tmp_path / "nope.zip"
    code, _, err = run("inventory", str(missing))
    assert code == 2
    assert "nope.zip" in err

    other = tmp_path / "holiday.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("beach.jpg", b"\xff\xd8\xff")
    code, _, err = run("scan", str(other))
    assert code == 2
    assert "holiday.zip" in err


def test_refuses_to_write_over_input(tmp_path: Path) -> None:
    target = tmp_path / "export.zip"
    target.write_bytes(COMPLETE.read_bytes())
    code, _, err = run("scan", str(target), "--out", str(target))
    assert code == 2
    assert "over an input" in err
    assert target.read_bytes() == COMPLETE.read_bytes()


def test_missing_output_folder(tmp_path: Path) -> None:
    code, _, err = run("scan", str(COMPLETE), "--out", str(tmp_path / "no" / "such" / "f.csv"))
    assert code == 2
    assert "does not exist" in err


def _messages_zip(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "Basic_LinkedInDataExport_01-01-2025.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("messages.csv", body)
    return path


def test_rejected_rows_warn_and_strict_fails(tmp_path: Path) -> None:
    header = (
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,"
        "DATE,SUBJECT,CONTENT,FOLDER\n"
    )
    good = (
        "2-abc,,Ann Lee,https://www.linkedin.com/in/ann,Bo Chan,,"
        "2024-01-02 10:00:00 UTC,,hi,INBOX\n"
    )
    bad = "2-abc,,Ann Lee\n"
    export = _messages_zip(tmp_path, header + good + bad)
    code, _, err = run("scan", str(export), "-q")
    assert code == 0
    assert "warning" in err and "1 row" in err
    code, _, _ = run("scan", str(export), "-q", "--strict")
    assert code == 2


def test_inventory_json_accounts_for_every_row() -> None:
    for sample in (COMPLETE, FOLDER_2021, ZIP_2018):
        code, stdout, _ = run("inventory", str(sample), "--json")
        assert code == 0
        data = json.loads(stdout)
        for f in data["files"]:
            assert f["rows_read"] == f["rows_loaded"] + f["rows_rejected"], f["path"]
            assert f["understood"], f["path"]
        assert data["totals"]["rows_rejected"] == 0


def test_inventory_table() -> None:
    code, stdout, _ = run("inventory", str(ZIP_2018))
    assert code == 0
    assert "Messages.csv" in stdout
    assert "rows read" in stdout


def test_merging_basic_and_complete_counts_messages_once(tmp_path: Path) -> None:
    copy = tmp_path / "Complete_LinkedInDataExport_08-26-2025 (1).zip"
    copy.write_bytes(COMPLETE.read_bytes())
    code, once, _ = run("inventory", str(COMPLETE), "--json")
    code2, twice, _ = run("inventory", str(COMPLETE), str(copy), "--json")
    assert code == code2 == 0
    a, b = json.loads(once), json.loads(twice)
    assert b["totals"]["messages"] == a["totals"]["messages"]
    assert b["totals"]["duplicates_merged"] == a["totals"]["messages"]


def test_explain_shows_rule_and_score() -> None:
    code, stdout, _ = run("explain", "We signed the term sheet for our Series A last night.")
    assert code == 0
    assert "financing" in stdout
    assert "term sheet" in stdout
    assert "FLAGGED" in stdout


def test_explain_file_and_argument_errors(tmp_path: Path) -> None:
    text = tmp_path / "t.txt"
    text.write_text("my password is Tr0ub4dor&3", encoding="utf-8")
    code, stdout, _ = run("explain", "--file", str(text))
    assert code == 0 and "credentials" in stdout
    assert run("explain")[0] == 2
    assert run("explain", "x", "--file", str(text))[0] == 2


def test_rules_lists_topics_and_severity() -> None:
    code, stdout, _ = run("rules")
    assert code == 0
    for topic in ("financing", "job_search", "credentials", "beliefs_identity"):
        assert topic in stdout
    code, stdout, _ = run("rules", "--topic", "health")
    assert code == 0 and "health" in stdout and "financing (" not in stdout
    assert run("rules", "--topic", "astrology")[0] == 2


def test_user_rules_file(tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text("this is = not [valid toml", encoding="utf-8")
    code, _, err = run("explain", "hello", "--rules", str(rules))
    assert code == 2
    assert "mine.toml" in err


def test_module_entry_point_runs() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("linkedin-audit ")


def test_console_script_error_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    proc = subprocess.run(
        [sys.executable, "-m", "auditor", "scan", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert io.StringIO(proc.stderr).readline().startswith("linkedin-audit: error: ")


def _report(tmp_path: Path, *args: str) -> Any:
    report = tmp_path / "r.json"
    code, _, err = run("scan", str(COMPLETE), "-q", "--json", str(report), *args)
    assert code == 0, err
    return json.loads(report.read_text(encoding="utf-8"))


def test_policy_date_moves_the_split(tmp_path: Path) -> None:
    default = _report(tmp_path)
    earlier = _report(tmp_path, "--policy-date", "2022-01-01")
    assert earlier["policy"] == {"date": "2022-01-01", "opted_out": None, "region": "US"}
    assert earlier["periods"]["before"]["messages"] < default["periods"]["before"]["messages"]


def test_region_changes_stated_policy_windows(tmp_path: Path) -> None:
    us = _report(tmp_path, "--region", "US")
    eu = _report(tmp_path, "--region", "DE")
    assert eu["policy"]["region"] == "EU"
    assert eu["scenarios"]["stated_policy"] != us["scenarios"]["stated_policy"]


def test_min_score_trades_flags(tmp_path: Path) -> None:
    loose = _report(tmp_path, "--min-score", "0.3")
    strict = _report(tmp_path, "--min-score", "0.95")
    assert strict["totals"]["flagged"] < loose["totals"]["flagged"]


def test_user_rules_add_and_ignore(tmp_path: Path) -> None:
    rules = tmp_path / "mine.toml"
    rules.write_text(
        'ignore = ["term sheet"]\n\n'
        "[[rule]]\n"
        'id = "me.falcon"\n'
        'topic = "financing"\n'
        "weight = 0.9\n"
        'phrases = ["project falcon"]\n'
        'description = "Code name of a confidential acquisition."\n',
        encoding="utf-8",
    )
    code, out, _ = run(
        "explain", "Project Falcon is on. Term sheet attached.", "--rules", str(rules)
    )
    assert code == 0
    assert "me.falcon" in out
    assert "fin.term-sheet" not in out
