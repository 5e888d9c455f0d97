"""Validators for identifier detectors: checksums and sanity checks a regex cannot express.

A detector rule (lexicon TOML, `validator = "<name>"`) finds candidates with its pattern; the
validator named here then accepts the match — returning the base score and a short note for the
explanation — or rejects it (None). A Luhn-invalid "card" or a mod-97-invalid "IBAN" is not
evidence of anything, so it never becomes a finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.classify.rules import Rule

Verdict = tuple[float, str] | None
Validator = Callable[["re.Match[str]", "Rule"], Verdict]

_NON_DIGIT = re.compile(r"\D")


def _value(m: re.Match[str]) -> str:
    """The named group `v` (or `v2`, `v3` ... for alternative shapes), else the whole match."""
    for name in m.re.groupindex:
        if name.startswith("v") and m.group(name) is not None:
            return m.group(name)
    return m.group(0)


def luhn_ok(digits: str) -> bool:
    """Luhn checksum (payment cards)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# Lengths of the IBANs of the countries people here are most likely to paste; others: 15..34.
_IBAN_LENGTHS: Mapping[str, int] = {
    "AT": 20, "BE": 16, "CH": 21, "CZ": 24, "DE": 22, "DK": 18, "ES": 24, "FI": 18, "FR": 27,
    "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27, "LI": 21, "LU": 20, "MC": 27,
    "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "TR": 26,
}  # fmt: skip


def iban_ok(raw: str) -> bool:
    """ISO 13616 check: country length and mod-97 == 1."""
    iban = re.sub(r"[\s\-]", "", raw).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(number) % 97 == 1


def _luhn(m: re.Match[str], rule: Rule) -> Verdict:
    digits = _NON_DIGIT.sub("", _value(m))
    if not 13 <= len(digits) <= 19 or len(set(digits)) < 3 or not luhn_ok(digits):
        return None
    return rule.weight, "Luhn ok"


def _iban(m: re.Match[str], rule: Rule) -> Verdict:
    return (rule.weight, "IBAN mod-97 ok") if iban_ok(_value(m)) else None


def _ssn(m: re.Match[str], rule: Rule) -> Verdict:
    digits = _NON_DIGIT.sub("", _value(m))
    if len(digits) != 9:
        return None
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return None
    return rule.weight, "valid SSN ranges"


_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|(?:19|20)\d\d\s*-\s*(?:19|20)\d\d)$"
)


def _phone(m: re.Match[str], rule: Rule) -> Verdict:
    raw = _value(m).strip()
    digits = _NON_DIGIT.sub("", raw)
    lo = int(rule.number("min_digits", 7))
    if not lo <= len(digits) <= 15 or len(set(digits)) < 3 or _DATE_LIKE.match(raw):
        return None
    return rule.weight, f"{len(digits)} digits"


def _domain_matches(domain: str, patterns: tuple[str, ...]) -> bool:
    for p in patterns:
        if p.endswith(".*"):
            if domain.startswith(p[:-1]):
                return True
        elif domain == p or domain.endswith("." + p):
            return True
    return False


def _email(m: re.Match[str], rule: Rule) -> Verdict:
    address = _value(m).lower()
    local, _, domain = address.rpartition("@")
    personal = rule.option("personal_domains", ())
    role = rule.option("role_mailboxes", ())
    ignored = rule.option("ignore_domains", ())
    if isinstance(ignored, tuple) and _domain_matches(domain, ignored):
        return None
    if isinstance(personal, tuple) and _domain_matches(domain, personal):
        return rule.weight, f"personal domain {domain}"
    if isinstance(role, tuple) and local in role:
        return None
    return rule.number("other_weight", 0.3), "non-personal domain"


_STOP_SECRETS = frozenset(
    (
        "reset",
        "expired",
        "expire",
        "expires",
        "incorrect",
        "wrong",
        "invalid",
        "protected",
        "manager",
        "policy",
        "policies",
        "required",
        "strong",
        "weak",
        "changed",
        "change",
        "same",
        "secure",
        "the",
        "a",
        "an",
        "your",
        "my",
        "our",
        "their",
        "not",
        "now",
        "here",
        "there",
        "below",
        "above",
        "attached",
        "sent",
        "same-as-before",
        "correct",
        "updated",
        "missing",
        "forgotten",
        "forgot",
        "and",
        "or",
        "but",
        "in",
        "on",
        "for",
        "to",
        "with",
        "that",
        "this",
        "it",
        "is",
        "was",
        "will",
        "be",
        "hint",
        "field",
        "page",
        "link",
        "please",
        "ok",
    )
)


