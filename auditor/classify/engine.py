"""Matching and scoring: one Aho-Corasick pass (the gate), then regexes only for what it allows.

The gate (gate.py) reads the text once and says which phrases can possibly match: each phrase
is keyed by its most specific literal run ("seed round", "handed in my notice"), so most texts
wake nothing and cost that one pass. Each phrase it allows runs its own regex over the text;
every match is scored, and of overlapping findings of a topic the strongest is kept. Only a text
with a match looks at the rule's cue phrases (context, negative, dampen), and again only at those
the gate allows (a second pass over the cue keys), each regex at most once per text. Regexes
compile on first use, so loading the rules compiles only the pattern rules' (which validation
needs anyway).

Scores: a finding starts at the rule weight (or the validator's score), each distinct context
term within the rule's window (not inside one of the rule's negative cues) adds the rule's
boost (at most two), capped at 1, times `dampen_factor` next to a dampen cue; a negative cue
touching the match cancels it, and a rule that requires context drops a match without any.
Per topic, the strongest finding of each rule counts and rules combine by noisy-or:
1 - prod(1 - s).
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from auditor.classify.detectors import VALIDATORS
from auditor.classify.gate import Gate, gate_text
from auditor.classify.model import ModelBank, WordModel, features, matched_words, word_pattern
from auditor.classify.normalize import Normalized, normalize
from auditor.classify.rules import (
    Rule,
    RuleSet,
    compile_phrases,
    compiled_flat,
    load_ruleset,
    phrase_units,
)
from auditor.errors import AuditError
from auditor.models import Classification, Finding

_EMPTY = Classification()
_Spans = list[tuple[int, int, str]]
# A compiled phrase: its regex and whether the left word boundary is checked after a match.
_Compiled = tuple[re.Pattern[str], bool]

_MAX_CONTEXT = 2  # context terms that count towards a finding's score
_BATCH = 4096  # texts `classify_many` prepares and screens together (bounds the memory held)


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
        self._gate = Gate.build(self.rules)
        gate = self._gate
        # Per rule, its cue phrase ids by kind; compiled regexes per target and per cue, lazily.
        self._cues: tuple[
            tuple[frozenset[int], frozenset[int], frozenset[int], frozenset[int]], ...
        ] = tuple(
            (
                frozenset(gate.cue_ids[p] for p in r.context),
                frozenset(gate.cue_ids[p] for p in r.negative),
                frozenset(gate.cue_ids[p] for p in r.dampen),
                frozenset(gate.cue_ids[p] for p in r.dampen_anywhere),
            )
            for r in self.rules
        )
        self.models: tuple[WordModel, ...] = tuple(m for m in ruleset.models if m.topic in chosen)
        self._bank = ModelBank(self.models)
        # The user's own rules: a model never doubts those (see `_doubted`).
        self._user_rules = ruleset.user_rules
        self._cue_phrases: tuple[str, ...] = tuple(gate.cue_ids)
        self._cue_rx: list[_Compiled | None] = [None] * len(gate.cue_ids)
        self._target_rx: list[_Compiled | None] = [None] * len(gate.targets)

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

    def without_models(self) -> Classifier:
        """The same classifier with its rules only (evaluation: the models learnt eval/)."""
        other = copy.copy(self)
        other.models = ()
        other._bank = ModelBank(())
        return other

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
        texts = list(texts)
        out: list[Classification] = [_EMPTY] * len(texts)
        pending: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            got = cache.get(text)
            if got is not None:
                out[i] = got
            elif text:
                pending.setdefault(text, []).append(i)
        distinct = list(pending)
        for lo in range(0, len(distinct), _BATCH):
            batch = distinct[lo : lo + _BATCH]
            for text, result in zip(batch, self._classify_batch(batch), strict=True):
                if len(cache) < max_cache:
                    cache[text] = result
                for i in pending[text]:
                    out[i] = result
        return out

    def _classify_batch(self, texts: list[str]) -> list[Classification]:
        """`classify` of each text: the rules text by text, then the models' second opinion
        only where the rules flag something (a model may doubt it) or where the bank's batch
        screen says a model could speak; for every other text it would add nothing."""
        prepared: list[tuple[str, str, Normalized | None, str]] = []
        results: list[Classification] = []
        rules = self._rules
        for text in texts:
            nt, norm, gt = _prepare(text)
            prepared.append((text, nt, norm, gt))
            results.append(rules(text, nt, norm, gt))
        if not self.models:
            return results
        may_speak = self._bank.screen([p[3] for p in prepared])
        second = self._second_opinion
        return [
            second(result, *args, may_speak=may) if result.flagged or may else result
            for result, args, may in zip(results, prepared, may_speak, strict=True)
        ]

    def classify(self, text: str) -> Classification:
        """Findings, per-topic scores and flagged topics for one text."""
        if not text:
            return _EMPTY
        return self._classify(text, *_prepare(text))

    def _classify(self, text: str, nt: str, norm: Normalized | None, gt: str) -> Classification:
        """`classify` of a text already normalised (`norm` None: ASCII, `nt` is its lower case)
        with its gate text."""
        return self._second_opinion(self._rules(text, nt, norm, gt), text, nt, norm, gt)

    def _rules(self, text: str, nt: str, norm: Normalized | None, gt: str) -> Classification:
        """The rules' findings alone (see `_classify`)."""
        gate = self._gate
        hits = gate.hits(gt)
        targets = gate.targets_for(nt, hits)
        if not targets:
            return _EMPTY
        # Matches per rule, from the regex of every phrase the gate allows.
        found: dict[int, list[tuple[int, int, re.Match[str]]]] = {}
        context_keys = gate.context_keys
        gate_targets = gate.targets
        target_rx = self._target_rx
        n = len(nt)
        for target in targets:
            rule_idx, pos = gate_targets[target]
            keys = context_keys[rule_idx]
            if keys is not None and keys.isdisjoint(hits):
                continue  # the rule needs context and the text has none of it
            compiled = target_rx[target]
            if compiled is None:
                compiled = target_rx[target] = self._compile_target(rule_idx, pos)
            regex, left_check = compiled
            if pos < 0:  # a pattern rule: its regex over the whole (original if case-sensitive)
                rule = self.rules[rule_idx]
                for whole in regex.finditer(text if rule.case_sensitive else nt):
                    found.setdefault(rule_idx, []).append((whole.start(), -whole.end(), whole))
                continue
            # The same left-boundary search loop as `_cue_matches`, kept inline: as a shared
            # helper it cost 5% of the benchmark (a call per allowed phrase per text).
            m: re.Match[str] | None = regex.search(nt)
            while m is not None:
                s = m.start()
                if left_check and s > 0 and (nt[s - 1].isalnum() or nt[s - 1] == "_"):
                    nxt = s + 1
                else:
                    found.setdefault(rule_idx, []).append((s, -m.end(), m))
                    nxt = m.end() if m.end() > s else s + 1
                m = regex.search(nt, nxt) if nxt < n else None
        if not found:
            return _EMPTY
        findings: list[Finding] = []
        cue_cache: dict[int, _Spans] = {}
        possible = gate.cues_for(gate.cue_hits(gt))
        if norm is None:
            norm = Normalized(nt)
        for rule_idx in sorted(found):
            matches = _distinct(found[rule_idx])
            findings.extend(self._run_rule(rule_idx, text, norm, matches, possible, cue_cache))
        return self._combine(findings, None) if findings else _EMPTY

    def _second_opinion(
        self,
        result: Classification,
        text: str,
        nt: str,
        norm: Normalized | None,
        gt: str,
        *,
        may_speak: bool = True,
    ) -> Classification:
        """The rules' result plus the findings of the models whose topic the rules left
        unflagged (where the rules already flag a topic, its model would only repeat them).
        `may_speak` False: the bank's screen has shown no model can speak for this text, so
        only a doubt could change it, and the text's features are read only if one can."""
        if not self.models:
            return result
        doubtful = self._doubtful(result, gt.count(" ") - 1)  # (" w1 ... wk ": k + 1 spaces)
        if not may_speak and not doubtful:
            return result
        tokens, scale, n_words = features(gt)
        known = self._bank.vocabulary.intersection(tokens)  # the words the models weigh
        learnt = (
            self._model_findings(text, nt, norm, known, scale, result.flagged)
            if may_speak
            else None
        )
        findings = self._doubted(doubtful, result, known, n_words) if doubtful else None
        if not learnt and findings is None:
            return result
        return self._combine(list(result.findings) if findings is None else findings, learnt)

    def _doubtful(self, result: Classification, n_words: int) -> list[WordModel]:
        """The models that may doubt the rules' findings of a text of `n_words` words (see
        `_doubted` and `WordModel.doubts`), decided before its features are read: none where
        the rules flag no topic or several (another sensitive topic's words are what lean away,
        "offer letter ... base, options, strike price", not harmless ones)."""
        if len(result.flagged) != 1:
            return []
        scores = dict(result.topic_scores)
        return [
            m
            for m in self.models
            if m.doubt and n_words <= m.doubt_max_words and scores.get(m.topic, 1.0) < m.doubt_below
        ]

    def _doubted(
        self,
        doubtful: list[WordModel],
        result: Classification,
        known: frozenset[str],
        n_words: int,
    ) -> list[Finding] | None:
        """The rules' findings with those of each topic whose model (of `doubtful`) doubts
        them scaled down (see `WordModel.doubts`; a user's own rules are never doubted), or
        None when no model doubts anything."""
        out: list[Finding] | None = None
        for model in doubtful:
            total = model.doubts(known, n_words)
            if total is None:
                continue
            factor = model.doubt_factor
            why = f"; doubted by {model.id} (its words weigh {total:.2f}) x{factor:.2f}"
            out = [
                dataclasses.replace(
                    f, score=round(f.score * factor, 4), explanation=f.explanation + why
                )
                if f.topic == model.topic and f.rule_id not in self._user_rules
                else f
                for f in (result.findings if out is None else out)
            ]
        return out

    def _model_findings(
        self,
        text: str,
        nt: str,
        norm: Normalized | None,
        known: frozenset[str],
        scale: float,
        flagged: tuple[str, ...],
    ) -> list[Finding] | None:
        """A finding per word model whose probability reaches its threshold, pointing at the
        word that pushed hardest (models see the words of the gate text: `features`)."""
        # A model needs `min_words` strong words (one strong word is the rules' business:
        # context, negatives); the bank reads every model's count and sum in one go, and
        # leaves out the models whose sum is plainly too low.
        models = self.models
        out: list[Finding] | None = None
        for i, total in self._bank.speaking(known, scale, bool(flagged)):
            model = models[i]
            if model.topic in flagged:
                continue
            needed = model.needs(bool(flagged))
            seen = known
            p = model.probability_of(total, scale)
            if p < needed or (model.veto is not None and model.veto.search(nt)):
                continue
            # Only now, for the rare text that would be flagged, look for ignore phrases: they
            # can only take a finding away ("visa card": those words say nothing of the topic).
            # The user's ignore terms too: "Acme Funding Corp" is a name, not a funding word.
            gone = model.ignored_words(nt)
            if self._ignore_re is not None:
                gone = gone | matched_words(self._ignore_re, nt)
            if gone:  # those words, and the pairs they are part of
                seen = frozenset(w for w in known if gone.isdisjoint(w.split(" ")))
                if len(model.strong_words.intersection(seen)) < model.min_words:
                    continue
                p = model.probability(seen, scale)
                if p < needed:
                    continue
            pushing = model.pushing(seen, scale)
            # The finding points at the strongest feature (all came from this text; a pair
            # whose break the pattern reads differently falls back to the next one).
            m = next(filter(None, (word_pattern(w).search(nt) for w, _ in pushing)), None)
            if m is None:
                continue
            s, e = m.span() if norm is None else norm.span(*m.span())
            found = Finding(
                topic=model.topic,
                rule_id=model.id,
                matched=text[s:e],
                start=s,
                end=e,
                score=round(p, 4),
                explanation=model.explain(
                    p, needed, [(_surface(w, nt), v) for w, v in pushing[:4]]
                ),
            )
            out = [found] if out is None else [*out, found]
        return out

    def _compile_target(self, rule_idx: int, pos: int) -> _Compiled:
        rule = self.rules[rule_idx]
        if pos < 0:
            return rule.units[0].regex, False
        unit = rule.units[pos]
        return compiled_flat(unit.source), unit.left_check

    def _cue_spans(
        self, cues: frozenset[int], nt: str, possible: set[int], cache: dict[int, _Spans]
    ) -> _SpanList:
        """Every match (start, end, text) of some cue phrases in the normalised text, sorted;
        only cues the gate allows (`possible`) run their regex, each at most once per text."""
        spans: _Spans = []
        for cue in cues.intersection(possible):
            got = cache.get(cue)
            if got is None:
                got = cache[cue] = self._cue_matches(cue, nt)
            spans.extend(got)
        return _SpanList(spans) if spans else _NO_SPANS

    def _cue_matches(self, cue: int, nt: str) -> _Spans:
        compiled = self._cue_rx[cue]
        if compiled is None:
            unit = phrase_units((self._cue_phrases[cue],))[0]
            compiled = self._cue_rx[cue] = (compiled_flat(unit.source), unit.left_check)
        regex, left_check = compiled
        out: _Spans = []
        n = len(nt)
        m = regex.search(nt)
        while m is not None:
            s = m.start()
            if left_check and s > 0 and (nt[s - 1].isalnum() or nt[s - 1] == "_"):
                nxt = s + 1
            else:
                out.append((s, m.end(), m.group(0)))
                nxt = m.end() if m.end() > s else s + 1
            m = regex.search(nt, nxt) if nxt < n else None
        return out

    def _run_rule(
        self,
        rule_idx: int,
        text: str,
        norm: Normalized,
        found: Sequence[re.Match[str]],
        possible: set[int],
        cue_cache: dict[int, _Spans],
    ) -> list[Finding]:
        rule = self.rules[rule_idx]
        ctx_cues, neg_cues, damp_cues, anywhere_cues = self._cues[rule_idx]
        nt = norm.text
        out: list[Finding] = []
        # Cue matches are found once per rule over the whole text, then checked per match.
        ctx: _SpanList | None = None
        neg: _SpanList | None = None
        damp_spans: _SpanList | None = None
        anywhere: str | None = None  # the first text-wide dampen cue, "" when there is none
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
            if neg_cues:
                if neg is None:
                    neg = self._cue_spans(neg_cues, nt, possible, cue_cache)
                reach = rule.negative_window
                nlo, nhi = s - reach, e + reach
                if neg.first_touching(nlo - 1, nhi + 1):
                    continue  # a negative cue touches the match
            if ctx is None:
                ctx = self._cue_spans(ctx_cues, nt, possible, cue_cache)
            # A context word inside one of the rule's negative cues is that harmless sense, not
            # context ("board ... first round's on me": the round is a round of drinks).
            context = ctx.context_terms(lo, hi, s, e, m.group(0), neg)
            if rule.requires_context and not context:
                continue
            if rule.case_sensitive:
                os_, oe = s, e
            else:
                os_, oe = norm.span(s, e)
            if self._ignore_re is not None and self._ignored(norm, os_, oe):
                continue
            score = min(1.0, base + rule.context_boost * len(context))
            if damp_spans is None:
                damp_spans = self._cue_spans(damp_cues, nt, possible, cue_cache)
            damp = damp_spans.first_touching(lo, hi, (s, e))
            factor = rule.dampen_factor
            if not damp and anywhere_cues:
                if anywhere is None:
                    spans = self._cue_spans(anywhere_cues, nt, possible, cue_cache).spans
                    anywhere = min(spans)[2] if spans else ""
                damp, factor = anywhere, rule.dampen_anywhere_factor
            if damp:
                score *= factor
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
                why += f"; dampened by '{damp}' x{factor:.2f}"
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

    def _ignored(self, norm: Normalized, os_: int, oe: int) -> bool:
        assert self._ignore_re is not None
        for im in self._ignore_re.finditer(norm.text):
            a, b = norm.span(im.start(), im.end())
            if a < oe and b > os_:
                return True
        return False

    def _combine(self, findings: list[Finding], learnt: list[Finding] | None) -> Classification:
        # Within a topic, overlapping rule findings are the same evidence: keep the strongest.
        # A model's finding weighs the whole text, not its span: it is kept beside them.
        findings.sort(key=lambda f: (-f.score, f.start, f.rule_id))
        kept: list[Finding] = []
        # Per topic, the kept spans: disjoint, so sorted starts and ends tell an overlap at once.
        taken: dict[str, tuple[list[int], list[int]]] = {}
        for f in findings:
            starts, ends = taken.setdefault(f.topic, ([], []))
            i = bisect.bisect_left(starts, f.end)  # kept spans starting before f ends ...
            if i and ends[i - 1] > f.start:  # ... the last of which ends after f starts
                continue
            starts.insert(i, f.start)
            ends.insert(i, f.end)
            kept.append(f)
        if learnt:
            kept.extend(learnt)
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


