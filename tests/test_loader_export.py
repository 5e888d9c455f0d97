"""Whole exports: the same assertions over zip, folder and nested folder; content, facts,
encodings, merging inputs, and the accounting promise."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import loader_fixtures as fx
import pytest

from auditor.loader import load_export
from auditor.models import ContentItem, Export, FileReport

UTC = timezone.utc
FORMS = ["zip", "folder", "nested"]


def _load(tmp_path: Path, files: fx.Files, form: str = "zip") -> Export:
    return load_export([fx.materialise(files, tmp_path, form)])


def _report(export: Export, path: str) -> FileReport:
    return next(f for f in export.files if f.path == path)


def _items(export: Export, kind: str) -> list[ContentItem]:
    return [c for c in export.content if c.kind == kind]


def _accounting_holds(export: Export) -> None:
    for f in export.files:
        assert f.rows_read == f.rows_loaded + f.rows_rejected, f
        rejected_issues = [i for i in export.issues if i.file == f.path and i.rejected]
        assert f.rows_rejected >= len([i for i in rejected_issues if i.row > 0])


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Export]:
    files = fx.rich_export()
    return {
        form: load_export([fx.materialise(files, tmp_path_factory.mktemp(form), form)])
        for form in FORMS
    }


@pytest.mark.parametrize("form", FORMS)
def test_rich_export_accounting_and_files(rich: dict[str, Export], form: str) -> None:
    ex = rich[form]
    _accounting_holds(ex)
    paths = {f.path for f in ex.files}
    assert "Jobs/Job Applications.csv" in paths
    assert len(ex.messages) == 13
    assert ex.duplicates_merged == 0
    assert all(f.source == ex.inputs[0] for f in ex.files)
    unknown = _report(ex, "Mystery_Future_File.csv")
    assert (unknown.kind, unknown.understood, unknown.rows_read) == ("unknown", False, 2)
    txt = _report(ex, "notes.txt")
    assert (txt.kind, txt.understood, txt.rows_read) == ("unknown", False, 0)
    other = _report(ex, "Reactions.csv")
    assert (other.kind, other.understood, other.rows_read) == ("other", True, 1)
    assert _report(ex, "Learning.csv").rows_read == 1  # trailing-comma 8th column tolerated


@pytest.mark.parametrize("form", FORMS)
def test_rich_export_content(rich: dict[str, Export], form: str) -> None:
    ex = rich[form]
    shares = _items(ex, "share")
    assert [s.text for s in shares] == ["First line.\n\nSecond line.", "Single line post"]
    assert _report(ex, "Shares.csv").rows_loaded == 3  # the empty commentary is a loaded row
    comments = _items(ex, "comment")
    assert comments[0].text == "First line of comment\nsecond line of comment\nthird line"
    assert comments[1].text == "Quoted, with comma"
    assert [c.source_row for c in comments] == [1, 2]
    assert _report(ex, "Comments.csv").rows_read == 2
    (article,) = _items(ex, "article")
    assert article.title == "My First Article"
    assert article.date == datetime(2023, 4, 5, 10, 20, 30, tzinfo=UTC)
    assert "Para & two." in article.text and "<" not in article.text
    (inv,) = _items(ex, "invitation")
    assert inv.text == "Let's connect" and inv.title == "Bob Other"
    (media,) = _items(ex, "rich_media")
    assert media.text == "Team photo" and media.date == datetime(2026, 3, 9, 14, 58, tzinfo=UTC)
    assert [c.text for c in _items(ex, "recommendation_received")] == ["Alex is great."]
    assert _items(ex, "recommendation_given") == []
    assert _report(ex, "Recommendations_Given.csv").rows_loaded == 1
    summaries = {(c.source_file, c.title): c.text for c in _items(ex, "profile_summary")}
    assert summaries[("Profile.csv", "Summary")] == "I build things.\nAnd more."
    assert summaries[("Profile.csv", "Headline")] == "Engineer at Acme"
    assert summaries[("Profile Summary.csv", "")] == "Summary text here"
    (pos,) = _items(ex, "position")
    assert pos.text == "Built the thing" and pos.date == datetime(2018, 6, 1, tzinfo=UTC)
    (job,) = _items(ex, "job_application")
    assert "<p>" not in job.text and "Visa?:No" in job.text and job.title == "Lead, Globex"
    answers = sorted(c.text for c in _items(ex, "screening_answer"))
    assert answers == ["Need sponsorship?: No", "Notice period?: 3 months", "Years of Python?: 8"]


@pytest.mark.parametrize("form", FORMS)
def test_rich_export_account_facts(rich: dict[str, Export], form: str) -> None:
    acc = rich[form].account
    assert acc.member_name == fx.ME
    assert acc.member_urls == (fx.ME_URL,)
    assert acc.connections == 3  # the hidden-profile row counts
    assert acc.registered_at == datetime(2009, 5, 1, 10, 0, tzinfo=UTC)
    assert acc.subscription_types == "Premium Career"
    premium = {(p.source_file, p.description, p.date) for p in acc.premium}
    assert ("Receipts.csv", "Premium Career", datetime(2021, 11, 22, 21, 58, tzinfo=UTC)) in premium
    assert (
        "Receipts_v2.csv",
        "Recruiter Lite (Monthly)",
        datetime(2024, 11, 26, 13, 32, tzinfo=UTC),
    ) in premium
    assert ("Registration.csv", "Premium Career", None) in premium
    assert acc.inferences == (("Job seeker/Open to work", "Yes"),)
    assert acc.ad_targeting == (
        ("Member Age", "25 to 34"),
        ("Company Names", "Acme"),
        ("Company Names", "Globex"),
        ("Job Titles", "Engineer; Lead"),
    )


def test_jobs_prefix_flattened(tmp_path: Path) -> None:
    files = {k.removeprefix("Jobs/"): v for k, v in fx.rich_export().items()}
    ex = _load(tmp_path, files, "folder")
    assert [c.title for c in _items(ex, "job_application")] == ["Lead, Globex"]
    assert len(_items(ex, "screening_answer")) == 3


def test_connections_without_preamble_and_old_columns(tmp_path: Path) -> None:
    files = {"Connections.csv": fx.connections(preamble=False, url_column=False)}
    ex = _load(tmp_path, files)
    assert ex.account.connections == 3
    rep = _report(ex, "Connections.csv")
    assert rep.date_min == datetime(2020, 1, 1, tzinfo=UTC)
    assert rep.date_max == datetime(2024, 12, 16, tzinfo=UTC)


def test_multi_input_merge_counts_duplicates_once(tmp_path: Path) -> None:
    full = fx.rich_export()
    basic = {"messages.csv": full["messages.csv"], "Profile.csv": full["Profile.csv"]}
    a = fx.write_zip(basic, tmp_path / "Basic.zip")
    b = fx.materialise(full, tmp_path / "complete", "folder")
    ex = load_export([a, b])
    assert ex.inputs == (str(a), str(b))
    assert ex.duplicates_merged == 12
    assert len(ex.messages) == 13  # 12 from messages.csv once, plus the coach file
    assert {f.source for f in ex.files} == {str(a), str(b)}
    assert len([f for f in ex.files if f.path == "messages.csv"]) == 2
    # identical content from both inputs also appears once
    assert len([c for c in ex.content if c.source_file == "Profile.csv"]) == 2
    assert ex.account.member_urls == (fx.ME_URL,)
    # the Basic input had no Invitations.csv: its directions are re-derived after the merge
    sent = {m.content for m in ex.messages if m.direction == "sent"}
    assert sent == {"My reply", "Unsent words"}
    assert {m.direction for m in ex.messages if m.sender == "Bob Other"} == {"received"}


def test_utf16_2018_files(tmp_path: Path) -> None:
    files = {
        "Messages.csv": fx.messages_2018(),
        "Shares.csv": fx.utf16_tab(
            ["Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl"],
            [["2018-03-01 10:00:00", "https://x", "Café post ✓", "", ""]],
        ),
        "Ad_Targeting.csv": fx.utf16_tab(
            ["Company Names", "Company Names", "Job Titles"], [["Acme", "Globex", "Eng"]]
        ),
        "Logins.csv": fx.utf16_tab(
            ["Login Date", "IP Address"], [["x", "y"], ["z", "w"]], bom=False
        ),
    }
    ex = _load(tmp_path, files)
    (share,) = _items(ex, "share")
    assert share.text == "Café post ✓"
    assert share.date == datetime(2018, 3, 1, 10, tzinfo=UTC)
    assert "UTF-16LE" in _report(ex, "Shares.csv").note
    assert "tab-separated" in _report(ex, "Shares.csv").note
    assert ex.account.ad_targeting == (
        ("Company Names", "Acme"),
        ("Company Names", "Globex"),
        ("Job Titles", "Eng"),
    )
    assert _report(ex, "Logins.csv").rows_read == 2  # UTF-16 without BOM, by NUL pattern
    _accounting_holds(ex)


def test_bom_crlf_nul_invalid_bytes_and_blank_lines(tmp_path: Path) -> None:
    body = fx.csv_bytes(
        fx.H2023,
        [
            ["2-a", "", "Bob", fx.BOB_URL, "Me", "", "2023-01-01 10:00:00 UTC", "", "ok", "INBOX"],
            ["2-a", "", "Bob", fx.BOB_URL, "Me", "", "2023-01-01 11:00:00 UTC", "", "bad\xff",
             "INBOX"],
        ],
        lineterminator="\r\n",
        encoding="latin-1",
    )  # fmt: skip
    data = b"\xef\xbb\xbf" + body.replace(b"ok", b"o\x00k") + b"\r\n\n\r\n"
    ex = _load(tmp_path, {"messages.csv": data})
    rep = _report(ex, "messages.csv")
    assert (rep.rows_read, rep.rows_loaded, rep.rows_rejected) == (2, 2, 0)
    assert [m.content for m in ex.messages] == ["ok", "bad\ufffd"]
    assert ex.messages[0].conversation_id == "2-a"  # the BOM is not part of the first header
    replaced = [i for i in ex.issues if "undecodable" in i.reason]
    assert len(replaced) == 1 and not replaced[0].rejected


def test_huge_field(tmp_path: Path) -> None:
    big = "word " * 60_000  # 300k chars, beyond csv's default field limit
    rows = [["2-a", "", "Bob", fx.BOB_URL, "Me", "", "2023-01-01 10:00:00 UTC", "", big, "INBOX"]]
    ex = _load(tmp_path, {"messages.csv": fx.csv_bytes(fx.H2023, rows)})
    assert len(ex.messages[0].content) == len(big)


def test_comments_2026_backslash_quotes(tmp_path: Path) -> None:
    ex = _load(tmp_path, {"Comments.csv": fx.comments_2026()})
    assert [c.text for c in _items(ex, "comment")] == ['He said "hi", then left', "Plain"]
    _accounting_holds(ex)


def test_file_recognised_by_header(tmp_path: Path) -> None:
    files = {"messages (1).csv": fx.messages_2023(), "Connections (2).csv": fx.connections()}
    ex = _load(tmp_path, {**files, "Profile.csv": fx.profile()})
    assert len(ex.messages) == 2
    assert _report(ex, "messages (1).csv").kind == "messages"
    assert ex.account.connections == 3


def test_2018_articles_title_from_html(tmp_path: Path) -> None:
    html = b"<html><head><title>Old Title</title></head><body><h1>H</h1><p>Body</p></body></html>"
    ex = _load(tmp_path, {"Articles/2018-01-02 03_04_05.0.html": html, "Profile.csv": fx.profile()})
    (art,) = _items(ex, "article")
    assert art.title == "Old Title"
    assert art.date == datetime(2018, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert art.text == "H\nBody"


def test_zip_inside_zip(tmp_path: Path) -> None:
    inner = fx.zip_bytes(fx.rich_export())
    outer = fx.write_zip({"Basic_LinkedInDataExport_01-02-2026.zip": inner}, tmp_path / "X.zip.zip")
    ex = load_export([outer])
    assert len(ex.messages) == 13
    _accounting_holds(ex)


def test_rezipped_folder_with_top_directory(tmp_path: Path) -> None:
    files = {f"Export_X/{k}": v for k, v in fx.rich_export().items()}
    ex = load_export([fx.write_zip(files, tmp_path / "rezipped.zip")])
    assert len(ex.messages) == 13
    assert "Jobs/Job Applications.csv" in {f.path for f in ex.files}
    assert len(_items(ex, "article")) == 1
