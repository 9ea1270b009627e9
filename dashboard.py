"""Entry point: opens the warehouse (building the demo one when none exists), the shared filters and the pages."""

import threading

import streamlit as st

from etl.demo import demo_folder_for, generate
from etl.load import load_folder
from etl.rewrite import models_out_of_date, upgrade_models
from pages import access as page_access
from warehouse import access, read
from warehouse.location import warehouse_path
from warehouse.read import Filters, Source

st.set_page_config(page_title="Reverse mentoring outcomes", layout="wide")

visitor = page_access.visitor()
if not visitor.roles:  # signed out, no role, or refused: one page, no warehouse, no filters
    st.navigation([page_access.gate_page(visitor)], position="hidden").run()
    st.stop()


@st.cache_resource
def demo_build_lock() -> threading.Lock:
    """Browser sessions share one process: the first one builds the demo, the others wait for it."""
    return threading.Lock()


path = warehouse_path()
with demo_build_lock():
    if not path.exists():
        with st.status("No warehouse yet: building the demo program...", expanded=True) as status:
            st.write("Writing the demo files")
            generate(demo_folder_for(path))
            load_folder(demo_folder_for(path), path, progress=st.write, is_demo=True)
            status.update(label="Demo warehouse ready", state="complete", expanded=False)
    if models_out_of_date(path):  # a warehouse built by an earlier version of the dashboard
        with st.spinner("Updating the warehouse's tables to this version of the dashboard..."):
            upgrade_models(path)

source = Source.current()
info = read.info(source)
cohorts = read.cohorts(source)
names = dict(zip(cohorts["cohort_id"], cohorts["cohort_name"], strict=True))
data_date = info["data_date"].date()

with st.sidebar:
    st.header("Filters")
    chosen_cohorts = st.multiselect(
        "Cohorts", list(names), format_func=names.get, key="cohorts", bind="query-params",
        placeholder="All cohorts",
    )  # fmt: skip
    chosen_date = st.date_input(
        "As of", value=data_date, min_value=info["first_date"].date(), max_value=data_date, key="as_of",
        bind="query-params", help="Defaults to the data date: the latest date recorded in the data.",
    )  # fmt: skip
    chosen_levels = st.multiselect(
        "Mentee level", read.levels(source), key="levels", bind="query-params", placeholder="All levels",
        format_func=lambda level: level.replace("_", " ").capitalize(),
    )  # fmt: skip
    st.caption(f"Data date: {data_date:%d %B %Y} (latest date recorded). Filters stay in the page address.")

st.session_state["source"] = source
st.session_state["filters"] = Filters(
    cohorts=tuple(chosen_cohorts),
    as_of=None if chosen_date == data_date else chosen_date,
    levels=tuple(chosen_levels),
)
page_access.account(visitor)
if info["is_demo"]:
    st.warning(
        "Demo data: a fictional program modelled on The Hartford's 2011 pilot and 2012 expansion.",
        icon=":material/science:",
    )

PAGES = {  # section: (file, title, icon); who may open each file is in warehouse/access.py
    "Program": [
        ("pages/overview.py", "Overview", ":material/home:"),
        ("pages/learning_phases.py", "Learning phases", ":material/stairs:"),
        ("pages/roi.py", "Program ROI", ":material/payments:"),
    ],
    "Coordinators": [("pages/pair_health.py", "Pair health", ":material/health_and_safety:")],
    "Analysts": [
        ("pages/survey_outcomes.py", "Survey outcomes", ":material/checklist:"),
        ("pages/cohort_comparison.py", "Pilot vs expansion", ":material/balance:"),
        ("pages/social_adoption.py", "Social adoption", ":material/trending_up:"),
    ],
    "Data": [
        ("pages/data.py", "Data", ":material/database:"),
        ("pages/load_data.py", "Load data", ":material/upload_file:"),
    ],
}
# only the visitor's pages exist for this session: another page's address is not routable (the first is the home)
pages = {
    section: [
        st.Page(file, title=title, icon=icon) for file, title, icon in entries if access.may_open(visitor.roles, file)
    ]
    for section, entries in PAGES.items()
}
st.navigation({section: shown for section, shown in pages.items() if shown}).run()
