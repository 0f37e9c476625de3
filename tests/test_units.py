"""Tests of the target unit registry."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges.codes import Metric
from p2c_pledges.units import DIMENSIONS, check_unit, quantity, registry


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
