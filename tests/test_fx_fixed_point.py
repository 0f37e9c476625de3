"""Tests of p2c_pledges.fx._fixed_point: amount times rate rounded to cents, exactly, in 64 bits.

Every result is compared with Python's exact integers: the quotient of
``units * rate`` by ``10**places``, rounded half to even.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges.fx import _fixed_point
from p2c_pledges.fx._fixed_point import SHORT_BITS, fixed_point_cents, round_half_even


INT64_MAX = 2**63 - 1


def exact_cents(units: int, rate: int, places: int) -> int:
    """The reference: ``units * rate / 10**places`` rounded half to even."""
    divisor = 10**places
    quotient, rest = divmod(abs(units) * rate, divisor)
    quotient += 2 * rest > divisor or (2 * rest == divisor and quotient % 2 == 1)
    return quotient if units >= 0 else -quotient


def cents_of(words: np.ndarray[Any, Any]) -> list[int]:
    """The cents of (low, high) decimal128 words, checking the high word is the low's sign."""
    low, high = words[:, 0].tolist(), words[:, 1].tolist()
    assert high == [-1 if value < 0 else 0 for value in low]
    return low


def special_rates(places: int) -> st.SearchStrategy[int]:
    """Rates whose fraction is all ones (carries in every 32-bit half), a half, or tiny."""
    divisor = 10**places
    return st.sampled_from([divisor - 1, divisor // 2, 1, divisor + divisor // 2, 2 * divisor - 1])


@st.composite
def problems(draw: st.DrawFn) -> dict[str, Any]:
    """Units, rates, a row-to-slot index, a slot-to-rate table, places, and the amounts' bits."""
    places = draw(st.integers(3, 40))
    divisor = 10**places
    rates = draw(
        st.lists(
            st.one_of(st.integers(1, 50 * divisor), special_rates(places)), min_size=1, max_size=4
        )
    )
    whole = max(rate // divisor for rate in rates)
    short = draw(st.booleans())
    limit = min(INT64_MAX // (whole + 1), 2 ** (SHORT_BITS if short else 62) - 1)
    nonnegative = draw(st.booleans())
    units = draw(
        st.lists(
            st.one_of(
                st.integers(0 if nonnegative else -limit, limit),
                st.sampled_from([0, 1, limit] + ([] if nonnegative else [-1, -limit])),
            ),
            min_size=1,
            max_size=40,
        )
    )
    slots = draw(st.integers(len(rates), len(rates) + 2))
    slot_pair = [draw(st.integers(0, len(rates) - 1)) for _ in range(slots)]
    index = [draw(st.integers(0, slots - 1)) for _ in units]
    return {
        "units": units,
        "rates": rates,
        "index": index,
        "slot_pair": slot_pair,
        "places": places,
        "bits": max(abs(unit) for unit in units).bit_length(),
        "nonnegative": nonnegative,
    }


def run(problem: dict[str, Any]) -> list[int]:
    words = fixed_point_cents(
        np.array(problem["units"], dtype=np.int64),
        np.array(problem["index"], dtype=np.int64),
        np.array(problem["slot_pair"], dtype=np.int32),
        problem["rates"],
        problem["places"],
        bits=problem["bits"],
        nonnegative=problem["nonnegative"],
    )
    return cents_of(words)


def expected(problem: dict[str, Any]) -> list[int]:
    rates, slot_pair = problem["rates"], problem["slot_pair"]
    return [
        exact_cents(unit, rates[slot_pair[slot]], problem["places"])
        for unit, slot in zip(problem["units"], problem["index"], strict=True)
    ]


class TestFixedPointCents:
    @given(problems())
    def test_equals_exact_integers(self, problem: dict[str, Any]) -> None:
        assert run(problem) == expected(problem)

    @pytest.mark.parametrize("block", [1, 2, 3, 7])
    @given(problem=problems())
    def test_every_block_size(self, block: int, problem: dict[str, Any]) -> None:
        """Rows split over blocks (one row, a block exactly, a block and a remainder) agree."""
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_fixed_point, "BLOCK", block)
            assert run(problem) == expected(problem)

    @pytest.mark.parametrize("short", [True, False])
    @pytest.mark.parametrize("nonnegative", [True, False])
    def test_carries_through_every_half(self, short: bool, nonnegative: bool) -> None:
        """A fraction of all ones carries through each 32-bit product into the high word."""
        places = 30
        divisor = 10**places
        rates = [divisor - 1, 2 * divisor - 1, divisor // 2]
        limit = min(INT64_MAX // 3, 2 ** (SHORT_BITS if short else 62) - 1)
        units = [limit, limit - 1, 2**32 - 1, 2**32, 2**31, 1, 3, 0]
        if not nonnegative:
            units += [-limit, -(2**32), -1, -3]
        problem = {
            "units": units,
            "rates": rates,
            "index": [row % 3 for row in range(len(units))],
            "slot_pair": [0, 1, 2],
            "places": places,
            "bits": max(abs(unit) for unit in units).bit_length(),
            "nonnegative": nonnegative,
        }
        assert run(problem) == expected(problem)

    def test_ties_round_to_even(self) -> None:
        """Exact halves (the rows left to Python's integers) go to the even cent."""
        problem = {
            "units": [1, 3, 5, -1, -3, 2],
            "rates": [500],  # half a cent per unit at places 3
            "index": [0] * 6,
            "slot_pair": [0],
            "places": 3,
            "bits": 3,
            "nonnegative": False,
        }
        assert run(problem) == [0, 2, 2, 0, -2, 1] == expected(problem)


class TestRoundHalfEven:
    @given(
        st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=30),
        st.integers(-2, 18),
    )
    def test_equals_exact_integers(self, values: list[int], places: int) -> None:
        if places < 0:
            values = [value // 100 for value in values]  # the product must stay in 64 bits
        rounded = round_half_even(np.array(values, dtype=np.int64), places).tolist()
        if places <= 0:
            assert rounded == [value * 10**-places for value in values]
        else:
            assert rounded == [exact_cents(value, 1, places) for value in values]
