"""Cells that are not taken literally: amounts, dates and targets as people write them.

Each reader returns the value and the rule that produced it (for the import log),
or raises :class:`~p2c_pledges.PledgeDataError` with one issue; warnings (a
qualifier kept, a month-precision date) come back as :class:`Note` objects.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from attrs import define
from babel import Locale
from babel.numbers import list_currencies

from .._parse_money import DOT_GROUPED, without_scale
from ..codes import Metric
from ..errors import PledgeDataError
from ..model import Target
from ..money import Money
from ._names import fold


__all__ = [
    "EARLIEST_DATE",
    "FULL_NUMBER",
    "IN_KIND_WORDS",
    "LATEST_DATE",
    "QUALIFIERS",
    "Amount",
    "DateOrder",
    "HeadingUnit",
    "Note",
    "QualifierRule",
    "RangeRule",
    "heading_unit",
    "read_amount",
    "read_date",
    "read_formatted_number",
    "read_targets",
    "scaled",
    "split_heading",
]

#: How a range is read: an error, its low or high end, or its middle.
RangeRule = Literal["error", "low", "high", "mid"]
#: What a qualifier does: kept in extras and reported (a warning), or an error.
QualifierRule = Literal["keep", "error"]
#: The order of an all-digit date's day and month.
DateOrder = Literal["day_first", "month_first"]

#: Words that make an amount approximate, a ceiling, a floor or spread over a period;
#: they are removed before parsing and kept in the pledge's extras (``amount_qualifier``).
QUALIFIERS = (
    r"approx\.?",
    r"approximately",
    r"about",
    r"around",
    r"circa",
    r"ca\.",
    r"~",
    r"up to",
    r"at least",
    r"more than",
    r"over",
    r"environ",
    r"jusqu['\u2019]à",
    r"plus de",
    r"au moins",
    r"près de",
    r"aproximadamente",
    r"hasta",
    r"más de",
    r"около",
    r"до",
    r"более",
)
_QUALIFIER_FRONT = re.compile(r"^\s*(" + "|".join(QUALIFIERS) + r")\s*", re.IGNORECASE)
# A period after the amount: "over 3 years", "per year", "sur 5 ans", "annually".
_QUALIFIER_BACK = re.compile(
    r"\s*((?:over|in|during|sur|en|durante|en)\s+\d+\s+\w+|per\s+(?:year|annum)|par\s+an"
    r"|annually|/\s*(?:year|yr|an))\s*$",
    re.IGNORECASE,
)
#: Texts that say a pledge is not money (compared folded).
IN_KIND_WORDS = frozenset(
    {"in kind", "non financial", "nonfinancial", "en nature", "non financier", "en especie"}
)
_RANGE = re.compile(
    r"^(?P<before>[^\d]*?)(?P<low>\d[\d.,'\u2019\u00a0\u202f ]*?)\s*(?:[-\u2013\u2014]|to|à|a|до)\s*"
    r"(?P<high>\d[\d.,'\u2019\u00a0\u202f ]*\d|\d)(?P<after>\D.*)?$",
    re.IGNORECASE,
)
#: A range's low end at least this large, as written, is a full number: when the scale
#: word after the high end would put it above the high end ("USD 500,000 - 2 million"),
#: it is read as written (500,000), not scaled (500,000 million).
FULL_NUMBER = Decimal(1000)
#: The first and last dates a pledge's date may be. A date read outside them is refused:
#: it is a year of another calendar (Hijri 1443, Buddhist 2565) or a year written short
#: (0022), not a pledge's. Fixed, not counted from today, so that an import of one file
#: answers the same on every day.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 system, past its 1900-02-29 bug
_EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)  # the 1904 system (old Mac workbooks): serial 0


@define(frozen=True)
class Note:
    """A decision to record in the import log; ``warning`` ones are reported as issues too."""

    rule: str
    result: str
    warning: bool = False
    code: str = ""
    message: str = ""  # the warning's sentence, when "raw: result" does not say enough


@define(frozen=True, kw_only=True)
class Amount:
    """An amount as read: the money (``None`` for in-kind), and the notes to record."""

    money: Money | None
    qualifier: str | None
    notes: tuple[Note, ...]


@define(frozen=True, kw_only=True)
class HeadingUnit:
    """The unit an amount column's heading states: ``Amount (USD millions)`` is USD x 10⁶.

    ``currency`` is ``None`` when the heading gives a scale alone ("in millions"), and
    ``scale`` is 0 when it gives a currency alone ("Value (EUR)").
    """

    heading: str
    currency: str | None
    #: The power of ten the heading's scale word stands for (6 for "millions").
    scale: int
    #: The heading's words that state the unit ("USD millions").
    words: str

    def describe(self) -> str:
        """The unit as the import log writes it: ``USD x 1000000``."""
        parts = [self.currency] if self.currency else []
        if self.scale:
            parts.append(f"x {Decimal(1).scaleb(self.scale):f}")
        return " ".join(parts)


#: The words that join a quantity to its currency: "millions of dollars", "miles de USD".
_CONNECTORS = frozenset({"of", "de", "del", "d'", "d\u2019"})
#: The words that may stand next to a heading's unit and say nothing of it; any other
#: word there may be a part of the unit the library cannot read ("USD mil", "Mio. EUR").
_NEUTRAL = frozenset(
    {
        *("in", "en", "all", "total", "amount", "value", "pledged", "per", "year", "years"),
        *("est.", "est", "estimated", "approx.", "approx", "nominal", "equiv.", "equivalent"),
    }
)
#: Ordinary words that are also ISO 4217 codes in lower case ("all" the lek, "top" the
#: pa\u02bbanga): words, where any other lower-case code is refused ("eur": write EUR).
_CODE_LIKE_WORDS = frozenset(
    {"all", "top", "try", "cup", "mad", "pen", "gel", "bob", "sos", "mop", "bam", "rub", "ron"}
    | {"php", "ils", "mur", "ves", "std", "dop"}
)
#: Unit words that Money.parse does not read (on purpose, "mil" is a thousand in Spanish
#: and a million in English slang; or not yet): refused in a heading wherever they
#: stand, since an amount read without them is 10**3 to 10**9 off or in another currency.
_UNREAD_UNIT_WORDS = frozenset(
    {"mil", "mio", "mio.", "mrd", "mrd.", "md", "mds", "mm", "bln", "thou", "tsd", "tsd."}
    | {"rmb", "yen", "yuan", "rupee", "rupees", "руб.", "руб"}  # noqa: RUF001 - Russian
)
#: Currency names that several currencies share, read as their sign is: "dollars" is "$".
_SHARED_NAMES = dict.fromkeys(("dollar", "dollars", "dólar", "dólares", "dolar", "dolares"), "$")
#: A power of ten written in digits: the accountants' "'000", "(000s)", "'000 000"
#: (millions), and "1000s", "x 1000", "x1,000", "1,000,000" (a thousands separator,
#: the same one throughout; dots only twice or more, since "1.000" is 1 in English).
_POWER = re.compile(
    r"(?<!\d[.,'\u2019 ])(?<![\w.])(?:[x\u00d7]\s?)?"
    r"(?:['\u2019]?000(?:[ '\u2019]?000)*|1(?P<sep>[,'\u2019 ]?)000(?:(?P=sep)000)*|1(?:\.000){2,})"
    r"s?(?!\w)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:19|20)\d\d(?:[-\u2013](?:19|20)?\d\d)?")
#: A heading's tokens: words, and the punctuation that ends a run of words.
_HEADING_TOKEN = re.compile(r"[dD]['\u2019]|[^\s()\[\]{},;:/|]+|[()\[\]{},;:/|]")
_PUNCTUATION = frozenset("()[]{},;:/|")
_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")
#: The longest run of words read as one unit ("francs CFA", "millions d' euros").
_LONGEST_UNIT = 4

# A heading's piece: (kind, words, currency, power); kinds are unit, other, connector,
# neutral, year and stop.
_Piece = tuple[str, str, str | None, int]


def heading_unit(heading: str, *, locale: str, default_currency: str | None) -> HeadingUnit | None:
    """Read the unit an amount column's heading states, if any: its currency, its scale, or both.

    The heading's words are read as :meth:`Money.parse` reads an amount's (the locale's
    currency names and signs, the scale words of the six languages, a plural
    "thousands"), except that an ISO code counts only written in capitals ("all" is a
    word, "ALL" the lek). The accountants' ``'000`` and ``x 1000``, ``1000s``,
    ``1,000,000`` are powers of ten. Every word in the bracket that holds the unit, and
    the words right next to a unit outside brackets, must be read: a currency, a
    scale, a year, or one of a few words that say nothing of the unit ("in", "of",
    "estimated", ...). The unit is read once per column, not per cell.

    Raises:
        PledgeDataError: ``currency.ambiguous`` (a shared sign, ``$``, or name,
            "dollars", that ``default_currency`` does not decide, naming the
            candidates; "K" that may be a scale or the default's sign),
            ``currency.conflict`` (two currencies), ``value.ambiguous`` (two scales,
            a word beside the unit that the library does not read, "USD mil", or a
            word that looks like a unit it cannot read, "€m", "kUSD"),
            ``currency.unknown`` (a scale word followed by words that are no
            currency: "млн долл. США" where the locale lacks them).
    """
    found, _ = split_heading(heading, locale=locale, default_currency=default_currency)
    if isinstance(found, PledgeDataError):
        # A new error each time: raising the cached one would grow its traceback, and
        # keep the frames of every import that raised it, for as long as it is cached.
        raise PledgeDataError(list(found.issues))
    return found


def split_heading(
    heading: str, *, locale: str, default_currency: str | None
) -> tuple[HeadingUnit | PledgeDataError | None, str]:
    """The unit a heading states (or why it cannot be decided), and the heading's other words."""
    return _split_heading(heading, locale, default_currency)


def _power_of(found: re.Match[str]) -> str:
    return f" \ue000{3 * found.group().count('000')} "


@functools.lru_cache(maxsize=256)
def _split_heading(  # noqa: C901, PLR0912 - the pieces, then the rules that span them
    heading: str, locale: str, default_currency: str | None
) -> tuple[HeadingUnit | PledgeDataError | None, str]:
    text = unicodedata.normalize("NFKC", heading)
    # A power of ten in digits is not a word: a token of its own (a private-use
    # character, which no heading holds, and which is no space to the token pattern).
    text = _POWER.sub(_power_of, text)
    tokens = _HEADING_TOKEN.findall(text)
    pieces: list[_Piece] = []
    at = 0
    while at < len(tokens):
        token = tokens[at]
        if token in _PUNCTUATION:
            pieces.append(("stop", token, None, 0))
            at += 1
            continue
        if token.startswith("\ue000"):
            pieces.append(("unit", _power_words(int(token[1:])), None, int(token[1:])))
            at += 1
            continue
        for length in range(min(_LONGEST_UNIT, len(tokens) - at), 0, -1):
            span = tokens[at : at + length]
            if any(t in _PUNCTUATION or t.startswith("\ue000") for t in span):
                continue
            words = " ".join(span)
            try:
                unit = _unit_words(words, locale, default_currency)
            except PledgeDataError as error:
                issue = error.issues[0]
                return PledgeDataError.single(
                    issue.code,
                    f"the heading {heading!r} states the amounts' unit as {words!r}, and "
                    f"{issue.message}",
                    heading,
                ), heading
            if unit is not None:
                pieces.append(("unit", words, *unit))
                at += length
                break
        else:
            pieces.append((_kind(token), token, None, 0))
            at += 1
    units = [piece for piece in pieces if piece[0] == "unit"]
    for before, after in itertools.pairwise(pieces):
        if before[:2] == ("neutral", "per") and after[0] == "unit" and after[3]:
            return PledgeDataError.single(
                "value.ambiguous",
                f"the heading {heading!r} gives {after[1]!r} after 'per': is it the "
                "amounts' scale, or what they are counted per (per 1000 people)? write the "
                "scale without 'per' (Amount (USD '000))",
                heading,
            ), heading
    rest = " ".join(
        word for kind, word, _, _ in pieces if kind in {"other", "connector", "neutral", "year"}
    )
    if not units:
        unread = _unread_words(heading, pieces, locale, [], []) or _unread_unit(
            heading, pieces, None
        )
        return unread, heading
    currencies = sorted({currency for _, _, currency, _ in units if currency})
    powers = [power for _, _, _, power in units if power]
    words = " ".join(word for _, word, _, _ in units)
    problem = None
    if len(currencies) > 1:
        problem = PledgeDataError.single(
            "currency.conflict",
            f"the heading {heading!r} names two currencies, {' and '.join(currencies)}: "
            "which are the amounts in?",
            heading,
        )
    elif len(powers) > 1:
        # Two scales are refused even when they agree: "'000 '000" may be a
        # thousand or a million, and "thousands '000" may be meant as either.
        problem = PledgeDataError.single(
            "value.ambiguous",
            f"the heading {heading!r} names two scales ({words!r}): are the amounts in "
            + " or in ".join(f"{Decimal(1).scaleb(power):f}s" for power in sorted(set(powers)))
            + (f" or in {Decimal(1).scaleb(sum(powers)):f}s" if len(set(powers)) == 1 else "")
            + "?",
            heading,
        )
    else:
        problem = _unread_words(heading, pieces, locale, currencies, powers) or _unread_unit(
            heading, pieces, currencies[0] if currencies else None
        )
    if problem is not None:
        return problem, rest
    return HeadingUnit(
        heading=heading,
        currency=currencies[0] if currencies else None,
        scale=powers[0] if powers else 0,
        words=words,
    ), rest


def _power_words(power: int) -> str:
    return f"x {Decimal(1).scaleb(power):f}"


def _kind(token: str) -> str:
    folded = token.casefold()
    if folded in _CONNECTORS:
        return "connector"
    if folded in _NEUTRAL:
        return "neutral"
    if _YEAR.fullmatch(token):
        return "year"
    return "other"


@functools.cache
def _currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def _looks_like_unit(token: str) -> bool:
    """Whether a word the library did not read looks like a unit: "€m", "kUSD", "x1000"."""
    if any(unicodedata.category(char) == "Sc" for char in token) or "00" in _YEAR.sub("", token):
        return True
    folded = token.casefold()
    if folded in _UNREAD_UNIT_WORDS:
        return True
    codes = _currency_codes()
    if len(token) == 3 and token.upper() in codes and folded not in _CODE_LIKE_WORDS:
        return True  # "eur", "Usd": a code written otherwise than ISO 4217 writes it
    return len(token) <= 6 and any(token[at : at + 3] in codes for at in range(len(token) - 2))


def _unread_unit(
    heading: str, pieces: list[_Piece], currency: str | None
) -> PledgeDataError | None:
    """Refuse a word the library does not read where it may be a part of the unit.

    That is any word in the bracket that holds a unit, any word right next to a unit
    outside brackets, and anywhere a word that looks like a unit ("€m", "kUSD", "USDm");
    reading the unit without it would be 1,000 to 10⁹ times off, or in the wrong currency.
    """
    depth = 0
    bracket = 0
    bracket_of: list[int] = []  # the bracket each piece is in, 0 outside brackets
    for kind, word, _, _ in pieces:
        if kind == "stop" and word in _OPENING:
            depth += 1
            bracket += 1
        elif kind == "stop" and word in _CLOSING:
            depth = max(depth - 1, 0)
        bracket_of.append(bracket if depth else 0)
    with_unit = {bracket_of[at] for at, piece in enumerate(pieces) if piece[0] == "unit"}
    for at, (kind, word, _, _) in enumerate(pieces):
        if kind != "other":
            continue
        beside = [
            pieces[side]
            for side in _neighbours(pieces, at)
            if bracket_of[side] == bracket_of[at] == 0
        ]
        if (
            _looks_like_unit(word)
            or (bracket_of[at] and bracket_of[at] in with_unit)
            or any(piece[0] == "unit" for piece in beside)
        ):
            reading = currency or "the default currency"
            return PledgeDataError.single(
                "value.ambiguous",
                f"the heading {heading!r} states the amounts' unit with {word!r}, which "
                f"the library does not read: are the amounts in {reading}, or in "
                f"thousands, millions or billions of it, or in another currency? write the "
                "currency's ISO 4217 code and a scale word it knows (Amount (USD millions),"
                " Amount (EUR thousands), Amount (USD '000))",
                heading,
            )
    return None


def _neighbours(pieces: list[_Piece], at: int) -> list[int]:
    """The pieces on either side of a piece, past connectors, not past punctuation."""
    found = []
    for step in (-1, 1):
        side = at + step
        while 0 <= side < len(pieces) and pieces[side][0] == "connector":
            side += step
        if 0 <= side < len(pieces) and pieces[side][0] != "stop":
            found.append(side)
    return found


def _unread_words(
    heading: str,
    pieces: list[_Piece],
    locale: str,
    currencies: list[str],
    scales: list[int],
) -> PledgeDataError | None:
    """Refuse words next to the unit that look like a part of it the library cannot read.

    A scale word followed by words that are no currency ("млн долл. США" in a locale
    that lacks "долл. США", "万元") would be read as the default currency; a word
    joined by "of"/"de" to the currency ("miles de USD", "milliers d'euros") is a
    scale word the library lacks, and reading the currency alone would be 1,000
    times off.
    """
    words = [piece for piece in pieces if piece[0] != "connector"]
    for index, (kind, word, currency, power) in enumerate(words):
        leftover = without_scale(" " + word).strip() if kind == "other" else ""
        if kind == "other" and leftover and leftover != word:
            return PledgeDataError.single(
                "currency.unknown",
                f"the heading {heading!r} gives a scale in {word!r}, and {leftover!r} is "
                f"no currency the library reads in locale {locale!r}: write the currency's "
                "ISO 4217 code in the heading (Amount (USD millions))",
                heading,
            )
        following = words[index + 1] if index + 1 < len(words) else None
        if (
            kind == "unit"
            and power
            and currency is None
            and not currencies
            and following is not None
            and following[0] == "other"
        ):
            return PledgeDataError.single(
                "currency.unknown",
                f"the heading {heading!r} gives the scale {word!r}, then {following[1]!r}, "
                f"which is no currency the library reads in locale {locale!r}: write the "
                "currency's ISO 4217 code in the heading (Amount (USD millions))",
                heading,
            )
    for index, (kind, word, _, _) in enumerate(pieces[:-2]):
        joined = pieces[index + 1][0] == "connector" and pieces[index + 2][0] == "unit"
        if kind == "other" and joined and pieces[index + 2][2] and not scales:
            currency = pieces[index + 2][2]
            return PledgeDataError.single(
                "value.ambiguous",
                f"the heading {heading!r} joins {word!r} to {currency}, and {word!r} is no "
                f"scale word the library knows: are the amounts in {currency}, or in "
                f"{word} of {currency}? write the heading with a scale word it knows "
                f"({currency} thousands, {currency} millions) or the currency alone",
                heading,
            )
    return None


@functools.lru_cache(maxsize=1024)
def _unit_words(words: str, locale: str, default: str | None) -> tuple[str | None, int] | None:
    """The currency and the power of ten that words name ("USD", "millions", "millions d' euros").

    ``None`` for words that are neither; a plural of a scale word ("thousands") is
    read as its singular. An ISO code counts only in capitals: "all" and "top" are
    words, not the lek and the pa\u02bbanga. A name that several currencies share
    ("dollars") is read as their sign ("$") is.

    Raises:
        PledgeDataError: ``currency.ambiguous`` for a sign or a name that ``default``
            does not decide, and for "K" when it may be the sign of ``default``.
    """
    codes = _currency_codes()
    # "USD 100" is not "1 USD 100" (1100): numbers are powers of ten only as _POWER
    # writes them ("'000", "x 1000"), read before the words.
    if any(char.isdigit() for char in words) or any(
        len(word) == 3 and word.isalpha() and word.upper() in codes and word != word.upper()
        for word in words.split()
    ):
        return None
    words = _SHARED_NAMES.get(words.casefold(), words)
    try:
        unit = Money.parse(f"1 {words}", locale=locale, default_currency=None)
    except PledgeDataError as error:
        code = error.issues[0].code
        if code == "currency.missing":  # a scale word alone
            # With the mapping's own default, as a cell is read: "K" is a thousand, or
            # the kwacha's sign when the default is ZMW (currency.ambiguous).
            scale = Money.parse(f"1 {words}", locale=locale, default_currency=default or "EUR")
            return None, scale.amount.adjusted()
        if code == "currency.ambiguous":
            unit = Money.parse(f"1 {words}", locale=locale, default_currency=default)
            return unit.currency, unit.amount.adjusted()
        if words[-1:] in "sS" and len(words) > 1 and " " not in words:
            singular = _unit_words(words[:-1], locale, default)
            return singular if singular is not None and singular[0] is None else None
        return None
    return unit.currency, unit.amount.adjusted()


def scaled(number: Decimal, power: int) -> Decimal:
    """``number x 10**power``, exactly, written out (5 x 10⁶ is 5000000, not 5E+6)."""
    if not power:
        return number
    value = number.scaleb(power, context=_EXACT)
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        value = value.quantize(Decimal(1), context=_EXACT)
    return value


# Exact for any number a cell holds, scaled by a heading's power of ten.
_EXACT = decimal.Context(prec=100, traps=[decimal.Inexact])
_NUMBER_IN_TEXT = re.compile(r"\d[\d.,'\u2019\u00a0\u202f ]*")


def _scale_powers(text: str) -> frozenset[int]:
    """The powers of ten of the scale words written after the numbers of a text."""
    powers = set()
    for found in _NUMBER_IN_TEXT.finditer(text):
        after = text[found.end() :]
        rest = without_scale(after)
        if rest != after:
            word = after[: len(after) - len(rest)]
            try:
                one = Money.parse(f"1 {word}", locale="en", default_currency="EUR")
            except PledgeDataError:  # pragma: no cover - a scale word the parser matched
                continue
            powers.add(one.amount.adjusted())
    return frozenset(powers)


def read_amount(
    cell: object,
    *,
    currency: str | None,
    locale: str,
    ranges: RangeRule,
    pledger_country: str | None,
    beneficiary_countries: Sequence[str],
    qualifiers: QualifierRule = "keep",
    unit: HeadingUnit | None = None,
) -> Amount:
    """Read an amount cell: a number (with ``currency``) or a text (``"USD 1.5-2 million"``).

    ``unit`` is what the column's heading states (``Amount (USD millions)``): see
    :func:`_under_heading`.

    Raises:
        PledgeDataError: ``amount.range``, ``currency.missing``, ``amount.qualifier``
            (with ``qualifiers="error"``), ``currency.conflict`` and ``value.ambiguous``
            (a text whose own currency or scale word contradicts the heading's), or an
            issue of :meth:`Money.parse`.
    """
    if unit is not None:
        return _under_heading(
            cell,
            unit,
            currency=currency,
            locale=locale,
            ranges=ranges,
            pledger_country=pledger_country,
            beneficiary_countries=beneficiary_countries,
            qualifiers=qualifiers,
        )
    if isinstance(cell, Decimal):
        if currency is None:
            raise PledgeDataError.single(
                "currency.missing",
                f"the number {cell} has no currency: map a currency column or set "
                "default_currency in the mapping",
                str(cell),
            )
        return Amount(
            money=Money(cell, currency),
            qualifier=None,
            notes=(Note("amount.number_cell", f"{cell} {currency}"),),
        )
    text = str(cell)
    if fold(text) in IN_KIND_WORDS:
        return Amount(
            money=None,
            qualifier=text,
            notes=(Note("amount.in_kind", "no amount", warning=True, code="amount.in_kind"),),
        )
    notes: list[Note] = []
    text, qualifier = _qualifier(text)
    if qualifier and qualifiers == "error":
        raise PledgeDataError.single(
            "amount.qualifier",
            f"{cell!r} qualifies its amount ({qualifier!r}); write the amount alone, or set "
            'qualifiers = "keep" in the mapping',
            str(cell),
        )
    if qualifier:
        notes.append(
            Note("amount.qualifier", f"kept: {qualifier!r}", warning=True, code="amount.qualifier")
        )
    context = {
        "locale": locale,
        "default_currency": currency,
        "pledger_country": pledger_country,
        "beneficiary_countries": tuple(beneficiary_countries),
    }
    found = _RANGE.match(text)
    if found and found.group("high"):
        low, high, as_written = _range_ends(text, found, context)
        if ranges == "error":
            raise PledgeDataError.single(
                "amount.range",
                f'{text!r} is a range ({low} to {high}); set ranges = "low", "high" or '
                '"mid" in the mapping to choose',
                text,
            )
        chosen = {
            "low": low,
            "high": high,
            "mid": Money((low.amount + high.amount) / 2, low.currency),
        }[ranges]
        # The log and the warning say when the scale word was the high end's alone.
        detail = " (low end as written)" if as_written else ""
        notes.append(
            Note(
                f"amount.range.{ranges}{detail}",
                str(chosen),
                warning=True,
                code="amount.range",
                message=f"{text!r}: {low} to {high}, the low end as written and the scale "
                f"word the high end's alone; read as its {ranges}: {chosen}"
                if as_written
                else "",
            )
        )
        return Amount(money=chosen, qualifier=qualifier, notes=tuple(notes))
    money = _parse(text, **context)
    notes.append(Note(_currency_rule(text), str(money)))
    return Amount(money=money, qualifier=qualifier, notes=tuple(notes))


def _under_heading(
    cell: object,
    unit: HeadingUnit,
    *,
    currency: str | None,
    locale: str,
    ranges: RangeRule,
    pledger_country: str | None,
    beneficiary_countries: Sequence[str],
    qualifiers: QualifierRule,
) -> Amount:
    """Read an amount cell of a column whose heading states a unit.

    A number, or a text that names neither a currency nor a scale word ("5",
    "approx. 1.5-2"), is in the heading's unit: 5 under ``Amount (USD millions)`` is
    USD 5,000,000. A text that names its own currency or scale word is read as
    written when that agrees with the heading, and refused when it does not: another
    currency is ``currency.conflict``; another scale word, or a currency but no scale
    word under a heading with one ("USD 5": 5 or 5 million?), is ``value.ambiguous``,
    naming both readings.
    """
    fallback = unit.currency or currency
    if isinstance(cell, Decimal):
        if fallback is None:
            raise PledgeDataError.single(
                "currency.missing",
                f"the number {cell} has no currency (its heading {unit.heading!r} gives "
                "none): map a currency column or set default_currency in the mapping",
                str(cell),
            )
        value = scaled(cell, unit.scale)
        return Amount(
            money=Money(value, fallback),
            qualifier=None,
            notes=(Note("amount.number_cell (unit of its heading)", f"{value} {fallback}"),),
        )
    context: dict[str, Any] = {
        "locale": locale,
        "ranges": ranges,
        "pledger_country": pledger_country,
        "beneficiary_countries": beneficiary_countries,
        "qualifiers": qualifiers,
    }
    try:
        own = read_amount(cell, currency=None, **context)
    except PledgeDataError as error:
        if error.issues[0].code != "currency.missing":
            raise
        own = None
    if own is not None and own.money is None:  # in kind
        return own
    powers = _scale_powers(str(cell))
    amount = own if own is not None else read_amount(cell, currency=fallback, **context)
    money = amount.money
    if money is None:  # pragma: no cover - in kind is answered above
        return amount
    by_heading = Money(scaled(money.amount, unit.scale), money.currency)
    if own is not None and unit.currency is not None and money.currency != unit.currency:
        raise PledgeDataError.single(
            "currency.conflict",
            f"the cell {cell!r} is in {money.currency}, and its heading {unit.heading!r} "
            f"says {unit.currency}: which is it?",
            str(cell),
        )
    if unit.scale and (powers - {unit.scale} or (own is not None and not powers)):
        said = "no scale word" if not powers else "its own scale word"
        raise PledgeDataError.single(
            "value.ambiguous",
            f"the cell {cell!r} gives {said}, and its heading {unit.heading!r} says "
            f"{unit.words!r} ({unit.describe()}): is it {money} as written, or "
            f"{by_heading} by the heading? write the number alone (in the heading's "
            "unit), or the full amount under a heading without a scale",
            str(cell),
        )
    if powers or own is not None:  # as written, in agreement with the heading
        return amount
    return Amount(
        money=by_heading,
        qualifier=amount.qualifier,
        notes=(*amount.notes, Note("amount.heading_unit", str(by_heading))),
    )


#: A number format's parts: quoted text, an escaped character, a bracket, a percent sign.
_FORMAT_PART = re.compile(
    r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[(?P<bracket>[^\]]*)\]|[_*](?P<skip>.)|(?P<other>.)'
)
#: The digit placeholders of a number format, and the commas that follow the last (each divides by 1,000).
_TRAILING_COMMAS = re.compile(r"[0#?](,+)(?![0#?,])")


