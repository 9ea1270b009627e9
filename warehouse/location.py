"""Where the warehouse file lives: one place, so the ETL, the dashboard and the tests agree."""

import os
from pathlib import Path

DEFAULT_WAREHOUSE = Path(__file__).resolve().parent / "mentoring.duckdb"
ENV_VAR = "MENTORING_WAREHOUSE"


def warehouse_path(explicit: str | Path | None = None) -> Path:
    """The --warehouse argument, else $MENTORING_WAREHOUSE, else warehouse/mentoring.duckdb."""
    chosen = explicit or os.environ.get(ENV_VAR) or DEFAULT_WAREHOUSE
    return Path(chosen).expanduser().resolve()
