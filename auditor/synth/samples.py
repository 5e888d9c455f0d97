"""The committed sample exports in sample_exports/: what a new user runs first."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from auditor.synth.export import spec_for, write_spec

MEMBER = "Alex Morgan"
ZIP_2025 = "Complete_LinkedInDataExport_08-26-2025.zip"
FOLDER_2021 = "LinkedInDataExport_2021"
INNER_2021 = "Basic_LinkedInDataExport_03-14-2021"
ZIP_2018 = "Basic_LinkedInDataExport_10-16-2018.zip"
SAMPLE_NAMES = (ZIP_2025, FOLDER_2021, ZIP_2018, "README.md")

README = """\
# Sample exports

Synthetic LinkedIn data exports of a fictional member, **Alex Morgan** (Senior Product Manager
at the made-up Brightpath Labs, Berlin). Every person, company, URL, phone number (555-01xx),
e-mail address, IBAN and card number in them is invented; card numbers are public test
numbers and the "AWS keys" end in `EXAMPLE`. They follow the real file shapes described in
the project's export-format notes, quirks included, so the tool can be tried without a real
export.

- `Complete_LinkedInDataExport_08-26-2025.zip`: the 2026 message format (11 columns, every
  field quoted, real newlines in CONTENT) and the full set of other files; {n_2025} messages
  from 2021-01 to 2025-08.
- `LinkedInDataExport_2021/Basic_LinkedInDataExport_03-14-2021/`: a 2021 export as a user
  unzipped it, nested one level; 9-column `messages.csv` with line breaks flattened to spaces;
  {n_2021} messages from 2019 to 2021-03.
- `Basic_LinkedInDataExport_10-16-2018.zip`: 2018 style, `Messages.csv` with Direction and
  Folder, UTF-16 TAB-separated Shares/Logins/Search Queries/Ad Targeting; {n_2018} messages
  from 2016 to 2018-10.

The 2025 archive mixes ordinary chats, recruiter InMails, sponsored conversations and message
ads (spinmail HTML with unfilled `%FIRSTNAME%`), Premium marketing, group chats (one member is
"Jane Roe, PhD"), unsent drafts (empty conversation id, TO and FOLDER), system rows
(`Message request accepted`), empty contents with attachments, emoji and multi-line text.
About one message in five touches a sensitive topic (financing, job search, compensation,
health, immigration, legal, contact details, credentials, beliefs); the rest is small talk,
including harmless look-alikes ("raise a question", "job well done").

It also holds the sibling message files (`coach_messages.csv`, `learning_coach_messages.csv`,
`LearningCoachMessages.csv` = `No conversations found`, header-only `guide_messages.csv`), the
account files (Connections with its preamble, Invitations, Profile, Receipts, ...), the feed
files with their quirks (Shares' per-line quotes, Comments' unquoted continuation lines), Jobs/
files, an article and one file the tool does not know (`Duolingo.csv`).

Regenerate (byte-identical with the same Python and zlib):

    python -m auditor.synth --out sample_exports

Bigger exports for benchmarks: `auditor.synth.write_export(path, style="2026",
n_messages=1_000_000)`.
"""

SIZES = {"2025": 480, "2021": 170, "2018": 120}


def write_samples(out_dir: Path) -> list[Path]:
    """Write the three committed samples and their README into `out_dir` (replacing them)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = out_dir / FOLDER_2021
    if folder.exists():
        shutil.rmtree(folder)
    written = [
        write_spec(
            out_dir / ZIP_2025,
            spec_for(
                "2026",
                export_name=ZIP_2025.removesuffix(".zip"),
                end=datetime(2025, 8, 25, 18),
                zip_time=(2025, 8, 26, 9, 30, 0),
                comments_backslash=False,
            ),
            n_messages=SIZES["2025"],
            seed=2025,
            as_zip=True,
            member=MEMBER,
        ),
        write_spec(
            folder / INNER_2021,
            spec_for("2021"),
            n_messages=SIZES["2021"],
            seed=2021,
            as_zip=False,
            member=MEMBER,
        ).parent,
        write_spec(
            out_dir / ZIP_2018,
            spec_for("2018"),
            n_messages=SIZES["2018"],
            seed=2018,
            as_zip=True,
            member=MEMBER,
        ),
    ]
    readme = out_dir / "README.md"
    readme.write_text(
        README.format(n_2025=SIZES["2025"], n_2021=SIZES["2021"], n_2018=SIZES["2018"]),
        encoding="utf-8",
        newline="\n",
    )
    written.append(readme)
    return written
