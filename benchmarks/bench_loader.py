"""Time the loader on a generated 2026-style messages.csv (every field quoted, real newlines).

    python benchmarks/bench_loader.py [--rows 100000] [--form zip|folder] [--profile]

Prints rows/s for load_export over a synthetic export; no real data involved.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import random
import tempfile
import time
import zipfile
from pathlib import Path

from auditor.loader import load_export

HEADER = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
]  # fmt: skip
ME = ("Alex Member", "https://www.linkedin.com/in/alex-member-1a2b")
WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "lazy",
    "dog",
    "meeting",
    "tomorrow",
    "salary",
    "offer",
    "contract",
    "team",
    "project",
    "deadline",
    "thanks",
    "hello",
    "call",
    "review",
    "budget",
    "invoice",
]


def build_messages(rows: int, seed: int = 7) -> bytes:
    rnd = random.Random(seed)
    people = [(f"Person {i}", f"https://www.linkedin.com/in/person-{i}") for i in range(500)]
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(HEADER)
    conv = 0
    for i in range(rows):
        if i % 8 == 0:
            conv += 1
            other = rnd.choice(people)
        sent = rnd.random() < 0.4
        sender, receiver = (ME, other) if sent else (other, ME)
        n = rnd.randint(3, 60)
        text = " ".join(rnd.choice(WORDS) for _ in range(n))
        if rnd.random() < 0.2:
            text = text.replace(" meeting ", "\nmeeting\n")
        if rnd.random() < 0.02:
            text = f"<p>Hi %FIRSTNAME%,</p><p>{text} &amp; more</p>"
        kind = rnd.random()
        title = subject = ""
        if kind < 0.03:
            title = subject = "Opportunity"
        day = 1 + i % 28
        w.writerow(
            [
                f"2-{conv:08d}",
                title,
                sender[0],
                sender[1],
                receiver[0],
                receiver[1],
                f"2025-{1 + i % 12:02d}-{day:02d} {i % 24:02d}:{i % 60:02d}:{(i * 7) % 60:02d} UTC",
                subject,
                text,
                "INBOX",
                "",
            ]
        )
    return buf.getvalue().encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--form", choices=("zip", "folder"), default="zip")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="report the best of N runs")
    args = ap.parse_args()
    data = build_messages(args.rows)
    # Profile and Invitations tell the loader the member's URL, as in a real export.
    extra = {
        "Profile.csv": b"First Name,Last Name,Headline\nAlex,Member,Engineer\n",
        "Invitations.csv": (
            b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
            b'Alex Member,Bob,"3/12/24, 11:20 AM",,OUTGOING,' + ME[1].encode() + b",\n"
        ),
    }
    with tempfile.TemporaryDirectory() as d:
        if args.form == "zip":
            path = Path(d) / "bench.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, blob in extra.items():
                    zf.writestr(name, blob)
                zf.writestr("messages.csv", data)
        else:
            path = Path(d) / "export"
            path.mkdir()
            for name, blob in extra.items():
                (path / name).write_bytes(blob)
            (path / "messages.csv").write_bytes(data)
        prof = cProfile.Profile() if args.profile else None
        dt = cpu = float("inf")
        for _ in range(1 if prof else max(args.repeat, 1)):
            t0, c0 = time.perf_counter(), time.process_time()
            if prof:
                prof.enable()
            ex = load_export([path])
            if prof:
                prof.disable()
            dt = min(dt, time.perf_counter() - t0)
            cpu = min(cpu, time.process_time() - c0)
    n = len(ex.messages)
    mb = len(data) / 1e6
    print(f"{n} messages, {mb:.1f} MB CSV ({args.form}): best of {args.repeat}: {dt:.2f} s wall, "
          f"{cpu:.2f} s CPU; {n / dt:,.0f} rows/s, {mb / dt:.1f} MB/s")  # fmt: skip
    if prof:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
