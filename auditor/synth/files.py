"""The small files of an export (everything but messages), in each vintage's real shape.

Each function returns an Entry whose writer reproduces a quirk from shared/FORMAT.md where the
real file has one: the Connections preamble, Shares' per-line quote wrapping, Comments' unquoted
continuation lines, UTF-16 TAB files of 2018, duplicate column names in Ad_Targeting.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from auditor.synth import formats, people, texts
from auditor.synth.messages import conversation_id
from auditor.synth.people import Person
from auditor.synth.sinks import Entry, utf16_entry

POLICY_DATE = datetime(2024, 9, 18)


@dataclass(frozen=True, slots=True)
class Ctx:
    """What every small-file writer needs: who the member is and which dates to use."""

    member: Person
    seed: int
    start: datetime
    end: datetime
    quote_all: bool  # 2026: every field quoted
    keep_newlines: bool  # 2026: real newlines in message CONTENT
    backslash_quotes: bool = False  # 2026 Comments.csv escapes quotes as \" instead of ""

    def rng(self, name: str) -> random.Random:
        """One independent stream per file, so adding a file never shifts another's content."""
        return random.Random(f"{self.seed}|{name}")

    def dates(self, rng: random.Random, count: int) -> list[datetime]:
        """`count` dates in [start, end], newest first (both sides of the policy date)."""
        span = int((self.end - self.start).total_seconds())
        return sorted(
            (self.start + timedelta(seconds=rng.randrange(span)) for _ in range(count)),
            reverse=True,
        )


def _csv(
    rows_header: tuple[str, ...],
    rows: list[list[str]],
    *,
    quote_all: bool = False,
    lineterminator: str = "\n",
    final_newline: bool = True,
) -> Callable[[TextIO], None]:
    def write(out: TextIO) -> None:
        if final_newline:
            formats.write_rows(
                out, rows_header, rows, quote_all=quote_all, lineterminator=lineterminator
            )
            return
        buf = io.StringIO()
        formats.write_rows(
            buf, rows_header, rows, quote_all=quote_all, lineterminator=lineterminator
        )
        out.write(buf.getvalue().removesuffix(lineterminator))

    return write


def text_entry(name: str, text: str) -> Entry:
    """A file whose whole text is fixed (HTML articles, the not-a-CSV coach file)."""

    def write(out: TextIO) -> None:
        out.write(text)

    return Entry(name, write)


# -- people and account ----------------------------------------------------------------------------
def contacts(ctx: Ctx) -> tuple[Person, ...]:
    return people.people_pool(ctx.rng("contacts"), 40, ctx.member)


CONNECTIONS_NOTE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)


def connections(ctx: Ctx, *, with_url: bool, preamble: bool = True) -> Entry:
    """3-line preamble, URL column from 2024, a hidden-profile row, no final newline."""
    rng = ctx.rng("Connections.csv")
    people_ = contacts(ctx)
    dates = ctx.dates(rng, len(people_) + 1)
    rows: list[list[str]] = []
    for i, (p, d) in enumerate(zip(people_, dates, strict=False)):
        email = people.work_email(p.first, p.last) if rng.random() < 0.15 else ""
        row = [p.first, p.last, p.url, email, p.company, p.role, formats.day_month_year(d)]
        if i == len(people_) // 2:
            rows.append(["", "", "", "", "", "", formats.day_month_year(d)])
        rows.append(row if with_url else row[:2] + row[3:])
    header: tuple[str, ...] = (
        "First Name",
        "Last Name",
        "URL",
        "Email Address",
        "Company",
        "Position",
        "Connected On",
    )
    if not with_url:
        header = header[:2] + header[3:]
        rows = [r if len(r) == 6 else r[:2] + r[3:] for r in rows]
    body = _csv(header, rows, final_newline=False)

    def write(out: TextIO) -> None:
        if preamble:
            out.write(CONNECTIONS_NOTE)
        body(out)

    return Entry("Connections.csv", write)


