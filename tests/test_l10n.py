"""Tests of localized labels, money and names."""

from __future__ import annotations

import enum
from decimal import Decimal
from importlib.resources import files

import pytest
from babel.messages.pofile import read_po
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from p2c_pledges import FocusArea, Money, PledgeDataError, Region, Sector, TargetGroup, l10n
from p2c_pledges import strategies as pst
from test_codes import MEMBERS


TRANSLATED = [locale for locale in l10n.LOCALES if locale != "en"]
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))


class TestLabels:
    @pytest.mark.parametrize("locale", l10n.LOCALES)
    @pytest.mark.parametrize("member", MEMBERS, ids=str)
    def test_every_value_in_every_language(self, member: enum.Enum, locale: str) -> None:
        """Every vocabulary value has a non-empty label in each of the six languages."""
        assert l10n.label(member, locale).strip()

    @pytest.mark.parametrize("locale", TRANSLATED)
    def test_catalogs_are_complete_and_final(self, locale: str) -> None:
        """No catalog entry is empty or fuzzy, and every entry is a vocabulary label."""
        path = files("p2c_pledges") / "locale" / locale / "LC_MESSAGES" / "p2c_pledges.po"
        with path.open("rb") as stream:
            catalog = read_po(stream)
        messages = [m for m in catalog if m.id]
        assert len(MEMBERS) == len(messages)
        assert [] == [m.id for m in messages if not m.string or m.fuzzy]

    def test_context_separates_equal_english(self) -> None:
        """'Other' the sector and 'Other' the target group are looked up by their class."""
        assert "Autre" == l10n.label(Sector.OTHER, "fr") == l10n.label(TargetGroup.OTHER, "fr")

    def test_translations_differ_from_english(self) -> None:
        """Translated labels are not the English ones."""
        assert "Connecter les populations partout" == l10n.label(FocusArea.ACCESS, "fr")
        assert "الدول العربية" == l10n.label(Region.ARAB_STATES, "ar")

    @pytest.mark.parametrize("locale", ["de", "EN", "fr_FR", ""])
    def test_unknown_locale(self, locale: str) -> None:
        """A locale outside the six is locale.unknown naming it."""
        with pytest.raises(PledgeDataError, match="is not a supported locale") as caught:
            l10n.label(FocusArea.ACCESS, locale)
        assert ["locale.unknown"] == caught.value.codes


class TestMoney:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("en", "USD 18.55 billion"),
            ("fr", "18,55 milliards USD"),
            ("es", "18,55 mil millones USD"),
            ("zh", "USD 185.5亿"),
        ],
    )
    def test_compact(self, locale: str, expected: str) -> None:
        """Compact figures use the locale's long compact form and the ISO code."""
        assert expected == l10n.format_money(
            Money(Decimal(18550000000), "USD"), locale, compact=True
        )

    def test_full_french(self) -> None:
        """The full form uses the locale's grouping and symbol."""
        assert "18\u202f550\u202f000\u202f000,00\xa0$US" == l10n.format_money(
            Money(Decimal(18550000000), "USD"), "fr"
        )

    def test_arabic_logical_order(self) -> None:
        """Arabic keeps logical order: the bidi mark comes first and the digits are not reversed."""
        text = l10n.format_money(Money(Decimal("1234.5"), "USD"), "ar")
        assert text.startswith("\u200f1,234.50")

    @given(
        pst.money(["USD", "EUR", "JPY", "BHD", "XOF"], max_value=Decimal(10) ** 15),
        st.sampled_from(l10n.LOCALES),
    )
    def test_parses_back(self, money: Money, locale: str) -> None:
        """The full form parses back to the amount rounded to the currency's minor units."""
        text = l10n.format_money(money, locale).translate(BIDI_MARKS)
        number = "".join(char for char in text if char.isdigit() or char in ",.\u202f\xa0 ").strip(
            " \xa0\u202f."
        )
        assert money.quantize().amount == parse_decimal(number, locale=locale, strict=False)


class TestNames:
    def test_country(self) -> None:
        """Country names come from CLDR in each language; alpha-3 is accepted."""
        assert "科特迪瓦" == l10n.country_name("CIV", "zh")

    def test_number(self) -> None:
        """Counts are grouped as the locale groups them."""
        assert "12\u202f345" == l10n.format_number(12345, "fr")
