"""The gate: one Aho-Corasick pass that proves most texts cannot produce a finding.

The engine's own prefilter wakes rules on single words ("raise", "round", "offer"), which nearly
every message contains, and then pays for regexes and cue checks. The gate runs first, over a
copy of the normalised text in which every non-word character is a space and runs of spaces are
one ("Term-Sheet!" -> "term sheet"), with keys that are whole literal runs of a phrase ("seed
round", "handed in my notice"), every spelling the phrase regex allows ("pre-money" -> "pre money",
"premoney"). It is *sound*: a rule it leaves out has no regex match in the text, so it cannot
produce a finding, and the engine skips it. A text whose gate set is empty costs one pass.

Per phrase variant the gate takes its most specific literal run as the key and, when the variant
has another run (across a "~", "<num>" or "*"), requires that one too; a rule that requires context
also needs one of its context phrases' keys. Pattern and detector rules keep their declared anchors
(a symbol-only anchor such as "@" or "+" is a substring test on the normalised text).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from auditor.classify.normalize import normalize
from auditor.classify.rules import _COMMON, Anchor, Rule, expand_braces, expand_count

_DIGITS = "0123456789"


def _char(c: str) -> str:
    """The gate's view of one normalised character: digits read as 0 (numbers vary, their
    shape does not), letters stay, everything else is a word break."""
    if c in _DIGITS:
        return "0"
    return c if c.isalnum() else " "


class _CharMap(dict[int, str]):
    """`str.translate` table for any character, filled on first sight."""

    def __missing__(self, key: int) -> str:
        value = self[key] = _char(chr(key))
        return value


_TABLE = _CharMap()
_BYTES_LATIN1 = bytes(ord(_char(chr(i))) for i in range(256))  # (ASCII is its first half)


def gate_text(nt: str) -> str:
    """The padded gate copy of a normalised text: word characters separated by single spaces."""
    if nt.isascii():
        return " " + " ".join(nt.encode("ascii").translate(_BYTES_LATIN1).decode().split()) + " "
    try:
        raw = nt.encode("latin-1").translate(_BYTES_LATIN1).decode("latin-1")
    except UnicodeEncodeError:
        raw = nt.translate(_TABLE)
    return " " + " ".join(raw.split()) + " "


def _collapse(s: str) -> str:
    """Runs of spaces as one, ends kept (a leading space is a word boundary)."""
    while "  " in s:
        s = s.replace("  ", " ")
    return s


def _mapped(s: str) -> str:
    return s.translate(_TABLE)


# Characters a phrase regex makes optional inside a word ("pre-money", "don't", "u.s.").
_OPTIONAL = "-'."
_MAX_OPTIONAL = 4


@dataclass(frozen=True, slots=True)
class _Run:
    """A literal run of a phrase variant and every gate key it can appear as."""

    keys: tuple[str, ...]
    score: int


@functools.cache
def _piece_forms(piece: str) -> tuple[str, ...] | None:
    """Every gate spelling of a literal piece of a word, or None when it is not literal."""
    if "~" in piece:
        return None
    spots = [i for i, c in enumerate(piece) if c in _OPTIONAL]
    if len(spots) > _MAX_OPTIONAL:
        return None
    if not spots:
        return (_mapped(piece),)
    forms = []
    for drop in itertools.product((False, True), repeat=len(spots)):
        chars = list(piece)
        for i, gone in zip(spots, drop, strict=True):
            if gone:
                chars[i] = ""
        forms.append(_mapped("".join(chars)))
    return tuple(dict.fromkeys(forms))


@functools.cache
def _rare_letters(word: str) -> int:
    """A word's weight in a run's score: its letters, unless it is a function word."""
    return 0 if word.strip("-'.") in _COMMON else len(word.strip("0"))


def _score(run: str) -> int:
    """How specific a run is: its letters outside function words count most, then any letter,
    then each extra word. A run of function words ("let me go") still makes a key."""
    words = run.split()
    rare = sum(map(_rare_letters, words))
    return 10 * rare + len(run) - run.count(" ") + 4 * (len(words) - 1)


_GAPS = re.compile(r"(<num>|\*)")


def _runs(variant: str) -> list[_Run]:
    """The literal runs of one variant (normalised, braces expanded), with their keys. A run
    ends at a gap of unknown text: "~", a lone "*", "*" inside a word (any letters), "<num>"
    (digits: the gate sees them as "0", so the run keeps one "0" on that side)."""
    if variant.replace(" ", "").isalnum():  # the usual case: plain words, one run
        return [_Run((" " + _mapped(variant) + " ",), _score(variant))]
    runs: list[_Run] = []
    pieces: list[str] = []
    forms: list[tuple[str, ...]] = []
    left = " "

    def close(right: str) -> None:
        nonlocal pieces, forms
        if pieces:
            score = _score("".join(pieces))
            keys = []
            for combo in itertools.product(*forms):
                key = _collapse(left + "".join(combo) + right)
                if key.strip(" 0"):
                    keys.append(key)
            if keys:
                runs.append(_Run(tuple(dict.fromkeys(keys)), score))
        pieces, forms = [], []

    for tok in variant.split():
        if pieces:  # the separator between two words of the run
            pieces.append(" ")
            forms.append((" ",))
        else:
            left = " "
        parts = [p for p in _GAPS.split(tok) if p]
        for part in parts:
            if part == "<num>":
                close("0")
                left = "0"
                continue
            if part == "*":
                close("")
                left = ""
                continue
            got = _piece_forms(part)
            if got is None:  # "~": up to three words of anything
                close(" ")
                left = " "
                continue
            pieces.append(part)
            forms.append(got)
    close(" ")
    return runs


_GOOD_SECOND = 40  # a _score: four letters outside function words

_Clause = tuple[tuple[str, ...], tuple[str, ...] | None]


def _worth_second(run: _Run) -> bool:
    """A lone function word as the second run ("to", "at") would cost a hit in most texts and
    rule out few; a real word, or several words in a row ("take the", "want me for a"), is
    worth requiring."""
    return run.score >= _GOOD_SECOND or len(run.keys[0].split()) >= 2


_MANY_VARIANTS = 200  # above this, a phrase's runs are found per word slot, not per variant


def _slots(norm: str) -> list[str]:
    """The phrase's words, braces kept whole ("{a new,the} round" -> two slots)."""
    out: list[str] = []
    depth = 0
    start = 0
    for i, c in enumerate(norm):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == " " and depth == 0:
            if i > start:
                out.append(norm[start:i])
            start = i + 1
    if start < len(norm):
        out.append(norm[start:])
    return out


