"""End-to-end scan benchmark against the targets of issue 5, with ripgrep as the reference.

    python benchmarks/bench_scan.py [--sizes 10k,100k,1m] [--repeat N] [--rg-sizes 100k,1m]
                                    [--flat-sizes 2m] [--profile 100k] [--json-out results.json]

For each generated export (see make_exports.py; missing ones are generated first) it runs
`linkedin-audit scan EXPORT --out flagged.csv --json report.json -q` as a subprocess, with
`--jobs 1` and `--jobs 2`, and reports wall seconds (best of --repeat), messages/s, MB of
messages.csv per second (uncompressed size of messages.csv in the zip, 1 MB = 10^6 bytes) and
peak RSS (`/usr/bin/time -f %M`). `--flat-sizes` exports are generated in a temp folder, scanned
once for their peak RSS (memory flatness) and deleted. In a separate
child process per export it times loading only (`auditor.loader.load_export`) and classification
only (`Classifier.load().classify_many` over every message's content). It also times
`linkedin-audit --help` (best of 5) and the whole scan of a 5,000-message export (best of 5),
and runs ripgrep (`rg -c -i -w -f patterns.txt messages.csv`, best of 3) over the same
messages.csv with the built-in lexicon's plain phrases as patterns. `--profile SIZE` adds a
cProfile run of that scan, grouped by phase. Exports are deterministic; timings are not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_exports import DEFAULT_OUT, ensure_export, parse_size, parse_sizes, size_label

REPO = Path(__file__).resolve().parent.parent
TIME_BIN = "/usr/bin/time"
TYPICAL = 5_000

# Issue 5's targets.
T_SCAN_1M_S = 20.0
T_RSS_1M_MB = 1500.0
T_CLASSIFY_MSG_S = 200_000.0
T_TYPICAL_S = 1.5
T_HELP_S = 0.4
T_RG_RATIO = 0.10
T_RG_GOAL = 0.25


@dataclass
class ScanRun:
    """One export: the CLI scan (subprocess) and the in-process phase timings."""

    size: str
    messages: int
    csv_mb: float
    zip_mb: float
    wall_s: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    jobs2_wall_s: float | None = None
    jobs2_rss_mb: float | None = None
    cpu_s: float | None = None  # user + system of the best --jobs 1 run
    jobs2_cpu_s: float | None = None
    load_s: float | None = None
    rules_s: float | None = None
    classify_s: float | None = None
    classify_distinct_s: float | None = None  # each distinct content once, no cache
    distinct_contents: int | None = None
    inproc_rss_mb: float | None = None
    flagged: int | None = None
    phases: dict[str, float] = field(default_factory=dict)
    rg_s: list[float] = field(default_factory=list)  # the "plain" pattern set
    rg_matching_lines: int | None = None
    rg_alt_s: list[float] = field(default_factory=list)  # the "alternations" pattern set
    rg_alt_matching_lines: int | None = None

    @property
    def best_wall(self) -> float:
        return min(self.wall_s)

    @property
    def msg_per_s(self) -> float:
        return self.messages / self.best_wall

    @property
    def mb_per_s(self) -> float:
        return self.csv_mb / self.best_wall

    @property
    def classify_msg_s(self) -> float | None:
        return self.messages / self.classify_s if self.classify_s else None

    @property
    def distinct_msg_s(self) -> float | None:
        if not self.classify_distinct_s or not self.distinct_contents:
            return None
        return self.distinct_contents / self.classify_distinct_s

    @property
    def rg_mb_s(self) -> float | None:
        return self.csv_mb / min(self.rg_s) if self.rg_s else None

    @property
    def rg_alt_mb_s(self) -> float | None:
        return self.csv_mb / min(self.rg_alt_s) if self.rg_alt_s else None

    @property
    def rg_ratio(self) -> float | None:
        rg = self.rg_mb_s
        return self.mb_per_s / rg if rg else None

    @property
    def jobs2_rg_ratio(self) -> float | None:
        rg = self.rg_mb_s
        if not rg or not self.jobs2_wall_s:
            return None
        return self.csv_mb / self.jobs2_wall_s / rg


# --------------------------------------------------------------------------- helpers


def cli_path() -> str:
    """The `linkedin-audit` script of the running interpreter's environment."""
    here = Path(sys.executable).parent / "linkedin-audit"
    if here.is_file():
        return str(here)
    found = shutil.which("linkedin-audit")
    if found is None:
        sys.exit("linkedin-audit is not installed in this environment (pip install -e .)")
    return found