def invitations(ctx: Ctx, *, columns: int = 7) -> Entry:
    """OUTGOING rows carry the member's own URL as inviterProfileUrl (how the loader finds it)."""
    rng = ctx.rng("Invitations.csv")
    others = contacts(ctx)[:12]
    notes = (
        "",
        "",
        "Hi {name}, great meeting you at the {city} meetup!",
        "Hi {name}, I'd like to join your network.",
        "",
    )
    rows = []
    for p, d in zip(others, ctx.dates(rng, len(others)), strict=True):
        outgoing = rng.random() < 0.5
        sender, receiver = (ctx.member, p) if outgoing else (p, ctx.member)
        note = texts.fill(rng.choice(notes), rng, name=receiver.first, me=sender.first)
        rows.append(
            [
                sender.name,
                receiver.name,
                formats.us_short(d),
                note,
                "OUTGOING" if outgoing else "INCOMING",
                sender.url,
                receiver.url,
            ][:columns]
        )
    header = (
        "From",
        "To",
        "Sent At",
        "Message",
        "Direction",
        "inviterProfileUrl",
        "inviteeProfileUrl",
    )[:columns]
    return Entry("Invitations.csv", _csv(header, rows))


PROFILE_HEADER = (
    "First Name",
    "Last Name",
    "Maiden Name",
    "Address",
    "Birth Date",
    "Headline",
    "Summary",
    "Industry",
    "Zip Code",
    "Geo Location",
    "Twitter Handles",
    "Websites",
    "Instant Messengers",
)


def profile(ctx: Ctx, *, v2018: bool = False) -> Entry:
    m = ctx.member
    summary = (
        "Product person who likes messy data problems.\nPreviously at Northwind Analytics "
        "and Contoso Cloud."
    )
    row = [
        m.first,
        m.last,
        "",
        "",
        "Mar 31",
        f"{m.role} at {m.company}",
        summary,
        "Software Development",
        "10115",
        "Berlin, Germany",
        "",
        "[PORTFOLIO:https://alex.example.com]",
        "",
    ]
    header = list(PROFILE_HEADER)
    if v2018:
        header.insert(5, "Contact Instructions")
        row.insert(5, "Reach me through LinkedIn messages")
        header.insert(header.index("Industry") + 1, "Country")
        row.insert(header.index("Country"), "Germany")
    return Entry("Profile.csv", _csv(tuple(header), [row]))


def profile_summary(ctx: Ctx) -> Entry:
    text = (
        "I build data products for B2B teams.\n\nOpen to mentoring early-career PMs - message me!"
    )
    return Entry("Profile Summary.csv", _csv(("Profile Summary",), [[text]]))


def positions(ctx: Ctx) -> Entry:
    rows = [
        [
            ctx.member.company,
            ctx.member.role,
            "Leading the analytics product line.",
            "Berlin, Germany",
            "Jun 2022",
            "",
        ],
        [
            "Northwind Analytics",
            "Product Manager",
            "Self-serve dashboards; grew ARR 3x.",
            "Berlin, Germany",
            "Feb 2019",
            "May 2022",
        ],
        ["Contoso Cloud", "Business Analyst", "", "Dublin, Ireland", "Sep 2016", "Jan 2019"],
    ]
    return Entry(
        "Positions.csv",
        _csv(
            ("Company Name", "Title", "Description", "Location", "Started On", "Finished On"), rows
        ),
    )


RECEIPT_HEADER = (
    "First Name",
    "Last Name",
    "Billing Country",
    "Postal Code",
    "Transaction Made At",
    "Payment Method Type",
    "Invoice Number",
    "Description",
    "Tax Amount",
    "Sub Total",
    "Total Amount",
    "Currency Code",
)


def _receipts(
    ctx: Ctx, name: str, months: list[datetime], fmt: Callable[[datetime], str], description: str
) -> Entry:
    rng = ctx.rng(name)
    rows = []
    for d in months:
        rows.append(
            [
                ctx.member.first,
                ctx.member.last,
                "DE",
                "10115",
                fmt(d),
                "Visa",
                f"INV-{rng.randrange(10**8):08d}",
                description,
                "7.50",
                "39.49",
                "46.99",
                "EUR",
            ]
        )
    return Entry(name, _csv(RECEIPT_HEADER, rows))


def receipts(ctx: Ctx) -> list[Entry]:
    """Receipts_v2 (new date format) spans both sides of the policy date; Receipts is older."""
    v2 = [datetime(2024, m, 26, 13, 32) for m in (11, 10, 9, 8, 7)]
    v2 += [datetime(2025, m, 26, 13, 32) for m in (3, 2, 1)]
    v2.sort(reverse=True)
    old = [
        datetime(2021, 11, 22, 21, 58),
        datetime(2021, 10, 22, 21, 58),
        datetime(2021, 9, 22, 21, 58),
    ]
    return [
        _receipts(ctx, "Receipts_v2.csv", v2, formats.us_padded_utc, "Premium Career"),
        _receipts(ctx, "Receipts.csv", old, formats.us_short, "Premium Career"),
    ]


