"""Tests of benchmarks/report.py: every benchmark runs and hands back its ratios.

The run is ``--quick`` (small sizes); no time and no ratio is asserted, only that
the page has a row per benchmark script with a number in its ratio column.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


pytest.importorskip("pyarrow")
pytest.importorskip("numpy")
pytest.importorskip("pydantic")
pytest.importorskip("msgspec")

# The quick run of every benchmark takes tens of seconds: it runs in .ci/run's thorough session.
pytestmark = pytest.mark.slow

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
SCRIPTS = sorted(path.name for path in BENCHMARKS.glob("bench_*.py"))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "performance.md"
    subprocess.run(
        [sys.executable, str(BENCHMARKS / "report.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return out.read_text(encoding="utf-8")


def ratio_rows(page: str) -> list[list[str]]:
    """The rows of the page's ratio table, as lists of cells."""
    lines = page.split("## Ratios", 1)[1].split("\n## ", 1)[0].splitlines()
    rows = [line for line in lines if line.startswith("| `")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in rows]


class TestReport:
    def test_a_row_per_benchmark(self, page: str) -> None:
        """Every bench_*.py script has at least one row in the ratio table."""
        scripts = {row[0].strip("`") for row in ratio_rows(page)}
        assert set(SCRIPTS) == scripts

    def test_ratios_are_numbers(self, page: str) -> None:
        """Every row has a finite number in its ratio column, and no row says failed."""
        rows = ratio_rows(page)
        assert rows
        for row in rows:
            assert "failed" != row[1]
            assert re.fullmatch(r"\d+\.\d\d", row[3]), row

    def test_machine_and_versions(self, page: str) -> None:
        """The page names the machine, Python and the libraries compared, and says the run was quick."""
        for name in ("CPU", "cores", "RAM", "OS", "Python", "pyarrow", "pydantic", "msgspec"):
            assert f"| {name} |" in page
        assert "`--quick` run" in page

    def test_no_python_code_blocks(self, page: str) -> None:
        """The page has no Python code block for Sybil to run."""
        assert "```python" not in page
        assert ">>>" not in page
