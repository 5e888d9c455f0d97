"""Rules as data: load the TOML lexicons (built-in and the user's), validate, compile.

A rule is readable without this module (see docs/classifier.md). Loading turns its phrases into
one compiled regex and a set of literal anchors for the Aho-Corasick prefilter. Every problem is an
AuditError naming the file and the rule id; no message text is involved at load time.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from auditor.classify.model import WordModel, parse_model
from auditor.classify.normalize import normalize
from auditor.errors import AuditError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

RuleKind = Literal["phrase", "pattern", "detector"]
# A prefilter key: (literal text, must start at a word boundary, must end at a word boundary).
Anchor = tuple[str, bool, bool]
OptionValue = str | float | bool | tuple[str, ...]

TOPICS: tuple[str, ...] = (
    "financing",
    "job_search",
    "compensation",
    "health",
    "immigration",
    "legal",
    "contact_info",
    "credentials",
    "beliefs_identity",
)
SEVERITY_RANK: Mapping[str, int] = {"low": 1, "medium": 2, "high": 3}

# Between two words of a phrase: spaces, hyphens or slashes ("term-sheet", "term  sheet").
_SEP = r"[\s\-/]+"
# "~" in a phrase: up to three arbitrary words ("raise ~ round" matches "raise our seed round").
_GAP_WORDS = r"(?:[^\s]+?[\s\-/]+){0,3}?"
# "<num>" in a phrase: a number such as 120, 1.5 or 120,000, also approximate ("~80k", "≈ 5")
# where the "~" does not touch a letter (the gate reads "~" as a word break).
_NUM = r"(?:(?<!\w)[~≈]\s?)?\d+(?:[.,]\d+)*"
_BRACES = re.compile(r"\{([^{}]*)\}")
_DEFAULT_WINDOW = 100
_DEFAULT_BOOST = 0.2

_RULE_KEYS = frozenset(
    {
        "id",
        "topic",
        "kind",
        "weight",
        "phrases",
        "pattern",
        "context",
        "context_boost",
        "requires_context",
        "negative",
        "negative_window",
        "dampen",
        "dampen_factor",
        "dampen_anywhere",
        "dampen_anywhere_factor",
        "window",
        "lang",
        "description",
        "anchors",
        "validator",
        "case_sensitive",
        "options",
    }
)


_RX_CACHE: dict[tuple[str, int], re.Pattern[str]] = {}


def compiled(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile` memoised for the process: most phrase regexes are only needed once a text
    wakes them, so rule loading compiles none of them (and identical ones compile once).
    The regex is screened by its first character (see `_screened`)."""
    key = (source, flags)
    rx = _RX_CACHE.get(key)
    if rx is None:
        rx = _RX_CACHE[key] = _screened(source, flags)
    return rx


try:  # the regex parser and compiler (private modules; renamed in Python 3.11)
    from re import _compiler as _sre_compile  # type: ignore[attr-defined]
    from re import _constants as _sre_constants  # type: ignore[attr-defined]
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _sre_compile
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse

_C = _sre_constants
# Zero-width items a match may start with: they consume nothing, so the first character is
# decided by what follows them.
_ZERO_WIDTH = (_C.AT, _C.ASSERT, _C.ASSERT_NOT)
_MAX_FIRST = 64


def _first_chars(items: Sequence[Any]) -> list[Any] | None:
    """The `IN` items (literals, ranges, categories) that contain every character a match of
    the parsed sequence `items` can start with; None when that is not known or not useful (a
    match may be empty, start with any character, or depend on case folding)."""
    for i, (op, av) in enumerate(items):
        rest = items[i + 1 :]
        if op in _ZERO_WIDTH:
            continue
        if op is _C.LITERAL:
            return [(_C.LITERAL, av)]
        if op is _C.IN:
            return None if any(o is _C.NEGATE for o, _ in av) else list(av)
        if op is _C.SUBPATTERN:
            _group, add_flags, del_flags, inner = av
            if add_flags or del_flags:
                return None
            return _first_chars(list(inner.data) + list(rest))
        if op is _C.BRANCH:
            out: list[Any] = []
            for alt in av[1]:
                got = _first_chars(list(alt.data) + list(rest))
                if got is None:
                    return None
                out.extend(got)
            return out if len(out) <= _MAX_FIRST else None
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            low, _high, inner = av
            first = _first_chars(list(inner.data))
            if first is None or low > 0:
                return first
            after = _first_chars(rest)
            return None if after is None else first + after
        return None  # ANY, NOT_LITERAL, group references, ...: unknown
    return None  # the match may be empty


def _screened(source: str, flags: int) -> re.Pattern[str]:
    """`re.compile(source, flags)`, with a lookahead of the characters a match can start with
    in front when `re` cannot skip positions by itself (its own prefix scan needs a literal or
    a character class first). A regex that starts with `<num>`'s optional "~" or a lookbehind
    is otherwise tried at every position of the text: the screen makes such a search four to
    five times faster, and changes no match (it only rules out start positions where none can
    begin)."""
    try:
        screened = _with_screen(_sre_parse.parse(source, flags))
    except (re.error, RecursionError, TypeError, ValueError, AttributeError):
        screened = None  # `re.compile` below reports a bad regex in its own words
    return screened or re.compile(source, flags)


