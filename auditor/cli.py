"""Thin typer layer: parse options, call the pipeline, map errors to exit codes.

Heavy modules (the loader, the classifier, pandas) are imported inside the commands so that
`linkedin-audit --help` starts fast.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec

import typer

from auditor import __version__
from auditor.errors import AuditError

if TYPE_CHECKING:
    from rich.console import Console

    from auditor.pipeline import ScanResult

P = ParamSpec("P")

app = typer.Typer(
    name="linkedin-audit",
    help=(
        "Show what sensitive content sits in your LinkedIn data export, and how much of it was "
        "exposed before and after LinkedIn's 18 Sep 2024 generative-AI policy change. "
        "Runs locally; never touches the network."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK = 0
EXIT_FAIL_ON = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70

ExportArg = Annotated[
    list[Path],
    typer.Argument(
        help="The export: a LinkedIn zip or an unzipped folder. Several inputs (Basic + Complete) "
        "are merged.",
        show_default=False,
    ),
]
MaxSizeOpt = Annotated[
    int | None,
    typer.Option(
        "--max-size",
        help="Zip-bomb limit: the most uncompressed bytes read from one input (default 4 GiB).",
        show_default=False,
    ),
]
MaxRatioOpt = Annotated[
    float | None,
    typer.Option(
        "--max-ratio",
        help="Zip-bomb limit: the highest compression ratio allowed for a large entry "
        "(default 200).",
        show_default=False,
    ),
]


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    """Print one line to stderr and return the Exit to raise."""
    print(f"linkedin-audit: error: {message}", file=sys.stderr)
    return typer.Exit(code)


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise AuditError(f"{option}: expected a date like 2024-09-18, got {value!r}") from None


def _handled(command: Callable[P, None]) -> Callable[P, None]:
    """Turn the domain error and Ctrl-C into exit codes, also under typer's CliRunner."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            command(*args, **kwargs)
        except AuditError as exc:
            raise _fail(exc.message) from None
        except KeyboardInterrupt:
            print("linkedin-audit: interrupted", file=sys.stderr)
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def _version_callback(value: bool) -> None:
    if value:
        print(f"linkedin-audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """linkedin-audit: audit a LinkedIn data export for sensitive content, locally."""


@app.command()
@_handled
def scan(
    export: ExportArg,
    out: Annotated[
        str | None,
        typer.Option(
            "--out", "-o", help="Write the flagged messages as CSV here ('-' for stdout)."
        ),
    ] = None,
    json_out: Annotated[
        str | None,
        typer.Option("--json", help="Write the machine-readable report here ('-' for stdout)."),
    ] = None,
    html_out: Annotated[
        str | None,
        typer.Option("--html", help="Write a self-contained HTML report here."),
    ] = None,
    policy_date: Annotated[
        str,
        typer.Option(help="The policy date that splits before from after (YYYY-MM-DD)."),
    ] = "2024-09-18",
    region: Annotated[
        str,
        typer.Option(
            help="Your LinkedIn region: a country code, or EU/EEA/UK/CH/CA/HK. Picks the start "
            "dates of LinkedIn's stated policy."
        ),
    ] = "US",
    opted_out: Annotated[
        str | None,
        typer.Option(
            help="The day you switched off 'Data for Generative AI Improvement' (YYYY-MM-DD); "
            "exposure ends there. The export does not record it."
        ),
    ] = None,
    topics: Annotated[
        str | None,
        typer.Option(help="Only these topics, comma-separated (e.g. financing,job_search)."),
    ] = None,
    min_score: Annotated[
        float | None,
        typer.Option(help="Flag a topic when its combined score reaches this (0-1)."),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(help="A TOML rules file that adds, disables or ignores rules."),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact", help="Mask matched words and identifiers in every output, terminal too."
        ),
    ] = False,
    no_content: Annotated[
        bool,
        typer.Option("--no-content", help="Leave message text out of the CSV and the HTML report."),
    ] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="Start the CSV with a BOM so Excel reads UTF-8.")
    ] = False,
    fail_on: Annotated[
        str | None,
        typer.Option(
            help="Exit 1 when a flagged topic of this severity or higher is found "
            "(low, medium, high)."
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 2 when any row had to be rejected.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print no summary, only warnings and errors.")
    ] = False,
    jobs: Annotated[
        str,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            help="Classify with N worker processes (default 1). The reports are the same "
            "whatever N; N above the number of CPU cores does not help.",
        ),
    ] = "1",
    max_size: MaxSizeOpt = None,
    max_ratio: MaxRatioOpt = None,
) -> None:
    """Scan an export and print the risk summary; optionally write CSV, JSON and HTML reports.

    Messages are processed in chunks, so memory stays flat however big the export; with --html
    the whole export is held in memory (the HTML report needs it).

    Example: linkedin-audit scan Complete_LinkedInDataExport_08-26-2025.zip --out flagged.csv
    """
    from auditor.classify import SEVERITY, SEVERITY_RANK, TOPICS, Classifier
    from auditor.exposure import PolicySettings, parse_region
    from auditor.pipeline import CsvOptions, check_jobs, scan_streaming
    from auditor.pipeline import scan as run_scan

    settings = PolicySettings(
        policy_date=_parse_date(policy_date, "--policy-date") or date(2024, 9, 18),
        region=parse_region(region),
        opted_out=_parse_date(opted_out, "--opted-out"),
    )
    if fail_on is not None and fail_on not in SEVERITY_RANK:
        raise AuditError(f"--fail-on: expected one of low, medium, high, got {fail_on!r}")
    if min_score is not None and not 0.0 < min_score <= 1.0:
        raise AuditError(f"--min-score: expected a number in (0, 1], got {min_score}")
    n_jobs = check_jobs(_parse_jobs(jobs))
    topic_list = _parse_topics(topics)
    classifier = Classifier.load(user_rules=rules, topics=topic_list, min_score=min_score)
    inputs = [str(p) for p in export]
    for target in (out, json_out, html_out):
        _check_target(target, inputs)
    if html_out is not None:
        from auditor.report.html import require_matplotlib

        require_matplotlib()  # fail before a long scan, not after it

    all_topics = tuple(t for t in (*TOPICS, *classifier.topics) if t in classifier.topics)
    severity = {**{t: "medium" for t in classifier.topics}, **SEVERITY}
    severity.update(classifier.severity)
    if html_out is None:  # the streaming path: flat memory
        streamed = _run_with_progress(
            lambda progress: scan_streaming(
                export,
                classifier,
                settings,
                topics=all_topics,
                severity=severity,
                csv=None
                if out is None
                else CsvOptions(out, redact=redact, no_content=no_content, excel=excel),
                inputs=inputs,
                jobs=n_jobs,
                max_total_bytes=max_size,
                max_ratio=max_ratio,
                progress=progress,
            )
        )
        _finish_streamed(
            streamed, json_out=json_out, out=out, redact=redact, quiet=quiet, inputs=inputs
        )
        _check_rejected(streamed.export, strict)
        if fail_on is not None:
            threshold = SEVERITY_RANK[fail_on]
            if any(
                SEVERITY_RANK[severity.get(t, "medium")] >= threshold
                for t in streamed.private_topics
            ):
                raise typer.Exit(EXIT_FAIL_ON)
        return

    result = _run_with_progress(
        lambda progress: run_scan(
            export,
            classifier,
            max_total_bytes=max_size,
            max_ratio=max_ratio,
            progress=progress,
            jobs=n_jobs,
        )
    )
    _write_outputs(
        result,
        settings,
        topics=all_topics,
        severity=severity,
        out=out,
        json_out=json_out,
        html_out=html_out,
        redact=redact,
        no_content=no_content,
        excel=excel,
        quiet=quiet,
        inputs=inputs,
    )
    _check_rejected(result.export, strict)
    if fail_on is not None:
        threshold = SEVERITY_RANK[fail_on]
        for res, msg in zip(result.message_results, result.export.messages, strict=True):
            if msg.kind in ("sponsored", "linkedin"):
                continue
            if any(SEVERITY_RANK[severity.get(t, "medium")] >= threshold for t in res.flagged):
                raise typer.Exit(EXIT_FAIL_ON)
        for res in result.content_results:
            if any(SEVERITY_RANK[severity.get(t, "medium")] >= threshold for t in res.flagged):
                raise typer.Exit(EXIT_FAIL_ON)


def _check_rejected(loaded: Any, strict: bool) -> None:
    """Warn about rejected rows; with --strict, exit 2."""
    rejected = loaded.rows_rejected
    if rejected:
        issues = [i for i in loaded.issues if i.rejected]
        where = ", ".join(sorted({i.file for i in issues}))[:200]
        print(
            f"linkedin-audit: warning: {rejected} row(s) could not be loaded ({where}); "
            "run 'linkedin-audit inventory' for the reasons.",
            file=sys.stderr,
        )
        if strict:
            raise typer.Exit(EXIT_USAGE)


def _parse_jobs(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise AuditError(f"--jobs: expected a whole number >= 1, got {value!r}") from None


def _finish_streamed(
    streamed: Any,
    *,
    json_out: str | None,
    out: str | None,
    redact: bool,
    quiet: bool,
    inputs: list[str],
) -> None:
    """The JSON report and the terminal summary of a streamed scan (its CSV is written)."""
    from rich.console import Console

    from auditor.report.jsonout import report_dict, write_json
    from auditor.report.terminal import render_summary

    if json_out is not None:
        write_json(json_out, report_dict(streamed.summary, tool_version=__version__), inputs=inputs)
    if quiet:
        return
    console = Console(stderr="-" in (out, json_out), highlight=False)
    render_summary(streamed.summary, console, redact=redact)


def _parse_topics(topics: str | None) -> list[str] | None:
    if topics is None:
        return None
    chosen = [t.strip() for t in topics.split(",") if t.strip()]
    if not chosen:
        raise AuditError("--topics: name at least one topic")
    return chosen


def _check_target(target: str | None, inputs: list[str]) -> None:
    """Refuse early an output that would overwrite an input or land in a missing folder."""
    if target is None or target == "-":
        return
    path = Path(target)
    resolved = path.resolve()
    for given in inputs:
        same = Path(given).resolve() == resolved or (
            path.exists() and os.path.exists(given) and os.path.samefile(path, given)
        )  # a hard link to an input is the input too
        if same:
            raise AuditError(f"{target}: refusing to write an output over an input")
    parent = resolved.parent
    if not parent.is_dir():
        raise AuditError(f"{target}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise AuditError(f"{target}: the folder {parent} is not writable")


def _run_with_progress(job: Any) -> Any:
    """Run the scan, with a progress bar on stderr only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return job(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    # Refreshed by the updates (one per chunk), not by rich's refresh thread: `--jobs` forks
    # worker processes, and forking while another thread may hold a lock is best avoided.
    with Progress(
        TextColumn("classifying"),
        BarColumn(),
        MofNCompleteColumn(),
        console=_stderr(),
        transient=True,
        auto_refresh=False,
    ) as bar:
        task = bar.add_task("classify", total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)  # 0: not known yet
            bar.refresh()

        result = job(update)
    return result


def _write_outputs(
    result: ScanResult,
    settings: Any,
    *,
    topics: tuple[str, ...],
    severity: dict[str, str],
    out: str | None,
    json_out: str | None,
    html_out: str | None,
    redact: bool,
    no_content: bool,
    excel: bool,
    quiet: bool,
    inputs: list[str],
) -> None:
    from rich.console import Console

    from auditor.report.csvout import flagged_rows, write_flagged_csv
    from auditor.report.jsonout import report_dict, write_json
    from auditor.report.summary import build_summary
    from auditor.report.terminal import render_summary

    summary = build_summary(
        result.export,
        result.message_results,
        result.content_results,
        settings,
        topics=topics,
        severity=severity,
    )
    if out is not None:
        rows = flagged_rows(
            result.export,
            result.message_results,
            result.content_results,
            settings,
            severity=severity,
            redact=redact,
            no_content=no_content,
        )
        write_flagged_csv(out, rows, excel=excel, inputs=inputs)
    if json_out is not None:
        write_json(json_out, report_dict(summary, tool_version=__version__), inputs=inputs)
    if html_out is not None:
        from auditor.report.html import write_html

        write_html(
            html_out,
            result,
            summary,
            settings,
            severity=severity,
            redact=redact,
            no_content=no_content,
            inputs=inputs,
        )
    if quiet:
        return
    to_stderr = "-" in (out, json_out, html_out)
    console = Console(stderr=to_stderr, highlight=False)
    render_summary(summary, console, redact=redact)


@app.command()
@_handled
def inventory(
    export: ExportArg,
    as_json: Annotated[bool, typer.Option("--json", help="Print the inventory as JSON.")] = False,
    max_size: MaxSizeOpt = None,
    max_ratio: MaxRatioOpt = None,
) -> None:
    """List every file of the export: what it is, rows read / loaded / rejected, date range.

    Example: linkedin-audit inventory Complete_LinkedInDataExport_08-26-2025.zip
    """
    from auditor import loader

    kwargs: dict[str, Any] = {}
    if max_size is not None:
        kwargs["max_total_bytes"] = max_size
    if max_ratio is not None:
        kwargs["max_ratio"] = max_ratio
    loaded = loader.load_export(export, **kwargs)
    if as_json:
        print(json.dumps(_inventory_dict(loaded), indent=2, sort_keys=True))
        return
    from rich.console import Console

    from auditor.report.inventory import render_inventory

    render_inventory(loaded, Console(highlight=False))


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value is not None else None


def _inventory_dict(loaded: Any) -> dict[str, Any]:
    """The inventory as plain data: every file, its accounting and every rejection reason."""
    return {
        "inputs": list(loaded.inputs),
        "files": [
            {
                "path": f.path,
                "source": f.source,
                "kind": f.kind,
                "understood": f.understood,
                "rows_read": f.rows_read,
                "rows_loaded": f.rows_loaded,
                "rows_rejected": f.rows_rejected,
                "date_min": _iso(f.date_min),
                "date_max": _iso(f.date_max),
                "note": f.note,
            }
            for f in loaded.files
        ],
        "issues": [
            {"file": i.file, "row": i.row, "reason": i.reason, "rejected": i.rejected}
            for i in loaded.issues
        ],
        "totals": {
            "files": len(loaded.files),
            "messages": len(loaded.messages),
            "content_items": len(loaded.content),
            "rows_read": sum(f.rows_read for f in loaded.files),
            "rows_loaded": sum(f.rows_loaded for f in loaded.files),
            "rows_rejected": sum(f.rows_rejected for f in loaded.files),
            "duplicates_merged": loaded.duplicates_merged,
        },
    }


@app.command()
@_handled
def explain(
    text: Annotated[
        str | None, typer.Argument(help="The text to classify.", show_default=False)
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the text from this file.")
    ] = None,
    rules: Annotated[Path | None, typer.Option(help="A TOML rules file to add.")] = None,
    min_score: Annotated[float | None, typer.Option(help="Flag threshold (0-1).")] = None,
) -> None:
    """Classify one text and show each finding: the words, the rule, the score and why.

    Example: linkedin-audit explain "We just signed the term sheet for our Series A"
    """
    from rich.console import Console

    from auditor.classify import Classifier
    from auditor.report.explain import render_explanation

    if (text is None) == (file is None):
        raise AuditError("explain: give either a TEXT argument or --file, not both or neither")
    if file is not None:
        try:
            body = file.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise AuditError(f"{file}: cannot read ({exc.strerror})") from None
    else:
        body = text or ""
    classifier = Classifier.load(user_rules=rules, min_score=min_score)
    render_explanation(body, classifier.classify(body), classifier, Console(highlight=False))


@app.command(name="rules")
@_handled
def list_rules(
    topic: Annotated[str | None, typer.Option(help="Only the rules of this topic.")] = None,
    rules: Annotated[Path | None, typer.Option(help="A TOML rules file to add.")] = None,
) -> None:
    """List the topics, their severities and their rules.

    Example: linkedin-audit rules --topic financing
    """
    from rich.console import Console

    from auditor.classify import Classifier
    from auditor.report.explain import render_rules

    classifier = Classifier.load(user_rules=rules)
    if topic is not None and topic not in classifier.topics:
        raise AuditError(f"--topic: unknown topic {topic!r}; see 'linkedin-audit rules'")
    render_rules(classifier, Console(highlight=False), topic=topic)


def main() -> None:
    """Entry point: run the app; never show a traceback that could carry data."""
    try:
        app()  # standalone: usage errors print one line and exit 2 by themselves
    except AuditError as exc:  # raised outside a command (e.g. while parsing)
        raise SystemExit(_fail(exc.message).exit_code) from None
    except KeyboardInterrupt:
        print("linkedin-audit: interrupted", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except Exception as exc:  # the last line of defence
        if os.environ.get("LINKEDIN_AUDIT_DEBUG"):
            raise
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        where = f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else "?"
        print(
            f"linkedin-audit: internal error {type(exc).__name__} at {where}; "
            "set LINKEDIN_AUDIT_DEBUG=1 for the traceback and please report it",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_INTERNAL) from None
