"""Property tests over messages CSVs of every vintage filled with hostile text.

For any text (quotes, commas, newlines, HTML, emoji, RTL, case-changing letters): the loader
raises nothing but AuditError, every row is accounted for, every loaded content round-trips
through the flagged CSV, and every finding's span slices to its matched text.
"""

from __future__ import annotations

import csv
import os
import tempfile
from datetime import date
from pathlib import Path

import loader_fixtures as fx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.classify import Classifier
from auditor.errors import AuditError
from auditor.exposure import PolicySettings
from auditor.loader import load_export
from auditor.models import Classification, Export
from auditor.report.csvout import (
    FLAGGED_COLUMNS,
    FORMULA_PREFIXES,
    flagged_rows,
    neutralise,
    unneutralise,
    write_flagged_csv,
)

SETTINGS = settings(
    max_examples=int(os.environ.get("HARDENING_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
POLICY = PolicySettings(policy_date=date(2024, 9, 18), region="US")
FLAG_ALL = Classification(topic_scores=(("financing", 1.0),), flagged=("financing",))

# Pieces that stress CSV quoting, HTML handling, normalisation and the classifier's span mapping.
_PIECES = [
    '"', '""', ",", ", ", "\n", "\r\n", "\r", "\t", "'", "\\", '\\"', "<p>", "</p>", "<br>",
    "<strong>x</strong>", "&amp;", "&nbsp;", "&lt;script&gt;", "<https://example.org/a,b>",
    "=HYPERLINK(\"http://x\",\"y\")", "+cmd", "@SUM(A1)", "-2+3", "'=1+1",
    "\U0001f600", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u05e9\u05dc\u05d5\u05dd",
    "\u0645\u0631\u062d\u0628\u0627", "\u202e", "\u200f", "\u0130stanbul", "stra\u00dfe",
    "\ufb01nance", "e\u0301", "\u00a0", "\u2028", "\ufeff",
    # words the lexicons match, so that findings (and their spans) exist
    "term sheet", "Series A", "salary", "my salary is 120k", "visa sponsorship", "H-1B",
    "diagnosed with", "password", "jane.doe@example.com", "+1 415 555 0100",
    "DE89 3704 0044 0532 0130 00", "lawyer", "open to work", "interview",
]  # fmt: skip
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(_PIECES),
        st.text(
            st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=8
        ),
    ),
    max_size=25,
).map("".join)

_DATES = {
    "2018": ["10/16/18, 8:36 AM", "3/2/18, 11:15 AM", "", "not a date"],
    "2020": ["2019-11-06T02:08:20", ""],
    "new": ["2024-12-16 18:24:37 UTC", "2021-05-01 10:00:00 UTC", "", "0000-01-01 00:00:00 UTC"],
}
# (file name, header, date family, quote every field)
VINTAGES = [
    ("Messages.csv", fx.H2018, "2018", False),
    ("messages.csv", fx.H2020, "2020", False),
    ("messages.csv", fx.H2021, "new", False),
    ("messages.csv", fx.H2023, "new", False),
    ("messages.csv", fx.H2024, "new", False),
    ("messages.csv", fx.H2025, "new", False),
    ("messages.csv", fx.H2025, "new", True),  # 2026: every field quoted
    ("guide_messages.csv", fx.H2023, "new", False),
    ("messages.csv", [*fx.H2025, "IS MESSAGE DRAFT"], "new", False),  # reported, not seen
]


@st.composite
def messages_file(draw: st.DrawFn) -> tuple[str, bytes, int]:
    name, header, family, quote_all = draw(st.sampled_from(VINTAGES))
    n = draw(st.integers(0, 6))
    rows = []
    for _ in range(n):
        row = []
        for col in header:
            if col.upper() == "DATE":
                row.append(draw(st.sampled_from(_DATES[family])))
            elif col.upper() in ("CONTENT", "SUBJECT", "FROM", "TO", "CONVERSATION TITLE"):
                row.append(draw(hostile_text))
            else:
                row.append(draw(st.sampled_from(["", "INBOX", "Yes", "2-abc", fx.BOB_URL])))
        rows.append(row)
    terminator = draw(st.sampled_from(["\n", "\r\n"]))
    data = _rfc4180(header, rows, quote_all=quote_all, lineterminator=terminator)
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data  # Excel's BOM
    return name, data, n


def _rfc4180(
    header: list[str], rows: list[list[str]], *, quote_all: bool, lineterminator: str
) -> bytes:
    """Well-formed CSV: Python's writer leaves a lone CR unquoted when the line end is LF."""

    def cell(v: str) -> str:
        if quote_all or any(ch in v for ch in ',"\r\n'):
            return '"' + v.replace('"', '""') + '"'
        return v

    lines = [",".join(cell(v) for v in r) for r in [header, *rows]]
    return "".join(line + lineterminator for line in lines).encode("utf-8")


def _load(name: str, data: bytes, tmp: Path) -> Export:
    path = fx.write_zip({"Profile.csv": fx.profile(), name: data}, tmp / "x.zip")
    try:
        return load_export([path])
    except AuditError as exc:  # the only exception allowed; never for a well-formed file
        pytest.fail(f"well-formed {name} refused: {exc}")


def _flagged_csv_contents(ex: Export, tmp: Path) -> list[str]:
    rows = flagged_rows(
        ex,
        [FLAG_ALL] * len(ex.messages),
        [FLAG_ALL] * len(ex.content),
        POLICY,
        severity={"financing": "medium"},
        redact=False,
        no_content=False,
    )
    target = tmp / "flagged.csv"
    write_flagged_csv(str(target), rows)
    with target.open(encoding="utf-8", newline="") as fh:
        read = list(csv.reader(fh))
    assert tuple(read[0]) == FLAGGED_COLUMNS
    i = FLAGGED_COLUMNS.index("content")
    return [_unneutralise(r[i]) for r in read[1:]]


def _unneutralise(cell: str) -> str:
    """The documented rule (docs/security.md), written out independently of csvout: strip one
    `'` from a cell whose first character after its leading quotes is a formula character."""
    if cell.startswith("'") and cell.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return cell[1:]
    return cell


@SETTINGS
@given(spec=messages_file())
def test_every_row_accounted_and_content_round_trips(spec: tuple[str, bytes, int]) -> None:
    name, data, n = spec
    with tempfile.TemporaryDirectory() as d:
        ex = _load(name, data, Path(d))
        (f,) = [f for f in ex.files if f.path == name]
        assert f.rows_read == f.rows_loaded + f.rows_rejected
        assert f.rows_read == n  # a well-formed file: every record read ...
        assert f.rows_loaded == n  # ... and loaded, whatever the text inside
        msgs = [m for m in ex.messages if m.source_file == name]
        assert [m.source_row for m in msgs] == list(range(1, n + 1))
        expected = [m.content for m in ex.messages] + [c.text for c in ex.content]
        assert _flagged_csv_contents(ex, Path(d)) == expected


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.load()


@SETTINGS
@given(spec=messages_file())
def test_every_finding_slices_to_its_match(
    spec: tuple[str, bytes, int], classifier: Classifier
) -> None:
    name, data, _ = spec
    with tempfile.TemporaryDirectory() as d:
        ex = _load(name, data, Path(d))
    for text in [m.content for m in ex.messages] + [c.text for c in ex.content]:
        for finding in classifier.classify(text).findings:
            assert 0 <= finding.start <= finding.end <= len(text)
            assert text[finding.start : finding.end] == finding.matched, finding


@SETTINGS
@given(text=hostile_text)
def test_spans_on_raw_hostile_text(text: str, classifier: Classifier) -> None:
    for finding in classifier.classify(text).findings:
        assert text[finding.start : finding.end] == finding.matched, finding


def test_the_strategy_reaches_findings_and_formulas(classifier: Classifier) -> None:
    """The properties would be vacuous if no generated text ever produced a finding."""
    sample = "my salary is 120k and the term sheet \u0130stanbul \U0001f600 salary"
    assert classifier.classify(sample).findings
    assert any(p.startswith(FORMULA_PREFIXES) for p in _PIECES)


def test_quote_prefixed_text_round_trips(tmp_path: Path) -> None:
    """A message that itself starts with `'=` must come back as written, not lose its quote."""
    for text in ("'=1+1", "'plain", "''", "=1+1", "'", "-2+3"):
        data = fx.csv_bytes(fx.H2023, [[*("2-a", "", "B", "", "A", "", ""), "", text, ""]])
        ex = _load("messages.csv", data, tmp_path)
        assert [m.content for m in ex.messages] == [text]
        assert _flagged_csv_contents(ex, tmp_path)[0] == text
        assert unneutralise(neutralise(text)) == text


@given(st.text(st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", " "]), max_size=6))
def test_neutralise_is_reversible_and_defuses(cell: str) -> None:
    out = neutralise(cell)
    assert unneutralise(out) == cell
    assert _unneutralise(out) == cell
    assert not out.startswith(FORMULA_PREFIXES)  # nothing a spreadsheet would evaluate
