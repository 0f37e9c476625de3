"""Tests of localized labels, money and names."""

from __future__ import annotations

import decimal
import enum
import re
import unicodedata
from decimal import Decimal
from importlib.resources import files

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po
from babel.numbers import format_currency, get_currency_symbol, parse_decimal
from hypothesis import example, given
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import MEMBERS
from p2c_pledges import (
    FocusArea,
    Money,
    PledgeDataError,
    Region,
    Sector,
    TargetGroup,
    codes,
    format_money,
    l10n,
)
from p2c_pledges import strategies as pst


TRANSLATED = [locale for locale in l10n.LOCALES if locale != "en"]
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))
RLM = "\u200f"
#: Every Money the library accepts: up to 20 integer digits, either sign, any currency.
ANY_MONEY = pst.money(min_value=-(Decimal(10) ** 20) + 1)
#: The script each translated catalog must be written in (the first word of Unicode names).
SCRIPTS = {"ar": "ARABIC", "ru": "CYRILLIC", "zh": "CJK"}


def read_catalog(name: str) -> Catalog:
    """Read a catalog shipped in the package: ``p2c_pledges.pot`` or ``<lang>/LC_MESSAGES/...``."""
    with (files("p2c_pledges") / "locale" / name).open("rb") as stream:
        return read_po(stream)


def po_catalog(locale: str) -> Catalog:
    """Read the shipped ``.po`` catalog of one language."""
    return read_catalog(f"{locale}/LC_MESSAGES/p2c_pledges.po")


def keys(catalog: Catalog) -> list[tuple[str | None, str]]:
    """The (msgctxt, msgid) of every message of a catalog but its header, sorted."""
    return sorted(
        ((m.context, str(m.id)) for m in catalog if m.id), key=lambda k: (k[0] or "", k[1])
    )


def number_of(text: str, currency: str, locale: str) -> str:
    """The number of a full-form figure: the text without the symbol, bidi marks and outer spaces."""
    return text.replace(get_currency_symbol(currency, locale), "").translate(BIDI_MARKS).strip()


def compact_number_of(text: str, currency: str) -> str:
    """The number of a compact figure: the text without the ISO code, bidi marks and outer spaces."""
    return text.replace(f"{currency} ", "").replace(f" {currency}", "").translate(BIDI_MARKS)


class TestLabels:
    @pytest.mark.parametrize("locale", l10n.LOCALES)
    @pytest.mark.parametrize("member", MEMBERS, ids=str)
    def test_every_value_in_every_language(self, member: enum.Enum, locale: str) -> None:
        """Every vocabulary value has a non-empty label in each of the six languages."""
        assert l10n.label(member, locale).strip()

    def test_english_is_codes_label(self) -> None:
        """English labels are the ones codes.label() gives, without a catalog."""
        assert [codes.label(m) for m in MEMBERS] == [l10n.label(m, "en") for m in MEMBERS]

    def test_context_separates_equal_english(self) -> None:
        """'Other' the sector and 'Other' the target group are looked up by their class."""
        assert "Autre" == l10n.label(Sector.OTHER, "fr") == l10n.label(TargetGroup.OTHER, "fr")

    def test_translations_differ_from_english(self) -> None:
        """Translated labels are not the English ones."""
        assert "Connecter les populations partout" == l10n.label(FocusArea.ACCESS, "fr")
        assert "الدول العربية" == l10n.label(Region.ARAB_STATES, "ar")

    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("ar", "الهدف 5: المساواة بين الجنسين"),
            ("en", "SDG 5: Gender equality"),
            ("es", "ODS 5: Igualdad de género"),
            ("fr", "ODD 5\xa0: Égalité entre les sexes"),
            ("ru", "ЦУР 5: Гендерное равенство"),
            ("zh", "可持续发展目标5：性别平等"),  # noqa: RUF001 - Chinese uses the full-width colon
        ],
    )
    def test_sdg_official_titles(self, locale: str, expected: str) -> None:
        """SDG labels carry the UN's short title in each language (French keeps its no-break space)."""
        assert expected == l10n.label(codes.SDG.GENDER_EQUALITY, locale)

    def test_not_a_vocabulary_value(self) -> None:
        """A value of another enum is a ValueError naming it, in any locale."""
        other = enum.Enum("Other", {"X": "x"})
        with pytest.raises(ValueError, match="not a p2c-pledges vocabulary value"):
            l10n.label(other.X, "fr")