def registration(ctx: Ctx, *, v2018: bool = False) -> Entry:
    when = formats.us_short(datetime(2012, 4, 3, 18, 5))
    header: tuple[str, ...]
    if v2018:
        header = (
            "Registration Date",
            "Registration IP Address",
            "Invited by (First Name)",
            "Invited by (Last Name)",
            "Subscription Types",
        )
        return Entry("Registration.csv", _csv(header, [[when, "198.51.100.23", "", "", ""]]))
    header = ("Registered At", "Registration Ip", "Subscription Types")
    return Entry("Registration.csv", _csv(header, [[when, "198.51.100.23", "Premium Career"]]))


def email_addresses(ctx: Ctx) -> Entry:
    m = ctx.member
    rows = [
        [
            people.work_email(m.first, m.last),
            "Yes",
            "Yes",
            formats.us_short(datetime(2019, 2, 4, 9, 1)),
        ],
        [
            f"{m.first.lower()}.{m.last.lower()}.home@gmail.com",
            "Yes",
            "No",
            formats.us_short(datetime(2012, 4, 3, 18, 5)),
        ],
    ]
    return Entry(
        "Email Addresses.csv", _csv(("Email Address", "Confirmed", "Primary", "Updated On"), rows)
    )


def phone_numbers(ctx: Ctx, *, v2018: bool = False) -> Entry:
    """2018 wrote numbers with a leading space and empty `,,` rows."""
    number = "+1 415 555 0142"
    if v2018:
        text = "Extension,Number,Type\n, " + number + ",Mobile\n,,\n,,\n"
        return text_entry("Phone Numbers.csv", text)
    return Entry(
        "PhoneNumbers.csv", _csv(("Extension", "Number", "Type"), [["", number, "Mobile"]])
    )


# -- the member's own writing -------------------------------------------------------------------
POSTS: tuple[str, ...] = (
    "Excited to share that I'm starting a new position as {role} at {company}!",
    "Personal news: after 6 years I'm leaving {company2}.\n\nThank you to the team.\n"
    "Next chapter soon!",
    "3 things I learned shipping our analytics launch:\n1. talk to users\n2. cut scope\n"
    "3. celebrate small wins",
    "I was laid off today along with many great colleagues.\nIf you're hiring a {role}, "
    "I'd love an intro.",
    "Proud of our team at {company} - we just closed our Series A with {vc}! 🚀",
    "Hot take: most dashboards are never opened after week two.",
    "Back at work after 3 months of medical leave. Grateful for a supportive team.",
    "We're hiring! Two {role} roles in {city}. DM me.",
)
COMMENTS: tuple[str, ...] = (
    "Congrats {name}!",
    "Great post, thanks for sharing",
    "So true\nWe saw the same thing\nat {company}",
    "This is a great point, {name}.",
    "Sending strength - been through a layoff myself last year",
    "Love this\nSaving it for later",
    "Congratulations on the funding round!",
    'Love the "ship it small" mindset, {name}',
)


def _feed_link(rng: random.Random, kind: str) -> str:
    return (
        f"https://www.linkedin.com/feed/update/urn%3Ali%3A{kind}%3A{rng.randrange(10**18, 10**19)}"
    )


def shares(ctx: Ctx, *, v2021: bool = False) -> Entry:
    """ShareCommentary wraps each line of a multi-line post in literal quotes; CRLF line ends."""
    rng = ctx.rng("Shares.csv")
    rows = []
    for d in ctx.dates(rng, 14):
        post = texts.fill(rng.choice(POSTS), rng, name="", me=ctx.member.first)
        commentary = '"\n"'.join(post.split("\n"))
        shared = f"https://blog.example.com/{rng.randrange(1000)}" if rng.random() < 0.3 else ""
        rows.append(
            [
                formats.plain(d),
                _feed_link(rng, "share"),
                commentary,
                shared,
                "",
                "MEMBER_NETWORK" if rng.random() < 0.3 else "PUBLIC",
            ]
        )
    media = "MediaURL" if v2021 else "MediaUrl"
    header = (
        "Date",
        "ShareLink",
        "ShareCommentary",
        "SharedURL" if v2021 else "SharedUrl",
        media,
        "Visibility",
    )
    return Entry("Shares.csv", _csv(header, rows, lineterminator="\r\n"))