def _slot_forms(slot: str) -> tuple[str, ...] | None:
    """Every gate spelling of one word slot, or None when an alternative has a gap."""
    forms: dict[str, None] = {}
    # "{new,}" must also give "", no word at all
    for alt in expand_braces(slot, keep_empty=True):
        if any(g in alt for g in ("<num>", "~", "*")):
            return None
        word_forms = []
        for word in alt.split():
            got = _piece_forms(word)
            if got is None:
                return None
            word_forms.append(got)
        for combo in itertools.product(*word_forms):
            forms[" ".join(combo)] = None
    return tuple(forms)


def _slot_clause(norm: str) -> _Clause | None:
    """One clause for a phrase with many variants: its runs of gap-free word slots, keyed by
    every combination of their alternatives (each variant contains one key of every run, so
    requiring the best run, and a good second one, stays sound); None when there is no run
    with a real word."""
    runs: list[_Run] = []
    current: list[tuple[str, ...]] = []

    def close() -> None:
        if current:
            keys = {_collapse(" " + " ".join(combo) + " ") for combo in itertools.product(*current)}
            keys = {k for k in keys if k.strip(" 0")}
            if keys:
                runs.append(_Run(tuple(sorted(keys)), min(_score(k) for k in keys)))
            current.clear()

    for slot in _slots(norm):
        forms = _slot_forms(slot)
        if forms is None:
            close()
        else:
            current.append(forms)
    close()
    if not runs:
        return None
    runs.sort(key=lambda r: -r.score)
    if runs[0].score < _GOOD_SECOND:
        return None  # only function words outside the gaps: the per-variant runs do better
    second = runs[1].keys if len(runs) > 1 and _worth_second(runs[1]) else None
    return runs[0].keys, second


