"""Tests of rate tables read from mappings and CSV files, bad files, and the real IMF file."""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helpers import KES_TABLE as TABLE
from p2c_pledges import PledgeDataError, Severity, fx
from p2c_pledges.fx import RateLookupError, RateTable
from p2c_pledges.io._convert import DATE_SYNTAX, DECIMAL_SYNTAX, structure_date


IMF_FILE = (
    Path(__file__).parent.parent.parent / "shared" / "data" / "imf_exchangerates_A_ENDA_USD.csv"
)
needs_imf_file = pytest.mark.skipif(
    not IMF_FILE.exists(), reason="the IMF reference file is not beside the project"
)


def write(folder: Path, text: str | bytes, name: str = "rates.csv") -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def located(
    error: pytest.ExceptionInfo[PledgeDataError],
) -> list[tuple[str, int | None, str | None]]:
    return [(issue.code, issue.row, issue.column) for issue in error.value.issues]


class TestMapping:
    @pytest.mark.parametrize(
        "day",
        ["2022-06-09", dt.datetime(2022, 6, 9, 12, 0, tzinfo=dt.UTC), 20220609],
        ids=["str", "datetime", "int"],
    )
    def test_key_must_be_a_date(self, day: object) -> None:
        """A key that is not a datetime.date is date.invalid at once, not a TypeError at lookup."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_mapping({"KES": {day: Decimal(100)}})  # type: ignore[dict-item]
        assert ["date.invalid"] == caught.value.codes

    def test_every_problem_at_once(self) -> None:
        """An unknown currency, a float and a negative rate are reported together, with paths."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_mapping(
                {
                    "XYZ": {dt.date(2022, 6, 9): Decimal(1)},
                    "KES": {dt.date(2022, 6, 9): 116.9, dt.date(2022, 6, 10): Decimal(-1)},  # type: ignore[dict-item]
                }
            )
        assert [
            ("currency.unknown", "$.XYZ.2022-06-09"),
            ("rate.invalid", "$.KES.2022-06-09"),
            ("rate.invalid", "$.KES.2022-06-10"),
        ] == [(issue.code, issue.path) for issue in caught.value.issues]

    def test_directions_agree(self) -> None:
        """The same rate given in either direction gives the same table."""
        per_usd = RateTable.from_mapping({"GBP": {dt.date(2022, 6, 9): Decimal("0.8")}}, name="t")
        per_unit = RateTable.from_mapping(
            {"GBP": {dt.date(2022, 6, 9): Decimal("1.25")}}, name="t", direction="usd_per_unit"
        )
        assert [r.usd_per_unit for r in per_usd.rates()] == [
            r.usd_per_unit for r in per_unit.rates()
        ]


