"""The streamed scan (pipeline.scan_streaming) against the simple one (load_export +
classify_export + build_summary + write_flagged_csv): the CSV, the JSON report and the terminal
summary must be byte-identical, whatever the chunk size and the number of worker processes."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import loader_fixtures as fx
import pytest
from rich.console import Console
from typer.testing import CliRunner

import auditor.pipeline
from auditor.classify import SEVERITY, TOPICS, Classifier
from auditor.cli import app
from auditor.errors import AuditError
from auditor.exposure import PolicySettings
from auditor.loader.archive import Limits
from auditor.loader.stream import ExportStream
from auditor.pipeline import CsvOptions, StreamedScan, scan, scan_streaming
from auditor.report.csvout import flagged_rows, write_flagged_csv
from auditor.report.jsonout import dumps, report_dict
from auditor.report.summary import TOP_KEEP, Summary, build_summary
from auditor.report.terminal import render_summary
from auditor.synth import write_export

SAMPLES = Path(__file__).resolve().parent.parent / "sample_exports"
SAMPLE_INPUTS = [
    SAMPLES / "Basic_LinkedInDataExport_10-16-2018.zip",
    SAMPLES / "Complete_LinkedInDataExport_08-26-2025.zip",
    SAMPLES / "LinkedInDataExport_2021",
]
SETTINGS = PolicySettings(policy_date=date(2024, 9, 18), region="US", opted_out=None)
OPTED_OUT = PolicySettings(policy_date=date(2024, 9, 18), region="EU", opted_out=date(2025, 3, 1))
LIMITS = Limits(4 * 1024**3, 200.0)
FLAGGABLE = "We just signed the term sheet for our Series A round, valuation is 20M"
Outputs = tuple[bytes, bytes, str]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def _topics(clf: Classifier) -> tuple[tuple[str, ...], dict[str, str]]:
    """What the CLI passes: the topic order and severities."""
    topics = tuple(t for t in (*TOPICS, *clf.topics) if t in clf.topics)
    severity = {**{t: "medium" for t in clf.topics}, **SEVERITY}
    severity.update(clf.severity)
    return topics, severity


def _terminal(summary: Summary, redact: bool) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=110, color_system=None, highlight=False)
    render_summary(summary, console, redact=redact)
    return buf.getvalue()


def _simple(
    paths: Sequence[Path], clf: Classifier, tmp: Path, settings: PolicySettings, **opts: bool
) -> tuple[Outputs, Any]:
    topics, severity = _topics(clf)
    result = scan(paths, clf)
    summary = build_summary(
        result.export,
        result.message_results,
        result.content_results,
        settings,
        topics=topics,
        severity=severity,
    )
    rows = flagged_rows(
        result.export,
        result.message_results,
        result.content_results,
        settings,
        severity=severity,
        redact=opts.get("redact", False),
        no_content=opts.get("no_content", False),
    )
    out = tmp / "simple.csv"
    write_flagged_csv(str(out), rows, excel=opts.get("excel", False))
    data = dumps(report_dict(summary, tool_version="test"))
    return (out.read_bytes(), data.encode(), _terminal(summary, opts.get("redact", False))), result


def _streamed(
    paths: Sequence[Path],
    clf: Classifier,
    tmp: Path,
    settings: PolicySettings,
    *,
    jobs: int = 1,
    chunk: int = 7,
    **opts: bool,
) -> tuple[Outputs, StreamedScan]:
    topics, severity = _topics(clf)
    out = tmp / f"streamed-{jobs}-{chunk}.csv"
    res = scan_streaming(
        paths,
        clf,
        settings,
        topics=topics,
        severity=severity,
        csv=CsvOptions(
            str(out),
            redact=opts.get("redact", False),
            no_content=opts.get("no_content", False),
            excel=opts.get("excel", False),
        ),
        jobs=jobs,
        chunk=chunk,
    )
    data = dumps(report_dict(res.summary, tool_version="test"))
    outputs = (out.read_bytes(), data.encode(), _terminal(res.summary, opts.get("redact", False)))
    return outputs, res


def _same(got: Outputs, want: Outputs) -> None:
    assert got[0] == want[0], "CSV differs"
    assert got[1] == want[1], "JSON differs"
    assert got[2] == want[2], "terminal summary differs"


@pytest.mark.parametrize("sample", SAMPLE_INPUTS, ids=lambda p: p.name)
@pytest.mark.parametrize("chunk", [1, 7, 20_000])
def test_sample_exports_byte_identical(
    sample: Path, chunk: int, clf: Classifier, tmp_path: Path
) -> None:
    want, simple = _simple([sample], clf, tmp_path, SETTINGS)
    got, res = _streamed([sample], clf, tmp_path, SETTINGS, chunk=chunk)
    _same(got, want)
    assert res.message_count == len(simple.export.messages) > 0
    assert res.passes == 1
    assert want[0].count(b"\r\n") > 2, "the sample must flag something, or the CSV proves little"


def test_all_samples_together_take_a_second_pass(clf: Classifier, tmp_path: Path) -> None:
    """The 2018 input is read before the member's URL is known (it comes from a later input):
    the speculative pass is thrown away and the second one matches load_export."""
    want, _ = _simple(SAMPLE_INPUTS, clf, tmp_path, SETTINGS)
    got, res = _streamed(SAMPLE_INPUTS, clf, tmp_path, SETTINGS, chunk=5)
    _same(got, want)
    assert res.passes == 2


@pytest.mark.parametrize(
    "opts", [{"redact": True}, {"no_content": True, "excel": True}], ids=["redact", "excel"]
)
def test_report_options_byte_identical(
    opts: dict[str, bool], clf: Classifier, tmp_path: Path
) -> None:
    inputs = SAMPLE_INPUTS[1:]
    want, _ = _simple(inputs, clf, tmp_path, OPTED_OUT, **opts)
    got, _ = _streamed(inputs, clf, tmp_path, OPTED_OUT, chunk=3, **opts)
    _same(got, want)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(
        tmp_path_factory.mktemp("synth") / "export.zip", style="2026", n_messages=3000, seed=5
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_generated_export_many_chunks(
    generated: Path, jobs: int, clf: Classifier, tmp_path: Path
) -> None:
    want, simple = _simple([generated], clf, tmp_path, SETTINGS)
    got, res = _streamed([generated], clf, tmp_path, SETTINGS, jobs=jobs, chunk=256)
    _same(got, want)
    assert res.message_count == len(simple.export.messages) >= 3000  # 12 chunks and a bit
    flagged = sum(1 for r in simple.message_results if r.flagged)
    assert flagged > TOP_KEEP * 4, "the top list must be chosen across chunks"


def test_chunks_are_bounded(generated: Path) -> None:
    stream = ExportStream([generated], LIMITS, chunk=256)
    sizes = [len(c) for c in stream]
    assert max(sizes) == 256 and len(sizes) > 10
    assert stream.consistent


def _messages(rows: list[list[str]]) -> bytes:
    return fx.csv_bytes(fx.H2023, rows)


def _row(content: str, *, conv: str = "2-c1", when: str = "2023-02-01 09:00:00 UTC") -> list[str]:
    return [conv, "", "Bob Other", fx.BOB_URL, fx.ME, fx.ME_URL, when, "", content, "INBOX"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 4])
def test_multiline_message_across_a_chunk_boundary(
    chunk: int, clf: Classifier, tmp_path: Path
) -> None:
    rows = [
        _row("hello"),
        _row("fine, thanks"),
        _row(f'first line\nsecond line, {FLAGGABLE}\r\nthird line\n\nand "quoted", too'),
        _row("my salary is 120k\nand I need visa sponsorship", conv="2-c2"),
        _row(FLAGGABLE, conv="2-c3"),
    ]
    files = {"messages.csv": _messages(rows), "Profile.csv": fx.profile()}
    export = fx.write_zip(files, tmp_path / "e.zip")
    want, simple = _simple([export], clf, tmp_path, SETTINGS)
    got, _ = _streamed([export], clf, tmp_path, SETTINGS, chunk=chunk)
    _same(got, want)
    assert "\n" in simple.export.messages[2].content


@pytest.mark.parametrize("chunk", [1, 2, 5])
def test_malformed_rows_counted_the_same(chunk: int, clf: Classifier, tmp_path: Path) -> None:
    rows = [
        _row(FLAGGABLE),
        _row("too short")[:5],
        _row(FLAGGABLE, when="not a date"),
        [*_row("extra fields"), "surplus", "more"],
        _row(FLAGGABLE, when=""),
        _row("the last good row " + FLAGGABLE),
    ]
    data = _messages(rows) + b"\xff\xfe broken bytes\n" + b'"2-c9","unterminated ' + b"x" * 50
    files = {"messages.csv": data, "Profile.csv": fx.profile(), "Invitations.csv": fx.invitations()}
    export = fx.write_zip(files, tmp_path / "e.zip")
    want, simple = _simple([export], clf, tmp_path, SETTINGS)
    got, res = _streamed([export], clf, tmp_path, SETTINGS, chunk=chunk)
    _same(got, want)
    assert res.export.files == simple.export.files
    assert res.export.issues == simple.export.issues
    assert res.export.rows_rejected == simple.export.rows_rejected >= 2


def _duplicate_inputs(tmp: Path) -> list[Path]:
    a = fx.write_zip(fx.rich_export(), tmp / "Complete_LinkedInDataExport.zip")
    rows = [_row(FLAGGABLE), _row("My salary is 120k and I need visa sponsorship", conv="2-z")]
    b_rows = [*rows, *rows, fx.messages_2026_rows()[3][:10], fx.messages_2026_rows()[1][:10]]
    files = {"messages.csv": _messages(b_rows), "Profile.csv": fx.profile()}
    b = fx.write_zip(files, tmp / "Basic_LinkedInDataExport.zip")
    return [a, b]


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_duplicates_across_inputs(chunk: int, clf: Classifier, tmp_path: Path) -> None:
    inputs = _duplicate_inputs(tmp_path)
    want, simple = _simple(inputs, clf, tmp_path, SETTINGS)
    got, res = _streamed(inputs, clf, tmp_path, SETTINGS, chunk=chunk)
    _same(got, want)
    assert res.export.duplicates_merged == simple.export.duplicates_merged > 0
    assert res.message_count == len(simple.export.messages)


def test_member_url_learnt_from_messages_takes_a_second_pass(
    clf: Classifier, tmp_path: Path
) -> None:
    """No Invitations.csv: the member's URL is only known once messages addressed to them by
    name have been read, so the first pass had every direction 'unknown'."""
    files = dict(fx.rich_export())
    files.pop("Invitations.csv")
    export = fx.write_zip(files, tmp_path / "e.zip")
    want, simple = _simple([export], clf, tmp_path, SETTINGS)
    got, res = _streamed([export], clf, tmp_path, SETTINGS, chunk=2)
    _same(got, want)
    assert res.passes == 2
    assert simple.export.account.member_urls
    assert {m.direction for m in simple.export.messages} >= {"sent", "received"}


def test_stdout_csv_is_spooled_and_identical(clf: Classifier, tmp_path: Path) -> None:
    runner = CliRunner()
    export = str(SAMPLE_INPUTS[1])
    base = ["scan", export, "-q", "--out", "-"]
    one = runner.invoke(app, base)
    two = runner.invoke(app, [*base, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0, one.stderr + two.stderr
    assert one.stdout_bytes == two.stdout_bytes
    want, _ = _simple([SAMPLE_INPUTS[1]], clf, tmp_path, SETTINGS)
    assert one.stdout_bytes == want[0]


def test_cli_jobs_two_same_files(tmp_path: Path) -> None:
    runner = CliRunner()
    outputs = []
    for jobs in ("1", "2"):
        out, rep = tmp_path / f"f{jobs}.csv", tmp_path / f"r{jobs}.json"
        args = [*map(str, SAMPLE_INPUTS), "-q", "--out", str(out), "--json", str(rep)]
        result = runner.invoke(app, ["scan", *args, "--jobs", jobs])
        assert result.exit_code == 0, result.stderr
        outputs.append((out.read_bytes(), rep.read_bytes()))
        assert out.stat().st_mode & 0o777 == 0o600
    assert outputs[0] == outputs[1]
    names = [p.name for p in sorted(tmp_path.iterdir())]
    assert names == ["f1.csv", "f2.csv", "r1.json", "r2.json"]  # no temp file left


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "65"])
def test_jobs_validated_in_one_line(value: str) -> None:
    result = CliRunner().invoke(app, ["scan", str(SAMPLE_INPUTS[1]), "-q", "--jobs", value])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("linkedin-audit: error: --jobs")


def test_jobs_documented_in_help() -> None:
    result = CliRunner().invoke(app, ["scan", "--help"])
    assert "--jobs" in result.stdout


# --- independent oracles: both paths share SummaryBuilder, so check its folding directly


def _people_keys(message: Any, member: Any) -> set[str]:
    """The per-message people keys as summary.py computed them before it streamed."""
    own_urls = {u.rstrip("/").casefold() for u in member.member_urls}
    own_name = member.member_name.strip().casefold()
    pairs: list[tuple[str, str]] = []
    if message.direction in ("received", "unknown"):
        pairs.append((message.sender, message.sender_url))
    if message.direction in ("sent", "unknown"):
        urls = (
            message.recipient_urls if len(message.recipient_urls) == len(message.recipients) else ()
        )
        pairs.extend(zip(message.recipients, urls or ("",) * len(message.recipients), strict=True))
    keys: set[str] = set()
    for name, url in pairs:
        url_key = url.strip().rstrip("/").casefold()
        name_key = name.strip().casefold()
        if url_key:
            if url_key not in own_urls:
                keys.add("url:" + url_key)
        elif name_key and name_key != own_name and name_key != "linkedin member":
            keys.add("name:" + name_key)
    return keys


def test_top_list_and_people_against_a_whole_export_oracle(
    generated: Path, clf: Classifier, tmp_path: Path
) -> None:
    from auditor.report.summary import SEVERITY_RANK, max_score, message_id

    _, simple = _simple([generated], clf, tmp_path, SETTINGS)
    _, res = _streamed([generated], clf, tmp_path, SETTINGS, chunk=100)
    _, severity = _topics(clf)
    export = simple.export
    ranked = []
    people: set[str] = set()
    for i, (m, r) in enumerate(zip(export.messages, simple.message_results, strict=True)):
        if m.kind in ("sponsored", "linkedin") or not r.flagged:
            continue
        level = max(SEVERITY_RANK[severity.get(t, "low")] for t in r.flagged)
        ranked.append((-level, -max_score(r), -len(r.flagged), i))
        people |= _people_keys(m, export.account)
    want = [message_id(export.messages[i]) for *_, i in sorted(ranked)[:TOP_KEEP]]
    assert [t.message_id for t in res.summary.top] == want
    assert res.summary.totals.people_flagged == len(people) > 0
    assert res.summary.totals.flagged == len(ranked)


def _dying_worker(texts: list[str]) -> Any:
    """Stands in for the worker function: the process dies as if killed for memory."""
    os._exit(9)


def test_a_dead_worker_fails_in_one_line_and_leaves_no_file(
    clf: Classifier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auditor.pipeline, "_worker_classify", _dying_worker)
    out = tmp_path / "f.csv"
    topics, severity = _topics(clf)
    with pytest.raises(AuditError, match="worker process stopped"):
        scan_streaming(
            SAMPLE_INPUTS[1:2],
            clf,
            SETTINGS,
            topics=topics,
            severity=severity,
            csv=CsvOptions(str(out)),
            jobs=2,
            chunk=50,
        )
    assert list(tmp_path.iterdir()) == []
