"""Batches only grow as the as-of date moves: a pair or person becoming known later never takes the place of one
already released. Each case is a swap a reviewer made: the same count on two days in a row, over two different
groups, told one person's outcome (cohort A runs 1 March to 24 May 2021; 6 pairs with LOB-president mentees)."""

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import load
from warehouse import read
from warehouse.read import Filters, Source

COHORTS = ["cohort_id,name,start_date,end_date,planned_sessions,cadence_days", "A,Cohort A,2021-03-01,2021-05-24,4,21"]
ACTIVITY = ["participant_id,platform,month,active,posts,interactions,connections", "E1,linkedin,2022-08,true,1,1,1"]


def program(folder: Path, pairs: list[str], people: list[str], cohorts: list[str] = COHORTS) -> Source:
    """A program of the given pairs (pair_id,cohort_id,mentor_id,mentee_id,matched_on,status,ended_on) and people
    (participant_id,role,level,promoted_on,left_on); data up to August 2022."""
    folder.mkdir()
    # a session each for the pairs matched before the cohorts started
    sessions = [
        f"{p.split(',')[0]},1,2021-03-0{n + 2},held,2021-03-0{n + 2}"
        for n, p in enumerate(pairs)
        if p.split(",")[4] < "2021-03-01"
    ]
    files = {
        "cohorts": cohorts,
        "participants": ["participant_id,role,level,promoted_on,left_on", *people],
        "pairs": ["pair_id,cohort_id,mentor_id,mentee_id,matched_on,status,ended_on", *pairs],
        "sessions": ["pair_id,session_no,scheduled_on,status,held_on", *sessions],
        "social_activity": ACTIVITY,
    }
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n")
    warehouse = folder / "w.duckdb"
    load(folder, warehouse)
    return Source(warehouse, warehouse.stat().st_mtime_ns)


def mentors(source: Source, day: date, column: str) -> set[str]:
    """The mentors whose outcome `column` (released: promotions; year_counted: departures) ROI counts on `day`."""
    rows = read.scoped(source, Filters(as_of=day), f"select mentor_id, {column} from {read.MENTOR_OUTCOMES}")
    return set(rows.loc[rows[column], "mentor_id"])


def test_a_pair_closing_after_its_cohorts_end_keeps_its_place(tmp_path, monkeypatch):
    # P0 completed on 1 June, a week after the cohort's end: it ended with the cohort, and stays first of the six
    # (before, it moved to last on 1 June, M5 took its place, and the promotions count fell from 1 to 0: M0's)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "5")
    pairs = ["P0,A,M0,E0,2021-02-25,completed,2021-06-01"] + [
        f"P{i},A,M{i},E{i},2021-02-25,active," for i in range(1, 6)
    ]
    people = [f"E{i},mentee,lob_president,," for i in range(6)]
    people += ["M0,mentor,individual_contributor,2021-05-01,"] + [
        f"M{i},mentor,individual_contributor,," for i in range(1, 6)
    ]
    source = program(tmp_path / "files", pairs, people)
    first_five = {"M0", "M1", "M2", "M3", "M4"}
    for day in (date(2021, 5, 24), date(2021, 5, 31), date(2021, 6, 1), date(2022, 1, 1)):
        assert mentors(source, day, "released") == first_five, day
        assert read.roi_outcomes(source, Filters(as_of=day))["mentors_promoted"] == 1, day


def test_a_pair_matched_after_its_cohorts_end_comes_last_for_retention(tmp_path, monkeypatch):
    # P6 is matched on 2 June 2022, a year after the cohort ended: its year is over the day it is known, but it comes
    # after the five whose years ended on 24 May 2022 (before, it came first, and pushed out M5, who had left)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "5")
    pairs = [f"P{i},A,M{i},E{i},2021-02-25,active," for i in range(1, 6)] + ["P6,A,M6,E6,2022-06-02,active,"]
    people = [f"E{i},mentee,lob_president,," for i in range(1, 7)]
    people += [f"M{i},mentor,individual_contributor,,{'2021-09-01' if i == 5 else ''}" for i in range(1, 7)]
    source = program(tmp_path / "files", pairs, people)
    first_five = {"M1", "M2", "M3", "M4", "M5"}
    for day in (date(2022, 5, 24), date(2022, 6, 1), date(2022, 6, 2), date(2022, 8, 1)):
        assert mentors(source, day, "year_counted") == first_five, day
        outcomes = read.roi_outcomes(source, Filters(as_of=day))
        assert (outcomes["mentors_year_counted"], outcomes["mentors_left"]) == (5, 1), day
    assert mentors(source, date(2022, 5, 23), "year_counted") == set()  # a year after 24 May 2021, not a day before


@pytest.mark.parametrize("day", [date(2021, 5, 31), date(2021, 6, 1), date(2021, 9, 1)])
def test_a_pair_in_a_cohort_that_starts_later_never_moves_a_mentee(tmp_path, monkeypatch, day):
    # E0 is matched into cohort B (starting 1 June) on 1 January, before being matched into A (1 March) on
    # 25 February: E0 is in A from 1 March, and stays there when B starts (before, E0 moved to B on 1 June and E5
    # took E0's place in A's batch, so A's monthly adoption told E0's activity)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "5")
    cohorts = [*COHORTS, "B,Cohort B,2021-06-01,2021-08-23,4,21"]
    pairs = [f"P{i},A,M{i},E{i},2021-02-25,active," for i in range(6)] + ["Q0,B,N0,E0,2021-01-01,active,"]
    people = [f"E{i},mentee,lob_president,," for i in range(6)]
    people += [f"M{i},mentor,individual_contributor,," for i in range(6)] + ["N0,mentor,individual_contributor,,"]
    source = program(tmp_path / "files", pairs, people, cohorts)
    released = read.scoped(source, Filters(as_of=day), "select participant_id, cohort_group from privacy_people")
    assert sorted(zip(released["participant_id"], released["cohort_group"], strict=True)) == [
        (f"E{i}", "A") for i in range(5)
    ]
    person = read.scoped(
        source, Filters(as_of=day), "select cohort_id from asof_participants where participant_id = 'E0'"
    )
    assert person["cohort_id"].tolist() == ["A"]