def _format_shows(section: str) -> tuple[list[str], bool]:
    """The texts a number format's section shows besides the number, and whether it shows a percent."""
    words: list[str] = []
    percent = False
    for part in _FORMAT_PART.finditer(section):
        if part.group("bracket") is not None:
            inside = part.group("bracket")
            if inside.startswith("$"):
                words.append(inside[1:].split("-", 1)[0])
        elif part.group("other") is not None:
            char = part.group("other")
            if char == "%":
                percent = True
            elif char == "$" or not char.isascii():
                words.append(char)
        elif part.group("skip") is None:  # "_(" is a space as wide as "(", "* " a fill
            words.append(part.group("quoted") or part.group("escaped") or "")
    return words, percent


def read_formatted_number(
    cell: Decimal,
    code: str,
    *,
    currency: str | None,
    column_currency: bool,
    locale: str,
    unit: HeadingUnit | None = None,
) -> Amount:
    """Read a number cell whose number format shows more than the number: a currency, a scale, a percent.

    The format is what a person sees: ``€5,000`` (``"€"#,##0``), ``KES 5,000``
    (``[$KES] #,##0``), ``5 M`` (``0 "M"``). A currency it shows is the amount's
    when nothing else names one (as a text's own currency wins over
    ``default_currency``), and a conflict with the row's currency column; a scale
    word it shows that its format does not divide by (``0 "M"`` on 5, against
    ``#,##0,,"M"`` on 5000000) leaves two readings, as does a percentage.

    Under a heading that states a unit (``unit``), a currency the format shows
    that is not the heading's is ``currency.conflict``; a format that divides
    for display (``#,##0,,"M"``: the cell holds the full amount) agrees with a
    heading of the same scale and is refused under another; a format that
    divides nothing takes the heading's scale.

    Raises:
        PledgeDataError: ``value.ambiguous`` (a scale or a percent shown that is not
            the value), ``currency.conflict``, ``currency.ambiguous``,
            ``currency.unknown`` (a text shown that is no currency).
    """
    if unit is not None and unit.currency is not None:
        currency = unit.currency  # the heading's currency decides a shared sign, as a default
    section = code.split(";", 1)[0]
    words, percent = _format_shows(section)
    shown_text = " ".join(" ".join(words).split())
    if percent:
        raise PledgeDataError.single(
            "value.ambiguous",
            f"the number cell {cell} is formatted as a percentage ({code!r}: it shows "
            f"{cell * 100}%), not as an amount: is the amount {cell}, or is the cell a share? "
            "type the amount, with a format that shows it",
            str(cell),
        )
    try:
        named, scale, divided = _format_unit(section, shown_text, locale, currency)
    except PledgeDataError as error:
        raise PledgeDataError.single(
            error.issues[0].code,
            f"the number cell {cell} shows {shown_text!r} by its format {code!r}: "
            f"{error.issues[0].message}",
            str(cell),
        ) from None
    if scale != divided:
        shown_number = cell.scaleb(-divided)
        meant = cell.scaleb(scale - divided)
        meant = meant.quantize(Decimal(1)) if meant == meant.to_integral_value() else meant
        raise PledgeDataError.single(
            "value.ambiguous",
            f"the number cell holds {cell}, and its format {code!r} shows it as "
            f"{shown_number} {shown_text!r}, which is {meant}: which is the amount? type the "
            'full amount, with a format that divides it for display (#,##0,,"M")',
            str(cell),
        )
    if named is not None and currency is not None and named != currency and column_currency:
        raise PledgeDataError.single(
            "currency.conflict",
            f"the number cell {cell} shows {named} by its format {code!r}, but the row's "
            f"currency column says {currency!r}: which is it?",
            str(cell),
        )
    value = cell
    if unit is not None:
        if named is not None and unit.currency is not None and named != unit.currency:
            raise PledgeDataError.single(
                "currency.conflict",
                f"the number cell {cell} shows {named} by its format {code!r}, and its "
                f"heading {unit.heading!r} says {unit.currency}: which is it?",
                str(cell),
            )
        if divided and unit.scale and divided != unit.scale:
            raise PledgeDataError.single(
                "value.ambiguous",
                f"the number cell holds {cell}, shown as {cell.scaleb(-divided)} "
                f"{shown_text!r} by its format {code!r}, and its heading {unit.heading!r} "
                f"says {unit.words!r}: is the amount {cell} as held, or "
                f"{scaled(cell.scaleb(-divided), unit.scale)} by the heading?",
                str(cell),
            )
        value = cell if divided else scaled(cell, unit.scale)
    chosen = named or currency
    if chosen is None:
        raise PledgeDataError.single(
            "currency.missing",
            f"the number {cell} has no currency: map a currency column or set "
            "default_currency in the mapping",
            str(cell),
        )
    rule = "amount.number_cell" + (
        " (currency of its number format)"
        if named
        else " (unit of its heading)"
        if value is not cell or (unit is not None and unit.currency)
        else ""
    )
    return Amount(
        money=Money(value, chosen), qualifier=None, notes=(Note(rule, f"{value} {chosen}"),)
    )