def _with_screen(parsed: Any) -> re.Pattern[str] | None:
    """The parsed regex compiled with its first-character lookahead, or None when it needs none
    (it starts with a literal or a class: `re` scans for those itself) or has none to give."""
    data = list(parsed.data)
    if not data or parsed.state.flags & re.IGNORECASE:
        return None
    op, av = data[0]
    if op in (_C.LITERAL, _C.IN) or (
        op is _C.BRANCH and all(alt.data and alt.data[0][0] is _C.LITERAL for alt in av[1])
    ):
        return None
    first = _first_chars(data)
    if first is None:
        return None
    look = _sre_parse.SubPattern(parsed.state, [(_C.IN, first)])
    screened = _sre_parse.SubPattern(parsed.state, [(_C.ASSERT, (1, look)), *data])
    rx: re.Pattern[str] = _sre_compile.compile(screened, parsed.state.flags)
    return rx


_FLAT_CACHE: dict[str, re.Pattern[str]] = {}
_MAX_ALTERNATIVES = 4000


def compiled_flat(source: str) -> re.Pattern[str]:
    """`compiled(source)` with leading alternations distributed over what follows them:
    `(?:a|b)c` becomes `ac|bc`, which matches exactly the same (a backtracking matcher tries
    the same attempts in the same order) but lets `re` skip positions by their first character
    and pick the alternative by it (a merged phrase regex otherwise starts with a group, and
    `re` tries every alternative at every position). Falls back to the plain regex when the
    source has no leading alternation or would grow too much."""
    rx = _FLAT_CACHE.get(source)
    if rx is None:
        rx = _FLAT_CACHE[source] = _flatten(source)
    return rx


def _flatten(source: str) -> re.Pattern[str]:
    try:
        parsed = _sre_parse.parse(source, 0)
        alternatives = _distribute(list(parsed.data), 0)
        if alternatives is None or len(alternatives) <= 1:
            return compiled(source)
        subs = [_sre_parse.SubPattern(parsed.state, alt) for alt in alternatives]
        top = _sre_parse.SubPattern(parsed.state, [(_sre_constants.BRANCH, (None, subs))])
        flat: re.Pattern[str] = _with_screen(top) or _sre_compile.compile(top, 0)
        return flat
    except (re.error, RecursionError, TypeError, ValueError, AttributeError):
        return compiled(source)


def _distribute(items: list[Any], depth: int) -> list[list[Any]] | None:
    """The alternatives (item lists, in order) of a parsed sequence whose first item is an
    alternation or a plain group: each alternative followed by the rest of the sequence."""
    if not items or depth > 8:
        return [items]
    op, av = items[0]
    rest = items[1:]
    if op is _sre_constants.SUBPATTERN:
        group, add_flags, del_flags, inner = av
        if group is not None or add_flags or del_flags:
            return [items]
        return _distribute(list(inner.data) + rest, depth + 1)
    if op is _sre_constants.BRANCH:
        out: list[list[Any]] = []
        for alt in av[1]:
            got = _distribute(list(alt.data) + rest, depth + 1)
            if got is None:
                return None
            out.extend(got)
            if len(out) > _MAX_ALTERNATIVES:
                return None
        return out
    return [items]


