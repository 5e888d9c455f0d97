"""A synthetic export, classified by a tiny keyword matcher, for the HTML report tests.

Everything is invented. The classifications are built here (not by auditor.classify) so the HTML
tests do not depend on the lexicon: each finding's span slices to its matched words.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

from auditor.classify import TOPICS
from auditor.exposure import POLICY_DATE, PolicySettings
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
from auditor.pipeline import ScanResult
from auditor.report.summary import Summary, build_summary

SEVERITY: dict[str, str] = {
    "financing": "medium",
    "job_search": "medium",
    "compensation": "medium",
    "health": "high",
    "immigration": "high",
    "legal": "medium",
    "contact_info": "low",
    "credentials": "high",
    "beliefs_identity": "high",
}
KEYWORDS: dict[str, tuple[str, ...]] = {
    "financing": ("term sheet", "valuation", "bridge round"),
    "job_search": ("interviewing at", "my notice", "recruiter call"),
    "compensation": ("salary", "equity grant", "my bonus"),
    "health": ("diagnosis", "chemotherapy", "sick leave"),
    "immigration": ("visa", "green card", "work permit"),
    "legal": ("lawyer", "lawsuit", "settlement"),
    "contact_info": ("+1 555 0142 881", "alex.home@example.com"),
    "credentials": ("password", "one-time code"),
    "beliefs_identity": ("my church", "pride march"),
}
MEMBER = "Alex Morgan"
PEOPLE: tuple[str, ...] = (
    "Priya Sharma",
    "Jonas Becker",
    "Maria Garcia",
    "Tom Nguyen",
    "Aisha Okafor",
    "Lukas Novak",
    "Sofia Rossi",
    "Daniel Kim",
    "Mei Haddad",
    "Omar Lindqvist",
    "Hannah Patel",
    "Rafael Moreau",
)
TEMPLATES: dict[str, tuple[str, ...]] = {
    "financing": (
        "Sending over the term sheet tonight; the valuation is lower than we hoped.",
        "Can we talk about the bridge round before Friday?",
    ),
    "job_search": (
        "Quietly interviewing at two other places, please keep it between us.",
        "Handing in my notice next week, the recruiter call went well.",
    ),
    "compensation": (
        "They offered a salary of 142k plus an equity grant, is that fair?",
        "my bonus got cut again this year",
    ),
    "health": (
        "The diagnosis came back, I start chemotherapy in March.",
        "I'm on sick leave until the end of the month.",
    ),
    "immigration": (
        "My visa expires in June and the work permit renewal is stuck.",
        "Still waiting on the green card interview date.",
    ),
    "legal": (
        "My lawyer says the settlement offer is too low.",
        "We might file a lawsuit over the unpaid invoices.",
    ),
    "contact_info": ("Call me on +1 555 0142 881 or write to alex.home@example.com",),
    "credentials": ("The shared password is Winter2024! and the one-time code is 449201.",),
    "beliefs_identity": (
        "See you after my church group on Sunday?",
        "Are you coming to the pride march on Saturday?",
    ),
}
NEUTRAL: tuple[str, ...] = (
    "Thanks for connecting!",
    "Great to meet you at the meetup yesterday.",
    "Happy to help, let me know.",
    "Congrats on the new role!",
    "Could you share the slides from the talk?",
    "Sounds good, talk soon.",
    "Let's grab a coffee next time you're in town.",
)
# Hostile text: must render as text, never as markup.
HOSTILE = (
    'Check this <script>document.title="pwned"</script> and </table><b>bold</b> '
    "&amp; <img src=x onerror=alert(1)> — my password is hunter2"
)


@functools.lru_cache(maxsize=4096)
def classify(text: str) -> Classification:
    """Every keyword occurrence is a finding; a topic is flagged at score >= 0.5."""
    findings: list[Finding] = []
    for topic, words in KEYWORDS.items():
        for word in words:
            for m in re.finditer(re.escape(word), text, flags=re.IGNORECASE):
                findings.append(
                    Finding(
                        topic,
                        f"{topic}.kw",
                        m.group(0),
                        m.start(),
                        m.end(),
                        0.6,
                        f"phrase {word!r} 0.6",
                    )
                )
    findings.sort(key=lambda f: (f.start, f.topic))
    scores: dict[str, float] = {}
    for f in findings:
        scores[f.topic] = min(1.0, scores.get(f.topic, 0.0) + f.score * 0.8)
    topic_scores = tuple(sorted((t, round(s, 3)) for t, s in scores.items()))
    flagged = tuple(t for t, s in topic_scores if s >= 0.45)
    return Classification(tuple(findings), topic_scores, flagged)


def _message(
    row: int,
    when: datetime | None,
    other: str,
    direction: str,
    text: str,
    *,
    kind: str = "member",
    conv: str = "",
) -> Message:
    sender, recipients = (MEMBER, (other,)) if direction == "sent" else (other, (MEMBER,))
    return Message(
        source_file="messages.csv",
        source_row=row,
        conversation_id=conv or f"conv-{PEOPLE.index(other) if other in PEOPLE else 99}",
        conversation_title="" if kind == "member" else "A quick question",
        sender=sender,
        sender_url="",
        recipients=recipients,
        recipient_urls=(),
        date=when,
        subject="",
        content=text,
        folder="INBOX",
        attachments=(),
        is_draft=False,
        direction=direction,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
    )


def sample_export(messages: int = 320, seed: int = 7) -> Export:
    """About two years of messages around the policy date, content items, Premium evidence."""
    rng = random.Random(seed)
    start = datetime(2023, 4, 1, tzinfo=timezone.utc)
    span = (datetime(2025, 6, 30, tzinfo=timezone.utc) - start).total_seconds()
    out: list[Message] = []
    for row in range(1, messages + 1):
        when = start + timedelta(seconds=int(rng.random() * span))
        other = PEOPLE[min(int(rng.expovariate(0.35)), len(PEOPLE) - 1)]
        direction = rng.choice(("sent", "received"))
        if rng.random() < 0.22:
            topic = rng.choice(TOPICS)
            text = rng.choice(TEMPLATES[topic])
            if rng.random() < 0.2:
                second = rng.choice(TOPICS)
                text += " " + rng.choice(TEMPLATES[second])
        else:
            text = rng.choice(NEUTRAL)
        kind = "inmail" if rng.random() < 0.08 else "member"
        out.append(_message(row, when, other, direction, text, kind=kind))
    n = len(out)
    out.append(
        _message(
            n + 1,
            datetime(2024, 3, 2, 9, 30, tzinfo=timezone.utc),
            "Tom Nguyen",
            "received",
            HOSTILE,
        )
    )
    out.append(
        _message(n + 2, None, "Maria Garcia", "received", "Undated: my lawyer will call you.")
    )
    out.append(
        _message(
            n + 3,
            datetime(2024, 10, 2, tzinfo=timezone.utc),
            "Recruiting Team",
            "received",
            "We are hiring! Update your salary expectations.",
            kind="sponsored",
            conv="ad-1",
        )
    )
    content = [
        ContentItem(
            "Shares.csv",
            i + 1,
            "share",
            datetime(2023, 5, 1, tzinfo=timezone.utc) + timedelta(days=23 * i),
            rng.choice(
                (
                    *NEUTRAL,
                    "Proud to share my diagnosis journey publicly.",
                    "We closed our bridge round!",
                )
            ),
        )
        for i in range(34)
    ]
    content += [
        ContentItem(
            "Comments.csv",
            i + 1,
            "comment",
            datetime(2023, 7, 9, tzinfo=timezone.utc) + timedelta(days=31 * i),
            rng.choice(NEUTRAL),
        )
        for i in range(22)
    ]
    content.append(
        ContentItem(
            "Profile.csv",
            1,
            "profile_summary",
            None,
            "Engineer. Open to work; interviewing at startups.",
            "Summary",
        )
    )
    content.append(
        ContentItem(
            "Invitations.csv",
            1,
            "invitation",
            datetime(2024, 11, 1, tzinfo=timezone.utc),
            "Let's connect",
        )
    )
    files = (
        FileReport(
            "messages.csv",
            "messages",
            True,
            len(out) + 1,
            len(out),
            1,
            note="UTF-8, comma-separated",
        ),
        FileReport("Shares.csv", "content", True, 34, 34, 0),
        FileReport("Comments.csv", "content", True, 22, 22, 0),
        FileReport("Profile.csv", "content", True, 1, 1, 0),
        FileReport("Invitations.csv", "content", True, 1, 1, 0),
    )
    account = AccountFacts(
        member_name=MEMBER,
        premium=(
            PremiumEvidence(
                "Receipts.csv", "Premium Career", datetime(2023, 2, 1, tzinfo=timezone.utc)
            ),
        ),
        connections=812,
        registered_at=datetime(2012, 5, 4, tzinfo=timezone.utc),
        inferences=(("Seniority", "Senior"), ("Industry", "Software")),
        ad_targeting=(("Member Interests", "Cloud computing"),),
    )
    return Export(("sample.zip",), tuple(out), tuple(content), files, (), account)


def sample_result(messages: int = 320) -> ScanResult:
    export = sample_export(messages)
    return ScanResult(
        export,
        tuple(classify(m.content) for m in export.messages),
        tuple(classify(c.text) for c in export.content),
    )


def sample_settings(
    opted_out: date | None = date(2025, 2, 10), region: str = "US"
) -> PolicySettings:
    return PolicySettings(POLICY_DATE, region, opted_out)


def summary_of(
    result: ScanResult, settings: PolicySettings, topics: Sequence[str] = TOPICS
) -> Summary:
    return build_summary(
        result.export,
        result.message_results,
        result.content_results,
        settings,
        topics=topics,
        severity=SEVERITY,
    )
