"""The modules of a package, imported when first named (PEP 562 ``__getattr__``)."""

from __future__ import annotations

import importlib
from types import ModuleType


__all__ = ["submodule"]


def submodule(package: str, name: str) -> ModuleType | None:
    """Return the module ``package.name``, importing it, or None when the package has none.

    A package whose ``__getattr__`` calls this gives its modules as attributes
    (``p2c.io``, ``io._csv``) whatever was imported before, as a package that
    imported them all at once would. An error inside the module is raised.
    """
    if name.startswith("__"):
        return None
    try:
        return importlib.import_module(f".{name}", package)
    except ModuleNotFoundError as error:
        if error.name != f"{package}.{name}":
            raise
    return None