@functools.lru_cache(maxsize=256)
def _format_unit(
    section: str, shown_text: str, locale: str, currency: str | None
) -> tuple[str | None, int, int]:
    """The currency a format shows, the power of ten of its scale word, and of its division.

    Cached: a column's cells share a handful of formats.
    """
    commas = _TRAILING_COMMAS.search(section.split("E", maxsplit=1)[0])
    divided = 3 * len(commas.group(1)) if commas else 0
    if not shown_text:
        return None, 0, divided
    try:
        unit = Money.parse(f"1 {shown_text}", locale=locale, default_currency=None)
    except PledgeDataError as error:
        code = error.issues[0].code
        if code == "currency.missing":  # a scale word alone: its power of ten
            scale = Money.parse(f"1 {shown_text}", locale=locale, default_currency="EUR")
            return None, scale.amount.adjusted(), divided
        if currency is None or code != "currency.ambiguous":
            raise
        unit = Money.parse(f"1 {shown_text}", locale=locale, default_currency=currency)
    return unit.currency, unit.amount.adjusted(), divided


def _range_ends(
    text: str, found: re.Match[str], context: dict[str, Any]
) -> tuple[Money, Money, bool]:
    """Return a range's low and high ends, and whether the low end was read as written.

    The currency and the scale word written once ("USD 1.5-2 million") belong to both
    ends. A scale word that would put the low end above the high end is the high end's
    alone when the low end is written in full (:data:`FULL_NUMBER`); a low end above the
    high end either way is an error naming both ends.

    Raises:
        PledgeDataError: ``amount.range`` (the low end above the high end),
            ``currency.conflict``, or an issue of :meth:`Money.parse`.
    """
    before, after = found.group("before"), found.group("after") or ""
    high = _parse(f"{before}{found.group('high')}{after}", **context)
    scaled = _parse(f"{before}{found.group('low')}{after}", **context)
    if scaled.currency != high.currency:
        raise PledgeDataError.single(
            "currency.conflict",
            f"{text!r} names two currencies, {scaled.currency} and {high.currency}",
            text,
        )
    if scaled.amount <= high.amount:
        return scaled, high, False
    written = _parse(f"{before}{found.group('low')}{without_scale(after)}", **context)
    if FULL_NUMBER <= written.amount <= high.amount:
        return written, high, True
    readings = f"{scaled} to {high}"
    if written != scaled:
        why = (
            f"but a low end below {FULL_NUMBER} is not a full number"
            if written.amount < FULL_NUMBER
            else "the low end above the high end too"
        )
        readings += f", or {written} to {high} if the scale word is the high end's alone ({why})"
    raise PledgeDataError.single(
        "amount.range",
        f"{text!r} is a range whose low end is above its high end: {readings}; write the "
        "lower amount first, in full if the scale word is not its own",
        text,
    )


