"""Synthetic LinkedIn exports built in code, in every vintage of FORMAT.md (no real data).

`rich_export()` is one member's complete 2025/2026-style export touching every reader; the
`messages_<vintage>()` builders give messages.csv in each header vintage. `write_zip` and
`write_folder` turn a {path: bytes} mapping into the two input forms.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

ME = "Alex Member"
ME_URL = "https://www.linkedin.com/in/alex-member-1a2b"
BOB_URL = "https://www.linkedin.com/in/bob-other"
JANE_URL = "https://www.linkedin.com/in/jane-roe,phd-77"  # a comma inside a URL
RECRUITER_URL = "https://www.linkedin.com/in/rita-recruiter"

Files = dict[str, bytes]


def csv_bytes(
    header: Sequence[str] | None,
    rows: Iterable[Sequence[str]],
    *,
    quote_all: bool = False,
    encoding: str = "utf-8",
    delimiter: str = ",",
    lineterminator: str = "\n",
    final_newline: bool = True,
) -> bytes:
    """Write rows like LinkedIn does (minimal quoting unless quote_all)."""
    buf = io.StringIO()
    w = csv.writer(
        buf,
        delimiter=delimiter,
        lineterminator=lineterminator,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    if header is not None:
        w.writerow(header)
    for r in rows:
        w.writerow(r)
    text = buf.getvalue()
    if not final_newline:
        text = text.rstrip("\r\n")
    return text.encode(encoding)


def utf16_tab(header: Sequence[str], rows: Iterable[Sequence[str]], *, bom: bool = True) -> bytes:
    """2018 style: UTF-16LE with BOM, TAB-separated, every field quoted."""
    data = csv_bytes(header, rows, quote_all=True, delimiter="\t", lineterminator="\r\n")
    text = data.decode("utf-8")
    return (b"\xff\xfe" if bom else b"") + text.encode("utf-16-le")


def write_zip(files: Files, path: Path, *, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """All entries at the root, sub-folders only as name prefixes, no directory entries."""
    with zipfile.ZipFile(path, "w", compression=compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def zip_bytes(files: Files) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def write_folder(files: Files, root: Path, *, nest: str = "") -> Path:
    """Unzipped form; `nest` puts the export one level down (`Export_X/Export_X/...`)."""
    base = root / nest if nest else root
    for name, data in files.items():
        p = base / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    return root


# --- messages in every vintage ------------------------------------------------------------------

H2018 = ["From", "To", "Date", "Subject", "Content", "Direction", "Folder"]
H2020 = [h.upper() for h in H2018]
H2021 = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "DATE",
    "SUBJECT", "CONTENT", "FOLDER",
]  # fmt: skip
H2023 = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
]  # fmt: skip
H2024 = [*H2023, "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"]
H2025 = [*H2023, "ATTACHMENTS"]


def messages_2018() -> bytes:
    rows = [
        ["Bob Other", ME, "10/16/18, 8:36 AM", "", "Hi Alex, how are you?", "INCOMING", "INBOX"],
        [ME, "Bob Other", "10/16/18, 9:02 PM", "", "Fine, thanks!", "OUTGOING", "SENT"],
        ["Rita Recruiter", ME, "3/2/18, 11:15 AM", "Opportunity", "A role for you", "INCOMING",
         "INBOX"],
        ["Bob Other", ME, "not a date", "", "Odd row", "INCOMING", "ARCHIVED"],
    ]  # fmt: skip
    return csv_bytes(H2018, rows)


def messages_2020() -> bytes:
    rows = [
        ["Bob Other", ME, "2019-11-06T02:08:20", "", "Old style message", "INCOMING", "INBOX"],
        [ME, "Bob Other", "2019-11-06T03:00:00", "", "Reply", "OUTGOING", "INBOX"],
    ]
    return csv_bytes(H2020, rows)


def messages_2021() -> bytes:
    rows = [
        ["2-abc", "", "Bob Other", BOB_URL, ME, "2021-05-01 10:00:00 UTC", "", "Hello", "INBOX"],
        ["2-abc", "", ME, ME_URL, "Bob Other", "2021-05-01 10:05:00 UTC", "", "Hi", "INBOX"],
    ]
    return csv_bytes(H2021, rows)


def messages_2023() -> bytes:
    rows = [
        ["2-c1", "", "Bob Other", BOB_URL, ME, ME_URL, "2023-02-01 09:00:00 UTC", "", "Ping",
         "INBOX"],
        ["2-c1", "", ME, ME_URL, "Bob Other", BOB_URL, "2023-02-01 09:01:00 UTC", "", "Pong",
         "INBOX"],
    ]  # fmt: skip
    return csv_bytes(H2023, rows)


def messages_2024() -> bytes:
    rows = [
        ["2-d1", "", ME, ME_URL, "Bob Other", BOB_URL, "2024-10-01 09:00:00 UTC", "", "Draft text",
         "INBOX", "Yes", "No"],
        ["2-d1", "", "Bob Other", BOB_URL, ME, ME_URL, "2024-09-30 09:00:00 UTC", "", "Earlier",
         "INBOX", "No", "No"],
    ]  # fmt: skip
    return csv_bytes(H2024, rows)


def messages_2025() -> bytes:
    rows = [
        ["2-e1", "", "Bob Other", BOB_URL, ME, ME_URL, "2025-03-01 09:00:00 UTC", "", "",
         "INBOX", "https://www.linkedin.com/dms/prv/image/abc"],
        ["2-e1", "", ME, ME_URL, "Bob Other", BOB_URL, "2025-03-01 08:00:00 UTC", "",
         "words   flattened   line breaks", "INBOX", ""],
    ]  # fmt: skip
    return csv_bytes(H2025, rows)


def messages_2026_rows() -> list[list[str]]:
    """The rich export's messages: one row per kind and quirk (2026: every field quoted)."""
    spin = (
        '<p class="spinmail-quill-editor__spin-break">Hi %FIRSTNAME%,</p>'
        "<p>Grow with <strong>Premium</strong> &amp; more&nbsp;today</p>"
    )
    return [
        # 1 ordinary received, real newline inside (2026)
        ["2-m1", "", "Bob Other", BOB_URL, ME, ME_URL, "2026-01-05 10:00:00 UTC", "",
         "Line one\nLine two <https://example.org/x>", "INBOX", ""],
        # 2 ordinary sent
        ["2-m1", "", ME, ME_URL, "Bob Other", BOB_URL, "2026-01-05 11:00:00 UTC", "",
         "My reply", "INBOX", ""],
        # 3 group chat: names with ", PhD"; URLs containing commas
        ["2-g1", "Project group", "Bob Other", BOB_URL, f"{ME},Jane Roe, PhD,Carl Third",
         f"{ME_URL},{JANE_URL},https://www.linkedin.com/in/carl-third", "2026-01-06 10:00:00 UTC",
         "", "Group hello", "ARCHIVE", ""],
        # 4 InMail: subject == title, sender has URL
        ["2-i1", "Exciting role", "Rita Recruiter", RECRUITER_URL, ME, ME_URL,
         "2024-08-01 12:00:00 UTC", "Exciting role", "Would you consider a move?", "INBOX", ""],
        # 5 sponsored
        ["2-s1", "Sponsored Conversation", "LinkedIn Member", "", ME, ME_URL,
         "2025-02-02 12:00:00 UTC", "", spin, "INBOX", ""],
        # 6 message ad in a person's voice: spinmail HTML, empty URL
        ["2-s2", "Learn faster", "Sarah from LinkedIn", "", ME, ME_URL,
         "2025-02-03 12:00:00 UTC", "", spin, "INBOX", ""],
        # 7 marketing HTML without spinmail, empty sender URL
        ["2-l1", "", "LinkedIn Premium", "", ME, ME_URL, "2025-02-04 12:00:00 UTC", "",
         "<p>Try Premium</p><ul><li>One</li><li>Two &hellip;</li></ul>", "INBOX", ""],
        # 8 system row: empty FROM and TO
        ["2-m1", "", "", "", "", "", "2026-01-05 09:00:00 UTC", "", "Message request accepted",
         "INBOX", ""],
        # 9 coach title in messages.csv
        ["2-c9", "Learning Coach Conversation", "", "", ME, ME_URL, "2025-05-05 12:00:00 UTC",
         "", "Here is a [link](https://example.org)", "INBOX", ""],
        # 10 unsent draft: empty conversation id, TO and folder
        ["", "", ME, ME_URL, "", "", "2026-01-07 12:00:00 UTC", "", "Unsent words", "", ""],
        # 11 unparseable date: kept with date None
        ["2-m1", "", "Bob Other", BOB_URL, ME, ME_URL, "sometime", "", "When?", "INBOX", ""],
        # 12 deleted member
        ["2-x1", "", "LinkedIn Member", "", ME, ME_URL, "2025-06-01 12:00:00 UTC", "",
         "Hi from a gone account", "INBOX", ""],
    ]  # fmt: skip


