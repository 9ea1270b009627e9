"""Erasure: `python -m etl forget` removes a person from every table and from the file's bytes, and asks first."""

import getpass
import io
import os
from datetime import date
from pathlib import Path

import pytest

from etl.cli import main
from etl.load import LoadError
from etl.saved import save_contact
from tests.conftest import TINY, load, rows, sha256

QUARANTINED = {  # a second load with refused rows: two of Eve's (her email, a confidential note) and one of Ed's pair
    "participants.csv": "participant_id,role,display_name,email,level,generation,hourly_cost\n"
    "E01,mentee,Eve Exec,eve@example.com,chief,boomer,600\n",
    "sessions.csv": "pair_id,session_no,scheduled_on,status,held_on,duration_min,mentor_present,mentee_present,"
    "topic,phase,trust_rating,aha_moment,ideas_count,notes\n"
    "P1,5,2020-02-20,held,2020-02-20,60,true,true,Tech,,9,false,0,Eve confides she is leaving\n"
    "P2,5,2020-02-20,held,2020-02-20,60,true,true,Tech,,9,false,0,Ed row stays\n",
}
EVE = [b"eve@example.com", b"Eve Exec", b"Mentee travelling", b"Eve confides she is leaving"]


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w" / "tiny.duckdb"
    load(TINY, path)
    second = tmp_path / "second"
    second.mkdir()
    for name, text in QUARANTINED.items():
        (second / name).write_text(text)
    load(second, path, quarantine=True)
    return path


def count(path: Path, needle: bytes) -> int:
    return path.read_bytes().count(needle)


def test_forget_leaves_no_trace_of_the_person_and_keeps_everyone_else(warehouse, capsys):
    assert [count(warehouse, n) > 0 for n in EVE] == [True, True, True, True]  # the check below can see them
    assert main(["forget", "E01", "--yes", "--warehouse", str(warehouse)]) == 0
    assert "Erased E01: 20 rows removed; the erasure is recorded." in capsys.readouterr().out

    assert [count(warehouse, n) for n in EVE] == [0, 0, 0, 0]
    assert count(warehouse, b"ed@example.com") > 0 and count(warehouse, b"Ed row stays") > 0
    assert sorted(os.listdir(warehouse.parent)) == ["tiny.duckdb", "tiny.duckdb.lock"]  # no old copy or log left
    ids = rows(warehouse, "select participant_id from raw_participants order by 1")
    assert [i for (i,) in ids] == ["E02", "E03", "E04", "E05", "M01", "M02", "M03", "M04", "M05", "X01"]
    assert rows(warehouse, "select pair_id from raw_pairs order by 1") == [("P2",), ("P3",), ("P4",), ("P5",)]
    assert rows(warehouse, "select count(*) from raw_sessions where pair_id = 'P1'") == [(0,)]
    for table in ("raw_survey_responses", "raw_social_activity", "dim_participants"):
        assert rows(warehouse, f"select count(*) from {table} where participant_id = 'E01'") == [(0,)]
    assert rows(warehouse, "select file_name, line from quarantine") == [("sessions.csv", 3)]  # Ed's pair's row
    assert rows(warehouse, "select load_id, outcome from load_history order by 1") == [
        (1, "loaded"),
        (2, "loaded with quarantined rows"),
    ]
    [(digest, by, removed)] = rows(warehouse, "select participant_sha256, erased_by, rows_removed from erasures")
    assert (digest, by, removed) == (
        "e7e7dd241b31082d328fe29439a320dac14696e5f2b7c9f42c745ba274555d8b",
        getpass.getuser(),
        20,
    )

    assert main(["status", "--warehouse", str(warehouse)]) == 0
    assert "Erasures: 1" in capsys.readouterr().out
    load(TINY, warehouse)  # still a warehouse a load can write to (and loading Eve's files again brings her back)
    assert rows(warehouse, "select count(*) from raw_participants where participant_id = 'E01'") == [(1,)]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (io.StringIO(""), "Nothing was erased: confirm with --yes when no one can answer the question."),
        (Terminal("n\n"), "Nothing was erased."),
    ],
)
def test_forget_without_yes_refuses_unless_confirmed(warehouse, monkeypatch, capsys, stdin, message):
    before = sha256(warehouse)
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["forget", "E01", "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert (
        "removes these rows for good" in err
        and "  quarantine: 2\n  raw_pairs: 1\n" in err
        and err.rstrip().endswith(message)
    )
    assert sha256(warehouse) == before