class TestCsvFiles:
    def test_every_bad_row_at_once(self, tmp_path: Path) -> None:
        """A file with several bad rows reports each, with its row and column."""
        path = write(
            tmp_path,
            "currency,date,rate\nKES,2022-06-09,116\nKES,2022-06-10,-1\nXYZ,2022-06-11,1\n"
            "KES,June 12,1\nKES,2022-06-13,n/a\n",
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        assert [
            ("rate.invalid", 3, "rate"),
            ("currency.unknown", 4, "currency"),
            ("date.invalid", 5, "date"),
            ("rate.not_number", 6, "rate"),
        ] == located(caught)
        assert {str(path)} == {issue.file for issue in caught.value.issues}

    def test_imf_columns_are_named(self, tmp_path: Path) -> None:
        """In the IMF layout a bad cell is located by the IMF column heading."""
        path = write(
            tmp_path,
            "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2022-12-31,-0.9,EUR,A,IMF,U2,Euro Area\n2022-12-31,1,EUR,Q,IMF,U2,Euro Area\n",
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        assert [("rate.invalid", 2, "Rate"), ("frequency.invalid", 3, "Frequency")] == located(
            caught
        )

    def test_imf_missing_column(self, tmp_path: Path) -> None:
        """An IMF file without Frequency names the missing column on row 1."""
        path = write(tmp_path, "Date,Rate,Currency,Source,Country code\n2022-12-31,1,EUR,IMF,U2\n")
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        assert [("column.missing", 1, "Frequency")] == located(caught)

    def test_row_with_extra_cells(self, tmp_path: Path) -> None:
        """A row longer than the header is row.length, not silently cut."""
        path = write(tmp_path, "currency,date,rate\nKES,2022-06-09,116,9\n")
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        assert [("row.length", 2, None)] == located(caught)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A file that is not UTF-8 is file.encoding, naming the file."""
        path = write(
            tmp_path,
            "currency,date,rate,source\nKES,2022-06-09,116,Banque de Fr\xe9\n".encode("latin-1"),
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        assert ["file.encoding"] == caught.value.codes
        assert str(path) == caught.value.issues[0].file

    def test_agreeing_duplicates_are_one_rate(self, tmp_path: Path) -> None:
        """Two rows with the same rate (written differently) are one rate, not a conflict."""
        path = write(tmp_path, "currency,date,rate\nKES,2022-06-09,116.9\nKES,2022-06-09,116.90\n")
        assert 1 == len(RateTable.from_csv(path))

    def test_issuer_row_decides(self, tmp_path: Path) -> None:
        """For a national currency used abroad the issuing country's row wins (GB for GBP)."""
        path = write(
            tmp_path,
            "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2022-12-31,0.81,GBP,A,IMF,GG,Guernsey\n2022-12-31,0.8116,GBP,A,IMF,GB,United Kingdom\n"
            "2022-12-31,0.81,GBP,A,IMF,JE,Jersey\n",
        )
        (rate,) = RateTable.from_csv(path).rates()
        assert "0.8116 GBP per USD" == rate.published

    def test_drop_lists_what_it_left_out(self, tmp_path: Path) -> None:
        """With invalid='drop' a conflict is left out and listed as a warning with its row."""
        path = write(
            tmp_path,
            "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2022-12-31,49.6,XPF,A,IMF,PF,French Polynesia\n2022-12-31,49.7,XPF,A,IMF,NC,New Caledonia\n"
            "2022-12-31,110,KES,A,IMF,KE,Kenya\n",
        )
        table = RateTable.from_csv(path, invalid="drop")
        assert (frozenset({"KES"}), [("rate.conflict", 3, Severity.WARNING)]) == (
            table.currencies(),
            [(issue.code, issue.row, issue.severity) for issue in table.dropped],
        )


RATES = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**6), places=4)
DAYS = st.dates(dt.date(2021, 12, 1), dt.date(2022, 2, 28))
POLICIES = st.one_of(
    st.just(fx.exact()),
    st.integers(0, 10).map(fx.on_or_before),
    st.just(fx.monthly_average()),
    st.just(fx.annual_average()),
)


class TestMappingAndCsvAgree:
    @given(
        st.dictionaries(
            st.sampled_from(["CHF", "JPY", "KES"]),
            st.dictionaries(DAYS, RATES, min_size=1, max_size=6),
            min_size=1,
        ),
        st.lists(
            st.tuples(st.sampled_from(["CHF", "JPY", "KES", "SEK"]), DAYS, POLICIES), max_size=8
        ),
    )
    def test_same_answers(
        self,
        rates: dict[str, dict[dt.date, Decimal]],
        questions: list[tuple[str, dt.date, fx.Policy]],
    ) -> None:
        """Tables from a mapping and from a CSV of the same rates answer every question alike."""
        with tempfile.TemporaryDirectory() as folder:
            lines = "".join(
                f"{currency},{day},{rate}\n"
                for currency, by_day in rates.items()
                for day, rate in by_day.items()
            )
            from_csv = RateTable.from_csv(
                write(Path(folder), "currency,date,rate\n" + lines), name="t"
            )
        from_mapping = RateTable.from_mapping(rates, name="t")
        for currency, on, policy in questions:
            answers = []
            for table in (from_mapping, from_csv):
                try:
                    answers.append(table.quote(currency, on, policy))
                except RateLookupError as error:
                    answers.append(error.issues[0].message)  # type: ignore[arg-type]
            assert answers[0] == answers[1]


