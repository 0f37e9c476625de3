"""Tests of the target unit registry."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import Metric, PledgeDataError, units
from p2c_pledges.units import _UNIT_SYNTAX, DIMENSIONS, check_unit, quantity, registry


#: The unit syntax before issue 14, which backtracked exponentially on runs of
#: spaces (a space could be taken by \s* or by [*/ ]): the language the rewritten
#: pattern must keep.
AMBIGUOUS_UNIT_SYNTAX = re.compile(
    r"[A-Za-z_µ]+(?:\s*(?:\*\*|\^)\s*-?[0-9])?(?:\s*[*/ ]\s*[A-Za-z_µ]+(?:\s*(?:\*\*|\^)\s*-?[0-9])?)*"
)
#: The characters that mean something to the unit syntax, and some that do not.
UNIT_ALPHABET = "a *^/-2\t\u3000!"


class TestCheckUnit:
    @pytest.mark.parametrize(
        ("metric", "unit"),
        [
            (Metric.FIBRE_KM, "km"),
            (Metric.FIBRE_KM, "mi"),
            (Metric.BANDWIDTH, "Mbit/s"),
            (Metric.BANDWIDTH, "Gbps"),
            (Metric.PEOPLE_CONNECTED, "people"),
            (Metric.SCHOOLS_CONNECTED, "schools"),
            (Metric.HOUSEHOLDS_CONNECTED, "household"),
        ],
    )
    def test_fitting_units(self, metric: Metric, unit: str) -> None:
        """Units of the metric's dimension have no issue."""
        assert [] == check_unit(metric, unit)

    @pytest.mark.parametrize(
        ("metric", "unit"),
        [
            (Metric.FIBRE_KM, "people"),
            (Metric.PEOPLE_CONNECTED, "school"),
            (Metric.BANDWIDTH, "km"),
            (Metric.SCHOOLS_CONNECTED, "bit/s"),
        ],
    )
    def test_wrong_dimension(self, metric: Metric, unit: str) -> None:
        """A unit of another dimension is unit.dimension naming the metric and the unit."""
        (issue,) = check_unit(metric, unit)
        assert "unit.dimension" == issue.code
        assert metric.value in issue.message
        assert repr(unit) in issue.message

    @pytest.mark.parametrize("unit", ["parsecs of joy", "1/0", "", "km)", "__import__", "x" * 41])
    def test_unknown(self, unit: str) -> None:
        """Text that is not a unit is unit.unknown."""
        assert ["unit.unknown"] == [issue.code for issue in check_unit(Metric.FIBRE_KM, unit)]

    @pytest.mark.parametrize("unit", ["km^0", "km**0", "u^0", "km /\n\r s"])
    def test_units_pint_fails_on(self, unit: str) -> None:
        """Units that pint fails on inside (KeyError, AssertionError) are unit.unknown, not a crash."""
        assert ["unit.unknown"] == [issue.code for issue in check_unit(Metric.FIBRE_KM, unit)]

    @given(st.from_regex(_UNIT_SYNTAX, fullmatch=True), st.sampled_from(Metric))
    def test_any_text_of_the_unit_syntax(self, unit: str, metric: Metric) -> None:
        """Text the unit syntax lets through to pint gives only the documented codes."""
        codes = {issue.code for issue in check_unit(metric, unit)}
        assert codes <= {"unit.unknown", "unit.dimension"}

    def test_not_a_string(self) -> None:
        """A number given as unit is value.type."""
        assert ["value.type"] == [issue.code for issue in check_unit(Metric.FIBRE_KM, 5)]

    @given(st.text(max_size=30), st.sampled_from(Metric))
    def test_any_text_gives_issues_or_none(self, unit: str, metric: Metric) -> None:
        """No text makes check_unit raise; it returns only the documented codes."""
        codes = {issue.code for issue in check_unit(metric, unit)}
        assert codes <= {"unit.unknown", "unit.dimension"}


class TestQuantity:
    def test_decimal_conversion(self) -> None:
        """Quantities keep Decimal magnitudes through conversion."""
        km = quantity(Decimal("1250.5"), "mi").to("km")
        assert isinstance(km.magnitude, Decimal)
        assert Decimal("2012.48467200") == km.magnitude

    def test_counts_do_not_mix(self) -> None:
        """Schools and people are different dimensions."""
        assert (
            quantity(Decimal(1), "school").dimensionality
            != quantity(Decimal(1), "person").dimensionality
        )

    def test_one_registry(self) -> None:
        """The registry is made once."""
        assert registry() is registry()

    @pytest.mark.parametrize("metric", list(Metric))
    def test_every_metric_has_a_dimension(self, metric: Metric) -> None:
        """Each metric's common unit is a unit of the registry."""
        assert [] == check_unit(metric, DIMENSIONS[metric])


