"""Streaming generator of synthetic message rows, one conversation at a time.

Rows come out in export order: conversations newest first, each conversation contiguous and
newest first inside. Nothing is kept between conversations except the contact pool, so a million
rows cost no more memory than ten.
"""

from __future__ import annotations

import base64
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from auditor.synth import people, texts
from auditor.synth.people import Person

SPONSORED_TITLE = "Sponsored Conversation"
UNKNOWN_SENDER = "LinkedIn Member"
SYSTEM_ACCEPTED = "Message request accepted"


@dataclass(frozen=True, slots=True)
class SynthMessage:
    """One generated message, before it is written in a particular export vintage."""

    conversation_id: str
    title: str
    sender: str
    sender_url: str
    to: tuple[str, ...]
    to_urls: tuple[str, ...]
    date: datetime  # naive, UTC
    subject: str
    content: str
    folder: str  # INBOX / ARCHIVE / SPAM / "" (2018 folders are derived when written)
    attachment: str
    is_draft: bool
    conversation_draft: bool
    outgoing: bool
    topic: str  # ground-truth label: a SENSITIVE key, or harmless/reply/hard_negative/ad/...


# One block of conversation kinds; shuffled per block so every feature appears at least once
# in each block of ~40 conversations (about 150 rows).
KIND_BLOCK: tuple[str, ...] = (
    ("member",) * 25
    + ("inmail",) * 5
    + ("group",) * 2
    + ("sponsored",) * 2
    + ("ad", "premium", "draft", "request", "request")
)

AD_BODIES: tuple[str, ...] = (
    "We&rsquo;re hosting a free webinar on cloud cost control &ndash; join 2,000+ engineers "
    "who already cut their bill by 30%&hellip;",
    "Thinking about an MBA? Our Executive MBA offers flexible <strong>financing</strong> "
    "options &amp; scholarships for professionals like you.",
    "Your team deserves better payroll software. See why 5,000 companies switched &ndash; "
    "no credit card needed.",
    "Ready for your next career move? Our coding bootcamp graduates land offers in 90 days "
    "or less.",
    "Download our 2025 salary report: what {role}s really earn in {city}.",
)
AD_CTAS: tuple[str, ...] = (
    '<a href="https://ads.example.com/l/{token}">Register now</a>',
    '<a href="https://ads.example.com/l/{token}">Download the guide</a>',
    '<a href="https://ads.example.com/l/{token}">Learn more</a>',
)
AD_CLICKS: tuple[str, ...] = ("Learn more", "Register now", "Not interested", "Download the guide")
AD_SENDERS: tuple[str, ...] = ("Sarah from LinkedIn", "Nikita @ LinkedIn Learning")
AD_SUBJECTS: tuple[str, ...] = (
    "%FIRSTNAME%, grow your skills this month",
    "A quick idea for your career",
    "Your invitation: LinkedIn Learning week",
)
GROUP_TITLES: tuple[str, ...] = ("PM Guild {city}", "Offsite planning", "Founders dinner", "")
FOLLOW_UPS: tuple[str, ...] = (
    "Just following up on my note below, {name} - still open to a chat?",
    "Great! Does {day} at {time} work for an intro call?",
)
DECLINES: tuple[str, ...] = (
    "Thanks for reaching out! Not looking right now but let's stay in touch",
    "Hi, appreciate it - what's the salary range?",
    "Happy to chat, I'm free {day} afternoon",
    "Not interested, thanks",
)


def conversation_id(rng: random.Random) -> str:
    """`2-` + base64 of a uuid-like string and a counter, the shape seen in exports."""
    h = f"{rng.getrandbits(128):032x}"
    raw = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}_{rng.randrange(1000):03d}"
    return "2-" + base64.b64encode(raw.encode()).decode()


def spinmail(paragraphs: list[str]) -> str:
    """The ad editor's HTML: one `<p>` per line, `<br>` paragraphs as spacers."""
    cls = '<p class="spinmail-quill-editor__spin-break">'
    return "".join(f"{cls}{p}</p>" for p in paragraphs)


