"""The DuckDB warehouse: SQL models, the read path and the statistics."""
