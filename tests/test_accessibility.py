"""Charts readable without colour: colours told apart under colour-vision deficiencies, a second cue per series,
and the numbers of every chart as a table. Contrast of what axe-core can't check (chart text in SVG)."""

import html
import itertools
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from colorspacious import cspace_convert, deltaE

from pages import charts

ROOT = Path(__file__).resolve().parents[1]
# Dichromacy (severity 100, Machado et al. 2009): the strongest form of each deficiency.
VISIONS = [None, "protanomaly", "deuteranomaly", "tritanomaly"]
# Colour difference in CAM02-UCS; about 10 is easily told apart at a glance. The former palette (matplotlib's
# tab10) drew the first two cohorts in orange and green: 1.6 apart for protanopes.
MIN_DIFFERENCE = 10
COLOUR_SETS = {
    "cohorts": charts.PALETTE,
    "answer bands": tuple(charts.LIKERT_COLOURS.values()),
    "session statuses": tuple(colour for colour, _ in charts.STATUS_STYLES.values()),
}


def rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def seen(hex_colour: str, vision: str | None) -> np.ndarray:
    if vision is None:
        return rgb(hex_colour)
    simulation = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cspace_convert(rgb(hex_colour), simulation, "sRGB1"), 0, 1)


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio."""

    def luminance(colour: np.ndarray) -> float:
        linear = np.where(colour <= 0.03928, colour / 12.92, ((colour + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    high, low = sorted([luminance(rgb(foreground)), luminance(rgb(background))], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", COLOUR_SETS)
def test_colours_stay_distinguishable_under_colour_vision_deficiencies(name, vision):
    colours = COLOUR_SETS[name]
    for first, second in itertools.combinations(colours, 2):
        difference = deltaE(seen(first, vision), seen(second, vision), input_space="sRGB1")
        assert difference >= MIN_DIFFERENCE, f"{name}: {first} and {second} are {difference:.1f} apart ({vision})"


COHORTS = [f"cohort {i}" for i in range(len(charts.PALETTE))]
COLOURS = dict(zip(COHORTS, charts.PALETTE, strict=True))


def lines(cohorts: list[str]):
    frame = pd.DataFrame({"cohort_name": cohorts, "session": 1, "value": 3.0})
    return charts.lines_with_ci(frame, "session", "value", COLOURS, "Trust", "Session", "Trust")


def test_each_cohort_line_has_its_own_marker_and_dash():
    figure = lines(COHORTS)
    assert len({trace.marker.symbol for trace in figure.data}) == len(COHORTS)
    assert len({trace.line.dash for trace in figure.data}) == len(COHORTS)


def test_each_cohort_bar_has_its_own_pattern():
    frame = pd.DataFrame({"cohort_name": COHORTS, "rate": 0.5})
    shapes = charts.bars_by_cohort(frame, "rate", COLOURS, "Rate", "Rate").data[0].marker.pattern.shape
    assert len(set(shapes)) == len(COHORTS)
    steps = {step: 1 for step in ("pairs", "trust", "insight", "brainstorm")}
    phases = pd.DataFrame({"cohort_name": COHORTS, **steps})
    assert len({trace.marker.pattern.shape for trace in charts.funnel(phases, COLOURS).data}) == len(COHORTS)


def test_a_cohort_keeps_its_cues_whichever_cohorts_are_shown():
    alone = lines(["cohort 2"]).data[0]
    among_all = lines(COHORTS).data[2]
    assert (alone.marker.symbol, alone.line.dash, alone.line.color) == (
        among_all.marker.symbol,
        among_all.line.dash,
        among_all.line.color,
    )
    frame = pd.DataFrame({"cohort_name": ["cohort 2"], "rate": 0.5})
    assert charts.bars_by_cohort(frame, "rate", COLOURS, "Rate", "Rate").data[0].marker.pattern.shape == (
        charts.PATTERNS[2],
    )


def test_answer_bands_on_one_side_differ_by_pattern_and_statuses_by_symbol():
    sides = [("Unfavourable", "Somewhat unfavourable"), ("Favourable", "Somewhat favourable")]
    for strong, mild in sides:
        assert charts.LIKERT_PATTERNS[strong] != charts.LIKERT_PATTERNS[mild]
    symbols = [symbol for _, symbol in charts.STATUS_STYLES.values()]
    assert len(set(symbols)) == len(symbols)


def test_chart_text_and_captions_meet_aa_contrast():
    assert contrast(charts.TEXT, "#ffffff") >= 4.5
    heatmap = charts.layout(go.Figure(go.Heatmap(z=[[1]], colorscale="RdBu", text=[["1%"]])), "ROI", "", "")
    cell_colours = [colour for _, colour in heatmap.data[0].colorscale]
    assert heatmap.data[0].textfont.color == charts.TEXT
    assert min(contrast(charts.TEXT, colour) for colour in cell_colours) >= 4.5  # numbers written in the cells
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    # Streamlit draws captions in textColor at 60% opacity; its sidebar background is #f8f8f7
    for background in ("#ffffff", "#f8f8f7"):
        caption = 0.6 * rgb(theme["textColor"]) + 0.4 * rgb(background)
        assert contrast("#" + "".join(f"{round(c * 255):02x}" for c in caption), background) >= 4.5
    assert contrast("#ffffff", theme["primaryColor"]) >= 4.5  # white text on selected cohorts


def test_a_likert_chart_as_a_table_gives_each_band_its_share():
    bands = pd.DataFrame(
        {
            "row_label": ["Q1 after"] * 4,
            "band": ["Neutral", "Neutral", "Unfavourable", "Favourable"],
            "share": [-0.1, 0.1, -0.3, 0.5],  # neutral split across zero, unfavourable drawn left of it
        }
    )
    table = charts.figure_table(charts.diverging_likert(bands, "Answers"))
    shares = dict(zip(table["Series"], table["Share of answers (unfavourable left, favourable right)"], strict=True))
    assert shares == {"Neutral": "20%", "Unfavourable": "30%", "Favourable": "50%"}
    assert set(table["Item and wave"]) == {"Q1 after"}


def test_a_long_question_wraps_on_the_axis_and_reads_whole_in_the_table():
    label = "I feel confident using social media to share my views with employees and customers: after"
    bands = pd.DataFrame({"row_label": [label], "band": ["Favourable"], "share": [0.5]})
    figure = charts.diverging_likert(bands, "Answers")
    assert figure.layout.yaxis.ticktext == (
        "I feel confident using social media to share<br>my views with employees and customers: after",
    )
    assert charts.figure_table(figure)["Item and wave"].tolist() == [label]


def test_a_hidden_bar_is_blank_in_the_table_not_zero():
    frame = pd.DataFrame({"cohort_name": ["cohort 0", "cohort 1"], "rate": [float("nan"), 0.8]})
    figure = charts.bars_by_cohort(frame, "rate", COLOURS, "Attendance", "Attendance", percent_axis=True)
    assert charts.figure_table(figure).values.tolist() == [["cohort 0", ""], ["cohort 1", "80%"]]
    # a rate's bar says its value, on an axis that holds 100% and the label above it
    assert figure.data[0].texttemplate == "%{y:.0%}" and figure.layout.yaxis.range == (0, 1.12)


def test_a_line_chart_as_a_table_gives_values_and_error_bars_per_series():
    frame = pd.DataFrame(
        {"cohort_name": ["cohort 0", "cohort 1"], "session": [1, 1], "mean": [3.1, 4.0], "low": [2.9, 3.5],
         "high": [3.3, 4.25]}
    )  # fmt: skip
    figure = charts.lines_with_ci(frame, "session", "mean", COLOURS, "Trust", "Session", "Trust (1-5)", "low", "high")
    table = charts.figure_table(figure)
    assert table.to_dict("records") == [
        {"Series": "cohort 0", "Session": "1", "Trust (1-5)": "3.10", "Lower bound": "2.90", "Upper bound": "3.30"},
        {"Series": "cohort 1", "Session": "1", "Trust (1-5)": "4.00", "Lower bound": "3.50", "Upper bound": "4.25"},
    ]
    assert charts.describe(figure) == (
        "Chart: Trust; Trust (1-5) by Session; series: cohort 0, cohort 1. Its data is in the table below."
    )


def test_a_percent_chart_as_a_table_gives_only_its_values_in_percent():
    frame = pd.DataFrame({"cohort_name": ["cohort 0"] * 2, "month": [-12, 3], "share": [0.25, 0.5]})
    figure = charts.lines_with_ci(frame, "month", "share", COLOURS, "Active", "Months from start", "Share",
                                  percent_axis=True)  # fmt: skip
    assert charts.figure_table(figure).values.tolist() == [["cohort 0", "-12", "25%"], ["cohort 0", "3", "50%"]]


def test_a_timeline_as_a_table_gives_dates_and_each_axis_its_column():
    sessions = pd.DataFrame(
        {"scheduled_on": pd.to_datetime(["2012-01-05", "2012-02-02"]), "session_no": [1, 2],
         "as_of_status": ["held", "missed"], "trust_rating": [3.0, None]}
    )  # fmt: skip
    figure = charts.session_timeline(sessions)
    table = charts.figure_table(figure)
    assert table.columns.tolist() == ["Series", "Scheduled date", "Session number", "Trust rating"]
    # trust in a panel of its own below the sessions, not a second scale over the same grid
    assert figure.layout.yaxis2.overlaying is None and figure.layout.yaxis2.domain == (0, 0.3)
    assert table.values.tolist() == [
        ["Held", "05 January 2012", "1", ""],
        ["Missed", "02 February 2012", "2", ""],
        ["Trust rating (1-5)", "05 January 2012", "", "3"],
    ]


def test_a_timeline_of_one_unrated_session_shows_its_date_and_three_weeks_around_it():
    sessions = pd.DataFrame(
        {"scheduled_on": pd.to_datetime(["2026-09-01"]), "session_no": [1], "as_of_status": ["scheduled"],
         "trust_rating": [None]}
    )  # fmt: skip
    figure = charts.session_timeline(sessions)
    assert charts.figure_table(figure).values.tolist() == [["Scheduled", "01 September 2026", "1"]]
    assert [str(day.date()) for day in figure.layout.xaxis.range] == ["2026-08-22", "2026-09-11"]


def test_a_chart_with_nothing_to_show_says_so():
    empty = lines([])
    assert charts.figure_table(empty).empty
    assert charts.describe(empty) == "Chart: Trust: nothing to show for these filters."


def test_a_chart_with_nothing_to_draw_says_so_instead_of_drawing_empty_axes():
    frame = pd.DataFrame({"cohort_name": COHORTS, "rate": float("nan")})
    figure = charts.bars_by_cohort(frame, "rate", COLOURS, "Rate", "Rate", percent_axis=True)
    assert [a.text for a in figure.layout.annotations] == [
        "Nothing to show yet for these filters<br>(no data yet, or no group of 5 people or pairs, the smallest shown)"
    ]
    assert (figure.layout.xaxis.visible, figure.layout.yaxis.visible) == (False, False)
    drawn = charts.bars_by_cohort(frame.assign(rate=0.5), "rate", COLOURS, "Rate", "Rate")
    assert not drawn.layout.annotations


def test_long_cohort_names_wrap_under_their_bars():
    name = "Zurich cohort (2025, second wave, with a very long descriptive name)"
    frame = pd.DataFrame({"cohort_name": [name], "rate": [0.5]})
    figure = charts.bars_by_cohort(frame, "rate", {name: "#0072B2"}, "Rate", "Rate")
    assert figure.layout.xaxis.ticktext == (
        "Zurich cohort (2025,<br>second wave, with a very<br>long descriptive name)",
    )
    assert figure.data[0].x == (name,)  # the chart's data table keeps the name whole


def test_a_chart_lying_on_its_side_with_values_is_not_called_empty():
    """Points placed on named rows (the effect sizes of Pilot vs expansion) carry their values on the x axis."""
    figure = charts.layout(go.Figure(go.Scatter(x=[0.2, -0.1], y=["Attendance rate", "Mean trust"])), "Effects")
    assert not figure.layout.annotations


def test_a_long_cohort_name_wraps_in_the_title_and_moves_the_legend_below_the_plot():
    # a legend beside the plot takes its longest name's width from it; plotly cuts a long title at the edges
    name = 'Programme pilote <b>2011</b> "C-suite & LOB presidents" très longue cohorte de mentorat inversé'
    figure = charts.layout(go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name=name)), f"Trust of {name}", "Trust", "")
    title = figure.layout.title.text
    assert [len(html.unescape(line)) <= charts.TITLE_WIDTH for line in title.split("<br>")] == [True, True]
    assert "<b>" not in title and charts.as_read(title) == f"Trust of {name}"
    assert (figure.layout.legend.orientation, figure.layout.legend.y) == ("h", -0.15)
    short = charts.layout(go.Figure(go.Scatter(x=[1], y=[2], name="2011 pilot")), "Trust", "", "")
    assert short.layout.legend.orientation is None
