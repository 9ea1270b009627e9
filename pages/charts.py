"""Chart builders: a frame and column names in, a plotly figure out. Labels are words, never column names.

Readable without colour: colours are Okabe-Ito (told apart with any colour-vision deficiency), and every
series compared has a second cue (marker, dash or bar pattern); figure_table gives what a chart draws as rows.
"""

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go

from pages.plain import plotly_safe
from warehouse.privacy import min_group

# Okabe & Ito (2008), by cohort start date; their yellow is left out (1.1:1 on white)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000")
# the second cue of the cohort with the same index as its colour
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross")
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot", "4px,2px,1px,2px")
PATTERNS = ("", "/", ".", "x", "\\", "+", "-")
TEXT = "#0e1117"  # the theme's textColor for axis, legend and cell text (Streamlit's chart theme greys it to 3.8:1)
# RdBu without its darkest ends, so every cell's number in TEXT keeps 5:1 or more
HEATMAP_SCALE = ("#d6604d", "#f4a582", "#fddbc7", "#f7f7f7", "#d1e5f0", "#92c5de", "#4393c3")
OUTLINE = dict(color=TEXT, width=1)  # light bars and markers keep a visible edge on white (WCAG 1.4.11)

# drawn from zero outwards: neutral straddles zero, unfavourable ends left, favourable ends right;
# the "somewhat" bands are hatched, so strong and mild answers differ without colour too
LIKERT_COLOURS = {"Neutral": "#d9d9d9", "Somewhat unfavourable": "#ef8a62", "Unfavourable": "#b2182b",
                  "Somewhat favourable": "#67a9cf", "Favourable": "#2166ac"}  # fmt: skip
LIKERT_PATTERNS = {"Neutral": ".", "Somewhat unfavourable": "/", "Unfavourable": "", "Somewhat favourable": "/",
                   "Favourable": ""}  # fmt: skip
STATUS_STYLES = {"held": ("#009E73", "circle"), "missed": ("#D55E00", "x"), "cancelled": ("#E69F00", "triangle-down"),
                 "unrecorded": ("#000000", "diamond-open"), "upcoming": ("#56B4E9", "circle-open")}  # fmt: skip


def cue(colours: dict, name: str) -> int:
    """A cohort's place in the colour map (all cohorts by start date): its symbol, dash and pattern follow it."""
    return list(colours).index(name) % len(SYMBOLS)


LONG_NAME = 24  # characters of a legend's name beyond which the legend goes below the plot
TITLE_WIDTH = 90  # characters of a title's line at 1280 px


def lines(text: str, width: int) -> str:
    """`text` as plotly draws it literally, in lines of at most `width` characters."""
    return "<br>".join(plotly_safe(line) for line in textwrap.wrap(text, width)) if text else ""


def as_read(text: str | None) -> str:
    """A title or name drawn by `lines` or `plotly_safe`, as a person reads it."""
    return html.unescape((text or "").replace("<br>", " "))


def layout(
    figure: go.Figure, title: str, y_title: str = "", x_title: str = "", percent_axis: bool = False
) -> go.Figure:
    # titles can hold cohort names: drawn as typed, and wrapped (plotly cuts a long line at the chart's edges)
    title, x_title = lines(title, TITLE_WIDTH), lines(x_title, TITLE_WIDTH)
    figure.update_layout(
        title=title, xaxis_title=x_title, yaxis_title=plotly_safe(y_title), legend_title_text="",
        margin=dict(t=40 + 20 * (title.count("<br>") + 1), b=40 + 20 * x_title.count("<br>")), legend_font_color=TEXT,
    )  # fmt: skip
    figure.update_xaxes(tickfont_color=TEXT, title_font_color=TEXT)
    figure.update_yaxes(tickfont_color=TEXT, title_font_color=TEXT)
    # plotly's own pick of black or white per cell falls to 2.6:1 on mid-tone RdBu cells
    figure.update_traces(
        colorscale=HEATMAP_SCALE, textfont_color=TEXT, colorbar_tickfont_color=TEXT, selector=dict(type="heatmap")
    )
    if percent_axis:
        figure.update_yaxes(tickformat=".0%")
    names = [trace.name for trace in figure.data if trace.name and trace.showlegend is not False]
    if max(map(len, names), default=0) > LONG_NAME:
        # a legend at the side takes the width of its longest name from the plot: below it, its names wrap in rows
        figure.update_layout(legend=dict(orientation="h", x=0, xanchor="left", y=-0.15, yanchor="top"))
        figure.update_layout(margin=dict(b=figure.layout.margin.b + 22 * len(names)))
    if not any(_drawn_values(trace).notna().any() for trace in figure.data):
        # an empty plot's axes would run over made-up ranges (-1 to 4): say that there is nothing instead
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
        note = (  # either reason: no data yet, or every group is too small to show
            f"Nothing to show yet for these filters<br>(no data yet, or no group of {min_group()} people or pairs,"
            " the smallest shown)"
        )
        figure.add_annotation(text=note, showarrow=False, font_color=TEXT,
                              xref="paper", yref="paper", x=0.5, y=0.5)  # fmt: skip
    return plain_labels(figure)


