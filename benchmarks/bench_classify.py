"""Classifier throughput on one core: `python benchmarks/bench_classify.py [--n 200000]`.

Two corpora, both generated here: LinkedIn-style messages from the templates below (100-500
characters, about 10% sensitive, some non-ASCII; most mundane templates hold a hard negative:
"raise a question", "round of feedback", "great job"), timed with `classify` on every message
and with `classify_many` on the distinct ones; and the distinct contents of a generated export
(the sample exports' mix). Prints messages/s. The target is >= 200,000 messages/s.

It first times the issue's yardstick on this machine, a keyword-only Aho-Corasick pass (which
the issue measured at about 1,000,000 messages/s): machines differ, and the classifier's rate as
a share of that pass says how far it is from the target (20%) on any of them.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from auditor.classify import Classifier

NAMES = ["Sarah", "Tom", "Priya", "Jonas", "Amélie", "Diego", "Mei", "Olu", "Zoë", "Marek", "Ana"]
COMPANIES = ["Acme", "Northwind", "Globex", "Initech", "Lumeno", "Brightfield", "Vandelay", "Hooli"]
TOPICS = ["the migration", "the Q3 roadmap", "the design review", "our onboarding flow", "the API"]
DAYS = ["Monday", "Tuesday", "Thursday", "Friday", "next week", "tomorrow"]

MUNDANE = [
    "Hi {n}, thanks for the update on {t}. Could we move our sync to {d} afternoon? I also wanted "
    "to share the notes from last week's workshop. Let me know what works for you. Best, {m}",
    "Hey {n}! Great meeting you at the {c} meetup. Would love to stay in touch and hear how {t} "
    "goes. I'll send over the article we talked about.",
    "Thanks for connecting, {n}. I'm following {c}'s work on {t} with interest and would be glad "
    "to swap notes some time. Cheers, {m}",
    "Quick reminder that the all-hands is on {d} at 10:00. Please review the slides about {t} "
    "beforehand and add your questions to the doc. Great job on the launch, everyone!",
    "{n}, could you raise a question about {t} in the review? I think we need a round of "
    "feedback before we ship. Happy to offer you a coffee for your trouble.",
    "Dear {n}, please find attached the agenda for {d}. We will cover {t}, the customer "
    "interview findings and next steps for the {c} partnership. Kind regards, {m}",
    "Congrats on the new role announcement at {c}, {n}! Your post about {t} was spot on — "
    "especially the part about testing early. Ça marche pour {d}?",
    "Hallo {n}, danke für die Infos zu {t}. Können wir das Meeting auf {d} verschieben? "
    "Viele Grüße, {m}",
]
SENSITIVE = [
    "Hi {n}, we're raising a $4M seed round and {c} Ventures sent a term sheet at a $20M "
    "pre-money valuation. Would you be open to a quick call on {d}?",
    "Hi {n}, I came across your profile and think you'd be a great fit for a senior role at "
    "{c}. Base is 180k plus equity. Are you open to exploring new opportunities?",
    "{n}, I handed in my notice today — my last day at {c} is {d}. Please keep it quiet for now.",
    "I've been signed off sick for two weeks with burnout, so {m} will cover {t}.",
    "My personal email is {lower}.{low2}@gmail.com and my mobile is +44 7700 900{num}.",
    "the staging password is Winter{num}!x, please rotate it after the demo with {c}",
    "Ich habe morgen ein Vorstellungsgespräch bei {c}, bitte nichts sagen.",
    "My H-1B transfer is pending, so I can't start at {c} until USCIS approves it.",
]


def make_messages(n: int, seed: int = 7) -> list[str]:
    """Varied messages from the templates: names, companies and numbers differ per message."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        pool = SENSITIVE if rng.random() < 0.10 else MUNDANE
        n1, n2 = rng.choice(NAMES), rng.choice(NAMES)
        text = rng.choice(pool).format(
            n=n1,
            m=n2,
            c=rng.choice(COMPANIES),
            t=rng.choice(TOPICS),
            d=rng.choice(DAYS),
            lower=n1.lower(),
            low2=n2.lower(),
            num=rng.randint(100, 999),
        )
        out.append(f"{text} (#{i})" if rng.random() < 0.5 else text)
    return out


