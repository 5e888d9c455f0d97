"""Read every entry of every input, then merge inputs and infer each message's direction."""

from __future__ import annotations

import io
import itertools
import os
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO

from auditor.errors import AuditError
from auditor.loader.archive import ArchiveReadError, Entry, Limits, Source, open_source
from auditor.loader.common import FileAcc, InputResult
from auditor.loader.content import (
    SPECS,
    read_article,
    read_comments,
    read_content,
    read_invitations,
    read_profile,
    read_screening,
)
from auditor.loader.csvread import Records, decode_all
from auditor.loader.facts import (
    count_rows,
    read_ad_targeting,
    read_connections,
    read_inferences,
    read_receipts,
    read_registration,
)
from auditor.loader.files import Family, by_header, by_name
from auditor.loader.messages import DirectionRule, iter_read_messages
from auditor.loader.text import normalise_url
from auditor.models import (
    AccountFacts,
    ContentItem,
    Direction,
    Export,
    FileKind,
    Message,
    PremiumEvidence,
)

__all__ = ["load"]

_SMALL = 1024  # files this small are read whole, to spot "No conversations found"
_NO_CONVERSATIONS = "no conversations found"
_HEADER_PEEK = 5

_KIND: dict[Family, FileKind] = {
    "messages": "messages",
    "coach_messages": "messages",
    "connections": "facts",
    "registration": "facts",
    "receipts": "facts",
    "inferences": "facts",
    "ad_targeting": "facts",
    "other": "other",
    "unknown": "unknown",
}


def _kind(fam: Family) -> FileKind:
    return _KIND.get(fam, "content")


def _dispatch(
    fam: Family,
    acc: FileAcc,
    records: Iterator[list[str]],
    result: InputResult,
    every: int,
    rule: DirectionRule | None,
) -> Iterator[None]:
    """Read one file's records into `result`; message readers yield every `every` rows."""
    if fam in ("messages", "coach_messages"):
        header = next(records, None)
        if header is not None:
            yield from iter_read_messages(
                acc,
                header,
                records,
                result.messages,
                result.hints,
                coach_file=fam == "coach_messages",
                direction=rule or DirectionRule(result.mine, result.member_name),
                every=every,
            )
    elif fam == "comments":
        read_comments(acc, records, result.content)
    elif fam == "profile":
        names = read_profile(acc, records, result.content)
        if names and not result.member_name:
            result.member_name = names[0]
    elif fam == "invitations":
        result.inviter_urls.extend(read_invitations(acc, records, result.content))
    elif fam in SPECS:
        read_content(acc, SPECS[fam], records, result.content)
    elif fam == "screening_answers":
        read_screening(acc, records, result.content)
    elif fam == "connections":
        read_connections(acc, records, result)
    elif fam == "registration":
        read_registration(acc, records, result)
    elif fam == "receipts":
        read_receipts(acc, records, result)
    elif fam == "inferences":
        read_inferences(acc, records, result)
    elif fam == "ad_targeting":
        read_ad_targeting(acc, records, result)
    else:
        count_rows(acc, records)


def _peek_family(records: Iterator[list[str]]) -> tuple[Family, Iterator[list[str]]]:
    """Recognise a file with an unfamiliar name from one of its first records (its header,
    possibly after a preamble as in Connections.csv)."""
    head = list(itertools.islice(records, _HEADER_PEEK))
    for k, rec in enumerate(head):
        fam = by_header(rec)
        if fam != "unknown":
            # Only Connections.csv has a preamble its reader skips; elsewhere drop it here.
            return fam, itertools.chain(head if fam == "connections" else head[k:], records)
    return "unknown", itertools.chain(head, records)


def _load_entry(
    src: Source,
    entry: Entry,
    result: InputResult,
    every: int = 0,
    rule: DirectionRule | None = None,
) -> Iterator[None]:
    """Read one entry into `result`; yields while reading messages (see `iter_read_messages`).

    `rule`, when given, decides message directions instead of what the input knows so far (a
    streaming re-read that already knows the member's URLs)."""
    fam = by_name(entry.name)
    lower = entry.name.lower()
    acc = FileAcc(entry.name, _kind(fam), src.label, understood=fam != "unknown")
    try:
        if fam == "article":
            with entry.open() as fh:
                text, replaced = decode_all(fh.read())
            if replaced:
                acc.file_issue(f"{replaced} undecodable bytes replaced")
            read_article(acc, text, result.content)
        elif not lower.endswith(".csv"):
            acc.note("not a CSV file")
        else:
            yield from _load_csv(entry, fam, acc, result, every, rule)
    except ArchiveReadError as exc:
        where = "corrupt zip member" if src.is_zip else "cannot read"
        raise AuditError(f"{src.label}: {where} {entry.name!r} ({exc})") from exc
    except AuditError:
        raise
    except Exception as exc:  # a reader bug on odd bytes must cost one file, not the run
        acc.rejected = acc.read - acc.loaded
        acc.file_issue(f"stopped reading after row {acc.read}: {type(exc).__name__}", True)
    result.add(acc)


