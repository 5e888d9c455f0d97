"""Masking helpers: spans, identifiers, names, offsets that come from another text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.models import Finding
from auditor.report.redact import Pseudonyms, identifier_spans, merge_spans, redact_text


def finding(text: str, word: str, topic: str = "health") -> Finding:
    start = text.index(word)
    return Finding(topic, "r", word, start, start + len(word), 0.9, "")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("mail me: jo.doe+x@example.co.uk", "email"),
        ("see https://www.linkedin.com/in/someone-123", "url"),
        ("call +44 20 7946 0958 tonight", "phone"),
        ("call (415) 555-0100", "phone"),
    ],
)
def test_identifiers_found(text: str, label: str) -> None:
    assert label in {s[2] for s in identifier_spans(text)}


@pytest.mark.parametrize(
    "text", ["on 2024-09-18 we meet", "due 12/03/2024", "raised $150k", "in 2025"]
)
def test_not_identifiers(text: str) -> None:
    assert identifier_spans(text) == []


def test_redact_masks_findings_identifiers_and_names() -> None:
    text = "Dear Jane Roe, the chemo at jane@x.example starts"
    out = redact_text(text, [finding(text, "chemo")], ["Jane Roe"])
    assert out == "Dear [name], the [health] at [email] starts"


def test_offsets_from_another_text_fall_back_to_search() -> None:
    text = "chemo again, chemo"
    stale = Finding("health", "r", "chemo", 40, 45, 0.9, "")
    assert redact_text(text, [stale]) == "[health] again, [health]"


def test_overlapping_spans_merge() -> None:
    assert merge_spans([(0, 5, "a"), (3, 9, "b"), (12, 14, "c")]) == [(0, 9, "a"), (12, 14, "c")]


def test_pseudonyms_are_stable() -> None:
    alias = Pseudonyms(["Alex Morgan"])
    assert [alias(n) for n in ("Dana", "Sam", "dana ", "Alex Morgan", "")] == [
        "Person 1",
        "Person 2",
        "Person 1",
        "[member]",
        "",
    ]


def test_every_occurrence_is_masked() -> None:
    text = "Chemo on Monday; chemo again Friday"
    assert (
        redact_text(text, [finding(text, "chemo")]) == "[health] on Monday; [health] again Friday"
    )


@given(st.text(max_size=80), st.integers(0, 79), st.integers(2, 10))
def test_masked_text_never_contains_the_finding(text: str, start: int, length: int) -> None:
    word = text[start : start + length]
    if len(word) < 2:
        return
    f = Finding("health", "r", word, start, start + len(word), 0.9, "")
    for piece in redact_text(text, [f]).split("[health]"):
        assert word not in piece
