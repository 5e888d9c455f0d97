"""The classifier's outputs must not drift: a fingerprint of every classification of a fixed set.

Speed work on `auditor/classify` (prefilters, caches, lazy regexes) must leave every output
identical: findings, spans, scores, explanations, topic scores and flagged topics. This test
classifies the labelled evaluation set (`eval/*.jsonl`), Unicode variants of it (upper case,
typographic quotes and dashes, ligatures and full-width letters that change the offsets) and
deterministic benchmark messages, and compares a sha256 of the `repr` of all results with the
value stored below (which the pre-optimisation engine produced too).

Updating it deliberately: when a change to the lexicons, the eval set or the scoring is *meant*
to change outputs, run `python tests/test_classify_equivalence.py`, check that the evaluation
figures (`python -m auditor.evaluate`) moved the way you intended, and paste the printed value
into FINGERPRINT in the same commit as the change, saying why in the commit message.

Speed work and lexicon edits at the same time: the fingerprint then moves for both reasons.
Check the engine live instead: copy the committed `auditor/classify/*.py` to a scratch package
(imports renamed, reading the repo's `lexicon/` folder), classify this corpus (plus the sample
exports' messages) with both engines on the same lexicon and require identical `repr`s; then
refresh FINGERPRINT from the new engine.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor.classify import Classifier
from auditor.classify.normalize import _fold, normalize

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks" / "bench_classify.py"
FINGERPRINT = "28076207cdf860f90c5ac97a5b3fc405ea787d9297ce5ced321678caa81183d0"
N_BENCH = 3000


def _eval_texts() -> list[str]:
    texts = []
    for path in sorted((ROOT / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def corpus() -> list[str]:
    """The fixed texts: eval set, three Unicode variants of each, benchmark messages."""
    texts = _eval_texts()
    out = list(texts)
    for t in texts:
        out.append(t.upper())
        out.append(t.replace("'", "\u2019").replace("-", "\u2013"))
        out.append("\uff26\uff55\uff4c\uff4c \ufb01le " + t + " \u0130stanbul stra\u00dfe")
    spec = importlib.util.spec_from_file_location("bench_classify", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out.extend(bench.make_messages(N_BENCH, seed=11))
    return out


@cache
def _classifier() -> Classifier:
    return Classifier.load()


def fingerprint() -> str:
    clf = _classifier()
    digest = hashlib.sha256()
    for text in corpus():
        digest.update(repr(clf.classify(text)).encode("utf-8"))
    return digest.hexdigest()


def test_outputs_identical_to_reference() -> None:
    assert fingerprint() == FINGERPRINT, (
        "classifier outputs changed; if intended, update FINGERPRINT (see module docstring)"
    )


def test_fingerprint_sees_a_changed_score() -> None:
    """The fingerprint covers scores and explanations, not just flagged topics."""
    clf = _classifier()
    text = "We're raising our seed round, term sheet from Northwind at 12M pre."
    result = clf.classify(text)
    assert result.findings
    tweaked = result.findings[0].score + 0.0001
    assert repr(result) != repr(result).replace(repr(result.findings[0].score), repr(tweaked))


_UNICODE = st.sampled_from(
    ["a", "Z", " ", "-", "'", "ß", "ẞ", "ﬁ", "İ", "e\u0301", "\u0301", "Ａ", "½", "’", "—",
     "\u00a0", "ǅ", "ŉ", "\u0345", "Ω", "𝐀", "é", "1", "_"]
)  # fmt: skip


@given(st.lists(_UNICODE, max_size=30).map("".join))
def test_lazy_offset_map_matches_text(text: str) -> None:
    """The offset map is built on first use, from the same fold that made the text."""
    norm = normalize(text)
    folded, starts, ends = _fold(text, with_map=True)
    if norm.source is not None:
        assert norm.text == folded
        assert norm.starts == tuple(starts) and norm.ends == tuple(ends)
        assert len(starts) == len(norm.text)
        for i in range(len(norm.text) + 1):  # spans map back inside the original text
            a, b = norm.span(i, len(norm.text))
            assert 0 <= a <= b <= len(text)
    else:
        assert norm.starts is None and len(norm.text) == len(text)


def test_classify_many_matches_classify() -> None:
    """`classify_many` prepares texts in batches and asks the models only about those their
    batch screen passes: every result must still be exactly `classify`'s."""
    clf = _classifier()
    texts = corpus()[::3]
    texts += texts[:20]  # repeats go through the cache
    assert clf.classify_many(texts) == [clf.classify(t) for t in texts]


@pytest.mark.parametrize("seed", [1, 2])
def test_shuffled_order_gives_same_results(seed: int) -> None:
    """No state leaks between texts (per-text caches, lazily compiled regexes)."""
    texts = _eval_texts()[:300]
    fresh = Classifier.load()
    shuffled = texts[:]
    random.Random(seed).shuffle(shuffled)
    first = {t: fresh.classify(t) for t in shuffled}
    clf = _classifier()
    assert all(clf.classify(t) == first[t] for t in texts)


if __name__ == "__main__":
    print(fingerprint())
