"""Localized labels, money and names in the six UN languages.

Languages: Arabic (``ar``), Chinese (``zh``), English (``en``), French (``fr``),
Russian (``ru``) and Spanish (``es``). Anything else is ``locale.unknown``.

- Labels of every vocabulary value come from gettext catalogs shipped in
  ``p2c_pledges/locale/<lang>/LC_MESSAGES/p2c_pledges.po`` (the English label of
  :func:`p2c_pledges.codes.label` is the msgid, the enum class name the msgctxt, so
  "Other" the sector and "Other" the target group can differ). The ``.po`` files
  are read directly with babel at run time and cached per language, so no compile
  step is needed and what is in the repository (and the wheel) is what runs;
  ``scripts/update_catalogs.py`` keeps them in step with ``codes.py``. English has
  no catalog: its msgid is the label.
- Money and numbers are formatted by babel from Decimal (never through a float),
  in a decimal context of this module's own (60 digits, ROUND_HALF_EVEN): babel
  rounds in the current context, so a caller's ``ROUND_DOWN`` or low precision would
  otherwise change the figure or raise. Money is first rounded with
  :meth:`~p2c_pledges.Money.quantize`, so what is printed is the amount the
  library rounds to, in the full and the compact form alike.
- The compact form is babel's long compact number with the ISO 4217 code where the
  locale's currency pattern puts the symbol (``USD 18.55 billion``,
  ``18,55 milliards USD``), not babel's short compact currency (``$18.55B``,
  ``18,55 Md $US``, ``18,55 mil M US$``): the code says which dollar, and the words
  read more easily than CLDR's abbreviations.
- Arabic uses the digits CLDR gives ``ar`` by default (Latin digits, as babel does;
  the SDG labels in the catalog use them too) and keeps the right-to-left mark that
  starts CLDR's Arabic currency pattern, in the compact form as well: text stays in
  logical order, nothing is reversed by hand, and the number parses back with
  ``babel.numbers.parse_decimal(..., locale="ar")`` once the marks are removed (babel
  does not skip them itself).
"""

from __future__ import annotations

import decimal
import enum
from decimal import Decimal
from importlib.resources import files

from babel import Locale
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    get_minus_sign_symbol,
)

from ._once import once
from .codes import label as english_label
from .countries import normalize_country
from .errors import PledgeDataError
from .money import Money


__all__ = ["LOCALES", "country_name", "format_money", "format_number", "label", "translate"]

#: The six UN languages.
LOCALES = ("ar", "en", "es", "fr", "ru", "zh")

# Babel rounds and divides in the current decimal context; this one is wide enough
# for every Money (38 digits) and rounds as Money.quantize() does.
_DISPLAY = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_EVEN)
_BIDI_MARKS = "\u200e\u200f\u061c"


def _check(locale: str) -> str:
    if locale not in LOCALES:
        raise PledgeDataError.single(
            code="locale.unknown",
            message=f"{locale!r} is not a supported locale (use one of {', '.join(LOCALES)})",
            value=locale,
        )
    return locale


@once
def _babel_locale(locale: str) -> Locale:
    # Locale.parse() reads the identifier and checks the locale's data file on every
    # call (about a third of a format_number() call): each locale is parsed once.
    return Locale.parse(locale)


@once
def _catalog(locale: str) -> dict[tuple[str, str | None], str]:
    path = files("p2c_pledges") / "locale" / locale / "LC_MESSAGES" / "p2c_pledges.po"
    with path.open("rb") as stream:
        from babel.messages.pofile import read_po  # noqa: PLC0415 - the catalogs load on first use

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


def translate(message: str, locale: str = "en") -> str:
    """Return a message of the reports (an English msgid) in one of the six UN languages.

    The messages are those of :mod:`p2c_pledges.report` and its page template, kept
    in the same catalogs as the labels, without a context. Placeholders
    (``{count}``) are left for the caller to fill.

    .. versionadded:: 0.2

    Raises:
        PledgeDataError: ``locale.unknown`` for another locale.
        ValueError: The message is not in the catalog of ``locale`` (a test renders
            every report in every locale, so a missing translation fails there).
    """
    if _check(locale) == "en":
        return message
    try:
        return _catalog(locale)[message, None]
    except KeyError:
        raise ValueError(f"no {locale} translation of {message!r}") from None