def comments(ctx: Ctx) -> Entry:
    """A multi-line comment without commas is written unquoted: its continuation lines look
    like rows of their own."""
    rng = ctx.rng("Comments.csv")

    def write(out: TextIO) -> None:
        if ctx.backslash_quotes:
            writer = csv.writer(out, lineterminator="\r\n", doublequote=False, escapechar="\\")
        else:
            writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["Date", "Link", "Message"])
        for d in ctx.dates(rng, 16):
            text = texts.fill(
                rng.choice(COMMENTS), rng, name=rng.choice(people.FIRST_NAMES), me=ctx.member.first
            )
            link = _feed_link(rng, "activity")
            if "\n" in text and "," not in text and '"' not in text:
                out.write(f"{formats.plain(d)},{link},{text}\r\n")
            else:
                writer.writerow([formats.plain(d), link, text])

    return Entry("Comments.csv", write)


def reactions(ctx: Ctx) -> Entry:
    rng = ctx.rng("Reactions.csv")
    rows = [
        [
            formats.plain(d),
            rng.choice(("LIKE", "PRAISE", "EMPATHY", "INTEREST")),
            _feed_link(rng, "activity"),
        ]
        for d in ctx.dates(rng, 20)
    ]
    return Entry("Reactions.csv", _csv(("Date", "Type", "Link"), rows, lineterminator="\r\n"))


def rich_media(ctx: Ctx) -> Entry:
    rng = ctx.rng("Rich_Media.csv")
    rows = [
        [
            formats.prose_upload(d),
            rng.choice(("Team offsite", "", "Conference badge")),
            f"https://media.licdn.example.com/dms/image/{rng.getrandbits(48):012x}",
        ]
        for d in ctx.dates(rng, 4)
    ]
    return Entry("Rich_Media.csv", _csv(("Date/Time", "Media Description", "Media Link"), rows))


def recommendations(ctx: Ctx) -> list[Entry]:
    rng = ctx.rng("Recommendations")
    p1, p2, p3 = contacts(ctx)[20:23]
    header = ("First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status")
    given = [
        [
            p1.first,
            p1.last,
            p1.company,
            p1.role,
            f"{p1.first} is the most thorough analyst I have worked with. Any team would be lucky.",
            formats.us_short(datetime(2023, 5, 11, 16, 20)),
            "VISIBLE",
        ]
    ]
    received = [
        [
            p.first,
            p.last,
            p.company,
            p.role,
            texts.fill(t, rng, name=ctx.member.first, me=p.first),
            formats.us_short(d),
            "VISIBLE",
        ]
        for p, t, d in (
            (
                p2,
                "{name} led our analytics relaunch with calm and clarity.",
                datetime(2022, 3, 2, 10, 5),
            ),
            (p3, "I'd hire {name} again in a heartbeat.", datetime(2025, 1, 14, 9, 45)),
        )
    ]
    return [
        Entry("Recommendations_Given.csv", _csv(header, given)),
        Entry("Recommendations_Received.csv", _csv(header, received)),
    ]


def jobs(ctx: Ctx) -> list[Entry]:
    rng = ctx.rng("Jobs")
    m = ctx.member
    apps = []
    for d in ctx.dates(rng, 5):
        company, role = rng.choice(people.COMPANIES), rng.choice(people.ROLES)
        qa = " | ".join(
            [
                "Are you legally authorized to work in Germany?:Yes",
                "Will you now or in the future require visa sponsorship?:"
                + rng.choice(("Yes", "No")),
                f"What are your salary expectations?:{texts.SLOTS['salary'](rng)}",
                "Why do you want to join us?:<p>I love building <strong>data</strong> "
                "products.</p>",
            ]
        )
        apps.append(
            [
                formats.us_short(d),
                people.work_email(m.first, m.last),
                "+1 415 555 0142",
                company,
                role,
                f"https://www.linkedin.com/jobs/view/{rng.randrange(10**9)}",
                f"{m.first}_{m.last}_CV.pdf",
                qa,
            ]
        )
    saved = [
        [
            formats.us_short(d),
            f"https://www.linkedin.com/jobs/view/{rng.randrange(10**9)}",
            rng.choice(people.ROLES),
            rng.choice(people.COMPANIES),
        ]
        for d in ctx.dates(rng, 6)
    ]
    qa_header = ("Question", "Answer")
    return [
        Entry(
            "Jobs/Job Applications.csv",
            _csv(
                (
                    "Application Date",
                    "Contact Email",
                    "Contact Phone Number",
                    "Company Name",
                    "Job Title",
                    "Job Url",
                    "Resume Name",
                    "Question And Answers",
                ),
                apps,
            ),
        ),
        Entry(
            "Jobs/Saved Jobs.csv",
            _csv(("Saved Date", "Job Url", "Job Title", "Company Name"), saved),
        ),
        Entry(
            "Jobs/Job Applicant Saved Screening Question Responses_1.csv",
            _csv(
                qa_header,
                [
                    ["How many years of experience do you have with SQL?", "8"],
                    ["What is your current notice period?", "3 months"],
                ],
            ),
        ),
        Entry(
            "Jobs/Job Applicant Saved Screening Question Responses_2.csv",
            _csv(
                qa_header,
                [
                    ["Do you require visa sponsorship?", "No"],
                    ["Desired salary", "95000 EUR"],
                ],
            ),
        ),
    ]