def _qualifier(text: str) -> tuple[str, str | None]:
    """Remove the qualifiers before and after an amount; return the rest and what was removed."""
    found = []
    front = _QUALIFIER_FRONT.match(text)
    if front:
        found.append(front.group(1))
        text = text[front.end() :]
    back = _QUALIFIER_BACK.search(text)
    if back:
        found.append(back.group(1))
        text = text[: back.start()]
    return text, " … ".join(found) or None


def _currency_rule(text: str) -> str:
    if "cfa" in text.casefold():
        return "amount.text (CFA franc decided by country)"
    return "amount.text"


@functools.lru_cache(maxsize=4096)
def _parse(
    text: str,
    *,
    locale: str,
    default_currency: str | None,
    pledger_country: str | None,
    beneficiary_countries: tuple[str, ...],
) -> Money:
    return Money.parse(
        text,
        locale=locale,
        default_currency=default_currency,
        pledger_country=pledger_country,
        beneficiary_countries=beneficiary_countries,
    )


@functools.cache
def _months(locale: str) -> dict[str, int]:
    """Folded month names (wide and abbreviated) of the locale and of English → month."""
    found: dict[str, int] = {}
    for name in dict.fromkeys(("en", locale)):
        months = Locale.parse(name).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, word in months[context][width].items():
                    found.setdefault(fold(word), number)
    # "Sept" is as common as "Sep".
    found.setdefault("sept", 9)
    return found


