"""Rules files: validation errors name the file and the rule; user rules add, disable, ignore."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.classify import Classifier
from auditor.errors import AuditError


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "my_rules.toml"
    path.write_text(body, encoding="utf-8")
    return path


def rule(rid: str, extra: str, topic: str = "legal", weight: str = "0.5") -> str:
    return f'[[rule]]\nid = "{rid}"\ntopic = "{topic}"\nweight = {weight}\n{extra}\n'


BAD_RULES = [
    ("bad regex", rule("x.re", 'pattern = "(unclosed"\nanchors = ["a"]'), "x.re", "bad regex"),
    ("weight range", rule("x.w", 'phrases = ["foo"]', weight="1.5"), "x.w", "weight"),
    ("unknown topic", rule("x.t", 'phrases = ["foo"]', topic="astro"), "x.t", "unknown topic"),
    ("duplicate id", rule("job.resign", 'phrases = ["foo"]'), "job.resign", "duplicate"),
    ("no phrases", rule("x.p", ""), "x.p", "phrases"),
    ("unknown key", rule("x.k", 'phrases = ["a"]\ncolour = "red"'), "x.k", "unknown key"),
    ("needs context", rule("x.c", 'phrases = ["a"]\nrequires_context = true'), "x.c", "context"),
    ("no anchors", rule("x.a", 'pattern = "foo"'), "x.a", "anchors"),
    ("empty match", rule("x.e", 'pattern = "x*"\nanchors = ["x"]'), "x.e", "empty"),
    (
        "validator",
        rule("x.v", 'pattern = "x+"\nanchors = ["x"]\nvalidator = "magic"'),
        "x.v",
        "validator",
    ),
    ("unknown set", rule("x.s", 'phrases = ["foo"]\ncontext = ["@nope"]'), "x.s", "@nope"),
    ("disable unknown", 'disable = ["no.such.rule"]\n', "no.such.rule", "no such rule"),
]


@pytest.mark.parametrize(
    ("why", "body", "rule_id", "problem"), BAD_RULES, ids=[b[0] for b in BAD_RULES]
)
def test_bad_rules_name_file_and_rule(
    tmp_path: Path, why: str, body: str, rule_id: str, problem: str
) -> None:
    with pytest.raises(AuditError) as err:
        Classifier.load(user_rules=write(tmp_path, body))
    message = str(err.value)
    assert "my_rules.toml" in message or "lexicon/" in message, why
    assert f"'{rule_id}'" in message, why
    assert problem in message, why
    assert "\n" not in message


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AuditError, match=r"my_rules\.toml: not a valid TOML"):
        Classifier.load(user_rules=write(tmp_path, "[[rule]\nid ="))
    with pytest.raises(AuditError, match="cannot read"):
        Classifier.load(user_rules=tmp_path / "absent.toml")


def test_unknown_topic_filter_and_bad_min_score() -> None:
    with pytest.raises(AuditError, match="unknown topic"):
        Classifier.load(topics=["astrology"])
    with pytest.raises(AuditError, match="min score"):
        Classifier.load(min_score=0)


def test_user_rule_adds_a_term(tmp_path: Path) -> None:
    body = """
[[rule]]
id = "me.project-falcon"
topic = "financing"
weight = 0.8
phrases = ["project falcon"]
description = "Code name of our confidential acquisition."
"""
    clf = Classifier.load(user_rules=write(tmp_path, body))
    result = clf.classify("Any news on Project Falcon?")
    assert result.flagged == ("financing",)
    assert result.findings[0].rule_id == "me.project-falcon"
    assert result.findings[0].matched == "Project Falcon"


def test_user_rules_add_a_topic(tmp_path: Path) -> None:
    body = """
[topics.side_project]
severity = "low"

