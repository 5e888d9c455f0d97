"""Pure aggregation of an Export and its Classifications into one frozen Summary.

Every renderer (terminal, JSON) reads the Summary only, so they cannot disagree on a count.
Messages of kind `sponsored`/`linkedin` (ads, LinkedIn's own mail) are counted apart: a job ad that
LinkedIn pushed says nothing about the member's own job search.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from auditor.errors import AuditError
from auditor.exposure import (
    COMPLAINT_DISMISSED,
    PERIODS,
    Period,
    PolicySettings,
    complaint_scope,
    effective_windows,
    period_of,
    stated_policy_exposed,
)
from auditor.models import (
    AccountFacts,
    Classification,
    ContentItem,
    Export,
    FileReport,
    Finding,
    Message,
    PremiumEvidence,
)
from auditor.report.redact import Span, mask_with_spans, merge_spans, redaction_spans

SEVERITY_RANK: Mapping[str, int] = {"none": 0, "low": 1, "medium": 2, "high": 3}
SYSTEM_KINDS: frozenset[str] = frozenset({"sponsored", "linkedin"})
# Risk level thresholds, by flagged private messages of the member (see docs/report-schema.md).
HIGH_RISK_MIN_HIGH = 3  # at least this many messages with a high-severity topic -> high
MEDIUM_RISK_MIN_MEDIUM = 3  # or at least this many with a medium topic (or one high) -> medium
STATUTORY_MINIMUM_USD = 1000
SNIPPET_WIDTH = 60
SNIPPET_SLACK = 12  # characters a snippet may stretch to avoid cutting a word
TOP_KEEP = 25  # top messages kept in the summary; renderers show fewer
ACCOUNT_LINES = 5  # inferences / ad-targeting lines kept

CAVEATS: tuple[str, ...] = (
    "Not legal advice. The complaint's claims are allegations; the case was dismissed with no "
    "ruling.",
    "The export does not record the AI-training setting: the opt-out shown is what you told the "
    "tool.",
    "Topics are found by word rules and word-weight models (heuristics): expect some misses"
    " and false alarms.",
)


@dataclass(frozen=True, slots=True)
class PeriodCount:
    """Private messages of one period: all, flagged, and words in the flagged ones."""

    period: Period
    messages: int
    flagged: int
    words: int

    @property
    def share(self) -> float:
        return self.flagged / self.messages if self.messages else 0.0


@dataclass(frozen=True, slots=True)
class TopicStats:
    """One topic across the member's private messages (system messages and content apart)."""

    topic: str
    severity: str
    before: int
    after: int
    after_opt_out: int
    undated: int
    sent: int
    received: int
    unknown_direction: int
    words: int
    inmail_threads: int
    people: int
    content_items: int  # flagged content items (posts, comments ...)
    system_messages: int  # flagged ads / LinkedIn messages, kept apart

    @property
    def flagged(self) -> int:
        return self.before + self.after + self.after_opt_out + self.undated


@dataclass(frozen=True, slots=True)
class MonthCount:
    """One calendar month (UTC) of private messages."""

    month: str  # "YYYY-MM"
    messages: int
    flagged: int


@dataclass(frozen=True, slots=True)
class Snippet:
    """About SNIPPET_WIDTH characters of text with spans to highlight (offsets into `text`)."""

    text: str
    highlights: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class TopMessage:
    """One of the most sensitive messages, ready to show (plain and redacted snippets)."""

    message_id: str
    date: datetime | None
    period: Period
    kind: str
    direction: str
    counterparts: tuple[str, ...]
    topics: tuple[str, ...]
    severity: str
    score: float
    snippet: Snippet
    redacted: Snippet


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """Account facts worth showing; lists trimmed to a few lines, totals kept."""

    member_name: str
    premium: tuple[PremiumEvidence, ...]
    connections: int
    registered_at: datetime | None
    subscription_types: str
    inferences: tuple[tuple[str, str], ...]
    inferences_total: int
    ad_targeting: tuple[tuple[str, str], ...]
    ad_targeting_total: int