class TestCatalogs:
    def test_template_matches_codes(self) -> None:
        """The .pot template holds exactly one message per vocabulary value, in its class's context."""
        expected = sorted((type(m).__name__, codes.label(m)) for m in MEMBERS)
        assert expected == [k for k in keys(read_catalog("p2c_pledges.pot")) if k[0] is not None]

    def test_template_matches_reports(self) -> None:
        """The messages without a context are exactly those the reports (and their footer) use."""
        extracted = {
            (None, message)
            for _file, _line, message, _comments, _context in extract_from_dir(
                files("p2c_pledges") / "report",
                [("**.py", "python"), ("**/*.j2", "jinja2")],
                keywords={"_": None, "N_": None},
            )
        }
        with (files("p2c_pledges") / "reference.py").open("rb") as footer:
            extracted |= {
                (None, message)
                for _line, message, _comments, _context in extract(
                    "python", footer, keywords={"_": None}
                )
            }
        assert sorted(extracted, key=lambda k: k[1]) == [
            k for k in keys(read_catalog("p2c_pledges.pot")) if k[0] is None
        ]

    @pytest.mark.parametrize("locale", TRANSLATED)
    def test_catalog_matches_template(self, locale: str) -> None:
        """Each language's catalog holds exactly the template's messages."""
        assert keys(read_catalog("p2c_pledges.pot")) == keys(po_catalog(locale))

    @pytest.mark.parametrize("locale", TRANSLATED)
    def test_catalogs_are_complete_and_final(self, locale: str) -> None:
        """No catalog entry is empty or fuzzy, nor the header, and it declares its language."""
        catalog = po_catalog(locale)
        assert [] == [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert not catalog.fuzzy
        assert locale == str(catalog.locale)

    @pytest.mark.parametrize("locale", TRANSLATED)
    def test_translations_are_clean_text(self, locale: str) -> None:
        """Translations have no outer spaces, no bidi control marks and are NFC-normalized."""
        strings = [str(m.string) for m in po_catalog(locale) if m.id]
        assert [] == [
            s
            for s in strings
            if s != s.strip()
            or s != s.translate(BIDI_MARKS)
            or not unicodedata.is_normalized("NFC", s)
        ]

    @pytest.mark.parametrize("locale", sorted(SCRIPTS))
    def test_written_in_the_language_script(self, locale: str) -> None:
        """Arabic, Chinese and Russian messages use only their own script's letters (no English left in).

        Placeholders, the currency code, the option ``--rates``, the command
        ``p2c-pledges rates update``, the names Partner2Connect and p2c-pledges, and
        ITU-D's D are not English words.
        """
        strings = [str(m.string) for m in po_catalog(locale) if m.id]
        allowed = re.compile(
            r"\{\w+\}|USD|--rates|Partner2Connect|p2c-pledges rates update|p2c-pledges|-D\b"
        )
        assert [] == [
            s
            for s in strings
            if any(
                char.isalpha() and not unicodedata.name(char).startswith(SCRIPTS[locale])
                for char in allowed.sub("", s)
            )
        ]


class TestLocales:
    @pytest.mark.parametrize("locale", ["de", "EN", "fr_FR", "zh-Hans", "", "ar "])
    def test_unknown_locale(self, locale: str) -> None:
        """A locale outside the six is one locale.unknown issue naming it and the six."""
        with pytest.raises(PledgeDataError, match="is not a supported locale") as caught:
            l10n.label(FocusArea.ACCESS, locale)
        assert ["locale.unknown"] == caught.value.codes
        assert locale == caught.value.issues[0].value
        assert "ar, en, es, fr, ru, zh" in caught.value.issues[0].message

    def test_every_function_checks_the_locale(self) -> None:
        """Money, numbers and country names reject an unknown locale the same way."""
        money = Money(Decimal(1), "USD")
        calls = [
            lambda: l10n.format_money(money, "de"),
            lambda: l10n.format_money(money, "de", compact=True),
            lambda: l10n.format_number(1, "de"),
            lambda: l10n.country_name("FR", "de"),
        ]
        for call in calls:
            with pytest.raises(PledgeDataError) as caught:
                call()
            assert ["locale.unknown"] == caught.value.codes

    def test_unknown_after_known(self) -> None:
        """A locale parsed once stays known, and an unknown one is refused each time it is asked for."""
        assert "1,234" == l10n.format_number(1234, "en")
        for _ in range(2):
            with pytest.raises(PledgeDataError) as caught:
                l10n.format_number(1234, "de")
            assert ["locale.unknown"] == caught.value.codes
        assert "1,234" == l10n.format_number(1234, "en")

    @given(st.integers(min_value=-(10**40), max_value=10**40), st.sampled_from(l10n.LOCALES))
    def test_count_as_its_decimal(self, count: int, locale: str) -> None:
        """A count is written as its Decimal is: every digit, no fraction."""
        assert l10n.format_number(Decimal(count), locale) == l10n.format_number(count, locale)

    def test_six_un_languages(self) -> None:
        """The supported locales are the six UN languages, sorted."""
        assert ("ar", "en", "es", "fr", "ru", "zh") == l10n.LOCALES


class TestMoney:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("ar", "\u200f1,234,567.88\xa0US$"),
            ("en", "$1,234,567.88"),
            ("es", "1.234.567,88\xa0US$"),
            ("fr", "1\u202f234\u202f567,88\xa0$US"),
            ("ru", "1\xa0234\xa0567,88\xa0$"),
            ("zh", "US$1,234,567.88"),
        ],
    )
    def test_full(self, locale: str, expected: str) -> None:
        """The full form is babel's currency format of the locale, rounded half to even."""
        assert expected == l10n.format_money(Money(Decimal("1234567.885"), "USD"), locale)

    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("ar", "\u200f18.55 مليار USD"),
            ("en", "USD 18.55 billion"),
            ("es", "18,55 mil millones USD"),
            ("fr", "18,55 milliards USD"),
            ("ru", "18,55 миллиарда USD"),
            ("zh", "USD 185.5亿"),
        ],
    )
    def test_compact(self, locale: str, expected: str) -> None:
        """Compact figures use the locale's long compact form and the ISO code."""
        assert expected == l10n.format_money(
            Money(Decimal(18550000000), "USD"), locale, compact=True
        )

    def test_top_level(self) -> None:
        """p2c.format_money is l10n.format_money."""
        assert l10n.format_money is p2c.format_money

    def test_compact_small_amounts_in_minor_units(self) -> None:
        """Below a thousand the compact form shows the amount rounded to minor units."""
        assert "USD 2.68" == l10n.format_money(Money(Decimal("2.675"), "USD"), compact=True)
        assert "950 JPY" == l10n.format_money(Money(Decimal("950.5"), "JPY"), "fr", compact=True)

    def test_compact_negative(self) -> None:
        """A negative compact figure puts the sign before the code, as babel before the symbol."""
        assert "-EUR 1.5 million" == l10n.format_money(
            Money(Decimal(-1500000), "EUR"), compact=True
        )

    @pytest.mark.parametrize(
        ("compact", "expected"), [(False, "$123,456,789.68"), (True, "USD 123.46 million")]
    )
    def test_independent_of_decimal_context(self, compact: bool, expected: str) -> None:
        """A caller's decimal context (rounding down, 5 digits) changes neither rounding nor success."""
        money = Money(Decimal("123456789.675"), "USD")
        with decimal.localcontext(decimal.Context(prec=5, rounding=decimal.ROUND_DOWN)):
            assert expected == l10n.format_money(money, compact=compact)

    @given(ANY_MONEY, st.sampled_from(l10n.LOCALES))
    def test_full_parses_back(self, money: Money, locale: str) -> None:
        """The full form's number parses back strictly to the amount in minor units, all 20 digits."""
        text = l10n.format_money(money, locale)
        assert money.quantize().amount == parse_decimal(
            number_of(text, money.currency, locale), locale=locale, strict=True
        )

    @given(
        pst.money(min_value=Decimal(-999), max_value=Decimal(999)), st.sampled_from(l10n.LOCALES)
    )
    def test_compact_small_parses_back(self, money: Money, locale: str) -> None:
        """Below a thousand the compact number parses back to the amount in minor units."""
        text = l10n.format_money(money, locale, compact=True)
        assert money.quantize().amount == parse_decimal(
            compact_number_of(text, money.currency), locale=locale
        )


