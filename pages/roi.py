"""Program ROI for leadership: what did it cost, and what did it return?"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from etl.load import LoadBusy
from etl.saved import DEFAULT_NAME, SCENARIO_FIELDS, Scenario, rename_scenario, save_scenario, use_scenario
from pages import charts, ui
from pages.access import require_page
from pages.plain import markdown_safe
from warehouse import read, stats
from warehouse.privacy import min_group

require_page(__file__)  # who may open it: warehouse/access.py
st.title("What did the program cost, and what did it return?")
st.write(
    "Phillips ROI method: fully loaded costs (time in sessions at the participants' hourly costs, plus listed costs) "
    "against first-year benefits converted to money. Only the share of each benefit attributed to the program, "
    "discounted by your confidence in that estimate, counts. The assumptions are a saved scenario: pick one or "
    "save your own below, and everyone sees the same ROI next time."
)

source, filters = ui.source(), ui.filters()
names = ui.cohort_labels()
costs, uncosted = read.costs(source, filters)
costs["Cohort"] = costs["cohort_id"].map(names)
total_cost = round(float(costs["amount"].sum()), 2)  # in cents: sums in another order give the same figures
held = read.held_sessions(source, filters)
# session time over released sessions, at each cell's mean cost (warehouse/models/as_of/privacy_cost_rates.sql)
costed_sessions = (
    f"Session time = duration (45 minutes when not logged) x the mean hourly cost of the mentees, and of the "
    f"mentors, of each cohort and mentee level (over groups of at least {min_group()} people), over the "
    f"{held['released']:,} of {held['held']:,} held sessions released to aggregates (in groups of at least "
    f"{min_group()} pairs of one cohort and level; the others wait for their group), so that no one's hourly cost "
    "can be worked out."
    + (
        " Listed costs: each cohort's, times the share of its pairs the mentee level filter keeps."
        if filters.levels
        else ""
    )
)
outcomes = read.roi_outcomes(source, filters)


def saved_then(write, *args) -> None:
    """Run a save, then show everyone the new state; a load in progress holds the lock for a moment."""
    try:
        write(source.path, *args)
    except LoadBusy:
        st.session_state["roi_message"] = "A data load is running: save again in a minute."
        return
    ui.wrote()


saved = read.roi_scenarios(source)
if "roi_pick" in st.session_state:  # a scenario just saved or renamed is the one shown
    st.session_state["roi_scenario"] = st.session_state.pop("roi_pick")
# the conservative defaults stay one pick away once other scenarios are saved
scenario_names = saved["name"].tolist() + ([] if DEFAULT_NAME in set(saved["name"]) else [DEFAULT_NAME])
st.subheader("Benefit assumptions")
chosen = st.selectbox(
    "Scenario", scenario_names, key="roi_scenario", help="The last scenario used opens first, for everyone.",
    on_change=lambda: saved_then(use_scenario, st.session_state["roi_scenario"])
    if st.session_state["roi_scenario"] in set(saved["name"]) else None,
)  # fmt: skip
picked = saved[saved["name"] == chosen]
scenario = Scenario(**picked[SCENARIO_FIELDS].iloc[0].to_dict()) if len(picked) else Scenario()
left, middle, right = st.columns(3)
key = f"roi_{chosen}"  # each scenario has its own inputs, so picking one shows its values
value_active = left.number_input("Value per executive newly active on social media ($)", 0.0, 1e6,
                                 scenario.value_active, 500.0, "%.0f", key=f"{key}_active")  # fmt: skip
value_idea = middle.number_input("Value per idea logged ($)", 0.0, 1e6, scenario.value_idea, 100.0, "%.0f",
                                 key=f"{key}_idea")  # fmt: skip
value_mentor = right.number_input("Value per mentor retained beyond the baseline ($)", 0.0, 1e6,
                                  scenario.value_mentor, 1_000.0, "%.0f", key=f"{key}_mentor")  # fmt: skip
left, middle, right = st.columns(3)


def percent_slider(column, label: str, share: float, step: int, name: str) -> float:
    return column.slider(label, 0, 100, round(share * 100), step, key=f"{key}_{name}", format="%d%%") / 100


attribution = percent_slider(left, "Share of the benefit attributed to the program", scenario.attribution, 5,
                             "attribution")  # fmt: skip
confidence = percent_slider(middle, "Confidence in these estimates", scenario.confidence, 5, "confidence")
baseline = percent_slider(right, "Baseline turnover: share of comparable staff who leave within a year",
                          scenario.baseline_turnover, 1, "baseline")  # fmt: skip
current = Scenario(value_active, value_idea, value_mentor, attribution, confidence, baseline)
# inputs changed and not saved are not the scenario's: its name alone would stand for numbers it does not hold
edited = any(abs(getattr(current, field) - getattr(scenario, field)) > 1e-9 for field in SCENARIO_FIELDS)
scenario_label = f"'{chosen}'" + (" with unsaved changes" if edited else "")

with st.expander("Save these assumptions as a scenario"):
    new_name = st.text_input("Scenario name", value=chosen if len(picked) else "", key="roi_new_name").strip()
    save, rename = st.columns(2)
    if save.button("Save", disabled=not new_name, help="Creates the scenario, or updates it if the name exists."):
        saved_then(save_scenario, new_name, current)
        st.session_state["roi_pick"] = new_name
        st.rerun()
    taken = new_name in scenario_names and new_name != chosen
    if rename.button(f"Rename '{chosen}' to this name", disabled=not len(picked) or not new_name or taken):
        saved_then(rename_scenario, chosen, new_name)
        st.session_state["roi_pick"] = new_name
        st.rerun()
    if taken:
        st.caption("A scenario with this name exists: pick another name to rename.")
if "roi_message" in st.session_state:
    st.warning(st.session_state.pop("roi_message"))

mentors_ended, mentors_counted = int(outcomes["mentors_ended"]), int(outcomes["mentors_counted"])
# retention is known once the year after the pair's end is over; mentors enter the counts in groups of one cohort
# and mentee level (privacy_mentors), so that who left is never told by a count that grew by one
mentors_year_over, year_counted = int(outcomes["mentors_year_over"]), int(outcomes["mentors_year_counted"])
mentors_left = int(outcomes["mentors_left"])
retention_known = year_counted > 0
retained = stats.retained_beyond_baseline(year_counted, mentors_left, baseline) if retention_known else 0.0
NEWLY_ACTIVE = "Executives newly active on social media"
has_activity = ui.loaded("social_activity")
# counts the page cannot give yet, and why (blank in the export, not a 0 that reads as a fact)
not_known = {NEWLY_ACTIVE: "no social activity loaded"} if not has_activity else {}
if has_activity and not outcomes["mentees_observed"]:
    not_known[NEWLY_ACTIVE] = (
        f"no group of {min_group()} mentees of one cohort and level with activity before and after the program yet"
    )
if not held["released"]:
    not_known["Ideas logged in sessions"] = "no session released yet" if held["held"] else "no session held yet"
if not retention_known:
    not_known["Mentors retained beyond the baseline turnover"] = (
        f"under {min_group()} mentors of one cohort and level a year past their pair"
        if mentors_year_over
        else "no mentor a year past their pair yet"
    )
benefit_rows = [
    (NEWLY_ACTIVE, float(outcomes["newly_active"]), value_active),
    ("Ideas logged in sessions", float(outcomes["ideas"]), value_idea),
    ("Mentors retained beyond the baseline turnover", retained, value_mentor),
]


def total_benefit(share: float, sure: float) -> float:
    return sum(stats.monetised_benefit(count, value, share, sure) for _, count, value in benefit_rows)


result = stats.roi(total_cost, total_benefit(attribution, confidence))

waiting = mentors_ended - mentors_year_over


def in_no_group_yet(count: int) -> str:
    """Mentors not counted until their cohort and mentee level have a group of them, said as such."""
    verb = "waits" if count == 1 else "wait"
    return f"{ui.counted(count, 'more mentor')} {verb} for a group of {min_group()} of their cohort and mentee level"


not_known_yet = (
    ""
    if not waiting
    else "; 1 more mentor's pair ended less than a year before, so whether the mentor stayed is not known yet"
    if waiting == 1
    else f"; {waiting:,} more mentors' pairs ended less than a year before, so whether they stayed is not known yet"
) + (
    f"; {in_no_group_yet(mentors_year_over - year_counted)}"
    if retention_known and mentors_year_over > year_counted
    else ""
)
if held["released"] < held["held"]:
    st.info(
        f"Session time and ideas count {held['released']:,} of the {held['held']:,} sessions held: a session enters "
        f"once at least {min_group()} pairs of its cohort and mentee level have held that session with the same "
        "things logged, so that no one's log can be worked out. The others enter as their groups fill, and the ROI "
        "moves with them."
    )
in_scope = read.cohorts_as_of(source, filters)
with_pairs = set(read.composition(source, filters)["cohort_id"])  # cohorts with pairs in the filters
running = in_scope[in_scope["is_running"] & in_scope["cohort_id"].isin(with_pairs)]
# a cohort with pairs but no listed cost (coordination, devices, events) counts session time only: the ROI reads high
listed = set(costs.loc[~costs["category"].str.endswith("time in sessions"), "cohort_id"])
unlisted = in_scope[in_scope["cohort_id"].isin(with_pairs - listed)]["cohort_name"].tolist()
if unlisted:
    it, its = ("it", "its") if len(unlisted) == 1 else ("them", "their")
    st.warning(
        "No listed costs for " + ", ".join(map(markdown_safe, unlisted)) + f": only session time is counted for {it},"
        f" so {its} costs are understated. Add {its} rows to costs.csv (coordination, devices, events) and load it."
    )
if len(uncosted):
    names = ui.cohort_labels()
    lost = "; ".join(f"{row.role}s of {markdown_safe(names.get(row.cohort_id, row.cohort_id))} "
                     f"({ui.number(row.hours, 1)} hours)" for row in uncosted.itertuples())  # fmt: skip
    st.warning(
        f"Session time not costed, so costs are understated: {lost}. Time is costed at the mean hourly cost of at "
        f"least {min_group()} people of a role in a cohort and mentee level, so that no one's cost can be worked out;"
        " these have fewer with a known hourly_cost in participants.csv."
    )
if not running.empty:
    st.info(
        f"{ui.counted(len(running), 'cohort')} in these filters still running ("
        + ", ".join(map(markdown_safe, running["cohort_name"]))
        + f"): {'its' if len(running) == 1 else 'their'} costs so far are counted, while most benefits come once "
        "pairs end (retention a year after, "
        "adoption in the months after). The ROI of a running program reads low."
    )
# with no benefit known yet, a ratio of 0 and an ROI of -100% would read as a verdict: n/a, and why
benefit_known = len(not_known) < len(benefit_rows)
row = st.columns(4)
row[0].metric("Fully loaded costs", f"${result.costs:,.0f}" if result.costs else "n/a")
if not result.costs:
    row[0].caption("No cost yet: load costs.csv with the listed costs; session time counts once sessions are released.")
row[1].metric("First-year benefits", f"${result.benefits:,.0f}" if benefit_known else "n/a")
row[2].metric("Benefit-cost ratio", ui.number(result.bcr) if benefit_known else "n/a")
row[3].metric("ROI", ui.roi_percent(result.roi_percent) if benefit_known else "n/a")
if not_known:
    st.caption(
        ("No benefit is known yet" if not benefit_known else "Left out until known, so the ROI reads low")
        + ": "
        + "; ".join(f"{label.lower()} ({why})" for label, why in not_known.items())
        + "."
    )
ui.caption(
    f"Phillips ROI, scenario {scenario_label}",
    f"{ui.counted(int(outcomes['mentors']), 'mentor')} and their mentees",
    "BCR = benefits / costs; ROI % = (benefits - costs) / costs x 100; first-year benefits only. Mentors retained = "
    + (
        f"mentors whose pair ended a year or more before the as-of date ({year_counted:,}) who had not left "
        f"within that year ({year_counted - mentors_left:,}), minus the {1 - baseline:.0%} expected to stay anyway"
        if retention_known
        else f"counted once {min_group()} mentors of one cohort and mentee level had their pairs end a year or more "
        f"before the as-of date ({mentors_year_over:,} so far), so that no one's leaving can be told"
    )
    + not_known_yet
    + f". {costed_sessions}",
)
ui.plain_table(  # wraps: a reason in the Count column never pushes the values off the screen
    pd.DataFrame(
        [
            {
                "Outcome": label,
                "Count": not_known.get(label) or ui.number(count, 0 if count == int(count) else 2),  # 0.15 as counted
                "Value each": f"${value:,.0f}",
                "Counted": "n/a"
                if label in not_known
                else f"${stats.monetised_benefit(count, value, attribution, confidence):,.0f}",
            }
            for label, count, value in benefit_rows
        ]
    ),
)

# the export: every number the page shows, as numbers, with the scenario that produced them
# blank where the page says n/a or why a count is not known, with the reason beside it
unknown = float("nan")
no_cost = "" if result.costs else "no cost yet"
no_benefit = "" if benefit_known else "no benefit known yet"
summary = [("Fully loaded costs", result.costs or unknown, "US dollars", no_cost),
           ("First-year benefits", result.benefits if benefit_known else unknown, "US dollars", no_benefit),
           ("Benefit-cost ratio", result.bcr if benefit_known else unknown, "ratio", no_cost or no_benefit),
           ("ROI", result.roi_percent if benefit_known else unknown, "percent", no_cost or no_benefit)]  # fmt: skip
for label, count, value in benefit_rows:
    why = not_known.get(label, "")
    counted = stats.monetised_benefit(count, value, attribution, confidence)
    summary += [(f"{label}: count", unknown if why else count, "people or ideas", why),
                (f"{label}: counted", unknown if why else counted, "US dollars", why)]  # fmt: skip
ui.downloads(
    pd.DataFrame(summary, columns=["Measure", "Value", "Unit", "Not shown because"]), "program-roi",
    ui.export_metadata(
        "Program ROI (Phillips method)", "BCR = benefits / costs; ROI % = (benefits - costs) / costs x 100; "
        "first-year benefits only; benefit = count x value x attribution x confidence",
        ROI_scenario=f"{scenario_label}: ${value_active:,.0f} per executive newly active, ${value_idea:,.0f} per idea, "
        f"${value_mentor:,.0f} per mentor retained beyond the baseline; attribution {attribution:.0%}, confidence "
        f"{confidence:.0%}, baseline turnover {baseline:.0%}",
    ),
    formats={"Value": "#,##0.00"}, kinds=("csv", "xlsx"),
)  # fmt: skip

st.subheader("Costs by category")
by_category = (
    costs.groupby("category", as_index=False)["amount"].sum().round().sort_values("amount")
)  # the dollars shown
figure = go.Figure(go.Bar(x=by_category["amount"], y=by_category["category"], orientation="h", marker_color="#1f77b4"))
ui.chart(charts.layout(figure, "Fully loaded costs by category", "", "US dollars"))
ui.caption("Costs by category", "1 cost line" if len(costs) == 1 else f"{len(costs):,} cost lines", costed_sessions)

st.subheader("How sensitive is the ROI to the assumptions?")
if benefit_known:
    shares = [0.1, 0.25, 0.5, 0.75]
    sures = [0.25, 0.5, 0.75, 1.0]
    grid = pd.DataFrame(
        [[stats.roi(total_cost, total_benefit(a, c)).roi_percent for a in shares] for c in sures],
        index=[f"{c:.0%} confidence" for c in sures],
        columns=[f"{a:.0%} attributed" for a in shares],
    ).round(2)  # the chart carries the values shown, with the decimals roi_percent may need
    heat = go.Figure(go.Heatmap(z=grid.values, x=list(grid.columns), y=list(grid.index), colorscale="RdBu",
                                zmid=0, text=grid.map(ui.roi_percent).values, texttemplate="%{text}"))  # fmt: skip
    heat.update_yaxes(autorange="reversed")  # 25% confidence on top, as its table reads
    ui.chart(charts.layout(heat, "ROI % for other attribution and confidence", "", ""))
    ui.caption(
        "ROI % across assumptions",
        "values as above",
        "Each cell recomputes benefits with its attribution and confidence.",
    )
else:
    st.caption("Shown once a benefit is known (above).")

st.subheader("Intangible benefits (not converted to money)")
promoted = int(outcomes["mentors_promoted"])
mentor_line = (
    f"Mentors' exposure to senior leaders: {promoted:,} of {mentors_counted:,} mentors of ended pairs were promoted "
    "after matching, by the as-of date and within a year of their pair's end"
    + (f" ({in_no_group_yet(mentors_ended - mentors_counted)})" if mentors_ended > mentors_counted else "")
    if mentors_counted
    else f"Mentors' exposure to senior leaders: promotions show once {min_group()} mentors of one cohort and mentee "
    f"level have had their pairs end ({mentors_ended:,} so far), so that no one's promotion can be told"
)
surveyed = " (see Survey outcomes)" if read.has_survey_answers(source, filters) else " (no survey answers yet)"
st.markdown(
    f"- Intergenerational understanding and a more inclusive culture{surveyed}\n"
    "- Executives' visibility and credibility with younger employees and customers online\n"
    f"- {mentor_line}\n"
    "- Ideas for products and services that are not yet implemented"
)
