"""Tests of Money.parse: amounts as people write them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from babel import Locale, localedata
from babel.numbers import format_decimal, get_territory_currencies
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import Money, PledgeDataError
from p2c_pledges import strategies as pst
from p2c_pledges._parse_money import SCALES, SHARED_SIGNS


def code_of(error: pytest.ExceptionInfo[PledgeDataError]) -> str:
    (issue,) = error.value.issues
    return issue.code


class TestIssueExamples:
    @pytest.mark.parametrize(
        ("text", "locale", "expected"),
        [
            ("EUR 155 million", "en", Money(Decimal(155_000_000), "EUR")),
            ("€155m", "en", Money(Decimal(155_000_000), "EUR")),
            ("USD 18.55 billion", "en", Money(Decimal(18_550_000_000), "USD")),
            ("18.55bn USD", "en", Money(Decimal(18_550_000_000), "USD")),
            ("CHF 1'250'000", "en", Money(Decimal(1_250_000), "CHF")),
            ("1 250 000,50 EUR", "fr", Money(Decimal("1250000.50"), "EUR")),
            ("¥ 3,000,000", "en", Money(Decimal(3_000_000), "JPY")),
        ],
    )
    def test_example(self, text: str, locale: str, expected: Money) -> None:
        """The examples of issue 3 read as the issue says."""
        assert expected == Money.parse(text, locale=locale)

    def test_scaled_amount_is_written_out(self) -> None:
        """A scaled whole amount has no exponent: 155 million is 155000000, not 1.55E+8."""
        assert "155000000" == str(Money.parse("EUR 155 million").amount)

    def test_fraction_digits_are_kept(self) -> None:
        """Written decimals survive the parse: 1250000,50 keeps its two places."""
        assert (0, 2) == (
            Money.parse("EUR 1,250,000").amount.as_tuple().exponent,
            -Money.parse("EUR 1,250,000.50").amount.as_tuple().exponent,  # type: ignore[operator]
        )


class TestNumbers:
    @pytest.mark.parametrize(
        ("text", "locale", "expected"),
        [
            ("EUR 1.250.000,50", "de", Decimal("1250000.50")),
            ("CHF 1\u2019250\u2019000.50", "de_CH", Decimal("1250000.50")),
            ("EUR 1\u00a0250\u00a0000", "fr", Decimal(1_250_000)),
            ("EUR 1\u202f250\u202f000,5", "fr", Decimal("1250000.5")),
            ("INR 12,50,000", "en_IN", Decimal(1_250_000)),
            ("-EUR 5", "en", Decimal(-5)),
            ("EUR -5.25", "en", Decimal("-5.25")),
            ("EUR \u22125", "en", Decimal(-5)),
        ],
    )
    def test_locale_formats(self, text: str, locale: str, expected: Decimal) -> None:
        """Grouping and decimal marks are read as the locale writes them."""
        assert expected == Money.parse(text, locale=locale).amount

    @pytest.mark.parametrize(
        "text",
        [
            "EUR 155 2",  # two numbers, or 1552? neither
            "EUR 1 25",
            "EUR 1,25",  # a comma is a thousands separator in English
            "EUR 1.250.000,50",
            "EUR",
            "EUR 5 and 6",
        ],
    )
    def test_unparsable(self, text: str) -> None:
        """A text that is not one well-grouped number is money.unparsable, never a guess."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse(text)
        assert "money.unparsable" == code_of(caught)

    def test_not_a_string(self) -> None:
        """Only text is parsed; a float is value.type."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse(0.1)  # type: ignore[arg-type]
        assert "value.type" == code_of(caught)

    def test_out_of_range(self) -> None:
        """An amount beyond Money's limits keeps Money's own code."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse("EUR 1000000000 trillion")
        assert "value.out_of_range" == code_of(caught)

    def test_unknown_locale(self) -> None:
        """An unknown locale is locale.unknown."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse("EUR 5", locale="xx_YY")
        assert "locale.unknown" == code_of(caught)


class TestScales:
    @pytest.mark.parametrize(("word", "power"), sorted(SCALES.items()))
    def test_each_word(self, word: str, power: int) -> None:
        """Each scale word multiplies by its power of ten, with or without a space."""
        expected = Decimal("2.5").scaleb(power)
        assert expected == Money.parse(f"EUR 2.5 {word}").amount
        assert expected == Money.parse(f"2.5{word.upper()} EUR").amount

    @given(
        st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False),
        st.sampled_from(sorted(SCALES)),
    )
    def test_exact(self, number: Decimal, word: str) -> None:
        """Scaling is exact in Decimal: no digit is lost or invented."""
        text = f"USD {number:f} {word}"
        assert number.scaleb(SCALES[word]) == Money.parse(text).amount

    @pytest.mark.parametrize("text", ["5 MXN", "5 BAM", "5 KES", "5 mxn"])
    def test_a_code_is_not_a_scale(self, text: str) -> None:
        """A code that begins like a scale word (MXN, BAM, KES) is a code, not a scale."""
        assert Decimal(5) == Money.parse(text).amount


class TestCurrencies:
    @pytest.mark.parametrize(
        ("text", "locale", "expected"),
        [
            ("eur 5", "en", "EUR"),
            ("5 Swiss francs", "en", "CHF"),
            ("5 million euros", "en", "EUR"),
            ("1 US dollar", "en", "USD"),
            ("£20", "en", "GBP"),
            ("₹ 5 crore", "en", "INR"),
            ("CN¥ 5", "en", "CNY"),
            ("¥ 5", "zh", "CNY"),
            ("US$ 5", "en", "USD"),
            ("$ 5", "en_AU", "AUD"),
            ("$ 5", "en_US", "USD"),
            ("€ 5 EUR", "en", "EUR"),
        ],
    )
    def test_resolved(self, text: str, locale: str, expected: str) -> None:
        """Codes, names and the locale's symbols name one currency."""
        assert expected == Money.parse(text, locale=locale).currency

    @pytest.mark.parametrize("sign", sorted(SHARED_SIGNS))
    def test_shared_sign_is_ambiguous(self, sign: str) -> None:
        """A sign that several currencies share is an error listing them all."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse(f"{sign} 5")
        assert "currency.ambiguous" == code_of(caught)
        for candidate in SHARED_SIGNS[sign]:
            assert candidate in caught.value.issues[0].message

    def test_default_breaks_the_tie(self) -> None:
        """default_currency picks among the candidates of a shared sign."""
        assert "CAD" == Money.parse("$5m", default_currency="CAD").currency

    def test_default_outside_the_candidates(self) -> None:
        """A default that the sign cannot mean does not decide: still ambiguous."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse("kr 5", default_currency="EUR")
        assert "currency.ambiguous" == code_of(caught)

    def test_text_wins_over_default(self) -> None:
        """A currency written in the text wins over the default."""
        assert "EUR" == Money.parse("EUR 5", default_currency="USD").currency

    def test_default_fills_a_gap(self) -> None:
        """With no currency in the text the default is used."""
        assert Money(Decimal(5_000), "KES") == Money.parse("5k", default_currency="KES")

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("5", "currency.missing"),
            ("5 dollars", "currency.unknown"),
            ("5 XYZ", "currency.unknown"),
            ("EUR 5 USD", "currency.conflict"),
        ],
    )
    def test_errors(self, text: str, code: str) -> None:
        """A missing, unknown or contradictory currency has its own code."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse(text)
        assert code == code_of(caught)

    def test_shared_signs_match_cldr(self) -> None:
        """SHARED_SIGNS lists what CLDR writes as each currency's sign in its home country."""
        today = dt.date(2024, 1, 1)
        home: dict[str, set[str]] = {}
        for identifier in localedata.locale_identifiers():
            locale = Locale.parse(identifier)
            if not locale.territory:
                continue
            current = get_territory_currencies(locale.territory, today)
            if current and (symbol := locale.currency_symbols.get(current[0])):
                home.setdefault(symbol, set()).add(current[0])
        assert {sign: set(codes) for sign, codes in SHARED_SIGNS.items()} == {
            sign: home[sign] for sign in SHARED_SIGNS
        }


