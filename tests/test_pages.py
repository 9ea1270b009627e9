"""Every page under AppTest on the demo warehouse: no exception, headline numbers equal to an independent
query of the same warehouse, and one widget that changes what it should."""

import base64
import json
import re
import shutil
from datetime import date

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ENTRYPOINT, PAGES, load, open_page, rows, table_with
from tests.released import cost_rates, released_matched, released_sessions, released_values
from warehouse.location import ENV_VAR

DATA_DATE = "2013-09-06"
DATA_DATE_WORDS = "06 September 2013"


@pytest.fixture
def app(demo_warehouse, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(demo_warehouse))

    def open_page(page: str = "overview", **url) -> AppTest:
        """Open a page as a link would: shared filters come from the address (query parameters)."""
        test = AppTest.from_file(ENTRYPOINT, default_timeout=60)
        test.query_params.update(url)
        test.run()
        if page != "overview":
            test.switch_page(f"pages/{page}.py").run()
        assert not test.exception, test.exception
        return test

    return open_page


def metric(test: AppTest, label: str) -> str:
    [value] = [m.value for m in test.metric if m.label == label]
    return value


def chart_titles(test: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in test.get("plotly_chart")]


def captions(test: AppTest) -> str:
    return "\n".join(c.value for c in test.caption)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_and_states_its_as_of_date(app, page):
    test = app(page)
    assert "As of 06 September 2013" in captions(test) or page == "data"


def test_home_page_marks_demo_data(app):
    assert app().warning[0].value.startswith("Demo data")


def test_overview_headlines_match_the_warehouse(app, demo_warehouse):
    test = app()
    [(completed, in_progress)] = rows(
        demo_warehouse,
        """select (select count(*) from raw_pairs p where status = 'completed' or (select count(*) from raw_sessions s
                   where s.pair_id = p.pair_id and s.status = 'held') >= 7),
                  (select count(*) from raw_pairs where coalesce(status, 'active') = 'active')""",
    )
    # attendance over the sessions released to aggregates (batches of 5 pairs per cohort, level, session)
    released = released_sessions(demo_warehouse, date.fromisoformat(DATA_DATE))
    assert metric(test, "Attendance rate") == f"{(released['status'] == 'held').mean() * 100:.0f}%"
    assert metric(test, "Pairs completed") == f"{completed:,}"
    assert metric(test, "Pairs in progress") == f"{in_progress:,}"
    assert metric(test, "Pairs needing attention") == "8"  # the 8 planted live pairs


def test_overview_cohort_filter_from_a_shared_link_narrows_the_numbers(app):
    test = app(cohorts=["2011 pilot"])  # links carry the names people read
    assert test.multiselect(key="cohorts").value == ["C2011"]
    assert (metric(test, "Pairs completed"), metric(test, "Pairs in progress")) == ("12", "0")


def test_overview_table_gives_no_completion_rate_over_fewer_ended_pairs_than_the_minimum(
    tiny_folder, tmp_path, monkeypatch
):
    # the cohort ended (10 Feb) with two pairs: like the headline, its table says why it gives no rate
    cohorts = tiny_folder / "cohorts.csv"
    cohorts.write_text(cohorts.read_text().replace("2020-03-02", "2020-02-10"))
    for name in ("pairs", "sessions"):
        path = tiny_folder / f"{name}.csv"
        path.write_text(
            "".join(line for line in path.read_text().splitlines(True) if not line.startswith(("P3", "P4", "P5")))
        )
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    test = open_page(warehouse, "overview", monkeypatch)
    table = table_with(test, "Completion")
    assert table[["Cohort", "Pairs", "Completion"]].values.tolist() == [["Test wave", 2, "under 5 ended pairs"]]
    assert metric(test, "Completion rate") == "too early"


def test_a_link_naming_a_cohort_or_level_the_dashboard_lacks_says_so(app):
    test = app(cohorts=["C2011", "2012 expansion"], levels=["Boss"])  # an ID, not the name links carry; a typo
    assert test.multiselect(key="cohorts").value == ["C2012"]
    assert [w.value for w in test.warning if w.value.startswith("The link")] == [
        "The link's cohort filter names 'C2011', which this dashboard does not have (renamed since?): the page shows"
        " the other cohorts chosen, or all of them.",
        "The link's level filter names 'Boss', which this dashboard does not have (renamed since?): the page shows the"
        " other levels chosen, or all of them.",
    ]
    assert not any(w.value.startswith("The link") for w in app(cohorts=["2011 pilot"], levels=["C-suite"]).warning)


