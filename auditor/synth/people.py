"""Fictional people, companies and identifiers for synthetic exports.

Everything here is invented: names are common given/family names combined at random, companies
are made up, URLs use fake slugs, phone numbers sit in the 555-01xx fiction range, e-mail domains
are example.com or fake local parts, IBANs and card numbers pass their checksums but are not real.
"""

from __future__ import annotations

import hashlib
import random
import string
from dataclasses import dataclass

FIRST_NAMES: tuple[str, ...] = (
    "Priya",
    "Jonas",
    "Maria",
    "Tom",
    "Aisha",
    "Lukas",
    "Sofia",
    "Daniel",
    "Mei",
    "Omar",
    "Hannah",
    "Rafael",
    "Chloe",
    "Ben",
    "Yuki",
    "Carlos",
    "Emma",
    "Tariq",
    "Laura",
    "Nikolai",
    "Grace",
    "Felix",
    "Ines",
    "Sam",
    "Olivia",
    "Mateo",
    "Zara",
    "Kevin",
    "Amara",
    "Jakob",
    "Elena",
    "Marcus",
    "Fatima",
    "Ryan",
    "Ana",
    "Leo",
    "Nadia",
    "Chris",
    "Julia",
    "Arjun",
    "Sara",
    "Pedro",
    "Lena",
    "Dev",
    "Noor",
    "Ethan",
    "Camille",
    "Victor",
    "Isla",
    "Kofi",
)
LAST_NAMES: tuple[str, ...] = (
    "Sharma",
    "Becker",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Novak",
    "Rossi",
    "Kim",
    "Haddad",
    "Lindqvist",
    "Patel",
    "Moreau",
    "Schulz",
    "Tanaka",
    "Fernandes",
    "Walsh",
    "Ivanova",
    "Mensah",
    "Dubois",
    "Kowalski",
    "Chen",
    "Larsen",
    "Silva",
    "OBrien",
    "Hoffmann",
    "Rahman",
    "Costa",
    "Fischer",
    "Yilmaz",
    "Bauer",
    "Santos",
    "Murphy",
    "Jansen",
    "Ali",
    "Wagner",
    "Lopez",
    "Eriksen",
    "Park",
    "Nowak",
    "Abara",
    "Varga",
    "Keller",
    "Reyes",
    "Popescu",
    "Brennan",
    "Sato",
    "Duarte",
    "Quinn",
)
COMPANIES: tuple[str, ...] = (
    "Northwind Analytics",
    "Brightpath Labs",
    "Contoso Cloud",
    "Fabrikam Health",
    "Initrode",
    "Globex Logistics",
    "Tailspin Robotics",
    "Wingtip Payments",
    "Lumen & Vale",
    "Blue Heron Bio",
    "Quillfeather",
    "Parcelbird",
    "Copperleaf Energy",
    "Stackwise",
    "Orbital Goods",
    "Harbor Fintech",
    "Meadowlark AI",
    "Pinecrest Capital",
    "Redwood Mobility",
    "Tidewater Media",
)
VC_FIRMS: tuple[str, ...] = (
    "Foxglove Ventures",
    "Granite Peak Partners",
    "Lantern Capital",
    "Mistral Seed Fund",
    "Saltmarsh VC",
    "Kestrel Growth",
)
CITIES: tuple[str, ...] = (
    "Berlin",
    "London",
    "Austin",
    "Toronto",
    "Lisbon",
    "Amsterdam",
    "Denver",
    "Dublin",
    "Singapore",
    "Barcelona",
    "Chicago",
    "Stockholm",
    "Seattle",
    "Munich",
    "Paris",
)
ROLES: tuple[str, ...] = (
    "Product Manager",
    "Senior Data Engineer",
    "Backend Engineer",
    "Head of Growth",
    "Engineering Manager",
    "UX Researcher",
    "Data Scientist",
    "Staff Engineer",
    "Marketing Lead",
    "Solutions Architect",
    "Technical Recruiter",
    "Product Designer",
)
STREETS: tuple[str, ...] = (
    "Maple Street",
    "Kastanienallee",
    "Harbour Road",
    "Elm Avenue",
    "Rua das Flores",
    "Prinsengracht",
    "Oak Lane",
    "Baker Close",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, slots=True)
