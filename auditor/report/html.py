"""One self-contained HTML file: the summary, four charts and the flagged items, fully offline.

Why it looks like this:
- Charts are drawn by matplotlib (a well-kept library, already the reference for static plots)
  into inline SVG: no runtime, no CDN, vector output that prints sharply. matplotlib is heavy, so
  it is the optional extra `html` and imported lazily.
- A strict Content-Security-Policy meta tag forbids every request (no fonts, images or scripts
  from anywhere), so the page cannot leak what it shows even if a message tried to.
- Every piece of text from the export goes through `html.escape`; the small inline script only
  toggles `hidden` and reorders rows, it never builds HTML from data.
- The table is capped (TABLE_CAP rows, TEXT_CAP characters per text, TABLE_BYTES in all) so
  any export, however long or odd its texts, gives a page under 20 MB; the CSV holds everything.
- Output is deterministic (fixed SVG hash salt, no dates in SVG metadata, no run timestamp).
"""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.errors import AuditError
from auditor.exposure import Period, PolicySettings, period_of, stated_policy_exposed
from auditor.models import Classification, ContentItem, Finding, Message, PremiumEvidence
from auditor.report.redact import (
    Pseudonyms,
    finding_spans,
    mask_with_spans,
    merge_spans,
    redaction_spans,
)
from auditor.report.summary import (
    SEVERITY_RANK,
    SYSTEM_KINDS,
    Summary,
    content_id,
    counterparts,
    highest_severity,
    max_score,
    message_id,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from auditor.pipeline import ScanResult

TABLE_CAP = 5000  # rows of the flagged table; the CSV holds them all
TEXT_CAP = 2000  # characters of one message shown in the table
TABLE_BYTES = 12_000_000  # budget for the table's rows; charts and the rest stay well under 1 MB
NAME_CAP = 80  # characters of a name, title or list of people shown
TOP_PEOPLE = 10
MISSING_MATPLOTLIB = "--html needs the optional extra: pip install 'linkedin-audit[html]'"

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)
GREY = "#999999"
LIGHT_GREY = "#DDDDDD"
# A second cue besides colour, for topics beyond the eighth colour and for greyscale print.
HATCHES: tuple[str, ...] = ("", "//", "..", "xx")

PERIOD_LABELS: Mapping[str, str] = {
    "before": "before the policy date",
    "after": "after the policy date",
    "after_opt_out": "after your opt-out",
    "undated": "undated",
}
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


# ---------------------------------------------------------------- small helpers


def _e(value: object) -> str:
    """Escape anything for HTML text and attribute values (quotes included)."""
    return escape(str(value), quote=True)


def _utc(when: datetime) -> datetime:
    return (
        when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)
    )


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _utc(value).date()
    return f"{value.day} {value:%b %Y}"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else (plural or noun + 's')}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _topic_label(topic: str) -> str:
    return topic.replace("_", " ")


def require_matplotlib() -> None:
    """AuditError with the install hint when the optional extra is missing (the CLI can call this
    before a long scan)."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise AuditError(MISSING_MATPLOTLIB) from exc


# ---------------------------------------------------------------- buckets for the time charts


def _bucket_unit(first: date, last: date) -> str:
    """Months while the bars stay readable; quarters, then years, for long histories."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    if months <= 60:
        return "month"
    if months <= 160:
        return "quarter"
    return "year"


def _bucket(day: date, unit: str) -> date:
    if unit == "month":
        return date(day.year, day.month, 1)
    if unit == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def _next_bucket(start: date, unit: str) -> date:
    step = {"month": 1, "quarter": 3, "year": 12}[unit]
    month = start.month - 1 + step
    return date(start.year + month // 12, month % 12 + 1, 1)


def _bucket_label(start: date, unit: str) -> str:
    if unit == "month":
        return f"{start:%Y-%m}"
    if unit == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}"


def _buckets(days: Sequence[date], extra: Sequence[date] = ()) -> tuple[str, list[date]]:
    """The unit and every bucket start from the first to the last day (gaps included)."""
    span = [*days, *extra]
    unit = _bucket_unit(min(span), max(span))
    out = [_bucket(min(span), unit)]
    stop = _bucket(max(span), unit)
    while out[-1] < stop:
        out.append(_next_bucket(out[-1], unit))
    return unit, out


# ---------------------------------------------------------------- charts (matplotlib -> SVG)


