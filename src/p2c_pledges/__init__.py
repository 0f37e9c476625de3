"""Typed, validated models of the pledges made to ITU's Partner2Connect Digital Coalition.

``p2c_pledges.query`` is the function :func:`~p2c_pledges.query.query`; its
module's other names are imported from it (``from p2c_pledges.query import
Dimension``), which still works: the module is the function's home.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import fx
from .aggregate import Summary, summarize
from .codes import (
    SDG,
    CountryGroup,
    FocusArea,
    Metric,
    PledgeStatus,
    PledgeType,
    Region,
    Sector,
    TargetGroup,
)
from .errors import Issue, PledgeDataError, Severity
from .fx import Conversion, convert, to_usd
from .io import (
    dump,
    dumps,
    iter_load,
    json_schema,
    load,
    load_one,
    loads,
    loads_one,
    table_schema,
)
from .l10n import format_money
from .model import Pledge, Pledger, Target
from .money import CurrencyMismatchError, Money
from .normalization import Normalized, normalize
from .query import query
from .rules import check


__all__ = [
    "SDG",
    "Conversion",
    "CountryGroup",
    "CurrencyMismatchError",
    "FocusArea",
    "Issue",
    "Metric",
    "Money",
    "Normalized",
    "Pledge",
    "PledgeDataError",
    "PledgeStatus",
    "PledgeType",
    "Pledger",
    "Region",
    "Sector",
    "Severity",
    "Summary",
    "Target",
    "TargetGroup",
    "check",
    "convert",
    "dump",
    "dumps",
    "format_money",
    "fx",
    "iter_load",
    "json_schema",
    "load",
    "load_one",
    "loads",
    "loads_one",
    "normalize",
    "query",
    "summarize",
    "table_schema",
    "to_usd",
    "warm",
]


def warm(currencies: Iterable[str] | None = None) -> None:
    """Pay now what the first conversion, and the first target, would pay later.

    Builds the bundled rates (the ECB series of ``currencies``, or of every
    currency the ECB publishes when None) and the pint registry, for a server
    that prefers to pay at start rather than on its first requests. Without it
    each is built on first use, once per process, thread-safely.

    .. versionadded:: 0.2
    """
    from . import units  # noqa: PLC0415 - the registry is made here, not at import

    units.registry()
    table = fx.ecb_rates()
    for code in table.currencies() if currencies is None else currencies:
        table.earliest(code)  # builds the currency's series
    fx.bundled_rates()


def __getattr__(name: str) -> str:
    # The version comes from the installed package's metadata (as in stamina),
    # read only when asked for.
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - a heavy import, paid when asked

        return version("p2c-pledges")

    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