def _load_csv(
    entry: Entry,
    fam: Family,
    acc: FileAcc,
    result: InputResult,
    every: int,
    rule: DirectionRule | None,
) -> Iterator[None]:
    stream: IO[bytes] = entry.open()
    with stream:
        escapechar = None
        if entry.size <= _SMALL or fam == "comments":
            raw = stream.read()
            if entry.size <= _SMALL and len(raw) <= _SMALL * 4:
                text, _ = decode_all(raw)
                if text.strip().lower() == _NO_CONVERSATIONS:
                    acc.kind, acc.understood = "empty", True
                    acc.note("No conversations found")
                    return
            # Comments.csv in 2026 escapes quotes as \" instead of "".
            if fam == "comments" and b'\\"' in raw:
                escapechar = "\\"
                acc.note('\\" quote escapes')
            stream = io.BytesIO(raw)
        recs = Records(stream, escapechar=escapechar)
        acc.note(recs.note)
        records = iter(recs)
        if fam == "unknown":
            fam, records = _peek_family(records)
            if fam != "unknown":
                acc.kind, acc.understood = _kind(fam), True
                acc.note("recognised by its header")
        yield from _dispatch(fam, acc, records, result, every, rule)
        if recs.error:
            acc.read += 1
            acc.reject(acc.read, recs.error)
        if recs.replaced:
            acc.file_issue(f"{recs.replaced} undecodable bytes replaced")
        if entry.size == 0:
            acc.note("empty file")


def _load_source(src: Source, known: frozenset[str]) -> InputResult:
    """Profile and Invitations first: they tell whose messages are whose before messages are
    read, so directions are right in one pass in the common case."""
    result = InputResult(src.label)
    for _ in iter_load_source(src, known, result):
        pass
    return result


def iter_load_source(
    src: Source,
    known: frozenset[str],
    result: InputResult,
    *,
    every: int = 0,
    rule: DirectionRule | None = None,
) -> Iterator[None]:
    """`_load_source` into `result`, yielding every `every` messages read (never when 0) so a
    streaming caller can take `result.messages`/`result.hints` and clear them."""
    first = [e for e in src.entries if by_name(e.name) in ("profile", "invitations")]
    rest = [e for e in src.entries if by_name(e.name) not in ("profile", "invitations")]
    for entry in first:
        yield from _load_entry(src, entry, result, every, rule)
    result.mine = known | frozenset(normalise_url(u) for u in result.inviter_urls)
    for entry in rest:
        yield from _load_entry(src, entry, result, every, rule)
    # Back to the input's own file order for reports, issues and content.
    pos = {e.name: i for i, e in enumerate(src.entries)}
    result.reports.sort(key=lambda f: pos.get(f.path, 0))
    result.issues.sort(key=lambda i: pos.get(i.file, 0))
    result.content.sort(key=lambda c: pos.get(c.source_file, 0))
    for path, reason in src.skipped:  # listed, so the member sees what was not read, and why
        acc = FileAcc(path, "other", src.label, understood=False)
        acc.note(reason)
        acc.file_issue(reason)
        result.add(acc)


# --- merging inputs and inferring direction ---------------------------------------------------


@dataclass(slots=True)
class MemberEvidence:
    """What the member's-URL inference looks at in the messages, reduced to distinct values, so
    the streaming loader can gather it chunk by chunk and decide the same way (`urls`)."""

    # (recipient name casefolded, recipient URL) of one-to-one messages, first-seen order
    pairs: dict[tuple[str, str], None] = field(default_factory=dict)
    # sender URL -> conversations it wrote in; all conversations (the fallback's evidence)
    convs: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    all_convs: set[str] = field(default_factory=set)

    def add(self, m: Message) -> None:
        urls = m.recipient_urls
        if len(urls) == 1 and len(m.recipients) == 1:
            self.pairs.setdefault((m.recipients[0].casefold(), urls[0]), None)
        if m.conversation_id:
            self.all_convs.add(m.conversation_id)
            if m.sender_url:
                self.convs[m.sender_url].add(m.conversation_id)

    def urls(self, results: list[InputResult], name: str) -> tuple[str, ...]:
        """The member's own profile URL(s), by FORMAT.md's signs, strongest first."""
        found: dict[str, str] = {}
        for r in results:
            for url in r.inviter_urls:
                found.setdefault(normalise_url(url), url)
        if name:
            key = name.strip().casefold()
            for rec, url in self.pairs:  # distinct pairs: each URL at most once per name
                if rec == key:
                    found.setdefault(normalise_url(url), url)
        if found:
            return tuple(found.values())
        # Fallback: the sender present in most conversations, if in at least half of them.
        if len(self.all_convs) < 2 or not self.convs:
            return ()
        ranked = Counter({u: len(c) for u, c in self.convs.items()}).most_common(2)
        top, top_n = ranked[0]
        if top_n * 2 >= len(self.all_convs) and (len(ranked) == 1 or ranked[1][1] < top_n):
            return (top,)
        return ()


