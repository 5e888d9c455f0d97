"""A small hand-built Export with aligned Classifications for the reporter's tests.

Synthetic people and text only. Findings are built from the text itself so spans always slice to
their matched words.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from auditor.classify import TOPICS as TOPICS  # re-exported for the report tests
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
    RowIssue,
)

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
MEMBER = "Alex Morgan"
MEMBER_URL = "https://www.linkedin.com/in/alex-morgan-0001"
DANA = ("Dana Reyes", "https://www.linkedin.com/in/dana-reyes-0002")
SAM = ("Sam Lee", "https://www.linkedin.com/in/sam-lee-0003")
JORDAN = ("Jordan Kim", "https://www.linkedin.com/in/jordan-kim-0004")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)  # type: ignore[misc, arg-type]


def settings(region: str = "US", opted_out: date | None = date(2025, 1, 15)) -> PolicySettings:
    return PolicySettings(policy_date=POLICY_DATE, region=region, opted_out=opted_out)


def classify(text: str, *hits: tuple[str, str, float]) -> Classification:
    """A Classification flagging each (topic, word, score); the word must occur in `text`."""
    findings = []
    for topic, word, score in hits:
        start = text.index(word)
        findings.append(
            Finding(
                topic, f"{topic}.rule", word, start, start + len(word), score, f"phrase '{word}'"
            )
        )
    scores: dict[str, float] = {}
    for f in findings:
        scores[f.topic] = max(scores.get(f.topic, 0.0), f.score)
    return Classification(
        findings=tuple(sorted(findings, key=lambda f: f.start)),
        topic_scores=tuple(sorted(scores.items())),
        flagged=tuple(sorted(t for t, s in scores.items() if s >= 0.5)),
    )


def msg(
    row: int,
    when: datetime | None,
    direction: str,
    other: tuple[str, str],
    content: str,
    *,
    kind: str = "member",
    subject: str = "",
    conversation: str = "",
) -> Message:
    sender, sender_url = (MEMBER, MEMBER_URL) if direction == "sent" else other
    recipients, urls = (
        ((other[0],), (other[1],)) if direction == "sent" else ((MEMBER,), (MEMBER_URL,))
    )
    return Message(
        source_file="messages.csv",
        source_row=row,
        conversation_id=conversation or f"2-conv{row:03d}",
        conversation_title=subject,
        sender=sender,
        sender_url=sender_url,
        recipients=recipients,
        recipient_urls=urls,
        date=when,
        subject=subject,
        content=content,
        folder="INBOX",
        attachments=(),
        is_draft=False,
        direction=direction,  # type: ignore[arg-type]
        kind=kind,  # type: ignore[arg-type]
    )


def build() -> tuple[Export, list[Classification], list[Classification]]:
    """The fixed export behind the golden files."""
    inmail = "2-inmail-dana"
    t1 = (
        "Hi Alex, are you open to a new role? The salary range is $150k. Call me at "
        "+1 415 555 0100 or dana@initech.example"
    )
    t2 = "Yes, I'm quietly job hunting, please keep it confidential from my employer."
    t3 = "Sam, my therapist says the chemo is working. Please don't tell the team."
    t4 = "We closed the seed round: the term sheet values us at 4M."
    t5 = "Lunch next week?"
    t6 = "Hi %FIRSTNAME%, find your next job with Premium."
    t7 = "the wifi password is hunter2-blue"
    t8 = '=HYPERLINK("http://x.example","lawsuit draft")'
    t9 = "How do I negotiate my salary offer?"
    t10 = "Thanks, talk soon."
    messages = (
        msg(
            1,
            utc(2023, 3, 10, 9, 0, 0),
            "received",
            DANA,
            t1,
            kind="inmail",
            subject="Senior role at Initech",
            conversation=inmail,
        ),
        msg(
            2,
            utc(2023, 3, 11, 8, 30, 0),
            "sent",
            DANA,
            t2,
            kind="inmail",
            subject="Senior role at Initech",
            conversation=inmail,
        ),
        msg(3, utc(2024, 9, 17, 23, 59, 59), "sent", SAM, t3),
        msg(4, utc(2024, 9, 18, 0, 0, 0), "received", SAM, t4),
        msg(5, utc(2024, 10, 2, 12, 0, 0), "received", JORDAN, t5),
        replace(
            msg(
                6,
                utc(2024, 11, 5, 10, 0, 0),
                "received",
                ("LinkedIn Member", ""),
                t6,
                kind="sponsored",
                conversation="2-ad",
            ),
            conversation_title="Sponsored Conversation",
        ),
        msg(7, None, "received", JORDAN, t7),
        msg(8, utc(2025, 2, 1, 18, 0, 0), "sent", JORDAN, t8),
        replace(
            msg(9, utc(2024, 9, 18, 7, 0, 0), "sent", ("", ""), t9, kind="coach"),
            source_file="coach_messages.csv",
            recipients=(),
            recipient_urls=(),
        ),
        msg(10, utc(2023, 6, 1, 9, 0, 0), "received", DANA, t10),
    )
    message_results = [
        classify(
            t1, ("compensation", "salary range", 0.8), ("job_search", "open to a new role", 0.7)
        ),
        classify(t2, ("job_search", "job hunting", 0.9)),
        classify(t3, ("health", "therapist", 0.6), ("health", "chemo", 0.9)),
        classify(t4, ("financing", "term sheet", 0.8)),
        classify(t5),
        classify(t6, ("job_search", "find your next job", 0.6)),
        classify(t7, ("credentials", "password is hunter2-blue", 0.95)),
        classify(t8, ("legal", "lawsuit", 0.7)),
        classify(t9, ("compensation", "negotiate my salary", 0.75)),
        classify(t10),
    ]
    c1 = "Excited to share: I'm open to work! #opentowork"
    c2 = "+1 great point about remote teams"
    c3 = "Engineer on an H-1B visa, building payments systems."
    c4 = "Q: Will you require visa sponsorship?: Yes"
    c5 = "Hi, let's connect"
    c6 = "@SUM of all tricks"
    content = (
        ContentItem("Shares.csv", 1, "share", utc(2024, 1, 5, 10, 0, 0), c1),
        ContentItem("Comments.csv", 1, "comment", utc(2025, 3, 1, 10, 0, 0), c2),
        ContentItem("Profile Summary.csv", 1, "profile_summary", None, c3),
        ContentItem(
            "Jobs/Job Applications.csv",
            1,
            "job_application",
            utc(2024, 10, 1, 9, 0, 0),
            c4,
            title="Backend Engineer",
        ),
        ContentItem("Invitations.csv", 1, "invitation", utc(2024, 5, 1, 9, 0, 0), c5),
        ContentItem(
            "Articles/Articles/2025-12-01.html",
            1,
            "article",
            utc(2025, 12, 1, 9, 0, 0),
            c6,
            title="Spreadsheet tricks",
        ),
    )
    content_results = [
        classify(c1, ("job_search", "open to work", 0.9)),
        classify(c2),
        classify(c3, ("immigration", "H-1B visa", 0.9)),
        classify(c4, ("immigration", "visa sponsorship", 0.9)),
        classify(c5),
        classify(c6),
    ]
    files = (
        FileReport("messages.csv", "messages", True, 11, 9, 2, note="UTF-8"),
        FileReport("coach_messages.csv", "messages", True, 1, 1, 0),
        FileReport("Shares.csv", "content", True, 1, 1, 0),
        FileReport("Comments.csv", "content", True, 1, 1, 0),
        FileReport("Profile Summary.csv", "content", True, 1, 1, 0),
        FileReport("Jobs/Job Applications.csv", "content", True, 1, 1, 0),
        FileReport("Invitations.csv", "content", True, 1, 1, 0),
        FileReport("Articles/Articles/2025-12-01.html", "content", True, 1, 1, 0),
        FileReport("Receipts_v2.csv", "facts", True, 1, 1, 0),
        FileReport("Mystery.csv", "unknown", False, 0, 0, 0),
    )
    issues = (
        RowIssue("messages.csv", 4, "unparseable row"),
        RowIssue("messages.csv", 9, "unparseable row"),
        RowIssue("messages.csv", 7, "date could not be parsed", rejected=False),
    )
    account = AccountFacts(
        member_name=MEMBER,
        member_urls=(MEMBER_URL,),
        premium=(PremiumEvidence("Receipts_v2.csv", "Premium Career", utc(2023, 1, 2, 13, 32, 0)),),
        connections=342,
        registered_at=utc(2012, 5, 4, 8, 0, 0),
        subscription_types="Premium Career",
        inferences=(("Career: Seniority", "Senior"), ("Interests: Topic", "Fintech")),
        ad_targeting=(
            ("Company Names", "Initech"),
            ("Job Titles", "Engineer"),
            ("Job Titles", "Lead"),
        ),
    )
    export = Export(
        inputs=("Complete_LinkedInDataExport_08-26-2025.zip",),
        messages=messages,
        content=content,
        files=files,
        issues=issues,
        account=account,
    )
    return export, message_results, content_results
