"""Tests of the bundled sources: the ECB file read as Decimal text, and the legal pegs."""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import zipfile
from decimal import Decimal
from importlib.resources import files

import pytest
from currency_converter import CURRENCY_FILE
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import Money, fx
from p2c_pledges.fx import RateLookupError
from p2c_pledges.money import is_currency


BUNDLED = fx.bundled_rates()
PEGS = json.loads((files("p2c_pledges") / "data" / "pegs.json").read_text("utf-8"))
EUR_PEGS = sorted(peg["currency"] for peg in PEGS["pegs"] if peg["anchor"] == "EUR")
USD_PEGS = sorted(peg["currency"] for peg in PEGS["pegs"] if peg["anchor"] == "USD")
RATE_CONTEXT = decimal.Context(prec=fx.RATE_PRECISION, rounding=decimal.ROUND_HALF_EVEN)


def ecb_rows() -> tuple[list[str], list[list[str]]]:
    with zipfile.ZipFile(CURRENCY_FILE) as archive:
        lines = archive.read("eurofxref-hist.csv").decode("utf-8").splitlines()
    return lines[0].split(","), [line.split(",") for line in lines[1:]]


HEADER, ROWS = ecb_rows()


class TestEcb:
    def test_every_currency_is_iso(self) -> None:
        """Every currency of the ECB table is an ISO 4217 code that babel knows."""
        assert [] == [
            code for code in sorted(fx.ecb_rates().currencies()) if not is_currency(code)
        ]

    @given(st.sampled_from(ROWS), st.sampled_from([h for h in HEADER[1:] if h not in {"", "USD"}]))
    def test_cross_rate_from_the_text(self, row: list[str], currency: str) -> None:
        """Each rate is (USD per EUR) / (X per EUR) of the file's own digits, to 28 digits."""
        usd, own = row[HEADER.index("USD")], row[HEADER.index(currency)]
        on = dt.date.fromisoformat(row[0])
        if "N/A" in {usd, own} or "" in {usd, own}:
            with pytest.raises(RateLookupError):
                fx.ecb_rates().quote(currency, on, fx.exact())
            return
        expected = RATE_CONTEXT.divide(Decimal(usd), Decimal(own))
        assert expected == fx.ecb_rates().quote(currency, on, fx.exact()).usd_per_unit

    @pytest.mark.parametrize(
        ("currency", "last"),
        [
            ("RUB", dt.date(2022, 3, 1)),
            ("HRK", dt.date(2022, 12, 30)),
            ("BGN", dt.date(2025, 12, 31)),
        ],
    )
    def test_stopped_currency_ends_with_its_data(self, currency: str, last: dt.date) -> None:
        """A currency the ECB stopped ends on its last day in the ECB series: a week later is a fallback, then an error."""
        ecb = fx.ecb_rates()
        assert last == ecb.latest(currency)
        within = fx.to_usd(Money(Decimal(1), currency), last + dt.timedelta(days=7), ecb)
        assert (last, True) == (within.rate_date, within.fallback)
        with pytest.raises(RateLookupError, match=f"nearest earlier date: {last}") as caught:
            fx.to_usd(Money(Decimal(1), currency), last + dt.timedelta(days=8), ecb)
        assert ["rate.missing"] == caught.value.codes


class TestEcbLazy:
    @given(
        currency=st.sampled_from(sorted(fx.ecb_rates().currencies())),
        on=st.dates(dt.date(1999, 1, 1), dt.date(2026, 12, 31)),
    )
    def test_lazy_table_answers_as_an_eager_one(self, currency: str, on: dt.date) -> None:
        """The ECB table, built per currency on first use, answers as a table built at once."""
        lazy = fx.ecb_rates()
        eager = _EAGER_ECB()
        policy = fx.on_or_before(7)
        try:
            expected = eager.quote(currency, on, policy)
        except RateLookupError as error:
            with pytest.raises(RateLookupError) as caught:
                lazy.quote(currency, on, policy)
            assert error.codes == caught.value.codes
        else:
            assert expected == lazy.quote(currency, on, policy)
        assert (eager.earliest(currency), eager.latest(currency)) == (
            lazy.earliest(currency),
            lazy.latest(currency),
        )