_DIGITS = re.compile(r"(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
# Words between a date's parts ("7 de junio de 2022", and Russian's "year" after one).
_FILLER = frozenset({"de", "del", "the", "of", "le", "er", "st", "nd", "rd", "th", "года", "г"})  # noqa: RUF001


@functools.lru_cache(maxsize=4096)
def read_date(
    cell: object,
    *,
    locale: str,
    order: DateOrder | None,
    month_precision: bool,
    date1904: bool = False,
) -> tuple[dt.date, Note]:
    """Read a date cell: a date, an Excel serial, ISO text, words, or digits in a declared order.

    Raises:
        PledgeDataError: ``date.syntax`` (also a date outside :data:`EARLIEST_DATE` to
            :data:`LATEST_DATE`, and a whole number that may be a year or an Excel
            serial), ``date.order`` (all-digit without a declared order),
            ``date.imprecise`` (a month without month precision allowed).
    """
    day, note = _read_date(
        cell, locale=locale, order=order, month_precision=month_precision, date1904=date1904
    )
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        shown = str(cell)
        raise PledgeDataError.single(
            "date.syntax",
            f"{shown!r} reads as {day.isoformat()}, outside the dates a pledge can have "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}): is its year of "
            "another calendar (Hijri, Buddhist) or written short? write the Gregorian date",
            shown,
        )
    return day, note


