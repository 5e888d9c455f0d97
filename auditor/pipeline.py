"""The scan pipeline: load -> classify -> (reporter). Pure apart from the loader's reads.

The CLI is a thin layer over these functions; the benchmarks and tests call them directly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.models import Classification, Export

if TYPE_CHECKING:
    from auditor.classify import Classifier

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ScanResult:
    """An export and, index-aligned with its messages and content items, their classifications."""

    export: Export
    message_results: tuple[Classification, ...]
    content_results: tuple[Classification, ...]


def classify_export(
    export: Export,
    classifier: Classifier,
    *,
    progress: Progress | None = None,
    chunk: int = 5000,
) -> ScanResult:
    """Classify every message's content and every content item's text.

    Only the content is classified so that every finding's span indexes the text the reports show
    (and redact); InMail subjects are repeated in the conversation title column.
    """
    texts = [m.content for m in export.messages]
    total = len(texts) + len(export.content)
    results: list[Classification] = []
    seen: dict[str, Classification] = {}  # repeats are classified once across the export
    for start in range(0, len(texts), chunk):
        results.extend(classifier.classify_many(texts[start : start + chunk], cache=seen))
        if progress is not None:
            progress(len(results), total)
    content_results = classifier.classify_many((item.text for item in export.content), cache=seen)
    if progress is not None:
        progress(total, total)
    return ScanResult(export, tuple(results), tuple(content_results))


def scan(
    paths: Sequence[str | os.PathLike[str]],
    classifier: Classifier,
    *,
    max_total_bytes: int | None = None,
    max_ratio: float | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Load the inputs as one export and classify it."""
    from auditor import loader

    kwargs: dict[str, float] = {}
    if max_total_bytes is not None:
        kwargs["max_total_bytes"] = max_total_bytes
    if max_ratio is not None:
        kwargs["max_ratio"] = max_ratio
    export = loader.load_export(paths, **kwargs)  # type: ignore[arg-type]
    return classify_export(export, classifier, progress=progress)
