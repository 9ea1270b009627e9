"""Pair health for coordinators: which pairs are drifting, and why? Who to call, and when they were last called."""

from datetime import date

import pandas as pd
import streamlit as st

from etl.load import LoadBusy
from etl.saved import save_contact
from pages import charts, ui
from pages.access import require_page
from pages.plain import markdown_safe
from warehouse import read

STATUSES = ["At risk", "Needs check-in", "Too early to tell", "On track", "Completed", "Ended early"]
LIST_ROWS = 200  # the table a coordinator reads; the CSV has every pair shown, up to read.PAIR_LIST_LIMIT

require_page(__file__)  # who may open it: warehouse/access.py
st.title("Which pairs need a check-in?")
st.write(
    "Every pair with its health status and the reasons in words. Rules are cadence-aware: a pair is overdue when "
    "its last session was more than 1.5 cadences ago, at risk with two reasons or more than 3 cadences. Pick a pair "
    "below for its sessions, contacts and notes, and to record a call."
)

source, filters = ui.source(), ui.filters()
names = ui.cohort_names()


def day(value) -> str:
    return "" if pd.isna(value) else f"{pd.Timestamp(value):%d %b %Y}"


def when_due(row) -> str:
    """The overdue count in words: days since the last session against the pair's cadence."""
    if row.health_status in ("Completed", "Ended early"):
        why = f" ({row.end_reason})" if isinstance(row.end_reason, str) and row.end_reason.strip() else ""
        closed = f" on {day(row.closed_on)}" if not pd.isna(row.closed_on) else ""
        return f"{row.health_status}{closed}{why}: no session is due."
    next_one = f" Next scheduled: {day(row.next_scheduled_on)}." if not pd.isna(row.next_scheduled_on) else ""
    if pd.isna(row.last_held_on):
        return f"No session held yet; sessions are planned every {row.cadence_days} days.{next_one}"
    due = f"so the next was due {row.days_overdue} days ago" if row.days_overdue > 0 else "so the next is not due yet"
    return (
        f"Last session {row.days_since_last_held} days ago ({day(row.last_held_on)}); sessions are every "
        f"{row.cadence_days} days, {due}.{next_one}"
    )


chosen = st.multiselect(
    "Status", STATUSES, default=["At risk", "Needs check-in"], key="health_status", bind="query-params",
    help="Completed and ended pairs are never flagged.",
)  # fmt: skip
counts = read.pair_health_counts(source, filters)
st.write(" · ".join(f"**{status}**: {counts.get(status, 0):,}" for status in STATUSES))
shown = read.pair_health(source, filters, tuple(chosen))
shown["cohort"] = shown["cohort_id"].map(names)
contacts = read.pair_contacts(source, filters)
last_contact = contacts.drop_duplicates("pair_id").rename(columns={"note": "contact_note"})
shown = shown.merge(last_contact, on="pair_id", how="left")  # keeps the urgency order of the left side
with_status = int(counts[counts.index.isin(chosen)].sum() if chosen else counts.sum())

check_in = pd.DataFrame(
    {
        "Pair": shown["pair_id"], "Mentee": shown["mentee"], "Mentor": shown["mentor"],
        "Status": shown["health_status"], "Why": shown["reasons_text"].replace("", "-"),
        "Last contact": [": ".join(filter(None, [day(d), "" if pd.isna(n) else n]))
                         for d, n in zip(shown["contacted_on"], shown["contact_note"], strict=True)],
    }
)  # fmt: skip
if check_in.empty:
    st.success(f"No pair has the chosen status ({', '.join(chosen) or 'any'}) as of {ui.as_of():%d %B %Y}.")
else:
    ui.plain_table(check_in.head(LIST_ROWS))  # a plain table wraps long reasons: nothing is cut off
ui.caption(
    "Pairs by health status",
    f"{with_status:,} of {int(counts.sum()):,} pairs {'has' if with_status == 1 else 'have'} the chosen status"
    + (f"; the {LIST_ROWS} most urgent are listed here" if with_status > LIST_ROWS else "")
    + (f", the {len(shown):,} most urgent in the CSV" if with_status > len(shown) else ""),
    "Rules: never started (no session 14 days after matching), overdue (over 1.5 cadences since the last session), "
    "two missed or cancelled in a row, mentee absent from 2 of the last 3, trust falling (last two ratings 2 or "
    "less, or 2 below the pair's best), stalled (no aha moment after 4 sessions). Sorted by urgency.",
)
export = pd.DataFrame(
    {
        "Pair": shown["pair_id"], "Cohort": shown["cohort"], "Mentee": shown["mentee"],
        "Mentee email": shown["mentee_email"], "Mentor": shown["mentor"], "Mentor email": shown["mentor_email"],
        "Status": shown["health_status"], "Why": shown["reasons_text"], "Last session": shown["last_held_on"].dt.date,
        "Days since last session": shown["days_since_last_held"], "Cadence (days)": shown["cadence_days"],
        "Days past due": shown["days_overdue"], "Next scheduled": shown["next_scheduled_on"].dt.date,
        "Held": shown["held"], "Unrecorded": shown["unrecorded"], "Last contacted on": shown["contacted_on"].dt.date,
        "Contact note": shown["contact_note"],
    }
)  # fmt: skip
if shown.empty:  # said above, not handed out as an empty file
    st.stop()
