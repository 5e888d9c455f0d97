"""Assemble a whole synthetic export of one vintage and write it as a zip or a folder."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Literal, TextIO

from auditor.synth import files, formats, messages, people
from auditor.synth.files import Ctx
from auditor.synth.sinks import Entry, write_dir, write_zip

Style = Literal["2026", "2025", "2024", "2021", "2018"]

KINDS_2018: tuple[str, ...] = ("member",) * 25 + ("inmail",) * 5 + ("group",) * 2 + ("premium",)


@dataclass(frozen=True, slots=True)
class StyleSpec:
    """Everything that differs between export vintages."""

    style: Style
    export_name: str  # zip stem or folder name
    messages_name: str
    header: tuple[str, ...]
    row: formats.RowFn
    quote_all: bool
    keep_newlines: bool
    start: datetime
    end: datetime
    zip_time: tuple[int, int, int, int, int, int]
    kinds: tuple[str, ...] = messages.KIND_BLOCK
    drafts_col: bool = False
    attachments: bool = False
    comments_backslash: bool = False


SPECS: dict[str, StyleSpec] = {
    "2026": StyleSpec(
        "2026",
        "Complete_LinkedInDataExport_02-14-2026",
        "messages.csv",
        formats.COLS_11,
        formats.row_11,
        quote_all=True,
        keep_newlines=True,
        start=datetime(2021, 1, 4),
        end=datetime(2026, 2, 13, 18),
        zip_time=(2026, 2, 14, 9, 30, 0),
        attachments=True,
        comments_backslash=True,
    ),
    "2025": StyleSpec(
        "2025",
        "Complete_LinkedInDataExport_08-26-2025",
        "messages.csv",
        formats.COLS_11,
        formats.row_11,
        quote_all=False,
        keep_newlines=False,
        start=datetime(2021, 1, 4),
        end=datetime(2025, 8, 25, 18),
        zip_time=(2025, 8, 26, 9, 30, 0),
        attachments=True,
    ),
    "2024": StyleSpec(
        "2024",
        "Complete_LinkedInDataExport_12-20-2024",
        "messages.csv",
        formats.COLS_12,
        formats.row_12,
        quote_all=False,
        keep_newlines=False,
        start=datetime(2021, 1, 4),
        end=datetime(2024, 12, 19, 18),
        zip_time=(2024, 12, 20, 9, 30, 0),
        drafts_col=True,
    ),
    "2021": StyleSpec(
        "2021",
        "Basic_LinkedInDataExport_03-14-2021",
        "messages.csv",
        formats.COLS_9,
        formats.row_9,
        quote_all=False,
        keep_newlines=False,
        start=datetime(2019, 1, 7),
        end=datetime(2021, 3, 13, 18),
        zip_time=(2021, 3, 14, 9, 30, 0),
    ),
    "2018": StyleSpec(
        "2018",
        "Basic_LinkedInDataExport_10-16-2018",
        "Messages.csv",
        formats.COLS_2018,
        formats.row_2018,
        quote_all=False,
        keep_newlines=False,
        start=datetime(2016, 1, 11),
        end=datetime(2018, 10, 15, 18),
        zip_time=(2018, 10, 16, 9, 30, 0),
        kinds=KINDS_2018,
    ),
}


def messages_entry(spec: StyleSpec, n: int, seed: int, member: people.Person) -> Entry:
    """messages.csv, generated row by row while it is written (never all in memory)."""

    def write(out: TextIO) -> None:
        gen = messages.generate_messages(
            n,
            seed=seed,
            member=member,
            start=spec.start,
            end=spec.end,
            drafts_col=spec.drafts_col,
            attachments=spec.attachments,
            kinds=spec.kinds,
        )
        keep, row = spec.keep_newlines, spec.row
        formats.write_rows(out, spec.header, (row(m, keep) for m in gen), quote_all=spec.quote_all)

    return Entry(spec.messages_name, write)


def other_entries(spec: StyleSpec, ctx: Ctx) -> list[Entry]:
    """The files besides messages that an export of this vintage carries."""
    if spec.style == "2018":
        return [
            files.connections(ctx, with_url=False, preamble=False),
            files.invitations(ctx, columns=5),
            files.profile(ctx, v2018=True),
            files.registration(ctx, v2018=True),
            files.phone_numbers(ctx, v2018=True),
            files.shares_2018(ctx),
            files.logins(ctx, v2018=True),
            files.search_queries(ctx, v2018=True),
            files.ad_targeting(ctx, v2018=True),
            files.rich_media_2018(ctx),
        ]
    if spec.style == "2021":
        return [
            files.connections(ctx, with_url=False),
            files.invitations(ctx),
            files.profile(ctx),
            files.shares(ctx, v2021=True),
            files.comments(ctx),
        ]
    return [
        *files.sibling_files(ctx),
        files.connections(ctx, with_url=True),
        files.invitations(ctx),
        files.profile(ctx),
        files.profile_summary(ctx),
        files.positions(ctx),
        *files.receipts(ctx),
        files.registration(ctx),
        files.shares(ctx),
        files.comments(ctx),
        files.reactions(ctx),
        files.rich_media(ctx),
        *files.recommendations(ctx),
        *files.jobs(ctx),
        files.inferences(ctx),
        files.ad_targeting(ctx),
        files.email_addresses(ctx),
        files.phone_numbers(ctx),
        files.article(ctx),
        files.logins(ctx),
        files.search_queries(ctx),
        files.skills(ctx),
        files.duolingo(ctx),
    ]


def write_spec(
    dest: Path, spec: StyleSpec, *, n_messages: int, seed: int, as_zip: bool, member: str
) -> Path:
    """Write one export. A zip goes to `dest`, or into `dest` under the export's usual name when
    `dest` is an existing folder; a folder export is written into `dest` itself."""
    if n_messages < 0:
        raise ValueError("n_messages must be >= 0")
    if as_zip and dest.is_dir():
        dest = dest / f"{spec.export_name}.zip"
    person = people.member_person(member)
    ctx = Ctx(
        member=person,
        seed=seed,
        start=spec.start,
        end=spec.end,
        quote_all=spec.quote_all,
        keep_newlines=spec.keep_newlines,
        backslash_quotes=spec.comments_backslash,
    )
    entries = [messages_entry(spec, n_messages, seed, person), *other_entries(spec, ctx)]
    if as_zip:
        return write_zip(dest, entries, spec.zip_time)
    return write_dir(dest, entries)


def spec_for(style: str, **changes: object) -> StyleSpec:
    if style not in SPECS:
        raise ValueError(f"unknown export style {style!r}; expected one of {sorted(SPECS)}")
    return replace(SPECS[style], **changes)  # type: ignore[arg-type]
