"""Overview for leadership: is the program working?"""

import pandas as pd
import streamlit as st

from pages import charts, ui
from pages.access import page_link, require_page
from warehouse import read, stats
from warehouse.privacy import min_group

require_page(__file__)  # who may open it: warehouse/access.py
st.title("Is the program working?")
st.write("Pairs, attendance, learning and social-media adoption for the cohorts selected in the sidebar.")

source, filters = ui.source(), ui.filters()
ui.require("sessions")
held_back = read.quarantined_rows(source)
if held_back:
    st.warning(
        f"{held_back:,} {'row' if held_back == 1 else 'rows'} of the latest loads {'is' if held_back == 1 else 'are'}"
        " in quarantine and not in these figures: the Data page lists them with their problems.",
        icon=":material/warning:",
    )
summary = read.cohort_summary(source, filters)
summary["cohort_name"] = summary["cohort_id"].map(ui.cohort_labels())
recorded = summary["sessions_recorded"].sum()
# rates over the sessions released to aggregates: groups of at least the minimum pairs (warehouse/privacy.py)
released_held, released = summary["released_held"].sum(), summary["released_recorded"].sum()
pairs, running = summary["pairs"].sum(), summary["pairs_in_progress"].sum()
completed, ended_early = summary["pairs_completed"].sum(), summary["pairs_ended_early"].sum()

row = st.columns(4)
row[0].metric("Pairs in progress", f"{running:,}")
row[1].metric("Pairs completed", f"{completed:,}")
row[2].metric("Attendance rate", ui.percent(released_held / released if released else float("nan")))
if recorded and not released:
    row[2].caption(
        f"Held back: a session counts once {min_group()} pairs of its cohort and mentee level have had it, so that "
        f"no one's attendance can be worked out. A cohort with fewer than {min_group()} pairs at each level never "
        "shows it."
    )
known = completed + ended_early
# a rate over fewer pairs than the minimum group would read as a verdict on one or two pairs
row[3].metric(
    "Completion rate",
    ui.percent(completed / known) if known >= min_group() else "too early",
    help="Completed out of the pairs whose outcome is known (completed or ended early); running pairs are not in it.",
)
row[3].caption(
    f"{ui.counted(known, 'pair')} with a known outcome; {running:,} still running"
    + ("" if known >= min_group() else f". The rate shows once {min_group()} pairs have ended.")
)
ui.caption(
    "Pairs and sessions",
    f"{pairs:,} pairs, {recorded:,} sessions held, missed or cancelled",
    f"Attendance = held / (held + missed + cancelled) up to the as-of date, over the {released:,} sessions released "
    f"in groups of at least {min_group()} pairs. A pair is completed when marked "
    "completed, when it held all planned sessions, or all but one once its cohort ended; completion rate = "
    "completed / (completed + ended early).",
)

# headline survey change: the mean over constructs of each construct's mean change (0-100 scale), each over the
# people Survey outcomes shows for it; its 95% interval's half-width is the mean of the constructs' t half-widths, an
# upper bound whatever the constructs' correlation (the SD of a mean of means is at most the mean of their SDs)
changes = read.scaled_change(source, filters, "pre")
changes = changes[changes["people"] >= min_group()]
people = int(changes["people"].max()) if len(changes) else 0
mean_change = changes["mean_change"].mean()
halves = [stats.t_half_width(int(n), sd) for n, sd in zip(changes["people"], changes["sd_change"], strict=True)]
half = sum(halves) / len(halves) if halves else float("nan")

windows = read.expand(read.adoption_windows(source, filters), "people")
mentees = windows[(windows["group_name"] == "mentee")].dropna(subset=["pre", "post"])

row = st.columns(3)
if people >= min_group():
    row[0].metric(
        "Survey score change (on a 0-100 scale)",
        ui.signed(mean_change, 1),
        help="Mean over the constructs of each construct's mean change from pre to post, each scaled to 0-100.",
    )
    low, high = mean_change - half, mean_change + half
    counts = sorted({int(n) for n in changes["people"]})
    n = f"{counts[0]:,}" if len(counts) == 1 else f"{counts[0]:,} to {counts[-1]:,}"
    row[0].caption(
        f"95% CI {ui.number(low, 1)} to {ui.number(high, 1)} (conservative: the exact interval is at most this "
        "wide); "
        f"{ui.counted(len(changes), 'construct')}, n = {n} people each"
    )
else:
    answers = read.has_survey_answers(source, filters)
    row[0].metric("Survey score change (on a 0-100 scale)", "held back" if answers else "no survey")
    row[0].caption(
        f"Answers count in groups of {min_group()} people of one cohort and mentee level who answered both the pre "
        f"and the post survey, so that no one is singled out: no such group yet. A cohort with fewer than "
        f"{min_group()} mentees at each level never shows one."
        if answers
        else f"No survey answers by {ui.as_of():%d %B %Y}: survey_responses.csv (with survey_items.csv) brings them."
    )
if len(mentees) >= min_group():
    row[1].metric(
        "Mentees active on social media",
        f"{ui.percent(mentees['pre'].mean())} → {ui.percent(mentees['post'].mean())}",
        help="Share of months active on any platform, 3 months before the start vs 3 months after the end.",
    )
    row[1].caption(f"n = {len(mentees)} mentees with both windows observed")
else:
    row[1].metric("Mentees active on social media", "n/a")
    row[1].caption(
        f"Mentees count in groups of {min_group()} of one cohort and level with both windows observed: none yet."
        if ui.loaded("social_activity")
        else "No social activity loaded: social_activity.csv brings it."
    )
attention = int(summary["pairs_needing_attention"].sum())
row[2].metric("Pairs needing attention", f"{attention:,}")
page_link(row[2], "pages/pair_health.py", label="Open Pair health", icon=":material/health_and_safety:")

st.subheader("Cohorts at a glance")
colours = ui.cohort_colours()
table = summary.assign(
    attendance=summary["attendance_rate"].map(ui.percent),
    # a running cohort's rate would only count its few pairs with an outcome yet: say so instead
    completion=[
        f"running ({row.pairs_completed + row.pairs_ended_early} of {row.pairs} ended)" if row.is_running
        else ui.percent(row.completion_rate) if row.pairs_completed + row.pairs_ended_early >= min_group()
        else f"under {min_group()} ended pairs"  # as the headline: not a verdict on one or two pairs
        for row in summary.itertuples()
    ],
)  # fmt: skip
ui.plain_table(  # wraps: a long cohort name never pushes the last columns off the screen
    table[["cohort_name", "pairs", "pairs_in_progress", "pairs_completed", "pairs_needing_attention", "attendance",
           "completion"]].rename(columns={"cohort_name": "Cohort", "pairs": "Pairs", "pairs_in_progress": "In progress",
                                          "pairs_completed": "Completed", "pairs_needing_attention": "Need attention",
                                          "attendance": "Attendance", "completion": "Completion"}),
)  # fmt: skip
figure = charts.bars_by_cohort(summary, "attendance_rate", colours, "Attendance rate by cohort", "Attendance",
                               percent_axis=True)  # fmt: skip
ui.chart(figure)
ui.caption("Attendance rate by cohort", f"{pairs:,} pairs", "Held / (held + missed + cancelled), pooled over sessions.")
info = read.info(source)
data_date = (  # none before a session is held, a survey answered or a month of activity loaded
    f"data date {info['data_date']:%d %B %Y}" if pd.notna(info["data_date"])
    else "no data date yet (no session held, survey answered or activity month loaded)"
)  # fmt: skip
st.caption(f"Data freshness: {data_date}; last load {info['last_load']:%d %B %Y %H:%M}.")
