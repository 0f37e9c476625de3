"""The readers' fast path builds exactly what the strict converter builds, or declines."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import tempfile
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import document, perturbed_documents
from p2c_pledges import strategies as pst
from p2c_pledges.io import _csv, _fast, structure
from p2c_pledges.io._fast import Decline, FastPath, assembler
from p2c_pledges.io._fields import Kind, Rule, rules_of


def same(expected: p2c.Pledge, actual: p2c.Pledge) -> None:
    """Equal field by field, with the same types (an SDG, not an int; a date, not a datetime)."""
    assert expected == actual
    for field in attrs.fields(p2c.Pledge):
        mine, theirs = getattr(expected, field.name), getattr(actual, field.name)
        assert type(mine) is type(theirs), field.name
        if isinstance(mine, tuple):
            assert [type(item) for item in mine] == [type(item) for item in theirs], field.name
    # A pledger's region as given (not derived), which equality does not see:
    # without a country, evolve leaves only the given one.
    assert [attrs.evolve(p, country=None).region for p in expected.pledgers] == [
        attrs.evolve(p, country=None).region for p in actual.pledgers
    ]


class TestAgreement:
    @given(pst.pledge_documents())
    def test_valid_documents(self, raw: dict[str, Any]) -> None:
        """A valid document gives the converter's pledge, field by field."""
        same(structure(copy.deepcopy(raw)), FastPath().json_reader()(raw))

    @given(perturbed_documents())
    def test_perturbed_documents(self, raw: dict[str, Any]) -> None:
        """What the fast path accepts, the converter accepts, and builds the same."""
        read = FastPath().json_reader()
        try:
            fast = read(copy.deepcopy(raw))
        except Exception:  # noqa: BLE001 - declining is always allowed: the converter decides
            return
        same(structure(raw), fast)

    @given(pst.invalid_pledge_documents())
    def test_invalid_documents_are_declined(
        self, case: tuple[dict[str, Any], list[tuple[str, str]]]
    ) -> None:
        """A document with known mistakes is never taken by the fast path."""
        with pytest.raises((Decline, KeyError, TypeError, ValueError, AttributeError)):
            FastPath().json_reader()(case[0])

    @given(st.lists(pst.pledge_documents(), min_size=2, max_size=6))
    def test_caches_across_records(self, documents: list[dict[str, Any]]) -> None:
        """Values cached from one record are right for the next (one read, many records)."""
        read = FastPath().json_reader()
        for raw in documents:
            same(structure(copy.deepcopy(raw)), read(raw))

    def test_true_is_not_sdg_one(self) -> None:
        """A cached [1] does not answer for [true] (true == 1 in Python)."""
        read = FastPath().json_reader()
        read(document(sdgs=[1]))
        with pytest.raises(Decline):
            read(document(sdgs=[True]))


class TestAssembler:
    def test_instances_are_real_and_frozen(self) -> None:
        """The assembler makes instances of the class itself, still frozen and hashable."""
        new_target = assembler(p2c.Target)
        target = new_target(p2c.Metric.FIBRE_KM, 5, "km", dt.date(2030, 1, 1))
        assert p2c.Target is type(target)
        assert hash(target) == hash(
            p2c.Target(
                metric=p2c.Metric.FIBRE_KM, value=5, unit="km", deadline=dt.date(2030, 1, 1)
            )
        )
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            target.unit = "m"  # type: ignore[misc]


# Cells a person or a tool may leave in a CSV table: blanks, other spellings,
# separators, out-of-range and almost-valid values.
CELLS = st.sampled_from(
    ["", " ", "'", "x", "-1", "0", "1.5", "1e3", "1E+3", "100.", "007", "2022-02-30", "2022-6-7",
     "20220607", "USD", "usd", "XOF", "KE", "KEN", "ke", "KE;KE", "KE;;NG", "a\\;b", "access",
     "Access", "financial;financial", "1;2", "1;true", "17", "18", "announced", "0.5", "2",
     "http://x", "https://example.org/a b", "P2C-1", "\t", "\u00a0", "=1+1", "x" * 5_000]
) | st.text(max_size=8)  # fmt: skip


class TestCsvAgreement:
    """The CSV fast path reads what the converter reads, or declines (a differential test)."""

    @given(st.lists(pst.pledges(), min_size=1, max_size=4, unique_by=lambda p: p.id), st.data())
    def test_perturbed_cells(self, pledges: list[p2c.Pledge], data: st.DataObject) -> None:
        """One to three cells of each table replaced: the same pledges or the same issues."""
        tables = csv_tables(pledges)
        for name, text in list(tables.items()):
            rows = list(csv.reader(io.StringIO(text)))
            if len(rows) < 2:
                continue
            for _ in range(data.draw(st.integers(1, 3))):
                row = data.draw(st.integers(1, len(rows) - 1))
                column = data.draw(st.integers(0, len(rows[row]) - 1))
                rows[row][column] = data.draw(CELLS)
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(rows)
            tables[name] = out.getvalue()
        assert outcome(tables, fast=True) == outcome(tables, fast=False)


def csv_tables(pledges: list[p2c.Pledge]) -> dict[str, str]:
    """The CSV tables of pledges, by table name, as ``dump`` writes them."""
    with tempfile.TemporaryDirectory() as folder:
        p2c.dump(pledges, Path(folder) / "pledges.csv")
        return {
            path.stem.rpartition(".")[2]: path.read_text("utf-8")
            for path in Path(folder).glob("*.csv")
        }


def outcome(tables: dict[str, str], *, fast: bool) -> object:
    """The pledges read from the tables, or the issues (code, row, column, path) of the read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _csv.csv_reader
        if not fast:
            _csv.csv_reader = lambda *_args: _csv._declined  # type: ignore[assignment]
        try:
            return p2c.io.loads(tables, format="csv")
        except p2c.PledgeDataError as error:
            return [(i.code, i.row, i.column, i.path, i.message) for i in error.issues]
        finally:
            _csv.csv_reader = reader


class TestGenerated:
    """The readers are generated from the field rules: every field, and no kind they cannot read."""

    @pytest.mark.parametrize("source", [_fast._json_reader_source, _fast._csv_reader_source])
    def test_every_field_is_read(self, source: Any) -> None:
        """Each field of the pledge has its local in the generated reader and reaches the instance."""
        text = source(p2c.Pledge)["__source__"]
        assembled = text[text.index("_new(") :]
        for rule in rules_of(p2c.Pledge):
            assert f"f_{rule.name}" in assembled, rule.name

    @pytest.mark.parametrize("lines", [_fast._json_field_lines, _fast._csv_cell_lines])
    def test_a_kind_it_cannot_read_stops_the_generation(self, lines: Any) -> None:
        """A field of a kind the generators do not know is an error naming it, not a silent gap."""
        unit = Rule(name="gauge", kind=Kind.UNIT)
        with pytest.raises(RuntimeError, match="gauge"):
            lines(unit, "f_gauge")
