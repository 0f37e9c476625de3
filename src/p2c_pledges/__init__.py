"""Typed, validated models of the pledges made to ITU's Partner2Connect Digital Coalition.

``p2c_pledges.query`` is the function :func:`~p2c_pledges.query.query`; its
module's other names are imported from it (``from p2c_pledges.query import
Dimension``), which still works: the module is the function's home.

The names of this package are imported when first used (:pep:`562`): ``import
p2c_pledges`` imports nothing but this file, and ``p2c.load`` imports the readers
the first time it is read. The imports under ``TYPE_CHECKING`` below are the one
list of those names: type checkers read them as imports, and :func:`_faces` reads
them to know which module holds each name.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
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
    from . import fx, units  # noqa: PLC0415 - the registry is made here, not at import

    units.registry()
    table = fx.ecb_rates()
    for code in table.currencies() if currencies is None else currencies:
        table.earliest(code)  # builds the currency's series
    fx.bundled_rates()


def _faces() -> dict[str, str]:
    """Each public name and the module that holds it, read from the imports under TYPE_CHECKING.

    Read with a regular expression rather than :mod:`ast`, whose import would cost
    more than the rest of this file. Where the source is not installed (a frozen
    application), the table is empty and :func:`__getattr__` searches the modules.
    """
    try:
        text = __loader__.get_source(__name__)  # type: ignore[name-defined]
    except (AttributeError, ImportError, OSError):
        text = None
    if not text or "if TYPE_CHECKING:\n" not in text:
        return {}
    block = text.split("if TYPE_CHECKING:\n", 1)[1].split("\n\n\n", 1)[0]
    faces: dict[str, str] = {}
    for module, names in _IMPORT.findall(block):
        for name in re.findall(r"\w+", names):
            # "from . import fx" names a subpackage; "from .io import load" a name in it.
            faces[name] = f".{module}" if module else f".{name}"
    return faces


def _search(name: str) -> Any:
    """Find a public name in the package's modules, for an install without its sources."""
    import pkgutil  # noqa: PLC0415 - only without the sources

    for found in pkgutil.iter_modules(__path__):
        if found.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f".{found.name}", __name__)
        except ImportError:  # an optional dependency (hypothesis, pyarrow) is missing
            continue
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_IMPORT = re.compile(r"^    from \.(\w*) import (\([^)]*\)|[^\n]+)", re.MULTILINE)
_FACES = _faces()


def __getattr__(name: str) -> Any:
    module = _FACES.get(name)
    if module is not None:
        home = importlib.import_module(module, __name__)
        value = home if module == f".{name}" and not hasattr(home, name) else getattr(home, name)
        # Kept, so that the next use is a plain attribute; _Package keeps the
        # function p2c_pledges.query from being replaced by its module.
        object.__setattr__(sys.modules[__name__], name, value)
        return value
    # A module of the package (p2c.io, p2c.rules), as importing it would give.
    from ._modules import submodule  # noqa: PLC0415 - the package's import loads none of its modules

    found = submodule(__name__, name)
    if found is not None:
        return found
    # The version comes from the installed package's metadata (as in stamina),
    # read only when asked for.
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - a heavy import, paid when asked

        return version("p2c-pledges")
    if not _FACES and name in __all__:
        return _search(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FACES})


class _Package(types.ModuleType):
    """This package, whose ``query`` is the function even once its module is imported."""

    def __setattr__(self, name: str, value: object) -> None:
        # Importing the submodule p2c_pledges.query sets the package's "query" to the
        # module; the name stays the function (loaded now, if it was not yet).
        if name == "query" and isinstance(value, types.ModuleType):
            value = value.query
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