def export_texts(n: int, seed: int = 5) -> list[str]:
    """The distinct message contents of a generated 2026-style export of `n` messages: the
    sample exports' mix (recruiters, founders, colleagues, ads, group chats; about 22% sensitive,
    many longer than the templates above)."""
    import tempfile
    from pathlib import Path

    from auditor.loader import load_export
    from auditor.synth import write_export

    with tempfile.TemporaryDirectory() as tmp:
        path = write_export(Path(tmp), style="2026", n_messages=n, seed=seed)
        export = load_export([path])
    return list(dict.fromkeys(m.content for m in export.messages if m.content))


def _best_of(run: Callable[[], object], repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds (the others lose to a noisy host)."""
    best = float("inf")
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return best


def _time(label: str, clf: Classifier, texts: list[str], repeat: int) -> float:
    """Time `classify` over `texts` (best of `repeat`), print and return messages/s."""
    classify = clf.classify
    flagged = 0

    def run() -> None:
        nonlocal flagged
        flagged = sum(1 for text in texts if classify(text).flagged)

    best = _best_of(run, repeat)
    avg_len = sum(map(len, texts)) / len(texts)
    rate = len(texts) / best
    print(
        f"{label}: {len(texts):,} texts, average {avg_len:.0f} chars, "
        f"{flagged / len(texts):.1%} flagged: {best:.2f} s, {rate:,.0f} messages/s (one core)"
    )
    return rate


def _time_many(label: str, clf: Classifier, texts: list[str], repeat: int) -> float:
    """Time `classify_many` (the scan's path: texts in batches, the models' batch screen)."""
    best = _best_of(lambda: clf.classify_many(texts), repeat)
    rate = len(texts) / best
    print(f"{label}: {len(texts):,} texts: {best:.2f} s, {rate:,.0f} messages/s (one core)")
    return rate


def keyword_reference(texts: list[str], repeat: int) -> float:
    """The issue's yardstick on this machine: a keyword-only Aho-Corasick pass (pyahocorasick,
    300 keywords, lower-cased text), no rule logic at all. Machines differ by 2x; the ratio of
    the classifier's rate to this one does not, so both are printed."""
    import ahocorasick

    # 300 keywords: the sensitive templates' own words and their inflections (few of them
    # occur in ordinary messages, as with a real keyword list).
    mundane = {w for t in MUNDANE for w in t.lower().split()}
    base = sorted({w for t in SENSITIVE for w in t.lower().split() if w.isalpha()} - mundane)
    words = [f"{w}{suffix}" for suffix in ("", "s", "ed", "ing", "er", "ly", "al") for w in base]
    automaton = ahocorasick.Automaton()
    for i, word in enumerate(words[:300]):
        automaton.add_word(word, i)
    automaton.make_automaton()

    def run() -> None:
        for text in texts:
            for _hit in automaton.iter(text.lower()):
                pass

    rate = len(texts) / _best_of(run, repeat)
    print(f"reference, keyword-only Aho-Corasick pass (300 keywords): {rate:,.0f} messages/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200_000, help="number of template messages")
    parser.add_argument(
        "--export-n",
        type=int,
        default=100_000,
        help="messages of the generated export whose distinct contents are also timed (0: skip)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print where the time goes (cProfile)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="time N passes, report the fastest (noisy hosts)"
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    clf = Classifier.load()
    load_s = time.perf_counter() - t0
    print(f"rules loaded in {load_s:.2f} s ({len(clf.rules)} rules)")
    messages = make_messages(args.n)
    reference = keyword_reference(messages, args.repeat)
    rate = _time("templates, classify() each", clf, messages, args.repeat)
    print(f"  = {rate / reference:.1%} of the keyword-only pass (the target, 200,000/s, is 20% of")
    print("    the 1,000,000/s such a pass measured on the machine the issue was written on)")
    distinct = list(dict.fromkeys(messages))
    many = _time_many("templates, classify_many() of the distinct", clf, distinct, args.repeat)
    print(f"  = {many / reference:.1%} of the keyword-only pass")
    if args.export_n:
        texts = export_texts(args.export_n)
        _time("generated export, distinct contents, classify() each", clf, texts, args.repeat)
        _time_many("generated export, distinct contents, classify_many()", clf, texts, args.repeat)
    if args.profile:
        import cProfile
        import pstats

        classify = clf.classify
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [classify(text) for text in messages])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
