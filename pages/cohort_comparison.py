"""Pilot vs expansion for analysts: did the expansion keep the pilot's results, at the same point of the program?"""

import numpy as np
import pandas as pd
import streamlit as st

from pages import charts, ui
from pages.access import require_page
from pages.plain import markdown_safe
from warehouse import read
from warehouse.comparison import compare_metrics
from warehouse.privacy import min_group

COMPARISON_METHOD = (
    "Equal exposure: session metrics over each pair's sessions 1 to {k}; survey change = post - pre of people who "
    "answered both; completion only when both cohorts have ended. Welch t-test with the 95% CI of the difference "
    "(first minus second); Mann-Whitney U with rank-biserial r; Benjamini-Hochberg adjusted p across the metrics "
    "shown (hidden rows are not in the family); Hedges' g from the pooled SD with its large-sample 95% CI. Rows with "
    "fewer than {minimum} units in a cohort are hidden. No t-test where a cohort's units all have the same value. "
)
# shown on the page and in the export: why this lift differs from Social adoption's figure
LIFT_METHOD = (
    "Adoption lift = a mentee's share of months active in the 3 months after the cohort minus the 3 before, counted "
    "over mentees (not pairs) and without the comparison group; Social adoption's difference in differences also "
    "subtracts the comparison group's change."
)

require_page(__file__)  # who may open it: warehouse/access.py
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
    # the same words whatever the warehouse holds after that date: a page as of a day shows only what was known then
    st.info(
        f"Fewer than two cohorts had started by {ui.as_of():%d %B %Y}: nothing to compare until a second cohort "
        "starts (on a later as-of date, or once its files are loaded)."
    )
    st.stop()
# the sidebar's cohorts, when chosen, are the first picks: the page compares the two picked here
picks = [c for c in ids if c in filters.cohorts] + [c for c in ids if c not in filters.cohorts]
left, right = st.columns(2)
first = left.selectbox(
    "First cohort", ids, index=ids.index(picks[0]), format_func=labels.get, key="compare_first", bind="query-params"
)
second = right.selectbox(
    "Second cohort", ids, index=ids.index(picks[1]), format_func=labels.get, key="compare_second", bind="query-params"
)
if filters.cohorts:
    st.caption(
        "The two cohorts picked here are compared, whatever the sidebar's cohort filter (it sets the first picks)."
    )
if first == second:
    st.info("Pick two different cohorts.")
    st.stop()

both = read.Filters(cohorts=(first, second), as_of=filters.as_of, levels=filters.levels)
progress = read.sessions_reached(source, both).set_index("cohort_id")
missing = [markdown_safe(labels[c]) for c in (first, second) if c not in progress.index]
if missing:
    st.info(
        f"{' and '.join(missing)} {'has' if len(missing) == 1 else 'have'} no pairs at the mentee levels chosen in the "
        "sidebar: choose other levels, or other cohorts, to compare."
    )
    st.stop()
reached = progress["reached"]
planned = int(progress["planned"].max())
# the furthest session both reached, within the plan (messy files can hold sessions past it)
common = min(max(int(min(reached.get(first, 0), reached.get(second, 0))), 1), planned)
if planned > 1:
    first_sessions = st.slider(
        "Compare each pair's first sessions up to session", 1, planned, common,
        key=f"compare_sessions_{first}_{second}",
        help="Trust rises with the session number and ideas come late: compare cohorts over the same sessions. "
        "The default is the furthest session both cohorts have reached.",
    )  # fmt: skip
else:  # a one-session plan: nothing to choose
    first_sessions = 1
st.caption(
    f"Equal exposure: sessions 1 to {first_sessions} of every pair. By {ui.as_of():%d %B %Y}, "
    f"{markdown_safe(labels[first])} had reached session {int(reached.get(first, 0))}, "
    f"{markdown_safe(labels[second])} session {int(reached.get(second, 0))}."
)

pairs = read.pair_metrics(source, both, first_sessions)  # per cohort_id, metric and value, the pairs with it
session_metrics = {"attendance_rate": "Attendance rate", "mean_trust": "Mean trust (1-5)",
                   "aha_share": "Share of sessions with an aha", "ideas_per_session": "Ideas per session"}  # fmt: skip