@dataclass(frozen=True, slots=True)
class ComplaintScenario:
    """The complaint's theory (alleged): private messages before the date retroactive, after it
    continuing until the opt-out."""

    retroactive_messages: int
    retroactive_flagged: int
    retroactive_inmail: int
    retroactive_inmail_flagged: int
    retroactive_inmail_threads: int
    continuing_messages: int
    continuing_flagged: int
    after_opt_out_messages: int
    after_opt_out_flagged: int
    undated_messages: int
    undated_flagged: int
    premium: bool
    statutory_applies: bool  # Premium evidence AND InMail before the policy date
    dismissed: date


@dataclass(frozen=True, slots=True)
class StatedKindRow:
    """One kind of content under LinkedIn's stated policy."""

    kind: str
    items: int
    flagged: int
    exposed: int
    flagged_exposed: int


@dataclass(frozen=True, slots=True)
class StatedScenario:
    """LinkedIn's stated policy: content in scope by region windows until the opt-out."""

    region: str
    windows: tuple[tuple[date, date | None], ...]  # effective: cut at the opt-out
    rows: tuple[StatedKindRow, ...]
    excluded_private_messages: int  # private messages, out of scope under this reading

    @property
    def exposed(self) -> int:
        return sum(r.exposed for r in self.rows)

    @property
    def flagged_exposed(self) -> int:
        return sum(r.flagged_exposed for r in self.rows)


@dataclass(frozen=True, slots=True)
class FilesSummary:
    """Accounting of the export's files: every row read is loaded or rejected."""

    files: tuple[FileReport, ...]
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    rows_repaired: int
    duplicates_merged: int


@dataclass(frozen=True, slots=True)
class Totals:
    messages: int  # every message, system ones included
    private_messages: int  # the member's own conversations (not ads / LinkedIn mail)
    system_messages: int
    content_items: int
    flagged: int  # flagged private messages
    flagged_system: int
    flagged_content: int
    words_flagged: int
    sent_flagged: int
    received_flagged: int
    inmail_threads_flagged: int
    people_flagged: int
    rows_rejected: int


@dataclass(frozen=True, slots=True)
class Summary:
    """Everything the terminal and JSON reports show, computed once."""

    settings: PolicySettings
    risk: str  # none | low | medium | high
    headline: str
    totals: Totals
    periods: tuple[PeriodCount, ...]  # in PERIODS order
    topics: tuple[TopicStats, ...]
    timeline: tuple[MonthCount, ...]
    top: tuple[TopMessage, ...]
    account: AccountSummary
    complaint: ComplaintScenario
    stated: StatedScenario
    files: FilesSummary
    caveats: tuple[str, ...]


# ---------------------------------------------------------------- helpers shared with csvout


def iso_utc(when: datetime | None) -> str:
    """ISO 8601 UTC with a Z, to the second; empty when undated."""
    if when is None:
        return ""
    if when.tzinfo is timezone.utc and not when.microsecond and when.year >= 1000:
        return when.isoformat()[:19] + "Z"  # the same text, 3x faster (one per CSV row)
    moment = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _digest(parts: Iterable[str]) -> str:
    joined = "\x1f".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, digest_size=8).hexdigest()


def message_id(message: Message, when: str | None = None) -> str:
    """Stable id: blake2b (16 hex) of the message's source fields (`when`: its `iso_utc` date,
    when the caller has it already)."""
    return _digest(
        (
            "message",
            message.source_file,
            str(message.source_row),
            message.conversation_id,
            message.sender,
            message.sender_url,
            iso_utc(message.date) if when is None else when,
            message.subject,
            message.content,
        )
    )


