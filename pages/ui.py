"""What every page shares: the warehouse, the shared filters, cohort colours and honest captions."""

import html
import math
from datetime import date

import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages import charts
from pages.plain import markdown_safe
from warehouse import read
from warehouse.read import Filters, Source

PLATFORM_LABELS = {
    "any": "any platform",
    "linkedin": "LinkedIn",
    "twitter": "Twitter",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "internal": "the internal network",
}


def source() -> Source:
    """The warehouse, as opened by dashboard.py for this session."""
    if "source" not in st.session_state:
        # A server whose first request is a link to a page runs that page alone, the legacy way a
        # pages/ folder is served, until dashboard.py has called st.navigation once. Switch the
        # legacy mode off as st.navigation does, and rerun: the same address then goes through
        # dashboard.py (warehouse, filters) to this page, with its query parameters intact.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["source"]


def filters() -> Filters:
    return st.session_state["filters"]


def as_of() -> date:
    return read.as_of(source(), filters())


def cohort_names() -> dict[str, str]:
    frame = read.cohorts(source())
    return dict(zip(frame["cohort_id"], frame["cohort_name"], strict=True))


def cohort_labels() -> dict[str, str]:
    """Cohort names for the cohorts started by the as-of date, marked "(running)" while they were still running."""
    frame = read.cohorts_as_of(source(), filters())
    return {
        row.cohort_id: f"{row.cohort_name} (running)" if row.is_running else row.cohort_name
        for row in frame.itertuples()
    }


def cohort_colours() -> dict[str, str]:
    """One colour per cohort, by start date, the same on every page, keyed by its label (charts.cue follows this
    order)."""
    labels = cohort_labels()
    return {
        labels.get(cohort_id, name): charts.PALETTE[i % len(charts.PALETTE)]
        for i, (cohort_id, name) in enumerate(cohort_names().items())
    }


def chart(figure: go.Figure) -> None:
    """A plotly chart with a text alternative, and the numbers it draws as a table for those who can't see it."""
    st.plotly_chart(figure, width="stretch", alt=charts.describe(figure))
    with st.expander(f"{figure.layout.title.text}: data as a table"):
        table = charts.figure_table(figure)
        labels = table.select_dtypes(include=["object", "string"]).columns  # st.table renders Markdown: plain it
        table[labels] = table[labels].map(lambda v: markdown_safe(html.unescape(v)) if isinstance(v, str) else v)
        st.table(table, hide_index=True)


def caption(shows: str, n: str, method: str) -> None:
    """Every chart says what it shows, as of when, for how many, and by which definition."""
    st.caption(markdown_safe(f"{shows}. As of {as_of():%d %B %Y}; {n}. {method}"))  # names come from the data


def percent(value: float, digits: int = 0) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value * 100:.{digits}f}%"


def points(value: float, digits: int = 1) -> str:
    """A difference of two shares, in percentage points."""
    return "n/a" if value is None or math.isnan(value) else f"{value * 100:+.{digits}f} pp"


def number(value: float, digits: int = 2) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def p_value(value: float) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def require(*entities: str) -> None:
    """A page whose data is not loaded says what is missing and how to load it, instead of failing or showing blanks."""
    counts = read.row_counts(source()).set_index("entity")["rows"]
    missing = [entity for entity in entities if not counts.get(entity)]
    if missing:
        names = " and ".join(entity.replace("_", " ") for entity in missing)
        files = ", ".join(f"{entity}.csv" for entity in missing)
        st.info(
            f"No {names} in the warehouse yet, and this page needs them. Put {files} in a folder and run"
            " `python -m etl load FOLDER` (the columns are in docs/data-contract.md).",
            icon=":material/upload_file:",
        )
        st.stop()
