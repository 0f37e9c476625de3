"""The words of the reports: translation, dimension headings and not-converted reasons.

Every message is an English msgid written literally at the call ``_("...")`` (or
``N_("...")`` where it is only declared), so that ``scripts/update_catalogs.py``
extracts them with babel from this package and its template; the catalogs hold
the translations.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Hashable, Mapping
from types import MappingProxyType
from typing import Any

from ..aggregate import Unconverted
from ..countries import CountryGroup
from ..l10n import country_name, format_number, label, translate
from ..query import Dimension


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
    return str(part)
