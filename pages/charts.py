"""Chart builders: a frame and column names in, a plotly figure out. Labels are words, never column names."""

import pandas as pd
import plotly.graph_objects as go

# drawn from zero outwards: neutral straddles zero, unfavourable ends left, favourable ends right
LIKERT_COLOURS = {"Neutral": "#d9d9d9", "Somewhat unfavourable": "#ef8a62", "Unfavourable": "#b2182b",
                  "Somewhat favourable": "#67a9cf", "Favourable": "#2166ac"}  # fmt: skip


def layout(
    figure: go.Figure, title: str, y_title: str = "", x_title: str = "", percent_axis: bool = False
) -> go.Figure:
    figure.update_layout(
        title=title, xaxis_title=x_title, yaxis_title=y_title, legend_title_text="", margin=dict(t=60, b=40)
    )
    if percent_axis:
        figure.update_yaxes(tickformat=".0%")
    return figure


def bars_by_cohort(frame: pd.DataFrame, value: str, colours: dict, title: str, y_title: str, percent_axis=False):
    figure = go.Figure(
        go.Bar(x=frame["cohort_name"], y=frame[value], marker_color=[colours[c] for c in frame["cohort_name"]])
    )
    return layout(figure, title, y_title, percent_axis=percent_axis)


def lines_with_ci(
    frame: pd.DataFrame,
    x: str,
    y: str,
    colours: dict,
    title: str,
    x_title: str,
    y_title: str,
    low: str | None = None,
    high: str | None = None,
    percent_axis: bool = False,
) -> go.Figure:
    """One line per cohort (column cohort_name), with error bars from low/high when given."""
    figure = go.Figure()
    for name, group in frame.groupby("cohort_name", sort=False):
        error = None
        if low and high:
            error = dict(type="data", array=group[high] - group[y], arrayminus=group[y] - group[low], visible=True)
        figure.add_trace(
            go.Scatter(
                x=group[x], y=group[y], name=name, mode="lines+markers", error_y=error, line=dict(color=colours[name])
            )  # fmt: skip
        )
    return layout(figure, title, y_title, x_title, percent_axis)


FUNNEL_STEPS = {"trust": "Reached trust", "insight": "Reached insight", "brainstorm": "Reached brainstorming"}


def funnel(frame: pd.DataFrame, colours: dict) -> go.Figure:
    """Share of each cohort's pairs that reached each learning phase (never widening), one bar group per cohort;
    the label on each bar gives the pairs and how many of them showed the phase's indicator."""
    figure = go.Figure()
    for _, row in frame.iterrows():
        figure.add_trace(
            go.Bar(
                x=list(FUNNEL_STEPS.values()),
                y=[row[step] / row["pairs"] for step in FUNNEL_STEPS],
                text=[
                    f"{row[step]:,} of {row['pairs']:,}; {row[step + '_present']:,} with the indicator"
                    for step in FUNNEL_STEPS
                ],
                name=row["cohort_name"],
                marker_color=colours[row["cohort_name"]],
            )  # fmt: skip
        )
    return layout(figure, "Pairs reaching each phase", "Share of the cohort's pairs", percent_axis=True)


def diverging_likert(frame: pd.DataFrame, title: str) -> go.Figure:
    """Diverging stacked bars: unfavourable shares left of zero, favourable right, neutral split across it."""
    figure = go.Figure()
    for label, colour in LIKERT_COLOURS.items():
        part = frame[frame["band"] == label]
        figure.add_trace(
            go.Bar(
                y=part["row_label"],
                x=part["share"],
                name=label,
                orientation="h",
                marker_color=colour,
                hovertemplate="%{y}: %{customdata:.0%}<extra>" + label + "</extra>",
                customdata=part["share"].abs(),
            )  # fmt: skip
        )
    figure.update_layout(barmode="relative", xaxis_tickformat=".0%", height=max(320, 28 * frame["row_label"].nunique()))
    return layout(figure, title, "", "Share of answers (unfavourable left, favourable right)")


def session_timeline(frame: pd.DataFrame) -> go.Figure:
    colours = {"held": "#2ca02c", "missed": "#d62728", "cancelled": "#ff7f0e", "unrecorded": "#7f7f7f",
               "upcoming": "#c7c7c7"}  # fmt: skip
    figure = go.Figure()
    for status, group in frame.groupby("as_of_status"):
        figure.add_trace(
            go.Scatter(
                x=group["scheduled_on"],
                y=group["session_no"],
                mode="markers",
                name=status.capitalize(),
                marker=dict(size=14, color=colours.get(status, "#000"), symbol="circle"),
            )  # fmt: skip
        )
    rated = frame.dropna(subset=["trust_rating"])
    figure.add_trace(
        go.Scatter(
            x=rated["scheduled_on"],
            y=rated["trust_rating"],
            name="Trust rating (1-5)",
            yaxis="y2",
            mode="lines+markers",
            line=dict(color="#1f77b4", dash="dot"),
        )  # fmt: skip
    )
    # whole sessions and whole ratings: ticks like 1.2 sessions or 0.89 trust would mean nothing
    figure.update_layout(
        yaxis=dict(dtick=1, tickformat="d", rangemode="tozero"),
        yaxis2=dict(title="Trust rating", overlaying="y", side="right", range=[0.5, 5.5], dtick=1, showgrid=False),
        legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"),  # clear of the right axis
    )
    return layout(figure, "Sessions of this pair and the trust trend", "Session number", "Scheduled date")


def effect_sizes(frame: pd.DataFrame, title: str, x_title: str) -> go.Figure:
    """Per metric (top to bottom in the frame's order) Hedges' g with its 95% CI, so rates, ratings and counts share
    one scale; a metric without one (hidden or not compared) shows its reason in words (column note) at zero."""
    # drawn to 4 decimals: the last bits of a float depend on the order of a sum, the chart must not
    shown = frame.dropna(subset=["hedges_g"]).round({"hedges_g": 4, "g_low": 4, "g_high": 4})
    missing = frame[frame["hedges_g"].isna()]
    error = dict(type="data", array=shown["g_high"] - shown["hedges_g"], arrayminus=shown["hedges_g"] - shown["g_low"])
    figure = go.Figure(
        go.Scatter(
            x=shown["hedges_g"], y=shown["metric"], mode="markers", error_x=error,
            marker=dict(size=11, color="#1f77b4"), customdata=shown["hover"], showlegend=False,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    )  # fmt: skip
    figure.add_trace(
        go.Scatter(
            x=[0] * len(missing), y=missing["metric"], mode="text", text=missing["note"], textposition="middle right",
            textfont=dict(color="#595959"), hoverinfo="skip", showlegend=False,
        )
    )  # fmt: skip
    figure.add_vline(x=0, line_dash="dot", line_color="#7f7f7f")
    figure.update_yaxes(categoryorder="array", categoryarray=frame["metric"].tolist()[::-1], automargin=True)
    figure.update_layout(height=120 + 36 * len(frame))
    return layout(figure, title, "", x_title)
