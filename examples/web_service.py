"""A web service of pledges: one pledge per POST, filtered listings and summaries.

Run: ``python examples/web_service.py`` (needs ``fastapi`` and ``httpx``; it
drives the service with FastAPI's test client, so no server is started). Serve
it for real with ``uvicorn web_service:app``.

Everything the service needs comes from the library, nothing is hand-made:

- ``p2c.loads_one(body)`` reads one pledge from the request's bytes with every
  check of the file readers (encoding, nesting depth, number length, keys
  written twice, the error rules); a bad body is a 422 whose issues are located
  from the pledge's root (``$.amount.currency``, pointer ``/amount/currency``).
- ``PledgeDataError.problem()`` is the RFC 9457 document of that 422.
- ``p2c.query`` filters, ``unconverted="exclude"`` says which pledges a USD range
  could not place; ``p2c.summarize`` totals in USD, naming its rate sources.
- SQLite stores each pledge as the JSON the library writes; reading it back is
  the trusted path, ``p2c.io.structure``.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from decimal import Decimal
from importlib.resources import as_file, files
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

import p2c_pledges as p2c
from p2c_pledges.query import Dimension


app = FastAPI(title="Pledges")
RATES = p2c.fx.bundled_rates()


class Store:
    """Pledges in SQLite, one JSON text per row, shared by the server's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE TABLE pledge (id TEXT PRIMARY KEY, document TEXT NOT NULL)")

    def add(self, pledge: p2c.Pledge) -> bool:
        """Store a pledge; False when its id is taken."""
        document = json.dumps(p2c.io.unstructure(pledge))
        with self._lock:
            try:
                with self._db:
                    self._db.execute("INSERT INTO pledge VALUES (?, ?)", (pledge.id, document))
            except sqlite3.IntegrityError:
                return False
        return True

    def all(self) -> list[p2c.Pledge]:
        """Every pledge stored, in id order (validated when stored: the trusted path)."""
        with self._lock:
            rows = self._db.execute("SELECT document FROM pledge ORDER BY id").fetchall()
        return [p2c.io.structure(json.loads(document)) for (document,) in rows]


store = Store()


def problem(error: p2c.PledgeDataError, request: Request, status: int = 422) -> JSONResponse:
    return JSONResponse(
        error.problem(status=status, instance=request.url.path),
        status_code=status,
        media_type="application/problem+json",
    )


@app.exception_handler(p2c.PledgeDataError)
async def invalid_data(request: Request, error: p2c.PledgeDataError) -> JSONResponse:
    """Any PledgeDataError a handler lets through (a bad filter value) is a located 422."""
    return problem(error, request)


@app.post("/pledges", status_code=201)
async def post_pledge(request: Request) -> Any:
    pledge = p2c.loads_one(await request.body())  # a PledgeDataError is the 422 above
    if not store.add(pledge):
        taken = p2c.Issue(
            code="id.duplicate",
            message=f"the id {pledge.id!r} is taken",
            value=pledge.id,
            path="$.id",
        )
        return problem(p2c.PledgeDataError([taken]), request, status=409)
    return {"id": pledge.id}


@app.get("/pledges")
def list_pledges(
    pledger_country: Annotated[list[str] | None, Query()] = None,
    beneficiary_country: Annotated[list[str] | None, Query()] = None,
    pledge_id: Annotated[list[str] | None, Query(alias="id")] = None,
    usd_from: Decimal | None = None,
) -> dict[str, Any]:
    selection = p2c.query(
        store.all(),
        pledger_countries=pledger_country,
        beneficiary_countries=beneficiary_country,
        ids=pledge_id,
        usd_from=usd_from,
        rates=RATES,
        unconverted="exclude",
    )
    return {
        "pledges": [p2c.io.unstructure(pledge) for pledge in selection],
        "excluded": [
            {"id": item.pledge.id, "code": item.reason_code, "reason": item.reason}
            for item in selection.excluded
        ],
    }


#: The dimensions a summary groups by, by name: ``?by=sector,focus_area``.
DIMENSIONS = [dimension.value for dimension in Dimension]


