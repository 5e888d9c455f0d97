"""The HTML report in a real headless Chromium: no console errors, no requests, charts, filter.

Needs Debian's `chromium` (CI installs it); skipped with the reason when it is not installed.
`UPDATE_SCREENSHOT=1 pytest tests/browser` also writes docs/img/report.png for the README (from
the sample export in sample_exports/ when it is there).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="the HTML report needs the optional extra [html]")

from html_sample import SEVERITY, sample_result, sample_settings, summary_of

from auditor import __version__
from auditor.report.html import render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)
ROOT = Path(__file__).resolve().parents[2]
SAMPLE_EXPORT = ROOT / "sample_exports" / "Complete_LinkedInDataExport_08-26-2025.zip"
# Quiet, isolated, no background traffic of the browser's own (updates, sync, sign-in ...).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--no-pings",
    "--no-first-run",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
)


def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _page_requests(net_log: Path) -> list[str]:
    """URLs the page asked for. The browser's own requests have no origin; a page's do."""
    data = json.loads(net_log.read_text("utf-8"))
    start_job = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls: list[str] = []
    for event in data["events"]:
        params = event.get("params") or {}
        if event["type"] != start_job or "url" not in params:
            continue
        initiator = params.get("initiator", "")
        key = params.get("network_isolation_key", "")
        if initiator != "not an origin" or "file://" in key:
            urls.append(params["url"])
    return urls


def _console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = sample_result()
    settings = sample_settings()
    page = render_html(
        result,
        summary_of(result, settings),
        settings,
        severity=SEVERITY,
        redact=False,
        no_content=False,
        tool_version=__version__,
    )
    target = tmp_path_factory.mktemp("html") / "report.html"
    target.write_text(page, "utf-8")
    return target


@pytest.fixture(scope="module")
def sample_export_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's sample export through the real CLI: loader, classifier, reports."""
    if not SAMPLE_EXPORT.exists():
        pytest.skip(f"{SAMPLE_EXPORT.name} is not in sample_exports/")
    from typer.testing import CliRunner

    from auditor.cli import app

    target = tmp_path_factory.mktemp("sample") / "report.html"
    run = CliRunner().invoke(app, ["scan", str(SAMPLE_EXPORT), "--html", str(target), "-q"])
    assert run.exit_code == 0, run.output
    return target


def _check_in_chromium(page: Path, tmp_path: Path) -> str:
    """Open `page#selftest`: no console message, no request, four charts, filter and sort work.

    Returns the DOM as Chromium serialised it after the script ran.
    """
    net_log = tmp_path / "net.json"
    run = _chromium(tmp_path, f"--log-net-log={net_log}", "--dump-dom", page.as_uri() + "#selftest")
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []  # no console messages: no errors, no CSP violations
    assert _page_requests(net_log) == []
    found = re.search(r'<pre id="selftest"[^>]*>(.*?)</pre>', run.stdout, re.S)
    assert found and found.group(1), "the inline script did not run"
    outcome = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert outcome["charts"] == 4
    assert 0 < outcome["visible"] < outcome["total"], outcome
    assert outcome["visibleTopicsOk"] and outcome["sortedByScore"], outcome
    assert outcome["countText"] == f"{outcome['visible']} of {outcome['total']} rows"
    return run.stdout


def test_in_chromium_filter_works_without_errors_or_requests(report: Path, tmp_path: Path) -> None:
    dom = _check_in_chromium(report, tmp_path)
    # The hostile sample message stayed text: its script never ran, its tags never parsed.
    assert "<title>LinkedIn export audit</title>" in dom
    assert "<b>bold</b>" not in dom and "&lt;/table&gt;&lt;b&gt;bold" in dom


def test_sample_export_report_in_chromium(sample_export_report: Path, tmp_path: Path) -> None:
    _check_in_chromium(sample_export_report, tmp_path)


def test_request_detector_sees_a_page_request(tmp_path: Path) -> None:
    """Control: the net-log check above would catch a page that fetches something."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><img src="http://127.0.0.1:9/x.png"><p>x</p>', "utf-8")
    net_log = tmp_path / "net.json"
    run = _chromium(tmp_path, f"--log-net-log={net_log}", "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert _page_requests(net_log) == ["http://127.0.0.1:9/x.png"]


def test_screenshot(report: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """Of the sample export's report when it is there (the README's picture), else the fixture's."""
    page = report
    if SAMPLE_EXPORT.exists():
        page = request.getfixturevalue("sample_export_report")
    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, "--window-size=1280,1700", f"--screenshot={shot}", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    if os.environ.get("UPDATE_SCREENSHOT") == "1":
        target = ROOT / "docs" / "img" / "report.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, target)
