"""Faults that must leave the warehouse answering exactly as before (or as after): kill -9, a full disk,
readers during loads, two loads at once, a failed reconciliation; and a valid 50 MB file."""

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl.demo import generate
from tests.conftest import TINY, load, rows, sha256, snapshot
from warehouse import build, snapshots
from warehouse.build import ReconciliationError
from warehouse.connect import open_read_only

ROOT = Path(__file__).resolve().parents[1]
KILL_MOMENTS = sorted(round(random.Random(2011).uniform(0.05, 3.0), 2) for _ in range(20))


def cli(*args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        **options,
    )  # fmt: skip


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    """The demo at scale 20 (1,460 pairs, 313,000 rows): a load of about 2.5 s, long enough to be killed."""
    folder = tmp_path_factory.mktemp("big")
    generate(folder, scale=20)
    return folder


@pytest.fixture
def tiny_warehouse_copy(tmp_path) -> Path:
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    return warehouse


def fully_new(warehouse: Path) -> bool:
    return rows(warehouse, "select count(*), (select max(load_id) from load_history) from raw_pairs") == [
        (5 + 73 * 20, 2)
    ]


@pytest.mark.slow
@pytest.mark.parametrize("moment", KILL_MOMENTS)
def test_kill_minus_9_at_any_moment_leaves_the_warehouse_old_or_new(moment, tiny_warehouse_copy, big_folder):
    before = sha256(tiny_warehouse_copy)
    process = cli("load", str(big_folder), "--warehouse", str(tiny_warehouse_copy))
    time.sleep(moment)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert sha256(tiny_warehouse_copy) == before or fully_new(tiny_warehouse_copy)
    status = cli("status", "--warehouse", str(tiny_warehouse_copy))
    out, _ = status.communicate()
    assert status.returncode == 0 and "Rows per entity" in out
    # the next load cleans up after the killed one and works
    assert load(big_folder, tiny_warehouse_copy) is not None and fully_new(tiny_warehouse_copy)


def disk_limit(max_bytes: int):
    def apply() -> None:  # in the child: writes past max_bytes fail as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return apply


@pytest.mark.parametrize("max_bytes", [1_000_000, 6_000_000], ids=["while copying", "while writing"])
def test_full_disk_gives_a_clear_error_and_changes_nothing(max_bytes, tiny_warehouse_copy, demo_folder):
    before = snapshot(tiny_warehouse_copy)
    process = cli("load", str(demo_folder), "--warehouse", str(tiny_warehouse_copy), preexec_fn=disk_limit(max_bytes))
    _, err = process.communicate()
    assert process.returncode == 1
    assert "Nothing was loaded; the warehouse is unchanged." in err
    assert "File too large" in err and "If the disk is full, free space and load again." in err
    assert snapshot(tiny_warehouse_copy) == before
    assert not Path(f"{tiny_warehouse_copy}.loading").exists()


