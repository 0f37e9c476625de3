"""Hypothesis's ``hypothesis`` entry point: ``st.from_type(Pledge)`` without imports.

Hypothesis calls the hook while it is itself being imported, possibly from inside
``import p2c_pledges.strategies``; so the hook registers resolvers that import the
strategies only when a test first asks for one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def _deferred(name: str) -> Callable[[type], Any]:
    def resolve(_type: type) -> Any:
        return getattr(importlib.import_module("p2c_pledges.strategies"), name)()

    return resolve


def _hypothesis_setup_hook() -> None:
    """Register the library's strategies for ``st.from_type``."""
    from hypothesis import strategies as st  # noqa: PLC0415 - Hypothesis is an optional extra

    from .errors import Issue, PledgeDataError  # noqa: PLC0415 - keep the hook import-light
    from .model import Pledge, Pledger, Target  # noqa: PLC0415
    from .money import Money  # noqa: PLC0415

    st.register_type_strategy(Money, _deferred("money"))
    st.register_type_strategy(Pledger, _deferred("pledgers"))
    st.register_type_strategy(Target, _deferred("targets"))
    st.register_type_strategy(Pledge, _deferred("pledges"))
    # Their fields hold Any (an issue's value), which from_type cannot draw.
    st.register_type_strategy(Issue, _deferred("_issues"))
    st.register_type_strategy(PledgeDataError, _deferred("_pledge_data_errors"))
