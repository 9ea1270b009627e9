"""Pilot vs expansion leads with a chart; analyst exports keep numbers numeric and say what they are."""

import base64
import csv
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pages import charts, ui
from tests.conftest import ENTRYPOINT, table_with
from warehouse.export import export_file
from warehouse.location import ENV_VAR

TABLE = pd.DataFrame({"Metric": ["Attendance rate", "=cmd"], "n": [12, 45], "mean": [88.125, None]})
ABOUT = {"As of": "2013-09-06", "Cohorts (filter)": "all cohorts", "Small groups": "fewer than 5 hidden"}


def read_back(kind: str, data: bytes) -> pd.DataFrame:
    if kind == "csv":
        return pd.read_csv(io.BytesIO(data), comment="#", encoding="utf-8-sig")
    if kind == "xlsx":
        return pd.read_excel(io.BytesIO(data), sheet_name="data", engine="calamine")
    return pd.read_parquet(io.BytesIO(data))


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_exports_read_back_with_numbers_as_numbers(kind):
    back = read_back(kind, export_file(kind, TABLE, ABOUT))
    assert back["n"].tolist() == [12, 45]
    assert back["mean"].iloc[0] == 88.125 and pd.isna(back["mean"].iloc[1])
    assert back["Metric"].tolist() == ["Attendance rate", "'=cmd"]  # formula-safe text, numbers untouched


def test_csv_starts_with_its_metadata():
    text = export_file("csv", TABLE, ABOUT).decode("utf-8-sig")
    assert text.splitlines()[:4] == [
        "# As of: 2013-09-06", "# Cohorts (filter): all cohorts", "# Small groups: fewer than 5 hidden",
        '"Metric","n","mean"',  # text quoted: a line break in a value never starts a record
    ]  # fmt: skip


def test_xlsx_has_widths_number_formats_and_an_about_sheet():
    book = openpyxl.load_workbook(io.BytesIO(export_file("xlsx", TABLE, ABOUT, formats={"mean": "0.000"})))
    data, about = book["data"], book["About"]
    assert [data.column_dimensions[c].width for c in "ABC"] == [17, 8, 8]  # "Attendance rate" + 2; at least 8
    assert (data["B2"].number_format, data["C2"].number_format) == ("#,##0", "0.000")
    assert data.freeze_panes == "A2"
    assert [[cell.value for cell in row] for row in about.iter_rows()] == [
        ["About this export", None], ["As of", "2013-09-06"], ["Cohorts (filter)", "all cohorts"],
        ["Small groups", "fewer than 5 hidden"],
    ]  # fmt: skip


def test_metadata_keeps_its_commas_except_on_a_csv_header_line():
    about = {"Benefits": "$2,000 per executive newly active, $500 per idea; 12,5 as written"}
    book = openpyxl.load_workbook(io.BytesIO(export_file("xlsx", TABLE, about)))
    assert book["About"]["B2"].value == "$2,000 per executive newly active, $500 per idea; 12,5 as written"
    assert read_back("parquet", export_file("parquet", TABLE, about)).attrs == about
    # a CSV header line must stay one cell: thousands separators go, other commas become semicolons
    assert export_file("csv", TABLE, about).decode("utf-8-sig").splitlines()[0] == (
        "# Benefits: $2000 per executive newly active; $500 per idea; 12;5 as written"
    )


def test_exports_drop_the_float_noise_of_sums_and_keep_tiny_p_values():
    frame = pd.DataFrame(
        {"Measure": ["retained", "share", "p"], "Value": [8.550000000000004, 1 / 3, 3.21456789012345e-14]}
    )
    for kind in ("csv", "xlsx", "parquet"):
        values = read_back(kind, export_file(kind, frame, {}))["Value"].tolist()
        assert values == [8.55, 0.333333333333, 3.21456789012e-14], kind


def test_parquet_carries_the_metadata_as_attrs():
    assert read_back("parquet", export_file("parquet", TABLE, ABOUT)).attrs == ABOUT


def test_metadata_text_is_formula_safe_and_on_one_line():
    text = export_file("csv", TABLE, {"Cohorts": "=HYPERLINK(1)\nx"}).decode("utf-8-sig")
    assert text.splitlines()[0] == "# Cohorts: '=HYPERLINK(1) x"