def _drawn_values(trace) -> pd.Series:
    if trace.type == "heatmap":
        return pd.Series(pd.DataFrame(trace.z if trace.z is not None else []).to_numpy().ravel(), dtype="float64")
    values = getattr(trace, _axes(trace)[1])  # the value axis, whichever way the chart lies
    return pd.to_numeric(pd.Series(list(values if values is not None else [])), errors="coerce")


def plain_labels(figure: go.Figure) -> go.Figure:
    """Names and category labels come from the data: drawn as the characters they are, never as plotly's HTML."""
    for trace in figure.data:
        if trace.name:
            trace.name = plotly_safe(trace.name)
        for axis in ("x", "y"):
            values = getattr(trace, axis, None)
            if values is not None and len(values) and isinstance(values[0], str):
                setattr(trace, axis, [plotly_safe(v) for v in values])
    return figure


def bars_by_cohort(frame: pd.DataFrame, value: str, colours: dict, title: str, y_title: str, percent_axis=False):
    names = frame["cohort_name"]
    marker = dict(color=[colours[c] for c in names], pattern_shape=[PATTERNS[cue(colours, c)] for c in names],
                  line=OUTLINE)  # fmt: skip
    # each bar says its value (one bar alone gives no scale to read it against)
    bars = go.Bar(x=names, y=frame[value], marker=marker, texttemplate="%{y:.0%}" if percent_axis else "%{y:,.2~f}",
                  textposition="outside", cliponaxis=False, textfont_color=TEXT)  # fmt: skip
    figure = layout(go.Figure(bars), title, y_title, "Cohort", percent_axis)
    if percent_axis:  # a rate's whole scale, with room above 100% for its label
        figure.update_yaxes(range=[0, 1.12], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1])
    # long cohort names wrap instead of turning on their side and taking half the chart
    shown = list(figure.data[0].x)
    wrapped = ["<br>".join(textwrap.wrap(name, 24, break_long_words=False)) or name for name in shown]
    return figure.update_xaxes(tickmode="array", tickvals=shown, ticktext=wrapped)


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
    """One line per cohort (column cohort_name), each with its own dash and marker, error bars from low/high."""
    figure = go.Figure()
    for name, group in frame.groupby("cohort_name", sort=False):
        error = None
        if low and high:
            error = dict(type="data", array=group[high] - group[y], arrayminus=group[y] - group[low], visible=True)
        i = cue(colours, name)
        figure.add_trace(
            go.Scatter(
                x=group[x],
                y=group[y],
                name=name,
                mode="lines+markers",
                error_y=error,
                line=dict(color=colours[name], dash=DASHES[i]),
                marker=dict(symbol=SYMBOLS[i], size=9, line=OUTLINE),
            )
        )
    figure.update_layout(showlegend=True)  # names the cohort of a lone line too
    return layout(figure, title, y_title, x_title, percent_axis)


FUNNEL_STEPS = {"trust": "Reached trust", "insight": "Reached insight", "brainstorm": "Reached brainstorming"}


def funnel(frame: pd.DataFrame, colours: dict) -> go.Figure:
    """Share of each cohort's pairs that reached each learning phase (never widening), one bar group per cohort,
    each with its own pattern; the label on each bar gives the pairs (the indicators are in the page's table)."""
    figure = go.Figure()
    for _, row in frame.iterrows():
        name = row["cohort_name"]
        figure.add_trace(
            go.Bar(
                x=list(FUNNEL_STEPS.values()),
                y=[row[step] / row["pairs"] for step in FUNNEL_STEPS],
                text=[f"{row[step]:,} of {row['pairs']:,}" for step in FUNNEL_STEPS],
                textposition="outside",  # above the bar, in the page's text colour: readable on any pattern, and at 0
                textfont_color=TEXT,
                cliponaxis=False,
                name=name,
                marker=dict(color=colours[name], pattern_shape=PATTERNS[cue(colours, name)], line=OUTLINE),
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
                marker=dict(color=colour, pattern_shape=LIKERT_PATTERNS[label], line=OUTLINE),
                hovertemplate="%{y}: %{customdata:.0%}<extra>" + label + "</extra>",
                customdata=part["share"].abs(),
            )  # fmt: skip
        )
    labels = list(dict.fromkeys(frame["row_label"]))
    # long questions wrap on two or three lines, so the bars keep most of the width
    wrapped = ["<br>".join(textwrap.wrap(label, 45, break_long_words=False)) or label for label in labels]
    lines = max((text.count("<br>") + 1 for text in wrapped), default=1)
    figure.update_layout(barmode="relative", xaxis_tickformat=".0%", height=max(320, 20 * lines * len(labels) + 120))
    figure.update_yaxes(tickmode="array", tickvals=labels, ticktext=wrapped)
    return layout(figure, title, "Item and wave", "Share of answers (unfavourable left, favourable right)")


