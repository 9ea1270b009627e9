"""ROI's mentor outcomes come from the loaded promotion and departure dates, and scenarios are saved in the
warehouse: on the tiny program (pairs matched 2 Jan 2020, P1 closed 17 Feb, the cohort ends 2 March)."""

import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from etl.load import LoadBusy, writer_lock
from etl.saved import Scenario, rename_scenario, save_scenario, use_scenario
from pages import ui
from tests.conftest import TINY, all_direct_reports, load, open_page, rows, table_with
from warehouse import read
from warehouse.connect import open_read_only
from warehouse.read import Filters, Source


def with_outcomes(folder: Path, dates: dict[str, tuple[str, str]]) -> None:
    """The tiny participants, with promoted_on and left_on for the mentors named in `dates`."""
    lines = (TINY / "participants.csv").read_text().splitlines()
    out = [lines[0] + ",promoted_on,left_on"]
    for line in lines[1:]:
        promoted, left = dates.get(line.split(",")[0], ("", ""))
        out.append(f"{line},{promoted},{left}")
    (folder / "participants.csv").write_text("\n".join(out) + "\n")


NEWLY_ACTIVE = "Executives newly active on social media"


def roi_page(warehouse: Path, monkeypatch, **url) -> AppTest:
    return open_page(warehouse, "roi", monkeypatch, **url)


def mentor_line(test: AppTest) -> str:
    [line] = [m.value for m in test.markdown if "Mentors' exposure" in m.value]
    return line


def benefit_count(test: AppTest, outcome: str) -> float:
    table = table_with(test, "Outcome").set_index("Outcome")
    return float(table.loc[outcome, "Count"])


def test_mentor_outcomes_are_counted_from_the_data(tiny_folder, tmp_path, monkeypatch):
    # M01 promoted after matching; M03 promoted before matching (not the program's); M02 left on 1 March
    with_outcomes(tiny_folder, {"M01": ("2020-02-25", ""), "M02": ("", "2020-03-01"), "M03": ("2019-12-01", "")})
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    assert rows(warehouse, "select data_date from dim_data_date") == [(date(2020, 2, 20),)]
    test = roi_page(warehouse, monkeypatch)
    # on the data date (20 Feb) only P1 had ended, and M01's promotion (25 Feb) was not known yet
    assert (
        "promotions show once 5 mentors of one cohort and mentee level have had their pairs end (1 so far), so that no"
        " one's promotion can be told" in mentor_line(test)
    )
    # P1 ended 3 days before: whether M01 stays the year is not known, so retention is not known yet (not 0)
    table = table_with(test, "Outcome").set_index("Outcome")
    assert table.loc["Mentors retained beyond the baseline turnover", "Count"] == "no mentor a year past their pair yet"
    # the cohort's post window is not over, and its mentees are of several levels: not known, not 0 newly active
    assert table.loc[NEWLY_ACTIVE, "Count"] == (
        "no group of 5 mentees of one cohort and level with activity before and after the program yet"
    )
    waiting = "1 more mentor's pair ended less than a year before, so whether the mentor stayed is not known yet"
    assert any(waiting in caption.value for caption in test.caption)


