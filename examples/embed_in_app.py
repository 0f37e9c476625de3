"""Embed pledges in an app: build one, validate what a user sent, change a frozen pledge.

Run: ``python examples/embed_in_app.py``

An app gets pledges two ways: it builds them in code (a form it controls) or it
receives JSON (a web request's body). Both go through the same validators; the
second goes through ``p2c_pledges.loads_one``, which also checks the text itself
(encoding, nesting, number length, keys written twice) and the error rules, and
collects every problem of the request instead of stopping at the first.
``examples/web_service.py`` puts it in a FastAPI service.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import attrs

import p2c_pledges as p2c
from p2c_pledges import rules


def build() -> p2c.Pledge:
    """Build a pledge in code: every field is checked as the object is made."""
    return p2c.Pledge(
        id="app-1",
        title="Rural broadband for 2,000 communities",
        pledger=p2c.Pledger(
            name="Government of Ghana", sector=p2c.Sector.GOVERNMENT, country="GHA"
        ),
        pledge_types=[p2c.PledgeType.FINANCIAL],
        focus_areas=[p2c.FocusArea.ACCESS],
        # Money is a Decimal and a currency code: never a float.
        amount=p2c.Money(Decimal(155_000_000), "EUR"),
        announced_on=dt.date(2022, 6, 7),
    )


def receive(body: bytes) -> p2c.Pledge | None:
    """Turn a request's body into a pledge, or print every located issue and return None."""
    try:
        return p2c.loads_one(body)
    except p2c.PledgeDataError as error:
        # One error carries every issue, each with a stable code (for the app's
        # logic) and a path (to show the user which field to fix).
        print(f"refused: {len(error.issues)} issue(s)")
        for issue in error.issues:
            print(f"  {issue.path}: {issue.code}: {issue.message}")
        return None


def main() -> None:
    pledge = build()
    # The alpha-3 code the form sent is normalized; the region is derived from it.
    region = pledge.pledger.region.value if pledge.pledger.region else None
    print(f"built {pledge.id}: {pledge.pledger.country}, {region}")

    bad_request = {
        "id": "app-2",
        "title": "Skills for girls",
        "pledger": {"name": "Example Telecom", "sector": "telco"},
        "pledge_types": ["programmatic"],
        "focus_areas": [],
        "announced_on": "2022-06-31",
        # A JSON number would be read as a float by most clients: refused.
        "amount": {"amount": 2.5, "currency": "usd"},
    }
    receive(json.dumps(bad_request).encode())

    good_request = p2c.io.unstructure(pledge) | {"id": "app-3"}
    received = receive(json.dumps(good_request).encode())
    print(f"accepted {received.id if received else None}")

    # Pledges are frozen (and hashable): a change is a new object, validated again.
    try:
        pledge.title = "changed in place"  # type: ignore[misc]
    except attrs.exceptions.FrozenInstanceError:
        print("a pledge cannot be changed in place")
    updated = attrs.evolve(pledge, status=p2c.PledgeStatus.IN_PROGRESS, progress=Decimal("0.25"))
    print(
        f"evolved: {updated.status.value}, progress {updated.progress}; original {pledge.status.value}"
    )
    try:
        attrs.evolve(pledge, progress=Decimal("1.5"))
    except p2c.PledgeDataError as error:
        print(f"evolve refused: {error.codes}")

    # Checks that span fields or records are separate, and some are only warnings:
    # an evolved copy keeps its id (an error in one collection), and a financial
    # pledge without an amount is valid but worth a look.
    no_amount = attrs.evolve(pledge, id="app-4", amount=None)
    for issue in rules.check([pledge, updated, no_amount]):
        print(f"rule: {issue.severity.value}: {issue}")


if __name__ == "__main__":
    main()
