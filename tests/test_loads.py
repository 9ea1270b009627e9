"""Loads never hurt: all or nothing, idempotent, upserts by natural key, audited, one writer at a time."""

import csv
import shutil
import threading
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.forget import forget
from etl.load import LoadBusy, LoadRefused, writer_lock
from etl.rewrite import models_out_of_date, upgrade_models
from tests.conftest import TINY, load, marts_unlike_their_models, rows, sha256, snapshot
from warehouse.build import PARTIAL, Model, Partial, models_version
from warehouse.connect import open_read_only


def test_batch_with_one_bad_file_leaves_the_warehouse_unchanged(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    before, before_sha = snapshot(warehouse), sha256(warehouse)
    (tiny_folder / "sessions.csv").write_text((TINY / "sessions.csv").read_text().replace("P4,2,", "P4,2,x"))
    (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Extra,5,new row\n")
    with pytest.raises(LoadRefused):
        load(tiny_folder, warehouse)
    assert sha256(warehouse) == before_sha
    assert snapshot(warehouse) == before


def test_same_files_twice_change_nothing(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    before, before_sha = snapshot(warehouse), sha256(warehouse)
    summary = load(TINY, warehouse)
    assert not summary.changed
    assert sum(f.rows_unchanged for f in summary.files) == 52
    assert sha256(warehouse) == before_sha
    assert snapshot(warehouse) == before


def test_files_already_loaded_are_skipped_by_hash_until_an_erasure(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    summary = load(TINY, warehouse)
    assert {f.same_as_load for f in summary.files} == {1}
    forget(warehouse, "E01")
    # the erasure removed rows these files hold: loading them again brings the person back (README, Erasure)
    again = load(TINY, warehouse)
    assert {f.same_as_load for f in again.files} == {None} and again.changed
    assert rows(warehouse, "select count(*) from raw_participants where participant_id = 'E01'") == [(1,)]


def test_a_file_edited_to_the_same_size_is_loaded_and_a_copied_one_is_skipped(tiny_folder, tmp_path):
    """Sizes only spare the wait for a hash: one size is not one file."""
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    costs = tiny_folder / "costs.csv"
    edited = costs.read_text().replace("T1,Launch event,1000,", "T1,Launch event,9000,")
    assert len(edited) == len(costs.read_text())
    costs.write_text(edited)
    summary = load(tiny_folder, warehouse)
    by_file = {f.file: f for f in summary.files}
    assert by_file["costs.csv"].same_as_load is None and by_file["costs.csv"].rows_updated == 1
    assert by_file["costs.csv"].sha256 == sha256(costs)
    assert {f.same_as_load for name, f in by_file.items() if name != "costs.csv"} == {1}
    assert rows(warehouse, "select amount from raw_costs where category = 'Launch event'") == [(9000.0,)]
    assert rows(warehouse, "select sha256 from load_files where load_id = 2 and entity = 'costs'") == [(sha256(costs),)]


def test_cells_spelled_another_valid_way_load_as_written_plainly(tiny_folder, tmp_path):
    """A first load types a valid file straight into its raw table; spaces around a cell other than an ID or text
    send the file to the careful path, which trims them: either way the same rows, each once."""
    sessions = tiny_folder / "sessions.csv"
    plain = "P1,2,2020-01-20,held,2020-01-20,45,true,true"
    sessions.write_text(sessions.read_text().replace(plain, "P1, 2 ,2020-01-20 ,HELD,2020-01-20,45,Yes,true"))
    # the typed insert itself trims IDs and reads other capitals
    activity = tiny_folder / "social_activity.csv"
    activity.write_text(activity.read_text().replace("E01,linkedin,2019-12,true", "  E01 ,LinkedIn,2019-12,TRUE"))
    load(TINY, tmp_path / "plain.duckdb")
    load(tiny_folder, tmp_path / "spelled.duckdb")
    for table in ("raw_sessions", "raw_social_activity"):
        query = f"select * from {table} order by all"
        assert rows(tmp_path / "spelled.duckdb", query) == rows(tmp_path / "plain.duckdb", query)


@pytest.mark.parametrize("careful", [False, True])
def test_levels_and_statuses_written_as_the_dashboard_shows_them_load_as_their_codes(tiny_folder, tmp_path, careful):
    people = tiny_folder / "participants.csv"
    people.write_text(
        people.read_text().replace(",c_suite,", ",C-suite,").replace(",department_head,", ",Department head,")
    )
    if careful:  # a cell with spaces around it sends the file to the careful path, which trims it
        people.write_text(people.read_text().replace("E05,mentee", "E05, mentee "))
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    assert rows(warehouse, "select participant_id, level from raw_participants where participant_id in"
                " ('E01', 'E04', 'X01') order by 1") == [("E01", "c_suite"), ("E04", "department_head"),
                                                         ("X01", "c_suite")]  # fmt: skip


def test_newer_file_upserts_by_natural_key(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    sessions = (TINY / "sessions.csv").read_text()
    sessions = (
        sessions.replace("P2,3,2020-02-03,missed,,,true,false", "P2,3,2020-02-03,held,2020-02-04,30,true,true")
        + "P4,4,2020-03-18,scheduled,,,,,Wrap-up,,,,,\n"
    )
    (tiny_folder / "sessions.csv").write_text(sessions)
    summary = load(tiny_folder, warehouse)
    [result] = [f for f in summary.files if f.entity == "sessions"]
    assert (result.rows_read, result.rows_inserted, result.rows_updated, result.rows_unchanged) == (16, 1, 1, 14)
    assert rows(warehouse, "select count(*) from raw_sessions") == [(16,)]
    assert rows(
        warehouse, "select status, held_on::varchar, _load_id from raw_sessions where pair_id = 'P2' and session_no = 3"
    ) == [("held", "2020-02-04", 2)]


def test_a_warehouse_whose_rows_name_their_file_takes_a_new_load(tiny_folder, tmp_path):
    # raw rows used to carry their file's name before their line; the file is now their load's file of the entity
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    con = duckdb.connect(str(warehouse))
    for table in ("raw_pairs", "raw_sessions"):
        con.execute(f"alter table {table} add column _source_file varchar")
        con.execute(f"create table old as select * exclude (_source_line, _load_id, _source_file), 'x.csv' as"
                    f" _source_file, _source_line, _load_id from {table}")  # fmt: skip
        con.execute(f"drop table {table}; alter table old rename to {table}")
    con.close()
    (tiny_folder / "sessions.csv").write_text(
        (TINY / "sessions.csv")
        .read_text()
        .replace("P2,3,2020-02-03,missed,,,true,false", "P2,3,2020-02-03,held,,,true,true")
    )
    load(tiny_folder, warehouse)
    assert rows(warehouse, "select count(*) from duckdb_columns() where column_name = '_source_file'") == [(0,)]
    assert rows(
        warehouse,
        """select s.status, s._source_line, f.file_name from raw_sessions s
           join load_files f on f.load_id = s._load_id and f.entity = 'sessions'
           where pair_id = 'P2' and session_no = 3""",
    ) == [("held", 8, "sessions.csv")]


def test_next_months_sessions_load_alone(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    folder = tmp_path / "march"
    folder.mkdir()
    (folder / "sessions.csv").write_text(
        "pair_id,session_no,scheduled_on,status,held_on\nP3,3,2020-03-02,held,2020-03-02\n"
    )
    summary = load(folder, warehouse)
    assert [(f.rows_inserted, f.rows_updated) for f in summary.files] == [(0, 1)]
    # its third of 4 planned sessions, on the day the cohort ended: all but one held, so completed (DOMAIN.md)
    assert rows(warehouse, "select health_status from fct_pair_health where pair_id = 'P3'") == [("Completed",)]
    assert rows(warehouse, "select data_date::varchar from dim_data_date") == [("2020-03-02",)]
    assert marts_unlike_their_models(warehouse) == []
    # the checks over sessions and what reads them ran (pairs and people read sessions too); surveys and activity
    # held before
    assert rows(warehouse, "select reconciliation from load_history where load_id = 2") == [
        ("5 of 5 checks passed (2 more read nothing this load changed)",)
    ]


def session_change(row: dict, change: str, value: int) -> dict:
    """A valid later version of a demo session row: held with a rating and a note, held a few days later, or its
    rating and note changed."""
    if change == "held" and row["status"] != "held":
        row.update(status="held", held_on=row["scheduled_on"], duration_min="45", mentor_present="true")
        row.update(mentee_present="true", aha_moment="", ideas_count="")
    if change == "later" and row["status"] == "held":
        row.update(held_on=(date.fromisoformat(row["scheduled_on"]) + timedelta(days=value * 5)).isoformat())
    if row["status"] == "held":
        row.update(trust_rating=str(value) if value <= 5 else "", notes=f"Note {value}" if value % 2 else "")
    return row


@pytest.fixture(scope="module")
def open_ended(demo_folder, tmp_path_factory) -> tuple[Path, Path]:
    """The demo with every other finished pair's ended_on left out (it then closed with its last session), loaded."""
    folder = tmp_path_factory.mktemp("open_ended") / "files"
    shutil.copytree(demo_folder, folder)
    with (folder / "pairs.csv").open(newline="") as handle:
        pairs = list(csv.DictReader(handle))
    for pair in pairs[::2]:
        if pair["status"] != "active":
            pair["ended_on"] = ""
    with (folder / "pairs.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(pairs[0]))
        writer.writeheader()
        writer.writerows(pairs)
    warehouse = folder.parent / "w.duckdb"
    load(folder, warehouse, is_demo=True)
    return folder, warehouse


@settings(max_examples=12, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(changes=st.lists(st.tuples(st.integers(0, 477), st.sampled_from(["held", "later", "rating"]),
                                  st.integers(1, 6)), min_size=1, max_size=40))  # fmt: skip
def test_a_sessions_load_rebuilds_its_marts_in_part_as_a_full_rebuild_would(open_ended, tmp_path, changes):
    # held, rated and noted sessions move other pairs' places in their cohort, level and session number's release
    # order, and a later last session moves its pair's closing day: the marts rebuilt in part (PARTIAL) must equal
    # their models run on every row
    folder, base = open_ended
    with (folder / "sessions.csv").open(newline="") as handle:
        sessions = list(csv.DictReader(handle))
    last = {row["pair_id"]: index for index, row in enumerate(sessions)}  # each pair's last session
    changed = {}
    for index, change, value in changes:
        index %= len(sessions)
        if change == "later":
            index = last[sessions[index]["pair_id"]]
        changed[index] = session_change(dict(changed.get(index, sessions[index])), change, value)
    case = tmp_path / f"case{abs(hash(tuple(changes)))}"
    (case / "files").mkdir(parents=True)
    with (case / "files" / "sessions.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(sessions[0]))
        writer.writeheader()
        writer.writerows(changed.values())
    warehouse = case / "w.duckdb"
    shutil.copyfile(base, warehouse)
    summary = load(case / "files", warehouse, is_demo=True)
    assert marts_unlike_their_models(warehouse) == []
    assert summary.changed or all(row == sessions[i] for i, row in changed.items())


def test_another_partial_scope_is_another_models_version(monkeypatch):
    # a release whose scope differs rebuilds every mart in full: the marts an older scope kept are not kept again
    before = models_version()
    monkeypatch.setitem(PARTIAL, "dim_pairs", Partial("raw_sessions", "stg_sessions", "true", ("pair_id",)))
    assert models_version() != before


def test_a_mart_reading_its_source_twice_is_never_rebuilt_in_part():
    twice = Model("fct_x", "marts", "select * from stg_sessions a join stg_sessions b using (pair_id)")
    with pytest.raises(ValueError, match="fct_x must read stg_sessions once"):
        PARTIAL["fct_sessions"].sql(twice, 2)


def test_a_file_without_optional_columns_keeps_what_the_warehouse_holds_in_them(tmp_path):
    # an attendance-only export: the ratings, topics and notes logged before stay; a changed cell is still updated
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    folder = tmp_path / "attendance"
    folder.mkdir()
    lines = [",".join(line.split(",")[:8]) for line in (TINY / "sessions.csv").read_text().splitlines()]
    lines[1] = lines[1].replace("2020-01-06,60,", "2020-01-06,50,")  # P1's first session: 50 minutes, not 60
    (folder / "sessions.csv").write_text("\n".join(lines) + "\n")
    [result] = load(folder, warehouse).files
    assert (result.rows_read, result.rows_inserted, result.rows_updated, result.rows_unchanged) == (15, 0, 1, 14)
    assert rows(
        warehouse,
        "select duration_min, topic, trust_rating, aha_moment, ideas_count from raw_sessions"
        " where pair_id = 'P1' and session_no = 1",
    ) == [(50, "Technology and Devices", 3, False, 0)]
    assert rows(warehouse, "select count(topic), count(trust_rating) from raw_sessions") == [(15, 8)]


def test_a_rule_broken_by_a_value_the_warehouse_kept_says_where_the_value_came_from(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    folder = tmp_path / "status_only"
    folder.mkdir()
    (folder / "sessions.csv").write_text("pair_id,session_no,scheduled_on,status\nP1,2,2020-01-20,missed\n")
    with pytest.raises(LoadRefused) as refused:
        load(folder, warehouse)
    assert (
        "sessions.csv:2 held_on: got 2020-01-20 (the warehouse's: the file has no held_on column; add it, with the cell"
        " empty to clear the value), expected no held_on date for a session whose status is missed"
    ) in str(refused.value).splitlines()


def test_older_file_after_a_newer_one_wins_as_the_latest_load(tiny_folder, tmp_path):
    # the documented rule: the last file loaded wins per natural key, and the summary says what it changed
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Launch event,1500,Revised\n")
    load(tiny_folder, warehouse)
    older = tmp_path / "older"
    older.mkdir()
    (older / "costs.csv").write_bytes((TINY / "costs.csv").read_bytes())
    summary = load(older, warehouse)
    assert [(f.rows_updated, f.rows_inserted) for f in summary.files] == [(1, 0)]
    assert rows(warehouse, "select amount, note, _load_id from raw_costs") == [(1000.0, "Kick-off lunch", 3)]


def test_quarantine_loads_good_rows_and_keeps_bad_ones_aside(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    sessions = (TINY / "sessions.csv").read_text().replace("P4,2,2020-02-05,held", "P4,2,2020-02-05,done")
    (tiny_folder / "sessions.csv").write_text(sessions)
    summary = load(tiny_folder, warehouse, quarantine=True)
    [result] = [f for f in summary.files if f.entity == "sessions"]
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (15, 14, 1)
    assert rows(warehouse, "select file_name, line, problems from quarantine") == [
        (
            "sessions.csv",
            14,
            "status: got 'done', expected one of scheduled, held, missed, cancelled, rescheduled",
        )
    ]
    assert rows(warehouse, "select outcome, rows_read, rows_loaded, rows_rejected from load_history") == [
        ("loaded with quarantined rows", 52, 51, 1)
    ]


def test_quarantined_row_keeps_its_original_text(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Launch event,lots,x\n")
    load(tiny_folder, warehouse, quarantine=True)
    [(text,)] = rows(warehouse, "select row_text from quarantine")
    assert '"amount":"lots"' in text and '"_line":2' in text


def test_a_quarantined_line_that_could_not_be_read_keeps_its_text(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    (tiny_folder / "costs.csv").write_text("cohort_id,category,amount,note\nT1,Launch event\n")  # cut short
    load(tiny_folder, warehouse, quarantine=True)
    assert rows(warehouse, "select line, row_text from quarantine") == [(2, '{"line_text":"T1,Launch event"}')]


def test_load_history_records_files_and_hashes(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    assert rows(
        warehouse,
        "select file_name, sha256, rows_read, rows_loaded, rows_rejected from load_files where entity = 'costs'",
    ) == [("costs.csv", sha256(TINY / "costs.csv"), 1, 1, 0)]
    assert rows(warehouse, "select load_id, outcome, files, reconciliation from load_history") == [
        (1, "loaded", 8, "7 of 7 checks passed")
    ]


def test_a_second_load_is_refused_while_one_runs(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with writer_lock(warehouse):
        with pytest.raises(LoadBusy, match=r"Another load is writing to .*w.duckdb \(pid \d+, started"):
            load(TINY, warehouse)
    assert not warehouse.exists()


def test_readers_see_old_or_new_data_while_loads_run(tiny_folder, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    load(TINY, warehouse)
    errors, seen = [], set()
    done = threading.Event()

    def read_continuously():
        while not done.is_set():
            try:
                # as the dashboard reads: a plain connect opens the path more than once, and a swap in between gives
                # a short read (warehouse/connect.py)
                con = open_read_only(warehouse)
                seen.add(con.execute("select count(*), max(amount) from raw_costs").fetchone())
                con.close()
            except Exception as error:  # any error a reader sees is a failure
                errors.append(repr(error))

    reader = threading.Thread(target=read_continuously)
    reader.start()
    for amount in range(1001, 1011):
        (tiny_folder / "costs.csv").write_text(f"cohort_id,category,amount,note\nT1,Launch event,{amount},x\n")
        load(tiny_folder, warehouse)
    done.set()
    reader.join()
    assert errors == []
    # every read saw one whole load: one cost row whose amount is one of the loaded values
    assert seen and all(count == 1 and 1000 <= amount <= 1010 for count, amount in seen)


def test_a_warehouse_built_by_older_models_is_upgraded_in_place(tiny_warehouse, tmp_path):
    warehouse = tmp_path / "old.duckdb"
    shutil.copyfile(tiny_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("drop view fct_construct_scores")  # as an earlier version would have it: a mart table, no version
    con.execute("create table fct_construct_scores as select 1 as participant_id")
    con.execute("drop table models_version")
    con.execute("create view asof_survey_answers as select 1 as x")  # a model of an earlier version, gone since
    con.execute("create table fct_survey_answers as select * from stg_survey_answers")  # a table now a view
    con.close()
    assert models_out_of_date(warehouse)
    upgrade_models(warehouse)
    assert rows(
        warehouse,
        "select count(*) from information_schema.tables"
        " where table_name in ('asof_survey_answers', 'fct_survey_answers')",
    ) == [(0,)]
    assert not models_out_of_date(warehouse)
    assert rows(warehouse, "select count(*) from fct_construct_scores where wave = 'post'") == [(2,)]
    assert rows(
        warehouse, "select table_type from information_schema.tables where table_name = 'fct_construct_scores'"
    ) == [("VIEW",)]


def sampled_lines(path, every: int) -> dict[str, int]:
    """The first three cells of every `every`-th line of a CSV file (and of its last), with its line number: counted
    line by line in Python, apart from DuckDB (the demo's cells hold no line breaks)."""
    sample = {}
    with path.open() as handle:
        for number, line in enumerate(handle, start=1):
            if number > 1 and number % every == 0:
                sample[",".join(line.split(",")[:3])] = number
    sample[",".join(line.split(",")[:3])] = number
    return sample


def lines_found(warehouse, sample: dict[str, int]) -> int:
    """How many of `sample`'s activity rows sit in the raw table with their line."""
    return rows(
        warehouse,
        """select count(*) from raw_social_activity r
           join (select unnest(?) as key, unnest(?) as line) s
             on s.key = r.participant_id || ',' || r.platform || ',' || strftime(r.month, '%Y-%m')
           where r._source_line = s.line""",
        [list(sample), list(sample.values())],
    )[0][0]


def test_rows_keep_their_lines_when_a_large_file_is_read_on_every_core(large):
    path = large.parent / "files" / "social_activity.csv"
    assert path.stat().st_size > 100_000_000  # many blocks, which DuckDB reads side by side
    sample = sampled_lines(path, 997)
    assert len(sample) > 3_000
    assert lines_found(large, sample) == len(sample)


def test_lines_after_a_broken_line_keep_their_numbers_on_the_careful_path(large, tmp_path):
    """A broken line and a bad cell deep in a large file: each is named by its line, set aside, and every other row
    keeps its own line."""
    source = large.parent / "files"
    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("cohorts.csv", "participants.csv", "pairs.csv"):
        shutil.copy(source / name, folder / name)
    lines = (source / "social_activity.csv").read_text().splitlines(keepends=True)
    broken, bad = 1_500_001, len(lines) - 9
    lines.insert(broken - 1, "E000001,linkedin,2011-03,true,1,2,3,4\n")
    cells = lines[bad - 1].split(",")
    lines[bad - 1] = ",".join([*cells[:4], "many", *cells[5:]])
    path = folder / "social_activity.csv"
    path.write_text("".join(lines))
    warehouse = tmp_path / "w.duckdb"
    summary = load(folder, warehouse, quarantine=True)
    [activity] = [f for f in summary.files if f.entity == "social_activity"]
    assert (activity.rows_read, activity.rows_rejected) == (len(lines) - 1, 2)
    assert rows(warehouse, "select line, problems from quarantine order by line") == [
        (broken, "got 8 fields, expected 7 fields like the header (a cut or broken row?)"),
        (bad, "posts: got 'many', expected a whole number"),
    ]
    sample = {key: line for key, line in sampled_lines(path, 997).items() if line not in (broken, bad)}
    assert lines_found(warehouse, sample) == len(sample)
