"""Test configuration shared by tests/, docs/ and the README.

- Hypothesis profiles: ``dev`` is the default and the README's quick command
  (``nox -s tests``); ``ci`` is the thorough one that ``.ci/run`` runs afterwards
  (``nox -s tests_thorough``). Neither has a deadline, because the machines are
  shared and noisy. They are registered here, in the root conftest, because it is
  imported before ``--hypothesis-profile`` is applied.
- ``P2C_PLEDGES_CACHE_DIR`` points at an empty folder of the run's own, so that a
  developer's real ``p2c-pledges rates update`` does not change what the tests and
  the docs' examples see.
- ``default_csv_cell_limit``: Python's own CSV cell limit for the test, whatever an
  imported library set for the whole process.
- Sybil runs the Python code blocks of the README and of docs/*.md.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterator
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

import pytest
from hypothesis import HealthCheck, settings
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser


os.environ["P2C_PLEDGES_CACHE_DIR"] = tempfile.mkdtemp(prefix="p2c-pledges-cache-")

# The profiles that the README's command (dev) and .ci/run (ci) use are derandomized:
# a run gives the same verdict every time, so a commit that passed stays passed.
# The "explore" profile draws new examples on every run, for finding what those miss
# (python -m pytest --hypothesis-profile=explore).
_EVERY_PROFILE = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", _EVERY_PROFILE, max_examples=100, derandomize=True)
settings.register_profile("dev", _EVERY_PROFILE, max_examples=10, derandomize=True)
settings.register_profile("explore", _EVERY_PROFILE, max_examples=500)
settings.load_profile("dev")

#: Python's default csv.field_size_limit(); frictionless raises the limit to 20 MB
#: for the whole process when it is imported, which makes "one cell too long" cost
#: a 20 MB cell in whichever test runs after it.
PYTHON_CSV_CELL_LIMIT = 131_072


@pytest.fixture
def default_csv_cell_limit() -> Iterator[int]:
    """Python's default CSV cell limit for the test, restored afterwards."""
    previous = csv.field_size_limit(PYTHON_CSV_CELL_LIMIT)
    try:
        yield PYTHON_CSV_CELL_LIMIT
    finally:
        csv.field_size_limit(previous)


pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["README.md", "docs/*.md"],
).pytest()