def messages_2026() -> bytes:
    return csv_bytes(H2025, messages_2026_rows(), quote_all=True)


# --- the rest of a complete export -------------------------------------------------------------

CONNECTIONS_PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address."\n'
    "\n"
)


def connections(*, preamble: bool = True, url_column: bool = True) -> bytes:
    header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position",
              "Connected On"]  # fmt: skip
    rows = [
        ["Bob", "Other", BOB_URL, "", "Acme", "Engineer", "16 Dec 2024"],
        ["", "", "", "", "", "", "14 Sep 2024"],  # hidden profile
        ["Jane", "Roe, PhD", JANE_URL, "", "Uni", "Prof", "01 Jan 2020"],
    ]
    if not url_column:
        header = [h for h in header if h != "URL"]
        rows = [[f for i, f in enumerate(r) if i != 2] for r in rows]
    body = csv_bytes(header, rows, final_newline=False).decode()
    return ((CONNECTIONS_PREAMBLE if preamble else "") + body).encode()


def shares() -> bytes:
    # After CSV decoding ShareCommentary reads: First line."\n""\n"Second line.
    commentary = 'First line."\n""\n"Second line.'
    return csv_bytes(
        ["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"],
        [
            ["2024-03-17 18:03:38", "https://www.linkedin.com/feed/1", commentary, "", "",
             "MEMBER_NETWORK"],
            ["2024-03-18 18:03:38", "https://www.linkedin.com/feed/2", "", "https://x", "",
             "MEMBER_NETWORK"],
            ["2024-03-19 18:03:38", "https://www.linkedin.com/feed/3", "Single line post", "", "",
             "MEMBER_NETWORK"],
        ],
        lineterminator="\r\n",
    )  # fmt: skip