@functools.cache
def _EAGER_ECB() -> fx.RateTable:  # noqa: N802 - a constant, made once
    return fx.RateTable.from_rates(fx.ecb_rates().rates(), name=fx.ecb_rates().name)


class TestPegData:
    def test_file_has_provenance(self) -> None:
        """The pegs file carries its source and as-of date, like the other data files."""
        assert ({"source", "as_of", "pegs"}, True) == (
            set(PEGS),
            bool(dt.date.fromisoformat(PEGS["as_of"])),
        )

    @pytest.mark.parametrize("peg", PEGS["pegs"], ids=lambda peg: peg["currency"])
    def test_each_peg_is_complete(self, peg: dict[str, str]) -> None:
        """Each peg names an ISO currency, USD or an ECB currency as anchor, a start date and its legal source."""
        anchors = fx.ecb_rates().currencies() | {"USD"}
        assert (True, True) == (is_currency(peg["currency"]), peg["anchor"] in anchors)
        assert Decimal(peg["units"]) > 0
        assert Decimal(peg["anchor_units"]) > 0
        assert dt.date.fromisoformat(peg["start"]) <= dt.date.fromisoformat(PEGS["as_of"])
        assert len(peg["source"]) > 20

    def test_issue_pegs_are_there(self) -> None:
        """The pegs that issue 3 names are all bundled."""
        named = {"XOF", "XAF", "KMF", "BAM", "CVE", "AED", "SAR", "QAR", "OMR", "BHD", "JOD"}
        named |= {"XCD", "BSD", "BBD", "PAB", "DJF"}
        assert set() == named - set(EUR_PEGS) - set(USD_PEGS)


class TestPegs:
    @pytest.mark.parametrize("currency", USD_PEGS)
    def test_usd_peg_from_its_start(self, currency: str) -> None:
        """A USD peg answers its parity from its start date, and not the day before."""
        (peg,) = [p for p in PEGS["pegs"] if p["currency"] == currency]
        start = dt.date.fromisoformat(peg["start"])
        quote = fx.pegged_rates().quote(currency, start, fx.exact())
        expected = RATE_CONTEXT.divide(Decimal(peg["anchor_units"]), Decimal(peg["units"]))
        assert (expected, False) == (quote.usd_per_unit, quote.fallback)
        with pytest.raises(RateLookupError, match=f"nearest later date: {start}"):
            fx.pegged_rates().quote(currency, start - dt.timedelta(days=1), fx.exact())

    @pytest.mark.parametrize("currency", EUR_PEGS)
    def test_euro_peg_on_a_sunday(self, currency: str) -> None:
        """A euro peg on a Sunday takes Friday's EUR rate and records the fallback."""
        (peg,) = [p for p in PEGS["pegs"] if p["currency"] == currency]
        quote = BUNDLED.quote(currency, dt.date(2022, 6, 12), fx.on_or_before())
        with decimal.localcontext(decimal.Context(prec=60)):
            exact = Decimal("1.0578") * Decimal(peg["anchor_units"])
        expected = RATE_CONTEXT.divide(exact, Decimal(peg["units"]))
        assert (expected, dt.date(2022, 6, 10), True) == (
            quote.usd_per_unit,
            quote.rate_date,
            quote.fallback,
        )

    def test_cfp_franc_is_exact(self) -> None:
        """1 000 XPF = 8.38 EUR: the USD rate is the EUR rate times 0.00838, with no rounding."""
        quote = BUNDLED.quote("XPF", dt.date(2022, 6, 10), fx.exact())
        assert Decimal("1.0578") * Decimal("0.00838") == quote.usd_per_unit


LEGACY = json.loads((files("p2c_pledges") / "data" / "legacy_euro.json").read_text("utf-8"))