def _member_urls(results: list[InputResult], messages: list[Message], name: str) -> tuple[str, ...]:
    """The member's own profile URL(s) (see `MemberEvidence.urls`)."""
    evidence = MemberEvidence()
    for m in messages:
        evidence.add(m)
    return evidence.urls(results, name)


def _redirect(r: InputResult, mine: frozenset[str], name: str) -> list[Message]:
    """Re-derive directions of an input read with less knowledge of the member's URLs."""
    if r.mine == mine and r.member_name == name:
        return r.messages
    rule = DirectionRule(mine, name)
    out = []
    for m, hint in zip(r.messages, r.hints, strict=True):
        d = rule(hint, m.sender, m.sender_url, m.kind)
        out.append(m if d == m.direction else _with_direction(m, d))
    return out


def _with_direction(m: Message, d: Direction) -> Message:
    """`dataclasses.replace` without its per-call introspection (this runs per message)."""
    return Message(
        m.source_file, m.source_row, m.conversation_id, m.conversation_title, m.sender,
        m.sender_url, m.recipients, m.recipient_urls, m.date, m.subject, m.content, m.folder,
        m.attachments, m.is_draft, d, m.kind,
    )  # fmt: skip


def _merge(results: list[InputResult]) -> Export:
    name = next((r.member_name for r in results if r.member_name), "")
    urls = _member_urls(results, [m for r in results for m in r.messages], name)
    mine = frozenset(normalise_url(u) for u in urls)

    dup = 0
    seen_prev: set[tuple[object, ...]] = set()
    messages: list[Message] = []
    if len(results) == 1:
        messages = _redirect(results[0], mine, name)
    for r in results if len(results) > 1 else ():
        keys = set()
        for m in _redirect(r, mine, name):
            key = (m.conversation_id, m.sender, m.date, m.content, m.subject)
            if key in seen_prev:
                dup += 1
                continue
            keys.add(key)
            messages.append(m)
        seen_prev |= keys

    return assemble(results, name, urls, tuple(messages), dup)


def assemble(
    results: list[InputResult],
    name: str,
    urls: tuple[str, ...],
    messages: tuple[Message, ...],
    dup: int,
) -> Export:
    """The Export of merged inputs, given their merged messages (also used by the stream)."""
    content: list[ContentItem] = []
    seen_content: set[tuple[object, ...]] = set()
    for r in results:
        ckeys = set()
        for c in r.content:
            ckey = (c.kind, c.date, c.text, c.title)
            if ckey not in seen_content:
                content.append(c)
                ckeys.add(ckey)
        seen_content |= ckeys

    premium: dict[tuple[str, object], PremiumEvidence] = {}
    for r in results:
        for p in r.premium:
            premium.setdefault((p.description, p.date), p)
    account = AccountFacts(
        member_name=name,
        member_urls=urls,
        premium=tuple(premium.values()),
        connections=max((r.connections for r in results), default=0),
        registered_at=next((r.registered_at for r in results if r.registered_at), None),
        subscription_types=next(
            (r.subscription_types for r in results if r.subscription_types), ""
        ),
        inferences=tuple(next((r.inferences for r in results if r.inferences), [])),
        ad_targeting=tuple(next((r.ad_targeting for r in results if r.ad_targeting), [])),
    )
    return Export(
        inputs=tuple(r.label for r in results),
        messages=messages,
        content=tuple(content),
        files=tuple(f for r in results for f in r.reports),
        issues=tuple(i for r in results for i in r.issues),
        account=account,
        duplicates_merged=dup,
    )


def load(paths: Sequence[str | os.PathLike[str]], limits: Limits) -> Export:
    if not paths:
        raise AuditError("no input given: pass a LinkedIn export zip or folder")
    results: list[InputResult] = []
    known: frozenset[str] = frozenset()
    # One canonical order, so that A B and B A give the same export byte for byte: which copy of
    # a duplicate is kept, the order of messages and files, and what each input learns from the
    # ones before it about the member's URLs all depend on it.
    for path in sorted(paths, key=os.fspath):
        with open_source(path, limits) as src:
            results.append(_load_source(src, known))
        known = results[-1].mine
    return _merge(results)