@dataclass(frozen=True, slots=True)
class Chart:
    """One rendered chart with its text alternatives."""

    key: str
    title: str
    caption: str
    svg: str
    alt: str  # one-sentence description, the aria-label
    table: str  # the data as an HTML table, shown in <details>


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _svg_markup(fig: Figure, key: str, alt: str) -> str:
    """Render `fig` to inline SVG: deterministic, ids namespaced per chart, scalable, labelled."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"linkedin-audit-{key}", "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    # Several SVGs share one document: give every id and reference a per-chart prefix.
    svg = _SVG_ID.sub(lambda m: f'id="{key}-{m.group(1)}"', svg)
    svg = svg.replace("url(#", f"url(#{key}-").replace('xlink:href="#', f'xlink:href="#{key}-')
    # Scale with the page: keep the viewBox, drop the fixed size in points.
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    return svg.replace(
        "<svg", f'<svg role="img" aria-label="{_e(alt)}" class="chart-svg"', 1
    ).strip()


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.set_facecolor("white")
    return fig


_EPOCH = date(1970, 1, 1)  # matplotlib's default date epoch, pinned in render_html


def _num(day: date) -> float:
    """A day as a matplotlib date number (days since _EPOCH)."""
    return float((day - _EPOCH).days)


def _integer_ticks(ax: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import MaxNLocator

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))


def _style_axes(ax: Axes) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=8)
    ax.grid(axis="y", color="#EEEEEE", linewidth=0.8)
    ax.set_axisbelow(True)


def _date_axis(ax: Axes) -> None:
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _mark_dates(ax: Axes, settings: PolicySettings, *, label: bool) -> None:
    x = _num(settings.policy_date)
    ax.axvline(x, color="#000000", linestyle="--", linewidth=1.2)
    if label:
        ax.annotate(
            f"policy {_day(settings.policy_date)}",
            (x, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -2),
            textcoords="offset points",
            va="top",
            fontsize=8,
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        )
    if settings.opted_out is not None:
        xo = _num(settings.opted_out)
        ax.axvline(xo, color="#6B2E57", linestyle="-.", linewidth=1.4)
        if label:
            ax.annotate(
                f"opt-out {_day(settings.opted_out)}",
                (xo, 0.86),
                xycoords=("data", "axes fraction"),
                xytext=(3, -2),
                textcoords="offset points",
                va="top",
                fontsize=8,
                color="#6B2E57",
                bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            )


def _legend_above(ax: Axes) -> None:
    """Above the plot, in one row: never on top of a long bar."""
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncol=len(labels),
        fontsize=8,
        frameon=False,
        borderaxespad=0.0,
    )


def _data_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<th scope="row">{_e(c)}</th>' if i == 0 else f"<td>{_e(c)}</td>"
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _primary_topic(res: Classification, severity: Mapping[str, str], order: Sequence[str]) -> str:
    """One topic per flagged message so stacked bars add up: the most severe, then best scored."""
    rank = {t: i for i, t in enumerate(order)}

    def key(topic: str) -> tuple[int, float, int]:
        score = max((f.score for f in res.findings if f.topic == topic), default=0.0)
        return (-SEVERITY_RANK.get(severity.get(topic, "low"), 1), -score, rank.get(topic, 99))

    return min(res.flagged, key=key)


def _topic_style(order: Sequence[str]) -> dict[str, tuple[str, str]]:
    return {
        t: (OKABE_ITO[i % len(OKABE_ITO)], HATCHES[(i // len(OKABE_ITO)) % len(HATCHES)])
        for i, t in enumerate(order)
    }


def _timeline_chart(
    result: ScanResult,
    settings: PolicySettings,
    severity: Mapping[str, str],
    order: Sequence[str],
) -> Chart | None:
    """Messages per month on top; flagged ones below, stacked by topic; policy/opt-out marked."""
    dated: list[tuple[date, str | None]] = []
    for msg, res in zip(result.export.messages, result.message_results, strict=True):
        if msg.kind in SYSTEM_KINDS or msg.date is None:
            continue
        topic = _primary_topic(res, severity, order) if res.is_flagged else None
        dated.append((_utc(msg.date).date(), topic))
    if not dated:
        return None
    unit, starts = _buckets([d for d, _ in dated])
    index = {s: i for i, s in enumerate(starts)}
    total = [0] * len(starts)
    per_topic: dict[str, list[int]] = {}
    for day, topic in dated:
        i = index[_bucket(day, unit)]
        total[i] += 1
        if topic is not None:
            per_topic.setdefault(topic, [0] * len(starts))[i] += 1
    topics = [t for t in order if t in per_topic]
    styles = _topic_style(order)

    x = [(_num(s)) for s in starts]
    ends = [(_num(_next_bucket(s, unit))) for s in starts]
    widths = [(b - a) * 0.85 for a, b in zip(x, ends, strict=True)]
    fig = _new_figure(9.0, 5.2)
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [1, 1.5]})
    top.bar(x, total, width=widths, align="edge", color=GREY, label="all messages")
    top.set_ylabel(f"messages\nper {unit}", fontsize=8)
    base = [0] * len(starts)
    for topic in topics:
        color, hatch = styles[topic]
        counts = per_topic[topic]
        bottom.bar(
            x,
            counts,
            width=widths,
            align="edge",
            bottom=base,
            color=color,
            hatch=hatch,
            edgecolor="white" if not hatch else "#333333",
            linewidth=0.3,
            label=_topic_label(topic),
        )
        base = [b + c for b, c in zip(base, counts, strict=True)]
    bottom.set_ylabel(f"flagged\nper {unit}", fontsize=8)
    for ax in (top, bottom):
        _style_axes(ax)
        _mark_dates(ax, settings, label=ax is top)
        _integer_ticks(ax)
    _date_axis(bottom)
    if topics:
        bottom.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18),
            ncol=min(5, len(topics)),
            fontsize=8,
            frameon=False,
        )
    flagged_total = sum(base)
    alt = (
        f"Bar charts of your messages per {unit} from {_bucket_label(starts[0], unit)} to "
        f"{_bucket_label(starts[-1], unit)}: {sum(total):,} dated messages, {flagged_total:,} "
        f"flagged, the flagged ones stacked by topic; a dashed line marks the policy date "
        f"{_day(settings.policy_date)}"
        + (
            f" and a dash-dotted line your opt-out {_day(settings.opted_out)}."
            if settings.opted_out
            else "."
        )
    )
    rows = [
        [_bucket_label(s, unit), total[i], sum(per_topic[t][i] for t in topics)]
        + [per_topic[t][i] for t in topics]
        for i, s in enumerate(starts)
    ]
    table = _data_table([unit, "messages", "flagged", *(_topic_label(t) for t in topics)], rows)
    caption = (
        f"Your messages per {unit} (top) and the flagged ones by topic (bottom). A message with "
        "several topics is counted once, under its most severe topic. Ads and LinkedIn's own "
        "messages are left out; undated messages cannot be placed."
    )
    return Chart(
        "timeline",
        "Messages over time",
        caption,
        _svg_markup(fig, "timeline", alt),
        alt,
        table,
    )


def _share_chart(summary: Summary, settings: PolicySettings) -> Chart | None:
    """Per topic: the share of messages flagged before vs after the policy date (and opt-out)."""
    periods: list[Period] = ["before", "after"]
    if settings.opted_out is not None:
        periods.append("after_opt_out")
    totals: dict[str, int] = {p.period: p.messages for p in summary.periods}
    stats = [t for t in summary.topics if t.flagged > 0]
    if not stats or not any(totals.get(p, 0) for p in periods):
        return None
    colors = {"before": "#0072B2", "after": "#D55E00", "after_opt_out": "#009E73"}
    hatches = {"before": "", "after": "//", "after_opt_out": ".."}

    def share(count: int, period: str) -> float:
        whole = totals.get(period, 0)
        return 100.0 * count / whole if whole else 0.0

    values = {p: [share(getattr(t, p), p) for t in stats] for p in periods}
    height = 0.8 / len(periods)
    fig = _new_figure(9.0, 1.2 + 0.16 * len(stats) * len(periods))
    ax = fig.subplots()
    ys = list(range(len(stats)))
    for j, p in enumerate(periods):
        pos = [y - 0.4 + height * (j + 0.5) for y in ys]
        bars = ax.barh(
            pos,
            values[p],
            height=height * 0.95,
            color=colors[p],
            hatch=hatches[p],
            edgecolor="white",
            linewidth=0.3,
            label=f"{PERIOD_LABELS[p]} ({totals.get(p, 0):,} messages)",
        )
        ax.bar_label(bars, labels=[f"{v:.1f}%" for v in values[p]], fontsize=7, padding=2)
    ax.set_yticks(ys, [_topic_label(t.topic) for t in stats])
    ax.invert_yaxis()
    ax.set_xlabel("share of the period's messages flagged (%)", fontsize=8)
    _style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.8)
    ax.set_xlim(0, max(max(v) for v in values.values()) * 1.2 + 0.5)
    _legend_above(ax)
    best = max(stats, key=lambda t: t.flagged)
    alt = (
        f"Horizontal bar chart of the share of messages flagged per topic, "
        f"{' vs '.join(PERIOD_LABELS[p] for p in periods)}; "
        f"for example {_topic_label(best.topic)}: "
        + ", ".join(f"{values[p][stats.index(best)]:.1f}% {PERIOD_LABELS[p]}" for p in periods)
        + "."
    )
    rows = [
        [_topic_label(t.topic)]
        + [f"{getattr(t, p):,} ({_pct(getattr(t, p), totals.get(p, 0))})" for p in periods]
        for t in stats
    ]
    table = _data_table(["topic", *(PERIOD_LABELS[p] for p in periods)], rows)
    caption = (
        "How much of each period's messages touch each topic. Comparing shares, not counts, "
        "keeps a long history before the policy date from dwarfing the months after it."
    )
    return Chart(
        "share",
        "Flagged share before vs after",
        caption,
        _svg_markup(fig, "share", alt),
        alt,
        table,
    )


def _people_chart(result: ScanResult, pseudonyms: Callable[[str], str] | None) -> Chart | None:
    """The people with the most flagged exchanges, split into received and sent."""
    facts = result.export.account
    received: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for msg, res in zip(result.export.messages, result.message_results, strict=True):
        if msg.kind in SYSTEM_KINDS or not res.is_flagged:
            continue
        for name in counterparts(msg, facts):
            key = name.strip().casefold()
            if key == "linkedin member":
                continue
            shown.setdefault(key, name.strip())
            (sent if msg.direction == "sent" else received)[key] += 1
    people = sorted(set(received) | set(sent), key=lambda k: (-(received[k] + sent[k]), k))
    people = people[:TOP_PEOPLE]
    if not people:
        return None
    labels = [_short(pseudonyms(shown[k]) if pseudonyms else shown[k], 40) for k in people]
    fig = _new_figure(9.0, 0.9 + 0.32 * len(people))
    ax = fig.subplots()
    ys = list(range(len(people)))
    r = [received[k] for k in people]
    s = [sent[k] for k in people]
    ax.barh(ys, r, color="#0072B2", label="received from them", height=0.7)
    bars = ax.barh(
        ys,
        s,
        left=r,
        color="#E69F00",
        hatch="//",
        edgecolor="white",
        linewidth=0.3,
        label="sent to them",
        height=0.7,
    )
    ax.bar_label(
        bars, labels=[str(a + b) for a, b in zip(r, s, strict=True)], fontsize=7, padding=2
    )
    ax.set_yticks(ys, labels)
    ax.invert_yaxis()
    ax.set_xlabel("flagged messages", fontsize=8)
    _integer_ticks(ax, "x")
    _style_axes(ax)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.8)
    _legend_above(ax)
    alt = (
        f"Horizontal bar chart of the {len(people)} people with the most flagged messages; "
        f"first {labels[0]} with {r[0] + s[0]}."
    )
    table = _data_table(
        ["person", "received", "sent", "total"],
        [[lab, a, b, a + b] for lab, a, b in zip(labels, r, s, strict=True)],
    )
    caption = (
        "Whom your flagged messages were exchanged with: the sender of a message you received, "
        "the recipients of one you sent."
    )
    return Chart(
        "people",
        "People with the most flagged exchanges",
        caption,
        _svg_markup(fig, "people", alt),
        alt,
        table,
    )


def _content_chart(result: ScanResult, settings: PolicySettings) -> Chart | None:
    """Content items over time, by whether LinkedIn's stated policy covers them."""
    states = ("exposed, flagged", "exposed", "not covered")
    dated: list[tuple[date, str]] = []
    undated = Counter[str]()
    for item, res in zip(result.export.content, result.content_results, strict=True):
        exposed = stated_policy_exposed(item.date, item.kind, settings)
        state = states[0] if exposed and res.is_flagged else states[1] if exposed else states[2]
        if item.date is None:
            undated[state] += 1
        else:
            dated.append((_utc(item.date).date(), state))
    if not dated:
        return None
    unit, starts = _buckets([d for d, _ in dated])
    index = {s: i for i, s in enumerate(starts)}
    counts = {s: [0] * len(starts) for s in states}
    for day, state in dated:
        counts[state][index[_bucket(day, unit)]] += 1
    x = [(_num(s)) for s in starts]
    ends = [(_num(_next_bucket(s, unit))) for s in starts]
    widths = [(b - a) * 0.85 for a, b in zip(x, ends, strict=True)]
    fig = _new_figure(9.0, 3.4)
    ax = fig.subplots()
    from auditor.exposure import effective_windows

    last = ends[-1]
    for start, end in effective_windows(settings):
        a = _num(start)
        b = (_num(end)) if end is not None else last
        if a < last and b > x[0]:
            ax.axvspan(max(a, x[0]), min(b, last), color="#F0E442", alpha=0.25, linewidth=0)
    colors = {states[0]: "#D55E00", states[1]: "#56B4E9", states[2]: LIGHT_GREY}
    hatches = {states[0]: "//", states[1]: "", states[2]: ""}
    base = [0] * len(starts)
    for state in states:
        ax.bar(
            x,
            counts[state],
            width=widths,
            align="edge",
            bottom=base,
            color=colors[state],
            hatch=hatches[state],
            edgecolor="white",
            linewidth=0.3,
            label=state,
        )
        base = [b + c for b, c in zip(base, counts[state], strict=True)]
    ax.set_ylabel(f"items per {unit}", fontsize=8)
    _style_axes(ax)
    _mark_dates(ax, settings, label=True)
    _date_axis(ax)
    _integer_ticks(ax)
    _legend_above(ax)
    alt = (
        f"Stacked bar chart of your posts, comments and other content per {unit}: "
        + ", ".join(f"{sum(counts[s]):,} {s}" for s in states)
        + f"; shaded spans are the windows of LinkedIn's stated policy for region "
        f"{settings.region}."
    )
    table = _data_table(
        [unit, *states],
        [[_bucket_label(s, unit)] + [counts[k][i] for k in states] for i, s in enumerate(starts)],
    )
    note = ""
    if undated:
        note = (
            f" {_plural(sum(undated.values()), 'undated item')} (profile text and the like) "
            f"cannot be placed: {', '.join(f'{n:,} {s}' for s, n in undated.items())}."
        )
    caption = (
        "Your own content (posts, comments, articles, profile text …) per "
        f"{unit}, by whether LinkedIn's stated policy covers it. Shaded: the windows in which "
        f"it says it trains on members of region {settings.region}, cut at your opt-out. "
        "Items written before a window count too: training uses what the platform holds." + note
    )
    return Chart(
        "content",
        "Content in the stated-policy scenario",
        caption,
        _svg_markup(fig, "content", alt),
        alt,
        table,
    )