def test_mentor_outcomes_change_with_the_data(tiny_folder, tmp_path, monkeypatch):
    with_outcomes(tiny_folder, {"M01": ("2020-02-25", ""), "M02": ("", "2020-03-01"), "M03": ("2019-12-01", "")})
    all_direct_reports(tiny_folder)  # the five pairs in one cohort and mentee level: a group of 5 mentors
    # a later activity month moves the data date to 1 April 2021: the cohort ended over a year before, all 5 mentors
    # count
    (tiny_folder / "social_activity.csv").write_text(
        (tiny_folder / "social_activity.csv").read_text() + "X01,linkedin,2021-04,true,1,1,50\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    test = roi_page(warehouse, monkeypatch)
    assert (
        "1 of 5 mentors of ended pairs were promoted after matching, by the as-of date and within a year of their"
        " pair's end\n" in mentor_line(test)
    )
    # 4 of 5 stayed, 5 x (1 - 0.15) = 4.25 were expected to: nothing beyond the baseline
    assert benefit_count(test, "Mentors retained beyond the baseline turnover") == 0.0
    test.slider(key="roi_Conservative defaults_baseline").set_value(40).run()
    assert benefit_count(test, "Mentors retained beyond the baseline turnover") == 1.0  # 4 - 5 x 0.6

    # M03's promotion moves to 10 March, within a year of the pair's end: counted
    with_outcomes(tiny_folder, {"M01": ("2020-02-25", ""), "M02": ("", "2020-03-01"), "M03": ("2020-03-10", "")})
    all_direct_reports(tiny_folder)
    load(tiny_folder, warehouse)
    assert "2 of 5 mentors of ended pairs were promoted" in mentor_line(roi_page(warehouse, monkeypatch))


def test_mentors_of_levels_without_a_group_of_five_wait_for_it(tiny_folder, tmp_path, monkeypatch):
    # the tiny pairs' mentees are of three levels (E01 C-suite, E02 and E04 LOB presidents, E03 and E05 direct
    # reports): no cell holds 5 mentors, so no promotion or departure is counted, however long ago the pairs ended.
    # Counting the 5 would let a view of one level less tell the outcome of that level's mentors
    with_outcomes(tiny_folder, {"M01": ("2020-02-25", ""), "M02": ("", "2020-03-01")})
    (tiny_folder / "social_activity.csv").write_text(
        (tiny_folder / "social_activity.csv").read_text() + "X01,linkedin,2021-04,true,1,1,50\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    test = roi_page(warehouse, monkeypatch)
    assert "promotions show once 5 mentors of one cohort and mentee level have had their pairs end (5 so far)" in (
        mentor_line(test)
    )
    table = table_with(test, "Outcome").set_index("Outcome")
    assert table.loc["Mentors retained beyond the baseline turnover", "Count"] == (
        "under 5 mentors of one cohort and level a year past their pair"
    )
    outcomes = read.roi_outcomes(Source(warehouse, 1), Filters())
    assert outcomes[["mentors_ended", "mentors_year_over", "mentors_counted", "mentors_promoted"]].tolist() == [
        5, 5, 0, 0
    ]  # fmt: skip
    assert outcomes[["mentors_year_counted", "mentors_left"]].tolist() == [0, 0]


def test_a_saved_scenario_survives_the_next_load_and_opens_first(tiny_folder, tmp_path, monkeypatch):
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    save_scenario(warehouse, "Board view", Scenario(attribution=0.5, confidence=0.8))
    save_scenario(warehouse, "Cautious", Scenario(attribution=0.1))
    rename_scenario(warehouse, "Board view", "Board view 2026")
    use_scenario(warehouse, "Board view 2026")  # picked last: it opens first, for everyone
    (tiny_folder / "sessions.csv").write_text(
        (tiny_folder / "sessions.csv").read_text().replace("P5,1,2020-02-24,scheduled", "P5,1,2020-02-24,missed")
    )
    assert load(tiny_folder, warehouse).changed
    test = roi_page(warehouse, monkeypatch)
    # the defaults stay one pick away (they disappeared once a scenario was saved)
    assert test.selectbox(key="roi_scenario").options == ["Board view 2026", "Cautious", "Conservative defaults"]
    assert test.slider(key="roi_Board view 2026_attribution").value == 50
    assert test.slider(key="roi_Board view 2026_confidence").value == 80
    assert "Phillips ROI, scenario 'Board view 2026'" in "\n".join(c.value for c in test.caption)
    # inputs changed and not saved are said so, not shown under the scenario's name
    test.slider(key="roi_Board view 2026_attribution").set_value(70).run()
    assert "Phillips ROI, scenario 'Board view 2026' with unsaved changes" in "\n".join(c.value for c in test.caption)
    test.selectbox(key="roi_scenario").set_value("Conservative defaults").run()
    assert test.slider(key="roi_Conservative defaults_attribution").value == round(Scenario().attribution * 100)


def test_a_save_waits_for_no_reader_and_is_refused_during_a_load(tiny_warehouse, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(tiny_warehouse, warehouse)
    reader = open_read_only(warehouse)  # a dashboard query in flight
    try:
        save_scenario(warehouse, "Board view", Scenario())
        assert reader.execute(
            "select count(*) from information_schema.tables where table_name = 'load_history'"
        ).fetchone() == (1,)
    finally:
        reader.close()
    assert rows(warehouse, "select name, attribution from roi_scenarios") == [("Board view", 0.25)]
    with writer_lock(warehouse), pytest.raises(LoadBusy, match="Another load is writing"):
        save_scenario(warehouse, "Other", Scenario())
    assert rows(warehouse, "select name from roi_scenarios") == [("Board view",)]


def test_session_time_is_costed_over_released_sessions_and_the_page_says_how_many(tiny_folder, tmp_path, monkeypatch):
    (tiny_folder / "costs.csv").unlink()
    (tiny_folder / "social_activity.csv").unlink()
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    handed = {}
    monkeypatch.setattr(ui, "downloads", lambda frame, name, metadata, **options: handed.update(frame=frame))
    test = roi_page(warehouse, monkeypatch)
    # 8 sessions held by 20 Feb, none in a group of 5 pairs of one cohort and level yet: no cost is known, not $0
    metrics = {m.label: m.value for m in test.metric}
    assert metrics["Fully loaded costs"] == "n/a"
    # no benefit known either: n/a, not a ratio of 0 and an ROI of -100%
    assert [metrics[k] for k in ("First-year benefits", "Benefit-cost ratio", "ROI")] == ["n/a", "n/a", "n/a"]
    assert any(c.value.startswith("No benefit is known yet: executives newly active on social media (no social")
               for c in test.caption)  # fmt: skip
    assert any("over the 0 of 8 held sessions released to aggregates" in c.value for c in test.caption)
    assert test.info[0].value.startswith("Session time and ideas count 0 of the 8 sessions held: a session enters")
    # as Markdown source: the table shows the dollar signs as typed
    assert table_with(test, "Outcome")["Value each"].tolist() == ["\\$2,000", "\\$500", "\\$5,000"]
    assert table_with(test, "Outcome")["Count"].tolist() == [
        "no social activity loaded", "no session released yet", "no mentor a year past their pair yet"
    ]  # fmt: skip
    assert table_with(test, "Outcome")["Counted"].tolist() == ["n/a", "n/a", "n/a"]
    assert any(c.value.startswith("No cost yet: load costs.csv") for c in test.caption)
    assert [w.value for w in test.warning] == [
        "No listed costs for Test wave: only session time is counted for it, so its costs are understated. Add its"
        " rows to costs.csv (coordination, devices, events) and load it."
    ]
    # the export leaves blank what the page says it does not know, and keeps the column numeric
    exported = dict(zip(handed["frame"]["Measure"], handed["frame"]["Value"], strict=True))
    assert pd.isna(exported["Fully loaded costs"]) and pd.isna(exported[f"{NEWLY_ACTIVE}: count"])
    assert pd.isna(exported["Ideas logged in sessions: count"]) and handed["frame"]["Value"].dtype == "float64"
    why = dict(zip(handed["frame"]["Measure"], handed["frame"]["Not shown because"], strict=True))
    assert (why["Fully loaded costs"], why["Ideas logged in sessions: count"]) == (
        "no cost yet",
        "no session released yet",
    )
    assert pd.isna(exported["First-year benefits"]) and why["First-year benefits"] == "no benefit known yet"


def test_a_year_after_a_pairs_end_is_a_calendar_year_across_a_leap_day(tiny_folder, tmp_path, monkeypatch):
    # P1 closed on 17 February 2020: 365 days later is 16 February 2021, a calendar year later the 17th
    (tiny_folder / "social_activity.csv").write_text(
        (tiny_folder / "social_activity.csv").read_text() + "X01,linkedin,2021-04,true,1,1,50\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    day_before = roi_page(warehouse, monkeypatch, as_of="2021-02-16")
    assert any("before the as-of date (0 so far)" in c.value for c in day_before.caption)
    on_the_day = roi_page(warehouse, monkeypatch, as_of="2021-02-17")
    # one mentor: counted once 5 have had their year, so that no one's leaving can be told
    assert any("before the as-of date (1 so far), so that no one's leaving" in c.value for c in on_the_day.caption)


def test_listed_costs_under_a_level_filter_are_the_share_of_pairs_it_keeps(tiny_folder, tmp_path):
    # T1's $1,000 launch event is its 5 pairs': 2 have a direct-report mentee (E03, E05), 1 a C-suite one (E01).
    # T2 has listed costs and no pair: all of it without a filter, none of it under a level filter
    with open(tiny_folder / "cohorts.csv", "a") as cohorts:
        cohorts.write("T2,Second wave,2020-02-03,2020-04-27,4,14,Executives\n")
    with open(tiny_folder / "costs.csv", "a") as costs:
        costs.write("T2,Coordinator time,3000,\n")
    load(tiny_folder, tmp_path / "w.duckdb")
    source = Source(tmp_path / "w.duckdb", 1)

    def listed(*levels: str) -> list[tuple]:
        frame = read.costs(source, Filters(levels=levels))[0]
        frame = frame[~frame["category"].str.endswith("time in sessions")]
        return [(row.cohort_id, row.category, round(row.amount, 2)) for row in frame.itertuples()]

    assert listed() == [("T1", "Launch event", 1000.0), ("T2", "Coordinator time", 3000.0)]
    assert listed("direct_report") == [("T1", "Launch event", 400.0)]
    assert listed("c_suite", "direct_report") == [("T1", "Launch event", 600.0)]


def test_a_running_cohort_is_said_to_make_the_roi_read_low(demo_warehouse, monkeypatch):
    test = roi_page(demo_warehouse, monkeypatch, as_of="2011-04-15")  # six weeks into the pilot
    assert (
        "1 cohort in these filters still running (2011 pilot): its costs so far are counted, while most benefits "
        "come once pairs end (retention a year after, adoption in the months after). The ROI of a running program "
        "reads low."
    ) in [i.value for i in test.info]
    finished = roi_page(demo_warehouse, monkeypatch, cohorts="2011 pilot")  # the data date: it ended in 2011
    assert not any("still running" in i.value for i in finished.info)
    assert benefit_count(finished, NEWLY_ACTIVE) >= 0  # its mentees' windows are over: a count, not a reason


def test_session_time_is_costed_at_a_cells_mean_so_no_hourly_cost_can_be_solved_for(tmp_path, monkeypatch):
    """Six pairs of one cohort and level with different hourly costs; in each round of sessions a different pair is
    the last to meet, so each session's batch of five leaves out a different pair. Costed at each session's own
    two people, the totals on the days the batches fill could be solved for every cost; at the cell's mean cost
    per role they only ever give the mean of the first five pairs matched."""
    monkeypatch.setenv("MENTORING_MIN_GROUP", "5")
    folder = tmp_path / "files"
    folder.mkdir()
    mentees, mentors = (310, 420, 505, 377, 610, 290), (41, 57, 38, 66, 49, 52)
    people = [f"E{i},mentee,lob_president,{c}" for i, c in enumerate(mentees)]
    people += [f"M{i},mentor,manager,{c}" for i, c in enumerate(mentors)]
    sessions = [f"P{i},{n},{date(2021, 3, 1) + timedelta(days=21 * (n - 1) + (5 if i == n - 1 else 0))},held,,60"
                for n in range(1, 7) for i in range(6)]  # fmt: skip
    files = {
        "cohorts": "cohort_id,name,start_date,planned_sessions,cadence_days\nA,Pilot,2021-03-01,6,21",
        "participants": "participant_id,role,level,hourly_cost\n" + "\n".join(people),
        "pairs": "pair_id,cohort_id,mentor_id,mentee_id,matched_on\n"
        + "\n".join(f"P{i},A,M{i},E{i},2021-02-{20 + i}" for i in range(6)),
        "sessions": "pair_id,session_no,scheduled_on,status,held_on,duration_min\n" + "\n".join(sessions),
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text + "\n")
    load(folder, tmp_path / "w.duckdb")
    source = Source(tmp_path / "w.duckdb", 1)
    per_hour = set()
    for n in range(1, 7):  # the day session n's batch of five fills, and the day its sixth pair meets
        for day in (date(2021, 3, 1) + timedelta(days=21 * (n - 1)), date(2021, 3, 6) + timedelta(days=21 * (n - 1))):
            costs = read.costs(source, Filters(as_of=day))[0].set_index("category")["amount"]
            hours = read.held_sessions(source, Filters(as_of=day))["released"]  # 60 minutes each
            per_hour |= {round(costs[f"{role} time in sessions"] / hours, 6) for role in ("Mentee", "Mentor")}
    # the means of the first five pairs matched (P0-P4), whatever the day
    assert per_hour == {round(sum(mentees[:5]) / 5, 6), round(sum(mentors[:5]) / 5, 6)}


def test_a_running_cohort_without_pairs_in_the_filters_is_not_named(demo_warehouse, monkeypatch):
    # C-suite mentees are only in the 2011 pilot, which has ended by the data date; the 2013 wave still runs
    test = roi_page(demo_warehouse, monkeypatch, levels="C-suite")
    assert not any("still running" in i.value for i in test.info)


def test_a_mentor_of_every_pair_of_a_cell_is_one_person_whose_cost_is_never_a_cells_mean(tiny_folder, tmp_path):
    # five pairs of one cohort and level, all mentored by Mia ($40 an hour): batched by pair, the cell's mentor rate
    # was her own cost, and "Mentor time in sessions" over 5 x 45 minutes gave it away
    all_direct_reports(tiny_folder)
    pairs = tiny_folder / "pairs.csv"
    pairs.write_text(pairs.read_text().replace(",M02,", ",M01,").replace(",M03,", ",M01,").replace(",M04,", ",M01,")
                     .replace(",M05,", ",M01,"))  # fmt: skip
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    rates = "select role, hourly_cost, people from privacy_cost_rates order by role"
    # the five mentees' mean (600 + 450 + 200 + 220 + 210) / 5 on the data date; Mia, one person, waits for four more
    assert rows(warehouse, rates) == [("mentee", 336.0, 5)]


def test_session_time_no_cost_can_be_shown_for_is_said_to_be_missing(demo_folder, tmp_path, monkeypatch):
    # the pilot's 12 pairs share one mentor: their time has no cost to count at, and dropped out of the costs silently
    folder = tmp_path / "files"
    shutil.copytree(demo_folder, folder)
    pairs = pd.read_csv(folder / "pairs.csv", dtype=str)
    pilot = pairs["cohort_id"] == "C2011"
    pairs.loc[pilot, "mentor_id"] = pairs.loc[pilot, "mentor_id"].iloc[0]
    pairs.to_csv(folder / "pairs.csv", index=False)
    load(folder, tmp_path / "w.duckdb")
    warnings = [w.value for w in open_page(tmp_path / "w.duckdb", "roi", monkeypatch).warning]
    assert [w for w in warnings if w.startswith("Session time not costed")] == [
        "Session time not costed, so costs are understated: mentors of 2011 pilot (44.2 hours). Time is costed at the"
        " mean hourly cost of at least 5 people of a role in a cohort and mentee level, so that no one's cost can be"
        " worked out; these have fewer with a known hourly_cost in participants.csv."
    ]