def _prepare(text: str) -> tuple[str, Normalized | None, str]:
    """A text's normalised form, its `Normalized` (None for ASCII, the usual case: lower case
    is then the whole normalisation) and its gate text."""
    if text.isascii():
        nt = text.lower()
        return nt, None, gate_text(nt)
    norm = normalize(text)
    return norm.text, norm, gate_text(norm.text)


def _surface(word: str, nt: str) -> str:
    """A model word as the text writes it ("0m" is how the gate reads "4m")."""
    if "0" not in word:
        return word
    m = word_pattern(word).search(nt)
    return word if m is None else m.group(0)


def _distinct(matches: list[tuple[int, int, re.Match[str]]]) -> list[re.Match[str]]:
    """A rule's matches from all its phrases in text order, one per span. Overlapping ones
    stay: each is scored, and `_combine` keeps the strongest of overlapping findings."""
    if len(matches) == 1:
        return [matches[0][2]]
    matches.sort(key=lambda t: (t[0], -t[1]))
    out: list[re.Match[str]] = []
    last = (-1, 1)
    for s, neg_end, m in matches:
        if (s, neg_end) != last:
            out.append(m)
            last = (s, neg_end)
    return out


class _SpanList:
    """Cue matches (start, end, text) sorted by start, with window queries that look only near
    the window (a text packed with matches must not cost matches x cues)."""

    __slots__ = ("longest", "spans", "starts")

    def __init__(self, spans: _Spans) -> None:
        if len(spans) > 1:
            spans.sort()
            self.starts = [sp[0] for sp in spans]
            self.longest = max(e - s for s, e, _ in spans)
        else:
            self.starts = [sp[0] for sp in spans]
            self.longest = spans[0][1] - spans[0][0] if spans else 0
        self.spans = spans

    def _near(self, lo: int, hi: int) -> Iterator[tuple[int, int, str]]:
        """The spans with end > lo and start < hi, in order."""
        spans = self.spans
        i = bisect.bisect_left(self.starts, lo - self.longest)
        n = len(spans)
        while i < n:
            sp = spans[i]
            if sp[0] >= hi:
                return
            if sp[1] > lo:
                yield sp
            i += 1

    def first_touching(self, lo: int, hi: int, inside: tuple[int, int] | None = None) -> str:
        """The text of the first span with end > lo and start < hi, or "". Spans strictly
        within `inside` (the match itself) do not count: a dampen cue that is only a part of
        the matched phrase ("toggle" in "PIK toggle") says nothing about the phrase's sense.
        (A cue spanning the whole match still counts: a rule may dampen its own phrase.)"""
        if not self.spans:
            return ""
        for cs, ce, term in self._near(lo, hi):
            if inside is not None and inside[0] <= cs and ce <= inside[1] and (cs, ce) != inside:
                continue
            return term
        return ""

    def context_terms(
        self, lo: int, hi: int, s: int, e: int, own: str = "", exclude: _SpanList | None = None
    ) -> list[str]:
        """The first distinct context terms (at most two) within (lo, hi), not overlapping the
        match [s, e) or each other (two cues reading one "$250k" are one term), not the matched
        words again (`own`: "offer ... offer" is one word) and not inside a span of `exclude`
        (the rule's negative cues)."""
        context: list[str] = []
        if not self.spans:
            return context
        last_end = -1  # where the last counted term ends: spans come sorted by start
        for cs, ce, term in self._near(lo, hi):
            if (cs < e and ce > s) or term in context or term == own or cs < last_end:
                continue  # ... or overlapping a counted term ("$250k" and its "250k")
            if exclude is not None and exclude.first_touching(cs, ce):
                continue
            context.append(term)
            last_end = ce
            if len(context) == _MAX_CONTEXT:
                break
        return context


_NO_SPANS = _SpanList([])  # shared: a text with no cue of a kind