def session_timeline(frame: pd.DataFrame) -> go.Figure:
    figure = go.Figure()
    for status, group in frame.groupby("as_of_status"):
        colour, symbol = STATUS_STYLES.get(status, (TEXT, "circle"))
        figure.add_trace(
            go.Scatter(
                x=group["scheduled_on"],
                y=group["session_no"],
                mode="markers",
                name=status.capitalize(),
                marker=dict(size=14, color=colour, symbol=symbol, line=OUTLINE),
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
            line=dict(color=PALETTE[0], dash="dot"),
        )  # fmt: skip
    )
    days = frame["scheduled_on"].dropna()
    if days.nunique() == 1:  # around a single date plotly would draw ticks milliseconds apart: show three weeks
        figure.update_xaxes(range=[days.iloc[0] - pd.Timedelta(days=10), days.iloc[0] + pd.Timedelta(days=10)])
    # whole sessions and whole ratings: ticks like 1.2 sessions or 0.89 trust would mean nothing
    figure.update_xaxes(tickformat="%d %b %Y")
    # two panels over one date axis: sessions above, trust below, each with its own gridlines (one grid for two
    # scales read a trust of 2 as "session 2.3")
    figure.update_layout(
        xaxis=dict(anchor="y2"),
        yaxis=dict(domain=[0.42, 1], dtick=1, tickformat="d", rangemode="tozero"),
        yaxis2=dict(title="Trust rating", domain=[0, 0.3], anchor="x", range=[0.5, 5.5], dtick=1),
        legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"),
        height=480,
    )
    return layout(figure, "Sessions of this pair and the trust trend", "Session number", "Scheduled date")


def figure_table(figure: go.Figure) -> pd.DataFrame:
    """What a figure draws, as rows: the same numbers for screen readers, keyboards and anyone who can't see colour."""
    # a trace with no point (no rating yet) adds no row, and would turn the dates of the others into text
    pieces = [piece for piece in (_points(figure, trace) for trace in figure.data) if len(piece[0])]
    if not pieces:
        return pd.DataFrame()
    table = pd.concat([piece for piece, _ in pieces], ignore_index=True)
    percent = set().union(*(in_percent for _, in_percent in pieces))
    for column in table.select_dtypes("number").columns:  # all text, so every column lines up the same way
        table[column] = _numbers(table[column].astype(float), column in percent)
    for column in table.select_dtypes("datetime").columns:
        table[column] = table[column].dt.strftime("%d %B %Y")
    return table.fillna("")  # traces on another axis leave the first axis' column empty


def describe(figure: go.Figure) -> str:
    """A chart's short text alternative: its title, what it plots against what, and its series."""
    text = f"Chart: {as_read(figure.layout.title.text)}"
    if not figure.data:
        return text + ": nothing to show for these filters."
    first = figure.data[0]
    if first.type != "heatmap":
        across, along = _axes(first)
        text += f"; {_title(figure, first, along) or 'values'} by {_title(figure, first, across) or 'category'}"
    series = [as_read(t.name) for t in figure.data if t.name]
    return text + (f"; series: {', '.join(series)}" if series else "") + ". Its data is in the table below."


def _axes(trace) -> tuple[str, str]:
    """(category axis, value axis) of a trace: y for horizontal bars and for points placed on named rows."""
    named_rows = trace.type == "scatter" and trace.y is not None and len(trace.y) and isinstance(trace.y[0], str)
    return ("y", "x") if (trace.type == "bar" and trace.orientation == "h") or named_rows else ("x", "y")


def _axis(figure: go.Figure, trace, letter: str):
    """The x or y axis a trace is drawn on ("y2" is layout.yaxis2)."""
    return figure.layout[letter + "axis" + (trace[letter + "axis"] or letter)[1:]]


