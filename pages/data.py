"""The data behind the dashboard: loads, rows, quarantined rows and freshness."""

import pandas as pd
import streamlit as st

from pages import ui
from pages.access import require_page
from warehouse import read
from warehouse.export import csv_bytes

require_page(__file__)  # who may open it: warehouse/access.py
st.title("Where does this data come from?")
st.write(
    "Every load of files into the warehouse, what it read, loaded and set aside, and how recent each source is. "
    "Load new files on the Load data page (coordinators); from a terminal, `python -m etl load FOLDER` does the same."
)

if ui.filters() != read.Filters():
    st.caption("The sidebar's filters do not apply to this page: it covers the whole warehouse and every load.")
source = ui.source()
QUARANTINE_SHOWN = 50  # rows listed on the page; the CSV holds the rest
# counts with thousands separators (12,116), as on every other page
COUNTS = {name: st.column_config.NumberColumn(format="localized") for name in
          ("Rows", "Files", "Read", "Loaded", "Quarantined", "New", "Updated", "Unchanged", "Bytes")}  # fmt: skip
left, right = st.columns(2)
left.subheader("Rows per file")
left.dataframe(
    read.row_counts(source).rename(columns={"entity": "File", "rows": "Rows"}), hide_index=True, column_config=COUNTS
)
right.subheader("Freshness per source")
freshness = read.freshness(source)
freshness["latest"] = freshness["latest"].map(lambda day: "nothing loaded" if pd.isna(day) else f"{day:%d %B %Y}")
right.dataframe(freshness.rename(columns={"source": "Source", "latest": "Latest date"}), hide_index=True)

st.subheader("Load history")
history = read.load_history(source)
st.dataframe(
    history.rename(columns={"load_id": "Load", "started_at": "Started", "finished_at": "Finished", "outcome": "Outcome",
                            "folder": "Folder", "files": "Files", "rows_read": "Read", "rows_loaded": "Loaded",
                            "rows_rejected": "Quarantined", "rows_inserted": "New", "rows_updated": "Updated",
                            "reconciliation": "Reconciliation"}),
    hide_index=True, column_order=["Load", "Finished", "Outcome", "Files", "Read", "Loaded", "Quarantined", "New",
                                   "Updated"],  # what fits; `python -m etl status` shows folders and reconciliation
    column_config={**COUNTS, "Finished": st.column_config.DatetimeColumn(format="D MMM YYYY, HH:mm")},
)  # fmt: skip
load_ids = history["load_id"].tolist()
chosen = st.selectbox("Files of load", load_ids, key="data_load") if load_ids else None
files = read.load_files(source)
shown = (
    files[files["load_id"] == chosen]
    .drop(columns=["load_id", "rows_loaded"])  # loaded = new + updated + unchanged
    .assign(sha256=lambda frame: frame["sha256"].str[:12])  # enough to tell files apart; the CLI shows all 64
    .rename(columns={"file_name": "File", "entity": "Holds", "sha256": "Fingerprint", "bytes": "Bytes",
                     "rows_read": "Read", "rows_rejected": "Quarantined", "rows_inserted": "New",
                     "rows_updated": "Updated", "rows_unchanged": "Unchanged"})
)  # fmt: skip
for column in ("Bytes", "Read", "Quarantined", "New", "Updated", "Unchanged"):
    shown[column] = shown[column].map(lambda n: "" if pd.isna(n) else f"{int(n):,}")
ui.plain_table(shown)  # wraps: a file made from many exports is read whole, and every count fits at 1280 px
st.caption(
    "Fingerprint: the start of the file's SHA-256, the same for the same file loaded again (which is then skipped)."
)

st.subheader("Quarantined rows")
quarantined = read.quarantine(source)
if quarantined.empty:
    st.success("No rows are in quarantine.")
else:
    quarantined = quarantined.rename(
        columns={"load_id": "Load", "file_name": "File", "line": "Line", "problems": "Problems"}
    )
    ui.plain_table(quarantined.head(QUARANTINE_SHOWN))  # wraps: the whole problem is read, not its first words
    total = read.quarantined_rows(source)
    st.caption(
        ("" if total <= QUARANTINE_SHOWN else f"The first {QUARANTINE_SHOWN} of {total:,} rows: all of them (up to "
         f"{len(quarantined):,}) are in the CSV. ")
        + "Fix these rows in the source files and load them again: the fixed rows then load normally."
    )  # fmt: skip
    st.download_button(
        "Download the quarantined rows (CSV)", lambda: csv_bytes(quarantined), file_name="quarantined-rows.csv",
        mime="text/csv", icon=":material/download:", on_click="ignore",  # as ui.downloads: no run on the click
    )  # fmt: skip
