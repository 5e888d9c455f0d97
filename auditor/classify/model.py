"""Word-weight models: a second, learnt opinion for the topics where phrasing varies most.

Rules find what they were written for; people who write in other styles ("bill's out, walked
him out with a box", "the wire landed so the seed is closed") slip past them. A model here is a
plain logistic regression over the distinct words of a text and its pairs of adjacent words
(the gate's view: lower case, punctuation gone, digits read as 0; "last day", "the round": two
words read together say what neither says alone), stored as data in
`lexicon/<topic>.model.json`: a bias, a weight per word or pair, and the probability a text
must reach (`threshold`). Its score is
`sigmoid(bias + (sum of the weights of the features present) / sqrt(max(words, 20)))`, so every
finding names the words that pushed it over the line. It speaks only for a topic the rules left
unflagged, and only with `min_words` words of weight >= `strong`; it needs `threshold` where
the rules flag another topic and `threshold_alone` (lower) where they flag none. It is trained by
`python -m auditor.train_model` on the labelled evaluation files; `--loo` there measures it on
each file with that file left out of training.

A topic's lexicon declares its model in a `[[model]]` table (id, weights file, veto phrases).
Models add findings; they never cancel a rule's. A user rules file can disable one by its id
(`disable = ["fin.model"]`).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import pairwise, repeat

import numpy as np
import numpy.typing as npt

from auditor.errors import AuditError

_TOP_WORDS = 4  # words named in a finding's explanation
_NO_WORDS: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class WordModel:
    """One topic's word weights (see the module docstring)."""

    id: str
    topic: str
    bias: float
    threshold: float
    weights: Mapping[str, float]
    # The probability needed where the rules flag no other topic (None: `threshold`). Where
    # they do flag one, the words of that topic ("manager", "HR", "leave", "contract") are what
    # push a job model, so it needs the stronger `threshold` there.
    threshold_alone: float | None = None
    source: str = ""
    # Phrases that, anywhere in the text, keep the model quiet: a job ad ("we're hiring!"), a
    # newsletter's "unsubscribe". The rules have their negatives; this is the model's.
    veto: re.Pattern[str] | None = None
    # Phrases whose words the model does not count where they occur ("visa card", "green card
    # game"): harmless senses the rules' negatives already know, which a bag of words cannot.
    ignore: re.Pattern[str] | None = None
    min_words: int = 2  # a finding needs this many words of weight >= `strong` ...
    strong: float = 2.0  # ... so that no single word decides (that is the rules' business)
    # Doubt: where the built-in rules flag the topic with a combined score below `doubt_below`
    # and the text's words the model knows (at least `doubt_words`) weigh below zero in sum,
    # those rule findings are scaled by `doubt_factor` ("I'm resigning as captain of the pub
    # quiz team, the kids and the dog need me"). False turns it off.
    doubt: bool = False
    doubt_below: float = 0.95
    doubt_factor: float = 0.35
    doubt_words: int = 3
    # ... in a text of at most this many words: in a long e-mail the rest of the text says
    # little about the one sentence a rule found (a job move buried in a status update).
    doubt_max_words: int = 80
    # The words of weight >= `strong`, and the weights in fixed point (both derived).
    strong_words: frozenset[str] = field(init=False, compare=False, repr=False)
    fixed_weights: Mapping[str, int] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        strong = frozenset(w for w, v in self.weights.items() if v >= self.strong)
        object.__setattr__(self, "strong_words", strong)
        fixed = {w: to_fixed(v) for w, v in self.weights.items()}
        object.__setattr__(self, "fixed_weights", fixed)

    def probability(self, known: AbstractSet[str], scale: float) -> float:
        """The model's probability for a text whose words in the models' vocabulary are `known`
        and whose length gives `scale` (see `length_scale`)."""
        return self.probability_of(sum(map(self.fixed_weights.get, known, repeat(0))), scale)

    def probability_of(self, total: int, scale: float) -> float:
        """The probability for a text whose present words' weights sum to `total` (fixed
        point: see `to_fixed`). Integers sum exactly in any order, and a set's order varies
        with the process's hash seed: the same text gets the same score in every run."""
        return _sigmoid(self.bias + total / _FIXED * scale)

    def pushing(self, known: AbstractSet[str], scale: float) -> list[tuple[str, float]]:
        """Each present word's positive contribution to the score, strongest first."""
        weights = self.weights
        got = [(w, weights[w] * scale) for w in known if weights.get(w, 0.0) > 0]
        got.sort(key=lambda item: (-item[1], item[0]))
        return got

    def doubts(self, known: AbstractSet[str], n_words: int) -> float | None:
        """The summed weight of a text's known words when they lean away from the topic (below
        zero, with at least `doubt_words` of them): the model doubts the rules' weaker findings
        there. None when it has no doubt. The bias is left out on purpose: a short text's
        probability is mostly the prior, and the prior alone must not overrule a rule."""
        if not self.doubt or n_words > self.doubt_max_words:
            return None
        weights = self.weights
        present = [weights[w] for w in known if w in weights]
        if len(present) < self.doubt_words:
            return None
        total = math.fsum(present)
        return total if total < 0.0 else None

    def needs(self, others_flagged: bool) -> float:
        """The probability a text needs: `threshold_alone` where the rules flag no other topic."""
        if others_flagged or self.threshold_alone is None:
            return self.threshold
        return self.threshold_alone

    def ignored_words(self, nt: str) -> frozenset[str]:
        """The gate words (the model's features) of every `ignore` phrase in a normalised
        text."""
        return _NO_WORDS if self.ignore is None else matched_words(self.ignore, nt)

    def explain(self, p: float, needed: float, pushing: list[tuple[str, float]]) -> str:
        """A finding's explanation: the probability, the threshold and the words behind it."""
        words = ", ".join(f"'{w}' +{v:.2f}" for w, v in pushing[:_TOP_WORDS])
        return f"model {self.id} {p:.2f} >= {needed:.2f}: {words} (bias {self.bias:.2f})"


