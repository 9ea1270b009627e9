"""The marts' numbers on the hand-computed fixture (tests/data/tiny, computed by hand in the comments)."""

import duckdb
import pytest

from tests.conftest import open_page, rows


def test_data_date_is_the_latest_recorded_date(tiny_warehouse):
    # latest: the post survey on 2020-02-20 (sessions end 2020-02-17, activity 2020-02)
    assert rows(tiny_warehouse, "select data_date::varchar, sessions_latest::varchar from dim_data_date") == [
        ("2020-02-20", "2020-02-17")
    ]


@pytest.mark.parametrize(
    "pair_id, status, reasons",
    [
        ("P1", "Completed", ""),
        (
            "P2",
            "At risk",
            "Overdue: last session 45 days ago (cadence 14 days); Sessions 2 and 3 were both missed or cancelled",
        ),
        ("P3", "Needs check-in", "Trust falling: last two ratings 2 and 2"),
        ("P4", "On track", ""),
        ("P5", "Too early to tell", ""),
    ],
)
def test_pair_health_status_and_reasons(tiny_warehouse, pair_id, status, reasons):
    assert rows(
        tiny_warehouse, "select health_status, reasons_text from fct_pair_health where pair_id = ?", [pair_id]
    ) == [(status, reasons)]


def test_pair_attendance_and_completion(tiny_warehouse):
    # P1: 3 held of 4 recorded; P2: 1 held, 1 cancelled, 1 missed, session 4 unrecorded
    assert rows(
        tiny_warehouse,
        "select pair_id, held, missed, cancelled, unrecorded, round(attendance_rate, 4), is_completed"
        " from fct_pair_health where pair_id in ('P1', 'P2') order by pair_id",
    ) == [("P1", 3, 1, 0, 0, 0.75, True), ("P2", 1, 1, 1, 1, 0.3333, False)]


def test_cohort_summary(tiny_warehouse):
    # 8 held / (8 held + 2 missed + 1 cancelled); 1 pair completed, none ended early: completion 1 / 1 (the other
    # 4 are still in progress); trust 28 / 8; 2 ahas and 3 ideas in 8
    assert rows(
        tiny_warehouse,
        "select pairs, pairs_completed, completion_rate, round(attendance_rate, 6), mean_trust, aha_share,"
        " ideas_per_session, sessions_unrecorded, sessions_upcoming from fct_cohort_summary",
    ) == [(5, 1, 1.0, 0.727273, 3.5, 0.25, 0.375, 1, 3)]


def test_phase_is_derived_from_session_number_when_not_logged(tiny_warehouse):
    # a plan of 4 sessions: 1 trust, 2-3 insight, 4 brainstorm
    assert rows(
        tiny_warehouse, "select session_no, phase, phase_source from fct_sessions where pair_id = 'P1' order by 1"
    ) == [
        (1, "trust", "derived"),
        (2, "insight", "derived"),
        (3, "insight", "derived"),
        (4, "brainstorm", "derived"),
    ]


def test_logged_phase_wins_over_the_derived_one(tiny_warehouse):
    assert rows(
        tiny_warehouse, "select phase, phase_source from fct_sessions where pair_id = 'P2' and session_no = 2"
    ) == [("trust", "logged")]


def test_phase_indicator_present(tiny_warehouse):
    # P1: trust 3 (< 4) in trust phase, aha in insight, missed, 2 ideas in brainstorm
    assert rows(
        tiny_warehouse, "select phase_indicator_present from fct_sessions where pair_id = 'P1' order by session_no"
    ) == [(False,), (True,), (False,), (True,)]


def test_construct_score_flips_reverse_coded_items(tiny_warehouse):
    # pre: K1 2, K2 3, K3 4 reversed to 2 -> 7/3; post: 4, 4, 2 reversed to 4 -> 4
    assert rows(
        tiny_warehouse,
        "select wave, round(score, 4) from fct_construct_scores"
        " where participant_id = 'E01' and construct = 'knowledge' order by wave",
    ) == [("post", 4.0), ("pre", 2.3333)]


def test_construct_score_needs_half_of_the_items(tiny_warehouse):
    # E01 post answered 1 of 2 confidence items (half: kept); E02 answered 1 of 3 knowledge items (missing)
    assert rows(
        tiny_warehouse,
        "select participant_id, construct, score, items_answered from fct_construct_scores"
        " where (participant_id, wave, construct) in"
        " (('E01', 'post', 'confidence'), ('E02', 'pre', 'knowledge')) order by 1",
    ) == [("E01", "confidence", 6.0, 1), ("E02", "knowledge", None, 1)]


def test_social_activity_event_time(tiny_warehouse):
    # the cohort starts in January 2020 and ends in March 2020
    assert rows(
        tiny_warehouse,
        "select month::varchar, months_from_start, program_window from fct_social_activity"
        " where participant_id = 'E01' order by month",
    ) == [("2019-10-01", -3, "pre"), ("2019-12-01", -1, "pre"), ("2020-02-01", 1, "during")]


def test_adoption_windows_count_a_persons_missing_month_inactive_and_a_month_no_one_has_unobserved(tiny_warehouse):
    # pre window Oct-Dec 2019: E01 inactive in October, active in December; X01 (comparison) has no October row
    # (inactive: others were observed then) and is active in December. No one has a November row: an export missing,
    # so not observed (it counted as inactive for everyone, a reviewer found)
    assert rows(
        tiny_warehouse,
        "select participant_id, group_name, months_observed, months_active from fct_adoption_windows"
        " where platform = 'linkedin' and program_window = 'pre' and participant_id in ('E01', 'X01') order by 1",
    ) == [("E01", "mentee", 2, 1), ("X01", "comparison", 2, 1)]
    # a platform with no row at all has no window: not 0% before and after
    assert rows(tiny_warehouse, "select count(*) from fct_adoption_windows where platform = 'facebook'") == [(0,)]


def test_notes_stay_out_of_the_analytics_marts(tiny_warehouse):
    columns = rows(tiny_warehouse, "select table_name from information_schema.columns where column_name = 'notes'")
    assert sorted(c for (c,) in columns) == ["asof_session_notes", "fct_session_notes", "raw_sessions", "stg_sessions"]


def test_names_and_emails_live_only_in_participants(tiny_warehouse):
    columns = rows(
        tiny_warehouse,
        "select distinct table_name from information_schema.columns where column_name in ('display_name', 'email')",
    )
    assert sorted(c for (c,) in columns) == ["raw_participants", "stg_participants"]


def test_as_of_date_moves_the_health_view(tiny_warehouse):
    con = duckdb.connect(str(tiny_warehouse), read_only=True)
    con.execute("set variable as_of = date '2020-01-25'")
    # on 25 January P1 had held 2 sessions and was still running, P2 had lost one session of two,
    # P3 and P4 had one session scheduled so far; P5 was not matched yet
    result = con.execute("select pair_id, health_status, held from fct_pair_health order by 1").fetchall()
    con.close()
    assert result == [
        ("P1", "On track", 2),
        ("P2", "On track", 1),
        ("P3", "Too early to tell", 1),
        ("P4", "Too early to tell", 1),
    ]


def test_social_adoption_says_a_platform_with_no_row_has_no_data(tiny_warehouse, monkeypatch):
    test = open_page(tiny_warehouse, "social_adoption", monkeypatch)
    test.selectbox(key="adoption_platform").set_value("facebook").run()
    assert [i.value for i in test.info] == [
        "No activity on Facebook is in the data by 20 February 2020: social_activity.csv has no row for it, so its"
        " months are not observed (not inactive)."
    ]
