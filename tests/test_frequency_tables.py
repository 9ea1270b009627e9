"""Statistics over everyone: person- and pair-level statistics read frequency tables (a count per distinct value)
and expand them, so that no page pulls a row per person into Python. The expanded tables must give the statistics
of the per-person values, computed independently here, and count every person and pair."""

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import rows
from tests.released import released_matched, released_sessions, released_values
from warehouse import read, stats
from warehouse.read import Filters, Source

KNOWLEDGE = "social_media_knowledge"  # items KNOW1-4, KNOW4 reverse-coded, scale 1-5
SESSION_METRICS = ["attendance_rate", "mean_trust", "aha_share", "ideas_per_session"]


def source_of(warehouse: Path) -> Source:
    return Source(warehouse, warehouse.stat().st_mtime_ns)


def data_date(warehouse: Path) -> date:
    return rows(warehouse, "select data_date from dim_data_date")[0][0]


def knowledge_scores(source: Source, filters: Filters) -> pd.DataFrame:
    """One row per matched person on the knowledge construct, from the frequency table."""
    scores = read.expand(read.construct_scores(source, filters, "pre"), "people")
    return scores[scores["construct"] == KNOWLEDGE]


def pair_values(sessions: pd.DataFrame, values: pd.DataFrame, first_sessions: int) -> pd.DataFrame:
    """Per pair over its first sessions, with pandas: attendance over the recorded `sessions`, the rest over the held
    sessions whose `values` are released."""
    first = sessions[sessions["session_no"] <= first_sessions]
    held = values[values["session_no"] <= first_sessions]
    either = pd.concat([first, held])
    held = held.groupby("pair_id")
    return pd.DataFrame(
        {
            "cohort_id": either.groupby("pair_id")["cohort_id"].first(),
            "attendance_rate": first.groupby("pair_id")["status"].apply(lambda s: (s == "held").mean()),
            "mean_trust": held["trust_rating"].mean(),
            "aha_share": held["aha_moment"].mean(),
            "ideas_per_session": held["ideas_count"].mean(),
        }
    )


def by_cohort(values: pd.DataFrame, column: str, cohorts: tuple[str, str]) -> list[list[float]]:
    return [values.loc[values["cohort_id"] == c, column].dropna().tolist() for c in cohorts]


def assert_same(result, expected):
    """Equal statistics: counts exactly, the rest up to the order floating-point sums ran in."""
    assert result.as_dict() == pytest.approx(expected.as_dict(), rel=1e-9, nan_ok=True)


def test_expand_gives_one_row_per_counted_unit():
    table = pd.DataFrame({"cohort_id": ["A", "B"], "pre": [0.0, 1 / 3], "people": [2, 3]})
    expanded = read.expand(table, "people")
    assert expanded.to_dict("list") == {"cohort_id": ["A", "A", "B", "B", "B"], "pre": [0.0, 0.0, *[1 / 3] * 3]}


def test_survey_change_equals_the_paired_change_of_each_person(demo_warehouse):
    source = source_of(demo_warehouse)
    people = released_matched(demo_warehouse, "KNOW", "KNOW4", 5)
    expected = stats.paired_change(people["score_pre"], people["score_post"])
    scores = knowledge_scores(source, Filters())
    assert_same(stats.paired_change(scores["before"], scores["after"]), expected)
    # and per cohort, as the cohort comparison reads it
    people["change"], scores["change"] = people["score_post"] - people["score_pre"], scores["after"] - scores["before"]
    cohorts = ("C2011", "C2012")
    assert_same(
        stats.compare_groups(*by_cohort(scores, "change", cohorts)),
        stats.compare_groups(*by_cohort(people, "change", cohorts)),
    )


def test_overview_change_per_construct_equals_the_paired_change_of_its_people(demo_warehouse):
    source, filters = source_of(demo_warehouse), Filters()
    # each construct's people (those Survey outcomes shows), in percent of the construct's scale
    matched = read.scoped(source, filters, f"select * from {read.MATCHED}", before="pre", after="post")
    width = matched["scale_max"] - matched["scale_min"]
    matched["before_pct"] = (matched["before"] - matched["scale_min"]) / width * 100
    matched["after_pct"] = (matched["after"] - matched["scale_min"]) / width * 100
    changes = read.scaled_change(source, filters, "pre").set_index("construct")
    assert len(changes) == matched["construct"].nunique() > 1
    for construct, people in matched.groupby("construct"):
        expected = stats.paired_change(people["before_pct"], people["after_pct"])
        change = changes.loc[construct]
        half = stats.t_half_width(int(change["people"]), change["sd_change"])
        assert int(change["people"]) == expected.n > 5
        assert change["mean_change"] == pytest.approx(expected.mean_change, rel=1e-12)
        assert (change["mean_change"] - half, change["mean_change"] + half) == pytest.approx(
            (expected.ci_low, expected.ci_high), rel=1e-12
        )


