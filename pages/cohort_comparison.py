"""Pilot vs expansion for analysts: did the expansion keep the pilot's results, at the same point of the program?"""

import pandas as pd
import streamlit as st

from pages import ui
from warehouse import read
from warehouse.comparison import compare_metrics
from warehouse.export import csv_bytes, xlsx_bytes
from warehouse.privacy import min_group

st.title("Did the expansion keep the pilot's results?")
st.write(
    "Two cohorts side by side, metric by metric, at the same point of their program: session metrics over each "
    "pair's first sessions, survey change over people who answered before and after, completion only once both "
    "cohorts have ended. The unit is the pair for session metrics and the person for survey and adoption metrics."
)

source, filters = ui.source(), ui.filters()
labels = ui.cohort_labels()
ids = list(labels)
if len(ids) < 2:
    st.info(
        f"Fewer than two cohorts had started by {ui.as_of():%d %B %Y}: nothing to compare yet. "
        "Pick a later as-of date in the sidebar."
    )
    st.stop()
left, right = st.columns(2)
first = left.selectbox("First cohort", ids, index=0, format_func=labels.get, key="compare_first", bind="query-params")
second = right.selectbox(
    "Second cohort", ids, index=1, format_func=labels.get, key="compare_second", bind="query-params"
)
if first == second:
    st.info("Pick two different cohorts.")
    st.stop()

both = read.Filters(cohorts=(first, second), as_of=filters.as_of, levels=filters.levels)
reached = read.sessions_reached(source, both).set_index("cohort_id")["reached"]
common = int(min(reached.get(first, 0), reached.get(second, 0)))
planned = int(read.pair_health(source, both)["planned_sessions"].max())
first_sessions = st.slider(
    "Compare each pair's first sessions up to session", 1, max(planned, 1), max(common, 1),
    key=f"compare_sessions_{first}_{second}",
    help="Trust rises with the session number and ideas come late: compare cohorts over the same sessions. "
    "The default is the furthest session both cohorts have reached.",
)  # fmt: skip
st.caption(
    f"Equal exposure: sessions 1 to {first_sessions} of every pair. By {ui.as_of():%d %B %Y} "
    f"{labels[first]} had reached session {int(reached.get(first, 0))}, {labels[second]} session "
    f"{int(reached.get(second, 0))}."
)

pairs = read.pair_metrics(source, both, first_sessions)
session_metrics = {"attendance_rate": "Attendance rate", "mean_trust": "Mean trust (1-5)",
                   "aha_share": "Share of sessions with an aha", "ideas_per_session": "Ideas per session"}  # fmt: skip


def by_cohort(frame, column: str) -> tuple[list[float], list[float]]:
    """The column's values of the first cohort, then of the second."""
    return tuple(frame.loc[frame["cohort_id"] == cohort, column].dropna().tolist() for cohort in (first, second))


values = {label: by_cohort(pairs, column) for column, label in session_metrics.items()}
running = [labels[c] for c in (first, second) if labels[c].endswith("(running)")]
completion = by_cohort(pairs, "completed")
not_compared = {}
if running:  # a running cohort's unfinished pairs would only say that it is unfinished
    not_compared["Completion"] = (completion, f"not compared: {' and '.join(running)} still running")
else:
    values["Completion"] = completion
changes = read.construct_pairs(source, both, "pre")
changes["change"] = changes["after"] - changes["before"]
for construct in sorted(changes["construct"].unique()):
    group = changes[changes["construct"] == construct]
    values[f"Change in {construct.replace('_', ' ')}"] = by_cohort(group, "change")
windows = read.adoption_windows(source, both)
mentees = windows[windows["group_name"] == "mentee"].dropna(subset=["pre", "post"])
values["Adoption lift (share of months active)"] = by_cohort(
    mentees.assign(lift=mentees["post"] - mentees["pre"]), "lift"
)

table = compare_metrics(values, min_group())
PERCENT_METRICS = {"Attendance rate", "Share of sessions with an aha", "Completion",
                   "Adoption lift (share of months active)"}  # fmt: skip


