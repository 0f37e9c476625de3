"""The conversion functions' arguments: a wrong one is a located PledgeDataError, never a bare exception."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import p2c_pledges as p2c


RATES = p2c.fx.bundled_rates()
ON = dt.date(2022, 6, 9)


class TestUsdAmountsDates:
    @pytest.mark.parametrize(
        "date", ["2022-06-09", None, dt.datetime(2022, 6, 9, 12, tzinfo=dt.UTC), 20220609]
    )
    def test_a_date_that_is_not_a_date(self, date: object) -> None:
        """A value date that is no datetime.date is value.type at its index, as to_usd says of its own."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.fx.usd_amounts([Decimal(1), Decimal(2)], ["EUR", "EUR"], [ON, date], RATES)  # type: ignore[list-item]
        assert [("value.type", "$[1]")] == [(i.code, i.path) for i in caught.value.issues]
        with pytest.raises(p2c.PledgeDataError) as alone:
            p2c.to_usd(p2c.Money(Decimal(1), "EUR"), date, RATES)  # type: ignore[arg-type]
        assert caught.value.issues[0].message == alone.value.issues[0].message

    def test_dates_that_are_dates(self) -> None:
        result = p2c.fx.usd_amounts([Decimal(1)], ["EUR"], [ON], RATES)
        assert [p2c.to_usd(p2c.Money(Decimal(1), "EUR"), ON, RATES).usd_exact] == result.usd
