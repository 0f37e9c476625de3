"""Reading amounts of money as people write them: ``"EUR 155 million"``, ``"€155m"``.

This is the logic behind :meth:`p2c_pledges.Money.parse` (layer 1: it uses
babel and nothing of the library above ``money``).

The rules, in the order they apply:

1. **One number**, with its grouping checked: commas and dots are read as the
   locale writes them (``1,250,000.50`` in ``en``, ``1.250.000,50`` in ``de``,
   babel's strict parsing), and a space, a no-break space or an apostrophe
   (``1 250 000``, ``1'250'000``) separates groups of exactly three digits. In a
   locale where the dot is neither the decimal sign nor the group separator
   (``fr``, ``ru``), ``1.500`` is 1500 to a writer who groups with dots and 1.5 to
   one who writes decimals with them: it is an error naming both readings, not
   babel's 1.5 (a dot that cannot group, as in ``1.5``, is the decimal sign). A
   ``-`` at the start or right before the number makes it negative; two signs
   (``--5``, ``- -5``, ``-USD -5``) are an error, not a guess at what was meant.
   ``155 2`` is an error, not 1552. The digits are of one script: ``123`` or
   ``١٢٣``, but ``1٢3`` is an error.
2. **An optional scale word** right after the number, exact in Decimal:
   ``thousand``/``k`` (10³), ``lakh`` (10⁵), ``million``/``m``/``mn``/``mln``
   (10⁶), ``crore`` (10⁷), ``billion``/``bn``/``b`` (10⁹), ``trillion``/``tn``
   (10¹²), in any case, with or without a space; and the scale words of the other
   UN languages (``mille``/``million(s)``/``milliard(s)``, ``millones``/``mil millones``
  , ``тыс.``/``млн``/``млрд``, ``مليون``/``مليار``, ``万``/``亿``),
   followed by an optional ``de``/``d'`` (``25 milliards de FCFA``). A scale
   letter that is also a currency sign, ``K`` (thousand, or the kwacha, kyat and
   kina), is read as the scale when the text names its currency otherwise
   (``5K USD``, ``€5k``); when it is the only word besides the number (``5 K``)
   and the sign could be the currency (the default currency or the locale's own
   is one of its currencies), it is ``currency.ambiguous``, not a guess. Before the
   number (``K5``) it can only be the sign.
3. **The currency**, before or after the number: an ISO 4217 code (any case), a
   currency name of the locale (``euros``, ``Swiss francs``), or a symbol of the
   locale's CLDR data (``€``, ``£``, ``¥`` = JPY and ``CN¥`` = CNY in English).
   The signs that several independent currencies write alone in their own
   countries (:data:`SHARED_SIGNS`: ``$``, ``kr``, ``Rs``, ...) are ambiguous:
   the locale's own currency decides when it is one of them (``$`` is AUD in
   ``en_AU``), else ``default_currency`` when it is one of them, else it is an
   error listing the candidates. With no currency in the text, ``default_currency``
   is used; an explicit currency in the text always wins over the default.
4. **The CFA franc** (``FCFA``, ``CFA``, ``F CFA``, ``francs CFA``) is two currencies
   at the same parity: XOF of the West African union (UEMOA) and XAF of the Central
   African one (CEMAC). CLDR gives ``FCFA`` to XAF alone, which read a West African
   pledge as XAF silently; here the pledger's country decides when it is in one of the
   unions, else the beneficiary countries when they all are in the same one, else
   ``default_currency`` when it is XOF or XAF, else it is ``currency.ambiguous``
   naming both (:data:`CFA_UNIONS`).
5. **Local abbreviations** that CLDR lacks in most locales (:data:`CURRENCY_ABBREVIATIONS`:
   ``Ksh`` for the Kenyan shilling, ...).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType

from babel import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    get_currency_name,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
    list_currencies,
    parse_decimal,
)

from ._once import once
from .errors import PledgeDataError


__all__ = [
    "CFA_UNIONS",
    "CURRENCY_ABBREVIATIONS",
    "DOT_GROUPED",
    "MAX_PARSE_LENGTH",
    "SCALES",
    "SHARED_SIGNS",
    "parse_money",
    "without_scale",
]

#: The longest text that :func:`parse_money` reads, in characters: an amount as people
#: write it ("CHF 1'250'000.50", "155 million euros") is a few dozen. A longer text is
#: ``text.too_long`` before any work on it, so that parsing time stays bounded.
MAX_PARSE_LENGTH = 1_000

#: Scale words and their powers of ten (matched case-insensitively).
SCALES: Mapping[str, int] = MappingProxyType(
    {
        "thousand": 3,
        "thousands": 3,
        "k": 3,
        "lakh": 5,
        "million": 6,
        "millions": 6,
        "m": 6,
        "mn": 6,
        "mln": 6,
        "crore": 7,
        "billion": 9,
        "billions": 9,
        "bn": 9,
        "b": 9,
        "trillion": 12,
        "tn": 12,
        # French, Spanish, Russian, Arabic and Chinese (the six UN languages).
        "mille": 3,
        "millier": 3,
        "milliers": 3,
        "miles": 3,
        "milliard": 9,
        "milliards": 9,
        "millón": 6,
        "millon": 6,
        "millones": 6,
        "mil millones": 9,
        "millardo": 9,
        "millardos": 9,
        "тыс.": 3,
        "тыс": 3,
        "тысяча": 3,
        "тысячи": 3,
        "тысяч": 3,
        "млн": 6,
        "миллион": 6,
        "миллиона": 6,
        "миллионов": 6,
        "млрд": 9,
        "миллиард": 9,
        "миллиарда": 9,
        "миллиардов": 9,
        "مليون": 6,
        "ملايين": 6,
        "مليار": 9,
        "مليارات": 9,
        "千": 3,
        "万": 4,
        "百万": 6,
        "亿": 8,
    }
)

#: The members of the two CFA franc unions (BCEAO: UEMOA, BEAC: CEMAC), whose
#: currencies are both written "FCFA"; the source is each central bank's list of states.
CFA_UNIONS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "XOF": frozenset({"BJ", "BF", "CI", "GW", "ML", "NE", "SN", "TG"}),
        "XAF": frozenset({"CM", "CF", "TD", "CG", "GQ", "GA"}),
    }
)

#: How people write the CFA franc without saying which (compared case-insensitively,
#: spaces collapsed).
CFA_WORDS = frozenset(
    {"fcfa", "cfa", "f cfa", "franc cfa", "francs cfa", "cfa franc", "cfa francs", "cfaf"}
)

#: Abbreviations in common use that CLDR does not give in the locales that write
#: them (compared case-insensitively).
CURRENCY_ABBREVIATIONS: Mapping[str, str] = MappingProxyType(
    {
        "ksh": "KES",
        "kshs": "KES",
        "ksh.": "KES",
        "ush": "UGX",
        "ushs": "UGX",
        "tsh": "TZS",
        "tshs": "TZS",
    }
)

#: Signs that several independent currencies write alone in their own countries
#: (CLDR's symbol for the currency in its home territory), so that the sign alone
#: does not say which currency is meant. Checked against babel by the tests.
SHARED_SIGNS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "$": (
        "ARS", "AUD", "BBD", "BMD", "BND", "BSD", "BZD", "CAD", "CLP", "COP", "CUP", "FJD",
        "GYD", "JMD", "KYD", "LRD", "MXN", "NZD", "SBD", "SGD", "SRD", "TTD", "TWD", "USD",
        "UYU", "XCD",
    ),
    "kr": ("DKK", "NOK", "SEK"),
    "kr.": ("DKK", "ISK"),
    "Rs": ("MUR", "PKR"),
    "Br": ("BYN", "ETB"),
    "K": ("MMK", "PGK", "ZMW"),
    "L": ("HNL", "MDL"),
})  # fmt: skip

# Exact for every number of MAX_PARSE_LENGTH digits, scaled by up to 10**12.
_EXACT = decimal.Context(prec=MAX_PARSE_LENGTH + 20, traps=[decimal.Inexact])
# Spaces that people and CLDR put between digit groups.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "})
_MINUS = ("-", "\u2212")
_NUMBER = re.compile(r"\d+(?:[ '\u2019.,]\d+)*")
_SPACE_GROUPED = re.compile(r"\d{1,3}(?:[ '\u2019]\d{3})+(?:[.,]\d+)?")
#: A number whose one dot may group thousands or be the decimal sign: ``1.500`` is
#: 1500 in German or Spanish and 1.5 in English (a leading ``0.`` can only be decimal).
DOT_GROUPED = re.compile(r"[1-9]\d{0,2}\.\d{3}")
_SCALE = re.compile(
    r"\s*("
    + "|".join(re.escape(word) for word in sorted(SCALES, key=len, reverse=True))
    # A scale word ends the word (the Chinese ones are followed by the currency's name).
    + r")(?:(?<=[千万亿])|(?![^\W\d_]))(?:\s*(?:de\s+|d['\u2019]\s*))?",
    re.IGNORECASE,
)


@once
def _locale(name: str) -> Locale:
    try:
        return Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise PledgeDataError.single(
            "locale.unknown", f"{name!r} is not a locale babel knows", name
        ) from error


@once
def _symbols(name: str) -> Mapping[str, tuple[str, ...]]:
    """Symbol → currencies, from the locale's CLDR data."""
    found: dict[str, list[str]] = {}
    for code, symbol in _locale(name).currency_symbols.items():
        if symbol != code:
            found.setdefault(symbol, []).append(code)
    found.setdefault("US$", []).append("USD")
    return {symbol: tuple(sorted(set(codes))) for symbol, codes in found.items()}