class TestRoundTrip:
    @given(
        pst.money(max_value=Decimal(10) ** 15),
        # Not de_CH: babel 2.19 writes 10**9 there as 1000000'000, a grouping people do not use.
        st.sampled_from(["en", "fr", "de", "es", "ru", "ar", "zh", "en_IN"]),
        st.booleans(),
    )
    def test_formatted_amount_parses_back(
        self, money: Money, locale: str, code_first: bool
    ) -> None:
        """An amount formatted by babel in a locale, with its ISO code, parses back exactly."""
        number = format_decimal(money.amount, locale=locale, decimal_quantization=False)
        text = f"{money.currency} {number}" if code_first else f"{number} {money.currency}"
        assert money == Money.parse(text, locale=locale)

    @given(pst.money())
    def test_plain_text_parses_back(self, money: Money) -> None:
        """``str`` of the amount with its code parses back to the same Money."""
        assert money == Money.parse(f"{money.currency} {money.amount:f}")


class TestSheetWords:
    @pytest.mark.parametrize(
        ("text", "options", "expected"),
        [
            ("50 000 000 000 FCFA", {"pledger_country": "CI"}, Money(Decimal(50_000_000_000), "XOF")),
            ("25 milliards FCFA", {"locale": "fr", "pledger_country": "SN"}, Money(Decimal(25_000_000_000), "XOF")),
            ("F CFA 3 millions", {"locale": "fr", "pledger_country": "CM"}, Money(Decimal(3_000_000), "XAF")),
            ("CFA 12 million", {"beneficiary_countries": ("GA", "TD")}, Money(Decimal(12_000_000), "XAF")),
            ("FCFA 1 million", {"pledger_country": "FR", "beneficiary_countries": ("SN",)}, Money(Decimal(1_000_000), "XOF")),
            ("Ksh 300 million", {}, Money(Decimal(300_000_000), "KES")),
            ("3 millions de EUR", {"locale": "fr"}, Money(Decimal(3_000_000), "EUR")),
            ("USD 120 млн", {"locale": "ru"}, Money(Decimal(120_000_000), "USD")),
            ("5亿美元", {"locale": "zh"}, Money(Decimal(500_000_000), "USD")),
            ("5 milliers d'euros", {"locale": "fr"}, Money(Decimal(5_000), "EUR")),
            ("EUR 2 millier", {"locale": "fr"}, Money(Decimal(2_000), "EUR")),
            ("5 miles de USD", {"locale": "es"}, Money(Decimal(5_000), "USD")),
            ("USD 7 thousands", {}, Money(Decimal(7_000), "USD")),
            ("USD 3 тысячи", {"locale": "ru"}, Money(Decimal(3_000), "USD")),
            ("EUR 20 тысяч", {"locale": "ru"}, Money(Decimal(20_000), "EUR")),
        ],
    )  # fmt: skip
    def test_reads(self, text: str, options: dict[str, object], expected: Money) -> None:
        """CFA francs are decided by country, Ksh is KES, scale words of six languages are exact."""
        assert expected == Money.parse(text, **options)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "options",
        [{}, {"pledger_country": "FR"}, {"beneficiary_countries": ("SN", "CM")}],
    )
    def test_cfa_without_a_union_is_ambiguous(self, options: dict[str, object]) -> None:
        """FCFA with no country in one union names both XOF and XAF, never one silently."""
        with pytest.raises(PledgeDataError) as error:
            Money.parse("FCFA 5 million", **options)  # type: ignore[arg-type]
        (issue,) = error.value.issues
        assert ("currency.ambiguous", True) == (
            issue.code,
            "XOF" in issue.message and "XAF" in issue.message,
        )


