"""Tests of the package's public face and of the examples."""

from __future__ import annotations

import runpy
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

import p2c_pledges


EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.py"))


def isort_key(name: str) -> tuple[int, str]:
    """Constants first, then classes, then the rest (ruff's isort-style sort)."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


class TestPackage:
    def test_version(self) -> None:
        """__version__ is the installed distribution's version."""
        assert version("p2c-pledges") == p2c_pledges.__version__

    def test_unknown_attribute(self) -> None:
        """Other missing attributes still raise AttributeError."""
        with pytest.raises(AttributeError, match="no_such_name"):
            p2c_pledges.no_such_name  # noqa: B018

    def test_all_is_sorted_and_exported(self) -> None:
        """__all__ is sorted as ruff's RUF022 sorts it, and every name in it exists."""
        assert sorted(p2c_pledges.__all__, key=isort_key) == p2c_pledges.__all__
        for name in p2c_pledges.__all__:
            assert getattr(p2c_pledges, name) is not None

    def test_import_without_hypothesis(self) -> None:
        """Importing the package does not import Hypothesis."""
        code = "import sys, p2c_pledges; print('hypothesis' in sys.modules)"
        completed = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert "False" == completed.stdout.strip()


class TestExamples:
    @pytest.mark.parametrize("script", EXAMPLES, ids=[path.name for path in EXAMPLES])
    def test_runs(self, script: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Every example script runs and prints something."""
        runpy.run_path(str(script), run_name="__main__")
        assert capsys.readouterr().out.strip()

    def test_build_pledges_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The quickstart example shows the pledges and the one warning it expects."""
        runpy.run_path(str(EXAMPLES[0]), run_name="__main__")
        out = capsys.readouterr().out
        assert "3 pledges checked, 1 issue(s)" in out
        assert "amount.missing" in out
