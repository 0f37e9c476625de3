"""Tests that the typing pins (tests/typing/api.py) cover every public name."""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType

import pytest

import p2c_pledges
from p2c_pledges import conformance, fx, io, sheets, strategies


API = Path(__file__).parent / "typing" / "api.py"

# How tests/typing/api.py spells each public module: a bare alias or a chain of
# attributes, as it is written in the file.
SPELLINGS: dict[str, tuple[ModuleType, ...]] = {
    "p2c": (p2c_pledges,),
    "p2c.fx": (fx,),
    "fx": (fx,),
    "p2c.io": (io,),
    "pio": (io,),
    "pst": (strategies,),
    "conformance": (conformance,),
    "sheets": (sheets,),
}
# p2c_pledges.fx.columnar is not pinned: pyarrow ships no types that mypy reads,
# so its tables are Any to one checker and partly typed to the other.
MODULES = (p2c_pledges, fx, io, strategies, conformance, sheets)


def _dotted(node: ast.expr) -> str | None:
    """Return ``a.b.c`` for a chain of names and attributes, else None."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def pinned(source: str) -> set[tuple[str, str]]:
    """Return the (module, name) pairs used inside an ``assert_type(...)`` call of ``source``."""
    found: set[tuple[str, str]] = set()
    for call in ast.walk(ast.parse(source)):
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == "assert_type"
        ):
            continue
        for node in ast.walk(call):
            if not isinstance(node, ast.Attribute):
                continue
            base = _dotted(node.value)
            for module in SPELLINGS.get(base or "", ()):
                found.add((module.__name__, node.attr))
            # ``p2c.fx.X`` also uses the name ``fx`` of the package.
            if base is not None and "." in base:
                head, _, attr = base.rpartition(".")
                for module in SPELLINGS.get(head, ()):
                    found.add((module.__name__, attr))
    return found


class TestTypingCoverage:
    @pytest.mark.parametrize("module", MODULES, ids=[module.__name__ for module in MODULES])
    def test_every_public_name_is_pinned(self, module: ModuleType) -> None:
        """Every name of the module's __all__ appears in an assert_type of tests/typing/api.py."""
        names = pinned(API.read_text(encoding="utf-8"))
        missing = sorted(name for name in module.__all__ if (module.__name__, name) not in names)
        assert [] == missing

    def test_a_name_outside_assert_type_does_not_count(self) -> None:
        """A name that is only imported or assigned is not a pin; one inside assert_type is."""
        source = (
            "import p2c_pledges as p2c\n"
            "x = p2c.load('a.json')\n"
            "assert_type(p2c.fx.exact(), p2c.fx.Policy)\n"
        )
        assert {
            ("p2c_pledges", "fx"),
            ("p2c_pledges.fx", "exact"),
            ("p2c_pledges.fx", "Policy"),
        } == pinned(source)

    def test_aliases_resolve_to_their_module(self) -> None:
        """pio and pst name p2c_pledges.io and p2c_pledges.strategies."""
        source = "assert_type(pio.dumps([]), str)\nassert_type(pst.texts(), object)\n"
        assert {("p2c_pledges.io", "dumps"), ("p2c_pledges.strategies", "texts")} == pinned(source)