def _read_date(
    cell: object, *, locale: str, order: DateOrder | None, month_precision: bool, date1904: bool
) -> tuple[dt.date, Note]:
    if isinstance(cell, dt.datetime):
        note = "date.cell" if cell.time() == dt.time() else "date.cell (time of day dropped)"
        return cell.date(), Note(
            note,
            cell.date().isoformat(),
            warning=cell.time() != dt.time(),
            code="date.time_dropped",
        )
    if isinstance(cell, dt.date):
        return cell, Note("date.cell", cell.isoformat())
    if isinstance(cell, Decimal):
        # A serial counts days from the workbook's epoch: 1900 (61 is 1900-03-01,
        # past Excel's phantom 1900-02-29), or 1904, whose serials are 1,462 days fewer.
        lowest, epoch = (0, _EXCEL_EPOCH_1904) if date1904 else (61, _EXCEL_EPOCH)
        if cell != cell.to_integral_value() or not lowest <= cell <= 2_958_465:
            raise PledgeDataError.single(
                "date.syntax", f"the number {cell} is not an Excel date serial", str(cell)
            )
        day = epoch + dt.timedelta(days=int(cell))
        if EARLIEST_DATE.year <= cell <= LATEST_DATE.year:
            raise PledgeDataError.single(
                "date.syntax",
                f"the number {cell} reads as the year {cell} (which day of it?) or as the "
                f"Excel serial day {day.isoformat()}; write the date (YYYY-MM-DD) or make "
                "the cell a date cell",
                str(cell),
            )
        return day, Note(
            "date.excel_serial (1904 system)" if date1904 else "date.excel_serial", day.isoformat()
        )
    text = " ".join(str(cell).split())
    if _ISO.fullmatch(text):
        try:
            return dt.date.fromisoformat(text), Note("date.iso", text)
        except ValueError:
            raise PledgeDataError.single(
                "date.syntax", f"{text!r} is not a calendar date", text
            ) from None
    digits = _DIGITS.fullmatch(text)
    if digits:
        return _digit_date(text, digits, order)
    return _word_date(text, locale, month_precision)


