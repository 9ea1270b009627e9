"""The command line as a coordinator uses it: help, exit codes and messages."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TINY

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env_warehouse: Path | None = None) -> subprocess.CompletedProcess:
    env = None
    if env_warehouse:
        import os

        env = {**os.environ, "MENTORING_WAREHOUSE": str(env_warehouse)}
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("command", [[], ["load"], ["demo"], ["status"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0 and "usage: python -m etl" in result.stdout


def test_load_then_status(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    loaded = run("load", str(TINY), "--warehouse", str(warehouse))
    assert loaded.returncode == 0
    assert "sessions.csv: 15 read, 15 new, 0 updated, 0 unchanged" in loaded.stdout
    assert "[4/8] sessions.csv" in loaded.stderr  # progress
    status = run("status", "--warehouse", str(warehouse))
    assert status.returncode == 0
    assert "Data date (latest date recorded in the data): 2020-02-20" in status.stdout
    assert "Quarantined rows: 0" in status.stdout
    again = run("load", str(TINY), "--warehouse", str(warehouse))
    assert "  cohorts.csv: 1 row, skipped: the same file (sha256) as load 1\n" in again.stdout
    assert "  sessions.csv: 15 rows, skipped: the same file (sha256) as load 1\n" in again.stdout


def test_warehouse_path_from_the_environment(tmp_path):
    warehouse = tmp_path / "env.duckdb"
    assert run("load", str(TINY), env_warehouse=warehouse).returncode == 0
    assert warehouse.exists()


def test_refused_load_exits_non_zero_with_advice(tiny_folder, tmp_path):
    (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Launch event,lots,x\n")
    result = run("load", str(tiny_folder), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 1
    assert "Nothing was loaded; the warehouse is unchanged." in result.stderr
    assert "costs.csv:2 amount: got 'lots', expected a number" in result.stderr
    assert "load with --quarantine" in result.stderr


def test_a_quarantined_load_counts_its_rows_in_words(tiny_folder, tmp_path):
    costs = tiny_folder / "costs.csv"
    costs.write_text(costs.read_text() + "T1,Catering,lots,x\n")
    one = run("load", str(tiny_folder), "--warehouse", str(tmp_path / "one.duckdb"), "--quarantine")
    assert one.returncode == 0
    assert "1 row was quarantined; see `python -m etl status`." in one.stdout
    costs.write_text(costs.read_text() + "T1,Travel,many,y\n")
    two = run("load", str(tiny_folder), "--warehouse", str(tmp_path / "two.duckdb"), "--quarantine")
    assert "2 rows were quarantined;" in two.stdout and "costs.csv:4 amount: got 'many'" in two.stdout


def test_status_without_a_warehouse_says_how_to_make_one(tmp_path):
    result = run("status", "--warehouse", str(tmp_path / "none.duckdb"))
    assert result.returncode == 1 and "python -m etl demo" in result.stderr


def test_demo_twice_changes_nothing_the_second_time(tmp_path):
    args = ("demo", "--out", str(tmp_path / "files"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert run(*args).returncode == 0
    second = run(*args)
    assert second.returncode == 0 and "Nothing changed" in second.stdout


def test_scale_must_be_positive():
    result = run("demo", "--scale", "0")
    assert result.returncode == 2 and "--scale must be 1 or more" in result.stderr


@pytest.mark.parametrize("command", [["load", str(TINY)], ["status"], ["forget", "E1", "--yes"], ["demo"]])
@pytest.mark.parametrize("kind", ["a CSV", "another application's DuckDB file"])
def test_a_file_that_is_not_a_warehouse_is_named_and_left_as_it_is(tmp_path, command, kind):
    """A user's CSV given as --warehouse, by a slip of the hand, or another application's DuckDB file (status and
    forget ended in a traceback, a load wrote its tables into it, the demo wrote its files beside it before the load
    refused it): no traceback, not a byte written."""
    victim = tmp_path / ("cohorts.csv" if kind == "a CSV" else "app.duckdb")
    if kind == "a CSV":
        victim.write_bytes((TINY / "cohorts.csv").read_bytes())
    else:
        duckdb.connect(str(victim)).execute("create table orders as select 1 as id").close()
    before = victim.read_bytes()
    result = run(*command, "--warehouse", str(victim))
    assert (result.returncode, "Traceback" in result.stderr) == (1, False)
    assert result.stderr.splitlines()[-1] == (
        f"{victim} is not a warehouse (a DuckDB file written by a load) and was left as it is. Give the warehouse you"
        " loaded before, or a new file name ending in .duckdb."
    )
    assert victim.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [victim.name]


def test_a_folder_given_as_the_warehouse_is_named(tmp_path):
    result = run("load", str(TINY), "--warehouse", str(tmp_path))
    assert result.stderr.splitlines()[-1] == (
        f"{tmp_path} is a folder. Give a warehouse file, for example {tmp_path / 'mentoring.duckdb'}."
    )


def test_a_programs_files_replace_the_demo_and_the_demo_never_joins_a_program(demo_warehouse, tmp_path):
    """`make run` builds the demo at the default path; loading a program's own files there next must not add them to
    73 fictional pairs (nor the demo to a program's warehouse)."""
    warehouse = tmp_path / "w.duckdb"
    warehouse.write_bytes(demo_warehouse.read_bytes())
    loaded = run("load", str(TINY), "--warehouse", str(warehouse))
    assert loaded.stdout.splitlines()[-1] == (
        f"{warehouse} held the demo program (fictional): your files replaced it, and it now holds only them."
    )
    status = run("status", "--warehouse", str(warehouse)).stdout
    assert "  pairs             5   " in status.splitlines()
    before = warehouse.read_bytes()
    demo = run("demo", "--warehouse", str(warehouse))
    assert (demo.returncode, warehouse.read_bytes() == before) == (1, True)
    assert demo.stderr.splitlines()[-1] == (
        f"{warehouse} holds your program's data: the demo goes into a warehouse of its own, for example"
        f" python -m etl demo --warehouse {tmp_path / 'demo.duckdb'}"
    )


def test_an_older_sessions_file_that_undoes_recorded_sessions_is_pointed_out(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert run("load", str(tiny_folder), "--warehouse", str(warehouse)).returncode == 0
    sessions = tiny_folder / "sessions.csv"
    sessions.write_text(
        sessions.read_text()
        .replace("P1,4,2020-02-17,held,2020-02-17,30,true,true,", "P1,4,2020-02-17,scheduled,,,,,")
        .replace("P4,2,2020-02-05,held,2020-02-05,", "P4,2,2020-02-05,scheduled,,")
    )
    loaded = run("load", str(tiny_folder), "--warehouse", str(warehouse))
    assert (
        "  sessions.csv: 2 sessions the warehouse has as held, missed or cancelled are scheduled in this file, which"
        " sets them back to scheduled (the last file loaded wins): is it an older copy?"
    ) in loaded.stdout.splitlines()
