"""The JSON report (schema in docs/report-schema.md): counts, ids and dates, never message text.

It is meant to be shareable, so people's names, message text, titles and matched words stay out.
Deterministic: no run timestamps, sorted keys, floats rounded.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from auditor.outfiles import atomic_write_bytes
from auditor.report.summary import STATUTORY_MINIMUM_USD, Summary, iso_utc

SCHEMA_VERSION = "1.0"
TOOL_NAME = "linkedin-audit"


def _day(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _when(d: datetime | None) -> str | None:
    return iso_utc(d) or None


def report_dict(summary: Summary, *, tool_version: str) -> dict[str, Any]:
    """The report as plain JSON-able data, following SCHEMA_VERSION."""
    s = summary.settings
    t = summary.totals
    c = summary.complaint
    st = summary.stated
    a = summary.account
    f = summary.files
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": tool_version},
        "policy": {
            "date": s.policy_date.isoformat(),
            "region": s.region,
            "opted_out": _day(s.opted_out),
        },
        "risk": {"level": summary.risk, "headline": summary.headline},
        "totals": {
            "messages": t.messages,
            "private_messages": t.private_messages,
            "system_messages": t.system_messages,
            "content_items": t.content_items,
            "flagged": t.flagged,
            "flagged_system": t.flagged_system,
            "flagged_content": t.flagged_content,
            "words_flagged": t.words_flagged,
            "sent_flagged": t.sent_flagged,
            "received_flagged": t.received_flagged,
            "inmail_threads_flagged": t.inmail_threads_flagged,
            "people_flagged": t.people_flagged,
            "rows_rejected": t.rows_rejected,
        },
        "periods": {
            p.period: {"messages": p.messages, "flagged": p.flagged, "words": p.words}
            for p in summary.periods
        },
        "topics": {
            x.topic: {
                "severity": x.severity,
                "flagged": x.flagged,
                "before": x.before,
                "after": x.after,
                "after_opt_out": x.after_opt_out,
                "undated": x.undated,
                "sent": x.sent,
                "received": x.received,
                "unknown_direction": x.unknown_direction,
                "words": x.words,
                "inmail_threads": x.inmail_threads,
                "people": x.people,
                "content_items": x.content_items,
                "system_messages": x.system_messages,
            }
            for x in summary.topics
        },
        "timeline": [
            {"month": m.month, "messages": m.messages, "flagged": m.flagged}
            for m in summary.timeline
        ],
        "top_messages": [
            {
                "message_id": m.message_id,
                "date": _when(m.date),
                "period": m.period,
                "kind": m.kind,
                "direction": m.direction,
                "topics": list(m.topics),
                "severity": m.severity,
                "score": round(m.score, 3),
            }
            for m in summary.top
        ],
        "scenarios": {
            "complaint": {
                "status": "alleged",
                "dismissed": c.dismissed.isoformat(),
                "retroactive": {
                    "messages": c.retroactive_messages,
                    "flagged": c.retroactive_flagged,
                    "inmail": c.retroactive_inmail,
                    "inmail_flagged": c.retroactive_inmail_flagged,
                    "inmail_threads": c.retroactive_inmail_threads,
                },
                "continuing": {"messages": c.continuing_messages, "flagged": c.continuing_flagged},
                "after_opt_out": {
                    "messages": c.after_opt_out_messages,
                    "flagged": c.after_opt_out_flagged,
                },
                "undated": {"messages": c.undated_messages, "flagged": c.undated_flagged},
                "statutory": {
                    "applies": c.statutory_applies,
                    "basis": "18 U.S.C. § 2707(c)",
                    "minimum_usd_per_person": STATUTORY_MINIMUM_USD
                    if c.statutory_applies
                    else None,
                    "note": "scenario only, not money owed; per person, not per message",
                },
            },
            "stated_policy": {
                "region": st.region,
                "windows": [
                    {"start": start.isoformat(), "end": _day(end)} for start, end in st.windows
                ],
                "exposed": st.exposed,
                "flagged_exposed": st.flagged_exposed,
                "excluded_private_messages": st.excluded_private_messages,
                "kinds": {
                    r.kind: {
                        "items": r.items,
                        "flagged": r.flagged,
                        "exposed": r.exposed,
                        "flagged_exposed": r.flagged_exposed,
                    }
                    for r in st.rows
                },
            },
        },
        "account": {
            "premium": [
                {"description": p.description, "date": _when(p.date), "source_file": p.source_file}
                for p in a.premium
            ],
            "connections": a.connections,
            "registered_at": _when(a.registered_at),
            "inferences": a.inferences_total,
            "ad_targeting": a.ad_targeting_total,
        },
        "rows": {
            "read": f.rows_read,
            "loaded": f.rows_loaded,
            "rejected": f.rows_rejected,
            "repaired": f.rows_repaired,
            "duplicates_merged": f.duplicates_merged,
        },
        "files": [
            {
                "path": r.path,
                "kind": r.kind,
                "understood": r.understood,
                "rows_read": r.rows_read,
                "rows_loaded": r.rows_loaded,
                "rows_rejected": r.rows_rejected,
                "date_min": _when(r.date_min),
                "date_max": _when(r.date_max),
                "note": r.note,
                "source": r.source,
            }
            for r in f.files
        ],
        "caveats": list(summary.caveats),
    }


def dumps(data: dict[str, Any]) -> str:
    """Sorted keys, indent 2, UTF-8 text, trailing newline: byte-identical for the same data."""
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_json(target: str, data: dict[str, Any], *, inputs: Sequence[str] = ()) -> None:
    """Write the report atomically (0600), or to stdout for "-"."""
    text = dumps(data)
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    atomic_write_bytes(Path(target), text.encode("utf-8"), inputs=inputs)
