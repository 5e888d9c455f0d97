"""The risk summary on a rich Console: fits 80 columns, reads the same without colour.

Colour only repeats what the words say (risk level, highlights); when the console has no colour
the matched words are marked with « » so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from auditor.exposure import Period
from auditor.models import PremiumEvidence
from auditor.report.redact import Pseudonyms
from auditor.report.summary import (
    STATUTORY_MINIMUM_USD,
    MonthCount,
    Snippet,
    Summary,
    TopMessage,
)

_RISK_STYLE = {"none": "green", "low": "green", "medium": "yellow", "high": "bold red"}
_SEV_SHORT = {"high": "H", "medium": "M", "low": "L"}
_BARS = " ▁▂▃▄▅▆▇█"
_MAX_BUCKETS = 60
_PERIOD_LABEL = {
    "before": "Before",
    "after": "After",
    "after_opt_out": "Opt-out",
    "undated": "Undated",
}
_NOT_USED = frozenset({"invitation", "job_application"})
_KIND_LABEL = {
    "share": "posts",
    "comment": "comments",
    "article": "articles",
    "rich_media": "photos/media",
    "profile_summary": "profile summary",
    "position": "positions",
    "recommendation_given": "recs given",
    "recommendation_received": "recs received",
    "screening_answer": "job answers",
    "coach": "coach prompts",
    "invitation": "invitations",
    "job_application": "job applications",
}


def _day(d: date | datetime | None) -> str:
    if d is None:
        return "undated"
    return f"{d:%Y-%m-%d}"


def _long_day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _n(value: int) -> str:
    """Counts in at most 5 characters so the topic table keeps within 80 columns."""
    if value < 10_000:
        return str(value)
    if value < 1_000_000:
        return f"{value / 1000:.0f}k" if value >= 100_000 else f"{value / 1000:.1f}k"
    return f"{value / 1_000_000:.1f}M"


def _topic_label(topic: str) -> str:
    return topic.replace("_", " ")


def _plain(console: Console) -> bool:
    return console.no_color or console.color_system is None


# ---------------------------------------------------------------- sections


def _header(summary: Summary) -> Panel:
    risk = summary.risk
    body = Text()
    body.append("Risk: ")
    body.append(risk.upper(), style=_RISK_STYLE.get(risk, ""))
    body.append("\n" + summary.headline)
    return Panel(body, title="LinkedIn export audit", title_align="left", box=box.ROUNDED)


def _topic_table(summary: Summary) -> Table:
    settings = summary.settings
    by_period = {p.period: p for p in summary.periods}
    shown: list[Period] = ["before", "after"]
    if settings.opted_out is not None or by_period["after_opt_out"].messages:
        shown.append("after_opt_out")
    if by_period["undated"].messages:
        shown.append("undated")
    table = Table(
        title=f"Private messages before and after {_long_day(settings.policy_date)}",
        title_justify="left",
        box=box.SIMPLE_HEAD,  # its column separator is one space: no padding needed
        padding=0,
        pad_edge=False,
        show_edge=False,
    )
    table.add_column("Topic", no_wrap=True)
    table.add_column("Sev", no_wrap=True)
    for p in shown:
        table.add_column(_PERIOD_LABEL[p], justify="right", no_wrap=True)
    for name in ("Words", "Sent", "Recv", "InMail", "People"):
        table.add_column(name, justify="right", no_wrap=True)
    for t in summary.topics:
        counts = {
            "before": t.before,
            "after": t.after,
            "after_opt_out": t.after_opt_out,
            "undated": t.undated,
        }
        table.add_row(
            _topic_label(t.topic),
            _SEV_SHORT.get(t.severity, t.severity),
            *(_n(counts[p]) for p in shown),
            _n(t.words),
            _n(t.sent),
            _n(t.received),
            _n(t.inmail_threads),
            _n(t.people),
            style="dim" if t.flagged == 0 else "",
        )
    tot = summary.totals
    table.add_section()
    table.add_row(
        "any topic",
        "",
        *(_n(by_period[p].flagged) for p in shown),
        _n(tot.words_flagged),
        _n(tot.sent_flagged),
        _n(tot.received_flagged),
        _n(tot.inmail_threads_flagged),
        _n(tot.people_flagged),
        style="bold",
    )
    blanks = ("",) * 5
    table.add_row("messages", "", *(_n(by_period[p].messages) for p in shown), *blanks)
    table.add_row("share flagged", "", *(f"{by_period[p].share:.0%}" for p in shown), *blanks)
    return table


def _topic_notes(summary: Summary) -> Text:
    tot = summary.totals
    lines = [
        "A message counts once per topic; InMail = InMail threads, People = distinct "
        "people whose conversations were flagged (they are exposed too)."
    ]
    if tot.flagged_system:
        parts = [
            f"{_topic_label(t.topic)} {t.system_messages}"
            for t in summary.topics
            if t.system_messages
        ]
        lines.append(
            f"Kept apart: {_plural(tot.flagged_system, 'flagged ad or LinkedIn message')} "
            f"of {tot.system_messages} ({', '.join(parts)}); they are not your own conversations."
        )
    if tot.content_items:
        lines.append(
            f"Posts, comments and other content: {tot.flagged_content} of {tot.content_items} "
            "items flagged (see LinkedIn's stated policy below)."
        )
    return Text("\n".join(lines), style="dim")


def _buckets(months: Sequence[MonthCount]) -> tuple[str, list[tuple[str, int, int]]]:
    """Months, quarters or years, whichever keeps the line within _MAX_BUCKETS characters."""
    if len(months) <= _MAX_BUCKETS:
        return "month", [(m.month, m.messages, m.flagged) for m in months]
    grouped: dict[str, list[int]] = {}
    unit = "quarter" if len(months) <= _MAX_BUCKETS * 3 else "year"
    for m in months:
        year, month = m.month[:4], int(m.month[5:7])
        key = f"{year}-Q{(month - 1) // 3 + 1}" if unit == "quarter" else year
        acc = grouped.setdefault(key, [0, 0])
        acc[0] += m.messages
        acc[1] += m.flagged
    return unit, [(k, v[0], v[1]) for k, v in grouped.items()]


def _bucket_of(day: date, unit: str) -> str:
    if unit == "month":
        return f"{day:%Y-%m}"
    if unit == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def _spark(values: Sequence[int]) -> str:
    peak = max(values, default=0)
    if peak == 0:
        return " " * len(values)
    top = len(_BARS) - 1
    return "".join(_BARS[0] if v == 0 else _BARS[max(1, round(v * top / peak))] for v in values)


def _timeline(summary: Summary) -> Text | None:
    if not summary.timeline:
        return None
    unit, buckets = _buckets(summary.timeline)
    keys = [b[0] for b in buckets]
    alls = [b[1] for b in buckets]
    flags = [b[2] for b in buckets]
    label_w = 10
    out = Text()
    out.append(
        f"Timeline by {unit}, {keys[0]} to {keys[-1]} (each line scaled to its peak)\n",
        style="bold",
    )
    out.append(f"{'messages':<{label_w}}")
    out.append(_spark(alls), style="cyan")
    out.append(f"  peak {max(alls)}\n")
    out.append(f"{'flagged':<{label_w}}")
    out.append(_spark(flags), style="red")
    out.append(f"  peak {max(flags)}\n")
    policy_key = _bucket_of(summary.settings.policy_date, unit)
    marker = f"policy change {_long_day(summary.settings.policy_date)}"
    if keys[0] <= policy_key <= keys[-1]:
        pos = next(i for i, k in enumerate(keys) if k >= policy_key)
        pad = " " * (label_w + pos)
        if label_w + pos + 2 + len(marker) <= 78:
            out.append(f"{pad}^ {marker}")
        else:
            out.append(f"{pad}^\n{' ' * label_w}{marker} (^)")
    elif policy_key < keys[0]:
        out.append(f"{' ' * label_w}(all after the {marker})")
    else:
        out.append(f"{' ' * label_w}(all before the {marker})")
    return out


def _snippet_text(snippet: Snippet, *, plain: bool) -> Text:
    text = Text('"')
    pos = 0
    for start, end in snippet.highlights:
        text.append(snippet.text[pos:start])
        word = snippet.text[start:end]
        text.append(f"«{word}»" if plain else word, style="bold reverse")
        pos = end
    text.append(snippet.text[pos:] + '"')
    return text


def _top(summary: Summary, top: int, *, redact: bool, plain: bool) -> Group | None:
    items: list[TopMessage] = list(summary.top[:top])
    if not items:
        return None
    alias = Pseudonyms([summary.account.member_name])
    parts: list[Text] = [Text("The most sensitive messages", style="bold")]
    for m in items:
        people = [alias(p) if redact else p for p in m.counterparts]
        who = people[0] if people else ("AI coach" if m.kind == "coach" else "(unknown)")
        if len(people) > 1:
            who += f" +{len(people) - 1}"
        verb = (
            "with"
            if m.kind == "coach"
            else {"sent": "to", "received": "from"}.get(m.direction, "with")
        )
        head = Text(f"{_day(m.date)}  ")
        head.append(f"{verb} {who}" if len(who) <= 28 else f"{verb} {who[:27]}…")
        head.append(f"  {'; '.join(_topic_label(t) for t in m.topics)}", style="bold")
        head.append(f" ({m.severity}{', InMail' if m.kind == 'inmail' else ''})")
        body = Text("  ")
        body.append_text(_snippet_text(m.redacted if redact else m.snippet, plain=plain))
        parts.extend((head, body))
    if len(summary.top) > top:
        parts.append(Text(f"(showing {top}; the CSV lists every flagged message)", style="dim"))
    return Group(*parts)


def _account(summary: Summary, *, redact: bool) -> Text:
    a = summary.account
    s = summary.settings
    out = Text()
    out.append("Account\n", style="bold")
    name = "[member]" if redact and a.member_name else (a.member_name or "(not in export)")
    out.append(f"  Member: {name}; {a.connections} connections")
    if a.registered_at is not None:
        out.append(f"; joined {_day(a.registered_at)}")
    out.append("\n")
    if a.premium:
        out.append("  Premium evidence:\n")
        for line in _premium_lines(a.premium):
            out.append(f"    {line}\n")
    else:
        out.append("  Premium evidence: none in the export\n")
    out.append(f"  Region assumed: {s.region}; opt-out assumed: ")
    out.append(
        f"{_day(s.opted_out)}\n" if s.opted_out else "none (the export does not record it)\n"
    )
    if a.inferences_total:
        out.append(f"  LinkedIn inferred ({a.inferences_total}):\n")
        for kind, value in a.inferences:
            out.append(f"    {kind}: {value}\n")
    if a.ad_targeting_total:
        out.append(f"  Ad targeting ({a.ad_targeting_total} values), e.g.:\n")
        for column, value in a.ad_targeting:
            out.append(f"    {column}: {value}\n")
    out.rstrip()
    return out


def _scenarios(summary: Summary) -> Group:
    c = summary.complaint
    st = summary.stated
    s = summary.settings
    day = _long_day(s.policy_date)
    left = Text()
    left.append(
        f"Alleged, not proven; the case was voluntarily dismissed on {c.dismissed:%Y-%m-%d}.\n",
        style="italic",
    )
    left.append(f"Retroactive (before {day}):\n")
    left.append(
        f"  {_plural(c.retroactive_messages, 'private message')}, {c.retroactive_flagged} flagged\n"
    )
    left.append(
        f"  {c.retroactive_inmail} InMail, {c.retroactive_inmail_flagged} flagged, "
        f"in {_plural(c.retroactive_inmail_threads, 'thread')}\n"
    )
    until = f"until {_day(s.opted_out)}" if s.opted_out else "no opt-out given"
    left.append(f"Continuing ({until}):\n")
    left.append(f"  {_plural(c.continuing_messages, 'message')}, {c.continuing_flagged} flagged\n")
    if s.opted_out:
        left.append(
            f"After the opt-out: {_plural(c.after_opt_out_messages, 'message')}, "
            f"{c.after_opt_out_flagged} flagged (not exposed)\n"
        )
    if c.undated_messages:
        left.append(
            f"Undated: {_plural(c.undated_messages, 'message')}, {c.undated_flagged} flagged\n"
        )
    left.rstrip()

    note = Text(
        "Private messages are out of scope; LinkedIn says it never used them.\n", style="italic"
    )
    if st.windows:
        spans = ", ".join(
            f"{w[0]:%Y-%m-%d} to {w[1]:%Y-%m-%d}" if w[1] else f"from {w[0]:%Y-%m-%d}"
            for w in st.windows
        )
        note.append(f"Region {st.region}: {spans}\n")
    else:
        note.append(f"Region {st.region}: no window before the opt-out\n")
    note.append(f"{_plural(st.exposed, 'item')} exposed, {st.flagged_exposed} of them flagged:")
    kinds = Table.grid(padding=(0, 0, 0, 1))
    kinds.add_column(no_wrap=True)
    kinds.add_column(justify="right", no_wrap=True)
    kinds.add_column(justify="right", no_wrap=True)
    kinds.add_row(" kind", "exposed", "flagged", style="dim")
    unused: list[str] = []
    for r in st.rows:
        label = _KIND_LABEL.get(r.kind, r.kind)
        if r.kind in _NOT_USED:
            unused.append(f"{label} {r.items}")
        else:
            kinds.add_row(f" {label}", f"{r.exposed}/{r.items}", str(r.flagged_exposed))
    parts_right: list[Table | Text] = [note, kinds]
    if unused:
        parts_right.append(Text(f"Not used, says LinkedIn: {', '.join(unused)}", style="dim"))
    right = Group(*parts_right)

    table = Table(
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        expand=True,
        title='Two readings of "exposed"',
        title_justify="left",
    )
    table.add_column("The complaint's theory", ratio=1)
    table.add_column("LinkedIn's stated policy", ratio=1)
    table.add_row(left, right)
    parts: list[Table | Text] = [table]
    if c.statutory_applies:
        parts.append(
            Text(
                f"Scenario only, not money owed: under the complaint's theory, 18 U.S.C. § 2707(c) "
                f"sets a minimum of ${STATUTORY_MINIMUM_USD:,} per person (not per message) for "
                "a person entitled to recover. Several circuits (4th, 5th, 11th) require proof of "
                "actual damages first; the case was dismissed with no ruling or settlement. "
                "Shown because the export has Premium evidence and InMail before the policy date."
            )
        )
    return Group(*parts)


def _premium_lines(premium: Sequence[PremiumEvidence]) -> list[str]:
    """One line per kind of subscription: how many records and over which dates."""
    by_kind: dict[str, list[PremiumEvidence]] = {}
    for p in premium:
        by_kind.setdefault(p.description or "subscription", []).append(p)
    lines = []
    for kind, items in by_kind.items():
        dates = sorted(p.date for p in items if p.date is not None)
        when = ""
        if dates:
            first, last = _day(dates[0]), _day(dates[-1])
            when = f", {first}" if first == last else f", {first} to {last}"
        count = f"{len(items)} record{'s' if len(items) != 1 else ''}"
        lines.append(f"{kind}: {count}{when}")
    return lines


def _caveats(summary: Summary) -> Group:
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for caveat in summary.caveats:
        grid.add_row(" -", caveat)
    return Group(Text("Caveats", style="bold"), grid)


def _files(summary: Summary) -> Text:
    f = summary.files
    out = Text()
    out.append(
        f"Files: {len(f.files)}; rows read {f.rows_read}, loaded {f.rows_loaded}, "
        f"rejected {f.rows_rejected}"
    )
    if f.rows_repaired:
        out.append(f"; {f.rows_repaired} repaired")
    if f.duplicates_merged:
        out.append(f"; {f.duplicates_merged} duplicates merged")
    out.append(".")
    if f.rows_rejected:
        worst = ", ".join(f"{r.path} {r.rows_rejected}" for r in f.files if r.rows_rejected)
        out.append(
            f"\nWarning: {_plural(f.rows_rejected, 'row')} could not be read ({worst}); ",
            style="yellow",
        )
        out.append("they are left out of every count.", style="yellow")
    unknown = [r.path for r in f.files if not r.understood]
    if unknown:
        out.append(f"\nNot understood (listed, skipped): {', '.join(unknown[:5])}")
        if len(unknown) > 5:
            out.append(f" and {len(unknown) - 5} more")
    return out


def render_summary(
    summary: Summary, console: Console, *, redact: bool = False, top: int = 10
) -> None:
    """Print the whole summary; `redact` masks matched words, identifiers and names."""
    plain = _plain(console)
    console.print(_header(summary))
    console.print(_topic_table(summary))
    console.print(_topic_notes(summary))
    timeline = _timeline(summary)
    if timeline is not None:
        console.print()
        console.print(timeline)
    top_group = _top(summary, top, redact=redact, plain=plain)
    if top_group is not None:
        console.print()
        console.print(top_group)
    console.print()
    console.print(_account(summary, redact=redact))
    console.print()
    console.print(_scenarios(summary))
    console.print()
    console.print(_caveats(summary))
    console.print(_files(summary))