def article(ctx: Ctx) -> Entry:
    html = (
        "<html><head><title>Some Title</title></head><body><h1>Some Title</h1>"
        "<p>Why most dashboards die in week two &ndash; and what we did about it.</p>"
        "<p>We interviewed 40 users&hellip; here&rsquo;s what they said.</p></body></html>\n"
    )
    return text_entry("Articles/Articles/2024-05-02 10_15_00.0-Some Title.html", html)


def inferences(ctx: Ctx) -> Entry:
    rows = [
        ["Job Seeking", "Likely to change jobs", "Inferred from your activity", "Yes"],
        ["Demographics", "Age range", "Inferred from your profile", "35-54"],
        ["Interests", "Topics", "Inferred from content you engage with", "Data; Startups"],
    ]
    return Entry(
        "Inferences_about_you.csv",
        _csv(("Category", "Type of inference", "Description", "Inference"), rows),
    )


AD_TARGETING_HEADER = (
    "Member Age",
    "Company Names",
    "Company Names",
    "Company Names",
    "Degrees",
    "Fields of Study",
    "Member Gender",
    "Job Functions",
    "Job Seniorities",
    "Job Titles",
    "Job Titles",
    "Job Titles",
    "Interests",
    "Locations",
    "Member Skills",
    "Years of Experience",
)
AD_TARGETING_ROW = (
    "35 to 54",
    "Brightpath Labs; Northwind Analytics",
    "Contoso Cloud",
    "Brightpath Labs",
    "Master of Science",
    "Economics",
    "Female",
    "Product Management; Engineering",
    "Senior",
    "Product Manager",
    "Senior Product Manager; Analytics Lead",
    "Business Analyst",
    "Data science; Startups; Remote work",
    "Berlin, Germany",
    "SQL; Product Strategy",
    "10+",
)


def ad_targeting(ctx: Ctx, *, v2018: bool = False) -> Entry:
    """One data row and duplicate column names ("Company Names" x3, "Job Titles" x3)."""
    if v2018:
        return _tab16("Ad Targeting.csv", AD_TARGETING_HEADER, [list(AD_TARGETING_ROW)])
    return Entry("Ad_Targeting.csv", _csv(AD_TARGETING_HEADER, [list(AD_TARGETING_ROW)]))


USER_AGENTS = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36",
    "LinkedIn/9.29 (iPhone; iOS 17.2; Scale/3.00)",
)


def _logins_rows(ctx: Ctx, rng: random.Random) -> list[list[str]]:
    return [
        [
            formats.java(d),
            f"203.0.113.{rng.randrange(1, 254)}",
            rng.choice(USER_AGENTS),
            rng.choice(("WEB", "MOBILE")),
        ]
        for d in ctx.dates(rng, 10)
    ]


def logins(ctx: Ctx, *, v2018: bool = False) -> Entry:
    header = ("Login Date", "IP Address", "User Agent", "Login Type")
    rows = _logins_rows(ctx, ctx.rng("Logins.csv"))
    if v2018:
        return _tab16("Logins.csv", header, rows)
    return Entry("Logins.csv", _csv(header, rows))


QUERIES = (
    "product manager berlin",
    "{company}",
    "salary product manager",
    "{other}",
    "h1b sponsorship jobs",
    "data engineer remote",
)


