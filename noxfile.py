"""Developer sessions: ``nox -s tests tests_thorough typing lint docs examples fuzz bench``.

The README's test command is ``python -m nox -s tests``: it runs the quick suite
(everything but the tests marked slow, spread over the cores) on every supported
Python found on this machine; ``tests_thorough`` runs everything with the thorough
Hypothesis profile, and ``.ci/run`` runs both. A supported interpreter that is
missing (or that a pyenv shim names but cannot run) is skipped with a message;
the interpreter that runs nox is always among the sessions, so the README's
command can never pass by skipping everything.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nox


nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
# nox turns missing interpreters into errors when the CI variable is set; the
# list below holds only interpreters that run, so this only matters for typos.
nox.options.error_on_missing_interpreters = False
nox.options.sessions = ["tests", "typing", "lint", "docs", "examples"]

PYPROJECT = Path(__file__).parent / "pyproject.toml"
SUPPORTED = re.findall(
    r"Programming Language :: Python :: (3\.\d+)", PYPROJECT.read_text(encoding="utf-8")
)
CURRENT = f"{sys.version_info.major}.{sys.version_info.minor}"


def _runs(version: str) -> bool:
    """Tell whether ``python<version>`` exists and starts (a pyenv shim may not)."""
    if version == CURRENT:
        return True
    executable = shutil.which(f"python{version}")
    if executable is None:
        return False
    completed = subprocess.run(  # noqa: S603 - our own interpreter lookup
        [executable, "-c", "pass"], capture_output=True, check=False
    )
    return completed.returncode == 0


FOUND = [version for version in SUPPORTED if _runs(version)]
if CURRENT not in FOUND:
    # Unsupported interpreters still run the suite, so the README's command
    # fails loudly on them instead of skipping.
    FOUND.append(CURRENT)
MISSING = sorted(set(SUPPORTED) - set(FOUND))
if MISSING:
    print(f"nox: skipping tests on missing Python {', '.join(MISSING)}")  # noqa: T201


@nox.session(python=FOUND)
def tests(session: nox.Session) -> None:
    """Run the quick suite: every test but the slow ones, over every core, few examples.

    This is the README's test command. The tests marked ``slow`` and the thorough
    Hypothesis profile run in ``tests_thorough``, which ``.ci/run`` runs after it.
    """
    session.install("--group", "tests", "-e", ".[hypothesis]")
    session.run(
        "pytest", "-n", "auto", "-m", "not slow", "--hypothesis-profile=dev", *session.posargs
    )


@nox.session(python=CURRENT)
def tests_thorough(session: nox.Session) -> None:
    """Run every test, the slow ones too, with the thorough Hypothesis profile and coverage."""
    session.install("--group", "tests", "-e", ".[hypothesis]")
    session.run(
        "pytest",
        "-n",
        "auto",
        "--cov",
        "--cov-report=term",
        "--hypothesis-profile=ci",
        *session.posargs,
        env={"COVERAGE_FILE": f".coverage.{session.python}"},
    )


@nox.session
def typing(session: nox.Session) -> None:
    """Run mypy --strict on the package and the typing pins, and pyright on the pins.

    pyright reads ``pyrightconfig.json``: the pins of ``tests/typing`` in strict
    mode, for the Python that the session's virtual environment has.
    """
    session.install("--group", "typing", "-e", ".[hypothesis]")
    session.run("mypy", "src", "tests/typing")
    session.run("pyright", "--pythonpath", str(Path(session.bin) / "python"))


@nox.session
def lint(session: nox.Session) -> None:
    """Run ruff's linter and check the formatting."""
    session.install("--group", "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation, treating every warning as an error."""
    session.install("--group", "docs", "-e", ".[hypothesis]")
    session.run(
        "sphinx-build", "-n", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"
    )


@nox.session
def examples(session: nox.Session) -> None:
    """Run every script in examples/ (the test suite runs them too)."""
    session.install("-e", ".[hypothesis]")
    for script in sorted(Path("examples").glob("*.py")):
        session.run("python", str(script))


@nox.session
def fuzz(session: nox.Session) -> None:
    """Run each atheris harness in fuzz/ for a bounded number of inputs.

    ``nox -s fuzz -- --runs 1000000`` runs longer; the default is small, for CI.
    """
    session.install("--group", "fuzz", "-e", ".")
    session.run("python", "fuzz/run.py", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark in benchmarks/ and write their ratios to docs/performance.md.

    ``nox -s bench -- --quick`` is a smoke run at small sizes; ``-- --out PATH``
    writes the page elsewhere; ``-- --only columnar memory`` runs only those.
    """
    # The columnar benchmarks need the arrow extra; the bench group brings the
    # competitors (pydantic, msgspec, numpy).
    session.install("--group", "bench", "-e", ".[arrow]")
    session.run("python", "benchmarks/report.py", *session.posargs)
