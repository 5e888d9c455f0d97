"""Every date format of FORMAT.md §4, US month/day, UTC, range checks."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from auditor.loader.dates import DateParser, parse_date

UTC = timezone.utc


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-12-16 18:24:37 UTC", datetime(2024, 12, 16, 18, 24, 37, tzinfo=UTC)),  # messages
        ("2019-11-06T02:08:20", datetime(2019, 11, 6, 2, 8, 20, tzinfo=UTC)),  # 2020 messages
        ("16 Dec 2024", datetime(2024, 12, 16, tzinfo=UTC)),  # Connections
        ("01 Jan 2020", datetime(2020, 1, 1, tzinfo=UTC)),
        ("3/12/24, 11:20 AM", datetime(2024, 3, 12, 11, 20, tzinfo=UTC)),  # Invitations: US
        ("10/16/18, 8:36 AM", datetime(2018, 10, 16, 8, 36, tzinfo=UTC)),  # 2018 messages
        ("10/16/18, 12:05 AM", datetime(2018, 10, 16, 0, 5, tzinfo=UTC)),
        ("10/16/18, 12:05 PM", datetime(2018, 10, 16, 12, 5, tzinfo=UTC)),
        ("11/26/24 01:32 PM UTC", datetime(2024, 11, 26, 13, 32, tzinfo=UTC)),  # Receipts_v2
        ("2024/12/15 08:53:43 UTC", datetime(2024, 12, 15, 8, 53, 43, tzinfo=UTC)),  # Endorse.
        ("2024-03-17 18:03:38", datetime(2024, 3, 17, 18, 3, 38, tzinfo=UTC)),  # Comments
        ("2019-02-28 20:33 UTC", datetime(2019, 2, 28, 20, 33, tzinfo=UTC)),  # Learning
        ("Wed Jun 16 06:56:05 UTC 2021", datetime(2021, 6, 16, 6, 56, 5, tzinfo=UTC)),  # Java
        ("Jun 2018", datetime(2018, 6, 1, tzinfo=UTC)),  # Positions
        ("2018", datetime(2018, 1, 1, tzinfo=UTC)),
        (
            "You uploaded a photo on March 9, 2026 at 2:58 PM (GMT)",
            datetime(2026, 3, 9, 14, 58, tzinfo=UTC),
        ),
        ("23-Apr-23", datetime(2023, 4, 23, tzinfo=UTC)),  # Excel re-save
        ("3/12/2024 11:20", datetime(2024, 3, 12, 11, 20, tzinfo=UTC)),  # Excel re-save
        ("  2024-12-16 18:24:37 UTC  ", datetime(2024, 12, 16, 18, 24, 37, tzinfo=UTC)),
        ("December 3, 2022", datetime(2022, 12, 3, tzinfo=UTC)),
    ],
)
def test_formats(raw: str, expected: datetime) -> None:
    got = parse_date(raw)
    assert got == expected
    assert got is not None and got.tzinfo is not None and got.utcoffset() is not None
    assert got.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_us_order_is_never_day_first() -> None:
    # 3/12 is 12 March (US), never 3 December.
    assert parse_date("3/12/24, 11:20 AM") == datetime(2024, 3, 12, 11, 20, tzinfo=UTC)
    # 13/1/24 cannot be US month/day: no guessing day-first.
    assert parse_date("13/1/24, 11:20 AM") is None


@pytest.mark.parametrize(
    "raw",
    ["", "N/A", "not a date", "1", "2024-13-45 10:00:00", "1850-01-01 10:00:00",
     "2150-01-01 10:00:00", "31 Foo 2024", "5", "Mar 31"],
)  # fmt: skip
def test_unparseable_or_out_of_range(raw: str) -> None:
    assert parse_date(raw) is None


def test_parser_switches_formats_within_one_file() -> None:
    parse = DateParser()
    assert parse("2024-12-16 18:24:37 UTC") is not None
    assert parse("16 Dec 2024") == datetime(2024, 12, 16, tzinfo=UTC)
    assert parse("2024-12-17 18:24:37 UTC") == datetime(2024, 12, 17, 18, 24, 37, tzinfo=UTC)
    assert parse("garbage") is None
    assert parse("17 Dec 2024") == datetime(2024, 12, 17, tzinfo=UTC)
