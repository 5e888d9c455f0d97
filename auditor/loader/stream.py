"""The loader as a stream: an export's messages in chunks, in `load_export`'s order and with its
directions and cross-input dedupe, without ever holding all of them.

Directions need the member's own profile URL(s), which the simple loader infers after reading
every message (`export._member_urls`). The stream speculates instead: each input's messages are
read with what the input knows when they are read (Invitations.csv, the Profile name) — the
same rule the simple loader applies first — while the evidence `_member_urls` needs is gathered
on the way (small: distinct names/URLs, not messages). At the end `consistent` says whether the
speculation held, i.e. whether `load_export` would have re-derived any direction. When it did not
hold, the caller streams again with `knowledge` from the first pass, and gets exactly
`load_export`'s messages. It holds first time for each sample export and the synthetic ones
alone; it does not for an export whose member URL is only learnt from its messages (no
Invitations.csv), nor when an earlier input lacks what a later one teaches.

What stays in memory: content items (small), per-file accounting and issues, the evidence above,
and, with several inputs, a 16-byte hash per message of every input but the last (the
identical-message keys of `export._merge`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timezone

from auditor.errors import AuditError
from auditor.loader.archive import Limits, open_source
from auditor.loader.common import InputResult
from auditor.loader.export import MemberEvidence, assemble, iter_load_source
from auditor.loader.messages import DirectionRule
from auditor.loader.text import normalise_url
from auditor.models import Export, Message

__all__ = ["ExportStream", "Knowledge"]


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What a first pass learnt: the member's URLs and name, and which inputs (by position in
    the sorted inputs) must have their directions re-derived with them."""

    mine: frozenset[str]
    name: str
    redirect: frozenset[int]


def _key(m: Message) -> bytes:
    """16 bytes standing for `export._merge`'s identical-message key."""
    when = m.date
    if when is None:
        stamp = "-"
    elif when.tzinfo is None:
        stamp = "n" + when.isoformat()
    else:  # aware datetimes are equal when they are the same instant
        stamp = "a" + when.astimezone(timezone.utc).isoformat()
    parts = (m.conversation_id, m.sender, stamp, m.content, m.subject)
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


class ExportStream:
    """Iterate to get the export's messages in chunks of about `chunk`; afterwards `export` is
    the Export without its messages (`messages` is empty; `message_count` has their number),
    and `consistent`/`knowledge` say whether a second pass is needed (see the module doc)."""

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]],
        limits: Limits,
        *,
        chunk: int = 20_000,
        knowledge: Knowledge | None = None,
    ) -> None:
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        if not paths:
            raise AuditError("no input given: pass a LinkedIn export zip or folder")
        self._paths = sorted(paths, key=os.fspath)
        self._limits = limits
        self._chunk = max(1, chunk)
        self._knowledge = knowledge
        self.member_name = knowledge.name if knowledge is not None else ""
        self.message_count = 0
        self.duplicates_merged = 0
        self._results: list[InputResult] = []
        self._evidence = MemberEvidence()
        self._done = False
        self._export: Export | None = None
        self._final: Knowledge | None = None
        self._consistent = False
        self._names_used: set[str] = set()  # member names in effect when chunks were yielded

    @property
    def export(self) -> Export:
        if self._export is None:
            raise RuntimeError("ExportStream: iterate it to the end first")
        return self._export

    @property
    def knowledge(self) -> Knowledge:
        if self._final is None:
            raise RuntimeError("ExportStream: iterate it to the end first")
        return self._final

    @property
    def consistent(self) -> bool:
        """True when the messages streamed are exactly `load_export`'s (directions included)
        and `member_name` was the export's member name from the first chunk on."""
        self.knowledge  # noqa: B018 - raises before the end
        return self._consistent

    def __iter__(self) -> Iterator[list[Message]]:
        if self._done:
            raise RuntimeError("ExportStream: can be iterated once")
        self._done = True
        several = len(self._paths) > 1
        prev: set[bytes] = set()
        out: list[Message] = []
        known: frozenset[str] = frozenset()
        know = self._knowledge
        ev = self._evidence
        pairs = ev.pairs
        for pos, path in enumerate(self._paths):
            result = InputResult("")
            cur: set[bytes] = set()
            last = pos == len(self._paths) - 1
            with open_source(path, self._limits) as src:
                result.label = src.label
                rule = None
                if know is not None and pos in know.redirect:
                    rule = DirectionRule(know.mine, know.name)
                reading = iter_load_source(src, known, result, every=self._chunk, rule=rule)
                while True:
                    more = next(reading, False) is None
                    if know is None and not self.member_name:
                        self.member_name = result.member_name
                    batch = result.messages[:]
                    result.messages.clear()
                    result.hints.clear()
                    # The most-frequent-sender fallback of `_member_urls` is only needed while
                    # no inviter URL is known anywhere.
                    fallback = not result.inviter_urls and not any(
                        r.inviter_urls for r in self._results
                    )
                    for m in batch:
                        # `MemberEvidence.add`, inline (this loop runs per message), without
                        # the senders once they cannot matter.
                        urls = m.recipient_urls
                        if len(urls) == 1 and len(m.recipients) == 1:
                            pair = (m.recipients[0].casefold(), urls[0])
                            if pair not in pairs:
                                pairs[pair] = None
                        if fallback and m.conversation_id:
                            ev.all_convs.add(m.conversation_id)
                            if m.sender_url:
                                ev.convs[m.sender_url].add(m.conversation_id)
                        if several:
                            k = _key(m)
                            if k in prev:
                                self.duplicates_merged += 1
                                continue
                            if not last:
                                cur.add(k)
                        out.append(m)
                    while len(out) >= self._chunk:
                        self.message_count += self._chunk
                        self._names_used.add(self.member_name)
                        yield out[: self._chunk]
                        del out[: self._chunk]
                    if not more:
                        break
            self._results.append(result)
            prev |= cur
            known = result.mine
        if out:
            self.message_count += len(out)
            self._names_used.add(self.member_name)
            yield out
        self._finish()

    def _finish(self) -> None:
        results = self._results
        name = next((r.member_name for r in results if r.member_name), "")
        urls = self._evidence.urls(results, name)
        mine = frozenset(normalise_url(u) for u in urls)
        if self._knowledge is not None:
            redirect = self._knowledge.redirect
            self._consistent = True
        else:
            redirect = frozenset(
                i for i, r in enumerate(results) if r.mine != mine or r.member_name != name
            )
            self._consistent = not redirect and self._names_used <= {name}
        self._final = Knowledge(mine, name, redirect)
        self._export = assemble(results, name, urls, (), self.duplicates_merged)