class TestArabic:
    @given(ANY_MONEY)
    def test_logical_order_and_latin_digits(self, money: Money) -> None:
        """Arabic figures start with the right-to-left mark, then the sign and Latin digits in order."""
        text = l10n.format_money(money, "ar")
        amount = money.quantize().amount
        assert text.startswith(RLM + ("-" if amount < 0 else ""))
        digits = [c for c in text if c.isdigit()]
        assert [c for c in str(abs(amount)) if c.isdigit()] == digits
        assert all(c.isascii() for c in digits)

    @given(ANY_MONEY)
    def test_parses_back_with_arabic_locale(self, money: Money) -> None:
        """The Arabic number, without its marks and symbol, parses with parse_decimal(locale="ar")."""
        text = l10n.format_money(money, "ar")
        number = number_of(text, money.currency, "ar")
        assert money.quantize().amount == parse_decimal(number, locale="ar", strict=True)

    def test_same_as_babel(self) -> None:
        """The full Arabic form is babel's own output: no mark added or removed, nothing reversed."""
        amount = Decimal("-1234.50")
        assert format_currency(amount, "SAR", locale="ar") == l10n.format_money(
            Money(amount, "SAR"), "ar"
        )

    @pytest.mark.parametrize("amount", ["950", "18550000000", "-2.5"])
    def test_compact_keeps_the_mark(self, amount: str) -> None:
        """The compact Arabic form starts with the mark of CLDR's Arabic currency pattern."""
        text = l10n.format_money(Money(Decimal(amount), "USD"), "ar", compact=True)
        assert RLM == text[0]
        assert text.endswith(" USD")