def _title(figure: go.Figure, trace, letter: str) -> str:
    return as_read(_axis(figure, trace, letter).title.text)


def _points(figure: go.Figure, trace) -> tuple[pd.DataFrame, set[str]]:
    """A trace's points (category, value, error bar) and its columns in percent (the value's, on a percent axis)."""
    if trace.type == "heatmap":
        cells = trace.text if trace.text is not None else trace.z
        return pd.DataFrame(cells, index=list(trace.y), columns=list(trace.x)).rename_axis("").reset_index(), set()
    across, along = _axes(trace)
    if trace.type == "scatter" and trace.mode == "text":  # words in place of a value (hidden or not compared)
        return pd.DataFrame(
            {
                _title(figure, trace, across) or "Category": list(trace[across]),
                "Value": [text.replace("<br>", " ") for text in trace.text],
            }
        ), set()
    values = pd.Series(trace[along], dtype=float)
    if figure.layout.barmode == "relative":
        values = values.abs()  # drawn left of zero for unfavourable answers: the table gives the share itself
    rows = pd.DataFrame({"category": list(trace[across]), "value": values})
    if trace.type == "bar":  # stacked pieces of one bar (neutral, split across zero) are one value
        rows = rows.groupby("category", sort=False, as_index=False)["value"].sum(min_count=1)  # hidden stays blank
    error = trace.error_x if along == "x" else trace.error_y
    if error.array is not None:
        rows["Lower bound"] = rows["value"] - pd.Series(error.arrayminus, dtype=float)
        rows["Upper bound"] = rows["value"] + pd.Series(error.array, dtype=float)
    names = {"category": _title(figure, trace, across) or "Category", "value": _title(figure, trace, along) or "Value"}
    rows = rows.rename(columns=names)
    percent = (_axis(figure, trace, along).tickformat or "").endswith("%")
    in_percent = {names["value"], "Lower bound", "Upper bound"} & set(rows.columns) if percent else set()
    return (rows.assign(Series=trace.name)[["Series", *rows.columns]] if trace.name else rows), in_percent


def _numbers(column: pd.Series, percent: bool) -> pd.Series:
    """Values as the axis shows them: percentages, whole numbers, or two decimals."""
    if percent:
        pattern, digits = "{:.0%}", 2
    elif (column.dropna() % 1 == 0).all():
        pattern, digits = "{:,.0f}", 0
    else:
        pattern, digits = "{:,.2f}", 2
    # rounded as the pages' tables round (pages/ui.py), and never "-0.00"
    return column.map(lambda v: "" if pd.isna(v) else pattern.format(round(v, digits) + 0.0))


def effect_sizes(frame: pd.DataFrame, title: str, x_title: str) -> go.Figure:
    """Per metric (top to bottom in the frame's order) Hedges' g with its 95% CI, so rates, ratings and counts share
    one scale. A metric without one (hidden or not compared) says so in a line from the plot's left end, pointing to
    the table for the reason: reasons in full ran over each other and the axis when most metrics were hidden."""
    # drawn to 6 decimals: the last bits of a float depend on the order of a sum, the chart must not (4 made 0.07504
    # an exact 0.075, shown as 0.07 beside the table's 0.08)
    shown = frame.dropna(subset=["hedges_g"]).round({"hedges_g": 6, "g_low": 6, "g_high": 6})
    missing = frame[frame["hedges_g"].isna()]
    error = dict(type="data", array=shown["g_high"] - shown["hedges_g"], arrayminus=shown["hedges_g"] - shown["g_low"])
    figure = go.Figure(
        go.Scatter(
            x=shown["hedges_g"], y=shown["metric"], mode="markers", error_x=error,
            marker=dict(size=11, color=PALETTE[0]), customdata=shown["hover"], showlegend=False,
            hovertemplate="%{y}<br>%{customdata}<extra></extra>",
        )
    )  # fmt: skip
    left = min(shown["g_low"].min() if len(shown) else 0.0, -1.0)
    figure.add_trace(
        go.Scatter(
            x=[left] * len(missing), y=missing["metric"], mode="text", textposition="middle right",
            text=["not compared: the table below says why"] * len(missing), textfont=dict(color="#595959"),
            hoverinfo="skip", showlegend=False,
        )
    )  # fmt: skip
    figure.add_vline(x=0, line_dash="dot", line_color="#7f7f7f")
    figure.update_yaxes(categoryorder="array", categoryarray=frame["metric"].tolist()[::-1], automargin=True)
    figure.update_layout(height=160 + 40 * len(frame))
    return layout(figure, title, "", x_title)
