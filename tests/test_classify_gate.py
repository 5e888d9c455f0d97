"""The gate must be sound: it may let a phrase through that then finds nothing, but it must never
hold back a phrase (or a cue phrase) whose regex matches the text. Findings depend on it."""

from __future__ import annotations

import json
import random
import re
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.classify import Classifier
from auditor.classify.gate import _char, gate_text
from auditor.classify.normalize import normalize
from auditor.classify.rules import compiled_flat, expand_braces, phrase_units

ROOT = Path(__file__).resolve().parent.parent


@cache
def _clf() -> Classifier:
    return Classifier.load()


def _phrase_rx(phrase: str) -> tuple[re.Pattern[str], bool]:
    unit = phrase_units((phrase,))[0]
    return compiled_flat(unit.source), unit.left_check


def _matches(phrase: str, nt: str) -> bool:
    regex, left_check = _phrase_rx(phrase)
    for m in regex.finditer(nt):
        s = m.start()
        if not (left_check and s > 0 and (nt[s - 1].isalnum() or nt[s - 1] == "_")):
            return True
    # finditer skips overlapping starts the engine retries after a mid-word match
    return any(
        regex.match(nt, i) and not (nt[i - 1].isalnum() or nt[i - 1] == "_")
        for i in range(1, len(nt))
        if left_check
    )


def _check_sound(text: str) -> int:
    """Every phrase target and cue phrase whose regex matches must be allowed; returns how
    many matching phrases were checked."""
    clf = _clf()
    gate = clf._gate
    nt = normalize(text).text
    gt = gate_text(nt)
    hits = gate.hits(gt)
    allowed = gate.targets_for(nt, hits)
    cues = gate.cues_for(gate.cue_hits(gt))
    checked = 0
    for target, (rule_idx, pos) in enumerate(gate.targets):
        rule = clf.rules[rule_idx]
        if pos < 0:
            continue  # pattern rules are woken by their declared anchors
        phrase = rule.phrases[pos]
        if _matches(phrase, nt):
            checked += 1
            assert target in allowed, (rule.id, phrase)
            keys = gate.context_keys[rule_idx]
            # a context phrase that matches must open the rule's gate
            if keys is not None and any(_matches(c, nt) for c in rule.context):
                assert not keys.isdisjoint(hits), (rule.id, "context")
    for phrase, cue in gate.cue_ids.items():
        if _matches(phrase, nt):
            checked += 1
            assert cue in cues, phrase
    return checked


def _corpus() -> list[str]:
    texts = []
    for path in sorted((ROOT / "eval").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    return texts


def test_gate_is_sound_on_the_evaluation_set() -> None:
    texts = _corpus()
    rng = random.Random(3)
    sample = rng.sample(texts, 150)
    variants = [t.upper().replace(" ", "  ").replace("-", " - ") for t in sample[:40]]
    variants += [t.replace("'", "\u2019").replace(", ", " ,\n") for t in sample[40:80]]
    checked = sum(_check_sound(t) for t in sample + variants)
    assert checked > 300  # the corpus really exercises the phrases


_SEPARATORS = [" ", "  ", "-", " / ", "\n", " \t ", "/"]
_FILLER = ["we", "really", "the", "Q3", "2024", "ok", "so", "£5k", "re:"]


def _render(variant: str, rng: random.Random) -> str:
    """A text the phrase variant's regex should match, written the ways people type it."""
    words = []
    for tok in variant.split():
        if tok == "~":
            words.append(" ".join(rng.sample(_FILLER, rng.randint(0, 3))) or "x")
            continue
        tok = tok.replace("<num>", rng.choice(["12", "1,500", "4.5", "300000", "~12", "≈ 5"]))
        tok = tok.replace("*", rng.choice(["", "ing", "s", "x"]))
        out = []
        for ch in tok:
            if ch in "-'.":
                out.append(rng.choice(["", ch, " "] if ch == "-" else ["", ch]))
            else:
                out.append(ch)
        words.append("".join(out))
    body = ""
    for i, w in enumerate(words):
        body += (rng.choice(_SEPARATORS) if i else "") + w
    case = rng.choice([str.lower, str.upper, str.title, lambda s: s])
    head = rng.choice(["", "Hi! ", "(", "#", "re: "])
    return head + case(body) + rng.choice(["", ".", "!?", ")"])


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0), st.integers(min_value=0, max_value=2**32))
def test_gate_lets_through_every_rendered_phrase(pick: int, seed: int) -> None:
    clf = _clf()
    gate = clf._gate
    phrase_targets = [t for t, (_, pos) in enumerate(gate.targets) if pos >= 0]
    target = phrase_targets[pick % len(phrase_targets)]
    rule_idx, pos = gate.targets[target]
    phrase = clf.rules[rule_idx].phrases[pos]
    rng = random.Random(seed)
    variants = expand_braces(" ".join(normalize(phrase).text.split()))
    text = _render(rng.choice(variants), rng)
    nt = normalize(text).text
    if _matches(phrase, nt):
        assert target in gate.targets_for(nt, gate.hits(gate_text(nt))), (phrase, text)


@given(st.text(max_size=80))
def test_gate_text_is_words_separated_by_single_spaces(text: str) -> None:
    nt = normalize(text).text
    mapped = "".join(_char(c) for c in nt)
    assert gate_text(nt) == " " + " ".join(mapped.split()) + " "


def test_many_variant_phrases_are_keyed_soundly() -> None:
    """Phrases with many variants are keyed per word slot, not per variant: every variant,
    optional words left out included ("{new,}"), must still open the gate."""
    from auditor.classify.gate import _MANY_VARIANTS, expand_count

    clf = _clf()
    gate = clf._gate
    rng = random.Random(5)
    checked = 0
    for target, (rule_idx, pos) in enumerate(gate.targets):
        if pos < 0:
            continue
        phrase = clf.rules[rule_idx].phrases[pos]
        norm = " ".join(normalize(phrase).text.split())
        if expand_count(norm) <= _MANY_VARIANTS:
            continue
        variants = expand_braces(norm)
        for variant in rng.sample(variants, min(25, len(variants))):
            text = _render(variant, rng)
            nt = normalize(text).text
            if _matches(phrase, nt):
                checked += 1
                assert target in gate.targets_for(nt, gate.hits(gate_text(nt))), (phrase, text)
    assert checked > 500
