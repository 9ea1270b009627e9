"""Social adoption for analysts: do mentees become active on social media, more than comparable executives?"""

import pandas as pd
import streamlit as st

from pages import charts, ui
from pages.access import require_page
from warehouse import read, stats
from warehouse.privacy import min_group, suppress, suppression_note

require_page(__file__)  # who may open it: warehouse/access.py
st.title("Do mentees take up social media?")
st.write(
    "Share of mentees active each month, in months relative to their cohort's start. The comparison group is "
    "non-participating executives over the same calendar months."
)

source, filters = ui.source(), ui.filters()
ui.require("social_activity")
names, colours = ui.cohort_labels(), ui.cohort_colours()
platform = st.selectbox(
    "Platform",
    list(ui.PLATFORM_LABELS),
    format_func=ui.PLATFORM_LABELS.get,
    key="adoption_platform",
    bind="query-params",
)
monthly = read.adoption_by_month(source, filters, platform)
monthly["cohort_name"] = monthly["cohort_id"].map(names)
monthly = monthly[monthly["mentees"] >= min_group()]
monthly[["share_active", "posts_per_mentee"]] = monthly[["share_active", "posts_per_mentee"]].round(4)
ui.chart(
    charts.lines_with_ci(monthly, "months_from_start", "share_active", colours,
                         f"Mentees active on {ui.PLATFORM_LABELS[platform]}", "Months from the cohort's start",
                         "Share of mentees", percent_axis=True),
)  # fmt: skip
ui.caption(
    f"Share of mentees active on {ui.PLATFORM_LABELS[platform]} by month",
    f"{monthly.drop_duplicates('cohort_id')['mentees'].sum():,} mentees",
    "A person's month without an activity row counts as not active when others have rows that month; a month no one "
    "has a row for is not observed. 'Any platform' = active on at least one. "
    "Month 0 is the cohort's first month.",
)

st.subheader("Before and after, against the comparison group")
windows = read.expand(read.adoption_windows(source, filters, platform), "people")
rows = []
observed = windows.dropna(subset=["pre", "post"])
for cohort_id, group in observed.groupby("cohort_id"):
    mentees, comparison = group[group["group_name"] == "mentee"], group[group["group_name"] == "comparison"]
    if len(comparison) < min_group():
        continue
    result = stats.diff_in_diff(mentees["pre"], mentees["post"], comparison["pre"], comparison["post"])
    rows.append({"Cohort": names[cohort_id], "Mentees": len(mentees), "Comparison": len(comparison),
                 "Mentees before": mentees["pre"].mean(), "Mentees after": mentees["post"].mean(),
                 "Comparison before": comparison["pre"].mean(), "Comparison after": comparison["post"].mean(),
                 "Difference in differences": result.estimate, "95% CI low": result.ci_low,
                 "95% CI high": result.ci_high})  # fmt: skip
did = pd.DataFrame(rows)
if did.empty and windows.empty and monthly.empty:
    st.info(
        f"No activity on {ui.PLATFORM_LABELS[platform]} is in the data by {ui.as_of():%d %B %Y}: social_activity.csv "
        "has no row for it, so its months are not observed (not inactive)."
    )
elif did.empty and observed.empty:
    st.info(
        f"No group of {min_group()} people with both windows observed yet: the comparison needs the 3 months before a "
        "cohort starts and the 3 months after it ends (a cohort still running has no months after yet), and counts "
        f"people in groups of {min_group()} of one cohort and level."
    )
elif did.empty:
    st.info(f"No cohort has {min_group()} or more comparison executives with both windows observed.")
else:
    shares = [c for c in did.columns if c not in ("Cohort", "Mentees", "Comparison")]
    did = suppress(did, "Mentees", shares)  # cohorts add up to all mentees: hide small ones with their complement
    # shares as percentages; their differences in percentage points (a difference of shares is never a percent)
    points = ["Difference in differences", "95% CI low", "95% CI high"]
    shown = did.assign(**{c: did[c].map(ui.percent) for c in shares if c not in points})
    shown = shown.assign(**{c: did[c].map(ui.points) for c in points}).drop(columns="suppressed")
    shown.loc[did["suppressed"], shares] = "hidden"
    # mentees enter in groups of the minimum: 0 here may be a few not yet in one, not none
    shown["Mentees"] = shown["Mentees"].astype(object).where(did["Mentees"] >= min_group(), f"under {min_group()}")
    # one column for the interval: ten did not fit 1280 px beside a long cohort name
    interval = shown["95% CI low"].where(did["suppressed"], shown["95% CI low"] + " to " + shown["95% CI high"])
    shown = shown.drop(columns=["95% CI low", "95% CI high"]).assign(**{"95% CI": interval})
    ui.plain_table(shown)  # a plain table wraps: every column fits on the screen
    if did["suppressed"].any():
        st.caption(suppression_note())
    ui.caption(
        "Share of the window's months active: 3 months before the start (pre) and 3 months after the end (post)",
        f"{did['Mentees'].sum():,} mentees and {did['Comparison'].max():,} comparison executives",
        "Difference in differences = (post - pre for mentees) - (post - pre for comparison), in percentage points "
        "(pp); 95% CI from 2,000 bootstrap resamples of people (seed 2011). A platform's months no one has a row for "
        "are not observed and do not count as inactive.",
    )
    # the same figures as numbers: shares in percent, their differences in percentage points
    export = pd.DataFrame({"Cohort": did["Cohort"], "Comparison executives": did["Comparison"]})
    export["Mentees"] = did["Mentees"].where(did["Mentees"] >= min_group()).astype("Int64")
    for column in shares:
        export[column + (" (pp)" if column in points else " (%)")] = (did[column] * 100).where(~did["suppressed"])
    hidden = f"hidden: under {min_group()} people, or would reveal such a group"
    export["Not shown because"] = did["suppressed"].map({True: hidden, False: ""})
    ui.downloads(
        export, f"social-adoption-{platform}",
        ui.export_metadata(
            f"Social adoption before and after, {ui.PLATFORM_LABELS[platform]}",
            "Share of the window's months active, 3 months before the start and 3 after the end; difference in "
            "differences = (post - pre for mentees) - (post - pre for comparison) in percentage points, 95% CI from "
            "2,000 bootstrap resamples of people (seed 2011)",
        ),
        formats={c: "0.0" for c in export.columns if c.endswith(("(%)", "(pp)"))},
    )  # fmt: skip

st.subheader("Posts per mentee per month")
ui.chart(
    charts.lines_with_ci(monthly, "months_from_start", "posts_per_mentee", colours, "Posts per mentee per month",
                         "Months from the cohort's start", "Posts"),
)  # fmt: skip
ui.caption("Posts per mentee and month", "mentees as above", "Sum of posts divided by the cohort's mentees.")
