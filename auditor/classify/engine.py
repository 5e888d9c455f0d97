"""Matching and scoring: an Aho-Corasick prefilter, then precise checks for what it woke up.

Most messages cost one normalisation plus one automaton pass over whole-word anchors. Only the
phrases whose anchors occur run their regex (in a window around the anchor); only candidate
matches run validators and their negative, context and dampen cues (each cue regex at most once
per text, shared by every rule that uses it; a rule that requires context looks for it before
its negatives). Regexes compile on first use, so loading the rules compiles only the pattern
rules' (which validation needs anyway). Scores: a finding starts at
the rule weight (or the validator's score), each distinct context term nearby adds the rule's
boost (at most two), capped at 1, times `dampen_factor` next to a dampen cue. Per topic, the
strongest finding of each rule counts and rules combine by noisy-or: 1 - prod(1 - s).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import ahocorasick

from auditor.classify.detectors import VALIDATORS
from auditor.classify.normalize import Normalized, normalize
from auditor.classify.rules import (
    Anchor,
    Rule,
    RuleSet,
    Unit,
    anchor_score,
    compile_phrases,
    compiled_flat,
    load_ruleset,
)
from auditor.errors import AuditError
from auditor.models import Classification, Finding

_EMPTY = Classification()
# Per rule and cue kind: (terms that can wake a cue, term -> merged cue regexes, cues without a
# usable anchor -- only function words -- which are always checked).
# Cue regexes are numbered (identical ones shared by all rules) so that a text computes the
# spans of each at most once, however many rules use it.
# The fourth item numbers the index (identical cue lists share one).
_AuxIndex = tuple[frozenset[int], dict[int, tuple[int, ...]], tuple[int, ...], int]
_Spans = list[tuple[int, int, str]]

# The automaton runs over a copy of the normalised text with punctuation turned into spaces
# (same length), padded with one space each side; a whole-word anchor is then the key
# " word ", so substrings ("art" in "start") never fire. A few symbols that anchors use
# themselves stay as they are.
_KEEP = "@+$€£%#&"
_AC_TABLE = {
    ord(c): " "
    for c in (string.punctuation + string.whitespace + "¿¡«»…–—·•“”„‚‘’´")
    if c not in _KEEP
}
_AC_TABLE.update({ord(d): "0" for d in "123456789"})  # every digit reads as 0: "0k" = "120k"
# The same table for ASCII text as bytes: bytes.translate is five times faster.
_AC_BYTES = bytes(ord(str(_AC_TABLE.get(i, chr(i)))) for i in range(128)) + bytes(range(128, 256))


# Latin-1 text (most European-language messages) goes through bytes too: one byte per char.
_AC_LATIN1 = bytes(ord(str(_AC_TABLE.get(i, chr(i)))) for i in range(256))


def _ac_text(nt: str) -> str:
    """The padded prefilter copy of the normalised text (same offsets plus one)."""
    if nt.isascii():
        return " " + nt.encode("ascii").translate(_AC_BYTES).decode("ascii") + " "
    try:
        return " " + nt.encode("latin-1").translate(_AC_LATIN1).decode("latin-1") + " "
    except UnicodeEncodeError:
        return " " + nt.translate(_AC_TABLE) + " "


def _ac_key(anchor: Anchor) -> str:
    """The automaton key of an anchor: spaces mark the word boundaries it requires."""
    text, left, right = anchor
    return (" " if left else "") + text.translate(_AC_TABLE) + (" " if right else "")


_MAX_CONTEXT = 2  # context terms that count towards a finding's score


class Classifier:
    """Explainable sensitive-topic classifier over built-in and user TOML rules."""

    def __init__(
        self,
        ruleset: RuleSet,
        *,
        topics: Sequence[str] | None = None,
        min_score: float,
    ) -> None:
        known = tuple(ruleset.severity)
        if topics is None:
            chosen = known
        else:
            bad = [t for t in topics if t not in known]
            if bad:
                raise AuditError(f"unknown topic(s): {', '.join(bad)} (known: {', '.join(known)})")
            chosen = tuple(t for t in known if t in set(topics))
        if not 0.0 < min_score <= 1.0:
            raise AuditError(f"min score must be in (0, 1], got {min_score}")
        self.topics: tuple[str, ...] = chosen
        self.min_score: float = min_score
        self.severity: Mapping[str, str] = dict(ruleset.severity)
        self.rules: tuple[Rule, ...] = tuple(r for r in ruleset.rules if r.topic in set(chosen))
        self.ignore: tuple[str, ...] = ruleset.ignore
        self._ignore_re = re.compile(compile_phrases(ruleset.ignore)[0]) if ruleset.ignore else None
        # Every unit (a phrase's regex, or a pattern rule's) with the rule it belongs to.
        self._units: tuple[tuple[int, Unit], ...] = tuple(
            (i, unit) for i, rule in enumerate(self.rules) for unit in rule.units
        )
        self._build_prefilter()

    def _build_prefilter(self) -> None:
        """One automaton over every anchor (term) of every unit, main and auxiliary (context,
        negative, dampen). Main units are indexed by primary (+ secondary) term; auxiliary
        units by primary term per rule, so a cue's regex only runs when its anchor occurs."""
        terms: dict[Anchor, int] = {}

        def term(anchor: Anchor) -> int:
            return terms.setdefault(anchor, len(terms))

        # The phrases of one rule that share a (primary, secondary) key are merged into one
        # regex, so an anchor hit costs one search per rule rather than one per phrase.
        groups: dict[tuple[int, int, int, bool, bool], list[Unit]] = {}
        for rule_idx, unit in self._units:
            for primary, secondary in unit.keys:
                sec = -1 if secondary is None else term(secondary)
                key = (rule_idx, term(primary), sec, unit.whole, unit.left_check)
                groups.setdefault(key, []).append(unit)
        merged: list[tuple[int, Unit]] = []
        single: dict[int, list[int]] = {}
        pairs: dict[int, dict[int, list[int]]] = {}
        # A pattern unit searches the whole text whichever anchor woke it: one id for all its
        # anchors, so that a text hitting several of them ("+", "000") runs it once.
        whole_ids: dict[tuple[int, str], int] = {}
        for (rule_idx, p, sec, whole, left_check), units in groups.items():
            gid = len(merged)
            if whole and len(units) == 1:
                gid = whole_ids.setdefault((rule_idx, units[0].source), gid)
                if gid == len(merged):
                    merged.append((rule_idx, units[0]))
            elif len(units) == 1:
                merged.append((rule_idx, units[0]))
            else:
                sources = sorted({u.source for u in units}, key=len, reverse=True)
                source = "(?:" + "|".join(sources) + ")"
                back = max(u.back for u in units)
                fwd = max(u.fwd for u in units)
                unit = Unit(source, (), whole, left_check, back, fwd, units[0].flags)
                merged.append((rule_idx, unit))
            if sec == -1:
                single.setdefault(p, []).append(gid)
            else:
                pairs.setdefault(p, {}).setdefault(sec, []).append(gid)
        self._units = tuple(merged)
        self._regexes: list[re.Pattern[str] | None] = [None] * len(merged)

        cue_ids: dict[tuple[str, bool], int] = {}

        def cue_id(unit: Unit) -> int:
            return cue_ids.setdefault((unit.source, unit.left_check), len(cue_ids))

        # Rules that share a cue list (a word set such as "@job" or "@ads") share its index,
        # so that a text collects the spans of those cues once for all of them.
        aux_seen: dict[tuple[Unit, ...], _AuxIndex] = {}

        def aux(units: tuple[Unit, ...]) -> _AuxIndex:
            seen = aux_seen.get(units)
            if seen is None:
                seen = aux_seen[units] = build_aux(units)
            return seen

        def build_aux(units: tuple[Unit, ...]) -> _AuxIndex:
            index: dict[int, list[Unit]] = {}
            always: list[Unit] = []
            for unit in units:
                primaries = {p for p, _ in unit.keys}
                if any(not _usable(p) for p in primaries):
                    always.append(unit)
                    continue
                for primary in primaries:
                    index.setdefault(term(primary), []).append(unit)
            by_term = {t: tuple(map(cue_id, _merge(v))) for t, v in index.items()}
            always_ids = tuple(map(cue_id, _merge(always)))
            return frozenset(by_term), by_term, always_ids, len(aux_seen)

        self._ctx = tuple(aux(r.context_units) for r in self.rules)
        self._neg = tuple(aux(r.negative_units) for r in self.rules)
        self._damp = tuple(aux(r.dampen_units) for r in self.rules)
        self._cue_defs: tuple[tuple[str, bool], ...] = tuple(cue_ids)
        self._cue_rx: list[re.Pattern[str] | None] = [None] * len(cue_ids)
        # A rule that needs context sleeps unless one of its context terms occurs.
        self._gates = tuple(
            ctx[0] if rule.requires_context and ctx[0] and not ctx[2] else None
            for rule, ctx in zip(self.rules, self._ctx, strict=True)
        )
        self._single = {k: tuple(dict.fromkeys(v)) for k, v in single.items()}
        self._pairs = {
            k: {s: tuple(dict.fromkeys(u)) for s, u in d.items()} for k, d in pairs.items()
        }
        self._primaries = frozenset(self._single) | frozenset(self._pairs)
        # Per primary term: the units it wakes alone, and (when it has any) the second terms it
        # wakes units with and those units per second term.
        self._wake: dict[
            int, tuple[tuple[int, ...], frozenset[int] | None, dict[int, tuple[int, ...]]]
        ] = {
            tid: (
                self._single.get(tid, ()),
                frozenset(self._pairs[tid]) if tid in self._pairs else None,
                self._pairs.get(tid, {}),
            )
            for tid in self._primaries
        }
        # Per unit id: (rule index, unit, context gate of its rule).
        self._info: tuple[tuple[int, Unit, frozenset[int] | None], ...] = tuple(
            (rule_idx, unit, self._gates[rule_idx]) for rule_idx, unit in self._units
        )
        # One automaton over every term, cue terms included: a second pass for the cue terms
        # of texts with a candidate match cost more (a pass is ~15 ns a character) than the
        # few extra hits cost every text.
        self._automaton = _automaton(terms)

    @classmethod
    def load(
        cls,
        *,
        user_rules: Path | None = None,
        topics: Sequence[str] | None = None,
        min_score: float | None = None,
    ) -> Classifier:
        """Built-in lexicons (+ a user rules file); raises AuditError naming file and rule."""
        from auditor.classify import DEFAULT_MIN_SCORE, SEVERITY

        ruleset = load_ruleset(user_rules, SEVERITY)
        return cls(
            ruleset, topics=topics, min_score=DEFAULT_MIN_SCORE if min_score is None else min_score
        )

    # ------------------------------------------------------------------ classification

    def classify_many(
        self,
        texts: Iterable[str],
        *,
        cache: dict[str, Classification] | None = None,
        max_cache: int = 250_000,
    ) -> list[Classification]:
        """Classify many texts; identical texts (forwarded, repeated) are classified once.

        Pass the same `cache` to calls over chunks of one export so repeats are found across the
        whole export, not just within a chunk; it holds at most `max_cache` distinct texts.
        """
        if cache is None:
            cache = {}
        out: list[Classification] = []
        classify = self.classify
        for text in texts:
            result = cache.get(text)
            if result is None:
                result = classify(text)
                if len(cache) < max_cache:
                    cache[text] = result
            out.append(result)
        return out

    def classify(self, text: str) -> Classification:
        """Findings, per-topic scores and flagged topics for one text."""
        if not text or self._automaton is None:
            return _EMPTY
        norm = normalize(text)
        nt = norm.text
        ac_text = _ac_text(nt)
        hit_pos: dict[int, list[int]] = {}
        for end, entries in self._automaton.iter(ac_text):
            for tid, back in entries:
                start = end - back
                pos = hit_pos.get(tid)
                if pos is None:
                    hit_pos[tid] = [start]
                else:
                    pos.append(start)
        if not hit_pos:
            return _EMPTY
        hit_terms = hit_pos.keys()
        # Unit id -> the anchor positions that woke it. A phrase unit has one (primary,
        # secondary) key, so its starts are those of its primary; a pattern unit ignores them.
        woken: dict[int, list[int]] = {}
        wake = self._wake
        for tid, starts in hit_pos.items():
            how = wake.get(tid)
            if how is None:
                continue
            uids, seconds, pairs = how
            for uid in uids:
                woken[uid] = starts
            if seconds is not None:
                for sec in seconds.intersection(hit_terms):  # (C-level, over the few hits)
                    for uid in pairs[sec]:
                        woken[uid] = starts
        if not woken:
            return _EMPTY
        matches: dict[int, dict[tuple[int, int], re.Match[str]]] = {}
        info = self._info
        regexes = self._regexes
        # Units woken by one anchor mostly share their reach: their windows are computed once.
        window_cache: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        for uid, starts in woken.items():
            rule_idx, unit, gate = info[uid]
            if gate is not None and gate.isdisjoint(hit_terms):
                continue
            regex = regexes[uid]
            if regex is None:
                flat = not unit.whole and not unit.flags
                regex = regexes[uid] = compiled_flat(unit.source) if flat else unit.regex
            if unit.whole:
                target = text if self.rules[rule_idx].case_sensitive else nt
                for m in regex.finditer(target):
                    found = matches.get(rule_idx)
                    if found is None:
                        found = matches[rule_idx] = {}
                    found.setdefault(m.span(), m)
                continue
            left_check = unit.left_check
            wkey = (id(starts), unit.back, unit.fwd)
            windows = window_cache.get(wkey)
            if windows is None:
                windows = window_cache[wkey] = _windows(nt, starts, unit.back, unit.fwd)
            for lo, hi in windows:
                first = regex.search(nt, lo, hi)
                if first is not None:  # (most windows hold no match)
                    for m in _search(regex, left_check, nt, first, hi):
                        found = matches.get(rule_idx)
                        if found is None:
                            found = matches[rule_idx] = {}
                        found.setdefault(m.span(), m)
        if not matches:
            return _EMPTY
        findings: list[Finding] = []
        cue_cache: dict[int, _Spans] = {}
        span_cache: dict[int, _Spans] = {}
        for rule_idx in sorted(matches):  # (a rule is only there with a match)
            found = matches[rule_idx]
            ordered = [found[k] for k in sorted(found)]
            findings.extend(
                self._run_rule(rule_idx, text, norm, ordered, hit_pos, cue_cache, span_cache)
            )
        if not findings:
            return _EMPTY
        return self._combine(findings)

    def _run_rule(
        self,
        rule_idx: int,
        text: str,
        norm: Normalized,
        found: Sequence[re.Match[str]],
        hit_pos: Mapping[int, list[int]],
        cue_cache: dict[int, _Spans],
        span_cache: dict[int, _Spans],
    ) -> list[Finding]:
        rule = self.rules[rule_idx]
        nt = norm.text
        out: list[Finding] = []
        # Cue matches are found once per rule over the whole text, then checked per match.
        ctx: list[tuple[int, int, str]] | None = None
        damp_spans: list[tuple[int, int, str]] | None = None
        for m in found:
            s, e = m.span()
            if e <= s:
                continue
            if rule.validator:
                verdict = VALIDATORS[rule.validator](m, rule)
                if verdict is None:
                    continue
                base, note = verdict
            else:
                base, note = rule.weight, ""
            lo, hi = s - rule.window, e + rule.window
            if rule.requires_context:
                # Without context the match is dropped whatever its negatives say: look first.
                if ctx is None:
                    ctx = self._cue_spans(self._ctx[rule_idx], nt, hit_pos, cue_cache, span_cache)
                context = _context_terms(ctx, lo, hi, s, e)
                if not context:
                    continue
            reach = rule.negative_window
            if self._negated(self._neg[rule_idx], nt, hit_pos, cue_cache, s - reach, e + reach):
                continue  # a negative cue touches the match
            if not rule.requires_context:
                if ctx is None:
                    ctx = self._cue_spans(self._ctx[rule_idx], nt, hit_pos, cue_cache, span_cache)
                context = _context_terms(ctx, lo, hi, s, e)
            if rule.case_sensitive:
                os_, oe = s, e
            else:
                os_, oe = norm.span(s, e)
            if self._ignore_re is not None and self._ignored(norm, os_, oe):
                continue
            score = min(1.0, base + rule.context_boost * len(context))
            if damp_spans is None:
                damp_spans = self._cue_spans(
                    self._damp[rule_idx], nt, hit_pos, cue_cache, span_cache
                )
            damp = next((t for cs, ce, t in damp_spans if ce > lo and cs < hi), "")
            if damp:
                score *= rule.dampen_factor
            label = m.group(0) if not rule.case_sensitive else rule.kind
            why = (
                f"{rule.kind} '{label}' {base:.2f}"
                if rule.kind == "phrase"
                else (f"{rule.kind} {rule.id} {base:.2f}")
            )
            if note:
                why += f" ({note})"
            for term in context:
                why += f"; context '{term}' +{rule.context_boost:.2f}"
            if damp:
                why += f"; dampened by '{damp}' x{rule.dampen_factor:.2f}"
            out.append(
                Finding(
                    topic=rule.topic,
                    rule_id=rule.id,
                    matched=text[os_:oe],
                    start=os_,
                    end=oe,
                    score=round(score, 4),
                    explanation=why,
                )
            )
        return out

    def _negated(
        self,
        index: _AuxIndex,
        nt: str,
        hit_pos: Mapping[int, list[int]],
        cache: dict[int, _Spans],
        lo: int,
        hi: int,
    ) -> bool:
        """Whether a negative cue match touches [lo, hi]: the cue regexes run one by one
        (each at most once per text) and stop at the first that touches."""
        terms, by_term, always, _ = index
        ids = list(always)
        for tid in terms.intersection(hit_pos):
            ids.extend(by_term[tid])
        for cid in ids:
            spans = cache.get(cid)
            if spans is None:
                spans = self._cue_matches(cid, nt, cache)
            for cs, ce, _ in spans:
                if cs <= hi and ce >= lo:
                    return True
        return False

    def _cue_matches(self, cid: int, nt: str, cache: dict[int, _Spans]) -> _Spans:
        """The matches (start, end, text) of one cue regex in the text, cached per text."""
        regex = self._cue_rx[cid]
        if regex is None:
            regex = self._cue_rx[cid] = compiled_flat(self._cue_defs[cid][0])
        m = regex.search(nt)
        if m is None:
            spans: _Spans = []
        else:
            spans = [
                (m.start(), m.end(), m.group(0))
                for m in _search(regex, self._cue_defs[cid][1], nt, m, len(nt))
            ]
        cache[cid] = spans
        return spans

    def _cue_spans(
        self,
        index: _AuxIndex,
        nt: str,
        hit_pos: Mapping[int, list[int]],
        cache: dict[int, _Spans],
        cache_all: dict[int, _Spans],
    ) -> _Spans:
        """Every match (start, end, text) of a rule's cue phrases of one kind (context, negative
        or dampen) in the normalised text; only cues whose anchor occurs run their regex, and
        each regex at most once per text (`cache`), each index's spans once (`cache_all`)."""
        terms, by_term, always, number = index
        spans = cache_all.get(number)
        if spans is not None:
            return spans
        ids = list(always)
        for tid in terms.intersection(hit_pos):  # (C-level walk over the few hits)
            ids.extend(by_term[tid])
        spans = cache_all[number] = []
        for cid in ids:
            got = cache.get(cid)
            if got is None:
                got = self._cue_matches(cid, nt, cache)
            spans.extend(got)
        spans.sort()
        return spans

    def _ignored(self, norm: Normalized, os_: int, oe: int) -> bool:
        assert self._ignore_re is not None
        for im in self._ignore_re.finditer(norm.text):
            a, b = norm.span(im.start(), im.end())
            if a < oe and b > os_:
                return True
        return False

    def _combine(self, findings: list[Finding]) -> Classification:
        # Within a topic, overlapping findings are the same evidence: keep the strongest.
        findings.sort(key=lambda f: (-f.score, f.start, f.rule_id))
        kept: list[Finding] = []
        taken: dict[str, list[tuple[int, int]]] = {}
        for f in findings:
            spans = taken.setdefault(f.topic, [])
            if any(f.start < b and a < f.end for a, b in spans):
                continue
            spans.append((f.start, f.end))
            kept.append(f)
        best: dict[tuple[str, str], float] = {}
        for f in kept:
            key = (f.topic, f.rule_id)
            if f.score > best.get(key, 0.0):
                best[key] = f.score
        miss: dict[str, float] = {}
        for (topic, _), score in best.items():
            miss[topic] = miss.get(topic, 1.0) * (1.0 - score)
        scores = tuple(sorted((t, round(min(1.0, 1.0 - m), 4)) for t, m in miss.items()))
        flagged = tuple(t for t, s in scores if s >= self.min_score)
        kept.sort(key=lambda f: (f.start, f.end, f.topic, f.rule_id))
        return Classification(findings=tuple(kept), topic_scores=scores, flagged=flagged)


