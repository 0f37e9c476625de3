"""Run every benchmark in benchmarks/ and write their ratios, machine and versions to one page.

Each ``bench_*.py`` runs in its own fresh interpreter, one after the other (never
two at once: they would time each other), with ``--report`` so that it hands back
its ratios as JSON (see ``_results.py``). The page, ``docs/performance.md`` by
default, holds every ratio of the one run, the targets and whether each is met,
the machine (CPU, cores, RAM, OS, load), the versions of Python and of the
libraries compared, the date and each benchmark's parameters, then what each
benchmark does (its docstring). The page has no Python code blocks, since Sybil
would run them.

Run: ``python benchmarks/report.py [--quick] [--out PATH] [--only NAME ...]``
(``nox -s bench -- --quick`` passes the options through). ``--quick`` runs every
benchmark at a small size: a smoke test of the machinery, whose ratios mean
nothing. The exit status is 1 when a benchmark failed (a memory bound exceeded
is a failure); a missed speed target is reported, not failed.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from _results import Result, read


HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "docs" / "performance.md"
LIBRARIES = (
    "p2c-pledges", "pyarrow", "numpy", "pydantic", "msgspec", "attrs", "cattrs", "python-calamine",
    "openpyxl",
)  # fmt: skip
COLUMNS = (
    "script",
    "benchmark",
    "compared with",
    "ratio",
    "ratio is",
    "target",
    "met?",
    "measured",
    "parameters",
)


def scripts(only: list[str] | None = None) -> list[Path]:
    """The benchmark scripts, in name order (``only`` keeps those whose name contains one of its words)."""
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        found = [path for path in found if any(word in path.stem for word in only)]
    return found


def run(script: Path, quick: bool) -> tuple[list[Result], int, float]:
    """Run one benchmark in a fresh interpreter; return its results, exit status and seconds."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "results.json"
        command = [sys.executable, str(script), "--report", str(report)]
        if quick:
            command.append("--quick")
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        # Its output goes straight to ours: a long run shows its progress.
        status = subprocess.run(command, check=False, cwd=HERE).returncode  # noqa: S603 - our own scripts
        elapsed = time.perf_counter() - started
        results = read(report) if report.exists() else []
    return results, status, elapsed


def machine() -> list[tuple[str, str]]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    try:
        system = platform.freedesktop_os_release()["PRETTY_NAME"]
    except (OSError, KeyError):
        system = platform.system()
    return [
        ("CPU", f"{cpu}, {platform.machine()}"),
        ("cores", str(os.cpu_count())),
        ("RAM", ram),
        ("OS", f"{system}, kernel {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
    ]


def versions() -> list[tuple[str, str]]:
    """The versions of this library and of those it is compared with or built on."""
    found = []
    for name in LIBRARIES:
        try:
            found.append((name, version(name)))
        except PackageNotFoundError:
            found.append((name, "not installed"))
    return found


def load() -> str:
    """The load averages over 1, 5 and 15 minutes, or "unknown"."""
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def cell(text: object) -> str:
    """A Markdown table cell: pipes escaped, one line."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def row(values: list[str]) -> str:
    """A Markdown table row."""
    return "| " + " | ".join(cell(value) for value in values) + " |"


def table(header: tuple[str, ...], rows: list[list[str]]) -> list[str]:
    """A Markdown table."""
    return [row(list(header)), "|" + "---|" * len(header), *(row(values) for values in rows)]


def description(script: Path) -> list[str]:
    """A script's docstring, without its ``Run:`` paragraph, as Markdown paragraphs."""
    docstring = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8"))) or ""
    paragraphs = [part for part in docstring.split("\n\n") if not part.startswith("Run:")]
    return "\n\n".join(paragraphs).splitlines()


def duration(seconds: float) -> str:
    """A run's length in words: "45 seconds", "23 minutes"."""
    if seconds < 90:
        return f"{seconds:.0f} seconds"
    return f"{seconds / 60:.0f} minutes"


def page(
    outcome: list[tuple[Path, list[Result], int, float]],
    quick: bool,
    started: dt.datetime,
    loads: tuple[str, str],
) -> str:
    """The Markdown page of one run."""
    rows = []
    for script, results, status, _ in outcome:
        for result in results:
            met = "" if result.met is None else ("yes" if result.met else "**no**")
            rows.append(
                [
                    f"`{script.name}`",
                    result.benchmark,
                    result.competitor,
                    f"{result.ratio:.2f}",
                    result.ratio_is,
                    result.target_text,
                    met,
                    result.measured,
                    result.parameters,
                ]
            )
        if status != 0:
            rows.append(
                [f"`{script.name}`", "failed", "", "", "", "", "**no**", f"exit {status}", ""]
            )
    missed = [
        f"{result.benchmark} against {result.competitor}: {result.ratio:.2f}, "
        f"target {result.target_text}"
        for _, results, _, _ in outcome
        for result in results
        if result.met is False
    ]
    command = "python benchmarks/report.py" + (" --quick" if quick else "")
    lines = [
        "(performance)=",
        "# Performance",
        "",
        (
            f"Every ratio on this page comes from one run of `{command}` (which `nox -s bench` "
            f"runs), started {started:%Y-%m-%d %H:%M} UTC and lasting "
            f"{duration(sum(seconds for *_, seconds in outcome))}. Each benchmark ran "
            "in its own fresh interpreter, one after the other; within a benchmark the "
            "competitors ran side by side, interleaved round by round. The page is written "
            "by the script: run it again rather than editing it."
        ),
        "",
    ]
    if quick:
        lines += [
            "```{warning}",
            (
                "This is a `--quick` run: every benchmark ran at a small size, to test the "
                "machinery. Its ratios mean nothing."
            ),
            "```",
            "",
        ]
    lines += [
        (
            "The machine is shared: other work was running beside the benchmarks (load "
            f"averages over 1, 5 and 15 minutes: {loads[0]} at the start, {loads[1]} at the "
            "end), so the times are noisy; the ratios hold better, since both sides of one "
            "slowed alike."
        ),
        "",
        "## Ratios",
        "",
        (
            "A ratio reads as its *ratio is* column says; the target is a bound on it. Times "
            "are in *measured*, sizes and rounds in *parameters*."
        ),
        "",
        *table(COLUMNS, rows),
        "",
    ]
    if missed:
        lines += ["Targets missed in this run:", "", *(f"- {text}" for text in missed), ""]
    else:
        lines += ["Every target was met in this run.", ""]
    lines += [
        "## Machine and versions",
        "",
        *table(("", ""), [[name, value] for name, value in machine() + versions()]),
        "",
        "## What each benchmark does",
        "",
    ]
    for script, *_ in outcome:
        lines += [f"### `{script.name}`", "", *description(script), ""]
    # The dashboard is measured in a browser by its test, not here: its figures live
    # in their own file, kept when this page is written again.
    lines += ["## The dashboard", "", "```{include} dashboard-measurements.inc", "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the page to write")
    parser.add_argument("--only", nargs="+", help="run only the benchmarks named so")
    options = parser.parse_args()
    started = dt.datetime.now(dt.UTC)
    first_load = load()
    outcome = [(script, *run(script, options.quick)) for script in scripts(options.only)]
    text = page(outcome, options.quick, started, (first_load, load()))
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")
    print(f"== wrote {options.out}")
    failed = [script.name for script, _, status, _ in outcome if status != 0]
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