def search_queries(ctx: Ctx, *, v2018: bool = False) -> Entry:
    rng = ctx.rng("SearchQueries.csv")
    rows = [
        [formats.slashed_utc(d), texts.fill(rng.choice(QUERIES), rng, name="", me="")]
        for d in ctx.dates(rng, 8)
    ]
    if v2018:
        return _tab16("Search Queries.csv", ("Time", "Search Query"), rows)
    return Entry("SearchQueries.csv", _csv(("Time", "Search Query"), rows))


def skills(ctx: Ctx) -> Entry:
    return Entry(
        "Skills.csv",
        _csv(
            ("Name",), [["SQL"], ["Product Strategy"], ["A/B Testing"], ["Stakeholder Management"]]
        ),
    )


def duolingo(ctx: Ctx) -> Entry:
    """A file the tool does not know: it must be listed, not fail."""
    return Entry(
        "Duolingo.csv",
        _csv(
            ("Date", "Course", "XP"),
            [["2025-03-01", "German", "120"], ["2025-03-02", "German", "85"]],
        ),
    )


# -- coach and sibling message files ---------------------------------------------------------------
COACH_QUESTIONS = (
    "How do I negotiate a higher salary after getting an offer?",
    "What should I learn to move from analyst to product manager?",
    "How do I tell my manager I'm burned out?",
)
COACH_ANSWERS = (
    "Great question! Here are a few courses that could help:\n\n"
    "1. [Negotiating Your Salary](https://www.linkedin.com/learning/negotiating-your-salary)\n"
    "2. [Having Difficult Conversations](https://www.linkedin.com/learning/difficult-conversations)",
    "A good next step is [Product Management: First Steps]"
    "(https://www.linkedin.com/learning/product-management-first-steps). Want a learning plan?",
)


def coach(ctx: Ctx, name: str) -> Entry:
    """Coach rows have an empty FROM and sender URL; CONTENT has Markdown links."""
    rng = ctx.rng(name)
    m = ctx.member
    rows: list[list[str]] = []
    for d in ctx.dates(rng, 2):
        cid = conversation_id(rng)
        title = "Learning Coach Conversation"
        answer = rng.choice(COACH_ANSWERS)
        rows.append(
            [
                cid,
                title,
                "",
                "",
                m.name,
                m.url,
                formats.utc(d + timedelta(seconds=9)),
                "",
                answer if ctx.keep_newlines else formats.flatten(answer),
                "INBOX",
            ]
        )
        rows.append(
            [
                cid,
                title,
                m.name,
                m.url,
                "",
                "",
                formats.utc(d),
                "",
                rng.choice(COACH_QUESTIONS),
                "INBOX",
            ]
        )
    return Entry(name, _csv(formats.COLS_10, rows, quote_all=ctx.quote_all))


def sibling_files(ctx: Ctx) -> list[Entry]:
    return [
        coach(ctx, "coach_messages.csv"),
        coach(ctx, "learning_coach_messages.csv"),
        text_entry("LearningCoachMessages.csv", "No conversations found"),
        Entry("guide_messages.csv", _csv(formats.COLS_10, [], quote_all=ctx.quote_all)),
    ]


# -- 2018 ---------------------------------------------------------------------------------------
def _tab16(name: str, header: tuple[str, ...], rows: list[list[str]]) -> Entry:
    """2018: UTF-16LE with BOM, TAB-separated, every field quoted."""

    def write(out: TextIO) -> None:
        writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    return utf16_entry(name, write)


def shares_2018(ctx: Ctx) -> Entry:
    rng = ctx.rng("Shares.csv")
    rows = [
        [
            formats.plain(d),
            _feed_link(rng, "share"),
            texts.fill(rng.choice(POSTS), rng, name="", me=ctx.member.first).replace("\n", " "),
            "",
            "",
            "PUBLIC",
        ]
        for d in ctx.dates(rng, 6)
    ]
    return _tab16(
        "Shares.csv",
        ("Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility"),
        rows,
    )


def rich_media_2018(ctx: Ctx) -> Entry:
    rows = [
        ["Photo", "https://media.licdn.example.com/mpr/mpr/shrink_200_200/p1.jpg"],
        ["Document", "https://media.licdn.example.com/media/doc/d2.pdf"],
    ]
    return Entry("Rich Media.csv", _csv(("Type", "Link"), rows))
