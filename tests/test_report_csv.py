"""The flagged CSV: columns, rows, neutralised formulas, redaction, BOM, permissions."""

from __future__ import annotations

import csv
import io
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_fixtures import SEVERITY, build, settings

from auditor.report.csvout import FLAGGED_COLUMNS, flagged_rows, neutralise, write_flagged_csv


def rows(*, redact: bool = False, no_content: bool = False) -> list[tuple[str, ...]]:
    e, m, c = build()
    return list(
        flagged_rows(e, m, c, settings(), severity=SEVERITY, redact=redact, no_content=no_content)
    )


def read_back(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_one_row_per_flagged_item_in_export_order(tmp_path: Path) -> None:
    out = tmp_path / "flagged.csv"
    write_flagged_csv(str(out), rows())
    data = read_back(out)
    assert tuple(data[0].keys()) == FLAGGED_COLUMNS
    # Flagged ads stay in the CSV (kind "sponsored") so nothing flagged is hidden; filter by kind.
    assert [d["source_row"] for d in data] == [
        "1",
        "2",
        "3",
        "4",
        "6",
        "7",
        "8",
        "9",
        "1",
        "1",
        "1",
    ]
    assert data[4]["kind"] == "sponsored"
    assert [d["kind"] for d in data[-3:]] == ["share", "profile_summary", "job_application"]
    share = data[-3]
    assert share["conversation_id"] == share["conversation_title"] == share["sender"] == ""
    first = data[0]
    assert first["date"] == "2023-03-10T09:00:00Z"
    assert first["period"] == "before"
    assert first["topics"] == "compensation;job_search"
    assert first["matched"] == "open to a new role;salary range"
    assert first["severity"] == "medium"
    assert first["score"] == "0.800"
    assert re.fullmatch(r"[0-9a-f]{16}", first["message_id"])
    undated = next(d for d in data if d["source_row"] == "7")
    assert (undated["date"], undated["period"]) == ("", "undated")
    assert next(d for d in data if d["source_row"] == "3")["severity"] == "high"


def test_ids_are_stable_across_runs() -> None:
    assert [r[0] for r in rows()] == [r[0] for r in rows()]
    assert len({r[0] for r in rows()}) == len(rows())


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://x.example","click")',
        "+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "-2+3",
        "\tstarts with tab",
        "\rstarts with CR",
    ],
)
def test_formula_cells_are_neutralised(tmp_path: Path, cell: str) -> None:
    out = tmp_path / "f.csv"
    row = tuple(cell for _ in FLAGGED_COLUMNS)
    write_flagged_csv(str(out), [row])
    back = read_back(out)[0]
    for value in back.values():
        assert value == "'" + cell
        assert value[1:] == cell  # reversible: strip one leading quote


@pytest.mark.parametrize("cell", ["", "plain", "a=b", "'quoted", "2024-01-01", "0.800"])
def test_safe_cells_are_untouched(cell: str) -> None:
    assert neutralise(cell) == cell


def test_fixture_formula_message_is_neutralised(tmp_path: Path) -> None:
    out = tmp_path / "flagged.csv"
    write_flagged_csv(str(out), rows())
    row8 = next(d for d in read_back(out) if d["source_row"] == "8" and d["kind"] == "member")
    assert row8["content"].startswith("'=HYPERLINK(")


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
        min_size=len(FLAGGED_COLUMNS),
        max_size=len(FLAGGED_COLUMNS),
    )
)
def test_written_cells_read_back_unchanged_after_unquoting(cells: list[str]) -> None:
    buffer = io.StringIO()
    from auditor.report.csvout import _write_rows

    _write_rows(buffer, [tuple(cells)])
    buffer.seek(0)
    back = list(csv.reader(buffer))[1]
    assert [neutralise(c) for c in cells] == back


def test_redaction_hides_matched_words_names_and_identifiers(tmp_path: Path) -> None:
    out = tmp_path / "flagged.csv"
    write_flagged_csv(str(out), rows(redact=True))
    text = out.read_text(encoding="utf-8")
    for secret in (
        "salary range",
        "chemo",
        "therapist",
        "hunter2",
        "term sheet",
        "job hunting",
        "Dana",
        "Reyes",
        "Sam Lee",
        "Jordan",
        "Alex",
        "dana@initech.example",
        "555 0100",
        "H-1B visa",
        "Senior role at Initech",
    ):
        assert secret not in text, secret
    data = read_back(out)
    assert "[health]" in data[2]["content"]
    assert data[0]["matched"] == "[job_search];[compensation]"
    assert data[0]["sender"] == "Person 1" and data[1]["sender"] == "[member]"
    assert data[1]["recipients"] == "Person 1"


def test_no_content_empties_the_text_only() -> None:
    for row in rows(no_content=True):
        assert row[-1] == ""
        assert row[FLAGGED_COLUMNS.index("matched")]


def test_excel_bom_and_owner_only_mode(tmp_path: Path) -> None:
    out = tmp_path / "flagged.csv"
    write_flagged_csv(str(out), rows(), excel=True)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfmessage_id,")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    plain = tmp_path / "plain.csv"
    write_flagged_csv(str(plain), rows())
    assert plain.read_bytes().startswith(b"message_id,")


def test_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    write_flagged_csv("-", rows()[:1])
    out = capsysbinary.readouterr().out
    assert out.startswith(b"message_id,source_file,")
    assert out.count(b"\r\n") == 2


def test_deterministic_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_flagged_csv(str(a), rows())
    write_flagged_csv(str(b), rows())
    assert a.read_bytes() == b.read_bytes()
