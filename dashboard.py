"""Entry point: opens the warehouse (building the demo one when none exists), the shared filters and the pages."""

import threading

import streamlit as st

from etl.demo import demo_folder_for, generate
from etl.load import load_folder
from etl.rewrite import models_out_of_date, upgrade_models
from pages import ui
from warehouse import read
from warehouse.location import warehouse_path
from warehouse.read import Filters, Source

st.set_page_config(page_title="Reverse mentoring outcomes", layout="wide")


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

menu = st.sidebar.container()  # the pages first, drawn once they are known (below)
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
        format_func=ui.level_label,
    )  # fmt: skip
    st.caption(f"Data date: {data_date:%d %B %Y} (latest date recorded). Filters stay in the page address.")

st.session_state["source"] = source
st.session_state["filters"] = Filters(
    cohorts=tuple(chosen_cohorts),
    as_of=None if chosen_date == data_date else chosen_date,
    levels=tuple(chosen_levels),
)
if info["is_demo"]:
    st.warning(
        "Demo data: a fictional program modelled on The Hartford's 2011 pilot and 2012 expansion.",
        icon=":material/science:",
    )

pages = {
    "Program": [
        st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True),
        st.Page("pages/learning_phases.py", title="Learning phases", icon=":material/stairs:"),
        st.Page("pages/roi.py", title="Program ROI", icon=":material/payments:"),
    ],
    "Coordinators": [st.Page("pages/pair_health.py", title="Pair health", icon=":material/health_and_safety:")],
    "Analysts": [
        st.Page("pages/survey_outcomes.py", title="Survey outcomes", icon=":material/checklist:"),
        st.Page("pages/cohort_comparison.py", title="Pilot vs expansion", icon=":material/balance:"),
        st.Page("pages/social_adoption.py", title="Social adoption", icon=":material/trending_up:"),
    ],
    "Data": [
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
        st.Page("pages/load_data.py", title="Load data", icon=":material/upload_file:"),
    ],
}
# client.showSidebarNavigation = false keeps Streamlit from ever listing the modules of pages/ (it does while the
# demo builds, before st.navigation runs); the navigation is drawn here instead
page = st.navigation(pages, position="hidden")
for section, entries in pages.items():
    menu.caption(section)
    for entry in entries:
        menu.page_link(entry)
ui.run_page(page.run)