def _figure_html(chart: Chart) -> str:
    return (
        f'<figure id="fig-{chart.key}" class="chart">'
        f"<h3>{_e(chart.title)}</h3>{chart.svg}"
        f"<figcaption>{_e(chart.caption)}</figcaption>"
        f"<details><summary>The data as a table</summary>{chart.table}</details></figure>"
    )


# ---------------------------------------------------------------- the flagged table


@dataclass(frozen=True, slots=True)
class _Row:
    order: int  # position in export order (messages first, then content)
    rank: tuple[int, float]  # severity rank, score: which rows survive the cap
    item_id: str
    when: datetime | None
    period: str
    direction: str
    kind: str
    people: str
    title: str
    topics: tuple[str, ...]
    severity: str
    score: float
    text_html: str


def _highlighted(
    text: str,
    findings: Sequence[Finding],
    flagged: Sequence[str],
    *,
    redact: bool,
    names: Sequence[str],
) -> str:
    """Escaped text with matched words in <mark>; under redact the spans become "[label]" marks."""
    wanted = set(flagged)
    relevant = [f for f in findings if f.topic in wanted] or list(findings)
    if redact:
        text, spans = mask_with_spans(text, redaction_spans(text, relevant, names))
        css = "masked"
    else:
        spans = merge_spans(finding_spans(text, relevant))
        css = ""
    note = ""
    if len(text) > TEXT_CAP:
        note = (
            f' <span class="cut">[shortened: {len(text):,} characters; the CSV holds the full '
            "text]</span>"
        )
        text = text[:TEXT_CAP]
        spans = [(s, min(e, TEXT_CAP), lab) for s, e, lab in spans if s < TEXT_CAP]
    out: list[str] = []
    pos = 0
    for start, end, label in spans:
        if start < pos:
            continue
        out.append(_e(text[pos:start]))
        cls = f' class="{css}"' if css else ""
        out.append(f'<mark{cls} title="{_e(_topic_label(label))}">{_e(text[start:end])}</mark>')
        pos = end
    out.append(_e(text[pos:]))
    return "".join(out) + note