@pytest.mark.parametrize("written", ["2030-01-01", "garbage", "2010-01-01"])
def test_a_link_with_an_as_of_date_the_dashboard_cannot_show_says_so(app, written):
    test = app(as_of=written)
    assert [w.value for w in test.warning if w.value.startswith("The link")] == [
        f"The link's as-of date '{written}' is not a date from 07 March 2011 to {DATA_DATE_WORDS} (the data date)"
        f" written as YYYY-MM-DD: the page is as of {DATA_DATE_WORDS}."
    ]
    assert f"As of {DATA_DATE_WORDS}" in captions(test)
    assert not any(w.value.startswith("The link") for w in app(as_of="2011-05-01").warning)


def test_overview_earlier_as_of_date_shows_the_pilot_running(app):
    test = app(as_of="2011-05-01")
    # on 1 May 2011 only the 12 pilot pairs existed, all of them in progress
    assert (metric(test, "Pairs in progress"), metric(test, "Pairs completed")) == ("12", "0")
    assert "As of 01 May 2011" in captions(test)


def test_learning_phases_counts_held_sessions_and_switches_indicator(app, demo_warehouse):
    test = app("learning_phases")
    held = len(released_values(demo_warehouse, date.fromisoformat(DATA_DATE)))
    assert f"{held:,} held sessions" in captions(test)
    assert chart_titles(test)[0] == "Mean trust rating by session"
    test.radio(key="phase_indicator").set_value("Aha moments").run()
    assert chart_titles(test)[0] == "Sessions with an aha moment"


def test_pair_health_lists_the_flagged_pairs_and_filters_by_status(app, demo_warehouse):
    test = app("pair_health")
    assert sorted(test.table[0].value["Pair"]) == [f"PR0000{n}" for n in range(64, 72)]
    test.multiselect(key="health_status").set_value(["Too early to tell"]).run()
    assert test.table[0].value["Pair"].tolist() == ["PR000072"]
    assert test.table[0].value["Mentee"].tolist() == [
        rows(
            demo_warehouse,
            "select display_name from raw_participants p join raw_pairs r"
            " on p.participant_id = r.mentee_id where pair_id = 'PR000072'",
        )[0][0]  # fmt: skip
    ]
    # on 1 May 2011 the 12 pilot pairs had just started: none ended early, which is said, with no empty list to save
    test = app("pair_health", as_of="2011-05-01", health_status=["Ended early"])
    assert [s.value for s in test.success] == ["No pair has the chosen status (Ended early) as of 01 May 2011."]
    assert not test.table and not test.get("download_button")


def test_a_cohort_chosen_before_its_start_is_said_to_start_later_not_shown_as_zeros(app):
    test = app(as_of="2012-03-01", cohorts=["2012 expansion"])  # on every page: dashboard.py says it above it
    assert (
        "2012 expansion starts on 05 March 2012, after the as-of date: its pairs and sessions show from that day."
        in [i.value for i in test.info]
    )
    assert not any("starts on" in i.value for i in app(cohorts=["2012 expansion"]).info)


def test_pair_health_detail_shows_that_pairs_notes(app):
    test = app("pair_health")
    test.selectbox(key="pair_detail").set_value("PR000066").run()
    notes = table_with(test, "Note")  # a plain table, which wraps a long note
    assert notes["Session"].tolist() == [1, 2, 3, 4]


def test_survey_outcomes_match_an_independent_paired_computation(app, demo_warehouse):
    test = app("survey_outcomes")
    # knowledge scores straight from the raw answers: reverse-coded KNOW4 flipped, at least 2 of 4 items answered;
    # matched respondents released in groups of 5 per cohort and level
    matched = released_matched(demo_warehouse, "KNOW", "KNOW4", 5)
    n, change = len(matched), (matched["score_post"] - matched["score_pre"]).mean()
    table = table_with(test, "Construct").set_index("Construct")
    assert table.loc["Social media knowledge", "n"] == n
    assert table.loc["Social media knowledge", "Change"] == f"{change:+.2f}"
    assert table["Scale"].to_dict() == {  # each construct's means are read against its own scale
        "Collaboration tool intent": "1 to 5", "Digital confidence": "1 to 7", "Intergenerational understanding":
        "1 to 5", "Social media business value": "1 to 5", "Social media knowledge": "1 to 5",
    }  # fmt: skip
    test.radio(key="survey_wave").set_value("Retrospective pre to post").run()
    retro = table_with(test, "Construct").set_index("Construct")
    assert float(retro.loc["Social media knowledge", "Change"]) > float(table.loc["Social media knowledge", "Change"])


