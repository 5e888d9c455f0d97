"""The synthetic export generator: deterministic, in the real shapes, with the promised content."""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from auditor.synth import generate_messages, write_export, write_samples
from auditor.synth.__main__ import main
from auditor.synth.people import luhn_ok, member_person
from auditor.synth.samples import FOLDER_2021, INNER_2021, SAMPLE_NAMES, SIZES, ZIP_2018, ZIP_2025
from auditor.synth.texts import SENSITIVE

SAMPLES = Path(__file__).resolve().parents[1] / "sample_exports"
MEMBER_URL = member_person("Alex Morgan").url
COLS_11 = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
]  # fmt: skip


def tree_contents(root: Path) -> dict[str, bytes]:
    """Every file under root, zips expanded into their members (decompressed bytes)."""
    out: dict[str, bytes] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    out[f"{rel}!{name}"] = zf.read(name)
        else:
            out[rel] = path.read_bytes()
    return out


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fresh")
    write_samples(out)
    return out


@pytest.fixture(scope="module")
def sample_rows(fresh: Path) -> list[dict[str, str]]:
    with zipfile.ZipFile(fresh / ZIP_2025) as zf:
        text = zf.read("messages.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


# -- determinism and the committed samples -------------------------------------------------------
def test_regeneration_is_byte_identical(fresh: Path, tmp_path: Path) -> None:
    again = write_samples(tmp_path)
    assert sorted(p.name for p in again) == sorted(SAMPLE_NAMES)
    first = {
        p.relative_to(fresh).as_posix(): p.read_bytes() for p in fresh.rglob("*") if p.is_file()
    }
    second = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in tmp_path.rglob("*")
        if p.is_file()
    }
    assert first == second


def test_committed_samples_match_a_fresh_generation(fresh: Path) -> None:
    committed = tree_contents(SAMPLES)
    generated = tree_contents(fresh)
    assert sorted(committed) == sorted(generated)
    changed = [name for name in generated if committed[name] != generated[name]]
    assert changed == [], "regenerate with: python -m auditor.synth --out sample_exports"


def test_samples_folder_is_small() -> None:
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 2_000_000


def test_different_seeds_give_different_messages(tmp_path: Path) -> None:
    a = write_export(tmp_path / "a.zip", style="2025", n_messages=50, seed=1)
    b = write_export(tmp_path / "b.zip", style="2025", n_messages=50, seed=2)
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.read("messages.csv") != zb.read("messages.csv")
        assert za.read("Profile.csv") == zb.read("Profile.csv")  # same member


# -- archive shape -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [ZIP_2025, ZIP_2018])
def test_sample_zip_has_no_directory_entries_and_uses_deflate(fresh: Path, name: str) -> None:
    with zipfile.ZipFile(fresh / name) as zf:
        infos = zf.infolist()
    assert infos
    assert not [i.filename for i in infos if i.is_dir() or i.filename.endswith("/")]
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)


def test_2025_sample_lists_the_promised_files(fresh: Path) -> None:
    with zipfile.ZipFile(fresh / ZIP_2025) as zf:
        names = set(zf.namelist())
        assert zf.read("LearningCoachMessages.csv") == b"No conversations found"
        guide = zf.read("guide_messages.csv").decode()
    assert guide.count("\n") == 1  # header only
    for name in (
        "messages.csv", "coach_messages.csv", "learning_coach_messages.csv", "Connections.csv",
        "Invitations.csv", "Profile.csv", "Profile Summary.csv", "Positions.csv",
        "Receipts_v2.csv", "Receipts.csv", "Registration.csv", "Shares.csv", "Comments.csv",
        "Reactions.csv", "Rich_Media.csv", "Recommendations_Given.csv",
        "Recommendations_Received.csv", "Jobs/Job Applications.csv", "Jobs/Saved Jobs.csv",
        "Jobs/Job Applicant Saved Screening Question Responses_1.csv",
        "Jobs/Job Applicant Saved Screening Question Responses_2.csv",
        "Inferences_about_you.csv", "Ad_Targeting.csv", "Email Addresses.csv",
        "PhoneNumbers.csv", "Articles/Articles/2024-05-02 10_15_00.0-Some Title.html",
        "Logins.csv", "SearchQueries.csv", "Skills.csv", "Duolingo.csv",
    ):  # fmt: skip
        assert name in names, name