def _search(
    regex: re.Pattern[str], left_check: bool, nt: str, first: re.Match[str], hi: int
) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of a unit's regex up to `hi`, from its `first` match on,
    checking the left word boundary the regex leaves out (`left_check`); after a mid-word
    match the search resumes one character later."""
    m: re.Match[str] | None = first
    while m is not None:
        s = m.start()
        if left_check and s > 0 and (nt[s - 1].isalnum() or nt[s - 1] == "_"):
            pos = s + 1
        else:
            yield m
            pos = m.end() if m.end() > s else s + 1
        if pos >= hi:
            return
        m = regex.search(nt, pos, hi)


def _windows(nt: str, starts: Sequence[int], back: int, fwd: int) -> list[tuple[int, int]]:
    """Merged search windows around anchor hits, widened to whole words so that a window edge
    never looks like a word boundary to the phrase regex."""
    n = len(nt)
    if len(starts) == 1:  # the usual case: one anchor hit
        lo = max(0, starts[0] - back)
        hi = min(n, starts[0] + fwd)
        while lo > 0 and nt[lo - 1].isalnum():
            lo -= 1
        while hi < n and nt[hi].isalnum():
            hi += 1
        return [(lo, hi)]
    out: list[tuple[int, int]] = []
    for start in sorted(starts):
        lo = max(0, start - back)
        hi = min(n, start + fwd)
        while lo > 0 and nt[lo - 1].isalnum():
            lo -= 1
        while hi < n and nt[hi].isalnum():
            hi += 1
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _context_terms(ctx: _Spans, lo: int, hi: int, s: int, e: int) -> list[str]:
    """The first distinct context terms (at most two) within (lo, hi), not overlapping the
    match [s, e)."""
    context: list[str] = []
    for cs, ce, term in ctx:
        if ce > lo and cs < hi and not (cs < e and ce > s) and term not in context:
            context.append(term)
            if len(context) == _MAX_CONTEXT:
                break
    return context


def _usable(anchor: Anchor) -> bool:
    """Whether a cue's anchor is specific enough to gate on (not a function word)."""
    return anchor_score(anchor[0]) > 1


def _automaton(terms: Mapping[Anchor, int]) -> ahocorasick.Automaton | None:
    """Aho-Corasick over the terms' keys; each key maps to ((term id, back), ...) where the
    anchor starts `back` characters before the key's last character."""
    by_key: dict[str, list[tuple[int, int]]] = {}
    for anchor, tid in terms.items():
        key = _ac_key(anchor)
        if key.strip():
            by_key.setdefault(key, []).append((tid, len(key) - anchor[1]))
    if not by_key:
        return None
    automaton = ahocorasick.Automaton()
    for key, entries in by_key.items():
        automaton.add_word(key, tuple(entries))
    automaton.make_automaton()
    return automaton


def _merge(units: Sequence[Unit]) -> tuple[Unit, ...]:
    """One alternation regex per left-boundary mode for a list of phrase units."""
    out = []
    for left_check in (True, False):
        same = [u for u in units if u.left_check == left_check]
        if len(same) == 1:
            out.append(same[0])
        elif same:
            sources = sorted({u.source for u in same}, key=len, reverse=True)
            source = "(?:" + "|".join(sources) + ")"
            out.append(Unit(source, (), False, left_check, max(u.back for u in same), 0))
    return tuple(out)
