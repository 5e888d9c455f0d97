"""Typed, immutable records passed between the pipeline stages.

loader -> (Message, ContentItem, RowIssue, FileReport, AccountFacts) inside an Export
classifier -> Finding, Classification
reporter -> reads the above; never mutates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Direction = Literal["sent", "received", "unknown"]
MessageKind = Literal["member", "inmail", "sponsored", "linkedin", "coach"]
# Kinds of ContentItem: the member's own writing or text LinkedIn holds about them.
ContentKind = Literal[
    "share",
    "comment",
    "article",
    "invitation",
    "rich_media",
    "recommendation_given",
    "recommendation_received",
    "profile_summary",
    "position",
    "job_application",
    "screening_answer",
]
# What the loader made of a file.
FileKind = Literal["messages", "content", "facts", "empty", "other", "unknown"]


@dataclass(frozen=True, slots=True)
class Message:
    """One row of messages.csv (or a sibling file), normalised across all header vintages."""

    source_file: str  # the file's path inside the export, e.g. "messages.csv"
    source_row: int  # 1-based index of the record among the file's data rows
    conversation_id: str
    conversation_title: str
    sender: str
    sender_url: str
    recipients: tuple[str, ...]
    recipient_urls: tuple[str, ...]
    date: datetime | None  # timezone-aware UTC; None when the date could not be parsed
    subject: str
    content: str  # plain text: HTML tags and entities already turned into text
    folder: str
    attachments: tuple[str, ...]
    is_draft: bool
    direction: Direction
    kind: MessageKind


@dataclass(frozen=True, slots=True)
class ContentItem:
    """Text the member wrote (posts, comments, ...) or LinkedIn holds about them."""

    source_file: str
    source_row: int
    kind: ContentKind
    date: datetime | None
    text: str
    title: str = ""  # article title, job title, recommender name ...


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A row the loader could not load, or loaded with damage. Never holds the row's text."""

    file: str
    row: int  # 1-based data row; 0 for a whole-file problem
    reason: str
    rejected: bool = True  # False: the row was loaded but something in it was repaired/dropped


@dataclass(frozen=True, slots=True)
class FileReport:
    """Accounting for one file of the export: rows read = rows loaded + rows rejected."""

    path: str
    kind: FileKind
    understood: bool
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    date_min: datetime | None = None
    date_max: datetime | None = None
    note: str = ""  # e.g. "UTF-16LE, tab-separated", "No conversations found"
    source: str = ""  # the input (zip or folder) this file came from


@dataclass(frozen=True, slots=True)
class PremiumEvidence:
    """A sign that the member paid for Premium (or another subscription)."""

    source_file: str
    description: str  # e.g. "Premium Career", "Recruiter Lite (Monthly)"
    date: datetime | None


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the reporter needs to know about the member beyond their messages."""

    member_name: str = ""
    member_urls: tuple[str, ...] = ()  # the member's own profile URL(s), when inferable
    premium: tuple[PremiumEvidence, ...] = ()
    connections: int = 0
    registered_at: datetime | None = None
    subscription_types: str = ""
    inferences: tuple[tuple[str, str], ...] = ()  # (category/type, inference)
    ad_targeting: tuple[tuple[str, str], ...] = ()  # (column name, value); duplicates kept


@dataclass(frozen=True, slots=True)
class Export:
    """Everything loaded from one or more inputs (zips or folders) of one member."""

    inputs: tuple[str, ...]
    messages: tuple[Message, ...]
    content: tuple[ContentItem, ...]
    files: tuple[FileReport, ...]
    issues: tuple[RowIssue, ...]
    account: AccountFacts
    duplicates_merged: int = 0  # identical messages seen in more than one input, counted once

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of evidence for a topic, explaining itself: rule, words, span, score, why."""

    topic: str
    rule_id: str
    matched: str  # == text[start:end] of the original (un-normalised) text
    start: int
    end: int
    score: float  # in [0, 1]
    explanation: str  # e.g. "phrase 'term sheet' 0.6; context 'valuation' +0.2"


@dataclass(frozen=True, slots=True)
class Classification:
    """The classifier's verdict on one text."""

    findings: tuple[Finding, ...] = ()
    topic_scores: tuple[tuple[str, float], ...] = ()  # combined score per topic, sorted by topic
    flagged: tuple[str, ...] = field(default=())  # topics whose score reached the threshold

    @property
    def is_flagged(self) -> bool:
        return bool(self.flagged)
