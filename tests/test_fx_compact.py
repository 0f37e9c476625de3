"""Tests of how rate tables hold their rates: packed numbers, arrays per currency, small pickles.

The packed form must answer every lookup exactly as rate objects do; these tests
compare a table read from CSV with the same rates given as objects.
"""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import PledgeDataError, fx
from p2c_pledges._syntax import DECIMAL_SYNTAX
from p2c_pledges.fx._csv import rate_of
from p2c_pledges.fx._series import Numbers


# Positive rates within the bounds a rate file accepts, written plainly or as Decimal writes them.
positive_texts = (
    st.decimals(
        min_value=Decimal("1E-30"),
        max_value=Decimal("1E+30"),
        allow_nan=False,
        allow_infinity=False,
    )
    .flatmap(lambda value: st.sampled_from([str(value), f"{value:f}"]))
    .filter(lambda text: len(text) <= 60 and DECIMAL_SYNTAX.fullmatch(text) is not None)
)


class TestNumbers:
    @given(st.lists(positive_texts, min_size=1, max_size=20))
    def test_each_number_comes_back_as_written(self, texts: list[str]) -> None:
        """Packed or kept aside, a number gives back its text and its exact value."""
        numbers = Numbers()
        for text in texts:
            numbers.append(text)
        copied = pickle.loads(pickle.dumps(numbers))  # noqa: S301 - our own bytes
        for index, text in enumerate(texts):
            for packed in (numbers, copied):
                assert (packed.text(index), packed[index]) == (text, Decimal(text))

    def test_decimal_forms_are_kept_as_written(self) -> None:
        """Texts whose Decimal form differs (1E-7, leading zeros, exponents) are not rewritten."""
        texts = ["0.0000001", "1E+3", "0.000001", "116.90", "12345678901234567890123"]
        numbers = Numbers()
        for text in texts:
            numbers.append(text)
        assert [numbers.text(i) for i in range(len(texts))] == texts

    def test_other_scripts_digits_come_back_as_written(self) -> None:
        """int() reads Arabic-Indic digits too: such a number is kept as its text, not as ASCII."""
        numbers = Numbers()
        numbers.append("\u0663.\u0665")  # 3.5 in Arabic-Indic digits
        assert numbers.text(0) == "\u0663.\u0665"
        assert numbers[0] == Decimal("3.5")


days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
rows = st.lists(
    st.tuples(st.sampled_from(["KES", "NGN", "XOF", "JPY"]), days, positive_texts),
    min_size=1,
    max_size=40,
    unique_by=lambda row: (row[0], row[1]),
)


class TestCsvTablesAnswerAsObjects:
    @given(rows, st.lists(days, min_size=1, max_size=10), st.sampled_from(
        [fx.exact(), fx.on_or_before(), fx.on_or_before(40), fx.monthly_average(), fx.annual_average()]
    ))  # fmt: skip
    def test_same_quotes_and_failures(
        self,
        tmp_path_factory: object,
        written: list[tuple[str, dt.date, str]],
        asked: list[dt.date],
        policy: fx.Policy,
    ) -> None:
        """Read from CSV, a table holds the same rates and answers every lookup alike."""
        folder = Path(tmp_path_factory.mktemp("rates"))  # type: ignore[attr-defined]
        path = folder / "rates.csv"
        lines = ["currency,date,rate", *(f"{c},{day},{text}" for c, day, text in written)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        name = "rate table rates.csv"
        read = fx.RateTable.from_csv(path)
        given_ = fx.RateTable.from_rates(
            [
                rate_of(c, day, day, Decimal(text), "units_per_usd", name, "D")
                for c, day, text in written
            ],
            name=name,
        )
        assert read == given_
        assert pickle.loads(pickle.dumps(read)) == read  # noqa: S301 - our own bytes
        for currency in ["KES", "NGN", "XOF", "JPY"]:
            for on in asked:
                assert answer(read, currency, on, policy) == answer(given_, currency, on, policy)


def answer(table: fx.RateTable, currency: str, on: dt.date, policy: fx.Policy) -> object:
    try:
        return table.quote(currency, on, policy)
    except fx.RateLookupError as error:
        return [issue.message for issue in error.issues]


class TestPickledSize:
    def test_bundled_rates_pickle_small_and_answer_alike(self) -> None:
        """The bundled rates pickle as the ECB's text (under 5 MB), and answer as before."""
        rates = fx.bundled_rates()
        pickled = pickle.dumps(rates)
        assert len(pickled) < 5 * 2**20
        copied = pickle.loads(pickled)  # noqa: S301 - our own bytes
        for currency, on in [("JPY", dt.date(2022, 6, 5)), ("EUR", dt.date(2001, 3, 1)),
                             ("XOF", dt.date(2022, 6, 7)), ("RUB", dt.date(2022, 3, 1))]:  # fmt: skip
            for policy in (fx.on_or_before(), fx.monthly_average()):
                assert copied.quote(currency, on, policy) == rates.quote(currency, on, policy)

    def test_a_read_table_holds_arrays_not_objects(self, tmp_path: Path) -> None:
        """A table of 20,000 daily rates pickles in under 20 bytes a rate (objects took 110)."""
        path = tmp_path / "rates.csv"
        first = dt.date(2000, 1, 1)
        lines = ["currency,date,rate"]
        lines += [
            f"KES,{first + dt.timedelta(days=n)},{100 + n % 977}.{n % 10_000:04d}"
            for n in range(20_000)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        table = fx.RateTable.from_csv(path)
        assert len(table) == 20_000
        assert len(pickle.dumps(table)) < 20 * 20_000


class TestAverages:
    def test_two_averages_for_one_period(self) -> None:
        """Two averages given for one month (or year): one when equal, else rate.conflict, never the later."""

        def average(
            start: dt.date, end: dt.date, value: str, source: str, frequency: str
        ) -> fx.ExchangeRate:
            return fx.ExchangeRate(
                currency="GBP",
                start=start,
                end=end,
                usd_per_unit=Decimal(value),
                source=source,
                frequency=frequency,
            )

        january, year = (
            (dt.date(2020, 1, 1), dt.date(2020, 1, 31)),
            (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        )
        with pytest.raises(PledgeDataError) as caught:
            fx.RateTable.from_rates(
                [
                    average(*january, "1.3", "a", "M"),
                    average(*january, "1.4", "b", "M"),
                    average(*year, "1.1", "c", "A"),
                    average(*year, "1.2", "d", "A"),
                ]
            )
        assert [("rate.conflict", "$[1]"), ("rate.conflict", "$[3]")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]
        same = fx.RateTable.from_rates(
            [average(*january, "1.4", "b", "M"), average(*january, "1.40", "e", "M")]
        )
        assert [("M", "b")] == [(rate.frequency, rate.source) for rate in same.rates()]
        assert (
            Decimal("1.4")
            == same.quote("GBP", dt.date(2020, 1, 15), fx.monthly_average()).usd_per_unit
        )
