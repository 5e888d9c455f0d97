"""The JSON report: schema keys, determinism, and no message text or names."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from report_fixtures import SEVERITY, TOPICS, build, settings

from auditor.report.jsonout import SCHEMA_VERSION, dumps, report_dict, write_json
from auditor.report.summary import build_summary


def report() -> dict[str, object]:
    e, m, c = build()
    summary = build_summary(e, m, c, settings(), topics=TOPICS, severity=SEVERITY)
    return report_dict(summary, tool_version="9.9.9")


def test_required_keys() -> None:
    data = report()
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["tool"] == {"name": "linkedin-audit", "version": "9.9.9"}
    assert data["policy"] == {"date": "2024-09-18", "region": "US", "opted_out": "2025-01-15"}
    totals = data["totals"]
    assert isinstance(totals, dict)
    assert {k: totals[k] for k in ("messages", "content_items", "flagged", "rows_rejected")} == {
        "messages": 10,
        "content_items": 6,
        "flagged": 7,
        "rows_rejected": 2,
    }
    periods = data["periods"]
    assert isinstance(periods, dict)
    assert set(periods) == {"before", "after", "after_opt_out", "undated"}
    assert periods["before"] == {"messages": 4, "flagged": 3, "words": 48}  # 23 + 12 + 13
    topics = data["topics"]
    assert isinstance(topics, dict)
    assert set(topics) == set(TOPICS)
    assert topics["job_search"]["before"] == 2 and topics["job_search"]["after"] == 0
    files = data["files"]
    assert isinstance(files, list)
    assert {"path", "kind", "rows_read", "rows_loaded", "rows_rejected"} <= set(files[0])
    scenarios = data["scenarios"]
    assert isinstance(scenarios, dict)
    assert scenarios["complaint"]["status"] == "alleged"
    assert scenarios["complaint"]["statutory"]["minimum_usd_per_person"] == 1000
    assert scenarios["stated_policy"]["windows"] == [{"start": "2024-09-18", "end": "2025-01-15"}]
    assert "account" in data


def test_no_message_text_or_names() -> None:
    text = dumps(report())
    e, _m, _c = build()
    for msg in e.messages:
        for word in msg.content.split():
            if len(word) > 6 and word.isalpha():
                assert word not in text, word
    for secret in (
        "salary range",
        "chemo",
        "hunter2",
        "Dana",
        "Sam Lee",
        "Jordan",
        "Alex Morgan",
        "Senior role at Initech",
        "H-1B",
        "Fintech",
        "Initech",
    ):
        assert secret not in text, secret


def test_deterministic_sorted_with_trailing_newline(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_json(str(a), report())
    write_json(str(b), report())
    raw = a.read_bytes()
    assert raw == b.read_bytes()
    assert raw.endswith(b"}\n") and not raw.endswith(b"\n\n")
    keys = list(json.loads(raw))
    assert keys == sorted(keys)
    assert stat.S_IMODE(a.stat().st_mode) == 0o600


def test_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    write_json("-", report())
    assert json.loads(capsys.readouterr().out)["schema_version"] == SCHEMA_VERSION


def test_statutory_absent_without_premium() -> None:
    from dataclasses import replace

    e, m, c = build()
    e = replace(e, account=replace(e.account, premium=()))
    summary = build_summary(e, m, c, settings(), topics=TOPICS, severity=SEVERITY)
    statutory = report_dict(summary, tool_version="x")["scenarios"]["complaint"]["statutory"]
    assert statutory["applies"] is False and statutory["minimum_usd_per_person"] is None
