"""Text repairs shared by the readers: HTML to plain text, list splitting, quote unwrapping."""

from __future__ import annotations

import html
import re

__all__ = [
    "html_to_text",
    "looks_like_html",
    "maybe_html_to_text",
    "normalise_url",
    "split_names",
    "split_urls",
    "unwrap_share",
]

# Tags seen in exported HTML (ads, marketing, articles, job answers). A plain message that merely
# contains `<https://…>` must not count as HTML: the tag name must be followed by space, `>` or `/`.
_HTML_TAG = re.compile(
    r"</?(?:p|br|li|ul|ol|strong|em|b|i|u|a|div|span|h[1-6]|table|tr|td|img|html|body|head)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_BREAKS = re.compile(
    r"<br\s*/?>|</p\s*>|</[ou]l\s*>|</div\s*>|</h[1-6]\s*>|</tr\s*>|<li(?:\s[^<>]*)?>", re.I
)
_DROP_BLOCKS = re.compile(r"<(script|style|head|title)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_ANY_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|<!--.*?-->|<!DOCTYPE[^>]*>", re.S)
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_MANY_NL = re.compile(r"\n{3,}")


def looks_like_html(text: str) -> bool:
    """True when the text carries real HTML tags (not just `<https://…>` in a plain message)."""
    return "<" in text and _HTML_TAG.search(text) is not None


def html_to_text(text: str) -> str:
    """HTML to plain text: tags out, line-ish tags to newlines, entities unescaped."""
    text = _DROP_BLOCKS.sub("", text)
    text = _BREAKS.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _MANY_NL.sub("\n\n", "\n".join(lines)).strip()


def maybe_html_to_text(text: str) -> str:
    return html_to_text(text) if looks_like_html(text) else text


_NAME_SEP = re.compile(r",(?! )")


def split_names(to: str) -> tuple[str, ...]:
    """Group-chat TO joins names with `,` and no space; names may hold `, ` (`Jane Roe, PhD`)."""
    if not to:
        return ()
    if "," not in to:
        return (to.strip(),)
    return tuple(n.strip() for n in _NAME_SEP.split(to) if n.strip())


_URL_START = re.compile(r"\s*,\s*(?=https?://)", re.IGNORECASE)


def split_urls(urls: str) -> tuple[str, ...]:
    """RECIPIENT PROFILE URLS joins with `,`: split where `http(s)://` starts, not on commas."""
    if not urls:
        return ()
    if "," not in urls:
        return (urls.strip(),)
    return tuple(u.strip() for u in _URL_START.split(urls) if u.strip())


def normalise_url(url: str) -> str:
    """Profile URL key for comparisons: no scheme, no `www.`, no trailing slash, lower case."""
    u = url.strip().lower()
    for prefix in ("https://", "http://"):
        if u.startswith(prefix):
            u = u[len(prefix) :]
            break
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/")


def unwrap_share(text: str) -> str:
    """Shares.csv wraps every line of a multi-line post in literal quotes, so after CSV decoding
    a post reads `First line."\\n""\\n"Second line.`: strip each line's wrapping quotes."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    if not (lines[0].endswith('"') and lines[-1].startswith('"')):
        return text
    out = []
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if i > 0 and line.startswith('"'):
            line = line[1:]
        if i < last and line.endswith('"'):
            line = line[:-1]
        out.append(line)
    return "\n".join(out)
