"""Tests that what the library writes depends only on the pledges, not on the process.

Python randomizes the hash of every ``str`` (and so of every enum member) per
process, which changes the iteration order of sets. These tests write the same
pledges in subprocesses with different ``PYTHONHASHSEED`` values and compare the
files byte for byte.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import p2c_pledges as p2c
from p2c_pledges import io


# Builds pledges whose list fields are given as sets (the order a set iterates
# in changes with the hash seed) and writes them in every format.
_WRITER = """
import datetime as dt, hashlib, sys
from decimal import Decimal
from pathlib import Path
import p2c_pledges as p2c
from p2c_pledges import io

sample = p2c.load(Path(p2c.__file__).parent / "data" / "sample_pledges.json")[:50]
made_of_sets = p2c.Pledge(
    id="sets",
    title="Given as sets",
    pledger=p2c.Pledger(name="Ministry", sector=p2c.Sector.GOVERNMENT, country="GH"),
    pledge_types=set(p2c.PledgeType),
    focus_areas=frozenset(p2c.FocusArea),
    beneficiary_countries={"GH", "FRA", "KE", "RW", "SN", "NG", "ZA", "EG"},
    beneficiary_regions=set(p2c.Region),
    target_groups=set(p2c.TargetGroup),
    sdgs={1, 4, 9, 17, 5},
    co_pledgers={p2c.Pledger(name=f"Partner {i}", sector=p2c.Sector.ACADEMIA) for i in range(6)},
    targets={
        p2c.Target(metric=p2c.Metric.SCHOOLS_CONNECTED, value=Decimal(n), unit="school")
        for n in range(1, 6)
    },
    amount=p2c.Money(Decimal("1.50"), "EUR"),
    announced_on=dt.date(2022, 6, 7),
    extras={"tags": ["b", "a"], "note": "kept"},
)
folder = Path(sys.argv[1])
for name, kind in (("p.json", "json"), ("p.jsonl", "jsonl"), ("p.csv", "csv")):
    io.dump([*sample, made_of_sets], folder / name, format=kind)
for path in sorted(folder.iterdir()):
    print(path.name, hashlib.sha256(path.read_bytes()).hexdigest())
"""


def _written(folder: Path, seed: str) -> str:
    folder.mkdir()
    completed = subprocess.run(
        [sys.executable, "-c", _WRITER, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    assert 0 == completed.returncode, completed.stderr
    return completed.stdout


@pytest.mark.slow
class TestAcrossProcesses:
    def test_byte_identical_under_different_hash_seeds(self, tmp_path: Path) -> None:
        """JSON, JSON Lines and the CSV tables are byte-identical whatever PYTHONHASHSEED is."""
        first = _written(tmp_path / "a", "0")
        for seed in ("1", "2", "31337"):
            assert first == _written(tmp_path / seed, seed)
        # Every file of every format was hashed: the comparison is not vacuous.
        assert {
            "p.json",
            "p.jsonl",
            "p.csv",
            "p.targets.csv",
            "p.co_pledgers.csv",
            "p.datapackage.json",
        } == {line.split()[0] for line in first.splitlines()}


def _sets_pledge(**changes: object) -> p2c.Pledge:
    fields: dict[str, object] = {
        "id": "x",
        "title": "t",
        "pledger": p2c.Pledger(name="n", sector=p2c.Sector.GOVERNMENT),
        "pledge_types": {p2c.PledgeType.POLICY, p2c.PledgeType.FINANCIAL},
        "focus_areas": {p2c.FocusArea.VALUE_CREATION, p2c.FocusArea.ACCESS},
        "announced_on": dt.date(2022, 6, 7),
    }
    return p2c.Pledge(**{**fields, **changes})  # type: ignore[arg-type]


class TestSetOrder:
    def test_enum_sets_in_declaration_order(self) -> None:
        """A set of vocabulary values is kept in the order the vocabulary declares them."""
        pledge = _sets_pledge()
        assert (p2c.PledgeType.FINANCIAL, p2c.PledgeType.POLICY) == pledge.pledge_types
        assert (p2c.FocusArea.ACCESS, p2c.FocusArea.VALUE_CREATION) == pledge.focus_areas

    def test_country_and_sdg_sets_sorted(self) -> None:
        """Country codes sort by code and SDGs by number."""
        pledge = _sets_pledge(beneficiary_countries={"RW", "GH", "KE"}, sdgs={17, 4, 9})
        assert ("GH", "KE", "RW") == pledge.beneficiary_countries
        assert (p2c.SDG(4), p2c.SDG(9), p2c.SDG(17)) == pledge.sdgs

    def test_lists_keep_their_order(self) -> None:
        """A list or tuple is an order the user chose: it is kept as given."""
        pledge = _sets_pledge(pledge_types=[p2c.PledgeType.POLICY, p2c.PledgeType.FINANCIAL])
        assert (p2c.PledgeType.POLICY, p2c.PledgeType.FINANCIAL) == pledge.pledge_types

    def test_targets_set_sorted_by_value(self) -> None:
        """A set of targets is ordered by metric, then value, unit and deadline."""
        targets = {
            p2c.Target(metric=p2c.Metric.SCHOOLS_CONNECTED, value=Decimal(n), unit="school")
            for n in (30, 4, 200)
        }
        pledge = _sets_pledge(targets=targets)
        assert [Decimal(4), Decimal(30), Decimal(200)] == [t.value for t in pledge.targets]

    def test_set_written_like_the_sorted_list(self) -> None:
        """A pledge built from sets is written exactly as one built from the sorted lists."""
        from_sets = _sets_pledge(beneficiary_countries={"SN", "GH"})
        from_lists = _sets_pledge(
            pledge_types=[p2c.PledgeType.FINANCIAL, p2c.PledgeType.POLICY],
            focus_areas=[p2c.FocusArea.ACCESS, p2c.FocusArea.VALUE_CREATION],
            beneficiary_countries=["GH", "SN"],
        )
        assert io.dumps([from_lists]) == io.dumps([from_sets])

    @pytest.mark.parametrize("field", ["pledge_types", "beneficiary_countries"])
    def test_mixed_set_is_still_refused(self, field: str) -> None:
        """Sorting a set never hides a wrong value: a number in the set is still named."""
        value = {p2c.PledgeType.POLICY, 7} if field == "pledge_types" else {"GH", 7}
        with pytest.raises(p2c.PledgeDataError):
            _sets_pledge(**{field: value})
