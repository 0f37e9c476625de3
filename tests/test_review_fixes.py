"""Tests of behaviours a review found wrong; each failed before its fix."""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import pytest

from helpers import pledge
from p2c_pledges import Metric, Money, PledgeDataError, Target, format_money, fx
from p2c_pledges import io as p2c_io
from p2c_pledges.aggregate import split_evenly, summarize
from p2c_pledges.countries import CountryGroup, in_group, members, normalize_country
from p2c_pledges.errors import Issue
from p2c_pledges.query import query
from p2c_pledges.units import check_unit


class TestCountryCodes:
    @pytest.mark.parametrize(
        ("alpha3", "alpha2"),
        [("FRA", "FR"), ("COD", "CD"), ("TLS", "TL"), ("DEU", "DE"), ("MMR", "MM"), ("YEM", "YE")],
    )
    def test_current_alpha3(self, alpha3: str, alpha2: str) -> None:
        """The current ISO alpha-3 codes normalize (CLDR also lists withdrawn ones)."""
        assert alpha2 == normalize_country(alpha3)

    @pytest.mark.parametrize("withdrawn", ["FXX", "ZAR", "TMP", "DDR", "BUR", "YMD"])
    def test_withdrawn_alpha3(self, withdrawn: str) -> None:
        """Withdrawn alpha-3 codes are not countries."""
        with pytest.raises(PledgeDataError):
            normalize_country(withdrawn)

    def test_group_given_as_text(self) -> None:
        """A country group given by its wire value works like the enum member."""
        on = dt.date(2023, 1, 1)
        assert in_group("BT", "ldc", on)  # type: ignore[arg-type]
        assert members(CountryGroup.LDC, on) == members("ldc", on)  # type: ignore[arg-type]


class TestMoneyExactness:
    def test_negation_and_abs_keep_every_digit(self) -> None:
        """-x and abs(x) are exact for a 38-digit amount."""
        amount = Decimal("12345678901234567890.123456789012345678")
        assert amount.copy_negate() == (-Money(amount, "USD")).amount
        assert amount == abs(Money(amount.copy_negate(), "USD")).amount

    def test_quantize_ignores_the_callers_context(self) -> None:
        """quantize() rounds the same under a caller's low precision."""
        with decimal.localcontext(decimal.Context(prec=5, rounding=decimal.ROUND_DOWN)):
            assert Decimal("123456.79") == Money(Decimal("123456.789"), "USD").quantize().amount

    @pytest.mark.parametrize("factor", [Decimal("1E+999999999"), Decimal("1." + "1" * 70)])
    def test_product_out_of_range(self, factor: Decimal) -> None:
        """A product that cannot be exact is value.out_of_range, not a decimal exception."""
        with pytest.raises(PledgeDataError, match=r"value\.out_of_range"):
            Money(Decimal(1), "USD") * factor

    def test_ordering_with_other_types(self) -> None:
        """Comparing Money with a number is Python's TypeError, not an AttributeError."""
        with pytest.raises(TypeError):
            Money(Decimal(1), "USD") < 1  # type: ignore[operator]  # noqa: B015