def _omitted(res: Classification, *, redact: bool) -> str:
    """--no-content: no text, only the matched words (as the CSV keeps them), or their topics."""
    wanted = set(res.flagged)
    words = dict.fromkeys(
        (f"[{f.topic}]" if redact else f.matched) for f in res.findings if f.topic in wanted
    )
    marks = " ".join(f"<mark>{_e(w)}</mark>" for w in words)
    return f'<span class="omitted">text left out (--no-content); matched:</span> {marks}'


def _message_rows(
    result: ScanResult,
    settings: PolicySettings,
    severity: Mapping[str, str],
    *,
    redact: bool,
    no_content: bool,
    pseudonyms: Callable[[str], str],
) -> list[_Row]:
    facts = result.export.account
    rows: list[_Row] = []
    for i, (msg, res) in enumerate(
        zip(result.export.messages, result.message_results, strict=True)
    ):
        if not res.is_flagged:
            continue
        people = counterparts(msg, facts)
        names = (msg.sender, *msg.recipients, facts.member_name)
        if redact:
            shown_people = ", ".join(dict.fromkeys(pseudonyms(p) for p in people))
            title = ""
        else:
            shown_people = ", ".join(people)
            title = msg.conversation_title
        if no_content:
            text_html = _omitted(res, redact=redact)
        else:
            text_html = _highlighted(
                _message_text(msg), res.findings, res.flagged, redact=redact, names=names
            )
        level = highest_severity(res.flagged, severity)
        score = max_score(res)
        rows.append(
            _Row(
                order=i,
                rank=(SEVERITY_RANK.get(level, 1), score),
                item_id=message_id(msg),
                when=msg.date,
                period=period_of(msg.date, settings),
                direction=msg.direction,
                kind=msg.kind,
                people=shown_people,
                title=title,
                topics=res.flagged,
                severity=level,
                score=score,
                text_html=text_html,
            )
        )
    return rows


def _message_text(msg: Message) -> str:
    """The classified text: findings' spans index the content only (see pipeline)."""
    return msg.content


def _content_rows(
    result: ScanResult,
    settings: PolicySettings,
    severity: Mapping[str, str],
    *,
    redact: bool,
    no_content: bool,
    offset: int,
) -> list[_Row]:
    names = (result.export.account.member_name,)
    rows: list[_Row] = []
    for i, (item, res) in enumerate(
        zip(result.export.content, result.content_results, strict=True)
    ):
        if not res.is_flagged:
            continue
        level = highest_severity(res.flagged, severity)
        score = max_score(res)
        if no_content:
            text_html = _omitted(res, redact=redact)
        else:
            text_html = _highlighted(
                item.text, res.findings, res.flagged, redact=redact, names=names
            )
        rows.append(
            _Row(
                order=offset + i,
                rank=(SEVERITY_RANK.get(level, 1), score),
                item_id=content_id(item),
                when=item.date,
                period=period_of(item.date, settings),
                direction="",
                kind=item.kind,
                people="",
                title="" if redact else _content_title(item),
                topics=res.flagged,
                severity=level,
                score=score,
                text_html=text_html,
            )
        )
    return rows


def _content_title(item: ContentItem) -> str:
    return item.title


def _short(text: str, cap: int = NAME_CAP) -> str:
    """Names, titles and lists of people are shown in full up to `cap` characters."""
    return text if len(text) <= cap else text[: cap - 1] + "…"


def _row_html(row: _Row) -> str:
    iso = _utc(row.when).strftime("%Y-%m-%dT%H:%M:%SZ") if row.when else ""
    shown_date = _utc(row.when).strftime("%Y-%m-%d %H:%M") if row.when else "undated"
    direction = row.direction or "content"
    topics = " ".join(row.topics)
    chips = " ".join(f'<span class="chip">{_e(_topic_label(t))}</span>' for t in row.topics)
    title = f'<div class="conv">{_e(_short(row.title, 4 * NAME_CAP))}</div>' if row.title else ""
    return (
        f'<tr data-topics="{_e(topics)}" data-period="{_e(row.period)}" '
        f'data-direction="{_e(direction)}" data-kind="{_e(row.kind)}" id="r-{_e(row.item_id)}">'
        f'<td data-sort="{_e(iso)}">{_e(shown_date)}</td>'
        f'<td data-sort="{_e(row.period)}">{_e(row.period.replace("_", " "))}</td>'
        f"<td>{_e(direction)}</td>"
        f"<td>{_e(row.kind)}</td>"
        f"<td>{_e(_short(row.people))}</td>"
        f"<td>{chips}</td>"
        f'<td data-sort="{SEVERITY_RANK.get(row.severity, 1)}" class="sev-{_e(row.severity)}">'
        f"{_e(row.severity)}</td>"
        f'<td data-sort="{row.score:.3f}" class="num">{row.score:.2f}</td>'
        f'<td class="text">{title}{row.text_html}</td></tr>'
    )


def _chronological(row: _Row) -> tuple[bool, datetime, int]:
    """Oldest first, undated last, export order among equals."""
    when = _utc(row.when) if row.when else datetime.min.replace(tzinfo=timezone.utc)
    return (row.when is None, when, row.order)


