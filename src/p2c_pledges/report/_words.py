"""The words of the reports: translation, dimension headings and not-converted reasons.

Every message is an English msgid written literally at the call ``_("...")`` (or
``N_("...")`` where it is only declared), so that ``scripts/update_catalogs.py``
extracts them with babel from this package and its template; the catalogs hold
the translations.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Hashable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from babel import Locale
from babel.plural import PluralRule

from .._once import once
from ..aggregate import Unconverted
from ..countries import CountryGroup
from ..fx import annual_average, exact, fixed, monthly_average, on_or_before
from ..fx._convert import _usd_quote
from ..fx._rates import FIXED_BY_CALLER
from ..l10n import country_name, format_number, label, translate
from ..query import _KEY_END, _NO_COUNTRY, Dimension


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction"
    """Mark a message for extraction without translating it here."""
    return message


def translator(locale: str) -> Callable[..., str]:
    """Return ``_(message, **values)``: the message in ``locale``, placeholders filled.

    A value that is an int is formatted as a number of the locale.
    """

    def _(message: str, **values: Any) -> str:
        text = translate(message, locale)
        if not values:
            return text
        return text.format(
            **{
                name: format_number(value, locale)
                if isinstance(value, int) and not isinstance(value, bool)
                else value
                for name, value in values.items()
            }
        )

    return _


def counted(one: str, other: str, count: int, locale: str) -> str:
    """A count with its noun (``1 pledge``, ``3 pledges``) in ``locale``.

    ``one`` is the message for the counts CLDR calls "one" in the locale (1 in
    English; 0 and 1 in French), ``other`` for every other count; a language whose
    catalog words a count without agreement (``обязательств: 21``) translates both
    alike. Both are marked with ``N_`` at the call, so that they are extracted.
    """
    _ = translator(locale)
    message = one if _plural_rule(locale)(count) == "one" else other
    return _(message, count=count)


@once
def _plural_rule(locale: str) -> PluralRule:
    # Parsing the locale took most of a call, and a page counts hundreds of times.
    format_number(0, locale)  # locale.unknown before babel is asked about it
    return Locale.parse(locale).plural_form


DIMENSION_HEADINGS: Mapping[Dimension, str] = MappingProxyType(
    {
        Dimension.FOCUS_AREA: N_("focus area"),
        Dimension.PLEDGE_TYPE: N_("pledge type"),
        Dimension.SECTOR: N_("sector"),
        Dimension.PLEDGER_REGION: N_("pledger region"),
        Dimension.PLEDGER: N_("pledger"),
        Dimension.BENEFICIARY_COUNTRY: N_("beneficiary country"),
        Dimension.BENEFICIARY_REGION: N_("beneficiary region"),
        Dimension.COUNTRY_GROUP: N_("country group"),
        Dimension.BENEFICIARY_GROUP: N_("beneficiary group"),
        Dimension.TARGET_GROUP: N_("target group"),
        Dimension.SDG: N_("SDG"),
        Dimension.STATUS: N_("status"),
        Dimension.YEAR: N_("year"),
        Dimension.MONTH: N_("month"),
    }
)


def reason_text(failure: Unconverted, locale: str) -> str:
    """The reason a pledge has no USD value, in ``locale``, without its date.

    The two reasons a rate lookup gives (``rate.no_source``, ``rate.missing``,
    worded in :mod:`p2c_pledges.fx`) are recognized from the failed currency and
    reworded in the locale, so that the pledges of one currency group together; any
    other reason (an out-of-range value) is shown as the library words it.
    """
    _ = translator(locale)
    currency = failure.amount.currency
    if failure.reason.startswith(f"no rate source knows {currency} "):
        return _("no rate source knows {currency}", currency=currency)
    if failure.reason.startswith(f"no {currency} rate in "):
        return _("no {currency} rate near the value date under the rate policy", currency=currency)
    return failure.reason


def key_label(part: Hashable, dimension: Dimension, locale: str) -> str:
    """The label of one value of a dimension (a country's name, a vocabulary label)."""
    # Groups first: a country group on the beneficiary country dimension is a str too.
    if isinstance(part, CountryGroup):
        return label(part, locale=locale)
    if dimension is Dimension.BENEFICIARY_COUNTRY and isinstance(part, str):
        return country_name(part, locale)
    if isinstance(part, enum.Enum):
        return label(part, locale=locale)
    if dimension is Dimension.PLEDGER and isinstance(part, str):
        # pledger_key() marks a name that ends as a key does ("Ministry (GH)") of a
        # pledger without a country with an English " (no country)": word it here.
        name = part.removesuffix(_NO_COUNTRY)
        if name != part and _KEY_END.search(name):
            _ = translator(locale)
            return _("{name} (no country)", name=name)
    return str(part)


_RULE = re.compile(r"(?P<name>[a-z_]+)(?:\((?P<argument>[^()]*)\))?\Z")
# The names come from fx, where they are declared: a quote's rule is str(policy),
# and a USD amount's quote names its source and rule itself.
_USD_QUOTE = _usd_quote(dt.date.min)
_ON_OR_BEFORE = on_or_before().rule
_FIXED = fixed(Decimal(1)).rule
#: The rules without an argument, worded.
_RULE_WORDS = MappingProxyType(
    {
        _USD_QUOTE.rule: N_("no conversion: the amount is in US dollars"),
        str(exact()): N_("the rate of the value date"),
        str(monthly_average()): N_("the average rate of the value date's month"),
        str(annual_average()): N_("the average rate of the value date's year"),
    }
)


def rule_text(rule: str, locale: str) -> str:
    """How a USD figure's rate was chosen, in ``locale`` (a policy as ``str(policy)`` writes it).

    The rules of :class:`p2c_pledges.fx.Policy` and the identity of a USD amount are
    worded; a rule this module does not know is shown as it is written.
    """
    _ = translator(locale)
    found = _RULE.match(rule)
    name, argument = (found["name"], found["argument"]) if found else (rule, None)
    if argument is None and name in _RULE_WORDS:
        return _(_RULE_WORDS[name])
    if name == _ON_OR_BEFORE and argument is not None and argument.isdigit():
        return _(
            "the latest rate on or before the value date, at most {days} days earlier",
            days=int(argument),
        )
    if name == _FIXED and argument is not None:
        try:
            rate = format_number(Decimal(argument), locale)
        except ArithmeticError:
            rate = argument
        return _("a rate given by the caller: {rate} USD per unit", rate=rate)
    return rule


def source_text(source: str, locale: str) -> str:
    """A rate source's name in ``locale``: the two the library names itself are worded.

    Other sources (the ECB's rates, a legal peg with its regulation, a user's table)
    are named by their own citation, as :mod:`p2c_pledges.fx` gives it.
    """
    _ = translator(locale)
    if source == _USD_QUOTE.source:
        return _("none (US dollars)")
    if source == FIXED_BY_CALLER:
        return _("fixed by the caller")
    return source
