"""Decoding and CSV records, with the export's encoding quirks repaired on the fly.

- UTF-8 with or without BOM (Excel re-saves add one).
- 2018: six files are UTF-16LE with BOM, TAB-separated, every field quoted; UTF-16 without a BOM
  is recognised by its NUL-byte pattern.
- Undecodable bytes are replaced and counted (one non-rejecting issue per file), NUL bytes are
  stripped (Python 3.10's csv refuses them), blank records are skipped and not counted.
- Fields longer than csv's default 131072-char limit exist, so the limit is raised.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO

__all__ = ["Records", "decode_all", "sniff_encoding"]

_FIELD_LIMIT = 2**31 - 1
_SNIFF = 4096

_replaced = [0]  # undecodable bytes seen; read before and after a file to count its share


def _count_replace(exc: UnicodeError) -> tuple[str, int]:
    if isinstance(exc, UnicodeDecodeError):
        _replaced[0] += max(exc.end - exc.start, 1)
        return ("\ufffd", exc.end)
    raise exc


_ERRORS = "auditor-loader-count-replace"
codecs.register_error(_ERRORS, _count_replace)


def sniff_encoding(head: bytes) -> tuple[str, str]:
    """(codec, note) from the first bytes: BOMs first, then the UTF-16 NUL pattern."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "UTF-8 with BOM"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", "UTF-16LE"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", "UTF-16BE"
    sample = head[:_SNIFF]
    if len(sample) >= 4:
        half = len(sample) // 2
        odd_nuls = sample[1::2].count(0)
        even_nuls = sample[0::2].count(0)
        if odd_nuls > 0.6 * half and even_nuls < 0.1 * half:
            return "utf-16-le", "UTF-16LE without BOM"
        if even_nuls > 0.6 * half and odd_nuls < 0.1 * half:
            return "utf-16-be", "UTF-16BE without BOM"
    return "utf-8", ""


def _strip_nul(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line.replace("\x00", "") if "\x00" in line else line


def decode_all(raw: bytes) -> tuple[str, int]:
    """Whole small file (articles, odd files) to text; returns (text, undecodable byte count)."""
    codec, _ = sniff_encoding(raw[:_SNIFF])
    before = _replaced[0]
    text = raw.decode(codec, _ERRORS)
    return text.replace("\x00", ""), _replaced[0] - before


class Records:
    """Iterate a CSV entry's non-blank records (lists of fields) in one streaming pass.

    After iteration: `replaced` holds the undecodable byte count, `error` a csv error that
    stopped reading early (its record is not yielded), `note` the encoding/delimiter note.
    """

    def __init__(self, stream: IO[bytes], *, escapechar: str | None = None) -> None:
        csv.field_size_limit(_FIELD_LIMIT)
        head = stream.read(_SNIFF)
        codec, note = sniff_encoding(head)
        first_text = head.decode(codec, "replace").lstrip("\ufeff")
        first_line = first_text.split("\n", 1)[0]
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
        if delimiter == "\t":
            note = (note + ", " if note else "") + "tab-separated"
        self.note = note
        self.codec = codec
        self.replaced = 0
        self.error = ""
        self._escapechar = escapechar
        self._delimiter = delimiter
        # In UTF-8 a 0x00 byte is always NUL, so strip it from the bytes (cheap, in C); UTF-16
        # files (old and small) are stripped line by line after decoding instead.
        self._byte_nul = codec.startswith("utf-8")
        raw = _Prefixed(head, stream, strip_nul=self._byte_nul)
        self._text = io.TextIOWrapper(
            io.BufferedReader(raw, buffer_size=1 << 16), encoding=codec, errors=_ERRORS, newline=""
        )

    def __iter__(self) -> Iterator[list[str]]:
        before = _replaced[0]
        lines: Iterable[str] = self._text if self._byte_nul else _strip_nul(self._text)
        reader = csv.reader(
            lines,
            delimiter=self._delimiter,
            escapechar=self._escapechar,
            doublequote=True,
            strict=False,
        )
        try:
            for rec in reader:
                if not rec or (len(rec) == 1 and not rec[0].strip()):
                    continue
                yield rec
        except csv.Error as exc:
            self.error = f"CSV error at line {reader.line_num}: {str(exc).split(':')[0]}"
        finally:
            self.replaced = _replaced[0] - before


class _Prefixed(io.RawIOBase):
    """The sniffed head followed by the rest of the stream (zip streams are not peekable)."""

    def __init__(self, head: bytes, rest: IO[bytes], *, strip_nul: bool) -> None:
        self._head = head
        self._rest = rest
        self._strip = strip_nul

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            data = self._head[: len(buffer)]
            self._head = self._head[len(data) :]
        else:
            data = self._rest.read(len(buffer))
        if self._strip and b"\0" in data:
            data = data.replace(b"\0", b"")
            if not data:  # a chunk of only NULs: read on, an empty result would mean EOF
                return self.readinto(buffer)
        n = len(data)
        buffer[:n] = data
        return n