def premium_html(first: str, rng: random.Random) -> str:
    perks = rng.sample(
        [
            "See who&#39;s viewed your profile in the last 365 days",
            "Message recruiters directly with InMail credits",
            "Compare salary insights &amp; applicant rankings",
            "Unlock 21,000+ LinkedIn Learning courses",
        ],
        3,
    )
    items = "".join(f"<li>{p}</li>" for p in perks)
    return (
        f"<p>Hi {first},</p><p>Members like you are 2x more likely to get hired with "
        f'<strong>Premium Career</strong>.</p><ul>{items}</ul><p><a href="https://www.linkedin.com'
        f'/premium/products/?upsellOrderOrigin=premium_inbox">Start my free month</a></p>'
        "<p>Cancel anytime&nbsp;&ndash; we&rsquo;ll remind you 7 days before.</p>"
        "<p>The LinkedIn Premium Team</p>"
    )


class ConversationFactory:
    """Builds one conversation of a given kind as rows oldest first."""

    def __init__(
        self,
        rng: random.Random,
        member: Person,
        pool: tuple[Person, ...],
        *,
        drafts_col: bool,
        attachments: bool,
    ) -> None:
        self.rng = rng
        self.member = member
        self.pool = pool
        self.drafts_col = drafts_col
        self.attachments = attachments
        self.jane = Person(
            "Jane",
            "Roe, PhD",
            people.slug_url("Jane Roe PhD"),
            "Fabrikam Health",
            "Research Director",
        )
        self.first_group = True
        self.topics: list[str] = []
        self.builders: dict[str, Callable[[datetime, int, datetime], list[SynthMessage]]] = {
            "inmail": self.inmail,
            "group": self.group,
            "sponsored": self.sponsored,
            "ad": self.message_ad,
            "premium": self.premium,
            "draft": self.draft,
        }

    # -- helpers -----------------------------------------------------------------------------
    def _times(self, anchor: datetime, count: int, floor: datetime) -> list[datetime]:
        """`count` times ending at `anchor`, oldest first, gaps from seconds to days."""
        rng = self.rng
        out = [anchor]
        t = anchor
        for _ in range(count - 1):
            gap = rng.choice((40, 300, 1800, 7200, 36000, 90000, 260000)) * (0.5 + rng.random())
            t = max(floor, t - timedelta(seconds=int(gap)))
            out.append(t)
        out.reverse()
        return out

    def _text(
        self, topic: str, sender: Person, addressee: str, *, opener: bool = False
    ) -> tuple[str, str]:
        """Pick a text for a conversation about `topic`; returns (content, label).

        The opener of a sensitive conversation always raises the topic, as people do."""
        rng = self.rng
        roll = 0.0 if opener else rng.random()
        pool: tuple[str, ...]
        if topic in texts.SENSITIVE:
            if roll < 0.55:
                pool, label = texts.SENSITIVE[topic], topic
            elif roll < 0.7:
                pool, label = texts.SUPPORTIVE, "reply"
            elif roll < 0.85:
                pool, label = texts.REPLIES, "reply"
            else:
                pool, label = texts.HARMLESS, "harmless"
        elif roll < 0.6:
            pool, label = texts.HARMLESS, "harmless"
        elif roll < 0.87:
            pool, label = texts.REPLIES, "reply"
        else:
            pool, label = texts.HARD_NEGATIVES, "hard_negative"
        text = texts.fill(
            rng.choice(pool), rng, name=addressee, me=sender.first, me_last=sender.last
        )
        if rng.random() < 0.05:
            text += " " + rng.choice(("🙂", "🙏", "👍", "😅"))
        return texts.roughen(text, rng), label

    def _next_topic(self) -> str:
        """Sensitive topics in shuffled rounds, so even a small sample covers every one."""
        if not self.topics:
            self.topics = list(texts.SENSITIVE)
            self.rng.shuffle(self.topics)
        return self.topics.pop()

    def _empty(self) -> tuple[str, str, str] | None:
        """Sometimes a row has no text: an attachment or a reaction."""
        roll = self.rng.random()
        if roll < 0.03:
            att = (
                f"https://www.linkedin.com/dms/prv/vid/v2/D4E06AQ{self.rng.getrandbits(64):016x}"
                if self.attachments
                else ""
            )
            return "", att, "empty"
        if roll < 0.045:
            return "", "", "empty"
        return None

    def _row(
        self,
        cid: str,
        title: str,
        sender: Person | None,
        to: tuple[Person, ...],
        when: datetime,
        subject: str,
        content: str,
        folder: str,
        topic: str,
        *,
        attachment: str = "",
        draft: bool = False,
        conv_draft: bool = False,
        sender_name: str | None = None,
        to_names: tuple[str, ...] | None = None,
        to_urls: tuple[str, ...] | None = None,
    ) -> SynthMessage:
        return SynthMessage(
            conversation_id=cid,
            title=title,
            sender=sender_name if sender_name is not None else (sender.name if sender else ""),
            sender_url=sender.url if sender else "",
            to=to_names if to_names is not None else tuple(p.name for p in to),
            to_urls=to_urls if to_urls is not None else tuple(p.url for p in to),
            date=when,
            subject=subject,
            content=content,
            folder=folder,
            attachment=attachment,
            is_draft=draft,
            conversation_draft=conv_draft,
            outgoing=sender is self.member,
            topic=topic,
        )

    def _folder(self) -> str:
        roll = self.rng.random()
        return "INBOX" if roll < 0.8 else ("ARCHIVE" if roll < 0.97 else "SPAM")

    # -- kinds ----------------------------------------------------------------------------------
    def member_chat(
        self, anchor: datetime, limit: int, *, request: bool = False, floor: datetime = datetime.min
    ) -> list[SynthMessage]:
        rng = self.rng
        other = rng.choice(self.pool)
        count = min(limit, 1 + int(rng.expovariate(1 / 3.2)))
        topic = self._next_topic() if rng.random() < 0.33 else "harmless"
        cid = conversation_id(rng)
        folder = self._folder()
        times = self._times(anchor, count, floor)
        rows: list[SynthMessage] = []
        me_first = rng.random() < 0.5 and not request
        for i, when in enumerate(times):
            if request and i == 1:
                rows.append(
                    self._row(cid, "", None, (), when, "", SYSTEM_ACCEPTED, folder, "system")
                )
                continue
            mine = (i % 2 == 0) == me_first if rng.random() < 0.8 else rng.random() < 0.5
            sender, addressee = (self.member, other) if mine else (other, self.member)
            empty = self._empty()
            if empty is not None:
                content, att, label = empty
            else:
                opener = not any(r.topic in texts.SENSITIVE for r in rows)
                (content, label), att = (
                    self._text(topic, sender, addressee.first, opener=opener),
                    "",
                )
            draft = self.drafts_col and mine and i == count - 1 and rng.random() < 0.05
            rows.append(
                self._row(
                    cid,
                    "",
                    sender,
                    (addressee,),
                    when,
                    "",
                    content,
                    folder,
                    label,
                    attachment=att,
                    draft=draft,
                )
            )
        return rows

    def inmail(self, anchor: datetime, limit: int, floor: datetime) -> list[SynthMessage]:
        rng = self.rng
        sender = rng.choice(self.pool)
        subject = texts.fill(rng.choice(texts.RECRUITER_SUBJECTS), rng, name="", me="")
        cid = conversation_id(rng)
        count = min(limit, rng.choice((1, 1, 2, 2, 3)))
        times = self._times(anchor, count, floor)
        folder = "INBOX" if rng.random() < 0.7 else "ARCHIVE"
        rows = []
        for i, when in enumerate(times):
            if i % 2 == 0:
                template = rng.choice(texts.RECRUITER_PITCHES if i == 0 else FOLLOW_UPS)
                text = texts.fill(template, rng, name=self.member.first, me=sender.first)
                rows.append(
                    self._row(
                        cid,
                        subject,
                        sender,
                        (self.member,),
                        when,
                        subject,
                        text,
                        folder,
                        "recruiting",
                    )
                )
            else:
                topic = rng.choice(("job_search", "compensation", "immigration", "decline"))
                if topic == "decline":
                    text, label = (
                        texts.fill(
                            rng.choice(DECLINES), rng, name=sender.first, me=self.member.first
                        ),
                        "harmless",
                    )
                else:
                    text = texts.fill(
                        rng.choice(texts.SENSITIVE[topic]),
                        rng,
                        name=sender.first,
                        me=self.member.first,
                        me_last=self.member.last,
                    )
                    label = topic
                rows.append(
                    self._row(
                        cid,
                        subject,
                        self.member,
                        (sender,),
                        when,
                        subject,
                        texts.roughen(text, rng),
                        folder,
                        label,
                    )
                )
        return rows

    def group(self, anchor: datetime, limit: int, floor: datetime) -> list[SynthMessage]:
        rng = self.rng
        others = list(rng.sample(self.pool, rng.randrange(2, 5)))
        if self.first_group or rng.random() < 0.25:
            others.insert(rng.randrange(len(others) + 1), self.jane)
            self.first_group = False
        members = [self.member, *others]
        title = texts.fill(rng.choice(GROUP_TITLES), rng, name="", me="")
        cid = conversation_id(rng)
        count = min(limit, rng.randrange(3, 10))
        topic = rng.choice(("harmless", "harmless", "financing", "job_search", "beliefs"))
        folder = self._folder()
        rows = []
        for when in self._times(anchor, count, floor):
            sender = rng.choice(members)
            to = tuple(p for p in members if p is not sender)
            content, label = self._text(topic, sender, "all" if rng.random() < 0.3 else "guys")
            rows.append(self._row(cid, title, sender, to, when, "", content, folder, label))
        return rows

    def sponsored(self, anchor: datetime, limit: int, floor: datetime) -> list[SynthMessage]:
        rng = self.rng
        cid = conversation_id(rng)
        html = self._ad_html()
        times = self._times(anchor, min(limit, rng.choice((1, 2))), floor)
        rows = [
            self._row(
                cid,
                SPONSORED_TITLE,
                None,
                (self.member,),
                times[0],
                "",
                html,
                "INBOX",
                "ad",
                sender_name=UNKNOWN_SENDER,
            )
        ]
        if len(times) > 1:
            rows.append(
                self._row(
                    cid,
                    SPONSORED_TITLE,
                    self.member,
                    (),
                    times[1],
                    "",
                    rng.choice(AD_CLICKS),
                    "INBOX",
                    "ad_click",
                    to_names=(UNKNOWN_SENDER,),
                    to_urls=(),
                )
            )
        return rows

    def _ad_html(self) -> str:
        rng = self.rng
        body = texts.fill(rng.choice(AD_BODIES), rng, name="", me="")
        cta = rng.choice(AD_CTAS).format(token=f"{rng.getrandbits(40):010x}")
        return spinmail(
            [
                "Hi %FIRSTNAME%,",
                "<br>",
                body,
                "<br>",
                cta,
                "Best,",
                rng.choice(("The Acme Learning team", "Dana, Contoso Cloud")),
            ]
        )

    def message_ad(self, anchor: datetime, limit: int, floor: datetime) -> list[SynthMessage]:
        rng = self.rng
        subject = rng.choice(AD_SUBJECTS)
        return [
            self._row(
                conversation_id(rng),
                subject,
                None,
                (self.member,),
                anchor,
                subject,
                self._ad_html(),
                "INBOX",
                "ad",
                sender_name=rng.choice(AD_SENDERS),
            )
        ]

    def premium(self, anchor: datetime, limit: int, floor: datetime) -> list[SynthMessage]:
        rng = self.rng
        subject = f"{self.member.first}, your free month of Premium is waiting"
        return [
            self._row(
                conversation_id(rng),
                subject,
                None,
                (self.member,),
                anchor,
                subject,
                premium_html(self.member.first, rng),
                "INBOX",
                "marketing",
                sender_name="LinkedIn Premium",
            )
        ]

    def draft(self, anchor: datetime, limit: int, floor: datetime) -> list[SynthMessage]:
        """An unsent draft: no conversation id, no addressee, no folder."""
        rng = self.rng
        topic = rng.choice((*texts.SENSITIVE, "harmless", "harmless"))
        content, label = self._text(topic, self.member, rng.choice(self.pool).first)
        return [
            self._row(
                "", "", self.member, (), anchor, "", content, "", label, draft=True, conv_draft=True
            )
        ]

    def build(self, kind: str, anchor: datetime, limit: int, floor: datetime) -> list[SynthMessage]:
        if kind in ("member", "request"):
            return self.member_chat(
                anchor, limit, request=kind == "request" and limit >= 3, floor=floor
            )
        return self.builders[kind](anchor, limit, floor)


def generate_messages(
    n: int,
    *,
    seed: int,
    member: Person,
    start: datetime,
    end: datetime,
    drafts_col: bool = False,
    attachments: bool = True,
    kinds: tuple[str, ...] = KIND_BLOCK,
) -> Iterator[SynthMessage]:
    """Yield exactly `n` rows dated in [start, end], in export order (newest first)."""
    rng = random.Random(seed)
    pool = people.people_pool(rng, max(60, min(1500, n // 40)), member)
    factory = ConversationFactory(rng, member, pool, drafts_col=drafts_col, attachments=attachments)
    span = (end - start).total_seconds()
    emitted = 0
    block: list[str] = []
    while emitted < n:
        if not block:
            block = list(kinds)
            rng.shuffle(block)
        kind = block.pop()
        anchor = end - timedelta(seconds=int(span * (emitted + rng.random()) / n))
        rows = factory.build(kind, anchor, n - emitted, start)
        emitted += len(rows)
        yield from reversed(rows)
