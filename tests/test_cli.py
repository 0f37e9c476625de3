"""Tests of the p2c-pledges command, each run in a subprocess."""

from __future__ import annotations

import csv
import errno
import io as io_
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import attrs
import openpyxl
import pytest

from p2c_pledges import PledgeType, cli, io


SAMPLE = Path(cli.__file__).parent / "data" / "sample_pledges.json"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "p2c_pledges", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=300,
    )


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small valid JSON file: the first 20 pledges of the sample."""
    document = json.loads(SAMPLE.read_text(encoding="utf-8"))
    document["pledges"] = document["pledges"][:20]
    path = tmp_path_factory.mktemp("cli") / "small.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


class TestReport:
    def test_sample_by_default(self) -> None:
        """Without a file the report runs on the bundled sample and says it is illustrative."""
        completed = run("report")
        assert 0 == completed.returncode, completed.stderr
        assert completed.stdout.startswith("ILLUSTRATIVE SAMPLE DATA, not ITU data")
        assert "400 pledges by" in completed.stdout
        assert "no rate source knows KES" in completed.stdout

    def test_french(self) -> None:
        """--locale fr prints French labels and French number formatting."""
        completed = run("report", "--locale", "fr", "--by", "sector")
        assert 0 == completed.returncode, completed.stderr
        assert "Gouvernement" in completed.stdout
        assert "milliards USD" in completed.stdout

    def test_arabic(self) -> None:
        """--locale ar prints Arabic labels."""
        completed = run("report", "--locale", "ar", "--by", "focus_area")
        assert 0 == completed.returncode, completed.stderr
        assert "ربط الناس في كل مكان" in completed.stdout

    def test_rates_fix_uncovered_currencies(self, tmp_path: Path) -> None:
        """A rate table given with --rates converts KES and RWF."""
        rates = tmp_path / "rates.csv"
        lines = ["currency,date,rate"] + [
            f"{code},2021-{month:02d}-01,{rate}"
            for code, rate in (("KES", "110"), ("RWF", "1000"))
            for month in range(1, 13)
        ]
        rates.write_text("\n".join(lines) + "\n", encoding="utf-8")
        completed = run(
            "report", "--rates", str(rates), "--policy", "on_or_before:2000", "--format", "json"
        )
        assert 0 == completed.returncode, completed.stderr
        document = json.loads(completed.stdout)
        total = document["summaries"][0]["cells"][-1]
        assert 0 == total["unconverted"]

    def test_html(self, tmp_path: Path) -> None:
        """--format html --out writes the dashboard of the sample in the locale asked for."""
        out = tmp_path / "report.html"
        completed = run("report", "--format", "html", "--out", str(out), "--locale", "ar")
        assert 0 == completed.returncode, completed.stderr
        page = out.read_text(encoding="utf-8")
        assert page.startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (("--format", "html"), "--format html needs --out FILE"),
            (("--out", "x.html"), "--out is for --format html"),
            (
                ("--format", "html", "--out", "x.html", "--by", "sector,status"),
                "one dimension at a time",
            ),
        ],
    )
    def test_html_usage(self, options: tuple[str, ...], message: str) -> None:
        """Options that do not fit the HTML page are usage errors."""
        completed = run("report", *options)
        assert (2, True) == (completed.returncode, message in completed.stderr)

    def test_group_rows_by_beneficiary_country(self) -> None:
        """By beneficiary country, the sample's group pledges are rows of their own, labelled."""
        completed = run("report", "--by", "beneficiary_country", "--format", "json")
        assert 0 == completed.returncode, completed.stderr
        cells = json.loads(completed.stdout)["summaries"][0]["cells"]
        labels = {cell["beneficiary_country"]: cell["beneficiary_country_label"] for cell in cells}
        assert ("Least developed countries", "Global", "Haiti") == (
            labels["ldc"],
            labels["global"],
            labels["HT"],
        )

    def test_json_and_csv(self, small: Path) -> None:
        """--format json and csv are machine-readable."""
        as_json = json.loads(run("report", str(small), "--format", "json").stdout)
        assert 20 == as_json["pledges"]
        as_csv = run("report", str(small), "--format", "csv", "--by", "sector").stdout
        assert as_csv.startswith("sector,sector_label,pledges")