@once
def _names(name: str) -> Mapping[str, tuple[str, ...]]:
    """Lower-case currency name (singular and plural) → currencies, in the locale."""
    found: dict[str, set[str]] = {}
    for code in list_currencies():
        for count in (None, 1, 2):
            label = get_currency_name(code, count, locale=name)
            if label and label != code:
                found.setdefault(label.casefold(), set()).add(code)
    return {label: tuple(sorted(codes)) for label, codes in found.items()}


@once
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


@once
def _home_currency(name: str) -> str | None:
    territory = _locale(name).territory
    if not territory:
        return None
    current = get_territory_currencies(territory, dt.datetime.now(tz=dt.UTC).date())
    return current[0] if current else None


def _one_script(text: str) -> None:
    """Refuse a number whose digits are of two scripts (``1٢3``): which was meant?"""
    zeros = {ord(char) - unicodedata.digit(char) for char in text if char.isdigit()}
    if len(zeros) > 1:
        scripts = ", ".join(f"{chr(zero)}-{chr(zero + 9)}" for zero in sorted(zeros))
        raise PledgeDataError.single(
            "money.unparsable",
            f"{text!r} mixes the digits of {len(zeros)} scripts ({scripts}); "
            "write the number in one script",
            text,
        )


def _number(text: str, locale: str) -> Decimal:
    _one_script(text)
    if any(separator in text for separator in " '\u2019"):
        if not _SPACE_GROUPED.fullmatch(text):
            raise PledgeDataError.single(
                "money.unparsable",
                f"{text!r} is not one number: spaces and apostrophes separate groups of "
                "three digits (1 250 000, 1'250'000)",
                text,
            )
        text = re.sub(r"[ '\u2019]", "", text)
    _dot_decided(text, locale)
    try:
        # babel's strict check formats the number back in the current context: in
        # the default 28 digits a longer number is an InvalidOperation, not an answer.
        with decimal.localcontext(decimal.Context(prec=len(text) + 28)):
            # The Locale itself, loaded once: babel parses a locale's name on every call.
            return parse_decimal(text, locale=_locale(locale), strict=True)
    except NumberFormatError as error:
        raise PledgeDataError.single(
            "money.unparsable", f"{text!r} is not a number in locale {locale!r}: {error}", text
        ) from error


