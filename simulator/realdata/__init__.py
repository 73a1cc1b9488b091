"""Candidate keys on the user's real data: read-only, streamed, split into ranges that run on Dask.

`simulate_table(data, entity, keys, store, ...)` reads only the key columns (plus one insertion-order
column) of a PostgreSQL, MySQL/MariaDB or SQLite table, or of Parquet/CSV exports, and runs them
through the same store models, metrics and ranking as the synthetic simulation (docs/simulator.md).
"""

from simulator.realdata.api import TableRun, describe_table, simulate_table

__all__ = ["TableRun", "describe_table", "simulate_table"]
