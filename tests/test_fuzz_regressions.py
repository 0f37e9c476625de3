"""Inputs that crashed a fuzz harness (``fuzz/``), each now a located, documented error.

Every file of ``tests/fuzz_regressions/`` is the minimized input that libFuzzer
wrote when a harness crashed; :data:`CASES` says which reader it was fed to,
with which options (the harness picks them from the input's length), and the
exact issue it must get now. Each case failed before its fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest

import p2c_pledges as p2c
from p2c_pledges import fx


HERE = Path(__file__).parent / "fuzz_regressions"


@attrs.define(frozen=True, kw_only=True)
class Case:
    """A crashing input, the reader it crashed and the issue it gets now."""

    file: str
    target: str
    options: dict[str, Any] = attrs.field(factory=dict)
    code: str
    path: str
    row: int | None = None
    before: str  # what escaped before the fix


CASES = (
    Case(
        file="money-long-number-de.txt",
        target="money",
        options={"locale": "de", "default_currency": "USD"},
        code="money.unparsable",
        path="$",
        before="decimal.InvalidOperation from babel's strict check, which formats the "
        "number back in the default 28-digit context",
    ),
)

#: The name a file reader needs to see, per target.
FILE_NAMES = {"json": "pledges.json", "jsonl": "pledges.jsonl", "csv": "pledges.csv"}


def _read(case: Case, data: bytes, folder: Path) -> object:
    """Feed ``data`` to the reader of ``case.target``, as its harness does."""
    if case.target == "money":
        return p2c.Money.parse(data.decode("utf-8", "replace"), **case.options)
    if case.target == "rates":
        path = folder / "rates.csv"
        path.write_bytes(data)
        return fx.RateTable.from_csv(path, **case.options)
    path = folder / FILE_NAMES[case.target]
    path.write_bytes(data)
    return p2c.load(path, **case.options)


class TestFuzzRegressions:
    @pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
    def test_located_issue(self, case: Case, tmp_path: Path) -> None:
        """The input that crashed the harness now gets its documented, located issue."""
        data = (HERE / case.file).read_bytes()

        with pytest.raises(p2c.PledgeDataError) as raised:
            _read(case, data, tmp_path)

        first = raised.value.issues[0]
        assert (case.code, case.path, case.row) == (first.code, first.path, first.row)

    def test_every_file_has_a_case(self) -> None:
        """Each file of tests/fuzz_regressions/ is a case, and each case has its file."""
        files = {path.name for path in HERE.iterdir() if not path.name.startswith(".")}

        assert {case.file for case in CASES} == files