def _dot_decided(text: str, locale: str) -> None:
    """Refuse ``1.500`` where the locale writes no dot: 1500 or 1.5 depends on the writer.

    babel reads such a dot as the decimal sign (Python's ``Decimal`` accepts it),
    which turned a French ``1.500 EUR`` (1,500 euros, grouped the German way) into 1.5.
    """
    if not DOT_GROUPED.fullmatch(text):
        return
    decimal_sign = get_decimal_symbol(_locale(locale))
    if "." in {decimal_sign, get_group_symbol(_locale(locale))}:
        return  # the locale decides: 1.500 is 1.5 in en, 1500 in de
    grouped = Decimal(text.replace(".", ""))
    raise PledgeDataError.single(
        "money.unparsable",
        f"{text!r} is {grouped} where a dot groups thousands (de, es) or "
        f"{Decimal(text).normalize():f} where it is the decimal sign (en); locale {locale!r} "
        f"writes neither with a dot: write {grouped} or the decimal with {decimal_sign!r}",
        text,
    )


def _candidates(token: str, locale: str) -> tuple[str, ...]:
    upper = token.upper()
    if len(token) == 3 and token.isalpha() and upper in _currencies():
        return (upper,)
    folded = " ".join(token.split()).casefold()
    if folded in CFA_WORDS:
        return tuple(sorted(CFA_UNIONS))
    if folded in CURRENCY_ABBREVIATIONS:
        return (CURRENCY_ABBREVIATIONS[folded],)
    if token in SHARED_SIGNS:
        return SHARED_SIGNS[token]
    symbols = _symbols(locale)
    if token in symbols:
        return symbols[token]
    return _names(locale).get(" ".join(token.split()).casefold(), ())