@needs_imf_file
class TestImfFile:
    TABLE = RateTable.from_csv(IMF_FILE, invalid="drop") if IMF_FILE.exists() else None

    def raw(self, currency: str, day: str, country: str) -> Decimal:
        with IMF_FILE.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if (row["Currency"], row["Date"], row["Country code"]) == (currency, day, country):
                    return Decimal(row["Rate"])
        raise AssertionError(f"no row {currency} {day} {country}")

    @pytest.mark.parametrize(
        ("currency", "day", "country"),
        [
            ("EUR", "2022-12-31", "U2"),  # the Euro Area's row, not Andorra's or Montenegro's
            ("XOF", "1957-12-31", "7A"),  # WAEMU's row
            ("XAF", "2020-12-31", "5X"),  # CEMAC's row
            ("XCD", "1957-12-31", "5Y"),  # ECCU's row
            ("GBP", "1967-12-31", "GB"),  # the issuer's row, not Guernsey's
            ("USD", "1950-12-31", "US"),  # not Ecuador's pre-dollarization sucre
        ],
    )
    def test_duplicates_follow_the_rule(self, currency: str, day: str, country: str) -> None:
        """Each union currency takes the union's row, each other currency the issuer's row."""
        assert self.TABLE is not None
        on = dt.date.fromisoformat(day)
        quote = self.TABLE.quote(currency, on, fx.annual_average())
        assert fx.inverse(self.raw(currency, day, country)) == quote.usd_per_unit

    def test_only_undecidable_pairs_are_dropped(self) -> None:
        """What the drop leaves out is the unsettled history: XPF, YDD, and retired codes."""
        assert self.TABLE is not None
        conflicts = {issue.value for issue in self.TABLE.dropped if issue.code == "rate.conflict"}
        assert {"XPF", "YDD"} == conflicts

    def test_a_date_of_the_year_uses_the_annual_rate(self) -> None:
        """Any day of 2022 converts at the 2022 annual average, dated 2022-12-31, from the IMF."""
        assert self.TABLE is not None
        quote = self.TABLE.quote("KES", dt.date(2022, 3, 1), fx.annual_average())
        assert (dt.date(2022, 12, 31), "IMF", "annual_average") == (
            quote.rate_date,
            quote.source,
            quote.rule,
        )