class TestUnitSyntax:
    def test_same_language_on_every_short_text(self) -> None:
        """On every text of up to 5 of the syntax's characters, the pattern says what it said before."""
        differing = [
            text
            for length in range(6)
            for text in map("".join, itertools.product(UNIT_ALPHABET, repeat=length))
            if bool(_UNIT_SYNTAX.fullmatch(text)) != bool(AMBIGUOUS_UNIT_SYNTAX.fullmatch(text))
        ]
        assert [] == differing

    @given(st.text(UNIT_ALPHABET + "Mbit", max_size=40))
    def test_same_language(self, text: str) -> None:
        """On any text a unit could be, the pattern says what it said before."""
        assert bool(AMBIGUOUS_UNIT_SYNTAX.fullmatch(text)) == bool(_UNIT_SYNTAX.fullmatch(text))

    @pytest.mark.parametrize(
        "text", ["a" + " " * 999, "a" + " " * 998 + "!", ("a  " * 333) + "!", ("a * " * 250) + "!"]
    )
    def test_linear_on_long_texts(self, text: str) -> None:
        """1,000 characters take well under a tenth of a second (it took 17 s at 67 before)."""
        start = time.perf_counter()
        _UNIT_SYNTAX.fullmatch(text)
        assert time.perf_counter() - start < 0.1


class TestUnitsNamedLikeNumbers:
    @pytest.mark.parametrize("unit", ["nan", "NaN", "inf"])
    def test_unit_named_like_a_number(self, unit: str) -> None:
        """Unit names pint reads as numbers are unit.unknown."""
        assert ["unit.unknown"] == [i.code for i in check_unit(Metric.FIBRE_KM, unit)]


_FIRST_USE_UNDER_A_HOSTILE_CONTEXT = """
import decimal
from decimal import Decimal
import p2c_pledges as p2c
from p2c_pledges.codes import Metric

def target(unit):
    return p2c.Target(metric=Metric.FIBRE_KM, value=Decimal("1250.5"), unit=unit)

# The registry built and the unit first met under traps, then converted under 3 digits.
with decimal.localcontext(decimal.Context(traps=[decimal.Inexact, decimal.Rounded])):
    trapped = target("mi")
with decimal.localcontext(decimal.Context(prec=3)):
    target("survey_mile").quantity.to("km")
print(trapped.quantity.to("km").magnitude, target("survey_mile").quantity.to("km").magnitude)
"""


class TestCallerContext:
    def test_first_use_under_a_hostile_context(self) -> None:
        """A registry built, or a unit first met, under a caller's traps or 3 digits keeps no rounded factor."""
        completed = subprocess.run(
            [sys.executable, "-c", _FIRST_USE_UNDER_A_HOSTILE_CONTEXT],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert 0 == completed.returncode, completed.stderr
        miles, survey_miles = completed.stdout.split()
        assert Decimal("1250.5") * Decimal("1.609344") == Decimal(miles)
        assert Decimal(survey_miles).quantize(Decimal("0.0001")) == Decimal("2012.4887")


class TestPublicHelpersRefuseClearly:
    def test_unknown_metric_is_an_issue(self) -> None:
        """check_unit with a metric that is not one reports value.enum, not a KeyError."""
        (issue,) = units.check_unit("colour", "km")  # type: ignore[arg-type]
        assert ("value.enum", "$.unit") == (issue.code, issue.path)

    def test_common_unit_of_an_unknown_metric(self) -> None:
        """common_unit names the metrics there are when given one that is not."""
        with pytest.raises(ValueError, match="the metrics are people_connected"):
            units.common_unit("colour")  # type: ignore[arg-type]

    @given(st.sampled_from(Metric))
    def test_wire_value_is_the_metric(self, metric: Metric) -> None:
        """A metric's wire value gives what the metric gives."""
        assert units.common_unit(metric) == units.common_unit(metric.value)  # type: ignore[arg-type]
        assert units.check_unit(metric, "km") == units.check_unit(metric.value, "km")  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("value", "unit", "code"),
        [
            (1.5, "km", "value.type"),
            (Decimal("NaN"), "km", "value.not_finite"),
            (Decimal(1), "nonsense", "unit.unknown"),
            (Decimal(1), "km^0", "unit.unknown"),
        ],
    )
    def test_quantity_refuses(self, value: object, unit: str, code: str) -> None:
        """quantity() refuses a float magnitude or an unknown unit with a located issue."""
        with pytest.raises(PledgeDataError) as caught:
            units.quantity(value, unit)  # type: ignore[arg-type]
        assert [code] == caught.value.codes

    @given(st.integers(min_value=-(10**20), max_value=10**20))
    def test_quantity_of_an_int_is_exact(self, value: int) -> None:
        """An int magnitude is made a Decimal exactly, and converts in Decimal."""
        miles = units.quantity(value, "mi")
        assert Decimal(value) == miles.magnitude
        assert isinstance(miles.to("km").magnitude, Decimal)