_FIXED = 1 << 32
# A feature as a model file names it: a gate word, or two separated by one space.
_FEATURE = re.compile(r"[^\W_]+(?: [^\W_]+)?")


def to_fixed(weight: float) -> int:
    """A weight as a whole number of 2**-32ths (far finer than a model file's decimals)."""
    return round(weight * _FIXED)


class ModelBank:
    """All of a classifier's models read a text in one `sum`: each word of their vocabulary is
    one integer holding, in fixed-width fields, its weight in every model (fixed point, plus an
    offset that keeps the field non-negative) and, per model, a 1 if it is a strong word there.
    Adding a text's words adds every field at once (no field can carry into the next: the widths
    hold the whole vocabulary's sum), and most texts then show at once that no model has the
    `min_words` strong words it needs to speak, or that its sum is too low for its threshold."""

    __slots__ = (
        "_arrays",
        "_count_at",
        "_count_width",
        "_models",
        "_needs",
        "_offset",
        "_packed",
        "_speak_add",
        "_speak_bits",
        "_width",
        "vocabulary",
    )

    def __init__(self, models: Iterable[WordModel]) -> None:
        self._models = tuple(models)
        vocabulary: dict[str, None] = {}
        for model in self._models:
            vocabulary.update(dict.fromkeys(model.weights))
        n = len(self._models)
        largest = max((abs(v) for m in self._models for v in m.fixed_weights.values()), default=0)
        self._offset = largest + 1
        self._width = (2 * self._offset * max(len(vocabulary), 1)).bit_length() + 1
        most = max(len(vocabulary), *(m.min_words for m in self._models), 1)
        count_width = self._count_width = most.bit_length() + 2
        self._count_at = n * self._width  # where the strong-word counts start
        # Adding 2**(count_width-1) - min_words to a count sets the field's top bit exactly
        # when the count reaches min_words: one addition and one mask say which models speak.
        add = bits = 0
        for i, model in enumerate(self._models):
            top = 1 << (count_width - 1)
            add |= (top - model.min_words) << (i * count_width)
            bits |= top << (i * count_width)
        self._speak_add, self._speak_bits = add, bits
        # Per model, the bias and the log-odds it needs where the rules flag no topic / some.
        self._needs = tuple(
            (m.bias, _logit(m.needs(False)), _logit(m.needs(True))) for m in self._models
        )
        packed: dict[str, int] = {}
        for word in vocabulary:
            value = 0
            for i, model in enumerate(self._models):
                weight = model.fixed_weights.get(word, 0)
                value |= (weight + self._offset) << (i * self._width)
                if word in model.strong_words:
                    value |= 1 << (self._count_at + i * count_width)
            packed[word] = value
        self._packed = packed
        # Every word some model weighs: built once, read for every text.
        self.vocabulary: frozenset[str] = frozenset(packed)
        self._arrays: _BankArrays | None = None

    def screen(self, gate_texts: Sequence[str]) -> list[bool]:
        """For many gate texts at once, whether `speaking` could name any model for the text
        (with or without other topics flagged): False is certain, so a batch asks `speaking`
        only about the texts marked True. The same integer sums as `speaking`, in numpy over
        the whole batch: per text they cost a dictionary look-up per word instead of a set
        intersection, a big-integer sum and the decoding of its fields."""
        n = len(gate_texts)
        if not self._models or not n:
            return [False] * n
        arrays = self._arrays
        if arrays is None:
            arrays = self._arrays = _BankArrays.of(self._models, self.vocabulary)
        # A gate text is " w1 w2 ... wk " (k + 1 spaces) or, with no word, "  ".
        counts = np.fromiter(
            (g.count(" ") - 1 if len(g) > 2 else 0 for g in gate_texts), np.int64, count=n
        )
        words = "".join(gate_texts).split()
        if len(words) != int(counts.sum()):  # not gate texts: no shortcut, ask about each one
            return [True] * n
        ids = np.fromiter(map(arrays.index.get, words, repeat(0)), np.int64, count=len(words))
        owner = np.repeat(np.arange(n, dtype=np.int64), counts)
        if arrays.pair_keys.size and len(words) > 1:
            ids, owner = arrays.with_pairs(ids, owner)
        known = arrays.weighed[ids]
        rows = arrays.table.shape[1]
        # Each (text, feature) once: the models read a text's distinct words and pairs. (A
        # plain sort: `np.unique` was forty times slower on these keys.)
        text_rows = np.sort(owner[known] * rows + ids[known])
        if not text_rows.size:
            return [False] * n
        text_rows = text_rows[_firsts(text_rows)]
        word_ids = text_rows % rows
        owners = text_rows // rows
        starts = np.flatnonzero(_firsts(owners))
        texts = owners[starts]
        m = len(self._models)
        both = np.add.reduceat(np.take(arrays.table, word_ids, axis=1), starts, axis=1)
        sums, strong = both[:m].T, both[m:].T
        per = 1.0 / np.sqrt(np.maximum(counts[texts], 20)) / _FIXED
        # `speaking`'s test, against the lower of a model's two thresholds, with a margin far
        # wider than any difference in rounding between the two computations.
        logit = arrays.bias + sums * per[:, None]
        may = ((strong >= arrays.min_words) & (logit >= arrays.needs - 1e-6)).any(axis=1)
        out = np.zeros(n, dtype=bool)
        out[texts[may]] = True
        result: list[bool] = out.tolist()
        return result

    def speaking(
        self, known: Collection[str], scale: float, others_flagged: bool
    ) -> list[tuple[int, int]]:
        """(model position, summed fixed-point weight of the words) for each model with its
        `min_words` strong words among `known` (a text's distinct words in `vocabulary`) whose
        probability may reach what it `needs` at this length `scale`. A model left out is below
        its threshold by a margin no rounding can cross; the caller decides the rest exactly."""
        if not known:
            return []
        total = sum(map(self._packed.__getitem__, known))
        speak = ((total >> self._count_at) + self._speak_add) & self._speak_bits
        if not speak:
            return []
        out = []
        mask = (1 << self._width) - 1
        base = len(known) * self._offset
        per = scale / _FIXED
        which = 2 if others_flagged else 1
        for i in range(len(self._models)):
            if speak >> ((i + 1) * self._count_width - 1) & 1:
                value = ((total >> (i * self._width)) & mask) - base
                needs = self._needs[i]
                if needs[0] + value * per >= needs[which] - 1e-9:
                    out.append((i, value))
        return out


