"""Sensitive-topic classifier: TOML rules, an Aho-Corasick prefilter, explainable findings.

Public API used by the pipeline, the CLI and the reporter::

    clf = Classifier.load(user_rules=None, topics=None, min_score=None)
    result = clf.classify(text)          # auditor.models.Classification

Topic ids are part of the interface (CSV, JSON and `--topics` use them).
"""

from __future__ import annotations

from collections.abc import Mapping

from auditor.classify.engine import Classifier
from auditor.classify.rules import SEVERITY_RANK, TOPICS, Rule

# How much harm exposure of the topic can do; the reporter ranks and colours by it.
SEVERITY: Mapping[str, str] = {
    "financing": "medium",
    "job_search": "medium",
    "compensation": "medium",
    "health": "high",
    "immigration": "high",
    "legal": "medium",
    "contact_info": "high",
    "credentials": "high",
    "beliefs_identity": "high",
}

# Chosen on the evaluation set (sweep in docs/classifier.md).
DEFAULT_MIN_SCORE: float = 0.5

__all__ = ["DEFAULT_MIN_SCORE", "SEVERITY", "SEVERITY_RANK", "TOPICS", "Classifier", "Rule"]