def content_id(item: ContentItem) -> str:
    """Stable id: blake2b (16 hex) of the content item's source fields."""
    return _digest(
        (
            "content",
            item.source_file,
            str(item.source_row),
            item.kind,
            iso_utc(item.date),
            item.title,
            item.text,
        )
    )


def topic_score(result: Classification, topic: str) -> float:
    """The classifier's combined score for a topic, or its best finding's score."""
    for name, score in result.topic_scores:
        if name == topic:
            return score
    return max((f.score for f in result.findings if f.topic == topic), default=0.0)


def max_score(result: Classification) -> float:
    return max((topic_score(result, t) for t in result.flagged), default=0.0)


def highest_severity(topics: Iterable[str], severity: Mapping[str, str]) -> str:
    """The highest severity among topics ("none" for no topics; unknown topics count as low)."""
    best = "none"
    for topic in topics:
        level = severity.get(topic, "low")
        if SEVERITY_RANK.get(level, 1) > SEVERITY_RANK[best]:
            best = level
    return best


def counterparts(message: Message, member: AccountFacts) -> tuple[str, ...]:
    """The other people of a message: the sender of a received one, the recipients of a sent one."""
    own = {member.member_name.strip().casefold()} - {""}
    if message.direction == "received":
        names: tuple[str, ...] = (message.sender,)
    elif message.direction == "sent":
        names = message.recipients
    else:
        names = (message.sender, *message.recipients)
    return tuple(n for n in names if n.strip() and n.strip().casefold() not in own)


def _thread_key(message: Message) -> str:
    return message.conversation_id or f"{message.source_file}#{message.source_row}"


def _words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------- snippets

_WS = re.compile(r"\s+")


def _snap(text: str, pos: int, step: int) -> int:
    """Move `pos` to the nearest whitespace in direction `step`, if within SNIPPET_SLACK."""
    for offset in range(SNIPPET_SLACK + 1):
        p = pos + step * offset
        if p <= 0 or p >= len(text):
            return max(0, min(p, len(text)))
        if text[p].isspace() or (step < 0 and text[p - 1].isspace()):
            return p
    return pos