def _digit_date(text: str, digits: re.Match[str], order: DateOrder | None) -> tuple[dt.date, Note]:
    first, second, third = (int(part) for part in digits.groups())
    if len(digits.group(1)) == 4:
        year, month, day = first, second, third
        rule = "date.digits (year first)"
    else:
        if len(digits.group(3)) != 4:
            raise PledgeDataError.single(
                "date.syntax", f"{text!r}: write the year with four digits", text
            )
        if order is None:
            readings = []
            for month, day in ((second, first), (first, second)):
                try:
                    readings.append(dt.date(third, month, day).isoformat())
                except ValueError:
                    continue
            raise PledgeDataError.single(
                "date.order",
                f"{text!r} is all digits: it reads as {' or '.join(readings) or 'no date'}; "
                'declare date_order = "day_first" or "month_first" in the mapping',
                text,
            )
        day, month = (first, second) if order == "day_first" else (second, first)
        year = third
        rule = f"date.digits ({order})"
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise PledgeDataError.single(
            "date.syntax", f"{text!r} is not a calendar date", text
        ) from None
    return value, Note(rule, value.isoformat())


def _word_date(text: str, locale: str, month_precision: bool) -> tuple[dt.date, Note]:
    months = _months(locale)
    words = [
        w for w in fold(re.sub(r"(\d)(er|st|nd|rd|th)\b", r"\1", text)).split() if w not in _FILLER
    ]
    month = [months[w] for w in words if w in months]
    numbers = [w for w in words if w.isdigit()]
    other = [w for w in words if w not in months and not w.isdigit()]
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if (
        len(month) == 1
        and len(years) == 1
        and not other
        and len(numbers) == len(years) + len(days)
    ):
        if len(days) == 1:
            try:
                value = dt.date(int(years[0]), month[0], int(days[0]))
            except ValueError:
                raise PledgeDataError.single(
                    "date.syntax", f"{text!r} is not a calendar date", text
                ) from None
            return value, Note(f"date.words ({locale})", value.isoformat())
        if not days:
            value = dt.date(int(years[0]), month[0], 1)
            if not month_precision:
                raise PledgeDataError.single(
                    "date.imprecise",
                    f"{text!r} names a month, not a day; set month_precision = true in the "
                    "mapping to read it as the first of the month",
                    text,
                )
            return value, Note(
                "date.month_precision", value.isoformat(), warning=True, code="date.imprecise"
            )
    raise PledgeDataError.single(
        "date.syntax",
        f"{text!r} is not a date this import reads (YYYY-MM-DD, a date cell, '7 June 2022' "
        f"with month names in English or {locale!r}, or digits in the declared date_order)",
        text,
    )


