"""Text repairs: HTML to text, group-chat splitting, URL splitting, Shares unwrapping."""

from __future__ import annotations

import pytest

from auditor.loader.text import (
    html_to_text,
    looks_like_html,
    maybe_html_to_text,
    normalise_url,
    split_names,
    split_urls,
    unwrap_share,
)


def test_html_to_text_breaks_and_entities() -> None:
    html = (
        '<p class="spinmail-quill-editor__spin-break">Hi %FIRSTNAME%,</p><p>Line&nbsp;two'
        "<br>Line three<br/>Tom &amp; Jerry &rsquo;s &#39;x&#39; &quot;q&quot; &lt;b&gt; "
        "&ndash; &hellip;</p><ul><li>One</li><li><strong>Two</strong></li></ul>"
        '<a href="https://x">link</a>'
    )
    assert html_to_text(html) == (
        "Hi %FIRSTNAME%,\nLine two\nLine three\nTom & Jerry ’s 'x' \"q\" <b> – …\n\nOne\nTwo\nlink"
    )


@pytest.mark.parametrize(
    "plain",
    [
        "See <https://example.org/a?b=1> for details",
        "a < b and c > d",
        "Use <3 and <http://x.y>",
        "Tom &amp; Jerry in plain text stays as written",
    ],
)
def test_plain_messages_are_not_html(plain: str) -> None:
    assert not looks_like_html(plain)
    assert maybe_html_to_text(plain) == plain


def test_html_detection_is_case_insensitive() -> None:
    assert looks_like_html("<P>Hi</P>")
    assert maybe_html_to_text("<P>Hi</P><BR>there") == "Hi\n\nthere"


@pytest.mark.parametrize(
    ("to", "names"),
    [
        ("", ()),
        ("Alex Member", ("Alex Member",)),
        ("Alex Member,Jane Roe, PhD,Carl Third", ("Alex Member", "Jane Roe, PhD", "Carl Third")),
        ("Jane Roe, PhD", ("Jane Roe, PhD",)),
        ("A,B", ("A", "B")),
    ],
)
def test_split_names(to: str, names: tuple[str, ...]) -> None:
    assert split_names(to) == names


def test_split_urls_on_url_starts_not_commas() -> None:
    joined = "https://www.linkedin.com/in/a,b-1,http://www.linkedin.com/in/c,https://x.y/in/d"
    assert split_urls(joined) == (
        "https://www.linkedin.com/in/a,b-1",
        "http://www.linkedin.com/in/c",
        "https://x.y/in/d",
    )
    assert split_urls("") == ()
    assert split_urls("https://only.one/in/x") == ("https://only.one/in/x",)


def test_normalise_url() -> None:
    assert normalise_url("https://www.LinkedIn.com/in/Alex/") == normalise_url(
        "http://linkedin.com/in/alex"
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('First line."\n""\n"Second line.', "First line.\n\nSecond line."),
        ('One."\n"Two."\n"Three', "One.\nTwo.\nThree"),
        ("Single line", "Single line"),
        ('He said "hi"', 'He said "hi"'),
        ("Line one\nline two without wrapping", "Line one\nline two without wrapping"),
    ],
)
def test_unwrap_share(raw: str, expected: str) -> None:
    assert unwrap_share(raw) == expected