def test_cohort_comparison_composition_lists_the_cohorts_in_the_order_chosen(app):
    test = app("cohort_comparison")
    assert table_with(test, "Level").columns.tolist() == ["Level", "2011 pilot", "2012 expansion"]
    test.selectbox(key="compare_first").set_value("C2012").run()
    test.selectbox(key="compare_second").set_value("C2011").run()
    assert table_with(test, "Level").columns.tolist() == ["Level", "2012 expansion", "2011 pilot"]


def test_cohort_comparison_with_every_metric_hidden_says_so_instead_of_a_chart_of_reasons(app, monkeypatch):
    monkeypatch.setenv("MENTORING_MIN_GROUP", "50")  # the pilot has 12 pairs: no metric of it is shown
    test = app("cohort_comparison")
    assert "No metric can be compared yet for these cohorts and filters: the table below says why for each." in [
        i.value for i in test.info
    ]
    assert not test.get("plotly_chart")


def test_cohort_comparison_defaults_to_pilot_and_expansion(app, demo_warehouse):
    test = app("cohort_comparison")
    assert "Social adoption's difference in differences also subtracts the comparison group's change" in captions(test)
    table = table_with(test, "Metric").set_index("Metric")
    assert table.loc["Attendance rate", "2011 pilot"].endswith("(n 12)")
    assert table.loc["Attendance rate", "2012 expansion"].endswith("(n 45)")
    assert not any("PR0" in str(v) or "E0" in str(v) for v in table.to_numpy().ravel())
    # every pilot pair completed: Welch would take 100% of 12 as exact (-0.9 to +14.2 pp), so no t-test
    completion = table.loc["Completion"]
    assert completion["Difference (95% CI)"] == "+6.7 pp (no t-test: every pair of 2011 pilot has the same value)"
    assert (completion["BH-adjusted p"], completion["Hedges' g"]) == ("n/a", "0.29")
    test.selectbox(key="compare_second").set_value("C2013").run()
    # equal exposure: the running wave had reached session 5, so both cohorts are compared over sessions 1-5
    assert test.slider(key="compare_sessions_C2011_C2013").value == 5
    table = table_with(test, "Metric").set_index("Metric")
    # pairs of the running wave with a released session among their first 5
    released = released_sessions(demo_warehouse, date.fromisoformat(DATA_DATE))
    n = released.loc[(released["cohort_id"] == "C2013") & (released["session_no"] <= 5), "pair_id"].nunique()
    assert table.loc["Attendance rate", "2013 wave 3 (running)"].endswith(f"(n {n})")
    assert table.loc["Completion", "Difference (95% CI)"] == "not compared: 2013 wave 3 (running) still running"
    assert "None" not in table.astype(str).to_numpy().ravel()


def test_cohort_comparison_starts_from_the_sidebars_cohorts_and_says_its_own_picks_rule(app):
    test = app("cohort_comparison", cohorts=["2013 wave 3", "2012 expansion"])
    assert (test.selectbox(key="compare_first").value, test.selectbox(key="compare_second").value) == ("C2012", "C2013")
    note = "The two cohorts picked here are compared, whatever the sidebar's cohort filter (it sets the first picks)."
    assert note in captions(test)
    alone = app("cohort_comparison", cohorts=["2013 wave 3"])  # one cohort: compared with the first other one
    assert (alone.selectbox(key="compare_first").value, alone.selectbox(key="compare_second").value) == (
        "C2013",
        "C2011",
    )
    assert note not in captions(app("cohort_comparison"))


def test_the_data_pages_files_of_a_load_wrap_and_count_with_separators(app):
    # a grid cut long file names and hid the last counts past 1280 px; a wrapping table shows all of them
    files = table_with(app("data"), "Fingerprint").set_index("File")
    assert files.loc["social\\_activity.csv", ["Bytes", "Read", "New", "Unchanged"]].tolist() == [
        "463,013",
        "12,116",
        "12,116",
        "0",
    ]


def test_the_data_page_says_the_sidebars_filters_do_not_apply_to_it(app):
    note = "The sidebar's filters do not apply to this page: it covers the whole warehouse and every load."
    assert note in captions(app("data", levels=["C-suite"]))
    assert note not in captions(app("data"))