class TestHostileInput:
    @pytest.mark.parametrize("unit", ["nan", "NaN", "inf"])
    def test_unit_named_like_a_number(self, unit: str) -> None:
        """Unit names pint reads as numbers are unit.unknown."""
        assert ["unit.unknown"] == [i.code for i in check_unit(Metric.FIBRE_KM, unit)]

    def test_huge_target(self) -> None:
        """A target beyond the digit limits is value.out_of_range."""
        with pytest.raises(PledgeDataError, match=r"value\.out_of_range"):
            Target(metric=Metric.FIBRE_KM, value=Decimal("1e999999999"), unit="km")

    @pytest.mark.parametrize(
        "field", ["pledge_types", "sdgs", "beneficiary_countries", "co_pledgers"]
    )
    def test_none_for_a_list(self, field: str) -> None:
        """None for a list field is value.type at the field, not a TypeError."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(**{field: None})
        assert [("value.type", f"$.{field}")] == [(i.code, i.path) for i in caught.value.issues]

    def test_extras_not_a_mapping(self) -> None:
        """Extras that are not a mapping are value.type."""
        with pytest.raises(PledgeDataError, match="extras must be a mapping"):
            pledge(extras=[1, 2])

    def test_error_holds_issues_only(self) -> None:
        """A PledgeDataError of plain strings is a programming error, said at once."""
        with pytest.raises(TypeError, match="holds Issue objects"):
            PledgeDataError(["bad"])  # type: ignore[list-item]
        assert ["x"] == PledgeDataError([Issue(code="x", message="m")]).codes

    @pytest.mark.parametrize(
        ("value", "parts"), [(Decimal(1), 0), (Decimal(1), -1), (Decimal("NaN"), 2)]
    )
    def test_split_refuses(self, value: Decimal, parts: int) -> None:
        """split_evenly refuses what it cannot split exactly, and never loses the value."""
        with pytest.raises(ValueError, match="split"):
            split_evenly(value, parts)


class TestQueryInput:
    def test_single_string_criterion(self) -> None:
        """focus_areas='access' is one value, not a set of letters."""
        assert 1 == len(query([pledge()], focus_areas="access"))  # type: ignore[arg-type]
        assert 1 == len(query([pledge(beneficiary_countries=["GH"])], beneficiary_countries="GH"))

    @pytest.mark.parametrize(
        ("bound", "code"), [(1.5, "value.float_money"), (Decimal("NaN"), "value.type")]
    )
    def test_usd_bound(self, bound: object, code: str) -> None:
        """A float or NaN USD bound is refused, never used."""
        with pytest.raises(PledgeDataError) as caught:
            query([pledge()], usd_from=bound, rates=fx.bundled_rates())  # type: ignore[arg-type]
        assert [code] == caught.value.codes


class TestSummaryCounts:
    def test_repeated_ids_still_count(self) -> None:
        """Three pledges sharing an id count as three, with their amounts and gaps."""
        values = [
            pledge(id="x", amount=Money(Decimal(10), "USD")),
            pledge(id="x", amount=None),
            pledge(id="x", amount=Money(Decimal(5), "USD")),
        ]
        total = summarize(values, by="focus_area", rates=fx.bundled_rates()).total
        assert (3, Decimal(15), 1) == (total.pledges, total.usd, total.without_amount)


class TestJsonLinesText:
    def test_lone_surrogate_in_a_str(self) -> None:
        """JSON Lines given as a str with a lone surrogate read as the JSON path reads it."""
        line = '{"id": "x", "title": "t\ud800"}'
        with pytest.raises(PledgeDataError) as as_lines:
            p2c_io.loads(line, "jsonl")
        with pytest.raises(PledgeDataError) as as_document:
            p2c_io.loads(f'{{"schema_version": "1.0", "pledges": [{line}]}}')
        assert "key.missing" in as_lines.value.codes
        assert sorted({i.code for i in as_document.value.issues}) == sorted(
            {i.code for i in as_lines.value.issues}
        )

    def test_lone_surrogate_refused(self) -> None:
        """A lone surrogate in a title is text.encoding when the pledge is built, in every format alike."""
        with pytest.raises(PledgeDataError) as caught:
            pledge(title="t\ud800")
        assert [("text.encoding", "$.title")] == [(i.code, i.path) for i in caught.value.issues]


class TestFormatMoneyInput:
    @pytest.mark.parametrize("value", [1, Decimal("1.5"), "USD 1", None])
    def test_not_money(self, value: object) -> None:
        """format_money of a bare number or text is a located value.type, not an AttributeError."""
        with pytest.raises(PledgeDataError) as caught:
            format_money(value)  # type: ignore[arg-type]
        assert [("value.type", "$.money")] == [(i.code, i.path) for i in caught.value.issues]