def _window(text: str, spans: Sequence[Span], anchor: tuple[int, int]) -> Snippet:
    """About SNIPPET_WIDTH characters around `anchor`, whitespace collapsed, spans re-based."""
    lead = max(0, anchor[0] - SNIPPET_WIDTH // 3)
    stop = min(len(text), max(anchor[1], lead + SNIPPET_WIDTH))
    lead = max(0, min(lead, stop - SNIPPET_WIDTH))
    # Do not cut a highlighted span or a word in half: stretch to the span's end, then snap both
    # ends to whitespace when it is near (SNIPPET_SLACK characters at most).
    for start, end, _label in spans:
        if start < stop < end and end - stop <= SNIPPET_SLACK:
            stop = end
    budget = SNIPPET_WIDTH + SNIPPET_SLACK
    stop = min(_snap(text, stop, +1), lead + budget)
    snapped = _snap(text, lead, -1)
    if stop - snapped <= budget:
        lead = snapped
    out: list[str] = []
    new_pos: dict[int, int] = {}
    prev_space = False
    for i in range(lead, stop):
        new_pos[i] = len(out)
        ch = text[i]
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
    new_pos[stop] = len(out)
    body = "".join(out)
    stripped_left = len(body) - len(body.lstrip())
    body = body.strip()
    prefix = "…" if lead > 0 else ""
    suffix = "…" if stop < len(text) else ""
    shift = len(prefix) - stripped_left
    highlights: list[tuple[int, int]] = []
    for start, end, _label in spans:
        if end <= lead or start >= stop:
            continue
        s = new_pos[max(start, lead)] + shift
        e = new_pos[min(end, stop)] + shift
        s = max(s, len(prefix))
        e = min(e, len(prefix) + len(body))
        if s < e:
            highlights.append((s, e))
    return Snippet(prefix + body + suffix, tuple(highlights))


def _finding_spans(text: str, findings: Sequence[Finding], flagged: Sequence[str]) -> list[Span]:
    wanted = set(flagged)
    spans = [
        (f.start, f.end, f.topic)
        for f in findings
        if f.topic in wanted
        and 0 <= f.start < f.end <= len(text)
        and text[f.start : f.end] == f.matched
    ]
    if not spans:  # offsets from another text: find the words instead
        for f in findings:
            if f.topic in wanted and f.matched:
                found = text.find(f.matched)
                if found >= 0:
                    spans.append((found, found + len(f.matched), f.topic))
    return merge_spans(spans)


def make_snippets(
    text: str, result: Classification, names: Sequence[str]
) -> tuple[Snippet, Snippet]:
    """Plain and redacted snippets around the first finding of a flagged topic."""
    spans = _finding_spans(text, result.findings, result.flagged)
    anchor = (spans[0][0], spans[0][1]) if spans else (0, 0)
    plain = _window(text, spans, anchor)
    masked, placed = mask_with_spans(text, redaction_spans(text, result.findings, names))
    topical = [p for p in placed if p[2] in set(result.flagged)] or placed
    m_anchor = (topical[0][0], topical[0][1]) if topical else (0, 0)
    redacted = _window(masked, topical, m_anchor)
    return plain, redacted


# ---------------------------------------------------------------- the summary


def _check_aligned(
    export: Export, messages: Sequence[Classification], content: Sequence[Classification]
) -> None:
    if len(messages) != len(export.messages) or len(content) != len(export.content):
        raise AuditError(
            f"internal error: {len(messages)} message results for {len(export.messages)} messages, "
            f"{len(content)} content results for {len(export.content)} items"
        )


def _risk(flagged_severities: Iterable[str]) -> str:
    counts = Counter(flagged_severities)
    if not counts:
        return "none"
    if counts["high"] >= HIGH_RISK_MIN_HIGH:
        return "high"
    if counts["high"] >= 1 or counts["medium"] >= MEDIUM_RISK_MIN_MEDIUM:
        return "medium"
    return "low"


def _headline(private: int, flagged: int, flagged_before: int, policy_date: date) -> str:
    day = f"{policy_date.day} {policy_date:%b %Y}"
    if private == 0:
        return "The export holds no private messages to check."
    noun = "message" if private == 1 else "messages"
    if flagged == 0:
        return f"None of your {private} {noun} were flagged as revealing sensitive matters."
    verb = "reveals" if flagged == 1 else "reveal"
    if flagged_before == 0:
        tail = f"none of them was written before LinkedIn's {day} policy change."
    elif flagged == 1:
        tail = f"it was written before LinkedIn's {day} policy change."
    else:
        was = "was" if flagged_before == 1 else "were"
        tail = f"{flagged_before} of them {was} written before LinkedIn's {day} policy change."
    return f"{flagged} of your {private} {noun} {verb} sensitive matters; {tail}"


def _timeline(months: Counter[str], flagged: Counter[str]) -> tuple[MonthCount, ...]:
    if not months:
        return ()
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:7])
    out: list[MonthCount] = []
    while True:
        key = f"{year:04d}-{month:02d}"
        out.append(MonthCount(key, months[key], flagged[key]))
        if key >= last:
            break
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return tuple(out)


def _month(when: datetime) -> str:
    moment = when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when
    return moment.astimezone(timezone.utc).strftime("%Y-%m")


def build_summary(
    export: Export,
    message_results: Sequence[Classification],
    content_results: Sequence[Classification],
    settings: PolicySettings,
    *,
    topics: Sequence[str],
    severity: Mapping[str, str],
) -> Summary:
    """Aggregate one export and its aligned classifications (index by index) into a Summary."""
    _check_aligned(export, message_results, content_results)
    builder = SummaryBuilder(settings, topics=topics, severity=severity)
    builder.add_messages(export.messages, message_results)
    builder.add_content(export.content, content_results)
    return builder.finish(export, messages=len(export.messages))


