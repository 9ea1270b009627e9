"""What every page shares: the warehouse, the shared filters, cohort colours and honest captions."""

import html
import logging
import math
import uuid
from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from pages import charts
from pages.access import page_link
from pages.plain import markdown_safe
from warehouse import read
from warehouse.export import export_file
from warehouse.privacy import min_group
from warehouse.read import Filters, Source

PLATFORM_LABELS = {
    "any": "any platform",
    "linkedin": "LinkedIn",
    "twitter": "Twitter",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "internal": "the internal network",
}
LEVEL_LABELS = {
    "c_suite": "C-suite",
    "lob_president": "LOB president",
    "direct_report": "Direct report",
    "department_head": "Department head",
    "manager": "Manager",
    "individual_contributor": "Individual contributor",
    "unknown": "Unknown",
}


LOGGER = logging.getLogger("mentoring.dashboard")


def level_label(level: str) -> str:
    """A mentee level as people write it (C-suite, LOB president); a level not in the lookup in plain words."""
    return LEVEL_LABELS.get(level, level.replace("_", " ").capitalize())


def run_page(page: Callable[[], None]) -> None:
    """Run a page; when the server hides error details (client.showErrorDetails = "none"), a failure shows a short
    box with a reference that finds the full traceback in the server log, instead of Python's traceback."""
    try:
        page()
    except Exception:  # st.stop and st.rerun are not Exceptions: they pass through
        if st.get_option("client.showErrorDetails") != "none":
            raise  # a developer's setting: Streamlit shows the error as configured
        reference = uuid.uuid4().hex[:8]
        LOGGER.exception("Page failed (reference %s)", reference)
        st.error(
            f"This page could not be shown. The data may be incomplete after the last load. Try another page or "
            f"an earlier as-of date, and tell the dashboard's administrator the reference **{reference}**.",
            icon=":material/error:",
        )


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


def wrote() -> None:
    """After this session changed the warehouse file: its pages read the new file from here on, this run included."""
    st.cache_data.clear()
    st.session_state["source"] = Source.current()


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
    with st.expander(markdown_safe(f"{charts.as_read(figure.layout.title.text)}: data as a table")):
        table = charts.figure_table(figure)
        plain_table(table.map(lambda v: html.unescape(v) if isinstance(v, str) else v))


def plain_table(frame) -> None:
    """st.table (which wraps long text) with its text shown as typed: st.table renders Markdown in cells."""
    text = frame.map(lambda v: markdown_safe(v) if isinstance(v, str) else v)
    st.table(text.rename(columns=lambda c: markdown_safe(c) if isinstance(c, str) else c), hide_index=True)


def caption(shows: str, n: str, method: str) -> None:
    """Every chart says what it shows, as of when, for how many, and by which definition."""
    st.caption(markdown_safe(f"{shows}. As of {as_of():%d %B %Y}; {n}. {method}"))  # names come from the data


def counted(count: int, one: str, many: str | None = None) -> str:
    """A count in words: "1 pair", "12 pairs", "no pair"."""
    return f"no {one}" if not count else f"1 {one}" if count == 1 else f"{count:,} {many or one + 's'}"


def rounded(value: float, digits: int) -> float:
    """`value` to `digits` decimals, a zero without a minus sign: -0.004 shows as 0.00, not -0.00."""
    return round(value, digits) + 0.0


def percent(value: float, digits: int = 0) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{rounded(value * 100, digits):.{digits}f}%"


def roi_percent(value: float) -> str:
    """An ROI in whole percent, with the decimals that keep it from reading -100% (no benefit at all) when there is
    some: -99.96% shows as -99.96%."""
    if value is None or math.isnan(value):
        return "n/a"
    digits = 0
    while digits < 4 and value != -100 and rounded(value, digits) == -100:
        digits += 1
    return f"{rounded(value, digits):,.{digits}f}%"


def points(value: float, digits: int = 1) -> str:
    """A difference of two shares, in percentage points."""
    return "n/a" if value is None or math.isnan(value) else f"{rounded(value * 100, digits):+.{digits}f} pp"


def number(value: float, digits: int = 2) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{rounded(value, digits):,.{digits}f}"


def signed(value: float, digits: int = 2) -> str:
    """A change or difference, always with its sign."""
    return "n/a" if value is None or math.isnan(value) else f"{rounded(value, digits):+,.{digits}f}"


def p_value(value: float) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


def loaded(entity: str) -> bool:
    """Whether the warehouse holds rows of `entity` (a file of it was loaded)."""
    return bool(read.row_counts(source()).set_index("entity")["rows"].get(entity))


def require(*entities: str) -> None:
    """A page whose data is not loaded says what is missing and how to load it, instead of failing or showing blanks."""
    missing = [entity for entity in entities if not loaded(entity)]
    if missing:
        names = " and ".join(entity.replace("_", " ") for entity in missing)
        files = ", ".join(f"{entity}.csv" for entity in missing)
        st.info(
            f"No {names} in the warehouse yet: this page shows them once {files} (or your tools' exports of them) "
            "are loaded. Upload them on the Load data page, which lists the columns each file needs (or, in a "
            "terminal, run `python -m etl load FOLDER`).",
            icon=":material/upload_file:",
        )
        page_link(st, "pages/load_data.py", label="Open Load data", icon=":material/upload_file:")
        st.stop()


def export_metadata(title: str, method: str, **more: str) -> dict[str, str]:
    """What every export says about itself: what it is, as of when, for which filters, how, and what is hidden."""
    chosen = filters()
    names = cohort_names()
    return {
        "Export": title,
        "As of": f"{as_of():%Y-%m-%d}",
        "Cohorts (filter)": ", ".join(names.get(c, c) for c in chosen.cohorts) or "all cohorts",
        "Mentee levels (filter)": ", ".join(map(level_label, chosen.levels)) or "all levels",
        **{name[:1].upper() + name[1:].replace("_", " "): value for name, value in more.items()},
        "Method": method,
        "Small groups": f"sessions, answers and people enter aggregates in groups of at least {min_group()} of one "
        "cohort and mentee level (sessions also of one session number, held or not, with the same things logged), in "
        "the order they became known, so that no view singles anyone out",
        "Data": "demo data (fictional)" if read.info(source())["is_demo"] else "loaded program data",
    }


EXPORTS = {  # kind: (label, file extension, MIME type)
    "csv": ("CSV", "csv", "text/csv"),
    "xlsx": ("Excel", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "parquet": ("Parquet", "parquet", "application/vnd.apache.parquet"),
}


def downloads(frame, name: str, metadata: dict[str, str], formats: dict | None = None, kinds=tuple(EXPORTS)) -> None:
    """One download button per format, side by side: `name` plus the as-of date is the file name. Each file is written
    when its button is clicked, not at every run of the page (an Excel file of 10,000 rows takes seconds), and the
    click does not run the page again: a run started by the click could drop the file's maker before it was asked for
    (Streamlit's documented race), and no file came."""
    for column, kind in zip(st.columns(len(kinds) + 1)[:-1], kinds, strict=True):
        label, extension, mime = EXPORTS[kind]
        column.download_button(
            f"Download {label}", lambda kind=kind: export_file(kind, frame, metadata, formats), mime=mime,
            file_name=f"{name}-{as_of():%Y-%m-%d}.{extension}", key=f"download_{name}_{kind}",
            icon=":material/download:", on_click="ignore",
        )  # fmt: skip