class TestSamePledgeFileRules:
    """Rate files follow the pledge files' rules: one syntax of numbers and dates, no guessed columns."""

    @given(
        st.text(max_size=12)
        | st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,3})?(_[0-9])?", fullmatch=True)
    )
    def test_numbers_as_pledge_files_read_them(self, text: str) -> None:
        """A rate cell is a number exactly when the pledge readers would read it as one."""
        with tempfile.TemporaryDirectory() as folder:
            cell = '"' + text.replace('"', '""') + '"'
            path = write(Path(folder), f"currency,date,rate\nEUR,2023-01-02,{cell}\n")
            try:
                RateTable.from_csv(path)
                read = True
            except PledgeDataError as error:
                read = "rate.not_number" not in {issue.code for issue in error.issues}
        assert (DECIMAL_SYNTAX.fullmatch(text) is not None) == read

    @example("20230102")
    @example("2023-W01-1")
    @example(" 2023-01-02")
    @given(
        st.text(max_size=12)
        | st.dates().map(dt.date.isoformat)
        | st.dates().map(lambda day: day.strftime("%Y%m%d"))
    )
    def test_dates_as_pledge_files_read_them(self, text: str) -> None:
        """A rate date is read exactly when the pledge readers would read it (YYYY-MM-DD, a calendar day)."""
        with tempfile.TemporaryDirectory() as folder:
            cell = '"' + text.replace('"', '""') + '"'
            path = write(Path(folder), f"currency,date,rate\nEUR,{cell},0.8\n")
            try:
                RateTable.from_csv(path)
                read = True
            except PledgeDataError:
                read = False
        try:
            structure_date(text)
            expected = True
        except PledgeDataError:
            expected = False
        assert expected == read

    def test_one_declaration(self) -> None:
        """The rate reader and the pledge readers use the same expressions, not copies."""
        assert (DECIMAL_SYNTAX, DATE_SYNTAX) == (fx._csv.DECIMAL_SYNTAX, fx._csv.DATE_SYNTAX)
        assert DECIMAL_SYNTAX is fx._csv.DECIMAL_SYNTAX

    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("currency,date,rate,currency", [("column.duplicate", 1, "currency")]),
            ("currency,date,rate,rate", [("column.duplicate", 1, "rate")]),
            ("currency,date,rate,unit", [("column.unknown", 1, "unit")]),
            ("currency,date,rate,direction", [("column.unknown", 1, "direction")]),
            (
                "Date,Rate,Currency,Frequency,Source,Country code,Country,unit",
                [("column.unknown", 1, "unit")],
            ),
            ("Date,Rate,Currency,Frequency,Currency", [("column.duplicate", 1, "Currency")]),
        ],
    )
    def test_columns(
        self, tmp_path: Path, header: str, expected: list[tuple[str, int, str]]
    ) -> None:
        """A column named twice or one of no layout is an error on row 1 (the last one used to win, or it was ignored)."""
        width = header.count(",") + 1
        row = ",".join(["2023-01-02", "0.8", "EUR", "D", "IMF", "U2", "Euro Area", "1"][:width])
        if header.startswith("currency"):
            row = ",".join(["EUR", "2023-01-02", "0.8", "JPY"][:width])
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(write(tmp_path, f"{header}\n{row}\n"))
        assert expected == located(caught)

    def test_source_column_is_known(self, tmp_path: Path) -> None:
        """The simple layout's optional source column is read, not refused."""
        table = RateTable.from_csv(
            write(tmp_path, "currency,date,rate,source\nEUR,2023-01-02,0.8,Bank\n")
        )
        assert ["Bank"] == [rate.source for rate in table.rates()]


