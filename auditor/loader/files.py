"""Which file is what: by case-insensitive name (with or without `Jobs/` or any folder prefix),
and by header where the name is unfamiliar (browser copies, renamed files)."""

from __future__ import annotations

from typing import Literal

__all__ = ["Family", "by_header", "by_name", "is_known_name", "name_key"]

Family = Literal[
    "messages",
    "coach_messages",
    "connections",
    "profile",
    "profile_summary",
    "invitations",
    "shares",
    "comments",
    "rich_media",
    "recommendations_given",
    "recommendations_received",
    "positions",
    "job_applications",
    "screening_answers",
    "registration",
    "receipts",
    "inferences",
    "ad_targeting",
    "article",
    "other",
    "unknown",
]

# Keys are file stems lower-cased without spaces, `_` or `-` and without a trailing part number.
_BY_KEY: dict[str, Family] = {
    "messages": "messages",
    "guidemessages": "coach_messages",
    "learningcoachmessages": "coach_messages",  # also LearningCoachMessages.csv: "No conversations"
    "learningroleplaymessages": "coach_messages",
    "coachmessages": "coach_messages",
    "connections": "connections",
    "profile": "profile",
    "profilesummary": "profile_summary",
    "invitations": "invitations",
    "shares": "shares",
    "comments": "comments",
    "richmedia": "rich_media",
    "recommendationsgiven": "recommendations_given",
    "recommendationsreceived": "recommendations_received",
    "positions": "positions",
    "jobapplications": "job_applications",
    "jobapplicantsavedscreeningquestionresponses": "screening_answers",
    "jobapplicantsavedanswers": "screening_answers",
    "registration": "registration",
    "receipts": "receipts",
    "receiptsv": "receipts",  # Receipts_v2 once the digit is stripped
    "inferencesaboutyou": "inferences",
    "adtargeting": "ad_targeting",
}

# Recognised files we count but take no text from (FORMAT.md §3 "also seen" and friends).
_OTHER = frozenset(
    [
        "education",
        "emailaddresses",
        "phonenumbers",
        "whatsappphonenumbers",
        "endorsementgiveninfo",
        "endorsementreceivedinfo",
        "savedjobs",
        "jobseekerpreferences",
        "savedjobalerts",
        "logins",
        "searchqueries",
        "learning",
        "reactions",
        "votes",
        "companyfollows",
        "memberfollows",
        "hashtagfollows",
        "events",
        "honors",
        "languages",
        "skills",
        "certifications",
        "projects",
        "publications",
        "courses",
        "organizations",
        "volunteering",
        "contacts",
        "saveditems",
        "securitychallenges",
        "adsclicked",
        "lanadsengagement",
        "causesyoucareabout",
        "memberhashtags",
        "verifications",
        "calendar",
        "duolingo",
        "accountstatushistory",
        "patents",
        "testscores",
        "recommendations",
        "privateidentityasset",
        "emailaddress",
        "phonenumber",
        "instantmessengers",
        "mediafiles",
        "jobseeker",
        "learningreviews",
        "learningcoachprompts",
        "groups",
        "services",
        "providers",
    ]
)


def name_key(path: str) -> str:
    base = path.rsplit("/", 1)[-1].lower()
    if base.endswith(".csv"):
        base = base[:-4]
    key = base.replace(" ", "").replace("_", "").replace("-", "")
    return key.rstrip("0123456789")


def by_name(path: str) -> Family:
    low = path.lower()
    if low.startswith("articles/") and low.endswith((".html", ".htm")):
        return "article"
    key = name_key(path)
    fam = _BY_KEY.get(key)
    if fam is not None:
        return fam
    if key in _OTHER:
        return "other"
    return "unknown"


def is_known_name(path: str) -> bool:
    return by_name(path) != "unknown"


def by_header(header: list[str]) -> Family:
    """Recognise a renamed file from its column names."""
    cols = {c.strip().lower() for c in header}
    if "content" in cols and ("date" in cols) and ("from" in cols or "to" in cols):
        return "messages"
    if {"first name", "last name", "connected on"} <= cols:
        return "connections"
    if "sharecommentary" in cols:
        return "shares"
    if {"date", "link", "message"} <= cols:
        return "comments"
    if {"sent at", "message", "direction"} <= cols:
        return "invitations"
    if {"transaction made at", "description"} <= cols:
        return "receipts"
    if {"question and answers"} <= cols:
        return "job_applications"
    if {"question", "answer"} <= cols:
        return "screening_answers"
    if "media description" in cols:
        return "rich_media"
    if {"text", "creation date"} <= cols:
        return "recommendations_received"
    if "profile summary" in cols:
        return "profile_summary"
    if {"first name", "last name", "headline"} <= cols:
        return "profile"
    if "subscription types" in cols:
        return "registration"
    if {"type of inference", "inference"} <= cols:
        return "inferences"
    return "unknown"