class Person:
    """A fictional LinkedIn member."""

    first: str
    last: str
    url: str
    company: str
    role: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}".strip()


def slug_url(name: str, salt: str = "") -> str:
    """A stable fake profile URL: the slug carries a short hash like real vanity-less URLs do."""
    base = "-".join(
        part for part in "".join(c.lower() if c.isalnum() else " " for c in name).split()
    )
    digest = hashlib.sha1(f"{name}|{salt}".encode()).hexdigest()[:8]
    return f"https://www.linkedin.com/in/{base}-{digest}"


def make_person(rng: random.Random, first: str | None = None, last: str | None = None) -> Person:
    first = first if first is not None else rng.choice(FIRST_NAMES)
    last = last if last is not None else rng.choice(LAST_NAMES)
    name = f"{first} {last}"
    return Person(
        first=first,
        last=last,
        url=slug_url(name, str(rng.randrange(1_000_000))),
        company=rng.choice(COMPANIES),
        role=rng.choice(ROLES),
    )


def member_person(member: str) -> Person:
    """The export's owner: the URL depends only on the name, so every file agrees on it."""
    first, _, last = member.partition(" ")
    return Person(
        first=first,
        last=last,
        url=slug_url(member, "member"),
        company="Brightpath Labs",
        role="Senior Product Manager",
    )


def people_pool(rng: random.Random, size: int, member: Person) -> tuple[Person, ...]:
    """Distinct fictional contacts (never the member's own name); at most half the name space."""
    size = min(size, len(FIRST_NAMES) * len(LAST_NAMES) // 2)
    seen = {member.name}
    pool: list[Person] = []
    while len(pool) < size:
        p = make_person(rng)
        if p.name not in seen:
            seen.add(p.name)
            pool.append(p)
    return tuple(pool)


def phone_number(rng: random.Random) -> str:
    """A US number in the 555-0100..0199 range reserved for fiction."""
    area = rng.choice(("212", "312", "415", "512", "617", "720"))
    return f"+1 {area} 555 01{rng.randrange(100):02d}"


def iban(rng: random.Random) -> str:
    """A German-shaped IBAN with a valid mod-97 check, from random digits (no real account)."""
    bban = "".join(rng.choice(string.digits) for _ in range(18))
    rearranged = bban + "1314" + "00"  # D=13, E=14
    check = 98 - int(rearranged) % 97
    raw = f"DE{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


TEST_CARDS = ("4111 1111 1111 1111", "5555 5555 5555 4444", "4012 8888 8888 1881")


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def aws_key(rng: random.Random) -> str:
    """AWS-shaped access key id (AKIA + 16) that ends in EXAMPLE, like AWS's documented sample."""
    alphabet = string.ascii_uppercase + "234567"
    return "AKIA" + "".join(rng.choice(alphabet) for _ in range(9)) + "EXAMPLE"


def password(rng: random.Random) -> str:
    word = rng.choice(("Sunflower", "Bluebird", "Tr0mbone", "Pancake", "Harbor", "Kettle"))
    return f"{word}{rng.randrange(10, 99)}{rng.choice('!#$%&')}{rng.choice(('x', 'Q', 'z7', ''))}"


def otp(rng: random.Random) -> str:
    return f"{rng.randrange(1_000_000):06d}"


def gmail(rng: random.Random, first: str, last: str) -> str:
    style = rng.randrange(3)
    if style == 0:
        local = f"{first}.{last}{rng.randrange(70, 99)}"
    elif style == 1:
        local = f"{first[0]}{last}.home"
    else:
        local = f"{first}{last}{rng.randrange(1, 9)}"
    return f"{local.lower()}@gmail.com"


def work_email(first: str, last: str) -> str:
    return f"{first.lower()}.{last.lower()}@example.com"


def home_address(rng: random.Random) -> str:
    return f"{rng.randrange(2, 180)} {rng.choice(STREETS)}, {rng.choice(CITIES)}"


def birth_date(rng: random.Random) -> str:
    return f"{rng.randrange(1, 28)} {rng.choice(FULL_MONTHS)} {rng.randrange(1972, 1999)}"
