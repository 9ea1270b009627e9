"""Program ROI for leadership: what did it cost, and what did it return?"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pages import charts, ui
from warehouse import read, stats

st.title("What did the program cost, and what did it return?")
st.write(
    "Phillips ROI method: fully loaded costs (everyone's time in sessions at their hourly cost, plus listed costs) "
    "against first-year benefits converted to money. Only the share of each benefit attributed to the program, "
    "discounted by your confidence in that estimate, counts. The assumptions are yours: change them below."
)

source, filters = ui.source(), ui.filters()
names = ui.cohort_names()
costs = read.costs(source, filters)
costs["Cohort"] = costs["cohort_id"].map(names)
total_cost = float(costs["amount"].sum())
outcomes = read.roi_outcomes(source, filters)

st.subheader("Benefit assumptions (conservative defaults)")
left, middle, right = st.columns(3)
value_active = left.number_input("Value per executive newly active on social media ($)", 0, 1_000_000, 2_000, 500,
                                 key="roi_value_active")  # fmt: skip
value_idea = middle.number_input("Value per idea logged ($)", 0, 1_000_000, 500, 100, key="roi_value_idea")
value_mentor = right.number_input("Value per mentor retained (avoided replacement, $)", 0, 1_000_000, 5_000, 1_000,
                                  key="roi_value_mentor")  # fmt: skip
left, right = st.columns(2)
attribution = left.slider("Share of the benefit attributed to the program", 0, 100, 25, 5, key="roi_attribution",
                          format="%d%%") / 100  # fmt: skip
confidence = right.slider("Confidence in these estimates", 0, 100, 50, 5, key="roi_confidence", format="%d%%") / 100

benefit_rows = [
    ("Executives newly active on social media", outcomes["newly_active"], value_active),
    ("Ideas logged in sessions", outcomes["ideas"], value_idea),
    ("Mentors retained", outcomes["mentors_retained"], value_mentor),
]


def total_benefit(share: float, sure: float) -> float:
    return sum(stats.monetised_benefit(count, value, share, sure) for _, count, value in benefit_rows)


result = stats.roi(total_cost, total_benefit(attribution, confidence))
row = st.columns(4)
row[0].metric("Fully loaded costs", f"${result.costs:,.0f}")
row[1].metric("First-year benefits", f"${result.benefits:,.0f}")
row[2].metric("Benefit-cost ratio", ui.number(result.bcr))
row[3].metric("ROI", "n/a" if pd.isna(result.roi_percent) else f"{result.roi_percent:,.0f}%")
ui.caption(
    "Phillips ROI",
    f"{int(outcomes['mentors']):,} mentors and their mentees",
    "BCR = benefits / costs; ROI % = (benefits - costs) / costs x 100; first-year benefits only.",
)
st.dataframe(
    pd.DataFrame(
        [
            {
                "Outcome": label,
                "Count": int(count),
                "Value each ($)": value,
                "Counted ($)": stats.monetised_benefit(count, value, attribution, confidence),
            }
            for label, count, value in benefit_rows
        ]  # fmt: skip
    ),
    hide_index=True,
)

st.subheader("Costs by category")
by_category = costs.groupby("category", as_index=False)["amount"].sum().sort_values("amount")
figure = go.Figure(go.Bar(x=by_category["amount"], y=by_category["category"], orientation="h", marker_color="#1f77b4"))
ui.chart(charts.layout(figure, "Fully loaded costs by category", "", "US dollars"))
ui.caption(
    "Costs by category",
    f"{len(costs):,} cost lines",
    "Session time = duration (45 minutes when not logged) x hourly cost.",
)

st.subheader("How sensitive is the ROI to the assumptions?")
shares = [0.1, 0.25, 0.5, 0.75]
sures = [0.25, 0.5, 0.75, 1.0]
grid = pd.DataFrame(
    [[stats.roi(total_cost, total_benefit(a, c)).roi_percent for a in shares] for c in sures],
    index=[f"{c:.0%} confidence" for c in sures],
    columns=[f"{a:.0%} attributed" for a in shares],
)
heat = go.Figure(go.Heatmap(z=grid.values, x=list(grid.columns), y=list(grid.index), colorscale="RdBu",
                            zmid=0, text=grid.map(lambda v: f"{v:,.0f}%").values, texttemplate="%{text}"))  # fmt: skip
ui.chart(charts.layout(heat, "ROI % for other attribution and confidence", "", ""))
ui.caption(
    "ROI % across assumptions", "values as above", "Each cell recomputes benefits with its attribution and confidence."
)

st.subheader("Intangible benefits (not converted to money)")
st.markdown(
    "- Intergenerational understanding and a more inclusive culture (see Survey outcomes)\n"
    "- Executives' visibility and credibility with younger employees and customers online\n"
    "- Mentors' exposure to senior leaders: in the 2011 pilot, 11 of 12 mentors were promoted within a year\n"
    "- Ideas for products and service that are not yet implemented"
)
