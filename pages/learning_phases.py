"""Learning phases: do pairs move from trust to aha moments to brainstorming?"""

import pandas as pd
import streamlit as st

from pages import charts, ui
from pages.access import require_page
from warehouse import read, stats
from warehouse.privacy import min_group

require_page(__file__)  # who may open it: warehouse/access.py
st.title("Do pairs move from trust to insight to ideas?")
st.write(
    "The program's learning runs through three phases: gaining trust, 'aha moments', then creative brainstorming. "
    "Each chart follows held sessions by their number in the program."
)

source, filters = ui.source(), ui.filters()
ui.require("sessions")
names, colours = ui.cohort_labels(), ui.cohort_colours()
sessions = read.sessions_by_number(source, filters)
# a session number a cohort has no released row for is a gap in its line, not a straight line across it
numbers = range(1, int(sessions["session_no"].max()) + 1) if len(sessions) else range(0)
every = pd.MultiIndex.from_product([sessions["cohort_id"].unique(), numbers], names=["cohort_id", "session_no"])
sessions = sessions.set_index(["cohort_id", "session_no"]).reindex(every).reset_index()
sessions["cohort_name"] = sessions["cohort_id"].map(names)
# a t-interval from the mean and SD, so no rating leaves the warehouse; every row covers whole groups of at least
# the minimum pairs (warehouse/models/as_of/privacy_sessions.sql), so none needs hiding here
half = [stats.t_half_width(n, sd) for n, sd in zip(sessions["rated"], sessions["sd_trust"], strict=True)]
# a mean rating lies in 1 to 5: a t-interval over few ratings can reach past the scale, and is cut at its ends
sessions["trust_low"] = (sessions["mean_trust"] - half).clip(lower=1)
sessions["trust_high"] = (sessions["mean_trust"] + half).clip(upper=5)
measures = ["mean_trust", "trust_low", "trust_high", "aha_share", "ideas_per_session"]
sessions[measures] = sessions[measures].round(3)  # charts carry the values shown, not the float noise of a sum
funnel = read.phase_funnel(source, filters)
funnel["cohort_name"] = funnel["cohort_id"].map(names)
if sessions.empty and funnel["trust"].sum():  # sessions were held (every pair that held one reached trust)
    st.info(
        f"No session is in these charts yet: a session enters once at least {min_group()} pairs of its cohort and "
        "mentee level have held that session and logged the same things (a rating, an aha, ideas), so that no one's "
        "ratings or log can be worked out. The funnel below counts every pair."
    )
# over every held session: whether a phase was logged is no one's secret
method = "derived from the session number for some sessions" if funnel["any_derived_phase"].any() else "as logged"

indicator = st.radio(
    "Indicator", ["Trust", "Aha moments", "Ideas"], horizontal=True, key="phase_indicator",
    help="Trust = mean rating 1-5 with its 95% CI; aha = share of sessions with an aha moment; ideas per session.",
)  # fmt: skip
if indicator == "Trust":
    figure = charts.lines_with_ci(sessions, "session_no", "mean_trust", colours, "Mean trust rating by session",
                                  "Session number", "Trust (1-5)", "trust_low", "trust_high")  # fmt: skip
elif indicator == "Aha moments":
    figure = charts.lines_with_ci(sessions, "session_no", "aha_share", colours, "Sessions with an aha moment",
                                  "Session number", "Share of sessions", percent_axis=True)  # fmt: skip
else:
    figure = charts.lines_with_ci(sessions, "session_no", "ideas_per_session", colours, "Ideas per session",
                                  "Session number", "Ideas")  # fmt: skip
ui.chart(figure.update_xaxes(dtick=1))  # whole session numbers, never 1.2
ui.caption(
    f"{indicator} by session number and cohort",
    f"{ui.counted(int(sessions['held'].sum()), 'held session')} of "
    f"{ui.counted(int(sessions.groupby('cohort_id')['pairs'].max().sum()), 'pair')} released"
    if len(sessions)
    else "no held session released yet",
    f"Sessions enter in groups of at least {min_group()} pairs of one cohort and mentee level that logged the same "
    "things (a rating, an aha, ideas), in the order they became known, so that no view singles anyone out. "
    + ("Trust: 95% t-interval, cut at the scale's ends (1 and 5). " if indicator == "Trust" else "")
    + f"Phase {method}.",
)

st.subheader("How far do pairs get?")
ui.chart(charts.funnel(funnel, colours))
ui.caption(
    "Share of each cohort's pairs that reached each phase",
    f"{funnel['pairs'].sum():,} pairs",
    "A pair reached a phase when it held a session in that phase or a later one, so the funnel never widens; every "
    "held session counts. Indicator present, over the pairs with a session of the phase released (in groups of at "
    f"least {min_group()} pairs): a trust-phase session rated 4 or 5; an aha moment in an insight-phase session; at "
    f"least one idea in a brainstorming-phase session. Phase {method}.",
)


def indicator_share(row, step: str) -> str:
    """Of the pairs with a session of the phase released to aggregates, the share with the indicator present."""
    released, present = getattr(row, f"{step}_released"), getattr(row, f"{step}_present")
    if not getattr(row, step):
        return "n/a"
    if not released:
        return f"hidden (sessions enter in groups of {min_group()} pairs)"
    return f"{ui.percent(present / released)} of {released:,} pairs"


steps = pd.DataFrame(
    [
        {"Cohort": row.cohort_name, "Pairs": row.pairs, "Phase": label.removeprefix("Reached "),
         "Reached": getattr(row, step), "Share of pairs": ui.percent(getattr(row, step) / row.pairs),
         "With the indicator": indicator_share(row, step)}
        for row in funnel.itertuples() for step, label in charts.FUNNEL_STEPS.items()
    ]
)  # fmt: skip
ui.plain_table(steps)  # wraps: a long cohort name never pushes the last column off the screen

st.subheader("When does the first aha moment come?")
first = read.first_aha(source, filters)
# every session up to the last with a first aha, per cohort: a session where no pair had its first is 0, not a gap
# that a line would draw across; shares of each cohort's pairs, so a cohort of 5 reads beside one of 400
up_to = range(1, int(first["first_aha_session"].max()) + 1) if len(first) else range(0)
first = (
    first.set_index(["cohort_id", "first_aha_session"])["pairs"]
    .unstack(fill_value=0).reindex(columns=up_to, fill_value=0).stack().rename("pairs").reset_index()
)  # fmt: skip
# past the last session a cohort has released (a running wave) nothing is known yet: a gap, not 0
released_to = sessions.dropna(subset=["held"]).groupby("cohort_id")["session_no"].max()
first["pairs"] = first["pairs"].where(first["first_aha_session"] <= first["cohort_id"].map(released_to))
first["share"] = first["pairs"] / first.groupby("cohort_id")["pairs"].transform("sum")
first["cohort_name"] = first["cohort_id"].map(names)
aha = charts.lines_with_ci(first, "first_aha_session", "share", colours, "Session of the first aha moment",
                           "Session number", "Share of the cohort's pairs with an aha", percent_axis=True)  # fmt: skip
ui.chart(aha.update_xaxes(dtick=1))  # whole sessions
ui.caption(
    "Share of each cohort's pairs with an aha that had their first at each session (each cohort adds up to 100%)",
    f"{ui.counted(int(first['pairs'].sum()), 'pair')} with an aha in a released session",
    f"Held sessions released in groups of at least {min_group()} pairs of one cohort and level.",
)
