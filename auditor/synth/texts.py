"""Message templates with slots, grouped by topic, and the filler that makes them varied.

Short, informal, like real LinkedIn DMs. Each sensitive topic has enough templates and slots
(names, companies, amounts, dates) that a million generated rows are not a handful of repeats.
HARD_NEGATIVES hold the phrases a naive keyword rule trips on ("raise a question", "offer you
a coffee") but that are harmless.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from auditor.synth import people

SENSITIVE: dict[str, tuple[str, ...]] = {
    "financing": (
        "Hi {name}, we just got the term sheet from {vc} 🎉 {amount} at {val} pre. Can we talk "
        "before I sign?",
        "Quick q - would {vc} be open to a bridge loan of {amount} until the Series A closes? "
        "runway is ~{months} months",
        "Sharing our updated cap table, the option pool goes to {pct} after the round. Please "
        "keep it confidential",
        "we're raising a {amount} seed round, {vc} is leading. Would love you in it if you're "
        "still angel investing",
        "The valuation they came back with is {val} post. Lower than we hoped tbh\n\nThoughts?",
        "{name} the lead investor wants a 2x liquidation preference in the term sheet. Is that "
        "normal at seed?",
        "Can you look at the convertible note terms? cap at {val}, discount {pct}",
        "We closed the round!! {amount} from {vc} and a few angels. Not public until {date} pls",
        "Heads up, the bridge round got delayed, payroll is tight this month. Talking to {vc} "
        "again on {day}",
        "Deck and data room here {link} - we're raising {amount}, pre-money {val}",
        "Could you intro me to your partner at {vc}? We're pre-seed, raising {amount} on a SAFE",
        "our burn is {amount}/month and we have {months} months of runway. need to raise by Q{q}",
    ),
    "job_search": (
        "Hey {name}, I'm quietly looking for a new job - my manager doesn't know yet. Any leads "
        "at {company}?",
        "Just applied to the {role} role at {company}, would you be willing to refer me?",
        "I have my final round interview at {company} on {day} 😬 any tips?",
        "Got the offer from {company}!! Going to resign on {day}, my notice period is {weeks} "
        "weeks",
        "{name}, would you be a reference for me? {company} asked for two references by {date}",
        "They're doing layoffs at {company2} next week, I'm pretty sure my team is on the list",
        "I was laid off on {date} along with 30% of the company. Open to anything in {city}",
        "Handed in my resignation today. Last day is {date}\nPlease don't share yet",
        "Interview went badly tbh. Second round with the hiring manager at {company} was rough",
        "Thanks for the referral! HR at {company} reached out, phone screen on {day}",
        "I'm interviewing at {company} and {company2}, trying to get both offers at the same time",
        "Between us, I'm job hunting. Burned out at {company2} and want out by {date}",
    ),
    "compensation": (
        "They offered {salary} base + {pct} bonus. Is that fair for a {role} in {city}?",
        "My current salary is {salary}, I'm asking {company} for {salary2}",
        "The equity part is {shares} RSUs over 4 years with a 1 year cliff. good or bad?",
        "{name} do you know the salary band for {role} at {company}? They lowballed me at {salary}",
        "Bonus came in at {pct} this year, way below target. Thinking of negotiating a raise",
        "I got a counter offer: {salary2} plus a {bonus} signing bonus",
        "Honestly the comp at {company} is {salary} all in, no equity. Not sure it's worth moving",
        "Can I share my offer letter with you? {salary} base, {shares} options, strike price "
        "${strike}",
    ),
    "health": (
        "Sorry for going quiet {name}, I was diagnosed with {illness} last month and I'm on sick "
        "leave until {date}",
        "I've been seeing a therapist for anxiety since the spring, it's helping a lot",
        "Can we move our call? I have a doctor's appointment, still dealing with {illness}",
        "Big news, I'm pregnant! 🤰 Due in {month}. Haven't told work yet so pls keep it quiet",
        "I'm on medical leave after surgery, back in {weeks} weeks hopefully",
        "My depression got pretty bad this winter, had to take time off. Better now",
        "{name}, I'm going on maternity leave from {date}, {ofirst} covers for me",
        "Just got out of hospital, the chemo is rough but the prognosis is good",
        "I have ADHD and the open office is killing me honestly, asked HR for accommodations",
        "Burnout diagnosis from my GP, off work for {weeks} weeks. Therapy twice a week",
    ),
    "immigration": (
        "Does {company} sponsor H-1B visas? My OPT runs out in {month}",
        "I need visa sponsorship to move to {city}, is that a dealbreaker for your team?",
        "My work permit expires on {date} and the renewal is stuck 😟",
        "The H-1B lottery didn't pick me this year. Looking at options in Canada",
        "Waiting on my green card, so I can't switch employers right now",
        "{name} does the role come with relocation and a work visa? I'm on a dependent visa "
        "currently",
        "Got my Blue Card approved!! finally can start at {company} on {date}",
        "my residence permit is tied to my job at {company2}, if I quit I have 90 days to leave",
    ),
    "legal": (
        "Before we go further I'll need you to sign an NDA - sending it over today",
        "{company2} is threatening a lawsuit over my non-compete. Do you know a good employment "
        "lawyer?",
        "They offered a severance agreement: {weeks} weeks pay if I sign a release. Should I sign?",
        "I'm a witness in the discrimination case against {company2}, can't say much",
        "My lawyer says the severance agreement has a non-disparagement clause, so keep this "
        "between us",
        "We got served with a lawsuit from a former cofounder, board meeting on {day}",
        "The NDA they sent is one-sided, any chance you could take a look?",
        "Filed a complaint with HR about my manager. Legal is involved now",
    ),
    "contact_info": (
        "Here's my personal number: {phone} - text me anytime",
        "Better to use my personal email {gmail}, work email is monitored",
        "Send it to my home address: {address}",
        "Sure, my date of birth is {dob} for the booking",
        "my cell is {phone}, call after 6",
        "Reach me at {gmail} or {phone}, I'm leaving {company2} on Friday",
        "For the background check: born {dob}, current address {address}",
        "{name} can you send the contract to my private address? {address}",
    ),
    "credentials": (
        "the wifi password for the office is {password}",
        "Login for the shared analytics account: {email} / {password}",
        "Can you read me the code? It says your one-time code is {otp}",
        "Here's the API key for staging, don't commit it: {awskey}",
        "my verification code is {otp}, sorry for the weird ask, locked out",
        "Temporary password for the demo box is {password} - change it on first login",
        "Use this token for the CI: {awskey} (secret is in 1Password)",
        "Wire it to my IBAN {iban}, name on the account is {me}",
        "you can use the company card {card} exp 09/28 for the conference tickets",
    ),
    "beliefs": (
        "Can't do Sunday, I'm at church all morning 🙏 Monday?",
        "I'm a union rep at {company2} now, we're organizing the warehouse",
        "Honestly I'm gay and not out at work, so the team dinner with partners is awkward",
        "I volunteer for the {party} campaign on weekends, politics is a big part of my life",
        "We're fasting for Ramadan so maybe a call instead of lunch?",
        "I joined the union last year, after the layoffs it felt necessary",
        "My husband and I are both at the Pride march on Saturday 🏳️‍🌈",
        "I'm pretty left-wing tbh and the CEO's posts about the election really bother me",
        "Between us I'm a practicing Catholic and the new policy feels off to me",
    ),
}

HARMLESS: tuple[str, ...] = (
    "Hi {name}, thanks for connecting!",
    "Great to meet you at the {city} meetup last week",
    "Thanks {name}! Talk soon",
    "sounds good 👍",
    "Congrats on the new role at {company}! 🎉",
    "Happy work anniversary {name}!",
    "Would love to pick your brain about product analytics sometime",
    "Are you going to the conference in {city} next month?",
    "Loved your post about remote onboarding, really resonated",
    "Do you have 20 min on {day} for a quick call?",
    "Sure, {time} works for me",
    "Sorry for the late reply, crazy week",
    "no worries at all!",
    "Here's the link to the slides: {link}",
    "Can you send me the recording from the webinar?",
    "I'd recommend the book Shape Up, it changed how we plan",
    "Hey {name}, long time! How's life in {city}?",
    "Thanks for the endorsement 🙏",
    "We're hosting a small product breakfast on {day}, you're welcome to join",
    "haha yes exactly",
    "Let me check with {ofirst} and get back to you",
    "Following up on my last message - any thoughts?",
    "I think you'd get along with {other}, want an intro?",
    "Good luck with the launch on {day}!",
    "Enjoy the holidays {name}! 🎄",
    "Just saw your talk on YouTube, great stuff",
    "We use dbt and Snowflake mostly, happy to share our setup",
    "Cheers, have a good weekend",
    "The meetup moved to {time}, same place",
    "I'm in {city} from {date}, coffee?",
    "Thanks again for the help with the hiring plan",
    "Interesting article, thx for sharing {link}",
    "Yes! Let's do it",
    "ok perfect, see you then",
    "Hope you're doing well {name}",
    "Quick reminder about tomorrow's session at {time}",
    "Hi {name},\n\nGreat chatting earlier. As promised, the notes are below:\n- pricing page test\n"
    "- onboarding emails\n\nCheers,\n{me}",
    "Could you share the job description? A friend might be interested",
    "hah, small world! I worked with {other} at {company2} too",
    "Would you be open to speaking on our podcast?",
)

HARD_NEGATIVES: tuple[str, ...] = (
    "Can I raise a question about the roadmap in tomorrow's all-hands?",
    "Job well done on the release {name}! 🙌",
    "Let me offer you a coffee next time you're in {city}",
    "I'm sick of this rain honestly ☔",
    "That demo was killing it, congrats",
    "The password reset flow in our app is confusing users, any UX tips?",
    "We're raising the bar on code reviews this quarter",
    "Our church street office is closing, we're moving to {city} center",
    "Did you see the term of the lease for the new office? 10 years, wild",
    "My kid has a fever so I'll join the call from home",
    "Happy to be a reference point if you have questions about our stack",
    "He's a visa-versa kind of thinker, very creative",
    "The offer for the webinar seats ends Friday, grab one",
    "We should capture the bonus features in the launch post",
    "It's a health check endpoint, nothing fancy",
    "I signed up for the union square meetup on {day}",
    "Thanks for the tip about the code review checklist",
)

REPLIES: tuple[str, ...] = (
    "ok thanks",
    "Thanks {name}, really appreciate it",
    "Makes sense",
    "got it 👍",
    "Let me think about it and get back to you",
    "wow, congrats!!",
    "Of course, happy to help",
    "Sure thing",
    "Let's talk {day}?",
    "yes that works",
    "Good luck 🤞",
    "Will do",
)

# Replies that only make sense after something personal was said.
SUPPORTIVE: tuple[str, ...] = (
    "oh no, sorry to hear that",
    "Thanks for trusting me with this",
    "Totally understand, take care of yourself",
    "That's huge, congrats! Your secret is safe with me",
    "Let me ask around and get back to you",
    "ugh, that sounds stressful. here if you need to talk",
)

RECRUITER_PITCHES: tuple[str, ...] = (
    "Hi {name},\n\nI came across your profile and think you'd be a great fit for a {role} "
    "role at {company} in {city}. Would you be open to a quick chat this week?\n\nBest,\n{me}",
    "Hi {name}, I'm hiring a {role} for a fast-growing team at {company}. Fully remote, "
    "strong benefits. Interested in learning more?",
    "Hello {name} - your background at {company2} caught my eye. We have an opening for a "
    "{role}; happy to share details if you're curious.",
)
RECRUITER_SUBJECTS: tuple[str, ...] = (
    "{role} opportunity at {company}",
    "Exploring new roles?",
    "Quick question about your next move",
    "{company} is hiring: {role}",
)

ILLNESSES = ("long covid", "a slipped disc", "breast cancer", "diabetes", "pneumonia", "migraines")
PARTIES = ("Green", "Labour", "Democratic", "Social Democrat", "Liberal")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
EMOJI = ("🙂", "🎉", "👍", "🙏", "😅", "🚀", "☕")
LINK_HOSTS = ("docs.example.com/d/", "drive.example.com/file/", "notion.example.com/")


def _money(rng: random.Random) -> str:
    value = rng.choice((0.5, 0.75, 1, 1.5, 2, 2.5, 3, 4, 6, 8, 12))
    cur = rng.choice(("$", "$", "€", "£"))
    return f"{cur}{value:g}M"


def _salary(rng: random.Random) -> str:
    cur = rng.choice(("$", "$", "€", "£"))
    return f"{cur}{rng.randrange(70, 260, 5)}k"


def _date(rng: random.Random) -> str:
    day = rng.randrange(1, 29)
    suffix = "th" if 4 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{rng.choice(people.FULL_MONTHS)} {day}{suffix}"


def _link(rng: random.Random) -> str:
    token = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    return f"<https://{rng.choice(LINK_HOSTS)}{token}>"


SlotFn = Callable[[random.Random], str]

SLOTS: dict[str, SlotFn] = {
    "company": lambda r: r.choice(people.COMPANIES),
    "company2": lambda r: r.choice(people.COMPANIES),
    "vc": lambda r: r.choice(people.VC_FIRMS),
    "role": lambda r: r.choice(people.ROLES),
    "city": lambda r: r.choice(people.CITIES),
    "amount": _money,
    "val": lambda r: f"${r.randrange(6, 90)}M",
    "pct": lambda r: f"{r.choice((0.5, 1, 5, 8, 10, 12, 15, 20))}%",
    "bonus": lambda r: f"${r.randrange(5, 40)}k",
    "salary": _salary,
    "salary2": _salary,
    "shares": lambda r: f"{r.randrange(2, 60) * 500:,}",
    "strike": lambda r: f"{r.randrange(1, 30)}.{r.randrange(100):02d}",
    "months": lambda r: str(r.randrange(3, 19)),
    "weeks": lambda r: str(r.randrange(2, 13)),
    "q": lambda r: str(r.randrange(1, 5)),
    "day": lambda r: r.choice(WEEKDAYS),
    "date": _date,
    "month": lambda r: r.choice(people.FULL_MONTHS),
    "time": lambda r: (
        f"{r.randrange(9, 18) % 12 or 12}{r.choice((':30', ''))}"
        f"{'am' if r.random() < 0.3 else 'pm'}"
    ),
    "illness": lambda r: r.choice(ILLNESSES),
    "party": lambda r: r.choice(PARTIES),
    "phone": people.phone_number,
    "address": people.home_address,
    "dob": people.birth_date,
    "password": people.password,
    "otp": people.otp,
    "awskey": people.aws_key,
    "iban": people.iban,
    "card": lambda r: r.choice(people.TEST_CARDS),
    "link": _link,
    "emoji": lambda r: r.choice(EMOJI),
    "other": lambda r: f"{r.choice(people.FIRST_NAMES)} {r.choice(people.LAST_NAMES)}",
    "ofirst": lambda r: r.choice(people.FIRST_NAMES),
}


class _Slots(dict[str, str]):
    """Fills a slot only when a template asks for it, so unused slots cost nothing."""

    def __init__(self, rng: random.Random, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self._rng = rng

    def __missing__(self, key: str) -> str:
        value = SLOTS[key](self._rng)
        self[key] = value
        return value


def fill(template: str, rng: random.Random, *, name: str, me: str, me_last: str = "") -> str:
    """Fill a template's slots; {name} is the addressee's first name, {me} the sender's."""
    fixed = {"name": name, "me": me}
    if "{gmail}" in template:
        fixed["gmail"] = people.gmail(rng, me, me_last or "x")
    if "{email}" in template:
        fixed["email"] = people.work_email(me, me_last or "team")
    return template.format_map(_Slots(rng, fixed))


def roughen(text: str, rng: random.Random) -> str:
    """Sometimes make a message look typed in a hurry: lower-case start, a swapped letter pair."""
    roll = rng.random()
    if roll < 0.08 and text[:1].isupper():
        text = text[0].lower() + text[1:]
    elif roll < 0.12:
        words = text.split(" ")
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4 and w.isalpha():
            j = rng.randrange(1, len(w) - 2)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
            text = " ".join(words)
    elif roll < 0.15:
        text = text.replace("'", "")
    return text
