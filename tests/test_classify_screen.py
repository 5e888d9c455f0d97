"""The first-character screen of compiled regexes (`rules._screened`): a speed-up that must
never change a match. Checked against plain `re` on generated texts, for hand-written regexes
of the shapes the lexicons produce and for every phrase of the shipped lexicons."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.classify.rules import _first_chars, _sre_parse, compiled, compiled_flat, phrase_units
from auditor.classify.rules import _with_screen as with_screen

# Shapes that start without a literal: <num>'s optional "~", lookbehinds, optional words,
# alternations of classes, and ones that may match the empty string (no screen possible).
SHAPES = [
    r"(?:(?<!\w)[~≈]\s?)?\d+(?:[.,]\d+)*%[\s\-/]+at",
    r"(?<!\w)(?:ab|c\d)x?",
    r"(?:a[\s\-/]+)?b(?!\w)",
    r"(?:ab)?c|d",
    r"(?=a)ab|\db",
    r"\b(?:x|y)+z",
    r"(?:a|)b",
    r"(?:a*)?b",
    r"x*",
    r"(?:~)?\s*\d",
    r"[^a]b",
    r".b",
]
ALPHABET = "ab cd1~≈%x.,yz-/"


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SHAPES), st.text(alphabet=ALPHABET, max_size=40))
def test_screened_regex_matches_exactly_as_re(source: str, text: str) -> None:
    plain = re.compile(source)
    screened = compiled(source)
    assert [m.span() for m in screened.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("source", [r"x*", r"(?:a|)b?", r"(?:a*)?", r".b", r"[^a]b"])
def test_no_screen_where_a_match_may_start_anywhere(source: str) -> None:
    """An empty match, any character or a negated class: nothing to screen by."""
    assert _first_chars(list(_sre_parse.parse(source).data)) is None


def test_screen_added_where_re_cannot_skip() -> None:
    parsed = _sre_parse.parse(r"(?:(?<!\w)[~≈]\s?)?\d+%")
    assert with_screen(parsed) is not None
    # A literal or a class first: re scans for it itself, no lookahead needed.
    assert with_screen(_sre_parse.parse(r"ab\d")) is None
    assert with_screen(_sre_parse.parse(r"[ab]c")) is None


TEXTS = [
    "we're raising a $4m seed at a 20m pre, ~15% dilution; 30% at $12m was the other offer",
    "raise a question about round 2 of feedback, ≈ 5 people; i handed in my notice today!",
    "my h-1b transfer: uscis 2-3 weeks, +44 7700 900123, term-sheet v2 (series a) signed",
]


def test_lexicon_phrases_match_as_before() -> None:
    """Every shipped phrase regex gives the same matches screened and unscreened."""
    from auditor.classify import Classifier

    clf = Classifier.load()
    phrases = sorted({p for rule in clf.rules for p in rule.phrases})
    checked = 0
    for phrase in phrases[::7]:  # a fixed seventh of them keeps the test quick
        for unit in phrase_units((phrase,)):
            plain = re.compile(unit.source)
            fast = compiled_flat(unit.source)
            for text in TEXTS:
                assert [m.span() for m in fast.finditer(text)] == [
                    m.span() for m in plain.finditer(text)
                ], phrase
            checked += 1
    assert checked > 100