class TestValidate:
    def test_valid(self, small: Path) -> None:
        """A valid file: exit 0 and a count of zero."""
        completed = run("validate", str(small))
        assert (0, "0 issues\n") == (completed.returncode, completed.stdout)

    def test_issues_located(self, tmp_path: Path, small: Path) -> None:
        """Every issue is printed with its location, then the count; exit 1."""
        document = json.loads(small.read_text(encoding="utf-8"))
        with_amount = next(i for i, p in enumerate(document["pledges"]) if "amount" in p)
        document["pledges"][with_amount]["amount"]["currency"] = "eur"
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(document), encoding="utf-8")
        completed = run("validate", str(bad))
        assert 1 == completed.returncode
        assert f"$.pledges[{with_amount}].amount.currency" in completed.stdout
        assert "currency.unknown" in completed.stdout
        assert completed.stdout.endswith("issue\n") or completed.stdout.endswith("issues\n")

    def test_json_output(self, tmp_path: Path, small: Path) -> None:
        """--format json gives the issues as records and a count."""
        document = json.loads(small.read_text(encoding="utf-8"))
        document["pledges"][0]["sdgs"] = [18]
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(document), encoding="utf-8")
        completed = run("validate", str(bad), "--format", "json")
        report = json.loads(completed.stdout)
        assert (1, 1) == (completed.returncode, report["count"])
        assert "$.pledges[0].sdgs[0]" == report["issues"][0]["path"]


class TestNormalizeAndConvert:
    def test_normalize_csv(self, tmp_path: Path, small: Path) -> None:
        """normalize writes USD values and provenance columns."""
        out = tmp_path / "usd.csv"
        completed = run("normalize", str(small), "--out", str(out))
        assert 0 == completed.returncode, completed.stderr
        header = out.read_text(encoding="utf-8").splitlines()[0]
        assert header.startswith(
            "id,amount,currency,date_used,date_from,usd,usd_exact,rate_usd_per_unit,rate_date,source,rule,fallback"
        )

    @pytest.mark.slow
    def test_largest_amount_reports_and_normalizes(self, tmp_path: Path) -> None:
        """BHD 99999999999999999999 (valid) is reported and normalized: its 21-digit USD value is an output."""
        document = json.loads(SAMPLE.read_text(encoding="utf-8"))
        document["pledges"] = [document["pledges"][0]]
        document["pledges"][0]["amount"] = {"amount": "99999999999999999999", "currency": "BHD"}
        path = tmp_path / "big.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        report = run("report", str(path))
        assert (0, "") == (report.returncode, report.stderr)
        out = tmp_path / "usd.csv"
        normalized = run("normalize", str(path), "--out", str(out))
        assert 0 == normalized.returncode, normalized.stderr
        usd = out.read_text(encoding="utf-8").splitlines()[1].split(",")[5]
        assert 21 == len(usd.split(".")[0])

    def test_normalize_json(self, tmp_path: Path, small: Path) -> None:
        """normalize writes JSON by the file suffix."""
        out = tmp_path / "usd.json"
        assert 0 == run("normalize", str(small), "--out", str(out)).returncode
        assert 20 == len(json.loads(out.read_text(encoding="utf-8"))["pledges"])

    @pytest.mark.parametrize("suffix", [".jsonl", ".json"])
    def test_convert_round_trip(self, tmp_path: Path, small: Path, suffix: str) -> None:
        """convert writes another format that reads back to the same pledges."""
        out = tmp_path / f"copy{suffix}"
        assert 0 == run("convert", str(small), str(out)).returncode
        back = tmp_path / "back.json"
        assert 0 == run("convert", str(out), str(back)).returncode
        assert json.loads(small.read_text(encoding="utf-8")) == json.loads(
            back.read_text(encoding="utf-8")
        )

    def test_no_half_written_file(self, tmp_path: Path) -> None:
        """A failed conversion leaves no output file behind."""
        bad = tmp_path / "bad.json"
        bad.write_text('{"schema_version": "1.0", "pledges": [{"id": 1}]}', encoding="utf-8")
        out = tmp_path / "out.jsonl"
        completed = run("convert", str(bad), str(out))
        assert 1 == completed.returncode
        assert [bad] == sorted(tmp_path.iterdir())