class Periods:
    """`period_of` and `_month` with the per-row work hoisted: the boundaries are computed once,
    and month keys once per (year, month) of UTC datetimes (what the loader produces)."""

    __slots__ = ("_months", "_opt", "_policy", "settings")

    def __init__(self, settings: PolicySettings) -> None:
        self.settings = settings
        self._policy = datetime.combine(settings.policy_date, time(0, 0), tzinfo=timezone.utc)
        self._opt = (
            None
            if settings.opted_out is None
            else datetime.combine(settings.opted_out, time(0, 0), tzinfo=timezone.utc)
        )
        self._months: dict[tuple[int, int], str] = {}

    @property
    def bounds(self) -> tuple[datetime, datetime | None]:
        """Midnight UTC of the policy date and of the opt-out day (None without one)."""
        return self._policy, self._opt

    def period(self, when: datetime | None) -> Period:
        if when is None:
            return "undated"
        if when.tzinfo is None:
            return period_of(when, self.settings)
        if when < self._policy:  # aware datetimes compare as instants
            return "before"
        if self._opt is not None and when >= self._opt:
            return "after_opt_out"
        return "after"

    def month(self, when: datetime) -> str:
        if when.tzinfo is not timezone.utc:
            return _month(when)
        key = (when.year, when.month)
        text = self._months.get(key)
        if text is None:
            text = self._months[key] = when.strftime("%Y-%m")
        return text

    def month_of(self, year: int, month: int) -> str:
        text = self._months.get((year, month))
        if text is None:
            text = self._months[(year, month)] = date(year, month, 1).strftime("%Y-%m")
        return text


def _raw_people_keys(message: Message) -> set[str]:
    """`_people_keys` before the member's own URL and name are taken out (they may not be known
    yet while an export streams): `SummaryBuilder.finish` removes them."""
    pairs: list[tuple[str, str]] = []
    direction = message.direction
    if direction == "received" or direction == "unknown":
        pairs.append((message.sender, message.sender_url))
    if direction == "sent" or direction == "unknown":
        recipients = message.recipients
        urls = message.recipient_urls
        if len(urls) != len(recipients):
            urls = ("",) * len(recipients)
        pairs.extend(zip(recipients, urls, strict=True))
    keys: set[str] = set()
    for name, url in pairs:
        url_key = url.strip().rstrip("/").casefold()
        if url_key:
            keys.add("url:" + url_key)
        else:
            name_key = name.strip().casefold()
            if name_key and name_key != "linkedin member":
                keys.add("name:" + name_key)
    return keys


def _own_keys(member: AccountFacts) -> set[str]:
    own = {"url:" + u.rstrip("/").casefold() for u in member.member_urls}
    own_name = member.member_name.strip().casefold()
    if own_name:
        own.add("name:" + own_name)
    return own