def by_cohort(frame, column: str, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """The column's values of the first cohort, then of the second: one per unit of the frequency table."""
    known = frame.dropna(subset=[column])
    return tuple(read.repeated(known[known["cohort_id"] == cohort], column, unit) for cohort in (first, second))


def pair_values(metric: str) -> tuple[np.ndarray, np.ndarray]:
    return by_cohort(pairs[pairs["metric"] == metric], "value", "pairs")


values = {label: pair_values(metric) for metric, label in session_metrics.items()}
running = [labels[c] for c in (first, second) if labels[c].endswith("(running)")]
completion = pair_values("completed")
not_compared = {}
if running:  # a running cohort's unfinished pairs would only say that it is unfinished
    not_compared["Completion"] = (completion, f"not compared: {' and '.join(running)} still running")
else:
    values["Completion"] = completion
changes = read.construct_scores(source, both, "pre")
changes["change"] = changes["after"] - changes["before"]
for construct in sorted(changes["construct"].unique()):
    group = changes[changes["construct"] == construct]
    values[f"Change in {construct.replace('_', ' ')}"] = by_cohort(group, "change", "people")
mentees = read.adoption_windows(source, both, groups=("mentee",)).dropna(subset=["pre", "post"])
values["Adoption lift (share of months active)"] = by_cohort(
    mentees.assign(lift=mentees["post"] - mentees["pre"]), "lift", "people"
)

table = compare_metrics(values, min_group())
for metric, ((a, b), _) in not_compared.items():
    table.loc[len(table), ["metric", "n1", "n2", "hidden"]] = [metric, len(a), len(b), True]
RATES = {"Attendance rate", "Share of sessions with an aha", "Completion"}
LIFT = "Adoption lift (share of months active)"  # a difference of shares: percentage points


def shown_value(metric: str, value: float, difference: bool = False) -> str:
    """Rates as percentages with one decimal, differences of shares in percentage points (never a percent), the
    rest with two decimals; changes and differences always with their sign."""
    if pd.isna(value):
        return "n/a"
    if metric == LIFT or (difference and metric in RATES):
        return ui.points(value)
    if metric in RATES:
        return ui.percent(value, 1)
    return ui.signed(value) if difference or metric.startswith("Change") else ui.number(value)


# people are the unit of these metrics; pairs of the others
SURVEY_AND_ADOPTION = {metric for metric in values if metric not in session_metrics.values() and metric != "Completion"}


def cohort_reason(row, cohort: str, n: int) -> str:
    """Why a cohort's value of a metric is not shown ("" when it is)."""
    if row.metric in not_compared:
        return not_compared[row.metric][1]
    if n >= min_group():
        return ""
    if cohort not in reached:
        return "no pair in these filters"
    if n == 0 and row.metric in session_metrics.values():
        if not reached[cohort]:
            return "no session yet"
        return f"none released (sessions enter in groups of {min_group()} pairs of one level)"
    # none yet, or too few to show: people enter in groups of the minimum per cohort and level
    if n == 0 and row.metric == LIFT:
        return f"no group of {min_group()} mentees with months observed before and after yet"
    if n == 0 and row.metric in SURVEY_AND_ADOPTION:
        return f"no group of {min_group()} people with answers before and after yet"
    unit = "people" if row.metric in SURVEY_AND_ADOPTION else "pairs"
    return f"hidden: under {min_group()} {unit}"


def reason_hidden(row) -> str:
    if row.metric in not_compared:
        return not_compared[row.metric][1]
    reasons = [
        f"{labels[cohort]} {reason}"
        for cohort, n in ((first, row.n1), (second, row.n2))
        if (reason := cohort_reason(row, cohort, n))
    ]
    return "not compared: " + "; ".join(reasons)


def alike(metric: str) -> str:
    """Why a shown metric has no t-test: a cohort whose every unit has the same value ("" when none has)."""
    pairs_of = zip((first, second), values.get(metric, ((), ())), strict=True)
    alike = [labels[c] for c, v in pairs_of if len(v) and np.min(v) == np.max(v)]  # a set of 100,000 floats: 0.05 s
    unit = "person" if metric in SURVEY_AND_ADOPTION else "pair"
    return f"no t-test: every {unit} of {' and '.join(alike)} has the same value" if alike else ""


def shown_difference(row) -> str:
    if row.metric in values and not row.hidden and pd.isna(row.ci_low):
        return f"{shown_value(row.metric, row.difference, True)} ({alike(row.metric)})"
    low, high = (shown_value(row.metric, v, True).removesuffix(" pp") for v in (row.ci_low, row.ci_high))
    return f"{shown_value(row.metric, row.difference, True)} ({low} to {high})"


table["note"] = [reason_hidden(row) if row.hidden else "" for row in table.itertuples()]
table["shown_difference"] = [shown_difference(row) for row in table.itertuples()]
table["hover"] = [
    f"difference {row.shown_difference};"
    f" g {ui.signed(row.hedges_g)} ({ui.signed(row.g_low)} to {ui.signed(row.g_high)})"
    for row in table.itertuples()
]  # fmt: skip
if table["hedges_g"].notna().any():
    ui.chart(
        charts.effect_sizes(
            table, f"{labels[first]} minus {labels[second]}, per metric",
            f"Standardised difference (Hedges' g, 95% CI): right of 0 means higher in {labels[first]}",
        )
    )  # fmt: skip
    ui.caption(
        f"Standardised difference between {labels[first]} and {labels[second]} per metric, so rates, ratings and "
        "counts share one scale (0.2 small, 0.5 medium, 0.8 large)",
        "n per cohort in the table below",
        "Hedges' g from the pooled SD, 95% CI from its large-sample standard error; hover a point for the difference "
        "in the metric's own unit.",
    )
else:  # a chart of reasons only would be a jumble of text
    st.info("No metric can be compared yet for these cohorts and filters: the table below says why for each.")


def with_n(text: str, n: int) -> str:
    return f"{text} (n {int(n):,})"


view = pd.DataFrame(
    {
        "Metric": table["metric"],
        labels[first]: [
            with_n(cohort_reason(row, first, row.n1) or shown_value(row.metric, row.mean1), row.n1)
            for row in table.itertuples()
        ],
        labels[second]: [
            with_n(cohort_reason(row, second, row.n2) or shown_value(row.metric, row.mean2), row.n2)
            for row in table.itertuples()
        ],
        "Difference (95% CI)": table["note"].where(table["hidden"], table["shown_difference"]),
        # the reason once per row, in the difference's column
        "BH-adjusted p": table["bh_p"].map(ui.p_value).where(~table["hidden"], "n/a"),
        "Hedges' g": table["hedges_g"].map(ui.number).where(~table["hidden"], "n/a"),
    }
)
ui.plain_table(view)  # a plain table wraps: every column fits on the screen
ui.caption(
    f"{labels[first]} compared with {labels[second]}",
    "n per cohort in the table (pairs, or people for survey and adoption metrics)",
    f"Session metrics over sessions 1 to {first_sessions}; survey change = post - pre of people who answered both; "
    "completion only when both cohorts have ended. Welch t-test with the 95% CI of the difference (first minus "
    "second); Benjamini-Hochberg adjusted p across the metrics shown (hidden rows are not in the family); Hedges' g "
    f"from the pooled SD. Metrics with fewer than {min_group()} in a cohort are hidden; no t-test where a cohort's "
    f"units all have the same value (Welch would take its mean as exact). {LIFT_METHOD}",
)

# Analysts get every statistic as numbers: rates in percent, differences of shares in percentage points
scale = table["metric"].isin(RATES | {LIFT}).map({True: 100.0, False: 1.0})
UNITS = {LIFT: "percentage points", **dict.fromkeys(RATES, "percent (differences in percentage points)")}
export = pd.DataFrame(
    {
        "Metric": table["metric"],
        "Unit": table["metric"].map(lambda metric: UNITS.get(metric, "the metric's own")),
        f"{labels[first]} n": table["n1"].astype("Int64"),
        f"{labels[first]} mean": table["mean1"] * scale,
        f"{labels[second]} n": table["n2"].astype("Int64"),
        f"{labels[second]} mean": table["mean2"] * scale,
        "Difference (first - second)": table["difference"] * scale,
        "95% CI low": table["ci_low"] * scale,
        "95% CI high": table["ci_high"] * scale,
        "Welch p": table["welch_p"],
        "Mann-Whitney p": table["mann_whitney_p"],
        "BH-adjusted p": table["bh_p"],
        "Hedges' g": table["hedges_g"],
        "Hedges' g 95% CI low": table["g_low"],
        "Hedges' g 95% CI high": table["g_high"],
        "Rank-biserial r": table["rank_biserial"],
        "Not shown because": [row.note or alike(row.metric) for row in table.itertuples()],
    }
).astype({column: "float64" for column in ("Welch p", "Mann-Whitney p", "BH-adjusted p")})
composition = read.composition(source, both)
composition["Cohort"] = composition["cohort_id"].map(labels)
composition["level"] = composition["level"].map(ui.level_label)
st.subheader("Who the mentees were")
ui.plain_table(
    composition.pivot_table(index="level", columns="Cohort", values="mentees", aggfunc="sum", fill_value=0)
    .reindex(columns=[labels[c] for c in (first, second) if labels[c] in set(composition["Cohort"])])  # as chosen
    .astype(int).reset_index()
    .rename(columns={"level": "Level"})
)  # fmt: skip
st.subheader("Download")
ui.downloads(
    export, "pilot-vs-expansion",
    ui.export_metadata(
        "Cohort comparison", COMPARISON_METHOD.format(k=first_sessions, minimum=min_group()) + LIFT_METHOD,
        cohorts_compared=f"{labels[first]} (first) and {labels[second]} (second)",
    ),
    formats=dict.fromkeys(
        ["Welch p", "Mann-Whitney p", "BH-adjusted p", "Hedges' g", "Hedges' g 95% CI low", "Hedges' g 95% CI high",
         "Rank-biserial r"], "0.000",
    ),
)  # fmt: skip
st.caption("Exports hold no names or IDs, only the aggregates shown, and are safe to open in Excel.")
