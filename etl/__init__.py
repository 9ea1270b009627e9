"""ETL: program files (CSV/XLSX) validated and loaded into the DuckDB warehouse."""