class TestEuroLegacy:
    @pytest.mark.parametrize(
        ("currency", "on", "rate", "regulation"),
        [
            ("BGN", dt.date(2026, 6, 1), "1.95583", "conversion rate to the euro for Bulgaria"),
            ("HRK", dt.date(2024, 6, 3), "7.53450", "2022/1208"),
        ],
    )
    def test_converts_through_the_euro(
        self, currency: str, on: dt.date, rate: str, regulation: str
    ) -> None:
        """1,000 of a legacy currency converts as 1,000 / rate euros, the regulation named."""
        conversion = fx.to_usd(Money(Decimal(1000), currency), on, BUNDLED)
        euro = fx.to_usd(Money(Decimal(1000), "EUR"), on, BUNDLED)
        assert euro.rate_date == conversion.rate_date
        assert abs(conversion.usd_exact - euro.usd_exact / Decimal(rate)) < Decimal("1E-20")
        assert (True, True) == (regulation in conversion.source, rate in conversion.source)

    def test_before_adoption_the_own_series_answers(self) -> None:
        """BGN on 2025-06-02, before the euro, converts at its own ECB rate."""
        conversion = fx.to_usd(Money(Decimal(1000), "BGN"), dt.date(2025, 6, 2), BUNDLED)
        assert conversion.source.startswith("ECB euro reference rates")
        assert fx.ecb_rates().quote("BGN", dt.date(2025, 6, 2), fx.exact()).usd_per_unit == (
            conversion.rate
        )

    def test_no_rate_before_the_ecb_is_an_error_naming_the_adoption(self) -> None:
        """DEM before 1999 has no source: the error names its adoption day."""
        with pytest.raises(RateLookupError, match="DEM joined the euro on 1999-01-01") as caught:
            fx.to_usd(Money(Decimal(1), "DEM"), dt.date(1998, 6, 1), BUNDLED)
        assert ["rate.missing"] == caught.value.codes

    def test_every_member_is_there(self) -> None:
        """Every legacy currency of the euro area is in the file, EUR-anchored, with its regulation."""
        named = {"BEF", "DEM", "ESP", "FRF", "IEP", "ITL", "LUF", "NLG", "ATS", "PTE", "FIM"}
        named |= {"GRD", "SIT", "CYP", "MTL", "SKK", "EEK", "LVL", "LTL", "HRK", "BGN"}
        entries = {entry["currency"]: entry for entry in LEGACY["pegs"]}
        assert named == set(entries)
        assert all(e["anchor"] == "EUR" and "2866/98" in e["source"] for e in entries.values())

    @given(st.dates(dt.date(2023, 1, 1), dt.date(2026, 10, 30)))
    def test_hrk_is_always_the_euro_over_the_rate(self, on: dt.date) -> None:
        """On any day after adoption, HRK's USD rate is EUR's divided by 7.53450, or both fail alike."""
        try:
            euro = BUNDLED.quote("EUR", on, fx.on_or_before())
        except RateLookupError:
            with pytest.raises(RateLookupError):
                BUNDLED.quote("HRK", on, fx.on_or_before())
            return
        kuna = BUNDLED.quote("HRK", on, fx.on_or_before())
        assert (euro.rate_date, euro.fallback) == (kuna.rate_date, kuna.fallback)
        assert abs(kuna.usd_per_unit * Decimal("7.53450") - euro.usd_per_unit) < Decimal("1E-20")