def test_2021_sample_is_a_nested_folder(fresh: Path) -> None:
    inner = fresh / FOLDER_2021 / INNER_2021
    assert {p.name for p in inner.iterdir()} == {
        "messages.csv", "Connections.csv", "Profile.csv", "Invitations.csv", "Shares.csv",
        "Comments.csv",
    }  # fmt: skip
    text = (inner / "messages.csv").read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows[0]) == 9 and rows[0][5] == "DATE"
    assert len(rows) - 1 == SIZES["2021"] >= 150
    dates = [datetime.strptime(r[5], "%Y-%m-%d %H:%M:%S UTC") for r in rows[1:]]
    assert min(dates).year >= 2019 and max(dates) < datetime(2021, 3, 14)
    assert not any("\n" in r[7] for r in rows[1:])  # flattened into runs of spaces
    assert any("  " in r[7] for r in rows[1:])
    conn = (inner / "Connections.csv").read_text("utf-8").split("\n")
    assert conn[3] == "First Name,Last Name,Email Address,Company,Position,Connected On"
    assert (
        (inner / "Shares.csv")
        .read_bytes()
        .decode("utf-8")
        .startswith("Date,ShareLink,ShareCommentary,SharedURL,MediaURL,Visibility\r\n")
    )


def test_2018_sample_shapes(fresh: Path) -> None:
    with zipfile.ZipFile(fresh / ZIP_2018) as zf:
        messages = zf.read("Messages.csv").decode("utf-8")
        logins = zf.read("Logins.csv")
        phones = zf.read("Phone Numbers.csv").decode("utf-8")
        profile = zf.read("Profile.csv").decode("utf-8")
        names = set(zf.namelist())
    rows = list(csv.reader(io.StringIO(messages, newline="")))
    assert rows[0] == ["From", "To", "Date", "Subject", "Content", "Direction", "Folder"]
    assert len(rows) - 1 == SIZES["2018"] >= 100
    assert {r[5] for r in rows[1:]} == {"INCOMING", "OUTGOING"}
    assert {r[6] for r in rows[1:]} <= {"INBOX", "SENT", "ARCHIVED"}
    assert all(r[6] == "SENT" for r in rows[1:] if r[5] == "OUTGOING")
    dates = [datetime.strptime(r[2], "%m/%d/%y, %I:%M %p") for r in rows[1:]]
    assert min(dates).year >= 2016 and max(dates) < datetime(2018, 10, 16)
    assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d\d, \d{1,2}:\d\d [AP]M", rows[1][2])
    assert logins.startswith(b"\xff\xfe")
    decoded = logins[2:].decode("utf-16-le")
    assert decoded.startswith('"Login Date"\t"IP Address"\t')
    for name in ("Shares.csv", "Search Queries.csv", "Ad Targeting.csv", "Rich Media.csv"):
        assert name in names
    assert ", +1" in phones and "\n,,\n" in phones
    assert "Contact Instructions" in profile.splitlines()[0]
    assert "Country" in profile.splitlines()[0]