def test_failed_reconciliation_aborts_the_load(tiny_warehouse_copy, tiny_folder, monkeypatch):
    before = sha256(tiny_warehouse_copy)
    # over a table this load changes: a load runs the checks that read what it changed
    cannot_hold = ("a check that cannot hold", "select count(*), count(*) + 1 from raw_costs")
    monkeypatch.setattr(build, "RECONCILIATIONS", (*build.RECONCILIATIONS, cannot_hold))
    (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Launch event,1200,x\n")
    with pytest.raises(ReconciliationError, match=r"a check that cannot hold \(expected 1, found 2\)"):
        load(tiny_folder, tiny_warehouse_copy)
    assert sha256(tiny_warehouse_copy) == before


def test_a_reader_opened_after_a_load_sees_it_while_an_older_reader_is_still_open(tiny_warehouse_copy, tiny_folder):
    """A page still reading the old file must not keep later readers on it: they would cache its rows under the new
    file's version."""
    older = open_read_only(tiny_warehouse_copy)  # a page's query in flight
    (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Launch event,1234,x\n")
    load(tiny_folder, tiny_warehouse_copy)
    newer = open_read_only(tiny_warehouse_copy)
    assert newer.execute("select amount from raw_costs").fetchall() == [(1234.0,)]
    assert older.execute("select amount from raw_costs").fetchall() == [(1000.0,)]  # its own version, whole
    older.close()
    newer.close()
    assert [p.name for p in tiny_warehouse_copy.parent.iterdir() if ".reading-" in p.name] == []


def test_readers_opening_the_file_while_it_is_swapped_read_one_whole_file(tmp_path):
    """DuckDB opens a path more than once while attaching it: without the pinned name, a swap in between gave a
    short read or a metadata error about once in 300 swaps."""
    versions = []
    for version, rows_in_it in enumerate([1_000, 300_000]):
        versions.append(tmp_path / f"version{version}.duckdb")
        con = duckdb.connect(str(versions[-1]))
        con.execute(f"create table t as select {version} as version, range as x from range({rows_in_it})")
        con.close()
    live = tmp_path / "live.duckdb"
    shutil.copyfile(versions[0], live)
    errors, reads, done = [], [], threading.Event()

    def read_continuously() -> None:
        while not done.is_set():
            try:
                con = open_read_only(live)
                reads.append(con.execute("select any_value(version), count(*) from t").fetchone())
                con.close()
            except Exception as error:  # any error a reader sees is a failure
                errors.append(repr(error))

    readers = [threading.Thread(target=read_continuously) for _ in range(3)]
    for reader in readers:
        reader.start()
    swaps, ends = 0, time.monotonic() + 120  # until both counts are met: a busy machine reads more slowly
    while (swaps <= 300 or len(reads) <= 300) and time.monotonic() < ends:
        swaps += 1
        shutil.copyfile(versions[swaps % 2], tmp_path / "next.duckdb")
        os.replace(tmp_path / "next.duckdb", live)
    done.set()
    for reader in readers:
        reader.join()
    print(f"\n{len(reads):,} reads during {swaps:,} swaps, {len(errors)} errors")
    assert errors == []
    assert swaps > 300 and len(reads) > 300
    assert set(reads) == {(0, 1_000), (1, 300_000)}
    assert [p.name for p in tmp_path.iterdir() if ".reading-" in p.name] == []


def test_the_dashboards_reader_follows_loads_and_closes_the_old_file(tiny_warehouse_copy, tiny_folder):
    """Pages share one open reader per version of the file; the one a load replaced closes once its queries end, so
    an erased file's rows are not kept readable."""
    first = snapshots.latest_version(tiny_warehouse_copy)
    replaced = snapshots._latest[tiny_warehouse_copy]  # noqa: SLF001 - the registry's state is what this is about
    with snapshots.cursor(tiny_warehouse_copy, first) as running:  # a query of a page run that began before the load
        (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Launch event,1234,x\n")
        load(tiny_folder, tiny_warehouse_copy)
        second = snapshots.latest_version(tiny_warehouse_copy)
        assert second != first
        with snapshots.cursor(tiny_warehouse_copy, second) as con:
            assert con.execute("select amount from raw_costs").fetchall() == [(1234.0,)]
        assert running.execute("select amount from raw_costs").fetchall() == [(1000.0,)]  # still its own version
        replaced.con.execute("select 1")  # open while its query runs
    with pytest.raises(duckdb.ConnectionException):
        replaced.con.execute("select 1")
    # a query asking for the replaced version reads the file as it is now (never older than the version it names)
    with snapshots.cursor(tiny_warehouse_copy, first) as con:
        assert con.execute("select amount from raw_costs").fetchall() == [(1234.0,)]


def test_dashboard_reads_during_back_to_back_loads_see_one_whole_load(tiny_warehouse_copy, tiny_folder):
    errors, reads = [], []
    done = threading.Event()

    def read_continuously() -> None:
        while not done.is_set():
            try:
                con = open_read_only(tiny_warehouse_copy)  # the dashboard's read path
                reads.append(
                    con.execute("select (select max(amount) from raw_costs), max(load_id) from load_history").fetchone()
                )
                con.close()
            except Exception as error:  # any error a reader sees is a failure
                errors.append(repr(error))

    readers = [threading.Thread(target=read_continuously) for _ in range(2)]
    for reader in readers:
        reader.start()
    for load_id in range(2, 22):
        (tiny_folder / "costs.csv").write_text(f"cohort_id,category,amount,note\nT1,Launch event,{1000 + load_id},x\n")
        load(tiny_folder, tiny_warehouse_copy)
    done.set()
    for reader in readers:
        reader.join()
    print(f"\n{len(reads):,} reads during 20 loads, {len(errors)} errors")
    assert errors == []
    assert len(reads) > 100
    # load 1 wrote 1000; load n wrote 1000 + n: each read saw the costs and the history of one and the same load
    assert all(amount == (1000 if load_id == 1 else 1000 + load_id) for amount, load_id in reads)


def test_two_loads_started_at_once_never_interleave(tiny_warehouse_copy, big_folder):
    first = cli("load", str(big_folder), "--warehouse", str(tiny_warehouse_copy))
    second = cli("load", str(big_folder), "--warehouse", str(tiny_warehouse_copy))
    results = [(p.wait(), p.communicate()[1]) for p in (first, second)]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 1])
    for code, err in results:
        if code == 1:
            assert "Another load is writing to" in err and "Wait for it to finish" in err
    # whatever the order, the warehouse holds the folder's rows exactly once
    assert rows(tiny_warehouse_copy, "select count(*) from raw_pairs") == [(5 + 73 * 20,)]
    assert rows(tiny_warehouse_copy, "select count(*) from load_history") == [(2,)]


@pytest.mark.slow
def test_a_valid_50_mb_file_loads_with_progress(tmp_path):
    folder = tmp_path / "files"
    generate(folder, scale=110)
    assert (folder / "social_activity.csv").stat().st_size > 50_000_000
    messages = []
    summary = load(folder, tmp_path / "w.duckdb", progress=messages.append)
    [activity] = [f for f in summary.files if f.entity == "social_activity"]
    assert activity.rows_rejected == 0 and activity.rows_loaded == activity.rows_read > 1_000_000
    assert f"  social_activity.csv: {activity.rows_read:,} rows read, validating" in messages
    assert messages[-1] == "building the marts"
