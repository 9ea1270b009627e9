"""The status report: rows per entity, load history, reconciliation and quarantined rows."""

from pathlib import Path

from etl.contract import ENTITIES
from etl.load import OUTSTANDING_QUARANTINE
from warehouse.connect import open_read_only

NO_DATA_DATE = "none yet: load sessions.csv, survey_responses.csv or social_activity.csv"


def table_text(rows: list[tuple], headers: tuple[str, ...]) -> str:
    cells = [tuple("" if v is None else f"{v:,}" if isinstance(v, int) else str(v) for v in row) for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]  # also with no rows
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join("  " + line for line in lines)


def status_report(path: Path, history: int = 10, quarantined: int = 20) -> str:
    con = open_read_only(path)
    try:
        counts = [(e.name, con.execute(f"select count(*) from raw_{e.name}").fetchall()[0][0]) for e in ENTITIES]
        data_date = con.execute("select data_date from dim_data_date").fetchall()[0][0]
        health = con.execute(
            "select health_status, count(*) from fct_pair_health group by 1 order by 2 desc"
        ).fetchall()
        loads = con.execute(
            """select load_id, strftime(started_at, '%Y-%m-%d %H:%M:%S'), outcome, files, rows_read, rows_loaded,
                      rows_rejected, rows_inserted, rows_updated, reconciliation
               from load_history order by load_id desc limit ?""",
            [history],
        ).fetchall()
        files = con.execute(
            """select load_id, file_name, left(sha256, 12), rows_read, rows_loaded, rows_rejected,
                      rows_inserted, rows_updated, rows_unchanged
               from load_files where load_id = (select max(load_id) from load_history) order by file_name"""
        ).fetchall()
        held, total = con.execute(
            f"select (select count(*) from ({OUTSTANDING_QUARANTINE})), (select count(*) from quarantine)"
        ).fetchall()[0]
        bad = con.execute(
            f"""select load_id, file_name, line, problems from ({OUTSTANDING_QUARANTINE})
                order by load_id desc, file_name, line limit ?""",
            [quarantined],
        ).fetchall()
        erased = con.execute(
            "select count(*), max(erased_at)::date from erasures"
            if con.execute("select count(*) from duckdb_tables() where table_name = 'erasures'").fetchone()[0]
            else "select 0, null"
        ).fetchone()
    finally:
        con.close()
    parts = [
        f"Warehouse {path}",
        f"Data date (latest date recorded in the data): {data_date or NO_DATA_DATE}",
        "",
        "Rows per entity",
        table_text(counts, ("entity", "rows")),
        "",
        "Pairs by health on the data date",
        table_text(health, ("status", "pairs")),
        "",
        f"Load history (latest {history})",
        table_text(
            loads,
            ("load", "started", "outcome", "files", "read", "loaded", "rejected", "new", "updated", "reconciliation"),
        ),
        "",
        "Files of the latest load",
        table_text(files, ("load", "file", "sha256", "read", "loaded", "rejected", "new", "updated", "unchanged")),
        "",
        f"Quarantined rows: {held:,}"
        + (f" (and {total - held:,} from earlier loads of files loaded again since)" if total > held else ""),
    ]
    if bad:
        parts.append(table_text(bad, ("load", "file", "line", "problems")))
    parts += ["", f"Erasures: {erased[0]:,}" + (f" (latest {erased[1]})" if erased[0] else "")]
    return "\n".join(parts)
