"""The readers' fast path builds exactly what the strict converter builds, or declines."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import p2c_pledges as p2c
from helpers import document, perturbed_documents, perturbed_tables, same
from p2c_pledges import strategies as pst
from p2c_pledges.io import _csv, _fast, structure
from p2c_pledges.io._fast import MAIN_COLUMNS, Decline, FastPath, assembler
from p2c_pledges.io._fields import Kind, Rule, rules_of


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


class TestColumns:
    """The column reader (:meth:`FastPath.column_reader`) takes what the record reader takes, and builds the same."""

    @staticmethod
    def record_reader_builds(raw: Any) -> p2c.Pledge | None:
        try:
            return FastPath().json_reader()(copy.deepcopy(raw))
        except Exception:  # noqa: BLE001 - declined
            return None

    @given(
        st.lists(st.one_of(pst.pledge_documents(), perturbed_documents()), min_size=1, max_size=5),
        st.randoms(use_true_random=False),
    )
    def test_agrees_with_the_record_reader(self, documents: list[Any], random: Any) -> None:
        """Record by record: the same pledge, or None where the record reader declines.

        Values are shared between records as a sheet's columns share them (the
        same object on several rows), since the column reader checks each object
        once: a shared value must give each record its own right answer.
        """
        records = [copy.deepcopy(raw) for raw in documents]
        for record in records:
            if type(record) is dict and random.random() < 0.5:
                donor = random.choice(records)
                if type(donor) is dict:
                    for key in random.sample(sorted(donor), k=min(3, len(donor))):
                        record[key] = donor[key]  # the very same object
        expected = [self.record_reader_builds(record) for record in records]
        taken = FastPath().column_reader()(records)
        assert len(taken) == len(records)
        for mine, theirs in zip(taken, expected, strict=True):
            if theirs is None:
                assert mine is None
            else:
                assert mine is not None
                same(theirs, mine)

    def test_a_shared_value_is_checked_once(self) -> None:
        """Rows holding the same object cost one check (the point of reading by column)."""
        shared = document()["pledger"]
        records = [document(id=f"p-{n}", pledger=shared) for n in range(50)]
        records.append(document(id="p-50", pledger=dict(shared)))  # equal, another object
        fast = FastPath()
        with mock.patch.object(fast, "pledger", wraps=fast.pledger) as pledger:
            taken = fast.column_reader()(records)
        assert [pledge.id if pledge else None for pledge in taken] == [f"p-{n}" for n in range(51)]
        assert pledger.call_count == 2

    def test_unknown_keys_and_non_objects_are_left_to_the_record_reader(self) -> None:
        good = document(id="p-1")
        records = [good, {**document(id="p-2"), "colour": "red"}, ["not", "a", "record"]]
        taken = FastPath().column_reader()(records)
        assert taken[0] is not None
        assert taken[0].id == "p-1"
        assert taken[1:] == [None, None]

    def test_a_required_field_left_out_everywhere_declines_every_record(self) -> None:
        records = [
            {k: v for k, v in document(id=f"p-{n}").items() if k != "title"} for n in range(3)
        ]
        assert FastPath().column_reader()(records) == [None, None, None]


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

    @given(st.lists(pst.pledges(), max_size=5))
    def test_column_assembler_makes_what_the_assembler_makes(
        self, pledges: list[p2c.Pledge]
    ) -> None:
        """Filled a slot at a time over many instances: the same instances, frozen."""
        names = [field.name for field in attrs.fields(p2c.Pledge)]
        columns = [[getattr(pledge, name) for pledge in pledges] for name in names]
        made = _fast.column_assembler(p2c.Pledge)(columns, len(pledges))
        one = assembler(p2c.Pledge)
        assert made == [one(*(getattr(pledge, name) for name in names)) for pledge in pledges]
        assert made == pledges
        assert all(type(pledge) is p2c.Pledge for pledge in made)
        for pledge in made:
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                pledge.title = "changed"  # type: ignore[misc]


def _outcome(tables: dict[str, str]) -> list[p2c.Pledge] | list[p2c.Issue]:
    try:
        return p2c.io.loads(tables, "csv")
    except p2c.PledgeDataError as error:
        return list(error.issues)


def _declining(*_arguments: object) -> object:
    """A CSV fast path that takes no row: every row goes to the strict converter."""

    def read(_record: object, _index: int = 0) -> p2c.Pledge:
        raise Decline

    return read


class TestCsvAgreement:
    # A file has many cells to perturb: more examples than a test of one value.
    @settings(max_examples=settings.default.max_examples * 10)
    @given(perturbed_tables())
    def test_perturbed_tables(self, tables: dict[str, str]) -> None:
        """The CSV fast path gives the pledges, or the issues, of the strict converter."""
        with mock.patch.object(_csv, "csv_reader", _declining):
            expected = _outcome(tables)
        actual = _outcome(tables)
        assert expected == actual
        for mine, theirs in zip(expected, actual, strict=True):
            if isinstance(mine, p2c.Pledge):
                same(mine, theirs)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        "rows",
        [
            [{"period_start": "2024-01-01", "period_end": "2023-01-01"}],
            [{"amount/amount": "-5"}],
            [{"amount/amount": "-0"}],
            [{}, {}],
            [{"id": "'p-1"}, {"announced_on": "2022-02-30"}, {"period_end": "2000-01-01"}],
        ],
    )
    def test_rules_and_repeated_ids(self, rows: list[dict[str, str]]) -> None:
        """Rows that break an error rule give the converter's issues, in order."""
        base = {"id": "p-1", "title": "t", "pledger/name": "n", "pledger/sector": "government"}
        base |= {"pledge_types": "financial", "focus_areas": "access"}
        base |= {"announced_on": "2022-06-07", "amount/amount": "1", "amount/currency": "EUR"}
        base |= {"period_start": "2022-01-01"}
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(MAIN_COLUMNS)
        for changes in rows:
            writer.writerow([(base | changes).get(heading, "") for heading in MAIN_COLUMNS])
        tables = {"pledges": out.getvalue()}
        with mock.patch.object(_csv, "csv_reader", _declining):
            expected = _outcome(tables)
        assert expected == _outcome(tables)


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


