"""The demo program: deterministic for a seed, built on the Hartford facts, with planted pairs for coordinators."""

import pandas as pd
import pytest

from etl.demo import generate
from tests.conftest import rows, sha256


def test_same_seed_gives_identical_files(tmp_path, demo_folder):
    again = tmp_path / "again"
    generate(again)
    assert {p.name: sha256(p) for p in again.iterdir()} == {p.name: sha256(p) for p in demo_folder.iterdir()}


def test_another_seed_gives_other_files(tmp_path, demo_folder):
    other = tmp_path / "other"
    generate(other, seed=7)
    assert sha256(other / "sessions.csv") != sha256(demo_folder / "sessions.csv")


def test_rows_per_entity(demo_warehouse):
    counts = rows(
        demo_warehouse,
        "select (select count(*) from raw_cohorts), (select count(*) from raw_pairs),"
        " (select count(*) from raw_participants), (select count(*) from raw_survey_items)",
    )
    # 12 pilot + 45 expansion + 16 live pairs; a mentor and a mentee per pair plus 30 comparison executives
    assert counts == [(3, 73, 2 * 73 + 30, 17)]


def test_pilot_and_expansion_sizes_and_levels(demo_warehouse):
    assert rows(
        demo_warehouse,
        "select p.cohort_id, count(*), list(distinct level order by level) from dim_pairs p"
        " join dim_participants on participant_id = mentee_id group by 1 order by 1",
    ) == [
        ("C2011", 12, ["c_suite", "lob_president"]),
        ("C2012", 45, ["department_head", "direct_report"]),
        ("C2013", 16, ["department_head", "direct_report", "manager"]),
    ]


def test_seven_sessions_every_21_days(demo_warehouse):
    assert rows(demo_warehouse, "select distinct planned_sessions, cadence_days from stg_cohorts") == [(7, 21)]


def test_data_date_is_the_live_waves_last_session(demo_warehouse):
    assert rows(demo_warehouse, "select data_date::varchar from dim_data_date") == [("2013-09-06",)]


def test_eleven_of_twelve_pilot_mentors_promoted_within_a_year(demo_warehouse):
    assert rows(
        demo_warehouse,
        "select count(*) filter (where promoted_on <= date '2011-07-25' + 365) from dim_pairs"
        " join dim_participants on participant_id = mentor_id where dim_pairs.cohort_id = 'C2011'",
    ) == [(11,)]


@pytest.mark.parametrize(
    "pair_id, status, reasons",
    [
        ("PR000058", "On track", ""),
        ("PR000063", "On track", ""),  # with an unrecorded session
        ("PR000064", "Needs check-in", "Never started: no session held in the 36 days since matching"),
        ("PR000065", "Needs check-in", "Overdue: last session 52 days ago (cadence 21 days)"),
        ("PR000066", "Needs check-in", "Sessions 5 and 6 were both missed or cancelled"),
        ("PR000067", "Needs check-in", "Mentee absent from 2 of the last 3 sessions while the mentor came"),
        ("PR000068", "Needs check-in", "Trust falling: now 3, down from 5"),
        ("PR000069", "Needs check-in", "Stalled: no aha moment after 5 sessions"),
        ("PR000070", "At risk", "Trust falling: last two ratings 2 and 2; Stalled: no aha moment after 5 sessions"),
        ("PR000071", "At risk", "Overdue: last session 73 days ago (cadence 21 days)"),
        ("PR000072", "Too early to tell", ""),
        ("PR000073", "Ended early", ""),
    ],
)
def test_planted_live_pairs_get_their_status_and_reason(demo_warehouse, pair_id, status, reasons):
    assert rows(
        demo_warehouse, "select health_status, reasons_text from fct_pair_health where pair_id = ?", [pair_id]
    ) == [(status, reasons)]


def test_unrecorded_session_is_counted(demo_warehouse):
    assert rows(demo_warehouse, "select unrecorded from fct_pair_health where pair_id = 'PR000063'") == [(1,)]


def test_finished_cohorts_are_never_flagged(demo_warehouse):
    assert rows(
        demo_warehouse,
        "select distinct health_status from fct_pair_health where cohort_id <> 'C2013' order by 1",
    ) == [("Completed",), ("Ended early",)]


def test_trust_rises_and_ideas_come_late(demo_warehouse):
    [(first_trust, last_trust, early_ideas, late_ideas)] = rows(
        demo_warehouse,
        "select avg(trust_rating) filter (where session_no = 1), avg(trust_rating) filter (where session_no = 7),"
        " avg(ideas_count) filter (where session_no <= 2), avg(ideas_count) filter (where session_no >= 6)"
        " from fct_sessions where is_held and cohort_id <> 'C2013'",
    )
    assert last_trust - first_trust > 1.0
    assert late_ideas > 5 * early_ideas


def test_aha_moments_peak_in_the_middle_sessions(demo_warehouse):
    [(early, middle)] = rows(
        demo_warehouse,
        "select avg(aha_moment::int) filter (where session_no <= 2), avg(aha_moment::int) filter"
        " (where session_no between 3 and 5) from fct_sessions where is_held and cohort_id <> 'C2013'",
    )
    assert middle > 2 * early


def test_survey_effects_differ_by_construct(demo_warehouse):
    changes = dict(
        rows(
            demo_warehouse,
            "select construct, avg(post.score - pre.score) from fct_construct_scores pre"
            " join fct_construct_scores post using (participant_id, construct)"
            " where pre.wave = 'pre' and post.wave = 'post' group by 1",
        )
    )
    assert changes["social_media_knowledge"] > 0.6
    assert changes["collaboration_tool_intent"] < 0.3
    assert (
        changes["social_media_knowledge"]
        > changes["social_media_business_value"]
        > changes["collaboration_tool_intent"]
    )


def test_mentees_adopt_more_than_the_comparison_group(demo_warehouse):
    [(mentee_lift, comparison_lift)] = rows(
        demo_warehouse,
        "select avg(share_active) filter (where group_name = 'mentee' and program_window = 'post')"
        " - avg(share_active) filter (where group_name = 'mentee' and program_window = 'pre'),"
        " avg(share_active) filter (where group_name = 'comparison' and program_window = 'post')"
        " - avg(share_active) filter (where group_name = 'comparison' and program_window = 'pre')"
        " from fct_adoption_windows where platform = 'any' and cohort_id <> 'C2013'",
    )
    assert mentee_lift > comparison_lift + 0.1


def test_scale_multiplies_pairs(tmp_path):
    counts = generate(tmp_path, scale=3)
    assert counts["pairs"] == 3 * 73 and counts["cohorts"] == 3


@pytest.mark.parametrize("scale", [1, 10])
def test_no_pair_joins_two_people_of_the_same_name(tmp_path, scale):
    generate(tmp_path, scale=scale)
    names = pd.read_csv(tmp_path / "participants.csv").set_index("participant_id")["display_name"]
    pairs = pd.read_csv(tmp_path / "pairs.csv")
    same = pairs[pairs["mentor_id"].map(names) == pairs["mentee_id"].map(names)]
    assert same["pair_id"].tolist() == []