def test_a_csv_header_line_is_formula_safe_in_excel_with_semicolons_too():
    # Excel in a semicolon locale (German, French) splits a header line at each semicolon
    about = {"Cohorts compared": '=HYPERLINK("http://x/?a","click"),+cmd (first) and -1+2 (second); @SUM(1)'}
    line = export_file("csv", TABLE, about).decode("utf-8-sig").splitlines()[0]
    assert line == (
        '# Cohorts compared: \'=HYPERLINK("http://x/?a";"click");\'+cmd (first) and -1+2 (second);\' @SUM(1)'
    )
    cells = next(csv.reader([line], delimiter=";"))
    assert [c for c in cells if c.lstrip()[:1] in ("=", "+", "-", "@")] == []


def test_hidden_metrics_are_drawn_as_not_compared():
    frame = pd.DataFrame(
        {"metric": ["Attendance rate", "Mean trust (1-5)"], "hedges_g": [0.5, None], "g_low": [-0.13, None],
         "g_high": [1.13, None], "note": ["", "hidden (n < 5)"], "hover": ["difference +3.0 pp", ""]}
    )  # fmt: skip
    points, words = charts.effect_sizes(frame, "t", "g").data
    assert list(points.x) == [0.5] and list(points.error_x.array) == [pytest.approx(0.63)]
    assert list(words.y) == ["Mean trust (1-5)"] and list(words.text) == ["not compared: the table below says why"]


def test_long_reasons_stay_in_the_table_one_line_each_in_the_chart():
    # four-line reasons on every row ran over each other, the zero line and the axis (a reviewer's 6 hidden metrics)
    note = "not compared: Alpha none released (sessions enter in groups of 5 pairs of one level); Beta none released"
    frame = pd.DataFrame({"metric": [f"Metric {i}" for i in range(6)], "hedges_g": [None] * 6, "g_low": [None] * 6,
                          "g_high": [None] * 6, "note": [note] * 6, "hover": [""] * 6})  # fmt: skip
    figure = charts.effect_sizes(frame, "t", "g")
    assert set(figure.data[1].text) == {"not compared: the table below says why"}
    assert figure.data[1].x == (-1.0,) * 6 and figure.layout.height == 160 + 40 * 6  # from the left end


def open_with_downloads(monkeypatch, warehouse: Path, page: str) -> tuple[AppTest, dict]:
    """A page on the demo, with what it hands to the download buttons."""
    monkeypatch.setenv(ENV_VAR, str(warehouse))
    handed = {}
    monkeypatch.setattr(ui, "downloads", lambda frame, name, metadata, formats, **kinds: handed.update(locals()))
    test = AppTest.from_file(ENTRYPOINT, default_timeout=60).run()
    test.switch_page(f"pages/{page}.py").run()
    assert not test.exception
    return test, handed


@pytest.fixture
def comparison(demo_warehouse, monkeypatch):
    return open_with_downloads(monkeypatch, demo_warehouse, "cohort_comparison")


def test_survey_export_keeps_changes_and_p_values_numeric(demo_warehouse, monkeypatch):
    test, handed = open_with_downloads(monkeypatch, demo_warehouse, "survey_outcomes")
    back = read_back("csv", export_file("csv", handed["frame"], handed["metadata"]))
    shown = table_with(test, "Construct").set_index("Construct")
    row = back.set_index("Construct").loc["Social media knowledge"]
    assert f"{row['Change (after - before)']:+.2f}" == shown.loc["Social media knowledge", "Change"]
    assert back["BH-adjusted p"].dtype == "float64" and back["95% CI low"].dtype == "float64"
    assert handed["metadata"]["Waves"] == "pre and post, matched respondents only"


