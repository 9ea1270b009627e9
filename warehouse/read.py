"""The one module that reads the warehouse for the dashboard: named queries over the marts."""

from pathlib import Path

import pandas as pd

from etl.contract import ENTITIES
from warehouse.connect import open_read_only


def query(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run one query on a short-lived read-only connection, so a load can swap the file at any time."""
    con = open_read_only(path)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


def row_counts(path: Path) -> pd.DataFrame:
    union = " union all ".join(f"select '{e.name}' as entity, count(*) as rows from raw_{e.name}" for e in ENTITIES)
    return query(path, union)


def overview(path: Path) -> pd.DataFrame:
    """One row: the data date and whether the data is the demo program."""
    return query(
        path,
        """select data_date,
                  (select bool_or(is_demo) from load_history) as is_demo,
                  (select max(finished_at) from load_history) as last_load
           from dim_data_date""",
    )


def health_counts(path: Path) -> pd.DataFrame:
    return query(
        path,
        """select health_status as "Status", count(*) as "Pairs"
           from fct_pair_health group by 1 order by 2 desc""",
    )
