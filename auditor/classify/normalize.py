"""Text normalisation for matching: NFKC + casefold, with a map back to the original offsets.

Rules are written in lower case and match the normalised text; findings must point into the
original text, so every normalised character remembers which original characters produced it.
ASCII text (the vast majority of messages) takes a fast path: `text.lower()` has the same length
and offsets, so no map is built.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Typographic characters NFKC leaves alone but people type interchangeably with ASCII ones
# (phones and word processors turn ' into ’ and - into –), and one letter casefold splits.
_EXTRA = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
        # Turkish capital dotted I: casefold makes it "i" plus a combining dot, which no rule
        # spells and the gate would split off ("İstifa" would not match "istifa").
        "\u0130": "I",
    }
)


@dataclass(frozen=True, slots=True)
class Normalized:
    """The normalised text and, for input whose offsets change, where its characters came from.

    `starts[i]` is the original index of the first character that produced normalised char i,
    `ends[i]` the original index just after the last one. None means identical offsets. The map
    is built on first use (only texts with findings need it), from `source`, the original text.
    """

    text: str
    source: str | None = field(default=None, repr=False)
    _map: tuple[tuple[int, ...], tuple[int, ...]] | None = field(
        default=None, compare=False, repr=False
    )

    @property
    def starts(self) -> tuple[int, ...] | None:
        return None if self.source is None else self._offsets()[0]

    @property
    def ends(self) -> tuple[int, ...] | None:
        return None if self.source is None else self._offsets()[1]

    def _offsets(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        got = self._map
        if got is None:
            assert self.source is not None
            _, starts, ends = _fold(self.source, with_map=True)
            got = (tuple(starts), tuple(ends))
            object.__setattr__(self, "_map", got)  # a cache of a pure function of `source`
        return got

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the original text."""
        if self.source is None:
            return start, end
        starts, ends = self._offsets()
        if end <= start:
            pos = starts[start] if start < len(starts) else (ends[-1] if ends else 0)
            return pos, pos
        return starts[start], ends[end - 1]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Whether a text has anything for _EXTRA to do: str.translate with a dict costs ~40 ns per
# character on non-ASCII text, a regex search a fraction of that.
_HAS_EXTRA = re.compile("[" + "".join(chr(c) for c in _EXTRA) + "]")


def _cluster_end(text: str, i: int) -> int:
    """End of the grapheme-ish cluster starting at i: a base char plus its combining marks."""
    j = i + 1
    n = len(text)
    while j < n and unicodedata.combining(text[j]):
        j += 1
    return j


_EXTRA_CHARS = {chr(k): str(v) for k, v in _EXTRA.items()}


def _extra(m: re.Match[str]) -> str:
    return _EXTRA_CHARS[m.group()]


# Normalised form of each non-ASCII cluster seen (the same few accented letters recur).
_PIECES: dict[str, str] = {}


def _piece(cluster: str) -> str:
    piece = _PIECES.get(cluster)
    if piece is None:
        piece = unicodedata.normalize("NFKC", cluster.translate(_EXTRA)).casefold()
        # casefold can produce decomposed forms again (e.g. 'İ' -> 'i̇'); compose what can be.
        piece = unicodedata.normalize("NFC", piece)
        if len(_PIECES) >= 50_000:
            _PIECES.clear()
        _PIECES[cluster] = piece
    return piece


def normalize(text: str) -> Normalized:
    """NFKC + casefold (+ typographic quotes/dashes to ASCII), keeping an offset map."""
    if text.isascii():
        return Normalized(text.lower())
    # Most non-ASCII text (accents, emoji) keeps one character per character: no map needed.
    plain = _HAS_EXTRA.sub(_extra, text)
    if unicodedata.is_normalized("NFKC", plain):
        folded = plain.casefold()
        if len(folded) == len(text) and unicodedata.is_normalized("NFKC", folded):
            return Normalized(folded)
    return Normalized(_fold(text, with_map=False)[0], text)


def _fold(text: str, *, with_map: bool) -> tuple[str, list[int], list[int]]:
    """The slow path of `normalize`: the text and (`with_map`) each character's origin span."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    # ASCII runs map one-to-one in bulk; only the other characters are normalised one by one.
    for m in _NON_ASCII.finditer(text):
        i = m.start()
        if i < pos:
            continue  # already part of the previous cluster
        if i > pos and unicodedata.combining(text[i]):
            i -= 1  # an ASCII base letter with combining marks: normalise them together
        if i > pos:
            out.append(text[pos:i].lower())
            if with_map:
                starts.extend(range(pos, i))
                ends.extend(range(pos + 1, i + 1))
        j = _cluster_end(text, i)
        piece = _piece(text[i:j])
        out.append(piece)
        if with_map:
            starts.extend([i] * len(piece))
            ends.extend([j] * len(piece))
        pos = max(pos, j)
    n = len(text)
    if pos < n:
        out.append(text[pos:].lower())
        if with_map:
            starts.extend(range(pos, n))
            ends.extend(range(pos + 1, n + 1))
    return "".join(out), starts, ends