[[rule]]
id = "me.side"
topic = "side_project"
weight = 0.9
phrases = ["my etsy shop"]
"""
    clf = Classifier.load(user_rules=write(tmp_path, body))
    assert "side_project" in clf.topics
    assert clf.severity["side_project"] == "low"
    assert clf.classify("Orders on my Etsy shop doubled").flagged == ("side_project",)


def shed_classifier(tmp_path: Path, extra: str) -> Classifier:
    """A classifier of one user topic, "garden", whose one rule (weight 0.3) matches "shed"."""
    body = '[topics.garden]\nseverity = "low"\n\n'
    body += rule("me.shed", 'phrases = ["shed"]\n' + extra, topic="garden", weight="0.3")
    return Classifier.load(user_rules=write(tmp_path, body), topics=["garden"])


def test_context_inside_a_negative_cue_does_not_count(tmp_path: Path) -> None:
    # "board ... first round's on me": the round is a round of drinks, so it is not the
    # context that would make "board" a financing word.
    extra = 'context = ["compost"]\nrequires_context = true\ncontext_boost = 0.3\n'
    clf = shed_classifier(tmp_path, extra + 'negative = ["compost the shed"]')
    assert clf.classify("The shed needs a roof, and the compost is ready.").flagged == ("garden",)
    harmless = clf.classify("Paint it first, then compost the shed lol. The shed stays.")
    assert harmless.flagged == ()
    assert not any(f.rule_id == "me.shed" for f in harmless.findings)


def test_overlapping_context_cues_count_once(tmp_path: Path) -> None:
    # "$250k" is read by both "$<num>k" and "<num>k": one amount, one piece of context.
    clf = shed_classifier(tmp_path, 'context = ["$<num>k", "<num>k"]\ncontext_boost = 0.1')
    (one,) = clf.classify("The shed cost $250k.").findings
    assert one.score == 0.4
    assert one.explanation.count("context") == 1
    (two,) = clf.classify("The shed cost $250k, the house $400k.").findings
    assert two.score == 0.5
    assert two.explanation.count("context") == 2


def test_a_dampen_cue_inside_the_match_does_not_dampen_it(tmp_path: Path) -> None:
    # "PIK toggle" is a financing term; the "toggle" of a feature flag dampens "toggle"
    # elsewhere, not the phrase it is a part of. A cue that is the whole match still counts
    # (a rule may halve its own phrase, as job.resign does with "leaving drinks").
    body = '[topics.garden]\nseverity = "low"\n\n'
    body += rule(
        "me.shed",
        'phrases = ["tool shed", "garden party"]\ndampen = ["shed", "garden party"]\n'
        "dampen_factor = 0.5",
        topic="garden",
        weight="0.8",
    )
    clf = Classifier.load(user_rules=write(tmp_path, body), topics=["garden"])
    (whole,) = clf.classify("The tool shed is full.").findings
    assert whole.score == 0.8
    assert "dampened" not in whole.explanation
    (own,) = clf.classify("A garden party on Sunday.").findings
    assert own.score == 0.4
    (near,) = clf.classify("The tool shed is full, the other shed too.").findings
    assert near.score == 0.4
    assert "dampened by 'shed'" in near.explanation


def test_disable_builtin_rule(tmp_path: Path) -> None:
    text = "I handed in my notice today."
    assert "job_search" in Classifier.load().classify(text).flagged
    clf = Classifier.load(user_rules=write(tmp_path, 'disable = ["job.resign", "job.model"]\n'))
    assert all(r.id != "job.resign" for r in clf.rules)
    assert all(m.id != "job.model" for m in clf.models)
    assert "job_search" not in clf.classify(text).flagged


def test_ignore_terms(tmp_path: Path) -> None:
    text = "Lunch with the Acme Funding Corp folks about their investor relations site."
    body = 'ignore = ["Acme Funding Corp"]\n'
    clf = Classifier.load(user_rules=write(tmp_path, body))
    user_rule = """
[[rule]]
id = "me.funding"
topic = "financing"
weight = 0.9
phrases = ["funding"]
"""
    both = Classifier.load(user_rules=write(tmp_path, body + user_rule))
    assert not any(f.matched.lower() == "funding" for f in both.classify(text).findings)
    assert "financing" not in clf.classify(text).flagged
    # the same word elsewhere still counts
    assert "financing" in both.classify("We closed our funding today.").flagged


def test_every_builtin_rule_is_documented() -> None:
    clf = Classifier.load()
    ids = [r.id for r in clf.rules]
    assert len(ids) == len(set(ids))
    for rule in clf.rules:
        assert rule.description, rule.id
        assert 0 < rule.weight <= 1, rule.id
        assert rule.units, rule.id