def comments_2024() -> bytes:
    """A multi-line comment without commas written unquoted: continuation lines are records."""
    return (
        b"Date,Link,Message\r\n"
        b"2024-03-17 18:03:38,https://www.linkedin.com/feed/1,First line of comment\r\n"
        b"second line of comment\r\n"
        b"third line\r\n"
        b'2024-03-18 10:00:00,https://www.linkedin.com/feed/2,"Quoted, with comma"\r\n'
    )


def comments_2026() -> bytes:
    r"""2026 escapes quotes inside fields as \" instead of ""."""
    return (
        b'"Date","Link","Message"\n'
        b'"2026-01-02 10:00:00","https://www.linkedin.com/feed/9","He said \\"hi\\", then left"\n'
        b'"2026-01-03 10:00:00","https://www.linkedin.com/feed/10","Plain"\n'
    )


def invitations() -> bytes:
    return csv_bytes(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl",
         "inviteeProfileUrl"],
        [
            [ME, "Bob Other", "3/12/24, 11:20 AM", "Let's connect", "OUTGOING", ME_URL, BOB_URL],
            ["Jane Roe, PhD", ME, "3/13/24, 1:05 PM", "", "INCOMING", JANE_URL, ME_URL],
        ],
    )  # fmt: skip


def profile() -> bytes:
    return csv_bytes(
        ["First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
         "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites",
         "Instant Messengers"],
        [["Alex", "Member", "", "", "Mar 31", "Engineer at Acme", "I build things.\nAnd more.",
          "Software", "", "Berlin", "", "", ""]],
    )  # fmt: skip


def registration() -> bytes:
    return csv_bytes(
        ["Registered At", "Registration Ip", "Subscription Types"],
        [["5/1/09, 10:00 AM", "192.0.2.1", "Premium Career"]],
    )


def receipts() -> bytes:
    h = ["First Name", "Last Name", "Billing Country", "Postal Code", "Transaction Made At",
         "Payment Method Type", "Invoice Number", "Description", "Tax Amount", "Sub Total",
         "Total Amount", "Currency Code"]  # fmt: skip
    return csv_bytes(h, [["Alex", "Member", "DE", "", "11/22/21, 9:58 PM", "Card", "1",
                          "Premium Career", "1", "29", "30", "EUR"]])  # fmt: skip


def receipts_v2() -> bytes:
    h = ["First Name", "Last Name", "Billing Country", "Postal Code", "Transaction Made At",
         "Payment Method Type", "Invoice Number", "Description", "Tax Amount", "Sub Total",
         "Total Amount", "Currency Code"]  # fmt: skip
    return csv_bytes(h, [["Alex", "Member", "DE", "", "11/26/24 01:32 PM UTC", "Card", "2",
                          "Recruiter Lite (Monthly)", "1", "99", "100", "EUR"]])  # fmt: skip