class TestRateTableCsv:
    def write(self, tmp_path: Path, text: str, name: str = "rates.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    def test_mapping_and_csv_agree(self, tmp_path: Path) -> None:
        """A table from a mapping and from a CSV of the same rates answer identically."""
        path = self.write(
            tmp_path, "currency,date,rate\nKES,2022-06-09,116.9\nKES,2022-06-30,117.8\n"
        )
        from_csv = RateTable.from_csv(path, name="rates given in code")
        for day in (dt.date(2022, 6, 9), dt.date(2022, 6, 12), dt.date(2022, 6, 30)):
            assert TABLE.quote("KES", day, fx.on_or_before()) == from_csv.quote(
                "KES", day, fx.on_or_before()
            )

    @given(
        st.dictionaries(
            st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
            st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10**6), places=4),
            min_size=1,
            max_size=5,
        )
    )
    def test_mapping_and_csv_agree_generated(self, rates: dict[dt.date, Decimal]) -> None:
        """Generated rates read the same from code and from CSV."""
        import tempfile  # noqa: PLC0415 - Hypothesis and tmp_path do not mix

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "r.csv"
            path.write_text(
                "currency,date,rate\n" + "".join(f"CHF,{d},{r}\n" for d, r in rates.items()),
                encoding="utf-8",
            )
            from_csv = RateTable.from_csv(path, name="x")
        from_mapping = RateTable.from_mapping({"CHF": rates}, name="x")
        assert sorted(from_mapping.rates(), key=lambda r: r.start) == sorted(
            from_csv.rates(), key=lambda r: r.start
        )

    @pytest.mark.parametrize(
        ("row", "code", "column"),
        [
            ("KES,2022-06-09,-1", "rate.invalid", "rate"),
            ("KES,2022-06-09,0", "rate.invalid", "rate"),
            ("KES,2022-06-09,abc", "rate.not_number", "rate"),
            ("KES,2022-06-09,1e999999999", "rate.not_number", "rate"),
            ("XYZ,2022-06-09,1", "currency.unknown", "currency"),
            ("kes,2022-06-09,1", "currency.unknown", "currency"),
            ("KES,2022-02-30,1", "date.invalid", "date"),
        ],
    )
    def test_bad_rows_are_located(self, tmp_path: Path, row: str, code: str, column: str) -> None:
        """A bad cell fails with the file, the row and the column."""
        path = self.write(tmp_path, f"currency,date,rate\nKES,2022-06-08,116\n{row}\n")
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        (issue,) = caught.value.issues
        assert (code, str(path), 3, column) == (issue.code, issue.file, issue.row, issue.column)

    def test_missing_column(self, tmp_path: Path) -> None:
        """A header without the rate column names it."""
        path = self.write(tmp_path, "currency,date\nKES,2022-06-09\n")
        with pytest.raises(PledgeDataError, match="'rate'") as caught:
            RateTable.from_csv(path)
        assert ["column.missing"] == caught.value.codes

    def test_conflicting_duplicates(self, tmp_path: Path) -> None:
        """Two different rates of a currency on one day, with no deciding row, conflict."""
        path = self.write(
            tmp_path,
            "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2022-12-31,2.5,XCD,A,IMF,AG,Antigua\n2022-12-31,2.7,XCD,A,IMF,DM,Dominica\n",
        )
        with pytest.raises(PledgeDataError, match="rows 2 and 3") as caught:
            RateTable.from_csv(path)
        assert ["rate.conflict"] == caught.value.codes

    def test_rates_that_differ_past_28_digits_conflict(self, tmp_path: Path) -> None:
        """Two rates are compared as published, not by their rounded US-dollar inverses."""
        path = self.write(
            tmp_path,
            "currency,date,rate\n"
            "CHF,2020-03-06,3.0000000000000000000000000000001\n"
            "CHF,2020-03-06,3.0000000000000000000000000000002\n",
        )
        with pytest.raises(PledgeDataError, match="rows 2 and 3") as caught:
            RateTable.from_csv(path)
        assert ["rate.conflict"] == caught.value.codes

    def test_the_same_number_written_twice_is_one_rate(self, tmp_path: Path) -> None:
        path = self.write(
            tmp_path, "currency,date,rate\nCHF,2020-03-06,1.20\nCHF,2020-03-06,1.2\n"
        )
        assert len(RateTable.from_csv(path)) == 1

    def test_union_row_decides(self, tmp_path: Path) -> None:
        """The union's own row (an IMF aggregate code) decides between member rows."""
        path = self.write(
            tmp_path,
            "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
            "2022-12-31,0.951,EUR,A,IMF,ME,Montenegro\n2022-12-31,0.9496,EUR,A,IMF,U2,Euro Area\n",
        )
        quote = RateTable.from_csv(path).quote("EUR", dt.date(2022, 6, 9), fx.annual_average())
        assert "0.9496 EUR per USD" == next(RateTable.from_csv(path).rates()).published
        assert (dt.date(2022, 1, 1), dt.date(2022, 12, 31)) == quote.period

    def test_bom_is_accepted(self, tmp_path: Path) -> None:
        """A UTF-8 BOM (Excel's export) reads like no BOM."""
        path = tmp_path / "bom.csv"
        path.write_bytes(b"\xef\xbb\xbfcurrency,date,rate\nKES,2022-06-09,116.9\n")
        assert 1 == len(RateTable.from_csv(path))

    @pytest.mark.skipif(
        not IMF_FILE.exists(), reason="the IMF reference file is not beside the project"
    )
    def test_real_imf_file(self) -> None:
        """The real IMF annual file reads with invalid='drop', listing what it left out."""
        table = RateTable.from_csv(IMF_FILE, invalid="drop")
        assert {"rate.conflict", "currency.unknown"} == {issue.code for issue in table.dropped}
        quote = table.quote("KES", dt.date(2022, 6, 9), fx.annual_average())
        assert (dt.date(2022, 12, 31), "IMF") == (quote.rate_date, quote.source)
        with pytest.raises(PledgeDataError):
            RateTable.from_csv(IMF_FILE)


