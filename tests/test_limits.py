"""Resource bounds: each documented limit, at its edge and beyond, is a located error that comes fast.

No test asserts a time: a generous alarm fails any test that would hang.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from _hang import no_hang
from helpers import document
from p2c_pledges import fx, io, model, money, units
from p2c_pledges._parse_money import MAX_PARSE_LENGTH
from p2c_pledges.fx import _csv as rate_csv
from p2c_pledges.fx._rates import MAX_RATE_EXPONENT


#: Seconds before a test counts as hung: generous, for a shared and busy machine (a test
#: with Hypothesis runs all its examples within it).
TIMEOUT = 300
ON = dt.date(2023, 1, 2)
PLEDGE: dict[str, Any] = document(sdgs=None, targets=None)


@pytest.fixture(autouse=True)
def _alarm() -> Iterator[None]:
    with no_hang(TIMEOUT, "the test"):
        yield


def envelope(*pledges: dict[str, Any]) -> str:
    return json.dumps({"schema_version": "1.0", "pledges": list(pledges)})


def located(call: Any, *arguments: Any, **options: Any) -> list[tuple[Any, ...]]:
    """The (code, path, row, column) of each issue that a call raises."""
    with pytest.raises(p2c.PledgeDataError) as caught:
        call(*arguments, **options)
    return [(issue.code, issue.path, issue.row, issue.column) for issue in caught.value.issues]


def rates(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rates.csv"
    path.write_text(text, encoding="utf-8")
    return path


class TestAmountDigits:
    def test_integer_digits(self) -> None:
        """MAX_INTEGER_DIGITS digits before the point are an amount; one more is out of range."""
        largest = "9" * money.MAX_INTEGER_DIGITS
        assert Decimal(largest) == p2c.Money(Decimal(largest), "EUR").amount
        assert ["value.out_of_range"] == [
            issue.code
            for issue in money.check_amount(Decimal("1" + "0" * money.MAX_INTEGER_DIGITS))
        ]

    def test_fraction_digits(self) -> None:
        """MAX_FRACTION_DIGITS digits after the point are an amount; one more is out of range."""
        amount = "0." + "1" * money.MAX_FRACTION_DIGITS
        assert [] == money.check_amount(Decimal(amount))
        assert [("value.out_of_range", "$.pledges[0].amount.amount", None, None)] == located(
            io.loads, envelope({**PLEDGE, "amount": {"amount": amount + "1", "currency": "EUR"}})
        )

    @given(st.integers(-999_999_999, 999_999_999))
    def test_any_exponent(self, exponent: int) -> None:
        """An amount of any exponent is checked from its digits and exponent, never built out."""
        amount = Decimal(f"1E{exponent}")
        within = -money.MAX_FRACTION_DIGITS <= exponent < money.MAX_INTEGER_DIGITS
        assert within == (not money.check_amount(amount))

    def test_target_value(self) -> None:
        """A target's value has the same limits, on the fast path too."""
        target = {"metric": "fibre_km", "value": "1E+20", "unit": "km"}
        assert [("value.out_of_range", "$.pledges[0].targets[0].value", None, None)] == located(
            io.loads, envelope({**PLEDGE, "targets": [target]})
        )


class TestTextLength:
    def test_at_the_limit(self) -> None:
        """A title of MAX_TEXT_LENGTH characters is read."""
        title = "x" * model.MAX_TEXT_LENGTH
        assert [title] == [
            pledge.title for pledge in io.loads(envelope({**PLEDGE, "title": title}))
        ]

    def test_beyond(self) -> None:
        """One character more is text.too_long at the field."""
        title = "x" * (model.MAX_TEXT_LENGTH + 1)
        assert [("text.too_long", "$.pledges[0].title", None, None)] == located(
            io.loads, envelope({**PLEDGE, "title": title})
        )

    def test_csv_cell(self, tmp_path: Path, default_csv_cell_limit: int) -> None:
        """A CSV cell beyond csv.field_size_limit() is csv.syntax at its row."""
        path = tmp_path / "pledges.csv"
        p2c.dump([io.structure(PLEDGE)], path)
        lines = path.read_text(encoding="utf-8").splitlines()
        long_title = "x" * (csv.field_size_limit() + 1)
        path.write_text(
            lines[0] + "\n" + lines[1].replace("Rural broadband", long_title) + "\n",
            encoding="utf-8",
        )
        assert [("csv.syntax", "$", 2, None)] == located(p2c.load, path)