class TestNewPegs:
    @pytest.mark.parametrize(
        ("currency", "usd_per_unit", "words"),
        [
            ("XCG", Decimal(1) / Decimal("1.79"), "Curacao"),
            ("BZD", Decimal("0.5"), "Belize"),
            ("KYD", Decimal("1.2"), "Cayman"),
        ],
    )
    def test_usd_pegs(self, currency: str, usd_per_unit: Decimal, words: str) -> None:
        """XCG, BZD and KYD convert on 2026-06-01 at their parity, naming the legal source."""
        conversion = fx.to_usd(Money(Decimal(1), currency), dt.date(2026, 6, 1), BUNDLED)
        assert abs(usd_per_unit - conversion.rate) < Decimal("1E-25")
        assert words in conversion.source

    @pytest.mark.parametrize(
        ("currency", "anchor", "units"),
        [("NAD", "ZAR", "1"), ("BTN", "INR", "1"), ("NPR", "INR", "1.6"), ("MOP", "HKD", "1.03")],
    )
    def test_chained_pegs_go_through_their_anchor(
        self, currency: str, anchor: str, units: str
    ) -> None:
        """NAD, BTN and NPR convert through the ECB's ZAR and INR, and the source names both."""
        on = dt.date(2026, 6, 1)
        conversion = fx.to_usd(Money(Decimal(1), currency), on, BUNDLED)
        through = fx.to_usd(Money(Decimal(1), anchor), on, BUNDLED)
        assert abs(through.rate / Decimal(units) - conversion.rate) < Decimal("1E-25")
        assert (True, True) == (
            f"per 1 {anchor}" in conversion.source,
            "through ECB euro reference rates" in conversion.source,
        )

    def test_ang_ends_when_xcg_took_over(self) -> None:
        """ANG converts until 2025-06-30 and not after; XCG from 2025-03-31."""
        assert fx.to_usd(Money(Decimal(1), "ANG"), dt.date(2025, 6, 30), BUNDLED).usd_exact
        with pytest.raises(RateLookupError, match="until 2025-06-30"):
            fx.to_usd(Money(Decimal(1), "ANG"), dt.date(2025, 7, 1), BUNDLED)
        with pytest.raises(RateLookupError, match="holds from 2025-03-31"):
            fx.to_usd(Money(Decimal(1), "XCG"), dt.date(2025, 3, 30), BUNDLED)


class TestEcbSeries:
    def test_eur_on_a_weekday(self) -> None:
        """EUR 155,000,000 on 2022-06-09 converts at that day's ECB rate, without fallback."""
        conversion = fx.to_usd(Money(Decimal(155_000_000), "EUR"), dt.date(2022, 6, 9), BUNDLED)
        assert (Decimal("1.0743"), dt.date(2022, 6, 9), False) == (
            conversion.rate,
            conversion.rate_date,
            conversion.fallback,
        )
        assert Money(Decimal("166516500.00"), "USD") == conversion.usd
        assert conversion.source.startswith("ECB euro reference rates")
        assert "on_or_before(7)" == conversion.rule

    def test_sunday_uses_friday(self) -> None:
        """On a Sunday the Friday rate is used and the fallback recorded."""
        conversion = fx.to_usd(Money(Decimal(155_000_000), "EUR"), dt.date(2022, 6, 12), BUNDLED)
        assert (dt.date(2022, 6, 10), True) == (conversion.rate_date, conversion.fallback)

    def test_exact_refuses_a_sunday(self) -> None:
        """The exact policy refuses a day without a rate, naming the nearest dates."""
        with pytest.raises(
            RateLookupError,
            match="nearest earlier date: 2022-06-10, nearest later date: 2022-06-13",
        ):
            fx.to_usd(Money(Decimal(1), "EUR"), dt.date(2022, 6, 12), BUNDLED, fx.exact())

    def test_rub_ended(self) -> None:
        """RUB after the ECB stopped is an error naming 2022-03-01 as the last known date."""
        with pytest.raises(RateLookupError, match="nearest earlier date: 2022-03-01") as caught:
            fx.to_usd(Money(Decimal(1), "RUB"), dt.date(2024, 1, 4), BUNDLED)
        assert ["rate.missing"] == caught.value.codes

    def test_kes_unknown_to_every_source(self) -> None:
        """KES, which no bundled source knows, is an error naming KES."""
        with pytest.raises(RateLookupError, match="no rate source knows KES") as caught:
            fx.to_usd(Money(Decimal(1), "KES"), dt.date(2022, 6, 9), BUNDLED)
        assert ["rate.no_source"] == caught.value.codes

    def test_cross_rate(self) -> None:
        """A currency's USD rate is USD per EUR over units per EUR, exact to 28 digits."""
        quote = fx.ecb_rates().quote("JPY", dt.date(2022, 6, 9), fx.exact())
        (rate,) = [
            r for r in fx.ecb_rates().rates() if r.currency == "JPY" and r.start == quote.rate_date
        ]
        assert rate.published is not None
        per_eur = Decimal(rate.published.split()[0])
        with decimal.localcontext(decimal.Context(prec=28)):
            assert Decimal("1.0743") / per_eur == quote.usd_per_unit

    def test_loaded_once(self) -> None:
        """The ECB table is read once."""
        assert fx.ecb_rates() is fx.ecb_rates()


