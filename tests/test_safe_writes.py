"""Tests that a write interrupted midway leaves the old file, or none, never half of one."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

import p2c_pledges as p2c
from p2c_pledges import io
from p2c_pledges.io._atomic import replacing


SAMPLE = p2c.load(Path(p2c.__file__).parent / "data" / "sample_pledges.json")


def _interrupted(after: int, error: BaseException) -> Iterator[p2c.Pledge]:
    """Yield sample pledges, then raise ``error`` as a Ctrl-C or a bug would, midway."""
    yield from SAMPLE[:after]
    raise error


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


FORMATS = [("p.json", "json"), ("p.jsonl", "jsonl"), ("p.csv", "csv")]
# The CSV writer reads every pledge before it opens a file, so an input that
# fails midway never reaches it: the CSV case of those tests could not fail.
# TestInterruptedInProcess.test_ctrl_c_while_writing_a_table interrupts it instead.
STREAMED = FORMATS[:2]


class TestInterruptedInProcess:
    @pytest.mark.parametrize(("name", "kind"), STREAMED)
    def test_ctrl_c_keeps_the_old_files(self, tmp_path: Path, name: str, kind: io.Format) -> None:
        """A KeyboardInterrupt midway leaves every old file byte for byte, and no temporary file."""
        io.dump(SAMPLE[:3], tmp_path / name, format=kind)
        before = _contents(tmp_path)
        with pytest.raises(KeyboardInterrupt):
            io.dump(_interrupted(200, KeyboardInterrupt()), tmp_path / name, format=kind)
        assert before == _contents(tmp_path)

    @pytest.mark.parametrize(("name", "kind"), STREAMED)
    def test_error_midway_leaves_no_file(self, tmp_path: Path, name: str, kind: io.Format) -> None:
        """An error midway through a first write leaves the folder empty."""
        with pytest.raises(RuntimeError):
            io.dump(_interrupted(200, RuntimeError("disk on fire")), tmp_path / name, format=kind)
        assert {} == _contents(tmp_path)

    @pytest.mark.parametrize("table", ["pledges", "targets", "co_pledgers"])
    def test_ctrl_c_while_writing_a_table(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str
    ) -> None:
        """Ctrl-C while a CSV table is half written leaves all four old files as they were.

        The CSV writer reads the pledges into a list first, so a failing input
        cannot reach it midway: the interrupt comes from inside the row writer.
        """
        io.dump(SAMPLE[:3], tmp_path / "p.csv")
        before = _contents(tmp_path)
        write_row = io._csv._write
        rows = {"written": 0}

        file = io._csv.table_paths(Path("p.csv"))[table].name

        def interrupted(
            writer: object, row: list[str], index: int, where: tuple[str, list[str]]
        ) -> None:
            if where[0] == file:
                rows["written"] += 1
                if rows["written"] > 2:
                    raise KeyboardInterrupt
            write_row(writer, row, index, where)

        partner = p2c.Pledger(name="Partner", sector=p2c.Sector.ACADEMIA)
        with_partners = [attrs.evolve(pledge, co_pledgers=[partner]) for pledge in SAMPLE]
        monkeypatch.setattr(io._csv, "_write", interrupted)
        with pytest.raises(KeyboardInterrupt):
            io.dump(with_partners, tmp_path / "p.csv")
        assert 2 < rows["written"]
        assert before == _contents(tmp_path)

    def test_unwritable_extra_leaves_the_old_tables(self, tmp_path: Path) -> None:
        """A pledge the CSV writer refuses (an extra named as a column) is located, and the old tables stay."""
        io.dump(SAMPLE[:3], tmp_path / "p.csv")
        before = _contents(tmp_path)
        bad = attrs.evolve(SAMPLE[0], id="bad", extras={"pledger/name": "n"})
        with pytest.raises(p2c.PledgeDataError) as caught:
            io.dump([*SAMPLE[:5], bad], tmp_path / "p.csv")
        assert [("key.conflict", "$.pledges[5].extras")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]
        assert before == _contents(tmp_path)

    def test_set_in_extras_is_refused_on_building(self) -> None:
        """A set in extras (no JSON form) is refused when the pledge is built, at its key."""
        with pytest.raises(p2c.PledgeDataError) as caught:
            attrs.evolve(SAMPLE[0], extras={"tags": {"a", "b"}})
        assert [("value.type", "$.extras.tags")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]

    def test_circular_extra_is_refused_on_building(self) -> None:
        """A list in extras that holds itself is a located value.type, not a RecursionError."""
        circular: list[object] = []
        circular.append(circular)
        with pytest.raises(p2c.PledgeDataError) as caught:
            attrs.evolve(SAMPLE[0], extras={"loop": circular})
        assert [("value.type", "$.extras.loop[0]")] == [
            (issue.code, issue.path) for issue in caught.value.issues
        ]

    def test_success_replaces(self, tmp_path: Path) -> None:
        """A write that completes replaces the old file with the new pledges."""
        io.dump(SAMPLE[:3], tmp_path / "p.json")
        io.dump(SAMPLE[:7], tmp_path / "p.json")
        assert SAMPLE[:7] == p2c.load(tmp_path / "p.json")
        assert ["p.json"] == sorted(_contents(tmp_path))

    def test_mode_follows_the_umask(self, tmp_path: Path) -> None:
        """The written file gets the mode new files get (umask), not a temporary file's 0600."""
        previous = os.umask(0o022)
        try:
            io.dump(SAMPLE[:1], tmp_path / "p.json")
        finally:
            os.umask(previous)
        assert 0o644 == (tmp_path / "p.json").stat().st_mode & 0o777

    def test_an_existing_file_keeps_its_mode(self, tmp_path: Path) -> None:
        """Replacing a private (0600) file leaves it private (a review find: it became 0644)."""
        target = tmp_path / "p.json"
        io.dump(SAMPLE[:1], target)
        target.chmod(0o600)
        io.dump(SAMPLE[:2], target)
        assert 0o600 == target.stat().st_mode & 0o777

    def test_a_symlink_keeps_pointing_at_the_file(self, tmp_path: Path) -> None:
        """Writing through a symbolic link replaces the file it points to; the link stays."""
        (tmp_path / "real").mkdir()
        real = tmp_path / "real" / "p.json"
        io.dump(SAMPLE[:1], real)
        link = tmp_path / "link.json"
        link.symlink_to(real)
        io.dump(SAMPLE[:2], link)
        assert link.is_symlink()
        assert SAMPLE[:2] == p2c.load(real)
        assert ["p.json"] == sorted(_contents(tmp_path / "real"))

    def test_replacing_removes_temporaries_when_the_block_fails(self, tmp_path: Path) -> None:
        """The helper removes every temporary file when the block raises, and renames nothing."""
        targets = [tmp_path / "a.csv", tmp_path / "b.csv"]
        with pytest.raises(ValueError, match="midway"), replacing(targets) as temporaries:  # noqa: PT012 - the write and the failure belong together
            temporaries[0].write_text("half", encoding="utf-8")
            raise ValueError("midway")
        assert {} == _contents(tmp_path)