# The shapes of targets people write, in English and French.
_NUMBER = r"(?P<number>\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)(?:\s*(?P<scale>million|thousand|k|m)\b)?"
_DEADLINE = re.compile(
    r"\s*(?:by(?: the end of| end)?|before|d['\u2019]ici(?: fin)?|avant|en|by end-)\s*(?P<year>(?:19|20)\d{2})\s*\.?$",
    re.IGNORECASE,
)
_VERBS_TRAIN = frozenset(
    {
        "train",
        "training",
        "trained",
        "skill",
        "upskill",
        "former",
        "formation",
        "formes",
        "formees",
    }
)
_VERBS_CONNECT = frozenset(
    {
        "connect",
        "connecting",
        "connected",
        "connecter",
        "connectes",
        "connectees",
        "raccorder",
        "link",
    }
)
_VERBS_GIVE = frozenset(
    {"distribute", "distributed", "provide", "donate", "deliver", "distribuer", "fournir"}
)
_NOUNS: tuple[tuple[frozenset[str], Metric | None, str], ...] = (
    (
        frozenset({"school", "schools", "ecole", "ecoles", "escuela", "escuelas"}),
        Metric.SCHOOLS_CONNECTED,
        "school",
    ),
    (
        frozenset(
            {"household", "households", "home", "homes", "menage", "menages", "foyer", "foyers"}
        ),
        Metric.HOUSEHOLDS_CONNECTED,
        "household",
    ),
    (
        frozenset({"site", "sites", "hospital", "hospitals", "clinic", "clinics", "health"}),
        Metric.SITES_CONNECTED,
        "site",
    ),
    (
        frozenset(
            {
                "device",
                "devices",
                "laptop",
                "laptops",
                "tablet",
                "tablets",
                "smartphone",
                "smartphones",
                "computer",
                "computers",
                "appareil",
                "appareils",
                "ordinateur",
                "ordinateurs",
                "tablette",
                "tablettes",
            }
        ),
        Metric.DEVICES_DISTRIBUTED,
        "device",
    ),
    (
        frozenset(
            {
                "people",
                "person",
                "persons",
                "women",
                "girls",
                "youth",
                "young",
                "students",
                "teachers",
                "users",
                "citizens",
                "individuals",
                "farmers",
                "personnes",
                "femmes",
                "filles",
                "jeunes",
                "eleves",
                "enseignants",
                "habitants",
            }
        ),
        None,
        "person",
    ),
)
_LENGTHS = {
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "miles": "mi",
    "mi": "mi",
}
_FIBRE = frozenset({"fibre", "fiber", "fibres", "fibers", "optical", "optique", "optic"})


def read_targets(text: str) -> tuple[tuple[Target, ...], Note]:
    """Read a target text in the simple English and French shapes.

    Returns the targets; raises when the text is not one of the shapes.

    Raises:
        PledgeDataError: ``target.unparsed`` (a warning: the caller keeps the text),
            ``value.ambiguous`` (a number such as ``1.500``, which is 1500 or 1.5 as
            the writer's language groups digits: the caller keeps the text too).
    """
    found = _one_target(text)
    if found is None:
        raise PledgeDataError.single(
            code="target.unparsed",
            message=f"{text!r} is not a target this import reads ('Connect 500 schools "
            "by 2025', 'train 10,000 women', '1,000 km of fibre'); it is kept in the "
            "description",
            value=text,
        )
    target, written = found
    if DOT_GROUPED.fullmatch(written):
        grouped = Decimal(written.replace(".", ""))
        raise PledgeDataError.single(
            code="value.ambiguous",
            message=f"{text!r}: {written} is {grouped} where a dot groups thousands (fr, de, "
            f"es) or {Decimal(written).normalize():f} where it is the decimal sign (en); "
            f"write {grouped:,} or {f'{grouped:,}'.replace(',', ' ')}; it is kept in the "
            "description",
            value=text,
        )
    return (target,), Note(
        "target.text",
        f"{target.metric.value} {target.value} {target.unit}"
        + (f" by {target.deadline}" if target.deadline else ""),
    )


def _one_target(text: str) -> tuple[Target, str] | None:  # noqa: C901 - the shapes, in order
    """Return the target of the text and its number as written, or ``None``."""
    clean = " ".join(text.split())
    deadline = None
    found = _DEADLINE.search(clean)
    if found:
        deadline = dt.date(int(found.group("year")), 12, 31)
        clean = clean[: found.start()]
    numbers = list(re.finditer(_NUMBER, clean, re.IGNORECASE))
    if len(numbers) != 1:
        return None
    (number,) = numbers
    raw = (
        re.sub(r"[,\u00a0\u202f ]", "", number.group("number"))
        if re.search(r"\d[,\u00a0\u202f ]\d{3}", number.group("number"))
        else number.group("number").replace(",", ".")
    )
    value = Decimal(raw)
    scale = (number.group("scale") or "").casefold()
    value = value.scaleb({"": 0, "thousand": 3, "k": 3, "million": 6, "m": 6}[scale])
    if value.as_tuple().exponent > 0:  # type: ignore[operator]
        value = value.quantize(Decimal(1))  # 2 million is 2000000, not 2E+6
    before = set(fold(clean[: number.start()]).split())
    after_words = fold(clean[number.end() :]).split()
    after = set(after_words)
    words = before | after
    written = number.group("number")
    unit = next((_LENGTHS[w] for w in after_words[:1] if w in _LENGTHS), None)
    if unit is not None:
        return (
            (Target(metric=Metric.FIBRE_KM, value=value, unit=unit, deadline=deadline), written)
            if words & _FIBRE
            else None
        )
    for nouns, metric, count_unit in _NOUNS:
        if not after & nouns:
            continue
        chosen = metric
        if chosen is None:
            if words & _VERBS_TRAIN:
                chosen = Metric.PEOPLE_TRAINED
            elif words & _VERBS_CONNECT:
                chosen = Metric.PEOPLE_CONNECTED
            else:
                return None
        elif (
            chosen is Metric.DEVICES_DISTRIBUTED
            and not words & (_VERBS_GIVE | {"distributed", "distribues"})
        ) or (chosen is not Metric.DEVICES_DISTRIBUTED and not words & _VERBS_CONNECT):
            return None
        return Target(metric=chosen, value=value, unit=count_unit, deadline=deadline), written
    return None
