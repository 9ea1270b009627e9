"""Entry point: opens the warehouse (building the demo one when none exists), the shared filters and the pages."""

import importlib
import threading
from datetime import date

import pandas as pd
import streamlit as st

from etl.demo import demo_folder_for, generate
from etl.load import load_folder
from etl.rewrite import models_out_of_date, upgrade_models
from pages import access as page_access
from pages import ui
from pages.plain import markdown_safe
from warehouse import access, read
from warehouse.location import ENV_VAR, not_a_warehouse, warehouse_path
from warehouse.read import Filters, Source

st.set_page_config(page_title="Reverse mentoring outcomes", layout="wide")
# Keyboard focus on Streamlit's links is a faint grey, like the current page's; no theme option sets it, so
# every focused control gets a ring in the primary colour (6.7:1 on white; WCAG 2.4.7 Focus Visible).
RING = f"outline: 2px solid {st.get_option('theme.primaryColor')} !important; outline-offset: 2px;"
st.html(f"<style>:focus-visible {{ {RING} }}</style>")

visitor = page_access.visitor()
if not visitor.roles:  # signed out, no role, or refused: one page, no warehouse, no filters
    st.navigation([page_access.gate_page(visitor)], position="hidden").run()
    st.stop()


@st.cache_resource
def import_statistics_in_the_background() -> threading.Thread:
    """scipy.stats takes 0.6 s to import: once per process, after a first page is shown (the Overview needs only
    scipy.special), so that neither the first page nor the first visit to a page of tests waits for it."""
    thread = threading.Thread(target=importlib.import_module, args=("scipy.stats",), daemon=True)
    thread.start()
    return thread


@st.cache_resource
def demo_build_lock() -> threading.Lock:
    """Browser sessions share one process: the first one builds the demo, the others wait for it."""
    return threading.Lock()


def sidebar_menu(sections: dict[str, list]) -> None:
    """The page menu: section names and page links. Streamlit's own puts each section's <li> items in a <div> inside
    its <ul>, which screen readers announce as broken lists (axe rules list and listitem, WCAG 1.3.1)."""
    for section, section_pages in sections.items():
        st.markdown(f"**{section}**")
        for page in section_pages:
            st.page_link(page, width="stretch")
    st.divider()


path = warehouse_path()
if unusable := not_a_warehouse(path):
    st.error(f"{unusable} Set {ENV_VAR} to it and restart the dashboard.", icon=":material/error:")
    st.stop()
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
# a warehouse with no sessions, surveys or social activity has no data date: the as-of date is then today
data_date = None if pd.isna(info["data_date"]) else info["data_date"].date()
first_date = data_date if pd.isna(info["first_date"]) else min(info["first_date"].date(), data_date or date.max)

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
pages = {section: shown for section, shown in pages.items() if shown}
navigation = st.navigation(pages, position="hidden")
# a shared link naming a cohort or level this warehouse does not have (renamed, or mistyped) is said, not dropped
levels = read.levels(source)
known = {"cohorts": set(names.values()), "levels": {ui.level_label(level) for level in levels}}
unknown = {name: [v for v in st.query_params.get_all(name) if v not in known[name]] for name in known}
link_date = st.query_params.get("as_of")  # as the link wrote it: the date picker drops one it can't show
with st.sidebar:
    sidebar_menu(pages)
    st.header("Filters")
    chosen_cohorts = st.multiselect(
        "Cohorts", list(names), format_func=names.get, key="cohorts", bind="query-params",
        placeholder="All cohorts",
    )  # fmt: skip
    chosen_date = st.date_input(
        "As of", value=data_date, min_value=first_date, max_value=data_date, key="as_of",
        bind="query-params", help="Defaults to the data date: the latest date recorded in the data.",
    ) if data_date else None  # fmt: skip
    chosen_levels = st.multiselect(
        "Mentee level", levels, key="levels", bind="query-params", placeholder="All levels",
        format_func=ui.level_label,
    )  # fmt: skip
    st.caption(
        f"Data date: {data_date:%d %B %Y} (latest date recorded). Filters stay in the page address."
        if data_date
        else "No data date yet: load sessions, survey responses or social activity. Pages are as of today."
    )

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
for name, values in unknown.items():
    if values:
        st.warning(
            f"The link's {name[:-1]} filter names {', '.join(markdown_safe(repr(v)) for v in values)}, which this "
            f"dashboard does not have (renamed since?): the page shows the other {name} chosen, or all of them.",
            icon=":material/link_off:",
        )
if link_date is not None and link_date != f"{chosen_date}":
    st.warning(
        f"The link's as-of date {markdown_safe(repr(link_date))} is not a date from "
        f"{first_date:%d %B %Y} to {data_date:%d %B %Y} (the data date) written as YYYY-MM-DD: the page is as of "
        f"{chosen_date:%d %B %Y}." if data_date else f"The link's as-of date {markdown_safe(repr(link_date))} is "
        "ignored: there is no data date yet, so pages are as of today.",
        icon=":material/link_off:",
    )  # fmt: skip
# a cohort chosen before its start, or a program none of whose cohorts has started, would read as zeros on every
# page: the start is said instead
as_of = chosen_date or date.today()
later = cohorts[cohorts["start_date"].dt.date > as_of]
if chosen_cohorts or len(later) < len(cohorts):
    later = later[later["cohort_id"].isin(chosen_cohorts)]
for cohort in later.itertuples():
    st.info(
        f"{markdown_safe(cohort.cohort_name)} starts on {cohort.start_date:%d %B %Y}, after the as-of date: its "
        "pairs and sessions show from that day.",
        icon=":material/event:",
    )

ui.run_page(navigation.run)
import_statistics_in_the_background()