# Writes many pledges slowly enough to be interrupted while the file is open.
_SLOW_WRITER = """
import sys, time
from pathlib import Path
import p2c_pledges as p2c
sample = p2c.load(Path(p2c.__file__).parent / "data" / "sample_pledges.json")
def pledges():
    for round in range(10_000):
        for pledge in sample:
            yield pledge
        time.sleep(0.001)
p2c.dump(pledges(), Path(sys.argv[1]), format=sys.argv[2])
"""


@pytest.mark.slow
class TestInterruptedProcess:
    @pytest.mark.parametrize(("name", "kind"), FORMATS)
    def test_sigint_during_a_large_write(self, tmp_path: Path, name: str, kind: str) -> None:
        """SIGINT to a process in the middle of a large write leaves the old file whole."""
        target = tmp_path / name
        io.dump(SAMPLE[:3], target, format=kind)  # type: ignore[arg-type]
        before = _contents(tmp_path)
        child = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target), kind])
        try:
            # Wait until the child has a temporary file and has written into it.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                partial = [p for p in tmp_path.glob(".*.tmp") if p.stat().st_size > 100_000]
                if partial or child.poll() is not None:
                    break
                time.sleep(0.05)
            assert partial, "the writer never started writing"
            child.send_signal(signal.SIGINT)
            assert 0 != child.wait(timeout=60)
        finally:
            child.kill()
            child.wait()
        assert before == _contents(tmp_path)


