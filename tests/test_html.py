"""The HTML report without a browser: escaping, offline-ness, charts, redaction, caps, size."""

from __future__ import annotations

import re
import stat
import sys
from collections import Counter
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="the HTML report needs the optional extra [html]")

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
from html_sample import (
    MEMBER,
    PEOPLE,
    SEVERITY,
    sample_result,
    sample_settings,
    summary_of,
)

from auditor.errors import AuditError
from auditor.models import Classification, Finding, Message
from auditor.pipeline import ScanResult
from auditor.report import html as report_html
from auditor.report.html import render_html, write_html


class _Tags(HTMLParser):
    """Every start tag with its attributes, as the browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def _render(
    result: ScanResult | None = None,
    *,
    redact: bool = False,
    no_content: bool = False,
    opted_out: date | None = date(2025, 2, 10),
) -> str:
    result = result or sample_result()
    settings = sample_settings(opted_out)
    return render_html(
        result,
        summary_of(result, settings),
        settings,
        severity=SEVERITY,
        redact=redact,
        no_content=no_content,
        tool_version="9.9.9",
    )


@pytest.fixture(scope="module")
def page() -> str:
    return _render()


def _message(row: int, text: str, when: datetime | None) -> Message:
    return Message(
        "messages.csv",
        row,
        "c1",
        "",
        "Zoe Quinn",
        "",
        (MEMBER,),
        (),
        when,
        "",
        text,
        "INBOX",
        (),
        False,
        "received",
        "member",
    )


def _flag(text: str, word: str, topic: str = "health") -> Classification:
    start = text.index(word)
    finding = Finding(topic, f"{topic}.x", word, start, start + len(word), 0.7, "test")
    return Classification((finding,), ((topic, 0.7),), (topic,))


def test_hostile_message_renders_as_text(page: str) -> None:
    tags = _tags(page)
    names = Counter(tag for tag, _ in tags)
    assert names["script"] == 1  # only the report's own inline script
    assert names["img"] == 0 and names["b"] == 0
    assert names["table"] == sum(1 for _ in re.finditer(r"</table>", page))
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in page
    assert "&lt;/table&gt;&lt;b&gt;bold&lt;/b&gt; &amp;amp; &lt;img src=x" in page
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)


def test_page_cannot_make_requests(page: str) -> None:
    csp = [a for t, a in _tags(page) if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert "img-src data:" in (csp[0]["content"] or "")
    for tag, attrs in _tags(page):
        for name in ("src", "href", "xlink:href", "action", "srcset"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    # Only the SVG namespace declarations mention http(s); no url() other than in-page ids.
    rest = re.sub(r'xmlns(:\w+)?="http://www\.w3\.org/[^"]+"', "", page)
    assert "http://" not in rest and "https://" not in rest
    assert re.findall(r"url\((?!#)", page) == []
    assert "@import" not in page and "@font-face" not in page


def test_four_charts_with_text_alternatives(page: str) -> None:
    figures = re.findall(r'<figure id="fig-(\w+)" class="chart">(.*?)</figure>', page, re.S)
    assert [key for key, _ in figures] == ["timeline", "share", "people", "content"]
    for key, body in figures:
        assert re.search(r'<svg role="img" aria-label="[^"]{40,}"', body), key
        assert "<figcaption>" in body and "<details><summary>" in body, key
        assert re.search(r'<table class="data">.*<td>\d', body, re.S), key
    assert "policy 18 Sep 2024" in page and "opt-out 10 Feb 2025" in page
    for colour in report_html.OKABE_ITO[:7]:
        assert colour.lower() in page.lower()


def test_ids_are_unique_across_inline_svgs(page: str) -> None:
    ids = Counter(a["id"] for _, a in _tags(page) if a.get("id"))
    assert [i for i, n in ids.items() if n > 1] == []
    for ref in re.findall(r"url\(#([^)]+)\)", page):
        assert ids[ref] == 1, ref


def test_deterministic(page: str) -> None:
    assert _render() == page


def test_summary_sections_and_wording(page: str) -> None:
    for anchor in (
        "account",
        "charts",
        "scenarios",
        "topics",
        "flagged",
        "how-to-read",
        "opt-out",
        "files",
        "caveats",
    ):
        assert f'<section id="{anchor}">' in page, anchor
    assert "Settings &amp; Privacy → Data privacy → Data for Generative AI Improvement" in page
    assert "stops future use" in page
    assert "Alleged, not proven" in page and "not legal advice" in page.lower()
    assert "not money owed" in page  # Premium + InMail before the date in the sample
    assert "risk: high" in page
    assert "1 row could not be read" in page


def test_no_statutory_figure_without_premium() -> None:
    from dataclasses import replace

    result = sample_result(60)
    export = replace(result.export, account=replace(result.export.account, premium=()))
    page = _render(ScanResult(export, result.message_results, result.content_results))
    assert "$1,000" not in page


def test_table_filters_and_rows(page: str) -> None:
    rows = [a for t, a in _tags(page) if t == "tr" and a.get("data-topics") is not None]
    result = sample_result()
    flagged = sum(r.is_flagged for r in (*result.message_results, *result.content_results))
    assert len(rows) == flagged
    assert {r["data-period"] for r in rows} >= {"before", "after", "after_opt_out", "undated"}
    assert {r["data-direction"] for r in rows} >= {"sent", "received", "content"}
    assert {"sponsored", "share", "member"} <= {r["data-kind"] for r in rows}
    selects = {a["data-filter"] for t, a in _tags(page) if t == "select"}
    assert selects == {"topic", "period", "direction", "kind"}
    assert '<mark title="health">chemotherapy</mark>' in page


def test_redact_masks_names_and_matched_words() -> None:
    page = _render(redact=True)
    text = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    for name in (MEMBER, *PEOPLE[:6]):
        assert name not in page, name
        assert name.split()[0] not in text, name
    for word in ("chemotherapy", "diagnosis", "+1 555 0142 881", "alex.home@example.com"):
        assert word not in page, word
    assert '<mark class="masked" title="health">[health]</mark>' in page
    assert "Person 1" in page and "[member]" in page


def test_no_content_drops_text() -> None:
    page = _render(no_content=True)
    assert "text left out (--no-content)" in page
    for text in ("Thanks for connecting", "came back, I start", "pwned", "Winter2024!"):
        assert text not in page, text
    assert "<mark>chemotherapy</mark>" in page  # matched words stay, as in the CSV


def test_table_cap_keeps_most_sensitive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_html, "TABLE_CAP", 10)
    page = _render()
    rows = [a for t, a in _tags(page) if t == "tr" and a.get("data-topics") is not None]
    assert len(rows) == 10
    assert "the 10 most sensitive of" in page and "holds them all" in page
    severities = re.findall(r'<td data-sort="(\d)" class="sev-', page)
    assert severities == ["3"] * 10


def test_long_text_is_shortened() -> None:
    body = "diagnosis " + "x" * (report_html.TEXT_CAP + 500)
    msg = _message(1, body, datetime(2024, 1, 1, tzinfo=timezone.utc))
    export = sample_result(5).export
    from dataclasses import replace

    export = replace(export, messages=(msg,), content=(), files=())
    result = ScanResult(export, (_flag(body, "diagnosis"),), ())
    page = _render(result)
    assert "x" * report_html.TEXT_CAP not in page
    assert f"shortened: {len(body):,} characters" in page


def test_empty_export_renders() -> None:
    from dataclasses import replace

    export = replace(sample_result(5).export, messages=(), content=(), files=())
    page = _render(ScanResult(export, (), ()))
    assert "Nothing was flagged." in page and "No dated messages or content to chart." in page
    assert "<svg" not in page


def test_long_history_is_bucketed_by_quarter_then_year() -> None:
    assert report_html._bucket_unit(date(2020, 1, 5), date(2024, 12, 1)) == "month"
    assert report_html._bucket_unit(date(2019, 12, 5), date(2024, 12, 1)) == "quarter"
    assert report_html._bucket_unit(date(2015, 1, 5), date(2024, 12, 1)) == "quarter"
    assert report_html._bucket_unit(date(2004, 1, 5), date(2024, 12, 1)) == "year"
    unit, starts = report_html._buckets([date(2015, 2, 3), date(2016, 11, 30)], [])
    assert unit == "month" and len(starts) == 22
    unit, starts = report_html._buckets([date(2012, 2, 3), date(2024, 11, 30)], [])
    assert unit == "quarter" and starts[0] == date(2012, 1, 1) and starts[-1] == date(2024, 10, 1)


def test_write_html_is_owner_only(tmp_path: Path) -> None:
    pytest.importorskip("auditor.outfiles")
    result = sample_result(40)
    settings = sample_settings()
    target = tmp_path / "report.html"
    write_html(
        str(target),
        result,
        summary_of(result, settings),
        settings,
        severity=SEVERITY,
        redact=False,
        no_content=False,
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_missing_matplotlib_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = sample_result(5)
    settings = sample_settings()
    target = tmp_path / "r.html"
    with pytest.raises(AuditError, match=r"pip install 'linkedin-audit\[html\]'"):
        write_html(
            str(target),
            result,
            summary_of(result, settings),
            settings,
            severity=SEVERITY,
            redact=False,
            no_content=False,
        )
    assert not target.exists()


def test_100k_messages_stay_under_20_mb() -> None:
    result = sample_result(100_000)
    page = _render(result)
    size = len(page.encode("utf-8"))
    assert size < 20_000_000, size
    rows = page.count("<tr data-topics=")
    assert rows == report_html.TABLE_CAP


def test_worst_case_table_stays_under_20_mb() -> None:
    """Every message flagged, long, escaping-heavy and 4-byte UTF-8: the caps bound the page."""
    from dataclasses import replace

    body = "diagnosis " + "<&>\U0001f600" * 2000  # escaping and emoji blow up the bytes
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    messages = tuple(_message(i, body, when) for i in range(1, 6001))
    export = replace(sample_result(5).export, messages=messages, content=(), files=())
    flag = _flag(body, "diagnosis")
    page = _render(ScanResult(export, (flag,) * len(messages), ()))
    size = len(page.encode("utf-8"))
    assert size < 20_000_000, size
    shown = page.count("<tr data-topics=")
    assert 0 < shown < len(messages)
    assert f"the {shown:,} most sensitive of 6,000 flagged items" in page


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("one_dated", ["timeline", "share", "people"]),
        ("one_undated", ["people"]),
        ("content_only", ["content"]),
        ("decades_apart", ["timeline", "share", "people"]),
    ],
)
def test_small_and_odd_exports_render(case: str, expected: list[str]) -> None:
    from dataclasses import replace

    from auditor.models import ContentItem

    when = datetime(2024, 9, 18, tzinfo=timezone.utc)
    one = _message(1, "diagnosis here", when)
    messages: tuple[Message, ...] = {
        "one_dated": (one,),
        "one_undated": (replace(one, date=None),),
        "content_only": (),
        "decades_apart": (replace(one, date=datetime(1999, 1, 1, tzinfo=timezone.utc)), one),
    }[case]
    content = (
        (ContentItem("Shares.csv", 1, "share", when, "diagnosis"),)
        if case == "content_only"
        else ()
    )
    export = replace(sample_result(5).export, messages=messages, content=content, files=())
    result = ScanResult(
        export,
        tuple(_flag(m.content, "diagnosis") for m in messages),
        tuple(_flag(c.text, "diagnosis") for c in content),
    )
    for opted_out in (None, date(2020, 1, 1)):
        page = _render(result, opted_out=opted_out)
        assert re.findall(r'<figure id="fig-(\w+)"', page) == expected
        assert page.count("<tr data-topics=") == len(messages) + len(content)


def test_hostile_names_and_titles_stay_text() -> None:
    """Names reach the SVG (matplotlib) and the table; neither may parse them as markup or math."""
    from dataclasses import replace

    name = '<i>Mal</i> $\\alpha$ & "Co" </svg>'
    when = datetime(2024, 10, 1, tzinfo=timezone.utc)
    messages = tuple(
        replace(
            _message(i, "diagnosis again", when),
            sender=name,
            conversation_title="</td><script>x()</script>",
        )
        for i in range(1, 4)
    )
    export = replace(sample_result(5).export, messages=messages, content=(), files=())
    result = ScanResult(export, tuple(_flag(m.content, "diagnosis") for m in messages), ())
    page = _render(result)
    tags = Counter(tag for tag, _ in _tags(page))
    assert tags["i"] == 0 and tags["script"] == 1
    assert page.count("</svg>") == tags["svg"] == 3
    escaped = "&lt;i&gt;Mal&lt;/i&gt; $\\alpha$ &amp; &quot;Co&quot; &lt;/svg&gt;"
    svg_people = re.search(r'<figure id="fig-people".*?<svg[^>]*>(.*?)</svg>', page, re.S)
    assert svg_people
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg_people.group(1))
    assert '&lt;i&gt;Mal&lt;/i&gt; $\\alpha$ &amp; "Co" &lt;/svg&gt;' in drawn  # not as math
    assert escaped in page
    assert "&lt;/td&gt;&lt;script&gt;x()&lt;/script&gt;" in page


def test_premium_evidence_is_grouped() -> None:
    from auditor.models import PremiumEvidence

    def ev(description: str, month: int | None) -> PremiumEvidence:
        when = datetime(2023, month, 2, tzinfo=timezone.utc) if month else None
        return PremiumEvidence("Receipts.csv", description, when)

    line = report_html._premium_line(
        [ev("Premium Career", 3), ev("Premium Career", 1), ev("Sales Navigator", 5), ev("X", None)]
    )
    assert line == (
        "Premium Career (2 records, 2 Jan 2023 – 2 Mar 2023); Sales Navigator (2 May 2023); X"
    )
