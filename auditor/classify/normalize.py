"""Text normalisation for matching: NFKC + casefold, with a map back to the original offsets.

Rules are written in lower case and match the normalised text; findings must point into the
original text, so every normalised character remembers which original characters produced it.
ASCII text (the vast majority of messages) takes a fast path: `text.lower()` has the same length
and offsets, so no map is built.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Typographic characters NFKC leaves alone but people type interchangeably with ASCII ones
# (phones and word processors turn ' into ’ and - into –).
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
    }
)


@dataclass(frozen=True, slots=True)
class Normalized:
    """The normalised text and, for non-ASCII input, where each of its characters came from.

    `starts[i]` is the original index of the first character that produced normalised char i,
    `ends[i]` the original index just after the last one. None means identical offsets.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text back to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self._orig_len()
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def _orig_len(self) -> int:
        return self.ends[-1] if self.ends else 0


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
            starts.extend(range(pos, i))
            ends.extend(range(pos + 1, i + 1))
        j = _cluster_end(text, i)
        piece = _piece(text[i:j])
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        pos = max(pos, j)
    n = len(text)
    if pos < n:
        out.append(text[pos:].lower())
        starts.extend(range(pos, n))
        ends.extend(range(pos + 1, n + 1))
    return Normalized("".join(out), tuple(starts), tuple(ends))
