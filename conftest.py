"""Test configuration shared by tests/, docs/ and the README.

- Hypothesis profiles: ``ci`` (the nox session's) runs a fixed number of examples
  with no deadline, because the machines are shared and noisy; ``dev`` is the
  quicker default. They are registered here, in the root conftest, because it is
  imported before ``--hypothesis-profile`` is applied.
- Sybil runs the Python code blocks of the README and of docs/*.md.
"""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from hypothesis import HealthCheck, settings
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser


settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("dev")

pytest_collect_file = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        SkipParser(),
    ],
    patterns=["README.md", "docs/*.md"],
).pytest()