@functools.cache
def _phrase_clauses(phrase: str) -> tuple[tuple[_Clause, ...], tuple[str, ...]]:
    """Per variant of a phrase: (keys of its best run, keys of its second run or None); and
    for variants without a word (an emoji), a symbol the text must contain ("" if none).
    A phrase with many variants gets one clause from its word slots instead (fewer, broader
    keys; loading the rules would otherwise take most of a small scan)."""
    norm = " ".join(normalize(phrase).text.split())
    if expand_count(norm) > _MANY_VARIANTS:
        clause = _slot_clause(norm)
        if clause is not None:
            return (clause,), ()
    out: dict[_Clause, None] = {}
    symbols: dict[str, None] = {}
    for variant in expand_braces(norm):
        runs = _runs(variant)
        if len(runs) > 1:
            runs.sort(key=lambda r: -r.score)
        if runs:
            second = runs[1].keys if len(runs) > 1 and _worth_second(runs[1]) else None
            out[(runs[0].keys, second)] = None
            continue
        plain = [t for t in variant.split() if not any(c in t for c in "-'.*~<")]
        symbols[max(plain, key=len) if plain else ""] = None
    return tuple(out), tuple(symbols)


def _anchor_key(anchor: Anchor) -> str:
    text, left, right = anchor
    return _collapse((" " if left else "") + _mapped(text) + (" " if right else ""))


# key id -> ((id it wakes, second key ids one of which it also needs, or None), ...)
_Index = dict[int, tuple[tuple[int, frozenset[int] | None], ...]]
Target = tuple[int, int]  # (rule index, phrase index), phrase index -1 for the whole rule
# A cue phrase's test: keys any of which proves a variant possible alone, and (primary keys,
# secondary keys) pairs of the variants with two runs; None: always possible (no word).
CueTest = tuple[frozenset[int], tuple[tuple[frozenset[int], frozenset[int]], ...]] | None


