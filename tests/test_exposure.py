"""The exposure model at its edges: policy midnight, opt-out day, undated items, each region."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from auditor.errors import AuditError
from auditor.exposure import (
    POLICY_DATE,
    PolicySettings,
    complaint_scope,
    effective_windows,
    parse_region,
    period_of,
    stated_policy_exposed,
    stated_policy_windows,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)  # type: ignore[misc, arg-type]


US = PolicySettings(POLICY_DATE, "US", None)
US_OPTED = PolicySettings(POLICY_DATE, "US", date(2025, 1, 15))


class TestPeriod:
    def test_last_second_before_policy_day_is_before(self) -> None:
        assert period_of(utc(2024, 9, 17, 23, 59, 59), US) == "before"

    def test_policy_midnight_is_after(self) -> None:
        assert period_of(utc(2024, 9, 18, 0, 0, 0), US) == "after"

    def test_offset_times_compare_in_utc(self) -> None:
        # 2024-09-18 01:00 at +02:00 is 2024-09-17 23:00 UTC: still before.
        plus_two = timezone(timedelta(hours=2))
        assert period_of(datetime(2024, 9, 18, 1, 0, tzinfo=plus_two), US) == "before"

    def test_naive_is_taken_as_utc(self) -> None:
        assert period_of(datetime(2024, 9, 17, 23, 59, 59), US) == "before"
        assert period_of(datetime(2024, 9, 18, 0, 0, 0), US) == "after"

    def test_opt_out_day_starts_after_opt_out(self) -> None:
        assert period_of(utc(2025, 1, 14, 23, 59, 59), US_OPTED) == "after"
        assert period_of(utc(2025, 1, 15, 0, 0, 0), US_OPTED) == "after_opt_out"
        assert period_of(utc(2026, 1, 1), US_OPTED) == "after_opt_out"

    def test_without_opt_out_everything_later_is_after(self) -> None:
        assert period_of(utc(2030, 1, 1), US) == "after"

    def test_undated(self) -> None:
        assert period_of(None, US_OPTED) == "undated"

    def test_opt_out_before_policy_date_keeps_old_items_before(self) -> None:
        early = PolicySettings(POLICY_DATE, "US", date(2024, 9, 1))
        assert period_of(utc(2024, 8, 1), early) == "before"
        assert period_of(utc(2024, 10, 1), early) == "after_opt_out"

    def test_custom_policy_date(self) -> None:
        custom = PolicySettings(date(2024, 8, 1), "US", None)
        assert period_of(utc(2024, 8, 1), custom) == "after"
        assert period_of(utc(2024, 7, 31, 23, 59, 59), custom) == "before"


class TestRegion:
    @pytest.mark.parametrize(
        ("code", "region"),
        [
            ("US", "US"),
            ("us", "US"),
            (" DE ", "EU"),
            ("FR", "EU"),
            ("EU", "EU"),
            ("NO", "EEA"),
            ("EEA", "EEA"),
            ("GB", "UK"),
            ("UK", "UK"),
            ("CH", "CH"),
            ("CA", "CA"),
            ("HK", "HK"),
            ("JP", "JP"),
        ],
    )
    def test_parse(self, code: str, region: str) -> None:
        assert parse_region(code) == region

    @pytest.mark.parametrize("code", ["", "U", "USA1", "12", "E-U", "ÜS", "Europe"])
    def test_garbage_is_an_audit_error(self, code: str) -> None:
        with pytest.raises(AuditError, match="unknown region"):
            parse_region(code)

    def test_other_countries_get_the_us_windows(self) -> None:
        assert stated_policy_windows(parse_region("JP")) == stated_policy_windows("US")


class TestWindows:
    def test_us(self) -> None:
        assert stated_policy_windows("US") == ((date(2024, 9, 18), None),)

    @pytest.mark.parametrize("region", ["EU", "EEA", "CH", "UK"])
    def test_europe_from_november_2025(self, region: str) -> None:
        assert stated_policy_windows(region) == ((date(2025, 11, 3), None),)

    def test_hong_kong_gap(self) -> None:
        assert stated_policy_windows("HK") == (
            (date(2024, 9, 18), date(2024, 10, 11)),
            (date(2025, 11, 3), None),
        )

    def test_canada_gap(self) -> None:
        assert stated_policy_windows("CA") == (
            (date(2024, 9, 18), date(2024, 12, 10)),
            (date(2025, 11, 3), None),
        )

    def test_opt_out_cuts_windows(self) -> None:
        hk = PolicySettings(POLICY_DATE, "HK", date(2024, 10, 1))
        assert effective_windows(hk) == ((date(2024, 9, 18), date(2024, 10, 1)),)
        eu = PolicySettings(POLICY_DATE, "EU", date(2025, 6, 1))
        assert effective_windows(eu) == ()


class TestStatedPolicy:
    def test_scope_by_kind(self) -> None:
        when = utc(2024, 10, 1)
        for kind in (
            "share",
            "comment",
            "article",
            "profile_summary",
            "position",
            "recommendation_given",
            "rich_media",
            "screening_answer",
            "coach",
        ):
            assert stated_policy_exposed(when, kind, US), kind
        for kind in ("invitation", "job_application", "member", "inmail", "sponsored"):
            assert not stated_policy_exposed(when, kind, US), kind

    def test_old_posts_are_exposed_when_no_opt_out(self) -> None:
        assert stated_policy_exposed(utc(2019, 1, 1), "share", US)

    def test_opt_out_day_stops_exposure(self) -> None:
        assert stated_policy_exposed(utc(2025, 1, 14, 23, 59, 59), "share", US_OPTED)
        assert not stated_policy_exposed(utc(2025, 1, 15), "share", US_OPTED)

    def test_eu_post_before_opt_out_but_before_window_is_not_exposed(self) -> None:
        eu = PolicySettings(POLICY_DATE, "EU", date(2025, 6, 1))
        assert not stated_policy_exposed(utc(2024, 1, 1), "share", eu)
        eu_open = PolicySettings(POLICY_DATE, "EU", None)
        assert stated_policy_exposed(utc(2024, 1, 1), "share", eu_open)

    def test_hong_kong_gap_item_waits_for_the_second_window(self) -> None:
        in_gap = utc(2025, 1, 1)
        assert stated_policy_exposed(in_gap, "comment", PolicySettings(POLICY_DATE, "HK", None))
        cut = PolicySettings(POLICY_DATE, "HK", date(2025, 6, 1))
        assert not stated_policy_exposed(in_gap, "comment", cut)
        assert stated_policy_exposed(utc(2024, 10, 10, 23, 59, 59), "comment", cut)
        assert not stated_policy_exposed(utc(2024, 10, 11), "comment", cut)

    def test_canada_gap(self) -> None:
        cut = PolicySettings(POLICY_DATE, "CA", date(2025, 6, 1))
        assert stated_policy_exposed(utc(2024, 12, 9, 12), "share", cut)
        assert not stated_policy_exposed(utc(2024, 12, 10), "share", cut)

    def test_undated_items_follow_open_windows(self) -> None:
        assert stated_policy_exposed(None, "profile_summary", US_OPTED)
        eu_cut = PolicySettings(POLICY_DATE, "EU", date(2025, 6, 1))
        assert not stated_policy_exposed(None, "profile_summary", eu_cut)


def test_complaint_scope_is_private_messages() -> None:
    assert complaint_scope("member")
    assert complaint_scope("inmail")
    for kind in ("sponsored", "linkedin", "coach"):
        assert not complaint_scope(kind)