def _firsts(values: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Where each run of equal values in a sorted array starts."""
    out = np.empty(len(values), dtype=bool)
    out[:1] = True
    np.not_equal(values[1:], values[:-1], out=out[1:])
    return out


@dataclass(frozen=True, slots=True)
class _BankArrays:
    """A bank's models as arrays (built on the first batch): row 0 is every unknown word. A
    word that only occurs inside pairs has a row of zeros (it adds nothing, but the pairs are
    found from the rows of their words)."""

    index: dict[str, int]  # word -> row
    # (2 * models, features + 1): per model its fixed-point weight, then per model a 1 where
    # the feature is strong (one gather and one sum read both). Features are columns:
    # `reduceat` along the rows of a (features, 2m) table was ten times slower.
    table: npt.NDArray[np.int64]
    weighed: npt.NDArray[np.bool_]  # rows some model weighs (not row 0, not pair-only words)
    min_words: npt.NDArray[np.int64]
    bias: npt.NDArray[np.float64]
    needs: npt.NDArray[np.float64]  # the lower of the two log-odds a model needs
    pair_word: npt.NDArray[np.int64]  # row -> its word's number among pair words (0: none)
    pair_keys: npt.NDArray[np.int64]  # sorted: first word's number * base + second's
    pair_rows: npt.NDArray[np.int64]  # the row of each pair key
    pair_base: int

    @classmethod
    def of(cls, models: Sequence[WordModel], vocabulary: Iterable[str]) -> _BankArrays:
        features = sorted(vocabulary)
        pairs = [f for f in features if " " in f]
        in_pairs = sorted({w for pair in pairs for w in pair.split(" ")})
        words = sorted({f for f in features if " " not in f}.union(in_pairs))
        index = {word: i for i, word in enumerate(words, start=1)}
        rows = dict(index)
        for pair in pairs:
            rows[pair] = len(rows) + 1
        m = len(models)
        table = np.zeros((len(rows) + 1, 2 * m), dtype=np.int64)
        weighed = np.zeros(len(rows) + 1, dtype=bool)
        for j, model in enumerate(models):
            for feature, value in model.fixed_weights.items():
                table[rows[feature], j] = value
                weighed[rows[feature]] = True
            for feature in model.strong_words:
                table[rows[feature], m + j] = 1
        number = {w: i for i, w in enumerate(in_pairs, start=1)}
        pair_word = np.zeros(len(index) + 1, dtype=np.int64)
        for w, k in number.items():
            pair_word[index[w]] = k
        base = len(number) + 1
        keyed = sorted(
            (number[a] * base + number[b], rows[pair])
            for pair in pairs
            for a, b in [pair.split(" ")]
        )
        return cls(
            index=index,
            table=np.ascontiguousarray(table.T),
            weighed=weighed,
            min_words=np.array([m.min_words for m in models], dtype=np.int64),
            bias=np.array([m.bias for m in models], dtype=np.float64),
            needs=np.array(
                [min(_logit(m.needs(False)), _logit(m.needs(True))) for m in models],
                dtype=np.float64,
            ),
            pair_word=pair_word,
            pair_keys=np.array([k for k, _ in keyed], dtype=np.int64),
            pair_rows=np.array([r for _, r in keyed], dtype=np.int64),
            pair_base=base,
        )

    def with_pairs(
        self, ids: npt.NDArray[np.int64], owner: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """The rows (and their texts) of a batch's words, plus the rows of the word pairs the
        models know among each text's adjacent words (the `pairs_of` of `features`)."""
        number = self.pair_word[ids]
        left, right = number[:-1], number[1:]
        adjacent = (left > 0) & (right > 0) & (owner[:-1] == owner[1:])
        keys = left[adjacent] * self.pair_base + right[adjacent]
        at = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
        known = self.pair_keys[at] == keys
        return (
            np.concatenate([ids, self.pair_rows[at[known]]]),
            np.concatenate([owner, owner[:-1][adjacent][known]]),
        )


def matched_words(pattern: re.Pattern[str], nt: str) -> frozenset[str]:
    """The gate words (model features) of every match of `pattern` in a normalised text: what
    a model stops counting there. Called only for a text a model would flag, so the import
    below costs nothing on the hot path (at module level it would be circular: gate -> rules
    -> model)."""
    found = [m.group(0) for m in pattern.finditer(nt)]
    if not found:
        return _NO_WORDS
    from auditor.classify.gate import gate_text

    return frozenset(gate_text(" ".join(found)).split())


def length_scale(n_tokens: int) -> float:
    """Each present word's feature value: 1/sqrt(the text's word count), so a long e-mail's
    many weak words do not add up to certainty."""
    return 1.0 / math.sqrt(max(n_tokens, 20))


def features(gt: str) -> tuple[list[str], float, int]:
    """A gate text's words and its pairs of adjacent words ("notice period"), repeats and stop
    words included (the vocabulary has none of the latter), its length scale and its number of
    words: what the engine and the trainer both compute."""
    tokens = gt.split()
    n = len(tokens)
    return tokens + pairs_of(tokens), length_scale(n), n


def pairs_of(tokens: Sequence[str]) -> list[str]:
    """Every pair of adjacent words as one feature, "word word" (a word has no space)."""
    return [f"{a} {b}" for a, b in pairwise(tokens)]


# Function words carry the writer's voice, not the topic: a model that learns "i" and "me"
# flags every personal message, and one that learns Dutch "ik" and "bij" (most Dutch training
# texts were job moves) flags every Dutch message. They are not features, in any language we
# have text in: English, German, French, Spanish, Dutch, Italian, Portuguese, Scandinavian,
# Polish, Turkish.
_STOPWORD_TEXT = """
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
s t d ll m re ve im ive id youre dont doesnt didnt cant wont isnt its also get got just like
ok yes hi hey thanks thank please dear regards best cheers 0 00 000 0000 der die das und ist
ich du wir sie es ein eine zu mit von den dem nicht auf für im le la les et est je tu nous
vous il elle un une de des du en pour pas que qui el los las y es yo tú nosotros ellos una
uno por para con que no se
er ihr mein meine dein sein seine aber oder auch noch schon wie was wenn dass bei nach aus an
am zum zur des einen einem einer hat habe haben bist sind wird werden kann muss soll ja nein
mir mich dir dich uns
ce ça ces cette mon ma mes ton ta tes notre nos votre vos leur leurs au aux dans par sur avec
mais ou donc ne on ai as ont suis sont été être avoir très aussi lui
lo le les del al mi tu su sus mis pero como más muy ya este esta ese esa nos ha he han hay fue
ser estar está
ik jij hij zij ze wij je het een van op dat dit zijn met voor als maar om aan bij te niet ook
nog wel dan naar uit over tot door mijn mij jouw jullie hun ons onze wat wie waar hoe heb heeft
hebben ben bent wordt worden kunnen zal zou moet wil daar hier iets niks nu al zo geen veel
even toch
io lui lei noi voi loro gli di da con su tra fra ma che non è sono ho hai abbiamo mi ti ci si
vi della dei delle alla nel nella anche più questo quello
eu você ele ela nós eles os um do da dos das em na nas com mas não são foi meu minha
jeg han hun vi det den et og til af og er var har ikke som men om så vil skal vores jag och
är inte att mig dig
bin hab hatte hätte waren wäre ab bis mal jetzt grad gerade eh doch halt nur sich man da dann
denn sehr gibt geht
hasta entre algo todo también sí hola gracias
w z ze na się nie że jest był była było być jak ale czy tak już jeszcze tylko też dla od za po
przez nad bez o ja ty on ona ono my wy oni mnie mi cię ci jej ich nas was te tego tej tym bo więc
może mam masz ma mamy macie mają będzie są tu tam dzięki cześć hej
ve bir bu şu için ile ama çok daha gibi mı mu mü sen biz siz onlar yok değil evet hayır tamam ki ya
hem
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@functools.lru_cache(maxsize=4096)
def word_pattern(word: str) -> re.Pattern[str]:
    """Where a gate-text word (or pair of words) occurs in the normalised text: the same
    letters, any digit where the gate wrote 0, not inside a longer word; between the two words
    of a pair, anything the gate reads as a break."""
    body = r"[\W_]+".join(
        "".join(r"\d" if c == "0" else re.escape(c) for c in part) for part in word.split(" ")
    )
    return re.compile(rf"(?<![^\W_]){body}(?![^\W_])")


def parse_model(
    data: bytes,
    source: str,
    known_topics: Iterable[str],
    veto: re.Pattern[str] | None = None,
    ignore: re.Pattern[str] | None = None,
) -> WordModel:
    """A model file's contents, validated; raises AuditError naming the file."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AuditError(f"{source}: not a valid model file ({exc})") from None
    if not isinstance(doc, dict):
        raise AuditError(f"{source}: a model file must be a JSON object")
    mid, topic = doc.get("id"), doc.get("topic")
    if not isinstance(mid, str) or not mid:
        raise AuditError(f"{source}: model has no 'id'")
    if topic not in set(known_topics):
        raise AuditError(f"{source}: model '{mid}': unknown topic {topic!r}")
    bias, threshold, weights = doc.get("bias"), doc.get("threshold"), doc.get("weights")
    if not isinstance(bias, (int, float)) or isinstance(bias, bool):
        raise AuditError(f"{source}: model '{mid}': 'bias' must be a number")
    if not isinstance(threshold, (int, float)) or not 0.0 < threshold < 1.0:
        raise AuditError(f"{source}: model '{mid}': 'threshold' must be in (0, 1)")
    if not isinstance(weights, dict) or not all(
        isinstance(k, str) and _FEATURE.fullmatch(k) and isinstance(v, (int, float))
        for k, v in weights.items()
    ):
        raise AuditError(
            f"{source}: model '{mid}': 'weights' must map words or pairs of words to numbers"
        )
    alone = doc.get("threshold_alone")
    if alone is not None and (
        not isinstance(alone, (int, float)) or isinstance(alone, bool) or not 0.0 < alone < 1.0
    ):
        raise AuditError(f"{source}: model '{mid}': 'threshold_alone' must be in (0, 1)")
    doubt = doc.get("doubt", False)
    if not isinstance(doubt, bool):
        raise AuditError(f"{source}: model '{mid}': 'doubt' must be true or false")
    min_words = doc.get("min_words", 2)
    if not isinstance(min_words, int) or isinstance(min_words, bool) or min_words < 1:
        raise AuditError(f"{source}: model '{mid}': 'min_words' must be a whole number >= 1")
    return WordModel(
        veto=veto,
        ignore=ignore,
        min_words=min_words,
        doubt=doubt,
        id=mid,
        topic=str(topic),
        bias=float(bias),
        threshold=float(threshold),
        threshold_alone=None if alone is None else float(alone),
        weights={k: float(v) for k, v in weights.items()},
        source=source,
    )