# -- the 2026 messages.csv -------------------------------------------------------------------------
def test_2026_messages_parse_with_11_quoted_columns(fresh: Path) -> None:
    with zipfile.ZipFile(fresh / ZIP_2025) as zf:
        raw = zf.read("messages.csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert rows[0] == COLS_11
    assert all(len(r) == 11 for r in rows)
    # every field quoted, header and empty fields included: re-quoting everything is the identity
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    assert buf.getvalue() == raw
    assert '""' in raw and any("\n" in r[8] for r in rows[1:])


def test_sample_messages_cover_the_promised_kinds(sample_rows: list[dict[str, str]]) -> None:
    rows = sample_rows
    assert len(rows) == SIZES["2025"] >= 450
    dates = [datetime.strptime(r["DATE"], "%Y-%m-%d %H:%M:%S UTC") for r in rows]
    assert min(dates) >= datetime(2021, 1, 1) and max(dates) < datetime(2025, 11, 1)
    assert min(dates) < datetime(2024, 9, 18) < max(dates)

    sponsored = [r for r in rows if r["CONVERSATION TITLE"] == "Sponsored Conversation"]
    assert any(r["FROM"] == "LinkedIn Member" and r["SENDER PROFILE URL"] == "" for r in sponsored)
    assert all("%FIRSTNAME%" in r["CONTENT"] for r in sponsored if r["FROM"] == "LinkedIn Member")
    assert any("spinmail-quill-editor" in r["CONTENT"] for r in sponsored)
    ads = [r for r in rows if r["FROM"] == "Sarah from LinkedIn" or "@ LinkedIn" in r["FROM"]]
    assert ads and all(r["SENDER PROFILE URL"] == "" for r in ads)
    premium = [r for r in rows if r["FROM"] == "LinkedIn Premium"]
    assert premium and all(
        "<li>" in r["CONTENT"] and "spinmail" not in r["CONTENT"] for r in premium
    )
    inmail = [r for r in rows if r["SUBJECT"] and r["SUBJECT"] == r["CONVERSATION TITLE"]]
    assert any(r["SENDER PROFILE URL"].startswith("https://www.linkedin.com/in/") for r in inmail)

    group = [r for r in rows if "Jane Roe, PhD" in r["TO"]]
    assert group
    assert all(r["TO"].count(",") >= 2 and ", " not in r["TO"].replace(", PhD", "") for r in group)
    assert all(r["RECIPIENT PROFILE URLS"].count(",https://") >= 1 for r in group)

    drafts = [r for r in rows if not r["CONVERSATION ID"]]
    assert drafts and all(r["TO"] == "" and r["FOLDER"] == "" for r in drafts)
    assert any(r["CONTENT"] == "" for r in rows)
    assert any(r["ATTACHMENTS"].startswith("https://www.linkedin.com/dms/prv/") for r in rows)
    system = [r for r in rows if r["CONTENT"] == "Message request accepted"]
    assert system and all(r["FROM"] == "" and r["TO"] == "" for r in system)
    assert any("\n" in r["CONTENT"] for r in rows)
    assert any(re.search(r"[\U0001F300-\U0001FAFF]", r["CONTENT"]) for r in rows)
    assert any(re.search(r"<https://[^>]+>", r["CONTENT"]) for r in rows)
    assert {r["FOLDER"] for r in rows} >= {"INBOX", "ARCHIVE"}

    sent = [r for r in rows if r["SENDER PROFILE URL"] == MEMBER_URL]
    received = [r for r in rows if MEMBER_URL in r["RECIPIENT PROFILE URLS"]]
    assert len(sent) > 50 and len(received) > 50


def test_conversations_are_contiguous_and_newest_first(sample_rows: list[dict[str, str]]) -> None:
    seen: set[str] = set()
    previous = ""
    last_date = ""
    for r in sample_rows:
        cid = r["CONVERSATION ID"]
        if cid and cid != previous:
            assert cid not in seen, "conversation split in two blocks"
            seen.add(cid)
        elif cid:
            assert r["DATE"] <= last_date, "not newest first inside the conversation"
        previous, last_date = cid, r["DATE"]
        if cid:
            assert re.fullmatch(r"2-[A-Za-z0-9+/]+=*", cid)


def test_sensitive_share_and_topic_coverage() -> None:
    rows = list(
        generate_messages(
            SIZES["2025"], seed=2025, member=member_person("Alex Morgan"),
            start=datetime(2021, 1, 4), end=datetime(2025, 8, 25, 18), attachments=True,
        )
    )  # fmt: skip
    labels = [r.topic for r in rows]
    share = sum(label in SENSITIVE for label in labels) / len(labels)
    assert 0.15 <= share <= 0.25
    assert set(SENSITIVE) <= set(labels)
    assert "hard_negative" in labels


def test_identifiers_are_fictional_but_checksummed(sample_rows: list[dict[str, str]]) -> None:
    big = "\n".join(
        m.content
        for m in generate_messages(
            4000, seed=3, member=member_person("Alex Morgan"),
            start=datetime(2021, 1, 1), end=datetime(2025, 1, 1),
        )
    )  # fmt: skip
    ibans = re.findall(r"\bDE\d\d(?: \d{4}){4} \d\d\b", big)
    assert ibans
    for iban in ibans:
        digits = iban.replace(" ", "")
        assert int(digits[4:] + "1314" + digits[2:4]) % 97 == 1
    cards = re.findall(r"(?<!\d)(?<!\d )(?:\d{4} ){3}\d{4}(?! ?\d)", big)
    assert cards and all(luhn_ok(c) for c in cards)
    keys = re.findall(r"\bAKIA[A-Z2-7]{16}\b", big)
    assert keys and all(k.endswith("EXAMPLE") for k in keys)
    phones = re.findall(r"\+1 \d{3} (\d{3}) (\d{4})", big)
    assert phones and all(a == "555" and b.startswith("01") for a, b in phones)


# -- streaming, counts and the other vintages ---------------------------------------------------
@pytest.mark.parametrize(
    ("style", "name", "columns"),
    [("2026", "messages.csv", 11), ("2025", "messages.csv", 11), ("2024", "messages.csv", 12),
     ("2021", "messages.csv", 9), ("2018", "Messages.csv", 7)],
)  # fmt: skip
@pytest.mark.parametrize("n", [0, 1, 313])
def test_row_counts_as_requested(
    tmp_path: Path, style: str, name: str, columns: int, n: int
) -> None:
    path = write_export(tmp_path, style=style, n_messages=n, seed=5)  # type: ignore[arg-type]
    assert path.parent == tmp_path and path.suffix == ".zip"
    with zipfile.ZipFile(path) as zf:
        text = zf.read(name).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) - 1 == n
    assert {len(r) for r in rows} == {columns}


def test_2024_style_flags_drafts(tmp_path: Path) -> None:
    path = write_export(tmp_path / "x.zip", style="2024", n_messages=800, seed=1)
    with zipfile.ZipFile(path) as zf:
        rows = list(csv.DictReader(io.StringIO(zf.read("messages.csv").decode(), newline="")))
    assert {r["IS MESSAGE DRAFT"] for r in rows} == {"Yes", "No"}
    assert all(r["IS MESSAGE DRAFT"] == "Yes" for r in rows if not r["CONVERSATION ID"])


