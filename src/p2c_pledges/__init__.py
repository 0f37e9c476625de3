"""Typed, validated models of the pledges made to ITU's Partner2Connect Digital Coalition."""

from __future__ import annotations

from importlib.metadata import version as _version

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
from .io import dump, iter_load, json_schema, load, table_schema
from .l10n import format_money
from .model import Pledge, Pledger, Target
from .money import CurrencyMismatchError, Money
from .normalization import Normalized, normalize


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
    "convert",
    "dump",
    "format_money",
    "fx",
    "iter_load",
    "json_schema",
    "load",
    "normalize",
    "summarize",
    "table_schema",
    "to_usd",
]


def __getattr__(name: str) -> str:
    # The version comes from the installed package's metadata (as in stamina),
    # read only when asked for.
    if name == "__version__":
        return _version("p2c-pledges")

    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