def test_a_cohort_under_the_minimum_group_is_hidden_in_its_own_column_only(app, monkeypatch):
    """Groups of 13: the pilot's 12 pairs never fill one, so none of its sessions is released; the expansion's own
    values still show, and the reason names the pilot instead of saying it has no data."""
    monkeypatch.setenv("MENTORING_MIN_GROUP", "13")
    table = table_with(app("cohort_comparison"), "Metric").set_index("Metric")
    reason = "none released (sessions enter in groups of 13 pairs of one level)"
    assert table.loc["Attendance rate", "2011 pilot"] == f"{reason} (n 0)"
    assert re.fullmatch(r"\d+\.\d% \(n [1-9]\d*\)", table.loc["Attendance rate", "2012 expansion"])
    assert table.loc["Attendance rate", "Difference (95% CI)"] == f"not compared: 2011 pilot {reason}"
    assert table.loc["Attendance rate", "Hedges' g"] == "n/a"  # the reason once, in the difference's column


def typed(array) -> np.ndarray:
    """A plotly typed array (base64 bytes and a dtype) as numbers."""
    return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).astype(float)


def test_trust_intervals_stay_on_the_rating_scale(app, monkeypatch):
    """In groups of 3, the running wave's later sessions hold few ratings: their t-intervals reach past 1 and 5
    before being cut."""
    monkeypatch.setenv("MENTORING_MIN_GROUP", "3")
    trust = app("learning_phases").get("plotly_chart")[0]  # the chart the Trust indicator draws
    ends = []
    for trace in json.loads(trust.proto.spec)["data"]:
        y, minus, plus = (typed(a) for a in (trace["y"], trace["error_y"]["arrayminus"], trace["error_y"]["array"]))
        ends += list(zip(y - minus, y + plus, strict=True))
    low, high = min(lo for lo, _ in ends), max(hi for _, hi in ends)
    assert round(high, 6) == 5.0 and low >= 1.0


def test_a_session_without_released_sessions_is_a_gap_in_its_cohorts_line(app):
    """Each cohort's trace runs over every session number, with no value where none of its sessions is released, so
    that a line breaks there instead of joining the sessions on either side (the running wave's 5 to 7 here)."""
    trust = app("learning_phases").get("plotly_chart")[0]
    traces = {trace["name"]: trace for trace in json.loads(trust.proto.spec)["data"]}
    assert [typed(trace["x"]).tolist() for trace in traces.values()] == [list(range(1, 8))] * 3
    running = typed(traces["2013 wave 3 (running)"]["y"])
    assert np.isnan(running[4:]).all() and not np.isnan(running[:4]).any()
    assert not traces["2013 wave 3 (running)"].get("connectgaps")  # plotly's default: a gap breaks the line


def test_first_aha_chart_gives_each_cohorts_shares_at_every_session_without_gaps(app, demo_warehouse):
    """A line across a session with no point read as pairs that were not there, and counts flattened a small cohort
    beside a big one: shares of each cohort's pairs with an aha, 0 where none had its first, nothing past the
    sessions a cohort has released (the running wave's 5 to 7)."""
    [chart] = [c for c in app("learning_phases").get("plotly_chart") if "first aha" in c.proto.spec]
    values = released_values(demo_warehouse, date.fromisoformat(DATA_DATE))
    firsts = (
        values[values["aha_moment"]].groupby("pair_id").agg(cohort=("cohort_id", "first"), at=("session_no", "min"))
    )
    last = int(firsts["at"].max())
    for trace in json.loads(chart.proto.spec)["data"]:
        cohort = {"2011 pilot": "C2011", "2012 expansion": "C2012", "2013 wave 3 (running)": "C2013"}[trace["name"]]
        at = firsts.loc[firsts["cohort"] == cohort, "at"]
        released_to = values.loc[values["cohort_id"] == cohort, "session_no"].max()
        expected = [
            float((at == session).mean()) if session <= released_to else np.nan for session in range(1, last + 1)
        ]
        assert typed(trace["x"]).tolist() == list(range(1, last + 1))
        assert typed(trace["y"]).tolist() == pytest.approx(expected, nan_ok=True)
        assert np.nansum(expected) == pytest.approx(1.0)
    assert typed(json.loads(chart.proto.spec)["data"][2]["y"])[4:].tolist() == pytest.approx([np.nan] * 3, nan_ok=True)