class SummaryBuilder:
    """`build_summary` one chunk at a time: fold messages (in export order) and content items
    in, then `finish`. Keeps counters, per-topic people/thread keys and the TOP_KEEP best
    candidates for the top list, never the messages themselves."""

    def __init__(
        self, settings: PolicySettings, *, topics: Sequence[str], severity: Mapping[str, str]
    ) -> None:
        self.settings = settings
        self.topics = tuple(topics)
        self.severity = severity
        self._periods = Periods(settings)
        self.index = 0  # messages folded in so far
        # Unflagged private messages with a UTC date (nearly all), counted by (kind, period,
        # year, month) and spread into the counters below by `_spread`: one increment each.
        self._groups: Counter[tuple[str, str, int, int]] = Counter()
        self.period_msgs: Counter[str] = Counter()
        self.period_flag: Counter[str] = Counter()
        self.period_words: Counter[str] = Counter()
        self.t_period: dict[str, Counter[str]] = {}
        self.t_dir: dict[str, Counter[str]] = {}
        self.t_words: Counter[str] = Counter()
        self.t_threads: dict[str, set[str]] = {}
        self.t_people: dict[str, set[str]] = {}
        self.t_system: Counter[str] = Counter()
        self.t_content: Counter[str] = Counter()
        self.seen_topics: set[str] = set()
        self.all_dir: Counter[str] = Counter()
        self.all_threads: set[str] = set()
        self.all_people: set[str] = set()
        self.months: Counter[str] = Counter()
        self.months_flagged: Counter[str] = Counter()
        self.severities: Counter[str] = Counter()
        self.ranked: list[tuple[tuple[int, float, int, int], Message, Classification]] = []
        self.system_total = 0
        self.system_flagged = 0
        self.c_all: Counter[str] = Counter()
        self.c_flag: Counter[str] = Counter()
        self.inmail_before = 0
        self.inmail_before_flagged = 0
        self.inmail_before_threads: set[str] = set()
        self.coach: list[int] = [0, 0, 0, 0]  # items, flagged, exposed, flagged and exposed
        self.content_flagged = 0
        self.kind_rows: dict[str, list[int]] = {}
        # Topics flagged in the member's own messages and content (what --fail-on looks at).
        self.private_topics: set[str] = set()

    def _topic(self, t: str) -> None:
        self.seen_topics.add(t)
        self.t_period[t] = Counter()
        self.t_dir[t] = Counter()
        self.t_threads[t] = set()
        self.t_people[t] = set()

    def add_messages(self, messages: Sequence[Message], results: Sequence[Classification]) -> None:
        """Fold the next messages of the export (and their aligned results) in."""
        if len(messages) != len(results):
            raise AuditError(
                f"internal error: {len(results)} message results for {len(messages)} messages"
            )
        settings = self.settings
        period_fn = self._periods.period
        month_fn = self._periods.month
        severity = self.severity
        index = self.index
        groups = self._groups
        policy, opt = self._periods.bounds
        utc = timezone.utc
        # Per Classification object (identical texts share one): its severity and ranking key.
        # The value keeps the object alive, so its id cannot be reused meanwhile.
        ranks: dict[int, tuple[Classification, str, tuple[int, float, int]]] = {}
        for msg, res in zip(messages, results, strict=True):
            index += 1
            kind = msg.kind
            if kind in SYSTEM_KINDS:
                self.system_total += 1
                if res.flagged:
                    self.system_flagged += 1
                    for t in res.flagged:
                        self.t_system[t] += 1
                        if t not in self.seen_topics:
                            self._topic(t)
                continue
            flagged = res.flagged
            when = msg.date
            if not flagged and kind != "coach":
                if when is None:
                    groups[(kind, "undated", 0, 0)] += 1
                    continue
                if when.tzinfo is utc:
                    if when < policy:
                        groups[(kind, "before", when.year, when.month)] += 1
                    elif opt is not None and when >= opt:
                        groups[(kind, "after_opt_out", when.year, when.month)] += 1
                    else:
                        groups[(kind, "after", when.year, when.month)] += 1
                    continue
            period = period_fn(when)
            if kind == "coach":
                row = self.coach
                exposed = stated_policy_exposed(msg.date, "coach", settings)
                row[0] += 1
                row[1] += bool(flagged)
                row[2] += exposed
                row[3] += bool(flagged) and exposed
            self.period_msgs[period] += 1
            month = None
            if msg.date is not None:
                month = month_fn(msg.date)
                self.months[month] += 1
            in_complaint = complaint_scope(kind)
            if in_complaint:
                self.c_all[period] += 1
                if kind == "inmail" and period == "before":
                    self.inmail_before += 1
            if not flagged:
                continue
            words = _words(msg.content)
            self.period_flag[period] += 1
            self.period_words[period] += words
            self.all_dir[msg.direction] += 1
            if month is not None:
                self.months_flagged[month] += 1
            people = _raw_people_keys(msg)
            self.all_people |= people
            thread = _thread_key(msg) if kind == "inmail" else ""
            if thread:
                self.all_threads.add(thread)
            if in_complaint:
                self.c_flag[period] += 1
                if kind == "inmail" and period == "before":
                    self.inmail_before_flagged += 1
                    self.inmail_before_threads.add(thread)
            for t in flagged:
                if t not in self.seen_topics:
                    self._topic(t)
                self.t_period[t][period] += 1
                self.t_dir[t][msg.direction] += 1
                self.t_words[t] += words
                self.t_people[t] |= people
                if thread:
                    self.t_threads[t].add(thread)
            known = ranks.get(id(res))
            if known is None:
                self.private_topics.update(flagged)
                level = highest_severity(flagged, severity)
                rank = (-SEVERITY_RANK.get(level, 1), -max_score(res), -len(flagged))
                known = ranks[id(res)] = (res, level, rank)
            self.severities[known[1]] += 1
            self.ranked.append(((*known[2], index - 1), msg, res))
            if len(self.ranked) >= 8 * TOP_KEEP:
                self._trim()
        self.index = index

    def _spread(self) -> None:
        """Fold the grouped counts into the per-period, per-month and complaint counters."""
        month_of = self._periods.month_of
        for (kind, period, year, month), n in self._groups.items():
            self.period_msgs[period] += n
            if year:
                self.months[month_of(year, month)] += n
            if complaint_scope(kind):
                self.c_all[period] += n
                if kind == "inmail" and period == "before":
                    self.inmail_before += n
        self._groups.clear()

    def _trim(self) -> None:
        self.ranked.sort(key=lambda r: r[0])
        del self.ranked[TOP_KEEP:]

    def add_content(self, items: Sequence[ContentItem], results: Sequence[Classification]) -> None:
        """Fold content items (after all messages) in."""
        if len(items) != len(results):
            raise AuditError(
                f"internal error: {len(results)} content results for {len(items)} items"
            )
        for item, res in zip(items, results, strict=True):
            exposed = stated_policy_exposed(item.date, item.kind, self.settings)
            row = self.kind_rows.setdefault(item.kind, [0, 0, 0, 0])
            row[0] += 1
            row[2] += exposed
            if res.is_flagged:
                self.content_flagged += 1
                row[1] += 1
                row[3] += exposed
                self.private_topics.update(res.flagged)
                for t in res.flagged:
                    self.t_content[t] += 1
                    if t not in self.seen_topics:
                        self._topic(t)

    def finish(self, export: Export, *, messages: int) -> Summary:
        """The Summary; `export` gives the account, files and content (its `messages` are not
        read: `messages` is their number)."""
        if messages != self.index:
            raise AuditError(
                f"internal error: {self.index} messages summarised, {messages} in the export"
            )
        self._spread()
        settings = self.settings
        severity = self.severity
        facts = export.account
        own = _own_keys(facts)
        seen = list(dict.fromkeys(self.topics))
        order = seen + sorted(self.seen_topics - set(seen))
        for t in order:
            if t not in self.t_period:
                self._topic(t)
        kind_rows = dict(self.kind_rows)
        if self.coach[0]:
            row = kind_rows.setdefault("coach", [0, 0, 0, 0])
            for i in range(4):
                row[i] += self.coach[i]
        t_period, t_dir = self.t_period, self.t_dir
        topic_stats = tuple(
            TopicStats(
                topic=t,
                severity=severity.get(t, "low"),
                before=t_period[t]["before"],
                after=t_period[t]["after"],
                after_opt_out=t_period[t]["after_opt_out"],
                undated=t_period[t]["undated"],
                sent=t_dir[t]["sent"],
                received=t_dir[t]["received"],
                unknown_direction=t_dir[t]["unknown"],
                words=self.t_words[t],
                inmail_threads=len(self.t_threads[t]),
                people=len(self.t_people[t] - own),
                content_items=self.t_content[t],
                system_messages=self.t_system[t],
            )
            for t in order
        )
        period_msgs, period_flag = self.period_msgs, self.period_flag
        periods = tuple(
            PeriodCount(p, period_msgs[p], period_flag[p], self.period_words[p]) for p in PERIODS
        )
        private = sum(period_msgs.values())
        flagged_total = sum(period_flag.values())

        self._trim()
        top: list[TopMessage] = []
        for _key, msg, res in self.ranked:
            names = (msg.sender, *msg.recipients, facts.member_name)
            plain, redacted = make_snippets(msg.content, res, names)
            top.append(
                TopMessage(
                    message_id=message_id(msg),
                    date=msg.date,
                    period=period_of(msg.date, settings),
                    kind=msg.kind,
                    direction=msg.direction,
                    counterparts=counterparts(msg, facts),
                    topics=res.flagged,
                    severity=highest_severity(res.flagged, severity),
                    score=max_score(res),
                    snippet=plain,
                    redacted=redacted,
                )
            )

        c_all, c_flag = self.c_all, self.c_flag
        complaint = ComplaintScenario(
            retroactive_messages=c_all["before"],
            retroactive_flagged=c_flag["before"],
            retroactive_inmail=self.inmail_before,
            retroactive_inmail_flagged=self.inmail_before_flagged,
            retroactive_inmail_threads=len(self.inmail_before_threads),
            continuing_messages=c_all["after"],
            continuing_flagged=c_flag["after"],
            after_opt_out_messages=c_all["after_opt_out"],
            after_opt_out_flagged=c_flag["after_opt_out"],
            undated_messages=c_all["undated"],
            undated_flagged=c_flag["undated"],
            premium=bool(facts.premium),
            statutory_applies=bool(facts.premium) and self.inmail_before > 0,
            dismissed=COMPLAINT_DISMISSED,
        )
        stated = StatedScenario(
            region=settings.region,
            windows=effective_windows(settings),
            rows=tuple(StatedKindRow(k, *kind_rows[k]) for k in sorted(kind_rows)),
            excluded_private_messages=sum(c_all.values()),
        )
        account = AccountSummary(
            member_name=facts.member_name,
            premium=facts.premium,
            connections=facts.connections,
            registered_at=facts.registered_at,
            subscription_types=facts.subscription_types,
            inferences=facts.inferences[:ACCOUNT_LINES],
            inferences_total=len(facts.inferences),
            ad_targeting=facts.ad_targeting[:ACCOUNT_LINES],
            ad_targeting_total=len(facts.ad_targeting),
        )
        files = FilesSummary(
            files=export.files,
            rows_read=sum(f.rows_read for f in export.files),
            rows_loaded=sum(f.rows_loaded for f in export.files),
            rows_rejected=export.rows_rejected,
            rows_repaired=sum(1 for i in export.issues if not i.rejected),
            duplicates_merged=export.duplicates_merged,
        )
        totals = Totals(
            messages=messages,
            private_messages=private,
            system_messages=self.system_total,
            content_items=len(export.content),
            flagged=flagged_total,
            flagged_system=self.system_flagged,
            flagged_content=self.content_flagged,
            words_flagged=sum(self.period_words.values()),
            sent_flagged=self.all_dir["sent"],
            received_flagged=self.all_dir["received"],
            inmail_threads_flagged=len(self.all_threads),
            people_flagged=len(self.all_people - own),
            rows_rejected=export.rows_rejected,
        )
        return Summary(
            settings=settings,
            risk=_risk(self.severities.elements()),
            headline=_headline(private, flagged_total, period_flag["before"], settings.policy_date),
            totals=totals,
            periods=periods,
            topics=topic_stats,
            timeline=_timeline(self.months, self.months_flagged),
            top=tuple(top),
            account=account,
            complaint=complaint,
            stated=stated,
            files=files,
            caveats=CAVEATS,
        )