class TestNoGuesses:
    @pytest.mark.parametrize(
        "text", ["--5 USD", "- -5 USD", "-USD -5", "- USD - 5", "\u2212-5 USD", "USD --5"]
    )
    def test_two_signs(self, text: str) -> None:
        """Two minus signs are an error naming them, not one negative amount."""
        with pytest.raises(PledgeDataError, match="2 minus signs") as caught:
            Money.parse(text)
        assert "money.unparsable" == code_of(caught)

    @pytest.mark.parametrize("text", ["-5 USD", "- 5 USD", "-USD 5", "USD -5", "\u22125 USD"])
    def test_one_sign(self, text: str) -> None:
        """One minus sign, at the start or right before the number, makes it negative."""
        assert Money(Decimal(-5), "USD") == Money.parse(text)

    @given(pst.money(currencies=["USD", "EUR", "JPY"]), st.sampled_from(["-", "- ", "\u2212"]))
    def test_any_doubled_sign(self, money: Money, sign: str) -> None:
        """Any amount with a sign written twice is refused."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse(f"{sign}{sign}{abs(money.amount)} {money.currency}")
        assert "money.unparsable" == code_of(caught)

    @pytest.mark.parametrize(
        ("text", "options"),
        [
            ("5 K", {"default_currency": "ZMW"}),
            ("5K", {"default_currency": "ZMW"}),
            ("5K", {"default_currency": "PGK"}),
            ("5 K", {"locale": "en_ZM"}),
        ],
    )
    def test_k_that_may_be_the_kwacha(self, text: str, options: dict[str, str]) -> None:
        """A K that may be thousand or the sign of the default (or local) currency: ambiguous."""
        with pytest.raises(PledgeDataError, match="thousand") as caught:
            Money.parse(text, **options)  # type: ignore[arg-type]
        assert "currency.ambiguous" == code_of(caught)

    @pytest.mark.parametrize(
        ("text", "options", "expected"),
        [
            ("K5", {"default_currency": "ZMW"}, Money(Decimal(5), "ZMW")),
            ("K5k", {"default_currency": "ZMW"}, Money(Decimal(5_000), "ZMW")),
            ("5 K ZMW", {}, Money(Decimal(5_000), "ZMW")),
            ("ZMW 5K", {"default_currency": "ZMW"}, Money(Decimal(5_000), "ZMW")),
            ("5K", {"default_currency": "USD"}, Money(Decimal(5_000), "USD")),
            ("5 thousand", {"default_currency": "ZMW"}, Money(Decimal(5_000), "ZMW")),
        ],
    )
    def test_k_that_can_only_be_one_thing(
        self, text: str, options: dict[str, str], expected: Money
    ) -> None:
        """Before the number K is the sign; with the currency named elsewhere, a K after it is thousand."""
        assert expected == Money.parse(text, **options)  # type: ignore[arg-type]

    @pytest.mark.parametrize("locale", ["fr", "ru", "fr_CH"])
    @pytest.mark.parametrize(
        ("text", "grouped", "decimal"),
        [
            ("1.500 EUR", "1500", "1.5"),
            ("EUR 10.000", "10000", "10"),
            ("1.500 million EUR", "1500", "1.5"),
        ],
    )
    def test_dot_that_the_locale_does_not_write(
        self, locale: str, text: str, grouped: str, decimal: str
    ) -> None:
        """Where the locale writes no dot, 1.500 is money.unparsable naming 1500 and 1.5, not babel's 1.5."""
        with pytest.raises(PledgeDataError) as caught:
            Money.parse(text, locale=locale)
        (issue,) = caught.value.issues
        assert "money.unparsable" == issue.code
        assert f"is {grouped} where a dot groups thousands" in issue.message
        assert f"or {decimal} where it is the decimal sign" in issue.message

    @pytest.mark.parametrize(
        ("text", "locale", "expected"),
        [
            ("1.500 EUR", "en", Decimal("1.500")),  # the dot is English's decimal sign
            ("1.500 EUR", "zh", Decimal("1.500")),
            ("1.500 EUR", "de", Decimal(1500)),  # the dot is German's group separator
            ("1.500 EUR", "es", Decimal(1500)),
            ("1,500 EUR", "fr", Decimal("1.500")),  # the comma is French's decimal sign
            ("1.5 EUR", "fr", Decimal("1.5")),  # a dot before one digit cannot group
            ("0.500 EUR", "fr", Decimal("0.500")),  # nor after a lone zero
            ("1 500 EUR", "fr", Decimal(1500)),
        ],
    )
    def test_dot_that_the_locale_decides(self, text: str, locale: str, expected: Decimal) -> None:
        """A dot the locale writes, or one that can only be a decimal sign, is read as before."""
        assert expected == Money.parse(text, locale=locale).amount

    @given(st.integers(1, 999), st.integers(0, 999))
    def test_one_dot_before_three_digits(self, head: int, tail: int) -> None:
        """d.ddd is the decimal in en, the thousands in de, and refused in fr, for every d.ddd."""
        written = f"{head}.{tail:03d}"
        assert Decimal(written) == Money.parse(f"EUR {written}", locale="en").amount
        assert head * 1000 + tail == Money.parse(f"EUR {written}", locale="de").amount
        with pytest.raises(PledgeDataError) as caught:
            Money.parse(f"EUR {written}", locale="fr")
        assert "money.unparsable" == code_of(caught)

    @pytest.mark.parametrize(
        "text", ["1\u06623 USD", "\u0661\u0662 3 USD", "1\u0968 USD", "1,2\u0969\u0966 USD"]
    )
    def test_digits_of_two_scripts(self, text: str) -> None:
        """Digits of two scripts in one number are an error naming both scripts."""
        with pytest.raises(PledgeDataError, match="scripts") as caught:
            Money.parse(text)
        assert "money.unparsable" == code_of(caught)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [("\u0661\u0662\u0663 USD", Decimal(123)), ("\u0967\u0968\u0969 INR", Decimal(123))],
    )
    def test_digits_of_one_script(self, text: str, expected: Decimal) -> None:
        """Digits of one script, any script, are read."""
        assert expected == Money.parse(text).amount
