"""Pilot vs expansion for analysts: did the expansion keep the pilot's results?"""

import pandas as pd
import streamlit as st

from pages import ui
from warehouse import read, stats
from warehouse.export import csv_bytes, xlsx_bytes
from warehouse.privacy import min_group

st.title("Did the expansion keep the pilot's results?")
st.write(
    "Two cohorts side by side, metric by metric. The unit is the pair for session metrics and the person for "
    "survey and adoption metrics. The expansion reached a different population: read the composition too."
)

source, filters = ui.source(), ui.filters()
names = ui.cohort_names()
ids = list(names)
left, right = st.columns(2)
first = left.selectbox("First cohort", ids, index=0, format_func=names.get, key="compare_first")
second = right.selectbox("Second cohort", ids, index=min(1, len(ids) - 1), format_func=names.get, key="compare_second")

both = read.Filters(cohorts=(first, second), as_of=filters.as_of, levels=filters.levels)
pairs = read.pair_metrics(source, both)
metrics = {"attendance_rate": "Attendance rate", "completed": "Completion", "mean_trust": "Mean trust (1-5)",
           "aha_share": "Share of sessions with an aha", "ideas_per_session": "Ideas per session"}  # fmt: skip
values = {label: (pairs.loc[pairs["cohort_id"] == first, column], pairs.loc[pairs["cohort_id"] == second, column])
          for column, label in metrics.items()}  # fmt: skip
changes = read.construct_pairs(source, both, "pre")
changes["change"] = changes["after"] - changes["before"]
for construct, group in changes.groupby("construct"):
    label = f"Change in {construct.replace('_', ' ')}"
    values[label] = (
        group.loc[group["cohort_id"] == first, "change"],
        group.loc[group["cohort_id"] == second, "change"],
    )
windows = read.adoption_windows(source, both)
mentees = windows[windows["group_name"] == "mentee"].dropna(subset=["pre", "post"])
lift = mentees["post"] - mentees["pre"]
values["Adoption lift (share of months active)"] = (
    lift[mentees["cohort_id"] == first],
    lift[mentees["cohort_id"] == second],
)

rows = []
for label, (a, b) in values.items():
    result = stats.compare_groups(a.tolist(), b.tolist())
    rows.append({"Metric": label, **result.as_dict()})
table = pd.DataFrame(rows)
table["bh_p"] = stats.bh_adjust(table["welch_p"])
hidden = (table["n1"] < min_group()) | (table["n2"] < min_group())
value_columns = [c for c in table.columns if c not in ("Metric", "n1", "n2")]
table.loc[hidden, value_columns] = float("nan")

export = pd.DataFrame(
    {
        "Metric": table["Metric"],
        f"{names[first]} n": table["n1"],
        f"{names[first]} mean": table["mean1"].round(4),
        f"{names[second]} n": table["n2"],
        f"{names[second]} mean": table["mean2"].round(4),
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
st.dataframe(export, hide_index=True)
ui.caption(
    f"{names[first]} compared with {names[second]}",
    "n per cohort in the table (pairs or people)",
    "Welch t-test with the 95% CI of the difference (first minus second); Mann-Whitney U (two-sided) with "
    "rank-biserial r = 2 U1 / (n1 n2) - 1; Hedges' g from the pooled SD; p adjusted across the metrics by "
    f"Benjamini-Hochberg. Metrics with fewer than {min_group()} in a cohort are hidden.",
)
composition = read.composition(source, both)
composition["Cohort"] = composition["cohort_id"].map(names)
composition["level"] = composition["level"].str.replace("_", " ").str.capitalize()
st.subheader("Who the mentees were")
st.dataframe(
    composition.pivot_table(index="level", columns="Cohort", values="mentees", fill_value=0).reset_index()
    .rename(columns={"level": "Level"}),
    hide_index=True,
)  # fmt: skip
name = f"{names[first]}-vs-{names[second]}".replace(" ", "-").lower()
left, right = st.columns(2)
left.download_button("Download CSV", csv_bytes(export), file_name=f"{name}.csv", mime="text/csv")
right.download_button(
    "Download XLSX", xlsx_bytes(export, "comparison"), file_name=f"{name}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)  # fmt: skip
st.caption("Exports hold no names or IDs, only the aggregates shown, and are safe to open in Excel.")
