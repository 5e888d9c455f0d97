"""The scan pipeline: load -> classify -> (reporter). Pure apart from the loader's reads.

Two paths give byte-identical reports:

- the simple one (`scan`, `classify_export`): the whole Export and every Classification in
  memory; the HTML report, `inventory` and most tests use it;
- the streaming one (`scan_streaming`): messages are loaded, classified, folded into the
  summary and written to the flagged CSV chunk by chunk, so memory does not grow with the
  export; with `jobs` > 1, worker processes classify the chunks while this one loads and
  reports, and results are taken in chunk order, so the outputs do not depend on `jobs`.

The CLI is a thin layer over these functions; the benchmarks and tests call them directly.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.errors import AuditError
from auditor.models import Classification, Export, Message

if TYPE_CHECKING:
    from auditor.classify import Classifier
    from auditor.exposure import PolicySettings
    from auditor.loader.archive import Limits
    from auditor.loader.stream import Knowledge
    from auditor.report.csvout import FlaggedRows
    from auditor.report.summary import Summary

Progress = Callable[[int, int], None]  # (done, total); total 0 when not known yet

DEFAULT_CHUNK = 20_000  # messages per chunk in one process: ~10 MB of records
POOL_CHUNK = 10_000  # with workers: smaller, so the last chunks overlap too (5,000 cost more CPU)
# Distinct texts remembered (by the main process; workers only get texts it has not seen) so that
# repeats are classified once; emptied when full, so memory stays flat however big the export
# (about 80 MB at this size). 200,000 was not measurably faster at 1M messages but took 224 MB at
# 1M and 288 MB at 4M instead of 180 and 209 (docs/performance.md).
CACHE_LIMIT = 100_000
MAX_JOBS = 64


@dataclass(frozen=True, slots=True)
class ScanResult:
    """An export and, index-aligned with its messages and content items, their classifications."""

    export: Export
    message_results: tuple[Classification, ...]
    content_results: tuple[Classification, ...]


@dataclass(frozen=True, slots=True)
class StreamedScan:
    """What a streamed scan keeps: the summary, and the export without its messages."""

    export: Export  # `messages` is empty: they were streamed
    message_count: int
    summary: Summary
    # Topics flagged in the member's own messages and content items (not ads / LinkedIn mail),
    # for --fail-on.
    private_topics: frozenset[str]
    passes: int  # 2 when the member's URLs were learnt too late and the export was re-read


def check_jobs(jobs: int) -> int:
    """`jobs` if usable, else AuditError (one line)."""
    if not 1 <= jobs <= MAX_JOBS:
        raise AuditError(f"--jobs: expected a whole number from 1 to {MAX_JOBS}, got {jobs}")
    return jobs


# --------------------------------------------------------------------- classifying in workers

_WORKER: Classifier | None = None


def _worker_init(classifier: Classifier | None) -> None:
    """Pool initializer: with `fork` the classifier is inherited (None is passed), with
    `spawn` it arrives pickled once per worker."""
    global _WORKER
    # Ctrl-C reaches the whole process group: only the parent handles it (it terminates the
    # pool), so workers never print a traceback of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if classifier is not None:
        _WORKER = classifier


def _classify_cached(
    classifier: Classifier, texts: Iterable[str], cache: dict[str, Classification]
) -> list[Classification]:
    if len(cache) >= CACHE_LIMIT:
        cache.clear()
    return classifier.classify_many(texts, cache=cache, max_cache=CACHE_LIMIT)


def _worker_classify(texts: list[str]) -> list[Classification]:
    """Distinct texts the parent has not classified yet (it keeps the cache: one per process
    would classify every repeated text once per worker)."""
    if _WORKER is None:  # pragma: no cover - a broken pool set-up
        raise RuntimeError("worker has no classifier")
    return _WORKER.classify_many(texts)


class _Classifying:
    """Classifies chunks of texts, in this process (jobs=1) or in a pool, results in order.

    With a pool, up to `2 * jobs` chunks are in flight: enough to keep the workers busy while
    this process loads and reports, few enough to keep memory flat.
    """

    def __init__(self, classifier: Classifier, jobs: int) -> None:
        self.classifier = classifier
        self.jobs = jobs
        self.cache: dict[str, Classification] = {}  # repeats classified once across chunks
        self._pool: Any = None

    def __enter__(self) -> _Classifying:
        if self.jobs > 1:
            global _WORKER
            methods = multiprocessing.get_all_start_methods()
            if "fork" in methods:  # workers inherit the loaded rules; nothing pickled but texts
                _WORKER = self.classifier
                ctx: Any = multiprocessing.get_context("fork")
                args: tuple[Classifier | None] = (None,)
            else:  # pragma: no cover - macOS/Windows default
                ctx = multiprocessing.get_context("spawn")
                args = (self.classifier,)
            # An executor, not multiprocessing.Pool: a worker that dies (killed for memory)
            # fails the scan with BrokenProcessPool instead of leaving it waiting forever.
            self._pool = ProcessPoolExecutor(
                self.jobs, mp_context=ctx, initializer=_worker_init, initargs=args
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
            self._pool = None

    def now(self, texts: Iterable[str]) -> list[Classification]:
        """Classify in this process (content items; the jobs=1 path)."""
        return _classify_cached(self.classifier, texts, self.cache)

    def chunks(
        self, chunks: Iterable[list[Message]]
    ) -> Iterator[tuple[list[Message], list[Classification]]]:
        """(chunk, its classifications) in the order the chunks came."""
        if self._pool is None:
            for chunk in chunks:
                yield chunk, self.now([m.content for m in chunk])
            return
        pending: deque[_Pending] = deque()
        depth = 2 * self.jobs
        try:
            for chunk in chunks:
                pending.append(self._submit(chunk))
                while len(pending) >= depth:
                    yield self._collect(pending.popleft())
            while pending:
                yield self._collect(pending.popleft())
        except BrokenProcessPool:
            raise AuditError(
                "a worker process stopped unexpectedly (out of memory?); try fewer --jobs"
            ) from None

    def _submit(self, chunk: list[Message]) -> _Pending:
        """Send a chunk's distinct texts that are not in the cache to a worker."""
        texts = [m.content for m in chunk]
        known: dict[str, Classification] = {}
        todo: dict[str, None] = {}
        get = self.cache.get
        for text in texts:
            if text in known or text in todo:
                continue
            result = get(text)
            if result is None:
                todo[text] = None
            else:
                known[text] = result
        job = self._pool.submit(_worker_classify, list(todo)) if todo else None
        return chunk, texts, known, list(todo), job

    def _collect(self, item: _Pending) -> tuple[list[Message], list[Classification]]:
        """Wait for a chunk's results (in submission order) and remember them."""
        chunk, texts, known, todo, job = item
        if job is not None:
            cache = self.cache
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
            for text, result in zip(todo, job.result(), strict=True):
                known[text] = result
                cache[text] = result
        return chunk, [known[text] for text in texts]


