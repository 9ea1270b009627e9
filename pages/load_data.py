"""Load data: coordinators upload the program's files or tool exports, see what they become, then load them."""

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from etl.contract import ENTITIES
from etl.contract_doc import entity_section
from etl.exports.load import check_folder, load_with_exports
from etl.exports.uploads import MAX_MB, TYPES, save_uploads
from etl.load import LoadBusy, LoadError, returned_warning, rows_text, undone_warning
from pages import ui
from pages.access import require_page
from pages.plain import markdown_safe
from warehouse import read
from warehouse.build import ReconciliationError

README = Path(__file__).resolve().parents[1] / "README.md"


def export_steps() -> str | None:
    """The README's table of where to click in each tool and its mapping.toml example, so that the page and the
    README say the same; None where the README is not deployed, or no longer has them."""
    try:
        lines = README.read_text(encoding="utf-8").splitlines()
        table = lines.index("| file | how to export it | what it becomes |")
        mapping = lines.index(
            "```toml", lines.index("`mapping.toml` (optional, in the folder) says what the files can't:")
        )
        return "\n".join(
            [*lines[table : lines.index("", table)], "",
             "A survey file's name says its wave (`qualtrics_pre.csv`: pre, post, retro or followup). A "
             "`mapping.toml` uploaded with the files says what their names and contents can't:", "",
             *lines[mapping : lines.index("```", mapping + 1) + 1]]
        )  # fmt: skip
    except (OSError, ValueError):
        return None


require_page(__file__)  # who may open it: warehouse/access.py
st.title("Load new data")
st.write(
    "Upload the program's files: its own CSV or XLSX files, one per kind (participants.csv, sessions.csv, ...: "
    "see which below) or exports from your tools (Teams or Zoom attendance, Qualtrics, Microsoft Forms or Google "
    "Forms surveys and session logs, Viva Engage activity), with an optional mapping.toml. They are checked first: "
    "nothing is written until you confirm."
)
steps = export_steps()
if steps:
    with st.expander("How to export each file from your tools"):
        st.markdown(steps)
with st.expander("Which files, and which columns each needs"):
    st.markdown(
        "One file per kind, named as below, CSV or XLSX, with a header row; columns in any order. Required columns "
        "are in **bold**; the others may be left out."
    )
    for entity in ENTITIES:  # generated from etl/contract.py, as docs/data-contract.md is: no user text in it
        text, _, example = entity_section(entity).partition("```csv")
        st.markdown(text)
        st.code(example.strip().removesuffix("```").strip(), language="csv", wrap_lines=True)  # no sideways scroll
source = ui.source()
if read.info(source)["is_demo"]:
    st.warning("The warehouse holds the demo program (fictional): your first load replaces it with your files.")

uploads = st.file_uploader(
    f"Files (up to {MAX_MB} MB each)", type=TYPES, accept_multiple_files=True, max_upload_size=MAX_MB,
    key="load_uploads",
)  # fmt: skip
if message := st.session_state.pop("load_done", None):
    st.success(message)
    if set_aside := st.session_state.pop("load_done_set_aside", ""):
        st.markdown("**Left out of this load, to correct in your files:**")
        st.code(set_aside, language=None, wrap_lines=True)
    history = read.load_history(source)
    st.dataframe(
        history.head(5)[["load_id", "finished_at", "outcome", "files", "rows_read", "rows_inserted", "rows_updated"]]
        .rename(columns={"load_id": "Load", "finished_at": "Finished", "outcome": "Outcome", "files": "Files",
                         "rows_read": "Read", "rows_inserted": "New", "rows_updated": "Updated"}),
        hide_index=True,
    )  # fmt: skip
    st.page_link("pages/data.py", label="Every load and its files are on the Data page")
if not uploads:
    st.info("Choose or drop files to see what they will become.")
    st.stop()


