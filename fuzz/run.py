"""Run every atheris harness of fuzz/ for a bounded number of inputs.

``python fuzz/run.py`` runs each target for ``--runs`` inputs (2,000 by
default, which CI can afford) in its own subprocess, starting from its seeds in
``fuzz/seeds/<target>/``; ``--target json`` picks one. The inputs libFuzzer
keeps and the crashing inputs it writes go to a scratch folder (``--work``, by
default a new temporary folder, removed when every target passed, kept when
one crashed), never into the repository. It prints, per
target, the inputs run, the speed and the verdict, and exits with 1 if any
harness crashed (an undocumented exception, a slow input, too much memory).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


HERE = Path(__file__).parent
#: Each target's harness and its largest input, in bytes.
TARGETS: dict[str, tuple[str, int]] = {
    "json": ("fuzz_json.py", 16_384),
    "jsonl": ("fuzz_jsonl.py", 16_384),
    "csv": ("fuzz_csv.py", 16_384),
    "datapackage": ("fuzz_datapackage.py", 16_384),
    "rates": ("fuzz_rates.py", 4_096),
    "money": ("fuzz_money.py", 256),
}
#: Wall-clock seconds after which libFuzzer calls an input a hang. The harness
#: itself fails an input above one second of processor time; this is the
#: backstop for one that never returns, generous because the machine is shared.
TIMEOUT_SECONDS = 10
#: The resident memory at which libFuzzer stops the harness.
RSS_LIMIT_MB = 512
_STAT = re.compile(r"^stat::(\w+):\s*(\d+)", re.MULTILINE)
_DONE = re.compile(r"^Done (\d+) runs in (\d+) second", re.MULTILINE)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2_000, help="inputs per target")
    parser.add_argument(
        "--target", action="append", choices=sorted(TARGETS), help="a target (repeatable)"
    )
    parser.add_argument("--work", type=Path, help="the scratch folder (default: a temporary one)")
    parser.add_argument("--log", type=Path, help="the folder of each target's log")
    parser.add_argument(
        "--max-seconds", type=int, default=0, help="stop each target after this long (0: never)"
    )
    parser.add_argument("--seed", type=int, default=0, help="libFuzzer's -seed (0: random)")
    return parser.parse_args(argv)


def _command(target: str, runs: int, work: Path, seed: int, max_seconds: int) -> list[str]:
    harness, max_len = TARGETS[target]
    corpus = work / target / "corpus"
    artifacts = work / target / "artifacts"
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    return [
        sys.executable,
        str(HERE / harness),
        # The first folder is where libFuzzer writes new inputs; the seeds are read only.
        str(corpus),
        str(HERE / "seeds" / target),
        f"-runs={runs}",
        f"-max_len={max_len}",
        f"-timeout={TIMEOUT_SECONDS}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-artifact_prefix={artifacts}/",
        f"-seed={seed}",
        f"-max_total_time={max_seconds}",
        "-print_final_stats=1",
    ]


def run_target(  # noqa: PLR0917 - the options of one run, in the order of the command line
    target: str, runs: int, work: Path, seed: int, log: Path | None, max_seconds: int
) -> bool:
    """Run one harness; print its counts; return whether it passed."""
    command = _command(target, runs, work, seed, max_seconds)
    log_file = (log or work / target) / f"{target}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    # libFuzzer's progress goes to the log as it runs, so a long run can be watched.
    with log_file.open("w", encoding="utf-8") as stream:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and harness
            command, stdout=stream, stderr=subprocess.STDOUT, check=False
        )
    elapsed = time.monotonic() - start
    output = log_file.read_text(encoding="utf-8", errors="replace")
    stats = {name: int(value) for name, value in _STAT.findall(output)}
    executed = stats.get("number_of_executed_units")
    done = _DONE.search(output)
    if executed is None and done is not None:
        executed = int(done.group(1))
    speed = stats.get("average_exec_per_sec", 0)
    passed = completed.returncode == 0
    verdict = "ok" if passed else f"CRASH (exit {completed.returncode})"
    print(
        f"{target:12} {executed or 0:>10,} inputs {speed:>6,} exec/s {elapsed:6.1f} s  {verdict}",
        flush=True,
    )
    if not passed:
        crashes = sorted((work / target / "artifacts").iterdir())
        tail = "\n".join(line for line in output.splitlines() if "Instrumenting" not in line)
        print(tail[-4_000:], file=sys.stderr)
        for crash in crashes:
            shown = crash.read_bytes()[:200]
            print(f"  crashing input: {crash}: {shown!r}", file=sys.stderr)
    return passed


def main(argv: list[str] | None = None) -> int:
    """Run the chosen targets; return 1 if any of them crashed."""
    arguments = _arguments(argv)
    targets = arguments.target or list(TARGETS)
    work = arguments.work or Path(tempfile.mkdtemp(prefix="p2c-fuzz-"))
    results = [
        run_target(
            target, arguments.runs, work, arguments.seed, arguments.log, arguments.max_seconds
        )
        for target in targets
    ]
    if all(results):
        if arguments.work is None:
            shutil.rmtree(work)
        return 0
    print(f"the crashing inputs are kept in {work}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
