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


class TestOtherArguments:
    def test_a_missing_currency_is_the_columnar_path_s_reason(self) -> None:
        """usd_amounts says of a None currency what usd_columns says of a null one."""
        from p2c_pledges.fx.columnar import MISSING_CURRENCY  # noqa: PLC0415

        result = p2c.fx.usd_amounts([Decimal(1)], [None], [ON], RATES)  # type: ignore[list-item]
        assert {0: MISSING_CURRENCY} == result.errors

    @pytest.mark.parametrize("days", [7.5, True, "7", -1])
    def test_on_or_before_takes_whole_days(self, days: object) -> None:
        with pytest.raises(ValueError, match="whole number of days"):
            p2c.fx.on_or_before(days)  # type: ignore[arg-type]

    def test_on_or_before_takes_any_integer(self) -> None:
        """A NumPy integer (a column's value) is a number of days, as an int is."""
        numpy = pytest.importorskip("numpy")
        assert p2c.fx.on_or_before(7) == p2c.fx.on_or_before(numpy.int64(7))
        assert int is type(p2c.fx.on_or_before(numpy.int64(7)).max_days)

    @pytest.mark.parametrize("by_day", [None, [Decimal(1)], Decimal(1)])
    def test_from_mapping_rates_that_are_no_mapping(self, by_day: object) -> None:
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.fx.RateTable.from_mapping({"KES": by_day})  # type: ignore[dict-item]
        assert [("value.type", "$.KES")] == [(i.code, i.path) for i in caught.value.issues]

    @pytest.mark.parametrize("locale", [["en"], 5, None])
    def test_money_parse_locale_that_is_no_name(self, locale: object) -> None:
        with pytest.raises(p2c.PledgeDataError) as caught:
            p2c.Money.parse("5 USD", locale=locale)  # type: ignore[arg-type]
        assert ["locale.unknown"] == [issue.code for issue in caught.value.issues]