def test_forget_goes_on_when_the_terminal_answers_yes(warehouse, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    assert main(["forget", "E01", "--warehouse", str(warehouse)]) == 0
    assert count(warehouse, b"eve@example.com") == 0


def test_forget_an_unknown_participant_changes_nothing(warehouse, capsys):
    before = sha256(warehouse)
    assert main(["forget", "E99", "--yes", "--warehouse", str(warehouse)]) == 1
    assert "No row of E99 is in" in capsys.readouterr().err
    assert sha256(warehouse) == before


def test_a_failed_write_erases_nothing_and_leaves_no_copy(warehouse, monkeypatch, capsys):
    before = sha256(warehouse)

    def disk_full(path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("etl.load.fsync_path", disk_full)  # the work copy written, its swap fails
    assert main(["forget", "E01", "--yes", "--warehouse", str(warehouse)]) == 1
    assert "Nothing was erased; the warehouse is unchanged.\nThe erasure stopped while writing: [Errno 28]" in (
        capsys.readouterr().err
    )
    assert sha256(warehouse) == before
    assert sorted(os.listdir(warehouse.parent)) == ["tiny.duckdb", "tiny.duckdb.lock"]


def test_forget_takes_only_the_persons_quarantined_rows_and_those_of_their_pairs_set_aside(tmp_path, capsys):
    """IDs 1-4: a quarantined row with session number 1, or a problem saying "from 1 to 5", is not person 1's (they
    went with `forget 1`); the sessions of a pair set aside are its people's (they stayed)."""
    files = tmp_path / "files"
    files.mkdir()
    cohorts = "cohort_id,name,start_date,planned_sessions,cadence_days\nT1,W,2020-01-06,4,14\n"
    (files / "cohorts.csv").write_text(cohorts)
    (files / "participants.csv").write_text(
        "participant_id,role,display_name,email,level\n1,mentor,Ann Mentor,ann@example.com,manager\n"
        "2,mentee,Bob Exec,bob@example.com,c_suite\n3,mentor,Cat Mentor,cat@example.com,manager\n"
        "4,mentee,Dan Exec,dan@example.com,c_suite\n5,mentee,Eli Exec,eli@example.com,c_suite\n"
    )
    # pair 30 (Cat and Eli) is set aside for its date; its session goes with it
    (files / "pairs.csv").write_text(
        "pair_id,cohort_id,mentor_id,mentee_id,matched_on\n10,T1,1,2,2020-01-02\n20,T1,3,4,2020-01-02\n"
        "30,T1,3,5,someday\n"
    )
    (files / "sessions.csv").write_text(
        "pair_id,session_no,scheduled_on,status,trust_rating,notes\n10,1,2020-01-06,held,4,\n"
        "20,1,2020-01-06,held,9,Dan disclosed a health issue\n30,1,2020-01-06,held,3,Eli's note\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(files, warehouse, quarantine=True)
    quarantined = "select file_name, line from quarantine order by all"
    assert rows(warehouse, quarantined) == [("pairs.csv", 4), ("sessions.csv", 3), ("sessions.csv", 4)]
    assert main(["forget", "1", "--yes", "--warehouse", str(warehouse)]) == 0
    assert rows(warehouse, quarantined) == [("pairs.csv", 4), ("sessions.csv", 3), ("sessions.csv", 4)]
    assert main(["forget", "5", "--yes", "--warehouse", str(warehouse)]) == 0
    assert rows(warehouse, quarantined) == [("sessions.csv", 3)]  # Dan's stays; Eli's pair and its session went
    assert count(warehouse, b"Eli's note") == 0
    assert main(["forget", " ", "--yes", "--warehouse", str(warehouse)]) == 1
    assert "Give the participant_id of the person to erase (it is empty)" in capsys.readouterr().err
    assert rows(warehouse, quarantined) == [("sessions.csv", 3)]


def test_a_warehouse_kept_private_stays_private_through_loads_contacts_and_erasures(warehouse, tiny_folder):
    # each writes a new file and swaps it in: it came with the process's defaults (0644, readable by everyone)
    warehouse.chmod(0o600)
    sessions = tiny_folder / "sessions.csv"
    sessions.write_text(sessions.read_text().replace("P5,1,2020-02-24,scheduled", "P5,1,2020-02-24,missed"))
    assert load(tiny_folder, warehouse).changed
    assert warehouse.stat().st_mode & 0o777 == 0o600
    save_contact(warehouse, "P2", date(2020, 2, 1), "left a voicemail")
    assert warehouse.stat().st_mode & 0o777 == 0o600
    assert main(["forget", "E01", "--yes", "--warehouse", str(warehouse)]) == 0
    assert warehouse.stat().st_mode & 0o777 == 0o600


def test_the_next_load_removes_what_a_killed_erasure_or_load_left_beside_the_warehouse(warehouse, tiny_folder):
    # full copies of everyone (an erased person too), and rows DuckDB spilled beside a load's copy: they stayed
    left = [warehouse.with_name(warehouse.name + end) for end in (".forgetting", ".forgetting.wal", ".loading.tmp")]
    left[0].write_bytes(b"Eve Exec")
    left[1].write_bytes(b"Eve Exec")
    left[2].mkdir()
    (left[2] / "spill.block").write_bytes(b"eve@example.com")
    load(tiny_folder, warehouse)
    assert [path.exists() for path in left] == [False, False, False]


def test_a_load_refused_for_permissions_says_so_not_that_the_disk_is_full(warehouse, tiny_folder, monkeypatch):
    # as root the folder's permissions can't be tried: the copy beside the warehouse is refused as the OS refuses it
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("etl.load.shutil.copyfile", refused)
    sessions = tiny_folder / "sessions.csv"
    sessions.write_text(sessions.read_text().replace("P5,1,2020-02-24,scheduled", "P5,1,2020-02-24,missed"))
    before = sha256(warehouse)
    with pytest.raises(LoadError) as error:
        load(tiny_folder, warehouse)
    assert str(error.value) == (
        f"The load could not write beside the warehouse, in {warehouse.parent}: [Errno 13] Permission denied. Load as"
        " a user who may write there, or give a --warehouse in a folder you can write to."
    )
    assert sha256(warehouse) == before


def test_a_load_that_brings_an_erased_person_back_says_so(warehouse, capsys):
    # the README and forget warned, the load itself did not
    assert main(["forget", "E01", "--yes", "--warehouse", str(warehouse)]) == 0
    assert main(["load", str(TINY), "--warehouse", str(warehouse)]) == 0
    assert (
        "Erased before and brought back by this load: E01. Erase them again (python -m etl forget), and delete their"
        " rows from the files you load."
    ) in capsys.readouterr().err