def format_money(
    money: Money, locale: str = "en", *, compact: bool = False, code: bool = False
) -> str:
    """Format money for people, in one of the six UN languages.

    The full form is babel's standard currency format, rounded to the currency's
    minor units (``$18,550,000,000.00``, ``18 550 000 000,00 $US``). The compact
    form is the long compact number with the ISO code placed as the locale places
    currencies: ``USD 18.55 billion``, ``18,55 milliards USD``; below a thousand it
    is the amount in minor units (``USD 2.68``). Both round half to even, whatever
    the caller's decimal context. Formatting is for display only: it never changes
    the Money.

    With ``code=True`` the full form names the currency by its ISO code where the
    locale puts the symbol (``USD 18,550,000,000.00``, ``18 550 000 000,00 USD``),
    the style of the compact form, so that a page can show both without mixing
    ``US$`` and ``USD``.

    .. versionchanged:: 0.2 ``code``.

    Raises:
        PledgeDataError: ``locale.unknown``; ``value.type`` when ``money`` is not
            Money (a bare number has no currency to show).
    """
    if not isinstance(money, Money):
        raise PledgeDataError.single(
            code="value.type",
            message=f"format_money needs Money, not {type(money).__name__} ({money!r})",
            value=money,
            path="$.money",
        )
    babel_locale = _babel_locale(_check(locale))
    with decimal.localcontext(_DISPLAY):
        amount = money.quantize().amount
        if not compact:
            pattern = babel_locale.currency_formats["standard"].pattern
            # CLDR's currency spacing: a code before the digits takes a space (USD 1.00).
            with_code = pattern.replace("¤", "¤¤\xa0" if "¤#" in pattern else "¤¤")
            return str(
                format_currency(
                    amount,
                    money.currency,
                    locale=babel_locale,
                    format=with_code if code else None,
                )
            )
        number = format_compact_decimal(
            amount, format_type="long", locale=babel_locale, fraction_digits=2
        )
    pattern = babel_locale.currency_formats["standard"].pattern
    symbol_first = pattern.lstrip(_BIDI_MARKS).startswith("¤")
    # Arabic's pattern starts with a right-to-left mark, so that the figure reads
    # right to left even where it starts with digits; the compact form keeps it.
    marks = pattern[: len(pattern) - len(pattern.lstrip(_BIDI_MARKS))]
    if symbol_first:
        # The sign goes before the code, as babel puts it before the symbol (-$1.00).
        minus = get_minus_sign_symbol(babel_locale)
        sign = minus if number.startswith(minus) else ""
        return f"{marks}{sign}{money.currency} {number.removeprefix(sign)}"
    return f"{marks}{number} {money.currency}"


def format_number(number: Decimal | int, locale: str = "en") -> str:
    """Format a count or a Decimal with the locale's grouping and decimal signs.

    Every digit of a Decimal is kept (``0.00152449`` stays ``0.00152449``): babel's
    default pattern would round to three decimals, and a rate or a target value
    rounded that way (``0.002`` USD per XOF, ``0`` Gbit/s) says something false.
    Trailing zeros after the decimal sign are dropped.

    .. versionchanged:: 0.2 no rounding to three decimals.

    Raises:
        PledgeDataError: ``locale.unknown``.
    """
    babel_locale = _babel_locale(_check(locale))
    # A count has no fraction to keep: only a Decimal needs babel to count its digits.
    whole = isinstance(number, int)
    with decimal.localcontext(_DISPLAY):
        return str(format_decimal(number, locale=babel_locale, decimal_quantization=whole))


def country_name(code: str, locale: str = "en") -> str:
    """Return a country's name in one of the six UN languages (CLDR, through babel).

    Raises:
        PledgeDataError: ``country.unknown`` or ``locale.unknown``.
    """
    alpha2 = normalize_country(code)
    return str(_babel_locale(_check(locale)).territories[alpha2])