def _keys_of(value: Any) -> int:
    """Every key of every object in a JSON value, however deep (an upper bound of what keys_at_least counts)."""
    if isinstance(value, dict):
        return len(value) + sum(map(_keys_of, value.values()))
    if isinstance(value, list):
        return sum(map(_keys_of, value))
    return 0


def _object_keys(raw: dict[str, Any]) -> int:
    """The keys of a pledge record and of its pledger, amount, targets and co-pledgers, by hand."""
    count = len(raw)
    for name in ("pledger", "amount"):
        if isinstance(raw.get(name), dict):
            count += len(raw[name])
    for name in ("targets", "co_pledgers"):
        items = raw.get(name)
        if isinstance(items, list):
            count += sum(len(item) for item in items if isinstance(item, dict))
    return count


class TestKeyCounts:
    """The count of keys that the check for keys written twice compares with a text's colons."""

    @given(st.one_of(pst.pledge_documents(), perturbed_documents()))
    def test_the_reader_counts_what_keys_at_least_counts(self, raw: Any) -> None:
        """For a record the reader builds, its count is keys_at_least's, the pledge's objects' keys."""
        keys: list[int] = []
        try:
            FastPath().json_reader(None, keys)(copy.deepcopy(raw))
        except Exception:  # noqa: BLE001 - declined: its count is not used
            return
        assert keys == [_fast.keys_at_least(raw)] == [_object_keys(raw)]

    @given(st.recursive(st.none() | st.integers() | st.text(max_size=3), lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["pledger", "amount", "targets", "co_pledgers", "x"]), inner, max_size=4)
    )))  # fmt: skip
    def test_keys_at_least_never_counts_too_many(self, raw: Any) -> None:
        """Whatever a record holds, keys_at_least counts no more keys than it has."""
        assert 0 <= _fast.keys_at_least(raw) <= _keys_of(raw)
        if isinstance(raw, dict):
            assert _fast.keys_at_least(raw) == _object_keys(raw)

    def test_counting_changes_nothing_built(self) -> None:
        """The reader given a list builds the pledge the python engine's reader (no list) builds."""
        raw = document()
        assert FastPath().json_reader()(copy.deepcopy(raw)) == FastPath().json_reader(None, [])(
            raw
        )