def _options(name: str, label: str, values: Sequence[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{_e(v)}">{_e(text)}</option>' for v, text in values)
    return (
        f'<label>{_e(label)} <select data-filter="{_e(name)}" id="f-{_e(name)}">'
        f'<option value="">all</option>{opts}</select></label>'
    )


def _table_section(rows: list[_Row], order: Sequence[str]) -> str:
    total = len(rows)
    if total == 0:
        return (
            '<section id="flagged"><h2>Flagged messages and content</h2>'
            "<p>Nothing was flagged.</p></section>"
        )
    # The most sensitive rows first, until the row cap or the byte budget is reached; then shown
    # in date order. Both caps bound the page whatever the export holds (long or escaped texts).
    best = sorted(rows, key=lambda r: (-r.rank[0], -r.rank[1], r.order))
    chosen: list[tuple[_Row, str]] = []
    used = 0
    for row in best[:TABLE_CAP]:
        markup = _row_html(row)
        size = len(markup.encode("utf-8"))
        if chosen and used + size > TABLE_BYTES:
            break
        chosen.append((row, markup))
        used += size
    chosen.sort(key=lambda pair: _chronological(pair[0]))
    kept = [row for row, _ in chosen]
    note = ""
    if len(kept) < total:
        note = (
            f'<p class="note">This table shows the {len(kept):,} most sensitive of '
            f"{total:,} flagged items, to keep the page light. The CSV (<code>--out</code>) "
            "holds them all.</p>"
        )
    present_topics = {t for r in kept for t in r.topics}
    topic_opts = [(t, _topic_label(t)) for t in order if t in present_topics]
    topic_opts += [(t, _topic_label(t)) for t in sorted(present_topics - set(order))]
    periods = [(p, PERIOD_LABELS[p]) for p in PERIOD_LABELS if any(r.period == p for r in kept)]
    dirs = sorted({r.direction or "content" for r in kept})
    kinds = sorted({r.kind for r in kept})
    controls = (
        '<div class="controls" role="group" aria-label="Filter the table">'
        + _options("topic", "Topic", topic_opts)
        + _options("period", "Period", periods)
        + _options("direction", "Direction", [(d, d) for d in dirs])
        + _options("kind", "Kind", [(k, k) for k in kinds])
        + '<button type="button" id="f-reset">Show all</button>'
        + f'<span id="f-count" aria-live="polite">{len(kept):,} of {len(kept):,} rows</span>'
        + "</div>"
    )
    headers = [
        ("date", "text"),
        ("period", "text"),
        ("direction", "text"),
        ("kind", "text"),
        ("with", "text"),
        ("topics", "text"),
        ("severity", "num"),
        ("score", "num"),
    ]
    head = (
        "".join(
            f'<th scope="col" aria-sort="none"><button type="button" class="sort" data-col="{i}" '
            f'data-type="{t}">{_e(h)}</button></th>'
            for i, (h, t) in enumerate(headers)
        )
        + '<th scope="col">text (matched words marked)</th>'
    )
    body = "".join(markup for _, markup in chosen)
    return (
        '<section id="flagged"><h2>Flagged messages and content</h2>'
        "<p>Every flagged message, post or comment. Click a column heading to sort; use the "
        "lists to filter. Matched words are <mark>marked</mark>.</p>"
        + note
        + controls
        + '<div class="table-wrap"><table id="flagged-table" class="flagged">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div></section>"
    )


# ---------------------------------------------------------------- the summary sections


def _header_section(summary: Summary, tool_version: str) -> str:
    t = summary.totals
    before = next((p for p in summary.periods if p.period == "before"), None)
    figures = [
        ("private messages", f"{t.private_messages:,}"),
        ("flagged", f"{t.flagged:,}"),
        ("flagged before the policy date", f"{before.flagged if before else 0:,}"),
        ("people in flagged exchanges", f"{t.people_flagged:,}"),
        ("flagged InMail threads", f"{t.inmail_threads_flagged:,}"),
        ("flagged posts, comments …", f"{t.flagged_content:,}"),
    ]
    cards = "".join(
        f'<div class="fig"><span class="big">{_e(v)}</span><span>{_e(k)}</span></div>'
        for k, v in figures
    )
    return (
        "<header>"
        f'<p class="tool">linkedin-audit {_e(tool_version)} · a local report; nothing here was '
        "sent anywhere</p>"
        "<h1>What your LinkedIn export reveals</h1>"
        f'<p class="headline"><span class="risk risk-{_e(summary.risk)}">risk: '
        f"{_e(summary.risk)}</span> {_e(summary.headline)}</p>"
        f'<div class="figures">{cards}</div>'
        "</header>"
    )


def _premium_line(premium: Sequence[PremiumEvidence]) -> str:
    """One entry per kind of subscription: how many records and their date range."""
    groups: dict[str, list[datetime]] = {}
    counts: Counter[str] = Counter()
    for p in premium:
        counts[p.description] += 1
        groups.setdefault(p.description, [])
        if p.date is not None:
            groups[p.description].append(_utc(p.date))
    parts: list[str] = []
    for description, dates in list(groups.items())[:5]:
        n = counts[description]
        if dates and n == 1:
            when = f" ({_day(dates[0])})"
        elif dates:
            first, last = min(dates), max(dates)
            span = _day(first) if first.date() == last.date() else f"{_day(first)} – {_day(last)}"
            when = f" ({n} records, {span})"
        else:
            when = f" ({n} records)" if n > 1 else ""
        parts.append(_short(description) + when)
    return "; ".join(parts)


def _account_section(summary: Summary, settings: PolicySettings, *, redact: bool) -> str:
    a = summary.account
    items: list[tuple[str, str]] = []
    if a.member_name:
        items.append(("member", "[member]" if redact else _short(a.member_name)))
    if a.premium:
        items.append(("Premium evidence", _premium_line(a.premium)))
    else:
        items.append(("Premium evidence", "none found in the export"))
    items.append(("connections", f"{a.connections:,}"))
    if a.registered_at:
        items.append(("member since", _day(a.registered_at)))
    items.append(("region assumed", settings.region))
    items.append(
        (
            "opt-out assumed",
            _day(settings.opted_out) if settings.opted_out else "none (you did not give one)",
        )
    )
    facts = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in items)
    inferred = ""
    lines = [_short(f"{k}: {v}", 3 * NAME_CAP) for k, v in (*a.inferences, *a.ad_targeting)]
    if lines and not redact:
        more = (a.inferences_total - len(a.inferences)) + (
            a.ad_targeting_total - len(a.ad_targeting)
        )
        inferred = (
            "<h3>What LinkedIn inferred about you</h3><ul>"
            + "".join(f"<li>{_e(line)}</li>" for line in lines)
            + "</ul>"
            + (f'<p class="note">… and {more:,} more lines in the export.</p>' if more else "")
        )
    return (
        '<section id="account"><h2>Your account</h2>'
        f'<dl class="facts">{facts}</dl>{inferred}</section>'
    )


def _topic_table(summary: Summary) -> str:
    totals: dict[str, int] = {p.period: p.messages for p in summary.periods}
    head = (
        '<tr><th scope="col">topic</th><th scope="col">severity</th>'
        '<th scope="col">before</th><th scope="col">after</th>'
        '<th scope="col">after opt-out</th><th scope="col">undated</th>'
        '<th scope="col">sent / received</th><th scope="col">people</th>'
        '<th scope="col">InMail threads</th><th scope="col">posts etc.</th>'
        '<th scope="col">ads / LinkedIn</th></tr>'
    )
    body = "".join(
        f'<tr><th scope="row">{_e(_topic_label(t.topic))}</th>'
        f'<td class="sev-{_e(t.severity)}">{_e(t.severity)}</td>'
        f"<td>{t.before:,} <small>({_pct(t.before, totals.get('before', 0))})</small></td>"
        f"<td>{t.after:,} <small>({_pct(t.after, totals.get('after', 0))})</small></td>"
        f"<td>{t.after_opt_out:,}</td><td>{t.undated:,}</td>"
        f"<td>{t.sent:,} / {t.received:,}</td><td>{t.people:,}</td>"
        f"<td>{t.inmail_threads:,}</td><td>{t.content_items:,}</td><td>{t.system_messages:,}</td></tr>"
        for t in summary.topics
    )
    periods = "".join(
        f"<li>{_e(PERIOD_LABELS[p.period])}: {p.flagged:,} of {p.messages:,} messages flagged "
        f"({_pct(p.flagged, p.messages)})</li>"
        for p in summary.periods
        if p.messages
    )
    return (
        '<section id="topics"><h2>Topics before and after the policy date</h2>'
        f"<ul>{periods}</ul>"
        '<div class="table-wrap"><table class="data">'
        f"<thead>{head}</thead><tbody>{body}</tbody></table></div>"
        '<p class="note">Private messages only; flagged ads and LinkedIn\'s own messages are '
        "counted apart (last column): a job ad LinkedIn pushed says nothing about your own job "
        "search.</p></section>"
    )


def _scenarios_section(summary: Summary, settings: PolicySettings) -> str:
    c = summary.complaint
    s = summary.stated
    day = _day(settings.policy_date)
    statutory = ""
    if c.statutory_applies:
        statutory = (
            '<p class="scenario-figure"><strong>A scenario, not money owed:</strong> the '
            "Stored Communications Act (18 U.S.C. § 2707(c)) sets a minimum of $1,000 per "
            "person, not per message, for a person entitled to recover. Your export shows "
            "Premium and InMail before the policy date, the situation the complaint described. "
            "Several federal circuits (4th, 5th, 11th) require proof of actual damages first, "
            "and the case was dismissed without any ruling.</p>"
        )
    continuing_end = (
        f"until your opt-out on {_day(settings.opted_out)}"
        if settings.opted_out
        else "and, with no opt-out given, still continuing"
    )
    complaint = (
        '<div class="scenario"><h3>1. The complaint\'s theory</h3>'
        f'<p class="alleged">Alleged, not proven; the case was voluntarily dismissed on '
        f"{_day(c.dismissed)}.</p>"
        "<p>The complaint alleged that private messages, InMail above all, stored before the "
        "policy date were disclosed for AI training.</p><ul>"
        f"<li>Retroactive (before {day}): {c.retroactive_messages:,} private messages, "
        f"{c.retroactive_flagged:,} flagged; of them {c.retroactive_inmail:,} InMail "
        f"({c.retroactive_inmail_flagged:,} flagged, in {c.retroactive_inmail_threads:,} "
        "threads).</li>"
        f"<li>Continuing (after {day}, {continuing_end}): {c.continuing_messages:,} messages, "
        f"{c.continuing_flagged:,} flagged.</li>"
        + (
            f"<li>After your opt-out: {c.after_opt_out_messages:,} messages, "
            f"{c.after_opt_out_flagged:,} flagged.</li>"
            if settings.opted_out
            else ""
        )
        + (
            f"<li>Undated: {_plural(c.undated_messages, 'message')}, {c.undated_flagged:,} "
            "flagged.</li>"
            if c.undated_messages
            else ""
        )
        + "</ul>"
        + statutory
        + "</div>"
    )
    windows = (
        "; ".join(f"{_day(a)} – {_day(b) if b else 'open-ended'}" for a, b in s.windows)
        or "none (opted out before any window opened)"
    )
    kind_rows = "".join(
        f'<tr><th scope="row">{_e(r.kind.replace("_", " "))}</th><td>{r.items:,}</td>'
        f"<td>{r.exposed:,}</td><td>{r.flagged:,}</td><td>{r.flagged_exposed:,}</td></tr>"
        for r in s.rows
    )
    stated = (
        '<div class="scenario"><h3>2. LinkedIn\'s stated policy</h3>'
        "<p>What LinkedIn's help pages say: private messages (InMail and inbox) are not used; "
        "posts, comments, articles, profile text, group content, saved job answers and prompts "
        "to AI features are, in your region's windows, until you opt out.</p>"
        f"<p>Region {_e(s.region)}: {_e(windows)}. {s.excluded_private_messages:,} private "
        f"messages are out of scope under this reading; {s.exposed:,} content items are in "
        f"scope, {s.flagged_exposed:,} of them flagged.</p>"
        + (
            '<table class="data"><thead><tr><th scope="col">kind</th><th scope="col">items</th>'
            '<th scope="col">in scope</th><th scope="col">flagged</th>'
            f'<th scope="col">flagged in scope</th></tr></thead><tbody>{kind_rows}</tbody></table>'
            if s.rows
            else "<p>The export holds no posts, comments or profile text.</p>"
        )
        + "</div>"
    )
    return (
        '<section id="scenarios"><h2>Two ways to read "exposed"</h2>'
        f'<div class="scenarios">{complaint}{stated}</div></section>'
    )


def _howto_section(settings: PolicySettings) -> str:
    return (
        '<section id="how-to-read"><h2>How to read this report</h2><ul>'
        "<li><strong>Flagged</strong> means word rules found signs of a sensitive topic (money "
        "and financing, job search, pay, health, immigration, legal matters, contact details, "
        "credentials, beliefs and identity). They are heuristics: some flags are false alarms and "
        "some sensitive messages are missed. Check the marked words in the table.</li>"
        f"<li><strong>Before / after</strong> is measured against {_day(settings.policy_date)} "
        "00:00 UTC, the day LinkedIn's privacy policy began to say member data may train AI "
        "models (18 Sep 2024 unless you chose another date). All dates are UTC.</li>"
        "<li><strong>Severity</strong> is the highest of a message's topics (credentials and "
        "health weigh more than a job search); <strong>score</strong> (0–1) is how strong the "
        "evidence is.</li>"
        "<li>The two <strong>scenarios</strong> are two readings, not findings: the first is an "
        "allegation from a lawsuit that was dismissed without a ruling; the second is what "
        "LinkedIn says about itself. Neither is verified.</li>"
        "<li>This report is not legal advice. If you want to act on it, show it to a lawyer; "
        "the <code>--redact</code> option masks names, identifiers and matched words before you "
        "share it.</li></ul></section>"
        '<section id="opt-out"><h2>How to opt out</h2>'
        "<p>On LinkedIn, open <strong>Settings &amp; Privacy → Data privacy → Data for "
        "Generative AI Improvement</strong> and switch it off. Opting out stops future use "
        "only: it does not undo training that already happened. Your data export does not "
        "record this setting, so tell the tool the day you opted out (<code>--opted-out "
        "YYYY-MM-DD</code>) to have it reflected here.</p></section>"
    )


def _files_section(summary: Summary) -> str:
    f = summary.files
    warning = ""
    if f.rows_rejected:
        warning = (
            f'<p class="warning">{_plural(f.rows_rejected, "row")} could not be read and '
            f"{'is' if f.rows_rejected == 1 else 'are'} not counted anywhere in this report; run "
            "<code>linkedin-audit inventory</code> for the reasons.</p>"
        )
    return (
        '<section id="files"><h2>Files and rows</h2>'
        f"<p>{_plural(len(f.files), 'file')} read; rows read {f.rows_read:,} = loaded "
        f"{f.rows_loaded:,} + rejected {f.rows_rejected:,}"
        + (f"; {f.rows_repaired:,} repaired" if f.rows_repaired else "")
        + (f"; {f.duplicates_merged:,} duplicate messages merged" if f.duplicates_merged else "")
        + f".</p>{warning}</section>"
    )


def _caveats_section(summary: Summary) -> str:
    items = "".join(f"<li>{_e(c)}</li>" for c in summary.caveats)
    return f'<section id="caveats"><h2>Caveats</h2><ul>{items}</ul></section>'


# ---------------------------------------------------------------- page assembly

_CSS = """
:root{--fg:#1a1a1a;--muted:#555;--line:#d0d0d0;--bg:#fff;--mark:#fff3a0;--accent:#0072B2}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;
 color:var(--fg);background:var(--bg);margin:0 auto;max-width:1200px;padding:1.5rem}
h1{font-size:1.7rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;margin-top:2rem;
 border-bottom:2px solid var(--line);padding-bottom:.2rem}h3{font-size:1.05rem}
.tool,.note,figcaption,small{color:var(--muted)}.tool{font-size:.85rem;margin:0}
.headline{font-size:1.15rem}
.risk{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;font-weight:600;
 border:2px solid currentColor;margin-right:.4rem}
.risk-high{color:#A63D00}.risk-medium{color:#7A5200}.risk-low{color:#005A8C}.risk-none{color:#333}
.figures{display:flex;flex-wrap:wrap;gap:.6rem}
.fig{border:1px solid var(--line);border-radius:.4rem;padding:.5rem .8rem;flex:1 1 9rem;
 display:flex;flex-direction:column}.fig .big{font-size:1.4rem;font-weight:600}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
.facts dt{color:var(--muted)}
.facts dd{margin:0}
.charts{display:grid;grid-template-columns:1fr;gap:1rem}
figure.chart{margin:0;border:1px solid var(--line);border-radius:.4rem;padding:.6rem 1rem;
 break-inside:avoid}
figure.chart h3{margin:.2rem 0}.chart-svg{width:100%;height:auto;display:block}
details{margin:.4rem 0}summary{cursor:pointer;color:var(--accent)}
table{border-collapse:collapse}table.data{margin:.4rem 0;font-size:.85rem}
table.data th,table.data td{border:1px solid var(--line);padding:.15rem .5rem;text-align:right}
table.data th[scope=row],table.data thead th{text-align:left}
.table-wrap{overflow-x:auto}
.scenarios{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
.scenario{border:1px solid var(--line);border-radius:.4rem;padding:.2rem 1rem}
.alleged{font-weight:600;color:#7A5200}.scenario-figure{border-left:4px solid #E69F00;
 padding-left:.6rem}
.warning{border-left:4px solid #D55E00;padding-left:.6rem}
.controls{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin:.6rem 0;
 position:sticky;top:0;background:var(--bg);padding:.4rem 0;z-index:1}
.controls select,.controls button{font:inherit;padding:.1rem .3rem}
#f-count{color:var(--muted)}
table.flagged{width:100%;font-size:.85rem}
table.flagged th,table.flagged td{border-bottom:1px solid var(--line);padding:.3rem .4rem;
 vertical-align:top;text-align:left}
table.flagged thead th{background:#f4f4f4;position:sticky;top:0}
button.sort{all:unset;cursor:pointer;font-weight:600}
button.sort:focus-visible{outline:2px solid var(--accent)}
th[aria-sort=ascending] button.sort::after{content:" ▲"}
th[aria-sort=descending] button.sort::after{content:" ▼"}
td.text{white-space:pre-wrap;overflow-wrap:anywhere;min-width:18rem}
td.num{text-align:right}
.conv{font-weight:600;margin-bottom:.2rem}
.chip{display:inline-block;border:1px solid var(--line);border-radius:1rem;padding:0 .4rem;
 margin:0 .1rem .1rem 0;white-space:nowrap}
mark{background:var(--mark);color:inherit;padding:0 .1rem;border-bottom:2px solid #E69F00}
mark.masked{background:#333;color:#fff;border:0}
.sev-high{font-weight:700}.omitted,.cut{color:var(--muted);font-style:italic}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
#selftest{display:none}
@media print{
 body{max-width:none;padding:0;font-size:10pt}
 .controls,#selftest{display:none}
 h2{break-after:avoid}section{break-inside:auto}
 figure.chart,.scenario,.fig{break-inside:avoid}
 table.flagged thead th{position:static}
 table.flagged tr{break-inside:avoid}
 .table-wrap{overflow:visible}
 details{display:none}
 mark{border-bottom:1px solid #000}
 a{color:inherit}
}
"""

# Filtering toggles `hidden` on rows; sorting moves existing rows. No HTML is built from data.
# `#selftest` (used by the browser test) applies a topic filter and a sort, then writes the
# outcome as JSON into #selftest so `chromium --dump-dom` can read it.
_JS = """
(function () {
  "use strict";
  var table = document.getElementById("flagged-table");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var count = document.getElementById("f-count");
  function matches(row) {
    for (var i = 0; i < selects.length; i++) {
      var want = selects[i].value;
      if (!want) { continue; }
      var name = selects[i].getAttribute("data-filter");
      if (name === "topic") {
        var topics = " " + (row.getAttribute("data-topics") || "") + " ";
        if (topics.indexOf(" " + want + " ") < 0) { return false; }
      } else if (row.getAttribute("data-" + name) !== want) {
        return false;
      }
    }
    return true;
  }
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = matches(row);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown.toLocaleString("en") + " of " +
      rows.length.toLocaleString("en") + " rows";
    return shown;
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.getElementById("f-reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    apply();
  });
  function cellKey(row, col, type) {
    var cell = row.cells[col];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    return type === "num" ? parseFloat(raw) || 0 : raw.toLowerCase();
  }
  function sortBy(button, direction) {
    var col = parseInt(button.getAttribute("data-col"), 10);
    var type = button.getAttribute("data-type");
    var th = button.parentNode;
    var current = th.getAttribute("aria-sort");
    var dir = direction || (current === "descending" ? "ascending" : "descending");
    var sign = dir === "ascending" ? 1 : -1;
    var indexed = rows.map(function (row, i) { return [cellKey(row, col, type), i, row]; });
    indexed.sort(function (a, b) {
      if (a[0] < b[0]) { return -sign; }
      if (a[0] > b[0]) { return sign; }
      return a[1] - b[1];
    });
    table.querySelectorAll("th[aria-sort]").forEach(function (h) {
      h.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", dir);
    indexed.forEach(function (item) { body.appendChild(item[2]); });
  }
  table.querySelectorAll("button.sort").forEach(function (b) {
    b.addEventListener("click", function () { sortBy(b); });
  });
  apply();
  if (location.hash.indexOf("#selftest") === 0) {
    var topicSelect = document.getElementById("f-topic");
    var wanted = decodeURIComponent(location.hash.slice("#selftest".length).replace(/^=/, ""));
    var first = topicSelect.options.length > 1 ? topicSelect.options[1].value : "";
    topicSelect.value = wanted || first;
    topicSelect.dispatchEvent(new Event("change"));
    var visible = rows.filter(function (r) { return !r.hidden; });
    var scoreButton = table.querySelector('button.sort[data-type="num"][data-col="7"]');
    scoreButton.click();
    var scores = Array.prototype.slice.call(body.rows)
      .filter(function (r) { return !r.hidden; })
      .map(function (r) { return parseFloat(r.cells[7].getAttribute("data-sort")); });
    var sorted = scores.every(function (v, i) { return i === 0 || scores[i - 1] >= v; });
    var out = document.getElementById("selftest");
    out.textContent = JSON.stringify({
      topic: topicSelect.value,
      total: rows.length,
      visible: visible.length,
      visibleTopicsOk: visible.every(function (r) {
        var have = " " + r.getAttribute("data-topics") + " ";
        return have.indexOf(" " + topicSelect.value + " ") >= 0;
      }),
      sortedByScore: sorted,
      countText: count.textContent,
      charts: document.querySelectorAll("figure.chart svg[role=img]").length
    });
  }
})();
"""


def render_html(
    result: ScanResult,
    summary: Summary,
    settings: PolicySettings,
    *,
    severity: Mapping[str, str],
    redact: bool,
    no_content: bool,
    tool_version: str,
) -> str:
    """The whole report as one HTML document (pure: same inputs, same bytes)."""
    require_matplotlib()
    order = [t.topic for t in summary.topics]
    names = (result.export.account.member_name,)
    pseudonyms = Pseudonyms(names)
    pseudo: Callable[[str], str] | None = pseudonyms if redact else None
    import matplotlib

    # Pinned so the same data gives the same bytes whatever the user's matplotlibrc says; text
    # stays text in the SVG (smaller, selectable, crisp in print).
    with matplotlib.rc_context(
        {
            "date.epoch": "1970-01-01T00:00:00",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.size": 9,
            "hatch.linewidth": 0.8,
            "text.parse_math": False,  # a name with two "$" must not become mathtext
        }
    ):
        charts = [
            c
            for c in (
                _timeline_chart(result, settings, severity, order),
                _share_chart(summary, settings),
                _people_chart(result, pseudo),
                _content_chart(result, settings),
            )
            if c is not None
        ]
    rows = _message_rows(
        result, settings, severity, redact=redact, no_content=no_content, pseudonyms=pseudonyms
    )
    rows += _content_rows(
        result,
        settings,
        severity,
        redact=redact,
        no_content=no_content,
        offset=len(result.export.messages),
    )
    chart_html = (
        "".join(_figure_html(c) for c in charts)
        if charts
        else "<p>No dated messages or content to chart.</p>"
    )
    mode = []
    if redact:
        mode.append("redacted: names, identifiers and matched words are masked")
    if no_content:
        mode.append("message text left out")
    mode_note = f'<p class="note">This copy is {_e("; ".join(mode))}.</p>' if mode else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="linkedin-audit {_e(tool_version)}">',
        "<title>LinkedIn export audit</title>",
        f"<style>{_CSS}</style></head><body>",
        _header_section(summary, tool_version),
        mode_note,
        '<nav aria-label="Sections"><p>'
        '<a href="#charts">Charts</a> · <a href="#scenarios">Scenarios</a> · '
        '<a href="#topics">Topics</a> · <a href="#flagged">Flagged items</a> · '
        '<a href="#how-to-read">How to read it</a> · <a href="#opt-out">How to opt out</a>'
        "</p></nav>",
        _account_section(summary, settings, redact=redact),
        f'<section id="charts"><h2>Charts</h2><div class="charts">{chart_html}</div></section>',
        _scenarios_section(summary, settings),
        _topic_table(summary),
        _table_section(rows, order),
        _howto_section(settings),
        _files_section(summary),
        _caveats_section(summary),
        "<footer><p>Made by linkedin-audit on your own computer from your LinkedIn data export. "
        "This page makes no network requests. Not legal advice.</p></footer>",
        '<pre id="selftest" aria-hidden="true"></pre>',
        f"<script>{_JS}</script>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


def write_html(
    target: str,
    result: ScanResult,
    summary: Summary,
    settings: PolicySettings,
    *,
    severity: Mapping[str, str],
    redact: bool,
    no_content: bool,
    inputs: Sequence[str] = (),
) -> None:
    """Render and write the report atomically, owner-only ("-" writes to stdout)."""
    require_matplotlib()
    from auditor import __version__

    page = render_html(
        result,
        summary,
        settings,
        severity=severity,
        redact=redact,
        no_content=no_content,
        tool_version=__version__,
    )
    data = page.encode("utf-8")
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from auditor.outfiles import atomic_write_bytes

    atomic_write_bytes(Path(target), data, inputs=inputs)


__all__: tuple[str, ...] = (
    "MISSING_MATPLOTLIB",
    "OKABE_ITO",
    "TABLE_BYTES",
    "TABLE_CAP",
    "TEXT_CAP",
    "render_html",
    "require_matplotlib",
    "write_html",
)
