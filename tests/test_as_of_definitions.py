"""DOMAIN.md's definitions as of a date, on the hand-computed tiny program (cohort T1: 6 Jan to 2 Mar 2020,
4 planned sessions; data date 20 Feb 2020, the post survey)."""

import shutil
from datetime import date
from pathlib import Path

import duckdb

from tests.conftest import all_direct_reports, load
from warehouse import read, stats
from warehouse.comparison import compare_metrics
from warehouse.read import Filters, Source


def as_of_rows(warehouse: Path, day: date | None, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        if day:
            con.execute("set variable as_of = ?::date", [day])
        return con.execute(sql).fetchall()
    finally:
        con.close()


def outcomes(warehouse: Path, day: date | None = None) -> list[tuple]:
    return as_of_rows(warehouse, day, "select pair_id, outcome, health_status from fct_pair_health order by 1")


def test_completion_counts_only_pairs_with_a_known_outcome(tiny_warehouse):
    # P1 is marked completed and closed on 17 Feb; the others run on (the cohort ends on 2 March)
    assert outcomes(tiny_warehouse) == [
        ("P1", "completed", "Completed"),
        ("P2", "in progress", "At risk"),
        ("P3", "in progress", "Needs check-in"),
        ("P4", "in progress", "On track"),
        ("P5", "in progress", "Too early to tell"),
    ]
    assert as_of_rows(tiny_warehouse, None, "select completion_rate, pairs_in_progress from fct_cohort_summary") == [
        (1.0, 4)
    ]


def test_a_pair_marked_completed_later_is_in_progress_before_it_closed(tiny_warehouse):
    # P1 has no ended_on: it closed with its last session, 17 Feb; on 10 Feb no pair has a known outcome
    assert outcomes(tiny_warehouse, date(2020, 2, 10))[0] == ("P1", "in progress", "On track")
    assert as_of_rows(
        tiny_warehouse, date(2020, 2, 10), "select completion_rate, is_running from fct_cohort_summary"
    ) == [(None, True)]


def test_all_but_one_session_completes_a_pair_only_once_its_cohort_ended(tiny_folder, tmp_path):
    (tiny_folder / "sessions.csv").write_text(
        (tiny_folder / "sessions.csv").read_text() + "P4,4,2020-02-26,held,2020-02-26,30,true,true,,,4,true,1,\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)  # P4 now held 3 of 4 planned sessions
    assert outcomes(warehouse, date(2020, 2, 28))[3] == ("P4", "in progress", "On track")  # the cohort runs
    assert outcomes(warehouse, date(2020, 3, 2))[3] == ("P4", "completed", "Completed")  # it ended on 2 March


def test_no_session_known_after_the_as_of_date(tiny_warehouse):
    # P1's fourth session (17 Feb, trust 5, 2 ideas) was still upcoming on 10 Feb: nothing of it is known
    assert as_of_rows(
        tiny_warehouse,
        date(2020, 2, 10),
        "select session_no, as_of_status, trust_rating, ideas_count, held_on from fct_session_status"
        " where pair_id = 'P1' order by 1",
    ) == [(1, "held", 3, 0, date(2020, 1, 6)), (2, "held", 4, 0, date(2020, 1, 20)), (3, "missed", None, None, None),
          (4, "upcoming", None, None, None)]  # fmt: skip
    assert as_of_rows(tiny_warehouse, date(2020, 2, 1), "select count(*) from asof_session_notes") == [(0,)]
    assert as_of_rows(tiny_warehouse, date(2020, 2, 10), "select count(*) from asof_session_notes") == [(1,)]


def source(warehouse: Path) -> Source:
    return Source(warehouse, warehouse.stat().st_mtime_ns)


def test_the_funnel_never_widens(tiny_folder, tmp_path, monkeypatch):
    # every mentee a direct report, groups of 3: of the held sessions with their values all known, session 1 of P1,
    # P2 and P4 is released (the first three by date; P3's comes fourth), session 2 of P1, P4 and P3 (P2's was
    # cancelled), and sessions 3 and 4 have fewer than 3. Plan of 4: session 1 trust, 2-3 insight, 4 brainstorm.
    # Reached, over every held session (pair counts are not held back): trust P1-P4, insight P1 P3 P4, brainstorm
    # P1. Released held sessions: trust P1 P2 P4, insight P1 P3 P4; indicators among them: trust 4+ (P2, P4), an aha
    # in an insight session (P1)
    all_direct_reports(tiny_folder)
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "3")
    funnel = read.phase_funnel(source(warehouse), Filters())
    assert funnel.drop(columns="cohort_id").iloc[0].to_dict() == {
        "pairs": 5,
        **{"trust": 4, "trust_released": 3, "trust_present": 2},
        **{"insight": 3, "insight_released": 3, "insight_present": 1},
        **{"brainstorm": 1, "brainstorm_released": 0, "brainstorm_present": 0},
        "any_derived_phase": True,  # P2 logs its phases, the others do not
    }


def test_item_answers_are_flipped_and_only_of_matched_respondents(tiny_folder, tmp_path, monkeypatch):
    # E03 and E04 answer knowledge before and after as well: with E01, 3 matched respondents, a group of 3.
    # K3 is reverse-coded (1-5: 6 - value); E02's lone pre answer is not in the distribution
    all_direct_reports(tiny_folder)
    extra = [("E03", "pre", (1, 2, 5), "2020-01-04"), ("E03", "post", (3, 3, 1), "2020-02-18"),
             ("E04", "pre", (2, 2, 3), "2020-01-04"), ("E04", "post", (4, 5, 2), "2020-02-19")]  # fmt: skip
    lines = [f"{who},{wave},K{k},{v},{day}" for who, wave, values, day in extra for k, v in enumerate(values, 1)]
    (tiny_folder / "survey_responses.csv").write_text(
        (tiny_folder / "survey_responses.csv").read_text() + "\n".join(lines) + "\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "3")
    scores, answers = read.survey_outcomes(source(warehouse), Filters(), "pre", "post")
    # the scores found with the answers are construct_scores' own: the same matched respondents
    assert scores.equals(read.construct_scores(source(warehouse), Filters(), "pre", "post"))
    assert scores.groupby("construct")["people"].sum().to_dict() == {"knowledge": 3}
    columns = [answers[c] for c in ("item_id", "wave", "value", "answers")]
    # flipped K3: E01 4 -> 2 and 2 -> 4, E03 5 -> 1 and 1 -> 5, E04 3 -> 3 and 2 -> 4
    assert list(zip(*columns, strict=True)) == [
        ("K1", "post", 3, 1), ("K1", "post", 4, 2), ("K1", "pre", 1, 1), ("K1", "pre", 2, 2),
        ("K2", "post", 3, 1), ("K2", "post", 4, 1), ("K2", "post", 5, 1), ("K2", "pre", 2, 2), ("K2", "pre", 3, 1),
        ("K3", "post", 4, 2), ("K3", "post", 5, 1), ("K3", "pre", 1, 1), ("K3", "pre", 2, 1), ("K3", "pre", 3, 1),
    ]  # fmt: skip
    assert stats.likert_shares([4, 5, 4], 1, 5)["favourable"] == 1.0  # "I find social media confusing", flipped


def test_item_answers_are_the_ones_the_matched_scores_count_at_every_date(tiny_folder, tmp_path, monkeypatch):
    # knowledge (K1-K3) before and after: E03 and E05 answer pre undated (known from the start, 6 Jan); E04 answers
    # post undated (known at the end, 2 March); E05 answers post K1 and K2 on 19 Feb and K3 undated
    all_direct_reports(tiny_folder)
    extra = [("E03", "pre", "K1 K2 K3", ""), ("E03", "post", "K1 K2 K3", "2020-02-18"),
             ("E05", "pre", "K1 K2 K3", ""), ("E05", "post", "K1 K2", "2020-02-19"), ("E05", "post", "K3", ""),
             ("E04", "pre", "K1 K2 K3", "2020-01-04"), ("E04", "post", "K1 K2 K3", "")]  # fmt: skip
    lines = [f"{who},{wave},{item},3,{day}" for who, wave, items, day in extra for item in items.split()]
    (tiny_folder / "survey_responses.csv").write_text(
        (tiny_folder / "survey_responses.csv").read_text() + "\n".join(lines) + "\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "3")
    scored = """select s.wave, sum(s.items_answered)::int from fct_construct_scores s
                semi join (select participant_id, construct from privacy_matched
                           where before_wave = 'pre' and after_wave = 'post') using (participant_id, construct)
                where s.wave in ('pre', 'post') group by 1"""
    # 20 Feb: E01, E03 and E05 matched (E05's undated post K3 not yet known). 2 March: E04 too, and E05, the
    # newest of four, waits for a group of 3; confidence has one respondent (E01) throughout
    expected = {
        date(2020, 1, 10): {},
        date(2020, 2, 20): {"pre": 9, "post": 8},
        date(2020, 3, 2): {"pre": 9, "post": 9},
    }
    # the item answers are the scored ones of cells where everyone answered every item: on 20 Feb E05's K3 after is
    # not known yet, so the cell's answers after are left out (the mean after covers E05's two)
    every_item = {(item, wave): 3 for item in ("K1", "K2", "K3") for wave in ("pre", "post")}
    before_only = {key: n for key, n in every_item.items() if key[1] == "pre"}
    items = {date(2020, 1, 10): {}, date(2020, 2, 20): before_only, date(2020, 3, 2): every_item}
    for day, totals in expected.items():
        answers = read.survey_outcomes(source(warehouse), Filters(as_of=day), "pre", "post")[1]
        assert answers.groupby(["item_id", "wave"])["answers"].sum().to_dict() == items[day], day
        assert dict(as_of_rows(warehouse, day, "set variable min_group = 3; " + scored)) == totals, day


def test_monthly_adoption_spans_a_year_before_the_start_to_two_years_after(tiny_folder, tmp_path, monkeypatch):
    # T1 starts in January 2020: months -12 (Jan 2019) to 24 (Jan 2022) count, Dec 2018 and Feb 2022 do not. The
    # tiny file has E01 on LinkedIn in Oct 2019 (inactive), Dec 2019 (2 posts) and Feb 2020 (4 posts). E02 is active
    # on two platforms in Jan 2019: once in "any", with the posts of both; E03 on a third, another person that month
    all_direct_reports(tiny_folder)
    rows = ["E02,linkedin,2018-12,true,9,0,0", "E02,linkedin,2019-01,true,3,0,0", "E02,twitter,2019-01,true,2,0,0",
            "E03,internal,2019-01,true,1,0,0", "E03,twitter,2022-01,true,1,0,0",
            "E03,twitter,2022-02,true,7,0,0"]  # fmt: skip
    (tiny_folder / "social_activity.csv").write_text(
        (tiny_folder / "social_activity.csv").read_text() + "\n".join(rows) + "\n"
    )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "3")
    columns = ["months_from_start", "mentees", "active", "share_active", "posts_per_mentee"]

    def monthly(platform: str, as_of: date | None = None) -> list:
        rows = read.adoption_by_month(source(warehouse), Filters(as_of=as_of), platform)
        assert set(rows["cohort_id"]) <= {"T1"}
        return rows[columns].round(4).values.tolist()

    # groups of 3: E01, E02 and E03 (matched first) are released, E04 and E05 wait for a third
    assert monthly("any") == [
        [-12, 3, 2, 0.6667, 2.0], [-3, 3, 0, 0.0, 0.0], [-1, 3, 1, 0.3333, 0.6667], [1, 3, 1, 0.3333, 1.3333],
        [24, 3, 1, 0.3333, 0.3333],
    ]  # fmt: skip
    assert monthly("linkedin") == [
        [-12, 3, 1, 0.3333, 1.0], [-3, 3, 0, 0.0, 0.0], [-1, 3, 1, 0.3333, 0.6667], [1, 3, 1, 0.3333, 1.3333],
    ]  # fmt: skip
    assert monthly("twitter") == [[-12, 3, 1, 0.3333, 0.6667], [24, 3, 1, 0.3333, 0.3333]]
    assert monthly("youtube") == []
    in_january = date(2020, 1, 31)
    assert [row[0] for row in monthly("any", in_january)] == [-12, -3, -1]
    assert [row[0] for row in monthly("twitter", in_january)] == [-12]


# mentees active per cohort and month counted plainly, each once: the bits that count them number people within the
# cohort of their first pair, which this must agree with at every date
PLAIN_MONTHLY_ACTIVE = """
    select p.cohort_group, datediff('month', date_trunc('month', c.start_date), a.month),
           count(distinct p.participant_id)
    from stg_social_activity a
    join privacy_people p using (participant_id)
    join asof_cohorts c on c.cohort_id = p.cohort_group
    where p.role = 'mentee' and a.active
      and a.month between date_trunc('month', c.start_date) - interval 12 month
                      and least(date_trunc('month', c.start_date) + interval 24 month, (select as_of from as_of_date))
    group by all"""


def test_monthly_adoption_counts_each_active_mentee_once_a_month_in_their_cohort_at_every_date(
    demo_folder, tmp_path, monkeypatch
):
    # a pilot mentee is matched again in the expansion (known from its start, 5 March 2012): they stay in the pilot
    folder = tmp_path / "files"
    shutil.copytree(demo_folder, folder)
    with (folder / "pairs.csv").open("a") as pairs:
        pairs.write("PR009999,C2012,M000030,E000001,2012-02-20,active,,\n")
    warehouse = tmp_path / "w.duckdb"
    load(folder, warehouse)
    monkeypatch.setenv("MENTORING_MIN_GROUP", "3")
    for day in (None, date(2011, 6, 1), date(2012, 4, 2), date(2013, 8, 1)):
        rows = read.adoption_by_month(source(warehouse), Filters(as_of=day), "any")
        shown = {(r.cohort_id, r.months_from_start, r.active) for r in rows.itertuples() if r.active}
        plain = as_of_rows(warehouse, day, "set variable min_group = 3; " + PLAIN_MONTHLY_ACTIVE)
        assert shown == set(plain), day
        assert len(shown) > 10, day


def test_survey_answers_count_from_their_submission(tiny_warehouse):
    # the post wave was submitted on 20 Feb: before then, E01 has no post score and no matched change
    day = date(2020, 2, 19)
    assert as_of_rows(tiny_warehouse, day, "select count(*) from fct_construct_scores where wave = 'post'") == [(0,)]
    assert as_of_rows(tiny_warehouse, None, "select count(*) from fct_construct_scores where wave = 'post'") == [(2,)]


def test_a_score_answered_over_two_days_counts_only_the_answers_known_by_then(tiny_folder, tmp_path):
    # E01 answers post item K3 (reverse-coded) five days after the rest of the post wave, with a 5 (flipped: 1)
    responses = (tiny_folder / "survey_responses.csv").read_text()
    responses = responses.replace("E01,post,K3,2,2020-02-20", "E01,post,K3,5,2020-02-25")
    (tiny_folder / "survey_responses.csv").write_text(responses)
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    score = (
        "select items_answered, score, known_on from fct_construct_scores"
        " where participant_id = 'E01' and construct = 'knowledge' and wave = 'post'"
    )
    assert as_of_rows(warehouse, date(2020, 2, 22), score) == [(2, 4.0, date(2020, 2, 20))]  # K1 4, K2 4
    assert as_of_rows(warehouse, date(2020, 2, 25), score) == [(3, 3.0, date(2020, 2, 25))]  # and K3 flipped to 1


def test_undated_answers_count_once_the_cohort_reached_the_wave(tiny_folder, tmp_path):
    responses = (tiny_folder / "survey_responses.csv").read_text().replace(",2020-02-20", ",")
    (tiny_folder / "survey_responses.csv").write_text(responses)
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    post = "select count(*) from fct_construct_scores where wave = 'post'"
    assert as_of_rows(warehouse, date(2020, 3, 1), post) == [(0,)]  # the cohort ends on 2 March
    assert as_of_rows(warehouse, date(2020, 3, 2), post) == [(2,)]


def test_a_month_before_the_data_starts_is_not_counted_inactive(tiny_folder, tmp_path):
    # without the October 2019 rows the data starts in December: of T1's pre window (Oct-Dec) only December is
    # observed, when E01 and X01 were both active
    activity = (tiny_folder / "social_activity.csv").read_text().replace("E01,linkedin,2019-10,false,0,0,10\n", "")
    (tiny_folder / "social_activity.csv").write_text(activity)
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    assert as_of_rows(
        warehouse,
        None,
        "select participant_id, months_observed, months_active from fct_adoption_windows"
        " where platform = 'linkedin' and program_window = 'pre' and participant_id in ('E01', 'X01') order by 1",
    ) == [("E01", 1, 1), ("X01", 1, 1)]


def test_benjamini_hochberg_runs_over_the_shown_rows_only():
    clear = ([1.0, 2.0, 3.0, 4.0, 5.0], [3.0, 4.0, 5.0, 6.0, 7.0])  # Welch p 0.0805
    weaker = ([1.0, 2.0, 3.0, 4.0, 5.0], [2.0, 3.0, 4.0, 5.0, 6.0])  # Welch p 0.3466
    tiny_group = ([1.0, 1.1, 1.2, 1.3, 1.4], [9.0, 9.1])  # a strong effect in 2 people: hidden
    table = compare_metrics({"clear": clear, "weaker": weaker, "small": tiny_group}, minimum=5)
    assert table["hidden"].tolist() == [False, False, True]
    # BH over the two shown: 0.0805 x 2 / 1 = 0.161 and 0.3466 x 2 / 2; with the hidden row in the family of 3
    # they would have been 0.0805 x 3 / 2 = 0.1208 and 0.3466
    assert table["bh_p"].round(4).tolist()[:2] == [0.161, 0.3466]
    # the comparison is hidden; the first cohort's own mean, over 5 people, is not
    assert table.loc[2, ["welch_p", "bh_p", "mean2"]].isna().all() and round(table.loc[2, "mean1"], 6) == 1.2


def test_a_cohort_without_answers_is_not_compared():
    table = compare_metrics({"Change in knowledge": ([0.5, 1.0, 1.5, 0.0, 2.0], [])}, minimum=5)
    assert (table.loc[0, "n1"], table.loc[0, "n2"], bool(table.loc[0, "hidden"])) == (5, 0, True)
