"""Entry point of the dashboard: opens the warehouse (building the demo one when none exists)."""

import threading

import streamlit as st

from etl.demo import demo_folder_for, generate
from etl.load import load_folder
from warehouse import read
from warehouse.location import warehouse_path

st.set_page_config(page_title="Reverse mentoring outcomes", layout="wide")
path = warehouse_path()


@st.cache_resource
def demo_build_lock() -> threading.Lock:
    """Browser sessions share one process: the first one builds the demo, the others wait for it."""
    return threading.Lock()


with demo_build_lock():
    if not path.exists():
        with st.status("No warehouse yet: building the demo program...", expanded=True) as status:
            st.write("Writing the demo files")
            generate(demo_folder_for(path))
            load_folder(demo_folder_for(path), path, progress=st.write, is_demo=True)
            status.update(label="Demo warehouse ready", state="complete", expanded=False)

info = read.overview(path).iloc[0]
st.title("Is our reverse mentoring program working?")
if info["is_demo"]:
    st.warning("Demo data: a fictional program modelled on The Hartford's 2011 pilot and 2012 expansion.")
st.caption(f"Data as of {info['data_date']:%d %B %Y} (the latest date recorded in the data). Warehouse: {path}")

left, right = st.columns(2)
left.subheader("Rows per file")
left.dataframe(read.row_counts(path).rename(columns={"entity": "File", "rows": "Rows"}), hide_index=True)
right.subheader("Pairs by health")
right.dataframe(read.health_counts(path), hide_index=True)
