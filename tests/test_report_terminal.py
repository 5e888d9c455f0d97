"""The terminal summary: 80 columns, no colour, redaction, timeline buckets, scenario wording."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

from report_fixtures import DANA, SEVERITY, TOPICS, build, classify, msg, settings, utc
from rich.console import Console

from auditor.models import Classification, Export
from auditor.report.summary import Summary, build_summary
from auditor.report.terminal import render_summary


def render(summary: Summary, *, width: int = 80, redact: bool = False, color: bool = False) -> str:
    console = Console(
        width=width,
        no_color=not color,
        record=True,
        file=io.StringIO(),
        force_terminal=color,
        color_system="standard" if color else None,
    )
    render_summary(summary, console, redact=redact)
    return console.export_text(styles=color)


def summary_of(
    export: Export | None = None, results: list[Classification] | None = None
) -> Summary:
    e, m, c = build()
    return build_summary(export or e, results or m, c, settings(), topics=TOPICS, severity=SEVERITY)


def assert_fits(text: str, width: int = 80) -> None:
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert not too_long, too_long


def test_fits_80_columns_without_colour() -> None:
    text = render(summary_of())
    assert_fits(text)
    assert "\x1b[" not in text
    assert "Risk: MEDIUM" in text
    assert "«chemo»" in text  # highlight survives without colour


def test_colour_output_has_styles_but_same_words() -> None:
    coloured = render(summary_of(), color=True)
    assert "\x1b[" in coloured
    assert "Risk: " in coloured


def test_redaction_masks_spans_names_and_identifiers() -> None:
    text = render(summary_of(), redact=True)
    for secret in (
        "chemo",
        "therapist",
        "hunter2",
        "salary range",
        "term sheet",
        "Dana",
        "Sam Lee",
        "Jordan",
        "Alex Morgan",
        "dana@initech",
    ):
        assert secret not in text, secret
    assert "[health]" in text and "Person 1" in text


def test_scenarios_wording() -> None:
    text = render(summary_of())
    assert "Alleged, not proven" in text
    assert "voluntarily dismissed on 2025-01-30" in text
    assert "Scenario only, not money owed" in text
    assert "per person (not per message)" in text
    assert "Not legal advice" in text


def test_no_statutory_scenario_without_premium() -> None:
    e, _m, _c = build()
    e = replace(e, account=replace(e.account, premium=()))
    text = render(summary_of(e))
    assert "$1,000" not in text
    assert "Premium evidence: none in the export" in text


def test_rejected_rows_warning_only_when_rejected() -> None:
    assert "Warning: 2 rows could not be read (messages.csv 2)" in render(summary_of())
    e, _m, _c = build()
    clean = replace(e, files=tuple(replace(f, rows_rejected=0) for f in e.files))
    assert "Warning" not in render(summary_of(clean))


def ten_years() -> tuple[Export, list[Classification]]:
    e, _m, _c = build()
    messages = []
    results = []
    start = utc(2015, 1, 3, 12, 0, 0)
    for i in range(125):  # one message a month, 2015-01 .. 2025-05
        when = start + timedelta(days=30.5 * i)
        text = "my salary is 90k" if i % 7 == 0 else "hello there"
        messages.append(msg(i + 1, when, "received", DANA, text))
        hit = ("compensation", "salary", 0.9)
        results.append(classify(text, hit) if i % 7 == 0 else classify(text))
    return replace(e, messages=tuple(messages)), results


def test_long_timeline_is_bucketed_and_fits() -> None:
    export, results = ten_years()
    text = render(summary_of(export, results))
    assert_fits(text)
    assert "Timeline by quarter, 2015-Q1 to 2025-Q2" in text
    assert "^ policy change 18 Sep 2024" in text


def test_big_numbers_fit() -> None:
    base = summary_of()
    topics = tuple(
        replace(t, before=123_456, after=2_345_678, words=98_765_432, people=54_321)
        for t in base.topics
    )
    text = render(replace(base, topics=topics))
    assert_fits(text)
    assert "2.3M" in text and "123k" in text


def test_narrow_console_does_not_crash() -> None:
    assert render(summary_of(), width=60)


def test_empty_export_renders() -> None:
    e, _m, _c = build()
    empty = replace(e, messages=(), content=(), files=(), issues=())
    summary = build_summary(empty, [], [], settings(), topics=TOPICS, severity=SEVERITY)
    text = render(summary)
    assert_fits(text)
    assert "Risk: NONE" in text
    assert "The export holds no private messages to check." in text
    assert "Timeline" not in text
