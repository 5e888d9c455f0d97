"""Renderers for `explain` (one text's findings) and `rules` (the loaded rule set)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.models import Classification

if TYPE_CHECKING:
    from auditor.classify import Classifier


def render_explanation(
    text: str, result: Classification, classifier: Classifier, console: Console
) -> None:
    """Show the text with every finding's span highlighted, then one line of evidence each."""
    shown = Text(text)
    for finding in result.findings:
        shown.stylize("bold reverse", finding.start, finding.end)
    console.print(shown)
    console.print()
    if not result.findings:
        console.print("No findings: nothing in this text matched a rule.")
        return
    for f in result.findings:
        line = Text.assemble(
            (f"{f.topic:<16}", "bold"),
            f" {f.score:.2f}  ",
            (f.matched, "reverse"),
            f"  [{f.start}:{f.end}]  rule {f.rule_id}",
        )
        console.print(line)
        console.print(Text(f"    why: {f.explanation}", style="dim"))
    for topic, score in result.topic_scores:
        verdict = "FLAGGED" if topic in result.flagged else "below threshold"
        console.print(
            f"{topic}: combined score {score:.2f} "
            f"(threshold {classifier.min_score:.2f}) -> {verdict}"
        )


def render_rules(classifier: Classifier, console: Console, *, topic: str | None = None) -> None:
    """One table per topic: its severity, then each rule's id, kind, weight, language, purpose."""
    topics = [topic] if topic else list(classifier.topics)
    for name in topics:
        rules = [r for r in classifier.rules if r.topic == name]
        severity = classifier.severity.get(name, "medium")
        table = Table(
            title=f"{name} (severity {severity}, {len(rules)} rules)",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        table.add_column("rule", overflow="fold")
        table.add_column("kind", no_wrap=True)
        table.add_column("weight", justify="right", no_wrap=True)
        table.add_column("lang", no_wrap=True)
        table.add_column("what it finds", overflow="fold", ratio=1)
        for rule in rules:
            table.add_row(rule.id, rule.kind, f"{rule.weight:.2f}", rule.lang, rule.description)
        for model in (m for m in classifier.models if m.topic == name):
            alone = model.needs(False)
            table.add_row(
                model.id,
                "model",
                f">={alone:.2f}",
                "any",
                f"Word weights ({len(model.weights):,} words) learnt from the labelled set: a "
                f"second opinion where wording escapes the rules; needs {model.min_words} "
                "strong words"
                + (
                    f" ({model.threshold:.2f} where the rules flag another topic)"
                    if alone != model.threshold
                    else ""
                )
                + ", kept quiet by its veto phrases.",
            )
        console.print(table)
    console.print(f"Flag threshold: {classifier.min_score:.2f} (combined score per topic).")