ui.downloads(
    export, "check-in-list",
    ui.export_metadata(
        "Check-in list (names and emails: for coordinators only)", "Health rules as in the page's caption",
        statuses=", ".join(chosen) or "all",
    ),
    kinds=("csv",),
)  # fmt: skip

st.subheader("One pair in detail")
# built column-wise: row by row, up to 10,000 pairs' dates were converted on every rerun (0.15 s of a warm page)
names_of = {column: shown[column].fillna("") for column in ("mentee", "mentor")}
label_text = shown["pair_id"] + ": " + names_of["mentee"] + " and " + names_of["mentor"]
labels = dict(zip(shown["pair_id"], label_text + " (" + shown["health_status"] + ")", strict=True))
pair_id = st.selectbox("Pair", list(labels), format_func=labels.get, key="pair_detail")
picked = shown[shown["pair_id"] == pair_id].iloc[0]
st.write(f"**{picked['health_status']}**" + (f": {picked['reasons_text']}" if picked["reasons_text"] else ""))
st.write(when_due(picked))
st.write(
    f"Cohort {markdown_safe(picked['cohort'])}; {picked['held']} of {picked['planned_sessions']} planned sessions "
    f"held, {picked['unrecorded']} due but not recorded."
)
ui.plain_table(
    pd.DataFrame({"Role": ["Mentee", "Mentor"], "Name": [picked["mentee"], picked["mentor"]],
                  "Email": [picked["mentee_email"], picked["mentor_email"]]})
)  # fmt: skip

detail = read.pair_sessions(source, filters, pair_id)
if detail.empty:
    st.info("No session of this pair is in sessions.csv yet: once its sessions are scheduled there, they show here.")
else:
    ui.chart(charts.session_timeline(detail))
    ui.caption("Sessions of one pair", ui.counted(len(detail), "session"),
               "Held, missed, cancelled, unrecorded or upcoming.")  # fmt: skip


def contact_saved(pair: str, contacted: date, as_of: date | None) -> str:
    """What saving a contact did, and when the page shows it: at the data date (as_of None) at once, as of an earlier
    date from its day on."""
    said = f"Recorded the contact of {contacted:%d %B %Y} with {pair}."
    if as_of is None or contacted <= as_of:
        return said
    return f"{said} It shows here from that day on: set the as-of date in the sidebar to it or later, or clear it."


st.markdown("**Contacts** (coordinators only)")
history = contacts[contacts["pair_id"] == pair_id]
if history.empty:
    st.caption("No contact with this pair recorded yet (by the as-of date, when one is chosen).")
else:
    shown = history.assign(contacted_on=history["contacted_on"].map(day))
    ui.plain_table(shown.rename(columns={"contacted_on": "Contacted on", "note": "Note"})[["Contacted on", "Note"]])
if "contact_message" in st.session_state:
    st.success(st.session_state.pop("contact_message"))
with st.form("contact", clear_on_submit=True, border=False):
    left, right = st.columns([1, 3])
    # the day of the call: today unless said otherwise, never a day to come (nor before 1990, as loaded dates)
    contacted_on = left.date_input(
        "Contacted on", value=date.today(), min_value=date(1990, 1, 1), max_value=date.today(), format="YYYY/MM/DD",
        key="contact_on",
    )  # fmt: skip
    note = right.text_input(
        "Note", max_chars=200, placeholder="e.g. called the mentee, next session booked", key="contact_note"
    )
    if st.form_submit_button("Record this contact", icon=":material/call:", key="contact_save"):
        try:
            save_contact(source.path, pair_id, contacted_on, note)
            st.session_state["contact_message"] = contact_saved(pair_id, contacted_on, filters.as_of)
            ui.wrote()
            st.rerun()
        except LoadBusy:
            st.warning("A data load is running: record the contact again in a minute.")
st.caption(
    "At the data date (the sidebar's default) every contact shows, also one made after the loaded data ends; as of "
    "an earlier date, the contacts made by then."
)

notes = detail.dropna(subset=["notes"])[["session_no", "notes"]]
st.markdown("**Mentor's notes** (coordinators only)")
if notes.empty:
    st.caption("No notes for this pair.")
else:
    ui.plain_table(notes.rename(columns={"session_no": "Session", "notes": "Note"}))  # wraps: a long note is read whole