def test_pair_comparison_equals_the_comparison_of_each_pair(demo_warehouse):
    source, cohorts, k = source_of(demo_warehouse), ("C2011", "C2013"), 5
    on = data_date(demo_warehouse)
    pairs = pair_values(released_sessions(demo_warehouse, on), released_values(demo_warehouse, on), k)
    table = read.expand(read.pair_metrics(source, Filters(cohorts=cohorts), k), "pairs")
    for metric in SESSION_METRICS:
        counted = table[table["metric"] == metric]
        result = stats.compare_groups(*by_cohort(counted, "value", cohorts))
        assert_same(result, stats.compare_groups(*by_cohort(pairs, metric, cohorts)))
        assert min(result.n1, result.n2) >= 5, metric


def test_diff_in_diff_equals_the_one_over_each_person_in_any_order(demo_warehouse):
    source, filters = source_of(demo_warehouse), Filters(cohorts=("C2012",))
    people = read.scoped(
        source, filters, f"select * from {read.ADOPTION_WINDOWS}", platform="any", groups=["mentee", "comparison"]
    )
    people = people.dropna(subset=["pre", "post"]).sample(frac=1, random_state=7)  # any order: the same CI
    counted = read.expand(read.adoption_windows(source, filters), "people").dropna(subset=["pre", "post"])

    def did(frame):
        mentees, comparison = (frame[frame["group_name"] == g] for g in ("mentee", "comparison"))
        return stats.diff_in_diff(mentees["pre"], mentees["post"], comparison["pre"], comparison["post"])

    result, expected = did(counted), did(people)
    assert (result.n_mentees, result.n_comparison) == (expected.n_mentees, expected.n_comparison)
    assert result.n_mentees >= 5 and result.n_comparison >= 5
    assert result.__dict__ == pytest.approx(expected.__dict__, rel=1e-12)


def test_frequency_tables_count_everyone_in_few_rows(large):
    source, everyone = source_of(large), Filters()
    knowledge = read.construct_scores(source, everyone, "pre").query("construct == @KNOWLEDGE")
    matched = released_matched(large, "KNOW", "KNOW4", 5)
    assert knowledge["people"].sum() == len(matched) > 10_000
    assert len(knowledge) < 1_000

    windows = read.adoption_windows(source, everyone)
    [(people,)] = rows(
        large,
        """select count(*) from (select distinct cohort_id, participant_id from fct_adoption_windows
           where platform = 'any' and participant_id in (select participant_id from privacy_people))""",
    )
    assert windows["people"].sum() == people > 10_000
    assert len(windows) < 1_000

    metrics = read.pair_metrics(source, everyone, 7)
    attendance = metrics[metrics["metric"] == "attendance_rate"]
    recorded = released_sessions(large, data_date(large))
    assert attendance["pairs"].sum() == recorded["pair_id"].nunique() > 10_000
    assert len(metrics) < 1_000

    assert read.scaled_change(source, everyone, "pre")["people"].min() > 10_000


@pytest.mark.parametrize("before, after", [("pre", "post"), ("retro_pre", "post"), ("pre", "followup")])
def test_matched_respondents_are_the_same_when_the_view_reads_only_the_two_waves(demo_warehouse, before, after):
    # the readers set the waves for privacy_matched to read only theirs; the batches held back are per pair of waves,
    # so the rows must be those of every pair of waves filtered afterwards (the demo has no follow-up wave)
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        for as_of, minimum in [(None, 5), ("2012-01-15", 3), ("2012-06-30", 7), (None, 11)]:
            con.execute("reset variable before_wave; reset variable after_wave")
            con.execute("set variable as_of = ?::date", [as_of])
            con.execute("set variable min_group = ?", [minimum])
            every = con.execute(
                "select * from privacy_matched where before_wave = ? and after_wave = ?", [before, after]
            ).fetchall()
            con.execute("set variable before_wave = ?", [before])
            con.execute("set variable after_wave = ?", [after])
            only = con.execute("select * from privacy_matched").fetchall()
            assert sorted(only) == sorted(every), (as_of, minimum)
            if as_of is None and minimum == 5:
                assert bool(only) == (after == "post")  # not two empty lists
    finally:
        con.close()
