"""Cells that are not taken literally: amounts, dates and targets as people write them.

Each reader returns the value and the rule that produced it (for the import log),
or raises :class:`~p2c_pledges.PledgeDataError` with one issue; warnings (a
qualifier kept, a month-precision date) come back as :class:`Note` objects.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from attrs import define
from babel import Locale

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
    "Note",
    "QualifierRule",
    "RangeRule",
    "read_amount",
    "read_date",
    "read_targets",
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


def read_amount(
    cell: object,
    *,
    currency: str | None,
    locale: str,
    ranges: RangeRule,
    pledger_country: str | None,
    beneficiary_countries: Sequence[str],
    qualifiers: QualifierRule = "keep",
) -> Amount:
    """Read an amount cell: a number (with ``currency``) or a text (``"USD 1.5-2 million"``).

    Raises:
        PledgeDataError: ``amount.range``, ``currency.missing``, ``amount.qualifier``
            (with ``qualifiers="error"``), or an issue of :meth:`Money.parse`.
    """
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
    cell: object, *, locale: str, order: DateOrder | None, month_precision: bool
) -> tuple[dt.date, Note]:
    """Read a date cell: a date, an Excel serial, ISO text, words, or digits in a declared order.

    Raises:
        PledgeDataError: ``date.syntax`` (also a date outside :data:`EARLIEST_DATE` to
            :data:`LATEST_DATE`, and a whole number that may be a year or an Excel
            serial), ``date.order`` (all-digit without a declared order),
            ``date.imprecise`` (a month without month precision allowed).
    """
    day, note = _read_date(cell, locale=locale, order=order, month_precision=month_precision)
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
    cell: object, *, locale: str, order: DateOrder | None, month_precision: bool
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
        if cell != cell.to_integral_value() or not 61 <= cell <= 2_958_465:
            raise PledgeDataError.single(
                "date.syntax", f"the number {cell} is not an Excel date serial", str(cell)
            )
        day = _EXCEL_EPOCH + dt.timedelta(days=int(cell))
        if EARLIEST_DATE.year <= cell <= LATEST_DATE.year:
            raise PledgeDataError.single(
                "date.syntax",
                f"the number {cell} reads as the year {cell} (which day of it?) or as the "
                f"Excel serial day {day.isoformat()}; write the date (YYYY-MM-DD) or make "
                "the cell a date cell",
                str(cell),
            )
        return day, Note("date.excel_serial", day.isoformat())
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