def shown_value(metric: str, value: float, difference: bool = False) -> str:
    if pd.isna(value):
        return "n/a"
    if metric in PERCENT_METRICS:  # a difference of shares is in percentage points, never a percent
        return f"{value * 100:+.1f} pp" if difference else f"{value * 100:.1f}%"
    return f"{value:+.2f}" if difference else f"{value:.2f}"


def reason_hidden(row) -> str:
    if row.n1 == 0 or row.n2 == 0:
        missing = labels[first] if row.n1 == 0 else labels[second]
        return f"not compared: no data for {missing} yet"
    return f"hidden (n < {min_group()})"


def with_n(text: str, n: int) -> str:
    return f"{text} (n {n:,})"


view_rows = []
for row in table.itertuples():
    if row.hidden:
        blank = reason_hidden(row)
        view_rows.append([row.metric, with_n(blank, row.n1), with_n(blank, row.n2), blank, blank, blank])
        continue
    view_rows.append([
        row.metric, with_n(shown_value(row.metric, row.mean1), row.n1),
        with_n(shown_value(row.metric, row.mean2), row.n2),
        f"{shown_value(row.metric, row.difference, True)} ({shown_value(row.metric, row.ci_low, True)} to "
        f"{shown_value(row.metric, row.ci_high, True)})",
        ui.p_value(row.bh_p), ui.number(row.hedges_g),
    ])  # fmt: skip
for metric, ((a, b), reason) in not_compared.items():
    view_rows.append([metric, with_n(reason, len(a)), with_n(reason, len(b)), reason, reason, reason])
view = pd.DataFrame(
    view_rows, columns=["Metric", labels[first], labels[second], "Difference (95% CI)", "BH-adjusted p", "Hedges' g"]
)
st.dataframe(view, hide_index=True)
ui.caption(
    f"{labels[first]} compared with {labels[second]}",
    "n per cohort in the table (pairs, or people for survey and adoption metrics)",
    f"Session metrics over sessions 1 to {first_sessions}; survey change = post - pre of people who answered both; "
    "completion only when both cohorts have ended. Welch t-test with the 95% CI of the difference (first minus "
    "second); Benjamini-Hochberg adjusted p across the metrics shown (hidden rows are not in the family); Hedges' g "
    f"from the pooled SD. Metrics with fewer than {min_group()} in a cohort are hidden.",
)

export = pd.DataFrame(
    {
        "Metric": table["metric"],
        f"{labels[first]} n": table["n1"],
        f"{labels[first]} mean": table["mean1"].round(4),
        f"{labels[second]} n": table["n2"],
        f"{labels[second]} mean": table["mean2"].round(4),
        "Difference (first - second)": table["difference"].round(4),
        "95% CI low": table["ci_low"].round(4),
        "95% CI high": table["ci_high"].round(4),
        "Welch p": table["welch_p"].round(4),
        "Mann-Whitney p": table["mann_whitney_p"].round(4),
        "BH-adjusted p": table["bh_p"].round(4),
        "Hedges' g": table["hedges_g"].round(3),
        "Rank-biserial r": table["rank_biserial"].round(3),
    }
)
composition = read.composition(source, both)
composition["Cohort"] = composition["cohort_id"].map(labels)
composition["level"] = composition["level"].map(ui.level_label)
st.subheader("Who the mentees were")
st.dataframe(
    composition.pivot_table(index="level", columns="Cohort", values="mentees", fill_value=0).reset_index()
    .rename(columns={"level": "Level"}),
    hide_index=True,
)  # fmt: skip
name = f"{labels[first]}-vs-{labels[second]}".replace(" ", "-").replace("(", "").replace(")", "").lower()
left, right = st.columns(2)
left.download_button("Download CSV", csv_bytes(export), file_name=f"{name}.csv", mime="text/csv")
right.download_button(
    "Download XLSX", xlsx_bytes(export, "comparison"), file_name=f"{name}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)  # fmt: skip
st.caption("Exports hold no names or IDs, only the aggregates shown, and are safe to open in Excel.")