CPU_SECONDS: list[float] = []  # user + system seconds of each `timed` command, in order


def timed(cmd: Sequence[str], cwd: Path) -> tuple[float, float]:
    """Run `cmd`; (wall seconds, peak RSS in MB). Fails loudly on a non-zero exit. Also appends
    the command's CPU seconds (user + system, workers included) to CPU_SECONDS: unlike the wall
    time, it hardly moves when another process competes for the cores."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        fmt_ = "%M %U %S"
        full = [TIME_BIN, "-f", fmt_, "-o", tf.name, *cmd] if Path(TIME_BIN).exists() else cmd
        t0 = time.perf_counter()
        proc = subprocess.run(full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
        if proc.returncode != 0:
            err = proc.stderr.decode(errors="replace").strip()[-500:]
            sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
        if full is cmd:  # no /usr/bin/time: the largest child so far (monotonic, an upper bound)
            CPU_SECONDS.append(float("nan"))
            return wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        lines = [ln.split() for ln in tf.read().splitlines()]
        last = [ln for ln in lines if len(ln) == 3 and ln[0].isdigit()][-1]
        CPU_SECONDS.append(float(last[1]) + float(last[2]))
        return wall, int(last[0]) / 1024


def messages_csv_size(zip_path: Path) -> int:
    with zipfile.ZipFile(zip_path) as zf:
        return zf.getinfo("messages.csv").file_size


def machine_info() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def out(cmd: list[str], cwd: Path = REPO) -> str:
        try:
            r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return r.stdout.strip()

    dirty = " ".join(
        line.split(maxsplit=1)[-1]
        for line in out(["git", "status", "--porcelain", "--", "auditor"]).splitlines()
    )
    # Which code runs: the working tree, or e.g. PYTHONPATH=/tmp/at-commit (see README.md).
    probe = [sys.executable, "-c", "import auditor; print(auditor.__file__)"]
    origin = out(probe, Path(tempfile.gettempdir()))  # not the repo: "" on sys.path is the cwd
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": mem,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": out(["git", "log", "-1", "--format=%h %s"]),
        "auditor_from": str(Path(origin).parent) if origin else "?",
        "uncommitted_in_auditor": (dirty or "none")
        if origin.startswith(str(REPO))
        else "n/a (auditor not from this tree)",
        "load_average_1m": f"{os.getloadavg()[0]:.2f}",
        "ripgrep": out(["rg", "--version"]).splitlines()[0] if shutil.which("rg") else "missing",
    }


def scan_help_has_jobs(cli: str) -> bool:
    r = subprocess.run([cli, "scan", "--help"], capture_output=True, text=True)
    return "--jobs" in r.stdout


# --------------------------------------------------------------------------- ripgrep reference


_PLAIN = re.compile(r"^[\w .'\-&+$€£@/]+$")
_META = re.compile(r"([.+$])")


def rg_pattern_sets() -> tuple[dict[str, list[str]], int, int]:
    """Two ripgrep pattern files from the built-in lexicon's phrase rules.

    "plain": every phrase without special syntax (no braces, `*`, `~`, `<num>`), as literal text
    (`-`, `'` and `.` taken literally; `.` escaped). This is the issue's "plain phrases" set and
    the fastest (hardest) reference. "alternations": additionally every phrase whose only syntax
    is `{a,b}` groups, each written as one regex with `(?:a|b)` groups. Expanding the groups into
    one literal per line instead gives about 26,000 lines and makes ripgrep about 40x slower, so
    it is not used. Returns (sets, phrases used by "alternations", phrases left out).
    """
    from auditor.classify import Classifier
    from auditor.classify.rules import expand_braces

    plain: dict[str, None] = {}
    alts: dict[str, None] = {}
    used = skipped = 0
    phrases = {p for r in Classifier.load().rules if r.kind == "phrase" for p in r.phrases}
    for phrase in sorted(phrases):
        text = " ".join(phrase.lower().split())
        if any(tok in text for tok in ("*", "~", "<num>", "{@")) or not all(
            _PLAIN.match(v) for v in expand_braces(text)
        ):
            skipped += 1
            continue
        used += 1
        if "{" not in text:
            plain[_META.sub(r"\\\1", text)] = None
            alts[_META.sub(r"\\\1", text)] = None
            continue
        pieces = re.split(r"\{([^{}]*)\}", text)
        alts[
            "".join(
                "(?:" + "|".join(_META.sub(r"\\\1", a) for a in piece.split(",")) + ")"
                if i % 2
                else _META.sub(r"\\\1", piece)
                for i, piece in enumerate(pieces)
            )
        ] = None
    return {"plain": sorted(plain), "alternations": sorted(alts)}, used, skipped


def run_rg(csv_path: Path, patterns: Path, repeat: int = 3) -> tuple[list[float], int]:
    """Best-of-`repeat` timings of `rg -c -i -w -f patterns FILE`; also its count."""
    cmd = ["rg", "-c", "-i", "-w", "-f", str(patterns), str(csv_path)]
    walls: list[float] = []
    count = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        walls.append(time.perf_counter() - t0)
        if r.returncode not in (0, 1):
            sys.exit(f"ripgrep failed ({r.returncode}): {r.stderr.strip()[:300]}")
        count = int(r.stdout.strip() or 0)
    return walls, count


def extract_messages(zip_path: Path, dest: Path) -> None:
    with zipfile.ZipFile(zip_path) as zf, zf.open("messages.csv") as src, dest.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


# --------------------------------------------------------------------------- in-process child


def inproc(path: str) -> None:
    """Child mode: loading-only and classification-only times for one export, as JSON."""
    t0 = time.perf_counter()
    from auditor.loader import load_export

    export = load_export([path])
    t1 = time.perf_counter()
    from auditor.classify import Classifier

    clf = Classifier.load()
    t2 = time.perf_counter()
    texts = [m.content for m in export.messages]
    t3 = time.perf_counter()
    results = clf.classify_many(texts)
    t4 = time.perf_counter()
    distinct = list(dict.fromkeys(texts))
    classify = clf.classify
    t5 = time.perf_counter()
    for text in distinct:  # no repeats: what an export of all-different messages costs
        classify(text)
    t6 = time.perf_counter()
    flagged = sum(1 for r in results if r.flagged)
    print(
        json.dumps(
            {
                "load_s": t1 - t0,
                "rules_s": t2 - t1,
                "classify_s": t4 - t3,
                "classify_distinct_s": t6 - t5,
                "messages": len(texts),
                "distinct_contents": len(set(texts)),
                "flagged": flagged,
                "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run_inproc(path: Path) -> dict[str, Any]:
    r = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--inproc", str(path)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        sys.exit(f"in-process measurement failed: {r.stderr.strip()[-500:]}")
    data: dict[str, Any] = json.loads(r.stdout.strip().splitlines()[-1])
    return data


# --------------------------------------------------------------------------- phases (no profiler)


# Phase -> (module, attribute) wrapped with a timer; attributes missing after a rewrite are
# skipped. The CLI imports these lazily by module attribute, so wrapping the attribute suffices.
# Times are exclusive (a phase's time excludes the hooked phases it calls) and generators are
# timed per step: the streamed scan interleaves the phases chunk by chunk.
PHASE_HOOKS: dict[str, tuple[tuple[str, str], ...]] = {
    "load": (("auditor.loader", "load_export"), ("auditor.loader.stream", "ExportStream.__iter__")),
    "rules": (("auditor.classify.engine", "Classifier.load"),),
    "classify": (("auditor.classify.engine", "Classifier.classify_many"),),
    "summary": (
        ("auditor.report.summary", "build_summary"),
        ("auditor.report.summary", "SummaryBuilder.add_messages"),
        ("auditor.report.summary", "SummaryBuilder.add_content"),
        ("auditor.report.summary", "SummaryBuilder.finish"),
    ),
    "csv": (
        ("auditor.report.csvout", "FlaggedRows.messages"),
        ("auditor.report.csvout", "FlaggedRows.content"),
        ("auditor.report.csvout", "write_rows"),
    ),
    "json": (("auditor.report.jsonout", "report_dict"), ("auditor.report.jsonout", "write_json")),
}


def phases(path: str) -> None:
    """Child mode: the real CLI scan (--jobs 1) with a timer around each phase's entry points,
    as JSON. A few thousand timed calls: no measurable overhead, unlike a profiler."""
    import functools
    import importlib
    import inspect

    spent: dict[str, float] = dict.fromkeys(PHASE_HOOKS, 0.0)
    stack: list[list[Any]] = []  # [phase, nested seconds] of the timed calls in progress

    def enter(phase: str) -> float:
        stack.append([phase, 0.0])
        return time.perf_counter()

    def leave(start: float) -> None:
        elapsed = time.perf_counter() - start
        phase, nested = stack.pop()
        spent[phase] += elapsed - nested
        if stack:
            stack[-1][1] += elapsed

    def timer(phase: str, fn: Any) -> Any:
        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
                it = fn(*args, **kwargs)
                while True:
                    start = enter(phase)
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                    finally:
                        leave(start)
                    yield item

            return gen_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = enter(phase)
            try:
                return fn(*args, **kwargs)
            finally:
                leave(start)

        return wrapper

    t0 = time.perf_counter()
    for phase, hooks in PHASE_HOOKS.items():
        for module_name, attr in hooks:
            try:
                owner: Any = importlib.import_module(module_name)
            except ImportError:
                continue
            *parents, name = attr.split(".")
            for parent in parents:
                owner = getattr(owner, parent, None)
            fn = getattr(owner, name, None) if owner is not None else None
            if fn is None:
                continue
            if isinstance(owner, type) and isinstance(owner.__dict__.get(name), classmethod):
                setattr(owner, name, classmethod(timer(phase, fn.__func__)))
            else:
                setattr(owner, name, timer(phase, fn))
    hooks_s = time.perf_counter() - t0  # imports of the hooked modules (start-up, in effect)
    from auditor.cli import main as cli_main

    sys.argv = ["linkedin-audit", "scan", path, "--out", "flagged.csv", "--json", "report.json"]
    sys.argv.append("-q")
    t1 = time.perf_counter()
    code: object = 0
    try:
        cli_main()
    except SystemExit as exc:
        code = exc.code
    total = time.perf_counter() - t1 + hooks_s
    spent["other"] = total - sum(spent.values())
    spent["total"] = total
    if code not in (0, None):
        sys.exit(f"scan failed with exit code {code}")
    print(json.dumps(spent))


def run_phases(path: Path, cwd: Path) -> dict[str, float]:
    r = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--phases", str(path)],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        sys.exit(f"phase measurement failed: {r.stderr.strip()[-500:]}")
    data: dict[str, float] = json.loads(r.stdout.strip().splitlines()[-1])
    return data


# --------------------------------------------------------------------------- profile


# Phase -> (module suffix, function name) whose cumulative time is the phase's.
# The streamed scan interleaves the phases (the CSV writer pulls rows, which pulls chunks), so
# these are the leaf entry points, not one call per phase; their cumulative times do not overlap.
PHASES: dict[str, tuple[tuple[str, str], ...]] = {
    "loading": (("loader/__init__.py", "load_export"), ("loader/stream.py", "__iter__")),
    "rules": (("classify/engine.py", "load"),),
    "classification": (("classify/engine.py", "classify_many"),),
    "summary": (
        ("report/summary.py", "build_summary"),
        ("report/summary.py", "add_messages"),
        ("report/summary.py", "add_content"),
        ("report/summary.py", "finish"),
    ),
    "CSV rows": (("report/csvout.py", "messages"), ("report/csvout.py", "content")),
    "JSON": (("report/jsonout.py", "report_dict"), ("report/jsonout.py", "write_json")),
}


def profile_scan(export: Path, cwd: Path, top: int) -> dict[str, Any]:
    """cProfile the CLI scan of `export`; cumulative time per phase and the top entries."""
    import pstats

    prof = cwd / "scan.prof"
    cmd = [sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "auditor", "scan"]
    cmd += [str(export), "--out", "flagged.csv", "--json", "report.json", "-q"]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    st = pstats.Stats(str(prof))
    raw: dict[Any, Any] = st.stats  # type: ignore[attr-defined]
    total = max(ct for (_cc, _nc, _tt, ct, _callers) in raw.values())
    phases: dict[str, float] = {}
    for phase, keys in PHASES.items():
        phases[phase] = sum(
            v[3]
            for (fn, _line, name), v in raw.items()
            if any(fn.endswith(suffix) and name == want for suffix, want in keys)
        )

    def rows(key: int, only_auditor: bool) -> list[dict[str, Any]]:
        entries = sorted(raw.items(), key=lambda kv: kv[1][key], reverse=True)
        out = []
        for (fn, line, name), (_cc, nc, tt, ct, _callers) in entries:
            if only_auditor and ("/auditor/" not in fn or fn.endswith(("cli.py", "__main__.py"))):
                continue  # the CLI's wrappers only repeat the total
            short = fn.split("/auditor/", 1)[-1] if "/auditor/" in fn else Path(fn).name
            out.append(
                {"func": f"{short}:{line}({name})", "calls": nc, "tottime": tt, "cumtime": ct}
            )
            if len(out) == top:
                break
        return out

    return {
        "wall_s": wall,
        "profiled_total_s": total,
        "phases": phases,
        "top_cumulative": rows(3, True),
        "top_self": rows(2, False),
    }


# --------------------------------------------------------------------------- report


def fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("MET" if ok else "NOT MET")


def print_jobs_table(runs: list[ScanRun]) -> None:
    """The CLI scan with --jobs 1 and --jobs 2, side by side."""
    head = (
        f"{'export':>7} {'jobs':>4} {'wall s':>7} {'msg/s':>9} {'MB/s':>6} {'RSS MB':>7} "
        f"{'ours/rg':>8} {'CPU s':>6}"
    )
    print(
        "\nthe scan with --jobs 1 and --jobs 2 (RSS: the largest process; CPU s: user + system "
        "of all processes):"
    )
    print(head)
    print("-" * len(head))
    for r in runs:
        print(
            f"{r.size:>7} {1:>4} {r.best_wall:>7.2f} {r.msg_per_s:>9,.0f} {r.mb_per_s:>6.2f} "
            f"{r.peak_rss_mb:>7.0f} {fmt(r.rg_ratio, '.3f'):>8} {fmt(r.cpu_s, '.1f'):>6}"
        )
        if r.jobs2_wall_s:
            print(
                f"{r.size:>7} {2:>4} {r.jobs2_wall_s:>7.2f} "
                f"{r.messages / r.jobs2_wall_s:>9,.0f} {r.csv_mb / r.jobs2_wall_s:>6.2f} "
                f"{fmt(r.jobs2_rss_mb, '.0f'):>7} {fmt(r.jobs2_rg_ratio, '.3f'):>8} "
                f"{fmt(r.jobs2_cpu_s, '.1f'):>6}"
            )


def print_table(runs: list[ScanRun]) -> None:
    head = (
        f"{'export':>7} {'messages':>10} {'csv MB':>7} {'wall s':>7} {'msg/s':>9} {'MB/s':>6} "
        f"{'RSS MB':>7} {'load s':>7} {'clf s':>6} {'clf msg/s':>10} "
        f"{'uniq/s':>8} {'rg MB/s':>8} {'ours/rg':>8} {'rg-alt':>7}"
    )
    print(head)
    print("-" * len(head))
    for r in runs:
        print(
            f"{r.size:>7} {r.messages:>10,} {r.csv_mb:>7.1f} {r.best_wall:>7.2f} "
            f"{r.msg_per_s:>9,.0f} {r.mb_per_s:>6.2f} {r.peak_rss_mb:>7.0f} "
            f"{fmt(r.load_s, '.2f'):>7} {fmt(r.classify_s, '.2f'):>6} "
            f"{fmt(r.classify_msg_s, ',.0f'):>10} {fmt(r.distinct_msg_s, ',.0f'):>8} "
            f"{fmt(r.rg_mb_s, '.0f'):>8} "
            f"{fmt(r.rg_ratio, '.3f'):>8} {fmt(r.rg_alt_mb_s, '.0f'):>7}"
        )


def print_phases(runs: list[ScanRun]) -> None:
    """Where the scan's wall time goes (a separate run of the same command, timed per phase)."""
    names = [*PHASE_HOOKS, "other", "total"]
    print("\nphases of the scan, seconds (separate run, a timer around each phase):")
    print(f"{'export':>7} " + " ".join(f"{n:>8}" for n in names))
    for r in runs:
        print(f"{r.size:>7} " + " ".join(f"{fmt(r.phases.get(n), '.2f'):>8}" for n in names))


