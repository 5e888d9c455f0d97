"""Account facts: connections, registration, Premium receipts, inferences, ad targeting, and
plain row counting for the files we recognise but take no text from."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.loader.common import FileAcc, InputResult, column_index, field_at
from auditor.loader.content import take_header
from auditor.loader.dates import DateParser
from auditor.models import PremiumEvidence

__all__ = [
    "count_rows",
    "read_ad_targeting",
    "read_connections",
    "read_inferences",
    "read_receipts",
    "read_registration",
]

_HEADER_SCAN = 10  # Connections.csv has 3 preamble lines, or none when users strip them
_NOT_PREMIUM = frozenset({"", "basic", "free", "none", "n/a"})


def count_rows(acc: FileAcc, records: Iterator[list[str]], *, has_header: bool = True) -> None:
    """Files we do not extract from: every data record is a loaded row."""
    if has_header and take_header(records) is None:
        return
    for _ in records:
        acc.read += 1
    acc.loaded = acc.read


def read_connections(acc: FileAcc, records: Iterator[list[str]], result: InputResult) -> None:
    """Connections.csv: the header is found by content (the preamble is optional); every data
    row counts, hidden profiles (`,,,,,,14 Sep 2024`) included."""
    header: list[str] | None = None
    skipped = 0
    for rec in records:
        low = {f.strip().lower() for f in rec}
        if "first name" in low and ("connected on" in low or "last name" in low):
            header = rec
            break
        skipped += 1
        if skipped >= _HEADER_SCAN:
            break
    if header is None:
        acc.file_issue("no header with First Name / Connected On found", rejected=True)
        acc.read = acc.rejected = skipped + sum(1 for _ in records)
        return
    i_date = column_index(header).get("connected on", -1)
    parse = DateParser()
    for rec in records:
        acc.read += 1
        raw = field_at(rec, i_date)
        if raw:
            acc.see_date(parse(raw))
    acc.loaded = acc.read
    result.connections += acc.loaded


def read_registration(acc: FileAcc, records: Iterator[list[str]], result: InputResult) -> None:
    header = take_header(records)
    if header is None:
        return
    cols = column_index(header)
    i_at = cols.get("registered at", cols.get("registration date", -1))
    i_sub = cols.get("subscription types", -1)
    parse = DateParser()
    for rec in records:
        acc.read += 1
        acc.loaded += 1
        at = acc.parse_date(acc.read, field_at(rec, i_at), parse)
        if at is not None and result.registered_at is None:
            result.registered_at = at
        subs = field_at(rec, i_sub).strip()
        if subs and not result.subscription_types:
            result.subscription_types = subs
        if subs.lower() not in _NOT_PREMIUM:
            # The current subscription, not one dated at registration: no date.
            result.premium.append(PremiumEvidence(acc.path, subs, None))


def read_receipts(acc: FileAcc, records: Iterator[list[str]], result: InputResult) -> None:
    """Receipts.csv and Receipts_v2.csv (both may be present; merged by the export step)."""
    header = take_header(records)
    if header is None:
        return
    cols = column_index(header)
    i_desc = cols.get("description", -1)
    i_at = cols.get("transaction made at", -1)
    parse = DateParser()
    for rec in records:
        acc.read += 1
        acc.loaded += 1
        at = acc.parse_date(acc.read, field_at(rec, i_at), parse)
        desc = field_at(rec, i_desc).strip()
        if desc:
            result.premium.append(PremiumEvidence(acc.path, desc, at))


def read_inferences(acc: FileAcc, records: Iterator[list[str]], result: InputResult) -> None:
    header = take_header(records)
    if header is None:
        return
    cols = column_index(header)
    i_cat, i_type = cols.get("category", -1), cols.get("type of inference", -1)
    i_inf = cols.get("inference", -1)
    for rec in records:
        acc.read += 1
        acc.loaded += 1
        label = "/".join(
            p for p in (field_at(rec, i_cat).strip(), field_at(rec, i_type).strip()) if p
        )
        value = field_at(rec, i_inf).strip()
        if label or value:
            result.inferences.append((label, value))


def read_ad_targeting(acc: FileAcc, records: Iterator[list[str]], result: InputResult) -> None:
    """Ad_Targeting.csv repeats column names ("Company Names" ×3): pair by position, keep all."""
    header = take_header(records)
    if header is None:
        return
    names = [h.strip().lstrip("\ufeff") for h in header]
    for rec in records:
        acc.read += 1
        acc.loaded += 1
        for name, value in zip(names, rec, strict=False):
            if value.strip():
                result.ad_targeting.append((name, value.strip()))
