"""Every date format seen in LinkedIn exports (FORMAT.md §4), parsed to tz-aware UTC.

None of the formats carries an offset and every sample is UTC, so naive values are taken as UTC.
Every `M/D/YY` sample is US order: we never guess day-first. A `DateParser` remembers which
format last worked, so a file in one format pays for one cheap attempt per row; dateutil is
only the last resort for odd values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timezone

from dateutil import parser as _du_parser  # type: ignore[import-untyped]

__all__ = ["MAX_YEAR", "MIN_YEAR", "DateParser", "parse_date"]

UTC = timezone.utc
MIN_YEAR = 1990
MAX_YEAR = 2100

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}


def _month(name: str) -> int:
    """Month number from an English month name or abbreviation ('Sept' included); 0 if none."""
    return _MONTHS.get(name[:3].lower(), 0)


def _year(text: str) -> int:
    """Two-digit years are 20YY (LinkedIn exists since 2003); 90..99 read as 19YY."""
    y = int(text)
    if len(text) <= 2:
        y += 1900 if y >= 90 else 2000
    return y


def _hour12(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    if hour < 1 or hour > 12:
        raise ValueError("hour out of range")
    pm = ampm[0] in "pP"
    return (hour % 12) + (12 if pm else 0)


def _mk(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    return datetime(y, mo, d, h, mi, s, tzinfo=UTC)


_fromiso = datetime.fromisoformat

# --- one function per format; each returns a datetime, None (out of range) or raises ValueError


def _iso(s: str) -> datetime | None:
    """`2024-12-16 18:24:37 UTC`, `2019-11-06T02:08:20`, `2024-03-17 18:03:38`,
    `2019-02-28 20:33 UTC`, `2024/12/15 08:53:43 UTC` (slashes after the year)."""
    if len(s) < 10 or s[4] not in "-/":
        raise ValueError("not iso")
    if s[4] == "/":
        s = s.replace("/", "-", 2)
    if len(s) == 23 and s[19:] == " UTC" and s[10] == " ":  # the messages format: fast path
        dt = _fromiso(s[:19] + "+00:00")
    else:
        if s.endswith(" UTC"):
            s = s[:-4]
        elif s.endswith("Z"):
            s = s[:-1]
        dt = _fromiso(s)
        dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    return dt


_US = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
    r"(?:\s*(?:UTC|GMT))?"
)


def _us(s: str) -> datetime | None:
    """`3/12/24, 11:20 AM` (Invitations, Registration, Receipts, 2018 Messages),
    `11/26/24 01:32 PM UTC` (Receipts_v2), and Excel's `3/12/2024 11:20`. Always month first."""
    m = _US.fullmatch(s)
    if m is None:
        raise ValueError("not us")
    mo, d, y, h, mi, sec, ampm = m.groups()
    return _mk(
        _year(y),
        int(mo),
        int(d),
        _hour12(int(h or 0), ampm) if h else 0,
        int(mi or 0),
        int(sec or 0),
    )


_DMY = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4}|\d{2})")


def _dmy(s: str) -> datetime | None:
    """`16 Dec 2024` (Connections) and Excel re-saved `23-Apr-23`."""
    m = _DMY.fullmatch(s)
    if m is None:
        raise ValueError("not dmy")
    mo = _month(m.group(2))
    if not mo:
        raise ValueError("bad month")
    return _mk(_year(m.group(3)), mo, int(m.group(1)))


_JAVA = re.compile(
    r"[A-Za-z]{3} ([A-Za-z]{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) [A-Za-z]{1,5} (\d{4})"
)


def _java(s: str) -> datetime | None:
    """`Wed Jun 16 06:56:05 UTC 2021` (Company Follows, Logins): Java's Date.toString()."""
    m = _JAVA.fullmatch(s)
    if m is None:
        raise ValueError("not java")
    mo = _month(m.group(1))
    if not mo:
        raise ValueError("bad month")
    return _mk(
        int(m.group(6)), mo, int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5))
    )


_MON_YEAR = re.compile(r"(?:([A-Za-z]{3,9})\.? )?(\d{4})")


def _mon_year(s: str) -> datetime | None:
    """`Jun 2018` and `2018` (Positions, Education, Certifications): first day of the period."""
    m = _MON_YEAR.fullmatch(s)
    if m is None:
        raise ValueError("not month-year")
    mo = 1
    if m.group(1):
        mo = _month(m.group(1))
        if not mo:
            raise ValueError("bad month")
    return _mk(int(m.group(2)), mo, 1)


_PROSE = re.compile(
    r"([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})(?: at (\d{1,2}):(\d{2})\s*([AaPp][Mm])?)?"
)


def _prose(s: str) -> datetime | None:
    """`You uploaded a photo on March 9, 2026 at 2:58 PM (GMT)` (Rich_Media)."""
    m = _PROSE.search(s)
    if m is None:
        raise ValueError("not prose")
    mo = _month(m.group(1))
    if not mo:
        raise ValueError("bad month")
    h = _hour12(int(m.group(4)), m.group(6)) if m.group(4) else 0
    return _mk(int(m.group(3)), mo, int(m.group(2)), h, int(m.group(5) or 0))


_EMPTY = frozenset({"", "n/a", "na", "none", "null", "-", "unknown"})
_PARSERS: tuple[Callable[[str], datetime | None], ...] = (_iso, _us, _dmy, _java, _mon_year, _prose)
_SLASHED = re.compile(r"\d{1,2}/\d{1,2}/")
_DU_DEFAULT = datetime(1, 1, 1)  # a value without a year lands in year 1: out of range, None


def _dateutil(s: str) -> datetime | None:
    if len(s) > 64 or not any(c.isdigit() for c in s) or _SLASHED.match(s):
        return None  # a slashed date our US parser refused must not be re-read day-first
    try:
        dt: datetime = _du_parser.parse(s, default=_DU_DEFAULT, dayfirst=False)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    try:
        dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    return dt


class DateParser:
    """Parses one file's dates, trying the format that worked last time first (the fast path)."""

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: Callable[[str], datetime | None] = _iso

    def __call__(self, raw: str) -> datetime | None:
        s = raw.strip()
        try:
            return self._last(s)
        except (ValueError, OverflowError):
            pass
        if s.lower() in _EMPTY:
            return None
        for fn in _PARSERS:
            if fn is self._last:
                continue
            try:
                dt = fn(s)
            except (ValueError, OverflowError):
                continue
            self._last = fn
            return dt
        return _dateutil(s)


def parse_date(raw: str) -> datetime | None:
    """Parse any LinkedIn export date to tz-aware UTC; None when empty, unparseable or out of
    the 1990..2100 range."""
    return DateParser()(raw)
