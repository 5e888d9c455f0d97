"""Score the classifier on the labelled evaluation set: `python -m auditor.evaluate`.

Reads every `<set>/*.jsonl` ({"id", "text", "topics", "lang", "source"} per line), classifies the
texts and prints precision, recall and F1 per topic plus micro and macro averages. `--sweep`
prints the same for a range of thresholds (topic scores are computed once), which is how
DEFAULT_MIN_SCORE was chosen. `--show-errors` lists misses with their text: the set is our own
synthetic data, so printing it here is fine (the audit tool itself never prints message text).

The word-weight models (auditor/classify/model.py) were trained on these files, so scores with
them are optimistic; `--no-models` scores the rules alone, and `python -m auditor.train_model
--loo` scores rules + models on each file with that file left out of training.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor.classify import TOPICS, Classifier
from auditor.errors import AuditError


@dataclass(frozen=True, slots=True)
class EvalItem:
    """One labelled example."""

    id: str
    text: str
    topics: tuple[str, ...]
    lang: str
    source: str
    file: str


@dataclass(frozen=True, slots=True)
class TopicScore:
    topic: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Per-topic counts and the averages the tests gate on."""

    topics: tuple[TopicScore, ...]
    min_score: float
    n_items: int

    @property
    def micro(self) -> TopicScore:
        return TopicScore(
            "micro",
            sum(t.tp for t in self.topics),
            sum(t.fp for t in self.topics),
            sum(t.fn for t in self.topics),
        )

    @property
    def macro_f1(self) -> float:
        return sum(t.f1 for t in self.topics) / len(self.topics) if self.topics else 0.0


def load_eval(folder: Path) -> list[EvalItem]:
    """All examples of `folder/*.jsonl`; a broken line is an AuditError naming file and line."""
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise AuditError(f"{folder}: no *.jsonl evaluation files")
    items: list[EvalItem] = []
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                    topics = tuple(obj["topics"])
                    item = EvalItem(
                        str(obj["id"]),
                        str(obj["text"]),
                        topics,
                        str(obj.get("lang", "")),
                        str(obj.get("source", "")),
                        path.name,
                    )
                except (ValueError, KeyError, TypeError):
                    raise AuditError(f"{path.name}: line {lineno}: not a valid example") from None
                unknown = [t for t in topics if t not in TOPICS]
                if unknown:
                    raise AuditError(f"{path.name}: line {lineno}: unknown topic {unknown[0]!r}")
                items.append(item)
    return items


def predict_scores(clf: Classifier, items: Sequence[EvalItem]) -> list[dict[str, float]]:
    """Combined topic scores per item (threshold-free, so sweeps need one pass)."""
    return [dict(c.topic_scores) for c in clf.classify_many(i.text for i in items)]


def score(
    items: Sequence[EvalItem],
    scores: Sequence[dict[str, float]],
    min_score: float,
    topics: Sequence[str] = TOPICS,
) -> Report:
    """Precision/recall counts per topic at a threshold."""
    out = []
    for topic in topics:
        tp = fp = fn = 0
        for item, sc in zip(items, scores, strict=True):
            pred = sc.get(topic, 0.0) >= min_score
            gold = topic in item.topics
            tp += pred and gold
            fp += pred and not gold
            fn += gold and not pred
        out.append(TopicScore(topic, tp, fp, fn))
    return Report(tuple(out), min_score, len(items))


def errors(
    items: Sequence[EvalItem], scores: Sequence[dict[str, float]], min_score: float
) -> list[tuple[EvalItem, tuple[str, ...], tuple[str, ...]]]:
    """(item, missed topics, extra topics) for every item with a mistake."""
    out = []
    for item, sc in zip(items, scores, strict=True):
        pred = {t for t, s in sc.items() if s >= min_score}
        gold = set(item.topics)
        if pred != gold:
            out.append((item, tuple(sorted(gold - pred)), tuple(sorted(pred - gold))))
    return out


def format_report(report: Report) -> str:
    lines = [
        f"{report.n_items} examples, min score {report.min_score:.2f}",
        f"{'topic':<18}{'prec':>7}{'recall':>8}{'F1':>7}{'tp':>6}{'fp':>5}{'fn':>5}",
    ]
    for t in (*report.topics, report.micro):
        lines.append(
            f"{t.topic:<18}{t.precision:>7.3f}{t.recall:>8.3f}{t.f1:>7.3f}{t.tp:>6}{t.fp:>5}{t.fn:>5}"
        )
    lines.append(f"{'macro F1':<18}{report.macro_f1:>22.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m auditor.evaluate", description=__doc__)
    parser.add_argument("--set", default="eval", help="folder of *.jsonl files (default: eval)")
    parser.add_argument("--min-score", type=float, default=None, help="flagging threshold")
    parser.add_argument("--rules", type=Path, default=None, help="user rules TOML file")
    parser.add_argument("--show-errors", action="store_true", help="list misclassified examples")
    parser.add_argument("--topic", default=None, help="with --show-errors: only this topic")
    parser.add_argument("--sweep", action="store_true", help="score thresholds 0.30..0.80")
    parser.add_argument(
        "--no-models", action="store_true", help="rules only (the models were trained on eval/)"
    )
    args = parser.parse_args(argv)
    try:
        clf = Classifier.load(user_rules=args.rules, min_score=args.min_score)
        if args.no_models:
            clf = clf.without_models()
        items = load_eval(Path(args.set))
    except AuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    scores = predict_scores(clf, items)
    if args.sweep:
        head = ("min_score", "micro P", "micro R", "micro F1", "macro F1", "min topic F1")
        print(f"{head[0]:>9}{head[1]:>9}{head[2]:>9}{head[3]:>10}{head[4]:>10}{head[5]:>14}")
        for k in range(30, 81, 5):
            rep = score(items, scores, k / 100)
            worst = min(rep.topics, key=lambda t: t.f1)
            m = rep.micro
            print(
                f"{k / 100:>9.2f}{m.precision:>9.3f}{m.recall:>9.3f}{m.f1:>10.3f}"
                f"{rep.macro_f1:>10.3f}{worst.f1:>8.3f} {worst.topic}"
            )
        return 0
    print(format_report(score(items, scores, clf.min_score)))
    if args.show_errors:
        for item, missed, extra in errors(items, scores, clf.min_score):
            if args.topic and args.topic not in missed + extra:
                continue
            print(f"\n{item.id} missed={','.join(missed) or '-'} extra={','.join(extra) or '-'}")
            result = clf.classify(item.text)
            for f in result.findings:
                print(f"    {f.topic} {f.rule_id} {f.score:.2f} {f.explanation}")
            print("    " + item.text.replace("\n", "\n    "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
