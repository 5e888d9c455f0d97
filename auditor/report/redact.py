"""Masking for reports meant to be shared: finding spans, identifiers and people's names.

Spans are replaced by a short label ("[health]", "[email]") so a reader still sees what kind of
thing was there; everything is done in one pass over merged spans so offsets never drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from auditor.models import Finding

# Identifiers that single out a person or an account, whatever the topic rules matched.
_IDENTIFIER_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("url", re.compile(r"(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)),
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    # Phone-like: 7+ digits allowing separators; an optional leading + or (.
    ("phone", re.compile(r"(?<![\w])(?:\+|\()?\d(?:[\s().-]?\d){6,}(?![\w])")),
)

Span = tuple[int, int, str]  # start, end, label


def finding_spans(text: str, findings: Iterable[Finding]) -> list[Span]:
    """Spans of findings in `text`, labelled by topic (for highlighting).

    A finding whose offsets do not slice to its matched words (the classifier saw a different text)
    is located by searching for its words instead, every occurrence.
    """
    spans: list[Span] = []
    for f in findings:
        if not f.matched:
            continue
        if 0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.matched:
            spans.append((f.start, f.end, f.topic))
            continue
        spans.extend((m.start(), m.end(), f.topic) for m in re.finditer(re.escape(f.matched), text))
    return spans


def repeat_spans(text: str, findings: Iterable[Finding]) -> list[Span]:
    """Every occurrence of every matched word, case-insensitively: masking only the reported
    span would leave a repeated word readable elsewhere in the text."""
    spans: list[Span] = []
    for word, topic in dict.fromkeys((f.matched, f.topic) for f in findings if f.matched):
        pattern = re.compile(re.escape(word), re.IGNORECASE)
        spans.extend((m.start(), m.end(), topic) for m in pattern.finditer(text))
    return spans


_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")


def identifier_spans(text: str) -> list[Span]:
    """URLs, e-mail addresses and phone-like numbers (dates are not phone numbers)."""
    spans: list[Span] = []
    for label, pattern in _IDENTIFIER_PATTERNS:
        for m in pattern.finditer(text):
            if label == "phone" and _DATE_LIKE.fullmatch(m.group().strip("()")):
                continue
            spans.append((m.start(), m.end(), label))
    return spans


def name_spans(text: str, names: Iterable[str]) -> list[Span]:
    """Whole names and their words (3+ letters) as they appear in `text`, case-insensitively."""
    words: set[str] = set()
    for name in names:
        name = name.strip()
        if not name or name == "LinkedIn Member":
            continue
        words.add(name)
        words.update(w for w in re.split(r"[\s,]+", name) if len(w) >= 3)
    spans: list[Span] = []
    for word in sorted(words, key=len, reverse=True):
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
        spans.extend((m.start(), m.end(), "name") for m in pattern.finditer(text))
    return spans


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sort and merge overlapping spans; the earliest span's label wins."""
    merged: list[Span] = []
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2])
        else:
            merged.append((start, end, label))
    return merged


def mask_with_spans(text: str, spans: Sequence[Span]) -> tuple[str, list[Span]]:
    """Replace every span by "[label]"; also return where each label landed in the new text."""
    out: list[str] = []
    placed: list[Span] = []
    pos = 0
    length = 0
    for start, end, label in merge_spans(spans):
        chunk = text[pos:start]
        out.append(chunk)
        length += len(chunk)
        token = f"[{label}]"
        out.append(token)
        placed.append((length, length + len(token), label))
        length += len(token)
        pos = end
    out.append(text[pos:])
    return "".join(out), placed


def apply_mask(text: str, spans: Sequence[Span]) -> str:
    """Replace every span by "[label]"."""
    return mask_with_spans(text, spans)[0]


def redaction_spans(
    text: str, findings: Iterable[Finding], names: Iterable[str] = ()
) -> list[Span]:
    """Everything to mask in `text`: findings, identifiers and the given names."""
    found = list(findings)
    return (
        finding_spans(text, found)
        + repeat_spans(text, found)
        + identifier_spans(text)
        + name_spans(text, names)
    )


def redact_text(text: str, findings: Iterable[Finding], names: Iterable[str] = ()) -> str:
    """The text with findings, identifiers and the given names masked."""
    return apply_mask(text, redaction_spans(text, findings, names))


class Pseudonyms:
    """Stable stand-ins for people's names within one report: "Person 1", "Person 2", ..."""

    __slots__ = ("_member", "_seen")

    def __init__(self, member_names: Iterable[str] = ()) -> None:
        self._seen: dict[str, str] = {}
        self._member = {n.strip().casefold() for n in member_names if n.strip()}

    def __call__(self, name: str) -> str:
        key = name.strip().casefold()
        if not key:
            return ""
        if key in self._member:
            return "[member]"
        if key == "linkedin member":
            return name.strip()
        if key not in self._seen:
            self._seen[key] = f"Person {len(self._seen) + 1}"
        return self._seen[key]
