"""Localized labels, money and names in the six UN languages.

Languages: Arabic (``ar``), Chinese (``zh``), English (``en``), French (``fr``),
Russian (``ru``) and Spanish (``es``). Anything else is ``locale.unknown``.

- Labels of every vocabulary value come from gettext catalogs shipped in
  ``p2c_pledges/locale/<lang>/LC_MESSAGES/p2c_pledges.po`` (the English label of
  :func:`p2c_pledges.codes.label` is the msgid, the enum class name the msgctxt, so
  "Other" the sector and "Other" the target group can differ). The ``.po`` files
  are read directly with babel at run time and cached per language, so no compile
  step is needed and what is in the repository is what runs;
  ``scripts/update_catalogs.py`` keeps them in step with ``codes.py``.
- Money and numbers are formatted by babel from Decimal (never through a float).
  Arabic uses the digits CLDR gives ``ar`` by default (Latin digits) and keeps the
  right-to-left marks babel puts in its patterns: text stays in logical order and
  numbers parse back with ``babel.numbers.parse_decimal`` once the marks are removed.
"""

from __future__ import annotations

import enum
import functools
from decimal import Decimal
from importlib.resources import files

from babel import Locale
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_currency, format_decimal

from .codes import label as english_label
from .countries import normalize_country
from .errors import Issue, PledgeDataError
from .money import Money


__all__ = ["LOCALES", "country_name", "format_money", "format_number", "label"]

#: The six UN languages.
LOCALES = ("ar", "en", "es", "fr", "ru", "zh")


def _check(locale: str) -> str:
    if locale not in LOCALES:
        raise PledgeDataError(
            [
                Issue(
                    code="locale.unknown",
                    message=f"{locale!r} is not a supported locale (use one of {', '.join(LOCALES)})",
                    value=locale,
                )
            ]
        )
    return locale


@functools.cache
def _catalog(locale: str) -> dict[tuple[str, str | None], str]:
    path = files("p2c_pledges") / "locale" / locale / "LC_MESSAGES" / "p2c_pledges.po"
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=locale)
    return {
        (str(message.id), message.context): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy
    }


def label(value: enum.Enum, locale: str = "en") -> str:
    """Return the label of a vocabulary value in one of the six UN languages.

    Raises:
        PledgeDataError: ``locale.unknown`` for another locale.
        ValueError: ``value`` is not a vocabulary value, or its label is not
            translated (a test guards against that).
    """
    english = english_label(value)
    if _check(locale) == "en":
        return english
    try:
        return _catalog(locale)[english, type(value).__name__]
    except KeyError:
        raise ValueError(f"no {locale} label for {value!r} ({english!r})") from None


def format_money(money: Money, locale: str = "en", *, compact: bool = False) -> str:
    """Format money for people, in one of the six UN languages.

    The full form is babel's standard currency format, rounded to the currency's
    minor units (``$18,550,000,000.00``, ``18 550 000 000,00 $US``). The compact
    form is the long compact number with the ISO code placed as the locale places
    currencies: ``USD 18.55 billion``, ``18,55 milliards USD``. Formatting is for
    display only: it never changes the Money.

    Raises:
        PledgeDataError: ``locale.unknown``.
    """
    babel_locale = Locale.parse(_check(locale))
    if not compact:
        return str(format_currency(money.amount, money.currency, locale=babel_locale))
    number = format_compact_decimal(
        money.amount, format_type="long", locale=babel_locale, fraction_digits=2
    )
    pattern = babel_locale.currency_formats["standard"].pattern
    if pattern.lstrip("\u200f\u200e").startswith("¤"):
        return f"{money.currency} {number}"
    return f"{number} {money.currency}"


def format_number(number: Decimal | int, locale: str = "en") -> str:
    """Format a count or a Decimal with the locale's grouping and decimal signs."""
    return str(format_decimal(number, locale=Locale.parse(_check(locale))))


def country_name(code: str, locale: str = "en") -> str:
    """Return a country's name in one of the six UN languages (CLDR, through babel).

    Raises:
        PledgeDataError: ``country.unknown`` or ``locale.unknown``.
    """
    alpha2 = normalize_country(code)
    return str(Locale.parse(_check(locale)).territories[alpha2])
