"""Tests of p2c_pledges.io._read: how a record is built, and how often it is read."""

from __future__ import annotations

import json
from typing import Any

import pytest

import p2c_pledges as p2c
from helpers import document
from p2c_pledges.io import _read


def _envelope(*records: dict[str, Any]) -> str:
    return json.dumps({"schema_version": "1.0", "pledges": list(records)})


class _Counting:
    """Counts the reads of the fast path without rules and of the strict converter."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.unchecked = 0
        self.converted = 0
        original_post_init = _read.Reading.__attrs_post_init__
        counter = self

        def post_init(reading: _read.Reading) -> None:
            original_post_init(reading)
            inner = reading._read_unchecked

            def unchecked(raw: Any, index: int) -> p2c.Pledge:
                counter.unchecked += 1
                return inner(raw, index)

            reading._read_unchecked = unchecked

        original_structure = _read.structure

        def structure(raw: Any, cls: Any, *, path: str = "$") -> Any:
            counter.converted += 1
            return original_structure(raw, cls, path=path)

        monkeypatch.setattr(_read.Reading, "__attrs_post_init__", post_init)
        monkeypatch.setattr(_read, "structure", structure)


class TestReadOnce:
    def test_a_value_the_fast_path_refuses_goes_to_the_converter_alone(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        counting = _Counting(monkeypatch)
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.loads(_envelope(document(amount={"amount": "1", "currency": "EURO"})))
        assert caught.value.codes == ["currency.unknown"]
        assert (counting.unchecked, counting.converted) == (0, 1)

    def test_a_pledge_that_breaks_a_rule_is_built_once(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        counting = _Counting(monkeypatch)
        inverted = document(period_start="2023-01-01", period_end="2022-01-01")
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.loads(_envelope(inverted))
        assert caught.value.codes == ["period.order"]
        assert (counting.unchecked, counting.converted) == (0, 0)

    def test_a_repeated_id_is_reported_on_the_second(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        counting = _Counting(monkeypatch)
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.loads(_envelope(document(), document()))
        assert [(i.code, i.path) for i in caught.value.issues] == [
            ("id.duplicate", "$.pledges[1].id")
        ]
        assert (counting.unchecked, counting.converted) == (0, 0)

    def test_unknown_keys_kept_still_take_the_fast_path(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        counting = _Counting(monkeypatch)
        (pledge,) = p2c.loads(_envelope(document(colour="blue")), unknown="keep")
        assert pledge.extras == {"colour": "blue"}
        assert (counting.unchecked, counting.converted) == (1, 0)

    def test_csv_rows_that_break_a_rule(self, tmp_path: Any) -> None:
        """The CSV reader checks the rules before it builds: the row is rebuilt once, reported."""
        pledge = p2c.io.structure(document(period_start="2023-01-01", period_end="2022-01-01"))
        p2c.dump([pledge], tmp_path / "p.csv")
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.load(tmp_path / "p.csv")
        assert caught.value.codes == ["period.order"]