@dataclass(frozen=True, slots=True)
class Unit:
    """A regex: a phrase's (searched for wherever the gate allows it) or a pattern rule's
    (`whole`: woken by the rule's anchors). The regex compiles on first use."""

    source: str  # regex source
    whole: bool
    left_check: bool = False  # the regex has no leading (?<!\w): check the boundary after
    flags: int = 0

    @property
    def regex(self) -> re.Pattern[str]:
        return compiled(self.source, self.flags)


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled rule. Its units (and those of its context, negative and dampen phrases)
    match the normalised text (a pattern rule's the original text when `case_sensitive`)."""

    id: str
    topic: str
    kind: RuleKind
    weight: float
    phrases: tuple[str, ...] = ()
    pattern: str = ""
    context: tuple[str, ...] = ()
    context_boost: float = _DEFAULT_BOOST
    requires_context: bool = False
    negative: tuple[str, ...] = ()
    negative_window: int = 0
    dampen: tuple[str, ...] = ()
    dampen_factor: float = 0.5
    # Cues that dampen a match wherever they are in the text (a newsletter's "unsubscribe").
    dampen_anywhere: tuple[str, ...] = ()
    dampen_anywhere_factor: float = 0.25
    window: int = _DEFAULT_WINDOW
    lang: str = "en"
    description: str = ""
    anchors: tuple[Anchor, ...] = ()
    validator: str = ""
    case_sensitive: bool = False
    options: tuple[tuple[str, OptionValue], ...] = ()
    source: str = ""
    regex: re.Pattern[str] | None = field(default=None, compare=False, repr=False)
    units: tuple[Unit, ...] = field(default=(), compare=False, repr=False)
    context_units: tuple[Unit, ...] = field(default=(), compare=False, repr=False)
    negative_units: tuple[Unit, ...] = field(default=(), compare=False, repr=False)
    dampen_units: tuple[Unit, ...] = field(default=(), compare=False, repr=False)

    def option(self, name: str, default: OptionValue) -> OptionValue:
        """A detector option from the rule's `options` table, or the default."""
        for key, value in self.options:
            if key == name:
                return value
        return default

    def number(self, name: str, default: float) -> float:
        """A numeric detector option (wrong types fall back to the default)."""
        value = self.option(name, default)
        return float(value) if isinstance(value, int | float) else default


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Everything loaded from the lexicons plus a user rules file."""

    rules: tuple[Rule, ...]
    severity: Mapping[str, str]
    ignore: tuple[str, ...] = ()
    models: tuple[WordModel, ...] = ()
    user_rules: frozenset[str] = frozenset()  # ids of the rules from the user's file


# --------------------------------------------------------------------------- phrase syntax


def expand_braces(phrase: str, *, keep_empty: bool = False) -> list[str]:
    """`rais{e,es,ed,ing}` -> raise, raises, raised, raising; `{,s}` makes a suffix optional.
    An empty variant ("{new,}" alone) is dropped unless `keep_empty`."""
    parts = _BRACES.split(phrase)
    # split() alternates literal, group, literal, group ...
    choices: list[list[str]] = []
    for i, part in enumerate(parts):
        choices.append(part.split(",") if i % 2 else [part])
    out = []
    for combo in itertools.product(*choices):
        variant = " ".join("".join(combo).split())
        if variant or keep_empty:
            out.append(variant)
    return list(dict.fromkeys(out))


def expand_count(phrase: str) -> int:
    """How many variants `expand_braces` would give (before dropping duplicates), without
    building them."""
    count = 1
    for i, part in enumerate(_BRACES.split(phrase)):
        if i % 2:
            count *= len(part.split(","))
    return count


def _first_variant(phrase: str) -> str:
    """expand_braces(phrase)[0] (or "" if none) without expanding every variant."""
    parts = _BRACES.split(phrase)
    combo = "".join(part.split(",")[0] if i % 2 else part for i, part in enumerate(parts))
    variant = " ".join(combo.split())
    if variant:
        return variant
    variants = expand_braces(phrase)
    return variants[0] if variants else ""


@functools.cache
def _chars_regex(text: str) -> str:
    """Regex for a literal piece of a phrase (no braces): the character-level syntax."""
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        prev_blank = i == 0 or text[i - 1] == " "
        next_blank = i + 1 >= n or text[i + 1] == " "
        if text.startswith("<num>", i):
            out.append(_NUM)
            i += 5
            continue
        if i == 0 and text.startswith("~ "):
            # A gap right after an optional group ("{new,} ~ roles"), which took the
            # separator before it: the gap's words bring their own separators.
            out.append(_GAP_WORDS)
            i += 2
            continue
        if ch == " ":
            if text.startswith(" ~", i) and (i + 2 >= n or text[i + 2] == " "):
                out.append(_SEP + _GAP_WORDS)
                i += 3 if i + 2 < n else 2
                continue
            out.append(_SEP)
        elif ch == "*":
            out.append(r"[^\s]+" if prev_blank and next_blank else r"\w*")
        elif ch == "-":
            out.append(r"[\s\-]?")
        elif ch == "'":
            out.append("'?")
        elif ch == ".":
            out.append(r"\.?")
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _segments(phrase: str) -> list[str | list[str]]:
    """Split a phrase into literal pieces and brace groups; an optional group takes a space
    along so that "raise {our,} round" also matches "raise round" with one separator."""
    parts = _BRACES.split(phrase)
    segs: list[str | list[str]] = [p if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    for i, seg in enumerate(segs):
        if not isinstance(seg, list) or "" not in seg:
            continue
        nxt = segs[i + 1] if i + 1 < len(segs) else ""
        prv = segs[i - 1] if i > 0 else ""
        if not isinstance(nxt, str) or not isinstance(prv, str):
            continue
        if (prv and not prv.endswith(" ")) or (nxt and not nxt.startswith(" ")):
            continue  # a suffix/prefix group ("<num>{k,}"): no space of its own
        if nxt.startswith(" "):
            segs[i] = [a + " " if a else "" for a in seg]
            segs[i + 1] = nxt[1:]
        elif prv.endswith(" ") and prv[:-1].split(" ")[-1] != "~":  # a gap keeps its space
            segs[i] = [" " + a if a else "" for a in seg]
            segs[i - 1] = prv[:-1]
    return segs


def phrase_regex(phrase: str, *, lead: bool = True) -> str:
    """Regex source for one phrase (normalised, see docs/classifier.md for the syntax).
    Without `lead` the left word boundary is left to the caller (see Unit.left_check): a
    leading lookbehind stops `re` from skipping ahead to a literal prefix, and costs 5x."""
    phrase = " ".join(phrase.split())
    first = _first_variant(phrase)
    if not first:
        raise ValueError(f"phrase {phrase!r} is empty")
    words = first.split()
    if words[0] == "~" or words[-1] == "~":
        raise ValueError(f"phrase {phrase!r} must start and end with a word")
    body = []
    for seg in _segments(phrase):
        if isinstance(seg, list):
            alts = sorted({_chars_regex(a) for a in seg}, key=len, reverse=True)
            body.append("(?:" + "|".join(alts) + ")")
            continue
        body.append(_chars_regex(seg))
    head = "" if phrase.startswith("*") or not lead else r"(?<!\w)"
    last = phrase.split()[-1]
    if last.endswith("<num>") and _CURRENCY.search(last):
        # "{$,€,£}<num>" is an amount, and amounts are written "$140k", "$2.5MM" too.
        body.append(_MAGNITUDE)
    if phrase.endswith("*"):
        tail = ""
    elif any(not (v[-1].isalnum() or v[-1] == "_") for v in _last_forms(last)):
        # A phrase that can end on a symbol ("{base,$}", "#") has no word to cut short
        # there: "offer is $140k" matches "offer is $". It still may not end mid-word.
        tail = r"(?:(?<!\w)|(?!\w))"
    else:
        tail = r"(?!\w)"
    return head + "".join(body) + tail


_CURRENCY = re.compile(r"[$€£]")
_MAGNITUDE = r"(?:mm|bn|[kmb])?"


def _last_forms(token: str) -> list[str]:
    """The spellings of a phrase's last token, `<num>` as a digit (what the tail follows)."""
    return [v.replace("<num>", "0") for v in expand_braces(token)]


# Function words make poor prefilter keys: they occur in nearly every message.
_COMMON = frozenset(
    """a an the and or but if of to in on at by for from with about as into over after before
    than then so not no yes is are was were be been being am do does did have has had will would
    can could should may might must shall i me my mine we us our you your he him his she her it
    its they them their this that these those there here what which who when where why how all any
    some more most other another such only just also very too up out off again new next last
    first one two get got make made take go going good great well like know think want need let
    der die das ein eine und oder ich du er sie wir ihr mit von zu im am ist bin bei für auf
    le la les un une et ou je tu il elle nous vous de du des en au aux est pour par sur avec mon ma
    el los las y o yo tú él ella es en con por para mi su del al que se lo""".split()  # noqa: SIM905
)


# The prefilter reads every digit as 0 (numbers vary, their shape does not).
_DIGITS = str.maketrans("123456789", "000000000")


def anchor_score(piece: str) -> int:
    """Higher is a better prefilter key: long, and not a function word. A "0" stands for a
    number ("<num>"): the prefilter sees every digit as 0, so "0k" means "120k"."""
    if piece in _COMMON or len(piece) < 2:
        return len(piece) - 100
    if not piece.strip("0"):
        return len(piece) - 50  # a bare number: every date and amount has one
    return len(piece) + (1 if "0" in piece else 0)


_PIECE_SPLIT = re.compile(r"([-*'.])")
_POOR_TOKEN = re.compile(r"[*'.~]")
# Per token (memoised: tokens repeat across the ~50,000 brace variants of the lexicons): its
# literal pieces (score, anchor), and its whole-hyphenated-token fallback anchor if it has one.
_TokenInfo = tuple[tuple[tuple[int, Anchor], ...], tuple[int, Anchor] | None]
_TOKEN_CACHE: dict[str, _TokenInfo] = {}


def _token_info(tok: str) -> _TokenInfo:
    info = _TOKEN_CACHE.get(tok)
    if info is not None:
        return info
    pieces: list[tuple[int, Anchor]] = []
    fallback: tuple[int, Anchor] | None = None
    if tok != "~":
        core = tok.replace("<num>", "0").translate(_DIGITS)
        parts = _PIECE_SPLIT.split(core)
        for k in range(0, len(parts), 2):
            piece = parts[k]
            if not piece:
                continue
            left = k == 0 and piece[:1].isalnum()
            right = k == len(parts) - 1 and piece[-1:].isalnum()
            if "0" in piece and piece.strip("0"):
                # "$0k" must match "$120k" (digits read as 0): keep the side of the number
                # that touches a fixed character, without requiring a boundary inside it.
                head, tail = piece[: piece.index("0") + 1], piece[piece.rindex("0") :]
                if len(head) >= len(tail):
                    piece, right = head, False
                else:
                    piece, left = tail, False
            pieces.append((anchor_score(piece), (piece, left, right)))
        if "-" in core and not _POOR_TOKEN.search(core):
            word = core.replace("-", " ")
            score = anchor_score(core.replace("-", ""))
            fallback = (max(score, 3), (word, word[:1].isalnum(), word[-1:].isalnum()))
    info = (tuple(pieces), fallback)
    _TOKEN_CACHE[tok] = info
    return info


def _variant_pieces(variant: str) -> list[tuple[int, int, Anchor]]:
    """Every literal piece (score, token index, anchor) of a phrase variant, in order."""
    pieces: list[tuple[int, int, Anchor]] = []
    for t_idx, tok in enumerate(variant.split()):
        for score, anchor in _token_info(tok)[0]:
            pieces.append((score, t_idx, anchor))
    return pieces


def phrase_anchors(variant: str) -> tuple[Anchor, Anchor | None]:
    """The most specific literal piece every match of the phrase must contain (the prefilter
    key), and a second one from another word when the phrase has one (both must occur).
    Each says whether it must start / end at a word boundary (not next to '*', '-', "'", '.')."""
    return _anchors_of(variant, _variant_pieces(variant))


def _anchors_of(
    variant: str, pieces: list[tuple[int, int, Anchor]]
) -> tuple[Anchor, Anchor | None]:
    pieces = list(pieces)
    if pieces and max(p[0] for p in pieces) <= 2:
        # Only poor pieces ("i-140", "h-1b"): anchor on a whole hyphenated token instead.
        for t_idx, tok in enumerate(variant.split()):
            fallback = _token_info(tok)[1]
            if fallback is not None:
                pieces.append((fallback[0], t_idx, fallback[1]))
    if not pieces:
        raise ValueError(f"phrase {variant!r} has no literal word to anchor on")
    pieces.sort(key=lambda p: -p[0])
    best = pieces[0]
    second = next((p for p in pieces[1:] if p[1] != best[1] and p[0] > 1), None)
    return best[2], second[2] if second else None


def phrase_anchor(variant: str) -> Anchor:
    """The primary prefilter key of a phrase variant (see phrase_anchors)."""
    return phrase_anchors(variant)[0]


def literal_anchor(text: str) -> Anchor:
    """An anchor written in a rule: a whole word unless it ends with '*' (a prefix, as in
    "akia*") or starts with one (a suffix, as in "*straße"); boundaries are only checked
    where the anchor's edge is a letter or digit."""
    prefix = text.endswith("*")
    suffix = text.startswith("*") and len(text) > 1
    word = _norm(text.strip("*")).replace("<num>", "0").translate(_DIGITS)
    return (word, not suffix and word[:1].isalnum(), not prefix and word[-1:].isalnum())


def _norm(s: str) -> str:
    return normalize(s).text


def compile_phrases(phrases: Iterable[str]) -> tuple[str, tuple[Anchor, ...]]:
    """Alternation regex source and anchors for a list of phrases."""
    sources: list[str] = []
    anchors: list[Anchor] = []
    for phrase in phrases:
        norm = _norm(phrase)
        sources.append(phrase_regex(norm))
        anchors.extend(phrase_anchor(v) for v in expand_braces(norm))
    # Longest first so "series a round" wins over "series a" at the same position.
    sources.sort(key=len, reverse=True)
    return "(?:" + "|".join(sources) + ")", tuple(dict.fromkeys(anchors))


_UNIT_CACHE: dict[str, Unit] = {}


def phrase_units(phrases: Iterable[str]) -> tuple[Unit, ...]:
    """One unit (regex source, left-boundary mode) per phrase; shared word sets build once.
    Which texts a phrase's regex runs on is the gate's business (gate.py)."""
    units = []
    for phrase in phrases:
        norm = _norm(phrase)
        unit = _UNIT_CACHE.get(norm)
        if unit is None:
            unit = _UNIT_CACHE[norm] = Unit(
                phrase_regex(norm, lead=False), whole=False, left_check=not norm.startswith("*")
            )
        units.append(unit)
    return tuple(units)


# --------------------------------------------------------------------------- loading


def _fail(source: str, rule_id: str, problem: str) -> AuditError:
    return AuditError(f"{source}: rule '{rule_id}': {problem}")


def _str_list(value: Any, source: str, rid: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(source, rid, f"'{key}' must be a list of non-empty strings")
    return tuple(value)


_INLINE_SET = re.compile(r"\{@(\w+)\}")


def _expand_sets(
    values: tuple[str, ...], sets: Mapping[str, tuple[str, ...]], source: str, rid: str
) -> tuple[str, ...]:
    """ "@name" entries become the set's phrases; "{@name}" inside a phrase an alternation."""

    def inline(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in sets:
            raise _fail(source, rid, f"unknown word set '@{name}'")
        alts = [v for item in sets[name] for v in expand_braces(item)]
        return "{" + ",".join(alts) + "}"

    out: list[str] = []
    for v in values:
        if v.startswith("@"):
            if v[1:] not in sets:
                raise _fail(source, rid, f"unknown word set '{v}'")
            out.extend(sets[v[1:]])
        else:
            out.append(_INLINE_SET.sub(inline, v))
    return tuple(out)


def _anchors(
    values: tuple[str, ...], sets: Mapping[str, tuple[str, ...]], source: str, rid: str
) -> tuple[Anchor, ...]:
    """Literal prefilter words; "@set" adds the anchors of a word set's phrases."""
    out: list[Anchor] = []
    for v in values:
        if v.startswith("@") and len(v) > 1:
            try:
                found = compile_phrases(_expand_sets((v,), sets, source, rid))[1]
            except ValueError as exc:
                raise _fail(source, rid, str(exc)) from None
            good = [a for a in found if anchor_score(a[0]) > 2]
            out.extend(good or found)
        else:
            out.append(literal_anchor(v))
    return tuple(dict.fromkeys(out))


def _options(value: Any, source: str, rid: str) -> tuple[tuple[str, OptionValue], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise _fail(source, rid, "'options' must be a table")
    out: list[tuple[str, OptionValue]] = []
    for k, v in value.items():
        if isinstance(v, list):
            out.append((k, tuple(_norm(str(x)) for x in v)))
        elif isinstance(v, bool | int | float | str):
            out.append((k, float(v) if isinstance(v, int) and not isinstance(v, bool) else v))
        else:
            raise _fail(source, rid, f"option '{k}' has an unsupported type")
    return tuple(out)


def _number(value: Any, source: str, rid: str, key: str, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(source, rid, f"'{key}' must be a number")
    return float(value)


def build_rule(
    raw: Mapping[str, Any],
    *,
    source: str,
    default_topic: str | None,
    default_lang: str,
    known_topics: Sequence[str],
    sets: Mapping[str, tuple[str, ...]],
) -> Rule:
    """Validate one `[[rule]]` table and compile it."""
    from auditor.classify.detectors import VALIDATORS

    rid = raw.get("id")
    if not isinstance(rid, str) or not rid.strip():
        raise AuditError(f"{source}: a rule has no 'id'")
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise _fail(source, rid, f"unknown key(s) {', '.join(unknown)}")
    topic = raw.get("topic", default_topic)
    if topic not in known_topics:
        raise _fail(source, rid, f"unknown topic {topic!r}")
    topic = str(topic)
    weight = _number(raw.get("weight"), source, rid, "weight", -1.0)
    if not 0.0 < weight <= 1.0:
        raise _fail(source, rid, "'weight' must be in (0, 1]")
    boost = _number(raw.get("context_boost"), source, rid, "context_boost", _DEFAULT_BOOST)
    if not 0.0 <= boost <= 1.0:
        raise _fail(source, rid, "'context_boost' must be in [0, 1]")
    window = int(_number(raw.get("window"), source, rid, "window", _DEFAULT_WINDOW))
    neg_window = int(_number(raw.get("negative_window"), source, rid, "negative_window", 0))
    if window < 0 or neg_window < 0:
        raise _fail(source, rid, "windows must be >= 0")
    phrases = _expand_sets(_str_list(raw.get("phrases"), source, rid, "phrases"), sets, source, rid)
    pattern = raw.get("pattern", "")
    if not isinstance(pattern, str):
        raise _fail(source, rid, "'pattern' must be a string")
    validator = raw.get("validator", "")
    raw_kind = raw.get("kind") or ("detector" if validator else "pattern" if pattern else "phrase")
    if raw_kind not in ("phrase", "pattern", "detector"):
        raise _fail(source, rid, f"unknown kind {raw_kind!r}")
    kind: RuleKind = (
        "phrase" if raw_kind == "phrase" else "pattern" if raw_kind == "pattern" else "detector"
    )
    case_sensitive = bool(raw.get("case_sensitive", False))
    context = _expand_sets(_str_list(raw.get("context"), source, rid, "context"), sets, source, rid)
    negative = _expand_sets(
        _str_list(raw.get("negative"), source, rid, "negative"), sets, source, rid
    )
    dampen = _expand_sets(_str_list(raw.get("dampen"), source, rid, "dampen"), sets, source, rid)
    anywhere = _expand_sets(
        _str_list(raw.get("dampen_anywhere"), source, rid, "dampen_anywhere"), sets, source, rid
    )
    damp_factor = _number(raw.get("dampen_factor"), source, rid, "dampen_factor", 0.5)
    anywhere_factor = _number(
        raw.get("dampen_anywhere_factor"), source, rid, "dampen_anywhere_factor", 0.25
    )
    if not (0.0 <= damp_factor <= 1.0 and 0.0 <= anywhere_factor <= 1.0):
        raise _fail(source, rid, "dampen factors must be in [0, 1]")
    anchors = _anchors(_str_list(raw.get("anchors"), source, rid, "anchors"), sets, source, rid)
    requires_context = bool(raw.get("requires_context", False))
    units: tuple[Unit, ...] = ()
    regex: re.Pattern[str] | None = None
    if requires_context and not context:
        raise _fail(source, rid, "'requires_context' needs 'context' words")
    try:
        if kind == "phrase":
            if not phrases:
                raise _fail(source, rid, "a phrase rule needs 'phrases'")
            units = phrase_units(phrases)
            source_re = "(?:" + "|".join(u.source for u in units) + ")"
            regex = None
            if anchors:  # explicit anchors wake the whole rule
                regex = re.compile(source_re)
                units = (Unit(source_re, whole=True),)
        else:
            if not pattern:
                raise _fail(source, rid, f"a {kind} rule needs 'pattern'")
            if kind == "detector" and validator not in VALIDATORS:
                raise _fail(source, rid, f"unknown validator {validator!r}")
            regex = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
            source_re = pattern
        ctx_units = phrase_units(context)
        neg_units = phrase_units(negative)
        damp_units = phrase_units(dampen)
        phrase_units(anywhere)  # validated here, compiled by the engine when first needed
    except re.error as exc:
        raise _fail(source, rid, f"bad regex: {exc}") from None
    except ValueError as exc:
        raise _fail(source, rid, str(exc)) from None
    if regex is not None and kind != "phrase":
        if not anchors and requires_context:
            found = compile_phrases(context)[1]
            anchors = tuple(a for a in found if anchor_score(a[0]) > 2) or found
        if not anchors:
            raise _fail(source, rid, "a pattern rule needs 'anchors' (literal prefilter words)")
        units = (Unit(regex.pattern, whole=True, flags=regex.flags),)
    if regex is not None and regex.search("") is not None:
        raise _fail(source, rid, "pattern matches the empty string")
    lang = raw.get("lang", default_lang)
    return Rule(
        id=rid,
        topic=topic,
        kind=kind,
        weight=weight,
        phrases=phrases,
        pattern=source_re,
        context=context,
        context_boost=boost,
        requires_context=requires_context,
        negative=negative,
        negative_window=neg_window,
        dampen=dampen,
        dampen_factor=damp_factor,
        dampen_anywhere=anywhere,
        dampen_anywhere_factor=anywhere_factor,
        window=window,
        lang=str(lang),
        description=str(raw.get("description", "")),
        anchors=anchors,
        validator=str(validator),
        case_sensitive=case_sensitive,
        options=_options(raw.get("options"), source, rid),
        source=source,
        regex=regex,
        units=units,
        context_units=ctx_units,
        negative_units=neg_units,
        dampen_units=damp_units,
    )


def _read_toml(data: bytes, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AuditError(f"{source}: not a valid TOML rules file ({exc})") from None


def _sets(doc: Mapping[str, Any], source: str) -> dict[str, tuple[str, ...]]:
    raw = doc.get("sets", {})
    if not isinstance(raw, dict):
        raise AuditError(f"{source}: 'sets' must be a table of word lists")
    return {k: _str_list(v, source, f"@{k}", "sets") for k, v in raw.items()}


def parse_rules_doc(
    doc: Mapping[str, Any],
    *,
    source: str,
    known_topics: Sequence[str],
    shared_sets: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Rule]:
    """Rules of one TOML document (a lexicon file or a user rules file)."""
    default_topic = doc.get("topic")
    default_lang = str(doc.get("lang", "en"))
    sets = dict(shared_sets or {})
    sets.update(_sets(doc, source))
    raw_rules = doc.get("rule", [])
    if not isinstance(raw_rules, list):
        raise AuditError(f"{source}: 'rule' must be an array of tables ([[rule]])")
    return [
        build_rule(
            r,
            source=source,
            default_topic=default_topic if isinstance(default_topic, str) else None,
            default_lang=default_lang,
            known_topics=known_topics,
            sets=sets,
        )
        for r in raw_rules
    ]


_MODEL_KEYS = frozenset({"id", "file", "veto", "ignore", "description"})


def _models_of(
    doc: Mapping[str, Any],
    source: str,
    known: Sequence[str],
    shared: Mapping[str, tuple[str, ...]],
    blobs: Mapping[str, bytes],
) -> list[WordModel]:
    """The word-weight models a lexicon declares (`[[model]]`: id, file, veto and ignore
    phrases)."""
    raw = doc.get("model", [])
    if not isinstance(raw, list):
        raise AuditError(f"{source}: 'model' must be an array of tables ([[model]])")
    sets = dict(shared)
    sets.update(_sets(doc, source))
    out = []
    for spec in raw:
        mid = spec.get("id", "?") if isinstance(spec, dict) else "?"
        if not isinstance(spec, dict) or set(spec) - _MODEL_KEYS:
            raise _fail(source, str(mid), "a model takes id, file, veto, ignore and description")
        name = spec.get("file")
        if not isinstance(name, str) or name not in blobs:
            raise _fail(source, str(mid), f"model file {name!r} not in the lexicon folder")
        veto_re, ignore_re = (
            _model_phrases(spec, key, sets, source, str(mid)) for key in ("veto", "ignore")
        )
        model = parse_model(blobs[name], f"lexicon/{name}", known, veto_re, ignore_re)
        if model.id != mid:
            raise _fail(source, str(mid), f"model file {name} is for {model.id!r}")
        out.append(model)
    return out


def _model_phrases(
    spec: Mapping[str, Any], key: str, sets: Mapping[str, tuple[str, ...]], source: str, mid: str
) -> re.Pattern[str] | None:
    """One regex for a model's `veto` or `ignore` phrases (sets expanded), or None."""
    phrases = _expand_sets(_str_list(spec.get(key), source, mid, key), sets, source, mid)
    try:
        return re.compile(compile_phrases(phrases)[0]) if phrases else None
    except (re.error, ValueError) as exc:
        raise _fail(source, mid, f"bad {key} phrase: {exc}") from None


def _builtin_files() -> list[tuple[str, bytes]]:
    """The lexicon folder's rule files (*.toml) and word-weight models (*.model.json)."""
    folder = resources.files("auditor.classify") / "lexicon"
    return [
        (entry.name, entry.read_bytes())
        for entry in sorted(folder.iterdir(), key=lambda p: p.name)
        if entry.name.endswith((".toml", ".model.json"))
    ]


# Loaded rule sets by a hash of everything they are made of (lexicon and user file names and
# bytes, severities): loading again in one process (tests, evaluation sweeps) is then free.
# In memory only; a changed file has another hash.
_RULESET_CACHE: dict[str, RuleSet] = {}
_RULESET_CACHE_SIZE = 8


def load_ruleset(user_rules: Path | None, base_severity: Mapping[str, str]) -> RuleSet:
    """Built-in lexicons plus an optional user rules file (adds, disables, ignores)."""
    files = _builtin_files()
    user_data: bytes | None = None
    user_src = ""
    if user_rules is not None:
        user_src = user_rules.name
        try:
            user_data = user_rules.read_bytes()
        except OSError as exc:
            raise AuditError(f"{user_src}: cannot read rules file ({exc.strerror})") from None
    digest = hashlib.sha256(repr(sorted(base_severity.items())).encode())
    for name, data in [*files, (user_src, user_data or b"")]:
        digest.update(b"\0%d:%s\0" % (len(data), name.encode()))
        digest.update(data)
    key = digest.hexdigest() + ("+user" if user_data is not None else "")
    cached = _RULESET_CACHE.get(key)
    if cached is not None:
        return cached
    ruleset = _build_ruleset(files, user_src, user_data, base_severity)
    if len(_RULESET_CACHE) >= _RULESET_CACHE_SIZE:
        _RULESET_CACHE.clear()
    _RULESET_CACHE[key] = ruleset
    return ruleset


def _build_ruleset(
    files: Sequence[tuple[str, bytes]],
    user_src: str,
    user_data: bytes | None,
    base_severity: Mapping[str, str],
) -> RuleSet:
    severity = dict(base_severity)
    docs = [
        (f"lexicon/{name}", _read_toml(data, name))
        for name, data in files
        if name.endswith(".toml")
    ]
    user_doc: dict[str, Any] | None = None
    if user_data is not None:
        user_doc = _read_toml(user_data, user_src)
        topics_tbl = user_doc.get("topics", {})
        if not isinstance(topics_tbl, dict):
            raise AuditError(f"{user_src}: 'topics' must be a table")
        for name, spec in topics_tbl.items():
            sev = spec.get("severity", "medium") if isinstance(spec, dict) else spec
            if sev not in SEVERITY_RANK:
                raise AuditError(f"{user_src}: topic '{name}': severity must be low|medium|high")
            severity[name] = sev
    known = tuple(severity)
    shared: dict[str, tuple[str, ...]] = {}
    rules: list[Rule] = []
    for src, doc in docs:
        if src.endswith("_sets.toml"):
            shared.update(_sets(doc, src))
    for src, doc in docs:
        rules.extend(parse_rules_doc(doc, source=src, known_topics=known, shared_sets=shared))
    blobs = dict(files)
    models = [m for src, doc in docs for m in _models_of(doc, src, known, shared, blobs)]
    ignore: tuple[str, ...] = ()
    user_ids: set[str] = set()
    if user_doc is not None:
        own = parse_rules_doc(user_doc, source=user_src, known_topics=known, shared_sets=shared)
        user_ids.update(r.id for r in own)
        rules.extend(own)
        disable = _str_list(user_doc.get("disable"), user_src, "disable", "disable")
        ids = {r.id for r in rules} | {m.id for m in models}
        for rid in disable:
            if rid not in ids:
                raise AuditError(f"{user_src}: rule '{rid}': cannot disable, no such rule")
        rules = [r for r in rules if r.id not in set(disable)]
        models = [m for m in models if m.id not in set(disable)]
        ignore = tuple(
            _norm(t) for t in _str_list(user_doc.get("ignore"), user_src, "ignore", "ignore")
        )
    seen: dict[str, str] = {}
    for rid, src in [*((r.id, r.source) for r in rules), *((m.id, m.source) for m in models)]:
        if rid in seen:
            raise _fail(src, rid, f"duplicate rule id (also in {seen[rid]})")
        seen[rid] = src
    return RuleSet(tuple(rules), severity, ignore, tuple(models), frozenset(user_ids))