class TestCommand:
    def test_convert_to_csv_writes_the_tables_under_their_names(self, tmp_path: Path) -> None:
        """``convert`` to CSV leaves the four files of the data package and nothing else."""
        source = tmp_path / "in.json"
        io.dump(SAMPLE[:20], source)
        completed = subprocess.run(
            [sys.executable, "-m", "p2c_pledges", "convert", str(source), str(tmp_path / "o.csv")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert 0 == completed.returncode, completed.stderr
        assert [
            "in.json",
            "o.co_pledgers.csv",
            "o.csv",
            "o.datapackage.json",
            "o.targets.csv",
        ] == sorted(_contents(tmp_path))
        assert SAMPLE[:20] == p2c.load(tmp_path / "o.datapackage.json")


# Runs the command with every pledge written slowly, so that it can be ended midway.
_SLOW_COMMAND = """
import sys, time
from p2c_pledges import cli, io
from p2c_pledges.io import _csv

def slowly(pledges):
    for pledge in pledges:
        time.sleep(0.002)
        yield pledge

for name in ("write_document", "write_lines"):
    original = getattr(io, name)
    setattr(io, name, lambda pledges, out, original=original: original(slowly(pledges), out))
write_row = _csv._write
def slow_row(*args):
    time.sleep(0.002)
    write_row(*args)
_csv._write = slow_row
sys.exit(cli.main(sys.argv[1:]))
"""


class TestEndedBySignal:
    @pytest.mark.parametrize(
        ("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)]
    )
    @pytest.mark.parametrize("name", ["o.csv", "o.json"])
    def test_no_temporary_file_is_left(
        self, tmp_path: Path, signum: signal.Signals, code: int, name: str
    ) -> None:
        """A signal that ends convert midway leaves the old files whole, no temporary file, and the documented exit code."""
        source = tmp_path / "in.json"
        io.dump(SAMPLE, source)
        io.dump(SAMPLE[:3], tmp_path / name)
        before = _contents(tmp_path)
        child = subprocess.Popen(
            [sys.executable, "-c", _SLOW_COMMAND, "convert", str(source), str(tmp_path / name)],
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            partial: list[Path] = []
            while time.monotonic() < deadline and child.poll() is None:
                partial = [p for p in tmp_path.glob(".*.tmp") if p.stat().st_size > 1_000]
                if partial:
                    break
                time.sleep(0.01)
            assert partial, "the command never started writing"
            child.send_signal(signum)
            _, stderr = child.communicate(timeout=60)
        finally:
            child.kill()
            child.wait()
        assert code == child.returncode, stderr
        assert before == _contents(tmp_path)


class TestErrorsNameTheTarget:
    @pytest.mark.parametrize(("name", "kind"), FORMATS)
    def test_a_folder(self, tmp_path: Path, name: str, kind: io.Format) -> None:
        """dump onto a folder raises IsADirectoryError naming that folder, before writing."""
        (tmp_path / name).mkdir()
        with pytest.raises(IsADirectoryError) as caught:
            io.dump(SAMPLE[:3], tmp_path / name, format=kind)
        assert str(tmp_path / name) == caught.value.filename
        assert [name] == sorted(_contents_names(tmp_path))

    def test_the_temporary_file_is_never_named(self, tmp_path: Path) -> None:
        """A failing rename is reported with the target's name, not the temporary file's."""
        target = tmp_path / "p.json"

        def failing_rename() -> None:
            with replacing([target]) as (temporary,):
                temporary.write_text("x", encoding="utf-8")
                raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(temporary))

        with pytest.raises(OSError, match=r"p\.json") as caught:
            failing_rename()
        assert (str(target), errno.EACCES) == (caught.value.filename, caught.value.errno)

    def test_missing_folder_names_the_file_asked_for(self, tmp_path: Path) -> None:
        """A file in a missing folder: the error names it, not the temporary name beside it."""
        target = tmp_path / "missing" / "pledges.json"
        with pytest.raises(FileNotFoundError) as raised, replacing([target]):
            pass  # pragma: no cover - the temporary file cannot be made
        assert str(target) == raised.value.filename

    def test_disk_full(self, tmp_path: Path) -> None:
        """A write error without a file name (a full disk) is raised naming the target."""
        target = tmp_path / "p.json"
        with pytest.raises(OSError, match="No space") as caught, replacing([target]):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        assert str(target) == caught.value.filename
        assert [] == _contents_names(tmp_path)


def _contents_names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())
