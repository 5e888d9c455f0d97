"""Aggregation of the hand-built export into a Summary (numbers checked by hand in comments)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from report_fixtures import SEVERITY, TOPICS, build, classify, settings

from auditor.errors import AuditError
from auditor.exposure import PolicySettings
from auditor.models import AccountFacts, Classification, Export
from auditor.report.summary import Summary, build_summary, make_snippets, message_id


def summarise(
    export: Export | None = None,
    messages: list[Classification] | None = None,
    content: list[Classification] | None = None,
    policy: PolicySettings | None = None,
) -> Summary:
    e, m, c = build()
    return build_summary(
        export or e,
        messages if messages is not None else m,
        content if content is not None else c,
        policy or settings(),
        topics=TOPICS,
        severity=SEVERITY,
    )


@pytest.fixture(scope="module")
def summary() -> Summary:
    return summarise()


def test_periods_count_private_messages_only(summary: Summary) -> None:
    # 9 private messages (the sponsored one apart): before = rows 1, 2, 3 (23:59:59), 10;
    # after = rows 4 (00:00:00), 5, 9 (coach); after the 2025-01-15 opt-out = row 8; undated = 7.
    periods = {p.period: (p.messages, p.flagged) for p in summary.periods}
    assert periods == {
        "before": (4, 3),
        "after": (3, 2),
        "after_opt_out": (1, 1),
        "undated": (1, 1),
    }
    assert summary.totals.private_messages == 9
    assert summary.totals.flagged == 7
    assert summary.totals.system_messages == 1
    assert summary.totals.flagged_system == 1


def test_sponsored_findings_are_kept_apart(summary: Summary) -> None:
    job = next(t for t in summary.topics if t.topic == "job_search")
    # The member's InMail thread with Dana (rows 1, 2) counts; the job ad (row 6) does not.
    assert (job.before, job.after, job.flagged) == (2, 0, 2)
    assert job.system_messages == 1
    assert job.content_items == 1  # the #opentowork post


def test_topic_directions_threads_and_people(summary: Summary) -> None:
    by = {t.topic: t for t in summary.topics}
    assert (by["job_search"].sent, by["job_search"].received) == (1, 1)
    assert by["job_search"].inmail_threads == 1  # both rows share one conversation id
    assert by["job_search"].people == 1  # Dana, by profile URL
    assert by["compensation"].people == 1  # coach prompt has no counterpart
    assert by["health"].words == 13
    assert by["immigration"].flagged == 0 and by["immigration"].content_items == 2
    assert summary.totals.people_flagged == 3  # Dana, Sam, Jordan
    assert summary.totals.inmail_threads_flagged == 1
    assert [t.topic for t in summary.topics] == list(TOPICS)


def test_risk_and_headline(summary: Summary) -> None:
    # High-severity messages: row 3 (health), row 7 (credentials): 2 < 3, so medium.
    assert summary.risk == "medium"
    assert summary.headline == (
        "7 of your 9 messages reveal sensitive matters; 3 of them were written before "
        "LinkedIn's 18 Sep 2024 policy change."
    )


def test_risk_high_and_none() -> None:
    e, m, c = build()
    text = e.messages[4].content  # "Lunch next week?"
    high = classify(text, ("health", "Lunch", 0.9))
    assert summarise(e, [*m[:4], high, *m[5:]], c).risk == "high"
    assert summarise(e, [Classification()] * len(m), c).risk == "none"
    assert summarise(e, [Classification()] * len(m), c).headline == (
        "None of your 9 messages were flagged as revealing sensitive matters."
    )


def test_complaint_scenario(summary: Summary) -> None:
    c = summary.complaint
    assert (c.retroactive_messages, c.retroactive_flagged) == (4, 3)
    assert (c.retroactive_inmail, c.retroactive_inmail_flagged) == (2, 2)
    assert c.retroactive_inmail_threads == 1
    # Coach prompts are not private messages: rows 4 and 5 only.
    assert (c.continuing_messages, c.continuing_flagged) == (2, 1)
    assert (c.after_opt_out_messages, c.after_opt_out_flagged) == (1, 1)
    assert c.dismissed == date(2025, 1, 30)
    assert c.statutory_applies


def test_statutory_needs_premium_and_inmail_before_policy_date() -> None:
    e, m, c = build()
    no_premium = replace(e, account=replace(e.account, premium=()))
    assert not summarise(no_premium, m, c).complaint.statutory_applies
    later = tuple(
        replace(x, date=x.date.replace(year=2024, month=10)) if x.kind == "inmail" and x.date else x
        for x in e.messages
    )
    assert not summarise(replace(e, messages=later), m, c).complaint.statutory_applies


def test_stated_policy_scenario(summary: Summary) -> None:
    st = summary.stated
    rows = {r.kind: (r.items, r.flagged, r.exposed, r.flagged_exposed) for r in st.rows}
    assert rows == {
        "share": (1, 1, 1, 1),  # 2024 post, before the opt-out
        "comment": (1, 0, 0, 0),  # written after the opt-out
        "profile_summary": (1, 1, 1, 1),  # undated, assumed present
        "job_application": (1, 1, 0, 0),  # LinkedIn says it does not use these
        "invitation": (1, 0, 0, 0),
        "article": (1, 0, 0, 0),  # after the opt-out
        "coach": (1, 1, 1, 1),  # prompts to AI features
    }
    assert (st.exposed, st.flagged_exposed) == (3, 3)
    assert st.excluded_private_messages == 8
    eu = summarise(policy=replace(settings(), region="EU")).stated
    assert eu.exposed == 0 and eu.windows == ()


def test_timeline_fills_empty_months(summary: Summary) -> None:
    months = [m.month for m in summary.timeline]
    assert months[0] == "2023-03" and months[-1] == "2025-02"
    assert len(months) == 24
    sept = next(m for m in summary.timeline if m.month == "2024-09")
    assert (sept.messages, sept.flagged) == (3, 3)
    assert next(m for m in summary.timeline if m.month == "2023-04").messages == 0


def test_top_messages_order_and_snippets(summary: Summary) -> None:
    top = summary.top
    assert len(top) == 7
    assert top[0].severity == "high" and top[1].severity == "high"
    assert top[0].topics == ("credentials",)  # score 0.95 beats health 0.9
    for item in top:
        for start, end in item.snippet.highlights:
            assert item.snippet.text[start:end].strip()
        assert len(item.snippet.text) <= 74  # 60 + 12 slack + two "…"
    health = top[1]
    assert [health.snippet.text[s:e] for s, e in health.snippet.highlights] == [
        "therapist",
        "chemo",
    ]
    assert "chemo" not in health.redacted.text and "Sam" not in health.redacted.text
    assert [health.redacted.text[s:e] for s, e in health.redacted.highlights] == [
        "[health]",
        "[health]",
    ]


def test_redacted_snippet_masks_identifiers() -> None:
    e, m, _c = build()
    plain, redacted = make_snippets(e.messages[0].content, m[0], ("Dana Reyes", "Alex Morgan"))
    assert "salary range" in plain.text
    assert "Alex" not in redacted.text and "salary range" not in redacted.text
    full = make_snippets(e.messages[0].content + " ", m[0], ())[1]
    assert "dana@" not in full.text and "555" not in full.text


def test_long_text_snippet_centres_on_the_finding() -> None:
    text = "x " * 200 + "the chemo starts monday " + "y " * 200
    res = classify(text, ("health", "chemo", 0.9))
    plain, _ = make_snippets(text, res, ())
    assert plain.text.startswith("…") and plain.text.endswith("…")
    ((start, end),) = plain.highlights
    assert plain.text[start:end] == "chemo"


def test_misaligned_results_are_an_error() -> None:
    e, m, c = build()
    with pytest.raises(AuditError):
        summarise(e, m[:-1], c)


def test_message_ids_are_stable_and_distinct() -> None:
    e1, _, _ = build()
    e2, _, _ = build()
    ids = [message_id(x) for x in e1.messages]
    assert ids == [message_id(x) for x in e2.messages]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids)


def test_member_is_not_a_counterpart() -> None:
    e, m, c = build()
    anon = replace(e, account=AccountFacts())
    # Without the member's URL, recipients of received messages still are not counted as people
    # because people come from senders of received and recipients of sent messages.
    assert summarise(anon, m, c).totals.people_flagged == 3


@given(st.text(max_size=300), st.integers(0, 299), st.integers(1, 30))
def test_snippet_is_bounded_and_highlights_the_words(text: str, start: int, length: int) -> None:
    word = text[start : start + length]
    if not word.strip():
        return
    res = classify(text, ("health", word, 0.9))
    plain, redacted = make_snippets(text, res, ())
    for snippet in (plain, redacted):
        assert len(snippet.text) <= 74
        for s, e in snippet.highlights:
            assert 0 <= s < e <= len(snippet.text)
    if plain.highlights:
        s, e = plain.highlights[0]
        assert " ".join(plain.text[s:e].split()) in " ".join(word.split())