def test_folder_and_zip_hold_the_same_files(tmp_path: Path) -> None:
    z = write_export(tmp_path / "e.zip", style="2026", n_messages=120, seed=9)
    d = write_export(tmp_path / "e", style="2026", n_messages=120, seed=9, as_zip=False)
    from_dir = {p.relative_to(d).as_posix(): p.read_bytes() for p in d.rglob("*") if p.is_file()}
    with zipfile.ZipFile(z) as zf:
        from_zip = {n: zf.read(n) for n in zf.namelist()}
    assert from_dir == from_zip


def test_generation_is_lazy() -> None:
    """A huge request yields its first rows at once: rows are produced as they are written."""
    gen = generate_messages(
        10**12, seed=0, member=member_person("Alex Morgan"),
        start=datetime(2021, 1, 1), end=datetime(2025, 1, 1),
    )  # fmt: skip
    assert len(list(itertools.islice(gen, 100))) == 100


def test_other_member_name_flows_everywhere(tmp_path: Path) -> None:
    path = write_export(tmp_path / "m.zip", style="2025", n_messages=60, member="Robin Quist")
    with zipfile.ZipFile(path) as zf:
        profile = zf.read("Profile.csv").decode()
        invitations = list(csv.DictReader(io.StringIO(zf.read("Invitations.csv").decode())))
        messages = zf.read("messages.csv").decode()
    assert profile.splitlines()[1].startswith("Robin,Quist,")
    url = member_person("Robin Quist").url
    assert all(r["inviterProfileUrl"] == url for r in invitations if r["Direction"] == "OUTGOING")
    assert url in messages and "Alex Morgan" not in messages


# -- quirks of the small files -------------------------------------------------------------------
def test_small_file_quirks(fresh: Path) -> None:
    with zipfile.ZipFile(fresh / ZIP_2025) as zf:
        conn = zf.read("Connections.csv").decode()
        shares = zf.read("Shares.csv").decode()
        comments = zf.read("Comments.csv").decode()
        receipts = zf.read("Receipts_v2.csv").decode()
        ads = zf.read("Ad_Targeting.csv").decode()
        coach = zf.read("coach_messages.csv").decode()
        jobs = zf.read("Jobs/Job Applications.csv").decode()
    lines = conn.split("\n")
    assert lines[0] == "Notes:" and lines[2] == ""
    assert lines[3] == "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    assert ",,,,,," in conn and not conn.endswith("\n")
    assert re.search(r",\d\d [A-Z][a-z]{2} 20\d\d$", conn)

    assert shares.startswith("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\r\n")
    commentary = [r["ShareCommentary"] for r in csv.DictReader(io.StringIO(shares, newline=""))]
    assert any('"\n"' in c for c in commentary)  # per-line literal quote wrapping

    records = list(csv.reader(io.StringIO(comments, newline="")))
    assert any(len(r) == 1 for r in records[1:])  # unquoted continuation lines

    dates = re.findall(r"(\d\d)/\d\d/(\d\d) \d\d:\d\d [AP]M UTC", receipts)
    months = {(int(y), int(m)) for m, y in dates}
    assert any(ym < (24, 9) for ym in months) and any(ym > (24, 9) for ym in months)

    header = next(csv.reader(io.StringIO(ads)))
    assert header.count("Company Names") == 3 and ads.count("\n") == 2

    coach_rows = list(csv.DictReader(io.StringIO(coach, newline="")))
    assert {r["CONVERSATION TITLE"] for r in coach_rows} == {"Learning Coach Conversation"}
    assert any(r["FROM"] == "" and "](https://" in r["CONTENT"] for r in coach_rows)
    assert " | " in jobs and "?:" in jobs


def test_cli_writes_one_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--out", str(tmp_path / "one.zip"), "--style", "2021", "--messages", "40"]) == 0
    assert capsys.readouterr().out.strip().endswith("one.zip")
    with zipfile.ZipFile(tmp_path / "one.zip") as zf:
        assert zf.read("messages.csv").decode().count("\n") == 41


def test_comment_quote_escaping_by_vintage(tmp_path: Path) -> None:
    """2026 Comments.csv escapes quotes as \\" ; earlier files double them."""
    texts = {}
    for style in ("2026", "2025"):
        path = write_export(tmp_path / f"{style}.zip", style=style, n_messages=1, seed=3)
        with zipfile.ZipFile(path) as zf:
            texts[style] = zf.read("Comments.csv").decode()
    assert '\\"ship it small\\"' in texts["2026"] and '""ship' not in texts["2026"]
    assert '""ship it small""' in texts["2025"] and '\\"' not in texts["2025"]