class TestParseLength:
    def test_at_the_limit(self) -> None:
        """A text of MAX_PARSE_LENGTH characters is parsed."""
        text = "5 USD".ljust(MAX_PARSE_LENGTH)
        assert p2c.Money(Decimal(5), "USD") == p2c.Money.parse(text)

    @given(st.integers(MAX_PARSE_LENGTH + 1, 10 * MAX_PARSE_LENGTH))
    def test_beyond(self, length: int) -> None:
        """A longer text is text.too_long before any work on it."""
        assert [("text.too_long", "$", None, None)] == located(
            p2c.Money.parse, "1 " * (length // 2) + "1" * (length % 2)
        )

    def test_scaled_far_beyond(self) -> None:
        """Many digits times a trillion is value.out_of_range, exact until Money refuses it."""
        assert [("value.out_of_range", "$.amount", None, None)] == located(
            p2c.Money.parse, "9" * (MAX_PARSE_LENGTH - 20) + " trillion USD"
        )


class TestIssueLimit:
    def test_pledge_files(self) -> None:
        """A read stops at MAX_ISSUES issues and adds issues.limit."""
        issues = located(io.loads, "x\n" * (3 * io.MAX_ISSUES), format="jsonl")
        assert io.MAX_ISSUES + 1 == len(issues)
        assert ("issues.limit", "$", None, None) == issues[-1]

    @given(st.integers(1, 20))
    def test_max_issues(self, limit: int) -> None:
        """max_issues sets the limit: that many issues, then issues.limit."""
        issues = located(io.loads, "x\n" * 50, format="jsonl", max_issues=limit)
        assert ["json.syntax"] * limit + ["issues.limit"] == [issue[0] for issue in issues]

    @pytest.mark.parametrize(
        ("name", "content", "code"),
        [
            ("pledges.json", b'{"schema_version": "1.0", "pledges": [\xff]}', "file.encoding"),
            (
                "pledges.json",
                b'{"schema_version": "2.0", "pledges": []}',
                "schema_version.unsupported",
            ),
            ("pledges.jsonl", b"\xff\n", "file.encoding"),
            ("pledges.csv", b"\xff\n", "file.encoding"),
            ("pledges.csv", b"colour\nblue\n", "column.missing"),
            ("pledges.xlsx", b"not a workbook", "file.unreadable"),
        ],
    )
    @pytest.mark.parametrize("limit", [1, 2])
    def test_issues_before_the_first_pledge(
        self, tmp_path: Path, name: str, content: bytes, code: str, limit: int
    ) -> None:
        """An issue found before any pledge (the encoding, the version, the header) counts
        toward max_issues like any other, in every reader: the read's error, never the limit's
        own exception."""
        path = tmp_path / name
        path.write_bytes(content)
        kind = path.suffix[1:]
        reads: list[Any] = [
            lambda: p2c.load(path, max_issues=limit),
            lambda: list(p2c.iter_load(path, max_issues=limit)),
        ]
        if kind != "xlsx":
            reads.append(lambda: io.loads(content, kind, max_issues=limit))
        for read in reads:
            issues = [issue[0] for issue in located(read)]
            assert code == issues[0]
            assert len(issues) <= limit + 1
            if len(issues) > limit:
                assert "issues.limit" == issues[-1]

    def test_rate_files(self, tmp_path: Path) -> None:
        """A rate file stops at its MAX_ISSUES too, and says so."""
        path = rates(tmp_path, "currency,date,rate\n" + "EUR,2023-01-02,0\n" * 500)
        issues = located(fx.RateTable.from_csv, path)
        assert rate_csv.MAX_ISSUES + 1 == len(issues)
        assert "issues.limit" == issues[-1][0]


class TestJsonDepth:
    def test_document(self) -> None:
        """Nesting beyond the recursion limit is json.depth at its line, for any depth."""
        depth = 10 * sys.getrecursionlimit()
        text = '{"schema_version": "1.0",\n"pledges": [' + "[" * depth + "]" * depth + "]}"
        assert [("json.depth", "$", 2, None)] == located(io.loads, text)

    def test_lines(self) -> None:
        """In JSON Lines, json.depth names the line and the record."""
        depth = 10 * sys.getrecursionlimit()
        text = json.dumps(PLEDGE) + "\n" + "[" * depth + "]" * depth + "\n"
        assert [("json.depth", "$.pledges[1]", 2, None)] == located(io.loads, text, format="jsonl")

    def test_below_the_limit(self) -> None:
        """Nesting the decoder follows is read, and its values judged by the model."""
        nested = json.loads("[" * 50 + "]" * 50)
        assert [("value.type", "$.pledges[0].title", None, None)] == located(
            io.loads, envelope({**PLEDGE, "title": nested})
        )

    def test_data_package(self, tmp_path: Path) -> None:
        """A data package descriptor nested too deep is datapackage.invalid."""
        path = tmp_path / "datapackage.json"
        path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        assert [("datapackage.invalid", "$", None, None)] == located(p2c.load, path)


class TestJsonNumberDigits:
    def test_beyond_int_max_str_digits(self) -> None:
        """A JSON number longer than sys.get_int_max_str_digits() is value.out_of_range at its line."""
        digits = sys.get_int_max_str_digits() + 1
        text = '{"schema_version": "1.0", "pledges": [\n{"sdgs": [' + "1" * digits + "]}]}"
        assert [("value.out_of_range", "$", 2, None)] == located(io.loads, text)

    def test_at_the_limit(self) -> None:
        """A number of exactly that many digits is read, and judged as an SDG."""
        number = "1" * sys.get_int_max_str_digits()
        text = envelope(PLEDGE).replace('"announced_on"', f'"sdgs": [{number}], "announced_on"')
        assert [("sdg.range", "$.pledges[0].sdgs[0]", None, None)] == located(io.loads, text)

    def test_huge_float(self) -> None:
        """1e999999999 as a JSON number is a float (infinity), never a huge int: float money."""
        text = envelope(PLEDGE).replace('"155000000.00"', "1e999999999")
        assert [("value.float_money", "$.pledges[0].amount.amount", None, None)] == located(
            io.loads, text
        )


class TestRateBounds:
    @pytest.mark.parametrize("exponent", [-MAX_RATE_EXPONENT, MAX_RATE_EXPONENT])
    def test_at_the_limit(self, tmp_path: Path, exponent: int) -> None:
        """A rate of 1E±MAX_RATE_EXPONENT units per USD is read, its inverse exact."""
        path = rates(tmp_path, f"currency,date,rate\nEUR,2023-01-02,1E{exponent}\n")
        (rate,) = fx.RateTable.from_csv(path).rates()
        assert Decimal(f"1E{-exponent}") == rate.usd_per_unit

    @given(exponent=st.integers(MAX_RATE_EXPONENT + 1, 999_999_999), sign=st.sampled_from([1, -1]))
    def test_beyond_in_a_file(
        self, tmp_path_factory: pytest.TempPathFactory, exponent: int, sign: int
    ) -> None:
        """Beyond it, a rate cell is rate.not_number at its row and column."""
        path = rates(
            tmp_path_factory.mktemp("rates"),
            f"currency,date,rate\nEUR,2023-01-02,1E{sign * exponent}\n",
        )
        assert [("rate.not_number", "$", 2, "rate")] == located(fx.RateTable.from_csv, path)

    def test_beyond_in_code(self) -> None:
        """A rate given in code beyond the bounds is rate.invalid, not decimal.Overflow."""
        assert [("rate.invalid", "$.EUR.2023-01-02", None, None)] == located(
            fx.RateTable.from_mapping, {"EUR": {ON: Decimal("1E-999999999")}}
        )

    def test_digits_of_a_rate_used_as_given(self) -> None:
        """A rate used as given has at most RATE_PRECISION digits (its products stay exact)."""
        longest = Decimal("1." + "1" * (fx.RATE_PRECISION - 1))
        table = fx.RateTable.from_mapping({"EUR": {ON: longest}}, direction="usd_per_unit")
        assert longest == fx.to_usd(p2c.Money(Decimal(1), "EUR"), ON, table).rate
        assert [("rate.invalid", "$.EUR.2023-01-02", None, None)] == located(
            fx.RateTable.from_mapping,
            {"EUR": {ON: Decimal("1." + "1" * fx.RATE_PRECISION)}},
            direction="usd_per_unit",
        )
        with pytest.raises(ValueError, match="significant digits"):
            fx.fixed(Decimal("1." + "1" * fx.RATE_PRECISION))

    def test_rate_cell_length(self, tmp_path: Path) -> None:
        """A rate cell of more than MAX_RATE_LENGTH characters is rate.not_number."""
        cell = "0." + "1" * (rate_csv.MAX_RATE_LENGTH - 1)
        path = rates(tmp_path, f"currency,date,rate\nEUR,2023-01-02,{cell}\n")
        assert [("rate.not_number", "$", 2, "rate")] == located(fx.RateTable.from_csv, path)


class TestHugeArithmetic:
    def test_largest_amount_at_the_largest_rate(self, tmp_path: Path) -> None:
        """The largest amount at the largest rate is an exact USD value of any size, not InvalidOperation."""
        path = rates(tmp_path, f"currency,date,rate\nEUR,2023-01-02,1E-{MAX_RATE_EXPONENT}\n")
        conversion = fx.to_usd(
            p2c.Money(Decimal("9" * money.MAX_INTEGER_DIGITS), "EUR"),
            ON,
            fx.RateTable.from_csv(path),
        )
        assert (
            Decimal("9" * money.MAX_INTEGER_DIGITS).scaleb(MAX_RATE_EXPONENT)
            == conversion.usd.amount
        )

    @given(st.integers(-999_999_999, 999_999_999))
    def test_comparisons(self, exponent: int) -> None:
        """Comparing a Decimal of any exponent with the limits is structural, not a stall."""
        amount = Decimal(f"1E{exponent}")
        assert (amount >= Decimal(10) ** money.MAX_INTEGER_DIGITS) == (
            exponent >= money.MAX_INTEGER_DIGITS
        )


class TestUnitLength:
    def test_forty_characters_are_read(self) -> None:
        """A unit of exactly 40 characters is parsed, and fits its metric."""
        unit = "kilometers * meter / meter * inch / inch"
        assert 40 == len(unit)
        assert [] == units.check_unit(p2c.Metric.FIBRE_KM, unit)

    def test_forty_one_characters_are_refused(self) -> None:
        """The same kilometres in 41 characters are unit.unknown, refused before pint parses them."""
        unit = "kilometers * meters / meter * inch / inch"
        assert 41 == len(unit)
        before = units._unit_issues.cache_info().currsize
        issues = units.check_unit(p2c.Metric.FIBRE_KM, unit, path="$.targets[0].unit")
        assert [("unit.unknown", "$.targets[0].unit")] == [(i.code, i.path) for i in issues]
        assert before == units._unit_issues.cache_info().currsize