# (chunk, its texts, their results known so far, the texts sent, the worker's job or None)
_Pending = tuple[list[Message], list[str], dict[str, Classification], list[str], Any]


# --------------------------------------------------------------------- the simple path


def classify_export(
    export: Export,
    classifier: Classifier,
    *,
    progress: Progress | None = None,
    chunk: int = 5000,
    jobs: int = 1,
) -> ScanResult:
    """Classify every message's content and every content item's text.

    Only the content is classified so that every finding's span indexes the text the reports show
    (and redact); InMail subjects are repeated in the conversation title column.
    """
    messages = export.messages
    total = len(messages) + len(export.content)
    results: list[Classification] = []
    with _Classifying(classifier, check_jobs(jobs)) as work:
        chunks = (list(messages[i : i + chunk]) for i in range(0, len(messages), chunk))
        for _chunk, res in work.chunks(chunks):
            results.extend(res)
            if progress is not None:
                progress(len(results), total)
        content_results = work.now(item.text for item in export.content)
    if progress is not None:
        progress(total, total)
    return ScanResult(export, tuple(results), tuple(content_results))


def _limits(max_total_bytes: int | None, max_ratio: float | None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    if max_total_bytes is not None:
        kwargs["max_total_bytes"] = max_total_bytes
    if max_ratio is not None:
        kwargs["max_ratio"] = max_ratio
    return kwargs


def scan(
    paths: Sequence[str | os.PathLike[str]],
    classifier: Classifier,
    *,
    max_total_bytes: int | None = None,
    max_ratio: float | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> ScanResult:
    """Load the inputs as one export and classify it."""
    from auditor import loader

    export = loader.load_export(paths, **_limits(max_total_bytes, max_ratio))
    return classify_export(export, classifier, progress=progress, jobs=jobs)


# --------------------------------------------------------------------- the streaming path


@dataclass(frozen=True, slots=True)
class CsvOptions:
    """Where and how to write the flagged CSV during a streamed scan."""

    target: str
    redact: bool = False
    no_content: bool = False
    excel: bool = False


def scan_streaming(
    paths: Sequence[str | os.PathLike[str]],
    classifier: Classifier,
    settings: PolicySettings,
    *,
    topics: Sequence[str],
    severity: Mapping[str, str],
    csv: CsvOptions | None = None,
    inputs: Sequence[str] = (),
    jobs: int = 1,
    chunk: int | None = None,
    max_total_bytes: int | None = None,
    max_ratio: float | None = None,
    progress: Progress | None = None,
) -> StreamedScan:
    """Load, classify, summarise and write the flagged CSV chunk by chunk.

    The CSV writer pulls the rows, and producing them drives the whole scan. The summary and
    the CSV are byte-identical to `scan` + `build_summary` + `write_flagged_csv`
    (tests/test_pipeline_stream.py), whatever `jobs` and `chunk`.
    """
    from auditor import loader
    from auditor.loader.archive import Limits
    from auditor.report.csvout import write_flagged_csv

    check_jobs(jobs)
    if chunk is None:
        chunk = DEFAULT_CHUNK if jobs == 1 else POOL_CHUNK
    kw = _limits(max_total_bytes, max_ratio)
    limits = Limits(
        kw.get("max_total_bytes", loader.DEFAULT_MAX_TOTAL_BYTES),
        kw.get("max_ratio", loader.DEFAULT_MAX_RATIO),
    )
    # Bounded memory and no reference cycles in the records: the cyclic GC would only rescan
    # the heap (the loader switches it off for the same reason).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with _Classifying(classifier, jobs) as work:
            knowledge = None
            for attempt in (1, 2):
                one = _Pass(paths, limits, chunk, knowledge, work, settings, topics, severity)
                try:
                    if csv is None:
                        for _ in one.rows(None, progress, retry=attempt == 1):
                            pass
                    else:
                        rows = one.rows(csv, progress, retry=attempt == 1)
                        write_flagged_csv(csv.target, rows, excel=csv.excel, inputs=inputs)
                except _Again as again:
                    # The member's URLs or name were learnt after messages had been read: read
                    # again knowing them (what load_export does by re-deriving directions). The
                    # half-written CSV was thrown away with its temp file.
                    knowledge = again.knowledge
                    continue
                return one.result(passes=attempt)
            raise AssertionError("unreachable: the second pass never asks for a third")
    except MemoryError as exc:
        raise AuditError(f"{', '.join(str(p) for p in paths)}: out of memory") from exc
    finally:
        if gc_was_enabled:
            gc.enable()


class _Again(Exception):
    def __init__(self, knowledge: Knowledge) -> None:
        super().__init__("second pass needed")
        self.knowledge = knowledge


class _Pass:
    """One streamed pass over the export, driven by pulling `rows`."""

    def __init__(
        self,
        paths: Sequence[str | os.PathLike[str]],
        limits: Limits,
        chunk: int,
        knowledge: Knowledge | None,
        work: _Classifying,
        settings: PolicySettings,
        topics: Sequence[str],
        severity: Mapping[str, str],
    ) -> None:
        from auditor.loader.stream import ExportStream
        from auditor.report.summary import SummaryBuilder

        self.stream = ExportStream(paths, limits, chunk=chunk, knowledge=knowledge)
        self.work = work
        self.settings = settings
        self.severity = severity
        self.builder = SummaryBuilder(settings, topics=topics, severity=severity)
        self._export: Export | None = None

    def rows(
        self, csv: CsvOptions | None, progress: Progress | None, *, retry: bool
    ) -> Iterator[tuple[str, ...]]:
        """The flagged CSV's rows (none when `csv` is None); the summary fills up on the way.
        Raises _Again at the end of the messages when `retry` and the pass was speculative."""

        stream, builder = self.stream, self.builder
        flagged: FlaggedRows | None = None
        done = 0
        for chunk, results in self.work.chunks(stream):
            builder.add_messages(chunk, results)
            if csv is not None:
                if flagged is None:  # the member's name is known before the first chunk
                    flagged = self._flagged(stream.member_name, csv)
                yield from flagged.messages(chunk, results)
            done += len(chunk)
            if progress is not None:
                progress(done, 0)
        if retry and not stream.consistent:
            raise _Again(stream.knowledge)
        export: Export = stream.export
        # The rest of the export (content items) is small: the simple path's function.
        content_results = classify_export(export, self.work.classifier).content_results
        builder.add_content(export.content, content_results)
        if csv is not None:
            if flagged is None:
                flagged = self._flagged(export.account.member_name, csv)
            yield from flagged.content(export.content, content_results)
        if progress is not None:
            total = done + len(export.content)
            progress(total, total)
        self._export = export

    def _flagged(self, member: str, csv: CsvOptions) -> FlaggedRows:
        from auditor.report.csvout import FlaggedRows

        return FlaggedRows(
            member,
            self.settings,
            severity=self.severity,
            redact=csv.redact,
            no_content=csv.no_content,
        )

    def result(self, *, passes: int) -> StreamedScan:
        if self._export is None:
            raise AuditError("internal error: the streamed pass did not finish")
        summary = self.builder.finish(self._export, messages=self.stream.message_count)
        return StreamedScan(
            self._export,
            self.stream.message_count,
            summary,
            frozenset(self.builder.private_topics),
            passes=passes,
        )