class TestNames:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("ar", "المملكة العربية السعودية"),
            ("en", "Saudi Arabia"),
            ("es", "Arabia Saudí"),
            ("fr", "Arabie saoudite"),
            ("ru", "Саудовская Аравия"),
            ("zh", "沙特阿拉伯"),
        ],
    )
    def test_country_in_each_language(self, locale: str, expected: str) -> None:
        """Country names come from CLDR through babel in each of the six languages."""
        assert expected == l10n.country_name("SA", locale)

    def test_country_alpha3(self) -> None:
        """Alpha-3 codes are accepted."""
        assert "科特迪瓦" == l10n.country_name("CIV", "zh")

    def test_unknown_country(self) -> None:
        """An unknown country code is country.unknown."""
        with pytest.raises(PledgeDataError) as caught:
            l10n.country_name("QQ", "fr")
        assert ["country.unknown"] == caught.value.codes

    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("ar", "كومنولث الدول المستقلة"),
            ("en", "Commonwealth of Independent States"),
            ("es", "Comunidad de Estados Independientes"),
            ("fr", "Communauté des États indépendants"),
            ("ru", "Содружество Независимых Государств"),
            ("zh", "独立国家联合体"),
        ],
    )
    def test_region_in_each_language(self, locale: str, expected: str) -> None:
        """ITU-D region names come from the catalogs."""
        assert expected == l10n.label(Region.CIS, locale)

    def test_number(self) -> None:
        """Counts are grouped as the locale groups them."""
        assert "12\u202f345" == l10n.format_number(12345, "fr")
        assert "12,345" == l10n.format_number(12345, "ar")

    @given(
        st.decimals(allow_nan=False, allow_infinity=False, places=12).filter(
            lambda d: abs(d) < Decimal(10) ** 20
        ),
        st.sampled_from(l10n.LOCALES),
    )
    @example(Decimal("10000000000000000.000000000001"), "ar")  # 29 digits: found by the ci profile
    def test_number_keeps_every_digit(self, number: Decimal, locale: str) -> None:
        """A Decimal is shown with all its digits (a rate of 0.00152449 is not 0.002)."""
        text = l10n.format_number(number, locale).translate(BIDI_MARKS)
        # babel's strict check formats the parsed number again in the default decimal
        # context (28 digits), which rounds a longer one: it is checked without it.
        strict = len(number.as_tuple().digits) <= decimal.getcontext().prec
        assert number == parse_decimal(text, locale=locale, strict=strict)


class TestFormatMoneyInput:
    @pytest.mark.parametrize("value", [1, Decimal("1.5"), "USD 1", None])
    def test_not_money(self, value: object) -> None:
        """format_money of a bare number or text is a located value.type, not an AttributeError."""
        with pytest.raises(PledgeDataError) as caught:
            format_money(value)  # type: ignore[arg-type]
        assert [("value.type", "$.money")] == [(i.code, i.path) for i in caught.value.issues]