def _cfa_union(pledger_country: str | None, beneficiary_countries: Sequence[str]) -> str | None:
    for currency, members in CFA_UNIONS.items():
        if pledger_country in members:
            return currency
    for currency, members in CFA_UNIONS.items():
        if beneficiary_countries and all(c in members for c in beneficiary_countries):
            return currency
    return None


def _currency(
    token: str,
    locale: str,
    default: str | None,
    countries: tuple[str | None, Sequence[str]] = (None, ()),
) -> str:
    candidates = _candidates(token, locale)
    if candidates == tuple(sorted(CFA_UNIONS)):
        union = _cfa_union(*countries)
        if union is not None:
            return union
        if default in candidates:
            return default
        raise PledgeDataError.single(
            "currency.ambiguous",
            f"{token!r} is the CFA franc of two unions: XOF (West Africa, UEMOA) or XAF "
            "(Central Africa, CEMAC); neither the pledger's country nor the beneficiaries "
            "say which: write XOF or XAF",
            token,
        )
    if not candidates:
        raise PledgeDataError.single(
            "currency.unknown",
            f"cannot tell which currency {token!r} is in locale {locale!r}; "
            "write its ISO 4217 code (EUR, USD, ...)",
            token,
        )
    if len(candidates) == 1:
        return candidates[0]
    home = _home_currency(locale)
    if home in candidates:
        return home
    if default in candidates:
        return default
    raise PledgeDataError.single(
        "currency.ambiguous",
        f"{token!r} is the sign of several currencies ({', '.join(candidates)}); write the "
        "ISO 4217 code or pass default_currency=",
        token,
    )


def _sign(before: str, text: str) -> tuple[str, bool]:
    """Return the text before the number without its minus sign, and whether it had one.

    A sign stands at the start of the text or right before the number; a ``-``
    inside a currency's name is part of the name. Two signs are an error.
    """
    signs = 0
    rest = before.strip()
    while rest.startswith(_MINUS):
        signs += 1
        rest = rest[1:].lstrip()
    while rest.endswith(_MINUS):
        signs += 1
        rest = rest[:-1].rstrip()
    if signs > 1:
        raise PledgeDataError.single(
            "money.unparsable",
            f"{text!r} has {signs} minus signs; an amount has at most one "
            "(is it negative or not?)",
            text,
        )
    return rest, signs == 1


def _scaled(
    amount: Decimal, after: str, text: str, locale: str, default: str | None, *, alone: bool
) -> tuple[Decimal, str]:
    """Apply the scale word that follows the number, if any; return the amount and the rest."""
    scale = _SCALE.match(after)
    if scale is None:
        return amount, after.strip()
    rest = after[scale.end() :].strip()
    if alone and not rest:  # the scale word is the only word: it may be a sign
        _scale_or_sign(scale.group(1), text, locale, default)
    return amount.scaleb(SCALES[scale.group(1).lower()], context=_EXACT), rest