@app.get("/summary")
def summary(by: str = "focus_area") -> dict[str, Any]:
    names = by.split(",")
    if len(names) > 2 or not set(names) <= set(DIMENSIONS):  # one or two dimensions
        # summarize's own ValueError has no code: the client gets a located 422 instead.
        raise p2c.PledgeDataError.single(
            "value.enum",
            f"by is one or two of {', '.join(DIMENSIONS)}, separated by a comma; not {by!r}",
            by,
            path="$.by",
        )
    result = p2c.summarize(store.all(), names, RATES)
    return {
        "cells": [
            {"key": [str(part) for part in cell.key], "usd": str(cell.usd_rounded.amount)}
            for cell in result.cells
        ],
        "total_usd": str(result.total.usd_rounded.amount),
        "unconverted": [
            {"id": item.pledge_id, "code": item.code} for item in result.total.unconverted
        ],
        "sources": list(result.sources),
    }


@functools.cache
def _first_sample() -> dict[str, Any]:
    with as_file(files("p2c_pledges") / "data" / "sample_pledges.json") as path:
        return p2c.io.unstructure(p2c.load(path)[0])


def pledge_body(pledge_id: str, **changes: Any) -> bytes:
    """A valid pledge's JSON (the first of the bundled sample), with changes: what a client posts."""
    document = _first_sample() | {"id": pledge_id, "announced_on": "2024-03-01"}
    return json.dumps(document | changes).encode()


#: Bodies an attacker or a broken client sends: each is a located 422, never a 500.
HOSTILE = {
    "a 5,000-digit number": b'{"id": ' + b"9" * 5000 + b"}",
    "100,000-deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "an id written twice": b'{"id": "first", "id": "second"}',
    "a negative amount": pledge_body("neg", amount={"amount": "-5", "currency": "EUR"}),
}


def main() -> None:
    import gc  # noqa: PLC0415 - only the demonstration checks the collector
    import warnings  # noqa: PLC0415
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    from starlette.exceptions import StarletteDeprecationWarning  # noqa: PLC0415

    with warnings.catch_warnings():
        # Starlette's test client asks for httpx2 now; FastAPI's still imports it.
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        from fastapi.testclient import TestClient  # noqa: PLC0415 - needs httpx

    client = TestClient(app)
    print("POST valid:", client.post("/pledges", content=pledge_body("p-1")).json())
    bad = client.post(
        "/pledges", content=pledge_body("p-2", amount={"amount": 1.5, "currency": "usd"})
    )
    print("POST invalid:", bad.status_code, bad.headers["content-type"])
    for issue in bad.json()["issues"]:
        print(f"  {issue['pointer']}: {issue['code']}")
    for name, body in HOSTILE.items():
        response = client.post("/pledges", content=body)
        codes = [(issue["code"], issue["path"]) for issue in response.json()["issues"]]
        print(f"hostile, {name}: {response.status_code} {codes}")

    # 8 threads post valid and invalid pledges at once; none gets a 5xx.
    def post(number: int) -> int:
        body = pledge_body(f"t-{number}") if number % 2 else HOSTILE["an id written twice"]
        return client.post("/pledges", content=body).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(set(pool.map(post, range(200))))
    print(f"8 threads, 200 posts: statuses {statuses}; collector enabled: {gc.isenabled()}")

    big = {"amount": "99999999999999999999", "currency": "BHD"}
    print(
        "POST BHD 99999999999999999999:",
        client.post("/pledges", content=pledge_body("big", amount=big)).status_code,
    )
    kes = client.post(
        "/pledges", content=pledge_body("kes", amount={"amount": "5", "currency": "KES"})
    )
    print("POST a KES pledge:", kes.status_code)
    listing = client.get("/pledges", params={"usd_from": "1000000"}).json()
    print(
        f"GET /pledges?usd_from=1000000: {len(listing['pledges'])} pledges, excluded {listing['excluded'][0]['id']} ({listing['excluded'][0]['code']})"
    )
    print(
        "GET /pledges?id=big:",
        [
            p["amount"]["currency"]
            for p in client.get("/pledges", params={"id": "big"}).json()["pledges"]
        ],
    )
    totals = client.get("/summary").json()
    print(f"GET /summary: total USD {totals['total_usd']}; sources {len(totals['sources'])}")
    two = client.get("/summary", params={"by": "sector,focus_area"}).json()
    print(f"GET /summary?by=sector,focus_area: {len(two['cells'])} cells")
    nope = client.get("/summary", params={"by": "nope"})
    print("GET /summary?by=nope:", nope.status_code, nope.json()["issues"][0]["code"])
    unknown = client.get("/pledges", params={"pledger_country": "XX"})
    print(
        "GET /pledges?pledger_country=XX:",
        unknown.status_code,
        unknown.json()["issues"][0]["code"],
    )


if __name__ == "__main__":
    main()