class TestPegParities:
    def test_xof_through_eur(self) -> None:
        """XOF is answered through the EUR rate of the day at 655.957 per EUR."""
        quote = BUNDLED.quote("XOF", dt.date(2022, 6, 12), fx.on_or_before())
        with decimal.localcontext(decimal.Context(prec=28)):
            assert Decimal("1.0578") / Decimal("655.957") == quote.usd_per_unit
        assert (dt.date(2022, 6, 10), True) == (quote.rate_date, quote.fallback)
        assert "655.957 XOF per 1 EUR" in quote.source

    def test_usd_peg(self) -> None:
        """SAR is 3.75 per USD every day, without fallback."""
        quote = fx.pegged_rates().quote("SAR", dt.date(2022, 6, 12), fx.on_or_before())
        assert (Decimal(1) / Decimal("3.75"), False) == (quote.usd_per_unit, quote.fallback)

    def test_before_the_peg(self) -> None:
        """Before its start date a peg answers nothing."""
        with pytest.raises(RateLookupError, match="holds from 1998-01-01"):
            fx.pegged_rates().quote("AED", dt.date(1990, 1, 1), fx.on_or_before())


_LAST_ECB_DAY = fx.ecb_files()[0].last
#: Currencies that the bundled sources answer through the ECB series up to its last day.
_THROUGH_ECB = sorted({"EUR", "JPY", "GBP", "NAD", "BTN", "BGN", "HRK", *EUR_PEGS})


class TestWhyMissing:
    """A day past the rates says why there is no rate, of the currency the caller asked for."""

    @given(
        st.sampled_from(_THROUGH_ECB),
        st.integers(min_value=8, max_value=3000).map(
            lambda days: _LAST_ECB_DAY + dt.timedelta(days=days)
        ),
    )
    def test_past_the_series_names_its_end_and_the_command(
        self, currency: str, on: dt.date
    ) -> None:
        """Past the ECB series, the error names the currency asked, the series' last day and the update command."""
        with pytest.raises(RateLookupError) as raised:
            BUNDLED.quote(currency, on, fx.on_or_before())
        issue = raised.value.issues[0]
        assert ("rate.missing", currency, on.isoformat()) == (
            issue.code,
            issue.value["currency"],
            issue.value["on"],
        )
        assert issue.message.startswith(f"no {currency} rate")
        assert f"ends on {_LAST_ECB_DAY}: `p2c-pledges rates update`" in issue.message

    def test_a_pegged_currency_names_its_anchor(self) -> None:
        """XOF past the series says it converts through EUR, at which parity, and why EUR has no rate."""
        on = _LAST_ECB_DAY + dt.timedelta(days=30)
        with pytest.raises(RateLookupError) as raised:
            fx.to_usd(Money(Decimal(1000), "XOF"), on, BUNDLED)
        message = raised.value.issues[0].message
        assert "XOF converts through EUR (legal peg: 655.957 XOF per 1 EUR)" in message
        assert f"no EUR rate in {fx.ecb_rates().name}" in message

    def test_a_currency_the_ecb_stopped(self) -> None:
        """RUB after the ECB stopped it (2022-03-01) says so, within the series' days."""
        with pytest.raises(
            RateLookupError, match="the ECB published no RUB rate after 2022-03-01"
        ):
            BUNDLED.quote("RUB", dt.date(2022, 6, 1), fx.on_or_before())

    def test_a_gap_within_a_series_adds_nothing(self) -> None:
        """ISK's gap (2008-12-09 to 2018-02-01) has rates after it: no end is claimed."""
        with pytest.raises(RateLookupError) as raised:
            BUNDLED.quote("ISK", dt.date(2009, 6, 1), fx.on_or_before())
        message = raised.value.issues[0].message
        assert ("nearest later date: 2018-02-01", False) == (
            message[message.index("nearest later") :],
            "published no" in message,
        )