def without_scale(after: str) -> str:
    """Return the text after a number without the scale word it starts with, if any.

    ``" million USD"`` is ``" USD"``: how a range reads its low end as written when the
    scale word stands after the high end only.
    """
    scale = _SCALE.match(after)
    return after if scale is None else after[scale.end() :]


def _scale_or_sign(word: str, text: str, locale: str, default: str | None) -> None:
    """Refuse a scale word that is the text's only word when it may be the currency's sign.

    ``5 K`` with the kwacha as the default is 5,000 kwacha or 5 kwacha: either
    reading is a guess.
    """
    signs = [currency for currency in _candidates(word, locale) if currency in _currencies()]
    possible = sorted(code for code in (default, _home_currency(locale)) if code in signs)
    if possible:
        raise PledgeDataError.single(
            "currency.ambiguous",
            f"{text!r}: {word!r} is a scale (thousand) or the sign of {', '.join(signs)}, and "
            f"{', '.join(possible)} may be meant; write the scale in full (5 thousand) or "
            f"the currency's code ({possible[0]} 5)",
            text,
        )


def parse_money(
    text: str,
    *,
    locale: str = "en",
    default_currency: str | None = None,
    pledger_country: str | None = None,
    beneficiary_countries: Sequence[str] = (),
) -> tuple[Decimal, str]:
    """Read an amount and a currency from text; see the module's rules.

    Returns:
        The exact amount and the ISO 4217 code.

    Raises:
        PledgeDataError: ``value.type``, ``text.too_long`` (more than
            :data:`MAX_PARSE_LENGTH` characters), ``money.unparsable``, ``currency.unknown``,
            ``currency.ambiguous``, ``currency.missing``, ``currency.conflict``,
            ``locale.unknown``.
    """
    if not isinstance(text, str):
        raise PledgeDataError.single(
            "value.type", f"an amount to parse is a str, not {type(text).__name__}", text
        )
    if len(text) > MAX_PARSE_LENGTH:
        raise PledgeDataError.single(
            "text.too_long",
            f"the text has {len(text)} characters; an amount to parse has at most "
            f"{MAX_PARSE_LENGTH}",
            text[:80] + "...",
        )
    if not isinstance(locale, str):  # the locale is a cache's key: a list would not hash
        raise PledgeDataError.single(
            "locale.unknown", f"a locale is a name such as 'fr', not {locale!r}", locale
        )
    _locale(locale)
    cleaned = " ".join(text.translate(_SPACES).split())
    countries = (pledger_country, tuple(beneficiary_countries))
    numbers = list(_NUMBER.finditer(cleaned))
    if len(numbers) != 1:
        how_many = "no number" if not numbers else f"{len(numbers)} numbers"
        raise PledgeDataError.single(
            "money.unparsable", f"{text!r} has {how_many}; an amount has one", text
        )
    (match,) = numbers
    before = cleaned[: match.start()].rstrip()
    after = cleaned[match.end() :]
    before, negative = _sign(before, text)
    amount = _number(match.group(), locale)
    amount, after = _scaled(amount, after, text, locale, default_currency, alone=not before)
    if before and after:
        first, second = (
            _currency(before, locale, default_currency, countries),
            _currency(after, locale, default_currency, countries),
        )
        if first != second:
            raise PledgeDataError.single(
                "currency.conflict", f"{text!r} names two currencies, {first} and {second}", text
            )
        currency = first
    elif before or after:
        currency = _currency(before or after, locale, default_currency, countries)
    elif default_currency is not None:
        currency = default_currency
    else:
        raise PledgeDataError.single(
            "currency.missing",
            f"{text!r} names no currency; write one (EUR 5) or pass default_currency=",
            text,
        )
    if amount.as_tuple().exponent > 0:  # type: ignore[operator]
        # A scaled whole number is written out: 155 million is 155000000, not 1.55E+8.
        amount = amount.quantize(Decimal(1), context=_EXACT)
    # copy_negate is exact; unary minus would round to the context's 28 digits.
    return (amount.copy_negate() if negative else amount), currency