def load_now(folder: Path, quarantine: bool) -> None:
    """The load itself, with its progress; then the page again, saying what it did."""
    with st.status("Loading...", expanded=True) as status:
        try:
            outcome = load_with_exports(folder, source.path, quarantine, progress=status.write)
        except LoadBusy:
            status.update(label="Nothing was loaded: another load is running.", state="error", expanded=False)
            st.error("Another load is writing to the warehouse. Wait a minute, then press the button again.")
            st.stop()
        except (LoadError, ReconciliationError) as error:
            status.update(label="Nothing was loaded; the warehouse is unchanged.", state="error", expanded=False)
            st.error("Nothing was loaded; the warehouse is unchanged. Why:")
            st.code(str(error), language=None, wrap_lines=True)
            st.stop()
        status.update(label="Loaded", state="complete")
    summary = outcome.summary
    ui.wrote()  # every page reads the new load, and the history shows it
    st.session_state.pop("load_check_key", None)
    st.session_state["load_loaded"] = uploaded
    done = summary.totals()
    aside = done["rows_rejected"]
    said = (
        f"Load {summary.load_id} done in {summary.seconds:.1f} s: {done['rows_inserted']:,} new and "
        f"{done['rows_updated']:,} updated rows."
        + (f" {aside:,} {'row is' if aside == 1 else 'rows are'} in quarantine, listed on the Data page." if aside
           else "")
        + (" The demo program (fictional) was replaced: the warehouse now holds only your files."
           if summary.replaced_demo else "")
    )  # fmt: skip
    # every good row was already there (the rest left out): no load was recorded, so none is named
    st.session_state["load_done"] = said if summary.changed else "Nothing new was loaded: the good rows were there."
    if summary.returned:
        st.session_state["load_done"] += " " + returned_warning(summary)
    st.session_state["load_done_set_aside"] = summary.report  # every row left out, and why
    st.rerun()


files = [(u.name, u.getvalue()) for u in uploads]
uploaded = hashlib.sha256(b"".join(name.encode() + data for name, data in files)).hexdigest()
if st.session_state.get("load_loaded") == uploaded:  # the files just loaded, still in the picker
    st.info("These files are loaded. Remove them from the list above, or add the next files to check and load them.")
    st.stop()
with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
    folder = Path(tmp)
    refusals = save_uploads(files, folder)
    if refusals:
        st.error("This upload is refused; nothing was checked or written.\n\n" + "\n\n".join(refusals))
        st.stop()
    signature = hashlib.sha256((uploaded + str(source)).encode())  # checked again when the warehouse changes
    if st.session_state.get("load_check_key") != signature.hexdigest():
        with st.spinner("Checking the files (a dry run on a copy of the warehouse)..."):
            st.session_state["load_check"] = check_folder(folder, source.path)
        st.session_state["load_check_key"] = signature.hexdigest()
    check = st.session_state["load_check"]

    st.subheader("What each file was taken for")
    reports = check.staging.files if check.staging else []
    st.table(  # file names are the uploader's text: shown as typed (st.table renders Markdown)
        pd.DataFrame({"File": [markdown_safe(f.file) for f in reports],
                      "Taken for": [markdown_safe(f.taken_for) for f in reports],
                      "Rows": [f"{f.rows:,}" for f in reports]}).set_index("File")
    )  # fmt: skip
    for report in reports:
        with st.expander(f"Preview of {markdown_safe(report.file)} ({report.rows_text})"):
            for note in report.notes:
                st.text(note)
            st.dataframe(report.preview.fillna(""), hide_index=True)  # an empty cell, not "None"
    if check.staging and check.staging.unreported:
        st.info(check.staging.unreported_text())

    if check.problems:
        st.subheader(f"{check.problem_count:,} problem" + ("" if check.problem_count == 1 else "s"))
        if not check.can_set_aside:
            st.error("Nothing can be loaded until these are fixed: correct the files and upload them again.")
            st.code(check.problems, language=None, wrap_lines=True)
            st.stop()
        st.warning(
            "Correct the files and upload them again, or load the good rows now and leave the rows with these problems "
            "out: the page lists them after the load (rows that fail the checks also wait in quarantine, on the Data "
            "page), and loading the corrected files later brings them in."
        )
        st.code(check.problems, language=None, wrap_lines=True)
        if st.button("Load the good rows, set these rows aside", key="load_quarantine"):
            load_now(folder, quarantine=True)
        st.stop()
    totals = check.summary.totals()
    if not check.summary.changed:
        st.info("Nothing to load: the warehouse already holds these rows.")
        st.stop()
    st.success(
        f"Ready: {rows_text(totals['rows_inserted'])} to add and {rows_text(totals['rows_updated'])} to update, "
        "no problems."
    )
    for result in check.summary.files:
        if result.undone:
            st.warning(undone_warning(result))
    if check.summary.replaced_demo:
        st.warning("The warehouse holds the demo program (fictional): loading replaces it with your files.")
    if st.button("Load into the warehouse", type="primary", key="load_confirm"):
        load_now(folder, quarantine=False)