def test_social_adoption_platform_choice(app):
    test = app("social_adoption")
    assert chart_titles(test)[0] == "Mentees active on any platform"
    test.selectbox(key="adoption_platform").set_value("linkedin").run()
    assert chart_titles(test)[0] == "Mentees active on LinkedIn"
    table = table_with(test, "Cohort")
    assert "2011 pilot" in table["Cohort"].tolist()
    # the interval in one column, so that the table fits 1280 px beside a long cohort name
    assert "95% CI low" not in table.columns
    assert all(re.fullmatch(r"[+-]\d+\.\d pp to [+-]\d+\.\d pp|hidden", ci) for ci in table["95% CI"])


def test_roi_costs_match_the_warehouse_and_respond_to_assumptions(app, demo_warehouse):
    test = app("roi")
    [(listed,)] = rows(demo_warehouse, "select sum(amount) from raw_costs")
    # the hours of the sessions released to aggregates, at their cohort and level's mean cost of mentees and mentors
    held = released_values(demo_warehouse, date.fromisoformat(DATA_DATE))
    rates = cost_rates(demo_warehouse, date.fromisoformat(DATA_DATE))
    hours = held["duration_min"].fillna(45) / 60
    rate = [sum(rates.get((c, lv, role), 0) for role in ("mentee", "mentor")) for c, lv in zip(held["cohort_id"],
            held["level"], strict=True)]  # fmt: skip
    time_cost = (hours * rate).sum()
    assert metric(test, "Fully loaded costs") == f"${listed + time_cost:,.0f}"
    assert not test.warning  # every demo cohort has listed costs
    before = float(metric(test, "First-year benefits").strip("$").replace(",", ""))
    test.slider(key="roi_Conservative defaults_attribution").set_value(50).run()
    assert float(metric(test, "First-year benefits").strip("$").replace(",", "")) == pytest.approx(2 * before, abs=1)


def test_roi_of_a_cohort_on_its_first_day_knows_no_benefit_and_says_so(app):
    test = app("roi", cohorts=["2013 wave 3"], as_of="2013-06-03")  # it started that day: no session held yet
    assert [metric(test, m) for m in ("First-year benefits", "Benefit-cost ratio", "ROI")] == ["n/a", "n/a", "n/a"]
    assert "ideas logged in sessions (no session held yet)" in captions(test)


def test_data_page_counts_rows_and_lists_loads(app, demo_warehouse):
    test = app("data")
    counts = dict(zip(test.dataframe[0].value["File"], test.dataframe[0].value["Rows"], strict=True))
    assert counts["sessions"] == rows(demo_warehouse, "select count(*) from raw_sessions")[0][0]
    assert test.dataframe[2].value["Outcome"].tolist() == ["loaded"]


def test_survey_scores_of_small_groups_are_never_released(app, monkeypatch):
    monkeypatch.setenv("MENTORING_MIN_GROUP", "20")  # the pilot has 12 mentees: no group of 20 ever forms
    test = app("survey_outcomes", cohorts=["2011 pilot"])
    assert not test.table and not test.dataframe
    assert "answers enter the figures in groups of at least 20 people of one cohort and level" in test.info[0].value


def test_mentees_of_a_small_cohort_enter_no_adoption_figure(app, monkeypatch):
    monkeypatch.setenv("MENTORING_MIN_GROUP", "13")  # the pilot has 12 mentees
    test = app("social_adoption")
    traces = {trace["name"] for chart in test.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]}
    assert "2012 expansion" in traces and "2011 pilot" not in traces

    monkeypatch.setenv("MENTORING_MIN_GROUP", "7")  # the pilot's levels have 6 mentees each: none in a group yet
    table = table_with(app("social_adoption"), "Cohort").set_index("Cohort")
    assert table.loc["2011 pilot", ["Mentees", "Mentees before"]].tolist() == ["under 7", "hidden"]  # not 0 mentees


def test_cohort_comparison_with_no_pair_in_the_levels_chosen_says_so(app):
    test = app("cohort_comparison", levels=["Manager"])  # managers are only in the 2013 wave
    assert [i.value for i in test.info] == [
        "2011 pilot and 2012 expansion have no pairs at the mentee levels chosen in the sidebar: choose other levels,"
        " or other cohorts, to compare."
    ]
    # C-suite mentees are only in the pilot: one cohort without pairs is said, not compared with blanks
    test = app("cohort_comparison", levels=["C-suite"])
    assert [i.value for i in test.info] == [
        "2012 expansion has no pairs at the mentee levels chosen in the sidebar: choose other levels, or other"
        " cohorts, to compare."
    ]
    assert not test.get("plotly_chart")