ON = dt.date(2022, 6, 9)


def given_rate(
    usd_per_unit: object,
    *,
    currency: object = "KES",
    start: object = ON,
    source: str = "CBK",
    frequency: str = "D",
) -> fx.ExchangeRate:
    """An ExchangeRate as a caller without type checking may build it."""
    return fx.ExchangeRate(
        currency=currency,  # type: ignore[arg-type]
        start=start,  # type: ignore[arg-type]
        end=start,  # type: ignore[arg-type]
        usd_per_unit=usd_per_unit,  # type: ignore[arg-type]
        source=source,
        frequency=frequency,  # type: ignore[arg-type]
    )


class TestFromRates:
    """A table of ExchangeRate objects is checked by the rules of every table (it used to take anything)."""

    @pytest.mark.parametrize(
        "usd_per_unit",
        [
            0.0085,
            Decimal("-0.0085"),
            Decimal(0),
            Decimal("NaN"),
            Decimal("Infinity"),
            1,
            True,
            "0.0085",
            Decimal("0." + "1234567" * 10),
            Decimal("1E-31"),
        ],
        ids=[
            "float",
            "negative",
            "zero",
            "nan",
            "infinity",
            "int",
            "bool",
            "str",
            "70 digits",
            "tiny",
        ],
    )
    def test_a_bad_rate_is_refused(self, usd_per_unit: object) -> None:
        """A rate that is not a positive, finite Decimal within the bounds is rate.invalid, with its position."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_rates([given_rate(Decimal("0.0085")), given_rate(usd_per_unit)])
        assert [("rate.invalid", "$[1].usd_per_unit")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]

    @pytest.mark.parametrize(
        ("currency", "code"),
        [
            ("kes", "currency.unknown"),
            ("XYZ", "currency.unknown"),
            (None, "currency.unknown"),
            ("XAU", "currency.not_money"),
            ("XXX", "currency.not_money"),
            ("USD", "rate.invalid"),
        ],
    )
    def test_a_bad_currency_is_refused(self, currency: object, code: str) -> None:
        """A code no conversion would ask a table for is refused, as from_mapping and CSV files refuse it."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_rates([given_rate(Decimal("0.0085"), currency=currency)])
        assert [(code, "$[0].currency", currency)] == [
            (issue.code, issue.path, issue.value) for issue in caught.value.issues
        ]

    def test_every_problem_at_once(self) -> None:
        """Every bad rate of the list is reported together, each located by its position."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_rates(
                [
                    given_rate(0.0085),
                    given_rate(Decimal("0.0085"), currency="kes"),
                    given_rate(Decimal("0.0085"), start="2022-06-09"),
                    given_rate(Decimal("0.0085"), frequency="Q"),
                    given_rate(Decimal("0.0085")),
                ]
            )
        assert [
            ("rate.invalid", "$[0].usd_per_unit"),
            ("currency.unknown", "$[1].currency"),
            ("date.invalid", "$[2].start"),
            ("date.invalid", "$[2].end"),
            ("frequency.invalid", "$[3].frequency"),
        ] == [(issue.code, issue.path) for issue in caught.value.issues]
        assert "float" in caught.value.issues[0].message

    def test_two_rates_of_one_day_conflict(self) -> None:
        """Two different rates of a currency and day are rate.conflict naming both, not "the last one wins"."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_rates(
                [
                    given_rate(Decimal("0.0085"), source="CBK"),
                    given_rate(Decimal("0.0090"), source="other"),
                ]
            )
        (issue,) = caught.value.issues
        assert ("rate.conflict", "$[1]", "KES") == (issue.code, issue.path, issue.value)
        for part in ("2022-06-09", "positions 0 and 1", "0.0085", "0.0090", "'CBK'", "'other'"):
            assert part in issue.message

    def test_the_same_rate_twice_is_one_rate(self) -> None:
        """The same number given twice for a day is one rate, the first given, as in a CSV file."""
        table = RateTable.from_rates(
            [
                given_rate(Decimal("0.0085"), source="CBK"),
                given_rate(Decimal("0.00850"), source="b"),
            ]
        )
        assert ["CBK"] == [rate.source for rate in table.rates()]

    def test_the_table_constructor_checks_too(self) -> None:
        """RateTable(rates, name=...) checks as from_rates does."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable([given_rate(0.0085)], name="t")
        assert ["rate.invalid"] == caught.value.codes

    @pytest.mark.parametrize(
        ("currency", "code"),
        [("USD", "rate.invalid"), ("XAU", "currency.not_money"), ("kes", "currency.unknown")],
    )
    def test_from_mapping_has_the_same_rule(self, currency: str, code: str) -> None:
        """A mapping's currency is checked by the same rule as the objects' and the CSV files'."""
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_mapping({currency: {ON: Decimal("1.01")}})
        assert [(code, f"$.{currency}.2022-06-09")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]


