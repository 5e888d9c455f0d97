"""Word-weight models: scoring, findings that explain themselves, vetoes, loading, training."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auditor import evaluate, train_model
from auditor.classify import SEVERITY, TOPICS, Classifier
from auditor.classify.gate import gate_text
from auditor.classify.model import (
    STOPWORDS,
    ModelBank,
    WordModel,
    features,
    length_scale,
    parse_model,
    to_fixed,
)
from auditor.classify.rules import _models_of, load_ruleset
from auditor.errors import AuditError

EVAL = Path(__file__).resolve().parent.parent / "eval"


def toy(**kw: object) -> WordModel:
    base: dict[str, object] = {
        "id": "job.model",
        "topic": "job_search",
        "bias": -1.0,
        "threshold": 0.8,
        "weights": {"recruiter": 12.0, "0nd": 9.0, "interview": 10.0, "lunch": -4.0, "maybe": 0.5},
    }
    base.update(kw)
    return WordModel(**base)  # type: ignore[arg-type]


def with_models(*models: WordModel) -> Classifier:
    """The built-in rules with only these models (so the toy model decides)."""
    ruleset = load_ruleset(None, SEVERITY)
    return Classifier(dataclasses.replace(ruleset, models=models), min_score=0.5)


def test_probability_is_logistic_over_present_words() -> None:
    model = toy()
    tokens, scale, n = features(gate_text("the recruiter said interview, maybe"))
    known = set(tokens) & set(model.weights)
    assert n == 5 and "said interview" in tokens  # words, then pairs of adjacent words
    assert scale == length_scale(n) == 1 / math.sqrt(20)  # short texts count as 20
    expected = 1 / (1 + math.exp(-(-1.0 + (12.0 + 10.0 + 0.5) * scale)))
    assert model.probability(known, scale) == pytest.approx(expected)
    assert [w for w, _ in model.pushing(known, scale)] == ["recruiter", "interview", "maybe"]
    long_text = " ".join(["recruiter", "interview"] + [f"w{i}" for i in range(78)])
    _, scale, _ = features(gate_text(long_text))
    assert scale == pytest.approx(1 / math.sqrt(80))  # a long text's words weigh less


def test_finding_names_words_and_points_at_the_strongest() -> None:
    clf = with_models(toy())
    text = "Café chat: the Recruiter wants a 2nd call, then lunch?"
    result = clf.classify(text)
    found = [f for f in result.findings if f.rule_id == "job.model"]
    assert len(found) == 1
    f = found[0]
    assert text[f.start : f.end] == f.matched == "Recruiter"  # span in the original (non-ASCII)
    assert "'recruiter' +" in f.explanation and "'2nd' +" in f.explanation  # as written
    assert f.explanation.startswith("model job.model ")
    assert 0.8 <= f.score <= 1.0 and "job_search" in result.flagged


def test_digit_words_map_back_to_their_digits() -> None:
    clf = with_models(toy(weights={"0nd": 9.0, "round": 8.0}))
    text = "we're into the 2nd round"
    f = next(f for f in clf.classify(text).findings if f.rule_id == "job.model")
    assert f.matched == "2nd" and text[f.start : f.end] == "2nd"


def test_one_strong_word_is_not_enough() -> None:
    clf = with_models(toy(bias=0.0, weights={"recruiter": 30.0, "maybe": 0.5}))
    result = clf.classify("recruiter maybe")
    assert all(f.rule_id != "job.model" for f in result.findings)


def test_below_threshold_and_negative_words_stay_quiet() -> None:
    clf = with_models(toy())
    assert not any(f.rule_id == "job.model" for f in clf.classify("recruiter lunch").findings)
    assert clf.classify("nothing to see here").findings == ()


def test_veto_phrase_keeps_the_model_quiet() -> None:
    veto = re.compile(r"we're hiring")
    weights = {"zork": 12.0, "blip": 10.0}  # words no rule knows: only the model decides
    text = "We're hiring! zork and blip"
    loud = with_models(toy(weights=weights)).classify(text)
    assert any(f.rule_id == "job.model" for f in loud.findings)
    quiet = with_models(toy(weights=weights, veto=veto)).classify(text)
    assert not any(f.rule_id == "job.model" for f in quiet.findings)


def test_a_text_the_rules_leave_alone_needs_less_than_one_beside_another_topic() -> None:
    """Where the rules flag another topic, its words push the model (a manager, HR, a
    contract): there the model needs `threshold`; elsewhere `threshold_alone`."""
    model = toy(bias=-1.0, threshold=0.8, threshold_alone=0.6, weights={"zork": 4.0, "blip": 4.0})
    clf = with_models(model)
    alone = clf.classify("zork and blip")  # p = sigmoid(-1 + 8 / sqrt(20)) = 0.69
    f = next(f for f in alone.findings if f.rule_id == "job.model")
    assert f.score == pytest.approx(0.6876, abs=1e-4)
    assert f.explanation.startswith("model job.model 0.69 >= 0.60: 'blip' +0.89, 'zork' +0.89")
    assert "job_search" in alone.flagged
    beside = clf.classify("zork and blip, my personal email is jo.blip@gmail.com")
    assert "contact_info" in beside.flagged
    assert not any(f.rule_id == "job.model" for f in beside.findings)
    assert with_models(toy(threshold=0.8, weights=model.weights)).classify("zork and blip") == (
        with_models().classify("zork and blip")
    )  # without threshold_alone, 0.8 everywhere: silent


def test_words_of_an_ignore_phrase_do_not_count() -> None:
    """ "Visa card accepted": the rules know that sense is harmless; the model, a bag of words,
    must not read "visa" and "card" as a residence card there."""
    weights = {"zork": 12.0, "blip": 10.0}
    model = toy(weights=weights, ignore=re.compile(r"zork blip"))
    assert model.ignored_words("a zork blip here") == {"zork", "blip"}
    clf = with_models(model)
    assert not any(f.rule_id == "job.model" for f in clf.classify("zork blip accepted").findings)
    assert any(f.rule_id == "job.model" for f in clf.classify("blip, zork accepted").findings)
    pairs = toy(weights={"zork blip": 12.0, "zork": 9.0, "blip": 10.0}, ignore=re.compile("zork"))
    assert not any(  # an ignored word takes its pairs with it
        f.rule_id == "job.model" for f in with_models(pairs).classify("zork blip").findings
    )


def test_a_pair_of_adjacent_words_is_one_feature() -> None:
    """ "Last day", "the round": two words together say what neither says alone. A pair is
    read across punctuation (the gate's view), only in its order, and a finding may point at
    it as the text writes it."""
    clf = with_models(toy(weights={"zork blip": 12.0, "zork": 3.0, "blip": 3.0}))
    text = "Well: Zork, blip!"
    f = next(f for f in clf.classify(text).findings if f.rule_id == "job.model")
    assert f.matched == text[f.start : f.end] == "Zork, blip"
    assert "'zork blip' +" in f.explanation
    assert not any(f.rule_id == "job.model" for f in clf.classify("blip zork").findings)
    assert not any(f.rule_id == "job.model" for f in clf.classify("zork and blip").findings)


def test_builtin_models_are_declared_and_vetoed() -> None:
    clf = Classifier.load()
    assert {m.id for m in clf.models} == set(train_model.MODEL_TOPICS.values())
    assert all(m.veto is not None and m.topic in TOPICS for m in clf.models)
    assert not set(clf.models[0].weights) & STOPWORDS
    assert Classifier.load(topics=["credentials"]).models == ()


def test_model_is_a_second_opinion_for_unflagged_topics() -> None:
    """Where the rules flag a topic its model stays silent (it would repeat them); it never
    removes a rule's finding."""
    clf = with_models(toy())
    text = "I handed in my notice today, the recruiter has a 2nd interview for me"
    result = clf.classify(text)
    ids = {f.rule_id for f in result.findings}
    assert "job.resign" in ids and "job.model" not in ids
    rules_only = clf.without_models().classify(text)
    assert rules_only == result


@pytest.mark.parametrize(
    ("doc", "problem"),
    [
        (b"{", "not a valid model file"),
        (b"[]", "must be a JSON object"),
        (b'{"id": "m", "topic": "nope", "bias": 0, "threshold": 0.5, "weights": {}}', "topic"),
        (
            b'{"id": "m", "topic": "financing", "bias": 0, "threshold": 1.5, "weights": {}}',
            "threshold",
        ),
        (
            b'{"id": "m", "topic": "financing", "bias": 0, "threshold": 0.5, '
            b'"weights": {"a b c": 1}}',
            "words or pairs of words",
        ),
        (
            b'{"id": "m", "topic": "financing", "bias": "x", "threshold": 0.5, "weights": {}}',
            "bias",
        ),
        (
            b'{"id": "m", "topic": "financing", "bias": 0, "threshold": 0.5, '
            b'"threshold_alone": true, "weights": {}}',
            "'threshold_alone' must be in",
        ),
        (
            b'{"id": "m", "topic": "financing", "bias": 0, "threshold": 0.5, '
            b'"threshold_alone": 1.0, "weights": {}}',
            "'threshold_alone' must be in",
        ),
    ],
)
def test_bad_model_file_names_the_file(doc: bytes, problem: str) -> None:
    with pytest.raises(AuditError, match=rf"lexicon/x.model.json.*{problem}"):
        parse_model(doc, "lexicon/x.model.json", TOPICS)


def test_model_declaration_errors_name_the_lexicon() -> None:
    good = json.dumps(
        {"id": "fin.model", "topic": "financing", "bias": 0, "threshold": 0.5, "weights": {}}
    ).encode()
    blobs = {"f.model.json": good}
    bad = [
        ({"id": "fin.model", "file": "missing.json"}, r"lexicon/f.toml.*not in the lexicon folder"),
        ({"id": "other", "file": "f.model.json"}, r"is for 'fin.model'"),
        ({"id": "fin.model", "file": "f.model.json", "weight": 1}, r"takes id, file, veto"),
    ]
    for spec, message in bad:
        with pytest.raises(AuditError, match=message):
            _models_of({"model": [spec]}, "lexicon/f.toml", TOPICS, {}, blobs)
    (model,) = _models_of(
        {
            "model": [{"id": "fin.model", "file": "f.model.json", "veto": ["@s"]}],
            "sets": {"s": ["charity gala"]},
        },
        "lexicon/f.toml",
        TOPICS,
        {},
        blobs,
    )
    assert model.veto is not None and model.veto.search("the charity gala")


def test_fit_separates_and_is_deterministic() -> None:
    pos = [(["recruiter", "interview", f"p{i % 3}"], 0.3) for i in range(30)]
    neg = [(["lunch", "coffee", f"n{i % 3}"], 0.3) for i in range(30)]
    docs = pos + neg
    labels = [True] * 30 + [False] * 30
    first = train_model.fit(docs, labels)
    assert first == train_model.fit(docs, labels)
    bias, weights = first
    assert weights["recruiter"] > 0 > weights["lunch"]
    z_pos = bias + (weights["recruiter"] + weights["interview"]) * 0.3
    z_neg = bias + (weights["lunch"] + weights["coffee"]) * 0.3
    assert z_pos > 0 > z_neg


def test_names_of_the_training_texts_are_not_features(tmp_path: Path) -> None:
    """A character's name ("Mateo" with a sick child in one writer's file) must not become a
    health word that flags every member who knows a Mateo; words the lexicons use stay."""
    texts = [
        "I spoke with Mateo about the rota and then with Mateo again.",
        "ask Mateo, he has the keys",
        "we pay with a Visa card, as Priya said to Visa support",
        "the Umsatzbericht is late",
    ]
    names = train_model.names_in(texts)
    assert "mateo" in names and "visa" not in names
    # A German noun the lexicon spells with glued alternatives ("aufhebungs{angebot,...,
    # vereinbarung}") is a lexicon word, not a name, however often it is capitalised.
    glued = ["so the Aufhebungsvereinbarung came, and the Aufhebungsvereinbarung is bad"] * 2
    assert "aufhebungsvereinbarung" not in train_model.names_in(glued)
    control = [t.replace("Aufhebungsvereinbarung", "Nordwind") for t in glued]
    assert "nordwind" in train_model.names_in(control)
    assert "priya" not in names and "umsatzbericht" not in names  # capitalised only once
    path = tmp_path / "x.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": t, "topics": ["health"], "lang": "en"}) for t in texts[:2]),
        encoding="utf-8",
    )
    features = [w for e in train_model.read_examples([path]) for w in e[1][0]]
    assert "rota" in features and "the rota" in features and "with mateo" not in features
    assert all("mateo" not in w.split() for w in features)  # nor any pair with the name
    assert "and then" not in features  # two stop words


