"""The policy timeline (POLICY.md) as pure functions: which period a dated item falls in and
whether each of the two readings of "exposed" covers it.

Nothing here is legal advice: the complaint's theory is an allegation (the case was voluntarily
dismissed), and LinkedIn's stated policy is what its help pages say, not a verified fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Literal

from auditor.errors import AuditError

POLICY_DATE: date = date(2024, 9, 18)
# Extended to EU/EEA/CH/UK/CA/HK on this day, on by default (POLICY.md timeline).
EXTENSION_DATE: date = date(2025, 11, 3)
# De La Torre v. LinkedIn Corp., voluntarily dismissed without prejudice.
COMPLAINT_DISMISSED: date = date(2025, 1, 30)

Period = Literal["before", "after", "after_opt_out", "undated"]
PERIODS: tuple[Period, ...] = ("before", "after", "after_opt_out", "undated")

# Regions whose stated-policy windows differ from the default (US and most countries).
SPECIAL_REGIONS: tuple[str, ...] = ("US", "EU", "EEA", "CH", "UK", "CA", "HK")

# EU member states (ISO 3166-1 alpha-2; Greece also as "EL", the EU's own code).
_EU = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "EL",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    }
)
_EEA_ONLY = frozenset({"IS", "LI", "NO"})
_ALIASES = {"GB": "UK", "UK": "UK", "EU": "EU", "EEA": "EEA"}

# LinkedIn's help pages: what it says it trains on. Message kinds appear too: coach messages are
# "prompts to AI features". Not used: private messages, job-application data; invitations are
# private notes to one person, not profile or feed content.
STATED_SCOPE_KINDS: frozenset[str] = frozenset(
    {
        "share",
        "comment",
        "article",
        "rich_media",
        "profile_summary",
        "position",
        "recommendation_given",
        "recommendation_received",
        "screening_answer",
        "coach",
    }
)
COMPLAINT_SCOPE_KINDS: frozenset[str] = frozenset({"member", "inmail"})


@dataclass(frozen=True, slots=True)
class PolicySettings:
    """What the user told us (or the defaults): the policy date, their region, their opt-out day."""

    policy_date: date
    region: str
    opted_out: date | None = None


def parse_region(code: str) -> str:
    """Map a country code or region name to the region whose policy windows apply.

    EU member states become "EU", Iceland/Liechtenstein/Norway "EEA", GB "UK"; any other two-letter
    code is kept as given and gets the default (US-like) windows.
    """
    norm = code.strip().upper()
    if norm in _ALIASES:
        return _ALIASES[norm]
    if norm in _EU:
        return "EU"
    if norm in _EEA_ONLY:
        return "EEA"
    if len(norm) == 2 and norm.isascii() and norm.isalpha():
        return norm
    shown = code.strip()[:20]
    raise AuditError(
        f"unknown region {shown!r}: use a two-letter country code (US, DE, ...) or EU, EEA, UK, "
        "CH, CA, HK"
    )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=timezone.utc)


def _utc(when: datetime) -> datetime:
    """Naive datetimes are taken as UTC: every date in the export is UTC (FORMAT.md §4)."""
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def period_of(when: datetime | None, settings: PolicySettings) -> Period:
    """before < policy date 00:00 UTC <= after < opt-out day 00:00 UTC <= after_opt_out."""
    if when is None:
        return "undated"
    moment = _utc(when)
    if moment < _midnight(settings.policy_date):
        return "before"
    if settings.opted_out is not None and moment >= _midnight(settings.opted_out):
        return "after_opt_out"
    return "after"


def stated_policy_windows(region: str) -> tuple[tuple[date, date | None], ...]:
    """Windows [start, end) in which LinkedIn's stated policy let it train on a region's members.

    End days are exclusive; None means open-ended. Canada's stop day is approximate ("about
    2024-12-10"). POLICY.md lists the UK with the EU (from 2025-11-03) although its timeline has UK
    training suspended on 2024-09-20; the stated-policy list is followed here.
    """
    if region in ("EU", "EEA", "CH", "UK"):
        return ((EXTENSION_DATE, None),)
    if region == "HK":
        return ((POLICY_DATE, date(2024, 10, 11)), (EXTENSION_DATE, None))
    if region == "CA":
        return ((POLICY_DATE, date(2024, 12, 10)), (EXTENSION_DATE, None))
    return ((POLICY_DATE, None),)


def effective_windows(settings: PolicySettings) -> tuple[tuple[date, date | None], ...]:
    """The region's windows cut at the opt-out day (opting out stops future use only)."""
    out: list[tuple[date, date | None]] = []
    for start, end in stated_policy_windows(settings.region):
        stop = end
        if settings.opted_out is not None and (stop is None or settings.opted_out < stop):
            stop = settings.opted_out
        if stop is None or start < stop:
            out.append((start, stop))
    return tuple(out)


def stated_policy_exposed(when: datetime | None, kind: str, settings: PolicySettings) -> bool:
    """Whether LinkedIn's stated policy covers an item of this kind written at `when`.

    An item counts when it existed during a window before the opt-out: anything written before a
    window's end (older posts included, as training uses what the platform holds). Undated items
    (profile text has no date) are assumed present during any open window.
    """
    if kind not in STATED_SCOPE_KINDS:
        return False
    windows = effective_windows(settings)
    if not windows:
        return False
    if when is None:
        return True
    moment = _utc(when)
    return any(end is None or moment < _midnight(end) for _start, end in windows)


def complaint_scope(kind: str) -> bool:
    """The complaint's theory is about private messages: member-to-member and InMail."""
    return kind in COMPLAINT_SCOPE_KINDS