IMF_HEADER = "Date,Rate,Currency,Frequency,Source,Country code,Country\n"


class TestUnionRows:
    """Only the IMF's code of a currency's union settles its duplicates (any non-country code used to)."""

    @pytest.mark.parametrize("code", ["de", "DEU", "ZZ", "EU", "XK", "R1"])
    def test_a_code_that_is_not_the_union_does_not_decide(self, tmp_path: Path, code: str) -> None:
        """A lowercase, alpha-3, unknown, reserved (EU) or other aggregate code is a member row: the rows conflict."""
        path = write(
            tmp_path,
            IMF_HEADER
            + f"2020-12-31,0.95,EUR,A,IMF,{code},Somewhere\n2020-12-31,0.90,EUR,A,IMF,FR,France\n",
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        assert [("rate.conflict", 3, "Rate")] == located(caught)

    def test_the_union_of_another_currency_does_not_decide(self, tmp_path: Path) -> None:
        """The euro area's row decides for EUR only, not for the CFA franc."""
        path = write(
            tmp_path,
            IMF_HEADER
            + "2020-12-31,575,XOF,A,IMF,U2,Euro Area\n2020-12-31,576,XOF,A,IMF,SN,Senegal\n",
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        assert ["rate.conflict"] == caught.value.codes

    @pytest.mark.parametrize(
        ("currency", "union"), [("EUR", "U2"), ("XOF", "7A"), ("XAF", "5X"), ("XCD", "5Y")]
    )
    def test_each_union_decides_for_its_currency(
        self, tmp_path: Path, currency: str, union: str
    ) -> None:
        """The four unions the docs name decide for their own currency."""
        path = write(
            tmp_path,
            IMF_HEADER
            + f"2020-12-31,2.5,{currency},A,IMF,AG,A member\n"
            + f"2020-12-31,2.7,{currency},A,IMF,{union},The union\n",
        )
        (rate,) = RateTable.from_csv(path).rates()
        assert f"2.7 {currency} per USD" == rate.published

    def test_an_average_conflict_names_the_rows_date(self, tmp_path: Path) -> None:
        """The conflict of annual rows names their date (1950-12-31), not the year's first day."""
        path = write(
            tmp_path,
            IMF_HEADER
            + "1950-12-31,49.6,XPF,A,IMF,PF,French Polynesia\n"
            + "1950-12-31,49.7,XPF,A,IMF,NC,New Caledonia\n",
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        (issue,) = caught.value.issues
        assert issue.message.startswith("XPF on 1950-12-31 has different rates in rows 2 and 3")

    def test_monthly_rows_of_two_dates_name_both(self, tmp_path: Path) -> None:
        """Two monthly rows of one month dated differently are named by both their dates."""
        path = write(
            tmp_path,
            IMF_HEADER
            + "2022-06-30,49.6,XPF,M,IMF,PF,French Polynesia\n"
            + "2022-06-15,49.7,XPF,M,IMF,NC,New Caledonia\n",
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        (issue,) = caught.value.issues
        assert issue.message.startswith("XPF on 2022-06-15 and 2022-06-30 has different rates")

    def test_the_rule_is_declared_once(self) -> None:
        """The union codes are one mapping of the reader, and the docs name each of them."""
        docs = (Path(__file__).parent.parent / "docs" / "currency.md").read_text(encoding="utf-8")
        for code, currency in fx._csv.UNIONS.items():
            assert f"`{code}`" in docs
            assert currency in docs


class TestNotMoneyRows:
    @pytest.mark.parametrize(
        ("row", "code", "value"),
        [
            ("USD,2022-06-09,1.01", "rate.invalid", "USD"),
            ("XAU,2022-06-09,0.0005", "currency.not_money", "XAU"),
            ("XXX,2022-06-09,1", "currency.not_money", "XXX"),
        ],
    )
    def test_simple_layout_refuses_codes_no_conversion_asks_for(
        self, tmp_path: Path, row: str, code: str, value: str
    ) -> None:
        """A USD row (USD converts by identity) or a code Money refuses fails with file, row, column and value."""
        path = write(tmp_path, f"currency,date,rate\nKES,2022-06-08,116\n{row}\n")
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path)
        (issue,) = caught.value.issues
        assert (code, str(path), 3, "currency", value) == (
            issue.code,
            issue.file,
            issue.row,
            issue.column,
            issue.value,
        )

    def test_imf_layout_reads_usd_rows(self, tmp_path: Path) -> None:
        """The IMF layout's USD rows (dollarized countries) stay readable for the duplicate rule."""
        path = write(
            tmp_path,
            IMF_HEADER + "2020-12-31,1,USD,A,IMF,US,United States\n"
            "2020-12-31,1.1,USD,A,IMF,EC,Ecuador\n",
        )
        (rate,) = RateTable.from_csv(path).rates()
        assert "1 USD per USD" == rate.published


class TestIssueLimit:
    @pytest.mark.parametrize("invalid", ["raise", "drop"])
    def test_a_failing_file_stops_at_the_limit(self, tmp_path: Path, invalid: str) -> None:
        """Issues that drop cannot leave out stop the read at MAX_ISSUES in both modes, not at the file's end.

        The bytes past the rows read are not UTF-8: a read that went on would fail on them.
        """
        limit = fx._csv.MAX_ISSUES
        bad = "".join(f'KES,2022-06-09,"1{n},5"\n' for n in range(limit + 50))
        good = "".join(
            f"KES,{dt.date(1950, 1, 1) + dt.timedelta(days=n)},116.9\n" for n in range(20_000)
        )
        path = write(
            tmp_path, ("currency,date,rate\n" + bad + good).encode() + b"KES,2022-06-10,\xff\n"
        )
        with pytest.raises(PledgeDataError) as caught:
            RateTable.from_csv(path, invalid=invalid)  # type: ignore[arg-type]
        assert ["rate.not_number"] * limit + ["issues.limit"] == caught.value.codes

    def test_rows_drop_can_leave_out_do_not_stop_the_read(self, tmp_path: Path) -> None:
        """With drop, more than MAX_ISSUES rows of unknown currencies are each left out and listed."""
        count = fx._csv.MAX_ISSUES + 50
        rows = "".join(
            f"XYZ,{dt.date(2000, 1, 1) + dt.timedelta(days=n)},1\n" for n in range(count)
        )
        path = write(tmp_path, "currency,date,rate\n" + rows + "KES,2022-06-09,116.9\n")
        table = RateTable.from_csv(path, invalid="drop")
        assert (count, frozenset({"KES"})) == (len(table.dropped), table.currencies())