#: Texts that a spreadsheet would run as a formula.
FORMULAS = ['=HYPERLINK("http://evil","x")', "=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture(scope="module")
def formulas(tmp_path_factory: pytest.TempPathFactory, small: Path) -> Path:
    """Pledges whose ids and pledger names are formulas, each of USD 5 (reading refuses -5)."""
    document = json.loads(small.read_text(encoding="utf-8"))
    first = document["pledges"][0]
    document["pledges"] = [
        first
        | {
            "id": text,
            # No country: the pledger's key in a summary is its name alone.
            "pledger": {key: value for key, value in first["pledger"].items() if key != "country"}
            | {"name": text},
            "amount": {"amount": "5", "currency": "USD"},
            "co_pledgers": [],
        }
        for text in FORMULAS
    ]
    path = tmp_path_factory.mktemp("formulas") / "formulas.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def read_csv(data: bytes) -> list[dict[str, str]]:
    # Bytes, not text read with universal newlines, which would make a CR in a cell LF.
    return list(csv.DictReader(io_.StringIO(data.decode("utf-8"), newline="")))


class TestCsvFormulas:
    def test_normalize(self, tmp_path: Path, formulas: Path) -> None:
        """normalize --out x.csv escapes the ids; the amounts and USD figures stay numbers."""
        out = tmp_path / "usd.csv"
        completed = run("normalize", str(formulas), "--out", str(out))
        assert 0 == completed.returncode, completed.stderr
        rows = read_csv(out.read_bytes())
        assert [("'" + text, "5", "USD", "5.00", "5") for text in FORMULAS] == [
            (row["id"], row["amount"], row["currency"], row["usd"], row["usd_exact"])
            for row in rows
        ]

    def test_report_by_pledger(self, formulas: Path) -> None:
        """report --by pledger --format csv escapes the names; the totals stay numbers."""
        command = ["report", str(formulas), "--by", "pledger", "--format", "csv"]
        completed = subprocess.run(
            [sys.executable, "-m", "p2c_pledges", *command],
            capture_output=True,
            check=False,
            timeout=300,
        )
        assert 0 == completed.returncode, completed.stderr
        rows = {row["pledger"]: row for row in read_csv(completed.stdout)}
        assert {"'" + text for text in FORMULAS} | {"TOTAL"} == set(rows)
        assert {("'" + text, "5.00") for text in FORMULAS} == {
            (row["pledger_label"], row["usd"]) for key, row in rows.items() if key != "TOTAL"
        }
        assert "35.00" == rows["TOTAL"]["usd"]


class TestSchema:
    def test_json_schema(self) -> None:
        """schema --json prints a JSON Schema 2020-12."""
        completed = run("schema", "--json")
        assert 0 == completed.returncode, completed.stderr
        assert (
            "https://json-schema.org/draft/2020-12/schema"
            == json.loads(completed.stdout)["$schema"]
        )

    def test_table_schema(self) -> None:
        """schema --table prints a Table Schema with fields."""
        completed = run("schema", "--table")
        assert 0 == completed.returncode, completed.stderr
        assert "fields" in json.loads(completed.stdout)


class TestErrorsForPeople:
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("validate", "missing.json"), "missing.json: no such file"),
            (("validate", "."), "is a directory"),
            (("validate", "notes.txt"), "unknown file format"),
            (("report", "--rates", "rates.txt"), "unreadable rate table"),
            (("report", "--locale", "de"), "'de' is not a supported locale"),
            (("report", "--policy", "nearest"), "is not a policy"),
            (("report", "--by", "colour"), "--by colour"),
            (("normalize", "ok.json", "--out", "out.ods"), "must end in .csv, .json or .xlsx"),
        ],
    )
    def test_one_line_and_exit_2(
        self, tmp_path: Path, small: Path, args: tuple[str, ...], message: str
    ) -> None:
        """Bad input gives one clear line on stderr, no traceback, and exit code 2."""
        (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
        (tmp_path / "rates.txt").write_text(
            "currency,date,rate\nKES,2022-13-01,x\n", encoding="utf-8"
        )
        (tmp_path / "ok.json").write_text(small.read_text(encoding="utf-8"), encoding="utf-8")
        completed = run(*args, cwd=tmp_path)
        assert 2 == completed.returncode
        assert 1 == len(completed.stderr.strip().splitlines()), completed.stderr
        assert message in completed.stderr
        assert "Traceback" not in completed.stderr

    def test_usage_error(self) -> None:
        """A missing subcommand is a usage error (exit 2)."""
        assert 2 == run().returncode

    def test_debug_shows_traceback(self) -> None:
        """--debug shows the traceback."""
        completed = run("--debug", "validate", "missing.json")
        assert "Traceback" in completed.stderr


class TestProgress:
    def test_silent_when_not_a_terminal(self, small: Path) -> None:
        """Reading shows no progress bar when stderr is not a terminal."""
        assert "" == run("validate", str(small)).stderr

    def test_counts_on_a_terminal(self) -> None:
        """On a terminal the counter shows the count and the rate."""
        import io  # noqa: PLC0415 - local to this test

        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        stream = Terminal()
        progress = cli.Progress("read", enabled=True, stream=stream)
        list(progress.wrap(iter(range(3))))
        assert stream.getvalue().rstrip().endswith("/s)")
        assert "read: 3" in stream.getvalue()


class TestAtomicOutput:
    def test_interrupt_leaves_nothing(self, tmp_path: Path) -> None:
        """Ctrl-C while writing leaves neither the output nor a temporary file."""
        out = tmp_path / "out.json"
        with pytest.raises(KeyboardInterrupt), cli.atomic_output(out) as temporary:  # noqa: PT012 - the write and the interrupt belong together
            temporary.write_text("half", encoding="utf-8")
            raise KeyboardInterrupt
        assert [] == list(tmp_path.iterdir())

    def test_success_replaces(self, tmp_path: Path) -> None:
        """A finished write replaces the output in one step."""
        out = tmp_path / "out.json"
        out.write_text("old", encoding="utf-8")
        with cli.atomic_output(out) as temporary:
            temporary.write_text("new", encoding="utf-8")
        assert ("new", [out]) == (out.read_text(encoding="utf-8"), list(tmp_path.iterdir()))

    def test_interrupt_in_main(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """KeyboardInterrupt ends the command with exit 130 and one line, no traceback."""

        def interrupted(_args: object) -> int:
            raise KeyboardInterrupt

        monkeypatch.setattr(cli, "cmd_schema", interrupted)
        assert 130 == cli.main(["schema", "--json"])
        assert "p2c-pledges: interrupted\n" == capsys.readouterr().err


class TestReferenceTables:
    @pytest.fixture
    def bangladesh(self, tmp_path: Path) -> tuple[Path, Path]:
        """A pledge for Bangladesh dated 2027, and a user's group file keeping BD an LDC to 2029."""
        document = json.loads(SAMPLE.read_text(encoding="utf-8"))
        pledge = document["pledges"][0] | {
            "beneficiary_countries": ["BD"],
            "announced_on": "2027-01-15",
            "amount": {"amount": "1000", "currency": "USD"},
        }
        pledge.pop("period_start", None)
        pledge.pop("period_end", None)
        document["pledges"] = [pledge]
        pledges = tmp_path / "bd.json"
        pledges.write_text(json.dumps(document), encoding="utf-8")
        groups = tmp_path / "groups.json"
        groups.write_text(
            json.dumps(
                {
                    "source": "a later decision, as the team reads it",
                    "as_of": "2026-12-04",
                    "memberships": [{"group": "ldc", "countries": ["BD"], "until": "2029-11-24"}],
                }
            ),
            encoding="utf-8",
        )
        return pledges, groups

    def test_user_group_file_changes_the_report_and_says_so(
        self, bangladesh: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`report --groups FILE` counts Bangladesh as an LDC in 2027, and the footer names the file."""
        pledges, groups = bangladesh
        assert 0 == cli.main(["report", str(pledges), "--by", "country_group"])
        bundled = capsys.readouterr().out
        assert 0 == cli.main(
            ["report", str(pledges), "--by", "country_group", "--groups", str(groups)]
        )
        layered = capsys.readouterr().out
        assert (
            "Least developed countries" in bundled.split("Reference data")[0],
            "Least developed countries" in layered.split("Reference data")[0],
        ) == (False, True)
        assert f"{groups} as of 2026-12-04 (user's table)" in layered
        assert "(user's table)" not in bundled

    def test_footer_shows_staleness(
        self, bangladesh: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A pledge dated past the ECB series' last day is reported with that day."""
        pledges, _ = bangladesh
        assert 0 == cli.main(["report", str(pledges)])
        out = capsys.readouterr().out
        assert "after the ECB series' last day" in out or "ECB rates (cached)" in out
        assert "country_groups.json as of " in out

    def test_unusable_group_file_is_a_usage_error(
        self, tmp_path: Path, small: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A group file that is not of the layout stops every command with exit code 2."""
        bad = tmp_path / "bad.json"
        bad.write_text("{}", encoding="utf-8")
        assert 2 == cli.main(["validate", str(small), "--groups", str(bad)])
        assert "unusable country table" in capsys.readouterr().err


@pytest.fixture(scope="module")
def repeated(tmp_path_factory: pytest.TempPathFactory, small: Path) -> dict[str, Path]:
    """The small file with its second pledge's id made the first's, as JSON and as CSV."""
    document = json.loads(small.read_text(encoding="utf-8"))
    document["pledges"][1]["id"] = document["pledges"][0]["id"]
    folder = tmp_path_factory.mktemp("repeated")
    path = folder / "repeated.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert 0 == run("convert", str(small), str(folder / "small.csv")).returncode
    table = folder / "small.csv"
    lines = table.read_text(encoding="utf-8").splitlines()
    first, second = lines[1].split(",")[0], lines[2].split(",")[0]
    (folder / "repeated.csv").write_text(
        "\n".join([lines[0], lines[1], lines[2].replace(second, first, 1), *lines[3:]]) + "\n",
        encoding="utf-8",
    )
    return {"json": path, "csv": folder / "repeated.csv"}


class TestSameChecksAsLoad:
    @pytest.mark.parametrize("kind", ["json", "csv"])
    @pytest.mark.parametrize("command", ["convert", "report", "normalize"])
    def test_duplicate_ids_are_refused(
        self, tmp_path: Path, repeated: dict[str, Path], command: str, kind: str
    ) -> None:
        """Every reading command refuses a file with an id used twice, as validate reports it."""
        source = str(repeated[kind])
        out = str(tmp_path / "out.json")
        argv = {
            "convert": ["convert", source, out],
            "report": ["report", source],
            "normalize": ["normalize", source, "--out", out],
        }[command]
        completed = run(*argv)
        assert 1 == completed.returncode, completed.stdout
        assert "id.duplicate" in completed.stderr
        assert ["out"] != [path.stem for path in tmp_path.iterdir()]

    @pytest.mark.parametrize("kind", ["json", "csv"])
    def test_validate_reports_the_same(self, repeated: dict[str, Path], kind: str) -> None:
        """validate reports the same file's id.duplicate (the check the commands share)."""
        completed = run("validate", str(repeated[kind]))
        assert 1 == completed.returncode
        assert "id.duplicate" in completed.stdout


class TestOwnInput:
    """A writing command refuses to replace a file it reads, unless --force."""

    @pytest.fixture
    def pledges(self, tmp_path: Path, small: Path) -> Path:
        path = tmp_path / "in.json"
        path.write_bytes(small.read_bytes())
        return path

    @pytest.mark.parametrize(
        "argv",
        [
            ["normalize", "{in}", "--out", "{in}"],
            ["convert", "{in}", "{in}"],
            ["report", "{in}", "--format", "html", "--out", "{in}"],
            ["convert", "{in}", "{link}"],
            ["normalize", "{in}", "--rates", "{rates}", "--out", "{rates}"],
            ["import", "{sheet}", "--out", "{dir}/o.json", "--log", "{sheet}"],
        ],
        ids=["normalize", "convert", "report-html", "through-a-link", "rate-table", "import-log"],
    )
    def test_refused(
        self, tmp_path: Path, pledges: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
    ) -> None:
        """An output that is an input is a usage error (exit 2) naming --force; the input is untouched."""
        (tmp_path / "link.json").symlink_to(pledges)
        rates = tmp_path / "r.csv"
        rates.write_text("currency,date,rate\nKES,2022-06-07,116.9\n", encoding="utf-8")
        sheet = tmp_path / "sheet.csv"
        sheet.write_text("Title\nx\n", encoding="utf-8")
        names = {
            "in": pledges,
            "link": tmp_path / "link.json",
            "rates": rates,
            "sheet": sheet,
            "dir": tmp_path,
        }
        before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
        assert 2 == cli.main(["--quiet", *(part.format(**names) for part in argv)])
        assert "--force" in capsys.readouterr().err
        assert before == {path.name: path.read_bytes() for path in tmp_path.iterdir()}

    def test_a_table_of_the_input_package(
        self, tmp_path: Path, pledges: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Converting a data package to a CSV file that is one of its tables is refused too."""
        assert 0 == cli.main(["--quiet", "convert", str(pledges), str(tmp_path / "p.csv")])
        assert 2 == cli.main(
            ["--quiet", "convert", str(tmp_path / "p.datapackage.json"), str(tmp_path / "p.csv")]
        )
        assert str(tmp_path / "p.csv") in capsys.readouterr().err

    def test_force(self, pledges: Path, small: Path) -> None:
        """With --force the file is replaced, with what was read from it."""
        assert 0 == cli.main(["--quiet", "convert", "--force", str(pledges), str(pledges)])
        assert json.loads(small.read_text(encoding="utf-8")) == json.loads(
            pledges.read_text(encoding="utf-8")
        )


class TestPrintedSafely:
    """Control characters in file names and values never reach the terminal raw."""

    HOSTILE = "a\x1b]0;owned\x07\x1b[2J\x9bb"

    def test_file_name_in_an_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A file name with ESC, BEL and CSI is printed with each escaped."""
        assert 2 == cli.main(["validate", str(tmp_path / f"{self.HOSTILE}.json")])
        err = capsys.readouterr().err
        assert "\\x1b]0;owned\\x07\\x1b[2J\\x9bb.json: no such file" in err
        assert not set("\x1b\x07\x9b") & set(err)

    def test_issues_listed(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """validate's text lines and JSON escape a hostile file name; the JSON still reads back to it."""
        path = tmp_path / f"{self.HOSTILE}.json"
        path.write_text("{", encoding="utf-8")
        assert 1 == cli.main(["validate", str(path)])
        out = capsys.readouterr().out
        assert "\\x1b[2J" in out
        assert not set("\x1b\x07\x9b") & set(out)
        assert 1 == cli.main(["validate", "--format", "json", str(path)])
        out = capsys.readouterr().out
        assert not set("\x1b\x07\x9b") & set(out)
        assert str(path) == json.loads(out)["issues"][0]["file"]

    def test_values_in_the_report(
        self, tmp_path: Path, small: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A pledger's name with C1 controls is escaped in the text report."""
        document = json.loads(small.read_text(encoding="utf-8"))
        for pledge in document["pledges"]:
            pledge["pledger"]["name"] = "Acme\x9b2J\x85Corp"
        path = tmp_path / "p.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        for output in ("text", "json"):
            code = cli.main(
                ["--quiet", "report", str(path), "--by", "pledger", "--format", output]
            )
            out = capsys.readouterr().out
            assert (0, set()) == (code, set("\x9b\x85") & set(out))


class TestWriteErrorsNameTheTarget:
    @pytest.mark.parametrize("name", ["out.json", "out.csv"])
    def test_disk_full(
        self,
        tmp_path: Path,
        small: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        name: str,
    ) -> None:
        """A full disk names the file being written (was "p2c-pledges: : No space left on device")."""

        def full(*_args: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(io, "write_document", full)
        monkeypatch.setattr(io._csv, "_write", full)
        out = tmp_path / name
        assert 2 == cli.main(["--quiet", "convert", str(small), str(out)])
        assert f"p2c-pledges: {out}: No space left on device\n" == capsys.readouterr().err
        assert [] == list(tmp_path.glob(".*.tmp"))

    @pytest.mark.parametrize("folder", ["out.json", "out.csv", "out.targets.csv"])
    def test_a_folder(
        self, tmp_path: Path, small: Path, capsys: pytest.CaptureFixture[str], folder: str
    ) -> None:
        """Writing onto a folder names that folder, not the temporary file."""
        (tmp_path / folder).mkdir()
        out = tmp_path / ("out.json" if folder == "out.json" else "out.csv")
        assert 2 == cli.main(["--quiet", "convert", str(small), str(out)])
        err = capsys.readouterr().err
        assert f"p2c-pledges: {tmp_path / folder}: Is a directory\n" == err
        assert [] == list(tmp_path.glob(".*.tmp"))


TRACKER = (
    "Pledge ID,Title,Organisation,Sector,Country,Type,Focus area,Date announced,Amount,Currency\n"
    "T-1,Rural broadband,Government of Ghana,Government,Ghana,Financial,Access,2022-06-07,,\n"
)
TRACKER_MAPPING = """\
header_row = 1

[columns]
"Pledge ID" = "id"
"Title" = "title"
"Organisation" = "pledger.name"
"Sector" = "pledger.sector"
"Country" = "pledger.country"
"Type" = "pledge_types"
"Focus area" = "focus_areas"
"Date announced" = "announced_on"
"Amount" = "amount"
"Currency" = "amount.currency"
"""


@pytest.fixture
def tracker(tmp_path: Path) -> tuple[Path, Path]:
    """A one-row tracker sheet (CSV) and its mapping: a financial pledge without an amount."""
    sheet, mapping = tmp_path / "tracker.csv", tmp_path / "mapping.toml"
    sheet.write_text(TRACKER, encoding="utf-8")
    mapping.write_text(TRACKER_MAPPING, encoding="utf-8")
    return sheet, mapping


class TestOutputInAMissingFolder:
    @pytest.mark.parametrize(
        "command",
        [
            ("convert", "{small}", "{out}.json"),
            ("convert", "{small}", "{out}.csv"),
            ("normalize", "{small}", "--out", "{out}.csv"),
            ("normalize", "{small}", "--out", "{out}.xlsx"),
            ("report", "{small}", "--format", "html", "--out", "{out}.html"),
        ],
    )
    def test_names_the_folder_not_a_temporary_file(
        self,
        tmp_path: Path,
        small: Path,
        capsys: pytest.CaptureFixture[str],
        command: tuple[str, ...],
    ) -> None:
        """An output in a folder that does not exist is a usage error naming it (was a '.tmp' path)."""
        out = tmp_path / "no such folder" / "out"
        args = [part.format(small=small, out=out) for part in command]
        assert 2 == cli.main(["--quiet", *args])
        err = capsys.readouterr().err
        assert f"p2c-pledges: {args[-1]}: cannot be written: {out.parent}: no such folder\n" == err

    def test_import_log(
        self, tmp_path: Path, tracker: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--log in a missing folder is refused before anything is written."""
        sheet, mapping = tracker
        log = tmp_path / "gone" / "log.csv"
        out = tmp_path / "out.json"
        code = cli.main(
            ["import", str(sheet), "--mapping", str(mapping), "--out", str(out), "--log", str(log)]
        )
        assert (2, False) == (code, out.exists())
        assert ".tmp" not in capsys.readouterr().err


class TestStandardStreams:
    @pytest.mark.parametrize(
        ("command", "stream"),
        [
            (("validate", "-"), "input"),
            (("report", "-"), "input"),
            (("convert", "-", "out.json"), "input"),
            (("convert", "{small}", "-"), "output"),
            (("normalize", "{small}", "--out", "-"), "output"),
        ],
    )
    def test_dash_is_explained(
        self,
        small: Path,
        capsys: pytest.CaptureFixture[str],
        command: tuple[str, ...],
        stream: str,
    ) -> None:
        """'-' gets a usage error saying standard streams are not supported (was '-: no such file')."""
        assert 2 == cli.main([part.format(small=small) for part in command])
        assert f"-: standard {stream} is not supported" in capsys.readouterr().err


class _ClosedPipe(io_.StringIO):
    def write(self, _text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(32, "Broken pipe")


class TestBrokenPipe:
    @pytest.mark.parametrize(
        "command", [("schema", "--json"), ("report", "--format", "csv"), ("rates", "status")]
    )
    def test_quiet_exit(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        command: tuple[str, ...],
    ) -> None:
        """A reader that goes away (| head) ends the command quietly with 141 (was ': Broken pipe', 2)."""
        monkeypatch.setattr(sys, "stdout", _ClosedPipe())
        assert 141 == cli.main(list(command))
        assert "" == capsys.readouterr().err


class TestGeneralOptionsAfterTheCommand:
    def test_debug_after_the_command(self) -> None:
        """--debug after the command's name shows the traceback (was 'unrecognized arguments')."""
        with pytest.raises(cli.UsageError, match="no such file"):
            cli.main(["validate", "missing.json", "--debug"])

    def test_quiet_after_the_command(
        self, tmp_path: Path, small: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--quiet after the command's name is taken, and drops the 'written to' line."""
        out = tmp_path / "usd.csv"
        assert 0 == cli.main(["normalize", str(small), "--out", str(out), "--quiet"])
        assert ("", True) == (capsys.readouterr().err, out.exists())

    def test_status_line_without_quiet(
        self, tmp_path: Path, small: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without --quiet, normalize says what it wrote."""
        out = tmp_path / "usd.csv"
        assert 0 == cli.main(["normalize", str(small), "--out", str(out)])
        assert f"written to {out}" in capsys.readouterr().err

    def test_missing_subcommand_named_for_people(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing subcommand is called COMMAND, not an internal name (was 'rates_command')."""
        with pytest.raises(SystemExit) as ended:
            cli.main(["rates"])
        err = capsys.readouterr().err
        assert (2, False) == (ended.value.code, "rates_command" in err)
        assert "required: COMMAND" in err

    def test_ctrl_c_while_starting(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Ctrl-C while the options are read exits 130 with one line, no traceback."""

        def interrupted() -> NoReturn:
            raise KeyboardInterrupt

        monkeypatch.setattr(cli, "_parser", interrupted)
        assert 130 == cli.main(["report"])
        assert "p2c-pledges: interrupted\n" == capsys.readouterr().err


def _workbook(path: Path, text: str) -> Path:
    """Write the CSV ``text`` as a workbook such as people keep (not one the library wrote)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in csv.reader(text.splitlines()):
        sheet.append(line)
    book.save(path)
    return path


class TestSheets:
    def test_convert_refuses_a_sheet(
        self, tmp_path: Path, small: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """convert on a tracker workbook points to import (was an internal error, exit 70)."""
        sheet = _workbook(tmp_path / "tracker.xlsx", TRACKER)
        assert 2 == cli.main(["convert", str(sheet), str(tmp_path / "out.json")])
        assert f"import it with p2c-pledges import {sheet}" in capsys.readouterr().err

    def test_suggested_mapping_issue_names_the_sheet(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An issue of the suggested mapping names the sheet's file, and validate lists it as JSON."""
        # No heading says "Type": the suggested mapping has no column for pledge_types.
        workbook = _workbook(tmp_path / "tracker.xlsx", TRACKER.replace(",Type,", ",Kind,"))
        assert 1 == cli.main(["validate", str(workbook), "--format", "json"])
        issues = json.loads(capsys.readouterr().out)["issues"]
        assert [(str(workbook), "mapping.field_missing")] == [
            (issue["file"], issue["code"]) for issue in issues
        ]
        assert 1 == cli.main(["report", str(workbook)])
        assert f"p2c-pledges: {workbook} $: mapping.field_missing" in capsys.readouterr().err

    def test_rule_warnings_name_the_sheet(
        self, tracker: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A warning of the rules on a sheet's pledges names the sheet (was a bare JSON path)."""
        sheet, mapping = tracker
        assert 1 == cli.main(
            ["validate", str(sheet), "--mapping", str(mapping), "--format", "json"]
        )
        issues = json.loads(capsys.readouterr().out)["issues"]
        assert [("amount.missing", str(sheet))] == [(i["code"], i["file"]) for i in issues]

    @pytest.mark.parametrize("count", ["0", "-5"])
    def test_max_issues_must_be_positive(
        self, tracker: tuple[Path, Path], capsys: pytest.CaptureFixture[str], count: str
    ) -> None:
        """--max-issues 0 or less is a usage error (was 'stopped reporting after -5 issues')."""
        sheet, mapping = tracker
        with pytest.raises(SystemExit) as ended:
            cli.main(["validate", str(sheet), "--mapping", str(mapping), "--max-issues", count])
        assert 2 == ended.value.code
        assert "--max-issues" in capsys.readouterr().err

    def test_one_pledge_in_the_singular(
        self, tmp_path: Path, tracker: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The import's summary counts in the singular for one (was '1 pledges written')."""
        sheet, mapping = tracker
        out = tmp_path / "out.json"
        assert 0 == cli.main(["import", str(sheet), "--mapping", str(mapping), "--out", str(out)])
        assert f"1 pledge written to {out}; 0 rows failed" in capsys.readouterr().err


IMF_LAYOUT = (
    "Date,Rate,Currency,Frequency,Source,Country code,Country\n"
    "2022-12-31,109.6,KES,A,IMF,KE,Kenya\n"
    "2022-12-31,1000.0,RWF,A,IMF,RW,Rwanda\n"
    "1990-12-31,15.0,CSJ,A,IMF,CS,Czechoslovakia\n"
)


class TestDropInvalidRates:
    def test_refused_with_a_hint(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A rate table with a retired currency code is refused, and the message names the option."""
        rates = tmp_path / "imf.csv"
        rates.write_text(IMF_LAYOUT, encoding="utf-8")
        assert 2 == cli.main(["report", "--rates", str(rates)])
        assert "--drop-invalid-rates leaves such rows out" in capsys.readouterr().err

    def test_dropped_and_counted(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--drop-invalid-rates uses the rest of an IMF table (was: no way to use such a file)."""
        rates = tmp_path / "imf.csv"
        rates.write_text(IMF_LAYOUT, encoding="utf-8")
        args = ["report", "--rates", str(rates), "--policy", "annual_average", "--by", "sector"]
        assert 0 == cli.main([*args, "--drop-invalid-rates"])
        captured = capsys.readouterr()
        assert f"{rates}: 1 row left out (CSJ)\n" == captured.err
        assert "no rate source knows KES" not in captured.out


class TestIdsAcrossFiles:
    def test_report_refuses_a_file_given_twice(
        self, small: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The same pledges in two files are not counted twice (were silently doubled)."""
        assert 1 == cli.main(["report", str(small), str(small)])
        assert "id.duplicate" in capsys.readouterr().err

    def test_validate_names_the_first_file(
        self, tmp_path: Path, small: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """validate lists an id used in an earlier file, naming both files."""
        other = tmp_path / "other.jsonl"
        io.dump(io.load(small)[:2], other)
        assert 1 == cli.main(["validate", str(small), str(other), "--format", "json"])
        issues = json.loads(capsys.readouterr().out)["issues"]
        first = io.load(small)[0].id
        assert ("id.duplicate", str(other), first) == (
            issues[0]["code"],
            issues[0]["file"],
            issues[0]["value"],
        )
        assert f"of {small}" in issues[0]["message"]
        assert 2 == len(issues)


class TestHelp:
    @pytest.mark.parametrize(
        ("command", "text"),
        [
            (["--help"], "CSV and the Excel workbook (.xlsx)"),
            (["import", "--help"], ".csv or .xlsx"),
        ],
    )
    def test_formats_listed(
        self, capsys: pytest.CaptureFixture[str], command: list[str], text: str
    ) -> None:
        """The help lists the workbook among the formats convert and import write."""
        with pytest.raises(SystemExit):
            cli.main(command)
        assert text in " ".join(capsys.readouterr().out.split())


class TestWarningsLocated:
    @pytest.mark.parametrize(("suffix", "row"), [(".csv", 4), (".jsonl", 3)])
    def test_row_of_a_warning(
        self,
        tmp_path: Path,
        small: Path,
        capsys: pytest.CaptureFixture[str],
        suffix: str,
        row: int,
    ) -> None:
        """A rule's warning on a CSV or JSON Lines file names its row, as errors do (was the file only)."""
        pledges = io.load(small)[:3]
        # The third pledge is a financial pledge without an amount: amount.missing.
        pledges[2] = attrs.evolve(pledges[2], pledge_types=[PledgeType.FINANCIAL], amount=None)
        path = tmp_path / f"pledges{suffix}"
        io.dump(pledges, path)
        assert 1 == cli.main(["validate", str(path), "--format", "json"])
        issues = json.loads(capsys.readouterr().out)["issues"]
        assert [("amount.missing", str(path), row)] == [
            (issue["code"], issue["file"], issue["row"]) for issue in issues
        ]