@dataclass(frozen=True, slots=True)
class Gate:
    """Which phrases may match a text (see the module docstring): the rules' own phrases
    (targets) and their cue phrases (context, negative, dampen), from one automaton pass."""

    automaton: ahocorasick.Automaton | None  # the keys of targets and of context gates
    cue_automaton: ahocorasick.Automaton | None  # the keys of cue phrases
    # key id -> ((target id, secondary key ids or None), ...): what a primary key wakes.
    primary: _Index
    # substring -> target ids it wakes ("" wakes them for every text)
    symbols: tuple[tuple[str, tuple[int, ...]], ...]
    # target id -> (rule index, phrase index or -1 for every unit of the rule)
    targets: tuple[Target, ...]
    # per rule: the keys one of which its context needs (None: not gated on context)
    context_keys: tuple[frozenset[int] | None, ...]
    # cue phrase (normalised) -> cue id
    cue_ids: dict[str, int]
    # key id -> ((cue id, secondary key ids or None), ...), and the cues always possible
    cue_primary: _Index
    cue_always: frozenset[int]

    @classmethod
    def build(cls, rules: Sequence[Rule]) -> Gate:
        """The gate of a rule list (rule indices are positions in `rules`). A phrase rule's
        targets are its phrases; a pattern rule (or one with declared anchors) is one target."""
        ids: dict[str, int] = {}
        main_keys: set[int] = set()

        def kid(key: str) -> int:
            return ids.setdefault(key, len(ids))

        def main_kid(key: str) -> int:
            got = kid(key)
            main_keys.add(got)
            return got

        primary: dict[int, dict[int, set[int] | None]] = {}
        symbols: dict[str, list[int]] = {}
        targets: list[Target] = []
        context_keys: list[frozenset[int] | None] = []
        cue_ids: dict[str, int] = {}
        cue_tests: list[CueTest] = []

        def add_primary(keys: Iterable[str], target: int, second: Iterable[str] | None) -> None:
            secs = None if second is None else {main_kid(k) for k in second}
            for key in keys:
                per = primary.setdefault(main_kid(key), {})
                if target in per and per[target] is None:
                    continue
                per[target] = None if secs is None else secs | (per.get(target) or set())

        def cue(phrase: str) -> int:
            got = cue_ids.get(phrase)
            if got is None:
                got = cue_ids[phrase] = len(cue_tests)
                clauses, syms = _phrase_clauses(phrase)
                alone = {kid(k) for keys, second in clauses if second is None for k in keys}
                pairs = tuple(
                    (frozenset(map(kid, keys)), frozenset(map(kid, second)))
                    for keys, second in clauses
                    if second is not None
                )
                cue_tests.append(None if syms else (frozenset(alone), pairs))
            return got

        for idx, rule in enumerate(rules):
            if rule.kind == "phrase" and not any(u.whole for u in rule.units):
                for pos, phrase in enumerate(rule.phrases):
                    target = len(targets)
                    targets.append((idx, pos))
                    clauses, syms = _phrase_clauses(phrase)
                    for keys, second in clauses:
                        add_primary(keys, target, second)
                    for sym in syms:
                        symbols.setdefault(sym, []).append(target)
            else:
                target = len(targets)
                targets.append((idx, -1))
                for anchor in rule.anchors:
                    key = _anchor_key(anchor)
                    if key.strip():
                        add_primary((key,), target, None)
                    else:  # "@", "+": a substring test
                        symbols.setdefault(anchor[0], []).append(target)
            for phrase in (*rule.context, *rule.negative, *rule.dampen, *rule.dampen_anywhere):
                cue(phrase)
            gate_keys: set[int] | None = set() if rule.requires_context else None
            for phrase in rule.context if rule.requires_context else ():
                test = cue_tests[cue(phrase)]
                if test is None or gate_keys is None:
                    gate_keys = None
                    continue
                gate_keys.update(test[0])
                for first_ids, _ in test[1]:
                    gate_keys.update(first_ids)
            if gate_keys is not None:
                main_keys.update(gate_keys)
            context_keys.append(None if gate_keys is None else frozenset(gate_keys))
        cue_primary: dict[int, dict[int, set[int] | None]] = {}
        for cue_id, test in enumerate(cue_tests):
            if test is None:
                continue
            for k in test[0]:
                cue_primary.setdefault(k, {})[cue_id] = None
            for first_ids, second_ids in test[1]:
                for k in first_ids:
                    per_cue = cue_primary.setdefault(k, {})
                    if cue_id in per_cue and per_cue[cue_id] is None:
                        continue
                    per_cue[cue_id] = set(second_ids) | (per_cue.get(cue_id) or set())
        cue_keys = set(cue_primary)
        for test in cue_tests:
            if test is not None:
                for _, second_ids in test[1]:
                    cue_keys.update(second_ids)
        return cls(
            automaton=_automaton({k: v for k, v in ids.items() if v in main_keys}),
            cue_automaton=_automaton({k: v for k, v in ids.items() if v in cue_keys}),
            primary={
                k: tuple((t, None if secs is None else frozenset(secs)) for t, secs in per.items())
                for k, per in primary.items()
            },
            symbols=tuple((s, tuple(v)) for s, v in symbols.items()),
            targets=tuple(targets),
            context_keys=tuple(context_keys),
            cue_ids=cue_ids,
            cue_primary={
                k: tuple((c, None if secs is None else frozenset(secs)) for c, secs in per.items())
                for k, per in cue_primary.items()
            },
            cue_always=frozenset(i for i, t in enumerate(cue_tests) if t is None),
        )

    def hits(self, gt: str) -> set[int]:
        """The target and context keys that occur in a gate text (see `gate_text`)."""
        return _keys_in(self.automaton, gt)

    def cue_hits(self, gt: str) -> set[int]:
        """The cue keys that occur in a gate text: a second pass, for texts with a match."""
        return _keys_in(self.cue_automaton, gt)

    def targets_for(self, nt: str, hits: set[int]) -> set[int]:
        """The targets (phrases, pattern rules) that may match the normalised text `nt` with
        these key hits; a rule that needs context only if one of its context keys occurs."""
        out: set[int] = set()
        for sym, found in self.symbols:
            if sym in nt:
                out.update(found)
        return _woken(self.primary, hits, out)

    def cues_for(self, hits: set[int]) -> set[int]:
        """The cue phrases that may match a text with these key hits."""
        return _woken(self.cue_primary, hits, set(self.cue_always))


def _keys_in(automaton: ahocorasick.Automaton | None, gt: str) -> set[int]:
    return set() if automaton is None else {kid for _, kid in automaton.iter(gt)}


def _woken(index: _Index, hits: set[int], out: set[int]) -> set[int]:
    """Add to `out` every id a hit key wakes: alone, or with one of its second keys."""
    for k in hits:
        entries = index.get(k)
        if entries is not None:
            for woken, secs in entries:
                if secs is None or not secs.isdisjoint(hits):
                    out.add(woken)
    return out


def _automaton(keys: dict[str, int]) -> ahocorasick.Automaton | None:
    if not keys:
        return None
    automaton = ahocorasick.Automaton()
    for key, value in keys.items():
        automaton.add_word(key, value)
    automaton.make_automaton()
    return automaton