def measure_flatness(args: Any, scan: Any, runs: list[ScanRun]) -> list[dict[str, Any]]:
    """Peak RSS at 100k and 1M (from `runs`) and at the --flat-sizes exports, generated for the
    occasion (about 20 s and 55 MB of zip per million messages) and deleted afterwards."""
    rows = [
        {"size": r.size, "messages": r.messages, "rss_mb": r.peak_rss_mb, "wall_s": r.best_wall}
        for r in runs
        if parse_size(r.size) >= 100_000
    ]
    for n in sorted(set(args.flat_sizes)):
        free = shutil.disk_usage(args.big_dir).free
        if free < n * 400:  # zip + headroom
            print(f"skipping the {size_label(n)} flatness run: {free / 1e9:.1f} GB free")
            continue
        folder = Path(tempfile.mkdtemp(prefix="bench_flat_", dir=args.big_dir))
        try:
            t0 = time.perf_counter()
            path = ensure_export(folder, n, quiet=True)
            made = time.perf_counter() - t0
            wall, rss = scan(path)
            rows.append({"size": size_label(n), "messages": n, "rss_mb": rss, "wall_s": wall})
            print(
                f"{size_label(n)}: generated in {made:.0f} s; scan {wall:.2f} s, "
                f"peak RSS {rss:.0f} MB"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("10k,100k,1m"))
    parser.add_argument("--repeat", type=int, default=1, help="scan runs per export (best kept)")
    parser.add_argument("--rg-sizes", type=parse_sizes, default=parse_sizes("100k,1m"))
    parser.add_argument("--profile", type=parse_size, default=None, metavar="SIZE")
    parser.add_argument("--top", type=int, default=25, help="profile entries to print")
    parser.add_argument("--data", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--json-out", type=Path, default=None, help="also write figures here")
    parser.add_argument(
        "--flat-sizes",
        type=parse_sizes,
        default=parse_sizes("2m"),
        help="bigger exports scanned once for memory flatness, generated in --big-dir and "
        "deleted afterwards ('' to skip)",
    )
    parser.add_argument("--big-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--inproc", help=argparse.SUPPRESS)
    parser.add_argument("--phases", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inproc:
        inproc(args.inproc)
        return 0
    if args.phases:
        phases(args.phases)
        return 0

    info = machine_info()
    print("machine: " + ", ".join(f"{k}={v}" for k, v in info.items()))
    cli = cli_path()
    has_jobs = scan_help_has_jobs(cli)
    sizes = sorted(set(args.sizes))
    exports = {n: ensure_export(args.data, n, quiet=True) for n in {*sizes, TYPICAL}}
    if args.profile is not None:
        exports.setdefault(args.profile, ensure_export(args.data, args.profile, quiet=True))
    work = Path(tempfile.mkdtemp(prefix="bench_scan_"))
    result: dict[str, Any] = {"machine": info, "cli": cli}
    try:
        # Start-up and the typical export.
        helps = [timed([cli, "--help"], work)[0] for _ in range(5)]
        scan_cmd = [cli, "scan", "{}", "--out", "flagged.csv", "--json", "report.json", "-q"]

        def scan(path: Path, *extra: str) -> tuple[float, float]:
            return timed([c.replace("{}", str(path)) for c in scan_cmd] + list(extra), work)

        typical = [scan(exports[TYPICAL])[0] for _ in range(5)]
        print(f"linkedin-audit --help: best of 5 {min(helps):.3f} s")
        print(f"scan of a {TYPICAL:,}-message export: best of 5 {min(typical):.3f} s")
        result["help_s"] = min(helps)
        result["typical_s"] = min(typical)

        runs: list[ScanRun] = []
        for n in sizes:
            path = exports[n]
            r = ScanRun(size_label(n), n, messages_csv_size(path) / 1e6, path.stat().st_size / 1e6)
            for _ in range(max(1, args.repeat)):
                wall, rss = scan(path)
                if not r.wall_s or wall < min(r.wall_s):
                    r.cpu_s = CPU_SECONDS[-1]
                r.wall_s.append(wall)
                r.peak_rss_mb = max(r.peak_rss_mb, rss)
            if has_jobs:
                r.jobs2_wall_s, r.jobs2_rss_mb = scan(path, "--jobs", "2")
                r.jobs2_cpu_s = CPU_SECONDS[-1]
            ip = run_inproc(path)
            r.messages = ip["messages"]  # messages.csv rows + sibling message files
            r.load_s, r.rules_s, r.classify_s = ip["load_s"], ip["rules_s"], ip["classify_s"]
            r.distinct_contents, r.inproc_rss_mb = ip["distinct_contents"], ip["rss_mb"]
            r.flagged, r.classify_distinct_s = ip["flagged"], ip["classify_distinct_s"]
            r.phases = run_phases(path, work)
            print(
                f"{r.size}: scan {r.best_wall:.2f} s, peak RSS {r.peak_rss_mb:.0f} MB; load "
                f"{r.load_s:.2f} s, rules {r.rules_s:.2f} s, classify {r.classify_s:.2f} s "
                f"({r.distinct_contents:,} distinct contents: {r.distinct_msg_s:,.0f}/s); "
                f"{r.flagged:,} flagged"
                + (f"; --jobs 2 {r.jobs2_wall_s:.2f} s" if r.jobs2_wall_s else "")
            )
            runs.append(r)

        # ripgrep reference.
        rg_sizes = [n for n in args.rg_sizes if n in sizes]
        if rg_sizes and shutil.which("rg") is None:
            print("ripgrep missing: apt-get install -y ripgrep (reference skipped)")
            rg_sizes = []
        if rg_sizes:
            sets, used, skipped = rg_pattern_sets()
            pat_file = work / "patterns.txt"
            pat_file.write_text("\n".join(sets["plain"]) + "\n", encoding="utf-8")
            alt_file = work / "patterns-alternations.txt"
            alt_file.write_text("\n".join(sets["alternations"]) + "\n", encoding="utf-8")
            print(
                f"ripgrep patterns.txt: {len(sets['plain'])} plain phrases of the built-in "
                f"lexicon; patterns-alternations.txt: {len(sets['alternations'])} (plain + "
                f"{{a,b}} phrases as (?:a|b) regexes; {skipped} phrases with *, ~ or <num> "
                "left out)"
            )
            result["rg_patterns"] = {
                "plain": len(sets["plain"]),
                "alternations": len(sets["alternations"]),
                "phrases_used": used,
                "phrases_skipped": skipped,
            }
            for r in runs:
                if parse_size(r.size) not in rg_sizes:
                    continue
                csv_path = work / f"messages-{r.size}.csv"
                extract_messages(exports[parse_size(r.size)], csv_path)
                r.rg_s, r.rg_matching_lines = run_rg(csv_path, pat_file)
                r.rg_alt_s, r.rg_alt_matching_lines = run_rg(csv_path, alt_file)
                csv_path.unlink()
                print(
                    f"{r.size}: rg best of 3 {min(r.rg_s):.2f} s = {r.rg_mb_s:.0f} MB/s "
                    f"({r.rg_matching_lines:,} matching lines); ours/rg {r.rg_ratio:.3f}; "
                    f"with alternations {min(r.rg_alt_s):.2f} s = {r.rg_alt_mb_s:.0f} MB/s "
                    f"({r.rg_alt_matching_lines:,} lines)"
                )

        if args.profile is not None:
            prof = profile_scan(exports[args.profile], work, args.top)
            result["profile"] = {"size": size_label(args.profile), **prof}
            print(
                f"\nprofile of the {size_label(args.profile)} scan (cProfile, "
                f"{prof['wall_s']:.1f} s under the profiler):"
            )
            for phase, secs in prof["phases"].items():
                share = 100 * secs / prof["profiled_total_s"]
                print(f"  {phase:<15} {secs:7.2f} s  {share:5.1f} %")
            rest = prof["profiled_total_s"] - sum(prof["phases"].values())
            print(f"  {'other':<15} {rest:7.2f} s  {100 * rest / prof['profiled_total_s']:5.1f} %")
            for title, key in (
                ("by cumulative time", "top_cumulative"),
                ("by own time", "top_self"),
            ):
                print(f"\n  {title}:\n  {'cumtime':>8} {'tottime':>8} {'calls':>9}  function")
                for row in prof[key]:
                    print(
                        f"  {row['cumtime']:8.2f} {row['tottime']:8.2f} {row['calls']:>9}  "
                        f"{row['func']}"
                    )

        # The table and the targets.
        flat = measure_flatness(args, scan, runs)
        result["flatness"] = flat

        print()
        print_table(runs)
        print_jobs_table(runs)
        print_phases(runs)
        if flat:
            print("\nmemory flatness, peak RSS of the scan (--jobs 1):")
            for row in flat:
                print(
                    f"  {row['size']:>5} {row['messages']:>10,} messages  {row['rss_mb']:7.0f} MB"
                    f"  {row['wall_s']:7.2f} s"
                )
        by = {parse_size(r.size): r for r in runs}
        big, small = by.get(1_000_000), by.get(100_000)
        clf_rates = [r.classify_msg_s for r in runs if r.classify_msg_s and r.messages >= 100_000]
        ratios = [r.rg_ratio for r in runs if r.rg_ratio is not None]
        targets = [
            (
                f"1M scan <= {T_SCAN_1M_S:.0f} s wall",
                fmt(big.best_wall if big else None, ".1f") + " s",
                big.best_wall <= T_SCAN_1M_S if big else None,
            ),
            (
                "1M scan faster with --jobs 2",
                fmt(big.jobs2_wall_s if big else None, ".1f") + " s"
                if has_jobs
                else "no --jobs option",
                (big.jobs2_wall_s < big.best_wall) if big and big.jobs2_wall_s else None,
            ),
            (
                f"1M peak RSS <= {T_RSS_1M_MB:.0f} MB",
                fmt(big.peak_rss_mb if big else None, ".0f") + " MB",
                big.peak_rss_mb <= T_RSS_1M_MB if big else None,
            ),
            (
                "memory flat: peak RSS 1M / 100k <= 1.5",
                f"{big.peak_rss_mb / small.peak_rss_mb:.1f}x" if big and small else "-",
                big.peak_rss_mb / small.peak_rss_mb <= 1.5 if big and small else None,
            ),
            (
                "memory flat: peak RSS largest / 1M <= 1.2",
                f"{flat[-1]['rss_mb'] / big.peak_rss_mb:.2f}x ({flat[-1]['size']})"
                if big and flat
                else "-",
                flat[-1]["rss_mb"] / big.peak_rss_mb <= 1.2 if big and flat else None,
            ),
            (
                f"classification >= {T_CLASSIFY_MSG_S:,.0f} msg/s",
                fmt(min(clf_rates) if clf_rates else None, ",.0f") + " msg/s",
                min(clf_rates) >= T_CLASSIFY_MSG_S if clf_rates else None,
            ),
            (
                f"{TYPICAL:,}-message scan <= {T_TYPICAL_S} s",
                f"{min(typical):.2f} s",
                min(typical) <= T_TYPICAL_S,
            ),
            (f"--help <= {T_HELP_S} s", f"{min(helps):.3f} s", min(helps) <= T_HELP_S),
            (
                f"end-to-end MB/s >= {T_RG_RATIO} x ripgrep",
                fmt(min(ratios) if ratios else None, ".3f"),
                min(ratios) >= T_RG_RATIO if ratios else None,
            ),
            (
                f"goal: >= {T_RG_GOAL} x ripgrep",
                fmt(min(ratios) if ratios else None, ".3f"),
                min(ratios) >= T_RG_GOAL if ratios else None,
            ),
        ]
        print()
        for name, value, ok in targets:
            print(f"  {verdict(ok):<8} {name:<40} {value}")
        if big is None:
            print("  (the 1M targets need --sizes to include 1m)")
        result["runs"] = [
            {
                **asdict(r),
                "best_wall_s": r.best_wall,
                "msg_per_s": r.msg_per_s,
                "mb_per_s": r.mb_per_s,
                "classify_msg_s": r.classify_msg_s,
                "distinct_msg_s": r.distinct_msg_s,
                "rg_mb_s": r.rg_mb_s,
                "rg_ratio": r.rg_ratio,
                "rg_alt_mb_s": r.rg_alt_mb_s,
                "jobs2_rg_ratio": r.jobs2_rg_ratio,
            }
            for r in runs
        ]
        result["targets"] = [{"target": t, "value": v, "met": ok} for t, v, ok in targets]
        if args.json_out:
            args.json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