def test_comparison_leads_with_the_standardised_differences(comparison):
    test, _ = comparison
    [spec] = [json.loads(chart.proto.spec) for chart in test.get("plotly_chart")]
    points = spec["data"][0]
    assert points["y"][:2] == ["Attendance rate", "Mean trust (1-5)"]
    g = np.frombuffer(base64.b64decode(points["x"]["bdata"]), dtype=points["x"]["dtype"])  # plotly's typed array
    assert [round(float(v), 2) for v in g[:2]] == [0.08, 0.29]  # trust over the held sessions released for values
    # the chart's data table rounds as the metric table does (0.0750363 is 0.08 in both)
    assert table_with(test, "Metric").set_index("Metric").loc["Attendance rate", "Hedges' g"] == "0.08"
    assert charts.figure_table(charts.effect_sizes(pd.DataFrame(
        {"metric": ["Attendance rate"], "hedges_g": [0.0750363], "g_low": [-0.2], "g_high": [0.35], "note": [""],
         "hover": [""]}), "t", "g")).iloc[0].tolist()[-3:] == ["0.08", "-0.20", "0.35"]  # fmt: skip
    # over the sessions and people released to aggregates (groups of 5 per cohort and level): 10 of the 12 pilot
    # mentees; tests/test_pages.py checks the attendance against an independent computation
    table = table_with(test, "Metric").set_index("Metric")
    assert table.loc["Attendance rate", "2011 pilot"] == "89.5% (n 12)"
    assert table.loc["Attendance rate", "Difference (95% CI)"] == "+1.0 pp (-7.5 to +9.4)"
    assert table.loc["Adoption lift (share of months active)", "2011 pilot"] == "+60.0 pp (n 10)"


def test_comparison_export_is_numeric_and_names_date_filters_cohorts_and_rule(comparison):
    _, handed = comparison
    frame, metadata = handed["frame"], handed["metadata"]
    row = frame.set_index("Metric").loc["Attendance rate"]
    assert (row["2011 pilot n"], row["2012 expansion n"]) == (12, 45)
    assert round(row["2011 pilot mean"], 1) == 89.5  # percent, not a share
    assert metadata["As of"] == "2013-09-06"
    assert metadata["Cohorts (filter)"] == "all cohorts" and metadata["Mentee levels (filter)"] == "all levels"
    assert metadata["Cohorts compared"] == "2011 pilot (first) and 2012 expansion (second)"
    assert metadata["Small groups"].startswith("sessions, answers and people enter aggregates in groups of at least 5")
    assert "sessions 1 to 7" in metadata["Method"]
    assert handed["formats"]["BH-adjusted p"] == "0.000" and "2011 pilot n" not in handed["formats"]
    for kind in ("csv", "xlsx", "parquet"):
        back = read_back(kind, export_file(kind, frame, metadata, handed["formats"]))
        numeric = back.drop(columns=["Metric", "Unit", "Not shown because"])
        assert all(pd.api.types.is_numeric_dtype(numeric[c]) for c in numeric), (kind, numeric.dtypes)
        assert back.shape == frame.shape


def test_roi_export_names_its_scenario_and_keeps_its_numbers(demo_warehouse, monkeypatch):
    test, handed = open_with_downloads(monkeypatch, demo_warehouse, "roi")
    back = read_back("xlsx", export_file("xlsx", handed["frame"], handed["metadata"], handed["formats"]))
    values = dict(zip(back["Measure"], back["Value"], strict=True))
    assert f"${values['Fully loaded costs']:,.0f}" == test.metric[0].value
    assert back["Value"].dtype == "float64"
    assert handed["metadata"]["ROI scenario"] == (
        "'Conservative defaults': $2,000 per executive newly active, $500 per idea, $5,000 per mentor retained "
        "beyond the baseline; attribution 25%, confidence 50%, baseline turnover 15%"
    )


def test_social_adoption_exports_its_comparison_as_numbers(demo_warehouse, monkeypatch):
    # the page had no export; its figures read back as numbers equal to the table shown
    test, handed = open_with_downloads(monkeypatch, demo_warehouse, "social_adoption")
    back = read_back("xlsx", export_file("xlsx", handed["frame"], handed["metadata"])).set_index("Cohort")
    shown = table_with(test, "Difference in differences").set_index("Cohort")
    for cohort in shown.index:
        assert (
            f"{back.loc[cohort, 'Difference in differences (pp)']:+.1f} pp"
            == shown.loc[cohort, "Difference in differences"]
        )
        assert f"{back.loc[cohort, 'Mentees before (%)']:.0f}%" == shown.loc[cohort, "Mentees before"]
    assert back["Difference in differences (pp)"].dtype == "float64" and len(back) == len(shown) > 0