def test_cohort_comparison_of_a_one_session_plan_has_nothing_to_choose(demo_folder, tmp_path, monkeypatch):
    """Every cohort plans one session, while the files still hold sessions 2 to 7 (past the plan)."""
    folder = tmp_path / "files"
    shutil.copytree(demo_folder, folder)
    cohorts = pd.read_csv(folder / "cohorts.csv")
    cohorts["planned_sessions"] = 1
    cohorts.to_csv(folder / "cohorts.csv", index=False)
    load(folder, tmp_path / "w.duckdb")
    test = open_page(tmp_path / "w.duckdb", "cohort_comparison", monkeypatch)
    assert not test.slider
    assert any("Equal exposure: sessions 1 to 1 of every pair." in c.value for c in test.caption)


def test_a_program_too_small_to_release_sessions_shows_hidden_values_as_hidden(tiny_folder, tmp_path, monkeypatch):
    """The tiny program: 5 pairs, no cohort and level cell of 5, phases logged for P2 only, no survey file."""
    (tiny_folder / "survey_responses.csv").unlink()
    (tiny_folder / "survey_items.csv").unlink()
    warehouse = tmp_path / "w.duckdb"
    load(tiny_folder, warehouse)
    overview = open_page(warehouse, "overview", monkeypatch)
    assert metric(overview, "Attendance rate") == "n/a"
    assert "Held back: a session counts once 5 pairs of its cohort and mentee level have had it" in captions(overview)
    assert "A cohort with fewer than 5 pairs at each level never shows it." in captions(overview)
    # the chart's data table: blank, as the chart draws no bar; not 0%
    assert table_with(overview, "Attendance")["Attendance"].tolist() == ["n/a"]  # the cohorts at a glance
    chart_table = [t.value for t in overview.table if t.value.columns.tolist() == ["Cohort", "Attendance"]]
    assert chart_table[0]["Attendance"].tolist() == [""]
    # no session is released, yet the phases of P1, P3 and P4 were derived from their numbers
    phases = open_page(warehouse, "learning_phases", monkeypatch)
    assert "Phase derived from the session number for some sessions." in captions(phases)
    assert phases.info[0].value.startswith("No session is in these charts yet: a session enters once at least 5 pairs")
    data = open_page(warehouse, "data", monkeypatch)
    assert data.dataframe[1].value["Latest date"].tolist() == ["17 February 2020", "nothing loaded", "01 February 2020"]


def test_social_adoption_early_says_the_months_after_are_missing_and_the_groups(app):
    # six weeks into the pilot there are no months after its end; with 3 mentees of a level, no group of 5 either:
    # one sentence gives both reasons, and tells neither apart (that would tell 0 from 1 to 4 people)
    test = app("social_adoption", as_of="2011-04-15")
    assert (
        "No group of 5 people with both windows observed yet: the comparison needs the 3 months before a cohort starts"
        " and the 3 months after it ends (a cohort still running has no months after yet), and counts people in"
        " groups of 5 of one cohort and level."
    ) in [i.value for i in test.info]


def test_survey_outcomes_early_says_no_one_answered_after(app):
    test = app("survey_outcomes", as_of="2011-04-15")
    assert "No one had answered the post survey by 15 April 2011: a change needs answers before and after." in [
        i.value for i in test.info
    ]


def test_completion_rate_waits_for_the_minimum_group_of_ended_pairs(tiny_folder, tmp_path, monkeypatch):
    # the tiny program: P1 completed, the others running; a rate of 1 pair would read as a verdict on it
    load(tiny_folder, tmp_path / "w.duckdb")
    overview = open_page(tmp_path / "w.duckdb", "overview", monkeypatch)
    assert metric(overview, "Completion rate") == "too early"
    assert "1 pair with a known outcome; 4 still running. The rate shows once 5 pairs have ended." in captions(overview)


def test_favourable_answers_say_which_items_were_flipped(app):
    questions = table_with(app("survey_outcomes"), "Question")["Question"].tolist()
    flipped = [q for q in questions if q.endswith("(reverse-coded, flipped)")]
    assert flipped and len(flipped) < len(questions)


def test_the_overviews_survey_change_is_over_the_people_survey_outcomes_shows(app):
    # per construct, never a union of constructs' people that could differ from each by one person
    counts = sorted({int(str(n).replace(",", "")) for n in table_with(app("survey_outcomes"), "Construct")["n"]})
    n = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]} to {counts[-1]}"
    assert any(f"constructs, n = {n} people each" in c for c in captions(app()).splitlines())