def ad_targeting() -> bytes:
    h = ["Member Age", "Company Names", "Company Names", "Company Names", "Job Titles"]
    return csv_bytes(h, [["25 to 34", "Acme", "Globex", "", "Engineer; Lead"]])


def rich_export() -> Files:
    """One member's complete export, 2025/2026 style, touching every reader."""
    spinless = "<h1>My article</h1><p>Para one.</p><p>Para &amp; two.</p>"
    return {
        "messages.csv": messages_2026(),
        "learning_coach_messages.csv": csv_bytes(
            H2023,
            [
                [
                    "2-lc",
                    "Learning Coach Conversation",
                    "",
                    "",
                    ME,
                    ME_URL,
                    "2025-04-01 10:00:00 UTC",
                    "",
                    "Try [this course](https://example.org)",
                    "INBOX",
                ]
            ],
        ),
        "LearningCoachMessages.csv": b"No conversations found",
        "guide_messages.csv": csv_bytes(H2023, []),  # header-only
        "Connections.csv": connections(),
        "Profile.csv": profile(),
        "Profile Summary.csv": csv_bytes(["Profile Summary"], [["Summary text here"]]),
        "Invitations.csv": invitations(),
        "Shares.csv": shares(),
        "Comments.csv": comments_2024(),
        "Rich_Media.csv": csv_bytes(
            ["Date/Time", "Media Description", "Media Link"],
            [["You uploaded a photo on March 9, 2026 at 2:58 PM (GMT)", "Team photo", "https://x"]],
        ),
        "Recommendations_Received.csv": csv_bytes(
            ["First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"],
            [["Bob", "Other", "Acme", "Eng", "Alex is great.", "06/07/21, 10:45 AM", "VISIBLE"]],
        ),
        "Recommendations_Given.csv": csv_bytes(
            ["First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status"],
            [["Bob", "Other", "Acme", "Eng", "", "06/07/21, 10:45 AM", "VISIBLE"]],  # empty text
        ),
        "Positions.csv": csv_bytes(
            ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"],
            [["Acme", "Engineer", "Built the thing", "Berlin", "Jun 2018", ""]],
        ),
        "Jobs/Job Applications.csv": csv_bytes(
            [
                "Application Date",
                "Contact Email",
                "Contact Phone Number",
                "Company Name",
                "Job Title",
                "Job Url",
                "Resume Name",
                "Question And Answers",
            ],
            [
                [
                    "3/12/24, 11:20 AM",
                    "a@example.org",
                    "",
                    "Globex",
                    "Lead",
                    "https://j",
                    "cv.pdf",
                    "Visa?:<p>No</p> | Salary?:100k",
                ]
            ],
        ),
        "Jobs/Job Applicant Saved Screening Question Responses_1.csv": csv_bytes(
            ["Question", "Answer"], [["Need sponsorship?", "No"]]
        ),
        "Jobs/Job Applicant Saved Screening Question Responses_2.csv": csv_bytes(
            ["Question", "Answer"], [["Years of Python?", "8"]]
        ),
        "Jobs/Job Applicant Saved Answers.csv": csv_bytes(
            ["Question", "Answer"], [["Notice period?", "3 months"]]
        ),
        "Articles/Articles/2023-04-05 10_20_30.0-My First Article.html": (
            f"<html><head><title>T</title></head><body>{spinless}</body></html>".encode()
        ),
        "Registration.csv": registration(),
        "Receipts.csv": receipts(),
        "Receipts_v2.csv": receipts_v2(),
        "Inferences_about_you.csv": csv_bytes(
            ["Category", "Type of inference", "Description", "Inference"],
            [["Job seeker", "Open to work", "desc", "Yes"]],
        ),
        "Ad_Targeting.csv": ad_targeting(),
        "Reactions.csv": csv_bytes(
            ["Date", "Type", "Link"], [["2024-01-01 10:00:00", "LIKE", "x"]]
        ),
        "Learning.csv": b"A,B,C,D,E,F,G,\n1,2,3,4,5,6,7,\n",
        "Mystery_Future_File.csv": csv_bytes(["Alpha", "Beta"], [["1", "2"], ["3", "4"]]),
        "notes.txt": b"not csv at all",
    }


def materialise(files: Files, tmp: Path, form: str) -> Path:
    """The same export as a zip or as a folder (optionally nested one level)."""
    tmp.mkdir(parents=True, exist_ok=True)
    if form == "zip":
        return write_zip(files, tmp / "Basic_LinkedInDataExport_01-02-2026.zip")
    if form == "folder":
        return write_folder(files, tmp / "export")
    if form == "nested":
        return write_folder(files, tmp / "Export_X", nest="Export_X")
    raise ValueError(form)