# Keywords that name a secret only sometimes ("wifi", "pass", Spanish "clave" = key point): after
# them a plain word is a description, not a password; a quoted or marked value still counts.
_LOOSE_KEYWORD = re.compile(r"(?:wi-?fi|wlan|pass|clave)\b", re.IGNORECASE)
_STRICT_KEYWORD = re.compile(
    r"pass ?(?:word|wort|code|phrase)|kennwort|\bpwd?\b|mot de passe|\bmdp\b|contrase|\bpsk\b"
    r"|secret",
    re.IGNORECASE,
)


def _secret(m: re.Match[str], rule: Rule) -> Verdict:
    whole = m.group(0)
    value = _value(m).strip().strip(".,;:!?)(")
    quoted = value[:1] in "\"'`" or whole.rstrip()[-1:] in "\"'`" or bool(m.groupdict().get("q"))
    value = value.strip("\"'`")
    if len(value) < 3 or value.lower() in _STOP_SECRETS:
        return None
    has_mark = bool(re.search(r"[\d!@#$%^&*_+=?~|<>]", value))
    if not (quoted or has_mark or len(value) >= 6):
        return None
    loose = _LOOSE_KEYWORD.match(whole) and not _STRICT_KEYWORD.search(whole)
    if loose and not (quoted or has_mark):
        return None  # "the wifi in the office is terrible", "la clave es comunicar"
    return rule.weight, "secret value present"


def _classes(value: str) -> int:
    return sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
            any(not c.isalnum() for c in value),
        )
    )


def _strong_secret(m: re.Match[str], rule: Rule) -> Verdict:
    """A bare value (no "is"/":" before it) must look like a password: >= 6 chars, mixed."""
    value = _value(m).strip().rstrip(".,;:!?)")
    if len(value) < 6 or value.lower() in _STOP_SECRETS or "://" in value:
        return None
    if _classes(value) < 2 or not re.search(r"[\d\W_]", value):
        return None
    if re.fullmatch(r"[\d./:-]+", value) or re.fullmatch(r"[a-z]+/[a-z]+", value, re.I):
        return None  # dates, times, fractions, "and/or"
    return rule.weight, "password-like value"


def _code(m: re.Match[str], rule: Rule) -> Verdict:
    digits = _NON_DIGIT.sub("", _value(m))
    lo = int(rule.number("min_digits", 4))
    hi = max(8, int(rule.number("max_digits", 8)))
    if not lo <= len(digits) <= hi or len(set(digits)) < 2:
        return None
    return rule.weight, f"{len(digits)}-digit code"


def _token(m: re.Match[str], rule: Rule) -> Verdict:
    value = _value(m).rstrip(".,;")
    lo = int(rule.number("min_length", 16))
    if len(value) < lo or not re.search(r"\d", value) or not re.search(r"[a-zA-Z]", value):
        return None
    if ("/" in value or "." in value) and (len(value) < 24 or _classes(value) < 4):
        return None  # URLs, paths, host names, version strings
    if re.fullmatch(r"[\d-]+[a-z]{0,2}", value, re.I):
        return None  # order and phone numbers
    return rule.weight, "token-like value"


_MONTHS = re.compile(r"[a-zäéû]{3,}")


def _birth_date(m: re.Match[str], rule: Rule) -> Verdict:
    nums = [int(x) for x in re.findall(r"\d+", _value(m))]
    if not nums:
        return None
    years = [n for n in nums if n >= 100]
    if years and not 1900 <= years[0] <= 2020:
        return None
    small = [n for n in nums if n < 100]
    if not _MONTHS.search(_value(m)) and (len(small) < 2 or any(n == 0 or n > 31 for n in small)):
        return None
    return rule.weight, "date after birth cue"


def _gov_id(m: re.Match[str], rule: Rule) -> Verdict:
    value = _value(m)
    digits = _NON_DIGIT.sub("", value)
    if len(digits) < 5 or len(re.sub(r"[\s-]", "", value)) > 20:
        return None
    if re.fullmatch(r"(?:19|20)\d\d", digits):
        return None
    return rule.weight, "ID-shaped value after its label"


VALIDATORS: Mapping[str, Validator] = {
    "luhn": _luhn,
    "iban": _iban,
    "ssn": _ssn,
    "phone": _phone,
    "email": _email,
    "secret": _secret,
    "code": _code,
    "token": _token,
    "strong_secret": _strong_secret,
    "gov_id": _gov_id,
    "birth_date": _birth_date,
}