def test_leave_out_together_trains_once_without_every_scored_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`together`: one training per model without all the scored files, each scored alone."""
    files = []
    for name, text, topics in (
        ("a.jsonl", "the recruiter set up an interview for the role", ["job_search"]),
        ("b.jsonl", "lunch at noon in the usual place", []),
        ("c.jsonl", "I handed in my notice and start the new job in May", ["job_search"]),
    ):
        path = tmp_path / name
        path.write_text(json.dumps({"text": text, "topics": topics}) + "\n", encoding="utf-8")
        files.append(path)
    seen: list[set[str]] = []
    real_train = train_model.train

    def spy(examples: list[train_model.Example], *args: object, **kw: object) -> WordModel:
        seen.append({e[0] for e in examples})
        return real_train(examples, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(train_model, "train", spy)
    results = train_model.leave_one_out(files, only=files[:2], together=True)
    assert seen == [{"c.jsonl"}] * len(train_model.MODEL_TOPICS)
    assert {r.file for r in results} == {"a.jsonl", "b.jsonl"}
    assert len(results) == 2 * len(train_model.MODEL_TOPICS)
    seen.clear()
    train_model.leave_one_out(files, only=files[:2])
    assert seen[0] == {"b.jsonl", "c.jsonl"} and seen[-1] == {"a.jsonl", "c.jsonl"}


@pytest.mark.skipif(not list(EVAL.glob("*.jsonl")), reason="eval/*.jsonl not present")
def test_shipped_models_are_what_the_trainer_writes(tmp_path: Path) -> None:
    """The model files are data made from the repository's own labelled files, reproducibly."""
    assert (
        train_model.main(
            [
                "--set",
                str(EVAL),
                "--set",
                str(EVAL / "heldout"),
                "--set",
                str(EVAL / "natural"),
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    lexicon = Path(train_model.__file__).parent / "classify" / "lexicon"
    for topic in train_model.MODEL_TOPICS:
        fresh = json.loads((tmp_path / f"{topic}.model.json").read_text(encoding="utf-8"))
        shipped = json.loads((lexicon / f"{topic}.model.json").read_text(encoding="utf-8"))
        assert fresh["bias"] == pytest.approx(shipped["bias"], abs=1e-3)
        for key in ("threshold", "threshold_alone", "doubt"):
            assert fresh[key] == shipped[key], (topic, key)
        assert fresh["weights"].keys() == shipped["weights"].keys()
        worst = max(abs(fresh["weights"][k] - v) for k, v in shipped["weights"].items())
        assert worst < 1e-3, "retrain with python -m auditor.train_model"


@pytest.mark.skipif(not list((EVAL / "heldout").glob("*.jsonl")), reason="eval/heldout not present")
def test_models_help_on_writers_they_never_saw() -> None:
    """Leave one held-out file out of training, score it: every model must add F1 over the
    held-out files together (the reason they exist); the financing and job-search models, the
    product's priority with the most positives per file, must add on average and cost no file
    much. Every third held-out file (fifteen folds of six models each: all forty-five took
    seven minutes of the suite); `train_model --loo` scores them all."""
    files = sorted(EVAL.glob("*.jsonl")) + sorted((EVAL / "heldout").glob("*.jsonl"))
    results = train_model.leave_one_out(
        files, only=[f for f in files if f.parent.name == "heldout"][::3]
    )
    for topic in train_model.MODEL_TOPICS:
        rules, both = train_model.pooled(r for r in results if r.topic == topic)
        assert both.f1 >= rules.f1 + 0.01, (topic, rules, both)
    for topic in ("financing", "job_search"):
        pairs = [(r.rules.f1, r.both.f1) for r in results if r.topic == topic]
        mean_rules = sum(r for r, _ in pairs) / len(pairs)
        mean_both = sum(b for _, b in pairs) / len(pairs)
        assert mean_both >= mean_rules + 0.01, (topic, mean_rules, mean_both)
        assert min(b - r for r, b in pairs) > -0.03, (topic, pairs)


@pytest.mark.skipif(not list((EVAL / "natural").glob("*.jsonl")), reason="eval/natural not present")
def test_models_do_not_flood_ordinary_traffic() -> None:
    """Ordinary business traffic, where few messages are sensitive (eval/natural): with the
    workplaces scored left out of training, the models must not cost financing or job search
    more than 0.05 F1 against the rules alone (before they were trained on such traffic they
    cost 0.04 and 0.08), and must gain over the other five topics together. Eight workplaces,
    evenly spaced, left out of one retrain together (one fold per workplace, four of them,
    had grown to twenty minutes of the suite: each fold retrains seven models on all the
    rest); `train_model --loo` scores every workplace alone."""
    files = sorted(EVAL.glob("*.jsonl"))
    for folder in ("heldout", "natural"):
        files += sorted((EVAL / folder).glob("*.jsonl"))
    natural = [f for f in files if f.parent.name == "natural"]
    step = max(1, len(natural) // 8)
    results = train_model.leave_one_out(files, only=natural[::step][:8], together=True)
    for topic in ("financing", "job_search"):
        rules, both = train_model.pooled(r for r in results if r.topic == topic)
        assert both.f1 >= rules.f1 - 0.05, (topic, rules, both)
    rules, both = train_model.pooled(
        r for r in results if r.topic not in ("financing", "job_search")
    )
    assert both.f1 > rules.f1, (rules, both)


@pytest.mark.skipif(not list((EVAL / "unseen").glob("*.jsonl")), reason="eval/unseen not present")
def test_shipped_models_help_on_workplaces_never_trained_on() -> None:
    """eval/unseen: workplaces' ordinary traffic that no model was trained on (the trainer
    reads eval, eval/heldout and eval/natural only) and no rule was written from. The shipped
    models must add over the rules there, overall and for financing and job search together,
    and cost no topic more than 0.03 F1."""
    assert not any("unseen" in s for s in train_model._SETS)
    items = evaluate.load_eval(EVAL / "unseen")
    shipped = Classifier.load()
    reports = {
        name: evaluate.score(items, evaluate.predict_scores(clf, items), shipped.min_score)
        for name, clf in (("rules", shipped.without_models()), ("both", shipped))
    }

    def f1(name: str, topics: tuple[str, ...]) -> float:
        chosen = [t for t in reports[name].topics if t.topic in topics]
        counts = (sum(getattr(t, k) for t in chosen) for k in ("tp", "fp", "fn"))
        return evaluate.TopicScore("pooled", *counts).f1

    topics = tuple(train_model.MODEL_TOPICS)
    assert f1("both", topics) >= f1("rules", topics) + 0.02
    priority = ("financing", "job_search")
    assert f1("both", priority) >= f1("rules", priority) + 0.01
    for topic in topics:
        assert f1("both", (topic,)) >= f1("rules", (topic,)) - 0.03, topic


# ---------------------------------------------------------------------------- doubt

DOUBTFUL = "Can someone take over the washing-up rota? I am resigning as dishwasher-in-chief, Mum"


def doubter(**kw: object) -> WordModel:
    weights = {"rota": -3.0, "washing": -2.0, "mum": -2.0, "dishwasher": -1.0, "friday": 0.5}
    return toy(**{"doubt": True, "weights": weights, **kw})


def test_words_that_lean_away_doubt_a_weaker_rule_finding() -> None:
    plain = with_models().classify(DOUBTFUL)
    assert "job_search" in plain.flagged  # the rule alone: 'resigning' 0.80
    result = with_models(doubter()).classify(DOUBTFUL)
    assert "job_search" not in result.flagged
    f = next(f for f in result.findings if f.topic == "job_search")
    assert f.matched == "resigning" and f.score == pytest.approx(0.8 * 0.35)
    assert f.explanation.endswith("; doubted by job.model (its words weigh -8.00) x0.35")


def test_no_doubt_without_enough_words_or_in_long_texts_or_when_off() -> None:
    # two known words only: the prior alone never overrules a rule
    few = "I am resigning, the rota is done"
    assert "job_search" in with_models(doubter()).classify(few).flagged
    assert "job_search" in with_models(doubter(doubt=False)).classify(DOUBTFUL).flagged
    filler = " ".join(f"word{i}" for i in range(80))
    assert "job_search" in with_models(doubter()).classify(f"{DOUBTFUL} {filler}").flagged
    # another sensitive topic in the text: its words are what lean away, so no doubt
    other = DOUBTFUL + " My personal email is jo.rota@gmail.com"
    assert "job_search" in with_models(doubter()).classify(other).flagged
    # words that lean towards the topic: no doubt
    towards = doubter(weights={"rota": 3.0, "washing": 2.0, "mum": 2.0})
    assert "job_search" in with_models(towards).classify(DOUBTFUL).flagged


def test_a_strong_rule_score_and_the_users_own_rules_are_not_doubted(tmp_path: Path) -> None:
    strong = DOUBTFUL + " I have a second interview with their recruiter, took the offer letter."
    assert "job_search" in with_models(doubter()).classify(strong).flagged  # combined >= 0.95
    user = tmp_path / "mine.toml"
    user.write_text(
        'disable = ["job.resign"]\n'
        '[[rule]]\nid = "me.rota"\ntopic = "job_search"\nweight = 0.9\nphrases = ["rota"]\n',
        encoding="utf-8",
    )
    ruleset = load_ruleset(user, SEVERITY)
    clf = Classifier(dataclasses.replace(ruleset, models=(doubter(),)), min_score=0.5)
    result = clf.classify(DOUBTFUL)
    assert "job_search" in result.flagged
    assert all("doubted" not in f.explanation for f in result.findings if f.rule_id == "me.rota")


def test_doubt_must_be_a_boolean() -> None:
    doc = {"id": "job.model", "topic": "job_search", "bias": 0, "threshold": 0.7, "weights": {}}
    assert parse_model(json.dumps({**doc, "doubt": True}).encode(), "m.json", TOPICS).doubt
    with pytest.raises(AuditError, match="'doubt' must be true or false"):
        parse_model(json.dumps({**doc, "doubt": 0.3}).encode(), "m.json", TOPICS)


def test_scores_do_not_depend_on_the_order_words_are_summed_in() -> None:
    """A text's words come from a set, whose order changes with the process's hash seed: the
    same text must get the same probability and the same doubt in every run."""
    model = toy(doubt=True, weights={"a1": 1e16, "b2": 1.0, "c3": -1e16, "d4": -2.0})
    one = dict.fromkeys(["a1", "b2", "c3", "d4"]).keys()
    other = dict.fromkeys(["a1", "c3", "b2", "d4"]).keys()
    assert model.probability(one, 0.5) == model.probability(other, 0.5)
    assert model.doubts(one, 10) == model.doubts(other, 10) == -1.0


# A small shared vocabulary: words and pairs of adjacent words (a stop word, a number too).
_FEATURES = [
    *(f"w{i}" for i in range(12)),
    *("w0 w1", "w1 w0", "w2 w2", "the w3", "w4 the", "w5 0", "w6 w7", "w13 w6"),
]


def _weights(bound: float) -> st.SearchStrategy[dict[str, float]]:
    """A model's weights over `_FEATURES`."""
    return st.dictionaries(
        st.sampled_from(_FEATURES),
        st.floats(-bound, bound, allow_nan=False),
        min_size=1,
    )


def _speaks(bank: ModelBank, gt: str) -> bool:
    """Whether `speaking` names a model for this gate text, with or without other topics."""
    tokens, scale, _ = features(gt)
    known = bank.vocabulary.intersection(tokens)
    return bool(bank.speaking(known, scale, False) or bank.speaking(known, scale, True))


@given(
    st.lists(
        st.tuples(_weights(1e6), st.integers(1, 4)),
        min_size=1,
        max_size=5,
    ),
    st.sets(st.sampled_from(_FEATURES)),
    st.floats(0.01, 1.0),
    st.booleans(),
)
def test_the_bank_reads_every_model_as_each_would_alone(
    specs: list[tuple[dict[str, float], int]], words: set[str], scale: float, others: bool
) -> None:
    """One packed sum must say exactly what each model's own strong-word count and weight sum
    say: no field may carry into the next, and no model that reaches its threshold is left
    out (one that cannot reach it may be)."""
    models = [
        toy(id=f"m{i}.model", weights=w, min_words=n, threshold=0.6, threshold_alone=0.3)
        for i, (w, n) in enumerate(specs)
    ]
    bank = ModelBank(models)
    known = words & bank.vocabulary
    enough = {
        i: sum(to_fixed(m.weights[w]) for w in known if w in m.weights)
        for i, m in enumerate(models)
        if len(m.strong_words & known) >= m.min_words
    }
    got = bank.speaking(known, scale, others)
    assert all(enough.get(i) == total for i, total in got)  # the same sums
    reaching = [
        i
        for i, total in enough.items()
        if models[i].probability_of(total, scale) >= models[i].needs(others)
    ]
    assert set(reaching) <= {i for i, _ in got}
    for i in enough:
        assert models[i].probability_of(enough[i], scale) == models[i].probability(known, scale)


def test_the_bank_leaves_out_a_model_far_below_its_threshold() -> None:
    high = toy(weights={"recruiter": 12.0, "interview": 10.0})
    low = toy(id="low.model", bias=-40.0, weights={"recruiter": 12.0, "interview": 10.0})
    bank = ModelBank([high, low])
    got = bank.speaking({"recruiter", "interview"}, 0.25, False)
    assert [i for i, _ in got] == [0]  # -40 + 22 * 0.25 is nowhere near the threshold


@given(
    st.lists(
        st.tuples(_weights(50.0), st.integers(1, 3), st.floats(-8.0, 8.0)),
        min_size=1,
        max_size=4,
    ),
    st.lists(
        st.lists(st.sampled_from([*(f"w{i}" for i in range(14)), "the", "0"]), max_size=40),
        max_size=12,
    ),
)
def test_the_batch_screen_never_hides_a_model_that_could_speak(
    specs: list[tuple[dict[str, float], int, float]], docs: list[list[str]]
) -> None:
    """`screen` may pass a text no model speaks for, never the reverse: a batch asks
    `speaking` only about the texts it marks, so a wrong False would lose a finding."""
    models = [
        toy(id=f"m{i}.model", weights=w, min_words=n, bias=b, threshold=0.6, threshold_alone=0.3)
        for i, (w, n, b) in enumerate(specs)
    ]
    bank = ModelBank(models)
    gts = [gate_text(" ".join(words)) for words in docs]
    marked = bank.screen(gts)
    assert len(marked) == len(gts)
    for gt, may in zip(gts, marked, strict=True):
        if not may:
            assert not _speaks(bank, gt)


def test_the_batch_screen_passes_few_ordinary_texts_and_every_speaking_one() -> None:
    """On the evaluation texts the shipped models' screen passes each text some model speaks
    for, and leaves out most of those with no sensitive topic (what makes `classify_many`
    faster: about 3% of them pass)."""
    bank = Classifier.load()._bank
    items = evaluate.load_eval(EVAL)
    gts = [gate_text(item.text.lower()) for item in items]
    marked = bank.screen(gts)
    for gt, may in zip(gts, marked, strict=True):
        if _speaks(bank, gt):
            assert may
    ordinary = [may for item, may in zip(items, marked, strict=True) if not item.topics]
    assert len(ordinary) > 500 and sum(ordinary) < 0.1 * len(ordinary)


def test_function_words_of_every_language_are_not_features() -> None:
    """A model that learnt Dutch "ik" and "bij" (most Dutch training texts were job moves)
    flagged every Dutch message and named those words as its reason: no shipped model weighs a
    function word, in any language the training texts hold."""
    from auditor.classify.model import STOPWORDS

    for word in ("ik", "bij", "als", "ze", "mich", "mi", "non", "jeg", "och", "não", "the"):
        assert word in STOPWORDS, word
    for model in Classifier.load().models:
        assert not STOPWORDS & set(model.weights), model.id
