"""Fuzz ``Money.parse``: the text is the input (UTF-8, undecodable bytes replaced).

The input's length picks the locale and the default currency, from locales
whose number formats differ (grouping by comma, dot, space, apostrophe; Indian
grouping; Arabic digits and marks).
"""

from __future__ import annotations

import _invariant

from p2c_pledges import Money


LOCALES = ("en", "de", "fr", "de_CH", "en_IN", "ar", "en_AU", "ru")
DEFAULTS = (None, "USD", "EUR")
WARM_UP = b"EUR 155 million"


def test_one_input(data: bytes) -> None:
    """Parse ``data`` as an amount of money."""
    text = data.decode("utf-8", "replace")
    locale = LOCALES[len(data) % len(LOCALES)]
    default = DEFAULTS[len(data) % len(DEFAULTS)]
    _invariant.check(lambda: Money.parse(text, locale=locale, default_currency=default))


def warm_up() -> None:
    """Load every locale's data before fuzzing, so that no input pays for it."""
    for locale in LOCALES:
        Money.parse("1 EUR", locale=locale)


if __name__ == "__main__":
    warm_up()
    _invariant.fuzz(test_one_input, WARM_UP)
