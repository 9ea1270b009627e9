"""Pair health for coordinators: which pairs are drifting, and why?"""

import streamlit as st

from pages import charts, ui
from pages.access import require_page
from warehouse import read
from warehouse.export import csv_bytes

STATUSES = ["At risk", "Needs check-in", "Too early to tell", "On track", "Completed", "Ended early"]

require_page(__file__)  # who may open it: warehouse/access.py
st.title("Which pairs need a check-in?")
st.write(
    "Every pair with its health status and the reasons in words. Rules are cadence-aware: a pair is overdue when "
    "its last session was more than 1.5 cadences ago, at risk with two reasons or more than 3 cadences."
)

source, filters = ui.source(), ui.filters()
names = ui.cohort_names()
pairs = read.pair_health(source, filters)
pairs["cohort"] = pairs["cohort_id"].map(names)

chosen = st.multiselect(
    "Status", STATUSES, default=["At risk", "Needs check-in"], key="health_status", bind="query-params",
    help="Completed and ended pairs are never flagged.",
)  # fmt: skip
shown = pairs[pairs["health_status"].isin(chosen)] if chosen else pairs
counts = pairs["health_status"].value_counts()
st.write(" · ".join(f"**{status}**: {counts.get(status, 0)}" for status in STATUSES))

columns = {
    "pair_id": "Pair", "cohort": "Cohort", "mentor": "Mentor", "mentee": "Mentee", "health_status": "Status",
    "reasons_text": "Why", "last_held_on": "Last session", "days_overdue": "Days overdue",
    "next_scheduled_on": "Next scheduled", "held": "Held", "unrecorded": "Unrecorded",
}  # fmt: skip
table = shown[list(columns)].rename(columns=columns)
st.dataframe(
    table, hide_index=True,
    column_config={"Last session": st.column_config.DateColumn(format="D MMM YYYY"),
                   "Next scheduled": st.column_config.DateColumn(format="D MMM YYYY")},
)  # fmt: skip
ui.caption(
    "Pairs by health status",
    f"{len(shown):,} of {len(pairs):,} pairs shown",
    "Rules: never started (no session 14 days after matching), overdue (over 1.5 cadences since the last session), "
    "two missed or cancelled in a row, mentee absent from 2 of the last 3, trust falling (last two ratings 2 or "
    "less, or 2 below the pair's best), stalled (no aha moment after 4 sessions). Sorted by urgency.",
)
st.download_button(
    "Download this check-in list (CSV)", csv_bytes(table), file_name=f"check-in-list-{ui.as_of():%Y-%m-%d}.csv",
    mime="text/csv",
)  # fmt: skip

st.subheader("One pair in detail")
if shown.empty:
    st.info("No pair has the chosen status.")
else:
    labels = {
        row.pair_id: f"{row.pair_id}: {row.mentor} and {row.mentee} ({row.health_status})" for row in shown.itertuples()
    }
    pair_id = st.selectbox("Pair", list(labels), format_func=labels.get, key="pair_detail")
    detail = read.pair_sessions(source, filters, pair_id)
    picked = shown[shown["pair_id"] == pair_id].iloc[0]
    st.write(f"**{picked['health_status']}**" + (f": {picked['reasons_text']}" if picked["reasons_text"] else ""))
    ui.chart(charts.session_timeline(detail))
    ui.caption("Sessions of one pair", f"{len(detail)} sessions", "Held, missed, cancelled, unrecorded or upcoming.")
    notes = detail.dropna(subset=["notes"])[["session_no", "notes"]]
    st.markdown("**Mentor's notes** (coordinators only)")
    if notes.empty:
        st.caption("No notes for this pair.")
    else:
        st.dataframe(notes.rename(columns={"session_no": "Session", "notes": "Note"}), hide_index=True)
